/* trace_table.c: trace rows as an aligned table (see trace_table.h).
 * Example (kexlab egcd 780 17 --trace):
 *       i     q      r      s       t
 *       0          780      1       0
 *       1           17      0       1
 *       2    45     15      1     -45
 *       3     1      2     -1      46
 *       4     7      1      8    -367
 *       5     2      0    -17     780
 * (row i: s*780 + t*17 = r; row 4 gives 17^-1 = -367 = 413 mod 780). */
#include <stdlib.h>
#include <string.h>

#include "trace_table.h"

static int column_of(const trace_table *t, const char *label)
{
  for (size_t c = 0; c < t->ncols; c++) {
    if (strcmp(t->cols[c], label) == 0)
      return (int)c;
  }
  return -1;
}

/* The row with this index: the last one (rows arrive in order), or a new one. */
static trace_table_row *row_for(trace_table *t, int index)
{
  if (t->nrows > 0 && t->rows[t->nrows - 1].index == index)
    return &t->rows[t->nrows - 1];
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? 2 * t->cap : 16;
    trace_table_row *rows = realloc(t->rows, cap * sizeof *rows);
    if (rows == NULL)
      return NULL;
    t->rows = rows;
    t->cap = cap;
  }
  trace_table_row *r = &t->rows[t->nrows++];
  memset(r, 0, sizeof *r);
  r->index = index;
  return r;
}

static void table_cb(void *user, const kl_trace_value *v)
{
  trace_table *t = user;
  if (t->forward != NULL && t->forward->fn != NULL)
    t->forward->fn(t->forward->user, v);
  int c = v->kind == KL_TRACE_INT && v->index >= 0 ? column_of(t, v->label) : -1;
  if (c < 0)
    return; /* not one of the table's columns */
  trace_table_row *r = row_for(t, v->index);
  char *s = cli_trace_int_decimal(v);
  if (r == NULL || s == NULL) {
    free(s);
    t->oom = 1;
    return;
  }
  if (r->cell[c] != NULL) { /* traced twice: keep the later value */
    kl_wipe(r->cell[c], strlen(r->cell[c]));
    free(r->cell[c]);
  }
  r->cell[c] = s;
}

void trace_table_init(trace_table *t, kl_tracer *tr, const char *const *cols, size_t ncols,
                      const char *index_name, const kl_tracer *forward)
{
  memset(t, 0, sizeof *t);
  t->cols = cols;
  t->ncols = ncols < TRACE_TABLE_MAX_COLS ? ncols : TRACE_TABLE_MAX_COLS;
  t->index_name = index_name;
  t->forward = forward;
  tr->fn = table_cb;
  tr->user = t;
}

void trace_table_print(const trace_table *t, FILE *f, const char *indent)
{
  size_t w[TRACE_TABLE_MAX_COLS + 1];
  char num[16];
  w[0] = strlen(t->index_name);
  for (size_t c = 0; c < t->ncols; c++)
    w[c + 1] = strlen(t->cols[c]);
  for (size_t i = 0; i < t->nrows; i++) {
    size_t len = (size_t)snprintf(num, sizeof num, "%d", t->rows[i].index);
    if (len > w[0])
      w[0] = len;
    for (size_t c = 0; c < t->ncols; c++) {
      const char *s = t->rows[i].cell[c];
      if (s != NULL && strlen(s) > w[c + 1])
        w[c + 1] = strlen(s);
    }
  }
  /* Two spaces between columns, at least 4 before the index. */
  fprintf(f, "%s  %*s", indent, (int)w[0] + 2, t->index_name);
  for (size_t c = 0; c < t->ncols; c++)
    fprintf(f, "  %*s", (int)w[c + 1] + 2, t->cols[c]);
  fputc('\n', f);
  for (size_t i = 0; i < t->nrows; i++) {
    fprintf(f, "%s  %*d", indent, (int)w[0] + 2, t->rows[i].index);
    /* Trailing blanks trimmed: print a cell's padding only when it is not empty. */
    size_t last = 0;
    for (size_t c = 0; c < t->ncols; c++) {
      if (t->rows[i].cell[c] != NULL)
        last = c + 1;
    }
    for (size_t c = 0; c < last; c++) {
      const char *s = t->rows[i].cell[c];
      fprintf(f, "  %*s", (int)w[c + 1] + 2, s != NULL ? s : "");
    }
    fputc('\n', f);
  }
  if (t->oom)
    fprintf(f, "%s  (out of memory: rows missing)\n", indent);
}

void trace_table_json(const trace_table *t, cli_json *j, const char *key)
{
  cj_array_begin(j, key);
  for (size_t i = 0; i < t->nrows; i++) {
    cj_object_begin(j, NULL);
    cj_decimal(j, t->index_name, t->rows[i].index);
    for (size_t c = 0; c < t->ncols; c++) {
      if (t->rows[i].cell[c] != NULL)
        cj_string(j, t->cols[c], t->rows[i].cell[c]);
      else
        cj_null(j, t->cols[c]);
    }
    cj_object_end(j);
  }
  cj_array_end(j);
}

void trace_table_clear(trace_table *t)
{
  for (size_t i = 0; i < t->nrows; i++) {
    for (size_t c = 0; c < t->ncols; c++) {
      char *s = t->rows[i].cell[c];
      if (s != NULL) {
        kl_wipe(s, strlen(s));
        free(s);
      }
    }
  }
  free(t->rows);
  t->rows = NULL;
  t->nrows = t->cap = 0;
}
