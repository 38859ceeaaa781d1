/* subcmd.c: the one dispatcher behind `kexlab bench|demo|rsa NAME`. */
#include <string.h>

#include "subcmd.h"

static void print_group_help(FILE *f, const char *usage, const subcmd *table, size_t n)
{
  fputs(usage, f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "  %-12s %s\n", table[i].name, table[i].summary);
}

int subcmd_dispatch(const char *group, const char *usage, const subcmd *table, size_t n, int argc,
                    char **argv)
{
  if (argc < 2) {
    print_group_help(stderr, usage, table, n);
    return KL_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    print_group_help(stdout, usage, table, n);
    return KL_EXIT_OK;
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(name, table[i].name) == 0)
      return table[i].fn(argc - 1, argv + 1);
  }
  return cli_usage_error(group, "unknown subcommand '%s'", name);
}
