/* modinv.c: the modular inverse x = a^-1 mod m from extended Euclid
 * (HAC Alg. 2.142). If t*a + s*m = gcd(m, a) = 1 then t*a = 1 (mod m).
 * Reference path. Symbols: a, m, x. Timing: NOT constant-time. The fast
 * path beside it is modinv_lehmer.c (the RSA private operation uses that one,
 * on a blinded value only: rsa/primitive.c). See also egcd.c. */
#include "core/trace_internal.h"
#include "kexlab/numtheory.h"

kl_err kl_modinv(mpz_t x, const mpz_t a, const mpz_t m, const kl_tracer *tr)
{
  if (x == NULL || a == NULL || m == NULL || mpz_cmp_ui(m, 2) < 0)
    return KL_ERR_ARG;
  kl_err err;
  mpz_t ar, g, t;
  mpz_inits(ar, g, t, NULL);
  mpz_fdiv_r(ar, a, m); /* 0 <= ar < m, whatever the sign of a */
  /* Euclid on (m, ar): the t column holds the coefficient of ar. */
  err = kl_egcd(g, NULL, t, m, ar, tr);
  if (err != KL_OK)
    goto out;
  if (mpz_cmp_ui(g, 1) != 0) {
    err = KL_ERR_NO_INVERSE; /* gcd(a, m) = g > 1: a*x is a multiple of g, never 1 */
    goto out;
  }
  /* t may be negative (the row signs alternate): bring it into [0, m). */
  mpz_fdiv_r(x, t, m);
  if (KL_TRACING(tr))
    kl_trace_mpz(tr, "inverse", -1, x);
  err = KL_OK;
out:
  mpz_clears(ar, g, t, NULL);
  return err;
}
