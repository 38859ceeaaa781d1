/* sha1.c: SHA-1, FIPS 180-4 (Aug. 2015): the readable compression function
 * (§6.1.2, one step per line, traced) and the init/update/final life cycle;
 * parsing (§5.2.1) and padding (§5.1.1) are in md_buffer.c, shared with SHA-256.
 * The fast compression function is in sha1_fast.c; the two agree on every
 * input (tests/test_sha.c).
 * SHA-1 is broken for collision resistance (SHAttered, 2017); kexlab keeps it
 * for OAEP/MGF1 in the seed profile, HMAC-SHA1 and the vectors only.
 * Timing: constant-time. Symbols: M(i), W[t], K[t], H[j], a..e, T, f_t, ROTL^n
 * (§4.1.1, §4.2.1). See docs/hash.md. */
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"
#include "kexlab/sha1.h"

/* §4.1.1: f_t(x, y, z), three functions in four stages of 20 rounds. */
static uint32_t f_t(int t, uint32_t x, uint32_t y, uint32_t z)
{
  if (t < 20)
    return (x & y) ^ (~x & z); /* Ch(x, y, z),     0 <= t <= 19 */
  if (t < 40)
    return x ^ y ^ z; /* Parity(x, y, z), 20 <= t <= 39 */
  if (t < 60)
    return (x & y) ^ (x & z) ^ (y & z); /* Maj(x, y, z),    40 <= t <= 59 */
  return x ^ y ^ z;                     /* Parity(x, y, z), 60 <= t <= 79 */
}

/* §4.2.1: the constant K_t of each stage. */
static uint32_t K_t(int t)
{
  if (t < 20)
    return 0x5a827999;
  if (t < 40)
    return 0x6ed9eba1;
  if (t < 60)
    return 0x8f1bbcdc;
  return 0xca62c1d6;
}

static void trace_word(const kl_tracer *tr, const char *label, int index, uint32_t v)
{
  uint8_t b[4];
  (void)label; /* unused when -Dtrace=false compiles KL_TRACE away */
  (void)index;
  kli_store_be32(b, v);
  KL_TRACE(tr, label, index, b, sizeof b);
}

/* §6.1.2: process one block M(i), updating H(i-1) to H(i). Trace labels:
 * H[0] (before block 1 only), M[i], W[t] (t = 0..79), T[t] and a[t]..e[t] after round t, H[i]. */
static void compress_block(uint32_t H[5], const uint8_t M[64], int i, const kl_tracer *tr)
{
  uint32_t W[80];
  uint32_t a, b, c, d, e, T;

  (void)i; /* block number: used by the trace only */
  if (i == 1 && KL_TRACING(tr)) {
    /* H(0), the initial hash value, before the first block (§5.3). */
    uint8_t H0[20];
    for (int j = 0; j < 5; j++)
      kli_store_be32(H0 + 4 * j, H[j]);
    KL_TRACE(tr, "H", 0, H0, sizeof H0);
  }
  KL_TRACE(tr, "M", i, M, 64);

  /* Step 1: prepare the message schedule {W[t]}. */
  for (int t = 0; t < 16; t++)
    W[t] = kli_load_be32(M + 4 * t);
  for (int t = 16; t < 80; t++)
    W[t] = kli_rotl32(W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16], 1);
  if (KL_TRACING(tr)) {
    for (int t = 0; t < 80; t++)
      trace_word(tr, "W", t, W[t]);
  }

  /* Step 2: initialize the five working variables with H(i-1). */
  a = H[0];
  b = H[1];
  c = H[2];
  d = H[3];
  e = H[4];

  /* Step 3: 80 rounds. */
  for (int t = 0; t < 80; t++) {
    T = kli_rotl32(a, 5) + f_t(t, b, c, d) + e + K_t(t) + W[t];
    e = d;
    d = c;
    c = kli_rotl32(b, 30);
    b = a;
    a = T;
    if (KL_TRACING(tr)) {
      trace_word(tr, "T", t, T);
      trace_word(tr, "a", t, a);
      trace_word(tr, "b", t, b);
      trace_word(tr, "c", t, c);
      trace_word(tr, "d", t, d);
      trace_word(tr, "e", t, e);
    }
  }

  /* Step 4: the i-th intermediate hash value H(i). */
  H[0] += a;
  H[1] += b;
  H[2] += c;
  H[3] += d;
  H[4] += e;
  if (KL_TRACING(tr)) {
    uint8_t Hi[20];
    for (int j = 0; j < 5; j++)
      kli_store_be32(Hi + 4 * j, H[j]);
    KL_TRACE(tr, "H", i, Hi, sizeof Hi);
  }
  kl_wipe(W, sizeof W); /* derived from a message that may be secret */
}

void kli_sha1_compress_ref(uint32_t H[5], const uint8_t *blocks, size_t nblocks, uint64_t first,
                           const kl_tracer *tr)
{
  for (size_t n = 0; n < nblocks; n++)
    compress_block(H, blocks + 64 * n, (int)(first + n), tr);
}

/* ---- the life cycle (the same shape as sha256.c) ---- */

_Static_assert(KL_SHA1_BLOCK_BYTES == KLI_MD_BLOCK_BYTES, "md_buffer.c parses 64-byte blocks");

/* kli_md_compress_fn for md_buffer.c: whole blocks through the readable path
 * when a tracer is attached, else the fast one. first counts from 1. */
static void process(void *c, const uint8_t *blocks, size_t nblocks, uint64_t first)
{
  kl_sha1_ctx *ctx = c;
  if (ctx->tracer != NULL)
    kli_sha1_compress_ref(ctx->H, blocks, nblocks, first, ctx->tracer);
  else
    kli_sha1_compress_fast(ctx->H, blocks, nblocks);
}

void kl_sha1_init(kl_sha1_ctx *ctx)
{
  /* §5.3.1: the initial hash value H(0). */
  ctx->H[0] = 0x67452301;
  ctx->H[1] = 0xefcdab89;
  ctx->H[2] = 0x98badcfe;
  ctx->H[3] = 0x10325476;
  ctx->H[4] = 0xc3d2e1f0;
  memset(ctx->block, 0, sizeof ctx->block);
  ctx->block_len = 0;
  ctx->total_len = 0;
  ctx->tracer = NULL;
}

void kl_sha1_set_tracer(kl_sha1_ctx *ctx, const kl_tracer *tr)
{
  ctx->tracer = tr;
}

void kl_sha1_update(kl_sha1_ctx *ctx, const uint8_t *data, size_t len)
{
  /* §5.2.1: parse the message into 512-bit blocks (md_buffer.c). */
  kli_md_parse_message(ctx->block, KLI_MD_BLOCK_BYTES, &ctx->block_len, &ctx->total_len, data, len,
                       process, ctx);
}

void kl_sha1_final(kl_sha1_ctx *ctx, uint8_t out[KL_SHA1_DIGEST_BYTES])
{
  /* §5.1.1: 1 bit, zeros to 448 mod 512, then l as 64 bits big-endian; the
   * last one or two blocks are processed (md_buffer.c). */
  kli_md_pad_message(ctx->block, KLI_MD_BLOCK_BYTES, ctx->block_len, ctx->total_len, process, ctx);

  /* §6.1.2: the digest is H(N)_0 || ... || H(N)_4. */
  for (int j = 0; j < 5; j++)
    kli_store_be32(out + 4 * j, ctx->H[j]);
  kl_wipe(ctx, sizeof *ctx);
}

void kl_sha1(uint8_t out[KL_SHA1_DIGEST_BYTES], const uint8_t *data, size_t len)
{
  kl_sha1_ctx ctx;
  kl_sha1_init(&ctx);
  kl_sha1_update(&ctx, data, len);
  kl_sha1_final(&ctx, out);
}
