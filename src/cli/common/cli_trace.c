/* cli_trace.c: print kl_trace values, as text for people or JSON for the lab
 * harness (docs/json.md). Integers print in decimal so the n = 3233 demo
 * reads like the article; byte strings in hex; matrices as rows (FIPS 197
 * draws the state as 4 rows of 4 bytes). Both forms name a value the same
 * way (cli_trace_name): "W[16]", "mHash", and for a State the FIPS 197
 * Appendix C form "round[ 1].s_box". */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_trace_int_decimal(const kl_trace_value *v)
{
  mpz_t x;
  mpz_init(x);
  if (v->len > 0)
    mpz_import(x, v->len, 1, 1, 1, 0, v->bytes);
  if (v->negative)
    mpz_neg(x, x);
  char *s = mpz_get_str(NULL, 10, x);
  mpz_clear(x);
  /* mpz_get_str allocated through GMP's (wiping) allocator; copy to malloc so
   * the caller can use plain free(). */
  size_t n = strlen(s) + 1;
  char *out = malloc(n);
  if (out != NULL)
    memcpy(out, s, n);
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(s, n);
  return out;
}

size_t cli_trace_name(const kl_trace_value *v, char *buf, size_t size)
{
  int n;
  if (v->kind == KL_TRACE_MATRIX && v->index >= 0)
    n = snprintf(buf, size, "round[%2d].%s", v->index, v->label);
  else if (v->index >= 0)
    n = snprintf(buf, size, "%s[%d]", v->label, v->index);
  else
    n = snprintf(buf, size, "%s", v->label);
  return n < 0 ? 0 : (size_t)n;
}

static void print_text(cli_tracer *ct, const kl_trace_value *v)
{
  FILE *f = ct->f;
  const char *indent = ct->indent ? ct->indent : "";
  char name[CLI_TRACE_NAME_MAX];
  cli_trace_name(v, name, sizeof name);
  fprintf(f, "%s%s = ", indent, name);
  switch (v->kind) {
  case KL_TRACE_INT: {
    char *s = cli_trace_int_decimal(v);
    fprintf(f, "%s\n", s ? s : "?");
    free(s);
    break;
  }
  case KL_TRACE_MATRIX:
    fputc('\n', f);
    for (unsigned r = 0; r < v->rows; r++) {
      fprintf(f, "%s    ", indent);
      for (unsigned c = 0; c < v->cols; c++)
        fprintf(f, "%02x%s", v->bytes[r * v->cols + c], c + 1 < v->cols ? " " : "\n");
    }
    break;
  case KL_TRACE_TEXT:
    fprintf(f, "%.*s\n", (int)v->len, (const char *)v->bytes);
    break;
  case KL_TRACE_BYTES:
  default:
    cli_print_hex(f, v->bytes, v->len);
    break;
  }
}

static const char *kind_name(kl_trace_kind k)
{
  switch (k) {
  case KL_TRACE_INT:
    return "int";
  case KL_TRACE_MATRIX:
    return "matrix";
  case KL_TRACE_TEXT:
    return "text";
  case KL_TRACE_BYTES:
  default:
    return "bytes";
  }
}

static void print_json(cli_tracer *ct, const kl_trace_value *v)
{
  cli_json *j = ct->j;
  char name[CLI_TRACE_NAME_MAX];
  cli_trace_name(v, name, sizeof name);
  cj_object_begin(j, NULL);
  cj_string(j, "name", name);
  cj_string(j, "label", v->label);
  if (v->index >= 0)
    cj_decimal(j, "index", v->index);
  cj_string(j, "kind", kind_name(v->kind));
  switch (v->kind) {
  case KL_TRACE_INT: {
    char *s = cli_trace_int_decimal(v);
    if (s == NULL)
      j->failed = 1;
    else
      cj_string(j, "int", s);
    free(s);
    break;
  }
  case KL_TRACE_MATRIX:
    cj_matrix(j, "matrix", v->bytes, v->rows, v->cols);
    break;
  case KL_TRACE_TEXT:
    cj_string_n(j, "text", (const char *)v->bytes, v->len);
    break;
  case KL_TRACE_BYTES:
  default:
    cj_hex(j, "hex", v->bytes, v->len);
    break;
  }
  cj_object_end(j);
}

static void trace_cb(void *user, const kl_trace_value *v)
{
  cli_tracer *ct = user;
  if (ct->j != NULL)
    print_json(ct, v);
  else
    print_text(ct, v);
}

void cli_tracer_init(kl_tracer *tr, cli_tracer *ct, FILE *f, cli_json *j)
{
  ct->f = f;
  ct->j = j;
  ct->indent = "  ";
  tr->fn = trace_cb;
  tr->user = ct;
}

void cli_trace_banner(FILE *f)
{
  fputs("WARNING: this trace prints secret intermediate values. It is for study only;\n"
        "         never trace real keys.\n",
        f);
}
