/* cli_rng.c: the generator behind a command's --seed option (cli.h).
 * Without --seed, the OS generator (kl_rng_os). With --seed HEX, HMAC_DRBG
 * (SP 800-90A §10.1.2, src/rand/hmac_drbg.c) instantiated from those bytes by
 * kl_rng_seeded: the same seed gives the same output, which is what a lab
 * wants and what real keys must never have, so the command says so on stderr.
 * Used by rand, prime gen, rsa keygen and demo rsa-3233; demo kex derives one
 * generator per role from its seed and keeps its own set-up. */
#include "cli.h"

int cli_rng_setup(const char *cmd, const char *seed_hex, const char *warning, kl_rng *rng,
                  kl_hmac_drbg *drbg)
{
  if (seed_hex == NULL) {
    kl_rng_os(rng);
    return KL_EXIT_OK;
  }
  uint8_t *seed;
  size_t seed_len;
  int rc = cli_parse_hex(cmd, "--seed", seed_hex, &seed, &seed_len);
  if (rc != KL_EXIT_OK)
    return rc;
  if (seed_len == 0) {
    cli_free(seed, seed_len);
    return cli_usage_error(cmd, "--seed: give at least one byte of hex");
  }
  kl_err err = kl_rng_seeded(rng, drbg, seed, seed_len);
  cli_free(seed, seed_len); /* the DRBG keeps only its own state, derived from it */
  if (err != KL_OK)
    return cli_lib_error(cmd, err);
  if (warning != NULL)
    cli_error(cmd, "warning: %s", warning);
  return KL_EXIT_OK;
}
