/* cmd_rsa_keygen.c: placeholder until this command lands. */
#include "commands.h"

int rsa_keygen(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_keygen");
}
