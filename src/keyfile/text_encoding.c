/* text_encoding.c: key files saved as UTF-16 text. PowerShell's
 * `$rsa.ToXmlString($true) | Out-File key.xml` (Windows PowerShell 5.1)
 * writes UTF-16LE with a byte order mark, and so do many Windows editors'
 * "Unicode" option. Every key format kexlab reads as text (PEM, .NET XML,
 * .NET JSON) is ASCII, so such a file is taken by its UTF-16 code units
 * (RFC 2781 §3.2: the BOM FF FE is little-endian, FE FF big-endian; without
 * one, units whose high octet is zero around an ASCII '<', '{' or '-' are
 * read as little-endian, the Windows default). A unit above 0x7F cannot be
 * part of a key file; UTF-32 (RFC 3629 does not cover it; its BOMs are
 * FF FE 00 00 and 00 00 FE FF) is named and refused rather than guessed.
 * Timing: NOT constant-time (a file format). Secrets: the ASCII copy holds
 * the key: the caller wipes it. */
#include <stdlib.h>

#include "kexlab/ct.h"
#include "keyfile/keyfile_internal.h"

static int starts_text(uint8_t c)
{
  return c == '<' || c == '{' || c == '-';
}

kl_err kli_keyfile_from_utf16(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len, uint8_t **out,
                              size_t *out_len)
{
  *out = NULL;
  *out_len = 0;
  if (in_len >= 4 && in[0] == 0xFF && in[1] == 0xFE && in[2] == 0 && in[3] == 0)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            "the file is UTF-32LE text; save the key as UTF-8 or ASCII");
  if (in_len >= 4 && in[0] == 0 && in[1] == 0 && in[2] == 0xFE && in[3] == 0xFF)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            "the file is UTF-32BE text; save the key as UTF-8 or ASCII");
  int big_endian = 0;
  size_t start = 2; /* after the BOM */
  const char *name = "UTF-16LE";
  if (in_len >= 2 && in[0] == 0xFE && in[1] == 0xFF) {
    big_endian = 1;
    name = "UTF-16BE";
  } else if (in_len >= 2 && starts_text(in[0]) && in[1] == 0) {
    start = 0;
    name = "UTF-16LE (without a byte order mark)";
  } else if (!(in_len >= 2 && in[0] == 0xFF && in[1] == 0xFE)) {
    return KL_OK; /* not UTF-16: read as it is */
  }
  if ((in_len - start) % 2 != 0)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, "the file is %s text of an odd length", name);
  size_t n = (in_len - start) / 2;
  uint8_t *ascii = malloc(n > 0 ? n : 1);
  if (ascii == NULL)
    return KL_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    const uint8_t *u = in + start + 2 * i;
    unsigned unit = big_endian ? (unsigned)u[0] << 8 | u[1] : (unsigned)u[1] << 8 | u[0];
    if (unit == 0 || unit > 0x7F) {
      kl_wipe(ascii, n);
      free(ascii);
      return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                              "the file is %s text with a character (U+%04X) no key file holds",
                              name, unit);
    }
    ascii[i] = (uint8_t)unit;
  }
  *out = ascii;
  *out_len = n;
  return KL_OK;
}
