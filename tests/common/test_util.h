/* test_util.h: helpers shared by the Check suites.
 *  - hex in and out, with ck_abort on bad test data;
 *  - the path of a file under vectors/ (env KL_VECTORS, set by meson test);
 *  - a seeded, NON-cryptographic generator for random test inputs: the seed
 *    comes from KL_TEST_SEED when set, else from the clock, and is printed so
 *    that any failure can be replayed with KL_TEST_SEED=<seed>. */
#ifndef KL_TEST_UTIL_H
#define KL_TEST_UTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "kexlab/kexlab.h"

/* Decode hex test data (malloc'd, at least 1 byte); aborts the test on bad hex. */
uint8_t *th_hex(const char *hex, size_t *len);
/* Lower-case hex of data (malloc'd). */
char *th_tohex(const uint8_t *data, size_t len);
/* ck_assert that got equals expected hex, printing both on failure. */
#define th_assert_hex(got, len, hex) th_assert_hex_at(__FILE__, __LINE__, (got), (len), (hex))
void th_assert_hex_at(const char *file, int line, const uint8_t *got, size_t len, const char *hex);

/* "<KL_VECTORS>/<rel>" (static buffer, valid until the next call). */
const char *th_vector_path(const char *rel);

/* The run's seed (printed to stderr once, with how to replay it). */
uint64_t th_seed(void);
/* A splitmix64 stream seeded from th_seed() ^ stream: reproducible test data. */
typedef struct th_prng {
  uint64_t s;
} th_prng;
void th_prng_init(th_prng *p, uint64_t stream);
uint64_t th_prng_u64(th_prng *p);
/* Uniform in [0, bound), bound > 0. */
uint64_t th_prng_below(th_prng *p, uint64_t bound);
void th_prng_bytes(th_prng *p, uint8_t *out, size_t len);
/* A kl_rng over a th_prng (for test inputs only: NOT a secure generator). */
void th_prng_rng(kl_rng *rng, th_prng *p);
/* th_prng_init(p, stream) then th_prng_rng(rng, p): a seeded test generator. */
void th_prng_rng_init(kl_rng *rng, th_prng *p, uint64_t stream);

/* The suite of this test program: each tests/test_<module>.c defines it and
 * common/check_main.c runs it. */
Suite *kl_test_suite(void);

#endif
