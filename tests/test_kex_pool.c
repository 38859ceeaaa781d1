/* test_kex_pool.c: the pool of prepared session entries (src/kex/pool.c):
 * a create from the pool draws nothing (no RSA private operation), prepared
 * ids are distinct and a repeated id is caught when used, and entries that
 * never become sessions are wiped.
 * Fixture: kex_fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "kex_fixture.h"

/* ---- the pool: prepared entries ---- */

/* The free hook of the pool tests: counts freed pool entries, and those not
 * all zero. */
static size_t freed_entries, dirty_entries;

static void count_entries(const void *block, size_t size)
{
  const uint8_t *b = block;
  if (size != sizeof(kl_kex_pool_entry))
    return;
  freed_entries++;
  for (size_t i = 0; i < size; i++) {
    if (b[i] != 0) {
      dirty_entries++;
      return;
    }
  }
}

/* A generator that counts what it hands out (and, for the duplicate-id test,
 * makes every 16-byte draw, i.e. every session id, the same). */
typedef struct counting_rng {
  const kl_rng *inner;
  size_t calls, bytes;
  int fixed_ids;
} counting_rng;

static kl_err counting_fill(void *state, uint8_t *out, size_t len)
{
  counting_rng *c = state;
  c->calls++;
  c->bytes += len;
  if (c->fixed_ids && len == KL_KEX_ID_BYTES) {
    memset(out, 0xab, len);
    return KL_OK;
  }
  return kl_rng_fill(c->inner, out, len);
}

START_TEST(pool_create_does_no_private_operation)
{
  /* Everything random of a session creation (id, PSS salt, blinding of the
   * signature) is drawn when the entry is prepared: a create from the pool
   * draws nothing, so it cannot have run an RSA private operation (those
   * always draw blinding values) nor a fresh id. */
  world w;
  counting_rng c = {0};
  kl_rng rng;
  kl_kex_offer *offer = malloc(sizeof *offer);
  world_config(&w, 2);
  c.inner = &w.srv_rng;
  rng.fill = counting_fill;
  rng.state = &c;
  w.cfg.rng = &rng;
  world_start(&w, 2);
  size_t after_fill = c.calls;
  ck_assert_uint_gt(after_fill, 0);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    for (int i = 0; i < 2; i++) {
      ck_assert_int_eq(kl_kex_server_create(&w.srv, (kl_kex_profile)p, 0, offer), KL_OK);
      ck_assert_uint_eq(c.calls, after_fill);
      /* The pre-computed offer is a valid one: the client accepts it. */
      kl_kex_client cli;
      uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
      size_t C_len = sizeof C;
      client_init(&cli, (kl_kex_profile)p);
      ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len), KL_OK);
      kl_kex_client_clear(&cli);
    }
  }
  /* The pools are dry: the next create makes its entry now, and draws. */
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.pool_level[KL_KEX_PROFILE_HARDENED], 0);
  ck_assert_uint_eq(st.keygen_inline, 0);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_OK);
  ck_assert_uint_gt(c.calls, after_fill);
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.keygen_inline, 1);
  ck_assert_uint_eq(st.sessions, 5);
  world_stop(&w);
  free(offer);
}
END_TEST

START_TEST(pool_ids_distinct_and_checked_on_use)
{
  /* Ids of prepared entries are all different... */
  world w;
  kl_kex_offer *offer = malloc(sizeof *offer);
  uint8_t ids[8][KL_KEX_ID_BYTES];
  world_config(&w, 8);
  w.cfg.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED);
  world_start(&w, 8);
  for (int i = 0; i < 8; i++) {
    ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_OK);
    memcpy(ids[i], offer->session_id, KL_KEX_ID_BYTES);
    ck_assert_uint_eq(offer->session_id[6] >> 4, 4); /* RFC 9562 §5.4 version 4 */
    for (int j = 0; j < i; j++)
      ck_assert(memcmp(ids[i], ids[j], KL_KEX_ID_BYTES) != 0);
  }
  world_stop(&w);

  /* ...and a generator that repeats itself is caught when the second entry
   * with the same id is used: KL_ERR_RNG, the entry wiped, the first
   * session untouched. */
  counting_rng c = {0};
  kl_rng rng;
  freed_entries = 0;
  dirty_entries = 0;
  world_config(&w, 2);
  c.inner = &w.srv_rng;
  c.fixed_ids = 1;
  rng.fill = counting_fill;
  rng.state = &c;
  w.cfg.rng = &rng;
  w.cfg.free_hook = count_entries;
  w.cfg.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED);
  world_start(&w, 2);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_OK);
  uint8_t first[KL_KEX_ID_BYTES];
  memcpy(first, offer->session_id, sizeof first);
  ck_assert_uint_eq(freed_entries, 1); /* the used entry's shell, wiped */
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_ERR_RNG);
  ck_assert_uint_eq(freed_entries, 2);
  ck_assert_uint_eq(dirty_entries, 0);
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, 1);
  ck_assert_uint_eq(st.pool_level[KL_KEX_PROFILE_HARDENED], 0);
  kl_kex_session_info info;
  ck_assert_int_eq(kl_kex_server_session_info(&w.srv, first, 0, &info), KL_OK);
  world_stop(&w);
  free(offer);
}
END_TEST

START_TEST(pool_entries_wiped_when_discarded)
{
  /* Entries that never become sessions: wiped by server clear, and an
   * entry pool_add refuses (pool full) too. */
  world w;
  freed_entries = 0;
  dirty_entries = 0;
  world_config(&w, 3);
  w.cfg.free_hook = count_entries;
  world_start(&w, 3);
  ck_assert_int_eq(kl_kex_server_pool_add(&w.srv, KL_KEX_PROFILE_HARDENED, &hard_key),
                   KL_ERR_LIMIT);
  ck_assert_uint_eq(kl_kex_server_pool_need(&w.srv), 0);
  world_stop(&w);
  ck_assert_uint_eq(freed_entries, 6);
  ck_assert_uint_eq(dirty_entries, 0);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("kex_pool");
  TCase *tc = tcase_create("kex_pool");
  tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, pool_create_does_no_private_operation);
  tcase_add_test(tc, pool_ids_distinct_and_checked_on_use);
  tcase_add_test(tc, pool_entries_wiped_when_discarded);
  suite_add_tcase(s, tc);
  return s;
}
