/* test_math.c: the math layer against GMP's own number theory as an oracle
 * (mpz_gcdext, mpz_invert, mpz_powm, mpz_probab_prime_p: tests only), the
 * n = 3233 worked example (golden traces), Miller-Rabin on known composites
 * that fool weaker tests and on known primes, prime generation, and
 * I2OSP/OS2IP (RFC 8017 §4.1, §4.2) with the "integer too large" error.
 * Random inputs come from th_prng: the seed is printed, KL_TEST_SEED replays. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"

/* ---- helpers ---- */

static void random_mpz(mpz_t x, th_prng *pr, unsigned bits)
{
  uint8_t buf[600];
  size_t n = (bits + 7) / 8;
  ck_assert_uint_le(n, sizeof buf);
  th_prng_bytes(pr, buf, n);
  kl_os2ip(x, buf, n);
  mpz_fdiv_r_2exp(x, x, bits);
}

/* ---- extended Euclid and the inverse ---- */

START_TEST(egcd_table_3120_17)
{
  /* d for Wikipedia's example: 17^-1 mod 3120, the table in egcd.c. */
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  mpz_t a, b, g, s, t;
  mpz_inits(a, b, g, s, t, NULL);
  mpz_set_ui(a, 3120);
  mpz_set_ui(b, 17);
  ck_assert_int_eq(kl_egcd(g, s, t, a, b, &tr), KL_OK);
  ck_assert_uint_eq(mpz_get_ui(g), 1);
  ck_assert_int_eq(mpz_get_si(s), 2);
  ck_assert_int_eq(mpz_get_si(t), -367);
  /* rows: q r s t */
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "q", 2), "183");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "r", 2), "9");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "t", 2), "-183");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "r", 4), "1");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "t", 4), "-367");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "r", 5), "0");
  ck_assert_ptr_null(th_trace_rec_decimal(&rec, "r", 6));
  mpz_t x;
  mpz_init(x);
  ck_assert_int_eq(kl_modinv(x, b, a, NULL), KL_OK);
  ck_assert_uint_eq(mpz_get_ui(x), 2753);
  mpz_set_ui(a, 780);
  ck_assert_int_eq(kl_modinv(x, b, a, NULL), KL_OK);
  ck_assert_uint_eq(mpz_get_ui(x), 413);
  mpz_clears(a, b, g, s, t, x, NULL);
  th_trace_rec_free(&rec);
}
END_TEST

START_TEST(egcd_and_inverse_vs_gmp)
{
  th_prng pr;
  th_prng_init(&pr, 1);
  mpz_t a, b, g, s, t, G, S, T, chk, x, X;
  mpz_inits(a, b, g, s, t, G, S, T, chk, x, X, NULL);
  for (int i = 0; i < 10000; i++) {
    /* Zero and one included, then random sizes up to 512 bits. */
    if (i < 9) {
      mpz_set_ui(a, (unsigned long)(i / 3));
      mpz_set_ui(b, (unsigned long)(i % 3));
    } else {
      random_mpz(a, &pr, 1 + (unsigned)th_prng_below(&pr, 512));
      random_mpz(b, &pr, 1 + (unsigned)th_prng_below(&pr, 512));
      if (i % 7 == 0)
        mpz_mul_ui(a, b, th_prng_below(&pr, 1000)); /* common factors */
    }
    ck_assert_int_eq(kl_egcd(g, s, t, a, b, NULL), KL_OK);
    mpz_gcdext(G, S, T, a, b); /* oracle */
    ck_assert_msg(mpz_cmp(g, G) == 0, "gcd differs at case %d", i);
    mpz_mul(chk, s, a);
    mpz_addmul(chk, t, b);
    ck_assert_msg(mpz_cmp(chk, g) == 0, "s*a + t*b != g at case %d", i);
    /* Euclid's coefficients are the small ones: |s| <= b/g, |t| <= a/g. */
    if (mpz_sgn(g) > 0) {
      mpz_fdiv_q(chk, b, g);
      ck_assert(mpz_cmpabs(s, chk) <= 0 || mpz_cmpabs_ui(s, 1) == 0);
      mpz_fdiv_q(chk, a, g);
      ck_assert(mpz_cmpabs(t, chk) <= 0 || mpz_cmpabs_ui(t, 1) == 0);
    }
    /* The inverse of a modulo b (b >= 2), against mpz_invert. */
    if (mpz_cmp_ui(b, 2) >= 0) {
      int exists = mpz_invert(X, a, b);
      kl_err err = kl_modinv(x, a, b, NULL);
      if (exists) {
        ck_assert_int_eq(err, KL_OK);
        ck_assert_msg(mpz_cmp(x, X) == 0, "inverse differs at case %d", i);
      } else {
        ck_assert_int_eq(err, KL_ERR_NO_INVERSE);
      }
    }
  }
  mpz_clears(a, b, g, s, t, G, S, T, chk, x, X, NULL);
}
END_TEST

/* The fast inverse (Lehmer, modinv_lehmer.c) against mpz_invert (oracle) and
 * the readable kl_modinv, on 10,000 pairs: sizes 1 to 4096 bits (Lehmer's
 * matrix only starts above 60 bits), negative and oversized a, common
 * factors, m = 2, and consecutive Fibonacci numbers (every quotient 1: the
 * longest run of Lehmer steps per matrix). */
START_TEST(modinv_lehmer_vs_gmp)
{
  th_prng pr;
  th_prng_init(&pr, 7);
  mpz_t a, m, x, X, y;
  mpz_inits(a, m, x, X, y, NULL);
  unsigned checked = 0, no_inverse = 0;
  for (int i = 0; i < 10000; i++) {
    if (i < 12) {
      /* a in {0, 1, 2, 3}, m in {2, 3, 4}. */
      mpz_set_ui(a, (unsigned long)(i % 4));
      mpz_set_ui(m, 2 + (unsigned long)(i / 4));
    } else if (i < 40) {
      mpz_fib2_ui(m, a, 60 + 100 * (unsigned long)(i - 12)); /* F(k), F(k-1) */
    } else {
      random_mpz(m, &pr, 2 + (unsigned)th_prng_below(&pr, 4095));
      random_mpz(a, &pr, 1 + (unsigned)th_prng_below(&pr, 4200));
      if (i % 5 == 0)
        mpz_neg(a, a);
      if (i % 11 == 0)
        mpz_mul_ui(a, a, 6); /* shares 2 or 3 with an even or 3k modulus */
      if (i % 13 == 0)
        mpz_mul(a, a, m); /* a = 0 mod m */
    }
    if (mpz_cmp_ui(m, 2) < 0)
      mpz_set_ui(m, 2);
    int exists = mpz_invert(X, a, m);
    kl_err err = kl_modinv_lehmer(x, a, m);
    if (exists) {
      ck_assert_msg(err == KL_OK, "case %d: %s", i, kl_strerror(err));
      ck_assert_msg(mpz_cmp(x, X) == 0, "inverse differs from mpz_invert at case %d", i);
      ck_assert_int_eq(kl_modinv(y, a, m, NULL), KL_OK);
      ck_assert_msg(mpz_cmp(x, y) == 0, "inverse differs from kl_modinv at case %d", i);
      checked++;
    } else {
      ck_assert_msg(err == KL_ERR_NO_INVERSE, "case %d: %s", i, kl_strerror(err));
      no_inverse++;
    }
  }
  /* Both outcomes were exercised, in numbers the generator makes likely. */
  ck_assert_uint_gt(no_inverse, 1000);
  ck_assert_uint_gt(checked, 5000);
  mpz_set_ui(m, 1);
  ck_assert_int_eq(kl_modinv_lehmer(x, a, m), KL_ERR_ARG);
  ck_assert_int_eq(kl_modinv_lehmer(x, NULL, m), KL_ERR_ARG);
  mpz_clears(a, m, x, X, y, NULL);
}
END_TEST

START_TEST(egcd_bad_input)
{
  mpz_t a, b, g;
  mpz_inits(a, b, g, NULL);
  mpz_set_si(a, -5);
  mpz_set_ui(b, 3);
  ck_assert_int_eq(kl_egcd(g, NULL, NULL, a, b, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_gcd(g, a, b), KL_ERR_ARG);
  ck_assert_int_eq(kl_egcd(g, NULL, NULL, NULL, b, NULL), KL_ERR_ARG);
  mpz_set_ui(a, 0);
  mpz_set_ui(b, 0);
  ck_assert_int_eq(kl_egcd(g, NULL, NULL, a, b, NULL), KL_OK);
  ck_assert_int_eq(mpz_sgn(g), 0);
  /* modinv: m < 2 and no inverse */
  mpz_set_ui(a, 3);
  mpz_set_ui(b, 1);
  ck_assert_int_eq(kl_modinv(g, a, b, NULL), KL_ERR_ARG);
  mpz_set_ui(b, 0);
  ck_assert_int_eq(kl_modinv(g, a, b, NULL), KL_ERR_ARG);
  mpz_set_ui(a, 6);
  mpz_set_ui(b, 9);
  ck_assert_int_eq(kl_modinv(g, a, b, NULL), KL_ERR_NO_INVERSE);
  mpz_set_si(a, -2); /* negative a is reduced first: -2 = 7 mod 9, 7*4 = 28 = 1 */
  ck_assert_int_eq(kl_modinv(g, a, b, NULL), KL_OK);
  ck_assert_uint_eq(mpz_get_ui(g), 4);
  mpz_clears(a, b, g, NULL);
}
END_TEST

/* ---- square-and-multiply ---- */

START_TEST(modexp_trace_65_17_3233)
{
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  mpz_t b, e, m, r;
  mpz_inits(b, e, m, r, NULL);
  mpz_set_ui(b, 65);
  mpz_set_ui(e, 17);
  mpz_set_ui(m, 3233);
  ck_assert_int_eq(kl_modexp(r, b, e, m, &tr), KL_OK);
  ck_assert_uint_eq(mpz_get_ui(r), 2790);
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "multiply", 4), "65");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "square", 3), "992");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "square", 2), "1232");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "square", 1), "1547");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "square", 0), "789");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "multiply", 0), "2790");
  ck_assert_ptr_null(th_trace_rec_decimal(&rec, "multiply", 1)); /* bit 1 is 0: no multiply */
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "bit", 4), "1");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "bit", 3), "0");
  mpz_clears(b, e, m, r, NULL);
  th_trace_rec_free(&rec);
}
END_TEST

START_TEST(modexp_vs_mpz_powm)
{
  th_prng pr;
  th_prng_init(&pr, 2);
  mpz_t b, e, m, r, R;
  mpz_inits(b, e, m, r, R, NULL);
  for (int i = 0; i < 300; i++) {
    /* sizes 1..4096 bits, the big ones less often (textbook is slow-ish) */
    unsigned bits = i < 20 ? 4096 - (unsigned)i * 100 : 1 + (unsigned)th_prng_below(&pr, 1024);
    random_mpz(m, &pr, bits);
    if (mpz_sgn(m) == 0)
      mpz_set_ui(m, 1);
    random_mpz(b, &pr, bits + 8);
    random_mpz(e, &pr, 1 + (unsigned)th_prng_below(&pr, bits));
    if (i % 10 == 0)
      mpz_set_ui(e, (unsigned long)(i % 3)); /* e = 0, 1, 2 */
    ck_assert_int_eq(kl_modexp(r, b, e, m, NULL), KL_OK);
    mpz_powm(R, b, e, m);
    ck_assert_msg(mpz_cmp(r, R) == 0, "modexp differs at case %d (%u bits)", i, bits);
  }
  mpz_set_si(e, -1);
  ck_assert_int_eq(kl_modexp(r, b, e, m, NULL), KL_ERR_ARG);
  mpz_set_ui(e, 3);
  mpz_set_ui(m, 0);
  ck_assert_int_eq(kl_modexp(r, b, e, m, NULL), KL_ERR_ARG);
  mpz_set_ui(m, 1);
  ck_assert_int_eq(kl_modexp(r, b, e, m, NULL), KL_OK);
  ck_assert_int_eq(mpz_sgn(r), 0);
  mpz_clears(b, e, m, r, R, NULL);
}
END_TEST

/* ---- Miller-Rabin ---- */

static kl_primality mr(const char *decimal, unsigned rounds)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 3);
  mpz_t w;
  mpz_init_set_str(w, decimal, 0);
  kl_primality v, v2;
  ck_assert_int_eq(kl_miller_rabin(&v, w, rounds, &rng, NULL), KL_OK);
  ck_assert_int_eq(kl_prime_test(&v2, w, &rng), KL_OK);
  ck_assert_msg(v == v2, "kl_prime_test and kl_miller_rabin disagree on %s", decimal);
  mpz_clear(w);
  return v;
}

START_TEST(mr_composites)
{
  /* Carmichael numbers: Fermat liars for every coprime base. */
  static const char *carmichael[] = {
    "561",   "1105",   "1729",      "2465",       "2821",         "6601",         "8911",
    "41041", "825265", "321197185", "5394826801", "232250619601", "9746347772161"};
  for (size_t i = 0; i < sizeof carmichael / sizeof carmichael[0]; i++)
    ck_assert_msg(mr(carmichael[i], 40) == KL_COMPOSITE, "%s", carmichael[i]);
  /* Strong pseudoprimes: 3215031751 to bases 2, 3, 5, 7; 3825123056546413051
   * to the first nine prime bases; 318665857834031151167461 to the first 12
   * prime bases; 3317044064679887385961981 to the first 13 (OEIS A014233). */
  static const char *spsp[] = {"2047",
                               "1373653",
                               "25326001",
                               "3215031751",
                               "2152302898747",
                               "3474749660383",
                               "341550071728321",
                               "3825123056546413051",
                               "318665857834031151167461",
                               "3317044064679887385961981"};
  for (size_t i = 0; i < sizeof spsp / sizeof spsp[0]; i++)
    ck_assert_msg(mr(spsp[i], 40) == KL_COMPOSITE, "%s", spsp[i]);
  /* Products of two large primes (found with the oracle mpz_nextprime). */
  th_prng pr;
  th_prng_init(&pr, 4);
  mpz_t a, b, n;
  mpz_inits(a, b, n, NULL);
  for (int i = 0; i < 10; i++) {
    random_mpz(a, &pr, 256 + 64 * (unsigned)i);
    random_mpz(b, &pr, 256 + 64 * (unsigned)i);
    mpz_nextprime(a, a);
    mpz_nextprime(b, b);
    mpz_mul(n, a, b);
    char *s = mpz_get_str(NULL, 10, n);
    ck_assert(mr(s, 5) == KL_COMPOSITE);
    void (*f)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &f);
    f(s, strlen(s) + 1);
  }
  mpz_clears(a, b, n, NULL);
  /* small and even values */
  ck_assert(mr("0", 1) == KL_COMPOSITE);
  ck_assert(mr("1", 1) == KL_COMPOSITE);
  ck_assert(mr("4", 1) == KL_COMPOSITE);
  ck_assert(mr("1000000", 1) == KL_COMPOSITE);
}
END_TEST

START_TEST(mr_primes)
{
  static const char *primes[] = {
    "2",
    "3",
    "5",
    "61",
    "53",
    "65537",
    "4294967291",
    /* Mersenne primes 2^127 - 1, 2^521 - 1, 2^607 - 1 */
    "170141183460469231731687303715884105727",
    "0x1ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    /* 2^255 - 19 (Curve25519), 2^130 - 5 (Poly1305), P-256's prime (FIPS 186-5 / SP 800-186) */
    "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed",
    "0x3fffffffffffffffffffffffffffffffb",
    "0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
  };
  for (size_t i = 0; i < sizeof primes / sizeof primes[0]; i++)
    ck_assert_msg(mr(primes[i], 20) == KL_PROBABLY_PRIME, "%s", primes[i]);
}
END_TEST

START_TEST(mr_rounds_table_b1)
{
  ck_assert_uint_eq(kl_mr_rounds_random(1024), 5);
  ck_assert_uint_eq(kl_mr_rounds_random(1536), 4);
  ck_assert_uint_eq(kl_mr_rounds_random(2048), 4);
  ck_assert_uint_eq(kl_mr_rounds_random(4096), 4);
  ck_assert_uint_ge(kl_mr_rounds_random(256), 56);
  ck_assert_uint_eq(KL_MR_ROUNDS_ADVERSARIAL, 64);
}
END_TEST

START_TEST(mr_bad_input)
{
  kl_rng rng;
  kl_rng_os(&rng);
  mpz_t w;
  mpz_init_set_si(w, -7);
  kl_primality v;
  ck_assert_int_eq(kl_miller_rabin(&v, w, 5, &rng, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_prime_test(&v, w, &rng), KL_ERR_ARG);
  mpz_set_ui(w, 7);
  ck_assert_int_eq(kl_miller_rabin(&v, w, 0, &rng, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_miller_rabin(&v, w, 5, NULL, NULL), KL_ERR_ARG);
  /* an empty generator fails cleanly */
  kl_rng_replay_state st;
  kl_rng dry;
  kl_rng_replay(&dry, &st, NULL, 0);
  mpz_set_str(w, "170141183460469231731687303715884105727", 10);
  ck_assert_int_eq(kl_miller_rabin(&v, w, 5, &dry, NULL), KL_ERR_RNG);
  mpz_clear(w);
}
END_TEST

/* The strong pseudoprimes of Pomerance, Selfridge and Wagstaff (Math. Comp.
 * 35 (1980)) and Jaeschke (Math. Comp. 61 (1993)): the smallest odd
 * composites that pass the first k prime bases; the next prime base exposes
 * each. kl_miller_rabin_bases must agree, and trace B.3.1's branch. */
START_TEST(mr_fixed_bases)
{
  static const struct {
    const char *w;
    unsigned k; /* passes bases 2, 3, ..., the k-th prime */
  } spsp[] = {
    {"2047", 1},
    {"1373653", 2},
    {"25326001", 3},
    {"3215031751", 4},
  };
  static const unsigned long bases[] = {2, 3, 5, 7, 11};
  mpz_t w;
  mpz_init(w);
  for (size_t i = 0; i < sizeof spsp / sizeof spsp[0]; i++) {
    kl_primality v;
    mpz_set_str(w, spsp[i].w, 10);
    ck_assert_int_eq(kl_miller_rabin_bases(&v, w, bases, spsp[i].k, NULL), KL_OK);
    ck_assert_msg(v == KL_PROBABLY_PRIME, "%s should pass its first %u bases", spsp[i].w,
                  spsp[i].k);
    ck_assert_int_eq(kl_miller_rabin_bases(&v, w, bases, spsp[i].k + 1, NULL), KL_OK);
    ck_assert_msg(v == KL_COMPOSITE, "%s should fail base %lu", spsp[i].w, bases[spsp[i].k]);
  }
  kl_primality v;
  mpz_set_ui(w, 2047);
#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
  /* 2047 - 1 = 2 * 1023 and 2^11 = 2048 = 1 (mod 2047): z = 2^1023 = 1. */
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  ck_assert_int_eq(kl_miller_rabin_bases(&v, w, bases, 2, &tr), KL_OK);
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "a", -1), "1");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "m", -1), "1023");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "wlen", -1), "11");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "b", 1), "2");
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "z", 1), "1");
  const kl_trace_value *step = th_trace_rec_find(&rec, "step", 2);
  ck_assert_ptr_nonnull(step);
  ck_assert_int_eq(step->kind, KL_TRACE_TEXT);
  ck_assert(step->len == strlen("4.6: return COMPOSITE") &&
            memcmp(step->bytes, "4.6: return COMPOSITE", step->len) == 0);
  th_trace_rec_free(&rec);
#endif
  /* a base outside 1 < b < w-1 is refused */
  static const unsigned long edge[] = {2046};
  ck_assert_int_eq(kl_miller_rabin_bases(&v, w, edge, 1, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_miller_rabin_bases(&v, w, NULL, 1, NULL), KL_ERR_ARG);
  mpz_clear(w);
}
END_TEST

/* Trial division alone: decides small w, leaves large w to Miller-Rabin. */
START_TEST(trial_division_outcomes)
{
  static const struct {
    const char *w;
    int decided;
    kl_primality verdict;
  } cases[] = {
    {"0", 1, KL_COMPOSITE},
    {"2", 1, KL_PROBABLY_PRIME},
    {"561", 1, KL_COMPOSITE},
    {"65537", 1, KL_PROBABLY_PRIME},
    {"4293001429", 1, KL_PROBABLY_PRIME},
    /* the largest prime below 2^32 exceeds 65521^2, the square of the last
     * table prime: left to Miller-Rabin */
    {"4294967291", 0, KL_COMPOSITE},
    {"4294967297", 1, KL_COMPOSITE},          /* 641 * 6700417 (Euler) */
    {"2305843009213693951", 0, KL_COMPOSITE}, /* 2^61 - 1: no factor below 2^16 */
  };
  mpz_t w;
  mpz_init(w);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    kl_primality v;
    int decided;
    mpz_set_str(w, cases[i].w, 10);
    ck_assert_int_eq(kl_trial_division(&v, &decided, w, NULL), KL_OK);
    ck_assert_msg(decided == cases[i].decided, "%s: decided %d", cases[i].w, decided);
    if (decided)
      ck_assert_msg(v == cases[i].verdict, "%s: verdict %d", cases[i].w, (int)v);
  }
#if KL_WITH_TRACE
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_primality v;
  int decided;
  mpz_set_ui(w, 561);
  ck_assert_int_eq(kl_trial_division(&v, &decided, w, &tr), KL_OK);
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "divisor", -1), "3");
  th_trace_rec_free(&rec);
#endif
  mpz_clear(w);
}
END_TEST

/* ---- small primes and prime generation ---- */

START_TEST(small_prime_table)
{
  ck_assert_uint_eq(kl_small_primes_count(), 6541); /* pi(2^16) - 1 */
  ck_assert_uint_eq(kl_small_prime(0), 3);
  ck_assert_uint_eq(kl_small_prime(6540), 65521);
  ck_assert_uint_eq(kl_small_prime(6541), 0);
  mpz_t x;
  mpz_init(x);
  unsigned long prev = 2;
  for (size_t i = 0; i < kl_small_primes_count(); i++) {
    mpz_set_ui(x, prev);
    mpz_nextprime(x, x); /* oracle: the table has no gaps */
    ck_assert_uint_eq(mpz_get_ui(x), kl_small_prime(i));
    prev = kl_small_prime(i);
  }
  mpz_clear(x);
}
END_TEST

START_TEST(prime_random_sizes)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 5);
  mpz_t p, e, g, pm1;
  mpz_inits(p, e, g, pm1, NULL);
  mpz_set_ui(e, 65537);
  static const unsigned sizes[] = {16, 17, 24, 32, 64, 100, 256, 512, 1024};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    for (int rep = 0; rep < 3; rep++) {
      kl_prime_stats st;
      ck_assert_int_eq(kl_prime_random_stats(p, &rng, sizes[i], rep ? e : NULL, NULL, &st), KL_OK);
      ck_assert_uint_eq(mpz_sizeinbase(p, 2), sizes[i]);
      ck_assert(mpz_tstbit(p, sizes[i] - 2)); /* top two bits set */
      ck_assert_int_ne(mpz_probab_prime_p(p, 50), 0);
      ck_assert_uint_ge(st.mr_tests, 1);
      ck_assert_uint_ge(st.candidates, st.mr_tests);
      if (rep) {
        mpz_sub_ui(pm1, p, 1);
        mpz_gcd(g, pm1, e);
        ck_assert_uint_eq(mpz_get_ui(g), 1);
      }
    }
  }
  mpz_set_ui(e, 4);
  ck_assert_int_eq(kl_prime_random(p, &rng, 64, e, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_prime_random(p, &rng, 15, NULL, NULL), KL_ERR_ARG);
  ck_assert_int_eq(kl_prime_random(p, &rng, 8193, NULL, NULL), KL_ERR_ARG);
  mpz_clears(p, e, g, pm1, NULL);
}
END_TEST

static unsigned long progress_counts[128];
static void count_progress(void *user, char ev)
{
  (void)user;
  progress_counts[(unsigned char)ev & 127]++;
}

START_TEST(prime_random_progress)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 6);
  memset(progress_counts, 0, sizeof progress_counts);
  kl_progress prog = {count_progress, NULL};
  mpz_t p;
  mpz_init(p);
  kl_prime_stats st;
  ck_assert_int_eq(kl_prime_random_stats(p, &rng, 1024, NULL, &prog, &st), KL_OK);
  ck_assert_uint_eq(progress_counts['*'], 1);
  ck_assert_uint_eq(progress_counts['.'], st.mr_tests);
  /* '+' per passed round: all 5 of Table B.1 for the prime, and every round
   * but the failing one for each composite handed to Miller-Rabin. */
  ck_assert_uint_eq(progress_counts['+'], st.mr_rounds - (st.mr_tests - 1));
  ck_assert_uint_ge(st.mr_rounds, 5);
  mpz_clear(p);
}
END_TEST

/* ---- I2OSP / OS2IP ---- */

START_TEST(i2osp_os2ip)
{
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  uint8_t X[8];
  mpz_set_ui(x, 0x0102);
  ck_assert_int_eq(kl_i2osp(X, 4, x), KL_OK);
  th_assert_hex(X, 4, "00000102");
  kl_os2ip(y, X, 4);
  ck_assert(mpz_cmp(x, y) == 0);
  /* §4.1 step 1: x >= 256^xLen is "integer too large" */
  mpz_set_ui(x, 256);
  ck_assert_int_eq(kl_i2osp(X, 1, x), KL_ERR_RANGE);
  mpz_set_ui(x, 255);
  ck_assert_int_eq(kl_i2osp(X, 1, x), KL_OK);
  th_assert_hex(X, 1, "ff");
  mpz_set_ui(x, 0);
  ck_assert_int_eq(kl_i2osp(X, 0, x), KL_OK);
  ck_assert_int_eq(kl_i2osp(X, 3, x), KL_OK);
  th_assert_hex(X, 3, "000000");
  mpz_set_si(x, -1);
  ck_assert_int_eq(kl_i2osp(X, 3, x), KL_ERR_ARG);
  kl_os2ip(y, X, 0);
  ck_assert_int_eq(mpz_sgn(y), 0);
  mpz_clears(x, y, NULL);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("math");
  TCase *tc = tcase_create("euclid");
  tcase_add_test(tc, egcd_table_3120_17);
  tcase_add_test(tc, egcd_and_inverse_vs_gmp);
  tcase_add_test(tc, modinv_lehmer_vs_gmp);
  tcase_add_test(tc, egcd_bad_input);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  tc = tcase_create("modexp");
  tcase_add_test(tc, modexp_trace_65_17_3233);
  tcase_add_test(tc, modexp_vs_mpz_powm);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("primes");
  tcase_add_test(tc, mr_composites);
  tcase_add_test(tc, mr_primes);
  tcase_add_test(tc, mr_rounds_table_b1);
  tcase_add_test(tc, mr_bad_input);
  tcase_add_test(tc, mr_fixed_bases);
  tcase_add_test(tc, trial_division_outcomes);
  tcase_add_test(tc, small_prime_table);
  tcase_add_test(tc, prime_random_sizes);
  tcase_add_test(tc, prime_random_progress);
  tcase_set_timeout(tc, 120);
  suite_add_tcase(s, tc);
  tc = tcase_create("octets");
  tcase_add_test(tc, i2osp_os2ip);
  suite_add_tcase(s, tc);
  return s;
}
