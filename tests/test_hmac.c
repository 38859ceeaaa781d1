/* test_hmac.c: HMAC (FIPS 198-1) properties beyond the RFC 2202/4231 files
 * (those run in test_hash_vectors.c): streaming == one shot, the key rules of
 * §4 steps 1-3 (long keys are hashed, short keys zero-padded, the empty key
 * is valid), wiping, argument errors, and the trace of §4's steps (held
 * line by line against Python's hmac in tests/cli/test_cli_hash.sh). */
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"

static const kl_hash_alg algs[2] = {KL_HASH_SHA1, KL_HASH_SHA256};

START_TEST(streaming_equals_one_shot)
{
  th_prng p;
  th_prng_init(&p, 0x4d4143);
  uint8_t key[200], msg[700], one[32], many[32];
  for (int a = 0; a < 2; a++) {
    size_t L = kl_hash_digest_len(algs[a]);
    for (int i = 0; i < 300; i++) {
      size_t klen = (size_t)th_prng_below(&p, sizeof key + 1);
      size_t mlen = (size_t)th_prng_below(&p, sizeof msg + 1);
      th_prng_bytes(&p, key, klen);
      th_prng_bytes(&p, msg, mlen);
      ck_assert_int_eq(kl_hmac(algs[a], one, key, klen, msg, mlen), KL_OK);
      kl_hmac_ctx ctx;
      ck_assert_int_eq(kl_hmac_init(&ctx, algs[a], key, klen), KL_OK);
      for (size_t done = 0; done < mlen;) {
        size_t c = (size_t)th_prng_below(&p, 100);
        if (c > mlen - done)
          c = mlen - done;
        kl_hmac_update(&ctx, msg + done, c);
        done += c;
      }
      kl_hmac_final(&ctx, many);
      ck_assert_mem_eq(one, many, L);
    }
  }
}
END_TEST

START_TEST(key_rules)
{
  /* §4 step 2: a key longer than B bytes is replaced by H(K); step 3: a key
   * shorter than B is padded with zeros, so K and K || 00 give the same tag
   * while the length stays <= B. The empty key equals B zero bytes. */
  uint8_t key[130], hk[32], t1[32], t2[32];
  const uint8_t msg[] = "what do ya want for nothing?";
  for (size_t i = 0; i < sizeof key; i++)
    key[i] = (uint8_t)(i * 7 + 3);
  for (int a = 0; a < 2; a++) {
    size_t B = kl_hash_block_len(algs[a]), L = kl_hash_digest_len(algs[a]);
    ck_assert_int_eq(kl_hash(algs[a], hk, key, B + 1), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t1, key, B + 1, msg, sizeof msg - 1), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t2, hk, L, msg, sizeof msg - 1), KL_OK);
    ck_assert_mem_eq(t1, t2, L);

    uint8_t padded[64];
    memset(padded, 0, sizeof padded);
    memcpy(padded, key, 20);
    ck_assert_int_eq(kl_hmac(algs[a], t1, key, 20, msg, sizeof msg - 1), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t2, padded, B, msg, sizeof msg - 1), KL_OK);
    ck_assert_mem_eq(t1, t2, L);

    memset(padded, 0, sizeof padded);
    ck_assert_int_eq(kl_hmac(algs[a], t1, NULL, 0, msg, sizeof msg - 1), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t2, padded, B, msg, sizeof msg - 1), KL_OK);
    ck_assert_mem_eq(t1, t2, L);

    /* Empty message, empty key: valid. And a key of exactly B bytes is used as is. */
    ck_assert_int_eq(kl_hmac(algs[a], t1, NULL, 0, NULL, 0), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t1, key, B, msg, 0), KL_OK);
    ck_assert_int_eq(kl_hmac(algs[a], t2, hk, L, msg, 0), KL_OK);
    ck_assert(memcmp(t1, t2, L) != 0);
  }
}
END_TEST

static int all_zero(const void *p, size_t n)
{
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) {
    if (b[i])
      return 0;
  }
  return 1;
}

START_TEST(wiped_after_final_and_clear)
{
  kl_hmac_ctx ctx;
  uint8_t tag[32];
  const uint8_t key[] = "key";
  ck_assert_int_eq(kl_hmac_init(&ctx, KL_HASH_SHA256, key, 3), KL_OK);
  kl_hmac_update(&ctx, key, 3);
  ck_assert(!all_zero(&ctx, sizeof ctx));
  kl_hmac_final(&ctx, tag);
  ck_assert(all_zero(&ctx, sizeof ctx));
  ck_assert_int_eq(kl_hmac_init(&ctx, KL_HASH_SHA1, key, 3), KL_OK);
  kl_hmac_clear(&ctx);
  ck_assert(all_zero(&ctx, sizeof ctx));
}
END_TEST

START_TEST(argument_errors)
{
  kl_hmac_ctx ctx;
  uint8_t tag[32];
  ck_assert_int_eq(kl_hmac_init(&ctx, (kl_hash_alg)99, NULL, 0), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hmac_init(&ctx, KL_HASH_SHA1, NULL, 3), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac_init(NULL, KL_HASH_SHA1, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac(KL_HASH_SHA1, NULL, NULL, 0, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac(KL_HASH_SHA1, tag, NULL, 0, NULL, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_hmac((kl_hash_alg)0, tag, NULL, 0, NULL, 0), KL_ERR_UNSUPPORTED);
}
END_TEST

#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
START_TEST(trace_of_the_steps)
{
  /* FIPS 198-1 §4: K0 (steps 1-3), K0 ^ ipad (4), K0 ^ opad (7), the inner
   * hash (6) and the MAC (9), in that order, for keys shorter than, equal to
   * and longer than B; the inner hash recomputed from the traced K0 ^ ipad;
   * and a trace that changes nothing. */
  static const char *const labels[5] = {"K0", "K0 ^ ipad", "K0 ^ opad", "H((K0 ^ ipad) || text)",
                                        "MAC"};
  static const size_t key_lens[4] = {0, 20, 64, 100};
  uint8_t key[100], text[] = "what do ya want for nothing?";
  for (size_t k = 0; k < sizeof key; k++)
    key[k] = (uint8_t)(k * 7 + 1);
  for (int a = 0; a < 2; a++) {
    size_t L = kl_hash_digest_len(algs[a]), B = kl_hash_block_len(algs[a]);
    for (int kl = 0; kl < 4; kl++) {
      th_trace_rec rec;
      th_trace_rec_init(&rec);
      kl_tracer tr = th_trace_rec_tracer(&rec);
      uint8_t tag[32], plain[32], inner[32], hk[32];
      size_t n = key_lens[kl];
      ck_assert_int_eq(kl_hmac_traced(algs[a], tag, key, n, text, sizeof text - 1, &tr), KL_OK);
      ck_assert_int_eq(kl_hmac(algs[a], plain, key, n, text, sizeof text - 1), KL_OK);
      ck_assert_mem_eq(tag, plain, L);
      ck_assert_uint_eq(rec.n, 5);
      for (int i = 0; i < 5; i++) {
        ck_assert_str_eq(rec.at[i].v.label, labels[i]);
        ck_assert_int_eq(rec.at[i].v.index, -1);
        ck_assert_uint_eq(rec.at[i].v.len, i < 3 ? B : L);
      }
      const uint8_t *K0 = rec.at[0].v.bytes;
      /* Steps 1-3: K itself, H(K) when longer than B, then zeros up to B. */
      size_t used = n;
      if (n > B) {
        ck_assert_int_eq(kl_hash(algs[a], hk, key, n), KL_OK);
        ck_assert_mem_eq(K0, hk, L);
        used = L;
      } else if (n > 0) {
        ck_assert_mem_eq(K0, key, n);
      }
      for (size_t j = used; j < B; j++)
        ck_assert_uint_eq(K0[j], 0);
      for (size_t j = 0; j < B; j++) {
        ck_assert_uint_eq(rec.at[1].v.bytes[j], K0[j] ^ 0x36);
        ck_assert_uint_eq(rec.at[2].v.bytes[j], K0[j] ^ 0x5c);
      }
      /* Step 6: H((K0 ^ ipad) || text), from the traced block. */
      kl_hash_ctx h;
      ck_assert_int_eq(kl_hash_init(&h, algs[a]), KL_OK);
      kl_hash_update(&h, rec.at[1].v.bytes, B);
      kl_hash_update(&h, text, sizeof text - 1);
      kl_hash_final(&h, inner);
      ck_assert_mem_eq(rec.at[3].v.bytes, inner, L);
      ck_assert_mem_eq(rec.at[4].v.bytes, tag, L);
      th_trace_rec_free(&rec);
    }
  }
}
END_TEST
#endif

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("hmac");
  TCase *tc = tcase_create("hmac");
  tcase_add_test(tc, streaming_equals_one_shot);
  tcase_add_test(tc, key_rules);
  tcase_add_test(tc, wiped_after_final_and_clear);
  tcase_add_test(tc, argument_errors);
#if KL_WITH_TRACE
  tcase_add_test(tc, trace_of_the_steps);
#endif
  suite_add_tcase(s, tc);
  return s;
}
