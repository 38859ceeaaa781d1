/* client.c: the REST client on libcurl: one keep-alive connection per
 * kl_http_client, the protocol's client object (kex.h) driving it.
 *   connect  POST /v1/sessions -> offer -> kl_kex_client_handshake -> POST .../key
 *   send     kl_kex_client_seal -> POST .../messages -> kl_kex_client_open
 *   rekey    kl_kex_client_rekey_begin -> POST .../rekey -> _commit (204) | _abort
 *   close    DELETE .../{id}
 * Every failure leaves one sentence in cli->detail and its kind in cli->fail,
 * so `kexlab client` can say "connection refused" rather than "error -18".
 * Secrets: the wrapped key and frames are not secret; plaintext replies are
 * the caller's buffer; the kex client wipes its keys (kl_kex_client_clear). */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "kexlab/ct.h"
#include "kexlab/encoding.h"

/* Replies larger than this are refused (no API reply comes close). */
#define KLI_CLIENT_MAX_REPLY ((size_t)4 << 20)

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_result = CURLE_OK;

/* curl_global_init is not thread-safe: run it once, here, for every client. */
static void curl_init_once(void)
{
  curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void kl_http_client_config_default(kl_http_client_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  cfg->url = "http://127.0.0.1:8443";
  cfg->timeout_ms = 15000;
  cfg->connect_timeout_ms = 5000;
  cfg->seed_raw = 0;
  cfg->rng = NULL;
  kl_kex_client_config_default(&cfg->kex);
}

static kl_err fail(kl_http_client *cli, kl_http_fail kind, kl_err err, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));

static kl_err fail(kl_http_client *cli, kl_http_fail kind, kl_err err, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cli->detail, sizeof cli->detail, fmt, ap);
  va_end(ap);
  cli->fail = kind;
  return err;
}

kl_err kl_http_client_init(kl_http_client *cli, const kl_http_client_config *cfg)
{
  if (cli == NULL || cfg == NULL || cfg->url == NULL || cfg->rng == NULL)
    return KL_ERR_ARG;
  memset(cli, 0, sizeof *cli);
  cli->cfg = *cfg;
  size_t n = strlen(cfg->url);
  while (n > 0 && cfg->url[n - 1] == '/')
    n--;
  if (n == 0 || n >= sizeof cli->url)
    return KL_ERR_ARG;
  memcpy(cli->url, cfg->url, n);
  cli->url[n] = '\0';
  cli->cfg.url = cli->url;
  pthread_once(&curl_once, curl_init_once);
  if (curl_init_result != CURLE_OK)
    return KL_ERR_NOMEM;
  CURL *c = curl_easy_init();
  if (c == NULL)
    return KL_ERR_NOMEM;
  /* No signals (threads), only http and https, no redirects (an API answer
   * is never a redirect), no proxy from the environment for loopback. */
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg->connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  if (cfg->ca_file != NULL)
    curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
  cli->curl = c;
  return KL_OK;
}

/* ---- one request ------------------------------------------------------- */

typedef struct buf {
  char *p;
  size_t len, cap;
  int overflow;
} buf;

static size_t on_data(char *data, size_t size, size_t nmemb, void *user)
{
  buf *b = user;
  size_t n = size * nmemb;
  if (b->len + n + 1 > KLI_CLIENT_MAX_REPLY) {
    b->overflow = 1;
    return 0; /* makes curl stop with CURLE_WRITE_ERROR */
  }
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) {
      b->overflow = 1;
      return 0;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = '\0';
  return n;
}

typedef struct reply {
  long status;
  char *body; /* NUL-terminated, malloc'd (may be NULL when empty) */
  size_t len;
  int is_json;
} reply;

static void reply_free(reply *r)
{
  free(r->body);
  r->body = NULL;
  r->len = 0;
}

/* Send one request; a transport failure returns KL_ERR_IO with cli->fail set. */
static kl_err request(kl_http_client *cli, const char *method, const char *path,
                      const char *content_type, const void *body, size_t body_len, reply *out)
{
  CURL *c = cli->curl;
  memset(out, 0, sizeof *out);
  cli->http_status = 0;
  cli->error_code[0] = '\0';
  char url[512];
  if ((size_t)snprintf(url, sizeof url, "%s%s", cli->url, path) >= sizeof url)
    return fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_ARG, "URL too long");
  buf b = {0};
  char errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *hdrs = NULL;
  char ct[96];
  if (content_type != NULL) {
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
    hdrs = curl_slist_append(hdrs, ct);
  }
  /* No "Expect: 100-continue" round trip: bodies are small. */
  hdrs = curl_slist_append(hdrs, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  if (strcmp(method, "POST") == 0) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body != NULL ? body : "");
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
  } else if (strcmp(method, "DELETE") == 0) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all(hdrs);
  if (rc != CURLE_OK) {
    free(b.p);
    const char *why = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
    if (b.overflow)
      return fail(cli, KL_HTTP_FAIL_REPLY, KL_ERR_ENCODING, "reply from %s is too large", url);
    if (rc == CURLE_COULDNT_CONNECT)
      return fail(cli, KL_HTTP_FAIL_REFUSED, KL_ERR_IO, "cannot connect to %s: %s", cli->url, why);
    if (rc == CURLE_OPERATION_TIMEDOUT)
      return fail(cli, KL_HTTP_FAIL_TIMEOUT, KL_ERR_IO, "timeout: %s %s: %s", method, path, why);
    return fail(cli, KL_HTTP_FAIL_NETWORK, KL_ERR_IO, "%s %s: %s", method, path, why);
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
  char *rct = NULL;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &rct);
  out->is_json = kli_media_type_is(rct, "application/json");
  out->body = b.p;
  out->len = b.len;
  cli->http_status = out->status;
  return KL_OK;
}

/* The server's words are untrusted: keep printable ASCII (space included) and
 * turn anything else into '?', so a hostile server cannot put terminal
 * control sequences on the client's stderr. */
static void copy_printable_text(char *out, size_t cap, const char *in)
{
  size_t o = 0;
  for (; in[o] != '\0' && o + 1 < cap; o++)
    out[o] = (in[o] >= 0x20 && in[o] < 0x7f) ? in[o] : '?';
  out[o] = '\0';
}

/* Turn a non-success status into a kl_err and a sentence. */
static kl_err status_error(kl_http_client *cli, const char *what, reply *r)
{
  char code[sizeof cli->error_code] = "";
  char msg[256] = "";
  json_t *obj = NULL;
  if (r->is_json && kli_json_parse_object(&obj, r->body, r->len) == KL_OK) {
    json_t *c = json_object_get(obj, "error");
    json_t *m = json_object_get(obj, "message");
    if (json_is_string(c))
      copy_printable_text(code, sizeof code, json_string_value(c));
    if (json_is_string(m))
      copy_printable_text(msg, sizeof msg, json_string_value(m));
  }
  snprintf(cli->error_code, sizeof cli->error_code, "%s", code);
  kl_err err;
  switch (r->status) {
  case 400:
    err = strcmp(code, "decrypt_failed") == 0 ? KL_ERR_DECRYPT : KL_ERR_ENCODING;
    break;
  case 404:
    err = KL_ERR_NOT_FOUND;
    break;
  case 409:
    err = strcmp(code, "key_already_set") == 0 ? KL_ERR_CONFLICT : KL_ERR_STATE;
    break;
  case 413:
    err = KL_ERR_LEN;
    break;
  case 415:
    err = KL_ERR_UNSUPPORTED;
    break;
  case 429:
  case 503:
    err = KL_ERR_LIMIT;
    break;
  default:
    err = KL_ERR_IO;
    break;
  }
  fail(cli, KL_HTTP_FAIL_STATUS, err, "%s: HTTP %ld%s%s%s%s", what, r->status, code[0] ? " " : "",
       code, msg[0] ? ": " : "", msg);
  json_decref(obj);
  return err;
}

/* ---- JSON in and out --------------------------------------------------- */

/* POST a JSON object; returns KL_OK with r filled (any status). */
static kl_err post_json(kl_http_client *cli, const char *path, json_t *obj, reply *r)
{
  size_t n = 0;
  char *text = obj != NULL ? kli_json_dump(obj, &n) : NULL;
  json_decref(obj);
  if (text == NULL)
    return fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_NOMEM, "out of memory");
  kl_err err = request(cli, "POST", path, "application/json", text, n, r);
  free(text);
  return err;
}

/* Decode a base64 member into out[0..cap); KL_ERR_ENCODING if absent or bad. */
static kl_err get_b64(const json_t *obj, const char *key, uint8_t *out, size_t cap, size_t *out_len)
{
  uint8_t *tmp = NULL;
  size_t n = 0;
  kli_error why;
  if (kli_json_get_base64(obj, key, cap, &tmp, &n, &why) != KL_OK)
    return KL_ERR_ENCODING;
  memcpy(out, tmp, n);
  free(tmp);
  *out_len = n;
  return KL_OK;
}

/* Fill an offer from the 201 body of POST /v1/sessions. */
static kl_err parse_offer(kl_http_client *cli, const reply *r, kl_kex_offer *offer)
{
  json_t *obj = NULL;
  memset(offer, 0, sizeof *offer);
  if (!r->is_json || kli_json_parse_object(&obj, r->body, r->len) != KL_OK)
    return fail(cli, KL_HTTP_FAIL_REPLY, KL_ERR_ENCODING, "session reply is not a JSON object");
  kl_err err = KL_ERR_ENCODING;
  const char *what = "session_id";
  const char *id = NULL, *profile = NULL;
  size_t id_len = 0;
  kli_error why;
  if (kli_json_get_string(obj, "session_id", &id, &id_len, &why) != KL_OK ||
      kl_kex_id_parse(offer->session_id, id, id_len) != KL_OK)
    goto out;
  kl_kex_id_format(offer->session_id_str, offer->session_id);
  what = "profile";
  if (kli_json_get_string(obj, "profile", &profile, NULL, &why) != KL_OK ||
      kl_kex_profile_from_name(profile, &offer->profile) != KL_OK)
    goto out;
  what = "public_key";
  json_t *pk = json_object_get(obj, "public_key");
  if (!json_is_object(pk) || get_b64(pk, "modulus", offer->n, sizeof offer->n, &offer->n_len) ||
      get_b64(pk, "exponent", offer->e, sizeof offer->e, &offer->e_len))
    goto out;
  if (offer->profile == KL_KEX_PROFILE_HARDENED) {
    what = "identity_signature";
    if (get_b64(obj, "identity_signature", offer->signature, sizeof offer->signature,
                &offer->signature_len) != KL_OK)
      goto out;
    /* identity_spki is optional: a client with the identity key needs none. */
    if (json_object_get(obj, "identity_spki") != NULL) {
      what = "identity_spki";
      if (get_b64(obj, "identity_spki", offer->identity_spki, sizeof offer->identity_spki,
                  &offer->identity_spki_len) != KL_OK)
        goto out;
    }
  }
  err = KL_OK;
out:
  json_decref(obj);
  if (err != KL_OK)
    fail(cli, KL_HTTP_FAIL_REPLY, err, "session reply: bad or missing \"%s\"", what);
  return err;
}

/* ---- the session ------------------------------------------------------- */

kl_err kl_http_client_connect(kl_http_client *cli)
{
  if (cli == NULL || cli->curl == NULL)
    return KL_ERR_ARG;
  if (cli->kex_ready)
    return fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_STATE, "a session is already open");
  kl_kex_profile profile = cli->cfg.kex.profile;
  reply r = {0};
  kl_kex_offer *offer = NULL;
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;

  json_t *req = json_object();
  json_object_set_new(req, "profile", json_string(kl_kex_profile_name(profile)));
  kl_err err = post_json(cli, "/v1/sessions", req, &r);
  if (err != KL_OK)
    goto out;
  if (r.status != 201) {
    err = status_error(cli, "POST /v1/sessions", &r);
    goto out;
  }
  offer = malloc(sizeof *offer);
  if (offer == NULL) {
    err = fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_NOMEM, "out of memory");
    goto out;
  }
  err = parse_offer(cli, &r, offer);
  if (err != KL_OK)
    goto out;
  if (offer->profile != profile) {
    err = fail(cli, KL_HTTP_FAIL_REPLY, KL_ERR_UNSUPPORTED, "server answered profile %s, not %s",
               kl_kex_profile_name(offer->profile), kl_kex_profile_name(profile));
    goto out;
  }
  err = kl_kex_client_init(&cli->kex, &cli->cfg.kex);
  if (err != KL_OK) {
    fail(cli, KL_HTTP_FAIL_LOCAL, err, "client set-up: %s%s", kl_strerror(err),
         profile == KL_KEX_PROFILE_HARDENED ? " (hardened needs a pin or an identity key)" : "");
    goto out;
  }
  err = kl_kex_client_handshake(&cli->kex, cli->cfg.rng, offer, C, &C_len);
  if (err != KL_OK) {
    kl_kex_client_clear(&cli->kex);
    if (err == KL_ERR_VERIFY)
      fail(cli, KL_HTTP_FAIL_PIN, err,
           "server identity does not match the pin (signature or fingerprint mismatch)");
    else if (err == KL_ERR_RNG || err == KL_ERR_NOMEM)
      fail(cli, KL_HTTP_FAIL_LOCAL, err, "handshake: %s", kl_strerror(err));
    else
      fail(cli, KL_HTTP_FAIL_REPLY, err, "handshake: bad session key in the reply (%s)",
           kl_strerror(err));
    goto out;
  }
  cli->kex_ready = 1;
  memcpy(cli->session_id, offer->session_id_str, sizeof cli->session_id);
  cli->rekeys = 0;

  char path[128];
  snprintf(path, sizeof path, "/v1/sessions/%s/key", cli->session_id);
  reply_free(&r);
  req = json_object();
  json_object_set_new(req, "encrypted_key", kli_json_base64(C, C_len));
  err = post_json(cli, path, req, &r);
  if (err == KL_OK && r.status != 204)
    err = status_error(cli, "POST .../key", &r);
  if (err != KL_OK) {
    kl_kex_client_clear(&cli->kex);
    cli->kex_ready = 0;
  }
out:
  reply_free(&r);
  free(offer);
  return err;
}

kl_err kl_http_client_rekey(kl_http_client *cli)
{
  if (cli == NULL || !cli->kex_ready)
    return KL_ERR_STATE;
  uint8_t C[KL_KEX_MAX_MODULUS_BYTES];
  size_t C_len = sizeof C;
  uint8_t auth[KL_KEX_REKEY_AUTH_BYTES];
  size_t auth_len = sizeof auth;
  kl_err err = kl_kex_client_rekey_begin(&cli->kex, cli->cfg.rng, C, &C_len, auth, &auth_len);
  if (err != KL_OK)
    return fail(cli, KL_HTTP_FAIL_LOCAL, err, "rekey: %s", kl_strerror(err));
  char path[128];
  snprintf(path, sizeof path, "/v1/sessions/%s/rekey", cli->session_id);
  json_t *req = json_object();
  json_object_set_new(req, "encrypted_key", kli_json_base64(C, C_len));
  if (auth_len > 0)
    json_object_set_new(req, "auth", kli_json_base64(auth, auth_len));
  reply r = {0};
  err = post_json(cli, path, req, &r);
  if (err != KL_OK) {
    /* Unknown outcome: the server may or may not have switched. */
    kl_kex_client_rekey_abort(&cli->kex);
    reply_free(&r);
    return err;
  }
  if (r.status != 204) {
    kl_kex_client_rekey_abort(&cli->kex);
    err = status_error(cli, "POST .../rekey", &r);
    reply_free(&r);
    return err;
  }
  reply_free(&r);
  err = kl_kex_client_rekey_commit(&cli->kex);
  if (err == KL_OK)
    cli->rekeys++;
  return err;
}

/* One attempt of kl_http_client_send on the open session. *posted: the
 * message's POST went out (so the application may have seen it). */
static kl_err send_once(kl_http_client *cli, uint8_t *out, size_t *out_len, const uint8_t *msg,
                        size_t msg_len, int *posted)
{
  *posted = 0;
  if (kl_kex_client_rekey_due(&cli->kex)) {
    kl_err err = kl_http_client_rekey(cli);
    if (err != KL_OK)
      return err;
  }
  kl_kex_profile profile = cli->cfg.kex.profile;
  size_t frame_cap = kl_kex_frame_len(profile, msg_len);
  uint8_t *frame = malloc(frame_cap);
  if (frame == NULL)
    return fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_NOMEM, "out of memory");
  size_t frame_len = frame_cap;
  reply r = {0};
  uint8_t *rf = NULL;
  size_t rf_len = 0;
  kl_err err = kl_kex_client_seal(&cli->kex, cli->cfg.rng, frame, &frame_len, msg, msg_len);
  if (err != KL_OK) {
    fail(cli, KL_HTTP_FAIL_LOCAL, err, "seal: %s", kl_strerror(err));
    goto out;
  }
  char path[128];
  snprintf(path, sizeof path, "/v1/sessions/%s/messages", cli->session_id);
  int raw = cli->cfg.seed_raw && profile == KL_KEX_PROFILE_SEED;
  *posted = 1;
  if (raw) {
    err = request(cli, "POST", path, "application/octet-stream", frame, frame_len, &r);
  } else {
    json_t *req = json_object();
    json_object_set_new(req, "frame", kli_json_base64(frame, frame_len));
    err = post_json(cli, path, req, &r);
  }
  if (err != KL_OK)
    goto out;
  if (r.status != 200) {
    err = status_error(cli, "POST .../messages", &r);
    goto out;
  }
  if (raw) {
    rf = (uint8_t *)r.body;
    rf_len = r.len;
    r.body = NULL;
  } else {
    json_t *obj = NULL;
    kli_error why;
    if (!r.is_json || kli_json_parse_object(&obj, r.body, r.len) != KL_OK ||
        kli_json_get_base64(obj, "frame", KLI_CLIENT_MAX_REPLY, &rf, &rf_len, &why) != KL_OK) {
      json_decref(obj);
      err = fail(cli, KL_HTTP_FAIL_FRAME, KL_ERR_DECRYPT, "bad reply: no base64 \"frame\"");
      goto out;
    }
    json_decref(obj);
  }
  err = kl_kex_client_open(&cli->kex, out, out_len, rf != NULL ? rf : frame, rf_len);
  if (err == KL_ERR_DECRYPT)
    fail(cli, KL_HTTP_FAIL_FRAME, err, "bad reply frame: decryption or authentication failed");
  else if (err != KL_OK)
    fail(cli, KL_HTTP_FAIL_LOCAL, err, "open: %s", kl_strerror(err));
out:
  reply_free(&r);
  /* frame may hold the payload when sealing failed half-way. */
  kl_wipe(frame, frame_cap);
  free(frame);
  free(rf);
  return err;
}

/* Did the last call fail because the session's server is gone? Its node
 * said the session does not exist (404), a proxy could not reach it (502)
 * or gave up waiting (504), or there was no answer at all. */
static int session_lost(const kl_http_client *cli)
{
  switch (cli->fail) {
  case KL_HTTP_FAIL_REFUSED:
  case KL_HTTP_FAIL_TIMEOUT:
  case KL_HTTP_FAIL_NETWORK:
    return 1;
  case KL_HTTP_FAIL_STATUS:
    return cli->http_status == 404 || cli->http_status == 502 || cli->http_status == 504;
  default:
    return 0;
  }
}

kl_err kl_http_client_send(kl_http_client *cli, uint8_t *out, size_t *out_len, const uint8_t *msg,
                           size_t msg_len)
{
  if (cli == NULL || out_len == NULL || (msg == NULL && msg_len != 0))
    return KL_ERR_ARG;
  if (!cli->kex_ready)
    return fail(cli, KL_HTTP_FAIL_LOCAL, KL_ERR_STATE, "no session is open");
  cli->messages++;
  cli->fate = KL_HTTP_FATE_NONE;
  cli->lost_message = 0;
  int posted = 0;
  size_t cap = *out_len;
  kl_err err = send_once(cli, out, out_len, msg, msg_len, &posted);
  if (err == KL_OK || !session_lost(cli))
    return err;
  /* The session is lost. Did the application surely not see the message?
   * Not posted at all, or the node said it has no such session, or nothing
   * listened. Otherwise its fate is unknown. */
  int surely_not = !posted || cli->http_status == 404 || cli->fail == KL_HTTP_FAIL_REFUSED;
  if (!surely_not) {
    cli->fate = KL_HTTP_FATE_UNKNOWN;
    cli->lost_message = cli->messages;
  }
  if (!cli->cfg.reconnect)
    return err;
  char why[64];
  if (cli->fail == KL_HTTP_FAIL_STATUS)
    snprintf(why, sizeof why, "HTTP %ld%s%s", cli->http_status, cli->error_code[0] ? " " : "",
             cli->error_code);
  else
    snprintf(why, sizeof why, "%s",
             cli->fail == KL_HTTP_FAIL_REFUSED   ? "connection refused"
             : cli->fail == KL_HTTP_FAIL_TIMEOUT ? "timeout"
                                                 : "network error");
  char old[9];
  snprintf(old, sizeof old, "%.8s", cli->session_id);
  kl_kex_client_clear(&cli->kex);
  cli->kex_ready = 0;
  cli->session_id[0] = '\0';
  err = kl_http_client_connect(cli);
  if (err != KL_OK)
    return err; /* detail says why no new session; fate as set above */
  cli->reconnects++;
  if (surely_not) {
    *out_len = cap;
    return send_once(cli, out, out_len, msg, msg_len, &posted);
  }
  return fail(cli, KL_HTTP_FAIL_LOST, KL_ERR_IO,
              "session %s... lost (%s): message %llu may or may not have been delivered and "
              "was not sent again; new session %.8s...",
              old, why, (unsigned long long)cli->lost_message, cli->session_id);
}

kl_err kl_http_client_close(kl_http_client *cli)
{
  if (cli == NULL || !cli->kex_ready)
    return KL_ERR_STATE;
  char path[128];
  snprintf(path, sizeof path, "/v1/sessions/%s", cli->session_id);
  reply r = {0};
  kl_err err = request(cli, "DELETE", path, NULL, NULL, 0, &r);
  if (err == KL_OK && r.status != 204)
    err = status_error(cli, "DELETE session", &r);
  reply_free(&r);
  kl_kex_client_clear(&cli->kex);
  cli->kex_ready = 0;
  cli->session_id[0] = '\0';
  return err;
}

kl_err kl_http_client_get(kl_http_client *cli, const char *path, long *status, char **body,
                          size_t *body_len)
{
  if (cli == NULL || path == NULL || status == NULL || body == NULL)
    return KL_ERR_ARG;
  reply r = {0};
  kl_err err = request(cli, "GET", path, NULL, NULL, 0, &r);
  if (err != KL_OK)
    return err;
  *status = r.status;
  if (r.body == NULL) {
    r.body = calloc(1, 1);
    if (r.body == NULL)
      return KL_ERR_NOMEM;
  }
  *body = r.body;
  if (body_len != NULL)
    *body_len = r.len;
  return KL_OK;
}

void kl_http_client_clear(kl_http_client *cli)
{
  if (cli == NULL)
    return;
  if (cli->kex_ready && cli->curl != NULL) {
    kl_err best_effort = kl_http_client_close(cli);
    (void)best_effort;
  }
  if (cli->kex_ready)
    kl_kex_client_clear(&cli->kex);
  cli->kex_ready = 0;
  if (cli->curl != NULL)
    curl_easy_cleanup(cli->curl);
  cli->curl = NULL;
}
