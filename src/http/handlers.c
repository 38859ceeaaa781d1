/* handlers.c: one function per endpoint of docs/rest-api.md, each turning a
 * request into calls on the protocol server (kex.h) and a kli_reply.
 *   POST   /v1/sessions                {"profile"}          -> 201 offer
 *   POST   /v1/sessions/{id}/key       {"encrypted_key"}    -> 204
 *   POST   /v1/sessions/{id}/messages  {"frame"} | raw seed -> 200 {"frame"} | raw
 * Body members are matched ignoring case and unknown ones refused (members.c);
 * {id} is any of .NET's Guid forms (guid.c).
 *   POST   /v1/sessions/{id}/rekey     {"encrypted_key","auth"} -> 204
 *   DELETE /v1/sessions/{id}                                -> 204
 *   GET    /v1/health, GET /v1/identity, GET /v1/metrics    -> 200
 * Error mapping (kex.h "Errors"): KL_ERR_NOT_FOUND 404, KL_ERR_CONFLICT 409,
 * KL_ERR_STATE 409, KL_ERR_DECRYPT 400 with the one generic body,
 * KL_ERR_LIMIT 503, KL_ERR_UNSUPPORTED 400.
 * The request budget (429) and the seed profile's raw octet-stream form need
 * the session's profile and request count before the protocol is called: the
 * kex server keeps both with the session (kl_kex_server_session_request
 * counts and reads them in one locked step), so the transport keeps no table
 * of its own and nothing has to be kept in step with the session's end.
 * Uses reply.c (the answers), worker.c (kli_worker_wake) and the server's
 * state (state.c: the rate table and the inline key generation count under
 * its lock, the counters for /v1/health); never server.c, which calls in.
 * Secrets: decoded wrapped keys and frames are wiped before free. */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "kexlab/ct.h"
#include "kexlab/encoding.h"
#include "kexlab/keyfile.h"

/* ---- the protocol server and its hooks --------------------------------- */

static void on_session_end(void *user, const uint8_t id[KL_KEX_ID_BYTES], void *app_state)
{
  kl_http_server *srv = user;
  if (srv->cfg.app.on_session_end != NULL)
    srv->cfg.app.on_session_end(srv->cfg.app.user, id, app_state);
}

static void on_pool_take(void *user)
{
  kl_http_server *srv = user;
  kli_worker_wake(srv);
}

kl_err kli_handlers_init(kl_http_server *srv)
{
  kl_kex_server_config kc = srv->cfg.kex;
  kc.handler = srv->cfg.app.handler;
  kc.handler_user = srv->cfg.app.user;
  kc.on_session_end = on_session_end;
  kc.pool_notify = on_pool_take;
  kc.notify_user = srv;
  kc.tracer = NULL; /* servers never trace (docs/hacking.md, Tracing) */
  kl_err err = kl_kex_server_init(&srv->kex, &kc);
  if (err != KL_OK)
    return err;
  srv->has_identity = 0;
  if (srv->cfg.kex.identity != NULL) {
    uint8_t spki[KL_KEX_MAX_SPKI_BYTES];
    size_t spki_len = sizeof spki;
    if (kl_kex_server_identity(&srv->kex, spki, &spki_len, srv->fingerprint) == KL_OK)
      srv->has_identity = 1;
  }
  return KL_OK;
}

void kli_handlers_clear(kl_http_server *srv)
{
  /* Wipes every session (on_session_end runs for each). */
  kl_kex_server_clear(&srv->kex);
}

/* ---- helpers ----------------------------------------------------------- */

/* Map a protocol error to a reply. */
static void reply_kex_error(kli_reply *rep, kl_err err)
{
  switch (err) {
  case KL_ERR_NOT_FOUND:
    kli_reply_error(rep, KLI_E_NO_SESSION, NULL);
    break;
  case KL_ERR_CONFLICT:
    kli_reply_error(rep, KLI_E_CONFLICT, NULL);
    break;
  case KL_ERR_STATE:
    kli_reply_error(rep, KLI_E_STATE, "the session has no key yet");
    break;
  case KL_ERR_DECRYPT:
    kli_reply_error(rep, KLI_E_DECRYPT, NULL);
    break;
  case KL_ERR_LIMIT:
    kli_reply_error(rep, KLI_E_SESSION_CAP, NULL);
    break;
  case KL_ERR_UNSUPPORTED:
    kli_reply_error(rep, KLI_E_BAD_VALUE, "this server does not offer that profile");
    break;
  case KL_ERR_LEN:
    kli_reply_error(rep, KLI_E_BAD_FRAME, NULL);
    break;
  default:
    kli_reply_error(rep, KLI_E_INTERNAL, NULL);
    break;
  }
}

static void reply_field_error(kli_reply *rep, kli_error why, const char *field)
{
  char msg[128];
  switch (why) {
  case KLI_E_MISSING_FIELD:
    snprintf(msg, sizeof msg, "missing field \"%s\"", field);
    break;
  case KLI_E_WRONG_TYPE:
    snprintf(msg, sizeof msg, "field \"%s\" must be a string", field);
    break;
  case KLI_E_BAD_BASE64:
    snprintf(msg, sizeof msg, "field \"%s\" is not valid base64", field);
    break;
  case KLI_E_BAD_FRAME:
    snprintf(msg, sizeof msg, "field \"%s\" is too long", field);
    break;
  default:
    kli_reply_error(rep, why, NULL);
    return;
  }
  kli_reply_error(rep, why, msg);
}

/* Parse the JSON body and put its members under the endpoint's names (a
 * NULL-terminated list: members.c); on failure fill rep and return NULL. */
static json_t *json_body(const kli_request_view *rq, const char *const *names, kli_reply *rep)
{
  if (!kli_media_type_is(rq->content_type, "application/json")) {
    kli_reply_error(rep, KLI_E_MEDIA_TYPE, "Content-Type must be application/json");
    return NULL;
  }
  json_t *obj = NULL;
  if (kli_json_parse_object(&obj, (const char *)rq->body, rq->body_len) != KL_OK) {
    kli_reply_error(rep, KLI_E_BAD_JSON, NULL);
    return NULL;
  }
  json_t *canon = NULL;
  const char *bad = NULL;
  kli_error why = KLI_E_INTERNAL;
  if (kli_json_members(&canon, obj, names, &bad, &why) != KL_OK) {
    char msg[160];
    if (why == KLI_E_UNKNOWN_FIELD)
      snprintf(msg, sizeof msg, "unknown field \"%.64s\"", bad);
    else if (why == KLI_E_BAD_JSON)
      snprintf(msg, sizeof msg, "field \"%.64s\" appears twice (names ignore case)", bad);
    kli_reply_error(rep, why, why == KLI_E_INTERNAL ? NULL : msg);
    json_decref(obj);
    return NULL;
  }
  json_decref(obj);
  return canon;
}

/* A base64 string member of a JSON body, decoded into a malloc'd *out of at
 * most max octets. Returns 1, or 0 with rep filled (missing, not a string,
 * bad base64, too long). The caller still owns obj. */
static int body_base64(json_t *obj, const char *field, size_t max, uint8_t **out, size_t *len,
                       kli_reply *rep)
{
  kli_error why;
  if (kli_json_get_base64(obj, field, max, out, len, &why) != KL_OK) {
    reply_field_error(rep, why, field);
    return 0;
  }
  return 1;
}

/* The end of an endpoint that answers 204 No Content when the protocol step
 * succeeded. */
static void reply_no_content(kli_reply *rep, kl_err err)
{
  if (err != KL_OK)
    reply_kex_error(rep, err);
  else
    rep->status = 204;
}

static void free_secret(uint8_t *p, size_t n)
{
  if (p != NULL) {
    kl_wipe(p, n);
    free(p);
  }
}

/* The session named in the path: parse, look it up and (count != 0) count
 * the request against its budget, in one step of the kex server.
 * Returns 1 with id and profile, or 0 with rep filled. */
static int session_of(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep, int count,
                      uint8_t id[KL_KEX_ID_BYTES], kl_kex_profile *profile)
{
  const char *s = rq->route->id;
  kl_kex_session_info info;
  /* Any of .NET's Guid forms (guid.c) names the session in the D form. */
  char d[KLI_GUID_D_LEN + 1];
  if (kli_guid_to_d(d, s))
    s = d;
  if (kl_kex_id_parse(id, s, strlen(s)) != KL_OK) {
    kli_reply_error(rep, KLI_E_NO_SESSION, NULL);
    return 0;
  }
  kl_err err = count ? kl_kex_server_session_request(&srv->kex, id, kli_now_ms(),
                                                     srv->cfg.max_requests, &info)
                     : kl_kex_server_session_info(&srv->kex, id, kli_now_ms(), &info);
  if (err == KL_ERR_LIMIT) {
    kli_reply_error(rep, KLI_E_SESSION_REQUESTS, NULL);
    return 0;
  }
  if (err != KL_OK) {
    kli_reply_error(rep, KLI_E_NO_SESSION, NULL);
    return 0;
  }
  *profile = info.profile;
  return 1;
}

/* ---- the endpoints ----------------------------------------------------- */

static void handle_create(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  kli_server_state *st = srv->st;
  kl_kex_profile profile = KL_KEX_PROFILE_HARDENED;
  if (kli_drain_refuse(srv, rep))
    return;
  static const char *const names[] = {"profile", NULL};
  json_t *obj = json_body(rq, names, rep);
  if (obj == NULL)
    return;
  json_t *pv = json_object_get(obj, "profile");
  if (pv != NULL) {
    if (!json_is_string(pv)) {
      json_decref(obj);
      reply_field_error(rep, KLI_E_WRONG_TYPE, "profile");
      return;
    }
    if (kl_kex_profile_from_name(json_string_value(pv), &profile) != KL_OK) {
      json_decref(obj);
      kli_reply_error(rep, KLI_E_BAD_VALUE, "profile must be \"hardened\" or \"seed\"");
      return;
    }
  }
  json_decref(obj);
  if (!(srv->kex.cfg.profiles & KL_KEX_PROFILE_BIT(profile))) {
    kli_reply_error(rep, KLI_E_BAD_VALUE, "this server does not offer that profile");
    return;
  }

  /* Limits before any work: the client's rate, then the cost of a dry pool. */
  pthread_mutex_lock(&st->lock);
  int allowed = kli_rate_take(&st->rate, rq->client, kli_now());
  pthread_mutex_unlock(&st->lock);
  if (!allowed) {
    kli_reply_error(rep, KLI_E_RATE, NULL);
    return;
  }
  kl_kex_server_stats ks;
  kl_kex_server_get_stats(&srv->kex, &ks);
  int inline_keygen = ks.pool_level[profile] == 0;
  if (inline_keygen) {
    pthread_mutex_lock(&st->lock);
    int busy = st->inline_keygen >= srv->cfg.max_inline_keygen;
    if (!busy)
      st->inline_keygen++;
    pthread_mutex_unlock(&st->lock);
    if (busy) {
      kli_reply_error(rep, KLI_E_OVERLOAD, "the key pool is empty and key generation is busy");
      return;
    }
  }

  kl_kex_offer *offer = malloc(sizeof *offer);
  double t0 = kli_now();
  kl_err err = offer != NULL ? kl_kex_server_create(&srv->kex, profile, kli_now_ms(), offer)
                             : KL_ERR_NOMEM;
  if (inline_keygen && err == KL_OK)
    kli_metrics_keygen(st->metrics, 1, kli_now() - t0);
  if (inline_keygen) {
    pthread_mutex_lock(&st->lock);
    st->inline_keygen--;
    pthread_mutex_unlock(&st->lock);
    kli_worker_wake(srv);
  }
  if (err != KL_OK) {
    free(offer);
    reply_kex_error(rep, err);
    return;
  }

  json_t *res = json_object();
  json_t *pk = json_object();
  json_object_set_new(res, "session_id", json_string(offer->session_id_str));
  json_object_set_new(res, "profile", json_string(kl_kex_profile_name(profile)));
  json_object_set_new(pk, "modulus", kli_json_base64(offer->n, offer->n_len));
  json_object_set_new(pk, "exponent", kli_json_base64(offer->e, offer->e_len));
  json_object_set_new(res, "public_key", pk);
  json_object_set_new(res, "public_key_pem", json_string(offer->pem));
  if (profile == KL_KEX_PROFILE_HARDENED) {
    json_object_set_new(res, "identity_signature",
                        kli_json_base64(offer->signature, offer->signature_len));
    json_object_set_new(res, "identity_spki",
                        kli_json_base64(offer->identity_spki, offer->identity_spki_len));
  }
  kli_reply_json(rep, 201, res);
  json_decref(res);
  free(offer);
}

static void handle_key(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  uint8_t id[KL_KEX_ID_BYTES];
  kl_kex_profile profile;
  if (!session_of(srv, rq, rep, 1, id, &profile))
    return;
  static const char *const names[] = {"encrypted_key", NULL};
  json_t *obj = json_body(rq, names, rep);
  if (obj == NULL)
    return;
  uint8_t *C = NULL;
  size_t C_len = 0;
  int ok = body_base64(obj, "encrypted_key", KL_KEX_MAX_MODULUS_BYTES, &C, &C_len, rep);
  json_decref(obj);
  if (!ok)
    return;
  kl_err err = kl_kex_server_set_key(&srv->kex, id, kli_now_ms(), C, C_len);
  free_secret(C, C_len);
  reply_no_content(rep, err);
}

static void handle_message(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  uint8_t id[KL_KEX_ID_BYTES];
  kl_kex_profile profile;
  if (!session_of(srv, rq, rep, 1, id, &profile))
    return;
  size_t max_frame = kl_kex_server_max_frame(&srv->kex);
  /* No Content-Type at all is a raw frame: .NET's ByteArrayContent sends
   * none unless told (RFC 9110 §8.3 lets the recipient assume one). */
  int raw = rq->content_type == NULL ||
            kli_media_type_is(rq->content_type, "application/octet-stream");
  if (raw && profile != KL_KEX_PROFILE_SEED) {
    kli_reply_error(rep, KLI_E_MEDIA_TYPE,
                    "raw application/octet-stream frames are for the seed profile only");
    return;
  }
  const uint8_t *frame = NULL;
  uint8_t *decoded = NULL; /* the base64 field's bytes, ours to free */
  size_t frame_len = 0;
  if (raw) {
    if (rq->body_len > max_frame) {
      kli_reply_error(rep, KLI_E_BAD_FRAME, NULL);
      return;
    }
    frame = rq->body;
    frame_len = rq->body_len;
  } else {
    static const char *const names[] = {"frame", NULL};
    json_t *obj = json_body(rq, names, rep);
    if (obj == NULL)
      return;
    int ok = body_base64(obj, "frame", max_frame, &decoded, &frame_len, rep);
    json_decref(obj);
    if (!ok)
      return;
    frame = decoded;
  }
  uint8_t *out = malloc(max_frame);
  size_t out_len = max_frame;
  kl_err err = out != NULL ? kl_kex_server_message(&srv->kex, id, kli_now_ms(), out, &out_len,
                                                   frame != NULL ? frame : out, frame_len)
                           : KL_ERR_NOMEM;
  if (decoded != NULL)
    free_secret(decoded, frame_len);
  if (err != KL_OK) {
    /* The reply buffer may hold the handler's plaintext reply when sealing
     * it failed (KL_ERR_RNG, the handler's own error). */
    free_secret(out, max_frame);
    if (err == KL_ERR_LEN) {
      char msg[96];
      snprintf(msg, sizeof msg, "the message is over the server's payload limit of %zu bytes",
               srv->kex.cfg.max_payload);
      kli_reply_error(rep, KLI_E_PAYLOAD, msg);
      return;
    }
    reply_kex_error(rep, err);
    return;
  }
  if (raw) {
    rep->status = 200;
    rep->content_type = "application/octet-stream";
    rep->body = out;
    rep->body_len = out_len;
    return;
  }
  json_t *res = json_object();
  json_object_set_new(res, "frame", kli_json_base64(out, out_len));
  kli_reply_json(rep, 200, res);
  json_decref(res);
  free(out);
}

static void handle_rekey(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  uint8_t id[KL_KEX_ID_BYTES];
  kl_kex_profile profile;
  if (!session_of(srv, rq, rep, 1, id, &profile))
    return;
  static const char *const names[] = {"encrypted_key", "auth", NULL};
  json_t *obj = json_body(rq, names, rep);
  if (obj == NULL)
    return;
  uint8_t *C = NULL, *auth = NULL;
  size_t C_len = 0, auth_len = 0;
  int ok = body_base64(obj, "encrypted_key", KL_KEX_MAX_MODULUS_BYTES, &C, &C_len, rep);
  /* "auth": required in hardened, absent (or empty) in seed. */
  if (ok && (profile == KL_KEX_PROFILE_HARDENED || json_object_get(obj, "auth") != NULL))
    ok = body_base64(obj, "auth", KL_KEX_REKEY_AUTH_BYTES, &auth, &auth_len, rep);
  json_decref(obj);
  if (!ok) {
    free_secret(C, C_len);
    return;
  }
  if (profile == KL_KEX_PROFILE_SEED && auth_len != 0) {
    /* The seed scheme has nothing to authenticate with: a bad request. */
    free_secret(C, C_len);
    free_secret(auth, auth_len);
    kli_reply_error(rep, KLI_E_BAD_VALUE, "a seed-profile rekey carries no \"auth\"");
    return;
  }
  kl_err err = kl_kex_server_rekey(&srv->kex, id, kli_now_ms(), C, C_len, auth, auth_len);
  free_secret(C, C_len);
  free_secret(auth, auth_len);
  reply_no_content(rep, err);
}

static void handle_delete(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  uint8_t id[KL_KEX_ID_BYTES];
  kl_kex_profile profile;
  /* Closing is never refused for a used-up request budget: it only frees. */
  if (!session_of(srv, rq, rep, 0, id, &profile))
    return;
  kl_err err = kl_kex_server_close(&srv->kex, id);
  reply_no_content(rep, err);
}

static void handle_health(kl_http_server *srv, kli_reply *rep)
{
  kl_kex_server_stats ks;
  kl_kex_server_get_stats(&srv->kex, &ks);
  kl_http_stats hs;
  kl_http_server_stats(srv, &hs);
  json_t *res = json_object();
  json_t *pool = json_object();
  json_object_set_new(res, "status", json_string("ok"));
  json_object_set_new(res, "sessions", json_integer((json_int_t)ks.sessions));
  json_object_set_new(res, "established", json_integer((json_int_t)ks.established));
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    if (!(srv->kex.cfg.profiles & KL_KEX_PROFILE_BIT(p)))
      continue;
    json_t *one = json_object();
    json_object_set_new(one, "ready", json_integer((json_int_t)ks.pool_level[p]));
    json_object_set_new(one, "size", json_integer((json_int_t)ks.pool_size[p]));
    json_object_set_new(pool, kl_kex_profile_name((kl_kex_profile)p), one);
  }
  json_object_set_new(res, "pool", pool);
  json_object_set_new(res, "uptime", json_real(hs.uptime));
  json_object_set_new(res, "requests", json_integer((json_int_t)hs.requests));
  kli_reply_json(rep, 200, res);
  json_decref(res);
}

static void handle_metrics(kl_http_server *srv, kli_reply *rep)
{
  kli_metrics_view v;
  kl_kex_server_get_stats(&srv->kex, &v.kex);
  kl_http_server_stats(srv, &v.http);
  v.node = srv->kex.cfg.node;
  pthread_mutex_lock(&srv->st->lock);
  v.draining = srv->st->draining;
  pthread_mutex_unlock(&srv->st->lock);
  size_t len = 0;
  char *text = kli_metrics_render(srv->st->metrics, &v, &len);
  if (text == NULL) {
    kli_reply_error(rep, KLI_E_INTERNAL, NULL);
    return;
  }
  rep->status = 200;
  rep->content_type = "text/plain; version=0.0.4; charset=utf-8";
  rep->body = (uint8_t *)text;
  rep->body_len = len;
}

static void handle_identity(kl_http_server *srv, kli_reply *rep)
{
  if (!srv->has_identity) {
    kli_reply_error(rep, KLI_E_NOT_FOUND, "this server has no identity key (seed only)");
    return;
  }
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, srv->cfg.kex.identity);
  char pem[KL_KEX_MAX_PEM_BYTES];
  size_t pem_len = sizeof pem;
  kl_err err = kl_rsa_pub_to_pem(&pub, pem, &pem_len);
  kl_rsa_pub_clear(&pub);
  char fp[2 * KL_KEX_FINGERPRINT_BYTES + 1];
  if (err == KL_OK)
    err = kl_hex_encode(fp, sizeof fp, srv->fingerprint, sizeof srv->fingerprint);
  if (err != KL_OK) {
    kli_reply_error(rep, KLI_E_INTERNAL, NULL);
    return;
  }
  json_t *res = json_object();
  json_object_set_new(res, "public_key_pem", json_string(pem));
  json_object_set_new(res, "fingerprint", json_string(fp));
  json_object_set_new(res, "fingerprint_alg", json_string("sha256-spki"));
  kli_reply_json(rep, 200, res);
  json_decref(res);
}

void kli_dispatch(kl_http_server *srv, const kli_request_view *rq, kli_reply *rep)
{
  switch (rq->route->route) {
  case KLI_ROUTE_HEALTH:
    handle_health(srv, rep);
    break;
  case KLI_ROUTE_IDENTITY:
    handle_identity(srv, rep);
    break;
  case KLI_ROUTE_METRICS:
    handle_metrics(srv, rep);
    break;
  case KLI_ROUTE_SESSIONS:
    handle_create(srv, rq, rep);
    break;
  case KLI_ROUTE_SESSION:
    handle_delete(srv, rq, rep);
    break;
  case KLI_ROUTE_KEY:
    handle_key(srv, rq, rep);
    break;
  case KLI_ROUTE_MESSAGES:
    handle_message(srv, rq, rep);
    break;
  case KLI_ROUTE_REKEY:
    handle_rekey(srv, rq, rep);
    break;
  case KLI_ROUTE_NONE:
  default:
    kli_reply_error(rep, KLI_E_NOT_FOUND, NULL);
    break;
  }
}
