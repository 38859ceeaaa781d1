/* aes_internal.h: cross-file functions of the AES layer (kli_ prefix).
 * aes.c dispatches the public kl_aes_* calls to the functions below with a
 * plain switch on key->impl. Nothing outside src/aes includes this file. */
#ifndef KL_AES_INTERNAL_H
#define KL_AES_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/aes.h"

/* key_expansion.c: §5.2 KeyExpansion into key->w, §5.3.5 schedule into key->dw. */
void kli_aes_key_expansion(kl_aes_key *key, const uint8_t *k, unsigned Nk, const kl_tracer *tr);

/* aes_ref.c: FIPS 197 §5.1 Cipher and §5.3 InvCipher, as written. */
void kli_aes_ref_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_ref_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
/* §5.3.5 Equivalent Inverse Cipher (Figure 15) over key->dw, as written. */
void kli_aes_ref_decrypt_block_eqv(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);

/* aes_ttable.c: four T-tables per direction; decryption is the §5.3.5
 * Equivalent Inverse Cipher over key->dw. */
void kli_aes_tt_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_tt_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
/* n independent blocks of InvCipher, two at a time (interleaved); a traced
 * key goes block by block. out == in allowed, partial overlap not. */
void kli_aes_tt_decrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in,
                               size_t nblocks);

/* aes_ttable1.c: one T-table per direction plus rotations (measured variant). */
void kli_aes_tt1_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_tt1_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);

#endif
