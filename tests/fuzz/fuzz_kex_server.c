/* fuzz_kex_server.c: the server's key, message and rekey handlers on a live
 * session (kl_kex_server_set_key, _message, _rekey; src/kex/server.c and
 * frame.c), both profiles, with the client beside it.
 * Each input starts a fresh server (fixed seeds: the same input replays the
 * same run) with one session keyed by a real client: 1024-bit keys for the
 * identity and hardened sessions, 2048 for the seed profile (its size by
 * definition), all made once at start-up from fixed seeds.
 * Input: a profile byte (bit 0: seed; bit 1: first send a frame before the
 * key and a wrong wrapped key), then up to MAX_OPS operations, each an op
 * byte and its data:
 *   0 a valid message of n octets        must be echoed (round trip)
 *   1 a valid frame with one octet xored hardened: refused; seed: as below
 *   2 raw bytes as a frame               hardened: refused; seed: as below
 *   3 a valid rekey                      accepted; messages work after it
 *   4 raw bytes as C' and auth           refused, keys unchanged
 *   5 a valid rekey with one octet xored refused, keys unchanged
 *   6 raw bytes as a second first key    KL_ERR_CONFLICT
 *   7 a valid frame for another session  KL_ERR_NOT_FOUND
 * Properties: the results above; every refusal of a frame or a key is the one
 * KL_ERR_DECRYPT and leaves the session working (a valid message goes through
 * after it); in the seed profile, which has no MAC, a frame is accepted
 * exactly when the plain composition kl_cbc_open under the session key opens
 * it, and the echo is that plaintext (differential). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/cbc.h"
#include "kexlab/kex.h"

#define MAX_OPS 12
#define MAX_PAYLOAD 2048

static kl_rsa_priv identity, hard_key, seed_key;
static kl_rsa_pub identity_pub;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  kl_rsa_priv_init(&identity);
  kl_rsa_priv_init(&hard_key);
  kl_rsa_priv_init(&seed_key);
  fz_keygen(&identity, 1024, "fuzz_kex_server identity");
  fz_keygen(&hard_key, 1024, "fuzz_kex_server hardened session");
  fz_keygen(&seed_key, 2048, "fuzz_kex_server seed session");
  kl_rsa_pub_init(&identity_pub);
  kl_rsa_priv_to_pub(&identity_pub, &identity);
  return 0;
}

typedef struct world {
  kl_kex_server srv;
  kl_hmac_drbg srv_d, cli_d;
  kl_rng srv_rng, cli_rng;
  kl_kex_client cli;
  kl_kex_profile p;
  uint8_t id[KL_KEX_ID_BYTES];
  uint8_t *frame, *reply, *back;
  size_t cap; /* of each buffer */
} world;

/* Send frame[0..len) to session id; the result, reply in w->reply. */
static kl_err send(world *w, const uint8_t *id, const uint8_t *frame, size_t len, size_t *r_len)
{
  *r_len = w->cap;
  return kl_kex_server_message(&w->srv, id, 0, w->reply, r_len, frame, len);
}

/* A valid message: sealed, echoed, opened to the same payload. */
static void exchange(world *w, const uint8_t *msg, size_t len)
{
  size_t f_len = w->cap, r_len, b_len = w->cap;
  fz_require(kl_kex_client_seal(&w->cli, &w->cli_rng, w->frame, &f_len, msg, len) == KL_OK, "seal");
  fz_require(send(w, w->id, w->frame, f_len, &r_len) == KL_OK, "a valid frame is accepted");
  fz_require(kl_kex_client_open(&w->cli, w->back, &b_len, w->reply, r_len) == KL_OK,
             "the reply opens");
  fz_require_eq(w->back, b_len, msg, len, "round trip: the echo is the message");
}

static void still_works(world *w)
{
  const uint8_t msg[] = "still here";
  exchange(w, msg, sizeof msg - 1);
}

/* A frame that is not the client's own: in hardened refused; in seed
 * accepted exactly when it opens under the session key, echoing what it
 * opens to. */
static void foreign_frame(world *w, const uint8_t *frame, size_t len)
{
  size_t r_len;
  kl_err err = send(w, w->id, frame, len, &r_len);
  if (w->p == KL_KEX_PROFILE_HARDENED) {
    fz_require(err == KL_ERR_DECRYPT, "hardened: a frame not sealed by the client is refused");
  } else {
    uint8_t *plain = malloc(len + 1);
    fz_require(plain != NULL, "memory");
    size_t p_len = len;
    int opens = len <= kl_kex_server_max_frame(&w->srv) &&
                kl_cbc_open(&w->cli.ch.seed_key, plain, &p_len, frame, len) == KL_OK;
    fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "seed: KL_OK or KL_ERR_DECRYPT");
    fz_require((err == KL_OK) == opens, "seed: accepted exactly when CBC + PKCS#7 opens it");
    if (opens) {
      size_t b_len = w->cap;
      fz_require(kl_kex_client_open(&w->cli, w->back, &b_len, w->reply, r_len) == KL_OK,
                 "seed: the reply opens");
      fz_require_eq(w->back, b_len, plain, p_len, "seed: the echo is the opened plaintext");
    }
    free(plain);
  }
  still_works(w);
}

static void rekey_valid(world *w)
{
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len = sizeof C, auth_len = sizeof auth;
  fz_require(kl_kex_client_rekey_begin(&w->cli, &w->cli_rng, C, &C_len, auth, &auth_len) == KL_OK,
             "rekey begin");
  fz_require(kl_kex_server_rekey(&w->srv, w->id, 0, C, C_len, auth, auth_len) == KL_OK,
             "a valid rekey is accepted");
  fz_require(kl_kex_client_rekey_commit(&w->cli) == KL_OK, "rekey commit");
  still_works(w);
}

static void rekey_bad(world *w, const uint8_t *C, size_t C_len, const uint8_t *auth,
                      size_t auth_len)
{
  kl_err err = kl_kex_server_rekey(&w->srv, w->id, 0, C, C_len, auth, auth_len);
  fz_require(err == KL_ERR_DECRYPT, "a bad rekey is the one KL_ERR_DECRYPT");
}

static void rekey_mutated(world *w, uint8_t pos, uint8_t flip)
{
  uint8_t buf[KL_KEX_MAX_MODULUS_BYTES + KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len = KL_KEX_MAX_MODULUS_BYTES, auth_len = KL_KEX_REKEY_AUTH_BYTES;
  fz_require(kl_kex_client_rekey_begin(&w->cli, &w->cli_rng, buf, &C_len, buf + C_len, &auth_len) ==
               KL_OK,
             "rekey begin");
  /* C' and auth side by side, one octet of the two xored */
  uint8_t *auth = buf + KL_KEX_MAX_MODULUS_BYTES;
  memmove(buf + C_len, auth, auth_len);
  buf[pos % (C_len + auth_len)] ^= flip;
  memmove(auth, buf + C_len, auth_len);
  rekey_bad(w, buf, C_len, auth, auth_len);
  kl_kex_client_rekey_abort(&w->cli);
  still_works(w);
}

static void start(world *w, kl_kex_profile p, int early, fz_input *in)
{
  kl_kex_server_config cfg;
  kl_kex_server_config_default(&cfg);
  fz_rng(&w->srv_rng, &w->srv_d, "fuzz_kex_server server");
  fz_rng(&w->cli_rng, &w->cli_d, "fuzz_kex_server client");
  cfg.rng = &w->srv_rng;
  cfg.identity = &identity;
  cfg.key_bits = 1024;
  cfg.pool_size = 1;
  cfg.max_payload = MAX_PAYLOAD;
  fz_require(kl_kex_server_init(&w->srv, &cfg) == KL_OK, "server init");
  w->p = p;
  w->cap = kl_kex_server_max_frame(&w->srv) + 64;
  w->frame = malloc(w->cap);
  w->reply = malloc(w->cap);
  w->back = malloc(w->cap);
  fz_require(w->frame != NULL && w->reply != NULL && w->back != NULL, "memory");
  fz_require(kl_kex_server_pool_add(&w->srv, p, p == KL_KEX_PROFILE_SEED ? &seed_key : &hard_key) ==
               KL_OK,
             "pool add");

  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &identity_pub;
  cc.max_payload = MAX_PAYLOAD;
  fz_require(kl_kex_client_init(&w->cli, &cc) == KL_OK, "client init");
  kl_kex_offer *offer = malloc(sizeof *offer);
  fz_require(offer != NULL, "memory");
  fz_require(kl_kex_server_create(&w->srv, p, 0, offer) == KL_OK, "create");
  memcpy(w->id, offer->session_id, KL_KEX_ID_BYTES);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  fz_require(kl_kex_client_handshake(&w->cli, &w->cli_rng, offer, C, &C_len) == KL_OK, "handshake");
  free(offer);
  if (early) {
    /* Before the key: a frame is out of order, a wrong key is refused. */
    const uint8_t *raw;
    size_t n = fz_take(in, fz_byte(in), &raw), r_len;
    fz_require(send(w, w->id, raw, n, &r_len) == KL_ERR_STATE, "a frame before the key");
    n = fz_take(in, fz_byte(in) + 1u, &raw);
    if (n != C_len || memcmp(raw, C, n) != 0)
      fz_require(kl_kex_server_set_key(&w->srv, w->id, 0, raw, n) == KL_ERR_DECRYPT,
                 "a wrong first key is KL_ERR_DECRYPT");
  }
  fz_require(kl_kex_server_set_key(&w->srv, w->id, 0, C, C_len) == KL_OK, "set key");
}

static void stop(world *w)
{
  kl_kex_client_clear(&w->cli);
  kl_kex_server_clear(&w->srv);
  kl_hmac_drbg_clear(&w->srv_d);
  kl_hmac_drbg_clear(&w->cli_d);
  free(w->frame);
  free(w->reply);
  free(w->back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  uint8_t first = fz_byte(&in);
  world w;
  start(&w, first & 1 ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED, first & 2, &in);
  for (int i = 0; i < MAX_OPS && in.n > 0; i++) {
    uint8_t op = fz_byte(&in) % 8;
    const uint8_t *raw, *raw2;
    size_t n, n2, f_len = w.cap, r_len;
    switch (op) {
    case 0:
      n = fz_take(&in, (size_t)fz_byte(&in) * 8, &raw);
      exchange(&w, raw, n);
      break;
    case 1: {
      uint8_t pos = fz_byte(&in), pos2 = fz_byte(&in), flip = fz_byte(&in);
      n = fz_take(&in, fz_byte(&in), &raw);
      fz_require(kl_kex_client_seal(&w.cli, &w.cli_rng, w.frame, &f_len, raw, n) == KL_OK, "seal");
      if (flip == 0)
        flip = 1;
      w.frame[((size_t)pos << 8 | pos2) % f_len] ^= flip;
      uint8_t *copy = malloc(f_len);
      fz_require(copy != NULL, "memory");
      memcpy(copy, w.frame, f_len);
      foreign_frame(&w, copy, f_len);
      free(copy);
      break;
    }
    case 2: {
      n = fz_take(&in, (size_t)fz_byte(&in) * 4, &raw);
      uint8_t *copy = malloc(n + 1);
      fz_require(copy != NULL, "memory");
      memcpy(copy, raw, n);
      foreign_frame(&w, copy, n);
      free(copy);
      break;
    }
    case 3:
      rekey_valid(&w);
      break;
    case 4:
      n = fz_take(&in, (size_t)fz_byte(&in) * 2, &raw);
      n2 = fz_take(&in, fz_byte(&in) % 80, &raw2);
      if (w.p == KL_KEX_PROFILE_SEED)
        n2 = 0; /* the seed scheme's rekey has no authenticator */
      rekey_bad(&w, raw, n, raw2, n2);
      still_works(&w);
      break;
    case 5: {
      uint8_t pos = fz_byte(&in), flip = fz_byte(&in);
      rekey_mutated(&w, pos, flip == 0 ? 0x80 : flip);
      break;
    }
    case 6:
      n = fz_take(&in, (size_t)fz_byte(&in) * 2, &raw);
      fz_require(kl_kex_server_set_key(&w.srv, w.id, 0, raw, n) == KL_ERR_CONFLICT,
                 "a second first key is KL_ERR_CONFLICT");
      break;
    case 7: {
      uint8_t other[KL_KEX_ID_BYTES];
      memcpy(other, w.id, sizeof other);
      other[fz_byte(&in) % KL_KEX_ID_BYTES] ^= 0x01;
      fz_require(kl_kex_client_seal(&w.cli, &w.cli_rng, w.frame, &f_len, NULL, 0) == KL_OK, "seal");
      fz_require(send(&w, other, w.frame, f_len, &r_len) == KL_ERR_NOT_FOUND,
                 "another session's id is KL_ERR_NOT_FOUND");
      break;
    }
    default:
      break;
    }
  }
  stop(&w);
  return 0;
}
