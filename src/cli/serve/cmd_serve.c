/* cmd_serve.c: `kexlab serve`: the REST key-exchange server (docs/rest-api.md).
 * It loads (or creates, on first start, mode 0600) the identity key, starts
 * the HTTP server (src/http), prints the identity fingerprint and the bound
 * address on stdout, and serves until SIGINT or SIGTERM. SIGINT stops at
 * once: no more connections, requests in flight finish, every session key
 * is wiped, exit 0. SIGTERM drains first (docs/deploy.md, rolling restarts):
 * new sessions get 503 with Retry-After while established ones go on until
 * they close, idle out or --drain-timeout passes; then the same stop. A
 * second SIGTERM, or a SIGINT, during the drain stops at once.
 * Signals are taken with sigwait in this thread (blocked before any thread
 * starts, so the server's threads never see them): no async handler. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_notes.h"
#include "cli_keyio.h"
#include "lab.h"
#include "commands.h"
#include "kexlab/http.h"
#include "kexlab/keyfile.h"
#include "kexlab/rsa.h"

static const char *const CMD = "serve";

static void usage(FILE *f)
{
  fputs("usage: kexlab serve [options]\n"
        "\n"
        "Run the REST key-exchange server (docs/rest-api.md). Loopback only by default.\n"
        "\n"
        "  --listen HOST:PORT   address to bind (default 127.0.0.1:8443; port 0: any free\n"
        "                       port, printed at start; IPv6 as [::1]:8443)\n"
        "  --profiles LIST      hardened,seed (default both)\n"
        "  --pool N             pre-generated RSA pairs per profile (default 4)\n"
        "  --max-keygen N       session creations allowed to generate a key at once when\n"
        "                       the pool is empty; more get 503 (default 2; 0: never)\n"
        "  --key-bits N         hardened session key size (default 2048; seed is 2048)\n"
        "  --max-sessions N     session cap; the oldest idle are wiped first (default 1024)\n"
        "  --no-evict           at the cap refuse new sessions (503) instead of wiping\n"
        "  --idle-timeout S     expire sessions idle for S seconds (default 300; 0: never)\n"
        "  --max-body BYTES     request body limit, 413 past it (default 1048576)\n"
        "  --max-requests N     requests per session, 429 past it (default 0: no limit)\n"
        "  --rate-limit N       session creations per minute per client, 429 past it\n"
        "                       (default 0: off; burst 10)\n"
        "  --identity FILE      identity key (default DATA_DIR/identity.pem; created on\n"
        "                       first start with mode 0600; refused if others may read it)\n"
        "  --data-dir DIR       where the identity key lives (default ./kexlab-data)\n"
        "  --allow-readable-identity\n"
        "                       start even if others may read the identity key file\n"
        "  --threads N          HTTP worker threads (default 4)\n"
        "  --max-connections N  open connections in all (default 1000)\n"
        "  --max-client-connections N\n"
        "                       open connections per client address; more are closed at\n"
        "                       once (default 64; 0: no limit)\n"
        "  --header-timeout S   close a connection silent for S seconds before its request\n"
        "                       headers are complete (default 10; after them 30)\n"
        "  --node N             node number 0..255 written into every session id, for a\n"
        "                       load balancer in front of several servers (default 0;\n"
        "                       docs/deploy.md)\n"
        "  --drain-timeout S    on SIGTERM, refuse new sessions and wait up to S seconds\n"
        "                       for the established ones to end (default 30; 0: stop at\n"
        "                       once)\n"
        "  --quiet              no request log on stderr\n"
        "  --lab                also serve the lab page at /lab/ and its trace endpoints\n"
        "                       /v1/lab/trace/* (docs/lab-page.md); loopback only\n"
        "  --lab-public         with --lab, allow an address that is not loopback\n"
        "  --lab-dir DIR        the page's files (default: the installed copy, or the\n"
        "                       source tree's web/lab when run from the build directory)\n"
        "  --lab-rate N         lab endpoint requests per minute, 429 past it (default\n"
        "                       120, burst 30 or N if smaller; 0: off)\n"
        "  --help\n"
        "\n"
        "Prints 'identity sha256:<hex>' and 'listening on http://HOST:PORT' on stdout.\n",
        f);
}

/* "HOST:PORT" or "[V6]:PORT" into host (buffer) and port. */
static int parse_listen(const char *s, char *host, size_t host_cap, uint16_t *port)
{
  const char *colon;
  const char *h = s;
  size_t hlen;
  if (s[0] == '[') {
    const char *close = strchr(s, ']');
    if (close == NULL || close[1] != ':')
      return 0;
    h = s + 1;
    hlen = (size_t)(close - h);
    colon = close + 1;
  } else {
    colon = strrchr(s, ':');
    if (colon == NULL)
      return 0;
    hlen = (size_t)(colon - s);
  }
  if (hlen == 0 || hlen >= host_cap)
    return 0;
  memcpy(host, h, hlen);
  host[hlen] = '\0';
  size_t p;
  if (cli_parse_size(CMD, "--listen port", colon + 1, 0, 65535, &p) != KL_EXIT_OK)
    return 0;
  *port = (uint16_t)p;
  return 1;
}

static int parse_profiles(const char *s, unsigned *bits)
{
  *bits = 0;
  char tmp[64];
  if (strlen(s) >= sizeof tmp)
    return 0;
  strcpy(tmp, s);
  char *save = NULL;
  for (char *tok = strtok_r(tmp, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
    kl_kex_profile p;
    if (kl_kex_profile_from_name(tok, &p) != KL_OK)
      return 0;
    *bits |= KL_KEX_PROFILE_BIT(p);
  }
  return *bits != 0;
}

/* Load the identity key from path, or create it (RSA-2048, PKCS#8 PEM, 0600,
 * written atomically: a kill while it is made leaves no half-written key).
 * A key file that others may read or write is refused, as ssh refuses such a
 * private key, unless allow_readable. */
static int load_identity(const char *path, const char *data_dir, int path_in_dir, const kl_rng *rng,
                         int allow_readable, kl_rsa_keyfile *kf)
{
  uint8_t *buf = NULL;
  size_t len = 0;
  struct stat sb;
  if (stat(path, &sb) == 0) {
    if (S_ISREG(sb.st_mode) && (sb.st_mode & 077) != 0 && !allow_readable) {
      cli_error(CMD,
                "%s is accessible by others (mode %03o): chmod 600 it, or start with "
                "--allow-readable-identity",
                path, (unsigned)(sb.st_mode & 0777));
      return KL_EXIT_USAGE;
    }
    /* cli_load_key initialises kf itself. */
    kl_rsa_keyfile_clear(kf);
    return cli_load_key(CMD, path, CLI_KEY_PRIVATE, kf);
  }
  if (errno != ENOENT) {
    cli_error(CMD, "cannot read %s: %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  /* First start: make the data directory and the key. */
  if (path_in_dir && mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
    cli_error(CMD, "cannot create data directory %s: %s", data_dir, strerror(errno));
    return KL_EXIT_USAGE;
  }
  fprintf(stderr, "kexlab serve: creating identity key %s (RSA-2048)\n", path);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  kl_err err = kl_rsa_keygen(&key, rng, 2048, NULL, 0, NULL);
  if (err != KL_OK) {
    kl_rsa_priv_clear(&key);
    cli_error(CMD, "identity key generation failed: %s", kl_strerror(err));
    return KL_EXIT_FAIL;
  }
  len = KL_KEYFILE_MAX_BYTES;
  buf = malloc(len);
  if (buf == NULL) {
    kl_rsa_priv_clear(&key);
    cli_error(CMD, "out of memory");
    return KL_EXIT_FAIL;
  }
  err = kl_rsa_priv_write(&key, KL_KEY_PKCS8_PEM, buf, &len);
  kl_rsa_priv_clear(&key);
  if (err != KL_OK) {
    cli_free(buf, KL_KEYFILE_MAX_BYTES);
    cli_error(CMD, "cannot encode the identity key: %s", kl_strerror(err));
    return KL_EXIT_FAIL;
  }
  /* Never overwrites a key another process just made; 0600 from the start. */
  int rc = cli_write_secret_file_atomic(CMD, path, buf, len);
  if (rc != KL_EXIT_OK) {
    cli_free(buf, KL_KEYFILE_MAX_BYTES);
    return rc;
  }
  err = kl_rsa_keyfile_read(kf, buf, len, rng);
  cli_free(buf, KL_KEYFILE_MAX_BYTES);
  if (err != KL_OK) {
    cli_error(CMD, "identity key %s does not read back: %s", path, kl_strerror(err));
    return KL_EXIT_FAIL;
  }
  return KL_EXIT_OK;
}

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* After the first SIGTERM: refuse new sessions and wait, polling every
 * 100 ms, until no established session is left (sessions still awaiting
 * their key get one second: a handshake in progress), the timeout passes,
 * or a second SIGTERM or a SIGINT comes. Returns the signal to report. */
static int drain(kl_http_server *srv, const sigset_t *sigs, double timeout)
{
  double t0 = now_seconds();
  size_t established = 0;
  size_t live = kl_http_server_sessions(srv, &established);
  kl_http_server_drain(srv);
  fprintf(stderr,
          "kexlab serve: SIGTERM: draining: no new sessions; %zu established may go on for up "
          "to %.0f s (SIGTERM again or SIGINT: stop now)\n",
          established, timeout);
  int sig = SIGTERM;
  const char *why = "timeout";
  for (;;) {
    double waited = now_seconds() - t0;
    live = kl_http_server_sessions(srv, &established);
    if (established == 0 && (live == 0 || waited >= 1.0)) {
      why = "no session left";
      break;
    }
    if (waited >= timeout)
      break;
    struct timespec ts = {0, 100 * 1000 * 1000};
    int got = sigtimedwait(sigs, NULL, &ts);
    if (got == SIGTERM || got == SIGINT) {
      sig = got;
      why = got == SIGINT ? "SIGINT" : "second SIGTERM";
      break;
    }
  }
  fprintf(stderr, "kexlab serve: drained after %.2f s (%s; %zu sessions left, wiped now)\n",
          now_seconds() - t0, why, live);
  return sig;
}

int cmd_serve(int argc, char **argv)
{
  enum {
    OPT_LISTEN = 256,
    OPT_PROFILES,
    OPT_POOL,
    OPT_KEY_BITS,
    OPT_MAX_SESSIONS,
    OPT_IDLE,
    OPT_MAX_BODY,
    OPT_MAX_REQ,
    OPT_RATE,
    OPT_IDENTITY,
    OPT_DATA_DIR,
    OPT_THREADS,
    OPT_QUIET,
    OPT_NO_EVICT,
    OPT_MAX_KEYGEN,
    OPT_MAX_CONNS,
    OPT_MAX_CLIENT_CONNS,
    OPT_HEADER_TIMEOUT,
    OPT_ALLOW_READABLE,
    OPT_LAB,
    OPT_LAB_PUBLIC,
    OPT_LAB_DIR,
    OPT_LAB_RATE,
    OPT_NODE,
    OPT_DRAIN_TIMEOUT
  };
  static const struct option opts[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"profiles", required_argument, NULL, OPT_PROFILES},
    {"pool", required_argument, NULL, OPT_POOL},
    {"key-bits", required_argument, NULL, OPT_KEY_BITS},
    {"max-sessions", required_argument, NULL, OPT_MAX_SESSIONS},
    {"idle-timeout", required_argument, NULL, OPT_IDLE},
    {"max-body", required_argument, NULL, OPT_MAX_BODY},
    {"max-requests", required_argument, NULL, OPT_MAX_REQ},
    {"rate-limit", required_argument, NULL, OPT_RATE},
    {"identity", required_argument, NULL, OPT_IDENTITY},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"no-evict", no_argument, NULL, OPT_NO_EVICT},
    {"max-keygen", required_argument, NULL, OPT_MAX_KEYGEN},
    {"max-connections", required_argument, NULL, OPT_MAX_CONNS},
    {"max-client-connections", required_argument, NULL, OPT_MAX_CLIENT_CONNS},
    {"header-timeout", required_argument, NULL, OPT_HEADER_TIMEOUT},
    {"allow-readable-identity", no_argument, NULL, OPT_ALLOW_READABLE},
    {"lab", no_argument, NULL, OPT_LAB},
    {"lab-public", no_argument, NULL, OPT_LAB_PUBLIC},
    {"lab-dir", required_argument, NULL, OPT_LAB_DIR},
    {"lab-rate", required_argument, NULL, OPT_LAB_RATE},
    {"node", required_argument, NULL, OPT_NODE},
    {"drain-timeout", required_argument, NULL, OPT_DRAIN_TIMEOUT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  kl_http_server_config cfg;
  kl_http_server_config_default(&cfg);
  serve_app_notes(&cfg.app);
  char host[64] = "127.0.0.1";
  const char *identity_path = NULL;
  const char *data_dir = "kexlab-data";
  int allow_readable = 0;
  int lab = 0, lab_public = 0;
  const char *lab_dir = NULL;
  size_t lab_rate = 120;
  size_t drain_timeout = 30;
  size_t v;
  int c;
  cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      usage(stdout);
      return KL_EXIT_OK;
    case OPT_LISTEN:
      if (!parse_listen(optarg, host, sizeof host, &cfg.port))
        return cli_usage_error(CMD, "--listen wants HOST:PORT, got '%s'", optarg);
      break;
    case OPT_PROFILES:
      if (!parse_profiles(optarg, &cfg.kex.profiles))
        return cli_usage_error(CMD, "--profiles wants hardened, seed or both, got '%s'", optarg);
      break;
    case OPT_POOL:
      if (cli_parse_size(CMD, "--pool", optarg, 0, 4096, &cfg.kex.pool_size))
        return KL_EXIT_USAGE;
      break;
    case OPT_KEY_BITS:
      if (cli_parse_size(CMD, "--key-bits", optarg, KL_RSA_MIN_BITS, KL_KEX_MAX_KEY_BITS, &v))
        return KL_EXIT_USAGE;
      if (v % 2 != 0)
        return cli_usage_error(CMD, "--key-bits must be even");
      cfg.kex.key_bits = (unsigned)v;
      break;
    case OPT_MAX_SESSIONS:
      if (cli_parse_size(CMD, "--max-sessions", optarg, 1, 1000000, &cfg.kex.max_sessions))
        return KL_EXIT_USAGE;
      break;
    case OPT_IDLE:
      if (cli_parse_size(CMD, "--idle-timeout", optarg, 0, 86400 * 365, &v))
        return KL_EXIT_USAGE;
      cfg.kex.idle_timeout_ms = (uint64_t)v * 1000;
      break;
    case OPT_MAX_BODY:
      if (cli_parse_size(CMD, "--max-body", optarg, 64, (size_t)1 << 30, &cfg.max_body))
        return KL_EXIT_USAGE;
      break;
    case OPT_MAX_REQ:
      if (cli_parse_size(CMD, "--max-requests", optarg, 0, (size_t)1 << 40, &v))
        return KL_EXIT_USAGE;
      cfg.max_requests = (unsigned long)v;
      break;
    case OPT_RATE:
      if (cli_parse_size(CMD, "--rate-limit", optarg, 0, 1000000, &v))
        return KL_EXIT_USAGE;
      cfg.rate_per_minute = (double)v;
      break;
    case OPT_IDENTITY:
      identity_path = optarg;
      break;
    case OPT_DATA_DIR:
      data_dir = optarg;
      break;
    case OPT_THREADS:
      if (cli_parse_size(CMD, "--threads", optarg, 1, 256, &v))
        return KL_EXIT_USAGE;
      cfg.threads = (unsigned)v;
      break;
    case OPT_QUIET:
      cfg.log = NULL;
      break;
    case OPT_NO_EVICT:
      cfg.kex.evict_oldest_idle = 0;
      break;
    case OPT_MAX_KEYGEN:
      if (cli_parse_size(CMD, "--max-keygen", optarg, 0, 256, &v))
        return KL_EXIT_USAGE;
      cfg.max_inline_keygen = (unsigned)v;
      break;
    case OPT_MAX_CONNS:
      if (cli_parse_size(CMD, "--max-connections", optarg, 1, 100000, &v))
        return KL_EXIT_USAGE;
      cfg.max_connections = (unsigned)v;
      break;
    case OPT_MAX_CLIENT_CONNS:
      if (cli_parse_size(CMD, "--max-client-connections", optarg, 0, 100000, &v))
        return KL_EXIT_USAGE;
      cfg.max_connections_per_client = (unsigned)v;
      break;
    case OPT_ALLOW_READABLE:
      allow_readable = 1;
      break;
    case OPT_HEADER_TIMEOUT:
      if (cli_parse_size(CMD, "--header-timeout", optarg, 1, 3600, &v))
        return KL_EXIT_USAGE;
      cfg.header_timeout = (unsigned)v;
      break;
    case OPT_LAB:
      lab = 1;
      break;
    case OPT_LAB_PUBLIC:
      lab_public = 1;
      break;
    case OPT_LAB_DIR:
      lab_dir = optarg;
      break;
    case OPT_LAB_RATE:
      if (cli_parse_size(CMD, "--lab-rate", optarg, 0, 1000000, &lab_rate))
        return KL_EXIT_USAGE;
      break;
    case OPT_NODE:
      if (cli_parse_size(CMD, "--node", optarg, 0, KL_KEX_MAX_NODE, &v))
        return KL_EXIT_USAGE;
      cfg.kex.node = (unsigned)v;
      break;
    case OPT_DRAIN_TIMEOUT:
      if (cli_parse_size(CMD, "--drain-timeout", optarg, 0, 86400, &drain_timeout))
        return KL_EXIT_USAGE;
      break;
    default:
      return cli_bad_option(CMD, argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  cfg.host = host;
  if (!lab && (lab_public || lab_dir != NULL))
    return cli_usage_error(CMD, "--lab-public and --lab-dir go with --lab");
  /* The lab endpoints run key generation for anyone who asks and the page
   * shows secrets: a lab server stays on this machine unless told twice. */
  if (lab && !lab_public && !serve_lab_is_loopback(host))
    return cli_usage_error(CMD,
                           "--lab listens on loopback only (127.0.0.1 or ::1); "
                           "add --lab-public to listen on %s",
                           host);
  if (lab && !kl_trace_compiled())
    return cli_usage_error(CMD, "--lab: this build has traces disabled (meson -Dtrace=false)");
  const char *lab_web = NULL;
  if (lab && (lab_web = serve_lab_dir(lab_dir)) == NULL)
    return cli_usage_error(CMD, "the lab page is not found%s%s (no index.html)",
                           lab_dir ? " in " : "", lab_dir ? lab_dir : "");

  kl_rng rng;
  kl_rng_os(&rng);
  cfg.kex.rng = &rng;

  char path_buf[4096];
  int path_in_dir = identity_path == NULL;
  if (path_in_dir) {
    if ((size_t)snprintf(path_buf, sizeof path_buf, "%s/identity.pem", data_dir) >= sizeof path_buf)
      return cli_usage_error(CMD, "--data-dir is too long");
    identity_path = path_buf;
  }
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  int hardened = (cfg.kex.profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED)) != 0;
  if (hardened) {
    int rc = load_identity(identity_path, data_dir, path_in_dir, &rng, allow_readable, &kf);
    if (rc != KL_EXIT_OK) {
      kl_rsa_keyfile_clear(&kf);
      return rc;
    }
    cfg.kex.identity = &kf.priv;
  }

  /* Block the signals before any thread exists: every thread inherits the
   * mask, and this one takes them with sigwait. SIGPIPE: a client that hangs
   * up must not kill the server. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  /* The bucket holds 30 requests, or N when --lab-rate N is smaller. */
  unsigned lab_burst = lab_rate > 0 && lab_rate < 30 ? (unsigned)lab_rate : 30;
  if (lab && serve_lab_hook(&cfg.extra, lab_web, (double)lab_rate, lab_burst, 2) != 0) {
    kl_rsa_keyfile_clear(&kf);
    cli_error(CMD, "out of memory");
    return KL_EXIT_FAIL;
  }
  kl_http_server srv;
  kl_err err = kl_http_server_start(&srv, &cfg);
  if (err != KL_OK) {
    kl_rsa_keyfile_clear(&kf);
    serve_lab_free(&cfg.extra);
    if (err == KL_ERR_IO)
      cli_error(CMD, "cannot listen on %s:%u (address in use or not available)", host,
                (unsigned)cfg.port);
    else
      cli_error(CMD, "cannot start: %s", kl_strerror(err));
    return err == KL_ERR_IO || err == KL_ERR_ARG ? KL_EXIT_USAGE : KL_EXIT_FAIL;
  }
  if (srv.has_identity) {
    printf("identity sha256:");
    for (size_t i = 0; i < sizeof srv.fingerprint; i++)
      printf("%02x", srv.fingerprint[i]);
    printf(" (%s)\n", identity_path);
  }
  int v6 = strchr(host, ':') != NULL;
  printf("listening on http://%s%s%s:%u\n", v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)srv.port);
  if (lab)
    printf("lab page: http://%s%s%s:%u/lab/\n", v6 ? "[" : "", host, v6 ? "]" : "",
           (unsigned)srv.port);
  fflush(stdout);

  int sig = 0;
  while (sigwait(&sigs, &sig) != 0)
    ;
  if (sig == SIGTERM && drain_timeout > 0)
    sig = drain(&srv, &sigs, (double)drain_timeout);
  fprintf(stderr, "kexlab serve: %s: stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
  kl_http_stats hs;
  kl_http_server_stats(&srv, &hs);
  kl_http_server_stop(&srv, 5.0);
  serve_lab_free(&cfg.extra);
  kl_rsa_keyfile_clear(&kf);
  fprintf(stderr, "kexlab serve: stopped after %lu requests; every session key wiped\n",
          hs.requests);
  return KL_EXIT_OK;
}
