#!/usr/bin/env bash
# Instructions per request of the guarded and the plain SMS route under callgrind: a repeatable measure
# of the guard's cost, where wall-clock throughput (bench/load.sh) moves by several percent between rounds.
#
#   bench/instructions.sh          # N=3000 requests per route; N=10000 bench/instructions.sh for more
#   DEDUPE_CAPACITY=200 bench/instructions.sh   # /dedupe/sms with a full in-memory store (every claim evicts)
#   BENCH_NOOP_GUARD=1 bench/instructions.sh    # /dedupe/sms with a guard that does nothing instead of `Delivery`
#
# Installs valgrind (Debian package) when missing, builds bench/'s `server` in release with line tables
# (for function names), then runs bench/instructions.py. About a minute. Not run in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR="$here/target/instructions"

source "$here/need.sh"
need valgrind
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin server
exec python3 "$here/instructions.py" "$CARGO_TARGET_DIR/release/server" "$here/target/instructions/out" "${N:-3000}"
