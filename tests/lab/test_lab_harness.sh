#!/usr/bin/env bash
# test_lab_harness.sh: install kexlab into a scratch prefix and build
# programs against it with pkg-config only, as a lab harness would:
#   harness.c       the crypto alone (kexlab.pc), linked shared, then
#                   static from `pkg-config --static --libs kexlab`, whose
#                   link line must name no HTTP library at all;
#   http_harness.c  the REST transport (kexlab-http.pc) on loopback, shared.
# What the programs print is checked against the standards' values.
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
: "${KL_BUILD_ROOT:?meson test sets KL_BUILD_ROOT}"
LAB="$KL_SOURCE_ROOT/tests/lab"
# A sanitizer build's library is instrumented: the programs must be too.
SAN=()
case "${KL_SANITIZE:-none}" in none | "") ;; *) SAN=("-fsanitize=$KL_SANITIZE") ;; esac
CFLAGS=(-std=c11 -Wall -Wextra -Werror "${SAN[@]}")

DEST="$T_TMP/dest"
if ! meson install -C "$KL_BUILD_ROOT" --destdir "$DEST" --no-rebuild --quiet \
    >"$T_TMP/install.log" 2>&1; then
  t_fail "meson install failed"
  tail -5 "$T_TMP/install.log" >&2
  finish
  exit 1
fi

# Point copies of the .pc files at the scratch install (prefix= rewritten),
# as a user would after installing under a prefix of their own.
mkdir -p "$T_TMP/pc"
for pcfile in $(find "$DEST" -name 'kexlab*.pc'); do
  prefix=$(sed -n 's/^prefix=//p' "$pcfile")
  sed "s|^prefix=.*|prefix=$DEST$prefix|" "$pcfile" >"$T_TMP/pc/$(basename "$pcfile")"
done
export PKG_CONFIG_PATH="$T_TMP/pc"
libdir=$(pkg-config --variable=libdir kexlab)
expect_exit 0 test -f "$(pkg-config --variable=includedir kexlab)/kexlab/kexlab.h"

# check_harness OUT: harness.c's lines in OUT against the standards.
check_harness() {
  # SHA-256("abc"): the FIPS 180-4 example (NIST's SHA256.pdf).
  expect_eq "sha256-abc ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" \
    "$(grep '^sha256-abc' "$1")" "SHA-256(abc)"
  # Wikipedia's RSA article: d = 2753 (mod phi), c = 2790.
  expect_eq "rsa3233-d 2753" "$(grep '^rsa3233-d' "$1")" "3233 d"
  expect_eq "rsa3233-c 2790" "$(grep '^rsa3233-c' "$1")" "3233 c"
  expect_eq "seeded-reproducible yes" "$(grep '^seeded' "$1")" "seeded generator"
  expect_eq "aes-bad-key KL_ERR_KEY_LEN" "$(grep '^aes-bad-key' "$1")" "error value"
}

# The libraries a program needs from its ELF header, one a line.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# Any HTTP library, or anything such a library drags in.
HTTP_LIBS='microhttpd|curl|jansson|ssl|crypto|nghttp|gnutls|ssh2|idn2|psl|rtmp|gssapi|ldap|nettle|hogweed|brotli|zstd'

# 1. The crypto alone, shared: the public headers and kexlab.pc suffice.
if cc "${CFLAGS[@]}" -o "$T_TMP/harness" "$LAB/harness.c" \
    $(pkg-config --cflags --libs kexlab) 2>"$T_TMP/cc.log"; then
  t_ok
  LD_LIBRARY_PATH="$libdir" "$T_TMP/harness" >"$T_TMP/out" 2>&1
  expect_eq 0 $? "shared harness exit status"
  check_harness "$T_TMP/out"
  if needed "$T_TMP/harness" | grep -Eq "$HTTP_LIBS|kexlab-http"; then
    t_fail "the shared crypto-only harness needs an HTTP library: $(needed "$T_TMP/harness" | tr '\n' ' ')"
  else t_ok; fi
else
  t_fail "harness does not compile against the installed headers"
  tail -5 "$T_TMP/cc.log" >&2
fi

# 2. The crypto alone, static. The link line is exactly what kexlab.pc
# says a static link needs: libkexlab and GMP (and -pthread), no more.
static_libs=$(pkg-config --static --libs kexlab)
echo "pkg-config --static --libs kexlab: $static_libs"
extra=""
for word in $static_libs; do
  case "$word" in -L* | -lkexlab | -lgmp | -pthread) ;; *) extra="$extra $word" ;; esac
done
expect_eq "" "$extra" "words in the static link line beside kexlab, gmp and -pthread"
if echo " $static_libs" | grep -Eq -- " -l[^ ]*($HTTP_LIBS)"; then
  t_fail "the static link line names an HTTP library: $static_libs"
else t_ok; fi
# -Bstatic: take libkexlab.a and libgmp.a, not the .so beside them.
if cc "${CFLAGS[@]}" -o "$T_TMP/harness-static" "$LAB/harness.c" $(pkg-config --cflags kexlab) \
    -Wl,-Bstatic $static_libs -Wl,-Bdynamic 2>"$T_TMP/cc-static.log"; then
  t_ok
  "$T_TMP/harness-static" >"$T_TMP/out-static" 2>&1
  expect_eq 0 $? "static harness exit status"
  check_harness "$T_TMP/out-static"
  if needed "$T_TMP/harness-static" | grep -Eq "$HTTP_LIBS|kexlab|gmp"; then
    t_fail "the static harness still needs: $(needed "$T_TMP/harness-static" | tr '\n' ' ')"
  else t_ok; fi
else
  t_fail "static link with \`pkg-config --static --libs kexlab\` failed"
  tail -5 "$T_TMP/cc-static.log" >&2
fi

# 3. The REST transport, shared, through kexlab-http.pc (built with -Dhttp).
if [ -f "$T_TMP/pc/kexlab-http.pc" ]; then
  if cc "${CFLAGS[@]}" -o "$T_TMP/http-harness" "$LAB/http_harness.c" \
      $(pkg-config --cflags --libs kexlab-http) 2>"$T_TMP/cc-http.log"; then
    t_ok
    LD_LIBRARY_PATH="$libdir" timeout 60 "$T_TMP/http-harness" >"$T_TMP/out-http" 2>&1
    expect_eq 0 $? "http harness exit status"
    expect_eq "server-start KL_OK" "$(grep '^server-start' "$T_TMP/out-http")" "server start"
    expect_eq "server-port-bound yes" "$(grep '^server-port' "$T_TMP/out-http")" "port 0 bound"
    expect_eq "client-init KL_OK" "$(grep '^client-init' "$T_TMP/out-http")" "client init"
    expect_eq "health-status 200" "$(grep '^health-status' "$T_TMP/out-http")" "GET /v1/health"
    expect_eq "health-ok yes" "$(grep '^health-ok' "$T_TMP/out-http")" "health body"
  else
    t_fail "http_harness does not build with \`pkg-config --libs kexlab-http\`"
    tail -5 "$T_TMP/cc-http.log" >&2
  fi
else
  # No transport in this build: then kexlab-http must not be installed.
  expect_exit 1 test -e "$(pkg-config --variable=includedir kexlab)/kexlab/http.h"
fi
finish
