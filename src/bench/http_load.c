/* http_load.c: a load generator for `kexlab bench http` and the load test:
 * `clients` threads, each with its own kl_http_client (one keep-alive
 * connection), run sessions against one server and time every handshake
 * (POST /v1/sessions + POST .../key, client-side RSA included) and every
 * message round trip. Percentiles are nearest-rank over all samples
 * (p = ceil(q * N)-th smallest), computed after the run.
 * The payload is fixed, non-secret filler; each reply must echo it (the
 * default application echoes), so a wrong byte counts as an error too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "http_load.h"

/* Wall-clock seconds (CLOCK_MONOTONIC): a round trip spans two processes. */
static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct samples {
  double *v;
  size_t n, cap;
} samples;

static int samples_add(samples *s, double x)
{
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 1024;
    double *p = realloc(s->v, cap * sizeof *p);
    if (p == NULL)
      return 0;
    s->v = p;
    s->cap = cap;
  }
  s->v[s->n++] = x;
  return 1;
}

typedef struct worker {
  const bench_http_load_config *cfg;
  pthread_t thread;
  double t_end;      /* stop starting new work after this (0: none) */
  double t_deadline; /* give up after this */
  samples hs, msg;
  unsigned long handshakes, messages, rekeys, errors;
  char first_error[256];
} worker;

static void note_error(worker *w, const kl_http_client *cli, const char *what)
{
  w->errors++;
  if (w->first_error[0] == '\0')
    snprintf(w->first_error, sizeof w->first_error, "%s: %.200s", what,
             cli->detail[0] ? cli->detail : "failed");
}

static void *worker_main(void *arg)
{
  worker *w = arg;
  const bench_http_load_config *cfg = w->cfg;
  size_t plen = cfg->payload_len;
  uint8_t *payload = malloc(plen + 1);
  /* Room for the echo of a plen-byte payload (kex.h: kl_kex_open_max). */
  size_t rcap = kl_kex_open_max(plen);
  uint8_t *reply = malloc(rcap);
  kl_http_client cli;
  kl_http_client_config cc = cfg->client;
  cc.kex.rekey_after_messages = cfg->rekey_every;
  if (payload == NULL || reply == NULL || kl_http_client_init(&cli, &cc) != KL_OK) {
    w->errors++;
    snprintf(w->first_error, sizeof w->first_error, "client set-up failed");
    free(payload);
    free(reply);
    return NULL;
  }
  for (size_t i = 0; i < plen; i++)
    payload[i] = (uint8_t)('a' + i % 26);

  for (unsigned long s = 0; cfg->sessions_per_client == 0 || s < cfg->sessions_per_client; s++) {
    double t = now_s();
    if ((w->t_end > 0 && t >= w->t_end) || t >= w->t_deadline)
      break;
    if (kl_http_client_connect(&cli) != KL_OK) {
      note_error(w, &cli, "handshake");
      if (cli.fail == KL_HTTP_FAIL_REFUSED)
        break; /* no server: do not spin */
      continue;
    }
    samples_add(&w->hs, (now_s() - t) * 1e3);
    w->handshakes++;
    uint64_t rekeys_before = cli.rekeys;
    for (unsigned long m = 0; m < cfg->messages_per_session; m++) {
      double t0 = now_s();
      if (t0 >= w->t_deadline || (w->t_end > 0 && t0 >= w->t_end && cfg->sessions_per_client == 0))
        break;
      size_t rlen = rcap;
      if (kl_http_client_send(&cli, reply, &rlen, payload, plen) != KL_OK) {
        note_error(w, &cli, "message");
        break;
      }
      samples_add(&w->msg, (now_s() - t0) * 1e3);
      if (rlen != plen || memcmp(reply, payload, plen) != 0) {
        w->errors++;
        if (w->first_error[0] == '\0')
          snprintf(w->first_error, sizeof w->first_error, "reply does not echo the message");
        break;
      }
      w->messages++;
    }
    w->rekeys += (unsigned long)(cli.rekeys - rekeys_before);
    if (kl_http_client_close(&cli) != KL_OK)
      note_error(w, &cli, "close");
  }
  kl_http_client_clear(&cli);
  free(payload);
  free(reply);
  return NULL;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double percentile(const double *v, size_t n, double q)
{
  if (n == 0)
    return 0;
  size_t rank = (size_t)ceil(q * (double)n);
  if (rank < 1)
    rank = 1;
  return v[rank - 1];
}

static void summarise(samples *all, double *p50, double *p99, double *mean)
{
  qsort(all->v, all->n, sizeof *all->v, cmp_double);
  *p50 = percentile(all->v, all->n, 0.50);
  *p99 = percentile(all->v, all->n, 0.99);
  double sum = 0;
  for (size_t i = 0; i < all->n; i++)
    sum += all->v[i];
  *mean = all->n ? sum / (double)all->n : 0;
}

kl_err bench_http_load_run(const bench_http_load_config *cfg, bench_http_load_result *res)
{
  if (cfg == NULL || res == NULL || cfg->clients == 0 || cfg->clients > 1024 ||
      (cfg->duration_s <= 0 && cfg->sessions_per_client == 0))
    return KL_ERR_ARG;
  memset(res, 0, sizeof *res);
  bench_http_load_config c = *cfg;
  if (c.payload_len == 0)
    c.payload_len = 64;
  worker *w = calloc(c.clients, sizeof *w);
  if (w == NULL)
    return KL_ERR_NOMEM;
  double t0 = now_s();
  double deadline = c.deadline_s > 0 ? c.deadline_s : (c.duration_s > 0 ? c.duration_s + 30 : 600);
  unsigned started = 0;
  for (unsigned i = 0; i < c.clients; i++) {
    w[i].cfg = &c;
    w[i].t_end = c.duration_s > 0 ? t0 + c.duration_s : 0;
    w[i].t_deadline = t0 + deadline;
    if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
      break;
    started++;
  }
  samples hs = {0}, msg = {0};
  for (unsigned i = 0; i < started; i++) {
    pthread_join(w[i].thread, NULL);
    res->handshakes += w[i].handshakes;
    res->messages += w[i].messages;
    res->rekeys += w[i].rekeys;
    res->errors += w[i].errors;
    if (res->first_error[0] == '\0' && w[i].first_error[0] != '\0')
      memcpy(res->first_error, w[i].first_error, sizeof res->first_error);
    for (size_t k = 0; k < w[i].hs.n; k++)
      samples_add(&hs, w[i].hs.v[k]);
    for (size_t k = 0; k < w[i].msg.n; k++)
      samples_add(&msg, w[i].msg.v[k]);
    free(w[i].hs.v);
    free(w[i].msg.v);
  }
  res->elapsed_s = now_s() - t0;
  if (started < c.clients) {
    res->errors += c.clients - started;
    if (res->first_error[0] == '\0')
      snprintf(res->first_error, sizeof res->first_error, "could not start every client thread");
  }
  summarise(&hs, &res->hs_p50_ms, &res->hs_p99_ms, &res->hs_mean_ms);
  summarise(&msg, &res->msg_p50_ms, &res->msg_p99_ms, &res->msg_mean_ms);
  free(hs.v);
  free(msg.v);
  free(w);
  return KL_OK;
}
