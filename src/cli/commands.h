/* commands.h: every subcommand's entry point; main.c dispatches on argv[1].
 * Each lives in its own file: cmd/cmd_<name>.c, demo/demo_<name>.c,
 * serve/cmd_serve.c and cmd_client.c; the benchmarks are src/bench/bench.h. */
#ifndef KL_CLI_COMMANDS_H
#define KL_CLI_COMMANDS_H

#include "cli.h"

/* Hashes and randomness (cmd_hash.c, cmd_rand.c). */
cli_cmd_fn cmd_hash, cmd_hmac, cmd_hkdf, cmd_rand;
/* AES (cmd_aes.c). */
cli_cmd_fn cmd_aes;
/* Number theory (cmd_math.c). */
cli_cmd_fn cmd_prime, cmd_egcd, cmd_modinv, cmd_modexp;
/* RSA (cmd_rsa.c dispatches to the rsa_* functions below). */
cli_cmd_fn cmd_rsa;
cli_cmd_fn rsa_keygen;                                     /* cmd_rsa_keygen.c */
cli_cmd_fn rsa_show, rsa_convert, rsa_check;               /* cmd_rsa_keyfile.c */
cli_cmd_fn rsa_encrypt, rsa_decrypt, rsa_sign, rsa_verify; /* cmd_rsa_crypt.c */
/* Standard vectors, benchmarks, demos. */
cli_cmd_fn cmd_vectors, cmd_bench, cmd_demo;
cli_cmd_fn demo_rsa3233, demo_aes, demo_oaep, demo_pss, demo_kex, demo_attack;
/* The lab page's computations without a server (cmd_lab_trace.c). */
cli_cmd_fn cmd_lab_trace;
/* Transport (cmd_serve.c, cmd_client.c). */
cli_cmd_fn cmd_serve, cmd_client;

#endif
