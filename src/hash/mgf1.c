/* mgf1.c: MGF1, the mask generation function of RFC 8017 (PKCS #1 v2.2)
 * Appendix B.2.1, over SHA-1 or SHA-256. OAEP (§7.1) and PSS (§9.1) use it.
 * Timing: constant-time (lengths are public). Secrets: the hash state and the
 * last block T are wiped (mgfSeed is often an OAEP seed or a masked DB).
 * Symbols: mgfSeed, maskLen, hLen, counter, C, T. */
#include <string.h>

#include "core/bytes.h"
#include "kexlab/ct.h"
#include "kexlab/hash.h"

kl_err kl_mgf1(kl_hash_alg alg, uint8_t *mask, size_t maskLen, const uint8_t *mgfSeed,
               size_t seedLen)
{
  uint8_t T[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t C[4];
  kl_hash_ctx ctx;
  kl_err err = KL_OK;

  if ((mask == NULL && maskLen != 0) || (mgfSeed == NULL && seedLen != 0))
    return KL_ERR_ARG;
  size_t hLen = kl_hash_digest_len(alg);
  if (hLen == 0)
    return KL_ERR_UNSUPPORTED;
  /* Step 1: "If maskLen > 2^32 hLen, output 'mask too long' and stop." */
  if ((uint64_t)maskLen > ((uint64_t)1 << 32) * hLen)
    return KL_ERR_LEN;

  /* Steps 2-3: for counter = 0 .. ceil(maskLen/hLen) - 1:
   *   C = I2OSP(counter, 4); T = T || Hash(mgfSeed || C).
   * Step 4: the mask is the leading maskLen octets of T. T is written
   * straight into mask, one hLen block at a time. */
  size_t done = 0;
  for (uint32_t counter = 0; done < maskLen; counter++) {
    kli_store_be32(C, counter); /* I2OSP(counter, 4) */
    err = kl_hash_init(&ctx, alg);
    if (err != KL_OK)
      goto out;
    kl_hash_update(&ctx, mgfSeed, seedLen);
    kl_hash_update(&ctx, C, sizeof C);
    kl_hash_final(&ctx, T);
    size_t take = maskLen - done < hLen ? maskLen - done : hLen;
    memcpy(mask + done, T, take);
    done += take;
  }

out:
  kl_wipe(T, sizeof T);
  kl_hash_clear(&ctx);
  return err;
}
