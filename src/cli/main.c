/* main.c: the `kexlab` command. It calls kl_init(), then hands argv to one
 * subcommand, found in the command table below. Every subcommand has --help;
 * see README.md, and docs/hacking.md for adding one. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

typedef struct command {
  const char *name;
  cli_cmd_fn *fn;
  const char *summary;
} command;

static const command commands[] = {
  {"hash", cmd_hash, "SHA-1 / SHA-256 digests of files, sha256sum-style"},
  {"hmac", cmd_hmac, "HMAC-SHA1 / HMAC-SHA256 of a file"},
  {"hkdf", cmd_hkdf, "HKDF-SHA256 extract-and-expand (RFC 5869)"},
  {"rand", cmd_rand, "random bytes (OS, or HMAC_DRBG with --seed)"},
  {"aes", cmd_aes, "AES-CBC encryption and decryption (openssl enc compatible)"},
  {"rsa", cmd_rsa, "RSA keys, encryption, signatures (keygen, show, convert, ...)"},
  {"prime", cmd_prime, "primality test and prime generation"},
  {"egcd", cmd_egcd, "extended Euclid: gcd and Bezout coefficients"},
  {"modinv", cmd_modinv, "modular inverse"},
  {"modexp", cmd_modexp, "modular exponentiation, square-and-multiply"},
  {"demo", cmd_demo, "step-by-step demos: rsa-3233, aes, oaep, kex, attack"},
  {"vectors", cmd_vectors, "run standard test-vector files"},
  {"bench", cmd_bench, "benchmarks: sha, aes, rsa, kex, http"},
  {"serve", cmd_serve, "run the REST key-exchange server"},
  {"client", cmd_client, "talk to a kexlab server"},
  {"lab-trace", cmd_lab_trace, "the lab page's traces (aes, rsa, oaep, sha256) as JSON"},
};

static void print_help(FILE *f)
{
  fputs("usage: kexlab [--help] [--version] COMMAND [ARGS...]\n"
        "\n"
        "kexlab: RSA-OAEP key transport of an AES key, built from scratch to be read.\n"
        "\n"
        "Commands:\n",
        f);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fputs("\n"
        "Run 'kexlab COMMAND --help' for a command's options.\n"
        "Exit status: 0 success, 1 cryptographic or verification failure,\n"
        "2 usage or input error.\n",
        f);
}

int main(int argc, char **argv)
{
  if (kl_init() != KL_OK) {
    fputs("kexlab: initialisation failed\n", stderr);
    return KL_EXIT_FAIL;
  }
  if (argc < 2) {
    print_help(stderr);
    return KL_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    print_help(stdout);
    return KL_EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
    printf("kexlab %s\n", kl_version());
    return KL_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    if (strcmp(name, commands[i].name) == 0)
      return commands[i].fn(argc - 1, argv + 1);
  }
  fprintf(stderr, "kexlab: unknown command '%s' (try 'kexlab --help')\n", name);
  return KL_EXIT_USAGE;
}
