/* trace_rec.c: see trace_rec.h. */
#include <check.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"
#include "trace_rec.h"

void th_trace_rec_init(th_trace_rec *r)
{
  r->at = NULL;
  r->n = 0;
  r->cap = 0;
}

void th_trace_rec_fn(void *user, const kl_trace_value *v)
{
  th_trace_rec *r = user;
  if (r->n == r->cap) {
    size_t cap = r->cap == 0 ? 64 : 2 * r->cap;
    th_traced *at = realloc(r->at, cap * sizeof *at);
    ck_assert_ptr_nonnull(at);
    r->at = at;
    r->cap = cap;
  }
  th_traced *t = &r->at[r->n];
  memset(t, 0, sizeof *t);
  t->v = *v;
  size_t label_len = strlen(v->label);
  t->label = malloc(label_len + 1);
  t->bytes = malloc(v->len > 0 ? v->len : 1);
  ck_assert_ptr_nonnull(t->label);
  ck_assert_ptr_nonnull(t->bytes);
  memcpy(t->label, v->label, label_len + 1);
  if (v->len > 0)
    memcpy(t->bytes, v->bytes, v->len);
  t->v.label = t->label;
  t->v.bytes = t->bytes;
  r->n++;
}

kl_tracer th_trace_rec_tracer(th_trace_rec *r)
{
  kl_tracer tr = {th_trace_rec_fn, r};
  return tr;
}

/* The first recorded value with this label and index (and kind, unless
 * kind is -1), or NULL. */
static th_traced *find(const th_trace_rec *r, const char *label, int index, int kind)
{
  for (size_t i = 0; i < r->n; i++) {
    th_traced *t = &r->at[i];
    if (t->v.index == index && strcmp(t->v.label, label) == 0 &&
        (kind == -1 || (int)t->v.kind == kind))
      return t;
  }
  return NULL;
}

const kl_trace_value *th_trace_rec_find(const th_trace_rec *r, const char *label, int index)
{
  th_traced *t = find(r, label, index, -1);
  return t == NULL ? NULL : &t->v;
}

const char *th_trace_rec_decimal(th_trace_rec *r, const char *label, int index)
{
  th_traced *t = find(r, label, index, KL_TRACE_INT);
  if (t == NULL)
    return NULL;
  if (t->decimal == NULL)
    t->decimal = th_trace_int_decimal(&t->v);
  return t->decimal;
}

const char *th_trace_rec_hex(th_trace_rec *r, const char *label, int index)
{
  th_traced *t = find(r, label, index, KL_TRACE_BYTES);
  if (t == NULL)
    return NULL;
  if (t->hex == NULL)
    t->hex = th_tohex(t->v.bytes, t->v.len);
  return t->hex;
}

char *th_trace_int_decimal(const kl_trace_value *v)
{
  mpz_t x;
  mpz_init(x);
  if (v->len > 0)
    mpz_import(x, v->len, 1, 1, 1, 0, v->bytes);
  if (v->negative)
    mpz_neg(x, x);
  char *out = malloc(mpz_sizeinbase(x, 10) + 2);
  ck_assert_ptr_nonnull(out);
  mpz_get_str(out, 10, x);
  mpz_clear(x);
  return out;
}

void th_trace_rec_clear(th_trace_rec *r)
{
  for (size_t i = 0; i < r->n; i++) {
    free(r->at[i].label);
    free(r->at[i].bytes);
    free(r->at[i].decimal);
    free(r->at[i].hex);
  }
  r->n = 0;
}

void th_trace_rec_free(th_trace_rec *r)
{
  th_trace_rec_clear(r);
  free(r->at);
  th_trace_rec_init(r);
}
