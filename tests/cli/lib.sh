# lib.sh: tiny assertion helpers for the CLI test scripts. Each check prints
# "ok"/"FAIL" with the command; finish prints "N passed, N failed" and exits
# non-zero if anything failed.
: "${KEXLAB:?KEXLAB must point at the kexlab executable (meson test sets it)}"
T_PASS=0
T_FAIL=0
T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT

t_ok() { T_PASS=$((T_PASS + 1)); }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE CMD... : the command exits with CODE.
expect_exit() {
  local want=$1; shift
  "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
  local got=$?
  if [ "$got" -eq "$want" ]; then t_ok; else
    t_fail "exit $got (want $want): $*"; sed 's/^/  stderr: /' "$T_TMP/err" | head -5 >&2; fi
}

# expect_out_match REGEX CMD... : some line of stdout matches REGEX (grep -E).
expect_out_match() {
  local re=$1; shift
  "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
  if grep -Eq -- "$re" "$T_TMP/out"; then t_ok; else
    t_fail "stdout does not match /$re/: $*"; head -5 "$T_TMP/out" | sed 's/^/  stdout: /' >&2; fi
}

# expect_err_match REGEX CMD... : some line of stderr matches REGEX (grep -E).
# (That errors are ONE line is checked per command by test_cli_basics.sh.)
expect_err_match() {
  local re=$1; shift
  "$@" >"$T_TMP/out" 2>"$T_TMP/err" </dev/null
  if grep -Eq -- "$re" "$T_TMP/err"; then t_ok; else
    t_fail "stderr does not match /$re/: $*"; head -5 "$T_TMP/err" | sed 's/^/  stderr: /' >&2; fi
}

# expect_eq WANT GOT WHAT
expect_eq() {
  if [ "$1" = "$2" ]; then t_ok; else t_fail "$3: want '$1', got '$2'"; fi
}

finish() {
  echo "$T_PASS passed, $T_FAIL failed"
  [ "$T_FAIL" -eq 0 ]
}
