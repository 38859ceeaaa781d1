/* cmd_math.c: `kexlab prime test|gen`, `kexlab egcd`, `kexlab modinv`,
 * `kexlab modexp`: the number theory of src/math/ from the shell, with the
 * textbook traces (--trace) a student compares with a hand computation:
 * the extended-Euclid table (HAC Alg. 2.107), square-and-multiply (HAC Alg.
 * 14.79), Miller-Rabin step by step (FIPS 186-5 B.3.1) and the prime search
 * (A.1.3). --json prints one object (docs/json.md): integers as decimal
 * strings, the trace records under "trace".
 * Numbers are decimal, or hex with 0x; anything else is an input error. */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "trace_table.h"

/* Parse a non-negative integer: [0-9]+ or 0x[0-9a-fA-F]+ (no sign, no
 * spaces, no leading-zero octal: "010" is ten). Prints its own error. */
static int parse_num(const char *cmd, const char *what, const char *text, mpz_t x)
{
  if (text == NULL || *text == '\0')
    return cli_usage_error(cmd, "%s: empty number", what);
  int base = 10;
  const char *digits = text;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    digits = text + 2;
  }
  if (*digits == '\0')
    return cli_usage_error(cmd, "%s: '%s' is not a number", what, text);
  for (const char *c = digits; *c; c++) {
    if (base == 10 ? !isdigit((unsigned char)*c) : !isxdigit((unsigned char)*c)) {
      if (*c == '-')
        return cli_usage_error(cmd, "%s: '%s' is negative; only non-negative numbers", what, text);
      return cli_usage_error(cmd, "%s: '%s' is not a number (decimal, or hex with 0x)", what, text);
    }
  }
  if (strlen(digits) > 10000)
    return cli_usage_error(cmd, "%s: number too long", what);
  if (mpz_set_str(x, digits, base) != 0)
    return cli_usage_error(cmd, "%s: '%s' is not a number", what, text);
  return KL_EXIT_OK;
}

static void print_mpz(const mpz_t x)
{
  gmp_printf("%Zd\n", x);
}

/* x as a JSON decimal string (the contract: every integer is a string). */
static void cj_mpz(cli_json *j, const char *key, const mpz_t x)
{
  char *s = mpz_get_str(NULL, 10, x);
  size_t n = strlen(s) + 1;
  cj_string(j, key, s);
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(s, n);
}

/* --trace in a build whose trace hooks are compiled out: say so, exit 2. */
static int no_traces(const char *cmd)
{
  cli_error(cmd, "this build has traces disabled (meson -Dtrace=false): --trace has nothing "
                 "to show");
  return KL_EXIT_USAGE;
}

/* Common option loop for commands taking only --trace/--json/--help. */
static int simple_opts(const char *cmd, const char *help, int argc, char **argv, int *trace,
                       int *json)
{
  static const struct option opts[] = {
    {"trace", no_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  /* A negative number would read as an option: say what it is instead. */
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && isdigit((unsigned char)argv[i][1]))
      return cli_usage_error(cmd, "'%s' is negative; only non-negative numbers", argv[i]);
  }
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "tjh", opts, NULL)) != -1;) {
    switch (c) {
    case 't':
      if (trace == NULL)
        return cli_bad_option(cmd, argc, argv);
      *trace = 1;
      break;
    case 'j':
      if (json == NULL)
        return cli_bad_option(cmd, argc, argv);
      *json = 1;
      break;
    case 'h':
      fputs(help, stdout);
      return -1;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (trace != NULL && *trace && !kl_trace_compiled())
    return no_traces(cmd);
  return KL_EXIT_OK;
}

/* ---- prime ---- */

static const char *prime_help =
  "usage: kexlab prime test N [--trace] [--json] [--seed HEX] [--base B]... [--no-sieve]\n"
  "       kexlab prime gen --bits N [--seed HEX] [--trace] [--json]\n"
  "\n"
  "test: print 'prime' (a probable prime: trial division, then 64 Miller-Rabin\n"
  "      rounds with random bases, FIPS 186-5 B.3.1; error < 2^-128 for any N)\n"
  "      or 'composite'. Exit 0 for both.\n"
  "      --trace     first print the trial division's outcome and each Miller-Rabin\n"
  "                  value of B.3.1: w, a, m, wlen, then per round i the base\n"
  "                  b[i], z[i] = b^m mod w, each squaring (j[i], z[i]) and the\n"
  "                  branch taken (step[i]: 4.4, 4.5.2, 4.5.3 or 4.6)\n"
  "      --seed HEX  draw the bases from HMAC_DRBG (reproducible rounds; labs only)\n"
  "      --base B    use base B (1 < B < N-1) instead of random ones, one round per\n"
  "                  --base, in order (e.g. --base 2 shows 2047 passing base 2)\n"
  "      --no-sieve  skip trial division, so Miller-Rabin itself decides (561 =\n"
  "                  3*11*17 is otherwise caught by the divisor 3)\n"
  "gen:  a random probable prime of exactly N bits (16..8192), top two bits set,\n"
  "      sieved, then Miller-Rabin with the rounds of FIPS 186-5 Table B.1.\n"
  "      --seed HEX draws from HMAC_DRBG (reproducible; for labs only).\n"
  "      --trace first prints the search (FIPS 186-5 A.1.3 steps 4.2-4.5): each\n"
  "      random start p0, each candidate that survived the sieve with the count\n"
  "      the sieve struck before it ('sieved'), its Miller-Rabin rounds as above,\n"
  "      then the totals (candidates, sieved_out, mr_tests, mr_rounds).\n"
  "--json prints one JSON object (integers as decimal strings; with --trace,\n"
  "the trace records under \"trace\").\n"
  "Numbers are decimal, or hex with 0x.\n";

#define PRIME_MAX_BASES 64

static int prime_test(int argc, char **argv)
{
  static const char *cmd = "prime test";
  static const struct option opts[] = {
    {"trace", no_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"seed", required_argument, NULL, 's'},
    {"base", required_argument, NULL, 'b'},
    {"no-sieve", no_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  int trace = 0, json = 0, sieve = 1;
  const char *seed = NULL;
  unsigned long bases[PRIME_MAX_BASES];
  size_t nbases = 0;
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && isdigit((unsigned char)argv[i][1]))
      return cli_usage_error(cmd, "'%s' is negative; only non-negative numbers", argv[i]);
  }
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "tjs:b:nh", opts, NULL)) != -1;) {
    switch (c) {
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 's':
      seed = optarg;
      break;
    case 'b': {
      size_t b;
      if (nbases == PRIME_MAX_BASES)
        return cli_usage_error(cmd, "--base: at most %d bases", PRIME_MAX_BASES);
      if (cli_parse_size(cmd, "--base", optarg, 2, 0xffffffffu, &b) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      bases[nbases++] = (unsigned long)b;
      break;
    }
    case 'n':
      sieve = 0;
      break;
    case 'h':
      fputs(prime_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (argc - optind != 1)
    return cli_usage_error(cmd, "expected one number");
  if (seed != NULL && nbases > 0)
    return cli_usage_error(cmd, "--seed and --base exclude each other");
  if (trace && !kl_trace_compiled())
    return no_traces(cmd);
  mpz_t w;
  mpz_init(w);
  int rc = parse_num(cmd, "N", argv[optind], w);
  for (size_t i = 0; rc == KL_EXIT_OK && i < nbases; i++) {
    if (mpz_cmp_ui(w, bases[i] + 1) <= 0)
      rc = cli_usage_error(cmd, "--base %lu: a base must satisfy 1 < B < N-1", bases[i]);
  }
  kl_rng rng;
  kl_hmac_drbg drbg;
  if (rc == KL_EXIT_OK)
    rc = cli_rng_setup(cmd, seed, "seeded bases are reproducible, for labs only", &rng, &drbg);
  if (rc != KL_EXIT_OK) {
    mpz_clear(w);
    return rc;
  }
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, cmd);
    cj_mpz(&j, "w", w);
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  const kl_tracer *t = trace ? &tr : NULL;
  /* kl_prime_test's two halves, so that --no-sieve and --base can change
   * them: trial division, then Miller-Rabin with 64 random bases. */
  kl_primality v = KL_COMPOSITE;
  int decided = 0;
  kl_err err = KL_OK;
  if (sieve)
    err = kl_trial_division(&v, &decided, w, t);
  if (err == KL_OK && !decided) {
    if (nbases > 0)
      err = kl_miller_rabin_bases(&v, w, bases, nbases, t);
    else
      err = kl_miller_rabin(&v, w, KL_MR_ROUNDS_ADVERSARIAL, &rng, t);
  }
  const char *verdict = v == KL_PROBABLY_PRIME ? "prime" : "composite";
  if (err != KL_OK) {
    if (json)
      cj_discard(&j);
    rc = cli_lib_error(cmd, err);
  } else if (json) {
    if (trace)
      cj_array_end(&j);
    cj_string(&j, "verdict", verdict);
    cj_object_end(&j);
    if (cj_finish(&j) != 0)
      rc = KL_EXIT_USAGE;
  } else {
    puts(verdict);
  }
  mpz_clear(w);
  if (seed != NULL)
    kl_hmac_drbg_clear(&drbg);
  return rc;
}

static int prime_gen(int argc, char **argv)
{
  static const char *cmd = "prime gen";
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'}, {"seed", required_argument, NULL, 's'},
    {"trace", no_argument, NULL, 't'},      {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
  };
  size_t bits = 0;
  const char *seed = NULL;
  int trace = 0, json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "b:s:tjh", opts, NULL)) != -1;) {
    switch (c) {
    case 'b':
      if (cli_parse_size(cmd, "--bits", optarg, 16, 8192, &bits) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 's':
      seed = optarg;
      break;
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(prime_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (bits == 0)
    return cli_usage_error(cmd, "--bits is required");
  if (trace && !kl_trace_compiled())
    return no_traces(cmd);
  kl_rng rng;
  kl_hmac_drbg drbg;
  int rc = cli_rng_setup(cmd, seed, "seeded output is reproducible, for labs only", &rng, &drbg);
  if (rc != KL_EXIT_OK)
    return rc;
  if (trace)
    cli_trace_banner(stderr);
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, cmd);
    char num[24];
    snprintf(num, sizeof num, "%zu", bits);
    cj_string(&j, "bits", num);
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  mpz_t p;
  mpz_init(p);
  kl_err err = kl_prime_random_traced(p, &rng, (unsigned)bits, NULL, NULL, NULL,
                                      trace ? &tr : NULL);
  if (err != KL_OK) {
    if (json)
      cj_discard(&j);
    rc = cli_lib_error(cmd, err);
  } else if (json) {
    if (trace)
      cj_array_end(&j);
    cj_mpz(&j, "p", p);
    cj_object_end(&j);
    if (cj_finish(&j) != 0)
      rc = KL_EXIT_USAGE;
  } else {
    print_mpz(p);
  }
  mpz_clear(p);
  if (seed != NULL)
    kl_hmac_drbg_clear(&drbg);
  return rc;
}

int cmd_prime(int argc, char **argv)
{
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(prime_help, argc < 2 ? stderr : stdout);
    return argc < 2 ? KL_EXIT_USAGE : KL_EXIT_OK;
  }
  if (strcmp(argv[1], "test") == 0)
    return prime_test(argc - 1, argv + 1);
  if (strcmp(argv[1], "gen") == 0)
    return prime_gen(argc - 1, argv + 1);
  return cli_usage_error("prime", "unknown subcommand '%s' (test or gen)", argv[1]);
}

/* ---- egcd, modinv, modexp ---- */

static const char *egcd_help =
  "usage: kexlab egcd A B [--trace] [--json]\n"
  "\n"
  "Extended Euclid: g = gcd(A, B) and s, t with s*A + t*B = g. Prints\n"
  "'g s t'. --trace first prints the table a student writes: one row i per\n"
  "division, with quotient q, remainder r and s, t such that s*A + t*B = r.\n"
  "--json prints {\"a\", \"b\", \"g\", \"s\", \"t\"} as decimal strings (with\n"
  "--trace, the rows' values as trace records under \"trace\").\n";

/* Open the --json object of a number-theory command and, with --trace, its
 * "trace" array; tr then writes its records there. */
static void json_begin(cli_json *j, const char *cmd, int trace)
{
  cj_init(j, stdout);
  cj_command_begin(j, cmd);
  if (trace)
    cj_array_begin(j, "trace");
}

/* Close the "trace" array (with --trace) before the results follow. */
static void json_trace_end(cli_json *j, int trace)
{
  if (trace)
    cj_array_end(j);
}

static int json_end(cli_json *j)
{
  cj_object_end(j);
  return cj_finish(j) == 0 ? KL_EXIT_OK : KL_EXIT_USAGE;
}

int cmd_egcd(int argc, char **argv)
{
  int trace = 0, json = 0;
  int rc = simple_opts("egcd", egcd_help, argc, argv, &trace, &json);
  if (rc != KL_EXIT_OK)
    return rc < 0 ? KL_EXIT_OK : rc;
  if (argc - optind != 2)
    return cli_usage_error("egcd", "expected two numbers A B");
  mpz_t a, b, g, s, t;
  mpz_inits(a, b, g, s, t, NULL);
  rc = parse_num("egcd", "A", argv[optind], a);
  if (rc == KL_EXIT_OK)
    rc = parse_num("egcd", "B", argv[optind + 1], b);
  if (rc == KL_EXIT_OK && json) {
    cli_json j;
    cli_tracer ct;
    kl_tracer tr;
    json_begin(&j, "egcd", trace);
    cli_tracer_init(&tr, &ct, stdout, &j);
    kl_err err = kl_egcd(g, s, t, a, b, trace ? &tr : NULL);
    if (err != KL_OK) {
      cj_discard(&j);
      rc = cli_lib_error("egcd", err);
    } else {
      json_trace_end(&j, trace);
      cj_mpz(&j, "a", a);
      cj_mpz(&j, "b", b);
      cj_mpz(&j, "g", g);
      cj_mpz(&j, "s", s);
      cj_mpz(&j, "t", t);
      rc = json_end(&j);
    }
  } else if (rc == KL_EXIT_OK) {
    static const char *const cols[] = {"q", "r", "s", "t"};
    kl_tracer tr;
    trace_table tab;
    trace_table_init(&tab, &tr, cols, 4, "i", NULL);
    kl_err err = kl_egcd(g, s, t, a, b, trace ? &tr : NULL);
    if (err != KL_OK) {
      rc = cli_lib_error("egcd", err);
    } else {
      if (trace)
        trace_table_print(&tab, stdout, "");
      gmp_printf("%Zd %Zd %Zd\n", g, s, t);
    }
    trace_table_clear(&tab);
  }
  mpz_clears(a, b, g, s, t, NULL);
  return rc;
}

static const char *modinv_help =
  "usage: kexlab modinv A M [--trace] [--json]\n"
  "\n"
  "x = A^-1 mod M (M >= 2), by extended Euclid. Exit 1 with an error when\n"
  "gcd(A, M) != 1 (no inverse exists).\n"
  "--trace first prints the extended-Euclid table of M and A mod M, exactly as\n"
  "'kexlab egcd M A --trace' prints it (row i: s*M + t*A = r), then the last\n"
  "step: the t of the row with r = 1, and x = t mod M.\n"
  "--json prints {\"a\", \"m\", \"x\"} as decimal strings (with --trace, the\n"
  "trace records under \"trace\").\n";

/* "inverse", the value kl_modinv traces after the table, kept for the last
 * line of the text trace. */
static void modinv_inverse_cb(void *user, const kl_trace_value *v)
{
  char **inverse = user;
  if (v->kind != KL_TRACE_INT || v->index >= 0 || strcmp(v->label, "inverse") != 0)
    return;
  free(*inverse);
  *inverse = cli_trace_int_decimal(v);
}

int cmd_modinv(int argc, char **argv)
{
  int trace = 0, json = 0;
  int rc = simple_opts("modinv", modinv_help, argc, argv, &trace, &json);
  if (rc != KL_EXIT_OK)
    return rc < 0 ? KL_EXIT_OK : rc;
  if (argc - optind != 2)
    return cli_usage_error("modinv", "expected two numbers A M");
  mpz_t a, m, x;
  mpz_inits(a, m, x, NULL);
  rc = parse_num("modinv", "A", argv[optind], a);
  if (rc == KL_EXIT_OK)
    rc = parse_num("modinv", "M", argv[optind + 1], m);
  if (rc == KL_EXIT_OK && mpz_cmp_ui(m, 2) < 0)
    rc = cli_usage_error("modinv", "M must be at least 2");
  if (rc == KL_EXIT_OK) {
    static const char *const cols[] = {"q", "r", "s", "t"};
    char *inverse = NULL;
    kl_tracer tail_tr = {modinv_inverse_cb, &inverse};
    kl_tracer tr, jtr;
    trace_table tab;
    cli_json j;
    cli_tracer ct;
    /* Text: the table, which forwards "inverse" to tail_tr.
     * JSON: every record straight into the "trace" array. */
    trace_table_init(&tab, &tr, cols, 4, "i", &tail_tr);
    if (json) {
      json_begin(&j, "modinv", trace);
      cli_tracer_init(&jtr, &ct, stdout, &j);
    }
    kl_err err = kl_modinv(x, a, m, trace ? (json ? &jtr : &tr) : NULL);
    if (err != KL_OK && json)
      cj_discard(&j);
    if (err == KL_ERR_NO_INVERSE) {
      cli_error("modinv", "no inverse: gcd(A, M) != 1");
      rc = KL_EXIT_FAIL;
    } else if (err != KL_OK) {
      rc = cli_lib_error("modinv", err);
    } else if (json) {
      json_trace_end(&j, trace);
      cj_mpz(&j, "a", a);
      cj_mpz(&j, "m", m);
      cj_mpz(&j, "x", x);
      rc = json_end(&j);
    } else {
      if (trace) {
        trace_table_print(&tab, stdout, "");
        /* The last step: the row before r = 0 has r = gcd = 1, and its t is
         * the coefficient of A mod M, the inverse up to a multiple of M. */
        const char *t = tab.nrows >= 2 ? tab.rows[tab.nrows - 2].cell[3] : NULL;
        gmp_printf("inverse = t mod M = %s mod %Zd = %s\n", t ? t : "?", m,
                   inverse ? inverse : "?");
      }
      print_mpz(x);
    }
    trace_table_clear(&tab);
    free(inverse);
  }
  mpz_clears(a, m, x, NULL);
  return rc;
}

static const char *modexp_help =
  "usage: kexlab modexp B E M [--trace] [--json]\n"
  "\n"
  "B^E mod M (M >= 1) by left-to-right square-and-multiply. --trace first\n"
  "prints the steps as a table: for each bit i of E from the top, the bit,\n"
  "the accumulator after squaring, and after multiplying by B (1 bits only).\n"
  "--json prints {\"b\", \"e\", \"m\", \"result\"} as decimal strings (with\n"
  "--trace, the steps as trace records under \"trace\").\n"
  "(Textbook and NOT constant-time: never use it on a secret exponent.)\n";

int cmd_modexp(int argc, char **argv)
{
  int trace = 0, json = 0;
  int rc = simple_opts("modexp", modexp_help, argc, argv, &trace, &json);
  if (rc != KL_EXIT_OK)
    return rc < 0 ? KL_EXIT_OK : rc;
  if (argc - optind != 3)
    return cli_usage_error("modexp", "expected three numbers B E M");
  mpz_t b, e, m, r;
  mpz_inits(b, e, m, r, NULL);
  rc = parse_num("modexp", "B", argv[optind], b);
  if (rc == KL_EXIT_OK)
    rc = parse_num("modexp", "E", argv[optind + 1], e);
  if (rc == KL_EXIT_OK)
    rc = parse_num("modexp", "M", argv[optind + 2], m);
  if (rc == KL_EXIT_OK && mpz_sgn(m) == 0)
    rc = cli_usage_error("modexp", "M must be at least 1");
  if (rc == KL_EXIT_OK && mpz_sizeinbase(e, 2) > 65536)
    rc = cli_usage_error("modexp", "E too large for the textbook path");
  if (rc == KL_EXIT_OK && json) {
    cli_json j;
    cli_tracer ct;
    kl_tracer tr;
    json_begin(&j, "modexp", trace);
    cli_tracer_init(&tr, &ct, stdout, &j);
    kl_err err = kl_modexp(r, b, e, m, trace ? &tr : NULL);
    if (err != KL_OK) {
      cj_discard(&j);
      rc = cli_lib_error("modexp", err);
    } else {
      json_trace_end(&j, trace);
      cj_mpz(&j, "b", b);
      cj_mpz(&j, "e", e);
      cj_mpz(&j, "m", m);
      cj_mpz(&j, "result", r);
      rc = json_end(&j);
    }
  } else if (rc == KL_EXIT_OK) {
    static const char *const cols[] = {"bit", "square", "multiply"};
    kl_tracer tr;
    trace_table tab;
    trace_table_init(&tab, &tr, cols, 3, "i", NULL);
    kl_err err = kl_modexp(r, b, e, m, trace ? &tr : NULL);
    if (err != KL_OK) {
      rc = cli_lib_error("modexp", err);
    } else {
      if (trace)
        trace_table_print(&tab, stdout, "");
      print_mpz(r);
    }
    trace_table_clear(&tab);
  }
  mpz_clears(b, e, m, r, NULL);
  return rc;
}
