/* state.c: the running server's shared state (kl_http_server.st, struct
 * kli_server_state): making and unmaking it, and reading its counters
 * (kl_http_server_stats). server.c counts requests into it, worker.c sleeps
 * on its condition variable, handlers.c takes from its rate table.
 * Threads: `lock` guards every field; nothing here calls out while holding it. */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"

kli_server_state *kli_state_new(const kl_http_server_config *cfg)
{
  kli_server_state *st = calloc(1, sizeof *st);
  if (st == NULL)
    return NULL;
  pthread_mutex_init(&st->lock, NULL);
  pthread_cond_init(&st->cond, NULL);
  kli_rate_init(&st->rate, cfg->rate_per_minute, cfg->rate_burst);
  st->started = kli_now();
  st->metrics = kli_metrics_new();
  if (st->metrics == NULL) {
    kli_state_free(st);
    return NULL;
  }
  return st;
}

void kli_state_free(kli_server_state *st)
{
  if (st == NULL)
    return;
  pthread_mutex_destroy(&st->lock);
  pthread_cond_destroy(&st->cond);
  kli_metrics_free(st->metrics);
  free(st);
}

void kl_http_server_stats(const kl_http_server *srv, kl_http_stats *out)
{
  memset(out, 0, sizeof *out);
  if (srv == NULL || srv->st == NULL)
    return;
  kli_server_state *st = srv->st;
  pthread_mutex_lock(&st->lock);
  out->requests = st->requests;
  out->errors_4xx = st->errors_4xx;
  out->errors_5xx = st->errors_5xx;
  out->in_flight = st->in_flight;
  out->uptime = kli_now() - st->started;
  pthread_mutex_unlock(&st->lock);
}
