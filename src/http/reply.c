/* reply.c: a handler's answer (kli_reply) as a value: the JSON error body of
 * docs/rest-api.md with its status and Retry-After (RFC 9110 §10.2.3, on 429 and
 * 503), a JSON object serialised, and freeing a reply. Nothing here knows
 * about connections: server.c turns a kli_reply into an HTTP response.
 * Every JSON body ends with a newline, so that curl's output in a terminal
 * (docs/rest-api.md) ends its line; JSON parsers skip it (RFC 8259 §2).
 * Secrets: a reply body may hold a frame: it is wiped before free. */
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "kexlab/ct.h"

void kli_reply_error(kli_reply *rep, kli_error e, const char *detail)
{
  char text[512];
  size_t n = kli_error_body(text, sizeof text, e, detail);
  rep->status = kli_error_status(e);
  rep->error = kli_error_code(e);
  rep->content_type = "application/json";
  rep->body = malloc(n + 1);
  rep->body_len = 0;
  if (rep->body != NULL) {
    memcpy(rep->body, text, n);
    rep->body[n] = '\n';
    rep->body_len = n + 1;
  }
  if (e == KLI_E_RATE || e == KLI_E_SESSION_REQUESTS || e == KLI_E_SESSION_CAP ||
      e == KLI_E_OVERLOAD)
    rep->retry_after = 1;
}

void kli_reply_json(kli_reply *rep, unsigned status, const json_t *obj)
{
  size_t n = 0;
  char *text = obj != NULL ? kli_json_dump(obj, &n) : NULL;
  uint8_t *body = text != NULL ? malloc(n + 1) : NULL;
  if (body == NULL) {
    free(text);
    kli_reply_error(rep, KLI_E_INTERNAL, NULL);
    return;
  }
  memcpy(body, text, n);
  body[n] = '\n';
  kl_wipe(text, n); /* a reply may hold a frame */
  free(text);
  rep->status = status;
  rep->content_type = "application/json";
  rep->body = body;
  rep->body_len = n + 1;
}

void kli_reply_free(kli_reply *rep)
{
  if (rep->body != NULL) {
    kl_wipe(rep->body, rep->body_len);
    free(rep->body);
  }
  rep->body = NULL;
  rep->body_len = 0;
}
