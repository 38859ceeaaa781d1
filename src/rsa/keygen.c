/* keygen.c: RSA key-pair generation, FIPS 186-5 §A.1.3 "Generation of
 * random primes that are probably prime", with the key-pair criteria of
 * §A.1.1 (e range, d size) and the Miller-Rabin rounds of Table B.1.
 * Each check is cited on the line that enforces it.
 * Symbols: nlen, e, p, q, d, i (attempt counters of steps 4.7 and 5.8).
 * Timing: NOT constant-time (see numtheory.h, kl_prime_random). Secrets: p, q and
 * every temporary wiped (GMP allocator); the key cleared on failure.
 * See also prime_gen.c, key.c, docs/rsa.md "Key generation". */
#include "core/trace_internal.h"
#include "kexlab/rsa.h"

static void progress_char(const kl_progress *progress, char ev)
{
  if (progress != NULL && progress->fn != NULL)
    progress->fn(progress->user, ev);
}

/* A checked condition as a trace note: "<what>: yes" or "<what>: no<else>". */
static void trace_check(const kl_tracer *tr, int ok, const char *yes, const char *no)
{
  KL_TRACE_TEXT(tr, "check", -1, ok ? yes : no);
}

kl_err kl_rsa_keygen_traced(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen, const mpz_t e,
                            unsigned flags, const kl_progress *progress, const kl_tracer *tr)
{
  if (key == NULL || rng == NULL)
    return KL_ERR_ARG;
  if ((flags & ~(unsigned)(KL_RSA_KEYGEN_PHI | KL_RSA_KEYGEN_ALLOW_SMALL)) != 0)
    return KL_ERR_ARG;
  if (nlen == 0)
    nlen = KL_RSA_DEFAULT_BITS;
  /* §A.1.3 step 1: nlen must be an accepted size. FIPS 186-5 names 2048,
   * 3072 and 4096 (and above); kexlab takes any even size in 1024..8192 and,
   * for tests and labs only, down to 512 bits. */
  unsigned min_bits = (flags & KL_RSA_KEYGEN_ALLOW_SMALL) ? KL_RSA_SMALL_MIN_BITS : KL_RSA_MIN_BITS;
  if (nlen < min_bits || nlen > KL_RSA_MAX_BITS || nlen % 2 != 0)
    return KL_ERR_KEY_LEN;

  kl_err err;
  unsigned half = nlen / 2;
  mpz_t E, p, q, diff, bound, dmin;
  mpz_inits(E, p, q, diff, bound, dmin, NULL);
  if (e == NULL)
    mpz_set_ui(E, KL_RSA_DEFAULT_E);
  else
    mpz_set(E, e);
  /* §A.1.3 step 2 asks 2^16 < e < 2^256 and odd. We accept any odd e >= 3
   * below 2^256 (the textbooks' e = 3 and 17 included; the CLI warns). */
  if (mpz_cmp_ui(E, 3) < 0 || mpz_even_p(E) || mpz_sizeinbase(E, 2) > 256) {
    err = KL_ERR_ARG;
    goto out;
  }
  /* |p - q| must exceed 2^(nlen/2 - 100) (step 5.4); d must exceed
   * 2^(nlen/2) (§A.1.1). */
  mpz_setbit(bound, half - 100);
  mpz_setbit(dmin, half);
  if (KL_TRACING(tr)) {
    KL_TRACE_U64(tr, "nlen", -1, nlen);
    kl_trace_mpz(tr, "e", -1, E);
  }

  for (;;) {
    /* §A.1.3 steps 4.2-4.5: p odd, of nlen/2 bits, p >= sqrt(2)*2^(nlen/2-1)
     * (step 4.4: the top two bits are set), gcd(p - 1, e) = 1 (step 4.5,
     * sieved and then checked exactly), and probably prime by Miller-Rabin
     * with the Table B.1 rounds (step 4.5.1). */
    KL_TRACE_TEXT(tr, "step", -1, "4: generate p");
    err = kl_prime_random_traced(p, rng, half, E, progress, NULL, tr);
    if (err != KL_OK)
      goto out;
    progress_char(progress, '\n');
    /* The conditions of steps 4.4 and 4.5, restated on the prime found
     * (kl_prime_random guarantees them): p^2 >= 2^(nlen-1) is
     * p >= sqrt(2) * 2^(nlen/2 - 1) without the square root. */
    if (KL_TRACING(tr)) {
      kl_trace_mpz(tr, "p", -1, p);
      mpz_mul(diff, p, p);
      trace_check(tr, mpz_sizeinbase(diff, 2) >= nlen, "4.4: p >= sqrt(2)*2^(nlen/2-1): yes",
                  "4.4: p >= sqrt(2)*2^(nlen/2-1): no");
      mpz_sub_ui(diff, p, 1);
      mpz_gcd(diff, diff, E);
      trace_check(tr, mpz_cmp_ui(diff, 1) == 0, "4.5: gcd(p-1, e) = 1: yes",
                  "4.5: gcd(p-1, e) = 1: no");
    }
    do {
      /* §A.1.3 steps 5.2-5.6: q the same way (step 5.5: size; step 5.6:
       * gcd(q - 1, e) = 1 and Miller-Rabin), */
      KL_TRACE_TEXT(tr, "step", -1, "5: generate q");
      err = kl_prime_random_traced(q, rng, half, E, progress, NULL, tr);
      if (err != KL_OK)
        goto out;
      progress_char(progress, '\n');
      if (KL_TRACING(tr)) {
        kl_trace_mpz(tr, "q", -1, q);
        mpz_mul(diff, q, q);
        trace_check(tr, mpz_sizeinbase(diff, 2) >= nlen, "5.5: q >= sqrt(2)*2^(nlen/2-1): yes",
                    "5.5: q >= sqrt(2)*2^(nlen/2-1): no");
        mpz_sub_ui(diff, q, 1);
        mpz_gcd(diff, diff, E);
        trace_check(tr, mpz_cmp_ui(diff, 1) == 0, "5.6: gcd(q-1, e) = 1: yes",
                    "5.6: gcd(q-1, e) = 1: no");
      }
      mpz_sub(diff, p, q);
      mpz_abs(diff, diff);
      if (KL_TRACING(tr)) {
        kl_trace_mpz(tr, "|p-q|", -1, diff);
        kl_trace_mpz(tr, "2^(nlen/2-100)", -1, bound);
        trace_check(tr, mpz_cmp(diff, bound) > 0, "5.4: |p-q| > 2^(nlen/2-100): yes",
                    "5.4: |p-q| > 2^(nlen/2-100): no, generate q again");
      }
      /* ... and step 5.4: |p - q| > 2^(nlen/2 - 100), else draw q again.
       * (This also rules out p = q.) */
    } while (mpz_cmp(diff, bound) <= 0);

    /* §A.1.1: d = e^-1 mod LCM(p-1, q-1) (or mod phi(n) with --phi). The
     * gcd conditions above guarantee the inverse exists. */
    err = kl_rsa_priv_from_pqe(key, p, q, E, flags & KL_RSA_KEYGEN_PHI, NULL);
    if (err != KL_OK)
      goto out;
    /* §A.1.1: 2^(nlen/2) < d; in the rare event it is not, start again with
     * new primes (a small d would fall to Wiener's attack). */
    if (KL_TRACING(tr)) {
      kl_trace_mpz(tr, "d", -1, key->d);
      kl_trace_mpz(tr, "2^(nlen/2)", -1, dmin);
      trace_check(tr, mpz_cmp(key->d, dmin) > 0, "A.1.1: d > 2^(nlen/2): yes",
                  "A.1.1: d > 2^(nlen/2): no, start again");
    }
    if (mpz_cmp(key->d, dmin) > 0)
      break;
  }
  /* §A.1.3 step 6: internally generated values are zeroized (below, through
   * mpz_clears and the wiping allocator). */
  err = KL_OK;
out:
  if (err != KL_OK) {
    kl_rsa_priv_clear(key);
    kl_rsa_priv_init(key);
  }
  mpz_clears(E, p, q, diff, bound, dmin, NULL);
  return err;
}

kl_err kl_rsa_keygen(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen, const mpz_t e,
                     unsigned flags, const kl_progress *progress)
{
  return kl_rsa_keygen_traced(key, rng, nlen, e, flags, progress, NULL);
}

unsigned kl_rsa_max_primes(unsigned nlen)
{
  return nlen < 1024 ? 2 : nlen < 4096 ? 3 : nlen < 8192 ? 4 : 5;
}

/* Multi-prime key generation (RFC 8017 §3.2): the two-prime procedure above
 * with u primes, each of nlen/u bits. */
kl_err kl_rsa_keygen_multi(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen, const mpz_t e,
                           unsigned u, unsigned flags, const kl_progress *progress)
{
  if (u == 2)
    return kl_rsa_keygen(key, rng, nlen, e, flags, progress);
  if (key == NULL || rng == NULL)
    return KL_ERR_ARG;
  if ((flags & ~(unsigned)(KL_RSA_KEYGEN_PHI | KL_RSA_KEYGEN_ALLOW_SMALL)) != 0)
    return KL_ERR_ARG;
  if (nlen == 0)
    nlen = KL_RSA_DEFAULT_BITS;
  unsigned min_bits = (flags & KL_RSA_KEYGEN_ALLOW_SMALL) ? KL_RSA_SMALL_MIN_BITS : KL_RSA_MIN_BITS;
  if (nlen < min_bits || nlen > KL_RSA_MAX_BITS || nlen % 2 != 0)
    return KL_ERR_KEY_LEN;
  if (u < 2 || u > KL_RSA_MAX_PRIMES || u > kl_rsa_max_primes(nlen))
    return KL_ERR_ARG;

  kl_err err;
  mpz_t E, n, d, lambda, phi, t, dmin, R, r[KL_RSA_MAX_PRIMES];
  mpz_inits(E, n, d, lambda, phi, t, dmin, R, NULL);
  for (unsigned i = 0; i < KL_RSA_MAX_PRIMES; i++)
    mpz_init(r[i]);
  if (e == NULL)
    mpz_set_ui(E, KL_RSA_DEFAULT_E);
  else
    mpz_set(E, e);
  if (mpz_cmp_ui(E, 3) < 0 || mpz_even_p(E) || mpz_sizeinbase(E, 2) > 256) {
    err = KL_ERR_ARG;
    goto out;
  }
  mpz_setbit(dmin, nlen / 2);
  for (unsigned attempt = 0;; attempt++) {
    if (attempt == 1000) {
      err = KL_ERR_RNG; /* a generator this unlucky is broken */
      goto out;
    }
    /* The primes: nlen/u bits each, the first nlen % u one bit longer. */
    for (unsigned i = 0; i < u; i++) {
      unsigned bits = nlen / u + (i < nlen % u ? 1 : 0);
      err = kl_prime_random(r[i], rng, bits, E, progress);
      if (err != KL_OK)
        goto out;
      progress_char(progress, '\n');
    }
    /* Distinct primes whose product has exactly nlen bits (top two bits
     * set makes each prime >= 0.75 * 2^bits, so the product may fall one
     * bit short: then draw again). */
    int ok = 1;
    mpz_set(n, r[0]);
    for (unsigned i = 1; i < u; i++) {
      for (unsigned j = 0; j < i; j++)
        ok = ok && mpz_cmp(r[i], r[j]) != 0;
      mpz_mul(n, n, r[i]);
    }
    if (!ok || mpz_sizeinbase(n, 2) != nlen)
      continue;
    /* lambda(n) = lcm(r_i - 1), phi(n) = prod(r_i - 1); d = e^-1 mod one. */
    mpz_set_ui(lambda, 1);
    mpz_set_ui(phi, 1);
    for (unsigned i = 0; i < u; i++) {
      mpz_sub_ui(t, r[i], 1);
      mpz_lcm(lambda, lambda, t);
      mpz_mul(phi, phi, t);
    }
    err = kl_modinv(d, E, (flags & KL_RSA_KEYGEN_PHI) ? phi : lambda, NULL);
    if (err == KL_ERR_NO_INVERSE)
      continue;
    if (err != KL_OK)
      goto out;
    if (mpz_cmp(d, dmin) <= 0)
      continue; /* §A.1.1's d > 2^(nlen/2), as for two primes */
    break;
  }
  /* The key: the two-prime values from r_1 = p, r_2 = q, then the others. */
  err = kl_rsa_priv_from_pqe(key, r[0], r[1], E, flags & KL_RSA_KEYGEN_PHI, NULL);
  if (err != KL_OK)
    goto out;
  mpz_set(key->n, n);
  mpz_set(key->d, d);
  mpz_sub_ui(t, r[0], 1);
  mpz_fdiv_r(key->dP, d, t);
  mpz_sub_ui(t, r[1], 1);
  mpz_fdiv_r(key->dQ, d, t);
  mpz_mul(R, r[0], r[1]);
  for (unsigned i = 2; i < u; i++) {
    kl_rsa_prime_info *oi = &key->other[i - 2];
    mpz_set(oi->r, r[i]);
    mpz_sub_ui(t, r[i], 1);
    mpz_fdiv_r(oi->d, d, t);
    err = kl_modinv(oi->t, R, r[i], NULL); /* t_i = (r_1 ... r_(i-1))^-1 mod r_i */
    if (err != KL_OK)
      goto out;
    mpz_mul(R, R, r[i]);
  }
  key->n_other = u - 2;
  err = KL_OK;
out:
  if (err != KL_OK) {
    kl_rsa_priv_clear(key);
    kl_rsa_priv_init(key);
  }
  mpz_clears(E, n, d, lambda, phi, t, dmin, R, NULL);
  for (unsigned i = 0; i < KL_RSA_MAX_PRIMES; i++)
    mpz_clear(r[i]);
  return err;
}
