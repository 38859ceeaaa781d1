/* http.h: the REST transport of the key exchange (docs/rest-api.md): a server on
 * libmicrohttpd and a client on libcurl, JSON through jansson.
 * This is the only part of kexlab that opens sockets or starts threads; the
 * protocol itself (kex.h) is pure and is driven from here.
 *
 * Server life cycle:
 *   kl_http_server_config cfg; kl_http_server_config_default(&cfg);
 *   cfg.kex.rng = &rng; cfg.kex.identity = &identity_key;  (kex.h settings)
 *   kl_http_server srv; kl_http_server_start(&srv, &cfg);  ... serving ...
 *   kl_http_server_stop(&srv, 5.0);        (finishes requests in flight, wipes)
 * Client life cycle: kl_http_client_init, _connect (handshake), _send,
 * _rekey, _close, _clear.
 *
 * Threads: the server runs libmicrohttpd's thread pool (cfg.threads) plus one
 * worker that keeps the key pool full and expires idle sessions. The kex
 * server object does its own locking (kex.h) and keeps each session's
 * profile and request count (kl_kex_server_session_request); this layer
 * locks only its own counters and the rate-limit table, and never holds its
 * lock while calling into the kex server. */
#ifndef KEXLAB_HTTP_H
#define KEXLAB_HTTP_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "kex.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_HTTP_DEFAULT_PORT 8443
#define KL_HTTP_DEFAULT_MAX_BODY ((size_t)1 << 20) /* 1 MiB */

struct MHD_Daemon;

/* The application behind /messages: the kex handler (kex.h) with its
 * session-end hook. A NULL handler echoes every message (kex.h). `kexlab
 * serve` plugs in its notes application (src/cli/serve/app_notes.c). */
typedef struct kl_http_app {
  kl_kex_handler_fn *handler;
  kl_kex_session_end_fn *on_session_end; /* optional; gets app->user */
  void *user;
} kl_http_app;

/* Extra routes: an application's own paths beside the API's (src/http/extra.c).
 * The server asks the hook for every request whose path is none of the API's,
 * after the body is read (within max_body); `kexlab serve --lab` plugs in the
 * lab page and its endpoints (src/cli/serve/lab_http.c). */
typedef struct kl_http_extra_request {
  const char *method;       /* "GET", "POST", ... */
  const char *path;         /* without the query string */
  const char *content_type; /* may be NULL */
  const uint8_t *body;      /* may be NULL when body_len == 0 */
  size_t body_len;
  const char *client; /* the peer's numeric address */
} kl_http_extra_request;

#define KL_HTTP_EXTRA_HEADERS 6
typedef struct kl_http_extra_reply {
  unsigned status;
  const char *content_type; /* NULL: no body */
  uint8_t *body;            /* malloc'd; the server sends, wipes and frees it */
  size_t body_len;
  /* Response headers {name, value}, static strings; a NULL name ends the list. */
  const char *headers[KL_HTTP_EXTRA_HEADERS][2];
} kl_http_extra_reply;

/* Returns 1 when it answered (rep filled, rep zeroed on entry), 0 when the
 * path is not its own (the server answers 404). Called from the server's
 * threads at once: the hook does its own locking. */
typedef int kl_http_extra_fn(void *user, const kl_http_extra_request *rq, kl_http_extra_reply *rep);

typedef struct kl_http_extra {
  kl_http_extra_fn *fn; /* NULL: no extra routes */
  void *user;
} kl_http_extra;

typedef struct kl_http_server_config {
  const char *host;           /* numeric address to bind; default "127.0.0.1" */
  uint16_t port;              /* 0: an ephemeral port (read srv.port after start) */
  unsigned threads;           /* libmicrohttpd thread pool size; default 4 */
  size_t max_body;            /* request body limit in bytes (413); default 1 MiB */
  unsigned long max_requests; /* per session, over its life (429); 0: no limit.
                                    Counts key, messages and rekey; DELETE is always allowed */
  double rate_per_minute;     /* session creations per client address (429); 0: off */
  unsigned rate_burst;        /* bucket size of that limit; default 10 */
  unsigned max_inline_keygen; /* session creations generating a key at once when the
                                    pool is dry; more get 503. default 2 */
  double sweep_seconds;       /* how often the worker expires idle sessions; default 1 */
  FILE *log;                  /* one line per request; NULL: no log; default stderr */
  kl_http_app app;            /* the application; zero: the default */
  /* The protocol server's settings: profiles, key_bits, pool_size,
   * max_sessions, idle_timeout_ms, max_payload, rng (required, thread-safe:
   * kl_rng_os), identity (required with hardened; the caller keeps it alive).
   * Its handler, on_session_end, pool_notify and user fields are set by the
   * HTTP server (from `app` and for its own bookkeeping). */
  kl_kex_server_config kex;
  /* Connections (libmicrohttpd's limits; a client holding many slow
   * connections must not shut others out): */
  unsigned max_connections;            /* open at once in all; default 1000 */
  unsigned max_connections_per_client; /* open at once per client address; default 64;
                                          0: no limit */
  unsigned header_timeout;             /* seconds a connection may stay silent before its
                                          request headers are complete; default 10.
                                          After them (body, keep-alive) it is 30 */
  kl_http_extra extra;                 /* extra routes; zero: none */
} kl_http_server_config;

void kl_http_server_config_default(kl_http_server_config *cfg);

/* Counters, read with kl_http_server_stats. */
typedef struct kl_http_stats {
  unsigned long requests; /* completed requests */
  unsigned long errors_4xx, errors_5xx;
  unsigned long in_flight;
  double uptime; /* seconds since start */
} kl_http_stats;

/* The running server. Fields are read-only for callers; st holds what only
 * the server's own files touch (locks, the rate table, the worker thread). */
typedef struct kl_http_server {
  kl_http_server_config cfg;
  uint16_t port;                                 /* the bound port */
  kl_kex_server kex;                             /* the protocol server, owned */
  uint8_t fingerprint[KL_KEX_FINGERPRINT_BYTES]; /* of the identity (hardened) */
  int has_identity;
  struct MHD_Daemon *daemon;
  struct kli_server_state *st;
} kl_http_server;

/* Bind, start the thread pool and the pool worker.
 * Returns KL_OK, KL_ERR_ARG (bad config), KL_ERR_IO (cannot bind: in use,
 * bad address), KL_ERR_NOMEM. On failure nothing is left running. */
KL_NODISCARD kl_err kl_http_server_start(kl_http_server *srv, const kl_http_server_config *cfg);

/* Stop accepting, wait up to grace_seconds for requests in flight to finish,
 * stop every thread, then wipe every session and pooled key
 * (kl_kex_server_clear). Idempotent. */
void kl_http_server_stop(kl_http_server *srv, double grace_seconds);

void kl_http_server_stats(const kl_http_server *srv, kl_http_stats *out);

/* Drain (docs/deploy.md, rolling restarts): from now on POST /v1/sessions
 * answers 503 with Retry-After; established sessions go on. Poll
 * kl_http_server_sessions until none is left or the drain timeout is over, then
 * kl_http_server_stop. Not undone. */
void kl_http_server_drain(kl_http_server *srv);
/* Sessions held now (expiring the idle ones first); *established (may be
 * NULL) gets how many of them have their key. */
size_t kl_http_server_sessions(kl_http_server *srv, size_t *established);

/* ---- the client (client.c) ---- */

/* What the last failure of a client call was (for clear messages). */
typedef enum kl_http_fail {
  KL_HTTP_FAIL_NONE = 0,
  KL_HTTP_FAIL_REFUSED, /* connection refused: no server at that address */
  KL_HTTP_FAIL_TIMEOUT, /* connect or request timeout ran out */
  KL_HTTP_FAIL_NETWORK, /* any other transport failure (reset, bad URL, DNS) */
  KL_HTTP_FAIL_STATUS,  /* the server answered an HTTP error (http_status, error_code) */
  KL_HTTP_FAIL_REPLY,   /* a reply that is not what the API promises (JSON, fields) */
  KL_HTTP_FAIL_PIN,     /* the identity pin or signature does not match */
  KL_HTTP_FAIL_FRAME,   /* a reply frame did not open (KL_ERR_DECRYPT) */
  KL_HTTP_FAIL_LOCAL,   /* a local error (arguments, memory, randomness) */
  KL_HTTP_FAIL_LOST     /* the session's server is gone; with cfg.reconnect a new
                           session is open: read fate and lost_message */
} kl_http_fail;

/* What became of the message of the last kl_http_client_send that failed
 * because its session was lost (docs/deploy.md, Clients). */
typedef enum kl_http_fate {
  KL_HTTP_FATE_NONE = 0, /* no message was lost */
  KL_HTTP_FATE_UNKNOWN   /* it may or may not have reached the application: the
                            request went out and no answer came (HTTP 502 or 504
                            from a proxy, a connection reset, a timeout). Never
                            sent again by the library: the caller decides */
} kl_http_fate;

typedef struct kl_http_client_config {
  const char *url;          /* base URL, e.g. "http://127.0.0.1:8443" */
  long timeout_ms;          /* whole request; default 15000 */
  long connect_timeout_ms;  /* default 5000 */
  int seed_raw;             /* seed profile: send frames as application/octet-stream */
  const kl_rng *rng;        /* required */
  kl_kex_client_config kex; /* profile, identity or pin, rekey_after_messages ... */
  const char *ca_file;      /* https: PEM file of the certificates to trust; NULL:
                               the system's store */
  int reconnect;            /* 1: when the session's server is gone (HTTP 404 for the
                               session, 502, 504, no connection), open a new session
                               (docs/deploy.md, Clients); default 0: fail */
} kl_http_client_config;

void kl_http_client_config_default(kl_http_client_config *cfg);

typedef struct kl_http_client {
  kl_http_client_config cfg;
  char url[256];
  void *curl; /* CURL *: one keep-alive connection */
  kl_kex_client kex;
  int kex_ready; /* kex initialised (a session is open) */
  char session_id[KL_KEX_ID_STRING_LEN + 1];
  uint64_t rekeys; /* rekeys done in this session */
  /* the last failure */
  kl_http_fail fail;
  long http_status;    /* status of the last response (0: none) */
  char error_code[48]; /* "error" of the last JSON error body */
  char detail[256];    /* one sentence on the last failure */
  /* sessions lost and remade (cfg.reconnect) */
  uint64_t messages;     /* messages sent or attempted, all sessions: the last is number
                            `messages` (1-based) */
  uint64_t reconnects;   /* sessions opened anew after a loss */
  kl_http_fate fate;     /* of the last failed send's message */
  uint64_t lost_message; /* its number, when fate is UNKNOWN */
} kl_http_client;

/* Returns KL_OK, KL_ERR_ARG (no URL or rng, URL too long), KL_ERR_NOMEM. */
KL_NODISCARD kl_err kl_http_client_init(kl_http_client *cli, const kl_http_client_config *cfg);
/* Close the session if one is open (best effort), wipe keys, free curl. */
void kl_http_client_clear(kl_http_client *cli);

/* The handshake: POST /v1/sessions, check the offer (hardened: pin and
 * identity signature), wrap a fresh key, POST .../key.
 * Returns KL_OK; KL_ERR_IO (refused, timeout, network; cli->fail says which),
 * KL_ERR_VERIFY (pin or signature), KL_ERR_ENCODING (a bad reply),
 * KL_ERR_STATE (a session is already open), or the server's error mapped
 * from its status (see kl_http_client_send). */
KL_NODISCARD kl_err kl_http_client_connect(kl_http_client *cli);
/* Seal msg, POST it, open the reply into reply[0..*reply_len). Rekeys first
 * when the kex client says a rekey is due.
 * A lost session (its server answered 404 for it, a proxy 502 or 504, or
 * no connection could be made): without cfg.reconnect the call fails as
 * below. With it, a new session is opened (cli->reconnects counts them) and
 *   - if the message surely never reached the application (404, connection
 *     refused, or the rekey before it failed), it is sent on the new
 *     session and the call goes on as usual;
 *   - otherwise (502, 504, reset, timeout) it is NOT sent again: the call
 *     returns KL_ERR_IO with fail = KL_HTTP_FAIL_LOST, fate =
 *     KL_HTTP_FATE_UNKNOWN and lost_message = its number; the new session
 *     is ready for the next message.
 *  reply, reply_len [out] *reply_len: capacity in, bytes out. The reply's
 *                   length is the application's choice: a capacity of
 *                   kl_kex_open_max(cfg.kex.max_payload) holds any reply the
 *                   client accepts; a smaller one may give KL_ERR_BUF_TOO_SMALL
 *                   (*reply_len = the capacity needed; that reply is lost)
 * Returns KL_OK; KL_ERR_IO; KL_ERR_DECRYPT (the reply frame did not open:
 * fail = FRAME; or the server rejected ours: fail = STATUS); KL_ERR_NOT_FOUND
 * (404: the session is gone), KL_ERR_LIMIT (429/503), KL_ERR_ENCODING,
 * KL_ERR_BUF_TOO_SMALL, KL_ERR_STATE. */
KL_NODISCARD kl_err kl_http_client_send(kl_http_client *cli, uint8_t *reply, size_t *reply_len,
                                        const uint8_t *msg, size_t msg_len);
/* POST .../rekey and switch keys when the server says 204. */
KL_NODISCARD kl_err kl_http_client_rekey(kl_http_client *cli);
/* DELETE the session and wipe its keys. */
KL_NODISCARD kl_err kl_http_client_close(kl_http_client *cli);

/* GET a path (e.g. "/v1/health", "/v1/identity"); body malloc'd, NUL-terminated.
 * Returns KL_OK (any status: read *status), KL_ERR_IO, KL_ERR_NOMEM. */
KL_NODISCARD kl_err kl_http_client_get(kl_http_client *cli, const char *path, long *status,
                                       char **body, size_t *body_len);

#ifdef __cplusplus
}
#endif
#endif
