/* test_drbg.c: HMAC_DRBG (SP 800-90A Rev. 1 §10.1.2) beyond the CAVP files
 * (those run in test_hash_vectors.c): request and reseed limits, the kl_rng
 * adapter (large draws split into requests), kl_rng_seeded, wiping, errors,
 * and the trace (the CAVP records again, through the traced path). */
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vecfile.h"

static const uint8_t entropy[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};

START_TEST(limits)
{
  kl_hmac_drbg d;
  uint8_t *buf = malloc(KL_HMAC_DRBG_MAX_REQUEST_BYTES + 1);
  ck_assert_ptr_nonnull(buf);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_uint_eq(d.reseed_counter, 1);
  /* §10.1 Table 2: at most 2^19 bits per request. */
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, KL_HMAC_DRBG_MAX_REQUEST_BYTES, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, KL_HMAC_DRBG_MAX_REQUEST_BYTES + 1, NULL, 0),
                   KL_ERR_LEN);
  ck_assert_uint_eq(d.reseed_counter, 2);
  /* §10.1.2.5 step 1: past the reseed interval, generate refuses... */
  d.reseed_counter = KL_HMAC_DRBG_RESEED_INTERVAL + 1;
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, 16, NULL, 0), KL_ERR_RNG);
  /* ...until a reseed (§10.1.2.4 step 3: counter back to 1). */
  ck_assert_int_eq(kl_hmac_drbg_reseed(&d, entropy, 32, NULL, 0), KL_OK);
  ck_assert_uint_eq(d.reseed_counter, 1);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, buf, 16, NULL, 0), KL_OK);
  kl_hmac_drbg_clear(&d);
  free(buf);
}
END_TEST

START_TEST(rng_adapter_splits_requests)
{
  /* A 70000-byte draw through kl_rng equals a 65536-byte request followed by
   * a 4464-byte request on a generator in the same state. */
  kl_hmac_drbg d1, d2;
  kl_rng rng;
  size_t n = 70000;
  uint8_t *a = malloc(n), *b = malloc(n);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d1, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d2, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  kl_hmac_drbg_rng(&rng, &d1);
  ck_assert_int_eq(kl_rng_fill(&rng, a, n), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d2, b, 65536, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d2, b + 65536, n - 65536, NULL, 0), KL_OK);
  ck_assert_mem_eq(a, b, n);
  /* and successive draws continue the stream, never repeat it */
  ck_assert_int_eq(kl_rng_fill(&rng, a, 32), KL_OK);
  ck_assert(memcmp(a, b, 32) != 0);
  free(a);
  free(b);
}
END_TEST

START_TEST(seeded_rng)
{
  kl_hmac_drbg d1, d2, d3;
  kl_rng r1, r2, r3;
  uint8_t a[100], b[100], c[100];
  const uint8_t s1[] = {0x00}, s2[] = {0x01};
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, s1, 1), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&r2, &d2, s1, 1), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&r3, &d3, s2, 1), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r1, a, sizeof a), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r2, b, sizeof b), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&r3, c, sizeof c), KL_OK);
  ck_assert_mem_eq(a, b, sizeof a);
  ck_assert(memcmp(a, c, sizeof a) != 0);
  /* The documented construction: entropy = seed, nonce empty, fixed personalization. */
  kl_hmac_drbg d4;
  static const char pers[] = "kexlab seeded rng v1";
  ck_assert_int_eq(
    kl_hmac_drbg_instantiate(&d4, s1, 1, NULL, 0, (const uint8_t *)pers, sizeof pers - 1), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d4, c, sizeof c, NULL, 0), KL_OK);
  ck_assert_mem_eq(a, c, sizeof a);
  /* Empty and NULL seeds are refused. */
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, s1, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_rng_seeded(&r1, &d1, NULL, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rng_seeded(NULL, &d1, s1, 1), KL_ERR_ARG);
}
END_TEST

START_TEST(clear_wipes_and_errors)
{
  kl_hmac_drbg d;
  uint8_t out[8];
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, entropy, 16, NULL, 0), KL_OK);
  kl_hmac_drbg_clear(&d);
  const uint8_t *p = (const uint8_t *)&d;
  for (size_t i = 0; i < sizeof d; i++)
    ck_assert_uint_eq(p[i], 0);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(NULL, entropy, 32, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, NULL, 32, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 3, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_instantiate(&d, entropy, 32, NULL, 0, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, NULL, 8, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, 8, NULL, 2), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_reseed(&d, NULL, 2, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, 0, NULL, 0), KL_OK);
}
END_TEST

#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
/* The bytes of every unindexed "V" (the output loop, §10.1.2.5 step 4.1)
 * after the last Generate process began, concatenated into out (room for cap
 * bytes); returns how many bytes they make. */
static size_t last_generate_V(const th_trace_rec *rec, uint8_t *out, size_t cap)
{
  size_t from = 0, got = 0;
  for (size_t k = 0; k < rec->n; k++) {
    const kl_trace_value *v = &rec->at[k].v;
    if (v->kind == KL_TRACE_TEXT && strcmp(v->label, "process") == 0 && v->len >= 20 &&
        memcmp(v->bytes, "HMAC_DRBG_Generate_a", 20) == 0)
      from = k;
  }
  for (size_t k = from; k < rec->n; k++) {
    const kl_trace_value *v = &rec->at[k].v;
    if (strcmp(v->label, "V") == 0 && v->index < 0 && v->kind == KL_TRACE_BYTES) {
      ck_assert_uint_eq(v->len, KL_HMAC_DRBG_OUTLEN);
      ck_assert_uint_le(got + v->len, cap);
      memcpy(out + got, v->bytes, v->len);
      got += v->len;
    }
  }
  return got;
}

/* NIST CAVP's HMAC_DRBG records through the traced path: the V values the
 * trace shows in the last Generate's output loop are ReturnedBits, and the
 * Key and V after its Update are the state the DRBG keeps. */
static void cavp_traced(const char *rel, int *records)
{
  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path(rel)), 0);
  while (vecfile_next(&vf) == 1) {
    uint8_t *EI = NULL, *N = NULL, *P = NULL, *AI[2] = {NULL, NULL}, *EIR = NULL, *AIR = NULL;
    uint8_t *RB = NULL;
    size_t nEI = 0, nN = 0, nP = 0, nAI[2] = {0, 0}, nEIR = 0, nAIR = 0, nRB = 0;
    int nai = 0, reseed = 0;
    for (size_t k = 0; k < vf.nfld; k++) { /* in file order: AdditionalInput comes twice */
      const char *name = vf.fld[k].name, *val = vf.fld[k].value;
      if (strcmp(name, "EntropyInput") == 0)
        EI = th_hex(val, &nEI);
      else if (strcmp(name, "Nonce") == 0)
        N = th_hex(val, &nN);
      else if (strcmp(name, "PersonalizationString") == 0)
        P = th_hex(val, &nP);
      else if (strcmp(name, "AdditionalInput") == 0 && nai < 2) {
        AI[nai] = th_hex(val, &nAI[nai]);
        nai++;
      } else if (strcmp(name, "EntropyInputReseed") == 0) {
        EIR = th_hex(val, &nEIR);
        reseed = 1;
      } else if (strcmp(name, "AdditionalInputReseed") == 0)
        AIR = th_hex(val, &nAIR);
      else if (strcmp(name, "ReturnedBits") == 0)
        RB = th_hex(val, &nRB);
    }
    ck_assert_int_eq(nai, 2);
    ck_assert_ptr_nonnull(RB);
    th_trace_rec rec;
    th_trace_rec_init(&rec);
    kl_tracer tr = th_trace_rec_tracer(&rec);
    kl_hmac_drbg d;
    uint8_t out[256], loop[256 + KL_HMAC_DRBG_OUTLEN];
    ck_assert_uint_le(nRB, sizeof out);
    ck_assert_int_eq(kl_hmac_drbg_instantiate_traced(&d, EI, nEI, N, nN, P, nP, &tr), KL_OK);
    if (reseed)
      ck_assert_int_eq(kl_hmac_drbg_reseed(&d, EIR, nEIR, AIR, nAIR), KL_OK);
    ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, nRB, AI[0], nAI[0]), KL_OK);
    ck_assert_int_eq(kl_hmac_drbg_generate(&d, out, nRB, AI[1], nAI[1]), KL_OK);
    ck_assert_mem_eq(out, RB, nRB);
    size_t got = last_generate_V(&rec, loop, sizeof loop);
    ck_assert_uint_eq(got,
                      (nRB + KL_HMAC_DRBG_OUTLEN - 1) / KL_HMAC_DRBG_OUTLEN * KL_HMAC_DRBG_OUTLEN);
    ck_assert_mem_eq(loop, RB, nRB);
    /* The last Update (step 6, additional_input given or not) ends in the state. */
    const kl_trace_value *K = NULL, *V = NULL;
    for (size_t k = 0; k < rec.n; k++) {
      if (strcmp(rec.at[k].v.label, "Key") == 0)
        K = &rec.at[k].v;
      else if (strcmp(rec.at[k].v.label, "V") == 0 && rec.at[k].v.index > 0)
        V = &rec.at[k].v;
    }
    ck_assert_ptr_nonnull(K);
    ck_assert_ptr_nonnull(V);
    ck_assert_mem_eq(K->bytes, d.K, KL_HMAC_DRBG_OUTLEN);
    ck_assert_mem_eq(V->bytes, d.V, KL_HMAC_DRBG_OUTLEN);
    ck_assert_str_eq(th_trace_rec_decimal(&rec, "reseed_counter", -1), "1");
    kl_hmac_drbg_clear(&d);
    th_trace_rec_free(&rec);
    free(EI);
    free(N);
    free(P);
    free(AI[0]);
    free(AI[1]);
    free(EIR);
    free(AIR);
    free(RB);
    (*records)++;
  }
  vecfile_close(&vf);
}

START_TEST(cavp_through_the_trace)
{
  int records = 0;
  cavp_traced("nist/drbg/HMAC_DRBG_SHA256_no_reseed.rsp", &records);
  ck_assert_int_eq(records, 60);
  cavp_traced("nist/drbg/HMAC_DRBG_SHA256_reseed.rsp", &records);
  ck_assert_int_eq(records, 120);
}
END_TEST

START_TEST(trace_order)
{
  /* §10.1.2.3 then §10.1.2.5 on kl_rng_seeded's seed material: the order of
   * the steps, and a trace that changes nothing. */
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_hmac_drbg d, plain;
  kl_rng rng, plain_rng;
  uint8_t a[40], b[40];
  ck_assert_int_eq(kl_rng_seeded_traced(&rng, &d, entropy, 3, &tr), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&plain_rng, &plain, entropy, 3), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&rng, a, sizeof a), KL_OK);
  ck_assert_int_eq(kl_rng_fill(&plain_rng, b, sizeof b), KL_OK);
  ck_assert_mem_eq(a, b, sizeof a);
  static const char *const want[] = {
    "process",
    "seed_material",
    "Key",
    "V",
    "process",
    "Key",
    "V",
    "Key",
    "V",
    "reseed_counter",
    "process",
    "V",
    "V",
    "process",
    "Key",
    "V",
    "reseed_counter",
  };
  static const int want_index[] = {-1, -1, -1, -1, -1, 1, 2, 4, 5, -1, -1, -1, -1, -1, 1, 2, -1};
  ck_assert_uint_eq(rec.n, sizeof want / sizeof want[0]);
  for (size_t k = 0; k < rec.n; k++) {
    ck_assert_str_eq(rec.at[k].v.label, want[k]);
    ck_assert_int_eq(rec.at[k].v.index, want_index[k]);
  }
  /* seed_material = entropy_input || nonce (empty) || "kexlab seeded rng v1" */
  ck_assert_uint_eq(rec.at[1].v.len, 3 + 20);
  ck_assert_mem_eq(rec.at[1].v.bytes, entropy, 3);
  ck_assert_mem_eq(rec.at[1].v.bytes + 3, "kexlab seeded rng v1", 20);
  ck_assert_mem_eq(rec.at[11].v.bytes, a, 32);
  ck_assert_mem_eq(rec.at[12].v.bytes, a + 32, 8);
  ck_assert_str_eq(th_trace_rec_decimal(&rec, "reseed_counter", -1), "1");
  char *last = th_trace_int_decimal(&rec.at[rec.n - 1].v);
  ck_assert_str_eq(last, "2");
  free(last);
  kl_hmac_drbg_clear(&d);
  kl_hmac_drbg_clear(&plain);
  th_trace_rec_free(&rec);
}
END_TEST
#endif

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("drbg");
  TCase *tc = tcase_create("drbg");
  tcase_add_test(tc, limits);
  tcase_add_test(tc, rng_adapter_splits_requests);
  tcase_add_test(tc, seeded_rng);
  tcase_add_test(tc, clear_wipes_and_errors);
#if KL_WITH_TRACE
  tcase_add_test(tc, cavp_through_the_trace);
  tcase_add_test(tc, trace_order);
#endif
  suite_add_tcase(s, tc);
  return s;
}
