/* vecfile.c: the CAVP-shape reader and result counters (see vecfile.h). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kexlab/encoding.h"
#include "vecfile.h"

int vecfile_open(vecfile *vf, const char *path)
{
  memset(vf, 0, sizeof *vf);
  vf->f = fopen(path, "r");
  if (vf->f == NULL)
    return -1;
  vf->path = path;
  return 0;
}

static void free_kvs(vec_kv *kv, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(kv[i].name);
    free(kv[i].value);
  }
}

void vecfile_close(vecfile *vf)
{
  if (vf->f)
    fclose(vf->f);
  free_kvs(vf->hdr, vf->nhdr);
  free_kvs(vf->fld, vf->nfld);
  free(vf->hdr);
  free(vf->fld);
  free(vf->linebuf);
  free(vf->pending);
  memset(vf, 0, sizeof *vf);
}

char *vec_trim(char *s)
{
  while (isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

int vec_ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *dup_str(const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d)
    memcpy(d, s, n);
  return d;
}

/* Append or replace name = value in a list. Returns 0 or -1 (out of memory). */
static int kv_set(vec_kv **list, size_t *n, size_t *cap, const char *name, const char *value,
                  int replace)
{
  if (replace) {
    for (size_t i = 0; i < *n; i++) {
      if (strcasecmp((*list)[i].name, name) == 0) {
        char *v = dup_str(value);
        if (!v)
          return -1;
        free((*list)[i].value);
        (*list)[i].value = v;
        return 0;
      }
    }
  }
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 16;
    vec_kv *p = realloc(*list, nc * sizeof *p);
    if (!p)
      return -1;
    *list = p;
    *cap = nc;
  }
  (*list)[*n].name = dup_str(name);
  (*list)[*n].value = dup_str(value);
  if (!(*list)[*n].name || !(*list)[*n].value) {
    free((*list)[*n].name);
    free((*list)[*n].value);
    return -1;
  }
  (*n)++;
  return 0;
}

/* "[mod = 1024]" -> header mod=1024; "[ENCRYPT]" -> header ENCRYPT="". */
static int add_header(vecfile *vf, char *line)
{
  if (vf->records_since_header) {
    free_kvs(vf->hdr, vf->nhdr);
    vf->nhdr = 0;
    vf->records_since_header = 0;
  }
  char *end = strrchr(line, ']');
  if (end)
    *end = '\0';
  char *body = line + 1;
  char *eq = strchr(body, '=');
  if (eq) {
    *eq = '\0';
    return kv_set(&vf->hdr, &vf->nhdr, &vf->cap_hdr, vec_trim(body), vec_trim(eq + 1), 1);
  }
  return kv_set(&vf->hdr, &vf->nhdr, &vf->cap_hdr, vec_trim(body), "", 1);
}

/* getline into vf->linebuf: 1 a line, 0 EOF. */
static int read_line(vecfile *vf)
{
  ssize_t got = getline(&vf->linebuf, &vf->linecap, vf->f);
  if (got < 0)
    return 0;
  vf->line++;
  return 1;
}

int vecfile_next(vecfile *vf)
{
  free_kvs(vf->fld, vf->nfld);
  vf->nfld = 0;
  if (vf->pending != NULL) {
    int rc = add_header(vf, vf->pending);
    free(vf->pending);
    vf->pending = NULL;
    if (rc != 0)
      return -1;
  }
  while (read_line(vf)) {
    char *line = vec_trim(vf->linebuf);
    if (*line == '\0') {
      if (vf->nfld > 0)
        break; /* a blank line ends the record */
      continue;
    }
    if (*line == '#')
      continue;
    if (*line == '[') {
      if (vf->nfld > 0) {
        /* A header straight after fields ends the record; it binds to the
         * records that follow, so hold it until the next call. */
        vf->pending = dup_str(line);
        if (vf->pending == NULL)
          return -1;
        break;
      }
      if (add_header(vf, line) != 0)
        return -1;
      continue;
    }
    char *eq = strchr(line, '=');
    if (eq == NULL)
      continue; /* a stray line (some RFC files carry prose); not a field */
    *eq = '\0';
    if (vf->nfld == 0)
      vf->rec_line = vf->line;
    if (kv_set(&vf->fld, &vf->nfld, &vf->cap_fld, vec_trim(line), vec_trim(eq + 1), 0) != 0)
      return -1;
  }
  if (vf->nfld == 0)
    return ferror(vf->f) ? -1 : 0;
  vf->records_since_header = 1;
  return 1;
}

const char *vecfile_get(const vecfile *vf, const char *name)
{
  for (size_t i = 0; i < vf->nfld; i++) {
    if (strcasecmp(vf->fld[i].name, name) == 0)
      return vf->fld[i].value;
  }
  return NULL;
}

const char *vecfile_header(const vecfile *vf, const char *name)
{
  for (size_t i = 0; i < vf->nhdr; i++) {
    if (strcasecmp(vf->hdr[i].name, name) == 0)
      return vf->hdr[i].value;
  }
  return NULL;
}

int vec_hex(const char *text, uint8_t **out, size_t *len)
{
  size_t n = text ? strlen(text) : 0;
  size_t cap = n / 2 + 1;
  uint8_t *buf = malloc(cap);
  if (buf == NULL)
    return -1;
  size_t got = cap;
  if (kl_hex_decode(buf, &got, text ? text : "", n) != KL_OK) {
    free(buf);
    return -1;
  }
  *out = buf;
  *len = got;
  return 0;
}

void vec_result_init(vec_result *r, const char *path, FILE *log)
{
  memset(r, 0, sizeof *r);
  r->path = path;
  r->log = log;
}

void vec_pass(vec_result *r)
{
  r->passed++;
}

static void log_hex(FILE *f, const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%02x", p[i]);
}

void vec_fail(vec_result *r, const vecfile *vf, const char *what, const uint8_t *expected,
              size_t elen, const uint8_t *got, size_t glen)
{
  r->failed++;
  if (r->log == NULL)
    return;
  const char *count = vf ? vecfile_get(vf, "COUNT") : NULL;
  fprintf(r->log, "%s:%u: %s%s%s: expected ", r->path, vf ? vf->rec_line : 0, count ? "COUNT=" : "",
          count ? count : "", count ? " " : "");
  fprintf(r->log, "%s ", what);
  log_hex(r->log, expected, elen);
  fputs(", got ", r->log);
  log_hex(r->log, got, glen);
  fputc('\n', r->log);
}

void vec_fail_msg(vec_result *r, const vecfile *vf, const char *fmt, ...)
{
  r->failed++;
  if (r->log == NULL)
    return;
  const char *count = vf ? vecfile_get(vf, "COUNT") : NULL;
  fprintf(r->log, "%s:%u: %s%s%s", r->path, vf ? vf->rec_line : 0, count ? "COUNT=" : "",
          count ? count : "", count ? ": " : "");
  va_list ap;
  va_start(ap, fmt);
  vfprintf(r->log, fmt, ap);
  va_end(ap);
  fputc('\n', r->log);
}

void vec_skip(vec_result *r, const char *reason)
{
  r->skipped++;
  for (int i = 0; i < VEC_MAX_SKIP_REASONS; i++) {
    if (r->skips[i].count == 0) {
      snprintf(r->skips[i].reason, sizeof r->skips[i].reason, "%s", reason);
      r->skips[i].count = 1;
      return;
    }
    if (strcmp(r->skips[i].reason, reason) == 0) {
      r->skips[i].count++;
      return;
    }
  }
  /* More distinct reasons than slots: count under the last one. */
  r->skips[VEC_MAX_SKIP_REASONS - 1].count++;
}

int vec_check(vec_result *r, const vecfile *vf, const char *what, const uint8_t *expected,
              size_t elen, const uint8_t *got, size_t glen)
{
  if (elen == glen && (elen == 0 || memcmp(expected, got, elen) == 0)) {
    vec_pass(r);
    return 1;
  }
  vec_fail(r, vf, what, expected, elen, got, glen);
  return 0;
}
