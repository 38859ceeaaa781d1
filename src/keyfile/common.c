/* common.c: what every key encoding in src/keyfile shares, below them all.
 *   - kf->detail, the one-sentence reason a read failed;
 *   - integers from and to octet strings (OS2IP, RFC 8017 §4.2), with the
 *     size limit of KL_RSA_MAX_BITS;
 *   - the names the ASN.1 reader and writer agree on: the rsaEncryption OID
 *     (RFC 8017 App. A.1) and the PEM labels (RFC 7468 §11, §13, and
 *     OpenSSL's "traditional" PKCS#1 labels, which RFC 7468 §1 leaves as is).
 * It calls nothing else in src/keyfile. */
#include <stdio.h>

#include "kexlab/numtheory.h"
#include "keyfile/keyfile_internal.h"

const uint8_t kli_oid_rsaEncryption[KLI_OID_RSA_LEN] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                        0x0d, 0x01, 0x01, 0x01};

const char *kli_pem_label(kl_key_format fmt)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
    return "RSA PRIVATE KEY";
  case KL_KEY_PKCS8_PEM:
    return "PRIVATE KEY";
  case KL_KEY_SPKI_PEM:
    return "PUBLIC KEY";
  case KL_KEY_PKCS1_PUB_PEM:
    return "RSA PUBLIC KEY";
  default:
    return NULL;
  }
}

kl_err kli_keyfile_fail(kl_rsa_keyfile *kf, kl_err err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(kf->detail, sizeof kf->detail, fmt, ap);
  va_end(ap);
  return err;
}

kl_err kli_keyfile_set_int(kl_rsa_keyfile *kf, mpz_t x, const char *name, const uint8_t *mag,
                           size_t mag_len)
{
  while (mag_len > 0 && mag[0] == 0) {
    mag++;
    mag_len--;
  }
  if (mag_len > KLI_KEY_INT_MAX)
    return kli_keyfile_fail(kf, KL_ERR_KEY_LEN, "%s has %zu octets: more than a %u-bit key holds",
                            name, mag_len, (unsigned)KL_RSA_MAX_BITS);
  kl_os2ip(x, mag, mag_len);
  return KL_OK;
}

size_t kli_int_octets(const mpz_t x)
{
  if (mpz_sgn(x) == 0)
    return 0;
  return (mpz_sizeinbase(x, 2) + 7) / 8;
}
