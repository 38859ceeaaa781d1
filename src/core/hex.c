/* hex.c: hex text codec, RFC 4648 §8 ("base16"), lower case out, either case in.
 * Strict: an odd length or any non-hex character is KL_ERR_ENCODING.
 * Timing: the decoder branches on the characters; use it for public data and
 * for secrets typed by a person (keys on a command line), not in hot paths. */
#include "kexlab/encoding.h"

static const char hex_digits[16] = "0123456789abcdef";

size_t kl_hex_encoded_len(size_t n)
{
  return 2 * n;
}

kl_err kl_hex_encode(char *out, size_t out_cap, const uint8_t *in, size_t in_len)
{
  if (out == NULL || (in == NULL && in_len != 0))
    return KL_ERR_ARG;
  if (in_len > (SIZE_MAX - 1) / 2 || out_cap < 2 * in_len + 1)
    return KL_ERR_BUF_TOO_SMALL;
  for (size_t i = 0; i < in_len; i++) {
    out[2 * i] = hex_digits[in[i] >> 4];
    out[2 * i + 1] = hex_digits[in[i] & 0x0f];
  }
  out[2 * in_len] = '\0';
  return KL_OK;
}

/* Value of one hex digit, or -1. */
static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

kl_err kl_hex_decode(uint8_t *out, size_t *out_len, const char *in, size_t in_len)
{
  if (out_len == NULL || (in == NULL && in_len != 0) || (out == NULL && *out_len != 0))
    return KL_ERR_ARG;
  if (in_len % 2 != 0)
    return KL_ERR_ENCODING;
  size_t n = in_len / 2;
  for (size_t i = 0; i < in_len; i++) {
    if (hex_value(in[i]) < 0)
      return KL_ERR_ENCODING;
  }
  if (*out_len < n) {
    *out_len = n;
    return KL_ERR_BUF_TOO_SMALL;
  }
  for (size_t i = 0; i < n; i++) {
    int hi = hex_value(in[2 * i]);
    int lo = hex_value(in[2 * i + 1]);
    out[i] = (uint8_t)((hi << 4) | lo);
  }
  *out_len = n;
  return KL_OK;
}
