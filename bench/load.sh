#!/usr/bin/env bash
# End-to-end cost of the guard under load, memory over a 60 s run, a mixed valid/forged run, and what
# `Delivery` adds (in memory, and in Redis on loopback: one redis-server, one over TLS, a 3-node Redis
# Cluster, and that cluster over TLS).
#
#   bench/load.sh                 # ROUNDS=5 DURATION=10 CONNECTIONS=32 WORKERS=1 MEMORY_SECONDS=60
#                                 # MIXED_SECONDS=20 MIXED_CONNECTIONS=8 DEDUPE_REQUESTS=200000
#                                 # LATENCY_SECONDS=10 bench/load.sh to change them
#   PARTS=dedupe bench/load.sh    # one part (throughput, memory, mixed, dedupe; comma-separated)
#
# Installs wrk, redis-server and openssl (Debian packages) when missing, builds bench/'s `server` and `mixed` in release, then runs
# bench/load.py: the server pinned to CPU 0, the load generator to CPU 1 (taskset). Not run in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export CARGO_TARGET_DIR="$here/target"

source "$here/need.sh"
need wrk
need redis-server
need openssl
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin server --bin mixed
exec python3 "$here/load.py" "$here/target/release"
