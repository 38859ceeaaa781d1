#!/bin/bash
# test_grade_rsa.sh: the autograders of docs/labs/02-bellcore.md and
# docs/labs/03-wiener.md (tests/lab/grade_*.py) pass a right answer and fail
# wrong ones. The right answers come from model solutions written apart
# from kexlab (tests/lab/solve_*.py, Python integers only), fed exactly
# what the worksheets give the student: the weak run's JSON for bellcore,
# the public key file of --pub-out for wiener.
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
LAB="$KL_SOURCE_ROOT/tests/lab"
PY=/usr/bin/python3
export KEXLAB

# grade WANT GRADER SEED ANSWER-FILE: the grader exits WANT (0 right,
# 1 wrong, 2 could not grade) and says PASS exactly when it exits 0.
grade() {
  local want=$1 grader=$2 seed=$3 file=$4 got
  "$PY" "$LAB/$grader" --seed "$seed" --bits 512 "$file" >"$T_TMP/g.out" 2>"$T_TMP/g.err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    t_fail "$grader --seed $seed $(basename "$file"): exit $got (want $want)"
    sed 's/^/  /' "$T_TMP/g.out" "$T_TMP/g.err" | head -5 >&2
  elif [ "$want" -eq 0 ] && ! grep -qx PASS "$T_TMP/g.out"; then
    t_fail "$grader: exit 0 without PASS"
  elif [ "$want" -ne 0 ] && grep -qx PASS "$T_TMP/g.out"; then
    t_fail "$grader: exit $got and PASS"
  else
    t_ok
  fi
}
# variant NAME SED-SCRIPT FILE: a copy of FILE edited by SED-SCRIPT.
variant() { sed "$2" "$3" >"$T_TMP/$1"; echo "$T_TMP/$1"; }

# ---- worksheet 2: bellcore ----
"$KEXLAB" demo attack bellcore --json --seed 2a --bits 512 | "$PY" "$LAB/solve_bellcore.py" >"$T_TMP/b.ans"
"$KEXLAB" demo attack bellcore --json --seed 2b --bits 512 | "$PY" "$LAB/solve_bellcore.py" >"$T_TMP/b-other.ans"
B=$T_TMP/b.ans
grade 0 grade_bellcore.py 2a "$B"
grade 0 grade_bellcore.py 2a "$(variant swapped '1{h;d};2{p;x}' "$B")"
p=$(sed -n 's/^p = //p' "$B")
q=$(sed -n 's/^q = //p' "$B")
p_hex=$("$PY" -c "print(hex($p))")
grade 0 grade_bellcore.py 2a "$(variant hex "s/^p = .*/p = $p_hex/" "$B")"
grade 1 grade_bellcore.py 2b "$B"                           # another run's factors
grade 1 grade_bellcore.py 2a "$(variant p2 "s/^p = .*/p = $((0))$p""2/" "$B")"
grade 1 grade_bellcore.py 2a "$(variant trivial "s/^p = .*/p = 1/; s/^q = .*/q = $p$q/" "$B")"
grade 1 grade_bellcore.py 2a "$(variant released 's/^released = no/released = yes/' "$B")"
grade 1 grade_bellcore.py 2a "$(variant blinding 's/^blinding_stops_it = no/blinding_stops_it = yes/' "$B")"
grade 1 grade_bellcore.py 2a "$(variant noq '/^q = /d' "$B")"
grade 1 grade_bellcore.py 2a "$(variant yesno 's/^released = no/released = maybe/' "$B")"
grade 1 grade_bellcore.py 2a "$(variant text 's/^p = .*/p = the first prime/' "$B")"
grade 1 grade_bellcore.py 2a "$(variant twice '1p' "$B")"
: >"$T_TMP/empty"
grade 1 grade_bellcore.py 2a "$T_TMP/empty"
grade 1 grade_bellcore.py 2a "$T_TMP/no-such-file"
grade 2 grade_bellcore.py zz "$B"                           # not a seed: kexlab refuses
KEXLAB=$T_TMP/no-kexlab grade 2 grade_bellcore.py 2a "$B"

# ---- worksheet 3: wiener ----
"$KEXLAB" demo attack wiener --seed 3a --bits 512 --pub-out "$T_TMP/careless.pub" >/dev/null
expect_eq 0 $? "demo attack wiener --pub-out"
"$KEXLAB" rsa show --json "$T_TMP/careless.pub" | "$PY" "$LAB/solve_wiener.py" >"$T_TMP/w.ans"
W=$T_TMP/w.ans
grade 0 grade_wiener.py 3a "$W"
grade 0 grade_wiener.py 3a "$(variant donly '/^[pq] = /d' "$W")"
grade 0 grade_wiener.py 3a "$(variant comments '1i # my answer, worksheet 3' "$W")"
grade 1 grade_wiener.py 3b "$W"                             # another key's d
d=$(sed -n 's/^d = //p' "$W")
grade 1 grade_wiener.py 3a "$(variant d2 "s/^d = .*/d = $d""1/" "$W")"
# d + phi(n) undoes e as well, but is not the key's d.
dphi=$("$PY" -c "
p, q = [int(l.split('=')[1]) for l in open('$W') if l[0] in 'pq']
print($d + (p - 1) * (q - 1))")
grade 1 grade_wiener.py 3a "$(variant dphi "s/^d = .*/d = $dphi/" "$W")"
grep -q 'reduce it' "$T_TMP/g.out" && t_ok || t_fail "grade_wiener: d + phi(n) is not told to reduce"
grade 1 grade_wiener.py 3a "$(variant onlyp '/^q = /d' "$W")"
grade 1 grade_wiener.py 3a "$(variant badq 's/^q = .*/q = 3/' "$W")"
grade 1 grade_wiener.py 3a "$(variant nod '/^d = /d' "$W")"
grade 1 grade_wiener.py 3a "$(variant neg 's/^d = /d = -/' "$W")"
grade 1 grade_wiener.py 3a "$T_TMP/empty"
finish
