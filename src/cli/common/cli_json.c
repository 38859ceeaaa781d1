/* cli_json.c: a minimal streaming JSON writer for --json output (RFC 8259).
 * It tracks how many members each open object or array has, so callers never
 * write commas themselves. Output is compact: one value, one line. */
#include <math.h>
#include <string.h>

#include "cli.h"

void cj_init(cli_json *j, FILE *f)
{
  j->f = f;
  j->depth = 0;
  memset(j->count, 0, sizeof j->count);
}

/* RFC 8259 §7: escape '"', '\\' and control characters. */
static void put_string(FILE *f, const char *s, size_t n)
{
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      fputc('\\', f);
      fputc(c, f);
    } else if (c == '\n') {
      fputs("\\n", f);
    } else if (c == '\t') {
      fputs("\\t", f);
    } else if (c == '\r') {
      fputs("\\r", f);
    } else if (c < 0x20) {
      fprintf(f, "\\u%04x", c);
    } else {
      fputc(c, f);
    }
  }
  fputc('"', f);
}

/* Comma if needed, then "key": when a key is given. */
static void member(cli_json *j, const char *key)
{
  if (j->count[j->depth] > 0)
    fputc(',', j->f);
  j->count[j->depth]++;
  if (key != NULL) {
    put_string(j->f, key, strlen(key));
    fputc(':', j->f);
  }
}

static void open_scope(cli_json *j, const char *key, char bracket)
{
  member(j, key);
  fputc(bracket, j->f);
  if (j->depth < 63)
    j->depth++;
  j->count[j->depth] = 0;
}

static void close_scope(cli_json *j, char bracket)
{
  fputc(bracket, j->f);
  if (j->depth > 0)
    j->depth--;
}

void cj_object_begin(cli_json *j, const char *key) { open_scope(j, key, '{'); }
void cj_object_end(cli_json *j) { close_scope(j, '}'); }
void cj_array_begin(cli_json *j, const char *key) { open_scope(j, key, '['); }
void cj_array_end(cli_json *j) { close_scope(j, ']'); }

void cj_string(cli_json *j, const char *key, const char *s)
{
  member(j, key);
  put_string(j->f, s, strlen(s));
}

void cj_string_n(cli_json *j, const char *key, const char *s, size_t n)
{
  member(j, key);
  put_string(j->f, s, n);
}

void cj_hex(cli_json *j, const char *key, const uint8_t *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  member(j, key);
  fputc('"', j->f);
  for (size_t i = 0; i < len; i++) {
    fputc(digits[data[i] >> 4], j->f);
    fputc(digits[data[i] & 15], j->f);
  }
  fputc('"', j->f);
}

void cj_int(cli_json *j, const char *key, long long v)
{
  member(j, key);
  fprintf(j->f, "%lld", v);
}

void cj_uint(cli_json *j, const char *key, unsigned long long v)
{
  member(j, key);
  fprintf(j->f, "%llu", v);
}

void cj_double(cli_json *j, const char *key, double v)
{
  member(j, key);
  if (isfinite(v))
    fprintf(j->f, "%.6g", v);
  else
    fputs("null", j->f); /* JSON has no NaN or infinity */
}

void cj_bool(cli_json *j, const char *key, int v)
{
  member(j, key);
  fputs(v ? "true" : "false", j->f);
}

void cj_null(cli_json *j, const char *key)
{
  member(j, key);
  fputs("null", j->f);
}

void cj_finish(cli_json *j)
{
  fputc('\n', j->f);
  fflush(j->f);
}
