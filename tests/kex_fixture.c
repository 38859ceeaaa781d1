/* kex_fixture.c: the set-up shared by the test_kex_*.c suites (see
 * kex_fixture.h): fixture keys, test worlds, handshakes and exchanges. */
#include <stdlib.h>
#include <string.h>

#include "kex_fixture.h"

/* ---- fixture: keys made once, in the parent process ---- */

kl_rsa_priv identity_key;
kl_rsa_priv other_identity;
kl_rsa_priv hard_key;
kl_rsa_priv seed_key;
kl_rsa_pub identity_pub;

static void make_key(kl_rsa_priv *k, kl_rng *rng, unsigned bits)
{
  kl_rsa_priv_init(k);
  ck_assert_int_eq(kl_rsa_keygen(k, rng, bits, NULL, 0, NULL), KL_OK);
}

void keys_setup(void)
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

void keys_teardown(void)
{
  kl_rsa_priv_clear(&identity_key);
  kl_rsa_priv_clear(&other_identity);
  kl_rsa_priv_clear(&hard_key);
  kl_rsa_priv_clear(&seed_key);
  kl_rsa_pub_clear(&identity_pub);
}

/* ---- helpers ---- */

void world_config(world *w, size_t pool)
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
void world_start(world *w, size_t per_profile)
{
  ck_assert_int_eq(kl_kex_server_init(&w->srv, &w->cfg), KL_OK);
  for (size_t i = 0; i < per_profile; i++) {
    if (w->cfg.profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED))
      ck_assert_int_eq(kl_kex_server_pool_add(&w->srv, KL_KEX_PROFILE_HARDENED, &hard_key), KL_OK);
    if (w->cfg.profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED))
      ck_assert_int_eq(kl_kex_server_pool_add(&w->srv, KL_KEX_PROFILE_SEED, &seed_key), KL_OK);
  }
}

void world_stop(world *w)
{
  kl_kex_server_clear(&w->srv);
  kl_hmac_drbg_clear(&w->srv_d);
  kl_hmac_drbg_clear(&w->cli_d);
}

void client_init(kl_kex_client *cli, kl_kex_profile p)
{
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &identity_pub;
  cc.max_payload = 20000;
  ck_assert_int_eq(kl_kex_client_init(cli, &cc), KL_OK);
}

/* Create a session and hand its key over; returns the offer's id in id. */
void handshake(world *w, kl_kex_client *cli, kl_kex_profile p, uint64_t now,
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

/* One request and its reply; the echo application must return the payload. */
void exchange(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now,
              const uint8_t *msg, size_t len)
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

void do_rekey(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now)
{
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len = sizeof C, auth_len = sizeof auth;
  ck_assert_int_eq(kl_kex_client_rekey_begin(cli, &w->cli_rng, C, &C_len, auth, &auth_len), KL_OK);
  ck_assert_int_eq(kl_kex_server_rekey(&w->srv, id, now, C, C_len, auth, auth_len), KL_OK);
  ck_assert_int_eq(kl_kex_client_rekey_commit(cli), KL_OK);
}

/* ---- one established session ---- */

one *one_start(kl_kex_profile p)
{
  one *o = calloc(1, sizeof *o);
  ck_assert_ptr_nonnull(o);
  world_config(&o->w, 4);
  world_start(&o->w, 2);
  client_init(&o->cli, p);
  handshake(&o->w, &o->cli, p, 0, o->id);
  return o;
}

void one_stop(one *o)
{
  kl_kex_client_clear(&o->cli);
  world_stop(&o->w);
  free(o);
}

/* Seal msg into o->f. */
void one_seal(one *o, const char *msg)
{
  o->fl = sizeof o->f;
  ck_assert_int_eq(
    kl_kex_client_seal(&o->cli, &o->w.cli_rng, o->f, &o->fl, (const uint8_t *)msg, strlen(msg)),
    KL_OK);
}

kl_err one_send(one *o, const uint8_t *frame, size_t len)
{
  o->rl = sizeof o->r;
  return kl_kex_server_message(&o->w.srv, o->id, 0, o->r, &o->rl, frame, len);
}

/* The session still works after a rejection: a fresh frame goes through. */
void still_works(one *o)
{
  const uint8_t msg[] = "still here";
  exchange(&o->w, &o->cli, o->id, 0, msg, sizeof msg);
}
