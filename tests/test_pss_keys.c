/* test_pss_keys.c: keys restricted to RSASSA-PSS (src/keyfile/pss_params.c):
 * the id-RSASSA-PSS algorithm identifier and RSASSA-PSS-params (RFC 8017
 * App. A.2.3, RFC 4055 §3.1) in SubjectPublicKeyInfo. Hand-built DER around
 * the public key of the vector package's rsa_public_key.der:
 *  - parameters absent, empty (all DEFAULT), written out in full, with hash
 *    parameters NULL or absent: read as RFC 4055 says;
 *  - every hash, read back from what kexlab writes; DEFAULT fields left out;
 *  - refused: another MGF, an unknown hash, trailerField 2, fields out of
 *    order, trailing data; writing to a format without an algorithm identifier.
 * The interop suite (test_interop_sha2_pss.sh) holds the writer against
 * OpenSSL's octets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/der.h"
#include "kexlab/keyfile.h"
#include "test_util.h"

static const uint8_t OID_PSS[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
static const uint8_t SHA256[] = {0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00};

/* The BIT STRING of a real SPKI (rsa_public_key.der), to wrap in our own
 * AlgorithmIdentifiers. */
static uint8_t bits_tlv[600];
static size_t bits_tlv_len;

static void load_bits(void)
{
  FILE *f = fopen(th_vector_path("keyfile/rsa_public_key.der"), "rb");
  ck_assert_ptr_nonnull(f);
  uint8_t der[1024];
  size_t n = fread(der, 1, sizeof der, f);
  fclose(f);
  kl_der_reader r, seq, alg;
  kl_der_reader_init(&r, der, n);
  ck_assert_int_eq(kl_der_read_sequence(&r, &seq), KL_OK);
  ck_assert_int_eq(kl_der_read_sequence(&seq, &alg), KL_OK);
  bits_tlv_len = seq.len - seq.pos;
  memcpy(bits_tlv, seq.buf + seq.pos, bits_tlv_len);
}

/* SEQUENCE { SEQUENCE { id-RSASSA-PSS, params[0..plen) }, BIT STRING } */
static size_t spki_with(uint8_t *out, const uint8_t *params, size_t plen)
{
  kl_der_writer w;
  size_t alg_len = sizeof OID_PSS + plen;
  size_t alg_tlv = 2 + alg_len;
  kl_der_writer_init(&w, out, 1024);
  kl_der_put_header(&w, KL_DER_SEQUENCE, alg_tlv + bits_tlv_len);
  kl_der_put_header(&w, KL_DER_SEQUENCE, alg_len);
  kl_der_put_raw(&w, OID_PSS, sizeof OID_PSS);
  kl_der_put_raw(&w, params, plen);
  kl_der_put_raw(&w, bits_tlv, bits_tlv_len);
  size_t len = 0;
  ck_assert_int_eq(kl_der_writer_finish(&w, &len), KL_OK);
  return len;
}

static kl_err read_params(const uint8_t *params, size_t plen, kl_pss_key_params *pp, char *detail,
                          size_t dlen)
{
  uint8_t der[1024];
  size_t n = spki_with(der, params, plen);
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_err err = kl_rsa_keyfile_read(&kf, der, n, NULL);
  *pp = kf.pss;
  snprintf(detail, dlen, "%s", kf.detail);
  kl_rsa_keyfile_clear(&kf);
  return err;
}

START_TEST(absent_empty_and_explicit_defaults)
{
  load_bits();
  kl_pss_key_params pp;
  char why[160];
  ck_assert_int_eq(read_params(NULL, 0, &pp, why, sizeof why), KL_OK);
  ck_assert_int_eq(pp.restricted, 1);
  ck_assert_int_eq(pp.has_params, 0);
  static const uint8_t empty[] = {0x30, 0x00};
  ck_assert_int_eq(read_params(empty, sizeof empty, &pp, why, sizeof why), KL_OK);
  ck_assert_int_eq(pp.has_params, 1);
  ck_assert_int_eq(pp.hash, KL_HASH_SHA1);
  ck_assert_int_eq(pp.mgf_hash, KL_HASH_SHA1);
  ck_assert_uint_eq(pp.sLen, 20);
  ck_assert_uint_eq(pp.trailer, 1);
  /* Every field written out, SHA-1 without NULL parameters: the same. */
  static const uint8_t full[] = {
    0x30, 0x2d, 0xa0, 0x09, 0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0xa1, 0x16, 0x30,
    0x14, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x07, 0x06, 0x05,
    0x2b, 0x0e, 0x03, 0x02, 0x1a, 0xa2, 0x03, 0x02, 0x01, 0x14, 0xa3, 0x03, 0x02, 0x01, 0x01,
  };
  ck_assert_int_eq(read_params(full, sizeof full, &pp, why, sizeof why), KL_OK);
  ck_assert_int_eq(pp.hash, KL_HASH_SHA1);
  ck_assert_int_eq(pp.mgf_hash, KL_HASH_SHA1);
  ck_assert_uint_eq(pp.sLen, 20);
}
END_TEST

START_TEST(refused)
{
  load_bits();
  kl_pss_key_params pp;
  char why[160];
  /* trailerField 2 */
  static const uint8_t trailer2[] = {0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x02};
  ck_assert_int_eq(read_params(trailer2, sizeof trailer2, &pp, why, sizeof why),
                   KL_ERR_UNSUPPORTED);
  ck_assert_ptr_nonnull(strstr(why, "trailerField"));
  /* saltLength before hashAlgorithm */
  uint8_t order[64] = {0x30, 0x16, 0xa2, 0x03, 0x02, 0x01, 0x20, 0xa0, 0x0f};
  memcpy(order + 9, SHA256, sizeof SHA256);
  ck_assert_int_eq(read_params(order, 9 + sizeof SHA256, &pp, why, sizeof why), KL_ERR_ENCODING);
  /* an unknown hash (SHA3-256, 2.16.840.1.101.3.4.2.8) */
  uint8_t sha3[64] = {0x30, 0x11, 0xa0, 0x0f};
  memcpy(sha3 + 4, SHA256, sizeof SHA256);
  sha3[4 + 12] = 0x08;
  ck_assert_int_eq(read_params(sha3, 4 + sizeof SHA256, &pp, why, sizeof why), KL_ERR_UNSUPPORTED);
  /* a mask generation function other than MGF1 (id-mgf1's last arc changed) */
  static const uint8_t mgf[] = {0x30, 0x1a, 0xa1, 0x18, 0x30, 0x16, 0x06, 0x09, 0x2a, 0x86,
                                0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x09, 0x30, 0x09, 0x06,
                                0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00};
  ck_assert_int_eq(read_params(mgf, sizeof mgf, &pp, why, sizeof why), KL_ERR_UNSUPPORTED);
  ck_assert_msg(strstr(why, "mask") != NULL || strstr(why, "MGF") != NULL ||
                  strstr(why, "mgf") != NULL,
                "refused for another reason: %s", why);
  /* something after the parameters inside the AlgorithmIdentifier */
  static const uint8_t extra[] = {0x30, 0x00, 0x05, 0x00};
  ck_assert_int_eq(read_params(extra, sizeof extra, &pp, why, sizeof why), KL_ERR_ENCODING);
  /* parameters that are not a SEQUENCE */
  static const uint8_t null[] = {0x05, 0x00};
  ck_assert_int_eq(read_params(null, sizeof null, &pp, why, sizeof why), KL_ERR_ENCODING);
}
END_TEST

START_TEST(write_read_every_hash)
{
  load_bits();
  uint8_t der[1024];
  size_t n = spki_with(der, NULL, 0);
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, der, n, NULL), KL_OK);
  static const kl_hash_alg hs[] = {KL_HASH_SHA1,      KL_HASH_SHA224, KL_HASH_SHA256,
                                   KL_HASH_SHA384,    KL_HASH_SHA512, KL_HASH_SHA512_224,
                                   KL_HASH_SHA512_256};
  for (size_t i = 0; i < 7; i++) {
    kl_pss_key_params pp;
    kl_pss_key_params_default(&pp);
    pp.hash = hs[i];
    pp.mgf_hash = hs[(i + 3) % 7];
    pp.sLen = 20 + i;
    uint8_t out[2048];
    size_t len = sizeof out;
    ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &pp, KL_KEY_SPKI_DER, out, &len), KL_OK);
    kl_rsa_keyfile back;
    kl_rsa_keyfile_init(&back);
    ck_assert_int_eq(kl_rsa_keyfile_read(&back, out, len, NULL), KL_OK);
    ck_assert_int_eq(back.pss.restricted, 1);
    ck_assert_int_eq(back.pss.has_params, 1);
    ck_assert_int_eq(back.pss.hash, pp.hash);
    ck_assert_int_eq(back.pss.mgf_hash, pp.mgf_hash);
    ck_assert_uint_eq(back.pss.sLen, pp.sLen);
    ck_assert(mpz_cmp(back.pub.n, kf.pub.n) == 0);
    kl_rsa_keyfile_clear(&back);
  }
  /* All DEFAULT: the parameters are an empty SEQUENCE (as OpenSSL writes). */
  kl_pss_key_params def;
  kl_pss_key_params_default(&def);
  uint8_t out[2048];
  size_t len = sizeof out;
  ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &def, KL_KEY_SPKI_DER, out, &len), KL_OK);
  static const uint8_t alg_empty[] = {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                      0xf7, 0x0d, 0x01, 0x01, 0x0a, 0x30, 0x00};
  ck_assert_mem_eq(out + 4, alg_empty, sizeof alg_empty);
  /* No algorithm identifier in PKCS#1 or .NET; a bad trailer; no restriction. */
  len = sizeof out;
  ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &def, KL_KEY_PKCS1_PUB_DER, out, &len),
                   KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &def, KL_KEY_DOTNET_XML, out, &len), KL_ERR_ARG);
  def.trailer = 2;
  ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &def, KL_KEY_SPKI_DER, out, &len), KL_ERR_ARG);
  def.trailer = 1;
  def.restricted = 0;
  ck_assert_int_eq(kl_rsa_pub_write_pss(&kf.pub, &def, KL_KEY_SPKI_PEM, out, &len), KL_ERR_ARG);
  kl_rsa_keyfile_clear(&kf);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("pss_keys");
  TCase *tc = tcase_create("pss_keys");
  tcase_add_test(tc, absent_empty_and_explicit_defaults);
  tcase_add_test(tc, refused);
  tcase_add_test(tc, write_read_every_hash);
  suite_add_tcase(s, tc);
  return s;
}
