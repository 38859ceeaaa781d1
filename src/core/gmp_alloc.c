/* gmp_alloc.c: kl_init() and the wiping allocator for GMP limbs.
 * mpz_clear hands limbs back to free() unwiped, so a private exponent would stay
 * readable in freed heap memory. kl_init() installs, through
 * mp_set_memory_functions (GMP manual, "Custom Allocation"), functions that
 *   - free:    wipe the whole block (GMP passes its size), then free it;
 *   - realloc: allocate a new block, copy, wipe the old block, free it
 *              (a plain realloc could move the data and leave the old copy).
 * Limits: GMP's alloca scratch space (stack) is out of reach of these hooks;
 * and GMP cannot report an allocation failure, so on out-of-memory these
 * functions do what GMP's own do: print one line and abort. */
#include <gmp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "kexlab/ct.h"
#include "kexlab/init.h"
#include "core/gmp_alloc_internal.h"

static kl_free_hook_fn *free_hook = NULL;

void kli_test_set_free_hook(kl_free_hook_fn *fn)
{
  free_hook = fn;
}

static void *out_of_memory(size_t size)
{
  fprintf(stderr, "kexlab: GMP could not allocate %zu bytes\n", size);
  abort();
}

static void *wiping_alloc(size_t size)
{
  void *p = malloc(size);
  return p != NULL ? p : out_of_memory(size);
}

static void wiping_free(void *p, size_t size)
{
  if (p == NULL)
    return;
  kl_wipe(p, size);
  if (free_hook != NULL)
    free_hook(p, size);
  free(p);
}

static void *wiping_realloc(void *old, size_t old_size, size_t new_size)
{
  void *p = wiping_alloc(new_size);
  if (old != NULL) {
    memcpy(p, old, old_size < new_size ? old_size : new_size);
    wiping_free(old, old_size);
  }
  return p;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void install_allocator(void)
{
  mp_set_memory_functions(wiping_alloc, wiping_realloc, wiping_free);
}

kl_err kl_init(void)
{
  if (pthread_once(&init_once, install_allocator) != 0)
    return KL_ERR_INTERNAL;
  return KL_OK;
}

const char *kl_version(void)
{
  return KL_VERSION;
}
