/* bench_rsa.c: placeholder until this command lands. */
#include "commands.h"

int bench_rsa(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("bench_rsa");
}
