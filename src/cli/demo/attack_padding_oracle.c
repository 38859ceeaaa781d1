/* attack_padding_oracle.c: `kexlab demo attack padding-oracle`: Vaudenay's
 * CBC padding-oracle attack (EUROCRYPT 2002). A seed-profile frame is
 * IV || AES-256-CBC(PKCS#7 padded message), with no MAC. Send X || C_i:
 * the server decrypts P' = D_K(C_i) xor X, and if it tells whether the
 * padding of P' was valid, the attacker learns D_K(C_i) one octet at a time
 * (at most 256 questions each, from the last octet back), then
 * P_i = D_K(C_i) xor C_{i-1}. Three servers, one attacker:
 *   weak-server:  a lab server in this file that answers "bad padding"
 *                 differently from other errors (the classic mistake);
 *   seed-profile: kexlab's seed profile as shipped: one error, constant-time
 *                 unpadding (tests/ct/ct_pkcs7.c), yet the application
 *                 answers a frame that decrypts and reports one that does not:
 *                 the reaction itself is the oracle, and the attack works;
 *   hardened:     encrypt-then-MAC, the tag checked first: every altered
 *                 frame is refused the same way, the oracle says nothing.
 * For the worksheet (docs/labs/worksheet-1-padding-oracle.md): --challenge
 * prints the weak server's target frame, --oracle HEX|- answers one query
 * (or one per line of standard input) from the weak server of --seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "kexlab/kex.h"
#include "oracle_kit.h"

static const char *help =
  "usage: kexlab demo attack padding-oracle [--seed HEX] [--json]\n"
  "       kexlab demo attack padding-oracle --seed HEX --challenge\n"
  "       kexlab demo attack padding-oracle --seed HEX --oracle HEX|-\n"
  "\n"
  "Vaudenay's padding-oracle attack on a seed-profile message (IV || AES-256-\n"
  "CBC, no MAC): against a lab server that reports bad padding, against the\n"
  "seed profile as shipped (the application's reply is the oracle), and\n"
  "against the hardened profile (the tag is checked first: nothing).\n"
  "\n"
  "  --seed HEX     reproducible run (keys, message, IVs from an HMAC_DRBG)\n"
  "  --json         one JSON object (docs/schema/demo-attack-padding-oracle.schema.json)\n"
  "  --challenge    print the weak server's target frame (hex) and stop\n"
  "  --oracle HEX   ask the weak server about one frame: prints 'padding ok' or\n"
  "                 'bad padding'; '-' reads one frame per line from stdin\n"
  "  -h, --help     this help\n"
  "Exit status 0 when the weak server and the seed profile fall and hardened holds.\n";

enum {
  MAX_FRAME = 512
};

/* ---- the weak lab server: the mistake, in one function ---- */

/* Returns "bad padding" or "padding ok" (a real server would go on and parse
 * the message: what matters is that the two answers differ). */
static const char *weak_server(const kl_aes_key *K, const uint8_t *frame, size_t len)
{
  uint8_t P[MAX_FRAME];
  if (len < 32 || len % 16 != 0 || len > MAX_FRAME ||
      kl_cbc_decrypt(K, frame, P, frame + 16, len - 16) != KL_OK)
    return "bad frame";
  size_t n = len - 16;
  uint8_t pad = P[n - 1];
  const char *answer = "padding ok";
  if (pad == 0 || pad > 16) {
    answer = "bad padding";
  } else {
    for (size_t i = n - pad; i < n; i++) { /* early exit: a second mistake */
      if (P[i] != pad) {
        answer = "bad padding";
        break;
      }
    }
  }
  kl_wipe(P, sizeof P);
  return answer;
}

/* ---- the three oracles the attacker builds ---- */

typedef enum target {
  T_WEAK,
  T_SEED,
  T_HARDENED
} target;

typedef struct world {
  target t;
  kl_aes_key lab_key; /* T_WEAK */
  kl_hmac_drbg d_srv, d_cli;
  kl_rng srv_rng, cli_rng;
  kl_rsa_priv identity;
  kl_rsa_pub identity_pub;
  kl_kex_server srv;
  kl_kex_client cli;
  kl_kex_offer offer;
  int kex;                  /* the kex objects are initialised */
  uint8_t frame[MAX_FRAME]; /* the victim's frame */
  size_t frame_len;
  kl_kex_frame_view v;
} world;

/* Is the padding of D_K(C) xor X valid? 1 yes, 0 no (as the attacker sees it). */
static int ask(world *w, const uint8_t X[16], const uint8_t C[16])
{
  uint8_t f[MAX_FRAME], r[MAX_FRAME * 2];
  size_t fl = 0, rl = sizeof r;
  if (w->t == T_HARDENED) { /* the victim's header and tag around X || C */
    memcpy(f, w->frame, KL_KEX_HEADER_BYTES);
    fl = KL_KEX_HEADER_BYTES;
  }
  memcpy(f + fl, X, 16);
  memcpy(f + fl + 16, C, 16);
  fl += 32;
  if (w->t == T_HARDENED) {
    memcpy(f + fl, w->v.tag, KL_KEX_TAG_BYTES);
    fl += KL_KEX_TAG_BYTES;
  }
  if (w->t == T_WEAK)
    return strcmp(weak_server(&w->lab_key, f, fl), "bad padding") != 0;
  /* The application answers a frame it could open; KL_ERR_DECRYPT otherwise. */
  return kl_kex_server_message(&w->srv, w->offer.session_id, 0, r, &rl, f, fl) == KL_OK;
}

/* Vaudenay's attack on every block. Returns the number of octets of the
 * padded plaintext recovered (all of them, or 0 when a position had no
 * valid guess: the oracle says nothing). */
static size_t vaudenay(okit *o, world *w, uint8_t *pt, unsigned long long *queries)
{
  const uint8_t *iv = w->v.iv, *ct = w->v.ciphertext;
  const size_t nblocks = w->v.ciphertext_len / 16;
  for (size_t b = 0; b < nblocks; b++) {
    const uint8_t *prev = b == 0 ? iv : ct + 16 * (b - 1), *C = ct + 16 * b;
    uint8_t I[16] = {0}, X[16] = {0};
    for (int pos = 15; pos >= 0; pos--) {
      const uint8_t pad = (uint8_t)(16 - pos);
      for (int k = pos + 1; k < 16; k++)
        X[k] = I[k] ^ pad;
      int found = -1;
      for (int g = 0; g < 256 && found < 0; g++) {
        X[pos] = (uint8_t)g;
        ++*queries;
        if (!ask(w, X, C))
          continue;
        if (pos == 15) { /* 02 02 would pass too: change octet 14 and ask again */
          X[14] ^= 0xff;
          ++*queries;
          int again = ask(w, X, C);
          X[14] ^= 0xff;
          if (!again)
            continue;
        }
        found = g;
      }
      if (found < 0) {
        okit_step(o,
                  "block %zu, octet %d: no guess gives valid padding after %llu queries: "
                  "the server's answers say nothing",
                  b + 1, pos, *queries);
        return 0;
      }
      I[pos] = (uint8_t)found ^ pad;
    }
    for (size_t k = 0; k < 16; k++)
      pt[16 * b + k] = I[k] ^ prev[k];
    char shown[64];
    okit_show(shown, sizeof shown, pt + 16 * b, 16);
    okit_step(o,
              "block %zu of %zu: D_K(C_%zu) found octet by octet; xor C_%zu gives %s "
              "(%llu queries so far)",
              b + 1, nblocks, b + 1, b, shown, *queries);
  }
  return 16 * nblocks;
}

/* ---- worlds ---- */

/* The lab key and the victim's frame (kl_cbc_seal: the seed profile's format). */
static kl_err weak_world(world *w, okit *o, const uint8_t K[32], const uint8_t *msg, size_t len)
{
  w->t = T_WEAK;
  kl_err err = kl_aes_init(&w->lab_key, KL_AES_IMPL_TTABLE, K, 32);
  w->frame_len = sizeof w->frame;
  if (err == KL_OK)
    err = kl_cbc_seal(&w->lab_key, &o->rng, w->frame, &w->frame_len, msg, len);
  if (err == KL_OK)
    err = kl_kex_frame_parse(&w->v, KL_KEX_PROFILE_SEED, w->frame, w->frame_len);
  return err;
}

/* A kex server and an established client of profile p; the victim's frame. */
static kl_err kex_world(world *w, okit *o, kl_kex_profile p, const uint8_t *msg, size_t len)
{
  uint8_t s1[32], s2[32];
  w->t = p == KL_KEX_PROFILE_SEED ? T_SEED : T_HARDENED;
  kl_rsa_priv_init(&w->identity);
  kl_rsa_pub_init(&w->identity_pub);
  w->kex = 1;
  kl_err err = kl_rng_fill(&o->rng, s1, sizeof s1);
  if (err == KL_OK)
    err = kl_rng_fill(&o->rng, s2, sizeof s2);
  if (err == KL_OK)
    err = kl_rng_seeded(&w->srv_rng, &w->d_srv, s1, sizeof s1);
  if (err == KL_OK)
    err = kl_rng_seeded(&w->cli_rng, &w->d_cli, s2, sizeof s2);
  if (err == KL_OK)
    err = kl_rsa_keygen(&w->identity, &w->srv_rng, 1024, NULL, 0, NULL);
  if (err != KL_OK)
    return err;
  kl_rsa_priv_to_pub(&w->identity_pub, &w->identity);
  kl_kex_server_config sc;
  kl_kex_server_config_default(&sc);
  sc.profiles = KL_KEX_PROFILE_BIT(p);
  sc.key_bits = 1024;
  sc.pool_size = 0;
  sc.max_payload = 256;
  sc.rng = &w->srv_rng;
  sc.identity = &w->identity;
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &w->identity_pub;
  cc.max_payload = 256;
  if ((err = kl_kex_server_init(&w->srv, &sc)) != KL_OK ||
      (err = kl_kex_client_init(&w->cli, &cc)) != KL_OK ||
      (err = kl_kex_server_create(&w->srv, p, 0, &w->offer)) != KL_OK)
    return err;
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  if ((err = kl_kex_client_handshake(&w->cli, &w->cli_rng, &w->offer, C, &C_len)) != KL_OK ||
      (err = kl_kex_server_set_key(&w->srv, w->offer.session_id, 0, C, C_len)) != KL_OK)
    return err;
  w->frame_len = sizeof w->frame;
  err = kl_kex_client_seal(&w->cli, &w->cli_rng, w->frame, &w->frame_len, msg, len);
  if (err == KL_OK)
    err = kl_kex_frame_parse(&w->v, p, w->frame, w->frame_len);
  return err;
}

static void world_clear(world *w)
{
  if (w->kex) {
    kl_kex_client_clear(&w->cli);
    kl_kex_server_clear(&w->srv);
    kl_rsa_priv_clear(&w->identity);
    kl_rsa_pub_clear(&w->identity_pub);
    kl_hmac_drbg_clear(&w->d_srv);
    kl_hmac_drbg_clear(&w->d_cli);
  }
  kl_wipe(w, sizeof *w);
}

/* One run: build the world, attack, report. */
static void run(okit *o, target t, const uint8_t K[32], const uint8_t *msg, size_t len)
{
  static const char *const names[] = {"weak-server", "seed-profile", "hardened"};
  static const char *const what[] = {
    "a lab server that answers 'bad padding' differently from other errors",
    ("the seed profile as shipped: one error, constant-time unpadding, but the "
     "application replies to every frame it can open"),
    "the hardened profile: HMAC tag checked before anything is decrypted",
  };
  world *w = calloc(1, sizeof *w);
  okit_run_begin(o, names[t], what[t]);
  if (w == NULL) {
    okit_run_end(o, 0, NULL, 0, 0, t != T_HARDENED);
    return;
  }
  kl_err err = t == T_WEAK
                 ? weak_world(w, o, K, msg, len)
                 : kex_world(w, o, t == T_SEED ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED, msg,
                             len);
  uint8_t pt[MAX_FRAME];
  unsigned long long queries = 0;
  size_t n = 0;
  if (err != KL_OK) {
    okit_step(o, "setting up failed: %s", kl_strerror(err));
  } else {
    okit_step(o,
              "the victim's frame: %zu octets, %zu ciphertext blocks; the attacker asks "
              "about X || C_i, two blocks at a time",
              w->frame_len, w->v.ciphertext_len / 16);
    n = vaudenay(o, w, pt, &queries);
  }
  size_t plen = 0;
  if (n > 0 && kl_pkcs7_unpad_len(pt, n, &plen) != KL_OK)
    plen = 0;
  int worked = n > 0 && plen == len && memcmp(pt, msg, len) == 0;
  if (worked) {
    char shown[160];
    okit_show(shown, sizeof shown, pt, plen);
    okit_step(o, "padding removed: the message is %s", shown);
  }
  okit_run_end(o, queries, worked ? pt : NULL, plen, worked, t != T_HARDENED);
  kl_wipe(pt, sizeof pt);
  world_clear(w);
  free(w);
}

/* The lab key and the message, the first draws of the generator. */
static kl_err secrets(okit *o, uint8_t K[32], uint8_t *msg, size_t *len)
{
  uint8_t d[8];
  kl_err err = kl_rng_fill(&o->rng, K, 32);
  if (err == KL_OK)
    err = kl_rng_fill(&o->rng, d, sizeof d);
  if (err != KL_OK)
    return err;
  *len = (size_t)snprintf((char *)msg, 64, "transfer 1000 EUR to %u%u%u%u, PIN %u%u%u%u", d[0] % 10,
                          d[1] % 10, d[2] % 10, d[3] % 10, d[4] % 10, d[5] % 10, d[6] % 10,
                          d[7] % 10);
  kl_wipe(d, sizeof d);
  return KL_OK;
}

/* --oracle: answer frames with the weak server of this seed. */
static int answer(okit *o, const uint8_t K[32], const char *arg)
{
  kl_aes_key key;
  if (kl_aes_init(&key, KL_AES_IMPL_TTABLE, K, 32) != KL_OK)
    return KL_EXIT_FAIL;
  char line[2 * MAX_FRAME + 8];
  int rc = KL_EXIT_OK;
  for (int once = 1; once; once = strcmp(arg, "-") == 0) {
    const char *hex = arg;
    if (strcmp(arg, "-") == 0) {
      if (fgets(line, sizeof line, stdin) == NULL)
        break;
      line[strcspn(line, "\r\n")] = '\0';
      hex = line;
    }
    uint8_t *f = NULL;
    size_t fl = 0;
    if (cli_parse_hex("demo attack padding-oracle", "--oracle", hex, &f, &fl) != KL_EXIT_OK) {
      rc = KL_EXIT_USAGE;
      break;
    }
    printf("%s\n", weak_server(&key, f, fl));
    fflush(stdout);
    free(f);
  }
  kl_wipe(&key, sizeof key);
  (void)o;
  return rc;
}

int attack_padding_oracle(int argc, char **argv)
{
  static const char *const extra[2] = {"challenge", "oracle="};
  okit_opts op;
  okit o;
  int rc = okit_parse(&op, "padding-oracle", help, extra, argc, argv);
  if (rc != KL_EXIT_OK || op.help)
    return rc;
  if ((op.extra[0] || op.extra[1]) && (op.seed == NULL || op.json))
    return cli_usage_error("demo attack padding-oracle",
                           "--challenge and --oracle need --seed, and take no --json");
  /* The helpers print their own lines only: the header goes to a JSON value
   * that okit_abort drops. */
  rc = okit_begin(&o, "padding-oracle", op.json || op.extra[0] || op.extra[1], op.seed, op.bits, 0,
                  0, 0, "Vaudenay's CBC padding oracle on a seed-profile message");
  if (rc != KL_EXIT_OK)
    return okit_abort(&o, rc);
  uint8_t K[32], msg[64];
  size_t len = 0;
  if (secrets(&o, K, msg, &len) != KL_OK)
    return okit_abort(&o, cli_lib_error("demo attack padding-oracle", KL_ERR_RNG));
  if (op.extra[0] || op.extra[1]) { /* the worksheet's two helpers */
    rc = KL_EXIT_OK;
    if (op.extra[1] != NULL) {
      rc = answer(&o, K, op.extra[1]);
    } else {
      world w;
      memset(&w, 0, sizeof w);
      if (weak_world(&w, &o, K, msg, len) != KL_OK)
        rc = KL_EXIT_FAIL;
      else
        cli_print_hex(stdout, w.frame, w.frame_len);
      world_clear(&w);
    }
    kl_wipe(K, sizeof K);
    kl_wipe(msg, sizeof msg);
    return okit_abort(&o, rc);
  }
  char shown[96];
  okit_show(shown, sizeof shown, msg, len);
  if (!o.json)
    printf("The secret: the client sends %s (the attacker does not know it).\n", shown);
  run(&o, T_WEAK, K, msg, len);
  run(&o, T_SEED, K, msg, len);
  run(&o, T_HARDENED, K, msg, len);
  rc = okit_finish(&o, msg, len);
  kl_wipe(K, sizeof K);
  kl_wipe(msg, sizeof msg);
  return rc;
}
