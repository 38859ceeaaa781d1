/* bench_pkcs1.c: OAEP decryption and PSS signing against the raw private
 * operation (see bench_pkcs1.h). Called by bench_rsa.c.
 * Method: the machine is shared and noisy, so the three operations are
 * interleaved one call at a time (raw, OAEP, PSS, raw, ..., the order
 * rotating), each call timed on the thread's CPU clock; a round sums each
 * operation's CPU time, and each figure is the median over the rounds of
 * calls / CPU seconds. A burst of load then hits all three alike, where
 * back-to-back timed blocks had given spreads of +-10 %. The padding itself (two MGF1
 * passes over k octets, two or three hashes) costs microseconds against the
 * milliseconds of a 2048-bit CRT exponentiation. */
#include <stdlib.h>
#include <string.h>

#include "bench_pkcs1.h"
#include "bench_util.h"
#include "kexlab/oaep.h"
#include "kexlab/pss.h"

enum {
  OP_RAW,
  OP_OAEP,
  OP_PSS,
  OP_COUNT
};
#define MAX_ROUNDS 64

typedef struct bench_inputs {
  const kl_rsa_priv *key;
  kl_rng rng;
  size_t k;
  uint8_t C[KL_RSA_MAX_BITS / 8]; /* a valid OAEP ciphertext */
  uint8_t X[KL_RSA_MAX_BITS / 8]; /* a raw input < n */
  uint8_t out[KL_RSA_MAX_BITS / 8];
  uint8_t M[32];
} bench_inputs;

static kl_err one_op(bench_inputs *in, int op)
{
  static const kl_oaep_params oaep = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  static const kl_pss_params pss = {KL_HASH_SHA256, KL_PSS_SALT_HASH_LEN, 0, 0};
  size_t len = sizeof in->out;
  switch (op) {
  case OP_RAW:
    return kl_rsa_private_octets(in->key, &in->rng, in->out, in->X, in->k);
  case OP_OAEP:
    return kl_rsa_oaep_decrypt(in->key, &oaep, &in->rng, NULL, in->out, &len, in->C, in->k);
  default:
    return kl_rsa_pss_sign(in->key, &pss, &in->rng, in->out, &len, in->M, sizeof in->M);
  }
}

/* One round: the three operations take turns, call by call, until each has
 * used about `budget` CPU seconds (and run at least 3 times). */
static int round_rates(bench_inputs *in, double budget, unsigned r, double rates[OP_COUNT])
{
  double used[OP_COUNT] = {0};
  unsigned long calls[OP_COUNT] = {0};
  for (unsigned long i = 0;; i++) {
    int op = (int)((i + r) % OP_COUNT); /* rotate which one goes first */
    double t0 = bench_thread_cpu_seconds();
    if (one_op(in, op) != KL_OK)
      return -1;
    used[op] += bench_thread_cpu_seconds() - t0;
    calls[op]++;
    if (i % OP_COUNT == OP_COUNT - 1) { /* after each full turn */
      int done = 1;
      for (int o = 0; o < OP_COUNT; o++)
        done &= used[o] >= budget && calls[o] >= 3;
      if (done)
        break;
    }
  }
  for (int o = 0; o < OP_COUNT; o++)
    rates[o] = (double)calls[o] / used[o];
  return 0;
}

int bench_pkcs1_run(const kl_rsa_priv *key, double seconds, unsigned rounds,
                    bench_pkcs1_figures *out)
{
  static const kl_oaep_params oaep = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  bench_inputs in;
  double rates[OP_COUNT][MAX_ROUNDS];
  memset(out, 0, sizeof *out);
  if (rounds == 0 || rounds > MAX_ROUNDS || seconds <= 0)
    return KL_EXIT_USAGE;
  in.key = key;
  kl_rng_os(&in.rng);
  in.k = kl_rsa_modulus_len(key->n);
  if (in.k == 0 || in.k > sizeof in.C)
    return KL_EXIT_USAGE;
  memset(in.M, 0x6d, sizeof in.M);
  /* The raw input: a (k-1)-octet value, below n whatever n is. */
  if (kl_rng_fill(&in.rng, in.X, in.k) != KL_OK)
    return KL_EXIT_FAIL;
  in.X[0] = 0;
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, key);
  size_t cLen = sizeof in.C;
  kl_err err = kl_rsa_oaep_encrypt(&pub, &oaep, &in.rng, NULL, in.C, &cLen, in.M, sizeof in.M);
  kl_rsa_pub_clear(&pub);
  if (err != KL_OK) {
    cli_error("bench rsa", "OAEP set-up failed: %s", kl_strerror(err));
    return KL_EXIT_FAIL;
  }

  const double budget = seconds / rounds / OP_COUNT;
  for (unsigned r = 0; r < rounds; r++) {
    double rr[OP_COUNT];
    if (round_rates(&in, budget, r, rr) != 0) {
      cli_error("bench rsa", "an operation failed");
      return KL_EXIT_FAIL;
    }
    for (int o = 0; o < OP_COUNT; o++)
      rates[o][r] = rr[o];
  }
  out->bits = (unsigned)mpz_sizeinbase(key->n, 2);
  out->rounds = rounds;
  out->raw_per_s = bench_median(rates[OP_RAW], rounds);
  out->oaep_dec_per_s = bench_median(rates[OP_OAEP], rounds);
  out->pss_sign_per_s = bench_median(rates[OP_PSS], rounds);
  out->oaep_overhead = 1.0 - out->oaep_dec_per_s / out->raw_per_s;
  out->pss_overhead = 1.0 - out->pss_sign_per_s / out->raw_per_s;
  return KL_EXIT_OK;
}

void bench_pkcs1_print(const bench_pkcs1_figures *f, cli_json *j)
{
  if (j != NULL) {
    cj_double(j, "raw_private_per_s", f->raw_per_s);
    cj_double(j, "oaep_decrypt_per_s", f->oaep_dec_per_s);
    cj_double(j, "pss_sign_per_s", f->pss_sign_per_s);
    cj_double(j, "oaep_overhead_pct", 100.0 * f->oaep_overhead);
    cj_double(j, "pss_overhead_pct", 100.0 * f->pss_overhead);
    cj_udecimal(j, "pkcs1_rounds", f->rounds);
    return;
  }
  printf("RSA-%u private op (CRT, blinded, checked): %9.1f /s\n", f->bits, f->raw_per_s);
  printf("RSA-%u OAEP decryption (SHA-256):          %9.1f /s  (%+.1f %% vs raw)\n", f->bits,
         f->oaep_dec_per_s, -100.0 * f->oaep_overhead);
  printf("RSA-%u PSS signing (SHA-256, sLen 32):     %9.1f /s  (%+.1f %% vs raw)\n", f->bits,
         f->pss_sign_per_s, -100.0 * f->pss_overhead);
  printf("  (per CPU second; medians of %u rounds of interleaved calls)\n", f->rounds);
}
