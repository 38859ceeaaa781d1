/* md_buffer.c: the Merkle-Damgard message handling every SHA shares,
 * FIPS 180-4 (Aug. 2015): parsing the message into 512-bit blocks (§5.2.1,
 * SHA-1, SHA-224, SHA-256) or 1024-bit blocks (§5.2.2, SHA-384, SHA-512,
 * SHA-512/t), with a partial block kept between update calls, and the padding
 * (§5.1.1, §5.1.2) that completes the last one or two blocks. Each hash's own
 * compression function (§6.1.2, §6.2.2, §6.4.2) is called back on the whole
 * blocks; sha1.c, sha256.c and sha512.c own the algorithm, this file only
 * cuts the message up.
 * Timing: branches on lengths only, never on the message bytes.
 * Symbols: M(i) (block i, counted from 1), l (message length in bits), k.
 * B below is the block length in bytes: 64 or 128.
 * See docs/hash.md. */
#include <string.h>

#include "core/bytes.h"
#include "hash/hash_internal.h"

/* Blocks compressed so far: every byte of the message but the buffered ones. */
static uint64_t blocks_done(size_t B, size_t block_len, uint64_t total_len)
{
  return (total_len - block_len) / B;
}

void kli_md_parse_message(uint8_t *block, size_t B, size_t *block_len, uint64_t *total_len,
                          const uint8_t *data, size_t len, kli_md_compress_fn *compress, void *ctx)
{
  if (len == 0)
    return;
  uint64_t next = blocks_done(B, *block_len, *total_len) + 1; /* i of the next M(i) */
  *total_len += len;
  /* Top up a partial block first. */
  if (*block_len > 0) {
    size_t take = B - *block_len;
    if (take > len)
      take = len;
    memcpy(block + *block_len, data, take);
    *block_len += take;
    data += take;
    len -= take;
    if (*block_len < B)
      return;
    compress(ctx, block, 1, next++);
    *block_len = 0;
  }
  /* Whole blocks straight from the caller's buffer (no copy). */
  size_t nblocks = len / B;
  if (nblocks > 0) {
    compress(ctx, data, nblocks, next);
    data += nblocks * B;
    len -= nblocks * B;
  }
  /* Keep the tail for later. */
  if (len > 0) {
    memcpy(block, data, len);
    *block_len = len;
  }
}

void kli_md_pad_message(uint8_t *block, size_t B, size_t block_len, uint64_t total_len,
                        kli_md_compress_fn *compress, void *ctx)
{
  /* §5.1.1 (B = 64): append the bit "1", then k zero bits with
   * l + 1 + k = 448 mod 512, then l as a 64-bit big-endian integer.
   * §5.1.2 (B = 128): the same with l + 1 + k = 896 mod 1024 and l as a
   * 128-bit integer. The length field is B / 8 bytes either way.
   *   ... message tail | 80 | 00 ... 00 | l (8 or 16 bytes) |   (one or two blocks) */
  size_t lbytes = B / 8;
  uint64_t l = total_len * 8;
  uint64_t l_high = total_len >> 61; /* the bits of l above 2^64 (128-bit field only) */
  uint64_t next = blocks_done(B, block_len, total_len) + 1;
  size_t n = block_len;
  block[n++] = 0x80;
  if (n > B - lbytes) {
    /* No room for l in this block: zero-fill it, process, start another. */
    memset(block + n, 0, B - n);
    compress(ctx, block, 1, next++);
    n = 0;
  }
  memset(block + n, 0, B - lbytes - n);
  if (lbytes == 16)
    kli_store_be64(block + B - 16, l_high);
  kli_store_be64(block + B - 8, l);
  compress(ctx, block, 1, next);
}
