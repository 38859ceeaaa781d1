/* bench_http.c: placeholder until this command lands. */
#include "commands.h"

int bench_http(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("bench_http");
}
