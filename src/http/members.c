/* members.c: the member names of a request body, as .NET clients write them.
 * Json.NET's default contract writes a C# property "Profile" as "Profile";
 * System.Text.Json reads such bodies back with PropertyNameCaseInsensitive.
 * The API does the same: a member name matches one of the endpoint's names
 * when the two are equal ignoring ASCII case, and any other member is
 * refused by name, so that a misspelt or unexpected member is never silently
 * ignored (docs/rest-api.md, "Request bodies").
 * Pure jansson work, no allocation beyond the object it returns:
 * tests/test_http.c runs it without a socket. */
#include <string.h>
#include <strings.h>

#include "http_internal.h"

kl_err kli_json_members(json_t **canon, json_t *obj, const char *const *names, const char **bad,
                        kli_error *why)
{
  *canon = NULL;
  *bad = NULL;
  json_t *out = json_object();
  if (out == NULL) {
    *why = KLI_E_INTERNAL;
    return KL_ERR_NOMEM;
  }
  const char *key;
  json_t *value;
  json_object_foreach(obj, key, value)
  {
    const char *name = NULL;
    for (size_t i = 0; names[i] != NULL && name == NULL; i++) {
      if (strcasecmp(key, names[i]) == 0)
        name = names[i];
    }
    /* Unknown, or a second spelling of a member already seen
     * ({"profile":..,"Profile":..}): either way the body is refused. */
    if (name == NULL || json_object_get(out, name) != NULL) {
      *why = name == NULL ? KLI_E_UNKNOWN_FIELD : KLI_E_BAD_JSON;
      *bad = key;
      json_decref(out);
      return KL_ERR_ENCODING;
    }
    if (json_object_set(out, name, value) != 0) {
      json_decref(out);
      *why = KLI_E_INTERNAL;
      return KL_ERR_NOMEM;
    }
  }
  *canon = out;
  return KL_OK;
}
