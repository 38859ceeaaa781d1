/* demo_rsa3233.c: placeholder until this command lands. */
#include "commands.h"

int demo_rsa3233(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("demo_rsa3233");
}
