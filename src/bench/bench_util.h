/* bench_util.h: what the `kexlab bench` subcommands share (bench_util.c):
 * clocks, the median of interleaved rounds, the CPU's nominal MHz and the
 * machine-readable output of `openssl speed -mr`. Speed lives in benchmarks
 * only; the machine is shared, so every bench interleaves our runs with the
 * peer's and reports medians. */
#ifndef KL_CLI_BENCH_UTIL_H
#define KL_CLI_BENCH_UTIL_H

#include <stddef.h>

/* CPU seconds of this process (CLOCK_PROCESS_CPUTIME_ID): `openssl speed`
 * divides by user CPU time too (unless -elapsed), so the two stay comparable
 * on a loaded machine. */
double bench_cpu_seconds(void);
/* CPU seconds of the calling thread (CLOCK_THREAD_CPUTIME_ID). */
double bench_thread_cpu_seconds(void);
/* Wall-clock seconds (CLOCK_MONOTONIC): for whatever spans processes or
 * threads (handshakes, HTTP round trips). */
double bench_wall_seconds(void);

/* The median of v[0..n), which is sorted in place (ascending). 0 when n == 0. */
double bench_median(double *v, size_t n);

/* The "cpu MHz" line of /proc/cpuinfo (first CPU), or 0 if there is none. */
double bench_cpu_mhz(void);

/* Run cmd (a shell command line running `openssl speed -mr ...`) and return
 * the bytes per second of its last "+F:<n>:<name>:<bytes per second>" line
 * (the last -bytes size), or a negative value when the command failed or
 * printed no such line. */
double bench_openssl_mr_bytes_per_s(const char *cmd);

#endif
