/* cli.h: what every `kexlab` subcommand shares. The CLI sees only the public
 * API (include/kexlab); this header adds argument, file, hex, JSON and trace
 * helpers so that each cmd_<name>.c is only about its own command.
 * Exit status (an interface the lab harness relies on):
 *   0 success, 1 a cryptographic or verification failure, 2 usage or input error.
 * Errors go to stderr as one line: "kexlab <cmd>: <message>". */
#ifndef KL_CLI_H
#define KL_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kexlab/kexlab.h"

enum {
  KL_EXIT_OK = 0,
  KL_EXIT_FAIL = 1,
  KL_EXIT_USAGE = 2
};

/* A subcommand: argv[0] is its name ("hash"), exit status returned. */
typedef int cli_cmd_fn(int argc, char **argv);

/* ---- messages ---- */
/* Print "kexlab <cmd>: <message>\n" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_error and return KL_EXIT_USAGE; adds "(try 'kexlab <cmd> --help')". */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit status for a library error: 1 for KL_ERR_DECRYPT/KL_ERR_VERIFY/
 * KL_ERR_INTERNAL/KL_ERR_RNG, 2 for everything else (bad input). */
int cli_exit_for(kl_err err);
/* A library call failed: print "kexlab <cmd>: <kl_strerror(err)>" and return
 * cli_exit_for(err). */
int cli_lib_error(const char *cmd, kl_err err);
/* Unknown-option handler for getopt_long's '?' and ':' returns. */
int cli_bad_option(const char *cmd, int argc, char **argv);
/* Reset getopt so each subcommand parses from argv[1]. */
void cli_getopt_reset(void);
/* For a command this build does not have (no REST transport): a usage error. */
int cli_not_available(const char *what);

/* ---- input and output ---- */
/* Read all of path ("-" is standard input) into a malloc'd buffer (*buf may be
 * NULL when *len is 0). Limit: 1 GiB. Prints its own error; returns KL_EXIT_*. */
int cli_read_file(const char *cmd, const char *path, uint8_t **buf, size_t *len);
/* As cli_read_file, then, if hex is set, strip ASCII whitespace and hex-decode. */
int cli_read_input(const char *cmd, const char *path, int hex, uint8_t **buf, size_t *len);
/* Write data to path ("-" or NULL is standard output); with hex, as one line of
 * lower-case hex. Prints its own error; returns KL_EXIT_*. */
int cli_write_output(const char *cmd, const char *path, int hex, const uint8_t *data, size_t len);
/* Free and wipe a buffer from the functions above. */
void cli_free(uint8_t *buf, size_t len);

/* ---- argument parsing ---- */
/* Decode a hex option value; "" is the empty string (valid: empty keys, labels).
 * *out is malloc'd (never NULL on success). Prints its own error. */
int cli_parse_hex(const char *cmd, const char *opt, const char *text, uint8_t **out, size_t *len);
/* Strict decimal (no sign, no spaces, no trailing text) in [min, max]. */
int cli_parse_size(const char *cmd, const char *opt, const char *text, size_t min, size_t max,
                   size_t *out);
/* Print hex of data then '\n' to f. */
void cli_print_hex(FILE *f, const uint8_t *data, size_t len);

/* ---- the generator of a --seed option (cli_rng.c) ---- */
/* seed_hex NULL (no --seed): *rng is the OS generator. Otherwise *rng is an
 * HMAC_DRBG kept in *drbg (kl_rng_seeded) seeded with the hex bytes, and,
 * when warning is not NULL, "kexlab <cmd>: warning: <warning>" goes to stderr.
 * Bad hex or an empty seed: a usage error ("--seed: give at least one byte of
 * hex"). Returns KL_EXIT_*. Secrets: the decoded seed is wiped; the caller
 * calls kl_hmac_drbg_clear(drbg) when done with a seeded generator. */
int cli_rng_setup(const char *cmd, const char *seed_hex, const char *warning, kl_rng *rng,
                  kl_hmac_drbg *drbg);

/* ---- JSON output (--json) ---- */
/* The --json writer (cli_json.c): the calls build a jansson tree, and
 * cj_finish writes it on one line, compact, in the order the calls came.
 * Keys are NULL inside arrays and at top level. Strings are escaped per
 * RFC 8259 §7, "/" and non-ASCII left as they are; bytes that are not UTF-8
 * become U+FFFD. cj_double prints "%.6g", or null when not finite. Nothing is
 * written before cj_finish. */
enum {
  CJ_MAX_DEPTH = 64, /* objects and arrays open at once; deeper values are dropped */
  CJ_NUMBER_MAX = 32 /* room for the text of one number */
};
struct json_t;
typedef struct cli_json {
  FILE *f;
  struct json_t *root;               /* the top-level value */
  struct json_t *open[CJ_MAX_DEPTH]; /* the objects and arrays open, innermost last */
  int depth;                         /* how many are open */
  /* Numbers jansson would spell differently (cli_json.c): null in the tree,
   * their text here, in order. */
  char (*verbatim)[CJ_NUMBER_MAX];
  size_t n_verbatim, cap_verbatim;
  int failed; /* an allocation failed: cj_finish writes nothing */
} cli_json;

void cj_init(cli_json *j, FILE *f);
/* The envelope every command's --json output shares (docs/json.md): open the
 * top-level object and write "command" (the command line's words, e.g.
 * "demo aes", "prime test") and "version" (kl_version()). The caller adds its
 * own members, then cj_object_end and cj_finish. */
void cj_command_begin(cli_json *j, const char *command);
void cj_object_begin(cli_json *j, const char *key);
void cj_object_end(cli_json *j);
void cj_array_begin(cli_json *j, const char *key);
void cj_array_end(cli_json *j);
void cj_string(cli_json *j, const char *key, const char *s);
void cj_string_n(cli_json *j, const char *key, const char *s, size_t n);
void cj_hex(cli_json *j, const char *key, const uint8_t *data, size_t len);
void cj_int(cli_json *j, const char *key, long long v);
void cj_uint(cli_json *j, const char *key, unsigned long long v);
void cj_double(cli_json *j, const char *key, double v);
void cj_bool(cli_json *j, const char *key, int v);
void cj_null(cli_json *j, const char *key);
/* An integer as the contract writes every integer: a decimal string ("17"). */
void cj_decimal(cli_json *j, const char *key, long long v);
void cj_udecimal(cli_json *j, const char *key, unsigned long long v);
/* A rows x cols byte matrix m (row-major, m[r * cols + c]) as
 * {"hex": its bytes column by column, "rows": [row 0, row 1, ...]};
 * a 4x4 AES State so reads as FIPS 197 prints it. */
void cj_matrix(cli_json *j, const char *key, const uint8_t *m, unsigned rows, unsigned cols);
/* Writes the value with a newline, flushes, and frees the tree (every block
 * wiped). Returns 0, or -1 when writing failed or an allocation failed (then
 * nothing is written and stderr says so). Secrets: strings in the tree, such
 * as traced private-key values, are wiped when freed. */
int cj_finish(cli_json *j);
/* Drop everything built since cj_init without writing it: for a command that
 * fails after its --json output was begun (the error goes to stderr alone). */
void cj_discard(cli_json *j);

/* ---- trace printers ---- */
/* A kl_tracer user state that prints every value, either as text lines
 *   "<name> = <hex>" / "<name> = <decimal>" / 4x4 matrices as rows,
 * or as the JSON trace records of docs/json.md,
 *   {"name", "label", "index" (decimal string, when the value has one),
 *    "kind", then one of "hex" | "int" | "matrix" | "text"},
 * appended to the array the caller opened in j. Integers print in decimal
 * (with '-' when negative), so the n = 3233 numbers read as in the article. */
typedef struct cli_tracer {
  FILE *f;     /* text mode when j == NULL */
  cli_json *j; /* JSON mode: values go into the array currently open in j */
  const char *indent;
} cli_tracer;

/* Fill tr so that it prints through ct. */
void cli_tracer_init(kl_tracer *tr, cli_tracer *ct, FILE *f, cli_json *j);
/* The name of a traced value as both printers write it: "label[index]"
 * ("W[16]", "w[4]"), "label" when it has no index ("mHash"), and for a matrix
 * (an AES State after a step of round r) FIPS 197 Appendix C's
 * "round[%2d].label" ("round[ 1].s_box"). Writes at most size bytes with the
 * NUL, as snprintf; returns the length it wanted. */
enum {
  CLI_TRACE_NAME_MAX = 96
};
size_t cli_trace_name(const kl_trace_value *v, char *buf, size_t size);
/* Decimal text of a KL_TRACE_INT value (sign included), malloc'd. */
char *cli_trace_int_decimal(const kl_trace_value *v);
/* The warning banner printed before any trace that may show secrets. */
void cli_trace_banner(FILE *f);

#endif
