#!/usr/bin/env bash
# test_cli_math.sh: kexlab prime/egcd/modinv/modexp, checked against GMP-free
# peers (python3's pow and math.gcd), their --trace against independent
# computations and published values, and bad inputs.
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
# A build without trace hooks (kl_config.h from the build root, when meson
# passes it) refuses every --trace with exit 2 and one line.
NOTRACE=
if [ -n "${KL_BUILD_ROOT:-}" ] && grep -Eq '^#define KL_WITH_TRACE 0' "$KL_BUILD_ROOT/kl_config.h"; then
  NOTRACE=1
fi

expect_out_match '^prime$' "$KEXLAB" prime test 170141183460469231731687303715884105727
expect_out_match '^composite$' "$KEXLAB" prime test 561
expect_out_match '^composite$' "$KEXLAB" prime test 3825123056546413051
expect_out_match '^prime$' "$KEXLAB" prime test 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed
expect_out_match '^composite$' "$KEXLAB" prime test 1
expect_out_match '^composite$' "$KEXLAB" prime test 0
expect_exit 0 "$KEXLAB" prime test 561
expect_out_match '^1 2 -367$' "$KEXLAB" egcd 3120 17
expect_out_match '^2753$' "$KEXLAB" modinv 17 3120
expect_out_match '^413$' "$KEXLAB" modinv 17 780
expect_out_match '^2790$' "$KEXLAB" modexp 65 17 3233

if [ -n "$NOTRACE" ]; then
  for args in "egcd 3120 17" "modexp 65 17 3233" "modinv 17 780" "prime test 561" \
              "prime gen --bits 64" "egcd 3120 17 --json" "prime test 561 --json"; do
    expect_exit 2 "$KEXLAB" $args --trace
    expect_err_match 'this build has traces disabled' "$KEXLAB" $args --trace
    expect_eq 1 "$(wc -l <"$T_TMP/err")" "$args --trace without traces: one line"
  done
else
expect_out_match '^ +4 +1 +1 +2 +-367$' "$KEXLAB" egcd 3120 17 --trace
expect_out_match '^ +0 +1 +789 +2790$' "$KEXLAB" modexp 65 17 3233 --trace

# --trace tables, every row and column, against python's own extended Euclid
# and square-and-multiply (the hand computations, written independently):
#   egcd:   heading "i q r s t", rows (i, q, r, s, t), q blank in rows 0 and 1,
#           then the result line "g s t";
#   modexp: heading "i bit square multiply", rows (i, bit, A^2, A*b on 1 bits),
#           then the result.
# (The script is read into a variable: the table itself arrives on stdin.)
IFS= read -r -d '' TT_PY <<'PYEOF' || true
import sys
mode, args = sys.argv[1], [int(x, 0) for x in sys.argv[2:]]
lines = sys.stdin.read().splitlines()
want = []
if mode == "egcd":
    a, b = args
    want.append("i q r s t")
    rows = [(None, a, 1, 0), (None, b, 0, 1)]
    while rows[-1][1] != 0:
        (_, r0, s0, t0), (_, r1, s1, t1) = rows[-2], rows[-1]
        q = r0 // r1
        rows.append((q, r0 - q * r1, s0 - q * s1, t0 - q * t1))
    for i, (q, r, s, t) in enumerate(rows):
        want.append(" ".join(str(x) for x in ([i] + ([] if q is None else [q]) + [r, s, t])))
    g, s, t = rows[-2][1:]
    want.append("%d %d %d" % (g, s, t))
else:
    b, e, m = args
    want.append("i bit square multiply")
    A = 1 % m
    for i in range(e.bit_length() - 1, -1, -1):
        bit = (e >> i) & 1
        A = A * A % m
        row = [i, bit, A]
        if bit:
            A = A * b % m
            row.append(A)
        want.append(" ".join(str(x) for x in row))
    want.append(str(pow(b, e, m)))
got = [" ".join(l.split()) for l in lines]
print("ok" if got == want else "bad: want %r got %r" % (want[:4], got[:4]))
PYEOF
trace_table_check() { $PY -c "$TT_PY" "$@"; }
for pair in "3120 17" "780 17" "0x123456789abcdef0123 0xfedcba98765" "17 3120" "5 0" "0 7"; do
  res=$("$KEXLAB" egcd $pair --trace | trace_table_check egcd $pair)
  expect_eq "ok" "$res" "egcd $pair --trace table"
done
for triple in "65 17 3233" "2790 413 3233" "0xdeadbeef 0x10001 0xfffffffb" "3 0 7" "7 5 1"; do
  res=$("$KEXLAB" modexp $triple --trace | trace_table_check modexp $triple)
  expect_eq "ok" "$res" "modexp $triple --trace table"
done
fi

# against python's pow and gcd on a few larger numbers
for args in "0xdeadbeefcafebabe1234 65537 0xfffffffffffffffffffffffffffffff1" \
            "123456789123456789 987654321987654321 1000000007"; do
  set -- $args
  want=$($PY -c "print(pow(int('$1',0), int('$2',0), int('$3',0)))")
  got=$("$KEXLAB" modexp "$1" "$2" "$3")
  expect_eq "$want" "$got" "modexp $args"
done
want=$($PY -c "print(pow(65537, -1, 2**127 - 2))")
got=$("$KEXLAB" modinv 65537 $($PY -c "print(2**127 - 2)"))
expect_eq "$want" "$got" "modinv vs python"

# prime gen: exact bits, and python's deterministic check on a small one
p=$("$KEXLAB" prime gen --bits 256 --seed 00 2>/dev/null)
expect_eq 256 "$($PY -c "print(int('$p').bit_length())")" "prime gen --bits 256"
p2=$("$KEXLAB" prime gen --bits 256 --seed 00 2>/dev/null)
expect_eq "$p" "$p2" "prime gen --seed is reproducible"
p=$("$KEXLAB" prime gen --bits 24)
expect_eq 1 "$($PY -c "n=$p; print(int(all(n % k for k in range(2, int(n**0.5)+1))))")" "24-bit prime by trial division"

if [ -z "$NOTRACE" ]; then
# --trace of prime test, prime gen and modinv, held against independent
# computations written from the standards (check_nt_trace.py: FIPS 186-5
# B.3.1 Miller-Rabin and A.1.3's search, recomputed from w and the printed
# bases), and against published facts:
#   561 = 3 * 11 * 17, the smallest Carmichael number: trial division finds 3;
#       without the sieve Miller-Rabin must catch it in the first round;
#   2047 = 23 * 89, the smallest strong pseudoprime to base 2 (Pomerance,
#       Selfridge and Wagstaff, Math. Comp. 35 (1980)): base 2 passes
#       (step 4.4), base 3 proves it composite.
CHK="$PY $(dirname "$0")/check_nt_trace.py"
for args in "561" "561 --no-sieve --seed 00" "561 --no-sieve --seed 5a5a" \
            "561 --no-sieve --base 2" "2047 --no-sieve --base 2 --base 3" \
            "2047 --no-sieve --seed 01" "1000003" "3825123056546413051 --seed 03" \
            "2305843009213693951 --seed 02" "4294967291 --no-sieve --base 2 --base 7"; do
  set -- $args
  res=$("$KEXLAB" prime test $args --trace 2>/dev/null | $CHK test --w "$1")
  expect_eq ok "$res" "prime test $args --trace against B.3.1"
done
expect_out_match '^  divisor = 3$' "$KEXLAB" prime test 561 --trace
expect_out_match '^  step\[1\] = 4\.6: return COMPOSITE$' "$KEXLAB" prime test 561 --trace --no-sieve --seed 00
expect_out_match '^  step\[1\] = 4\.4: z = 1, go to 4\.7$' "$KEXLAB" prime test 2047 --trace --no-sieve --base 2 --base 3
expect_out_match '^  step\[2\] = 4\.6: return COMPOSITE$' "$KEXLAB" prime test 2047 --trace --no-sieve --base 2 --base 3
a=$("$KEXLAB" prime test 561 --no-sieve --seed 77 --trace 2>/dev/null)
b=$("$KEXLAB" prime test 561 --no-sieve --seed 77 --trace 2>/dev/null)
expect_eq "$a" "$b" "prime test --seed: the same bases"
for bits in 32 64 256; do
  res=$("$KEXLAB" prime gen --bits $bits --seed "$(printf %04x $bits)" --trace 2>/dev/null | $CHK gen --bits $bits)
  expect_eq ok "$res" "prime gen --bits $bits --trace against A.1.3 and B.3.1"
done
expect_eq "$("$KEXLAB" prime gen --bits 256 --seed 00 2>/dev/null)" \
  "$("$KEXLAB" prime gen --bits 256 --seed 00 --trace 2>/dev/null | tail -1)" "prime gen --trace: the same prime"
expect_err_match 'WARNING: this trace prints secret' "$KEXLAB" prime gen --bits 64 --trace

# modinv --trace: the egcd table of (M, A mod M) exactly as egcd --trace
# prints it, then the last step; the Wikipedia example (vectors/
# rsa-wikipedia-3233.txt: e = 17, lambda = 780 -> d = 413, phi = 3120 ->
# d_phi = 2753) and python's pow(A, -1, M).
V=${KL_VECTORS:-$KL_SOURCE_ROOT/vectors}
vec() { sed -n "s/^$1 = //p" "$V/rsa-wikipedia-3233.txt"; }
for case in "$(vec e) $(vec lambda) $(vec d)" "$(vec e) $(vec phi) $(vec d_phi)" \
            "65537 $($PY -c 'print(2**127 - 2)') -" "3 7 -"; do
  set -- $case
  want_x=$3
  [ "$want_x" = - ] && want_x=$($PY -c "print(pow($1, -1, $2))")
  am=$($PY -c "print($1 % $2)")
  tab=$("$KEXLAB" egcd "$2" "$am" --trace | sed '$d')
  t=$(printf '%s\n' "$tab" | tail -2 | head -1 | awk '{print $NF}')
  want=$(printf '%s\ninverse = t mod M = %s mod %s = %s\n%s' "$tab" "$t" "$2" "$want_x" "$want_x")
  expect_eq "$want" "$("$KEXLAB" modinv "$1" "$2" --trace)" "modinv $1 $2 --trace"
  expect_eq "$want_x" "$($PY -c "print($t % $2)")" "modinv $1 $2: t mod M"
done
expect_out_match '^inverse = t mod M = -367 mod 780 = 413$' "$KEXLAB" modinv 17 780 --trace
fi
# what does not need traces: the bases, and the seeded rounds
expect_out_match '^prime$' "$KEXLAB" prime test 2047 --no-sieve --base 2
expect_out_match '^composite$' "$KEXLAB" prime test 2047 --no-sieve --base 2 --base 3
expect_out_match '^composite$' "$KEXLAB" prime test 561 --no-sieve --seed 00
expect_exit 2 "$KEXLAB" prime test 2047 --base 2046
expect_exit 2 "$KEXLAB" prime test 2047 --base 1
expect_exit 2 "$KEXLAB" prime test 2047 --base 2 --seed 00

# --json: the envelope and the results as decimal strings (the schemas are
# checked by tests/json); egcd's s, t as in the Wikipedia example
expect_eq '{"command":"egcd","version":"'"$("$KEXLAB" --version | awk '{print $NF}')"'","a":"3120","b":"17","g":"1","s":"2","t":"-367"}' \
  "$("$KEXLAB" egcd 3120 17 --json)" "egcd --json"
expect_out_match '"x":"413"' "$KEXLAB" modinv 17 780 --json
expect_out_match '"result":"2790"' "$KEXLAB" modexp 65 17 3233 --json
expect_out_match '"verdict":"composite"' "$KEXLAB" prime test 561 --json
expect_out_match '"bits":"64","p":"[0-9]+"' "$KEXLAB" prime gen --bits 64 --json
expect_exit 1 "$KEXLAB" modinv 6 9 --json
expect_eq "" "$(cat "$T_TMP/out")" "modinv --json without an inverse: nothing on stdout"

# bad input: empty, garbage, negative, missing, bad ranges
expect_exit 2 "$KEXLAB" prime test ""
expect_exit 2 "$KEXLAB" prime test abc
expect_exit 2 "$KEXLAB" prime test 12abc
expect_exit 2 "$KEXLAB" prime test 0x
expect_exit 2 "$KEXLAB" prime test -7
expect_err_match 'negative' "$KEXLAB" prime test -7
expect_exit 2 "$KEXLAB" prime test
expect_exit 2 "$KEXLAB" prime
expect_exit 2 "$KEXLAB" prime frobnicate
expect_exit 2 "$KEXLAB" prime gen
expect_exit 2 "$KEXLAB" prime gen --bits 8
expect_exit 2 "$KEXLAB" prime gen --bits 9000
expect_exit 2 "$KEXLAB" prime gen --bits 64 --seed zz
expect_exit 2 "$KEXLAB" egcd 1
expect_exit 2 "$KEXLAB" egcd 1 x
expect_exit 2 "$KEXLAB" modinv 3 1
expect_exit 2 "$KEXLAB" modinv 3 0
expect_exit 1 "$KEXLAB" modinv 6 9
expect_err_match 'no inverse' "$KEXLAB" modinv 6 9
expect_exit 2 "$KEXLAB" modexp 2 3 0
expect_exit 2 "$KEXLAB" modexp 2 -3 5
expect_exit 2 "$KEXLAB" modexp 2 3
for c in prime egcd modinv modexp; do expect_exit 0 "$KEXLAB" $c --help; done
finish
