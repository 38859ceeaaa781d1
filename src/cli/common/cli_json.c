/* cli_json.c: --json output (RFC 8259), built with jansson. The cj_* calls
 * build a json_t tree, keeping the objects and arrays still open on a small
 * stack; cj_finish writes the tree compactly on one line and frees it.
 *
 * The harness parses this output, so it keeps, byte for byte, the spelling
 * the command has always used. jansson's own differs in a few places, which
 * cj_finish puts back while it writes (see restyle below):
 *  - control characters: jansson writes \b, \f and \u001B; ours are \u0008,
 *    \u000c and \u001b (\n, \r and \t are the same in both);
 *  - numbers: cj_double prints "%.6g" (1, 1e+06, null for NaN and infinity)
 *    where a jansson real would read 1.0 and 1e6, and refuses NaN; jansson's
 *    integers stop at INT64_MAX where cj_uint goes on to UINT64_MAX.
 * Such a number goes into the tree as a JSON null, its text into
 * j->verbatim; each null is replaced with the next text when written.
 * "/" and non-ASCII characters are written as they are, as before.
 * Strings must be UTF-8 (RFC 8259 §8.1): an invalid byte becomes U+FFFD. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if KL_HAVE_MALLOC_USABLE_SIZE
#include <malloc.h>
#endif

#include "cli.h"

/* Secrets: the tree holds whatever the command prints, traced values of
 * private keys included. jansson's free is not told a block's size, so where
 * the C library can tell (malloc_usable_size) every block jansson frees is
 * wiped first. The allocator is the whole process's: the REST transport's
 * blocks are wiped too, and blocks taken before cj_init came from plain
 * malloc as well, so wiping them on free is sound. Elsewhere the tree is
 * freed unwiped. */
#if KL_HAVE_MALLOC_USABLE_SIZE
static void wiping_free(void *p)
{
  if (p == NULL)
    return;
  kl_wipe(p, malloc_usable_size(p));
  free(p);
}
#endif

void cj_init(cli_json *j, FILE *f)
{
#if KL_HAVE_MALLOC_USABLE_SIZE
  json_set_alloc_funcs(malloc, wiping_free);
#endif
  memset(j, 0, sizeof *j);
  j->f = f;
}

/* Put v (a new reference, or NULL when jansson could not allocate it) into
 * the innermost open container, under key in an object; with nothing open, v
 * is the top-level value. Returns 0 when v is in the tree. A value the
 * writer has no place for (a second top-level value, no key in an object, or
 * deeper than CJ_MAX_DEPTH) is dropped; a failed allocation sets j->failed. */
static int add(cli_json *j, const char *key, json_t *v)
{
  if (v == NULL) {
    j->failed = 1;
    return -1;
  }
  json_t *parent = NULL;
  if (j->depth == 0 && j->root == NULL) {
    j->root = v;
    return 0;
  }
  if (j->depth > 0 && j->depth <= CJ_MAX_DEPTH)
    parent = j->open[j->depth - 1];
  int rc = -1;
  if (parent != NULL && json_is_array(parent)) {
    rc = json_array_append_new(parent, v);
  } else if (parent != NULL && key != NULL) {
    rc = json_object_set_new(parent, key, v); /* takes v even when it fails */
  } else {
    json_decref(v);
    return -1;
  }
  if (rc != 0)
    j->failed = 1;
  return rc;
}

/* A number written as text: a null in the tree, text in j->verbatim. */
static void add_verbatim(cli_json *j, const char *key, const char *text)
{
  if (j->n_verbatim == j->cap_verbatim) {
    size_t cap = j->cap_verbatim ? 2 * j->cap_verbatim : 16;
    char(*grown)[CJ_NUMBER_MAX] = realloc(j->verbatim, cap * sizeof *grown);
    if (grown == NULL) {
      j->failed = 1;
      return;
    }
    j->verbatim = grown;
    j->cap_verbatim = cap;
  }
  if (add(j, key, json_null()) == 0) {
    snprintf(j->verbatim[j->n_verbatim], CJ_NUMBER_MAX, "%s", text);
    j->n_verbatim++;
  }
}

static void open_container(cli_json *j, const char *key, json_t *v)
{
  /* add() may free v, so hold a reference of our own across it */
  json_incref(v);
  int rc = add(j, key, v);
  if (j->depth < CJ_MAX_DEPTH)
    j->open[j->depth] = rc == 0 ? v : NULL;
  j->depth++;
  json_decref(v); /* the parent, or j->root, holds v now */
}

static void close_container(cli_json *j)
{
  if (j->depth > 0)
    j->depth--;
}

void cj_object_begin(cli_json *j, const char *key)
{
  open_container(j, key, json_object());
}
void cj_object_end(cli_json *j)
{
  close_container(j);
}
void cj_array_begin(cli_json *j, const char *key)
{
  open_container(j, key, json_array());
}
void cj_array_end(cli_json *j)
{
  close_container(j);
}

/* RFC 3629 §4: the length of the well-formed UTF-8 character at s[0..n),
 * or 0 if the bytes there are not one (overlong forms, surrogates and code
 * points above U+10FFFF are not). */
static size_t utf8_char_len(const unsigned char *s, size_t n)
{
  unsigned char lo = 0x80, hi = 0xBF; /* where the second byte may lie */
  size_t len;
  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    len = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    len = 3;
    if (s[0] == 0xE0)
      lo = 0xA0;
    if (s[0] == 0xED)
      hi = 0x9F;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    len = 4;
    if (s[0] == 0xF0)
      lo = 0x90;
    if (s[0] == 0xF4)
      hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi)
    return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xBF)
      return 0;
  return len;
}

/* A JSON string of s[0..n), NUL bytes included; every byte that does not
 * start a well-formed UTF-8 character becomes U+FFFD. */
static json_t *new_string(const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t bad = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_char_len(u + i, n - i);
    bad += len == 0;
    i += len == 0 ? 1 : len;
  }
  if (bad == 0)
    return json_stringn_nocheck(s, n);
  size_t m = n + 2 * bad; /* each bad byte grows to the 3 bytes of U+FFFD */
  unsigned char *fixed = malloc(m);
  if (fixed == NULL)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_char_len(u + i, n - i);
    if (len == 0) {
      memcpy(fixed + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else {
      memcpy(fixed + o, u + i, len);
      o += len;
      i += len;
    }
  }
  json_t *v = json_stringn_nocheck((const char *)fixed, m);
  kl_wipe(fixed, m);
  free(fixed);
  return v;
}

void cj_string(cli_json *j, const char *key, const char *s)
{
  add(j, key, new_string(s, strlen(s)));
}

void cj_string_n(cli_json *j, const char *key, const char *s, size_t n)
{
  add(j, key, new_string(s, n));
}

void cj_hex(cli_json *j, const char *key, const uint8_t *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  if (len > (SIZE_MAX - 1) / 2) {
    j->failed = 1;
    return;
  }
  char *hex = malloc(2 * len + 1);
  if (hex == NULL) {
    j->failed = 1;
    return;
  }
  for (size_t i = 0; i < len; i++) {
    hex[2 * i] = digits[data[i] >> 4];
    hex[2 * i + 1] = digits[data[i] & 15];
  }
  add(j, key, json_stringn_nocheck(hex, 2 * len));
  kl_wipe(hex, 2 * len + 1);
  free(hex);
}

void cj_int(cli_json *j, const char *key, long long v)
{
  add(j, key, json_integer(v));
}

void cj_uint(cli_json *j, const char *key, unsigned long long v)
{
  if (v <= INT64_MAX) {
    add(j, key, json_integer((json_int_t)v));
  } else {
    char text[CJ_NUMBER_MAX];
    snprintf(text, sizeof text, "%llu", v);
    add_verbatim(j, key, text);
  }
}

void cj_double(cli_json *j, const char *key, double v)
{
  char text[CJ_NUMBER_MAX];
  if (isfinite(v))
    snprintf(text, sizeof text, "%.6g", v);
  else
    snprintf(text, sizeof text, "null"); /* JSON has no NaN or infinity */
  add_verbatim(j, key, text);
}

void cj_bool(cli_json *j, const char *key, int v)
{
  add(j, key, json_boolean(v));
}

void cj_null(cli_json *j, const char *key)
{
  add_verbatim(j, key, "null"); /* every null in the tree stands for a verbatim text */
}

/* jansson's output on its way to the file, respelled as described at the
 * top: escapes in strings, and each null outside strings replaced with the
 * next verbatim text. With JSON_COMPACT jansson writes no spaces, so outside
 * strings an 'n' can only start "null". */
typedef struct restyler {
  cli_json *j;
  size_t next; /* next verbatim text */
  enum {
    OUTSIDE,
    IN_STRING,
    AFTER_BACKSLASH,
    IN_HEX
  } state;
  int left; /* "null" or hex bytes left */
} restyler;

static int restyle(const char *buffer, size_t size, void *data)
{
  restyler *r = data;
  FILE *f = r->j->f;
  for (size_t i = 0; i < size; i++) {
    int c = (unsigned char)buffer[i];
    switch (r->state) {
    case OUTSIDE:
      if (r->left > 0) { /* the rest of "null" */
        r->left--;
        continue;
      }
      if (c == 'n') {
        fputs(r->next < r->j->n_verbatim ? r->j->verbatim[r->next++] : "null", f);
        r->left = 3;
        continue;
      }
      if (c == '"')
        r->state = IN_STRING;
      break;
    case IN_STRING:
      if (c == '\\')
        r->state = AFTER_BACKSLASH;
      else if (c == '"')
        r->state = OUTSIDE;
      break;
    case AFTER_BACKSLASH:
      r->state = IN_STRING;
      if (c == 'b') {
        fputs("u0008", f);
        continue;
      }
      if (c == 'f') {
        fputs("u000c", f);
        continue;
      }
      if (c == 'u') {
        r->state = IN_HEX;
        r->left = 4;
      }
      break;
    case IN_HEX:
      c = tolower(c);
      if (--r->left == 0)
        r->state = IN_STRING;
      break;
    }
    fputc(c, f);
  }
  return ferror(f) ? -1 : 0;
}

/* Column by column for "hex": FIPS 197 §3.4 reads a State in[r + 4c]. */
void cj_matrix(cli_json *j, const char *key, const uint8_t *m, unsigned rows, unsigned cols)
{
  size_t n = (size_t)rows * cols;
  uint8_t *by_column = malloc(n > 0 ? n : 1);
  if (by_column == NULL) {
    j->failed = 1;
    return;
  }
  for (unsigned c = 0; c < cols; c++) {
    for (unsigned r = 0; r < rows; r++)
      by_column[(size_t)c * rows + r] = m[(size_t)r * cols + c];
  }
  cj_object_begin(j, key);
  cj_hex(j, "hex", by_column, n);
  cj_array_begin(j, "rows");
  for (unsigned r = 0; r < rows; r++)
    cj_hex(j, NULL, m + (size_t)r * cols, cols);
  cj_array_end(j);
  cj_object_end(j);
  kl_wipe(by_column, n);
  free(by_column);
}

void cj_decimal(cli_json *j, const char *key, long long v)
{
  char text[CJ_NUMBER_MAX];
  snprintf(text, sizeof text, "%lld", v);
  cj_string(j, key, text);
}

void cj_udecimal(cli_json *j, const char *key, unsigned long long v)
{
  char text[CJ_NUMBER_MAX];
  snprintf(text, sizeof text, "%llu", v);
  cj_string(j, key, text);
}

void cj_command_begin(cli_json *j, const char *command)
{
  cj_object_begin(j, NULL);
  cj_string(j, "command", command);
  cj_string(j, "version", kl_version());
}

int cj_finish(cli_json *j)
{
  int rc = -1;
  if (j->failed) {
    fputs("kexlab: the --json output could not be built (out of memory)\n", stderr);
  } else {
    restyler r = {j, 0, OUTSIDE, 0};
    rc = 0;
    if (j->root != NULL)
      rc = json_dump_callback(j->root, restyle, &r, JSON_COMPACT | JSON_ENCODE_ANY);
    fputc('\n', j->f);
    if (fflush(j->f) != 0)
      rc = -1;
  }
  json_decref(j->root); /* the wiping free runs on every block */
  free(j->verbatim);
  FILE *f = j->f;
  memset(j, 0, sizeof *j);
  j->f = f;
  return rc;
}

void cj_discard(cli_json *j)
{
  json_decref(j->root); /* the wiping free runs on every block */
  free(j->verbatim);
  FILE *f = j->f;
  memset(j, 0, sizeof *j);
  j->f = f;
}
