#!/usr/bin/python3
"""plot_latency.py: latency of the REST transport against the number of
concurrent clients, drawn as an SVG (no plotting library needed).

  scripts/plot_latency.py KEXLAB [--clients 1,2,4,8,16,32] [--messages 50]
                          [--out docs/http-latency.svg]

For each client count N it runs
  KEXLAB bench http --json --no-tls --clients N --sessions 48/N --messages M --pool 64
(an in-process server; 48 handshakes in all, so the pool of 64 never runs dry),
and plots the
p50 and p99 of the handshake and of one message round trip, on a log scale.
The figures are also written beside the SVG as JSON (same name, .json)."""
import argparse
import json
import math
import subprocess
import sys


def run(kexlab, clients, messages, profile):
    # Sessions per client so that every handshake finds a key in the pool of
    # 64 (a warm pool): the plot is about the transport, not key generation.
    cmd = [kexlab, "bench", "http", "--json", "--no-tls", "--clients", str(clients),
           "--sessions", str(max(1, 48 // clients)), "--messages", str(messages),
           "--pool", "64", "--profile", profile]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if not out.stdout.strip():
        sys.exit("bench failed: %s" % out.stderr)
    return json.loads(out.stdout)


def svg(points, title):
    W, H, L, R, T, B = 720, 440, 70, 170, 40, 50
    xs = [p["clients"] for p in points]
    series = [("handshake p50", "handshake_p50_ms", "#1f77b4", ""),
              ("handshake p99", "handshake_p99_ms", "#1f77b4", "6,4"),
              ("message p50", "message_p50_ms", "#d62728", ""),
              ("message p99", "message_p99_ms", "#d62728", "6,4")]
    vals = [p[k] for p in points for _, k, _, _ in series if p[k] > 0]
    lo = 10 ** math.floor(math.log10(min(vals)))
    hi = 10 ** math.ceil(math.log10(max(vals)))
    x0, x1 = math.log2(min(xs)), math.log2(max(xs)) if max(xs) > min(xs) else math.log2(min(xs)) + 1

    def X(c):
        return L + (math.log2(c) - x0) / (x1 - x0) * (W - L - R)

    def Y(v):
        return T + (math.log10(hi) - math.log10(v)) / (math.log10(hi) - math.log10(lo)) * (H - T - B)

    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">' % (W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="%d" y="22" font-size="14">%s</text>' % (L, title)]
    d = lo
    while d <= hi * 1.0001:
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (L, W - R, Y(d), Y(d)))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%g ms</text>' % (L - 6, Y(d) + 4, d))
        d *= 10
    for c in xs:
        o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/>' % (X(c), X(c), T, H - B))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (X(c), H - B + 16, c))
    o.append('<text x="%d" y="%d" text-anchor="middle">concurrent clients</text>' % ((L + W - R) / 2, H - 12))
    for i, (name, key, color, dash) in enumerate(series):
        pts = " ".join("%.1f,%.1f" % (X(p["clients"]), Y(p[key])) for p in points if p[key] > 0)
        o.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>' % (pts, color, dash))
        for p in points:
            if p[key] > 0:
                o.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (X(p["clients"]), Y(p[key]), color))
        y = T + 20 + 20 * i
        o.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="%s"/>' % (W - R + 15, W - R + 45, y, y, color, dash))
        o.append('<text x="%d" y="%d">%s</text>' % (W - R + 50, y + 4, name))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kexlab")
    ap.add_argument("--clients", default="1,2,4,8,16,32")
    ap.add_argument("--messages", type=int, default=50)
    ap.add_argument("--profile", default="hardened")
    ap.add_argument("--out", default="docs/http-latency.svg")
    a = ap.parse_args()
    points = []
    for c in [int(x) for x in a.clients.split(",")]:
        r = run(a.kexlab, c, a.messages, a.profile)
        print("%3d clients: handshake p50 %.2f p99 %.2f ms, message p50 %.3f p99 %.3f ms, "
              "%.0f handshakes/s, %.0f messages/s, %d errors" %
              (c, r["handshake_p50_ms"], r["handshake_p99_ms"], r["message_p50_ms"],
               r["message_p99_ms"], r["handshakes_per_s"], r["messages_per_s"], r["errors"]))
        points.append(r)
    title = "kexlab serve, %s profile, loopback, warm pool of 64 (%s)" % (a.profile, "kexlab bench http")
    with open(a.out, "w") as f:
        f.write(svg(points, title))
    with open(a.out.rsplit(".", 1)[0] + ".json", "w") as f:
        json.dump(points, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
