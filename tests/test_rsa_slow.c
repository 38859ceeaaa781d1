/* test_rsa_slow.c: the RSA property test, suite 'slow'. For 200
 * random keys of 512 to 2048 bits (seeded; the seed is printed and
 * KL_TEST_SEED replays it): p and q pass mpz_probab_prime_p(., 50) (oracle),
 * e*d = 1 mod lambda(n), and encryption then decryption round-trips on all
 * four private paths (CRT or not, blinded or not), which all agree. */
#include <gmp.h>

#include "test_util.h"

START_TEST(two_hundred_keys)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 20);
  kl_rsa_priv key;
  kl_rsa_pub pub;
  mpz_t m, c, out, first, t, p1, q1, lambda;
  mpz_inits(m, c, out, first, t, p1, q1, lambda, NULL);
  for (int i = 0; i < 200; i++) {
    unsigned nlen = 512 + 2 * (unsigned)th_prng_below(&pr, (2048 - 512) / 2 + 1);
    kl_rsa_priv_init(&key);
    kl_rsa_pub_init(&pub);
    ck_assert_int_eq(kl_rsa_keygen(&key, &rng, nlen, NULL, KL_RSA_KEYGEN_ALLOW_SMALL, NULL), KL_OK);
    ck_assert_uint_eq(mpz_sizeinbase(key.n, 2), nlen);
    ck_assert_msg(mpz_probab_prime_p(key.p, 50) != 0, "key %d: p composite", i);
    ck_assert_msg(mpz_probab_prime_p(key.q, 50) != 0, "key %d: q composite", i);
    mpz_sub_ui(p1, key.p, 1);
    mpz_sub_ui(q1, key.q, 1);
    mpz_lcm(lambda, p1, q1);
    mpz_mul(t, key.e, key.d);
    mpz_mod(t, t, lambda);
    ck_assert_msg(mpz_cmp_ui(t, 1) == 0, "key %d: e*d != 1 mod lambda", i);
    kl_rsa_priv_to_pub(&pub, &key);
    uint8_t buf[256];
    th_prng_bytes(&pr, buf, sizeof buf);
    kl_os2ip(m, buf, sizeof buf);
    mpz_mod(m, m, key.n);
    ck_assert_int_eq(kl_rsa_public(&pub, c, m), KL_OK);
    static const unsigned paths[] = {0, KL_RSA_NO_CRT, KL_RSA_NO_BLINDING,
                                     KL_RSA_NO_CRT | KL_RSA_NO_BLINDING};
    for (size_t k = 0; k < 4; k++) {
      ck_assert_int_eq(kl_rsa_private(&key, &rng, paths[k], NULL, out, c), KL_OK);
      ck_assert_msg(mpz_cmp(out, m) == 0, "key %d (%u bits): path %u does not round-trip", i, nlen,
                    paths[k]);
      if (k == 0)
        mpz_set(first, out);
      ck_assert(mpz_cmp(out, first) == 0);
    }
    kl_rsa_pub_clear(&pub);
    kl_rsa_priv_clear(&key);
  }
  mpz_clears(m, c, out, first, t, p1, q1, lambda, NULL);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("rsa_slow");
  TCase *tc = tcase_create("property");
  tcase_add_test(tc, two_hundred_keys);
  tcase_set_timeout(tc, 900);
  suite_add_tcase(s, tc);
  return s;
}
