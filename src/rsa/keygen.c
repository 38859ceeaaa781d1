/* keygen.c: RSA key-pair generation, FIPS 186-5 §A.1.3 "Generation of
 * random primes that are probably prime", with the key-pair criteria of
 * §A.1.1 (e range, d size) and the Miller-Rabin rounds of Table B.1.
 * Each check is cited on the line that enforces it.
 * Symbols: nlen, e, p, q, d, i (attempt counters of steps 4.7 and 5.8).
 * Timing: NOT constant-time (see numtheory.h, kl_prime_random). Secrets: p, q and
 * every temporary wiped (GMP allocator); the key cleared on failure.
 * See also prime_gen.c, key.c, docs/rsa.md "Key generation". */
#include "kexlab/rsa.h"

static void progress_char(const kl_progress *progress, char ev)
{
  if (progress != NULL && progress->fn != NULL)
    progress->fn(progress->user, ev);
}

kl_err kl_rsa_keygen(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen, const mpz_t e,
                     unsigned flags, const kl_progress *progress)
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

  for (;;) {
    /* §A.1.3 steps 4.2-4.5: p odd, of nlen/2 bits, p >= sqrt(2)*2^(nlen/2-1)
     * (step 4.4: the top two bits are set), gcd(p - 1, e) = 1 (step 4.5,
     * sieved and then checked exactly), and probably prime by Miller-Rabin
     * with the Table B.1 rounds (step 4.5.1). */
    err = kl_prime_random(p, rng, half, E, progress);
    if (err != KL_OK)
      goto out;
    progress_char(progress, '\n');
    do {
      /* §A.1.3 steps 5.2-5.6: q the same way (step 5.5: size; step 5.6:
       * gcd(q - 1, e) = 1 and Miller-Rabin), */
      err = kl_prime_random(q, rng, half, E, progress);
      if (err != KL_OK)
        goto out;
      progress_char(progress, '\n');
      mpz_sub(diff, p, q);
      mpz_abs(diff, diff);
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
