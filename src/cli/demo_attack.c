/* demo_attack.c: placeholder until this command lands. */
#include "commands.h"

int demo_attack(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  return cli_not_available("demo_attack");
}
