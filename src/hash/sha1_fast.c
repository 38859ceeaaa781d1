/* sha1_fast.c: SHA-1's compression function, fast path. FIPS 180-4 §6.1.2
 * computed as in sha1.c, rearranged for speed:
 *  - the 80 rounds are written out one by one, each a call to the static
 *    inline function of its stage (round_ch, round_parity, round_maj), with
 *    the variable names rotated instead of the values moved;
 *  - the message schedule rolls in 16 words (§6.1.3 describes the same
 *    alternative method: W[t] overwrites W[t-16]).
 * Must agree with sha1.c on every input (tests/test_sha.c, ref_vs_fast).
 * No round-level trace here. Timing: constant-time. Symbols as in sha1.c. */
#include "core/bytes.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"

/* §4.2.1: K_t for the four stages of 20 rounds. */
static const uint32_t K0 = 0x5a827999;
static const uint32_t K1 = 0x6ed9eba1;
static const uint32_t K2 = 0x8f1bbcdc;
static const uint32_t K3 = 0xca62c1d6;

/* §6.1.2 step 1 for t >= 16 on a rolling window of 16 words. */
static inline uint32_t expand(uint32_t W[16], int t)
{
  W[t & 15] = kli_rotl32(W[(t - 3) & 15] ^ W[(t - 8) & 15] ^ W[(t - 14) & 15] ^ W[t & 15], 1);
  return W[t & 15];
}

/* §6.1.2 step 3, one round, with KW = K_t + W[t]:
 *   T = ROTL5(a) + f_t(b, c, d) + e + K_t + W[t]; e = d; d = c; c = ROTL30(b); b = a; a = T.
 * Only two values change: e becomes T (the new a) and b becomes ROTL30(b)
 * (the new c); the caller rotates the names so the other moves vanish. */
static inline void round_ch(uint32_t a, uint32_t *b, uint32_t c, uint32_t d, uint32_t *e,
                            uint32_t KW)
{
  /* Ch(b, c, d) = (b AND c) XOR (NOT b AND d) = ((c XOR d) AND b) XOR d */
  *e += kli_rotl32(a, 5) + (((c ^ d) & *b) ^ d) + KW;
  *b = kli_rotl32(*b, 30);
}

static inline void round_parity(uint32_t a, uint32_t *b, uint32_t c, uint32_t d, uint32_t *e,
                                uint32_t KW)
{
  *e += kli_rotl32(a, 5) + (*b ^ c ^ d) + KW;
  *b = kli_rotl32(*b, 30);
}

static inline void round_maj(uint32_t a, uint32_t *b, uint32_t c, uint32_t d, uint32_t *e,
                             uint32_t KW)
{
  /* Maj(b, c, d) = (b AND c) OR (d AND (b OR c)): the two forms agree bit by bit. */
  *e += kli_rotl32(a, 5) + ((*b & c) | (d & (*b | c))) + KW;
  *b = kli_rotl32(*b, 30);
}

void kli_sha1_compress_fast(uint32_t H[5], const uint8_t *blocks, size_t nblocks)
{
  uint32_t W[16];
  for (size_t n = 0; n < nblocks; n++) {
    const uint8_t *M = blocks + 64 * n;
    for (int t = 0; t < 16; t++)
      W[t] = kli_load_be32(M + 4 * t);

    uint32_t a = H[0], b = H[1], c = H[2], d = H[3], e = H[4];

    /* t = 0..19: f_t = Ch, K_t = K0 */
    round_ch(a, &b, c, d, &e, K0 + W[0]);
    round_ch(e, &a, b, c, &d, K0 + W[1]);
    round_ch(d, &e, a, b, &c, K0 + W[2]);
    round_ch(c, &d, e, a, &b, K0 + W[3]);
    round_ch(b, &c, d, e, &a, K0 + W[4]);
    round_ch(a, &b, c, d, &e, K0 + W[5]);
    round_ch(e, &a, b, c, &d, K0 + W[6]);
    round_ch(d, &e, a, b, &c, K0 + W[7]);
    round_ch(c, &d, e, a, &b, K0 + W[8]);
    round_ch(b, &c, d, e, &a, K0 + W[9]);
    round_ch(a, &b, c, d, &e, K0 + W[10]);
    round_ch(e, &a, b, c, &d, K0 + W[11]);
    round_ch(d, &e, a, b, &c, K0 + W[12]);
    round_ch(c, &d, e, a, &b, K0 + W[13]);
    round_ch(b, &c, d, e, &a, K0 + W[14]);
    round_ch(a, &b, c, d, &e, K0 + W[15]);
    round_ch(e, &a, b, c, &d, K0 + expand(W, 16));
    round_ch(d, &e, a, b, &c, K0 + expand(W, 17));
    round_ch(c, &d, e, a, &b, K0 + expand(W, 18));
    round_ch(b, &c, d, e, &a, K0 + expand(W, 19));
    /* t = 20..39: f_t = Parity, K_t = K1 */
    round_parity(a, &b, c, d, &e, K1 + expand(W, 20));
    round_parity(e, &a, b, c, &d, K1 + expand(W, 21));
    round_parity(d, &e, a, b, &c, K1 + expand(W, 22));
    round_parity(c, &d, e, a, &b, K1 + expand(W, 23));
    round_parity(b, &c, d, e, &a, K1 + expand(W, 24));
    round_parity(a, &b, c, d, &e, K1 + expand(W, 25));
    round_parity(e, &a, b, c, &d, K1 + expand(W, 26));
    round_parity(d, &e, a, b, &c, K1 + expand(W, 27));
    round_parity(c, &d, e, a, &b, K1 + expand(W, 28));
    round_parity(b, &c, d, e, &a, K1 + expand(W, 29));
    round_parity(a, &b, c, d, &e, K1 + expand(W, 30));
    round_parity(e, &a, b, c, &d, K1 + expand(W, 31));
    round_parity(d, &e, a, b, &c, K1 + expand(W, 32));
    round_parity(c, &d, e, a, &b, K1 + expand(W, 33));
    round_parity(b, &c, d, e, &a, K1 + expand(W, 34));
    round_parity(a, &b, c, d, &e, K1 + expand(W, 35));
    round_parity(e, &a, b, c, &d, K1 + expand(W, 36));
    round_parity(d, &e, a, b, &c, K1 + expand(W, 37));
    round_parity(c, &d, e, a, &b, K1 + expand(W, 38));
    round_parity(b, &c, d, e, &a, K1 + expand(W, 39));
    /* t = 40..59: f_t = Maj, K_t = K2 */
    round_maj(a, &b, c, d, &e, K2 + expand(W, 40));
    round_maj(e, &a, b, c, &d, K2 + expand(W, 41));
    round_maj(d, &e, a, b, &c, K2 + expand(W, 42));
    round_maj(c, &d, e, a, &b, K2 + expand(W, 43));
    round_maj(b, &c, d, e, &a, K2 + expand(W, 44));
    round_maj(a, &b, c, d, &e, K2 + expand(W, 45));
    round_maj(e, &a, b, c, &d, K2 + expand(W, 46));
    round_maj(d, &e, a, b, &c, K2 + expand(W, 47));
    round_maj(c, &d, e, a, &b, K2 + expand(W, 48));
    round_maj(b, &c, d, e, &a, K2 + expand(W, 49));
    round_maj(a, &b, c, d, &e, K2 + expand(W, 50));
    round_maj(e, &a, b, c, &d, K2 + expand(W, 51));
    round_maj(d, &e, a, b, &c, K2 + expand(W, 52));
    round_maj(c, &d, e, a, &b, K2 + expand(W, 53));
    round_maj(b, &c, d, e, &a, K2 + expand(W, 54));
    round_maj(a, &b, c, d, &e, K2 + expand(W, 55));
    round_maj(e, &a, b, c, &d, K2 + expand(W, 56));
    round_maj(d, &e, a, b, &c, K2 + expand(W, 57));
    round_maj(c, &d, e, a, &b, K2 + expand(W, 58));
    round_maj(b, &c, d, e, &a, K2 + expand(W, 59));
    /* t = 60..79: f_t = Parity, K_t = K3 */
    round_parity(a, &b, c, d, &e, K3 + expand(W, 60));
    round_parity(e, &a, b, c, &d, K3 + expand(W, 61));
    round_parity(d, &e, a, b, &c, K3 + expand(W, 62));
    round_parity(c, &d, e, a, &b, K3 + expand(W, 63));
    round_parity(b, &c, d, e, &a, K3 + expand(W, 64));
    round_parity(a, &b, c, d, &e, K3 + expand(W, 65));
    round_parity(e, &a, b, c, &d, K3 + expand(W, 66));
    round_parity(d, &e, a, b, &c, K3 + expand(W, 67));
    round_parity(c, &d, e, a, &b, K3 + expand(W, 68));
    round_parity(b, &c, d, e, &a, K3 + expand(W, 69));
    round_parity(a, &b, c, d, &e, K3 + expand(W, 70));
    round_parity(e, &a, b, c, &d, K3 + expand(W, 71));
    round_parity(d, &e, a, b, &c, K3 + expand(W, 72));
    round_parity(c, &d, e, a, &b, K3 + expand(W, 73));
    round_parity(b, &c, d, e, &a, K3 + expand(W, 74));
    round_parity(a, &b, c, d, &e, K3 + expand(W, 75));
    round_parity(e, &a, b, c, &d, K3 + expand(W, 76));
    round_parity(d, &e, a, b, &c, K3 + expand(W, 77));
    round_parity(c, &d, e, a, &b, K3 + expand(W, 78));
    round_parity(b, &c, d, e, &a, K3 + expand(W, 79));

    H[0] += a;
    H[1] += b;
    H[2] += c;
    H[3] += d;
    H[4] += e;
  }
  kl_wipe(W, sizeof W);
}
