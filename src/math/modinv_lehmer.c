/* modinv_lehmer.c: the modular inverse by Lehmer's extended Euclid (fast
 * path). Knuth TAOCP vol. 2 §4.5.2, Algorithm L (Lehmer 1938), carrying the
 * cofactor of a as in Algorithm X; HAC Alg. 14.57 is the same loop for the gcd.
 * Must agree with modinv.c (the readable path) and with mpz_invert (test
 * oracle only): tests/test_math.c, case modinv_lehmer_vs_gmp.
 * Symbols: u, v (the remainders), U, V (their cofactors: u = U*a, v = V*a
 * mod m), x^, y^ (the top bits of u and v), A, B, C, D (the 2x2 matrix of
 * Algorithm L), q (a quotient).
 * Timing: NOT constant-time (like every Euclid). The RSA private operation
 * uses it only on a blinded, uniformly random value (rsa/primitive.c).
 * See also egcd.c and docs/rsa.md "Blinding". */
#include <limits.h>
#include <stdint.h>

#include "kexlab/numtheory.h"

/* Leading bits looked at per round. With x^ < 2^60 every sum and product in
 * the single-precision loop stays below 2^62 in absolute value (Knuth's
 * bounds: |A|, |B|, |C|, |D| <= x^), so int64_t never overflows; the matrix
 * entries go to mpz_mul_si as long, so 28 bits where long has 32. */
#define LEHMER_BITS (LONG_MAX > 0x7fffffffL ? 60u : 28u)

/* Algorithm L, steps L2-L3: run Euclid on the leading bits x^, y^ alone for
 * as long as the quotients are certainly those of the full numbers.
 * Invariant: x^ + A, x^ + B bound the top of the true u from both sides
 * (likewise y^ + C, y^ + D for v), so when both bounds give the same
 * quotient q, q is the true quotient of u by v. The matrix records the steps:
 *   (u', v') = (A*u + B*v, C*u + D*v).
 * Example (decimal, 4 leading digits of u = 31415926535, v = 27182818284):
 *   x^ = 3141, y^ = 2718: q = 1, 6, 2 are certain (u's true quotients are
 *   1, 6, 2, 2, 1, ...), the fourth is not; the matrix (A B; C D) =
 *   (-6 7; 13 -15) gives u' = -6u + 7v = 1784168778, v' = 13u - 15v =
 *   664770695: three division steps for the price of four multiplications. */
static void lehmer_matrix(int64_t xh, int64_t yh, int64_t *A, int64_t *B, int64_t *C, int64_t *D)
{
  int64_t a = 1, b = 0, c = 0, d = 1;
  for (;;) {
    if (yh + c == 0 || yh + d == 0)
      break;
    int64_t q = (xh + a) / (yh + c);
    if (q != (xh + b) / (yh + d))
      break; /* the two bounds disagree: the quotient needs more digits */
    int64_t t = a - q * c;
    a = c;
    c = t;
    t = b - q * d;
    b = d;
    d = t;
    t = xh - q * yh;
    xh = yh;
    yh = t;
  }
  *A = a;
  *B = b;
  *C = c;
  *D = d;
}

kl_err kl_modinv_lehmer(mpz_t x, const mpz_t a, const mpz_t m)
{
  if (x == NULL || a == NULL || m == NULL || mpz_cmp_ui(m, 2) < 0)
    return KL_ERR_ARG;
  kl_err err;
  mpz_t u, v, U, V, q, t1, t2;
  mpz_inits(u, v, U, V, q, t1, t2, NULL);
  /* Row 0 is (m, cofactor 0), row 1 is (a mod m, cofactor 1):
   * Invariant: u = U*a and v = V*a (mod m) on every row. */
  mpz_set(u, m);
  mpz_set_ui(U, 0);
  mpz_fdiv_r(v, a, m);
  mpz_set_ui(V, 1);

  while (mpz_sgn(v) != 0) {
    size_t ubits = mpz_sizeinbase(u, 2);
    int64_t A = 1, B = 0, C = 0, D = 1;
    if (ubits > LEHMER_BITS) {
      /* L1: x^, y^ = the top LEHMER_BITS bits of u and the same bits of v. */
      mpz_tdiv_q_2exp(t1, u, ubits - LEHMER_BITS);
      mpz_tdiv_q_2exp(t2, v, ubits - LEHMER_BITS);
      lehmer_matrix((int64_t)mpz_get_ui(t1), (int64_t)mpz_get_ui(t2), &A, &B, &C, &D);
    }
    if (B == 0) {
      /* L4 with B = 0: no certain step (or u is small): one full division. */
      mpz_fdiv_qr(q, t1, u, v);
      mpz_swap(u, v);
      mpz_swap(v, t1); /* (u, v) = (v, u mod v) */
      mpz_submul(U, q, V);
      mpz_swap(U, V); /* (U, V) = (V, U - q*V) */
      continue;
    }
    /* L4: apply the matrix to the full numbers and to their cofactors.
     * A*u + B*v is a linear combination of two true rows: true again. */
    mpz_mul_si(t1, u, (long)A);
    mpz_mul_si(t2, v, (long)B);
    mpz_mul_si(q, u, (long)C);
    mpz_add(u, t1, t2);
    mpz_mul_si(t1, v, (long)D);
    mpz_add(v, q, t1);
    mpz_mul_si(t1, U, (long)A);
    mpz_mul_si(t2, V, (long)B);
    mpz_mul_si(q, U, (long)C);
    mpz_add(U, t1, t2);
    mpz_mul_si(t1, V, (long)D);
    mpz_add(V, q, t1);
  }
  /* u = gcd(a, m) = U*a (mod m). */
  if (mpz_cmp_ui(u, 1) != 0) {
    err = KL_ERR_NO_INVERSE;
    goto out;
  }
  mpz_fdiv_r(x, U, m);
  err = KL_OK;
out:
  mpz_clears(u, v, U, V, q, t1, t2, NULL); /* limbs wiped by kl_init's allocator */
  return err;
}
