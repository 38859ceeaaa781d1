/* numtheory.h: number theory on GMP integers, for RSA (src/math/).
 * Every algorithm here is kexlab's own; GMP's mpz_invert, mpz_gcdext,
 * mpz_probab_prime_p and mpz_nextprime serve only as test oracles.
 * This header (and rsa.h) include <gmp.h>; the symmetric headers never do.
 * Call kl_init() before making any mpz_t (it installs the wiping allocator).
 *
 * Below the conversion primitives: extended Euclid, modular inverse,
 * square-and-multiply, Miller-Rabin (FIPS 186-5 B.3.1) and random probable
 * primes. None of them is constant-time; the RSA private operation (rsa.h)
 * does its own secret arithmetic on GMP's mpn_sec_* layer. */
#ifndef KEXLAB_NUMTHEORY_H
#define KEXLAB_NUMTHEORY_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "rng.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* I2OSP, RFC 8017 §4.1: X = the xLen-octet big-endian string of x.
 * Returns KL_OK, KL_ERR_ARG (x < 0), KL_ERR_RANGE ("integer too large":
 * x >= 256^xLen). */
KL_NODISCARD kl_err kl_i2osp(uint8_t *X, size_t xLen, const mpz_t x);

/* OS2IP, RFC 8017 §4.2: x = the integer whose big-endian octets are X. */
void kl_os2ip(mpz_t x, const uint8_t *X, size_t xLen);

/* Trace an integer (label, index) as a KL_TRACE_INT value. */
void kl_trace_mpz(const kl_tracer *tr, const char *label, int index, const mpz_t x);

/* ---- Number theory (src/math/) ---------------------------------------- */

/* Extended Euclid (HAC Alg. 2.107, iterative): g = gcd(a, b) and Bezout
 * coefficients s, t with s*a + t*b = g.
 *  g, s, t [out] may be NULL when not wanted (each distinct from a and b)
 *  a, b    [in]  a >= 0, b >= 0 (gcd(0, 0) = 0, with s = 1, t = 0)
 *  tr      [in]  optional: one row per division, the table a student writes:
 *                "q"[i] quotient, "r"[i] remainder, "s"[i], "t"[i] coefficients,
 *                rows 0 and 1 being (a, 1, 0) and (b, 0, 1).
 * Returns KL_OK, KL_ERR_ARG (NULL input, a or b negative).
 * Timing: NOT constant-time (branches on the values); for public values and demos. */
KL_NODISCARD kl_err kl_egcd(mpz_t g, mpz_t s, mpz_t t, const mpz_t a, const mpz_t b,
                            const kl_tracer *tr);

/* g = gcd(a, b) by Euclid's remainder loop (no coefficients). a, b >= 0.
 * Returns KL_OK, KL_ERR_ARG. Timing: NOT constant-time. */
KL_NODISCARD kl_err kl_gcd(mpz_t g, const mpz_t a, const mpz_t b);

/* x = a^-1 mod m, 0 <= x < m, via kl_egcd(m, a mod m) (the t column).
 *  a  [in] any sign (reduced mod m first);  m [in] m >= 2
 *  tr [in] optional: the extended-Euclid table of (m, a mod m), then
 *          "inverse" = t mod m (t of the row with r = 1).
 * Returns KL_OK, KL_ERR_ARG (m < 2), KL_ERR_NO_INVERSE (gcd(a, m) != 1).
 * Timing: NOT constant-time (see kl_modinv_lehmer for the RSA blinding). */
KL_NODISCARD kl_err kl_modinv(mpz_t x, const mpz_t a, const mpz_t m, const kl_tracer *tr);

/* The same inverse, fast path: Lehmer's extended Euclid (Knuth TAOCP vol. 2
 * §4.5.2 Alg. L), which replaces runs of about 30 division steps by one 2x2
 * matrix computed from the leading 60 bits (8x fewer instructions than
 * kl_modinv at 2048 bits, callgrind). Agrees with kl_modinv (tests).
 *  a [in] any sign (reduced mod m first);  m [in] m >= 2
 * Returns KL_OK, KL_ERR_ARG (NULL, m < 2), KL_ERR_NO_INVERSE (gcd(a, m) != 1).
 * Secrets: none expected; temporaries wiped all the same (GMP allocator).
 * Timing: NOT constant-time. The RSA private operation calls it only on
 * t = r*s mod n, a uniformly random unit independent of the blinding factor r
 * (rsa/primitive.c, docs/rsa.md "Blinding"). */
KL_NODISCARD kl_err kl_modinv_lehmer(mpz_t x, const mpz_t a, const mpz_t m);

/* Left-to-right binary exponentiation (HAC Alg. 14.79): r = b^e mod m.
 *  b [in] any sign (reduced mod m);  e [in] e >= 0;  m [in] m >= 1
 *  tr [in] optional: for each bit i of e from the top: "bit"[i], "square"[i]
 *          (the accumulator after squaring) and, when the bit is 1,
 *          "multiply"[i] (after multiplying by b); finally "result".
 * Returns KL_OK, KL_ERR_ARG (e < 0, m < 1).
 * Timing: NOT constant-time (the multiply happens only on 1 bits, exactly the
 * leak Kocher measured): the textbook path for demos and public exponents. */
KL_NODISCARD kl_err kl_modexp(mpz_t r, const mpz_t b, const mpz_t e, const mpz_t m,
                              const kl_tracer *tr);

/* Miller-Rabin round counts. FIPS 186-5 Table B.1 (error probability 2^-112
 * column) for random candidates of the given bit length (see
 * miller_rabin.c for the whole table and the sizes it does not list). */
unsigned kl_mr_rounds_random(unsigned bits);
/* For numbers a user or an adversary chose: the 4^-t worst-case bound of
 * HAC Fact 4.25 holds for EVERY odd composite, so t = 64 gives 2^-128. */
#define KL_MR_ROUNDS_ADVERSARIAL 64u

/* Verdict of a probabilistic primality test. */
typedef enum kl_primality {
  KL_COMPOSITE = 0,
  KL_PROBABLY_PRIME = 1
} kl_primality;

/* Miller-Rabin probabilistic primality test, FIPS 186-5 §B.3.1, with
 * `iterations` bases drawn from rng (step 4.1: wlen random bits, retried
 * outside 1 < b < w-1). w <= 3 and even w are decided directly.
 *  tr [in] optional: "w", "a", "m", "wlen" (steps 1-3), then per round i:
 *          "b"[i] (step 4.1), "z"[i] = b^m mod w (step 4.3), then for each
 *          squaring of step 4.5 "j"[i] and "z"[i], and "step"[i], a note
 *          naming the branch taken ("4.4: z = 1, go to 4.7", "4.5.2: ...",
 *          "4.5.3: ...", "4.6: return COMPOSITE"); "step" = "5: return
 *          PROBABLY PRIME" when every round passed.
 * Returns KL_OK (verdict in *result), KL_ERR_ARG (NULL, w < 0, iterations 0),
 * KL_ERR_RNG.
 * Timing: NOT constant-time (mpz_powm; early exit on a witness). */
KL_NODISCARD kl_err kl_miller_rabin(kl_primality *result, const mpz_t w, unsigned iterations,
                                    const kl_rng *rng, const kl_tracer *tr);

/* The same rounds with bases the caller chose instead of random ones (to
 * replay a published case, e.g. 2047 = 23 * 89 passing base 2): one round
 * per bases[i], each 1 < b < w-1 (else KL_ERR_ARG); count 1..4096.
 * Trace as kl_miller_rabin. Timing: NOT constant-time. */
KL_NODISCARD kl_err kl_miller_rabin_bases(kl_primality *result, const mpz_t w,
                                          const unsigned long *bases, size_t count,
                                          const kl_tracer *tr);

/* Trial division, the first half of kl_prime_test: by 2, then by the odd
 * primes of the small-prime table while p^2 <= w. *decided = 1 when it
 * settled w (verdict in *result: a divisor found, w in the table, or no
 * prime up to sqrt(w) divides w), 0 when Miller-Rabin must decide.
 *  tr [in] optional: "divisor" (the prime found), "divisor_limit" (the
 *          prime whose square exceeds w, or the table's limit), and a note
 *          "trial_division" with the outcome.
 * Returns KL_OK, KL_ERR_ARG (NULL, w < 0). Timing: NOT constant-time. */
KL_NODISCARD kl_err kl_trial_division(kl_primality *result, int *decided, const mpz_t w,
                                      const kl_tracer *tr);

/* Primality of a number a user supplied: trial division by the small-prime
 * table, then Miller-Rabin with KL_MR_ROUNDS_ADVERSARIAL rounds.
 * Returns as kl_miller_rabin (w < 2 is composite; w < 0 is KL_ERR_ARG). */
KL_NODISCARD kl_err kl_prime_test(kl_primality *result, const mpz_t w, const kl_rng *rng);

/* Progress of a long search, one character per event, as `openssl genrsa`
 * prints them: '.' a candidate survived the sieve and goes to Miller-Rabin,
 * '+' one Miller-Rabin round passed, '*' a prime was found. */
typedef void kl_progress_fn(void *user, char event);
typedef struct kl_progress {
  kl_progress_fn *fn; /* NULL: off */
  void *user;
} kl_progress;

/* p = a random probable prime of exactly `bits` bits with its top two bits
 * set (so a product of two such primes has exactly 2*bits bits, and
 * p >= sqrt(2) * 2^(bits-1) as FIPS 186-5 A.1.3 step 4.4 asks).
 * Search: a random odd start, then incremental search p, p+2, p+4, ...,
 * screened by residues modulo the first small primes (a sieve updated by
 * additions) before any Miller-Rabin with kl_mr_rounds_random(bits) rounds.
 *  bits [in] 16 <= bits <= 8192
 *  e    [in] NULL, or an odd e >= 3: also require gcd(p - 1, e) = 1
 *  progress [in] optional (see kl_progress)
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_RNG.
 * Secrets: the random start and the candidate limbs are wiped (GMP allocator).
 * Timing: NOT constant-time (rejected candidates are independent of the
 * result; the accepted one's Miller-Rabin timing is visible). */
KL_NODISCARD kl_err kl_prime_random(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                                    const kl_progress *progress);

/* Statistics of the last kl_prime_random search, for benchmarks and the demo. */
typedef struct kl_prime_stats {
  unsigned long candidates; /* odd numbers looked at */
  unsigned long sieved_out; /* rejected by a small-prime residue (or p = 1 mod e) */
  unsigned long mr_tests;   /* candidates handed to Miller-Rabin */
  unsigned long mr_rounds;  /* Miller-Rabin rounds run in total */
} kl_prime_stats;

/* As kl_prime_random, and also fills *stats (may be NULL). */
KL_NODISCARD kl_err kl_prime_random_stats(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                                          const kl_progress *progress, kl_prime_stats *stats);

/* As kl_prime_random_stats, traced (tr optional) for `kexlab prime gen
 * --trace`: per random start "p0"; per candidate that survives the sieve
 * "sieved" (candidates struck by a small prime since the previous one, or p0)
 * and "candidate"; "gcd" (a note) when gcd(p - 1, e) != 1; the Miller-Rabin
 * trace of each candidate tested (kl_miller_rabin, rounds numbered
 * 1..kl_mr_rounds_random(bits)); finally the four counts of kl_prime_stats
 * under their field names (p itself is the last "candidate"). */
KL_NODISCARD kl_err kl_prime_random_traced(mpz_t p, const kl_rng *rng, unsigned bits, const mpz_t e,
                                           const kl_progress *progress, kl_prime_stats *stats,
                                           const kl_tracer *tr);

/* The number of odd primes in the trial-division table, and the i-th one
 * (3, 5, 7, ...). Computed once at first use by a sieve of Eratosthenes. */
size_t kl_small_primes_count(void);
unsigned kl_small_prime(size_t i);

#ifdef __cplusplus
}
#endif
#endif
