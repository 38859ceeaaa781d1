/* json.c: the API's JSON, through jansson: strict parsing of request bodies,
 * base64 members (RFC 4648 §4, our own codec in src/core/base64.c), and the
 * error bodies {"error": code, "message": text} with their HTTP statuses
 * (RFC 9110 §15; docs/rest-api.md "Errors").
 * One rule matters for security: a failed decryption or authentication gives
 * one fixed body, whatever failed (RFC 8017 §7.1.2 note on step 3.g; the CBC
 * padding oracle of docs/threat-model.md). kli_error_body ignores any detail
 * for KLI_E_DECRYPT so no caller can make the bodies differ. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_internal.h"
#include "kexlab/ct.h"
#include "kexlab/encoding.h"

typedef struct error_row {
  unsigned status;
  const char *code;
  const char *message;
} error_row;

/* Indexed by kli_error; the order must follow the enum. */
static const error_row error_table[KLI_E_COUNT] = {
  [KLI_E_BAD_JSON] = {400, "bad_json", "the body is not a JSON object"},
  [KLI_E_MISSING_FIELD] = {400, "missing_field", "a required field is missing"},
  [KLI_E_WRONG_TYPE] = {400, "wrong_type", "a field has the wrong type"},
  [KLI_E_BAD_BASE64] = {400, "bad_base64", "a field is not valid base64"},
  [KLI_E_BAD_VALUE] = {400, "bad_value", "a field has a value that is not allowed"},
  [KLI_E_BAD_FRAME] = {400, "bad_frame", "the frame or wrapped key has a wrong length"},
  [KLI_E_DECRYPT] = {400, "decrypt_failed", "decryption or authentication failed"},
  [KLI_E_NOT_FOUND] = {404, "not_found", "no such endpoint"},
  [KLI_E_NO_SESSION] = {404, "unknown_session", "unknown or expired session"},
  [KLI_E_METHOD] = {405, "method_not_allowed", "method not allowed on this endpoint"},
  [KLI_E_CONFLICT] = {409, "key_already_set", "the session already has a key"},
  [KLI_E_STATE] = {409, "bad_state", "not valid in the session's current state"},
  [KLI_E_TOO_LARGE] = {413, "body_too_large", "the request body is over the limit"},
  [KLI_E_MEDIA_TYPE] = {415, "unsupported_media_type", "wrong Content-Type"},
  [KLI_E_RATE] = {429, "rate_limited", "too many sessions created by this client"},
  [KLI_E_SESSION_REQUESTS] = {429, "session_request_limit",
                              "the session's request limit is used up"},
  [KLI_E_SESSION_CAP] = {503, "session_cap", "the server holds its maximum number of sessions"},
  [KLI_E_OVERLOAD] = {503, "overloaded", "the server is overloaded, retry later"},
  [KLI_E_INTERNAL] = {500, "internal", "internal server error"},
  [KLI_E_UNKNOWN_FIELD] = {400, "unknown_field",
                           "the body has a field this endpoint does not take"},
  [KLI_E_BAD_REQUEST] = {400, "bad_request", "the request's length is ambiguous"},
  [KLI_E_PAYLOAD] = {413, "payload_too_large", "the message is over the server's payload limit"},
};

unsigned kli_error_status(kli_error e)
{
  return (unsigned)e < KLI_E_COUNT ? error_table[e].status : 500;
}

const char *kli_error_code(kli_error e)
{
  return (unsigned)e < KLI_E_COUNT ? error_table[e].code : "internal";
}

size_t kli_error_body(char *out, size_t cap, kli_error e, const char *detail)
{
  if (cap == 0)
    return 0;
  if ((unsigned)e >= KLI_E_COUNT)
    e = KLI_E_INTERNAL;
  if (e == KLI_E_DECRYPT || detail == NULL)
    detail = error_table[e].message;
  json_t *obj = json_object();
  char *text = NULL;
  size_t n = 0;
  if (obj != NULL && json_object_set_new(obj, "error", json_string(error_table[e].code)) == 0 &&
      json_object_set_new(obj, "message", json_string(detail)) == 0)
    text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (text != NULL) {
    n = strlen(text);
    if (n >= cap)
      n = cap - 1;
    memcpy(out, text, n);
    free(text);
  }
  out[n] = '\0';
  json_decref(obj);
  return n;
}

kl_err kli_json_parse_object(json_t **obj, const char *body, size_t len)
{
  *obj = NULL;
  if (body == NULL || len == 0)
    return KL_ERR_ENCODING;
  if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
    body += 3; /* RFC 8259 §8.1: a parser may ignore a leading BOM */
    len -= 3;
  }
  json_error_t jerr;
  /* JSON_REJECT_DUPLICATES: {"frame": A, "frame": B} must not mean whichever
   * the parser keeps. JSON_DISALLOW_NULL is off: null members are wrong types. */
  json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
  if (v == NULL)
    return KL_ERR_ENCODING;
  if (!json_is_object(v)) {
    json_decref(v);
    return KL_ERR_ENCODING;
  }
  *obj = v;
  return KL_OK;
}

kl_err kli_json_get_string(const json_t *obj, const char *key, const char **out, size_t *out_len,
                           kli_error *why)
{
  json_t *v = json_object_get(obj, key);
  if (v == NULL) {
    *why = KLI_E_MISSING_FIELD;
    return KL_ERR_ENCODING;
  }
  if (!json_is_string(v)) {
    *why = KLI_E_WRONG_TYPE;
    return KL_ERR_ENCODING;
  }
  *out = json_string_value(v);
  if (out_len != NULL)
    *out_len = json_string_length(v);
  return KL_OK;
}

kl_err kli_json_get_base64(const json_t *obj, const char *key, size_t max_len, uint8_t **out,
                           size_t *out_len, kli_error *why)
{
  *out = NULL;
  *out_len = 0;
  const char *text;
  size_t text_len;
  kl_err err = kli_json_get_string(obj, key, &text, &text_len, why);
  if (err != KL_OK)
    return err;
  size_t cap = kl_base64_decoded_max(text_len);
  if (cap > max_len + 2) {
    /* Longer than anything acceptable, whatever its padding. */
    *why = KLI_E_BAD_FRAME;
    return KL_ERR_LEN;
  }
  uint8_t *buf = malloc(cap > 0 ? cap : 1);
  if (buf == NULL) {
    *why = KLI_E_INTERNAL;
    return KL_ERR_NOMEM;
  }
  size_t n = cap;
  err = kl_base64_decode(buf, &n, text, text_len);
  if (err != KL_OK) {
    kl_wipe(buf, cap);
    free(buf);
    *why = KLI_E_BAD_BASE64;
    return KL_ERR_ENCODING;
  }
  if (n > max_len) {
    kl_wipe(buf, cap);
    free(buf);
    *why = KLI_E_BAD_FRAME;
    return KL_ERR_LEN;
  }
  *out = buf;
  *out_len = n;
  return KL_OK;
}

json_t *kli_json_base64(const uint8_t *data, size_t len)
{
  size_t cap = kl_base64_encoded_len(len) + 1;
  char *text = malloc(cap);
  if (text == NULL)
    return NULL;
  json_t *v = NULL;
  if (kl_base64_encode(text, cap, data, len) == KL_OK)
    v = json_stringn(text, cap - 1);
  free(text);
  return v;
}

char *kli_json_dump(const json_t *obj, size_t *len)
{
  char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
  if (text != NULL && len != NULL)
    *len = strlen(text);
  return text;
}

int kli_media_type_is(const char *content_type, const char *want)
{
  if (content_type == NULL)
    return 0;
  /* RFC 9110 §8.3.1: type "/" subtype *( OWS ";" OWS parameter ), and type and
   * subtype are case-insensitive. Leading whitespace is already gone. */
  size_t n = strlen(want);
  if (strncasecmp(content_type, want, n) != 0)
    return 0;
  char next = content_type[n];
  return next == '\0' || next == ';' || next == ' ' || next == '\t';
}
