/* rsa_internal.h: what the RSA layer's own files share (never installed). */
#ifndef KL_RSA_INTERNAL_H
#define KL_RSA_INTERNAL_H

#include <stddef.h>

/* Declassify: tell valgrind memcheck (tests/ct) that a value computed from
 * the private key is public from here on: the result handed to the caller,
 * the one-bit verdict of the fault check, and in the blinding t = r*s mod n
 * (uniformly random, independent of r) and the rejection-sampling verdicts
 * (primitive.c, make_blinding). It is the ctgrind technique
 * (Langley 2010): secrets are "undefined", and a branch or an address on an
 * undefined value is reported. Outside valgrind, or in builds without
 * memcheck.h, it does nothing. */
#if defined(KL_CT_VALGRIND) && KL_CT_VALGRIND
#include <valgrind/memcheck.h>
#define KLI_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define KLI_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#endif
