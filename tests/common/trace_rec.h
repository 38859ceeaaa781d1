/* trace_rec.h: the trace recorder of the Check suites. A kl_tracer whose
 * user is a th_trace_rec keeps every value traced to it, in order: label,
 * index, kind, a copy of the bytes, rows and cols, sign (include/kexlab/trace.h
 * defines the values). A test runs the algorithm, then looks at what was
 * traced: all of it (rec.at[0..n)), or one value by label and index, or the
 * decimal text of an integer or the hex of an octet string.
 *   th_trace_rec rec;
 *   th_trace_rec_init(&rec);
 *   kl_tracer tr = th_trace_rec_tracer(&rec);
 *   kl_egcd(g, s, t, a, b, &tr);
 *   ck_assert_str_eq(th_trace_rec_decimal(&rec, "q", 2), "183");
 *   th_trace_rec_free(&rec); */
#ifndef KL_TRACE_REC_H
#define KL_TRACE_REC_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/trace.h"

/* One recorded value. */
typedef struct th_traced {
  kl_trace_value v; /* as traced; v.label and v.bytes point to the copies below */
  char *label;      /* a copy of the label */
  uint8_t *bytes;   /* a copy of the bytes (allocated even when len is 0) */
  char *decimal;    /* th_trace_rec_decimal's text, made on first request */
  char *hex;        /* th_trace_rec_hex's text, made on first request */
} th_traced;

typedef struct th_trace_rec {
  th_traced *at; /* at[0..n): every value, in the order traced */
  size_t n, cap;
} th_trace_rec;

void th_trace_rec_init(th_trace_rec *r);
/* The kl_trace_fn of the recorder: user is a th_trace_rec. */
void th_trace_rec_fn(void *user, const kl_trace_value *v);
/* A tracer that records into r. */
kl_tracer th_trace_rec_tracer(th_trace_rec *r);

/* The first value traced with this label and index, or NULL. */
const kl_trace_value *th_trace_rec_find(const th_trace_rec *r, const char *label, int index);
/* Decimal text, sign included, of the first KL_TRACE_INT value with this
 * label and index, or NULL if there is none (owned by r). */
const char *th_trace_rec_decimal(th_trace_rec *r, const char *label, int index);
/* Lower-case hex of the bytes of the first KL_TRACE_BYTES value with this
 * label and index, or NULL if there is none (owned by r). */
const char *th_trace_rec_hex(th_trace_rec *r, const char *label, int index);

/* Decimal text of a KL_TRACE_INT value, sign included (malloc'd). */
char *th_trace_int_decimal(const kl_trace_value *v);

/* Forget every value (the array is kept for the next ones). */
void th_trace_rec_clear(th_trace_rec *r);
/* Forget every value and release the array. */
void th_trace_rec_free(th_trace_rec *r);

#endif
