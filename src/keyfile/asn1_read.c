/* asn1_read.c: RSA keys read from their ASN.1 structures, DER or PEM.
 *   RSAPublicKey  ::= SEQUENCE { modulus n, publicExponent e }   RFC 8017 App. A.1.1
 *   RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv }  App. A.1.2
 *     (version 1 adds otherPrimeInfos: multi-prime keys, not supported)
 *   PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier,
 *                                 privateKey OCTET STRING (RSAPrivateKey) }  RFC 5208 §5
 *     (= OneAsymmetricKey v1, RFC 5958 §2; v2 and the encrypted form of §3 refused)
 *   SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
 *                                 subjectPublicKey BIT STRING (RSAPublicKey) } RFC 5280 §4.1
 *   AlgorithmIdentifier = SEQUENCE { rsaEncryption 1.2.840.113549.1.1.1, NULL }
 *     (RFC 8017 App. A.1; RFC 3279 §2.3.1: the parameters MUST be NULL)
 *     or { id-RSASSA-PSS, RSASSA-PSS-params } (pss_params.c)
 * DER through src/core/der.c; PEM unwrapped by src/core/pem.c, whose label
 * (RFC 7468 §11, §13; common.c) names the structure. A DER blob without a
 * label is told by its shape (der_shape). Nothing here validates the key:
 * keyfile.c does, for every format alike.
 * Symbols: n e d p q dP dQ qInv (RFC 8017 §3.2).
 * Timing: NOT constant-time (a file format; see keyfile.h).
 * Secrets: the DER scratch copy of a PEM private key is wiped on every path. */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/der.h"
#include "kexlab/encoding.h"
#include "kexlab/pem.h"
#include "keyfile/keyfile_internal.h"

/* Report a DER failure of the structure called what. */
static kl_err der_fail(kl_rsa_keyfile *kf, const kl_der_reader *r, const char *what)
{
  return kli_keyfile_fail(kf, KL_ERR_ENCODING, "%s: %s", what,
                          r->why != NULL ? r->why : "DER: malformed");
}

/* The outer SEQUENCE of the structure called what, in der[0..len): r reads
 * der, *seq the SEQUENCE's contents. */
static kl_err open_sequence(kl_rsa_keyfile *kf, kl_der_reader *r, kl_der_reader *seq,
                            const uint8_t *der, size_t len, const char *what)
{
  kl_der_reader_init(r, der, len);
  if (kl_der_read_sequence(r, seq) != KL_OK)
    return der_fail(kf, r, what);
  return KL_OK;
}

/* DER allows nothing after the SEQUENCE's last field, nor after the
 * SEQUENCE itself in its buffer. */
static kl_err close_sequence(kl_rsa_keyfile *kf, kl_der_reader *r, kl_der_reader *seq,
                             const char *what)
{
  if (kl_der_read_end(seq) != KL_OK)
    return der_fail(kf, seq, what);
  if (kl_der_read_end(r) != KL_OK)
    return der_fail(kf, r, what);
  return KL_OK;
}

/* One INTEGER of a key into x. */
static kl_err read_int(kl_rsa_keyfile *kf, kl_der_reader *r, mpz_t x, const char *name,
                       const char *what)
{
  const uint8_t *mag;
  size_t mag_len;
  if (kl_der_read_uint(r, &mag, &mag_len) != KL_OK)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "%s, field %s: %s", what, name,
                            r->why != NULL ? r->why : "DER: malformed");
  return kli_keyfile_set_int(kf, x, name, mag, mag_len);
}

/* RSAPublicKey, RFC 8017 App. A.1.1: SEQUENCE { n, e } and nothing after. */
static kl_err parse_rsa_public_key(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  static const char what[] = "RSAPublicKey";
  kl_der_reader r, seq;
  kl_err err = open_sequence(kf, &r, &seq, der, len, what);
  if (err != KL_OK)
    return err;
  err = read_int(kf, &seq, kf->pub.n, "modulus", what);
  if (err == KL_OK)
    err = read_int(kf, &seq, kf->pub.e, "publicExponent", what);
  if (err != KL_OK)
    return err;
  err = close_sequence(kf, &r, &seq, what);
  if (err != KL_OK)
    return err;
  kf->has_private = 0;
  return KL_OK;
}

/* RSAPrivateKey, RFC 8017 App. A.1.2. */
static kl_err parse_rsa_private_key(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  static const char what[] = "RSAPrivateKey";
  kl_der_reader r, seq;
  kl_err err = open_sequence(kf, &r, &seq, der, len, what);
  if (err != KL_OK)
    return err;
  unsigned long version;
  if (kl_der_read_small_uint(&seq, &version) != KL_OK)
    return der_fail(kf, &seq, what);
  /* App. A.1.2: Version ::= INTEGER { two-prime(0), multi(1) } */
  if (version != 0 && version != 1)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "RSAPrivateKey: unknown version %lu", version);
  kl_rsa_priv *k = &kf->priv;
  struct {
    mpz_ptr x;
    const char *name;
  } fields[8] = {
    {k->n, "modulus"},    {k->e, "publicExponent"}, {k->d, "privateExponent"},
    {k->p, "prime1"},     {k->q, "prime2"},         {k->dP, "exponent1"},
    {k->dQ, "exponent2"}, {k->qInv, "coefficient"},
  };
  for (size_t i = 0; i < 8; i++) {
    err = read_int(kf, &seq, fields[i].x, fields[i].name, what);
    if (err != KL_OK)
      return err;
  }
  /* Version 1 (multi-prime, RFC 8017 §3.2) carries the further primes:
   *   OtherPrimeInfos ::= SEQUENCE SIZE(1..MAX) OF OtherPrimeInfo
   *   OtherPrimeInfo ::= SEQUENCE { prime r_i, exponent d_i, coefficient t_i }
   * and version 0 must not (App. A.1.2: "version shall be multi if
   * otherPrimeInfos present"). */
  k->n_other = 0;
  if (version == 1) {
    kl_der_reader infos;
    if (kl_der_read_sequence(&seq, &infos) != KL_OK)
      return der_fail(kf, &seq, "RSAPrivateKey otherPrimeInfos (version 1)");
    while (kl_der_peek_tag(&infos) >= 0) {
      if (k->n_other == KL_RSA_MAX_PRIMES - 2)
        return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                                "RSAPrivateKey: more than %d primes are not supported",
                                KL_RSA_MAX_PRIMES);
      kl_rsa_prime_info *oi = &k->other[k->n_other];
      kl_der_reader info;
      if (kl_der_read_sequence(&infos, &info) != KL_OK)
        return der_fail(kf, &infos, "RSAPrivateKey OtherPrimeInfo");
      err = read_int(kf, &info, oi->r, "prime", "RSAPrivateKey OtherPrimeInfo");
      if (err == KL_OK)
        err = read_int(kf, &info, oi->d, "exponent", "RSAPrivateKey OtherPrimeInfo");
      if (err == KL_OK)
        err = read_int(kf, &info, oi->t, "coefficient", "RSAPrivateKey OtherPrimeInfo");
      if (err != KL_OK)
        return err;
      if (kl_der_read_end(&info) != KL_OK)
        return der_fail(kf, &info, "RSAPrivateKey OtherPrimeInfo");
      k->n_other++;
    }
    if (k->n_other == 0)
      return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                              "RSAPrivateKey: version 1 with no otherPrimeInfos");
  }
  err = close_sequence(kf, &r, &seq, what);
  if (err != KL_OK)
    return err;
  kf->has_private = 1;
  return KL_OK;
}

/* AlgorithmIdentifier: rsaEncryption with NULL parameters, nothing else. */
static kl_err parse_algorithm(kl_rsa_keyfile *kf, kl_der_reader *r, const char *what)
{
  kl_der_reader alg;
  if (kl_der_read_sequence(r, &alg) != KL_OK)
    return der_fail(kf, r, what);
  const uint8_t *oid;
  size_t oid_len;
  if (kl_der_read_oid(&alg, &oid, &oid_len) != KL_OK)
    return der_fail(kf, &alg, what);
  if (oid_len == KLI_OID_RSA_LEN && memcmp(oid, kli_oid_rsassaPss, oid_len) == 0)
    return kli_pss_params_read(kf, &alg, what); /* a key restricted to RSASSA-PSS */
  if (oid_len != KLI_OID_RSA_LEN || memcmp(oid, kli_oid_rsaEncryption, oid_len) != 0) {
    char hex[2 * 32 + 1] = "";
    if (oid_len <= 32 && kl_hex_encode(hex, sizeof hex, oid, oid_len) != KL_OK)
      hex[0] = '\0';
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "%s: not an RSA key (algorithm OID octets %s, not rsaEncryption)", what,
                            hex);
  }
  /* RFC 3279 §2.3.1: "the parameters field MUST have ASN.1 type NULL". */
  if (kl_der_read_null(&alg) != KL_OK)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "%s: rsaEncryption parameters must be NULL (%s)",
                            what, alg.why != NULL ? alg.why : "DER: malformed");
  if (kl_der_read_end(&alg) != KL_OK)
    return der_fail(kf, &alg, what);
  return KL_OK;
}

/* PrivateKeyInfo, RFC 5208 §5 (= OneAsymmetricKey v1, RFC 5958 §2). */
static kl_err parse_pkcs8(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  static const char what[] = "PKCS#8 PrivateKeyInfo";
  kl_der_reader r, seq;
  kl_err err = open_sequence(kf, &r, &seq, der, len, what);
  if (err != KL_OK)
    return err;
  if (kl_der_peek_tag(&seq) == KL_DER_SEQUENCE)
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "encrypted PKCS#8 (EncryptedPrivateKeyInfo) is not supported: "
                            "decrypt it first (openssl pkey)");
  unsigned long version;
  if (kl_der_read_small_uint(&seq, &version) != KL_OK)
    return der_fail(kf, &seq, what);
  if (version == 1)
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "%s: OneAsymmetricKey v2 (RFC 5958) is not supported", what);
  if (version != 0)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "%s: unknown version %lu", what, version);
  err = parse_algorithm(kf, &seq, what);
  if (err != KL_OK)
    return err;
  const uint8_t *inner;
  size_t inner_len;
  if (kl_der_read_octet_string(&seq, &inner, &inner_len) != KL_OK)
    return der_fail(kf, &seq, what);
  /* RFC 5208 §5: attributes [0] IMPLICIT follow optionally. */
  if (kl_der_peek_tag(&seq) == 0xA0)
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED, "%s: attributes are not supported", what);
  err = close_sequence(kf, &r, &seq, what);
  if (err != KL_OK)
    return err;
  return parse_rsa_private_key(kf, inner, inner_len);
}

/* SubjectPublicKeyInfo, RFC 5280 §4.1 (subjectPublicKeyInfo). */
static kl_err parse_spki(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  static const char what[] = "SubjectPublicKeyInfo";
  kl_der_reader r, seq;
  kl_err err = open_sequence(kf, &r, &seq, der, len, what);
  if (err != KL_OK)
    return err;
  err = parse_algorithm(kf, &seq, what);
  if (err != KL_OK)
    return err;
  const uint8_t *bits;
  size_t bits_len;
  if (kl_der_read_bit_string(&seq, &bits, &bits_len) != KL_OK)
    return der_fail(kf, &seq, what);
  err = close_sequence(kf, &r, &seq, what);
  if (err != KL_OK)
    return err;
  return parse_rsa_public_key(kf, bits, bits_len);
}

/* Which structure a DER blob is, from the first tags inside its SEQUENCE:
 *   SEQUENCE { SEQUENCE ...                    SubjectPublicKeyInfo
 *              (or EncryptedPrivateKeyInfo, told apart by parse_spki's OID)
 *   SEQUENCE { INTEGER, SEQUENCE ...           PKCS#8 PrivateKeyInfo
 *   SEQUENCE { INTEGER, INTEGER } (2 values)   RSAPublicKey
 *   SEQUENCE { INTEGER, INTEGER, ... }         RSAPrivateKey */
static kl_key_format der_shape(const uint8_t *der, size_t len)
{
  kl_der_reader r, seq;
  kl_der_reader_init(&r, der, len);
  if (kl_der_read_sequence(&r, &seq) != KL_OK)
    return KL_KEY_FORMAT_UNKNOWN;
  const uint8_t *c;
  size_t clen;
  int first = kl_der_peek_tag(&seq);
  if (first == KL_DER_SEQUENCE) {
    /* EncryptedPrivateKeyInfo is SEQUENCE { AlgorithmIdentifier, OCTET STRING } */
    if (kl_der_read_tlv(&seq, KL_DER_SEQUENCE, &c, &clen) == KL_OK &&
        kl_der_peek_tag(&seq) == KL_DER_OCTET_STRING)
      return KL_KEY_PKCS8_DER;
    return KL_KEY_SPKI_DER;
  }
  if (first != KL_DER_INTEGER || kl_der_read_tlv(&seq, KL_DER_INTEGER, &c, &clen) != KL_OK)
    return KL_KEY_FORMAT_UNKNOWN;
  if (kl_der_peek_tag(&seq) == KL_DER_SEQUENCE)
    return KL_KEY_PKCS8_DER;
  size_t count = 1;
  while (kl_der_peek_tag(&seq) == KL_DER_INTEGER &&
         kl_der_read_tlv(&seq, KL_DER_INTEGER, &c, &clen) == KL_OK)
    count++;
  return count == 2 ? KL_KEY_PKCS1_PUB_DER : KL_KEY_PKCS1_PRIV_DER;
}

static kl_err parse_der_as(kl_rsa_keyfile *kf, kl_key_format fmt, const uint8_t *der, size_t len)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
  case KL_KEY_PKCS1_PRIV_DER:
    return parse_rsa_private_key(kf, der, len);
  case KL_KEY_PKCS8_PEM:
  case KL_KEY_PKCS8_DER:
    return parse_pkcs8(kf, der, len);
  case KL_KEY_SPKI_PEM:
  case KL_KEY_SPKI_DER:
    return parse_spki(kf, der, len);
  case KL_KEY_PKCS1_PUB_PEM:
  case KL_KEY_PKCS1_PUB_DER:
    return parse_rsa_public_key(kf, der, len);
  default:
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            "not a key file: neither PEM, DER of an RSA key, XML nor JSON");
  }
}

/* ---- what keyfile.c calls ---- */

/* PEM: the label says which structure the DER inside must be. */
kl_err kli_asn1_read_pem(kl_rsa_keyfile *kf, const char *text, size_t len)
{
  uint8_t der[KLI_DER_MAX];
  size_t der_len = sizeof der;
  const char *label;
  size_t label_len;
  const char *why = NULL;
  kl_err err = kl_pem_decode(der, &der_len, &label, &label_len, text, len, &why);
  if (err == KL_ERR_BUF_TOO_SMALL) {
    err = kli_keyfile_fail(kf, KL_ERR_KEY_LEN, "PEM body too large for a %u-bit key",
                           (unsigned)KL_RSA_MAX_BITS);
    goto out;
  }
  if (err != KL_OK) {
    err = kli_keyfile_fail(kf, err, "%s", why != NULL ? why : "PEM: malformed");
    goto out;
  }
  static const kl_key_format pem_formats[] = {
    KL_KEY_PKCS1_PRIV_PEM,
    KL_KEY_PKCS8_PEM,
    KL_KEY_SPKI_PEM,
    KL_KEY_PKCS1_PUB_PEM,
  };
  kl_key_format fmt = KL_KEY_FORMAT_UNKNOWN;
  for (size_t i = 0; i < sizeof pem_formats / sizeof pem_formats[0]; i++) {
    const char *want = kli_pem_label(pem_formats[i]);
    if (strlen(want) == label_len && memcmp(want, label, label_len) == 0)
      fmt = pem_formats[i];
  }
  if (fmt == KL_KEY_FORMAT_UNKNOWN) {
    int encrypted = label_len == 21 && memcmp(label, "ENCRYPTED PRIVATE KEY", 21) == 0;
    if (encrypted)
      err = kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                             "encrypted PKCS#8 (ENCRYPTED PRIVATE KEY) is not supported: "
                             "decrypt it first (openssl pkey)");
    else
      err = kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                             "PEM label '%.*s' is not an RSA key (want RSA PRIVATE KEY, "
                             "PRIVATE KEY, PUBLIC KEY or RSA PUBLIC KEY)",
                             (int)(label_len > 40 ? 40 : label_len), label);
    goto out;
  }
  kf->format = fmt;
  err = parse_der_as(kf, fmt, der, der_len);
out:
  kl_wipe(der, sizeof der);
  return err;
}

/* DER without a label: der_shape names the structure. */
kl_err kli_asn1_read_der(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  kl_key_format fmt = der_shape(der, len);
  kf->format = fmt;
  if (fmt == KL_KEY_FORMAT_UNKNOWN && len > 0 && der[0] == KL_DER_SEQUENCE) {
    /* It starts like DER: say what is wrong with it (truncated, BER, ...). */
    kl_der_reader r, seq;
    kl_der_reader_init(&r, der, len);
    if (kl_der_read_sequence(&r, &seq) != KL_OK)
      return der_fail(kf, &r, "DER key (outer SEQUENCE)");
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            "DER: a SEQUENCE, but not of an RSA key structure");
  }
  return parse_der_as(kf, fmt, der, len);
}

/* The protocol's SubjectPublicKeyInfo: no other structure is tried. */
kl_err kli_asn1_read_spki(kl_rsa_keyfile *kf, const uint8_t *der, size_t len)
{
  kf->format = KL_KEY_SPKI_DER;
  return parse_spki(kf, der, len);
}
