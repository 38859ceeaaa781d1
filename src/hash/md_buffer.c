/* md_buffer.c: the Merkle-Damgard message handling SHA-1 and SHA-256 share,
 * FIPS 180-4 (Aug. 2015): parsing the message into 512-bit blocks (§5.2.1),
 * with a partial block kept between update calls, and the padding (§5.1.1)
 * that completes the last one or two blocks. Each hash's own compression
 * function (§6.1.2, §6.2.2) is called back on the whole blocks; sha1.c and
 * sha256.c own the algorithm, this file only cuts the message up.
 * Timing: branches on lengths only, never on the message bytes.
 * Symbols: M(i) (block i, counted from 1), l (message length in bits), k.
 * See docs/hash.md. */
#include <string.h>

#include "core/bytes.h"
#include "hash/hash_internal.h"

/* Blocks compressed so far: every byte of the message but the buffered ones. */
static uint64_t blocks_done(size_t block_len, uint64_t total_len)
{
  return (total_len - block_len) / KLI_MD_BLOCK_BYTES;
}

void kli_md_parse_message(uint8_t block[KLI_MD_BLOCK_BYTES], size_t *block_len, uint64_t *total_len,
                          const uint8_t *data, size_t len, kli_md_compress_fn *compress, void *ctx)
{
  if (len == 0)
    return;
  uint64_t next = blocks_done(*block_len, *total_len) + 1; /* i of the next M(i) */
  *total_len += len;
  /* Top up a partial block first. */
  if (*block_len > 0) {
    size_t take = KLI_MD_BLOCK_BYTES - *block_len;
    if (take > len)
      take = len;
    memcpy(block + *block_len, data, take);
    *block_len += take;
    data += take;
    len -= take;
    if (*block_len < KLI_MD_BLOCK_BYTES)
      return;
    compress(ctx, block, 1, next++);
    *block_len = 0;
  }
  /* Whole blocks straight from the caller's buffer (no copy). */
  size_t nblocks = len / KLI_MD_BLOCK_BYTES;
  if (nblocks > 0) {
    compress(ctx, data, nblocks, next);
    data += nblocks * KLI_MD_BLOCK_BYTES;
    len -= nblocks * KLI_MD_BLOCK_BYTES;
  }
  /* Keep the tail for later. */
  if (len > 0) {
    memcpy(block, data, len);
    *block_len = len;
  }
}

void kli_md_pad_message(uint8_t block[KLI_MD_BLOCK_BYTES], size_t block_len, uint64_t total_len,
                        kli_md_compress_fn *compress, void *ctx)
{
  /* §5.1.1: append the bit "1", then k zero bits with l + 1 + k = 448 mod 512,
   * then l, the message length in bits, as a 64-bit big-endian integer.
   *   ... message tail | 80 | 00 ... 00 | l (8 bytes) |   (one or two blocks) */
  uint64_t l = total_len * 8;
  uint64_t next = blocks_done(block_len, total_len) + 1;
  size_t n = block_len;
  block[n++] = 0x80;
  if (n > 56) {
    /* No room for l in this block: zero-fill it, process, start another. */
    memset(block + n, 0, KLI_MD_BLOCK_BYTES - n);
    compress(ctx, block, 1, next++);
    n = 0;
  }
  memset(block + n, 0, 56 - n);
  kli_store_be64(block + 56, l);
  compress(ctx, block, 1, next);
}
