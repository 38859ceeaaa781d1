/* hkdf.h: HKDF, RFC 5869 (HMAC-based extract-and-expand key derivation).
 * kexlab's protocol uses HKDF-SHA256; SHA-1 is accepted for the RFC's vectors. */
#ifndef KEXLAB_HKDF_H
#define KEXLAB_HKDF_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "hash.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* §2.2 HKDF-Extract: PRK = HMAC-Hash(salt, IKM). A NULL or empty salt means
 * HashLen zero bytes. PRK holds kl_hash_digest_len(alg) bytes.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED.
 * Secrets: the HMAC state is wiped (kl_hmac). Timing: constant-time. */
KL_NODISCARD kl_err kl_hkdf_extract(kl_hash_alg alg, uint8_t *PRK, const uint8_t *salt,
                                    size_t salt_len, const uint8_t *IKM, size_t IKM_len);

/* §2.3 HKDF-Expand: OKM = first L bytes of T(1) || T(2) || ... with
 * T(i) = HMAC-Hash(PRK, T(i-1) || info || i). L <= 255 * HashLen.
 * Returns KL_OK, KL_ERR_ARG (also PRK_len < HashLen), KL_ERR_UNSUPPORTED,
 * KL_ERR_LEN (L too large).
 * Secrets: T(i) and the HMAC state are wiped on every path.
 * Timing: constant-time; L and the lengths are revealed. */
KL_NODISCARD kl_err kl_hkdf_expand(kl_hash_alg alg, uint8_t *OKM, size_t L, const uint8_t *PRK,
                                   size_t PRK_len, const uint8_t *info, size_t info_len);

/* The two steps above, tracing to tr (NULL: none): "PRK" after extract;
 * "T"[i] for each i = 1..N, then "OKM", in expand. Traces the secret PRK and
 * OKM: for study only. Return as the untraced functions. */
KL_NODISCARD kl_err kl_hkdf_extract_traced(kl_hash_alg alg, uint8_t *PRK, const uint8_t *salt,
                                           size_t salt_len, const uint8_t *IKM, size_t IKM_len,
                                           const kl_tracer *tr);
KL_NODISCARD kl_err kl_hkdf_expand_traced(kl_hash_alg alg, uint8_t *OKM, size_t L,
                                          const uint8_t *PRK, size_t PRK_len, const uint8_t *info,
                                          size_t info_len, const kl_tracer *tr);

/* Extract then expand. Returns as the two above.
 * Secrets: PRK is wiped on every path. Timing: constant-time. */
KL_NODISCARD kl_err kl_hkdf(kl_hash_alg alg, uint8_t *OKM, size_t L, const uint8_t *salt,
                            size_t salt_len, const uint8_t *IKM, size_t IKM_len,
                            const uint8_t *info, size_t info_len);

#ifdef __cplusplus
}
#endif
#endif
