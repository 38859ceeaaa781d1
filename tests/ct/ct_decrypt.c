/* ct_decrypt.c: RSAES-OAEP decryption (RFC 8017 §7.1.2) and RSAES-PKCS1-v1_5
 * decryption (§7.2.2, strict and with implicit rejection), from the
 * ciphertext to the one error, make no branch and no memory access that depends on the
 * private key, the blinding or the decrypted block EM. Run under
 * `valgrind --tool=memcheck --error-exitcode=1` (suite 'ct'): the key is
 * marked undefined as in ct_rsa.c, the generator marks every octet it gives
 * the blinding undefined, and kl_rsa_oaep_decrypt runs whole: the private
 * operation (CRT, blinding, fault check), the conversion of its result to
 * k octets (kli_rsa_decrypt_primitive_fixed: from the limbs, at the fixed
 * length, never declassified), the decoding of step 3 and the decision.
 * The library declassifies the fault-check verdict, t = r*s, the
 * rejection-sampling verdicts, and then only OAEP's verdict and, for a valid
 * block, where M starts. The run must show 0 errors.
 * Cases: a valid C, a C whose EM has Y = 1, a C under another label, and a C
 * whose EM has no 0x01 separator (built with the public key: EM is chosen,
 * then encrypted), for SHA-256 on a 2048-bit key. PKCS#1 v1.5: a valid C
 * and one whose EM has each kind of bad padding (first octet, block type,
 * a PS of 7 octets, no zero separator), through kl_rsa_pkcs1v15_decrypt_strict
 * (the verdict and the length declassified, nothing else) and
 * kl_rsa_pkcs1v15_decrypt (only the output's length declassified: implicit
 * rejection never reveals the verdict; the KDK is derived from d's limbs at
 * the fixed length k).
 * With "leaky" it also converts the undefined result the way the private
 * operation used to (an integer normalised by its value, then I2OSP), which
 * must make memcheck fail (run through ct/expect_leak.sh). Not a Check
 * suite: one process. */
#include <gmp.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "kexlab/kexlab.h"
#include "kexlab/oaep.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "rsa/rsa_internal.h"

#include "../common/splitmix64.h" /* a fixed, NON-secure generator: reproducible runs */

static kl_err fill_secret(void *state, uint8_t *out, size_t len)
{
  kl_err err = th_splitmix64_fill(state, out, len);
  VALGRIND_MAKE_MEM_UNDEFINED(out, len);
  return err;
}

static void mark(const mpz_t x, int secret)
{
  size_t n = mpz_size(x);
  const mp_limb_t *xp = mpz_limbs_read(x);
  if (secret)
    VALGRIND_MAKE_MEM_UNDEFINED(xp, n * sizeof(mp_limb_t));
  else
    VALGRIND_MAKE_MEM_DEFINED(xp, n * sizeof(mp_limb_t));
}

/* A prime: secret except its top limb and lowest byte (see ct_rsa.c). */
static void mark_prime(const mpz_t x)
{
  size_t n = mpz_size(x);
  const mp_limb_t *xp = mpz_limbs_read(x);
  VALGRIND_MAKE_MEM_UNDEFINED(xp, n * sizeof(mp_limb_t));
  VALGRIND_MAKE_MEM_DEFINED(xp + n - 1, sizeof(mp_limb_t));
  VALGRIND_MAKE_MEM_DEFINED(xp, 1);
}

/* C = RSAEP(EM) for a chosen k-octet EM (public work). */
static int encrypt_raw(const kl_rsa_pub *pub, uint8_t *C, const uint8_t *EM, size_t k)
{
  return kl_rsa_public_octets(pub, C, EM, k) == KL_OK ? 0 : 1;
}

/* EM = 00 || 02 || PS || 00 || M (RFC 8017 §7.2.1 step 2), PS of psLen
 * non-zero octets, then one defect: 0 none, 1 the first octet, 2 the block
 * type, 3 no zero separator (PS runs to the end). */
static void v15_block(uint8_t *EM, size_t k, const uint8_t *M, size_t mLen, size_t psLen,
                      int defect)
{
  memset(EM, 0x5a, k);
  EM[0] = defect == 1 ? 0x01 : 0x00;
  EM[1] = defect == 2 ? 0x01 : 0x02;
  if (defect == 3)
    return;
  EM[2 + psLen] = 0x00;
  memcpy(EM + 3 + psLen, M, mLen);
}

/* The PKCS#1 v1.5 cases: C[0] valid, then each defect; want[i] is the strict
 * form's answer. Returns the number of wrong answers. */
static int run_v15(const kl_rsa_priv *key, const kl_rng *blind_rng, uint8_t C[][256],
                   const uint8_t *M, size_t mLen)
{
  static const kl_err want[5] = {KL_OK, KL_ERR_DECRYPT, KL_ERR_DECRYPT, KL_ERR_DECRYPT,
                                 KL_ERR_DECRYPT};
  int failures = 0;
  for (int i = 0; i < 5; i++) {
    uint8_t out[256];
    size_t outLen = sizeof out;
    kl_err err = kl_rsa_pkcs1v15_decrypt_strict(key, blind_rng, NULL, out, &outLen, C[i], 256);
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out); /* the test's own look at M */
    if (err != want[i] || (err == KL_OK && (outLen != mLen || memcmp(out, M, mLen) != 0))) {
      fprintf(stderr, "ct_decrypt: PKCS#1 v1.5 strict case %d gave %s\n", i, kl_strerror(err));
      failures++;
    }
    outLen = sizeof out;
    err = kl_rsa_pkcs1v15_decrypt(key, blind_rng, NULL, out, &outLen, C[i], 256);
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
    if (err != KL_OK || (i == 0 && (outLen != mLen || memcmp(out, M, mLen) != 0))) {
      fprintf(stderr, "ct_decrypt: PKCS#1 v1.5 case %d gave %s\n", i, kl_strerror(err));
      failures++;
    }
  }
  return failures;
}

int main(int argc, char **argv)
{
  int leaky = argc > 1 && strcmp(argv[1], "leaky") == 0;
  if (kl_init() != KL_OK)
    return 2;
  uint64_t seed = 8017, blind_seed = 71;
  kl_rng rng = {th_splitmix64_fill, &seed};
  kl_rng blind_rng = {fill_secret, &blind_seed};
  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  if (kl_rsa_keygen(&key, &rng, 2048, NULL, 0, NULL) != KL_OK)
    return 2;
  kl_rsa_priv_to_pub(&pub, &key);
  enum {
    K = 256
  };
  const uint8_t M[] = "the AES key, 32 octets long.....";
  const uint8_t L[] = "label";
  const kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, L, 5};
  const kl_oaep_params other = {KL_HASH_SHA256, KL_HASH_SHA256, L, 4};
  uint8_t C[4][K], EM[K], V[5][K];
  size_t cLen = K;
  int setup = kl_rsa_oaep_encrypt(&pub, &params, &rng, NULL, C[0], &cLen, M, 32) != KL_OK;
  /* Y = 1: a valid encoding with its first octet changed. */
  setup |= kl_rsa_oaep_encode(&params, &rng, NULL, EM, K, M, 32) != KL_OK;
  EM[0] = 0x01;
  setup |= encrypt_raw(&pub, C[1], EM, K);
  /* Another label. */
  cLen = K;
  setup |= kl_rsa_oaep_encrypt(&pub, &other, &rng, NULL, C[2], &cLen, M, 32) != KL_OK;
  /* No separator: EM = 00 || 255 octets of 0x42 (garbage after unmasking). */
  memset(EM, 0x42, K);
  EM[0] = 0x00;
  setup |= encrypt_raw(&pub, C[3], EM, K);
  /* PKCS#1 v1.5: valid (PS of 8 + 205 octets), then the defects of
   * v15_block, and a PS of 7 octets (shorter than §7.2.2 step 3 allows). */
  const size_t v15_mLen = 32, v15_ps = K - 3 - 32;
  v15_block(EM, K, M, v15_mLen, v15_ps, 0);
  setup |= encrypt_raw(&pub, V[0], EM, K);
  v15_block(EM, K, M, v15_mLen, v15_ps, 1);
  setup |= encrypt_raw(&pub, V[1], EM, K);
  v15_block(EM, K, M, v15_mLen, v15_ps, 2);
  setup |= encrypt_raw(&pub, V[2], EM, K);
  v15_block(EM, K, M, v15_mLen, v15_ps, 3);
  setup |= encrypt_raw(&pub, V[3], EM, K);
  uint8_t longM[K];
  memset(longM, 0x6d, sizeof longM);
  v15_block(EM, K, longM, K - 3 - 7, 7, 0);
  setup |= encrypt_raw(&pub, V[4], EM, K);
  if (setup)
    return 2;

  mark(key.d, 1);
  mark_prime(key.p);
  mark_prime(key.q);
  mark(key.dP, 1);
  mark(key.dQ, 1);
  mark(key.qInv, 1);

  int failures = 0;
  static const kl_err want[4] = {KL_OK, KL_ERR_DECRYPT, KL_ERR_DECRYPT, KL_ERR_DECRYPT};
  for (int i = 0; i < 4; i++) {
    uint8_t out[K];
    size_t outLen = sizeof out;
    kl_err err = kl_rsa_oaep_decrypt(&key, &params, &blind_rng, NULL, out, &outLen, C[i], K);
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out); /* the test's own look at M */
    if (err != want[i] || (err == KL_OK && (outLen != 32 || memcmp(out, M, 32) != 0))) {
      fprintf(stderr, "ct_decrypt: case %d gave %s\n", i, kl_strerror(err));
      failures++;
    }
  }
  failures += run_v15(&key, &blind_rng, V, M, v15_mLen);
  if (leaky) {
    /* The old conversion: an integer sized by its value, then I2OSP. */
    if (kli_rsa_decrypt_primitive_fixed(&key, &blind_rng, EM, C[0], K) == KL_OK) {
      mpz_t m;
      mpz_init(m);
      kl_os2ip(m, EM, K); /* normalises: branches on the top octets */
      if (kl_i2osp(EM, K, m) != KL_OK)
        failures++;
      mpz_clear(m);
    }
  }
  mark(key.d, 0);
  mark(key.p, 0);
  mark(key.q, 0);
  mark(key.dP, 0);
  mark(key.dQ, 0);
  mark(key.qInv, 0);
  kl_rsa_pub_clear(&pub);
  kl_rsa_priv_clear(&key);
  printf("ct_decrypt: 4 OAEP and 10 PKCS#1 v1.5 decryptions from C to the verdict, %d wrong\n",
         failures);
  return failures ? 3 : 0; /* 1 is memcheck's --error-exitcode */
}
