#!/usr/bin/env bash
# test_deploy.sh: docs/deploy.md on loopback. Three `kexlab serve` nodes
# (--node 0, 1, 2, one identity key file) behind Debian's nginx, run as an
# unprivileged foreground process with its own prefix and configuration in
# a temporary folder; HTTPS at the edge with a self-signed certificate.
# The nginx configuration is the block after "<!-- deploy: nginx -->" in
# docs/deploy.md, with only its addresses and file paths rewritten for the
# test (ports, the certificate, the log): the routing, limits and error
# pages are the document's, verbatim. Then:
#   1. 30 clients x 100 messages, a rekey every 25, through nginx over HTTPS,
#      hardened then seed: 0 errors, every node served sessions, and each
#      node's /v1/metrics agree with what the clients counted on it
#      (sessions created and closed, frames accepted, rekeys); promtool
#      check metrics passes on every node (5.);
#      nginx's own answers are the API's JSON errors (404 unknown node, 413,
#      /v1/metrics closed at the edge).
#   2. SIGKILL one node mid-run: its clients (--reconnect) get a new session
#      on a survivor, each message in doubt is reported (never re-sent), no
#      session on another node sees an error, new sessions go to live nodes,
#      nginx's 502 is JSON.
#   3. Rolling restart, each node in turn: SIGTERM (draining: 503 with
#      Retry-After for new sessions), the clients' sessions finish, the node
#      exits 0 and comes back; no session lost, same fingerprint. A second
#      SIGTERM stops a draining node at once.
#   4. tests/http/peer_client.py (the seed .NET-style flow, and hardened)
#      works unchanged through nginx (it trusts the test's certificate via
#      SSL_CERT_FILE, as any OpenSSL-based client does).
# Figures for the report go to stdout. Under a sanitizer the counts are
# smaller. Traffic stays on 127.0.0.1.
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
LOAD=${1:?usage: test_deploy.sh DEPLOY_LOAD}
PY=/usr/bin/python3
DOC="$KL_SOURCE_ROOT/docs/deploy.md"
PEER="$KL_SOURCE_ROOT/tests/http/peer_client.py"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PROMTOOL=$(command -v promtool || echo /usr/bin/promtool)
if [ ! -x "$NGINX" ] || [ ! -x "$PROMTOOL" ]; then
  echo "SKIP: needs Debian's nginx and prometheus (promtool) packages"; exit 77
fi

CLIENTS=30 MESSAGES=100
if [ "${KL_SANITIZE:-none}" != none ]; then CLIENTS=10 MESSAGES=30; fi
T=$T_TMP
NODE_PID=() PORT=() NGINX_PID=""
cleanup() {
  for p in "${NODE_PID[@]}"; do kill -KILL "$p" 2>/dev/null; done
  # nginx's master takes its workers down on SIGTERM (SIGKILL would orphan
  # them, still holding the test's output open).
  if [ -n "$NGINX_PID" ] && kill -TERM "$NGINX_PID" 2>/dev/null; then
    for i in $(seq 1 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.05; done
  fi
  rm -rf "$T"
}
trap cleanup EXIT

free_port() {
  $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
json() { # FILE EXPR: a value of the JSON object in FILE (EXPR in Python, `j` the object)
  $PY -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
# metric N 'name{labels}': the value of that sample on node N (0 if absent).
metric() {
  curl -s --max-time 5 "http://127.0.0.1:${PORT[$1]}/v1/metrics" |
    awk -v k="$2" '$1 == k { v = $2 } END { print v == "" ? 0 : v }'
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# start_node N: `kexlab serve --node N` on PORT[N], the shared identity.
start_node() {
  local n=$1 i
  "$KEXLAB" serve --node "$n" --listen "127.0.0.1:${PORT[$n]}" --identity "$T/identity.pem" \
    --key-bits 1024 --pool 16 --max-sessions 4096 --drain-timeout 20 --quiet \
    >"$T/node$n.out" 2>>"$T/node$n.err" &
  NODE_PID[$n]=$!
  for i in $(seq 1 300); do
    curl -s -o /dev/null --max-time 2 "http://127.0.0.1:${PORT[$n]}/v1/health" && return 0
    kill -0 "${NODE_PID[$n]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "node $n did not start:" >&2; cat "$T/node$n.err" >&2; return 1
}
# stop_node N SIGNAL LIMIT: signal (0: none, the node is stopping already),
# wait up to LIMIT s; sets STOP_STATUS and STOP_SECONDS.
stop_node() {
  local n=$1 t0 i
  t0=$(date +%s.%N)
  kill -"$2" "${NODE_PID[$n]}"
  for i in $(seq 1 $(($3 * 20))); do
    kill -0 "${NODE_PID[$n]}" 2>/dev/null || break
    sleep 0.05
  done
  STOP_SECONDS=$(secs "$t0" "$(date +%s.%N)")
  if kill -0 "${NODE_PID[$n]}" 2>/dev/null; then
    kill -KILL "${NODE_PID[$n]}"; wait "${NODE_PID[$n]}" 2>/dev/null; STOP_STATUS=137; return
  fi
  wait "${NODE_PID[$n]}"; STOP_STATUS=$?
}
edge() { # METHOD PATH [curl args]: status; body in $T/body, headers in $T/headers
  local m=$1 p=$2; shift 2
  curl -g -s -o "$T/body" -D "$T/headers" -w '%{http_code}' --max-time 30 --cacert "$T/tls/fullchain.pem" \
    -X "$m" "$@" "$EDGE$p"
}

# ---- the identity, the certificate, three nodes ----------------------------
# One identity for every node (docs/deploy.md): made once, mode 0600.
"$KEXLAB" rsa keygen --bits 2048 --out "$T/identity.pem" >/dev/null 2>&1
expect_eq 600 "$(stat -c %a "$T/identity.pem")" "identity key file mode"
mkdir -p "$T/tls" "$T/nginx/logs" "$T/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext 'subjectAltName=IP:127.0.0.1,DNS:localhost' \
  -keyout "$T/tls/privkey.pem" -out "$T/tls/fullchain.pem" >/dev/null 2>&1
for n in 0 1 2; do PORT[$n]=$(free_port); done
EDGE_PORT=$(free_port)
EDGE="https://127.0.0.1:$EDGE_PORT"
for n in 0 1 2; do start_node "$n" || { t_fail "node $n start"; finish; exit 1; }; done
FP=$(sed -n 's|^identity sha256:\([0-9a-f]*\).*|\1|p' "$T/node0.out")
for n in 1 2; do
  expect_eq "$FP" "$(sed -n 's|^identity sha256:\([0-9a-f]*\).*|\1|p' "$T/node$n.out")" \
    "node $n: the same identity"
done

# ---- nginx, with docs/deploy.md's configuration ----------------------------
awk '$0 == "<!-- deploy: nginx -->" { want = 1; next }
     want && /^```/ { want = 0; inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$DOC" >"$T/kexlab.conf.doc"
expect_eq 1 "$(grep -c '^upstream kexlab_any' "$T/kexlab.conf.doc")" "deploy.md has the nginx block"
# Only addresses and paths change; each rewrite must find its text.
rewrite=(
  "listen 443 ssl;|listen 127.0.0.1:$EDGE_PORT ssl;|1"
  "127.0.0.1:8441;|127.0.0.1:${PORT[0]};|1"
  "127.0.0.1:8442;|127.0.0.1:${PORT[1]};|1"
  "127.0.0.1:8443;|127.0.0.1:${PORT[2]};|1"
  "127.0.0.1:8441 |127.0.0.1:${PORT[0]} |1"
  "127.0.0.1:8442 |127.0.0.1:${PORT[1]} |1"
  "127.0.0.1:8443 |127.0.0.1:${PORT[2]} |1"
  "/etc/kexlab/tls/|$T/tls/|2"
  "/var/log/nginx/|$T/nginx/logs/|1"
)
cp "$T/kexlab.conf.doc" "$T/nginx/kexlab.conf"
for r in "${rewrite[@]}"; do
  IFS='|' read -r from to count <<<"$r"
  expect_eq "$count" "$(grep -cF -- "$from" "$T/nginx/kexlab.conf")" "nginx block has '$from'"
  FROM=$from TO=$to $PY -c 'import os, sys
p = sys.argv[1]; s = open(p).read(); open(p, "w").write(s.replace(os.environ["FROM"], os.environ["TO"]))' \
    "$T/nginx/kexlab.conf"
done
# The process-level settings a packaged nginx.conf has, for a foreground
# nginx in a scratch prefix. As root, workers would switch to "nobody",
# who cannot enter the scratch folder: keep them as this user instead.
{
  [ "$(id -u)" -eq 0 ] && echo "user $(id -un) $(id -gn);"
  cat <<EOF
daemon off;
worker_processes 2;
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $T/nginx/tmp/body;
    proxy_temp_path $T/nginx/tmp/proxy;
    fastcgi_temp_path $T/nginx/tmp/fastcgi;
    uwsgi_temp_path $T/nginx/tmp/uwsgi;
    scgi_temp_path $T/nginx/tmp/scgi;
    include $T/nginx/kexlab.conf;
}
EOF
} >"$T/nginx/nginx.conf"
if "$NGINX" -t -q -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/logs/error.log" \
    2>"$T/nginx-t.err"; then t_ok; else t_fail "nginx -t"; cat "$T/nginx-t.err" >&2; finish; exit 1; fi
"$NGINX" -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/logs/error.log" \
  >"$T/nginx.out" 2>"$T/nginx.err" &
NGINX_PID=$!
for i in $(seq 1 100); do
  [ "$(edge GET /v1/health)" = 200 ] && break
  sleep 0.1
done
expect_eq 200 "$(edge GET /v1/health)" "nginx up over HTTPS"
expect_eq "$FP" "$(edge GET /v1/identity >/dev/null; json "$T/body" 'j["fingerprint"]')" \
  "fingerprint through nginx"

# nginx's own answers in the API's JSON shape.
expect_eq 404 "$(edge POST /v1/sessions/7f0b3c1e-2d4a-4f6b-8c9d-0e1f2a3b4c5d/messages \
  -H 'Content-Type: application/json' -d '{"frame":"AAAA"}')" "an id naming no node"
cp "$T/body" "$T/edge404"
curl -s -o "$T/node404" -H 'Content-Type: application/json' -d '{"frame":"AAAA"}' \
  "http://127.0.0.1:${PORT[0]}/v1/sessions/7f0b3c1e-2d4a-4f6b-8c9d-0e1f2a3b4c5d/messages"
expect_eq "$(od -An -tx1 <"$T/node404")" "$(od -An -tx1 <"$T/edge404")" \
  "nginx's 404 is the nodes' body, byte for byte"
head -c 1100000 /dev/zero | tr '\0' a >"$T/big"
expect_eq 413 "$(edge POST /v1/sessions/00000000-0000-4000-8000-000000000000/messages \
  -H 'Content-Type: application/json' --data-binary @"$T/big")" "body over the nodes' limit"
expect_eq body_too_large "$(json "$T/body" 'j["error"]')" "nginx's 413 is JSON"
expect_eq 404 "$(edge GET /v1/metrics)" "metrics are not served at the edge"

# ---- 1. 30 clients x 100 messages, both profiles, and the metrics -----------
t_phase=$(date +%s.%N)
for profile in hardened seed; do
  "$LOAD" --url "$EDGE" --cacert "$T/tls/fullchain.pem" --pin "$FP" --profile "$profile" \
    --clients "$CLIENTS" --messages "$MESSAGES" --rekey-every 25 >"$T/p1-$profile.json"
  echo "1. $profile: $(cat "$T/p1-$profile.json")"
  expect_eq 0 "$(json "$T/p1-$profile.json" 'j["errors"]')" "1. $profile: errors"
  expect_eq $((CLIENTS * MESSAGES)) "$(json "$T/p1-$profile.json" 'j["ok"]')" "1. $profile: echoes"
  for n in 0 1 2; do
    expect_eq True "$(json "$T/p1-$profile.json" "j['nodes'].get('$n', {}).get('sessions', 0) > 0")" \
      "1. $profile: node $n served sessions"
  done
done
P1_SECONDS=$(secs "$t_phase" "$(date +%s.%N)")
# 5. Every node's metrics: promtool, and the clients' counts node by node.
for n in 0 1 2; do
  curl -s "http://127.0.0.1:${PORT[$n]}/v1/metrics" >"$T/metrics$n.txt"
  if "$PROMTOOL" check metrics <"$T/metrics$n.txt" >"$T/promtool$n.out" 2>&1; then t_ok; else
    t_fail "promtool check metrics, node $n"; head -5 "$T/promtool$n.out" >&2; fi
  expect_eq 0 "$(grep -c -E '[0-9a-f]{8}-[0-9a-f]{4}-' "$T/metrics$n.txt")" "no session id in node $n's metrics"
  want() { # the clients' count of FIELD on node n, both profiles
    echo $(($(json "$T/p1-hardened.json" "j['nodes']['$n']['$1']") + $(json "$T/p1-seed.json" "j['nodes']['$n']['$1']")))
  }
  expect_eq "$(want messages)" "$(metric "$n" kexlab_frames_accepted_total)" "node $n: frames accepted"
  expect_eq "$(want sessions)" "$(metric "$n" kexlab_sessions_created_total)" "node $n: sessions created"
  expect_eq "$(want sessions)" "$(metric "$n" 'kexlab_sessions_closed_total{reason="client"}')" \
    "node $n: sessions closed"
  expect_eq "$(want rekeys)" "$(metric "$n" 'kexlab_http_requests_total{route="rekey",code="204"}')" \
    "node $n: rekeys"
  expect_eq "$(metric "$n" kexlab_frames_accepted_total)" \
    "$(metric "$n" 'kexlab_http_requests_total{route="messages",code="200"}')" "node $n: frames = 200s"
  expect_eq "$n" "$(metric "$n" kexlab_node)" "node $n: kexlab_node"
done
REQ=0
for n in 0 1 2; do
  REQ=$((REQ + $(awk '/^kexlab_http_requests_total/ { s += $2 } END { print s + 0 }' "$T/metrics$n.txt")))
done
echo "1. figures: $((2 * CLIENTS)) sessions, $((2 * CLIENTS * MESSAGES)) messages, $REQ requests on the nodes, ${P1_SECONDS} s"

# ---- 2. SIGKILL one node mid-run --------------------------------------------
"$LOAD" --url "$EDGE" --cacert "$T/tls/fullchain.pem" --pin "$FP" --profile hardened \
  --clients 12 --messages 40 --rekey-every 10 --pause-ms 25 --reconnect >"$T/p2.json" &
load=$!
sleep 0.6
kill -KILL "${NODE_PID[2]}"; wait "${NODE_PID[2]}" 2>/dev/null
wait "$load"
echo "2. SIGKILL node 2: $(cat "$T/p2.json")"
expect_eq 0 "$(json "$T/p2.json" 'j["errors"]')" "2. no error but the messages in doubt"
expect_eq 480 "$(json "$T/p2.json" 'j["ok"] + j["unknown"]')" "2. every message echoed or reported in doubt"
expect_eq True "$(json "$T/p2.json" "j['nodes'].get('2', {}).get('lost', 0) >= 1")" "2. node 2's sessions lost"
expect_eq "$(json "$T/p2.json" "j['nodes']['2']['lost']")" "$(json "$T/p2.json" 'j["reconnects"]')" \
  "2. each lost session re-established once"
expect_eq True "$(json "$T/p2.json" 'j["unknown"] <= j["reconnects"]')" "2. at most one message in doubt per loss"
expect_eq 0 "$(json "$T/p2.json" "j['nodes'].get('0', {}).get('lost', 0) + j['nodes'].get('1', {}).get('lost', 0)")" \
  "2. no session on another node lost"
expect_eq 0 "$(json "$T/p2.json" 'j["new_after_loss_on_lost_node"]')" "2. no new session on the dead node"
"$LOAD" --url "$EDGE" --cacert "$T/tls/fullchain.pem" --pin "$FP" --profile hardened \
  --clients 6 --messages 2 >"$T/p2b.json"
expect_eq "0 False" "$(json "$T/p2b.json" '" ".join(map(str, (j["errors"], "2" in j["nodes"])))')" "2. new sessions only on live nodes"
expect_eq 502 "$(edge POST /v1/sessions/02000000-0000-4000-8000-000000000000/messages \
  -H 'Content-Type: application/json' -d '{"frame":"AAAA"}')" "2. a dead node's session: 502"
expect_eq bad_gateway "$(json "$T/body" 'j["error"]')" "2. nginx's 502 is JSON"
expect_eq 1 "$(grep -ci '^content-type: application/json' "$T/headers")" "2. 502 as application/json"
# kexlab client --interactive reconnects by default and says so: its
# session closed behind its back (404), the next line is sent again on a
# new session, since it surely was not delivered.
mkfifo "$T/in"
"$KEXLAB" client --url "$EDGE" --cacert "$T/tls/fullchain.pem" --pin "$FP" --interactive --verbose \
  <"$T/in" >"$T/ic.out" 2>"$T/ic.err" &
cl=$!
exec 7>"$T/in"
echo one >&7
for i in $(seq 1 100); do grep -q '^one$' "$T/ic.out" && break; sleep 0.05; done
sid=$(sed -n 's/^kexlab client: session \([0-9a-f-]*\) .*/\1/p' "$T/ic.err")
expect_eq 204 "$(edge DELETE "/v1/sessions/$sid")" "2. the interactive client's session closed"
echo two >&7
exec 7>&-
wait "$cl"
expect_eq "0 one two" "$? $(tr '\n' ' ' <"$T/ic.out" | sed 's/ $//')" "2. kexlab client --interactive goes on"
expect_eq 1 "$(grep -c 'message 2 was not delivered and was sent on a new session' "$T/ic.err")" \
  "2. kexlab client says it made a new session"
P2_RECONNECTS=$(json "$T/p2.json" 'j["reconnects"]') P2_UNKNOWN=$(json "$T/p2.json" 'j["unknown"]')
start_node 2 || t_fail "node 2 restart"

# ---- 3. rolling restart -----------------------------------------------------
DRAIN=""
for n in 0 1 2; do
  "$LOAD" --url "$EDGE" --cacert "$T/tls/fullchain.pem" --profile seed \
    --clients 9 --messages 20 --pause-ms 100 >"$T/p3-$n.json" &
  load=$!
  sleep 0.7
  kill -TERM "${NODE_PID[$n]}"
  sleep 0.2
  expect_eq 503 "$(curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"profile":"seed"}' "http://127.0.0.1:${PORT[$n]}/v1/sessions")" "3. node $n draining: 503 for a new session"
  expect_eq 1 "$(grep -ci '^retry-after:' "$T/headers")" "3. node $n draining: Retry-After"
  stop_node "$n" 0 25
  expect_eq 0 "$STOP_STATUS" "3. node $n exit status after draining"
  expect_eq 1 "$(grep -c 'drained after .* (no session left' "$T/node$n.err")" "3. node $n drained its sessions"
  DRAIN="$DRAIN node$n=$(awk -v s="$STOP_SECONDS" 'BEGIN { printf "%.2f", s + 0.2 }')s"
  start_node "$n" || t_fail "node $n restart"
  wait "$load"
  echo "3. rolling restart of node $n: $(cat "$T/p3-$n.json")"
  expect_eq "0 180 0" "$(json "$T/p3-$n.json" '" ".join(map(str, (j["errors"], j["ok"], j["reconnects"])))')" \
    "3. node $n restarted: no error, no session lost"
  expect_eq "$FP" "$(edge GET /v1/identity >/dev/null; json "$T/body" 'j["fingerprint"]')" \
    "3. fingerprint after node $n's restart"
done
echo "3. drain times (SIGTERM to exit):$DRAIN"
# A second SIGTERM stops a draining node at once, still wiping.
"$LOAD" --url "http://127.0.0.1:${PORT[0]}" --profile seed --clients 2 --messages 50 --pause-ms 100 \
  >"$T/p3b.json" &
load=$!
sleep 0.5
kill -TERM "${NODE_PID[0]}"
sleep 0.3
stop_node 0 TERM 5
wait "$load"
expect_eq 0 "$STOP_STATUS" "3. second SIGTERM: exit status"
expect_eq True "$(awk -v s="$STOP_SECONDS" 'BEGIN { print (s < 2) ? "True" : "False" }')" "3. second SIGTERM stops at once"
expect_eq 1 "$(grep -c 'second SIGTERM' "$T/node0.err")" "3. second SIGTERM reported"
expect_eq True "$(grep -q 'every session key wiped' "$T/node0.err" && echo True)" "3. keys wiped"
start_node 0 || t_fail "node 0 restart"

# Every Guid form routes by its first two hex digits: close sessions named
# in the B, P and N forms, upper case.
for form in B P N; do
  expect_eq 201 "$(edge POST /v1/sessions -H 'Content-Type: application/json' -d '{"profile":"seed"}')" \
    "a session to close in the $form form"
  id=$(json "$T/body" 'j["session_id"]' | tr a-f A-F)
  case $form in B) id="{$id}" ;; P) id="($id)" ;; N) id=$(echo "$id" | tr -d -) ;; esac
  expect_eq 204 "$(edge DELETE "/v1/sessions/$id")" "DELETE through nginx, $form form, upper case"
done

# ---- 4. the independent peer through nginx, unchanged -----------------------
for args in "--profile seed --messages 5 --rekey-every 2" "--profile seed --raw --messages 3" \
    "--profile hardened --pin $FP --messages 5 --rekey-every 2"; do
  # shellcheck disable=SC2086
  if SSL_CERT_FILE="$T/tls/fullchain.pem" $PY "$PEER" "$EDGE" $args >"$T/peer.out" 2>&1; then t_ok; else
    t_fail "4. peer_client.py $args through nginx"; tail -5 "$T/peer.out" >&2; fi
done
# 5. again at the end, after restarts and kills: the text stays valid.
for n in 0 1 2; do
  curl -s "http://127.0.0.1:${PORT[$n]}/v1/metrics" | "$PROMTOOL" check metrics >/dev/null 2>&1 &&
    t_ok || t_fail "5. promtool on node $n at the end"
done
echo "figures: phase 1 $REQ requests, 0 errors; SIGKILL: $P2_RECONNECTS sessions re-established, $P2_UNKNOWN messages reported in doubt; drain:$DRAIN"
kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID"
NGINX_PID=""
# SIGINT stops a node at once, wiping, with sessions or without.
for n in 0 1 2; do
  stop_node "$n" INT 5
  expect_eq 0 "$STOP_STATUS" "node $n: exit status after SIGINT"
done
NODE_PID=()
finish
