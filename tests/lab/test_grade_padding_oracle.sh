#!/usr/bin/env bash
# test_grade_padding_oracle.sh: worksheet 1 (docs/labs/01-padding-oracle.md)
# can be done as written, and its autograder tells right from wrong: the
# teacher's solver (solve_padding_oracle.py, the attack over --oracle -)
# passes; a wrong octet, a message with its padding, another seed's message,
# an impossible query count and a malformed file all fail (exit 1).
set -u
. "$(dirname "$0")/../cli/lib.sh"
PY=/usr/bin/python3
D="$(dirname "$0")"
GRADE=("$PY" "$D/grade_padding_oracle.py" --kexlab "$KEXLAB")
SEED=5eed01

"$PY" "$D/solve_padding_oracle.py" --kexlab "$KEXLAB" --seed "$SEED" "$T_TMP/right"
expect_exit 0 "${GRADE[@]}" --seed "$SEED" "$T_TMP/right"
expect_out_match '^PASS' "${GRADE[@]}" --seed "$SEED" "$T_TMP/right"

msg=$(sed -n 's/^message = //p' "$T_TMP/right")
q=$(sed -n 's/^queries = //p' "$T_TMP/right")
hex=$(printf '%s' "$msg" | od -An -tx1 | tr -d ' \n')
# The same answer as hex passes too.
printf 'message_hex = %s\nqueries = %s\n' "$hex" "$q" >"$T_TMP/hex"
expect_exit 0 "${GRADE[@]}" --seed "$SEED" "$T_TMP/hex"
# One octet wrong.
printf 'message = %sX\nqueries = %s\n' "${msg%?}" "$q" >"$T_TMP/w1"
expect_exit 1 "${GRADE[@]}" --seed "$SEED" "$T_TMP/w1"
expect_out_match 'octet\(s\) of the message are wrong' "${GRADE[@]}" --seed "$SEED" "$T_TMP/w1"
# The padding left on.
n=$(( ${#msg} ))
padlen=$(( 16 - n % 16 ))
padhex=$(printf '%02x' "$padlen")
printf 'message_hex = %s%s\nqueries = %s\n' "$hex" "$(printf "$padhex%.0s" $(seq "$padlen"))" "$q" >"$T_TMP/w2"
expect_exit 1 "${GRADE[@]}" --seed "$SEED" "$T_TMP/w2"
expect_out_match 'PKCS#7 padding' "${GRADE[@]}" --seed "$SEED" "$T_TMP/w2"
# The right message for another seed.
expect_exit 1 "${GRADE[@]}" --seed 5eed02 "$T_TMP/right"
# A query count no oracle attack can have.
printf 'message = %s\nqueries = 3\n' "$msg" >"$T_TMP/w3"
expect_exit 1 "${GRADE[@]}" --seed "$SEED" "$T_TMP/w3"
# Not an answer file.
printf 'the answer is 42\n' >"$T_TMP/w4"
expect_exit 1 "${GRADE[@]}" --seed "$SEED" "$T_TMP/w4"
# The grader cannot run: no such kexlab.
expect_exit 2 "$PY" "$D/grade_padding_oracle.py" --kexlab /nonexistent --seed "$SEED" "$T_TMP/right"
finish
