/* test_rsa.c: the RSA layer. Wikipedia's n = 3233 example (values from
 * vectors/rsa-wikipedia-3233.txt), the NIST KeyGenRSA.rsp file through the
 * same handler as `kexlab vectors`, key generation against GMP oracles, the
 * private operation on every path (CRT or not, blinded or not) against
 * mpz_powm, the fault check, validation naming the failed check, bad input,
 * and the wipe of a cleared key. The 200-key property test is in
 * test_rsa_slow.c. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gmp_alloc_internal.h"
#include "formats.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vecfile.h"

/* ---- the n = 3233 example ---- */

static void wiki(mpz_t x, const char *name)
{
  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("rsa-wikipedia-3233.txt")), 0);
  ck_assert_int_eq(vecfile_next(&vf), 1);
  const char *v = vecfile_get(&vf, name);
  ck_assert_msg(v != NULL, "no %s in the file", name);
  ck_assert_int_eq(mpz_set_str(x, v, 10), 0);
  vecfile_close(&vf);
}

START_TEST(wikipedia_3233)
{
  mpz_t p, q, e, m, c, x, y;
  mpz_inits(p, q, e, m, c, x, y, NULL);
  wiki(p, "p");
  wiki(q, "q");
  wiki(e, "e");
  wiki(m, "m");
  wiki(c, "c");
  for (int phi = 0; phi <= 1; phi++) {
    /* Current Wikipedia reduces d by lambda(n) = 780 (d = 413); older texts
     * by phi(n) = 3120 (d = 2753). Both decrypt, since lambda divides phi. */
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, phi ? KL_RSA_KEYGEN_PHI : 0, NULL), KL_OK);
    wiki(x, "n");
    ck_assert(mpz_cmp(key.n, x) == 0);
    wiki(x, phi ? "d_phi" : "d");
    ck_assert(mpz_cmp(key.d, x) == 0);
    wiki(x, "dP");
    ck_assert(mpz_cmp(key.dP, x) == 0);
    wiki(x, "dQ");
    ck_assert(mpz_cmp(key.dQ, x) == 0);
    wiki(x, "qInv");
    ck_assert(mpz_cmp(key.qInv, x) == 0);
    kl_rsa_pub pub;
    kl_rsa_pub_init(&pub);
    kl_rsa_priv_to_pub(&pub, &key);
    ck_assert_int_eq(kl_rsa_public(&pub, y, m), KL_OK);
    ck_assert(mpz_cmp(y, c) == 0);
    th_prng pr;
    kl_rng rng;
    th_prng_rng_init(&rng, &pr, 10);
    for (unsigned flags = 0; flags < 8; flags++) {
      ck_assert_int_eq(kl_rsa_private(&key, &rng, flags, NULL, y, c), KL_OK);
      ck_assert_msg(mpz_cmp(y, m) == 0, "flags %u", flags);
    }
    kl_rsa_pub_clear(&pub);
    kl_rsa_priv_clear(&key);
  }
  mpz_clears(p, q, e, m, c, x, y, NULL);
}
END_TEST

START_TEST(wikipedia_3233_crt_trace)
{
  mpz_t p, q, e, c, y, x;
  mpz_inits(p, q, e, c, y, x, NULL);
  wiki(p, "p");
  wiki(q, "q");
  wiki(e, "e");
  wiki(c, "c");
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_OK);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  ck_assert_int_eq(kl_rsa_private(&key, NULL, KL_RSA_NO_BLINDING, &tr, y, c), KL_OK);
  /* RFC 8017 §5.1.2 step 2.b: m_1, m_2 and h, traced once each (index -1). */
  static const char *const names[3][2] = {{"m1", "m_1"}, {"m2", "m_2"}, {"h", "h"}};
  for (int i = 0; i < 3; i++) {
    const char *traced = th_trace_rec_decimal(&rec, names[i][1], -1);
    ck_assert_msg(traced != NULL, "%s was not traced", names[i][1]);
    wiki(x, names[i][0]);
    ck_assert_int_eq(mpz_cmp_ui(x, strtoul(traced, NULL, 10)), 0);
  }
  th_trace_rec_free(&rec);
  kl_rsa_priv_clear(&key);
  mpz_clears(p, q, e, c, y, x, NULL);
}
END_TEST

/* ---- NIST KeyGenRSA.rsp (the `kexlab vectors` format) ---- */

START_TEST(keygen_rsp)
{
  vec_result r;
  const char *path = th_vector_path("nist/rsa/KeyGenRSA.rsp");
  vec_result_init(&r, path, stderr);
  const vec_format *format = vec_format_find_in("rsa", path, "KeyGenRSA.rsp");
  ck_assert_ptr_nonnull(format);
  format->run(path, "KeyGenRSA.rsp", &r);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_uint_eq(r.passed, 30);
  ck_assert_uint_eq(r.failed, 0);
  ck_assert_uint_eq(r.skipped, 0);
}
END_TEST

/* ---- key generation ---- */

static void check_generated(const kl_rsa_priv *key, unsigned nlen, int phi)
{
  ck_assert_uint_eq(mpz_sizeinbase(key->n, 2), nlen);
  ck_assert_int_ne(mpz_probab_prime_p(key->p, 50), 0);
  ck_assert_int_ne(mpz_probab_prime_p(key->q, 50), 0);
  mpz_t t, p1, q1, lambda, phin;
  mpz_inits(t, p1, q1, lambda, phin, NULL);
  mpz_mul(t, key->p, key->q);
  ck_assert(mpz_cmp(t, key->n) == 0);
  mpz_sub_ui(p1, key->p, 1);
  mpz_sub_ui(q1, key->q, 1);
  mpz_lcm(lambda, p1, q1); /* oracle */
  mpz_mul(phin, p1, q1);
  mpz_mul(t, key->e, key->d);
  mpz_mod(t, t, lambda);
  ck_assert_int_eq(mpz_cmp_ui(t, 1), 0); /* e*d = 1 mod lambda(n) */
  ck_assert(mpz_cmp(key->d, phi ? phin : lambda) < 0);
  ck_assert_uint_gt(mpz_sizeinbase(key->d, 2), nlen / 2);
  mpz_invert(t, key->q, key->p);
  ck_assert(mpz_cmp(t, key->qInv) == 0);
  mpz_mod(t, key->d, p1);
  ck_assert(mpz_cmp(t, key->dP) == 0);
  mpz_sub(t, key->p, key->q);
  mpz_abs(t, t);
  ck_assert_uint_gt(mpz_sizeinbase(t, 2), nlen / 2 - 100);
  mpz_clears(t, p1, q1, lambda, phin, NULL);
}

START_TEST(keygen_default_2048)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 11);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 0, NULL, 0, NULL), KL_OK);
  check_generated(&key, 2048, 0);
  ck_assert_int_eq(mpz_cmp_ui(key.e, 65537), 0);
  kl_rsa_check_report rep;
  ck_assert_int_eq(kl_rsa_priv_check(&rep, &key, &rng), KL_OK);
  ck_assert_int_eq(rep.usable, 1);
  ck_assert_int_eq(rep.fips, 1);
  ck_assert_int_eq(rep.d_mod, KL_RSA_D_LAMBDA);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(keygen_phi_and_small_e)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 12);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  mpz_t e;
  mpz_init_set_ui(e, 3);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, e, KL_RSA_KEYGEN_PHI, NULL), KL_OK);
  check_generated(&key, 1024, 1);
  kl_rsa_check_report rep;
  ck_assert_int_eq(kl_rsa_priv_check(&rep, &key, &rng), KL_OK);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_E_FIPS], KL_RSA_CHECK_FAIL); /* e = 3 < 2^16 */
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_NLEN], KL_RSA_CHECK_FAIL);   /* 1024 < 2048 */
  ck_assert_int_eq(rep.fips, 0);
  /* d mod phi: reported as such unless it happens to be below lambda */
  ck_assert(rep.d_mod == KL_RSA_D_PHI || rep.d_mod == KL_RSA_D_LAMBDA);
  kl_rsa_priv_clear(&key);
  kl_rsa_priv_init(&key);
  /* bad arguments */
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1000, NULL, 0, NULL), KL_ERR_KEY_LEN);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1025, NULL, 0, NULL), KL_ERR_KEY_LEN);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 8194, NULL, 0, NULL), KL_ERR_KEY_LEN);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 512, NULL, 0, NULL), KL_ERR_KEY_LEN);
  mpz_set_ui(e, 4);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, e, 0, NULL), KL_ERR_ARG);
  mpz_set_ui(e, 1);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, e, 0, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_keygen(&key, NULL, 1024, NULL, 0, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, NULL, 64, NULL), KL_ERR_ARG);
  mpz_clear(e);
  kl_rsa_priv_clear(&key);
}
END_TEST

/* ---- the private operation ---- */

START_TEST(private_paths_agree_with_powm)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 13);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  mpz_t c, m, M;
  mpz_inits(c, m, M, NULL);
  static const unsigned sizes[] = {512, 1024, 1536, 2048};
  for (size_t k = 0; k < 4; k++) {
    ck_assert_int_eq(kl_rsa_keygen(&key, &rng, sizes[k], NULL, KL_RSA_KEYGEN_ALLOW_SMALL, NULL),
                     KL_OK);
    for (int i = 0; i < 6; i++) {
      uint8_t buf[256];
      th_prng_bytes(&pr, buf, sizeof buf);
      kl_os2ip(c, buf, sizeof buf);
      mpz_mod(c, c, key.n);
      if (i == 0)
        mpz_set_ui(c, 0); /* the edges: 0, 1, n - 1 */
      if (i == 1)
        mpz_set_ui(c, 1);
      if (i == 2)
        mpz_sub_ui(c, key.n, 1);
      mpz_powm(M, c, key.d, key.n); /* oracle */
      for (unsigned flags = 0; flags < 8; flags++) {
        ck_assert_int_eq(kl_rsa_private(&key, &rng, flags, NULL, m, c), KL_OK);
        ck_assert_msg(mpz_cmp(m, M) == 0, "%u bits, case %d, flags %u", sizes[k], i, flags);
      }
    }
  }
  /* p < q works too (RFC 8017 does not order the primes) */
  mpz_swap(key.p, key.q);
  mpz_swap(key.dP, key.dQ);
  mpz_invert(key.qInv, key.q, key.p);
  mpz_set_ui(c, 12345);
  mpz_powm(M, c, key.d, key.n);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, m, c), KL_OK);
  ck_assert(mpz_cmp(m, M) == 0);
  mpz_clears(c, m, M, NULL);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(fault_check_catches_bad_crt)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 14);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, NULL, 0, NULL), KL_OK);
  mpz_t c, m, t, g;
  mpz_inits(c, m, t, g, NULL);
  mpz_set_ui(c, 424242);
  /* A fault in one half of the CRT: dP off by 2 (still in range). */
  mpz_sub_ui(key.dP, key.dP, 2);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, m, c), KL_ERR_INTERNAL);
  /* Without the check, the faulty result factors n (Boneh-DeMillo-Lipton):
   * gcd(m^e - c, n) = q, because m is still right mod q. */
  ck_assert_int_eq(kl_rsa_private(&key, &rng, KL_RSA_NO_VERIFY, NULL, m, c), KL_OK);
  mpz_powm(t, m, key.e, key.n);
  mpz_sub(t, t, c);
  mpz_gcd(g, t, key.n);
  ck_assert(mpz_cmp(g, key.q) == 0);
  mpz_clears(c, m, t, g, NULL);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(bad_input)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 15);
  mpz_t p, q, e, x, y;
  mpz_inits(p, q, e, x, y, NULL);
  mpz_set_ui(p, 61);
  mpz_set_ui(q, 53);
  mpz_set_ui(e, 17);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_OK);
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &key);
  /* m >= n and m < 0 */
  mpz_set_ui(x, 3233);
  ck_assert_int_eq(kl_rsa_public(&pub, y, x), KL_ERR_RANGE);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, y, x), KL_ERR_RANGE);
  mpz_set_si(x, -1);
  ck_assert_int_eq(kl_rsa_public(&pub, y, x), KL_ERR_RANGE);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, y, x), KL_ERR_RANGE);
  /* blinding needs a generator; unknown flags */
  mpz_set_ui(x, 5);
  ck_assert_int_eq(kl_rsa_private(&key, NULL, 0, NULL, y, x), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 8, NULL, y, x), KL_ERR_ARG);
  /* octets: wrong length */
  uint8_t in[3] = {0, 0, 5}, out[3];
  ck_assert_int_eq(kl_rsa_public_octets(&pub, out, in, 3), KL_ERR_LEN);
  ck_assert_int_eq(kl_rsa_public_octets(&pub, out, in, 2), KL_OK);
  ck_assert_int_eq(kl_rsa_private_octets(&key, &rng, out, in, 1), KL_ERR_LEN);
  /* from_pqe: p = q, e even, e = 1, e not coprime to lambda */
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, p, e, 0, NULL), KL_ERR_ARG);
  mpz_set_ui(e, 4);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_ERR_ARG);
  mpz_set_ui(e, 1);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_ERR_ARG);
  mpz_set_ui(e, 3); /* 3 | 60 = p - 1 */
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_ERR_NO_INVERSE);
  mpz_set_ui(p, 0);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL), KL_ERR_ARG);
  /* p = 9, q = 15 share the factor 3: d exists (e = 3, lambda = lcm(8, 14) = 56)
   * but qInv does not; a failure must leave nothing of d, p or q in the key. */
  kl_rsa_priv fresh;
  kl_rsa_priv_init(&fresh);
  mpz_set_ui(p, 9);
  mpz_set_ui(q, 15);
  mpz_set_ui(e, 3);
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&fresh, p, q, e, 0, NULL), KL_ERR_NO_INVERSE);
  ck_assert_int_eq(mpz_sgn(fresh.d), 0);
  ck_assert_int_eq(mpz_sgn(fresh.p), 0);
  ck_assert_int_eq(mpz_sgn(fresh.q), 0);
  ck_assert_int_eq(mpz_sgn(fresh.n), 0);
  kl_rsa_priv_clear(&fresh);
  kl_rsa_pub_clear(&pub);
  kl_rsa_priv_clear(&key);
  mpz_clears(p, q, e, x, y, NULL);
}
END_TEST

/* ---- validation ---- */

static kl_rsa_check_report check_key(const kl_rsa_priv *key, kl_err want)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 16);
  kl_rsa_check_report rep;
  ck_assert_int_eq(kl_rsa_priv_check(&rep, key, &rng), want);
  return rep;
}

START_TEST(validation_names_the_failure)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 17);
  kl_rsa_priv good, key;
  kl_rsa_priv_init(&good);
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen(&good, &rng, 2048, NULL, 0, NULL), KL_OK);
  kl_rsa_check_report rep = check_key(&good, KL_OK);
  for (int i = 0; i < KL_RSA_CHECK_COUNT; i++)
    ck_assert_int_eq(rep.status[i], KL_RSA_CHECK_PASS);

#define COPY()                                                                                     \
  do {                                                                                             \
    mpz_set(key.n, good.n);                                                                        \
    mpz_set(key.e, good.e);                                                                        \
    mpz_set(key.d, good.d);                                                                        \
    mpz_set(key.p, good.p);                                                                        \
    mpz_set(key.q, good.q);                                                                        \
    mpz_set(key.dP, good.dP);                                                                      \
    mpz_set(key.dQ, good.dQ);                                                                      \
    mpz_set(key.qInv, good.qInv);                                                                  \
  } while (0)
  /* n != p*q */
  COPY();
  mpz_add_ui(key.n, key.n, 2);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_N_PQ], KL_RSA_CHECK_FAIL);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_ED], KL_RSA_CHECK_PASS);
  /* p not prime: p + 2 (made consistent elsewhere is not needed to detect it) */
  COPY();
  mpz_add_ui(key.p, key.p, 2);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_P_PRIME],
                   mpz_probab_prime_p(key.p, 30) ? KL_RSA_CHECK_PASS : KL_RSA_CHECK_FAIL);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_N_PQ], KL_RSA_CHECK_FAIL);
  /* e = 1 */
  COPY();
  mpz_set_ui(key.e, 1);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_E_VALID], KL_RSA_CHECK_FAIL);
  /* dP, dQ, qInv wrong */
  COPY();
  mpz_sub_ui(key.dP, key.dP, 1);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_DP], KL_RSA_CHECK_FAIL);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_DQ], KL_RSA_CHECK_PASS);
  COPY();
  mpz_sub_ui(key.dQ, key.dQ, 1);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_DQ], KL_RSA_CHECK_FAIL);
  COPY();
  mpz_add_ui(key.qInv, key.qInv, 1);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_QINV], KL_RSA_CHECK_FAIL);
  /* out of range: dP = 0, d >= n */
  COPY();
  mpz_set_ui(key.dP, 0);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_RANGE], KL_RSA_CHECK_FAIL);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_N_PQ], KL_RSA_CHECK_SKIPPED);
  /* e*d != 1 */
  COPY();
  mpz_add_ui(key.d, key.d, 2);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_ED], KL_RSA_CHECK_FAIL);
  /* p = q: n = p^2 */
  COPY();
  mpz_set(key.q, key.p);
  mpz_mul(key.n, key.p, key.p);
  rep = check_key(&key, KL_ERR_KEY);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_P_NE_Q], KL_RSA_CHECK_FAIL);

  /* Policy failures on usable keys: p and q too close (Fermat), small d
   * (Wiener). Built through from_pqe so that everything else is right. */
  mpz_t q2, dsmall, lambda, p1, q1, e2;
  mpz_inits(q2, dsmall, lambda, p1, q1, e2, NULL);
  mpz_add_ui(q2, good.p, 1);
  mpz_nextprime(q2, q2); /* oracle: the next prime, a few hundred away */
  ck_assert_int_eq(kl_rsa_priv_from_pqe(&key, good.p, q2, good.e, 0, NULL), KL_OK);
  rep = check_key(&key, KL_OK);
  ck_assert_int_eq(rep.status[KL_RSA_CHECK_PQ_DISTANCE], KL_RSA_CHECK_FAIL);
  ck_assert_uint_lt(rep.pq_distance_bits, 20);
  ck_assert_int_eq(rep.fips, 0);
  /* d = a 256-bit prime, e = d^-1 mod lambda: a usable key, d far too small */
  mpz_sub_ui(p1, good.p, 1);
  mpz_sub_ui(q1, good.q, 1);
  mpz_lcm(lambda, p1, q1);
  mpz_set_ui(dsmall, 1);
  mpz_mul_2exp(dsmall, dsmall, 255);
  mpz_nextprime(dsmall, dsmall);
  ck_assert_int_ne(mpz_invert(e2, dsmall, lambda), 0);
  if (mpz_even_p(e2))
    mpz_add(e2, e2, lambda); /* lambda is even: e2 + lambda has the other parity... */
  if (mpz_odd_p(e2)) {
    mpz_set(key.n, good.n);
    mpz_set(key.p, good.p);
    mpz_set(key.q, good.q);
    mpz_set(key.qInv, good.qInv);
    mpz_set(key.e, e2);
    mpz_set(key.d, dsmall);
    mpz_mod(key.dP, dsmall, p1);
    mpz_mod(key.dQ, dsmall, q1);
    rep = check_key(&key, KL_OK);
    ck_assert_int_eq(rep.status[KL_RSA_CHECK_D_SIZE], KL_RSA_CHECK_FAIL);
    ck_assert_uint_eq(rep.d_bits, 256);
  }
  mpz_clears(q2, dsmall, lambda, p1, q1, e2, NULL);
  /* names and sources for every check */
  for (int i = 0; i < KL_RSA_CHECK_COUNT; i++) {
    ck_assert_str_ne(kl_rsa_check_name((kl_rsa_check_id)i), "unknown check");
    ck_assert(strlen(kl_rsa_check_source((kl_rsa_check_id)i)) > 0);
  }
  ck_assert_int_eq(kl_rsa_check_is_policy(KL_RSA_CHECK_NLEN), 1);
  ck_assert_int_eq(kl_rsa_check_is_policy(KL_RSA_CHECK_N_PQ), 0);
  kl_rsa_priv_clear(&good);
  kl_rsa_priv_clear(&key);
}
END_TEST

/* ---- wiping ---- */

static int nonzero_blocks;
static void free_hook(const void *block, size_t size)
{
  const uint8_t *b = block;
  for (size_t i = 0; i < size; i++) {
    if (b[i] != 0) {
      nonzero_blocks++;
      return;
    }
  }
}

START_TEST(clear_wipes)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 18);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, NULL, 0, NULL), KL_OK);
  nonzero_blocks = 0;
  kli_test_set_free_hook(free_hook);
  kl_rsa_priv_clear(&key);
  kli_test_set_free_hook(NULL);
  ck_assert_int_eq(nonzero_blocks, 0);
  const uint8_t *raw = (const uint8_t *)&key;
  for (size_t i = 0; i < sizeof key; i++)
    ck_assert_uint_eq(raw[i], 0);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("rsa");
  TCase *tc = tcase_create("wikipedia");
  tcase_add_test(tc, wikipedia_3233);
  tcase_add_test(tc, wikipedia_3233_crt_trace);
  suite_add_tcase(s, tc);
  tc = tcase_create("vectors");
  tcase_add_test(tc, keygen_rsp);
  suite_add_tcase(s, tc);
  tc = tcase_create("keygen");
  tcase_add_test(tc, keygen_default_2048);
  tcase_add_test(tc, keygen_phi_and_small_e);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("private");
  tcase_add_test(tc, private_paths_agree_with_powm);
  tcase_add_test(tc, fault_check_catches_bad_crt);
  tcase_add_test(tc, bad_input);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("validate");
  tcase_add_test(tc, validation_names_the_failure);
  tcase_add_test(tc, clear_wipes);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  return s;
}
