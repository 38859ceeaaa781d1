#!/usr/bin/python3
"""flood.py PORT PER_CLIENT HEADER_TIMEOUT: a bounded slowloris on loopback.
From 127.0.0.2, FLOOD connections each send the start of a request and then
trickle one header byte every 0.5 s, for SECONDS. Meanwhile 127.0.0.1 asks
GET /v1/health every 0.2 s (2 s timeout each): every one must be answered.
Then: the server held at most PER_CLIENT of the flood's connections (the
rest were closed at once), and a connection from 127.0.0.3 that goes silent
in the middle of its headers is closed after about HEADER_TIMEOUT seconds.
Prints what it saw; exits 1 on a failed check."""
import http.client
import socket
import sys
import threading
import time

PORT, PER_CLIENT, HEADER_TIMEOUT = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
FLOOD, SECONDS = 150, 4.0
fails = []


def connect_from(src):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(2)
    s.connect(("127.0.0.1", PORT))
    return s


def is_open(s):
    """Still open: no EOF or reset waiting (the server sends nothing here)."""
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        s.settimeout(2)


# The silent one: closed by the header timeout, not by the idle timeout.
silent = connect_from("127.0.0.3")
silent.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
silent_t0 = time.monotonic()

flood = []
for i in range(FLOOD):
    try:
        s = connect_from("127.0.0.2")
        s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        flood.append(s)
    except OSError:
        pass

stop = threading.Event()


def trickle():
    while not stop.wait(0.5):
        for s in flood:
            try:
                s.send(b"a")
            except OSError:
                pass


t = threading.Thread(target=trickle)
t.start()
asked = answered = 0
worst = 0.0
end = time.monotonic() + SECONDS
while time.monotonic() < end:
    asked += 1
    t0 = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
        c.request("GET", "/v1/health")
        if c.getresponse().status == 200:
            answered += 1
        c.close()
    except OSError:
        pass
    worst = max(worst, time.monotonic() - t0)
    time.sleep(0.2)
held = sum(1 for s in flood if is_open(s))
stop.set()
t.join()
print("flood: %d connections from 127.0.0.2, %d held by the server; other client: %d/%d "
      "answered, slowest %.3f s" % (len(flood), held, answered, asked, worst))
if answered != asked or asked < 5:
    fails.append("the other client was not always answered")
if held > PER_CLIENT:
    fails.append("the server held %d > %d connections of one address" % (held, PER_CLIENT))
# the silent connection: closed within the header timeout (+ slack)
silent.settimeout(HEADER_TIMEOUT + 3)
try:
    closed = silent.recv(1) == b""
except socket.timeout:
    closed = False
except OSError:
    closed = True
waited = time.monotonic() - silent_t0
print("silent connection: %s after %.1f s" % ("closed" if closed else "still open", waited))
if not closed or waited > HEADER_TIMEOUT + 3:
    fails.append("a connection silent in its headers was not closed in time")
for s in flood + [silent]:
    s.close()
for f in fails:
    print("FAIL: " + f, file=sys.stderr)
sys.exit(1 if fails else 0)
