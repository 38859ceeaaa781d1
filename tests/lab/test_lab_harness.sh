#!/usr/bin/env bash
# test_lab_harness.sh: docs/lab-guide.md's recipe for linking the library,
# run exactly as written. The shell blocks after "<!-- lab-recipe -->" (and,
# when the transport is built, "<!-- lab-recipe: http -->") are cut out of
# the guide and run in order, as one script, in a scratch copy of the
# checkout (symlinks to the source), with HOME in the scratch directory.
# They configure a fresh build with a prefix, install it, and build
#   tests/lab/harness.c       shared with a run path, shared with
#                             LD_LIBRARY_PATH, and static;
#   tests/lab/http_harness.c  with kexlab-http.pc (when -Dhttp builds it).
# Then this test checks what the recipe left: the programs' output against
# the standards' values, what each program needs at run time (the static one
# nothing of kexlab or GMP; none any HTTP library unless it uses HTTP), and
# the static link line.
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
# The guide is followed as a user would, outside the test harness: meson test
# points LD_LIBRARY_PATH at this build dir (under ASan, an instrumented
# libkexlab that the recipe's uninstrumented programs must not load).
unset LD_LIBRARY_PATH
GUIDE="$KL_SOURCE_ROOT/docs/lab-guide.md"
LAB="$KL_SOURCE_ROOT/tests/lab"

# A checkout to follow the guide in.
CO="$T_TMP/checkout"
mkdir -p "$CO" "$T_TMP/home"
for f in meson.build meson_options.txt include src docs scripts tests vectors; do
  ln -s "$KL_SOURCE_ROOT/$f" "$CO/$f"
done

# The recipe: the blocks marked MARKER, in order.
recipe() { # MARKER
  awk -v marker="<!-- $1 -->" '
    $0 == marker { want = 1; next }
    want && /^```/ { want = 0; inside = 1; next }
    inside && /^```/ { inside = 0; print ""; next }
    inside { print }
  ' "$GUIDE"
}
recipe lab-recipe >"$T_TMP/recipe.sh"
recipe "lab-recipe: http" >"$T_TMP/recipe-http.sh"
for step in 'meson install' 'pkg-config --variable=libdir' '-Wl,-rpath' 'LD_LIBRARY_PATH' \
    'pkg-config --static'; do
  expect_eq 1 "$(grep -c -- "$step" "$T_TMP/recipe.sh")" "lab-guide.md's recipe has '$step'"
done
expect_eq 1 "$(grep -c 'http_harness' "$T_TMP/recipe-http.sh")" "lab-guide.md has the http block"
# The transport's block runs when the install has the transport (the
# libraries it needs are installed): the same script, the block verbatim.
{
  echo 'if [ -n "$(find "$prefix" -name kexlab-http.pc)" ]; then'
  cat "$T_TMP/recipe-http.sh"
  echo 'fi'
} >>"$T_TMP/recipe.sh"

# Run it as a user would: bash -e, from the checkout. A sanitizer build's
# options must not leak into the fresh build.
if (cd "$CO" && env -u ASAN_OPTIONS -u UBSAN_OPTIONS HOME="$T_TMP/home" \
      bash -e "$T_TMP/recipe.sh") >"$T_TMP/recipe.out" 2>&1; then
  t_ok
else
  t_fail "docs/lab-guide.md's recipe failed; its last lines:"
  tail -15 "$T_TMP/recipe.out" >&2
  finish
  exit 1
fi

prefix="$T_TMP/home/opt/kexlab"
http=0
[ -n "$(find "$prefix" -name kexlab-http.pc)" ] && http=1
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
expect_eq "$prefix" "$(pkg-config --variable=prefix kexlab)" "kexlab.pc names the install prefix"
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

# 1. Shared, with a run path: runs with nothing in the environment.
"$CO/lab" >"$T_TMP/out" 2>&1
expect_eq 0 $? "./lab (run path) exit status"
check_harness "$T_TMP/out"
if needed "$CO/lab" | grep -Eq "$HTTP_LIBS|kexlab-http"; then
  t_fail "the shared crypto-only harness needs an HTTP library: $(needed "$CO/lab" | tr '\n' ' ')"
else t_ok; fi
# 2. Shared, without a run path: the loader does not find libkexlab alone...
env -u LD_LIBRARY_PATH "$CO/lab-norpath" >"$T_TMP/out-norpath" 2>&1
expect_eq 127 $? "./lab-norpath without LD_LIBRARY_PATH fails to start"
# ... and does with LD_LIBRARY_PATH, as the guide runs it.
LD_LIBRARY_PATH="$(pkg-config --variable=libdir kexlab)" "$CO/lab-norpath" >"$T_TMP/out-ld" 2>&1
expect_eq 0 $? "./lab-norpath with LD_LIBRARY_PATH exit status"
check_harness "$T_TMP/out-ld"

# 3. Static: the link line is exactly what kexlab.pc says a static link
# needs (libkexlab, GMP, -pthread), and the program needs neither at run time.
static_libs=$(pkg-config --static --libs kexlab)
echo "pkg-config --static --libs kexlab: $static_libs"
extra=""
for word in $static_libs; do
  case "$word" in -L* | -lkexlab | -lgmp | -pthread) ;; *) extra="$extra $word" ;; esac
done
expect_eq "" "$extra" "words in the static link line beside kexlab, gmp and -pthread"
"$CO/lab-static" >"$T_TMP/out-static" 2>&1
expect_eq 0 $? "./lab-static exit status"
check_harness "$T_TMP/out-static"
if needed "$CO/lab-static" | grep -Eq "$HTTP_LIBS|kexlab|gmp"; then
  t_fail "the static harness still needs: $(needed "$CO/lab-static" | tr '\n' ' ')"
else t_ok; fi

# The harness compiles warning-free (what the guide builds it with is plain cc).
if cc -std=c11 -Wall -Wextra -Werror -o "$T_TMP/harness-strict" "$LAB/harness.c" \
    $(pkg-config --cflags --libs kexlab) 2>"$T_TMP/cc.log"; then t_ok; else
  t_fail "harness.c warns against the installed headers"; tail -5 "$T_TMP/cc.log" >&2; fi

# 4. The REST transport through kexlab-http.pc.
if [ $http = 1 ]; then
  timeout 60 "$CO/http-lab" >"$T_TMP/out-http" 2>&1
  expect_eq 0 $? "./http-lab exit status"
  expect_eq "server-start KL_OK" "$(grep '^server-start' "$T_TMP/out-http")" "server start"
  expect_eq "server-port-bound yes" "$(grep '^server-port' "$T_TMP/out-http")" "port 0 bound"
  expect_eq "client-init KL_OK" "$(grep '^client-init' "$T_TMP/out-http")" "client init"
  expect_eq "health-status 200" "$(grep '^health-status' "$T_TMP/out-http")" "GET /v1/health"
  expect_eq "health-ok yes" "$(grep '^health-ok' "$T_TMP/out-http")" "health body"
else
  # No transport in this build: then kexlab-http must not be installed.
  expect_exit 1 test -e "$(pkg-config --variable=includedir kexlab)/kexlab/http.h"
fi
finish
