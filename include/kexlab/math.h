/* math.h: number theory on GMP integers, for RSA (src/math/).
 * Every algorithm here is kexlab's own; GMP's mpz_invert, mpz_gcdext,
 * mpz_probab_prime_p and mpz_nextprime serve only as test oracles.
 * This header (and rsa.h) include <gmp.h>; the symmetric headers never do.
 * Call kl_init() before making any mpz_t (it installs the wiping allocator).
 *
 * The number-theory functions (extended Euclid, modular inverse,
 * square-and-multiply, Miller-Rabin, prime generation) are declared by the
 * math layer below the conversion primitives. */
#ifndef KEXLAB_MATH_H
#define KEXLAB_MATH_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "rng.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* I2OSP, RFC 8017 §4.1: X = the xLen-octet big-endian string of x.
 * Returns KL_OK, KL_ERR_ARG (x < 0), KL_ERR_RANGE ("integer too large":
 * x >= 256^xLen). */
KL_NODISCARD kl_err kl_i2osp(uint8_t *X, size_t xLen, const mpz_t x);

/* OS2IP, RFC 8017 §4.2: x = the integer whose big-endian octets are X. */
void kl_os2ip(mpz_t x, const uint8_t *X, size_t xLen);

/* Trace an integer (label, index) as a KL_TRACE_INT value. */
void kl_trace_mpz(const kl_tracer *tr, const char *label, int index, const mpz_t x);

#ifdef __cplusplus
}
#endif
#endif
