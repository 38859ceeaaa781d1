/* math_internal.h: what the math layer's files share and nobody else sees. */
#ifndef KL_MATH_INTERNAL_H
#define KL_MATH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/numtheory.h"

/* The trial-division table: the odd primes below KLI_SMALL_PRIME_LIMIT,
 * 3, 5, 7, ... computed once (pthread_once) by a sieve of Eratosthenes.
 * The limit trades sieve work against Miller-Rabin calls; see prime_gen.c
 * for the measurement behind it. */
#define KLI_SMALL_PRIME_LIMIT 65536u
const uint32_t *kli_small_primes(size_t *count);

/* Miller-Rabin rounds first .. first+iterations-1 of a test of `total`
 * rounds (FIPS 186-5 B.3.1), so that a caller running one round at a time
 * (prime_gen.c) still numbers the rounds and traces w, a, m, wlen once
 * (when first = 1) and step 5 once (when the last round is `total`).
 * Bases from rng (steps 4.1-4.2), or, when bases is not NULL, bases[0..
 * iterations) (each 1 < b < w-1, else KL_ERR_ARG). Trace: see kl_miller_rabin. */
kl_err kli_miller_rabin(kl_primality *result, const mpz_t w, unsigned first, unsigned iterations,
                        unsigned total, const kl_rng *rng, const unsigned long *bases,
                        const kl_tracer *tr);

#endif
