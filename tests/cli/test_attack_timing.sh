#!/usr/bin/env bash
# test_attack_timing.sh: `kexlab demo attack timing`: square-and-multiply
# leaks the weight of the exponent, kexlab's exponentiation does not.
# Timing is physics: on a busy machine one run may miss, so the weak side
# gets three tries to read the weight within tolerance; the normal side
# must show no usable correlation in every run.
set -u
. "$(dirname "$0")/lib.sh"
K="$KEXLAB"
PY=/usr/bin/python3

expect_exit 0 "$K" demo attack timing --help
expect_exit 2 "$K" demo attack timing --bits 100
weak_ok=0
for try in 1 2 3; do
  "$K" demo attack timing --seed 0$try --json >"$T_TMP/o.json" 2>/dev/null
  verdict=$("$PY" - "$T_TMP/o.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
runs = {r["config"]: r for r in o["runs"]}
w, n = runs["weak"], runs["normal"]
weak = w["attack_worked"] and w["recovered"] is not None
normal_held = not n["attack_worked"] and n["recovered"] is None and abs(n["statistic"]["value"]) < 0.8
print("%d %d %.3f %.3f" % (weak, normal_held, w["statistic"]["value"], n["statistic"]["value"]))
PY
)
  read -r weak held rw rn <<<"$verdict"
  [ "$held" = 1 ] && t_ok || t_fail "try $try: the constant-time exponentiation correlates (rho $rn)"
  if [ "$weak" = 1 ]; then weak_ok=1; break; fi
  echo "try $try: the weak side missed (rho $rw); again" >&2
done
[ "$weak_ok" = 1 ] && t_ok || t_fail "square-and-multiply never gave the weight away in 3 tries"
finish
