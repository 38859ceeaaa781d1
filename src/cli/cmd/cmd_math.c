/* cmd_math.c: `kexlab prime test|gen`, `kexlab egcd`, `kexlab modinv`,
 * `kexlab modexp`: the number theory of src/math/ from the shell, with the
 * textbook traces (--trace) a student compares with a hand computation.
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
        return cli_usage_error(cmd, "%s: '%s' is negative; only non-negative numbers", what,
                               text);
      return cli_usage_error(cmd, "%s: '%s' is not a number (decimal, or hex with 0x)", what,
                             text);
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

/* Common option loop for commands taking only --trace/--help. */
static int simple_opts(const char *cmd, const char *help, int argc, char **argv, int *trace)
{
  static const struct option opts[] = {
    {"trace", no_argument, NULL, 't'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  /* A negative number would read as an option: say what it is instead. */
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '-' && isdigit((unsigned char)argv[i][1]))
      return cli_usage_error(cmd, "'%s' is negative; only non-negative numbers", argv[i]);
  }
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "th", opts, NULL)) != -1;) {
    switch (c) {
    case 't':
      if (trace == NULL)
        return cli_bad_option(cmd, argc, argv);
      *trace = 1;
      break;
    case 'h':
      fputs(help, stdout);
      return -1;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  return KL_EXIT_OK;
}

/* ---- prime ---- */

static const char *prime_help =
  "usage: kexlab prime test N\n"
  "       kexlab prime gen --bits N [--seed HEX]\n"
  "\n"
  "test: print 'prime' (a probable prime: trial division, then 64 Miller-Rabin\n"
  "      rounds with random bases, FIPS 186-5 B.3.1; error < 2^-128 for any N)\n"
  "      or 'composite'. Exit 0 for both.\n"
  "gen:  a random probable prime of exactly N bits (16..8192), top two bits set,\n"
  "      sieved, then Miller-Rabin with the rounds of FIPS 186-5 Table B.1.\n"
  "      --seed HEX draws from HMAC_DRBG (reproducible; for labs only).\n"
  "Numbers are decimal, or hex with 0x.\n";

static int prime_test(int argc, char **argv)
{
  int rc = simple_opts("prime test", prime_help, argc, argv, NULL);
  if (rc != KL_EXIT_OK)
    return rc < 0 ? KL_EXIT_OK : rc;
  if (argc - optind != 1)
    return cli_usage_error("prime test", "expected one number");
  mpz_t w;
  mpz_init(w);
  rc = parse_num("prime test", "N", argv[optind], w);
  if (rc == KL_EXIT_OK) {
    kl_rng rng;
    kl_rng_os(&rng);
    kl_primality v;
    kl_err err = kl_prime_test(&v, w, &rng);
    if (err != KL_OK) {
      rc = cli_lib_error("prime test", err);
    } else {
      puts(v == KL_PROBABLY_PRIME ? "prime" : "composite");
    }
  }
  mpz_clear(w);
  return rc;
}

static int prime_gen(int argc, char **argv)
{
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'},
    {"seed", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  size_t bits = 0;
  const char *seed = NULL;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "b:s:h", opts, NULL)) != -1;) {
    switch (c) {
    case 'b':
      if (cli_parse_size("prime gen", "--bits", optarg, 16, 8192, &bits) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 's':
      seed = optarg;
      break;
    case 'h':
      fputs(prime_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("prime gen", argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error("prime gen", "unexpected argument '%s'", argv[optind]);
  if (bits == 0)
    return cli_usage_error("prime gen", "--bits is required");
  kl_rng rng;
  kl_hmac_drbg drbg;
  int rc = cli_rng_setup("prime gen", seed, "seeded output is reproducible, for labs only", &rng,
                         &drbg);
  if (rc != KL_EXIT_OK)
    return rc;
  mpz_t p;
  mpz_init(p);
  kl_err err = kl_prime_random(p, &rng, (unsigned)bits, NULL, NULL);
  if (err != KL_OK) {
    rc = cli_lib_error("prime gen", err);
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
  "usage: kexlab egcd A B [--trace]\n"
  "\n"
  "Extended Euclid: g = gcd(A, B) and s, t with s*A + t*B = g. Prints\n"
  "'g s t'. --trace first prints the table a student writes: one row i per\n"
  "division, with quotient q, remainder r and s, t such that s*A + t*B = r.\n";

int cmd_egcd(int argc, char **argv)
{
  int trace = 0;
  int rc = simple_opts("egcd", egcd_help, argc, argv, &trace);
  if (rc != KL_EXIT_OK)
    return rc < 0 ? KL_EXIT_OK : rc;
  if (argc - optind != 2)
    return cli_usage_error("egcd", "expected two numbers A B");
  mpz_t a, b, g, s, t;
  mpz_inits(a, b, g, s, t, NULL);
  rc = parse_num("egcd", "A", argv[optind], a);
  if (rc == KL_EXIT_OK)
    rc = parse_num("egcd", "B", argv[optind + 1], b);
  if (rc == KL_EXIT_OK) {
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
  "usage: kexlab modinv A M\n"
  "\n"
  "x = A^-1 mod M (M >= 2), by extended Euclid. Exit 1 with an error when\n"
  "gcd(A, M) != 1 (no inverse exists).\n";

int cmd_modinv(int argc, char **argv)
{
  int rc = simple_opts("modinv", modinv_help, argc, argv, NULL);
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
    kl_err err = kl_modinv(x, a, m, NULL);
    if (err == KL_ERR_NO_INVERSE) {
      cli_error("modinv", "no inverse: gcd(A, M) != 1");
      rc = KL_EXIT_FAIL;
    } else if (err != KL_OK) {
      rc = cli_lib_error("modinv", err);
    } else {
      print_mpz(x);
    }
  }
  mpz_clears(a, m, x, NULL);
  return rc;
}

static const char *modexp_help =
  "usage: kexlab modexp B E M [--trace]\n"
  "\n"
  "B^E mod M (M >= 1) by left-to-right square-and-multiply. --trace first\n"
  "prints the steps as a table: for each bit i of E from the top, the bit,\n"
  "the accumulator after squaring, and after multiplying by B (1 bits only).\n"
  "(Textbook and NOT constant-time: never use it on a secret exponent.)\n";

int cmd_modexp(int argc, char **argv)
{
  int trace = 0;
  int rc = simple_opts("modexp", modexp_help, argc, argv, &trace);
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
  if (rc == KL_EXIT_OK) {
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
