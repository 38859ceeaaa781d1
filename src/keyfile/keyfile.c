/* keyfile.c: RSA key files in their ASN.1 forms, and format detection.
 *   RSAPublicKey  ::= SEQUENCE { modulus n, publicExponent e }   RFC 8017 App. A.1.1
 *   RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv }  App. A.1.2
 *     (version 1 adds otherPrimeInfos: multi-prime keys, not supported)
 *   PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier,
 *                                 privateKey OCTET STRING (RSAPrivateKey) }  RFC 5208 §5
 *   SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier,
 *                                 subjectPublicKey BIT STRING (RSAPublicKey) } RFC 5280 §4.1
 *   AlgorithmIdentifier = SEQUENCE { rsaEncryption 1.2.840.113549.1.1.1, NULL }
 *     (RFC 8017 App. A.1; RFC 3279 §2.3.1: the parameters MUST be NULL)
 * DER through src/core/der.c, PEM through src/core/pem.c (RFC 7468 §11-§13
 * labels), the .NET forms in dotnet.c. Loaded private keys are
 * validated by kl_rsa_priv_check (validate.c).
 * Symbols: n e d p q dP dQ qInv (RFC 8017 §3.2), k = octets of n.
 * Timing: NOT constant-time (a file format; see keyfile.h).
 * Secrets: DER and PEM scratch copies of private keys are wiped on every path.
 * See docs/keyfiles.md; tests in tests/test_keyfile.c, tests/interop/. */
#include <stdio.h>
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/der.h"
#include "kexlab/encoding.h"
#include "kexlab/pem.h"
#include "keyfile/keyfile_internal.h"

/* DER of any key we read or write (an 8192-bit PKCS#8 key is about 4.7 KB). */
#define DER_MAX (KL_KEYFILE_MAX_BYTES / 2)

/* 1.2.840.113549.1.1.1 rsaEncryption and 1.2.840.113549.1.1.10 id-RSASSA-PSS
 * (RFC 8017 App. A.1, A.2.3), as OBJECT IDENTIFIER content octets. */
static const uint8_t oid_rsaEncryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
static const uint8_t oid_rsassaPss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};

/* RFC 7468 §11 (PKCS#8 "PRIVATE KEY"), §13 (SPKI "PUBLIC KEY"); the PKCS#1
 * labels are OpenSSL's "traditional" ones, which RFC 7468 §1 leaves as is. */
static const char label_pkcs1_priv[] = "RSA PRIVATE KEY";
static const char label_pkcs8[] = "PRIVATE KEY";
static const char label_spki[] = "PUBLIC KEY";
static const char label_pkcs1_pub[] = "RSA PUBLIC KEY";

/* ---- formats ---- */

static const char *const format_names[KL_KEY_FORMAT_COUNT] = {
  "unknown",   "pkcs1-pem",     "pkcs1-der",     "pkcs8-pem",  "pkcs8-der",  "spki-pem",
  "spki-der",  "pkcs1-pub-pem", "pkcs1-pub-der", "dotnet-xml", "dotnet-json",
};

const char *kl_key_format_name(kl_key_format fmt)
{
  if ((int)fmt < 0 || fmt >= KL_KEY_FORMAT_COUNT)
    return "unknown";
  return format_names[fmt];
}

int kl_key_format_holds_private(kl_key_format fmt)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
  case KL_KEY_PKCS1_PRIV_DER:
  case KL_KEY_PKCS8_PEM:
  case KL_KEY_PKCS8_DER:
    return 1;
  case KL_KEY_SPKI_PEM:
  case KL_KEY_SPKI_DER:
  case KL_KEY_PKCS1_PUB_PEM:
  case KL_KEY_PKCS1_PUB_DER:
    return 0;
  case KL_KEY_DOTNET_XML:
  case KL_KEY_DOTNET_JSON:
    return 2;
  default:
    return -1;
  }
}

int kl_key_format_is_text(kl_key_format fmt)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
  case KL_KEY_PKCS8_PEM:
  case KL_KEY_SPKI_PEM:
  case KL_KEY_PKCS1_PUB_PEM:
  case KL_KEY_DOTNET_XML:
  case KL_KEY_DOTNET_JSON:
    return 1;
  default:
    return 0;
  }
}

/* ---- the keyfile object ---- */

void kl_rsa_keyfile_init(kl_rsa_keyfile *kf)
{
  kf->format = KL_KEY_FORMAT_UNKNOWN;
  kf->has_private = 0;
  kl_rsa_pub_init(&kf->pub);
  kl_rsa_priv_init(&kf->priv);
  memset(&kf->report, 0, sizeof kf->report);
  kf->detail[0] = '\0';
}

void kl_rsa_keyfile_clear(kl_rsa_keyfile *kf)
{
  if (kf == NULL)
    return;
  kl_rsa_priv_clear(&kf->priv);
  kl_rsa_pub_clear(&kf->pub);
  kl_wipe(&kf->report, sizeof kf->report);
  kf->has_private = 0;
  kf->format = KL_KEY_FORMAT_UNKNOWN;
  kf->detail[0] = '\0';
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

/* ---- reading the ASN.1 structures ---- */

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
  if (version == 1)
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "RSAPrivateKey: multi-prime keys (version 1) are not supported");
  if (version != 0)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "RSAPrivateKey: unknown version %lu", version);
  kl_rsa_priv *k = &kf->priv;
  struct {
    mpz_ptr x;
    const char *name;
  } fields[8] = {
    {k->n, "modulus"},   {k->e, "publicExponent"}, {k->d, "privateExponent"},
    {k->p, "prime1"},    {k->q, "prime2"},         {k->dP, "exponent1"},
    {k->dQ, "exponent2"}, {k->qInv, "coefficient"},
  };
  for (size_t i = 0; i < 8; i++) {
    err = read_int(kf, &seq, fields[i].x, fields[i].name, what);
    if (err != KL_OK)
      return err;
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
  if (oid_len == sizeof oid_rsassaPss && memcmp(oid, oid_rsassaPss, oid_len) == 0)
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "%s: RSASSA-PSS-restricted keys (id-RSASSA-PSS) are not supported",
                            what);
  if (oid_len != sizeof oid_rsaEncryption || memcmp(oid, oid_rsaEncryption, oid_len) != 0) {
    char hex[2 * 32 + 1] = "";
    if (oid_len <= 32 && kl_hex_encode(hex, sizeof hex, oid, oid_len) != KL_OK)
      hex[0] = '\0';
    return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                            "%s: not an RSA key (algorithm OID octets %s, not rsaEncryption)",
                            what, hex);
  }
  /* RFC 3279 §2.3.1: "the parameters field MUST have ASN.1 type NULL". */
  if (kl_der_read_null(&alg) != KL_OK)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            "%s: rsaEncryption parameters must be NULL (%s)", what,
                            alg.why != NULL ? alg.why : "DER: malformed");
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

static kl_err parse_der_as(kl_rsa_keyfile *kf, kl_key_format fmt, const uint8_t *der,
                           size_t len)
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

/* PEM: the label says which structure the DER inside must be. */
static kl_err read_pem(kl_rsa_keyfile *kf, const char *text, size_t len)
{
  uint8_t der[DER_MAX];
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
  static const struct {
    const char *label;
    kl_key_format fmt;
  } labels[] = {
    {label_pkcs1_priv, KL_KEY_PKCS1_PRIV_PEM},
    {label_pkcs8, KL_KEY_PKCS8_PEM},
    {label_spki, KL_KEY_SPKI_PEM},
    {label_pkcs1_pub, KL_KEY_PKCS1_PUB_PEM},
  };
  kl_key_format fmt = KL_KEY_FORMAT_UNKNOWN;
  for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
    if (strlen(labels[i].label) == label_len && memcmp(labels[i].label, label, label_len) == 0)
      fmt = labels[i].fmt;
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

/* ---- checks after reading ---- */

/* A public key (n, e) that RSAEP can use: n odd (a product of odd primes),
 * e odd with 3 <= e < n (RFC 8017 §3.1; e = 1 would make encryption the
 * identity, an even e is never coprime to lambda(n)). */
static kl_err check_public(kl_rsa_keyfile *kf)
{
  const kl_rsa_pub *pub = &kf->pub;
  if (mpz_cmp_ui(pub->n, 3) < 0 || mpz_even_p(pub->n))
    return kli_keyfile_fail(kf, KL_ERR_KEY, "invalid public key: the modulus n must be odd "
                                            "(a product of two odd primes)");
  if (mpz_cmp_ui(pub->e, 3) < 0 || mpz_even_p(pub->e) || mpz_cmp(pub->e, pub->n) >= 0)
    return kli_keyfile_fail(kf, KL_ERR_KEY,
                            "invalid public key: e must be odd and 3 <= e < n (RFC 8017 §3.1)");
  return KL_OK;
}

/* Validate a private key with the RSA layer's checks; name the first failure. */
static kl_err check_private(kl_rsa_keyfile *kf, const kl_rng *rng)
{
  mpz_set(kf->pub.n, kf->priv.n);
  mpz_set(kf->pub.e, kf->priv.e);
  if (rng == NULL)
    return kli_keyfile_fail(kf, KL_ERR_ARG, "a random generator is needed to validate a key");
  kl_err err = kl_rsa_priv_check(&kf->report, &kf->priv, rng);
  if (err == KL_ERR_KEY) {
    for (int id = 0; id < KL_RSA_CHECK_COUNT; id++) {
      if (kf->report.status[id] == KL_RSA_CHECK_FAIL)
        return kli_keyfile_fail(kf, KL_ERR_KEY, "inconsistent private key: check failed: %s (%s)",
                                kl_rsa_check_name((kl_rsa_check_id)id),
                                kl_rsa_check_source((kl_rsa_check_id)id));
    }
    return kli_keyfile_fail(kf, KL_ERR_KEY, "inconsistent private key");
  }
  if (err != KL_OK)
    return kli_keyfile_fail(kf, err, "key validation failed: %s", kl_strerror(err));
  return KL_OK;
}

/* ---- the reader ---- */

static int is_space(uint8_t c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

kl_err kl_rsa_keyfile_read(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len,
                           const kl_rng *rng)
{
  if (kf == NULL || (in == NULL && in_len != 0))
    return KL_ERR_ARG;
  /* Start from an empty key (reading twice replaces the contents). */
  kl_rsa_keyfile_clear(kf);
  kl_rsa_keyfile_init(kf);
  kl_err err;
  size_t s = 0;
  if (in_len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF)
    s = 3; /* UTF-8 byte order mark, as Windows editors write */
  while (s < in_len && is_space(in[s]))
    s++;
  const char *text = (const char *)in + s;
  size_t text_len = in_len - s;

  if (text_len > 0 && text[0] == '<') {
    kf->format = KL_KEY_DOTNET_XML;
    err = kli_dotnet_read(kf, text, text_len, 0);
  } else if (text_len > 0 && text[0] == '{') {
    kf->format = KL_KEY_DOTNET_JSON;
    err = kli_dotnet_read(kf, text, text_len, 1);
  } else if (kl_pem_looks_like((const char *)in, in_len)) {
    err = read_pem(kf, (const char *)in, in_len);
  } else {
    /* DER: judged on the input as given (no whitespace skipping: binary). */
    kl_key_format fmt = der_shape(in, in_len);
    kf->format = fmt;
    if (fmt == KL_KEY_FORMAT_UNKNOWN && in_len > 0 && in[0] == KL_DER_SEQUENCE) {
      /* It starts like DER: say what is wrong with it (truncated, BER, ...). */
      kl_der_reader r, seq;
      kl_der_reader_init(&r, in, in_len);
      if (kl_der_read_sequence(&r, &seq) != KL_OK)
        err = der_fail(kf, &r, "DER key (outer SEQUENCE)");
      else
        err = kli_keyfile_fail(kf, KL_ERR_ENCODING,
                               "DER: a SEQUENCE, but not of an RSA key structure");
    } else {
      err = parse_der_as(kf, fmt, in, in_len);
    }
  }
  if (err == KL_OK && kf->has_private)
    err = check_private(kf, rng);
  else if (err == KL_OK)
    err = check_public(kf);
  if (err == KL_OK) {
    kf->detail[0] = '\0';
    return KL_OK;
  }
  if (kf->detail[0] == '\0')
    kli_keyfile_fail(kf, err, "%s", kl_strerror(err));
  /* Keep a private key whose validation failed (for the audit); drop the
   * values of anything that did not even parse. */
  if (err != KL_ERR_KEY || !kf->has_private) {
    kl_rsa_priv_clear(&kf->priv);
    kl_rsa_priv_init(&kf->priv);
    kf->has_private = 0;
  }
  return err;
}

/* ---- writing the ASN.1 structures ---- */

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

static void put_rsa_private_key_body(kl_der_writer *w, const kl_rsa_priv *k)
{
  kl_der_put_small_uint(w, 0); /* version two-prime(0) */
  put_mpz(w, k->n);
  put_mpz(w, k->e);
  put_mpz(w, k->d);
  put_mpz(w, k->p);
  put_mpz(w, k->q);
  put_mpz(w, k->dP);
  put_mpz(w, k->dQ);
  put_mpz(w, k->qInv);
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

/* AlgorithmIdentifier { rsaEncryption, NULL }: 30 0d 06 09 <oid> 05 00 */
static void put_algorithm(kl_der_writer *w)
{
  kl_der_put_header(w, KL_DER_SEQUENCE, 2 + sizeof oid_rsaEncryption + 2);
  kl_der_put_tlv(w, KL_DER_OID, oid_rsaEncryption, sizeof oid_rsaEncryption);
  kl_der_put_null(w);
}

static void put_pkcs8_body(kl_der_writer *w, const kl_rsa_priv *k)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_private_key(&count, k);
  kl_der_put_small_uint(w, 0); /* RFC 5208 §5: version 0 */
  put_algorithm(w);
  kl_der_put_header(w, KL_DER_OCTET_STRING, count.len);
  put_rsa_private_key(w, k);
}

/* PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING } */
static void put_pkcs8(kl_der_writer *w, const kl_rsa_priv *k)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_pkcs8_body(&count, k);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_pkcs8_body(w, k);
}

static void put_spki_body(kl_der_writer *w, const mpz_t n, const mpz_t e)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_rsa_public_key(&count, n, e);
  put_algorithm(w);
  /* BIT STRING: 00 (no unused bits) then the RSAPublicKey DER */
  static const uint8_t no_unused_bits = 0x00;
  kl_der_put_header(w, KL_DER_BIT_STRING, count.len + 1);
  kl_der_put_raw(w, &no_unused_bits, 1);
  put_rsa_public_key(w, n, e);
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
static void put_spki(kl_der_writer *w, const mpz_t n, const mpz_t e)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_spki_body(&count, n, e);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_spki_body(w, n, e);
}

static const char *pem_label(kl_key_format fmt)
{
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_PEM:
    return label_pkcs1_priv;
  case KL_KEY_PKCS8_PEM:
    return label_pkcs8;
  case KL_KEY_SPKI_PEM:
    return label_spki;
  case KL_KEY_PKCS1_PUB_PEM:
    return label_pkcs1_pub;
  default:
    return NULL;
  }
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
static kl_err write_der(const kl_rsa_priv *key, const mpz_t n, const mpz_t e, kl_key_format fmt,
                        uint8_t *out, size_t *out_len)
{
  kl_der_writer w;
  kl_der_writer_init(&w, out, out == NULL ? 0 : *out_len);
  switch (fmt) {
  case KL_KEY_PKCS1_PRIV_DER:
    put_rsa_private_key(&w, key);
    break;
  case KL_KEY_PKCS8_DER:
    put_pkcs8(&w, key);
    break;
  case KL_KEY_SPKI_DER:
    put_spki(&w, n, e);
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

/* Any ASN.1 format, DER or PEM. */
static kl_err write_asn1(const kl_rsa_priv *key, const mpz_t n, const mpz_t e, kl_key_format fmt,
                         uint8_t *out, size_t *out_len)
{
  const char *label = pem_label(fmt);
  if (label == NULL)
    return write_der(key, n, e, fmt, out, out_len);
  uint8_t der[DER_MAX];
  char text[KL_KEYFILE_MAX_BYTES];
  size_t der_len = sizeof der;
  size_t text_len = sizeof text;
  kl_err err = write_der(key, n, e, der_of(fmt), der, &der_len);
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

static int nonneg_and_small(const mpz_t x)
{
  return mpz_sgn(x) >= 0 && kli_int_octets(x) <= KLI_KEY_INT_MAX;
}

kl_err kl_rsa_priv_write(const kl_rsa_priv *key, kl_key_format fmt, uint8_t *out,
                         size_t *out_len)
{
  if (key == NULL || out_len == NULL || kl_key_format_holds_private(fmt) < 0)
    return KL_ERR_ARG;
  const mpz_srcptr all[8] = {key->n, key->e, key->d, key->p, key->q, key->dP, key->dQ, key->qInv};
  for (size_t i = 0; i < 8; i++) {
    if (mpz_sgn(all[i]) < 0)
      return KL_ERR_ARG;
    if (!nonneg_and_small(all[i]))
      return KL_ERR_KEY_LEN;
  }
  switch (fmt) {
  case KL_KEY_DOTNET_XML:
    return kli_dotnet_write(key, NULL, 0, out, out_len);
  case KL_KEY_DOTNET_JSON:
    return kli_dotnet_write(key, NULL, 1, out, out_len);
  default:
    return write_asn1(key, key->n, key->e, fmt, out, out_len);
  }
}

kl_err kl_rsa_pub_write(const kl_rsa_pub *pub, kl_key_format fmt, uint8_t *out, size_t *out_len)
{
  if (pub == NULL || out_len == NULL)
    return KL_ERR_ARG;
  if (kl_key_format_holds_private(fmt) != 0 && kl_key_format_holds_private(fmt) != 2)
    return KL_ERR_ARG;
  if (mpz_sgn(pub->n) < 0 || mpz_sgn(pub->e) < 0)
    return KL_ERR_ARG;
  if (!nonneg_and_small(pub->n) || !nonneg_and_small(pub->e))
    return KL_ERR_KEY_LEN;
  switch (fmt) {
  case KL_KEY_DOTNET_XML:
    return kli_dotnet_write(NULL, pub, 0, out, out_len);
  case KL_KEY_DOTNET_JSON:
    return kli_dotnet_write(NULL, pub, 1, out, out_len);
  default:
    return write_asn1(NULL, pub->n, pub->e, fmt, out, out_len);
  }
}

/* ---- the SubjectPublicKeyInfo shortcuts the protocol uses ---- */

kl_err kl_rsa_pub_to_spki_der(const kl_rsa_pub *pub, uint8_t *out, size_t *out_len)
{
  return kl_rsa_pub_write(pub, KL_KEY_SPKI_DER, out, out_len);
}

kl_err kl_rsa_pub_from_spki_der(kl_rsa_pub *pub, const uint8_t *der, size_t len)
{
  if (pub == NULL || (der == NULL && len != 0))
    return KL_ERR_ARG;
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_err err = parse_spki(&kf, der, len);
  if (err == KL_OK)
    err = check_public(&kf);
  if (err == KL_ERR_UNSUPPORTED)
    err = KL_ERR_ENCODING; /* not an RSA SubjectPublicKeyInfo */
  if (err == KL_OK) {
    mpz_set(pub->n, kf.pub.n);
    mpz_set(pub->e, kf.pub.e);
  }
  kl_rsa_keyfile_clear(&kf);
  return err;
}

kl_err kl_rsa_pub_to_pem(const kl_rsa_pub *pub, char *out, size_t *out_len)
{
  if (pub == NULL || out_len == NULL)
    return KL_ERR_ARG;
  size_t cap = *out_len;
  size_t len = cap;
  kl_err err = kl_rsa_pub_write(pub, KL_KEY_SPKI_PEM, (uint8_t *)out, &len);
  if (err == KL_ERR_BUF_TOO_SMALL || (err == KL_OK && len + 1 > cap)) {
    *out_len = len + 1; /* room for the NUL */
    return KL_ERR_BUF_TOO_SMALL;
  }
  if (err != KL_OK)
    return err;
  out[len] = '\0';
  *out_len = len;
  return KL_OK;
}
