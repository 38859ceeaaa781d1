/* test_sha512.c: SHA-224 and the SHA-512 family (SHA-384, SHA-512,
 * SHA-512/224, SHA-512/256) beyond the vector files (those run in
 * test_hash_vectors.c): the constants recomputed from their definitions
 * (FIPS 180-4 §4.2.3, §5.3.2, §5.3.4, §5.3.5), the SHA-512/t IV generation
 * function of §5.3.6 against the H(0) values kexlab uses (§5.3.6.1,
 * §5.3.6.2), readable path == fast path, split updates == one shot, the
 * shape of the trace, and the wipe after final. */
#include <gmp.h>
#include <string.h>

#include "hash/hash_internal.h"
#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"

static const kl_hash_alg algs[5] = {KL_HASH_SHA224, KL_HASH_SHA384, KL_HASH_SHA512,
                                    KL_HASH_SHA512_224, KL_HASH_SHA512_256};

static unsigned long nth_prime_after(unsigned long p)
{
  for (unsigned long q = p + 1;; q++) {
    int prime = q >= 2;
    for (unsigned long d = 2; d * d <= q && prime; d++)
      prime = q % d != 0;
    if (prime)
      return q;
  }
}

/* floor(root_k(p * 2^shift)) mod 2^64: the first 64 bits of the fractional
 * part of p^(1/k) when shift = 64 k. */
static uint64_t frac_bits(unsigned long p, unsigned k, unsigned shift)
{
  mpz_t x, r, m;
  mpz_inits(x, r, m, NULL);
  mpz_set_ui(x, p);
  mpz_mul_2exp(x, x, shift);
  mpz_root(r, x, k);
  mpz_fdiv_r_2exp(r, r, 64);
  uint64_t v = 0;
  mpz_export(&v, NULL, -1, sizeof v, 0, 0, r); /* host order word */
  mpz_clears(x, r, m, NULL);
  return v;
}

START_TEST(constants_from_primes)
{
  unsigned long p = 1;
  for (int i = 0; i < 80; i++) {
    p = nth_prime_after(p);
    /* §4.2.3: cube roots of the first 80 primes */
    uint64_t K = frac_bits(p, 3, 192);
    ck_assert_msg(kli_sha512_K[i] == K, "K[%d] = %016llx, cube root of %lu gives %016llx", i,
                  (unsigned long long)kli_sha512_K[i], p, (unsigned long long)K);
    if (i < 8) /* §5.3.5: square roots of the first 8 primes */
      ck_assert_msg(kli_sha512_H0[i] == frac_bits(p, 2, 128), "SHA-512 H0[%d]", i);
    if (i >= 8 && i < 16) {
      /* §5.3.4: square roots of the 9th to 16th primes; §5.3.2 (SHA-224):
       * the second 32 bits of the same fractional parts. */
      uint64_t h = frac_bits(p, 2, 128);
      ck_assert_msg(kli_sha384_H0[i - 8] == h, "SHA-384 H0[%d]", i - 8);
      ck_assert_msg(kli_sha224_H0[i - 8] == (uint32_t)h, "SHA-224 H0[%d]", i - 8);
    }
  }
  ck_assert_uint_eq(p, 409); /* the 80th prime */
}
END_TEST

START_TEST(sha512_t_iv_generation)
{
  uint64_t H0[8];
  ck_assert_int_eq(kli_sha512_t_iv(224, H0), 0);
  ck_assert_mem_eq(H0, kli_sha512_224_H0, sizeof H0);
  ck_assert_int_eq(kli_sha512_t_iv(256, H0), 0);
  ck_assert_mem_eq(H0, kli_sha512_256_H0, sizeof H0);
  /* §5.3.6: t = 384 is SHA-384's own (not generated); t must be < 512. */
  ck_assert_int_eq(kli_sha512_t_iv(384, H0), -1);
  ck_assert_int_eq(kli_sha512_t_iv(512, H0), -1);
  ck_assert_int_eq(kli_sha512_t_iv(0, H0), -1);
}
END_TEST

/* The readable path: a silent tracer (fn NULL) sends every block through it. */
static void hash_ref(kl_hash_alg alg, uint8_t *out, const uint8_t *m, size_t n)
{
  static const kl_tracer silent = {NULL, NULL};
  kl_hash_ctx ctx;
  ck_assert_int_eq(kl_hash_init(&ctx, alg), KL_OK);
  kl_hash_set_tracer(&ctx, &silent);
  kl_hash_update(&ctx, m, n);
  kl_hash_final(&ctx, out);
}

START_TEST(ref_vs_fast)
{
  th_prng p;
  th_prng_init(&p, 0x512);
  uint8_t m[1200], a[64], b[64];
  for (int a_i = 0; a_i < 5; a_i++) {
    for (int i = 0; i < 120; i++) {
      size_t n = (size_t)th_prng_below(&p, sizeof m + 1);
      th_prng_bytes(&p, m, n);
      ck_assert_int_eq(kl_hash(algs[a_i], a, m, n), KL_OK);
      hash_ref(algs[a_i], b, m, n);
      ck_assert_mem_eq(a, b, kl_hash_digest_len(algs[a_i]));
    }
  }
  uint64_t H1[8], H2[8];
  for (int i = 0; i < 200; i++) {
    size_t nblocks = 1 + (size_t)th_prng_below(&p, 9);
    th_prng_bytes(&p, m, 128 * nblocks);
    th_prng_bytes(&p, (uint8_t *)H1, sizeof H1);
    memcpy(H2, H1, sizeof H1);
    kli_sha512_compress_ref(H1, m, nblocks, 1, NULL);
    kli_sha512_compress_fast(H2, m, nblocks);
    ck_assert_mem_eq(H1, H2, sizeof H1);
  }
}
END_TEST

START_TEST(split_update)
{
  static const size_t lengths[] = {0,   1,   111, 112, 113, 127,  128, 129,
                                   239, 240, 255, 256, 257, 1000, 4097};
  th_prng p;
  th_prng_init(&p, 0x2512);
  uint8_t m[5000], one[64], many[64];
  for (int a_i = 0; a_i < 5; a_i++) {
    size_t hLen = kl_hash_digest_len(algs[a_i]);
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0] + 15; li++) {
      size_t n = li < sizeof lengths / sizeof lengths[0] ? lengths[li]
                                                         : (size_t)th_prng_below(&p, sizeof m + 1);
      th_prng_bytes(&p, m, n);
      ck_assert_int_eq(kl_hash(algs[a_i], one, m, n), KL_OK);
      for (int rep = 0; rep < 2; rep++) {
        kl_hash_ctx ctx;
        ck_assert_int_eq(kl_hash_init(&ctx, algs[a_i]), KL_OK);
        size_t done = 0;
        while (done < n) {
          size_t c = (size_t)th_prng_below(&p, 260); /* 0..259, both block sizes crossed */
          if (c > n - done)
            c = n - done;
          kl_hash_update(&ctx, m + done, c);
          done += c;
        }
        kl_hash_final(&ctx, many);
        ck_assert_msg(memcmp(one, many, hLen) == 0, "%s, length %zu, split %d differs",
                      kl_hash_name(algs[a_i]), n, rep);
      }
    }
  }
}
END_TEST

#if KL_WITH_TRACE
/* The trace of a two-block SHA-384 message: H[0] (64 bytes), then per block
 * M[i] (128 bytes), W[0..79], T1, T2, a..h for t = 0..79 (8 bytes each) and
 * H[i]; the digest is the leftmost 48 bytes of the last H[i]. */
START_TEST(trace_shape)
{
  uint8_t m[200], d[48];
  memset(m, 0x61, sizeof m);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_sha512_ctx ctx;
  kl_sha384_init(&ctx);
  kl_sha512_set_tracer(&ctx, &tr);
  kl_sha512_update(&ctx, m, sizeof m);
  kl_sha384_final(&ctx, d);
  ck_assert_uint_eq(rec.n, 1 + 2 * (1 + 80 + 80 * 10 + 1));
  const kl_trace_value *H0 = th_trace_rec_find(&rec, "H", 0);
  ck_assert_ptr_nonnull(H0);
  ck_assert_uint_eq(H0->len, 64);
  uint8_t want[64];
  for (int j = 0; j < 8; j++) {
    for (int k = 0; k < 8; k++)
      want[8 * j + k] = (uint8_t)(kli_sha384_H0[j] >> (56 - 8 * k));
  }
  ck_assert_mem_eq(H0->bytes, want, 64);
  ck_assert_uint_eq(th_trace_rec_find(&rec, "M", 2)->len, 128);
  ck_assert_uint_eq(th_trace_rec_find(&rec, "W", 79)->len, 8);
  ck_assert_uint_eq(th_trace_rec_find(&rec, "h", 79)->len, 8);
  const kl_trace_value *H2 = th_trace_rec_find(&rec, "H", 2);
  ck_assert_ptr_nonnull(H2);
  ck_assert_mem_eq(H2->bytes, d, sizeof d);
  uint8_t fast[48];
  kl_sha384(fast, m, sizeof m);
  ck_assert_mem_eq(fast, d, sizeof d);
  th_trace_rec_free(&rec);
}
END_TEST
#endif

static int all_zero(const void *p, size_t n)
{
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) {
    if (b[i] != 0)
      return 0;
  }
  return 1;
}

START_TEST(context_zero_after_final)
{
  uint8_t m[300], out[64];
  memset(m, 0xa5, sizeof m);
  kl_sha512_ctx c;
  kl_sha512_init(&c);
  kl_sha512_update(&c, m, sizeof m);
  ck_assert(!all_zero(&c, sizeof c));
  kl_sha512_final(&c, out);
  ck_assert(all_zero(&c, sizeof c));
  kl_sha512_256_init(&c);
  kl_sha512_update(&c, m, 5);
  kl_sha512_256_final(&c, out);
  ck_assert(all_zero(&c, sizeof c));
  kl_sha256_ctx c224;
  kl_sha224_init(&c224);
  kl_sha256_update(&c224, m, sizeof m);
  kl_sha224_final(&c224, out);
  ck_assert(all_zero(&c224, sizeof c224));
}
END_TEST

START_TEST(names_and_lengths)
{
  static const struct {
    const char *name;
    kl_hash_alg alg;
    size_t hLen, block;
    const char *label;
  } t[] = {
    {"sha224", KL_HASH_SHA224, 28, 64, "SHA-224"},
    {"SHA-384", KL_HASH_SHA384, 48, 128, "SHA-384"},
    {"sha512", KL_HASH_SHA512, 64, 128, "SHA-512"},
    {"sha512-224", KL_HASH_SHA512_224, 28, 128, "SHA-512/224"},
    {"SHA-512/256", KL_HASH_SHA512_256, 32, 128, "SHA-512/256"},
    {"sha512/256", KL_HASH_SHA512_256, 32, 128, "SHA-512/256"},
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    kl_hash_alg alg;
    ck_assert_int_eq(kl_hash_from_name(t[i].name, &alg), KL_OK);
    ck_assert_int_eq(alg, t[i].alg);
    ck_assert_uint_eq(kl_hash_digest_len(alg), t[i].hLen);
    ck_assert_uint_eq(kl_hash_block_len(alg), t[i].block);
    ck_assert_str_eq(kl_hash_name(alg), t[i].label);
  }
  kl_hash_alg alg;
  ck_assert_int_eq(kl_hash_from_name("sha512-", &alg), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hash_from_name("sha-512-224", &alg), KL_ERR_UNSUPPORTED);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("sha512");
  TCase *tc = tcase_create("sha512");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, constants_from_primes);
  tcase_add_test(tc, sha512_t_iv_generation);
  tcase_add_test(tc, ref_vs_fast);
  tcase_add_test(tc, split_update);
#if KL_WITH_TRACE
  tcase_add_test(tc, trace_shape);
#endif
  tcase_add_test(tc, context_zero_after_final);
  tcase_add_test(tc, names_and_lengths);
  suite_add_tcase(s, tc);
  return s;
}
