#!/usr/bin/python3
"""pkcs1_peer.py: python3-cryptography as the independent peer of kexlab's
RSA paddings (tests/interop/test_interop_pkcs1.sh calls it).

  encrypt PUBPEM HASH MGF1HASH IN OUT     RSAES-OAEP, empty label
  decrypt KEYPEM HASH MGF1HASH IN OUT
  sign    KEYPEM pss|pkcs1 HASH IN OUT    PSS: MGF1 with HASH, salt = hash length
  verify  PUBPEM pss|pkcs1 HASH IN SIG    exit 0 valid, 1 invalid

HASH is sha1 or sha256. Exit 0 on success, 1 on a failure (with a message)."""
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

HASHES = {"sha1": hashes.SHA1, "sha256": hashes.SHA256}


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
    else:
        print("pkcs1_peer: unknown command " + cmd, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
