/* miller_rabin.c: the Miller-Rabin probabilistic primality test, FIPS 186-5
 * §B.3.1 (HAC Alg. 4.24), the round counts of FIPS 186-5 Table B.1, and the
 * strict test for numbers a user supplies (trial division, then 64 rounds).
 * Symbols (B.3.1): w (candidate), a (2^a is the largest power of 2 dividing
 * w-1), m = (w-1)/2^a, wlen, b (base), z.
 * Timing: NOT constant-time: mpz_powm, and early exit on a witness.
 * See also prime_gen.c, docs/rsa.md "Finding primes". */
#include <stdlib.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/numtheory.h"
#include "math/math_internal.h"

/* FIPS 186-5 Table B.1, "Minimum number of rounds of M-R testing when
 * generating primes", column "error probability 2^-112" (2^-128 and 2^-144
 * for the larger rows), for p and q of an RSA key:
 *
 *   nlen   bits of p, q   rounds (2^-100)   rounds (2^-112 or better)
 *   2048   1024           4                 5
 *   3072   1536           3                 4
 *   4096   2048           2                 4
 *
 * The table stops at 2048-bit primes; the bounds it comes from (Damgard,
 * Landrock, Pomerance 1993; FIPS 186-5 Appendix C.1) only fall as the size
 * grows, so 4 rounds stay valid above. Below 1024 bits (the test keys of 512
 * to 2040 bits, the small demos) Table B.1 has no row: we use 4^-t <= 2^-112,
 * the worst-case bound of HAC Fact 4.25, hence 56 rounds. Small primes are
 * cheap, so nothing is lost. */
unsigned kl_mr_rounds_random(unsigned bits)
{
  if (bits >= 1536)
    return 4; /* Table B.1, rows 1536 and 2048 (and above, see above) */
  if (bits >= 1024)
    return 5; /* Table B.1, row 1024 */
  return 56;  /* 4^-56 = 2^-112 for any odd composite (HAC Fact 4.25) */
}

/* 1 when the base b of B.3.1 step 4.1 must be drawn again: b <= 1 or b >= w-1
 * (step 4.2). */
static int base_out_of_range(const mpz_t b, const mpz_t w_minus_1)
{
  return mpz_cmp_ui(b, 1) <= 0 || mpz_cmp(b, w_minus_1) >= 0;
}

/* b = a uniformly random integer of wlen bits (B.3.1 step 4.1). */
static kl_err random_bits(mpz_t b, const kl_rng *rng, size_t wlen)
{
  size_t nbytes = (wlen + 7) / 8;
  uint8_t buf[1024]; /* wlen <= 8192 bits here; larger w are read in chunks below */
  mpz_set_ui(b, 0);
  size_t left = nbytes;
  while (left > 0) {
    size_t chunk = left < sizeof buf ? left : sizeof buf;
    kl_err err = kl_rng_fill(rng, buf, chunk);
    if (err != KL_OK) {
      kl_wipe(buf, sizeof buf);
      return err;
    }
    mpz_t part;
    mpz_init(part);
    kl_os2ip(part, buf, chunk);
    mpz_mul_2exp(b, b, 8 * chunk);
    mpz_add(b, b, part);
    mpz_clear(part);
    left -= chunk;
  }
  kl_wipe(buf, sizeof buf);
  mpz_fdiv_r_2exp(b, b, wlen); /* keep exactly wlen bits */
  return KL_OK;
}

/* The branch a round took, as a trace note (B.3.1's step numbers). */
static void trace_step(const kl_tracer *tr, unsigned i, const char *note)
{
  KL_TRACE_TEXT(tr, "step", (int)i, note);
}

kl_err kli_miller_rabin(kl_primality *result, const mpz_t w, unsigned first, unsigned iterations,
                        unsigned total, const kl_rng *rng, const unsigned long *bases,
                        const kl_tracer *tr)
{
  if (result == NULL || w == NULL || (rng == NULL && bases == NULL) || iterations == 0 ||
      mpz_sgn(w) < 0)
    return KL_ERR_ARG;
  *result = KL_COMPOSITE;
  /* B.3.1 assumes an odd w > 3; decide the rest directly. */
  if (mpz_cmp_ui(w, 3) <= 0) {
    *result = mpz_cmp_ui(w, 2) >= 0 ? KL_PROBABLY_PRIME : KL_COMPOSITE;
    return KL_OK;
  }
  if (mpz_even_p(w))
    return KL_OK;

  kl_err err = KL_OK;
  mpz_t w1, m, b, z;
  mpz_inits(w1, m, b, z, NULL);
  mpz_sub_ui(w1, w, 1);
  /* Step 1: a = the largest integer such that 2^a divides w - 1. */
  mp_bitcnt_t a = mpz_scan1(w1, 0);
  /* Step 2: m = (w - 1) / 2^a (odd). */
  mpz_fdiv_q_2exp(m, w1, a);
  /* Step 3: wlen = len(w). */
  size_t wlen = mpz_sizeinbase(w, 2);
  if (KL_TRACING(tr) && first == 1) {
    kl_trace_mpz(tr, "w", -1, w);
    KL_TRACE_U64(tr, "a", -1, (uint64_t)a);
    kl_trace_mpz(tr, "m", -1, m);
    KL_TRACE_U64(tr, "wlen", -1, (uint64_t)wlen);
  }

  /* Step 4: for i = 1 to iterations. */
  unsigned last = first + iterations - 1;
  for (unsigned i = first; i <= last; i++) {
    if (bases != NULL) {
      /* A base the caller chose (to replay a published case), in place of
       * steps 4.1-4.2; it must still satisfy 1 < b < w - 1. */
      mpz_set_ui(b, bases[i - first]);
      if (base_out_of_range(b, w1)) {
        err = KL_ERR_ARG;
        goto out;
      }
    } else {
      /* Steps 4.1-4.2: a random b with 1 < b < w - 1. */
      do {
        err = random_bits(b, rng, wlen);
        if (err != KL_OK)
          goto out;
      } while (base_out_of_range(b, w1));
    }
    if (KL_TRACING(tr))
      kl_trace_mpz(tr, "b", (int)i, b);
    /* Step 4.3: z = b^m mod w. */
    mpz_powm(z, b, m, w);
    if (KL_TRACING(tr))
      kl_trace_mpz(tr, "z", (int)i, z);
    /* Step 4.4: if z = 1 or z = w - 1, this base says nothing: next round. */
    if (mpz_cmp_ui(z, 1) == 0 || mpz_cmp(z, w1) == 0) {
      trace_step(tr, i,
                 mpz_cmp_ui(z, 1) == 0 ? "4.4: z = 1, go to 4.7" : "4.4: z = w-1, go to 4.7");
      continue;
    }
    /* Step 4.5: square up to a-1 times, looking for w - 1.
     * Why it works: if w is prime, the sequence b^m, b^2m, ..., b^(2^a m) = 1
     * (Fermat) can only reach 1 through -1, because x^2 = 1 (mod a prime)
     * means x = +-1. A 1 reached from any other value, or never reaching -1,
     * proves w composite (b is then a "witness"). */
    int found_minus_1 = 0;
    for (mp_bitcnt_t j = 1; j < a; j++) {
      /* Step 4.5.1: z = z^2 mod w. */
      mpz_powm_ui(z, z, 2, w);
      if (KL_TRACING(tr)) {
        KL_TRACE_U64(tr, "j", (int)i, (uint64_t)j);
        kl_trace_mpz(tr, "z", (int)i, z);
      }
      if (mpz_cmp(z, w1) == 0) {
        found_minus_1 = 1; /* step 4.5.2: go to step 4.7 */
        trace_step(tr, i, "4.5.2: z = w-1, go to 4.7");
        break;
      }
      if (mpz_cmp_ui(z, 1) == 0) {
        trace_step(tr, i, "4.5.3: z = 1, go to 4.6");
        break; /* step 4.5.3: go to step 4.6 */
      }
    }
    if (!found_minus_1) {
      trace_step(tr, i, "4.6: return COMPOSITE");
      goto out; /* step 4.6: return COMPOSITE (*result already says so) */
    }
    /* Step 4.7: continue. */
  }
  /* Step 5: return PROBABLY PRIME. */
  if (last == total)
    KL_TRACE_TEXT(tr, "step", -1, "5: return PROBABLY PRIME");
  *result = KL_PROBABLY_PRIME;
out:
  mpz_clears(w1, m, b, z, NULL);
  return err;
}

kl_err kl_miller_rabin(kl_primality *result, const mpz_t w, unsigned iterations, const kl_rng *rng,
                       const kl_tracer *tr)
{
  if (rng == NULL)
    return KL_ERR_ARG;
  return kli_miller_rabin(result, w, 1, iterations, iterations, rng, NULL, tr);
}

kl_err kl_miller_rabin_bases(kl_primality *result, const mpz_t w, const unsigned long *bases,
                             size_t count, const kl_tracer *tr)
{
  if (bases == NULL || count == 0 || count > 4096)
    return KL_ERR_ARG;
  return kli_miller_rabin(result, w, 1, (unsigned)count, (unsigned)count, NULL, bases, tr);
}

kl_err kl_trial_division(kl_primality *result, int *decided, const mpz_t w, const kl_tracer *tr)
{
  if (result == NULL || decided == NULL || w == NULL || mpz_sgn(w) < 0)
    return KL_ERR_ARG;
  *result = KL_COMPOSITE;
  *decided = 1;
  if (mpz_cmp_ui(w, 2) < 0) {
    KL_TRACE_TEXT(tr, "trial_division", -1, "w < 2: not prime");
    return KL_OK;
  }
  if (mpz_cmp_ui(w, 2) == 0) {
    *result = KL_PROBABLY_PRIME;
    KL_TRACE_TEXT(tr, "trial_division", -1, "w = 2: prime");
    return KL_OK;
  }
  if (mpz_even_p(w)) {
    KL_TRACE_U64(tr, "divisor", -1, 2);
    KL_TRACE_TEXT(tr, "trial_division", -1, "divisor | w: composite");
    return KL_OK;
  }
  /* Trial division by the odd primes below 2^16: decides every w below
   * 65521^2 = 4293001441 (65521 is the last of them) exactly, and throws out
   * most composites cheaply. */
  size_t count;
  const uint32_t *primes = kli_small_primes(&count);
  for (size_t i = 0; i < count; i++) {
    if (mpz_cmp_ui(w, primes[i]) == 0) {
      *result = KL_PROBABLY_PRIME;
      KL_TRACE_TEXT(tr, "trial_division", -1, "w is in the small-prime table: prime");
      return KL_OK;
    }
    if (mpz_divisible_ui_p(w, primes[i])) {
      KL_TRACE_U64(tr, "divisor", -1, primes[i]);
      KL_TRACE_TEXT(tr, "trial_division", -1, "divisor | w: composite");
      return KL_OK;
    }
    if (mpz_cmp_ui(w, (unsigned long)primes[i] * primes[i]) < 0) {
      *result = KL_PROBABLY_PRIME; /* no factor up to sqrt(w): prime */
      KL_TRACE_U64(tr, "divisor_limit", -1, primes[i]);
      KL_TRACE_TEXT(tr, "trial_division", -1,
                    "no prime below divisor_limit divides w, divisor_limit^2 > w: prime");
      return KL_OK;
    }
  }
  *decided = 0;
  KL_TRACE_U64(tr, "divisor_limit", -1, KLI_SMALL_PRIME_LIMIT);
  KL_TRACE_TEXT(tr, "trial_division", -1,
                "no prime below divisor_limit divides w: on to Miller-Rabin");
  return KL_OK;
}

kl_err kl_prime_test(kl_primality *result, const mpz_t w, const kl_rng *rng)
{
  if (result == NULL || w == NULL || rng == NULL || mpz_sgn(w) < 0)
    return KL_ERR_ARG;
  int decided;
  kl_err err = kl_trial_division(result, &decided, w, NULL);
  if (err != KL_OK || decided)
    return err;
  /* Supplied numbers may be chosen to fool the test (strong pseudoprimes to
   * fixed bases, Arnault 1995): use random bases and the worst-case bound. */
  return kl_miller_rabin(result, w, KL_MR_ROUNDS_ADVERSARIAL, rng, NULL);
}
