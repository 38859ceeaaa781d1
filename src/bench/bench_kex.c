/* bench_kex.c: `kexlab bench kex`: the key exchange's cost, in one process.
 *  - handshakes/s with a warm pool (hardened, seed): create (pool take: the
 *    entry's id, SPKI, PEM and identity signature were made when it was
 *    pooled) + client check (PSS verify) and wrap + set_key (OAEP
 *    decryption, HKDF) + close;
 *  - the pool's preparation of one entry, off the request path (id, offer,
 *    identity signature; kl_kex_server_pool_add of an existing pair, so
 *    without key generation), timed separately;
 *  - the goal's baseline, measured in the same run: one RSA-2048 OAEP-SHA-256
 *    decryption plus one RSA-2048 PSS-SHA-256 signature, through the same
 *    library calls; the ratio warm-hardened / baseline (goal <= 1.2), and,
 *    since a warm handshake now has only the OAEP decryption on its path,
 *    the ratio to one OAEP decryption alone and the ratio of warm + entry
 *    preparation (all the server's per-session work but key generation) to
 *    the baseline;
 *  - handshakes/s with no pool: every session pays an RSA key generation,
 *    which is the sustained rate once a pool is drained (docs/threat-model.md);
 *  - messages/s (round trips: seal, server open + echo + seal, open) for 64 B
 *    and 16 KiB payloads, both profiles.
 * The warm, baseline and message measurements are interleaved round by
 * round and reported as medians (the machine is shared and noisy).
 * Time is process CPU time (CLOCK_PROCESS_CPUTIME_ID): client and server
 * run in this one process and thread, so it is their work together, and
 * time the scheduler gives to other processes on the shared machine is not
 * counted. Rates are per CPU second. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "bench.h"
#include "kexlab/drbg.h"
#include "kexlab/kex.h"
#include "kexlab/oaep.h"
#include "kexlab/pss.h"

static const char *bench_help =
  "usage: kexlab bench kex [--rounds N] [--handshakes N] [--keygens N] [--quick] [--json]\n"
  "\n"
  "  --rounds N      interleaved rounds; medians are reported (default 7)\n"
  "  --handshakes N  warm-pool handshakes per round and profile (default 20)\n"
  "  --keygens N     handshakes without a pool, per profile (default 8)\n"
  "  --quick         3 rounds, 5 handshakes, 2 keygens (figures marked quick)\n"
  "  --json          machine-readable output\n"
  "\n"
  "Times are process CPU time: client and server run in this one process.\n";

typedef struct bench {
  kl_rng rng; /* OS generator: what a server uses */
  kl_rsa_priv identity, hard_key, seed_key;
  kl_rsa_pub identity_pub;
  kl_kex_server srv;    /* pool, both profiles */
  kl_kex_server nopool; /* no pool: key generation per session */
  kl_kex_offer offer;
  uint8_t C[512];
  uint8_t f[16384 + 256], r[16384 + 256], out[16384 + 256];
} bench;

static kl_err server_start(bench *b, kl_kex_server *srv, size_t pool)
{
  kl_kex_server_config sc;
  kl_kex_server_config_default(&sc);
  sc.rng = &b->rng;
  sc.identity = &b->identity;
  sc.key_bits = 2048;
  sc.pool_size = pool;
  sc.max_payload = 16384;
  sc.max_sessions = 64;
  return kl_kex_server_init(srv, &sc);
}

/* A client of profile p that pins the bench's identity key. */
static kl_err client_init(bench *b, kl_kex_client *cli, kl_kex_profile p)
{
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.profile = p;
  cc.identity = &b->identity_pub;
  return kl_kex_client_init(cli, &cc);
}

/* One full handshake on srv (then close). */
static kl_err handshake(bench *b, kl_kex_server *srv, kl_kex_profile p)
{
  kl_kex_client cli;
  size_t C_len = sizeof b->C;
  kl_err err = client_init(b, &cli, p);
  if (err != KL_OK)
    return err;
  err = kl_kex_server_create(srv, p, 0, &b->offer);
  if (err == KL_OK)
    err = kl_kex_client_handshake(&cli, &b->rng, &b->offer, b->C, &C_len);
  if (err == KL_OK)
    err = kl_kex_server_set_key(srv, b->offer.session_id, 0, b->C, C_len);
  if (err == KL_OK)
    err = kl_kex_server_close(srv, b->offer.session_id);
  kl_kex_client_clear(&cli);
  return err;
}

/* Seconds per warm-pool handshake over n, and (prep) per pool entry
 * prepared before them (the worker's share: id, offer, signature). */
static kl_err time_warm(bench *b, kl_kex_profile p, size_t n, double *per, double *prep)
{
  const kl_rsa_priv *key = p == KL_KEX_PROFILE_SEED ? &b->seed_key : &b->hard_key;
  double t_prep = bench_cpu_seconds();
  for (size_t i = 0; i < n; i++) {
    kl_err err = kl_kex_server_pool_add(&b->srv, p, key);
    if (err != KL_OK)
      return err;
  }
  *prep = (bench_cpu_seconds() - t_prep) / (double)n;
  double t0 = bench_cpu_seconds();
  for (size_t i = 0; i < n; i++) {
    kl_err err = handshake(b, &b->srv, p);
    if (err != KL_OK)
      return err;
  }
  *per = (bench_cpu_seconds() - t0) / (double)n;
  return KL_OK;
}

/* Seconds per (OAEP-SHA-256 decryption + PSS-SHA-256 signature), RSA-2048. */
static kl_err time_baseline(bench *b, size_t n, double *per)
{
  kl_oaep_params op = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  kl_pss_params pp = {KL_HASH_SHA256, 32, 0, 0};
  kl_rsa_pub pub;
  uint8_t K[32] = {1}, M[256], S[256];
  size_t C_len = sizeof b->C;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &b->hard_key);
  kl_err err = kl_rsa_oaep_encrypt(&pub, &op, &b->rng, NULL, b->C, &C_len, K, sizeof K);
  kl_rsa_pub_clear(&pub);
  if (err != KL_OK)
    return err;
  double t0 = bench_cpu_seconds();
  for (size_t i = 0; i < n && err == KL_OK; i++) {
    size_t mLen = sizeof M, sLen = sizeof S;
    err = kl_rsa_oaep_decrypt(&b->hard_key, &op, &b->rng, NULL, M, &mLen, b->C, C_len);
    if (err == KL_OK)
      err = kl_rsa_pss_sign(&b->identity, &pp, &b->rng, S, &sLen, b->C, 300);
  }
  *per = (bench_cpu_seconds() - t0) / (double)n;
  return err;
}

/* Seconds per RSA-2048 OAEP-SHA-256 decryption alone (the one private
 * operation left on a warm handshake's path). */
static kl_err time_oaep(bench *b, size_t n, double *per)
{
  kl_oaep_params op = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  kl_rsa_pub pub;
  uint8_t K[32] = {2}, M[256];
  size_t C_len = sizeof b->C;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &b->hard_key);
  kl_err err = kl_rsa_oaep_encrypt(&pub, &op, &b->rng, NULL, b->C, &C_len, K, sizeof K);
  kl_rsa_pub_clear(&pub);
  double t0 = bench_cpu_seconds();
  for (size_t i = 0; i < n && err == KL_OK; i++) {
    size_t mLen = sizeof M;
    err = kl_rsa_oaep_decrypt(&b->hard_key, &op, &b->rng, NULL, M, &mLen, b->C, C_len);
  }
  *per = (bench_cpu_seconds() - t0) / (double)n;
  kl_wipe(M, sizeof M);
  return err;
}

/* Seconds per message round trip of len bytes on an established session. */
static kl_err time_messages(bench *b, kl_kex_profile p, size_t len, size_t n, double *per)
{
  kl_kex_client cli;
  size_t C_len = sizeof b->C;
  const kl_rsa_priv *key = p == KL_KEX_PROFILE_SEED ? &b->seed_key : &b->hard_key;
  kl_err err = client_init(b, &cli, p);
  if (err != KL_OK)
    return err;
  err = kl_kex_server_pool_add(&b->srv, p, key);
  if (err == KL_OK)
    err = kl_kex_server_create(&b->srv, p, 0, &b->offer);
  if (err == KL_OK)
    err = kl_kex_client_handshake(&cli, &b->rng, &b->offer, b->C, &C_len);
  if (err == KL_OK)
    err = kl_kex_server_set_key(&b->srv, b->offer.session_id, 0, b->C, C_len);
  memset(b->out, 'm', len);
  double t0 = bench_cpu_seconds();
  for (size_t i = 0; i < n && err == KL_OK; i++) {
    size_t fl = sizeof b->f, rl = sizeof b->r, ol = sizeof b->out;
    err = kl_kex_client_seal(&cli, &b->rng, b->f, &fl, b->out, len);
    if (err == KL_OK)
      err = kl_kex_server_message(&b->srv, b->offer.session_id, 0, b->r, &rl, b->f, fl);
    if (err == KL_OK)
      err = kl_kex_client_open(&cli, b->out, &ol, b->r, rl);
  }
  *per = (bench_cpu_seconds() - t0) / (double)n;
  if (err == KL_OK)
    err = kl_kex_server_close(&b->srv, b->offer.session_id);
  kl_kex_client_clear(&cli);
  return err;
}

enum {
  MAXR = 101
};

int bench_kex(int argc, char **argv)
{
  static const char *cmd = "bench kex";
  static const struct option opts[] = {
    {"rounds", required_argument, NULL, 'r'},
    {"handshakes", required_argument, NULL, 'n'},
    {"keygens", required_argument, NULL, 'k'},
    {"quick", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  size_t rounds = 7, hs = 20, keygens = 8;
  int json = 0, quick = 0, rc;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'r':
      if ((rc = cli_parse_size(cmd, "--rounds", optarg, 1, MAXR, &rounds)) != KL_EXIT_OK)
        return rc;
      break;
    case 'n':
      if ((rc = cli_parse_size(cmd, "--handshakes", optarg, 1, 10000, &hs)) != KL_EXIT_OK)
        return rc;
      break;
    case 'k':
      if ((rc = cli_parse_size(cmd, "--keygens", optarg, 1, 1000, &keygens)) != KL_EXIT_OK)
        return rc;
      break;
    case 'q':
      quick = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(bench_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (quick) {
    rounds = 3;
    hs = 5;
    keygens = 2;
  }

  bench *b = calloc(1, sizeof *b);
  if (b == NULL)
    return KL_EXIT_FAIL;
  kl_rng_os(&b->rng);
  kl_rsa_priv_init(&b->identity);
  kl_rsa_priv_init(&b->hard_key);
  kl_rsa_priv_init(&b->seed_key);
  kl_rsa_pub_init(&b->identity_pub);
  int started = 0, started_nopool = 0;
  kl_err err = kl_rsa_keygen(&b->identity, &b->rng, 2048, NULL, 0, NULL);
  if (err == KL_OK)
    err = kl_rsa_keygen(&b->hard_key, &b->rng, 2048, NULL, 0, NULL);
  if (err == KL_OK)
    err = kl_rsa_keygen(&b->seed_key, &b->rng, 2048, NULL, 0, NULL);
  if (err == KL_OK) {
    kl_rsa_priv_to_pub(&b->identity_pub, &b->identity);
    err = server_start(b, &b->srv, hs + 1);
    started = err == KL_OK;
  }
  if (err == KL_OK) {
    err = server_start(b, &b->nopool, 0);
    started_nopool = err == KL_OK;
  }

  /* Interleaved rounds: baseline, warm hardened, warm seed, messages. */
  static double base[MAXR], oaep[MAXR], warm_h[MAXR], warm_s[MAXR], prep_h[MAXR], prep_s[MAXR];
  static double msg[2][2][MAXR];
  const size_t sizes[2] = {64, 16384};
  const size_t counts[2] = {2000, 200};
  for (size_t r = 0; r < rounds && err == KL_OK; r++) {
    err = time_baseline(b, hs, &base[r]);
    if (err == KL_OK)
      err = time_oaep(b, hs, &oaep[r]);
    if (err == KL_OK)
      err = time_warm(b, KL_KEX_PROFILE_HARDENED, hs, &warm_h[r], &prep_h[r]);
    if (err == KL_OK)
      err = time_warm(b, KL_KEX_PROFILE_SEED, hs, &warm_s[r], &prep_s[r]);
    for (int p = 0; p < 2 && err == KL_OK; p++)
      for (int s = 0; s < 2 && err == KL_OK; s++)
        err = time_messages(b, p ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED, sizes[s],
                            quick ? counts[s] / 10 : counts[s], &msg[p][s][r]);
  }
  /* Drained pool: each handshake generates its RSA-2048 pair. */
  double cold[2] = {0, 0};
  for (int p = 0; p < 2 && err == KL_OK; p++) {
    double t0 = bench_cpu_seconds();
    for (size_t i = 0; i < keygens && err == KL_OK; i++)
      err = handshake(b, &b->nopool, p ? KL_KEX_PROFILE_SEED : KL_KEX_PROFILE_HARDENED);
    cold[p] = (bench_cpu_seconds() - t0) / (double)keygens;
  }

  if (err != KL_OK) {
    rc = cli_lib_error(cmd, err);
  } else {
    double mb = bench_median(base, rounds);
    double mh = bench_median(warm_h, rounds), ms = bench_median(warm_s, rounds);
    double mo = bench_median(oaep, rounds);
    double mph = bench_median(prep_h, rounds), mps = bench_median(prep_s, rounds);
    double mm[2][2];
    for (int p = 0; p < 2; p++)
      for (int s = 0; s < 2; s++)
        mm[p][s] = bench_median(msg[p][s], rounds);
    const char *pn[2] = {"hardened", "seed"};
    if (json) {
      cli_json j;
      cj_init(&j, stdout);
      cj_command_begin(&j, "bench kex");
      cj_bool(&j, "quick", quick);
      cj_udecimal(&j, "rounds", rounds);
      cj_udecimal(&j, "key_bits", 2048);
      cj_string(&j, "clock", "process CPU time (client and server in one process)");
      cj_object_begin(&j, "baseline");
      cj_string(&j, "what", "RSA-2048 OAEP-SHA-256 decryption + PSS-SHA-256 signature");
      cj_double(&j, "ms", mb * 1e3);
      cj_double(&j, "oaep_decrypt_ms", mo * 1e3);
      cj_object_end(&j);
      cj_object_begin(&j, "pool_entry_preparation");
      cj_string(&j, "what", "id + offer (+ identity PSS signature, hardened), in the pool worker");
      cj_double(&j, "hardened_ms", mph * 1e3);
      cj_double(&j, "seed_ms", mps * 1e3);
      cj_object_end(&j);
      cj_object_begin(&j, "handshake_warm_pool");
      cj_double(&j, "hardened_ms", mh * 1e3);
      cj_double(&j, "hardened_per_s", 1.0 / mh);
      cj_double(&j, "seed_ms", ms * 1e3);
      cj_double(&j, "seed_per_s", 1.0 / ms);
      cj_double(&j, "hardened_over_baseline", mh / mb);
      cj_bool(&j, "goal_met", mh / mb <= 1.2);
      cj_double(&j, "hardened_over_oaep_decrypt", mh / mo);
      cj_double(&j, "hardened_plus_preparation_over_baseline", (mh + mph) / mb);
      cj_object_end(&j);
      cj_object_begin(&j, "handshake_no_pool");
      cj_udecimal(&j, "handshakes", keygens);
      cj_double(&j, "hardened_per_s", 1.0 / cold[0]);
      cj_double(&j, "seed_per_s", 1.0 / cold[1]);
      cj_object_end(&j);
      cj_array_begin(&j, "messages");
      for (int p = 0; p < 2; p++) {
        for (int s = 0; s < 2; s++) {
          cj_object_begin(&j, NULL);
          cj_string(&j, "profile", pn[p]);
          cj_udecimal(&j, "payload_bytes", sizes[s]);
          cj_double(&j, "round_trips_per_s", 1.0 / mm[p][s]);
          cj_double(&j, "payload_mb_per_s_each_way", (double)sizes[s] / mm[p][s] / 1e6);
          cj_object_end(&j);
        }
      }
      cj_array_end(&j);
      cj_object_end(&j);
      cj_finish(&j);
    } else {
      printf("kexlab bench kex: RSA-2048, medians of %zu interleaved rounds%s\n", rounds,
             quick ? " (QUICK: not for reports)" : "");
      printf("  time: process CPU time (client and server in this one process); rates per CPU "
             "second\n");
      printf("  baseline: OAEP-SHA-256 decrypt + PSS-SHA-256 sign  %8.3f ms\n", mb * 1e3);
      printf("  one OAEP-SHA-256 decrypt alone                     %8.3f ms\n", mo * 1e3);
      printf(
        "  handshake, warm pool, hardened  %8.3f ms  %8.1f /s  (%.2fx baseline; goal <= 1.2)\n",
        mh * 1e3, 1.0 / mh, mh / mb);
      printf("    = %.2fx one OAEP decrypt (the one private op left on the path)\n", mh / mo);
      printf(
        "  pool entry preparation (worker): hardened %.3f ms (id, offer, PSS sign), seed %.3f ms\n",
        mph * 1e3, mps * 1e3);
      printf("    warm hardened + its preparation %8.3f ms  (%.2fx baseline)\n", (mh + mph) * 1e3,
             (mh + mph) / mb);
      printf("  handshake, warm pool, seed      %8.3f ms  %8.1f /s\n", ms * 1e3, 1.0 / ms);
      printf("  handshake, no pool (keygen), hardened %8.1f /s, seed %8.1f /s  (%zu each)\n",
             1.0 / cold[0], 1.0 / cold[1], keygens);
      for (int p = 0; p < 2; p++)
        for (int s = 0; s < 2; s++)
          printf("  messages %-8s %6zu B   %10.0f round trips/s  %8.1f MB/s each way\n", pn[p],
                 sizes[s], 1.0 / mm[p][s], (double)sizes[s] / mm[p][s] / 1e6);
    }
    rc = KL_EXIT_OK;
  }
  if (started)
    kl_kex_server_clear(&b->srv);
  if (started_nopool)
    kl_kex_server_clear(&b->nopool);
  kl_rsa_priv_clear(&b->identity);
  kl_rsa_priv_clear(&b->hard_key);
  kl_rsa_priv_clear(&b->seed_key);
  kl_rsa_pub_clear(&b->identity_pub);
  kl_wipe(b, sizeof *b);
  free(b);
  return rc;
}
