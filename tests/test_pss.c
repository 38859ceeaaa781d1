/* test_pss.c: RSA signatures, RFC 8017: RSASSA-PSS (§8.1, EMSA-PSS §9.1)
 * and RSASSA-PKCS1-v1_5 (§8.2, EMSA-PKCS1-v1_5 §9.2).
 *  - the golden trace against pss-int.txt, and the tracer of kl_rsa_pss_sign
 *    and kl_rsa_pss_verify held against that file value by value (the test
 *    reads the file itself);
 *  - round trips with SHA-1 and SHA-256 and salt lengths 0, hLen (the
 *    default) and the largest that fits, on a 1024-bit key and on the
 *    1025-bit key of pss-vect.txt (emLen = k - 1: the extra leading octet);
 *  - each check of §9.1.2 failing alone (0xbc, the top bits, PS, the 0x01,
 *    the salt, H), signatures of the wrong length, s >= n, one byte flipped
 *    at every position, the wrong hash, salt length or message;
 *  - PKCS#1 v1.5: EM built exactly as §9.2 says, and an EM with the right
 *    DigestInfo but a short PS and trailing garbage (the shape of
 *    Bleichenbacher's 2006 forgery) is rejected, because we never parse. */
#include <ctype.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/hash.h"
#include "kexlab/numtheory.h"
#include "kexlab/pss.h"
#include "kexlab/rsa.h"
#include "formats.h"
#include "int_file.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vec_pkcs1.h"
#include "vecfile.h"

#define PSS_VECT "pkcs1/pkcs-1v2-1d2-vec/pss-vect.txt"

static kl_rsa_priv key1; /* 1024 bits */
static kl_rsa_priv key2; /* 1025 bits: emLen = k - 1 */
static kl_rsa_pub pub1, pub2;

static void setup(void)
{
  ck_assert_int_eq(kl_init(), KL_OK);
  kl_rsa_priv_init(&key1);
  kl_rsa_priv_init(&key2);
  ck_assert_int_eq(vec_pkcs1_load_key(th_vector_path(PSS_VECT), 1, &key1), 0);
  ck_assert_int_eq(vec_pkcs1_load_key(th_vector_path(PSS_VECT), 2, &key2), 0);
  ck_assert_uint_eq(mpz_sizeinbase(key1.n, 2), 1024);
  ck_assert_uint_eq(mpz_sizeinbase(key2.n, 2), 1025);
  kl_rsa_pub_init(&pub1);
  kl_rsa_pub_init(&pub2);
  kl_rsa_priv_to_pub(&pub1, &key1);
  kl_rsa_priv_to_pub(&pub2, &key2);
}

static void teardown(void)
{
  kl_rsa_priv_clear(&key1);
  kl_rsa_priv_clear(&key2);
  kl_rsa_pub_clear(&pub1);
  kl_rsa_pub_clear(&pub2);
}

START_TEST(pss_int_trace)
{
  /* mHash, salt, M', H, DB, dbMask, maskedDB, EM, S against pss-int.txt, and
   * the verification of its S. */
  vec_result r;
  const char *path = th_vector_path("pkcs1/pkcs-1v2-1d2-vec/pss-int.txt");
  vec_result_init(&r, path, stderr);
  const vec_format *format = vec_format_find_in("pkcs1", path, "pss-int.txt");
  ck_assert_ptr_nonnull(format);
  format->run(path, "pss-int.txt", &r);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_uint_eq(r.failed, 0);
  ck_assert_uint_eq(r.passed, 10);
}
END_TEST

/* ---- kl_rsa_pss_sign and kl_rsa_pss_verify, traced, against pss-int.txt ---- */

/* Salt first (pss-int.txt's), then test bytes for the blinding. */
typedef struct salt_then_prng {
  const uint8_t *salt;
  size_t len, pos;
  th_prng p;
} salt_then_prng;

static kl_err salt_then_prng_fill(void *state, uint8_t *out, size_t len)
{
  salt_then_prng *s = state;
  if (s->pos < s->len) {
    ck_assert_uint_le(len, s->len - s->pos);
    memcpy(out, s->salt + s->pos, len);
    s->pos += len;
    return KL_OK;
  }
  th_prng_bytes(&s->p, out, len);
  return KL_OK;
}

/* The traced value number i is label, and equals the file's value `file`
 * (octets, or for an integer the integer those octets spell). */
static void check_traced(const th_trace_rec *rec, size_t i, const char *label, const th_int_file *f,
                         const char *file)
{
  ck_assert_uint_lt(i, rec->n);
  const kl_trace_value *v = &rec->at[i].v;
  ck_assert_str_eq(v->label, label);
  size_t len;
  const uint8_t *want = th_int_file_get(f, file, &len);
  if (v->kind == KL_TRACE_INT) {
    mpz_t a, b;
    mpz_inits(a, b, NULL);
    mpz_import(a, v->len, 1, 1, 1, 0, v->bytes);
    mpz_import(b, len, 1, 1, 1, 0, want);
    ck_assert_msg(mpz_cmp(a, b) == 0 && !v->negative, "%s differs from the file's %s", label, file);
    mpz_clears(a, b, NULL);
    return;
  }
  ck_assert_int_eq(v->kind, KL_TRACE_BYTES);
  ck_assert_msg(v->len == len && memcmp(v->bytes, want, len) == 0, "%s differs from the file's %s",
                label, file);
}

START_TEST(pss_sign_verify_traced)
{
  if (!kl_trace_compiled())
    return; /* -Dtrace=false: nothing is traced */
  /* Each step of RFC 8017 §8.1.1/§9.1.1 (signing) and §8.1.2/§9.1.2
   * (verification), in order, under the RFC's names, against the value
   * pss-int.txt prints for it. */
  th_int_file f;
  th_int_file_read(&f, th_vector_path("pkcs1/pkcs-1v2-1d2-vec/pss-int.txt"));
  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  th_int_file_mpz(key.n, &f, "Modulus");
  th_int_file_mpz(key.e, &f, "Public exponent");
  th_int_file_mpz(key.d, &f, "Exponent");
  th_int_file_mpz(key.p, &f, "Prime 1");
  th_int_file_mpz(key.q, &f, "Prime 2");
  th_int_file_mpz(key.dP, &f, "Prime exponent 1");
  th_int_file_mpz(key.dQ, &f, "Prime exponent 2");
  th_int_file_mpz(key.qInv, &f, "Coefficient");
  kl_rsa_priv_to_pub(&pub, &key);
  size_t mLen, sLen;
  const uint8_t *M = th_int_file_get(&f, "Message to be signed", &mLen);
  salt_then_prng st = {th_int_file_get(&f, "salt", &sLen), sLen, 0, {0}};
  th_prng_init(&st.p, 23);
  const kl_rng rng = {salt_then_prng_fill, &st};
  const kl_pss_params params = {KL_HASH_SHA1, sLen, 0, 0};

  th_trace_rec rec;
  th_trace_rec_init(&rec);
  const kl_tracer tr = th_trace_rec_tracer(&rec);
  uint8_t S[128];
  size_t len = sizeof S;
  ck_assert_int_eq(kl_rsa_pss_sign_traced(&key, &params, &rng, &tr, S, &len, M, mLen), KL_OK);
  static const char *const sign[][2] = {
    {"mHash", "Message hash"},
    {"salt", "salt"},
    {"M'", "inBlock"},
    {"H", "hash"},
    {"DB", "DB"},
    {"dbMask", "dbMask"},
    {"maskedDB", "maskedDB"},
    {"EM", "EM"},
    {"s", "Signature"},
  };
  ck_assert_uint_eq(rec.n, sizeof sign / sizeof sign[0]);
  for (size_t i = 0; i < rec.n; i++)
    check_traced(&rec, i, sign[i][0], &f, sign[i][1]);

  th_trace_rec_clear(&rec);
  ck_assert_int_eq(kl_rsa_pss_verify_traced(&pub, &params, &tr, M, mLen, S, len), KL_OK);
  static const char *const verify[][2] = {
    {"s", "Signature"},       {"m", "EM"},       {"EM", "EM"},         {"mHash", "Message hash"},
    {"maskedDB", "maskedDB"}, {"H", "hash"},     {"dbMask", "dbMask"}, {"DB", "DB"},
    {"salt", "salt"},         {"M'", "inBlock"}, {"H'", "hash"},
  };
  ck_assert_uint_eq(rec.n, sizeof verify / sizeof verify[0]);
  for (size_t i = 0; i < rec.n; i++)
    check_traced(&rec, i, verify[i][0], &f, verify[i][1]);

  th_trace_rec_free(&rec);
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  th_int_file_free(&f);
}
END_TEST

START_TEST(pss_round_trips)
{
  static const kl_hash_alg hashes[2] = {KL_HASH_SHA1, KL_HASH_SHA256};
  const kl_rsa_priv *keys[2] = {&key1, &key2};
  const kl_rsa_pub *pubs[2] = {&pub1, &pub2};
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 11);
  for (int kk = 0; kk < 2; kk++) {
    const size_t emLen = (mpz_sizeinbase(keys[kk]->n, 2) - 1 + 7) / 8; /* 128 both */
    for (int h = 0; h < 2; h++) {
      const size_t hLen = kl_hash_digest_len(hashes[h]);
      const size_t salts[] = {0, hLen, KL_PSS_SALT_HASH_LEN, emLen - hLen - 2};
      for (size_t s = 0; s < sizeof salts / sizeof salts[0]; s++) {
        const kl_pss_params params = {hashes[h], salts[s], 0, 0};
        uint8_t M[100], S[129];
        size_t mLen = (size_t)th_prng_below(&p, sizeof M);
        th_prng_bytes(&p, M, mLen);
        size_t sigLen = sizeof S;
        ck_assert_int_eq(kl_rsa_pss_sign(keys[kk], &params, &rng, S, &sigLen, M, mLen), KL_OK);
        ck_assert_uint_eq(sigLen, kl_rsa_modulus_len(keys[kk]->n));
        ck_assert_int_eq(kl_rsa_pss_verify(pubs[kk], &params, M, mLen, S, sigLen), KL_OK);
        /* Another message, hash or salt length: invalid. */
        M[0] ^= 1;
        ck_assert_int_eq(kl_rsa_pss_verify(pubs[kk], &params, M, mLen == 0 ? 1 : mLen, S, sigLen),
                         KL_ERR_VERIFY);
        M[0] ^= 1;
        const kl_pss_params other_hash = {hashes[1 - h], salts[s], 0, 0};
        ck_assert_int_eq(kl_rsa_pss_verify(pubs[kk], &other_hash, M, mLen, S, sigLen),
                         KL_ERR_VERIFY);
        const size_t sl = salts[s] == KL_PSS_SALT_HASH_LEN ? hLen : salts[s];
        const kl_pss_params other_salt = {hashes[h], sl == 0 ? 1 : sl - 1, 0, 0};
        ck_assert_int_eq(kl_rsa_pss_verify(pubs[kk], &other_salt, M, mLen, S, sigLen),
                         KL_ERR_VERIFY);
      }
      /* One octet more salt than fits: an encoding error. */
      const kl_pss_params too_long = {hashes[h], emLen - hLen - 1, 0, 0};
      uint8_t S[129];
      size_t sigLen = sizeof S;
      ck_assert_int_eq(
        kl_rsa_pss_sign(keys[kk], &too_long, &rng, S, &sigLen, (const uint8_t *)"m", 1),
        KL_ERR_LEN);
    }
  }
}
END_TEST

START_TEST(pss_salt_is_random)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 12);
  const kl_pss_params params = {KL_HASH_SHA256, KL_PSS_SALT_HASH_LEN, 0, 0};
  const kl_pss_params no_salt = {KL_HASH_SHA256, 0, 0, 0};
  uint8_t S1[128], S2[128];
  size_t l1 = sizeof S1, l2 = sizeof S2;
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, &rng, S1, &l1, (const uint8_t *)"m", 1), KL_OK);
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, &rng, S2, &l2, (const uint8_t *)"m", 1), KL_OK);
  ck_assert(memcmp(S1, S2, 128) != 0);
  /* With sLen = 0, PSS is deterministic. */
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &no_salt, &rng, S1, &l1, (const uint8_t *)"m", 1), KL_OK);
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &no_salt, &rng, S2, &l2, (const uint8_t *)"m", 1), KL_OK);
  ck_assert(memcmp(S1, S2, 128) == 0);
}
END_TEST

/* MGF1 with its own hash, and KL_PSS_SALT_ANY with a minimum (what a key
 * restricted to RSASSA-PSS asks, RFC 4055 §3.1). The interop suite checks
 * the same against openssl; here the rules themselves. */
START_TEST(pss_mgf_hash_and_any_salt)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 21);
  const kl_pss_params sign = {KL_HASH_SHA256, 40, KL_HASH_SHA1, 0};
  uint8_t S[128];
  size_t len = sizeof S;
  const uint8_t *m = (const uint8_t *)"msg";
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &sign, &rng, S, &len, m, 3), KL_OK);
  ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &sign, m, 3, S, len), KL_OK);
  /* MGF1 with the message hash is another signature scheme. */
  const kl_pss_params same_mgf = {KL_HASH_SHA256, 40, 0, 0};
  ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &same_mgf, m, 3, S, len), KL_ERR_VERIFY);
  /* Any salt from 0, 32, 40 up accepts the 40-octet salt; from 41 it does not. */
  static const size_t mins[] = {0, 32, 40};
  for (size_t i = 0; i < 3; i++) {
    const kl_pss_params any = {KL_HASH_SHA256, KL_PSS_SALT_ANY, KL_HASH_SHA1, mins[i]};
    ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &any, m, 3, S, len), KL_OK);
  }
  const kl_pss_params too_long = {KL_HASH_SHA256, KL_PSS_SALT_ANY, KL_HASH_SHA1, 41};
  ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &too_long, m, 3, S, len), KL_ERR_VERIFY);
  const kl_pss_params huge = {KL_HASH_SHA256, KL_PSS_SALT_ANY, KL_HASH_SHA1, 100000};
  ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &huge, m, 3, S, len), KL_ERR_VERIFY);
  /* A signer picks its salt length; an unknown MGF1 hash is refused. */
  const kl_pss_params any_sign = {KL_HASH_SHA256, KL_PSS_SALT_ANY, 0, 20};
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &any_sign, &rng, S, &len, m, 3), KL_ERR_ARG);
  const kl_pss_params bad_mgf = {KL_HASH_SHA256, 20, (kl_hash_alg)99, 0};
  ck_assert_int_eq(kl_rsa_pss_verify(&pub1, &bad_mgf, m, 3, S, len), KL_ERR_UNSUPPORTED);
}
END_TEST

/* Encode a valid EM for key1 (emBits 1023, emLen 128) with SHA-256, sLen 32. */
static void valid_em(uint8_t EM[128], th_prng *p)
{
  kl_rng rng;
  th_prng_rng(&rng, p);
  const kl_pss_params params = {KL_HASH_SHA256, 32, 0, 0};
  ck_assert_int_eq(kl_rsa_pss_encode(&params, &rng, NULL, EM, 128, 1023, (const uint8_t *)"msg", 3),
                   KL_OK);
  ck_assert_int_eq(kl_rsa_pss_verify_em(&params, NULL, (const uint8_t *)"msg", 3, EM, 128, 1023),
                   KL_OK);
}

START_TEST(pss_each_check)
{
  const kl_pss_params params = {KL_HASH_SHA256, 32, 0, 0};
  const size_t emLen = 128, hLen = 32, sLen = 32;
  const size_t dbLen = emLen - hLen - 1, psLen = emLen - sLen - hLen - 2;
  th_prng p;
  th_prng_init(&p, 13);
  uint8_t EM[128];
  /* Flipping maskedDB octet i flips DB octet i (dbMask depends on H only), so
   * each flip below breaks exactly one check of §9.1.2. */
  struct {
    size_t pos;
    uint8_t flip;
    const char *what;
  } cases[] = {
    {emLen - 1, 0x01, "step 4: last octet not 0xbc"},
    {0, 0x80, "step 6: leftmost bit of maskedDB set"},
    {3, 0x10, "step 10: nonzero octet in PS"},
    {psLen, 0x03, "step 10: 0x01 separator changed"},
    {psLen + 1 + 5, 0x01, "step 14: salt changed, H' != H"},
    {dbLen + 7, 0x01, "step 14: H changed"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    valid_em(EM, &p);
    EM[cases[i].pos] ^= cases[i].flip;
    ck_assert_msg(kl_rsa_pss_verify_em(&params, NULL, (const uint8_t *)"msg", 3, EM, emLen, 1023) ==
                    KL_ERR_VERIFY,
                  "%s", cases[i].what);
  }
  /* Step 3: emLen < hLen + sLen + 2. */
  valid_em(EM, &p);
  const kl_pss_params huge_salt = {KL_HASH_SHA256, 95, 0, 0};
  ck_assert_int_eq(
    kl_rsa_pss_verify_em(&huge_salt, NULL, (const uint8_t *)"msg", 3, EM, emLen, 1023),
    KL_ERR_VERIFY);
  /* Arguments. */
  ck_assert_int_eq(kl_rsa_pss_verify_em(&params, NULL, (const uint8_t *)"msg", 3, EM, emLen, 1000),
                   KL_ERR_ARG);
  const kl_pss_params bad = {(kl_hash_alg)99, 0, 0, 0};
  ck_assert_int_eq(kl_rsa_pss_verify_em(&bad, NULL, (const uint8_t *)"msg", 3, EM, emLen, 1023),
                   KL_ERR_UNSUPPORTED);
}
END_TEST

/* Flip one byte of S at every position; cut and extend S; S >= n. */
static void signature_tampering(const kl_rsa_pub *pub, const uint8_t *S, size_t k,
                                kl_err (*verify)(const kl_rsa_pub *, const uint8_t *, size_t,
                                                 const uint8_t *, size_t))
{
  uint8_t T[520];
  memcpy(T, S, k);
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, T, k), KL_OK);
  for (size_t i = 0; i < k; i++) {
    T[i] ^= 0x5a;
    ck_assert_msg(verify(pub, (const uint8_t *)"msg", 3, T, k) == KL_ERR_VERIFY, "pos %zu", i);
    T[i] ^= 0x5a;
  }
  /* Wrong lengths: k - 1, k + 1 (a leading zero added), 0. */
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, T + 1, k - 1), KL_ERR_VERIFY);
  uint8_t U[521];
  U[0] = 0;
  memcpy(U + 1, S, k);
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, U, k + 1), KL_ERR_VERIFY);
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, T, 0), KL_ERR_VERIFY);
  /* s = n and s = 256^k - 1: out of range, invalid. */
  ck_assert_int_eq(kl_i2osp(T, k, pub->n), KL_OK);
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, T, k), KL_ERR_VERIFY);
  memset(T, 0xff, k);
  ck_assert_int_eq(verify(pub, (const uint8_t *)"msg", 3, T, k), KL_ERR_VERIFY);
}

static kl_err pss_verify_sha256(const kl_rsa_pub *pub, const uint8_t *M, size_t mLen,
                                const uint8_t *S, size_t len)
{
  const kl_pss_params params = {KL_HASH_SHA256, KL_PSS_SALT_HASH_LEN, 0, 0};
  return kl_rsa_pss_verify(pub, &params, M, mLen, S, len);
}

static kl_err v15_verify_sha256(const kl_rsa_pub *pub, const uint8_t *M, size_t mLen,
                                const uint8_t *S, size_t len)
{
  return kl_rsa_pkcs1v15_verify(pub, KL_HASH_SHA256, M, mLen, S, len);
}

START_TEST(signature_tampering_pss)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 14);
  const kl_pss_params params = {KL_HASH_SHA256, KL_PSS_SALT_HASH_LEN, 0, 0};
  uint8_t S[129];
  size_t len = sizeof S;
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, &rng, S, &len, (const uint8_t *)"msg", 3),
                   KL_OK);
  signature_tampering(&pub1, S, len, pss_verify_sha256);
  len = sizeof S;
  ck_assert_int_eq(kl_rsa_pss_sign(&key2, &params, &rng, S, &len, (const uint8_t *)"msg", 3),
                   KL_OK);
  ck_assert_uint_eq(len, 129);
  signature_tampering(&pub2, S, len, pss_verify_sha256);
}
END_TEST

START_TEST(signature_tampering_v15)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 15);
  uint8_t S[129];
  size_t len = sizeof S;
  ck_assert_int_eq(
    kl_rsa_pkcs1v15_sign(&key1, KL_HASH_SHA256, &rng, S, &len, (const uint8_t *)"msg", 3), KL_OK);
  signature_tampering(&pub1, S, len, v15_verify_sha256);
  /* The other hash's DigestInfo does not match. */
  ck_assert_int_eq(kl_rsa_pkcs1v15_verify(&pub1, KL_HASH_SHA1, (const uint8_t *)"msg", 3, S, len),
                   KL_ERR_VERIFY);
}
END_TEST

START_TEST(v15_encoding_layout)
{
  /* §9.2 step 5 byte by byte, for SHA-256 and emLen 128:
   *   00 01 ff*(128-51-3) 00 || 3031300d060960864801650304020105000420 || H. */
  uint8_t EM[128], H[32];
  ck_assert_int_eq(kl_rsa_pkcs1v15_encode(KL_HASH_SHA256, EM, sizeof EM, (const uint8_t *)"abc", 3),
                   KL_OK);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA256, H, (const uint8_t *)"abc", 3), KL_OK);
  ck_assert_uint_eq(EM[0], 0x00);
  ck_assert_uint_eq(EM[1], 0x01);
  for (size_t i = 2; i < 128 - 51 - 1; i++)
    ck_assert_uint_eq(EM[i], 0xff);
  ck_assert_uint_eq(EM[128 - 51 - 1], 0x00);
  th_assert_hex(EM + 128 - 51, 19, "3031300d060960864801650304020105000420");
  ck_assert(memcmp(EM + 128 - 32, H, 32) == 0);
  /* emLen < tLen + 11: "intended encoded message length too short". */
  ck_assert_int_eq(kl_rsa_pkcs1v15_encode(KL_HASH_SHA256, EM, 61, (const uint8_t *)"abc", 3),
                   KL_ERR_LEN);
  ck_assert_int_eq(kl_rsa_pkcs1v15_encode(KL_HASH_SHA256, EM, 62, (const uint8_t *)"abc", 3),
                   KL_OK);
  ck_assert_int_eq(kl_rsa_pkcs1v15_encode((kl_hash_alg)9, EM, 128, (const uint8_t *)"abc", 3),
                   KL_ERR_UNSUPPORTED);
}
END_TEST

START_TEST(v15_never_parses)
{
  /* EM = 00 01 ff*8 00 || T || garbage: a lax parser that finds T after the
   * first zero and ignores the rest accepts it; rebuilding EM' does not. */
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 16);
  uint8_t EM[128], S[128];
  ck_assert_int_eq(kl_rsa_pkcs1v15_encode(KL_HASH_SHA256, EM, sizeof EM, (const uint8_t *)"abc", 3),
                   KL_OK);
  uint8_t forged[128];
  memset(forged, 0, sizeof forged);
  forged[1] = 0x01;
  memset(forged + 2, 0xff, 8);
  memcpy(forged + 11, EM + 128 - 51, 51); /* T right after a short PS */
  th_prng_bytes(&p, forged + 11 + 51, 128 - 11 - 51);
  ck_assert_int_eq(kl_rsa_private_octets(&key1, &rng, S, forged, sizeof forged), KL_OK);
  ck_assert_int_eq(
    kl_rsa_pkcs1v15_verify(&pub1, KL_HASH_SHA256, (const uint8_t *)"abc", 3, S, sizeof S),
    KL_ERR_VERIFY);
  /* While the same private operation on the real EM verifies. */
  ck_assert_int_eq(kl_rsa_private_octets(&key1, &rng, S, EM, sizeof EM), KL_OK);
  ck_assert_int_eq(
    kl_rsa_pkcs1v15_verify(&pub1, KL_HASH_SHA256, (const uint8_t *)"abc", 3, S, sizeof S), KL_OK);
}
END_TEST

START_TEST(sign_arguments)
{
  th_prng p;
  kl_rng rng;
  th_prng_rng_init(&rng, &p, 17);
  const kl_pss_params params = {KL_HASH_SHA256, KL_PSS_SALT_HASH_LEN, 0, 0};
  uint8_t S[128];
  size_t len = 127;
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, &rng, S, &len, (const uint8_t *)"m", 1),
                   KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(len, 128);
  len = 127;
  ck_assert_int_eq(
    kl_rsa_pkcs1v15_sign(&key1, KL_HASH_SHA256, &rng, S, &len, (const uint8_t *)"m", 1),
    KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(len, 128);
  len = sizeof S;
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, NULL, &rng, S, &len, (const uint8_t *)"m", 1),
                   KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, NULL, S, &len, (const uint8_t *)"m", 1),
                   KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pss_sign(&key1, &params, &rng, S, &len, NULL, 1), KL_ERR_ARG);
  ck_assert_int_eq(
    kl_rsa_pkcs1v15_sign(&key1, (kl_hash_alg)99, &rng, S, &len, (const uint8_t *)"m", 1),
    KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_rsa_pkcs1v15_verify(NULL, KL_HASH_SHA256, (const uint8_t *)"m", 1, S, 128),
                   KL_ERR_ARG);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("pss");
  TCase *tc = tcase_create("pss");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, pss_int_trace);
  tcase_add_test(tc, pss_sign_verify_traced);
  tcase_add_test(tc, pss_round_trips);
  tcase_add_test(tc, pss_salt_is_random);
  tcase_add_test(tc, pss_each_check);
  tcase_add_test(tc, signature_tampering_pss);
  tcase_add_test(tc, signature_tampering_v15);
  tcase_add_test(tc, v15_encoding_layout);
  tcase_add_test(tc, v15_never_parses);
  tcase_add_test(tc, sign_arguments);
  tcase_add_test(tc, pss_mgf_hash_and_any_salt);
  suite_add_tcase(s, tc);
  return s;
}
