/* hmac.h: HMAC, FIPS 198-1 / RFC 2104, over SHA-1 or any SHA-2 hash.
 * HMAC(K, text) = H((K0 ^ opad) || H((K0 ^ ipad) || text)), where K0 is K
 * hashed if longer than the block, then zero-padded to the block length.
 * Keys of any length are accepted, the empty key included. final() and
 * clear() wipe the context (both hash states carry key-derived secrets). */
#ifndef KEXLAB_HMAC_H
#define KEXLAB_HMAC_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "hash.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kl_hmac_ctx {
  kl_hash_ctx inner;       /* H((K0 ^ ipad) || ...) in progress */
  kl_hash_ctx outer;       /* H((K0 ^ opad) || ...), waiting for the inner digest */
  const kl_tracer *tracer; /* NULL: no trace (kl_hmac_init) */
} kl_hmac_ctx;

/* FIPS 198-1 §4 steps 1-4: K0 from key, then H((K0 ^ ipad) || ... begun.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED (ctx wiped on failure).
 * Secrets: K0 and the padded blocks are wiped before return.
 * Timing: constant-time (SHA has no data-dependent branch or index); only
 * key_len is revealed. */
KL_NODISCARD kl_err kl_hmac_init(kl_hmac_ctx *ctx, kl_hash_alg alg, const uint8_t *key,
                                 size_t key_len);
/* kl_hmac_init, tracing FIPS 198-1 §4's values to tr (NULL: none): "K0",
 * "K0 ^ ipad", "K0 ^ opad" here, then "H((K0 ^ ipad) || text)" and "MAC"
 * (the tag) in kl_hmac_final. tr must outlive ctx. Traces the key: study only. */
KL_NODISCARD kl_err kl_hmac_init_traced(kl_hmac_ctx *ctx, kl_hash_alg alg, const uint8_t *key,
                                        size_t key_len, const kl_tracer *tr);
void kl_hmac_update(kl_hmac_ctx *ctx, const uint8_t *data, size_t len);
/* §4 steps 5-9: writes the full tag, kl_hash_digest_len(alg) bytes.
 * Secrets: ctx and the inner digest are wiped. Timing: constant-time. */
void kl_hmac_final(kl_hmac_ctx *ctx, uint8_t *tag);
/* Secrets: wipes ctx (both hash states are key-derived). */
void kl_hmac_clear(kl_hmac_ctx *ctx);
/* One-shot. tag holds kl_hash_digest_len(alg) bytes.
 * Secrets: the context is wiped on every path. Timing: constant-time; the
 * lengths are revealed. */
KL_NODISCARD kl_err kl_hmac(kl_hash_alg alg, uint8_t *tag, const uint8_t *key, size_t key_len,
                            const uint8_t *msg, size_t msg_len);
/* kl_hmac, traced as kl_hmac_init_traced says. */
KL_NODISCARD kl_err kl_hmac_traced(kl_hash_alg alg, uint8_t *tag, const uint8_t *key,
                                   size_t key_len, const uint8_t *msg, size_t msg_len,
                                   const kl_tracer *tr);

#ifdef __cplusplus
}
#endif
#endif
