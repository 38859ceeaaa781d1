/* cli_pss_key.c: keys restricted to RSASSA-PSS in the commands (see
 * cli_pss_key.h): writing them through kl_rsa_*_write_pss, and printing
 * their RSASSA-PSS-params (RFC 8017 App. A.2.3). */
#include <stdlib.h>

#include "cli_keyio.h"
#include "cli_pss_key.h"

int cli_save_key_pss(const char *cmd, const char *path, int force, kl_key_format fmt,
                     const kl_rsa_priv *priv, const kl_rsa_pub *pub, const kl_pss_key_params *pp)
{
  if (fmt != KL_KEY_PKCS8_PEM && fmt != KL_KEY_PKCS8_DER && fmt != KL_KEY_SPKI_PEM &&
      fmt != KL_KEY_SPKI_DER)
    return cli_usage_error(cmd,
                           "a key restricted to RSASSA-PSS needs an algorithm identifier: "
                           "write it as pkcs8, pkcs8-der, spki or spki-der, not %s",
                           kl_key_format_name(fmt));
  uint8_t *out = malloc(KL_KEYFILE_MAX_BYTES);
  if (out == NULL) {
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  size_t len = KL_KEYFILE_MAX_BYTES;
  kl_err err = priv != NULL ? kl_rsa_priv_write_pss(priv, pp, fmt, out, &len)
                            : kl_rsa_pub_write_pss(pub, pp, fmt, out, &len);
  int rc;
  if (err != KL_OK) {
    cli_error(cmd, "cannot encode the key as %s: %s", kl_key_format_name(fmt), kl_strerror(err));
    rc = cli_exit_for(err);
  } else {
    rc = cli_write_key_file(cmd, path, force, priv != NULL, out, len);
  }
  cli_free(out, KL_KEYFILE_MAX_BYTES);
  return rc;
}

void cli_print_pss_params(FILE *f, const kl_pss_key_params *pp)
{
  if (!pp->restricted)
    return;
  if (!pp->has_params) {
    fputs("No PSS parameter restrictions\n", f);
    return;
  }
  fputs("RSASSA-PSS parameters:\n", f);
  fprintf(f, "  Hash Algorithm: %s\n", kl_hash_name(pp->hash));
  fprintf(f, "  Mask Algorithm: MGF1 with %s\n", kl_hash_name(pp->mgf_hash));
  fprintf(f, "  Minimum Salt Length: %zu\n", pp->sLen);
  fputs("  Trailer Field: 0xBC\n", f);
}

void cli_json_pss_params(cli_json *j, const kl_pss_key_params *pp)
{
  if (!pp->restricted)
    return;
  cj_bool(j, "pss_restricted", 1);
  if (!pp->has_params)
    return;
  cj_string(j, "pss_hash", kl_hash_name(pp->hash));
  cj_string(j, "pss_mgf1_hash", kl_hash_name(pp->mgf_hash));
  cj_udecimal(j, "pss_salt_len_min", pp->sLen);
}
