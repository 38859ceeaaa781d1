/* hmac_drbg.c: HMAC_DRBG with SHA-256, NIST SP 800-90A Rev. 1 (June 2015)
 * §10.1.2, without prediction resistance, and its kl_rng adapter.
 *   state: Key, V (outlen = 256 bits each), reseed_counter (§10.1.2.1)
 * Checked against NIST CAVP's HMAC_DRBG records (SHA-256, without and with
 * a reseed) in vectors/nist/drbg/ (tests/test_hash_vectors.c, `kexlab vectors`).
 * Timing: constant-time (lengths are public). Secrets: Key and V are the
 * state: kl_hmac_drbg_clear wipes them; temporaries are wiped on every path.
 * Symbols: Key (K), V, provided_data, entropy_input, nonce,
 * personalization_string, additional_input, seed_material, returned_bits.
 * Trace (a tracer set by the _traced functions or kl_hmac_drbg_set_tracer):
 *   "process" (text): the process that starts, by its name in §10.1.2;
 *   Instantiate: "seed_material", the initial "Key" and "V" (steps 2-3), the
 *     Update, "reseed_counter";
 *   Update: "Key"[1], "V"[2], and when provided_data is not Null "Key"[4],
 *     "V"[5]: Key and V after each step of §10.1.2.2, indexed by step;
 *   Generate: "V" after each V = HMAC(Key, V) of the output loop (step 4.1),
 *     the Update of step 6, "reseed_counter" (step 7). */
#include <stdlib.h>
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/drbg.h"
#include "kexlab/hmac.h"

/* HMAC(Key, V || byte || data1 || data2 || data3): the one shape of every
 * HMAC call in §10.1.2.2 (provided_data is a concatenation of up to three
 * caller strings, passed separately to avoid copying them). has_byte = 0 for
 * the plain V = HMAC(Key, V). */
static kl_err hmac_v(const uint8_t Key[KL_HMAC_DRBG_OUTLEN], uint8_t out[KL_HMAC_DRBG_OUTLEN],
                     const uint8_t V[KL_HMAC_DRBG_OUTLEN], int has_byte, uint8_t byte,
                     const uint8_t *d1, size_t n1, const uint8_t *d2, size_t n2, const uint8_t *d3,
                     size_t n3)
{
  kl_hmac_ctx ctx;
  kl_err err = kl_hmac_init(&ctx, KL_HASH_SHA256, Key, KL_HMAC_DRBG_OUTLEN);
  if (err != KL_OK)
    return err;
  kl_hmac_update(&ctx, V, KL_HMAC_DRBG_OUTLEN);
  if (has_byte)
    kl_hmac_update(&ctx, &byte, 1);
  kl_hmac_update(&ctx, d1, n1);
  kl_hmac_update(&ctx, d2, n2);
  kl_hmac_update(&ctx, d3, n3);
  kl_hmac_final(&ctx, out); /* wipes ctx */
  return KL_OK;
}

/* §10.1.2.2 HMAC_DRBG_Update(provided_data, Key, V), provided_data =
 * d1 || d2 || d3 (any of them empty). */
static kl_err drbg_update(kl_hmac_drbg *d, const uint8_t *d1, size_t n1, const uint8_t *d2,
                          size_t n2, const uint8_t *d3, size_t n3)
{
  uint8_t K[KL_HMAC_DRBG_OUTLEN];
  kl_err err;
  int provided = n1 + n2 + n3 > 0;

  KL_TRACE_TEXT(d->tracer, "process", -1, "HMAC_DRBG_Update (10.1.2.2)");

  /* 1. Key = HMAC(Key, V || 0x00 || provided_data). */
  err = hmac_v(d->K, K, d->V, 1, 0x00, d1, n1, d2, n2, d3, n3);
  if (err != KL_OK)
    goto out;
  memcpy(d->K, K, sizeof K);
  KL_TRACE(d->tracer, "Key", 1, d->K, sizeof d->K);
  /* 2. V = HMAC(Key, V). */
  err = hmac_v(d->K, d->V, d->V, 0, 0, NULL, 0, NULL, 0, NULL, 0);
  if (err != KL_OK)
    goto out;
  KL_TRACE(d->tracer, "V", 2, d->V, sizeof d->V);
  /* 3. If (provided_data = Null), then return Key and V. */
  if (!provided)
    goto out;
  /* 4. Key = HMAC(Key, V || 0x01 || provided_data). */
  err = hmac_v(d->K, K, d->V, 1, 0x01, d1, n1, d2, n2, d3, n3);
  if (err != KL_OK)
    goto out;
  memcpy(d->K, K, sizeof K);
  KL_TRACE(d->tracer, "Key", 4, d->K, sizeof d->K);
  /* 5. V = HMAC(Key, V). */
  err = hmac_v(d->K, d->V, d->V, 0, 0, NULL, 0, NULL, 0, NULL, 0);
  if (err == KL_OK)
    KL_TRACE(d->tracer, "V", 5, d->V, sizeof d->V);
out:
  kl_wipe(K, sizeof K);
  return err;
}

static int bad_input(const uint8_t *p, size_t n)
{
  return p == NULL && n != 0;
}

/* Trace seed_material = entropy_input || nonce || personalization_string
 * (built only for the trace: the Update takes the three parts as they are). */
static kl_err trace_seed_material(const kl_tracer *tr, const uint8_t *entropy, size_t entropy_len,
                                  const uint8_t *nonce, size_t nonce_len, const uint8_t *pers,
                                  size_t pers_len)
{
  size_t n = entropy_len + nonce_len + pers_len;
  uint8_t *seed_material = malloc(n > 0 ? n : 1);
  if (seed_material == NULL)
    return KL_ERR_NOMEM;
  if (entropy_len > 0)
    memcpy(seed_material, entropy, entropy_len);
  if (nonce_len > 0)
    memcpy(seed_material + entropy_len, nonce, nonce_len);
  if (pers_len > 0)
    memcpy(seed_material + entropy_len + nonce_len, pers, pers_len);
  KL_TRACE(tr, "seed_material", -1, seed_material, n);
  kl_wipe(seed_material, n);
  free(seed_material);
  return KL_OK;
}

kl_err kl_hmac_drbg_instantiate(kl_hmac_drbg *d, const uint8_t *entropy, size_t entropy_len,
                                const uint8_t *nonce, size_t nonce_len, const uint8_t *pers,
                                size_t pers_len)
{
  return kl_hmac_drbg_instantiate_traced(d, entropy, entropy_len, nonce, nonce_len, pers, pers_len,
                                         NULL);
}

kl_err kl_hmac_drbg_instantiate_traced(kl_hmac_drbg *d, const uint8_t *entropy, size_t entropy_len,
                                       const uint8_t *nonce, size_t nonce_len, const uint8_t *pers,
                                       size_t pers_len, const kl_tracer *tr)
{
  if (d == NULL || bad_input(entropy, entropy_len) || bad_input(nonce, nonce_len) ||
      bad_input(pers, pers_len))
    return KL_ERR_ARG;
  d->tracer = tr;
  if (KL_TRACING(tr)) {
    KL_TRACE_TEXT(tr, "process", -1, "HMAC_DRBG_Instantiate_algorithm (10.1.2.3)");
    kl_err terr = trace_seed_material(tr, entropy, entropy_len, nonce, nonce_len, pers, pers_len);
    if (terr != KL_OK) {
      kl_hmac_drbg_clear(d);
      return terr;
    }
  }
  /* §10.1.2.3:
   * 1. seed_material = entropy_input || nonce || personalization_string.
   * 2. Key = 0x00 00...00 (outlen bits).
   * 3. V = 0x01 01...01.
   * 4. (Key, V) = HMAC_DRBG_Update(seed_material, Key, V).
   * 5. reseed_counter = 1. */
  memset(d->K, 0x00, sizeof d->K);
  memset(d->V, 0x01, sizeof d->V);
  KL_TRACE(tr, "Key", -1, d->K, sizeof d->K);
  KL_TRACE(tr, "V", -1, d->V, sizeof d->V);
  kl_err err = drbg_update(d, entropy, entropy_len, nonce, nonce_len, pers, pers_len);
  if (err != KL_OK) {
    kl_hmac_drbg_clear(d);
    return err;
  }
  d->reseed_counter = 1;
  KL_TRACE_U64(tr, "reseed_counter", -1, d->reseed_counter);
  return KL_OK;
}

kl_err kl_hmac_drbg_reseed(kl_hmac_drbg *d, const uint8_t *entropy, size_t entropy_len,
                           const uint8_t *addl, size_t addl_len)
{
  if (d == NULL || bad_input(entropy, entropy_len) || bad_input(addl, addl_len))
    return KL_ERR_ARG;
  /* §10.1.2.4:
   * 1. seed_material = entropy_input || additional_input.
   * 2. (Key, V) = HMAC_DRBG_Update(seed_material, Key, V).
   * 3. reseed_counter = 1. */
  KL_TRACE_TEXT(d->tracer, "process", -1, "HMAC_DRBG_Reseed_algorithm (10.1.2.4)");
  kl_err err = drbg_update(d, entropy, entropy_len, addl, addl_len, NULL, 0);
  if (err != KL_OK) {
    kl_hmac_drbg_clear(d);
    return err;
  }
  d->reseed_counter = 1;
  KL_TRACE_U64(d->tracer, "reseed_counter", -1, d->reseed_counter);
  return KL_OK;
}

kl_err kl_hmac_drbg_generate(kl_hmac_drbg *d, uint8_t *out, size_t len, const uint8_t *addl,
                             size_t addl_len)
{
  kl_err err;
  if (d == NULL || bad_input(out, len) || bad_input(addl, addl_len))
    return KL_ERR_ARG;
  /* §10.1 Table 2: at most 2^19 bits per request. */
  if (len > KL_HMAC_DRBG_MAX_REQUEST_BYTES)
    return KL_ERR_LEN;
  /* §10.1.2.5 step 1: a reseed is required past the reseed interval. */
  if (d->reseed_counter > KL_HMAC_DRBG_RESEED_INTERVAL)
    return KL_ERR_RNG;
  KL_TRACE_TEXT(d->tracer, "process", -1, "HMAC_DRBG_Generate_algorithm (10.1.2.5)");
  /* Step 2: if additional_input != Null, (Key, V) = Update(additional_input, Key, V). */
  if (addl_len > 0) {
    err = drbg_update(d, addl, addl_len, NULL, 0, NULL, 0);
    if (err != KL_OK)
      goto fail;
  }
  /* Steps 3-5: temp = Null; while len(temp) < requested_number_of_bits:
   *   V = HMAC(Key, V); temp = temp || V. returned_bits = leftmost bits of temp.
   * V is written straight into out, block by block. */
  for (size_t done = 0; done < len;) {
    err = hmac_v(d->K, d->V, d->V, 0, 0, NULL, 0, NULL, 0, NULL, 0);
    if (err != KL_OK)
      goto fail;
    KL_TRACE(d->tracer, "V", -1, d->V, sizeof d->V);
    size_t take = len - done < KL_HMAC_DRBG_OUTLEN ? len - done : KL_HMAC_DRBG_OUTLEN;
    memcpy(out + done, d->V, take);
    done += take;
  }
  /* Step 6: (Key, V) = HMAC_DRBG_Update(additional_input, Key, V). With an
   * empty additional_input this is the 2-step update (steps 1-2 only). */
  err = drbg_update(d, addl, addl_len, NULL, 0, NULL, 0);
  if (err != KL_OK)
    goto fail;
  /* Step 7: reseed_counter = reseed_counter + 1. */
  d->reseed_counter++;
  KL_TRACE_U64(d->tracer, "reseed_counter", -1, d->reseed_counter);
  return KL_OK;

fail:
  kl_wipe(out, len);
  kl_hmac_drbg_clear(d);
  return err;
}

void kl_hmac_drbg_set_tracer(kl_hmac_drbg *d, const kl_tracer *tr)
{
  d->tracer = tr;
}

void kl_hmac_drbg_clear(kl_hmac_drbg *d)
{
  if (d != NULL)
    kl_wipe(d, sizeof *d);
}

/* kl_rng adapter: split draws into requests of at most the per-request limit. */
static kl_err drbg_fill(void *state, uint8_t *out, size_t len)
{
  kl_hmac_drbg *d = state;
  while (len > 0) {
    size_t take = len < KL_HMAC_DRBG_MAX_REQUEST_BYTES ? len : KL_HMAC_DRBG_MAX_REQUEST_BYTES;
    kl_err err = kl_hmac_drbg_generate(d, out, take, NULL, 0);
    if (err != KL_OK)
      return err == KL_ERR_ARG ? KL_ERR_ARG : KL_ERR_RNG;
    out += take;
    len -= take;
  }
  return KL_OK;
}

void kl_hmac_drbg_rng(kl_rng *rng, kl_hmac_drbg *d)
{
  rng->fill = drbg_fill;
  rng->state = d;
}

kl_err kl_rng_seeded(kl_rng *rng, kl_hmac_drbg *d, const uint8_t *seed, size_t seed_len)
{
  return kl_rng_seeded_traced(rng, d, seed, seed_len, NULL);
}

kl_err kl_rng_seeded_traced(kl_rng *rng, kl_hmac_drbg *d, const uint8_t *seed, size_t seed_len,
                            const kl_tracer *tr)
{
  static const char pers[] = "kexlab seeded rng v1";
  if (rng == NULL || d == NULL || seed == NULL || seed_len == 0)
    return KL_ERR_ARG;
  kl_err err = kl_hmac_drbg_instantiate_traced(d, seed, seed_len, NULL, 0, (const uint8_t *)pers,
                                               sizeof pers - 1, tr);
  if (err != KL_OK)
    return err;
  kl_hmac_drbg_rng(rng, d);
  return KL_OK;
}
