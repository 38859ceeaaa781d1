/* vec_rsa.c: `kexlab vectors` format for RSA key generation (entry in formats.c):
 *   KeyGenRSA.rsp   NIST CAVS 11.1 "KeyGen RSA (X9.31)" (FIPS 186-2), from the
 *                   vector package's asymmetric/RSA/FIPS_186-2/.
 * Each record gives e, the auxiliary values xp1, xp2, Xp, xq1, xq2, Xq of
 * ANSI X9.31 (which we do not use: we generate primes the FIPS 186-5 A.1.3
 * way), the primes p and q, and the expected n and d. The case: from p, q and
 * e, our kl_rsa_priv_from_pqe must give exactly n and d.
 * Traps of this file:
 *   - d is reduced modulo lambda(n) = lcm(p-1, q-1), NOT phi(n) = (p-1)(q-1):
 *     every one of the 30 records has d = e^-1 mod lambda(n); in 24 of them
 *     e^-1 mod phi(n) is a different (larger) number, in the other 6 the two
 *     coincide (we checked with python's pow(e, -1, m) before writing this).
 *     So the handler uses kexlab's default, lambda.
 *   - e is written as a 256-byte zero-padded hex string;
 *   - the [mod = N] header gives nlen; records have no COUNT field.
 * The same code runs in tests/test_rsa.c (case keygen_rsp). */
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "kexlab/kexlab.h"
#include "vecfile.h"

static int set_hex(mpz_t x, const char *text)
{
  if (text == NULL || *text == '\0')
    return -1;
  return mpz_set_str(x, text, 16);
}

int vec_keygen_rsa_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "KeyGenRSA.rsp") == 0;
}

void vec_keygen_rsa_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  snprintf(r->format, sizeof r->format, "CAVS KeyGen RSA (p, q, e -> n, d mod lambda)");
  vecfile vf;
  if (vecfile_open(&vf, path) != 0) {
    r->file_error = 1;
    return;
  }
  mpz_t e, p, q, n, d;
  mpz_inits(e, p, q, n, d, NULL);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  int rc;
  while ((rc = vecfile_next(&vf)) == 1) {
    const char *mod = vecfile_header(&vf, "mod");
    if (set_hex(e, vecfile_get(&vf, "e")) != 0 || set_hex(p, vecfile_get(&vf, "p")) != 0 ||
        set_hex(q, vecfile_get(&vf, "q")) != 0 || set_hex(n, vecfile_get(&vf, "n")) != 0 ||
        set_hex(d, vecfile_get(&vf, "d")) != 0 || mod == NULL) {
      vec_fail_msg(r, &vf, "record without readable e, p, q, n, d or [mod]");
      continue;
    }
    kl_err err = kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL);
    if (err != KL_OK) {
      vec_fail_msg(r, &vf, "kl_rsa_priv_from_pqe: %s", kl_strerror(err));
      continue;
    }
    if (mpz_cmp(key.n, n) != 0) {
      vec_fail_msg(r, &vf, "n differs");
      continue;
    }
    if (mpz_cmp(key.d, d) != 0) {
      vec_fail_msg(r, &vf, "d differs (expected d = e^-1 mod lambda(n))");
      continue;
    }
    if (mpz_sizeinbase(key.n, 2) != strtoul(mod, NULL, 10)) {
      vec_fail_msg(r, &vf, "n is not of [mod = %s] bits", mod);
      continue;
    }
    vec_pass(r);
  }
  if (rc < 0)
    r->file_error = 1;
  kl_rsa_priv_clear(&key);
  mpz_clears(e, p, q, n, d, NULL);
  vecfile_close(&vf);
}
