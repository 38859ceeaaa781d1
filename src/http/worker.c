/* worker.c: the server's one thread of its own. It keeps the protocol
 * server's key pool full (one RSA key per unit of work, outside every lock)
 * and expires idle sessions every cfg.sweep_seconds; between units it sleeps
 * on the state's condition variable until a session takes a pool key
 * (kli_worker_wake), the next sweep is due, or the server stops.
 * Threads: the kex server does its own locking (kex.h); `st->lock` is held
 * only to read `stopping` and `wake` and to sleep. */
#include <time.h>

#include "http_internal.h"

/* Generate one pool key; 1 if the pool still wants more. */
static int worker_step(kl_http_server *srv)
{
  if (kl_kex_server_pool_need(&srv->kex) == 0)
    return 0;
  size_t added = 0;
  double t0 = kli_now();
  kl_err err = kl_kex_server_pool_fill(&srv->kex, NULL, 1, &added);
  if (err != KL_OK)
    return 0; /* try again at the next wake-up or sweep */
  if (added > 0)
    kli_metrics_keygen(srv->st->metrics, 0, kli_now() - t0);
  return kl_kex_server_pool_need(&srv->kex) > 0;
}

static void worker_sweep(kl_http_server *srv)
{
  (void)kl_kex_server_expire(&srv->kex, kli_now_ms());
}

static void *worker_main(void *arg)
{
  kl_http_server *srv = arg;
  kli_server_state *st = srv->st;
  double next_sweep = kli_now() + srv->cfg.sweep_seconds;
  pthread_mutex_lock(&st->lock);
  while (!st->stopping) {
    pthread_mutex_unlock(&st->lock);
    /* One unit of work outside the lock: a key for the pool (tens of ms). */
    int more = worker_step(srv);
    double now = kli_now();
    if (now >= next_sweep) {
      worker_sweep(srv);
      next_sweep = now + srv->cfg.sweep_seconds;
    }
    pthread_mutex_lock(&st->lock);
    if (!more && !st->stopping) {
      /* Pool full: sleep until a session takes a key (kli_worker_wake) or
       * until the next sweep is due. */
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      double wait = srv->cfg.sweep_seconds > 0 ? srv->cfg.sweep_seconds : 1.0;
      ts.tv_sec += (time_t)wait;
      ts.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
      if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
      }
      if (!st->wake)
        pthread_cond_timedwait(&st->cond, &st->lock, &ts);
      st->wake = 0;
    }
  }
  pthread_mutex_unlock(&st->lock);
  return NULL;
}

kl_err kli_worker_start(kl_http_server *srv)
{
  kli_server_state *st = srv->st;
  if (pthread_create(&st->worker, NULL, worker_main, srv) != 0)
    return KL_ERR_NOMEM;
  st->worker_started = 1;
  return KL_OK;
}

void kli_worker_join(kl_http_server *srv)
{
  kli_server_state *st = srv->st;
  if (st->worker_started)
    pthread_join(st->worker, NULL);
  st->worker_started = 0;
}

void kli_worker_wake(kl_http_server *srv)
{
  kli_server_state *st = srv->st;
  pthread_mutex_lock(&st->lock);
  st->wake = 1;
  pthread_cond_broadcast(&st->cond);
  pthread_mutex_unlock(&st->lock);
}
