/* hmac.c: HMAC, FIPS 198-1 (July 2008) §4 / RFC 2104 §2, over kl_hash.
 *   HMAC(K, text) = H((K0 ^ opad) || H((K0 ^ ipad) || text))
 * Both padded key blocks are absorbed at init, so the context holds two hash
 * states that have each eaten one key block: update feeds the inner one,
 * final finishes the inner digest and feeds it to the outer one.
 * Timing: constant-time (no branch on key or message bytes; the key length is
 * public). Secrets: K0, the padded blocks and both hash states are wiped.
 * Symbols: K, K0, B (block length), L (digest length), ipad, opad (§3, §4).
 * Trace (kl_hmac_init_traced): the values of §4's steps, labelled
 *   "K0" (steps 1-3), "K0 ^ ipad" (step 4), "K0 ^ opad" (step 7),
 *   "H((K0 ^ ipad) || text)" (step 6) and "MAC" (step 9, the tag),
 * in that order; the hashes inside are not traced. */
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/hmac.h"

kl_err kl_hmac_init(kl_hmac_ctx *ctx, kl_hash_alg alg, const uint8_t *key, size_t key_len)
{
  return kl_hmac_init_traced(ctx, alg, key, key_len, NULL);
}

kl_err kl_hmac_init_traced(kl_hmac_ctx *ctx, kl_hash_alg alg, const uint8_t *key, size_t key_len,
                           const kl_tracer *tr)
{
  uint8_t K0[KL_HASH_MAX_BLOCK_BYTES];
  uint8_t pad[KL_HASH_MAX_BLOCK_BYTES];
  kl_err err = KL_OK;

  if (ctx == NULL || (key == NULL && key_len != 0))
    return KL_ERR_ARG;
  size_t B = kl_hash_block_len(alg);
  if (B == 0)
    return KL_ERR_UNSUPPORTED;

  /* §4 steps 1-3: K0 is K if |K| = B, H(K) zero-padded if |K| > B, and K
   * zero-padded if |K| < B (the empty key gives B zero bytes). */
  memset(K0, 0, sizeof K0);
  if (key_len > B) {
    err = kl_hash(alg, K0, key, key_len);
    if (err != KL_OK)
      goto out;
  } else if (key_len > 0) {
    memcpy(K0, key, key_len);
  }
  KL_TRACE(tr, "K0", -1, K0, B);

  /* Step 4-6: inner state absorbs K0 ^ ipad (ipad = 0x36 repeated B times). */
  for (size_t j = 0; j < B; j++)
    pad[j] = K0[j] ^ 0x36;
  KL_TRACE(tr, "K0 ^ ipad", -1, pad, B);
  err = kl_hash_init(&ctx->inner, alg);
  if (err != KL_OK)
    goto out;
  kl_hash_update(&ctx->inner, pad, B);

  /* Step 7-8 (prepared): outer state absorbs K0 ^ opad (opad = 0x5c ...). */
  for (size_t j = 0; j < B; j++)
    pad[j] = K0[j] ^ 0x5c;
  KL_TRACE(tr, "K0 ^ opad", -1, pad, B);
  err = kl_hash_init(&ctx->outer, alg);
  if (err != KL_OK)
    goto out;
  kl_hash_update(&ctx->outer, pad, B);
  ctx->tracer = tr;

out:
  kl_wipe(K0, sizeof K0);
  kl_wipe(pad, sizeof pad);
  if (err != KL_OK)
    kl_hmac_clear(ctx);
  return err;
}

void kl_hmac_update(kl_hmac_ctx *ctx, const uint8_t *data, size_t len)
{
  /* Step 6: ... || text, into the inner hash. */
  kl_hash_update(&ctx->inner, data, len);
}

void kl_hmac_final(kl_hmac_ctx *ctx, uint8_t *tag)
{
  uint8_t inner[KL_HASH_MAX_DIGEST_BYTES];
  size_t L = kl_hash_digest_len(ctx->inner.alg);
  const kl_tracer *tr = ctx->tracer;
  (void)tr; /* unused when -Dtrace=false compiles KL_TRACE away */
  /* Step 6: H((K0 ^ ipad) || text). */
  kl_hash_final(&ctx->inner, inner);
  KL_TRACE(tr, "H((K0 ^ ipad) || text)", -1, inner, L);
  /* Steps 8-9: H((K0 ^ opad) || that). */
  kl_hash_update(&ctx->outer, inner, L);
  kl_hash_final(&ctx->outer, tag);
  KL_TRACE(tr, "MAC", -1, tag, L);
  kl_wipe(inner, sizeof inner);
  kl_hmac_clear(ctx);
}

void kl_hmac_clear(kl_hmac_ctx *ctx)
{
  if (ctx != NULL)
    kl_wipe(ctx, sizeof *ctx);
}

kl_err kl_hmac(kl_hash_alg alg, uint8_t *tag, const uint8_t *key, size_t key_len,
               const uint8_t *msg, size_t msg_len)
{
  return kl_hmac_traced(alg, tag, key, key_len, msg, msg_len, NULL);
}

kl_err kl_hmac_traced(kl_hash_alg alg, uint8_t *tag, const uint8_t *key, size_t key_len,
                      const uint8_t *msg, size_t msg_len, const kl_tracer *tr)
{
  if (tag == NULL || (msg == NULL && msg_len != 0))
    return KL_ERR_ARG;
  kl_hmac_ctx ctx;
  kl_err err = kl_hmac_init_traced(&ctx, alg, key, key_len, tr);
  if (err != KL_OK)
    return err; /* init wiped ctx */
  kl_hmac_update(&ctx, msg, msg_len);
  kl_hmac_final(&ctx, tag);
  return KL_OK;
}
