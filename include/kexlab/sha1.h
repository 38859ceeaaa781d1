/* sha1.h: SHA-1, FIPS 180-4 §6.1 (160-bit digest, 512-bit blocks).
 * SHA-1 is broken for collision resistance; kexlab keeps it only where a
 * standard or an interoperating peer requires it: OAEP and MGF1 in the seed
 * profile (.NET's RSACryptoServiceProvider), HMAC-SHA1, and the vectors.
 * Life cycle: init, update any number of times, final (which wipes the
 * context), or the one-shot kl_sha1(). NULL data is allowed when len == 0.
 * Timing: constant-time in the data (only lengths are revealed; the traced
 * path prints every value, so never trace a secret). Secrets: final wipes the
 * context and the compression function wipes its schedule W; a context that
 * will not be finalised is wiped with kl_wipe (or kl_hash_clear via hash.h). */
#ifndef KEXLAB_SHA1_H
#define KEXLAB_SHA1_H

#include <stddef.h>
#include <stdint.h>
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_SHA1_DIGEST_BYTES 20
#define KL_SHA1_BLOCK_BYTES 64

typedef struct kl_sha1_ctx {
  uint32_t H[5];                      /* §6.1.1: the hash value H(i) */
  uint8_t block[KL_SHA1_BLOCK_BYTES]; /* the partial message block */
  size_t block_len;                   /* bytes in block, < 64 */
  uint64_t total_len;                 /* message bytes so far */
  const kl_tracer *tracer;            /* NULL: fast path, no trace */
} kl_sha1_ctx;

void kl_sha1_init(kl_sha1_ctx *ctx);
/* Trace every block (§6.1.2): H(0) before the first, then per block W[t]
 * (message schedule), a..e after each round t, and H(i). */
void kl_sha1_set_tracer(kl_sha1_ctx *ctx, const kl_tracer *tr);
void kl_sha1_update(kl_sha1_ctx *ctx, const uint8_t *data, size_t len);
/* Pads (§5.1.1), writes the digest, and wipes ctx. */
void kl_sha1_final(kl_sha1_ctx *ctx, uint8_t out[KL_SHA1_DIGEST_BYTES]);
void kl_sha1(uint8_t out[KL_SHA1_DIGEST_BYTES], const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
