#!/usr/bin/python3
"""pkcs1_peer.py: python3-cryptography as the independent peer of kexlab's
RSA paddings (tests/interop/test_interop_pkcs1.sh calls it).

  encrypt PUBPEM HASH MGF1HASH IN OUT     RSAES-OAEP, empty label
  decrypt KEYPEM HASH MGF1HASH IN OUT
  sign    KEYPEM pss|pkcs1 HASH IN OUT    PSS: MGF1 with HASH, salt = hash length
  verify  PUBPEM pss|pkcs1 HASH IN SIG    exit 0 valid, 1 invalid
  labelfile BITS OUT                      write a file in the shape of the vector
                                          package's oaep-label.txt (BoringSSL
                                          evp_tests: KEY = PKCS#8 DER in hex), with
                                          SHA-1/SHA-256 records made by this peer

HASH is sha1, sha224, sha256, sha384, sha512, sha512-224 or sha512-256. Exit 0 on success, 1 on a failure (with a message)."""
import os
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256, "sha224": hashes.SHA224,
          "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha512-224": hashes.SHA512_224,
          "sha512-256": hashes.SHA512_256}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def oaep(h, mgf):
    return padding.OAEP(mgf=padding.MGF1(algorithm=HASHES[mgf]()), algorithm=HASHES[h](),
                        label=None)


def sig_padding(scheme, h):
    if scheme == "pss":
        return padding.PSS(mgf=padding.MGF1(HASHES[h]()), salt_length=padding.PSS.DIGEST_LENGTH)
    return padding.PKCS1v15()


def write_label_file(bits, path):
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    records = [("SHA1", None, os.urandom(16), b"Hello World", True),
               ("SHA256", None, os.urandom(5), os.urandom(40), False),
               ("SHA256", "SHA1", b"", os.urandom(1), False)]
    lines = ["# Written by tests/interop/pkcs1_peer.py (python3-cryptography) in the",
             "# shape of cryptography_vectors/asymmetric/RSA/oaep-label.txt", ""]
    for count, (h, mgf, label, msg, quoted) in enumerate(records, 1):
        pad = padding.OAEP(mgf=padding.MGF1(algorithm=HASHES[(mgf or h).lower()]()),
                           algorithm=HASHES[h.lower()](), label=label or None)
        c = key.public_key().encrypt(msg, pad)
        lines += ["COUNT = %d" % count, "KEY = " + der.hex(), "RSAPadding = OAEP",
                  "OAEPDigest = " + h]
        if mgf:
            lines.append("MGF1Digest = " + mgf)
        lines += ["OAEPLabel = " + label.hex(), "Input = " + c.hex(),
                  "Output = " + ('"%s"' % msg.decode() if quoted else msg.hex()), ""]
    write(path, "\n".join(lines).encode())


def main(argv):
    cmd = argv[1]
    if cmd == "encrypt":
        pub = serialization.load_pem_public_key(read(argv[2]))
        write(argv[6], pub.encrypt(read(argv[5]), oaep(argv[3], argv[4])))
    elif cmd == "decrypt":
        key = serialization.load_pem_private_key(read(argv[2]), password=None)
        write(argv[6], key.decrypt(read(argv[5]), oaep(argv[3], argv[4])))
    elif cmd == "sign":
        key = serialization.load_pem_private_key(read(argv[2]), password=None)
        write(argv[6], key.sign(read(argv[5]), sig_padding(argv[3], argv[4]),
                                HASHES[argv[4]]()))
    elif cmd == "verify":
        pub = serialization.load_pem_public_key(read(argv[2]))
        try:
            pub.verify(read(argv[6]), read(argv[5]), sig_padding(argv[3], argv[4]),
                       HASHES[argv[4]]())
        except InvalidSignature:
            print("pkcs1_peer: signature invalid", file=sys.stderr)
            return 1
    elif cmd == "labelfile":
        write_label_file(int(argv[2]), argv[3])
    else:
        print("pkcs1_peer: unknown command " + cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
