#!/usr/bin/env bash
# test_http_client.sh: full handshakes, messages and rekeys through real HTTP
# for both profiles, with `kexlab client` and with the independent Python peer
# (tests/http/peer_client.py); the client's clear errors (refused, timeout,
# pin mismatch, HTTP error, bad reply frame); limits (429, 503); the identity
# key kept across restarts with mode 0600; shutdown with sessions open.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"
PEER="$(dirname "$0")/peer_client.py"
PY=/usr/bin/python3

srv_start --pool 2 || { t_fail "server start"; finish; exit 1; }
URL=$SRV_URL FP=$SRV_FP DATA="$SRV_DIR/data"

# ---- kexlab client, both profiles ------------------------------------------
expect_out_match '^noted 1$' "$KEXLAB" client --url "$URL" --pin "$FP" --send hello --send '/note n1' --rekey-every 1
"$KEXLAB" client --url "$URL" --pin "$FP" --rekey-every 2 --verbose --send a --send b --send c --send d --send e >"$T_TMP/o" 2>"$T_TMP/e"
expect_eq "a b c d e" "$(tr '\n' ' ' <"$T_TMP/o" | sed 's/ $//')" "hardened: 5 echoes across 2 rekeys"
expect_eq 2 "$(grep -c '^kexlab client: rekeyed' "$T_TMP/e")" "hardened: --rekey-every 2 rekeyed twice in 5 messages"
"$KEXLAB" client --url "$URL" --profile seed --rekey-every 2 --send x --send y --send z >"$T_TMP/o" 2>"$T_TMP/e"
expect_eq "x y z" "$(tr '\n' ' ' <"$T_TMP/o" | sed 's/ $//')" "seed (JSON): echoes across a rekey"
"$KEXLAB" client --url "$URL" --profile seed --raw --rekey-every 1 --send r1 --send r2 >"$T_TMP/o" 2>"$T_TMP/e"
expect_eq "r1 r2" "$(tr '\n' ' ' <"$T_TMP/o" | sed 's/ $//')" "seed (raw octet-stream)"
printf 'line one\n/note kept\n/notes\n' | "$KEXLAB" client --url "$URL" --pin "$FP" --interactive >"$T_TMP/o" 2>"$T_TMP/e"
expect_eq "line one|noted 1|kept|" "$(tr '\n' '|' <"$T_TMP/o" | sed 's/|$//')" "interactive, note store"
curl -s "$URL/v1/identity" | $PY -c 'import json,sys; print(json.load(sys.stdin)["public_key_pem"], end="")' >"$T_TMP/id.pem"
expect_out_match '^by key file$' "$KEXLAB" client --url "$URL" --identity "$T_TMP/id.pem" --send 'by key file'

# ---- the independent peer ---------------------------------------------------
expect_out_match '^hardened: 40 messages, 3 rekeys, notes ok' $PY "$PEER" "$URL" --profile hardened --pin "$FP" --messages 40 --rekey-every 10
expect_out_match '^seed: 40 messages, 3 rekeys, notes ok' $PY "$PEER" "$URL" --profile seed --messages 40 --rekey-every 10
expect_out_match '^seed: 5 messages' $PY "$PEER" "$URL" --profile seed --messages 5 --raw
expect_out_match '^tampered frame rejected: decrypt_failed$' $PY "$PEER" "$URL" --profile hardened --pin "$FP" --messages 3 --tamper
# every hardened decryption/authentication failure (tag, replay, reordering,
# direction, version, session, padding, lengths, OAEP, rekey auth): one
# status, one content type, one body byte for byte; the session survives
expect_out_match '^error bodies: 23 causes, one body$' $PY "$PEER" "$URL" --profile hardened --pin "$FP" --error-bodies
expect_exit 1 $PY "$PEER" "$URL" --profile hardened --pin "$(printf '0%.0s' $(seq 64))"

# ---- clear client errors ----------------------------------------------------
expect_err_match 'pin mismatch' "$KEXLAB" client --url "$URL" --pin "$(printf 'ab%.0s' $(seq 32))" --send x
expect_exit 1 "$KEXLAB" client --url "$URL" --pin "$(printf 'ab%.0s' $(seq 32))" --send x
expect_exit 2 "$KEXLAB" client --url "$URL" --send x                 # hardened needs a pin
expect_exit 2 "$KEXLAB" client --url "$URL" --pin 1234 --send x      # a short pin
expect_exit 2 "$KEXLAB" client --url ftp://x --profile seed
expect_exit 0 "$KEXLAB" client --help
# a server that accepts and never answers: timeout
$PY -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8); print(s.getsockname()[1], flush=True)
c=[]
while True: c.append(s.accept()[0])' >"$T_TMP/hang.port" &
HANG=$!; SRV_PIDS+=("$HANG")
for i in $(seq 50); do [ -s "$T_TMP/hang.port" ] && break; sleep 0.1; done
expect_err_match 'timeout' "$KEXLAB" client --url "http://127.0.0.1:$(cat "$T_TMP/hang.port")" --profile seed --timeout 500 --send x
kill "$HANG"
# a MITM that flips a bit in each reply frame: bad reply frame
$PY - "$URL" >"$T_TMP/mitm.port" <<'EOF' &
import base64, http.server, json, sys, urllib.request, urllib.error
up = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ct = self.headers.get("Content-Type")
        req = urllib.request.Request(up + self.path, data=body or None, method=self.command,
                                     headers={"Content-Type": ct} if ct else {})
        try:
            r = urllib.request.urlopen(req); status, data, ct = r.status, r.read(), r.headers.get("Content-Type")
        except urllib.error.HTTPError as e:
            status, data, ct = e.code, e.read(), e.headers.get("Content-Type")
        if self.path.endswith("/messages") and status == 200:
            o = json.loads(data); f = bytearray(base64.b64decode(o["frame"])); f[-33] ^= 1
            o["frame"] = base64.b64encode(bytes(f)).decode(); data = json.dumps(o).encode()
        self.send_response(status)
        if ct: self.send_header("Content-Type", ct)
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
    do_DELETE = do_POST
s = http.server.HTTPServer(("127.0.0.1", 0), H); print(s.server_address[1], flush=True); s.serve_forever()
EOF
MITM=$!; SRV_PIDS+=("$MITM")
for i in $(seq 50); do [ -s "$T_TMP/mitm.port" ] && break; sleep 0.1; done
expect_err_match 'bad reply frame' "$KEXLAB" client --url "http://127.0.0.1:$(cat "$T_TMP/mitm.port")" --pin "$FP" --send x
kill "$MITM"
# a hostile server whose error message carries terminal control sequences:
# the client's one-line error shows them as '?', never raw
$PY - >"$T_TMP/evil.port" <<'EOF' &
import http.server, json
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        data = json.dumps({"error": "bad\u001b[2J", "message": "owned\u001b]0;x\u0007\r\n"}).encode()
        self.send_response(400); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data))); self.end_headers(); self.wfile.write(data)
s = http.server.HTTPServer(("127.0.0.1", 0), H); print(s.server_address[1], flush=True); s.serve_forever()
EOF
EVIL=$!; SRV_PIDS+=("$EVIL")
for i in $(seq 50); do [ -s "$T_TMP/evil.port" ] && break; sleep 0.1; done
expect_exit 1 "$KEXLAB" client --url "http://127.0.0.1:$(cat "$T_TMP/evil.port")" --profile seed --send x
expect_err_match 'HTTP 400 bad\?\[2J: owned\?\]0;x\?\?\?' "$KEXLAB" client --url "http://127.0.0.1:$(cat "$T_TMP/evil.port")" --profile seed --send x
expect_eq 0 "$(tr -d '\n' <"$T_TMP/err" | LC_ALL=C grep -c $'[\x01-\x1f]')" "control characters on the client's stderr"
kill "$EVIL"

# ---- shutdown with sessions open, then a restart keeps the identity ----------
curl -s -H 'Content-Type: application/json' -d '{"profile":"seed"}' "$URL/v1/sessions" >/dev/null
curl -s -H 'Content-Type: application/json' -d '{"profile":"hardened"}' "$URL/v1/sessions" >/dev/null
srv_stop 5
expect_eq 0 "$SRV_STATUS" "exit status after SIGTERM with sessions open"
expect_out_match '^ok$' awk -v s="$SRV_STOP_SECONDS" 'BEGIN { print (s < 5) ? "ok" : "slow " s }'
expect_out_match 'every session key wiped' cat "$SRV_LOG"
expect_err_match 'connection refused' "$KEXLAB" client --url "$URL" --profile seed --send x
expect_eq 600 "$(stat -c %a "$DATA/identity.pem")" "identity key file mode"
# restart on the same data directory: same identity
"$KEXLAB" serve --listen 127.0.0.1:0 --data-dir "$DATA" --profiles hardened --pool 1 >"$T_TMP/s2.out" 2>"$T_TMP/s2.err" &
SRV_PID=$!; SRV_PIDS+=("$SRV_PID")
for i in $(seq 100); do grep -qs listening "$T_TMP/s2.out" && break; sleep 0.1; done
expect_eq "$FP" "$(sed -n 's|^identity sha256:\([0-9a-f]*\).*|\1|p' "$T_TMP/s2.out")" "identity reused on restart"
SRV_URL=$(sed -n 's|^listening on ||p' "$T_TMP/s2.out")
expect_status 400 POST /v1/sessions -H 'Content-Type: application/json' -d '{"profile":"seed"}'  # not offered
expect_error_code bad_value
expect_err_match 'HTTP error: .*400 bad_value' "$KEXLAB" client --url "$SRV_URL" --profile seed --send x
srv_stop 5 INT
expect_eq 0 "$SRV_STATUS" "second server exit status after SIGINT"
expect_out_match 'SIGINT: stopping' cat "$T_TMP/s2.err"

# ---- limits: 429 (session requests, creation rate) and 503 (cap) --------------
srv_start --profiles seed --pool 4 --max-requests 3 --rate-limit 1 --max-sessions 3 --no-evict \
  || { t_fail "limits server start"; finish; exit 1; }
for i in $(seq 100); do curl -s "$SRV_URL/v1/health" | grep -q '"ready":4' && break; sleep 0.1; done
J=(-H 'Content-Type: application/json')
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
SID=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["session_id"])' "$T_TMP/body")
for i in 1 2 3; do http POST "/v1/sessions/$SID/key" "${J[@]}" -d '{"encrypted_key":"AAAA"}' >/dev/null; done
expect_status 429 POST "/v1/sessions/$SID/key" "${J[@]}" -d '{"encrypted_key":"AAAA"}'
expect_error_code session_request_limit
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
expect_status 503 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
expect_error_code session_cap
codes=""
for i in $(seq 12); do codes="$codes $(http POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}')"; done
case "$codes" in *429*) t_ok ;; *) t_fail "no 429 from the creation rate limit: $codes" ;; esac
expect_status 200 GET /v1/health
srv_stop 5
expect_eq 0 "$SRV_STATUS" "limits server exit status"

# ---- 503 overloaded: the pool is empty and key generation is busy ------------
expect_exit 2 "$KEXLAB" serve --max-keygen 257
expect_exit 2 "$KEXLAB" serve --max-keygen two
expect_err_match 'max-keygen' "$KEXLAB" serve --max-keygen -1
# --max-keygen 0: a dry pool never generates on the request path.
srv_start --profiles hardened --pool 0 --max-keygen 0 || { t_fail "overload server start"; finish; exit 1; }
expect_status 503 POST /v1/sessions "${J[@]}" -d '{"profile":"hardened"}'
expect_error_code overloaded
ra=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' -d '{"profile":"hardened"}' \
  "$SRV_URL/v1/sessions" | tr -d '\r' | sed -n 's/^Retry-After: //Ip')
expect_eq 1 "$ra" "Retry-After of a 503 overloaded"
expect_status 200 GET /v1/health
srv_stop 5
expect_eq 0 "$SRV_STATUS" "overload server exit status"
# --max-keygen 1, slow keys: of 10 creations at once, one generates its key
# (3072 bits: hundreds of ms) and those arriving meanwhile get 503 at once.
srv_start --profiles hardened --pool 0 --max-keygen 1 --key-bits 3072 --threads 12 \
  || { t_fail "overload server start"; finish; exit 1; }
CURLS=()
for i in $(seq 10); do
  curl -s -o "$T_TMP/ov$i" -w '%{http_code}\n' --max-time 120 -H 'Content-Type: application/json' \
    -d '{"profile":"hardened"}' "$SRV_URL/v1/sessions" >"$T_TMP/ov$i.code" &
  CURLS+=($!)
done
wait "${CURLS[@]}"   # the curls only (a bare wait would wait for the server too)
codes=$(cat "$T_TMP"/ov*.code | tr '\n' ' ')
n201=$(cat "$T_TMP"/ov*.code | grep -c '^201$')
n503=$(cat "$T_TMP"/ov*.code | grep -c '^503$')
if [ "$n201" -ge 1 ] && [ "$n503" -ge 1 ] && [ $((n201 + n503)) -eq 10 ]; then t_ok; else
  t_fail "10 creations on a dry pool with one key generation allowed: $codes"; fi
ov=$(grep -l overloaded "$T_TMP"/ov? "$T_TMP"/ov?? 2>/dev/null | wc -l)
expect_eq "$n503" "$ov" "every 503 is overloaded"
expect_status 200 GET /v1/health
srv_stop 5
expect_eq 0 "$SRV_STATUS" "overload server exit status"
finish
