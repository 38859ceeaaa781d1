/* keyfile.c: RSA key files: which form a file is in, and what every key
 * read gets checked for. The public entry points of keyfile.h live here.
 * Reading (kl_rsa_keyfile_read): UTF-16 text put into ASCII (text_encoding.c),
 * a UTF-8 BOM and leading whitespace skipped,
 *   '<'                      .NET XML                        dotnet.c
 *   '{'                      .NET JSON                       dotnet.c
 *   "-----BEGIN " line       PEM (RFC 7468 §2), the label    asn1_read.c
 *                            names the structure
 *   anything else            DER; the outer SEQUENCE's       asn1_read.c
 *                            shape names the structure
 * then the same checks for every format: a private key through
 * kl_rsa_priv_check (src/rsa/validate.c), a public key n odd, e odd,
 * 3 <= e < n (RFC 8017 §3.1).
 * Writing (kl_rsa_priv_write, kl_rsa_pub_write): the values' range checked
 * here, then the .NET forms to dotnet.c and the ASN.1 ones (PKCS#1 RFC 8017
 * App. A.1, PKCS#8 RFC 5208 §5 / RFC 5958, SPKI RFC 5280 §4.1, DER or PEM)
 * to asn1_write.c; an id-RSASSA-PSS key (kl_rsa_priv_write_pss,
 * kl_rsa_pub_write_pss, at the end) to asn1_write.c with pss_params.c's
 * identifier. keyfile_internal.h draws who calls whom.
 * Symbols: n e d p q dP dQ qInv (RFC 8017 §3.2).
 * Timing: NOT constant-time (a file format; see keyfile.h).
 * Secrets: the values of a key that did not parse are wiped from kf (a
 * private key that parsed but failed its checks stays, for the audit).
 * See docs/keyfiles.md; tests in tests/test_keyfile.c, tests/interop/. */
#include <stdlib.h>
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/pem.h"
#include "keyfile/keyfile_internal.h"

/* ---- formats ---- */

static const char *const format_names[KL_KEY_FORMAT_COUNT] = {
  "unknown",  "pkcs1-pem",     "pkcs1-der",     "pkcs8-pem",  "pkcs8-der",   "spki-pem",
  "spki-der", "pkcs1-pub-pem", "pkcs1-pub-der", "dotnet-xml", "dotnet-json",
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
  memset(&kf->pss, 0, sizeof kf->pss);
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
  memset(&kf->pss, 0, sizeof kf->pss);
}

/* ---- checks after reading ---- */

/* A public key (n, e) that RSAEP can use: n odd (a product of odd primes),
 * e odd with 3 <= e < n (RFC 8017 §3.1; e = 1 would make encryption the
 * identity, an even e is never coprime to lambda(n)). */
static kl_err check_public(kl_rsa_keyfile *kf)
{
  const kl_rsa_pub *pub = &kf->pub;
  if (mpz_cmp_ui(pub->n, 3) < 0 || mpz_even_p(pub->n))
    return kli_keyfile_fail(kf, KL_ERR_KEY,
                            "invalid public key: the modulus n must be odd "
                            "(a product of two odd primes)");
  if (mpz_cmp_ui(pub->e, 3) < 0 || mpz_even_p(pub->e) || mpz_cmp(pub->e, pub->n) >= 0)
    return kli_keyfile_fail(kf, KL_ERR_KEY,
                            "invalid public key: e must be odd and 3 <= e < n (RFC 8017 §3.1)");
  return KL_OK;
}

/* Validate a private key with the RSA layer's checks; name the first failure.
 * audit = 1: kl_rsa_priv_check (Miller-Rabin on every prime); 0: the cheap
 * checks of kl_rsa_priv_check_load, enough for a key about to be used. */
static kl_err check_private(kl_rsa_keyfile *kf, const kl_rng *rng, int audit)
{
  mpz_set(kf->pub.n, kf->priv.n);
  mpz_set(kf->pub.e, kf->priv.e);
  if (rng == NULL)
    return kli_keyfile_fail(kf, KL_ERR_ARG, "a random generator is needed to validate a key");
  kl_err err = audit ? kl_rsa_priv_check(&kf->report, &kf->priv, rng)
                     : kl_rsa_priv_check_load(&kf->report, &kf->priv, rng);
  if (err == KL_ERR_KEY) {
    const kl_rsa_check_report *rep = &kf->report;
    for (int id = 0; id < KL_RSA_CHECK_NLEN; id++) {
      if (rep->status[id] == KL_RSA_CHECK_FAIL)
        return kli_keyfile_fail(kf, KL_ERR_KEY, "inconsistent private key: check failed: %s (%s)",
                                kl_rsa_check_name((kl_rsa_check_id)id),
                                kl_rsa_check_source((kl_rsa_check_id)id));
    }
    for (unsigned i = 0; i < rep->n_other; i++) {
      unsigned ri = i + 3;
      if (rep->other_prime[i] == KL_RSA_CHECK_FAIL)
        return kli_keyfile_fail(kf, KL_ERR_KEY,
                                "inconsistent private key: check failed: r_%u is prime "
                                "(RFC 8017 §3.2)",
                                ri);
      if (rep->other_exp[i] == KL_RSA_CHECK_FAIL)
        return kli_keyfile_fail(kf, KL_ERR_KEY,
                                "inconsistent private key: check failed: d_%u = d mod (r_%u - 1) "
                                "(RFC 8017 §3.2)",
                                ri, ri);
      if (rep->other_coef[i] == KL_RSA_CHECK_FAIL)
        return kli_keyfile_fail(kf, KL_ERR_KEY,
                                "inconsistent private key: check failed: t_%u = (r_1*...*r_%u)^-1 "
                                "mod r_%u (RFC 8017 §3.2)",
                                ri, ri - 1, ri);
    }
    if (rep->test_op == KL_RSA_CHECK_FAIL)
      return kli_keyfile_fail(kf, KL_ERR_KEY,
                              "inconsistent private key: a test private operation failed its "
                              "check (x != (x^d)^e mod n): a prime is not prime, or a CRT value "
                              "is wrong");
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

static kl_err keyfile_read(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len, const kl_rng *rng,
                           int audit)
{
  if (kf == NULL || (in == NULL && in_len != 0))
    return KL_ERR_ARG;
  /* Start from an empty key (reading twice replaces the contents). */
  kl_rsa_keyfile_clear(kf);
  kl_rsa_keyfile_init(kf);
  kl_err err;
  /* UTF-16 text (PowerShell's Out-File) is read as the ASCII it holds. */
  uint8_t *ascii = NULL;
  size_t ascii_len = 0;
  err = kli_keyfile_from_utf16(kf, in, in_len, &ascii, &ascii_len);
  if (err != KL_OK)
    return err;
  if (ascii != NULL) {
    err = kl_rsa_keyfile_read(kf, ascii, ascii_len, rng);
    kl_wipe(ascii, ascii_len);
    free(ascii);
    return err;
  }
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
    err = kli_asn1_read_pem(kf, (const char *)in, in_len);
  } else {
    /* DER: judged on the input as given (no whitespace skipping: binary). */
    err = kli_asn1_read_der(kf, in, in_len);
  }
  if (err == KL_OK && kf->has_private)
    err = check_private(kf, rng, audit);
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

kl_err kl_rsa_keyfile_read(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len, const kl_rng *rng)
{
  return keyfile_read(kf, in, in_len, rng, 0);
}

kl_err kl_rsa_keyfile_read_audit(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len,
                                 const kl_rng *rng)
{
  return keyfile_read(kf, in, in_len, rng, 1);
}

/* ---- the writers ---- */

static int nonneg_and_small(const mpz_t x)
{
  return mpz_sgn(x) >= 0 && kli_int_octets(x) <= KLI_KEY_INT_MAX;
}

kl_err kl_rsa_priv_write(const kl_rsa_priv *key, kl_key_format fmt, uint8_t *out, size_t *out_len)
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
  if (key->n_other > KL_RSA_MAX_PRIMES - 2)
    return KL_ERR_ARG;
  for (unsigned i = 0; i < key->n_other; i++) {
    const kl_rsa_prime_info *oi = &key->other[i];
    if (mpz_sgn(oi->r) < 0 || mpz_sgn(oi->d) < 0 || mpz_sgn(oi->t) < 0)
      return KL_ERR_ARG;
    if (!nonneg_and_small(oi->r) || !nonneg_and_small(oi->d) || !nonneg_and_small(oi->t))
      return KL_ERR_KEY_LEN;
  }
  /* .NET's RSAParameters has no place for a third prime. */
  if (key->n_other > 0 && (fmt == KL_KEY_DOTNET_XML || fmt == KL_KEY_DOTNET_JSON))
    return KL_ERR_UNSUPPORTED;
  switch (fmt) {
  case KL_KEY_DOTNET_XML:
    return kli_dotnet_write(key, NULL, 0, out, out_len);
  case KL_KEY_DOTNET_JSON:
    return kli_dotnet_write(key, NULL, 1, out, out_len);
  default:
    return kli_asn1_write(key, key->n, key->e, fmt, out, out_len);
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
    return kli_asn1_write(NULL, pub->n, pub->e, fmt, out, out_len);
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
  kl_err err = kli_asn1_read_spki(&kf, der, len);
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

/* ---- Writing an id-RSASSA-PSS key (RFC 4055 §3.1; the parameters are
 * pss_params.c's, the structures asn1_write.c's) ---- */

/* Parameters kexlab can write and honour; formats that can carry them. */
static int writable(const kl_pss_key_params *pp, kl_key_format fmt, int priv)
{
  if (pp == NULL || !pp->restricted)
    return 0;
  if (pp->has_params &&
      (kl_hash_digest_len(pp->hash) == 0 || kl_hash_digest_len(pp->mgf_hash) == 0 ||
       pp->trailer != 1 || pp->sLen > KL_RSA_MAX_BITS / 8))
    return 0;
  if (priv)
    return fmt == KL_KEY_PKCS8_PEM || fmt == KL_KEY_PKCS8_DER;
  return fmt == KL_KEY_SPKI_PEM || fmt == KL_KEY_SPKI_DER;
}

/* Non-negative and at most KLI_KEY_INT_MAX octets, as asn1_write.c needs. */
static int fits(const mpz_t x)
{
  return mpz_sgn(x) >= 0 && kli_int_octets(x) <= KLI_KEY_INT_MAX;
}

kl_err kl_rsa_priv_write_pss(const kl_rsa_priv *key, const kl_pss_key_params *pp, kl_key_format fmt,
                             uint8_t *out, size_t *out_len)
{
  if (key == NULL || out_len == NULL || !writable(pp, fmt, 1))
    return KL_ERR_ARG;
  const mpz_srcptr v[8] = {key->n, key->e, key->d, key->p, key->q, key->dP, key->dQ, key->qInv};
  for (size_t i = 0; i < 8; i++) {
    if (mpz_sgn(v[i]) < 0)
      return KL_ERR_ARG;
    if (!fits(v[i]))
      return KL_ERR_KEY_LEN;
  }
  return kli_asn1_write_pss(key, key->n, key->e, pp, fmt, out, out_len);
}

kl_err kl_rsa_pub_write_pss(const kl_rsa_pub *pub, const kl_pss_key_params *pp, kl_key_format fmt,
                            uint8_t *out, size_t *out_len)
{
  if (pub == NULL || out_len == NULL || !writable(pp, fmt, 0))
    return KL_ERR_ARG;
  if (mpz_sgn(pub->n) < 0 || mpz_sgn(pub->e) < 0)
    return KL_ERR_ARG;
  if (!fits(pub->n) || !fits(pub->e))
    return KL_ERR_KEY_LEN;
  return kli_asn1_write_pss(NULL, pub->n, pub->e, pp, fmt, out, out_len);
}
