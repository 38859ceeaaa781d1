/* attack_rsa.h: the attacks on careless RSA keys and on an unchecked private
 * operation, `kexlab demo attack wiener|hastad|fermat|bellcore`, one file
 * each (attack_<name>.c), and the small kit they share (attack_rsa.c): the
 * options (--seed, --bits, --json), the step-by-step printer, and the
 * --json layout of docs/schema/demo-attack-<name>.schema.json.
 *
 * Every attack runs twice in one process: first against a weak
 * configuration built here, in the demo's own folder (a lab key generation,
 * textbook RSA, a CRT without its check), then against kexlab's normal one.
 * Nothing in the library can produce the weak configurations: they exist
 * only in these files. docs/attacks.md "Careless RSA keys and faults". */
#ifndef KL_CLI_ATTACK_RSA_H
#define KL_CLI_ATTACK_RSA_H

#include <stddef.h>

#include "commands.h"
#include "kexlab/drbg.h"
#include "kexlab/keyfile.h"

/* The entry points, for demo_attack.c's table: argv[0] is "attack", the
 * attack's name is one of the other arguments. */
cli_cmd_fn attack_wiener, attack_hastad, attack_fermat, attack_bellcore;

/* What an attack's command line may hold beyond --seed, --bits, --json. */
enum {
  ARK_KEY_OUT = 1 /* --key-out FILE, --pub-out FILE: save the weak key */
};

/* One attack's description: what its --help and its first lines say. */
typedef struct ark_spec {
  const char *name;      /* "wiener" */
  const char *title;     /* one line: what is attacked and how */
  const char *reference; /* the paper, as docs/attacks.md cites it */
  const char *help;      /* the text after the common options */
  unsigned bits_default, bits_min, bits_max;
  unsigned extras; /* ARK_* */
} ark_spec;

/* The parsed command line and the state of one run of the demo. */
typedef struct ark {
  const ark_spec *spec;
  const char *cmd; /* "demo attack" */
  unsigned bits;
  const char *seed_hex; /* NULL: the OS generator */
  const char *key_out, *pub_out;
  kl_rng rng; /* seeded from --seed, else the OS generator */
  kl_hmac_drbg drbg;
  cli_json json, *j; /* j: NULL in text mode */
  /* the run in progress: its steps (JSON mode keeps them until ark_run_end) */
  char **steps;
  size_t n_steps, cap_steps;
  unsigned step_no;
  double t0;
  int alloc_failed;
} ark;

/* Parse the command line (the attack's name is the one operand) and set up
 * the generator. Returns -1 to go on, else the exit status (help, usage). */
int ark_start(ark *a, const ark_spec *spec, int argc, char **argv);
/* Open the output: the title, the key size and the seed; in JSON mode the
 * envelope and "attack", "reference", "bits", "seed". */
void ark_header(ark *a);
/* One run: "weak" or "normal", with a one-line description of the
 * configuration attacked. Starts the clock. */
void ark_run_begin(ark *a, const char *which, const char *configuration);
/* A numbered step, printed at once (JSON: kept for "steps"). */
void ark_step(ark *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A named value of the run: text mode prints an abbreviated form under the
 * step ("n = 0xc2a3...91f7 (2048 bits)"), JSON a member with the full decimal.
 * Secrets: the demos print lab keys' d, p, q on purpose; the digit strings
 * are wiped when freed. */
void ark_int(ark *a, const char *name, const mpz_t x);
/* A yes/no member of the run (JSON only; the steps say it in words). */
void ark_flag(ark *a, const char *name, int v);
/* Close the run: the count of operations the attack used and what they
 * were, whether it recovered the secret, and the time taken. */
void ark_run_end(ark *a, unsigned long long operations, const char *operation, int recovered);
/* Close the output ("as_expected"), free everything; returns the exit
 * status: 0 when the weak run recovered the secret and the normal one did
 * not, 1 otherwise (or when the demo itself failed: failed != 0). */
int ark_finish(ark *a, int weak_recovered, int normal_recovered, int failed);

/* Helpers the attacks share. */
/* The weak key as a file would bring it: encoded as PKCS#1 PEM, read back
 * (kl_rsa_keyfile_read), and checked with kl_rsa_priv_check, as `kexlab rsa
 * check` does. kf initialised by the caller. Prints its own error.
 * Secrets: the PEM text is wiped; kf holds the key (kl_rsa_keyfile_clear). */
kl_err ark_read_back(ark *a, const kl_rsa_priv *weak, kl_rsa_keyfile *kf, kl_rsa_check_report *rep);
/* --key-out and --pub-out: write the weak key. Returns KL_EXIT_*. */
int ark_save_weak(ark *a, const kl_rsa_priv *weak);
/* x = a random integer of exactly `bits` bits (top bit set).
 * Secrets: the random octets are wiped. Timing: not constant-time (labs). */
kl_err ark_random_bits(mpz_t x, const kl_rng *rng, unsigned bits);
/* The generator's flags for a key of `bits` bits: KL_RSA_KEYGEN_ALLOW_SMALL
 * below KL_RSA_MIN_BITS (the demos' small lab sizes). */
unsigned ark_keygen_flags(unsigned bits);

#endif
