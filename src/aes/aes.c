/* aes.c: the public AES entry points (kexlab/aes.h). Key set-up (FIPS 197
 * §5.2, key_expansion.c) and a plain switch on key->impl that sends each block
 * to the reference path (aes_ref.c), the four-table path (aes_ttable.c, the
 * default) or the one-table variant (aes_ttable1.c). A switch, not a table of
 * function pointers, so that gdb steps straight into the chosen file. The
 * n-block calls loop over the one-block functions, except the four-table
 * path's decryption, which takes the whole run (two blocks at a time).
 * Timing: see the files dispatched to (none is constant-time).
 * Secrets: kl_aes_clear wipes the whole key structure. Symbols: Nk, Nr. */
#include <stdint.h>
#include <string.h>

#include "aes/aes_internal.h"
#include "kexlab/ct.h"

kl_err kl_aes_init_traced(kl_aes_key *key, kl_aes_impl impl, const uint8_t *k, size_t k_len,
                          const kl_tracer *tr)
{
  if (key == NULL)
    return KL_ERR_ARG;
  memset(key, 0, sizeof *key); /* every field set, whatever happens next */
  if (k == NULL)
    return KL_ERR_ARG;
  if (impl != KL_AES_IMPL_TTABLE && impl != KL_AES_IMPL_REF && impl != KL_AES_IMPL_TTABLE1)
    return KL_ERR_ARG;
  /* §5, Figure 4: Nk = 4, 6 or 8 words (128, 192, 256 bits). */
  if (k_len != 16 && k_len != 24 && k_len != 32)
    return KL_ERR_KEY_LEN;
  key->impl = impl;
  key->tracer = tr;
  kli_aes_key_expansion(key, k, (unsigned)(k_len / 4), tr);
  return KL_OK;
}

kl_err kl_aes_init(kl_aes_key *key, kl_aes_impl impl, const uint8_t *k, size_t k_len)
{
  return kl_aes_init_traced(key, impl, k, k_len, NULL);
}

void kl_aes_set_tracer(kl_aes_key *key, const kl_tracer *tr)
{
  if (key != NULL)
    key->tracer = tr;
}

void kl_aes_encrypt_block(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                          const uint8_t in[KL_AES_BLOCK_BYTES])
{
  switch (key->impl) {
  case KL_AES_IMPL_REF:
    kli_aes_ref_encrypt_block(key, out, in);
    break;
  case KL_AES_IMPL_TTABLE1:
    kli_aes_tt1_encrypt_block(key, out, in);
    break;
  case KL_AES_IMPL_TTABLE:
  default:
    kli_aes_tt_encrypt_block(key, out, in);
    break;
  }
}

void kl_aes_decrypt_block(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                          const uint8_t in[KL_AES_BLOCK_BYTES])
{
  switch (key->impl) {
  case KL_AES_IMPL_REF:
    kli_aes_ref_decrypt_block(key, out, in);
    break;
  case KL_AES_IMPL_TTABLE1:
    kli_aes_tt1_decrypt_block(key, out, in);
    break;
  case KL_AES_IMPL_TTABLE:
  default:
    kli_aes_tt_decrypt_block(key, out, in);
    break;
  }
}

void kl_aes_decrypt_block_equivalent(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                                     const uint8_t in[KL_AES_BLOCK_BYTES])
{
  kli_aes_ref_decrypt_block_eqv(key, out, in);
}

/* The n-block calls check what the one-block calls leave to the caller: a
 * NULL key or buffer, and a byte count that does not fit in a size_t. */
static kl_err check_blocks(const kl_aes_key *key, const uint8_t *out, const uint8_t *in,
                           size_t nblocks)
{
  if (key == NULL)
    return KL_ERR_ARG;
  if (nblocks > 0 && (out == NULL || in == NULL))
    return KL_ERR_ARG;
  if (nblocks > SIZE_MAX / KL_AES_BLOCK_BYTES)
    return KL_ERR_ARG;
  return KL_OK;
}

kl_err kl_aes_encrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in, size_t nblocks)
{
  kl_err err = check_blocks(key, out, in, nblocks);
  if (err != KL_OK)
    return err;
  switch (key->impl) {
  case KL_AES_IMPL_REF:
    for (size_t j = 0; j < nblocks; j++)
      kli_aes_ref_encrypt_block(key, out + KL_AES_BLOCK_BYTES * j, in + KL_AES_BLOCK_BYTES * j);
    break;
  case KL_AES_IMPL_TTABLE1:
    for (size_t j = 0; j < nblocks; j++)
      kli_aes_tt1_encrypt_block(key, out + KL_AES_BLOCK_BYTES * j, in + KL_AES_BLOCK_BYTES * j);
    break;
  case KL_AES_IMPL_TTABLE:
  default:
    for (size_t j = 0; j < nblocks; j++)
      kli_aes_tt_encrypt_block(key, out + KL_AES_BLOCK_BYTES * j, in + KL_AES_BLOCK_BYTES * j);
    break;
  }
  return KL_OK;
}

kl_err kl_aes_decrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in, size_t nblocks)
{
  kl_err err = check_blocks(key, out, in, nblocks);
  if (err != KL_OK)
    return err;
  switch (key->impl) {
  case KL_AES_IMPL_REF:
    for (size_t j = 0; j < nblocks; j++)
      kli_aes_ref_decrypt_block(key, out + KL_AES_BLOCK_BYTES * j, in + KL_AES_BLOCK_BYTES * j);
    break;
  case KL_AES_IMPL_TTABLE1:
    for (size_t j = 0; j < nblocks; j++)
      kli_aes_tt1_decrypt_block(key, out + KL_AES_BLOCK_BYTES * j, in + KL_AES_BLOCK_BYTES * j);
    break;
  case KL_AES_IMPL_TTABLE:
  default:
    /* Two blocks at a time, rounds interleaved (aes_ttable.c). */
    kli_aes_tt_decrypt_blocks(key, out, in, nblocks);
    break;
  }
  return KL_OK;
}

void kl_aes_clear(kl_aes_key *key)
{
  if (key != NULL)
    kl_wipe(key, sizeof *key);
}
