#!/usr/bin/env bash
# test_demo_kex.sh: `kexlab demo kex`, `demo attack`, `bench kex` from the
# outside: seeded demos are byte-for-byte reproducible (the lab harness
# relies on it), different seeds differ, the JSON parses, every attack ends
# as expected, and bad input gets exit 2 with a one-line error.
source "$(dirname "$0")/lib.sh"

for p in hardened seed; do
  "$KEXLAB" demo kex --profile "$p" --seed 00c0ffee --json --messages 3 >"$T_TMP/a.json" 2>/dev/null
  "$KEXLAB" demo kex --profile "$p" --seed 00c0ffee --json --messages 3 >"$T_TMP/b.json" 2>/dev/null
  "$KEXLAB" demo kex --profile "$p" --seed 00c0ffef --json --messages 3 >"$T_TMP/c.json" 2>/dev/null
  if cmp -s "$T_TMP/a.json" "$T_TMP/b.json" && [ -s "$T_TMP/a.json" ]; then t_ok; else
    t_fail "$p: two runs with the same seed differ"; fi
  if cmp -s "$T_TMP/a.json" "$T_TMP/c.json"; then t_fail "$p: different seeds, same transcript"; else t_ok; fi
  ok=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["ok"], d["profile"], len(d["steps"]), [s["step"] for s in d["steps"]].count("rekey"))' "$T_TMP/a.json")
  expect_eq "True $p 4 1" "$ok" "$p: JSON transcript (ok, profile, 3 messages + 1 rekey)"
  # The text form is reproducible too.
  a=$("$KEXLAB" demo kex --profile "$p" --seed 01 | sha256sum)
  b=$("$KEXLAB" demo kex --profile "$p" --seed 01 | sha256sum)
  expect_eq "$a" "$b" "$p: text transcript reproducible"
done
expect_out_match 'k_c2s_enc' "$KEXLAB" demo kex --seed 02 --key-bits 1024
expect_out_match 'echo: message 4 from the client' "$KEXLAB" demo kex --profile seed --seed 02
expect_exit 0 "$KEXLAB" demo kex --help
expect_exit 2 "$KEXLAB" demo kex --profile nope
expect_err_match 'unknown profile' "$KEXLAB" demo kex --profile nope
expect_exit 2 "$KEXLAB" demo kex --seed xyz
expect_exit 2 "$KEXLAB" demo kex --seed ''
expect_exit 2 "$KEXLAB" demo kex --seed "$(printf '%0514d' 0)"   # 257 bytes: over the cap
expect_exit 2 "$KEXLAB" demo kex --messages 0
expect_exit 2 "$KEXLAB" demo kex --messages 1001
expect_exit 2 "$KEXLAB" demo kex --key-bits 1025
expect_exit 2 "$KEXLAB" demo kex extra
expect_exit 2 "$KEXLAB" demo kex --bogus

for a in bitflip replay mitm; do
  expect_exit 0 "$KEXLAB" demo attack "$a"
  expect_out_match 'ATTACK WORKED' "$KEXLAB" demo attack "$a" --profile seed
  expect_out_match 'attack refused' "$KEXLAB" demo attack "$a" --profile hardened
  r=$("$KEXLAB" demo attack "$a" --json | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["as_expected"], [r["attack_worked"] for r in d["runs"]])')
  expect_eq "True [True, False]" "$r" "attack $a JSON"
done
expect_exit 2 "$KEXLAB" demo attack
expect_exit 2 "$KEXLAB" demo attack nope
expect_exit 2 "$KEXLAB" demo attack bitflip --profile nope
expect_exit 0 "$KEXLAB" demo attack --help

expect_exit 0 "$KEXLAB" bench kex --help
expect_exit 2 "$KEXLAB" bench kex --rounds 0
expect_out_match 'goal <= 1.2' "$KEXLAB" bench kex --quick
finish
