/* drbg.h: HMAC_DRBG with SHA-256, NIST SP 800-90A Rev. 1 §10.1.2, no
 * prediction resistance. It makes labs and tests reproducible: the same seed
 * gives the same keys, IVs and transcripts.
 * Used as a kl_rng through kl_hmac_drbg_rng(), or kl_rng_seeded() for labs. */
#ifndef KEXLAB_DRBG_H
#define KEXLAB_DRBG_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "rng.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_HMAC_DRBG_OUTLEN 32                           /* SHA-256 */
#define KL_HMAC_DRBG_MAX_REQUEST_BYTES 65536             /* §10.1 Table 2: 2^19 bits per request */
#define KL_HMAC_DRBG_RESEED_INTERVAL ((uint64_t)1 << 48) /* §10.1 Table 2 */

typedef struct kl_hmac_drbg {
  uint8_t K[KL_HMAC_DRBG_OUTLEN]; /* §10.1.2.1: Key */
  uint8_t V[KL_HMAC_DRBG_OUTLEN]; /* §10.1.2.1: V */
  uint64_t reseed_counter;
  const kl_tracer *tracer; /* NULL: no trace (kl_hmac_drbg_instantiate) */
} kl_hmac_drbg;

/* §10.1.2.3 HMAC_DRBG_Instantiate_algorithm. Any inputs may be empty.
 * Returns KL_OK or KL_ERR_ARG.
 * Secrets: d holds Key and V (kl_hmac_drbg_clear wipes them); d is wiped on
 * failure. Timing: constant-time (HMAC only). */
KL_NODISCARD kl_err kl_hmac_drbg_instantiate(kl_hmac_drbg *d, const uint8_t *entropy,
                                             size_t entropy_len, const uint8_t *nonce,
                                             size_t nonce_len, const uint8_t *pers,
                                             size_t pers_len);
/* kl_hmac_drbg_instantiate, then every process of d traced to tr (NULL:
 * none; tr must outlive d): "process" (text, the process's name), and
 * "seed_material", "Key", "V", "reseed_counter" as src/rand/hmac_drbg.c lists.
 * Traces Key and V, the secret state: for study only. Returns as above, or
 * KL_ERR_NOMEM (tracing only: seed_material is copied for the trace). */
KL_NODISCARD kl_err kl_hmac_drbg_instantiate_traced(kl_hmac_drbg *d, const uint8_t *entropy,
                                                    size_t entropy_len, const uint8_t *nonce,
                                                    size_t nonce_len, const uint8_t *pers,
                                                    size_t pers_len, const kl_tracer *tr);
/* Attach (or, with NULL, detach) a tracer to an instantiated d. */
void kl_hmac_drbg_set_tracer(kl_hmac_drbg *d, const kl_tracer *tr);
/* §10.1.2.4 HMAC_DRBG_Reseed_algorithm. Returns KL_OK or KL_ERR_ARG.
 * Secrets: d is wiped on failure. Timing: constant-time. */
KL_NODISCARD kl_err kl_hmac_drbg_reseed(kl_hmac_drbg *d, const uint8_t *entropy, size_t entropy_len,
                                        const uint8_t *addl, size_t addl_len);
/* §10.1.2.5 HMAC_DRBG_Generate_algorithm. len <= KL_HMAC_DRBG_MAX_REQUEST_BYTES.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_LEN, KL_ERR_RNG (reseed required).
 * Secrets: on failure out and d are wiped; temporaries are wiped on every
 * path. Timing: constant-time; len is revealed. */
KL_NODISCARD kl_err kl_hmac_drbg_generate(kl_hmac_drbg *d, uint8_t *out, size_t len,
                                          const uint8_t *addl, size_t addl_len);
/* Secrets: wipes the state (Key, V, reseed_counter). */
void kl_hmac_drbg_clear(kl_hmac_drbg *d);

/* A kl_rng drawing from d (large draws are split into requests). d must
 * outlive rng. Not thread-safe: one generator per thread. */
void kl_hmac_drbg_rng(kl_rng *rng, kl_hmac_drbg *d);

/* For labs and tests: instantiate d with entropy = seed (1 or more bytes),
 * nonce = empty and personalization = "kexlab seeded rng v1", and bind rng
 * to it. Seeded output is reproducible by design and NOT secret: never use it
 * for real keys. Returns KL_OK or KL_ERR_ARG (NULL or empty seed). */
KL_NODISCARD kl_err kl_rng_seeded(kl_rng *rng, kl_hmac_drbg *d, const uint8_t *seed,
                                  size_t seed_len);
/* kl_rng_seeded, with d instantiated by kl_hmac_drbg_instantiate_traced. */
KL_NODISCARD kl_err kl_rng_seeded_traced(kl_rng *rng, kl_hmac_drbg *d, const uint8_t *seed,
                                         size_t seed_len, const kl_tracer *tr);

#ifdef __cplusplus
}
#endif
#endif
