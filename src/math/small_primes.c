/* small_primes.c: the table of odd primes below KLI_SMALL_PRIME_LIMIT used
 * for trial division and sieving (prime_gen.c, miller_rabin.c).
 * Computed, not pasted: a sieve of Eratosthenes runs once, under
 * pthread_once, so threads share one read-only table afterwards.
 * There are 6541 odd primes below 2^16. Timing: public data only. */
#include <pthread.h>
#include <string.h>

#include "kexlab/numtheory.h"
#include "math/math_internal.h"

#define MAX_ODD_PRIMES 6541u /* pi(65536) - 1: the prime 2 is not stored */

static uint32_t table[MAX_ODD_PRIMES];
static size_t table_count;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void sieve_table(void)
{
  /* composite[i] says whether i is composite, for 0 <= i < LIMIT.
   * Invariant: when the outer loop reaches k, every composite below k*k is
   * already crossed out (it has a prime factor below k).
   * Why it works: a composite x has a prime factor <= sqrt(x), so crossing out
   * the multiples of each prime k starting at k*k misses nothing. */
  static unsigned char composite[KLI_SMALL_PRIME_LIMIT];
  memset(composite, 0, sizeof composite);
  for (uint32_t k = 3; k * k < KLI_SMALL_PRIME_LIMIT; k += 2) {
    if (composite[k])
      continue;
    for (uint32_t j = k * k; j < KLI_SMALL_PRIME_LIMIT; j += 2 * k)
      composite[j] = 1;
  }
  size_t n = 0;
  for (uint32_t k = 3; k < KLI_SMALL_PRIME_LIMIT && n < MAX_ODD_PRIMES; k += 2) {
    if (!composite[k])
      table[n++] = k;
  }
  table_count = n;
}

const uint32_t *kli_small_primes(size_t *count)
{
  pthread_once(&table_once, sieve_table);
  *count = table_count;
  return table;
}

size_t kl_small_primes_count(void)
{
  size_t n;
  (void)kli_small_primes(&n);
  return n;
}

unsigned kl_small_prime(size_t i)
{
  size_t n;
  const uint32_t *t = kli_small_primes(&n);
  return i < n ? t[i] : 0;
}
