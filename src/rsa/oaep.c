/* oaep.c: RSAES-OAEP, RFC 8017 §7.1: encryption §7.1.1, decryption §7.1.2,
 * EME-OAEP encoding and decoding (steps 2 and 3 of those), MGF1 App. B.2.1.
 * Reference and only path (padding costs next to nothing beside RSADP).
 * Timing: decoding is branch-free in EM (Manger's attack, CRYPTO 2001); every
 * failure of §7.1.2 is the one KL_ERR_DECRYPT, through one path. Encoding
 * handles the seed as a secret (wiped), but its length only is public.
 * Symbols: k, hLen, mLen, L, lHash, lHash', PS, DB, seed, dbMask, maskedDB,
 * seedMask, maskedSeed, EM, Y. Layout:  EM = 0x00 || maskedSeed || maskedDB.
 * See also pkcs1_internal.h, tests/test_oaep.c, tests/ct/, docs/rsa-padding.md. */
#include <string.h>

#include "core/ct_internal.h"
#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/oaep.h"
#include "rsa/pkcs1_internal.h"
#include "rsa/rsa_internal.h"

/* Check the parameters every entry point shares; set *hLen.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED. */
static kl_err check_params(const kl_oaep_params *params, size_t *hLen)
{
  if (params == NULL)
    return KL_ERR_ARG;
  if (params->label == NULL && params->label_len != 0)
    return KL_ERR_ARG;
  *hLen = kl_hash_digest_len(params->hash);
  if (*hLen == 0 || kl_hash_digest_len(params->mgf_hash) == 0)
    return KL_ERR_UNSUPPORTED;
  return KL_OK;
}

kl_err kl_rsa_oaep_encode(const kl_oaep_params *params, const kl_rng *rng, const kl_tracer *tr,
                          uint8_t *EM, size_t k, const uint8_t *M, size_t mLen)
{
  uint8_t dbMask[KLI_PKCS1_MAX_K];
  uint8_t seedMask[KL_HASH_MAX_DIGEST_BYTES];
  size_t hLen = 0;
  kl_err err = check_params(params, &hLen);
  if (err != KL_OK)
    return err;
  if (rng == NULL || EM == NULL || (M == NULL && mLen != 0) || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  /* §7.1.1 step 1.b: mLen > k - 2hLen - 2 is "message too long" (also when the
   * key is too short for the hash at all: k < 2hLen + 2). */
  if (k < 2 * hLen + 2 || mLen > k - 2 * hLen - 2)
    return KL_ERR_LEN;

  /*  EM = 0x00 || seed    || DB                        (before masking)
   *       1      hLen       dbLen = k - hLen - 1
   *  DB = lHash || PS || 0x01 || M                      */
  const size_t dbLen = k - hLen - 1;
  uint8_t *seed = EM + 1;
  uint8_t *DB = EM + 1 + hLen;
  const size_t psLen = k - mLen - 2 * hLen - 2;

  /* Steps 2.b, 2.c: DB = lHash || PS || 0x01 || M, PS = psLen zero octets.
   * M goes in first: should the caller pass M inside EM (in place), nothing
   * has overwritten it yet. */
  if (mLen > 0)
    memmove(DB + hLen + psLen + 1, M, mLen);
  /* Step 2.a: lHash = Hash(L). */
  err = kl_hash(params->hash, DB, params->label, params->label_len);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "lHash", -1, DB, hLen);
  memset(DB + hLen, 0x00, psLen);
  DB[hLen + psLen] = 0x01;
  KL_TRACE(tr, "DB", -1, DB, dbLen);
  /* Step 2.d: a random octet string seed of length hLen. */
  err = kl_rng_fill(rng, seed, hLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "seed", -1, seed, hLen);
  /* Step 2.e: dbMask = MGF(seed, k - hLen - 1). */
  err = kl_mgf1(params->mgf_hash, dbMask, dbLen, seed, hLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "dbMask", -1, dbMask, dbLen);
  /* Step 2.f: maskedDB = DB xor dbMask (in place: DB becomes maskedDB). */
  for (size_t i = 0; i < dbLen; i++)
    DB[i] ^= dbMask[i];
  KL_TRACE(tr, "maskedDB", -1, DB, dbLen);
  /* Step 2.g: seedMask = MGF(maskedDB, hLen). */
  err = kl_mgf1(params->mgf_hash, seedMask, hLen, DB, dbLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "seedMask", -1, seedMask, hLen);
  /* Step 2.h: maskedSeed = seed xor seedMask (in place). */
  for (size_t i = 0; i < hLen; i++)
    seed[i] ^= seedMask[i];
  KL_TRACE(tr, "maskedSeed", -1, seed, hLen);
  /* Step 2.i: EM = 0x00 || maskedSeed || maskedDB. */
  EM[0] = 0x00;
  KL_TRACE(tr, "EM", -1, EM, k);

out:
  if (err != KL_OK)
    kl_wipe(EM, k); /* it may hold the seed or the message in clear */
  kl_wipe(dbMask, sizeof dbMask);
  kl_wipe(seedMask, sizeof seedMask);
  return err;
}

kl_err kl_rsa_oaep_encrypt(const kl_rsa_pub *pub, const kl_oaep_params *params, const kl_rng *rng,
                           const kl_tracer *tr, uint8_t *out, size_t *out_len, const uint8_t *M,
                           size_t mLen)
{
  uint8_t EM[KLI_PKCS1_MAX_K];
  size_t hLen = 0;
  kl_err err = check_params(params, &hLen);
  if (err != KL_OK)
    return err;
  if (pub == NULL || rng == NULL || out == NULL || out_len == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(pub->n);
  if (k == 0 || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  /* Step 1.b: message too long (checked before the buffer, so that the
   * error names the real problem). */
  if (k < 2 * hLen + 2 || mLen > k - 2 * hLen - 2)
    return KL_ERR_LEN;
  if (*out_len < k) {
    *out_len = k;
    return KL_ERR_BUF_TOO_SMALL;
  }

  /* Step 2: EME-OAEP encoding. */
  err = kl_rsa_oaep_encode(params, rng, tr, EM, k, M, mLen);
  if (err != KL_OK)
    goto out;
  /* Step 3: m = OS2IP(EM), c = RSAEP((n, e), m), C = I2OSP(c, k). EM < n
   * always holds, as EM's first octet is 0 and n has k octets. */
  err = kl_rsa_public_octets(pub, out, EM, k);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "C", -1, out, k);
  *out_len = k;

out:
  kl_wipe(EM, sizeof EM);
  return err;
}

uint32_t kli_oaep_decode_core(kl_hash_alg mgf_hash, size_t hLen, uint8_t *DB, uint8_t *seed,
                              size_t *mIndex, const uint8_t *lHash, const uint8_t *EM, size_t k,
                              const kl_tracer *tr)
{
  /* Step 3.b: EM = Y || maskedSeed || maskedDB
   *                1    hLen          dbLen = k - hLen - 1 */
  const size_t dbLen = k - hLen - 1;
  const uint8_t Y = EM[0];
  const uint8_t *maskedSeed = EM + 1;
  const uint8_t *maskedDB = EM + 1 + hLen;
  /* Each value of steps 3.c-3.f has a buffer of its own, so that in a
   * debugger seedMask, seed, dbMask and DB each hold what their name says. */
  uint8_t seedMask[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t dbMask[KLI_PKCS1_MAX_K];
  uint32_t mgf_ok = 1;
  KL_TRACE(tr, "Y", -1, &Y, 1);
  KL_TRACE(tr, "maskedSeed", -1, maskedSeed, hLen);
  KL_TRACE(tr, "maskedDB", -1, maskedDB, dbLen);

  /* Step 3.c: seedMask = MGF(maskedDB, hLen). */
  if (kl_mgf1(mgf_hash, seedMask, hLen, maskedDB, dbLen) != KL_OK)
    mgf_ok = 0; /* depends on the lengths only */
  KL_TRACE(tr, "seedMask", -1, seedMask, hLen);
  /* Step 3.d: seed = maskedSeed xor seedMask. */
  for (size_t i = 0; i < hLen; i++)
    seed[i] = maskedSeed[i] ^ seedMask[i];
  KL_TRACE(tr, "seed", -1, seed, hLen);
  /* Step 3.e: dbMask = MGF(seed, k - hLen - 1). */
  if (kl_mgf1(mgf_hash, dbMask, dbLen, seed, hLen) != KL_OK)
    mgf_ok = 0;
  KL_TRACE(tr, "dbMask", -1, dbMask, dbLen);
  /* Step 3.f: DB = maskedDB xor dbMask. */
  for (size_t i = 0; i < dbLen; i++)
    DB[i] = maskedDB[i] ^ dbMask[i];
  KL_TRACE(tr, "DB", -1, DB, dbLen);
  /* The masks are no longer needed; only DB and seed go back to the caller. */
  kl_wipe(seedMask, sizeof seedMask);
  kl_wipe(dbMask, sizeof dbMask);
  /* Step 3.g separates DB into lHash' || PS || 0x01 || M. */
  KL_TRACE(tr, "lHash'", -1, DB, hLen);

  /* Step 3.g, all three checks folded into one ctl, with no early exit:
   *  DB = lHash' || PS || 0x01 || M,  Y == 0,  lHash' == lHash. */
  uint32_t good = kli_ct_eq(Y, 0x00);
  good &= (uint32_t)kl_ct_memeq(DB, lHash, hLen);

  /* The separator search reads every octet of DB after lHash', whatever it
   * holds. State: `looking` is 1 until the first 0x01; `bad` becomes 1 if an
   * octet before that 0x01 is neither 0x00 nor 0x01 (PS is all zeros).
   * Invariant after octet i: looking == 1 iff DB[hLen..i] are all 0x00;
   *   index == (position of the first 0x01) + 1 if it was seen, else 0.
   * Why it works: each octet updates the three words with the same
   * instructions; kli_ct_mux picks i + 1 through a mask, never a branch.
   * Example: DB[hLen..] = 00 00 01 4d ... gives looking 1,1,0,0..., index =
   *   hLen + 3 (M starts right after the 0x01), bad 0.
   *   DB[hLen..] = 00 07 ... sets bad at 07 (a nonzero octet in PS). */
  uint32_t looking = 1;
  uint32_t bad = 0;
  uint32_t index = 0;
  for (size_t i = hLen; i < dbLen; i++) {
    uint32_t b = DB[i];
    uint32_t is_zero = kli_ct_eq(b, 0x00);
    uint32_t is_one = kli_ct_eq(b, 0x01);
    uint32_t first_one = looking & is_one;
    index = kli_ct_mux(first_one, (uint32_t)(i + 1), index);
    bad |= looking & kli_ct_not(is_zero) & kli_ct_not(is_one);
    looking &= kli_ct_not(is_one);
  }
  /* No 0x01 at all (looking still 1) is the third failure of step 3.g. */
  good &= kli_ct_not(looking) & kli_ct_not(bad) & mgf_ok;
  *mIndex = index;
  return good;
}

kl_err kl_rsa_oaep_decode(const kl_oaep_params *params, const kl_tracer *tr, uint8_t *out,
                          size_t *out_len, const uint8_t *EM, size_t k)
{
  uint8_t lHash[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t seed[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t DB[KLI_PKCS1_MAX_K];
  size_t dbLen = 0;
  size_t hLen = 0;
  kl_err err = check_params(params, &hLen);
  if (err != KL_OK)
    return err;
  if (out_len == NULL || (out == NULL && *out_len != 0) || EM == NULL || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  /* Step 1.c: k < 2hLen + 2 is a decryption error (public: k only). */
  if (k < 2 * hLen + 2) {
    err = KL_ERR_DECRYPT;
    goto out;
  }
  dbLen = k - hLen - 1;

  /* Step 3.a: lHash = Hash(L) (public). */
  err = kl_hash(params->hash, lHash, params->label, params->label_len);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "lHash", -1, lHash, hLen);
  /* Steps 3.b-3.g, without branches. */
  size_t mIndex = 0;
  uint32_t good = kli_oaep_decode_core(params->mgf_hash, hLen, DB, seed, &mIndex, lHash, EM, k, tr);
  /* The one decision (step 3.g "output decryption error"). From here on,
   * mLen is public: it is what a valid decryption reveals anyway. Both are
   * declassified here and nowhere before (tests/ct/ct_oaep.c). */
  KLI_DECLASSIFY(&good, sizeof good);
  if (good == 1)
    KLI_DECLASSIFY(&mIndex, sizeof mIndex);
  if (good != 1) {
    err = KL_ERR_DECRYPT;
    goto out;
  }
  const size_t mLen = dbLen - mIndex;
  if (*out_len < mLen) {
    *out_len = mLen;
    err = KL_ERR_BUF_TOO_SMALL;
    goto out;
  }
  /* Step 4: output M. */
  if (mLen > 0)
    memcpy(out, DB + mIndex, mLen);
  *out_len = mLen;
  KL_TRACE(tr, "M", -1, out, mLen);
  err = KL_OK;

out:
  kl_wipe(seed, sizeof seed);
  kl_wipe(DB, sizeof DB);
  kl_wipe(lHash, sizeof lHash);
  return err;
}

kl_err kl_rsa_oaep_decrypt(const kl_rsa_priv *key, const kl_oaep_params *params, const kl_rng *rng,
                           const kl_tracer *tr, uint8_t *out, size_t *out_len, const uint8_t *C,
                           size_t cLen)
{
  uint8_t EM[KLI_PKCS1_MAX_K];
  size_t hLen = 0;
  kl_err err = check_params(params, &hLen);
  if (err != KL_OK)
    return err;
  if (key == NULL || rng == NULL || out_len == NULL || (out == NULL && *out_len != 0) ||
      (C == NULL && cLen != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(key->n);
  if (k == 0 || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;

  /* Step 1.b, 1.c: C must be k octets, and k >= 2hLen + 2. Both public. */
  if (cLen != k || k < 2 * hLen + 2) {
    err = KL_ERR_DECRYPT;
    goto out;
  }
  /* Step 2: c = OS2IP(C), m = RSADP(K, c) (blinded CRT, fault-checked),
   * EM = I2OSP(m, k), written at the fixed length k and kept secret until
   * step 3 has judged it. c >= n ("ciphertext representative out of
   * range") is a decryption error like the others (step 2.b). */
  err = kli_rsa_decrypt_primitive_fixed(key, rng, EM, C, cLen);
  if (err == KL_ERR_RNG || err == KL_ERR_ARG)
    goto out;
  if (err != KL_OK) {
    err = KL_ERR_DECRYPT;
    goto out;
  }
  KL_TRACE(tr, "EM", -1, EM, k);
  /* Step 3: EME-OAEP decoding; step 4: output M. */
  err = kl_rsa_oaep_decode(params, tr, out, out_len, EM, k);

out:
  kl_wipe(EM, sizeof EM);
  return err;
}
