#!/usr/bin/env bash
# Heap allocations per request of the guarded and the plain SMS route: the `server` with a counting global
# allocator (BENCH_COUNT_ALLOCATIONS=1), one worker, N requests per route on one keep-alive connection.
#
#   bench/allocations.sh          # N=2000 requests per route; a few seconds after the build. Not run in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR="$here/target"

cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin server
exec python3 "$here/allocations.py" "$CARGO_TARGET_DIR/release/server" "${N:-2000}"
