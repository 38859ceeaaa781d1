#!/usr/bin/env bash
# run.sh: the two commands of the README's quick start, on a fresh Debian 12.
#   ./run.sh demo   install what is missing, build, run the main demo
#   ./run.sh test   install what is missing, build, run every test suite
#                   (normal build with -Dwerror=true, then the unit, vectors and http
#                   suites again under AddressSanitizer + UBSan)
# Needs root, or sudo, only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  gcc meson ninja-build pkg-config          # build
  libgmp-dev check                          # GMP arithmetic, Check tests
  libmicrohttpd-dev libcurl4-openssl-dev libjansson-dev   # REST transport
  python3 python3-cryptography python3-cryptography-vectors  # peers, vectors
  openssl coreutils valgrind                # peers and constant-time checks
  xxd curl                                  # test scripts: hex dumps, HTTP requests
  nettle-dev                                # key-generation benchmark peer (Nettle)
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
}

test_all() {
  install_missing
  # 1. The normal build: warnings are errors, every suite runs.
  setup build-test -Dwerror=true -Dbuildtype=debugoptimized -Dhttp=enabled -Dct_checks=enabled
  meson compile -C build-test
  meson test -C build-test --print-errorlogs --num-processes "$(nproc)"
  # 2. Traces compiled out (-Dtrace=false, the benchmark configuration) must
  #    build warning-free too; its demos refuse to run, so only build it.
  setup build-notrace -Dwerror=true -Dbuildtype=release -Dtrace=false -Dhttp=enabled \
    -Dct_checks=disabled -Dtests=disabled
  meson compile -C build-notrace
  # 3. AddressSanitizer + UBSan: the unit, vectors and http suites again.
  setup build-asan -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
    -Db_lundef=false -Dhttp=enabled -Dct_checks=disabled
  meson compile -C build-asan
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --suite unit --suite vectors --suite http \
      --num-processes "$(nproc)" --timeout-multiplier 4
  echo "run.sh: all test suites passed"
}

case "${1:-}" in
  demo) demo ;;
  test) test_all ;;
  *) echo "usage: ./run.sh demo | test" >&2; exit 2 ;;
esac
