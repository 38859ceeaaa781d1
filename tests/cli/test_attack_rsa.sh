#!/bin/bash
# test_attack_rsa.sh: `kexlab demo attack wiener|hastad|fermat|bellcore`:
# each attack recovers the secret from its weak configuration and gets
# nothing from the normal one, and what the demo claims is checked from
# outside with Python's integers (no kexlab code): Wiener's d decrypts, the
# factors multiply to n, c_i = m^3 mod n_i and the CRT cube root is m, the
# faulty signature's gcd is a factor, m is the RFC 8017 §9.2 encoding. The
# weak keys are also run through `kexlab rsa check` (refused) and openssl
# (a well-formed key: the weakness is in the numbers, not the encoding).
# Small sizes (512 and 1024 bits) keep it fast.
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

# py_check FILE WHAT PROGRAM: run PROGRAM with the JSON in FILE as `d`;
# it prints "ok" when every claim holds.
py_check() {
  local got
  got=$("$PY" -c "import json, sys, math, hashlib
d = json.load(open(sys.argv[1]))
w, nr = d['weak'], d['normal']
I = int
$3" "$1" 2>&1)
  expect_eq ok "$got" "$2"
}

# Wiener: 1024 bits, so that rsa check's only failing test is Wiener's.
"$KEXLAB" demo attack wiener --bits 1024 --seed 01 --json --key-out "$T_TMP/w.pem" \
  --pub-out "$T_TMP/w.pub" >"$T_TMP/w.json"
expect_eq 0 $? "wiener exit status"
py_check "$T_TMP/w.json" "wiener outcomes" '
n, e, dd = I(w["n"]), I(w["e"]), I(w["d"])
assert d["as_expected"] and w["recovered"] and not nr["recovered"]
assert I(w["recovered_d"]) == dd and 81 * dd**4 < n
assert pow(pow(7, e, n), dd, n) == 7
assert I(w["recovered_p"]) * I(w["recovered_q"]) == n
assert nr["rsa_check_refuses"] and I(nr["e"]) == 65537
print("ok")'
expect_exit 1 "$KEXLAB" rsa check "$T_TMP/w.pem"
"$KEXLAB" rsa check --json "$T_TMP/w.pem" >"$T_TMP/wc.json"
r=$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(sorted(c["check"] for c in d["checks"] if c["status"] == "FAIL"))' "$T_TMP/wc.json")
expect_eq "['wiener']" "$r" "rsa check on the Wiener key: the failing checks"
if command -v openssl >/dev/null; then
  expect_out_match 'RSA key ok' openssl rsa -check -noout -in "$T_TMP/w.pem"
  n_ssl=$(openssl rsa -pubin -in "$T_TMP/w.pub" -noout -modulus | sed 's/^Modulus=//')
  n_json=$("$PY" -c 'import json, sys; print("%X" % int(json.load(open(sys.argv[1]))["weak"]["n"]))' "$T_TMP/w.json")
  expect_eq "$n_json" "$n_ssl" "wiener --pub-out: the weak n, as openssl reads it"
fi
# The same seed, the same run (the times aside); another seed, another key.
strip_times() { "$PY" -c 'import json, sys; d = json.load(sys.stdin)
for r in (d["weak"], d["normal"]): r.pop("seconds")
print(json.dumps(d))'; }
a=$("$KEXLAB" demo attack wiener --bits 512 --seed 02 --json | strip_times)
b=$("$KEXLAB" demo attack --json wiener --bits 512 --seed 02 | strip_times)
c=$("$KEXLAB" demo attack wiener --bits 512 --seed 03 --json | strip_times)
expect_eq "$a" "$b" "wiener --seed: reproducible"
[ "$a" != "$c" ] && t_ok || t_fail "wiener: seeds 02 and 03 give the same run"
expect_out_match '=> SECRET RECOVERED' "$KEXLAB" demo attack wiener --bits 512
expect_out_match '=> nothing recovered' "$KEXLAB" demo attack wiener --bits 512

# Fermat.
"$KEXLAB" demo attack fermat --bits 1024 --seed 04 --json --key-out "$T_TMP/f.pem" >"$T_TMP/f.json"
expect_eq 0 $? "fermat exit status"
py_check "$T_TMP/f.json" "fermat outcomes" '
n = I(w["n"]); p, q = I(w["recovered_p"]), I(w["recovered_q"])
assert d["as_expected"] and w["recovered"] and not nr["recovered"]
assert p * q == n and 1 < q < p and p - q == I(w["p_minus_q"])
assert (p - q) ** 4 < 2**46 * n
a = math.isqrt(n - 1) + 1; assert I(w["operations"]) == (p + q) // 2 - a + 1
assert nr["fips_distance"] and I(nr["p_minus_q"]) > 2 ** (512 - 100)
assert nr["operations"] == str(2**20) and nr["rsa_check_refuses"]
print("ok")'
"$KEXLAB" rsa check --json "$T_TMP/f.pem" >"$T_TMP/fc.json"
r=$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(sorted(c["check"] for c in d["checks"] if c["status"] != "PASS"), d["ok"])' "$T_TMP/fc.json")
expect_eq "['fermat', 'nlen', 'pq_distance'] False" "$r" "rsa check on the Fermat key"

# Hastad: 1024 bits (OAEP with SHA-256 needs room for the message).
"$KEXLAB" demo attack hastad --bits 1024 --seed 05 --json >"$T_TMP/h.json"
expect_eq 0 $? "hastad exit status"
py_check "$T_TMP/h.json" "hastad outcomes" '
m = I(w["m"]); ns = [I(w["n_%d" % i]) for i in (1, 2, 3)]; cs = [I(w["c_%d" % i]) for i in (1, 2, 3)]
assert d["as_expected"] and w["recovered"] and not nr["recovered"]
assert all(pow(m, 3, n) == c for n, c in zip(ns, cs)) and all(m**3 > n for n in ns)
N = ns[0] * ns[1] * ns[2]
x = sum(c * (N // n) * pow(N // n, -1, n) for n, c in zip(ns, cs)) % N
assert x == I(w["x"]) == m**3
cs2 = [I(nr["c_%d" % i]) for i in (1, 2, 3)]
x2 = sum(c * (N // n) * pow(N // n, -1, n) for n, c in zip(ns, cs2)) % N
r = 1 << (x2.bit_length() // 3 + 1)
while True:
    r2 = (2 * r + x2 // (r * r)) // 3
    if r2 >= r: break
    r = r2
assert x2 == I(nr["x"]) and r**3 <= x2 < (r + 1)**3 and r**3 != x2
assert m.to_bytes(1024 // 8 - 66, "big").startswith(b"hastad lab secret")
print("ok")'

# Bellcore: the message representative is RFC 8017 9.2 with SHA-256.
"$KEXLAB" demo attack bellcore --bits 512 --seed 06 --json >"$T_TMP/b.json"
expect_eq 0 $? "bellcore exit status"
py_check "$T_TMP/b.json" "bellcore outcomes" '
n, e, m, s = I(w["n"]), I(w["e"]), I(w["m"]), I(w["faulty_s"])
assert d["as_expected"] and w["recovered"] and not nr["recovered"]
T = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(b"I, the bank, owe the bearer 1000 euros.").digest()
k = (n.bit_length() + 7) // 8
assert m == int.from_bytes(b"\x00\x01" + b"\xff" * (k - len(T) - 3) + b"\x00" + T, "big")
assert pow(s, e, n) != m
p = math.gcd(pow(s, e, n) - m, n)
assert 1 < p < n and p == I(w["recovered_p"]) and p * I(w["recovered_q"]) == n
assert nr["released"] is False and nr["blinding_alone_leaks"] is True
assert nr["operations"] == "0"
print("ok")'
expect_out_match 'releases nothing' "$KEXLAB" demo attack bellcore --bits 512
if "$KEXLAB" demo attack bellcore --bits 512 | grep -q 'traces disabled'; then
  t_ok
else
  r=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["normal"]["blinding_changes_intermediates"])' "$T_TMP/b.json")
  expect_eq True "$r" "bellcore: blinding changes c_blinded and m_2"
fi

# The command line.
for a in wiener hastad fermat bellcore; do
  expect_exit 0 "$KEXLAB" demo attack "$a" --help
  expect_out_match "demo-attack-$a.schema.json" "$KEXLAB" demo attack "$a" --help
  expect_exit 2 "$KEXLAB" demo attack "$a" --bits 1023
  expect_exit 2 "$KEXLAB" demo attack "$a" --bits 8192
  expect_exit 2 "$KEXLAB" demo attack "$a" --seed xyz
  expect_exit 2 "$KEXLAB" demo attack "$a" --nope
  expect_exit 2 "$KEXLAB" demo attack "$a" extra
done
expect_exit 2 "$KEXLAB" demo attack hastad --bits 512
expect_exit 2 "$KEXLAB" demo attack hastad --key-out "$T_TMP/x.pem"
expect_exit 2 "$KEXLAB" demo attack wiener --bits 512 --key-out "$T_TMP/w.pem"
expect_out_match 'wiener' "$KEXLAB" demo attack --help
finish
