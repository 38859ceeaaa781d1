/* cmd_bench.c: `kexlab bench sha|aes|rsa|kex|http`. Each benchmark prints
 * figures for people, or with --json for machines, and measures its peer
 * (OpenSSL, Nettle, a TLS baseline) in the same run, where it has one. */
#include "bench.h"
#include "commands.h"
#include "subcmd.h"

static const subcmd bench_table[] = {
  {"sha", bench_sha, "SHA-1 and SHA-256 throughput (vs OpenSSL software)"},
  {"aes", bench_aes, "AES-CBC throughput, both paths (vs OpenSSL tables)"},
  {"rsa", bench_rsa, "RSA key generation and private/public operations"},
  {"kex", bench_kex, "key-exchange handshakes and messages, in process"},
  {"http", bench_http, "handshakes and messages over loopback HTTP"},
};

int cmd_bench(int argc, char **argv)
{
  return subcmd_dispatch("bench", "usage: kexlab bench NAME [--json] [options]\n\nBenchmarks:\n",
                         bench_table, sizeof bench_table / sizeof bench_table[0], argc, argv);
}
