/* test_oaep.c: RSAES-OAEP (RFC 8017 §7.1): the golden trace against
 * oaep-int.txt, round trips over the four SHA-1/SHA-256 combinations with and
 * without a label, the length limits, and the negative cases: every failure
 * of §7.1.2 (Y != 0, wrong lHash, no separator, a nonzero octet in PS,
 * corruption at every byte position of EM and of C, C of the wrong length,
 * C >= n) gives the one KL_ERR_DECRYPT. Keys come from the standard's own
 * vector file (oaep-vect.txt: key 1, 1024 bits; key 10, 2048 bits). The
 * decryption's trace is held against oaep-int.txt, which the test reads. */
#include <ctype.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/hash.h"
#include "kexlab/numtheory.h"
#include "kexlab/oaep.h"
#include "kexlab/rsa.h"
#include "formats.h"
#include "int_file.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vec_pkcs1.h"
#include "vecfile.h"

#define OAEP_VECT "pkcs1/pkcs-1v2-1d2-vec/oaep-vect.txt"

static kl_rsa_priv key1;  /* 1024 bits */
static kl_rsa_priv key10; /* 2048 bits */
static kl_rsa_pub pub1, pub10;

static void setup(void)
{
  ck_assert_int_eq(kl_init(), KL_OK);
  kl_rsa_priv_init(&key1);
  kl_rsa_priv_init(&key10);
  ck_assert_int_eq(vec_pkcs1_load_key(th_vector_path(OAEP_VECT), 1, &key1), 0);
  ck_assert_int_eq(vec_pkcs1_load_key(th_vector_path(OAEP_VECT), 10, &key10), 0);
  ck_assert_uint_eq(mpz_sizeinbase(key1.n, 2), 1024);
  ck_assert_uint_eq(mpz_sizeinbase(key10.n, 2), 2048);
  kl_rsa_pub_init(&pub1);
  kl_rsa_pub_init(&pub10);
  kl_rsa_priv_to_pub(&pub1, &key1);
  kl_rsa_priv_to_pub(&pub10, &key10);
}

static void teardown(void)
{
  kl_rsa_priv_clear(&key1);
  kl_rsa_priv_clear(&key10);
  kl_rsa_pub_clear(&pub1);
  kl_rsa_pub_clear(&pub10);
}

/* ---- the golden trace ---- */

START_TEST(oaep_int_trace)
{
  /* The oaep-int.txt format compares every intermediate value with our
   * trace (9 values of the encryption, M and 4 values of the decryption). */
  vec_result r;
  const char *path = th_vector_path("pkcs1/pkcs-1v2-1d2-vec/oaep-int.txt");
  vec_result_init(&r, path, stderr);
  const vec_format *format = vec_format_find_in("pkcs1", path, "oaep-int.txt");
  ck_assert_ptr_nonnull(format);
  format->run(path, "oaep-int.txt", &r);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_uint_eq(r.failed, 0);
  ck_assert_uint_eq(r.passed, 14);
  ck_assert_uint_eq(r.skipped, 0);
}
END_TEST

START_TEST(trace_labels_in_order)
{
  /* The labels are oaep-int.txt's names, in the order of §7.1.1 step 2. */
  static const char *const want[] = {"lHash",    "DB",         "seed", "dbMask", "maskedDB",
                                     "seedMask", "maskedSeed", "EM",   "C"};
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  const kl_tracer tr = th_trace_rec_tracer(&rec);
  const kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 1);
  uint8_t C[128];
  size_t cLen = sizeof C;
  ck_assert_int_eq(
    kl_rsa_oaep_encrypt(&pub1, &params, &rng, &tr, C, &cLen, (const uint8_t *)"kexlab", 6), KL_OK);
  ck_assert_uint_eq(rec.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < rec.n; i++)
    ck_assert_str_eq(rec.at[i].v.label, want[i]);
  th_trace_rec_free(&rec);
}
END_TEST

/* Decryption traced, against oaep-int.txt: the private operation's result EM
 * (the file's m, with our leading 00 octet), then EME-OAEP decoding, RFC 8017
 * §7.1.2 step 3: lHash, step 3.b's Y, maskedSeed and maskedDB, seedMask, seed,
 * dbMask, DB, lHash' (DB's first hLen octets: the file's pHash) and M, each
 * in its own buffer, each the value the file prints. */
START_TEST(decryption_trace_against_oaep_int)
{
  if (!kl_trace_compiled())
    return; /* -Dtrace=false: nothing is traced */
  th_int_file f;
  th_int_file_read(&f, th_vector_path("pkcs1/pkcs-1v2-1d2-vec/oaep-int.txt"));
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  th_int_file_mpz(key.n, &f, "Modulus");
  th_int_file_mpz(key.e, &f, "Public exponent");
  th_int_file_mpz(key.d, &f, "Private exponent");
  th_int_file_mpz(key.p, &f, "Prime 1");
  th_int_file_mpz(key.q, &f, "Prime 2");
  th_int_file_mpz(key.dP, &f, "Prime exponent 1");
  th_int_file_mpz(key.dQ, &f, "Prime exponent 2");
  th_int_file_mpz(key.qInv, &f, "Coefficient");
  size_t cLen, emLen;
  const uint8_t *C = th_int_file_get(&f, "Ciphertext", &cLen);
  const uint8_t *m = th_int_file_get(&f, "m", &emLen);
  uint8_t EM[128] = {0};
  ck_assert_uint_eq(emLen, 127); /* PKCS#1 v2.0 left EM's leading 00 out */
  memcpy(EM + 1, m, emLen);
  const uint8_t Y = 0x00;

  th_trace_rec rec;
  th_trace_rec_init(&rec);
  const kl_tracer tr = th_trace_rec_tracer(&rec);
  const kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
  kl_rng os;
  kl_rng_os(&os);
  uint8_t M[128];
  size_t mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key, &params, &os, &tr, M, &mLen, C, cLen), KL_OK);
  static const char *const want[][2] = {
    {"EM", NULL},
    {"lHash", "pHash"},
    {"Y", NULL},
    {"maskedSeed", "maskedSeed"},
    {"maskedDB", "maskedDB"},
    {"seedMask", "seedMask"},
    {"seed", "seed"},
    {"dbMask", "dbMask"},
    {"DB", "DB"},
    {"lHash'", "pHash"},
    {"M", "Message to be encrypted"},
  };
  ck_assert_uint_eq(rec.n, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < rec.n; i++) {
    const kl_trace_value *v = &rec.at[i].v;
    ck_assert_str_eq(v->label, want[i][0]);
    ck_assert_int_eq(v->kind, KL_TRACE_BYTES);
    size_t len = 1;
    const uint8_t *file = &Y;
    if (i == 0) {
      file = EM;
      len = sizeof EM;
    } else if (want[i][1] != NULL) {
      file = th_int_file_get(&f, want[i][1], &len);
    }
    ck_assert_msg(v->len == len && memcmp(v->bytes, file, len) == 0, "%s differs from oaep-int.txt",
                  v->label);
  }
  th_trace_rec_free(&rec);
  kl_rsa_priv_clear(&key);
  th_int_file_free(&f);
}
END_TEST

/* ---- round trips ---- */

START_TEST(round_trips)
{
  static const kl_hash_alg hashes[2] = {KL_HASH_SHA1, KL_HASH_SHA256};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 2);
  uint8_t label[40];
  th_prng_bytes(&p, label, sizeof label);
  const size_t k = 256;
  for (int h = 0; h < 2; h++) {
    for (int g = 0; g < 2; g++) {
      for (int with_label = 0; with_label < 2; with_label++) {
        const kl_oaep_params params = {hashes[h], hashes[g], with_label ? label : NULL,
                                       with_label ? sizeof label : 0};
        const size_t hLen = kl_hash_digest_len(hashes[h]);
        const size_t max = k - 2 * hLen - 2;
        const size_t lens[] = {0, 1, 16, max - 1, max, (size_t)th_prng_below(&p, max + 1)};
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
          uint8_t M[256], C[256], back[256];
          th_prng_bytes(&p, M, lens[i]);
          size_t cLen = sizeof C, bLen = sizeof back;
          ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub10, &params, &rng, NULL, C, &cLen, M, lens[i]),
                           KL_OK);
          ck_assert_uint_eq(cLen, k);
          ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, back, &bLen, C, cLen),
                           KL_OK);
          ck_assert_uint_eq(bLen, lens[i]);
          ck_assert(lens[i] == 0 || memcmp(back, M, lens[i]) == 0);
          /* The same C under another label (or none) must not decrypt. */
          const kl_oaep_params other = {hashes[h], hashes[g], label, with_label ? 3 : 1};
          bLen = sizeof back;
          ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &other, &rng, NULL, back, &bLen, C, cLen),
                           KL_ERR_DECRYPT);
        }
      }
    }
  }
}
END_TEST

START_TEST(same_message_twice_differs)
{
  /* A fresh seed per encryption: OAEP is randomised (§7.1.1 step 2.d). */
  const kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 3);
  uint8_t C1[256], C2[256];
  size_t l1 = sizeof C1, l2 = sizeof C2;
  ck_assert_int_eq(
    kl_rsa_oaep_encrypt(&pub10, &params, &rng, NULL, C1, &l1, (const uint8_t *)"same", 4), KL_OK);
  ck_assert_int_eq(
    kl_rsa_oaep_encrypt(&pub10, &params, &rng, NULL, C2, &l2, (const uint8_t *)"same", 4), KL_OK);
  ck_assert(memcmp(C1, C2, 256) != 0);
}
END_TEST

/* ---- limits and arguments ---- */

START_TEST(message_too_long)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 4);
  uint8_t M[256] = {0}, C[256];
  size_t cLen = sizeof C;
  const kl_oaep_params sha1 = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
  const kl_oaep_params sha256 = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  /* k = 128: 86 octets with SHA-1, 62 with SHA-256. */
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &sha1, &rng, NULL, C, &cLen, M, 87), KL_ERR_LEN);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &sha256, &rng, NULL, C, &cLen, M, 63), KL_ERR_LEN);
  cLen = sizeof C;
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &sha1, &rng, NULL, C, &cLen, M, 86), KL_OK);
  cLen = sizeof C;
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &sha256, &rng, NULL, C, &cLen, M, 62), KL_OK);
}
END_TEST

START_TEST(buffers_and_arguments)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 5);
  const kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  uint8_t C[256], M[64];
  size_t cLen = 127;
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &params, &rng, NULL, C, &cLen, M, 10),
                   KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(cLen, 128);
  cLen = sizeof C;
  memset(M, 0x4d, sizeof M);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &params, &rng, NULL, C, &cLen, M, 10), KL_OK);
  /* Output too small for M: reported only for a valid C, with the size needed. */
  size_t mLen = 9;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key1, &params, &rng, NULL, M, &mLen, C, cLen),
                   KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(mLen, 10);
  /* Arguments. */
  const kl_oaep_params bad_hash = {(kl_hash_alg)99, KL_HASH_SHA256, NULL, 0};
  const kl_oaep_params bad_mgf = {KL_HASH_SHA256, (kl_hash_alg)0, NULL, 0};
  const kl_oaep_params bad_label = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 3};
  cLen = sizeof C;
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &bad_hash, &rng, NULL, C, &cLen, M, 1),
                   KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &bad_mgf, &rng, NULL, C, &cLen, M, 1),
                   KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &bad_label, &rng, NULL, C, &cLen, M, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, NULL, &rng, NULL, C, &cLen, M, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(NULL, &params, &rng, NULL, C, &cLen, M, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &params, NULL, NULL, C, &cLen, M, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &params, &rng, NULL, C, &cLen, NULL, 1), KL_ERR_ARG);
  mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key1, &params, NULL, NULL, M, &mLen, C, 128), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_oaep_decrypt(NULL, &params, &rng, NULL, M, &mLen, C, 128), KL_ERR_ARG);
  /* A generator that runs dry fails the encryption, and says so. */
  kl_rng dry;
  kl_rng_replay_state st;
  kl_rng_replay(&dry, &st, M, 5);
  cLen = sizeof C;
  ck_assert_int_eq(kl_rsa_oaep_encrypt(&pub1, &params, &dry, NULL, C, &cLen, M, 1), KL_ERR_RNG);
}
END_TEST

/* ---- every failure is the same failure ---- */

/* EM = 0x00 || maskedSeed || maskedDB built by hand from DB and seed
 * (§7.1.1 steps 2.e-2.i), so that each test controls exactly one defect. */
static void mask_em(kl_hash_alg hash, uint8_t *EM, size_t k, const uint8_t *DB, const uint8_t *seed,
                    uint8_t Y)
{
  const size_t hLen = kl_hash_digest_len(hash);
  const size_t dbLen = k - hLen - 1;
  uint8_t mask[512];
  EM[0] = Y;
  ck_assert_int_eq(kl_mgf1(hash, mask, dbLen, seed, hLen), KL_OK);
  for (size_t i = 0; i < dbLen; i++)
    EM[1 + hLen + i] = DB[i] ^ mask[i];
  ck_assert_int_eq(kl_mgf1(hash, mask, hLen, EM + 1 + hLen, dbLen), KL_OK);
  for (size_t i = 0; i < hLen; i++)
    EM[1 + i] = seed[i] ^ mask[i];
}

/* Decrypt raw EM through the whole scheme: C = RSAEP(EM), then OAEP-decrypt. */
static kl_err decrypt_em(const kl_oaep_params *params, kl_rng *rng, const uint8_t *EM, uint8_t *M,
                         size_t *mLen)
{
  uint8_t C[256];
  ck_assert_int_eq(kl_rsa_public_octets(&pub10, C, EM, 256), KL_OK);
  return kl_rsa_oaep_decrypt(&key10, params, rng, NULL, M, mLen, C, 256);
}

START_TEST(each_check_fails_alike)
{
  const kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  const size_t k = 256, hLen = 32, dbLen = k - hLen - 1;
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 6);
  uint8_t seed[32], DB[256], EM[256], M[256];
  th_prng_bytes(&p, seed, sizeof seed);
  const size_t msgLen = 20;
  /* A valid DB = lHash || PS || 0x01 || M. */
  ck_assert_int_eq(kl_hash(KL_HASH_SHA256, DB, NULL, 0), KL_OK);
  memset(DB + hLen, 0, dbLen - hLen - msgLen - 1);
  DB[dbLen - msgLen - 1] = 0x01;
  memset(DB + dbLen - msgLen, 'm', msgLen);
  size_t mLen = sizeof M;
  mask_em(KL_HASH_SHA256, EM, k, DB, seed, 0x00);
  ck_assert_int_eq(kl_rsa_oaep_decode(&params, NULL, M, &mLen, EM, k), KL_OK);
  ck_assert_uint_eq(mLen, msgLen);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_OK);
  ck_assert_uint_eq(mLen, msgLen);

  uint8_t bad[256];
  /* 1. Y != 0, all else valid. */
  mask_em(KL_HASH_SHA256, EM, k, DB, seed, 0x01);
  mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decode(&params, NULL, M, &mLen, EM, k), KL_ERR_DECRYPT);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_ERR_DECRYPT);
  /* 2. lHash' != lHash (one bit of it). */
  memcpy(bad, DB, dbLen);
  bad[hLen - 1] ^= 0x01;
  mask_em(KL_HASH_SHA256, EM, k, bad, seed, 0x00);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_ERR_DECRYPT);
  /* 3. No 0x01 separator: PS runs to the end. */
  memcpy(bad, DB, dbLen);
  memset(bad + hLen, 0, dbLen - hLen);
  mask_em(KL_HASH_SHA256, EM, k, bad, seed, 0x00);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_ERR_DECRYPT);
  /* 4. A nonzero octet (0x02) in PS before the 0x01. */
  memcpy(bad, DB, dbLen);
  bad[hLen + 5] = 0x02;
  mask_em(KL_HASH_SHA256, EM, k, bad, seed, 0x00);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_ERR_DECRYPT);
  /* 5. But an empty PS and an empty M are both valid. */
  memcpy(bad, DB, hLen);
  bad[hLen] = 0x01;
  memset(bad + hLen + 1, 'x', dbLen - hLen - 1);
  mask_em(KL_HASH_SHA256, EM, k, bad, seed, 0x00);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_OK);
  ck_assert_uint_eq(mLen, dbLen - hLen - 1);
  memcpy(bad, DB, dbLen);
  memset(bad + hLen, 0, dbLen - hLen - 1);
  bad[dbLen - 1] = 0x01;
  mask_em(KL_HASH_SHA256, EM, k, bad, seed, 0x00);
  mLen = sizeof M;
  ck_assert_int_eq(decrypt_em(&params, &rng, EM, M, &mLen), KL_OK);
  ck_assert_uint_eq(mLen, 0);
}
END_TEST

START_TEST(corrupt_every_position)
{
  /* Flip one byte of EM at every position (re-encrypting it raw), then one
   * byte of C at every position: always KL_ERR_DECRYPT, nothing else. */
  const kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 7);
  uint8_t EM[256], C[256], M[256];
  ck_assert_int_eq(kl_rsa_oaep_encode(&params, &rng, NULL, EM, 256, (const uint8_t *)"key!", 4),
                   KL_OK);
  ck_assert_int_eq(kl_rsa_public_octets(&pub10, C, EM, 256), KL_OK);
  size_t mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, C, 256), KL_OK);
  uint8_t n0[256];
  ck_assert_int_eq(kl_i2osp(n0, 256, key10.n), KL_OK);
  ck_assert_uint_gt(n0[0], 1); /* so that Y = 1 still gives EM < n */
  for (size_t i = 0; i < 256; i++) {
    uint8_t flip = (uint8_t)(1 + th_prng_below(&p, 255));
    if (i == 0)
      flip = 0x01; /* Y != 0, with EM < n so that RSAEP accepts it */
    EM[i] ^= flip;
    uint8_t Cbad[256];
    ck_assert_int_eq(kl_rsa_public_octets(&pub10, Cbad, EM, 256), KL_OK);
    mLen = sizeof M;
    ck_assert_msg(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, Cbad, 256) ==
                    KL_ERR_DECRYPT,
                  "EM position %zu", i);
    EM[i] ^= flip;
  }
  for (size_t i = 0; i < 256; i++) {
    uint8_t flip = (uint8_t)(1 + th_prng_below(&p, 255));
    C[i] ^= flip;
    mLen = sizeof M;
    ck_assert_msg(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, C, 256) ==
                    KL_ERR_DECRYPT,
                  "C position %zu", i);
    C[i] ^= flip;
  }
}
END_TEST

START_TEST(ciphertext_length_and_range)
{
  const kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 8);
  uint8_t C[300], M[256];
  size_t cLen = 256;
  ck_assert_int_eq(
    kl_rsa_oaep_encrypt(&pub10, &params, &rng, NULL, C, &cLen, (const uint8_t *)"x", 1), KL_OK);
  const size_t lens[] = {0, 1, 255, 257, 300};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    size_t mLen = sizeof M;
    ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, C, lens[i]),
                     KL_ERR_DECRYPT);
  }
  /* c = n and c = 256^k - 1 are out of range (§7.1.2 step 2.b). */
  uint8_t big[256];
  ck_assert_int_eq(kl_i2osp(big, 256, key10.n), KL_OK);
  size_t mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, big, 256),
                   KL_ERR_DECRYPT);
  memset(big, 0xff, sizeof big);
  mLen = sizeof M;
  ck_assert_int_eq(kl_rsa_oaep_decrypt(&key10, &params, &rng, NULL, M, &mLen, big, 256),
                   KL_ERR_DECRYPT);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("oaep");
  TCase *tc = tcase_create("oaep");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, oaep_int_trace);
  tcase_add_test(tc, trace_labels_in_order);
  tcase_add_test(tc, decryption_trace_against_oaep_int);
  tcase_add_test(tc, round_trips);
  tcase_add_test(tc, same_message_twice_differs);
  tcase_add_test(tc, message_too_long);
  tcase_add_test(tc, buffers_and_arguments);
  tcase_add_test(tc, each_check_fails_alike);
  tcase_add_test(tc, corrupt_every_position);
  tcase_add_test(tc, ciphertext_length_and_range);
  suite_add_tcase(s, tc);
  return s;
}
