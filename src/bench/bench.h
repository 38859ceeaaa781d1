/* bench.h: the measuring instruments behind `kexlab bench NAME`, one file
 * each (bench_<name>.c). They parse their own options and print through the
 * command's common kit (src/cli/common), so `kexlab bench` only dispatches. */
#ifndef KL_BENCH_H
#define KL_BENCH_H

#include "cli.h"

cli_cmd_fn bench_sha, bench_aes, bench_rsa, bench_kex, bench_http;

#endif
