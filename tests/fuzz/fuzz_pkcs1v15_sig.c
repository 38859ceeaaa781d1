/* fuzz_pkcs1v15_sig.c: RSASSA-PKCS1-v1_5 signature verification and the
 * EMSA-PKCS1-v1_5 encoding (RFC 8017 §8.2.2, §9.2; src/rsa/pkcs1v15.c),
 * under one fixed 1024-bit key made from a fixed seed.
 * Input: a mode byte, a hash byte, a message length byte and the message,
 * then the rest:
 *   mode 0  the rest is the signature S itself;
 *   mode 1  the rest is an encoded block EM (k octets, zero-padded, reduced
 *           mod n): the harness signs it raw, S = EM^d mod n, so the fuzzer
 *           chooses what verification finds after RSAVP1;
 *   mode 2  the correct EM for the message, with the octet at the position
 *           the first byte of the rest names xored with the second (0: none).
 * Properties:
 *  - differential: the plain verification below (§8.2.2 steps 1-4 with
 *    GMP's mpz_powm, the DigestInfo octets copied from §9.2 Note 1) and
 *    kl_rsa_pkcs1v15_verify accept the same signatures;
 *  - the library's encoding (kl_rsa_pkcs1v15_encode) is the plain one;
 *  - round trip: kl_rsa_pkcs1v15_sign's signature of the message verifies. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/pss.h"

#define BITS 1024
#define K (BITS / 8)

static const kl_hash_alg hashes[] = {KL_HASH_SHA1,      KL_HASH_SHA256, KL_HASH_SHA224,
                                     KL_HASH_SHA384,    KL_HASH_SHA512, KL_HASH_SHA512_224,
                                     KL_HASH_SHA512_256};
#define NHASH (sizeof hashes / sizeof hashes[0])

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
  fz_keygen(&key, BITS, "fuzz_pkcs1v15_sig key");
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &key);
  fz_rng(&rng, &drbg, "fuzz_pkcs1v15_sig blinding");
  return 0;
}

/* RFC 8017 §9.2 Note 1, the DER of DigestInfo before the hash value: the
 * same 19 octets for every SHA-2 hash but the lengths (second and last
 * octets) and the last arc of the algorithm's OID (octet 15). */
static const uint8_t *note1_prefix(kl_hash_alg h, size_t *len)
{
  static const uint8_t sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
  static uint8_t sha2[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                           0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  if (h == KL_HASH_SHA1) {
    *len = sizeof sha1;
    return sha1;
  }
  uint8_t arc = 0;
  switch (h) {
  case KL_HASH_SHA256:
    arc = 0x01;
    break;
  case KL_HASH_SHA384:
    arc = 0x02;
    break;
  case KL_HASH_SHA512:
    arc = 0x03;
    break;
  case KL_HASH_SHA224:
    arc = 0x04;
    break;
  case KL_HASH_SHA512_224:
    arc = 0x05;
    break;
  case KL_HASH_SHA512_256:
    arc = 0x06;
    break;
  default:
    fz_require(0, "a hash of the list");
  }
  size_t hLen = kl_hash_digest_len(h);
  sha2[1] = (uint8_t)(0x11 + hLen);
  sha2[14] = arc;
  sha2[18] = (uint8_t)hLen;
  *len = sizeof sha2;
  return sha2;
}

/* §9.2 steps 1-5: EM = 0x00 || 0x01 || PS || 0x00 || T. 1, or 0 if too short. */
static int plain_encode(uint8_t *EM, size_t emLen, kl_hash_alg h, const uint8_t *M, size_t mLen)
{
  size_t pLen, hLen = kl_hash_digest_len(h);
  const uint8_t *prefix = note1_prefix(h, &pLen);
  size_t tLen = pLen + hLen;
  if (emLen < tLen + 11)
    return 0;
  EM[0] = 0x00;
  EM[1] = 0x01;
  memset(EM + 2, 0xff, emLen - tLen - 3);
  EM[emLen - tLen - 1] = 0x00;
  memcpy(EM + emLen - tLen, prefix, pLen);
  fz_require(kl_hash(h, EM + emLen - hLen, M, mLen) == KL_OK, "hash");
  return 1;
}

/* §8.2.2: 1 if S is a valid signature of M. */
static int plain_verify(kl_hash_alg h, const uint8_t *M, size_t mLen, const uint8_t *S, size_t sLen)
{
  if (sLen != K) /* step 1 */
    return 0;
  mpz_t s, m;
  mpz_inits(s, m, NULL);
  mpz_import(s, sLen, 1, 1, 1, 0, S); /* OS2IP */
  int ok = 0;
  if (mpz_cmp(s, pub.n) < 0) { /* RSAVP1 step 1 */
    mpz_powm(m, s, pub.e, pub.n);
    uint8_t EM[K] = {0}, EMp[K];
    size_t count;
    if (mpz_sgn(m) != 0) /* I2OSP */
      mpz_export(EM + K - mpz_sizeinbase(m, 256), &count, 1, 1, 1, 0, m);
    ok = plain_encode(EMp, K, h, M, mLen) && memcmp(EM, EMp, K) == 0;
  }
  mpz_clears(s, m, NULL);
  return ok;
}

/* S = EM^d mod n, k octets (the raw private operation, plainly). */
static void raw_sign(uint8_t S[K], const uint8_t EM[K])
{
  mpz_t x;
  mpz_init(x);
  mpz_import(x, K, 1, 1, 1, 0, EM);
  mpz_mod(x, x, pub.n);
  mpz_powm(x, x, key.d, key.n);
  memset(S, 0, K);
  size_t count;
  if (mpz_sgn(x) != 0)
    mpz_export(S + K - mpz_sizeinbase(x, 256), &count, 1, 1, 1, 0, x);
  mpz_clear(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  uint8_t mode = fz_byte(&in) % 3;
  kl_hash_alg h = hashes[fz_byte(&in) % NHASH];
  const uint8_t *M;
  size_t mLen = fz_take(&in, fz_byte(&in), &M);
  uint8_t S[K + 64], EM[K];
  size_t sLen;

  if (mode == 0) {
    const uint8_t *rest;
    sLen = fz_take(&in, sizeof S, &rest);
    memcpy(S, rest, sLen);
  } else {
    if (mode == 1) {
      memset(EM, 0, K);
      memcpy(EM, in.p, in.n < K ? in.n : K);
    } else {
      fz_require(plain_encode(EM, K, h, M, mLen), "encode at k");
      uint8_t pos = fz_byte(&in), flip = fz_byte(&in);
      EM[pos % K] ^= flip;
    }
    raw_sign(S, EM);
    sLen = K;
  }
  int plain = plain_verify(h, M, mLen, S, sLen);
  kl_err err = kl_rsa_pkcs1v15_verify(&pub, h, M, mLen, S, sLen);
  fz_require(err == KL_OK || err == KL_ERR_VERIFY, "KL_OK or KL_ERR_VERIFY");
  fz_require((err == KL_OK) == plain, "library and RFC 8017 §8.2.2 reading agree");

  /* The encoding, at a length the input chooses (around the minimum). */
  size_t emLen = 40 + (size_t)(mLen % 64);
  uint8_t lib[128], want[128];
  kl_err e2 = kl_rsa_pkcs1v15_encode(h, lib, emLen, M, mLen);
  int ok = plain_encode(want, emLen, h, M, mLen);
  fz_require((e2 == KL_OK) == ok, "encode: the same lengths are too short");
  fz_require(ok || e2 == KL_ERR_LEN, "too short is KL_ERR_LEN");
  if (ok)
    fz_require_eq(lib, emLen, want, emLen, "encode: library and RFC 8017 §9.2");

  /* Round trip. */
  size_t out_len = K;
  fz_require(kl_rsa_pkcs1v15_sign(&key, h, &rng, S, &out_len, M, mLen) == KL_OK, "sign");
  fz_require(out_len == K, "a signature is k octets");
  fz_require(kl_rsa_pkcs1v15_verify(&pub, h, M, mLen, S, out_len) == KL_OK, "round trip");
  fz_require(plain_verify(h, M, mLen, S, out_len), "round trip: the plain reading agrees");
  return 0;
}
