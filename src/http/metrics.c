/* metrics.c: GET /v1/metrics, the Prometheus text exposition format
 * (version 0.0.4: "# HELP", "# TYPE", one sample per line; counters end in
 * _total, histograms give cumulative _bucket{le=...} lines, _sum and _count).
 * What an operator of several nodes needs (docs/deploy.md "Metrics"):
 *   sessions live, created and ended (by how they ended), the node's number
 *   and whether it is draining;
 *   frames (POST .../messages) accepted, and rejected by reason class;
 *   the key pool's depth and the time one key generation took;
 *   requests by route and status, their latency by route;
 *   request and response body bytes.
 * Labels are fixed words (routes, profiles, reason classes): never a session
 * id, a key, a frame or a client address, so nothing secret and nothing that
 * names a session can appear, and the output's size does not grow with use.
 * Threads: the counters have their own lock (never held while calling out);
 * the server's other locks are never taken under it. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"

/* Histogram buckets (upper bounds, seconds). A request on loopback takes
 * well under a millisecond to a few tens (an inline key generation); a key
 * generation tens of milliseconds (2048 bits) to seconds (4096). */
static const double request_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                    0.05,   0.1,   0.25,   0.5,   1,    2.5};
#define REQUEST_BUCKETS (sizeof request_le / sizeof request_le[0])
static const double keygen_le[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define KEYGEN_BUCKETS (sizeof keygen_le / sizeof keygen_le[0])

/* The route label of each slot. */
enum {
  SLOT_HEALTH,
  SLOT_IDENTITY,
  SLOT_SESSIONS,
  SLOT_SESSION,
  SLOT_KEY,
  SLOT_MESSAGES,
  SLOT_REKEY,
  SLOT_METRICS,
  SLOT_OTHER, /* unknown paths, and routes this file does not name */
  SLOT_COUNT
};
static const char *const slot_name[SLOT_COUNT] = {
  "health", "identity", "sessions", "session", "key", "messages", "rekey", "metrics", "other"};

/* The statuses the API sends (server.c), and the statuses nginx answers for
 * a node; anything else is counted as "other". */
static const unsigned status_list[] = {0,   200, 201, 204, 400, 404, 405,
                                       409, 413, 415, 429, 500, 503};
#define STATUS_COUNT (sizeof status_list / sizeof status_list[0])

/* Why a frame was rejected: a class per error code of the JSON body. */
enum {
  REJ_DECRYPT,    /* decrypt_failed: the one answer to a bad tag, padding, sequence ... */
  REJ_MALFORMED,  /* bad JSON, base64, length, media type, body over the limit */
  REJ_NO_SESSION, /* unknown, expired or closed session; another node's id */
  REJ_STATE,      /* no key yet */
  REJ_LIMIT,      /* the session's request budget */
  REJ_SERVER,     /* 5xx */
  REJ_COUNT
};
static const char *const rej_name[REJ_COUNT] = {"decrypt",   "malformed", "no_session",
                                                "bad_state", "limit",     "server_error"};

typedef struct histogram {
  uint64_t bucket[16]; /* non-cumulative counts; the last used slot is +Inf */
  uint64_t count;
  double sum;
} histogram;

typedef struct counts {
  uint64_t requests[SLOT_COUNT][STATUS_COUNT + 1]; /* last column: other statuses */
  histogram latency[SLOT_COUNT];
  uint64_t frames_accepted;
  uint64_t frames_rejected[REJ_COUNT];
  histogram keygen[2]; /* 0 the pool worker, 1 inline (a creation with the pool dry) */
  uint64_t bytes_in, bytes_out;
} counts;

struct kli_metrics {
  pthread_mutex_t lock;
  counts c;
};

kli_metrics *kli_metrics_new(void)
{
  kli_metrics *m = calloc(1, sizeof *m);
  if (m != NULL)
    pthread_mutex_init(&m->lock, NULL);
  return m;
}

void kli_metrics_free(kli_metrics *m)
{
  if (m == NULL)
    return;
  pthread_mutex_destroy(&m->lock);
  free(m);
}

static int slot_of(kli_route r)
{
  switch (r) {
  case KLI_ROUTE_HEALTH:
    return SLOT_HEALTH;
  case KLI_ROUTE_IDENTITY:
    return SLOT_IDENTITY;
  case KLI_ROUTE_SESSIONS:
    return SLOT_SESSIONS;
  case KLI_ROUTE_SESSION:
    return SLOT_SESSION;
  case KLI_ROUTE_KEY:
    return SLOT_KEY;
  case KLI_ROUTE_MESSAGES:
    return SLOT_MESSAGES;
  case KLI_ROUTE_REKEY:
    return SLOT_REKEY;
  case KLI_ROUTE_METRICS:
    return SLOT_METRICS;
  default:
    return SLOT_OTHER;
  }
}

static int rejection_of(unsigned status, const char *error)
{
  if (status >= 500)
    return REJ_SERVER;
  if (status == 404)
    return REJ_NO_SESSION;
  if (status == 409)
    return REJ_STATE;
  if (status == 429)
    return REJ_LIMIT;
  if (error != NULL && strcmp(error, "decrypt_failed") == 0)
    return REJ_DECRYPT;
  return REJ_MALFORMED;
}

static void observe(histogram *h, const double *le, size_t n, double v)
{
  size_t i = 0;
  while (i < n && v > le[i])
    i++;
  h->bucket[i]++; /* i == n: only +Inf holds it */
  h->count++;
  h->sum += v;
}

void kli_metrics_request(kli_metrics *m, kli_route route, unsigned status, const char *error,
                         double seconds, size_t bytes_in, size_t bytes_out)
{
  if (m == NULL)
    return;
  int slot = slot_of(route);
  size_t col = STATUS_COUNT;
  for (size_t i = 0; i < STATUS_COUNT; i++) {
    if (status_list[i] == status)
      col = i;
  }
  pthread_mutex_lock(&m->lock);
  m->c.requests[slot][col]++;
  observe(&m->c.latency[slot], request_le, REQUEST_BUCKETS, seconds);
  if (slot == SLOT_MESSAGES && status == 200)
    m->c.frames_accepted++;
  else if (slot == SLOT_MESSAGES && status >= 400)
    m->c.frames_rejected[rejection_of(status, error)]++;
  m->c.bytes_in += bytes_in;
  m->c.bytes_out += bytes_out;
  pthread_mutex_unlock(&m->lock);
}

void kli_metrics_keygen(kli_metrics *m, int inline_keygen, double seconds)
{
  if (m == NULL)
    return;
  pthread_mutex_lock(&m->lock);
  observe(&m->c.keygen[inline_keygen ? 1 : 0], keygen_le, KEYGEN_BUCKETS, seconds);
  pthread_mutex_unlock(&m->lock);
}

/* ---- the text ---------------------------------------------------------- */

typedef struct text {
  char *p;
  size_t len, cap;
  int failed;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
  if (t->failed)
    return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      t->failed = 1;
      return;
    }
    if ((size_t)n < t->cap - t->len) {
      t->len += (size_t)n;
      return;
    }
    size_t cap = t->cap * 2 + (size_t)n;
    char *p = realloc(t->p, cap);
    if (p == NULL) {
      t->failed = 1;
      return;
    }
    t->p = p;
    t->cap = cap;
  }
}

static void header(text *t, const char *name, const char *type, const char *help)
{
  put(t, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One histogram's lines; labels is "" or `key="value",` (with the comma). */
static void put_histogram(text *t, const char *name, const char *labels, const histogram *h,
                          const double *le, size_t n)
{
  uint64_t cum = 0;
  for (size_t i = 0; i < n; i++) {
    cum += h->bucket[i];
    put(t, "%s_bucket{%sle=\"%g\"} %llu\n", name, labels, le[i], (unsigned long long)cum);
  }
  cum += h->bucket[n];
  put(t, "%s_bucket{%sle=\"+Inf\"} %llu\n", name, labels, (unsigned long long)cum);
  if (labels[0] != '\0') {
    /* "k=\"v\"," without the trailing comma for _sum and _count */
    int w = (int)strlen(labels) - 1;
    put(t, "%s_sum{%.*s} %.9g\n", name, w, labels, h->sum);
    put(t, "%s_count{%.*s} %llu\n", name, w, labels, (unsigned long long)h->count);
  } else {
    put(t, "%s_sum %.9g\n", name, h->sum);
    put(t, "%s_count %llu\n", name, (unsigned long long)h->count);
  }
}

char *kli_metrics_render(kli_metrics *m, const kli_metrics_view *v, size_t *len)
{
  text t = {malloc(8192), 0, 8192, 0};
  if (t.p == NULL || m == NULL) {
    free(t.p);
    return NULL;
  }
  counts c; /* a consistent copy, taken under the lock */
  pthread_mutex_lock(&m->lock);
  c = m->c;
  pthread_mutex_unlock(&m->lock);
  const kl_kex_server_stats *ks = &v->kex;
  char labels[64];

  header(&t, "kexlab_node", "gauge", "The node number this server writes into session ids.");
  put(&t, "kexlab_node %u\n", v->node);
  header(&t, "kexlab_draining", "gauge",
         "1 while the server drains (SIGTERM): no new sessions, established ones go on.");
  put(&t, "kexlab_draining %d\n", v->draining ? 1 : 0);
  header(&t, "kexlab_uptime_seconds", "gauge", "Seconds since the server started.");
  put(&t, "kexlab_uptime_seconds %.3f\n", v->http.uptime);

  header(&t, "kexlab_sessions_live", "gauge", "Sessions held now, keyed or awaiting their key.");
  put(&t, "kexlab_sessions_live %zu\n", ks->sessions);
  header(&t, "kexlab_sessions_established", "gauge", "Sessions held now that have their key.");
  put(&t, "kexlab_sessions_established %zu\n", ks->established);
  header(&t, "kexlab_sessions_created_total", "counter", "Sessions created.");
  put(&t, "kexlab_sessions_created_total %llu\n", (unsigned long long)ks->created);
  header(&t, "kexlab_sessions_closed_total", "counter",
         "Sessions ended: closed by the client, idle too long, or evicted at the cap.");
  put(&t, "kexlab_sessions_closed_total{reason=\"client\"} %llu\n", (unsigned long long)ks->closed);
  put(&t, "kexlab_sessions_closed_total{reason=\"idle\"} %llu\n", (unsigned long long)ks->expired);
  put(&t, "kexlab_sessions_closed_total{reason=\"evicted\"} %llu\n",
      (unsigned long long)ks->evicted);

  header(&t, "kexlab_frames_accepted_total", "counter",
         "Message frames opened and answered (POST /v1/sessions/{id}/messages, 200).");
  put(&t, "kexlab_frames_accepted_total %llu\n", (unsigned long long)c.frames_accepted);
  header(&t, "kexlab_frames_rejected_total", "counter", "Message frames refused, by reason class.");
  for (int r = 0; r < REJ_COUNT; r++)
    put(&t, "kexlab_frames_rejected_total{reason=\"%s\"} %llu\n", rej_name[r],
        (unsigned long long)c.frames_rejected[r]);
  header(&t, "kexlab_decrypt_failures_total", "counter",
         "Wrapped keys, frames and rekeys that failed decryption or authentication.");
  put(&t, "kexlab_decrypt_failures_total %llu\n", (unsigned long long)ks->rejected);

  header(&t, "kexlab_pool_ready", "gauge", "Pre-generated key pairs ready, by profile.");
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++)
    put(&t, "kexlab_pool_ready{profile=\"%s\"} %zu\n", kl_kex_profile_name((kl_kex_profile)p),
        ks->pool_level[p]);
  header(&t, "kexlab_pool_size", "gauge", "Configured key pool size, by profile.");
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++)
    put(&t, "kexlab_pool_size{profile=\"%s\"} %zu\n", kl_kex_profile_name((kl_kex_profile)p),
        ks->pool_size[p]);
  header(&t, "kexlab_keygen_duration_seconds", "histogram",
         "Time to make one session key pair and its offer: by the pool worker, or inline "
         "in a session creation that found the pool empty.");
  put_histogram(&t, "kexlab_keygen_duration_seconds", "source=\"pool\",", &c.keygen[0], keygen_le,
                KEYGEN_BUCKETS);
  put_histogram(&t, "kexlab_keygen_duration_seconds", "source=\"inline\",", &c.keygen[1], keygen_le,
                KEYGEN_BUCKETS);

  header(&t, "kexlab_http_requests_total", "counter",
         "Requests answered, by route and status (0: the client went away).");
  for (int s = 0; s < SLOT_COUNT; s++) {
    for (size_t i = 0; i <= STATUS_COUNT; i++) {
      if (c.requests[s][i] == 0)
        continue;
      if (i < STATUS_COUNT)
        put(&t, "kexlab_http_requests_total{route=\"%s\",code=\"%u\"} %llu\n", slot_name[s],
            status_list[i], (unsigned long long)c.requests[s][i]);
      else
        put(&t, "kexlab_http_requests_total{route=\"%s\",code=\"other\"} %llu\n", slot_name[s],
            (unsigned long long)c.requests[s][i]);
    }
  }
  header(&t, "kexlab_http_request_duration_seconds", "histogram",
         "Time from the request's headers to its completion, by route.");
  for (int s = 0; s < SLOT_COUNT; s++) {
    snprintf(labels, sizeof labels, "route=\"%s\",", slot_name[s]);
    put_histogram(&t, "kexlab_http_request_duration_seconds", labels, &c.latency[s], request_le,
                  REQUEST_BUCKETS);
  }
  header(&t, "kexlab_http_request_body_bytes_total", "counter", "Request body bytes received.");
  put(&t, "kexlab_http_request_body_bytes_total %llu\n", (unsigned long long)c.bytes_in);
  header(&t, "kexlab_http_response_body_bytes_total", "counter", "Response body bytes sent.");
  put(&t, "kexlab_http_response_body_bytes_total %llu\n", (unsigned long long)c.bytes_out);
  header(&t, "kexlab_http_in_flight", "gauge", "Requests being served now.");
  put(&t, "kexlab_http_in_flight %lu\n", v->http.in_flight);

  if (t.failed) {
    free(t.p);
    return NULL;
  }
  *len = t.len;
  return t.p;
}
