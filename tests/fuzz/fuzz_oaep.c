/* fuzz_oaep.c: EME-OAEP decoding, RFC 8017 §7.1.2 step 3 (kl_rsa_oaep_decode).
 * Input: a mode byte, a byte choosing the label hash and MGF1's hash, a
 * label length byte and the label, then the rest:
 *   mode even  the rest is EM itself (k = its length);
 *   mode odd   the rest is Y || seed || DB, unmasked: the harness masks them
 *              as §7.1.1 step 2 does (maskedDB = DB xor MGF(seed),
 *              maskedSeed = seed xor MGF(maskedDB)), so the fuzzer steers the
 *              decoded DB (lHash', PS, the 0x01 separator, M) directly.
 * Properties:
 *  - differential: the plain decoding below, step 3 as the RFC writes it,
 *    with ordinary early exits, accepts exactly the EMs the library's
 *    constant-time decoder accepts, and finds the same M;
 *  - one error: every refusal is KL_ERR_DECRYPT;
 *  - round trip: M = the label octets, encoded with kl_rsa_oaep_encode
 *    (seeded generator) at this k, decodes to M. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/oaep.h"

#define MAX_K 1024 /* octets: an 8192-bit modulus */

static const kl_hash_alg hashes[] = {KL_HASH_SHA1,      KL_HASH_SHA256, KL_HASH_SHA224,
                                     KL_HASH_SHA384,    KL_HASH_SHA512, KL_HASH_SHA512_224,
                                     KL_HASH_SHA512_256};
#define NHASH (sizeof hashes / sizeof hashes[0])

static kl_hmac_drbg drbg;
static kl_rng rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  fz_rng(&rng, &drbg, "fuzz_oaep seeds");
  return 0;
}

static void xor_into(uint8_t *dst, const uint8_t *mask, size_t n)
{
  for (size_t i = 0; i < n; i++)
    dst[i] ^= mask[i];
}

/* RFC 8017 §7.1.2 step 3, plainly. Returns 1 with M in M[0..*mLen), or 0. */
static int plain_decode(const kl_oaep_params *pr, const uint8_t *EM, size_t k, uint8_t *M,
                        size_t *mLen)
{
  size_t hLen = kl_hash_digest_len(pr->hash);
  if (k < 2 * hLen + 2) /* step 1.c */
    return 0;
  uint8_t lHash[64];
  fz_require(kl_hash(pr->hash, lHash, pr->label, pr->label_len) == KL_OK, "lHash"); /* 3.a */
  uint8_t Y = EM[0];                                                                /* 3.b */
  uint8_t seed[64];
  memcpy(seed, EM + 1, hLen);
  size_t dbLen = k - hLen - 1;
  uint8_t *DB = malloc(dbLen);
  fz_require(DB != NULL, "memory");
  memcpy(DB, EM + 1 + hLen, dbLen);
  uint8_t seedMask[64];
  fz_require(kl_mgf1(pr->mgf_hash, seedMask, hLen, DB, dbLen) == KL_OK, "MGF1"); /* 3.c */
  xor_into(seed, seedMask, hLen);                                                /* 3.d */
  uint8_t *dbMask = malloc(dbLen);
  fz_require(dbMask != NULL, "memory");
  fz_require(kl_mgf1(pr->mgf_hash, dbMask, dbLen, seed, hLen) == KL_OK, "MGF1"); /* 3.e */
  xor_into(DB, dbMask, dbLen);                                                   /* 3.f */
  free(dbMask);
  /* 3.g: DB = lHash' || PS || 0x01 || M */
  int ok = Y == 0 && memcmp(DB, lHash, hLen) == 0;
  size_t i = hLen;
  while (ok && i < dbLen && DB[i] == 0)
    i++;
  if (i == dbLen || DB[i] != 0x01)
    ok = 0;
  *mLen = 0;
  if (ok) {
    *mLen = dbLen - i - 1;
    memcpy(M, DB + i + 1, *mLen);
  }
  free(DB);
  return ok;
}

/* Build EM from Y || seed || DB (unmasked), §7.1.1 steps 2.e-2.i. */
static void mask(const kl_oaep_params *pr, uint8_t *EM, size_t k)
{
  size_t hLen = kl_hash_digest_len(pr->hash);
  size_t dbLen = k - hLen - 1;
  uint8_t *dbMask = malloc(dbLen);
  uint8_t seedMask[64];
  fz_require(dbMask != NULL, "memory");
  fz_require(kl_mgf1(pr->mgf_hash, dbMask, dbLen, EM + 1, hLen) == KL_OK, "MGF1");
  xor_into(EM + 1 + hLen, dbMask, dbLen);
  fz_require(kl_mgf1(pr->mgf_hash, seedMask, hLen, EM + 1 + hLen, dbLen) == KL_OK, "MGF1");
  xor_into(EM + 1, seedMask, hLen);
  free(dbMask);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  uint8_t mode = fz_byte(&in), algs = fz_byte(&in);
  kl_oaep_params pr = {hashes[algs % NHASH], hashes[(algs / NHASH) % NHASH], NULL, 0};
  const uint8_t *label;
  pr.label_len = fz_take(&in, fz_byte(&in), &label);
  pr.label = pr.label_len > 0 ? label : NULL;
  size_t k = in.n < MAX_K ? in.n : MAX_K;
  size_t hLen = kl_hash_digest_len(pr.hash);
  uint8_t *EM = malloc(k + 1), *M = malloc(k + 1), *M2 = malloc(k + 1);
  fz_require(EM != NULL && M != NULL && M2 != NULL, "memory");
  memcpy(EM, in.p, k);
  if (mode % 2 == 1 && k >= hLen + 2)
    mask(&pr, EM, k);

  size_t m2_len = 0;
  int plain = plain_decode(&pr, EM, k, M2, &m2_len);
  size_t m_len = k;
  kl_err err = kl_rsa_oaep_decode(&pr, NULL, M, &m_len, EM, k);
  fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "KL_OK or the one KL_ERR_DECRYPT");
  fz_require((err == KL_OK) == plain, "library and RFC 8017 §7.1.2 reading agree");
  if (plain)
    fz_require_eq(M, m_len, M2, m2_len, "the same M");

  /* Round trip at this k, when the label fits as a message. */
  if (k >= 2 * hLen + 2 && pr.label_len <= k - 2 * hLen - 2) {
    fz_require(kl_rsa_oaep_encode(&pr, &rng, NULL, EM, k, pr.label, pr.label_len) == KL_OK,
               "encode");
    m_len = k;
    fz_require(kl_rsa_oaep_decode(&pr, NULL, M, &m_len, EM, k) == KL_OK, "round trip decodes");
    fz_require_eq(M, m_len, pr.label, pr.label_len, "round trip: M");
    fz_require(plain_decode(&pr, EM, k, M2, &m2_len) == 1, "round trip: the plain reading agrees");
    fz_require_eq(M2, m2_len, pr.label, pr.label_len, "round trip: the plain reading's M");
  }
  free(EM);
  free(M);
  free(M2);
  return 0;
}
