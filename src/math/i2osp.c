/* i2osp.c: the octet-string / integer conversions of RFC 8017 §4.1 (I2OSP)
 * and §4.2 (OS2IP), and the helper that traces a GMP integer.
 * Symbols: x (integer), X (octet string), xLen (its length).
 * Timing: the loops depend on xLen only; GMP's mpz_export/mpz_import are
 * linear in the limb count. See also rsa/primitive.c (the only caller that
 * converts secrets, through the same two functions). */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/numtheory.h"

kl_err kl_i2osp(uint8_t *X, size_t xLen, const mpz_t x)
{
  if (x == NULL || (X == NULL && xLen > 0))
    return KL_ERR_ARG;
  if (mpz_sgn(x) < 0)
    return KL_ERR_ARG;
  /* §4.1 step 1: if x >= 256^xLen, output "integer too large". */
  size_t need = (mpz_sizeinbase(x, 2) + 7) / 8;
  if (mpz_sgn(x) == 0)
    need = 0;
  if (need > xLen)
    return KL_ERR_RANGE;
  /* §4.1 step 2-3: the base-256 digits, most significant first, left-padded
   * with zero octets to exactly xLen. */
  memset(X, 0, xLen - need);
  if (need > 0) {
    size_t written = 0;
    mpz_export(X + (xLen - need), &written, 1, 1, 1, 0, x);
  }
  return KL_OK;
}

void kl_os2ip(mpz_t x, const uint8_t *X, size_t xLen)
{
  /* §4.2 step 1-2: x = sum X_i * 256^(xLen-1-i). An empty string is 0. */
  if (xLen == 0 || X == NULL) {
    mpz_set_ui(x, 0);
    return;
  }
  mpz_import(x, xLen, 1, 1, 1, 0, X);
}

void kl_trace_mpz(const kl_tracer *tr, const char *label, int index, const mpz_t x)
{
  if (tr == NULL || tr->fn == NULL)
    return;
  size_t len = mpz_sgn(x) == 0 ? 0 : (mpz_sizeinbase(x, 2) + 7) / 8;
  uint8_t small[64];
  void (*gmp_free)(void *, size_t);
  uint8_t *buf = small;
  if (len > sizeof small) {
    void *(*gmp_alloc)(size_t);
    mp_get_memory_functions(&gmp_alloc, NULL, NULL);
    buf = gmp_alloc(len);
  }
  if (len > 0) {
    size_t written = 0;
    mpz_export(buf, &written, 1, 1, 1, 0, x); /* magnitude only, sign below */
  }
  kl_trace_value v = {label, index, KL_TRACE_INT, buf, len, mpz_sgn(x) < 0, 0, 0};
  tr->fn(tr->user, &v);
  kl_wipe(buf, len); /* traced values may be secrets (d, p, q in the demo) */
  if (buf != small) {
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(buf, len);
  }
}
