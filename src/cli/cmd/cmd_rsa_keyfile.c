/* cmd_rsa_keyfile.c: `kexlab rsa show`, `rsa convert` and `rsa check`.
 *   show KEYFILE [--json]      the key's integers, laid out as
 *                              `openssl pkey -text -noout` prints them
 *   convert IN --to FORMAT [--public] [--out FILE|-] [--force]
 *   check KEYFILE [--json]     an audit: every check, what it verified, why it matters
 * Formats are detected on input (keyfile.h); output files that hold a private
 * key are created 0600 and never overwritten without --force (cli_keyio.c).
 * GMP is used here only to print integers and for the exact Wiener bound. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_keyio.h"
#include "commands.h"

/* ---- printing integers as JSON (text: cli_print_key_int) ---- */

static void json_int(cli_json *j, const char *key, const mpz_t x)
{
  size_t count = 0;
  uint8_t *mag = mpz_export(NULL, &count, 1, 1, 1, 0, x);
  cj_hex(j, key, mag, count);
  if (mag != NULL) {
    kl_wipe(mag, count);
    free(mag);
  }
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
  "  --json   one JSON object: format, bits, private, and the integers in hex\n";

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
    cj_object_begin(&j, NULL);
    cj_string(&j, "format", kl_key_format_name(kf.format));
    cj_uint(&j, "bits", bits);
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
    cj_object_end(&j);
    cj_finish(&j);
  } else if (kf.has_private) {
    cli_print_priv_text(stdout, k);
  } else {
    printf("Public-Key: (%zu bit)\n", bits);
    cli_print_key_int(stdout, "Modulus", kf.pub.n);
    cli_print_key_int(stdout, "Exponent", kf.pub.e);
  }
  kl_rsa_keyfile_clear(&kf);
  return KL_EXIT_OK;
}

/* ---- convert ---- */

static const char convert_usage[] =
  "usage: kexlab rsa convert IN --to FORMAT [--public] [--out FILE|-] [--force]\n"
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
  "  --force      replace FILE if it exists (never done otherwise)\n";

int rsa_convert(int argc, char **argv)
{
  const char *cmd = "rsa convert";
  static const struct option opts[] = {
    {"to", required_argument, NULL, 't'},  {"public", no_argument, NULL, 'p'},
    {"out", required_argument, NULL, 'o'}, {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
  const char *to = NULL;
  const char *out = "-";
  int public_only = 0, force = 0;
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
  kl_rsa_keyfile kf;
  int rc = cli_load_key(cmd, argv[optind], CLI_KEY_ANY, &kf);
  if (rc == KL_EXIT_OK) {
    int as_public = public_only || !kf.has_private;
    kl_key_format fmt;
    rc = cli_key_format_parse(cmd, to, as_public, &fmt);
    if (rc == KL_EXIT_OK)
      rc = cli_save_key(cmd, out, force, fmt, as_public ? NULL : &kf.priv, &kf.pub);
  }
  kl_rsa_keyfile_clear(&kf);
  return rc;
}

/* ---- check ---- */

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

static const char *status_word(kl_rsa_check_status s)
{
  return s == KL_RSA_CHECK_PASS ? "PASS" : s == KL_RSA_CHECK_FAIL ? "FAIL" : "SKIP";
}

static const char check_usage[] =
  "usage: kexlab rsa check KEYFILE [--json]\n"
  "Audit a key and explain each check: consistency (RFC 8017 §3), the FIPS 186-5\n"
  "conditions, p and q too close (Fermat), a small d (Wiener), e = 1 or even,\n"
  "and the CRT values. Exit status: 0 every check passed, 1 some check failed,\n"
  "2 the file could not be read. A public key gets the checks (n, e) allow.\n";

/* One line of the audit, in text or JSON. */
static void report_line(cli_json *j, const char *id, const char *status, const char *what,
                        const char *source, const char *why, const char *numbers)
{
  if (j != NULL) {
    cj_object_begin(j, NULL);
    cj_string(j, "check", id);
    cj_string(j, "status", status);
    cj_string(j, "verified", what);
    cj_string(j, "source", source);
    cj_string(j, "why", why);
    if (numbers[0] != '\0')
      cj_string(j, "numbers", numbers);
    cj_object_end(j);
    return;
  }
  printf("[%s] %s  (%s)\n", status, what, source);
  if (numbers[0] != '\0')
    printf("       %s\n", numbers);
  printf("       why: %s\n", why);
}

static const char *const check_ids[KL_RSA_CHECK_COUNT] = {
  "range", "e_valid", "p_prime", "q_prime", "p_ne_q", "n_pq", "ed", "dP", "dQ", "qInv",
  "nlen", "e_fips", "pq_size", "pq_distance", "d_size"};

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
  cli_json *j = NULL;
  size_t nlen = mpz_sizeinbase(kf.pub.n, 2);
  if (json) {
    j = &jj;
    cj_init(j, stdout);
    cj_object_begin(j, NULL);
    cj_string(j, "format", kl_key_format_name(kf.format));
    cj_uint(j, "bits", nlen);
    cj_bool(j, "private", kf.has_private);
    cj_array_begin(j, "checks");
  } else {
    printf("%s key, %zu bits, read as %s\n", kf.has_private ? "Private" : "Public", nlen,
           kl_key_format_name(kf.format));
  }
  int failed = 0;
  char numbers[200];
  const char *dm = NULL;
  if (kf.has_private) {
    const kl_rsa_check_report *rep = &kf.report;
    for (int id = 0; id < KL_RSA_CHECK_COUNT; id++) {
      numbers[0] = '\0';
      if (id == KL_RSA_CHECK_PQ_DISTANCE && rep->status[id] != KL_RSA_CHECK_SKIPPED)
        snprintf(numbers, sizeof numbers, "|p-q| has %u bits; more than nlen/2 - 100 = %ld needed",
                 rep->pq_distance_bits, (long)nlen / 2 - 100);
      if (id == KL_RSA_CHECK_D_SIZE && rep->status[id] != KL_RSA_CHECK_SKIPPED)
        snprintf(numbers, sizeof numbers, "d has %u bits; more than nlen/2 = %zu needed",
                 rep->d_bits, nlen / 2);
      if (id == KL_RSA_CHECK_NLEN)
        snprintf(numbers, sizeof numbers, "nlen = %zu", nlen);
      if (rep->status[id] == KL_RSA_CHECK_FAIL)
        failed++;
      report_line(j, check_ids[id], status_word(rep->status[id]),
                  kl_rsa_check_name((kl_rsa_check_id)id),
                  kl_rsa_check_source((kl_rsa_check_id)id), check_why[id], numbers);
    }
    /* Wiener's bound itself, exactly: vulnerable when 3d < n^(1/4), i.e. 81 d^4 < n
     * (Wiener 1990, "Cryptanalysis of short RSA secret exponents"). */
    mpz_t t;
    mpz_init(t);
    mpz_pow_ui(t, kf.priv.d, 4);
    mpz_mul_ui(t, t, 81);
    int wiener = mpz_sgn(kf.priv.d) > 0 && mpz_cmp(t, kf.pub.n) < 0;
    mpz_clear(t);
    failed += wiener;
    snprintf(numbers, sizeof numbers, "d has %zu bits; the attack needs d below about %zu bits",
             mpz_sizeinbase(kf.priv.d, 2), nlen / 4 > 2 ? nlen / 4 - 2 : 0);
    report_line(j, "wiener", wiener ? "FAIL" : "PASS", "d >= n^(1/4)/3 (81*d^4 >= n)",
                "Wiener 1990; FIPS 186-5 §A.1.1 asks far more", check_why[KL_RSA_CHECK_D_SIZE],
                numbers);
    dm = rep->d_mod == KL_RSA_D_LAMBDA ? "d = e^-1 mod lambda(n) (PKCS#1, FIPS 186-5)"
                     : rep->d_mod == KL_RSA_D_PHI  ? "d = e^-1 mod phi(n) (older texts, .NET); "
                                                     "works, but not the FIPS 186-5 choice"
                     : rep->d_mod == KL_RSA_D_OTHER ? "d is valid but reduced by neither "
                                                      "lambda(n) nor phi(n)"
                                                    : "unknown (e*d = 1 mod lambda(n) failed)";
    if (j == NULL)
      printf("Note: %s\n", dm);
    if (err == KL_ERR_KEY && !json)
      printf("The key is NOT usable: %s\n", kf.detail);
  } else {
    /* A public key: the checks (n, e) allow. Loading already required n odd
     * and e odd with 3 <= e < n. */
    snprintf(numbers, sizeof numbers, "nlen = %zu", nlen);
    int nlen_ok = nlen >= 2048 && nlen % 2 == 0;
    failed += !nlen_ok;
    report_line(j, "nlen", nlen_ok ? "PASS" : "FAIL",
                kl_rsa_check_name(KL_RSA_CHECK_NLEN), kl_rsa_check_source(KL_RSA_CHECK_NLEN),
                check_why[KL_RSA_CHECK_NLEN], numbers);
    report_line(j, "e_valid", "PASS", kl_rsa_check_name(KL_RSA_CHECK_E_VALID),
                kl_rsa_check_source(KL_RSA_CHECK_E_VALID), check_why[KL_RSA_CHECK_E_VALID], "");
    size_t ebits = mpz_sizeinbase(kf.pub.e, 2);
    int e_ok = ebits > 17 || (ebits == 17 && mpz_cmp_ui(kf.pub.e, 65536) > 0);
    e_ok = e_ok && ebits <= 256;
    failed += !e_ok;
    report_line(j, "e_fips", e_ok ? "PASS" : "FAIL", kl_rsa_check_name(KL_RSA_CHECK_E_FIPS),
                kl_rsa_check_source(KL_RSA_CHECK_E_FIPS), check_why[KL_RSA_CHECK_E_FIPS], "");
    if (!json)
      printf("Note: p, q, d and the CRT values are private; check the private key file for them\n");
  }
  if (json) {
    cj_array_end(j);
    if (dm != NULL)
      cj_string(j, "d_note", dm);
    if (err == KL_ERR_KEY)
      cj_string(j, "unusable", kf.detail);
    cj_uint(j, "failed", (unsigned long long)failed);
    cj_object_end(j);
    cj_finish(j);
  } else {
    printf("%d check%s failed\n", failed, failed == 1 ? "" : "s");
  }
  kl_rsa_keyfile_clear(&kf);
  return failed == 0 && err == KL_OK ? KL_EXIT_OK : KL_EXIT_FAIL;
}
