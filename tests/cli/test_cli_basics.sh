#!/usr/bin/env bash
# test_cli_basics.sh: the command's contract (exit codes, --help, --version,
# one-line errors), independent of any algorithm.
set -u
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$KEXLAB" --help
expect_exit 0 "$KEXLAB" --version
expect_out_match '^kexlab [0-9]+\.[0-9]+\.[0-9]+$' "$KEXLAB" --version
expect_exit 2 "$KEXLAB"
expect_exit 2 "$KEXLAB" no-such-command
expect_err_match "unknown command 'no-such-command'" "$KEXLAB" no-such-command
for group in bench demo rsa; do
  expect_exit 0 "$KEXLAB" "$group" --help
  expect_exit 2 "$KEXLAB" "$group" no-such-subcommand
done
expect_exit 0 "$KEXLAB" vectors --help
expect_exit 2 "$KEXLAB" vectors
expect_exit 2 "$KEXLAB" vectors --no-such-option
expect_exit 2 "$KEXLAB" vectors /nonexistent/file.rsp
expect_out_match '^0 passed, 0 failed$' "$KEXLAB" vectors /nonexistent/file.rsp

# Every command and subcommand: --help exits 0 and prints a usage line; an
# unknown option exits 2 with exactly one line on stderr (no getopt line
# before ours). The names come from the help texts, so a new command is
# covered without editing this list.
cmds=$("$KEXLAB" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 && $1 ~ /^[a-z]/ {print $1}')
expect_eq 1 "$([ -n "$cmds" ] && echo 1)" "commands found in 'kexlab --help'"
names=()
for c in $cmds; do
  case $c in
  rsa | demo | bench)
    for sub in $("$KEXLAB" "$c" --help | awk '/^(Subcommands|Demos|Benchmarks):/ {on = 1; next} on && NF > 1 {print $1}'); do
      names+=("$c $sub")
    done ;;
  prime) names+=("prime test" "prime gen") ;;
  *) names+=("$c") ;;
  esac
done
for name in "${names[@]}"; do
  read -ra words <<<"$name"
  # A build without the REST transport (-Dhttp=disabled) keeps serve, client
  # and bench http as commands that refuse with a usage error.
  if "$KEXLAB" "${words[@]}" --help 2>&1 | grep -q 'not available in this build'; then
    expect_exit 2 "$KEXLAB" "${words[@]}" --help
    expect_err_match "^kexlab ${name}: not available in this build" "$KEXLAB" "${words[@]}" --help
    continue
  fi
  expect_out_match '^usage: ' "$KEXLAB" "${words[@]}" --help
  expect_exit 2 "$KEXLAB" "${words[@]}" --no-such-option
  n=$(wc -l <"$T_TMP/err")
  expect_eq 1 "$n" "stderr lines for '$name --no-such-option'"
  expect_err_match "^kexlab ${name}: unknown or ambiguous option '--no-such-option'" \
    "$KEXLAB" "${words[@]}" --no-such-option
done
finish
