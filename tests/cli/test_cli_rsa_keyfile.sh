#!/usr/bin/env bash
# test_cli_rsa_keyfile.sh: `kexlab rsa show|convert|check` on the vector
# package's key files (vectors/keyfile/): output, exit codes, file modes,
# --force, and one-line errors for bad input. No peers needed (the interop
# suite compares with openssl and python).
set -u
. "$(dirname "$0")/lib.sh"
: "${KL_VECTORS:?KL_VECTORS must point at vectors/ (meson test sets it)}"
V=$KL_VECTORS/keyfile
D=$T_TMP
K=$KEXLAB

# ---- help and usage ----
for sub in show convert check; do
  expect_exit 0 "$K" rsa $sub --help
  expect_exit 2 "$K" rsa $sub
  expect_exit 2 "$K" rsa $sub --no-such-option "$V/testrsa.pem"
done
expect_exit 2 "$K" rsa show "$V/testrsa.pem" "$V/testrsa.der"
expect_exit 2 "$K" rsa convert "$V/testrsa.pem"                  # no --to
expect_exit 2 "$K" rsa convert "$V/testrsa.pem" --to nosuch
expect_err_match "unknown key format 'nosuch'" "$K" rsa convert "$V/testrsa.pem" --to nosuch

# ---- show ----
expect_out_match '^Private-Key: \(512 bit, 2 primes\)$' "$K" rsa show "$V/testrsa.pem"
expect_out_match '^publicExponent: 65537 \(0x10001\)$' "$K" rsa show "$V/testrsa.der"
expect_out_match '^Public-Key: \(2048 bit\)$' "$K" rsa show "$V/rsa_public_key.pem"
expect_out_match '^Exponent: 65537 \(0x10001\)$' "$K" rsa show "$V/rsa.pub.der"
expect_out_match '"format":"pkcs8-pem"' "$K" rsa show --json "$V/unenc-rsa-pkcs8.pem"
expect_out_match '"private":false' "$K" rsa show --json "$V/unenc-rsa-pkcs8.pub.der"
# standard input
"$K" rsa show - <"$V/testrsa.pem" >"$D/stdin.txt" 2>&1
"$K" rsa show "$V/testrsa.pem" >"$D/file.txt"
expect_eq "$(cat "$D/file.txt")" "$(cat "$D/stdin.txt")" "show from stdin"

# ---- convert: every format round-trips to the same values ----
"$K" rsa show "$V/testrsa.pem" >"$D/ref.txt"
for to in pem pkcs8 der pkcs1-der pkcs8-pem pkcs8-der dotnet-xml dotnet-json; do
  "$K" rsa convert "$V/testrsa.pem" --to $to >"$D/c.$to"
  expect_exit 0 "$K" rsa show "$D/c.$to"
  "$K" rsa show "$D/c.$to" >"$D/s.txt"
  expect_eq "$(cat "$D/ref.txt")" "$(cat "$D/s.txt")" "convert --to $to keeps every value"
done
# the PKCS#1 PEM we write is the file openssl wrote (DER is canonical)
"$K" rsa convert "$V/testrsa.der" --to pem >"$D/again.pem"
expect_eq "$(sha256sum <"$V/testrsa.pem")" "$(sha256sum <"$D/again.pem")" "PKCS#1 PEM rewritten exactly"
expect_out_match '^-----BEGIN PRIVATE KEY-----$' cat "$D/c.pkcs8"
expect_out_match '^<RSAKeyValue><Modulus>' cat "$D/c.dotnet-xml"
# public halves
"$K" rsa show "$V/rsa.pub.pem" >"$D/pubref.txt"
for to in pem der spki pkcs1-pub spki-der pkcs1-pub-der dotnet-xml dotnet-json; do
  "$K" rsa convert "$V/rsa.pub.pem" --to $to >"$D/p.$to"
  "$K" rsa show "$D/p.$to" >"$D/s.txt"
  expect_eq "$(cat "$D/pubref.txt")" "$(cat "$D/s.txt")" "public convert --to $to"
done
expect_out_match '^-----BEGIN PUBLIC KEY-----$' "$K" rsa convert "$V/testrsa.pem" --public --to pem
expect_out_match '^-----BEGIN RSA PUBLIC KEY-----$' "$K" rsa convert "$V/testrsa.pem" --public --to pkcs1-pub
expect_out_match '^Public-Key' sh -c "'$K' rsa convert '$V/testrsa.pem' --public --to dotnet-json | '$K' rsa show -"
expect_exit 2 "$K" rsa convert "$V/rsa.pub.pem" --to pkcs8
expect_err_match "private keys only" "$K" rsa convert "$V/testrsa.pem" --public --to pkcs8

# ---- files: 0600, no overwrite without --force ----
expect_exit 0 "$K" rsa convert "$V/testrsa.pem" --to pkcs8 --out "$D/k.pem"
expect_eq 600 "$(stat -c %a "$D/k.pem")" "private key file mode"
expect_exit 2 "$K" rsa convert "$V/testrsa.pem" --to pem --out "$D/k.pem"
expect_err_match "exists.*--force" "$K" rsa convert "$V/testrsa.pem" --to pem --out "$D/k.pem"
expect_out_match '^-----BEGIN PRIVATE KEY-----$' cat "$D/k.pem"       # unchanged
chmod 644 "$D/k.pem"
expect_exit 0 "$K" rsa convert "$V/testrsa.pem" --to pem --out "$D/k.pem" --force
expect_eq 600 "$(stat -c %a "$D/k.pem")" "mode after --force"
expect_out_match '^-----BEGIN RSA PRIVATE KEY-----$' cat "$D/k.pem"
ln -s "$D/elsewhere" "$D/link.pem"
expect_exit 2 "$K" rsa convert "$V/testrsa.pem" --to pem --out "$D/link.pem"
expect_eq "no" "$([ -e "$D/elsewhere" ] && echo yes || echo no)" "no write through a symlink"
expect_exit 0 "$K" rsa convert "$V/testrsa.pem" --public --to spki --out "$D/pub.pem"
expect_eq 644 "$(stat -c %a "$D/pub.pem")" "public key file mode"
expect_exit 2 "$K" rsa convert "$V/testrsa.pem" --to pem --out "$D/no/such/dir/k.pem"

# ---- check ----
# Exit 1 only for a consistency or safety failure; policy failures are [WARN].
expect_exit 1 "$K" rsa check "$V/testrsa.pem"                    # 512 bits: unsafe
expect_out_match '^\[FAIL\] nlen >= 1024' "$K" rsa check "$V/testrsa.pem"
expect_out_match '^\[WARN\] nlen even and >= 2048' "$K" rsa check "$V/testrsa.pem"
expect_out_match '^\[PASS\] n = p\*q' "$K" rsa check "$V/testrsa.pem"
expect_out_match 'why: .*Fermat' "$K" rsa check "$V/testrsa.pem"
expect_out_match 'Wiener' "$K" rsa check "$V/testrsa.pem"
expect_out_match '"check":"qInv","status":"PASS"' "$K" rsa check --json "$V/testrsa.pem"
expect_exit 1 "$K" rsa check "$V/rsa-bad-1025-q-is-2.pem"
expect_out_match 'NOT usable' "$K" rsa check "$V/rsa-bad-1025-q-is-2.pem"
expect_out_match '^\[PASS\] nlen' "$K" rsa check "$V/rsa_public_key.pem"
expect_exit 0 "$K" rsa check "$V/rsa_public_key.pem"
expect_exit 2 "$K" rsa check "$V/ec_private_key.pem"

# Keys as .NET makes them: d = e^-1 mod phi(n), 1024 bits, written as
# RSAParameters XML by python3-cryptography's primes (dotnet_key.py below).
# They are consistent and safe: exit 0, with the policy flags as warnings.
cat >"$D/dotnet_key.py" <<'PY'
import base64, math, sys
from cryptography.hazmat.primitives.asymmetric import rsa
bits, out, fault = int(sys.argv[1]), sys.argv[2], sys.argv[3]
while True:  # half the keys get d < lambda(n) anyway: keep one where d >= lambda(n)
    pn = rsa.generate_private_key(public_exponent=65537, key_size=bits).private_numbers()
    p, q, e = pn.p, pn.q, pn.public_numbers.e
    n, phi = p * q, (p - 1) * (q - 1)
    d = pow(e, -1, phi)                   # .NET's choice: mod phi(n), not lambda(n)
    if d >= math.lcm(p - 1, q - 1):
        break
qinv = pow(q, -1, p)
if fault == "qinv":
    qinv = (qinv + 1) % p                 # an inconsistent key: q*qInv != 1 mod p
k, half = (n.bit_length() + 7) // 8, ((n.bit_length() + 7) // 8 + 1) // 2
def b64(x, w): return base64.b64encode(x.to_bytes(w, "big")).decode()
vals = [("Modulus", n, k), ("Exponent", e, 3), ("P", p, half), ("Q", q, half),
        ("DP", d % (p - 1), half), ("DQ", d % (q - 1), half), ("InverseQ", qinv, half), ("D", d, k)]
open(out, "w").write("<RSAKeyValue>" + "".join(f"<{t}>{b64(v, w)}</{t}>" for t, v, w in vals)
                     + "</RSAKeyValue>")
PY
for i in 1 2 3; do
  /usr/bin/python3 "$D/dotnet_key.py" 1024 "$D/dotnet$i.xml" none
  expect_exit 0 "$K" rsa check "$D/dotnet$i.xml"
  expect_out_match '^\[WARN\] nlen even and >= 2048' "$K" rsa check "$D/dotnet$i.xml"
  expect_out_match '^\[PASS\] e\*d = 1 mod lambda' "$K" rsa check "$D/dotnet$i.xml"
  expect_out_match '^0 checks failed, [1-9] policy warnings?: the key is consistent and safe' \
    "$K" rsa check "$D/dotnet$i.xml"
  expect_out_match '"check":"d_size","status":"WARN","kind":"policy"' \
    "$K" rsa check --json "$D/dotnet$i.xml"
  expect_out_match '"d_modulus":"phi".*"failed":"0".*"ok":true' "$K" rsa check --json "$D/dotnet$i.xml"
done
# d >= lambda(n) is said as such, never as "d is small" with Wiener's attack.
"$K" rsa check "$D/dotnet1.xml" >"$D/check.txt"
expect_eq 1 "$(grep -c 'd >= lambda(n): d was reduced mod phi(n)' "$D/check.txt")" "d >= lambda(n) said"
expect_eq 0 "$(grep -A3 '^\[WARN\] 2^(nlen/2) < d' "$D/check.txt" | grep -c 'Wiener\|d has')" \
  "no small-d reason for a large d"
# The same key made inconsistent (a wrong InverseQ): exit 1.
/usr/bin/python3 "$D/dotnet_key.py" 1024 "$D/badqinv.xml" qinv
expect_exit 1 "$K" rsa check "$D/badqinv.xml"
expect_out_match '^\[FAIL\] q\*qInv = 1 mod p' "$K" rsa check "$D/badqinv.xml"
expect_out_match '"check":"qInv","status":"FAIL","kind":"consistency"' \
  "$K" rsa check --json "$D/badqinv.xml"

# ---- --json: the contract (decimal integers, the envelope, strict schemas) ----
expect_out_match '^\{"command":"rsa show","version":"[^"]+","format":"pkcs1-pem","bits":"512","private":true,"n":"[0-9]+","e":"65537"' \
  "$K" rsa show --json "$V/testrsa.pem"
expect_exit 2 "$K" rsa convert "$V/testrsa.pem" --to pkcs8 --json            # needs --out FILE
expect_out_match '^\{"command":"rsa convert","version":"[^"]+","input_format":"pkcs1-pem","format":"pkcs8-pem","bits":"512","private":true,"out":' \
  "$K" rsa convert "$V/testrsa.pem" --to pkcs8 --out "$D/j.pem" --json
# Each output against its schema of docs/schema (python3-jsonschema). The
# shared definitions come from common.schema.json; the two this file's
# schemas use are spelled out here when that file is absent.
validate() { # SCHEMA FILE
  /usr/bin/python3 - "$KL_SOURCE_ROOT/docs/schema" "$@" <<'PY'
import glob, json, os, sys
import jsonschema
root, name, path = sys.argv[1:4]
store = {}
for f in glob.glob(os.path.join(root, "*.json")):
    s = json.load(open(f))
    store[s["$id"]] = s
store.setdefault("common.schema.json", {"$id": "common.schema.json", "$defs": {
    "decimal": {"type": "string", "pattern": "^-?[0-9]+$"},
    "hex": {"type": "string", "pattern": "^([0-9a-f]{2})*$"}}})
schema = store[name]
jsonschema.Draft202012Validator.check_schema(schema)
resolver = jsonschema.RefResolver.from_schema(schema, store=store)
jsonschema.Draft202012Validator(schema, resolver=resolver).validate(json.load(open(path)))
PY
}
j=0
for args in "show $V/testrsa.pem" "show $V/rsa.pub.pem" "show $D/dotnet1.xml" \
    "check $V/testrsa.pem" "check $V/rsa_public_key.pem" "check $V/rsa-bad-1025-q-is-2.pem" \
    "check $D/dotnet1.xml" "check $D/badqinv.xml" "check $V/unenc-rsa-pkcs8.pem" \
    "convert $V/testrsa.pem --to dotnet-json --force --out $D/j.json" \
    "convert $V/testrsa.pem --public --to spki --force --out $D/j.pub"; do
  j=$((j + 1))
  # shellcheck disable=SC2086
  "$K" rsa $args --json >"$D/out$j.json" 2>/dev/null
  sub=${args%% *}
  if validate "rsa-$sub.schema.json" "$D/out$j.json" 2>"$D/val.txt"; then t_ok; else
    t_fail "rsa $args --json does not follow rsa-$sub.schema.json: $(tail -1 "$D/val.txt")"; fi
done

# ---- bad input: exit 2, one clear line ----
bad() { # NAME CONTENT-FILE REGEX
  expect_exit 2 "$K" rsa show "$2"
  expect_err_match "$3" "$K" rsa show "$2"
  local lines; lines=$(wc -l <"$T_TMP/err")
  expect_eq 1 "$lines" "$1: one-line error"
}
head -c 200 "$V/testrsa.pem" >"$D/trunc.pem";        bad truncated-pem "$D/trunc.pem" "missing '-----END"
head -c 100 "$V/testrsa.der" >"$D/trunc.der";        bad truncated-der "$D/trunc.der" "outer SEQUENCE.*past the end"
head -c 100 "$V/rsa.pub.der" >"$D/trunc2.der";       bad truncated-pub "$D/trunc2.der" "past the end"
{ cat "$V/testrsa.der"; printf 'x'; } >"$D/long.der"; bad trailing-der "$D/long.der" "trailing data"
{ cat "$V/testrsa.pem"; echo junk; } >"$D/long.pem";  bad trailing-pem "$D/long.pem" "after the END"
sed 's/RSA PRIVATE KEY/CERTIFICATE/' "$V/testrsa.pem" >"$D/label.pem"; bad wrong-label "$D/label.pem" "not an RSA key"
sed '$ s/RSA PRIVATE KEY/PRIVATE KEY/' "$V/testrsa.pem" >"$D/mism.pem"; bad mismatched-label "$D/mism.pem" "does not match"
sed '3 s/^./*/' "$V/testrsa.pem" >"$D/b64.pem";       bad bad-base64 "$D/b64.pem" "base64"
: >"$D/empty";                                         bad empty "$D/empty" "not a key file"
head -c 300 /dev/urandom | tr '\0<{-' 'abcd' >"$D/garbage"; bad garbage "$D/garbage" "not a key file|DER"
bad encrypted-pkcs8 "$V/enc-rsa-pkcs8.pem" "encrypted PKCS#8"
bad encrypted-pem "$V/key1.pem" "headers"
# an id-RSASSA-PSS key without parameters: read, and shown as OpenSSL shows it
expect_out_match '^No PSS parameter restrictions$' "$K" rsa show "$V/rsa_pss_2048.pem"
expect_err_match 'restricted to RSASSA-PSS' "$K" rsa encrypt --pub "$V/rsa_pss_2048.pem" --in "$V/testrsa.pem"
bad inconsistent "$V/rsa-bad-1025-q-is-2.pem" "inconsistent private key: check failed"
printf '<RSAKeyValue><Modulus>AQAB</Modulus></RSAKeyValue>' >"$D/x.xml"; bad xml "$D/x.xml" "Modulus and Exponent"
printf '{"Modulus":"AQAB",}' >"$D/x.json";            bad json "$D/x.json" "JSON"
expect_exit 2 "$K" rsa show "$D/does-not-exist"
finish
