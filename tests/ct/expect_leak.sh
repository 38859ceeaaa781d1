#!/usr/bin/env bash
# expect_leak.sh VALGRIND PROGRAM ARGS...: the must-fail control of a ct test.
# It passes only when memcheck REPORTS errors (its --error-exitcode, 99), i.e.
# when the deliberately leaky variant really is caught. Any other outcome (a
# clean run, a crash, valgrind unable to read the debug information) fails,
# so a broken checker cannot pass for a working one.
set -u
vg=$1; shift
"$vg" --tool=memcheck --error-exitcode=99 --quiet "$@" >/dev/null 2>"${TMPDIR:-/tmp}/ct-leak.$$"
rc=$?
errors=$(grep -c 'uninitialised value' "${TMPDIR:-/tmp}/ct-leak.$$")
rm -f "${TMPDIR:-/tmp}/ct-leak.$$"
if [ "$rc" -eq 99 ] && [ "$errors" -gt 0 ]; then
  echo "leak caught: $errors secret-dependent branch or index report(s) from memcheck"
  exit 0
fi
echo "FAIL: the leaky control was not caught (exit $rc, $errors report(s))" >&2
exit 1
