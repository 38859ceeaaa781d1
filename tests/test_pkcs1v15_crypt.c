/* test_pkcs1v15_crypt.c: RSAES-PKCS1-v1_5 (RFC 8017 §7.2) at the library's
 * edges, beside the known answers of tests/test_pkcs1vec.c (the package's
 * pkcs1v15crypt-vectors.txt and the implicit-rejection vectors): round trips
 * at every message length; PS is never zero, even from a generator that
 * draws zeros; the length limit; arguments and buffers; and every kind of
 * malformed EM (first octet, block type, short PS, no separator), built with
 * the raw RSA operation, is the one KL_ERR_DECRYPT when strict and a stable
 * synthetic message under implicit rejection. The key is key 1 of the
 * package's pkcs1v15crypt-vectors.txt (1024 bits). */
#include <gmp.h>
#include <string.h>

#include "kexlab/numtheory.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "kexlab/rsa.h"
#include "test_util.h"
#include "vec_pkcs1.h"

#define VECT "pkcs1/pkcs1v15crypt-vectors.txt"
#define K 128

static kl_rsa_priv key;
static kl_rsa_pub pub;

static void setup(void)
{
  ck_assert_int_eq(kl_init(), KL_OK);
  kl_rsa_priv_init(&key);
  ck_assert_int_eq(vec_pkcs1_load_key(th_vector_path(VECT), 1, &key), 0);
  ck_assert_uint_eq(kl_rsa_modulus_len(key.n), K);
  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &key);
}

static void teardown(void)
{
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
}

/* A generator that gives zero octets every other draw: PS must skip them. */
static kl_err zeros_fill(void *state, uint8_t *out, size_t len)
{
  unsigned *n = state;
  for (size_t i = 0; i < len; i++)
    out[i] = (++*n % 2) ? 0x00 : (uint8_t)(*n % 251 + 1);
  return KL_OK;
}

/* c = EM^e mod n, C = I2OSP(c, k): a ciphertext of any EM, as an attacker makes one. */
static void raw_encrypt(uint8_t *C, const uint8_t *EM)
{
  mpz_t m, c;
  mpz_inits(m, c, NULL);
  kl_os2ip(m, EM, K);
  ck_assert_int_eq(kl_rsa_public(&pub, c, m), KL_OK);
  ck_assert_int_eq(kl_i2osp(C, K, c), KL_OK);
  mpz_clears(m, c, NULL);
}

START_TEST(round_trips)
{
  kl_rng rng;
  kl_rng_os(&rng);
  uint8_t M[K], C[K], out[K];
  for (size_t i = 0; i < sizeof M; i++)
    M[i] = (uint8_t)(i * 37 + 1);
  for (size_t mLen = 0; mLen <= K - 11; mLen += (mLen < 4 || mLen > K - 16) ? 1 : 9) {
    size_t cLen = sizeof C, outLen = sizeof out;
    ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, &rng, NULL, C, &cLen, M, mLen), KL_OK);
    ck_assert_uint_eq(cLen, K);
    ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &outLen, C, cLen),
                     KL_OK);
    ck_assert_uint_eq(outLen, mLen);
    ck_assert(mLen == 0 || memcmp(out, M, mLen) == 0);
    outLen = sizeof out;
    ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &outLen, C, cLen), KL_OK);
    ck_assert_uint_eq(outLen, mLen);
    ck_assert(mLen == 0 || memcmp(out, M, mLen) == 0);
  }
}
END_TEST

START_TEST(ps_never_zero)
{
  unsigned n = 0;
  kl_rng rng = {zeros_fill, &n};
  uint8_t EM[K];
  ck_assert_int_eq(kl_rsa_eme_pkcs1v15_encode(&rng, EM, K, (const uint8_t *)"hi", 2), KL_OK);
  ck_assert_uint_eq(EM[0], 0x00);
  ck_assert_uint_eq(EM[1], 0x02);
  for (size_t i = 2; i < K - 3; i++)
    ck_assert_uint_ne(EM[i], 0x00);
  ck_assert_uint_eq(EM[K - 3], 0x00);
  ck_assert(memcmp(EM + K - 2, "hi", 2) == 0);
  uint8_t out[K];
  size_t outLen = sizeof out;
  ck_assert_int_eq(kl_rsa_eme_pkcs1v15_decode(out, &outLen, EM, K), KL_OK);
  ck_assert_uint_eq(outLen, 2);
}
END_TEST

START_TEST(lengths_and_arguments)
{
  kl_rng rng;
  kl_rng_os(&rng);
  uint8_t M[K] = {0}, C[K], out[K];
  size_t cLen = sizeof C, outLen = sizeof out;
  /* §7.2.1 step 1: at most k - 11 octets. */
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, &rng, NULL, C, &cLen, M, K - 10), KL_ERR_LEN);
  ck_assert_int_eq(kl_rsa_eme_pkcs1v15_encode(&rng, out, K, M, K - 10), KL_ERR_LEN);
  cLen = K - 1;
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, &rng, NULL, C, &cLen, M, 4), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(cLen, K);
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(NULL, &rng, NULL, C, &cLen, M, 4), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, NULL, NULL, C, &cLen, M, 4), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, &rng, NULL, C, &cLen, NULL, 4), KL_ERR_ARG);
  cLen = sizeof C;
  ck_assert_int_eq(kl_rsa_pkcs1v15_encrypt(&pub, &rng, NULL, C, &cLen, M, 4), KL_OK);
  /* Decryption: the output must hold k - 11 octets, whatever C holds. */
  outLen = K - 12;
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &outLen, C, K),
                   KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(outLen, K - 11);
  outLen = K - 12;
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &outLen, C, K),
                   KL_ERR_BUF_TOO_SMALL);
  outLen = sizeof out;
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(NULL, &rng, NULL, out, &outLen, C, K), KL_ERR_ARG);
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, NULL, NULL, out, &outLen, C, K), KL_ERR_ARG);
  /* Public facts are errors even under implicit rejection: wrong length, C >= n. */
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &outLen, C, K - 1),
                   KL_ERR_DECRYPT);
  uint8_t N[K];
  ck_assert_int_eq(kl_i2osp(N, K, key.n), KL_OK);
  outLen = sizeof out;
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &outLen, N, K), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &outLen, N, K),
                   KL_ERR_DECRYPT);
}
END_TEST

START_TEST(malformed_paddings)
{
  kl_rng rng;
  kl_rng_os(&rng);
  const uint8_t M[] = "the session key, 32 octets long!";
  uint8_t good[K];
  unsigned n = 1;
  kl_rng nz = {zeros_fill, &n};
  ck_assert_int_eq(kl_rsa_eme_pkcs1v15_encode(&nz, good, K, M, 32), KL_OK);
  /* Each edit breaks one rule of §7.2.2 step 3. */
  static const struct {
    const char *what;
    size_t at;
    uint8_t v;
  } edits[] = {
    {"first octet 01", 0, 0x01},    {"block type 01", 1, 0x01},  {"block type 00", 1, 0x00},
    {"block type 03", 1, 0x03},     {"PS of 0 octets", 2, 0x00}, {"PS of 7 octets", 9, 0x00},
    {"no separator", K - 33, 0x5a},
  };
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    uint8_t EM[K], C[K], out[K], out2[K];
    memcpy(EM, good, K);
    EM[edits[i].at] = edits[i].v;
    size_t outLen = sizeof out;
    ck_assert_msg(kl_rsa_eme_pkcs1v15_decode(out, &outLen, EM, K) == KL_ERR_DECRYPT, "%s",
                  edits[i].what);
    raw_encrypt(C, EM);
    outLen = sizeof out;
    ck_assert_msg(kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &outLen, C, K) ==
                    KL_ERR_DECRYPT,
                  "%s", edits[i].what);
    outLen = sizeof out;
    ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out, &outLen, C, K), KL_OK);
    ck_assert_uint_le(outLen, K - 11);
    size_t outLen2 = sizeof out2;
    ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt(&key, &rng, NULL, out2, &outLen2, C, K), KL_OK);
    ck_assert_uint_eq(outLen, outLen2);
    ck_assert_msg(memcmp(out, out2, outLen) == 0, "%s: the synthetic message changed",
                  edits[i].what);
    ck_assert_msg(outLen != 32 || memcmp(out, M, 32) != 0, "%s: the message came through",
                  edits[i].what);
  }
  /* The edge that is valid: PS of exactly 8 octets. */
  uint8_t EM[K], C[K], out[K];
  memset(EM, 0x11, K);
  EM[0] = 0x00;
  EM[1] = 0x02;
  EM[10] = 0x00;
  raw_encrypt(C, EM);
  size_t outLen = sizeof out;
  ck_assert_int_eq(kl_rsa_pkcs1v15_decrypt_strict(&key, &rng, NULL, out, &outLen, C, K), KL_OK);
  ck_assert_uint_eq(outLen, K - 11);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("pkcs1v15_crypt");
  TCase *tc = tcase_create("rsaes-pkcs1-v1_5");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, round_trips);
  tcase_add_test(tc, ps_never_zero);
  tcase_add_test(tc, lengths_and_arguments);
  tcase_add_test(tc, malformed_paddings);
  suite_add_tcase(s, tc);
  return s;
}
