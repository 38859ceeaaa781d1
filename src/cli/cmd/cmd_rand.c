/* cmd_rand.c: `kexlab rand N [--seed HEX]`: N random bytes as one line of hex.
 * Without --seed, from the OS generator (getrandom). With --seed, from
 * HMAC_DRBG (SP 800-90A) through kl_rng_seeded: reproducible, for labs only,
 * and said so on stderr. */
#include <getopt.h>
#include <stdlib.h>

#include "commands.h"

#define RAND_MAX_BYTES ((size_t)1 << 20) /* 1 MiB: a lab never needs more */

static const char *rand_help =
  "usage: kexlab rand N [--seed HEX] [--json]\n"
  "\n"
  "Print N random bytes (1 .. 1048576) as one line of hex.\n"
  "\n"
  "  --seed HEX  draw from HMAC_DRBG (SHA-256, SP 800-90A §10.1.2) seeded with\n"
  "              these bytes (at least one): the same seed gives the same\n"
  "              bytes. For labs and tests only: NEVER for real keys.\n"
  "  --json      {\"generator\", \"bytes\"}\n"
  "  -h, --help  this help\n";

int cmd_rand(int argc, char **argv)
{
  static const struct option opts[] = {
    {"seed", required_argument, NULL, 's'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *seed_hex = NULL;
  int json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1;) {
    switch (c) {
    case 's':
      seed_hex = optarg;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(rand_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("rand", argc, argv);
    }
  }
  if (optind >= argc)
    return cli_usage_error("rand", "missing N, the number of bytes");
  if (argc - optind > 1)
    return cli_usage_error("rand", "unexpected argument '%s'", argv[optind + 1]);
  size_t N;
  int rc = cli_parse_size("rand", "N", argv[optind], 1, RAND_MAX_BYTES, &N);
  if (rc != KL_EXIT_OK)
    return rc;

  kl_rng rng;
  kl_hmac_drbg drbg;
  uint8_t *out = NULL;
  rc = cli_rng_setup("rand", seed_hex,
                     "seeded output is reproducible by design, for labs and tests only; "
                     "never use it for real keys",
                     &rng, &drbg);
  if (rc != KL_EXIT_OK)
    return rc;

  out = malloc(N);
  if (out == NULL) {
    cli_error("rand", "out of memory");
    rc = KL_EXIT_USAGE;
    goto out;
  }
  kl_err err = kl_rng_fill(&rng, out, N);
  if (err != KL_OK) {
    cli_error("rand", "the generator failed: %s", kl_strerror(err));
    rc = KL_EXIT_FAIL;
    goto out;
  }
  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_object_begin(&j, NULL);
    cj_string(&j, "generator", seed_hex ? "HMAC_DRBG-SHA256 (seeded)" : "getrandom");
    cj_hex(&j, "bytes", out, N);
    cj_object_end(&j);
    cj_finish(&j);
    fflush(stdout);
  } else {
    rc = cli_write_output("rand", NULL, 1, out, N);
  }
out:
  kl_hmac_drbg_clear(&drbg);
  cli_free(out, out ? N : 0);
  return rc;
}
