/* trace.h: trace hooks, so students can watch an algorithm's intermediate values.
 * An algorithm that students step through takes an optional `const kl_tracer *`
 * (per call, or stored in its context: never a global, so server threads do not
 * interleave). NULL, or a tracer whose fn is NULL, means off and costs one test.
 * Labels are the standard's own (FIPS 197 App. C "round[ 1].s_box", RFC 8017's
 * "maskedDB", ...), so the output can be held against the document.
 * Secrets may be traced: it is a teaching tool. Servers never install a tracer. */
#ifndef KEXLAB_TRACE_H
#define KEXLAB_TRACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum kl_trace_kind {
  KL_TRACE_BYTES = 0,  /* an octet string: bytes[0..len) */
  KL_TRACE_INT = 1,    /* a non-negative or negative integer: magnitude big-endian in
                          bytes[0..len) (len 0 means zero), sign in `negative` */
  KL_TRACE_MATRIX = 2, /* a rows x cols byte matrix, row-major: bytes[r*cols + c] */
  KL_TRACE_TEXT = 3    /* a short note: bytes is UTF-8 text, not NUL-terminated */
} kl_trace_kind;

typedef struct kl_trace_value {
  const char *label; /* the standard's name for the value, e.g. "w", "EM", "mr_round" */
  int index;         /* round, step or word index; -1 when it has none */
  kl_trace_kind kind;
  const uint8_t *bytes;
  size_t len;
  int negative;        /* KL_TRACE_INT only: 1 if the value is < 0 */
  unsigned rows, cols; /* KL_TRACE_MATRIX only */
} kl_trace_value;

typedef void kl_trace_fn(void *user, const kl_trace_value *value);

typedef struct kl_tracer {
  kl_trace_fn *fn; /* NULL: off */
  void *user;      /* passed back to fn untouched */
} kl_tracer;

/* Emitters. Each does nothing when tr or tr->fn is NULL. Library code calls
 * them through the KL_TRACE* macros of src/core/trace_internal.h, which vanish
 * under -Dtrace=false; they are public so that applications can trace too. */
void kl_trace_bytes(const kl_tracer *tr, const char *label, int index, const uint8_t *bytes,
                    size_t len);
void kl_trace_u64(const kl_tracer *tr, const char *label, int index, uint64_t v);
void kl_trace_i64(const kl_tracer *tr, const char *label, int index, int64_t v);
void kl_trace_matrix(const kl_tracer *tr, const char *label, int index, const uint8_t *m,
                     unsigned rows, unsigned cols);
void kl_trace_text(const kl_tracer *tr, const char *label, int index, const char *text);

/* 1 if the library was built with trace hooks (meson -Dtrace=true, the
 * default), 0 if they were compiled out (-Dtrace=false): then no algorithm
 * ever calls a tracer, and a demo that prints traces has nothing to show. */
int kl_trace_compiled(void);

#ifdef __cplusplus
}
#endif
#endif
