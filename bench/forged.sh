#!/usr/bin/env bash
# Throughput of refused forged requests against accepted ones, on the same guarded route (issue 12: what a
# flood of forged webhooks costs now that each refusal may be diagnosed).
#
#   bench/forged.sh               # ROUNDS=5 DURATION=10 CONNECTIONS=32 WORKERS=1 bench/forged.sh
#
# Installs wrk (Debian package) when missing, builds bench/'s `server` in release, then runs
# bench/forged.py: the server pinned to CPU 0, wrk to CPU 1 (taskset). Not run in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR="$here/target"

source "$here/need.sh"
need wrk
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin server
exec python3 "$here/forged.py" "$here/target/release"
