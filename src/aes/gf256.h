/* gf256.h: arithmetic in GF(2^8) as FIPS 197 §4 defines it, and the S-box
 * derivation of §5.1.1. Shared by the build-time table generator (tablegen.c,
 * which derives the S-boxes and T-tables from these functions), by the key
 * schedule (InvMixColumns of round keys, §5.3.5) and by tests/test_aes.c.
 * No dependency on the rest of kexlab, so tablegen can link it alone.
 * Symbols: m(x) = x^8 + x^4 + x^3 + x + 1 ({01}{1b}), xtime(), b' (affine map). */
#ifndef KL_AES_GF256_H
#define KL_AES_GF256_H

#include <stdint.h>

/* §4.2.1: multiplication by x ({02}) modulo m(x). Branch-free: the reduction
 * {1b} is applied under a mask made from the top bit, not under an if.
 * static inline: the reference path calls it in every MixColumns, and a call
 * per byte doubled its running time (measured with `kexlab bench aes`). */
static inline uint8_t kli_gf_xtime(uint8_t a)
{
  /* Shift left; if b7 was 1, reduce by XOR with {1b}. mask is 0xff when the
   * top bit is set, 0x00 otherwise. */
  uint8_t mask = (uint8_t)(0u - (unsigned)(a >> 7));
  return (uint8_t)((a << 1) ^ (mask & 0x1b));
}

/* §4.2: a • b modulo m(x), by repeated xtime (the method §4.2.1 describes).
 * Timing: the loop branches on the bits of b; callers pass public constants as b. */
uint8_t kli_gf_mul(uint8_t a, uint8_t b);

/* §5.1.1 step 1: the multiplicative inverse a^-1 in GF(2^8); {00} maps to {00}.
 * Computed as a^254 (a^255 = 1 for a != 0), a fixed chain of squarings and
 * multiplications: no table, no search. */
uint8_t kli_gf_inv(uint8_t a);

/* §5.1.1 step 2, eq. (5.1): the affine transformation over GF(2)
 *   b'_i = b_i ^ b_(i+4)mod8 ^ b_(i+5)mod8 ^ b_(i+6)mod8 ^ b_(i+7)mod8 ^ c_i,  c = {63}. */
uint8_t kli_aes_affine(uint8_t b);

/* §5.1.1: S(x) = affine(x^-1). */
uint8_t kli_aes_sbox_derive(uint8_t x);

#endif
