/* cmd_demo.c: `kexlab demo NAME`: step-by-step walk-throughs built from the
 * library's own trace hooks. Every demo takes --json for the lab harness.
 * A build with traces compiled out (-Dtrace=false) has no steps to show, so
 * the step-by-step demos refuse to run there with one line (exit 2) rather
 * than print a walk-through with its steps missing. */
#include <string.h>

#include "commands.h"
#include "subcmd.h"

static const subcmd demo_table[] = {
  {"rsa-3233", demo_rsa3233, "Wikipedia's RSA example, p=61 q=53 e=17 m=65"},
  {"aes", demo_aes, "FIPS 197 Appendix C, round by round"},
  {"oaep", demo_oaep, "one RSA-OAEP encryption and decryption, step by step"},
  {"pss", demo_pss, "one RSA-PSS signature and verification, step by step"},
  {"kex", demo_kex, "client and server key exchange in one process"},
  {"attack", demo_attack, "attacks, weak then normal: bitflip, padding-oracle, wiener..."},
};

/* The demos whose output is their traces ("attack" shows outcomes only). */
static int needs_traces(const char *name)
{
  return strcmp(name, "attack") != 0;
}

int cmd_demo(int argc, char **argv)
{
  size_t n = sizeof demo_table / sizeof demo_table[0];
  if (argc >= 2 && !kl_trace_compiled() && needs_traces(argv[1])) {
    for (size_t i = 0; i < n; i++) {
      int wants_help = argc >= 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0);
      if (strcmp(argv[1], demo_table[i].name) == 0 && !wants_help) {
        fprintf(stderr,
                "kexlab demo %s: this build has traces disabled (meson -Dtrace=false): "
                "nothing to show\n",
                argv[1]);
        return KL_EXIT_USAGE;
      }
    }
  }
  return subcmd_dispatch("demo", "usage: kexlab demo NAME [--json] [options]\n\nDemos:\n",
                         demo_table, n, argc, argv);
}
