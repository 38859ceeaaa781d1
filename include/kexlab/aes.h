/* aes.h: the AES block cipher, FIPS 197, with two implementations behind one
 * key type: the reference path (§5.1 and §5.3 as written, traceable round by
 * round) and the T-table path (fast; the default for real work).
 * Timing: NEITHER path is constant-time: both index tables with secret bytes
 * (see docs/aes.md and docs/threat-model.md). */
#ifndef KEXLAB_AES_H
#define KEXLAB_AES_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KL_AES_BLOCK_BYTES 16
#define KL_AES_MAX_ROUNDS 14

typedef enum kl_aes_impl {
  KL_AES_IMPL_TTABLE = 0, /* default: 32-bit T-tables */
  KL_AES_IMPL_REF = 1,    /* FIPS 197 as written */
  KL_AES_IMPL_TTABLE1 = 2 /* one T-table per direction plus rotations: kept only
                             to measure against TTABLE (docs/aes.md, bench aes) */
} kl_aes_impl;

/* An expanded key. Fields are read-only for callers (visible for gdb). */
typedef struct kl_aes_key {
  uint32_t w[4 * (KL_AES_MAX_ROUNDS + 1)];  /* §5.2: the key schedule w[0..4(Nr+1)) */
  uint32_t dw[4 * (KL_AES_MAX_ROUNDS + 1)]; /* §5.3.5: Equivalent Inverse Cipher schedule */
  unsigned Nk;                              /* key length in 32-bit words: 4, 6, 8 */
  unsigned Nr;                              /* rounds: 10, 12, 14 */
  kl_aes_impl impl;
  const kl_tracer *tracer; /* NULL: off */
} kl_aes_key;

/* Expand a 16-, 24- or 32-byte key (§5.2).
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_KEY_LEN.
 * Secrets: the schedule in *key is secret until kl_aes_clear; the key-sized
 * temporaries of the expansion are wiped.
 * Timing: NOT constant-time (SubWord is an S-box lookup indexed by key bytes;
 * docs/aes.md, "Timing"). */
KL_NODISCARD kl_err kl_aes_init(kl_aes_key *key, kl_aes_impl impl, const uint8_t *k, size_t k_len);
/* As kl_aes_init, with tr (may be NULL) installed first, so that the key
 * expansion itself is traced: every w[i] with temp, RotWord, SubWord, Rcon and
 * the XORs, labelled as the columns of FIPS 197 Appendix A. tr stays installed.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_KEY_LEN. */
KL_NODISCARD kl_err kl_aes_init_traced(kl_aes_key *key, kl_aes_impl impl, const uint8_t *k,
                                       size_t k_len, const kl_tracer *tr);
/* Trace key expansion and rounds (reference path: every step). */
void kl_aes_set_tracer(kl_aes_key *key, const kl_tracer *tr);
/* One block, FIPS 197 §5.1 Cipher / §5.3 InvCipher. out may equal in.
 * Secrets: the reference path wipes its State; the table paths keep theirs
 * in registers. Timing: NOT constant-time: every path indexes a table with
 * (state XOR key) bytes, which leaks through the cache (Bernstein 2005;
 * docs/aes.md). Kept by design, as the threat model says. */
void kl_aes_encrypt_block(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                          const uint8_t in[KL_AES_BLOCK_BYTES]);
void kl_aes_decrypt_block(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                          const uint8_t in[KL_AES_BLOCK_BYTES]);
/* One block through FIPS 197 §5.3.5's Equivalent Inverse Cipher (Figure 15),
 * on the reference path whatever key->impl says: the same plaintext as
 * kl_aes_decrypt_block, traced with App. C's "EQUIVALENT INVERSE CIPHER"
 * labels ("iinput", "istart", "is_box", "is_row", "im_col", "ik_sch",
 * "ioutput"). For study (kexlab demo aes --decrypt --equivalent).
 * Secrets, Timing: as the reference path of kl_aes_decrypt_block. */
void kl_aes_decrypt_block_equivalent(const kl_aes_key *key, uint8_t out[KL_AES_BLOCK_BYTES],
                                     const uint8_t in[KL_AES_BLOCK_BYTES]);
/* These three functions are ECB on ONE block: for known-answer tests, the
 * Monte Carlo Test and the demos. Messages use CBC (cbc.h), never ECB.
 * Reference path trace: FIPS 197 App. C labels ("input", "start", "s_box",
 * "s_row", "m_col", "k_sch", "output"; inverse "iinput", "istart", "is_row",
 * "is_box", "ik_sch", "ik_add", "ioutput"), index = round, value = the state
 * as a 4x4 matrix s[r][c] (KL_TRACE_MATRIX). Table paths trace "input" and
 * "output" only (bytes). */

/* n blocks at once: out[16i..16i+16) = Cipher (InvCipher) of in[16i..16i+16)
 * for i < nblocks, each block on its own (ECB; modes build on these, as
 * cbc.c does). nblocks = 0 does nothing. out may equal in; other overlaps are
 * not allowed. The reference and one-table paths call the one-block function
 * for each block in turn; the T-table path decrypts two blocks at a time,
 * their rounds interleaved (the blocks are independent, and two chains of
 * table loads keep the CPU busier than one; docs/aes.md).
 * Returns KL_OK, KL_ERR_ARG (key NULL, out or in NULL with nblocks > 0,
 * nblocks * 16 beyond SIZE_MAX).
 * Secrets: as the one-block functions; nothing is kept after return.
 * Timing: NOT constant-time (as the one-block functions); nblocks is public.
 * Trace: exactly as nblocks one-block calls, block after block. */
KL_NODISCARD kl_err kl_aes_encrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in,
                                          size_t nblocks);
KL_NODISCARD kl_err kl_aes_decrypt_blocks(const kl_aes_key *key, uint8_t *out, const uint8_t *in,
                                          size_t nblocks);

/* Secrets: wipes the round keys (every field of *key). */
void kl_aes_clear(kl_aes_key *key);

#ifdef __cplusplus
}
#endif
#endif
