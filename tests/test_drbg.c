/* test_drbg.c: HMAC_DRBG (SP 800-90A Rev. 1 §10.1.2) beyond the CAVP files
 * (those run in test_hash_vectors.c): request and reseed limits, the kl_rng
 * adapter (large draws split into requests), kl_rng_seeded, wiping, errors. */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

static const uint8_t entropy[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

START_TEST(limits)
{
  kl_hmac_drbg d;
  uint8_t *buf = malloc(KL_HMAC_DRBG_MAX_REQUEST_BYTES + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_uint_eq(d.reseed_counter, 1);
  /* §10.1 Table 2: at most 2^19 bits per request. */
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, KL_HMAC_DRBG_MAX_REQUEST_BYTES, NULL, 0),
                   KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, KL_HMAC_DRBG_MAX_REQUEST_BYTES + 1, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_uint_eq(d.reseed_counter, 2);
  /* §10.1.2.5 step 1: past the reseed interval, generate refuses... */
  d.reseed_counter = KL_HMAC_DRBG_RESEED_INTERVAL + 1;
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, 16, NULL, 0), KL_ERR_RNG);
  /* ...until a reseed (§10.1.2.4 step 3: counter back to 1). */
  ck_assert_int_eq(kl_hmac_drbg_reseed(&d, entropy, 32, NULL, 0), KL_OK);
  ck_assert_uint_eq(d.reseed_counter, 1);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, 16, NULL, 0), KL_OK);
  kl_hmac_drbg_clear(&d);
  free(buf);
}
END_TEST

START_TEST(rng_adapter_splits_requests)
{
  /* A 70000-byte draw through kl_rng equals a 65536-byte request followed by
   * a 4464-byte request on a generator in the same state. */
  kl_hmac_drbg d1, d2;
  kl_rng rng;
  size_t n = 70000;
  uint8_t *a = malloc(n), *b = malloc(n);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d1, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d2, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  kl_hmac_drbg_rng(&rng, &d1);
  ck_assert_int_eq(kl_rng_fill(&rng, a, n), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d2, b, 65536, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d2, b + 65536, n - 65536, NULL, 0), KL_OK);
  ck_assert_mem_eq(a, b, n);
  /* and successive draws continue the stream, never repeat it */
  ck_assert_int_eq(kl_rng_fill(&rng, a, 32), KL_OK);
  ck_assert(memcmp(a, b, 32) != 0);
  free(a);
  free(b);
}
END_TEST

START_TEST(seeded_rng)
{
  kl_hmac_drbg d1, d2, d3;
  kl_rng r1, r2, r3;
  uint8_t a[100], b[100], c[100];
  const uint8_t s1[] = {0x00}, s2[] = {0x01};
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, s1, 1), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&r2, &d2, s1, 1), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&r3, &d3, s2, 1), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r1, a, sizeof a), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r2, b, sizeof b), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r3, c, sizeof c), KL_OK);
  ck_assert_mem_eq(a, b, sizeof a);
  ck_assert(memcmp(a, c, sizeof a) != 0);
  /* The documented construction: entropy = seed, nonce empty, fixed personalization. */
  kl_hmac_drbg d4;
  static const char pers[] = "kexlab seeded rng v1";
  ck_assert_int_eq(
    kl_hmac_drbg_instantiate(&d4, s1, 1, NULL, 0, (const uint8_t *)pers, sizeof pers - 1),
    KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d4, c, sizeof c, NULL, 0), KL_OK);
  ck_assert_mem_eq(a, c, sizeof a);
  /* Empty and NULL seeds are refused. */
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, s1, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, NULL, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rng_seeded(NULL, &d1, s1, 1), KL_ERR_ARG);
}
END_TEST

START_TEST(clear_wipes_and_errors)
{
  kl_hmac_drbg d;
  uint8_t out[8];
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, entropy, 16, NULL, 0), KL_OK);
  kl_hmac_drbg_clear(&d);
  const uint8_t *p = (const uint8_t *)&d;
  for (size_t i = 0; i < sizeof d; i++)
    ck_assert_uint_eq(p[i], 0);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(NULL, entropy, 32, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, NULL, 32, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 3, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, NULL, 8, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, 8, NULL, 2), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_reseed(&d, NULL, 2, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, 0, NULL, 0), KL_OK);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("drbg");
  TCase *tc = tcase_create("drbg");
  tcase_add_test(tc, limits);
  tcase_add_test(tc, rng_adapter_splits_requests);
  tcase_add_test(tc, seeded_rng);
  tcase_add_test(tc, clear_wipes_and_errors);
  suite_add_tcase(s, tc);
  return s;
}
