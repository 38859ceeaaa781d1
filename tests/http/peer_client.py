#!/usr/bin/python3
"""peer_client.py: an independent kexlab client, written from docs/protocol.md
and docs/rest-api.md alone (nothing from include/ or src/), using only
python3-cryptography and urllib. It shares no code with kexlab.

  peer_client.py URL --profile hardened|seed [--pin HEX] [--messages N]
                 [--rekey-every N] [--raw] [--tamper] [--error-bodies]

Hardened, as specified:
  POST /v1/sessions {"profile":"hardened"} -> session_id (UUID string),
    public_key {modulus, exponent} (base64, big-endian), identity_signature,
    identity_spki (base64 DER).
  pin = SHA-256(identity SPKI DER); signature = RSASSA-PSS(SHA-256, MGF1-SHA-256,
    salt 32) over id(16 bytes, the UUID's hex digits in order) || SPKI DER of (n, e).
  K = 32 random bytes; encrypted_key = RSAES-OAEP(SHA-256, MGF1-SHA-256, no label).
  keys = HKDF-SHA256(salt = id, IKM = K, info = "kexlab/v1 c2s enc" | "... c2s mac"
    | "... s2c enc" | "... s2c mac", L = 32).
  frame = ver 0x01 | type (0x01 c2s, 0x02 s2c) | id | seq (8, BE) | IV | AES-256-CBC-
    PKCS7 | HMAC-SHA256(mac key of the direction, all before the tag).
    protocol.md "Sequence numbers": each direction counts from 0 and every
    sealed frame takes the next number; the receiver keeps next (0 at the
    start), accepts seq >= next (gaps allowed; 2^64-1 never), then next = seq+1.
  receiving (protocol.md "Receiving a frame"): length >= 90 with L-74 a
    multiple of 16, tag, header (ver, type 0x02, id, seq), then CBC + padding.
  rekey: encrypted_key = OAEP(K'), auth = 0x01 | 0x03 | id | seq | HMAC(c2s mac,
    0x01 | 0x03 | id | seq | C'), seq = the next c2s number, used up only if
    the server answers 204. New keys from K' for every later frame; both
    counters go on.
Seed: OAEP-SHA-1, a raw 32-byte AES-256 key, frames IV(16) || AES-256-CBC-PKCS7,
  no MAC, no numbers; rekey sends only a new encrypted_key.
Prints one line per reply; exits 0 only if every echo came back right (and,
with --tamper, if the server rejected a tampered frame with decrypt_failed
and the session went on working). --error-bodies (hardened): provokes every
decryption/authentication failure protocol.md lists and checks that each
answer is 400 with the one body rest-api.md documents, byte for byte, and that
the session still works afterwards."""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.request
import uuid

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as apad
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64(data):
    return base64.b64encode(data).decode()


def unb64(text):
    return base64.b64decode(text, validate=True)


class Http:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, path, body=None, ctype="application/json"):
        data = None
        headers = {}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = ctype
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers.get("Content-Type", ""), r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Content-Type", ""), e.read()


def aes_cbc_encrypt(key, plaintext):
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return iv, enc.update(padded) + enc.finalize()


def aes_cbc_decrypt(key, iv, ciphertext):
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    padded = dec.update(ciphertext) + dec.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return unpadder.update(padded) + unpadder.finalize()


def hkdf(salt, ikm, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


class Peer:
    def __init__(self, url, profile, pin=None, raw=False):
        self.http = Http(url)
        self.profile = profile
        self.pin = pin
        self.raw = raw

    def fail(self, msg):
        print("peer: " + msg, file=sys.stderr)
        sys.exit(1)

    def post(self, path, body, want):
        status, ctype, data = self.http.call("POST", path, body)
        if status != want:
            self.fail("POST %s: HTTP %d %s" % (path, status, data[:200]))
        return json.loads(data) if data and ctype.startswith("application/json") else data

    def wrap(self, K):
        h = hashes.SHA256() if self.profile == "hardened" else hashes.SHA1()
        return self.pub.encrypt(K, apad.OAEP(mgf=apad.MGF1(algorithm=h), algorithm=h, label=None))

    def set_keys(self, K):
        if self.profile == "seed":
            self.key = K
            return
        self.k_c2s_enc = hkdf(self.id, K, b"kexlab/v1 c2s enc")
        self.k_c2s_mac = hkdf(self.id, K, b"kexlab/v1 c2s mac")
        self.k_s2c_enc = hkdf(self.id, K, b"kexlab/v1 s2c enc")
        self.k_s2c_mac = hkdf(self.id, K, b"kexlab/v1 s2c mac")

    def handshake(self):
        offer = self.post("/v1/sessions", {"profile": self.profile}, 201)
        if offer["profile"] != self.profile:
            self.fail("profile mismatch")
        self.sid = offer["session_id"]
        self.id = uuid.UUID(self.sid).bytes  # RFC 9562 network order = the hex digits
        n = int.from_bytes(unb64(offer["public_key"]["modulus"]), "big")
        e = int.from_bytes(unb64(offer["public_key"]["exponent"]), "big")
        self.pub = rsa.RSAPublicNumbers(e, n).public_key()
        pem_key = serialization.load_pem_public_key(offer["public_key_pem"].encode())
        if pem_key.public_numbers() != self.pub.public_numbers():
            self.fail("public_key_pem and public_key differ")
        if self.profile == "hardened":
            spki_id = unb64(offer["identity_spki"])
            if hashlib.sha256(spki_id).hexdigest() != self.pin:
                self.fail("identity pin mismatch")
            identity = serialization.load_der_public_key(spki_id)
            spki = self.pub.public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
            identity.verify(unb64(offer["identity_signature"]), self.id + spki,
                            apad.PSS(mgf=apad.MGF1(hashes.SHA256()), salt_length=32),
                            hashes.SHA256())
        K = os.urandom(32)
        self.post("/v1/sessions/%s/key" % self.sid, {"encrypted_key": b64(self.wrap(K))}, 204)
        self.set_keys(K)
        self.send_seq = 0
        self.recv_seq = 0

    def header(self, typ, seq):
        return bytes([1, typ]) + self.id + seq.to_bytes(8, "big")

    def seal(self, text):
        if self.profile == "seed":
            iv, c = aes_cbc_encrypt(self.key, text)
            return iv + c
        iv, c = aes_cbc_encrypt(self.k_c2s_enc, text)
        body = self.header(0x01, self.send_seq) + iv + c
        self.send_seq += 1
        return body + hmac.new(self.k_c2s_mac, body, hashlib.sha256).digest()

    def open(self, frame):
        if self.profile == "seed":
            if len(frame) < 32 or (len(frame) - 16) % 16:
                self.fail("reply frame has a bad length")
            return aes_cbc_decrypt(self.key, frame[:16], frame[16:])
        if len(frame) < 90 or (len(frame) - 74) % 16:
            self.fail("reply frame has a bad length")
        body, tag = frame[:-32], frame[-32:]
        if not hmac.compare_digest(hmac.new(self.k_s2c_mac, body, hashlib.sha256).digest(), tag):
            self.fail("reply tag does not verify")
        if body[0] != 1 or body[1] != 0x02 or body[2:18] != self.id:
            self.fail("reply header is wrong")
        seq = int.from_bytes(body[18:26], "big")
        if seq < self.recv_seq or seq == 2**64 - 1:
            self.fail("reply sequence number went back")
        self.recv_seq = seq + 1
        return aes_cbc_decrypt(self.k_s2c_enc, body[26:42], body[42:])

    def exchange_frame(self, frame):
        path = "/v1/sessions/%s/messages" % self.sid
        if self.raw:
            status, ctype, data = self.http.call("POST", path, frame, "application/octet-stream")
            return status, data if status == 200 else json.loads(data)
        status, ctype, data = self.http.call("POST", path, {"frame": b64(frame)})
        obj = json.loads(data)
        return status, unb64(obj["frame"]) if status == 200 else obj

    def send(self, text):
        status, reply = self.exchange_frame(self.seal(text))
        if status != 200:
            self.fail("message: HTTP %d %s" % (status, reply))
        return self.open(reply)

    def rekey(self):
        K = os.urandom(32)
        C = self.wrap(K)
        body = {"encrypted_key": b64(C)}
        if self.profile == "hardened":
            h = self.header(0x03, self.send_seq)
            body["auth"] = b64(h + hmac.new(self.k_c2s_mac, h + C, hashlib.sha256).digest())
        self.post("/v1/sessions/%s/rekey" % self.sid, body, 204)
        if self.profile == "hardened":
            self.send_seq += 1
        self.set_keys(K)

    def tamper(self):
        """A flipped ciphertext bit: hardened must refuse it with the generic error."""
        frame = bytearray(self.seal(b"tampered"))
        frame[-40 if self.profile == "hardened" else -1] ^= 0x01
        status, reply = self.exchange_frame(bytes(frame))
        return status, reply

    # ---- every decryption/authentication failure (hardened) ----
    def frame_with(self, text, ver=1, typ=0x01, sid=None, seq=None, pad=True, mac_key=None):
        """A c2s frame with chosen header fields, a valid tag under mac_key
        (default: this session's c2s MAC key); pad=False encrypts the text
        as is (it must be whole blocks), so the padding can be wrong."""
        if seq is None:
            seq = self.send_seq
            self.send_seq += 1
        if pad:
            iv, c = aes_cbc_encrypt(self.k_c2s_enc, text)
        else:
            iv = os.urandom(16)
            enc = Cipher(algorithms.AES(self.k_c2s_enc), modes.CBC(iv)).encryptor()
            c = enc.update(text) + enc.finalize()
        body = bytes([ver, typ]) + (sid or self.id) + seq.to_bytes(8, "big") + iv + c
        return body + hmac.new(mac_key or self.k_c2s_mac, body, hashlib.sha256).digest()

    def error_bodies(self):
        expected = b'{"error":"decrypt_failed","message":"decryption or authentication failed"}\n'
        answers = []

        def expect(cause, status, ctype, data):
            answers.append((cause, status, ctype, data))

        msg = "/v1/sessions/%s/messages" % self.sid

        def send(cause, frame):
            status, ctype, data = self.http.call("POST", msg, {"frame": b64(frame)})
            expect(cause, status, ctype, data)

        good = self.frame_with(b"tag")
        bad = bytearray(good); bad[-1] ^= 1
        send("bad tag", bytes(bad))
        bad = bytearray(good); bad[50] ^= 1
        send("flipped ciphertext bit", bytes(bad))
        f1 = self.frame_with(b"first")
        f2_seq = self.send_seq
        f2 = self.frame_with(b"second")
        if self.http.call("POST", msg, {"frame": b64(f2)})[0] != 200:
            self.fail("a valid frame was refused")
        send("replay", f2)
        send("reordering", f1)
        send("wrong direction (type 0x02)", self.frame_with(b"dir", typ=0x02))
        send("rekey type on the data path", self.frame_with(b"typ", typ=0x03))
        send("wrong version", self.frame_with(b"ver", ver=2))
        other = uuid.uuid4().bytes
        send("wrong session id in the header", self.frame_with(b"sid", sid=other))
        send("bad padding under a valid tag", self.frame_with(b"\x00" * 16, pad=False))
        send("sequence number 2^64-1", self.frame_with(b"max", seq=2**64 - 1))
        send("too short (89 bytes)", good[:89])
        send("length not 74 + 16m", good + b"\x00")
        send("empty frame", b"")
        # a frame of this session sent to another session of the same server
        twin = Peer(self.http.url, "hardened", self.pin)
        twin.handshake()
        status, ctype, data = self.http.call("POST", "/v1/sessions/%s/messages" % twin.sid,
                                             {"frame": b64(self.frame_with(b"elsewhere"))})
        expect("frame of another session", status, ctype, data)
        twin.close()
        # the wrapped key: bad OAEP (random k bytes below n), wrong length
        fresh = Peer(self.http.url, "hardened", self.pin)
        offer = fresh.post("/v1/sessions", {"profile": "hardened"}, 201)
        n = int.from_bytes(unb64(offer["public_key"]["modulus"]), "big")
        k = (n.bit_length() + 7) // 8
        junk = (int.from_bytes(os.urandom(k), "big") % n).to_bytes(k, "big")
        key = "/v1/sessions/%s/key" % offer["session_id"]
        expect("bad OAEP", *self.http.call("POST", key, {"encrypted_key": b64(junk)}))
        expect("wrapped key of a wrong length",
               *self.http.call("POST", key, {"encrypted_key": b64(junk[:-1])}))
        fresh.pub = rsa.RSAPublicNumbers(65537, n).public_key()
        wrong_len_k = fresh.pub.encrypt(os.urandom(16), apad.OAEP(
            mgf=apad.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
        expect("OAEP-wrapped K of 16 bytes", *self.http.call("POST", key, {"encrypted_key": b64(wrong_len_k)}))
        sha1_k = fresh.pub.encrypt(os.urandom(32), apad.OAEP(
            mgf=apad.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None))
        expect("OAEP with the seed profile's hash", *self.http.call("POST", key, {"encrypted_key": b64(sha1_k)}))
        self.http.call("DELETE", "/v1/sessions/%s" % offer["session_id"])
        # the rekey authenticator
        rk = "/v1/sessions/%s/rekey" % self.sid

        def rekey_with(cause, seq=None, flip=False, sid=None, C=None):
            C = C or self.wrap(os.urandom(32))
            h = bytes([1, 3]) + (sid or self.id) + (self.send_seq if seq is None else seq).to_bytes(8, "big")
            auth = bytearray(h + hmac.new(self.k_c2s_mac, h + C, hashlib.sha256).digest())
            if flip:
                auth[-1] ^= 1
            expect(cause, *self.http.call("POST", rk, {"encrypted_key": b64(C), "auth": b64(bytes(auth))}))

        rekey_with("rekey: bad tag", flip=True)
        rekey_with("rekey: an accepted sequence number again", seq=f2_seq)
        rekey_with("rekey: another session id", sid=other)
        rekey_with("rekey: bad OAEP under a valid auth", C=junk)
        expect("rekey: short auth", *self.http.call("POST", rk, {"encrypted_key": b64(self.wrap(os.urandom(32))),
                                                               "auth": b64(b"\x01\x03")}))
        # every answer: 400, JSON, the one body
        for cause, status, ctype, data in answers:
            if status != 400 or not ctype.startswith("application/json") or data != expected:
                self.fail("%s: HTTP %d %s %r" % (cause, status, ctype, data))
        # ...and the session is intact (keys and counters unchanged)
        if self.send(b"still here") != b"still here":
            self.fail("session broken after the rejections")
        self.rekey()
        if self.send(b"after rekey") != b"after rekey":
            self.fail("session broken after a rekey following the rejections")
        print("error bodies: %d causes, one body" % len(answers))

    def close(self):
        status, _, data = self.http.call("DELETE", "/v1/sessions/%s" % self.sid)
        if status != 204:
            self.fail("DELETE: HTTP %d" % status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--profile", default="hardened", choices=["hardened", "seed"])
    ap.add_argument("--pin")
    ap.add_argument("--messages", type=int, default=10)
    ap.add_argument("--rekey-every", type=int, default=0)
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--tamper", action="store_true")
    ap.add_argument("--error-bodies", action="store_true")
    a = ap.parse_args()
    if a.profile == "hardened" and not a.pin:
        ap.error("hardened needs --pin")
    p = Peer(a.url, a.profile, a.pin, a.raw)
    p.handshake()
    if a.error_bodies:
        if a.profile != "hardened":
            ap.error("--error-bodies is for the hardened profile")
        p.error_bodies()
        p.close()
        return
    rekeys = 0
    for i in range(a.messages):
        if a.rekey_every and i and i % a.rekey_every == 0:
            p.rekey()
            rekeys += 1
        text = ("peer message %d" % i).encode()
        got = p.send(text)
        if got != text:
            p.fail("echo mismatch: %r" % got)
    note = p.send(b"/note kept secret")
    notes = p.send(b"/notes")
    if notes != b"kept secret\n":
        p.fail("note store: %r" % notes)
    if a.tamper:
        status, reply = p.tamper()
        if a.profile == "hardened":
            if status != 400 or reply.get("error") != "decrypt_failed":
                p.fail("tampered frame was not rejected: %d %r" % (status, reply))
            if p.send(b"after tamper") != b"after tamper":
                p.fail("session broken after a rejected frame")
            print("tampered frame rejected: %s" % reply["error"])
        else:
            # seed has no MAC: the flip of the last ciphertext byte garbles the
            # padding (rejected) or the text (accepted, silently changed).
            print("seed tamper: HTTP %d" % status)
    p.close()
    print("%s: %d messages, %d rekeys, notes ok (%s)" % (a.profile, a.messages, rekeys, note.decode()))


if __name__ == "__main__":
    main()
