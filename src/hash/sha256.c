/* sha256.c: SHA-256, FIPS 180-4 (Aug. 2015): the readable compression function
 * (§6.2.2, one step per line, traced) and the init/update/final life cycle,
 * also for SHA-224 (§6.3: another H(0), §5.3.2, and a truncated digest);
 * parsing (§5.2.1) and padding (§5.1.1) are in md_buffer.c, shared with SHA-1.
 * The fast compression function the default path uses is in sha256_fast.c;
 * the two agree on every input (tests/test_sha.c).
 * Timing: constant-time (only additions, rotations and logic on words; no
 * table index or branch depends on the data). Symbols: M(i), W[t], K[t], H[j],
 * a..h, T1, T2, Ch, Maj, Σ0 (Sigma0), Σ1, σ0 (sigma0), σ1 (§4.1.2).
 * See docs/hash.md. */
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "hash/hash_internal.h"
#include "kexlab/ct.h"
#include "kexlab/sha256.h"

/* §5.3.3: the first 32 bits of the fractional parts of the square roots of the
 * first 8 primes. */
const uint32_t kli_sha256_H0[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* §5.3.2, SHA-224: the second 32 bits of the fractional parts of the square
 * roots of the 9th through 16th primes (23, 29, ..., 53). */
const uint32_t kli_sha224_H0[8] = {
  0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
};

/* ---- §4.1.2: the six logical functions, on 32-bit words ---- */

static uint32_t Ch(uint32_t x, uint32_t y, uint32_t z)
{
  return (x & y) ^ (~x & z); /* (4.2): x chooses between y and z, bit by bit */
}

static uint32_t Maj(uint32_t x, uint32_t y, uint32_t z)
{
  return (x & y) ^ (x & z) ^ (y & z); /* (4.3): the majority of each bit */
}

static uint32_t Sigma0(uint32_t x) /* (4.4) Σ0 */
{
  return kli_rotr32(x, 2) ^ kli_rotr32(x, 13) ^ kli_rotr32(x, 22);
}

static uint32_t Sigma1(uint32_t x) /* (4.5) Σ1 */
{
  return kli_rotr32(x, 6) ^ kli_rotr32(x, 11) ^ kli_rotr32(x, 25);
}

static uint32_t sigma0(uint32_t x) /* (4.6) σ0 */
{
  return kli_rotr32(x, 7) ^ kli_rotr32(x, 18) ^ (x >> 3);
}

static uint32_t sigma1(uint32_t x) /* (4.7) σ1 */
{
  return kli_rotr32(x, 17) ^ kli_rotr32(x, 19) ^ (x >> 10);
}

/* Trace one 32-bit word as 4 big-endian bytes (the standard prints words in hex). */
static void trace_word(const kl_tracer *tr, const char *label, int index, uint32_t v)
{
  uint8_t b[4];
  (void)label; /* unused when -Dtrace=false compiles KL_TRACE away */
  (void)index;
  kli_store_be32(b, v);
  KL_TRACE(tr, label, index, b, sizeof b);
}

/* §6.2.2: process one block M(i) (64 bytes), updating H(i-1) to H(i).
 * Trace labels (for block number i, counted from 1 as in the standard):
 *   H[0]       the initial hash value H(0), before block 1 only
 *   M[i]       the block
 *   W[t]       the message schedule, t = 0..63
 *   T1[t] T2[t] a[t]..h[t]   round t: the temporaries and the working
 *              variables AFTER the round (the rows of NIST's worked example)
 *   H[i]       the hash value H(i) after step 4 (32 bytes) */
static void compress_block(uint32_t H[8], const uint8_t M[64], int i, const kl_tracer *tr)
{
  uint32_t W[64];
  uint32_t a, b, c, d, e, f, g, h, T1, T2;

  (void)i; /* block number: used by the trace only */
  if (i == 1 && KL_TRACING(tr)) {
    /* H(0), the initial hash value, before the first block (§5.3). */
    uint8_t H0[32];
    for (int j = 0; j < 8; j++)
      kli_store_be32(H0 + 4 * j, H[j]);
    KL_TRACE(tr, "H", 0, H0, sizeof H0);
  }
  KL_TRACE(tr, "M", i, M, 64);

  /* Step 1: prepare the message schedule {W[t]}. */
  for (int t = 0; t < 16; t++)
    W[t] = kli_load_be32(M + 4 * t); /* W[t] = M(i)_t, big-endian words (§3.1) */
  for (int t = 16; t < 64; t++)
    W[t] = sigma1(W[t - 2]) + W[t - 7] + sigma0(W[t - 15]) + W[t - 16];
  if (KL_TRACING(tr)) {
    for (int t = 0; t < 64; t++)
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

  /* Step 3: 64 rounds. */
  for (int t = 0; t < 64; t++) {
    T1 = h + Sigma1(e) + Ch(e, f, g) + kli_sha256_K[t] + W[t];
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
  if (KL_TRACING(tr)) {
    uint8_t Hi[32];
    for (int j = 0; j < 8; j++)
      kli_store_be32(Hi + 4 * j, H[j]);
    KL_TRACE(tr, "H", i, Hi, sizeof Hi);
  }

  /* The schedule and the working variables derive from the message, which may
   * be a secret (an HMAC key block): wipe them. */
  kl_wipe(W, sizeof W);
}

void kli_sha256_compress_ref(uint32_t H[8], const uint8_t *blocks, size_t nblocks, uint64_t first,
                             const kl_tracer *tr)
{
  for (size_t n = 0; n < nblocks; n++)
    compress_block(H, blocks + 64 * n, (int)(first + n), tr);
}

/* ---- the life cycle ---- */

_Static_assert(KL_SHA256_BLOCK_BYTES == KLI_MD_BLOCK_BYTES, "md_buffer.c parses 64-byte blocks");

/* kli_md_compress_fn for md_buffer.c: one or more whole blocks through the
 * path the context asks for (the readable one whenever a tracer is attached).
 * first is the number of the first block, counted from 1 as in the standard. */
static void process(void *c, const uint8_t *blocks, size_t nblocks, uint64_t first)
{
  kl_sha256_ctx *ctx = c;
  if (ctx->tracer != NULL)
    kli_sha256_compress_ref(ctx->H, blocks, nblocks, first, ctx->tracer);
  else
    kli_sha256_compress_fast(ctx->H, blocks, nblocks);
}

void kl_sha256_init(kl_sha256_ctx *ctx)
{
  /* §5.3.3: the initial hash value H(0). */
  memcpy(ctx->H, kli_sha256_H0, sizeof ctx->H);
  memset(ctx->block, 0, sizeof ctx->block);
  ctx->block_len = 0;
  ctx->total_len = 0;
  ctx->tracer = NULL;
}

void kl_sha256_set_tracer(kl_sha256_ctx *ctx, const kl_tracer *tr)
{
  ctx->tracer = tr;
}

void kl_sha256_update(kl_sha256_ctx *ctx, const uint8_t *data, size_t len)
{
  /* §5.2.1: parse the message into 512-bit blocks M(1), M(2), ...; the partial
   * one waits in ctx->block (md_buffer.c, shared with SHA-1). */
  kli_md_parse_message(ctx->block, KLI_MD_BLOCK_BYTES, &ctx->block_len, &ctx->total_len, data, len,
                       process, ctx);
}

/* Pad, then write the leftmost nwords words of H(N) and wipe ctx. */
static void finish(kl_sha256_ctx *ctx, uint8_t *out, int nwords)
{
  /* §5.1.1: append the bit "1", then k zero bits with l + 1 + k = 448 mod 512,
   * then l, the message length in bits, as a 64-bit big-endian integer, and
   * process the last one or two blocks (md_buffer.c, shared with SHA-1).
   *   ... message tail | 80 | 00 ... 00 | l (8 bytes) | */
  kli_md_pad_message(ctx->block, KLI_MD_BLOCK_BYTES, ctx->block_len, ctx->total_len, process, ctx);

  /* §6.2.2: the digest is H(N)_0 || ... || H(N)_7 (SHA-224, §6.3: H(N)_0 ..
   * H(N)_6, the leftmost 224 bits). */
  for (int j = 0; j < nwords; j++)
    kli_store_be32(out + 4 * j, ctx->H[j]);
  kl_wipe(ctx, sizeof *ctx);
}

void kl_sha256_final(kl_sha256_ctx *ctx, uint8_t out[KL_SHA256_DIGEST_BYTES])
{
  finish(ctx, out, 8);
}

void kl_sha256(uint8_t out[KL_SHA256_DIGEST_BYTES], const uint8_t *data, size_t len)
{
  kl_sha256_ctx ctx;
  kl_sha256_init(&ctx);
  kl_sha256_update(&ctx, data, len);
  kl_sha256_final(&ctx, out);
}

/* ---- SHA-224, §6.3: SHA-256 with §5.3.2's H(0), truncated to 224 bits ---- */

void kl_sha224_init(kl_sha256_ctx *ctx)
{
  kl_sha256_init(ctx);
  memcpy(ctx->H, kli_sha224_H0, sizeof ctx->H);
}

void kl_sha224_final(kl_sha256_ctx *ctx, uint8_t out[KL_SHA224_DIGEST_BYTES])
{
  finish(ctx, out, 7);
}

void kl_sha224(uint8_t out[KL_SHA224_DIGEST_BYTES], const uint8_t *data, size_t len)
{
  kl_sha256_ctx ctx;
  kl_sha224_init(&ctx);
  kl_sha256_update(&ctx, data, len);
  kl_sha224_final(&ctx, out);
}
