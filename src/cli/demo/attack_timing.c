/* attack_timing.c: `kexlab demo attack timing`: a timing side channel in
 * modular exponentiation (Kocher, CRYPTO 1996). Left-to-right square-and-
 * multiply squares once per bit of d and multiplies once per 1 bit, so its
 * time grows with the Hamming weight of d. The attacker times exponents of
 * known weight on the same modulus, fits a line, times the victim's
 * secret exponentiation and reads the weight of the secret exponent off the
 * line. The victim's exponent has a weight drawn uniformly from the
 * calibration range, so that no prior guess (such as half the bits, the
 * weight of a random RSA d) comes near it: the timing has to tell.
 *   weak:   textbook square-and-multiply in this file (mpz_mul, mpz_mod,
 *           a branch on each bit of d): the correlation is plain;
 *   normal: kexlab's exponentiation (kl_rsa_private: mpn_sec_powm, the
 *           same operations whatever the bits; tests/ct/ct_rsa.c): Pearson's
 *           r is printed, near 0, and the attacker gets no estimate.
 * What leaks here is one number, the weight of d; Kocher's full attack
 * builds on the same dependence to recover d bit by bit. */
#include <gmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oracle_kit.h"

static const char *help =
  "usage: kexlab demo attack timing [--bits N] [--seed HEX] [--json]\n"
  "\n"
  "Time square-and-multiply against the Hamming weight of the exponent, then\n"
  "read the weight of a victim's private exponent d from one timing; kexlab's\n"
  "constant-time exponentiation shows no correlation (Pearson's r printed).\n"
  "\n"
  "  --bits N     the RSA key size (512..2048, default 512)\n"
  "  --seed HEX   reproducible key and exponents (timings always vary)\n"
  "  --json       one JSON object (docs/schema/demo-attack-timing.schema.json)\n"
  "  -h, --help   this help\n"
  "Exit status 0 when the weak exponentiation leaks and the normal one does not.\n";

enum {
  POINTS = 24, /* calibration exponents */
  PASSES = 25, /* passes over every exponent (the victim's too): the least
                  time of each is kept, so a busy moment hits them all alike */
  BATCH = 4    /* exponentiations per timing */
};

/* The weak one: left to right, a branch and a multiplication per 1 bit. */
static void textbook_powm(mpz_t r, const mpz_t b, const mpz_t d, const mpz_t n)
{
  mpz_set_ui(r, 1);
  for (size_t i = mpz_sizeinbase(d, 2); i-- > 0;) {
    mpz_mul(r, r, r);
    mpz_mod(r, r, n);
    if (mpz_tstbit(d, i)) {
      mpz_mul(r, r, b);
      mpz_mod(r, r, n);
    }
  }
}

typedef struct timer {
  int weak;
  kl_rsa_priv *key; /* normal: d is swapped in and out */
  mpz_t c, r;
  unsigned long long ops;
} timer;

/* Nanoseconds of BATCH exponentiations c^d mod n. */
static double time_exp(timer *t, const mpz_t d)
{
  double best = 1e30;
  mpz_t saved;
  mpz_init_set(saved, t->key->d);
  mpz_set(t->key->d, d);
  {
    struct timespec a, b;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    for (int i = 0; i < BATCH; i++) {
      if (t->weak)
        textbook_powm(t->r, t->c, d, t->key->n);
      else if (kl_rsa_private(t->key, NULL, KL_RSA_NO_CRT | KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY,
                              NULL, t->r, t->c) != KL_OK)
        mpz_set_ui(t->r, 0);
    }
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    t->ops += BATCH;
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    if (ns < best)
      best = ns;
  }
  mpz_set(t->key->d, saved);
  mpz_clear(saved);
  return best;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Spearman's rank correlation of y against x, x already increasing and
 * distinct (the calibration weights): Pearson's r of the ranks. */
static double spearman(const double *y, size_t n)
{
  double rank[POINTS], d2 = 0;
  for (size_t i = 0; i < n; i++) {
    size_t below = 0;
    for (size_t j = 0; j < n; j++)
      below += y[j] < y[i];
    rank[i] = (double)below;
  }
  for (size_t i = 0; i < n; i++)
    d2 += (rank[i] - (double)i) * (rank[i] - (double)i);
  return 1 - 6 * d2 / ((double)n * ((double)n * (double)n - 1));
}

/* An exponent of len bits with weight w: the top bit and w - 1 others at
 * positions drawn from rng. */
static kl_err make_exponent(mpz_t d, const kl_rng *rng, size_t len, size_t w)
{
  mpz_set_ui(d, 0);
  mpz_setbit(d, len - 1);
  for (size_t set = 1; set < w;) {
    uint8_t r[2];
    kl_err err = kl_rng_fill(rng, r, 2);
    if (err != KL_OK)
      return err;
    size_t pos = ((size_t)r[0] << 8 | r[1]) % (len - 1);
    if (!mpz_tstbit(d, pos)) {
      mpz_setbit(d, pos);
      set++;
    }
  }
  return KL_OK;
}

static void run(okit *o, kl_rsa_priv *key, int weak, mpz_t *d, const double *w, size_t victim_w)
{
  okit_run_begin(o, weak ? "weak" : "normal",
                 weak ? "textbook square-and-multiply: one multiplication per 1 bit of d"
                      : "kl_rsa_private's exponentiation (mpn_sec_powm): the same work for "
                        "every d");
  timer t;
  memset(&t, 0, sizeof t);
  t.weak = weak;
  t.key = key;
  mpz_inits(t.c, t.r, NULL);
  mpz_set_ui(t.c, 0xC0FFEE);
  mpz_powm(t.c, t.c, key->e, key->n); /* a ciphertext */
  double x[POINTS], y[POINTS + 1], sx = 0, sy = 0;
  for (size_t i = 0; i <= POINTS; i++)
    y[i] = 1e30;
  for (int pass = 0; pass < PASSES; pass++) {
    for (size_t i = 0; i <= POINTS; i++) { /* index POINTS: the victim decrypts */
      double ns = time_exp(&t, i < POINTS ? d[i] : key->d);
      if (ns < y[i])
        y[i] = ns;
    }
  }
  for (size_t i = 0; i < POINTS; i++) {
    x[i] = w[i];
    sx += x[i];
    sy += y[i];
  }
  const double mx = sx / POINTS, my = sy / POINTS;
  double sxx = 0, syy = 0, sxy = 0;
  for (size_t i = 0; i < POINTS; i++) {
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const double r = syy > 0 ? sxy / sqrt(sxx * syy) : 0;
  /* The line by Theil and Sen: the median of the pairwise slopes, robust to
   * the odd timing a busy machine spoils. */
  double slopes[POINTS * (POINTS - 1) / 2], resid[POINTS];
  size_t ns = 0;
  for (size_t i = 0; i < POINTS; i++)
    for (size_t j = i + 1; j < POINTS; j++)
      slopes[ns++] = (y[j] - y[i]) / (x[j] - x[i]);
  const double slope = median(slopes, ns);
  for (size_t i = 0; i < POINTS; i++)
    resid[i] = y[i] - slope * x[i];
  const double icept = median(resid, POINTS);
  const double rho = spearman(y, POINTS);
  okit_step(o,
            "calibration: %d exponents of weight %.0f..%.0f, %d x %d exponentiations each: "
            "%.0f..%.0f us",
            POINTS, x[0], x[POINTS - 1], PASSES, BATCH, y[0] / 1e3 / BATCH,
            y[POINTS - 1] / 1e3 / BATCH);
  okit_step(o,
            "weight against time: Pearson's r = %.3f, Spearman's rho = %.3f; the fit: %.1f ns "
            "per 1 bit",
            r, rho, slope / BATCH);
  okit_statistic(o, "spearman_rho", rho);
  const double tv = y[POINTS];
  const size_t len = mpz_sizeinbase(key->d, 2);
  int worked = 0;
  uint8_t rec[2];
  if (fabs(rho) < 0.8) {
    okit_step(o, "%s", "no usable correlation: the victim's timing says nothing about d");
  } else {
    double est = (tv - icept) / slope;
    long e = lround(est);
    okit_step(o, "the victim's decryption takes %.0f us: weight of d = %ld by the fit (true: %zu)",
              tv / 1e3 / BATCH, e, victim_w);
    worked = labs(e - (long)victim_w) <= (long)(len / 16);
    okit_step(o, "within %zu of the truth (the weights range over %zu): %s", len / 16, 6 * len / 8,
              worked ? "yes" : "no");
    rec[0] = (uint8_t)(e >> 8);
    rec[1] = (uint8_t)e;
  }
  okit_run_end(o, t.ops, worked ? rec : NULL, 2, worked, weak);
  mpz_clears(t.c, t.r, NULL);
}

int attack_timing(int argc, char **argv)
{
  okit_opts op;
  okit o;
  int rc = okit_parse(&op, "timing", help, NULL, argc, argv);
  if (rc != KL_EXIT_OK || op.help)
    return rc;
  rc = okit_begin(&o, "timing", op.json, op.seed, op.bits, 512, 512, 2048,
                  "square-and-multiply timed against the weight of d");
  if (rc != KL_EXIT_OK)
    return okit_abort(&o, rc);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  kl_err err = kl_rsa_keygen(&key, &o.rng, o.bits, NULL,
                             o.bits < KL_RSA_MIN_BITS ? KL_RSA_KEYGEN_ALLOW_SMALL : 0, NULL);
  mpz_t d[POINTS];
  double w[POINTS];
  const size_t len = mpz_sizeinbase(key.n, 2) - 1;
  for (size_t i = 0; i < POINTS; i++) {
    mpz_init(d[i]);
    w[i] = (double)(len / 8 + i * (6 * len / 8) / (POINTS - 1));
    if (err == KL_OK)
      err = make_exponent(d[i], &o.rng, len, (size_t)w[i]);
  }
  /* The victim's secret exponent d, of a weight the attacker cannot guess. */
  uint8_t r[2];
  size_t victim_w = 0;
  if (err == KL_OK)
    err = kl_rng_fill(&o.rng, r, sizeof r);
  if (err == KL_OK) {
    victim_w = len / 8 + ((size_t)r[0] << 8 | r[1]) % (6 * len / 8);
    err = make_exponent(key.d, &o.rng, len, victim_w);
  }
  if (err == KL_OK) {
    if (!o.json)
      printf("A %u-bit modulus%s; the secret: the Hamming weight of the victim's %zu-bit\n"
             "exponent d, somewhere between %zu and %zu (it is %zu).\n",
             o.bits, o.bits < KL_RSA_MIN_BITS ? " (a lab size)" : "", len, len / 8,
             len / 8 + 6 * len / 8, victim_w);
    run(&o, &key, 1, d, w, victim_w);
    run(&o, &key, 0, d, w, victim_w);
    const uint8_t secret[2] = {(uint8_t)(victim_w >> 8), (uint8_t)victim_w};
    rc = okit_finish(&o, secret, sizeof secret);
  } else {
    rc = okit_abort(&o, cli_lib_error("demo attack timing", err));
  }
  for (size_t i = 0; i < POINTS; i++)
    mpz_clear(d[i]);
  kl_rsa_priv_clear(&key);
  return rc;
}
