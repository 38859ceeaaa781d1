/* cmd_hash.c: placeholder until this command lands. */
#include "commands.h"

int cmd_hash(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_hash");
}

int cmd_hmac(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_hmac");
}

int cmd_hkdf(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_hkdf");
}
