#!/usr/bin/python3
"""aes_fips197_model.py: an independent model of FIPS 197 (Nov. 2001) written
from the standard with the Python standard library only, used by
test_cli_aes.sh to hold `kexlab demo aes --decrypt --equivalent --json`
against it line by line: §4.2 multiplication, §5.1.1 S-box (multiplicative
inverse and affine map), §5.2 KeyExpansion, §5.3.1-§5.3.3 InvShiftRows,
InvSubBytes, InvMixColumns, and §5.3.5 EqInvCipher (Figure 15) with its
dw[] schedule. Prints the App. C "EQUIVALENT INVERSE CIPHER" lines
('round[ r].label <32 hex>') for the key and ciphertext given:
    aes_fips197_model.py KEY_HEX CIPHERTEXT_HEX
States are written in input order in[r + 4c] (§3.4), as App. C writes them."""
import sys


def xtime(a):  # §4.2.1
    a <<= 1
    return a ^ 0x11b if a & 0x100 else a


def mul(a, b):  # §4.2: a • b, by repeated xtime
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = xtime(a)
        b >>= 1
    return r


def sbox_entry(a):  # §5.1.1: inverse in GF(2^8) ({00} -> {00}), then the affine map
    b = 0 if a == 0 else next(x for x in range(1, 256) if mul(a, x) == 1)
    s = 0x63
    for i in range(8):
        bit = (b >> i) ^ (b >> ((i + 4) % 8)) ^ (b >> ((i + 5) % 8)) ^ \
              (b >> ((i + 6) % 8)) ^ (b >> ((i + 7) % 8))
        s ^= (bit & 1) << i
    return s


SBOX = [sbox_entry(a) for a in range(256)]
INV_SBOX = [0] * 256
for a, v in enumerate(SBOX):
    INV_SBOX[v] = a


def key_expansion(key):  # §5.2, Figure 11; words as lists of 4 bytes
    Nk = len(key) // 4
    Nr = Nk + 6
    w = [list(key[4 * i:4 * i + 4]) for i in range(Nk)]
    rcon = 1
    for i in range(Nk, 4 * (Nr + 1)):
        temp = list(w[i - 1])
        if i % Nk == 0:
            temp = [SBOX[x] for x in temp[1:] + temp[:1]]
            temp[0] ^= rcon
            rcon = xtime(rcon)
        elif Nk > 6 and i % Nk == 4:
            temp = [SBOX[x] for x in temp]
        w.append([a ^ b for a, b in zip(w[i - Nk], temp)])
    return w, Nr


def inv_mix_column(col):  # §5.3.3, eq. (5.10)
    s0, s1, s2, s3 = col
    return [mul(s0, 0x0e) ^ mul(s1, 0x0b) ^ mul(s2, 0x0d) ^ mul(s3, 0x09),
            mul(s0, 0x09) ^ mul(s1, 0x0e) ^ mul(s2, 0x0b) ^ mul(s3, 0x0d),
            mul(s0, 0x0d) ^ mul(s1, 0x09) ^ mul(s2, 0x0e) ^ mul(s3, 0x0b),
            mul(s0, 0x0b) ^ mul(s1, 0x0d) ^ mul(s2, 0x09) ^ mul(s3, 0x0e)]


def eq_inv_cipher_lines(key, ct):  # §5.3.5, Figure 15
    w, Nr = key_expansion(key)
    dw = [list(x) for x in w]
    for rnd in range(1, Nr):
        for c in range(4):
            dw[4 * rnd + c] = inv_mix_column(w[4 * rnd + c])

    def rk(rnd):  # dw[rnd*Nb, (rnd+1)*Nb-1], in input order
        return sum(dw[4 * rnd:4 * rnd + 4], [])

    def line(rnd, label, s):
        return "round[%2d].%s %s" % (rnd, label, bytes(s).hex())

    s = list(ct)  # s[r + 4c]
    out = [line(0, "iinput", s), line(0, "ik_sch", rk(Nr))]
    s = [a ^ b for a, b in zip(s, rk(Nr))]
    for r in range(1, Nr + 1):
        out.append(line(r, "istart", s))
        s = [INV_SBOX[x] for x in s]
        out.append(line(r, "is_box", s))
        t = [0] * 16  # §5.3.1: s'[r][(c + r) mod 4] = s[r][c]
        for row in range(4):
            for c in range(4):
                t[row + 4 * ((c + row) % 4)] = s[row + 4 * c]
        s = t
        out.append(line(r, "is_row", s))
        if r < Nr:
            s = sum([inv_mix_column(s[4 * c:4 * c + 4]) for c in range(4)], [])
            out.append(line(r, "im_col", s))
        out.append(line(r, "ik_sch", rk(Nr - r)))
        s = [a ^ b for a, b in zip(s, rk(Nr - r))]
    out.append(line(Nr, "ioutput", s))
    return out


if __name__ == "__main__":
    print("\n".join(eq_inv_cipher_lines(bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]))))
