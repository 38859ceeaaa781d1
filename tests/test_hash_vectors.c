/* test_hash_vectors.c: every hash-layer vector file through the same table of
 * formats `kexlab vectors` uses (src/testvec/formats.c, vec_hash.c), with the
 * exact number of cases each file holds, so a parser that silently drops
 * records fails here.
 * Counts: SHAVS ShortMsg 65 and LongMsg 64 records for SHA-1, SHA-224 and
 * SHA-256, 129 and 128 for the SHA-512 family (1024-bit blocks), Monte 100
 * checkpoints; RFC 2202 7 HMAC-SHA1 cases, RFC 4231 6 cases for each of
 * HMAC-SHA-224/256/384/512 (its truncation case 5 is not in the package's files); RFC 5869 3 + 4 HKDF cases;
 * CAVP HMAC_DRBG 60 records (4 groups of 15) in each of the no-reseed and
 * reseed files. Plus kexlab's malformed files,
 * which must fail, not pass or skip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats.h"
#include "test_util.h"
#include "vecfile.h"

static void run_file(const char *rel, const char *format, unsigned long passed,
                     unsigned long failed)
{
  const char *path = th_vector_path(rel);
  const char *base = strrchr(path, '/') + 1;
  vec_result r;
  vec_result_init(&r, path, failed ? NULL : stderr);
  const vec_format *f = vec_format_find_in("hash", path, base);
  ck_assert_msg(f != NULL, "%s not recognised", rel);
  f->run(path, base, &r);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_str_eq(r.format, format);
  ck_assert_msg(r.passed == passed && r.failed == failed && r.skipped == 0,
                "%s: %lu passed, %lu failed, %lu skipped; expected %lu passed, %lu failed", rel,
                r.passed, r.failed, r.skipped, passed, failed);
}

START_TEST(shavs_sha1)
{
  run_file("nist/sha/SHA1ShortMsg.rsp", "SHAVS ShortMsg (SHA-1)", 65, 0);
  run_file("nist/sha/SHA1LongMsg.rsp", "SHAVS LongMsg (SHA-1)", 64, 0);
  run_file("nist/sha/SHA1Monte.rsp", "SHAVS Monte (SHA-1)", 100, 0);
}
END_TEST

START_TEST(shavs_sha256)
{
  run_file("nist/sha/SHA256ShortMsg.rsp", "SHAVS ShortMsg (SHA-256)", 65, 0);
  run_file("nist/sha/SHA256LongMsg.rsp", "SHAVS LongMsg (SHA-256)", 64, 0);
  run_file("nist/sha/SHA256Monte.rsp", "SHAVS Monte (SHA-256)", 100, 0);
}
END_TEST

START_TEST(shavs_sha224)
{
  run_file("nist/sha/SHA224ShortMsg.rsp", "SHAVS ShortMsg (SHA-224)", 65, 0);
  run_file("nist/sha/SHA224LongMsg.rsp", "SHAVS LongMsg (SHA-224)", 64, 0);
  run_file("nist/sha/SHA224Monte.rsp", "SHAVS Monte (SHA-224)", 100, 0);
}
END_TEST

/* The SHA-512 family: the same three files per hash, 1024-bit blocks. */
START_TEST(shavs_sha512_family)
{
  static const char *const h[4][2] = {
    {"SHA384", "SHA-384"},
    {"SHA512", "SHA-512"},
    {"SHA512_224", "SHA-512/224"},
    {"SHA512_256", "SHA-512/256"},
  };
  for (int i = 0; i < 4; i++) {
    char rel[64], fmt[64];
    snprintf(rel, sizeof rel, "nist/sha/%sShortMsg.rsp", h[i][0]);
    snprintf(fmt, sizeof fmt, "SHAVS ShortMsg (%s)", h[i][1]);
    run_file(rel, fmt, 129, 0);
    snprintf(rel, sizeof rel, "nist/sha/%sLongMsg.rsp", h[i][0]);
    snprintf(fmt, sizeof fmt, "SHAVS LongMsg (%s)", h[i][1]);
    run_file(rel, fmt, 128, 0);
    snprintf(rel, sizeof rel, "nist/sha/%sMonte.rsp", h[i][0]);
    snprintf(fmt, sizeof fmt, "SHAVS Monte (%s)", h[i][1]);
    run_file(rel, fmt, 100, 0);
  }
}
END_TEST

START_TEST(rfc_hmac)
{
  run_file("rfc/rfc-2202-sha1.txt", "RFC 2202 HMAC (SHA-1)", 7, 0);
  run_file("rfc/rfc-4231-sha224.txt", "RFC 4231 HMAC (SHA-224)", 6, 0);
  run_file("rfc/rfc-4231-sha256.txt", "RFC 4231 HMAC (SHA-256)", 6, 0);
  run_file("rfc/rfc-4231-sha384.txt", "RFC 4231 HMAC (SHA-384)", 6, 0);
  run_file("rfc/rfc-4231-sha512.txt", "RFC 4231 HMAC (SHA-512)", 6, 0);
}
END_TEST

START_TEST(rfc_hkdf)
{
  run_file("rfc/rfc-5869-HKDF-SHA256.txt", "RFC 5869 HKDF", 3, 0);
  run_file("rfc/rfc-5869-HKDF-SHA1.txt", "RFC 5869 HKDF", 4, 0);
}
END_TEST

START_TEST(cavp_hmac_drbg)
{
  run_file("nist/drbg/HMAC_DRBG_SHA256_no_reseed.rsp", "CAVP HMAC_DRBG", 60, 0);
  /* The pr_false set: each record reseeds (EntropyInputReseed,
   * AdditionalInputReseed) between instantiation and the generate calls. */
  run_file("nist/drbg/HMAC_DRBG_SHA256_reseed.rsp", "CAVP HMAC_DRBG", 60, 0);
}
END_TEST

START_TEST(malformed_files_fail)
{
  run_file("local/hash-bad/SHA256ShortMsg.rsp", "SHAVS ShortMsg (SHA-256)", 1, 4);
  run_file("local/hash-bad/rfc-5869-HKDF-SHA256.txt", "RFC 5869 HKDF", 1, 3);
  /* A missing file of a known name: recognised, and flagged unreadable. */
  vec_result r;
  vec_result_init(&r, "/nonexistent/SHA1Monte.rsp", NULL);
  const vec_format *format = vec_format_find_in("hash", "/nonexistent/SHA1Monte.rsp",
                                                "SHA1Monte.rsp");
  ck_assert_ptr_nonnull(format);
  format->run("/nonexistent/SHA1Monte.rsp", "SHA1Monte.rsp", &r);
  ck_assert_int_eq(r.file_error, 1);
  ck_assert_uint_eq(r.passed, 0);
  /* An HMAC_DRBG record with ReturnedBitsLen = 0 and an empty ReturnedBits
   * compares nothing: a failure, not a pass. */
  char tmp[] = "/tmp/kl_drbg_XXXXXX";
  int fd = mkstemp(tmp);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "w");
  ck_assert_ptr_nonnull(f);
  fputs("[SHA-256]\n[PredictionResistance = False]\n[ReturnedBitsLen = 0]\n\n"
        "COUNT = 0\nEntropyInput = 00\nNonce = 00\nPersonalizationString = \n"
        "AdditionalInput = \nAdditionalInput = \nReturnedBits = \n",
        f);
  fclose(f);
  vec_result_init(&r, tmp, NULL);
  format = vec_format_find_in("hash", tmp, "HMAC_DRBG.rsp");
  ck_assert_ptr_nonnull(format);
  format->run(tmp, "HMAC_DRBG.rsp", &r);
  unlink(tmp);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_uint_eq(r.passed, 0);
  ck_assert_uint_eq(r.failed, 1);
  /* Names of other areas are not ours. */
  ck_assert_ptr_null(vec_format_find_in("hash", "CBCMMT128.rsp", "CBCMMT128.rsp"));
  ck_assert_ptr_null(vec_format_find_in("hash", "SHA256Foo.rsp", "SHA256Foo.rsp"));
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("hash_vectors");
  TCase *tc = tcase_create("hash_vectors");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, shavs_sha1);
  tcase_add_test(tc, shavs_sha256);
  tcase_add_test(tc, shavs_sha224);
  tcase_add_test(tc, shavs_sha512_family);
  tcase_add_test(tc, rfc_hmac);
  tcase_add_test(tc, rfc_hkdf);
  tcase_add_test(tc, cavp_hmac_drbg);
  tcase_add_test(tc, malformed_files_fail);
  suite_add_tcase(s, tc);
  return s;
}
