#!/usr/bin/env bash
# test_hash_interop.sh: kexlab's hashes against independent peers on random
# inputs: coreutils sha1sum/sha224sum/sha256sum/sha384sum/sha512sum (byte-exact
# output, several files and standard input), and /usr/bin/python3's hashlib,
# hmac and python3-cryptography's HKDF, for all seven hashes (SHA-512/224 and
# SHA-512/256 have no coreutils tool: hashlib only). RFC 5869 has HKDF vectors
# for SHA-1 and SHA-256 only; for the other five, python3-cryptography is the
# reference. Lengths cover the padding boundaries
# (55, 56, 63, 64, 65, 119, 120 ...) and a few large random sizes.
set -u
. "$(dirname "$0")/../cli/lib.sh"
K="$KEXLAB"
PY=/usr/bin/python3
for tool in sha1sum sha224sum sha256sum sha384sum sha512sum; do
  command -v "$tool" >/dev/null || { echo "interop: $tool not found" >&2; exit 1; }
done
[ -x "$PY" ] || { echo "interop: $PY not found" >&2; exit 1; }

seed=${KL_TEST_SEED:-$(date +%s)}
echo "interop seed: $seed (replay with KL_TEST_SEED=$seed)"
RANDOM=$seed

files=()
for n in 0 1 3 55 56 57 63 64 65 119 120 121 127 128 129 1000 65536 65537; do
  f="$T_TMP/f$n"
  head -c "$n" /dev/urandom >"$f"
  files+=("$f")
done
for i in 1 2 3 4 5 6; do
  n=$(( (RANDOM * 32768 + RANDOM) % 3000000 ))
  f="$T_TMP/r$i"
  head -c "$n" /dev/urandom >"$f"
  files+=("$f")
done

ALGS="sha1 sha224 sha256 sha384 sha512 sha512-224 sha512-256"
# 1. Byte-exact against coreutils, all files in one call (and the order kept).
for alg in sha1 sha224 sha256 sha384 sha512; do
  ours=$("$K" hash "$alg" "${files[@]}")
  theirs=$("${alg}sum" "${files[@]}")
  expect_eq "$theirs" "$ours" "kexlab hash $alg vs ${alg}sum on ${#files[@]} files"
  ours=$("$K" hash "$alg" - <"${files[-1]}")
  theirs=$("${alg}sum" - <"${files[-1]}")
  expect_eq "$theirs" "$ours" "kexlab hash $alg vs ${alg}sum on standard input"
done

# 1b. Names with a space, a leading dash, a backslash, a newline and a carriage
# return: coreutils escapes the last three (and starts the line with a backslash);
# lines must still be byte-identical.
odd=("$T_TMP/a b" "$T_TMP/-dash" "$T_TMP/back\\slash" "$T_TMP/new"$'\n'"line" "$T_TMP/cr"$'\r'"x")
for f in "${odd[@]}"; do printf 'abc' >"$f"; done
for alg in sha1 sha224 sha256 sha384 sha512; do
  "$K" hash "$alg" "${odd[@]}" >"$T_TMP/ours.sum"
  "${alg}sum" "${odd[@]}" >"$T_TMP/theirs.sum"
  if cmp -s "$T_TMP/theirs.sum" "$T_TMP/ours.sum"; then t_ok; else
    t_fail "kexlab hash $alg vs ${alg}sum on names needing escapes"; fi
done

# 2. Python hashlib, every file, one Python run per hash.
for alg in $ALGS; do
  ours=$("$K" hash "$alg" "${files[@]}" | cut -d' ' -f1)
  theirs=$("$PY" -c 'import hashlib,sys
for f in sys.argv[2:]: print(hashlib.new(sys.argv[1], open(f,"rb").read()).hexdigest())' "${alg/-/_}" "${files[@]}")
  expect_eq "$theirs" "$ours" "hashlib $alg on ${#files[@]} files"
done

# 3. HMAC against Python's hmac module, keys of 0, 1, 63, 64, 65, 127, 128,
# 129 and 200 bytes (both block sizes' boundaries).
for klen in 0 1 20 63 64 65 127 128 129 200; do
  key=$(head -c "$klen" /dev/urandom | od -An -v -tx1 | tr -d ' \n')
  for alg in $ALGS; do
    ours=""
    for f in "$T_TMP/f0" "$T_TMP/f65" "$T_TMP/r1"; do
      ours+="$("$K" hmac "$alg" --key "$key" "$f")"$'\n'
    done
    theirs=$("$PY" -c 'import hmac,sys
for f in sys.argv[3:]: print(hmac.new(bytes.fromhex(sys.argv[2]), open(f,"rb").read(), sys.argv[1]).hexdigest())' \
      "${alg/-/_}" "$key" "$T_TMP/f0" "$T_TMP/f65" "$T_TMP/r1")
    expect_eq "$theirs" "${ours%$'\n'}" "hmac $alg key $klen bytes"
  done
done

# 4. HKDF against python3-cryptography, 8 random cases per hash in one Python run.
if "$PY" -c 'import cryptography.hazmat.primitives.kdf.hkdf' 2>/dev/null; then
  for alg in $ALGS; do
    hlen=$(($(printf x | "$K" hash "$alg" | cut -d' ' -f1 | tr -d '\n' | wc -c) / 2))
    cases=()
    ours=""
    for i in 1 2 3 4 5 6 7 8; do
      ikm=$(head -c $((RANDOM % 80)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
      salt=$(head -c $((RANDOM % 150)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
      info=$(head -c $((RANDOM % 40)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
      len=$((1 + RANDOM % (255 * hlen)))
      cases+=("$ikm:$salt:$info:$len")
      ours+="$("$K" hkdf --hash "$alg" --ikm "$ikm" --salt "$salt" --info "$info" --len "$len")"$'\n'
    done
    theirs=$("$PY" - "$alg" "${cases[@]}" <<'PYEOF'
import sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
h = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
     "sha384": hashes.SHA384, "sha512": hashes.SHA512,
     "sha512-224": hashes.SHA512_224, "sha512-256": hashes.SHA512_256}[sys.argv[1]]
for case in sys.argv[2:]:
    ikm, salt, info, n = case.split(":")
    hkdf = HKDF(algorithm=h(), length=int(n), salt=bytes.fromhex(salt) or None,
                info=bytes.fromhex(info))
    print(hkdf.derive(bytes.fromhex(ikm)).hex())
PYEOF
)
    expect_eq "$theirs" "${ours%$'\n'}" "hkdf $alg, 8 random cases"
  done
else
  t_fail "python3-cryptography is not installed (run.sh installs it)"
fi
finish
