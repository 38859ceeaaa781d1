#!/usr/bin/env bash
# test_cli_rsa_crypt.sh: `kexlab rsa encrypt|decrypt|sign|verify`: round
# trips with every option, exit codes (0 ok, 1 decryption/verification
# failure, 2 usage or input error), one-line errors, and bad inputs:
# ciphertexts of the wrong length or >= n, corrupted ciphertexts (all
# the same error), signatures of the wrong length, tampered messages.
# The key is made by openssl (the test-only peer), converted by nobody: the
# commands read openssl's PKCS#8 PEM as it is.
set -u
. "$(dirname "$0")/lib.sh"

K="$KEXLAB"
T="$T_TMP"
if ! command -v openssl >/dev/null; then
  echo "SKIP: openssl not installed (needed to make the test key)"
  exit 77
fi
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
printf 'the session key, 32 octets long!' >"$T/m"

# ---- --help and usage errors ----
for sub in encrypt decrypt sign verify; do
  expect_exit 0 "$K" rsa "$sub" --help
  expect_exit 2 "$K" rsa "$sub" --no-such-option
done
expect_exit 2 "$K" rsa encrypt --in "$T/m"
expect_err_match '--pub FILE is required' "$K" rsa encrypt --in "$T/m"
expect_exit 2 "$K" rsa decrypt --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" --oaep-hash md5 --in "$T/m"
expect_err_match "unknown hash 'md5'" "$K" rsa encrypt --pub "$T/pub.pem" --oaep-hash md5 --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" --mgf1-hash sha3-512 --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" --seed-compat --oaep-hash sha256 --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" --label zz --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/nonexistent.pem" --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" extra-argument --in "$T/m"
printf 'garbage' >"$T/garbage.pem"
expect_exit 2 "$K" rsa encrypt --pub "$T/garbage.pem" --in "$T/m"
expect_exit 2 "$K" rsa decrypt --key "$T/pub.pem" --in "$T/m"
expect_err_match 'private key is needed' "$K" rsa decrypt --key "$T/pub.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --key "$T/key.pem" --in "$T/m"
expect_err_match 'choose one scheme' "$K" rsa sign --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --pkcs1 --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pkcs1 --salt-len 5 --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --salt-len 223 --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --salt-len -1 --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --hash sha3-384 --key "$T/key.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --pub "$T/pub.pem" --in "$T/m"
expect_exit 2 "$K" rsa verify --pss --pub "$T/pub.pem" --in "$T/m"
expect_err_match '--sig FILE is required' "$K" rsa verify --pss --pub "$T/pub.pem" --in "$T/m"

# ---- OAEP round trips ----
oaep_round_trip() { # WHAT OPTIONS...
  local what=$1; shift
  "$K" rsa encrypt --pub "$T/pub.pem" "$@" --in "$T/m" --out "$T/c" 2>"$T/err" &&
    "$K" rsa decrypt --key "$T/key.pem" "$@" --in "$T/c" --out "$T/back" 2>>"$T/err"
  if [ $? -eq 0 ] && cmp -s "$T/m" "$T/back"; then t_ok; else
    t_fail "OAEP round trip ($what)"; head -3 "$T/err" >&2; fi
}
oaep_round_trip "default SHA-256"
oaep_round_trip "seed-compat" --seed-compat
oaep_round_trip "SHA-1/MGF1-SHA-256" --oaep-hash sha1 --mgf1-hash sha256
oaep_round_trip "SHA-256/MGF1-SHA-1" --oaep-hash sha256 --mgf1-hash sha1
oaep_round_trip "label" --label 00112233445566778899
expect_eq 256 "$(stat -c %s "$T/c")" "ciphertext length (binary)"
oaep_round_trip "hex" --hex
"$K" rsa encrypt --pub "$T/pub.pem" --in "$T/m" --hex >"$T/c.hex"
expect_eq 513 "$(stat -c %s "$T/c.hex")" "hex ciphertext length (512 digits + newline)"
# A private key file works as --pub.
"$K" rsa encrypt --pub "$T/key.pem" --in "$T/m" --out "$T/c" &&
  expect_out_match 'session key' "$K" rsa decrypt --key "$T/key.pem" --in "$T/c"
# The empty message, and the longest (k - 2hLen - 2 = 190 octets with SHA-256).
: >"$T/empty"
"$K" rsa encrypt --pub "$T/pub.pem" --in "$T/empty" --out "$T/c"
"$K" rsa decrypt --key "$T/key.pem" --in "$T/c" --out "$T/back"
expect_eq 0 "$(stat -c %s "$T/back")" "empty message round trip"
head -c 190 /dev/urandom >"$T/m190"
"$K" rsa encrypt --pub "$T/pub.pem" --in "$T/m190" --out "$T/c"
"$K" rsa decrypt --key "$T/key.pem" --in "$T/c" --out "$T/back"
if cmp -s "$T/m190" "$T/back"; then t_ok; else t_fail "190-octet message round trip"; fi
head -c 191 /dev/urandom >"$T/m191"
expect_exit 2 "$K" rsa encrypt --pub "$T/pub.pem" --in "$T/m191"
expect_err_match 'message too long: 191 octets.*at most 190' "$K" rsa encrypt --pub "$T/pub.pem" --in "$T/m191"
head -c 215 /dev/urandom >"$T/m215"
expect_exit 2 "$K" rsa encrypt --seed-compat --pub "$T/pub.pem" --in "$T/m215"

# ---- OAEP failures: one error, exit 1 ----
"$K" rsa encrypt --pub "$T/pub.pem" --label 01 --in "$T/m" --out "$T/c"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --label 02 --in "$T/c"
expect_err_match '^kexlab rsa decrypt: decryption failed$' "$K" rsa decrypt --key "$T/key.pem" --label 02 --in "$T/c"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/c"                 # label missing
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --label 01 --oaep-hash sha1 --in "$T/c"
expect_exit 0 "$K" rsa decrypt --key "$T/key.pem" --label 01 --in "$T/c"
# Corrupt the ciphertext at several positions: the same message every time.
for pos in 0 1 17 100 128 200 254 255; do
  cp "$T/c" "$T/cbad"
  printf '\x5a' | dd of="$T/cbad" bs=1 seek="$pos" conv=notrunc 2>/dev/null
  cmp -s "$T/c" "$T/cbad" && printf '\xa5' | dd of="$T/cbad" bs=1 seek="$pos" conv=notrunc 2>/dev/null
  "$K" rsa decrypt --key "$T/key.pem" --label 01 --in "$T/cbad" >/dev/null 2>"$T/err"
  rc=$?
  msg=$(cat "$T/err")
  if [ $rc -eq 1 ] && { [ "$msg" = "kexlab rsa decrypt: decryption failed" ] ||
     [ "$msg" = "kexlab rsa decrypt: decryption failed: ciphertext representative out of range (c >= n)" ]; }
  then t_ok; else t_fail "corrupted at $pos: exit $rc, '$msg'"; fi
done
# Wrong length, and c >= n.
head -c 255 "$T/c" >"$T/short"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/short"
expect_err_match '^kexlab rsa decrypt: decryption failed: the ciphertext is 255 octets.*exactly 256' \
  "$K" rsa decrypt --key "$T/key.pem" --in "$T/short"
cat "$T/c" "$T/c" >"$T/long"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/long"
: >"$T/cempty"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/cempty"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/c.hex"
expect_err_match 'needs --hex' "$K" rsa decrypt --key "$T/key.pem" --in "$T/c.hex"
head -c 256 /dev/zero | tr '\0' '\377' >"$T/ff"
expect_exit 1 "$K" rsa decrypt --key "$T/key.pem" --in "$T/ff"
expect_err_match 'out of range \(c >= n\)' "$K" rsa decrypt --key "$T/key.pem" --in "$T/ff"
printf 'zz' >"$T/badhex"
expect_exit 2 "$K" rsa decrypt --key "$T/key.pem" --hex --in "$T/badhex"

# ---- signatures ----
sig_round_trip() { # SCHEME OPTIONS...
  local scheme=$1; shift
  "$K" rsa sign "$scheme" "$@" --key "$T/key.pem" --in "$T/m" --out "$T/sig" 2>"$T/err" &&
    "$K" rsa verify "$scheme" "$@" --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig" >/dev/null 2>>"$T/err"
  if [ $? -eq 0 ]; then t_ok; else t_fail "sign/verify $scheme $*"; head -3 "$T/err" >&2; fi
  # A changed message is invalid (exit 1).
  printf 'x' | cat "$T/m" - >"$T/m2"
  expect_exit 1 "$K" rsa verify "$scheme" "$@" --pub "$T/pub.pem" --in "$T/m2" --sig "$T/sig"
}
sig_round_trip --pss
sig_round_trip --pss --hash sha1
sig_round_trip --pss --salt-len 0
sig_round_trip --pss --salt-len 222
sig_round_trip --pkcs1
sig_round_trip --pkcs1 --hash sha1
sig_round_trip --pss --hex
expect_out_match '^signature valid \(RSASSA-PSS, SHA-256\)$' \
  "$K" rsa verify --pss --pub "$T/key.pem" --in "$T/m" --sig "$T/sig" --hex
# The wrong salt length, hash or scheme: invalid.
"$K" rsa sign --pss --salt-len 20 --key "$T/key.pem" --in "$T/m" --out "$T/sig"
expect_exit 0 "$K" rsa verify --pss --salt-len 20 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig"
expect_exit 1 "$K" rsa verify --pss --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig"
expect_exit 1 "$K" rsa verify --pss --salt-len 20 --hash sha1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig"
expect_exit 1 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig"
expect_err_match '^kexlab rsa verify: signature invalid$' \
  "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig"
# Signatures of the wrong length.
head -c 255 "$T/sig" >"$T/sigshort"
expect_exit 1 "$K" rsa verify --pss --salt-len 20 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sigshort"
expect_err_match 'it is 255 octets.*exactly 256' \
  "$K" rsa verify --pss --salt-len 20 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sigshort"
cat "$T/sig" "$T/sig" >"$T/siglong"
expect_exit 1 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/siglong"
: >"$T/sigempty"
expect_exit 1 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sigempty"
expect_exit 2 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/nonexistent"
# A signature >= n.
expect_exit 1 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/ff"
# ---- --json: the result in hex, the lengths, the verdict ----
PY=/usr/bin/python3
"$K" rsa encrypt --pub "$T/pub.pem" --in "$T/m" --json >"$T/enc.json"
res=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1]))
open(sys.argv[2], "wb").write(bytes.fromhex(d["ciphertext"]))
print(d["command"], d["oaep_hash"], d["mgf1_hash"], d["key_bits"], d["message_len"], d["ciphertext_len"])' \
  "$T/enc.json" "$T/c.json.bin")
expect_eq "rsa encrypt SHA-256 SHA-256 2048 32 256" "$res" "rsa encrypt --json"
"$K" rsa decrypt --key "$T/key.pem" --in "$T/c.json.bin" --json --out "$T/back.json.bin" >"$T/dec.json"
res=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(bytes.fromhex(d["message"]).decode(), d["message_len"])' "$T/dec.json")
expect_eq "the session key, 32 octets long! 32" "$res" "rsa decrypt --json"
if cmp -s "$T/m" "$T/back.json.bin"; then t_ok; else t_fail "rsa decrypt --json --out: file not written"; fi
"$K" rsa sign --pss --salt-len 20 --key "$T/key.pem" --in "$T/m" --out "$T/sig.json.bin" --json >"$T/sign.json"
res=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["signature_scheme"], d["hash"], d["salt_len"], d["signature_len"], bytes.fromhex(d["signature"]) == open(sys.argv[2], "rb").read())' \
  "$T/sign.json" "$T/sig.json.bin")
expect_eq "RSASSA-PSS SHA-256 20 256 True" "$res" "rsa sign --json"
expect_exit 0 "$K" rsa verify --pss --salt-len 20 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig.json.bin" --json
expect_out_match '"valid":true}$' "$K" rsa verify --pss --salt-len 20 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig.json.bin" --json
expect_exit 1 "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig.json.bin" --json
expect_out_match '"signature_scheme":"RSASSA-PKCS1-v1_5",.*"valid":false}$' \
  "$K" rsa verify --pkcs1 --pub "$T/pub.pem" --in "$T/m" --sig "$T/sig.json.bin" --json
finish
