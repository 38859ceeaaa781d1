/* cmd_rand.c: placeholder until this command lands. */
#include "commands.h"

int cmd_rand(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_rand");
}
