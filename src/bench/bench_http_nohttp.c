/* bench_http_nohttp.c: the build without the REST transport (-Dhttp=disabled, or
 * libmicrohttpd/libcurl/jansson missing): the command says so. */
#include "bench.h"

int bench_http(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("bench http");
}
