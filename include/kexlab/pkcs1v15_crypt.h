/* pkcs1v15_crypt.h: RSAES-PKCS1-v1_5, RFC 8017 §7.2, the older of the two
 * RSA encryption schemes. kexlab offers it for comparison with OAEP, for the
 * Bleichenbacher demo and for interoperability tests, never by default.
 * Decryption has two forms:
 *  - implicit rejection (the default, kl_rsa_pkcs1v15_decrypt): on bad
 *    padding it returns a deterministic pseudo-random message derived from
 *    the private exponent and the ciphertext, in constant time, so that a
 *    caller cannot turn its reaction into a padding oracle (the IETF draft
 *    draft-irtf-cfrg-rsa-guidance, "implicit rejection"; OpenSSL 3.2+ does
 *    the same);
 *  - strict (kl_rsa_pkcs1v15_decrypt_strict): RFC 8017 §7.2.2's one
 *    "decryption error", also without a branch on EM before that decision.
 * The EME-PKCS1-v1_5 encoding and decoding alone are public too, for labs. */
#ifndef KEXLAB_PKCS1V15_CRYPT_H
#define KEXLAB_PKCS1V15_CRYPT_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "rng.h"
#include "rsa.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest message of a k-octet modulus: mLen <= k - 11 (§7.2.1 step 1). */
#define KL_PKCS1V15_OVERHEAD 11

/* EME-PKCS1-v1_5 encoding, RFC 8017 §7.2.1 step 2: EM = 0x00 || 0x02 || PS ||
 * 0x00 || M, PS k - mLen - 3 >= 8 nonzero pseudo-random octets.
 *  rng  [in]   PS is drawn in one call of k - mLen - 3 octets; each zero
 *              octet is then replaced by further one-octet draws (so a file's
 *              "Seed" of nonzero octets replays exactly)
 *  EM   [out]  k octets
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_LEN (mLen > k - 11), KL_ERR_RNG.
 * Secrets: M and PS (EM wiped on failure). Timing: depends on k, mLen and
 * the number of zero octets drawn (independent of M). */
KL_NODISCARD kl_err kl_rsa_eme_pkcs1v15_encode(const kl_rng *rng, uint8_t *EM, size_t k,
                                               const uint8_t *M, size_t mLen);

/* EME-PKCS1-v1_5 decoding, RFC 8017 §7.2.2 step 3, strict.
 *  out, out_len [out]  M; *out_len: capacity in (at least k - 11), mLen out
 *  EM           [in]   k octets
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL (capacity < k - 11, checked
 * before EM is read; *out_len = k - 11), KL_ERR_DECRYPT (first octet not 0,
 * second not 2, fewer than 8 octets of PS, no zero separator: one error, one
 * path). Timing: no branch or index depends on EM before the one decision;
 * after it, mLen (public once valid) sizes the copy. */
KL_NODISCARD kl_err kl_rsa_eme_pkcs1v15_decode(uint8_t *out, size_t *out_len, const uint8_t *EM,
                                               size_t k);

/* RSAES-PKCS1-V1_5-ENCRYPT, RFC 8017 §7.2.1.
 *  rng          [in]   draws PS (see kl_rsa_eme_pkcs1v15_encode)
 *  tr           [in]   optional: traces EM and C
 *  out, out_len [out]  C, k octets; *out_len: capacity in, k out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_LEN ("message too long"),
 * KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG. Secrets: EM wiped. */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_encrypt(const kl_rsa_pub *pub, const kl_rng *rng,
                                            const kl_tracer *tr, uint8_t *out, size_t *out_len,
                                            const uint8_t *M, size_t mLen);

/* RSAES-PKCS1-V1_5-DECRYPT with implicit rejection (draft-irtf-cfrg-rsa-
 * guidance): a valid EM gives its M; any other EM gives the synthetic message
 *   KDK = HMAC-SHA256(SHA256(I2OSP(d, k)), C)
 *   lengths = IRPRF(KDK, "length", 256), R = IRPRF(KDK, "message", k)
 *   IRPRF(KDK, label, L) = the first L octets of the concatenation over
 *     i = 0, 1, ... of HMAC-SHA256(KDK, I2OSP(i, 2) || label || I2OSP(8L, 2))
 *   len = the last of the 128 two-octet values of lengths, masked to the bit
 *     length of k - 10, that is below k - 10 (0 if none)
 *   synthetic message = the last len octets of R.
 *  rng          [in]   for the blinding of the private operation
 *  tr           [in]   optional: traces EM, then M (whatever it is)
 *  out, out_len [out]  *out_len: capacity in (at least k - 11), the length out
 * Returns KL_OK for every ciphertext of k octets below n, whatever its
 * padding; KL_ERR_DECRYPT only for public facts (cLen != k, C >= n);
 * KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL (capacity < k - 11, before anything is
 * read), KL_ERR_RNG.
 * Secrets: EM, KDK, R wiped on every path.
 * Timing: no branch or index depends on EM or on the validity; the length of
 * the output (valid or synthetic, indistinguishable) sizes the final copy. */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_decrypt(const kl_rsa_priv *key, const kl_rng *rng,
                                            const kl_tracer *tr, uint8_t *out, size_t *out_len,
                                            const uint8_t *C, size_t cLen);

/* RSAES-PKCS1-V1_5-DECRYPT as RFC 8017 §7.2.2 writes it: every failure is the
 * one KL_ERR_DECRYPT. Same arguments and returns as above, plus
 * KL_ERR_DECRYPT for bad padding. A caller whose reaction to that error can
 * be observed has built Bleichenbacher's oracle: prefer the implicit form. */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_decrypt_strict(const kl_rsa_priv *key, const kl_rng *rng,
                                                   const kl_tracer *tr, uint8_t *out,
                                                   size_t *out_len, const uint8_t *C, size_t cLen);

#ifdef __cplusplus
}
#endif
#endif
