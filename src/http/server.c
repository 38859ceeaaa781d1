/* server.c: the REST server on libmicrohttpd (MHD): bodies, limits, dispatch,
 * the request log and a clean start and shutdown (the state, the handlers'
 * protocol server and the pool worker are set up and taken down from here).
 * HTTP/1.1 is RFC 9112; statuses and headers (Allow, Retry-After,
 * Content-Type) are RFC 9110.
 * Uses, never the other way round: handlers.c (kli_dispatch), worker.c,
 * state.c, reply.c, and the pure helpers below them.
 * What happens to one request (MHD calls on_request several times):
 *   1st call   headers only: route it, refuse an ambiguous length (400),
 *              check Content-Length against max_body (over it: the body is
 *              read and dropped up to kli_drain_limit, then 413; past that
 *              bound, 413 at once and the connection closes);
 *   next calls body chunks: append, up to max_body (past it: drop, 413 later);
 *   last call  (*upload_data_size == 0): handlers.c produces a kli_reply (or,
 *              for a path that is none of the API's, extra.c's hook);
 *   completed  on_completed: log one line, wipe and free the body.
 * Secrets: request bodies hold wrapped keys and frames: wiped before free.
 * The response buffers are copied by MHD (MHD_RESPMEM_MUST_COPY) and ours
 * wiped at once. MHD's own copy holds only ciphertext and public values.
 * Threads: MHD's pool runs on_request; the state's `lock` guards the
 * counters, the rate table and `stopping`; the worker thread (worker.c)
 * sleeps on its `cond`. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http_internal.h"
#include "kexlab/ct.h"
#include "kexlab/http.h"

/* Per-request state: MHD's *con_cls. */
typedef struct kli_request {
  double t0;
  char method[16];
  char log_path[96];
  char client[KLI_RATE_ADDR_MAX];
  kli_route_match route;
  uint8_t *body;
  size_t len, cap;
  int too_large;
  size_t discarded; /* body octets read and dropped after too_large */
  int replied;      /* a response is queued (early 413, ambiguous framing) */
  unsigned status;
  const char *error; /* error code of the reply's body (metrics.c) */
  size_t bytes_in, bytes_out;
} kli_request;

void kl_http_server_config_default(kl_http_server_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  cfg->host = "127.0.0.1";
  cfg->port = KL_HTTP_DEFAULT_PORT;
  cfg->threads = 4;
  cfg->max_body = KL_HTTP_DEFAULT_MAX_BODY;
  cfg->max_requests = 0;
  cfg->rate_per_minute = 0;
  cfg->rate_burst = 10;
  cfg->max_inline_keygen = 2;
  cfg->sweep_seconds = 1.0;
  cfg->log = stderr;
  kl_kex_server_config_default(&cfg->kex);
  memset(&cfg->app, 0, sizeof cfg->app);
  cfg->max_connections = 1000;
  cfg->max_connections_per_client = 64;
  cfg->header_timeout = 10;
}

/* Seconds a connection may stay silent once its headers are in (a body
 * being sent, keep-alive between requests). */
#define KLI_IDLE_TIMEOUT 30

/* ---- responses --------------------------------------------------------- */

/* Queue rep on the connection; returns MHD's verdict. */
static enum MHD_Result send_reply(struct MHD_Connection *c, kli_request *rq, kli_reply *rep)
{
  /* Every status the API sends is one of: 200 201 204 400 404 405 409 413 415 429 500
   * 503; an extra route (extra.c) chooses its own. */
  static char empty[] = "";
  struct MHD_Response *r = MHD_create_response_from_buffer(
    rep->body_len, rep->body_len ? (void *)rep->body : (void *)empty, MHD_RESPMEM_MUST_COPY);
  if (r == NULL) {
    kli_reply_free(rep);
    return MHD_NO;
  }
  if (rep->content_type != NULL && rep->status != 204)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (rep->allow != NULL)
    MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, rep->allow);
  for (int i = 0; i < KL_HTTP_EXTRA_HEADERS && rep->headers[i][0] != NULL; i++)
    MHD_add_response_header(r, rep->headers[i][0], rep->headers[i][1]);
  if (rep->retry_after > 0) {
    char v[16];
    snprintf(v, sizeof v, "%u", rep->retry_after);
    MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, v);
  }
  enum MHD_Result res = MHD_queue_response(c, rep->status, r);
  MHD_destroy_response(r);
  rq->status = rep->status;
  rq->error = rep->error;
  rq->bytes_out = rep->body_len;
  rq->replied = 1;
  kli_reply_free(rep);
  return res;
}

static enum MHD_Result send_error(struct MHD_Connection *c, kli_request *rq, kli_error e,
                                  const char *detail)
{
  kli_reply rep = {0};
  kli_reply_error(&rep, e, detail);
  return send_reply(c, rq, &rep);
}

/* ---- per-request life cycle ------------------------------------------- */

static void copy_printable(char *out, size_t cap, const char *in)
{
  size_t o = 0;
  for (; in != NULL && in[o] != '\0' && o + 1 < cap; o++)
    out[o] = (in[o] > 0x20 && in[o] < 0x7f) ? in[o] : '?';
  out[o] = '\0';
}

static void client_address(struct MHD_Connection *c, char *out, size_t cap)
{
  snprintf(out, cap, "-");
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
                                                               MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (ci == NULL || ci->client_addr == NULL)
    return;
  const struct sockaddr *sa = ci->client_addr;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in4 = (const struct sockaddr_in *)(const void *)sa;
    inet_ntop(AF_INET, &in4->sin_addr, out, (socklen_t)cap);
  } else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
    inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)cap);
  }
}

/* Append a body chunk, or note that the body is over the limit. */
static void take_chunk(kli_request *rq, size_t max_body, const char *data, size_t n)
{
  if (rq->too_large) {
    rq->discarded += n;
    return;
  }
  if (n > max_body - rq->len) {
    rq->too_large = 1;
    if (rq->body != NULL) {
      kl_wipe(rq->body, rq->len);
      free(rq->body);
    }
    rq->body = NULL;
    rq->len = rq->cap = 0;
    return;
  }
  if (rq->len + n > rq->cap) {
    size_t cap = rq->cap ? rq->cap : 1024;
    while (cap < rq->len + n)
      cap *= 2;
    if (cap > max_body)
      cap = max_body;
    /* Not realloc: the old block must be wiped before it goes back. */
    uint8_t *p = malloc(cap);
    if (p == NULL) {
      rq->too_large = 1; /* reported as 413: the body could not be held */
      return;
    }
    if (rq->len > 0)
      memcpy(p, rq->body, rq->len);
    if (rq->body != NULL) {
      kl_wipe(rq->body, rq->len);
      free(rq->body);
    }
    rq->body = p;
    rq->cap = cap;
  }
  memcpy(rq->body + rq->len, data, n);
  rq->len += n;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
  kl_http_server *srv = cls;
  kli_server_state *st = srv->st;
  kli_request *rq = *con_cls;
  (void)version;

  if (rq == NULL) {
    /* 1st call: the headers are in. */
    rq = calloc(1, sizeof *rq);
    if (rq == NULL)
      return MHD_NO;
    rq->t0 = kli_now();
    rq->status = 0;
    copy_printable(rq->method, sizeof rq->method, method);
    kli_route_log_path(rq->log_path, sizeof rq->log_path, url);
    client_address(c, rq->client, sizeof rq->client);
    kli_route_parse(&rq->route, method, url);
    *con_cls = rq;
    /* The headers are in: from now on the longer idle timeout applies. */
    MHD_set_connection_option(c, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned int)KLI_IDLE_TIMEOUT);
    pthread_mutex_lock(&st->lock);
    st->in_flight++;
    pthread_mutex_unlock(&st->lock);

    /* Two lengths, or a length and a transfer coding: which one a proxy in
     * front believes is unknown, so the request is refused (limits.c). */
    if (!kli_framing_ok(c))
      return send_error(c, rq, KLI_E_BAD_REQUEST,
                        "more than one Content-Length, or Content-Length with "
                        "Transfer-Encoding");
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl != NULL) {
      char *end = NULL;
      errno = 0;
      unsigned long long v = strtoull(cl, &end, 10);
      if (errno != 0 || end == cl || v > kli_drain_limit(srv->cfg.max_body))
        return send_error(c, rq, KLI_E_TOO_LARGE, NULL);
      /* Over the limit but within the drain bound: read the body and drop
       * it, then answer 413 (below), so that a client that writes its whole
       * body before reading sees the 413, not a reset (RFC 9112 §9.6). A
       * client that asked "Expect: 100-continue" waits for the answer before
       * it sends the body: it gets the 413 at once (RFC 9110 §10.1.1). */
      if (v > srv->cfg.max_body) {
        if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT) != NULL)
          return send_error(c, rq, KLI_E_TOO_LARGE, NULL);
        rq->too_large = 1;
      }
    }
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    rq->bytes_in += *upload_data_size;
    if (!rq->replied)
      take_chunk(rq, srv->cfg.max_body, upload_data, *upload_data_size);
    *upload_data_size = 0;
    /* A chunked body past the drain bound: answer now and close. */
    if (!rq->replied && rq->too_large && rq->discarded > kli_drain_limit(srv->cfg.max_body))
      return send_error(c, rq, KLI_E_TOO_LARGE, NULL);
    return MHD_YES;
  }
  if (rq->replied)
    return MHD_YES;
  if (rq->too_large)
    return send_error(c, rq, KLI_E_TOO_LARGE, NULL);

  /* Last call: route and answer. */
  kli_request_view view = {
    .route = &rq->route,
    .content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
    .body = rq->body,
    .body_len = rq->len,
    .client = rq->client,
  };
  kli_reply rep = {0};
  if (rq->route.route == KLI_ROUTE_NONE) {
    if (kli_extra_dispatch(srv, method, url, &view, &rep))
      return send_reply(c, rq, &rep);
    return send_error(c, rq, KLI_E_NOT_FOUND, NULL);
  }
  if (!rq->route.method_ok) {
    kli_reply_error(&rep, KLI_E_METHOD, NULL);
    rep.allow = rq->route.allow;
    return send_reply(c, rq, &rep);
  }
  kli_dispatch(srv, &view, &rep);
  return send_reply(c, rq, &rep);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
  kl_http_server *srv = cls;
  kli_server_state *st = srv->st;
  kli_request *rq = *con_cls;
  (void)c;
  if (rq == NULL)
    return;
  double ms = (kli_now() - rq->t0) * 1e3;
  /* A request that ended without a reply (client went away, timeout) is
   * logged with status 0. */
  unsigned status = toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? rq->status : 0;
  kli_log_request(srv->cfg.log, rq->client, rq->method, rq->log_path, status, ms);
  kli_metrics_request(st->metrics, rq->route.route, status, rq->error, ms / 1e3, rq->bytes_in,
                      status != 0 ? rq->bytes_out : 0);
  if (rq->body != NULL) {
    kl_wipe(rq->body, rq->len);
    free(rq->body);
  }
  pthread_mutex_lock(&st->lock);
  st->requests++;
  if (status >= 400 && status < 500)
    st->errors_4xx++;
  else if (status >= 500)
    st->errors_5xx++;
  st->in_flight--;
  pthread_cond_broadcast(&st->cond);
  pthread_mutex_unlock(&st->lock);
  free(rq);
  *con_cls = NULL;
}

/* ---- start and stop ---------------------------------------------------- */

static kl_err make_sockaddr(const char *host, uint16_t port, struct sockaddr_storage *ss)
{
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *in4 = (struct sockaddr_in *)(void *)ss;
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)(void *)ss;
  if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
    in4->sin_family = AF_INET;
    in4->sin_port = htons(port);
    return KL_OK;
  }
  if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    return KL_OK;
  }
  return KL_ERR_ARG;
}

kl_err kl_http_server_start(kl_http_server *srv, const kl_http_server_config *cfg)
{
  if (srv == NULL || cfg == NULL || cfg->kex.rng == NULL || cfg->host == NULL ||
      cfg->threads == 0 || cfg->threads > 256 || cfg->max_body == 0 || cfg->max_connections == 0 ||
      cfg->header_timeout == 0)
    return KL_ERR_ARG;
  memset(srv, 0, sizeof *srv);
  srv->cfg = *cfg;
  struct sockaddr_storage ss;
  if (make_sockaddr(cfg->host, cfg->port, &ss) != KL_OK)
    return KL_ERR_ARG;

  kli_server_state *st = kli_state_new(cfg);
  if (st == NULL)
    return KL_ERR_NOMEM;
  srv->st = st;
  kl_err err = kli_handlers_init(srv);
  if (err != KL_OK) {
    kli_state_free(st);
    srv->st = NULL;
    return err;
  }

  /* MHD_USE_ITC: needed by MHD_quiesce_daemon (stop accepting, keep serving).
   * MHD_USE_AUTO picks epoll on Linux. No MHD_USE_ERROR_LOG: MHD's messages
   * can quote request bytes, and the log must hold no secrets.
   * Slow clients: the connection timeout is header_timeout until a request's
   * headers are in (on_request then sets KLI_IDLE_TIMEOUT on the connection),
   * and one address holds at most max_connections_per_client of the
   * max_connections slots. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
  srv->daemon = MHD_start_daemon(
    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&ss,
    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT,
    (unsigned int)cfg->header_timeout, MHD_OPTION_CONNECTION_LIMIT,
    (unsigned int)cfg->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
    (unsigned int)cfg->max_connections_per_client, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
    MHD_OPTION_END);
  if (srv->daemon == NULL) {
    kli_handlers_clear(srv);
    kli_state_free(st);
    srv->st = NULL;
    return KL_ERR_IO;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = di != NULL ? di->port : cfg->port;

  err = kli_worker_start(srv);
  if (err != KL_OK) {
    MHD_stop_daemon(srv->daemon);
    srv->daemon = NULL;
    kli_handlers_clear(srv);
    kli_state_free(st);
    srv->st = NULL;
    return err;
  }
  return KL_OK;
}

void kl_http_server_stop(kl_http_server *srv, double grace_seconds)
{
  if (srv == NULL || srv->st == NULL)
    return;
  kli_server_state *st = srv->st;
  /* 1. Stop accepting; open connections go on. The listening socket MHD
   * hands back may only be closed AFTER MHD_stop_daemon (microhttpd.h,
   * MHD_quiesce_daemon: with MHD's own threads one may still use it;
   * closing it earlier made MHD abort with "Failed to remove listen FD from
   * epoll set" at stop, now and then). */
  MHD_socket listen_fd = MHD_INVALID_SOCKET;
  if (srv->daemon != NULL)
    listen_fd = MHD_quiesce_daemon(srv->daemon);
  /* 2. Let the requests in flight finish, up to the grace period. */
  double deadline = kli_now() + grace_seconds;
  pthread_mutex_lock(&st->lock);
  st->stopping = 1;
  pthread_cond_broadcast(&st->cond);
  while (st->in_flight > 0 && kli_now() < deadline) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000L) {
      ts.tv_sec++;
      ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&st->cond, &st->lock, &ts);
  }
  pthread_mutex_unlock(&st->lock);
  /* 3. Stop MHD's threads (closes idle keep-alive connections) and ours. */
  if (srv->daemon != NULL)
    MHD_stop_daemon(srv->daemon);
  srv->daemon = NULL;
  if (listen_fd != MHD_INVALID_SOCKET)
    close(listen_fd);
  kli_worker_join(srv);
  kli_handlers_clear(srv);
  kli_state_free(st);
  srv->st = NULL;
}
