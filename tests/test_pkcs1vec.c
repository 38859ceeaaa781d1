/* test_pkcs1vec.c: every PKCS#1 padding vector file in vectors/pkcs1/,
 * through the same handler as `kexlab vectors` (src/testvec/vec_pkcs1.c), with
 * the exact number of cases passed and skipped asserted per file, so that a
 * parser that silently drops records fails here. Skips are hashes kexlab does
 * not have (SHA-224/384/512), counted apart and never as passes. */
#include <string.h>

#include "formats.h"
#include "test_util.h"
#include "vecfile.h"

typedef struct expected {
  const char *rel;
  unsigned long passed, skipped;
} expected;

static const expected files[] = {
  {"pkcs1/pkcs-1v2-1d2-vec/oaep-vect.txt", 60, 0},
  {"pkcs1/pkcs-1v2-1d2-vec/oaep-int.txt", 14, 0},
  {"pkcs1/pkcs-1v2-1d2-vec/pss-vect.txt", 60, 0},
  {"pkcs1/pkcs-1v2-1d2-vec/pss-int.txt", 10, 0},
  {"pkcs1/pkcs1v15sign-vectors.txt", 300, 0},
  {"pkcs1/pkcs1v15crypt-vectors.txt", 300, 0},
  {"pkcs1/implicit-rejection/implicit-rejection-rsa-2048-2.txt", 20, 0},
  {"pkcs1/oaep-custom/oaep-sha1-sha256.txt", 60, 0},
  {"pkcs1/oaep-custom/oaep-sha256-sha1.txt", 60, 0},
  {"pkcs1/oaep-custom/oaep-sha256-sha256.txt", 60, 0},
  {"pkcs1/oaep-label.txt", 0, 1},
  {"pkcs1/FIPS_186-2/SigGen15_186-2.rsp", 100, 150},
  {"pkcs1/FIPS_186-2/SigGen15_186-3.rsp", 100, 150},
  {"pkcs1/FIPS_186-2/SigGenPSS_186-2.rsp", 100, 150},
  {"pkcs1/FIPS_186-2/SigGenPSS_186-3.rsp", 100, 150},
  {"pkcs1/FIPS_186-2/SigGenPSS_186-2.txt", 100, 150},
  {"pkcs1/FIPS_186-2/SigVer15_186-3.rsp", 180, 270},
  {"pkcs1/FIPS_186-2/SigVerPSS_186-3.rsp", 180, 270},
};

START_TEST(vector_file)
{
  const expected *e = &files[_i];
  const char *path = th_vector_path(e->rel);
  const char *base = strrchr(e->rel, '/') + 1;
  vec_result r;
  vec_result_init(&r, path, stderr);
  ck_assert_int_eq(kl_init(), KL_OK);
  const vec_format *format = vec_format_find_in("pkcs1", path, base);
  ck_assert_msg(format != NULL, "%s not recognised", e->rel);
  format->run(path, base, &r);
  ck_assert_msg(r.file_error == 0, "%s could not be read", e->rel);
  ck_assert_msg(r.failed == 0, "%s: %lu failed", e->rel, r.failed);
  ck_assert_msg(r.passed == e->passed, "%s: %lu passed, expected %lu", e->rel, r.passed, e->passed);
  ck_assert_msg(r.skipped == e->skipped, "%s: %lu skipped, expected %lu", e->rel, r.skipped,
                e->skipped);
  for (int i = 0; i < VEC_MAX_SKIP_REASONS && r.skips[i].count; i++)
    ck_assert_msg(strstr(r.skips[i].reason, "not supported") != NULL, "%s: skip reason '%s'",
                  e->rel, r.skips[i].reason);
}
END_TEST

START_TEST(unrelated_name_not_claimed)
{
  vec_result r;
  ck_assert_ptr_null(
    vec_format_find_in("pkcs1", "/nonexistent/SHA1ShortMsg.rsp", "SHA1ShortMsg.rsp"));
  /* A name we claim but cannot open is a file error, not a pass. */
  vec_result_init(&r, "x", NULL);
  const vec_format *format = vec_format_find_in("pkcs1", "/nonexistent/oaep-vect.txt",
                                                "oaep-vect.txt");
  ck_assert_ptr_nonnull(format);
  format->run("/nonexistent/oaep-vect.txt", "oaep-vect.txt", &r);
  ck_assert_int_eq(r.file_error, 1);
  ck_assert_uint_eq(r.passed, 0);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("pkcs1vec");
  TCase *tc = tcase_create("files");
  tcase_set_timeout(tc, 300);
  tcase_add_loop_test(tc, vector_file, 0, (int)(sizeof files / sizeof files[0]));
  tcase_add_test(tc, unrelated_name_not_claimed);
  suite_add_tcase(s, tc);
  return s;
}
