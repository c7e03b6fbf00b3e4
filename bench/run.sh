#!/usr/bin/env bash
# Validation cost per request: rocket_twilio next to its floor (one bare HMAC of the canonical string)
# and next to the official libraries, twilio-python 9.13.0 `RequestValidator.validate` and twilio-node
# 6.2.0 `validateRequest` / `validateRequestWithBody`, on the same signed webhooks, in one run.
#
#   bench/run.sh            # from anywhere; ROUNDS=3 bench/run.sh for more rounds (fastest kept)
#
# Builds bench/ in release (default profile, as users build), writes the inputs (bench/target/inputs.json)
# with `core gen`, then runs the three timers on that file, each pinned to the same core when `taskset`
# exists, ROUNDS times in turn, keeps each cell's fastest round and prints one table. Ratios are what to
# read: the machine's speed cancels out. Not run in CI (too slow, too noisy).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ROUNDS=${ROUNDS:-2}
export CARGO_TARGET_DIR="$here/target"

bash "$root/tests/interop/setup.sh" "$root/target/interop" >&2
python="$root/target/interop/venv/bin/python"
export NODE_PATH="$root/target/interop/node/node_modules"

cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin core
core="$here/target/release/core"
inputs="$here/target/inputs.json"
out="$here/target/run"
mkdir -p "$out"
"$core" gen "$inputs"

pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 1 ]; then pin=(taskset -c "${BENCH_CPU:-1}"); fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
echo "before: $(uptime)" >&2
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS: rust, python, node" >&2
  "${pin[@]}" "$core" time "$inputs" >"$out/rust.$round.json"
  "${pin[@]}" "$python" "$here/official.py" "$inputs" >"$out/python.$round.json"
  "${pin[@]}" node "$here/official.js" "$inputs" >"$out/node.$round.json"
done
echo "after:  $(uptime)" >&2

"$python" - "$inputs" "$out" "$ROUNDS" <<'PY'
import json, platform, subprocess, sys

inputs, out, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
cases = json.load(open(inputs))["cases"]
load = lambda kind, r: json.load(open(f"{out}/{kind}.{r}.json"))
best = {}  # (column, case) -> fastest ns/op over the rounds
for r in range(1, rounds + 1):
    rust, py, node = load("rust", r), load("python", r), load("node", r)
    for c in cases:
        n = c["name"]
        cells = {
            "floor": rust[n]["floor"], "floor_sort": rust[n].get("floor_sort"), "ours": rust[n]["ours"],
            "python": py["python"][n], "python_dict": py["python_dict"].get(n), "node": node[n],
        }
        for col, v in cells.items():
            if v is not None:
                best[col, n] = min(v, best.get((col, n), float("inf")))

fmt = lambda ns: f"{ns / 1000:.2f} µs" if ns >= 1000 else f"{ns:.0f} ns"
header = ["webhook", "floor (1 HMAC)", "floor + sort", "rocket_twilio", "ours/floor", "ours/(floor + sort)",
          "twilio-python", "python/ours", "twilio-node", "node/ours"]
rows = []
for c in cases:
    n = c["name"]
    f, o, p, nd = (best[k, n] for k in ("floor", "ours", "python", "node"))
    fs = best.get(("floor_sort", n))
    rows.append([c["what"], fmt(f), fmt(fs) if fs else "—", fmt(o), f"{o / f:.2f}×", f"{o / fs:.2f}×" if fs else "—",
                 fmt(p), f"{p / o:.0f}×", fmt(nd), f"{nd / o:.1f}×"])
print("| " + " | ".join(header) + " |")
print("|" + "|".join("---" for _ in header) + "|")
for row in rows:
    print("| " + " | ".join(row) + " |")
dict_cells = [f"{c['what']} {fmt(best['python_dict', c['name']])} ({best['python_dict', c['name']] / best['ours', c['name']]:.0f}×)"
              for c in cases if ("python_dict", c["name"]) in best]
print()
print("twilio-python with a plain dict instead of a getall multidict: " + "; ".join(dict_cells))
print(f"ns/op, fastest of {rounds} round(s) x 7 batches of ~0.2 s each; ratios from those. "
      f"twilio-python {load('python', 1)['version']} on Python {platform.python_version()}, "
      f"twilio-node {load('node', 1)['_version']} on Node {subprocess.check_output(['node', '--version'], text=True).strip()}.")
PY
