#!/usr/bin/python3
"""plot_nodes.py: new sessions per second against the number of `kexlab
serve` nodes behind nginx (docs/deploy.md), on loopback, drawn as an SVG
(no plotting library needed), with the figures beside it as JSON.

  scripts/plot_nodes.py KEXLAB [--nodes 1,2,3] [--duration 5] [--rounds 3]
                        [--key-bits 2048] [--out docs/deploy-nodes.svg]

For each node count N it starts N nodes (`kexlab serve --node i --pool 0
--max-keygen 1`: every session generates its key pair, one at a time per
node, so a node is one core of key generation: the sustained rate once a
pool is dry), nginx with the configuration block of docs/deploy.md (its
addresses and paths rewritten, as tests/deploy does; nodes it does not
use are left out of the upstream), and runs
  KEXLAB bench http --url https://EDGE --cacert CERT --pin FP --clients N
        --messages 0 --duration D --no-tls --json
(handshakes only: POST /v1/sessions + POST .../key, then DELETE). nginx
itself runs one worker. The node counts are measured in turn, --rounds
times (1, 2, 3, 1, 2, 3, ...), and each plotted figure is the median of its
rounds, so a machine shared with other work drifts into every count alike. Needs nginx and openssl on PATH; everything binds
127.0.0.1 only and lives in a temporary folder."""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def nginx_block():
    """The block after <!-- deploy: nginx --> in docs/deploy.md."""
    text = open(os.path.join(ROOT, "docs", "deploy.md")).read()
    m = re.search(r"<!-- deploy: nginx -->\n```nginx\n(.*?)\n```", text, re.S)
    if m is None:
        sys.exit("docs/deploy.md: no nginx block")
    return m.group(1) + "\n"


def nginx_conf(tmp, ports, edge):
    conf = nginx_block().replace("listen 443 ssl;", "listen 127.0.0.1:%d ssl;" % edge)
    for i in range(3):
        doc = "127.0.0.1:%d" % (8441 + i)
        if i < len(ports):
            conf = conf.replace(doc, "127.0.0.1:%d" % ports[i])
        else:
            # A node this run does not start: out of the round robin.
            conf = re.sub(r"\n    server %s [^\n]*;" % re.escape(doc), "", conf)
            conf = conf.replace(doc, "127.0.0.1:1")
    conf = conf.replace("/etc/kexlab/tls/", tmp + "/").replace("/var/log/nginx/", tmp + "/")
    with open(os.path.join(tmp, "kexlab.conf"), "w") as f:
        f.write(conf)
    user = "user root root;\n" if os.getuid() == 0 else ""
    temps = "".join("    %s_temp_path %s/%s;\n" % (k, tmp, k)
                    for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(os.path.join(tmp, "nginx.conf"), "w") as f:
        f.write("%sdaemon off;\nworker_processes 1;\npid %s/nginx.pid;\n"
                "error_log %s/error.log warn;\nevents { worker_connections 1024; }\n"
                "http {\n%s    include %s/kexlab.conf;\n}\n" % (user, tmp, tmp, temps, tmp))


def wait_http(url, cafile=None, tries=300):
    import ssl
    ctx = ssl.create_default_context(cafile=cafile) if cafile else None
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=2, context=ctx) as r:
                return json.load(r)
        except Exception:
            time.sleep(0.1)
    sys.exit("not up: " + url)


def measure(kexlab, nodes, duration, key_bits):
    tmp = tempfile.mkdtemp(prefix="kexlab-nodes-")
    procs = []
    try:
        subprocess.run([kexlab, "rsa", "keygen", "--bits", "2048", "--out", tmp + "/identity.pem"],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", tmp + "/privkey.pem", "-out", tmp + "/fullchain.pem"],
                       check=True, capture_output=True)
        ports = [free_port() for _ in range(nodes)]
        for i, port in enumerate(ports):
            procs.append(subprocess.Popen(
                [kexlab, "serve", "--node", str(i), "--listen", "127.0.0.1:%d" % port,
                 "--identity", tmp + "/identity.pem", "--profiles", "hardened",
                 "--key-bits", str(key_bits), "--pool", "0", "--max-keygen", "1",
                 "--drain-timeout", "0", "--quiet"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for port in ports:
            wait_http("http://127.0.0.1:%d/v1/health" % port)
        edge = free_port()
        nginx_conf(tmp, ports, edge)
        procs.append(subprocess.Popen(["nginx", "-p", tmp + "/", "-c", tmp + "/nginx.conf",
                                       "-e", tmp + "/error.log"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        url = "https://127.0.0.1:%d" % edge
        fp = wait_http(url + "/v1/identity", tmp + "/fullchain.pem")["fingerprint"]
        out = subprocess.run([kexlab, "bench", "http", "--url", url, "--cacert",
                              tmp + "/fullchain.pem", "--pin", fp, "--clients", str(nodes),
                              "--messages", "0", "--duration", str(duration), "--no-tls",
                              "--json"], capture_output=True, text=True, check=False)
        if not out.stdout.strip():
            sys.exit("bench failed: " + out.stderr)
        return json.loads(out.stdout)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def svg(points, title):
    W, H, L, R, T, B = 560, 380, 80, 30, 40, 50
    hi = max(p["sessions_per_s"] for p in points) * 1.25
    xs = [p["nodes"] for p in points]

    def X(n):
        return L + (n - 0.5) / (max(xs) + 0.0) * (W - L - R)

    def Y(v):
        return T + (1 - v / hi) * (H - T - B)

    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="22" font-size="14">%s</text>' % (L - 60, title)]
    step = 10 ** len(str(int(hi))) / 10
    while hi / step < 4:
        step /= 2
    v = 0.0
    while v <= hi:
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (L, W - R, Y(v), Y(v)))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (L - 6, Y(v) + 4, v))
        v += step
    o.append('<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle">new sessions per second</text>'
             % ((T + H - B) / 2, (T + H - B) / 2))
    for p in points:
        x = X(p["nodes"])
        o.append('<rect x="%.1f" y="%.1f" width="50" height="%.1f" fill="#1f77b4"/>'
                 % (x - 25, Y(p["sessions_per_s"]), Y(0) - Y(p["sessions_per_s"])))
        o.append('<text x="%.1f" y="%.1f" text-anchor="middle">%.0f</text>'
                 % (x, Y(p["sessions_per_s"]) - 6, p["sessions_per_s"]))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%d node%s</text>'
                 % (x, H - B + 16, p["nodes"], "" if p["nodes"] == 1 else "s"))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kexlab")
    ap.add_argument("--nodes", default="1,2,3")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--key-bits", type=int, default=2048)
    ap.add_argument("--out", default="docs/deploy-nodes.svg")
    a = ap.parse_args()
    counts = [int(x) for x in a.nodes.split(",")]
    runs = {n: [] for n in counts}
    for r in range(a.rounds):
        for n in counts:
            res = measure(a.kexlab, n, a.duration, a.key_bits)
            runs[n].append(res)
            print("round %d, %d node(s): %.1f new sessions/s, handshake p50 %.1f ms, %s errors"
                  % (r + 1, n, res["handshakes_per_s"], res["handshake_p50_ms"], res["errors"]))
    points = []
    for n in counts:
        rs = sorted(runs[n], key=lambda x: x["handshakes_per_s"])
        med = rs[len(rs) // 2]
        p = {"nodes": n, "clients": n, "key_bits": a.key_bits, "rounds": a.rounds,
             "sessions_per_s": med["handshakes_per_s"],
             "sessions_per_s_rounds": [x["handshakes_per_s"] for x in runs[n]],
             "handshake_p50_ms": med["handshake_p50_ms"], "handshake_p99_ms": med["handshake_p99_ms"],
             "errors": sum(int(x["errors"]) for x in runs[n]), "cpus": os.cpu_count(),
             "load_average": os.getloadavg()[0]}
        print("%d node(s): median %.1f new sessions/s" % (n, p["sessions_per_s"]))
        points.append(p)
    title = ("new sessions/s via nginx (HTTPS), RSA-%d, empty pools, %d CPUs"
             % (a.key_bits, os.cpu_count()))
    with open(a.out, "w") as f:
        f.write(svg(points, title))
    with open(a.out.rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump(points, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
