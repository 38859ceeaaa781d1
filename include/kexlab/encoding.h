/* encoding.h: hex (RFC 4648 §8, "base16") and base64 (RFC 4648 §4) text codecs.
 * Decoders are strict and never read or write past the given lengths:
 *  - hex: even length, digits 0-9 a-f A-F only, no whitespace, no "0x";
 *  - base64: the standard alphabet, '=' padding to a multiple of 4 characters,
 *    no whitespace, no characters after the padding, and the unused bits of the
 *    last group must be zero (so every byte string has exactly one encoding).
 * Callers who read PEM or line-wrapped text strip the line breaks first. */
#ifndef KEXLAB_ENCODING_H
#define KEXLAB_ENCODING_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Text length of the hex encoding of n bytes, without the NUL: 2n. */
size_t kl_hex_encoded_len(size_t n);

/* Lower-case hex of in[0..in_len) into out, NUL-terminated.
 *  out_cap [in]  capacity of out in chars, including the NUL: >= 2*in_len + 1
 * Returns: KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL */
KL_NODISCARD kl_err kl_hex_encode(char *out, size_t out_cap, const uint8_t *in, size_t in_len);

/* Decode hex text in[0..in_len) (not necessarily NUL-terminated).
 *  out, out_len [out]  *out_len: capacity in, bytes written out (in_len / 2)
 * Returns: KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_ENCODING (odd
 * length or a non-hex character) */
KL_NODISCARD kl_err kl_hex_decode(uint8_t *out, size_t *out_len, const char *in, size_t in_len);

/* Text length of the base64 encoding of n bytes, without the NUL: 4*ceil(n/3). */
size_t kl_base64_encoded_len(size_t n);

/* Largest possible decoded length of text_len characters of base64: 3*(text_len/4). */
size_t kl_base64_decoded_max(size_t text_len);

/* Base64 of in[0..in_len) into out, NUL-terminated.
 * Returns: KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL */
KL_NODISCARD kl_err kl_base64_encode(char *out, size_t out_cap, const uint8_t *in, size_t in_len);

/* Decode base64 text in[0..in_len).
 *  out, out_len [out]  *out_len: capacity in, bytes written out
 * Returns: KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_ENCODING (length not a
 * multiple of 4, bad character, misplaced or missing '=', non-zero pad bits) */
KL_NODISCARD kl_err kl_base64_decode(uint8_t *out, size_t *out_len, const char *in, size_t in_len);

#ifdef __cplusplus
}
#endif
#endif
