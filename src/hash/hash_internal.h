/* hash_internal.h: what the hash layer's files share and nobody else sees.
 * Each hash has two compression functions that must agree on every input:
 *  - the readable one (sha1.c, sha256.c): FIPS 180-4 written out step by step,
 *    emitting a trace of W[t] and the working variables when a tracer is set;
 *  - the fast one (sha1_fast.c, sha256_fast.c): rounds written out one by one
 *    with a rolling 16-word message schedule, no trace. It is the default.
 * Both process whole 64-byte blocks and update H in place.
 * A context goes through the readable one whenever a tracer is attached (even
 * one whose fn is NULL, which the tests use to reach it without output).
 * tests/test_sha.c (case ref_vs_fast) holds them against each other. */
#ifndef KL_HASH_INTERNAL_H
#define KL_HASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/trace.h"

/* FIPS 180-4 §4.2.2: K0..K63, and §5.3.3: H(0) (sha256.c). tests/test_sha.c
 * recomputes both from the cube and square roots of the first primes. */
extern const uint32_t kli_sha256_K[64];
extern const uint32_t kli_sha256_H0[8];

/* FIPS 180-4 §6.2.2 on nblocks consecutive 64-byte blocks. first: the
 * number of the first block in the message (from 1), for the trace labels. */
void kli_sha256_compress_ref(uint32_t H[8], const uint8_t *blocks, size_t nblocks,
                             uint64_t first, const kl_tracer *tr);
void kli_sha256_compress_fast(uint32_t H[8], const uint8_t *blocks, size_t nblocks);

/* FIPS 180-4 §6.1.2 on nblocks consecutive 64-byte blocks. */
void kli_sha1_compress_ref(uint32_t H[5], const uint8_t *blocks, size_t nblocks,
                           uint64_t first, const kl_tracer *tr);
void kli_sha1_compress_fast(uint32_t H[5], const uint8_t *blocks, size_t nblocks);

#endif
