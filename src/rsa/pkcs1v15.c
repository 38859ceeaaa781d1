/* pkcs1v15.c: RSASSA-PKCS1-v1_5, RFC 8017 §8.2 (sign §8.2.1, verify §8.2.2),
 * with EMSA-PKCS1-v1_5 (§9.2) and the DigestInfo prefixes of §9.2 Note 1
 * for SHA-1 and the SHA-2 family. Reference and only path.
 * Verification rebuilds the expected EM' and compares it with EM in constant
 * time; it never parses the block it got from RSAVP1, so no lax parser can be
 * fooled (Bleichenbacher's 2006 e = 3 forgery attacked exactly such parsers).
 * Symbols: k, emLen, H, T, tLen, PS, EM, EM'.
 * Layout: EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || T, T = DigestInfo(H).
 * See also pss.c, tests/test_pss.c, docs/rsa-padding.md. */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/pss.h"
#include "rsa/pkcs1_internal.h"

/* RFC 8017 §9.2 Note 1: the DER of DigestInfo up to the hash value:
 *   SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING (hLen) }. */
static const uint8_t prefix_sha1[] = {
  0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
};
static const uint8_t prefix_sha256[] = {
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
};
/* The other SHA-2 hashes differ from SHA-256 in the last arc of the OID
 * (2.16.840.1.101.3.4.2.<n>, RFC 8017 App. A.2.4 / §9.2 Note 1) and in the
 * lengths: the outer SEQUENCE's (0x2d, 0x41, 0x51) and the OCTET STRING's. */
static const uint8_t prefix_sha224[] = {
  0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1c,
};
static const uint8_t prefix_sha384[] = {
  0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
};
static const uint8_t prefix_sha512[] = {
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
};
static const uint8_t prefix_sha512_224[] = {
  0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x05, 0x05, 0x00, 0x04, 0x1c,
};
static const uint8_t prefix_sha512_256[] = {
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
  0x65, 0x03, 0x04, 0x02, 0x06, 0x05, 0x00, 0x04, 0x20,
};

/* The DigestInfo prefix of alg, or NULL. */
static const uint8_t *digest_info_prefix(kl_hash_alg alg, size_t *len)
{
  switch (alg) {
  case KL_HASH_SHA1:
    *len = sizeof prefix_sha1;
    return prefix_sha1;
  case KL_HASH_SHA256:
    *len = sizeof prefix_sha256;
    return prefix_sha256;
  case KL_HASH_SHA224:
    *len = sizeof prefix_sha224;
    return prefix_sha224;
  case KL_HASH_SHA384:
    *len = sizeof prefix_sha384;
    return prefix_sha384;
  case KL_HASH_SHA512:
    *len = sizeof prefix_sha512;
    return prefix_sha512;
  case KL_HASH_SHA512_224:
    *len = sizeof prefix_sha512_224;
    return prefix_sha512_224;
  case KL_HASH_SHA512_256:
    *len = sizeof prefix_sha512_256;
    return prefix_sha512_256;
  default:
    *len = 0;
    return NULL;
  }
}

kl_err kl_rsa_pkcs1v15_encode(kl_hash_alg hash, uint8_t *EM, size_t emLen, const uint8_t *M,
                              size_t mLen)
{
  size_t prefixLen = 0;
  const uint8_t *prefix = digest_info_prefix(hash, &prefixLen);
  const size_t hLen = kl_hash_digest_len(hash);
  if (prefix == NULL || hLen == 0)
    return KL_ERR_UNSUPPORTED;
  if (EM == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  /* Step 2: T = DigestInfo, tLen octets. Step 3: emLen >= tLen + 11
   * (PS at least 8 octets). */
  const size_t tLen = prefixLen + hLen;
  if (emLen < tLen + 11)
    return KL_ERR_LEN;
  const size_t psLen = emLen - tLen - 3;
  /* Step 1: H = Hash(M), written straight to its place at the end of T. */
  kl_err err = kl_hash(hash, EM + emLen - hLen, M, mLen);
  if (err != KL_OK)
    return err;
  memcpy(EM + emLen - tLen, prefix, prefixLen);
  /* Steps 4-5: EM = 0x00 || 0x01 || PS || 0x00 || T. */
  EM[0] = 0x00;
  EM[1] = 0x01;
  memset(EM + 2, 0xff, psLen);
  EM[2 + psLen] = 0x00;
  return KL_OK;
}

kl_err kl_rsa_pkcs1v15_sign(const kl_rsa_priv *key, kl_hash_alg hash, const kl_rng *rng,
                            uint8_t *out, size_t *out_len, const uint8_t *M, size_t mLen)
{
  uint8_t EM[KLI_PKCS1_MAX_K];
  if (kl_hash_digest_len(hash) == 0)
    return KL_ERR_UNSUPPORTED;
  if (key == NULL || rng == NULL || out == NULL || out_len == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(key->n);
  if (k == 0 || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  /* §8.2.1 step 1: EM = EMSA-PKCS1-V1_5-ENCODE(M, k) ("RSA modulus too short"
   * becomes KL_ERR_LEN). */
  kl_err err = kl_rsa_pkcs1v15_encode(hash, EM, k, M, mLen);
  if (err != KL_OK)
    goto out;
  if (*out_len < k) {
    *out_len = k;
    err = KL_ERR_BUF_TOO_SMALL;
    goto out;
  }
  /* Step 2: m = OS2IP(EM), s = RSASP1(K, m), S = I2OSP(s, k). */
  err = kl_rsa_private_octets(key, rng, out, EM, k);
  if (err != KL_OK)
    goto out;
  *out_len = k;

out:
  kl_wipe(EM, sizeof EM);
  return err;
}

kl_err kl_rsa_pkcs1v15_verify(const kl_rsa_pub *pub, kl_hash_alg hash, const uint8_t *M,
                              size_t mLen, const uint8_t *S, size_t sLen_bytes)
{
  uint8_t EM[KLI_PKCS1_MAX_K];
  uint8_t EMp[KLI_PKCS1_MAX_K]; /* EM' */
  if (kl_hash_digest_len(hash) == 0)
    return KL_ERR_UNSUPPORTED;
  if (pub == NULL || (M == NULL && mLen != 0) || (S == NULL && sLen_bytes != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(pub->n);
  if (k == 0 || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  kl_err err = KL_ERR_VERIFY;

  /* §8.2.2 step 1: S must be k octets. */
  if (sLen_bytes != k)
    goto out;
  /* Step 2: s = OS2IP(S), m = RSAVP1((n, e), s), EM = I2OSP(m, k);
   * s >= n is an invalid signature. */
  err = kl_rsa_public_octets(pub, EM, S, k);
  if (err == KL_ERR_RANGE)
    err = KL_ERR_VERIFY;
  if (err != KL_OK)
    goto out;
  /* Step 3: EM' = EMSA-PKCS1-V1_5-ENCODE(M, k); a modulus too short for the
   * encoding cannot carry a valid signature. */
  err = kl_rsa_pkcs1v15_encode(hash, EMp, k, M, mLen);
  if (err == KL_ERR_LEN)
    err = KL_ERR_VERIFY;
  if (err != KL_OK)
    goto out;
  /* Step 4: valid iff EM == EM', compared over all k octets. */
  err = kl_ct_memeq(EM, EMp, k) == 1 ? KL_OK : KL_ERR_VERIFY;

out:
  kl_wipe(EM, sizeof EM);
  kl_wipe(EMp, sizeof EMp);
  return err;
}
