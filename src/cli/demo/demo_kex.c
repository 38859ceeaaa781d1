/* demo_kex.c: `kexlab demo kex`: a client and a server object of the
 * key-exchange protocol (include/kexlab/kex.h, docs/protocol.md) in one
 * process, no network: the session id and public key, the identity
 * signature (hardened), the key K and its OAEP wrapping, the derived keys,
 * every frame in hex with its fields labelled, the decrypted texts, and a
 * rekey. With --seed every generator is an HMAC_DRBG seeded from it (the
 * identity key, the session key, ids, K, IVs, OAEP seeds, PSS salts), so the
 * transcript is byte-for-byte reproducible for the lab harness. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kexlab/drbg.h"
#include "kexlab/kex.h"

static const char *kex_help =
  "usage: kexlab demo kex [--profile seed|hardened] [--seed HEX] [--json]\n"
  "                       [--messages N] [--key-bits N]\n"
  "\n"
  "Run a client and a server of the key exchange in one process and print\n"
  "each step: session id, public key, identity signature (hardened), the key\n"
  "K and its RSA-OAEP wrapping, the derived keys, every frame with its fields\n"
  "labelled, the decrypted texts, and a rekey half way through.\n"
  "\n"
  "  --profile P    hardened (default) or seed (docs/protocol.md)\n"
  "  --seed HEX     seed every generator (HMAC_DRBG): a reproducible transcript.\n"
  "                 Default: the OS generator\n"
  "  --messages N   messages each way, 1..1000 (default 4)\n"
  "  --key-bits N   hardened session key size, 1024..4096 (default 2048; the\n"
  "                 seed profile is RSA-2048 by definition)\n"
  "  --json         one JSON object (for the lab harness)\n"
  "  -h, --help     this help\n"
  "\n"
  "Secrets are printed: this is a teaching tool.\n";

/* ---- output: text or JSON ---- */

typedef struct out {
  cli_json *j; /* NULL: text */
} out;

static void print_hex_wrapped(const char *indent, const uint8_t *b, size_t len)
{
  if (len == 0) {
    printf("(empty)\n");
    return;
  }
  for (size_t i = 0; i < len; i++) {
    if (i > 0 && i % 32 == 0)
      printf("\n%s", indent);
    printf("%02x", b[i]);
  }
  printf("\n");
}

/* "  label      hex" (text) or "label": "hex" (JSON). */
static void put_hex(out *o, const char *label, const uint8_t *b, size_t len)
{
  if (o->j != NULL) {
    cj_hex(o->j, label, b, len);
    return;
  }
  printf("    %-20s ", label);
  print_hex_wrapped("                         ", b, len);
}

static void put_text(out *o, const char *label, const char *text, size_t len)
{
  if (o->j != NULL) {
    cj_string_n(o->j, label, text, len);
    return;
  }
  printf("    %-20s \"%.*s\"\n", label, (int)len, text);
}

static void put_uint(out *o, const char *label, unsigned long long v)
{
  if (o->j != NULL) {
    cj_udecimal(o->j, label, v); /* every integer a decimal string */
    return;
  }
  printf("    %-20s %llu\n", label, v);
}

static void put_str(out *o, const char *label, const char *s)
{
  if (o->j != NULL) {
    cj_string(o->j, label, s);
    return;
  }
  printf("    %-20s %s\n", label, s);
}

static void begin(out *o, const char *key, const char *title)
{
  if (o->j != NULL)
    cj_object_begin(o->j, key);
  else
    printf("\n%s\n", title);
}

static void end(out *o)
{
  if (o->j != NULL)
    cj_object_end(o->j);
}

/* The client's trace: K, C and the derived keys, as they are made. */
static void trace_fn(void *user, const kl_trace_value *v)
{
  out *o = user;
  if (v->kind != KL_TRACE_BYTES)
    return;
  if (strcmp(v->label, "session_id") == 0)
    return; /* printed with the offer */
  put_hex(o, v->label, v->bytes, v->len);
}

/* Every field of a frame, labelled (docs/protocol.md). */
static void put_frame(out *o, kl_kex_profile p, const uint8_t *f, size_t len)
{
  kl_kex_frame_view v;
  put_hex(o, "frame", f, len);
  put_uint(o, "frame_bytes", len);
  if (kl_kex_frame_parse(&v, p, f, len) != KL_OK)
    return;
  if (p == KL_KEX_PROFILE_HARDENED) {
    uint8_t b[1];
    b[0] = v.version;
    put_hex(o, "version", b, 1);
    b[0] = v.type;
    put_hex(o, "type", b, 1);
    put_hex(o, "session_id", v.session_id, KL_KEX_ID_BYTES);
    put_uint(o, "seq", (unsigned long long)v.seq);
  }
  put_hex(o, "iv", v.iv, KL_KEX_IV_BYTES);
  put_hex(o, "ciphertext", v.ciphertext, v.ciphertext_len);
  if (p == KL_KEX_PROFILE_HARDENED)
    put_hex(o, "tag", v.tag, KL_KEX_TAG_BYTES);
}

/* ---- the application: "echo: " + the message, and a note of what it saw ---- */

typedef struct app {
  char seen[512];
  size_t seen_len;
} app;

static kl_err app_handler(void *user, const kl_kex_app_call *call, uint8_t *reply,
                          size_t *reply_len, const uint8_t *msg, size_t msg_len)
{
  app *a = user;
  static const char prefix[] = "echo: ";
  (void)call;
  if (msg_len > sizeof a->seen || msg_len + sizeof prefix - 1 > *reply_len)
    return KL_ERR_LEN;
  memcpy(a->seen, msg, msg_len);
  a->seen_len = msg_len;
  memcpy(reply, prefix, sizeof prefix - 1);
  memcpy(reply + sizeof prefix - 1, msg, msg_len);
  *reply_len = msg_len + sizeof prefix - 1;
  return KL_OK;
}

/* ---- the demo ---- */

typedef struct demo {
  out o;
  kl_kex_profile profile;
  kl_hmac_drbg d_srv, d_cli, d_id;
  kl_rng rng_srv, rng_cli, rng_id;
  kl_rsa_priv identity;
  kl_rsa_pub identity_pub;
  kl_kex_server srv;
  int srv_ready;
  kl_kex_client cli;
  int cli_ready;
  kl_tracer tracer;
  app a;
  kl_kex_offer offer;
  uint8_t frame[1024], reply[2048], text[2048];
} demo;

/* Three generators: server, client, identity key. Seeded: HMAC_DRBG on
 * seed || role, so each role's stream is independent and reproducible. */
static kl_err setup_rngs(demo *d, const uint8_t *seed, size_t seed_len)
{
  if (seed == NULL) {
    kl_rng_os(&d->rng_srv);
    kl_rng_os(&d->rng_cli);
    kl_rng_os(&d->rng_id);
    return KL_OK;
  }
  static const char *roles[3] = {"server", "client", "identity"};
  kl_hmac_drbg *ds[3] = {&d->d_srv, &d->d_cli, &d->d_id};
  kl_rng *rs[3] = {&d->rng_srv, &d->rng_cli, &d->rng_id};
  uint8_t buf[256 + 16];
  kl_err err = KL_OK;
  for (int i = 0; i < 3 && err == KL_OK; i++) {
    size_t rl = strlen(roles[i]);
    memcpy(buf, seed, seed_len);
    memcpy(buf + seed_len, roles[i], rl);
    err = kl_rng_seeded(rs[i], ds[i], buf, seed_len + rl);
  }
  kl_wipe(buf, sizeof buf);
  return err;
}

static int fail(const char *what, kl_err err)
{
  cli_error("demo kex", "%s: %s", what, kl_strerror(err));
  return cli_exit_for(err);
}

static int run(demo *d, size_t messages, unsigned key_bits)
{
  out *o = &d->o;
  kl_err err;
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES], auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t C_len, auth_len;

  /* 1. The server, with its identity (hardened) and no pool: the session's
   * pair is generated on demand. */
  kl_kex_server_config sc;
  kl_kex_server_config_default(&sc);
  sc.profiles = KL_KEX_PROFILE_BIT(d->profile);
  sc.key_bits = key_bits;
  sc.pool_size = 0;
  sc.max_payload = 512;
  sc.rng = &d->rng_srv;
  sc.handler = app_handler;
  sc.handler_user = &d->a;
  begin(o, "server", "== server: start");
  put_str(o, "profile", kl_kex_profile_name(d->profile));
  if (d->profile == KL_KEX_PROFILE_HARDENED) {
    /* The long-term identity: RSA-2048 (FIPS 186-5 A.1.3). */
    err = kl_rsa_keygen(&d->identity, &d->rng_id, 2048, NULL, 0, NULL);
    if (err != KL_OK)
      return fail("identity key generation", err);
    kl_rsa_priv_to_pub(&d->identity_pub, &d->identity);
    sc.identity = &d->identity;
    uint8_t fp[KL_KEX_FINGERPRINT_BYTES];
    err = kl_kex_fingerprint(fp, &d->identity_pub);
    if (err != KL_OK)
      return fail("fingerprint", err);
    put_hex(o, "identity_fingerprint", fp, sizeof fp);
  }
  err = kl_kex_server_init(&d->srv, &sc);
  if (err != KL_OK)
    return fail("server", err);
  d->srv_ready = 1;
  end(o);

  /* 2. POST /v1/sessions. */
  err = kl_kex_server_create(&d->srv, d->profile, 0, &d->offer);
  if (err != KL_OK)
    return fail("create session", err);
  begin(o, "session", "== server: new session (POST /v1/sessions)");
  put_str(o, "session_id", d->offer.session_id_str);
  put_hex(o, "session_id_hex", d->offer.session_id, KL_KEX_ID_BYTES);
  put_uint(o, "key_bits", (unsigned long long)d->offer.n_len * 8);
  put_hex(o, "n", d->offer.n, d->offer.n_len);
  put_hex(o, "e", d->offer.e, d->offer.e_len);
  put_hex(o, "spki_der", d->offer.spki, d->offer.spki_len);
  if (o->j != NULL)
    cj_string(o->j, "public_key_pem", d->offer.pem);
  else
    printf("    public_key_pem\n%s", d->offer.pem);
  if (d->profile == KL_KEX_PROFILE_HARDENED)
    put_hex(o, "identity_signature", d->offer.signature, d->offer.signature_len);
  end(o);

  /* 3. The client: check, make K, wrap it. */
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = d->profile;
  cc.max_payload = 512;
  if (d->profile == KL_KEX_PROFILE_HARDENED)
    cc.identity = &d->identity_pub; /* pinned */
  d->tracer.fn = trace_fn;
  d->tracer.user = o;
  cc.tracer = &d->tracer;
  err = kl_kex_client_init(&d->cli, &cc);
  if (err != KL_OK)
    return fail("client", err);
  d->cli_ready = 1;
  begin(o, "handshake", "== client: check the offer, make K, wrap it (POST .../key)");
  if (d->profile == KL_KEX_PROFILE_HARDENED)
    put_str(o, "identity_check", "RSA-PSS-SHA256 over id || SPKI: valid for the pinned key");
  else
    put_str(o, "identity_check", "none (seed profile: any public key is accepted)");
  put_str(o, "oaep",
          d->profile == KL_KEX_PROFILE_SEED ? "RSAES-OAEP SHA-1, MGF1-SHA-1, empty label"
                                            : "RSAES-OAEP SHA-256, MGF1-SHA-256, empty label");
  C_len = sizeof C;
  err = kl_kex_client_handshake(&d->cli, &d->rng_cli, &d->offer, C, &C_len);
  if (err != KL_OK)
    return fail("client handshake", err);
  err = kl_kex_server_set_key(&d->srv, d->offer.session_id, 0, C, C_len);
  if (err != KL_OK)
    return fail("server set key", err);
  put_str(o, "server", "unwrapped K: session established");
  end(o);

  /* 4. Messages, with a rekey half way. */
  if (o->j != NULL)
    cj_array_begin(o->j, "steps");
  for (size_t i = 0; i < messages; i++) {
    if (i == messages / 2) {
      if (o->j != NULL)
        cj_object_begin(o->j, NULL);
      else
        printf("\n== rekey (POST .../rekey)\n");
      if (o->j != NULL)
        cj_string(o->j, "step", "rekey");
      C_len = sizeof C;
      auth_len = sizeof auth;
      err = kl_kex_client_rekey_begin(&d->cli, &d->rng_cli, C, &C_len, auth, &auth_len);
      if (err != KL_OK)
        return fail("rekey", err);
      if (d->profile == KL_KEX_PROFILE_HARDENED)
        put_hex(o, "auth", auth, auth_len);
      else
        put_str(o, "auth", "none (seed profile: anyone who knows the id can rekey)");
      err = kl_kex_server_rekey(&d->srv, d->offer.session_id, 0, C, C_len, auth, auth_len);
      if (err != KL_OK)
        return fail("server rekey", err);
      err = kl_kex_client_rekey_commit(&d->cli);
      if (err != KL_OK)
        return fail("rekey commit", err);
      put_str(o, "server", "accepted: every later frame uses the new keys");
      if (o->j != NULL)
        cj_object_end(o->j);
    }
    char msg[128];
    int n = snprintf(msg, sizeof msg, "message %zu from the client", i + 1);
    size_t frame_len = sizeof d->frame, reply_len = sizeof d->reply, text_len = sizeof d->text;
    err = kl_kex_client_seal(&d->cli, &d->rng_cli, d->frame, &frame_len, (const uint8_t *)msg,
                             (size_t)n);
    if (err != KL_OK)
      return fail("seal", err);
    if (o->j != NULL) {
      cj_object_begin(o->j, NULL);
      cj_string(o->j, "step", "message");
      cj_object_begin(o->j, "request");
    } else {
      printf("\n== message %zu: client -> server (POST .../messages)\n", i + 1);
    }
    put_text(o, "plaintext", msg, (size_t)n);
    put_frame(o, d->profile, d->frame, frame_len);
    err = kl_kex_server_message(&d->srv, d->offer.session_id, 0, d->reply, &reply_len, d->frame,
                                frame_len);
    if (err != KL_OK)
      return fail("server message", err);
    put_text(o, "server_read", d->a.seen, d->a.seen_len);
    if (o->j != NULL) {
      cj_object_end(o->j);
      cj_object_begin(o->j, "reply");
    } else {
      printf("  reply: server -> client\n");
    }
    put_frame(o, d->profile, d->reply, reply_len);
    err = kl_kex_client_open(&d->cli, d->text, &text_len, d->reply, reply_len);
    if (err != KL_OK)
      return fail("open reply", err);
    put_text(o, "plaintext", (const char *)d->text, text_len);
    if (o->j != NULL) {
      cj_object_end(o->j);
      cj_object_end(o->j);
    }
  }
  if (o->j != NULL)
    cj_array_end(o->j);

  /* 5. DELETE /v1/sessions/{id}. */
  err = kl_kex_server_close(&d->srv, d->offer.session_id);
  if (err != KL_OK)
    return fail("close", err);
  begin(o, "close", "== close (DELETE /v1/sessions/{id})");
  put_str(o, "server", "session keys wiped");
  end(o);
  return KL_EXIT_OK;
}

int demo_kex(int argc, char **argv)
{
  static const struct option opts[] = {
    {"profile", required_argument, NULL, 'p'},
    {"seed", required_argument, NULL, 's'},
    {"json", no_argument, NULL, 'j'},
    {"messages", required_argument, NULL, 'm'},
    {"key-bits", required_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *cmd = "demo kex";
  const char *profile_name = "hardened";
  const char *seed_hex = NULL;
  int json = 0;
  size_t messages = 4, key_bits = 2048;
  int rc;

  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'p':
      profile_name = optarg;
      break;
    case 's':
      seed_hex = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'm':
      rc = cli_parse_size(cmd, "--messages", optarg, 1, 1000, &messages);
      if (rc != KL_EXIT_OK)
        return rc;
      break;
    case 'b':
      rc = cli_parse_size(cmd, "--key-bits", optarg, 1024, 4096, &key_bits);
      if (rc != KL_EXIT_OK)
        return rc;
      if (key_bits % 2 != 0)
        return cli_usage_error(cmd, "--key-bits must be even");
      break;
    case 'h':
      fputs(kex_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  kl_kex_profile profile;
  if (kl_kex_profile_from_name(profile_name, &profile) != KL_OK)
    return cli_usage_error(cmd, "unknown profile '%s' (hardened or seed)", profile_name);

  uint8_t *seed = NULL;
  size_t seed_len = 0;
  if (seed_hex != NULL) {
    rc = cli_parse_hex(cmd, "--seed", seed_hex, &seed, &seed_len);
    if (rc != KL_EXIT_OK)
      return rc;
    if (seed_len == 0 || seed_len > 256) {
      kl_wipe(seed, seed_len);
      free(seed);
      return cli_usage_error(cmd, "--seed needs 1 to 256 bytes of hex");
    }
  }

  demo *d = calloc(1, sizeof *d);
  if (d == NULL) {
    kl_wipe(seed, seed_len);
    free(seed);
    return fail("memory", KL_ERR_NOMEM);
  }
  d->profile = profile;
  kl_rsa_priv_init(&d->identity);
  kl_rsa_pub_init(&d->identity_pub);
  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    d->o.j = &j;
    cj_command_begin(&j, "demo kex");
    cj_string(&j, "profile", kl_kex_profile_name(profile));
    if (seed != NULL)
      cj_hex(&j, "seed", seed, seed_len);
    else
      cj_null(&j, "seed");
  } else {
    printf("kexlab demo kex: profile %s, %zu message(s) each way, %s\n",
           kl_kex_profile_name(profile), messages,
           seed != NULL ? "seeded (reproducible)" : "OS randomness");
  }
  cli_trace_banner(stderr);
  rc = KL_EXIT_OK;
  kl_err err = setup_rngs(d, seed, seed_len);
  if (err != KL_OK)
    rc = fail("seeding", err);
  if (rc == KL_EXIT_OK)
    rc = run(d, messages, (unsigned)key_bits);
  if (json) {
    cj_bool(&j, "ok", rc == KL_EXIT_OK);
    cj_object_end(&j);
    cj_finish(&j);
  }

  if (d->cli_ready)
    kl_kex_client_clear(&d->cli);
  if (d->srv_ready)
    kl_kex_server_clear(&d->srv);
  kl_rsa_priv_clear(&d->identity);
  kl_rsa_pub_clear(&d->identity_pub);
  kl_hmac_drbg_clear(&d->d_srv);
  kl_hmac_drbg_clear(&d->d_cli);
  kl_hmac_drbg_clear(&d->d_id);
  kl_wipe(d, sizeof *d);
  free(d);
  if (seed != NULL) {
    kl_wipe(seed, seed_len);
    free(seed);
  }
  return rc;
}
