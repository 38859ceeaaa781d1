#!/usr/bin/env bash
# test_cli_hash.sh: `kexlab hash`, `hmac`, `hkdf`, `rand` and the hash formats
# of `kexlab vectors`: output shapes, known answers from the standards, and a
# clear one-line error with exit status 2 for every kind of bad input.
# (Cross-checks against sha256sum and Python are in interop/test_hash_interop.sh.)
set -u
. "$(dirname "$0")/lib.sh"
V="${KL_VECTORS:?}"
K="$KEXLAB"

# ---- hash ----
printf abc >"$T_TMP/abc"
: >"$T_TMP/empty"
expect_exit 0 "$K" hash --help
expect_out_match '^usage: kexlab hash' "$K" hash --help
# FIPS 180-4 examples (NIST SHA256.pdf / SHA1.pdf): "abc"
expect_out_match "^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  $T_TMP/abc\$" "$K" hash sha256 "$T_TMP/abc"
expect_out_match "^a9993e364706816aba3e25717850c26c9cd0d89d  $T_TMP/abc\$" "$K" hash sha1 "$T_TMP/abc"
# the empty message (SHAVS Len = 0 records)
expect_out_match "^e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  $T_TMP/empty\$" "$K" hash SHA-256 "$T_TMP/empty"
# standard input: no FILE, or "-", is named "-"
out=$(printf abc | "$K" hash sha256)
expect_eq "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -" "$out" "hash of stdin"
out=$(printf abc | "$K" hash sha1 -)
expect_eq "a9993e364706816aba3e25717850c26c9cd0d89d  -" "$out" "hash of -"
# --hex input
out=$(echo "61 62 63" | "$K" hash sha256 --hex)
expect_eq "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -" "$out" "hash --hex"
# two files: two lines, in order
n=$("$K" hash sha256 "$T_TMP/abc" "$T_TMP/empty" | wc -l)
expect_eq 2 "$n" "lines for two files"
expect_out_match '"digest":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"' "$K" hash sha256 --json "$T_TMP/abc"
# bad input
expect_exit 2 "$K" hash
expect_err_match "missing algorithm" "$K" hash
expect_exit 2 "$K" hash md5 "$T_TMP/abc"
expect_err_match "^kexlab hash: unknown algorithm 'md5'" "$K" hash md5 "$T_TMP/abc"
expect_exit 2 "$K" hash sha256 /nonexistent/file
expect_err_match "^kexlab hash: cannot open '/nonexistent/file'" "$K" hash sha256 /nonexistent/file
expect_exit 2 "$K" hash sha256 --no-such-option
expect_exit 2 "$K" hash sha256 "$T_TMP"            # a directory
# a missing file among good ones: the good ones are still hashed (as sha256sum)
expect_out_match "  $T_TMP/abc\$" "$K" hash sha256 /nonexistent "$T_TMP/abc"
expect_exit 2 "$K" hash sha256 /nonexistent "$T_TMP/abc"
echo "6162 6" >"$T_TMP/odd.hex"
echo "61zz" >"$T_TMP/bad.hex"
expect_exit 2 "$K" hash sha256 --hex "$T_TMP/odd.hex"
expect_err_match "not valid hex" "$K" hash sha256 --hex "$T_TMP/bad.hex"

# ---- hmac ----
printf 'Hi There' >"$T_TMP/hithere"
expect_exit 0 "$K" hmac --help
# RFC 4231 §4.2 and RFC 2202 §3, test case 1
expect_out_match '^b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7$' \
  "$K" hmac sha256 --key 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b "$T_TMP/hithere"
expect_out_match '^b617318655057264e28bc0b6fb378c8ef146be00$' \
  "$K" hmac sha1 --key 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b "$T_TMP/hithere"
out=$(printf 4869205468657265 | "$K" hmac sha256 --hex --key 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b)
expect_eq b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7 "$out" "hmac --hex from stdin"
expect_exit 0 "$K" hmac sha256 --key "" "$T_TMP/empty"       # empty key, empty message: valid
expect_out_match '"tag":"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"' \
  "$K" hmac sha256 --json --key 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b "$T_TMP/hithere"
expect_exit 2 "$K" hmac sha256 --key 0g "$T_TMP/abc"
expect_err_match "^kexlab hmac: --key: not valid hex" "$K" hmac sha256 --key 0g "$T_TMP/abc"
expect_exit 2 "$K" hmac sha256 --key abc "$T_TMP/abc"         # odd length
expect_exit 2 "$K" hmac sha256 "$T_TMP/abc"                    # no key
expect_err_match "--key is required" "$K" hmac sha256 "$T_TMP/abc"
expect_exit 2 "$K" hmac sha256 --key 00 /nonexistent
expect_exit 2 "$K" hmac sha3-512 --key 00 "$T_TMP/abc"
expect_exit 2 "$K" hmac sha256 --key 00 "$T_TMP/abc" "$T_TMP/abc"
expect_exit 2 "$K" hmac sha256 --key 00 --bogus "$T_TMP/abc"
expect_exit 2 "$K" hmac sha256 --key
expect_exit 2 "$K" hmac sha256 --key 00 --hex "$T_TMP/bad.hex"

# ---- hkdf ----
expect_exit 0 "$K" hkdf --help
# RFC 5869 A.1 and A.4
expect_out_match '^3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865$' \
  "$K" hkdf --ikm 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b --salt 000102030405060708090a0b0c \
  --info f0f1f2f3f4f5f6f7f8f9 --len 42
expect_out_match '^085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896$' \
  "$K" hkdf --hash sha1 --ikm 0b0b0b0b0b0b0b0b0b0b0b --salt 000102030405060708090a0b0c \
  --info f0f1f2f3f4f5f6f7f8f9 --len 42
expect_out_match '"PRK":"077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"' \
  "$K" hkdf --ikm 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b --salt 000102030405060708090a0b0c \
  --info f0f1f2f3f4f5f6f7f8f9 --len 42 --json
expect_exit 0 "$K" hkdf --ikm "" --len 8160
expect_exit 2 "$K" hkdf --ikm 00 --len 0
expect_err_match "^kexlab hkdf: --len: 0 is too small" "$K" hkdf --ikm 00 --len 0
expect_exit 2 "$K" hkdf --ikm 00 --len 8161
expect_err_match "too large" "$K" hkdf --ikm 00 --len 8161
expect_exit 2 "$K" hkdf --hash sha1 --ikm 00 --len 5101
expect_exit 2 "$K" hkdf --ikm 00 --len 99999999999999999999999
expect_exit 2 "$K" hkdf --ikm 00 --len -5
expect_exit 2 "$K" hkdf --ikm 00 --len 12abc
expect_exit 2 "$K" hkdf --ikm 00
expect_exit 2 "$K" hkdf --len 10
expect_exit 2 "$K" hkdf --ikm 0x00 --len 10
expect_exit 2 "$K" hkdf --ikm 00 --salt 1 --len 10
expect_exit 2 "$K" hkdf --ikm 00 --info zz --len 10
expect_exit 2 "$K" hkdf --hash md5 --ikm 00 --len 10
expect_exit 2 "$K" hkdf --ikm 00 --len 10 extra
expect_exit 2 "$K" hkdf --nope

# ---- rand ----
expect_exit 0 "$K" rand --help
out=$("$K" rand 16)
expect_eq 32 "${#out}" "rand 16 prints 32 hex digits"
case "$out" in *[!0-9a-f]*) t_fail "rand output is not lower-case hex: $out" ;; *) t_ok ;; esac
a=$("$K" rand 32); b=$("$K" rand 32)
[ "$a" != "$b" ] && t_ok || t_fail "two OS draws are equal"
a=$("$K" rand 64 --seed 00 2>/dev/null); b=$("$K" rand --seed 00 64 2>/dev/null)
expect_eq "$a" "$b" "same seed, same bytes"
c=$("$K" rand 64 --seed 01 2>/dev/null)
[ "$a" != "$c" ] && t_ok || t_fail "different seeds gave the same bytes"
expect_err_match "seeded output is reproducible.*never use it for real keys" "$K" rand 8 --seed 00
out=$("$K" rand 1048576 --seed 0102 2>/dev/null)
expect_eq 2097152 "${#out}" "rand 1 MiB"
expect_exit 2 "$K" rand 0
expect_err_match "^kexlab rand: N: 0 is too small" "$K" rand 0
expect_exit 2 "$K" rand 1048577
expect_exit 2 "$K" rand 18446744073709551617
expect_exit 2 "$K" rand abc
expect_exit 2 "$K" rand
expect_exit 2 "$K" rand 8 9
expect_exit 2 "$K" rand 8 --seed zz
expect_err_match "^kexlab rand: --seed: not valid hex" "$K" rand 8 --seed zz
expect_exit 2 "$K" rand 8 --seed 123
expect_exit 2 "$K" rand 8 --seed ""
expect_exit 2 "$K" rand 8 --bogus

# ---- traces, line by line against independent peers and published values ----
# hash_trace_peer.py computes every traced value from the standards (Python's
# standard library only) and prints the text the command should print.
PY=/usr/bin/python3
PEER="$(dirname "$0")/hash_trace_peer.py"
# expect_trace WHAT "<peer args>" kexlab args...: the whole stdout, line by line.
expect_trace() {
  local what=$1 peer_args=$2
  shift 2
  local want got
  # shellcheck disable=SC2086
  want=$("$PY" "$PEER" $peer_args) || { t_fail "$what: the peer failed"; return; }
  got=$("$@" 2>/dev/null)
  if [ "$want" = "$got" ]; then
    t_ok
  else
    t_fail "$what: first difference: $(diff <(echo "$want") <(echo "$got") | sed -n 2,3p | tr '\n' ' ')"
  fi
}
if "$K" hash sha256 --trace "$T_TMP/abc" >/dev/null 2>&1; then
  # --trace: NIST's worked example, rows t = 0 and t = 63 (a and e), and H(1)
  expect_out_match '^  a\[0\] = 5d6aebcd$' "$K" hash sha256 --trace "$T_TMP/abc"
  expect_out_match '^  e\[63\] = 5ef50f24$' "$K" hash sha256 --trace "$T_TMP/abc"
  expect_out_match '^  W\[15\] = 00000018$' "$K" hash sha256 --trace "$T_TMP/abc"
  expect_out_match '^  H\[1\] = ba7816bf' "$K" hash sha256 --trace "$T_TMP/abc"
  expect_out_match '^  e\[79\] = ' "$K" hash sha1 --trace "$T_TMP/abc"
  expect_out_match '"name":"a\[63\]","label":"a","index":"63","kind":"bytes","hex":"506e3058"' "$K" hash sha256 --json --trace "$T_TMP/abc"
  # SHA-1, SHA-256: FIPS 180's two examples, both layouts; the digests as published.
  while read -r alg msg blocks digest; do
    for layout in steps nist; do
      expect_trace "hash $alg --trace-layout $layout $msg" "$alg $layout $msg" \
        sh -c 'printf %s "$2" | "$1" hash "$3" --hex --trace-layout "$4"' _ "$K" "$msg" "$alg" "$layout"
    done
    out=$(printf %s "$msg" | "$K" hash "$alg" --hex --trace-layout nist 2>/dev/null)
    n=$(printf '%s\n' "$out" | grep -c '^  M(')
    expect_eq "$blocks" "$n" "hash $alg: blocks of $msg"
    expect_eq "$digest  -" "$(printf '%s\n' "$out" | tail -n 1)" "hash $alg: published digest of $msg"
  done < <(awk '/^Alg/ {a=$3} /^Message/ {m=$3} /^Blocks/ {b=$3} /^Digest/ {print a, m, b, $3}' \
           "$V/nist/sha/fips180-examples.txt")
  # NIST's "abc" tables (SHA1.pdf, SHA256.pdf): every published row is a row
  # of the nist layout, in order.
  for alg in sha1 sha256; do
    want=$(awk '/^t = / {t=$3} /^abcde(fgh)? = / {$1=""; $2=""; sub(/^ +/, ""); printf "  t = %2d: %s\n", t, $0}' \
           "$V/nist/sha/$alg-abc-example.txt")
    got=$("$K" hash "$alg" --trace-layout nist "$T_TMP/abc" 2>/dev/null | grep '^  t = ')
    expect_eq "$want" "$got" "hash $alg --trace-layout nist: the rows of NIST's abc example"
  done
  expect_out_match '^  H\(0\) = 6a09e667 bb67ae85 3c6ef372 a54ff53a 510e527f 9b05688c 1f83d9ab 5be0cd19$' \
    "$K" hash sha256 --trace-layout nist "$T_TMP/abc"
  expect_err_match '^WARNING: this trace prints secret' "$K" hash sha256 --trace "$T_TMP/abc"
  expect_exit 2 "$K" hash sha256 --trace-layout fips "$T_TMP/abc"
  expect_err_match "trace-layout: 'fips' is not steps or nist" "$K" hash sha256 --trace-layout fips "$T_TMP/abc"

  # HMAC: FIPS 198-1 §4 for keys shorter than, equal to and longer than the
  # block (B = 64), and the empty key; then the RFC 2202 / RFC 4231 tags.
  k20=0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b
  k64=$("$PY" -c 'print(bytes(range(64)).hex())')
  k131=$("$PY" -c 'print("aa" * 131)')
  for alg in sha1 sha256; do
    for key in "" 0b "$k20" "$k64" "$k131"; do
      expect_trace "hmac $alg --trace, key of $((${#key} / 2)) bytes" "hmac $alg ${key:--} 4869205468657265" \
        sh -c 'printf 4869205468657265 | "$1" hmac "$2" --hex --trace --key "$3"' _ "$K" "$alg" "$key"
    done
  done
  for f in "$V/rfc/rfc-2202-sha1.txt:sha1" "$V/rfc/rfc-4231-sha256.txt:sha256"; do
    alg=${f##*:}
    while read -r key msg md; do
      out=$(printf %s "$msg" | "$K" hmac "$alg" --hex --trace --key "$key" 2>/dev/null)
      expect_eq "  MAC = $md" "$(printf '%s\n' "$out" | grep '^  MAC = ')" "hmac $alg --trace: RFC tag, key $key"
      expect_eq "$md" "$(printf '%s\n' "$out" | tail -n 1)" "hmac $alg --trace: the tag line, key $key"
    done < <(awk '/^Key/ {k=$3} /^Msg/ {m=$3} /^MD/ {print k, m, $3}' "${f%:*}")
  done
  expect_err_match '^WARNING: this trace prints secret' "$K" hmac sha256 --trace --key 00 "$T_TMP/abc"

  # HKDF: RFC 5869 A.1-A.3 (PRK and OKM published; T(i) from the peer).
  while read -r ikm salt info L prk okm; do
    [ "$salt" = "-" ] && salt=""
    [ "$info" = "-" ] && info=""
    out=$("$K" hkdf --ikm "$ikm" --salt "$salt" --info "$info" --len "$L" --trace 2>/dev/null)
    expect_eq "  PRK = $prk" "$(printf '%s\n' "$out" | head -n 1)" "hkdf --trace: RFC 5869 PRK, L = $L"
    expect_eq "  OKM = $okm" "$(printf '%s\n' "$out" | grep '^  OKM = ')" "hkdf --trace: RFC 5869 OKM, L = $L"
    expect_trace "hkdf --trace, L = $L" "hkdf sha256 $ikm ${salt:--} ${info:--} $L" \
      "$K" hkdf --ikm "$ikm" --salt "$salt" --info "$info" --len "$L" --trace
  done < <(awk '/^IKM/ {i=$3} /^salt/ {s=($3==""?"-":$3)} /^info/ {n=($3==""?"-":$3)} /^L / {l=$3}
                /^PRK/ {p=$3} /^OKM/ {print i, s, n, l, p, $3}' "$V/rfc/rfc-5869-HKDF-SHA256.txt")
  expect_trace "hkdf --hash sha1 --trace" "hkdf sha1 0b0b0b 00 - 100" \
    "$K" hkdf --hash sha1 --ikm 0b0b0b --salt 00 --len 100 --trace

  # HMAC_DRBG: SP 800-90A §10.1.2, one block, a partial one, and two requests.
  for args in "00 1" "0102 32" "0102 40" "$k20 65537"; do
    set -- $args
    expect_trace "rand $2 --seed $1 --trace" "drbg $1 $2" "$K" rand "$2" --seed "$1" --trace
  done
  expect_exit 2 "$K" rand 8 --trace
  expect_err_match "--trace needs --seed" "$K" rand 8 --trace
else
  # -Dtrace=false: every --trace is refused with a clear message.
  for cmd in "hash sha256 --trace $T_TMP/abc" "hmac sha256 --key 00 --trace $T_TMP/abc" \
             "hkdf --ikm 00 --len 8 --trace" "rand 8 --seed 00 --trace"; do
    # shellcheck disable=SC2086
    expect_exit 2 "$K" $cmd
    # shellcheck disable=SC2086
    expect_err_match "traces disabled" "$K" $cmd
  done
fi

# ---- vectors: the hash formats ----
expect_out_match "^$V/nist/sha/SHA256ShortMsg.rsp: SHAVS ShortMsg \(SHA-256\): 65 passed, 0 failed, 0 skipped\$" \
  "$K" vectors "$V/nist/sha/SHA256ShortMsg.rsp"
expect_out_match "^$V/nist/sha/SHA1Monte.rsp: SHAVS Monte \(SHA-1\): 100 passed, 0 failed, 0 skipped\$" \
  "$K" vectors "$V/nist/sha/SHA1Monte.rsp"
expect_out_match '^13 passed, 0 failed$' "$K" vectors "$V/rfc/rfc-2202-sha1.txt" "$V/rfc/rfc-4231-sha256.txt"
expect_exit 0 "$K" vectors "$V"/nist/sha/*.rsp "$V"/rfc/rfc-*.txt "$V/nist/drbg/HMAC_DRBG_SHA256_no_reseed.rsp"
expect_exit 1 "$K" vectors -q "$V/local/hash-bad/SHA256ShortMsg.rsp"
expect_out_match 'SHAVS ShortMsg \(SHA-256\): 1 passed, 4 failed, 0 skipped$' "$K" vectors -q "$V/local/hash-bad/SHA256ShortMsg.rsp"
expect_exit 2 "$K" vectors /nonexistent/SHA256Monte.rsp
expect_out_match 'SHA256Monte.rsp: SHAVS Monte \(SHA-256\): could not be read$' "$K" vectors /nonexistent/SHA256Monte.rsp
finish
