/* pss_params.c: keys restricted to RSASSA-PSS. The algorithm identifier
 * id-RSASSA-PSS (1.2.840.113549.1.1.10) and its parameters, RFC 8017
 * App. A.2.3 and RFC 4055 §3.1:
 *   RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm    [0] HashAlgorithm    DEFAULT sha1,
 *     maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     saltLength       [2] INTEGER          DEFAULT 20,
 *     trailerField     [3] TrailerField     DEFAULT trailerFieldBC }
 *   HashAlgorithm    ::= AlgorithmIdentifier { OID, NULL or absent }
 *   MaskGenAlgorithm ::= AlgorithmIdentifier { id-mgf1 (1.2.840.113549.1.1.8),
 *                                              HashAlgorithm }
 * The tags [0]..[3] are EXPLICIT (the module's default). DER leaves out a
 * field equal to its DEFAULT; a reader accepts it written out too (RFC 4055
 * §3.1 asks implementations to), and hash parameters NULL or absent.
 * asn1_read.c calls kli_pss_params_read for the parameters of an
 * id-RSASSA-PSS key; asn1_write.c calls kli_pss_put_algorithm to write the
 * identifier. The public writers, kl_rsa_priv_write_pss and
 * kl_rsa_pub_write_pss, are keyfile.c's.
 * Timing: NOT constant-time (public parameters). Secrets: none here. */
#include <string.h>

#include "kexlab/der.h"
#include "keyfile/keyfile_internal.h"

const uint8_t kli_oid_rsassaPss[KLI_OID_RSA_LEN] = {0x2a, 0x86, 0x48, 0x86, 0xf7,
                                                    0x0d, 0x01, 0x01, 0x0a};
/* id-mgf1, RFC 8017 App. A.2.1 */
static const uint8_t oid_mgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};

/* The hash algorithms' OIDs (RFC 8017 App. A.2.4): id-sha1 1.3.14.3.2.26
 * and the SHA-2 family under 2.16.840.1.101.3.4.2. */
static const struct {
  kl_hash_alg alg;
  uint8_t len;
  uint8_t oid[9];
} hash_oids[] = {
  {KL_HASH_SHA1, 5, {0x2b, 0x0e, 0x03, 0x02, 0x1a}},
  {KL_HASH_SHA224, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04}},
  {KL_HASH_SHA256, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}},
  {KL_HASH_SHA384, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02}},
  {KL_HASH_SHA512, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03}},
  {KL_HASH_SHA512_224, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x05}},
  {KL_HASH_SHA512_256, 9, {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x06}},
};
#define N_HASH_OIDS (sizeof hash_oids / sizeof hash_oids[0])

void kl_pss_key_params_default(kl_pss_key_params *pp)
{
  pp->restricted = 1;
  pp->has_params = 1;
  pp->hash = KL_HASH_SHA1;
  pp->mgf_hash = KL_HASH_SHA1;
  pp->sLen = 20;
  pp->trailer = 1;
}

/* ---- reading ---- */

static kl_err pss_fail(kl_rsa_keyfile *kf, const kl_der_reader *r, const char *what,
                       const char *field)
{
  return kli_keyfile_fail(kf, KL_ERR_ENCODING, "%s: RSASSA-PSS-params, %s: %s", what, field,
                          r->why != NULL ? r->why : "DER: malformed");
}

/* The contents of an EXPLICIT [n] field into *inner, if the next tag is [n]
 * (constructed, context-specific: 0xa0 + n). Returns 1 if present, 0 if
 * absent, -1 if malformed. */
static int read_explicit(kl_der_reader *r, unsigned n, kl_der_reader *inner)
{
  if (kl_der_peek_tag(r) != (int)(0xa0 + n))
    return 0;
  const uint8_t *c;
  size_t clen;
  if (kl_der_read_tlv(r, (uint8_t)(0xa0 + n), &c, &clen) != KL_OK)
    return -1;
  kl_der_reader_init(inner, c, clen);
  return 1;
}

/* HashAlgorithm: SEQUENCE { OID, NULL or nothing } and nothing after, in r. */
static kl_err read_hash_alg(kl_rsa_keyfile *kf, kl_der_reader *r, kl_hash_alg *alg,
                            const char *what, const char *field)
{
  kl_der_reader seq;
  const uint8_t *oid;
  size_t oid_len;
  if (kl_der_read_sequence(r, &seq) != KL_OK)
    return pss_fail(kf, r, what, field);
  if (kl_der_read_oid(&seq, &oid, &oid_len) != KL_OK)
    return pss_fail(kf, &seq, what, field);
  if (kl_der_peek_tag(&seq) == KL_DER_NULL && kl_der_read_null(&seq) != KL_OK)
    return pss_fail(kf, &seq, what, field);
  if (kl_der_read_end(&seq) != KL_OK)
    return pss_fail(kf, &seq, what, field);
  for (size_t i = 0; i < N_HASH_OIDS; i++) {
    if (oid_len == hash_oids[i].len && memcmp(oid, hash_oids[i].oid, oid_len) == 0) {
      *alg = hash_oids[i].alg;
      return KL_OK;
    }
  }
  return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED, "%s: RSASSA-PSS-params, %s: unknown hash", what,
                          field);
}

kl_err kli_pss_params_read(kl_rsa_keyfile *kf, kl_der_reader *alg, const char *what)
{
  kl_pss_key_params *pp = &kf->pss;
  memset(pp, 0, sizeof *pp);
  pp->restricted = 1;
  /* RFC 4055 §3.1: the parameters may be absent (any PSS use), and then
   * there is nothing after the OID. */
  if (kl_der_peek_tag(alg) == -1)
    return KL_OK;
  kl_pss_key_params_default(pp);
  kl_der_reader seq, f;
  if (kl_der_read_sequence(alg, &seq) != KL_OK)
    return pss_fail(kf, alg, what, "SEQUENCE");
  int got = read_explicit(&seq, 0, &f); /* [0] hashAlgorithm */
  if (got < 0)
    return pss_fail(kf, &seq, what, "hashAlgorithm");
  if (got == 1) {
    kl_err err = read_hash_alg(kf, &f, &pp->hash, what, "hashAlgorithm");
    if (err != KL_OK)
      return err;
    if (kl_der_read_end(&f) != KL_OK)
      return pss_fail(kf, &f, what, "hashAlgorithm");
  }
  got = read_explicit(&seq, 1, &f); /* [1] maskGenAlgorithm */
  if (got < 0)
    return pss_fail(kf, &seq, what, "maskGenAlgorithm");
  if (got == 1) {
    kl_der_reader mga;
    const uint8_t *oid;
    size_t oid_len;
    if (kl_der_read_sequence(&f, &mga) != KL_OK || kl_der_read_oid(&mga, &oid, &oid_len) != KL_OK)
      return pss_fail(kf, &f, what, "maskGenAlgorithm");
    if (oid_len != sizeof oid_mgf1 || memcmp(oid, oid_mgf1, oid_len) != 0)
      return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                              "%s: RSASSA-PSS-params, maskGenAlgorithm: only MGF1 is defined",
                              what);
    kl_err err = read_hash_alg(kf, &mga, &pp->mgf_hash, what, "maskGenAlgorithm's hash");
    if (err != KL_OK)
      return err;
    if (kl_der_read_end(&mga) != KL_OK || kl_der_read_end(&f) != KL_OK)
      return pss_fail(kf, &f, what, "maskGenAlgorithm");
  }
  got = read_explicit(&seq, 2, &f); /* [2] saltLength */
  unsigned long v;
  if (got < 0)
    return pss_fail(kf, &seq, what, "saltLength");
  if (got == 1) {
    if (kl_der_read_small_uint(&f, &v) != KL_OK || kl_der_read_end(&f) != KL_OK)
      return pss_fail(kf, &f, what, "saltLength");
    if (v > KL_RSA_MAX_BITS / 8)
      return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                              "%s: RSASSA-PSS-params, saltLength %lu is longer than any key", what,
                              v);
    pp->sLen = v;
  }
  got = read_explicit(&seq, 3, &f); /* [3] trailerField */
  if (got < 0)
    return pss_fail(kf, &seq, what, "trailerField");
  if (got == 1) {
    if (kl_der_read_small_uint(&f, &v) != KL_OK || kl_der_read_end(&f) != KL_OK)
      return pss_fail(kf, &f, what, "trailerField");
    if (v != 1)
      return kli_keyfile_fail(kf, KL_ERR_UNSUPPORTED,
                              "%s: RSASSA-PSS-params, trailerField %lu (only 1, 0xbc, exists)",
                              what, v);
  }
  if (kl_der_read_end(&seq) != KL_OK)
    return pss_fail(kf, &seq, what, "fields out of order or unknown");
  if (kl_der_read_end(alg) != KL_OK)
    return pss_fail(kf, alg, what, "AlgorithmIdentifier");
  return KL_OK;
}

/* ---- writing ---- */

/* HashAlgorithm SEQUENCE { OID, NULL }, or nothing for an unknown alg. */
static void put_hash_alg(kl_der_writer *w, kl_hash_alg alg)
{
  for (size_t i = 0; i < N_HASH_OIDS; i++) {
    if (hash_oids[i].alg == alg) {
      kl_der_put_header(w, KL_DER_SEQUENCE, 2u + hash_oids[i].len + 2u);
      kl_der_put_tlv(w, KL_DER_OID, hash_oids[i].oid, hash_oids[i].len);
      kl_der_put_null(w);
    }
  }
}

/* MaskGenAlgorithm SEQUENCE { id-mgf1, HashAlgorithm }. */
static void put_mgf1(kl_der_writer *w, kl_hash_alg alg)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_hash_alg(&count, alg);
  kl_der_put_header(w, KL_DER_SEQUENCE, 2 + sizeof oid_mgf1 + count.len);
  kl_der_put_tlv(w, KL_DER_OID, oid_mgf1, sizeof oid_mgf1);
  put_hash_alg(w, alg);
}

/* The fields of RSASSA-PSS-params that differ from their DEFAULT. */
static void put_params_body(kl_der_writer *w, const kl_pss_key_params *pp)
{
  kl_der_writer count;
  if (pp->hash != KL_HASH_SHA1) {
    kl_der_writer_init(&count, NULL, 0);
    put_hash_alg(&count, pp->hash);
    kl_der_put_header(w, 0xa0, count.len);
    put_hash_alg(w, pp->hash);
  }
  if (pp->mgf_hash != KL_HASH_SHA1) {
    kl_der_writer_init(&count, NULL, 0);
    put_mgf1(&count, pp->mgf_hash);
    kl_der_put_header(w, 0xa1, count.len);
    put_mgf1(w, pp->mgf_hash);
  }
  if (pp->sLen != 20) {
    kl_der_writer_init(&count, NULL, 0);
    kl_der_put_small_uint(&count, pp->sLen);
    kl_der_put_header(w, 0xa2, count.len);
    kl_der_put_small_uint(w, pp->sLen);
  }
  /* trailerField is always 1, its DEFAULT: never written. */
}

static void put_algorithm_body(kl_der_writer *w, const kl_pss_key_params *pp)
{
  kl_der_put_tlv(w, KL_DER_OID, kli_oid_rsassaPss, KLI_OID_RSA_LEN);
  if (!pp->has_params)
    return; /* RFC 4055 §3.1: absent parameters, any PSS use */
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_params_body(&count, pp);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_params_body(w, pp);
}

void kli_pss_put_algorithm(kl_der_writer *w, const kl_pss_key_params *pp)
{
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  put_algorithm_body(&count, pp);
  kl_der_put_header(w, KL_DER_SEQUENCE, count.len);
  put_algorithm_body(w, pp);
}
