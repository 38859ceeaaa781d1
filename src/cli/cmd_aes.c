/* cmd_aes.c: placeholder until this command lands. */
#include "commands.h"

int cmd_aes(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_aes");
}
