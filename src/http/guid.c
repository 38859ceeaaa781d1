/* guid.c: session ids in every text form .NET's Guid.Parse accepts
 * (Guid.ToString's format specifiers, learn.microsoft.com "Guid.ToString"):
 *   N  32 hex digits                          0f8fad5bd9cb469fa16570867728950e
 *   D  8-4-4-4-12 digits joined by hyphens    0f8fad5b-d9cb-469f-a165-70867728950e
 *   B  D in braces                            {0f8fad5b-d9cb-469f-a165-70867728950e}
 *   P  D in parentheses                       (0f8fad5b-d9cb-469f-a165-70867728950e)
 * with hex digits of either case. The server names a session in the D form,
 * lower case (RFC 9562 §4); every other form is first put into that one.
 * (Guid.Parse's X form, {0x...,0x...,{0x..,...}}, is not taken: no client
 * sends it in a path.) Pure string work: tests/test_http.c runs it. */
#include <string.h>

#include "http_internal.h"

static int hex_digit(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
  return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Where the D form has its hyphens. */
static int hyphen_at(size_t i)
{
  return i == 8 || i == 13 || i == 18 || i == 23;
}

int kli_guid_to_d(char out[KLI_GUID_D_LEN + 1], const char *s)
{
  size_t len = s != NULL ? strlen(s) : 0;
  if (len == KLI_GUID_D_LEN + 2 &&
      ((s[0] == '{' && s[len - 1] == '}') || (s[0] == '(' && s[len - 1] == ')'))) {
    s++; /* B or P: the D form inside */
    len -= 2;
  }
  if (len == KLI_GUID_D_LEN) {
    for (size_t i = 0; i < len; i++) {
      if (hyphen_at(i) ? s[i] != '-' : !hex_digit(s[i]))
        return 0;
      out[i] = lower(s[i]);
    }
    out[len] = '\0';
    return 1;
  }
  if (len != 32)
    return 0;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    if (!hex_digit(s[i]))
      return 0;
    if (hyphen_at(o))
      out[o++] = '-';
    out[o++] = lower(s[i]);
  }
  out[o] = '\0';
  return 1;
}
