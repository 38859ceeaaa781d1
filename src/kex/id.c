/* id.c: session ids and profile names.
 * A session id is 128 bits laid out as a UUID version 4, RFC 9562 §5.4
 * (which obsoletes RFC 4122 §4.4): 122 random bits, the version nibble 0100 in
 * the high half of octet 6, the variant bits 10 at the top of octet 8. The text
 * form is RFC 9562 §4's 8-4-4-4-12 hex groups, lower case, which is also how a
 * .NET Guid prints (Guid.ToString("D")). The id bytes are the string's digits in
 * order (network order); .NET's Guid.ToByteArray() reverses the first three
 * groups, so a .NET peer must exchange the string, never those bytes.
 * Timing: ids are public. */
#include <string.h>

#include "kex_internal.h"

const char *kl_kex_profile_name(kl_kex_profile p)
{
  switch (p) {
  case KL_KEX_PROFILE_HARDENED:
    return "hardened";
  case KL_KEX_PROFILE_SEED:
    return "seed";
  }
  return "unknown";
}

kl_err kl_kex_profile_from_name(const char *name, kl_kex_profile *p)
{
  if (name == NULL || p == NULL)
    return KL_ERR_ARG;
  if (strcmp(name, "hardened") == 0) {
    *p = KL_KEX_PROFILE_HARDENED;
    return KL_OK;
  }
  if (strcmp(name, "seed") == 0) {
    *p = KL_KEX_PROFILE_SEED;
    return KL_OK;
  }
  return KL_ERR_UNSUPPORTED;
}

kl_err kl_kex_id_new(uint8_t id[KL_KEX_ID_BYTES], const kl_rng *rng)
{
  if (id == NULL || rng == NULL)
    return KL_ERR_ARG;
  kl_err err = kl_rng_fill(rng, id, KL_KEX_ID_BYTES);
  if (err != KL_OK)
    return err;
  /* RFC 9562 §5.4: ver = 0b0100 in octet 6 bits 7..4; var = 0b10 in octet 8 bits 7..6. */
  id[6] = (uint8_t)((id[6] & 0x0f) | 0x40);
  id[8] = (uint8_t)((id[8] & 0x3f) | 0x80);
  return KL_OK;
}

/* Offsets of the hyphens in the 36-character form. */
static int is_hyphen_pos(size_t i)
{
  return i == 8 || i == 13 || i == 18 || i == 23;
}

void kl_kex_id_format(char out[KL_KEX_ID_STRING_LEN + 1], const uint8_t id[KL_KEX_ID_BYTES])
{
  static const char digits[] = "0123456789abcdef";
  size_t j = 0;
  for (size_t i = 0; i < KL_KEX_ID_STRING_LEN; i++) {
    if (is_hyphen_pos(i)) {
      out[i] = '-';
      continue;
    }
    uint8_t b = id[j / 2];
    out[i] = digits[(j % 2 == 0) ? (b >> 4) : (b & 0x0f)];
    j++;
  }
  out[KL_KEX_ID_STRING_LEN] = '\0';
}

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

kl_err kl_kex_id_parse(uint8_t id[KL_KEX_ID_BYTES], const char *s, size_t len)
{
  uint8_t tmp[KL_KEX_ID_BYTES];
  size_t j = 0;

  if (id == NULL || s == NULL)
    return KL_ERR_ARG;
  if (len != KL_KEX_ID_STRING_LEN)
    return KL_ERR_ENCODING;
  for (size_t i = 0; i < KL_KEX_ID_STRING_LEN; i++) {
    if (is_hyphen_pos(i)) {
      if (s[i] != '-')
        return KL_ERR_ENCODING;
      continue;
    }
    int v = hex_value(s[i]);
    if (v < 0)
      return KL_ERR_ENCODING;
    if (j % 2 == 0)
      tmp[j / 2] = (uint8_t)(v << 4);
    else
      tmp[j / 2] = (uint8_t)(tmp[j / 2] | v);
    j++;
  }
  memcpy(id, tmp, sizeof tmp);
  return KL_OK;
}
