/* test_kex_client.c: the client object (src/kex/client.c): the largest
 * payload and one byte over it, automatic rekeying by bytes and by messages,
 * the hardened client's checks of the offer (identity signature, pinned
 * fingerprint), and the man-in-the-middle attack of `kexlab demo attack`
 * against both profiles.
 * Fixture: kex_fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "kexlab/oaep.h"
#include "kex_fixture.h"

/* ---- the client end to end ---- */

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

/* ---- the offer's checks ---- */

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
                                        offer->spki_len),
                   KL_OK);
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

/* ---- the attacks of `kexlab demo attack`, as tests ---- */

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

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("kex_client");
  TCase *tc = tcase_create("kex_client");
  tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, large_payload_both_profiles);
  tcase_add_test(tc, auto_rekey_after_messages_and_bytes);
  tcase_add_test(tc, reject_wrong_identity_signature);
  tcase_add_test(tc, attack_mitm_seed_succeeds);
  tcase_add_test(tc, attack_mitm_hardened_fails);
  suite_add_tcase(s, tc);
  return s;
}
