/* ct.c: constant-time byte-string equality and selection (include/kexlab/ct.h).
 * Timing: constant-time by construction; tests/ct checks it under valgrind. */
#include "kexlab/ct.h"
#include "core/ct_internal.h"

int kl_ct_memeq(const uint8_t *a, const uint8_t *b, size_t n)
{
  uint32_t diff = 0;
  for (size_t i = 0; i < n; i++)
    diff |= (uint32_t)(a[i] ^ b[i]); /* accumulate; never stop early */
  return (int)kli_ct_eq(diff, 0);
}

void kl_ct_select_bytes(uint8_t *dst, unsigned ctl, const uint8_t *a, const uint8_t *b, size_t n)
{
  uint8_t mask = (uint8_t)kli_ct_mask(ctl & 1u);
  for (size_t i = 0; i < n; i++)
    dst[i] = (uint8_t)(b[i] ^ (mask & (a[i] ^ b[i])));
}
