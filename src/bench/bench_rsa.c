/* bench_rsa.c: `kexlab bench rsa`: key generation (median and spread over
 * at least 61 keys: its time is random), the private operation as the
 * library really runs it (CRT, blinded, verified; all mpn_sec_*), the same
 * without CRT (also blinded and verified: the fair "CRT gain"), both again
 * without blinding and verification, and the public operation; for 2048-bit
 * keys also OAEP decryption and PSS signing beside the raw operation
 * (bench_pkcs1.c).
 * Peers in the same run: `openssl speed -seconds S rsaN` for the operations,
 * interleaved round by round with ours (figures are medians over the
 * rounds); timed `openssl genpkey` runs and, with --nettle, Nettle's
 * rsa_generate_keypair (src/bench/peer_nettle_keygen.c) interleaved key
 * by key with ours for key generation.
 * Clock: CPU time everywhere (the machine is shared): this process's for our
 * operations, the children's (getrusage) for openssl genpkey, the helper's
 * own for Nettle; `openssl speed` divides by CPU time too. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_pkcs1.h"
#include "bench_util.h"
#include "bench.h"

static const char *bench_help =
  "usage: kexlab bench rsa [--bits 2048,3072,4096] [--keygen-bits 2048] [--keys N]\n"
  "                        [--seconds S] [--rounds R] [--nettle PROG] [--no-peer]\n"
  "                        [--quick] [--json]\n"
  "\n"
  "  --bits LIST        sizes for the private/public operations (default 2048,3072,4096)\n"
  "  --keygen-bits LIST sizes for key generation (default 2048)\n"
  "  --keys N           keys per size, at least 61 (default 61); --quick allows\n"
  "                     fewer (5) and marks the figures as quick\n"
  "  --seconds S        CPU seconds per operation per round (default 2)\n"
  "  --rounds R         rounds, ours and openssl speed alternating (default 3);\n"
  "                     the figures are medians over the rounds\n"
  "  --nettle PROG      also time Nettle's key generation, key by key, with\n"
  "                     PROG = src/bench/peer_nettle_keygen (built when\n"
  "                     nettle-dev is installed)\n"
  "  --no-peer          skip openssl\n"
  "  --json             machine-readable output\n"
  "All times are CPU times.\n";

/* CPU time (user + system) of the waited-for children so far. */
static double children_cpu_now(void)
{
  struct rusage ru;
  if (getrusage(RUSAGE_CHILDREN, &ru) != 0)
    return 0;
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

typedef struct stats {
  double median, p25, p75, min, max;
} stats;

static stats summarize(double *v, size_t n)
{
  stats s = {0, 0, 0, 0, 0};
  if (n == 0)
    return s;
  s.median = bench_median(v, n); /* sorts v: the quartiles below read it */
  s.p25 = v[n / 4];
  s.p75 = v[(3 * n) / 4 < n ? (3 * n) / 4 : n - 1];
  s.min = v[0];
  s.max = v[n - 1];
  return s;
}

static double median_of(const double *v, size_t n)
{
  double tmp[64];
  if (n == 0 || n > 64)
    return 0;
  memcpy(tmp, v, n * sizeof *v);
  return summarize(tmp, n).median;
}

/* The operations measured on our side, interleaved call by call. */
enum {
  OP_CRT,
  OP_NOCRT,
  OP_CRT_RAW,
  OP_NOCRT_RAW,
  OP_PUBLIC,
  OP_COUNT
};
static const unsigned op_flags[OP_COUNT] = {
  0,                                     /* as used */
  KL_RSA_NO_CRT,                         /* blinded, verified */
  KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY, /* exponentiations only */
  KL_RSA_NO_CRT | KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY,
  0,
};
#define MAX_ROUNDS 64

/* One round: the operations take turns, one call at a time (the order
 * rotating), each call timed on the CPU clock, until each has used about
 * `budget` CPU seconds; rates[op] = calls / CPU seconds. A burst of load
 * then hits every operation alike. */
static int round_rates(const kl_rsa_priv *key, const kl_rng *rng, double budget,
                       double rates[OP_COUNT])
{
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, key);
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  mpz_set_ui(x, 0x1234567);
  mpz_mul_2exp(x, x, mpz_sizeinbase(key->n, 2) - 40);
  double used[OP_COUNT] = {0};
  unsigned long calls[OP_COUNT] = {0};
  int rc = KL_EXIT_OK;
  for (unsigned turn = 0;; turn++) {
    int busy = 0;
    for (unsigned k = 0; k < OP_COUNT; k++) {
      unsigned op = (k + turn) % OP_COUNT;
      if (used[op] >= budget && calls[op] >= 3)
        continue;
      busy = 1;
      double t0 = bench_cpu_seconds();
      kl_err err = op == OP_PUBLIC ? kl_rsa_public(&pub, y, x)
                                   : kl_rsa_private(key, rng, op_flags[op], NULL, y, x);
      used[op] += bench_cpu_seconds() - t0;
      calls[op]++;
      if (err != KL_OK) {
        cli_error("bench rsa", "operation failed: %s", kl_strerror(err));
        rc = KL_EXIT_FAIL;
        goto out;
      }
    }
    if (!busy)
      break;
  }
  for (unsigned op = 0; op < OP_COUNT; op++)
    rates[op] = (double)calls[op] / used[op];
out:
  mpz_clears(x, y, NULL);
  kl_rsa_pub_clear(&pub);
  return rc;
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

/* One `openssl genpkey` key: the CPU time of the children (the shell and
 * openssl, process start included), or -1. */
static double openssl_genpkey_once(unsigned bits)
{
  char cmd[256];
  snprintf(cmd, sizeof cmd,
           "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:%u -out /dev/null 2>/dev/null",
           bits);
  double t0 = children_cpu_now();
  int rc = system(cmd);
  double t = children_cpu_now() - t0;
  return rc == 0 ? t : -1;
}

/* One Nettle key from the helper: it prints "key 0 <CPU ms>" (its own CPU
 * clock around rsa_generate_keypair only), or -1. */
static double nettle_keygen_once(const char *prog, unsigned bits)
{
  char cmd[1200];
  if (strchr(prog, '\'') != NULL)
    return -1;
  snprintf(cmd, sizeof cmd, "'%s' --keys 1 --bits %u 2>/dev/null", prog, bits);
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return -1;
  char line[256];
  double ms = -1;
  while (fgets(line, sizeof line, p) != NULL) {
    unsigned i;
    double v;
    if (sscanf(line, "key %u %lf", &i, &v) == 2 && v > 0)
      ms = v;
  }
  if (pclose(p) != 0)
    return -1;
  return ms > 0 ? ms * 1e-3 : -1;
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

static void print_keygen_peer(const char *name, const stats *st, size_t n, const stats *so,
                              const char *note)
{
  printf("           %-6s median %8.2f ms  (p25 %.2f, p75 %.2f, min %.2f, max %.2f; %zu keys%s)"
         "  ours/theirs %.2fx\n",
         name, st->median * 1e3, st->p25 * 1e3, st->p75 * 1e3, st->min * 1e3, st->max * 1e3, n,
         note, so->median / st->median);
}

static void json_keygen_peer(cli_json *j, const char *name, const stats *st, size_t n,
                             const stats *so)
{
  char key[64];
  snprintf(key, sizeof key, "%s_keys", name);
  cj_udecimal(j, key, n);
  snprintf(key, sizeof key, "%s_median_ms", name);
  cj_double(j, key, st->median * 1e3);
  snprintf(key, sizeof key, "%s_p25_ms", name);
  cj_double(j, key, st->p25 * 1e3);
  snprintf(key, sizeof key, "%s_p75_ms", name);
  cj_double(j, key, st->p75 * 1e3);
  snprintf(key, sizeof key, "%s_min_ms", name);
  cj_double(j, key, st->min * 1e3);
  snprintf(key, sizeof key, "%s_max_ms", name);
  cj_double(j, key, st->max * 1e3);
  snprintf(key, sizeof key, "ratio_to_%s", name);
  cj_double(j, key, so->median / st->median);
}

int bench_rsa(int argc, char **argv)
{
  static const char *cmd = "bench rsa";
  static const struct option opts[] = {
    {"bits", required_argument, NULL, 'b'},
    {"keygen-bits", required_argument, NULL, 'g'},
    {"keys", required_argument, NULL, 'k'},
    {"seconds", required_argument, NULL, 's'},
    {"rounds", required_argument, NULL, 'r'},
    {"nettle", required_argument, NULL, 'N'},
    {"no-peer", no_argument, NULL, 'n'},
    {"quick", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  unsigned op_bits[8] = {2048, 3072, 4096}, kg_bits[8] = {2048};
  size_t n_op = 3, n_kg = 1, keys = 61, seconds = 2, rounds = 3;
  int peer = 1, quick = 0, json = 0;
  const char *nettle = NULL;
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
    case 'r':
      if (cli_parse_size(cmd, "--rounds", optarg, 1, MAX_ROUNDS, &rounds) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'N':
      nettle = optarg;
      break;
    case 'n':
      peer = 0;
      break;
    case 'q':
      quick = 1;
      break;
    case 'j':
      json = 1;
      break;
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
  if (nettle != NULL && nettle_keygen_once(nettle, 1024) < 0)
    return cli_usage_error(cmd, "--nettle: '%s' did not run as the Nettle key-generation helper",
                           nettle);
  if (peer && system("openssl version >/dev/null 2>&1") != 0)
    peer = 0;

  kl_rng rng;
  kl_rng_os(&rng);
  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "bench rsa");
    cj_bool(&j, "quick", quick);
    cj_string(&j, "clock", "cpu");
    cj_array_begin(&j, "keygen");
  } else {
    printf("kexlab bench rsa%s (CPU times)\n\nKey generation, %zu keys each, interleaved key by key"
           " with%s%s:\n",
           quick ? " (QUICK: too few keys for a reliable median)" : "", keys,
           peer ? " openssl genpkey" : "",
           nettle != NULL ? (peer ? " and Nettle" : " Nettle") : (peer ? "" : " nothing"));
  }
  double *ours = calloc(keys, sizeof *ours), *theirs = calloc(keys, sizeof *theirs);
  double *nett = calloc(keys, sizeof *nett);
  if (ours == NULL || theirs == NULL || nett == NULL) {
    free(ours);
    free(theirs);
    free(nett);
    return cli_usage_error(cmd, "out of memory");
  }
  for (size_t b = 0; b < n_kg; b++) {
    size_t n_theirs = 0, n_nett = 0;
    for (size_t i = 0; i < keys; i++) {
      kl_rsa_priv key;
      kl_rsa_priv_init(&key);
      double t0 = bench_cpu_seconds();
      kl_err err = kl_rsa_keygen(&key, &rng, kg_bits[b], NULL, 0, NULL);
      ours[i] = bench_cpu_seconds() - t0;
      kl_rsa_priv_clear(&key);
      if (err != KL_OK) {
        cli_error(cmd, "keygen failed: %s", kl_strerror(err));
        free(ours);
        free(theirs);
        free(nett);
        return KL_EXIT_FAIL;
      }
      if (peer) {
        double t = openssl_genpkey_once(kg_bits[b]);
        if (t > 0)
          theirs[n_theirs++] = t;
      }
      if (nettle != NULL) {
        double t = nettle_keygen_once(nettle, kg_bits[b]);
        if (t > 0)
          nett[n_nett++] = t;
      }
    }
    stats so = summarize(ours, keys), st = summarize(theirs, n_theirs);
    stats sn = summarize(nett, n_nett);
    if (json) {
      cj_object_begin(&j, NULL);
      cj_udecimal(&j, "bits", kg_bits[b]);
      cj_udecimal(&j, "keys", keys);
      cj_double(&j, "median_ms", so.median * 1e3);
      cj_double(&j, "p25_ms", so.p25 * 1e3);
      cj_double(&j, "p75_ms", so.p75 * 1e3);
      cj_double(&j, "min_ms", so.min * 1e3);
      cj_double(&j, "max_ms", so.max * 1e3);
      if (n_theirs > 0)
        json_keygen_peer(&j, "openssl", &st, n_theirs, &so);
      if (n_nett > 0)
        json_keygen_peer(&j, "nettle", &sn, n_nett, &so);
      cj_object_end(&j);
    } else {
      printf("  RSA-%u  kexlab median %8.2f ms  (p25 %.2f, p75 %.2f, min %.2f, max %.2f)\n",
             kg_bits[b], so.median * 1e3, so.p25 * 1e3, so.p75 * 1e3, so.min * 1e3, so.max * 1e3);
      if (n_theirs > 0)
        print_keygen_peer("openssl", &st, n_theirs, &so, ", process start included");
      if (n_nett > 0)
        print_keygen_peer("nettle", &sn, n_nett, &so, ", yarrow256");
    }
  }
  free(ours);
  free(theirs);
  free(nett);

  if (json) {
    cj_array_end(&j);
    cj_array_begin(&j, "ops");
  } else {
    printf("\nOperations per CPU second: medians of %zu rounds; in each round ours take turns"
           " call by call\nfor about %zu CPU s each, then openssl speed -seconds %zu:\n",
           rounds, seconds, seconds);
  }
  for (size_t b = 0; b < n_op; b++) {
    kl_rsa_priv key;
    kl_rsa_priv_init(&key);
    if (kl_rsa_keygen(&key, &rng, op_bits[b], NULL, 0, NULL) != KL_OK) {
      kl_rsa_priv_clear(&key);
      return KL_EXIT_FAIL;
    }
    double r[OP_COUNT][MAX_ROUNDS], os[MAX_ROUNDS], ov[MAX_ROUNDS];
    size_t n_peer = 0;
    for (size_t round = 0; round < rounds; round++) {
      double rates[OP_COUNT];
      if (round_rates(&key, &rng, (double)seconds, rates) != KL_EXIT_OK) {
        kl_rsa_priv_clear(&key);
        return KL_EXIT_FAIL;
      }
      for (unsigned op = 0; op < OP_COUNT; op++)
        r[op][round] = rates[op];
      if (peer && openssl_speed(op_bits[b], (double)seconds, &os[n_peer], &ov[n_peer]) == 0)
        n_peer++;
    }
    double med[OP_COUNT];
    for (unsigned op = 0; op < OP_COUNT; op++)
      med[op] = median_of(r[op], rounds);
    double o_sign = median_of(os, n_peer), o_verify = median_of(ov, n_peer);
    bench_pkcs1_figures pk;
    int have_pk = op_bits[b] == 2048 && bench_pkcs1_run(&key, (double)(seconds * rounds),
                                                        (unsigned)rounds, &pk) == KL_EXIT_OK;
    kl_rsa_priv_clear(&key);
    if (json) {
      cj_object_begin(&j, NULL);
      cj_udecimal(&j, "bits", op_bits[b]);
      cj_udecimal(&j, "rounds", rounds);
      cj_double(&j, "private_crt_blinded_verified_per_s", med[OP_CRT]);
      cj_double(&j, "private_crt_raw_per_s", med[OP_CRT_RAW]);
      cj_double(&j, "private_no_crt_blinded_verified_per_s", med[OP_NOCRT]);
      cj_double(&j, "private_no_crt_raw_per_s", med[OP_NOCRT_RAW]);
      cj_double(&j, "public_per_s", med[OP_PUBLIC]);
      cj_double(&j, "crt_over_no_crt", med[OP_CRT] / med[OP_NOCRT]);
      cj_double(&j, "crt_over_no_crt_raw", med[OP_CRT_RAW] / med[OP_NOCRT_RAW]);
      if (n_peer > 0) {
        cj_udecimal(&j, "openssl_rounds", n_peer);
        cj_double(&j, "openssl_sign_per_s", o_sign);
        cj_double(&j, "openssl_verify_per_s", o_verify);
        cj_double(&j, "private_ratio_to_openssl", med[OP_CRT] / o_sign);
        cj_double(&j, "public_ratio_to_openssl", med[OP_PUBLIC] / o_verify);
      }
      if (have_pk)
        bench_pkcs1_print(&pk, &j);
      cj_object_end(&j);
    } else {
      unsigned nb = op_bits[b];
      printf("  RSA-%u private, CRT, blinded, verified (as used):  %9.1f /s", nb, med[OP_CRT]);
      if (n_peer > 0)
        printf("   openssl sign   %9.1f /s   ratio %.2fx", o_sign, med[OP_CRT] / o_sign);
      printf("\n  RSA-%u private, no CRT, blinded, verified:         %9.1f /s   CRT gain %.2fx\n",
             nb, med[OP_NOCRT], med[OP_CRT] / med[OP_NOCRT]);
      printf("  RSA-%u private, CRT, exponentiations only:        %9.1f /s\n", nb, med[OP_CRT_RAW]);
      printf("  RSA-%u private, no CRT, exponentiation only:      %9.1f /s   CRT gain %.2fx\n", nb,
             med[OP_NOCRT_RAW], med[OP_CRT_RAW] / med[OP_NOCRT_RAW]);
      printf("  RSA-%u public (e = 65537):                        %9.1f /s", nb, med[OP_PUBLIC]);
      if (n_peer > 0)
        printf("   openssl verify %9.1f /s   ratio %.2fx", o_verify, med[OP_PUBLIC] / o_verify);
      printf("\n");
      if (have_pk)
        bench_pkcs1_print(&pk, NULL);
    }
  }
  if (json) {
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  }
  return KL_EXIT_OK;
}
