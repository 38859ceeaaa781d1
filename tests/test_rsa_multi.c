/* test_rsa_multi.c: multi-prime keys (RFC 8017 §3.2, version 1), the
 * reused blinding pair and the fixed-length private operation, with GMP as
 * the oracle (m = c^d mod n by mpz_powm, never the code's own values):
 *  - kl_rsa_keygen_multi for u = 3 (1024 bits) and keys of 4 and 5
 *    primes made here from GMP's primes: a key
 *    that kl_rsa_priv_check passes whole (Miller-Rabin on every prime), and
 *    whose private operation on every path (CRT with the further primes,
 *    without CRT, without blinding) equals mpz_powm;
 *  - the trace of the further primes' CRT steps (m_3, h_3);
 *  - the limits of kl_rsa_max_primes and their refusals;
 *  - a fault in a further prime's exponent d_3 is caught by the fault check,
 *    and without the check the faulty result reveals r_3 (gcd);
 *  - a multi-prime key written as PKCS#1 and PKCS#8 (DER, PEM) reads back
 *    with every value; version 1 without otherPrimeInfos, and a sixth prime,
 *    are refused; .NET forms cannot carry it;
 *  - 70 operations on one key (the blinding pair squared 31 times, then
 *    drawn afresh, twice over) all equal mpz_powm; after the key's n
 *    changes in place the pair is drawn for the new key;
 *  - kli_rsa_decrypt_primitive_fixed writes exactly k octets, leading
 *    zeros kept, and refuses a C of the wrong length or >= n. */
#include <gmp.h>
#include <string.h>

#include "kexlab/keyfile.h"
#include "kexlab/rsa.h"
#include "rsa/rsa_internal.h"
#include "test_util.h"
#include "trace_rec.h"

/* x = a random integer of at most bits bits, from the test stream. */
static void th_mpz_random_bits(mpz_t x, th_prng *pr, unsigned bits)
{
  uint8_t buf[1100];
  size_t len = (bits + 7) / 8;
  th_prng_bytes(pr, buf, len);
  mpz_import(x, len, 1, 1, 0, 0, buf);
  mpz_fdiv_r_2exp(x, x, bits);
}

/* x = a random integer in [0, n). */
static void th_mpz_random_below(mpz_t x, th_prng *pr, const mpz_t n)
{
  th_mpz_random_bits(x, pr, (unsigned)mpz_sizeinbase(n, 2) + 64);
  mpz_mod(x, x, n);
}

static void expect_private_ok(const kl_rsa_priv *key, const kl_rng *rng, const mpz_t c)
{
  mpz_t want, m;
  mpz_inits(want, m, NULL);
  mpz_powm(want, c, key->d, key->n);
  static const unsigned flags[] = {0, KL_RSA_NO_CRT, KL_RSA_NO_BLINDING,
                                   KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY};
  for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
    ck_assert_int_eq(kl_rsa_private(key, rng, flags[i], NULL, m, c), KL_OK);
    ck_assert_msg(mpz_cmp(m, want) == 0, "flags %u: wrong result", flags[i]);
  }
  mpz_clears(want, m, NULL);
}

START_TEST(keygen_multi_and_private_op)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 31);
  static const struct {
    unsigned nlen, u;
  } cases[] = {{1024, 3}}; /* 2048/3 and 4096/4: interop-multiprime, with openssl */
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, cases[i].nlen, NULL, cases[i].u, 0, NULL),
                     KL_OK);
    ck_assert_uint_eq(kl_rsa_priv_primes(&key), cases[i].u);
    ck_assert_uint_eq(mpz_sizeinbase(key.n, 2), cases[i].nlen);
    kl_rsa_check_report rep;
    ck_assert_int_eq(kl_rsa_priv_check(&rep, &key, &rng), KL_OK);
    ck_assert_int_eq(rep.usable, 1);
    ck_assert_int_eq(rep.fips, 0); /* FIPS 186-5: two primes only */
    for (unsigned j = 0; j < key.n_other; j++) {
      ck_assert_int_eq(rep.other_prime[j], KL_RSA_CHECK_PASS);
      ck_assert_int_eq(rep.other_exp[j], KL_RSA_CHECK_PASS);
      ck_assert_int_eq(rep.other_coef[j], KL_RSA_CHECK_PASS);
    }
    ck_assert_int_eq(kl_rsa_priv_check_load(&rep, &key, &rng), KL_OK);
    ck_assert_int_eq(rep.test_op, KL_RSA_CHECK_PASS);
    mpz_t c;
    mpz_init(c);
    for (int k = 0; k < 3; k++) {
      th_mpz_random_below(c, &pr, key.n);
      expect_private_ok(&key, &rng, c);
    }
    mpz_set_ui(c, 0);
    expect_private_ok(&key, &rng, c);
    mpz_sub_ui(c, key.n, 1);
    expect_private_ok(&key, &rng, c);
    mpz_clear(c);
    kl_rsa_priv_clear(&key);
  }
}
END_TEST

/* A key of u primes of pbits bits each, made here from GMP's primes: the
 * values restated from RFC 8017 §3.2 independently of keygen.c. */
static void handmade_key(kl_rsa_priv *key, th_prng *pr, unsigned u, unsigned pbits)
{
  mpz_t r[KL_RSA_MAX_PRIMES], lambda, t, R;
  mpz_inits(lambda, t, R, NULL);
  for (unsigned i = 0; i < u; i++)
    mpz_init(r[i]);
  mpz_set_ui(key->e, 65537);
  do {
    mpz_set_ui(lambda, 1);
    for (unsigned i = 0; i < u; i++) {
      th_mpz_random_bits(r[i], pr, pbits);
      mpz_setbit(r[i], pbits - 1);
      mpz_nextprime(r[i], r[i]);
      mpz_sub_ui(t, r[i], 1);
      mpz_lcm(lambda, lambda, t);
    }
  } while (mpz_invert(key->d, key->e, lambda) == 0);
  mpz_set_ui(key->n, 1);
  for (unsigned i = 0; i < u; i++)
    mpz_mul(key->n, key->n, r[i]);
  mpz_set(key->p, r[0]);
  mpz_set(key->q, r[1]);
  mpz_sub_ui(t, r[0], 1);
  mpz_mod(key->dP, key->d, t);
  mpz_sub_ui(t, r[1], 1);
  mpz_mod(key->dQ, key->d, t);
  ck_assert(mpz_invert(key->qInv, r[1], r[0]) != 0);
  mpz_mul(R, r[0], r[1]);
  key->n_other = u - 2;
  for (unsigned i = 2; i < u; i++) {
    mpz_set(key->other[i - 2].r, r[i]);
    mpz_sub_ui(t, r[i], 1);
    mpz_mod(key->other[i - 2].d, key->d, t);
    ck_assert(mpz_invert(key->other[i - 2].t, R, r[i]) != 0);
    mpz_mul(R, R, r[i]);
  }
  for (unsigned i = 0; i < u; i++)
    mpz_clear(r[i]);
  mpz_clears(lambda, t, R, NULL);
}

/* Four and five primes, against
 * mpz_powm, and through the load check. */
START_TEST(four_and_five_primes)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 32);
  static const struct {
    unsigned u, pbits;
  } cases[] = {{4, 512}, {5, 400}, {5, 520}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    handmade_key(&key, &pr, cases[i].u, cases[i].pbits);
    mpz_t c;
    mpz_init(c);
    th_mpz_random_below(c, &pr, key.n);
    expect_private_ok(&key, &rng, c);
    kl_rsa_check_report rep;
    ck_assert_int_eq(kl_rsa_priv_check_load(&rep, &key, &rng), KL_OK);
    mpz_clear(c);
    kl_rsa_priv_clear(&key);
  }
}
END_TEST

/* The traced CRT of a 3-prime key: m_1, m_2, h, then m_3 and h_3, each
 * equal to its definition in RFC 8017 §5.1.2 step 2.b (computed here with
 * mpz on the blinded input), and the result m. */
START_TEST(trace_multi_prime)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 38);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  handmade_key(&key, &pr, 3, 400);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  mpz_t c, m, cb, want, x;
  mpz_inits(c, m, cb, want, x, NULL);
  th_mpz_random_below(c, &pr, key.n);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, &tr, m, c), KL_OK);
  const char *cbd = th_trace_rec_decimal(&rec, "c_blinded", -1);
  ck_assert_ptr_nonnull(cbd);
  ck_assert_int_eq(mpz_set_str(cb, cbd, 10), 0);
  /* m_3 = c'^d_3 mod r_3 */
  mpz_powm(want, cb, key.other[0].d, key.other[0].r);
  ck_assert_ptr_nonnull(th_trace_rec_decimal(&rec, "m_3", -1));
  ck_assert_int_eq(mpz_set_str(x, th_trace_rec_decimal(&rec, "m_3", -1), 10), 0);
  ck_assert(mpz_cmp(x, want) == 0);
  /* h_3 = (m_3 - m') t_3 mod r_3, m' = c'^d mod p*q */
  mpz_mul(x, key.p, key.q);
  mpz_powm(x, cb, key.d, x);
  mpz_sub(want, want, x);
  mpz_mul(want, want, key.other[0].t);
  mpz_mod(want, want, key.other[0].r);
  ck_assert_int_eq(mpz_set_str(x, th_trace_rec_decimal(&rec, "h_3", -1), 10), 0);
  ck_assert(mpz_cmp(x, want) == 0);
  mpz_powm(want, c, key.d, key.n);
  ck_assert(mpz_cmp(m, want) == 0);
  ck_assert_ptr_nonnull(th_trace_rec_find(&rec, "m_1", -1));
  ck_assert_ptr_nonnull(th_trace_rec_find(&rec, "h", -1));
  ck_assert_ptr_null(th_trace_rec_find(&rec, "m_4", -1));
  th_trace_rec_free(&rec);
  mpz_clears(c, m, cb, want, x, NULL);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(limits)
{
  ck_assert_uint_eq(kl_rsa_max_primes(512), 2);
  ck_assert_uint_eq(kl_rsa_max_primes(1024), 3);
  ck_assert_uint_eq(kl_rsa_max_primes(3072), 3);
  ck_assert_uint_eq(kl_rsa_max_primes(4096), 4);
  ck_assert_uint_eq(kl_rsa_max_primes(8190), 4);
  ck_assert_uint_eq(kl_rsa_max_primes(8192), 5);
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 33);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, 3072, NULL, 4, 0, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, 2048, NULL, 1, 0, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, 8192, NULL, 6, 0, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, 800, NULL, 3, 0, NULL), KL_ERR_KEY_LEN);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(fault_in_a_further_prime)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 34);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  handmade_key(&key, &pr, 3, 512);
  mpz_t c, m, t, g;
  mpz_inits(c, m, t, g, NULL);
  mpz_set_ui(c, 31337);
  mpz_sub_ui(key.other[0].d, key.other[0].d, 2);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, m, c), KL_ERR_INTERNAL);
  /* Unchecked, the result is right mod p*q only: gcd(m^e - c, n) = p*q. */
  ck_assert_int_eq(kl_rsa_private(&key, &rng, KL_RSA_NO_VERIFY, NULL, m, c), KL_OK);
  mpz_powm(t, m, key.e, key.n);
  mpz_sub(t, t, c);
  mpz_gcd(g, t, key.n);
  mpz_mul(t, key.p, key.q);
  ck_assert(mpz_cmp(g, t) == 0);
  /* The load check refuses it, naming d_3. */
  kl_rsa_check_report rep;
  ck_assert_int_eq(kl_rsa_priv_check_load(&rep, &key, &rng), KL_ERR_KEY);
  ck_assert_int_eq(rep.other_exp[0], KL_RSA_CHECK_FAIL);
  mpz_clears(c, m, t, g, NULL);
  kl_rsa_priv_clear(&key);
}
END_TEST

static int same_key(const kl_rsa_priv *a, const kl_rsa_priv *b)
{
  int ok = mpz_cmp(a->n, b->n) == 0 && mpz_cmp(a->e, b->e) == 0 && mpz_cmp(a->d, b->d) == 0 &&
           mpz_cmp(a->p, b->p) == 0 && mpz_cmp(a->q, b->q) == 0 && mpz_cmp(a->dP, b->dP) == 0 &&
           mpz_cmp(a->dQ, b->dQ) == 0 && mpz_cmp(a->qInv, b->qInv) == 0 && a->n_other == b->n_other;
  for (unsigned i = 0; ok && i < a->n_other; i++)
    ok = mpz_cmp(a->other[i].r, b->other[i].r) == 0 && mpz_cmp(a->other[i].d, b->other[i].d) == 0 &&
         mpz_cmp(a->other[i].t, b->other[i].t) == 0;
  return ok;
}

START_TEST(keyfile_round_trip)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 35);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen_multi(&key, &rng, 1024, NULL, 3, 0, NULL), KL_OK);
  static const kl_key_format fmts[] = {KL_KEY_PKCS1_PRIV_DER, KL_KEY_PKCS1_PRIV_PEM,
                                       KL_KEY_PKCS8_DER, KL_KEY_PKCS8_PEM};
  uint8_t out[8192];
  for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
    size_t len = sizeof out;
    ck_assert_int_eq(kl_rsa_priv_write(&key, fmts[i], out, &len), KL_OK);
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    ck_assert_int_eq(kl_rsa_keyfile_read(&kf, out, len, &rng), KL_OK);
    ck_assert_int_eq(kf.format, fmts[i]);
    ck_assert(same_key(&kf.priv, &key));
    kl_rsa_keyfile_clear(&kf);
  }
  size_t len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(&key, KL_KEY_DOTNET_XML, out, &len), KL_ERR_UNSUPPORTED);
  /* DER by hand: version 1, otherPrimeInfos at the end. */
  len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(&key, KL_KEY_PKCS1_PRIV_DER, out, &len), KL_OK);
  ck_assert_uint_eq(out[0], 0x30);
  size_t hdr = (out[1] & 0x80) ? 2 + (out[1] & 0x7f) : 2;
  ck_assert_uint_eq(out[hdr], 0x02);
  ck_assert_uint_eq(out[hdr + 1], 0x01);
  ck_assert_uint_eq(out[hdr + 2], 0x01); /* version multi(1) */
  /* A two-prime key keeps version 0. */
  kl_rsa_priv two;
  kl_rsa_priv_init(&two);
  ck_assert_int_eq(kl_rsa_keygen(&two, &rng, 1024, NULL, 0, NULL), KL_OK);
  size_t len2 = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(&two, KL_KEY_PKCS1_PRIV_DER, out, &len2), KL_OK);
  hdr = (out[1] & 0x80) ? 2 + (out[1] & 0x7f) : 2;
  ck_assert_uint_eq(out[hdr + 2], 0x00);
  /* Version 1 with no otherPrimeInfos: the two-prime DER with its version
   * octet changed. */
  out[hdr + 2] = 0x01;
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, out, len2, &rng), KL_ERR_ENCODING);
  ck_assert_ptr_nonnull(strstr(kf.detail, "otherPrimeInfos"));
  kl_rsa_keyfile_clear(&kf);
  kl_rsa_priv_clear(&two);
  kl_rsa_priv_clear(&key);
}
END_TEST

START_TEST(blinding_pair_reused_and_renewed)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 36);
  kl_rsa_priv key, other;
  kl_rsa_priv_init(&key);
  kl_rsa_priv_init(&other);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, NULL, 0, NULL), KL_OK);
  ck_assert_int_eq(kl_rsa_keygen(&other, &rng, 1024, NULL, 0, NULL), KL_OK);
  mpz_t c, m, want;
  mpz_inits(c, m, want, NULL);
  for (int i = 0; i < 70; i++) {
    th_mpz_random_below(c, &pr, key.n);
    mpz_powm(want, c, key.d, key.n);
    ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, m, c), KL_OK);
    ck_assert_msg(mpz_cmp(m, want) == 0, "use %d", i);
  }
  /* The same kl_rsa_priv filled with another key: the kept pair belongs to
   * the old n and must not be used. */
  mpz_swap(key.n, other.n);
  mpz_swap(key.d, other.d);
  mpz_swap(key.p, other.p);
  mpz_swap(key.q, other.q);
  mpz_swap(key.dP, other.dP);
  mpz_swap(key.dQ, other.dQ);
  mpz_swap(key.qInv, other.qInv);
  th_mpz_random_below(c, &pr, key.n);
  mpz_powm(want, c, key.d, key.n);
  ck_assert_int_eq(kl_rsa_private(&key, &rng, 0, NULL, m, c), KL_OK);
  ck_assert(mpz_cmp(m, want) == 0);
  mpz_clears(c, m, want, NULL);
  kl_rsa_priv_clear(&key);
  kl_rsa_priv_clear(&other);
}
END_TEST

START_TEST(fixed_length_output)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 37);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 1024, NULL, 0, NULL), KL_OK);
  const size_t k = 128;
  uint8_t C[128], EM[128], want[128];
  mpz_t m, c;
  mpz_inits(m, c, NULL);
  /* m with two leading zero octets: c = m^e; the private operation must
   * give I2OSP(m, k) with the zeros in place. */
  th_mpz_random_bits(m, &pr, 8 * 126 - 3);
  mpz_powm(c, m, key.e, key.n);
  ck_assert_int_eq(kl_i2osp(C, k, c), KL_OK);
  ck_assert_int_eq(kl_i2osp(want, k, m), KL_OK);
  memset(EM, 0xee, sizeof EM);
  ck_assert_int_eq(kli_rsa_decrypt_primitive_fixed(&key, &rng, EM, C, k), KL_OK);
  ck_assert_uint_eq(EM[0], 0);
  ck_assert_uint_eq(EM[1], 0);
  ck_assert_mem_eq(EM, want, k);
  /* Wrong length; c >= n: refused, EM zeroed. */
  ck_assert_int_eq(kli_rsa_decrypt_primitive_fixed(&key, &rng, EM, C, k - 1), KL_ERR_LEN);
  ck_assert_int_eq(kli_rsa_decrypt_primitive_fixed(&key, &rng, EM, C, 0), KL_ERR_LEN);
  ck_assert_int_eq(kl_i2osp(C, k, key.n), KL_OK);
  ck_assert_int_eq(kli_rsa_decrypt_primitive_fixed(&key, &rng, EM, C, k), KL_ERR_RANGE);
  for (size_t i = 0; i < k; i++)
    ck_assert_uint_eq(EM[i], 0);
  mpz_clears(m, c, NULL);
  kl_rsa_priv_clear(&key);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("rsa_multi");
  TCase *tc = tcase_create("multi");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, keygen_multi_and_private_op);
  tcase_add_test(tc, four_and_five_primes);
  tcase_add_test(tc, trace_multi_prime);
  tcase_add_test(tc, limits);
  tcase_add_test(tc, fault_in_a_further_prime);
  tcase_add_test(tc, keyfile_round_trip);
  tcase_add_test(tc, blinding_pair_reused_and_renewed);
  tcase_add_test(tc, fixed_length_output);
  suite_add_tcase(s, tc);
  return s;
}
