#!/bin/bash
# test_json_schema.sh: every `kexlab ... --json` output against its schema in
# docs/schema (the contract of docs/json.md).
#
# tests/json/cases.txt holds one case per line, "<schema file> <kexlab
# arguments...>"; blank lines and lines starting with '#' are skipped. In the
# arguments @V@ stands for the vectors directory and @T@ for a scratch
# directory shared by all cases (they run in order, so a case may leave a key
# file there for a later one); it starts with one file, @T@/message, 32
# octets of text. Arguments are split at blanks: none may hold one.
#
# A case fails when kexlab exits with anything but 0 or 1 (1: a verification
# that failed still reports in JSON), when stdout is not exactly one JSON
# object on one line, or when that object does not validate. A case the build
# cannot run ("not available in this build", "this build has traces
# disabled") is skipped, its schema counted as covered. The run also
# fails when a schema in docs/schema has no case, when a schema is not a valid
# draft 2020-12 schema or its $id is not its file name, when an object in a
# schema lacks "additionalProperties": false, and when validation would pass
# vacuously: each output with one member added must fail.
#
# Validation uses Debian's /usr/bin/python3 and its python3-jsonschema
# (Draft202012Validator, with every schema of docs/schema in the resolver's
# store under its $id, so "common.schema.json#/$defs/decimal" resolves).
: "${KEXLAB:?KEXLAB must point at the kexlab executable (meson test sets it)}"
: "${KL_SOURCE_ROOT:?KL_SOURCE_ROOT must point at the source tree}"
: "${KL_VECTORS:=$KL_SOURCE_ROOT/vectors}"
PY=/usr/bin/python3
SCHEMAS="$KL_SOURCE_ROOT/docs/schema"
CASES="$KL_SOURCE_ROOT/tests/json/cases.txt"

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
  echo "SKIP: $PY has no jsonschema module (Debian: python3-jsonschema)" >&2
  exit 77
fi

T_TMP=$(mktemp -d)
trap 'rm -rf "$T_TMP"' EXIT
mkdir "$T_TMP/scratch" "$T_TMP/out"
printf 'the session key, 32 octets long!' >"$T_TMP/scratch/message"

fail=0
n=0
lineno=0
: >"$T_TMP/manifest"
set -f # no globbing of case arguments
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case "$line" in '' | '#'*) continue ;; esac
  read -r schema rest <<<"$line"
  rest=${rest//@V@/$KL_VECTORS}
  rest=${rest//@T@/$T_TMP/scratch}
  # shellcheck disable=SC2206 # splitting at blanks is the case format
  args=($rest)
  n=$((n + 1))
  out="$T_TMP/out/$lineno.json"
  "$KEXLAB" "${args[@]}" >"$out" 2>"$T_TMP/out/$lineno.err" </dev/null
  rc=$?
  if [ "$rc" -eq 2 ] &&
    grep -Eq ': not available in this build$|: this build has traces disabled' "$T_TMP/out/$lineno.err"; then
    # bench http without the REST transport, a demo without traces: the
    # schema counts as covered
    echo "cases.txt:$lineno: skipped, not in this build: kexlab ${args[*]}"
    printf '%s\t%s\t\n' "$lineno" "$schema" >>"$T_TMP/manifest"
    continue
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "FAIL: cases.txt:$lineno: kexlab ${args[*]}: exit $rc" >&2
    sed 's/^/  stderr: /' "$T_TMP/out/$lineno.err" | head -5 >&2
    fail=$((fail + 1))
    continue
  fi
  printf '%s\t%s\t%s\n' "$lineno" "$schema" "$out" >>"$T_TMP/manifest"
done <"$CASES"
set +f

"$PY" - "$SCHEMAS" "$T_TMP/manifest" "$CASES" <<'PYEOF'
import json, os, sys
import jsonschema

schema_dir, manifest, cases_file = sys.argv[1:4]
bad = 0

def fail(msg):
    global bad
    bad += 1
    print("FAIL: " + msg, file=sys.stderr)

def loose_objects(node, where):
    """The places in a schema that describe an object but let unknown members in."""
    found = []
    if isinstance(node, dict):
        t = node.get("type")
        if (t == "object" or (isinstance(t, list) and "object" in t)) and \
                node.get("additionalProperties") is not False and \
                node.get("unevaluatedProperties") is not False:
            found.append(where)
        for k, v in node.items():
            found += loose_objects(v, where + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += loose_objects(v, "%s/%d" % (where, i))
    return found

# Every schema, checked as a schema and stored under its $id.
store = {}
for name in sorted(os.listdir(schema_dir)):
    if not name.endswith(".schema.json"):
        continue
    try:
        s = json.load(open(os.path.join(schema_dir, name)))
        jsonschema.Draft202012Validator.check_schema(s)
    except Exception as e:
        fail("docs/schema/%s: not a valid schema: %s" % (name, str(e).splitlines()[0]))
        continue
    if s.get("$id") != name:
        fail("docs/schema/%s: $id is %r, not the file name" % (name, s.get("$id")))
    if s.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        fail("docs/schema/%s: $schema is not draft 2020-12" % name)
    store[name] = s
    for where in loose_objects(s, "#"):
        fail("docs/schema/%s: %s: an object without \"additionalProperties\": false" % (name, where))

def validator(name):
    s = store[name]
    resolver = jsonschema.RefResolver.from_schema(s, store=store)
    return jsonschema.Draft202012Validator(s, resolver=resolver)

def first_error(v, value):
    errs = sorted(v.iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errs:
        return None
    e = errs[0]
    where = "/".join(str(p) for p in e.absolute_path)
    return "%s%s" % ("at /%s: " % where if where else "", e.message[:300])

used = set()
cases = 0
for row in open(manifest):
    lineno, name, path = row.rstrip("\n").split("\t")
    used.add(name)
    if path == "":
        continue  # a command this build does not have
    cases += 1
    where = "cases.txt:%s (%s)" % (lineno, name)
    if name not in store:
        fail("%s: no schema docs/schema/%s" % (where, name))
        continue
    text = open(path, encoding="utf-8", errors="replace").read()
    lines = text.split("\n")
    if len(lines) != 2 or lines[1] != "" or lines[0] == "":
        fail("%s: stdout is not one line (%d lines)" % (where, len(lines) - 1))
        continue
    try:
        value = json.loads(lines[0])
    except ValueError as e:
        fail("%s: stdout is not JSON: %s" % (where, e))
        continue
    if not isinstance(value, dict):
        fail("%s: stdout is not a JSON object" % where)
        continue
    v = validator(name)
    err = first_error(v, value)
    if err:
        fail("%s: %s" % (where, err))
        continue
    # Not vacuous: the same output with a member it does not define must fail.
    extra = dict(value)
    extra["not_in_the_contract"] = "1"
    if v.is_valid(extra):
        fail("%s: an extra member passes: the schema is not strict" % where)

for name in sorted(store):
    if name != "common.schema.json" and name not in used:
        fail("docs/schema/%s has no case in tests/json/cases.txt" % name)

# The shared pieces refuse what the contract refuses.
def common(defname):
    r = jsonschema.RefResolver.from_schema(store["common.schema.json"], store=store)
    return jsonschema.Draft202012Validator({"$ref": "common.schema.json#/$defs/" + defname},
                                           resolver=r)
rec = {"name": "W[16]", "label": "W", "index": "16", "kind": "bytes", "hex": "61626380"}
state = {"hex": "00" * 16, "rows": ["00000000"] * 4}
checks = [
    ("trace_record", rec, True),
    ("trace_record", dict(rec, extra="x"), False),
    ("trace_record", dict(rec, index=16), False),
    ("trace_record", dict(rec, int="5"), False),
    ("trace_record", dict(rec, kind="int"), False),
    ("trace", [rec, {"name": "mHash", "label": "mHash", "kind": "text", "text": "x"}], True),
    ("decimal", "17", True), ("decimal", "-367", True), ("decimal", 17, False),
    ("decimal", "1.5", False), ("hex", "0a", True), ("hex", "0A", False), ("hex", "abc", False),
    ("aes_state", state, True), ("aes_state", dict(state, extra=1), False),
    ("aes_state", {"hex": "00" * 16, "rows": ["00000000"] * 3}, False),
]
for defname, value, want in checks:
    if common(defname).is_valid(value) != want:
        fail("common.schema.json#/$defs/%s %s %s" % (defname, "refuses" if want else "accepts",
                                                     json.dumps(value)))
if loose_objects({"type": "object", "additionalProperties": False,
                  "properties": {"a": {"type": "object"}}}, "#") != ["#/properties/a"]:
    fail("the additionalProperties check misses a loose nested object")
if cases == 0:
    fail("no case ran")
print("%d cases, %d schemas, %d failures" % (cases, len(store), bad))
sys.exit(1 if bad else 0)
PYEOF
py=$?
[ "$py" -ne 0 ] && fail=$((fail + 1))
echo "json-schema: $n cases run, $fail failed"
[ "$fail" -eq 0 ]
