/* subcmd.h: dispatch "kexlab GROUP NAME ..." (bench, demo, rsa) to a table. */
#ifndef KL_CLI_SUBCMD_H
#define KL_CLI_SUBCMD_H

#include "cli.h"

typedef struct subcmd {
  const char *name;
  cli_cmd_fn *fn;
  const char *summary;
} subcmd;

/* argv[0] is the group; argv[1] the subcommand (or --help). The chosen
 * function gets argv + 1, so its argv[0] is its own name. */
int subcmd_dispatch(const char *group, const char *usage, const subcmd *table, size_t n, int argc,
                    char **argv);

#endif
