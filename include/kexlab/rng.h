/* rng.h: the random-generator interface. Randomness is always injected: every
 * function that needs random bytes (key generation, prime generation, OAEP
 * encryption, PSS signing, blinding, IVs, the key exchange) takes a
 * `const kl_rng *`, so a lab or a test can make every result reproducible.
 * Nothing in kexlab reads the OS generator behind the caller's back.
 *
 * Generators:
 *  - kl_rng_os:      the operating system's generator, getrandom(2) (this file);
 *  - kl_rng_replay:  hands out fixed bytes, then fails: replays the seeds and
 *                    salts of standard vectors (this file);
 *  - HMAC_DRBG:      SP 800-90A deterministic generator, seeded by the user
 *                    (drbg.h). */
#ifndef KEXLAB_RNG_H
#define KEXLAB_RNG_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fill out[0..len) with random bytes from state. Returns KL_OK or KL_ERR_RNG. */
typedef kl_err kl_rng_fill_fn(void *state, uint8_t *out, size_t len);

typedef struct kl_rng {
  kl_rng_fill_fn *fill; /* never NULL in a valid generator */
  void *state; /* generator state; the generator owns its locking (none is thread-safe but os) */
} kl_rng;

/* Draw len bytes. On failure out is zeroed and KL_ERR_RNG (or KL_ERR_ARG) returned. */
KL_NODISCARD kl_err kl_rng_fill(const kl_rng *rng, uint8_t *out, size_t len);

/* The OS generator: getrandom(2), retried on EINTR and short reads.
 * Stateless, hence safe to share between threads. */
void kl_rng_os(kl_rng *rng);

/* A replay generator: the first `len` bytes drawn are data[0..len); any draw
 * past the end fails with KL_ERR_RNG. The caller keeps data alive. */
typedef struct kl_rng_replay_state {
  const uint8_t *data;
  size_t len;
  size_t pos;
} kl_rng_replay_state;

void kl_rng_replay(kl_rng *rng, kl_rng_replay_state *st, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
