#!/usr/bin/env bash
# test_interop_sha2_pss.sh (suite interop): the SHA-2 family in kexlab's RSA
# paddings, and keys restricted to RSASSA-PSS, against openssl and
# python3-cryptography, in both directions, on one 2048-bit key each:
#  - RSAES-OAEP with SHA-224/384/512/512-224/512-256 (and MGF1 with another
#    hash): the peers encrypt, kexlab decrypts; kexlab encrypts, they decrypt
#    (python3-cryptography 38 has no OAEP with SHA-512/t: openssl only there);
#  - RSASSA-PSS and RSASSA-PKCS1-v1_5 with the same hashes, PSS also with
#    --mgf1-hash: the peers sign, kexlab verifies; kexlab signs, they verify;
#  - id-RSASSA-PSS keys from `openssl genpkey -algorithm RSA-PSS`, with
#    parameters (SHA-256, MGF1-SHA-256, saltLength 32) and without: kexlab
#    reads them (private and public), signs with them for openssl to verify,
#    and verifies openssl's signatures; signatures made (with the same key,
#    unrestricted) with another hash, another MGF1 hash or a shorter salt are
#    refused; conflicting options and encryption are refused;
#  - kexlab writes PSS-restricted keys (rsa convert --pss-hash ...): the same
#    octets as openssl's for the same key and parameters, and openssl reads
#    them and verifies kexlab's signatures.
set -u
. "$(dirname "$0")/../cli/lib.sh"

K="$KEXLAB"
T="$T_TMP"
PY=/usr/bin/python3
PEER="$(dirname "$0")/pkcs1_peer.py"
if ! command -v openssl >/dev/null || ! "$PY" -c 'import cryptography' 2>/dev/null; then
  echo "SKIP: openssl or python3-cryptography missing"
  exit 77
fi

check() {
  local what=$1; shift
  if "$@" >"$T/out" 2>"$T/err"; then t_ok; else
    t_fail "$what: $*"; head -3 "$T/err" | sed 's/^/  /' >&2; fi
}
same() {
  if cmp -s "$2" "$3"; then t_ok; else t_fail "$1: $2 and $3 differ"; fi
}
hlen() { printf x | "$K" hash "$1" | cut -d' ' -f1 | tr -d '\n' | wc -c | awk '{print $1 / 2}'; }

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
head -c 100 /dev/urandom >"$T/m"
printf 'other' | cat "$T/m" - >"$T/m2"

# ---- OAEP: label hash / MGF1 hash ----
for combo in sha224:sha224 sha384:sha384 sha512:sha512 sha512-224:sha512-224 \
             sha512-256:sha512-256 sha512:sha1 sha1:sha384; do
  H=${combo%%:*}
  G=${combo##*:}
  KOPT=(--oaep-hash "$H" --mgf1-hash "$G")
  OOPT=(-pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$H" -pkeyopt "rsa_mgf1_md:$G")
  what="OAEP $H/MGF1-$G"
  check "$what: openssl encrypts" openssl pkeyutl -encrypt -pubin -inkey "$T/pub.pem" \
    "${OOPT[@]}" -in "$T/m" -out "$T/c1"
  check "$what: kexlab decrypts openssl's" "$K" rsa decrypt --key "$T/key.pem" "${KOPT[@]}" \
    --in "$T/c1" --out "$T/b1"
  same "$what: openssl -> kexlab" "$T/m" "$T/b1"
  check "$what: kexlab encrypts" "$K" rsa encrypt --pub "$T/pub.pem" "${KOPT[@]}" \
    --in "$T/m" --out "$T/c3"
  check "$what: openssl decrypts kexlab's" openssl pkeyutl -decrypt -inkey "$T/key.pem" \
    "${OOPT[@]}" -in "$T/c3" -out "$T/b3"
  same "$what: kexlab -> openssl" "$T/m" "$T/b3"
  # python3-cryptography 38 refuses OAEP with SHA-512/224 and SHA-512/256
  case "$H$G" in *512-2*) continue ;; esac
  check "$what: python encrypts" "$PY" "$PEER" encrypt "$T/pub.pem" "$H" "$G" "$T/m" "$T/c2"
  check "$what: kexlab decrypts python's" "$K" rsa decrypt --key "$T/key.pem" "${KOPT[@]}" \
    --in "$T/c2" --out "$T/b2"
  same "$what: python -> kexlab" "$T/m" "$T/b2"
  check "$what: python decrypts kexlab's" "$PY" "$PEER" decrypt "$T/key.pem" "$H" "$G" \
    "$T/c3" "$T/b4"
  same "$what: kexlab -> python" "$T/m" "$T/b4"
done

# ---- signatures: PKCS#1 v1.5 and PSS (salt = hash length, MGF1 = hash) ----
for scheme in pss pkcs1; do
  for H in sha224 sha384 sha512 sha512-224 sha512-256; do
    if [ "$scheme" = pss ]; then
      SOPT=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt "rsa_mgf1_md:$H")
    else
      SOPT=(-sigopt rsa_padding_mode:pkcs1)
    fi
    KOPT=(--"$scheme" --hash "$H")
    what="$scheme $H"
    check "$what: openssl signs" openssl dgst "-$H" -sign "$T/key.pem" "${SOPT[@]}" \
      -out "$T/s1" "$T/m"
    check "$what: kexlab verifies openssl's" "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" \
      --in "$T/m" --sig "$T/s1"
    expect_exit 1 "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" --in "$T/m2" --sig "$T/s1"
    check "$what: python signs" "$PY" "$PEER" sign "$T/key.pem" "$scheme" "$H" "$T/m" "$T/s2"
    check "$what: kexlab verifies python's" "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" \
      --in "$T/m" --sig "$T/s2"
    check "$what: kexlab signs" "$K" rsa sign "${KOPT[@]}" --key "$T/key.pem" --in "$T/m" \
      --out "$T/s3"
    check "$what: openssl verifies kexlab's" openssl dgst "-$H" -verify "$T/pub.pem" \
      "${SOPT[@]}" -signature "$T/s3" "$T/m"
    check "$what: python verifies kexlab's" "$PY" "$PEER" verify "$T/pub.pem" "$scheme" "$H" \
      "$T/m" "$T/s3"
    if [ "$scheme" = pkcs1 ]; then
      same "$what: kexlab == openssl" "$T/s1" "$T/s3"
      same "$what: kexlab == python" "$T/s2" "$T/s3"
    fi
  done
done

# ---- PSS with an MGF1 hash of its own, and a salt length of its own ----
for combo in sha256:sha1:0 sha384:sha256:20 sha512:sha224:64 sha1:sha512:7; do
  IFS=: read -r H G S <<<"$combo"
  SOPT=(-sigopt rsa_padding_mode:pss -sigopt "rsa_pss_saltlen:$S" -sigopt "rsa_mgf1_md:$G")
  KOPT=(--pss --hash "$H" --mgf1-hash "$G" --salt-len "$S")
  what="pss $H, MGF1-$G, salt $S"
  check "$what: openssl signs" openssl dgst "-$H" -sign "$T/key.pem" "${SOPT[@]}" \
    -out "$T/s1" "$T/m"
  check "$what: kexlab verifies openssl's" "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" \
    --in "$T/m" --sig "$T/s1"
  expect_exit 1 "$K" rsa verify --pss --hash "$H" --salt-len "$S" --pub "$T/pub.pem" \
    --in "$T/m" --sig "$T/s1" # MGF1 with the message hash: not this signature
  check "$what: kexlab signs" "$K" rsa sign "${KOPT[@]}" --key "$T/key.pem" --in "$T/m" \
    --out "$T/s3"
  check "$what: openssl verifies kexlab's" openssl dgst "-$H" -verify "$T/pub.pem" \
    "${SOPT[@]}" -signature "$T/s3" "$T/m"
done
expect_exit 2 "$K" rsa sign --pkcs1 --mgf1-hash sha1 --key "$T/key.pem" --in "$T/m"

# ---- keys restricted to RSASSA-PSS, made by openssl ----
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 \
  -pkeyopt rsa_pss_keygen_md:sha256 -pkeyopt rsa_pss_keygen_mgf1_md:sha256 \
  -pkeyopt rsa_pss_keygen_saltlen:32 -out "$T/pss.pem" 2>/dev/null
openssl pkey -in "$T/pss.pem" -pubout -out "$T/pss.pub"
openssl pkey -in "$T/pss.pem" -outform DER -out "$T/pss.der"
openssl pkey -in "$T/pss.pem" -pubout -outform DER -out "$T/pss.pub.der"
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$T/pss0.pem" 2>/dev/null
openssl pkey -in "$T/pss0.pem" -pubout -out "$T/pss0.pub"

expect_out_match '^  Hash Algorithm: SHA-256$' "$K" rsa show "$T/pss.pub.der"
expect_out_match '^  Minimum Salt Length: 32$' "$K" rsa show "$T/pss.der"
expect_out_match '^No PSS parameter restrictions$' "$K" rsa show "$T/pss0.pub"
# kexlab signs with openssl's keys; openssl verifies (its own checks of the parameters)
check "PSS key: kexlab signs (the key's parameters)" "$K" rsa sign --pss --key "$T/pss.pem" \
  --in "$T/m" --out "$T/k1"
check "PSS key: openssl verifies kexlab's" openssl pkeyutl -verify -pubin -inkey "$T/pss.pub" \
  -rawin -digest sha256 -in "$T/m" -sigfile "$T/k1"
check "PSS key: kexlab signs, longer salt" "$K" rsa sign --pss --salt-len 100 --key "$T/pss.der" \
  --in "$T/m" --out "$T/k2"
check "PSS key: openssl verifies the longer salt" openssl pkeyutl -verify -pubin \
  -inkey "$T/pss.pub" -rawin -digest sha256 -pkeyopt rsa_pss_saltlen:100 -in "$T/m" \
  -sigfile "$T/k2"
check "PSS key without parameters: kexlab signs SHA-384" "$K" rsa sign --pss --hash sha384 \
  --key "$T/pss0.pem" --in "$T/m" --out "$T/k3"
check "PSS key without parameters: openssl verifies" openssl dgst -sha384 -verify "$T/pss0.pub" \
  -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384 -signature "$T/k3" "$T/m"
# openssl signs, kexlab verifies with the key's parameters (any salt >= 32)
check "PSS key: openssl signs" openssl dgst -sha256 -sign "$T/pss.pem" -out "$T/o1" "$T/m"
check "PSS key: kexlab verifies openssl's" "$K" rsa verify --pss --pub "$T/pss.pub" --in "$T/m" \
  --sig "$T/o1"
expect_exit 1 "$K" rsa verify --pss --pub "$T/pss.pub" --in "$T/m2" --sig "$T/o1"
check "PSS key: openssl signs, salt 64" openssl dgst -sha256 -sigopt rsa_pss_saltlen:64 \
  -sign "$T/pss.pem" -out "$T/o2" "$T/m"
check "PSS key: kexlab verifies salt 64" "$K" rsa verify --pss --pub "$T/pss.pub" --in "$T/m" \
  --sig "$T/o2"
check "PSS key without parameters: openssl signs" openssl dgst -sha512 -sigopt rsa_pss_saltlen:10 \
  -sign "$T/pss0.pem" -out "$T/o3" "$T/m"
check "PSS key without parameters: kexlab verifies" "$K" rsa verify --pss --hash sha512 \
  --salt-len 10 --pub "$T/pss0.pub" --in "$T/m" --sig "$T/o3"

# Signatures that break the parameters, made by openssl with the same key
# unrestricted (python writes it as PKCS#1 from kexlab's reading of pss.pem):
# kexlab refuses every one (exit 1), and so does openssl.
"$K" rsa show --json "$T/pss.pem" | "$PY" -c '
import json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
j = json.load(sys.stdin)
g = lambda k: int(j[k])
pub = rsa.RSAPublicNumbers(g("e"), g("n"))
key = rsa.RSAPrivateNumbers(g("p"), g("q"), g("d"), g("dP"), g("dQ"), g("qInv"), pub).private_key()
sys.stdout.buffer.write(key.private_bytes(serialization.Encoding.PEM,
    serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))' >"$T/plain.pem"
for bad in sha384:sha256:32 sha256:sha1:32 sha256:sha256:20 sha256:sha256:0; do
  IFS=: read -r H G S <<<"$bad"
  check "plain key signs $bad" openssl dgst "-$H" -sigopt rsa_padding_mode:pss \
    -sigopt "rsa_pss_saltlen:$S" -sigopt "rsa_mgf1_md:$G" -sign "$T/plain.pem" -out "$T/v" "$T/m"
  expect_exit 1 "$K" rsa verify --pss --pub "$T/pss.pub" --in "$T/m" --sig "$T/v"
  expect_exit 1 openssl pkeyutl -verify -pubin -inkey "$T/pss.pub" -rawin -digest sha256 \
    -in "$T/m" -sigfile "$T/v"
done
# ... and options that contradict the key are refused before any work (exit 2)
expect_exit 2 "$K" rsa sign --pss --hash sha384 --key "$T/pss.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --mgf1-hash sha1 --key "$T/pss.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pss --salt-len 31 --key "$T/pss.pem" --in "$T/m"
expect_exit 2 "$K" rsa sign --pkcs1 --key "$T/pss.pem" --in "$T/m"
expect_exit 2 "$K" rsa verify --pss --salt-len 20 --pub "$T/pss.pub" --in "$T/m" --sig "$T/o1"
expect_exit 2 "$K" rsa encrypt --pub "$T/pss.pub" --in "$T/m"
expect_exit 2 "$K" rsa decrypt --key "$T/pss0.pem" --in "$T/o1"

# ---- keys restricted to RSASSA-PSS, written by kexlab ----
# The same key and parameters give openssl's octets, PEM and DER, private and public.
check "kexlab writes PKCS#8 PSS" "$K" rsa convert "$T/plain.pem" --to pkcs8 --pss-hash sha256 \
  --pss-salt-len 32 --out "$T/w.pem"
same "kexlab's PSS PKCS#8 == openssl's" "$T/pss.pem" "$T/w.pem"
check "kexlab writes SPKI DER PSS" "$K" rsa convert "$T/plain.pem" --to spki-der --public \
  --pss-hash sha256 --pss-salt-len 32 --out "$T/w.pub.der"
same "kexlab's PSS SPKI DER == openssl's" "$T/pss.pub.der" "$T/w.pub.der"
check "kexlab rewrites openssl's key" "$K" rsa convert "$T/pss.der" --to pkcs8-der --out "$T/w.der"
same "PSS PKCS#8 DER round trip" "$T/pss.der" "$T/w.der"
check "kexlab rewrites a key without parameters" "$K" rsa convert "$T/pss0.pem" --to pkcs8 \
  --out "$T/w0.pem"
same "parameterless PSS round trip" "$T/pss0.pem" "$T/w0.pem"
# Parameters openssl cannot have chosen for us: SHA-512, MGF1-SHA-384, salt 10.
check "kexlab writes SHA-512 PSS key" "$K" rsa convert "$T/key.pem" --to pkcs8 \
  --pss-hash sha512 --pss-mgf1-hash sha384 --pss-salt-len 10 --out "$T/x.pem"
check "kexlab writes its public half" "$K" rsa convert "$T/x.pem" --to spki --public \
  --out "$T/x.pub"
openssl pkey -in "$T/x.pem" -text -noout >"$T/x.txt" 2>&1
if grep -q 'Hash Algorithm: SHA2-512' "$T/x.txt" && grep -q 'MGF1 with SHA2-384' "$T/x.txt" &&
   grep -q 'Minimum Salt Length: 10' "$T/x.txt"; then t_ok; else
  t_fail "openssl does not read kexlab's parameters"; cat "$T/x.txt" >&2; fi
check "kexlab signs with its PSS key" "$K" rsa sign --pss --key "$T/x.pem" --in "$T/m" \
  --out "$T/xs"
check "openssl verifies with kexlab's PSS public key" openssl pkeyutl -verify -pubin \
  -inkey "$T/x.pub" -rawin -digest sha512 -in "$T/m" -sigfile "$T/xs"
check "openssl signs with kexlab's PSS key" openssl pkeyutl -sign -inkey "$T/x.pem" -rawin \
  -digest sha512 -in "$T/m" -out "$T/xo"
check "kexlab verifies it" "$K" rsa verify --pss --pub "$T/x.pub" --in "$T/m" --sig "$T/xo"
expect_exit 2 "$K" rsa convert "$T/x.pem" --to pem --out "$T/no.pem"
finish
