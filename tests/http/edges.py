#!/usr/bin/python3
"""edges.py URL PIN: the REST API's edges as .NET, curl and raw-socket clients
meet them (docs/rest-api.md, "Request bodies", "Session ids", "Limits").
Prints one line per failed check and "N passed, N failed"; exits 1 on any
failure. Uses the independent peer (peer_client.py) for frames."""
import base64
import http.client
import json
import os
import re
import socket
import sys
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_client  # noqa: E402

URL, PIN = sys.argv[1], sys.argv[2]
HOST, PORT = "127.0.0.1", int(URL.rsplit(":", 1)[1])
MAX_PAYLOAD = 262144  # kl_kex_server_config_default
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + what, file=sys.stderr)


def request(method, path, body=None, headers=None):
    """(status, headers, body) over http.client: no header is added but
    Host and Content-Length (no default Content-Type)."""
    c = http.client.HTTPConnection(HOST, PORT, timeout=20)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    out = (r.status, r.headers, r.read())
    c.close()
    return out


def post_json(path, text, extra=b""):
    return request("POST", path, extra + text.encode(), {"Content-Type": "application/json"})


def complete(out):
    """How many whole responses (headers + Content-Length body) out holds."""
    n = 0
    while True:
        end = out.find(b"\r\n\r\n")
        if end < 0:
            return n
        m = re.search(rb"(?im)^content-length:\s*(\d+)", out[:end])
        length = int(m.group(1)) if m else 0
        if len(out) < end + 4 + length:
            return n
        out = out[end + 4 + length:]
        n += 1


def raw(data, wait=5.0, responses=None):
    """Send data in one write; read until the server closes, goes quiet for
    wait seconds, or (responses given) that many whole responses are in."""
    s = socket.create_connection((HOST, PORT))
    s.settimeout(wait)
    s.sendall(data)
    out = b""
    closed = False
    try:
        while responses is None or complete(out) < responses:
            b = s.recv(65536)
            if not b:
                closed = True
                break
            out += b
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return out, closed


D_FORM = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

# ---- member names: any case; unknown members refused by name ----------------
st, h, b = post_json("/v1/sessions", '{"Profile":"seed"}')
check(st == 201 and json.loads(b)["profile"] == "seed", '{"Profile":"seed"} makes a seed session')
check(b.endswith(b"}\n"), "a 201 body ends with a newline")
check(D_FORM.match(json.loads(b)["session_id"]) is not None, "session id in the D form")
st, h, b = post_json("/v1/sessions", '{"PROFILE":"hardened"}')
check(st == 201 and json.loads(b)["profile"] == "hardened", '{"PROFILE":"hardened"}')
st, h, b = post_json("/v1/sessions", '{"profile":"seed","Timeout":5}')
check(st == 400 and json.loads(b)["error"] == "unknown_field" and "Timeout" in json.loads(b)["message"],
      "an unknown member is a 400 naming it: %d %s" % (st, b))
check(b.endswith(b"}\n"), "an error body ends with a newline")
st, h, b = post_json("/v1/sessions", '{"profile":"seed","Profile":"hardened"}')
check(st == 400 and json.loads(b)["error"] == "bad_json", "two spellings of one member: %d %s" % (st, b))
# ---- a UTF-8 BOM before the JSON (RFC 8259 §8.1) -------------------------------
st, h, b = post_json("/v1/sessions", '{"profile":"seed"}', b"\xef\xbb\xbf")
check(st == 201, "a body starting with a UTF-8 BOM: %d %s" % (st, b))
st, h, b = request("GET", "/v1/health")
check(st == 200 and b.endswith(b"}\n"), "GET /v1/health ends with a newline")

# ---- a seed session: raw frames without a Content-Type; Guid forms -------------
p = peer_client.Peer(URL, "seed")
p.handshake()
path = "/v1/sessions/%s/messages" % p.sid
st, h, b = request("POST", path, p.seal(b"no content type"))
check(st == 200 and h.get("Content-Type") == "application/octet-stream"
      and p.open(b) == b"no content type", "a frame with no Content-Type is a raw frame: %d" % st)
g = uuid.UUID(p.sid)
forms = {"N": g.hex, "D upper": str(g).upper(), "B": "{%s}" % g, "P": "(%s)" % str(g).upper(),
         "B escaped": "%%7B%s%%7D" % g, "N upper": g.hex.upper()}
for name, sid in forms.items():
    st, h, b = request("POST", "/v1/sessions/%s/messages" % sid, p.seal(name.encode()))
    check(st == 200 and p.open(b) == name.encode(), "session id in form %s: %d %s" % (name, st, b[:80]))
st, h, b = request("POST", "/v1/sessions/{%s/messages" % g, p.seal(b"x"))
check(st == 404, "an unbalanced brace is no session: %d" % st)

# ---- a payload just over the limit: 413 before the application --------------------
for n, want in ((MAX_PAYLOAD, 200), (MAX_PAYLOAD + 1, 413), (MAX_PAYLOAD + 15, 413)):
    st, h, b = request("POST", path, p.seal(b"a" * n))
    check(st == want, "seed payload of %d octets: %d (want %d) %s" % (n, st, want, b[:100]))
    if want == 413:
        check(json.loads(b)["error"] == "payload_too_large", "payload_too_large")
st, h, b = request("DELETE", "/v1/sessions/%s" % g.hex)
check(st == 204, "DELETE by the N form: %d" % st)
st, h, b = request("DELETE", "/v1/sessions/%s" % g)
check(st == 404, "then the D form is gone: %d" % st)

hp = peer_client.Peer(URL, "hardened", PIN)
hp.handshake()
frame = hp.frame_with(b"b" * (MAX_PAYLOAD + 1), seq=0)
st, obj = hp.exchange_frame(frame)
check(st == 413 and obj.get("error") == "payload_too_large",
      "hardened payload of max+1: %d %s" % (st, obj))
hp.send_seq = 0  # the refused frame did not use up number 0
try:
    check(hp.send(b"after") == b"after", "hardened: number 0 still usable after the 413")
except SystemExit:
    check(False, "hardened: number 0 was used up by the refused frame")

# ---- 413 read to the end: urllib writes the whole body before reading ----------
req = urllib.request.Request(URL + "/v1/sessions", data=b"a" * (4 << 20),
                             headers={"Content-Type": "application/json"})
try:
    urllib.request.urlopen(req, timeout=20)
    check(False, "a 4 MiB body was accepted")
except urllib.error.HTTPError as e:
    check(e.code == 413 and json.loads(e.read())["error"] == "body_too_large", "urllib reads the 413")
except Exception as e:  # noqa: BLE001
    check(False, "urllib got no 413 but %r" % e)

# "Expect: 100-continue": the 413 comes before any body is sent (RFC 9110 §10.1.1)
out, closed = raw(b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 4194304\r\nExpect: 100-continue\r\n\r\n", wait=3.0)
check(out.startswith(b"HTTP/1.1 413 ") and b"100 Continue" not in out,
      "a 413 instead of 100 Continue: %r" % out[:40])

# ---- ambiguous lengths (RFC 9112 §6.3): 400 and close ---------------------------
body = b'{"profile":"seed"}'
head = b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
cases = {
    "two Content-Length": head + b"Content-Length: 18\r\nContent-Length: 5\r\n\r\n" + body,
    "two equal Content-Length": head + b"Content-Length: 18\r\nContent-Length: 18\r\n\r\n" + body,
    "Content-Length and chunked": head + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
    + b"12\r\n" + body + b"\r\n0\r\n\r\n",
}
for name, data in cases.items():
    out, closed = raw(data)
    check(out.startswith(b"HTTP/1.1 400 ") and b'"bad_request"' in out and closed,
          "%s: 400 and close: %r" % (name, out[:60]))

# ---- pipelining: two requests in one write, both answered in order ---------------
g1 = b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
g2 = b"GET /v1/identity HTTP/1.1\r\nHost: x\r\n\r\n"
out, closed = raw(g1 + g2, responses=2)
i1, i2 = out.find(b'"status":"ok"'), out.find(b'"fingerprint"')
check(out.count(b"HTTP/1.1 200 ") == 2 and 0 <= i1 < i2, "two pipelined GETs answered in order")
out, closed = raw(head + b"Content-Length: 18\r\n\r\n" + body + g1, responses=2)
check(out.count(b"HTTP/1.1 ") == 2 and out.find(b"201 Created") < out.find(b"200 OK"),
      "a pipelined POST then GET answered in order")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
