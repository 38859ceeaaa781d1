/* err.h: the one error type of kexlab.
 * Every fallible function returns kl_err; KL_OK is 0 and every failure is
 * negative. The numeric values are part of the stable API (a lab harness may
 * store them): new codes are only ever appended. */
#ifndef KEXLAB_ERR_H
#define KEXLAB_ERR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KL_NODISCARD __attribute__((warn_unused_result))
#else
#define KL_NODISCARD
#endif

typedef enum kl_err {
  KL_OK = 0,
  KL_ERR_ARG = -1,           /* NULL pointer, bad flag or otherwise invalid argument */
  KL_ERR_KEY_LEN = -2,       /* key of a length the algorithm does not take */
  KL_ERR_LEN = -3,           /* input of a wrong length (message too long, not whole blocks) */
  KL_ERR_BUF_TOO_SMALL = -4, /* output buffer too small; *out_len says how much is needed */
  KL_ERR_DECRYPT = -5,       /* decryption or authentication failed: the ONE generic error */
  KL_ERR_RNG = -6,           /* the random generator failed or ran dry */
  KL_ERR_NOMEM = -7,         /* out of memory */
  KL_ERR_INTERNAL = -8,      /* an internal invariant failed (a bug, or a fault: CRT check) */
  KL_ERR_ENCODING = -9,      /* malformed hex, base64, DER, PEM, XML or JSON */
  KL_ERR_RANGE = -10,        /* integer out of range (RFC 8017 "integer too large", m >= n) */
  KL_ERR_NO_INVERSE = -11,   /* gcd(a, m) != 1: no modular inverse */
  KL_ERR_KEY = -12,          /* invalid or inconsistent key */
  KL_ERR_VERIFY = -13,       /* signature or pin verification failed */
  KL_ERR_STATE = -14,        /* call not valid in the object's current state */
  KL_ERR_NOT_FOUND = -15,    /* no such session (unknown or expired) */
  KL_ERR_LIMIT = -16,        /* a configured limit was reached (session cap, rate) */
  KL_ERR_UNSUPPORTED = -17,  /* algorithm, format or option not supported */
  KL_ERR_IO = -18,           /* I/O or network failure (transport layer only) */
  KL_ERR_NOT_PRIME = -19,    /* a value that must be prime is not */
  KL_ERR_CONFLICT = -20      /* the object already has that (a session's first key) */
} kl_err;

/* Short, stable English name of an error code, e.g. "decryption failed".
 * Never NULL: unknown codes give "unknown error". */
const char *kl_strerror(kl_err err);

/* The enumerator's own name, e.g. "KL_ERR_DECRYPT" (for vector files and JSON). */
const char *kl_err_name(kl_err err);

/* Parse an enumerator name ("KL_OK", "KL_ERR_LEN", ...). Returns KL_OK and
 * sets *out, or KL_ERR_ARG for an unknown name. */
KL_NODISCARD kl_err kl_err_from_name(const char *name, kl_err *out);

#ifdef __cplusplus
}
#endif
#endif
