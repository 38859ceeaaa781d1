#!/usr/bin/env bash
# test_demo_padding.sh: `kexlab demo pss` and `kexlab demo oaep --standard`
# against RSA Laboratories' pss-int.txt and oaep-int.txt (PKCS#1 v2.1 test
# suite, vectors/pkcs1/pkcs-1v2-1d2-vec/): every value of the --json trace,
# in order, equals the value the file prints under the matching heading
# (integers compared as integers). Also: the text output names every step,
# says that the CRT block is unblinded, ends with "consistent"; the default
# demo oaep does not grow the --standard values; bad input exits 2; a build
# without traces refuses with one line.
source "$(dirname "$0")/lib.sh"
K=$KEXLAB
V=${KL_VECTORS:?KL_VECTORS must point at the vectors directory}/pkcs1/pkcs-1v2-1d2-vec

if [ -n "${KL_BUILD_ROOT:-}" ] && grep -Eq '^#define KL_WITH_TRACE 0' "$KL_BUILD_ROOT/kl_config.h"; then
  for d in pss oaep; do
    expect_exit 2 "$K" demo $d
    expect_err_match "^kexlab demo $d: this build has traces disabled" "$K" demo $d --json
    expect_eq 1 "$(wc -l <"$T_TMP/err")" "demo $d without traces: one line"
  done
  finish
  exit $?
fi

# check.py FILE JSON ARRAY=NAME:HEADING,... : the records of each ARRAY of
# the JSON output, in order, have exactly these names, and each value equals
# the file's value under HEADING (the heading up to " =", "," or ":"; "-":
# the file prints no such value, checked apart).
cat >"$T_TMP/check.py" <<'PY'
import json, re, sys

def read_int_file(path):
    values, cur = {}, None
    for line in open(path):
        line = line.rstrip()
        if line.startswith("#"):
            cur = None
            if line.endswith(":"):
                cur = re.split(r" =|,|:", line[1:].strip())[0].strip()
                values[cur] = ""
            continue
        if cur is not None and re.fullmatch(r"[0-9a-fA-F ]+", line):
            values[cur] += line.replace(" ", "").lower()
    return values

values = read_int_file(sys.argv[1])
out = json.load(open(sys.argv[2]))
bad = 0
for spec in sys.argv[3:]:
    array, pairs = spec.split("=", 1)
    want = [p.split(":", 1) for p in pairs.split(",")]
    got = out.get(array)
    names = [r["name"] for r in got] if got is not None else None
    if names != [w[0] for w in want]:
        print(f"{array}: names {names}, want {[w[0] for w in want]}")
        bad += 1
        continue
    for rec, (name, heading) in zip(got, want):
        if heading == "-":
            continue
        file_hex = values.get(heading)
        if file_hex is None:
            print(f"{array}: the file has no '{heading}'")
            bad += 1
            continue
        if rec["kind"] == "int":
            ok = int(rec["int"]) == int(file_hex, 16)
        else:
            ours = rec["hex"]
            # PKCS#1 v2.0's EM (oaep-int.txt) has no leading 00 octet.
            if name == "EM" and len(ours) == len(file_hex) + 2 and ours.startswith("00"):
                ours = ours[2:]
            ok = ours == file_hex
        if not ok:
            print(f"{array}: {name} differs from the file's '{heading}'")
            bad += 1
        if rec["label"] != name or rec["kind"] not in ("int", "bytes"):
            print(f"{array}: {name}: label or kind wrong: {rec}")
            bad += 1
sys.exit(1 if bad else 0)
PY

check() {
  local what=$1; shift
  if /usr/bin/python3 "$T_TMP/check.py" "$@" >"$T_TMP/check.out" 2>&1; then t_ok; else
    t_fail "$what"; sed 's/^/  /' "$T_TMP/check.out" >&2; fi
}

# ---- demo pss ----
if "$K" demo pss --json >"$T_TMP/pss.json" 2>"$T_TMP/pss.err"; then t_ok; else t_fail "demo pss --json"; fi
check "demo pss against pss-int.txt" "$V/pss-int.txt" "$T_TMP/pss.json" \
  "signing=mHash:Message hash,salt:salt,M':inBlock,H:hash,DB:DB,dbMask:dbMask,maskedDB:maskedDB,EM:EM,s:Signature" \
  "verification=s:Signature,m:EM,EM:EM,mHash:Message hash,maskedDB:maskedDB,H:hash,dbMask:dbMask,DB:DB,salt:salt,M':inBlock,H':hash"
got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(d["command"], d["consistent"], d["S"] == sys.argv[2])' "$T_TMP/pss.json" \
  "$(sed -n '/^# Signature/,/^$/p' "$V/pss-int.txt" | grep -v '^#' | tr -d ' \r\n')")
expect_eq "demo pss True True" "$got" "demo pss: envelope, consistent, S is the file's"
expect_eq "" "$(grep -v WARNING "$T_TMP/pss.err" | grep -v 'never trace')" "demo pss: stderr holds the banner only"
expect_out_match '^H. = H: consistent' "$K" demo pss
expect_out_match '^  step 9\.1\.2 13  H. = Hash\(M.\)' "$K" demo pss
expect_out_match '^  s +8daa627d3de7595d' "$K" demo pss
expect_exit 0 "$K" demo pss --help
expect_exit 2 "$K" demo pss --bogus
expect_exit 2 "$K" demo pss extra

# ---- demo oaep --standard ----
if "$K" demo oaep --standard --json >"$T_TMP/oaep.json" 2>/dev/null; then t_ok; else
  t_fail "demo oaep --standard --json"; fi
check "demo oaep --standard against oaep-int.txt" "$V/oaep-int.txt" "$T_TMP/oaep.json" \
  "encryption=lHash:pHash,DB:DB,seed:seed,dbMask:dbMask,maskedDB:maskedDB,seedMask:seedMask,maskedSeed:maskedSeed,EM:EM,C:Ciphertext" \
  "rsadp=c:c,c mod p:c mod p,c mod q:c mod q,m_1:m1,m_2:m2,h:h,m:m" \
  "decryption=EM:EM,lHash:pHash,Y:-,maskedSeed:maskedSeed,maskedDB:maskedDB,seedMask:seedMask,seed:seed,dbMask:dbMask,DB:DB,lHash':-,M:Message to be encrypted"
# Y and lHash' have no line of their own in the file: Y is EM's first
# octet (0), lHash' DB's first hLen octets, which is pHash.
got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
r={x["name"]: x["hex"] for x in d["decryption"]}
print(d["command"], d["ok"], r["Y"], r["lHash'"'"'"] == r["lHash"] == r["DB"][:40])' "$T_TMP/oaep.json")
expect_eq "demo oaep True 00 True" "$got" "demo oaep --standard: Y, lHash'"
expect_out_match 'computed without blinding, for this demo only' "$K" demo oaep --standard
expect_out_match '^  m_1 +896ca26cd7e4871c' "$K" demo oaep --standard
expect_out_match "^  lHash' +da39a3ee" "$K" demo oaep --standard
# Without --standard, no CRT block and no step 3.b values.
"$K" demo oaep >"$T_TMP/default.txt" 2>/dev/null
expect_eq 0 "$(grep -Ec "^  (m_1|Y|lHash'|c mod p) " "$T_TMP/default.txt")" "demo oaep: default shows the usual values only"
"$K" demo oaep --json >"$T_TMP/default.json" 2>/dev/null
got=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print("rsadp" in d, [x["name"] for x in d["decryption"]])' "$T_TMP/default.json")
expect_eq "False ['EM', 'lHash', 'seedMask', 'seed', 'dbMask', 'DB', 'M']" "$got" "demo oaep --json: default decryption trace"
expect_exit 2 "$K" demo oaep --standard --sha256

finish
