"""bench/forged.sh (see there): wrk on POST /guarded/sms with Twilio's signature (accepted: 200) and with a
well-formed signature made with another token (forged: 403, each refusal diagnosed until the server's
diagnosis budget is spent), in alternating rounds after a warm-up of each. Every forged request must get
403 and every accepted one 200, or the run aborts. Prints a markdown table; raw outputs in
bench/target/forged/.
"""
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import BIN, CONNECTIONS, DURATION, PIN, ROUNDS, WORKERS, Server, pinned, wrk_script  # noqa: E402

OUT = os.path.normpath(os.path.join(BIN, "..", "forged"))


def wrk(url, seconds, lua, kind, tag):
    out = subprocess.check_output(
        pinned(1, ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", lua, url]), text=True)
    with open(os.path.join(OUT, f"{tag}.txt"), "w") as f:
        f.write(out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    non2xx = int(non2xx.group(1)) if non2xx else 0
    expected = 0 if kind == "accepted" else total
    if non2xx != expected or "Socket errors" in out:
        raise SystemExit(f"{kind}: {non2xx} of {total} responses were not {'2xx' if kind == 'accepted' else '403'}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main():
    os.makedirs(OUT, exist_ok=True)
    cpu = subprocess.check_output(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], text=True)
    print(f"Machine: {os.cpu_count()} cores ({cpu.strip()}); server on CPU 0 with {WORKERS} Rocket worker(s), "
          f"wrk -t1 -c{CONNECTIONS} on CPU 1 (pinned: {PIN}); load average {os.getloadavg()[0]:.2f}\n")
    server = Server()
    url = server.url("/guarded/sms")
    lua = {"accepted": wrk_script(server, "request", OUT), "forged": wrk_script(server, "forged", OUT)}
    for kind in lua:
        wrk(url, 3, lua[kind], kind, f"warmup-{kind}")
    results = {"accepted": [], "forged": []}
    for r in range(ROUNDS):
        order = ["accepted", "forged"] if r % 2 == 0 else ["forged", "accepted"]
        for kind in order:
            results[kind].append(wrk(url, DURATION, lua[kind], kind, f"round{r + 1}-{kind}"))
        a, f = results["accepted"][-1], results["forged"][-1]
        print(f"round {r + 1}: accepted {a:.0f} rps, forged {f:.0f} rps ({f / a:.3f}×)", file=sys.stderr)
    server.stop()

    print(f"| round | accepted (200) rps | forged (403) rps | forged / accepted |")
    print("|---|---|---|---|")
    for r in range(ROUNDS):
        a, f = results["accepted"][r], results["forged"][r]
        print(f"| {r + 1} | {a:.0f} | {f:.0f} | {f / a:.3f} |")
    ratios = [f / a for a, f in zip(results["accepted"], results["forged"])]
    a, f = statistics.median(results["accepted"]), statistics.median(results["forged"])
    print(f"| median | {a:.0f} | {f:.0f} | {f / a:.3f} (paired rounds: median {statistics.median(ratios):.3f}, "
          f"range {min(ratios):.3f} to {max(ratios):.3f}) |")


main()
