#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), one after the other, on the corpora
# in fuzz/corpus (seeded from fuzz/seeds), and leaves any crash in fuzz/artifacts.
# The corpora are kept in the repository as fuzz/corpus.tar.xz (2 MB instead of 85 MB): it is
# unpacked when fuzz/corpus is missing, and the grown corpora are minimised (cargo fuzz cmin)
# and packed again at the end.
# Needs the nightly toolchain and cargo-fuzz: `rustup toolchain install nightly`,
# `cargo install cargo-fuzz`. Usage: fuzz/run.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then TARGETS=(geojson table shapefile project); fi
if [ ! -d corpus ] && [ -f corpus.tar.xz ]; then tar xJf corpus.tar.xz; fi
cargo +nightly fuzz build -O -s none
for t in "${TARGETS[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: ${SECONDS_EACH} s"
    cargo +nightly fuzz run -O -s none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1
    cargo +nightly fuzz cmin -O -s none "$t" "corpus/$t" -- -max_len=65536 -timeout=10
done
tar cJf corpus.tar.xz corpus
echo "== corpora packed into fuzz/corpus.tar.xz"
