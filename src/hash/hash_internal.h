/* hash_internal.h: what the hash layer's files share and nobody else sees.
 * Each hash has two compression functions that must agree on every input:
 *  - the readable one (sha1.c, sha256.c, sha512.c): FIPS 180-4 written out
 *    step by step, emitting a trace of W[t] and the working variables when a
 *    tracer is set;
 *  - the fast one (sha1_fast.c, sha256_fast.c, sha512_fast.c): rounds written
 *    out one by one with a rolling 16-word message schedule, no trace. It is
 *    the default.
 * Both process whole blocks (64 bytes; 128 for SHA-512) and update H in place.
 * A context goes through the readable one whenever a tracer is attached (even
 * one whose fn is NULL, which the tests use to reach it without output).
 * tests/test_sha.c and test_sha512.c (ref_vs_fast) hold them against each other. */
#ifndef KL_HASH_INTERNAL_H
#define KL_HASH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/trace.h"

/* FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes (2, 3, 5, ..., 311). Defined here, static, so
 * that the fast path sees the values and adds each as an immediate operand
 * (an extern table costs a load per round). tests/test_sha.c recomputes it. */
static const uint32_t kli_sha256_K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* §5.3.3: H(0) (sha256.c); tests/test_sha.c recomputes it. */
extern const uint32_t kli_sha256_H0[8];

/* FIPS 180-4 §6.2.2 on nblocks consecutive 64-byte blocks. first: the
 * number of the first block in the message (from 1), for the trace labels. */
void kli_sha256_compress_ref(uint32_t H[8], const uint8_t *blocks, size_t nblocks, uint64_t first,
                             const kl_tracer *tr);
void kli_sha256_compress_fast(uint32_t H[8], const uint8_t *blocks, size_t nblocks);

/* FIPS 180-4 §6.1.2 on nblocks consecutive 64-byte blocks. */
void kli_sha1_compress_ref(uint32_t H[5], const uint8_t *blocks, size_t nblocks, uint64_t first,
                           const kl_tracer *tr);
void kli_sha1_compress_fast(uint32_t H[5], const uint8_t *blocks, size_t nblocks);

/* FIPS 180-4 §4.2.3: the first 64 bits of the fractional parts of the cube
 * roots of the first 80 primes (2, 3, 5, ..., 409), SHA-384, SHA-512 and
 * SHA-512/t. Static for the same reason as kli_sha256_K; tests/test_sha512.c
 * recomputes it. */
static const uint64_t kli_sha512_K[80] = {
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
};

/* §5.3.2 (SHA-224, sha256.c); §5.3.4-§5.3.6 (sha512.c). tests/test_sha512.c
 * recomputes them. */
extern const uint32_t kli_sha224_H0[8];
extern const uint64_t kli_sha512_H0[8];
extern const uint64_t kli_sha384_H0[8];
extern const uint64_t kli_sha512_224_H0[8];
extern const uint64_t kli_sha512_256_H0[8];

/* FIPS 180-4 §6.4.2 on nblocks consecutive 128-byte blocks (sha512.c, traced;
 * sha512_fast.c, not). */
void kli_sha512_compress_ref(uint64_t H[8], const uint8_t *blocks, size_t nblocks, uint64_t first,
                             const kl_tracer *tr);
void kli_sha512_compress_fast(uint64_t H[8], const uint8_t *blocks, size_t nblocks);

/* FIPS 180-4 §5.3.6, the SHA-512/t IV generation function: writes H(0) for
 * SHA-512/t. Returns 0, or -1 when t is not in 1..511 or is 384. */
int kli_sha512_t_iv(unsigned t, uint64_t H0[8]);

/* ---- md_buffer.c: the Merkle-Damgard message handling every hash shares ---- */

/* SHA-1, SHA-224 and SHA-256 cut the message into 512-bit blocks (FIPS 180-4
 * §5.2.1); SHA-384, SHA-512 and SHA-512/t into 1024-bit blocks (§5.2.2). */
#define KLI_MD_BLOCK_BYTES 64
#define KLI_MD_BLOCK_BYTES_1024 128

/* A hash's compression of nblocks consecutive blocks; first is the
 * number i of the first block M(i), counted from 1 (for the trace labels).
 * ctx is the hash's own context (kl_sha1_ctx, kl_sha256_ctx, kl_sha512_ctx). */
typedef void kli_md_compress_fn(void *ctx, const uint8_t *blocks, size_t nblocks, uint64_t first);

/* FIPS 180-4 §5.2, "Parsing the Message": add len bytes of data to a message
 * whose partial block is block[0 .. *block_len) (B = 64 or 128 bytes) and whose
 * length so far is *total_len bytes. Completed blocks go to compress (whole
 * blocks straight from data, without a copy); the tail stays in block. Updates
 * *block_len and *total_len. data may be NULL iff len == 0.
 * Timing: branches on lengths only. */
void kli_md_parse_message(uint8_t *block, size_t B, size_t *block_len, uint64_t *total_len,
                          const uint8_t *data, size_t len, kli_md_compress_fn *compress, void *ctx);

/* FIPS 180-4 §5.1.1 (B = 64: 64-bit length) and §5.1.2 (B = 128: 128-bit
 * length), "Padding the Message": append the bit 1, zeros, and the length l to
 * the partial block and compress the last one or two blocks. block is
 * overwritten (the caller wipes it with its context).
 * Timing: branches on lengths only. */
void kli_md_pad_message(uint8_t *block, size_t B, size_t block_len, uint64_t total_len,
                        kli_md_compress_fn *compress, void *ctx);

#endif
