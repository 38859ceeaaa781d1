/* aes_internal.h: cross-file functions of the AES layer (kli_ prefix).
 * aes.c dispatches the public kl_aes_* calls to one of the block functions
 * below with a plain switch on key->impl. The two-block decryption exists for
 * CBC decryption (src/modes/cbc.c), whose blocks are independent: the table
 * path interleaves them so the CPU overlaps their table lookups. */
#ifndef KL_AES_INTERNAL_H
#define KL_AES_INTERNAL_H

#include <stdint.h>

#include "kexlab/aes.h"

/* key_expansion.c: §5.2 KeyExpansion into key->w, §5.3.5 schedule into key->dw. */
void kli_aes_key_expansion(kl_aes_key *key, const uint8_t *k, unsigned Nk, const kl_tracer *tr);

/* aes_ref.c: FIPS 197 §5.1 Cipher and §5.3 InvCipher, as written. */
void kli_aes_ref_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_ref_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);

/* aes_ttable.c: four T-tables per direction; decryption is the §5.3.5
 * Equivalent Inverse Cipher over key->dw. */
void kli_aes_tt_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_tt_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
/* Two independent blocks at once: out[0..32) = InvCipher(in[0..16)) || InvCipher(in[16..32)). */
void kli_aes_tt_decrypt_2blocks(const kl_aes_key *key, uint8_t out[32], const uint8_t in[32]);

/* aes_ttable1.c: one T-table per direction plus rotations (measured variant). */
void kli_aes_tt1_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);
void kli_aes_tt1_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16]);

/* aes.c: two independent blocks through the key's implementation (CBC decryption). */
void kli_aes_decrypt_2blocks(const kl_aes_key *key, uint8_t out[32], const uint8_t in[32]);

#endif
