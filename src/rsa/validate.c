/* validate.c: validation of an RSA private key someone supplied, with a
 * verdict per check (RFC 8017 §3.2 consistency; FIPS 186-5 §5.1, §A.1.1 and
 * §A.1.3 conditions; SP 800-56B Rev. 2 §6.4.1.4 lists the same tests).
 * Two depths: kl_rsa_priv_check, the audit (Miller-Rabin on every prime),
 * and kl_rsa_priv_check_load, what loading a key for use needs (everything
 * else, plus one test private operation; docs/keyfiles.md "Loading and
 * auditing"). Multi-prime keys (RFC 8017 §3.2 version 1) are checked prime
 * by prime.
 * Reference path. Symbols: n, e, d, p, q, dP, dQ, qInv, r_i, d_i, t_i,
 * nlen, lambda, phi.
 * Timing: NOT constant-time (it runs on keys being imported, not in use).
 * See also `kexlab rsa check`, docs/rsa.md "Checking a key". */
#include <stddef.h>
#include <stdint.h>

#include "kexlab/ct.h"

#include "kexlab/rsa.h"

static const struct {
  const char *name;
  const char *source;
} checks[KL_RSA_CHECK_COUNT] = {
  [KL_RSA_CHECK_RANGE] = {"every value in range (n, e, d > 0; p, q > 1; dP < p-1, dQ < q-1, "
                          "qInv < p, d < n)",
                          "RFC 8017 §3.2"},
  [KL_RSA_CHECK_E_VALID] = {"e odd and 3 <= e < n", "RFC 8017 §3.1"},
  [KL_RSA_CHECK_P_PRIME] = {"p is prime", "RFC 8017 §3.2; FIPS 186-5 B.3.1"},
  [KL_RSA_CHECK_Q_PRIME] = {"q is prime", "RFC 8017 §3.2; FIPS 186-5 B.3.1"},
  [KL_RSA_CHECK_P_NE_Q] = {"p != q", "RFC 8017 §3.1 (distinct primes)"},
  [KL_RSA_CHECK_N_PQ] = {"n = p*q", "RFC 8017 §3.1"},
  [KL_RSA_CHECK_ED] = {"e*d = 1 mod lambda(n)", "RFC 8017 §3.2"},
  [KL_RSA_CHECK_DP] = {"dP = d mod (p-1)", "RFC 8017 §3.2"},
  [KL_RSA_CHECK_DQ] = {"dQ = d mod (q-1)", "RFC 8017 §3.2"},
  [KL_RSA_CHECK_QINV] = {"q*qInv = 1 mod p", "RFC 8017 §3.2"},
  [KL_RSA_CHECK_NLEN] = {"nlen even and >= 2048", "FIPS 186-5 §5.1"},
  [KL_RSA_CHECK_E_FIPS] = {"2^16 < e < 2^256", "FIPS 186-5 §A.1.3 step 2"},
  [KL_RSA_CHECK_PQ_SIZE] = {"sqrt(2)*2^(nlen/2-1) <= p, q < 2^(nlen/2)",
                            "FIPS 186-5 §A.1.3 steps 4.4, 5.5"},
  [KL_RSA_CHECK_PQ_DISTANCE] = {"|p-q| > 2^(nlen/2-100) (else Fermat's method factors n)",
                                "FIPS 186-5 §A.1.3 step 5.4"},
  [KL_RSA_CHECK_D_SIZE] = {"2^(nlen/2) < d < lambda(n) (else Wiener's attack may find d)",
                           "FIPS 186-5 §A.1.1"},
};

const char *kl_rsa_check_name(kl_rsa_check_id id)
{
  return (unsigned)id < KL_RSA_CHECK_COUNT ? checks[id].name : "unknown check";
}

const char *kl_rsa_check_source(kl_rsa_check_id id)
{
  return (unsigned)id < KL_RSA_CHECK_COUNT ? checks[id].source : "";
}

int kl_rsa_check_is_policy(kl_rsa_check_id id)
{
  return id >= KL_RSA_CHECK_NLEN && id < KL_RSA_CHECK_COUNT;
}

static void set(kl_rsa_check_report *rep, kl_rsa_check_id id, int ok)
{
  rep->status[id] = ok ? KL_RSA_CHECK_PASS : KL_RSA_CHECK_FAIL;
}

/* 0 < x < bound */
static int in_open_range(const mpz_t x, const mpz_t bound)
{
  return mpz_sgn(x) > 0 && mpz_cmp(x, bound) < 0;
}

/* The primes of key as a list: r[0] = p, r[1] = q, r[2..] the others. */
static unsigned primes_of(const kl_rsa_priv *key, mpz_srcptr r[KL_RSA_MAX_PRIMES])
{
  unsigned u = kl_rsa_priv_primes(key);
  r[0] = key->p;
  r[1] = key->q;
  for (unsigned i = 2; i < u; i++)
    r[i] = key->other[i - 2].r;
  return u;
}

/* The checks; thorough = 1: Miller-Rabin on every prime (the audit);
 * thorough = 0: a test private operation instead (loading for use). */
static kl_err check_key(kl_rsa_check_report *rep, const kl_rsa_priv *key, const kl_rng *rng,
                        int thorough)
{
  if (rep == NULL || key == NULL || rng == NULL)
    return KL_ERR_ARG;
  for (int i = 0; i < KL_RSA_CHECK_COUNT; i++)
    rep->status[i] = KL_RSA_CHECK_SKIPPED;
  rep->nlen = mpz_sgn(key->n) > 0 ? (unsigned)mpz_sizeinbase(key->n, 2) : 0;
  rep->usable = 0;
  rep->fips = 0;
  rep->d_mod = KL_RSA_D_UNKNOWN;
  rep->pq_distance_bits = 0;
  rep->d_bits = mpz_sgn(key->d) > 0 ? (unsigned)mpz_sizeinbase(key->d, 2) : 0;
  rep->n_other = key->n_other;
  for (int i = 0; i < KL_RSA_MAX_PRIMES - 2; i++)
    rep->other_prime[i] = rep->other_exp[i] = rep->other_coef[i] = KL_RSA_CHECK_SKIPPED;
  rep->test_op = KL_RSA_CHECK_SKIPPED;
  if (key->n_other > KL_RSA_MAX_PRIMES - 2)
    return KL_ERR_ARG;
  mpz_srcptr r[KL_RSA_MAX_PRIMES];
  unsigned u = primes_of(key, r);

  kl_err err = KL_OK;
  mpz_t p1, q1, phi, lambda, g, t, bound;
  mpz_inits(p1, q1, phi, lambda, g, t, bound, NULL);

  /* Range first: everything after divides by p-1, q-1 or p. */
  mpz_sub_ui(p1, key->p, 1);
  mpz_sub_ui(q1, key->q, 1);
  int range_ok = mpz_sgn(key->n) > 0 && mpz_sgn(key->e) > 0 && in_open_range(key->d, key->n) &&
                 mpz_cmp_ui(key->p, 1) > 0 && mpz_cmp_ui(key->q, 1) > 0 &&
                 in_open_range(key->dP, p1) && in_open_range(key->dQ, q1) &&
                 in_open_range(key->qInv, key->p);
  for (unsigned i = 2; i < u; i++) {
    const kl_rsa_prime_info *oi = &key->other[i - 2];
    mpz_sub_ui(t, oi->r, 1);
    range_ok = range_ok && mpz_cmp_ui(oi->r, 1) > 0 && in_open_range(oi->d, t) &&
               in_open_range(oi->t, oi->r);
  }
  set(rep, KL_RSA_CHECK_RANGE, range_ok);
  /* Two comparisons that need no arithmetic, so they run even then. */
  set(rep, KL_RSA_CHECK_E_VALID,
      mpz_odd_p(key->e) && mpz_cmp_ui(key->e, 3) >= 0 && mpz_cmp(key->e, key->n) < 0);
  int distinct = 1;
  for (unsigned i = 0; i < u; i++) {
    for (unsigned j = i + 1; j < u; j++)
      distinct = distinct && mpz_cmp(r[i], r[j]) != 0;
  }
  set(rep, KL_RSA_CHECK_P_NE_Q, distinct);
  if (!range_ok) {
    err = KL_ERR_KEY;
    goto out;
  }

  /* Primality: the numbers come from outside, so the strict test. */
  if (thorough) {
    kl_primality verdict;
    err = kl_prime_test(&verdict, key->p, rng);
    if (err != KL_OK)
      goto out;
    set(rep, KL_RSA_CHECK_P_PRIME, verdict == KL_PROBABLY_PRIME);
    err = kl_prime_test(&verdict, key->q, rng);
    if (err != KL_OK)
      goto out;
    set(rep, KL_RSA_CHECK_Q_PRIME, verdict == KL_PROBABLY_PRIME);
    for (unsigned i = 2; i < u; i++) {
      err = kl_prime_test(&verdict, r[i], rng);
      if (err != KL_OK)
        goto out;
      rep->other_prime[i - 2] = verdict == KL_PROBABLY_PRIME ? KL_RSA_CHECK_PASS
                                                             : KL_RSA_CHECK_FAIL;
    }
  }

  /* n = r_1 * r_2 * ... * r_u (u = 2: n = p*q). */
  mpz_set(t, key->p);
  for (unsigned i = 1; i < u; i++)
    mpz_mul(t, t, r[i]);
  set(rep, KL_RSA_CHECK_N_PQ, mpz_cmp(t, key->n) == 0);

  /* lambda(n) = lcm(r_i - 1) (two primes: (p-1)(q-1) / gcd(p-1, q-1));
   * phi(n) = the product of the r_i - 1. */
  mpz_mul(phi, p1, q1);
  err = kl_gcd(g, p1, q1);
  if (err != KL_OK)
    goto out;
  mpz_divexact(lambda, phi, g);
  for (unsigned i = 2; i < u; i++) {
    mpz_sub_ui(t, r[i], 1);
    mpz_mul(phi, phi, t);
    mpz_lcm(lambda, lambda, t);
  }
  mpz_mul(t, key->e, key->d);
  mpz_fdiv_r(t, t, lambda);
  int ed_ok = mpz_cmp_ui(t, 1) == 0;
  set(rep, KL_RSA_CHECK_ED, ed_ok);
  if (ed_ok) {
    /* Where was d reduced? d < lambda: by lambda (PKCS#1, FIPS). Else, if it
     * inverts e modulo phi and is below it: by phi (older texts, .NET). */
    mpz_mul(t, key->e, key->d);
    mpz_fdiv_r(t, t, phi);
    if (mpz_cmp(key->d, lambda) < 0)
      rep->d_mod = KL_RSA_D_LAMBDA;
    else if (mpz_cmp(key->d, phi) < 0 && mpz_cmp_ui(t, 1) == 0)
      rep->d_mod = KL_RSA_D_PHI;
    else
      rep->d_mod = KL_RSA_D_OTHER;
  }
  mpz_fdiv_r(t, key->d, p1);
  set(rep, KL_RSA_CHECK_DP, mpz_cmp(t, key->dP) == 0);
  mpz_fdiv_r(t, key->d, q1);
  set(rep, KL_RSA_CHECK_DQ, mpz_cmp(t, key->dQ) == 0);
  mpz_mul(t, key->q, key->qInv);
  mpz_fdiv_r(t, t, key->p);
  set(rep, KL_RSA_CHECK_QINV, mpz_cmp_ui(t, 1) == 0);
  /* RFC 8017 §3.2, further primes: d_i = d mod (r_i - 1) and
   * R_i * t_i = 1 mod r_i, with R_i = r_1 * ... * r_(i-1). */
  mpz_mul(bound, key->p, key->q); /* R_3 */
  for (unsigned i = 2; i < u; i++) {
    const kl_rsa_prime_info *oi = &key->other[i - 2];
    mpz_sub_ui(g, oi->r, 1);
    mpz_fdiv_r(t, key->d, g);
    rep->other_exp[i - 2] = mpz_cmp(t, oi->d) == 0 ? KL_RSA_CHECK_PASS : KL_RSA_CHECK_FAIL;
    mpz_mul(t, bound, oi->t);
    mpz_fdiv_r(t, t, oi->r);
    rep->other_coef[i - 2] = mpz_cmp_ui(t, 1) == 0 ? KL_RSA_CHECK_PASS : KL_RSA_CHECK_FAIL;
    mpz_mul(bound, bound, oi->r);
  }

  rep->usable = 1;
  for (int i = 0; i < KL_RSA_CHECK_NLEN; i++) {
    int primality = i == KL_RSA_CHECK_P_PRIME || i == KL_RSA_CHECK_Q_PRIME;
    if (rep->status[i] != KL_RSA_CHECK_PASS && (thorough || !primality))
      rep->usable = 0;
  }
  for (unsigned i = 2; i < u; i++) {
    if ((thorough && rep->other_prime[i - 2] != KL_RSA_CHECK_PASS) ||
        rep->other_exp[i - 2] != KL_RSA_CHECK_PASS || rep->other_coef[i - 2] != KL_RSA_CHECK_PASS)
      rep->usable = 0;
  }
  /* Loading for use: a private operation on a random x in [1, n-1] must
   * survive its own fault check (x == (x^d)^e mod n), which uses every CRT
   * value and, for a composite "prime", fails with overwhelming probability
   * (Fermat's little theorem is what makes the CRT halves agree). */
  if (!thorough && rep->usable) {
    uint8_t buf[KL_RSA_MAX_BITS / 8];
    size_t k = kl_rsa_modulus_len(key->n);
    err = k <= sizeof buf ? kl_rng_fill(rng, buf, k) : KL_ERR_ARG;
    if (err != KL_OK)
      goto out;
    kl_os2ip(t, buf, k);
    kl_wipe(buf, sizeof buf);
    mpz_mod(t, t, key->n);
    err = kl_rsa_private(key, rng, 0, NULL, g, t);
    if (err == KL_ERR_INTERNAL || err == KL_ERR_ARG) {
      rep->test_op = KL_RSA_CHECK_FAIL;
      rep->usable = 0;
    } else if (err != KL_OK) {
      goto out;
    } else {
      rep->test_op = KL_RSA_CHECK_PASS;
    }
    err = KL_OK;
  }

  /* Policy: FIPS 186-5 and the attacks on badly chosen keys. */
  unsigned nlen = rep->nlen;
  unsigned half = nlen / 2;
  set(rep, KL_RSA_CHECK_NLEN, nlen >= 2048 && nlen % 2 == 0);
  size_t ebits = mpz_sizeinbase(key->e, 2);
  set(rep, KL_RSA_CHECK_E_FIPS, mpz_cmp_ui(key->e, 65536) > 0 && ebits <= 256);
  /* p >= sqrt(2) * 2^(nlen/2 - 1)  <=>  p^2 >= 2^(nlen - 1), for even nlen. */
  mpz_set_ui(bound, 0);
  mpz_setbit(bound, nlen - 1);
  int size_ok = nlen % 2 == 0;
  mpz_mul(t, key->p, key->p);
  size_ok = size_ok && mpz_cmp(t, bound) >= 0 && mpz_sizeinbase(key->p, 2) <= half;
  mpz_mul(t, key->q, key->q);
  size_ok = size_ok && mpz_cmp(t, bound) >= 0 && mpz_sizeinbase(key->q, 2) <= half;
  set(rep, KL_RSA_CHECK_PQ_SIZE, size_ok);
  /* |p - q| > 2^(nlen/2 - 100). If p and q share their top ~half bits,
   * Fermat's method (n = a^2 - b^2 with a near sqrt(n)) finds them at once. */
  mpz_sub(t, key->p, key->q);
  mpz_abs(t, t);
  rep->pq_distance_bits = mpz_sgn(t) > 0 ? (unsigned)mpz_sizeinbase(t, 2) : 0;
  if (half > 100) {
    mpz_set_ui(bound, 0);
    mpz_setbit(bound, half - 100);
    set(rep, KL_RSA_CHECK_PQ_DISTANCE, mpz_cmp(t, bound) > 0);
  } else {
    set(rep, KL_RSA_CHECK_PQ_DISTANCE, 0); /* too small a key to meet it */
  }
  /* 2^(nlen/2) < d < lambda(n). Wiener (1990): d < n^(1/4)/3 is recovered
   * from the continued fraction of e/n; FIPS asks far more margin. */
  mpz_set_ui(bound, 0);
  mpz_setbit(bound, half);
  set(rep, KL_RSA_CHECK_D_SIZE, mpz_cmp(key->d, bound) > 0 && mpz_cmp(key->d, lambda) < 0);

  rep->fips = rep->usable;
  for (int i = KL_RSA_CHECK_NLEN; i < KL_RSA_CHECK_COUNT; i++) {
    if (rep->status[i] != KL_RSA_CHECK_PASS)
      rep->fips = 0;
  }
  err = rep->usable ? KL_OK : KL_ERR_KEY;
out:
  mpz_clears(p1, q1, phi, lambda, g, t, bound, NULL);
  return err;
}

kl_err kl_rsa_priv_check(kl_rsa_check_report *rep, const kl_rsa_priv *key, const kl_rng *rng)
{
  return check_key(rep, key, rng, 1);
}

kl_err kl_rsa_priv_check_load(kl_rsa_check_report *rep, const kl_rsa_priv *key, const kl_rng *rng)
{
  return check_key(rep, key, rng, 0);
}
