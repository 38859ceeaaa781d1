/* limits.c: what the server refuses before it reads a request's body.
 *   framing   a request with two Content-Length fields, or Content-Length
 *             and Transfer-Encoding, has no one length: a proxy in front may
 *             read it one way and we the other (request smuggling). RFC 9112
 *             §6.3 items 3 and 5 let a server refuse it (400) and close;
 *             libmicrohttpd 0.9.75 (Debian 12) takes the first length, or the
 *             chunked coding, and goes on, so the check is ours.
 *   draining  a body over --max-body is still read, and dropped, up to
 *             kli_drain_limit: a client that writes its whole body before
 *             reading (Python's urllib, many .NET setups) then reads the 413
 *             instead of a reset (RFC 9112 §9.6: closing with unread data in
 *             the socket makes the peer's stack throw the response away).
 * The connection limits (total, per client address) and the timeouts are
 * libmicrohttpd's own options, set in server.c from kl_http_server_config. */
#include <microhttpd.h>
#include <strings.h>

#include "http_internal.h"

/* How much more than the body limit is read and dropped before a 413. */
#define KLI_DRAIN_EXTRA ((size_t)16 << 20) /* 16 MiB */

size_t kli_drain_limit(size_t max_body)
{
  return max_body > SIZE_MAX - KLI_DRAIN_EXTRA ? SIZE_MAX : max_body + KLI_DRAIN_EXTRA;
}

typedef struct framing_count {
  unsigned content_length, transfer_encoding;
} framing_count;

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
  framing_count *n = cls;
  (void)kind;
  (void)value;
  if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
    n->content_length++;
  else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
    n->transfer_encoding++;
  return MHD_YES;
}

int kli_framing_ok(struct MHD_Connection *c)
{
  framing_count n = {0, 0};
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &n);
  return n.content_length <= 1 && !(n.content_length == 1 && n.transfer_encoding > 0);
}
