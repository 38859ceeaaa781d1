#!/usr/bin/env bash
# test_attack_bleichenbacher.sh: `kexlab demo attack bleichenbacher`: the lab
# PKCS#1 v1.5 server with a conformance oracle falls; OAEP and PKCS#1 v1.5
# with implicit rejection give nothing. Seed 02 is one whose weak run needs
# only a few thousand queries (512-bit lab key), so the test stays short.
set -u
. "$(dirname "$0")/lib.sh"
K="$KEXLAB"
CHECK="$(dirname "$0")/check_attack.py"

expect_exit 0 "$K" demo attack bleichenbacher --help
expect_exit 2 "$K" demo attack bleichenbacher --bits 4096
"$K" demo attack bleichenbacher --seed 02 --json >"$T_TMP/o.json"
expect_eq 0 $? "bleichenbacher exit status"
expect_out_match '^ok' /usr/bin/python3 "$CHECK" bleichenbacher "$T_TMP/o.json" weak=worked normal-oaep=nothing \
  normal-implicit-rejection=nothing
expect_out_match 'a lab size' "$K" demo attack bleichenbacher --seed 02
finish
