/* pkcs1_internal.h: what the padding files (oaep.c, pss.c, pkcs1v15.c) share
 * with the tests and nobody else. Never installed.
 *  - the branch-free core of EME-OAEP decoding (RFC 8017 §7.1.2 step 3), which
 *    tests/ct/ct_oaep.c runs under valgrind with EM marked undefined;
 *  - the size limit of the on-stack encoding buffers.
 * See also include/kexlab/oaep.h, include/kexlab/pss.h, docs/rsa-padding.md. */
#ifndef KL_RSA_PKCS1_INTERNAL_H
#define KL_RSA_PKCS1_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/hash.h"
#include "kexlab/rsa.h"
#include "kexlab/trace.h"

/* k of the largest modulus kexlab takes: every encoding buffer (EM, DB,
 * dbMask) lives on the stack at this size, so there is no hidden malloc. */
#define KLI_PKCS1_MAX_K ((size_t)KL_RSA_MAX_BITS / 8)

/* EME-OAEP decoding, RFC 8017 §7.1.2 step 3.a-3.g, without a single branch
 * or memory index that depends on EM.
 *  DB      [out]  k - hLen - 1 octets: lHash' || PS || 0x01 || M (secret)
 *  seed    [out]  hLen octets (secret)
 *  mIndex  [out]  where M starts in DB; meaningful only when 1 is returned
 *  lHash   [in]   Hash(L), hLen octets
 *  EM      [in]   k octets, k >= 2 hLen + 2 (the caller checked)
 *  tr      [in]   optional trace (Y, maskedSeed, maskedDB, seedMask, seed,
 *                 dbMask, DB, lHash')
 * Returns 1 when every check of step 3.g passed (Y == 0, lHash' == lHash, a
 * 0x01 after PS), else 0. The caller branches on the result; that is the one
 * point where a bit about EM becomes public (and the RFC returns it too).
 * Returns 0 also when MGF1 fails, which cannot happen for the lengths above.
 * Timing: the instruction and address trace depends on k, hLen only. */
uint32_t kli_oaep_decode_core(kl_hash_alg mgf_hash, size_t hLen, uint8_t *DB, uint8_t *seed,
                              size_t *mIndex, const uint8_t *lHash, const uint8_t *EM, size_t k,
                              const kl_tracer *tr);

#endif
