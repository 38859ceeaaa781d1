/* attack_fermat.c: `kexlab demo attack fermat`: Fermat's factoring method
 * on a modulus whose primes are too close together (P. de Fermat, letter
 * to Mersenne, 1643; as an attack on RSA keys: H. Böck, "Fermat Factorization
 * in the Wild", IACR ePrint 2023/026).
 * Symbols: n = p*q, a = (p+q)/2, b = (p-q)/2, so n = a^2 - b^2.
 *
 * Why it works: a is just above sqrt(n), by (p-q)^2 / (8*sqrt(n)) roughly.
 * Start at a = ceil(sqrt(n)) and step a up by one until a^2 - n is a perfect
 * square b^2: then p = a + b, q = a - b. When p and q share their top half
 * bits the first few steps succeed.
 *
 * Weak: a lab key generation here (never in the library): q the next prime
 * after p + delta, delta of nlen/4 + 7 bits: about 2^11 steps.
 * Normal: kl_rsa_keygen, whose FIPS 186-5 §A.1.3 step 5.4 check
 * |p - q| > 2^(nlen/2 - 100) (src/rsa/keygen.c) leaves at least
 * 2^(nlen/2 - 203) steps; the same step budget finds nothing. */
#include <string.h>

#include "attack_rsa.h"

static const ark_spec spec = {
  "fermat",
  "p and q too close together: Fermat's method factors n",
  "P. de Fermat, letter to Mersenne, 1643; H. Böck, Fermat Factorization in "
  "the Wild, IACR ePrint 2023/026",
  "Weak: a lab-only key generation with |p - q| of about nlen/4 + 7 bits.\n"
  "Normal: kexlab's generator, which keeps |p - q| > 2^(nlen/2 - 100).",
  2048,
  512,
  4096,
  ARK_KEY_OUT,
};

/* The attack's budget: rsa check calls a key weak when Fermat needs at most
 * 2^20 steps; the demo tries that many on both keys. */
#define FERMAT_STEPS (1ul << 20)

/* The lab key generation (weak on purpose): p random of nlen/2 bits, q the
 * first prime with gcd(q - 1, e) = 1 from p + delta, delta random of
 * nlen/4 + 7 bits. e = 65537. */
static kl_err weak_key(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen)
{
  unsigned half = nlen / 2;
  mpz_t p, q, delta, e, g;
  mpz_inits(p, q, delta, e, g, NULL);
  mpz_set_ui(e, KL_RSA_DEFAULT_E);
  kl_err err;
  do {
    err = kl_prime_random(p, rng, half, e, NULL);
    if (err == KL_OK)
      err = ark_random_bits(delta, rng, nlen / 4 + 7);
    if (err != KL_OK)
      goto out;
    mpz_add(q, p, delta);
    mpz_setbit(q, 0);
    for (;;) {
      kl_primality v;
      mpz_sub_ui(g, q, 1);
      mpz_gcd(g, g, e);
      if (mpz_cmp_ui(g, 1) == 0) {
        err = kl_prime_test(&v, q, rng);
        if (err != KL_OK)
          goto out;
        if (v == KL_PROBABLY_PRIME)
          break;
      }
      mpz_add_ui(q, q, 2);
    }
  } while (mpz_sizeinbase(q, 2) != half); /* p near 2^half: q overflowed, draw again */
  err = kl_rsa_priv_from_pqe(key, p, q, e, 0, NULL);
out:
  mpz_clears(p, q, delta, e, g, NULL);
  return err;
}

/* Fermat's method on n, at most FERMAT_STEPS steps. Returns 1 with p, q set
 * when a^2 - n became a square; *steps counts the values of a tried. */
static int fermat(const mpz_t n, mpz_t p, mpz_t q, unsigned long *steps)
{
  mpz_t a, b2, b;
  mpz_inits(a, b2, b, NULL);
  /* a = ceil(sqrt(n)), b2 = a^2 - n. */
  mpz_sqrtrem(a, b2, n);
  if (mpz_sgn(b2) != 0)
    mpz_add_ui(a, a, 1);
  mpz_mul(b2, a, a);
  mpz_sub(b2, b2, n);
  int found = 0;
  for (*steps = 1; *steps <= FERMAT_STEPS; (*steps)++) {
    if (mpz_perfect_square_p(b2)) {
      mpz_sqrt(b, b2);
      mpz_add(p, a, b);
      mpz_sub(q, a, b);
      found = mpz_cmp_ui(q, 1) > 0;
      break;
    }
    /* (a+1)^2 - n = a^2 - n + 2a + 1: an addition per step, no square. */
    mpz_addmul_ui(b2, a, 2);
    mpz_add_ui(b2, b2, 1);
    mpz_add_ui(a, a, 1);
  }
  if (*steps > FERMAT_STEPS)
    *steps = FERMAT_STEPS;
  mpz_clears(a, b2, b, NULL);
  return found;
}

/* log2 of the steps Fermat needs, (p-q)^2 / (8*sqrt(n)), from bit counts. */
static long steps_log2(const mpz_t p, const mpz_t q, const mpz_t n)
{
  mpz_t t;
  mpz_init(t);
  mpz_sub(t, p, q);
  mpz_abs(t, t);
  long dbits = mpz_sgn(t) > 0 ? (long)mpz_sizeinbase(t, 2) : 0;
  mpz_clear(t);
  long s = 2 * dbits - 3 - (long)(mpz_sizeinbase(n, 2) / 2);
  return s > 0 ? s : 0;
}

static void show_distance(ark *a, const kl_rsa_priv *k)
{
  mpz_t t;
  mpz_init(t);
  mpz_sub(t, k->p, k->q);
  mpz_abs(t, t);
  ark_int(a, "p_minus_q", t);
  ark_step(a,
           "|p - q| has %zu bits (FIPS 186-5 asks more than nlen/2 - 100 = %u): Fermat "
           "needs about 2^%ld steps",
           mpz_sizeinbase(t, 2), a->bits / 2 - 100, steps_log2(k->p, k->q, k->n));
  mpz_clear(t);
}

static int run_weak(ark *a, kl_rsa_priv *weak)
{
  ark_run_begin(a, "weak",
                "lab key generation: q the next prime after p + delta, "
                "delta of nlen/4 + 7 bits");
  kl_err err = weak_key(weak, &a->rng, a->bits);
  if (err != KL_OK) {
    cli_error(a->cmd, "lab key generation: %s", kl_strerror(err));
    return -1;
  }
  ark_step(a,
           "lab key generation: p random of %u bits, q the next prime after p + delta "
           "(delta random of %u bits)",
           a->bits / 2, a->bits / 4 + 7);
  ark_int(a, "n", weak->n);
  ark_int(a, "e", weak->e);
  show_distance(a, weak);
  ark_step(a, "the attacker knows n only: a = ceil(sqrt(n)), then a + 1, a + 2, ... until "
              "a^2 - n is a square b^2 (budget 2^20 steps)");
  mpz_t p, q;
  mpz_inits(p, q, NULL);
  unsigned long steps = 0;
  int found = fermat(weak->n, p, q, &steps);
  int recovered = 0;
  if (found) {
    ark_int(a, "recovered_p", p);
    ark_int(a, "recovered_q", q);
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, p, q);
    recovered = mpz_cmp(t, weak->n) == 0 &&
                ((mpz_cmp(p, weak->p) == 0 && mpz_cmp(q, weak->q) == 0) ||
                 (mpz_cmp(p, weak->q) == 0 && mpz_cmp(q, weak->p) == 0));
    mpz_clear(t);
    ark_step(a,
             "step %lu: a^2 - n = b^2; p = a + b, q = a - b, p*q = n: %s; from p and q, "
             "d = e^-1 mod lambda(n) follows",
             steps, recovered ? "yes" : "no");
  } else {
    ark_step(a, "no square in %lu steps", steps);
  }
  ark_run_end(a, steps, "Fermat steps", recovered);
  mpz_clears(p, q, NULL);
  return recovered;
}

/* The weak key read back from PEM and checked as `rsa check` checks it:
 * the library's |p - q| check and rsa check's own 2^20-step test. */
static int check_refuses(ark *a, const kl_rsa_priv *weak)
{
  int refused = -1;
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_rsa_check_report rep;
  if (ark_read_back(a, weak, &kf, &rep) != KL_OK)
    goto out;
  /* rsa check's "fermat" safety check: (p-q)^4 < 2^46 * n. */
  mpz_t t, u;
  mpz_inits(t, u, NULL);
  mpz_sub(t, kf.priv.p, kf.priv.q);
  mpz_pow_ui(t, t, 4);
  mpz_mul_2exp(u, kf.priv.n, 46);
  int close = mpz_cmp(t, u) < 0;
  mpz_clears(t, u, NULL);
  int distance_fails = rep.status[KL_RSA_CHECK_PQ_DISTANCE] == KL_RSA_CHECK_FAIL;
  ark_step(a,
           "the weak key saved as PKCS#1 PEM and read back: rsa check's fermat test "
           "(more than 2^20 steps) %s, FIPS 186-5 step 5.4's |p - q| > 2^(nlen/2 - 100) %s",
           close ? "FAILS" : "passes", distance_fails ? "fails" : "passes");
  refused = close && distance_fails;
  ark_step(a, "%s",
           refused ? "`kexlab rsa check` refuses such a key (exit 1: do NOT use it)"
                   : "the checks did not refuse the key");
  ark_flag(a, "rsa_check_refuses", refused);
out:
  kl_rsa_keyfile_clear(&kf);
  return refused;
}

static int run_normal(ark *a, const kl_rsa_priv *weak)
{
  ark_run_begin(a, "normal",
                "keys from `rsa keygen`: |p - q| > 2^(nlen/2 - 100) "
                "(FIPS 186-5 A.1.3 step 5.4)");
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  int recovered = -1;
  mpz_t p, q, bound, t;
  mpz_inits(p, q, bound, t, NULL);
  kl_err err = kl_rsa_keygen(&key, &a->rng, a->bits, NULL, ark_keygen_flags(a->bits), NULL);
  if (err != KL_OK) {
    cli_error(a->cmd, "key generation: %s", kl_strerror(err));
    goto out;
  }
  ark_step(a, "kexlab's key generation draws p and q independently and draws q again "
              "unless |p - q| > 2^(nlen/2 - 100) (src/rsa/keygen.c, step 5.4)");
  ark_int(a, "n", key.n);
  ark_int(a, "e", key.e);
  show_distance(a, &key);
  mpz_sub(t, key.p, key.q);
  mpz_abs(t, t);
  mpz_setbit(bound, a->bits / 2 - 100);
  ark_flag(a, "fips_distance", mpz_cmp(t, bound) > 0);
  unsigned long steps = 0;
  int found = fermat(key.n, p, q, &steps);
  mpz_mul(t, p, q);
  recovered = found && mpz_cmp(t, key.n) == 0;
  ark_step(a, "%lu steps: %s", steps,
           recovered ? "a^2 - n became a square" : "a^2 - n never a square: nothing");
  int refused = check_refuses(a, weak);
  if (refused < 0)
    recovered = -1;
  else if (!refused)
    recovered = 1;
  if (recovered >= 0)
    ark_run_end(a, steps, "Fermat steps", recovered);
out:
  mpz_clears(p, q, bound, t, NULL);
  kl_rsa_priv_clear(&key);
  return recovered;
}

int attack_fermat(int argc, char **argv)
{
  ark a;
  int rc = ark_start(&a, &spec, argc, argv);
  if (rc >= 0)
    return rc;
  kl_rsa_priv weak;
  kl_rsa_priv_init(&weak);
  ark_header(&a);
  int failed = 0, normal_ok = 0;
  int weak_ok = run_weak(&a, &weak);
  if (weak_ok >= 0)
    failed = ark_save_weak(&a, &weak);
  if (weak_ok >= 0 && !failed)
    normal_ok = run_normal(&a, &weak);
  if (weak_ok < 0 || normal_ok < 0)
    failed = KL_EXIT_FAIL;
  kl_rsa_priv_clear(&weak);
  return ark_finish(&a, weak_ok == 1, normal_ok == 1, failed);
}
