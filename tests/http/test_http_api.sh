#!/usr/bin/env bash
# test_http_api.sh: the REST API with curl and openssl only, as docs/rest-api.md
# shows it: a seed session set up by hand (openssl pkeyutl OAEP-SHA-1 wraps
# the key, openssl enc makes and opens the frames), then every malformed
# request of docs/rest-api.md's error table gets its status and error code, and the first
# session keeps working after all of them (other sessions unaffected).
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/server_lib.sh"

srv_start --pool 2 --max-body 65536 || { t_fail "server start"; finish; exit 1; }
J=(-H 'Content-Type: application/json')
py() { /usr/bin/python3 -c "$@"; }
unhex() { py 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.argv[1]))' "$1"; }
field() { py 'import json,sys; v=json.load(open(sys.argv[1])); [v:=v[k] for k in sys.argv[2:]]; print(v)' "$T_TMP/body" "$@"; }

# ---- a seed session by hand ------------------------------------------------
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
SID=$(field session_id)
# the 201 body of docs/rest-api.md; identity_signature only in hardened
expect_eq "profile public_key public_key_pem session_id" \
  "$(py 'import json,sys; print(" ".join(sorted(json.load(open(sys.argv[1])))))' "$T_TMP/body")" "seed offer members"
expect_out_match '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' echo "$SID"
field public_key_pem >"$T_TMP/pub.pem"
KEY=$(openssl rand -hex 32)
unhex "$KEY" >"$T_TMP/key.bin"
openssl pkeyutl -encrypt -pubin -inkey "$T_TMP/pub.pem" -pkeyopt rsa_padding_mode:oaep \
  -in "$T_TMP/key.bin" -out "$T_TMP/wrapped.bin"
WRAPPED=$(base64 -w0 "$T_TMP/wrapped.bin")
expect_status 204 POST "/v1/sessions/$SID/key" "${J[@]}" -d "{\"encrypted_key\":\"$WRAPPED\"}"

# seal TEXT -> base64 frame IV || AES-256-CBC-PKCS7(TEXT)
seal() {
  local iv; iv=$(openssl rand -hex 16)
  { unhex "$iv"; printf '%s' "$1" | openssl enc -aes-256-cbc -K "$KEY" -iv "$iv"; } | base64 -w0
}
# open BASE64FRAME -> text
open_frame() {
  echo "$1" | base64 -d >"$T_TMP/f.bin"
  local iv; iv=$(head -c 16 "$T_TMP/f.bin" | od -An -tx1 | tr -d ' \n')
  tail -c +17 "$T_TMP/f.bin" | openssl enc -d -aes-256-cbc -K "$KEY" -iv "$iv"
}
expect_status 200 POST "/v1/sessions/$SID/messages" "${J[@]}" -d "{\"frame\":\"$(seal 'hello, seed')\"}"
expect_eq 'hello, seed' "$(open_frame "$(field frame)")" "seed echo through JSON"
# raw octet-stream form (seed only)
seal 'raw bytes' | base64 -d >"$T_TMP/raw.bin"
expect_status 200 POST "/v1/sessions/$SID/messages" -H 'Content-Type: application/octet-stream' \
  --data-binary @"$T_TMP/raw.bin"
expect_eq 'raw bytes' "$(open_frame "$(base64 -w0 "$T_TMP/body")")" "seed echo, raw octet-stream"

# ---- malformed requests -----------------------------------------------------
expect_status 400 POST /v1/sessions "${J[@]}" -d '{"profile":'; expect_error_code bad_json
expect_status 400 POST /v1/sessions "${J[@]}" -d '["seed"]'; expect_error_code bad_json
expect_status 400 POST /v1/sessions "${J[@]}" -d '{"profile":"seed","profile":"hardened"}'; expect_error_code bad_json
expect_status 400 POST /v1/sessions "${J[@]}" -d "$(printf '%.0s[' $(seq 1 5000))"; expect_error_code bad_json
expect_status 400 POST /v1/sessions "${J[@]}" -d '{"profile":5}'; expect_error_code wrong_type
expect_status 400 POST /v1/sessions "${J[@]}" -d '{"profile":"rot13"}'; expect_error_code bad_value
expect_status 415 POST /v1/sessions -H 'Content-Type: text/plain' -d '{"profile":"seed"}'; expect_error_code unsupported_media_type
expect_status 415 POST /v1/sessions -d '{"profile":"seed"}'; expect_error_code unsupported_media_type
head -c 200000 /dev/zero | tr '\0' 'a' >"$T_TMP/huge"
expect_status 413 POST /v1/sessions "${J[@]}" --data-binary @"$T_TMP/huge"; expect_error_code body_too_large
expect_status 413 POST "/v1/sessions/$SID/messages" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T_TMP/huge"
expect_status 405 GET /v1/sessions; expect_error_code method_not_allowed
allow=$(curl -s -D - -o /dev/null -X PUT "$SRV_URL/v1/sessions/$SID/key" | tr -d '\r' | sed -n 's/^Allow: //Ip')
expect_eq POST "$allow" "Allow header of a 405"
expect_status 405 POST /v1/health
expect_status 404 GET /v1/nothing; expect_error_code not_found
expect_status 404 POST /v1/sessions/00000000-0000-4000-8000-000000000000/key "${J[@]}" -d "{\"encrypted_key\":\"$WRAPPED\"}"; expect_error_code unknown_session
expect_status 404 POST '/v1/sessions/not-a-uuid/messages' "${J[@]}" -d '{"frame":"AAAA"}'; expect_error_code unknown_session
expect_status 404 DELETE /v1/sessions/00000000-0000-4000-8000-000000000000
expect_status 400 POST "/v1/sessions/$SID/key" "${J[@]}" -d '{}'; expect_error_code missing_field
expect_status 400 POST "/v1/sessions/$SID/key" "${J[@]}" -d '{"encrypted_key":["x"]}'; expect_error_code wrong_type
expect_status 400 POST "/v1/sessions/$SID/key" "${J[@]}" -d '{"encrypted_key":"not base64!"}'; expect_error_code bad_base64
expect_status 409 POST "/v1/sessions/$SID/key" "${J[@]}" -d "{\"encrypted_key\":\"$WRAPPED\"}"; expect_error_code key_already_set
expect_status 400 POST "/v1/sessions/$SID/messages" "${J[@]}" -d '{"frame":"AAECAwQFBgcICQoLDA0ODxA="}'; expect_error_code decrypt_failed
cp "$T_TMP/body" "$T_TMP/decrypt1"
# a bad padding gives byte for byte the same body: "x" is padded with 15
# bytes 0x0f; flipping IV[15] by 0x1f makes the last plaintext byte 0x10 (a
# pad of 16 that the block does not have: SP 800-38A CBC, RFC 5652 §6.3).
bad=$(py 'import base64,sys; f=bytearray(base64.b64decode(sys.argv[1])); f[15]^=0x1f; print(base64.b64encode(bytes(f)).decode())' "$(seal x)")
expect_status 400 POST "/v1/sessions/$SID/messages" "${J[@]}" -d "{\"frame\":\"$bad\"}"
cmp -s "$T_TMP/decrypt1" "$T_TMP/body" && t_ok || t_fail "bad-padding body differs from bad-length body"
# a wrong-length wrapped key on a fresh session: the same generic body
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"seed"}'
SID2=$(field session_id)
expect_status 409 POST "/v1/sessions/$SID2/messages" "${J[@]}" -d "{\"frame\":\"$(seal x)\"}"; expect_error_code bad_state
expect_status 400 POST "/v1/sessions/$SID2/key" "${J[@]}" -d '{"encrypted_key":"AAAA"}'; expect_error_code decrypt_failed
cmp -s "$T_TMP/decrypt1" "$T_TMP/body" && t_ok || t_fail "OAEP failure body differs from frame failure body"
# a hardened session refuses the raw form
expect_status 201 POST /v1/sessions "${J[@]}" -d '{"profile":"hardened"}'
SID3=$(field session_id)
expect_out_match '^ok$' py 'import json,sys; o=json.load(open(sys.argv[1])); print("ok" if {"session_id","profile","public_key","public_key_pem","identity_signature"} <= set(o) and set(o["public_key"]) == {"modulus","exponent"} and o["profile"] == "hardened" else o)' "$T_TMP/body"
expect_status 415 POST "/v1/sessions/$SID3/messages" -H 'Content-Type: application/octet-stream' --data-binary @"$T_TMP/raw.bin"
expect_status 400 POST "/v1/sessions/$SID3/rekey" "${J[@]}" -d "{\"encrypted_key\":\"$WRAPPED\"}"; expect_error_code missing_field
# garbage that is not HTTP at all, and a connection dropped mid-body
{ printf 'NOT HTTP AT ALL\r\n\r\n' >/dev/tcp/127.0.0.1/"${SRV_URL##*:}"; } 2>/dev/null
{ printf 'POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"pro' >/dev/tcp/127.0.0.1/"${SRV_URL##*:}"; } 2>/dev/null
# a session deleted is gone
expect_status 204 DELETE "/v1/sessions/$SID2"
expect_status 404 DELETE "/v1/sessions/$SID2"

# ---- the first session is unaffected ------------------------------------------
expect_status 200 POST "/v1/sessions/$SID/messages" "${J[@]}" -d "{\"frame\":\"$(seal 'still here')\"}"
expect_eq 'still here' "$(open_frame "$(field frame)")" "first session after the malformed requests"
# seed rekey: a new key, unauthenticated (that is the seed profile's weakness)
KEY2=$(openssl rand -hex 32)
unhex "$KEY2" >"$T_TMP/key2.bin"
openssl pkeyutl -encrypt -pubin -inkey "$T_TMP/pub.pem" -pkeyopt rsa_padding_mode:oaep \
  -in "$T_TMP/key2.bin" -out "$T_TMP/wrapped2.bin"
# a seed rekey carries no auth: one that does is a bad request (and changes nothing)
expect_status 400 POST "/v1/sessions/$SID/rekey" "${J[@]}" -d "{\"encrypted_key\":\"$(base64 -w0 "$T_TMP/wrapped2.bin")\",\"auth\":\"AAAA\"}"
expect_error_code bad_value
expect_status 204 POST "/v1/sessions/$SID/rekey" "${J[@]}" -d "{\"encrypted_key\":\"$(base64 -w0 "$T_TMP/wrapped2.bin")\"}"
KEY=$KEY2
expect_status 200 POST "/v1/sessions/$SID/messages" "${J[@]}" -d "{\"frame\":\"$(seal 'after rekey')\"}"
expect_eq 'after rekey' "$(open_frame "$(field frame)")" "seed message after a rekey"
expect_status 200 GET /v1/health
expect_eq ok "$(field status)" "health after the malformed requests"
expect_status 200 GET /v1/identity
expect_eq "$SRV_FP" "$(field fingerprint)" "fingerprint printed at start = GET /v1/identity"
field public_key_pem >"$T_TMP/id.pem"
fp=$(openssl pkey -pubin -in "$T_TMP/id.pem" -outform DER | sha256sum | cut -d' ' -f1)
expect_eq "$SRV_FP" "$fp" "fingerprint = SHA-256 of the SPKI DER (openssl)"
# the log: one line per request, no full session id, no frames
if grep -q "$SID" "$SRV_LOG"; then t_fail "a full session id is in the log"; else t_ok; fi
if grep -q "$WRAPPED" "$SRV_LOG"; then t_fail "key material in the log"; else t_ok; fi
srv_stop
expect_eq 0 "$SRV_STATUS" "exit status after SIGTERM"
finish
