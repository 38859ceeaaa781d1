/* replay.c: a generator that replays fixed bytes, then fails.
 * Standard vectors fix the "random" inputs (the OAEP seed in RFC 8017's
 * oaep-vect.txt, the PSS salt in pss-vect.txt); feeding them through kl_rng
 * lets the real code path reproduce the published outputs. A draw past the end
 * fails with KL_ERR_RNG rather than inventing bytes. */
#include "kexlab/rng.h"

#include <string.h>

static kl_err replay_fill(void *state, uint8_t *out, size_t len)
{
  kl_rng_replay_state *st = state;
  if (len > st->len - st->pos)
    return KL_ERR_RNG;
  memcpy(out, st->data + st->pos, len);
  st->pos += len;
  return KL_OK;
}

void kl_rng_replay(kl_rng *rng, kl_rng_replay_state *st, const uint8_t *data, size_t len)
{
  st->data = data;
  st->len = data != NULL ? len : 0;
  st->pos = 0;
  rng->fill = replay_fill;
  rng->state = st;
}
