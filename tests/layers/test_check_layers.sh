#!/usr/bin/env bash
# test_check_layers.sh: scripts/check-layers catches what it should. The tree
# under fixture/ has one upward include (core using hash's public header), one
# reach into another layer's internals (testvec using core/bytes.h) and, in
# src/hash/sha.c, the includes that are allowed; the checker must report
# exactly the two violations, with file and line, and exit 1.
# Usage: test_check_layers.sh [PYTHON] CHECK_LAYERS
set -u
[ $# -ge 1 ] || { echo "usage: test_check_layers.sh [PYTHON] CHECK_LAYERS" >&2; exit 2; }
check=("$@")
fixture="$(dirname "$0")/fixture"

out=$("${check[@]}" "$fixture")
rc=$?
expected='src/core/wipe.c:3: #include "kexlab/hash.h": layer core uses hash, which is above it
src/testvec/vec.c:4: #include "core/bytes.h": layer testvec uses src/core/bytes.h, an internal header of layer core
check-layers: 2 include(s) break the layer order'
if [ "$rc" -ne 1 ] || [ "$out" != "$expected" ]; then
  echo "FAIL: check-layers on $fixture: exit $rc (want 1), output:"
  echo "$out"
  echo "want:"
  echo "$expected"
  exit 1
fi
echo "ok: check-layers reports the fixture's two violations"
