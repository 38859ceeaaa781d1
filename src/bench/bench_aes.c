/* bench_aes.c: `kexlab bench aes [--json] [--rounds N] [--seconds S] [--no-openssl]`.
 * AES-128-CBC and AES-256-CBC throughput, encryption and decryption, on 16 KiB
 * and 1 MiB buffers, for every implementation: the four-table path (the
 * default), the one-table-with-rotations variant and the reference path, in
 * MB/s (10^6 bytes/s, as `openssl speed` counts). OpenSSL's own table code
 * runs in the same run, on 16 KiB, with AES-NI and SSSE3 masked off:
 *   OPENSSL_ia32cap="~0x200020200000000" openssl speed -mr -seconds S -bytes 16384 \
 *     -evp aes-256-cbc [-decrypt]
 * What remains in OpenSSL is its x86_64 T-table assembly. Runs are
 * interleaved (ours, then the peer's, round after round) and medians reported
 * because the machine is shared. Time is process CPU time, as openssl speed;
 * ns/byte is that time per byte. Our cycles/byte are counted by the CPU's
 * cycle counter around the same runs (bench_cycles_*) and printed only when
 * it counts (many virtual machines have none); OpenSSL's are not counted (it
 * runs in another process): the comparison is throughput against throughput. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "bench.h"

#define MAX_ROUNDS 21
#define N_KEYS 2
#define N_DIRS 2
#define N_SIZES 2
#define N_IMPLS 3

static const char *bench_aes_help =
  "usage: kexlab bench aes [--json] [--rounds N] [--seconds S] [--no-openssl]\n"
  "\n"
  "AES-128-CBC and AES-256-CBC encryption and decryption throughput (MB/s) on\n"
  "16 KiB and 1 MiB buffers, for the T-table path (4 tables), the one-table\n"
  "variant and the reference path; and OpenSSL's table assembly (AES-NI and\n"
  "SSSE3 masked: OPENSSL_ia32cap=\"~0x200020200000000\") on 16 KiB in the same\n"
  "run, interleaved; medians of N rounds, ratios against OpenSSL. Time is process\n"
  "CPU time; cycles/byte only when the CPU's cycle counter counts (perf_event_open).\n"
  "\n"
  "  --rounds N     rounds (1..21, default 3)\n"
  "  --seconds S    seconds per OpenSSL measurement (1..10, default 1)\n"
  "  --no-openssl   skip the OpenSSL comparison\n"
  "  --json         machine-readable output\n"
  "  -h, --help     this help\n"
  "\n"
  "Build with --buildtype=release for meaningful figures.\n";

static const kl_aes_impl impls[N_IMPLS] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_TTABLE1,
                                           KL_AES_IMPL_REF};
static const char *const impl_names[N_IMPLS] = {"table", "table1", "ref"};
static const size_t key_bytes[N_KEYS] = {16, 32};
static const size_t sizes[N_SIZES] = {16384, (size_t)1 << 20};
static const char *const dir_names[N_DIRS] = {"encrypt", "decrypt"};

/* MB/s of CBC over `size` bytes (in place) for about `seconds` of CPU time,
 * and in *cpb the cycles per byte counted by cyc (negative when it does not
 * count). */
static double measure_ours(const kl_aes_key *key, int decrypt, uint8_t *buf, size_t size,
                           double seconds, const bench_cycles *cyc, double *cpb)
{
  static const uint8_t iv[16] = {0};
  unsigned long long bytes = 0;
  *cpb = -1;
  double c0 = bench_cycles_read(cyc);
  double start = bench_cpu_seconds(), now;
  do {
    kl_err e = decrypt ? kl_cbc_decrypt(key, iv, buf, buf, size)
                       : kl_cbc_encrypt(key, iv, buf, buf, size);
    if (e != KL_OK)
      return 0;
    bytes += size;
    now = bench_cpu_seconds();
  } while (now - start < seconds);
  double c1 = bench_cycles_read(cyc);
  if (c0 >= 0 && c1 >= 0)
    *cpb = (c1 - c0) / (double)bytes;
  return (double)bytes / (now - start) / 1e6;
}

static void peer_command(char *cmd, size_t cap, size_t kbytes, int decrypt, int seconds,
                         int for_display)
{
  snprintf(cmd, cap,
           "OPENSSL_ia32cap=\"~0x200020200000000\" openssl speed %s-seconds %d "
           "-bytes 16384 -evp aes-%zu-cbc%s%s",
           for_display ? "" : "-mr ", seconds, kbytes * 8, decrypt ? " -decrypt" : "",
           for_display ? "" : " 2>/dev/null");
}

/* OpenSSL's table-code figure, MB/s, or a negative value if it cannot run. */
static double measure_openssl(size_t kbytes, int decrypt, int seconds)
{
  char cmd[256];
  peer_command(cmd, sizeof cmd, kbytes, decrypt, seconds, 0);
  double bps = bench_openssl_mr_bytes_per_s(cmd);
  return bps > 0 ? bps / 1e6 : -1;
}

int bench_aes(int argc, char **argv)
{
  static const struct option opts[] = {
    {"json", no_argument, NULL, 'j'},          {"rounds", required_argument, NULL, 'r'},
    {"seconds", required_argument, NULL, 's'}, {"no-openssl", no_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
  };
  const char *cmd = "bench aes";
  int json = 0, peer = 1;
  size_t rounds = 3, seconds = 1;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      json = 1;
      break;
    case 'r':
      if (cli_parse_size(cmd, "--rounds", optarg, 1, MAX_ROUNDS, &rounds) != 0)
        return KL_EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_size(cmd, "--seconds", optarg, 1, 10, &seconds) != 0)
        return KL_EXIT_USAGE;
      break;
    case 'n':
      peer = 0;
      break;
    case 'h':
      fputs(bench_aes_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);

  uint8_t *buf = malloc(sizes[N_SIZES - 1]);
  if (buf == NULL) {
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  for (size_t i = 0; i < sizes[N_SIZES - 1]; i++)
    buf[i] = (uint8_t)(i * 131 + 7);
  uint8_t k[32];
  for (size_t i = 0; i < sizeof k; i++)
    k[i] = (uint8_t)(i * 29 + 1);

  static double ours[N_KEYS][N_DIRS][N_SIZES][N_IMPLS][MAX_ROUNDS];
  static double cycles[N_KEYS][N_DIRS][N_SIZES][N_IMPLS][MAX_ROUNDS];
  static double theirs[N_KEYS][N_DIRS][MAX_ROUNDS];
  int have_peer = peer;
  bench_cycles cyc;
  int have_cycles = bench_cycles_open(&cyc);
  /* The reference path is about 10x slower: give it less time, it is stable. */
  double budget = 0.25;
  for (size_t r = 0; r < rounds; r++) {
    for (int kk = 0; kk < N_KEYS; kk++) {
      for (int d = 0; d < N_DIRS; d++) {
        for (int m = 0; m < N_IMPLS; m++) {
          kl_aes_key key;
          if (kl_aes_init(&key, impls[m], k, key_bytes[kk]) != KL_OK) {
            free(buf);
            bench_cycles_close(&cyc);
            cli_error(cmd, "key set-up failed");
            return KL_EXIT_FAIL;
          }
          for (int s = 0; s < N_SIZES; s++) {
            ours[kk][d][s][m][r] = measure_ours(&key, d, buf, sizes[s], budget, &cyc,
                                                &cycles[kk][d][s][m][r]);
            if (cycles[kk][d][s][m][r] < 0)
              have_cycles = 0; /* no counter, or it lost it: no cycles at all */
          }
          kl_aes_clear(&key);
        }
        if (have_peer) {
          theirs[kk][d][r] = measure_openssl(key_bytes[kk], d, (int)seconds);
          if (theirs[kk][d][r] < 0)
            have_peer = 0;
        }
      }
    }
  }
  free(buf);
  bench_cycles_close(&cyc);

  double med[N_KEYS][N_DIRS][N_SIZES][N_IMPLS], cpb[N_KEYS][N_DIRS][N_SIZES][N_IMPLS];
  double pmed[N_KEYS][N_DIRS];
  for (int kk = 0; kk < N_KEYS; kk++) {
    for (int d = 0; d < N_DIRS; d++) {
      for (int s = 0; s < N_SIZES; s++) {
        for (int m = 0; m < N_IMPLS; m++) {
          med[kk][d][s][m] = bench_median(ours[kk][d][s][m], rounds);
          cpb[kk][d][s][m] = have_cycles ? bench_median(cycles[kk][d][s][m], rounds) : 0;
        }
      }
      pmed[kk][d] = have_peer ? bench_median(theirs[kk][d], rounds) : 0;
    }
  }

  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_command_begin(&j, "bench aes");
    cj_udecimal(&j, "rounds", rounds);
    cj_string(&j, "clock", "process CPU time");
    cj_string(&j, "cycles", have_cycles ? BENCH_CYCLES_COUNTED : BENCH_CYCLES_NONE);
    cj_array_begin(&j, "results");
    for (int kk = 0; kk < N_KEYS; kk++) {
      for (int d = 0; d < N_DIRS; d++) {
        char name[32];
        snprintf(name, sizeof name, "aes-%zu-cbc", key_bytes[kk] * 8);
        cj_object_begin(&j, NULL);
        cj_string(&j, "algorithm", name);
        cj_string(&j, "direction", dir_names[d]);
        cj_array_begin(&j, "kexlab");
        for (int m = 0; m < N_IMPLS; m++) {
          for (int s = 0; s < N_SIZES; s++) {
            cj_object_begin(&j, NULL);
            cj_string(&j, "impl", impl_names[m]);
            cj_udecimal(&j, "bytes", sizes[s]);
            cj_double(&j, "mb_per_s", med[kk][d][s][m]);
            if (med[kk][d][s][m] > 0)
              cj_double(&j, "ns_per_byte", 1e3 / med[kk][d][s][m]);
            if (have_cycles)
              cj_double(&j, "cycles_per_byte", cpb[kk][d][s][m]);
            cj_object_end(&j);
          }
        }
        cj_array_end(&j);
        if (have_peer) {
          char pc[256];
          peer_command(pc, sizeof pc, key_bytes[kk], d, (int)seconds, 1);
          cj_object_begin(&j, "openssl");
          cj_string(&j, "command", pc);
          cj_udecimal(&j, "bytes", 16384);
          cj_double(&j, "mb_per_s", pmed[kk][d]);
          cj_double(&j, "ns_per_byte", 1e3 / pmed[kk][d]);
          cj_double(&j, "ratio_table_16k", med[kk][d][0][0] / pmed[kk][d]);
          cj_double(&j, "ratio_table1_16k", med[kk][d][0][1] / pmed[kk][d]);
          cj_object_end(&j);
        } else {
          cj_null(&j, "openssl");
        }
        cj_double(&j, "ref_slowdown_16k", med[kk][d][0][0] / med[kk][d][0][2]);
        cj_object_end(&j);
      }
    }
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  } else {
    printf("AES-CBC throughput, MB/s (median of %zu rounds; process CPU time)\n", rounds);
    printf("%-20s %9s %9s %9s %9s %9s %9s %10s %8s %8s\n", "", "table", "table", "table1", "table1",
           "ref", "ref", "OpenSSL", "ratio", "ref");
    printf("%-20s %9s %9s %9s %9s %9s %9s %10s %8s %8s\n", "", "16 KiB", "1 MiB", "16 KiB", "1 MiB",
           "16 KiB", "1 MiB", "16 KiB", "table/ossl", "slower");
    for (int kk = 0; kk < N_KEYS; kk++) {
      for (int d = 0; d < N_DIRS; d++) {
        char name[40];
        snprintf(name, sizeof name, "AES-%zu-CBC %s", key_bytes[kk] * 8, dir_names[d]);
        printf("%-20s", name);
        for (int m = 0; m < N_IMPLS; m++)
          printf(" %9.1f %9.1f", med[kk][d][0][m], med[kk][d][1][m]);
        if (have_peer)
          printf(" %10.1f %7.2fx", pmed[kk][d], med[kk][d][0][0] / pmed[kk][d]);
        else
          printf(" %10s %8s", "-", "-");
        printf(" %7.1fx\n", med[kk][d][0][0] / med[kk][d][0][2]);
      }
    }
    printf("ns/byte at 16 KiB (table / table1 / ref%s):\n", have_peer ? " / OpenSSL" : "");
    for (int kk = 0; kk < N_KEYS; kk++) {
      for (int d = 0; d < N_DIRS; d++) {
        printf("  AES-%zu-CBC %-8s %6.3f %6.3f %7.3f", key_bytes[kk] * 8, dir_names[d],
               1e3 / med[kk][d][0][0], 1e3 / med[kk][d][0][1], 1e3 / med[kk][d][0][2]);
        if (have_peer)
          printf(" %6.3f", 1e3 / pmed[kk][d]);
        printf("\n");
      }
    }
    if (have_cycles) {
      printf("cycles/byte at 16 KiB (table / table1 / ref; %s):\n", BENCH_CYCLES_COUNTED);
      for (int kk = 0; kk < N_KEYS; kk++) {
        for (int d = 0; d < N_DIRS; d++)
          printf("  AES-%zu-CBC %-8s %6.2f %6.2f %7.2f\n", key_bytes[kk] * 8, dir_names[d],
                 cpb[kk][d][0][0], cpb[kk][d][0][1], cpb[kk][d][0][2]);
      }
    } else {
      printf("cycles: %s\n", BENCH_CYCLES_NONE);
    }
    if (have_peer) {
      char pc[256];
      peer_command(pc, sizeof pc, 32, 0, (int)seconds, 1);
      printf("peer: %s (and -decrypt, and aes-128-cbc)\n", pc);
    } else if (peer) {
      printf("(openssl not available: no comparison)\n");
    }
  }
  fflush(stdout);
  return KL_EXIT_OK;
}
