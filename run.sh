#!/usr/bin/env bash
# run.sh: the two commands of the README's quick start, on a fresh Debian 12.
#   ./run.sh demo   install what is missing, build, run the main demo, and
#                   say how to open the lab page (kexlab serve --lab)
#   ./run.sh test   install what is missing, build, run every test suite:
#                   every suite built by gcc and by clang (-Dwerror=true), the
#                   unit suite's Check programs under valgrind memcheck, the kex
#                   and http suites under ThreadSanitizer, and the unit, vectors
#                   and http suites under AddressSanitizer + UBSan (and the
#                   deploy suite: nodes behind nginx), and a short fuzzing
#                   run of every tests/fuzz harness. Prints
#                   "run.sh: all test suites passed" only if all of them did;
#                   stops at the first failure with a non-zero exit status.
# Needs root, or sudo, only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  gcc meson ninja-build pkg-config          # build
  clang libclang-rt-14-dev                  # second compiler, its sanitizer runtimes, libFuzzer
  libgmp-dev check                          # GMP arithmetic, Check tests
  libmicrohttpd-dev libcurl4-openssl-dev libjansson-dev   # REST transport
  python3 python3-cryptography python3-cryptography-vectors  # peers, vectors
  openssl coreutils valgrind                # peers and constant-time checks
  xxd curl                                  # test scripts: hex dumps, HTTP requests
  python3-jsonschema                        # tests/json: --json outputs against docs/schema
  nettle-dev                                # key-generation benchmark peer (Nettle)
  doxygen gdb                               # C API reference; docs suite (debugging.md)
  clang-format                              # scripts/check-format: the layout of .clang-format
  chromium chromium-driver python3-selenium # tests/browser: the lab page in a headless browser
  nginx prometheus                          # tests/deploy: the HTTPS edge, promtool check metrics
)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "run.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# setup DIR OPTIONS...: configure DIR (or reconfigure it with OPTIONS).
setup() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson configure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

demo() {
  install_missing
  setup build
  meson compile -C build >/dev/null
  ./build/src/cli/kexlab demo rsa-3233
  cat <<'EOT'

The lab page (AES, RSA, OAEP and SHA-256 step by step, and a live session
from the browser with WebCrypto; docs/lab-page.md):
  ./build/src/cli/kexlab serve --lab
  then open http://127.0.0.1:8443/lab/ in a browser on this machine.
EOT
}

# step NAME: announce the next step; on a failure, the EXIT trap names it.
current_step=""
step() {
  current_step=$1
  echo "run.sh: == $current_step (at ${SECONDS}s)" >&2
}

# tsan_launcher DIR: set TSAN_RUN to what runs DIR's ThreadSanitizer programs.
# TSan maps its shadow memory at fixed addresses; on kernels with more address
# randomisation (vm.mmap_rnd_bits above 28) a TSan program dies at startup
# ("unexpected memory mapping"). Then run the suites with ASLR off
# (setarch -R, inherited by every process the tests start).
tsan_launcher() {
  local probe=$1/src/cli/kexlab
  TSAN_RUN=()
  "$probe" --version >/dev/null 2>&1 && return 0
  TSAN_RUN=(setarch "$(uname -m)" -R)
  "${TSAN_RUN[@]}" "$probe" --version >/dev/null 2>&1 && return 0
  echo "run.sh: ThreadSanitizer programs do not start, even with ASLR off;" \
    "try: sysctl vm.mmap_rnd_bits=28" >&2
  return 1
}

test_all() {
  install_missing
  trap '[ $? -eq 0 ] || echo "run.sh: FAILED in step: $current_step" >&2' EXIT
  # Two test processes at a time, whatever the machine: the http suite's load
  # test and the valgrind pass are timed for that.
  local jobs=(--num-processes 2)

  # 0. Formatting: every C file as .clang-format lays it out.
  step "format"
  scripts/check-format

  # 1. The normal build (gcc): warnings are errors, every suite runs
  #    (the unit suite includes scripts/check-layers, the layer order of src/).
  step "gcc build, every suite"
  setup build-test -Dwerror=true -Dbuildtype=debugoptimized -Dhttp=enabled -Dct_checks=enabled \
    -Ddocs=enabled
  meson compile -C build-test
  meson test -C build-test --print-errorlogs "${jobs[@]}"

  # 2. The same with clang, whose warnings and optimiser differ from gcc's.
  #    -gdwarf-4: clang 14 writes DWARF 5 by default, which Debian 12's
  #    valgrind cannot read, and the ct suite runs under valgrind.
  step "clang build, every suite"
  CC=clang setup build-clang -Dwerror=true -Dbuildtype=debugoptimized -Dhttp=enabled \
    -Dct_checks=enabled -Dc_args=-gdwarf-4
  meson compile -C build-clang
  #    The browser suite (the lab page) ran in step 1: its C side is the same.
  meson test -C build-clang --print-errorlogs --no-suite browser "${jobs[@]}"

  # 3. Traces compiled out (-Dtrace=false, the benchmark configuration) must
  #    build warning-free too; its demos refuse to run, so only build it.
  step "gcc build without traces"
  setup build-notrace -Dwerror=true -Dbuildtype=release -Dtrace=false -Dhttp=enabled \
    -Dct_checks=disabled -Dtests=disabled
  meson compile -C build-notrace

  # 4. valgrind memcheck over the unit suite's Check programs (suite
  #    unit-check), in the gcc build of step 1: invalid reads and writes,
  #    uses of uninitialised memory, leaks. Check forks each test; memcheck
  #    follows the fork and an error fails that test. The unit suite's shell
  #    tests are left out: wrapped, memcheck would check bash, not kexlab.
  #    Slowdowns of 20-50x: Check's per-test timeouts and meson's are
  #    stretched alike.
  step "valgrind memcheck, unit suite"
  CK_TIMEOUT_MULTIPLIER=10 \
    meson test -C build-test --print-errorlogs --suite unit-check "${jobs[@]}" \
      --timeout-multiplier 10 --no-rebuild \
      --wrap='valgrind --error-exitcode=1 --leak-check=full --quiet'

  # 5. ThreadSanitizer (clang): the kex suite (the server's worker pool and
  #    many client threads) and the http suite (kexlab serve under load).
  step "ThreadSanitizer, kex and http suites"
  CC=clang setup build-tsan -Dwerror=true -Dbuildtype=debugoptimized -Db_sanitize=thread \
    -Db_lundef=false -Dhttp=enabled -Dct_checks=disabled
  meson compile -C build-tsan
  tsan_launcher build-tsan
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 CK_TIMEOUT_MULTIPLIER=4 \
    "${TSAN_RUN[@]}" meson test -C build-tsan --print-errorlogs --suite kex --suite http \
      "${jobs[@]}" --timeout-multiplier 4 --no-rebuild

  # 6. AddressSanitizer + UBSan (gcc): the unit, vectors and http suites again.
  step "AddressSanitizer + UBSan, unit, vectors and http suites"
  setup build-asan -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
    -Db_lundef=false -Dhttp=enabled -Dct_checks=disabled
  meson compile -C build-asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 CK_TIMEOUT_MULTIPLIER=4 \
    meson test -C build-asan --print-errorlogs --suite unit --suite vectors --suite http \
      "${jobs[@]}" --timeout-multiplier 4 --no-rebuild

  # 7. The deploy suite (three nodes behind nginx, tests/deploy) under
  #    AddressSanitizer + UBSan, in the build of step 6: nodes drained,
  #    restarted and stopped must leak nothing and touch no freed memory.
  #    It runs smaller counts under a sanitizer (about a minute).
  step "AddressSanitizer + UBSan, deploy suite"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --suite deploy "${jobs[@]}" \
      --timeout-multiplier 4 --no-rebuild

  # 8. Fuzzing (clang's libFuzzer, under ASan + UBSan): every harness of
  #    tests/fuzz on its seed corpus, then fuzzing until 20 seconds are up,
  #    two harnesses at a time. A crash, a sanitizer report, a hang or a
  #    failed property fails the step. Prints executions and coverage per
  #    harness; inputs and crashes land in build-fuzz/fuzz-out/.
  step "fuzzing, tests/fuzz"
  CC=clang setup build-fuzz -Dwerror=true -Dbuildtype=debugoptimized -Dfuzz=enabled \
    -Db_sanitize=address,undefined -Db_lundef=false -Dhttp=enabled -Dtests=disabled \
    -Dct_checks=disabled
  meson compile -C build-fuzz fuzzers
  tests/fuzz/run-fuzzers.sh build-fuzz 20 2

  echo "run.sh: all test suites passed"
}

case "${1:-}" in
  demo) demo ;;
  test) test_all ;;
  *) echo "usage: ./run.sh demo | test" >&2; exit 2 ;;
esac
