#!/usr/bin/python3
"""openssl_rsa_fields.py: run `openssl pkey -text -noout` (or, with --pub,
`openssl pkey -pubin -text -noout`) on a key file and print its integers as
NAME = lowercase hex lines, in RFC 8017 §3.2 names (n e d p q dP dQ qInv).
openssl is the independent peer here: these values are what our reader must
find. Usage: openssl_rsa_fields.py [--pub] [--inform PEM|DER] FILE"""
import re
import subprocess
import sys

NAMES = {
    "modulus": "n", "publicExponent": "e", "privateExponent": "d",
    "prime1": "p", "prime2": "q", "exponent1": "dP", "exponent2": "dQ",
    "coefficient": "qInv", "Modulus": "n", "Exponent": "e",
}


def fields(path, pub=False, inform="PEM"):
    cmd = ["openssl", "pkey", "-inform", inform, "-in", path, "-text", "-noout"]
    if pub:
        cmd.insert(2, "-pubin")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return parse_text(out)


def parse_text(out):
    """The integers of `openssl pkey -text -noout` output (or anything laid
    out the same way), by RFC 8017 name."""
    vals = {}
    cur = None
    for line in out.splitlines():
        m = re.match(r"^(\w+):\s*(\d+) \(0x([0-9a-f]+)\)\s*$", line)
        if m and m.group(1) in NAMES:  # small value on one line
            vals[NAMES[m.group(1)]] = int(m.group(2))
            cur = None
            continue
        m = re.match(r"^(\w+):\s*$", line)
        if m and m.group(1) in NAMES:
            cur = NAMES[m.group(1)]
            vals[cur] = ""
            continue
        if cur is not None and re.match(r"^\s+[0-9a-f:]+$", line):
            vals[cur] += line.strip().replace(":", "")
            continue
        cur = None
    return {k: (v if isinstance(v, int) else int(v, 16)) for k, v in vals.items()}


if __name__ == "__main__":
    args = sys.argv[1:]
    pub = "--pub" in args
    inform = "PEM"
    if "--inform" in args:
        inform = args[args.index("--inform") + 1]
    path = args[-1]
    for k, v in fields(path, pub, inform).items():
        print(f"{k} = {v:x}")
