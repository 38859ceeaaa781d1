/* bench_pkcs1.h: the padding figures of `kexlab bench rsa` (bench_pkcs1.c):
 * OAEP-2048 decryptions/s and PSS-2048 signatures/s beside the raw private
 * operation they wrap (blinded CRT with the fault check, kl_rsa_private_octets),
 * measured interleaved call by call on the CPU clock, so that the overhead
 * of the padding is read off directly. */
#ifndef KL_CLI_BENCH_PKCS1_H
#define KL_CLI_BENCH_PKCS1_H

#include "cli.h"
#include "kexlab/rsa.h"

typedef struct bench_pkcs1_figures {
  unsigned bits;         /* modulus size of the key used */
  unsigned rounds;       /* interleaved rounds; figures are medians over them */
  double raw_per_s;      /* kl_rsa_private_octets: the baseline */
  double oaep_dec_per_s; /* kl_rsa_oaep_decrypt, SHA-256/MGF1-SHA-256, 32-octet M */
  double pss_sign_per_s; /* kl_rsa_pss_sign, SHA-256, sLen = hLen, 32-octet M */
  double oaep_overhead;  /* 1 - oaep/raw, e.g. 0.012 for 1.2 % slower */
  double pss_overhead;   /* 1 - pss/raw */
} bench_pkcs1_figures;

/* Run `rounds` rounds of about seconds / rounds CPU seconds each; in each
 * round the three operations take turns call by call (the order rotates).
 * key: the 2048-bit key the rest of `bench rsa` uses (any size works).
 * Returns KL_EXIT_OK, or KL_EXIT_FAIL with a message on stderr. */
int bench_pkcs1_run(const kl_rsa_priv *key, double seconds, unsigned rounds,
                    bench_pkcs1_figures *out);

/* Print the figures: text lines to stdout when j is NULL, else the members
 * "oaep_decrypt_per_s", "pss_sign_per_s", "raw_private_per_s",
 * "oaep_overhead_pct", "pss_overhead_pct", "pkcs1_rounds" into the JSON object
 * currently open in j. */
void bench_pkcs1_print(const bench_pkcs1_figures *f, cli_json *j);

#endif
