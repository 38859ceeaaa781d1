/* gmp_alloc_internal.h: the test hook of the wiping GMP allocator
 * (gmp_alloc.c). Not installed; kli_ names are not exported by the shared
 * library, so only the tests, which link the layer libraries, can reach it. */
#ifndef KL_CORE_GMP_ALLOC_INTERNAL_H
#define KL_CORE_GMP_ALLOC_INTERNAL_H

#include "kexlab/init.h"

/* fn (if not NULL) sees every block GMP frees, after it was wiped and before
 * it goes back to the C library, so a test can assert it is all zero.
 * Not thread-safe to change while other threads use GMP. */
void kli_test_set_free_hook(kl_free_hook_fn *fn);

#endif
