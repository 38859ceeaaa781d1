#!/usr/bin/env bash
# test_api_docs.sh: the C API reference (docs/Doxyfile.in, -Ddocs=enabled)
# builds from the headers without a warning, and shows their comments.
#  - docs/doxygen_filter.py keeps every header's line count (so Doxygen's
#    messages point at real lines; kexlab.h gets the front page after its
#    last line) and turns every comment but the
#    "---- name ----" rules into a documentation comment;
#  - Doxygen, run on docs/Doxyfile.in as docs/meson.build fills it in,
#    writes api/index.html, warns about nothing, and a function's page
#    carries its header comment (kl_rsa_priv_check's).
set -u
. "$KL_SOURCE_ROOT/tests/cli/lib.sh"
FILTER="$KL_SOURCE_ROOT/docs/doxygen_filter.py"

for h in "$KL_SOURCE_ROOT"/include/kexlab/*.h; do
  /usr/bin/python3 "$FILTER" "$h" | sed '/^\/\*\* @mainpage/,$d' >"$T_TMP/filtered.h"
  expect_eq "$(wc -l <"$h")" "$(wc -l <"$T_TMP/filtered.h")" "$(basename "$h"): lines kept"
  left=$(grep -c '/\*[^*<]' "$T_TMP/filtered.h")
  rules=$(grep -c '/\* -\{2,\}.*-\{2,\} \*/' "$h")
  expect_eq "$rules" "$left" "$(basename "$h"): plain comments left (only the rules)"
done

if ! command -v doxygen >/dev/null; then
  echo "doxygen is not installed (Debian package doxygen): the reference itself not built"
  finish
  exit $?
fi
sed -e "s|@VERSION@|test|" -e "s|@SRCDIR@|$KL_SOURCE_ROOT|g" -e "s|@OUTDIR@|$T_TMP|g" \
  -e "s|@PYTHON@|/usr/bin/python3|" "$KL_SOURCE_ROOT/docs/Doxyfile.in" >"$T_TMP/Doxyfile"
expect_exit 0 doxygen "$T_TMP/Doxyfile"
expect_exit 0 test -f "$T_TMP/api/index.html"
expect_eq "" "$(cat "$T_TMP/doxygen-warnings.log" 2>/dev/null)" "Doxygen warnings"
expect_out_match 'Validate a key someone supplied' cat "$T_TMP/api/rsa_8h.html"
expect_out_match 'SHA-256, FIPS 180-4' cat "$T_TMP/api/sha256_8h.html"
expect_out_match 'Start at' cat "$T_TMP/api/index.html"
finish
