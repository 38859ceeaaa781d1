/* lab_http.c: the lab page and the lab endpoints of `kexlab serve --lab`,
 * behind the server's extra-route hook (kl_http_extra):
 *   GET  /lab                  301 to /lab/
 *   GET  /lab/, /lab/FILE      the page: web/lab's files, flat, by name
 *   POST /v1/lab/trace/aes     lab_trace.c, one JSON object in, one out
 *   POST /v1/lab/trace/rsa     (docs/rest-api.md, "The lab endpoints")
 *   POST /v1/lab/trace/oaep
 *   POST /v1/lab/trace/sha256
 * Every answer of the page carries a Content-Security-Policy that lets the
 * browser run only the page's own scripts and talk only to this server.
 * The endpoints compute only on the request's values (lab_trace.c) and have
 * their own token bucket and a cap on computations at once, since key
 * generation costs seconds of CPU. Their JSON is the cj_* writer's, the
 * same records as `kexlab ... --json` (docs/json.md), into a memory stream. */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kexlab/ct.h"
#include "lab.h"
#include "lab_trace.h"

#define LAB_FILE_MAX (1u << 20)

static const char CSP[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                          "form-action 'none'; frame-ancestors 'none'";

typedef struct lab_state {
  const char *dir;
  pthread_mutex_t lock; /* guards the bucket and busy */
  double rate, burst;   /* tokens per second, bucket size; rate 0: off */
  double tokens, last;
  unsigned busy, max_busy;
} lab_state;

/* ---- where the page is ---- */

static int has_index(const char *dir)
{
  char path[PATH_MAX];
  struct stat sb;
  if ((size_t)snprintf(path, sizeof path, "%s/index.html", dir) >= sizeof path)
    return 0;
  return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

const char *serve_lab_dir(const char *dir)
{
  if (dir != NULL)
    return has_index(dir) ? dir : NULL;
  /* Run from the build directory (meson test, ./build/src/cli/kexlab): the
   * source tree's files, so that an edit shows at the next reload. */
  char exe[PATH_MAX], build[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0 && realpath(KL_LAB_BUILD_DIR, build) != NULL) {
    exe[n] = '\0';
    size_t b = strlen(build);
    if (strncmp(exe, build, b) == 0 && exe[b] == '/' && has_index(KL_LAB_SOURCE_DIR))
      return KL_LAB_SOURCE_DIR;
  }
  if (has_index(KL_LAB_INSTALL_DIR))
    return KL_LAB_INSTALL_DIR;
  /* Not installed: the source tree it was built from, if it is still there. */
  return has_index(KL_LAB_SOURCE_DIR) ? KL_LAB_SOURCE_DIR : NULL;
}

int serve_lab_is_loopback(const char *host)
{
  struct in_addr a4;
  struct in6_addr a6;
  if (inet_pton(AF_INET, host, &a4) == 1)
    return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, host, &a6) == 1)
    return IN6_IS_ADDR_LOOPBACK(&a6);
  return 0;
}

/* ---- answers ---- */

static void add_header(kl_http_extra_reply *rep, const char *name, const char *value)
{
  for (int i = 0; i < KL_HTTP_EXTRA_HEADERS; i++) {
    if (rep->headers[i][0] == NULL) {
      rep->headers[i][0] = name;
      rep->headers[i][1] = value;
      return;
    }
  }
}

static void set_body(kl_http_extra_reply *rep, unsigned status, const char *type, char *body,
                     size_t len)
{
  rep->status = status;
  rep->content_type = type;
  rep->body = (uint8_t *)body;
  rep->body_len = body != NULL ? len : 0;
  add_header(rep, "Content-Security-Policy", CSP);
  add_header(rep, "X-Content-Type-Options", "nosniff");
}

/* {"error": code, "message": text}, as the API's errors. */
static void reply_error(kl_http_extra_reply *rep, unsigned status, const char *code,
                        const char *message)
{
  json_t *o = json_pack("{s:s, s:s}", "error", code, "message", message);
  char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  set_body(rep, status, "application/json", text, text != NULL ? strlen(text) : 0);
}

/* ---- the page's files ---- */

static const char *media_type(const char *name)
{
  static const char *const types[][2] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
  };
  size_t n = strlen(name);
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
    size_t e = strlen(types[i][0]);
    if (n > e && strcmp(name + n - e, types[i][0]) == 0)
      return types[i][1];
  }
  return NULL;
}

/* A file name of the page: letters, digits, '-', '_', one '.' before the
 * extension; no directories, so nothing outside web_dir can be named. */
static int name_ok(const char *name)
{
  size_t n = strlen(name);
  if (n == 0 || n > 64 || name[0] == '.')
    return 0;
  int dots = 0;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (c == '.')
      dots++;
    else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_'))
      return 0;
  }
  return dots == 1;
}

static void serve_file(lab_state *L, const char *name, kl_http_extra_reply *rep)
{
  const char *type = media_type(name);
  char path[PATH_MAX];
  if (!name_ok(name) || type == NULL ||
      (size_t)snprintf(path, sizeof path, "%s/%s", L->dir, name) >= sizeof path) {
    reply_error(rep, 404, "not_found", "no such file in the lab page");
    return;
  }
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    reply_error(rep, 404, "not_found", "no such file in the lab page");
    return;
  }
  char *buf = malloc(LAB_FILE_MAX);
  size_t n = buf != NULL ? fread(buf, 1, LAB_FILE_MAX, f) : 0;
  int err = buf == NULL || ferror(f) || !feof(f);
  fclose(f);
  if (err) {
    free(buf);
    reply_error(rep, 500, "internal", "the file cannot be read");
    return;
  }
  set_body(rep, 200, type, buf, n);
}

/* ---- the endpoints ---- */

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 0: go ahead (busy counted), 429: over the rate, 503: too many at once. */
static unsigned admit(lab_state *L)
{
  unsigned verdict = 0;
  pthread_mutex_lock(&L->lock);
  if (L->rate > 0) {
    double t = now_seconds();
    L->tokens += (t - L->last) * L->rate;
    if (L->tokens > L->burst)
      L->tokens = L->burst;
    L->last = t;
    if (L->tokens < 1.0)
      verdict = 429;
  }
  if (verdict == 0 && L->busy >= L->max_busy)
    verdict = 503;
  if (verdict == 0) {
    if (L->rate > 0)
      L->tokens -= 1.0;
    L->busy++;
  }
  pthread_mutex_unlock(&L->lock);
  return verdict;
}

static void release(lab_state *L)
{
  pthread_mutex_lock(&L->lock);
  L->busy--;
  pthread_mutex_unlock(&L->lock);
}

static void run_trace(lab_state *L, const char *kind, const kl_http_extra_request *rq,
                      kl_http_extra_reply *rep)
{
  const char *ct = rq->content_type;
  size_t tl = strlen("application/json");
  if (ct == NULL || strncmp(ct, "application/json", tl) != 0 || (ct[tl] != '\0' && ct[tl] != ';')) {
    reply_error(rep, 415, "unsupported_media_type", "send application/json");
    return;
  }
  json_error_t jerr;
  json_t *in = json_loadb((const char *)rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (in == NULL || !json_is_object(in)) {
    json_decref(in);
    reply_error(rep, 400, "bad_json", "the body is not one JSON object");
    return;
  }
  unsigned verdict = admit(L);
  if (verdict != 0) {
    json_decref(in);
    reply_error(rep, verdict, verdict == 429 ? "rate_limited" : "overloaded",
                verdict == 429 ? "too many lab requests; wait a little"
                               : "too many lab computations at once");
    add_header(rep, "Retry-After", "1");
    return;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  char why[256] = "";
  int rc = -2;
  if (mem != NULL) {
    rc = lab_trace_run(kind, in, mem, why, sizeof why);
    fclose(mem);
  }
  release(L);
  json_decref(in);
  if (rc != 0 || text == NULL) {
    if (text != NULL) {
      kl_wipe(text, len);
      free(text);
    }
    if (rc == -1)
      reply_error(rep, 400, "bad_value", why);
    else
      reply_error(rep, 500, "internal", "the lab computation failed");
    return;
  }
  set_body(rep, 200, "application/json", text, len);
}

static int lab_route(void *user, const kl_http_extra_request *rq, kl_http_extra_reply *rep)
{
  lab_state *L = user;
  static const char prefix[] = "/v1/lab/trace/";
  int get = strcmp(rq->method, "GET") == 0;
  if (strcmp(rq->path, "/lab") == 0 || strncmp(rq->path, "/lab/", 5) == 0) {
    if (!get) {
      reply_error(rep, 405, "method_not_allowed", "the lab page takes GET");
      add_header(rep, "Allow", "GET");
    } else if (strcmp(rq->path, "/lab") == 0) {
      set_body(rep, 301, NULL, NULL, 0);
      add_header(rep, "Location", "/lab/");
    } else {
      serve_file(L, rq->path[5] == '\0' ? "index.html" : rq->path + 5, rep);
    }
    return 1;
  }
  if (strncmp(rq->path, prefix, sizeof prefix - 1) == 0 &&
      lab_trace_find(rq->path + sizeof prefix - 1) != NULL) {
    if (strcmp(rq->method, "POST") != 0) {
      reply_error(rep, 405, "method_not_allowed", "the lab endpoints take POST");
      add_header(rep, "Allow", "POST");
    } else {
      run_trace(L, rq->path + sizeof prefix - 1, rq, rep);
    }
    return 1;
  }
  return 0;
}

int serve_lab_hook(kl_http_extra *x, const char *web_dir, double per_minute, unsigned burst,
                   unsigned max_busy)
{
  lab_state *L = calloc(1, sizeof *L);
  if (L == NULL)
    return -1;
  L->dir = web_dir;
  L->rate = per_minute / 60.0;
  L->burst = burst > 0 ? (double)burst : 1.0;
  L->tokens = L->burst;
  L->last = now_seconds();
  L->max_busy = max_busy > 0 ? max_busy : 1;
  pthread_mutex_init(&L->lock, NULL);
  x->fn = lab_route;
  x->user = L;
  return 0;
}

void serve_lab_free(kl_http_extra *x)
{
  lab_state *L = x->user;
  if (L != NULL) {
    pthread_mutex_destroy(&L->lock);
    free(L);
  }
  x->fn = NULL;
  x->user = NULL;
}
