#!/usr/bin/env bash
# test_lab_harness.sh: install libkexlab into a scratch prefix, build
# tests/lab/harness.c against it with pkg-config only (as a lab harness
# would), link it shared and static, and check what it prints against the
# standards' values.
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
: "${KL_BUILD_ROOT:?meson test sets KL_BUILD_ROOT}"
HARNESS="$KL_SOURCE_ROOT/tests/lab/harness.c"
# A sanitizer build's library is instrumented: the program must be too.
SAN=()
case "${KL_SANITIZE:-none}" in none | "") ;; *) SAN=("-fsanitize=$KL_SANITIZE") ;; esac

DEST="$T_TMP/dest"
if ! meson install -C "$KL_BUILD_ROOT" --destdir "$DEST" --no-rebuild --quiet \
    >"$T_TMP/install.log" 2>&1; then
  t_fail "meson install failed"
  tail -5 "$T_TMP/install.log" >&2
  finish
  exit 1
fi

# Point a copy of kexlab.pc at the scratch install (prefix= rewritten), as a
# user would after installing under a prefix of their own.
pcfile=$(find "$DEST" -name kexlab.pc | head -1)
prefix=$(sed -n 's/^prefix=//p' "$pcfile")
mkdir -p "$T_TMP/pc"
sed "s|^prefix=.*|prefix=$DEST$prefix|" "$pcfile" >"$T_TMP/pc/kexlab.pc"
export PKG_CONFIG_PATH="$T_TMP/pc"
libdir=$(pkg-config --variable=libdir kexlab)
expect_exit 0 test -f "$DEST$prefix/include/kexlab/kexlab.h"

# Shared library: compile with the public headers only, run, compare.
if cc -std=c11 -Wall -Wextra -Werror "${SAN[@]}" -o "$T_TMP/harness" "$HARNESS" \
    $(pkg-config --cflags --libs kexlab) 2>"$T_TMP/cc.log"; then
  t_ok
  LD_LIBRARY_PATH="$libdir" "$T_TMP/harness" >"$T_TMP/out" 2>&1
  expect_eq 0 $? "harness exit status"
  # SHA-256("abc"): the FIPS 180-4 example (NIST's SHA256.pdf).
  expect_eq "sha256-abc ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" \
    "$(grep '^sha256-abc' "$T_TMP/out")" "SHA-256(abc)"
  # Wikipedia's RSA article: d = 2753 (mod phi), c = 2790.
  expect_eq "rsa3233-d 2753" "$(grep '^rsa3233-d' "$T_TMP/out")" "3233 d"
  expect_eq "rsa3233-c 2790" "$(grep '^rsa3233-c' "$T_TMP/out")" "3233 c"
  expect_eq "seeded-reproducible yes" "$(grep '^seeded' "$T_TMP/out")" "seeded generator"
  expect_eq "aes-bad-key KL_ERR_KEY_LEN" "$(grep '^aes-bad-key' "$T_TMP/out")" "error value"
else
  t_fail "harness does not compile against the installed headers"
  tail -5 "$T_TMP/cc.log" >&2
fi

# Static library, for a harness that uses no HTTP: libkexlab.a pulls in only
# the objects it needs, so GMP, threads and libm are enough.
if cc -std=c11 "${SAN[@]}" -o "$T_TMP/harness-static" "$HARNESS" $(pkg-config --cflags kexlab) \
    "$libdir/libkexlab.a" $(pkg-config --libs gmp) -pthread -lm 2>"$T_TMP/cc-static.log"; then
  t_ok
  expect_out_match '^rsa3233-c 2790$' "$T_TMP/harness-static"
else
  t_fail "static link against libkexlab.a failed"
  tail -5 "$T_TMP/cc-static.log" >&2
fi
finish
