/* fuzz_pkcs1v15_dec.c: RSAES-PKCS1-v1_5 decryption, RFC 8017 §7.2.2
 * (src/rsa/pkcs1v15_crypt.c): the EME-PKCS1-v1_5 decoding alone
 * (kl_rsa_eme_pkcs1v15_decode) and the whole decryption in both forms,
 * strict (kl_rsa_pkcs1v15_decrypt_strict) and with implicit rejection
 * (kl_rsa_pkcs1v15_decrypt), under one fixed 1024-bit key made from a fixed
 * seed.
 * Input: a mode byte, a message length byte and the message M, then the rest:
 *   mode 0  the rest is EM itself (k = its length, at most MAX_K), for the
 *           decoding alone;
 *   mode 1  the rest is EM for the key (K octets, zero-padded, reduced mod n);
 *   mode 2  the correct EM for M (M cut to K - 11 octets), with the octet at
 *           the position the first byte of the rest names xored with the
 *           second (0: none), so the fuzzer steers near-valid blocks.
 * In modes 1 and 2 the harness encrypts EM raw with the public key
 * (C = EM^e mod n, GMP) and decrypts C.
 * Properties:
 *  - differential: the plain decoding below, step 3 as the RFC writes it,
 *    with ordinary early exits, accepts exactly the EMs the library's
 *    constant-time decoder accepts, and finds the same M; every refusal is
 *    the one KL_ERR_DECRYPT; k < 11 is KL_ERR_ARG; a capacity below k - 11
 *    (when there is one) is KL_ERR_BUF_TOO_SMALL asking for k - 11;
 *  - round trip: M (when it fits), encoded with kl_rsa_eme_pkcs1v15_encode
 *    (seeded generator) at this k, is a block of the §7.2.1 shape that
 *    decodes to M;
 *  - whole decryption of C: the strict form gives KL_ERR_DECRYPT exactly
 *    when the plain reading rejects EM, and EM's M otherwise; the implicit
 *    form always gives KL_OK, exactly M for a valid EM, otherwise the
 *    synthetic message as pkcs1v15_crypt.h defines it (computed plainly
 *    here: KDK from d and C, IRPRF with HMAC-SHA256, the last length below
 *    k - 10), and for any EM a message of at most k - 11 octets that is the
 *    same when C is decrypted again (deterministic, whatever the blinding
 *    draws). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/hash.h"
#include "kexlab/hmac.h"
#include "kexlab/pkcs1v15_crypt.h"

#define BITS 1024
#define K (BITS / 8)
#define MAX_K 1024 /* octets: an 8192-bit modulus, for the decoding alone */

static kl_rsa_priv key;
static kl_rsa_pub pub;
static kl_hmac_drbg drbg;
static kl_rng rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  kl_rsa_priv_init(&key);
  fz_keygen(&key, BITS, "fuzz_pkcs1v15_dec key");
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &key);
  fz_rng(&rng, &drbg, "fuzz_pkcs1v15_dec padding and blinding");
  return 0;
}

/* RFC 8017 §7.2.2 step 3, plainly: EM = 0x00 || 0x02 || PS || 0x00 || M with
 * PS at least 8 octets, none of them zero. Returns 1 with M in M[0..*mLen),
 * or 0 (a "decryption error"). */
static int plain_decode(const uint8_t *EM, size_t k, uint8_t *M, size_t *mLen)
{
  *mLen = 0;
  if (k < 11 || EM[0] != 0x00 || EM[1] != 0x02)
    return 0;
  size_t i = 2;
  while (i < k && EM[i] != 0x00) /* PS: the nonzero octets */
    i++;
  if (i == k || i - 2 < 8) /* no separator, or PS too short */
    return 0;
  *mLen = k - i - 1;
  memcpy(M, EM + i + 1, *mLen);
  return 1;
}

/* 1 if EM has the shape §7.2.1 step 2 builds for M: 00 02, k - mLen - 3
 * nonzero octets, 00, M. */
static int plain_shape(const uint8_t *EM, size_t k, const uint8_t *M, size_t mLen)
{
  if (k < mLen + 11 || EM[0] != 0x00 || EM[1] != 0x02 || EM[k - mLen - 1] != 0x00)
    return 0;
  for (size_t i = 2; i < k - mLen - 1; i++)
    if (EM[i] == 0x00)
      return 0;
  return memcmp(EM + k - mLen, M, mLen) == 0;
}

/* IRPRF(KDK, label, L): the first L octets of HMAC-SHA256(KDK, I2OSP(i, 2) ||
 * label || I2OSP(8L, 2)) for i = 0, 1, ... (pkcs1v15_crypt.h), plainly. */
static void plain_irprf(const uint8_t KDK[32], const char *label, uint8_t *out, size_t L)
{
  size_t lLen = strlen(label);
  uint8_t msg[2 + 16 + 2], block[32];
  fz_require(lLen <= 16, "a short label");
  for (size_t i = 0, done = 0; done < L; i++) {
    msg[0] = (uint8_t)(i >> 8);
    msg[1] = (uint8_t)i;
    memcpy(msg + 2, label, lLen);
    msg[2 + lLen] = (uint8_t)((8 * L) >> 8);
    msg[3 + lLen] = (uint8_t)(8 * L);
    fz_require(kl_hmac(KL_HASH_SHA256, block, KDK, 32, msg, lLen + 4) == KL_OK, "HMAC");
    size_t n = L - done < 32 ? L - done : 32;
    memcpy(out + done, block, n);
    done += n;
  }
}

/* The synthetic message of implicit rejection for C (pkcs1v15_crypt.h),
 * computed plainly with GMP's export of d. Returns its length. */
static size_t plain_synthetic(const uint8_t C[K], uint8_t out[K])
{
  uint8_t D[K] = {0}, dHash[32], KDK[32], lengths[256], R[K];
  size_t count;
  mpz_export(D + K - mpz_sizeinbase(key.d, 256), &count, 1, 1, 1, 0, key.d); /* I2OSP(d, k) */
  fz_require(kl_hash(KL_HASH_SHA256, dHash, D, K) == KL_OK, "SHA-256");
  fz_require(kl_hmac(KL_HASH_SHA256, KDK, dHash, 32, C, K) == KL_OK, "HMAC");
  plain_irprf(KDK, "length", lengths, sizeof lengths);
  plain_irprf(KDK, "message", R, K);
  size_t max = K - 10, bits = 0, len = 0;
  while ((max >> bits) != 0)
    bits++;
  for (size_t i = 0; i < sizeof lengths; i += 2) {
    size_t cand = ((size_t)lengths[i] << 8 | lengths[i + 1]) & (((size_t)1 << bits) - 1);
    if (cand < max)
      len = cand;
  }
  memcpy(out, R + K - len, len);
  return len;
}

/* The decoding of EM alone, against the plain reading. */
static void check_decode(const uint8_t *EM, size_t k)
{
  uint8_t *M = malloc(k + 1), *M2 = malloc(k + 1);
  fz_require(M != NULL && M2 != NULL, "memory");
  size_t m2_len, m_len = k;
  kl_err err = kl_rsa_eme_pkcs1v15_decode(M, &m_len, EM, k);
  if (k < 11) {
    fz_require(err == KL_ERR_ARG, "k < 11 is KL_ERR_ARG");
  } else {
    int plain = plain_decode(EM, k, M2, &m2_len);
    fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "KL_OK or the one KL_ERR_DECRYPT");
    fz_require((err == KL_OK) == plain, "library and RFC 8017 §7.2.2 reading agree");
    if (plain)
      fz_require_eq(M, m_len, M2, m2_len, "the same M");
    if (k > 11) {
      m_len = k - 12;
      fz_require(kl_rsa_eme_pkcs1v15_decode(M, &m_len, EM, k) == KL_ERR_BUF_TOO_SMALL,
                 "a capacity below k - 11 is KL_ERR_BUF_TOO_SMALL");
      fz_require(m_len == k - 11, "KL_ERR_BUF_TOO_SMALL asks for k - 11");
    }
  }
  free(M);
  free(M2);
}

/* Round trip of the encoding at k, when M fits. */
static void check_round_trip(size_t k, const uint8_t *M, size_t mLen)
{
  uint8_t *EM = malloc(k + 1), *out = malloc(k + 1);
  fz_require(EM != NULL && out != NULL, "memory");
  kl_err err = kl_rsa_eme_pkcs1v15_encode(&rng, EM, k, M, mLen);
  if (k < 11 || mLen > k - 11) {
    fz_require(err == KL_ERR_LEN, "a message over k - 11 octets is KL_ERR_LEN");
  } else {
    fz_require(err == KL_OK, "encode");
    fz_require(plain_shape(EM, k, M, mLen), "encode: the §7.2.1 shape");
    size_t out_len = k;
    fz_require(kl_rsa_eme_pkcs1v15_decode(out, &out_len, EM, k) == KL_OK, "round trip decodes");
    fz_require_eq(out, out_len, M, mLen, "round trip: M");
  }
  free(EM);
  free(out);
}

/* C = EM^e mod n, K octets (RSAEP, plainly). EM is reduced mod n first. */
static void raw_encrypt(uint8_t C[K], uint8_t EM[K])
{
  mpz_t x;
  mpz_init(x);
  mpz_import(x, K, 1, 1, 1, 0, EM);
  mpz_mod(x, x, pub.n);
  size_t count;
  memset(EM, 0, K);
  if (mpz_sgn(x) != 0)
    mpz_export(EM + K - mpz_sizeinbase(x, 256), &count, 1, 1, 1, 0, x);
  mpz_powm(x, x, pub.e, pub.n);
  memset(C, 0, K);
  if (mpz_sgn(x) != 0)
    mpz_export(C + K - mpz_sizeinbase(x, 256), &count, 1, 1, 1, 0, x);
  mpz_clear(x);
}

/* The whole decryption of EM, both forms. */
static void check_decrypt(uint8_t EM[K])
{
  uint8_t C[K], M[K], out[K], out2[K];
  raw_encrypt(C, EM);
  check_decode(EM, K);
  size_t m_len;
  int plain = plain_decode(EM, K, M, &m_len);

  size_t out_len = K;
  kl_err err = kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &out_len, C, K);
  fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "strict: KL_OK or KL_ERR_DECRYPT");
  fz_require((err == KL_OK) == plain, "strict: rejects exactly what the plain reading rejects");
  if (plain)
    fz_require_eq(out, out_len, M, m_len, "strict: the same M");

  out_len = K;
  fz_require(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &out_len, C, K) == KL_OK,
             "implicit rejection: KL_OK for every C below n");
  fz_require(out_len <= K - 11, "implicit rejection: at most k - 11 octets");
  if (plain) {
    fz_require_eq(out, out_len, M, m_len, "implicit rejection: exactly M for a valid EM");
  } else {
    m_len = plain_synthetic(C, M);
    fz_require_eq(out, out_len, M, m_len, "implicit rejection: the synthetic message");
  }
  size_t out2_len = K;
  fz_require(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out2, &out2_len, C, K) == KL_OK,
             "implicit rejection: again");
  fz_require_eq(out2, out2_len, out, out_len, "implicit rejection: the same C, the same output");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  uint8_t mode = fz_byte(&in) % 3;
  const uint8_t *M;
  size_t mLen = fz_take(&in, fz_byte(&in), &M);

  if (mode == 0) {
    size_t k = in.n < MAX_K ? in.n : MAX_K;
    check_decode(in.p, k);
    check_round_trip(k, M, mLen);
    return 0;
  }
  uint8_t EM[K];
  if (mode == 1) {
    memset(EM, 0, K);
    memcpy(EM, in.p, in.n < K ? in.n : K);
  } else {
    if (mLen > K - 11)
      mLen = K - 11;
    fz_require(kl_rsa_eme_pkcs1v15_encode(&rng, EM, K, M, mLen) == KL_OK, "encode at k");
    uint8_t pos = fz_byte(&in), flip = fz_byte(&in);
    EM[pos % K] ^= flip;
  }
  check_decrypt(EM);
  return 0;
}
