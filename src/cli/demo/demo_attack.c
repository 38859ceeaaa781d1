/* demo_attack.c: `kexlab demo attack bitflip|replay|mitm`: each attack of
 * docs/threat-model.md that fits in one process, run against a seed-profile
 * session (where it works) and a hardened one (where it is refused), through
 * the public API only (include/kexlab/kex.h). tests/test_kex_*.c assert the
 * same outcomes (attack_* cases).
 *   bitflip  CBC malleability: P1 = D(C1) xor IV, so flipping IV bits flips
 *            the same plaintext bits (SP 800-38A §6.2); no MAC notices.
 *   replay   the same frame accepted twice: no sequence number.
 *   mitm     the attacker swaps the session public key for hers and unwraps K:
 *            nothing binds the key to the server (hardened: the identity's
 *            RSA-PSS signature over id || SPKI does).
 * Exit status: 0 when every outcome is the expected one (works against seed,
 * refused by hardened), 1 otherwise. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "attack_rsa.h"
#include "commands.h"
#include "kexlab/drbg.h"
#include "kexlab/kex.h"
#include "kexlab/oaep.h"
#include "oracle_kit.h"

static const char *attack_help =
  "usage: kexlab demo attack bitflip|replay|mitm [--profile seed|hardened] [--json]\n"
  "       kexlab demo attack NAME [options]   (NAME below; NAME --help)\n"
  "\n"
  "Show an attack on the seed profile and its failure against the hardened\n"
  "one, in one process (docs/threat-model.md):\n"
  "  bitflip  flip IV bits of a CBC frame: the plaintext changes silently\n"
  "  replay   send the same frame twice: it is accepted twice\n"
  "  mitm     swap the session's public key for the attacker's: she unwraps K\n"
  "\n"
  "  --profile P  run against one profile only (default: seed, then hardened)\n"
  "  --json       one JSON object\n"
  "  -h, --help   this help\n"
  "Exit status 0 when every outcome is the expected one.\n"
  "\n"
  "The attack lab (docs/attacks.md): each attack broken against a weak\n"
  "configuration, then refused by kexlab's normal one; each takes --json,\n"
  "--seed HEX and, where a key size applies, --bits N (see NAME --help):\n"
  "  padding-oracle  Vaudenay 2002: CBC padding oracle on seed-profile frames\n"
  "  manger          Manger 2001: OAEP decoder that names the first-byte error\n"
  "  bleichenbacher  Bleichenbacher 1998: PKCS#1 v1.5 conformance oracle\n"
  "  timing          square-and-multiply time against the weight of d\n"
  "  cbc-iv          CBC with a reused or predictable IV\n"
  "  wiener          a small d, found from the continued fraction of e/n\n"
  "  hastad          textbook RSA, e = 3, one message to three recipients\n"
  "  fermat          p and q too close together: Fermat's method factors n\n"
  "  bellcore        a CRT signature with a fault, no final check: gcd gives p\n";

/* The attack lab's demos, each in its own file (attack_<name>.c): each
 * parses its own options, and its name may stand anywhere among them. */
static const struct {
  const char *name;
  cli_cmd_fn *run;
} lab_attacks[] = {
  {"padding-oracle", attack_padding_oracle},
  {"manger", attack_manger},
  {"bleichenbacher", attack_bleichenbacher},
  {"timing", attack_timing},
  {"cbc-iv", attack_cbc_iv},
  {"wiener", attack_wiener},
  {"hastad", attack_hastad},
  {"fermat", attack_fermat},
  {"bellcore", attack_bellcore},
};

typedef enum attack {
  BITFLIP,
  REPLAY,
  MITM
} attack;

/* One world: server, client, fixed seeds (the demo is reproducible). */
typedef struct world {
  kl_hmac_drbg d_srv, d_cli, d_key;
  kl_rng srv_rng, cli_rng, key_rng;
  kl_rsa_priv identity, mallory;
  kl_rsa_pub identity_pub;
  kl_kex_server srv;
  kl_kex_client cli;
  kl_kex_offer offer;
  uint8_t f[512], r[1024], out[1024];
  cli_json *j;
} world;

static void say(world *w, const char *key, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
static void say(world *w, const char *key, const char *fmt, ...)
{
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (w->j != NULL) {
    cj_object_begin(w->j, NULL);
    cj_string(w->j, "who", key);
    cj_string(w->j, "text", buf);
    cj_object_end(w->j);
  } else
    printf("  %-9s %s\n", key, buf);
}

static void say_hex(world *w, const char *key, const uint8_t *b, size_t n)
{
  if (w->j != NULL) {
    cj_object_begin(w->j, NULL);
    cj_string(w->j, "who", key);
    cj_hex(w->j, "hex", b, n);
    cj_object_end(w->j);
    return;
  }
  printf("  %-9s ", key);
  for (size_t i = 0; i < n; i++)
    printf("%02x", b[i]);
  printf("\n");
}

/* Server (1024-bit session keys for hardened, 2048 for seed; 1024-bit
 * identity), a session, and (unless mitm) an established client. */
static kl_err world_start(world *w, kl_kex_profile p, int handshake)
{
  static const uint8_t s1[] = "attack server", s2[] = "attack client", s3[] = "attack keys";
  kl_err err;
  if ((err = kl_rng_seeded(&w->srv_rng, &w->d_srv, s1, sizeof s1 - 1)) != KL_OK ||
      (err = kl_rng_seeded(&w->cli_rng, &w->d_cli, s2, sizeof s2 - 1)) != KL_OK ||
      (err = kl_rng_seeded(&w->key_rng, &w->d_key, s3, sizeof s3 - 1)) != KL_OK)
    return err;
  err = kl_rsa_keygen(&w->identity, &w->key_rng, 1024, NULL, 0, NULL);
  if (err != KL_OK)
    return err;
  err = kl_rsa_keygen(&w->mallory, &w->key_rng, 1024, NULL, 0, NULL);
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
  err = kl_kex_server_init(&w->srv, &sc);
  if (err != KL_OK)
    return err;
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &w->identity_pub;
  cc.max_payload = 256;
  err = kl_kex_client_init(&w->cli, &cc);
  if (err != KL_OK)
    return err;
  err = kl_kex_server_create(&w->srv, p, 0, &w->offer);
  if (err != KL_OK || !handshake)
    return err;
  uint8_t C[512];
  size_t C_len = sizeof C;
  err = kl_kex_client_handshake(&w->cli, &w->cli_rng, &w->offer, C, &C_len);
  if (err != KL_OK)
    return err;
  return kl_kex_server_set_key(&w->srv, w->offer.session_id, 0, C, C_len);
}

static kl_err seal(world *w, const char *msg, size_t *fl)
{
  *fl = sizeof w->f;
  return kl_kex_client_seal(&w->cli, &w->cli_rng, w->f, fl, (const uint8_t *)msg, strlen(msg));
}

static kl_err send_frame(world *w, size_t fl, size_t *rl)
{
  *rl = sizeof w->r;
  return kl_kex_server_message(&w->srv, w->offer.session_id, 0, w->r, rl, w->f, fl);
}

/* Returns 1 if the attack worked. */
static int run_bitflip(world *w, kl_kex_profile p)
{
  size_t fl, rl, ol;
  const char *msg = "pay 100 to bob";
  if (seal(w, msg, &fl) != KL_OK)
    return -1;
  say(w, "sent", "\"%s\"", msg);
  kl_kex_frame_view v;
  if (kl_kex_frame_parse(&v, p, w->f, fl) != KL_OK)
    return -1;
  /* P1 = D(C1) xor IV: xor the IV with ("p" xor "P") at byte 0 and
   * ("1" xor "9") at byte 4 and the first block decrypts to "Pay 900 ...". */
  size_t iv = (size_t)(v.iv - w->f);
  w->f[iv] ^= 'p' ^ 'P';
  w->f[iv + 4] ^= '1' ^ '9';
  say(w, "attacker", "%s", "xor IV[0] with 'p'^'P' and IV[4] with '1'^'9'");
  kl_err err = send_frame(w, fl, &rl);
  if (err != KL_OK) {
    say(w, "server", "rejected: %s", kl_strerror(err));
    return 0;
  }
  ol = sizeof w->out;
  if (kl_kex_client_open(&w->cli, w->out, &ol, w->r, rl) != KL_OK)
    return -1;
  char got[300];
  snprintf(got, sizeof got, "\"%.*s\"", (int)ol, (const char *)w->out);
  say(w, "server", "accepted and read %s (the echo shows it)", got);
  return ol == strlen(msg) && memcmp(w->out, msg, ol) != 0;
}

static int run_replay(world *w)
{
  size_t fl, rl, ol;
  if (seal(w, "pay 100 to bob", &fl) != KL_OK)
    return -1;
  kl_err err = send_frame(w, fl, &rl);
  if (err != KL_OK)
    return -1;
  say(w, "server", "first copy: %s", "accepted");
  ol = sizeof w->out;
  if (kl_kex_client_open(&w->cli, w->out, &ol, w->r, rl) != KL_OK)
    return -1;
  say(w, "attacker", "%s", "sends the recorded frame again");
  err = send_frame(w, fl, &rl);
  if (err != KL_OK) {
    say(w, "server", "second copy: rejected: %s", kl_strerror(err));
    return 0;
  }
  say(w, "server", "second copy: %s (bob is paid twice)", "accepted");
  return 1;
}

static int run_mitm(world *w, kl_kex_profile p)
{
  uint8_t C[512], K[512];
  size_t C_len = sizeof C, K_len = sizeof K;
  /* Mallory, on the path, replaces n in the offer with her own modulus; she
   * cannot sign it with the server's identity, so she leaves the signature. */
  w->offer.n_len = kl_rsa_modulus_len(w->mallory.n);
  if (kl_i2osp(w->offer.n, w->offer.n_len, w->mallory.n) != KL_OK)
    return -1;
  say(w, "attacker", "%s", "replaces the session's public key with her own");
  kl_err err = kl_kex_client_handshake(&w->cli, &w->cli_rng, &w->offer, C, &C_len);
  if (err != KL_OK) {
    say(w, "client", "refuses the offer: %s", kl_strerror(err));
    return 0;
  }
  say(w, "client", "%s", "wraps its key K for the attacker's public key");
  kl_oaep_params params = {p == KL_KEX_PROFILE_SEED ? KL_HASH_SHA1 : KL_HASH_SHA256,
                           p == KL_KEX_PROFILE_SEED ? KL_HASH_SHA1 : KL_HASH_SHA256, NULL, 0};
  err = kl_rsa_oaep_decrypt(&w->mallory, &params, &w->key_rng, NULL, K, &K_len, C, C_len);
  if (err != KL_OK)
    return -1;
  say_hex(w, "stolen_K", K, K_len);
  say(w, "attacker", "%s", "re-wraps K for the server and reads every message");
  kl_wipe(K, sizeof K);
  return 1;
}

static int run_one(attack a, kl_kex_profile p, cli_json *j)
{
  world *w = calloc(1, sizeof *w);
  int worked = -1;
  if (w == NULL)
    return -1;
  w->j = j;
  kl_rsa_priv_init(&w->identity);
  kl_rsa_priv_init(&w->mallory);
  kl_rsa_pub_init(&w->identity_pub);
  if (j != NULL) {
    cj_object_begin(j, NULL);
    cj_string(j, "profile", kl_kex_profile_name(p));
    cj_array_begin(j, "events");
  } else {
    printf("\n[%s]\n", kl_kex_profile_name(p));
  }
  kl_err err = world_start(w, p, a != MITM);
  if (err == KL_OK) {
    if (a == BITFLIP)
      worked = run_bitflip(w, p);
    else if (a == REPLAY)
      worked = run_replay(w);
    else
      worked = run_mitm(w, p);
  }
  if (j != NULL) {
    cj_array_end(j);
    if (worked >= 0)
      cj_bool(j, "attack_worked", worked);
    else
      cj_null(j, "attack_worked");
    cj_object_end(j);
  } else {
    printf("  => %s\n", worked < 0 ? "demo error" : worked ? "ATTACK WORKED" : "attack refused");
  }
  kl_kex_client_clear(&w->cli);
  kl_kex_server_clear(&w->srv);
  kl_rsa_priv_clear(&w->identity);
  kl_rsa_priv_clear(&w->mallory);
  kl_rsa_pub_clear(&w->identity_pub);
  kl_hmac_drbg_clear(&w->d_srv);
  kl_hmac_drbg_clear(&w->d_cli);
  kl_hmac_drbg_clear(&w->d_key);
  kl_wipe(w, sizeof *w);
  free(w);
  return worked;
}

int demo_attack(int argc, char **argv)
{
  static const struct option opts[] = {
    {"profile", required_argument, NULL, 'p'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *cmd = "demo attack";
  const char *profile_name = NULL;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    for (size_t a = 0; a < sizeof lab_attacks / sizeof lab_attacks[0]; a++) {
      if (strcmp(argv[i], lab_attacks[a].name) == 0)
        return lab_attacks[a].run(argc, argv);
    }
  }
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'p':
      profile_name = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(attack_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind >= argc)
    return cli_usage_error(cmd, "which attack? bitflip, replay or mitm");
  if (optind + 1 < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
  const char *name = argv[optind];
  attack a;
  if (strcmp(name, "bitflip") == 0)
    a = BITFLIP;
  else if (strcmp(name, "replay") == 0)
    a = REPLAY;
  else if (strcmp(name, "mitm") == 0)
    a = MITM;
  else
    return cli_usage_error(cmd, "unknown attack '%s' (bitflip, replay or mitm)", name);
  int first = 0, last = 1; /* 0: seed, 1: hardened */
  if (profile_name != NULL) {
    kl_kex_profile p;
    if (kl_kex_profile_from_name(profile_name, &p) != KL_OK)
      return cli_usage_error(cmd, "unknown profile '%s' (hardened or seed)", profile_name);
    first = last = (p == KL_KEX_PROFILE_SEED) ? 0 : 1;
  }

  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "demo attack");
    cj_string(&j, "attack", name);
    cj_array_begin(&j, "runs");
  } else {
    printf("kexlab demo attack %s\n", name);
  }
  int as_expected = 1;
  for (int i = first; i <= last; i++) {
    kl_kex_profile p = i == 0 ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED;
    int worked = run_one(a, p, json ? &j : NULL);
    /* Expected: it works against seed, and hardened refuses it. */
    if (worked < 0 || worked != (p == KL_KEX_PROFILE_SEED))
      as_expected = 0;
  }
  if (json) {
    cj_array_end(&j);
    cj_bool(&j, "as_expected", as_expected);
    cj_object_end(&j);
    cj_finish(&j);
  }
  if (!as_expected) {
    cli_error(cmd, "an outcome differs from the expected one");
    return KL_EXIT_FAIL;
  }
  return KL_EXIT_OK;
}
