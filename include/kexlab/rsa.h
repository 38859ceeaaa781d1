/* rsa.h: RSA keys and the raw RSA operations, RFC 8017 §3 and §5.
 * A private key holds the eight values of RFC 8017 §3.2 (the same eight that
 * PKCS#1 RSAPrivateKey and .NET's RSAParameters carry): n e d p q dP dQ qInv.
 * Below the raw operations: building a key from p, q, e; key generation
 * (FIPS 186-5 A.1.3); validation of a supplied key with a per-check report. */
#ifndef KEXLAB_RSA_H
#define KEXLAB_RSA_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "numtheory.h"
#include "rng.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_RSA_MIN_BITS 1024 /* smallest modulus kexlab generates or loads for real use */
#define KL_RSA_MAX_BITS 8192

/* RFC 8017 §3.1: the public key (n, e). */
typedef struct kl_rsa_pub {
  mpz_t n; /* modulus */
  mpz_t e; /* public exponent */
} kl_rsa_pub;

/* RFC 8017 §3.2: one further prime of a multi-prime key (OtherPrimeInfo):
 * r_i, its CRT exponent d_i = d mod (r_i - 1) and its CRT coefficient
 * t_i = (r_1 * r_2 * ... * r_(i-1))^-1 mod r_i, for i = 3 .. u (r_1 = p,
 * r_2 = q). */
typedef struct kl_rsa_prime_info {
  mpz_t r, d, t;
} kl_rsa_prime_info;

/* u, the number of primes of a key: RFC 8017 sets no limit; kexlab reads,
 * writes and uses keys of up to 5 primes (p, q and three others), as many as
 * OpenSSL makes for the largest moduli (`rsa keygen --primes`, keygen.c). */
#define KL_RSA_MAX_PRIMES 5

/* The reused blinding pair of a key and its lock (primitive.c). */
struct kli_rsa_blinding;

/* RFC 8017 §3.2: the private key, second representation (with CRT values). */
typedef struct kl_rsa_priv {
  mpz_t n, e, d; /* modulus, public and private exponents */
  mpz_t p, q;    /* the prime factors, p > q is NOT assumed */
  mpz_t dP, dQ;  /* d mod (p-1), d mod (q-1) */
  mpz_t qInv;    /* q^-1 mod p */
  /* Multi-prime keys (RFC 8017 §3.2, version 1): n = p * q * r_3 * ... * r_u,
   * other[0 .. n_other - 1] hold r_3 .. r_u. 0 for a two-prime key. */
  unsigned n_other;
  kl_rsa_prime_info other[KL_RSA_MAX_PRIMES - 2];
  /* Private to the RSA layer: the blinding pair reused across calls, under
   * its own lock (kl_rsa_priv_init makes it, kl_rsa_priv_clear frees it). */
  struct kli_rsa_blinding *blinding;
} kl_rsa_priv;

void kl_rsa_pub_init(kl_rsa_pub *pub);
void kl_rsa_pub_clear(kl_rsa_pub *pub);
void kl_rsa_priv_init(kl_rsa_priv *key);
/* Wipes every value (through the wiping allocator) and frees it. */
void kl_rsa_priv_clear(kl_rsa_priv *key);
/* u, the number of primes: 2 + key->n_other. */
unsigned kl_rsa_priv_primes(const kl_rsa_priv *key);
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
 * Timing: constant-time in the private values and the blinding factor
 * (mpn_sec_* layer; tests/ct/ct_rsa.c). The one variable-time step inverts
 * t = r*s mod n, uniformly random and independent of every secret.
 * Multi-prime keys (key->n_other > 0) take the CRT of step 2.b.v as well
 * (traced "m_3", "h_3", ...).
 * Blinding: the key keeps a blinding pair, squared at each use and drawn
 * afresh every 32 uses, under the key's own lock (so one key may serve
 * several threads); a traced call draws its own.
 * Secrets: d, the primes, their CRT values, r and every intermediate limb
 * live in one scratch block that is wiped on every path (kl_wipe before
 * free); the kept pair is wiped when the key is cleared.
 * Cost: one allocation per call; about 96 % the CRT exponentiations. */
KL_NODISCARD kl_err kl_rsa_private(const kl_rsa_priv *key, const kl_rng *rng, unsigned flags,
                                   const kl_tracer *tr, mpz_t m, const mpz_t c);

/* The same operations on k-octet strings, as the padding schemes use them:
 * out = I2OSP(OS2IP(in)^e mod n, k), and likewise with the private key (the
 * default flags). in and out are exactly k = kl_rsa_modulus_len(n) octets.
 * Returns as above; KL_ERR_LEN if in_len != k. */
KL_NODISCARD kl_err kl_rsa_public_octets(const kl_rsa_pub *pub, uint8_t *out, const uint8_t *in,
                                         size_t in_len);
KL_NODISCARD kl_err kl_rsa_private_octets(const kl_rsa_priv *key, const kl_rng *rng, uint8_t *out,
                                          const uint8_t *in, size_t in_len);

/* ---- Building a key from its primes, key generation (keygen.c) ------- */

/* Options of key generation and of kl_rsa_priv_from_pqe. */
enum {
  KL_RSA_KEYGEN_PHI = 1,        /* d = e^-1 mod phi(n) (older texts, .NET) instead of lambda(n) */
  KL_RSA_KEYGEN_ALLOW_SMALL = 2 /* tests and labs: allow nlen from 512 bits (never for real keys) */
};

#define KL_RSA_DEFAULT_BITS 2048
#define KL_RSA_DEFAULT_E 65537ul
#define KL_RSA_SMALL_MIN_BITS 512

/* Complete a private key from p, q and e (RFC 8017 §3.2; FIPS 186-5 §A.1.1):
 * n = p*q, d = e^-1 mod lambda(n) (or mod phi(n) with KL_RSA_KEYGEN_PHI),
 * dP = d mod (p-1), dQ = d mod (q-1), qInv = q^-1 mod p.
 * No size or primality policy: that is key generation's and validation's job,
 * so the n = 3233 demo goes through here too.
 *  tr [in] optional: "phi", "lambda", the extended-Euclid rows that find d,
 *          then "d", "dP", "dQ", "qInv".
 * Returns KL_OK, KL_ERR_ARG (NULL, p or q < 2, p = q, e < 3 or even),
 * KL_ERR_NO_INVERSE (e not coprime to lambda(n), resp. phi(n); or p, q not coprime).
 * Secrets: every temporary wiped (GMP allocator); on failure key is left as
 * it was (nothing of p, q or d written). Timing: NOT constant-time
 * (extended Euclid on secret values, as in key generation). */
KL_NODISCARD kl_err kl_rsa_priv_from_pqe(kl_rsa_priv *key, const mpz_t p, const mpz_t q,
                                         const mpz_t e, unsigned flags, const kl_tracer *tr);

/* RSA key-pair generation, FIPS 186-5 §A.1.3 (random probable primes), each
 * check cited in keygen.c where it is enforced:
 *   p, q of nlen/2 bits with p, q >= sqrt(2) * 2^(nlen/2 - 1)  (steps 4.4, 5.5)
 *   gcd(e, p-1) = gcd(e, q-1) = 1                               (steps 4.5, 5.6)
 *   |p - q| > 2^(nlen/2 - 100)                                  (step 5.4)
 *   d > 2^(nlen/2)  (§A.1.1 criterion 3.a; regenerate otherwise)
 *  nlen     [in] even, KL_RSA_MIN_BITS..KL_RSA_MAX_BITS (0: 2048); from
 *                KL_RSA_SMALL_MIN_BITS with KL_RSA_KEYGEN_ALLOW_SMALL
 *  e        [in] NULL for 65537; otherwise odd, 3 <= e < 2^256 (FIPS 186-5
 *                asks 2^16 < e; smaller e are accepted, the CLI warns)
 *  flags    [in] KL_RSA_KEYGEN_*
 *  progress [in] optional: '.', '+', '*' per candidate (numtheory.h), '\n' between p and q
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_KEY_LEN (nlen), KL_ERR_RNG, KL_ERR_NOMEM.
 * Secrets: key is cleared and re-initialised on failure; temporaries wiped.
 * Timing: NOT constant-time (prime search; see numtheory.h). */
KL_NODISCARD kl_err kl_rsa_keygen(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen, const mpz_t e,
                                  unsigned flags, const kl_progress *progress);

/* As kl_rsa_keygen, traced (tr optional; `kexlab rsa keygen --trace`):
 * "nlen", "e"; "step" "4: generate p", the kl_prime_random_traced trace, "p"
 * and a "check" note per condition of steps 4.4 and 4.5 ("...: yes"); the
 * same for q (steps 5.5, 5.6); "|p-q|", "2^(nlen/2-100)" and the step 5.4
 * check; "d", "2^(nlen/2)" and the A.1.1 check. Secrets: p, q, d are traced. */
KL_NODISCARD kl_err kl_rsa_keygen_traced(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen,
                                         const mpz_t e, unsigned flags, const kl_progress *progress,
                                         const kl_tracer *tr);

/* The most primes kexlab puts in an nlen-bit key: 2 below 1024 bits, 3
 * below 4096, 4 below 8192, 5 at 8192, the limits OpenSSL uses (each prime
 * keeps at least about 340 bits, well beyond what the elliptic-curve method
 * finds, so factoring n stays as hard as for two primes). RFC 8017 sets no
 * limit; FIPS 186-5 allows only two. */
unsigned kl_rsa_max_primes(unsigned nlen);

/* A multi-prime key (RFC 8017 §3.2, version 1): u primes r_1 .. r_u of
 * nlen/u bits each (the remainder spread over the first ones), top two bits
 * set, gcd(r_i - 1, e) = 1, distinct, product of exactly nlen bits;
 * d = e^-1 mod lcm(r_i - 1) (or mod phi(n) with KL_RSA_KEYGEN_PHI), with
 * d > 2^(nlen/2) as in §A.1.1; dP, dQ, qInv and per further prime
 * d_i = d mod (r_i - 1), t_i = (r_1 ... r_(i-1))^-1 mod r_i. u = 2 is
 * kl_rsa_keygen. Outside FIPS 186-5, which allows two primes only.
 *  u [in] 2 <= u <= kl_rsa_max_primes(nlen)
 * Returns as kl_rsa_keygen; KL_ERR_ARG also for u out of range.
 * Secrets, Timing: as kl_rsa_keygen. */
KL_NODISCARD kl_err kl_rsa_keygen_multi(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen,
                                        const mpz_t e, unsigned u, unsigned flags,
                                        const kl_progress *progress);

/* ---- Validation of a supplied key (validate.c) ------------------------- */

/* Every check kl_rsa_priv_check runs, in order. The first group makes a key
 * unusable (wrong results); the second is policy: FIPS 186-5 conditions and
 * known attacks on badly chosen keys. */
typedef enum kl_rsa_check_id {
  KL_RSA_CHECK_RANGE = 0, /* every value > 0; p, q > 1; d, dP, dQ, qInv below their moduli */
  KL_RSA_CHECK_E_VALID,   /* e odd and 3 <= e < n (e = 1 makes encryption the identity) */
  KL_RSA_CHECK_P_PRIME,   /* p prime (Miller-Rabin, adversarial rounds) */
  KL_RSA_CHECK_Q_PRIME,   /* q prime */
  KL_RSA_CHECK_P_NE_Q, /* p != q (else phi(n) is not (p-1)(q-1) and n = p^2 is factored by a sqrt) */
  KL_RSA_CHECK_N_PQ,   /* n = p*q */
  KL_RSA_CHECK_ED,     /* e*d = 1 (mod lambda(n)) */
  KL_RSA_CHECK_DP,     /* dP = d mod (p-1) */
  KL_RSA_CHECK_DQ,     /* dQ = d mod (q-1) */
  KL_RSA_CHECK_QINV,   /* q*qInv = 1 (mod p) */
  /* policy (FIPS 186-5 and attacks): */
  KL_RSA_CHECK_NLEN,    /* nlen even and >= 2048 (FIPS 186-5 §5.1: at least 112-bit security) */
  KL_RSA_CHECK_E_FIPS,  /* 2^16 < e < 2^256 (FIPS 186-5 §A.1.1; §A.1.3 step 2) */
  KL_RSA_CHECK_PQ_SIZE, /* sqrt(2)*2^(nlen/2-1) <= p, q < 2^(nlen/2) (§A.1.3 steps 4.4, 5.5) */
  KL_RSA_CHECK_PQ_DISTANCE, /* |p-q| > 2^(nlen/2-100) (§A.1.3 step 5.4): else Fermat factors n */
  KL_RSA_CHECK_D_SIZE,      /* 2^(nlen/2) < d < lambda(n) (§A.1.1): a small d falls to Wiener */
  KL_RSA_CHECK_COUNT
} kl_rsa_check_id;

typedef enum kl_rsa_check_status {
  KL_RSA_CHECK_SKIPPED = 0, /* not run: a check it depends on failed */
  KL_RSA_CHECK_PASS = 1,
  KL_RSA_CHECK_FAIL = 2
} kl_rsa_check_status;

/* Where d was reduced: what a student asks first about a key from elsewhere. */
typedef enum kl_rsa_d_modulus {
  KL_RSA_D_UNKNOWN = 0, /* e*d != 1 mod lambda(n), or not checked */
  KL_RSA_D_LAMBDA = 1,  /* d < lambda(n): d = e^-1 mod lambda(n) (PKCS#1, FIPS 186-5) */
  KL_RSA_D_PHI = 2,     /* lambda(n) <= d < phi(n), e*d = 1 mod phi(n) (older texts, .NET) */
  KL_RSA_D_OTHER = 3    /* valid, but reduced by neither (e.g. d >= phi(n)) */
} kl_rsa_d_modulus;

typedef struct kl_rsa_check_report {
  kl_rsa_check_status status[KL_RSA_CHECK_COUNT];
  unsigned nlen;          /* bits of n */
  int usable;             /* 1 when every check before KL_RSA_CHECK_NLEN passed */
  int fips;               /* 1 when every check passed */
  kl_rsa_d_modulus d_mod; /* where d was reduced */
  /* Numbers behind the policy checks (for `kexlab rsa check` to explain them):
   * bits of |p - q| (FIPS minimum: nlen/2 - 100 + 1) and of d (minimum nlen/2 + 1). */
  unsigned pq_distance_bits;
  unsigned d_bits;
  /* Multi-prime keys: the further primes r_3 .. r_u (index i - 3) have their
   * own checks; RANGE, P_NE_Q, N_PQ and ED above cover every prime (n is the
   * product of all, lambda(n) the lcm of all r_i - 1). */
  unsigned n_other;                                       /* u - 2 */
  kl_rsa_check_status other_prime[KL_RSA_MAX_PRIMES - 2]; /* r_i prime */
  kl_rsa_check_status other_exp[KL_RSA_MAX_PRIMES - 2];   /* d_i = d mod (r_i - 1) */
  kl_rsa_check_status other_coef[KL_RSA_MAX_PRIMES - 2];  /* t_i * r_1 ... r_(i-1) = 1 mod r_i */
  /* Loading for use (kl_rsa_priv_check_load): one private operation on a
   * random value, its result checked with e. SKIPPED by kl_rsa_priv_check. */
  kl_rsa_check_status test_op;
} kl_rsa_check_report;

/* Validate a key someone supplied (RFC 8017 §3.2, FIPS 186-5 §A.1.1, §A.1.3;
 * SP 800-56B Rev. 2 §6.4.1 lists the same checks). Fills *rep with the status
 * of every check.
 *  rng [in] for the Miller-Rabin bases (KL_MR_ROUNDS_ADVERSARIAL rounds)
 * Returns KL_OK (key usable: rep->usable = 1; see rep->fips for policy),
 * KL_ERR_KEY (a check of the first group failed), KL_ERR_ARG, KL_ERR_RNG.
 * Timing: NOT constant-time (validation runs on keys being imported). */
KL_NODISCARD kl_err kl_rsa_priv_check(kl_rsa_check_report *rep, const kl_rsa_priv *key,
                                      const kl_rng *rng);

/* The checks a key needs before use, cheap enough for every load (a few
 * milliseconds at 4096 bits instead of the Miller-Rabin tests' 0.4 s):
 * every check of the first group except primality (KL_RSA_CHECK_P_PRIME,
 * KL_RSA_CHECK_Q_PRIME and other_prime are left SKIPPED), then one private
 * operation (CRT, blinded) on a random value with its fault check, which a
 * composite "prime" fails with overwhelming probability. rep->usable is 1
 * when all of these pass. The policy checks are filled as by
 * kl_rsa_priv_check. Primality is the audit's (`kexlab rsa check`).
 * Returns KL_OK, KL_ERR_KEY, KL_ERR_ARG, KL_ERR_RNG, KL_ERR_NOMEM.
 * Timing: NOT constant-time in the consistency checks (as above); the test
 * operation is the ordinary constant-time private operation. */
KL_NODISCARD kl_err kl_rsa_priv_check_load(kl_rsa_check_report *rep, const kl_rsa_priv *key,
                                           const kl_rng *rng);

/* "n = p*q", "e*d = 1 mod lambda(n)", ...: a short statement of the check. */
const char *kl_rsa_check_name(kl_rsa_check_id id);
/* The section that asks for it, e.g. "FIPS 186-5 A.1.3 step 5.4". */
const char *kl_rsa_check_source(kl_rsa_check_id id);
/* 1 for the policy checks (KL_RSA_CHECK_NLEN and after). */
int kl_rsa_check_is_policy(kl_rsa_check_id id);

#ifdef __cplusplus
}
#endif
#endif
