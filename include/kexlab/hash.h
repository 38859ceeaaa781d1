/* hash.h: one interface over kexlab's hash functions, so that HMAC, HKDF,
 * MGF1, OAEP and PSS take the hash as a parameter (RFC 8017 lets the OAEP
 * label hash and the MGF1 hash differ). Also MGF1 itself (RFC 8017 App. B.2.1). */
#ifndef KEXLAB_HASH_H
#define KEXLAB_HASH_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "sha1.h"
#include "sha256.h"
#include "sha512.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kl_hash_alg {
  KL_HASH_SHA1 = 1,
  KL_HASH_SHA256 = 2,
  KL_HASH_SHA224 = 3,
  KL_HASH_SHA384 = 4,
  KL_HASH_SHA512 = 5,
  KL_HASH_SHA512_224 = 6,
  KL_HASH_SHA512_256 = 7
} kl_hash_alg;

#define KL_HASH_MAX_DIGEST_BYTES 64
#define KL_HASH_MAX_BLOCK_BYTES 128

typedef struct kl_hash_ctx {
  kl_hash_alg alg;
  union {
    kl_sha1_ctx sha1;
    kl_sha256_ctx sha256; /* SHA-256 and SHA-224 */
    kl_sha512_ctx sha512; /* SHA-512, SHA-384, SHA-512/224, SHA-512/256 */
  } u;
} kl_hash_ctx;

/* hLen in bytes (20, 32, 28, 48, 64, 28, 32), or 0 for an unknown alg. */
size_t kl_hash_digest_len(kl_hash_alg alg);
/* Block length in bytes (64, or 128 for the SHA-512 family), or 0 for an unknown alg. */
size_t kl_hash_block_len(kl_hash_alg alg);
/* "SHA-1", "SHA-256", "SHA-224", "SHA-384", "SHA-512", "SHA-512/224",
 * "SHA-512/256"; "unknown" otherwise. */
const char *kl_hash_name(kl_hash_alg alg);
/* Accepts, in any case, "sha1", "sha224", "sha256", "sha384", "sha512",
 * "sha512-224", "sha512-256" (OpenSSL's names), the same with a hyphen after
 * "sha" ("sha-256"), and FIPS 180-4's "sha-512/224", "sha-512/256" (also
 * "sha512/224"). Returns KL_OK or KL_ERR_UNSUPPORTED. */
KL_NODISCARD kl_err kl_hash_from_name(const char *name, kl_hash_alg *alg);

/* Returns KL_OK, KL_ERR_ARG (ctx NULL), or KL_ERR_UNSUPPORTED for an unknown alg.
 * Timing: constant-time in the data (the alg and the lengths are public).
 * Secrets: final and clear wipe the whole context. */
KL_NODISCARD kl_err kl_hash_init(kl_hash_ctx *ctx, kl_hash_alg alg);
void kl_hash_update(kl_hash_ctx *ctx, const uint8_t *data, size_t len);
/* Attach a tracer to an initialised context (the hash's own set_tracer):
 * FIPS 180-4's intermediate values of every block from now on. */
void kl_hash_set_tracer(kl_hash_ctx *ctx, const kl_tracer *tr);
/* Writes kl_hash_digest_len(ctx->alg) bytes and wipes ctx. */
void kl_hash_final(kl_hash_ctx *ctx, uint8_t *out);
/* Wipe a context that will not be finalised (an error path). */
void kl_hash_clear(kl_hash_ctx *ctx);
/* One-shot. out holds kl_hash_digest_len(alg) bytes. */
KL_NODISCARD kl_err kl_hash(kl_hash_alg alg, uint8_t *out, const uint8_t *data, size_t len);

/* MGF1, RFC 8017 App. B.2.1: mask = T[0..maskLen) where
 * T = Hash(mgfSeed || C) for C = I2OSP(counter, 4), counter = 0, 1, ...
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN (maskLen > 2^32 hLen).
 * Secrets: the temporary hash state is wiped. */
KL_NODISCARD kl_err kl_mgf1(kl_hash_alg alg, uint8_t *mask, size_t maskLen, const uint8_t *mgfSeed,
                            size_t seedLen);

#ifdef __cplusplus
}
#endif
#endif
