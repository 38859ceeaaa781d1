/* cli_trace.c: print kl_trace values, as text for people or JSON for the lab
 * harness. Integers print in decimal so the n = 3233 demo reads like the
 * article; byte strings in hex; matrices as rows (FIPS 197 draws the state as
 * 4 rows of 4 bytes). */
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

static void print_text(cli_tracer *ct, const kl_trace_value *v)
{
  FILE *f = ct->f;
  const char *indent = ct->indent ? ct->indent : "";
  fputs(indent, f);
  if (v->index >= 0)
    fprintf(f, "%s[%d] = ", v->label, v->index);
  else
    fprintf(f, "%s = ", v->label);
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
  cj_object_begin(j, NULL);
  cj_string(j, "label", v->label);
  if (v->index >= 0)
    cj_int(j, "index", v->index);
  cj_string(j, "kind", kind_name(v->kind));
  switch (v->kind) {
  case KL_TRACE_INT: {
    char *s = cli_trace_int_decimal(v);
    cj_string(j, "int", s ? s : "");
    free(s);
    break;
  }
  case KL_TRACE_MATRIX:
    cj_array_begin(j, "rows");
    for (unsigned r = 0; r < v->rows; r++)
      cj_hex(j, NULL, v->bytes + (size_t)r * v->cols, v->cols);
    cj_array_end(j);
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
        "         never trace real keys.\n", f);
}
