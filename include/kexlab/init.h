/* init.h: library start-up and version.
 * kl_init() must run before the first GMP integer is made (the CLI, the server
 * and the tests call it first thing). It installs GMP allocation functions
 * that wipe every limb block on free and realloc, so secret integers do not
 * linger in freed heap memory. It is idempotent and thread-safe.
 * Limit: GMP also takes temporary space with alloca (on the stack), which no
 * allocation hook can reach; that scratch space is not wiped (GMP manual,
 * "Custom Allocation"). */
#ifndef KEXLAB_INIT_H
#define KEXLAB_INIT_H

#include <stddef.h>
#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

KL_NODISCARD kl_err kl_init(void);

/* "0.1.0" */
const char *kl_version(void);

/* A test's look at a freed block: called after the block was wiped, before
 * it goes back to the C library, so a test can assert it is all zero
 * (kl_kex_server_config.free_hook in kex.h). */
typedef void kl_free_hook_fn(const void *block, size_t size);

#ifdef __cplusplus
}
#endif
#endif
