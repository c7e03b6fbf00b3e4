"""Instructions per request of the guarded, the plain and the dedupe SMS route, counted by callgrind
(bench/instructions.sh).

Wall-clock throughput on a shared VM moves by several percent from one round to the next; instruction
counts do not. The server runs under `valgrind --tool=callgrind` with one worker; this client sends the
same signed SMS webhook on one keep-alive connection, WARMUP times to each route, then, for each route,
zeroes the counters, sends N requests and dumps them. Prints a markdown table and the functions whose
self cost differs most between the two dumps. `/dedupe/sms` (the guarded route with a `Delivery`, in-memory
store) gets WARMUP + N distinct signed webhooks instead, so that every claim is a first one (a new key);
its table compares it with the guarded route. With DEDUPE_CAPACITY=200 (read by the server), the store is
full after the warm-up, so that every claim also evicts the oldest key: the steady state of a busy server.

Usage: python3 instructions.py SERVER_BINARY OUT_DIR [N]
"""
import collections
import json
import os
import re
import socket
import subprocess
import sys
import time

BIN, OUT = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
# BENCH_NOOP_GUARD=1 (read by the server too): /dedupe/sms takes a guard that does nothing instead of `Delivery`.
NOOP = os.environ.get("BENCH_NOOP_GUARD", "0") != "0"
WARMUP = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send(port, path, req, n):
    """Sends `req` n times (or, given a list, its first n requests) on one connection; returns how many got
    a 200."""
    ok = 0
    with socket.create_connection(("127.0.0.1", port)) as s, s.makefile("rb") as f:
        for i in range(n):
            s.sendall(req[i] if isinstance(req, list) else req)
            status = f.readline().split()
            length = 0
            while (line := f.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            f.read(length)
            ok += len(status) > 1 and status[1] == b"200"
    return ok


def self_costs(dump):
    """Self instructions by function name in a callgrind dump."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", "--auto=no", dump],
                         capture_output=True, text=True, check=True).stdout
    costs = collections.Counter()
    for line in out.splitlines():
        m = re.match(r" *([0-9,]+) \([^)]*\) +(.*)$", line)
        if m and "PROGRAM TOTALS" not in line:
            name = re.sub(r" \[[^\]]*\]$", "", m.group(2))
            costs[name.split(":", 1)[1] if ":" in name else name] += int(m.group(1).replace(",", ""))
    return costs


def total(dump):
    with open(dump) as f:
        for line in f:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"no summary in {dump}")


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.startswith("callgrind.out"):
            os.remove(os.path.join(OUT, old))
    port = free_port()
    out_file = os.path.join(OUT, "callgrind.out.%p")
    server = subprocess.Popen(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", BIN, str(port)],
                              env=dict(os.environ, ROCKET_WORKERS="1"), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        raise SystemExit("the server did not start under valgrind")

    signed = json.loads(subprocess.check_output([BIN, "request", f"http://127.0.0.1:{port}/guarded/sms"]))
    body = signed["body"].encode()

    def request(path):
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signed['signature']}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return head.encode() + body

    def distinct(path, count):
        lines = subprocess.check_output([BIN, "requests", f"http://127.0.0.1:{port}{path}", str(count)], text=True)
        out = []
        for line in lines.splitlines():
            signature, body = line.split("\t", 1)
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signature}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n")
            out.append(head.encode() + body.encode())
        return out

    fresh = distinct("/dedupe/sms", WARMUP + N)
    # The baseline of `Delivery`: the guarded route fed distinct webhooks too, so that both decode the
    # same variety of bodies.
    fresh_guarded = distinct("/guarded/sms", WARMUP + N)
    routes = ["guarded", "plain", "dedupe", "distinct"]
    paths = {"guarded": "/guarded/sms", "plain": "/plain/sms", "dedupe": "/dedupe/sms", "distinct": "/guarded/sms"}
    batches = {"guarded": request("/guarded/sms"), "plain": request("/plain/sms"), "dedupe": fresh[WARMUP:],
               "distinct": fresh_guarded[WARMUP:]}
    warmups = {"dedupe": fresh[:WARMUP], "distinct": fresh_guarded[:WARMUP]}
    for route in routes:
        assert send(port, paths[route], warmups.get(route, batches[route]), WARMUP) == WARMUP, route
    dumps = {}
    for i, route in enumerate(routes, start=1):
        subprocess.run(["callgrind_control", "-z", str(server.pid)], check=True, capture_output=True)
        assert send(port, paths[route], batches[route], N) == N, f"{route}: not all 200"
        subprocess.run(["callgrind_control", "-d", route, str(server.pid)], check=True, capture_output=True)
        dumps[route] = os.path.join(OUT, f"callgrind.out.{server.pid}.{i}")
    subprocess.run(["callgrind_control", "-k", str(server.pid)], capture_output=True)
    server.wait(timeout=60)

    g, p = total(dumps["guarded"]) / N, total(dumps["plain"]) / N
    print(f"### Instructions per request (callgrind, {N} signed SMS webhooks per route, one keep-alive "
          f"connection, one worker; user space only)\n")
    print("| route | instructions / request |")
    print("|---|---|")
    print(f"| `/plain/sms` (no guard) | {p:,.0f} |")
    print(f"| `/guarded/sms` (`#[validate_twilio_request]`) | {g:,.0f} |")
    print(f"| the guard | **{g - p:+,.0f} ({(g / p - 1) * 100:+.1f}%)** |")
    gc, pc = self_costs(dumps["guarded"]), self_costs(dumps["plain"])
    # callgrind_annotate also lists, as if self cost, the frames without debug info that everything runs
    # under (thread start, tokio's poll loop): drop any entry holding over half the dump.
    frames = {k for k, v in gc.items() if v > total(dumps["guarded"]) / 2}
    diff = sorted(((gc[k] - pc[k]) / N, k) for k in (set(gc) | set(pc)) - frames)
    sha = sum(v for k, v in gc.items() if "sha1::compress" in k) / N
    print(f"\nOf the guard's instructions, {sha:,.0f} are SHA-1 compression, done in software under valgrind "
          f"(it hides the CPU's SHA extensions, which the `sha1` crate uses natively).\n")
    print("Functions whose self cost differs most (guarded − plain, instructions per request):\n")
    print("| Δ | function |")
    print("|---|---|")
    for d, name in diff[::-1][:14] + diff[:8]:
        if abs(d) >= 200:
            print(f"| {d:+,.0f} | `{name[:110]}` |")

    d, gd = total(dumps["dedupe"]) / N, total(dumps["distinct"]) / N
    dc, gdc = self_costs(dumps["dedupe"]), self_costs(dumps["distinct"])
    sha256 = sum(v for k, v in dc.items() if "sha256" in k) / N - sum(v for k, v in gdc.items() if "sha256" in k) / N
    guard = "a request guard that does nothing" if NOOP else "`Delivery`"
    print(f"\n### {guard} (in-memory store), {N} distinct webhooks, each a first claim\n")
    print("| route | instructions / request |")
    print("|---|---|")
    print(f"| `/guarded/sms`, the same distinct webhooks | {gd:,.0f} |")
    print(f"| `/dedupe/sms` ({guard}) | {d:,.0f} |")
    print(f"| {guard} | **{d - gd:+,.0f} ({(d / gd - 1) * 100:+.2f}%)** |")
    if sha256 >= 1:
        print(f"| {guard} without SHA-256 ({sha256:,.0f}, in software under valgrind) | "
              f"**{d - gd - sha256:+,.0f} ({(d - gd - sha256) / gd * 100:+.2f}%)** |")
    diff = sorted(((dc[k] - gdc[k]) / N, k) for k in (set(dc) | set(gdc)) - frames)
    print("\nFunctions whose self cost differs most (dedupe − guarded, distinct webhooks, instructions per request):\n")
    print("| Δ | function |")
    print("|---|---|")
    for delta, name in diff[::-1][:16] + diff[:4]:
        if abs(delta) >= 100:
            print(f"| {delta:+,.0f} | `{name[:110]}` |")


main()
