/* ct_oaep.c: EME-OAEP decoding (RFC 8017 §7.1.2 step 3) makes no branch and
 * no memory access that depends on EM. Run under
 * `valgrind --tool=memcheck --error-exitcode=1` (suite 'ct'): EM is marked
 * undefined (VALGRIND_MAKE_MEM_UNDEFINED) before kli_oaep_decode_core
 * (src/rsa/pkcs1_internal.h) runs MGF1 twice, unmasks, and makes the three
 * checks of step 3.g and the separator search; memcheck reports any
 * conditional jump or address computed from EM. The result (valid or not,
 * and where M starts) is declassified only after the call, which is exactly
 * where kl_rsa_oaep_decode makes its one decision. The run must show 0 errors.
 * Cases: a valid EM, Y != 0, a wrong label, and EM corrupted in maskedDB, for
 * SHA-1 and SHA-256 on k = 256 (RSA-2048), so that the valid and the invalid
 * paths are both covered. With the argument "leaky" it also runs an
 * early-exit separator scan, the textbook way to get this wrong, which must
 * make memcheck fail (run through ct/expect_leak.sh: the proof that the test
 * can fail). Not a Check suite. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "kexlab/kexlab.h"
#include "kexlab/hash.h"
#include "kexlab/oaep.h"
#include "rsa/pkcs1_internal.h"

#include "../common/splitmix64.h" /* a fixed, NON-secure generator: reproducible runs */

#define K 256

/* The counter-example: stops at the first nonzero octet of PS. */
static size_t leaky_scan(const uint8_t *DB, size_t hLen, size_t dbLen)
{
  size_t i = hLen;
  while (i < dbLen && DB[i] == 0x00)
    i++;
  return i;
}

/* Decode EM with EM undefined; return the declassified verdict. */
static unsigned decode_secret(kl_hash_alg hash, const uint8_t *EM_in, const uint8_t *label,
                              size_t label_len, size_t *mIndex, int leaky)
{
  const size_t hLen = kl_hash_digest_len(hash);
  uint8_t EM[K], DB[K], seed[KL_HASH_MAX_DIGEST_BYTES], lHash[KL_HASH_MAX_DIGEST_BYTES];
  memcpy(EM, EM_in, K);
  if (kl_hash(hash, lHash, label, label_len) != KL_OK)
    return 2;
  VALGRIND_MAKE_MEM_UNDEFINED(EM, K);
  uint32_t good = kli_oaep_decode_core(hash, hLen, DB, seed, mIndex, lHash, EM, K, NULL);
  if (leaky)
    *mIndex = leaky_scan(DB, hLen, K - hLen - 1); /* memcheck must object here */
  /* Declassify: the verdict and the start of M are public from here on. */
  VALGRIND_MAKE_MEM_DEFINED(&good, sizeof good);
  VALGRIND_MAKE_MEM_DEFINED(mIndex, sizeof *mIndex);
  kl_wipe(DB, sizeof DB);
  kl_wipe(seed, sizeof seed);
  return good;
}

int main(int argc, char **argv)
{
  int leaky = argc > 1 && strcmp(argv[1], "leaky") == 0;
  if (kl_init() != KL_OK)
    return 2;
  uint64_t s = 2048;
  kl_rng rng = {th_splitmix64_fill, &s};
  static const kl_hash_alg hashes[2] = {KL_HASH_SHA1, KL_HASH_SHA256};
  const uint8_t M[] = "the AES key, 32 octets long.....";
  const uint8_t L[] = "label";
  int failures = 0;
  for (int h = 0; h < 2; h++) {
    const kl_oaep_params params = {hashes[h], hashes[h], L, 5};
    const size_t hLen = kl_hash_digest_len(hashes[h]);
    uint8_t EM[K];
    if (kl_rsa_oaep_encode(&params, &rng, NULL, EM, K, M, 32) != KL_OK)
      return 2;
    size_t mIndex = 0;
    /* 1. Valid: M starts 32 octets before the end of DB. */
    unsigned good = decode_secret(hashes[h], EM, L, 5, &mIndex, leaky);
    if (good != 1 || (!leaky && mIndex != K - hLen - 1 - 32)) {
      fprintf(stderr, "ct_oaep: valid EM rejected (hash %d)\n", h);
      failures++;
    }
    /* 2. Y != 0. */
    uint8_t bad[K];
    memcpy(bad, EM, K);
    bad[0] = 0x01;
    failures += decode_secret(hashes[h], bad, L, 5, &mIndex, 0) != 0;
    /* 3. Another label: lHash' != lHash. */
    failures += decode_secret(hashes[h], EM, L, 4, &mIndex, 0) != 0;
    /* 4. A flipped octet in maskedDB: DB is garbage. */
    memcpy(bad, EM, K);
    bad[K - 10] ^= 0x20;
    failures += decode_secret(hashes[h], bad, L, 5, &mIndex, 0) != 0;
  }
  if (failures != 0) {
    fprintf(stderr, "ct_oaep: %d wrong verdicts\n", failures);
    return 1;
  }
  printf("ct_oaep: 8 decodings, EM undefined throughout%s\n", leaky ? " (leaky scan too)" : "");
  return 0;
}
