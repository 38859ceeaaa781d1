/* sha512.c: SHA-512, SHA-384, SHA-512/224 and SHA-512/256, FIPS 180-4
 * (Aug. 2015): the readable compression function (§6.4.2, one step per line,
 * traced), the four initial hash values (§5.3.4-§5.3.6) with the SHA-512/t IV
 * generation function that makes the last two (§5.3.6), and the
 * init/update/final life cycle; parsing (§5.2.2) and padding (§5.1.2) are in
 * md_buffer.c, shared with SHA-1 and SHA-256. SHA-384 (§6.5) and SHA-512/t
 * (§6.7) are SHA-512 from another H(0), truncated. The fast compression
 * function the default path uses is in sha512_fast.c; the two agree on every
 * input (tests/test_sha512.c).
 * Timing: constant-time (only additions, rotations and logic on 64-bit words;
 * no table index or branch depends on the data). Symbols: M(i), W[t], K[t],
 * H[j], a..h, T1, T2, Ch, Maj, Σ0 (Sigma0), Σ1, σ0 (sigma0), σ1 (§4.1.3).
 * See docs/hash.md. */
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"
#include "kexlab/sha512.h"

/* §5.3.5, SHA-512: the first 64 bits of the fractional parts of the square
 * roots of the first 8 primes. */
const uint64_t kli_sha512_H0[8] = {
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
};

/* §5.3.4, SHA-384: the first 64 bits of the fractional parts of the square
 * roots of the 9th through 16th primes. */
const uint64_t kli_sha384_H0[8] = {
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
};

/* §5.3.6.1, SHA-512/224, and §5.3.6.2, SHA-512/256: the output of the IV
 * generation function below for t = 224 and t = 256, as FIPS 180-4 prints
 * them (tests/test_sha512.c runs the function and compares). */
const uint64_t kli_sha512_224_H0[8] = {
  0x8c3d37c819544da2, 0x73e1996689dcd4d6, 0x1dfab7ae32ff9c82, 0x679dd514582f9fcf,
  0x0f6d2b697bd44da8, 0x77e36f7304c48942, 0x3f9d85a86a1d36c8, 0x1112e6ad91d692a1,
};
const uint64_t kli_sha512_256_H0[8] = {
  0x22312194fc2bf72c, 0x9f555fa3c84c64c2, 0x2393b86b6f53b151, 0x963877195940eabd,
  0x96283ee2a88effe3, 0xbe5e1e2553863992, 0x2b0199fc2c85b8aa, 0x0eb72ddc81c52ca2,
};

/* ---- §4.1.3: the six logical functions, on 64-bit words ---- */

static uint64_t Ch(uint64_t x, uint64_t y, uint64_t z)
{
  return (x & y) ^ (~x & z); /* (4.8): x chooses between y and z, bit by bit */
}

static uint64_t Maj(uint64_t x, uint64_t y, uint64_t z)
{
  return (x & y) ^ (x & z) ^ (y & z); /* (4.9): the majority of each bit */
}

static uint64_t Sigma0(uint64_t x) /* (4.10) Σ0 */
{
  return kli_rotr64(x, 28) ^ kli_rotr64(x, 34) ^ kli_rotr64(x, 39);
}

static uint64_t Sigma1(uint64_t x) /* (4.11) Σ1 */
{
  return kli_rotr64(x, 14) ^ kli_rotr64(x, 18) ^ kli_rotr64(x, 41);
}

static uint64_t sigma0(uint64_t x) /* (4.12) σ0 */
{
  return kli_rotr64(x, 1) ^ kli_rotr64(x, 8) ^ (x >> 7);
}

static uint64_t sigma1(uint64_t x) /* (4.13) σ1 */
{
  return kli_rotr64(x, 19) ^ kli_rotr64(x, 61) ^ (x >> 6);
}

/* Trace one 64-bit word as 8 big-endian bytes (the standard prints words in hex). */
static void trace_word(const kl_tracer *tr, const char *label, int index, uint64_t v)
{
  uint8_t b[8];
  (void)label; /* unused when -Dtrace=false compiles KL_TRACE away */
  (void)index;
  kli_store_be64(b, v);
  KL_TRACE(tr, label, index, b, sizeof b);
}

static void trace_H(const kl_tracer *tr, int index, const uint64_t H[8])
{
  uint8_t b[64];
  (void)index;
  for (int j = 0; j < 8; j++)
    kli_store_be64(b + 8 * j, H[j]);
  KL_TRACE(tr, "H", index, b, sizeof b);
}

/* §6.4.2: process one block M(i) (128 bytes), updating H(i-1) to H(i).
 * Trace labels (for block number i, counted from 1 as in the standard), each
 * word 8 bytes:
 *   H[0]       the initial hash value H(0), before block 1 only (64 bytes)
 *   M[i]       the block (128 bytes)
 *   W[t]       the message schedule, t = 0..79
 *   T1[t] T2[t] a[t]..h[t]   round t: the temporaries and the working
 *              variables AFTER the round
 *   H[i]       the hash value H(i) after step 4 (64 bytes, all eight words:
 *              the truncated hashes keep their leftmost bytes at the end) */
static void compress_block(uint64_t H[8], const uint8_t M[128], int i, const kl_tracer *tr)
{
  uint64_t W[80];
  uint64_t a, b, c, d, e, f, g, h, T1, T2;

  (void)i; /* block number: used by the trace only */
  if (i == 1 && KL_TRACING(tr))
    trace_H(tr, 0, H); /* H(0), the initial hash value, before the first block (§5.3) */
  KL_TRACE(tr, "M", i, M, 128);

  /* Step 1: prepare the message schedule {W[t]}. */
  for (int t = 0; t < 16; t++)
    W[t] = kli_load_be64(M + 8 * t); /* W[t] = M(i)_t, big-endian 64-bit words (§3.1) */
  for (int t = 16; t < 80; t++)
    W[t] = sigma1(W[t - 2]) + W[t - 7] + sigma0(W[t - 15]) + W[t - 16];
  if (KL_TRACING(tr)) {
    for (int t = 0; t < 80; t++)
      trace_word(tr, "W", t, W[t]);
  }

  /* Step 2: initialize the eight working variables with H(i-1). */
  a = H[0];
  b = H[1];
  c = H[2];
  d = H[3];
  e = H[4];
  f = H[5];
  g = H[6];
  h = H[7];

  /* Step 3: 80 rounds. */
  for (int t = 0; t < 80; t++) {
    T1 = h + Sigma1(e) + Ch(e, f, g) + kli_sha512_K[t] + W[t];
    T2 = Sigma0(a) + Maj(a, b, c);
    h = g;
    g = f;
    f = e;
    e = d + T1;
    d = c;
    c = b;
    b = a;
    a = T1 + T2;
    if (KL_TRACING(tr)) {
      trace_word(tr, "T1", t, T1);
      trace_word(tr, "T2", t, T2);
      trace_word(tr, "a", t, a);
      trace_word(tr, "b", t, b);
      trace_word(tr, "c", t, c);
      trace_word(tr, "d", t, d);
      trace_word(tr, "e", t, e);
      trace_word(tr, "f", t, f);
      trace_word(tr, "g", t, g);
      trace_word(tr, "h", t, h);
    }
  }

  /* Step 4: the i-th intermediate hash value H(i). */
  H[0] += a;
  H[1] += b;
  H[2] += c;
  H[3] += d;
  H[4] += e;
  H[5] += f;
  H[6] += g;
  H[7] += h;
  if (KL_TRACING(tr))
    trace_H(tr, i, H);

  /* The schedule derives from the message, which may be a secret (an HMAC
   * key block): wipe it. */
  kl_wipe(W, sizeof W);
}

void kli_sha512_compress_ref(uint64_t H[8], const uint8_t *blocks, size_t nblocks, uint64_t first,
                             const kl_tracer *tr)
{
  for (size_t n = 0; n < nblocks; n++)
    compress_block(H, blocks + 128 * n, (int)(first + n), tr);
}

/* ---- the life cycle ---- */

_Static_assert(KL_SHA512_BLOCK_BYTES == KLI_MD_BLOCK_BYTES_1024, "SHA-512 blocks are 1024 bits");

/* kli_md_compress_fn for md_buffer.c: one or more whole blocks through the
 * path the context asks for (the readable one whenever a tracer is attached).
 * first is the number of the first block, counted from 1 as in the standard. */
static void process(void *c, const uint8_t *blocks, size_t nblocks, uint64_t first)
{
  kl_sha512_ctx *ctx = c;
  if (ctx->tracer != NULL)
    kli_sha512_compress_ref(ctx->H, blocks, nblocks, first, ctx->tracer);
  else
    kli_sha512_compress_fast(ctx->H, blocks, nblocks);
}

static void init_with(kl_sha512_ctx *ctx, const uint64_t H0[8])
{
  memcpy(ctx->H, H0, sizeof ctx->H);
  memset(ctx->block, 0, sizeof ctx->block);
  ctx->block_len = 0;
  ctx->total_len = 0;
  ctx->tracer = NULL;
}

void kl_sha512_init(kl_sha512_ctx *ctx)
{
  init_with(ctx, kli_sha512_H0); /* §5.3.5 */
}

void kl_sha384_init(kl_sha512_ctx *ctx)
{
  init_with(ctx, kli_sha384_H0); /* §5.3.4 */
}

void kl_sha512_224_init(kl_sha512_ctx *ctx)
{
  init_with(ctx, kli_sha512_224_H0); /* §5.3.6.1 */
}

void kl_sha512_256_init(kl_sha512_ctx *ctx)
{
  init_with(ctx, kli_sha512_256_H0); /* §5.3.6.2 */
}

void kl_sha512_set_tracer(kl_sha512_ctx *ctx, const kl_tracer *tr)
{
  ctx->tracer = tr;
}

void kl_sha512_update(kl_sha512_ctx *ctx, const uint8_t *data, size_t len)
{
  /* §5.2.2: parse the message into 1024-bit blocks M(1), M(2), ...; the
   * partial one waits in ctx->block (md_buffer.c). */
  kli_md_parse_message(ctx->block, KLI_MD_BLOCK_BYTES_1024, &ctx->block_len, &ctx->total_len, data,
                       len, process, ctx);
}

/* Pad, then write the leftmost out_len bytes of H(N) and wipe ctx. */
static void finish(kl_sha512_ctx *ctx, uint8_t *out, size_t out_len)
{
  /* §5.1.2: append the bit "1", then k zero bits with l + 1 + k = 896 mod 1024,
   * then l, the message length in bits, as a 128-bit big-endian integer, and
   * process the last one or two blocks (md_buffer.c).
   *   ... message tail | 80 | 00 ... 00 | l (16 bytes) | */
  kli_md_pad_message(ctx->block, KLI_MD_BLOCK_BYTES_1024, ctx->block_len, ctx->total_len, process,
                     ctx);

  /* §6.4.2: H(N) = H(N)_0 || ... || H(N)_7; SHA-384 keeps the leftmost 384
   * bits (§6.5), SHA-512/t the leftmost t bits (§6.7; for t = 224 that ends
   * in the middle of H(N)_3). */
  uint8_t full[64];
  for (int j = 0; j < 8; j++)
    kli_store_be64(full + 8 * j, ctx->H[j]);
  memcpy(out, full, out_len);
  kl_wipe(full, sizeof full);
  kl_wipe(ctx, sizeof *ctx);
}

void kl_sha512_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_DIGEST_BYTES])
{
  finish(ctx, out, KL_SHA512_DIGEST_BYTES);
}

void kl_sha384_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA384_DIGEST_BYTES])
{
  finish(ctx, out, KL_SHA384_DIGEST_BYTES);
}

void kl_sha512_224_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_224_DIGEST_BYTES])
{
  finish(ctx, out, KL_SHA512_224_DIGEST_BYTES);
}

void kl_sha512_256_final(kl_sha512_ctx *ctx, uint8_t out[KL_SHA512_256_DIGEST_BYTES])
{
  finish(ctx, out, KL_SHA512_256_DIGEST_BYTES);
}

void kl_sha512(uint8_t out[KL_SHA512_DIGEST_BYTES], const uint8_t *data, size_t len)
{
  kl_sha512_ctx ctx;
  kl_sha512_init(&ctx);
  kl_sha512_update(&ctx, data, len);
  kl_sha512_final(&ctx, out);
}

void kl_sha384(uint8_t out[KL_SHA384_DIGEST_BYTES], const uint8_t *data, size_t len)
{
  kl_sha512_ctx ctx;
  kl_sha384_init(&ctx);
  kl_sha512_update(&ctx, data, len);
  kl_sha384_final(&ctx, out);
}

/* ---- §5.3.6: the SHA-512/t IV generation function ----
 * For t = 1..511, t != 384:
 *   1. H(0)'' = SHA-512's H(0) (§5.3.5), each word XORed with a5a5a5a5a5a5a5a5;
 *   2. H(0) for SHA-512/t = SHA-512 of the ASCII string "SHA-512/t" (t in
 *      decimal, e.g. "SHA-512/224"), computed from H(0)'' instead of
 *      SHA-512's own H(0), all eight words (no truncation).
 * kexlab uses the results as constants (kli_sha512_224_H0, kli_sha512_256_H0);
 * this function is how FIPS 180-4 defines them, and the tests run it. */
int kli_sha512_t_iv(unsigned t, uint64_t H0[8])
{
  if (t == 0 || t >= 512 || t == 384)
    return -1;
  uint64_t Hpp[8];
  for (int j = 0; j < 8; j++)
    Hpp[j] = kli_sha512_H0[j] ^ 0xa5a5a5a5a5a5a5a5u; /* step 1: H(0)'' */
  char name[16];
  int n = snprintf(name, sizeof name, "SHA-512/%u", t);
  kl_sha512_ctx ctx;
  init_with(&ctx, Hpp); /* step 2: SHA-512 from H(0)'' */
  kl_sha512_update(&ctx, (const uint8_t *)name, (size_t)n);
  kli_md_pad_message(ctx.block, KLI_MD_BLOCK_BYTES_1024, ctx.block_len, ctx.total_len, process,
                     &ctx);
  memcpy(H0, ctx.H, sizeof ctx.H);
  kl_wipe(&ctx, sizeof ctx);
  return 0;
}
