/* pss.c: RSASSA-PSS, RFC 8017 §8.1 (sign §8.1.1, verify §8.1.2) with
 * EMSA-PSS (encode §9.1.1, verify §9.1.2) and MGF1 (App. B.2.1), whose hash
 * may differ from the message hash (params->mgf_hash). Reference and only path.
 * Timing: signing handles the salt as a secret only in that it is wiped;
 * verification is not constant-time (the signature, the message and the key
 * are all public), but makes every check of §9.1.2 before accepting.
 * Symbols: k, modBits, emBits, emLen, hLen, sLen, mHash, salt, M', H, PS, DB,
 * dbMask, maskedDB, EM. Layout:  EM = maskedDB || H || 0xbc,
 *                                DB = PS || 0x01 || salt.
 * See also pkcs1v15.c, tests/test_pss.c, docs/rsa-padding.md. */
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/numtheory.h"
#include "kexlab/pss.h"
#include "rsa/pkcs1_internal.h"

/* §9.1.1 step 5: M' starts with eight zero octets (padding1). */
static const uint8_t padding1[8] = {0, 0, 0, 0, 0, 0, 0, 0};

/* MGF1's hash: params->mgf_hash, or Hash itself when that is 0. */
static kl_hash_alg mgf_hash(const kl_pss_params *params)
{
  return params->mgf_hash != 0 ? params->mgf_hash : params->hash;
}

/* Check params; set hLen and the salt length sLen (the default is hLen;
 * KL_PSS_SALT_ANY is left as it is, for the verifier to resolve).
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED. */
static kl_err check_params(const kl_pss_params *params, size_t *hLen, size_t *sLen)
{
  if (params == NULL)
    return KL_ERR_ARG;
  *hLen = kl_hash_digest_len(params->hash);
  if (*hLen == 0 || kl_hash_digest_len(mgf_hash(params)) == 0)
    return KL_ERR_UNSUPPORTED;
  *sLen = params->sLen == KL_PSS_SALT_HASH_LEN ? *hLen : params->sLen;
  if (*sLen == KL_PSS_SALT_ANY)
    return KL_OK;
  if (*sLen > KLI_PKCS1_MAX_K)
    return KL_ERR_LEN; /* no key is that large: an encoding error */
  return KL_OK;
}

/* Steps 12-13 of §9.1.2 (5-6 of §9.1.1): H = Hash(M') with
 * M' = padding1 || mHash || salt, hashed piecewise (M' is never built).
 * H_name is the hash's name in the trace: "H" when encoding, "H'" when
 * verifying (§9.1.2 step 13). */
static kl_err hash_m_prime(kl_hash_alg alg, uint8_t *H, const uint8_t *mHash, size_t hLen,
                           const uint8_t *salt, size_t sLen, const kl_tracer *tr,
                           const char *H_name)
{
  kl_hash_ctx ctx;
  kl_err err = kl_hash_init(&ctx, alg);
  if (err != KL_OK)
    return err;
  kl_hash_update(&ctx, padding1, sizeof padding1);
  kl_hash_update(&ctx, mHash, hLen);
  kl_hash_update(&ctx, salt, sLen);
  kl_hash_final(&ctx, H);
  if (KL_TRACING(tr)) { /* M' exists only for the trace (dead code under -Dtrace=false) */
    uint8_t Mp[8 + KL_HASH_MAX_DIGEST_BYTES + KLI_PKCS1_MAX_K];
    memcpy(Mp, padding1, 8);
    memcpy(Mp + 8, mHash, hLen);
    memcpy(Mp + 8 + hLen, salt, sLen);
    KL_TRACE(tr, "M'", -1, Mp, 8 + hLen + sLen);
    kl_wipe(Mp, sizeof Mp);
  }
  KL_TRACE(tr, H_name, -1, H, hLen);
  return KL_OK;
}

/* The number of leftmost bits of EM's first octet that must be zero:
 * 8 emLen - emBits (0..7). */
static unsigned top_zero_bits(size_t emLen, unsigned emBits)
{
  return (unsigned)(8 * emLen - emBits);
}

kl_err kl_rsa_pss_encode(const kl_pss_params *params, const kl_rng *rng, const kl_tracer *tr,
                         uint8_t *EM, size_t emLen, unsigned emBits, const uint8_t *M, size_t mLen)
{
  uint8_t mHash[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t dbMask[KLI_PKCS1_MAX_K];
  size_t hLen = 0, sLen = 0;
  kl_err err = check_params(params, &hLen, &sLen);
  if (err != KL_OK)
    return err;
  if (sLen == KL_PSS_SALT_ANY)
    return KL_ERR_ARG; /* a signer chooses its salt length */
  if (EM == NULL || (M == NULL && mLen != 0) || (rng == NULL && sLen != 0) ||
      emLen > KLI_PKCS1_MAX_K || emLen != ((size_t)emBits + 7) / 8)
    return KL_ERR_ARG;
  /* Step 3: emLen < hLen + sLen + 2: "encoding error". */
  if (emLen < hLen + sLen + 2)
    return KL_ERR_LEN;

  /*  EM = maskedDB || H    || 0xbc
   *       dbLen      hLen     1       dbLen = emLen - hLen - 1
   *  DB = PS || 0x01 || salt          psLen = emLen - sLen - hLen - 2 */
  const size_t dbLen = emLen - hLen - 1;
  const size_t psLen = emLen - sLen - hLen - 2;
  uint8_t *DB = EM;
  uint8_t *salt = EM + psLen + 1;
  uint8_t *H = EM + dbLen;

  /* Step 2: mHash = Hash(M). */
  err = kl_hash(params->hash, mHash, M, mLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "mHash", -1, mHash, hLen);
  /* Step 4: a random salt of sLen octets (sLen = 0: the empty string),
   * drawn straight into its place in DB. */
  if (sLen > 0) {
    err = kl_rng_fill(rng, salt, sLen);
    if (err != KL_OK)
      goto out;
  }
  KL_TRACE(tr, "salt", -1, salt, sLen);
  /* Steps 5-6: M' = padding1 || mHash || salt; H = Hash(M'). */
  err = hash_m_prime(params->hash, H, mHash, hLen, salt, sLen, tr, "H");
  if (err != KL_OK)
    goto out;
  /* Steps 7-8: DB = PS || 0x01 || salt. */
  memset(DB, 0x00, psLen);
  DB[psLen] = 0x01;
  KL_TRACE(tr, "DB", -1, DB, dbLen);
  /* Step 9: dbMask = MGF(H, emLen - hLen - 1). */
  err = kl_mgf1(mgf_hash(params), dbMask, dbLen, H, hLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "dbMask", -1, dbMask, dbLen);
  /* Step 10: maskedDB = DB xor dbMask. */
  for (size_t i = 0; i < dbLen; i++)
    DB[i] ^= dbMask[i];
  /* Step 11: clear the leftmost 8emLen - emBits bits of maskedDB, so that
   * OS2IP(EM) < 2^emBits <= n. */
  DB[0] &= (uint8_t)(0xFFu >> top_zero_bits(emLen, emBits));
  KL_TRACE(tr, "maskedDB", -1, DB, dbLen);
  /* Step 12: EM = maskedDB || H || 0xbc. */
  EM[emLen - 1] = 0xbc;
  KL_TRACE(tr, "EM", -1, EM, emLen);

out:
  if (err != KL_OK)
    kl_wipe(EM, emLen);
  kl_wipe(dbMask, sizeof dbMask);
  kl_wipe(mHash, sizeof mHash);
  return err;
}

kl_err kl_rsa_pss_verify_em(const kl_pss_params *params, const kl_tracer *tr, const uint8_t *M,
                            size_t mLen, const uint8_t *EM, size_t emLen, unsigned emBits)
{
  uint8_t mHash[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t Hp[KL_HASH_MAX_DIGEST_BYTES];
  uint8_t DB[KLI_PKCS1_MAX_K];
  size_t hLen = 0, sLen = 0;
  kl_err err = check_params(params, &hLen, &sLen);
  if (err == KL_ERR_LEN)
    return KL_ERR_VERIFY;
  if (err != KL_OK)
    return err;
  if (EM == NULL || (M == NULL && mLen != 0) || emLen > KLI_PKCS1_MAX_K ||
      emLen != ((size_t)emBits + 7) / 8)
    return KL_ERR_ARG;

  /* Step 2: mHash = Hash(M). */
  err = kl_hash(params->hash, mHash, M, mLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "mHash", -1, mHash, hLen);
  err = KL_ERR_VERIFY; /* every "inconsistent" below */
  /* With KL_PSS_SALT_ANY, steps 3 and 10 are first made with the shortest
   * salt accepted; step 10 then finds the real length. */
  const int any_salt = sLen == KL_PSS_SALT_ANY;
  if (any_salt)
    sLen = params->sLen_min;
  if (sLen > KLI_PKCS1_MAX_K)
    goto out;
  /* Step 3: emLen < hLen + sLen + 2. */
  if (emLen < hLen + sLen + 2)
    goto out;
  /* Step 4: the rightmost octet of EM must be 0xbc. */
  if (EM[emLen - 1] != 0xbc)
    goto out;
  /* Step 5: maskedDB = EM[0 .. dbLen), H = the next hLen octets. */
  const size_t dbLen = emLen - hLen - 1;
  size_t psLen = emLen - hLen - sLen - 2;
  const uint8_t *maskedDB = EM;
  const uint8_t *H = EM + dbLen;
  KL_TRACE(tr, "maskedDB", -1, maskedDB, dbLen);
  KL_TRACE(tr, "H", -1, H, hLen);
  /* Step 6: the leftmost 8emLen - emBits bits of maskedDB must be zero. */
  const uint8_t top_mask = (uint8_t)(0xFFu >> top_zero_bits(emLen, emBits));
  if ((maskedDB[0] & (uint8_t)~top_mask) != 0)
    goto out;
  /* Step 7: dbMask = MGF(H, emLen - hLen - 1), into DB. */
  if (kl_mgf1(mgf_hash(params), DB, dbLen, H, hLen) != KL_OK)
    goto out;
  KL_TRACE(tr, "dbMask", -1, DB, dbLen);
  /* Step 8: DB = maskedDB xor dbMask. */
  for (size_t i = 0; i < dbLen; i++)
    DB[i] ^= maskedDB[i];
  /* Step 9: clear the leftmost 8emLen - emBits bits of DB. */
  DB[0] &= top_mask;
  KL_TRACE(tr, "DB", -1, DB, dbLen);
  /* Step 10: the emLen - hLen - sLen - 2 leftmost octets of DB are zero and
   * the one after them (position emLen - hLen - sLen - 1, from 1) is 0x01. */
  if (any_salt) {
    /* Any salt of at least sLen_min octets: PS is the zeros before the
     * first nonzero octet, which must be 0x01 and leave sLen >= sLen_min. */
    size_t zeros = 0;
    while (zeros < psLen && DB[zeros] == 0x00)
      zeros++;
    psLen = zeros;
    sLen = dbLen - psLen - 1;
  }
  for (size_t i = 0; i < psLen; i++) {
    if (DB[i] != 0x00)
      goto out;
  }
  if (DB[psLen] != 0x01)
    goto out;
  /* Step 11: salt = the last sLen octets of DB. Steps 12-13: H' = Hash(M'). */
  const uint8_t *salt = DB + psLen + 1;
  KL_TRACE(tr, "salt", -1, salt, sLen);
  if (hash_m_prime(params->hash, Hp, mHash, hLen, salt, sLen, tr, "H'") != KL_OK)
    goto out;
  /* Step 14: consistent iff H == H'. */
  if (kl_ct_memeq(H, Hp, hLen) != 1)
    goto out;
  err = KL_OK;

out:
  kl_wipe(DB, sizeof DB);
  kl_wipe(Hp, sizeof Hp);
  kl_wipe(mHash, sizeof mHash);
  return err;
}

/* Trace the integer whose big-endian octets are X[0..len) (s, m of §8.1),
 * under its RFC name. */
static void trace_integer(const kl_tracer *tr, const char *label, const uint8_t *X, size_t len)
{
  if (!KL_TRACING(tr))
    return;
  mpz_t x;
  mpz_init(x);
  mpz_import(x, len, 1, 1, 1, 0, X);
  kl_trace_mpz(tr, label, -1, x);
  mpz_clear(x);
}

/* The sizes §8.1.1 and §8.1.2 derive from the modulus n: k octets, and
 * the encoded message's emBits = modBits - 1 (so that m < n) in
 * emLen = ceil(emBits / 8) octets. KL_ERR_ARG when n is too small (modBits < 2)
 * or too large for the buffers here. */
static kl_err em_sizes(const mpz_t n, size_t *k, unsigned *emBits, size_t *emLen)
{
  const size_t modBits = mpz_sizeinbase(n, 2);
  *k = kl_rsa_modulus_len(n);
  if (*k == 0 || *k > KLI_PKCS1_MAX_K || modBits < 2)
    return KL_ERR_ARG;
  *emBits = (unsigned)(modBits - 1);
  *emLen = ((size_t)*emBits + 7) / 8;
  return KL_OK;
}

kl_err kl_rsa_pss_sign_traced(const kl_rsa_priv *key, const kl_pss_params *params,
                              const kl_rng *rng, const kl_tracer *tr, uint8_t *out, size_t *out_len,
                              const uint8_t *M, size_t mLen)
{
  uint8_t EMk[KLI_PKCS1_MAX_K];
  size_t hLen = 0, sLen = 0;
  kl_err err = check_params(params, &hLen, &sLen);
  if (err != KL_OK)
    return err;
  if (sLen == KL_PSS_SALT_ANY)
    return KL_ERR_ARG; /* a signer chooses its salt length */
  if (key == NULL || rng == NULL || out == NULL || out_len == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  size_t k, emLen;
  unsigned emBits;
  if (em_sizes(key->n, &k, &emBits, &emLen) != KL_OK)
    return KL_ERR_ARG;
  /* §8.1.1 step 1: EM = EMSA-PSS-ENCODE(M, modBits - 1), emLen octets. When
   * modBits - 1 is a multiple of 8, emLen = k - 1: EMk = 0x00 || EM. */
  if (emLen < hLen + sLen + 2)
    return KL_ERR_LEN;
  if (*out_len < k) {
    *out_len = k;
    return KL_ERR_BUF_TOO_SMALL;
  }
  memset(EMk, 0x00, k - emLen);
  err = kl_rsa_pss_encode(params, rng, tr, EMk + (k - emLen), emLen, emBits, M, mLen);
  if (err != KL_OK)
    goto out;
  /* Step 2: m = OS2IP(EM), s = RSASP1(K, m) (blinded CRT, fault-checked),
   * S = I2OSP(s, k). */
  err = kl_rsa_private_octets(key, rng, out, EMk, k);
  if (err != KL_OK)
    goto out;
  trace_integer(tr, "s", out, k);
  *out_len = k;

out:
  kl_wipe(EMk, sizeof EMk);
  return err;
}

kl_err kl_rsa_pss_verify_traced(const kl_rsa_pub *pub, const kl_pss_params *params,
                                const kl_tracer *tr, const uint8_t *M, size_t mLen,
                                const uint8_t *S, size_t sLen_bytes)
{
  uint8_t EMk[KLI_PKCS1_MAX_K];
  size_t hLen = 0, sLen = 0;
  kl_err err = check_params(params, &hLen, &sLen);
  if (err == KL_ERR_LEN)
    return KL_ERR_VERIFY;
  if (err != KL_OK)
    return err;
  if (pub == NULL || (M == NULL && mLen != 0) || (S == NULL && sLen_bytes != 0))
    return KL_ERR_ARG;
  size_t k, emLen;
  unsigned emBits;
  if (em_sizes(pub->n, &k, &emBits, &emLen) != KL_OK)
    return KL_ERR_ARG;

  /* §8.1.2 step 1: S must be k octets. */
  if (sLen_bytes != k)
    return KL_ERR_VERIFY;
  /* Step 2: s = OS2IP(S), m = RSAVP1((n, e), s) (s >= n: invalid). */
  trace_integer(tr, "s", S, k);
  err = kl_rsa_public_octets(pub, EMk, S, k);
  if (err == KL_ERR_RANGE) {
    err = KL_ERR_VERIFY;
    goto out;
  }
  if (err != KL_OK)
    goto out;
  trace_integer(tr, "m", EMk, k);
  /* EM = I2OSP(m, emLen): "integer too large" (invalid) when emLen = k - 1
   * and m's top octet is not zero. */
  if (emLen < k && EMk[0] != 0x00) {
    err = KL_ERR_VERIFY;
    goto out;
  }
  KL_TRACE(tr, "EM", -1, EMk + (k - emLen), emLen);
  /* Step 3: EMSA-PSS-VERIFY(M, EM, modBits - 1). */
  err = kl_rsa_pss_verify_em(params, tr, M, mLen, EMk + (k - emLen), emLen, emBits);

out:
  kl_wipe(EMk, sizeof EMk);
  return err;
}

kl_err kl_rsa_pss_sign(const kl_rsa_priv *key, const kl_pss_params *params, const kl_rng *rng,
                       uint8_t *out, size_t *out_len, const uint8_t *M, size_t mLen)
{
  return kl_rsa_pss_sign_traced(key, params, rng, NULL, out, out_len, M, mLen);
}

kl_err kl_rsa_pss_verify(const kl_rsa_pub *pub, const kl_pss_params *params, const uint8_t *M,
                         size_t mLen, const uint8_t *S, size_t sLen_bytes)
{
  return kl_rsa_pss_verify_traced(pub, params, NULL, M, mLen, S, sLen_bytes);
}
