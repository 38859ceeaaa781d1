/* log.c: the server's request log, one line per request on stderr:
 *   2025-01-01T12:00:00Z 127.0.0.1 POST /v1/sessions/3f2a9c1e.../messages 200 0.412ms
 * What it never holds: key material, plaintext, frames, full session ids (the
 * path is shortened by kli_route_log_path before it gets here). One fprintf
 * per line, so lines from the server's threads do not interleave (POSIX
 * stdio locks the stream for each call). Also the monotonic clock the log
 * line's duration, the rate table and the session times are read from. */
#include <time.h>

#include "http_internal.h"

double kli_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t kli_now_ms(void)
{
  return (uint64_t)(kli_now() * 1000.0);
}

void kli_log_request(FILE *f, const char *client, const char *method, const char *log_path,
                     unsigned status, double ms)
{
  if (f == NULL)
    return;
  char stamp[32] = "-";
  time_t now = time(NULL);
  struct tm tm;
  if (gmtime_r(&now, &tm) != NULL)
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  fprintf(f, "%s %s %s %s %u %.3fms\n", stamp, client != NULL ? client : "-",
          method != NULL ? method : "-", log_path != NULL ? log_path : "-", status, ms);
  fflush(f);
}
