/* keyfile.h: RSA key encodings: PKCS#1 and PKCS#8 private keys,
 * SubjectPublicKeyInfo and PKCS#1 public keys (DER, and PEM per RFC 7468),
 * and the .NET RSAParameters forms (ToXmlString XML, JSON).
 * The key-file layer declares the full set of readers and writers below
 * these; the SubjectPublicKeyInfo functions are what the protocol uses to
 * send a session key and to fingerprint the server's identity. */
#ifndef KEXLAB_KEYFILE_H
#define KEXLAB_KEYFILE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "rsa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SubjectPublicKeyInfo DER (RFC 5280 §4.1, RFC 8017 App. A.1.1).
 *  out, out_len [out]  *out_len: capacity in, bytes written out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_rsa_pub_to_spki_der(const kl_rsa_pub *pub, uint8_t *out, size_t *out_len);
/* Strict DER parse. Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING, KL_ERR_KEY. */
KL_NODISCARD kl_err kl_rsa_pub_from_spki_der(kl_rsa_pub *pub, const uint8_t *der, size_t len);
/* "-----BEGIN PUBLIC KEY-----" PEM of the SPKI, NUL-terminated, 64-column
 * lines, LF line ends. Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_rsa_pub_to_pem(const kl_rsa_pub *pub, char *out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
