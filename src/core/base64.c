/* base64.c: base64 text codec, RFC 4648 §4 (standard alphabet, '=' padding).
 * Layout: every 3 input bytes b0 b1 b2 become 4 characters of 6 bits each:
 *   b0[7..2] | b0[1..0] b1[7..4] | b1[3..0] b2[7..6] | b2[5..0]
 * A last group of 1 byte gives "xx==", of 2 bytes "xxx=".
 * The decoder is strict (RFC 4648 §3.3, §3.5): no whitespace, no characters
 * outside the alphabet, padding only at the very end, and the pad bits of the
 * last group must be zero, so that each byte string has one encoding only. */
#include "kexlab/ct.h"
#include "kexlab/encoding.h"

static const char b64_alphabet[64] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t kl_base64_encoded_len(size_t n)
{
  return 4 * ((n + 2) / 3);
}

size_t kl_base64_decoded_max(size_t text_len)
{
  return 3 * (text_len / 4);
}

kl_err kl_base64_encode(char *out, size_t out_cap, const uint8_t *in, size_t in_len)
{
  if (out == NULL || (in == NULL && in_len != 0))
    return KL_ERR_ARG;
  if (in_len > (SIZE_MAX / 4) * 3 - 3)
    return KL_ERR_BUF_TOO_SMALL;
  size_t need = kl_base64_encoded_len(in_len) + 1;
  if (out_cap < need)
    return KL_ERR_BUF_TOO_SMALL;
  size_t o = 0;
  size_t i = 0;
  for (; i + 3 <= in_len; i += 3) {
    uint32_t v = ((uint32_t)in[i] << 16) | ((uint32_t)in[i + 1] << 8) | in[i + 2];
    out[o++] = b64_alphabet[(v >> 18) & 63];
    out[o++] = b64_alphabet[(v >> 12) & 63];
    out[o++] = b64_alphabet[(v >> 6) & 63];
    out[o++] = b64_alphabet[v & 63];
  }
  size_t rest = in_len - i;
  if (rest > 0) {
    uint32_t v = (uint32_t)in[i] << 16;
    if (rest == 2)
      v |= (uint32_t)in[i + 1] << 8;
    out[o++] = b64_alphabet[(v >> 18) & 63];
    out[o++] = b64_alphabet[(v >> 12) & 63];
    out[o++] = rest == 2 ? b64_alphabet[(v >> 6) & 63] : '=';
    out[o++] = '=';
  }
  out[o] = '\0';
  return KL_OK;
}

/* Value of one base64 character, or -1 (also for '='). */
static int b64_value(char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Check the text and count its padding: 0, 1 or 2 '=' at the end only. */
static kl_err b64_validate(const char *in, size_t in_len, size_t *pad)
{
  if (in_len % 4 != 0)
    return KL_ERR_ENCODING;
  size_t p = 0;
  if (in_len > 0 && in[in_len - 1] == '=')
    p++;
  if (in_len > 1 && in[in_len - 2] == '=')
    p++;
  for (size_t i = 0; i < in_len - p; i++) {
    if (b64_value(in[i]) < 0)
      return KL_ERR_ENCODING; /* bad character, or '=' before the end */
  }
  *pad = p;
  return KL_OK;
}

kl_err kl_base64_decode(uint8_t *out, size_t *out_len, const char *in, size_t in_len)
{
  if (out_len == NULL || (in == NULL && in_len != 0) || (out == NULL && *out_len != 0))
    return KL_ERR_ARG;
  size_t pad = 0;
  kl_err err = b64_validate(in, in_len, &pad);
  if (err != KL_OK)
    return err;
  size_t n = kl_base64_decoded_max(in_len) - pad;
  if (*out_len < n) {
    *out_len = n;
    return KL_ERR_BUF_TOO_SMALL;
  }
  size_t o = 0;
  for (size_t i = 0; i < in_len; i += 4) {
    uint32_t c0 = (uint32_t)b64_value(in[i]);
    uint32_t c1 = (uint32_t)b64_value(in[i + 1]);
    int last = (i + 4 == in_len);
    uint32_t c2 = (last && pad == 2) ? 0 : (uint32_t)b64_value(in[i + 2]);
    uint32_t c3 = (last && pad >= 1) ? 0 : (uint32_t)b64_value(in[i + 3]);
    uint32_t v = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
    int bad_pad_bits = (last && pad == 2 && (v & 0xffff) != 0) ||
                       (last && pad == 1 && (v & 0xff) != 0);
    if (bad_pad_bits) {
      kl_wipe(out, o);        /* what was decoded may be a key: leave nothing behind */
      return KL_ERR_ENCODING; /* §3.5: pad bits must be zero */
    }
    out[o++] = (uint8_t)(v >> 16);
    if (!(last && pad == 2))
      out[o++] = (uint8_t)(v >> 8);
    if (!(last && pad >= 1))
      out[o++] = (uint8_t)v;
  }
  *out_len = o;
  return KL_OK;
}
