/* rsa.h: RSA keys and the raw RSA operations, RFC 8017 §3 and §5.
 * A private key holds the eight values of RFC 8017 §3.2 (the same eight that
 * PKCS#1 RSAPrivateKey and .NET's RSAParameters carry): n e d p q dP dQ qInv.
 * Key generation and validation (FIPS 186-5 A.1.3) are declared by the RSA
 * layer below the raw operations. */
#ifndef KEXLAB_RSA_H
#define KEXLAB_RSA_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "math.h"
#include "rng.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_RSA_MIN_BITS 1024  /* smallest modulus kexlab generates or loads for real use */
#define KL_RSA_MAX_BITS 8192

/* RFC 8017 §3.1: the public key (n, e). */
typedef struct kl_rsa_pub {
  mpz_t n; /* modulus */
  mpz_t e; /* public exponent */
} kl_rsa_pub;

/* RFC 8017 §3.2: the private key, second representation (with CRT values). */
typedef struct kl_rsa_priv {
  mpz_t n, e, d; /* modulus, public and private exponents */
  mpz_t p, q;    /* the prime factors, p > q is NOT assumed */
  mpz_t dP, dQ;  /* d mod (p-1), d mod (q-1) */
  mpz_t qInv;    /* q^-1 mod p */
} kl_rsa_priv;

void kl_rsa_pub_init(kl_rsa_pub *pub);
void kl_rsa_pub_clear(kl_rsa_pub *pub);
void kl_rsa_priv_init(kl_rsa_priv *key);
/* Wipes every value (through the wiping allocator) and frees it. */
void kl_rsa_priv_clear(kl_rsa_priv *key);
/* Copy (n, e) out of a private key. */
void kl_rsa_priv_to_pub(kl_rsa_pub *pub, const kl_rsa_priv *key);
/* k: the length of n in octets (RFC 8017 §3.1). */
size_t kl_rsa_modulus_len(const mpz_t n);

/* RSAEP, RFC 8017 §5.1.1 (also RSAVP1, §5.2.2): c = m^e mod n.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_RANGE (m not in [0, n-1]). */
KL_NODISCARD kl_err kl_rsa_public(const kl_rsa_pub *pub, mpz_t c, const mpz_t m);

/* Flags of the private operation. The default (0) is how kexlab really runs
 * it: CRT, blinded, result verified with e (the fault-attack check). */
enum {
  KL_RSA_NO_CRT = 1,      /* teaching: m = c^d mod n, RFC 8017 §5.1.2 step 2.a */
  KL_RSA_NO_BLINDING = 2, /* teaching and benchmarks only */
  KL_RSA_NO_VERIFY = 4    /* teaching and benchmarks only */
};

/* RSADP, RFC 8017 §5.1.2 (also RSASP1, §5.2.1): m = c^d mod n.
 *  rng    [in]  for blinding; may be NULL only with KL_RSA_NO_BLINDING
 *  tr     [in]  optional trace (m1, m2, h of step 2.b; blinding values)
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_RANGE (c not in [0, n-1]), KL_ERR_RNG,
 * KL_ERR_INTERNAL (the verification c == m^e mod n failed: a fault).
 * Timing: constant-time in the private values (mpn_sec_* layer). */
KL_NODISCARD kl_err kl_rsa_private(const kl_rsa_priv *key, const kl_rng *rng, unsigned flags,
                                   const kl_tracer *tr, mpz_t m, const mpz_t c);

/* The same operations on k-octet strings, as the padding schemes use them:
 * out = I2OSP(OS2IP(in)^e mod n, k), and likewise with the private key (the
 * default flags). in and out are exactly k = kl_rsa_modulus_len(n) octets.
 * Returns as above; KL_ERR_LEN if in_len != k. */
KL_NODISCARD kl_err kl_rsa_public_octets(const kl_rsa_pub *pub, uint8_t *out,
                                         const uint8_t *in, size_t in_len);
KL_NODISCARD kl_err kl_rsa_private_octets(const kl_rsa_priv *key, const kl_rng *rng,
                                          uint8_t *out, const uint8_t *in, size_t in_len);

#ifdef __cplusplus
}
#endif
#endif
