#!/usr/bin/env bash
# Every check CI runs, in the order CI runs them: formatting, lints, all tests.
# Usage: scripts/check.sh            (REQUIRE_SHARED_DATA=1 to insist on ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
echo "== cargo test"
cargo test
echo "== all checks passed"
