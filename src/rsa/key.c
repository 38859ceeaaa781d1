/* key.c: the RSA key objects (RFC 8017 §3.1, §3.2) and the completion of a
 * private key from p, q and e (FIPS 186-5 §A.1.1 for d; RFC 8017 §3.2 for
 * dP, dQ, qInv). Reference path. Symbols: n, e, d, p, q, dP, dQ, qInv,
 * phi(n) = (p-1)(q-1), lambda(n) = lcm(p-1, q-1).
 * Timing: NOT constant-time (Euclid on the secret primes, once per key).
 * See also keygen.c, docs/rsa.md "lambda or phi". */
#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/rsa.h"
#include "rsa/rsa_internal.h"

void kl_rsa_pub_init(kl_rsa_pub *pub)
{
  mpz_inits(pub->n, pub->e, NULL);
}

void kl_rsa_pub_clear(kl_rsa_pub *pub)
{
  mpz_clears(pub->n, pub->e, NULL);
}

void kl_rsa_priv_init(kl_rsa_priv *key)
{
  mpz_inits(key->n, key->e, key->d, key->p, key->q, key->dP, key->dQ, key->qInv, NULL);
  key->n_other = 0;
  for (int i = 0; i < KL_RSA_MAX_PRIMES - 2; i++)
    mpz_inits(key->other[i].r, key->other[i].d, key->other[i].t, NULL);
  /* NULL if out of memory: the private operation then blinds afresh each time. */
  key->blinding = kli_rsa_blinding_new();
}

void kl_rsa_priv_clear(kl_rsa_priv *key)
{
  /* mpz_clear hands the limbs to kl_init's allocator, which wipes them. The
   * struct itself is then zeroed, so a cleared key reads as all zeros (and
 * must be initialised again before any use). */
  mpz_clears(key->n, key->e, key->d, key->p, key->q, key->dP, key->dQ, key->qInv, NULL);
  for (int i = 0; i < KL_RSA_MAX_PRIMES - 2; i++)
    mpz_clears(key->other[i].r, key->other[i].d, key->other[i].t, NULL);
  kli_rsa_blinding_free(key->blinding);
  kl_wipe(key, sizeof *key);
}

unsigned kl_rsa_priv_primes(const kl_rsa_priv *key)
{
  return 2 + key->n_other;
}

void kl_rsa_priv_to_pub(kl_rsa_pub *pub, const kl_rsa_priv *key)
{
  mpz_set(pub->n, key->n);
  mpz_set(pub->e, key->e);
}

size_t kl_rsa_modulus_len(const mpz_t n)
{
  if (mpz_sgn(n) <= 0)
    return 0;
  return (mpz_sizeinbase(n, 2) + 7) / 8; /* RFC 8017 §3.1: k octets */
}

kl_err kl_rsa_priv_from_pqe(kl_rsa_priv *key, const mpz_t p, const mpz_t q, const mpz_t e,
                            unsigned flags, const kl_tracer *tr)
{
  if (key == NULL || p == NULL || q == NULL || e == NULL)
    return KL_ERR_ARG;
  if ((flags & ~(unsigned)(KL_RSA_KEYGEN_PHI | KL_RSA_KEYGEN_ALLOW_SMALL)) != 0)
    return KL_ERR_ARG;
  if (mpz_cmp_ui(p, 2) < 0 || mpz_cmp_ui(q, 2) < 0 || mpz_cmp(p, q) == 0)
    return KL_ERR_ARG;
  if (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e))
    return KL_ERR_ARG;

  kl_err err;
  mpz_t p1, q1, phi, lambda, g, d, qInv;
  mpz_inits(p1, q1, phi, lambda, g, d, qInv, NULL);
  mpz_sub_ui(p1, p, 1);
  mpz_sub_ui(q1, q, 1);
  /* phi(n) = (p-1)(q-1): the order of the group of units mod n (Euler). */
  mpz_mul(phi, p1, q1);
  /* lambda(n) = lcm(p-1, q-1) = (p-1)(q-1) / gcd(p-1, q-1): the largest order
   * of any unit mod n (Carmichael). x^lambda = 1 for every unit x already,
   * so d only needs to invert e modulo lambda(n), a divisor of phi(n).
   * Example: p = 61, q = 53: phi = 60*52 = 3120, gcd(60, 52) = 4,
   * lambda = 3120 / 4 = 780. */
  err = kl_gcd(g, p1, q1);
  if (err != KL_OK)
    goto out;
  mpz_divexact(lambda, phi, g);
  if (KL_TRACING(tr)) {
    kl_trace_mpz(tr, "phi", -1, phi);
    kl_trace_mpz(tr, "lambda", -1, lambda);
  }
  /* FIPS 186-5 §A.1.1 criterion 3.b: d = e^-1 mod LCM(p-1, q-1); or, as in
   * older texts and .NET, mod phi(n) (the CLI's --phi). Both decrypt:
   * e*d = 1 + k*phi is also 1 + k'*lambda since lambda divides phi. */
  const mpz_srcptr modulus = (flags & KL_RSA_KEYGEN_PHI) ? phi : lambda;
  err = kl_modinv(d, e, modulus, tr);
  if (err != KL_OK)
    goto out; /* KL_ERR_NO_INVERSE: gcd(e, p-1) or gcd(e, q-1) is not 1 */
  /* RFC 8017 §3.2: qInv = q^-1 mod p, computed before key is touched, so that
   * a failure leaves no d, p or q in the caller's key. */
  err = kl_modinv(qInv, q, p, NULL);
  if (err != KL_OK)
    goto out; /* p and q share a factor: not two distinct primes */

  mpz_mul(key->n, p, q);
  key->n_other = 0; /* a two-prime key from here on */
  mpz_set(key->e, e);
  mpz_set(key->d, d);
  mpz_set(key->p, p);
  mpz_set(key->q, q);
  /* RFC 8017 §3.2: dP = d mod (p-1), dQ = d mod (q-1). */
  mpz_fdiv_r(key->dP, d, p1);
  mpz_fdiv_r(key->dQ, d, q1);
  mpz_set(key->qInv, qInv);
  if (KL_TRACING(tr)) {
    kl_trace_mpz(tr, "n", -1, key->n);
    kl_trace_mpz(tr, "d", -1, key->d);
    kl_trace_mpz(tr, "dP", -1, key->dP);
    kl_trace_mpz(tr, "dQ", -1, key->dQ);
    kl_trace_mpz(tr, "qInv", -1, key->qInv);
  }
out:
  mpz_clears(p1, q1, phi, lambda, g, d, qInv, NULL);
  return err;
}
