/* cmd_math.c: placeholder until this command lands. */
#include "commands.h"

int cmd_prime(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_prime");
}

int cmd_egcd(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_egcd");
}

int cmd_modinv(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_modinv");
}

int cmd_modexp(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("cmd_modexp");
}
