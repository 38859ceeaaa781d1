/* fuzz_cbc.c: PKCS#7 unpadding (RFC 5652 §6.3) and CBC open
 * (NIST SP 800-38A §6.2; src/modes), under a fixed AES-256 key.
 * Input: a byte choosing the AES implementation, then the data.
 * Properties:
 *  - differential, unpadding: kl_pkcs7_unpad_len and the plain check below
 *    (the last octet n is 1..16 and the last n octets all equal n) accept the
 *    same buffers and give the same length;
 *  - differential, open: kl_cbc_open of IV || C equals the plain composition
 *    of kl_cbc_decrypt and the plain check; every refusal is the one
 *    KL_ERR_DECRYPT, and out is wiped after it;
 *  - round trip: the data sealed (kl_cbc_seal, seeded IV) opens to the data;
 *  - the implementations agree: the reference and the T-table cipher open
 *    the same ciphertext to the same plaintext. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/cbc.h"

#define B KL_AES_BLOCK_BYTES

static kl_aes_key keys[3];
static const kl_aes_impl impls[3] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_REF, KL_AES_IMPL_TTABLE1};
static kl_hmac_drbg drbg;
static kl_rng rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  const uint8_t k[32] = "fuzz_cbc: a fixed AES-256 key..";
  for (int i = 0; i < 3; i++)
    fz_require(kl_aes_init(&keys[i], impls[i], k, sizeof k) == KL_OK, "AES key");
  fz_rng(&rng, &drbg, "fuzz_cbc IVs");
  return 0;
}

/* RFC 5652 §6.3 read plainly: 1 and *pt_len, or 0. */
static int plain_unpad(const uint8_t *buf, size_t len, size_t *pt_len)
{
  if (len == 0 || len % B != 0)
    return 0;
  uint8_t n = buf[len - 1];
  if (n < 1 || n > B)
    return 0;
  for (size_t i = len - n; i < len; i++) {
    if (buf[i] != n)
      return 0;
  }
  *pt_len = len - n;
  return 1;
}

static int all_zero(const uint8_t *p, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (p[i] != 0)
      return 0;
  }
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  const kl_aes_key *key = &keys[fz_byte(&in) % 3];
  const uint8_t *d = in.p;
  size_t n = in.n;

  /* Unpadding, on the data as it is. */
  size_t got = 0, want = 0;
  kl_err err = kl_pkcs7_unpad_len(d, n, &got);
  int ok = plain_unpad(d, n, &want);
  fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "unpad: KL_OK or KL_ERR_DECRYPT");
  fz_require((err == KL_OK) == ok, "unpad: library and RFC 5652 §6.3 agree");
  fz_require(!ok || got == want, "unpad: the same length");

  /* Open, on the data as IV || C. */
  uint8_t *out = malloc(n + 1), *plain = malloc(n + 1);
  fz_require(out != NULL && plain != NULL, "memory");
  memset(out, 0x5a, n + 1);
  size_t out_len = n;
  err = kl_cbc_open(key, out, &out_len, d, n);
  fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "open: KL_OK or KL_ERR_DECRYPT");
  int whole = n >= 2 * B && n % B == 0;
  ok = whole;
  if (ok) {
    fz_require(kl_cbc_decrypt(key, d, plain, d + B, n - B) == KL_OK, "decrypt");
    ok = plain_unpad(plain, n - B, &want);
  }
  fz_require((err == KL_OK) == ok, "open: library and decrypt + RFC 5652 agree");
  if (ok) {
    fz_require_eq(out, out_len, plain, want, "open: the same plaintext");
    fz_require(all_zero(out + out_len, n - B - out_len), "open: the padding is wiped");
    /* the other implementations agree */
    for (int i = 0; i < 3; i++) {
      size_t o2 = n;
      fz_require(kl_cbc_open(&keys[i], plain, &o2, d, n) == KL_OK, "open: every cipher");
      fz_require_eq(plain, o2, out, out_len, "open: the implementations agree");
    }
  } else if (whole) {
    fz_require(all_zero(out, n - B), "open: nothing of the plaintext is left after a refusal");
  }

  /* Round trip: seal the data, open it. */
  size_t sealed_len = kl_cbc_sealed_len(n);
  uint8_t *sealed = malloc(sealed_len), *back = malloc(sealed_len);
  fz_require(sealed != NULL && back != NULL, "memory");
  size_t s_len = sealed_len, b_len = sealed_len;
  fz_require(kl_cbc_seal(key, &rng, sealed, &s_len, d, n) == KL_OK, "seal");
  fz_require(s_len == sealed_len, "seal: kl_cbc_sealed_len");
  fz_require(kl_cbc_open(key, back, &b_len, sealed, s_len) == KL_OK, "round trip opens");
  fz_require_eq(back, b_len, d, n, "round trip: the data");
  free(sealed);
  free(back);
  free(out);
  free(plain);
  return 0;
}
