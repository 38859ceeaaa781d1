/* ct.h: constant-time comparison and selection, and wiping.
 * "Constant time" here means: the sequence of instructions and memory addresses
 * depends only on the lengths, never on the bytes. tests/ct checks this under
 * valgrind memcheck with the secret bytes marked undefined. */
#ifndef KEXLAB_CT_H
#define KEXLAB_CT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 if a[0..n) == b[0..n), else 0. Reads every byte of both.
 * Timing: depends on n only. */
int kl_ct_memeq(const uint8_t *a, const uint8_t *b, size_t n);

/* dst[i] = ctl ? a[i] : b[i] for i < n. ctl must be 0 or 1. dst may equal a or b.
 * Timing: depends on n only. */
void kl_ct_select_bytes(uint8_t *dst, unsigned ctl, const uint8_t *a, const uint8_t *b, size_t n);

/* Overwrite p[0..n) with zeros in a way the compiler may not remove
 * (explicit_bzero where the C library has it, a volatile loop otherwise). */
void kl_wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
