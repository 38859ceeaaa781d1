/* bench_util.h: what the `kexlab bench` subcommands share (bench_util.c):
 * clocks, the CPU's cycle counter, the median of interleaved rounds and the
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

/* The CPU's cycle counter for the calling thread, user mode only
 * (perf_event_open, PERF_COUNT_HW_CPU_CYCLES). Many virtual machines expose
 * no such counter: then open fails and the benches print no cycles, rather
 * than divide by a nominal clock the CPU may not be running at. */
typedef struct bench_cycles {
  int fd; /* -1: not counting */
} bench_cycles;

/* Open and start the counter. 1 when it counts, 0 when there is none (or
 * the kernel refuses it); c->fd is -1 then. */
int bench_cycles_open(bench_cycles *c);
/* Cycles counted since open, or a negative value when the counter is not
 * open or lost its hardware counter (it is pinned: it is never multiplexed,
 * and fails rather than count part of a run). */
double bench_cycles_read(const bench_cycles *c);
void bench_cycles_close(bench_cycles *c);

/* How the benches say where their cycles came from (text and JSON "cycles"). */
#define BENCH_CYCLES_COUNTED "counted by PERF_COUNT_HW_CPU_CYCLES, user mode"
#define BENCH_CYCLES_NONE "not measured (no cycle counter)"

/* Run cmd (a shell command line running `openssl speed -mr ...`) and return
 * the bytes per second of its last "+F:<n>:<name>:<bytes per second>" line
 * (the last -bytes size), or a negative value when the command failed or
 * printed no such line. */
double bench_openssl_mr_bytes_per_s(const char *cmd);

#endif
