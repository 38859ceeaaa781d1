#!/usr/bin/env bash
# test_cli_rsa_keygen.sh: kexlab rsa keygen (checked by python3 on the printed
# values) and kexlab demo rsa-3233 (its --json against
# vectors/rsa-wikipedia-3233.txt), and bad inputs.
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
V=${KL_VECTORS:-$KL_SOURCE_ROOT/vectors}

# keygen: parse the openssl-style text, check it with python's integers
check_key_text() { # FILE BITS E
  $PY - "$1" "$2" "$3" <<'PYEOF'
import sys, re, math
text = open(sys.argv[1]).read()
bits, e_want = int(sys.argv[2]), int(sys.argv[3])
def field(name):
    m = re.search(name + r":\n((?:    [0-9a-f:]+\n)+)", text)
    return int(m.group(1).replace(" ", "").replace("\n", "").replace(":", ""), 16)
n, d, p, q = field("modulus"), field("privateExponent"), field("prime1"), field("prime2")
dP, dQ, qi = field("exponent1"), field("exponent2"), field("coefficient")
e = int(re.search(r"publicExponent: (\d+)", text).group(1))
lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
ok = (n == p * q and n.bit_length() == bits and e == e_want and e * d % lam == 1
      and dP == d % (p - 1) and dQ == d % (q - 1) and q * qi % p == 1
      and pow(pow(12345, e, n), d, n) == 12345 and abs(p - q) > 2 ** (bits // 2 - 100))
print("ok" if ok else "bad")
PYEOF
}
"$KEXLAB" rsa keygen --bits 1024 --format text --out "$T_TMP/k1" 2>/dev/null
expect_eq ok "$(check_key_text "$T_TMP/k1" 1024 65537)" "keygen 1024 values"
"$KEXLAB" rsa keygen --format text --out "$T_TMP/k2" 2>/dev/null
expect_eq ok "$(check_key_text "$T_TMP/k2" 2048 65537)" "keygen default 2048"
"$KEXLAB" rsa keygen --bits 1024 --e 3 --phi --format text --out "$T_TMP/k3" 2>/dev/null
expect_eq ok "$(check_key_text "$T_TMP/k3" 1024 3)" "keygen e=3 --phi"
expect_err_match 'warning: e below 65537' "$KEXLAB" rsa keygen --bits 1024 --e 17
expect_err_match 'labs only' "$KEXLAB" rsa keygen --bits 1024 --seed 0102
a=$("$KEXLAB" rsa keygen --bits 1024 --seed 0102 2>/dev/null | sha256sum)
b=$("$KEXLAB" rsa keygen --bits 1024 --seed 0102 2>/dev/null | sha256sum)
expect_eq "$a" "$b" "seeded keygen is reproducible"
"$KEXLAB" rsa keygen --bits 1024 --progress >/dev/null 2>"$T_TMP/prog"
expect_eq 1 "$(grep -c '^[.+]*\*$' "$T_TMP/prog" | awk '{print ($1 == 2)}')" "progress: one line per prime"
# ... and none when stderr is not a terminal and --progress is absent
"$KEXLAB" rsa keygen --bits 1024 >/dev/null 2>"$T_TMP/noprog"
expect_eq "" "$(cat "$T_TMP/noprog")" "no progress on a non-terminal stderr"
# bad input
expect_exit 2 "$KEXLAB" rsa keygen --bits 512
expect_exit 2 "$KEXLAB" rsa keygen --bits 1025
expect_exit 2 "$KEXLAB" rsa keygen --bits 9000
expect_exit 2 "$KEXLAB" rsa keygen --bits abc
expect_exit 2 "$KEXLAB" rsa keygen --e 4
expect_exit 2 "$KEXLAB" rsa keygen --e 1
expect_exit 2 "$KEXLAB" rsa keygen --e 0
expect_exit 2 "$KEXLAB" rsa keygen --e -3
expect_exit 2 "$KEXLAB" rsa keygen --e ""
expect_exit 2 "$KEXLAB" rsa keygen --e 65537x
expect_exit 2 "$KEXLAB" rsa keygen --seed ""
expect_exit 2 "$KEXLAB" rsa keygen --seed xyz
expect_exit 2 "$KEXLAB" rsa keygen extra
expect_exit 2 "$KEXLAB" rsa keygen --bits 1024 --out /nonexistent/dir/key
expect_exit 0 "$KEXLAB" rsa keygen --help

# keygen --trace: every candidate's Miller-Rabin rounds and every check of
# FIPS 186-5 A.1.3 / A.1.1 with its threshold, recomputed independently from
# the printed p, q, e (check_nt_trace.py, Python integers only).
CHK="$PY $(dirname "$0")/check_nt_trace.py"
if [ -n "${KL_BUILD_ROOT:-}" ] && grep -Eq '^#define KL_WITH_TRACE 0' "$KL_BUILD_ROOT/kl_config.h"; then
  expect_exit 2 "$KEXLAB" rsa keygen --bits 1024 --trace
  expect_err_match 'this build has traces disabled' "$KEXLAB" rsa keygen --bits 1024 --trace
else
for args in "--seed 00" "--seed 0102 --e 3 --phi" "--seed 77 --e 17"; do
  phi=; case $args in *--phi*) phi=--phi;; esac
  res=$("$KEXLAB" rsa keygen --bits 1024 $args --trace 2>/dev/null | $CHK keygen $phi)
  expect_eq ok "$res" "rsa keygen --bits 1024 $args --trace against A.1.3"
done
# ... the same key as without --trace, and the same values as --json gives
"$KEXLAB" rsa keygen --bits 1024 --seed 00 2>/dev/null >"$T_TMP/plain"
"$KEXLAB" rsa keygen --bits 1024 --seed 00 --trace 2>/dev/null >"$T_TMP/traced"
expect_eq "$(cat "$T_TMP/plain")" "$(grep -v '^  [^ ]* = ' "$T_TMP/traced")" "keygen --trace: the same key"
expect_err_match 'WARNING: this trace prints secret' "$KEXLAB" rsa keygen --bits 1024 --trace
fi
"$KEXLAB" rsa keygen --bits 1024 --seed 00 --json 2>/dev/null >"$T_TMP/k.json"
res=$($PY - "$T_TMP/k.json" "$T_TMP/traced" <<'PYEOF'
import sys, json, math, os, re
k = json.load(open(sys.argv[1]))
tr = None  # no trace in a build without trace hooks
if os.path.exists(sys.argv[2]):
    tr = dict(re.findall(r"^  ([pqd]) = (\d+)$", open(sys.argv[2]).read(), re.M))
n, e, d, p, q = (int(k[x]) for x in ("n", "e", "d", "p", "q"))
lam = (p - 1) * (q - 1) // math.gcd(p - 1, q - 1)
ok = (k["command"] == "rsa keygen" and k["nlen"] == "1024" and n == p * q and e == 65537
      and e * d % lam == 1 and int(k["dP"]) == d % (p - 1) and int(k["dQ"]) == d % (q - 1)
      and q * int(k["qInv"]) % p == 1 and tr in (None, {"p": k["p"], "q": k["q"], "d": k["d"]}))
print("ok" if ok else "bad")
PYEOF
)
expect_eq ok "$res" "keygen --json values, and the traced p, q, d"
expect_exit 2 "$KEXLAB" rsa keygen --json --out "$T_TMP/never"
expect_exit 2 "$KEXLAB" rsa keygen --json --format pem

# demo rsa-3233 --json against the transcribed Wikipedia values
"$KEXLAB" demo rsa-3233 --json >"$T_TMP/demo.json"
expect_exit 0 "$KEXLAB" demo rsa-3233
res=$($PY - "$T_TMP/demo.json" "$V/rsa-wikipedia-3233.txt" <<'PYEOF'
import sys, json
d = json.load(open(sys.argv[1]))
want = {}
for line in open(sys.argv[2]):
    line = line.strip()
    if line and not line.startswith("#"):
        k, v = [x.strip() for x in line.split("=", 1)]
        want[k] = v
# The article writes m1, m2; the output RFC 8017's m_1, m_2.
bad = [k for k, v in want.items() if d.get({"m1": "m_1", "m2": "m_2"}.get(k, k)) != v]
if d.get("command") != "demo rsa-3233": bad.append("command")
rows = {(r["label"], r.get("index")): r.get("int") for r in d["traces_d"]["phi"]}
if rows.get(("t", "4")) != "-367" or rows.get(("r", "5")) != "0": bad.append("egcd rows")
enc = {(r["label"], r.get("index")): r.get("int") for r in d["trace_encrypt"]}
if enc.get(("multiply", "0")) != "2790" or enc.get(("square", "3")) != "992": bad.append("modexp rows")
# The same traces as table rows: Wikipedia's Euclid on (3120, 17) and (780, 17)
# and the square-and-multiply of 65^17 mod 3233, every row.
def rows(key, cols):
    return [tuple([int(r["i"])] + [r[c] for c in cols]) for r in key]
E = ["q", "r", "s", "t"]
if rows(d["traces_d"]["phi_rows"], E) != [(0, None, "3120", "1", "0"), (1, None, "17", "0", "1"),
        (2, "183", "9", "1", "-183"), (3, "1", "8", "-1", "184"), (4, "1", "1", "2", "-367"),
        (5, "8", "0", "-17", "3120")]: bad.append("phi_rows")
if rows(d["traces_d"]["lambda_rows"], E) != [(0, None, "780", "1", "0"), (1, None, "17", "0", "1"),
        (2, "45", "15", "1", "-45"), (3, "1", "2", "-1", "46"), (4, "7", "1", "8", "-367"),
        (5, "2", "0", "-17", "780")]: bad.append("lambda_rows")
M = ["bit", "square", "multiply"]
if rows(d["trace_encrypt_rows"], M) != [(4, "1", "1", "65"), (3, "0", "992", None),
        (2, "0", "1232", None), (1, "0", "1547", None), (0, "1", "789", "2790")]: bad.append("encrypt rows")
dec = rows(d["trace_decrypt_rows"], M)
if len(dec) != 9 or dec[-1] != (0, "1", "3065", "65"): bad.append("decrypt rows")
if pow(int(d["signature"]), 17, 3233) != int(d["sign_x"]) or not d["ok"]: bad.append("signature")
print("ok %d" % len(want) if not bad else "bad " + ",".join(bad))
PYEOF
)
expect_eq "ok 16" "$res" "demo --json equals vectors/rsa-wikipedia-3233.txt"
# The text demo prints the Euclid steps as the hand-written table, and its
# Euclid block holds only table rows (phi, lambda, d, ... come as values).
"$KEXLAB" demo rsa-3233 >"$T_TMP/demo.txt"
res=$(awk '/^  extended Euclid on \(phi, e\)/{on=1; next} on && /^  [a-zA-Z]/{on=0} on' "$T_TMP/demo.txt" |
      tr -s ' ' | sed 's/^ //')
expect_eq "i q r s t
0 3120 1 0
1 17 0 1
2 183 9 1 -183
3 1 8 -1 184
4 1 1 2 -367
5 8 0 -17 3120" "$res" "demo: the Euclid table on (phi, e)"
res=$(awk '/^  square-and-multiply, bits i of e/{on=1; next} on && /^  [a-zA-Z]/{on=0} on' "$T_TMP/demo.txt" |
      tr -s ' ' | sed 's/^ //')
expect_eq "i bit square multiply
4 1 1 65
3 0 992
2 0 1232
1 0 1547
0 1 789 2790" "$res" "demo: the square-and-multiply table of 65^17 mod 3233"
expect_out_match '"ok": ?true' "$KEXLAB" demo rsa-3233 --json --keysize 1024 --seed 01
# Only the untouched numbers are credited to the article.
expect_out_match '"reference": ?"Wikipedia' "$KEXLAB" demo rsa-3233 --json
expect_out_match '"reference": ?"generated key' "$KEXLAB" demo rsa-3233 --json --keysize 1024 --seed 01
expect_out_match '"reference": ?"values given' "$KEXLAB" demo rsa-3233 --json --m 42
expect_out_match '^  c        = ' "$KEXLAB" demo rsa-3233 --p 101 --q 113 --e 3 --m 42
# bad input
expect_exit 2 "$KEXLAB" demo rsa-3233 --p 62
expect_err_match 'not prime' "$KEXLAB" demo rsa-3233 --p 62
expect_exit 2 "$KEXLAB" demo rsa-3233 --q 1
expect_exit 2 "$KEXLAB" demo rsa-3233 --p 61 --q 61
expect_err_match 'different primes' "$KEXLAB" demo rsa-3233 --p 61 --q 61
expect_exit 2 "$KEXLAB" demo rsa-3233 --e 3
expect_err_match 'not coprime' "$KEXLAB" demo rsa-3233 --e 3
expect_exit 2 "$KEXLAB" demo rsa-3233 --e 4
expect_exit 2 "$KEXLAB" demo rsa-3233 --m 3233
expect_err_match 'below n' "$KEXLAB" demo rsa-3233 --m 5000
expect_exit 2 "$KEXLAB" demo rsa-3233 --m abc
expect_exit 2 "$KEXLAB" demo rsa-3233 --p ""
expect_exit 2 "$KEXLAB" demo rsa-3233 --p -61
expect_exit 2 "$KEXLAB" demo rsa-3233 --keysize 100
expect_exit 2 "$KEXLAB" demo rsa-3233 --seed 00
expect_exit 2 "$KEXLAB" demo rsa-3233 --keysize 1024 --p 61
# Key files: PEM by default with --out, mode 0600, never replaced
# without --force; the public half beside it; a bad --format fails at once.
"$KEXLAB" rsa keygen --bits 1024 --out "$T_TMP/kf.pem" --pubout "$T_TMP/kf.pub" 2>/dev/null
expect_eq 600 "$(stat -c %a "$T_TMP/kf.pem")" "mode of a private key file"
expect_out_match '^-----BEGIN RSA PRIVATE KEY-----$' cat "$T_TMP/kf.pem"
expect_out_match '^-----BEGIN PUBLIC KEY-----$' cat "$T_TMP/kf.pub"
expect_out_match '^RSA key ok$' openssl rsa -in "$T_TMP/kf.pem" -check -noout
expect_exit 2 "$KEXLAB" rsa keygen --bits 1024 --out "$T_TMP/kf.pem"
expect_err_match "exists" "$KEXLAB" rsa keygen --bits 1024 --out "$T_TMP/kf.pem"
expect_exit 0 "$KEXLAB" rsa keygen --bits 1024 --out "$T_TMP/kf.pem" --force
expect_exit 2 "$KEXLAB" rsa keygen --format bogus
expect_err_match "unknown key format 'bogus'" "$KEXLAB" rsa keygen --format bogus

# kexlab bench rsa: the interface only (the figures are benchmarks, never
# tests): one tiny quick run without peers gives every JSON member, and bad
# options are usage errors.
"$KEXLAB" bench rsa --quick --keys 1 --bits 1024 --keygen-bits 1024 --seconds 1 --rounds 1 \
  --no-peer --json >"$T_TMP/bench.json"
res=$($PY - "$T_TMP/bench.json" <<'PYEOF'
import sys, json
d = json.load(open(sys.argv[1]))
kg, op = d["keygen"][0], d["ops"][0]
need_kg = ["bits", "keys", "median_ms", "p25_ms", "p75_ms", "min_ms", "max_ms"]
need_op = ["bits", "rounds", "private_crt_blinded_verified_per_s", "private_crt_raw_per_s",
           "private_no_crt_blinded_verified_per_s", "private_no_crt_raw_per_s", "public_per_s",
           "crt_over_no_crt", "crt_over_no_crt_raw"]
# Counts are decimal strings, measurements numbers (docs/json.md).
bad = [k for k in need_kg if not float(kg.get(k, 0)) > 0] + [k for k in need_op if not float(op.get(k, 0)) > 0]
bad += [k for k in ("bits", "keys") if not isinstance(kg.get(k), str)]
if d["command"] != "bench rsa" or d["quick"] is not True or d["clock"] != "cpu" or kg["bits"] != "1024" or op["bits"] != "1024":
    bad.append("header")
print("ok" if not bad else "bad " + ",".join(bad))
PYEOF
)
expect_eq "ok" "$res" "bench rsa --json members"
expect_exit 0 "$KEXLAB" bench rsa --help
expect_exit 2 "$KEXLAB" bench rsa --keys 10
expect_err_match 'needs --quick' "$KEXLAB" bench rsa --keys 10
expect_exit 2 "$KEXLAB" bench rsa --rounds 0
expect_exit 2 "$KEXLAB" bench rsa --bits 1000
expect_exit 2 "$KEXLAB" bench rsa --nettle /nonexistent/bench_keygen_nettle
expect_err_match 'did not run' "$KEXLAB" bench rsa --nettle /nonexistent/bench_keygen_nettle
expect_exit 2 "$KEXLAB" bench rsa extra

finish
