/* splitmix64.h: the splitmix64 generator (Steele, Lea, Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014) the tests share: fast, well
 * mixed, reproducible, and NOT secure: for test inputs and measurements only.
 * th_prng (test_util.h) draws from it inside the Check suites; the programs
 * outside Check (tests/ct, tests/bench) use th_splitmix64_fill as a kl_rng. */
#ifndef KL_TEST_SPLITMIX64_H
#define KL_TEST_SPLITMIX64_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/rng.h"

/* One step: advance *s by the golden-ratio increment and mix it. */
static inline uint64_t th_splitmix64_next(uint64_t *s)
{
  uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* A kl_rng fill function over a uint64_t state (the seed): one octet per
 * step, the low one of each output. Fixed seeds give the same keys on every
 * run, which is what the ct checks and the callgrind workloads need. */
kl_err th_splitmix64_fill(void *state, uint8_t *out, size_t len);

#endif
