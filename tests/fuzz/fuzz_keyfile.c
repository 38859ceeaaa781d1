/* fuzz_keyfile.c: the key-file reader, through its one public entry point
 * kl_rsa_keyfile_read (src/keyfile): format detection, then PEM, DER
 * (PKCS#1, PKCS#8, SPKI and every other structure the detection knows),
 * .NET XML and JSON, and the validation of what was read. Going through the
 * generic reader, the harness covers each form the detection learns.
 * Input: the file's bytes.
 * Properties, for every file read with KL_OK:
 *  - kf->detail is empty, the format is a known one and holds what was read;
 *  - round trip: written in the detected format (kl_rsa_priv_write or
 *    kl_rsa_pub_write; kl_rsa_*_write_pss for a key restricted to
 *    RSASSA-PSS) and read again, it is the same key (every value, the other
 *    primes of a multi-prime key included) in the same format, with the same
 *    RSASSA-PSS restriction and parameters;
 *  - canonical: what the writer gives is a fixed point (read and written
 *    again, the same bytes).
 * For every refusal: kf->detail names the reason. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/keyfile.h"

static kl_hmac_drbg drbg;
static kl_rng rng;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  fz_rng(&rng, &drbg, "fuzz_keyfile Miller-Rabin bases");
  return 0;
}

static void same_key(const kl_rsa_keyfile *a, const kl_rsa_keyfile *b)
{
  fz_require(a->has_private == b->has_private, "round trip: private or public");
  fz_require(mpz_cmp(a->pub.n, b->pub.n) == 0, "round trip: n");
  fz_require(mpz_cmp(a->pub.e, b->pub.e) == 0, "round trip: e");
  if (!a->has_private)
    return;
  const kl_rsa_priv *x = &a->priv, *y = &b->priv;
  fz_require(mpz_cmp(x->n, y->n) == 0 && mpz_cmp(x->e, y->e) == 0, "round trip: n, e");
  fz_require(mpz_cmp(x->d, y->d) == 0, "round trip: d");
  fz_require(mpz_cmp(x->p, y->p) == 0 && mpz_cmp(x->q, y->q) == 0, "round trip: p, q");
  fz_require(mpz_cmp(x->dP, y->dP) == 0 && mpz_cmp(x->dQ, y->dQ) == 0, "round trip: dP, dQ");
  fz_require(mpz_cmp(x->qInv, y->qInv) == 0, "round trip: qInv");
  fz_require(x->n_other == y->n_other, "round trip: the number of primes");
  for (unsigned i = 0; i < x->n_other; i++) {
    const kl_rsa_prime_info *r = &x->other[i], *s = &y->other[i];
    fz_require(mpz_cmp(r->r, s->r) == 0 && mpz_cmp(r->d, s->d) == 0 && mpz_cmp(r->t, s->t) == 0,
               "round trip: otherPrimeInfos");
  }
}

/* The RSASSA-PSS restriction and its parameters. */
static void same_pss(const kl_pss_key_params *a, const kl_pss_key_params *b)
{
  fz_require(a->restricted == b->restricted, "round trip: id-RSASSA-PSS or rsaEncryption");
  fz_require(a->has_params == b->has_params, "round trip: RSASSA-PSS-params present");
  if (!a->has_params)
    return;
  fz_require(a->hash == b->hash && a->mgf_hash == b->mgf_hash, "round trip: PSS hashes");
  fz_require(a->sLen == b->sLen && a->trailer == b->trailer, "round trip: saltLength, trailer");
}

/* One call of the writer that keeps what kf holds: a key restricted to
 * RSASSA-PSS through kl_rsa_*_write_pss, with its parameters. */
static kl_err write_once(const kl_rsa_keyfile *kf, uint8_t *out, size_t *len)
{
  if (kf->pss.restricted)
    return kf->has_private ? kl_rsa_priv_write_pss(&kf->priv, &kf->pss, kf->format, out, len)
                           : kl_rsa_pub_write_pss(&kf->pub, &kf->pss, kf->format, out, len);
  return kf->has_private ? kl_rsa_priv_write(&kf->priv, kf->format, out, len)
                         : kl_rsa_pub_write(&kf->pub, kf->format, out, len);
}

/* Write kf's key in its own format into a malloc'd buffer; NULL when the
 * writer does not take this key in this format (KL_ERR_UNSUPPORTED). */
static uint8_t *write_key(const kl_rsa_keyfile *kf, size_t *len)
{
  size_t need = 0;
  kl_err err = write_once(kf, NULL, &need);
  if (err == KL_ERR_UNSUPPORTED)
    return NULL;
  fz_require(err == KL_ERR_BUF_TOO_SMALL && need > 0, "the writer gives the size it needs");
  uint8_t *out = malloc(need);
  fz_require(out != NULL, "memory");
  *len = need;
  err = write_once(kf, out, len);
  fz_require(err == KL_OK, "a key just read can be written in its format");
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_err err = kl_rsa_keyfile_read(&kf, data, size, &rng);
  if (err != KL_OK) {
    fz_require(kf.detail[0] != '\0', "a refusal names its reason");
    fz_require(err != KL_ERR_ARG && err != KL_ERR_INTERNAL, "no argument or internal error");
    kl_rsa_keyfile_clear(&kf);
    return 0;
  }
  fz_require(kf.detail[0] == '\0', "detail is empty after KL_OK");
  int holds = kl_key_format_holds_private(kf.format);
  fz_require(holds >= 0, "a known format");
  fz_require(holds == 2 || holds == kf.has_private, "the format holds what was read");

  size_t w1_len = 0, w2_len = 0;
  uint8_t *w1 = write_key(&kf, &w1_len);
  if (w1 != NULL) {
    kl_rsa_keyfile back;
    kl_rsa_keyfile_init(&back);
    fz_require(kl_rsa_keyfile_read(&back, w1, w1_len, &rng) == KL_OK,
               "the written key is read back");
    fz_require(back.format == kf.format, "round trip: the same format");
    same_key(&kf, &back);
    same_pss(&kf.pss, &back.pss);
    uint8_t *w2 = write_key(&back, &w2_len);
    fz_require(w2 != NULL, "written again");
    fz_require_eq(w2, w2_len, w1, w1_len, "canonical: the written form is a fixed point");
    free(w2);
    kl_rsa_keyfile_clear(&back);
    free(w1);
  }
  kl_rsa_keyfile_clear(&kf);
  return 0;
}
