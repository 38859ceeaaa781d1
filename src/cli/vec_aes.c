/* vec_aes.c: `kexlab vectors` handlers for this area. Placeholder until the
 * area lands: it recognises no format. */
#include "vecfile.h"

int vec_aes_run(const char *path, const char *base, vec_result *r)
{
  (void)path;
  (void)base;
  (void)r;
  return 0;
}
