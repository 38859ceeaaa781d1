/* aes_ttable1.c: AES with ONE T-table per direction plus rotations (measured
 * variant, KL_AES_IMPL_TTABLE1). FIPS 197 §5.1 and §5.3.5, exactly as
 * aes_ttable.c, but Te1..Te3 are replaced by rotations of Te0 (Te_j[x] =
 * ROTR(Te0[x], 8j)): 1 KiB of tables per direction instead of 4 KiB, for three
 * extra rotate instructions per column. `kexlab bench aes` measures both;
 * docs/aes.md reports which is faster on our machine and why the default is
 * the four-table file.
 * Timing: NOT constant-time (secret table indices). Symbols: as aes_ttable.c. */
#include "aes/aes_internal.h"
#include "aes/aes_tables.h"
#include "core/bytes.h"
#include "core/trace_internal.h"

static inline uint32_t te_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  const uint32_t *Te0 = kli_aes_Te[0];
  return Te0[a >> 24] ^ kli_rotr32(Te0[(b >> 16) & 0xff], 8) ^
         kli_rotr32(Te0[(c >> 8) & 0xff], 16) ^ kli_rotr32(Te0[d & 0xff], 24) ^ k;
}

static inline uint32_t last_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return (((uint32_t)kli_aes_sbox[a >> 24] << 24) |
          ((uint32_t)kli_aes_sbox[(b >> 16) & 0xff] << 16) |
          ((uint32_t)kli_aes_sbox[(c >> 8) & 0xff] << 8) | kli_aes_sbox[d & 0xff]) ^
         k;
}

static inline uint32_t td_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  const uint32_t *Td0 = kli_aes_Td[0];
  return Td0[a >> 24] ^ kli_rotr32(Td0[(b >> 16) & 0xff], 8) ^
         kli_rotr32(Td0[(c >> 8) & 0xff], 16) ^ kli_rotr32(Td0[d & 0xff], 24) ^ k;
}

static inline uint32_t inv_last_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return (((uint32_t)kli_aes_inv_sbox[a >> 24] << 24) |
          ((uint32_t)kli_aes_inv_sbox[(b >> 16) & 0xff] << 16) |
          ((uint32_t)kli_aes_inv_sbox[(c >> 8) & 0xff] << 8) | kli_aes_inv_sbox[d & 0xff]) ^
         k;
}

void kli_aes_tt1_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const uint32_t *rk = key->w;
  const unsigned Nr = key->Nr;
  KL_TRACE(key->tracer, "input", 0, in, 16);
  uint32_t s0 = kli_load_be32(in) ^ rk[0];
  uint32_t s1 = kli_load_be32(in + 4) ^ rk[1];
  uint32_t s2 = kli_load_be32(in + 8) ^ rk[2];
  uint32_t s3 = kli_load_be32(in + 12) ^ rk[3];
  for (unsigned round = 1; round < Nr; round++) {
    rk += 4;
    uint32_t t0 = te_column(s0, s1, s2, s3, rk[0]);
    uint32_t t1 = te_column(s1, s2, s3, s0, rk[1]);
    uint32_t t2 = te_column(s2, s3, s0, s1, rk[2]);
    uint32_t t3 = te_column(s3, s0, s1, s2, rk[3]);
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  rk += 4;
  kli_store_be32(out, last_column(s0, s1, s2, s3, rk[0]));
  kli_store_be32(out + 4, last_column(s1, s2, s3, s0, rk[1]));
  kli_store_be32(out + 8, last_column(s2, s3, s0, s1, rk[2]));
  kli_store_be32(out + 12, last_column(s3, s0, s1, s2, rk[3]));
  KL_TRACE(key->tracer, "output", (int)Nr, out, 16);
}

void kli_aes_tt1_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const unsigned Nr = key->Nr;
  const uint32_t *rk = key->dw + 4 * Nr;
  KL_TRACE(key->tracer, "input", 0, in, 16);
  uint32_t s0 = kli_load_be32(in) ^ rk[0];
  uint32_t s1 = kli_load_be32(in + 4) ^ rk[1];
  uint32_t s2 = kli_load_be32(in + 8) ^ rk[2];
  uint32_t s3 = kli_load_be32(in + 12) ^ rk[3];
  for (unsigned round = Nr - 1; round >= 1; round--) {
    rk -= 4;
    uint32_t t0 = td_column(s0, s3, s2, s1, rk[0]);
    uint32_t t1 = td_column(s1, s0, s3, s2, rk[1]);
    uint32_t t2 = td_column(s2, s1, s0, s3, rk[2]);
    uint32_t t3 = td_column(s3, s2, s1, s0, rk[3]);
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  rk -= 4;
  kli_store_be32(out, inv_last_column(s0, s3, s2, s1, rk[0]));
  kli_store_be32(out + 4, inv_last_column(s1, s0, s3, s2, rk[1]));
  kli_store_be32(out + 8, inv_last_column(s2, s1, s0, s3, rk[2]));
  kli_store_be32(out + 12, inv_last_column(s3, s2, s1, s0, rk[3]));
  KL_TRACE(key->tracer, "output", (int)Nr, out, 16);
}
