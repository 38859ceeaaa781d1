/* keyfile_internal.h: the kli_ functions the files of src/keyfile share.
 * Not installed. Who calls whom (every arrow points down):
 *   keyfile.c     detection, validation, the public kl_ entry points
 *     -> asn1_read.c   PKCS#1, PKCS#8, SPKI, RSAPublicKey from DER or PEM
 *     -> asn1_write.c  the same structures to DER or PEM
 *     -> dotnet.c      .NET RSAParameters as XML or JSON, both ways
 *   pss_params.c  the id-RSASSA-PSS algorithm identifier, for asn1_read.c and
 *                 asn1_write.c (keyfile.c has the public writers of
 *                 PSS-restricted keys)
 *   common.c      under all of them: kf->detail, integers, ASN.1 names
 * The format files never call keyfile.c or each other. */
#ifndef KL_KEYFILE_KEYFILE_INTERNAL_H
#define KL_KEYFILE_KEYFILE_INTERNAL_H

#include <stdarg.h>

#include "kexlab/der.h"
#include "kexlab/keyfile.h"

/* Octets of the largest integer a key file may carry: the modulus of a
 * KL_RSA_MAX_BITS key (leading zero octets of padded .NET values aside). */
#define KLI_KEY_INT_MAX (KL_RSA_MAX_BITS / 8)

/* DER of any key we read or write (an 8192-bit PKCS#8 key is about 4.7 KB). */
#define KLI_DER_MAX (KL_KEYFILE_MAX_BYTES / 2)

/* ---- common.c ---- */

/* Set kf->detail (printf-style) and return err. */
kl_err kli_keyfile_fail(kl_rsa_keyfile *kf, kl_err err, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

/* x = OS2IP(mag) for the field called name; KL_ERR_KEY_LEN if mag, once its
 * leading zero octets are dropped, is longer than KLI_KEY_INT_MAX. */
kl_err kli_keyfile_set_int(kl_rsa_keyfile *kf, mpz_t x, const char *name, const uint8_t *mag,
                           size_t mag_len);

/* Octets of x without leading zeros (0 for x = 0). */
size_t kli_int_octets(const mpz_t x);

/* 1.2.840.113549.1.1.1 rsaEncryption (RFC 8017 App. A.1) as OBJECT
 * IDENTIFIER content octets. */
#define KLI_OID_RSA_LEN 9
extern const uint8_t kli_oid_rsaEncryption[KLI_OID_RSA_LEN];

/* The PEM label of a *_PEM format ("RSA PRIVATE KEY", "PRIVATE KEY",
 * "PUBLIC KEY", "RSA PUBLIC KEY"); NULL for any other format. */
const char *kli_pem_label(kl_key_format fmt);

/* ---- asn1_read.c ----
 * Each sets kf->format to the structure it found, fills kf->pub (public
 * structures) or kf->priv with has_private = 1, and validates nothing:
 * keyfile.c checks every key the same way. On failure kf->detail says why.
 * Returns KL_OK, KL_ERR_ENCODING, KL_ERR_UNSUPPORTED, KL_ERR_KEY_LEN. */

/* PEM text: the label names the structure of the DER inside. */
kl_err kli_asn1_read_pem(kl_rsa_keyfile *kf, const char *text, size_t len);
/* DER: the shape of the outer SEQUENCE names the structure. Input that is no
 * DER SEQUENCE at all is "not a key file" (KL_ERR_ENCODING). */
kl_err kli_asn1_read_der(kl_rsa_keyfile *kf, const uint8_t *der, size_t len);
/* DER of a SubjectPublicKeyInfo and nothing else. */
kl_err kli_asn1_read_spki(kl_rsa_keyfile *kf, const uint8_t *der, size_t len);

/* ---- asn1_write.c ---- */

/* Write the ASN.1 format fmt (DER or PEM) of key, or, for the public
 * structures, of (n, e); key may be NULL when fmt is public-only. The values
 * are non-negative and at most KLI_KEY_INT_MAX octets (the caller checks).
 * Returns KL_OK, KL_ERR_ARG (fmt not ASN.1), KL_ERR_BUF_TOO_SMALL (*out_len
 * is then the size needed). */
kl_err kli_asn1_write(const kl_rsa_priv *key, const mpz_t n, const mpz_t e, kl_key_format fmt,
                      uint8_t *out, size_t *out_len);

/* kli_asn1_write, with the algorithm identifier of a key restricted to
 * RSASSA-PSS when pss is not NULL (PKCS#8 and SPKI; pss_params.c writes it). */
kl_err kli_asn1_write_pss(const kl_rsa_priv *key, const mpz_t n, const mpz_t e,
                          const kl_pss_key_params *pss, kl_key_format fmt, uint8_t *out,
                          size_t *out_len);

/* ---- pss_params.c: keys restricted to RSASSA-PSS ---- */

/* 1.2.840.113549.1.1.10 id-RSASSA-PSS (RFC 8017 App. A.2.3), OID content octets. */
extern const uint8_t kli_oid_rsassaPss[KLI_OID_RSA_LEN];

/* The rest of an id-RSASSA-PSS AlgorithmIdentifier, alg positioned after the
 * OID: RSASSA-PSS-params or nothing, into kf->pss (restricted = 1). what
 * names the structure for kf->detail. Returns KL_OK, KL_ERR_ENCODING,
 * KL_ERR_UNSUPPORTED (a hash, MGF or trailerField kexlab cannot honour). */
kl_err kli_pss_params_read(kl_rsa_keyfile *kf, kl_der_reader *alg, const char *what);

/* AlgorithmIdentifier { id-RSASSA-PSS [, RSASSA-PSS-params] } of pss. */
void kli_pss_put_algorithm(kl_der_writer *w, const kl_pss_key_params *pss);

/* ---- dotnet.c ---- */

/* Parse .NET RSAParameters as XML (json = 0) or JSON (json = 1) into kf->pub
 * and, when the private fields are there, kf->priv (has_private = 1).
 * No validation here: keyfile.c validates every key the same way.
 * Returns KL_OK, KL_ERR_ENCODING, KL_ERR_KEY_LEN (kf->detail set). */
kl_err kli_dotnet_read(kl_rsa_keyfile *kf, const char *text, size_t len, int json);

/* text_encoding.c: a key file saved as UTF-16 (a BOM, or little-endian ASCII
 * without one) into its ASCII: *out malloc'd (the caller wipes and frees it),
 * or *out = NULL when in is not UTF-16. KL_ERR_ENCODING (kf->detail names
 * the encoding) for UTF-32, an odd length or a non-ASCII character;
 * KL_ERR_NOMEM. */
kl_err kli_keyfile_from_utf16(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len, uint8_t **out,
                              size_t *out_len);

/* Write the .NET form of key (when not NULL, all eight values) or of pub. */
kl_err kli_dotnet_write(const kl_rsa_priv *key, const kl_rsa_pub *pub, int json, uint8_t *out,
                        size_t *out_len);

#endif
