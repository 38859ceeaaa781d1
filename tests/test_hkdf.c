/* test_hkdf.c: HKDF (RFC 5869) properties beyond the Appendix A files (those
 * run in test_hash_vectors.c): the L limits of §2.3, the default salt of §2.2,
 * extract-then-expand == kl_hkdf, prefixes, argument errors, and the trace
 * (held line by line against Python in tests/cli/test_cli_hash.sh). */
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"

START_TEST(length_limits)
{
  uint8_t PRK[32], *OKM = malloc(255 * 32 + 1);
  const uint8_t ikm[] = "input keying material";
  ck_assert_ptr_nonnull(OKM);
  ck_assert_int_eq(kl_hkdf_extract(KL_HASH_SHA256, PRK, NULL, 0, ikm, sizeof ikm), KL_OK);
  /* §2.3: L <= 255 * HashLen. */
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 255 * 32, PRK, 32, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA256, OKM, 255 * 32 + 1, PRK, 32, NULL, 0), KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf_expand(KL_HASH_SHA1, OKM, 255 * 20 + 1, PRK, 20, NULL, 0), KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf(KL_HASH_SHA256, OKM, 255 * 32 + 1, NULL, 0, ikm, 3, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_int_eq(kl_hkdf(KL_HASH_SHA256, OKM, (size_t)-1, NULL, 0, ikm, 3, NULL, 0), KL_ERR_LEN);
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
    ck_assert_int_eq(
      kl_hkdf((kl_hash_alg)alg, a, sizeof a, NULL, 0, ikm, sizeof ikm, info, sizeof info), KL_OK);
    ck_assert_int_eq(kl_hkdf_expand((kl_hash_alg)alg, b, sizeof b, P1, H, info, sizeof info),
                     KL_OK);
    ck_assert_mem_eq(a, b, sizeof a);
    uint8_t t1in[4];
    memcpy(t1in, info, 3);
    t1in[3] = 1;
    ck_assert_int_eq(kl_hmac((kl_hash_alg)alg, P3, P1, H, t1in, 4), KL_OK);
    ck_assert_mem_eq(a, P3, H);
    /* Shorter outputs are prefixes. */
    ck_assert_int_eq(kl_hkdf_expand((kl_hash_alg)alg, c, sizeof c, P1, H, info, sizeof info),
                     KL_OK);
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
  ck_assert_int_eq(kl_hkdf_expand((kl_hash_alg)9, OKM, 10, PRK, 32, NULL, 0), KL_ERR_UNSUPPORTED);
}
END_TEST

#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
START_TEST(trace_of_the_steps)
{
  /* PRK (§2.2), then T(1) .. T(N) and OKM (§2.3), with N = ceil(L/HashLen);
   * each T(i) = HMAC-Hash(PRK, T(i-1) || info || i), recomputed here from
   * the traced values; OKM = the first L octets of T(1) || T(2) || ... */
  static const size_t Ls[3] = {1, 32, 82};
  const uint8_t ikm[22] = {0x0b, 0x0b, 0x0b}, salt[13] = {0, 1, 2}, info[10] = {0xf0, 0xf1};
  for (int a = 0; a < 2; a++) {
    kl_hash_alg alg = a == 0 ? KL_HASH_SHA1 : KL_HASH_SHA256;
    size_t HashLen = kl_hash_digest_len(alg);
    for (int l = 0; l < 3; l++) {
      size_t L = Ls[l], N = (L + HashLen - 1) / HashLen;
      th_trace_rec rec;
      th_trace_rec_init(&rec);
      kl_tracer tr = th_trace_rec_tracer(&rec);
      uint8_t PRK[32], OKM[82], plain[82], T[32];
      ck_assert_int_eq(kl_hkdf_extract_traced(alg, PRK, salt, sizeof salt, ikm, sizeof ikm, &tr),
                       KL_OK);
      ck_assert_int_eq(kl_hkdf_expand_traced(alg, OKM, L, PRK, HashLen, info, sizeof info, &tr),
                       KL_OK);
      ck_assert_int_eq(
        kl_hkdf(alg, plain, L, salt, sizeof salt, ikm, sizeof ikm, info, sizeof info), KL_OK);
      ck_assert_mem_eq(OKM, plain, L);
      ck_assert_uint_eq(rec.n, N + 2);
      ck_assert_str_eq(rec.at[0].v.label, "PRK");
      ck_assert_mem_eq(rec.at[0].v.bytes, PRK, HashLen);
      for (size_t i = 1; i <= N; i++) {
        const kl_trace_value *Ti = &rec.at[i].v;
        ck_assert_str_eq(Ti->label, "T");
        ck_assert_int_eq(Ti->index, (int)i);
        uint8_t input[32 + sizeof info + 1];
        size_t n = 0;
        if (i > 1) {
          memcpy(input, rec.at[i - 1].v.bytes, HashLen);
          n = HashLen;
        }
        memcpy(input + n, info, sizeof info);
        n += sizeof info;
        input[n++] = (uint8_t)i;
        ck_assert_int_eq(kl_hmac(alg, T, PRK, HashLen, input, n), KL_OK);
        ck_assert_mem_eq(Ti->bytes, T, HashLen);
        size_t off = (i - 1) * HashLen, take = L - off < HashLen ? L - off : HashLen;
        ck_assert_mem_eq(OKM + off, T, take);
      }
      ck_assert_str_eq(rec.at[N + 1].v.label, "OKM");
      ck_assert_uint_eq(rec.at[N + 1].v.len, L);
      ck_assert_mem_eq(rec.at[N + 1].v.bytes, OKM, L);
      th_trace_rec_free(&rec);
    }
  }
}
END_TEST
#endif

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("hkdf");
  TCase *tc = tcase_create("hkdf");
  tcase_add_test(tc, length_limits);
  tcase_add_test(tc, salt_default_and_composition);
  tcase_add_test(tc, argument_errors);
#if KL_WITH_TRACE
  tcase_add_test(tc, trace_of_the_steps);
#endif
  suite_add_tcase(s, tc);
  return s;
}
