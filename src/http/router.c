/* router.c: from an HTTP method and path to one of the API's routes.
 * RFC 9110 §9 (methods), §15.5.5 (404), §15.5.6 (405 with an Allow header).
 * The API's paths (docs/rest-api.md):
 *   /v1/health  /v1/identity  /v1/metrics  /v1/sessions  /v1/sessions/{id}[/key|/messages|/rekey]
 * Pure string work, no allocation: tests/test_http.c runs it without a socket. */
#include <string.h>

#include "http_internal.h"

/* Characters a session id may hold: a .NET Guid string is hex digits and '-',
 * in braces or parentheses in its B and P forms (guid.c); letters beyond f
 * are let through so that "not a session" is a 404 from the session table,
 * not a routing quirk. */
static int id_char_ok(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
         c == '{' || c == '}' || c == '(' || c == ')';
}

/* Copy the segment s[0..n) into m->id if it is a plausible id. */
static int take_id(kli_route_match *m, const char *s, size_t n)
{
  if (n == 0 || n > KLI_SESSION_ID_MAX)
    return 0;
  for (size_t i = 0; i < n; i++) {
    if (!id_char_ok(s[i]))
      return 0;
  }
  memcpy(m->id, s, n);
  m->id[n] = '\0';
  return 1;
}

static void set(kli_route_match *m, kli_route r, const char *allow, const char *method)
{
  m->route = r;
  m->allow = allow;
  /* HEAD is not offered: every route either changes state or is tiny. */
  m->method_ok = strcmp(method, allow) == 0;
}

void kli_route_parse(kli_route_match *m, const char *method, const char *path)
{
  m->route = KLI_ROUTE_NONE;
  m->method_ok = 0;
  m->allow = "";
  m->id[0] = '\0';
  if (method == NULL || path == NULL)
    return;
  /* The query string is not part of any route. */
  size_t len = strcspn(path, "?");
  static const char sessions[] = "/v1/sessions";
  const size_t sessions_len = sizeof sessions - 1;

  if (len == 10 && memcmp(path, "/v1/health", 10) == 0) {
    set(m, KLI_ROUTE_HEALTH, "GET", method);
    return;
  }
  if (len == 12 && memcmp(path, "/v1/identity", 12) == 0) {
    set(m, KLI_ROUTE_IDENTITY, "GET", method);
    return;
  }
  if (len == 11 && memcmp(path, "/v1/metrics", 11) == 0) {
    set(m, KLI_ROUTE_METRICS, "GET", method);
    return;
  }
  if (len < sessions_len || memcmp(path, sessions, sessions_len) != 0)
    return;
  if (len == sessions_len) {
    set(m, KLI_ROUTE_SESSIONS, "POST", method);
    return;
  }
  if (path[sessions_len] != '/')
    return;
  /* "/v1/sessions/" id [ "/" action ] */
  const char *id = path + sessions_len + 1;
  size_t rest = len - sessions_len - 1;
  size_t id_len = 0;
  while (id_len < rest && id[id_len] != '/')
    id_len++;
  if (!take_id(m, id, id_len))
    return;
  if (id_len == rest) {
    set(m, KLI_ROUTE_SESSION, "DELETE", method);
    return;
  }
  const char *action = id + id_len + 1;
  size_t action_len = rest - id_len - 1;
  if (action_len == 3 && memcmp(action, "key", 3) == 0)
    set(m, KLI_ROUTE_KEY, "POST", method);
  else if (action_len == 8 && memcmp(action, "messages", 8) == 0)
    set(m, KLI_ROUTE_MESSAGES, "POST", method);
  else if (action_len == 5 && memcmp(action, "rekey", 5) == 0)
    set(m, KLI_ROUTE_REKEY, "POST", method);
  else
    m->id[0] = '\0';
}

void kli_route_log_path(char *out, size_t out_cap, const char *path)
{
  if (out_cap == 0)
    return;
  out[0] = '\0';
  if (path == NULL)
    return;
  static const char prefix[] = "/v1/sessions/";
  const size_t prefix_len = sizeof prefix - 1;
  size_t len = strcspn(path, "?");
  size_t o = 0;
  size_t i = 0;
  size_t id_end = 0;
  int shorten = len > prefix_len && memcmp(path, prefix, prefix_len) == 0;
  if (shorten) {
    id_end = prefix_len;
    while (id_end < len && path[id_end] != '/')
      id_end++;
    /* Ids of 8 characters or fewer are shown whole: nothing to hide. */
    shorten = id_end - prefix_len > 8;
  }
  while (i < len && o + 1 < out_cap) {
    if (shorten && i == prefix_len + 8) {
      const char *dots = "...";
      for (size_t k = 0; dots[k] != '\0' && o + 1 < out_cap; k++)
        out[o++] = dots[k];
      i = id_end;
      continue;
    }
    char c = path[i++];
    out[o++] = (c > 0x20 && c < 0x7f) ? c : '?';
  }
  out[o] = '\0';
}
