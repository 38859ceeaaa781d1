/* hash_internal.h: what the hash layer's files share and nobody else sees.
 * Each hash has two compression functions that must agree on every input:
 *  - the readable one (sha1.c, sha256.c): FIPS 180-4 written out step by step,
 *    emitting a trace of W[t] and the working variables when a tracer is set;
 *  - the fast one (sha1_fast.c, sha256_fast.c): rounds written out one by one
 *    with a rolling 16-word message schedule, no trace. It is the default.
 * Both process whole 64-byte blocks and update H in place.
 * A context goes through the readable one whenever a tracer is attached (even
 * one whose fn is NULL, which the tests use to reach it without output).
 * tests/test_sha.c (case ref_vs_fast) holds them against each other. */
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

/* ---- md_buffer.c: the Merkle-Damgard message handling both hashes share ---- */

/* SHA-1 and SHA-256 both cut the message into 512-bit blocks (FIPS 180-4 §5.2.1). */
#define KLI_MD_BLOCK_BYTES 64

/* A hash's compression of nblocks consecutive 64-byte blocks; first is the
 * number i of the first block M(i), counted from 1 (for the trace labels).
 * ctx is the hash's own context (kl_sha1_ctx or kl_sha256_ctx). */
typedef void kli_md_compress_fn(void *ctx, const uint8_t *blocks, size_t nblocks, uint64_t first);

/* FIPS 180-4 §5.2.1, "Parsing the Message": add len bytes of data to a message
 * whose partial block is block[0 .. *block_len) and whose length so far is
 * *total_len bytes. Completed blocks go to compress (whole blocks straight from
 * data, without a copy); the tail stays in block. Updates *block_len and
 * *total_len. data may be NULL iff len == 0.
 * Timing: branches on lengths only. */
void kli_md_parse_message(uint8_t block[KLI_MD_BLOCK_BYTES], size_t *block_len, uint64_t *total_len,
                          const uint8_t *data, size_t len, kli_md_compress_fn *compress, void *ctx);

/* FIPS 180-4 §5.1.1, "Padding the Message" (SHA-1 and SHA-256): append the
 * bit 1, zeros, and the 64-bit length l to the partial block and compress
 * the last one or two blocks. block is overwritten (the caller wipes it with
 * its context). Timing: branches on lengths only. */
void kli_md_pad_message(uint8_t block[KLI_MD_BLOCK_BYTES], size_t block_len, uint64_t total_len,
                        kli_md_compress_fn *compress, void *ctx);

#endif
