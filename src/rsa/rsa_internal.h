/* rsa_internal.h: what the RSA layer's own files share (never installed). */
#ifndef KL_RSA_INTERNAL_H
#define KL_RSA_INTERNAL_H

#include <stddef.h>

/* Declassify: tell valgrind memcheck (tests/ct) that a value computed from
 * the private key is public from here on: the result handed to the caller,
 * the one-bit verdict of the fault check, and in the blinding t = r*s mod n
 * (uniformly random, independent of r) and the rejection-sampling verdicts
 * (primitive.c, make_blinding). It is the ctgrind technique
 * (Langley 2010): secrets are "undefined", and a branch or an address on an
 * undefined value is reported. Outside valgrind, or in builds without
 * memcheck.h, it does nothing. */
#if defined(KL_CT_VALGRIND) && KL_CT_VALGRIND
#include <valgrind/memcheck.h>
#define KLI_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define KLI_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#include <pthread.h>
#include <stdint.h>

#include <gmp.h>

#include "kexlab/rsa.h"

/* ---- The reused blinding pair (blinding.c, primitive.c) ----
 * A key keeps one blinding pair (A, Ai) = (r^e, r^-1) mod n between calls,
 * under its own lock. Each use squares both ((r^2)^e = (r^e)^2), and every
 * KLI_RSA_BLINDING_USES uses a fresh r is drawn: the cost of drawing and
 * inverting r is paid once per 32 operations instead of once per operation
 * (OpenSSL's BN_BLINDING does the same). kl_rsa_priv_init makes the state,
 * kl_rsa_priv_clear wipes and frees it (key.c). NULL when malloc failed:
 * the private operation then draws a fresh pair every time. */
#define KLI_RSA_BLINDING_USES 32

struct kli_rsa_blinding {
  pthread_mutex_t lock;
  mpz_t n, e;    /* the public key the pair belongs to */
  mp_size_t N;   /* limbs of A and Ai */
  mp_limb_t *A;  /* r^e * 2^(64N) mod n (Montgomery form), secret */
  mp_limb_t *Ai; /* r^-1 * 2^(64N) mod n, secret */
  unsigned uses; /* operations since r was drawn */
};

/* blinding.c: a state with no pair yet (NULL if out of memory); free wipes
 * and frees it (NULL: nothing); drop_pair wipes and frees the pair only, so
 * that the next use draws a fresh one. */
struct kli_rsa_blinding *kli_rsa_blinding_new(void);
void kli_rsa_blinding_free(struct kli_rsa_blinding *b);
void kli_rsa_blinding_drop_pair(struct kli_rsa_blinding *b);

/* RSADP (RFC 8017 §5.1.2) on octet strings for the decryption schemes:
 * EM = I2OSP(OS2IP(C)^d mod n, k), k = kl_rsa_modulus_len(key->n), with the
 * default protections (CRT, blinding, fault check).
 *  EM   [out] exactly k octets, written from the result's limbs at the fixed
 *             length k (no normalisation, no length taken from the value);
 *             SECRET: never declassified here, the padding's decoder judges it
 *  C    [in]  the ciphertext, cLen octets (public)
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_LEN (cLen != k), KL_ERR_RANGE (c >= n),
 * KL_ERR_RNG, KL_ERR_NOMEM, KL_ERR_INTERNAL (the fault check failed; EM
 * is then all zeros). On every error EM is zeroed.
 * Timing: constant-time in the key, the blinding and the result; only c, n,
 * e and the sizes steer it (tests/ct/ct_oaep.c covers it up to OAEP's one
 * error). */
kl_err kli_rsa_decrypt_primitive_fixed(const kl_rsa_priv *key, const kl_rng *rng, uint8_t *EM,
                                       const uint8_t *C, size_t cLen);

#endif
