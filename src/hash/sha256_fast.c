/* sha256_fast.c: SHA-256's compression function, fast path. FIPS 180-4 §6.2.2
 * computed as in sha256.c, rearranged for speed:
 *  - the 64 rounds are written out one by one (each a call to the static
 *    inline round_t), so no loop counter, no array of working variables and no
 *    moves: round t+1 names the variables in rotated order instead of shifting
 *    them (h = g, g = f, ... is a renaming, not work);
 *  - the message schedule rolls in 16 words: W[t] overwrites W[t-16] (§6.2.2
 *    step 1 only ever looks 16 words back), computed just before round t needs it;
 *  - Ch and Maj use equivalent forms with fewer operations (see below).
 * Must agree with sha256.c on every input (tests/test_sha.c, ref_vs_fast).
 * No round-level trace here (docs/hacking.md, Tracing): attach a tracer to see the rounds.
 * Timing: constant-time. Symbols as in sha256.c. Speed: see docs/hash.md. */
#include "core/bytes.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"

/* §4.1.2's Σ and σ functions, with rotations nested where that saves work.
 * ROTR^n distributes over XOR, so
 *   ROTR^2(x) ^ ROTR^13(x) ^ ROTR^22(x) = ROTR^2(x ^ ROTR^11(x ^ ROTR^9(x))).
 * The nested form needs one copy of x instead of three (x86 rotates in place,
 * so every extra use of x costs a register copy) but its three rotations run
 * one after another. Σ1(e) sits on the round's longest dependency chain
 * (e -> Σ1 -> new e), so it keeps one rotation in parallel: measured best of
 * the combinations on this machine (docs/hash.md). */
static inline uint32_t Sigma0(uint32_t x) /* (4.4) ROTR^2 ^ ROTR^13 ^ ROTR^22 */
{
  return kli_rotr32(x ^ kli_rotr32(x ^ kli_rotr32(x, 9), 11), 2);
}

static inline uint32_t Sigma1(uint32_t x) /* (4.5) ROTR^6 ^ ROTR^11 ^ ROTR^25 */
{
  return kli_rotr32(x ^ kli_rotr32(x, 5), 6) ^ kli_rotr32(x, 25);
}

static inline uint32_t sigma0(uint32_t x) /* (4.6) ROTR^7 ^ ROTR^18 ^ SHR^3 */
{
  return kli_rotr32(x ^ kli_rotr32(x, 11), 7) ^ (x >> 3);
}

static inline uint32_t sigma1(uint32_t x) /* (4.7) ROTR^17 ^ ROTR^19 ^ SHR^10 */
{
  return kli_rotr32(x ^ kli_rotr32(x, 2), 17) ^ (x >> 10);
}

/* (4.2) Ch(x,y,z) = (x AND y) XOR (NOT x AND z). Same bits, one operation
 * fewer: where x is 1 the result is y, where x is 0 it is z, and
 * ((y XOR z) AND x) XOR z gives y XOR z XOR z = y or 0 XOR z = z. */
static inline uint32_t Ch(uint32_t x, uint32_t y, uint32_t z)
{
  return ((y ^ z) & x) ^ z;
}

/* (4.3) Maj(x,y,z): where x = y the majority is y; where they differ it is z.
 * ((x XOR y) AND (y XOR z)) XOR y says exactly that. In round t+1 the
 * arguments are (a', b', c') = (new a, a, b), so its (y XOR z) = a XOR b is
 * round t's (x XOR y): the compiler computes it once for both rounds. */
static inline uint32_t Maj(uint32_t x, uint32_t y, uint32_t z)
{
  return ((x ^ y) & (y ^ z)) ^ y;
}

/* §6.2.2 step 1 for t >= 16, on a rolling window: W[t mod 16] holds W[t-16]
 * and becomes W[t]. With t a constant, the indices are constants too. */
static inline uint32_t expand(uint32_t W[16], int t)
{
  W[t & 15] += sigma1(W[(t - 2) & 15]) + W[(t - 7) & 15] + sigma0(W[(t - 15) & 15]);
  return W[t & 15];
}

/* §6.2.2 step 3, one round, with KW = K[t] + W[t]. Instead of moving every
 * variable down one place, it updates only the two that change: d becomes
 * the new e (d + T1) and h the new a (T1 + T2). The caller rotates the names.
 * T1 = h + Σ1(e) + Ch(e,f,g) + KW is split as base + s1 so that the slow
 * part, Σ1(e), is added last on both paths (new e and new a): the sums are
 * the standard's, only their order changes (addition mod 2^32 is associative). */
static inline void round_t(uint32_t a, uint32_t b, uint32_t c, uint32_t *d, uint32_t e, uint32_t f,
                           uint32_t g, uint32_t *h, uint32_t KW)
{
  uint32_t base = *h + KW + Ch(e, f, g);
  uint32_t s1 = Sigma1(e);
  uint32_t T2 = Sigma0(a) + Maj(a, b, c);
  *d = (*d + base) + s1; /* new e = d + T1 */
  *h = (base + s1) + T2; /* new a = T1 + T2 */
}

void kli_sha256_compress_fast(uint32_t H[8], const uint8_t *blocks, size_t nblocks)
{
  uint32_t W[16];
  for (size_t n = 0; n < nblocks; n++) {
    const uint8_t *M = blocks + 64 * n;
    for (int t = 0; t < 16; t++)
      W[t] = kli_load_be32(M + 4 * t);

    uint32_t a = H[0], b = H[1], c = H[2], d = H[3];
    uint32_t e = H[4], f = H[5], g = H[6], h = H[7];

    /* Step 3, rounds t = 0..63. Read each line as: after this round, the
     * variable passed as &d holds the new e and the one passed as &h the new a;
     * the names rotate one place per line and come back in line every 8. */
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[0] + W[0]);
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[1] + W[1]);
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[2] + W[2]);
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[3] + W[3]);
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[4] + W[4]);
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[5] + W[5]);
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[6] + W[6]);
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[7] + W[7]);
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[8] + W[8]);
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[9] + W[9]);
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[10] + W[10]);
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[11] + W[11]);
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[12] + W[12]);
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[13] + W[13]);
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[14] + W[14]);
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[15] + W[15]);
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[16] + expand(W, 16));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[17] + expand(W, 17));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[18] + expand(W, 18));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[19] + expand(W, 19));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[20] + expand(W, 20));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[21] + expand(W, 21));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[22] + expand(W, 22));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[23] + expand(W, 23));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[24] + expand(W, 24));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[25] + expand(W, 25));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[26] + expand(W, 26));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[27] + expand(W, 27));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[28] + expand(W, 28));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[29] + expand(W, 29));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[30] + expand(W, 30));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[31] + expand(W, 31));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[32] + expand(W, 32));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[33] + expand(W, 33));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[34] + expand(W, 34));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[35] + expand(W, 35));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[36] + expand(W, 36));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[37] + expand(W, 37));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[38] + expand(W, 38));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[39] + expand(W, 39));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[40] + expand(W, 40));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[41] + expand(W, 41));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[42] + expand(W, 42));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[43] + expand(W, 43));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[44] + expand(W, 44));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[45] + expand(W, 45));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[46] + expand(W, 46));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[47] + expand(W, 47));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[48] + expand(W, 48));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[49] + expand(W, 49));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[50] + expand(W, 50));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[51] + expand(W, 51));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[52] + expand(W, 52));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[53] + expand(W, 53));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[54] + expand(W, 54));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[55] + expand(W, 55));
    round_t(a, b, c, &d, e, f, g, &h, kli_sha256_K[56] + expand(W, 56));
    round_t(h, a, b, &c, d, e, f, &g, kli_sha256_K[57] + expand(W, 57));
    round_t(g, h, a, &b, c, d, e, &f, kli_sha256_K[58] + expand(W, 58));
    round_t(f, g, h, &a, b, c, d, &e, kli_sha256_K[59] + expand(W, 59));
    round_t(e, f, g, &h, a, b, c, &d, kli_sha256_K[60] + expand(W, 60));
    round_t(d, e, f, &g, h, a, b, &c, kli_sha256_K[61] + expand(W, 61));
    round_t(c, d, e, &f, g, h, a, &b, kli_sha256_K[62] + expand(W, 62));
    round_t(b, c, d, &e, f, g, h, &a, kli_sha256_K[63] + expand(W, 63));

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
