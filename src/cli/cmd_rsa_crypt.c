/* cmd_rsa_crypt.c: placeholder until this command lands. */
#include "commands.h"

int rsa_encrypt(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_encrypt");
}

int rsa_decrypt(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_decrypt");
}

int rsa_sign(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_sign");
}

int rsa_verify(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("rsa_verify");
}
