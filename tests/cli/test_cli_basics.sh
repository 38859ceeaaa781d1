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
finish
