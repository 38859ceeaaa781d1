/* aes_ttable.c: AES with 32-bit T-tables (fast path, the default).
 * FIPS 197 §5.1 Cipher and §5.3.5 Equivalent Inverse Cipher (Figure 15), one
 * block at a time, and n independent blocks of InvCipher two at a time
 * (kl_aes_decrypt_blocks, which CBC decryption in src/modes/cbc.c uses).
 * One round of §5.1 on column c, with ShiftRows folded into which column each
 * row's byte comes from and SubBytes+MixColumns folded into four tables
 * (generated at build time by tablegen.c, see aes_tables.h):
 *   t_c = Te0[s_c row 0] ^ Te1[s_(c+1) row 1] ^ Te2[s_(c+2) row 2] ^ Te3[s_(c+3) row 3] ^ w[4r+c]
 * Decryption uses the Equivalent Inverse Cipher so that it has the same shape:
 *   t_c = Td0[s_c row 0] ^ Td1[s_(c-1) row 1] ^ Td2[s_(c-2) row 2] ^ Td3[s_(c-3) row 3] ^ dw[4r+c]
 * which is why it runs on key->dw, not key->w: §5.3.5 moves AddRoundKey after
 * InvMixColumns, so rounds 1..Nr-1 need InvMixColumns(w) (key_expansion.c).
 * Must agree with aes_ref.c on every vector (tests/test_aes.c, ref_vs_table).
 * Timing: NOT constant-time: every table index is a secret byte, and the cache
 * lines it touches leak through timing (Bernstein 2005; docs/aes.md).
 * Secrets: s0..s3, t0..t3 (a0..a3, b0..b3 for two blocks) live in registers.
 * Symbols: Nr, w[], dw[], s0..s3 (columns of the State as big-endian words).
 * Trace: the block functions trace "input" and "output" only (fast paths do
 * not trace rounds); a traced key's n blocks go one by one through them.
 * The State is kept in named scalars, not in arrays: GCC's -O3 basic-block
 * vectorizer turned arrays' four word stores into a 16-byte store assembled
 * through the stack, which cost more than it saved (docs/aes.md). */
#include "aes/aes_internal.h"
#include "aes/aes_tables.h"
#include "core/bytes.h"
#include "core/trace_internal.h"

/* One output column of an encryption round (SubBytes, ShiftRows, MixColumns,
 * AddRoundKey). a..d are the columns rows 0..3 come from. */
static inline uint32_t te_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return kli_aes_Te[0][a >> 24] ^ kli_aes_Te[1][(b >> 16) & 0xff] ^ kli_aes_Te[2][(c >> 8) & 0xff] ^
         kli_aes_Te[3][d & 0xff] ^ k;
}

/* The final round (no MixColumns): the S-box bytes only. */
static inline uint32_t last_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return (((uint32_t)kli_aes_sbox[a >> 24] << 24) |
          ((uint32_t)kli_aes_sbox[(b >> 16) & 0xff] << 16) |
          ((uint32_t)kli_aes_sbox[(c >> 8) & 0xff] << 8) | kli_aes_sbox[d & 0xff]) ^
         k;
}

/* One output column of an Equivalent Inverse Cipher round (InvSubBytes,
 * InvShiftRows, InvMixColumns, AddRoundKey with dw). */
static inline uint32_t td_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return kli_aes_Td[0][a >> 24] ^ kli_aes_Td[1][(b >> 16) & 0xff] ^ kli_aes_Td[2][(c >> 8) & 0xff] ^
         kli_aes_Td[3][d & 0xff] ^ k;
}

static inline uint32_t inv_last_column(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t k)
{
  return (((uint32_t)kli_aes_inv_sbox[a >> 24] << 24) |
          ((uint32_t)kli_aes_inv_sbox[(b >> 16) & 0xff] << 16) |
          ((uint32_t)kli_aes_inv_sbox[(c >> 8) & 0xff] << 8) | kli_aes_inv_sbox[d & 0xff]) ^
         k;
}

void kli_aes_tt_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const uint32_t *rk = key->w;
  const unsigned Nr = key->Nr;
  if (KL_TRACING(key->tracer))
    KL_TRACE(key->tracer, "input", 0, in, 16);

  /* Round 0: AddRoundKey(state, w[0..3]). */
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
  if (KL_TRACING(key->tracer))
    KL_TRACE(key->tracer, "output", (int)Nr, out, 16);
}

void kli_aes_tt_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const unsigned Nr = key->Nr;
  const uint32_t *rk = key->dw + 4 * Nr;
  if (KL_TRACING(key->tracer))
    KL_TRACE(key->tracer, "input", 0, in, 16);

  /* Figure 15: AddRoundKey(state, dw[Nr*Nb, (Nr+1)*Nb-1]). */
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
  if (KL_TRACING(key->tracer))
    KL_TRACE(key->tracer, "output", (int)Nr, out, 16);
}

/* Two independent blocks, interleaved: the blocks of kl_aes_decrypt_blocks
 * (CBC decryption's, for one) do not depend on each other, so the CPU can
 * overlap block A's table loads with block B's (a single block is a chain of
 * dependent loads and leaves the load ports idle half of the time). Three, four and eight blocks were measured too and were
 * no faster (two already hide the chain; more only spill registers): docs/aes.md,
 * "CBC decryption: why 1.25x was not reached". */
static void decrypt_2blocks(const kl_aes_key *key, uint8_t out[32], const uint8_t in[32])
{
  const unsigned Nr = key->Nr;
  const uint32_t *rk = key->dw + 4 * Nr;

  uint32_t a0 = kli_load_be32(in) ^ rk[0];
  uint32_t a1 = kli_load_be32(in + 4) ^ rk[1];
  uint32_t a2 = kli_load_be32(in + 8) ^ rk[2];
  uint32_t a3 = kli_load_be32(in + 12) ^ rk[3];
  uint32_t b0 = kli_load_be32(in + 16) ^ rk[0];
  uint32_t b1 = kli_load_be32(in + 20) ^ rk[1];
  uint32_t b2 = kli_load_be32(in + 24) ^ rk[2];
  uint32_t b3 = kli_load_be32(in + 28) ^ rk[3];
  for (unsigned round = Nr - 1; round >= 1; round--) {
    rk -= 4;
    uint32_t t0 = td_column(a0, a3, a2, a1, rk[0]);
    uint32_t t1 = td_column(a1, a0, a3, a2, rk[1]);
    uint32_t t2 = td_column(a2, a1, a0, a3, rk[2]);
    uint32_t t3 = td_column(a3, a2, a1, a0, rk[3]);
    uint32_t u0 = td_column(b0, b3, b2, b1, rk[0]);
    uint32_t u1 = td_column(b1, b0, b3, b2, rk[1]);
    uint32_t u2 = td_column(b2, b1, b0, b3, rk[2]);
    uint32_t u3 = td_column(b3, b2, b1, b0, rk[3]);
    a0 = t0;
    a1 = t1;
    a2 = t2;
    a3 = t3;
    b0 = u0;
    b1 = u1;
    b2 = u2;
    b3 = u3;
  }
  rk -= 4;
  kli_store_be32(out, inv_last_column(a0, a3, a2, a1, rk[0]));
  kli_store_be32(out + 4, inv_last_column(a1, a0, a3, a2, rk[1]));
  kli_store_be32(out + 8, inv_last_column(a2, a1, a0, a3, rk[2]));
  kli_store_be32(out + 12, inv_last_column(a3, a2, a1, a0, rk[3]));
  kli_store_be32(out + 16, inv_last_column(b0, b3, b2, b1, rk[0]));
  kli_store_be32(out + 20, inv_last_column(b1, b0, b3, b2, rk[1]));
  kli_store_be32(out + 24, inv_last_column(b2, b1, b0, b3, rk[2]));
  kli_store_be32(out + 28, inv_last_column(b3, b2, b1, b0, rk[3]));
}

/* nblocks independent blocks (kl_aes_decrypt_blocks): two at a time through
 * decrypt_2blocks, an odd last block alone. A traced key goes block by block
 * through kli_aes_tt_decrypt_block, so that the tracer sees each block's
 * "input" and "output" in turn, as from nblocks one-block calls.
 * out == in works: each call reads its blocks before writing them. */
void kli_aes_tt_decrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in,
                               size_t nblocks)
{
  size_t j = 0;
  if (!KL_TRACING(key->tracer)) {
    for (; j + 2 <= nblocks; j += 2)
      decrypt_2blocks(key, out + 16 * j, in + 16 * j);
  }
  for (; j < nblocks; j++)
    kli_aes_tt_decrypt_block(key, out + 16 * j, in + 16 * j);
}
