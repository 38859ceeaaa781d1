/* drain.c: draining, for rolling restarts (docs/deploy.md "Rolling restart").
 * A draining server refuses new sessions with 503 and Retry-After (RFC 9110
 * §15.6.4, §10.2.3), so a load balancer in front sends them to another node,
 * while every established session goes on until its client closes it, it
 * idles out, or the caller's drain timeout passes; then the caller stops the
 * server (kl_http_server_stop), which wipes every session key. Draining
 * cannot be undone: it is the first half of a shutdown.
 * Threads: `draining` lives in the server's state, under its lock. */
#include "http_internal.h"

void kl_http_server_drain(kl_http_server *srv)
{
  if (srv == NULL || srv->st == NULL)
    return;
  pthread_mutex_lock(&srv->st->lock);
  srv->st->draining = 1;
  pthread_mutex_unlock(&srv->st->lock);
}

size_t kl_http_server_sessions(kl_http_server *srv, size_t *established)
{
  if (established != NULL)
    *established = 0;
  if (srv == NULL || srv->st == NULL)
    return 0;
  /* Idle sessions past their timeout go now, not at the next sweep. */
  (void)kl_kex_server_expire(&srv->kex, kli_now_ms());
  kl_kex_server_stats ks;
  kl_kex_server_get_stats(&srv->kex, &ks);
  if (established != NULL)
    *established = ks.established;
  return ks.sessions;
}

int kli_drain_refuse(kl_http_server *srv, kli_reply *rep)
{
  pthread_mutex_lock(&srv->st->lock);
  int draining = srv->st->draining;
  pthread_mutex_unlock(&srv->st->lock);
  if (!draining)
    return 0;
  kli_reply_error(rep, KLI_E_OVERLOAD,
                  "this node is draining before a restart: create the session on another node");
  return 1;
}
