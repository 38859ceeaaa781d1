/* fuzz_util.h: what the libFuzzer harnesses of tests/fuzz share: the entry
 * points libFuzzer calls, the one way a property failure ends a run, a
 * cursor over the input, and deterministic generators.
 * A harness aborts (and libFuzzer saves the input as crash-<sha1>) on a
 * property failure, exactly as on a sanitizer report, so both fail the run.
 * docs/hacking.md ("Fuzzing") says how to build, run and extend them. */
#ifndef KL_FUZZ_UTIL_H
#define KL_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/drbg.h"
#include "kexlab/rng.h"
#include "kexlab/rsa.h"

/* libFuzzer's entry points (each harness defines the first; the second when
 * it has set-up to do). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* kl_init(), once: the wiping GMP allocator every harness runs under. */
void fz_init(void);

/* The property `what` holds when ok != 0; otherwise print
 * "fuzz: property failed: what" to stderr and abort(). */
void fz_require(int ok, const char *what);

/* The same for two byte strings that must be equal. */
void fz_require_eq(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len,
                   const char *what);

/* A cursor over the input: the front of it chooses what the harness does,
 * the rest is the data. */
typedef struct fz_input {
  const uint8_t *p;
  size_t n;
} fz_input;

/* The next byte, or 0 once the input is used up. */
uint8_t fz_byte(fz_input *in);
/* Up to want bytes from the front: *out points at them; returns how many. */
size_t fz_take(fz_input *in, size_t want, const uint8_t **out);

/* A generator that gives the same bytes on every run: HMAC_DRBG
 * instantiated from the text seed (so a crash replays exactly). */
void fz_rng(kl_rng *rng, kl_hmac_drbg *d, const char *seed);

/* A fresh RSA key of nlen bits from fz_rng(seed): the same key on every run.
 * key must be initialised (kl_rsa_priv_init). Aborts if generation fails. */
void fz_keygen(kl_rsa_priv *key, unsigned nlen, const char *seed);

#endif
