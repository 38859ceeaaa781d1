/* fuzz_encoding.c: hex (RFC 4648 §8) and base64 (RFC 4648 §4) decoding.
 * Input: one byte choosing the codec (even: hex, odd: base64), then the text.
 * Properties:
 *  - differential: the library's decoder and the plain decoders below, each a
 *    direct reading of the RFC's alphabet table, accept the same texts and
 *    give the same bytes;
 *  - canonical: re-encoding what was decoded gives the text back (base64:
 *    exactly, the decoder being strict; hex: in lower case);
 *  - round trip: the text taken as bytes, encoded and decoded, comes back. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/encoding.h"

/* ---- plain decoders ---- */

/* The value of a hex digit, or -1. */
static int hex_value(uint8_t c)
{
  const char *digits = "0123456789abcdef";
  const char *upper = "0123456789ABCDEF";
  for (int v = 0; v < 16; v++) {
    if (c == (uint8_t)digits[v] || c == (uint8_t)upper[v])
      return v;
  }
  return -1;
}

/* 1 and out filled (n/2 bytes), or 0 when text is not hex. */
static int plain_hex(uint8_t *out, const uint8_t *text, size_t n)
{
  if (n % 2 != 0)
    return 0;
  for (size_t i = 0; i < n; i += 2) {
    int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0)
      return 0;
    out[i / 2] = (uint8_t)(hi * 16 + lo);
  }
  return 1;
}

/* RFC 4648 Table 1: the value of a base64 character, or -1. */
static int b64_value(uint8_t c)
{
  const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int v = 0; v < 64; v++) {
    if (c == (uint8_t)alphabet[v])
      return v;
  }
  return -1;
}

/* RFC 4648 §4 read strictly: groups of four characters; '=' only in the last
 * group, as its last one or two characters; the bits a shorter final quantum
 * leaves over are zero (§3.5: a decoder MAY reject otherwise, and we do).
 * 1 with *out_len set, or 0. */
static int plain_base64(uint8_t *out, size_t *out_len, const uint8_t *text, size_t n)
{
  *out_len = 0;
  if (n % 4 != 0)
    return 0;
  for (size_t g = 0; g < n; g += 4) {
    int last = g + 4 == n;
    int v[4];
    size_t pad = 0;
    for (size_t i = 0; i < 4; i++) {
      if (text[g + i] == '=') {
        v[i] = 0;
        pad++;
        continue;
      }
      if (pad > 0)
        return 0; /* a character after '=' */
      v[i] = b64_value(text[g + i]);
      if (v[i] < 0)
        return 0;
    }
    if (pad > 2 || (pad > 0 && !last))
      return 0;
    uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
                    (uint32_t)v[3];
    if (pad == 2 && (bits & 0xffff) != 0)
      return 0;
    if (pad == 1 && (bits & 0xff) != 0)
      return 0;
    out[(*out_len)++] = (uint8_t)(bits >> 16);
    if (pad < 2)
      out[(*out_len)++] = (uint8_t)(bits >> 8);
    if (pad < 1)
      out[(*out_len)++] = (uint8_t)bits;
  }
  return 1;
}

/* ---- the harness ---- */

static void hex_case(const uint8_t *text, size_t n, uint8_t *got, uint8_t *want, char *re)
{
  size_t got_len = n / 2 + 1;
  kl_err err = kl_hex_decode(got, &got_len, (const char *)text, n);
  int ok = plain_hex(want, text, n);
  fz_require((err == KL_OK) == ok, "hex: library and RFC 4648 reading accept the same texts");
  if (!ok)
    return;
  fz_require_eq(got, got_len, want, n / 2, "hex: decoded bytes");
  fz_require(kl_hex_encode(re, n + 1, got, got_len) == KL_OK, "hex: encode");
  for (size_t i = 0; i < n; i++) {
    uint8_t c = text[i] >= 'A' && text[i] <= 'F' ? (uint8_t)(text[i] - 'A' + 'a') : text[i];
    fz_require((uint8_t)re[i] == c, "hex: re-encoding gives the text in lower case");
  }
}

static void base64_case(const uint8_t *text, size_t n, uint8_t *got, uint8_t *want, char *re)
{
  size_t got_len = kl_base64_decoded_max(n), want_len;
  kl_err err = kl_base64_decode(got, &got_len, (const char *)text, n);
  int ok = plain_base64(want, &want_len, text, n);
  fz_require((err == KL_OK) == ok, "base64: library and RFC 4648 reading accept the same texts");
  if (!ok)
    return;
  fz_require_eq(got, got_len, want, want_len, "base64: decoded bytes");
  fz_require(kl_base64_encode(re, n + 1, got, got_len) == KL_OK, "base64: encode");
  fz_require_eq((const uint8_t *)re, strlen(re), text, n, "base64: re-encoding gives the text");
}

/* Encode the raw bytes with both codecs and decode them again. */
static void round_trip(const uint8_t *raw, size_t n)
{
  size_t cap = 2 * n + 4 * (n / 3 + 1) + 1;
  char *text = malloc(cap);
  uint8_t *back = malloc(n + 3);
  fz_require(text != NULL && back != NULL, "memory");
  fz_require(kl_hex_encode(text, cap, raw, n) == KL_OK, "hex encode");
  size_t back_len = n + 3;
  fz_require(kl_hex_decode(back, &back_len, text, strlen(text)) == KL_OK, "hex round trip");
  fz_require_eq(back, back_len, raw, n, "hex round trip");
  fz_require(strlen(text) == kl_hex_encoded_len(n), "hex encoded length");
  fz_require(kl_base64_encode(text, cap, raw, n) == KL_OK, "base64 encode");
  fz_require(strlen(text) == kl_base64_encoded_len(n), "base64 encoded length");
  back_len = n + 3;
  fz_require(kl_base64_decode(back, &back_len, text, strlen(text)) == KL_OK, "base64 round trip");
  fz_require_eq(back, back_len, raw, n, "base64 round trip");
  free(text);
  free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  fz_input in = {data, size};
  uint8_t which = fz_byte(&in);
  const uint8_t *text = in.p;
  size_t n = in.n;
  uint8_t *got = malloc(n + 1), *want = malloc(n + 1);
  char *re = malloc(n + 1);
  fz_require(got != NULL && want != NULL && re != NULL, "memory");
  if (which % 2 == 0)
    hex_case(text, n, got, want, re);
  else
    base64_case(text, n, got, want, re);
  round_trip(text, n);
  free(got);
  free(want);
  free(re);
  return 0;
}
