/* keyfile_internal.h: what keyfile.c (ASN.1 forms, detection) and
 * dotnet.c (.NET XML and JSON) share. Not installed. */
#ifndef KL_RSA_KEYFILE_INTERNAL_H
#define KL_RSA_KEYFILE_INTERNAL_H

#include <stdarg.h>

#include "kexlab/keyfile.h"

/* Octets of the largest integer a key file may carry: the modulus of a
 * KL_RSA_MAX_BITS key (leading zero octets of padded .NET values aside). */
#define KLI_KEY_INT_MAX (KL_RSA_MAX_BITS / 8)

/* Set kf->detail (printf-style) and return err. */
kl_err kli_keyfile_fail(kl_rsa_keyfile *kf, kl_err err, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* x = OS2IP(mag) for the field called name; KL_ERR_KEY_LEN if mag, once its
 * leading zero octets are dropped, is longer than KLI_KEY_INT_MAX. */
kl_err kli_keyfile_set_int(kl_rsa_keyfile *kf, mpz_t x, const char *name, const uint8_t *mag,
                           size_t mag_len);

/* Octets of x without leading zeros (0 for x = 0). */
size_t kli_int_octets(const mpz_t x);

/* Parse .NET RSAParameters as XML (json = 0) or JSON (json = 1) into kf->pub
 * and, when the private fields are there, kf->priv (has_private = 1).
 * No validation here: keyfile.c validates every key the same way.
 * Returns KL_OK, KL_ERR_ENCODING, KL_ERR_KEY_LEN (kf->detail set). */
kl_err kli_dotnet_read(kl_rsa_keyfile *kf, const char *text, size_t len, int json);

/* Write the .NET form of key (when not NULL, all eight values) or of pub. */
kl_err kli_dotnet_write(const kl_rsa_priv *key, const kl_rsa_pub *pub, int json, uint8_t *out,
                        size_t *out_len);

#endif
