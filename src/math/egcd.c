/* egcd.c: the extended Euclidean algorithm, iterative (HAC Alg. 2.107;
 * Knuth TAOCP vol. 2 §4.5.2, Alg. X), and the plain gcd.
 * Reference path: every division is a row of the table a student writes.
 * Symbols: r (remainders), q (quotients), s, t (Bezout coefficients).
 * Timing: NOT constant-time (the number of rows depends on the inputs).
 * See also modinv.c (built on this) and docs/rsa.md "Finding d". */
#include "core/trace_internal.h"
#include "kexlab/numtheory.h"

static void trace_row(const kl_tracer *tr, int i, const mpz_t q, const mpz_t r, const mpz_t s,
                      const mpz_t t)
{
  if (!KL_TRACING(tr))
    return;
  if (q != NULL)
    kl_trace_mpz(tr, "q", i, q);
  kl_trace_mpz(tr, "r", i, r);
  kl_trace_mpz(tr, "s", i, s);
  kl_trace_mpz(tr, "t", i, t);
}

kl_err kl_egcd(mpz_t g, mpz_t s, mpz_t t, const mpz_t a, const mpz_t b, const kl_tracer *tr)
{
  if (a == NULL || b == NULL || mpz_sgn(a) < 0 || mpz_sgn(b) < 0)
    return KL_ERR_ARG;

  /* Rows i-1 (r0, s0, t0) and i (r1, s1, t1) of the table.
   * Invariant: s0*a + t0*b = r0 and s1*a + t1*b = r1 at every step.
   * Why it works: row 0 is (a, 1, 0), row 1 is (b, 0, 1), both true; a new
   * row is row(i-1) - q*row(i), a linear combination of two true rows, so it
   * is true too. Its remainder r0 - q*r1 is r0 mod r1, so the r column is
   * Euclid's sequence and gcd(r0, r1) never changes; when r1 reaches 0,
   * r0 = gcd(a, b) and (s0, t0) are the coefficients.
   * Example (d for n = 3233, a = 3120 = phi, b = 17 = e):
   *   i   q     r     s     t
   *   0        3120   1     0
   *   1          17   0     1
   *   2  183      9   1  -183
   *   3    1      8  -1   184
   *   4    1      1   2  -367      2*3120 - 367*17 = 1, so 17^-1 = -367 = 2753
   *   5    8      0 -17  3120 */
  mpz_t r0, r1, s0, s1, t0, t1, q, tmp;
  mpz_inits(r0, r1, s0, s1, t0, t1, q, tmp, NULL);
  mpz_set(r0, a);
  mpz_set_ui(s0, 1);
  mpz_set_ui(t0, 0);
  mpz_set(r1, b);
  mpz_set_ui(s1, 0);
  mpz_set_ui(t1, 1);
  trace_row(tr, 0, NULL, r0, s0, t0);
  trace_row(tr, 1, NULL, r1, s1, t1);

  int i = 2;
  while (mpz_sgn(r1) != 0) {
    /* q = floor(r0 / r1), and the new remainder r0 - q*r1 in one division. */
    mpz_fdiv_qr(q, tmp, r0, r1);
    mpz_swap(r0, r1);
    mpz_swap(r1, tmp); /* (r0, r1) = (r1, r0 mod r1) */

    mpz_submul(s0, q, s1); /* s0 - q*s1 */
    mpz_swap(s0, s1);      /* (s0, s1) = (s1, s0 - q*s1) */
    mpz_submul(t0, q, t1);
    mpz_swap(t0, t1);
    trace_row(tr, i, q, r1, s1, t1);
    i++;
  }

  if (g != NULL)
    mpz_set(g, r0);
  if (s != NULL)
    mpz_set(s, s0);
  if (t != NULL)
    mpz_set(t, t0);
  mpz_clears(r0, r1, s0, s1, t0, t1, q, tmp, NULL); /* limbs wiped by kl_init's allocator */
  return KL_OK;
}

kl_err kl_gcd(mpz_t g, const mpz_t a, const mpz_t b)
{
  if (g == NULL || a == NULL || b == NULL || mpz_sgn(a) < 0 || mpz_sgn(b) < 0)
    return KL_ERR_ARG;
  /* Euclid, Elements VII.2: gcd(x, y) = gcd(y, x mod y), gcd(x, 0) = x. */
  mpz_t x, y;
  mpz_init_set(x, a);
  mpz_init_set(y, b);
  while (mpz_sgn(y) != 0) {
    mpz_tdiv_r(x, x, y);
    mpz_swap(x, y);
  }
  mpz_set(g, x);
  mpz_clears(x, y, NULL);
  return KL_OK;
}
