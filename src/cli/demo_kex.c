/* demo_kex.c: placeholder until this command lands. */
#include "commands.h"

int demo_kex(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("demo_kex");
}
