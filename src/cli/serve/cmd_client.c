/* cmd_client.c: `kexlab client`: talk to a kexlab server over REST
 * (docs/rest-api.md): handshake (hardened: check the identity against a pin or a
 * key file), send each --send TEXT (or each line of stdin with
 * --interactive), print each reply on stdout, close the session.
 * Exit: 0 success; 1 a failed exchange (connection refused, timeout, pin
 * mismatch, HTTP error, bad reply frame: one line on stderr says which);
 * 2 usage or input error.
 * --reconnect (the default with --interactive): a lost session (its node
 * gone behind a load balancer, docs/deploy.md) is replaced by a new one and
 * the run goes on; each message whose delivery is unknown gets one line on
 * stderr and makes the exit status 1 at the end. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "cli_keyio.h"
#include "kexlab/http.h"
#include "kexlab/keyfile.h"

static const char *const CMD = "client";

static void usage(FILE *f)
{
  fputs("usage: kexlab client [options]\n"
        "\n"
        "Open a session with a kexlab server, send messages, print the replies.\n"
        "\n"
        "  --url URL            server (default http://127.0.0.1:8443)\n"
        "  --profile NAME       hardened (default) or seed\n"
        "  --pin HEX            hardened: SHA-256 fingerprint of the server identity\n"
        "                       (64 hex digits, ':' allowed; 'kexlab serve' prints it)\n"
        "  --identity FILE      hardened: the server identity public key (any format\n"
        "                       'kexlab rsa show' reads)\n"
        "  --send TEXT          send TEXT (repeatable, in order)\n"
        "  --interactive        then send each line of standard input\n"
        "  --rekey-every N      rekey after every N messages (default 0: never)\n"
        "  --raw                seed: send frames as application/octet-stream\n"
        "  --timeout MS         per-request timeout (default 15000)\n"
        "  --cacert FILE        https: trust the certificates in FILE (PEM) instead of\n"
        "                       the system's\n"
        "  --reconnect          when the session's server is gone, open a new session and\n"
        "                       go on; a message that may or may not have been delivered\n"
        "                       is named on stderr, never sent twice (default with\n"
        "                       --interactive; exit status 1 then)\n"
        "  --no-reconnect       fail instead (the default without --interactive)\n"
        "  --verbose            print the session id and rekeys on stderr\n"
        "  --help\n"
        "\n"
        "Exit status: 0 success, 1 failed exchange, 2 usage error.\n",
        f);
}

/* 64 hex digits, optionally with ':' between bytes and a "sha256:" prefix. */
static int parse_pin(const char *s, uint8_t pin[KL_KEX_FINGERPRINT_BYTES])
{
  if (strncmp(s, "sha256:", 7) == 0)
    s += 7;
  char hex[2 * KL_KEX_FINGERPRINT_BYTES + 1];
  size_t n = 0;
  for (; *s != '\0'; s++) {
    if (*s == ':')
      continue;
    if (n == sizeof hex - 1)
      return 0;
    hex[n++] = *s;
  }
  size_t len = KL_KEX_FINGERPRINT_BYTES;
  return n == 2 * KL_KEX_FINGERPRINT_BYTES && kl_hex_decode(pin, &len, hex, n) == KL_OK &&
         len == KL_KEX_FINGERPRINT_BYTES;
}

/* The sentence for a failed client call. */
static int report(const kl_http_client *cli, kl_err err)
{
  const char *kind;
  switch (cli->fail) {
  case KL_HTTP_FAIL_REFUSED:
    kind = "connection refused";
    break;
  case KL_HTTP_FAIL_TIMEOUT:
    kind = "timeout";
    break;
  case KL_HTTP_FAIL_NETWORK:
    kind = "network error";
    break;
  case KL_HTTP_FAIL_STATUS:
    kind = "HTTP error";
    break;
  case KL_HTTP_FAIL_REPLY:
    kind = "bad reply";
    break;
  case KL_HTTP_FAIL_PIN:
    kind = "pin mismatch";
    break;
  case KL_HTTP_FAIL_FRAME:
    kind = "bad reply frame";
    break;
  default:
    kind = "error";
    break;
  }
  cli_error(CMD, "%s: %s", kind, cli->detail[0] ? cli->detail : kl_strerror(err));
  return cli->fail == KL_HTTP_FAIL_LOCAL && err == KL_ERR_ARG ? KL_EXIT_USAGE : KL_EXIT_FAIL;
}

/* Messages whose delivery is unknown (a lost session, --reconnect). */
static unsigned long unknown_fates;

/* Send one message and print the reply; returns an exit status. */
static int exchange(kl_http_client *cli, const char *text, size_t len, int verbose)
{
  char old_id[KL_KEX_ID_STRING_LEN + 1];
  uint64_t reconnects = cli->reconnects;
  memcpy(old_id, cli->session_id, sizeof old_id);
  /* Any reply the client accepts (its max_payload), whatever the request. */
  size_t cap = kl_kex_open_max(cli->cfg.kex.max_payload);
  uint8_t *reply = malloc(cap);
  if (reply == NULL) {
    cli_error(CMD, "out of memory");
    return KL_EXIT_FAIL;
  }
  uint64_t rekeys = cli->rekeys;
  size_t rlen = cap;
  kl_err err = kl_http_client_send(cli, reply, &rlen, (const uint8_t *)text, len);
  if (err != KL_OK && cli->fail == KL_HTTP_FAIL_LOST) {
    /* A new session is open: say which message is in doubt, go on. */
    cli_free(reply, cap);
    unknown_fates++;
    fprintf(stderr, "kexlab client: %s\n", cli->detail);
    return KL_EXIT_OK;
  }
  if (err != KL_OK) {
    cli_free(reply, cap);
    return report(cli, err);
  }
  if (cli->reconnects != reconnects)
    fprintf(stderr,
            "kexlab client: session %.8s... lost; message %llu was not delivered and was sent "
            "on a new session %.8s...\n",
            old_id, (unsigned long long)cli->messages, cli->session_id);
  if (verbose && cli->rekeys != rekeys)
    fprintf(stderr, "kexlab client: rekeyed (%llu so far)\n", (unsigned long long)cli->rekeys);
  fwrite(reply, 1, rlen, stdout);
  fputc('\n', stdout);
  fflush(stdout);
  cli_free(reply, cap);
  return KL_EXIT_OK;
}

int cmd_client(int argc, char **argv)
{
  enum {
    OPT_URL = 256,
    OPT_PROFILE,
    OPT_PIN,
    OPT_IDENTITY,
    OPT_SEND,
    OPT_INTERACTIVE,
    OPT_REKEY,
    OPT_RAW,
    OPT_TIMEOUT,
    OPT_VERBOSE,
    OPT_CACERT,
    OPT_RECONNECT,
    OPT_NO_RECONNECT
  };
  static const struct option opts[] = {
    {"url", required_argument, NULL, OPT_URL},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"pin", required_argument, NULL, OPT_PIN},
    {"identity", required_argument, NULL, OPT_IDENTITY},
    {"send", required_argument, NULL, OPT_SEND},
    {"interactive", no_argument, NULL, OPT_INTERACTIVE},
    {"rekey-every", required_argument, NULL, OPT_REKEY},
    {"raw", no_argument, NULL, OPT_RAW},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"reconnect", no_argument, NULL, OPT_RECONNECT},
    {"no-reconnect", no_argument, NULL, OPT_NO_RECONNECT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  kl_http_client_config cfg;
  kl_http_client_config_default(&cfg);
  const char *identity_path = NULL;
  const char *pin_text = NULL;
  int interactive = 0, verbose = 0;
  int reconnect = -1; /* -1: on with --interactive */
  size_t v;
  int c;
  int rc = KL_EXIT_OK;
  /* --send values, in order (they point into argv). */
  const char **sends = calloc((size_t)argc + 1, sizeof *sends);
  size_t nsend = 0;
  if (sends == NULL) {
    cli_error(CMD, "out of memory");
    return KL_EXIT_FAIL;
  }
  cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      usage(stdout);
      free(sends);
      return KL_EXIT_OK;
    case OPT_URL:
      cfg.url = optarg;
      break;
    case OPT_PROFILE:
      if (kl_kex_profile_from_name(optarg, &cfg.kex.profile) != KL_OK) {
        free(sends);
        return cli_usage_error(CMD, "--profile wants hardened or seed, got '%s'", optarg);
      }
      break;
    case OPT_PIN:
      pin_text = optarg;
      break;
    case OPT_IDENTITY:
      identity_path = optarg;
      break;
    case OPT_SEND:
      sends[nsend++] = optarg;
      break;
    case OPT_INTERACTIVE:
      interactive = 1;
      break;
    case OPT_REKEY:
      if (cli_parse_size(CMD, "--rekey-every", optarg, 0, (size_t)1 << 40, &v)) {
        free(sends);
        return KL_EXIT_USAGE;
      }
      cfg.kex.rekey_after_messages = v;
      break;
    case OPT_RAW:
      cfg.seed_raw = 1;
      break;
    case OPT_TIMEOUT:
      if (cli_parse_size(CMD, "--timeout", optarg, 1, 3600000, &v)) {
        free(sends);
        return KL_EXIT_USAGE;
      }
      cfg.timeout_ms = (long)v;
      if (cfg.connect_timeout_ms > cfg.timeout_ms)
        cfg.connect_timeout_ms = cfg.timeout_ms;
      break;
    case OPT_VERBOSE:
      verbose = 1;
      break;
    case OPT_CACERT:
      cfg.ca_file = optarg;
      break;
    case OPT_RECONNECT:
      reconnect = 1;
      break;
    case OPT_NO_RECONNECT:
      reconnect = 0;
      break;
    default:
      free(sends);
      return cli_bad_option(CMD, argc, argv);
    }
  }
  if (optind != argc) {
    free(sends);
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  }
  if (strncmp(cfg.url, "http://", 7) != 0 && strncmp(cfg.url, "https://", 8) != 0) {
    free(sends);
    return cli_usage_error(CMD, "--url must start with http:// or https://");
  }
  if (pin_text != NULL && identity_path != NULL) {
    free(sends);
    return cli_usage_error(CMD, "give --pin or --identity, not both");
  }
  int hardened = cfg.kex.profile == KL_KEX_PROFILE_HARDENED;
  if (hardened && pin_text == NULL && identity_path == NULL) {
    free(sends);
    return cli_usage_error(CMD, "the hardened profile needs --pin FINGERPRINT or --identity "
                                "FILE (kexlab serve prints the fingerprint; GET /v1/identity)");
  }
  if (!hardened && (pin_text != NULL || identity_path != NULL))
    cli_error(CMD, "warning: the seed profile has no server identity; --pin/--identity ignored");

  cfg.reconnect = reconnect == -1 ? interactive : reconnect;
  unknown_fates = 0;

  kl_rng rng;
  kl_rng_os(&rng);
  cfg.rng = &rng;
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  if (hardened && pin_text != NULL) {
    if (!parse_pin(pin_text, cfg.kex.pin)) {
      kl_rsa_keyfile_clear(&kf);
      free(sends);
      return cli_usage_error(CMD, "--pin wants 64 hex digits (SHA-256 of the identity SPKI)");
    }
    cfg.kex.has_pin = 1;
  }
  if (hardened && identity_path != NULL) {
    /* cli_load_key initialises kf itself. */
    kl_rsa_keyfile_clear(&kf);
    rc = cli_load_key(CMD, identity_path, CLI_KEY_ANY, &kf);
    if (rc != KL_EXIT_OK) {
      kl_rsa_keyfile_clear(&kf);
      free(sends);
      return rc;
    }
    cfg.kex.identity = &kf.pub;
  }

  kl_http_client cli;
  kl_err err = kl_http_client_init(&cli, &cfg);
  if (err != KL_OK) {
    kl_rsa_keyfile_clear(&kf);
    free(sends);
    return cli_usage_error(CMD, "cannot set up the client: %s", kl_strerror(err));
  }
  err = kl_http_client_connect(&cli);
  if (err != KL_OK) {
    rc = report(&cli, err);
    goto out;
  }
  if (verbose)
    fprintf(stderr, "kexlab client: session %s (%s)\n", cli.session_id,
            kl_kex_profile_name(cfg.kex.profile));
  for (size_t i = 0; i < nsend && rc == KL_EXIT_OK; i++)
    rc = exchange(&cli, sends[i], strlen(sends[i]), verbose);
  if (interactive && rc == KL_EXIT_OK) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (rc == KL_EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
      size_t len = (size_t)n;
      while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
      rc = exchange(&cli, line, len, verbose);
    }
    if (line != NULL)
      cli_free((uint8_t *)line, cap);
  }
  if (rc == KL_EXIT_OK) {
    err = kl_http_client_close(&cli);
    if (err != KL_OK)
      rc = report(&cli, err);
  }
  if (rc == KL_EXIT_OK && unknown_fates > 0) {
    cli_error(CMD, "%lu message%s may not have been delivered (see above)", unknown_fates,
              unknown_fates == 1 ? "" : "s");
    rc = KL_EXIT_FAIL;
  }
out:
  kl_http_client_clear(&cli);
  kl_rsa_keyfile_clear(&kf);
  free(sends);
  return rc;
}
