#!/usr/bin/env bash
# test_attack_padding_oracle.sh: `kexlab demo attack padding-oracle`: the lab
# server that reports bad padding and the seed profile as shipped both give
# the message up; the hardened profile gives nothing. Then the worksheet's
# helpers: --challenge prints the weak server's frame, --oracle answers.
set -u
. "$(dirname "$0")/lib.sh"
K="$KEXLAB"
PY=/usr/bin/python3
CHECK="$(dirname "$0")/check_attack.py"

expect_exit 0 "$K" demo attack padding-oracle --help
expect_exit 2 "$K" demo attack padding-oracle --no-such-option
expect_exit 2 "$K" demo attack padding-oracle --challenge
expect_exit 2 "$K" demo attack padding-oracle --bits 512

"$K" demo attack padding-oracle --seed 01 --json >"$T_TMP/o.json"
expect_eq 0 $? "padding-oracle exit status"
expect_out_match '^ok' "$PY" "$CHECK" padding-oracle "$T_TMP/o.json" weak-server=worked seed-profile=worked \
  hardened=nothing
# The same seed, the same secret and the same queries (reproducible).
"$K" demo attack padding-oracle --seed 01 --json >"$T_TMP/o2.json"
a=$("$PY" -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["secret"], [r["queries"] for r in o["runs"]])' "$T_TMP/o.json")
b=$("$PY" -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["secret"], [r["queries"] for r in o["runs"]])' "$T_TMP/o2.json")
expect_eq "$a" "$b" "--seed makes the run reproducible"
expect_out_match 'ATTACK WORKED' "$K" demo attack padding-oracle --seed 01

# The worksheet's helpers.
frame=$("$K" demo attack padding-oracle --seed 01 --challenge)
expect_eq 128 "${#frame}" "the challenge frame is IV || 3 blocks"
expect_out_match '^padding ok$' "$K" demo attack padding-oracle --seed 01 --oracle "$frame"
last=${frame: -2}
bad=${frame:0:126}$(printf '%02x' $((0x$last ^ 0x01)))
expect_out_match '^bad padding$' "$K" demo attack padding-oracle --seed 01 --oracle "$bad"
printf '%s\n%s\n' "$frame" "$bad" | "$K" demo attack padding-oracle --seed 01 --oracle - >"$T_TMP/ans"
expect_eq "padding ok,bad padding" "$(paste -sd, "$T_TMP/ans")" "--oracle - answers line by line"
finish
