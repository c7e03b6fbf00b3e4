"""Load tests of bench/load.sh (see there). Prints markdown tables; raw wrk outputs go to bench/target/load/.

1. Throughput: wrk on POST /guarded/sms (#[validate_twilio_request]) and POST /plain/sms (the same
   handler without it), the same signed SMS webhook to both, ROUNDS alternating rounds after a warm-up.
   Any non-2xx response aborts (it would time a rejection instead of a validation). The server's CPU time
   per request, user space and kernel (/proc/<pid>/stat around each round), says where a round's time went.
2. Memory: a fresh server under wrk on the guarded route for MEMORY_SECONDS, VmRSS and VmHWM sampled
   from /proc/<pid>/status every second.
3. Mixed: the `mixed` client (valid / tampered / unsigned / forged / replayed) for MIXED_SECONDS, counting
   statuses per kind; RSS sampled too.
4. Dedupe: what `Delivery` adds to the guarded route. Every request is a new delivery (DEDUPE_REQUESTS
   distinct signed SMS webhooks, more than the in-memory store's capacity, cycled through by a wrk Lua
   script, so every claim inserts a key and, once the store is full, evicts one). Throughput of
   /guarded/sms and /dedupe/sms (in-memory store) in ROUNDS alternating rounds at CONNECTIONS connections;
   then latency at one connection (wrk -c1, LATENCY_SECONDS per route) of /guarded/sms, /dedupe/sms in
   memory, and /dedupe/sms on redis-servers on loopback (FLUSHALL before each run, so claims are first):
   one, one over TLS (a throwaway CA made with openssl), a 3-node Redis Cluster, and the cluster over TLS.

PARTS=dedupe bench/load.sh runs part 4 alone (PARTS is a comma-separated list; all four by default).
BENCH_NOOP_GUARD=1 (read by the server) puts a request guard that does nothing in `Delivery`'s place in part 4:
what any guard costs (Redis is then not run).
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

BIN = sys.argv[1]
OUT = os.path.normpath(os.path.join(BIN, "..", "load"))
ENV = os.environ
ROUNDS = int(ENV.get("ROUNDS", 5))
DURATION = int(ENV.get("DURATION", 10))
CONNECTIONS = int(ENV.get("CONNECTIONS", 32))
WORKERS = ENV.get("WORKERS", "1")
MEMORY_SECONDS = int(ENV.get("MEMORY_SECONDS", 60))
MIXED_SECONDS = int(ENV.get("MIXED_SECONDS", 20))
MIXED_CONNECTIONS = int(ENV.get("MIXED_CONNECTIONS", 8))
PIN = shutil.which("taskset") is not None and os.cpu_count() > 1
PARTS = ENV.get("PARTS", "throughput,memory,mixed,dedupe").split(",")
DEDUPE_REQUESTS = int(ENV.get("DEDUPE_REQUESTS", 200_000))
LATENCY_SECONDS = int(ENV.get("LATENCY_SECONDS", 10))
NOOP = ENV.get("BENCH_NOOP_GUARD", "0") != "0"
GUARD = "a request guard that does nothing" if NOOP else "Delivery"


def pinned(cpu, cmd):
    return (["taskset", "-c", str(cpu)] if PIN else []) + cmd


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, **extra_env):
        self.port = free_port()
        env = dict(ENV, ROCKET_WORKERS=WORKERS, **extra_env)
        if "DEDUPE_REDIS_URL" in extra_env or "DEDUPE_REDIS_CLUSTER" in extra_env:
            env.pop("DEDUPE_CAPACITY", None)  # Redis bounds its own memory: the two settings exclude each other
        self.proc = subprocess.Popen(pinned(0, [f"{BIN}/server", str(self.port)]), env=env)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def memory(self):
        """(VmRSS, VmHWM) in KiB."""
        fields = {}
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0])
        return fields["VmRSS"], fields["VmHWM"]

    def cpu(self):
        """(user, system) CPU seconds the server has used so far (/proc/<pid>/stat)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        tick = os.sysconf("SC_CLK_TCK")
        return int(fields[11]) / tick, int(fields[12]) / tick

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def wrk_script(server, kind="request", out=OUT):
    """A wrk Lua script POSTing the SMS webhook to /guarded/sms, signed (`request`) or `forged`."""
    req = json.loads(subprocess.check_output([f"{BIN}/server", kind, server.url("/guarded/sms")]))
    path = os.path.join(out, "sms.lua" if kind == "request" else f"{kind}.lua")
    with open(path, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write(f'wrk.body = "{req["body"]}"\n')
        f.write('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
        f.write(f'wrk.headers["X-Twilio-Signature"] = "{req["signature"]}"\n')
    return path


UNITS = {"us": 1, "ms": 1000, "s": 1_000_000}


def wrk(server, path, seconds, script, tag, connections=CONNECTIONS):
    out = subprocess.check_output(
        pinned(1, ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script,
                   server.url(path)]), text=True)
    with open(os.path.join(OUT, f"{tag}.txt"), "w") as f:
        f.write(out)
    if "Non-2xx or 3xx responses" in out or "Socket errors" in out:
        raise SystemExit(f"wrk on {path} saw errors or non-2xx responses:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    lat = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", out, re.M)}
    return {"rps": rps, "requests": requests, "p50": lat["50"], "p99": lat["99"]}


def sample_memory(server, stop, samples):
    while not stop.is_set():
        samples.append((time.monotonic(), *server.memory()))
        stop.wait(1)


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def throughput():
    server = Server()
    script = wrk_script(server)
    for path in ("/guarded/sms", "/plain/sms"):
        wrk(server, path, 3, script, "warmup" + path.replace("/", "-"))
    results = {"guarded": [], "plain": []}
    for r in range(ROUNDS):
        order = ["guarded", "plain"] if r % 2 == 0 else ["plain", "guarded"]
        for route in order:
            before = server.cpu()
            result = wrk(server, f"/{route}/sms", DURATION, script, f"round{r + 1}-{route}")
            after = server.cpu()
            # The server's CPU time per request, in user space and in the kernel (its sockets).
            result["user"], result["sys"] = ((a - b) / result["requests"] * 1e6 for a, b in zip(after, before))
            results[route].append(result)
        g, p = results["guarded"][-1], results["plain"][-1]
        print(f"round {r + 1}: guarded {g['rps']:.0f} rps, plain {p['rps']:.0f} rps "
              f"({(1 - g['rps'] / p['rps']) * 100:+.1f}% cost)", file=sys.stderr)
    server.stop()

    print(f"### Throughput: {ROUNDS} alternating rounds of {DURATION} s, wrk -t1 -c{CONNECTIONS}\n")
    print("| round | guarded rps | plain rps | guard cost | guarded p50 / p99 | plain p50 / p99 | "
          "server CPU µs/request, guarded (user + sys) | plain (user + sys) |")
    print("|---|---|---|---|---|---|---|---|")
    cpu = lambda x: f"{x['user'] + x['sys']:.1f} ({x['user']:.1f} + {x['sys']:.1f})"
    for r in range(ROUNDS):
        g, p = results["guarded"][r], results["plain"][r]
        print(f"| {r + 1} | {g['rps']:.0f} | {p['rps']:.0f} | {(1 - g['rps'] / p['rps']) * 100:.1f}% | "
              f"{g['p50']:.0f} / {g['p99']:.0f} µs | {p['p50']:.0f} / {p['p99']:.0f} µs | {cpu(g)} | {cpu(p)} |")
    metrics = ("rps", "p50", "p99", "user", "sys")
    med = {k: {m: statistics.median(x[m] for x in v) for m in metrics} for k, v in results.items()}
    costs = [1 - g["rps"] / p["rps"] for g, p in zip(results["guarded"], results["plain"])]
    g, p = med["guarded"], med["plain"]
    print(f"| median | {g['rps']:.0f} | {p['rps']:.0f} | {(1 - g['rps'] / p['rps']) * 100:.1f}% "
          f"(paired rounds: median {statistics.median(costs) * 100:.1f}%, range {min(costs) * 100:.1f}% to "
          f"{max(costs) * 100:.1f}%) | {g['p50']:.0f} / {g['p99']:.0f} µs | {p['p50']:.0f} / {p['p99']:.0f} µs | "
          f"{cpu(g)} | {cpu(p)} |")
    print()


def memory():
    server = Server()
    script = wrk_script(server)
    idle = server.memory()
    wrk(server, "/guarded/sms", 5, script, "memory-warmup")
    warm = server.memory()
    samples, stop = [], threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(server, stop, samples))
    sampler.start()
    result = wrk(server, "/guarded/sms", MEMORY_SECONDS, script, "memory")
    stop.set()
    sampler.join()
    server.stop()
    rss = [s[1] for s in samples]
    tenth = max(1, len(rss) // 6)
    first, last = statistics.mean(rss[:tenth]), statistics.mean(rss[-tenth:])
    print(f"### Memory: {MEMORY_SECONDS} s of wrk on the guarded route ({result['rps']:.0f} rps, "
          f"{result['rps'] * MEMORY_SECONDS / 1e6:.1f} M requests), {len(rss)} samples of /proc/<pid>/status\n")
    print("| idle | after 5 s warm-up | run start | run end | min / max during run | peak (VmHWM) | "
          "first vs last 10 s |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {mib(idle[0])} | {mib(warm[0])} | {mib(rss[0])} | {mib(rss[-1])} | {mib(min(rss))} / "
          f"{mib(max(rss))} | {mib(samples[-1][2])} | {mib(first)} → {mib(last)} ({(last - first):+.0f} KiB) |")
    print()
    with open(os.path.join(OUT, "memory.json"), "w") as f:
        json.dump({"idle": idle, "warm": warm, "samples": samples}, f)


def mixed():
    server = Server()
    samples, stop = [], threading.Event()
    sampler = threading.Thread(target=sample_memory, args=(server, stop, samples))
    sampler.start()
    run = subprocess.run(pinned(1, [f"{BIN}/mixed", f"127.0.0.1:{server.port}", str(MIXED_SECONDS),
                                    str(MIXED_CONNECTIONS)]), text=True, capture_output=True)
    stop.set()
    sampler.join()
    server.stop()
    rss = [s[1] for s in samples]
    print(f"### Mixed traffic: {MIXED_SECONDS} s, {MIXED_CONNECTIONS} keep-alive connections, the five kinds "
          f"in turn\n")
    print(run.stdout.strip().rsplit("\n", 1)[0])
    print(f"\nRSS during the run: {mib(rss[0])} → {mib(rss[-1])}, peak {mib(samples[-1][2])}.")
    if run.returncode != 0:
        raise SystemExit(f"mixed run failed: {run.stderr}")
    print()


def distinct_script(server, path, tag):
    """A wrk script cycling through DEDUPE_REQUESTS distinct signed SMS webhooks for `path`."""
    data = os.path.join(OUT, f"{tag}.requests")
    with open(data, "w") as f:
        subprocess.run([f"{BIN}/server", "requests", server.url(path), str(DEDUPE_REQUESTS)], stdout=f, check=True)
    script = os.path.join(OUT, f"{tag}.lua")
    with open(script, "w") as f:
        f.write(f"""local requests, i = {{}}, 0
function init(args)
  for line in io.lines("{data}") do
    local signature, body = line:match("^([^\t]+)\t(.*)$")
    requests[#requests + 1] = wrk.format("POST", "{path}", {{
      ["Host"] = wrk.headers["Host"],
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["X-Twilio-Signature"] = signature,
    }}, body)
  end
end
function request()
  i = i % #requests + 1
  return requests[i]
end
""")
    return script


def dedupe():
    server = Server()
    scripts = {route: distinct_script(server, f"/{route}/sms", f"distinct-{route}") for route in ("guarded", "dedupe")}
    for route in ("guarded", "dedupe"):
        wrk(server, f"/{route}/sms", 3, scripts[route], f"dedupe-warmup-{route}")
    results = {"guarded": [], "dedupe": []}
    for r in range(ROUNDS):
        order = ["guarded", "dedupe"] if r % 2 == 0 else ["dedupe", "guarded"]
        for route in order:
            results[route].append(wrk(server, f"/{route}/sms", DURATION, scripts[route], f"dedupe-round{r + 1}-{route}"))
        g, d = results["guarded"][-1], results["dedupe"][-1]
        print(f"dedupe round {r + 1}: guarded {g['rps']:.0f} rps, dedupe {d['rps']:.0f} rps "
              f"({(1 - d['rps'] / g['rps']) * 100:+.1f}% cost)", file=sys.stderr)
    rss = server.memory()
    latency = {route: wrk(server, f"/{route}/sms", LATENCY_SECONDS, scripts[route], f"latency-{route}", 1)
               for route in ("guarded", "dedupe")}
    server.stop()

    print(f"### {GUARD}, in-memory store: {ROUNDS} alternating rounds of {DURATION} s, wrk -t1 -c{CONNECTIONS}, "
          f"{DEDUPE_REQUESTS} distinct deliveries cycled (every claim a first one)\n")
    print(f"| round | /guarded/sms rps | /dedupe/sms rps | {GUARD}'s cost | guarded p50 / p99 | dedupe p50 / p99 |")
    print("|---|---|---|---|---|---|")
    for r in range(ROUNDS):
        g, d = results["guarded"][r], results["dedupe"][r]
        print(f"| {r + 1} | {g['rps']:.0f} | {d['rps']:.0f} | {(1 - d['rps'] / g['rps']) * 100:.1f}% | "
              f"{g['p50']:.0f} / {g['p99']:.0f} µs | {d['p50']:.0f} / {d['p99']:.0f} µs |")
    med = {k: {m: statistics.median(x[m] for x in v) for m in ("rps", "p50", "p99")} for k, v in results.items()}
    costs = [1 - d["rps"] / g["rps"] for g, d in zip(results["guarded"], results["dedupe"])]
    g, d = med["guarded"], med["dedupe"]
    print(f"| median | {g['rps']:.0f} | {d['rps']:.0f} | {(1 - d['rps'] / g['rps']) * 100:.1f}% "
          f"(paired rounds: median {statistics.median(costs) * 100:.1f}%, range {min(costs) * 100:.1f}% to "
          f"{max(costs) * 100:.1f}%) | {g['p50']:.0f} / {g['p99']:.0f} µs | {d['p50']:.0f} / {d['p99']:.0f} µs |")
    print(f"\nServer RSS after the rounds (store full): {mib(rss[0])}, peak {mib(rss[1])}.\n")
    if NOOP:
        print("| route | requests/s | p50 | p99 |\n|---|---|---|---|")
        for name, l in latency.items():
            print(f"| `/{name}/sms` | {l['rps']:.0f} | {l['p50']:.0f} µs | {l['p99']:.0f} µs |")
        return

    # Redis on loopback: the same route, claims in Redis (one server, then over TLS, then a cluster).
    stats = None
    for name, nodes, tls in REDIS_SETUPS:
        redis = Redis(nodes, tls_files() if tls else None)
        try:
            server = Server(**redis.env())
        except BaseException:
            redis.stop()
            raise
        try:
            script = distinct_script(server, "/dedupe/sms", f"distinct-{name}")
            redis.flush()
            wrk(server, "/dedupe/sms", 3, script, f"{name}-warmup", 1)
            redis.flush()
            empty = redis.used_memory()
            latency[name] = wrk(server, "/dedupe/sms", LATENCY_SECONDS, script, f"latency-{name}", 1)
            keys = redis.keys()
            if name == "redis":
                used = redis.used_memory() - empty
                sample = redis.cli(redis.ports[0], "--scan").split()[:50]
                per_key = [int(redis.cli(redis.ports[0], "memory", "usage", k)) for k in sample]
                stats = (keys, used, per_key)
            elif nodes > 1:
                latency[name]["spread"] = redis.keys_per_node()
        finally:
            server.stop()
            redis.stop()

    print(f"### Latency of one request at a time (wrk -t1 -c1, {LATENCY_SECONDS} s per route, distinct deliveries)\n")
    print("| route | requests/s | p50 | p99 | added p50 / p99 |")
    print("|---|---|---|---|---|")
    base = latency["guarded"]
    labels = [("guarded", "`/guarded/sms`"), ("dedupe", "`/dedupe/sms`, in memory")]
    labels += [(name, f"`/dedupe/sms`, {label}") for name, label in REDIS_LABELS.items()]
    for name, label in labels:
        l = latency[name]
        added = "—" if name == "guarded" else f"{l['p50'] - base['p50']:+.0f} / {l['p99'] - base['p99']:+.0f} µs"
        print(f"| {label} | {l['rps']:.0f} | {l['p50']:.0f} µs | {l['p99']:.0f} µs | {added} |")
    for name, label in REDIS_LABELS.items():
        if "spread" in latency[name]:
            print(f"\n{label}: keys per node after the run {latency[name]['spread']}.")
    keys, used, per_key = stats
    print(f"\nRedis after the run: {keys} keys, used_memory grew by {used} bytes ({used / max(keys, 1):.0f} per "
          f"key); MEMORY USAGE of {len(per_key)} keys: "
          f"{min(per_key)}–{max(per_key)} bytes, median {statistics.median(per_key):.0f}.\n")


# (name, nodes, TLS): the Redis setups whose latency part 4 measures, each on loopback.
REDIS_SETUPS = [("redis", 1, False), ("redis-tls", 1, True), ("cluster", 3, False), ("cluster-tls", 3, True)]
REDIS_LABELS = {
    "redis": "Redis on loopback",
    "redis-tls": "Redis over TLS (`rediss://`) on loopback",
    "cluster": "a 3-node Redis Cluster on loopback",
    "cluster-tls": "a 3-node Redis Cluster over TLS on loopback",
}


def tls_files():
    """A throwaway CA and a certificate it signed for 127.0.0.1 (openssl), in OUT/tls: the directory."""
    d = os.path.join(OUT, "tls")
    os.makedirs(d, exist_ok=True)

    def run(*cmd):
        subprocess.run(cmd, cwd=d, check=True, capture_output=True)

    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
        "-days", "2", "-subj", "/CN=rocket_twilio bench CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=127.0.0.1")
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext")
    return d


def cluster_ports(n):
    """`n` ports free with their cluster bus ports (each + 10000, so at most 55535), one bound after the other."""
    ports = []
    for port in range(21000, 55535, 7):
        try:
            for p in (port, port + 10000):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        ports.append(port)
        if len(ports) == n:
            return ports
    raise SystemExit("no free ports for a Redis Cluster")


class Redis:
    """`nodes` redis-servers on loopback (pinned with wrk to CPU 1): one, or a cluster of them (each a
    master of a third of the slots), over TLS when `tls` (tls_files()'s directory) is given."""

    def __init__(self, nodes, tls):
        self.tls, self.procs = tls, []
        self.ports = [free_port() for _ in range(nodes)] if nodes == 1 else cluster_ports(nodes)
        try:
            for port in self.ports:
                args = ["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                        "--dir", OUT, "--logfile", os.path.join(OUT, f"redis-{port}.log")]
                if tls:
                    args += ["--port", "0", "--tls-port", str(port), "--tls-cert-file", f"{tls}/server.pem",
                             "--tls-key-file", f"{tls}/server.key", "--tls-ca-cert-file", f"{tls}/ca.pem",
                             "--tls-auth-clients", "no"]
                else:
                    args += ["--port", str(port)]
                if nodes > 1:
                    conf = f"nodes-{port}.conf"
                    if os.path.exists(os.path.join(OUT, conf)):
                        os.remove(os.path.join(OUT, conf))
                    args += ["--cluster-enabled", "yes", "--cluster-config-file", conf]
                    args += ["--tls-cluster", "yes"] if tls else []
                self.procs.append(subprocess.Popen(pinned(1, args)))
            for port in self.ports:
                self.wait(port, ["ping"], "PONG")
            if nodes > 1:
                self.cli(self.ports[0], "--cluster", "create", *(f"127.0.0.1:{p}" for p in self.ports),
                         "--cluster-replicas", "0", "--cluster-yes")
                for port in self.ports:
                    self.wait(port, ["cluster", "info"], "cluster_state:ok")
        except BaseException:
            self.stop()
            raise

    def cli(self, port, *args):
        tls = ["--tls", "--cacert", f"{self.tls}/ca.pem"] if self.tls else []
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *tls, *args],
                              check=True, capture_output=True, text=True).stdout.strip()

    def wait(self, port, args, expected):
        for _ in range(200):
            try:
                if expected in self.cli(port, *args):
                    return
            except subprocess.CalledProcessError:
                pass
            time.sleep(0.05)
        raise SystemExit(f"redis-server on port {port} did not answer {expected!r} to {args}")

    def env(self):
        """The bench server's settings for this Redis."""
        urls = [f"{'rediss' if self.tls else 'redis'}://127.0.0.1:{p}" for p in self.ports]
        env = {"DEDUPE_REDIS_CLUSTER": ",".join(urls)} if len(urls) > 1 else {"DEDUPE_REDIS_URL": urls[0]}
        if self.tls:
            env["DEDUPE_REDIS_CA_FILE"] = f"{self.tls}/ca.pem"
        return env

    def flush(self):
        for port in self.ports:
            self.cli(port, "flushall")

    def keys_per_node(self):
        return [int(self.cli(port, "dbsize")) for port in self.ports]

    def keys(self):
        return sum(self.keys_per_node())

    def used_memory(self):
        return sum(int(re.search(r"used_memory:(\d+)", self.cli(port, "info", "memory")).group(1))
                   for port in self.ports)

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            proc.wait(timeout=30)


def main():
    os.makedirs(OUT, exist_ok=True)
    cpu = subprocess.check_output(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], text=True)
    print(f"Machine: {os.cpu_count()} cores ({cpu.strip()}); server on CPU 0 with {WORKERS} Rocket worker(s), "
          f"load generator on CPU 1 (pinned: {PIN}); wrk {subprocess.run(['wrk', '-v'], capture_output=True, text=True).stdout.split()[1]}.")
    print(f"Load average before: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}, {os.getloadavg()[2]:.2f}\n")
    for part in PARTS:
        {"throughput": throughput, "memory": memory, "mixed": mixed, "dedupe": dedupe}[part]()
    print(f"Load average after: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}, {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
