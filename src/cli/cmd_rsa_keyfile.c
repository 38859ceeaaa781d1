/* cmd_rsa_keyfile.c: placeholder until this command lands. */
#include "commands.h"

int rsa_show(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_show");
}

int rsa_convert(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_convert");
}

int rsa_check(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_check");
}
