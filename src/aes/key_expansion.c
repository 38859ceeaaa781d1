/* key_expansion.c: AES KeyExpansion, FIPS 197 §5.2 (Figure 11), and the
 * decryption schedule dw[] of the Equivalent Inverse Cipher, §5.3.5 (Figure 15).
 * Shared by every implementation: w[] drives the Cipher and the InvCipher,
 * dw[] drives the table path's decryption.
 * Timing: SubWord indexes the S-box with key bytes (not constant-time, like the
 * rest of this layer: see docs/aes.md). Secrets: temp is wiped on exit.
 * Symbols: Nk, Nb = 4, Nr, w[i], temp, Rcon[i/Nk], RotWord(), SubWord(), dw[].
 * Trace labels (Appendix A columns): "w" (i < Nk), then per i >= Nk: "temp",
 * "RotWord", "SubWord", "Rcon", "xor_Rcon", "w[i-Nk]", "w". */
#include <string.h>

#include "aes/aes_internal.h"
#include "aes/aes_tables.h"
#include "aes/gf256.h"
#include "core/bytes.h"
#include "core/trace_internal.h"
#include "kexlab/ct.h"

#define Nb 4u /* §3.4: columns of the State; fixed by the standard */

static void trace_word(const kl_tracer *tr, const char *label, unsigned i, uint32_t v)
{
  (void)label; /* unused under -Dtrace=false */
  (void)i;
  if (KL_TRACING(tr)) {
    uint8_t b[4];
    kli_store_be32(b, v);
    KL_TRACE(tr, label, (int)i, b, 4);
  }
}

/* §5.2: SubWord() applies the S-box to each of the four bytes of a word. */
static uint32_t SubWord(uint32_t x)
{
  return ((uint32_t)kli_aes_sbox[x >> 24] << 24) |
         ((uint32_t)kli_aes_sbox[(x >> 16) & 0xff] << 16) |
         ((uint32_t)kli_aes_sbox[(x >> 8) & 0xff] << 8) | kli_aes_sbox[x & 0xff];
}

/* §5.2: RotWord([a0,a1,a2,a3]) = [a1,a2,a3,a0]. */
static uint32_t RotWord(uint32_t x)
{
  return kli_rotl32(x, 8);
}

/* §5.3.3 InvMixColumns applied to one word (a column), used by §5.3.5 to
 * transform round keys 1..Nr-1 for the Equivalent Inverse Cipher. */
static uint32_t inv_mix_column(uint32_t col)
{
  uint8_t a[4], r[4];
  kli_store_be32(a, col);
  for (unsigned i = 0; i < 4; i++) {
    /* §5.3.3: s'_i = 0e•s_i ^ 0b•s_(i+1) ^ 0d•s_(i+2) ^ 09•s_(i+3) */
    r[i] = (uint8_t)(kli_gf_mul(a[i], 0x0e) ^ kli_gf_mul(a[(i + 1) & 3], 0x0b) ^
                     kli_gf_mul(a[(i + 2) & 3], 0x0d) ^ kli_gf_mul(a[(i + 3) & 3], 0x09));
  }
  uint32_t out = kli_load_be32(r);
  kl_wipe(a, sizeof a);
  kl_wipe(r, sizeof r);
  return out;
}

void kli_aes_key_expansion(kl_aes_key *key, const uint8_t *k, unsigned Nk, const kl_tracer *tr)
{
  const unsigned Nr = Nk + 6; /* §5, Figure 4: Nr = 10, 12, 14 for Nk = 4, 6, 8 */
  const unsigned words = Nb * (Nr + 1);
  uint32_t *w = key->w;
  uint32_t temp = 0;
  uint8_t Rcon = 0x01; /* §5.2: Rcon[1] = [{01},{00},{00},{00}]; Rcon[j+1] = xtime(Rcon[j]) */

  key->Nk = Nk;
  key->Nr = Nr;

  /* Figure 11: the first Nk words are the key itself. */
  for (unsigned i = 0; i < Nk; i++) {
    w[i] = kli_load_be32(k + 4 * i);
    trace_word(tr, "w", i, w[i]);
  }
  for (unsigned i = Nk; i < words; i++) {
    temp = w[i - 1];
    trace_word(tr, "temp", i, temp);
    if (i % Nk == 0) {
      temp = RotWord(temp);
      trace_word(tr, "RotWord", i, temp);
      temp = SubWord(temp);
      trace_word(tr, "SubWord", i, temp);
      trace_word(tr, "Rcon", i, (uint32_t)Rcon << 24);
      temp ^= (uint32_t)Rcon << 24; /* temp = SubWord(RotWord(temp)) xor Rcon[i/Nk] */
      trace_word(tr, "xor_Rcon", i, temp);
      Rcon = kli_gf_xtime(Rcon);
    } else if (Nk > 6 && i % Nk == 4) {
      temp = SubWord(temp); /* AES-256 only */
      trace_word(tr, "SubWord", i, temp);
    }
    trace_word(tr, "w[i-Nk]", i, w[i - Nk]);
    w[i] = w[i - Nk] ^ temp;
    trace_word(tr, "w", i, w[i]);
  }
  for (unsigned i = words; i < sizeof key->w / sizeof key->w[0]; i++)
    w[i] = 0;

  /* §5.3.5, Figure 15: dw = w, then InvMixColumns on rounds 1..Nr-1.
   * Why: the Equivalent Inverse Cipher swaps InvMixColumns and AddRoundKey
   * (InvMixColumns is linear, so InvMixColumns(s ^ k) = InvMixColumns(s) ^
   * InvMixColumns(k)); moving the key after InvMixColumns needs the key to
   * pass through InvMixColumns too. The first and last round keys meet no
   * MixColumns and stay as they are. */
  for (unsigned i = 0; i < sizeof key->dw / sizeof key->dw[0]; i++)
    key->dw[i] = i < words ? w[i] : 0;
  for (unsigned round = 1; round < Nr; round++) {
    for (unsigned c = 0; c < Nb; c++)
      key->dw[round * Nb + c] = inv_mix_column(w[round * Nb + c]);
  }
  kl_wipe(&temp, sizeof temp);
}
