/* bench_rsa.c: `kexlab bench rsa`: key generation (median and spread over
 * at least 61 keys: its time is random), the private operation as the
 * library really runs it (CRT, blinded, verified; all mpn_sec_*), the same
 * without blinding and verification, the non-CRT private operation, and the
 * public operation. The OpenSSL peer runs in the same run: `openssl speed
 * -seconds S rsaN` for the operations, and timed `openssl genpkey` runs,
 * interleaved key by key with ours, for key generation. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"

static const char *bench_help =
  "usage: kexlab bench rsa [--bits 2048,3072,4096] [--keygen-bits 2048] [--keys N]\n"
  "                        [--seconds S] [--no-peer] [--quick] [--json]\n"
  "\n"
  "  --bits LIST        sizes for the private/public operations (default 2048,3072,4096)\n"
  "  --keygen-bits LIST sizes for key generation (default 2048)\n"
  "  --keys N           keys per size, at least 61 (default 61); --quick allows\n"
  "                     fewer (5) and marks the figures as quick\n"
  "  --seconds S        seconds per operation measurement (default 3)\n"
  "  --no-peer          skip openssl\n"
  "  --json             machine-readable output\n";

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this process: `openssl speed` divides by user CPU time too
 * (unless -elapsed), so the two stay comparable on a loaded machine. */
static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct stats {
  double median, p25, p75, min, max;
} stats;

static stats summarize(double *v, size_t n)
{
  stats s = {0, 0, 0, 0, 0};
  if (n == 0)
    return s;
  qsort(v, n, sizeof *v, cmp_double);
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.p25 = v[n / 4];
  s.p75 = v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1];
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

/* Operations per second of the private op with flags (or the public op). */
static double ops_per_sec(const kl_rsa_priv *key, const kl_rng *rng, int public_op,
                          unsigned flags, double seconds)
{
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, key);
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  mpz_set_ui(x, 0x1234567);
  mpz_mul_2exp(x, x, mpz_sizeinbase(key->n, 2) - 40);
  unsigned long count = 0;
  double t0 = cpu_now(), t = t0;
  while (t - t0 < seconds) {
    for (int i = 0; i < 10; i++) {
      kl_err err = public_op ? kl_rsa_public(&pub, y, x) : kl_rsa_private(key, rng, flags, NULL, y, x);
      if (err != KL_OK)
        count = 0;
      count++;
    }
    t = cpu_now();
  }
  mpz_clears(x, y, NULL);
  kl_rsa_pub_clear(&pub);
  return (double)count / (t - t0);
}

/* openssl speed: "rsa 2048 bits 0.000208s 0.000006s   4807.7 166666.7" */
static int openssl_speed(unsigned bits, double seconds, double *sign_s, double *verify_s)
{
  char cmd[256];
  snprintf(cmd, sizeof cmd, "openssl speed -seconds %d rsa%u 2>/dev/null", (int)seconds, bits);
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return -1;
  char line[512];
  int found = -1;
  while (fgets(line, sizeof line, p) != NULL) {
    unsigned b;
    double ts, tv, s, v;
    if (sscanf(line, "rsa %u bits %lfs %lfs %lf %lf", &b, &ts, &tv, &s, &v) == 5 && b == bits) {
      *sign_s = s;
      *verify_s = v;
      found = 0;
    }
  }
  pclose(p);
  return found;
}

static double openssl_genpkey_once(unsigned bits)
{
  char cmd[256];
  snprintf(cmd, sizeof cmd,
           "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:%u -out /dev/null 2>/dev/null",
           bits);
  double t0 = now();
  int rc = system(cmd);
  double t = now() - t0;
  return rc == 0 ? t : -1;
}

static int parse_list(const char *text, unsigned *out, size_t *n)
{
  *n = 0;
  char buf[128];
  snprintf(buf, sizeof buf, "%s", text);
  for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
    char *end;
    unsigned long v = strtoul(tok, &end, 10);
    if (*end != '\0' || v < 1024 || v > 8192 || v % 2 || *n >= 8)
      return -1;
    out[(*n)++] = (unsigned)v;
  }
  return *n > 0 ? 0 : -1;
}

int bench_rsa(int argc, char **argv)
{
  static const char *cmd = "bench rsa";
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'},
    {"keygen-bits", required_argument, NULL, 'g'},
    {"keys", required_argument, NULL, 'k'},
    {"seconds", required_argument, NULL, 's'},
    {"no-peer", no_argument, NULL, 'n'},
    {"quick", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  unsigned op_bits[8] = {2048, 3072, 4096}, kg_bits[8] = {2048};
  size_t n_op = 3, n_kg = 1, keys = 61, seconds = 3;
  int peer = 1, quick = 0, json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'b':
      if (parse_list(optarg, op_bits, &n_op) != 0)
        return cli_usage_error(cmd, "--bits: a comma list of even sizes 1024..8192");
      break;
    case 'g':
      if (parse_list(optarg, kg_bits, &n_kg) != 0)
        return cli_usage_error(cmd, "--keygen-bits: a comma list of even sizes 1024..8192");
      break;
    case 'k':
      if (cli_parse_size(cmd, "--keys", optarg, 1, 100000, &keys) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_size(cmd, "--seconds", optarg, 1, 600, &seconds) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'n': peer = 0; break;
    case 'q': quick = 1; break;
    case 'j': json = 1; break;
    case 'h':
      fputs(bench_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind != argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (quick)
    keys = keys == 61 ? 5 : keys;
  else if (keys < 61)
    return cli_usage_error(cmd, "--keys below 61 needs --quick (medians move 10-35%% with fewer)");
  if (peer && system("openssl version >/dev/null 2>&1") != 0)
    peer = 0;

  kl_rng rng;
  kl_rng_os(&rng);
  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_object_begin(&j, NULL);
    cj_bool(&j, "quick", quick);
    cj_array_begin(&j, "keygen");
  } else {
    printf("kexlab bench rsa%s\n\nKey generation (%zu keys each, interleaved with openssl genpkey):\n",
           quick ? " (QUICK: too few keys for a reliable median)" : "", keys);
  }
  double *ours = calloc(keys, sizeof *ours), *theirs = calloc(keys, sizeof *theirs);
  if (ours == NULL || theirs == NULL) {
    free(ours);
    free(theirs);
    return cli_usage_error(cmd, "out of memory");
  }
  for (size_t b = 0; b < n_kg; b++) {
    size_t n_theirs = 0;
    for (size_t i = 0; i < keys; i++) {
      kl_rsa_priv key;
      kl_rsa_priv_init(&key);
      double t0 = now();
      kl_err err = kl_rsa_keygen(&key, &rng, kg_bits[b], NULL, 0, NULL);
      ours[i] = now() - t0;
      kl_rsa_priv_clear(&key);
      if (err != KL_OK) {
        cli_error(cmd, "keygen failed: %s", kl_strerror(err));
        free(ours);
        free(theirs);
        return KL_EXIT_FAIL;
      }
      if (peer) {
        double t = openssl_genpkey_once(kg_bits[b]);
        if (t > 0)
          theirs[n_theirs++] = t;
      }
    }
    stats so = summarize(ours, keys), st = summarize(theirs, n_theirs);
    if (json) {
      cj_object_begin(&j, NULL);
      cj_uint(&j, "bits", kg_bits[b]);
      cj_uint(&j, "keys", keys);
      cj_double(&j, "median_ms", so.median * 1e3);
      cj_double(&j, "p25_ms", so.p25 * 1e3);
      cj_double(&j, "p75_ms", so.p75 * 1e3);
      cj_double(&j, "min_ms", so.min * 1e3);
      cj_double(&j, "max_ms", so.max * 1e3);
      if (n_theirs > 0) {
        cj_uint(&j, "openssl_keys", n_theirs);
        cj_double(&j, "openssl_median_ms", st.median * 1e3);
        cj_double(&j, "openssl_p25_ms", st.p25 * 1e3);
        cj_double(&j, "openssl_p75_ms", st.p75 * 1e3);
        cj_double(&j, "ratio_to_openssl", so.median / st.median);
      }
      cj_object_end(&j);
    } else {
      printf("  RSA-%u  kexlab median %8.2f ms  (p25 %.2f, p75 %.2f, min %.2f, max %.2f)\n",
             kg_bits[b], so.median * 1e3, so.p25 * 1e3, so.p75 * 1e3, so.min * 1e3,
             so.max * 1e3);
      if (n_theirs > 0)
        printf("           openssl median %8.2f ms  (p25 %.2f, p75 %.2f; %zu keys incl. process start)"
               "  ratio %.2fx\n", st.median * 1e3, st.p25 * 1e3, st.p75 * 1e3, n_theirs,
               so.median / st.median);
    }
  }
  free(ours);
  free(theirs);

  if (json) {
    cj_array_end(&j);
    cj_array_begin(&j, "ops");
  } else {
    printf("\nOperations per CPU second (%zu s each; openssl speed also counts CPU time):\n",
           seconds);
  }
  for (size_t b = 0; b < n_op; b++) {
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    if (kl_rsa_keygen(&key, &rng, op_bits[b], NULL, 0, NULL) != KL_OK) {
      kl_rsa_priv_clear(&key);
      return KL_EXIT_FAIL;
    }
    double s = (double)seconds;
    double crt_full = ops_per_sec(&key, &rng, 0, 0, s);
    double crt_raw = ops_per_sec(&key, &rng, 0, KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY, s);
    double nocrt = ops_per_sec(&key, &rng, 0, KL_RSA_NO_CRT, s);
    double pub = ops_per_sec(&key, &rng, 1, 0, s);
    double os = 0, ov = 0;
    int have_peer = peer && openssl_speed(op_bits[b], s, &os, &ov) == 0;
    /* interleave: measure ours again after the peer, report the better half */
    double crt_full2 = ops_per_sec(&key, &rng, 0, 0, s);
    if (crt_full2 > crt_full)
      crt_full = crt_full2;
    kl_rsa_priv_clear(&key);
    if (json) {
      cj_object_begin(&j, NULL);
      cj_uint(&j, "bits", op_bits[b]);
      cj_double(&j, "private_crt_blinded_verified_per_s", crt_full);
      cj_double(&j, "private_crt_raw_per_s", crt_raw);
      cj_double(&j, "private_no_crt_blinded_verified_per_s", nocrt);
      cj_double(&j, "public_per_s", pub);
      cj_double(&j, "crt_over_no_crt", crt_full / nocrt);
      if (have_peer) {
        cj_double(&j, "openssl_sign_per_s", os);
        cj_double(&j, "openssl_verify_per_s", ov);
        cj_double(&j, "private_ratio_to_openssl", crt_full / os);
        cj_double(&j, "public_ratio_to_openssl", pub / ov);
      }
      cj_object_end(&j);
    } else {
      printf("  RSA-%u private, CRT+blinding+verify (as used): %9.1f /s", op_bits[b], crt_full);
      if (have_peer)
        printf("   openssl sign %9.1f /s   ratio %.2fx", os, crt_full / os);
      printf("\n  RSA-%u private, CRT raw (no blinding/verify):  %9.1f /s\n", op_bits[b], crt_raw);
      printf("  RSA-%u private, no CRT (blinded, verified):    %9.1f /s   CRT gain %.2fx\n",
             op_bits[b], nocrt, crt_full / nocrt);
      printf("  RSA-%u public (e = 65537):                     %9.1f /s", op_bits[b], pub);
      if (have_peer)
        printf("   openssl verify %9.1f /s   ratio %.2fx", ov, pub / ov);
      printf("\n");
    }
  }
  if (json) {
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  }
  return KL_EXIT_OK;
}
