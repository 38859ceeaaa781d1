#!/usr/bin/env bash
# test_interop_multiprime.sh (suite interop): multi-prime keys (RFC 8017
# §3.2, version 1 with otherPrimeInfos) both ways with OpenSSL as the peer.
#  - openssl genrsa -primes 3 (2048 and 3072 bits) and -primes 4 (4096):
#    kexlab reads them (rsa show prints what `openssl rsa -text` prints),
#    audits them (rsa check, with a line per further prime), decrypts
#    openssl's OAEP ciphertexts, signs (PSS, PKCS#1 v1.5) for openssl to
#    verify, and rewrites them as PKCS#1 PEM and DER and PKCS#8 PEM, that
#    openssl reads back (-check) with the same values;
#  - rsa keygen --primes 3 (2048) and 4 (4096): openssl rsa -check accepts
#    the key, decrypts kexlab's ciphertext and verifies kexlab's signature,
#    and kexlab decrypts openssl's ciphertext;
#  - a key with one further-prime value changed is refused on loading;
#  - --primes beyond the limit for the size, and .NET output, are refused.
set -u
. "$(dirname "$0")/../cli/lib.sh"

K="$KEXLAB"
T="$T_TMP"
if ! command -v openssl >/dev/null; then
  echo "SKIP: openssl missing"
  exit 77
fi
OAEP="-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256"

check() { # WHAT CMD...: the command succeeds
  local what=$1; shift
  if "$@" >"$T/out" 2>"$T/err"; then t_ok; else
    t_fail "$what: $*"; head -3 "$T/err" | sed 's/^/  /' >&2; fi
}

# both_ways KEY PUB PRIMES: every direction of use with openssl.
both_ways() {
  local key=$1 pub=$2 u=$3
  head -c 40 /dev/urandom >"$T/m"
  # openssl encrypts, kexlab decrypts.
  openssl pkeyutl -encrypt -pubin -inkey "$pub" -in "$T/m" -out "$T/c1" $OAEP
  check "kexlab decrypts openssl's OAEP ($u primes)" \
    "$K" rsa decrypt --key "$key" --in "$T/c1" --out "$T/m1"
  expect_eq "$(od -An -tx1 "$T/m")" "$(od -An -tx1 "$T/m1")" "OAEP plaintext ($u primes)"
  # kexlab encrypts, openssl decrypts.
  "$K" rsa encrypt --pub "$pub" --in "$T/m" --out "$T/c2"
  check "openssl decrypts kexlab's OAEP ($u primes)" \
    openssl pkeyutl -decrypt -inkey "$key" -in "$T/c2" -out "$T/m2" $OAEP
  expect_eq "$(od -An -tx1 "$T/m")" "$(od -An -tx1 "$T/m2")" "openssl's plaintext ($u primes)"
  # kexlab signs, openssl verifies.
  "$K" rsa sign --pss --key "$key" --in "$T/m" --out "$T/s1"
  check "openssl verifies kexlab's PSS ($u primes)" openssl dgst -sha256 -verify "$pub" \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -signature "$T/s1" "$T/m"
  "$K" rsa sign --pkcs1 --key "$key" --in "$T/m" --out "$T/s2"
  check "openssl verifies kexlab's PKCS#1 v1.5 ($u primes)" \
    openssl dgst -sha256 -verify "$pub" -signature "$T/s2" "$T/m"
  # openssl signs, kexlab verifies.
  openssl dgst -sha256 -sign "$key" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \
    -out "$T/s3" "$T/m"
  check "kexlab verifies openssl's PSS ($u primes)" \
    "$K" rsa verify --pss --pub "$pub" --in "$T/m" --sig "$T/s3"
}

# ---- OpenSSL's multi-prime keys, read and used by kexlab ----
for spec in 2048:3 3072:3 4096:4; do
  bits=${spec%:*} u=${spec#*:}
  openssl genrsa -primes "$u" -out "$T/o.pem" "$bits" 2>/dev/null
  openssl rsa -in "$T/o.pem" -pubout -out "$T/o.pub" 2>/dev/null
  # rsa show = openssl rsa -text (publicExponent aside: openssl adds the hex).
  "$K" rsa show "$T/o.pem" | grep -v publicExponent >"$T/ours.txt"
  openssl rsa -in "$T/o.pem" -text -noout | grep -v publicExponent >"$T/theirs.txt"
  if cmp -s "$T/ours.txt" "$T/theirs.txt"; then t_ok; else
    t_fail "rsa show of openssl's $u-prime $bits-bit key differs from openssl rsa -text"; fi
  expect_out_match "^\[PASS\] r_$u is prime" "$K" rsa check "$T/o.pem"
  expect_exit 0 "$K" rsa check "$T/o.pem"
  # --json: one line per further prime and check.
  "$K" rsa check --json "$T/o.pem" >"$T/check.json"
  got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(sum(c["check"].startswith("other_") and c["status"] == "PASS" for c in d["checks"]), d["ok"])' "$T/check.json")
  expect_eq "$((3 * (u - 2))) True" "$got" "rsa check --json lines for the further primes"
  both_ways "$T/o.pem" "$T/o.pub" "$u"
  # kexlab rewrites it; openssl reads every form back with the same values.
  for to in pem pkcs8 der; do
    rm -f "$T/w"
    "$K" rsa convert "$T/o.pem" --to "$to" --out "$T/w" 2>/dev/null
    inform=PEM
    [ "$to" = der ] && inform=DER
    check "openssl rsa -check on kexlab's $to ($u primes)" \
      openssl rsa -check -noout -inform "$inform" -in "$T/w"
    openssl rsa -inform "$inform" -in "$T/w" -text -noout | grep -v publicExponent >"$T/back.txt"
    if cmp -s "$T/back.txt" "$T/theirs.txt"; then t_ok; else
      t_fail "$to written by kexlab reads back differently ($u primes)"; fi
  done
  expect_exit 2 "$K" rsa convert "$T/o.pem" --to dotnet-xml
done

# ---- kexlab's multi-prime keys, read and used by openssl ----
for spec in 2048:3 4096:4; do
  bits=${spec%:*} u=${spec#*:}
  rm -f "$T/k.pem" "$T/k.pub"
  "$K" rsa keygen --bits "$bits" --primes "$u" --out "$T/k.pem" --pubout "$T/k.pub" 2>/dev/null
  check "openssl rsa -check on kexlab's $u-prime key" openssl rsa -check -noout -in "$T/k.pem"
  expect_out_match "^Private-Key: \($bits bit, $u primes\)" openssl rsa -in "$T/k.pem" -text -noout
  both_ways "$T/k.pem" "$T/k.pub" "$u"
done

# ---- refusals ----
expect_exit 2 "$K" rsa keygen --bits 3072 --primes 4
expect_err_match 'at most 3 primes' "$K" rsa keygen --bits 3072 --primes 4
expect_exit 2 "$K" rsa keygen --bits 2048 --primes 3 --trace
# A wrong exponent d_3 (openssl writes what it is given): refused on loading.
openssl genrsa -primes 3 -out "$T/o.pem" 2048 2>/dev/null
/usr/bin/python3 - "$T/o.pem" "$T/bad.der" <<'EOF'
import base64, sys
# Change the last octet of the second INTEGER of the first OtherPrimeInfo
# (d_3) by walking the DER: the key's SEQUENCE, then 9 INTEGERs, then the
# otherPrimeInfos SEQUENCE.
pem = open(sys.argv[1]).read().split("-----")[2]
der = bytearray(base64.b64decode("".join(pem.split())))
def hdr(i):
    tag, l = der[i], der[i + 1]
    if l < 0x80:
        return i + 2, l
    n = l & 0x7f
    return i + 2 + n, int.from_bytes(der[i + 2:i + 2 + n], "big")
def skip(i):
    s, l = hdr(i)
    return s + l
i, _ = hdr(0)                       # PrivateKeyInfo or RSAPrivateKey
if der[i] == 0x02 and der[hdr(i)[0] + hdr(i)[1]] == 0x30:  # PKCS#8: version, alg, OCTET STRING
    i = skip(i); i = skip(i); i, _ = hdr(i); i, _ = hdr(i)
for _ in range(9):
    i = skip(i)
i, _ = hdr(i)                       # otherPrimeInfos
i, _ = hdr(i)                       # first OtherPrimeInfo
i = skip(i)                         # r_3
s, l = hdr(i)                       # d_3
der[s + l - 1] ^= 2
open(sys.argv[2], "wb").write(der)
EOF
expect_exit 2 "$K" rsa show "$T/bad.der"
expect_err_match 'd_3 = d mod \(r_3 - 1\)' "$K" rsa show "$T/bad.der"
finish
