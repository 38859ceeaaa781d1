/* bytes.h: big-endian loads and stores. The hashes (FIPS 180-4 §3.1: words are
 * big-endian) and AES's T-table path read and write words with these.
 * Written byte by byte: correct on any CPU and alignment, and compilers turn
 * each into one load plus a byte swap. */
#ifndef KL_CORE_BYTES_H
#define KL_CORE_BYTES_H

#include <stdint.h>

static inline uint32_t kli_load_be32(const uint8_t *p)
{
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void kli_store_be32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static inline uint64_t kli_load_be64(const uint8_t *p)
{
  return ((uint64_t)kli_load_be32(p) << 32) | kli_load_be32(p + 4);
}

static inline void kli_store_be64(uint8_t *p, uint64_t v)
{
  kli_store_be32(p, (uint32_t)(v >> 32));
  kli_store_be32(p + 4, (uint32_t)v);
}

static inline uint32_t kli_rotl32(uint32_t x, unsigned n)
{
  return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

static inline uint32_t kli_rotr32(uint32_t x, unsigned n)
{
  return (x >> (n & 31)) | (x << ((32 - n) & 31));
}

/* ROTR^n on 64-bit words (FIPS 180-4 §3.2, used by SHA-384/512). */
static inline uint64_t kli_rotr64(uint64_t x, unsigned n)
{
  return (x >> (n & 63)) | (x << ((64 - n) & 63));
}

#endif
