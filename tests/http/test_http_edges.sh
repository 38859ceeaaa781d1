#!/usr/bin/env bash
# test_http_edges.sh: the API's edges (docs/rest-api.md) with one real server:
# member names in any case and unknown ones refused, a UTF-8 BOM, raw frames
# without a Content-Type, session ids in .NET's Guid forms, JSON responses
# ending with a newline, a payload just over the limit (413 before the
# application, the sequence number kept), the 413 read to the end for
# clients that write first, ambiguous lengths, pipelined requests
# (tests/http/edges.py), and the same seen through curl.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"

srv_start --pool 2 || { t_fail "server start"; finish; exit 1; }
if /usr/bin/python3 "$(dirname "$0")/edges.py" "$SRV_URL" "$SRV_FP" >"$T_TMP/edges" 2>&1; then t_ok; else
  t_fail "edges.py"; fi
cat "$T_TMP/edges"
# curl: what a shell user sees
expect_status 201 POST /v1/sessions -H 'Content-Type: application/json' -d '{"Profile":"seed"}'
expect_eq seed "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["profile"])' "$T_TMP/body")" "curl: Profile"
expect_eq 1 "$(tail -c 1 "$T_TMP/body" | od -An -c | grep -c '\\n')" "curl: the body ends with a newline"
expect_status 400 POST /v1/sessions -H 'Content-Type: application/json' -d '{"profile":"seed","profiel":"x"}'
expect_error_code unknown_field
srv_stop
expect_eq 0 "$SRV_STATUS" "exit status after SIGTERM"
finish
