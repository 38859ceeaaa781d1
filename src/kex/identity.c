/* identity.c: the server's long-term identity (hardened profile).
 * The identity key signs, with RSASSA-PSS (RFC 8017 §8.1; EMSA-PSS §9.1) over
 * SHA-256 with MGF1-SHA-256 and a 32-octet salt,
 *     M = session id (16 octets) || SubjectPublicKeyInfo DER of the session key
 * (RFC 5280 §4.1.2.7; RFC 8017 App. A.1.1 for the RSAPublicKey inside), so a
 * man in the middle who swaps in his own session key cannot produce a valid
 * signature. A client pins the identity by its public key or by its
 * fingerprint, SHA-256 of its SPKI DER (as in RFC 7469 §2.4, without base64).
 * Timing: signing is the RSA private operation (constant-time, blinded). */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/keyfile.h"
#include "kexlab/pss.h"
#include "kex_internal.h"

kl_err kl_kex_fingerprint(uint8_t fp[KL_KEX_FINGERPRINT_BYTES], const kl_rsa_pub *pub)
{
  uint8_t spki[KL_KEX_MAX_SPKI_BYTES];
  size_t spki_len = sizeof spki;

  if (fp == NULL || pub == NULL)
    return KL_ERR_ARG;
  kl_err err = kl_rsa_pub_to_spki_der(pub, spki, &spki_len);
  if (err != KL_OK)
    return err;
  kl_sha256(fp, spki, spki_len);
  return KL_OK;
}

/* M = id || spki (SPKI up to KL_KEX_MAX_SPKI_BYTES: the caller checked). */
static size_t build_M(uint8_t M[KL_KEX_ID_BYTES + KL_KEX_MAX_SPKI_BYTES], const uint8_t *id,
                      const uint8_t *spki, size_t spki_len)
{
  memcpy(M, id, KL_KEX_ID_BYTES);
  memcpy(M + KL_KEX_ID_BYTES, spki, spki_len);
  return KL_KEX_ID_BYTES + spki_len;
}

static const kl_pss_params pss_params = {KL_HASH_SHA256, 32, 0, 0};

kl_err kl_kex_identity_sign(const kl_rsa_priv *identity, const kl_rng *rng, uint8_t *sig,
                            size_t *sig_len, const uint8_t session_id[KL_KEX_ID_BYTES],
                            const uint8_t *spki, size_t spki_len)
{
  uint8_t M[KL_KEX_ID_BYTES + KL_KEX_MAX_SPKI_BYTES];

  if (identity == NULL || rng == NULL || sig == NULL || sig_len == NULL || session_id == NULL ||
      spki == NULL || spki_len == 0 || spki_len > KL_KEX_MAX_SPKI_BYTES)
    return KL_ERR_ARG;
  size_t M_len = build_M(M, session_id, spki, spki_len);
  return kl_rsa_pss_sign(identity, &pss_params, rng, sig, sig_len, M, M_len);
}

kl_err kl_kex_identity_verify(const kl_rsa_pub *identity, const uint8_t session_id[KL_KEX_ID_BYTES],
                              const uint8_t *spki, size_t spki_len, const uint8_t *sig,
                              size_t sig_len)
{
  uint8_t M[KL_KEX_ID_BYTES + KL_KEX_MAX_SPKI_BYTES];

  if (identity == NULL || session_id == NULL || spki == NULL || spki_len == 0 ||
      spki_len > KL_KEX_MAX_SPKI_BYTES || (sig == NULL && sig_len != 0))
    return KL_ERR_ARG;
  if (sig_len == 0)
    return KL_ERR_VERIFY;
  size_t M_len = build_M(M, session_id, spki, spki_len);
  kl_err err = kl_rsa_pss_verify(identity, &pss_params, M, M_len, sig, sig_len);
  if (err != KL_OK && err != KL_ERR_ARG && err != KL_ERR_NOMEM)
    err = KL_ERR_VERIFY;
  return err;
}
