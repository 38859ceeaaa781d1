/* gf256.c: GF(2^8) arithmetic (FIPS 197 §4.1, §4.2, §4.2.1) and the S-box
 * derivation (§5.1.1). The S-box is never typed in: tablegen.c calls
 * kli_aes_sbox_derive() for every byte at build time, and tests/test_aes.c
 * compares the result with FIPS 197 Figure 7 (vectors/fips197/sbox.txt).
 * Timing: xtime and the inverse are branch-free; kli_gf_mul branches on b only.
 * Symbols: m(x) = {01}{1b}, c = {63}. See docs/aes.md "Where the S-box comes from". */
#include "gf256.h"

uint8_t kli_gf_mul(uint8_t a, uint8_t b)
{
  /* Invariant: p = a_original • (the bits of b consumed so far), and a holds
   * a_original • x^k after k steps. Example (§4.2.1): {57} • {13} = {fe}. */
  uint8_t p = 0;
  for (unsigned k = 0; k < 8; k++) {
    if (b & 1u)
      p ^= a;
    a = kli_gf_xtime(a);
    b >>= 1;
  }
  return p;
}

uint8_t kli_gf_inv(uint8_t a)
{
  /* Why it works: the non-zero elements form a group of order 255, so
   * a^255 = 1 and a^254 = a^-1; for a = 0 the chain gives 0, which is the
   * value §5.1.1 assigns to {00}.
   * 254 = 0b11111110: a^2, a^4, ..., a^128 multiplied together. */
  uint8_t sq = kli_gf_mul(a, a); /* a^2 */
  uint8_t r = sq;                /* a^2 */
  for (unsigned k = 0; k < 6; k++) {
    sq = kli_gf_mul(sq, sq); /* a^4, a^8, ..., a^128 */
    r = kli_gf_mul(r, sq);
  }
  return r; /* a^(2+4+...+128) = a^254 */
}

static unsigned bit(uint8_t b, unsigned i)
{
  return ((unsigned)b >> (i & 7u)) & 1u;
}

uint8_t kli_aes_affine(uint8_t b)
{
  const uint8_t c = 0x63; /* §5.1.1: c = {01100011} */
  uint8_t out = 0;
  for (unsigned i = 0; i < 8; i++) {
    /* eq. (5.1) */
    unsigned bi = bit(b, i) ^ bit(b, i + 4) ^ bit(b, i + 5) ^ bit(b, i + 6) ^ bit(b, i + 7) ^
                  bit(c, i);
    out |= (uint8_t)(bi << i);
  }
  return out;
}

uint8_t kli_aes_sbox_derive(uint8_t x)
{
  return kli_aes_affine(kli_gf_inv(x));
}
