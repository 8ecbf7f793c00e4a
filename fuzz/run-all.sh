#!/bin/sh
# Run every fuzz target for SECONDS each (default 60). Needs cargo-fuzz
# (`cargo install cargo-fuzz`) and a nightly toolchain (`rustup toolchain install nightly`).
# Crashes land in fuzz/artifacts/<target>/; replay one with
#   cargo +nightly fuzz run <target> fuzz/artifacts/<target>/crash-…
set -eu
SECONDS_EACH="${1:-60}"
cd "$(dirname "$0")/.."
TOOLCHAIN="${BERTH_FUZZ_TOOLCHAIN:-+nightly}"
status=0
for target in $(cargo $TOOLCHAIN fuzz list); do
    mkdir -p "fuzz/corpus/$target"
    echo "== $target ($SECONDS_EACH s)"
    if ! cargo $TOOLCHAIN fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds" -- \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1; then
        echo "!! $target found a crash (see fuzz/artifacts/$target/)"
        status=1
    fi
done
exit $status
