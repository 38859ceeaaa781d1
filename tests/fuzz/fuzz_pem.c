/* fuzz_pem.c: PEM armor, RFC 7468 (kl_pem_decode, src/core/pem.c).
 * Input: the text.
 * Properties, for every text the reader accepts:
 *  - the label it returns is an RFC 7468 §3 label;
 *  - round trip: armoring the DER under the label (the writer's strict form)
 *    and reading it again gives the same label and DER;
 *  - canonical: the writer's form is a fixed point (written, read and
 *    written again it is the same text), and it is what kl_pem_encoded_len
 *    says;
 *  - a capacity one octet short gives KL_ERR_BUF_TOO_SMALL, never a write
 *    past it (ASan watches the exact-size buffer). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/encoding.h"
#include "kexlab/pem.h"

/* RFC 7468 §3: labelchar = %x21-2C / %x2E-7E;
 * label = [ labelchar *( ["-" / SP] labelchar ) ]. */
static int plain_label(const char *s, size_t n)
{
  int after_sep = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '-' || c == ' ') {
      if (i == 0 || after_sep)
        return 0;
      after_sep = 1;
      continue;
    }
    if (c < 0x21 || c > 0x7e)
      return 0;
    after_sep = 0;
  }
  return !after_sep;
}

/* Armor der under label into a malloc'd NUL-terminated text. */
static char *armor(const char *label, const uint8_t *der, size_t der_len, size_t *len)
{
  size_t need = kl_pem_encoded_len(strlen(label), der_len) + 1;
  char *out = malloc(need);
  fz_require(out != NULL, "memory");
  *len = need;
  fz_require(kl_pem_encode(out, len, label, der, der_len) == KL_OK, "the writer takes the label");
  fz_require(*len == need - 1, "kl_pem_encoded_len is the written length");
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  size_t cap = kl_base64_decoded_max(size);
  uint8_t *der = malloc(cap + 1);
  fz_require(der != NULL, "memory");
  size_t der_len = cap;
  const char *label_p = NULL, *why = NULL;
  size_t label_len = 0;
  kl_err err = kl_pem_decode(der, &der_len, &label_p, &label_len, text, size, &why);
  fz_require(err == KL_OK || err == KL_ERR_ENCODING, "accepted or KL_ERR_ENCODING");
  fz_require(err == KL_OK || why != NULL, "a rejection names its reason");
  if (err != KL_OK) {
    free(der);
    return 0;
  }
  fz_require(kl_pem_looks_like(text, size), "an accepted text looks like PEM");
  fz_require(label_p >= text && label_p + label_len <= text + size, "label inside the text");
  fz_require(plain_label(label_p, label_len), "the label is an RFC 7468 label");
  char *label = malloc(label_len + 1);
  fz_require(label != NULL, "memory");
  memcpy(label, label_p, label_len);
  label[label_len] = '\0';

  /* One octet short: refused, nothing written past the buffer. */
  if (der_len > 0) {
    uint8_t *small = malloc(der_len - 1 + 1);
    size_t small_len = der_len - 1;
    fz_require(small != NULL, "memory");
    fz_require(kl_pem_decode(small, &small_len, &label_p, &label_len, text, size, NULL) ==
                 KL_ERR_BUF_TOO_SMALL,
               "a short buffer gives KL_ERR_BUF_TOO_SMALL");
    free(small);
  }

  /* Round trip through the writer's form, which is a fixed point. */
  size_t pem_len;
  char *pem = armor(label, der, der_len, &pem_len);
  uint8_t *der2 = malloc(der_len + 1);
  fz_require(der2 != NULL, "memory");
  size_t der2_len = der_len;
  fz_require(kl_pem_decode(der2, &der2_len, &label_p, &label_len, pem, pem_len, NULL) == KL_OK,
             "the writer's form is read back");
  fz_require_eq((const uint8_t *)label_p, label_len, (const uint8_t *)label, strlen(label),
                "round trip: label");
  fz_require_eq(der2, der2_len, der, der_len, "round trip: DER");
  size_t pem2_len;
  char *pem2 = armor(label, der2, der2_len, &pem2_len);
  fz_require_eq((const uint8_t *)pem2, pem2_len, (const uint8_t *)pem, pem_len,
                "canonical: written again, the same text");
  free(pem2);
  free(der2);
  free(pem);
  free(label);
  free(der);
  return 0;
}
