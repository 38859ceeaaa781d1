/* oaep.h: RSAES-OAEP, RFC 8017 §7.1, with MGF1 (App. B.2.1).
 * The label hash and the MGF1 hash are chosen separately. SHA-1 with
 * MGF1-SHA-1 and an empty label is what .NET's
 * RSACryptoServiceProvider.Encrypt(data, true) produces (the seed profile);
 * SHA-256 with MGF1-SHA-256 is kexlab's default (the hardened profile). */
#ifndef KEXLAB_OAEP_H
#define KEXLAB_OAEP_H

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

typedef struct kl_oaep_params {
  kl_hash_alg hash;     /* label hash, Hash in §7.1 */
  kl_hash_alg mgf_hash; /* MGF1's hash */
  const uint8_t *label; /* L; may be NULL iff label_len == 0 */
  size_t label_len;
} kl_oaep_params;

/* RSAES-OAEP-ENCRYPT, RFC 8017 §7.1.1.
 *  rng          [in]   draws the hLen-octet seed (step 2.d)
 *  out, out_len [out]  C, k octets; *out_len: capacity in, k out
 *  tr           [in]   optional: traces seed, DB, dbMask, maskedDB, seedMask,
 *                      maskedSeed, EM (the names of oaep-int.txt)
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN ("message too
 * long": mLen > k - 2hLen - 2), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG.
 * Secrets: M, the seed, DB and EM: scratch (seed, masks, EM) wiped on every
 * path. Timing: depends on mLen and k only; no branch on M or the seed. */
KL_NODISCARD kl_err kl_rsa_oaep_encrypt(const kl_rsa_pub *pub, const kl_oaep_params *params,
                                        const kl_rng *rng, const kl_tracer *tr, uint8_t *out,
                                        size_t *out_len, const uint8_t *M, size_t mLen);

/* RSAES-OAEP-DECRYPT, RFC 8017 §7.1.2.
 *  rng          [in]   for the blinding of the private operation
 *  tr           [in]   optional: traces EM, lHash, then step 3.b's Y,
 *                      maskedSeed, maskedDB, then seedMask, seed, dbMask, DB,
 *                      lHash' (DB's first hLen octets) and, if valid, M
 *  out, out_len [out]  M; *out_len: capacity in, mLen out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_BUF_TOO_SMALL,
 * KL_ERR_DECRYPT (every failure of steps 1-3, one error, one path: C of the
 * wrong length and C >= n included, as the RFC says; callers that want to
 * name those two public facts check them first, as `kexlab rsa decrypt` does),
 * KL_ERR_RNG (the blinding's generator failed: nothing about C).
 * Secrets: EM, seed, seedMask, DB, dbMask wiped on every path.
 * Timing: no branch on EM's contents; only mLen is revealed, after validation. */
KL_NODISCARD kl_err kl_rsa_oaep_decrypt(const kl_rsa_priv *key, const kl_oaep_params *params,
                                        const kl_rng *rng, const kl_tracer *tr, uint8_t *out,
                                        size_t *out_len, const uint8_t *C, size_t cLen);

/* EME-OAEP encoding alone, RFC 8017 §7.1.1 step 2 (a-i), for labs, traces and
 * tests (the attack demo pairs it with the raw RSA operations).
 *  EM       [out]  k octets: 0x00 || maskedSeed || maskedDB
 *  k        [in]   the modulus length in octets
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_LEN (mLen > k - 2hLen - 2),
 * KL_ERR_RNG. Secrets: seed and DB wiped. */
KL_NODISCARD kl_err kl_rsa_oaep_encode(const kl_oaep_params *params, const kl_rng *rng,
                                       const kl_tracer *tr, uint8_t *EM, size_t k, const uint8_t *M,
                                       size_t mLen);

/* EME-OAEP decoding alone, RFC 8017 §7.1.2 step 3 (a-g).
 *  out, out_len [out]  M; *out_len: capacity in, mLen out (needed size on
 *                      KL_ERR_BUF_TOO_SMALL, which only a valid EM can give)
 *  EM           [in]   k octets
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED, KL_ERR_BUF_TOO_SMALL,
 * KL_ERR_DECRYPT (Y != 0, lHash' != lHash, no 0x01 separator, or k < 2hLen + 2:
 * one error, one path). Secrets: seed, seedMask, DB and dbMask wiped on every
 * path.
 * Timing: no branch or memory index depends on EM until the one valid/invalid
 * decision; after it, mLen (public once valid) sizes the copy. */
KL_NODISCARD kl_err kl_rsa_oaep_decode(const kl_oaep_params *params, const kl_tracer *tr,
                                       uint8_t *out, size_t *out_len, const uint8_t *EM, size_t k);

#ifdef __cplusplus
}
#endif
#endif
