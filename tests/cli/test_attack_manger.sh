#!/usr/bin/env bash
# test_attack_manger.sh: `kexlab demo attack manger`: the lab OAEP decoder
# that reports a nonzero first octet gives the wrapped key up in about
# log2(n) queries; kl_rsa_oaep_decrypt, one error, gives nothing.
set -u
. "$(dirname "$0")/lib.sh"
K="$KEXLAB"
CHECK="$(dirname "$0")/check_attack.py"

expect_exit 0 "$K" demo attack manger --help
expect_exit 2 "$K" demo attack manger --bits 512
"$K" demo attack manger --seed 01 --json >"$T_TMP/o.json"
expect_eq 0 $? "manger exit status"
expect_out_match '^ok' /usr/bin/python3 "$CHECK" manger "$T_TMP/o.json" weak=worked normal=nothing
# About log2(n) queries: 1024-bit key, well under 2000.
q=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"][0]["queries"])' <"$T_TMP/o.json")
[ "$q" -gt 900 ] && [ "$q" -lt 2000 ] && t_ok || t_fail "manger used $q queries"
finish
