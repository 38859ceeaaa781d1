#!/usr/bin/env bash
# test_debugging_gdb.sh: the gdb sessions of docs/debugging.md, run as
# written. Each fenced block after a "<!-- docs-test: gdb -->" line is one
# session: "$ gdb ... --args build/src/cli/kexlab ARGS" starts it (run here
# under gdb -batch), other "$ " lines are shell commands run before it,
# "(gdb) " lines are its commands, and every other line is output that must
# appear, whole, in what gdb prints. The sessions run in a scratch directory
# where build/src/cli/kexlab is this build's kexlab and scripts/ the
# source's, so the document's relative paths work unchanged.
# Beside the document's own lines, the values are checked against their
# sources: Wikipedia's RSA example, FIPS 197 Appendix C.1, FIPS 180-4's "abc".
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
GUIDE="$KL_SOURCE_ROOT/docs/debugging.md"
if ! command -v gdb >/dev/null; then
  echo "gdb is not installed (Debian package gdb): skipped"
  exit 77
fi

W="$T_TMP/work"
mkdir -p "$W/build/src/cli"
ln -s "$KEXLAB" "$W/build/src/cli/kexlab"
ln -s "$KL_SOURCE_ROOT/scripts" "$W/scripts"

# Cut the marked blocks out of the guide: block1.txt, block2.txt, ...
awk -v dir="$T_TMP" '
  /^<!-- docs-test: gdb -->$/ { want = 1; next }
  want && /^```/ { want = 0; inside = 1; n++; next }
  inside && /^```/ { inside = 0; next }
  inside { print > (dir "/block" n ".txt") }
' "$GUIDE"
blocks=$(ls "$T_TMP"/block*.txt 2>/dev/null | wc -l)
expect_eq 3 "$blocks" "marked gdb sessions in docs/debugging.md"

ALL="$T_TMP/all-output.txt"
: >"$ALL"
for block in "$T_TMP"/block*.txt; do
  name=$(basename "$block" .txt)
  cmds="$T_TMP/$name.gdb"
  want="$T_TMP/$name.want"
  : >"$cmds"
  : >"$want"
  gdb_line=""
  while IFS= read -r line; do
    case "$line" in
      '$ gdb '*) gdb_line=${line#'$ gdb '} ;;
      '$ '*) (cd "$W" && bash -c "${line#'$ '}") ;;
      '(gdb) '*) printf '%s\n' "${line#'(gdb) '}" >>"$cmds" ;;
      *) printf '%s\n' "$line" >>"$want" ;;
    esac
  done <"$block"
  if [ -z "$gdb_line" ]; then
    t_fail "$name: no '\$ gdb' line"
    continue
  fi
  read -ra gdb_args <<<"$gdb_line"
  out="$T_TMP/$name.out"
  (cd "$W" && timeout 120 gdb -batch -x "$cmds" "${gdb_args[@]}") >"$out" 2>&1 </dev/null
  cat "$out" >>"$ALL"
  if grep -q 'Error in sourced command file' "$out"; then
    t_fail "$name: a gdb command failed: $(grep -A2 'Error in sourced' "$out" | tr '\n' ' ')"
  else t_ok; fi
  while IFS= read -r line; do
    if grep -Fqx -- "$line" "$out"; then t_ok; else
      t_fail "$name: gdb did not print the guide's line '$line'"
      sed 's/^/  gdb: /' "$out" | tail -8 >&2
    fi
  done <"$want"
done

# The values, from their sources (not from the guide):
# Wikipedia's RSA article: m = 65, e = 17, n = 61*53 = 3233, c = 2790.
for v in "b = 65 " "e = 17 " "m = 3233 " "c = 2790 "; do
  if grep -q "^$v" "$ALL"; then t_ok; else t_fail "no kl-mpz line starting '$v'"; fi
done
# FIPS 197 Appendix C.1, round[ 1].s_row (column by column); kl-hex of the
# state_t s[r][c] gives it row by row, i.e. transposed.
s_row=6353e08c0960e104cd70b751bacad0e7
rows=""
for r in 0 1 2 3; do
  for c in 0 1 2 3; do rows="$rows${s_row:$(((4 * c + r) * 2)):2}"; done
done
if grep -Fqx "$rows" "$ALL"; then t_ok; else t_fail "the state in mix_columns is not FIPS 197 C.1 round[1].s_row ($rows)"; fi
# FIPS 180-4's example message "abc".
if grep -Fqx "$(printf abc | od -An -tx1 | tr -d ' \n')" "$ALL"; then t_ok; else
  t_fail "kl-hex did not print the bytes of abc"; fi
finish
