#!/usr/bin/env bash
# test_hash_interop.sh: kexlab's hashes against independent peers on random
# inputs: coreutils sha1sum/sha256sum (byte-exact output, several files and
# standard input), and /usr/bin/python3's hashlib, hmac and (when installed)
# python3-cryptography's HKDF. Lengths cover the padding boundaries
# (55, 56, 63, 64, 65, 119, 120 ...) and a few large random sizes.
set -u
. "$(dirname "$0")/../cli/lib.sh"
K="$KEXLAB"
PY=/usr/bin/python3
for tool in sha1sum sha256sum; do
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

# 1. Byte-exact against coreutils, all files in one call (and the order kept).
for alg in sha1 sha256; do
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
for alg in sha1 sha256; do
  "$K" hash "$alg" "${odd[@]}" >"$T_TMP/ours.sum"
  "${alg}sum" "${odd[@]}" >"$T_TMP/theirs.sum"
  if cmp -s "$T_TMP/theirs.sum" "$T_TMP/ours.sum"; then t_ok; else
    t_fail "kexlab hash $alg vs ${alg}sum on names needing escapes"; fi
done

# 2. Python hashlib, file by file.
for f in "${files[@]}"; do
  for alg in sha1 sha256; do
    ours=$("$K" hash "$alg" "$f" | cut -d' ' -f1)
    theirs=$("$PY" -c 'import hashlib,sys; print(hashlib.new(sys.argv[1], open(sys.argv[2],"rb").read()).hexdigest())' "$alg" "$f")
    expect_eq "$theirs" "$ours" "hashlib $alg $(basename "$f")"
  done
done

# 3. HMAC against Python's hmac module, keys of 0, 1, 63, 64, 65 and 200 bytes.
for klen in 0 1 20 63 64 65 200; do
  key=$(head -c "$klen" /dev/urandom | od -An -v -tx1 | tr -d ' \n')
  for f in "$T_TMP/f0" "$T_TMP/f65" "$T_TMP/r1"; do
    for alg in sha1 sha256; do
      ours=$("$K" hmac "$alg" --key "$key" "$f")
      theirs=$("$PY" -c 'import hmac,sys; print(hmac.new(bytes.fromhex(sys.argv[2]), open(sys.argv[3],"rb").read(), sys.argv[1]).hexdigest())' "$alg" "$key" "$f")
      expect_eq "$theirs" "$ours" "hmac $alg key $klen bytes, $(basename "$f")"
    done
  done
done

# 4. HKDF against python3-cryptography.
if "$PY" -c 'import cryptography.hazmat.primitives.kdf.hkdf' 2>/dev/null; then
  for i in 1 2 3 4 5 6 7 8; do
    ikm=$(head -c $((RANDOM % 80)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
    salt=$(head -c $((RANDOM % 80)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
    info=$(head -c $((RANDOM % 40)) /dev/urandom | od -An -v -tx1 | tr -d ' \n')
    for alg in sha1 sha256; do
      max=$([ "$alg" = sha1 ] && echo 5100 || echo 8160)
      len=$((1 + RANDOM % max))
      ours=$("$K" hkdf --hash "$alg" --ikm "$ikm" --salt "$salt" --info "$info" --len "$len")
      theirs=$("$PY" - "$alg" "$ikm" "$salt" "$info" "$len" <<'PYEOF'
import sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
alg, ikm, salt, info, n = sys.argv[1:6]
h = hashes.SHA1() if alg == "sha1" else hashes.SHA256()
salt_b = bytes.fromhex(salt) or None
print(HKDF(algorithm=h, length=int(n), salt=salt_b, info=bytes.fromhex(info)).derive(bytes.fromhex(ikm)).hex())
PYEOF
)
      expect_eq "$theirs" "$ours" "hkdf $alg case $i (L = $len)"
    done
  done
else
  t_fail "python3-cryptography is not installed (run.sh installs it)"
fi
finish
