/* attack_rsa.c: the kit the RSA attack demos share (attack_rsa.h): command
 * line, step printer, --json layout, timing. The JSON object is
 *   {"command":"demo attack","version",..,"attack","reference","bits","seed",
 *    "weak":{run},"normal":{run},"as_expected"}
 * with each run {"configuration", the attack's values (decimal strings),
 * "steps":[text...], "operations", "operation", "recovered", "seconds"}. */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attack_rsa.h"
#include "cli_keyio.h"

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_help(const ark_spec *s)
{
  printf("usage: kexlab demo attack %s [--bits N] [--seed HEX] [--json]%s\n\n", s->name,
         (s->extras & ARK_KEY_OUT) ? " [--key-out FILE] [--pub-out FILE]" : "");
  printf("%s\n%s\n\n", s->title, s->help);
  printf("  --bits N      key size, %u..%u (default %u)\n", s->bits_min, s->bits_max,
         s->bits_default);
  printf("  --seed HEX    draw every random value from HMAC_DRBG seeded with HEX: the\n"
         "                same seed gives the same keys, messages and output\n");
  if (s->extras & ARK_KEY_OUT)
    printf("  --key-out F   also write the weak private key to F (PKCS#1 PEM): try\n"
           "                `kexlab rsa check F` on it\n"
           "  --pub-out F   also write the weak public key to F (SPKI PEM): the\n"
           "                attacker's whole input\n");
  printf("  --json        one JSON object (docs/schema/demo-attack-%s.schema.json)\n"
         "  -h, --help    this help\n"
         "Exit status 0 when the weak configuration falls and the normal one holds.\n",
         s->name);
}

int ark_start(ark *a, const ark_spec *spec, int argc, char **argv)
{
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'},
    {"seed", required_argument, NULL, 's'},
    {"json", no_argument, NULL, 'j'},
    {"key-out", required_argument, NULL, 'k'},
    {"pub-out", required_argument, NULL, 'p'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  memset(a, 0, sizeof *a);
  a->spec = spec;
  a->cmd = "demo attack";
  a->bits = spec->bits_default;
  int json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    size_t v;
    switch (c) {
    case 'b':
      if (cli_parse_size(a->cmd, "--bits", optarg, spec->bits_min, spec->bits_max, &v) !=
          KL_EXIT_OK)
        return KL_EXIT_USAGE;
      if (v % 2 != 0)
        return cli_usage_error(a->cmd, "--bits: give an even number");
      a->bits = (unsigned)v;
      break;
    case 's':
      a->seed_hex = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'k':
    case 'p':
      if (!(spec->extras & ARK_KEY_OUT))
        return cli_usage_error(a->cmd, "%s writes no key file", spec->name);
      if (c == 'k')
        a->key_out = optarg;
      else
        a->pub_out = optarg;
      break;
    case 'h':
      print_help(spec);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(a->cmd, argc, argv);
    }
  }
  /* The one operand is the attack's name (demo_attack.c found it). */
  for (int i = optind; i < argc; i++) {
    if (strcmp(argv[i], spec->name) != 0)
      return cli_usage_error(a->cmd, "unexpected argument '%s'", argv[i]);
  }
  int rc = cli_rng_setup(a->cmd, a->seed_hex, NULL, &a->rng, &a->drbg);
  if (rc != KL_EXIT_OK)
    return rc;
  if (json) {
    a->j = &a->json;
    cj_init(a->j, stdout);
  }
  return -1;
}

void ark_header(ark *a)
{
  const ark_spec *s = a->spec;
  if (a->j != NULL) {
    cj_command_begin(a->j, "demo attack");
    cj_string(a->j, "attack", s->name);
    cj_string(a->j, "reference", s->reference);
    cj_udecimal(a->j, "bits", a->bits);
    uint8_t *seed = NULL;
    size_t len = 0;
    /* The seed's bytes as the contract writes bytes (ark_start checked them). */
    if (a->seed_hex != NULL &&
        cli_parse_hex(a->cmd, "--seed", a->seed_hex, &seed, &len) == KL_EXIT_OK) {
      cj_hex(a->j, "seed", seed, len);
      cli_free(seed, len);
    } else {
      cj_null(a->j, "seed");
    }
    return;
  }
  printf("kexlab demo attack %s: %s\n", s->name, s->title);
  printf("Reference: %s\n", s->reference);
  printf("%u-bit keys%s; %s\n", a->bits, a->bits < KL_RSA_MIN_BITS ? " (a small lab size)" : "",
         a->seed_hex != NULL ? "seeded: the same --seed gives the same run"
                             : "random (--seed HEX makes a run reproducible)");
}

void ark_run_begin(ark *a, const char *which, const char *configuration)
{
  a->step_no = 0;
  a->n_steps = 0;
  a->t0 = now_seconds();
  if (a->j != NULL) {
    cj_object_begin(a->j, which);
    cj_string(a->j, "configuration", configuration);
    return;
  }
  printf("\n[%s] %s\n", which, configuration);
}

void ark_step(ark *a, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  a->step_no++;
  if (a->j == NULL) {
    printf("  %2u. %s\n", a->step_no, buf);
    return;
  }
  if (a->n_steps == a->cap_steps) {
    size_t cap = a->cap_steps == 0 ? 16 : 2 * a->cap_steps;
    char **grown = realloc(a->steps, cap * sizeof *grown);
    if (grown == NULL) {
      a->alloc_failed = 1;
      return;
    }
    a->steps = grown;
    a->cap_steps = cap;
  }
  char *copy = strdup(buf);
  if (copy == NULL) {
    a->alloc_failed = 1;
    return;
  }
  a->steps[a->n_steps++] = copy;
}

void ark_int(ark *a, const char *name, const mpz_t x)
{
  if (a->j != NULL) {
    char *s = mpz_get_str(NULL, 10, x);
    cj_string(a->j, name, s);
    kl_wipe(s, strlen(s));
    free(s);
    return;
  }
  size_t bits = mpz_sgn(x) == 0 ? 0 : mpz_sizeinbase(x, 2);
  if (bits <= 64) {
    gmp_printf("        %s = %Zd\n", name, x);
    return;
  }
  /* 0x + the first and last 8 hex digits: enough to compare by eye. */
  char *h = mpz_get_str(NULL, 16, x);
  size_t n = strlen(h);
  printf("        %s = 0x%.8s...%s (%zu bits)\n", name, h, h + n - 8, bits);
  kl_wipe(h, n);
  free(h);
}

void ark_flag(ark *a, const char *name, int v)
{
  if (a->j != NULL)
    cj_bool(a->j, name, v);
}

void ark_run_end(ark *a, unsigned long long operations, const char *operation, int recovered)
{
  double seconds = now_seconds() - a->t0;
  if (a->j == NULL) {
    printf("  => %s: %llu %s, %.2f s\n", recovered ? "SECRET RECOVERED" : "nothing recovered",
           operations, operation, seconds);
    return;
  }
  cj_array_begin(a->j, "steps");
  for (size_t i = 0; i < a->n_steps; i++) {
    cj_string(a->j, NULL, a->steps[i]);
    free(a->steps[i]);
  }
  a->n_steps = 0;
  cj_array_end(a->j);
  cj_udecimal(a->j, "operations", operations);
  cj_string(a->j, "operation", operation);
  cj_bool(a->j, "recovered", recovered);
  cj_double(a->j, "seconds", seconds);
  cj_object_end(a->j);
}

int ark_finish(ark *a, int weak_recovered, int normal_recovered, int failed)
{
  int as_expected = !failed && weak_recovered && !normal_recovered && !a->alloc_failed;
  for (size_t i = 0; i < a->n_steps; i++)
    free(a->steps[i]);
  free(a->steps);
  a->steps = NULL;
  if (a->j != NULL) {
    if (failed) {
      cj_discard(a->j);
    } else {
      cj_bool(a->j, "as_expected", as_expected);
      cj_object_end(a->j);
      cj_finish(a->j);
    }
  }
  if (a->seed_hex != NULL)
    kl_hmac_drbg_clear(&a->drbg);
  if (failed)
    return failed;
  if (!as_expected) {
    cli_error(a->cmd, "%s: an outcome differs from the expected one", a->spec->name);
    return KL_EXIT_FAIL;
  }
  return KL_EXIT_OK;
}

kl_err ark_random_bits(mpz_t x, const kl_rng *rng, unsigned bits)
{
  uint8_t buf[KL_RSA_MAX_BITS / 8];
  size_t len = (bits + 7) / 8;
  if (bits == 0 || len > sizeof buf)
    return KL_ERR_ARG;
  kl_err err = kl_rng_fill(rng, buf, len);
  if (err != KL_OK)
    return err;
  kl_os2ip(x, buf, len);
  kl_wipe(buf, len);
  mpz_fdiv_r_2exp(x, x, bits);
  mpz_setbit(x, bits - 1);
  return KL_OK;
}

unsigned ark_keygen_flags(unsigned bits)
{
  return bits < KL_RSA_MIN_BITS ? KL_RSA_KEYGEN_ALLOW_SMALL : 0;
}

kl_err ark_read_back(ark *a, const kl_rsa_priv *weak, kl_rsa_keyfile *kf, kl_rsa_check_report *rep)
{
  uint8_t pem[KL_KEYFILE_MAX_BYTES];
  size_t len = sizeof pem;
  kl_err err = kl_rsa_priv_write(weak, KL_KEY_PKCS1_PRIV_PEM, pem, &len);
  if (err == KL_OK)
    err = kl_rsa_keyfile_read(kf, pem, len, &a->rng);
  kl_wipe(pem, sizeof pem);
  if (err == KL_OK && !kf->has_private)
    err = KL_ERR_KEY;
  /* Explicitly, whatever reading the file already checked. */
  if (err == KL_OK)
    err = kl_rsa_priv_check(rep, &kf->priv, &a->rng);
  if (err != KL_OK)
    cli_error(a->cmd, "reading the weak key back: %s", kl_strerror(err));
  return err;
}

int ark_save_weak(ark *a, const kl_rsa_priv *weak)
{
  int rc = KL_EXIT_OK;
  if (a->key_out != NULL)
    rc = cli_save_key(a->cmd, a->key_out, 0, KL_KEY_PKCS1_PRIV_PEM, weak, NULL);
  if (rc == KL_EXIT_OK && a->pub_out != NULL) {
    kl_rsa_pub pub;
    kl_rsa_pub_init(&pub);
    kl_rsa_priv_to_pub(&pub, weak);
    rc = cli_save_key(a->cmd, a->pub_out, 0, KL_KEY_SPKI_PEM, NULL, &pub);
    kl_rsa_pub_clear(&pub);
  }
  return rc;
}
