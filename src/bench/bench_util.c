/* bench_util.c: clocks, the cycle counter, medians and `openssl speed -mr`
 * parsing for the `kexlab bench` subcommands (see bench_util.h). */
#include "bench_util.h"

#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double seconds_of(clockid_t clock)
{
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double bench_cpu_seconds(void)
{
  return seconds_of(CLOCK_PROCESS_CPUTIME_ID);
}

double bench_thread_cpu_seconds(void)
{
  return seconds_of(CLOCK_THREAD_CPUTIME_ID);
}

double bench_wall_seconds(void)
{
  return seconds_of(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_median(double *v, size_t n)
{
  if (n == 0)
    return 0;
  qsort(v, n, sizeof v[0], cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int bench_cycles_open(bench_cycles *c)
{
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.size = sizeof attr;
  attr.type = PERF_TYPE_HARDWARE;
  attr.config = PERF_COUNT_HW_CPU_CYCLES;
  attr.pinned = 1;         /* a whole count or an error, never an estimate */
  attr.exclude_kernel = 1; /* what perf_event_paranoid 2 allows; the loops run in user mode */
  attr.exclude_hv = 1;
  /* pid 0, cpu -1: the calling thread, on whichever CPU it runs. glibc has
   * no wrapper for this system call. */
  long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  c->fd = fd >= 0 ? (int)fd : -1;
  if (c->fd >= 0 && bench_cycles_read(c) < 0)
    bench_cycles_close(c);
  return c->fd >= 0;
}

double bench_cycles_read(const bench_cycles *c)
{
  uint64_t count;
  if (c->fd < 0 || read(c->fd, &count, sizeof count) != (ssize_t)sizeof count)
    return -1;
  return (double)count;
}

void bench_cycles_close(bench_cycles *c)
{
  if (c->fd >= 0)
    close(c->fd);
  c->fd = -1;
}

double bench_openssl_mr_bytes_per_s(const char *cmd)
{
  FILE *p = popen(cmd, "r");
  if (p == NULL)
    return -1;
  char line[512];
  double bps = -1;
  while (fgets(line, sizeof line, p) != NULL) {
    /* "+F:<n>:<name>:<bytes per second>" (one field per -bytes size) */
    if (strncmp(line, "+F:", 3) == 0) {
      const char *last = strrchr(line, ':');
      if (last != NULL)
        bps = strtod(last + 1, NULL);
    }
  }
  if (pclose(p) != 0)
    return -1;
  return bps;
}
