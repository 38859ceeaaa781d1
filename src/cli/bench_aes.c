/* bench_aes.c: placeholder until this command lands. */
#include "commands.h"

int bench_aes(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("bench_aes");
}
