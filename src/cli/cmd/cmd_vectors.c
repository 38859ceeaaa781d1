/* cmd_vectors.c: `kexlab vectors FILE...` runs standard vector files through
 * the implementation. Output (an interface: the lab harness parses it, see
 * docs/vectors.md):
 *   <path>: <format>: <P> passed, <F> failed, <S> skipped[ (<reason>: <n>; ...)]
 *   ... one line per file ...
 *   <P> passed, <F> failed
 * Exit 0 when nothing failed and every file was recognised; 1 when a case
 * failed; 2 when a file could not be read or its format was not recognised. */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "vecfile.h"

static const char *vectors_help =
  "usage: kexlab vectors [--quiet] FILE...\n"
  "\n"
  "Run standard test-vector files through kexlab and count the results.\n"
  "The format of each file is recognised by its name (NIST CAVP .rsp files,\n"
  "the RFC and PKCS#1 files of the cryptography_vectors package, kexlab's own\n"
  "vectors/local/*.vec). One line per file, then 'N passed, N failed'.\n"
  "Failures are described on stderr (record, expected and actual values).\n"
  "\n"
  "  -q, --quiet   do not describe individual failures\n"
  "  -h, --help    this help\n"
  "\n"
  "Exit status: 0 all passed, 1 a case failed, 2 a file was unreadable or\n"
  "not a recognised format.\n";

static vec_handler_fn *const handlers[] = {
  vec_hash_run,
  vec_aes_run,
  vec_rsa_run,
  vec_pkcs1_run,
};

static const char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static void print_file_line(const vec_result *r)
{
  printf("%s: %s: %lu passed, %lu failed, %lu skipped", r->path, r->format,
         r->passed, r->failed, r->skipped);
  if (r->skipped > 0) {
    printf(" (");
    for (int i = 0; i < VEC_MAX_SKIP_REASONS && r->skips[i].count; i++)
      printf("%s%s: %lu", i ? "; " : "", r->skips[i].reason, r->skips[i].count);
    printf(")");
  }
  printf("\n");
}

int cmd_vectors(int argc, char **argv)
{
  static const struct option opts[] = {
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  int quiet = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "qh", opts, NULL)) != -1;) {
    switch (c) {
    case 'q':
      quiet = 1;
      break;
    case 'h':
      fputs(vectors_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("vectors", argc, argv);
    }
  }
  if (optind >= argc)
    return cli_usage_error("vectors", "no vector file given");

  unsigned long passed = 0, failed = 0;
  int bad_file = 0;
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    vec_result r;
    int recognised = 0;
    for (size_t h = 0; h < sizeof handlers / sizeof handlers[0] && !recognised; h++) {
      vec_result_init(&r, path, quiet ? NULL : stderr);
      recognised = handlers[h](path, base_name(path), &r);
    }
    if (!recognised) {
      printf("%s: unrecognised format\n", path);
      cli_error("vectors", "'%s': not a vector format kexlab knows", path);
      bad_file = 1;
      continue;
    }
    if (r.file_error) {
      printf("%s: %s: could not be read\n", path, r.format[0] ? r.format : "?");
      bad_file = 1;
    } else {
      print_file_line(&r);
    }
    passed += r.passed;
    failed += r.failed;
  }
  printf("%lu passed, %lu failed\n", passed, failed);
  fflush(stdout);
  if (failed > 0)
    return KL_EXIT_FAIL;
  return bad_file ? KL_EXIT_USAGE : KL_EXIT_OK;
}
