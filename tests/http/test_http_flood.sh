#!/usr/bin/env bash
# test_http_flood.sh: slowloris, bounded. One address (127.0.0.2) opens 150
# connections that trickle header bytes for 4 s against a server with 100
# slots, at most 16 per address and a 2 s header timeout; another address
# (127.0.0.1) must be answered all along, and a connection silent in its
# headers is closed after the header timeout (tests/http/flood.py).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"

srv_start --profiles seed --pool 1 --max-connections 100 --max-client-connections 16 \
  --header-timeout 2 --quiet || { t_fail "server start"; finish; exit 1; }
if /usr/bin/python3 "$(dirname "$0")/flood.py" "${SRV_URL##*:}" 16 2; then t_ok; else t_fail "flood.py"; fi
expect_status 200 GET /v1/health
# the options' bounds
expect_exit 2 "$KEXLAB" serve --max-connections 0
expect_exit 2 "$KEXLAB" serve --header-timeout 0
srv_stop
expect_eq 0 "$SRV_STATUS" "exit status after the flood"
finish
