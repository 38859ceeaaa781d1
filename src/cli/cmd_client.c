/* cmd_client.c: placeholder until this command lands. */
#include "commands.h"

int cmd_client(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_client");
}
