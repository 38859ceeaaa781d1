/* oracle_kit.h: what the oracle and side-channel attack demos share
 * (attack_padding_oracle.c, attack_manger.c, attack_bleichenbacher.c,
 * attack_timing.c, attack_cbc_iv.c): the generator of --seed, the key of
 * --bits, and the step log printed as text or gathered into --json
 * (docs/schema/demo-attack-<name>.schema.json, one shape for the five):
 *   {"command": "demo attack", "version", "attack", "bits" (or null),
 *    "seeded", "secret" (hex), "runs": [{"config", "description",
 *    "steps": [{"text"}], "queries", "millis", "recovered" (hex or null),
 *    "statistic" (optional {"name", "value"}), "attack_worked"}],
 *    "as_expected"}
 * Each run is one configuration, weak first; "as_expected" is true when the
 * weak ones fell and the normal ones held. Exit status 0 then, 1 otherwise.
 * Lab code: the weak configurations live in the demo files, never in the
 * library. */
#ifndef KL_ORACLE_KIT_H
#define KL_ORACLE_KIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "commands.h"
#include "kexlab/drbg.h"

typedef struct okit {
  const char *attack;
  cli_json j;
  int json;
  int seeded;
  unsigned bits; /* 0: the attack takes no key size */
  kl_rng rng;
  kl_hmac_drbg drbg;
  struct timespec t0;
  int as_expected;
  int run_open;
  const char *stat_name; /* the run's statistic, if any */
  double stat_value;
} okit;

/* The demos, each in attack_<name>.c, called as
 * `kexlab demo attack NAME [options]` (demo_attack.c's table): argv holds the
 * name among the options. */
cli_cmd_fn attack_padding_oracle, attack_manger, attack_bleichenbacher, attack_timing,
  attack_cbc_iv;

/* The options an attack's command line holds: --json, --seed HEX, --bits N,
 * -h/--help, and up to two of its own: "name=" takes a value, "name" is a
 * flag ("1" when given). The one positional argument must be the attack's
 * name. Returns KL_EXIT_OK (help printed: op->help = 1) or a usage status. */
typedef struct okit_opts {
  int json, help;
  const char *seed, *bits;
  const char *extra[2];
} okit_opts;
int okit_parse(okit_opts *op, const char *attack, const char *help, const char *const extra[2],
               int argc, char **argv);

/* The options every attack takes, parsed by the attack itself:
 *   --json, --seed HEX, --bits N (when bits_default != 0), -h/--help.
 * okit_begin sets up the generator (the OS one without --seed), checks bits
 * against [bits_min, bits_max] (even), and prints the header. Returns
 * KL_EXIT_OK or a usage exit status. */
int okit_begin(okit *o, const char *attack, int json, const char *seed_hex, const char *bits_text,
               unsigned bits_default, unsigned bits_min, unsigned bits_max, const char *title);

/* One configuration: text "[config] description", or a JSON run object. */
void okit_run_begin(okit *o, const char *config, const char *description);
/* A step of the log (printf-style). */
void okit_step(okit *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A statistic of the run (timing: Pearson's r). */
void okit_statistic(okit *o, const char *name, double value);
/* Close the run: the queries or operations spent, what was recovered (NULL:
 * nothing), whether the attack worked and whether it was expected to. */
void okit_run_end(okit *o, unsigned long long queries, const uint8_t *recovered, size_t rec_len,
                  int worked, int expected);
/* The secret (so that a reader, or the autograder, can compare), the JSON
 * end, the generator wiped. Returns the exit status. */
int okit_finish(okit *o, const uint8_t *secret, size_t secret_len);
/* A usage error or a failure before the end: the JSON begun is dropped. */
int okit_abort(okit *o, int rc);

/* Print bytes as text when they are printable ASCII, else as hex (text mode). */
void okit_show(char *buf, size_t size, const uint8_t *b, size_t n);

#endif
