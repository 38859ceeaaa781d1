/* oracle_kit.c: the step log and options of the oracle and side-channel
 * attack demos (see oracle_kit.h). */
#include "oracle_kit.h"

#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned long long elapsed_ms(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (unsigned long long)((t1.tv_sec - t0->tv_sec) * 1000 +
                              (t1.tv_nsec - t0->tv_nsec) / 1000000);
}

int okit_parse(okit_opts *op, const char *attack, const char *help, const char *const extra[2],
               int argc, char **argv)
{
  char cmd[64], names[2][32];
  snprintf(cmd, sizeof cmd, "demo attack %s", attack);
  struct option opts[7] = {
    {"json", no_argument, NULL, 'j'},
    {"seed", required_argument, NULL, 's'},
    {"bits", required_argument, NULL, 'b'},
    {"help", no_argument, NULL, 'h'},
  };
  int n = 4;
  for (int i = 0; i < 2 && extra != NULL && extra[i] != NULL; i++) {
    size_t len = strcspn(extra[i], "=");
    snprintf(names[i], sizeof names[i], "%.*s", (int)len, extra[i]);
    opts[n++] = (struct option){names[i], extra[i][len] == '=' ? required_argument : no_argument,
                                NULL, '0' + i};
  }
  opts[n] = (struct option){NULL, 0, NULL, 0};
  memset(op, 0, sizeof *op);
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      op->json = 1;
      break;
    case 's':
      op->seed = optarg;
      break;
    case 'b':
      op->bits = optarg;
      break;
    case '0':
    case '1':
      op->extra[c - '0'] = optarg != NULL ? optarg : "1";
      break;
    case 'h':
      fputs(help, stdout);
      op->help = 1;
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  for (int i = optind; i < argc; i++) {
    if (strcmp(argv[i], attack) != 0)
      return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
  }
  return KL_EXIT_OK;
}

int okit_begin(okit *o, const char *attack, int json, const char *seed_hex, const char *bits_text,
               unsigned bits_default, unsigned bits_min, unsigned bits_max, const char *title)
{
  memset(o, 0, sizeof *o);
  o->attack = attack;
  o->json = json;
  o->as_expected = 1;
  char cmd[64];
  snprintf(cmd, sizeof cmd, "demo attack %s", attack);
  if (bits_text != NULL && bits_default == 0)
    return cli_usage_error(cmd, "this attack takes no --bits");
  o->bits = bits_default;
  if (bits_text != NULL) {
    size_t b = 0;
    if (cli_parse_size(cmd, "--bits", bits_text, bits_min, bits_max, &b) != KL_EXIT_OK)
      return KL_EXIT_USAGE;
    if (b % 2 != 0)
      return cli_usage_error(cmd, "--bits must be even");
    o->bits = (unsigned)b;
  }
  int rc = cli_rng_setup(cmd, seed_hex, NULL, &o->rng, &o->drbg);
  if (rc != KL_EXIT_OK)
    return rc;
  o->seeded = seed_hex != NULL;
  clock_gettime(CLOCK_MONOTONIC, &o->t0);
  if (json) {
    cj_init(&o->j, stdout);
    cj_command_begin(&o->j, "demo attack");
    cj_string(&o->j, "attack", attack);
    if (o->bits != 0)
      cj_udecimal(&o->j, "bits", o->bits);
    else
      cj_null(&o->j, "bits");
    cj_bool(&o->j, "seeded", o->seeded);
    cj_array_begin(&o->j, "runs");
  } else {
    printf("kexlab demo attack %s: %s\n", attack, title);
  }
  return KL_EXIT_OK;
}

void okit_run_begin(okit *o, const char *config, const char *description)
{
  clock_gettime(CLOCK_MONOTONIC, &o->t0);
  o->run_open = 1;
  if (o->json) {
    cj_object_begin(&o->j, NULL);
    cj_string(&o->j, "config", config);
    cj_string(&o->j, "description", description);
    cj_array_begin(&o->j, "steps");
  } else {
    printf("\n[%s] %s\n", config, description);
  }
}

void okit_step(okit *o, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (o->json) {
    cj_object_begin(&o->j, NULL);
    cj_string(&o->j, "text", buf);
    cj_object_end(&o->j);
  } else {
    printf("  %s\n", buf);
  }
}

void okit_statistic(okit *o, const char *name, double value)
{
  o->stat_name = name;
  o->stat_value = value;
}

void okit_run_end(okit *o, unsigned long long queries, const uint8_t *recovered, size_t rec_len,
                  int worked, int expected)
{
  const unsigned long long ms = elapsed_ms(&o->t0);
  if (worked != expected)
    o->as_expected = 0;
  if (o->json) {
    cj_array_end(&o->j);
    cj_udecimal(&o->j, "queries", queries);
    cj_udecimal(&o->j, "millis", ms);
    if (recovered != NULL)
      cj_hex(&o->j, "recovered", recovered, rec_len);
    else
      cj_null(&o->j, "recovered");
    if (o->stat_name != NULL) {
      cj_object_begin(&o->j, "statistic");
      cj_string(&o->j, "name", o->stat_name);
      cj_double(&o->j, "value", o->stat_value);
      cj_object_end(&o->j);
    }
    cj_bool(&o->j, "attack_worked", worked);
    cj_object_end(&o->j);
  } else {
    if (o->stat_name != NULL)
      printf("  %s = %.3f\n", o->stat_name, o->stat_value);
    printf("  => %s (%llu %s, %llu ms)%s\n", worked ? "ATTACK WORKED" : "attack got nothing",
           queries, strcmp(o->attack, "timing") == 0 ? "timed operations" : "queries", ms,
           worked == expected ? "" : "  [UNEXPECTED]");
  }
  o->stat_name = NULL;
  o->run_open = 0;
}

int okit_finish(okit *o, const uint8_t *secret, size_t secret_len)
{
  int rc = o->as_expected ? KL_EXIT_OK : KL_EXIT_FAIL;
  char cmd[64];
  snprintf(cmd, sizeof cmd, "demo attack %s", o->attack);
  if (o->json) {
    cj_array_end(&o->j);
    cj_hex(&o->j, "secret", secret, secret_len);
    cj_bool(&o->j, "as_expected", o->as_expected);
    cj_object_end(&o->j);
    if (cj_finish(&o->j) != 0)
      rc = KL_EXIT_FAIL;
  } else {
    printf("\n%s\n", o->as_expected ? "Every outcome is the expected one."
                                    : "An outcome differs from the expected one.");
  }
  if (!o->as_expected)
    cli_error(cmd, "an outcome differs from the expected one");
  if (o->seeded)
    kl_hmac_drbg_clear(&o->drbg);
  return rc;
}

int okit_abort(okit *o, int rc)
{
  if (o->json)
    cj_discard(&o->j);
  if (o->seeded)
    kl_hmac_drbg_clear(&o->drbg);
  return rc;
}

void okit_show(char *buf, size_t size, const uint8_t *b, size_t n)
{
  int text = 1;
  for (size_t i = 0; i < n; i++)
    text &= isprint(b[i]) != 0;
  size_t used = 0;
  buf[0] = '\0';
  if (text) {
    snprintf(buf, size, "\"%.*s\"", (int)n, (const char *)b);
    return;
  }
  for (size_t i = 0; i < n && used + 3 < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%02x", b[i]);
}
