/* int_file.c: see int_file.h. */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "int_file.h"

void th_int_file_read(th_int_file *f, const char *path)
{
  memset(f, 0, sizeof *f);
  f->path = path;
  FILE *fp = fopen(path, "r");
  ck_assert_ptr_nonnull(fp);
  char line[256];
  int in_value = 0;
  while (fgets(line, sizeof line, fp) != NULL) {
    size_t L = strcspn(line, "\r\n");
    while (L > 0 && isspace((unsigned char)line[L - 1]))
      L--;
    line[L] = '\0';
    if (line[0] == '#') {
      in_value = 0;
      const char *t = line + 1;
      while (*t == ' ')
        t++;
      size_t n = strcspn(t, "=,:");
      while (n > 0 && t[n - 1] == ' ')
        n--;
      if (L > 0 && line[L - 1] == ':' && n > 0 && n < sizeof f->name[0] && f->n < INT_VALUES) {
        memcpy(f->name[f->n], t, n);
        f->name[f->n][n] = '\0';
        f->data[f->n] = malloc(1024);
        ck_assert_ptr_nonnull(f->data[f->n]);
        f->n++;
        in_value = 1;
      }
      continue;
    }
    if (!in_value)
      continue;
    for (const char *c = line; *c != '\0';) {
      unsigned b;
      int used;
      if (sscanf(c, " %2x%n", &b, &used) != 1)
        break;
      ck_assert_uint_lt(f->len[f->n - 1], 1024);
      f->data[f->n - 1][f->len[f->n - 1]++] = (uint8_t)b;
      c += used;
    }
  }
  fclose(fp);
}

const uint8_t *th_int_file_get(const th_int_file *f, const char *name, size_t *len)
{
  for (size_t i = 0; i < f->n; i++) {
    if (strcmp(f->name[i], name) == 0) {
      *len = f->len[i];
      return f->data[i];
    }
  }
  ck_abort_msg("%s has no '%s'", f->path, name);
  return NULL;
}

void th_int_file_mpz(mpz_t x, const th_int_file *f, const char *name)
{
  size_t len;
  const uint8_t *d = th_int_file_get(f, name, &len);
  mpz_import(x, len, 1, 1, 1, 0, d);
}

void th_int_file_free(th_int_file *f)
{
  for (size_t i = 0; i < f->n; i++)
    free(f->data[i]);
}
