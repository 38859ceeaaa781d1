/* test_kex_frame.c: the channel of a session (src/kex/frame.c) and its ids
 * (src/kex/id.c): frame lengths and layout, the capacity kl_kex_client_open
 * needs, every frame-level rejection in its own test (truncation, a flipped
 * bit, replay, reordering, the wrong direction), and the frame attacks of
 * `kexlab demo attack` against both profiles (bit flipping, replay,
 * truncation and the seed profile's unauthenticated rekey).
 * Fixture: kex_fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "kex_fixture.h"

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
  const char *bad[] = {
    "919108f7-52d1-4320-9bac-f847db4148a", "919108f7x52d1-4320-9bac-f847db4148a8",
    "919108f7-52d1-4320-9bac-f847db4148ag", "{919108f7-52d1-4320-9bac-f847db4148}", ""};
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
  /* Node ids (docs/deploy.md): octet 0 is the node, the rest as above. */
  for (unsigned node = 0; node < 256; node += 51) {
    ck_assert_int_eq(kl_kex_id_new_node(id, &rng, node), KL_OK);
    ck_assert_uint_eq(id[0], node);
    ck_assert_uint_eq(id[6] >> 4, 4);
    ck_assert_uint_eq(id[8] >> 6, 2);
  }
  ck_assert_int_eq(kl_kex_id_new_node(id, &rng, 256), KL_ERR_ARG);
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

/* ---- rejections of frames, one test each ---- */

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
  o->f[iv_off] ^= 'p' ^ 'P';     /* "pay" -> "Pay" */
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

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("kex_frame");
  TCase *tc = tcase_create("kex_frame");
  tcase_add_unchecked_fixture(tc, keys_setup, keys_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, id_format_and_parse);
  tcase_add_test(tc, frame_layout);
  tcase_add_test(tc, open_capacity);
  tcase_add_test(tc, reject_truncated_frame);
  tcase_add_test(tc, reject_bad_tag);
  tcase_add_test(tc, reject_replay);
  tcase_add_test(tc, reject_reordering);
  tcase_add_test(tc, reject_wrong_direction);
  tcase_add_test(tc, attack_bitflip_seed_succeeds);
  tcase_add_test(tc, attack_bitflip_hardened_fails);
  tcase_add_test(tc, attack_replay_seed_succeeds);
  tcase_add_test(tc, attack_seed_truncated_and_rekey_hijack);
  suite_add_tcase(s, tc);
  return s;
}
