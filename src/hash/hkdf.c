/* hkdf.c: HKDF, RFC 5869 (May 2010) §2.2 (Extract) and §2.3 (Expand), on
 * HMAC-SHA1 or HMAC-SHA256.
 * Timing: constant-time (lengths are public). Secrets: PRK, T(i) and the HMAC
 * states are wiped. Symbols: salt, IKM, PRK, info, L, N, T(i), HashLen, OKM.
 * Trace (the _traced variants): "PRK" (§2.2), then "T"[i] for i = 1..N and
 * "OKM" (§2.3). */
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/hkdf.h"
#include "kexlab/hmac.h"

kl_err kl_hkdf_extract(kl_hash_alg alg, uint8_t *PRK, const uint8_t *salt, size_t salt_len,
                       const uint8_t *IKM, size_t IKM_len)
{
  return kl_hkdf_extract_traced(alg, PRK, salt, salt_len, IKM, IKM_len, NULL);
}

kl_err kl_hkdf_extract_traced(kl_hash_alg alg, uint8_t *PRK, const uint8_t *salt, size_t salt_len,
                              const uint8_t *IKM, size_t IKM_len, const kl_tracer *tr)
{
  uint8_t zeros[KL_HASH_MAX_DIGEST_BYTES];
  if (PRK == NULL || (salt == NULL && salt_len != 0) || (IKM == NULL && IKM_len != 0))
    return KL_ERR_ARG;
  size_t HashLen = kl_hash_digest_len(alg);
  if (HashLen == 0)
    return KL_ERR_UNSUPPORTED;
  /* §2.2: "if not provided, [salt] is set to a string of HashLen zeros".
   * An empty salt gives the same PRK anyway: HMAC pads the key with zeros
   * to the block length either way (FIPS 198-1 §4 step 3). */
  if (salt_len == 0) {
    memset(zeros, 0, sizeof zeros);
    salt = zeros;
    salt_len = HashLen;
  }
  /* PRK = HMAC-Hash(salt, IKM) */
  kl_err err = kl_hmac(alg, PRK, salt, salt_len, IKM, IKM_len);
  if (err == KL_OK)
    KL_TRACE(tr, "PRK", -1, PRK, HashLen);
  return err;
}

kl_err kl_hkdf_expand(kl_hash_alg alg, uint8_t *OKM, size_t L, const uint8_t *PRK, size_t PRK_len,
                      const uint8_t *info, size_t info_len)
{
  return kl_hkdf_expand_traced(alg, OKM, L, PRK, PRK_len, info, info_len, NULL);
}

kl_err kl_hkdf_expand_traced(kl_hash_alg alg, uint8_t *OKM, size_t L, const uint8_t *PRK,
                             size_t PRK_len, const uint8_t *info, size_t info_len,
                             const kl_tracer *tr)
{
  uint8_t T[KL_HASH_MAX_DIGEST_BYTES];
  kl_hmac_ctx ctx;
  kl_err err = KL_OK;

  if ((OKM == NULL && L != 0) || PRK == NULL || (info == NULL && info_len != 0))
    return KL_ERR_ARG;
  size_t HashLen = kl_hash_digest_len(alg);
  if (HashLen == 0)
    return KL_ERR_UNSUPPORTED;
  /* §2.3: L <= 255*HashLen (the counter is one octet). PRK is "at least
   * HashLen octets"; shorter keys are refused as a likely mistake. */
  if (L > 255 * HashLen)
    return KL_ERR_LEN;
  if (PRK_len < HashLen)
    return KL_ERR_ARG;

  /* N = ceil(L/HashLen); T(0) = empty;
   * T(i) = HMAC-Hash(PRK, T(i-1) || info || i), OKM = first L octets of T(1) || T(2) || ... */
  size_t done = 0;
  for (unsigned i = 1; done < L; i++) {
    uint8_t counter = (uint8_t)i;
    err = kl_hmac_init(&ctx, alg, PRK, PRK_len);
    if (err != KL_OK)
      goto out;
    if (i > 1)
      kl_hmac_update(&ctx, T, HashLen); /* T(i-1); T(0) is empty */
    kl_hmac_update(&ctx, info, info_len);
    kl_hmac_update(&ctx, &counter, 1);
    kl_hmac_final(&ctx, T);
    KL_TRACE(tr, "T", (int)i, T, HashLen);
    size_t take = L - done < HashLen ? L - done : HashLen;
    memcpy(OKM + done, T, take);
    done += take;
  }
  KL_TRACE(tr, "OKM", -1, OKM, L);

out:
  kl_wipe(T, sizeof T);
  kl_hmac_clear(&ctx);
  return err;
}

kl_err kl_hkdf(kl_hash_alg alg, uint8_t *OKM, size_t L, const uint8_t *salt, size_t salt_len,
               const uint8_t *IKM, size_t IKM_len, const uint8_t *info, size_t info_len)
{
  uint8_t PRK[KL_HASH_MAX_DIGEST_BYTES];
  kl_err err = kl_hkdf_extract(alg, PRK, salt, salt_len, IKM, IKM_len);
  if (err != KL_OK)
    goto out;
  err = kl_hkdf_expand(alg, OKM, L, PRK, kl_hash_digest_len(alg), info, info_len);
out:
  kl_wipe(PRK, sizeof PRK);
  return err;
}
