/* pkcs7.c: PKCS#7 padding, RFC 5652 §6.3 (k = 16, the AES block size):
 * "the input shall be padded at the trailing end with k-(lth mod k) octets
 * all having value k-(lth mod k)".
 * The check is constant-time in the padding's contents: it always reads the
 * last 16 bytes, folds every test into one mask with the helpers of
 * core/ct_internal.h, and branches once, on the final verdict (which the
 * caller learns anyway). This is what keeps CBC decryption from becoming a
 * padding oracle that answers in different times (Vaudenay 2002) or with
 * different errors (one KL_ERR_DECRYPT for all).
 * Symbols: k = 16, n = the last byte (the claimed pad length). */
#include <string.h>

#include "core/ct_internal.h"
#include "kexlab/cbc.h"
#include "modes/modes_internal.h"

#define PAD_K 16u

size_t kl_pkcs7_padded_len(size_t len)
{
  return len + (PAD_K - len % PAD_K);
}

kl_err kl_pkcs7_pad(uint8_t *out, size_t *out_len, const uint8_t *in, size_t in_len)
{
  if (out == NULL || out_len == NULL || (in == NULL && in_len > 0))
    return KL_ERR_ARG;
  if (in_len > SIZE_MAX - PAD_K)
    return KL_ERR_ARG;
  size_t need = kl_pkcs7_padded_len(in_len);
  if (*out_len < need) {
    *out_len = need;
    return KL_ERR_BUF_TOO_SMALL;
  }
  if (in_len > 0 && out != in)
    memmove(out, in, in_len);
  uint8_t n = (uint8_t)(need - in_len); /* 1..16 */
  memset(out + in_len, n, n);
  *out_len = need;
  return KL_OK;
}

uint32_t kli_pkcs7_check(const uint8_t last[PAD_K], uint32_t *n_out)
{
  uint32_t n = last[PAD_K - 1];
  /* good = 1 iff 1 <= n <= 16 ... */
  uint32_t good = kli_ct_ge(n, 1) & kli_ct_ge(PAD_K, n);
  /* ... and each of the last n bytes equals n. Byte i (counted from the end)
   * is checked when i < n; the loop always runs 16 times. */
  for (uint32_t i = 0; i < PAD_K; i++) {
    uint32_t in_pad = kli_ct_lt(i, n);
    uint32_t same = kli_ct_eq(last[PAD_K - 1 - i], n);
    good &= kli_ct_not(in_pad) | same;
  }
  *n_out = n;
  return good;
}

kl_err kl_pkcs7_unpad_len(const uint8_t *buf, size_t len, size_t *pt_len)
{
  if (pt_len == NULL || (buf == NULL && len > 0))
    return KL_ERR_ARG;
  *pt_len = 0;
  /* The length is public (it is on the wire): branching on it leaks nothing. */
  if (len == 0 || len % PAD_K != 0)
    return KL_ERR_DECRYPT;
  uint32_t n;
  uint32_t good = kli_pkcs7_check(buf + len - PAD_K, &n);
  /* The only branch on secret-derived data: the verdict itself, which the
   * caller learns anyway (and with one error code for every cause). */
  if (good != 1)
    return KL_ERR_DECRYPT;
  *pt_len = len - n;
  return KL_OK;
}
