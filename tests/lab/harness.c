/* harness.c: a stand-in for a course lab harness. It is built OUTSIDE the
 * project's build, against the installed library, with nothing but
 *   cc harness.c $(pkg-config --cflags --libs kexlab)
 * so it proves that the public headers, libkexlab and kexlab.pc are enough.
 * It prints one "name value" line per result; test_lab_harness.sh compares
 * them with values from the standards (not values kexlab made). */
#include <stdio.h>
#include <string.h>

#include <kexlab/kexlab.h>

static void print_hex(const char *name, const uint8_t *p, size_t n)
{
  printf("%s ", name);
  for (size_t i = 0; i < n; i++)
    printf("%02x", p[i]);
  printf("\n");
}

int main(void)
{
  if (kl_init() != KL_OK)
    return 1;
  printf("version %s\n", kl_version());

  /* FIPS 180-4 example: SHA-256("abc"). */
  uint8_t md[KL_SHA256_DIGEST_BYTES];
  kl_sha256(md, (const uint8_t *)"abc", 3);
  print_hex("sha256-abc", md, sizeof md);

  /* Wikipedia's RSA example: p = 61, q = 53, e = 17; m = 65 encrypts to 2790. */
  mpz_t p, q, e, m, c, back;
  mpz_inits(p, q, e, m, c, back, NULL);
  mpz_set_ui(p, 61);
  mpz_set_ui(q, 53);
  mpz_set_ui(e, 17);
  mpz_set_ui(m, 65);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  int rc = 1;
  if (kl_rsa_priv_from_pqe(&key, p, q, e, KL_RSA_KEYGEN_PHI, NULL) != KL_OK)
    goto out;
  kl_rsa_priv_to_pub(&pub, &key);
  if (kl_rsa_public(&pub, c, m) != KL_OK)
    goto out;
  gmp_printf("rsa3233-d %Zd\nrsa3233-c %Zd\n", key.d, c);

  /* A seeded run is reproducible: the same seed twice gives the same bytes. */
  kl_hmac_drbg d1, d2;
  kl_rng r1, r2;
  uint8_t seed[1] = {0x42}, a[16], b[16];
  if (kl_rng_seeded(&r1, &d1, seed, 1) != KL_OK || kl_rng_seeded(&r2, &d2, seed, 1) != KL_OK ||
      kl_rng_fill(&r1, a, 16) != KL_OK || kl_rng_fill(&r2, b, 16) != KL_OK)
    goto out;
  printf("seeded-reproducible %s\n", memcmp(a, b, 16) == 0 ? "yes" : "no");
  kl_hmac_drbg_clear(&d1);
  kl_hmac_drbg_clear(&d2);

  /* Errors are values, never aborts: a bad key length. */
  kl_aes_key k;
  uint8_t key7[7] = {0};
  printf("aes-bad-key %s\n", kl_err_name(kl_aes_init(&k, KL_AES_IMPL_TTABLE, key7, 7)));
  rc = 0;
out:
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  mpz_clears(p, q, e, m, c, back, NULL);
  return rc;
}
