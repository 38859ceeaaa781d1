/* test_util.c: see test_util.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_util.h"
#include "splitmix64.h"

uint8_t *th_hex(const char *hex, size_t *len)
{
  size_t n = strlen(hex);
  size_t cap = n / 2 + 1;
  uint8_t *out = malloc(cap);
  ck_assert_ptr_nonnull(out);
  size_t got = cap;
  if (kl_hex_decode(out, &got, hex, n) != KL_OK)
    ck_abort_msg("bad hex in test data: %s", hex);
  *len = got;
  return out;
}

char *th_tohex(const uint8_t *data, size_t len)
{
  char *s = malloc(2 * len + 1);
  ck_assert_ptr_nonnull(s);
  ck_assert_int_eq(kl_hex_encode(s, 2 * len + 1, data, len), KL_OK);
  return s;
}

void th_assert_hex_at(const char *file, int line, const uint8_t *got, size_t len, const char *hex)
{
  char *g = th_tohex(got, len);
  int same = strcmp(g, hex) == 0;
  if (!same)
    ck_abort_msg("%s:%d: expected %s, got %s", file, line, hex, g);
  free(g);
}

const char *th_vector_path(const char *rel)
{
  static char buf[4096];
  const char *dir = getenv("KL_VECTORS");
  if (dir == NULL)
    dir = "vectors";
  snprintf(buf, sizeof buf, "%s/%s", dir, rel);
  return buf;
}

uint64_t th_seed(void)
{
  static int done = 0;
  static uint64_t seed;
  if (!done) {
    const char *env = getenv("KL_TEST_SEED");
    if (env != NULL && *env != '\0')
      seed = strtoull(env, NULL, 0);
    else
      seed = (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
    fprintf(stderr, "test seed: %llu (replay with KL_TEST_SEED=%llu)\n", (unsigned long long)seed,
            (unsigned long long)seed);
    done = 1;
  }
  return seed;
}

void th_prng_init(th_prng *p, uint64_t stream)
{
  p->s = th_seed() ^ (stream * 0x9e3779b97f4a7c15ULL);
}

/* splitmix64 (splitmix64.h): fast and well mixed; not secure. */
uint64_t th_prng_u64(th_prng *p)
{
  return th_splitmix64_next(&p->s);
}

uint64_t th_prng_below(th_prng *p, uint64_t bound)
{
  return th_prng_u64(p) % bound; /* bias is irrelevant for test inputs */
}

void th_prng_bytes(th_prng *p, uint8_t *out, size_t len)
{
  for (size_t i = 0; i < len; i++)
    out[i] = (uint8_t)(th_prng_u64(p) >> 56);
}

static kl_err prng_fill(void *state, uint8_t *out, size_t len)
{
  th_prng_bytes(state, out, len);
  return KL_OK;
}

void th_prng_rng(kl_rng *rng, th_prng *p)
{
  rng->fill = prng_fill;
  rng->state = p;
}

void th_prng_rng_init(kl_rng *rng, th_prng *p, uint64_t stream)
{
  th_prng_init(p, stream);
  th_prng_rng(rng, p);
}
