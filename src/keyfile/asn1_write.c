/* asn1_write.c: RSA keys written as their ASN.1 structures, DER or PEM.
 *   RSAPublicKey  ::= SEQUENCE { modulus n, publicExponent e }   RFC 8017 App. A.1.1
 *   RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv }  App. A.1.2
 *   PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier,
 *                                 privateKey OCTET STRING (RSAPrivateKey) }  RFC 5208 §5
 *     (= OneAsymmetricKey v1, RFC 5958 §2; unencrypted, no attributes)
 *   SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
 *                                 subjectPublicKey BIT STRING (RSAPublicKey) } RFC 5280 §4.1
 *   AlgorithmIdentifier = SEQUENCE { rsaEncryption, NULL }  RFC 8017 App. A.1, RFC 3279 §2.3.1
 * DER through src/core/der.c: each SEQUENCE's contents are first written to a
 * counting writer (no buffer) to learn the length its header needs. PEM
 * through src/core/pem.c: RFC 7468 §2, 64-column lines, LF line ends, the
 * labels of §11 and §13 (common.c).
 * Symbols: n e d p q dP dQ qInv (RFC 8017 §3.2).
 * Timing: NOT constant-time (lengths follow the values; see keyfile.h).
 * Secrets: the DER and PEM scratch copies of a private key are wiped on every
 * path, and so is out when it was too small for the whole key. */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/der.h"
#include "kexlab/pem.h"
#include "keyfile/keyfile_internal.h"

static void put_mpz(kl_der_writer *w, const mpz_t x)
{
  uint8_t buf[KLI_KEY_INT_MAX];
  size_t len = kli_int_octets(x);
  if (len == 0 || kl_i2osp(buf, len, x) != KL_OK) {
    kl_der_put_uint(w, NULL, 0); /* zero (the caller has checked x >= 0) */
  } else {
    kl_der_put_uint(w, buf, len);
  }
  kl_wipe(buf, len);
}

static void put_rsa_public_key_body(kl_der_writer *w, const mpz_t n, const mpz_t e)
{
  put_mpz(w, n);
  put_mpz(w, e);
}

/* RSAPublicKey ::= SEQUENCE { modulus, publicExponent } */
static void put_rsa_public_key(kl_der_writer *w, const mpz_t n, const mpz_t e)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_public_key_body(&count, n, e);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_rsa_public_key_body(w, n, e);
}

/* OtherPrimeInfo ::= SEQUENCE { prime r_i, exponent d_i, coefficient t_i } */
static void put_other_prime_info(kl_der_writer *w, const kl_rsa_prime_info *oi)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_mpz(&count, oi->r);
  put_mpz(&count, oi->d);
  put_mpz(&count, oi->t);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_mpz(w, oi->r);
  put_mpz(w, oi->d);
  put_mpz(w, oi->t);
}

/* OtherPrimeInfos ::= SEQUENCE SIZE(1..MAX) OF OtherPrimeInfo */
static void put_other_prime_infos(kl_der_writer *w, const kl_rsa_priv *k)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  for (unsigned i = 0; i < k->n_other; i++)
    put_other_prime_info(&count, &k->other[i]);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  for (unsigned i = 0; i < k->n_other; i++)
    put_other_prime_info(w, &k->other[i]);
}

static void put_rsa_private_key_body(kl_der_writer *w, const kl_rsa_priv *k)
{
  /* version two-prime(0), or multi(1) with otherPrimeInfos (RFC 8017 §3.2) */
  kl_der_put_small_uint(w, k->n_other > 0 ? 1 : 0);
  put_mpz(w, k->n);
  put_mpz(w, k->e);
  put_mpz(w, k->d);
  put_mpz(w, k->p);
  put_mpz(w, k->q);
  put_mpz(w, k->dP);
  put_mpz(w, k->dQ);
  put_mpz(w, k->qInv);
  if (k->n_other > 0)
    put_other_prime_infos(w, k);
}

/* RSAPrivateKey ::= SEQUENCE { version, n, e, d, p, q, dP, dQ, qInv } */
static void put_rsa_private_key(kl_der_writer *w, const kl_rsa_priv *k)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_private_key_body(&count, k);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_rsa_private_key_body(w, k);
}

/* AlgorithmIdentifier { rsaEncryption, NULL }: 30 0d 06 09 <oid> 05 00;
 * or, for a key restricted to RSASSA-PSS, { id-RSASSA-PSS, params } (pss_params.c). */
static void put_algorithm(kl_der_writer *w, const kl_pss_key_params *pss)
{
  if (pss != NULL) {
    kli_pss_put_algorithm(w, pss);
    return;
  }
  kl_der_put_header(w, KL_DER_SEQUENCE, 2 + KLI_OID_RSA_LEN + 2);
  kl_der_put_tlv(w, KL_DER_OID, kli_oid_rsaEncryption, KLI_OID_RSA_LEN);
  kl_der_put_null(w);
}

static void put_pkcs8_body(kl_der_writer *w, const kl_rsa_priv *k, const kl_pss_key_params *pss)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_private_key(&count, k);
  kl_der_put_small_uint(w, 0); /* RFC 5208 §5: version 0 */
  put_algorithm(w, pss);
  kl_der_put_header(w, KL_DER_OCTET_STRING, count.len);
  put_rsa_private_key(w, k);
}

/* PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING } */
static void put_pkcs8(kl_der_writer *w, const kl_rsa_priv *k, const kl_pss_key_params *pss)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_pkcs8_body(&count, k, pss);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_pkcs8_body(w, k, pss);
}

static void put_spki_body(kl_der_writer *w, const mpz_t n, const mpz_t e,
                          const kl_pss_key_params *pss)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_public_key(&count, n, e);
  put_algorithm(w, pss);
  /* BIT STRING: 00 (no unused bits) then the RSAPublicKey DER */
  static const uint8_t no_unused_bits = 0x00;
  kl_der_put_header(w, KL_DER_BIT_STRING, count.len + 1);
  kl_der_put_raw(w, &no_unused_bits, 1);
  put_rsa_public_key(w, n, e);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static void put_spki(kl_der_writer *w, const mpz_t n, const mpz_t e, const kl_pss_key_params *pss)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_spki_body(&count, n, e, pss);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_spki_body(w, n, e, pss);
}

/* The DER twin of a PEM format. */
static kl_key_format der_of(kl_key_format fmt)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
    return KL_KEY_PKCS1_PRIV_DER;
  case KL_KEY_PKCS8_PEM:
    return KL_KEY_PKCS8_DER;
  case KL_KEY_SPKI_PEM:
    return KL_KEY_SPKI_DER;
  case KL_KEY_PKCS1_PUB_PEM:
    return KL_KEY_PKCS1_PUB_DER;
  default:
    return fmt;
  }
}

/* Write the DER structure fmt (a *_DER format) of key (or, for public
 * structures, of n, e) into out. */
static kl_err write_der(const kl_rsa_priv *key, const mpz_t n, const mpz_t e,
                        const kl_pss_key_params *pss, kl_key_format fmt, uint8_t *out,
                        size_t *out_len)
{
  kl_der_writer w;
  kl_der_writer_init(&w, out, out == NULL ? 0 : *out_len);
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_DER:
    put_rsa_private_key(&w, key);
    break;
  case KL_KEY_PKCS8_DER:
    put_pkcs8(&w, key, pss);
    break;
  case KL_KEY_SPKI_DER:
    put_spki(&w, n, e, pss);
    break;
  case KL_KEY_PKCS1_PUB_DER:
    put_rsa_public_key(&w, n, e);
    break;
  default:
    return KL_ERR_ARG;
  }
  kl_err err = kl_der_writer_finish(&w, out_len);
  if (err == KL_ERR_BUF_TOO_SMALL)
    kl_wipe(w.buf, w.cap); /* leave no partial private key behind */
  return err;
}

/* ---- what keyfile.c calls ---- */

/* Any ASN.1 format, DER or PEM. */
kl_err kli_asn1_write(const kl_rsa_priv *key, const mpz_t n, const mpz_t e, kl_key_format fmt,
                      uint8_t *out, size_t *out_len)
{
  return kli_asn1_write_pss(key, n, e, NULL, fmt, out, out_len);
}

/* The same with pss (not NULL): PKCS#8 and SPKI restricted to RSASSA-PSS. */
kl_err kli_asn1_write_pss(const kl_rsa_priv *key, const mpz_t n, const mpz_t e,
                          const kl_pss_key_params *pss, kl_key_format fmt, uint8_t *out,
                          size_t *out_len)
{
  const char *label = kli_pem_label(fmt);
  if (label == NULL)
    return write_der(key, n, e, pss, fmt, out, out_len);
  uint8_t der[KLI_DER_MAX];
  char text[KL_KEYFILE_MAX_BYTES];
  size_t der_len = sizeof der;
  size_t text_len = sizeof text;
  kl_err err = write_der(key, n, e, pss, der_of(fmt), der, &der_len);
  if (err == KL_ERR_BUF_TOO_SMALL)
    err = KL_ERR_KEY_LEN; /* cannot happen below KL_RSA_MAX_BITS */
  if (err != KL_OK)
    goto out;
  err = kl_pem_encode(text, &text_len, label, der, der_len);
  if (err != KL_OK)
    goto out;
  if (out == NULL || *out_len < text_len) {
    *out_len = text_len;
    err = KL_ERR_BUF_TOO_SMALL;
    goto out;
  }
  memcpy(out, text, text_len);
  *out_len = text_len;
out:
  kl_wipe(der, sizeof der);
  kl_wipe(text, sizeof text);
  return err;
}
