/* err.c: names and messages of the kl_err codes (include/kexlab/err.h). */
#include <string.h>

#include "kexlab/err.h"

typedef struct err_entry {
  kl_err code;
  const char *name;
  const char *message;
} err_entry;

static const err_entry err_table[] = {
  {KL_OK, "KL_OK", "success"},
  {KL_ERR_ARG, "KL_ERR_ARG", "invalid argument"},
  {KL_ERR_KEY_LEN, "KL_ERR_KEY_LEN", "invalid key length"},
  {KL_ERR_LEN, "KL_ERR_LEN", "invalid input length"},
  {KL_ERR_BUF_TOO_SMALL, "KL_ERR_BUF_TOO_SMALL", "output buffer too small"},
  {KL_ERR_DECRYPT, "KL_ERR_DECRYPT", "decryption failed"},
  {KL_ERR_RNG, "KL_ERR_RNG", "random generator failed"},
  {KL_ERR_NOMEM, "KL_ERR_NOMEM", "out of memory"},
  {KL_ERR_INTERNAL, "KL_ERR_INTERNAL", "internal error"},
  {KL_ERR_ENCODING, "KL_ERR_ENCODING", "malformed encoding"},
  {KL_ERR_RANGE, "KL_ERR_RANGE", "integer out of range"},
  {KL_ERR_NO_INVERSE, "KL_ERR_NO_INVERSE", "no modular inverse exists"},
  {KL_ERR_KEY, "KL_ERR_KEY", "invalid key"},
  {KL_ERR_VERIFY, "KL_ERR_VERIFY", "verification failed"},
  {KL_ERR_STATE, "KL_ERR_STATE", "invalid state for this operation"},
  {KL_ERR_NOT_FOUND, "KL_ERR_NOT_FOUND", "not found"},
  {KL_ERR_LIMIT, "KL_ERR_LIMIT", "limit reached"},
  {KL_ERR_UNSUPPORTED, "KL_ERR_UNSUPPORTED", "not supported"},
  {KL_ERR_IO, "KL_ERR_IO", "input/output error"},
  {KL_ERR_NOT_PRIME, "KL_ERR_NOT_PRIME", "value is not prime"},
  {KL_ERR_CONFLICT, "KL_ERR_CONFLICT", "already set"},
};

static const err_entry *find_entry(kl_err err)
{
  for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
    if (err_table[i].code == err)
      return &err_table[i];
  }
  return NULL;
}

const char *kl_strerror(kl_err err)
{
  const err_entry *e = find_entry(err);
  return e ? e->message : "unknown error";
}

const char *kl_err_name(kl_err err)
{
  const err_entry *e = find_entry(err);
  return e ? e->name : "KL_ERR_UNKNOWN";
}

kl_err kl_err_from_name(const char *name, kl_err *out)
{
  if (name == NULL || out == NULL)
    return KL_ERR_ARG;
  for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
    if (strcmp(err_table[i].name, name) == 0) {
      *out = err_table[i].code;
      return KL_OK;
    }
  }
  return KL_ERR_ARG;
}
