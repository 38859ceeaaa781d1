#!/usr/bin/python3
"""make_corpus.py: write the seed corpus of the fuzz harnesses,
tests/fuzz/corpus/<harness>/, from vectors/ and the forms the tests use.

    tests/fuzz/make_corpus.py [KEXLAB]

KEXLAB (a built kexlab command) is used for the .NET XML and JSON key
forms, converted from vectors/keyfile/testrsa.pem; without it they are
left out. The openssl command makes the RSASSA-PSS and multi-prime keys.
Each seed is the harness's input layout (see the header of
tests/fuzz/fuzz_<harness>.c): selector bytes first, then the data. Run it
again after changing a layout; commit what it writes. Files are named by
what they hold, so a rerun replaces rather than adds.
"""
import base64
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VEC = os.path.join(ROOT, "vectors")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def vec(*parts):
    return os.path.join(VEC, *parts)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def put(harness, name, data):
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pem_body(text):
    """The DER inside a PEM text."""
    lines = text.decode().splitlines()
    b64 = "".join(l for l in lines if l and not l.startswith("-----") and ":" not in l)
    return base64.b64decode(b64)


def int_blocks(path):
    """oaep-int.txt: the hex block under each '# <title>:' comment."""
    blocks, title = {}, None
    for line in read(path).decode().splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
            continue
        if title and re.fullmatch(r"[0-9a-f ]+", line.strip() or "x"):
            blocks[title] = blocks.get(title, b"") + bytes.fromhex(line)
        elif not line.strip():
            title = None if title not in blocks else title
    return blocks


def keyfiles(kexlab):
    for name in sorted(os.listdir(vec("keyfile"))):
        data = read(vec("keyfile", name))
        put("keyfile", name, data)
        if name.endswith(".pem"):
            put("pem", name, data)
            if b"ENCRYPTED" not in data:
                put("der", name.replace(".pem", ".der"), pem_body(data))
        elif name.endswith(".der"):
            put("der", name, data)
    if kexlab:
        for fmt in ("dotnet-xml", "dotnet-json"):
            for pub in ([], ["--public"]):
                out = subprocess.run([kexlab, "rsa", "convert", vec("keyfile", "testrsa.pem"),
                                      "--to", fmt] + pub, check=True, capture_output=True).stdout
                put("keyfile", "testrsa." + fmt + ("-pub" if pub else ""), out)
    # A PEM with explanatory text before it and CRLF line ends (RFC 7468 §5).
    text = read(vec("keyfile", "rsa.pub.pem")).replace(b"\n", b"\r\n")
    put("pem", "crlf-with-preamble.pem", b"Subject: test\r\n" + text)


def openssl(*args, data=None):
    return subprocess.run(["openssl"] + list(args), input=data, check=True,
                          capture_output=True).stdout


def openssl_keys():
    """Keys of the forms vectors/keyfile lacks, made by OpenSSL: a key
    restricted to RSASSA-PSS with parameters (PKCS#8 and SPKI) and a
    three-prime key (RFC 8017 version 1, PKCS#1 and PKCS#8), PEM and DER.
    The private keys are generated once: a rerun derives the other forms from
    the ones in the corpus, so that it does not replace the keys."""
    kdir = os.path.join(OUT, "keyfile")
    made = {
        "pss-sha256.pem": lambda: openssl(
            "genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:1024",
            "-pkeyopt", "rsa_pss_keygen_md:sha256", "-pkeyopt", "rsa_pss_keygen_mgf1_md:sha256",
            "-pkeyopt", "rsa_pss_keygen_saltlen:32"),
        "3prime-pkcs8.pem": lambda: openssl("pkcs8", "-topk8", "-nocrypt",
                                            data=openssl("genrsa", "-primes", "3", "1024")),
    }
    for name, make in made.items():
        if not os.path.exists(os.path.join(kdir, name)):
            put("keyfile", name, make())
    pss = read(os.path.join(kdir, "pss-sha256.pem"))
    three = read(os.path.join(kdir, "3prime-pkcs8.pem"))
    forms = {
        "pss-sha256.der": openssl("pkey", "-outform", "DER", data=pss),
        "pss-sha256.pub.pem": openssl("pkey", "-pubout", data=pss),
        "pss-sha256.pub.der": openssl("pkey", "-pubout", "-outform", "DER", data=pss),
        "3prime-pkcs8.der": openssl("pkcs8", "-topk8", "-nocrypt", "-outform", "DER", data=three),
        "3prime-pkcs1.pem": openssl("rsa", "-traditional", data=three),
        "3prime-pkcs1.der": openssl("rsa", "-traditional", "-outform", "DER", data=three),
    }
    for name, data in forms.items():
        put("keyfile", name, data)
        if name.endswith(".der"):
            put("der", name, data)


def encodings():
    hex_cases, b64_cases = [], []
    for line in read(vec("rfc4648", "rfc4648-s10.vec")).decode().splitlines():
        m = re.match(r"(Base64|Base16) = (.*)", line)
        if m:
            (b64_cases if m.group(1) == "Base64" else hex_cases).append(m.group(2))
    for i, t in enumerate(hex_cases):
        put("encoding", "rfc4648-hex-%d" % i, b"\x00" + t.encode())
    hex_cases += ["00ff", "DEADbeef0a"]
    for i, t in enumerate(b64_cases):
        put("encoding", "rfc4648-b64-%d" % i, b"\x01" + t.encode())


def oaep():
    b = int_blocks(vec("pkcs1", "pkcs-1v2-1d2-vec", "oaep-int.txt"))
    EM = b"\x00" + b["EM = maskedSeed || maskedDB:"]
    # mode 0 (EM as it is), SHA-1 / MGF1-SHA-1, empty label
    put("oaep", "oaep-int-em", b"\x00\x00\x00" + EM)
    # mode 1: Y || seed || DB unmasked
    put("oaep", "oaep-int-db", b"\x01\x00\x00" + b"\x00" + b["seed:"] +
        b["DB = pHash || Padding || M:"])
    # the same DB shape under SHA-256, label "L"
    put("oaep", "sha256-label", b"\x01\x01\x01L" + bytes(1 + 32) + bytes(32) + bytes(61) +
        b"\x01" + b"message")


def pkcs1v15_sig():
    # mode 2: the correct EM, untouched (flip 0) and with one octet changed
    put("pkcs1v15_sig", "valid-sha256", b"\x02\x01\x05hello\x00\x00")
    put("pkcs1v15_sig", "flipped-ps", b"\x02\x00\x03abc\x05\x01")
    put("pkcs1v15_sig", "flipped-digestinfo", b"\x02\x01\x03abc\x6a\x80")
    # mode 1: a block of 00 01 ff.. 00 and nothing else
    put("pkcs1v15_sig", "raw-em", b"\x01\x00\x00" + b"\x00\x01" + b"\xff" * 100 + b"\x00")
    # mode 0: the first signature of the PKCS#1 v1.5 vector file (another key)
    text = read(vec("pkcs1", "pkcs1v15sign-vectors.txt")).decode()
    sig = re.search(r"# Signature:\n((?:[0-9a-f ]+\n)+)", text)
    if sig:
        put("pkcs1v15_sig", "vector-signature", b"\x00\x00\x00" + bytes.fromhex(sig.group(1)))


def pkcs1v15_dec():
    # The first example of the PKCS#1 v1.5 encryption vectors (a 1024-bit key):
    # EM = 00 02 || Seed (the PS) || 00 || Message
    text = read(vec("pkcs1", "pkcs1v15crypt-vectors.txt")).decode().replace("\r\n", "\n")
    fields = re.search(r"# Message:\n((?:[0-9a-f ]+\n)+)\n# Seed:\n((?:[0-9a-f ]+\n)+)", text)
    M, PS = bytes.fromhex(fields.group(1)), bytes.fromhex(fields.group(2))
    EM = b"\x00\x02" + PS + b"\x00" + M
    # mode 0: EM alone, valid and malformed
    put("pkcs1v15_dec", "vector-em", b"\x00\x00" + EM)
    put("pkcs1v15_dec", "block-type-1", b"\x00\x00" + b"\x00\x01" + PS + b"\x00" + M)
    put("pkcs1v15_dec", "ps-7-octets", b"\x00\x00" + b"\x00\x02" + b"\x11" * 7 + b"\x00abc")
    put("pkcs1v15_dec", "ps-8-octets", b"\x00\x03abc" + b"\x00\x02" + b"\x11" * 8 + b"\x00abc")
    put("pkcs1v15_dec", "no-separator", b"\x00\x00" + b"\x00\x02" + b"\x5a" * 60)
    put("pkcs1v15_dec", "empty-message", b"\x00\x00" + b"\x00\x02" + b"\x5a" * 125 + b"\x00")
    put("pkcs1v15_dec", "k-10", b"\x00\x00" + b"\x00\x02" + b"\x5a" * 7 + b"\x00")
    # k = 11, the shortest: only the empty message fits (and no capacity is too small)
    put("pkcs1v15_dec", "k-11", b"\x00\x00" + b"\x00\x02" + b"\x5a" * 8 + b"\x00")
    # mode 1: the vector's EM, decrypted under the harness's key
    put("pkcs1v15_dec", "raw-vector-em", b"\x01\x00" + EM)
    put("pkcs1v15_dec", "raw-longest", b"\x01\x00" + b"\x00\x02" + b"\x5a" * 8 + b"\x00" +
        b"m" * 117)
    # mode 2: a correct EM for the message, untouched and with one octet changed
    put("pkcs1v15_dec", "valid-hello", b"\x02\x05hello\x00\x00")
    put("pkcs1v15_dec", "flipped-first", b"\x02\x05hello\x00\x01")
    put("pkcs1v15_dec", "flipped-type", b"\x02\x05hello\x01\x03")
    put("pkcs1v15_dec", "flipped-separator", b"\x02\x05hello\x7a\x80")


def cbc():
    text = read(vec("sp800-38a", "sp800-38a-f2-cbc.vec")).decode()
    for i, rec in enumerate(text.split("\n\n")):
        f = dict(re.findall(r"^(\w+) = (\S+)$", rec, re.M))
        if "IV" in f and "Ciphertext" in f:
            put("cbc", "sp800-38a-f2-%d" % i,
                bytes([i % 3]) + bytes.fromhex(f["IV"] + f["Ciphertext"]))
    # valid PKCS#7 blocks for the unpadding
    put("cbc", "pad-1", b"\x00" + b"A" * 15 + b"\x01")
    put("cbc", "pad-16", b"\x01" + b"\x10" * 16)
    put("cbc", "pad-bad", b"\x02" + b"B" * 12 + b"\x04\x04\x03\x04")


def kex():
    iv, c, tag = bytes(range(16)), bytes(16), bytes(32)
    hdr = b"\x01\x01" + bytes(range(16)) + (7).to_bytes(8, "big")
    put("kex_frame", "hardened-min", b"\x00" + hdr + iv + c + tag)
    put("kex_frame", "hardened-3blocks", b"\x00" + hdr + iv + c * 3 + tag)
    put("kex_frame", "seed-min", b"\x01" + iv + c)
    put("kex_frame", "seed-short", b"\x01" + iv + c[:15])
    # kex_server: profile byte, then op bytes and their data
    put("kex_server", "hardened-echo-rekey", b"\x00" + b"\x00\x02" + b"x" * 16 + b"\x03" +
        b"\x00\x01hellohi!")
    put("kex_server", "hardened-rejections", b"\x00" + b"\x01\x00\x05\x01\x03abc" +
        b"\x02\x08" + bytes(32) + b"\x04\x10" + bytes(32) + b"\x3a" + bytes(58) +
        b"\x05\x07\x01" + b"\x06\x01ab" + b"\x07\x03")
    put("kex_server", "seed-echo-rekey", b"\x01" + b"\x00\x01" + b"12345678" + b"\x03" +
        b"\x02\x08" + bytes(32) + b"\x05\x00\x80")
    put("kex_server", "early-frame-and-key", b"\x02" + b"\x04abcd" + b"\x03xyz" + b"\x00\x00")


def http():
    reqs = {
        "health": ["GET /v1/health\n\n"],
        "identity": ["GET /v1/identity\n\n"],
        "create-both": ['POST /v1/sessions\napplication/json\n{"profile":"seed"}',
                        "POST /v1/sessions\napplication/json; charset=utf-8\n{}"],
        "key-message-rekey-delete": [
            'POST /v1/sessions/{id}/key\napplication/json\n{"encrypted_key":"{C}"}',
            'POST /v1/sessions/{id}/messages\napplication/json\n{"frame":"{F}"}',
            'POST /v1/sessions/{id}/messages\napplication/json\n{"frame":"{F}"}',
            'POST /v1/sessions/{id}/rekey\napplication/json\n{"encrypted_key":"{C}","auth":"AAAA"}',
            "DELETE /v1/sessions/{id}\n\n"],
        "bad-bodies": [
            'POST /v1/sessions/{id}/key\napplication/json\n{"encrypted_key":1}',
            'POST /v1/sessions/{id}/key\ntext/plain\n{"encrypted_key":"{C}"}',
            'POST /v1/sessions/{id}/key\napplication/json\n{"encrypted_key":"!!"}',
            'POST /v1/sessions/{id}/key\napplication/json\n{"a":1,"a":2}',
            "POST /v1/sessions/{id}/messages\napplication/octet-stream\n0123456789abcdef",
            "PUT /v1/sessions\napplication/json\n{}",
            "GET /v1/sessions/not-an-id/key\n\n",
            "GET /nowhere?x=1\n\n"],
    }
    for name, rs in reqs.items():
        put("http", name, "\n%%\n".join(rs).encode())


VECFILE_BASES = [
    "SHA256ShortMsg.rsp", "SHA1LongMsg.rsp", "rfc-4231-sha256.txt", "rfc-2202-sha1.txt",
    "rfc-5869-HKDF-SHA256.txt", "HMAC_DRBG.rsp", "sp800-38a-f2-cbc.vec", "CBCGFSbox256.rsp",
    "CBCMMT128.rsp", "KeyGenRSA.rsp", "oaep-vect.txt", "oaep-int.txt", "pss-vect.txt",
    "pss-int.txt", "pkcs1v15sign-vectors.txt", "oaep-sha256.txt", "oaep-label.txt",
    "SigGen15_186-3.rsp", "SigGenPSS_186-3.rsp", "SigGenPSS_186-3.txt", "SigVer15_186-3.rsp",
    "SigVerPSS_186-3.rsp",
]


def head_records(path, limit):
    """The start of a vector file, cut at a record boundary, at most limit octets."""
    data = read(path)
    if len(data) <= limit:
        return data
    cut = data.rfind(b"\n\n", 0, limit)
    return data[:cut + 2 if cut > 0 else limit]


def vecfiles():
    wanted = {
        "rfc-4231-sha256.txt": vec("rfc", "rfc-4231-sha256.txt"),
        "rfc-2202-sha1.txt": vec("rfc", "rfc-2202-sha1.txt"),
        "rfc-5869-HKDF-SHA256.txt": vec("rfc", "rfc-5869-HKDF-SHA256.txt"),
        "sp800-38a-f2-cbc.vec": vec("sp800-38a", "sp800-38a-f2-cbc.vec"),
        "oaep-label.txt": vec("pkcs1", "oaep-label.txt"),
        "oaep-sha256.txt": vec("pkcs1", "oaep-custom", "oaep-sha256-sha256.txt"),
        "SigGen15_186-3.rsp": vec("pkcs1", "FIPS_186-2", "SigGen15_186-3.rsp"),
        "SigGenPSS_186-3.txt": vec("pkcs1", "FIPS_186-2", "SigGenPSS_186-2.txt"),
        "SigVer15_186-3.rsp": vec("pkcs1", "FIPS_186-2", "SigVer15_186-3.rsp"),
        "pkcs1v15sign-vectors.txt": vec("pkcs1", "pkcs1v15sign-vectors.txt"),
    }
    for root, _, files in os.walk(vec("nist")):
        for f in files:
            for base in ("SHA256ShortMsg.rsp", "HMAC_DRBG.rsp", "CBCGFSbox256.rsp",
                         "CBCMMT128.rsp", "KeyGenRSA.rsp"):
                if f == base:
                    wanted[base] = os.path.join(root, f)
    for base, path in sorted(wanted.items()):
        put("vecfile", base, bytes([VECFILE_BASES.index(base)]) + head_records(path, 6000))
    put("vecfile", "headers-and-nul", b"\x00[L = 20]\n[ENCRYPT]\nLen = 8\nMsg = d3\n"
        b"MD = 28969cdfa74a12c82f3bad960b0b000aca2ac329deea5c2328ebc6f2ba9802c1\n"
        b"[L = 32]\nCOUNT = 1\x00tail\n  # comment\nx = \t y \r\n\n\n")


def main():
    kexlab = sys.argv[1] if len(sys.argv) > 1 else None
    keyfiles(kexlab)
    openssl_keys()
    encodings()
    oaep()
    pkcs1v15_sig()
    pkcs1v15_dec()
    cbc()
    kex()
    http()
    vecfiles()


if __name__ == "__main__":
    main()
