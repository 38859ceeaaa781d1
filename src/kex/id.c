/* id.c: session ids and profile names.
 * A session id is 128 bits laid out as a UUID version 4, RFC 9562 §5.4
 * (which obsoletes RFC 4122 §4.4): 122 random bits, the version nibble 0100 in
 * the high half of octet 6, the variant bits 10 at the top of octet 8. The text
 * form is RFC 9562 §4's 8-4-4-4-12 hex groups, lower case, which is also how a
 * .NET Guid prints (Guid.ToString("D")). The id bytes are the string's digits in
 * order (network order); .NET's Guid.ToByteArray() reverses the first three
 * groups, so a .NET peer must exchange the string, never those bytes.
 * A server that is one node of several (`kexlab serve --node N`, docs/deploy.md)
 * writes its node number, 0..255, into octet 0 of every id it draws: the
 * first two hex digits of the text form, in every form a Guid prints (D, N,
 * B, P), so a load balancer can route by them. That leaves 114 random bits
 * (128 - 4 version - 2 variant - 8 node), above the 112 the design keeps.
 * Timing: ids are public. */
#include <assert.h>
#include <string.h>

#include "kex_internal.h"
#include "kexlab/encoding.h"

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

kl_err kl_kex_id_new_node(uint8_t id[KL_KEX_ID_BYTES], const kl_rng *rng, unsigned node)
{
  if (node > KL_KEX_MAX_NODE)
    return KL_ERR_ARG;
  kl_err err = kl_kex_id_new(id, rng);
  if (err != KL_OK)
    return err;
  id[KL_KEX_ID_NODE_OCTET] = (uint8_t)node;
  return KL_OK;
}

/* RFC 9562 §4: the text form is five groups of hex digits, 8-4-4-4-12, joined
 * by hyphens; in octets of the id: */
#define ID_GROUPS 5
static const size_t group_octets[ID_GROUPS] = {4, 2, 2, 2, 6};

void kl_kex_id_format(char out[KL_KEX_ID_STRING_LEN + 1], const uint8_t id[KL_KEX_ID_BYTES])
{
  size_t o = 0; /* next octet of id */
  size_t t = 0; /* next character of out */
  for (size_t g = 0; g < ID_GROUPS; g++) {
    if (g > 0)
      out[t++] = '-';
    /* Each group's NUL lands where the next hyphen goes; the last one ends out. */
    kl_err err = kl_hex_encode(out + t, KL_KEX_ID_STRING_LEN + 1 - t, id + o, group_octets[g]);
    assert(err == KL_OK); /* out has room for all 36 characters and the NUL */
    (void)err;
    t += 2 * group_octets[g];
    o += group_octets[g];
  }
}

kl_err kl_kex_id_parse(uint8_t id[KL_KEX_ID_BYTES], const char *s, size_t len)
{
  uint8_t tmp[KL_KEX_ID_BYTES];
  size_t o = 0; /* next octet of tmp */
  size_t t = 0; /* next character of s */

  if (id == NULL || s == NULL)
    return KL_ERR_ARG;
  if (len != KL_KEX_ID_STRING_LEN)
    return KL_ERR_ENCODING;
  for (size_t g = 0; g < ID_GROUPS; g++) {
    if (g > 0 && s[t++] != '-')
      return KL_ERR_ENCODING;
    size_t n = group_octets[g];
    if (kl_hex_decode(tmp + o, &n, s + t, 2 * group_octets[g]) != KL_OK)
      return KL_ERR_ENCODING; /* a character that is not a hex digit (either case) */
    t += 2 * group_octets[g];
    o += group_octets[g];
  }
  memcpy(id, tmp, sizeof tmp);
  return KL_OK;
}
