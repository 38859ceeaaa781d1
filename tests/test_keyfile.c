/* test_keyfile.c: RSA key files (src/keyfile/).
 *  - the vector package's key files (vectors/keyfile/), read with the values
 *    OpenSSL finds in them (vectors/local/keyfile-fixtures.vec);
 *  - DER is canonical, so writing a fixture's key back in its own format must
 *    give the file's exact bytes (OpenSSL wrote them: an independent check);
 *  - every format round-trips; size queries; the .NET widths;
 *  - bad input: truncation at every position, trailing data, deep nesting,
 *    negative modulus, non-minimal integers, bad XML/JSON, inconsistent keys
 *    (the failed check is named), and a seeded mutation loop. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/der.h"
#include "kexlab/keyfile.h"
#include "test_util.h"
#include "vecfile.h"

static uint8_t *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  uint8_t *buf = malloc(1 << 16);
  *len = fread(buf, 1, 1 << 16, f);
  fclose(f);
  return buf;
}

static uint8_t *read_fixture(const char *name, size_t *len)
{
  char rel[128];
  snprintf(rel, sizeof rel, "keyfile/%s", name);
  return read_all(th_vector_path(rel), len);
}

static void assert_mpz_hex(const mpz_t x, const char *hex, const char *what)
{
  mpz_t want;
  mpz_init(want);
  ck_assert_int_eq(mpz_set_str(want, hex, 16), 0);
  if (mpz_cmp(x, want) != 0)
    ck_abort_msg("%s: got %s, want %s", what, mpz_get_str(NULL, 16, x), hex);
  mpz_clear(want);
}

static int priv_equal(const kl_rsa_priv *a, const kl_rsa_priv *b)
{
  return mpz_cmp(a->n, b->n) == 0 && mpz_cmp(a->e, b->e) == 0 && mpz_cmp(a->d, b->d) == 0 &&
         mpz_cmp(a->p, b->p) == 0 && mpz_cmp(a->q, b->q) == 0 && mpz_cmp(a->dP, b->dP) == 0 &&
         mpz_cmp(a->dQ, b->dQ) == 0 && mpz_cmp(a->qInv, b->qInv) == 0;
}

/* Load testrsa.pem (512-bit PKCS#1, from the vector package). */
static void load_testrsa(kl_rsa_keyfile *kf)
{
  size_t len;
  uint8_t *buf = read_fixture("testrsa.pem", &len);
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 7);
  kl_rsa_keyfile_init(kf);
  ck_assert_int_eq(kl_rsa_keyfile_read(kf, buf, len, &rng), KL_OK);
  ck_assert(kf->has_private);
  free(buf);
}

/* ---- fixtures ---- */

START_TEST(fixtures_read)
{
  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("local/keyfile-fixtures.vec")), 0);
  int cases = 0;
  static const char *const ints[] = {"n", "e", "d", "p", "q", "dP", "dQ", "qInv"};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 1);
  while (vecfile_next(&vf) == 1) {
    const char *file = vecfile_get(&vf, "File");
    size_t len;
    uint8_t *buf = read_fixture(file, &len);
    kl_err want;
    ck_assert_int_eq(kl_err_from_name(vecfile_get(&vf, "expect"), &want), KL_OK);
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    kl_err err = kl_rsa_keyfile_read(&kf, buf, len, &rng);
    if (err != want)
      ck_abort_msg("%s: got %s (%s), want %s", file, kl_err_name(err), kf.detail,
                   kl_err_name(want));
    ck_assert_str_eq(kl_key_format_name(kf.format), vecfile_get(&vf, "Format"));
    const char *detail = vecfile_get(&vf, "Detail");
    if (detail != NULL && strstr(kf.detail, detail) == NULL)
      ck_abort_msg("%s: detail '%s' lacks '%s'", file, kf.detail, detail);
    if (err == KL_OK) {
      ck_assert_str_eq(kf.detail, "");
      mpz_srcptr got[8] = {kf.pub.n,  kf.pub.e,   kf.priv.d,  kf.priv.p,
                           kf.priv.q, kf.priv.dP, kf.priv.dQ, kf.priv.qInv};
      int fields = 0;
      for (int i = 0; i < 8; i++) {
        const char *hex = vecfile_get(&vf, ints[i]);
        if (hex == NULL)
          continue;
        assert_mpz_hex(got[i], hex, ints[i]);
        fields++;
      }
      ck_assert_int_eq(fields, kf.has_private ? 8 : 2);
      if (kf.has_private) {
        ck_assert(mpz_cmp(kf.priv.n, kf.pub.n) == 0);
        ck_assert_int_eq(kf.report.usable, 1);
      }
    } else {
      ck_assert_str_ne(kf.detail, "");
    }
    kl_rsa_keyfile_clear(&kf);
    free(buf);
    cases++;
  }
  vecfile_close(&vf);
  ck_assert_int_eq(cases, 15);
}
END_TEST

/* Writing a fixture's key in its own format reproduces OpenSSL's bytes. */
START_TEST(fixtures_rewrite_exactly)
{
  static const struct {
    const char *file;
    kl_key_format fmt;
    int as_pub;
  } cases[] = {
    {"testrsa.pem", KL_KEY_PKCS1_PRIV_PEM, 0},
    {"testrsa.der", KL_KEY_PKCS1_PRIV_DER, 0},
    {"unenc-rsa-pkcs8.pem", KL_KEY_PKCS8_PEM, 0}, /* after its explanatory text */
    {"unenc-rsa-pkcs8.der", KL_KEY_PKCS8_DER, 0},
    {"unenc-rsa-pkcs8.pub.pem", KL_KEY_SPKI_PEM, 1},
    {"unenc-rsa-pkcs8.pub.der", KL_KEY_SPKI_DER, 1},
    {"rsa_public_key.pem", KL_KEY_SPKI_PEM, 1},
    {"rsa_public_key.der", KL_KEY_SPKI_DER, 1},
    {"rsa.pub.pem", KL_KEY_PKCS1_PUB_PEM, 1},
    {"rsa.pub.der", KL_KEY_PKCS1_PUB_DER, 1},
  };
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 2);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t len;
    uint8_t *buf = read_fixture(cases[i].file, &len);
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    ck_assert_int_eq(kl_rsa_keyfile_read(&kf, buf, len, &rng), KL_OK);
    uint8_t out[KL_KEYFILE_MAX_BYTES];
    size_t out_len = sizeof out;
    kl_err err = cases[i].as_pub ? kl_rsa_pub_write(&kf.pub, cases[i].fmt, out, &out_len)
                                 : kl_rsa_priv_write(&kf.priv, cases[i].fmt, out, &out_len);
    ck_assert_int_eq(err, KL_OK);
    const uint8_t *expect = buf;
    size_t expect_len = len;
    if (kl_key_format_is_text(cases[i].fmt)) {
      const char *begin = strstr((const char *)buf, "-----BEGIN");
      ck_assert_ptr_nonnull(begin);
      expect = (const uint8_t *)begin;
      expect_len = len - (size_t)(expect - buf);
    }
    if (out_len != expect_len || memcmp(out, expect, out_len) != 0)
      ck_abort_msg("%s: our %s differs from the file (%zu vs %zu octets)", cases[i].file,
                   kl_key_format_name(cases[i].fmt), out_len, expect_len);
    kl_rsa_keyfile_clear(&kf);
    free(buf);
  }
}
END_TEST

START_TEST(spki_shortcuts)
{
  size_t der_len, pem_len;
  uint8_t *der = read_fixture("unenc-rsa-pkcs8.pub.der", &der_len);
  uint8_t *pem = read_fixture("unenc-rsa-pkcs8.pub.pem", &pem_len);
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  ck_assert_int_eq(kl_rsa_pub_from_spki_der(&pub, der, der_len), KL_OK);
  uint8_t out[1024];
  size_t out_len = sizeof out;
  ck_assert_int_eq(kl_rsa_pub_to_spki_der(&pub, out, &out_len), KL_OK);
  ck_assert_uint_eq(out_len, der_len);
  ck_assert_mem_eq(out, der, der_len);
  char text[1024];
  size_t text_len = sizeof text;
  ck_assert_int_eq(kl_rsa_pub_to_pem(&pub, text, &text_len), KL_OK);
  ck_assert_uint_eq(text_len, pem_len);
  ck_assert_uint_eq(strlen(text), pem_len);
  ck_assert_mem_eq(text, pem, pem_len);
  /* exact capacity without the NUL is too small, and says what it needs */
  text_len = pem_len;
  ck_assert_int_eq(kl_rsa_pub_to_pem(&pub, text, &text_len), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(text_len, pem_len + 1);
  /* the PKCS#8 private key is not an SPKI */
  size_t p8_len;
  uint8_t *p8 = read_fixture("unenc-rsa-pkcs8.der", &p8_len);
  ck_assert_int_eq(kl_rsa_pub_from_spki_der(&pub, p8, p8_len), KL_ERR_ENCODING);
  ck_assert_int_eq(kl_rsa_pub_from_spki_der(&pub, der, der_len - 1), KL_ERR_ENCODING);
  kl_rsa_pub_clear(&pub);
  free(p8);
  free(der);
  free(pem);
}
END_TEST

/* ---- round trips through every format ---- */

START_TEST(every_format_round_trip)
{
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 3);
  /* A fresh 2048-bit key from the RSA layer, and the 512-bit fixture. */
  ck_assert_int_eq(kl_rsa_keygen(&key, &rng, 2048, NULL, 0, NULL), KL_OK);
  kl_rsa_keyfile fix;
  load_testrsa(&fix);
  const kl_rsa_priv *keys[2] = {&key, &fix.priv};
  int cases = 0;
  for (int ki = 0; ki < 2; ki++) {
    kl_rsa_pub pub;
    kl_rsa_pub_init(&pub);
    kl_rsa_priv_to_pub(&pub, keys[ki]);
    for (int f = 1; f < KL_KEY_FORMAT_COUNT; f++) {
      kl_key_format fmt = (kl_key_format)f;
      for (int as_pub = 0; as_pub < 2; as_pub++) {
        int holds = kl_key_format_holds_private(fmt);
        size_t need = 0;
        kl_err err = as_pub ? kl_rsa_pub_write(&pub, fmt, NULL, &need)
                            : kl_rsa_priv_write(keys[ki], fmt, NULL, &need);
        if (as_pub && holds == 1) {
          ck_assert_int_eq(err, KL_ERR_ARG); /* no private format for a public key */
          continue;
        }
        ck_assert_int_eq(err, KL_ERR_BUF_TOO_SMALL);
        ck_assert_uint_gt(need, 0);
        ck_assert_uint_le(need, KL_KEYFILE_MAX_BYTES);
        uint8_t *out = malloc(need);
        size_t out_len = need - 1;
        err = as_pub ? kl_rsa_pub_write(&pub, fmt, out, &out_len)
                     : kl_rsa_priv_write(keys[ki], fmt, out, &out_len);
        ck_assert_int_eq(err, KL_ERR_BUF_TOO_SMALL);
        ck_assert_uint_eq(out_len, need);
        out_len = need;
        err = as_pub ? kl_rsa_pub_write(&pub, fmt, out, &out_len)
                     : kl_rsa_priv_write(keys[ki], fmt, out, &out_len);
        ck_assert_int_eq(err, KL_OK);
        ck_assert_uint_eq(out_len, need);
        if (kl_key_format_is_text(fmt))
          ck_assert_int_eq(out[out_len - 1], '\n');
        kl_rsa_keyfile kf;
        kl_rsa_keyfile_init(&kf);
        err = kl_rsa_keyfile_read(&kf, out, out_len, &rng);
        if (err != KL_OK)
          ck_abort_msg("%s: %s (%s)", kl_key_format_name(fmt), kl_err_name(err), kf.detail);
        ck_assert_int_eq(kf.format, fmt);
        int want_private = !as_pub && holds != 0;
        ck_assert_int_eq(kf.has_private, want_private);
        if (want_private)
          ck_assert(priv_equal(&kf.priv, keys[ki]));
        ck_assert(mpz_cmp(kf.pub.n, pub.n) == 0 && mpz_cmp(kf.pub.e, pub.e) == 0);
        kl_rsa_keyfile_clear(&kf);
        free(out);
        cases++;
      }
    }
    kl_rsa_pub_clear(&pub);
  }
  /* 10 formats as private + 6 as public (4 public-only + 2 .NET), per key */
  ck_assert_int_eq(cases, 2 * 16);
  kl_rsa_keyfile_clear(&fix);
  kl_rsa_priv_clear(&key);
}
END_TEST

/* ---- .NET forms ---- */

static char *b64_of(const mpz_t x, size_t width)
{
  uint8_t buf[1100];
  ck_assert_int_eq(kl_i2osp(buf, width, x), KL_OK);
  char *s = malloc(kl_base64_encoded_len(width) + 1);
  ck_assert_int_eq(kl_base64_encode(s, kl_base64_encoded_len(width) + 1, buf, width), KL_OK);
  return s;
}

static size_t octets(const mpz_t x)
{
  return (mpz_sizeinbase(x, 2) + 7) / 8;
}

START_TEST(dotnet_widths_and_unpadded_input)
{
  kl_rsa_keyfile fix;
  load_testrsa(&fix);
  const kl_rsa_priv *k = &fix.priv;
  size_t kk = octets(k->n);
  size_t half = (kk + 1) / 2;
  /* What we write: each value at the .NET width, built here independently
   * with kl_i2osp + base64 at that width. */
  char expect[4096];
  char *v[8] = {
    b64_of(k->n, kk),    b64_of(k->e, octets(k->e)), b64_of(k->p, half),    b64_of(k->q, half),
    b64_of(k->dP, half), b64_of(k->dQ, half),        b64_of(k->qInv, half), b64_of(k->d, kk)};
  snprintf(expect, sizeof expect,
           "<RSAKeyValue><Modulus>%s</Modulus><Exponent>%s</Exponent><P>%s</P><Q>%s</Q>"
           "<DP>%s</DP><DQ>%s</DQ><InverseQ>%s</InverseQ><D>%s</D></RSAKeyValue>\n",
           v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  uint8_t out[4096];
  size_t out_len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(k, KL_KEY_DOTNET_XML, out, &out_len), KL_OK);
  ck_assert_uint_eq(out_len, strlen(expect));
  ck_assert_mem_eq(out, expect, out_len);
  char json[4096];
  snprintf(json, sizeof json,
           "{\"Modulus\":\"%s\",\"Exponent\":\"%s\",\"P\":\"%s\",\"Q\":\"%s\",\"DP\":\"%s\","
           "\"DQ\":\"%s\",\"InverseQ\":\"%s\",\"D\":\"%s\"}\n",
           v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  out_len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(k, KL_KEY_DOTNET_JSON, out, &out_len), KL_OK);
  ck_assert_uint_eq(out_len, strlen(json));
  ck_assert_mem_eq(out, json, out_len);
  for (int i = 0; i < 8; i++)
    free(v[i]);

  /* Input with minimal widths, pretty-printed, another order, escaped '+'
   * and '/' (System.Text.Json writes \u002B), and null-free: same key. */
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  char *m[8] = {b64_of(k->n, octets(k->n)),       b64_of(k->e, octets(k->e)),
                b64_of(k->p, octets(k->p)),       b64_of(k->q, octets(k->q)),
                b64_of(k->dP, octets(k->dP)),     b64_of(k->dQ, octets(k->dQ)),
                b64_of(k->qInv, octets(k->qInv)), b64_of(k->d, octets(k->d) + 3)};
  char text[32768];
  snprintf(text, sizeof text,
           "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<RSAKeyValue>\r\n"
           "  <D>%s</D>\n  <Exponent> %s </Exponent>\n  <Modulus>%s</Modulus>\n"
           "  <P>%s</P><Q>%s</Q><DP>%s</DP><DQ>%s</DQ><InverseQ>%s</InverseQ>\n"
           "</RSAKeyValue>\n\n",
           m[7], m[1], m[0], m[2], m[3], m[4], m[5], m[6]);
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 4);
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, (uint8_t *)text, strlen(text), &rng), KL_OK);
  ck_assert_int_eq(kf.format, KL_KEY_DOTNET_XML);
  ck_assert(priv_equal(&kf.priv, k));
  /* JSON with escapes: replace every '+' by \u002B and every '/' by \/ */
  char esc[8][3000];
  for (int i = 0; i < 8; i++) {
    size_t o = 0;
    for (const char *s = m[i]; *s; s++) {
      if (*s == '+')
        o += (size_t)sprintf(esc[i] + o, "\\u002B");
      else if (*s == '/')
        o += (size_t)sprintf(esc[i] + o, "\\/");
      else
        esc[i][o++] = *s;
    }
    esc[i][o] = '\0';
  }
  snprintf(text, sizeof text,
           "{\n  \"InverseQ\": \"%s\",\n  \"D\": \"%s\", \"Modulus\" : \"%s\",\"Exponent\":\"%s\","
           "\"P\":\"%s\",\"Q\":\"%s\",\"DP\":\"%s\",\"DQ\":\"%s\"\n}\n",
           esc[6], esc[7], esc[0], esc[1], esc[2], esc[3], esc[4], esc[5]);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, (uint8_t *)text, strlen(text), &rng), KL_OK);
  ck_assert_int_eq(kf.format, KL_KEY_DOTNET_JSON);
  ck_assert(priv_equal(&kf.priv, k));
  /* A public key: Modulus and Exponent, private fields null (Newtonsoft). */
  snprintf(text, sizeof text,
           "{\"Modulus\":\"%s\",\"Exponent\":\"%s\",\"P\":null,\"Q\":null,\"DP\":null,"
           "\"DQ\":null,\"InverseQ\":null,\"D\":null}",
           m[0], m[1]);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, (uint8_t *)text, strlen(text), NULL), KL_OK);
  ck_assert_int_eq(kf.has_private, 0);
  ck_assert(mpz_cmp(kf.pub.n, k->n) == 0 && mpz_cmp(kf.pub.e, k->e) == 0);
  kl_rsa_keyfile_clear(&kf);
  for (int i = 0; i < 8; i++)
    free(m[i]);
  kl_rsa_pub_clear(&pub);
  kl_rsa_keyfile_clear(&fix);
}
END_TEST

START_TEST(dotnet_rejected)
{
  static const struct {
    const char *text;
    kl_err want;
  } bad[] = {
    {"<RSAKeyValue></RSAKeyValue>", KL_ERR_ENCODING}, /* no Modulus */
    {"<RSAKeyValue><Modulus>AQAB</Modulus></RSAKeyValue>", KL_ERR_ENCODING},
    {"<RSAKeyValue xmlns=\"x\"><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent>", KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>x",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQAB</Modulus><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent>"
     "</RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQAB</Exponent><Exponent>AQAB</Exponent></RSAKeyValue>",
     KL_ERR_ENCODING},
    /* Whitespace inside a value is dropped (as Convert.FromBase64String
     * does); a character outside the alphabet is not. */
    {"<RSAKeyValue><Modulus>AQ.AB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQ\r\nA</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQA</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>", KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus></Modulus><Exponent>AQAB</Exponent></RSAKeyValue>", KL_ERR_ENCODING},
    {"<RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent><P>AQAB</P></RSAKeyValue>",
     KL_ERR_ENCODING}, /* private fields incomplete */
    {"<RSAKeyValue><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent><Seed>AQAB</Seed>"
     "</RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<RSAKeyValue><!-- c --><Modulus>AQAB</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>",
     KL_ERR_ENCODING},
    {"<?xml version=\"1.0\"", KL_ERR_ENCODING},
    {"{}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\"}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\",}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\"", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\"}}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":3}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\",\"Modulus\":\"AQAB\"}", KL_ERR_ENCODING},
    {"{\"modulus\":\"AQAB\",\"Exponent\":\"AQAB\"}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQ\\nAB\",\"Exponent\":\"AQAB\"}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\\u0000\",\"Exponent\":\"AQAB\"}", KL_ERR_ENCODING},
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\",\"Extra\":{}}", KL_ERR_ENCODING},
    {"[\"AQAB\"]", KL_ERR_ENCODING},
    /* well formed, but n = 65537 with e = 65537: e >= n */
    {"{\"Modulus\":\"AQAB\",\"Exponent\":\"AQAB\"}", KL_ERR_KEY},
    /* n even */
    {"<RSAKeyValue><Modulus>AQAC</Modulus><Exponent>Aw==</Exponent></RSAKeyValue>", KL_ERR_KEY},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    size_t n = strlen(bad[i].text);
    char *exact = malloc(n + 1);
    memcpy(exact, bad[i].text, n);
    kl_err err = kl_rsa_keyfile_read(&kf, (uint8_t *)exact, n, NULL);
    if (err != bad[i].want || kf.detail[0] == '\0')
      ck_abort_msg("case %zu (%s): got %s (%s), want %s", i, bad[i].text, kl_err_name(err),
                   kf.detail, kl_err_name(bad[i].want));
    kl_rsa_keyfile_clear(&kf);
    free(exact);
  }
}
END_TEST

/* ---- bad ASN.1 input ---- */

static kl_err read_hex(const char *hex, char *detail, size_t cap)
{
  size_t len;
  uint8_t *der = th_hex(hex, &len);
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_err err = kl_rsa_keyfile_read(&kf, der, len, NULL);
  snprintf(detail, cap, "%s", kf.detail);
  kl_rsa_keyfile_clear(&kf);
  free(der);
  return err;
}

START_TEST(asn1_rejected)
{
  static const struct {
    const char *hex;
    kl_err want;
    const char *phrase;
  } cases[] = {
    /* RSAPublicKey { n = 0x8001 (negative as DER), e = 3 } */
    {"30070202800102010"
     "3",
     KL_ERR_ENCODING, "negative"},
    /* RSAPublicKey { n = 00 00 c5 (non-minimal), e = 3 } */
    {"3008020300 00c5020103", KL_ERR_ENCODING, "non-minimal"},
    /* n = 0xc5 = 197 (odd, toy), e = 3: accepted shape, valid public key */
    {"3007020200c5020103", KL_OK, ""},
    /* trailing octet after the SEQUENCE */
    {"3007020200c502010300", KL_ERR_ENCODING, "trailing"},
    /* an extra INTEGER inside RSAPublicKey: 3 integers = RSAPrivateKey shape */
    {"300a020200c5020103020101", KL_ERR_ENCODING, "RSAPrivateKey"},
    /* indefinite length */
    {"3080020200c50201030000", KL_ERR_ENCODING, "indefinite length"},
    /* SPKI whose BIT STRING holds SEQUENCE { RSAPublicKey }: nested deeper than needed */
    {"301d300d06092a864886f70d0101010500030c0030093007020200c5020103", KL_ERR_ENCODING,
     "unexpected tag"},
    /* SPKI with rsaEncryption parameters absent */
    {"3019300b06092a864886f70d010101030a003007020200c5020103", KL_ERR_ENCODING, "NULL"},
    /* SPKI with unused bits in the BIT STRING */
    {"301b300d06092a864886f70d0101010500030a013007020200c5020103", KL_ERR_ENCODING, "unused bits"},
    /* RSAPrivateKey version 1 (multi-prime) without otherPrimeInfos */
    {"301c020101020200c5020103020101020101020101020101020101020101", KL_ERR_ENCODING,
     "otherPrimeInfos"},
    /* RSAPrivateKey version 1 with six primes */
    {"304a020101020200c5020103020101020101020101020101020101020101302c3009020103020101020101300902010302010102010130090201030201010201013009020103020101020101",
     KL_ERR_UNSUPPORTED, "more than 5 primes"},
    /* a bare INTEGER */
    {"020103", KL_ERR_ENCODING, "not a key file"},
    /* binary garbage */
    {"deadbeef", KL_ERR_ENCODING, "not a key file"},
    {"", KL_ERR_ENCODING, "not a key file"},
    /* e = 1, even e, even n */
    {"3007020200c5020101", KL_ERR_KEY, "e must be odd"},
    {"3007020200c5020104", KL_ERR_KEY, "e must be odd"},
    {"3007020200c6020103", KL_ERR_KEY, "modulus n must be odd"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char hex[256];
    size_t o = 0;
    for (const char *s = cases[i].hex; *s; s++) {
      if (*s != ' ')
        hex[o++] = *s;
    }
    hex[o] = '\0';
    char detail[160];
    kl_err err;
    if (o == 0) {
      kl_rsa_keyfile kf;
      kl_rsa_keyfile_init(&kf);
      err = kl_rsa_keyfile_read(&kf, NULL, 0, NULL);
      snprintf(detail, sizeof detail, "%s", kf.detail);
      kl_rsa_keyfile_clear(&kf);
    } else {
      err = read_hex(hex, detail, sizeof detail);
    }
    if (err != cases[i].want || strstr(detail, cases[i].phrase) == NULL)
      ck_abort_msg("case %zu (%s): got %s (%s), want %s with '%s'", i, hex, kl_err_name(err),
                   detail, kl_err_name(cases[i].want), cases[i].phrase);
  }
}
END_TEST

/* Every truncation of a DER or PEM key fails cleanly (ASan checks reads). */
START_TEST(truncated_everywhere)
{
  static const char *files[] = {"testrsa.der", "unenc-rsa-pkcs8.der",
                                "rsa.pub.der", "unenc-rsa-pkcs8.pub.der",
                                "testrsa.pem", "rsa.pub.pem"};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 5);
  int cuts = 0;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    size_t len;
    uint8_t *buf = read_fixture(files[f], &len);
    int is_pem = buf[0] == '-';
    /* a PEM may lose its final newline and stay valid */
    size_t limit = is_pem ? len - 1 : len;
    for (size_t cut = 0; cut < limit; cut++) {
      uint8_t *copy = malloc(cut + 1);
      memcpy(copy, buf, cut);
      kl_rsa_keyfile kf;
      kl_rsa_keyfile_init(&kf);
      kl_err err = kl_rsa_keyfile_read(&kf, copy, cut, &rng);
      if (err != KL_ERR_ENCODING || kf.detail[0] == '\0')
        ck_abort_msg("%s cut at %zu: %s (%s)", files[f], cut, kl_err_name(err), kf.detail);
      kl_rsa_keyfile_clear(&kf);
      free(copy);
      cuts++;
    }
    /* overlong: one octet more is trailing data (DER) or data after END (PEM) */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, buf, len);
    longer[len] = 'x';
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    ck_assert_int_eq(kl_rsa_keyfile_read(&kf, longer, len + 1, &rng), KL_ERR_ENCODING);
    kl_rsa_keyfile_clear(&kf);
    free(longer);
    free(buf);
  }
  ck_assert_int_gt(cuts, 1000);
}
END_TEST

/* A key with one value changed is rejected, naming the failed check. */
START_TEST(inconsistent_keys)
{
  kl_rsa_keyfile fix;
  load_testrsa(&fix);
  static const struct {
    int field; /* 0 n, 1 d, 2 dP, 3 dQ, 4 qInv, 5 p, 6 e */
    const char *phrase;
  } cases[] = {
    {0, "n = p*q"},
    {1, "e*d = 1"},
    {2, "dP = d mod (p-1)"},
    {3, "dQ = d mod (q-1)"},
    {4, "q*qInv = 1 mod p"},
    {5, "p is prime"},
    {6, "e odd"}, /* e - 65536 = 1 */
  };
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 6);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    kl_rsa_priv k;
    kl_rsa_priv_init(&k);
    mpz_set(k.n, fix.priv.n);
    mpz_set(k.e, fix.priv.e);
    mpz_set(k.d, fix.priv.d);
    mpz_set(k.p, fix.priv.p);
    mpz_set(k.q, fix.priv.q);
    mpz_set(k.dP, fix.priv.dP);
    mpz_set(k.dQ, fix.priv.dQ);
    mpz_set(k.qInv, fix.priv.qInv);
    mpz_ptr target[] = {k.n, k.d, k.dP, k.dQ, k.qInv, k.p, k.e};
    mpz_sub_ui(target[cases[i].field], target[cases[i].field], cases[i].field == 6 ? 65536 : 2);
    uint8_t out[4096];
    size_t out_len = sizeof out;
    ck_assert_int_eq(kl_rsa_priv_write(&k, KL_KEY_PKCS1_PRIV_DER, out, &out_len), KL_OK);
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    /* Loading for use refuses it (naming a check; for a composite p that is
     * n = p*q here, since p - 2 no longer divides n) ... */
    ck_assert_int_eq(kl_rsa_keyfile_read(&kf, out, out_len, &rng), KL_ERR_KEY);
    /* ... and the audit names the check. */
    kl_err err = kl_rsa_keyfile_read_audit(&kf, out, out_len, &rng);
    if (err != KL_ERR_KEY || strstr(kf.detail, cases[i].phrase) == NULL)
      ck_abort_msg("case %zu: %s (%s), want KL_ERR_KEY naming '%s'", i, kl_err_name(err), kf.detail,
                   cases[i].phrase);
    /* the audit can still see the values and the report */
    ck_assert_int_eq(kf.has_private, 1);
    ck_assert_int_eq(kf.report.usable, 0);
    kl_rsa_keyfile_clear(&kf);
    kl_rsa_priv_clear(&k);
  }
  kl_rsa_keyfile_clear(&fix);
}
END_TEST

/* A composite "prime" with every other value consistent with it (n = p*q,
 * d, dP, dQ, qInv computed from p as if it were prime): no arithmetic check
 * sees it; loading for use catches it with the test private operation, the
 * audit with Miller-Rabin. */
START_TEST(composite_prime_caught_on_load)
{
  th_prng pr;
  kl_rng rng;
  th_prng_rng_init(&rng, &pr, 7);
  mpz_t p, p1, p2, q, e, g;
  mpz_inits(p, p1, p2, q, e, g, NULL);
  mpz_set_ui(e, 65537);
  kl_rsa_priv k;
  kl_rsa_priv_init(&k);
  for (unsigned tries = 0;; tries++) {
    ck_assert_uint_lt(tries, 100);
    uint8_t buf[64];
    ck_assert_int_eq(kl_rng_fill(&rng, buf, 32), KL_OK);
    buf[0] |= 0xc0;
    mpz_import(p1, 32, 1, 1, 0, 0, buf);
    mpz_nextprime(p1, p1);
    ck_assert_int_eq(kl_rng_fill(&rng, buf, 32), KL_OK);
    buf[0] |= 0xc0;
    mpz_import(p2, 32, 1, 1, 0, 0, buf);
    mpz_nextprime(p2, p2);
    ck_assert_int_eq(kl_rng_fill(&rng, buf, 64), KL_OK);
    buf[0] |= 0xc0;
    mpz_import(q, 64, 1, 1, 0, 0, buf);
    mpz_nextprime(q, q);
    mpz_mul(p, p1, p2); /* 512 bits, composite */
    if (kl_rsa_priv_from_pqe(&k, p, q, e, 0, NULL) == KL_OK)
      break;
  }
  uint8_t out[4096];
  size_t out_len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(&k, KL_KEY_PKCS1_PRIV_DER, out, &out_len), KL_OK);
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  ck_assert_int_eq(kl_rsa_keyfile_read(&kf, out, out_len, &rng), KL_ERR_KEY);
  ck_assert_msg(strstr(kf.detail, "test private operation") != NULL, "%s", kf.detail);
  ck_assert_int_eq(kf.report.status[KL_RSA_CHECK_N_PQ], KL_RSA_CHECK_PASS);
  ck_assert_int_eq(kf.report.status[KL_RSA_CHECK_P_PRIME], KL_RSA_CHECK_SKIPPED);
  ck_assert_int_eq(kf.report.test_op, KL_RSA_CHECK_FAIL);
  ck_assert_int_eq(kl_rsa_keyfile_read_audit(&kf, out, out_len, &rng), KL_ERR_KEY);
  ck_assert_ptr_nonnull(strstr(kf.detail, "p is prime"));
  kl_rsa_keyfile_clear(&kf);
  kl_rsa_priv_clear(&k);
  mpz_clears(p, p1, p2, q, e, g, NULL);
}
END_TEST

START_TEST(write_rejects)
{
  kl_rsa_keyfile fix;
  load_testrsa(&fix);
  uint8_t out[4096];
  size_t out_len = sizeof out;
  ck_assert_int_eq(kl_rsa_priv_write(&fix.priv, KL_KEY_FORMAT_UNKNOWN, out, &out_len), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_priv_write(&fix.priv, KL_KEY_FORMAT_COUNT, out, &out_len), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pub_write(&fix.pub, KL_KEY_PKCS8_PEM, out, &out_len), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pub_write(&fix.pub, KL_KEY_PKCS1_PRIV_DER, out, &out_len), KL_ERR_ARG);
  mpz_neg(fix.priv.d, fix.priv.d);
  ck_assert_int_eq(kl_rsa_priv_write(&fix.priv, KL_KEY_PKCS8_DER, out, &out_len), KL_ERR_ARG);
  /* too small a buffer leaves no partial private key behind */
  mpz_neg(fix.priv.d, fix.priv.d);
  memset(out, 0x55, sizeof out);
  out_len = 100;
  ck_assert_int_eq(kl_rsa_priv_write(&fix.priv, KL_KEY_PKCS1_PRIV_DER, out, &out_len),
                   KL_ERR_BUF_TOO_SMALL);
  for (size_t i = 0; i < 100; i++)
    ck_assert_int_eq(out[i], 0);
  ck_assert_str_eq(kl_key_format_name(KL_KEY_DOTNET_JSON), "dotnet-json");
  ck_assert_str_eq(kl_key_format_name((kl_key_format)99), "unknown");
  kl_rsa_keyfile_clear(&fix);
}
END_TEST

/* Seeded mutations of valid key files in every encoding: no crash, only
 * the documented errors, and what is accepted is a usable key. */
START_TEST(mutation_fuzz)
{
  kl_rsa_keyfile fix;
  load_testrsa(&fix);
  kl_key_format fmts[] = {KL_KEY_PKCS1_PRIV_DER, KL_KEY_PKCS8_PEM, KL_KEY_SPKI_DER,
                          KL_KEY_DOTNET_XML, KL_KEY_DOTNET_JSON};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 8);
  th_prng mut;
  th_prng_init(&mut, 9);
  unsigned accepted = 0;
  for (int iter = 0; iter < 3000; iter++) {
    kl_key_format fmt = fmts[iter % 5];
    uint8_t orig[4096];
    size_t len = sizeof orig;
    kl_err err = fmt == KL_KEY_SPKI_DER ? kl_rsa_pub_write(&fix.pub, fmt, orig, &len)
                                        : kl_rsa_priv_write(&fix.priv, fmt, orig, &len);
    ck_assert_int_eq(err, KL_OK);
    int edits = 1 + (int)th_prng_below(&mut, 3);
    for (int e = 0; e < edits && len > 0; e++) {
      size_t at = (size_t)th_prng_below(&mut, len);
      uint64_t kind = th_prng_below(&mut, 4);
      if (kind == 0)
        orig[at] ^= (uint8_t)(1u << th_prng_below(&mut, 8));
      else if (kind == 1)
        orig[at] = (uint8_t)th_prng_below(&mut, 256);
      else if (kind == 2)
        len = at; /* truncate */
      else if (len + 1 < sizeof orig) {
        memmove(orig + at + 1, orig + at, len - at);
        orig[at] = (uint8_t)th_prng_below(&mut, 256);
        len++;
      }
    }
    uint8_t *exact = malloc(len + 1);
    memcpy(exact, orig, len);
    kl_rsa_keyfile kf;
    kl_rsa_keyfile_init(&kf);
    err = kl_rsa_keyfile_read(&kf, exact, len, &rng);
    int allowed = err == KL_OK || err == KL_ERR_ENCODING || err == KL_ERR_KEY ||
                  err == KL_ERR_UNSUPPORTED || err == KL_ERR_KEY_LEN;
    if (!allowed)
      ck_abort_msg("iteration %d (%s): %s", iter, kl_key_format_name(fmt), kl_err_name(err));
    if (err == KL_OK) {
      accepted++;
      if (kf.has_private)
        ck_assert_int_eq(kf.report.usable, 1);
    } else {
      ck_assert_str_ne(kf.detail, "");
    }
    kl_rsa_keyfile_clear(&kf);
    free(exact);
  }
  ck_assert_uint_lt(accepted, 3000);
  kl_rsa_keyfile_clear(&fix);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("keyfile");
  TCase *tc = tcase_create("keyfile");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, fixtures_read);
  tcase_add_test(tc, fixtures_rewrite_exactly);
  tcase_add_test(tc, spki_shortcuts);
  tcase_add_test(tc, every_format_round_trip);
  tcase_add_test(tc, dotnet_widths_and_unpadded_input);
  tcase_add_test(tc, dotnet_rejected);
  tcase_add_test(tc, asn1_rejected);
  tcase_add_test(tc, truncated_everywhere);
  tcase_add_test(tc, inconsistent_keys);
  tcase_add_test(tc, composite_prime_caught_on_load);
  tcase_add_test(tc, write_rejects);
  tcase_add_test(tc, mutation_fuzz);
  suite_add_tcase(s, tc);
  return s;
}
