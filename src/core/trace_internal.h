/* trace_internal.h: the KL_TRACE* macros every algorithm uses to emit trace
 * values. With -Dtrace=false (KL_WITH_TRACE 0) they compile to nothing, so a
 * benchmark build carries no trace cost at all. They are one-line forwards to
 * the functions in trace.c (no hidden loops), so gdb steps straight into them.
 * Rule (docs/hacking.md, Tracing): round-level traces only in reference
 * files; fast paths trace entry and exit only. */
#ifndef KL_CORE_TRACE_INTERNAL_H
#define KL_CORE_TRACE_INTERNAL_H

#include "kl_config.h"
#include "kexlab/trace.h"

#if KL_WITH_TRACE
#define KL_TRACE(tr, label, i, p, n) kl_trace_bytes((tr), (label), (i), (p), (n))
#define KL_TRACE_U64(tr, label, i, v) kl_trace_u64((tr), (label), (i), (v))
#define KL_TRACE_I64(tr, label, i, v) kl_trace_i64((tr), (label), (i), (v))
#define KL_TRACE_MATRIX(tr, label, i, m, r, c) kl_trace_matrix((tr), (label), (i), (m), (r), (c))
#define KL_TRACE_TEXT(tr, label, i, s) kl_trace_text((tr), (label), (i), (s))
/* 1 when a tracer is attached: guard work done only to build a trace value. */
#define KL_TRACING(tr) ((tr) != NULL && (tr)->fn != NULL)
#else
/* Compiled out: the call sits behind "0 &&", so it is never evaluated and
 * costs nothing, yet the compiler still type-checks the arguments and sees
 * every variable used (no unused-variable warnings in -Dtrace=false builds). */
#define KL_TRACE(tr, label, i, p, n)                                                               \
  ((void)(0 && (kl_trace_bytes((tr), (label), (i), (p), (n)), 1)))
#define KL_TRACE_U64(tr, label, i, v) ((void)(0 && (kl_trace_u64((tr), (label), (i), (v)), 1)))
#define KL_TRACE_I64(tr, label, i, v) ((void)(0 && (kl_trace_i64((tr), (label), (i), (v)), 1)))
#define KL_TRACE_MATRIX(tr, label, i, m, r, c)                                                     \
  ((void)(0 && (kl_trace_matrix((tr), (label), (i), (m), (r), (c)), 1)))
#define KL_TRACE_TEXT(tr, label, i, s) ((void)(0 && (kl_trace_text((tr), (label), (i), (s)), 1)))
#define KL_TRACING(tr) ((void)(tr), 0)
#endif

#endif
