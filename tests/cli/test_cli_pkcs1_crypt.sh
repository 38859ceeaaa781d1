#!/usr/bin/env bash
# test_cli_pkcs1_crypt.sh: `kexlab rsa encrypt|decrypt --pkcs1 [--strict]`
# (RSAES-PKCS1-v1_5, RFC 8017 §7.2): round trips with openssl and
# python3-cryptography as peers in both directions; then every kind of
# malformed padding, built by the peer with the raw RSA operation: under
# --strict each is the one clean failure (exit 1, "decryption failed"), and
# by default (implicit rejection) each decrypts, exit 0, to a message that is
# the same on every run and not the plaintext.
set -u
. "$(dirname "$0")/lib.sh"

K="$KEXLAB"
T="$T_TMP"
PY=/usr/bin/python3
if ! command -v openssl >/dev/null || ! "$PY" -c 'import cryptography' 2>/dev/null; then
  echo "SKIP: needs openssl and python3-cryptography"
  exit 77
fi
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
printf 'the session key, 32 octets long!' >"$T/m"

# ---- usage ----
expect_exit 2 "$K" rsa encrypt --pkcs1 --oaep-hash sha1 --pub "$T/pub.pem" --in "$T/m"
expect_exit 2 "$K" rsa encrypt --pkcs1 --strict --pub "$T/pub.pem" --in "$T/m"
expect_exit 2 "$K" rsa decrypt --strict --key "$T/key.pem" --in "$T/m"
expect_err_match '--strict belongs to decrypt --pkcs1' "$K" rsa decrypt --strict --key "$T/key.pem" --in "$T/m"
head -c 118 /dev/zero >"$T/long"
expect_exit 2 "$K" rsa encrypt --pkcs1 --pub "$T/pub.pem" --in "$T/long"
expect_err_match 'holds at most 117' "$K" rsa encrypt --pkcs1 --pub "$T/pub.pem" --in "$T/long"
head -c 117 /dev/zero >"$T/max"
expect_exit 0 "$K" rsa encrypt --pkcs1 --pub "$T/pub.pem" --in "$T/max"

# ---- kexlab encrypts, the peers decrypt ----
"$K" rsa encrypt --pkcs1 --pub "$T/pub.pem" --in "$T/m" --out "$T/c1"
openssl pkeyutl -decrypt -inkey "$T/key.pem" -pkeyopt rsa_padding_mode:pkcs1 -in "$T/c1" -out "$T/m1" 2>/dev/null
cmp -s "$T/m" "$T/m1" && t_ok || t_fail "openssl cannot decrypt kexlab's PKCS#1 v1.5 ciphertext"
got=$("$PY" - "$T/key.pem" "$T/c1" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)
print(key.decrypt(open(sys.argv[2], 'rb').read(), padding.PKCS1v15()).decode())
PY
)
expect_eq "the session key, 32 octets long!" "$got" "python3-cryptography decrypts kexlab's ciphertext"

# ---- the peers encrypt, kexlab decrypts (implicit and strict) ----
openssl pkeyutl -encrypt -pubin -inkey "$T/pub.pem" -pkeyopt rsa_padding_mode:pkcs1 -in "$T/m" -out "$T/c2"
"$PY" - "$T/pub.pem" "$T/m" "$T/c3" <<'PY'
import sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
pub = serialization.load_pem_public_key(open(sys.argv[1], 'rb').read())
open(sys.argv[3], 'wb').write(pub.encrypt(open(sys.argv[2], 'rb').read(), padding.PKCS1v15()))
PY
for c in c2 c3; do
  for mode in "" --strict; do
    "$K" rsa decrypt --pkcs1 $mode --key "$T/key.pem" --in "$T/$c" --out "$T/out-$c" 2>/dev/null
    cmp -s "$T/m" "$T/out-$c" && t_ok || t_fail "kexlab rsa decrypt --pkcs1 $mode: peer ciphertext $c"
  done
done
expect_out_match '"scheme":"RSAES-PKCS1-v1_5","implicit_rejection":true' \
  "$K" rsa decrypt --pkcs1 --json --key "$T/key.pem" --in "$T/c2"

# ---- malformed paddings: EM built by hand, then c = EM^e mod n ----
# Each line: a name and EM as the peer builds it (k = 128).
"$PY" - "$T/key.pem" "$T" <<'PY'
import sys, os
from cryptography.hazmat.primitives import serialization
key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)
pn = key.public_key().public_numbers()
n, e, k = pn.n, pn.e, 128
M = b'the session key, 32 octets long!'
def ps(l):
    return bytes((i * 7) % 255 + 1 for i in range(l))
good_ps = ps(k - 3 - len(M))
cases = {
    'first-byte':   b'\x01\x02' + good_ps + b'\x00' + M,
    'block-type-1': b'\x00\x01' + good_ps + b'\x00' + M,
    'block-type-0': b'\x00\x00' + good_ps + b'\x00' + M,
    'block-type-3': b'\x00\x03' + good_ps + b'\x00' + M,
    'short-ps-7':   b'\x00\x02' + ps(7) + b'\x00' + ps(k - 10),
    'ps-zero-first': b'\x00\x02' + b'\x00' + good_ps[1:] + b'\x00' + M,
    'no-separator': b'\x00\x02' + ps(k - 2),
    'empty-ps':     b'\x00\x02\x00' + ps(k - 3),
}
for name, EM in cases.items():
    EM = EM[:k]
    assert len(EM) == k, name
    c = pow(int.from_bytes(EM, 'big'), e, n)
    open(os.path.join(sys.argv[2], 'bad-' + name), 'wb').write(c.to_bytes(k, 'big'))
# and a well-formed one, with the same message, for comparison
EM = b'\x00\x02' + good_ps + b'\x00' + M
open(os.path.join(sys.argv[2], 'good-handmade'), 'wb').write(pow(int.from_bytes(EM, 'big'), e, n).to_bytes(k, 'big'))
PY
"$K" rsa decrypt --pkcs1 --strict --key "$T/key.pem" --in "$T/good-handmade" --out "$T/out-good" 2>/dev/null
cmp -s "$T/m" "$T/out-good" && t_ok || t_fail "the hand-made valid EM does not decrypt"
for f in "$T"/bad-*; do
  name=${f##*/}
  expect_exit 1 "$K" rsa decrypt --pkcs1 --strict --key "$T/key.pem" --in "$f"
  expect_eq "kexlab rsa decrypt: decryption failed" "$(cat "$T/err")" "$name: the one error under --strict"
  expect_eq "" "$(cat "$T/out")" "$name: nothing on stdout under --strict"
  expect_exit 0 "$K" rsa decrypt --pkcs1 --key "$T/key.pem" --in "$f" --out "$T/syn1"
  "$K" rsa decrypt --pkcs1 --key "$T/key.pem" --in "$f" --out "$T/syn2" 2>/dev/null
  cmp -s "$T/syn1" "$T/syn2" && t_ok || t_fail "$name: the synthetic message changes between runs"
  cmp -s "$T/syn1" "$T/m" && t_fail "$name: implicit rejection gave the plaintext" || t_ok
done
# wrong length: one octet short or long, both refused before decryption
head -c 127 "$T/c2" >"$T/short-c"
cat "$T/c2" "$T/m" | head -c 129 >"$T/long-c"
for f in short-c long-c; do
  "$K" rsa decrypt --pkcs1 --strict --key "$T/key.pem" --in "$T/$f" >"$T/out" 2>"$T/err"
  rc=$?
  [ "$rc" -ne 0 ] && [ ! -s "$T/out" ] && t_ok || t_fail "$f: a wrong-length ciphertext was accepted"
done
finish
