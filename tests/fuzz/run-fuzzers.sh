#!/usr/bin/env bash
# run-fuzzers.sh: run every libFuzzer harness of a -Dfuzz=enabled build on its
# seed corpus (tests/fuzz/corpus/<name>/) and then fuzz it for a while.
#   tests/fuzz/run-fuzzers.sh BUILD_DIR [SECONDS [JOBS]]
# SECONDS (default 20) is each harness's whole run, seeds included; JOBS
# (default 2) harnesses run at once. New inputs go to
# BUILD_DIR/fuzz-out/<name>/corpus/ (the seed folder is only read), a crash
# or a property failure to BUILD_DIR/fuzz-out/<name>/crash-<sha1> with the
# log beside it (log.txt). Prints per harness the executions and the
# coverage libFuzzer reached (its final stats and the last "cov:" figure),
# and exits non-zero when any harness failed.
# docs/hacking.md ("Fuzzing") says how to run them for hours.
set -euo pipefail
build=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS [JOBS]]}
seconds=${2:-20}
jobs=${3:-2}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
out=$build/fuzz-out

names=()
for exe in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$exe" ] && [ -f "$exe" ] && names+=("$(basename "$exe")")
done
if [ ${#names[@]} -eq 0 ]; then
  echo "run-fuzzers.sh: no harness in $build/tests/fuzz (configure with -Dfuzz=enabled)" >&2
  exit 2
fi

# one NAME: run fuzz_NAME; its status in $out/NAME/status.
one() {
  local exe=$1 name=${1#fuzz_}
  local dir=$out/$name
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  local status=0
  # -timeout: one input running over 10 s is a hang, reported like a crash.
  # ASan's leak check runs after every input that allocated more than it freed.
  (cd "$dir" && "$build/tests/fuzz/$exe" -max_total_time="$seconds" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$dir/" corpus "$here/corpus/$name" \
    >log.txt 2>&1) || status=$?
  echo "$status" >"$dir/status"
}
export -f one
export build out here seconds

printf '%s\n' "${names[@]}" | xargs -P "$jobs" -I{} bash -c 'one {}'

failed=0
printf '%-20s %12s %10s %8s %8s  %s\n' harness executions exec/s cov ft result
for exe in "${names[@]}"; do
  name=${exe#fuzz_}
  dir=$out/$name
  status=$(cat "$dir/status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log.txt" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log.txt" | tail -1)
  cov=$( (grep -o 'cov: [0-9]*' "$dir/log.txt" || true) | tail -1 | cut -d' ' -f2)
  ft=$( (grep -o 'ft: [0-9]*' "$dir/log.txt" || true) | tail -1 | cut -d' ' -f2)
  result=ok
  if [ "$status" != 0 ]; then
    result="FAILED (status $status): see $dir/log.txt"
    failed=1
  fi
  printf '%-20s %12s %10s %8s %8s  %s\n' "$name" "${runs:-?}" "${rate:-?}" "${cov:-?}" \
    "${ft:-?}" "$result"
done
if [ $failed -ne 0 ]; then
  for exe in "${names[@]}"; do
    dir=$out/${exe#fuzz_}
    [ "$(cat "$dir/status")" = 0 ] && continue
    echo "---- ${exe}: the end of $dir/log.txt" >&2
    grep -v '^#[0-9]' "$dir/log.txt" | tail -40 >&2
  done
  exit 1
fi
