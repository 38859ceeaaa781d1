/* cmd_rsa_keyfile.c: `kexlab rsa show`, `rsa convert` and `rsa check`.
 *   show KEYFILE [--json]      the key's integers, laid out as
 *                              `openssl pkey -text -noout` prints them
 *   convert IN --to FORMAT [--public] [--out FILE|-] [--force]
 *   check KEYFILE [--json]     an audit: every check, what it verified, why it matters;
 *                              exit 1 only when the key is inconsistent or unsafe,
 *                              never for a policy (FIPS 186-5) condition alone
 * Formats are detected on input (keyfile.h); output files that hold a private
 * key are created 0600 and never overwritten without --force (cli_keyio.c).
 * GMP is used here only to print integers and for the exact bounds of the
 * safety checks (Wiener, Fermat). docs/keyfiles.md lists which check does what. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_keyio.h"
#include "cli_pss_key.h"
#include "commands.h"

/* ---- printing integers as JSON (text: cli_print_key_int) ---- */

/* x as a decimal string, as every integer of the --json output is.
 * Secrets: the digits of d, p, q, ... are wiped before they are freed. */
static void json_int(cli_json *j, const char *key, const mpz_t x)
{
  char *digits = mpz_get_str(NULL, 10, x);
  if (digits == NULL) {
    cj_null(j, key);
    return;
  }
  size_t len = strlen(digits);
  cj_string(j, key, digits);
  kl_wipe(digits, len);
  void (*free_fn)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &free_fn);
  free_fn(digits, len + 1);
}

/* An unsigned count as a decimal string. */
static void json_count(cli_json *j, const char *key, unsigned long long v)
{
  char buf[24];
  snprintf(buf, sizeof buf, "%llu", v);
  cj_string(j, key, buf);
}

/* The options show and check share: one KEYFILE and --json. Returns
 * KL_EXIT_OK with *path and *json set, or an exit status; *done after --help. */
static int parse_keyfile_json(const char *cmd, const char *usage, int argc, char **argv,
                              const char **path, int *json, int *done)
{
  static const struct option opts[] = {
    {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
  *json = 0;
  *done = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      *json = 1;
      break;
    case 'h':
      fputs(usage, stdout);
      *done = 1;
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind + 1 != argc)
    return cli_usage_error(cmd, "expected one KEYFILE");
  *path = argv[optind];
  return KL_EXIT_OK;
}

static const char show_usage[] =
  "usage: kexlab rsa show KEYFILE [--json]\n"
  "Print the key's values in the layout of `openssl pkey -text -noout`.\n"
  "KEYFILE ('-' for standard input) may be PKCS#1, PKCS#8, SPKI or RSAPublicKey\n"
  "(PEM or DER) or a .NET RSAParameters XML or JSON file; the format is detected.\n"
  "  --json   one JSON object: format, bits, private, and the integers as\n"
  "           decimal strings (docs/schema/rsa-show.schema.json)\n";

int rsa_show(int argc, char **argv)
{
  const char *cmd = "rsa show";
  const char *path = NULL;
  int json, done;
  int rc = parse_keyfile_json(cmd, show_usage, argc, argv, &path, &json, &done);
  if (rc != KL_EXIT_OK || done)
    return rc;
  kl_rsa_keyfile kf;
  rc = cli_load_key(cmd, path, CLI_KEY_ANY, &kf);
  if (rc != KL_EXIT_OK) {
    kl_rsa_keyfile_clear(&kf);
    return rc;
  }
  size_t bits = mpz_sizeinbase(kf.pub.n, 2);
  const kl_rsa_priv *k = &kf.priv;
  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_command_begin(&j, "rsa show");
    cj_string(&j, "format", kl_key_format_name(kf.format));
    json_count(&j, "bits", bits);
    cj_bool(&j, "private", kf.has_private);
    json_int(&j, "n", kf.pub.n);
    json_int(&j, "e", kf.pub.e);
    if (kf.has_private) {
      json_int(&j, "d", k->d);
      json_int(&j, "p", k->p);
      json_int(&j, "q", k->q);
      json_int(&j, "dP", k->dP);
      json_int(&j, "dQ", k->dQ);
      json_int(&j, "qInv", k->qInv);
    }
    cli_json_pss_params(&j, &kf.pss);
    cj_object_end(&j);
    cj_finish(&j);
  } else if (kf.has_private) {
    cli_print_priv_text(stdout, k);
    cli_print_pss_params(stdout, &kf.pss);
  } else {
    printf("Public-Key: (%zu bit)\n", bits);
    cli_print_key_int(stdout, "Modulus", kf.pub.n);
    cli_print_key_int(stdout, "Exponent", kf.pub.e);
    cli_print_pss_params(stdout, &kf.pss);
  }
  kl_rsa_keyfile_clear(&kf);
  return KL_EXIT_OK;
}

/* ---- convert ---- */

static const char convert_usage[] =
  "usage: kexlab rsa convert IN --to FORMAT [--public] [--out FILE|-] [--force] [--json]\n"
  "Read a key in any supported format (detected) and write it in another.\n"
  "  --to FORMAT  " CLI_KEY_FORMAT_NAMES "\n"
  "               pem    PKCS#1 'RSA PRIVATE KEY' (a public key: SPKI 'PUBLIC KEY')\n"
  "               pkcs8  PKCS#8 'PRIVATE KEY' (unencrypted)\n"
  "               der    PKCS#1 RSAPrivateKey DER (a public key: SPKI DER)\n"
  "               pkcs1-pub  'RSA PUBLIC KEY';  spki  'PUBLIC KEY'\n"
  "               dotnet-xml, dotnet-json  .NET RSAParameters (RSA.ToXmlString layout)\n"
  "               also: pkcs1-der pkcs8-der spki-der pkcs1-pub-der ...\n"
  "  --public     write only the public key (n, e)\n"
  "  --out FILE   output file (default '-': standard output); a file holding a\n"
  "               private key is created with mode 0600\n"
  "  --force      replace FILE if it exists (never done otherwise)\n"
  "  --restrict-pss  write a key restricted to RSASSA-PSS (id-RSASSA-PSS,\n"
  "               RFC 4055 §3.1; pkcs8 or spki only), without parameters unless\n"
  "  --pss-hash H, --pss-mgf1-hash H, --pss-salt-len N\n"
  "               give them (defaults: --pss-hash, MGF1 with that hash, a salt\n"
  "               as long as the hash). A restricted input key keeps its own.\n"
  "  --json       after writing FILE, print one JSON object saying what was\n"
  "               written (docs/schema/rsa-convert.schema.json); needs --out FILE\n";

/* The RSASSA-PSS-params --restrict-pss and --pss-* ask for (pp->restricted
 * = 0 when none of them is given). Returns KL_EXIT_*. */
static int convert_pss_params(const char *cmd, int restrict_pss, const char *hash, const char *mgf1,
                              const char *salt, kl_pss_key_params *pp)
{
  memset(pp, 0, sizeof *pp);
  if (!restrict_pss && hash == NULL && mgf1 == NULL && salt == NULL)
    return KL_EXIT_OK;
  pp->restricted = 1;
  if (hash == NULL && mgf1 == NULL && salt == NULL)
    return KL_EXIT_OK; /* no parameters: any RSASSA-PSS use */
  kl_pss_key_params_default(pp);
  if (hash == NULL)
    return cli_usage_error(cmd, "--pss-mgf1-hash and --pss-salt-len need --pss-hash");
  if (kl_hash_from_name(hash, &pp->hash) != KL_OK)
    return cli_usage_error(cmd, "--pss-hash: unknown hash '%s'", hash);
  pp->mgf_hash = pp->hash;
  if (mgf1 != NULL && kl_hash_from_name(mgf1, &pp->mgf_hash) != KL_OK)
    return cli_usage_error(cmd, "--pss-mgf1-hash: unknown hash '%s'", mgf1);
  pp->sLen = kl_hash_digest_len(pp->hash);
  if (salt != NULL &&
      cli_parse_size(cmd, "--pss-salt-len", salt, 0, KL_RSA_MAX_BITS / 8, &pp->sLen) != KL_EXIT_OK)
    return KL_EXIT_USAGE;
  return KL_EXIT_OK;
}

int rsa_convert(int argc, char **argv)
{
  const char *cmd = "rsa convert";
  static const struct option opts[] = {{"to", required_argument, NULL, 't'},
                                       {"public", no_argument, NULL, 'p'},
                                       {"out", required_argument, NULL, 'o'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"json", no_argument, NULL, 'j'},
                                       {"help", no_argument, NULL, 'h'},
                                       {"restrict-pss", no_argument, NULL, 'R'},
                                       {"pss-hash", required_argument, NULL, 'H'},
                                       {"pss-mgf1-hash", required_argument, NULL, 'M'},
                                       {"pss-salt-len", required_argument, NULL, 'S'},
                                       {NULL, 0, NULL, 0}};
  const char *pss_hash = NULL, *pss_mgf1 = NULL, *pss_salt = NULL;
  int restrict_pss = 0;
  const char *to = NULL;
  const char *out = "-";
  int public_only = 0, force = 0, json = 0;
  int c;
  cli_getopt_reset();
  while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (c) {
    case 't':
      to = optarg;
      break;
    case 'p':
      public_only = 1;
      break;
    case 'o':
      out = optarg;
      break;
    case 'f':
      force = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'R':
      restrict_pss = 1;
      break;
    case 'H':
      pss_hash = optarg;
      break;
    case 'M':
      pss_mgf1 = optarg;
      break;
    case 'S':
      pss_salt = optarg;
      break;
    case 'h':
      fputs(convert_usage, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind + 1 != argc)
    return cli_usage_error(cmd, "expected one input key file");
  if (to == NULL)
    return cli_usage_error(cmd, "--to FORMAT is required (" CLI_KEY_FORMAT_NAMES ")");
  if (json && strcmp(out, "-") == 0)
    return cli_usage_error(cmd, "--json needs --out FILE (standard output holds the JSON)");
  kl_pss_key_params pp;
  int rc = convert_pss_params(cmd, restrict_pss, pss_hash, pss_mgf1, pss_salt, &pp);
  if (rc != KL_EXIT_OK)
    return rc;
  kl_rsa_keyfile kf;
  rc = cli_load_key(cmd, argv[optind], CLI_KEY_ANY, &kf);
  if (rc == KL_EXIT_OK) {
    int as_public = public_only || !kf.has_private;
    kl_key_format fmt;
    if (!pp.restricted)
      pp = kf.pss; /* a restricted input key stays restricted */
    rc = cli_key_format_parse(cmd, to, as_public, &fmt);
    if (rc == KL_EXIT_OK && pp.restricted)
      rc = cli_save_key_pss(cmd, out, force, fmt, as_public ? NULL : &kf.priv, &kf.pub, &pp);
    else if (rc == KL_EXIT_OK)
      rc = cli_save_key(cmd, out, force, fmt, as_public ? NULL : &kf.priv, &kf.pub);
    if (rc == KL_EXIT_OK && json) {
      cli_json j;
      cj_init(&j, stdout);
      cj_command_begin(&j, "rsa convert");
      cj_string(&j, "input_format", kl_key_format_name(kf.format));
      cj_string(&j, "format", kl_key_format_name(fmt));
      json_count(&j, "bits", mpz_sizeinbase(kf.pub.n, 2));
      cj_bool(&j, "private", !as_public);
      cj_string(&j, "out", out);
      cli_json_pss_params(&j, &pp);
      cj_object_end(&j);
      if (cj_finish(&j) != 0)
        rc = KL_EXIT_FAIL;
    }
  }
  kl_rsa_keyfile_clear(&kf);
  return rc;
}

/* ---- check ---- */

/* What a failed check does to the exit status (docs/keyfiles.md, "What rsa
 * check fails on"):
 *   consistency  the values do not make a working key (wrong results): exit 1
 *   safety       the key works, but a known attack breaks it: exit 1
 *   policy       FIPS 186-5 asks otherwise, yet the key works and no attack
 *                is known: a warning, exit 0 (most keys made by .NET, and
 *                every 1024-bit key, are here) */
typedef enum check_kind {
  CK_CONSISTENCY,
  CK_SAFETY,
  CK_POLICY
} check_kind;

static const char *const kind_name[] = {"consistency", "safety", "policy"};

/* Why each check matters, in a sentence a student can follow. */
static const char *const check_why[KL_RSA_CHECK_COUNT] = {
  [KL_RSA_CHECK_RANGE] = "values outside their ranges mean a corrupted or hand-made key; "
                         "the CRT formulas assume them",
  [KL_RSA_CHECK_E_VALID] = "e = 1 makes encryption the identity (c = m); an even e is never "
                           "coprime to lambda(n), so no d exists",
  [KL_RSA_CHECK_P_PRIME] = "a composite p makes phi(n) wrong: decryption fails, and n may be "
                           "easy to factor",
  [KL_RSA_CHECK_Q_PRIME] = "as for p",
  [KL_RSA_CHECK_P_NE_Q] = "n = p^2 is factored by one integer square root",
  [KL_RSA_CHECK_N_PQ] = "the public modulus must be the product of the secret primes, or "
                        "CRT decryption gives wrong results",
  [KL_RSA_CHECK_ED] = "d must undo e: m^(e*d) = m (mod n) needs e*d = 1 mod lambda(n)",
  [KL_RSA_CHECK_DP] = "CRT exponent: a wrong dP gives wrong signatures, and one faulty CRT "
                      "signature reveals p = gcd(s^e - m, n) (Boneh-DeMillo-Lipton)",
  [KL_RSA_CHECK_DQ] = "as for dP, with q",
  [KL_RSA_CHECK_QINV] = "CRT recombination m = m2 + q*(qInv*(m1 - m2) mod p) needs it",
  [KL_RSA_CHECK_NLEN] = "FIPS 186-5 approves 2048-bit and larger moduli; 1024-bit numbers are "
                        "within reach of large computations",
  [KL_RSA_CHECK_E_FIPS] = "small e (3) invites the low-exponent attacks on unpadded or badly "
                          "padded messages (Hastad, Coppersmith)",
  [KL_RSA_CHECK_PQ_SIZE] = "each prime must be half of nlen with its top bits set, so n has "
                           "exactly nlen bits and neither prime is small",
  [KL_RSA_CHECK_PQ_DISTANCE] = "if p and q are close, n = a^2 - b^2 with a near sqrt(n): "
                               "Fermat's method finds p and q in a few steps",
  [KL_RSA_CHECK_D_SIZE] = "a small d is found from e/n by continued fractions (Wiener, "
                          "d < n^(1/4)/3) or lattices (Boneh-Durfee, d < n^0.292)",
};

/* The d-size check read the other way: d too large, not too small. */
static const char d_large_why[] =
  "FIPS 186-5 takes d = e^-1 mod lambda(n), the smallest d that works; a d reduced "
  "mod phi(n) instead (as .NET makes it) decrypts and signs the same and is no easier "
  "to find, only longer";

static const char *const check_ids[KL_RSA_CHECK_COUNT] = {
  "range", "e_valid", "p_prime", "q_prime", "p_ne_q",  "n_pq",        "ed",    "dP",
  "dQ",    "qInv",    "nlen",    "e_fips",  "pq_size", "pq_distance", "d_size"};

static const char check_usage[] =
  "usage: kexlab rsa check KEYFILE [--json]\n"
  "Audit a key and explain each check: consistency (RFC 8017 §3), the FIPS 186-5\n"
  "conditions, p and q too close (Fermat), a small d (Wiener), e = 1 or even,\n"
  "and the CRT values. Each check is of one kind:\n"
  "  consistency  the values make a working key (n = p*q, e*d = 1 mod lambda(n), ...)\n"
  "  safety       no known attack breaks it (nlen >= 1024, Wiener, Fermat)\n"
  "  policy       the FIPS 186-5 conditions; a failure is a warning ([WARN])\n"
  "Exit status: 0 the key is consistent and safe (policy warnings allowed),\n"
  "1 a consistency or safety check failed, 2 the file could not be read.\n"
  "A public key gets the checks (n, e) allow.\n"
  "  --json   one JSON object (docs/schema/rsa-check.schema.json)\n";

/* The audit being printed, in text or JSON, and its counts. */
typedef struct audit {
  cli_json *j;        /* NULL: text */
  int failed;         /* consistency and safety failures */
  int warnings;       /* policy failures */
  check_kind section; /* text: the heading printed last */
} audit;

/* One line of the audit. status is KL_RSA_CHECK_*; a failed policy check is
 * reported as WARN. numbers may be "". */
static void report_line(audit *a, check_kind kind, const char *id, kl_rsa_check_status st,
                        const char *what, const char *source, const char *why, const char *numbers)
{
  const char *status = st == KL_RSA_CHECK_PASS      ? "PASS"
                       : st == KL_RSA_CHECK_SKIPPED ? "SKIP"
                       : kind == CK_POLICY          ? "WARN"
                                                    : "FAIL";
  if (st == KL_RSA_CHECK_FAIL) {
    if (kind == CK_POLICY)
      a->warnings++;
    else
      a->failed++;
  }
  if (a->j != NULL) {
    cj_object_begin(a->j, NULL);
    cj_string(a->j, "check", id);
    cj_string(a->j, "status", status);
    cj_string(a->j, "kind", kind_name[kind]);
    cj_string(a->j, "verified", what);
    cj_string(a->j, "source", source);
    cj_string(a->j, "why", why);
    if (numbers[0] != '\0')
      cj_string(a->j, "numbers", numbers);
    cj_object_end(a->j);
    return;
  }
  if (kind != a->section) {
    a->section = kind;
    printf("%s\n", kind == CK_SAFETY ? "Safety (no known attack; a failure exits 1):"
                                     : "Policy (FIPS 186-5; a failure is a warning):");
  }
  printf("[%s] %s  (%s)\n", status, what, source);
  if (numbers[0] != '\0')
    printf("       %s\n", numbers);
  printf("       why: %s\n", why);
}

static kl_rsa_check_status pass_if(int ok)
{
  return ok ? KL_RSA_CHECK_PASS : KL_RSA_CHECK_FAIL;
}

/* Safety: a modulus this short is factored with public software. */
static void check_nlen_min(audit *a, size_t nlen)
{
  char numbers[64];
  snprintf(numbers, sizeof numbers, "nlen = %zu", nlen);
  report_line(a, CK_SAFETY, "nlen_min", pass_if(nlen >= 1024), "nlen >= 1024",
              "RSA-155 (512 bits) factored in 1999, RSA-768 in 2009",
              "a modulus below 1024 bits is factored with public software (the number field "
              "sieve) on rented machines: the key protects nothing",
              numbers);
}

/* Safety: Wiener's bound itself, exactly: d is found when 3d < n^(1/4),
 * i.e. 81 d^4 < n (Wiener 1990, "Cryptanalysis of short RSA secret exponents"). */
static void check_wiener(audit *a, const kl_rsa_priv *k, size_t nlen)
{
  mpz_t t;
  mpz_init(t);
  mpz_pow_ui(t, k->d, 4);
  mpz_mul_ui(t, t, 81);
  int wiener = mpz_sgn(k->d) > 0 && mpz_cmp(t, k->n) < 0;
  mpz_clear(t);
  char numbers[128];
  snprintf(numbers, sizeof numbers, "d has %zu bits; the attack needs d below about %zu bits",
           mpz_sizeinbase(k->d, 2), nlen / 4 > 2 ? nlen / 4 - 2 : 0);
  report_line(a, CK_SAFETY, "wiener", pass_if(!wiener), "d >= n^(1/4)/3 (81*d^4 >= n)",
              "Wiener 1990; FIPS 186-5 §A.1.1 asks far more", check_why[KL_RSA_CHECK_D_SIZE],
              numbers);
}

/* Safety: Fermat's method starts at a = ceil(sqrt(n)) and needs about
 * (p-q)^2 / (8 sqrt(n)) steps; at most 2^20 steps, i.e. (p-q)^4 < 2^46 n, is
 * an instant factorisation. Run only on a consistent key (n = p*q). */
static void check_fermat(audit *a, const kl_rsa_priv *k, int usable, size_t nlen)
{
  if (!usable) {
    report_line(a, CK_SAFETY, "fermat", KL_RSA_CHECK_SKIPPED,
                "Fermat needs more than 2^20 steps ((p-q)^4 >= 2^46*n)", "Fermat's method",
                check_why[KL_RSA_CHECK_PQ_DISTANCE], "");
    return;
  }
  mpz_t t, u, A, B, best;
  mpz_inits(t, u, A, B, best, NULL);
  mpz_sub(best, k->p, k->q);
  mpz_abs(best, best);
  /* A multi-prime n = A * B for every split of its primes into two groups:
   * Fermat's method finds whichever split has A and B closest. */
  unsigned nprimes = kl_rsa_priv_primes(k);
  for (unsigned mask = 1; nprimes > 2 && mask < (1u << (nprimes - 1)); mask++) {
    mpz_set_ui(A, 1);
    mpz_set_ui(B, 1);
    for (unsigned i = 0; i < nprimes; i++) {
      mpz_srcptr r = i == 0 ? k->p : i == 1 ? k->q : k->other[i - 2].r;
      mpz_mul((mask >> i) & 1 ? A : B, (mask >> i) & 1 ? A : B, r);
    }
    mpz_sub(t, A, B);
    mpz_abs(t, t);
    if (mask == 1 || mpz_cmp(t, best) < 0) /* p - q is no split of n here */
      mpz_set(best, t);
  }
  mpz_set(t, best);
  size_t dbits = mpz_sgn(t) > 0 ? mpz_sizeinbase(t, 2) : 0;
  mpz_pow_ui(t, t, 4);
  mpz_mul_2exp(u, k->n, 46);
  int close = mpz_cmp(t, u) < 0;
  mpz_clears(t, u, A, B, best, NULL);
  long steps = 2 * (long)dbits - 3 - (long)nlen / 2;
  char numbers[128];
  if (nprimes > 2)
    snprintf(numbers, sizeof numbers,
             "|A-B| has %zu bits for the closest split n = A*B: about 2^%ld steps", dbits,
             steps > 0 ? steps : 0);
  else
    snprintf(numbers, sizeof numbers, "|p-q| has %zu bits: about 2^%ld steps", dbits,
             steps > 0 ? steps : 0);
  report_line(a, CK_SAFETY, "fermat", pass_if(!close),
              "Fermat needs more than 2^20 steps ((p-q)^4 >= 2^46*n)",
              "Fermat's method; steps about (p-q)^2/(8*sqrt(n))",
              check_why[KL_RSA_CHECK_PQ_DISTANCE], numbers);
}

/* The library's checks of one kind, in its order. */
static void report_library(audit *a, check_kind kind, const kl_rsa_check_report *rep, size_t nlen)
{
  for (int id = 0; id < KL_RSA_CHECK_COUNT; id++) {
    check_kind k = kl_rsa_check_is_policy((kl_rsa_check_id)id) ? CK_POLICY : CK_CONSISTENCY;
    if (k != kind)
      continue;
    char numbers[200];
    numbers[0] = '\0';
    const char *what = kl_rsa_check_name((kl_rsa_check_id)id);
    const char *why = check_why[id];
    kl_rsa_check_status st = rep->status[id];
    if (id == KL_RSA_CHECK_PQ_DISTANCE && st != KL_RSA_CHECK_SKIPPED)
      snprintf(numbers, sizeof numbers, "|p-q| has %u bits; more than nlen/2 - 100 = %ld needed",
               rep->pq_distance_bits, (long)nlen / 2 - 100);
    if (id == KL_RSA_CHECK_NLEN)
      snprintf(numbers, sizeof numbers, "nlen = %zu", nlen);
    if (id == KL_RSA_CHECK_D_SIZE) {
      /* Two ways to fail: d too small (the attacks), or d >= lambda(n)
       * because d was reduced mod phi(n) (harmless). Say which. */
      what = "2^(nlen/2) < d < lambda(n)";
      int large = rep->d_mod == KL_RSA_D_PHI || rep->d_mod == KL_RSA_D_OTHER;
      if (st == KL_RSA_CHECK_FAIL && large) {
        snprintf(numbers, sizeof numbers,
                 "d >= lambda(n): d was reduced mod %s, not mod lambda(n); it is not small",
                 rep->d_mod == KL_RSA_D_PHI ? "phi(n)" : "neither lambda(n) nor phi(n)");
        why = d_large_why;
      } else if (st != KL_RSA_CHECK_SKIPPED) {
        snprintf(numbers, sizeof numbers, "d has %u bits; more than nlen/2 = %zu needed",
                 rep->d_bits, nlen / 2);
      }
    }
    report_line(a, kind, check_ids[id], st, what, kl_rsa_check_source((kl_rsa_check_id)id), why,
                numbers);
  }
}

/* Multi-prime keys: the checks of each further prime r_i (RFC 8017 §3.2).
 * The library's range, p != q, n and e*d checks above already cover all of
 * the primes. */
static void report_other_primes(audit *a, const kl_rsa_check_report *rep)
{
  for (unsigned i = 0; i < rep->n_other; i++) {
    unsigned ri = i + 3;
    char what[96];
    snprintf(what, sizeof what, "r_%u is prime", ri);
    report_line(a, CK_CONSISTENCY, "other_prime", rep->other_prime[i], what,
                "RFC 8017 §3.2; FIPS 186-5 B.3.1", "as for p", "");
    snprintf(what, sizeof what, "d_%u = d mod (r_%u-1)", ri, ri);
    report_line(a, CK_CONSISTENCY, "other_exp", rep->other_exp[i], what, "RFC 8017 §3.2",
                "CRT exponent: a wrong one gives wrong results, and one faulty CRT result "
                "reveals a factor of n (Boneh-DeMillo-Lipton)",
                "");
    snprintf(what, sizeof what, "t_%u * (r_1*...*r_%u) = 1 mod r_%u", ri, ri - 1, ri);
    report_line(a, CK_CONSISTENCY, "other_coef", rep->other_coef[i], what, "RFC 8017 §3.2",
                "the multi-prime CRT recombination m = m + R*(t_i*(m_i - m) mod r_i) needs it", "");
  }
}

static const char *d_modulus_name(kl_rsa_d_modulus m)
{
  return m == KL_RSA_D_LAMBDA  ? "lambda"
         : m == KL_RSA_D_PHI   ? "phi"
         : m == KL_RSA_D_OTHER ? "other"
                               : "unknown";
}

int rsa_check(int argc, char **argv)
{
  const char *cmd = "rsa check";
  const char *path = NULL;
  int json, done;
  int rc = parse_keyfile_json(cmd, check_usage, argc, argv, &path, &json, &done);
  if (rc != KL_EXIT_OK || done)
    return rc;
  kl_rsa_keyfile kf;
  kl_err err;
  rc = cli_load_key_for_audit(cmd, path, &kf, &err);
  if (rc != KL_EXIT_OK) {
    kl_rsa_keyfile_clear(&kf);
    return rc;
  }
  cli_json jj;
  audit a = {NULL, 0, 0, CK_CONSISTENCY};
  size_t nlen = mpz_sizeinbase(kf.pub.n, 2);
  if (json) {
    a.j = &jj;
    cj_init(a.j, stdout);
    cj_command_begin(a.j, "rsa check");
    cj_string(a.j, "format", kl_key_format_name(kf.format));
    json_count(a.j, "bits", nlen);
    cj_bool(a.j, "private", kf.has_private);
    cj_array_begin(a.j, "checks");
  } else {
    printf("%s key, %zu bits, read as %s\n", kf.has_private ? "Private" : "Public", nlen,
           kl_key_format_name(kf.format));
    printf("Consistency (a working key; a failure exits 1):\n");
  }
  const char *dm = NULL;
  if (kf.has_private) {
    const kl_rsa_check_report *rep = &kf.report;
    report_library(&a, CK_CONSISTENCY, rep, nlen);
    report_other_primes(&a, rep);
    check_nlen_min(&a, nlen);
    check_wiener(&a, &kf.priv, nlen);
    check_fermat(&a, &kf.priv, rep->usable, nlen);
    report_library(&a, CK_POLICY, rep, nlen);
    dm = rep->d_mod == KL_RSA_D_LAMBDA  ? "d = e^-1 mod lambda(n) (PKCS#1, FIPS 186-5)"
         : rep->d_mod == KL_RSA_D_PHI   ? "d = e^-1 mod phi(n) (older texts, .NET); "
                                          "works, but not the FIPS 186-5 choice"
         : rep->d_mod == KL_RSA_D_OTHER ? "d is valid but reduced by neither "
                                          "lambda(n) nor phi(n)"
                                        : "unknown (e*d = 1 mod lambda(n) failed)";
    if (!json)
      printf("Note: %s\n", dm);
    if (err == KL_ERR_KEY && !json)
      printf("The key is NOT usable: %s\n", kf.detail);
  } else {
    /* A public key: the checks (n, e) allow. Loading already required n odd
     * and e odd with 3 <= e < n. */
    report_line(&a, CK_CONSISTENCY, "e_valid", KL_RSA_CHECK_PASS,
                kl_rsa_check_name(KL_RSA_CHECK_E_VALID), kl_rsa_check_source(KL_RSA_CHECK_E_VALID),
                check_why[KL_RSA_CHECK_E_VALID], "");
    check_nlen_min(&a, nlen);
    char numbers[64];
    snprintf(numbers, sizeof numbers, "nlen = %zu", nlen);
    report_line(&a, CK_POLICY, "nlen", pass_if(nlen >= 2048 && nlen % 2 == 0),
                kl_rsa_check_name(KL_RSA_CHECK_NLEN), kl_rsa_check_source(KL_RSA_CHECK_NLEN),
                check_why[KL_RSA_CHECK_NLEN], numbers);
    size_t ebits = mpz_sizeinbase(kf.pub.e, 2);
    int e_ok = ebits > 17 || (ebits == 17 && mpz_cmp_ui(kf.pub.e, 65536) > 0);
    e_ok = e_ok && ebits <= 256;
    report_line(&a, CK_POLICY, "e_fips", pass_if(e_ok), kl_rsa_check_name(KL_RSA_CHECK_E_FIPS),
                kl_rsa_check_source(KL_RSA_CHECK_E_FIPS), check_why[KL_RSA_CHECK_E_FIPS], "");
    if (!json)
      printf("Note: p, q, d and the CRT values are private; check the private key file for them\n");
  }
  int ok = a.failed == 0 && err == KL_OK;
  if (json) {
    cj_array_end(a.j);
    if (kf.has_private) {
      cj_string(a.j, "d_modulus", d_modulus_name(kf.report.d_mod));
      cj_string(a.j, "d_note", dm);
    }
    if (err == KL_ERR_KEY)
      cj_string(a.j, "unusable", kf.detail);
    json_count(a.j, "failed", (unsigned long long)a.failed);
    json_count(a.j, "warnings", (unsigned long long)a.warnings);
    cj_bool(a.j, "ok", ok);
    cj_object_end(a.j);
    cj_finish(a.j);
  } else {
    printf("%d check%s failed, %d policy warning%s: %s\n", a.failed, a.failed == 1 ? "" : "s",
           a.warnings, a.warnings == 1 ? "" : "s",
           ok ? (a.warnings == 0 ? "the key is consistent, safe and meets FIPS 186-5"
                                 : "the key is consistent and safe to use, outside FIPS 186-5")
              : "do NOT use this key");
  }
  kl_rsa_keyfile_clear(&kf);
  return ok ? KL_EXIT_OK : KL_EXIT_FAIL;
}
