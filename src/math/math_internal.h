/* math_internal.h: what the math layer's files share and nobody else sees. */
#ifndef KL_MATH_INTERNAL_H
#define KL_MATH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The trial-division table: the odd primes below KLI_SMALL_PRIME_LIMIT,
 * 3, 5, 7, ... computed once (pthread_once) by a sieve of Eratosthenes.
 * The limit trades sieve work against Miller-Rabin calls; see prime_gen.c
 * for the measurement behind it. */
#define KLI_SMALL_PRIME_LIMIT 65536u
const uint32_t *kli_small_primes(size_t *count);

#endif
