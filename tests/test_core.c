/* test_core.c: the core layer: errors, hex and base64 (RFC 4648 §10 vectors
 * and our negative cases), constant-time helpers, wiping, trace emitters, the
 * GMP wiping allocator, and the OS and replay generators. */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "core/ct_internal.h"
#include "core/gmp_alloc_internal.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vecfile.h"

/* ---- errors ---- */

START_TEST(err_names_round_trip)
{
  for (int code = 0; code >= KL_ERR_CONFLICT; code--) {
    kl_err e = (kl_err)code;
    const char *name = kl_err_name(e);
    ck_assert_str_ne(name, "KL_ERR_UNKNOWN");
    ck_assert_str_ne(kl_strerror(e), "unknown error");
    kl_err back;
    ck_assert_int_eq(kl_err_from_name(name, &back), KL_OK);
    ck_assert_int_eq(back, e);
  }
  ck_assert_str_eq(kl_strerror((kl_err)-999), "unknown error");
  kl_err dummy;
  ck_assert_int_eq(kl_err_from_name("KL_NOPE", &dummy), KL_ERR_ARG);
}
END_TEST

/* ---- RFC 4648 §10 ---- */

START_TEST(rfc4648_vectors)
{
  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("rfc4648/rfc4648-s10.vec")), 0);
  int cases = 0;
  while (vecfile_next(&vf) == 1) {
    size_t in_len;
    uint8_t *in = th_hex(vecfile_get(&vf, "Input"), &in_len);
    const char *b64 = vecfile_get(&vf, "Base64");
    const char *b16 = vecfile_get(&vf, "Base16");
    char text[64];
    uint8_t back[64];
    size_t back_len = sizeof back;
    if (b64 != NULL) {
      ck_assert_int_eq(kl_base64_encode(text, sizeof text, in, in_len), KL_OK);
      ck_assert_str_eq(text, b64);
      ck_assert_uint_eq(kl_base64_encoded_len(in_len), strlen(b64));
      ck_assert_int_eq(kl_base64_decode(back, &back_len, b64, strlen(b64)), KL_OK);
    } else {
      ck_assert_ptr_nonnull(b16);
      ck_assert_int_eq(kl_hex_encode(text, sizeof text, in, in_len), KL_OK);
      ck_assert_int_eq(strcasecmp(text, b16), 0); /* we write lower case */
      ck_assert_int_eq(kl_hex_decode(back, &back_len, b16, strlen(b16)), KL_OK);
    }
    ck_assert_uint_eq(back_len, in_len);
    ck_assert(in_len == 0 || memcmp(back, in, in_len) == 0);
    free(in);
    cases++;
  }
  vecfile_close(&vf);
  ck_assert_int_eq(cases, 8); /* 7 base64 + 1 base16 in the RFC's list */
}
END_TEST

START_TEST(bad_encodings_rejected)
{
  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("local/encoding-bad.vec")), 0);
  int cases = 0;
  while (vecfile_next(&vf) == 1) {
    char text[64];
    snprintf(text, sizeof text, "%s", vecfile_get(&vf, "Text"));
    size_t n = strlen(text);
    if (vecfile_get(&vf, "Trailing") != NULL)
      text[n++] = '\n';
    uint8_t out[64];
    memset(out, 0xAA, sizeof out);
    size_t out_len = sizeof out;
    kl_err err = vecfile_header(&vf, "HEX") != NULL ? kl_hex_decode(out, &out_len, text, n)
                                                    : kl_base64_decode(out, &out_len, text, n);
    ck_assert_msg(err == KL_ERR_ENCODING, "line %u (%s): got %s", vf.rec_line,
                  vecfile_get(&vf, "Why"), kl_err_name(err));
    cases++;
  }
  vecfile_close(&vf);
  ck_assert_int_eq(cases, 14);
}
END_TEST

START_TEST(codec_buffer_limits)
{
  uint8_t in[5] = {1, 2, 3, 4, 5};
  char text[16];
  /* An output one byte short is refused, never overrun. */
  ck_assert_int_eq(kl_hex_encode(text, 10, in, 5), KL_ERR_BUF_TOO_SMALL);
  ck_assert_int_eq(kl_hex_encode(text, 11, in, 5), KL_OK);
  ck_assert_int_eq(kl_base64_encode(text, 8, in, 5), KL_ERR_BUF_TOO_SMALL);
  ck_assert_int_eq(kl_base64_encode(text, 9, in, 5), KL_OK);
  uint8_t out[4];
  size_t out_len = 4;
  ck_assert_int_eq(kl_base64_decode(out, &out_len, text, 8), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(out_len, 5); /* tells the size needed */
  out_len = 2;
  ck_assert_int_eq(kl_hex_decode(out, &out_len, "010203", 6), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(out_len, 3);
  ck_assert_int_eq(kl_hex_encode(NULL, 0, in, 5), KL_ERR_ARG);
  out_len = 4;
  ck_assert_int_eq(kl_hex_decode(out, &out_len, NULL, 2), KL_ERR_ARG);
}
END_TEST

START_TEST(codec_round_trip_random)
{
  th_prng p;
  th_prng_init(&p, 1);
  for (int i = 0; i < 500; i++) {
    uint8_t in[100], back[100];
    char text[300];
    size_t n = (size_t)th_prng_below(&p, sizeof in + 1);
    th_prng_bytes(&p, in, n);
    size_t back_len = sizeof back;
    ck_assert_int_eq(kl_base64_encode(text, sizeof text, in, n), KL_OK);
    ck_assert_int_eq(kl_base64_decode(back, &back_len, text, strlen(text)), KL_OK);
    ck_assert_uint_eq(back_len, n);
    ck_assert(n == 0 || memcmp(in, back, n) == 0);
    back_len = sizeof back;
    ck_assert_int_eq(kl_hex_encode(text, sizeof text, in, n), KL_OK);
    ck_assert_int_eq(kl_hex_decode(back, &back_len, text, strlen(text)), KL_OK);
    ck_assert_uint_eq(back_len, n);
    ck_assert(n == 0 || memcmp(in, back, n) == 0);
  }
}
END_TEST

/* ---- constant time ---- */

START_TEST(ct_helpers)
{
  uint8_t a[32], b[32];
  memset(a, 7, sizeof a);
  memcpy(b, a, sizeof b);
  ck_assert_int_eq(kl_ct_memeq(a, b, sizeof a), 1);
  ck_assert_int_eq(kl_ct_memeq(a, b, 0), 1);
  for (size_t i = 0; i < sizeof a; i++) {
    for (int bit = 0; bit < 8; bit++) {
      b[i] ^= (uint8_t)(1u << bit);
      ck_assert_int_eq(kl_ct_memeq(a, b, sizeof a), 0);
      b[i] ^= (uint8_t)(1u << bit);
    }
  }
  uint8_t x[4] = {1, 2, 3, 4}, y[4] = {9, 8, 7, 6}, d[4];
  kl_ct_select_bytes(d, 1, x, y, 4);
  ck_assert_mem_eq(d, x, 4);
  kl_ct_select_bytes(d, 0, x, y, 4);
  ck_assert_mem_eq(d, y, 4);
  /* The word helpers, on edge values (checked against plain C comparisons). */
  const uint32_t v[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0x80000001u, 0xfffffffeu, 0xffffffffu};
  for (size_t i = 0; i < 8; i++) {
    for (size_t j = 0; j < 8; j++) {
      ck_assert_uint_eq(kli_ct_lt(v[i], v[j]), v[i] < v[j]);
      ck_assert_uint_eq(kli_ct_ge(v[i], v[j]), v[i] >= v[j]);
      ck_assert_uint_eq(kli_ct_eq(v[i], v[j]), v[i] == v[j]);
      ck_assert_uint_eq(kli_ct_mux(1, v[i], v[j]), v[i]);
      ck_assert_uint_eq(kli_ct_mux(0, v[i], v[j]), v[j]);
    }
    ck_assert_uint_eq(kli_ct_nonzero(v[i]), v[i] != 0);
  }
}
END_TEST

START_TEST(wipe_zeroes)
{
  uint8_t buf[100];
  memset(buf, 0x5a, sizeof buf);
  kl_wipe(buf, sizeof buf);
  for (size_t i = 0; i < sizeof buf; i++)
    ck_assert_uint_eq(buf[i], 0);
  kl_wipe(NULL, 10); /* harmless */
}
END_TEST

/* ---- trace ---- */

START_TEST(trace_emitters)
{
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  const kl_trace_value *last;
  kl_trace_i64(&tr, "t", 3, -2753);
  ck_assert_uint_eq(rec.n, 1);
  last = &rec.at[0].v;
  ck_assert_int_eq(last->kind, KL_TRACE_INT);
  ck_assert_int_eq(last->negative, 1);
  ck_assert_uint_eq(last->len, 2);
  ck_assert_uint_eq(last->bytes[0], 0x0a); /* 2753 = 0x0ac1 */
  ck_assert_uint_eq(last->bytes[1], 0xc1);
  kl_trace_u64(&tr, "zero", -1, 0);
  last = &rec.at[rec.n - 1].v;
  ck_assert_uint_eq(last->len, 0);
  ck_assert_int_eq(last->negative, 0);
  kl_trace_i64(&tr, "min", -1, INT64_MIN);
  last = &rec.at[rec.n - 1].v;
  ck_assert_uint_eq(last->len, 8);
  ck_assert_uint_eq(last->bytes[0], 0x80);
  uint8_t m[16] = {0};
  kl_trace_matrix(&tr, "round[ 1].start", 1, m, 4, 4);
  last = &rec.at[rec.n - 1].v;
  ck_assert_uint_eq(last->rows, 4);
  ck_assert_uint_eq(last->len, 16);
  kl_trace_text(&tr, "note", -1, "hi");
  last = &rec.at[rec.n - 1].v;
  ck_assert_int_eq(last->kind, KL_TRACE_TEXT);
  /* Off: NULL tracer, or tracer without fn. */
  kl_tracer off = {NULL, &rec};
  kl_trace_bytes(&off, "x", 0, m, 1);
  kl_trace_bytes(NULL, "x", 0, m, 1);
  ck_assert_uint_eq(rec.n, 5);
  th_trace_rec_free(&rec);
}
END_TEST

/* ---- the GMP wiping allocator ---- */

static size_t hook_blocks, hook_nonzero;

static void check_freed_block(const void *block, size_t size)
{
  const uint8_t *p = block;
  hook_blocks++;
  for (size_t i = 0; i < size; i++)
    hook_nonzero += p[i] != 0;
}

START_TEST(gmp_limbs_wiped_on_free_and_realloc)
{
  ck_assert_int_eq(kl_init(), KL_OK);
  ck_assert_int_eq(kl_init(), KL_OK); /* idempotent */
  hook_blocks = hook_nonzero = 0;
  kli_test_set_free_hook(check_freed_block);
  mpz_t x;
  mpz_init_set_str(x, "123456789abcdef123456789abcdef123456789abcdef", 16);
  mpz_mul_2exp(x, x, 100000); /* forces a realloc of the limbs */
  mpz_clear(x);
  kli_test_set_free_hook(NULL);
  ck_assert_uint_ge(hook_blocks, 2); /* the realloc'd old block and the final one */
  ck_assert_uint_eq(hook_nonzero, 0);
}
END_TEST

/* ---- generators ---- */

START_TEST(rng_os_and_replay)
{
  kl_rng os;
  kl_rng_os(&os);
  uint8_t a[64] = {0}, b[64] = {0}, zero[64] = {0};
  ck_assert_int_eq(kl_rng_fill(&os, a, sizeof a), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&os, b, sizeof b), KL_OK);
  ck_assert(memcmp(a, b, sizeof a) != 0); /* 2^-512 chance of a false alarm */
  ck_assert(memcmp(a, zero, sizeof a) != 0);
  uint8_t big[4096]; /* > 256 bytes: short reads are retried */
  ck_assert_int_eq(kl_rng_fill(&os, big, sizeof big), KL_OK);

  const uint8_t data[5] = {1, 2, 3, 4, 5};
  kl_rng_replay_state st;
  kl_rng rp;
  kl_rng_replay(&rp, &st, data, sizeof data);
  uint8_t out[4];
  ck_assert_int_eq(kl_rng_fill(&rp, out, 3), KL_OK);
  ck_assert_mem_eq(out, data, 3);
  memset(out, 0x77, sizeof out);
  ck_assert_int_eq(kl_rng_fill(&rp, out, 3), KL_ERR_RNG); /* only 2 bytes left */
  ck_assert_uint_eq(out[0] | out[1] | out[2], 0);         /* zeroed on failure */
  ck_assert_int_eq(kl_rng_fill(&rp, out, 2), KL_OK);
  ck_assert_mem_eq(out, data + 3, 2);
  ck_assert_int_eq(kl_rng_fill(NULL, out, 2), KL_ERR_ARG);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("core");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, err_names_round_trip);
  tcase_add_test(tc, rfc4648_vectors);
  tcase_add_test(tc, bad_encodings_rejected);
  tcase_add_test(tc, codec_buffer_limits);
  tcase_add_test(tc, codec_round_trip_random);
  tcase_add_test(tc, ct_helpers);
  tcase_add_test(tc, wipe_zeroes);
  tcase_add_test(tc, trace_emitters);
  tcase_add_test(tc, gmp_limbs_wiped_on_free_and_realloc);
  tcase_add_test(tc, rng_os_and_replay);
  suite_add_tcase(s, tc);
  return s;
}
