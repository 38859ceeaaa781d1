/* bench_http.c: `kexlab bench http`: handshakes and messages over loopback
 * HTTP against an in-process `kexlab serve` (or --url), with TLS 1.2 in the
 * same run for comparison:
 *   openssl s_server -tls1_2 -cipher AES256-SHA256 (RSA-2048 key transport,
 *   AES-256-CBC: the closest real-world relative), timed by `openssl s_time
 *   -new` (a full handshake per connection), one s_time per client.
 * Ours: a handshake is POST /v1/sessions + POST .../key with the client's
 * RSA work included (identity check, OAEP wrap): what a user waits for,
 * on a kept-alive connection. Two states of the server's key pool are
 * measured, each figure printed beside its state: a warm pool (filled
 * before each round, and no more sessions than it holds) and a drained one
 * (a second server with no pool: every session generates its key pair, the
 * rate a server falls to once its pool is empty).
 * s_time reports a count of connections, so TLS latency is a mean: wall
 * time x clients / connections (s_time runs each connection after the
 * other, TCP connect included); it is set against our mean, and TLS
 * handshakes/s against ours only when our sessions carry no messages.
 * Rounds interleave ours and TLS; medians.
 * The server and the clients share the machine (2 cores here): figures are
 * for comparison within one run, not absolute. */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "bench.h"
#include "http_load.h"

extern char **environ;

#define MAX_ROUNDS 15

static const char *const CMD = "bench http";

static const char *bench_http_help =
  "usage: kexlab bench http [options]\n"
  "\n"
  "Handshakes/s, messages/s and p50/p99/mean latencies over loopback HTTP, with a\n"
  "warm key pool and with a drained one, and a TLS 1.2 RSA handshake (openssl\n"
  "s_server -cipher AES256-SHA256 -tls1_2, openssl s_time) in the same run,\n"
  "interleaved; medians of the rounds. s_time gives only a rate, so TLS is\n"
  "compared mean against mean.\n"
  "\n"
  "  --clients N      concurrent clients (default 1)\n"
  "  --duration S     seconds per measurement (default 3)\n"
  "  --sessions N     stop each client after N sessions (default 0: the warm pool's\n"
  "                   size shared among the clients, else --duration only)\n"
  "  --messages N     messages per session (default 10)\n"
  "  --rekey-every N  rekey every N messages (default 0)\n"
  "  --payload BYTES  message size (default 64)\n"
  "  --profile NAME   hardened (default) or seed\n"
  "  --pool N         key pool of the in-process server (default 64; it is filled\n"
  "                   before each round: a warm pool). 0: the drained pool only\n"
  "  --key-bits N     hardened session keys (default 2048)\n"
  "  --threads N      server threads (default 4)\n"
  "  --rounds N       rounds (1..15, default 1)\n"
  "  --url URL        benchmark a running server instead (needs --pin for hardened)\n"
  "  --pin HEX        its identity fingerprint\n"
  "  --cacert FILE    with an https --url: trust the certificates in FILE (PEM)\n"
  "  --no-tls         skip the TLS comparison\n"
  "  --no-drained     skip the drained-pool measurement (a second server, pool 0)\n"
  "  --json           machine-readable output\n"
  "  -h, --help       this help\n"
  "\n"
  "Build with --buildtype=release for meaningful figures.\n";

/* ---- the TLS peer ------------------------------------------------------ */

typedef struct tls_peer {
  char dir[64];
  pid_t pid;
  int port;
} tls_peer;

static int run_quiet(const char *cmd)
{
  int st = system(cmd);
  return st == 0;
}

/* Make a certificate and start s_server on a free loopback port. */
static int tls_start(tls_peer *t)
{
  memset(t, 0, sizeof *t);
  t->pid = -1;
  snprintf(t->dir, sizeof t->dir, "/tmp/kexlab-bench-tls-XXXXXX");
  if (mkdtemp(t->dir) == NULL)
    return 0;
  char cmd[512];
  snprintf(cmd, sizeof cmd,
           "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s/key.pem -out %s/cert.pem "
           "-subj /CN=localhost -days 1 >/dev/null 2>&1",
           t->dir, t->dir);
  if (!run_quiet(cmd))
    return 0;
  char cert[128], key[128], out[128];
  snprintf(cert, sizeof cert, "%s/cert.pem", t->dir);
  snprintf(key, sizeof key, "%s/key.pem", t->dir);
  snprintf(out, sizeof out, "%s/out.txt", t->dir);
  /* -www: answer s_time's connections properly; -accept port 0: the kernel
   * picks a free port and s_server prints "ACCEPT 127.0.0.1:<port>". Its
   * output goes to a file (a pipe nobody reads could fill and block it). */
  /* posix_spawnp's argv is char *const[]: each word is a writable array. */
  char openssl[] = "openssl", s_server[] = "s_server", o_accept[] = "-accept",
       addr[] = "127.0.0.1:0", o_cert[] = "-cert", o_key[] = "-key", o_tls[] = "-tls1_2",
       o_cipher[] = "-cipher", cipher[] = "AES256-SHA256", o_www[] = "-www",
       o_naccept[] = "-naccept", naccept[] = "100000000";
  char *args[] = {openssl, s_server, o_accept, addr,  o_cert,    cert,    o_key, key,
                  o_tls,   o_cipher, cipher,   o_www, o_naccept, naccept, NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&t->pid, "openssl", &fa, NULL, args, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    t->pid = -1;
    return 0;
  }
  double end = bench_wall_seconds() + 10;
  while (t->port == 0 && bench_wall_seconds() < end) {
    FILE *f = fopen(out, "r");
    char line[256];
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
      const char *a = strstr(line, "ACCEPT 127.0.0.1:");
      if (a != NULL)
        t->port = atoi(a + 17);
    }
    if (f != NULL)
      fclose(f);
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  return t->port > 0;
}

static void tls_stop(tls_peer *t)
{
  if (t->pid > 0) {
    kill(t->pid, SIGTERM);
    waitpid(t->pid, NULL, 0);
  }
  char cmd[128];
  if (t->dir[0] != '\0') {
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
    (void)run_quiet(cmd);
  }
}

/* N s_time processes at once for `seconds`; connections per second and the
 * mean handshake latency in ms. */
static int tls_measure(const tls_peer *t, unsigned clients, int seconds, double *rate,
                       double *lat_ms)
{
  FILE *p[64];
  unsigned n = clients > 64 ? 64 : clients;
  char cmd[256];
  snprintf(cmd, sizeof cmd,
           "openssl s_time -connect 127.0.0.1:%d -new -time %d -cipher AES256-SHA256 "
           "2>/dev/null",
           t->port, seconds);
  double t0 = bench_wall_seconds();
  for (unsigned i = 0; i < n; i++)
    p[i] = popen(cmd, "r");
  unsigned long total = 0;
  for (unsigned i = 0; i < n; i++) {
    if (p[i] == NULL)
      continue;
    char line[4096];
    unsigned long conns = 0;
    while (fgets(line, sizeof line, p[i]) != NULL) {
      /* "1805 connections in 1.06s; 1702.83 connections/user sec, ..." */
      unsigned long c;
      if (strstr(line, "connections in") != NULL && strstr(line, "user sec") != NULL &&
          sscanf(line, "%lu connections", &c) == 1)
        conns = c;
    }
    pclose(p[i]);
    total += conns;
  }
  double wall = bench_wall_seconds() - t0;
  if (total == 0)
    return 0;
  *rate = (double)total / wall;
  *lat_ms = wall * 1e3 * n / (double)total;
  return 1;
}

/* ---- ours -------------------------------------------------------------- */

static void wait_pool_full(kl_http_server *srv, double timeout)
{
  double end = bench_wall_seconds() + timeout;
  while (kl_kex_server_pool_need(&srv->kex) > 0 && bench_wall_seconds() < end) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* The pool's state during a phase, as printed beside its figures. */
typedef enum pool_state {
  POOL_WARM,    /* filled before each round, no key generated inline */
  POOL_RAN_DRY, /* filled before each round, yet some sessions generated keys */
  POOL_DRAINED, /* pool size 0: every session generates its key pair */
  POOL_UNKNOWN  /* --url: another process's server */
} pool_state;

static const char *const pool_state_names[] = {"warm", "ran_dry", "drained", "unknown"};

/* One measured phase: the load generator's figures for each round. */
typedef struct phase {
  kl_http_server *srv; /* NULL with --url */
  size_t pool;         /* its pool size */
  bench_http_load_config lc;
  size_t n; /* rounds done */
  double hs_rate[MAX_ROUNDS], msg_rate[MAX_ROUNDS];
  double hs50[MAX_ROUNDS], hs99[MAX_ROUNDS], hs_mean[MAX_ROUNDS];
  double m50[MAX_ROUNDS], m99[MAX_ROUNDS], m_mean[MAX_ROUNDS];
  unsigned long handshakes, messages, rekeys, errors, inline_keygen;
} phase;

/* Medians over a phase's rounds. */
typedef struct phase_medians {
  double hs_rate, msg_rate, hs50, hs99, hs_mean, m50, m99, m_mean;
} phase_medians;

/* One round of ph: a full pool first (own server), then the load. */
static kl_err phase_round(phase *ph, char *first_error, size_t cap)
{
  kl_kex_server_stats before, after;
  if (ph->srv != NULL) {
    wait_pool_full(ph->srv, 120);
    kl_kex_server_get_stats(&ph->srv->kex, &before);
  }
  bench_http_load_result res;
  kl_err err = bench_http_load_run(&ph->lc, &res);
  if (err != KL_OK)
    return err;
  if (ph->srv != NULL) {
    kl_kex_server_get_stats(&ph->srv->kex, &after);
    ph->inline_keygen += (unsigned long)(after.keygen_inline - before.keygen_inline);
  }
  ph->errors += res.errors;
  if (first_error[0] == '\0')
    snprintf(first_error, cap, "%s", res.first_error);
  ph->handshakes += res.handshakes;
  ph->messages += res.messages;
  ph->rekeys += res.rekeys;
  size_t r = ph->n++;
  ph->hs_rate[r] = (double)res.handshakes / res.elapsed_s;
  ph->msg_rate[r] = (double)res.messages / res.elapsed_s;
  ph->hs50[r] = res.hs_p50_ms;
  ph->hs99[r] = res.hs_p99_ms;
  ph->hs_mean[r] = res.hs_mean_ms;
  ph->m50[r] = res.msg_p50_ms;
  ph->m99[r] = res.msg_p99_ms;
  ph->m_mean[r] = res.msg_mean_ms;
  return KL_OK;
}

static pool_state phase_state(const phase *ph)
{
  if (ph->srv == NULL)
    return POOL_UNKNOWN;
  if (ph->pool == 0)
    return POOL_DRAINED;
  return ph->inline_keygen == 0 ? POOL_WARM : POOL_RAN_DRY;
}

static void phase_summarise(phase *ph, phase_medians *m)
{
  m->hs_rate = bench_median(ph->hs_rate, ph->n);
  m->msg_rate = bench_median(ph->msg_rate, ph->n);
  m->hs50 = bench_median(ph->hs50, ph->n);
  m->hs99 = bench_median(ph->hs99, ph->n);
  m->hs_mean = bench_median(ph->hs_mean, ph->n);
  m->m50 = bench_median(ph->m50, ph->n);
  m->m99 = bench_median(ph->m99, ph->n);
  m->m_mean = bench_median(ph->m_mean, ph->n);
}

/* "warm pool of 64", ...: what the text output prints beside each figure. */
static void phase_label(const phase *ph, char *out, size_t cap)
{
  switch (phase_state(ph)) {
  case POOL_WARM:
    snprintf(out, cap, "warm pool of %zu", ph->pool);
    break;
  case POOL_RAN_DRY:
    snprintf(out, cap, "pool of %zu ran dry", ph->pool);
    break;
  case POOL_DRAINED:
    snprintf(out, cap, "drained pool (size 0)");
    break;
  default:
    snprintf(out, cap, "pool unknown (--url)");
    break;
  }
}

static void phase_text(const phase *ph, const phase_medians *m)
{
  char label[48];
  phase_label(ph, label, sizeof label);
  printf("  ours, %-22s handshakes/s %9.1f   handshake p50 %7.3f ms  p99 %7.3f ms  "
         "mean %7.3f ms\n",
         label, m->hs_rate, m->hs50, m->hs99, m->hs_mean);
  printf("  ours, %-22s messages/s   %9.1f   message   p50 %7.3f ms  p99 %7.3f ms  "
         "mean %7.3f ms\n",
         label, m->msg_rate, m->m50, m->m99, m->m_mean);
  printf("        %lu handshakes, %lu messages, %lu rekeys, %lu errors", ph->handshakes,
         ph->messages, ph->rekeys, ph->errors);
  if (ph->srv != NULL)
    printf(", %lu keys generated inline%s", ph->inline_keygen,
           ph->pool > 0 && ph->inline_keygen > 0 ? " (pool dry)" : "");
  printf("\n");
}

/* The figures of a phase as JSON members of the current object. */
static void phase_json(cli_json *j, const phase *ph, const phase_medians *m)
{
  if (ph->srv != NULL)
    cj_udecimal(j, "pool", ph->pool);
  else
    cj_null(j, "pool");
  cj_string(j, "pool_state", pool_state_names[phase_state(ph)]);
  cj_udecimal(j, "handshakes", ph->handshakes);
  cj_udecimal(j, "messages", ph->messages);
  cj_udecimal(j, "rekeys", ph->rekeys);
  cj_udecimal(j, "errors", ph->errors);
  if (ph->srv != NULL)
    cj_udecimal(j, "inline_keygen", ph->inline_keygen);
  else
    cj_null(j, "inline_keygen"); /* another process's server: not known */
  cj_double(j, "handshakes_per_s", m->hs_rate);
  cj_double(j, "messages_per_s", m->msg_rate);
  cj_double(j, "handshake_p50_ms", m->hs50);
  cj_double(j, "handshake_p99_ms", m->hs99);
  cj_double(j, "handshake_mean_ms", m->hs_mean);
  cj_double(j, "message_p50_ms", m->m50);
  cj_double(j, "message_p99_ms", m->m99);
  cj_double(j, "message_mean_ms", m->m_mean);
}

/* Start an in-process server on an ephemeral port with a pool of `pool`. */
static kl_err server_start(kl_http_server *srv, kl_rng *rng, const kl_rsa_priv *identity,
                           size_t pool, size_t key_bits, size_t threads, kl_kex_profile profile)
{
  kl_http_server_config sc;
  kl_http_server_config_default(&sc);
  sc.port = 0;
  sc.threads = (unsigned)threads;
  sc.log = NULL;
  sc.kex.rng = rng;
  sc.kex.identity = identity;
  sc.kex.pool_size = pool;
  sc.kex.key_bits = (unsigned)key_bits;
  sc.kex.profiles = KL_KEX_PROFILE_BIT(profile);
  sc.kex.max_sessions = 100000;
  sc.max_inline_keygen = 64;
  sc.max_connections_per_client = 0; /* every client is on loopback */
  return kl_http_server_start(srv, &sc);
}

static void set_url(bench_http_load_config *lc, char *buf, size_t cap, const kl_http_server *srv)
{
  snprintf(buf, cap, "http://127.0.0.1:%u", (unsigned)srv->port);
  lc->client.url = buf;
}

int bench_http(int argc, char **argv)
{
  enum {
    OPT_CLIENTS = 256,
    OPT_DURATION,
    OPT_SESSIONS,
    OPT_MESSAGES,
    OPT_REKEY,
    OPT_PAYLOAD,
    OPT_PROFILE,
    OPT_POOL,
    OPT_KEY_BITS,
    OPT_THREADS,
    OPT_ROUNDS,
    OPT_URL,
    OPT_PIN,
    OPT_CACERT,
    OPT_NO_TLS,
    OPT_NO_DRAINED,
    OPT_JSON
  };
  static const struct option opts[] = {
    {"clients", required_argument, NULL, OPT_CLIENTS},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"sessions", required_argument, NULL, OPT_SESSIONS},
    {"messages", required_argument, NULL, OPT_MESSAGES},
    {"rekey-every", required_argument, NULL, OPT_REKEY},
    {"payload", required_argument, NULL, OPT_PAYLOAD},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"pool", required_argument, NULL, OPT_POOL},
    {"key-bits", required_argument, NULL, OPT_KEY_BITS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"rounds", required_argument, NULL, OPT_ROUNDS},
    {"url", required_argument, NULL, OPT_URL},
    {"pin", required_argument, NULL, OPT_PIN},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"no-tls", no_argument, NULL, OPT_NO_TLS},
    {"no-drained", no_argument, NULL, OPT_NO_DRAINED},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  size_t clients = 1, duration = 3, sessions = 0, messages = 10, rekey = 0, payload = 64;
  size_t pool = 64, key_bits = 2048, threads = 4, rounds = 1;
  kl_kex_profile profile = KL_KEX_PROFILE_HARDENED;
  const char *url = NULL, *pin = NULL, *cacert = NULL;
  int tls = 1, drained = 1, json = 0, c;
  cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    int rc = KL_EXIT_OK;
    switch (c) {
    case 'h':
      fputs(bench_http_help, stdout);
      return KL_EXIT_OK;
    case OPT_CLIENTS:
      rc = cli_parse_size(CMD, "--clients", optarg, 1, 512, &clients);
      break;
    case OPT_DURATION:
      rc = cli_parse_size(CMD, "--duration", optarg, 1, 600, &duration);
      break;
    case OPT_SESSIONS:
      rc = cli_parse_size(CMD, "--sessions", optarg, 0, 1000000, &sessions);
      break;
    case OPT_MESSAGES:
      rc = cli_parse_size(CMD, "--messages", optarg, 0, 10000000, &messages);
      break;
    case OPT_REKEY:
      rc = cli_parse_size(CMD, "--rekey-every", optarg, 0, 10000000, &rekey);
      break;
    case OPT_PAYLOAD:
      rc = cli_parse_size(CMD, "--payload", optarg, 1, 262144, &payload);
      break;
    case OPT_POOL:
      rc = cli_parse_size(CMD, "--pool", optarg, 0, 4096, &pool);
      break;
    case OPT_KEY_BITS:
      rc = cli_parse_size(CMD, "--key-bits", optarg, 1024, 4096, &key_bits);
      break;
    case OPT_THREADS:
      rc = cli_parse_size(CMD, "--threads", optarg, 1, 64, &threads);
      break;
    case OPT_ROUNDS:
      rc = cli_parse_size(CMD, "--rounds", optarg, 1, MAX_ROUNDS, &rounds);
      break;
    case OPT_PROFILE:
      if (kl_kex_profile_from_name(optarg, &profile) != KL_OK)
        return cli_usage_error(CMD, "--profile wants hardened or seed");
      break;
    case OPT_URL:
      url = optarg;
      break;
    case OPT_PIN:
      pin = optarg;
      break;
    case OPT_CACERT:
      cacert = optarg;
      break;
    case OPT_NO_TLS:
      tls = 0;
      break;
    case OPT_NO_DRAINED:
      drained = 0;
      break;
    case OPT_JSON:
      json = 1;
      break;
    default:
      return cli_bad_option(CMD, argc, argv);
    }
    if (rc != KL_EXIT_OK)
      return rc;
  }
  if (optind != argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);

  kl_rng rng;
  kl_rng_os(&rng);
  bench_http_load_config lc;
  memset(&lc, 0, sizeof lc);
  kl_http_client_config_default(&lc.client);
  lc.client.rng = &rng;
  lc.client.kex.profile = profile;
  lc.clients = (unsigned)clients;
  lc.duration_s = sessions > 0 ? 0 : (double)duration;
  lc.sessions_per_client = sessions;
  lc.messages_per_session = messages;
  lc.rekey_every = rekey;
  lc.payload_len = payload;
  lc.deadline_s = (double)duration + 120;

  /* The phases: `main` is the warm pool of --pool N (or, with --pool 0, the
   * drained one; with --url, whatever that server has); `dry` is a second
   * in-process server with no pool, so that every session generates its
   * key pair: the drained state, measured beside the warm one. */
  static phase main_ph, dry_ph;
  memset(&main_ph, 0, sizeof main_ph);
  memset(&dry_ph, 0, sizeof dry_ph);
  main_ph.pool = pool;
  main_ph.lc = lc;
  kl_rsa_priv identity;
  kl_rsa_priv_init(&identity);
  kl_http_server srv, srv_dry;
  int own_server = url == NULL, with_dry = own_server && pool > 0 && drained;
  char url_buf[64], url_dry[64];
  if (own_server) {
    if (kl_rsa_keygen(&identity, &rng, 2048, NULL, 0, NULL) != KL_OK) {
      cli_error(CMD, "identity key generation failed");
      kl_rsa_priv_clear(&identity);
      return KL_EXIT_FAIL;
    }
    kl_err err = server_start(&srv, &rng, &identity, pool, key_bits, threads, profile);
    if (err == KL_OK && with_dry) {
      err = server_start(&srv_dry, &rng, &identity, 0, key_bits, threads, profile);
      if (err != KL_OK)
        kl_http_server_stop(&srv, 5.0);
    }
    if (err != KL_OK) {
      cli_error(CMD, "cannot start the server: %s", kl_strerror(err));
      kl_rsa_priv_clear(&identity);
      return KL_EXIT_FAIL;
    }
    main_ph.srv = &srv;
    set_url(&main_ph.lc, url_buf, sizeof url_buf, &srv);
    memcpy(main_ph.lc.client.kex.pin, srv.fingerprint, sizeof main_ph.lc.client.kex.pin);
    main_ph.lc.client.kex.has_pin = profile == KL_KEX_PROFILE_HARDENED;
    if (pool > 0 && sessions == 0) {
      /* A warm pool: no more sessions in a round than the pool holds. */
      main_ph.lc.sessions_per_client = pool / clients > 0 ? pool / clients : 1;
    }
    if (with_dry) {
      dry_ph.srv = &srv_dry;
      dry_ph.pool = 0;
      dry_ph.lc = main_ph.lc;
      dry_ph.lc.sessions_per_client = sessions;
      set_url(&dry_ph.lc, url_dry, sizeof url_dry, &srv_dry);
    }
  } else {
    main_ph.lc.client.url = url;
    main_ph.lc.client.ca_file = cacert;
    if (profile == KL_KEX_PROFILE_HARDENED) {
      size_t n = sizeof main_ph.lc.client.kex.pin;
      if (pin == NULL || kl_hex_decode(main_ph.lc.client.kex.pin, &n, pin, strlen(pin)) != KL_OK ||
          n != sizeof main_ph.lc.client.kex.pin) {
        kl_rsa_priv_clear(&identity);
        return cli_usage_error(CMD, "--url with the hardened profile needs --pin (64 hex digits)");
      }
      main_ph.lc.client.kex.has_pin = 1;
    }
  }

  tls_peer peer;
  int have_tls = 0;
  if (tls) {
    have_tls = tls_start(&peer);
    if (!have_tls) {
      tls_stop(&peer);
      cli_error(CMD, "warning: openssl s_server could not start; no TLS comparison");
    }
  }

  /* Rounds: warm, drained, TLS. The drained phase and TLS wait for the warm
   * server's pool to be full again, so that its worker is idle while they
   * are measured. */
  double tls_rate[MAX_ROUNDS], tls_lat[MAX_ROUNDS];
  char first_error[256] = "";
  size_t ntls = 0;
  int rc = KL_EXIT_OK;
  for (size_t r = 0; r < rounds && rc == KL_EXIT_OK; r++) {
    kl_err err = phase_round(&main_ph, first_error, sizeof first_error);
    if (own_server)
      wait_pool_full(&srv, 120);
    if (err == KL_OK && with_dry)
      err = phase_round(&dry_ph, first_error, sizeof first_error);
    if (err != KL_OK) {
      rc = cli_usage_error(CMD, "bad load configuration");
      break;
    }
    if (have_tls &&
        tls_measure(&peer, (unsigned)clients, (int)duration, &tls_rate[ntls], &tls_lat[ntls]))
      ntls++;
  }
  if (have_tls)
    tls_stop(&peer);
  if (own_server) {
    kl_http_server_stop(&srv, 5.0);
    if (with_dry)
      kl_http_server_stop(&srv_dry, 5.0);
  }
  kl_rsa_priv_clear(&identity);
  if (rc != KL_EXIT_OK)
    return rc;

  phase_medians mm, dm;
  phase_summarise(&main_ph, &mm);
  if (with_dry)
    phase_summarise(&dry_ph, &dm);
  /* TLS against ours (the main phase): s_time gives connections per second
   * and so a mean latency only: mean against mean. Throughput against
   * throughput only when our sessions are handshakes alone (--messages 0). */
  double T = bench_median(tls_rate, ntls), TL = bench_median(tls_lat, ntls);
  double mean_ratio = TL > 0 ? mm.hs_mean / TL : 0;
  double rate_ratio = T > 0 ? mm.hs_rate / T : 0;
  const char *state = pool_state_names[phase_state(&main_ph)];
  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_command_begin(&j, "bench http");
    cj_string(&j, "profile", kl_kex_profile_name(profile));
    cj_udecimal(&j, "clients", clients);
    cj_udecimal(&j, "rounds", rounds);
    cj_udecimal(&j, "messages_per_session", messages);
    cj_udecimal(&j, "payload_bytes", payload);
    cj_udecimal(&j, "sessions_per_client", main_ph.lc.sessions_per_client);
    phase_json(&j, &main_ph, &mm);
    if (with_dry) {
      cj_object_begin(&j, "drained_pool");
      cj_udecimal(&j, "sessions_per_client", dry_ph.lc.sessions_per_client);
      phase_json(&j, &dry_ph, &dm);
      cj_object_end(&j);
    } else {
      cj_null(&j, "drained_pool");
    }
    if (ntls > 0) {
      cj_object_begin(&j, "tls12_rsa");
      cj_string(&j, "peer", "openssl s_server -tls1_2 -cipher AES256-SHA256 / s_time -new");
      cj_double(&j, "handshakes_per_s", T);
      cj_double(&j, "handshake_mean_ms", TL);
      cj_string(&j, "ours_pool_state", state);
      cj_double(&j, "ratio_ours_mean_to_tls_mean", mean_ratio);
      if (messages == 0)
        cj_double(&j, "ratio_ours_to_tls_handshakes_per_s", rate_ratio);
      else
        cj_null(&j, "ratio_ours_to_tls_handshakes_per_s");
      cj_object_end(&j);
    }
    if (first_error[0] != '\0')
      cj_string(&j, "first_error", first_error);
    cj_object_end(&j);
    cj_finish(&j);
  } else {
    printf("kexlab bench http: profile %s, %zu client(s), %zu round(s), %zu messages/session "
           "of %zu bytes; medians of the rounds\n",
           kl_kex_profile_name(profile), clients, rounds, messages, payload);
    phase_text(&main_ph, &mm);
    if (with_dry)
      phase_text(&dry_ph, &dm);
    if (ntls > 0) {
      printf("  %-28s handshakes/s %9.1f   handshake mean %7.3f ms  (p50, p99: not measured; "
             "openssl s_time -new gives a rate)\n",
             "TLS 1.2 RSA, no pool", T, TL);
      char label[48];
      phase_label(&main_ph, label, sizeof label);
      printf("  ours (%s) / TLS: mean handshake %.2fx; ", label, mean_ratio);
      if (messages == 0)
        printf("handshakes/s %.2fx\n", rate_ratio);
      else
        printf("handshakes/s not compared (our sessions carry %zu messages; --messages 0)\n",
               messages);
    }
    if (first_error[0] != '\0')
      printf("  first error: %s\n", first_error);
  }
  unsigned long errors = main_ph.errors + dry_ph.errors;
  return errors == 0 ? KL_EXIT_OK : KL_EXIT_FAIL;
}
