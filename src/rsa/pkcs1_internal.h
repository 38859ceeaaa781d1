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

/* RSAES-PKCS1-v1_5 decoding, RFC 8017 §7.2.2 step 3, without a branch or an
 * index that depends on EM (pkcs1v15_crypt.c; tests/ct/ct_pkcs1v15.c).
 *  EM      [in]   k octets
 *  mIndex  [out]  where M starts in EM; meaningful only when 1 is returned
 * Returns 1 when EM = 0x00 || 0x02 || PS (>= 8 nonzero) || 0x00 || M, else 0. */
uint32_t kli_pkcs1v15_decode_core(const uint8_t *EM, size_t k, size_t *mIndex);

/* Implicit rejection (draft-irtf-cfrg-rsa-guidance), in three parts that the
 * constant-time test runs separately:
 *  kli_pkcs1v15_kdk        KDK = HMAC-SHA256(SHA256(I2OSP(d, k)), C), C k octets;
 *  kli_pkcs1v15_synthetic  R = IRPRF(KDK, "message", k) and the synthetic
 *                          length, by masks (KDK, R, *synLen secret);
 *  kli_pkcs1v15_select     res = EM if EM decodes, else R (k octets), and
 *                          *resLen = mLen or synLen: M, or the synthetic
 *                          message, is the last *resLen octets of res;
 *                          *good = 1 when EM decodes. No branch on any input. */
kl_err kli_pkcs1v15_kdk(const kl_rsa_priv *key, const uint8_t *C, size_t k, uint8_t KDK[32]);
kl_err kli_pkcs1v15_synthetic(const uint8_t KDK[32], size_t k, uint8_t *R, size_t *synLen);
void kli_pkcs1v15_select(const uint8_t *EM, const uint8_t *R, size_t synLen, size_t k, uint8_t *res,
                         size_t *resLen, uint32_t *good);

#endif
