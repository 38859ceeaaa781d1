/* cmd_demo.c: `kexlab demo NAME`: step-by-step walk-throughs built from the
 * library's own trace hooks. Every demo takes --json for the lab harness. */
#include "commands.h"
#include "subcmd.h"

static const subcmd demo_table[] = {
  {"rsa-3233", demo_rsa3233, "Wikipedia's RSA example, p=61 q=53 e=17 m=65"},
  {"aes", demo_aes, "FIPS 197 Appendix C, round by round"},
  {"oaep", demo_oaep, "one RSA-OAEP encryption and decryption, step by step"},
  {"kex", demo_kex, "client and server key exchange in one process"},
  {"attack", demo_attack, "attacks on the seed profile: bitflip, replay, mitm"},
};

int cmd_demo(int argc, char **argv)
{
  return subcmd_dispatch("demo", "usage: kexlab demo NAME [--json] [options]\n\nDemos:\n",
                         demo_table, sizeof demo_table / sizeof demo_table[0], argc, argv);
}
