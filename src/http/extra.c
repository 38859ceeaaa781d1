/* extra.c: the hook through which an application serves paths of its own
 * beside the API's (kl_http_extra, include/kexlab/http.h): `kexlab serve
 * --lab` serves its page and lab endpoints this way. The hook sees the
 * request as plain values and answers with a status, a body and headers;
 * the server sends it like any other reply (Cache-Control: no-store, the
 * request log line), then wipes and frees the body.
 * Uses reply.c's types only; server.c calls it for KLI_ROUTE_NONE. */
#include <string.h>

#include "http_internal.h"

int kli_extra_dispatch(kl_http_server *srv, const char *method, const char *url,
                       const kli_request_view *rq, kli_reply *rep)
{
  const kl_http_extra *x = &srv->cfg.extra;
  if (x->fn == NULL || method == NULL || url == NULL)
    return 0;
  /* The path without its query string, as the API's router sees it. */
  char path[512];
  size_t len = strcspn(url, "?");
  if (len >= sizeof path)
    return 0;
  memcpy(path, url, len);
  path[len] = '\0';
  kl_http_extra_request xr = {
    .method = method,
    .path = path,
    .content_type = rq->content_type,
    .body = rq->body,
    .body_len = rq->body_len,
    .client = rq->client,
  };
  kl_http_extra_reply xrep;
  memset(&xrep, 0, sizeof xrep);
  if (!x->fn(x->user, &xr, &xrep))
    return 0;
  rep->status = xrep.status;
  rep->content_type = xrep.content_type;
  rep->body = xrep.body;
  rep->body_len = xrep.body_len;
  memcpy(rep->headers, xrep.headers, sizeof rep->headers);
  return 1;
}
