/* test_kex.c: the key-exchange protocol (src/kex/): both profiles end to end
 * (handshake, 1,000 messages each way, a rekey in the middle, automatic
 * rekeying), expiry and the session cap, 100 interleaved sessions, a
 * multi-threaded stress test of the server object, every rejection in its
 * own test, the attacks of `kexlab demo attack` against both profiles, ids,
 * frame layout, and wiping (no key material in freed memory).
 * Speed: RSA keys are made once (unchecked fixture) and copied into the
 * servers' pools with kl_kex_server_pool_add, so no test waits on key
 * generation: 1024-bit keys for the identity and hardened sessions, 2048
 * for the seed profile (its size by definition).
 * Interop with openssl and python3-cryptography: test_kex_interop.c. */
#include <gmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/drbg.h"
#include "kexlab/kex.h"
#include "kexlab/keyfile.h"
#include "kexlab/oaep.h"
#include "test_util.h"

/* ---- fixture: keys made once, in the parent process ---- */

static kl_rsa_priv identity_key;   /* 1024 bits */
static kl_rsa_priv other_identity; /* 1024 bits: a man in the middle's */
static kl_rsa_priv hard_key;       /* 1024 bits: hardened session pairs */
static kl_rsa_priv seed_key;       /* 2048 bits: seed session pairs */
static kl_rsa_pub identity_pub;

static void make_key(kl_rsa_priv *k, kl_rng *rng, unsigned bits)
{
  kl_rsa_priv_init(k);
  ck_assert_int_eq(kl_rsa_keygen(k, rng, bits, NULL, 0, NULL), KL_OK);
}

static void keys_setup(void)
{
  kl_hmac_drbg d;
  kl_rng rng;
  const uint8_t seed[] = "test_kex fixture keys";
  ck_assert_int_eq(kl_rng_seeded(&rng, &d, seed, sizeof seed - 1), KL_OK);
  make_key(&identity_key, &rng, 1024);
  make_key(&other_identity, &rng, 1024);
  make_key(&hard_key, &rng, 1024);
  make_key(&seed_key, &rng, 2048);
  kl_rsa_pub_init(&identity_pub);
  kl_rsa_priv_to_pub(&identity_pub, &identity_key);
  kl_hmac_drbg_clear(&d);
}

static void keys_teardown(void)
{
  kl_rsa_priv_clear(&identity_key);
  kl_rsa_priv_clear(&other_identity);
  kl_rsa_priv_clear(&hard_key);
  kl_rsa_priv_clear(&seed_key);
  kl_rsa_pub_clear(&identity_pub);
}

/* ---- helpers ---- */

/* A test world: one server, one seeded generator for it, one for clients. */
typedef struct world {
  kl_kex_server srv;
  kl_kex_server_config cfg;
  kl_hmac_drbg srv_d, cli_d;
  kl_rng srv_rng, cli_rng;
} world;

static void world_config(world *w, size_t pool)
{
  const uint8_t s1[] = "server", s2[] = "client";
  ck_assert_int_eq(kl_rng_seeded(&w->srv_rng, &w->srv_d, s1, sizeof s1 - 1), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&w->cli_rng, &w->cli_d, s2, sizeof s2 - 1), KL_OK);
  kl_kex_server_config_default(&w->cfg);
  w->cfg.rng = &w->srv_rng;
  w->cfg.identity = &identity_key;
  w->cfg.key_bits = 1024;
  w->cfg.pool_size = pool;
  w->cfg.max_payload = 20000;
}

/* Start the server and put `per_profile` copies of the fixture keys in each pool. */
static void world_start(world *w, size_t per_profile)
{
  ck_assert_int_eq(kl_kex_server_init(&w->srv, &w->cfg), KL_OK);
  for (size_t i = 0; i < per_profile; i++) {
    if (w->cfg.profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED))
      ck_assert_int_eq(kl_kex_server_pool_add(&w->srv, KL_KEX_PROFILE_HARDENED, &hard_key), KL_OK);
    if (w->cfg.profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED))
      ck_assert_int_eq(kl_kex_server_pool_add(&w->srv, KL_KEX_PROFILE_SEED, &seed_key), KL_OK);
  }
}

static void world_stop(world *w)
{
  kl_kex_server_clear(&w->srv);
  kl_hmac_drbg_clear(&w->srv_d);
  kl_hmac_drbg_clear(&w->cli_d);
}

static void client_init(kl_kex_client *cli, kl_kex_profile p)
{
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &identity_pub;
  cc.max_payload = 20000;
  ck_assert_int_eq(kl_kex_client_init(cli, &cc), KL_OK);
}

/* Create a session and hand its key over; returns the offer's id in id. */
static void handshake(world *w, kl_kex_client *cli, kl_kex_profile p, uint64_t now,
                      uint8_t id[KL_KEX_ID_BYTES])
{
  kl_kex_offer *offer = malloc(sizeof *offer);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  ck_assert_ptr_nonnull(offer);
  ck_assert_int_eq(kl_kex_server_create(&w->srv, p, now, offer), KL_OK);
  ck_assert_int_eq(kl_kex_client_handshake(cli, &w->cli_rng, offer, C, &C_len), KL_OK);
  ck_assert_int_eq(kl_kex_server_set_key(&w->srv, offer->session_id, now, C, C_len), KL_OK);
  memcpy(id, offer->session_id, KL_KEX_ID_BYTES);
  free(offer);
}

/* Buffers big enough for any frame of the test servers (max_payload 20000). */
enum { BUF = 20200 };

/* One request and its reply; the echo application must return the payload. */
static void exchange(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES],
                     uint64_t now, const uint8_t *msg, size_t len)
{
  static uint8_t frame[BUF], reply[BUF], back[BUF];
  size_t frame_len = sizeof frame, reply_len = sizeof reply, back_len = sizeof back;
  ck_assert_int_eq(kl_kex_client_seal(cli, &w->cli_rng, frame, &frame_len, msg, len), KL_OK);
  ck_assert_uint_eq(frame_len, kl_kex_frame_len(cli->cfg.profile, len));
  ck_assert_int_eq(kl_kex_server_message(&w->srv, id, now, reply, &reply_len, frame, frame_len),
                   KL_OK);
  ck_assert_int_eq(kl_kex_client_open(cli, back, &back_len, reply, reply_len), KL_OK);
  ck_assert_uint_eq(back_len, len);
  ck_assert(len == 0 || memcmp(back, msg, len) == 0);
}

static void do_rekey(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now)
{
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len = sizeof C, auth_len = sizeof auth;
  ck_assert_int_eq(kl_kex_client_rekey_begin(cli, &w->cli_rng, C, &C_len, auth, &auth_len), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&w->srv, id, now, C, C_len, auth, auth_len), KL_OK);
  ck_assert_int_eq(kl_kex_client_rekey_commit(cli), KL_OK);
}

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

START_TEST(large_payload_both_profiles)
{
  world w;
  world_config(&w, 2);
  world_start(&w, 1);
  static uint8_t msg[20000];
  th_prng r;
  th_prng_init(&r, 2);
  th_prng_bytes(&r, msg, sizeof msg);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    kl_kex_client cli;
    uint8_t id[KL_KEX_ID_BYTES];
    client_init(&cli, (kl_kex_profile)p);
    handshake(&w, &cli, (kl_kex_profile)p, 5, id);
    exchange(&w, &cli, id, 5, msg, sizeof msg); /* exactly max_payload */
    /* Over max_payload: the client refuses to seal it. */
    uint8_t *big = malloc(BUF + 64);
    size_t big_len = BUF + 64;
    ck_assert_int_eq(kl_kex_client_seal(&cli, &w.cli_rng, big, &big_len, msg, 0), KL_OK);
    big_len = BUF + 64;
    ck_assert_int_eq(kl_kex_client_seal(&cli, &w.cli_rng, big, &big_len, big, 20001), KL_ERR_LEN);
    free(big);
    kl_kex_client_clear(&cli);
  }
  world_stop(&w);
}
END_TEST

START_TEST(auto_rekey_after_messages_and_bytes)
{
  world w;
  world_config(&w, 2);
  world_start(&w, 1);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    kl_kex_client cli;
    kl_kex_client_config cc;
    uint8_t id[KL_KEX_ID_BYTES];
    uint8_t msg[100] = {0};
    kl_kex_client_config_default(&cc);
    cc.profile = (kl_kex_profile)p;
    cc.identity = &identity_pub;
    cc.rekey_after_messages = 10;
    cc.rekey_after_bytes = 450;
    ck_assert_int_eq(kl_kex_client_init(&cli, &cc), KL_OK);
    handshake(&w, &cli, (kl_kex_profile)p, 1, id);
    int rekeys = 0;
    for (int i = 0; i < 60; i++) {
      if (kl_kex_client_rekey_due(&cli)) {
        do_rekey(&w, &cli, id, 1);
        rekeys++;
      }
      /* 100-byte messages: the byte limit (450) triggers after 5; the count (10) never. */
      exchange(&w, &cli, id, 1, msg, sizeof msg);
    }
    ck_assert_int_eq(rekeys, 11); /* before messages 5, 10, ..., 55 */
    ck_assert_uint_eq(cli.ch.epoch, 11);
    kl_kex_client_clear(&cli);

    /* The message count alone (no byte limit): 7 messages, then a rekey. */
    cc.rekey_after_messages = 7;
    cc.rekey_after_bytes = 0;
    ck_assert_int_eq(kl_kex_client_init(&cli, &cc), KL_OK);
    handshake(&w, &cli, (kl_kex_profile)p, 1, id);
    rekeys = 0;
    for (int i = 0; i < 60; i++) {
      ck_assert_int_eq(kl_kex_client_rekey_due(&cli), i > 0 && i % 7 == 0);
      if (kl_kex_client_rekey_due(&cli)) {
        do_rekey(&w, &cli, id, 1);
        rekeys++;
      }
      exchange(&w, &cli, id, 1, msg, sizeof msg);
    }
    ck_assert_int_eq(rekeys, 8); /* before messages 7, 14, ..., 56 */
    ck_assert_uint_eq(cli.ch.epoch, 8);
    kl_kex_client_clear(&cli);
  }
  world_stop(&w);
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
  enum { N = 100 };
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
static void *sweeper_thread(void *p)
{
  stress_arg *a = p;
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
static void *filler_thread(void *p)
{
  stress_arg *a = p;
  size_t added = 0;
  if (kl_kex_server_pool_fill(a->srv, NULL, 1, &added) != KL_OK || added != 1)
    a->failures++;
  return NULL;
}

START_TEST(threads_stress)
{
  enum { T = 6 };
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
                                    i < T ? stress_thread : i == T ? sweeper_thread : filler_thread,
                                    &args[i]), 0);
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

/* A hardened (or seed) world with one established session. */
typedef struct one {
  world w;
  kl_kex_client cli;
  uint8_t id[KL_KEX_ID_BYTES];
  uint8_t f[BUF], r[BUF], out[BUF];
  size_t fl, rl, ol;
} one;

static one *one_start(kl_kex_profile p)
{
  one *o = calloc(1, sizeof *o);
  ck_assert_ptr_nonnull(o);
  world_config(&o->w, 4);
  world_start(&o->w, 2);
  client_init(&o->cli, p);
  handshake(&o->w, &o->cli, p, 0, o->id);
  return o;
}

static void one_stop(one *o)
{
  kl_kex_client_clear(&o->cli);
  world_stop(&o->w);
  free(o);
}

/* Seal msg into o->f. */
static void one_seal(one *o, const char *msg)
{
  o->fl = sizeof o->f;
  ck_assert_int_eq(kl_kex_client_seal(&o->cli, &o->w.cli_rng, o->f, &o->fl,
                                      (const uint8_t *)msg, strlen(msg)), KL_OK);
}

static kl_err one_send(one *o, const uint8_t *frame, size_t len)
{
  o->rl = sizeof o->r;
  return kl_kex_server_message(&o->w.srv, o->id, 0, o->r, &o->rl, frame, len);
}

/* The session still works after a rejection: a fresh frame goes through. */
static void still_works(one *o)
{
  const uint8_t msg[] = "still here";
  exchange(&o->w, &o->cli, o->id, 0, msg, sizeof msg);
}

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

static void truncated(kl_kex_profile p)
{
  one *o = one_start(p);
  one_seal(o, "a message of some length, two blocks");
  /* Every shorter prefix, and an empty frame. */
  for (size_t n = 0; n < o->fl; n++) {
    kl_err err = one_send(o, o->f, n);
    /* Seed: a prefix that keeps whole blocks may still decrypt to valid
     * padding by chance (nothing authenticates it); hardened: never. */
    if (p == KL_KEX_PROFILE_HARDENED || n % 16 != 0)
      ck_assert_int_eq(err, KL_ERR_DECRYPT);
  }
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK); /* the whole frame, still in sequence */
  one_stop(o);
}

START_TEST(reject_truncated_frame)
{
  truncated(KL_KEX_PROFILE_HARDENED);
}
END_TEST

START_TEST(reject_bad_tag)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  one_seal(o, "tamper with me");
  /* Flip each bit of the frame in turn: every one is rejected. */
  for (size_t i = 0; i < o->fl; i++) {
    for (int b = 0; b < 8; b++) {
      o->f[i] ^= (uint8_t)(1u << b);
      ck_assert_int_eq(one_send(o, o->f, o->fl), KL_ERR_DECRYPT);
      o->f[i] ^= (uint8_t)(1u << b);
    }
  }
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&o->w.srv, &st);
  ck_assert_uint_eq(st.rejected, o->fl * 8);
  one_stop(o);
}
END_TEST

START_TEST(reject_replay)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  one_seal(o, "pay 100 to bob");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  uint8_t reply[BUF];
  size_t reply_len = o->rl;
  memcpy(reply, o->r, reply_len);
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, reply, reply_len), KL_OK);
  /* The request again: refused. */
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_ERR_DECRYPT);
  /* The client accepts the reply only once, too. */
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, reply, reply_len), KL_ERR_DECRYPT);
  still_works(o);
  /* Replayed after later traffic: still refused. */
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_ERR_DECRYPT);
  one_stop(o);
}
END_TEST

START_TEST(reject_reordering)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  uint8_t first[BUF];
  one_seal(o, "first");
  size_t first_len = o->fl;
  memcpy(first, o->f, first_len);
  one_seal(o, "second");
  /* The second arrives first: accepted (a gap is allowed); then the first
   * comes late, out of order: refused. */
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  ck_assert_int_eq(one_send(o, first, first_len), KL_ERR_DECRYPT);
  /* The same on the client side: two replies opened in reverse order. */
  uint8_t r1[BUF];
  size_t r1_len;
  one_seal(o, "third");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  r1_len = o->rl;
  memcpy(r1, o->r, r1_len);
  one_seal(o, "fourth");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl), KL_OK);
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, r1, r1_len), KL_ERR_DECRYPT);
  still_works(o); /* both sides keep the session after the rejections */
  one_stop(o);
}
END_TEST

START_TEST(reject_wrong_direction)
{
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  one_seal(o, "ping");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  /* The server's reply sent back to the server (type 02, s2c keys). */
  ck_assert_int_eq(one_send(o, o->r, o->rl), KL_ERR_DECRYPT);
  /* The client's own request fed to the client. */
  o->ol = sizeof o->out;
  ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->f, o->fl), KL_ERR_DECRYPT);
  /* Only the type byte changed to "c2s" on a reply: still rejected (tag, keys). */
  o->r[1] = KL_KEX_TYPE_DATA_C2S;
  ck_assert_int_eq(one_send(o, o->r, o->rl), KL_ERR_DECRYPT);
  still_works(o); /* both sides keep the session after the rejections */
  one_stop(o);
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
  ck_assert_int_eq(kl_kex_client_seal(stale, &o->w.cli_rng, old, &old_len,
                                      (const uint8_t *)"x", 1), KL_OK);
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

START_TEST(reject_wrong_identity_signature)
{
  world w;
  kl_kex_offer *offer = malloc(sizeof *offer);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len;
  world_config(&w, 2);
  world_start(&w, 2);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, offer), KL_OK);

  /* 1. A flipped signature bit. */
  kl_kex_client cli;
  client_init(&cli, KL_KEX_PROFILE_HARDENED);
  offer->signature[10] ^= 0x20;
  C_len = sizeof C;
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len), KL_ERR_VERIFY);
  offer->signature[10] ^= 0x20;
  kl_kex_client_clear(&cli);

  /* 2. Signed by another key (a man in the middle with his own identity). */
  client_init(&cli, KL_KEX_PROFILE_HARDENED);
  offer->signature_len = sizeof offer->signature;
  ck_assert_int_eq(kl_kex_identity_sign(&other_identity, &w.cli_rng, offer->signature,
                                        &offer->signature_len, offer->session_id, offer->spki,
                                        offer->spki_len), KL_OK);
  C_len = sizeof C;
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len), KL_ERR_VERIFY);
  kl_kex_client_clear(&cli);

  /* 3. Pinned by fingerprint: the offer's identity SPKI must hash to the pin. */
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  ck_assert_int_eq(kl_kex_fingerprint(cc.pin, &identity_pub), KL_OK);
  cc.has_pin = 1;
  kl_kex_offer *good = malloc(sizeof *good);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, KL_KEX_PROFILE_HARDENED, 0, good), KL_OK);
  ck_assert_int_eq(kl_kex_client_init(&cli, &cc), KL_OK);
  C_len = sizeof C;
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, good, C, &C_len), KL_OK);
  kl_kex_client_clear(&cli);
  cc.pin[0] ^= 1; /* a wrong pin */
  ck_assert_int_eq(kl_kex_client_init(&cli, &cc), KL_OK);
  C_len = sizeof C;
  ck_assert_int_eq(kl_kex_client_handshake(&cli, &w.cli_rng, good, C, &C_len), KL_ERR_VERIFY);
  kl_kex_client_clear(&cli);
  /* No pin and no identity: a hardened client cannot be made. */
  kl_kex_client_config_default(&cc);
  ck_assert_int_eq(kl_kex_client_init(&cli, &cc), KL_ERR_ARG);

  /* The server's identity as GET /v1/identity gives it. */
  uint8_t spki[KL_KEX_MAX_SPKI_BYTES], fp[32], fp2[32];
  size_t spki_len = sizeof spki;
  ck_assert_int_eq(kl_kex_server_identity(&w.srv, spki, &spki_len, fp), KL_OK);
  ck_assert_int_eq(kl_kex_fingerprint(fp2, &identity_pub), KL_OK);
  ck_assert_mem_eq(fp, fp2, 32);
  world_stop(&w);
  free(offer);
  free(good);
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

/* ---- the attacks of `kexlab demo attack`, as tests ---- */

/* Bit flipping: flip bit 0 of ciphertext block 0's IV. In CBC, P1 = D(C1) ^ IV,
 * so the same bit of plaintext byte 0 flips and nothing notices (seed); the
 * MAC notices (hardened). */
static void bitflip(kl_kex_profile p)
{
  one *o = one_start(p);
  one_seal(o, "pay 100 to bob");
  kl_kex_frame_view v;
  ck_assert_int_eq(kl_kex_frame_parse(&v, p, o->f, o->fl), KL_OK);
  size_t iv_off = (size_t)(v.iv - o->f);
  o->f[iv_off] ^= 'p' ^ 'P'; /* "pay" -> "Pay" */
  o->f[iv_off + 4] ^= '1' ^ '9'; /* "100" -> "900" */
  kl_err err = one_send(o, o->f, o->fl);
  if (p == KL_KEX_PROFILE_SEED) {
    ck_assert_int_eq(err, KL_OK);
    o->ol = sizeof o->out;
    ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl), KL_OK);
    ck_assert_uint_eq(o->ol, 14);
    ck_assert_mem_eq(o->out, "Pay 900 to bob", 14); /* the echo shows what the server read */
  } else {
    ck_assert_int_eq(err, KL_ERR_DECRYPT);
    still_works(o);
  }
  one_stop(o);
}

START_TEST(attack_bitflip_seed_succeeds)
{
  bitflip(KL_KEX_PROFILE_SEED);
}
END_TEST

START_TEST(attack_bitflip_hardened_fails)
{
  bitflip(KL_KEX_PROFILE_HARDENED);
}
END_TEST

START_TEST(attack_replay_seed_succeeds)
{
  one *o = one_start(KL_KEX_PROFILE_SEED);
  one_seal(o, "pay 100 to bob");
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK); /* accepted twice */
  one_stop(o);
}
END_TEST

START_TEST(attack_seed_truncated_and_rekey_hijack)
{
  /* Seed: truncations give the one error; anyone can rekey (no auth). */
  truncated(KL_KEX_PROFILE_SEED);
  one *o = one_start(KL_KEX_PROFILE_SEED);
  kl_kex_client mallory;
  client_init(&mallory, KL_KEX_PROFILE_SEED);
  /* Mallory knows only the id and the public key (the offer). */
  kl_kex_offer *offer = calloc(1, sizeof *offer);
  offer->profile = KL_KEX_PROFILE_SEED;
  memcpy(offer->session_id, o->id, KL_KEX_ID_BYTES);
  offer->n_len = kl_rsa_modulus_len(seed_key.n);
  ck_assert_int_eq(kl_i2osp(offer->n, offer->n_len, seed_key.n), KL_OK);
  offer->e_len = 3;
  ck_assert_int_eq(kl_i2osp(offer->e, 3, seed_key.e), KL_OK);
  uint8_t C[256];
  size_t C_len = sizeof C;
  ck_assert_int_eq(kl_kex_client_handshake(&mallory, &o->w.cli_rng, offer, C, &C_len), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&o->w.srv, o->id, 0, C, C_len, NULL, 0), KL_OK);
  /* The real client is locked out; Mallory now talks in its name. */
  one_seal(o, "hello, it is me");
  kl_err e = one_send(o, o->f, o->fl); /* wrong key: bad padding, or garbage */
  if (e == KL_OK) {
    o->ol = sizeof o->out;
    e = kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl);
    ck_assert(e != KL_OK || o->ol != 15 || memcmp(o->out, "hello, it is me", 15) != 0);
  } else {
    ck_assert_int_eq(e, KL_ERR_DECRYPT);
  }
  const uint8_t m[] = "mallory";
  exchange(&o->w, &mallory, o->id, 0, m, sizeof m);
  kl_kex_client_clear(&mallory);
  free(offer);
  one_stop(o);
}
END_TEST

/* Man in the middle: Mallory swaps the session key for her own and re-signs
 * nothing (she cannot): the hardened client refuses; the seed client, which
 * has nothing to check, wraps K for Mallory. */
static void mitm(kl_kex_profile p)
{
  world w;
  kl_kex_offer *offer = malloc(sizeof *offer);
  kl_kex_client cli;
  uint8_t C[512];
  size_t C_len = sizeof C;
  const kl_rsa_priv *mallory = &other_identity; /* not the session's key */
  world_config(&w, 2);
  world_start(&w, 1);
  ck_assert_int_eq(kl_kex_server_create(&w.srv, p, 0, offer), KL_OK);
  /* Mallory's modulus in place of the session's; the signature is left as
   * it was (she cannot make one). The seed client accepts any size >= 1024. */
  offer->n_len = kl_rsa_modulus_len(mallory->n);
  ck_assert_int_eq(kl_i2osp(offer->n, offer->n_len, mallory->n), KL_OK);
  client_init(&cli, p);
  kl_err err = kl_kex_client_handshake(&cli, &w.cli_rng, offer, C, &C_len);
  if (p == KL_KEX_PROFILE_SEED) {
    ck_assert_int_eq(err, KL_OK);
    /* Mallory unwraps K with her private key: she has the session key. */
    kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
    uint8_t K[256];
    size_t K_len = sizeof K;
    ck_assert_int_eq(kl_rsa_oaep_decrypt(mallory, &params, &w.cli_rng, NULL, K, &K_len, C, C_len),
                     KL_OK);
    ck_assert_uint_eq(K_len, 32);
  } else {
    ck_assert_int_eq(err, KL_ERR_VERIFY);
  }
  kl_kex_client_clear(&cli);
  world_stop(&w);
  free(offer);
}

START_TEST(attack_mitm_seed_succeeds)
{
  mitm(KL_KEX_PROFILE_SEED);
}
END_TEST

START_TEST(attack_mitm_hardened_fails)
{
  mitm(KL_KEX_PROFILE_HARDENED);
}
END_TEST

/* ---- ids, frames ---- */

START_TEST(id_format_and_parse)
{
  /* RFC 9562 App. A.4's example UUIDv4. */
  const char *s = "919108f7-52d1-4320-9bac-f847db4148a8";
  uint8_t id[16], id2[16];
  char out[37];
  ck_assert_int_eq(kl_kex_id_parse(id, s, strlen(s)), KL_OK);
  th_assert_hex(id, 16, "919108f752d143209bacf847db4148a8");
  kl_kex_id_format(out, id);
  ck_assert_str_eq(out, s);
  ck_assert_int_eq(kl_kex_id_parse(id2, "919108F7-52D1-4320-9BAC-F847DB4148A8", 36), KL_OK);
  ck_assert_mem_eq(id, id2, 16);
  const char *bad[] = {"919108f7-52d1-4320-9bac-f847db4148a", "919108f7x52d1-4320-9bac-f847db4148a8",
                       "919108f7-52d1-4320-9bac-f847db4148ag", "{919108f7-52d1-4320-9bac-f847db4148}",
                       ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_int_eq(kl_kex_id_parse(id2, bad[i], strlen(bad[i])), KL_ERR_ENCODING);
  /* New ids: version 4, variant 10. */
  kl_hmac_drbg d;
  kl_rng rng;
  ck_assert_int_eq(kl_rng_seeded(&rng, &d, (const uint8_t *)"ids", 3), KL_OK);
  for (int i = 0; i < 100; i++) {
    ck_assert_int_eq(kl_kex_id_new(id, &rng), KL_OK);
    ck_assert_uint_eq(id[6] >> 4, 4);
    ck_assert_uint_eq(id[8] >> 6, 2);
    kl_kex_id_format(out, id);
    ck_assert_int_eq(out[14], '4');
    ck_assert(strchr("89ab", out[19]) != NULL);
  }
  kl_hmac_drbg_clear(&d);
  kl_kex_profile p;
  ck_assert_int_eq(kl_kex_profile_from_name("seed", &p), KL_OK);
  ck_assert_int_eq(p, KL_KEX_PROFILE_SEED);
  ck_assert_int_eq(kl_kex_profile_from_name("Hardened", &p), KL_ERR_UNSUPPORTED);
  ck_assert_str_eq(kl_kex_profile_name(KL_KEX_PROFILE_HARDENED), "hardened");
}
END_TEST

START_TEST(frame_layout)
{
  /* Lengths from docs/protocol.md: PKCS#7 always pads, 1..16 bytes. */
  ck_assert_uint_eq(kl_kex_frame_len(KL_KEX_PROFILE_SEED, 0), 32);
  ck_assert_uint_eq(kl_kex_frame_len(KL_KEX_PROFILE_SEED, 15), 32);
  ck_assert_uint_eq(kl_kex_frame_len(KL_KEX_PROFILE_SEED, 16), 48);
  ck_assert_uint_eq(kl_kex_frame_len(KL_KEX_PROFILE_HARDENED, 0), 90);
  ck_assert_uint_eq(kl_kex_frame_len(KL_KEX_PROFILE_HARDENED, 64), 26 + 16 + 80 + 32);
  one *o = one_start(KL_KEX_PROFILE_HARDENED);
  one_seal(o, "0123456789abcdef0123"); /* 20 bytes: 2 blocks */
  kl_kex_frame_view v;
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_HARDENED, o->f, o->fl), KL_OK);
  ck_assert_uint_eq(o->fl, 26 + 16 + 32 + 32);
  ck_assert_uint_eq(v.version, 1);
  ck_assert_uint_eq(v.type, KL_KEX_TYPE_DATA_C2S);
  ck_assert_mem_eq(v.session_id, o->id, 16);
  ck_assert_uint_eq(v.seq, 0);
  ck_assert_ptr_eq(v.iv, o->f + 26);
  ck_assert_uint_eq(v.ciphertext_len, 32);
  ck_assert_ptr_eq(v.tag, o->f + o->fl - 32);
  ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_HARDENED, o->r, o->rl), KL_OK);
  ck_assert_uint_eq(v.type, KL_KEX_TYPE_DATA_S2C);
  ck_assert_uint_eq(v.seq, 0);
  one_seal(o, "x");
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_HARDENED, o->f, o->fl), KL_OK);
  ck_assert_uint_eq(v.seq, 1);
  /* Malformed lengths. */
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_HARDENED, o->f, 89), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_HARDENED, o->f, 91), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_SEED, o->f, 31), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_kex_frame_parse(&v, KL_KEX_PROFILE_SEED, o->f, 40), KL_ERR_DECRYPT);
  one_stop(o);
}
END_TEST

/* ---- the pool: prepared entries ---- */

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
    ck_assert_int_eq(kl_kex_server_session_request(&w.srv, id, 2000, 0, &info),
                     KL_ERR_NOT_FOUND);
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

START_TEST(open_capacity)
{
  /* kl_kex_client_open needs the ciphertext length, at most payload + 16:
   * payload + 64 (what the transport once passed) is plenty, and
   * kl_kex_open_max(max_payload) holds any frame the client accepts. */
  ck_assert_uint_eq(kl_kex_open_max(0), 16);
  ck_assert_uint_eq(kl_kex_open_max(15), 16);
  ck_assert_uint_eq(kl_kex_open_max(16), 32);
  ck_assert_uint_eq(kl_kex_open_max(20000), 20016);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    one *o = one_start((kl_kex_profile)p);
    const size_t lens[] = {0, 1, 15, 16, 17, 1000};
    uint8_t msg[1000];
    memset(msg, 'q', sizeof msg);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
      size_t len = lens[i];
      o->fl = sizeof o->f;
      ck_assert_int_eq(kl_kex_client_seal(&o->cli, &o->w.cli_rng, o->f, &o->fl, msg, len), KL_OK);
      ck_assert_int_eq(one_send(o, o->f, o->fl), KL_OK);
      /* One byte short of the ciphertext: refused, told the need, unchanged. */
      size_t need = kl_kex_open_max(len);
      o->ol = need - 1;
      ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl),
                       KL_ERR_BUF_TOO_SMALL);
      ck_assert_uint_eq(o->ol, need);
      o->ol = len + 64 < need ? need : len + 64;
      ck_assert_int_eq(kl_kex_client_open(&o->cli, o->out, &o->ol, o->r, o->rl), KL_OK);
      ck_assert_uint_eq(o->ol, len);
    }
    one_stop(o);
  }
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
  kl_test_set_free_hook(check_zero);
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
  kl_test_set_free_hook(NULL);
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
  Suite *s = suite_create("kex");
  TCase *tc = tcase_create("kex");
  tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, hardened_1000_each_way_with_rekey);
  tcase_add_test(tc, seed_1000_each_way_with_rekey);
  tcase_add_test(tc, large_payload_both_profiles);
  tcase_add_test(tc, auto_rekey_after_messages_and_bytes);
  tcase_add_test(tc, idle_expiry);
  tcase_add_test(tc, cap_wipes_oldest_idle_first);
  tcase_add_test(tc, hundred_sessions_interleaved);
  tcase_add_test(tc, threads_stress);
  tcase_add_test(tc, threads_set_key_race);
  tcase_add_test(tc, reject_unknown_session);
  tcase_add_test(tc, reject_key_set_twice);
  tcase_add_test(tc, reject_message_before_key);
  tcase_add_test(tc, reject_truncated_frame);
  tcase_add_test(tc, reject_bad_tag);
  tcase_add_test(tc, reject_replay);
  tcase_add_test(tc, reject_reordering);
  tcase_add_test(tc, reject_wrong_direction);
  tcase_add_test(tc, reject_wrong_session);
  tcase_add_test(tc, reject_oversize_frame);
  tcase_add_test(tc, reject_rekey_without_valid_auth);
  tcase_add_test(tc, rekey_switches_at_boundary);
  tcase_add_test(tc, reject_wrong_identity_signature);
  tcase_add_test(tc, reject_bad_arguments);
  tcase_add_test(tc, attack_bitflip_seed_succeeds);
  tcase_add_test(tc, attack_bitflip_hardened_fails);
  tcase_add_test(tc, attack_replay_seed_succeeds);
  tcase_add_test(tc, attack_seed_truncated_and_rekey_hijack);
  tcase_add_test(tc, attack_mitm_seed_succeeds);
  tcase_add_test(tc, attack_mitm_hardened_fails);
  tcase_add_test(tc, id_format_and_parse);
  tcase_add_test(tc, frame_layout);
  tcase_add_test(tc, no_key_material_in_freed_memory);
  tcase_add_test(tc, handler_error_wipes_reply);
  tcase_add_test(tc, pool_create_does_no_private_operation);
  tcase_add_test(tc, pool_ids_distinct_and_checked_on_use);
  tcase_add_test(tc, pool_entries_wiped_when_discarded);
  tcase_add_test(tc, session_info_and_request_budget);
  tcase_add_test(tc, open_capacity);
  suite_add_tcase(s, tc);
  return s;
}
