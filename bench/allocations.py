"""Heap allocations per request of the guarded and the plain SMS route (bench/allocations.sh).

The `server` runs with BENCH_COUNT_ALLOCATIONS=1 (a counting global allocator) and one worker; this client
sends the same signed SMS webhook on one keep-alive connection, WARMUP times to each route, then, for each
route, reads `GET /allocations`, sends N requests, reads it again, and divides the difference by N. The
reading itself is measured (two reads in a row) and taken off. Prints a markdown table.

Usage: python3 allocations.py SERVER_BINARY [N]
"""
import json
import os
import socket
import subprocess
import sys
import time

BIN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
WARMUP = 300


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exchange(sock, f, req):
    """Sends one request, returns (status, body)."""
    sock.sendall(req)
    status = f.readline().split()
    length = 0
    while (line := f.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return status[1], f.read(length)


def main():
    port = free_port()
    server = subprocess.Popen([BIN, str(port)], env=dict(os.environ, ROCKET_WORKERS="1", BENCH_COUNT_ALLOCATIONS="1"))
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise SystemExit("the server did not start")
    signed = json.loads(subprocess.check_output([BIN, "request", f"http://127.0.0.1:{port}/guarded/sms"]))
    body = signed["body"].encode()

    def post(path):
        return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: {signed['signature']}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body

    count = f"GET /allocations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    results = {}
    with socket.create_connection(("127.0.0.1", port)) as sock, sock.makefile("rb") as f:
        read = lambda: json.loads(exchange(sock, f, count)[1])
        for route in ("guarded", "plain"):
            for _ in range(WARMUP):
                assert exchange(sock, f, post(f"/{route}/sms"))[0] == b"200", route
        a, b = read(), read()
        reading = {k: b[k] - a[k] for k in a}
        for route in ("guarded", "plain"):
            req = post(f"/{route}/sms")
            before = read()
            for _ in range(N):
                assert exchange(sock, f, req)[0] == b"200", route
            after = read()
            results[route] = {k: (after[k] - before[k] - reading[k]) / N for k in before}
    server.terminate()
    server.wait(timeout=30)

    g, p = results["guarded"], results["plain"]
    print(f"### Heap allocations per request ({N} signed SMS webhooks per route, one keep-alive connection, "
          f"one worker; counting global allocator)\n")
    print("| route | allocations / request | bytes allocated / request |")
    print("|---|---|---|")
    print(f"| `/plain/sms` (no guard) | {p['allocations']:.1f} | {p['bytes']:.0f} |")
    print(f"| `/guarded/sms` (`#[validate_twilio_request]`) | {g['allocations']:.1f} | {g['bytes']:.0f} |")
    print(f"| the guard | {g['allocations'] - p['allocations']:+.1f} | {g['bytes'] - p['bytes']:+.0f} |")


main()
