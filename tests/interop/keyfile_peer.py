#!/usr/bin/python3
"""keyfile_peer.py: python3-cryptography as the independent peer of kexlab's
key files (tests/interop/test_interop_keyfile.sh calls it).

  gen BITS DIR          make a key with cryptography and write it in every
                        format cryptography has (PKCS#1/PKCS#8 private, SPKI
                        and PKCS#1 public, PEM and DER), plus the .NET XML
                        (padded, as .NET writes it) and JSON (minimal values,
                        pretty-printed, '+' escaped as System.Text.Json does),
                        and numbers.json: the integers in hex.
  cmp NUMBERS SHOWJSON  compare `kexlab rsa show --json` output with numbers.json
                        (a public key is compared on n and e only).
  dotnet PEMKEY FILE    check kexlab's .NET XML or JSON (detected) against the
                        key in PEMKEY: every value base64 of the big-endian
                        integer at .NET's width (n, d: k octets; P, Q, DP, DQ,
                        InverseQ: (k+1)/2; Exponent minimal), in ToXmlString's
                        element order.
  text2json TEXT OUT    read a key printed in `openssl pkey -text -noout` layout
                        (as `kexlab rsa keygen` prints it) and write it as .NET
                        JSON with minimal values, so kexlab can re-encode it.
Exit 0 on success; 1 with a message on a mismatch."""
import base64
import json
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openssl_rsa_fields import parse_text  # noqa: E402
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ORDER = ["Modulus", "Exponent", "P", "Q", "DP", "DQ", "InverseQ", "D"]


def octets(x):
    return max(1, (x.bit_length() + 7) // 8)


def b64(x, width):
    return base64.b64encode(x.to_bytes(width, "big")).decode()


def dotnet_values(priv):
    pn = priv.private_numbers()
    n = pn.public_numbers.n
    k = octets(n)
    half = (k + 1) // 2
    vals = {"Modulus": (n, k), "Exponent": (pn.public_numbers.e, octets(pn.public_numbers.e)),
            "P": (pn.p, half), "Q": (pn.q, half), "DP": (pn.dmp1, half),
            "DQ": (pn.dmq1, half), "InverseQ": (pn.iqmp, half), "D": (pn.d, k)}
    return vals


def gen(bits, d):
    priv = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pub = priv.public_key()
    PF, EN = serialization.PrivateFormat, serialization.Encoding
    nop = serialization.NoEncryption()
    files = {
        "py-pkcs1.pem": priv.private_bytes(EN.PEM, PF.TraditionalOpenSSL, nop),
        "py-pkcs1.der": priv.private_bytes(EN.DER, PF.TraditionalOpenSSL, nop),
        "py-pkcs8.pem": priv.private_bytes(EN.PEM, PF.PKCS8, nop),
        "py-pkcs8.der": priv.private_bytes(EN.DER, PF.PKCS8, nop),
        "py-spki.pem": pub.public_bytes(EN.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "py-spki.der": pub.public_bytes(EN.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        "py-pkcs1pub.pem": pub.public_bytes(EN.PEM, serialization.PublicFormat.PKCS1),
        "py-pkcs1pub.der": pub.public_bytes(EN.DER, serialization.PublicFormat.PKCS1),
    }
    vals = dotnet_values(priv)
    xml = "<RSAKeyValue>" + "".join(
        f"<{name}>{b64(*vals[name])}</{name}>" for name in ORDER) + "</RSAKeyValue>"
    files["py-dotnet.xml"] = xml.encode()
    minimal = {name: b64(v, octets(v)).replace("+", "\\u002B") for name, (v, _) in vals.items()}
    body = ",\n".join(f'  "{name}": "{minimal[name]}"' for name in reversed(ORDER))
    files["py-dotnet.json"] = ("{\n" + body + "\n}\n").encode()
    pn = priv.private_numbers()
    numbers = {"n": pn.public_numbers.n, "e": pn.public_numbers.e, "d": pn.d, "p": pn.p,
               "q": pn.q, "dP": pn.dmp1, "dQ": pn.dmq1, "qInv": pn.iqmp}
    files["numbers.json"] = json.dumps({k: f"{v:x}" for k, v in numbers.items()}).encode()
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def cmp(numbers_path, show_path):
    want = {k: int(v, 16) for k, v in json.load(open(numbers_path)).items()}
    got = json.load(open(show_path))
    keys = ["n", "e", "d", "p", "q", "dP", "dQ", "qInv"] if got["private"] else ["n", "e"]
    for k in keys:
        if int(got[k], 10) != want[k]:
            sys.exit(f"{show_path}: {k} differs from python's value")
    if set(keys) != {k for k in got if k not in ("command", "version", "format", "bits", "private")}:
        sys.exit(f"{show_path}: unexpected set of fields {sorted(got)}")


def dotnet(pem_path, path):
    priv = serialization.load_pem_private_key(open(pem_path, "rb").read(), password=None)
    vals = dotnet_values(priv)
    text = open(path).read()
    if text.lstrip().startswith("<"):
        root = ET.fromstring(text)
        if root.tag != "RSAKeyValue" or root.attrib:
            sys.exit(f"{path}: root element is not a bare <RSAKeyValue>")
        names = [child.tag for child in root]
        got = {child.tag: child.text for child in root}
    else:
        obj = json.loads(text)
        names = list(obj)
        got = obj
    if names != ORDER and names != ORDER[:2]:
        sys.exit(f"{path}: fields {names}, want {ORDER}")
    for name in names:
        want = b64(*vals[name])
        if got[name] != want:
            sys.exit(f"{path}: {name} = {got[name]!r}, want {want!r} (.NET width {vals[name][1]})")


def text2json(text_path, out_path):
    v = parse_text(open(text_path).read())
    names = {"Modulus": "n", "Exponent": "e", "P": "p", "Q": "q", "DP": "dP", "DQ": "dQ",
             "InverseQ": "qInv", "D": "d"}
    obj = {name: b64(v[k], octets(v[k])) for name, k in names.items()}
    with open(out_path, "w") as f:
        json.dump(obj, f)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "gen":
        gen(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "cmp":
        cmp(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "dotnet":
        dotnet(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "text2json":
        text2json(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
