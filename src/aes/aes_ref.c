/* aes_ref.c: AES as FIPS 197 writes it (reference path): §5.1 Cipher (Figure 5)
 * §5.3 InvCipher (Figure 12) and §5.3.5 EqInvCipher (Figure 15), with SubBytes, ShiftRows, MixColumns,
 * AddRoundKey and their inverses as separate functions a student can step into.
 * The State is the 4x4 byte matrix of §3.4, s[r][c] = in[r + 4c].
 * Must agree with aes_ttable.c on every vector (tests/test_aes.c).
 * Timing: NOT constant-time (the S-box is indexed by secret bytes).
 * Secrets: the State is wiped on exit. Symbols: Nb, Nr, w[], s[r][c], xtime().
 * Trace: App. C labels, index = round (see kexlab/aes.h). See docs/aes.md. */
#include <string.h>

#include "aes/aes_internal.h"
#include "aes/aes_tables.h"
#include "aes/gf256.h"
#include "core/trace_internal.h"
#include "kexlab/ct.h"

#define Nb 4u

typedef uint8_t state_t[4][4]; /* s[r][c]: row r, column c */

/* s is only read (a const two-dimensional parameter needs a cast in C11). */
static void trace_state(const kl_tracer *tr, const char *label, unsigned round, state_t s)
{
  (void)label; /* unused under -Dtrace=false */
  (void)round;
  (void)s;
  KL_TRACE_MATRIX(tr, label, (int)round, &s[0][0], 4, 4);
}

/* A round key (the four words rk[0..3]) as a matrix: column c is word c, row r
 * its r-th byte (§5.1.4: [s'_0c..s'_3c] = [s_0c..s_3c] ^ w[round*Nb+c]). */
static void trace_key(const kl_tracer *tr, const char *label, unsigned index, const uint32_t *rk)
{
  if (KL_TRACING(tr)) {
    state_t k;
    for (unsigned c = 0; c < Nb; c++) {
      for (unsigned r = 0; r < 4; r++)
        k[r][c] = (uint8_t)(rk[c] >> (24 - 8 * r));
    }
    trace_state(tr, label, index, k);
    kl_wipe(k, sizeof k);
  }
}

/* §5.1.1 SubBytes(): each byte through the S-box (derived at build time from
 * the GF(2^8) inverse and the affine map; see gf256.c and tablegen.c). */
static void sub_bytes(state_t s)
{
  for (unsigned r = 0; r < 4; r++) {
    for (unsigned c = 0; c < Nb; c++)
      s[r][c] = kli_aes_sbox[s[r][c]];
  }
}

/* §5.3.2 InvSubBytes(). */
static void inv_sub_bytes(state_t s)
{
  for (unsigned r = 0; r < 4; r++) {
    for (unsigned c = 0; c < Nb; c++)
      s[r][c] = kli_aes_inv_sbox[s[r][c]];
  }
}

/* §5.1.2 ShiftRows(): s'[r][c] = s[r][(c + shift(r, Nb)) mod Nb], shift(r, 4) = r. */
static void shift_rows(state_t s)
{
  for (unsigned r = 1; r < 4; r++) {
    uint8_t row[4];
    for (unsigned c = 0; c < Nb; c++)
      row[c] = s[r][(c + r) % Nb];
    memcpy(s[r], row, sizeof row);
  }
}

/* §5.3.1 InvShiftRows(): s'[r][(c + shift(r, Nb)) mod Nb] = s[r][c]. */
static void inv_shift_rows(state_t s)
{
  for (unsigned r = 1; r < 4; r++) {
    uint8_t row[4];
    for (unsigned c = 0; c < Nb; c++)
      row[(c + r) % Nb] = s[r][c];
    memcpy(s[r], row, sizeof row);
  }
}

/* §5.1.3 MixColumns(): each column times a(x) = {03}x^3 + {01}x^2 + {01}x + {02}
 * modulo x^4 + 1, i.e. eq. (5.6):
 *   s'0 = {02}s0 ^ {03}s1 ^ s2 ^ s3        s'2 = s0 ^ s1 ^ {02}s2 ^ {03}s3
 *   s'1 = s0 ^ {02}s1 ^ {03}s2 ^ s3        s'3 = {03}s0 ^ s1 ^ s2 ^ {02}s3
 * with {02}x = xtime(x) and {03}x = xtime(x) ^ x (§4.2.1). */
static void mix_columns(state_t s)
{
  for (unsigned c = 0; c < Nb; c++) {
    uint8_t s0 = s[0][c], s1 = s[1][c], s2 = s[2][c], s3 = s[3][c];
    s[0][c] = (uint8_t)(kli_gf_xtime(s0) ^ (kli_gf_xtime(s1) ^ s1) ^ s2 ^ s3);
    s[1][c] = (uint8_t)(s0 ^ kli_gf_xtime(s1) ^ (kli_gf_xtime(s2) ^ s2) ^ s3);
    s[2][c] = (uint8_t)(s0 ^ s1 ^ kli_gf_xtime(s2) ^ (kli_gf_xtime(s3) ^ s3));
    s[3][c] = (uint8_t)((kli_gf_xtime(s0) ^ s0) ^ s1 ^ s2 ^ kli_gf_xtime(s3));
  }
}

/* §4.2.1: the four multiples InvMixColumns needs, by the method §4.2.1 gives
 * for higher powers of x: {02}a = xtime(a), {04}a, {08}a, then XOR, e.g.
 * {0b}a = ({08} ^ {02} ^ {01})a. Three xtime per byte. */
typedef struct inv_multiples {
  uint8_t x09, x0b, x0d, x0e; /* {09}a, {0b}a, {0d}a, {0e}a */
} inv_multiples;

static inv_multiples multiples(uint8_t a)
{
  uint8_t a2 = kli_gf_xtime(a), a4 = kli_gf_xtime(a2), a8 = kli_gf_xtime(a4);
  inv_multiples m;
  m.x09 = (uint8_t)(a8 ^ a);
  m.x0b = (uint8_t)(a8 ^ a2 ^ a);
  m.x0d = (uint8_t)(a8 ^ a4 ^ a);
  m.x0e = (uint8_t)(a8 ^ a4 ^ a2);
  return m;
}

/* §5.3.3 InvMixColumns(): each column times a^-1(x) = {0b}x^3 + {0d}x^2 + {09}x + {0e}
 * modulo x^4 + 1, written out as eq. (5.10):
 *   s'0,c = ({0e}•s0,c) ^ ({0b}•s1,c) ^ ({0d}•s2,c) ^ ({09}•s3,c)
 *   s'1,c = ({09}•s0,c) ^ ({0e}•s1,c) ^ ({0b}•s2,c) ^ ({0d}•s3,c)
 *   s'2,c = ({0d}•s0,c) ^ ({09}•s1,c) ^ ({0e}•s2,c) ^ ({0b}•s3,c)
 *   s'3,c = ({0b}•s0,c) ^ ({0d}•s1,c) ^ ({09}•s2,c) ^ ({0e}•s3,c)
 * m_r holds the multiples of s_r,c (multiples() above). */
static void inv_mix_columns(state_t s)
{
  for (unsigned c = 0; c < Nb; c++) {
    inv_multiples m0 = multiples(s[0][c]), m1 = multiples(s[1][c]);
    inv_multiples m2 = multiples(s[2][c]), m3 = multiples(s[3][c]);
    s[0][c] = (uint8_t)(m0.x0e ^ m1.x0b ^ m2.x0d ^ m3.x09);
    s[1][c] = (uint8_t)(m0.x09 ^ m1.x0e ^ m2.x0b ^ m3.x0d);
    s[2][c] = (uint8_t)(m0.x0d ^ m1.x09 ^ m2.x0e ^ m3.x0b);
    s[3][c] = (uint8_t)(m0.x0b ^ m1.x0d ^ m2.x09 ^ m3.x0e);
  }
}

/* §5.1.4 AddRoundKey(): column c gets XOR with w[round*Nb + c] (its own inverse). */
static void add_round_key(state_t s, const uint32_t *w, unsigned round)
{
  for (unsigned c = 0; c < Nb; c++) {
    uint32_t word = w[round * Nb + c];
    for (unsigned r = 0; r < 4; r++)
      s[r][c] ^= (uint8_t)(word >> (24 - 8 * r));
  }
}

/* §3.4: in[r + 4c] -> s[r][c], and back. */
static void load_state(state_t s, const uint8_t in[16])
{
  for (unsigned r = 0; r < 4; r++) {
    for (unsigned c = 0; c < Nb; c++)
      s[r][c] = in[r + 4 * c];
  }
}

static void store_state(uint8_t out[16], state_t s) /* s is only read */
{
  for (unsigned r = 0; r < 4; r++) {
    for (unsigned c = 0; c < Nb; c++)
      out[r + 4 * c] = s[r][c];
  }
}

void kli_aes_ref_encrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const kl_tracer *tr = key->tracer;
  const unsigned Nr = key->Nr;
  state_t s;

  /* Figure 5: state = in */
  load_state(s, in);
  trace_state(tr, "input", 0, s);
  trace_key(tr, "k_sch", 0, key->w);
  /* AddRoundKey(state, w[0, Nb-1]) */
  add_round_key(s, key->w, 0);
  for (unsigned round = 1; round < Nr; round++) {
    trace_state(tr, "start", round, s);
    sub_bytes(s);
    trace_state(tr, "s_box", round, s);
    shift_rows(s);
    trace_state(tr, "s_row", round, s);
    mix_columns(s);
    trace_state(tr, "m_col", round, s);
    trace_key(tr, "k_sch", round, key->w + round * Nb);
    add_round_key(s, key->w, round); /* w[round*Nb, (round+1)*Nb-1] */
  }
  /* The final round has no MixColumns(). */
  trace_state(tr, "start", Nr, s);
  sub_bytes(s);
  trace_state(tr, "s_box", Nr, s);
  shift_rows(s);
  trace_state(tr, "s_row", Nr, s);
  trace_key(tr, "k_sch", Nr, key->w + Nr * Nb);
  add_round_key(s, key->w, Nr);
  trace_state(tr, "output", Nr, s);
  store_state(out, s);
  kl_wipe(s, sizeof s);
}

void kli_aes_ref_decrypt_block(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const kl_tracer *tr = key->tracer;
  const unsigned Nr = key->Nr;
  state_t s;

  /* Figure 12: the Cipher's steps inverted and in reverse order. App. C
   * numbers the inverse rounds upwards (round r uses round key Nr - r). */
  load_state(s, in);
  trace_state(tr, "iinput", 0, s);
  trace_key(tr, "ik_sch", 0, key->w + Nr * Nb);
  add_round_key(s, key->w, Nr); /* AddRoundKey(state, w[Nr*Nb, (Nr+1)*Nb-1]) */
  for (unsigned round = Nr - 1; round >= 1; round--) {
    unsigned r = Nr - round; /* App. C's round counter */
    trace_state(tr, "istart", r, s);
    inv_shift_rows(s);
    trace_state(tr, "is_row", r, s);
    inv_sub_bytes(s);
    trace_state(tr, "is_box", r, s);
    trace_key(tr, "ik_sch", r, key->w + round * Nb);
    add_round_key(s, key->w, round);
    trace_state(tr, "ik_add", r, s);
    inv_mix_columns(s);
  }
  trace_state(tr, "istart", Nr, s);
  inv_shift_rows(s);
  trace_state(tr, "is_row", Nr, s);
  inv_sub_bytes(s);
  trace_state(tr, "is_box", Nr, s);
  trace_key(tr, "ik_sch", Nr, key->w);
  add_round_key(s, key->w, 0);
  trace_state(tr, "ioutput", Nr, s);
  store_state(out, s);
  kl_wipe(s, sizeof s);
}

void kli_aes_ref_decrypt_block_eqv(const kl_aes_key *key, uint8_t out[16], const uint8_t in[16])
{
  const kl_tracer *tr = key->tracer;
  const unsigned Nr = key->Nr;
  state_t s;

  /* Figure 15: InvSubBytes and InvShiftRows swapped, InvMixColumns before
   * AddRoundKey, with the round keys dw[] (key_expansion.c: InvMixColumns of
   * w[] for rounds 1..Nr-1). App. C numbers the rounds upwards, as above. */
  load_state(s, in);
  trace_state(tr, "iinput", 0, s);
  trace_key(tr, "ik_sch", 0, key->dw + Nr * Nb);
  add_round_key(s, key->dw, Nr); /* AddRoundKey(state, dw[Nr*Nb, (Nr+1)*Nb-1]) */
  for (unsigned round = Nr - 1; round >= 1; round--) {
    unsigned r = Nr - round; /* App. C's round counter */
    trace_state(tr, "istart", r, s);
    inv_sub_bytes(s);
    trace_state(tr, "is_box", r, s);
    inv_shift_rows(s);
    trace_state(tr, "is_row", r, s);
    inv_mix_columns(s);
    trace_state(tr, "im_col", r, s);
    trace_key(tr, "ik_sch", r, key->dw + round * Nb);
    add_round_key(s, key->dw, round); /* dw[round*Nb, (round+1)*Nb-1] */
  }
  trace_state(tr, "istart", Nr, s);
  inv_sub_bytes(s);
  trace_state(tr, "is_box", Nr, s);
  inv_shift_rows(s);
  trace_state(tr, "is_row", Nr, s);
  trace_key(tr, "ik_sch", Nr, key->dw);
  add_round_key(s, key->dw, 0);
  trace_state(tr, "ioutput", Nr, s);
  store_state(out, s);
  kl_wipe(s, sizeof s);
}
