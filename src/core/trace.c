/* trace.c: the trace emitters of include/kexlab/trace.h. Each one fills a
 * kl_trace_value on the stack and hands it to the user's callback. */
#include <string.h>

#include "kexlab/trace.h"
#include "kl_config.h"

int kl_trace_compiled(void)
{
  return KL_WITH_TRACE;
}

static int tracer_on(const kl_tracer *tr)
{
  return tr != NULL && tr->fn != NULL;
}

void kl_trace_bytes(const kl_tracer *tr, const char *label, int index, const uint8_t *bytes,
                    size_t len)
{
  if (!tracer_on(tr))
    return;
  kl_trace_value v = {label, index, KL_TRACE_BYTES, bytes, len, 0, 0, 0};
  tr->fn(tr->user, &v);
}

/* Emit |x| as a minimal big-endian magnitude with the given sign. */
static void trace_u64_signed(const kl_tracer *tr, const char *label, int index, uint64_t magnitude,
                             int negative)
{
  uint8_t buf[8];
  size_t len = 0;
  for (int shift = 56; shift >= 0; shift -= 8) {
    uint8_t b = (uint8_t)(magnitude >> shift);
    if (len == 0 && b == 0)
      continue; /* skip leading zero bytes: zero is the empty magnitude */
    buf[len++] = b;
  }
  kl_trace_value v = {label, index, KL_TRACE_INT, buf, len, negative && len > 0, 0, 0};
  tr->fn(tr->user, &v);
}

void kl_trace_u64(const kl_tracer *tr, const char *label, int index, uint64_t x)
{
  if (!tracer_on(tr))
    return;
  trace_u64_signed(tr, label, index, x, 0);
}

void kl_trace_i64(const kl_tracer *tr, const char *label, int index, int64_t x)
{
  if (!tracer_on(tr))
    return;
  /* -(uint64_t)x is well defined for every x, INT64_MIN included. */
  uint64_t magnitude = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  trace_u64_signed(tr, label, index, magnitude, x < 0);
}

void kl_trace_matrix(const kl_tracer *tr, const char *label, int index, const uint8_t *m,
                     unsigned rows, unsigned cols)
{
  if (!tracer_on(tr))
    return;
  kl_trace_value v = {label, index, KL_TRACE_MATRIX, m, (size_t)rows * cols, 0, rows, cols};
  tr->fn(tr->user, &v);
}

void kl_trace_text(const kl_tracer *tr, const char *label, int index, const char *text)
{
  if (!tracer_on(tr))
    return;
  kl_trace_value v = {
    label, index, KL_TRACE_TEXT, (const uint8_t *)text, text ? strlen(text) : 0, 0, 0, 0};
  tr->fn(tr->user, &v);
}
