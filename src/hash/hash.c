/* hash.c: one interface over SHA-1 and the SHA-2 family (include/kexlab/hash.h),
 * so HMAC, HKDF, MGF1, OAEP and PSS take the hash as a parameter. A plain
 * switch dispatches (steppable in gdb; no table of function pointers).
 * SHA-224 runs on SHA-256's context, SHA-384 and SHA-512/t on SHA-512's.
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
  case KL_HASH_SHA224:
    return KL_SHA224_DIGEST_BYTES;
  case KL_HASH_SHA384:
    return KL_SHA384_DIGEST_BYTES;
  case KL_HASH_SHA512:
    return KL_SHA512_DIGEST_BYTES;
  case KL_HASH_SHA512_224:
    return KL_SHA512_224_DIGEST_BYTES;
  case KL_HASH_SHA512_256:
    return KL_SHA512_256_DIGEST_BYTES;
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
  case KL_HASH_SHA224:
    return KL_SHA256_BLOCK_BYTES;
  case KL_HASH_SHA384:
  case KL_HASH_SHA512:
  case KL_HASH_SHA512_224:
  case KL_HASH_SHA512_256:
    return KL_SHA512_BLOCK_BYTES;
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
  case KL_HASH_SHA224:
    return "SHA-224";
  case KL_HASH_SHA384:
    return "SHA-384";
  case KL_HASH_SHA512:
    return "SHA-512";
  case KL_HASH_SHA512_224:
    return "SHA-512/224";
  case KL_HASH_SHA512_256:
    return "SHA-512/256";
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
  static const struct {
    const char *name;
    kl_hash_alg alg;
  } names[] = {
    {"sha1", KL_HASH_SHA1},
    {"sha-1", KL_HASH_SHA1},
    {"sha256", KL_HASH_SHA256},
    {"sha-256", KL_HASH_SHA256},
    {"sha224", KL_HASH_SHA224},
    {"sha-224", KL_HASH_SHA224},
    {"sha384", KL_HASH_SHA384},
    {"sha-384", KL_HASH_SHA384},
    {"sha512", KL_HASH_SHA512},
    {"sha-512", KL_HASH_SHA512},
    {"sha512-224", KL_HASH_SHA512_224},
    {"sha-512/224", KL_HASH_SHA512_224},
    {"sha512/224", KL_HASH_SHA512_224},
    {"sha512-256", KL_HASH_SHA512_256},
    {"sha-512/256", KL_HASH_SHA512_256},
    {"sha512/256", KL_HASH_SHA512_256},
  };
  if (name == NULL || alg == NULL)
    return KL_ERR_UNSUPPORTED;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (name_is(name, names[i].name)) {
      *alg = names[i].alg;
      return KL_OK;
    }
  }
  return KL_ERR_UNSUPPORTED;
}

kl_err kl_hash_init(kl_hash_ctx *ctx, kl_hash_alg alg)
{
  if (ctx == NULL)
    return KL_ERR_ARG;
  switch (alg) {
  case KL_HASH_SHA1:
    kl_sha1_init(&ctx->u.sha1);
    break;
  case KL_HASH_SHA256:
    kl_sha256_init(&ctx->u.sha256);
    break;
  case KL_HASH_SHA224:
    kl_sha224_init(&ctx->u.sha256);
    break;
  case KL_HASH_SHA384:
    kl_sha384_init(&ctx->u.sha512);
    break;
  case KL_HASH_SHA512:
    kl_sha512_init(&ctx->u.sha512);
    break;
  case KL_HASH_SHA512_224:
    kl_sha512_224_init(&ctx->u.sha512);
    break;
  case KL_HASH_SHA512_256:
    kl_sha512_256_init(&ctx->u.sha512);
    break;
  default:
    return KL_ERR_UNSUPPORTED;
  }
  ctx->alg = alg;
  return KL_OK;
}

void kl_hash_set_tracer(kl_hash_ctx *ctx, const kl_tracer *tr)
{
  switch (ctx->alg) {
  case KL_HASH_SHA1:
    kl_sha1_set_tracer(&ctx->u.sha1, tr);
    break;
  case KL_HASH_SHA256:
  case KL_HASH_SHA224:
    kl_sha256_set_tracer(&ctx->u.sha256, tr);
    break;
  case KL_HASH_SHA384:
  case KL_HASH_SHA512:
  case KL_HASH_SHA512_224:
  case KL_HASH_SHA512_256:
    kl_sha512_set_tracer(&ctx->u.sha512, tr);
    break;
  default:
    break;
  }
}

void kl_hash_update(kl_hash_ctx *ctx, const uint8_t *data, size_t len)
{
  switch (ctx->alg) {
  case KL_HASH_SHA1:
    kl_sha1_update(&ctx->u.sha1, data, len);
    break;
  case KL_HASH_SHA256:
  case KL_HASH_SHA224:
    kl_sha256_update(&ctx->u.sha256, data, len);
    break;
  case KL_HASH_SHA384:
  case KL_HASH_SHA512:
  case KL_HASH_SHA512_224:
  case KL_HASH_SHA512_256:
    kl_sha512_update(&ctx->u.sha512, data, len);
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
  case KL_HASH_SHA224:
    kl_sha224_final(&ctx->u.sha256, out);
    break;
  case KL_HASH_SHA384:
    kl_sha384_final(&ctx->u.sha512, out);
    break;
  case KL_HASH_SHA512:
    kl_sha512_final(&ctx->u.sha512, out);
    break;
  case KL_HASH_SHA512_224:
    kl_sha512_224_final(&ctx->u.sha512, out);
    break;
  case KL_HASH_SHA512_256:
    kl_sha512_256_final(&ctx->u.sha512, out);
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
