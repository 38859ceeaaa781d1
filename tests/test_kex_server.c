/* test_kex_server.c: the server object (src/kex/server.c): both profiles end
 * to end (handshake, 1,000 messages each way, a rekey in the middle), expiry
 * and the session cap, 100 interleaved sessions, a multi-threaded stress test,
 * the session-level rejections (unknown session, key set twice, message
 * before the key, wrong session, oversize frame, rekey without a valid
 * authenticator, the rekey boundary, bad arguments), what a transport may ask
 * (session info, request budget), and wiping (no key material in freed
 * memory, a failing handler's reply).
 * Speed: RSA keys are made once (unchecked fixture, kex_fixture.h) and copied
 * into the servers' pools with kl_kex_server_pool_add, so no test waits on key
 * generation. Interop with openssl and python3-cryptography:
 * test_kex_interop.c. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/gmp_alloc_internal.h"
#include "kex_fixture.h"

/* ---- both profiles end to end ---- */

static void thousand_each_way(kl_kex_profile p)
{
  world w;
  kl_kex_client cli;
  uint8_t id[KL_KEX_ID_BYTES];
  uint8_t msg[300];
  th_prng r;

  world_config(&w, 2);
  world_start(&w, 1);
  client_init(&cli, p);
  handshake(&w, &cli, p, 1000, id);
  th_prng_init(&r, 1);
  for (int i = 0; i < 1000; i++) {
    if (i == 500)
      do_rekey(&w, &cli, id, 1000 + (uint64_t)i);
    size_t len = (size_t)th_prng_below(&r, sizeof msg + 1); /* 0..300: every padding length */
    th_prng_bytes(&r, msg, len);
    exchange(&w, &cli, id, 1000 + (uint64_t)i, msg, len);
  }
  ck_assert_uint_eq(cli.ch.epoch, 1);
  if (p == KL_KEX_PROFILE_HARDENED) {
    /* 1,000 data frames and one rekey authenticator went c2s; 1,000 replies s2c. */
    ck_assert_uint_eq(cli.ch.send_seq, 1001);
    ck_assert_uint_eq(cli.ch.recv_seq, 1000);
  }
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, 1);
  ck_assert_uint_eq(st.established, 1);
  ck_assert_uint_eq(st.rejected, 0);
  kl_kex_client_clear(&cli);
  world_stop(&w);
}

START_TEST(hardened_1000_each_way_with_rekey)
{
  thousand_each_way(KL_KEX_PROFILE_HARDENED);
}
END_TEST

START_TEST(seed_1000_each_way_with_rekey)
{
  thousand_each_way(KL_KEX_PROFILE_SEED);
}
END_TEST

/* ---- expiry and the cap ---- */

START_TEST(idle_expiry)
{
  world w;
  kl_kex_client a, b;
  uint8_t ida[KL_KEX_ID_BYTES], idb[KL_KEX_ID_BYTES];
  const uint8_t msg[] = "hello";
  world_config(&w, 4);
  w.cfg.idle_timeout_ms = 1000;
  world_start(&w, 2);
  client_init(&a, KL_KEX_PROFILE_HARDENED);
  client_init(&b, KL_KEX_PROFILE_HARDENED);
  handshake(&w, &a, KL_KEX_PROFILE_HARDENED, 0, ida);
  handshake(&w, &b, KL_KEX_PROFILE_HARDENED, 0, idb);
  exchange(&w, &b, idb, 900, msg, sizeof msg); /* b used at 900 */
  /* At 1000 nobody is idle for more than 1000 ms; at 1001, a is. */
  ck_assert_uint_eq(kl_kex_server_expire(&w.srv, 1000), 0);
  ck_assert_uint_eq(kl_kex_server_expire(&w.srv, 1001), 1);
  uint8_t f[BUF], r[BUF];
  size_t fl = sizeof f, rl = sizeof r;
  ck_assert_int_eq(kl_kex_client_seal(&a, &w.cli_rng, f, &fl, msg, sizeof msg), KL_OK);
  ck_assert_int_eq(kl_kex_server_message(&w.srv, ida, 1001, r, &rl, f, fl), KL_ERR_NOT_FOUND);
  /* b expires lazily on its next lookup, without an expire call. */
  fl = sizeof f;
  rl = sizeof r;
  ck_assert_int_eq(kl_kex_client_seal(&b, &w.cli_rng, f, &fl, msg, sizeof msg), KL_OK);
  ck_assert_int_eq(kl_kex_server_message(&w.srv, idb, 1901, r, &rl, f, fl), KL_ERR_NOT_FOUND);
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, 0);
  ck_assert_uint_eq(st.established, 0);
  ck_assert_uint_eq(st.expired, 2);
  kl_kex_client_clear(&a);
  kl_kex_client_clear(&b);
  world_stop(&w);
}
END_TEST

START_TEST(cap_wipes_oldest_idle_first)
{
  world w;
  kl_kex_offer *o = malloc(sizeof *o);
  uint8_t ids[4][KL_KEX_ID_BYTES];
  world_config(&w, 8);
  w.cfg.max_sessions = 3;
  w.cfg.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED);
  world_start(&w, 8);
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, (uint64_t)i, o), KL_OK);
    memcpy(ids[i], o->session_id, KL_KEX_ID_BYTES);
  }
  /* Touch session 0 (a failed set_key still counts as use): now 1 is the oldest idle. */
  uint8_t junk[128] = {0};
  ck_assert_int_eq(kl_kex_server_set_key(&w.srv, ids[0], 10, junk, sizeof junk), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 11, o), KL_OK);
  memcpy(ids[3], o->session_id, KL_KEX_ID_BYTES);
  ck_assert_int_eq(kl_kex_server_close(&w.srv, ids[1]), KL_ERR_NOT_FOUND); /* evicted */
  ck_assert_int_eq(kl_kex_server_set_key(&w.srv, ids[0], 12, junk, sizeof junk), KL_ERR_DECRYPT);
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, 3);
  ck_assert_uint_eq(st.evicted, 1);
  world_stop(&w);

  /* Without eviction: KL_ERR_LIMIT, and nobody is wiped. */
  world_config(&w, 8);
  w.cfg.max_sessions = 2;
  w.cfg.evict_oldest_idle = 0;
  w.cfg.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED);
  world_start(&w, 8);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, o), KL_OK);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, o), KL_OK);
  memcpy(ids[0], o->session_id, KL_KEX_ID_BYTES);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, o), KL_ERR_LIMIT);
  ck_assert_int_eq(kl_kex_server_close(&w.srv, ids[0]), KL_OK);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, o), KL_OK);
  world_stop(&w);
  free(o);
}
END_TEST

START_TEST(hundred_sessions_interleaved)
{
  enum {
    N = 100
  };
  world w;
  static kl_kex_client cli[N];
  static uint8_t ids[N][KL_KEX_ID_BYTES];
  static uint64_t count[N];
  th_prng r;
  world_config(&w, N / 2);
  world_start(&w, N / 2);
  for (int i = 0; i < N; i++) {
    kl_kex_profile p = (i % 2) ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED;
    client_init(&cli[i], p);
    handshake(&w, &cli[i], p, 0, ids[i]);
  }
  th_prng_init(&r, 3);
  for (int k = 0; k < 2000; k++) {
    int i = (int)th_prng_below(&r, N);
    uint8_t msg[40];
    size_t len = (size_t)th_prng_below(&r, sizeof msg);
    th_prng_bytes(&r, msg, len);
    if (th_prng_below(&r, 50) == 0)
      do_rekey(&w, &cli[i], ids[i], 1);
    exchange(&w, &cli[i], ids[i], 1, msg, len);
    count[i]++;
  }
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, N);
  ck_assert_uint_eq(st.established, N);
  for (int i = 0; i < N; i++) {
    ck_assert_int_eq(kl_kex_server_close(&w.srv, ids[i]), KL_OK);
    kl_kex_client_clear(&cli[i]);
  }
  kl_kex_server_get_stats(&w.srv, &st);
  ck_assert_uint_eq(st.sessions, 0);
  ck_assert_uint_eq(st.established, 0);
  world_stop(&w);
}
END_TEST

/* ---- many threads on one server ---- */

typedef struct stress_arg {
  kl_kex_server *srv;
  int index;
  int failures;
  uint64_t messages;
} stress_arg;

static void *stress_thread(void *arg)
{
  stress_arg *a = arg;
  kl_hmac_drbg d;
  kl_rng rng;
  uint8_t seed[8] = {(uint8_t)a->index, 's', 't', 'r', 'e', 's', 's', 0};
  static _Thread_local uint8_t f[BUF], r[BUF], back[BUF];
  if (kl_rng_seeded(&rng, &d, seed, sizeof seed) != KL_OK) {
    a->failures++;
    return NULL;
  }
  for (int round = 0; round < 6; round++) {
    kl_kex_client cli;
    kl_kex_offer *o = malloc(sizeof *o);
    kl_kex_profile p = ((a->index + round) % 2) ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED;
    kl_kex_client_config cc;
    kl_kex_client_config_default(&cc);
    cc.profile = p;
    cc.identity = &identity_pub;
    if (o == NULL || kl_kex_client_init(&cli, &cc) != KL_OK) {
      a->failures++;
      free(o);
      return NULL;
    }
    uint8_t C[512];
    size_t C_len = sizeof C;
    if (kl_kex_server_create(a->srv, p, 0, o) != KL_OK ||
        kl_kex_client_handshake(&cli, &rng, o, C, &C_len) != KL_OK ||
        kl_kex_server_set_key(a->srv, o->session_id, 0, C, C_len) != KL_OK) {
      a->failures++;
    } else {
      for (int i = 0; i < 40; i++) {
        uint8_t msg[32];
        memset(msg, a->index, sizeof msg);
        size_t fl = sizeof f, rl = sizeof r, bl = sizeof back;
        if (i == 20) {
          uint8_t auth[KL_KEX_REKEY_AUTH_BYTES];
          size_t al = sizeof auth;
          C_len = sizeof C;
          if (kl_kex_client_rekey_begin(&cli, &rng, C, &C_len, auth, &al) != KL_OK ||
              kl_kex_server_rekey(a->srv, o->session_id, 0, C, C_len, auth, al) != KL_OK ||
              kl_kex_client_rekey_commit(&cli) != KL_OK)
            a->failures++;
        }
        if (kl_kex_client_seal(&cli, &rng, f, &fl, msg, sizeof msg) != KL_OK ||
            kl_kex_server_message(a->srv, o->session_id, 0, r, &rl, f, fl) != KL_OK ||
            kl_kex_client_open(&cli, back, &bl, r, rl) != KL_OK || bl != sizeof msg ||
            memcmp(back, msg, sizeof msg) != 0)
          a->failures++;
        else
          a->messages++;
      }
      if (kl_kex_server_close(a->srv, o->session_id) != KL_OK)
        a->failures++;
    }
    kl_kex_client_clear(&cli);
    free(o);
  }
  kl_hmac_drbg_clear(&d);
  return NULL;
}

/* A thread that keeps expiring and reading statistics while others work. */
static void *sweeper_thread(void *arg)
{
  stress_arg *a = arg;
  for (int i = 0; i < 2000; i++) {
    kl_kex_server_stats st;
    (void)kl_kex_server_expire(a->srv, 0);
    kl_kex_server_get_stats(a->srv, &st);
    if (st.sessions > 8)
      a->failures++;
  }
  return NULL;
}

/* The pool worker's part: prepare one entry (key generation, id, signature)
 * while the other threads take entries. */
static void *filler_thread(void *arg)
{
  stress_arg *a = arg;
  size_t added = 0;
  if (kl_kex_server_pool_fill(a->srv, NULL, 1, &added) != KL_OK || added != 1)
    a->failures++;
  return NULL;
}

START_TEST(threads_stress)
{
  enum {
    T = 6
  };
  kl_kex_server srv;
  kl_kex_server_config cfg;
  kl_rng os;
  pthread_t th[T + 2];
  stress_arg args[T + 2];
  kl_rng_os(&os);
  kl_kex_server_config_default(&cfg);
  cfg.rng = &os; /* thread-safe */
  cfg.identity = &identity_key;
  cfg.key_bits = 1024;
  cfg.pool_size = 40;
  cfg.max_payload = 20000;
  ck_assert_int_eq(kl_kex_server_init(&srv, &cfg), KL_OK);
  for (int i = 0; i < 20; i++) {
    ck_assert_int_eq(kl_kex_server_pool_add(&srv, KL_KEX_PROFILE_HARDENED, &hard_key), KL_OK);
    ck_assert_int_eq(kl_kex_server_pool_add(&srv, KL_KEX_PROFILE_SEED, &seed_key), KL_OK);
  }
  for (int i = 0; i <= T + 1; i++) {
    args[i] = (stress_arg){&srv, i, 0, 0};
    ck_assert_int_eq(pthread_create(&th[i], NULL,
                                    i < T    ? stress_thread
                                    : i == T ? sweeper_thread
                                             : filler_thread,
                                    &args[i]),
                     0);
  }
  uint64_t total = 0;
  for (int i = 0; i <= T + 1; i++) {
    pthread_join(th[i], NULL);
    ck_assert_int_eq(args[i].failures, 0);
    total += args[i].messages;
  }
  ck_assert_uint_eq(total, T * 6 * 40);
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&srv, &st);
  ck_assert_uint_eq(st.sessions, 0);
  ck_assert_uint_eq(st.created, T * 6);
  ck_assert_uint_eq(st.closed, T * 6);
  ck_assert_uint_eq(st.keygen_pool, 1);
  kl_kex_server_clear(&srv);
}
END_TEST

/* Two threads hammer the SAME session (set_key race, then messages) while a
 * third closes it: exactly one set_key wins, and nothing crashes or leaks. */
typedef struct race_arg {
  kl_kex_server *srv;
  const uint8_t *id;
  const uint8_t *C;
  size_t C_len;
  kl_err result;
} race_arg;

static void *race_set_key(void *p)
{
  race_arg *a = p;
  a->result = kl_kex_server_set_key(a->srv, a->id, 0, a->C, a->C_len);
  return NULL;
}

START_TEST(threads_set_key_race)
{
  world w;
  kl_kex_client cli;
  kl_kex_offer *o = malloc(sizeof *o);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  kl_rng os;
  world_config(&w, 2);
  kl_rng_os(&os);
  w.cfg.rng = &os;
  world_start(&w, 1);
  client_init(&cli, KL_KEX_PROFILE_HARDENED);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, o), KL_OK);
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, o, C, &C_len), KL_OK);
  pthread_t t[4];
  race_arg a[4];
  for (int i = 0; i < 4; i++) {
    a[i] = (race_arg){&w.srv, o->session_id, C, C_len, KL_OK};
    ck_assert_int_eq(pthread_create(&t[i], NULL, race_set_key, &a[i]), 0);
  }
  int ok = 0, conflict = 0;
  for (int i = 0; i < 4; i++) {
    pthread_join(t[i], NULL);
    ok += a[i].result == KL_OK;
    conflict += a[i].result == KL_ERR_CONFLICT;
  }
  ck_assert_int_eq(ok, 1);
  ck_assert_int_eq(conflict, 3);
  kl_kex_client_clear(&cli);
  world_stop(&w);
  free(o);
}
END_TEST

/* ---- rejections, one test each ---- */

START_TEST(reject_unknown_session)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  uint8_t bogus[KL_KEX_ID_BYTES];
  memcpy(bogus, o->id, sizeof bogus);
  bogus[15] ^= 1;
  uint8_t C[128] = {0};
  one_seal(o, "x");
  o->rl = sizeof o->r;
  ck_assert_int_eq(kl_kex_server_message(&o->w.srv, bogus, 0, o->r, &o->rl, o->f, o->fl),
                   KL_ERR_NOT_FOUND);
  ck_assert_int_eq(kl_kex_server_set_key(&o->w.srv, bogus, 0, C, sizeof C), KL_ERR_NOT_FOUND);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, bogus, 0, C, sizeof C, NULL, 0),
                   KL_ERR_NOT_FOUND);
  ck_assert_int_eq(kl_kex_server_close(&o->w.srv, bogus), KL_ERR_NOT_FOUND);
  /* A closed session is unknown too. */
  ck_assert_int_eq(kl_kex_server_close(&o->w.srv, o->id), KL_OK);
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_ERR_NOT_FOUND);
  ck_assert_int_eq(kl_kex_server_close(&o->w.srv, o->id), KL_ERR_NOT_FOUND);
  one_stop(o);
}
END_TEST

/* --node: every id the server makes carries the node number in octet 0 (the
 * first two hex digits), keeps the v4 shape, and an id naming another node
 * is unknown even when every other bit matches a live session. */
START_TEST(node_in_session_ids)
{
  world w;
  world_config(&w, 4);
  w.cfg.node = 256;
  kl_kex_server bad;
  ck_assert_int_eq(kl_kex_server_init(&bad, &w.cfg), KL_ERR_ARG);
  w.cfg.node = 0xa7;
  world_start(&w, 2);
  for (int i = 0; i < 3; i++) {
    kl_kex_client cli;
    uint8_t id[KL_KEX_ID_BYTES];
    char text[KL_KEX_ID_STRING_LEN + 1];
    client_init(&cli, i == 0 ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED);
    handshake(&w, &cli, i == 0 ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED, 0, id);
    kl_kex_id_format(text, id);
    ck_assert(strncmp(text, "a7", 2) == 0);
    ck_assert_uint_eq(id[6] >> 4, 4);
    ck_assert_uint_eq(id[8] >> 6, 2);
    kl_kex_session_info info;
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 0, &info), KL_OK);
    id[KL_KEX_ID_NODE_OCTET] = 0xa6;
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 0, &info), KL_ERR_NOT_FOUND);
    ck_assert_int_eq(kl_kex_server_close(&w.srv, id), KL_ERR_NOT_FOUND);
    kl_kex_client_clear(&cli);
  }
  world_stop(&w);
}
END_TEST

START_TEST(reject_key_set_twice)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  uint8_t C[128] = {0};
  /* Any second key, valid or not, is a conflict; the session keeps its keys. */
  ck_assert_int_eq(kl_kex_server_set_key(&o->w.srv, o->id, 0, C, sizeof C), KL_ERR_CONFLICT);
  still_works(o);
  one_stop(o);
}
END_TEST

START_TEST(reject_message_before_key)
{
  world w;
  kl_kex_offer *offer = malloc(sizeof *offer);
  one *o = one_start(KL_KEX_PROFILE_HARDENED); /* only for a valid frame */
  world_config(&w, 2);
  world_start(&w, 1);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_OK);
  one_seal(o, "early");
  uint8_t r[BUF];
  size_t rl = sizeof r;
  ck_assert_int_eq(kl_kex_server_message(&w.srv, offer->session_id, 0, r, &rl, o->f, o->fl),
                   KL_ERR_STATE);
  uint8_t C[128] = {0};
  ck_assert_int_eq(kl_kex_server_rekey(&w.srv, offer->session_id, 0, C, sizeof C, NULL, 0),
                   KL_ERR_STATE);
  /* A bad first key is refused and the session still waits for a good one. */
  ck_assert_int_eq(kl_kex_server_set_key(&w.srv, offer->session_id, 0, C, sizeof C),
                   KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_server_set_key(&w.srv, offer->session_id, 0, C, 5), KL_ERR_DECRYPT);
  kl_kex_client cli;
  uint8_t good[KL_KEX_MAX_MODULUS_BYTES];
  size_t gl = sizeof good;
  client_init(&cli, KL_KEX_PROFILE_HARDENED);
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, good, &gl), KL_OK);
  ck_assert_int_eq(kl_kex_server_set_key(&w.srv, offer->session_id, 0, good, gl), KL_OK);
  /* The client refuses to seal before its handshake. */
  kl_kex_client fresh;
  client_init(&fresh, KL_KEX_PROFILE_HARDENED);
  size_t fl = sizeof r;
  ck_assert_int_eq(kl_kex_client_seal(&fresh, &w.cli_rng, r, &fl, r, 1), KL_ERR_STATE);
  kl_kex_client_clear(&fresh);
  kl_kex_client_clear(&cli);
  world_stop(&w);
  one_stop(o);
  free(offer);
}
END_TEST

START_TEST(reject_wrong_session)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  kl_kex_client b;
  uint8_t idb[KL_KEX_ID_BYTES];
  client_init(&b, KL_KEX_PROFILE_HARDENED);
  handshake(&o->w, &b, KL_KEX_PROFILE_HARDENED, 0, idb);
  one_seal(o, "for session a");
  o->rl = sizeof o->r;
  ck_assert_int_eq(kl_kex_server_message(&o->w.srv, idb, 0, o->r, &o->rl, o->f, o->fl),
                   KL_ERR_DECRYPT);
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  const uint8_t msg[] = "b is fine";
  exchange(&o->w, &b, idb, 0, msg, sizeof msg);
  kl_kex_client_clear(&b);
  one_stop(o);
}
END_TEST

START_TEST(reject_oversize_frame)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  size_t max = kl_kex_server_max_frame(&o->w.srv);
  ck_assert_uint_eq(max, kl_kex_frame_len(KL_KEX_PROFILE_HARDENED, 20000));
  uint8_t *big = calloc(1, max + 16);
  ck_assert_int_eq(one_send(o, big, max + 16), KL_ERR_DECRYPT);
  /* A reply buffer smaller than the largest frame is refused up front. */
  one_seal(o, "x");
  o->rl = max - 1;
  ck_assert_int_eq(kl_kex_server_message(&o->w.srv, o->id, 0, o->r, &o->rl, o->f, o->fl),
                   KL_ERR_BUF_TOO_SMALL);
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK); /* nothing was consumed */
  free(big);
  one_stop(o);
}
END_TEST

/* A frame of the largest length holds up to 15 octets more than max_payload
 * (the padding is 1..16 octets): such a payload is refused with KL_ERR_LEN
 * before the handler runs, and in hardened its number is not used up. */
START_TEST(reject_payload_over_max)
{
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    one *o = one_start((kl_kex_profile)p);
    size_t max_frame = kl_kex_server_max_frame(&o->w.srv);
    o->cli.cfg.max_payload = 20015; /* a client that lets such a payload through */
    size_t len = 20001;
    uint8_t *msg = calloc(1, 20015);
    uint8_t *f = malloc(max_frame + 64);
    uint8_t *r = malloc(max_frame);
    uint64_t seq = o->cli.ch.send_seq;
    for (; len <= 20015; len += 14) {
      size_t fl = max_frame + 64;
      ck_assert_int_eq(kl_kex_client_seal(&o->cli, &o->w.cli_rng, f, &fl, msg, len), KL_OK);
      ck_assert_uint_le(fl, max_frame);
      size_t rl = max_frame;
      ck_assert_int_eq(kl_kex_server_message(&o->w.srv, o->id, 0, r, &rl, f, fl), KL_ERR_LEN);
    }
    /* The refused frames used up no number: the next frame may reuse the
     * first refused one. */
    o->cli.ch.send_seq = seq;
    o->cli.cfg.max_payload = 20000;
    size_t fl = max_frame + 64;
    ck_assert_int_eq(kl_kex_client_seal(&o->cli, &o->w.cli_rng, f, &fl, msg, 20000), KL_OK);
    size_t rl = max_frame;
    ck_assert_int_eq(kl_kex_server_message(&o->w.srv, o->id, 0, r, &rl, f, fl), KL_OK);
    free(msg);
    free(f);
    free(r);
    one_stop(o);
  }
}
END_TEST

START_TEST(reject_rekey_without_valid_auth)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len = sizeof C, al = sizeof auth;
  ck_assert_int_eq(kl_kex_client_rekey_begin(&o->cli, &o->w.cli_rng, C, &C_len, auth, &al), KL_OK);
  /* No authenticator, a short one, one with a flipped bit anywhere. */
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, NULL, 0), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al - 1),
                   KL_ERR_DECRYPT);
  for (size_t i = 0; i < al; i++) {
    auth[i] ^= 0x01;
    ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al), KL_ERR_DECRYPT);
    auth[i] ^= 0x01;
  }
  /* The authenticator bound to another C: a swapped key is refused. */
  C[C_len - 1] ^= 1;
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al), KL_ERR_DECRYPT);
  C[C_len - 1] ^= 1;
  /* The client gives up: old keys still work on both sides. */
  kl_kex_client_rekey_abort(&o->cli);
  still_works(o);
  /* A real rekey, then its authenticator replayed with another key: refused. */
  C_len = sizeof C;
  al = sizeof auth;
  ck_assert_int_eq(kl_kex_client_rekey_begin(&o->cli, &o->w.cli_rng, C, &C_len, auth, &al), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al), KL_OK);
  ck_assert_int_eq(kl_kex_client_rekey_commit(&o->cli), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al), KL_ERR_DECRYPT);
  still_works(o);
  one_stop(o);
}
END_TEST

/* Rekey boundary (docs/protocol.md, Rekey): a frame sealed under the old
 * keys before the rekey is refused after it, whatever its number; the
 * first frame after the 204 is under the new keys in both directions. */
START_TEST(rekey_switches_at_boundary)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  uint8_t old[BUF], C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t old_len, C_len = sizeof C, al = sizeof auth;
  one_seal(o, "sealed under the old keys");
  old_len = o->fl;
  memcpy(old, o->f, old_len);
  kl_kex_client before;
  memcpy(&before, &o->cli, sizeof before);
  ck_assert_int_eq(kl_kex_client_rekey_begin(&o->cli, &o->w.cli_rng, C, &C_len, auth, &al), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, auth, al), KL_OK);
  ck_assert_int_eq(kl_kex_client_rekey_commit(&o->cli), KL_OK);
  /* Its number (below the authenticator's) and its keys are both stale. */
  ck_assert_int_eq(one_send(o, old, old_len), KL_ERR_DECRYPT);
  /* A frame validly sealed under the old keys with a number past the
   * boundary (a copy of the client from before the rekey): refused too. */
  kl_kex_client *stale = malloc(sizeof *stale);
  ck_assert_ptr_nonnull(stale);
  memcpy(stale, &before, sizeof before);
  stale->ch.send_seq = 100;
  old_len = sizeof old;
  ck_assert_int_eq(kl_kex_client_seal(stale, &o->w.cli_rng, old, &old_len, (const uint8_t *)"x", 1),
                   KL_OK);
  ck_assert_int_eq(one_send(o, old, old_len), KL_ERR_DECRYPT);
  kl_wipe(stale, sizeof *stale); /* a shallow copy: its RSA key is o->cli's */
  free(stale);
  /* New keys both ways, and the reply is under the new s2c keys. */
  one_seal(o, "after the boundary");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl), KL_OK);
  ck_assert_uint_eq(o->ol, strlen("after the boundary"));
  ck_assert_uint_eq(o->cli.ch.epoch, 1);
  kl_wipe(&before, sizeof before);
  one_stop(o);
}
END_TEST

START_TEST(reject_bad_arguments)
{
  world w;
  kl_kex_offer *offer = malloc(sizeof *offer);
  world_config(&w, 2);
  /* Hardened without an identity, no rng, key_bits too small. */
  kl_kex_server_config c = w.cfg;
  c.identity = NULL;
  ck_assert_int_eq(kl_kex_server_init(&w.srv, &c), KL_ERR_ARG);
  c = w.cfg;
  c.rng = NULL;
  ck_assert_int_eq(kl_kex_server_init(&w.srv, &c), KL_ERR_ARG);
  c = w.cfg;
  c.key_bits = 512;
  ck_assert_int_eq(kl_kex_server_init(&w.srv, &c), KL_ERR_ARG);
  /* A seed-only server needs no identity and refuses hardened sessions. */
  c = w.cfg;
  c.identity = NULL;
  c.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED);
  ck_assert_int_eq(kl_kex_server_init(&w.srv, &c), KL_OK);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer),
                   KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, (kl_kex_profile)7, 0, offer), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_kex_server_pool_add(&w.srv, KL_KEX_PROFILE_SEED, &hard_key), KL_ERR_ARG);
  ck_assert_int_eq(kl_kex_server_identity(&w.srv, NULL, NULL, NULL), KL_ERR_STATE);
  kl_kex_server_clear(&w.srv);
  /* A client whose profile differs from the offer's. */
  world_start(&w, 1);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_SEED, 0, offer), KL_OK);
  ck_assert_uint_eq(offer->signature_len, 0);
  ck_assert_uint_eq(offer->n_len, 256);
  kl_kex_client cli;
  uint8_t C[512];
  size_t C_len = sizeof C;
  client_init(&cli, KL_KEX_PROFILE_HARDENED);
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len), KL_ERR_UNSUPPORTED);
  kl_kex_client_clear(&cli);
  world_stop(&w);
  free(offer);
}
END_TEST

/* ---- what a transport may ask ---- */

START_TEST(session_info_and_request_budget)
{
  world w;
  kl_kex_client cli;
  kl_kex_session_info info;
  kl_kex_offer *offer = malloc(sizeof *offer);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  world_config(&w, 2);
  w.cfg.idle_timeout_ms = 1000;
  world_start(&w, 1);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    ck_assert_int_eq(kl_kex_server_create(&w.srv, (kl_kex_profile)p, 100, offer), KL_OK);
    const uint8_t *id = offer->session_id;
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 100, &info), KL_OK);
    ck_assert_int_eq(info.profile, p);
    ck_assert_int_eq(info.state, KL_KEX_AWAIT_KEY);
    ck_assert_uint_eq(info.requests, 0);
    ck_assert_uint_eq(info.created_ms, 100);
    /* A budget of 3: three requests counted, the fourth refused, uncounted. */
    for (uint64_t i = 1; i <= 3; i++) {
      ck_assert_int_eq(kl_kex_server_session_request(&w.srv, id, 100, 3, &info), KL_OK);
      ck_assert_uint_eq(info.requests, i);
    }
    ck_assert_int_eq(kl_kex_server_session_request(&w.srv, id, 100, 3, &info), KL_ERR_LIMIT);
    ck_assert_uint_eq(info.requests, 3);
    ck_assert_int_eq(kl_kex_server_session_request(&w.srv, id, 100, 0, NULL), KL_OK);
    /* info neither counts nor touches: last_used stays at creation. */
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 900, &info), KL_OK);
    ck_assert_uint_eq(info.requests, 4);
    ck_assert_uint_eq(info.last_used_ms, 100);
    client_init(&cli, (kl_kex_profile)p);
    C_len = sizeof C;
    ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len), KL_OK);
    ck_assert_int_eq(kl_kex_server_set_key(&w.srv, id, 900, C, C_len), KL_OK);
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 900, &info), KL_OK);
    ck_assert_int_eq(info.state, KL_KEX_ESTABLISHED);
    ck_assert_uint_eq(info.last_used_ms, 900);
    kl_kex_client_clear(&cli);
    /* Idle past the timeout: expired by the lookup itself. */
    ck_assert_int_eq(kl_kex_server_session_info(&w.srv, id, 2000, &info), KL_ERR_NOT_FOUND);
    ck_assert_int_eq(kl_kex_server_session_request(&w.srv, id, 2000, 0, &info), KL_ERR_NOT_FOUND);
  }
  /* Closed: gone. */
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 3000, offer), KL_OK);
  ck_assert_int_eq(kl_kex_server_close(&w.srv, offer->session_id), KL_OK);
  ck_assert_int_eq(kl_kex_server_session_request(&w.srv, offer->session_id, 3000, 0, &info),
                   KL_ERR_NOT_FOUND);
  ck_assert_int_eq(kl_kex_server_session_info(NULL, offer->session_id, 0, &info), KL_ERR_ARG);
  ck_assert_int_eq(kl_kex_server_session_info(&w.srv, offer->session_id, 0, NULL), KL_ERR_ARG);
  world_stop(&w);
  free(offer);
}
END_TEST

/* ---- wiping ---- */

static size_t freed_blocks, dirty_blocks;

static void check_zero(const void *block, size_t size)
{
  const uint8_t *b = block;
  freed_blocks++;
  for (size_t i = 0; i < size; i++) {
    if (b[i] != 0) {
      dirty_blocks++;
      return;
    }
  }
}

START_TEST(no_key_material_in_freed_memory)
{
  /* Every block the server frees (sessions, pooled key structs, plaintext
   * buffers) and every GMP block anyone frees must be all zero by then. */
  freed_blocks = 0;
  dirty_blocks = 0;
  kli_test_set_free_hook(check_zero);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    world w;
    kl_kex_client cli;
    uint8_t id[KL_KEX_ID_BYTES];
    const uint8_t msg[] = "secret text";
    world_config(&w, 3);
    w.cfg.free_hook = check_zero;
    world_start(&w, 3);
    client_init(&cli, (kl_kex_profile)p);
    handshake(&w, &cli, (kl_kex_profile)p, 0, id);
    exchange(&w, &cli, id, 0, msg, sizeof msg);
    do_rekey(&w, &cli, id, 0);
    exchange(&w, &cli, id, 0, msg, sizeof msg);
    ck_assert_int_eq(kl_kex_server_close(&w.srv, id), KL_OK);
    /* A second session left open: clear must wipe it too. */
    kl_kex_client_clear(&cli);
    client_init(&cli, (kl_kex_profile)p);
    handshake(&w, &cli, (kl_kex_profile)p, 0, id);
    kl_kex_client_clear(&cli);
    /* The client struct is all zero after clear. */
    const uint8_t *c = (const uint8_t *)&cli;
    for (size_t i = 0; i < sizeof cli; i++)
      ck_assert_uint_eq(c[i], 0);
    world_stop(&w);
    /* So is the server. */
    const uint8_t *b = (const uint8_t *)&w.srv;
    for (size_t i = 0; i < sizeof w.srv; i++)
      ck_assert_uint_eq(b[i], 0);
  }
  kli_test_set_free_hook(NULL);
  ck_assert_uint_gt(freed_blocks, 20);
  ck_assert_uint_eq(dirty_blocks, 0);
}
END_TEST

/* A handler that writes its reply and then fails (as an application may on
 * a message it cannot serve): the error goes to the caller unchanged, no
 * reply frame is made, and the reply's plaintext is not left in out. */
static kl_err failing_handler(void *user, const kl_kex_app_call *call, uint8_t *reply,
                              size_t *reply_len, const uint8_t *msg, size_t msg_len)
{
  (void)call;
  int *fail_next = user;
  if (msg_len > *reply_len)
    return KL_ERR_LEN;
  memcpy(reply, msg, msg_len);
  *reply_len = msg_len;
  if (*fail_next) {
    *fail_next = 0;
    return KL_ERR_ENCODING;
  }
  return KL_OK;
}

START_TEST(handler_error_wipes_reply)
{
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    static uint8_t frame[BUF], reply[BUF];
    const uint8_t msg[] = "reply plaintext that must not stay behind";
    world w;
    kl_kex_client cli;
    uint8_t id[KL_KEX_ID_BYTES];
    int fail_next = 1;
    world_config(&w, 1);
    w.cfg.handler = failing_handler;
    w.cfg.handler_user = &fail_next;
    world_start(&w, 1);
    client_init(&cli, (kl_kex_profile)p);
    handshake(&w, &cli, (kl_kex_profile)p, 0, id);
    size_t frame_len = sizeof frame, reply_len = sizeof reply;
    ck_assert_int_eq(kl_kex_client_seal(&cli, &w.cli_rng, frame, &frame_len, msg, sizeof msg),
                     KL_OK);
    memset(reply, 0xAA, sizeof reply);
    ck_assert_int_eq(kl_kex_server_message(&w.srv, id, 0, reply, &reply_len, frame, frame_len),
                     KL_ERR_ENCODING);
    size_t max_frame = kl_kex_server_max_frame(&w.srv);
    for (size_t i = 0; i < max_frame; i++)
      ck_assert_uint_eq(reply[i], 0);
    /* The session goes on: the next message is answered. */
    exchange(&w, &cli, id, 0, msg, sizeof msg);
    kl_kex_client_clear(&cli);
    world_stop(&w);
  }
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("kex_server");
  TCase *tc = tcase_create("kex_server");
  tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, hardened_1000_each_way_with_rekey);
  tcase_add_test(tc, seed_1000_each_way_with_rekey);
  tcase_add_test(tc, idle_expiry);
  tcase_add_test(tc, cap_wipes_oldest_idle_first);
  tcase_add_test(tc, hundred_sessions_interleaved);
  tcase_add_test(tc, threads_stress);
  tcase_add_test(tc, threads_set_key_race);
  tcase_add_test(tc, reject_unknown_session);
  tcase_add_test(tc, reject_key_set_twice);
  tcase_add_test(tc, reject_message_before_key);
  tcase_add_test(tc, reject_wrong_session);
  tcase_add_test(tc, reject_oversize_frame);
  tcase_add_test(tc, reject_payload_over_max);
  tcase_add_test(tc, reject_rekey_without_valid_auth);
  tcase_add_test(tc, rekey_switches_at_boundary);
  tcase_add_test(tc, reject_bad_arguments);
  tcase_add_test(tc, session_info_and_request_budget);
  tcase_add_test(tc, no_key_material_in_freed_memory);
  tcase_add_test(tc, handler_error_wipes_reply);
  tcase_add_test(tc, node_in_session_ids);
  suite_add_tcase(s, tc);
  return s;
}
