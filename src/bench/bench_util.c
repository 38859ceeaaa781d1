/* bench_util.c: clocks, medians, the CPU's MHz and `openssl speed -mr`
 * parsing for the `kexlab bench` subcommands (see bench_util.h). */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

double bench_cpu_mhz(void)
{
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f == NULL)
    return 0;
  char line[256];
  double mhz = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "cpu MHz", 7) == 0) {
      const char *colon = strchr(line, ':');
      if (colon != NULL)
        mhz = strtod(colon + 1, NULL);
      break;
    }
  }
  fclose(f);
  return mhz;
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
