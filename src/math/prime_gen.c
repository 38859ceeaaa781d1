/* prime_gen.c: random probable primes of an exact bit length, for RSA key
 * generation (FIPS 186-5 §A.1.3 steps 4.2-4.5 and 5.2-5.5, with the
 * Miller-Rabin test of §B.3.1 and the round counts of Table B.1).
 * Fast path of the search; the readable parts are miller_rabin.c and the
 * window sieve below, which a student can step through.
 * Symbols: p (the candidate), bits, e, W (window of odd candidates).
 * Timing: NOT constant-time; see the contract in numtheory.h.
 * See also keygen.c, docs/rsa.md "Finding primes". */
#include <stdlib.h>
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/numtheory.h"
#include "math/math_internal.h"

/* Odd candidates examined per random start: p0, p0+2, ..., p0+2(W-1).
 * The prime number theorem puts one prime in about ln(2^1024)/2 = 355 odd
 * numbers near 2^1024, so a 4096-wide window nearly always holds one. */
#define W 4096u

/* Deviation from the letter of FIPS 186-5 A.1.3: the standard draws a fresh
 * random p for every candidate (step 4.2); like most libraries we draw one
 * random start per window and walk it. Primes that follow long gaps are a
 * little more likely to be chosen (Brandt and Damgard, CRYPTO '92, analyse
 * this incremental search); no attack is known from it, and the sieve makes
 * key generation several times faster. */

static void progress_event(const kl_progress *progress, char ev)
{
  if (progress != NULL && progress->fn != NULL)
    progress->fn(progress->user, ev);
}

/* p0 = a random odd number of exactly `bits` bits with the top two bits set.
 * Why the top two bits: p, q >= 2^(bits-1) + 2^(bits-2) = 1.5 * 2^(bits-1)
 * exceeds sqrt(2) * 2^(bits-1) (FIPS 186-5 A.1.3 step 4.4), so
 * p*q >= 2.25 * 2^(2 bits-2) > 2^(2 bits-1): exactly 2*bits bits. */
static kl_err random_start(mpz_t p0, const kl_rng *rng, unsigned bits)
{
  size_t nbytes = (bits + 7) / 8;
  uint8_t buf[1024]; /* bits <= 8192 */
  kl_err err = kl_rng_fill(rng, buf, nbytes);
  if (err == KL_OK) {
    kl_os2ip(p0, buf, nbytes);
    mpz_fdiv_r_2exp(p0, p0, bits);
    mpz_setbit(p0, bits - 1);
    mpz_setbit(p0, bits - 2);
    mpz_setbit(p0, 0);
  }
  kl_wipe(buf, nbytes);
  return err;
}

kl_err kl_prime_random_traced(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                              const kl_progress *progress, kl_prime_stats *stats,
                              const kl_tracer *tr)
{
  if (p == NULL || rng == NULL || bits < 16 || bits > 8192)
    return KL_ERR_ARG;
  if (e != NULL && (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e)))
    return KL_ERR_ARG;
  kl_prime_stats st = {0, 0, 0, 0};
  size_t nprimes;
  const uint32_t *primes = kli_small_primes(&nprimes);
  /* Only sieve by primes below the candidates, so a small prime is never
   * struck out as a multiple of itself: candidates are >= 2^(bits-1). */
  size_t use = 0;
  while (use < nprimes && (bits > 32 || primes[use] < (1ul << (bits - 1))))
    use++;
  /* An e that fits a word is sieved too: p = 1 (mod e) makes e | p - 1. */
  unsigned long e_word = (e != NULL && mpz_fits_ulong_p(e)) ? mpz_get_ui(e) : 0;

  unsigned rounds = kl_mr_rounds_random(bits);
  unsigned char *struck = malloc(W); /* struck[i]: p0 + 2i has a small factor */
  if (struck == NULL)
    return KL_ERR_NOMEM;
  kl_err err = KL_OK;
  mpz_t p0, cand, pm1, g;
  mpz_inits(p0, cand, pm1, g, NULL);

  for (;;) {
    err = random_start(p0, rng, bits);
    if (err != KL_OK)
      goto out;
    if (KL_TRACING(tr))
      kl_trace_mpz(tr, "p0", -1, p0);
    unsigned long struck_run = 0; /* struck since p0 or the last candidate traced */
    /* The window sieve: for each small prime s, strike every i with
     * p0 + 2i = 0 (mod s).
     * Why it works: with r = p0 mod s, p0 + 2i = 0 (mod s) iff
     * i = -r * 2^-1 (mod s), and 2^-1 mod s = (s + 1) / 2 for odd s. From
     * that first i, every s-th i is struck as well.
     * Example: s = 3, p0 = 61: r = 1, i = (3 - 1) * 2 mod 3 = 1, and indeed
     * 61 + 2 = 63 = 3 * 21; then 61 + 8 = 69, 61 + 14 = 75, ... */
    memset(struck, 0, W);
    for (size_t k = 0; k < use; k++) {
      unsigned long s = primes[k];
      unsigned long r = mpz_fdiv_ui(p0, s);
      unsigned long i = ((s - r) % s) * ((s + 1) / 2) % s;
      for (; i < W; i += s)
        struck[i] = 1;
    }
    if (e_word >= 3) {
      /* p0 + 2i = 1 (mod e): i = (1 - r) * 2^-1 (mod e), for odd e. */
      unsigned long r = mpz_fdiv_ui(p0, e_word);
      unsigned long one_minus_r = (1 + e_word - r) % e_word;
      unsigned long inv2 = (e_word + 1) / 2;
      /* (a * b) mod e without overflow: e < 2^32 is enough for a 64-bit product. */
      if (e_word < (1ul << 32)) {
        for (unsigned long i = one_minus_r * inv2 % e_word; i < W; i += e_word)
          struck[i] = 1;
      }
    }

    for (unsigned i = 0; i < W; i++) {
      st.candidates++;
      if (struck[i]) {
        st.sieved_out++;
        struck_run++;
        continue;
      }
      mpz_add_ui(cand, p0, 2ul * i);
      if (mpz_sizeinbase(cand, 2) != bits)
        break; /* walked past 2^bits: draw a new start */
      if (KL_TRACING(tr)) {
        KL_TRACE_U64(tr, "sieved", -1, struck_run);
        kl_trace_mpz(tr, "candidate", -1, cand);
      }
      struck_run = 0;
      /* A.1.3 step 4.5: gcd(p - 1, e) = 1 (exact test, for any e). Cheap
       * next to Miller-Rabin, so it comes first. */
      if (e != NULL) {
        mpz_sub_ui(pm1, cand, 1);
        err = kl_gcd(g, pm1, e);
        if (err != KL_OK)
          goto out;
        if (mpz_cmp_ui(g, 1) != 0) {
          st.sieved_out++;
          KL_TRACE_TEXT(tr, "gcd", -1, "gcd(candidate - 1, e) != 1: rejected");
          continue;
        }
      }
      /* A.1.3 step 4.5 (and §B.3.1): Miller-Rabin, Table B.1 rounds. One
       * round at a time, so that the progress line shows each one. */
      progress_event(progress, '.');
      st.mr_tests++;
      kl_primality verdict = KL_PROBABLY_PRIME;
      for (unsigned round = 0; round < rounds && verdict == KL_PROBABLY_PRIME; round++) {
        err = kli_miller_rabin(&verdict, cand, round + 1, 1, rounds, rng, NULL, tr);
        if (err != KL_OK)
          goto out;
        st.mr_rounds++;
        if (verdict == KL_PROBABLY_PRIME)
          progress_event(progress, '+');
      }
      if (verdict == KL_PROBABLY_PRIME) {
        progress_event(progress, '*');
        mpz_set(p, cand);
        err = KL_OK;
        goto out;
      }
    }
  }
out:
  kl_wipe(struck, W);
  free(struck);
  mpz_clears(p0, cand, pm1, g, NULL);
  if (stats != NULL)
    *stats = st;
  if (err == KL_OK && KL_TRACING(tr)) {
    /* p is the last candidate traced; the caller names it (p or q). */
    KL_TRACE_U64(tr, "candidates", -1, st.candidates);
    KL_TRACE_U64(tr, "sieved_out", -1, st.sieved_out);
    KL_TRACE_U64(tr, "mr_tests", -1, st.mr_tests);
    KL_TRACE_U64(tr, "mr_rounds", -1, st.mr_rounds);
  }
  return err;
}

kl_err kl_prime_random_stats(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                             const kl_progress *progress, kl_prime_stats *stats)
{
  return kl_prime_random_traced(p, rng, bits, e, progress, stats, NULL);
}

kl_err kl_prime_random(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                       const kl_progress *progress)
{
  return kl_prime_random_stats(p, rng, bits, e, progress, NULL);
}
