/* fuzz_vecfile.c: the vector-file reader (src/testvec/vecfile.c) and the
 * format runners of the table in src/testvec/formats.c.
 * Input: a byte choosing a format (by the base name the file is read
 * under), then the file's bytes, written to a temporary file.
 * Properties:
 *  - differential: the plain reader below, the file shape of vecfile.h read
 *    line by line in memory, gives the same records, fields and headers in
 *    force as vecfile_next, record after record, and the same end;
 *  - the runner of the chosen format takes any file (up to RUN_MAX octets)
 *    without a crash, and counts it the same way twice.
 * The Monte Carlo formats (SHAVS Monte, AESAVS MCT) are left out: each
 * record runs 100,000 iterations of the same code the other formats reach. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "formats.h"
#include "fuzz_util.h"
#include "vecfile.h"

#define RUN_MAX 8192 /* larger files are only read, not run */

static const char *const bases[] = {
  "SHA256ShortMsg.rsp",
  "SHA1LongMsg.rsp",
  "rfc-4231-sha256.txt",
  "rfc-2202-sha1.txt",
  "rfc-5869-HKDF-SHA256.txt",
  "HMAC_DRBG.rsp",
  "sp800-38a-f2-cbc.vec",
  "CBCGFSbox256.rsp",
  "CBCMMT128.rsp",
  "KeyGenRSA.rsp",
  "oaep-vect.txt",
  "oaep-int.txt",
  "pss-vect.txt",
  "pss-int.txt",
  "pkcs1v15sign-vectors.txt",
  "oaep-sha256.txt",
  "oaep-label.txt",
  "SigGen15_186-3.rsp",
  "SigGenPSS_186-3.rsp",
  "SigGenPSS_186-3.txt",
  "SigVer15_186-3.rsp",
  "SigVerPSS_186-3.rsp",
};
#define NBASES (sizeof bases / sizeof bases[0])

static char path[64];

static void remove_file(void)
{
  unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  const char *dir = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/fuzz_vecfile.XXXXXX",
           dir != NULL && strlen(dir) < 40 ? dir : "/tmp");
  int fd = mkstemp(path);
  fz_require(fd >= 0, "a temporary file");
  close(fd);
  atexit(remove_file);
  return 0;
}

/* ---- the plain reader ---- */

typedef struct kv_list {
  char **name, **value;
  size_t n, cap;
} kv_list;

typedef struct plain_file {
  const uint8_t *p;
  size_t n, pos;
  kv_list hdr, fld;
  int records_since_header;
  char *pending;
} plain_file;

static char *copy(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  fz_require(d != NULL, "memory");
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static void list_clear(kv_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->name[i]);
    free(l->value[i]);
  }
  l->n = 0;
}

static void list_free(kv_list *l)
{
  list_clear(l);
  free(l->name);
  free(l->value);
}

/* Append name = value; with replace, an entry of that name (in any case) is
 * given the new value instead. */
static void list_set(kv_list *l, const char *name, const char *value, int replace)
{
  for (size_t i = 0; replace && i < l->n; i++) {
    if (strcasecmp(l->name[i], name) == 0) {
      free(l->value[i]);
      l->value[i] = copy(value, strlen(value));
      return;
    }
  }
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->name = realloc(l->name, l->cap * sizeof *l->name);
    l->value = realloc(l->value, l->cap * sizeof *l->value);
    fz_require(l->name != NULL && l->value != NULL, "memory");
  }
  l->name[l->n] = copy(name, strlen(name));
  l->value[l->n] = copy(value, strlen(value));
  l->n++;
}

/* White space (isspace) off both ends, in place. */
static char *trim(char *s)
{
  while (*s != '\0' && isspace((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  return s;
}

/* "[name = value]" or "[name]": the headers in force after a record are
 * replaced by the run of headers that follows it. */
static void header(plain_file *f, char *line)
{
  if (f->records_since_header) {
    list_clear(&f->hdr);
    f->records_since_header = 0;
  }
  char *close = strrchr(line, ']');
  if (close != NULL)
    *close = '\0';
  char *body = line + 1, *eq = strchr(body, '=');
  if (eq != NULL) {
    *eq = '\0';
    list_set(&f->hdr, trim(body), trim(eq + 1), 1);
  } else {
    list_set(&f->hdr, trim(body), "", 1);
  }
}

/* The next line as a C string (it ends at an LF, and as a C string at a NUL),
 * malloc'd; NULL at the end of the file. */
static char *next_line(plain_file *f)
{
  if (f->pos >= f->n)
    return NULL;
  const uint8_t *start = f->p + f->pos;
  const uint8_t *lf = memchr(start, '\n', f->n - f->pos);
  size_t len = lf != NULL ? (size_t)(lf - start) : f->n - f->pos;
  f->pos += len + (lf != NULL);
  const uint8_t *nul = memchr(start, '\0', len);
  return copy((const char *)start, nul != NULL ? (size_t)(nul - start) : len);
}

/* 1 a record, 0 the end. */
static int plain_next(plain_file *f)
{
  list_clear(&f->fld);
  if (f->pending != NULL) {
    header(f, f->pending);
    free(f->pending);
    f->pending = NULL;
  }
  char *buf;
  while ((buf = next_line(f)) != NULL) {
    char *line = trim(buf);
    int stop = 0;
    if (*line == '\0' || *line == '#') {
      stop = *line == '\0' && f->fld.n > 0;
    } else if (*line == '[') {
      if (f->fld.n > 0) {
        f->pending = copy(line, strlen(line));
        stop = 1;
      } else {
        header(f, line);
      }
    } else {
      char *eq = strchr(line, '=');
      if (eq != NULL) {
        *eq = '\0';
        list_set(&f->fld, trim(line), trim(eq + 1), 0);
      }
    }
    free(buf);
    if (stop)
      break;
  }
  if (f->fld.n == 0)
    return 0;
  f->records_since_header = 1;
  return 1;
}

static void same_list(const kv_list *l, const vec_kv *kv, size_t n, const char *what)
{
  fz_require(l->n == n, what);
  for (size_t i = 0; i < n; i++) {
    fz_require(strcmp(l->name[i], kv[i].name) == 0, what);
    fz_require(strcmp(l->value[i], kv[i].value) == 0, what);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  const char *base = bases[fz_byte(&in) % NBASES];
  FILE *out = fopen(path, "wb");
  fz_require(out != NULL && fwrite(in.p, 1, in.n, out) == in.n && fclose(out) == 0,
             "write the temporary file");

  vecfile vf;
  fz_require(vecfile_open(&vf, path) == 0, "open");
  plain_file pf;
  memset(&pf, 0, sizeof pf);
  pf.p = in.p;
  pf.n = in.n;
  for (;;) {
    int got = vecfile_next(&vf);
    int want = plain_next(&pf);
    fz_require(got == want, "the same records as the plain reading");
    if (got != 1)
      break;
    same_list(&pf.fld, vf.fld, vf.nfld, "the same fields");
    same_list(&pf.hdr, vf.hdr, vf.nhdr, "the same headers in force");
    const char *v = vecfile_get(&vf, pf.fld.name[0]);
    fz_require(v != NULL && strcmp(v, pf.fld.value[0]) == 0, "vecfile_get finds a field");
  }
  vecfile_close(&vf);
  list_free(&pf.hdr);
  list_free(&pf.fld);
  free(pf.pending);

  if (in.n <= RUN_MAX) {
    const vec_format *f = vec_format_find_as(path, base);
    if (f != NULL && strstr(f->name, "Monte") == NULL && strstr(f->name, "MCT") == NULL) {
      /* Twice: the same file gives the same counts (nothing carried over
       * from one run to the next, nothing read that was not written). */
      vec_result r1, r2;
      vec_result_init(&r1, path, NULL);
      f->run(path, base, &r1);
      vec_result_init(&r2, path, NULL);
      f->run(path, base, &r2);
      fz_require(r1.passed == r2.passed && r1.failed == r2.failed && r1.skipped == r2.skipped &&
                   r1.file_error == r2.file_error,
                 "the runner counts the same file the same way twice");
    }
  }
  return 0;
}
