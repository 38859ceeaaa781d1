#!/usr/bin/env bash
# test_attack_cbc_iv.sh: `kexlab demo attack cbc-iv`: a predictable (chained)
# IV and a reused IV both let chosen plaintexts confirm the cookie octet by
# octet; kl_cbc_seal's fresh IVs give nothing.
set -u
. "$(dirname "$0")/lib.sh"
K="$KEXLAB"
CHECK="$(dirname "$0")/check_attack.py"

expect_exit 0 "$K" demo attack cbc-iv --help
expect_exit 2 "$K" demo attack cbc-iv --iv sometimes
expect_exit 2 "$K" demo attack cbc-iv --bits 512
"$K" demo attack cbc-iv --seed 01 --json >"$T_TMP/o.json"
expect_eq 0 $? "cbc-iv exit status"
expect_out_match '^ok' /usr/bin/python3 "$CHECK" cbc-iv "$T_TMP/o.json" weak-predictable-iv=worked \
  weak-reused-iv=worked normal=nothing
"$K" demo attack cbc-iv --iv reused --json >"$T_TMP/r.json"
expect_out_match '^ok' /usr/bin/python3 "$CHECK" cbc-iv "$T_TMP/r.json" weak-reused-iv=worked normal=nothing
finish
