/* wipe.c: zeroize memory so that the compiler cannot drop the stores.
 * explicit_bzero (glibc >= 2.25) when Meson found it; otherwise every store goes
 * through a volatile pointer, which the compiler must perform. */
#include <string.h>

#include "kl_config.h"
#include "kexlab/ct.h"

void kl_wipe(void *p, size_t n)
{
  if (p == NULL || n == 0)
    return;
#if KL_HAVE_EXPLICIT_BZERO
  explicit_bzero(p, n);
#else
  volatile unsigned char *v = (volatile unsigned char *)p;
  for (size_t i = 0; i < n; i++)
    v[i] = 0;
#endif
}
