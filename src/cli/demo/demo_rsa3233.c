/* demo_rsa3233.c: `kexlab demo rsa-3233`: Wikipedia's worked RSA example
 * (p = 61, q = 53, e = 17, m = 65; vectors/rsa-wikipedia-3233.txt), step by
 * step, every number produced by the library and its traces:
 *   1. n, phi(n), lambda(n);  2. d mod lambda and d mod phi, with the
 *   extended-Euclid tables;  3. c = m^e mod n, square-and-multiply;
 *   4. m = c^d mod n directly (both d) and by the CRT (dP, dQ, qInv, m_1,
 *   m_2, h);  5. a signature s = x^d mod n of a small value and its check.
 * --p/--q/--e/--m change the numbers; --keysize/--seed run the same steps on a
 * generated key; --json gives every value and trace row for the lab harness.
 * The Euclid and square-and-multiply traces print as the tables a student
 * writes (trace_table.c); --json (docs/schema/demo-rsa-3233.schema.json)
 * keeps the raw trace records ("traces_d", "trace_encrypt", "trace_decrypt",
 * "trace_crt") and adds the same tables as rows ("lambda_rows", "phi_rows":
 * {i, q, r, s, t}; "trace_encrypt_rows", "trace_decrypt_rows": {i, bit,
 * square, multiply}), every number a decimal string. The trace warning goes
 * to stderr. */
#include <getopt.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "trace_table.h"

static const char *demo_help =
  "usage: kexlab demo rsa-3233 [--p P] [--q Q] [--e E] [--m M] [--json]\n"
  "       kexlab demo rsa-3233 --keysize BITS [--seed HEX] [--e E] [--m M] [--json]\n"
  "\n"
  "Wikipedia's RSA example, step by step: n = p*q, phi and lambda, d by extended\n"
  "Euclid (both ways), encryption by square-and-multiply, decryption directly and\n"
  "by the CRT, and a signature. Defaults: p = 61, q = 53, e = 17, m = 65.\n"
  "--keysize BITS generates a real key (1024..4096 bits; --seed HEX makes it\n"
  "reproducible) and runs the same steps: only the size changes.\n"
  "--json prints every value and every trace row as one JSON object.\n"
  "Numbers are decimal, or hex with 0x. The traces show secrets: study only.\n";

typedef struct demo {
  const char *cmd;
  cli_json *j; /* JSON mode when not NULL */
  FILE *f;
  kl_tracer tr;
  cli_tracer ct;
} demo;

static int parse_num(const char *cmd, const char *what, const char *text, mpz_t x)
{
  int base = 10;
  const char *digits = text;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    digits += 2;
  }
  if (*digits == '\0')
    return cli_usage_error(cmd, "%s: '%s' is not a number", what, text);
  for (const char *c = digits; *c; c++) {
    if (base == 10 ? !isdigit((unsigned char)*c) : !isxdigit((unsigned char)*c))
      return cli_usage_error(cmd, "%s: '%s' is not a non-negative number (decimal, or hex with 0x)",
                             what, text);
  }
  if (strlen(digits) > 5000 || mpz_set_str(x, digits, base) != 0)
    return cli_usage_error(cmd, "%s: '%s' is not a number", what, text);
  return KL_EXIT_OK;
}

/* A named value: "name = 123" in text, "name": "123" in JSON. */
static void value(demo *D, const char *name, const mpz_t x)
{
  char *s = mpz_get_str(NULL, 10, x);
  if (D->j != NULL)
    cj_string(D->j, name, s);
  else
    fprintf(D->f, "  %-8s = %s\n", name, s);
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(s, strlen(s) + 1);
}

static void heading(demo *D, const char *text)
{
  if (D->j == NULL)
    fprintf(D->f, "\n%s\n", text);
}

/* Open a trace: text prints a caption, JSON opens "traces"."key". */
static void trace_begin(demo *D, const char *key, const char *caption)
{
  if (D->j != NULL)
    cj_array_begin(D->j, key);
  else
    fprintf(D->f, "  %s:\n", caption);
}

static void trace_end(demo *D)
{
  if (D->j != NULL)
    cj_array_end(D->j);
}

static const char *const euclid_cols[] = {"q", "r", "s", "t"};
static const char *const modexp_cols[] = {"bit", "square", "multiply"};

/* A table for one traced computation. In JSON mode every value also goes on
 * to the raw trace array (the lab harness reads both); in text mode only the
 * table's own columns are shown, so the block holds nothing but its rows. */
static void table_begin(demo *D, trace_table *t, kl_tracer *tr, int euclid)
{
  trace_table_init(t, tr, euclid ? euclid_cols : modexp_cols, euclid ? 4 : 3, "i",
                   D->j != NULL ? &D->tr : NULL);
}

/* Print the table (text) or add it as rows under `rows_key` (JSON), then free it. */
static void table_end(demo *D, trace_table *t, const char *rows_key)
{
  if (D->j != NULL)
    trace_table_json(t, D->j, rows_key);
  else
    trace_table_print(t, D->f, "  ");
  trace_table_clear(t);
}

/* A tracer that forwards to the printer and keeps m_1, m_2, h. */
typedef struct crt_capture {
  kl_tracer *inner;
  mpz_ptr m1, m2, h;
} crt_capture;

static void capture_cb(void *user, const kl_trace_value *v)
{
  crt_capture *cc = user;
  mpz_ptr dst = strcmp(v->label, "m_1") == 0   ? cc->m1
                : strcmp(v->label, "m_2") == 0 ? cc->m2
                : strcmp(v->label, "h") == 0   ? cc->h
                                               : NULL;
  if (dst != NULL && v->kind == KL_TRACE_INT) {
    if (v->len > 0)
      mpz_import(dst, v->len, 1, 1, 1, 0, v->bytes);
    else
      mpz_set_ui(dst, 0);
  }
  cc->inner->fn(cc->inner->user, v);
}

static int fail(demo *D, kl_err err, const char *what)
{
  cli_error(D->cmd, "%s: %s", what, kl_strerror(err));
  return cli_exit_for(err);
}

static int run(demo *D, const mpz_t p, const mpz_t q, const mpz_t e, const mpz_t m)
{
  int rc = KL_EXIT_OK;
  kl_err err;
  kl_rsa_priv key, key_phi;
  kl_rsa_priv_init(&key);
  kl_rsa_priv_init(&key_phi);
  mpz_t n, phi, lambda, c, back, m1, m2, h, x, s, v, g, p1, q1;
  mpz_inits(n, phi, lambda, c, back, m1, m2, h, x, s, v, g, p1, q1, NULL);

  /* Step 1: n, phi(n) = (p-1)(q-1), lambda(n) = lcm(p-1, q-1). */
  heading(D, "Step 1: the modulus and the two totients");
  mpz_mul(n, p, q);
  mpz_sub_ui(p1, p, 1);
  mpz_sub_ui(q1, q, 1);
  mpz_mul(phi, p1, q1);
  err = kl_gcd(g, p1, q1);
  if (err != KL_OK) {
    rc = fail(D, err, "gcd");
    goto out;
  }
  mpz_divexact(lambda, phi, g);
  value(D, "p", p);
  value(D, "q", q);
  value(D, "n", n);
  value(D, "phi", phi);
  value(D, "lambda", lambda);
  value(D, "e", e);
  if (mpz_cmp(m, n) >= 0) {
    rc = cli_usage_error(D->cmd, "m must be below n = p*q");
    goto out;
  }

  /* Step 2: d = e^-1 mod lambda(n) (PKCS#1, current Wikipedia) and mod phi(n). */
  heading(D, "Step 2: the private exponent d = e^-1, by extended Euclid");
  trace_table tab;
  kl_tracer tab_tr;
  if (D->j != NULL)
    cj_object_begin(D->j, "traces_d");
  trace_begin(D, "lambda",
              "extended Euclid on (lambda, e); row i: s*lambda + t*e = r, q = quotient");
  table_begin(D, &tab, &tab_tr, 1);
  err = kl_rsa_priv_from_pqe(&key, p, q, e, 0, &tab_tr);
  trace_end(D);
  table_end(D, &tab, "lambda_rows");
  if (err == KL_OK) {
    trace_begin(D, "phi", "extended Euclid on (phi, e); row i: s*phi + t*e = r, q = quotient");
    table_begin(D, &tab, &tab_tr, 1);
    err = kl_rsa_priv_from_pqe(&key_phi, p, q, e, KL_RSA_KEYGEN_PHI, &tab_tr);
    trace_end(D);
    table_end(D, &tab, "phi_rows");
  }
  if (D->j != NULL)
    cj_object_end(D->j);
  if (err == KL_ERR_NO_INVERSE) {
    cli_error(D->cmd, "e is not coprime to phi(n) and lambda(n): no d exists");
    rc = KL_EXIT_USAGE;
    goto out;
  }
  if (err != KL_OK) {
    rc = fail(D, err, "building the key");
    goto out;
  }
  value(D, "d", key.d);
  value(D, "d_phi", key_phi.d);
  value(D, "dP", key.dP);
  value(D, "dQ", key.dQ);
  value(D, "qInv", key.qInv);

  /* Step 3: c = m^e mod n, square-and-multiply. */
  heading(D, "Step 3: encryption c = m^e mod n (square-and-multiply)");
  value(D, "m", m);
  trace_begin(D, "trace_encrypt",
              "square-and-multiply, bits i of e from the top: A = A^2, then A = A*m on 1 bits");
  table_begin(D, &tab, &tab_tr, 0);
  err = kl_modexp(c, m, e, n, &tab_tr);
  trace_end(D);
  table_end(D, &tab, "trace_encrypt_rows");
  if (err != KL_OK) {
    rc = fail(D, err, "encryption");
    goto out;
  }
  value(D, "c", c);

  /* Step 4: decryption, directly with both d, and by the CRT. */
  heading(D, "Step 4: decryption m = c^d mod n, directly and by the CRT");
  trace_begin(D, "trace_decrypt",
              "c^d mod n with d mod lambda, bits i of d from the top: A = A^2, then A*c on 1 bits");
  table_begin(D, &tab, &tab_tr, 0);
  err = kl_modexp(back, c, key.d, n, &tab_tr);
  trace_end(D);
  table_end(D, &tab, "trace_decrypt_rows");
  if (err != KL_OK) {
    rc = fail(D, err, "decryption");
    goto out;
  }
  value(D, "decrypted", back);
  err = kl_modexp(back, c, key_phi.d, n, NULL);
  if (err != KL_OK) {
    rc = fail(D, err, "decryption");
    goto out;
  }
  value(D, "decrypted_phi", back);
  /* The CRT through the library's real private operation, without blinding
   * so that m_1, m_2, h are the textbook ones. */
  crt_capture cc = {&D->tr, m1, m2, h};
  kl_tracer cap = {capture_cb, &cc};
  trace_begin(
    D, "trace_crt",
    "CRT (RFC 8017 5.1.2 step 2.b): m_1 = c^dP mod p, m_2 = c^dQ mod q, h = qInv (m_1 - m_2) mod p");
  err = kl_rsa_private(&key, NULL, KL_RSA_NO_BLINDING, &cap, back, c);
  trace_end(D);
  if (err != KL_OK) {
    rc = fail(D, err, "CRT decryption");
    goto out;
  }
  value(D, "m_1", m1);
  value(D, "m_2", m2);
  value(D, "h", h);
  value(D, "decrypted_crt", back);

  /* Step 5: sign x = 2 (any small value below n) and verify. */
  heading(D, "Step 5: signature s = x^d mod n, verified by s^e mod n = x");
  mpz_set_ui(x, 2);
  if (mpz_cmp(x, n) >= 0)
    mpz_set_ui(x, 1);
  kl_rng rng;
  kl_rng_os(&rng);
  err = kl_rsa_private(&key, &rng, 0, NULL, s, x); /* the real path: CRT, blinded, checked */
  if (err != KL_OK) {
    rc = fail(D, err, "signing");
    goto out;
  }
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &key);
  err = kl_rsa_public(&pub, v, s);
  kl_rsa_pub_clear(&pub);
  if (err != KL_OK) {
    rc = fail(D, err, "verifying");
    goto out;
  }
  value(D, "sign_x", x);
  value(D, "signature", s);
  value(D, "verified_x", v);
  int ok = mpz_cmp(v, x) == 0 && mpz_cmp(back, m) == 0;
  if (D->j != NULL)
    cj_bool(D->j, "ok", ok);
  else
    fprintf(D->f, "\n%s\n",
            ok ? "All steps agree: decryption gives m back, the signature verifies."
               : "MISMATCH: a step did not give the expected value.");
  rc = ok ? KL_EXIT_OK : KL_EXIT_FAIL;
out:
  mpz_clears(n, phi, lambda, c, back, m1, m2, h, x, s, v, g, p1, q1, NULL);
  kl_rsa_priv_clear(&key);
  kl_rsa_priv_clear(&key_phi);
  return rc;
}

int demo_rsa3233(int argc, char **argv)
{
  static const struct option opts[] = {
    {"p", required_argument, NULL, 'p'},
    {"q", required_argument, NULL, 'q'},
    {"e", required_argument, NULL, 'e'},
    {"m", required_argument, NULL, 'm'},
    {"json", no_argument, NULL, 'j'},
    {"keysize", required_argument, NULL, 'k'},
    {"seed", required_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  demo D;
  memset(&D, 0, sizeof D);
  D.cmd = "demo rsa-3233";
  D.f = stdout;
  const char *tp = "61", *tq = "53", *te = "17", *tm = "65", *seed_hex = NULL;
  int json = 0, have_pq = 0, have_em = 0;
  size_t keysize = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'p':
      tp = optarg;
      have_pq = 1;
      break;
    case 'q':
      tq = optarg;
      have_pq = 1;
      break;
    case 'e':
      te = optarg;
      have_em = 1;
      break;
    case 'm':
      tm = optarg;
      have_em = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 's':
      seed_hex = optarg;
      break;
    case 'k':
      if (cli_parse_size(D.cmd, "--keysize", optarg, 1024, 4096, &keysize) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'h':
      fputs(demo_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(D.cmd, argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error(D.cmd, "unexpected argument '%s'", argv[optind]);
  if (keysize != 0 && have_pq)
    return cli_usage_error(D.cmd, "--keysize makes its own p and q; drop --p/--q");
  if (seed_hex != NULL && keysize == 0)
    return cli_usage_error(D.cmd, "--seed goes with --keysize");

  int rc;
  mpz_t p, q, e, m;
  kl_rng rng;
  kl_hmac_drbg drbg;
  int seeded = 0; /* drbg holds a state to wipe */
  mpz_inits(p, q, e, m, NULL);
  if ((rc = parse_num(D.cmd, "--e", te, e)) != KL_EXIT_OK ||
      (rc = parse_num(D.cmd, "--m", tm, m)) != KL_EXIT_OK)
    goto out;
  if (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e)) {
    rc = cli_usage_error(D.cmd, "e must be odd and at least 3");
    goto out;
  }
  if ((rc = cli_rng_setup(D.cmd, seed_hex, NULL, &rng, &drbg)) != KL_EXIT_OK)
    goto out;
  seeded = seed_hex != NULL;
  if (keysize != 0) {
    if (keysize % 2 != 0) {
      rc = cli_usage_error(D.cmd, "--keysize must be even");
      goto out;
    }
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    kl_err err = kl_rsa_keygen(&key, &rng, (unsigned)keysize, e, 0, NULL);
    if (err == KL_OK) {
      mpz_set(p, key.p);
      mpz_set(q, key.q);
    }
    kl_rsa_priv_clear(&key);
    if (err != KL_OK) {
      cli_error(D.cmd, "key generation: %s", kl_strerror(err));
      rc = cli_exit_for(err);
      goto out;
    }
  } else {
    if ((rc = parse_num(D.cmd, "--p", tp, p)) != KL_EXIT_OK ||
        (rc = parse_num(D.cmd, "--q", tq, q)) != KL_EXIT_OK)
      goto out;
    kl_primality vp, vq;
    if (kl_prime_test(&vp, p, &rng) != KL_OK || kl_prime_test(&vq, q, &rng) != KL_OK) {
      rc = cli_usage_error(D.cmd, "could not test p and q");
      goto out;
    }
    if (vp != KL_PROBABLY_PRIME) {
      rc = cli_usage_error(D.cmd, "p = %s is not prime", tp);
      goto out;
    }
    if (vq != KL_PROBABLY_PRIME) {
      rc = cli_usage_error(D.cmd, "q = %s is not prime", tq);
      goto out;
    }
    if (mpz_cmp(p, q) == 0) {
      rc = cli_usage_error(D.cmd, "p and q must be different primes");
      goto out;
    }
  }

  /* Validate everything before the first line of output. */
  {
    kl_rsa_priv probe;
    kl_rsa_priv_init(&probe);
    kl_err err = kl_rsa_priv_from_pqe(&probe, p, q, e, 0, NULL);
    int m_ok = err != KL_OK || mpz_cmp(m, probe.n) < 0;
    kl_rsa_priv_clear(&probe);
    if (err == KL_ERR_NO_INVERSE) {
      rc = cli_usage_error(D.cmd, "e is not coprime to phi(n) and lambda(n): no d exists");
      goto out;
    }
    if (err != KL_OK) {
      rc = cli_usage_error(D.cmd, "invalid p, q, e: %s", kl_strerror(err));
      goto out;
    }
    if (!m_ok) {
      rc = cli_usage_error(D.cmd, "m must be below n = p*q");
      goto out;
    }
  }

  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    D.j = &j;
    cj_command_begin(&j, "demo rsa-3233");
    /* Only the untouched numbers are the article's. */
    cj_string(&j, "reference",
              keysize != 0         ? "generated key (--keysize)"
              : have_pq || have_em ? "values given on the command line"
                                   : "Wikipedia, RSA (cryptosystem), Example");
  } else {
    fputs("RSA, step by step (Wikipedia's example unless options change it)\n", stdout);
  }
  cli_trace_banner(stderr);
  cli_tracer_init(&D.tr, &D.ct, stdout, D.j);
  D.ct.indent = "    ";
  rc = run(&D, p, q, e, m);
  if (json) {
    cj_object_end(&j);
    cj_finish(&j);
  }
out:
  if (seeded)
    kl_hmac_drbg_clear(&drbg);
  mpz_clears(p, q, e, m, NULL);
  return rc;
}
