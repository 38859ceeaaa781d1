/* cli_pss_key.h: keys restricted to RSASSA-PSS (id-RSASSA-PSS, RFC 4055
 * §3.1) in the commands: writing them, and showing their parameters. */
#ifndef KL_CLI_PSS_KEY_H
#define KL_CLI_PSS_KEY_H

#include <stdio.h>

#include "cli.h"
#include "kexlab/keyfile.h"

/* cli_save_key for a key restricted to RSASSA-PSS with the parameters pp:
 * fmt must be PKCS#8 or SPKI (DER or PEM), the only structures with an
 * algorithm identifier; another gives a usage error. Returns KL_EXIT_*. */
int cli_save_key_pss(const char *cmd, const char *path, int force, kl_key_format fmt,
                     const kl_rsa_priv *priv, const kl_rsa_pub *pub, const kl_pss_key_params *pp);

/* The parameters in the layout of `openssl pkey -text`:
 *   RSASSA-PSS parameters:  (or "No PSS parameter restrictions")
 *   Hash Algorithm: ...  Mask Algorithm: mgf1 with ...  Minimum Salt Length: ... */
void cli_print_pss_params(FILE *f, const kl_pss_key_params *pp);

/* Their --json members: "pss_restricted" and, with parameters, "pss_hash",
 * "pss_mgf1_hash", "pss_salt_len_min" (nothing for an unrestricted key). */
void cli_json_pss_params(cli_json *j, const kl_pss_key_params *pp);

#endif
