/* hash.c: one interface over SHA-1 and SHA-256 (include/kexlab/hash.h), so
 * HMAC, HKDF, MGF1, OAEP and PSS take the hash as a parameter. A plain switch
 * dispatches (steppable in gdb; no table of function pointers).
 * Timing: constant-time in the data (the algorithm id is public). */
#include <ctype.h>
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/hash.h"

size_t kl_hash_digest_len(kl_hash_alg alg)
{
  switch (alg) {
  case KL_HASH_SHA1:
    return KL_SHA1_DIGEST_BYTES;
  case KL_HASH_SHA256:
    return KL_SHA256_DIGEST_BYTES;
  default:
    return 0;
  }
}

size_t kl_hash_block_len(kl_hash_alg alg)
{
  switch (alg) {
  case KL_HASH_SHA1:
    return KL_SHA1_BLOCK_BYTES;
  case KL_HASH_SHA256:
    return KL_SHA256_BLOCK_BYTES;
  default:
    return 0;
  }
}

const char *kl_hash_name(kl_hash_alg alg)
{
  switch (alg) {
  case KL_HASH_SHA1:
    return "SHA-1";
  case KL_HASH_SHA256:
    return "SHA-256";
  default:
    return "unknown";
  }
}

/* Case-insensitive comparison of whole strings (strcasecmp is POSIX, and
 * locale-dependent; hash names are ASCII). */
static int name_is(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  }
  return *a == '\0' && *b == '\0';
}

kl_err kl_hash_from_name(const char *name, kl_hash_alg *alg)
{
  if (name == NULL || alg == NULL)
    return KL_ERR_UNSUPPORTED;
  if (name_is(name, "sha1") || name_is(name, "sha-1")) {
    *alg = KL_HASH_SHA1;
    return KL_OK;
  }
  if (name_is(name, "sha256") || name_is(name, "sha-256")) {
    *alg = KL_HASH_SHA256;
    return KL_OK;
  }
  return KL_ERR_UNSUPPORTED;
}

kl_err kl_hash_init(kl_hash_ctx *ctx, kl_hash_alg alg)
{
  if (ctx == NULL)
    return KL_ERR_ARG;
  switch (alg) {
  case KL_HASH_SHA1:
    ctx->alg = alg;
    kl_sha1_init(&ctx->u.sha1);
    return KL_OK;
  case KL_HASH_SHA256:
    ctx->alg = alg;
    kl_sha256_init(&ctx->u.sha256);
    return KL_OK;
  default:
    return KL_ERR_UNSUPPORTED;
  }
}

void kl_hash_update(kl_hash_ctx *ctx, const uint8_t *data, size_t len)
{
  switch (ctx->alg) {
  case KL_HASH_SHA1:
    kl_sha1_update(&ctx->u.sha1, data, len);
    break;
  case KL_HASH_SHA256:
    kl_sha256_update(&ctx->u.sha256, data, len);
    break;
  default:
    break; /* kl_hash_init refused it; nothing to update */
  }
}

void kl_hash_final(kl_hash_ctx *ctx, uint8_t *out)
{
  switch (ctx->alg) {
  case KL_HASH_SHA1:
    kl_sha1_final(&ctx->u.sha1, out);
    break;
  case KL_HASH_SHA256:
    kl_sha256_final(&ctx->u.sha256, out);
    break;
  default:
    break;
  }
  kl_hash_clear(ctx);
}

void kl_hash_clear(kl_hash_ctx *ctx)
{
  if (ctx != NULL)
    kl_wipe(ctx, sizeof *ctx);
}

kl_err kl_hash(kl_hash_alg alg, uint8_t *out, const uint8_t *data, size_t len)
{
  if (out == NULL || (data == NULL && len != 0))
    return KL_ERR_ARG;
  kl_hash_ctx ctx;
  kl_err err = kl_hash_init(&ctx, alg);
  if (err != KL_OK)
    return err;
  kl_hash_update(&ctx, data, len);
  kl_hash_final(&ctx, out);
  return KL_OK;
}
