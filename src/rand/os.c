/* os.c: the operating system's generator, getrandom(2), behind kl_rng, and the
 * kl_rng_fill entry point every caller uses.
 * getrandom blocks only until the kernel pool is first initialised. A call may
 * be interrupted by a signal (EINTR) or, for requests over 256 bytes, return
 * fewer bytes than asked: both are retried until the buffer is full. */
#include <errno.h>
#include <sys/random.h>

#include "kexlab/ct.h"
#include "kexlab/rng.h"

kl_err kl_rng_fill(const kl_rng *rng, uint8_t *out, size_t len)
{
  if (rng == NULL || rng->fill == NULL || (out == NULL && len != 0))
    return KL_ERR_ARG;
  if (len == 0)
    return KL_OK;
  kl_err err = rng->fill(rng->state, out, len);
  if (err != KL_OK)
    kl_wipe(out, len); /* never hand back a half-filled buffer */
  return err;
}

static kl_err os_fill(void *state, uint8_t *out, size_t len)
{
  (void)state;
  size_t done = 0;
  while (done < len) {
    ssize_t got = getrandom(out + done, len - done, 0);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      return KL_ERR_RNG;
    }
    done += (size_t)got;
  }
  return KL_OK;
}

void kl_rng_os(kl_rng *rng)
{
  rng->fill = os_fill;
  rng->state = NULL;
}
