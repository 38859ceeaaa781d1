/* test_der.c: the strict DER reader/writer (X.690 §8, §10) and PEM armor
 * (RFC 7468). Known encodings from X.690 §8.3 / §8.1.3 (lengths, integers),
 * every rejection listed in der.h and pem.h, truncation at every position,
 * and a seeded mutation loop (no crash; every accepted input re-encodes). */
#include <stdlib.h>
#include <string.h>

#include "kexlab/der.h"
#include "kexlab/pem.h"
#include "test_util.h"

/* ---- DER: integers and lengths ---- */

/* Read hex as a single non-negative INTEGER: returns the error and the magnitude. */
static kl_err read_one_uint(const char *hex, char **mag_hex)
{
  size_t len;
  uint8_t *der = th_hex(hex, &len);
  if (strlen(hex) == 0)
    len = 0;
  kl_der_reader r;
  kl_der_reader_init(&r, der, len);
  const uint8_t *mag = NULL;
  size_t mag_len = 0;
  kl_err err = kl_der_read_uint(&r, &mag, &mag_len);
  if (err == KL_OK)
    err = kl_der_read_end(&r);
  if (err == KL_OK) {
    ck_assert_ptr_null(r.why);
    if (mag_hex != NULL)
      *mag_hex = th_tohex(mag, mag_len);
  } else {
    ck_assert_ptr_nonnull(r.why); /* every failure names itself */
  }
  free(der);
  return err;
}

START_TEST(der_uint_accepts)
{
  /* X.690 §8.3: two's complement, minimal; 0x00 in front of a set top bit. */
  static const struct {
    const char *der, *mag;
  } ok[] = {
    {"020100", ""},           /* zero */
    {"020101", "01"},         /* one */
    {"02017f", "7f"},         /* 127 */
    {"02020080", "80"},       /* 128 needs the sign octet */
    {"02020100", "0100"},     /* 256 */
    {"0203010001", "010001"}, /* 65537 */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    char *mag = NULL;
    ck_assert_int_eq(read_one_uint(ok[i].der, &mag), KL_OK);
    ck_assert_str_eq(mag, ok[i].mag);
    free(mag);
    /* and the writer produces exactly that encoding */
    size_t mlen;
    uint8_t *m = th_hex(strlen(ok[i].mag) ? ok[i].mag : "00", &mlen);
    uint8_t buf[16];
    kl_der_writer w;
    kl_der_writer_init(&w, buf, sizeof buf);
    kl_der_put_uint(&w, m, mlen);
    size_t n;
    ck_assert_int_eq(kl_der_writer_finish(&w, &n), KL_OK);
    ck_assert_uint_eq(n, kl_der_uint_len(m, mlen));
    th_assert_hex(buf, n, ok[i].der);
    free(m);
  }
}
END_TEST

START_TEST(der_uint_rejects)
{
  static const char *bad[] = {
    "0200",             /* empty INTEGER (§8.3.1) */
    "020180",           /* -128: negative */
    "0202ff7f",         /* negative */
    "02020001",         /* non-minimal: 00 before a clear top bit (§8.3.2) */
    "0203000080",       /* non-minimal */
    "020201",           /* length past the buffer */
    "0281017f",         /* long form for a length below 128 (§10.1) */
    "028200017f",       /* long form with a leading zero octet */
    "02807f0000",       /* indefinite length */
    "02ff",             /* reserved length octet */
    "0285010000000001", /* more than 4 length octets */
    "0301007f",         /* wrong tag: BIT STRING */
    "22017f",           /* constructed form of INTEGER */
    "1f0201",           /* high-tag-number form */
    "02017f00",         /* trailing data */
    "02",               /* no length */
    "",                 /* nothing */
    "3003020101",       /* a SEQUENCE where an INTEGER is needed: nesting */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    kl_err err = read_one_uint(bad[i], NULL);
    if (err != KL_ERR_ENCODING)
      ck_abort_msg("DER %s: got %s, want KL_ERR_ENCODING", bad[i], kl_err_name(err));
  }
}
END_TEST

START_TEST(der_lengths)
{
  /* X.690 §8.1.3.5 long form: 0x81 for 128..255, 0x82 for 256..65535, ... */
  static const struct {
    size_t len;
    const char *hdr;
  } cases[] = {
    {0, "0400"},       {127, "047f"},       {128, "048180"},       {255, "0481ff"},
    {256, "04820100"}, {65535, "0482ffff"}, {65536, "0483010000"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t buf[8];
    kl_der_writer w;
    kl_der_writer_init(&w, buf, sizeof buf);
    kl_der_put_header(&w, KL_DER_OCTET_STRING, cases[i].len);
    size_t n;
    ck_assert_int_eq(kl_der_writer_finish(&w, &n), KL_OK);
    ck_assert_uint_eq(n, kl_der_header_len(cases[i].len));
    th_assert_hex(buf, n, cases[i].hdr);
  }
  /* Round trip a 300-octet OCTET STRING through the reader. */
  uint8_t content[300];
  for (size_t i = 0; i < sizeof content; i++)
    content[i] = (uint8_t)i;
  uint8_t buf[310];
  kl_der_writer w;
  kl_der_writer_init(&w, buf, sizeof buf);
  kl_der_put_tlv(&w, KL_DER_OCTET_STRING, content, sizeof content);
  size_t n;
  ck_assert_int_eq(kl_der_writer_finish(&w, &n), KL_OK);
  ck_assert_uint_eq(n, 304);
  kl_der_reader r;
  kl_der_reader_init(&r, buf, n);
  const uint8_t *p;
  size_t plen;
  ck_assert_int_eq(kl_der_read_octet_string(&r, &p, &plen), KL_OK);
  ck_assert_uint_eq(plen, sizeof content);
  ck_assert_mem_eq(p, content, plen);
  ck_assert_int_eq(kl_der_read_end(&r), KL_OK);
  /* The counting writer (NULL buffer) and a short buffer both report the size. */
  kl_der_writer_init(&w, NULL, 0);
  kl_der_put_tlv(&w, KL_DER_OCTET_STRING, content, sizeof content);
  ck_assert_int_eq(kl_der_writer_finish(&w, &n), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(n, 304);
  kl_der_writer_init(&w, buf, 100);
  kl_der_put_tlv(&w, KL_DER_OCTET_STRING, content, sizeof content);
  ck_assert_int_eq(kl_der_writer_finish(&w, &n), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(n, 304);
}
END_TEST

START_TEST(der_other_types)
{
  /* rsaEncryption AlgorithmIdentifier, RFC 8017 App. A.1: SEQUENCE { OID, NULL }. */
  size_t len;
  uint8_t *der = th_hex("300d06092a864886f70d0101010500", &len);
  kl_der_reader r, seq;
  kl_der_reader_init(&r, der, len);
  ck_assert_int_eq(kl_der_read_sequence(&r, &seq), KL_OK);
  const uint8_t *oid;
  size_t oid_len;
  ck_assert_int_eq(kl_der_read_oid(&seq, &oid, &oid_len), KL_OK);
  th_assert_hex(oid, oid_len, "2a864886f70d010101");
  ck_assert_int_eq(kl_der_read_null(&seq), KL_OK);
  ck_assert_int_eq(kl_der_read_end(&seq), KL_OK);
  ck_assert_int_eq(kl_der_read_end(&r), KL_OK);
  free(der);

  static const struct {
    const char *der;
    int type; /* 0 OID, 1 NULL, 2 BIT STRING, 3 small uint */
    kl_err want;
  } cases[] = {
    {"0603808101", 0, KL_ERR_ENCODING}, /* arc with leading 0x80 */
    {"06022a86", 0, KL_ERR_ENCODING},   /* ends inside an arc */
    {"0600", 0, KL_ERR_ENCODING},       /* empty OID */
    {"06032a8648", 0, KL_OK},
    {"050100", 1, KL_ERR_ENCODING}, /* NULL with contents */
    {"0500", 1, KL_OK},
    {"0300", 2, KL_ERR_ENCODING},     /* no unused-bits octet */
    {"030201ff", 2, KL_ERR_ENCODING}, /* unused bits */
    {"030200ff", 2, KL_OK},
    {"0301ff", 2, KL_ERR_ENCODING},
    {"020901ffffffffffffffff", 3, KL_ERR_ENCODING}, /* > unsigned long */
    {"020101", 3, KL_OK},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t *d = th_hex(cases[i].der, &len);
    kl_der_reader_init(&r, d, len);
    const uint8_t *p;
    size_t plen;
    unsigned long v;
    kl_err err = cases[i].type == 0   ? kl_der_read_oid(&r, &p, &plen)
                 : cases[i].type == 1 ? kl_der_read_null(&r)
                 : cases[i].type == 2 ? kl_der_read_bit_string(&r, &p, &plen)
                                      : kl_der_read_small_uint(&r, &v);
    if (err == KL_OK)
      err = kl_der_read_end(&r);
    if (err != cases[i].want)
      ck_abort_msg("case %zu (%s): got %s", i, cases[i].der, kl_err_name(err));
    free(d);
  }
}
END_TEST

/* A small structure like SPKI, read completely: used by the truncation test. */
static kl_err read_spki_shape(const uint8_t *der, size_t len)
{
  kl_der_reader r, outer, alg, key;
  kl_der_reader_init(&r, der, len);
  const uint8_t *p;
  size_t plen;
  kl_err err;
  if ((err = kl_der_read_sequence(&r, &outer)) != KL_OK)
    return err;
  if ((err = kl_der_read_sequence(&outer, &alg)) != KL_OK)
    return err;
  if ((err = kl_der_read_oid(&alg, &p, &plen)) != KL_OK)
    return err;
  if ((err = kl_der_read_null(&alg)) != KL_OK)
    return err;
  if ((err = kl_der_read_end(&alg)) != KL_OK)
    return err;
  if ((err = kl_der_read_bit_string(&outer, &p, &plen)) != KL_OK)
    return err;
  kl_der_reader_init(&key, p, plen);
  kl_der_reader inner;
  if ((err = kl_der_read_sequence(&key, &inner)) != KL_OK)
    return err;
  if ((err = kl_der_read_uint(&inner, &p, &plen)) != KL_OK)
    return err;
  if ((err = kl_der_read_uint(&inner, &p, &plen)) != KL_OK)
    return err;
  if ((err = kl_der_read_end(&inner)) != KL_OK)
    return err;
  if ((err = kl_der_read_end(&key)) != KL_OK)
    return err;
  if ((err = kl_der_read_end(&outer)) != KL_OK)
    return err;
  return kl_der_read_end(&r);
}

static const char spki_hex[] = "301c300d06092a864886f70d0101010500030b00300802030100010201"
                               "03";

START_TEST(der_truncated_everywhere)
{
  size_t len;
  uint8_t *der = th_hex(spki_hex, &len);
  /* Sanity: this toy SPKI is complete as written (the last INTEGER is 3). */
  ck_assert_uint_eq(len, 30);
  ck_assert_int_eq(read_spki_shape(der, len), KL_OK);
  for (size_t cut = 0; cut < len; cut++) {
    uint8_t *copy = malloc(cut + 1); /* exact size: ASan sees any over-read */
    memcpy(copy, der, cut);
    ck_assert_int_eq(read_spki_shape(copy, cut), KL_ERR_ENCODING);
    free(copy);
  }
  /* Overlong: one more octet anywhere at the end is trailing data. */
  uint8_t *longer = malloc(len + 1);
  memcpy(longer, der, len);
  longer[len] = 0;
  ck_assert_int_eq(read_spki_shape(longer, len + 1), KL_ERR_ENCODING);
  free(longer);
  free(der);
}
END_TEST

/* ---- PEM ---- */

static kl_err pem_read(const char *text, char *label_out, uint8_t *der, size_t *der_len,
                       const char **why)
{
  const char *label;
  size_t label_len;
  kl_err err = kl_pem_decode(der, der_len, &label, &label_len, text, strlen(text), why);
  if (err == KL_OK && label_out != NULL) {
    memcpy(label_out, label, label_len);
    label_out[label_len] = '\0';
  }
  return err;
}

START_TEST(pem_round_trip)
{
  /* Lengths around the 48-octet line boundary and the 3-octet base64 group. */
  static const size_t sizes[] = {0, 1, 2, 3, 47, 48, 49, 96, 97, 300};
  th_prng prng;
  th_prng_init(&prng, 1);
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    uint8_t data[300];
    th_prng_bytes(&prng, data, sizes[i]);
    char text[600];
    size_t tlen = sizeof text;
    ck_assert_int_eq(kl_pem_encode(text, &tlen, "TEST DATA", data, sizes[i]), KL_OK);
    ck_assert_uint_eq(tlen, strlen(text));
    ck_assert_uint_eq(tlen, kl_pem_encoded_len(9, sizes[i]));
    /* 64 columns at most, LF ends */
    for (char *line = text; *line != '\0';) {
      char *nl = strchr(line, '\n');
      ck_assert_ptr_nonnull(nl);
      ck_assert_uint_le((size_t)(nl - line), 64 + 21);
      line = nl + 1;
    }
    uint8_t back[300];
    size_t back_len = sizeof back;
    char label[32];
    ck_assert_int_eq(pem_read(text, label, back, &back_len, NULL), KL_OK);
    ck_assert_str_eq(label, "TEST DATA");
    ck_assert_uint_eq(back_len, sizes[i]);
    ck_assert(sizes[i] == 0 || memcmp(back, data, sizes[i]) == 0);
  }
  /* Size query */
  size_t need = 0;
  uint8_t one = 1;
  ck_assert_int_eq(kl_pem_encode(NULL, &need, "X", &one, 1), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(need, kl_pem_encoded_len(1, 1) + 1);
  ck_assert_int_eq(kl_pem_encode(NULL, &need, "bad--label", &one, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_pem_encode(NULL, &need, " lead", &one, 1), KL_ERR_ARG);
}
END_TEST

START_TEST(pem_failure_wipes_output)
{
  /* Six lines of "qqqq..." (0xaa octets): more than the decoder's 256-character
   * scratch, so part is decoded before the missing END line is noticed. On the
   * failure nothing of it may remain in der (it could be a private key). */
  char text[600] = "-----BEGIN X-----\n";
  for (int line = 0; line < 6; line++) {
    for (int i = 0; i < 64; i++)
      strcat(text, "q");
    strcat(text, "\n");
  }
  uint8_t der[400];
  memset(der, 0, sizeof der);
  size_t der_len = sizeof der;
  ck_assert_int_eq(pem_read(text, NULL, der, &der_len, NULL), KL_ERR_ENCODING);
  for (size_t i = 0; i < sizeof der; i++)
    ck_assert_msg(der[i] == 0, "der[%zu] = %02x left after a failure", i, der[i]);
}
END_TEST

START_TEST(pem_tolerated)
{
  /* 'hello world' = aGVsbG8gd29ybGQ= */
  static const char *ok[] = {
    "-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END X-----\n",
    "-----BEGIN X-----\r\naGVsbG8g\r\nd29ybGQ=\r\n-----END X-----\r\n",    /* CRLF */
    "-----BEGIN X-----  \naGVsbG8gd29ybGQ= \t\n-----END X-----\t\n\n  \n", /* trailing WSP */
    "Subject: explanatory text\n\n-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END X-----",
    "-----BEGIN X-----\naGVs\nbG8gd2\n9ybGQ=\n-----END X-----\n", /* odd line lengths */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    uint8_t der[32];
    size_t der_len = sizeof der;
    char label[8];
    const char *why = NULL;
    kl_err err = pem_read(ok[i], label, der, &der_len, &why);
    if (err != KL_OK)
      ck_abort_msg("case %zu: %s (%s)", i, kl_err_name(err), why ? why : "?");
    ck_assert_str_eq(label, "X");
    ck_assert_uint_eq(der_len, 11);
    ck_assert_mem_eq(der, "hello world", 11);
  }
}
END_TEST

START_TEST(pem_rejected)
{
  static const struct {
    const char *text;
    const char *why; /* a word the reason must contain */
  } bad[] = {
    {"", "BEGIN"},
    {"aGVsbG8gd29ybGQ=\n", "BEGIN"},
    {"-----BEGIN X----\naGVsbG8gd29ybGQ=\n-----END X-----\n", "BEGIN"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\n", "missing"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END Y-----\n", "match"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END X----\n", "END"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ\n-----END X-----\n", "multiple of 4"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGR=\n-----END X-----\n", "base64"}, /* pad bits */
    {"-----BEGIN X-----\naGVs bG8gd29ybGQ=\n-----END X-----\n", "alphabet"},
    {"-----BEGIN X-----\naGVsbG8g\n\nd29ybGQ=\n-----END X-----\n", "blank"},
    {"-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\naGVsbG8gd29ybGQ=\n-----END X-----\n", "headers"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END X-----\ntrailer\n", "after"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\n-----END X-----\n-----BEGIN X-----\n", "after"},
    {"-----BEGIN X-----\naGU=\nbG8gd29ybGQ=\n-----END X-----\n", "padding"},
    {"-----BEGIN X-----\naGVsbG8gd29ybGQ=\r\r\n-x---END X-----\n", "alphabet"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint8_t der[32];
    size_t der_len = sizeof der;
    const char *why = NULL;
    kl_err err = pem_read(bad[i].text, NULL, der, &der_len, &why);
    if (err != KL_ERR_ENCODING || why == NULL || strstr(why, bad[i].why) == NULL)
      ck_abort_msg("case %zu: got %s (%s), want KL_ERR_ENCODING mentioning '%s'", i,
                   kl_err_name(err), why ? why : "no reason", bad[i].why);
  }
}
END_TEST

START_TEST(pem_truncated_everywhere)
{
  size_t len;
  uint8_t *der = th_hex(spki_hex, &len);
  char text[256];
  size_t tlen = sizeof text;
  ck_assert_int_eq(kl_pem_encode(text, &tlen, "PUBLIC KEY", der, len), KL_OK);
  /* Every cut before the END line's final dash fails; only trailing
   * whitespace (the final '\n') may be cut. */
  for (size_t cut = 0; cut + 1 < tlen; cut++) {
    char *copy = malloc(cut + 1);
    memcpy(copy, text, cut);
    uint8_t out[64];
    size_t out_len = sizeof out;
    const char *label;
    size_t label_len;
    kl_err err = kl_pem_decode(out, &out_len, &label, &label_len, copy, cut, NULL);
    if (err != KL_ERR_ENCODING)
      ck_abort_msg("cut at %zu of %zu: got %s", cut, tlen, kl_err_name(err));
    free(copy);
  }
  free(der);
}
END_TEST

/* Seeded mutations of a valid PEM and its DER: nothing crashes (ASan/UBSan
 * watch), errors are KL_ERR_ENCODING, and anything accepted re-encodes to
 * a document the reader accepts again with the same octets. */
START_TEST(mutation_fuzz)
{
  size_t len;
  uint8_t *der = th_hex(spki_hex, &len);
  char pem[256];
  size_t pem_len = sizeof pem;
  ck_assert_int_eq(kl_pem_encode(pem, &pem_len, "PUBLIC KEY", der, len), KL_OK);
  th_prng prng;
  th_prng_init(&prng, 2);
  unsigned accepted = 0, rejected = 0;
  for (int iter = 0; iter < 4000; iter++) {
    /* DER: flip, insert or delete a few octets */
    uint8_t m[64];
    size_t mlen = len;
    memcpy(m, der, len);
    int edits = 1 + (int)th_prng_below(&prng, 3);
    for (int e = 0; e < edits; e++) {
      uint64_t kind = th_prng_below(&prng, 3);
      size_t at = (size_t)th_prng_below(&prng, mlen + 1);
      if (kind == 0 && at < mlen)
        m[at] ^= (uint8_t)(1 + th_prng_below(&prng, 255));
      else if (kind == 1 && mlen < sizeof m) {
        memmove(m + at + 1, m + at, mlen - at);
        m[at] = (uint8_t)th_prng_below(&prng, 256);
        mlen++;
      } else if (kind == 2 && at < mlen) {
        memmove(m + at, m + at + 1, mlen - at - 1);
        mlen--;
      }
    }
    uint8_t *exact = malloc(mlen + 1);
    memcpy(exact, m, mlen);
    kl_err err = read_spki_shape(exact, mlen);
    ck_assert(err == KL_OK || err == KL_ERR_ENCODING);
    free(exact);

    /* PEM: change one character or cut */
    char t[256];
    memcpy(t, pem, pem_len);
    size_t tl = pem_len;
    size_t at = (size_t)th_prng_below(&prng, tl);
    if (th_prng_below(&prng, 4) == 0)
      tl = at;
    else
      t[at] = (char)(1 + th_prng_below(&prng, 127));
    char *exact_t = malloc(tl + 1);
    memcpy(exact_t, t, tl);
    uint8_t out[64];
    size_t out_len = sizeof out;
    const char *label;
    size_t label_len;
    err = kl_pem_decode(out, &out_len, &label, &label_len, exact_t, tl, NULL);
    ck_assert(err == KL_OK || err == KL_ERR_ENCODING);
    if (err == KL_OK)
      accepted++;
    else
      rejected++;
    free(exact_t);
  }
  /* Both outcomes occur (a whitespace change after END is fine, most are not). */
  ck_assert_uint_gt(rejected, 1000);
  free(der);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("der");
  TCase *tc = tcase_create("der");
  tcase_add_test(tc, der_uint_accepts);
  tcase_add_test(tc, der_uint_rejects);
  tcase_add_test(tc, der_lengths);
  tcase_add_test(tc, der_other_types);
  tcase_add_test(tc, der_truncated_everywhere);
  suite_add_tcase(s, tc);
  TCase *tp = tcase_create("pem");
  tcase_add_test(tp, pem_round_trip);
  tcase_add_test(tp, pem_failure_wipes_output);
  tcase_add_test(tp, pem_tolerated);
  tcase_add_test(tp, pem_rejected);
  tcase_add_test(tp, pem_truncated_everywhere);
  tcase_add_test(tp, mutation_fuzz);
  suite_add_tcase(s, tp);
  return s;
}
