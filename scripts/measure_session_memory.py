#!/usr/bin/python3
"""measure_session_memory.py: what one established session costs a `kexlab
serve` node in memory, measured (docs/deploy.md, Capacity).

  scripts/measure_session_memory.py KEXLAB [--sessions 1000] [--profile seed]
                                    [--key-bits 2048]

Starts one node on loopback (--pool 0, so no pooled keys are counted),
reads its resident set (VmRSS, /proc/PID/status), opens N sessions and
gives each its key (RSA-OAEP with python3-cryptography, as a client
does), reads VmRSS again, and prints (after - before) / N. The sessions
stay open while it is read; then the node is stopped (SIGINT: wiped)."""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def post(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        data = r.read()
        return json.loads(data) if data else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kexlab")
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--profile", default="seed", choices=["seed", "hardened"])
    ap.add_argument("--key-bits", type=int, default=2048)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="kexlab-mem-")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    node = subprocess.Popen([a.kexlab, "serve", "--listen", "127.0.0.1:%d" % port,
                             "--data-dir", tmp, "--profiles", a.profile, "--pool", "0",
                             "--key-bits", str(a.key_bits), "--max-sessions",
                             str(a.sessions + 10), "--max-keygen", "1", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d" % port
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/v1/health", timeout=2).read()
                break
            except Exception:
                time.sleep(0.1)
        # One session first, so that one-time allocations are in the baseline.
        algo = hashes.SHA1() if a.profile == "seed" else hashes.SHA256()
        oaep = padding.OAEP(mgf=padding.MGF1(algorithm=algo), algorithm=algo, label=None)

        def one():
            offer = post(url + "/v1/sessions", {"profile": a.profile})
            n = int.from_bytes(base64.b64decode(offer["public_key"]["modulus"]), "big")
            e = int.from_bytes(base64.b64decode(offer["public_key"]["exponent"]), "big")
            C = rsa.RSAPublicNumbers(e, n).public_key().encrypt(os.urandom(32), oaep)
            post(url + "/v1/sessions/%s/key" % offer["session_id"],
                 {"encrypted_key": base64.b64encode(C).decode()})

        one()
        before = rss_kb(node.pid)
        t0 = time.time()
        for _ in range(a.sessions):
            one()
        after = rss_kb(node.pid)
        health = json.load(urllib.request.urlopen(url + "/v1/health", timeout=5))
        per = (after - before) * 1024.0 / a.sessions
        print(json.dumps({"profile": a.profile, "key_bits": 2048 if a.profile == "seed" else a.key_bits,
                          "sessions": a.sessions, "established": health["established"],
                          "rss_before_kb": before, "rss_after_kb": after,
                          "bytes_per_session": round(per), "seconds": round(time.time() - t0, 1),
                          "million_sessions_gib": round(per * 1e6 / 2 ** 30, 2)}))
    finally:
        node.send_signal(signal.SIGINT)
        node.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
