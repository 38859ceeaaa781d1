/* deploy_load.c: the clients of tests/deploy/test_deploy.sh. N threads, each
 * one kl_http_client (libkexlab-http's public API, as an application would
 * use it) talking to several `kexlab serve` nodes through nginx over HTTPS:
 * one session, M messages (each must come back as its echo), a rekey every
 * K, an optional pause between messages, close. With --reconnect the
 * library replaces a lost session (docs/deploy.md, Clients) and this
 * program records what happened, per node (the node number is octet 0 of
 * the session id, its first two hex digits):
 *   sessions opened, messages echoed, rekeys, sessions lost, and each
 *   message whose delivery the library reported unknown.
 * One JSON object on stdout; the test compares it with each node's
 * GET /v1/metrics. Exit 0 when it ran (errors are in the JSON), 2 on bad
 * arguments. */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kexlab/encoding.h"
#include "kexlab/http.h"

#define NODES 256

typedef struct node_count {
  unsigned long sessions, messages, rekeys, lost;
} node_count;

typedef struct run {
  kl_http_client_config cfg;
  unsigned clients;
  unsigned long messages, pause_ms;
  pthread_mutex_t lock; /* everything below */
  node_count node[NODES];
  unsigned long ok, errors, unknown, reconnects, new_after_loss_on_lost_node;
  char first_error[300];
} run;

static int node_of(const char *session_id)
{
  uint8_t b;
  size_t n = 1;
  if (kl_hex_decode(&b, &n, session_id, 2) != KL_OK)
    return 0;
  return b;
}

static void error_seen(run *r, const char *what)
{
  pthread_mutex_lock(&r->lock);
  r->errors++;
  if (r->first_error[0] == '\0')
    snprintf(r->first_error, sizeof r->first_error, "%s", what);
  pthread_mutex_unlock(&r->lock);
}

static void *client_main(void *arg)
{
  run *r = arg;
  kl_http_client cli;
  uint8_t reply[512];
  char msg[64];
  if (kl_http_client_init(&cli, &r->cfg) != KL_OK) {
    error_seen(r, "client init");
    return NULL;
  }
  if (kl_http_client_connect(&cli) != KL_OK) {
    error_seen(r, cli.detail);
    kl_http_client_clear(&cli);
    return NULL;
  }
  int node = node_of(cli.session_id);
  pthread_mutex_lock(&r->lock);
  r->node[node].sessions++;
  pthread_mutex_unlock(&r->lock);
  uint64_t rekeys = 0; /* of the current session */
  for (unsigned long i = 1; i <= r->messages; i++) {
    int len = snprintf(msg, sizeof msg, "message %lu of client %p", i, (void *)&cli);
    size_t rlen = sizeof reply;
    uint64_t reconnects = cli.reconnects;
    kl_err err = kl_http_client_send(&cli, reply, &rlen, (const uint8_t *)msg, (size_t)len);
    int lost = cli.reconnects != reconnects;
    int now = node_of(cli.session_id);
    pthread_mutex_lock(&r->lock);
    if (lost) {
      /* The old session's rekeys before the loss, its node's loss, the new session. */
      r->node[node].rekeys += rekeys;
      r->node[node].lost++;
      r->node[now].sessions++;
      r->reconnects++;
      if (now == node)
        r->new_after_loss_on_lost_node++;
      rekeys = 0;
    }
    if (err == KL_OK && rlen == (size_t)len && memcmp(reply, msg, rlen) == 0) {
      r->ok++;
      r->node[now].messages++;
      rekeys = cli.rekeys;
    } else if (err != KL_OK && cli.fail == KL_HTTP_FAIL_LOST && cli.fate == KL_HTTP_FATE_UNKNOWN) {
      r->unknown++;
    } else {
      pthread_mutex_unlock(&r->lock);
      error_seen(r, err == KL_OK ? "reply is not the echo" : cli.detail);
      break;
    }
    pthread_mutex_unlock(&r->lock);
    node = now;
    if (r->pause_ms > 0) {
      struct timespec ts = {(time_t)(r->pause_ms / 1000), (long)(r->pause_ms % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  pthread_mutex_lock(&r->lock);
  r->node[node].rekeys += rekeys;
  pthread_mutex_unlock(&r->lock);
  if (cli.kex_ready && kl_http_client_close(&cli) != KL_OK)
    error_seen(r, cli.detail);
  kl_http_client_clear(&cli);
  return NULL;
}

static int usage(void)
{
  fputs("usage: deploy_load --url URL [--cacert FILE] [--pin HEX] [--profile hardened|seed]\n"
        "       [--clients N] [--messages M] [--rekey-every K] [--pause-ms P] [--reconnect]\n",
        stderr);
  return 2;
}

int main(int argc, char **argv)
{
  static const struct option opts[] = {
    {"url", required_argument, NULL, 'u'},         {"cacert", required_argument, NULL, 'c'},
    {"pin", required_argument, NULL, 'p'},         {"profile", required_argument, NULL, 'P'},
    {"clients", required_argument, NULL, 'n'},     {"messages", required_argument, NULL, 'm'},
    {"rekey-every", required_argument, NULL, 'k'}, {"pause-ms", required_argument, NULL, 's'},
    {"reconnect", no_argument, NULL, 'r'},         {NULL, 0, NULL, 0},
  };
  static run r;
  kl_rng rng;
  kl_rng_os(&rng);
  kl_http_client_config_default(&r.cfg);
  r.cfg.rng = &rng;
  r.clients = 1;
  r.messages = 10;
  pthread_mutex_init(&r.lock, NULL);
  int c;
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 'u':
      r.cfg.url = optarg;
      break;
    case 'c':
      r.cfg.ca_file = optarg;
      break;
    case 'p': {
      size_t n = sizeof r.cfg.kex.pin;
      if (strlen(optarg) != 64 || kl_hex_decode(r.cfg.kex.pin, &n, optarg, 64) != KL_OK)
        return usage();
      r.cfg.kex.has_pin = 1;
      break;
    }
    case 'P':
      if (kl_kex_profile_from_name(optarg, &r.cfg.kex.profile) != KL_OK)
        return usage();
      break;
    case 'n':
      r.clients = (unsigned)strtoul(optarg, NULL, 10);
      break;
    case 'm':
      r.messages = strtoul(optarg, NULL, 10);
      break;
    case 'k':
      r.cfg.kex.rekey_after_messages = strtoull(optarg, NULL, 10);
      break;
    case 's':
      r.pause_ms = strtoul(optarg, NULL, 10);
      break;
    case 'r':
      r.cfg.reconnect = 1;
      break;
    default:
      return usage();
    }
  }
  if (r.clients == 0 || r.clients > 512 || optind != argc)
    return usage();
  if (kl_init() != KL_OK)
    return 1;
  pthread_t *t = calloc(r.clients, sizeof *t);
  if (t == NULL)
    return 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (unsigned i = 0; i < r.clients; i++) {
    if (pthread_create(&t[i], NULL, client_main, &r) != 0)
      return 1;
  }
  for (unsigned i = 0; i < r.clients; i++)
    pthread_join(t[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  free(t);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

  /* The error text comes from the library: printable ASCII; quotes and
   * backslashes are dropped to keep the JSON simple. */
  for (char *p = r.first_error; *p != '\0'; p++) {
    if (*p == '"' || *p == '\\')
      *p = '\'';
  }
  printf("{\"clients\":%u,\"ok\":%lu,\"errors\":%lu,\"unknown\":%lu,\"reconnects\":%lu,"
         "\"new_after_loss_on_lost_node\":%lu,\"seconds\":%.3f,\"first_error\":\"%s\",\"nodes\":{",
         r.clients, r.ok, r.errors, r.unknown, r.reconnects, r.new_after_loss_on_lost_node, secs,
         r.first_error);
  int first = 1;
  for (int n = 0; n < NODES; n++) {
    node_count *k = &r.node[n];
    if (k->sessions == 0 && k->messages == 0)
      continue;
    printf("%s\"%d\":{\"sessions\":%lu,\"messages\":%lu,\"rekeys\":%lu,\"lost\":%lu}",
           first ? "" : ",", n, k->sessions, k->messages, k->rekeys, k->lost);
    first = 0;
  }
  printf("}}\n");
  pthread_mutex_destroy(&r.lock);
  return 0;
}
