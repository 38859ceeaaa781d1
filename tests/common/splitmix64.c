/* splitmix64.c: th_splitmix64_fill, a fixed NON-secure kl_rng (splitmix64.h). */
#include "splitmix64.h"

kl_err th_splitmix64_fill(void *state, uint8_t *out, size_t len)
{
  uint64_t *s = state;
  for (size_t i = 0; i < len; i++)
    out[i] = (uint8_t)th_splitmix64_next(s);
  return KL_OK;
}
