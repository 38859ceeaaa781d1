/* sha256.h: SHA-256, FIPS 180-4 §6.2 (256-bit digest, 512-bit blocks), and
 * SHA-224 (§6.3), which is SHA-256 from another H(0) (§5.3.2) with the
 * leftmost 224 bits of H(N) as the digest: same context, update and tracer.
 * Life cycle: init, update any number of times, final (which wipes the
 * context), or the one-shot kl_sha256(). NULL data is allowed when len == 0.
 * Timing: constant-time in the data (only lengths are revealed; the traced
 * path prints every value, so never trace a secret). Secrets: final wipes the
 * context and the compression function wipes its schedule W; a context that
 * will not be finalised is wiped with kl_wipe (or kl_hash_clear via hash.h).
 * With a tracer set, blocks go through the readable compression function and
 * every step is traced; without one, through the fast path. */
#ifndef KEXLAB_SHA256_H
#define KEXLAB_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_SHA256_DIGEST_BYTES 32
#define KL_SHA256_BLOCK_BYTES 64

typedef struct kl_sha256_ctx {
  uint32_t H[8];                        /* §6.2: the hash value H(i) */
  uint8_t block[KL_SHA256_BLOCK_BYTES]; /* the partial message block */
  size_t block_len;                     /* bytes in block, < 64 */
  uint64_t total_len;                   /* message bytes so far */
  const kl_tracer *tracer;              /* NULL: fast path, no trace */
} kl_sha256_ctx;

void kl_sha256_init(kl_sha256_ctx *ctx);
/* Trace every block (§6.2.2): H(0) before the first, then per block W[t]
 * for t = 0..63, a..h after each round t, and H(i). */
void kl_sha256_set_tracer(kl_sha256_ctx *ctx, const kl_tracer *tr);
void kl_sha256_update(kl_sha256_ctx *ctx, const uint8_t *data, size_t len);
/* Pads (§5.1.1), writes the digest, and wipes ctx. */
void kl_sha256_final(kl_sha256_ctx *ctx, uint8_t out[KL_SHA256_DIGEST_BYTES]);
void kl_sha256(uint8_t out[KL_SHA256_DIGEST_BYTES], const uint8_t *data, size_t len);

#define KL_SHA224_DIGEST_BYTES 28
/* SHA-224 (§6.3): init with §5.3.2's H(0), then kl_sha256_update (and
 * kl_sha256_set_tracer); final keeps H(N)_0 .. H(N)_6 and wipes ctx. */
void kl_sha224_init(kl_sha256_ctx *ctx);
void kl_sha224_final(kl_sha256_ctx *ctx, uint8_t out[KL_SHA224_DIGEST_BYTES]);
void kl_sha224(uint8_t out[KL_SHA224_DIGEST_BYTES], const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
