/* cg_rsa_private.c: a fixed workload for valgrind --tool=callgrind, whose
 * instruction counts are reproducible where the shared machine's clocks are
 * not: one seeded key of NLEN bits, then ITERS private operations with the
 * given kl_rsa_private flags (0 = as used: CRT, blinded, verified).
 *   valgrind --tool=callgrind --toggle-collect=kl_rsa_private \
 *     tests/bench/cg_rsa_private 2048 0 10
 * prints the last result's low 64 bits (so the work cannot be skipped).
 * The generator is a fixed, NON-secure splitmix64: for measuring only. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "kexlab/kexlab.h"

#include "../common/splitmix64.h" /* a fixed, NON-secure generator: reproducible runs */

int main(int argc, char **argv)
{
  unsigned long nlen = argc > 1 ? strtoul(argv[1], NULL, 10) : 2048;
  unsigned long flags = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
  unsigned long iters = argc > 3 ? strtoul(argv[3], NULL, 10) : 10;
  if (argc > 4 || nlen < 1024 || nlen > 8192 || flags > 7 || iters < 1) {
    fputs("usage: cg_rsa_private [NLEN [FLAGS [ITERS]]]\n", stderr);
    return 2;
  }
  if (kl_init() != KL_OK)
    return 2;
  uint64_t seed = 3233;
  kl_rng rng = {th_splitmix64_fill, &seed};
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  if (kl_rsa_keygen(&key, &rng, (unsigned)nlen, NULL, 0, NULL) != KL_OK)
    return 1;
  mpz_t c, m;
  mpz_inits(c, m, NULL);
  mpz_set_ui(c, 0x1234567);
  mpz_mul_2exp(c, c, nlen - 40);
  for (unsigned long i = 0; i < iters; i++) {
    if (kl_rsa_private(&key, &rng, (unsigned)flags, NULL, m, c) != KL_OK)
      return 1;
  }
  printf("%016llx\n", (unsigned long long)mpz_getlimbn(m, 0));
  mpz_clears(c, m, NULL);
  kl_rsa_priv_clear(&key);
  return 0;
}
