/* test_hkdf.c: HKDF (RFC 5869) properties beyond the Appendix A files (those
 * run in test_hash_vectors.c): the L limits of §2.3, the default salt of §2.2,
 * extract-then-expand == kl_hkdf, prefixes, argument errors. */
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

START_TEST(length_limits)
{
  uint8_t PRK[32], *OKM = malloc(255 * 32 + 1);
  const uint8_t ikm[] = "input keying material";
  ck_assert_ptr_nonnull(OKM);
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, PRK, NULL, 0, ikm, sizeof ikm), KL_OK);
  /* §2.3: L <= 255 * HashLen. */
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 255 * 32, PRK, 32, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 255 * 32 + 1, PRK, 32, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA1, OKM, 255 * 20 + 1, PRK, 20, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf(KL_HASH_SHA256, OKM, 255 * 32 + 1, NULL, 0, ikm, 3, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf(KL_HASH_SHA256, OKM, (size_t)-1, NULL, 0, ikm, 3, NULL, 0),
                   KL_ERR_LEN);
  /* L = 0 is a trivial, valid request. */
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, NULL, 0, PRK, 32, NULL, 0), KL_OK);
  free(OKM);
}
END_TEST

START_TEST(salt_default_and_composition)
{
  const uint8_t ikm[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const uint8_t info[] = {0xf0, 0xf1, 0xf2};
  uint8_t zeros[32], P1[32], P2[32], P3[32], a[100], b[100], c[60];
  memset(zeros, 0, sizeof zeros);
  for (int alg = KL_HASH_SHA1; alg <= KL_HASH_SHA256; alg++) {
    size_t H = kl_hash_digest_len((kl_hash_alg)alg);
    /* §2.2: "if not provided, salt is set to a string of HashLen zeros". */
    ck_assert_int_eq(kl_hkdf_extract((kl_hash_alg)alg, P1, NULL, 0, ikm, sizeof ikm), KL_OK);
    ck_assert_int_eq(kl_hkdf_extract((kl_hash_alg)alg, P2, zeros, H, ikm, sizeof ikm), KL_OK);
    ck_assert_mem_eq(P1, P2, H);
    /* PRK = HMAC-Hash(salt, IKM), literally. */
    ck_assert_int_eq(kl_hmac((kl_hash_alg)alg, P3, zeros, H, ikm, sizeof ikm), KL_OK);
    ck_assert_mem_eq(P1, P3, H);
    /* kl_hkdf is extract then expand; T(1) = HMAC(PRK, info || 0x01). */
    ck_assert_int_eq(kl_hkdf((kl_hash_alg)alg, a, sizeof a, NULL, 0, ikm, sizeof ikm, info,
                             sizeof info),
                     KL_OK);
    ck_assert_int_eq(
      kl_hkdf_expand((kl_hash_alg)alg, b, sizeof b, P1, H, info, sizeof info), KL_OK);
    ck_assert_mem_eq(a, b, sizeof a);
    uint8_t t1in[4];
    memcpy(t1in, info, 3);
    t1in[3] = 1;
    ck_assert_int_eq(kl_hmac((kl_hash_alg)alg, P3, P1, H, t1in, 4), KL_OK);
    ck_assert_mem_eq(a, P3, H);
    /* Shorter outputs are prefixes. */
    ck_assert_int_eq(
      kl_hkdf_expand((kl_hash_alg)alg, c, sizeof c, P1, H, info, sizeof info), KL_OK);
    ck_assert_mem_eq(a, c, sizeof c);
  }
}
END_TEST

START_TEST(argument_errors)
{
  uint8_t PRK[32], OKM[10];
  ck_assert_int_eq(kl_hkdf_extract((kl_hash_alg)0, PRK, NULL, 0, NULL, 0), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, NULL, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, PRK, NULL, 4, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, PRK, NULL, 0, NULL, 4), KL_ERR_ARG);
  /* Empty IKM is allowed. */
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, PRK, NULL, 0, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 10, NULL, 32, NULL, 0), KL_ERR_ARG);
  /* PRK shorter than HashLen is refused (§2.3: "at least HashLen octets"). */
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 10, PRK, 31, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 10, PRK, 32, NULL, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, NULL, 10, PRK, 32, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hkdf_expand((kl_hash_alg)9, OKM, 10, PRK, 32, NULL, 0),
                   KL_ERR_UNSUPPORTED);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("hkdf");
  TCase *tc = tcase_create("hkdf");
  tcase_add_test(tc, length_limits);
  tcase_add_test(tc, salt_default_and_composition);
  tcase_add_test(tc, argument_errors);
  suite_add_tcase(s, tc);
  return s;
}
