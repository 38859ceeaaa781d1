/* cbc.h: CBC mode (NIST SP 800-38A §6.2) over AES, PKCS#7 padding
 * (RFC 5652 §6.3), and "seal"/"open" in the original scheme's message format:
 *     IV (16 random bytes) || AES-CBC(key, IV, PKCS7(plaintext))
 * All decryption failures (length, padding) are KL_ERR_DECRYPT. */
#ifndef KEXLAB_CBC_H
#define KEXLAB_CBC_H

#include <stddef.h>
#include <stdint.h>
#include "aes.h"
#include "err.h"
#include "rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* CBC over whole blocks; len a multiple of 16 (0 allowed). out may equal in.
 * iv is not modified. Returns KL_OK, KL_ERR_ARG, KL_ERR_LEN.
 * Secrets: local blocks are wiped. Timing: NOT constant-time (the AES block
 * function, aes.h); the lengths are revealed. */
KL_NODISCARD kl_err kl_cbc_encrypt(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES],
                                   uint8_t *out, const uint8_t *in, size_t len);
KL_NODISCARD kl_err kl_cbc_decrypt(const kl_aes_key *key, const uint8_t iv[KL_AES_BLOCK_BYTES],
                                   uint8_t *out, const uint8_t *in, size_t len);

/* As kl_cbc_encrypt/kl_cbc_decrypt, tracing every block as NIST SP 800-38A
 * Appendix F.2 lays it out (tr may be NULL: then exactly the calls above).
 * Labels, index = block number j from 1: "IV" (no index), then "Plaintext",
 * "Input Block", "Output Block", "Ciphertext" per block (encryption), or
 * "Ciphertext", "Input Block", "Output Block", "Plaintext" (decryption); all
 * bytes. A traced decryption goes one block at a time.
 * Returns, Secrets, Timing: as kl_cbc_encrypt/kl_cbc_decrypt; the trace shows
 * the plaintext. */
KL_NODISCARD kl_err kl_cbc_encrypt_traced(const kl_aes_key *key,
                                          const uint8_t iv[KL_AES_BLOCK_BYTES], uint8_t *out,
                                          const uint8_t *in, size_t len, const kl_tracer *tr);
KL_NODISCARD kl_err kl_cbc_decrypt_traced(const kl_aes_key *key,
                                          const uint8_t iv[KL_AES_BLOCK_BYTES], uint8_t *out,
                                          const uint8_t *in, size_t len, const kl_tracer *tr);

/* PKCS#7 padding, RFC 5652 §6.3, for 16-byte blocks: 1..16 bytes, each equal
 * to the count, are appended (a whole block of 0x10 when len is a multiple of 16). */
/* Padded length: len + 16 - len % 16. */
size_t kl_pkcs7_padded_len(size_t len);
/* out[0..padded) = in || padding; out may equal in (then its capacity must
 * cover the padding). *out_len: capacity in, bytes written out.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_pkcs7_pad(uint8_t *out, size_t *out_len, const uint8_t *in, size_t in_len);
/* Check the padding of buf[0..len) (len a positive multiple of 16) and give
 * the unpadded length in *pt_len.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_DECRYPT (every bad padding, and a len that
 * is 0 or not a multiple of 16: one error for all).
 * Timing: reads the last 16 bytes whatever the padding says; no branch on
 * their values before the single final verdict. */
KL_NODISCARD kl_err kl_pkcs7_unpad_len(const uint8_t *buf, size_t len, size_t *pt_len);

/* Bytes of IV || CBC(PKCS7(pt)) for a pt_len-byte plaintext: 16 + 16*(pt_len/16 + 1). */
size_t kl_cbc_sealed_len(size_t pt_len);

/* Seal: draw a fresh IV from rng, pad, encrypt, write IV || ciphertext.
 *  out, out_len [out]  *out_len: capacity in, bytes written out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG.
 * Secrets: out is wiped on failure. Timing: as kl_cbc_encrypt. */
KL_NODISCARD kl_err kl_cbc_seal(const kl_aes_key *key, const kl_rng *rng, uint8_t *out,
                                size_t *out_len, const uint8_t *pt, size_t pt_len);
/* Open: read the IV from the front, decrypt, check and strip the padding.
 *  out, out_len [out]  *out_len: capacity in (>= in_len - 16 suffices), bytes out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_DECRYPT (length not
 * IV plus a positive multiple of 16, or bad padding: one error for all).
 * Secrets: out is wiped on failure, so no plaintext leaves a failed open.
 * Timing: the padding check has no secret-dependent branch; the AES block
 * function is not constant-time (aes.h). */
KL_NODISCARD kl_err kl_cbc_open(const kl_aes_key *key, uint8_t *out, size_t *out_len,
                                const uint8_t *in, size_t in_len);

#ifdef __cplusplus
}
#endif
#endif
