/* cmd_rsa_keygen.c: `kexlab rsa keygen`: an RSA key pair by FIPS 186-5
 * A.1.3 (src/rsa/keygen.c), printed as text in the layout of
 * `openssl rsa -text -noout` (the eight values of RFC 8017 §3.2 in hex).
 * or in any key-file format of keyfile.h (--format, --out, --pubout), written
 * through cli_keyio (private key files: mode 0600, never overwritten without
 * --force). Progress: one character per candidate on stderr, as openssl
 * genrsa prints it, when stderr is a terminal or with --progress.
 * --trace prints the A.1.3 search and every check with its threshold
 * (kl_rsa_keygen_traced); --json the key as one object (docs/json.md). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_keyio.h"
#include "commands.h"

static const char *keygen_help =
  "usage: kexlab rsa keygen [--bits N] [--e E] [--phi] [--primes U] [--seed HEX]\n"
  "                         [--progress] [--out FILE] [--pubout FILE] [--format FMT]\n"
  "                         [--force] [--trace] [--json]\n"
  "\n"
  "Generate an RSA key pair (FIPS 186-5 A.1.3: random probable primes, Miller-Rabin\n"
  "rounds of Table B.1, |p-q| > 2^(nlen/2-100), d > 2^(nlen/2)). Without --out and\n"
  "--format it prints the eight values (n e d p q dP dQ qInv) as text, like\n"
  "`openssl rsa -text -noout`; with --out it writes a key file (PEM by default).\n"
  "\n"
  "  --bits N      modulus size, even, 1024..8192 (default 2048)\n"
  "  --e E         public exponent, odd, >= 3 (default 65537; below 65537 warns)\n"
  "  --phi         d = e^-1 mod phi(n) (older texts, .NET) instead of lambda(n)\n"
  "  --primes U    a multi-prime key (RFC 8017 §3.2) of U primes of nlen/U bits:\n"
  "                at most 3 below 4096 bits, 4 below 8192, 5 at 8192 (default 2;\n"
  "                FIPS 186-5 allows 2 only); not with --trace\n"
  "  --seed HEX    reproducible keys from HMAC_DRBG: FOR LABS ONLY\n"
  "  --out FILE    write the private key to FILE (mode 0600); - is standard output\n"
  "  --pubout FILE also write the public key to FILE (SPKI PEM, or the public\n"
  "                form of --format)\n"
  "  --format FMT  text|" CLI_KEY_FORMAT_NAMES "\n"
  "                (default: pem with --out, text on standard output)\n"
  "  --force       replace existing files\n"
  "  --progress    one character per candidate on stderr ('.' tested, '+' a\n"
  "                Miller-Rabin round passed, '*' prime found); the default\n"
  "                when stderr is a terminal\n"
  "  --trace       first print the search on standard output (FIPS 186-5 A.1.3):\n"
  "                for p and q each random start, candidate and Miller-Rabin\n"
  "                round (as 'kexlab prime gen --trace'), then every check with\n"
  "                its threshold: steps 4.4/5.5 (p, q >= sqrt(2)*2^(nlen/2-1)),\n"
  "                4.5/5.6 (gcd(p-1, e) = 1), 5.4 (|p-q| > 2^(nlen/2-100)) and\n"
  "                A.1.1 (d > 2^(nlen/2)); prints secrets: use with --seed\n"
  "  --json        one JSON object {nlen, e, n, d, p, q, dP, dQ, qInv} (decimal\n"
  "                strings; with --trace the records under \"trace\"; with --primes\n"
  "                above 2, \"other_primes\": [{r, d, t}]); not with --out,\n"
  "                --pubout or --format\n";

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

static void progress_cb(void *user, char ev)
{
  (void)user;
  fputc(ev, stderr);
  fflush(stderr);
}

/* Text form: rendered in memory, then written like any secret file. */
static int write_key_as_text(const char *cmd, const char *path, int force, const kl_rsa_priv *key)
{
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  if (mem == NULL) {
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  cli_print_priv_text(mem, key);
  int bad = fclose(mem) != 0;
  int rc = bad ? KL_EXIT_USAGE : cli_write_secret_file(cmd, path, force, (uint8_t *)text, len);
  if (bad)
    cli_error(cmd, "out of memory");
  cli_free((uint8_t *)text, len);
  return rc;
}

/* The writing step: the private key in `format` ("text" or a key format),
 * then the public key to pubout if asked. */
static int write_key(const char *cmd, const char *path, const char *pubout, const char *format,
                     int force, const kl_rsa_priv *key)
{
  int rc;
  if (strcmp(format, "text") == 0) {
    rc = write_key_as_text(cmd, path, force, key);
  } else {
    kl_key_format fmt;
    rc = cli_key_format_parse(cmd, format, 0, &fmt);
    if (rc == KL_EXIT_OK)
      rc = cli_save_key(cmd, path, force, fmt, key, NULL);
  }
  if (rc != KL_EXIT_OK || pubout == NULL)
    return rc;
  /* The public file: the public form of the chosen format, SPKI PEM for text. */
  const char *pub_format = strcmp(format, "text") == 0 ? "pem" : format;
  if (strcmp(pub_format, "pkcs8") == 0)
    pub_format = "spki"; /* PKCS#8 has no public form: SPKI is its companion */
  kl_key_format pfmt;
  rc = cli_key_format_parse(cmd, pub_format, 1, &pfmt);
  if (rc != KL_EXIT_OK)
    return rc;
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, key);
  rc = cli_save_key(cmd, pubout, force, pfmt, NULL, &pub);
  kl_rsa_pub_clear(&pub);
  return rc;
}

/* Check --format before the (slow) key generation, so a typo fails at once. */
static int check_format(const char *cmd, const char *format)
{
  if (strcmp(format, "text") == 0)
    return KL_EXIT_OK;
  kl_key_format fmt;
  return cli_key_format_parse(cmd, format, 0, &fmt);
}

int rsa_keygen(int argc, char **argv)
{
  static const char *cmd = "rsa keygen";
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'},   {"e", required_argument, NULL, 'e'},
    {"phi", no_argument, NULL, 'p'},          {"seed", required_argument, NULL, 's'},
    {"out", required_argument, NULL, 'o'},    {"pubout", required_argument, NULL, 'u'},
    {"format", required_argument, NULL, 'f'}, {"primes", required_argument, NULL, 'N'},
    {"force", no_argument, NULL, 'F'},        {"progress", no_argument, NULL, 'P'},
    {"trace", no_argument, NULL, 't'},        {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
  };
  size_t bits = KL_RSA_DEFAULT_BITS, primes = 2;
  const char *e_text = NULL, *seed_hex = NULL, *out = NULL, *pubout = NULL, *format = NULL;
  int phi = 0, force = 0, progress = isatty(fileno(stderr)), trace = 0, json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "b:e:ps:o:u:f:N:FPtjh", opts, NULL)) != -1;) {
    switch (c) {
    case 'b':
      if (cli_parse_size(cmd, "--bits", optarg, KL_RSA_MIN_BITS, KL_RSA_MAX_BITS, &bits) !=
          KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'e':
      e_text = optarg;
      break;
    case 'p':
      phi = 1;
      break;
    case 's':
      seed_hex = optarg;
      break;
    case 'o':
      out = optarg;
      break;
    case 'u':
      pubout = optarg;
      break;
    case 'f':
      format = optarg;
      break;
    case 'N':
      if (cli_parse_size(cmd, "--primes", optarg, 2, KL_RSA_MAX_PRIMES, &primes) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'F':
      force = 1;
      break;
    case 'P':
      progress = 1;
      break;
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(keygen_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (bits % 2 != 0)
    return cli_usage_error(cmd, "--bits must be even (p and q get nlen/2 bits each)");
  if (primes > kl_rsa_max_primes((unsigned)bits))
    return cli_usage_error(cmd,
                           "--primes: a %zu-bit key takes at most %u primes (each prime keeps "
                           "at least about 340 bits)",
                           bits, kl_rsa_max_primes((unsigned)bits));
  if (primes > 2 && trace)
    return cli_usage_error(cmd, "--trace follows FIPS 186-5's two-prime generation: not with "
                                "--primes");
  if (json && (out != NULL || pubout != NULL || format != NULL))
    return cli_usage_error(cmd, "--json prints the key itself: not with --out, --pubout, --format");
  if (trace && !kl_trace_compiled()) {
    cli_error(cmd, "this build has traces disabled (meson -Dtrace=false): --trace has nothing "
                   "to show");
    return KL_EXIT_USAGE;
  }
  if (format == NULL)
    format = (out != NULL && strcmp(out, "-") != 0) ? "pem" : "text";
  if (check_format(cmd, format) != KL_EXIT_OK)
    return KL_EXIT_USAGE;

  int rc = KL_EXIT_OK;
  mpz_t e;
  mpz_init_set_ui(e, KL_RSA_DEFAULT_E);
  if (e_text != NULL) {
    int base = 10;
    const char *digits = e_text;
    if (e_text[0] == '0' && (e_text[1] == 'x' || e_text[1] == 'X')) {
      base = 16;
      digits += 2;
    }
    if (*digits == '\0' ||
        strspn(digits, base == 10 ? "0123456789" : "0123456789abcdefABCDEF") != strlen(digits) ||
        mpz_set_str(e, digits, base) != 0) {
      rc = cli_usage_error(cmd, "--e: '%s' is not a number (decimal, or hex with 0x)", e_text);
      goto out;
    }
    if (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e) || mpz_sizeinbase(e, 2) > 256) {
      rc = cli_usage_error(cmd, "--e must be odd, at least 3 and below 2^256");
      goto out;
    }
    if (mpz_cmp_ui(e, KL_RSA_DEFAULT_E) < 0)
      cli_error(cmd, "warning: e below 65537 is outside FIPS 186-5 (2^16 < e < 2^256)");
  }

  kl_rng rng;
  kl_hmac_drbg drbg;
  rc = cli_rng_setup(
    cmd, seed_hex, "a seeded key is reproducible by anyone with the seed: labs only", &rng, &drbg);
  if (rc != KL_EXIT_OK)
    goto out;

  kl_progress prog = {progress_cb, NULL};
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (trace)
    cli_trace_banner(stderr);
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, cmd);
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  kl_err err = primes > 2
                 ? kl_rsa_keygen_multi(&key, &rng, (unsigned)bits, e, (unsigned)primes,
                                       phi ? KL_RSA_KEYGEN_PHI : 0, progress ? &prog : NULL)
                 : kl_rsa_keygen_traced(&key, &rng, (unsigned)bits, e, phi ? KL_RSA_KEYGEN_PHI : 0,
                                        progress ? &prog : NULL, trace ? &tr : NULL);
  if (err != KL_OK) {
    if (json)
      cj_discard(&j); /* the trace may hold candidate primes: wiped on free */
    cli_error(cmd, "key generation failed: %s", kl_strerror(err));
    rc = cli_exit_for(err);
  } else if (json) {
    if (trace)
      cj_array_end(&j);
    char num[24];
    snprintf(num, sizeof num, "%zu", bits);
    cj_string(&j, "nlen", num);
    cj_mpz(&j, "e", key.e);
    cj_mpz(&j, "n", key.n);
    cj_mpz(&j, "d", key.d);
    cj_mpz(&j, "p", key.p);
    cj_mpz(&j, "q", key.q);
    cj_mpz(&j, "dP", key.dP);
    cj_mpz(&j, "dQ", key.dQ);
    cj_mpz(&j, "qInv", key.qInv);
    if (key.n_other > 0) {
      cj_array_begin(&j, "other_primes");
      for (unsigned i = 0; i < key.n_other; i++) {
        cj_object_begin(&j, NULL);
        cj_mpz(&j, "r", key.other[i].r);
        cj_mpz(&j, "d", key.other[i].d);
        cj_mpz(&j, "t", key.other[i].t);
        cj_object_end(&j);
      }
      cj_array_end(&j);
    }
    cj_object_end(&j);
    rc = cj_finish(&j) == 0 ? KL_EXIT_OK : KL_EXIT_USAGE;
  } else {
    rc = write_key(cmd, out, pubout, format, force, &key);
  }
  kl_rsa_priv_clear(&key);
  if (seed_hex != NULL)
    kl_hmac_drbg_clear(&drbg);
out:
  mpz_clear(e);
  return rc;
}
