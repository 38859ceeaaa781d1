/* modexp.c: left-to-right binary exponentiation, "square-and-multiply"
 * (HAC Alg. 14.79; Knuth TAOCP vol. 2 §4.6.3). Reference path with a trace
 * of every bit; tests prove it equal to mpz_powm on random inputs of 1 to
 * 4096 bits. Symbols: b (base), e (exponent), m (modulus), A (accumulator).
 * Timing: NOT constant-time: the multiply runs only for 1 bits. That is the
 * leak of Kocher (1996); see docs/rsa.md. Never used with a private exponent
 * outside the demos; rsa/primitive.c uses mpn_sec_powm. */
#include "core/trace_internal.h"
#include "kexlab/numtheory.h"

kl_err kl_modexp(mpz_t r, const mpz_t b, const mpz_t e, const mpz_t m, const kl_tracer *tr)
{
  if (r == NULL || b == NULL || e == NULL || m == NULL)
    return KL_ERR_ARG;
  if (mpz_sgn(e) < 0 || mpz_sgn(m) <= 0)
    return KL_ERR_ARG;

  mpz_t A, base;
  mpz_init_set_ui(A, 1);
  mpz_init(base);
  mpz_fdiv_r(base, b, m);
  if (mpz_cmp_ui(m, 1) == 0)
    mpz_set_ui(A, 0); /* everything is 0 mod 1 */

  /* Invariant: after the bits e_{t-1} .. e_i are processed,
   *   A = b^(e >> i) mod m   (the exponent read so far, as a number).
   * Why it works: reading one more bit doubles the exponent read so far and
   * adds the bit: b^(2x + bit) = (b^x)^2 * b^bit. So square, then multiply
   * by b when the bit is 1.
   * Example (c = 65^17 mod 3233; 17 = 10001b):
   *   bit 4 = 1: A = 1^2 = 1,       A*65 = 65
   *   bit 3 = 0: A = 65^2 = 4225 = 992
   *   bit 2 = 0: A = 992^2 = 1232
   *   bit 1 = 0: A = 1232^2 = 1547
   *   bit 0 = 1: A = 1547^2 = 789,  A*65 = 51285 = 2790   -> c = 2790 */
  size_t t = mpz_sgn(e) == 0 ? 0 : mpz_sizeinbase(e, 2);
  for (size_t k = t; k-- > 0;) {
    int bit = mpz_tstbit(e, k);
    int i = (int)k;
    KL_TRACE_U64(tr, "bit", i, (uint64_t)bit);
    mpz_mul(A, A, A); /* square */
    mpz_fdiv_r(A, A, m);
    if (KL_TRACING(tr))
      kl_trace_mpz(tr, "square", i, A);
    if (bit) {
      mpz_mul(A, A, base); /* multiply */
      mpz_fdiv_r(A, A, m);
      if (KL_TRACING(tr))
        kl_trace_mpz(tr, "multiply", i, A);
    }
  }
  mpz_set(r, A);
  if (KL_TRACING(tr))
    kl_trace_mpz(tr, "result", -1, r);
  mpz_clears(A, base, NULL);
  return KL_OK;
}
