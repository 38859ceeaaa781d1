/* modes_internal.h: cross-file functions of the modes layer (kli_ prefix). */
#ifndef KL_MODES_INTERNAL_H
#define KL_MODES_INTERNAL_H

#include <stdint.h>

/* The branch-free core of the PKCS#7 check (RFC 5652 §6.3) on the last block:
 * returns 1 if last[16 - n .. 16) all equal n for n = last[15] in 1..16, else
 * 0; *n is set to last[15] either way. No branch and no memory index depends
 * on the bytes (tests/ct/ct_pkcs7.c checks this under valgrind). */
uint32_t kli_pkcs7_check(const uint8_t last[16], uint32_t *n);

#endif
