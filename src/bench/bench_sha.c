/* bench_sha.c: `kexlab bench sha [--json] [--rounds N] [--seconds S] [--no-openssl]
 * [--hash H ...]`. SHA-1, SHA-256 and SHA-512 throughput (or the hashes --hash names) (one-shot kl_hash, so padding is included) on
 * 64-byte, 16 KiB and 1 MiB messages, in MB/s (10^6 bytes per second, as
 * `openssl speed` counts), and OpenSSL's software figure on 16 KiB messages
 * in the same run, with its SHA extensions masked off:
 *   OPENSSL_ia32cap=":~0x20000000" openssl speed -mr -seconds S -bytes 16384 -evp sha256
 * Runs are interleaved (ours, then the peer's, round after round) and the
 * medians reported, because the machine is shared; the best round of each
 * (the least disturbed) is reported too, with its ratio. Time is process CPU time,
 * the divisor `openssl speed` uses too (user time unless -elapsed); ns/byte
 * is that time per byte. Our cycles/byte are counted by the CPU's cycle
 * counter around the same runs (bench_cycles_*), and printed only when it
 * counts: on a virtual machine without one there are no cycles, rather than
 * a division by a nominal clock. OpenSSL's cycles are not counted (it runs
 * in another process); the comparison is throughput against throughput. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "bench.h"

#define MAX_ROUNDS 21
#define MAX_ALGS 7

static const char *bench_sha_help =
  "usage: kexlab bench sha [--json] [--rounds N] [--seconds S] [--no-openssl]\n"
  "                        [--hash H ...]\n"
  "\n"
  "SHA-1, SHA-256 and SHA-512 throughput on 64 B, 16 KiB and 1 MiB messages (MB/s), and\n"
  "OpenSSL's software SHA (SHA extensions masked: OPENSSL_ia32cap=\":~0x20000000\")\n"
  "on 16 KiB in the same run, interleaved; medians of N rounds. Time is process\n"
  "CPU time; cycles/byte only when the CPU's cycle counter counts (perf_event_open).\n"
  "\n"
  "  --rounds N     rounds (1..21, default 5)\n"
  "  --seconds S    seconds per measurement (1..10, default 1)\n"
  "  --no-openssl   skip the OpenSSL comparison\n"
  "  --hash H       measure H instead (repeat for several): sha1 sha224 sha256\n"
  "                 sha384 sha512 sha512-224 sha512-256\n"
  "  --json         machine-readable output\n"
  "  -h, --help     this help\n"
  "\n"
  "Build with --buildtype=release for meaningful figures.\n";

/* MB/s of kl_hash on messages of `size` bytes for about `seconds` of CPU,
 * and in *cpb the cycles per byte counted by cyc (negative when it does not
 * count). */
static double measure_ours(kl_hash_alg alg, const uint8_t *msg, size_t size, double seconds,
                           const bench_cycles *cyc, double *cpb)
{
  uint8_t out[KL_HASH_MAX_DIGEST_BYTES];
  size_t batch = size >= ((size_t)1 << 20) ? 1 : ((size_t)1 << 20) / size;
  unsigned long long bytes = 0;
  *cpb = -1;
  double c0 = bench_cycles_read(cyc);
  double start = bench_cpu_seconds(), now;
  do {
    for (size_t i = 0; i < batch; i++) {
      if (kl_hash(alg, out, msg, size) != KL_OK)
        return 0;
    }
    bytes += (unsigned long long)batch * size;
    now = bench_cpu_seconds();
  } while (now - start < seconds);
  double c1 = bench_cycles_read(cyc);
  if (c0 >= 0 && c1 >= 0)
    *cpb = (c1 - c0) / (double)bytes;
  return (double)bytes / (now - start) / 1e6;
}

/* The name `openssl speed -evp` knows alg by. */
static const char *evp_name(kl_hash_alg alg)
{
  switch (alg) {
  case KL_HASH_SHA1:
    return "sha1";
  case KL_HASH_SHA224:
    return "sha224";
  case KL_HASH_SHA384:
    return "sha384";
  case KL_HASH_SHA512:
    return "sha512";
  case KL_HASH_SHA512_224:
    return "sha512-224";
  case KL_HASH_SHA512_256:
    return "sha512-256";
  default:
    return "sha256";
  }
}

/* OpenSSL's software figure, MB/s, or a negative value if it cannot run. */
static double measure_openssl(const char *evp, int seconds)
{
  char cmd[256];
  snprintf(cmd, sizeof cmd,
           "OPENSSL_ia32cap=\":~0x20000000\" openssl speed -mr -seconds %d -bytes 16384 "
           "-evp %s 2>/dev/null",
           seconds, evp);
  double bps = bench_openssl_mr_bytes_per_s(cmd);
  return bps > 0 ? bps / 1e6 : -1;
}

int bench_sha(int argc, char **argv)
{
  static const struct option opts[] = {
    {"json", no_argument, NULL, 'j'},
    {"rounds", required_argument, NULL, 'r'},
    {"seconds", required_argument, NULL, 's'},
    {"no-openssl", no_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},
    {"hash", required_argument, NULL, 'H'},
    {NULL, 0, NULL, 0},
  };
  /* The default: one hash per compression function (SHA-224 and SHA-384,
   * SHA-512/t are SHA-256's and SHA-512's, truncated). */
  kl_hash_alg algs[MAX_ALGS] = {KL_HASH_SHA1, KL_HASH_SHA256, KL_HASH_SHA512};
  int nalg = 3, chosen = 0;
  int json = 0, peer = 1;
  size_t rounds = 5, seconds = 1;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      json = 1;
      break;
    case 'r':
      if (cli_parse_size("bench sha", "--rounds", optarg, 1, MAX_ROUNDS, &rounds) != 0)
        return KL_EXIT_USAGE;
      break;
    case 's':
      if (cli_parse_size("bench sha", "--seconds", optarg, 1, 10, &seconds) != 0)
        return KL_EXIT_USAGE;
      break;
    case 'n':
      peer = 0;
      break;
    case 'H':
      if (chosen == MAX_ALGS)
        return cli_usage_error("bench sha", "--hash: at most %d hashes", MAX_ALGS);
      if (kl_hash_from_name(optarg, &algs[chosen]) != KL_OK)
        return cli_usage_error("bench sha", "--hash: unknown hash '%s'", optarg);
      nalg = ++chosen;
      break;
    case 'h':
      fputs(bench_sha_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("bench sha", argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error("bench sha", "unexpected argument '%s'", argv[optind]);

  static const size_t sizes[3] = {64, 16384, (size_t)1 << 20};
  uint8_t *msg = malloc(sizes[2]);
  if (msg == NULL) {
    cli_error("bench sha", "out of memory");
    return KL_EXIT_USAGE;
  }
  for (size_t i = 0; i < sizes[2]; i++)
    msg[i] = (uint8_t)(i * 131 + 7);

  double ours[MAX_ALGS][3][MAX_ROUNDS], theirs[MAX_ALGS][MAX_ROUNDS];
  double cycles[MAX_ALGS][3][MAX_ROUNDS];
  int have_peer = peer;
  bench_cycles cyc;
  int have_cycles = bench_cycles_open(&cyc);
  for (size_t r = 0; r < rounds; r++) {
    for (int a = 0; a < nalg; a++) {
      for (int s = 0; s < 3; s++) {
        ours[a][s][r] = measure_ours(algs[a], msg, sizes[s], (double)seconds, &cyc,
                                     &cycles[a][s][r]);
        if (cycles[a][s][r] < 0)
          have_cycles = 0; /* no counter, or it lost it: no cycles at all */
      }
      if (have_peer) {
        theirs[a][r] = measure_openssl(evp_name(algs[a]), (int)seconds);
        if (theirs[a][r] < 0)
          have_peer = 0;
      }
    }
  }
  free(msg);
  bench_cycles_close(&cyc);

  double med[MAX_ALGS][3], cpb[MAX_ALGS][3], best16[MAX_ALGS];
  double peer_med[MAX_ALGS] = {0}, peer_best[MAX_ALGS] = {0};
  for (int a = 0; a < nalg; a++) {
    for (int s = 0; s < 3; s++) {
      med[a][s] = bench_median(ours[a][s], rounds); /* sorts: the best is last */
      cpb[a][s] = have_cycles ? bench_median(cycles[a][s], rounds) : 0;
    }
    best16[a] = ours[a][1][rounds - 1];
    if (have_peer) {
      peer_med[a] = bench_median(theirs[a], rounds);
      peer_best[a] = theirs[a][rounds - 1];
    }
  }

  if (json) {
    cli_json j;
    cj_init(&j, stdout);
    cj_command_begin(&j, "bench sha");
    cj_udecimal(&j, "rounds", rounds);
    cj_udecimal(&j, "seconds", seconds);
    cj_string(&j, "clock", "process CPU time");
    cj_string(&j, "cycles", have_cycles ? BENCH_CYCLES_COUNTED : BENCH_CYCLES_NONE);
    cj_array_begin(&j, "results");
    for (int a = 0; a < nalg; a++) {
      cj_object_begin(&j, NULL);
      cj_string(&j, "algorithm", kl_hash_name(algs[a]));
      cj_array_begin(&j, "kexlab");
      for (int s = 0; s < 3; s++) {
        cj_object_begin(&j, NULL);
        cj_udecimal(&j, "bytes", sizes[s]);
        cj_double(&j, "mb_per_s", med[a][s]);
        if (med[a][s] > 0)
          cj_double(&j, "ns_per_byte", 1e3 / med[a][s]);
        if (have_cycles)
          cj_double(&j, "cycles_per_byte", cpb[a][s]);
        cj_object_end(&j);
      }
      cj_array_end(&j);
      if (have_peer) {
        cj_object_begin(&j, "openssl");
        char command[128];
        snprintf(command, sizeof command,
                 "OPENSSL_ia32cap=\":~0x20000000\" openssl speed -bytes 16384 -evp %s",
                 evp_name(algs[a]));
        cj_string(&j, "command", command);
        cj_udecimal(&j, "bytes", 16384);
        cj_double(&j, "mb_per_s", peer_med[a]);
        cj_double(&j, "ns_per_byte", 1e3 / peer_med[a]);
        cj_double(&j, "ratio_16k", med[a][1] / peer_med[a]);
        cj_double(&j, "best_mb_per_s", peer_best[a]);
        cj_double(&j, "kexlab_best_16k_mb_per_s", best16[a]);
        cj_double(&j, "ratio_16k_best", best16[a] / peer_best[a]);
        cj_object_end(&j);
      } else {
        cj_null(&j, "openssl");
      }
      cj_object_end(&j);
    }
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  } else {
    printf("SHA throughput, MB/s (median of %zu rounds, %zu s of process CPU time each)\n", rounds,
           seconds);
    /* The names' column: 8 wide, as before SHA-512/t, or as wide as they need. */
    int w = 8;
    for (int a = 0; a < nalg; a++) {
      if ((int)strlen(kl_hash_name(algs[a])) + 1 > w)
        w = (int)strlen(kl_hash_name(algs[a])) + 1;
    }
    printf("%-*s %10s %10s %10s   %s\n", w, "", "64 B", "16 KiB", "1 MiB",
           have_peer ? "OpenSSL sw 16 KiB   ratio" : "");
    for (int a = 0; a < nalg; a++) {
      printf("%-*s %10.1f %10.1f %10.1f", w, kl_hash_name(algs[a]), med[a][0], med[a][1],
             med[a][2]);
      if (have_peer)
        printf("   %10.1f          %.2fx", peer_med[a], med[a][1] / peer_med[a]);
      printf("\n");
    }
    if (have_peer) {
      printf("best rounds at 16 KiB:");
      for (int a = 0; a < nalg; a++)
        printf("  %s %.1f vs %.1f (%.2fx)", kl_hash_name(algs[a]), best16[a], peer_best[a],
               best16[a] / peer_best[a]);
      printf("\n");
    }
    printf("ns/byte at 16 KiB (medians):");
    for (int a = 0; a < nalg; a++) {
      printf("  %s %.3f", kl_hash_name(algs[a]), 1e3 / med[a][1]);
      if (have_peer)
        printf(" (OpenSSL %.3f)", 1e3 / peer_med[a]);
    }
    printf("\n");
    if (have_cycles) {
      printf("cycles/byte at 16 KiB (medians, %s):", BENCH_CYCLES_COUNTED);
      for (int a = 0; a < nalg; a++)
        printf("  %s %.2f", kl_hash_name(algs[a]), cpb[a][1]);
      printf("\n");
    } else {
      printf("cycles: %s\n", BENCH_CYCLES_NONE);
    }
    if (!have_peer && peer)
      printf("(openssl not available: no comparison)\n");
  }
  fflush(stdout);
  return KL_EXIT_OK;
}
