#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 600), one after the other, on the corpora
# in fuzz/corpus (seeded from fuzz/seeds), and leaves any crash in fuzz/artifacts.
# Needs the nightly toolchain and cargo-fuzz: `rustup toolchain install nightly`,
# `cargo install cargo-fuzz`. Usage: fuzz/run.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then TARGETS=(geojson table shapefile project); fi
cargo +nightly fuzz build -O -s none
for t in "${TARGETS[@]}"; do
    mkdir -p "corpus/$t"
    echo "== $t: ${SECONDS_EACH} s"
    cargo +nightly fuzz run -O -s none "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
        -print_final_stats=1
done
