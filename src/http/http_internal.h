/* http_internal.h: the pieces of the REST transport shared between its files.
 * Nothing here is installed; the public face is include/kexlab/http.h.
 *   router.c     method + path -> route, session id (pure, unit-tested)
 *   json.c       jansson helpers: strict body parsing, base64 fields, error bodies
 *   members.c    body member names matched ignoring case, unknown ones refused
 *   guid.c       session ids in .NET's Guid forms (N, D, B, P) put in the D form
 *   ratelimit.c  per-client token buckets for session creation (pure, clock injected)
 *   log.c        the one log line per request (paths with session ids shortened)
 *   reply.c      a handler's answer: JSON error bodies, JSON objects, freeing
 *   metrics.c    counters and histograms, GET /v1/metrics's Prometheus text
 *   state.c      the running server's shared state and its counters
 *   worker.c     the pool worker thread: keys for the pool, idle expiry
 *   drain.c      draining for a rolling restart: no new sessions
 *   handlers.c   one function per endpoint, behind kli_dispatch
 *   limits.c     what is refused before the body: ambiguous lengths, the drain bound
 *   extra.c      the hook for an application's extra routes (kl_http_extra)
 *   server.c     libmicrohttpd glue: bodies, limits, dispatch, start and stop
 *   client.c     libcurl glue: one keep-alive connection per client
 * Each file uses only those above it in this list (client.c only json.c
 * and none of the server's files).
 * This layer is the only code in kexlab that opens sockets or starts threads. */
#ifndef KL_HTTP_INTERNAL_H
#define KL_HTTP_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kexlab/err.h"
#include "kexlab/http.h"

/* ---- router.c ---------------------------------------------------------- */

typedef enum kli_route {
  KLI_ROUTE_NONE = 0, /* no such path: 404 */
  KLI_ROUTE_HEALTH,   /* GET    /v1/health */
  KLI_ROUTE_IDENTITY, /* GET    /v1/identity */
  KLI_ROUTE_SESSIONS, /* POST   /v1/sessions */
  KLI_ROUTE_SESSION,  /* DELETE /v1/sessions/{id} */
  KLI_ROUTE_KEY,      /* POST   /v1/sessions/{id}/key */
  KLI_ROUTE_MESSAGES, /* POST   /v1/sessions/{id}/messages */
  KLI_ROUTE_REKEY,    /* POST   /v1/sessions/{id}/rekey */
  KLI_ROUTE_METRICS   /* GET    /v1/metrics (metrics.c) */
} kli_route;

/* Longest session id segment the router accepts (a UUID string is 36). */
#define KLI_SESSION_ID_MAX 64

typedef struct kli_route_match {
  kli_route route;
  int method_ok;                   /* 0: the path exists but not with this method (405) */
  const char *allow;               /* the methods the path takes, for the Allow header */
  char id[KLI_SESSION_ID_MAX + 1]; /* the {id} segment, NUL-terminated ("" if none) */
} kli_route_match;

/* Match method and path (without the query string). Never fails: an unknown
 * path gives route KLI_ROUTE_NONE. An {id} segment that is empty, longer than
 * KLI_SESSION_ID_MAX, or holds anything but [0-9A-Za-z{}()-] is an unknown path. */
void kli_route_parse(kli_route_match *m, const char *method, const char *path);

/* The path as it may be logged: a session id is cut to its first 8 characters
 * followed by "..." (the id is a bearer handle in the seed profile), query
 * strings are dropped, and anything but printable ASCII becomes '?'.
 * out_cap >= 1; the result is NUL-terminated and truncated to fit. */
void kli_route_log_path(char *out, size_t out_cap, const char *path);

/* ---- json.c ------------------------------------------------------------ */

/* Error codes of the JSON error body {"error": code, "message": text}.
 * Each maps to one HTTP status (see kli_error_status). */
typedef enum kli_error {
  KLI_E_BAD_JSON = 0,     /* 400 body is not a JSON object */
  KLI_E_MISSING_FIELD,    /* 400 a required member is absent */
  KLI_E_WRONG_TYPE,       /* 400 a member has the wrong JSON type */
  KLI_E_BAD_BASE64,       /* 400 a member is not strict base64 */
  KLI_E_BAD_VALUE,        /* 400 a member has a value out of range (unknown profile, ...) */
  KLI_E_BAD_FRAME,        /* 400 a frame or wrapped key of a wrong length or shape */
  KLI_E_DECRYPT,          /* 400 decryption or authentication failed: the ONE generic body */
  KLI_E_NOT_FOUND,        /* 404 no such path */
  KLI_E_NO_SESSION,       /* 404 unknown or expired session */
  KLI_E_METHOD,           /* 405 wrong method for the path */
  KLI_E_CONFLICT,         /* 409 the session already has a key */
  KLI_E_STATE,            /* 409 not valid in the session's state (message before key) */
  KLI_E_TOO_LARGE,        /* 413 body over --max-body */
  KLI_E_MEDIA_TYPE,       /* 415 wrong Content-Type */
  KLI_E_RATE,             /* 429 per-client session-creation rate limit */
  KLI_E_SESSION_REQUESTS, /* 429 the session used up its request budget */
  KLI_E_SESSION_CAP,      /* 503 the session cap is reached */
  KLI_E_OVERLOAD,         /* 503 too much work in flight (key generation) */
  KLI_E_INTERNAL,         /* 500 a bug or an exhausted resource */
  KLI_E_UNKNOWN_FIELD,    /* 400 a member the endpoint does not take */
  KLI_E_BAD_REQUEST,      /* 400 the request's framing is ambiguous (RFC 9112 §6.3) */
  KLI_E_PAYLOAD,          /* 413 a message's payload is over the kex max_payload */
  KLI_E_COUNT
} kli_error;

unsigned kli_error_status(kli_error e);
const char *kli_error_code(kli_error e);
/* The error body, NUL-terminated, static storage. For KLI_E_DECRYPT the detail
 * is ignored so that the body is byte for byte the same whatever the cause;
 * otherwise detail (may be NULL) replaces the default message. Writes at most
 * cap bytes including the NUL. Returns the length written (without NUL). */
size_t kli_error_body(char *out, size_t cap, kli_error e, const char *detail);

/* Parse body[0..len) as one JSON object (RFC 8259): no duplicate keys, nesting
 * depth and size bounded by the body limit the server applied before. A UTF-8
 * byte order mark before the object is skipped (RFC 8259 §8.1 lets a parser
 * ignore it; .NET's Encoding.UTF8 writes one).
 * Returns KL_OK with *obj (caller json_decref's) or KL_ERR_ENCODING. */
KL_NODISCARD kl_err kli_json_parse_object(json_t **obj, const char *body, size_t len);

/* A required string member. Returns KL_OK, or sets *why and returns
 * KL_ERR_ENCODING (*why = KLI_E_MISSING_FIELD or KLI_E_WRONG_TYPE). */
KL_NODISCARD kl_err kli_json_get_string(const json_t *obj, const char *key, const char **out,
                                        size_t *out_len, kli_error *why);

/* A required base64 member, decoded into a malloc'd buffer (*out != NULL on
 * KL_OK, even for an empty value). max_len bounds the decoded length (longer is
 * KLI_E_BAD_FRAME). *why as above, or KLI_E_BAD_BASE64. */
KL_NODISCARD kl_err kli_json_get_base64(const json_t *obj, const char *key, size_t max_len,
                                        uint8_t **out, size_t *out_len, kli_error *why);

/* ---- members.c --------------------------------------------------------- */

/* The members of obj under the endpoint's names: names is a NULL-terminated
 * list of the names it takes; a member matches a name equal to it ignoring
 * ASCII case. *canon (caller json_decref's) holds the same values under the
 * names as listed. Returns KL_OK, or KL_ERR_ENCODING with *bad the offending
 * member name (valid while obj lives) and *why KLI_E_UNKNOWN_FIELD (no such
 * name) or KLI_E_BAD_JSON (two members for one name, e.g. "a" and "A");
 * KL_ERR_NOMEM with *why KLI_E_INTERNAL. */
KL_NODISCARD kl_err kli_json_members(json_t **canon, json_t *obj, const char *const *names,
                                     const char **bad, kli_error *why);

/* ---- guid.c ------------------------------------------------------------ */

#define KLI_GUID_D_LEN 36

/* s in any of the forms N, D, B, P (hex digits of either case) into the D
 * form, lower case, NUL-terminated. Returns 1, or 0 (out undefined) when s is
 * none of them. */
int kli_guid_to_d(char out[KLI_GUID_D_LEN + 1], const char *s);

/* A json string holding base64 of data[0..len), or NULL when out of memory. */
json_t *kli_json_base64(const uint8_t *data, size_t len);

/* Serialise obj compactly (members in insertion order). malloc'd or NULL. */
char *kli_json_dump(const json_t *obj, size_t *len);

/* Is this Content-Type value the media type want ("application/json")?
 * Case-insensitive type/subtype, parameters (";charset=utf-8") allowed. */
int kli_media_type_is(const char *content_type, const char *want);

/* ---- ratelimit.c ------------------------------------------------------- */

/* A token bucket per client address (RFC 2697-like: rate r tokens per second,
 * burst b). A fixed table of KLI_RATE_SLOTS buckets; an address hashes to one
 * slot and an occupied slot with another address is taken over when its bucket
 * is full again (an idle client loses nothing). Not thread-safe: the server
 * holds its lock around kli_rate_take. */
#define KLI_RATE_SLOTS 256
#define KLI_RATE_ADDR_MAX 46 /* INET6_ADDRSTRLEN */

typedef struct kli_rate_slot {
  char addr[KLI_RATE_ADDR_MAX];
  double tokens;
  double last; /* seconds, the caller's clock */
} kli_rate_slot;

typedef struct kli_rate_table {
  double rate;  /* tokens per second; 0 disables the limit */
  double burst; /* bucket size, >= 1 */
  kli_rate_slot slot[KLI_RATE_SLOTS];
} kli_rate_table;

void kli_rate_init(kli_rate_table *t, double per_minute, double burst);
/* 1 if addr may go ahead now (a token was taken), 0 if it is over its rate. */
int kli_rate_take(kli_rate_table *t, const char *addr, double now);

/* ---- log.c ------------------------------------------------------------- */

/* One line: "<ISO time> <client> <METHOD> <path> <status> <ms>ms" (flushed).
 * path must already be a kli_route_log_path result. */
void kli_log_request(FILE *f, const char *client, const char *method, const char *log_path,
                     unsigned status, double ms);

/* Monotonic clock in seconds, and in milliseconds for the kex server. */
double kli_now(void);
uint64_t kli_now_ms(void);

/* ---- reply.c ----------------------------------------------------------- */

/* One request as the handlers see it (server.c fills it). */
typedef struct kli_request_view {
  const kli_route_match *route;
  const char *content_type; /* may be NULL */
  const uint8_t *body;      /* may be NULL when body_len == 0 */
  size_t body_len;
  const char *client; /* the peer's address, for the rate limit */
} kli_request_view;

/* A handler's answer. body is malloc'd (server.c sends it, then
 * kli_reply_free wipes and frees it). */
typedef struct kli_reply {
  unsigned status;
  const char *content_type; /* NULL: no body */
  uint8_t *body;
  size_t body_len;
  const char *allow;    /* Allow header for 405, else NULL */
  unsigned retry_after; /* seconds, for 429/503; 0: no header */
  /* More headers {name, value}, static strings; a NULL name ends them. */
  const char *headers[KL_HTTP_EXTRA_HEADERS][2];
  const char *error; /* the error code of an error body (static), else NULL */
} kli_reply;

/* Fill rep with the JSON error body of e (detail: see kli_error_body). */
void kli_reply_error(kli_reply *rep, kli_error e, const char *detail);
/* Fill rep with obj serialised (status given); 500 if out of memory. */
void kli_reply_json(kli_reply *rep, unsigned status, const json_t *obj);
/* Wipe and free rep's body (a frame may be in it); rep can be freed again. */
void kli_reply_free(kli_reply *rep);

#include <pthread.h>
#include "kexlab/http.h"

/* ---- metrics.c --------------------------------------------------------- */

/* The server's counters and histograms, with their own lock. */
typedef struct kli_metrics kli_metrics;

kli_metrics *kli_metrics_new(void); /* NULL: no memory */
void kli_metrics_free(kli_metrics *m);
/* One completed request: its route, status (0: no answer), the error code
 * of an error body (NULL otherwise), duration, body bytes in and out. */
void kli_metrics_request(kli_metrics *m, kli_route route, unsigned status, const char *error,
                         double seconds, size_t bytes_in, size_t bytes_out);
/* One key pair made: by the pool worker (inline_keygen 0) or by a session
 * creation that found the pool empty (1). */
void kli_metrics_keygen(kli_metrics *m, int inline_keygen, double seconds);

/* What the text needs from the rest of the server, read by the caller. */
typedef struct kli_metrics_view {
  kl_kex_server_stats kex;
  kl_http_stats http;
  unsigned node;
  int draining;
} kli_metrics_view;

/* The Prometheus text exposition (format 0.0.4), malloc'd, *len bytes (no
 * NUL counted); NULL when out of memory. */
char *kli_metrics_render(kli_metrics *m, const kli_metrics_view *v, size_t *len);

/* ---- state.c ----------------------------------------------------------- */

/* The server's own state (kl_http_server.st). `lock` guards every field. */
typedef struct kli_server_state {
  pthread_mutex_t lock;
  pthread_cond_t cond; /* in_flight changes, stop, worker wake-ups */
  int stopping;
  int wake; /* a session took a pool key: refill now */
  unsigned long in_flight;
  unsigned long requests, errors_4xx, errors_5xx;
  unsigned inline_keygen; /* session creations running key generation now */
  double started;
  pthread_t worker;
  int worker_started;
  kli_rate_table rate;
  kli_metrics *metrics; /* its own lock (metrics.c) */
  int draining;         /* drain.c: new sessions are refused */
} kli_server_state;

/* A fresh state for cfg (rate table set, clock started); NULL: no memory. */
kli_server_state *kli_state_new(const kl_http_server_config *cfg);
/* Destroy the lock and the condition and free st (NULL is fine). */
void kli_state_free(kli_server_state *st);

/* ---- worker.c ---------------------------------------------------------- */

/* Start the worker on srv (srv->st and srv->kex ready). Returns KL_OK or
 * KL_ERR_NOMEM (no thread). */
KL_NODISCARD kl_err kli_worker_start(kl_http_server *srv);
/* Wait for the worker to end (after st->stopping is set); no-op if none. */
void kli_worker_join(kl_http_server *srv);
/* Wake the worker (a session took a key from the pool). */
void kli_worker_wake(kl_http_server *srv);

/* ---- drain.c ----------------------------------------------------------- */

/* Is the server draining? Then fill rep with the 503 (Retry-After) a new
 * session gets, and return 1; else 0. */
int kli_drain_refuse(kl_http_server *srv, kli_reply *rep);

/* ---- handlers.c -------------------------------------------------------- */

/* The protocol server behind the endpoints (srv->kex, from srv->cfg):
 * its hooks lead to cfg.app and to kli_worker_wake. */
KL_NODISCARD kl_err kli_handlers_init(kl_http_server *srv);
void kli_handlers_clear(kl_http_server *srv);
/* One function per route: fill rep for the request rq. */
void kli_dispatch(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep);

/* ---- limits.c ---------------------------------------------------------- */

struct MHD_Connection;
/* 0 if the request has more than one Content-Length, or Content-Length and
 * Transfer-Encoding (RFC 9112 §6.3): the server answers 400 and closes. */
int kli_framing_ok(struct MHD_Connection *c);
/* The largest body that is read and dropped before its 413, for max_body. */
size_t kli_drain_limit(size_t max_body);
/* ---- extra.c ----------------------------------------------------------- */

/* Ask the application's extra-route hook (srv->cfg.extra) about a request
 * on none of the API's paths. Returns 1 with rep filled when the hook
 * answered, 0 when there is no hook or the path is not its own. */
int kli_extra_dispatch(kl_http_server *srv, const char *method, const char *url,
                       const kli_request_view *rq, kli_reply *rep);

#endif
