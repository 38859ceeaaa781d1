/* sha512_fast.c: the SHA-512 compression function (SHA-384, SHA-512,
 * SHA-512/t), fast path. FIPS 180-4 §6.4.2 computed as in sha512.c, arranged
 * as sha256_fast.c arranges §6.2.2:
 *  - the 80 rounds are written out one by one (each a call to the static
 *    inline round_t), and round t+1 names the variables in rotated order
 *    instead of moving them;
 *  - the message schedule rolls in 16 words: W[t] overwrites W[t-16];
 *  - Ch and Maj use the equivalent forms of sha256_fast.c.
 * Must agree with sha512.c on every input (tests/test_sha512.c, ref_vs_fast).
 * No round-level trace here: attach a tracer to see the rounds.
 * Timing: constant-time. Symbols as in sha512.c. */
#include "core/bytes.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"

/* §4.1.3's Σ and σ functions on 64-bit words ((4.10)-(4.13)), nested as in
 * sha256_fast.c: ROTR distributes over XOR. */
static inline uint64_t Sigma0(uint64_t x) /* ROTR^28 ^ ROTR^34 ^ ROTR^39 */
{
  return kli_rotr64(x ^ kli_rotr64(x ^ kli_rotr64(x, 5), 6), 28);
}

static inline uint64_t Sigma1(uint64_t x) /* ROTR^14 ^ ROTR^18 ^ ROTR^41 */
{
  return kli_rotr64(x ^ kli_rotr64(x, 4), 14) ^ kli_rotr64(x, 41);
}

static inline uint64_t sigma0(uint64_t x) /* ROTR^1 ^ ROTR^8 ^ SHR^7 */
{
  return kli_rotr64(x ^ kli_rotr64(x, 7), 1) ^ (x >> 7);
}

static inline uint64_t sigma1(uint64_t x) /* ROTR^19 ^ ROTR^61 ^ SHR^6 */
{
  return kli_rotr64(x ^ kli_rotr64(x, 42), 19) ^ (x >> 6);
}

/* (4.8) Ch and (4.9) Maj, in the forms explained in sha256_fast.c. */
static inline uint64_t Ch(uint64_t x, uint64_t y, uint64_t z)
{
  return ((y ^ z) & x) ^ z;
}

static inline uint64_t Maj(uint64_t x, uint64_t y, uint64_t z)
{
  return ((x ^ y) & (y ^ z)) ^ y;
}

/* §6.4.2 step 1 for t >= 16, on a rolling window: W[t mod 16] holds W[t-16]
 * and becomes W[t]. */
static inline uint64_t expand(uint64_t W[16], int t)
{
  W[t & 15] += sigma1(W[(t - 2) & 15]) + W[(t - 7) & 15] + sigma0(W[(t - 15) & 15]);
  return W[t & 15];
}

/* §6.4.2 step 3, one round, with KW = K[t] + W[t]: d becomes the new e
 * (d + T1) and h the new a (T1 + T2); the caller rotates the names. */
static inline void round_t(uint64_t a, uint64_t b, uint64_t c, uint64_t *d, uint64_t e, uint64_t f,
                           uint64_t g, uint64_t *h, uint64_t KW)
{
  uint64_t T1 = *h + KW + Ch(e, f, g) + Sigma1(e);
  uint64_t T2 = Sigma0(a) + Maj(a, b, c);
  *d += T1;     /* new e = d + T1 */
  *h = T1 + T2; /* new a = T1 + T2 */
}

void kli_sha512_compress_fast(uint64_t H[8], const uint8_t *blocks, size_t nblocks)
{
  uint64_t W[16];
  for (size_t n = 0; n < nblocks; n++) {
    const uint8_t *M = blocks + 128 * n;
    for (int t = 0; t < 16; t++)
      W[t] = kli_load_be64(M + 8 * t);

    uint64_t a = H[0], b = H[1], c = H[2], d = H[3];
    uint64_t e = H[4], f = H[5], g = H[6], h = H[7];

    /* Step 3, rounds t = 0..79. After each line, the variable passed as &d
     * holds the new e and the one passed as &h the new a; the names rotate one
     * place per line and come back in line every 8 (80 = 10 x 8). */
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[0] + W[0]);
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[1] + W[1]);
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[2] + W[2]);
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[3] + W[3]);
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[4] + W[4]);
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[5] + W[5]);
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[6] + W[6]);
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[7] + W[7]);
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[8] + W[8]);
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[9] + W[9]);
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[10] + W[10]);
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[11] + W[11]);
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[12] + W[12]);
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[13] + W[13]);
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[14] + W[14]);
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[15] + W[15]);
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[16] + expand(W, 16));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[17] + expand(W, 17));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[18] + expand(W, 18));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[19] + expand(W, 19));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[20] + expand(W, 20));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[21] + expand(W, 21));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[22] + expand(W, 22));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[23] + expand(W, 23));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[24] + expand(W, 24));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[25] + expand(W, 25));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[26] + expand(W, 26));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[27] + expand(W, 27));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[28] + expand(W, 28));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[29] + expand(W, 29));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[30] + expand(W, 30));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[31] + expand(W, 31));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[32] + expand(W, 32));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[33] + expand(W, 33));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[34] + expand(W, 34));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[35] + expand(W, 35));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[36] + expand(W, 36));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[37] + expand(W, 37));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[38] + expand(W, 38));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[39] + expand(W, 39));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[40] + expand(W, 40));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[41] + expand(W, 41));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[42] + expand(W, 42));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[43] + expand(W, 43));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[44] + expand(W, 44));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[45] + expand(W, 45));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[46] + expand(W, 46));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[47] + expand(W, 47));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[48] + expand(W, 48));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[49] + expand(W, 49));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[50] + expand(W, 50));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[51] + expand(W, 51));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[52] + expand(W, 52));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[53] + expand(W, 53));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[54] + expand(W, 54));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[55] + expand(W, 55));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[56] + expand(W, 56));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[57] + expand(W, 57));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[58] + expand(W, 58));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[59] + expand(W, 59));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[60] + expand(W, 60));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[61] + expand(W, 61));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[62] + expand(W, 62));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[63] + expand(W, 63));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[64] + expand(W, 64));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[65] + expand(W, 65));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[66] + expand(W, 66));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[67] + expand(W, 67));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[68] + expand(W, 68));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[69] + expand(W, 69));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[70] + expand(W, 70));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[71] + expand(W, 71));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha512_K[72] + expand(W, 72));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha512_K[73] + expand(W, 73));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha512_K[74] + expand(W, 74));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha512_K[75] + expand(W, 75));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha512_K[76] + expand(W, 76));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha512_K[77] + expand(W, 77));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha512_K[78] + expand(W, 78));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha512_K[79] + expand(W, 79));

    H[0] += a;
    H[1] += b;
    H[2] += c;
    H[3] += d;
    H[4] += e;
    H[5] += f;
    H[6] += g;
    H[7] += h;
  }
  kl_wipe(W, sizeof W); /* the schedule derives from the (maybe secret) message */
}
