#!/usr/bin/env bash
# test_cli_keyfile_windows.sh: key files as Windows tools save them. An
# OpenSSL key is written by python3-cryptography (never by kexlab) as .NET
# XML the way `$rsa.ToXmlString($true) | Out-File` does (UTF-16LE with a
# BOM, CRLF), with base64 wrapped at 76 characters (Convert.ToBase64String
# with InsertLineBreaks), as UTF-16BE, as UTF-16LE without a BOM, and a PEM
# in UTF-16LE; each must read as the same key (kexlab's PKCS#8 DER, read back
# by openssl, equals openssl's own). UTF-32 and non-ASCII UTF-16 are refused naming the encoding.
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$T_TMP/key.pem" 2>/dev/null
want=$(openssl pkey -in "$T_TMP/key.pem" -outform DER | sha256sum | cut -d' ' -f1)
$PY - "$T_TMP/key.pem" "$T_TMP" <<'PYEOF'
import base64, sys
from cryptography.hazmat.primitives import serialization
key = serialization.load_pem_private_key(open(sys.argv[1], "rb").read(), None)
out = sys.argv[2]
pn = key.private_numbers(); pub = pn.public_numbers
k = (pub.n.bit_length() + 7) // 8; h = (k + 1) // 2
def b64(x, width, wrap):
    t = base64.b64encode(x.to_bytes(width, "big")).decode()
    if wrap:  # Convert.ToBase64String(..., Base64FormattingOptions.InsertLineBreaks)
        t = "\r\n".join(t[i:i + 76] for i in range(0, len(t), 76))
    return t
def xml(wrap):
    f = [("Modulus", pub.n, k), ("Exponent", pub.e, 3), ("P", pn.p, h), ("Q", pn.q, h),
         ("DP", pn.dmp1, h), ("DQ", pn.dmq1, h), ("InverseQ", pn.iqmp, h), ("D", pn.d, k)]
    return "<RSAKeyValue>" + "".join("<%s>%s</%s>" % (n, b64(v, w, wrap), n) for n, v, w in f) + \
        "</RSAKeyValue>\r\n"
pem = open(sys.argv[1]).read().replace("\n", "\r\n")
files = {
    "outfile.xml": b"\xff\xfe" + xml(False).encode("utf-16-le"),
    "wrapped.xml": xml(True).encode(),
    "wrapped16.xml": b"\xff\xfe" + xml(True).encode("utf-16-le"),
    "be.xml": b"\xfe\xff" + xml(False).encode("utf-16-be"),
    "nobom.xml": xml(False).encode("utf-16-le"),
    "pem16.pem": b"\xff\xfe" + pem.encode("utf-16-le"),
    "utf32.xml": b"\xff\xfe\x00\x00" + xml(False).encode("utf-32-le"),
    "utf32be.xml": b"\x00\x00\xfe\xff" + xml(False).encode("utf-32-be"),
    "accent.xml": b"\xff\xfe" + ("<!-- clé -->" + xml(False)).encode("utf-16-le"),
    "odd.xml": b"\xff\xfe" + xml(False).encode("utf-16-le") + b"\n",
}
for name, data in files.items():
    open(out + "/" + name, "wb").write(data)
PYEOF
for f in outfile.xml wrapped.xml wrapped16.xml be.xml nobom.xml pem16.pem; do
  rm -f "$T_TMP/out.der"
  expect_exit 0 "$KEXLAB" rsa convert "$T_TMP/$f" --to pkcs8-der --out "$T_TMP/out.der"
  got=$(openssl pkey -inform DER -in "$T_TMP/out.der" -outform DER | sha256sum | cut -d' ' -f1)
  expect_eq "$want" "$got" "$f reads as openssl's key"
done
expect_err_match 'UTF-32LE' "$KEXLAB" rsa show "$T_TMP/utf32.xml"
expect_err_match 'UTF-32BE' "$KEXLAB" rsa show "$T_TMP/utf32be.xml"
expect_err_match 'UTF-16LE text with a character \(U\+00E9\)' "$KEXLAB" rsa show "$T_TMP/accent.xml"
expect_err_match 'UTF-16LE text of an odd length' "$KEXLAB" rsa show "$T_TMP/odd.xml"
expect_exit 2 "$KEXLAB" rsa show "$T_TMP/utf32.xml"
finish
