#!/usr/bin/python3
# hash_trace_peer.py: the traces of `kexlab hash|hmac|hkdf|rand --trace`,
# computed independently from the standards with Python's standard library
# only, and printed in the text layout the command uses, so that
# test_cli_hash.sh can compare the two line by line. Nothing here comes from
# kexlab's output.
#   sha1|sha256 steps|nist MSGHEX   FIPS 180-4 §6.1.2 / §6.2.2, written out
#                                   here (hashlib checks the digest only)
#   hmac sha1|sha256 KEYHEX MSGHEX  FIPS 198-1 §4 steps 1-9 (hmac checks the tag)
#   hkdf sha1|sha256 IKMHEX SALTHEX INFOHEX L    RFC 5869 §2.2-2.3
#   drbg SEEDHEX N                  SP 800-90A §10.1.2.2, .3, .5 (HMAC_DRBG,
#                                   SHA-256) as kl_rng_seeded instantiates it
# A hex argument "-" is the empty string.
import hashlib
import hmac
import sys

MASK = 0xFFFFFFFF


def rotr(x, n):
    return ((x >> n) | (x << (32 - n))) & MASK


def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & MASK


def pad(msg):
    """FIPS 180-4 §5.1.1: 1 bit, zeros, then the 64-bit length l."""
    l = len(msg) * 8
    k = (448 - (l + 1)) % 512
    bits = msg + b"\x80" + b"\x00" * ((k - 7) // 8) + l.to_bytes(8, "big")
    assert len(bits) % 64 == 0
    return [bits[i:i + 64] for i in range(0, len(bits), 64)]


def words(b):
    return [int.from_bytes(b[i:i + 4], "big") for i in range(0, len(b), 4)]


# §4.2.2 and §5.3.3: from the primes, as the standard defines them.
def primes(n):
    out, c = [], 2
    while len(out) < n:
        if all(c % p for p in out):
            out.append(c)
        c += 1
    return out


def frac_root(p, k):
    """First 32 bits of the fractional part of p^(1/k), exactly (integers)."""
    # floor(p^(1/k) * 2^32) by integer root of p * 2^(32k)
    x = p << (32 * k)
    lo, hi = 0, 1 << (33 + 32)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if mid ** k <= x:
            lo = mid
        else:
            hi = mid - 1
    return lo & MASK


K256 = [frac_root(p, 3) for p in primes(64)]
H256 = [frac_root(p, 2) for p in primes(8)]
H1 = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]  # §5.3.1


def sha256_blocks(msg):
    """Yield, per block i: (M, W, rounds [(T1, T2, a..h)], H(i))."""
    H = list(H256)
    for M in pad(msg):
        W = words(M)
        for t in range(16, 64):
            s0 = rotr(W[t - 15], 7) ^ rotr(W[t - 15], 18) ^ (W[t - 15] >> 3)
            s1 = rotr(W[t - 2], 17) ^ rotr(W[t - 2], 19) ^ (W[t - 2] >> 10)
            W.append((s1 + W[t - 7] + s0 + W[t - 16]) & MASK)
        a, b, c, d, e, f, g, h = H
        rounds = []
        for t in range(64):
            S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            ch = (e & f) ^ (~e & g)
            T1 = (h + S1 + ch + K256[t] + W[t]) & MASK
            S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            maj = (a & b) ^ (a & c) ^ (b & c)
            T2 = (S0 + maj) & MASK
            h, g, f, e, d, c, b, a = g, f, e, (d + T1) & MASK, c, b, a, (T1 + T2) & MASK
            rounds.append(([T1, T2], [a, b, c, d, e, f, g, h]))
        H = [(x + y) & MASK for x, y in zip(H, [a, b, c, d, e, f, g, h])]
        yield M, W, rounds, list(H)


def sha1_blocks(msg):
    H = list(H1)
    for M in pad(msg):
        W = words(M)
        for t in range(16, 80):
            W.append(rotl(W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16], 1))
        a, b, c, d, e = H
        rounds = []
        for t in range(80):
            if t < 20:
                f, K = (b & c) ^ (~b & d), 0x5A827999
            elif t < 40:
                f, K = b ^ c ^ d, 0x6ED9EBA1
            elif t < 60:
                f, K = (b & c) ^ (b & d) ^ (c & d), 0x8F1BBCDC
            else:
                f, K = b ^ c ^ d, 0xCA62C1D6
            T = (rotl(a, 5) + (f & MASK) + e + K + W[t]) & MASK
            e, d, c, b, a = d, c, rotl(b, 30), a, T
            rounds.append(([T], [a, b, c, d, e]))
        H = [(x + y) & MASK for x, y in zip(H, [a, b, c, d, e])]
        yield M, W, rounds, list(H)


def wordhex(ws):
    return "".join("%08x" % w for w in ws)


def sha_trace(alg, layout, msg):
    blocks = sha1_blocks if alg == "sha1" else sha256_blocks
    H0 = H1 if alg == "sha1" else H256
    temps = ["T"] if alg == "sha1" else ["T1", "T2"]
    names = "abcde" if alg == "sha1" else "abcdefgh"
    out = ["-:"]
    if layout == "steps":
        out.append("  H[0] = " + wordhex(H0))
    else:
        out.append("  H(0) = " + " ".join("%08x" % w for w in H0))
    H = H0
    for i, (M, W, rounds, H) in enumerate(blocks(msg), 1):
        if layout == "steps":
            out.append("  M[%d] = %s" % (i, M.hex()))
            out += ["  W[%d] = %08x" % (t, w) for t, w in enumerate(W)]
            for t, (tv, vs) in enumerate(rounds):
                out += ["  %s[%d] = %08x" % (n, t, v) for n, v in zip(temps, tv)]
                out += ["  %s[%d] = %08x" % (n, t, v) for n, v in zip(names, vs)]
            out.append("  H[%d] = %s" % (i, wordhex(H)))
        else:
            out.append("  M(%d) = %s" % (i, " ".join("%08x" % w for w in words(M))))
            out.append("          " + "        ".join(names))
            out += ["  t = %2d: %s" % (t, " ".join("%08x" % v for v in vs))
                    for t, (tv, vs) in enumerate(rounds)]
            out += ["  W[%2d] = %08x" % (t, w) for t, w in enumerate(W)]
            out.append("  H(%d) = %s" % (i, " ".join("%08x" % w for w in H)))
    digest = wordhex(H)
    assert digest == hashlib.new(alg, msg).hexdigest(), "the peer's own SHA is wrong"
    out.append(digest + "  -")
    return out


def hmac_trace(alg, key, text):
    """FIPS 198-1 §4, Table 1 steps 1-9."""
    B = 64
    H = lambda m: hashlib.new(alg, m).digest()
    if len(key) == B:
        K0 = key                                   # step 1
    elif len(key) > B:
        K0 = H(key) + b"\x00" * (B - len(H(key)))  # step 2
    else:
        K0 = key + b"\x00" * (B - len(key))        # step 3
    ipad_x = bytes(k ^ 0x36 for k in K0)           # step 4
    inner = H(ipad_x + text)                       # steps 5-6
    opad_x = bytes(k ^ 0x5C for k in K0)           # step 7
    mac = H(opad_x + inner)                        # steps 8-9
    assert mac == hmac.new(key, text, alg).digest(), "the peer's own HMAC is wrong"
    return ["  K0 = " + K0.hex(), "  K0 ^ ipad = " + ipad_x.hex(),
            "  K0 ^ opad = " + opad_x.hex(), "  H((K0 ^ ipad) || text) = " + inner.hex(),
            "  MAC = " + mac.hex(), mac.hex()]


def hkdf_trace(alg, ikm, salt, info, L):
    HashLen = hashlib.new(alg).digest_size
    if not salt:
        salt = b"\x00" * HashLen                   # §2.2
    PRK = hmac.new(salt, ikm, alg).digest()
    out = ["  PRK = " + PRK.hex()]
    N = -(-L // HashLen)                           # §2.3: N = ceil(L/HashLen)
    T, okm = b"", b""
    for i in range(1, N + 1):
        T = hmac.new(PRK, T + info + bytes([i]), alg).digest()
        out.append("  T[%d] = %s" % (i, T.hex()))
        okm += T
    out.append("  OKM = " + okm[:L].hex())
    out.append(okm[:L].hex())
    return out


def drbg_trace(seed, n):
    """SP 800-90A §10.1.2 with SHA-256; kl_rng_seeded: entropy_input = seed,
    nonce empty, personalization_string = "kexlab seeded rng v1"; requests of
    at most 65536 bytes (2^19 bits), no additional_input."""
    out = []
    HM = lambda k, m: hmac.new(k, m, "sha256").digest()

    def update(provided, K, V):                    # §10.1.2.2
        out.append("  process = HMAC_DRBG_Update (10.1.2.2)")
        K = HM(K, V + b"\x00" + provided)
        out.append("  Key[1] = " + K.hex())
        V = HM(K, V)
        out.append("  V[2] = " + V.hex())
        if not provided:
            return K, V
        K = HM(K, V + b"\x01" + provided)
        out.append("  Key[4] = " + K.hex())
        V = HM(K, V)
        out.append("  V[5] = " + V.hex())
        return K, V

    # §10.1.2.3 Instantiate
    out.append("  process = HMAC_DRBG_Instantiate_algorithm (10.1.2.3)")
    seed_material = seed + b"" + b"kexlab seeded rng v1"  # entropy || nonce || pers
    out.append("  seed_material = " + seed_material.hex())
    K, V = b"\x00" * 32, b"\x01" * 32
    out.append("  Key = " + K.hex())
    out.append("  V = " + V.hex())
    K, V = update(seed_material, K, V)
    reseed_counter = 1
    out.append("  reseed_counter = %d" % reseed_counter)
    # §10.1.2.5 Generate, once per request
    returned = b""
    while len(returned) < n:
        want = min(n - len(returned), 65536)
        out.append("  process = HMAC_DRBG_Generate_algorithm (10.1.2.5)")
        temp = b""
        while len(temp) < want:
            V = HM(K, V)
            out.append("  V = " + V.hex())
            temp += V
        returned += temp[:want]
        K, V = update(b"", K, V)
        reseed_counter += 1
        out.append("  reseed_counter = %d" % reseed_counter)
    out.append(returned.hex())
    return out


def hx(text):
    return b"" if text == "-" else bytes.fromhex(text)


def main(argv):
    what = argv[1]
    if what in ("sha1", "sha256"):
        lines = sha_trace(what, argv[2], hx(argv[3]))
    elif what == "hmac":
        lines = hmac_trace(argv[2], hx(argv[3]), hx(argv[4]))
    elif what == "hkdf":
        lines = hkdf_trace(argv[2], hx(argv[3]), hx(argv[4]), hx(argv[5]), int(argv[6]))
    elif what == "drbg":
        lines = drbg_trace(hx(argv[2]), int(argv[3]))
    else:
        sys.exit("unknown: " + what)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv)
