/* cli_util.c: messages, files, hex options and numbers for the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "kexlab %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "kexlab %s: ", cmd);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (try 'kexlab %s --help')\n", cmd);
  va_end(ap);
  return KL_EXIT_USAGE;
}

int cli_exit_for(kl_err err)
{
  switch (err) {
  case KL_OK:
    return KL_EXIT_OK;
  case KL_ERR_DECRYPT:
  case KL_ERR_VERIFY:
  case KL_ERR_INTERNAL:
  case KL_ERR_RNG:
    return KL_EXIT_FAIL;
  default:
    return KL_EXIT_USAGE;
  }
}

int cli_lib_error(const char *cmd, kl_err err)
{
  cli_error(cmd, "%s", kl_strerror(err));
  return cli_exit_for(err);
}

int cli_bad_option(const char *cmd, int argc, char **argv)
{
  /* getopt_long was told to stay quiet (opterr = 0, cli_getopt_reset), so that
   * the error is one line. What glibc leaves behind: argv[optind - 1] is the
   * offending word; optopt is 0 for an unknown or ambiguous long option, the
   * option's value for a long option with a missing or unwanted argument, and
   * the character itself for a short option. */
  const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : NULL;
  if (word != NULL && strncmp(word, "--", 2) == 0) {
    const char *eq = strchr(word, '=');
    int name_len = (int)(eq ? (size_t)(eq - word) : strlen(word));
    if (optopt == 0)
      return cli_usage_error(cmd, "unknown or ambiguous option '%.*s'", name_len, word);
    if (eq != NULL)
      return cli_usage_error(cmd, "option '%.*s' takes no argument", name_len, word);
    return cli_usage_error(cmd, "option '%s' needs an argument", word);
  }
  if (optopt > 0 && optopt < 128 && isprint(optopt))
    return cli_usage_error(cmd, "unknown option '-%c', or it needs an argument", (char)optopt);
  return cli_usage_error(cmd, "invalid usage");
}

void cli_getopt_reset(void)
{
  optind = 0; /* glibc: 0 re-initialises getopt completely */
  opterr = 0; /* cli_bad_option says what was wrong, in one line */
  optopt = 0;
}

#define CLI_MAX_INPUT ((size_t)1 << 30)

int cli_read_file(const char *cmd, const char *path, uint8_t **buf, size_t *len)
{
  *buf = NULL;
  *len = 0;
  int is_stdin = path == NULL || strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (f == NULL) {
    cli_error(cmd, "cannot open '%s': %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  size_t cap = 0, n = 0;
  uint8_t *data = NULL;
  for (;;) {
    if (n == cap) {
      size_t new_cap = cap ? cap * 2 : 4096;
      if (new_cap > CLI_MAX_INPUT + 1)
        new_cap = CLI_MAX_INPUT + 1;
      uint8_t *p = malloc(new_cap);
      if (p == NULL) {
        cli_free(data, cap);
        if (!is_stdin)
          fclose(f);
        cli_error(cmd, "out of memory reading '%s'", is_stdin ? "-" : path);
        return KL_EXIT_USAGE;
      }
      if (data != NULL)
        memcpy(p, data, n);
      cli_free(data, cap); /* the input may be a key: wipe the old copy */
      data = p;
      cap = new_cap;
    }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (n > CLI_MAX_INPUT) {
      cli_free(data, cap);
      if (!is_stdin)
        fclose(f);
      cli_error(cmd, "input '%s' is larger than 1 GiB", is_stdin ? "-" : path);
      return KL_EXIT_USAGE;
    }
    if (got == 0)
      break;
  }
  int failed = ferror(f);
  if (!is_stdin)
    fclose(f);
  if (failed) {
    cli_free(data, cap);
    cli_error(cmd, "cannot read '%s'", is_stdin ? "-" : path);
    return KL_EXIT_USAGE;
  }
  /* Shrink to exactly n bytes so that cli_free(buf, len) wipes it all. */
  uint8_t *exact = malloc(n ? n : 1);
  if (exact == NULL) {
    cli_free(data, cap);
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  if (n)
    memcpy(exact, data, n);
  cli_free(data, cap);
  *buf = exact;
  *len = n;
  return KL_EXIT_OK;
}

int cli_read_input(const char *cmd, const char *path, int hex, uint8_t **buf, size_t *len)
{
  int rc = cli_read_file(cmd, path, buf, len);
  if (rc != KL_EXIT_OK || !hex)
    return rc;
  /* Hex mode: drop whitespace (newlines from echo, line wrapping), then decode. */
  size_t w = 0;
  for (size_t i = 0; i < *len; i++) {
    if (!isspace((*buf)[i]))
      (*buf)[w++] = (*buf)[i];
  }
  size_t out_len = w / 2 + 1;
  uint8_t *out = malloc(out_len);
  if (out == NULL) {
    cli_free(*buf, *len);
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  kl_err err = kl_hex_decode(out, &out_len, (const char *)*buf, w);
  cli_free(*buf, *len);
  *buf = NULL;
  *len = 0;
  if (err != KL_OK) {
    free(out);
    cli_error(cmd, "input '%s' is not valid hex (%s)", path ? path : "-",
              w % 2 ? "odd number of digits" : "bad character");
    return KL_EXIT_USAGE;
  }
  *buf = out;
  *len = out_len;
  return KL_EXIT_OK;
}

int cli_write_output(const char *cmd, const char *path, int hex, const uint8_t *data, size_t len)
{
  int is_stdout = path == NULL || strcmp(path, "-") == 0;
  FILE *f = is_stdout ? stdout : fopen(path, "wb");
  if (f == NULL) {
    cli_error(cmd, "cannot open '%s' for writing: %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  int ok = 1;
  if (hex) {
    cli_print_hex(f, data, len);
  } else if (len > 0) {
    ok = fwrite(data, 1, len, f) == len;
  }
  if (is_stdout)
    ok = fflush(f) == 0 && ok;
  else
    ok = fclose(f) == 0 && ok;
  if (!ok) {
    cli_error(cmd, "cannot write '%s'", is_stdout ? "-" : path);
    return KL_EXIT_USAGE;
  }
  return KL_EXIT_OK;
}

void cli_free(uint8_t *buf, size_t len)
{
  if (buf == NULL)
    return;
  kl_wipe(buf, len);
  free(buf);
}

int cli_parse_hex(const char *cmd, const char *opt, const char *text, uint8_t **out, size_t *len)
{
  size_t n = strlen(text);
  size_t cap = n / 2 + 1;
  uint8_t *buf = malloc(cap);
  if (buf == NULL) {
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  size_t got = cap;
  kl_err err = kl_hex_decode(buf, &got, text, n);
  if (err != KL_OK) {
    free(buf);
    cli_error(cmd, "%s: not valid hex (%s)", opt,
              n % 2 ? "odd number of digits" : "a character is not 0-9, a-f or A-F");
    return KL_EXIT_USAGE;
  }
  *out = buf;
  *len = got;
  return KL_EXIT_OK;
}

int cli_parse_size(const char *cmd, const char *opt, const char *text, size_t min, size_t max,
                   size_t *out)
{
  if (text == NULL || *text == '\0') {
    cli_error(cmd, "%s: a number is required", opt);
    return KL_EXIT_USAGE;
  }
  unsigned long long v = 0;
  for (const char *p = text; *p; p++) {
    if (*p < '0' || *p > '9') {
      cli_error(cmd, "%s: '%s' is not a decimal number", opt, text);
      return KL_EXIT_USAGE;
    }
    unsigned digit = (unsigned)(*p - '0');
    /* v * 10 + digit > max, tested without overflowing. */
    if (digit > max || v > max / 10 || v * 10 > max - digit) {
      cli_error(cmd, "%s: %s is too large (at most %zu)", opt, text, max);
      return KL_EXIT_USAGE;
    }
    v = v * 10 + digit;
  }
  if (v < min) {
    cli_error(cmd, "%s: %s is too small (at least %zu)", opt, text, min);
    return KL_EXIT_USAGE;
  }
  *out = (size_t)v;
  return KL_EXIT_OK;
}

void cli_print_hex(FILE *f, const uint8_t *data, size_t len)
{
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < len; i++) {
    fputc(digits[data[i] >> 4], f);
    fputc(digits[data[i] & 15], f);
  }
  fputc('\n', f);
}

int cli_not_available(const char *what)
{
  fprintf(stderr, "kexlab %s: not available in this build\n", what);
  return KL_EXIT_USAGE;
}
