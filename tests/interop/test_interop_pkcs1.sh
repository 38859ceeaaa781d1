#!/usr/bin/env bash
# test_interop_pkcs1.sh (suite interop): kexlab's RSA paddings against two
# independent peers, in both directions, on 2048-, 3072- and 4096-bit keys
# made by openssl, with random messages of random lengths:
#  - RSAES-OAEP with SHA-1/MGF1-SHA-1 (the seed profile), SHA-256/MGF1-SHA-256
#    (the default) and SHA-256/MGF1-SHA-1: openssl pkeyutl
#    (-pkeyopt rsa_oaep_md / rsa_mgf1_md) and python3-cryptography encrypt,
#    kexlab decrypts; kexlab encrypts, both peers decrypt;
#  - RSASSA-PSS (salt = hash length) and RSASSA-PKCS1-v1_5 with SHA-1 and
#    SHA-256: openssl dgst and python sign, kexlab verifies; kexlab signs, both
#    peers verify; a signature over another message is refused on both sides.
# Seed for the message lengths: KL_TEST_SEED (printed), else the clock.
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
SEED=${KL_TEST_SEED:-$(date +%s)}
echo "test seed: $SEED (replay with KL_TEST_SEED=$SEED)"
RANDOM=$SEED

# check WHAT CMD...: the command succeeds.
check() {
  local what=$1; shift
  if "$@" >"$T/out" 2>"$T/err"; then t_ok; else
    t_fail "$what: $*"; head -3 "$T/err" | sed 's/^/  /' >&2; fi
}
# same WHAT A B: files A and B are equal.
same() {
  if cmp -s "$2" "$3"; then t_ok; else t_fail "$1: $2 and $3 differ"; fi
}

for bits in 2048 3072 4096; do
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$bits -out "$T/key.pem" 2>/dev/null
  openssl pkey -in "$T/key.pem" -pubout -out "$T/pub.pem"
  k=$((bits / 8))

  # ---- OAEP: label hash / MGF1 hash ----
  for combo in sha1:sha1 sha256:sha256 sha256:sha1; do
    H=${combo%%:*}
    G=${combo##*:}
    if [ "$H" = sha1 ]; then hlen=20; else hlen=32; fi
    max=$((k - 2 * hlen - 2))
    KOPT=(--oaep-hash "$H" --mgf1-hash "$G")
    OOPT=(-pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$H" -pkeyopt "rsa_mgf1_md:$G")
    for round in 1 2; do
      len=$((RANDOM % (max + 1)))
      [ "$round" -eq 2 ] && len=$max
      head -c "$len" /dev/urandom >"$T/m"
      what="RSA-$bits OAEP $H/MGF1-$G, $len octets"
      # peers encrypt, kexlab decrypts
      check "$what: openssl encrypts" openssl pkeyutl -encrypt -pubin -inkey "$T/pub.pem" \
        "${OOPT[@]}" -in "$T/m" -out "$T/c1"
      check "$what: kexlab decrypts openssl's" "$K" rsa decrypt --key "$T/key.pem" "${KOPT[@]}" \
        --in "$T/c1" --out "$T/b1"
      same "$what: openssl -> kexlab" "$T/m" "$T/b1"
      check "$what: python encrypts" "$PY" "$PEER" encrypt "$T/pub.pem" "$H" "$G" "$T/m" "$T/c2"
      check "$what: kexlab decrypts python's" "$K" rsa decrypt --key "$T/key.pem" "${KOPT[@]}" \
        --in "$T/c2" --out "$T/b2"
      same "$what: python -> kexlab" "$T/m" "$T/b2"
      # kexlab encrypts, peers decrypt
      check "$what: kexlab encrypts" "$K" rsa encrypt --pub "$T/pub.pem" "${KOPT[@]}" \
        --in "$T/m" --out "$T/c3"
      check "$what: openssl decrypts kexlab's" openssl pkeyutl -decrypt -inkey "$T/key.pem" \
        "${OOPT[@]}" -in "$T/c3" -out "$T/b3"
      same "$what: kexlab -> openssl" "$T/m" "$T/b3"
      check "$what: python decrypts kexlab's" "$PY" "$PEER" decrypt "$T/key.pem" "$H" "$G" \
        "$T/c3" "$T/b4"
      same "$what: kexlab -> python" "$T/m" "$T/b4"
    done
  done

  # ---- signatures ----
  for scheme in pss pkcs1; do
    for H in sha1 sha256; do
      if [ "$scheme" = pss ]; then
        SOPT=(-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sigopt "rsa_mgf1_md:$H")
      else
        SOPT=(-sigopt rsa_padding_mode:pkcs1)
      fi
      KOPT=(--"$scheme" --hash "$H")
      len=$((RANDOM % 2000))
      head -c "$len" /dev/urandom >"$T/m"
      printf 'other' | cat "$T/m" - >"$T/m2"
      what="RSA-$bits $scheme $H, $len octets"
      # peers sign, kexlab verifies
      check "$what: openssl signs" openssl dgst "-$H" -sign "$T/key.pem" "${SOPT[@]}" \
        -out "$T/s1" "$T/m"
      check "$what: kexlab verifies openssl's" "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" \
        --in "$T/m" --sig "$T/s1"
      expect_exit 1 "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" --in "$T/m2" --sig "$T/s1"
      check "$what: python signs" "$PY" "$PEER" sign "$T/key.pem" "$scheme" "$H" "$T/m" "$T/s2"
      check "$what: kexlab verifies python's" "$K" rsa verify "${KOPT[@]}" --pub "$T/pub.pem" \
        --in "$T/m" --sig "$T/s2"
      # kexlab signs, peers verify
      check "$what: kexlab signs" "$K" rsa sign "${KOPT[@]}" --key "$T/key.pem" --in "$T/m" \
        --out "$T/s3"
      expect_eq "$k" "$(stat -c %s "$T/s3")" "$what: signature length"
      check "$what: openssl verifies kexlab's" openssl dgst "-$H" -verify "$T/pub.pem" \
        "${SOPT[@]}" -signature "$T/s3" "$T/m"
      check "$what: python verifies kexlab's" "$PY" "$PEER" verify "$T/pub.pem" "$scheme" "$H" \
        "$T/m" "$T/s3"
      expect_exit 1 "$PY" "$PEER" verify "$T/pub.pem" "$scheme" "$H" "$T/m2" "$T/s3"
      if [ "$scheme" = pkcs1 ]; then
        # PKCS#1 v1.5 is deterministic: all three signatures are the same octets.
        same "$what: kexlab == openssl" "$T/s1" "$T/s3"
        same "$what: kexlab == python" "$T/s2" "$T/s3"
      fi
    done
  done
done

# ---- oaep-label.txt's shape with SHA-1/SHA-256 records (the package's file
# has only a SHA-512 one): python writes them, `kexlab vectors` runs them ----
mkdir -p "$T/py"
check "python writes an oaep-label.txt" "$PY" "$PEER" labelfile 2048 "$T/py/oaep-label.txt"
expect_out_match 'oaep-label.txt: .*: 3 passed, 0 failed, 0 skipped$' \
  "$K" vectors "$T/py/oaep-label.txt"
finish
