/* fuzz_http.c: the REST server's request handling without a socket: routing
 * (kli_route_parse, src/http/router.c), then the endpoints (kli_dispatch,
 * handlers.c) with their JSON bodies (json.c), on a live protocol server, as
 * server.c drives them once libmicrohttpd has read a request.
 * Each input starts a fresh server (fixed seeds, no worker thread, no rate
 * limit) whose pools hold one pair per profile, and a hardened session
 * created by a real client, not yet keyed.
 * Input: requests separated by lines "%%"; each request is
 *   METHOD SP PATH LF CONTENT-TYPE LF BODY
 * (an empty CONTENT-TYPE line: no Content-Type header). In the path and the
 * body, {id} stands for the session's id, {C} for the client's wrapped key
 * (base64) and {F} for a frame the client sealed carrying "hello" (base64),
 * so that the fuzzer reaches the keyed states.
 * Properties, for every request:
 *  - no 5xx: bad input is the client's error, never the server's;
 *  - the reply is well formed: a body exactly when there is a Content-Type;
 *    a JSON body is one JSON object; an error (4xx) carries
 *    {"error": code, "message": text} with a code whose status is the
 *    reply's; 405 carries an Allow header;
 *  - a 200 from /messages of the session is a frame the client opens to
 *    "hello" (the echo: round trip through the whole transport). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "http/http_internal.h"
#include "kexlab/encoding.h"

#define MAX_REQUESTS 8

static kl_rsa_priv identity, hard_key, seed_key;
static kl_rsa_pub identity_pub;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  kl_rsa_priv_init(&identity);
  kl_rsa_priv_init(&hard_key);
  kl_rsa_priv_init(&seed_key);
  fz_keygen(&identity, 1024, "fuzz_http identity");
  fz_keygen(&hard_key, 1024, "fuzz_http hardened session");
  fz_keygen(&seed_key, 2048, "fuzz_http seed session");
  kl_rsa_pub_init(&identity_pub);
  kl_rsa_priv_to_pub(&identity_pub, &identity);
  return 0;
}

typedef struct world {
  kl_http_server srv;
  kl_hmac_drbg srv_d, cli_d;
  kl_rng srv_rng, cli_rng;
  kl_kex_client cli;
  char id[KL_KEX_ID_STRING_LEN + 1];
  char *C64, *F64; /* base64 of the wrapped key and of the "hello" frame */
} world;

static char *base64(const uint8_t *p, size_t n)
{
  size_t cap = kl_base64_encoded_len(n) + 1;
  char *s = malloc(cap);
  fz_require(s != NULL && kl_base64_encode(s, cap, p, n) == KL_OK, "base64");
  return s;
}

/* Keep one pair per profile ready, as the pool worker would: a POST
 * /v1/sessions never finds the pool dry (that 503 is the server's load, not
 * the request's fault). */
static void refill(world *w)
{
  kl_kex_server_stats st;
  kl_kex_server_get_stats(&w->srv.kex, &st);
  if (st.pool_level[KL_KEX_PROFILE_HARDENED] == 0)
    fz_require(kl_kex_server_pool_add(&w->srv.kex, KL_KEX_PROFILE_HARDENED, &hard_key) == KL_OK,
               "pool add");
  if (st.pool_level[KL_KEX_PROFILE_SEED] == 0)
    fz_require(kl_kex_server_pool_add(&w->srv.kex, KL_KEX_PROFILE_SEED, &seed_key) == KL_OK,
               "pool add");
}

static void start(world *w)
{
  memset(w, 0, sizeof *w);
  fz_rng(&w->srv_rng, &w->srv_d, "fuzz_http server");
  fz_rng(&w->cli_rng, &w->cli_d, "fuzz_http client");
  kl_http_server_config_default(&w->srv.cfg);
  w->srv.cfg.log = NULL;
  w->srv.cfg.kex.rng = &w->srv_rng;
  w->srv.cfg.kex.identity = &identity;
  w->srv.cfg.kex.key_bits = 1024;
  w->srv.cfg.kex.pool_size = 1;
  w->srv.cfg.kex.max_payload = 4096;
  w->srv.st = kli_state_new(&w->srv.cfg);
  fz_require(w->srv.st != NULL, "state");
  fz_require(kli_handlers_init(&w->srv) == KL_OK, "handlers init");
  refill(w);

  /* One hardened session, made by the client through the protocol server. */
  kl_kex_client_config cc;
  kl_kex_client_config_default(&cc);
  cc.identity = &identity_pub;
  fz_require(kl_kex_client_init(&w->cli, &cc) == KL_OK, "client init");
  kl_kex_offer *offer = malloc(sizeof *offer);
  fz_require(offer != NULL, "memory");
  fz_require(kl_kex_server_create(&w->srv.kex, KL_KEX_PROFILE_HARDENED, kli_now_ms(), offer) ==
               KL_OK,
             "create");
  memcpy(w->id, offer->session_id_str, sizeof w->id);
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  fz_require(kl_kex_client_handshake(&w->cli, &w->cli_rng, offer, C, &C_len) == KL_OK, "handshake");
  free(offer);
  refill(w);
  w->C64 = base64(C, C_len);
  uint8_t F[256];
  size_t F_len = sizeof F;
  fz_require(kl_kex_client_seal(&w->cli, &w->cli_rng, F, &F_len, (const uint8_t *)"hello", 5) ==
               KL_OK,
             "seal");
  w->F64 = base64(F, F_len);
}

static void stop(world *w)
{
  kl_kex_client_clear(&w->cli);
  kli_handlers_clear(&w->srv);
  kli_state_free(w->srv.st);
  kl_hmac_drbg_clear(&w->srv_d);
  kl_hmac_drbg_clear(&w->cli_d);
  free(w->C64);
  free(w->F64);
}

/* text[0..n) with {id}, {C} and {F} replaced: malloc'd, NUL-terminated
 * (an embedded NUL ends it, as a C string would). */
static char *expand(const world *w, const uint8_t *text, size_t n, size_t *out_len)
{
  const char *names[3] = {"{id}", "{C}", "{F}"};
  const char *values[3] = {w->id, w->C64, w->F64};
  size_t cap = n + 1;
  for (size_t i = 0; i < n; i++) {
    if (text[i] == '{')
      cap += strlen(w->C64) + strlen(w->F64) + sizeof w->id;
  }
  char *out = malloc(cap);
  fz_require(out != NULL, "memory");
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    int done = 0;
    for (int k = 0; k < 3 && !done; k++) {
      size_t L = strlen(names[k]);
      if (n - i >= L && memcmp(text + i, names[k], L) == 0) {
        memcpy(out + o, values[k], strlen(values[k]));
        o += strlen(values[k]);
        i += L;
        done = 1;
      }
    }
    if (!done)
      out[o++] = (char)text[i++];
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

/* The next line of in (without its LF), or the rest when there is no LF. */
static size_t line(fz_input *in, const uint8_t **start)
{
  *start = in->p;
  const uint8_t *lf = memchr(in->p, '\n', in->n);
  size_t len = lf != NULL ? (size_t)(lf - in->p) : in->n;
  in->p += len;
  in->n -= len;
  if (lf != NULL) {
    in->p++;
    in->n--;
  }
  return len;
}

static void check_reply(world *w, const kli_route_match *m, const kli_reply *rep)
{
  fz_require(rep->status >= 200 && rep->status < 500, "no 5xx for any request");
  fz_require((rep->content_type != NULL) == (rep->body != NULL),
             "a body exactly when a Content-Type");
  fz_require(rep->status != 405 || rep->allow != NULL, "405 carries Allow");
  if (rep->content_type == NULL || strcmp(rep->content_type, "application/json") != 0)
    return;
  json_error_t jerr;
  json_t *obj = json_loadb((const char *)rep->body, rep->body_len, JSON_REJECT_DUPLICATES, &jerr);
  fz_require(obj != NULL && json_is_object(obj), "a JSON reply is one JSON object");
  if (rep->status >= 400) {
    const char *code = json_string_value(json_object_get(obj, "error"));
    fz_require(code != NULL && json_is_string(json_object_get(obj, "message")),
               "an error body is {error, message}");
    int known = 0;
    for (int e = 0; e < KLI_E_COUNT; e++) {
      if (strcmp(kli_error_code((kli_error)e), code) == 0 &&
          kli_error_status((kli_error)e) == rep->status)
        known = 1;
    }
    fz_require(known, "the error code belongs to the reply's status");
  } else if (rep->status == 200 && m->route == KLI_ROUTE_MESSAGES && strcmp(m->id, w->id) == 0) {
    const char *f64 = json_string_value(json_object_get(obj, "frame"));
    fz_require(f64 != NULL, "a 200 from /messages carries a frame");
    size_t cap = kl_base64_decoded_max(strlen(f64)), n = cap, b_len = 64;
    uint8_t *f = malloc(cap + 1), back[64];
    fz_require(f != NULL && kl_base64_decode(f, &n, f64, strlen(f64)) == KL_OK, "frame base64");
    fz_require(kl_kex_client_open(&w->cli, back, &b_len, f, n) == KL_OK, "the reply opens");
    fz_require_eq(back, b_len, (const uint8_t *)"hello", 5, "round trip: the echo of hello");
    free(f);
  }
  json_decref(obj);
}

/* One request: route it as server.c does, then dispatch. */
static void request(world *w, const uint8_t *text, size_t n)
{
  fz_input in = {text, n};
  const uint8_t *first, *ct;
  size_t first_len = line(&in, &first);
  size_t ct_len = line(&in, &ct);
  const uint8_t *sp = memchr(first, ' ', first_len);
  size_t method_len = sp != NULL ? (size_t)(sp - first) : first_len;
  size_t path_len;
  char *method = expand(w, first, method_len, &path_len);
  char *path = sp != NULL ? expand(w, sp + 1, first_len - method_len - 1, &path_len)
                          : expand(w, first, 0, &path_len);
  char *content_type = ct_len > 0 ? expand(w, ct, ct_len, &path_len) : NULL;
  size_t body_len;
  char *body = expand(w, in.p, in.n, &body_len);

  kli_route_match m;
  kli_route_parse(&m, method, path);
  kli_reply rep = {0};
  if (m.route == KLI_ROUTE_NONE) {
    kli_reply_error(&rep, KLI_E_NOT_FOUND, NULL);
  } else if (!m.method_ok) {
    kli_reply_error(&rep, KLI_E_METHOD, NULL);
    rep.allow = m.allow;
  } else {
    kli_request_view view;
    memset(&view, 0, sizeof view);
    view.route = &m;
    view.content_type = content_type;
    view.body = body_len > 0 ? (const uint8_t *)body : NULL;
    view.body_len = body_len;
    view.client = "192.0.2.1";
    kli_dispatch(&w->srv, &view, &rep);
  }
  check_reply(w, &m, &rep);
  kli_reply_free(&rep);
  refill(w);
  free(method);
  free(path);
  free(content_type);
  free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  world w;
  start(&w);
  const uint8_t *p = data;
  size_t n = size;
  for (int i = 0; i < MAX_REQUESTS && n > 0; i++) {
    /* up to the next "\n%%\n" */
    size_t len = n;
    for (size_t j = 0; j + 4 <= n; j++) {
      if (memcmp(p + j, "\n%%\n", 4) == 0) {
        len = j;
        break;
      }
    }
    request(&w, p, len);
    size_t skip = len + 4 <= n ? len + 4 : n;
    p += skip;
    n -= skip;
  }
  stop(&w);
  return 0;
}
