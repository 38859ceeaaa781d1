/* fuzz_util.c: the helpers of fuzz_util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/init.h"

void fz_init(void)
{
  static int done;
  if (done)
    return;
  if (kl_init() != KL_OK) {
    fprintf(stderr, "fuzz: kl_init failed\n");
    abort();
  }
  done = 1;
}

void fz_require(int ok, const char *what)
{
  if (ok)
    return;
  fprintf(stderr, "fuzz: property failed: %s\n", what);
  abort();
}

static void dump(const char *name, const uint8_t *p, size_t n)
{
  fprintf(stderr, "  %s (%zu bytes):", name, n);
  for (size_t i = 0; i < n && i < 96; i++)
    fprintf(stderr, " %02x", p[i]);
  fprintf(stderr, n > 96 ? " ...\n" : "\n");
}

void fz_require_eq(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len, const char *what)
{
  if (a_len == b_len && (a_len == 0 || memcmp(a, b, a_len) == 0))
    return;
  fprintf(stderr, "fuzz: property failed: %s\n", what);
  dump("got", a, a_len);
  dump("expected", b, b_len);
  abort();
}

uint8_t fz_byte(fz_input *in)
{
  if (in->n == 0)
    return 0;
  uint8_t b = in->p[0];
  in->p++;
  in->n--;
  return b;
}

size_t fz_take(fz_input *in, size_t want, const uint8_t **out)
{
  size_t n = want < in->n ? want : in->n;
  *out = in->p;
  in->p += n;
  in->n -= n;
  return n;
}

void fz_rng(kl_rng *rng, kl_hmac_drbg *d, const char *seed)
{
  fz_require(kl_rng_seeded(rng, d, (const uint8_t *)seed, strlen(seed)) == KL_OK,
             "seeded generator");
}

void fz_keygen(kl_rsa_priv *key, unsigned nlen, const char *seed)
{
  kl_hmac_drbg d;
  kl_rng rng;
  fz_rng(&rng, &d, seed);
  fz_require(kl_rsa_keygen(key, &rng, nlen, NULL, 0, NULL) == KL_OK, "key generation");
  kl_hmac_drbg_clear(&d);
}
