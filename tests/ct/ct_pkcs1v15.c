/* ct_pkcs1v15.c: RSAES-PKCS1-v1_5 decryption after the private operation
 * (RFC 8017 §7.2.2 step 3, and the implicit rejection of the draft
 * draft-irtf-cfrg-rsa-guidance) makes no branch and no memory access that
 * depends on EM or on the key-derived KDK. Run under `valgrind --tool=memcheck
 * --error-exitcode=1` (suite 'ct'): EM and KDK are marked undefined, then
 * kli_pkcs1v15_synthetic (the IRPRF, the synthetic length by masks) and
 * kli_pkcs1v15_select (the padding checks, the separator search and the
 * select between M and the synthetic message) run; only the output length
 * and, for the strict form, the verdict are declassified afterwards, where
 * kl_rsa_pkcs1v15_decrypt(_strict) use them. The private operation before
 * them is tests/ct/ct_rsa.c's; KDK = HMAC-SHA256(SHA256(I2OSP(d, k)), C)
 * hashes fixed-length inputs. Cases on k = 256: a valid EM and each kind of
 * bad padding (first octet, block type, short PS, no separator). With the
 * argument "leaky" it also runs an early-exit separator scan, which memcheck
 * must catch (ct/expect_leak.sh). Not a Check suite. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "kexlab/kexlab.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "rsa/pkcs1_internal.h"

#include "../common/splitmix64.h" /* a fixed, NON-secure generator: reproducible runs */

#define K 256

/* The counter-example: stops at the first zero octet after the block type. */
static size_t leaky_scan(const uint8_t *EM)
{
  size_t i = 2;
  while (i < K && EM[i] != 0x00)
    i++;
  return i;
}

/* Steps after RSADP with EM and KDK undefined; returns the declassified
 * verdict and sets *len (declassified) to the output length. */
static unsigned decode_secret(const uint8_t *EM_in, const uint8_t KDK_in[32], size_t *len,
                              int leaky)
{
  uint8_t EM[K], KDK[32], R[K], res[K];
  memcpy(EM, EM_in, K);
  memcpy(KDK, KDK_in, 32);
  VALGRIND_MAKE_MEM_UNDEFINED(EM, K);
  VALGRIND_MAKE_MEM_UNDEFINED(KDK, 32);
  size_t synLen = 0;
  if (kli_pkcs1v15_synthetic(KDK, K, R, &synLen) != KL_OK)
    return 2;
  uint32_t good = 0;
  kli_pkcs1v15_select(EM, R, synLen, K, res, len, &good);
  if (leaky)
    *len = K - 1 - leaky_scan(EM); /* memcheck must object here */
  /* Declassify: the output length and the strict verdict are public. */
  VALGRIND_MAKE_MEM_DEFINED(&good, sizeof good);
  VALGRIND_MAKE_MEM_DEFINED(len, sizeof *len);
  kl_wipe(R, sizeof R);
  kl_wipe(res, sizeof res);
  return good;
}

int main(int argc, char **argv)
{
  int leaky = argc > 1 && strcmp(argv[1], "leaky") == 0;
  if (kl_init() != KL_OK)
    return 2;
  uint64_t s = 1998;
  kl_rng rng = {th_splitmix64_fill, &s};
  const uint8_t M[] = "the AES key, 32 octets long.....";
  uint8_t KDK[32];
  if (kl_rng_fill(&rng, KDK, sizeof KDK) != KL_OK)
    return 2;
  uint8_t EM[K], bad[K];
  if (kl_rsa_eme_pkcs1v15_encode(&rng, EM, K, M, 32) != KL_OK)
    return 2;
  int failures = 0;
  size_t len = 0;
  /* 1. Valid: M is the last 32 octets. */
  if (decode_secret(EM, KDK, &len, leaky) != 1 || (!leaky && len != 32)) {
    fprintf(stderr, "ct_pkcs1v15: valid EM rejected\n");
    failures++;
  }
  /* 2-6. First octet, block type, PS of 7 octets, no separator, separator first. */
  static const struct {
    size_t at;
    uint8_t v;
  } edits[] = {{0, 0x01}, {1, 0x01}, {9, 0x00}, {K - 33, 0x5a}, {2, 0x00}};
  for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
    memcpy(bad, EM, K);
    bad[edits[i].at] = edits[i].v;
    failures += decode_secret(bad, KDK, &len, 0) != 0;
  }
  if (failures != 0) {
    fprintf(stderr, "ct_pkcs1v15: %d wrong verdicts\n", failures);
    return 1;
  }
  printf("ct_pkcs1v15: 6 decryptions, EM and KDK undefined throughout%s\n",
         leaky ? " (leaky scan too)" : "");
  return 0;
}
