/* pss.h: RSA signatures, RFC 8017: RSASSA-PSS (§8.1, EMSA-PSS §9.1) and
 * RSASSA-PKCS1-v1_5 (§8.2, EMSA-PKCS1-v1_5 §9.2), over SHA-1 or any SHA-2 hash.
 * The functions take the message M and hash it themselves. */
#ifndef KEXLAB_PSS_H
#define KEXLAB_PSS_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "hash.h"
#include "rng.h"
#include "rsa.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sLen default: the hash length. */
#define KL_PSS_SALT_HASH_LEN ((size_t)-1)

/* Verification only: accept any salt length, as EMSA-PSS-VERIFY finds it
 * from the position of the 0x01 octet in DB, if it is at least sLen_min
 * (what a key restricted to RSASSA-PSS allows: RFC 4055 §3.1's saltLength is
 * the minimum). Signing refuses it (KL_ERR_ARG). */
#define KL_PSS_SALT_ANY ((size_t)-2)

typedef struct kl_pss_params {
  kl_hash_alg hash;     /* Hash (mHash and M' of §9.1) */
  size_t sLen;          /* salt length in octets, KL_PSS_SALT_HASH_LEN or KL_PSS_SALT_ANY */
  kl_hash_alg mgf_hash; /* MGF1's hash (RFC 8017 App. B.2.1); 0: the same as hash */
  size_t sLen_min;      /* with KL_PSS_SALT_ANY: the shortest salt accepted */
} kl_pss_params;

/* RSASSA-PSS-SIGN, §8.1.1. rng draws the salt (and the blinding).
 *  tr           [in]   (_traced only) optional: EMSA-PSS-ENCODE's values
 *                      (mHash, salt, M', H, DB, dbMask, maskedDB, EM), then s
 *  out, out_len [out]  S, k octets; *out_len: capacity in, k out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN (encoding error:
 * emLen < hLen + sLen + 2), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG, KL_ERR_INTERNAL.
 * Secrets: the key's values stay in kl_rsa_private; EM is wiped on every path.
 * Timing: the private operation is constant-time (blinded CRT, kl_rsa_private);
 * the encoding works on public data only (mHash, the salt, the lengths). */
KL_NODISCARD kl_err kl_rsa_pss_sign(const kl_rsa_priv *key, const kl_pss_params *params,
                                    const kl_rng *rng, uint8_t *out, size_t *out_len,
                                    const uint8_t *M, size_t mLen);
/* kl_rsa_pss_sign, tracing to tr (NULL: none) as described above. */
KL_NODISCARD kl_err kl_rsa_pss_sign_traced(const kl_rsa_priv *key, const kl_pss_params *params,
                                           const kl_rng *rng, const kl_tracer *tr, uint8_t *out,
                                           size_t *out_len, const uint8_t *M, size_t mLen);
/* RSASSA-PSS-VERIFY, §8.1.2. Returns KL_OK (valid), KL_ERR_VERIFY (invalid,
 * including a signature of the wrong length), KL_ERR_ARG, KL_ERR_UNSUPPORTED.
 *  tr  [in]  (_traced only) optional: the integers s and m = s^e mod n, then EM and the
 *            values of EMSA-PSS-VERIFY (mHash, maskedDB, H, dbMask, DB, salt,
 *            M', H'), as far as the checks get
 * Secrets: none (public key, message, signature). Timing: not constant-time
 * (nothing here is secret). */
KL_NODISCARD kl_err kl_rsa_pss_verify(const kl_rsa_pub *pub, const kl_pss_params *params,
                                      const uint8_t *M, size_t mLen, const uint8_t *S,
                                      size_t sLen_bytes);
/* kl_rsa_pss_verify, tracing to tr (NULL: none) as described above. */
KL_NODISCARD kl_err kl_rsa_pss_verify_traced(const kl_rsa_pub *pub, const kl_pss_params *params,
                                             const kl_tracer *tr, const uint8_t *M, size_t mLen,
                                             const uint8_t *S, size_t sLen_bytes);

/* RSASSA-PKCS1-V1_5-SIGN, §8.2.1, DigestInfo per §9.2 Note 1.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN ("RSA modulus too
 * short"), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG, KL_ERR_INTERNAL.
 * Secrets: EM wiped on every path. Timing: as kl_rsa_pss_sign (the private
 * operation is constant-time; EM is a function of the public hash). */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_sign(const kl_rsa_priv *key, kl_hash_alg hash,
                                         const kl_rng *rng, uint8_t *out, size_t *out_len,
                                         const uint8_t *M, size_t mLen);
/* RSASSA-PKCS1-V1_5-VERIFY, §8.2.2: rebuild EM' and compare in constant
 * time; the decrypted block is never parsed. Returns KL_OK or KL_ERR_VERIFY.
 * Secrets: none. Timing: constant-time compare of EM and EM' (kl_ct_memeq),
 * so no parser's early exit can be probed. */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_verify(const kl_rsa_pub *pub, kl_hash_alg hash,
                                           const uint8_t *M, size_t mLen, const uint8_t *S,
                                           size_t sLen_bytes);

/* The encoding methods alone, for labs, traces and the vector tests (pss-int.txt
 * steps, FIPS 186 SigGen checks without the private key).
 *
 * EMSA-PSS-ENCODE, §9.1.1, with emBits = modBits - 1 in the signature scheme.
 *  EM     [out]  emLen = ceil(emBits / 8) octets: maskedDB || H || 0xbc
 *  rng    [in]   draws the sLen-octet salt (step 4); may be NULL iff sLen == 0
 *  tr     [in]   optional: mHash, salt, M', H, DB, dbMask, maskedDB, EM
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN ("encoding error":
 * emLen < hLen + sLen + 2), KL_ERR_RNG.
 * Secrets: none of its own (EM is wiped on failure; scratch always).
 * Timing: not constant-time in the lengths (public). */
KL_NODISCARD kl_err kl_rsa_pss_encode(const kl_pss_params *params, const kl_rng *rng,
                                      const kl_tracer *tr, uint8_t *EM, size_t emLen,
                                      unsigned emBits, const uint8_t *M, size_t mLen);
/* EMSA-PSS-VERIFY, §9.1.2: every check of steps 3-14.
 *  tr  [in]  optional: mHash, maskedDB, H, dbMask, DB, salt, M', H'
 * Returns KL_OK ("consistent"), KL_ERR_VERIFY ("inconsistent"), KL_ERR_ARG,
 * KL_ERR_UNSUPPORTED. Timing: not constant-time (nothing here is secret). */
KL_NODISCARD kl_err kl_rsa_pss_verify_em(const kl_pss_params *params, const kl_tracer *tr,
                                         const uint8_t *M, size_t mLen, const uint8_t *EM,
                                         size_t emLen, unsigned emBits);
/* EMSA-PKCS1-v1_5-ENCODE, §9.2: EM = 0x00 || 0x01 || PS || 0x00 || T, with
 * T the DER DigestInfo of Hash(M) (§9.2 Note 1), PS >= 8 octets of 0xff.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN ("intended encoded
 * message length too short": emLen < tLen + 11).
 * Secrets: none. Timing: depends on the lengths only (public). */
KL_NODISCARD kl_err kl_rsa_pkcs1v15_encode(kl_hash_alg hash, uint8_t *EM, size_t emLen,
                                           const uint8_t *M, size_t mLen);

#ifdef __cplusplus
}
#endif
#endif
