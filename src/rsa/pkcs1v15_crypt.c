/* pkcs1v15_crypt.c: RSAES-PKCS1-v1_5, RFC 8017 §7.2: encryption §7.2.1,
 * decryption §7.2.2, strict and with implicit rejection (the IETF draft
 * draft-irtf-cfrg-rsa-guidance, "implicit rejection": on bad padding, a
 * synthetic message derived from d and C instead of an error).
 * Symbols: k, mLen, M, PS, EM, C; KDK, IRPRF, the synthetic length and R
 * (the draft's names).  Layout:  EM = 0x00 || 0x02 || PS || 0x00 || M.
 * Timing: decoding is branch-free in EM (Bleichenbacher, CRYPTO 1998); the
 * implicit form has no decision at all, only a constant-time select between
 * M and the synthetic message.
 * See also pkcs1_internal.h, tests/test_pkcs1v15_crypt.c, tests/ct/ct_pkcs1v15.c,
 * docs/attacks.md. */
#include <string.h>

#include "core/ct_internal.h"
#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/hash.h"
#include "kexlab/hmac.h"
#include "kexlab/numtheory.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "rsa/pkcs1_internal.h"
#include "rsa/rsa_internal.h"

kl_err kl_rsa_eme_pkcs1v15_encode(const kl_rng *rng, uint8_t *EM, size_t k, const uint8_t *M,
                                  size_t mLen)
{
  if (rng == NULL || EM == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  /* §7.2.1 step 1: mLen > k - 11 is "message too long". */
  if (k < KL_PKCS1V15_OVERHEAD || mLen > k - KL_PKCS1V15_OVERHEAD)
    return KL_ERR_LEN;
  const size_t psLen = k - mLen - 3;
  uint8_t *PS = EM + 2;
  /* M first, in case the caller passed it inside EM. */
  if (mLen > 0)
    memmove(EM + k - mLen, M, mLen);
  /* Step 2.a: PS, psLen nonzero pseudo-random octets. */
  kl_err err = kl_rng_fill(rng, PS, psLen);
  for (size_t i = 0; err == KL_OK && i < psLen; i++) {
    while (err == KL_OK && PS[i] == 0x00)
      err = kl_rng_fill(rng, PS + i, 1);
  }
  if (err != KL_OK) {
    kl_wipe(EM, k);
    return err;
  }
  /* Step 2.b: EM = 0x00 || 0x02 || PS || 0x00 || M. */
  EM[0] = 0x00;
  EM[1] = 0x02;
  EM[2 + psLen] = 0x00;
  return KL_OK;
}

uint32_t kli_pkcs1v15_decode_core(const uint8_t *EM, size_t k, size_t *mIndex)
{
  /* Step 3: EM = 0x00 || 0x02 || PS || 0x00 || M, all checks folded into one
   * ctl, no early exit. The separator search reads every octet from EM[2].
   * Invariant after octet i: looking == 1 iff EM[2..i] are all nonzero;
   *   index == the position of the first zero + 1 once seen, else 0.
   * Example: 00 02 (8 x nonzero) 00 4d ... gives index 11 (M starts there). */
  uint32_t good = kli_ct_eq(EM[0], 0x00) & kli_ct_eq(EM[1], 0x02);
  uint32_t looking = 1;
  uint32_t index = 0;
  for (size_t i = 2; i < k; i++) {
    uint32_t is_zero = kli_ct_eq(EM[i], 0x00);
    index = kli_ct_mux(looking & is_zero, (uint32_t)(i + 1), index);
    looking &= kli_ct_not(is_zero);
  }
  /* No separator, or PS shorter than 8 octets (the zero before EM[10]). */
  good &= kli_ct_not(looking) & kli_ct_ge(index, 2 + 8 + 1);
  *mIndex = index;
  return good;
}

/* IRPRF(KDK, label, L): the first L octets of HMAC-SHA256(KDK, I2OSP(i, 2) ||
 * label || I2OSP(8L, 2)) for i = 0, 1, ... (L <= 1024, so 8L fits 2 octets). */
static kl_err ir_prf(const uint8_t KDK[32], const char *label, uint8_t *out, size_t L)
{
  const size_t label_len = strlen(label);
  const size_t bits = 8 * L;
  uint8_t block[32];
  kl_hmac_ctx ctx;
  kl_err err = KL_OK;
  for (size_t i = 0, done = 0; done < L; i++) {
    const uint8_t head[2] = {(uint8_t)(i >> 8), (uint8_t)i};
    const uint8_t tail[2] = {(uint8_t)(bits >> 8), (uint8_t)bits};
    err = kl_hmac_init(&ctx, KL_HASH_SHA256, KDK, 32);
    if (err != KL_OK)
      break;
    kl_hmac_update(&ctx, head, 2);
    kl_hmac_update(&ctx, (const uint8_t *)label, label_len);
    kl_hmac_update(&ctx, tail, 2);
    kl_hmac_final(&ctx, block);
    const size_t take = L - done < 32 ? L - done : 32;
    memcpy(out + done, block, take);
    done += take;
  }
  kl_wipe(block, sizeof block);
  return err;
}

/* I2OSP(d, k) written from d's limbs at the fixed length k: every octet is
 * read and written whatever d's value (kl_i2osp would size the output by the
 * value first, a branch on the secret). d < n < 256^k, so nothing is lost. */
static void d_octets(uint8_t *D, size_t k, const mpz_t d)
{
  const mp_limb_t *dp = mpz_limbs_read(d);
  const size_t dn = mpz_size(d); /* the limb count: public, as n's is */
  const size_t octets_per_limb = sizeof(mp_limb_t);
  for (size_t i = 0; i < k; i++) { /* i counts octets from the least significant */
    size_t limb = i / octets_per_limb;
    unsigned shift = (unsigned)(8 * (i % octets_per_limb));
    uint8_t octet = 0;
    if (limb < dn) /* public: where d's limbs end */
      octet = (uint8_t)(dp[limb] >> shift);
    D[k - 1 - i] = octet;
  }
}

kl_err kli_pkcs1v15_kdk(const kl_rsa_priv *key, const uint8_t *C, size_t k, uint8_t KDK[32])
{
  uint8_t D[KLI_PKCS1_MAX_K];
  uint8_t dHash[32];
  /* KDK = HMAC-SHA256(key = SHA256(I2OSP(d, k)), message = C). */
  d_octets(D, k, key->d);
  kl_err err = kl_hash(KL_HASH_SHA256, dHash, D, k);
  if (err == KL_OK)
    err = kl_hmac(KL_HASH_SHA256, KDK, dHash, sizeof dHash, C, k);
  kl_wipe(D, sizeof D);
  kl_wipe(dHash, sizeof dHash);
  return err;
}

kl_err kli_pkcs1v15_synthetic(const uint8_t KDK[32], size_t k, uint8_t *R, size_t *synLen)
{
  uint8_t lengths[256];
  kl_err err = ir_prf(KDK, "length", lengths, sizeof lengths);
  if (err == KL_OK)
    err = ir_prf(KDK, "message", R, k);
  /* The longest message is k - 11 octets, so a length must be below
   * max = k - 10; mask is 2^bitlen(max) - 1. The last candidate below max
   * wins (ct select: the number of tries does not depend on the values). */
  const uint32_t max = (uint32_t)(k - 10);
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  uint32_t len = 0;
  for (size_t i = 0; i < sizeof lengths; i += 2) {
    uint32_t cand = (((uint32_t)lengths[i] << 8) | lengths[i + 1]) & mask;
    len = kli_ct_mux(kli_ct_lt(cand, max), cand, len);
  }
  *synLen = len;
  kl_wipe(lengths, sizeof lengths);
  return err;
}

void kli_pkcs1v15_select(const uint8_t *EM, const uint8_t *R, size_t synLen, size_t k, uint8_t *res,
                         size_t *resLen, uint32_t *good)
{
  size_t mIndex = 0;
  uint32_t ok = kli_pkcs1v15_decode_core(EM, k, &mIndex);
  /* M is the last k - mIndex octets of EM, the synthetic message the last
   * synLen octets of R: pick whole buffers, then the length, by masks. */
  kl_ct_select_bytes(res, ok, EM, R, k);
  *resLen = kli_ct_mux(ok, (uint32_t)(k - mIndex), (uint32_t)synLen);
  *good = ok;
}

/* m = RSADP(K, c), EM = I2OSP(m, k): the private operation as the other
 * padding schemes get it (blinded CRT, fault-checked). Returns KL_OK,
 * KL_ERR_RNG, KL_ERR_ARG, or KL_ERR_DECRYPT for C >= n. */
static kl_err private_em(const kl_rsa_priv *key, const kl_rng *rng, uint8_t *EM, const uint8_t *C,
                         size_t k)
{
  /* EM stays secret: only the padding's decoder below judges it. */
  kl_err err = kli_rsa_decrypt_primitive_fixed(key, rng, EM, C, k);
  if (err == KL_OK || err == KL_ERR_RNG || err == KL_ERR_ARG)
    return err;
  return KL_ERR_DECRYPT;
}

kl_err kl_rsa_eme_pkcs1v15_decode(uint8_t *out, size_t *out_len, const uint8_t *EM, size_t k)
{
  if (out == NULL || out_len == NULL || EM == NULL || k < KL_PKCS1V15_OVERHEAD)
    return KL_ERR_ARG;
  if (*out_len < k - KL_PKCS1V15_OVERHEAD) {
    *out_len = k - KL_PKCS1V15_OVERHEAD;
    return KL_ERR_BUF_TOO_SMALL;
  }
  size_t mIndex = 0;
  uint32_t good = kli_pkcs1v15_decode_core(EM, k, &mIndex);
  if (good != 1) /* the one decision */
    return KL_ERR_DECRYPT;
  *out_len = k - mIndex;
  if (*out_len > 0)
    memcpy(out, EM + mIndex, *out_len);
  return KL_OK;
}

kl_err kl_rsa_pkcs1v15_encrypt(const kl_rsa_pub *pub, const kl_rng *rng, const kl_tracer *tr,
                               uint8_t *out, size_t *out_len, const uint8_t *M, size_t mLen)
{
  uint8_t EM[KLI_PKCS1_MAX_K];
  if (pub == NULL || rng == NULL || out == NULL || out_len == NULL || (M == NULL && mLen != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(pub->n);
  if (k == 0 || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  if (k < KL_PKCS1V15_OVERHEAD || mLen > k - KL_PKCS1V15_OVERHEAD)
    return KL_ERR_LEN; /* step 1 */
  if (*out_len < k) {
    *out_len = k;
    return KL_ERR_BUF_TOO_SMALL;
  }
  /* Step 2: EME-PKCS1-v1_5 encoding. */
  kl_err err = kl_rsa_eme_pkcs1v15_encode(rng, EM, k, M, mLen);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "EM", -1, EM, k);
  /* Step 3: c = RSAEP((n, e), OS2IP(EM)), C = I2OSP(c, k); EM < n as EM[0] = 0. */
  err = kl_rsa_public_octets(pub, out, EM, k);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "C", -1, out, k);
  *out_len = k;

out:
  kl_wipe(EM, sizeof EM);
  return err;
}

/* Both decryptions: steps 1-2 (public checks, RSADP), then step 3 through the
 * constant-time select; strict turns a bad EM into the one error. */
static kl_err decrypt(const kl_rsa_priv *key, const kl_rng *rng, const kl_tracer *tr, uint8_t *out,
                      size_t *out_len, const uint8_t *C, size_t cLen, int strict)
{
  uint8_t EM[KLI_PKCS1_MAX_K], R[KLI_PKCS1_MAX_K], res[KLI_PKCS1_MAX_K];
  uint8_t KDK[32];
  if (key == NULL || rng == NULL || out == NULL || out_len == NULL || (C == NULL && cLen != 0))
    return KL_ERR_ARG;
  const size_t k = kl_rsa_modulus_len(key->n);
  if (k < KL_PKCS1V15_OVERHEAD || k > KLI_PKCS1_MAX_K)
    return KL_ERR_ARG;
  if (*out_len < k - KL_PKCS1V15_OVERHEAD) {
    *out_len = k - KL_PKCS1V15_OVERHEAD;
    return KL_ERR_BUF_TOO_SMALL;
  }
  /* Step 1: C must be k octets (public). */
  if (cLen != k)
    return KL_ERR_DECRYPT;
  /* Step 2: RSADP; C >= n is a decryption error (public). */
  kl_err err = private_em(key, rng, EM, C, k);
  if (err != KL_OK)
    goto out;
  KL_TRACE(tr, "EM", -1, EM, k);
  /* The synthetic message, computed whether or not it is needed. */
  size_t synLen = 0;
  err = kli_pkcs1v15_kdk(key, C, k, KDK);
  if (err == KL_OK)
    err = kli_pkcs1v15_synthetic(KDK, k, R, &synLen);
  if (err != KL_OK)
    goto out;
  size_t len = 0;
  uint32_t good = 0;
  kli_pkcs1v15_select(EM, R, synLen, k, res, &len, &good);
  /* The output's length is public: it is what the caller receives. The
   * verdict is declassified only in the strict form, whose caller asked for
   * it; implicit rejection never reveals it. */
  KLI_DECLASSIFY(&len, sizeof len);
  if (strict)
    KLI_DECLASSIFY(&good, sizeof good);
  if (strict && good != 1) { /* strict: the one decision, the one error */
    err = KL_ERR_DECRYPT;
    goto out;
  }
  /* Step 4: output M (or the synthetic message): its length is the output's. */
  if (len > 0)
    memcpy(out, res + k - len, len);
  *out_len = len;
  KL_TRACE(tr, "M", -1, out, len);

out:
  kl_wipe(EM, sizeof EM);
  kl_wipe(R, sizeof R);
  kl_wipe(res, sizeof res);
  kl_wipe(KDK, sizeof KDK);
  return err;
}

kl_err kl_rsa_pkcs1v15_decrypt(const kl_rsa_priv *key, const kl_rng *rng, const kl_tracer *tr,
                               uint8_t *out, size_t *out_len, const uint8_t *C, size_t cLen)
{
  return decrypt(key, rng, tr, out, out_len, C, cLen, 0);
}

kl_err kl_rsa_pkcs1v15_decrypt_strict(const kl_rsa_priv *key, const kl_rng *rng,
                                      const kl_tracer *tr, uint8_t *out, size_t *out_len,
                                      const uint8_t *C, size_t cLen)
{
  return decrypt(key, rng, tr, out, out_len, C, cLen, 1);
}
