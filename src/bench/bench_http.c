/* bench_http.c: `kexlab bench http`: handshakes and messages over loopback
 * HTTP against an in-process `kexlab serve` (or --url), with TLS 1.2 in the
 * same run for comparison:
 *   openssl s_server -tls1_2 -cipher AES256-SHA256 (RSA-2048 key transport,
 *   AES-256-CBC: the closest real-world relative), timed by `openssl s_time
 *   -new` (a full handshake per connection), one s_time per client.
 * Ours: a handshake is POST /v1/sessions + POST .../key with the client's
 * RSA work included (identity check, OAEP wrap): what a user waits for.
 * TLS latency is wall time x clients / connections (s_time runs each
 * connection after the other). Rounds interleave ours and TLS; medians.
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
  "Handshakes/s, messages/s and p50/p99 latencies over loopback HTTP, and a TLS 1.2\n"
  "RSA handshake (openssl s_server -cipher AES256-SHA256 -tls1_2, openssl s_time)\n"
  "in the same run, interleaved; medians of the rounds.\n"
  "\n"
  "  --clients N      concurrent clients (default 1)\n"
  "  --duration S     seconds per measurement (default 3)\n"
  "  --sessions N     stop each client after N sessions (default 0: duration only)\n"
  "  --messages N     messages per session (default 10)\n"
  "  --rekey-every N  rekey every N messages (default 0)\n"
  "  --payload BYTES  message size (default 64)\n"
  "  --profile NAME   hardened (default) or seed\n"
  "  --pool N         key pool of the in-process server (default 64; it is filled\n"
  "                   before each round: a warm pool)\n"
  "  --key-bits N     hardened session keys (default 2048)\n"
  "  --threads N      server threads (default 4)\n"
  "  --rounds N       rounds (1..15, default 1)\n"
  "  --url URL        benchmark a running server instead (needs --pin for hardened)\n"
  "  --pin HEX        its identity fingerprint\n"
  "  --no-tls         skip the TLS comparison\n"
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
  char *args[] = {openssl, s_server, o_accept, addr, o_cert, cert, o_key, key,
                  o_tls, o_cipher, cipher, o_www, o_naccept, naccept, NULL};
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

int bench_http(int argc, char **argv)
{
  enum {
    OPT_CLIENTS = 256, OPT_DURATION, OPT_SESSIONS, OPT_MESSAGES, OPT_REKEY, OPT_PAYLOAD,
    OPT_PROFILE, OPT_POOL, OPT_KEY_BITS, OPT_THREADS, OPT_ROUNDS, OPT_URL, OPT_PIN, OPT_NO_TLS,
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
    {"no-tls", no_argument, NULL, OPT_NO_TLS},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  size_t clients = 1, duration = 3, sessions = 0, messages = 10, rekey = 0, payload = 64;
  size_t pool = 64, key_bits = 2048, threads = 4, rounds = 1;
  kl_kex_profile profile = KL_KEX_PROFILE_HARDENED;
  const char *url = NULL, *pin = NULL;
  int tls = 1, json = 0, c;
  cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    int rc = KL_EXIT_OK;
    switch (c) {
    case 'h':
      fputs(bench_http_help, stdout);
      return KL_EXIT_OK;
    case OPT_CLIENTS: rc = cli_parse_size(CMD, "--clients", optarg, 1, 512, &clients); break;
    case OPT_DURATION: rc = cli_parse_size(CMD, "--duration", optarg, 1, 600, &duration); break;
    case OPT_SESSIONS: rc = cli_parse_size(CMD, "--sessions", optarg, 0, 1000000, &sessions); break;
    case OPT_MESSAGES: rc = cli_parse_size(CMD, "--messages", optarg, 0, 10000000, &messages); break;
    case OPT_REKEY: rc = cli_parse_size(CMD, "--rekey-every", optarg, 0, 10000000, &rekey); break;
    case OPT_PAYLOAD: rc = cli_parse_size(CMD, "--payload", optarg, 1, 262144, &payload); break;
    case OPT_POOL: rc = cli_parse_size(CMD, "--pool", optarg, 0, 4096, &pool); break;
    case OPT_KEY_BITS: rc = cli_parse_size(CMD, "--key-bits", optarg, 1024, 4096, &key_bits); break;
    case OPT_THREADS: rc = cli_parse_size(CMD, "--threads", optarg, 1, 64, &threads); break;
    case OPT_ROUNDS: rc = cli_parse_size(CMD, "--rounds", optarg, 1, MAX_ROUNDS, &rounds); break;
    case OPT_PROFILE:
      if (kl_kex_profile_from_name(optarg, &profile) != KL_OK)
        return cli_usage_error(CMD, "--profile wants hardened or seed");
      break;
    case OPT_URL: url = optarg; break;
    case OPT_PIN: pin = optarg; break;
    case OPT_NO_TLS: tls = 0; break;
    case OPT_JSON: json = 1; break;
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

  /* The in-process server (unless --url). */
  kl_rsa_priv identity;
  kl_rsa_priv_init(&identity);
  kl_http_server srv;
  int own_server = url == NULL;
  char url_buf[64];
  if (own_server) {
    if (kl_rsa_keygen(&identity, &rng, 2048, NULL, 0, NULL) != KL_OK) {
      cli_error(CMD, "identity key generation failed");
      kl_rsa_priv_clear(&identity);
      return KL_EXIT_FAIL;
    }
    kl_http_server_config sc;
    kl_http_server_config_default(&sc);
    sc.port = 0;
    sc.threads = (unsigned)threads;
    sc.log = NULL;
    sc.kex.rng = &rng;
    sc.kex.identity = &identity;
    sc.kex.pool_size = pool;
    sc.kex.key_bits = (unsigned)key_bits;
    sc.kex.profiles = KL_KEX_PROFILE_BIT(profile);
    sc.kex.max_sessions = 100000;
    sc.max_inline_keygen = 64;
    kl_err err = kl_http_server_start(&srv, &sc);
    if (err != KL_OK) {
      cli_error(CMD, "cannot start the server: %s", kl_strerror(err));
      kl_rsa_priv_clear(&identity);
      return KL_EXIT_FAIL;
    }
    snprintf(url_buf, sizeof url_buf, "http://127.0.0.1:%u", (unsigned)srv.port);
    lc.client.url = url_buf;
    memcpy(lc.client.kex.pin, srv.fingerprint, sizeof lc.client.kex.pin);
    lc.client.kex.has_pin = profile == KL_KEX_PROFILE_HARDENED;
  } else {
    lc.client.url = url;
    if (profile == KL_KEX_PROFILE_HARDENED) {
      size_t n = sizeof lc.client.kex.pin;
      if (pin == NULL || kl_hex_decode(lc.client.kex.pin, &n, pin, strlen(pin)) != KL_OK ||
          n != sizeof lc.client.kex.pin)
        return cli_usage_error(CMD, "--url with the hardened profile needs --pin (64 hex digits)");
      lc.client.kex.has_pin = 1;
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

  double hs_rate[MAX_ROUNDS], msg_rate[MAX_ROUNDS], hs50[MAX_ROUNDS], hs99[MAX_ROUNDS];
  double m50[MAX_ROUNDS], m99[MAX_ROUNDS], tls_rate[MAX_ROUNDS], tls_lat[MAX_ROUNDS];
  unsigned long errors = 0, inline_keygen = 0, total_hs = 0, total_msg = 0, total_rekeys = 0;
  char first_error[256] = "";
  size_t ntls = 0;
  int rc = KL_EXIT_OK;
  for (size_t r = 0; r < rounds; r++) {
    kl_kex_server_stats before, after;
    if (own_server) {
      wait_pool_full(&srv, 120);
      kl_kex_server_get_stats(&srv.kex, &before);
    }
    bench_http_load_result res;
    if (bench_http_load_run(&lc, &res) != KL_OK) {
      rc = cli_usage_error(CMD, "bad load configuration");
      break;
    }
    if (own_server) {
      kl_kex_server_get_stats(&srv.kex, &after);
      inline_keygen += (unsigned long)(after.keygen_inline - before.keygen_inline);
    }
    errors += res.errors;
    if (first_error[0] == '\0')
      memcpy(first_error, res.first_error, sizeof first_error);
    total_hs += res.handshakes;
    total_msg += res.messages;
    total_rekeys += res.rekeys;
    hs_rate[r] = (double)res.handshakes / res.elapsed_s;
    msg_rate[r] = (double)res.messages / res.elapsed_s;
    hs50[r] = res.hs_p50_ms;
    hs99[r] = res.hs_p99_ms;
    m50[r] = res.msg_p50_ms;
    m99[r] = res.msg_p99_ms;
    if (have_tls && tls_measure(&peer, (unsigned)clients, (int)duration, &tls_rate[ntls],
                                &tls_lat[ntls]))
      ntls++;
  }
  if (have_tls)
    tls_stop(&peer);
  if (own_server) {
    kl_http_server_stop(&srv, 5.0);
    kl_rsa_priv_clear(&identity);
  }
  if (rc != KL_EXIT_OK)
    return rc;

  double H = bench_median(hs_rate, rounds), M = bench_median(msg_rate, rounds);
  double H50 = bench_median(hs50, rounds), H99 = bench_median(hs99, rounds);
  double M50 = bench_median(m50, rounds), M99 = bench_median(m99, rounds);
  double T = bench_median(tls_rate, ntls), TL = bench_median(tls_lat, ntls);
  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_object_begin(&j, NULL);
    cj_string(&j, "benchmark", "http");
    cj_string(&j, "profile", kl_kex_profile_name(profile));
    cj_uint(&j, "clients", clients);
    cj_uint(&j, "rounds", rounds);
    cj_uint(&j, "messages_per_session", messages);
    cj_uint(&j, "payload_bytes", payload);
    cj_uint(&j, "pool", pool);
    cj_uint(&j, "handshakes", total_hs);
    cj_uint(&j, "messages", total_msg);
    cj_uint(&j, "rekeys", total_rekeys);
    cj_uint(&j, "errors", errors);
    cj_uint(&j, "inline_keygen", inline_keygen);
    cj_double(&j, "handshakes_per_s", H);
    cj_double(&j, "messages_per_s", M);
    cj_double(&j, "handshake_p50_ms", H50);
    cj_double(&j, "handshake_p99_ms", H99);
    cj_double(&j, "message_p50_ms", M50);
    cj_double(&j, "message_p99_ms", M99);
    if (ntls > 0) {
      cj_object_begin(&j, "tls12_rsa");
      cj_string(&j, "peer", "openssl s_server -tls1_2 -cipher AES256-SHA256 / s_time -new");
      cj_double(&j, "handshakes_per_s", T);
      cj_double(&j, "handshake_mean_ms", TL);
      cj_double(&j, "ratio_ours_p50_to_tls", TL > 0 ? H50 / TL : 0);
      cj_object_end(&j);
    }
    if (first_error[0] != '\0')
      cj_string(&j, "first_error", first_error);
    cj_object_end(&j);
    cj_finish(&j);
  } else {
    printf("kexlab bench http: profile %s, %zu client(s), %zu round(s), %zu messages/session "
           "of %zu bytes, pool %zu\n",
           kl_kex_profile_name(profile), clients, rounds, messages, payload, pool);
    printf("  ours  handshakes/s %9.1f   handshake p50 %7.3f ms  p99 %7.3f ms\n", H, H50, H99);
    printf("        messages/s   %9.1f   message   p50 %7.3f ms  p99 %7.3f ms\n", M, M50, M99);
    printf("        %lu handshakes, %lu messages, %lu rekeys, %lu errors, %lu keys generated "
           "inline (pool dry)\n",
           total_hs, total_msg, total_rekeys, errors, inline_keygen);
    if (ntls > 0)
      printf("  TLS 1.2 RSA (openssl s_time -new)  handshakes/s %9.1f  mean %7.3f ms  "
             "(ours p50 / TLS = %.2fx)\n",
             T, TL, TL > 0 ? H50 / TL : 0);
    if (first_error[0] != '\0')
      printf("  first error: %s\n", first_error);
  }
  return errors == 0 ? KL_EXIT_OK : KL_EXIT_FAIL;
}
