/* http_load.h: the HTTP load generator of `kexlab bench http` and the load
 * test (http_load.c). It drives kl_http_client (libkexlab-http) from several
 * threads; it is a measuring instrument, not part of the library. */
#ifndef KL_BENCH_HTTP_LOAD_H
#define KL_BENCH_HTTP_LOAD_H

#include "kexlab/http.h"

/* ---- the load generator (http_load.c): benchmarks and the load test ----
 * `clients` threads, each with its own kl_http_client, run sessions against
 * one server: handshake, messages_per_session messages (rekeying every
 * rekey_every), close; again until sessions_per_client sessions are done or
 * duration_s has passed (whichever limit is set; with both, the first). */
typedef struct bench_http_load_config {
  kl_http_client_config client; /* url, profile, pin ...; rng must be thread-safe */
  unsigned clients;
  double duration_s;                 /* 0: no time limit (then sessions_per_client > 0) */
  unsigned long sessions_per_client; /* 0: no count limit */
  unsigned long messages_per_session;
  unsigned long rekey_every; /* 0: never */
  size_t payload_len;        /* bytes per message; default 64 */
  double deadline_s;         /* hard stop: past it running clients give up (errors) */
} bench_http_load_config;

typedef struct bench_http_load_result {
  unsigned long handshakes, messages, rekeys, errors;
  double elapsed_s;
  double hs_p50_ms, hs_p99_ms, hs_mean_ms;    /* handshake: create + key */
  double msg_p50_ms, msg_p99_ms, msg_mean_ms; /* one message round trip */
  char first_error[256];                      /* "" when errors == 0 */
} bench_http_load_result;

/* Run it. Returns KL_OK (read errors in res), KL_ERR_ARG, KL_ERR_NOMEM. */
KL_NODISCARD kl_err bench_http_load_run(const bench_http_load_config *cfg,
                                        bench_http_load_result *res);

#endif
