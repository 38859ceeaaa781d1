/* fuzz_kex_frame.c: the protocol's frame parser (kl_kex_frame_parse,
 * src/kex/frame.c), both profiles.
 * Input: a byte choosing the profile (even: hardened, odd: seed), then the
 * frame.
 * Properties:
 *  - differential: the plain reading of the layouts of docs/protocol.md
 *    below (seed IV(16) || C; hardened ver(1) type(1) id(16) seq(8, big-
 *    endian) IV(16) C tag(32); C a positive multiple of 16) accepts the same
 *    frames, and finds every field where the parser does;
 *  - canonical: the fields, laid end to end, are the frame (nothing skipped,
 *    nothing counted twice), and kl_kex_frame_len of a payload that pads to
 *    C's length is the frame's length. */
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/kex.h"

static uint64_t be64(const uint8_t *p)
{
  uint64_t x = 0;
  for (int i = 0; i < 8; i++)
    x = x << 8 | p[i];
  return x;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fz_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  kl_kex_profile p = fz_byte(&in) % 2 == 0 ? KL_KEX_PROFILE_HARDENED : KL_KEX_PROFILE_SEED;
  const uint8_t *f = in.p;
  size_t n = in.n;
  kl_kex_frame_view v;
  kl_err err = kl_kex_frame_parse(&v, p, f, n);
  fz_require(err == KL_OK || err == KL_ERR_DECRYPT, "KL_OK or KL_ERR_DECRYPT");

  size_t head = p == KL_KEX_PROFILE_SEED ? 16 : 26 + 16;
  size_t tail = p == KL_KEX_PROFILE_SEED ? 0 : 32;
  int plain = n >= head + tail + 16 && (n - head - tail) % 16 == 0;
  fz_require((err == KL_OK) == plain, "library and docs/protocol.md layout agree");
  if (!plain)
    return 0;
  size_t c_len = n - head - tail;
  fz_require(v.profile == p, "the profile");
  fz_require(v.iv == f + head - 16, "IV where the layout puts it");
  fz_require(v.ciphertext == f + head && v.ciphertext_len == c_len, "C where the layout puts it");
  if (p == KL_KEX_PROFILE_HARDENED) {
    fz_require(v.version == f[0] && v.type == f[1], "version and type");
    fz_require(v.session_id == f + 2, "session id");
    fz_require(v.seq == be64(f + 18), "sequence number, big-endian");
    fz_require(v.tag == f + n - 32, "tag");
    fz_require(v.session_id + KL_KEX_ID_BYTES + 8 == v.iv && v.iv + 16 == v.ciphertext &&
                 v.ciphertext + v.ciphertext_len == v.tag,
               "the fields lie end to end");
  } else {
    fz_require(v.iv + 16 == v.ciphertext && v.ciphertext + v.ciphertext_len == f + n,
               "the fields lie end to end");
  }
  fz_require(kl_kex_frame_len(p, c_len - 1) == n, "kl_kex_frame_len agrees");
  return 0;
}
