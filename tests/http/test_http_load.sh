#!/usr/bin/env bash
# test_http_load.sh: the bounded load test. One `kexlab serve` (hardened,
# 1024-bit session keys: the hardened profile allows them, and a warm pool of
# 64 is made in seconds), 50 concurrent clients x 200 messages each with a
# rekey every 50 (kexlab bench http --url: the same load generator the
# benchmark uses). Must: finish (the generator's own deadline is 150 s, and
# `timeout` kills it at 170 s), zero errors, server peak RSS (VmHWM) under
# 256 MiB; then the server still answers and exits 0 on SIGTERM.
# Figures are printed for the report.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"

srv_start --profiles hardened --key-bits 1024 --pool 64 --threads 4 --max-sessions 4096 --quiet \
  || { t_fail "server start"; finish; exit 1; }
for i in $(seq 600); do curl -s "$SRV_URL/v1/health" | grep -q '"ready":64' && break; sleep 0.1; done
t0=$(date +%s)
timeout 170 "$KEXLAB" bench http --url "$SRV_URL" --pin "$SRV_FP" --clients 50 --sessions 1 \
  --messages 200 --rekey-every 50 --no-tls --json >"$T_TMP/load.json" 2>"$T_TMP/load.err"
rc=$?
t1=$(date +%s)
expect_eq 0 "$rc" "load generator exit status"
cat "$T_TMP/load.json" "$T_TMP/load.err"
get() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T_TMP/load.json" "$1" 2>/dev/null; }
expect_eq 0 "$(get errors)" "errors under load"
expect_eq 10000 "$(get messages)" "messages under load"
expect_eq 50 "$(get handshakes)" "handshakes under load"
expect_eq 150 "$(get rekeys)" "rekeys under load"
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SRV_PID/status")
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SRV_PID/status")
echo "load: 50 clients x 200 messages, $((t1 - t0)) s wall, server VmHWM ${hwm} kB, VmRSS ${rss} kB"
if [ -n "$hwm" ] && [ "$hwm" -lt 262144 ]; then t_ok; else t_fail "server peak RSS ${hwm} kB"; fi
expect_status 200 GET /v1/health
srv_stop 10
expect_eq 0 "$SRV_STATUS" "exit status after the load"
finish
