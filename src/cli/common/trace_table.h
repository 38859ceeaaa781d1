/* trace_table.h: collect trace rows into the table a student writes by hand
 * and print it aligned (text) or as one JSON object per row. Used for the
 * extended-Euclid table (columns q, r, s, t; HAC Alg. 2.107) and the
 * square-and-multiply steps (columns bit, square, multiply; HAC Alg. 14.79)
 * by `kexlab egcd --trace`, `kexlab modexp --trace` and `kexlab demo rsa-3233`.
 * A row is the set of traced values sharing one index ("q"[2], "r"[2], ...);
 * values with other labels are dropped. An optional second tracer receives
 * every value as well (the demo's JSON keeps its raw trace arrays that way). */
#ifndef KL_CLI_TRACE_TABLE_H
#define KL_CLI_TRACE_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

#define TRACE_TABLE_MAX_COLS 4

typedef struct trace_table_row {
  int index;
  char *cell[TRACE_TABLE_MAX_COLS]; /* decimal text (malloc'd), NULL when not traced */
} trace_table_row;

typedef struct trace_table {
  const char *const *cols;  /* column labels = trace labels, e.g. {"q", "r", "s", "t"} */
  size_t ncols;             /* 1..TRACE_TABLE_MAX_COLS */
  const char *index_name;   /* heading of the index column, e.g. "i" */
  const kl_tracer *forward; /* also receives every value; NULL: none */
  trace_table_row *rows;
  size_t nrows, cap;
  int oom; /* set when a row or cell could not be stored */
} trace_table;

/* Set t up and point tr at it (tr->fn, tr->user). */
void trace_table_init(trace_table *t, kl_tracer *tr, const char *const *cols, size_t ncols,
                      const char *index_name, const kl_tracer *forward);
/* Text: a heading line, then one line per row, every column right-aligned to
 * its widest entry, each line prefixed by indent. Empty cells stay blank. */
void trace_table_print(const trace_table *t, FILE *f, const char *indent);
/* JSON: an array `key` of objects {"<index_name>": "<i>", "<col>": "<decimal>" | null, ...}
 * (every integer a decimal string, docs/json.md). */
void trace_table_json(const trace_table *t, cli_json *j, const char *key);
/* Wipe and free every cell (the demo's cells include secret values). */
void trace_table_clear(trace_table *t);

#endif
