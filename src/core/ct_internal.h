/* ct_internal.h: constant-time word helpers for the library's own use.
 * Convention (as in BearSSL's inner.h): a "ctl" is a uint32_t that is 0 or 1,
 * never any other value; a "mask" is 0 or 0xFFFFFFFF. None of these branch;
 * they are static inline so the loops that call them stay fast, and simple
 * enough that a student can check each line by hand. */
#ifndef KL_CORE_CT_INTERNAL_H
#define KL_CORE_CT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* 1 - ctl. */
static inline uint32_t kli_ct_not(uint32_t ctl)
{
  return ctl ^ 1u;
}

/* 0 -> 0x00000000, 1 -> 0xFFFFFFFF. */
static inline uint32_t kli_ct_mask(uint32_t ctl)
{
  return (uint32_t)0 - ctl;
}

/* ctl ? a : b. */
static inline uint32_t kli_ct_mux(uint32_t ctl, uint32_t a, uint32_t b)
{
  return b ^ (kli_ct_mask(ctl) & (a ^ b));
}

/* 1 if x != 0. Why it works: for x != 0, either x or -x has its top bit set. */
static inline uint32_t kli_ct_nonzero(uint32_t x)
{
  return (x | ((uint32_t)0 - x)) >> 31;
}

/* 1 if x == y. */
static inline uint32_t kli_ct_eq(uint32_t x, uint32_t y)
{
  return kli_ct_not(kli_ct_nonzero(x ^ y));
}

/* 1 if x < y, for any 32-bit x, y.
 * Why it works: z = x - y has its top bit set exactly when x < y, as long as
 * x and y have the same top bit (no wrap past 2^31). When their top bits
 * differ, x < y exactly when y's top bit is set. The expression picks the
 * first case through z ^ ... and corrects the second through (x ^ y) & (y ^ z).
 * Example: x = 1, y = 0x80000000: z = 0x80000001, x ^ y = 0x80000001,
 * y ^ z = 1, so (x ^ y) & (y ^ z) = 1 and z ^ 1 = 0x80000000: top bit 1, x < y. */
static inline uint32_t kli_ct_lt(uint32_t x, uint32_t y)
{
  uint32_t z = x - y;
  return (z ^ ((x ^ y) & (y ^ z))) >> 31;
}

/* 1 if x >= y. */
static inline uint32_t kli_ct_ge(uint32_t x, uint32_t y)
{
  return kli_ct_not(kli_ct_lt(x, y));
}

#endif
