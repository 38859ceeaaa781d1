/* cmd_rand.c: `kexlab rand N [--seed HEX [--trace]]`: N random bytes as one
 * line of hex. Without --seed, from the OS generator (getrandom). With --seed,
 * from HMAC_DRBG (SP 800-90A) through kl_rng_seeded: reproducible, for labs
 * only, and said so on stderr. --trace shows the DRBG's Instantiate, Update
 * and Generate steps (src/rand/hmac_drbg.c's trace). */
#include <getopt.h>
#include <stdlib.h>

#include "commands.h"

#define RAND_MAX_BYTES ((size_t)1 << 20) /* 1 MiB: a lab never needs more */

static const char *rand_help =
  "usage: kexlab rand N [--seed HEX [--trace]] [--json]\n"
  "\n"
  "Print N random bytes (1 .. 1048576) as one line of hex.\n"
  "\n"
  "  --seed HEX  draw from HMAC_DRBG (SHA-256, SP 800-90A §10.1.2) seeded with\n"
  "              these bytes (at least one): the same seed gives the same\n"
  "              bytes. For labs and tests only: NEVER for real keys.\n"
  "  --trace     with --seed: first print HMAC_DRBG's steps (SP 800-90A\n"
  "              §10.1.2): the Instantiate process (seed_material = seed ||\n"
  "              \"kexlab seeded rng v1\", the initial Key and V), every Update\n"
  "              (Key[1], V[2], Key[4], V[5]: Key and V after steps 1, 2, 4, 5),\n"
  "              and each Generate (V after each V = HMAC(Key, V), the Update,\n"
  "              reseed_counter). Requests of more than 65536 bytes are\n"
  "              several Generate calls.\n"
  "  --json      {\"command\", \"version\", \"generator\", \"bytes\" [, \"trace\"]}\n"
  "  -h, --help  this help\n";

static const char *seeded_warning =
  "seeded output is reproducible by design, for labs and tests only; never use it for real keys";

/* cli_rng_setup for --trace: the same checks and warning, with the DRBG
 * instantiated through kl_rng_seeded_traced so the Instantiate process is
 * traced too. Returns KL_EXIT_*. */
static int seed_traced(const char *seed_hex, kl_rng *rng, kl_hmac_drbg *drbg, const kl_tracer *tr)
{
  uint8_t *seed;
  size_t seed_len;
  int rc = cli_parse_hex("rand", "--seed", seed_hex, &seed, &seed_len);
  if (rc != KL_EXIT_OK)
    return rc;
  if (seed_len == 0) {
    cli_free(seed, seed_len);
    return cli_usage_error("rand", "--seed: give at least one byte of hex");
  }
  cli_trace_banner(stderr);
  kl_err err = kl_rng_seeded_traced(rng, drbg, seed, seed_len, tr);
  cli_free(seed, seed_len);
  if (err != KL_OK)
    return cli_lib_error("rand", err);
  cli_error("rand", "warning: %s", seeded_warning);
  return KL_EXIT_OK;
}

int cmd_rand(int argc, char **argv)
{
  static const struct option opts[] = {
    {"seed", required_argument, NULL, 's'},
    {"trace", no_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *seed_hex = NULL;
  int json = 0, trace = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1;) {
    switch (c) {
    case 's':
      seed_hex = optarg;
      break;
    case 't':
      trace = 1;
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

  if (trace && seed_hex == NULL)
    return cli_usage_error("rand", "--trace needs --seed (the OS generator has no steps to show)");
  if (trace && !kl_trace_compiled()) {
    cli_error("rand", "this build has traces disabled (meson -Dtrace=false): --trace has "
                      "nothing to show");
    return KL_EXIT_USAGE;
  }

  kl_rng rng;
  kl_hmac_drbg drbg;
  uint8_t *out = NULL;
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "rand");
    cj_string(&j, "generator", seed_hex ? "HMAC_DRBG-SHA256 (seeded)" : "getrandom");
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  rc = trace ? seed_traced(seed_hex, &rng, &drbg, &tr)
             : cli_rng_setup("rand", seed_hex, seeded_warning, &rng, &drbg);
  if (rc != KL_EXIT_OK) {
    if (json)
      cj_discard(&j);
    return rc;
  }

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
    if (trace)
      cj_array_end(&j);
    cj_hex(&j, "bytes", out, N);
    cj_object_end(&j);
    cj_finish(&j);
    fflush(stdout);
  } else {
    rc = cli_write_output("rand", NULL, 1, out, N);
  }
out:
  if (json)
    cj_discard(&j); /* after cj_finish: nothing left */
  kl_hmac_drbg_clear(&drbg);
  cli_free(out, out ? N : 0);
  return rc;
}
