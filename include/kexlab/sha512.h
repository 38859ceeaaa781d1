/* sha512.h: SHA-512 and the hashes built on it, FIPS 180-4 §6.4 and §6.7
 * (64-bit words, 1024-bit blocks): SHA-512 (512-bit digest), SHA-384 (§6.5,
 * 384), SHA-512/224 and SHA-512/256 (§6.7, 224 and 256). The four differ only
 * in the initial hash value H(0) (§5.3.4-§5.3.6) and in how many bits of the
 * final hash value they keep; they share one context, one update and one
 * compression function.
 * Life cycle: the hash's own init, kl_sha512_update any number of times, the
 * hash's own final (which wipes the context), or a one-shot. NULL data is
 * allowed when len == 0.
 * Timing: constant-time in the data (only lengths are revealed; the traced
 * path prints every value, so never trace a secret). Secrets: final wipes the
 * context and the compression function wipes its schedule W; a context that
 * will not be finalised is wiped with kl_wipe (or kl_hash_clear via hash.h).
 * With a tracer set, blocks go through the readable compression function and
 * every step is traced; without one, through the fast path. */
#ifndef KEXLAB_SHA512_H
#define KEXLAB_SHA512_H

#include <stddef.h>
#include <stdint.h>
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_SHA512_DIGEST_BYTES 64
#define KL_SHA384_DIGEST_BYTES 48
#define KL_SHA512_224_DIGEST_BYTES 28
#define KL_SHA512_256_DIGEST_BYTES 32
#define KL_SHA512_BLOCK_BYTES 128

typedef struct kl_sha512_ctx {
  uint64_t H[8];                        /* §6.4: the hash value H(i) */
  uint8_t block[KL_SHA512_BLOCK_BYTES]; /* the partial message block */
  size_t block_len;                     /* bytes in block, < 128 */
  uint64_t total_len;                   /* message bytes so far */
  const kl_tracer *tracer;              /* NULL: fast path, no trace */
} kl_sha512_ctx;

/* The four initial hash values: §5.3.5 (SHA-512), §5.3.4 (SHA-384),
 * §5.3.6.1 (SHA-512/224), §5.3.6.2 (SHA-512/256). */
void kl_sha512_init(kl_sha512_ctx *ctx);
void kl_sha384_init(kl_sha512_ctx *ctx);
void kl_sha512_224_init(kl_sha512_ctx *ctx);
void kl_sha512_256_init(kl_sha512_ctx *ctx);
/* Trace every block (§6.4.2): H(0) before the first, then per block W[t]
 * for t = 0..79, T1, T2 and a..h after each round t, and H(i). */
void kl_sha512_set_tracer(kl_sha512_ctx *ctx, const kl_tracer *tr);
void kl_sha512_update(kl_sha512_ctx *ctx, const uint8_t *data, size_t len);
/* Pad (§5.1.2), write the leftmost digest bytes of H(N) (§6.4.2, §6.5, §6.7),
 * and wipe ctx. */
void kl_sha512_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_DIGEST_BYTES]);
void kl_sha384_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA384_DIGEST_BYTES]);
void kl_sha512_224_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_224_DIGEST_BYTES]);
void kl_sha512_256_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_256_DIGEST_BYTES]);
void kl_sha512(uint8_t out[KL_SHA512_DIGEST_BYTES], const uint8_t *data, size_t len);
void kl_sha384(uint8_t out[KL_SHA384_DIGEST_BYTES], const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
