/* cbc.c: the Cipher Block Chaining mode, NIST SP 800-38A §6.2, over AES
 * (kexlab/aes.h), and "seal"/"open" in the original scheme's format
 *     IV (16 random bytes) || CBC-Encrypt(key, IV, PKCS7(plaintext))
 * §6.2:  C_1 = CIPH_K(P_1 ^ IV),  C_j = CIPH_K(P_j ^ C_(j-1))      (encryption)
 *        P_1 = CIPH^-1_K(C_1) ^ IV,  P_j = CIPH^-1_K(C_j) ^ C_(j-1) (decryption)
 * The block cipher is used through its public calls only, whatever the
 * implementation behind the key. Encryption is a chain (each block needs the
 * previous ciphertext block), so it goes one block at a time. Decryption is
 * not: each P_j needs only C_j and C_(j-1), so whole runs of ciphertext blocks
 * go to kl_aes_decrypt_blocks at once, which the T-table path decrypts two
 * blocks at a time (docs/aes.md).
 * In place (out == in) is allowed: decryption copies each run of ciphertext
 * blocks (and C_(j-1) before it) before out is written.
 * Timing: the padding check is constant-time (pkcs7.c); AES itself is not.
 * Secrets: local blocks are wiped; open wipes its output on failure.
 * Symbols: IV, P_j, C_j, CIPH_K.
 * Trace (the _traced calls): SP 800-38A Appendix F.2's lines, index = block
 * number j from 1: "IV" (no index), then per block "Plaintext", "Input Block",
 * "Output Block", "Ciphertext" (encryption) or "Ciphertext", "Input Block",
 * "Output Block", "Plaintext" (decryption). A traced decryption goes one
 * block at a time, so that the lines come in the document's order. */
#include <limits.h>
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "kexlab/ct.h"

#define B KL_AES_BLOCK_BYTES
/* Ciphertext blocks per call of kl_aes_decrypt_blocks: enough that the call
 * costs nothing beside the blocks, few enough for a small local copy. */
#define RUN_BLOCKS 16

/* out = a ^ b, in 32-bit words: the size in which the T-table path stores
 * its output. A 16-byte load of a block just stored as four words (C_(j-1)
 * when encrypting, CIPH^-1_K(C_j) when decrypting) cannot be forwarded from
 * the store buffer and waits for the stores to reach the cache; four 4-byte
 * loads can. (The byte swaps of the big-endian helpers cancel out: GCC
 * emits plain 4-byte loads, XORs and stores.) */
static void xor_block(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
  for (unsigned i = 0; i < B; i += 4)
    kli_store_be32(out + i, kli_load_be32(a + i) ^ kli_load_be32(b + i));
}

static kl_err check_args(const kl_aes_key *key, const uint8_t *iv, const uint8_t *out,
                         const uint8_t *in, size_t len)
{
  if (key == NULL || iv == NULL)
    return KL_ERR_ARG;
  if (len > 0 && (out == NULL || in == NULL))
    return KL_ERR_ARG;
  if (len % B != 0)
    return KL_ERR_LEN;
  return KL_OK;
}

/* Block number j (from 1) of the byte offset off, as a trace index. */
static int block_no(size_t off)
{
  size_t j = off / B + 1;
  return j > (size_t)INT_MAX ? INT_MAX : (int)j;
}

kl_err kl_cbc_encrypt_traced(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES],
                             uint8_t *out, const uint8_t *in, size_t len, const kl_tracer *tr)
{
  kl_err err = check_args(key, iv, out, in, len);
  if (err != KL_OK)
    return err;
  KL_TRACE(tr, "IV", -1, iv, B);
  uint8_t X[B]; /* the Input Block P_j ^ C_(j-1) */
  const uint8_t *prev = iv;
  for (size_t j = 0; j < len; j += B) {
    KL_TRACE(tr, "Plaintext", block_no(j), in + j, B);
    xor_block(X, in + j, prev);
    KL_TRACE(tr, "Input Block", block_no(j), X, B);
    err = kl_aes_encrypt_blocks(key, out + j, X, 1); /* C_j = CIPH_K(P_j ^ C_(j-1)) */
    if (err != KL_OK)
      break;
    KL_TRACE(tr, "Output Block", block_no(j), out + j, B);
    KL_TRACE(tr, "Ciphertext", block_no(j), out + j, B); /* the Output Block itself */
    prev = out + j;
  }
  kl_wipe(X, sizeof X);
  return err;
}

kl_err kl_cbc_encrypt(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES], uint8_t *out,
                      const uint8_t *in, size_t len)
{
  return kl_cbc_encrypt_traced(key, iv, out, in, len, NULL);
}

/* A traced decryption: block by block, each line when it is computed. */
static kl_err decrypt_traced(const kl_aes_key *key, const uint8_t *iv, uint8_t *out,
                             const uint8_t *in, size_t len, const kl_tracer *tr)
{
  uint8_t prev[B], Cj[B]; /* C_(j-1) and C_j, copied before out (maybe == in) is written */
  kl_err err = KL_OK;
  memcpy(prev, iv, B);
  KL_TRACE(tr, "IV", -1, iv, B);
  for (size_t j = 0; j < len; j += B) {
    memcpy(Cj, in + j, B);
    KL_TRACE(tr, "Ciphertext", block_no(j), Cj, B);
    KL_TRACE(tr, "Input Block", block_no(j), Cj, B);  /* the Input Block is C_j */
    err = kl_aes_decrypt_blocks(key, out + j, Cj, 1); /* CIPH^-1_K(C_j) */
    if (err != KL_OK)
      break;
    KL_TRACE(tr, "Output Block", block_no(j), out + j, B);
    xor_block(out + j, out + j, prev); /* P_j = CIPH^-1_K(C_j) ^ C_(j-1) */
    KL_TRACE(tr, "Plaintext", block_no(j), out + j, B);
    memcpy(prev, Cj, B);
  }
  kl_wipe(prev, sizeof prev);
  kl_wipe(Cj, sizeof Cj);
  return err;
}

kl_err kl_cbc_decrypt_traced(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES],
                             uint8_t *out, const uint8_t *in, size_t len, const kl_tracer *tr)
{
  if (KL_TRACING(tr)) {
    kl_err err = check_args(key, iv, out, in, len);
    return err != KL_OK ? err : decrypt_traced(key, iv, out, in, len, tr);
  }
  return kl_cbc_decrypt(key, iv, out, in, len);
}

kl_err kl_cbc_decrypt(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES], uint8_t *out,
                      const uint8_t *in, size_t len)
{
  kl_err err = check_args(key, iv, out, in, len);
  if (err != KL_OK)
    return err;
  /* C[0..B) = C_(j-1) (IV at first), then the run's own C_j, C_(j+1), ...:
   * copied before out (maybe == in) is written. */
  uint8_t C[B + RUN_BLOCKS * B];
  memcpy(C, iv, B);
  for (size_t j = 0; j < len; j += RUN_BLOCKS * B) {
    size_t n = len - j < RUN_BLOCKS * B ? len - j : RUN_BLOCKS * B;
    memcpy(C + B, in + j, n);
    err = kl_aes_decrypt_blocks(key, out + j, C + B, n / B); /* CIPH^-1_K(C_j) */
    if (err != KL_OK)
      break;
    for (size_t i = 0; i < n; i += B)
      xor_block(out + j + i, out + j + i, C + i); /* P_j = CIPH^-1_K(C_j) ^ C_(j-1) */
    memcpy(C, C + n, B);                          /* the run's last C_j: the next run's C_(j-1) */
  }
  kl_wipe(C, sizeof C);
  return err;
}

size_t kl_cbc_sealed_len(size_t pt_len)
{
  return B + kl_pkcs7_padded_len(pt_len);
}

kl_err kl_cbc_seal(const kl_aes_key *key, const kl_rng *rng, uint8_t *out, size_t *out_len,
                   const uint8_t *pt, size_t pt_len)
{
  if (key == NULL || rng == NULL || out == NULL || out_len == NULL || (pt == NULL && pt_len > 0))
    return KL_ERR_ARG;
  if (pt_len > SIZE_MAX - 2 * B)
    return KL_ERR_ARG;
  size_t need = kl_cbc_sealed_len(pt_len);
  if (*out_len < need) {
    *out_len = need;
    return KL_ERR_BUF_TOO_SMALL;
  }
  /* IV || PKCS7(pt), then CBC in place over everything after the IV. */
  kl_err err = kl_rng_fill(rng, out, B);
  if (err != KL_OK)
    goto out;
  size_t body = need - B;
  err = kl_pkcs7_pad(out + B, &body, pt, pt_len);
  if (err != KL_OK)
    goto out;
  err = kl_cbc_encrypt(key, out, out + B, out + B, body);
out:
  if (err != KL_OK) {
    kl_wipe(out, need);
    return err;
  }
  *out_len = need;
  return KL_OK;
}

kl_err kl_cbc_open(const kl_aes_key *key, uint8_t *out, size_t *out_len, const uint8_t *in,
                   size_t in_len)
{
  if (key == NULL || out_len == NULL || (in == NULL && in_len > 0))
    return KL_ERR_ARG;
  /* IV plus at least one block, whole blocks only; the length is public. */
  if (in_len < 2 * B || in_len % B != 0)
    return KL_ERR_DECRYPT;
  size_t body = in_len - B;
  if (out == NULL)
    return KL_ERR_ARG;
  if (*out_len < body) {
    *out_len = body;
    return KL_ERR_BUF_TOO_SMALL;
  }
  size_t pt_len = 0;
  kl_err err = kl_cbc_decrypt(key, in, out, in + B, body);
  if (err != KL_OK)
    goto out;
  err = kl_pkcs7_unpad_len(out, body, &pt_len);
out:
  if (err != KL_OK) {
    kl_wipe(out, body);
    *out_len = 0;
    return err == KL_ERR_ARG ? err : KL_ERR_DECRYPT;
  }
  /* Wipe the padding bytes too, so only the plaintext is left behind. */
  kl_wipe(out + pt_len, body - pt_len);
  *out_len = pt_len;
  return KL_OK;
}
