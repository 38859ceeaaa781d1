/* vecfile.h: reader for test-vector files in the NIST CAVP shape, and the
 * result record every `kexlab vectors` format fills (formats.h lists them).
 * The shape (CAVP .rsp files, the RFC files of the vector package, and our own
 * vectors/local/ files):
 *   # comment                     ignored anywhere
 *   [ENCRYPT]  or  [mod = 1024]   a header; a run of headers after records
 *                                 replaces the headers in force
 *   NAME = value                  a field of the current record
 *   (blank line)                  ends the record
 * Traps the handlers must know (documented where they are handled):
 *   - SHA*Msg.rsp: Len counts BITS, and Len = 0 comes with Msg = 00;
 *   - HMAC.rsp truncates Mac to Tlen bytes;
 *   - CBC/ECB files split [ENCRYPT] and [DECRYPT];
 *   - Monte files start with a Seed (or KEY/IV/PLAINTEXT) record. */
#ifndef KL_CLI_VECFILE_H
#define KL_CLI_VECFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct vec_kv {
  char *name;
  char *value;
} vec_kv;

typedef struct vecfile {
  FILE *f;
  const char *path;
  unsigned line;     /* current line number, 1-based */
  unsigned rec_line; /* line where the current record starts */
  vec_kv *hdr;       /* headers in force */
  size_t nhdr, cap_hdr;
  vec_kv *fld; /* fields of the current record */
  size_t nfld, cap_fld;
  int records_since_header;
  char *linebuf;
  size_t linecap;
  char *pending; /* a header line read ahead, applied on the next call */
} vecfile;

/* 0 on success, -1 if the file cannot be opened (errno set). */
int vecfile_open(vecfile *vf, const char *path);
/* Read the next record: 1 a record (fields in vf->fld), 0 end of file, -1 error. */
int vecfile_next(vecfile *vf);
/* The value of a field of the current record (name compared case-insensitively), or NULL. */
const char *vecfile_get(const vecfile *vf, const char *name);
/* The value of a header in force ("" for [ENCRYPT]-style headers), or NULL. */
const char *vecfile_header(const vecfile *vf, const char *name);
void vecfile_close(vecfile *vf);

/* Decode a hex field; "" and a NULL text give an empty buffer. *out is malloc'd
 * (at least 1 byte). Returns 0, or -1 for bad hex. */
int vec_hex(const char *text, uint8_t **out, size_t *len);
/* Strip leading and trailing white space in place; returns the first kept character. */
char *vec_trim(char *s);
/* 1 if the file name s ends with suffix (".rsp"): how formats are recognised. */
int vec_ends_with(const char *s, const char *suffix);

/* ---- results ---- */
#define VEC_MAX_SKIP_REASONS 8

typedef struct vec_result {
  const char *path;
  char format[64]; /* the recognised format, e.g. "SHAVS ShortMsg (SHA-256)" */
  unsigned long passed, failed, skipped;
  struct {
    char reason[96];
    unsigned long count;
  } skips[VEC_MAX_SKIP_REASONS];
  FILE *log;      /* failure details go here; NULL for quiet */
  int file_error; /* the file could not be read or parsed */
} vec_result;

void vec_result_init(vec_result *r, const char *path, FILE *log);
/* Count one passing case. */
void vec_pass(vec_result *r);
/* Count one failing case, and log "<path>:<line>: <what>: expected X, got Y". */
void vec_fail(vec_result *r, const vecfile *vf, const char *what, const uint8_t *expected,
              size_t elen, const uint8_t *got, size_t glen);
/* Count one failing case with a message only. */
void vec_fail_msg(vec_result *r, const vecfile *vf, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));
/* Count one skipped case under a reason ("SHA-224 not supported"). */
void vec_skip(vec_result *r, const char *reason);
/* Compare and count: pass if equal, else vec_fail. Returns 1 if equal. */
int vec_check(vec_result *r, const vecfile *vf, const char *what, const uint8_t *expected,
              size_t elen, const uint8_t *got, size_t glen);

#endif
