#!/usr/bin/env bash
# test_lab_api.sh: `kexlab serve --lab` with curl: the loopback rule, the
# page's files and their Content-Security-Policy, the lab endpoints' answers
# (the same bytes as `kexlab lab-trace`), their errors and their own rate
# limit, which leaves the API alone; without --lab none of it exists.
# The values checked are Wikipedia's 3233 example and FIPS 197 C.1.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"
J=(-H 'Content-Type: application/json')
field() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T_TMP/body" "$1"; }
AES='{"key":"000102030405060708090a0b0c0d0e0f","block":"00112233445566778899aabbccddeeff","iv":"000102030405060708090a0b0c0d0e0f","cbc":""}'

# ---- the loopback rule and the options ----
expect_exit 2 "$KEXLAB" serve --lab --listen 0.0.0.0:0 --data-dir "$T_TMP/d0"
expect_err_match 'loopback only' "$KEXLAB" serve --lab --listen 0.0.0.0:0 --data-dir "$T_TMP/d0"
expect_exit 2 "$KEXLAB" serve --lab-public --listen 127.0.0.1:0 --data-dir "$T_TMP/d0"
expect_exit 2 "$KEXLAB" serve --lab --lab-dir "$T_TMP/nowhere" --listen 127.0.0.1:0 --data-dir "$T_TMP/d0"

# ---- without --lab: no page, no endpoints ----
srv_start --pool 1 --profiles seed || { t_fail "server start"; finish; exit 1; }
expect_status 404 GET /lab/
expect_status 404 POST /v1/lab/trace/rsa "${J[@]}" -d '{"p":"61","q":"53","e":"17","m":"65"}'
srv_stop

# ---- with --lab ----
srv_start --pool 1 --profiles seed --lab --lab-rate 6 || { t_fail "server start"; finish; exit 1; }
expect_out_match '^lab page: http://127\.0\.0\.1:[0-9]+/lab/$' grep '^lab page' "$SRV_DIR/stdout"
curl -s -D "$T_TMP/headers" -o "$T_TMP/body" "$SRV_URL/lab/"
expect_out_match "^Content-Security-Policy: default-src 'none'; script-src 'self'; " cat "$T_TMP/headers"
expect_out_match '^Content-Type: text/html' cat "$T_TMP/headers"
expect_out_match '<script type="module" src="main.js"></script>' cat "$T_TMP/body"
expect_status 200 GET /lab/aes.js
expect_status 301 GET /lab
expect_status 404 GET /lab/nothing.js
expect_status 404 GET /lab/.hidden.js
expect_status 404 GET /lab/../meson.build --path-as-is
expect_status 404 GET /lab/%2e%2e/meson.build
expect_status 405 POST /lab/ "${J[@]}" -d '{}'

# The endpoints (each of these that reaches a computation takes a token: 5).
expect_status 200 POST /v1/lab/trace/rsa "${J[@]}" -d '{"p":"61","q":"53","e":"17","m":"65"}'
expect_eq "413 2753 2790" "$(field d) $(field d_phi) $(field c)" "3233: d (lambda), d (phi), c"
expect_status 200 POST /v1/lab/trace/aes "${J[@]}" -d "$AES"
expect_eq 69c4e0d86a7b0430d8cdb78070b4c55a "$(field output)" "FIPS 197 C.1 output"
"$KEXLAB" lab-trace aes --json key=000102030405060708090a0b0c0d0e0f \
  block=00112233445566778899aabbccddeeff iv=000102030405060708090a0b0c0d0e0f cbc= >"$T_TMP/cli.json"
expect_eq "$(sha256sum <"$T_TMP/cli.json")" "$(sha256sum <"$T_TMP/body")" "the endpoint's bytes = kexlab lab-trace's"
expect_status 200 POST /v1/lab/trace/sha256 "${J[@]}" -d '{"message":"616263"}'
expect_eq ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad "$(field digest)" "SHA-256 abc"
expect_status 400 POST /v1/lab/trace/aes "${J[@]}" -d '{"key":"00","block":"","iv":"","cbc":""}'
expect_error_code bad_value
expect_status 400 POST /v1/lab/trace/rsa "${J[@]}" -d '{"p":"61","q":"53","e":"17","m":"99999"}'
expect_error_code bad_value
expect_status 400 POST /v1/lab/trace/oaep "${J[@]}" -d '{"hash":"md5"}'
expect_error_code bad_value
# Refused before any computation: no token taken.
expect_status 400 POST /v1/lab/trace/sha256 "${J[@]}" -d '{"message":'
expect_error_code bad_json
expect_status 415 POST /v1/lab/trace/sha256 -H 'Content-Type: text/plain' -d '{"message":""}'
expect_status 405 GET /v1/lab/trace/sha256
expect_status 404 POST /v1/lab/trace/md5 "${J[@]}" -d '{}'
# The bucket (6) is empty now: the lab endpoints say 429, the API goes on.
expect_status 429 POST /v1/lab/trace/sha256 "${J[@]}" -d '{"message":""}'
expect_error_code rate_limited
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
srv_stop
expect_eq 0 "$SRV_STATUS" "clean stop"
finish
