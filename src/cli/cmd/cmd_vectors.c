/* cmd_vectors.c: `kexlab vectors FILE...` runs standard vector files through
 * the implementation. Output (an interface: the lab harness parses it, see
 * docs/vectors.md):
 *   <path>: <format>: <P> passed, <F> failed, <S> skipped[ (<reason>: <n>; ...)]
 *   ... one line per file ...
 *   <P> passed, <F> failed
 * --json prints instead one JSON object (docs/schema/vectors.schema.json):
 * a record per file (path, format, status, passed, failed, skipped,
 * skip_reasons) and the totals, every count a decimal string.
 * The formats, and how each is recognised, are the table of src/testvec/formats.c.
 * Exit 0 when nothing failed and every file was recognised; 1 when a case
 * failed; 2 when a file could not be read or its format was not recognised. */
#include <getopt.h>

#include "commands.h"
#include "formats.h"

static const char *vectors_help =
  "usage: kexlab vectors [--quiet] [--json] FILE...\n"
  "\n"
  "Run standard test-vector files through kexlab and count the results.\n"
  "The format of each file is recognised by its name (NIST CAVP .rsp files,\n"
  "the RFC and PKCS#1 files of the cryptography_vectors package, kexlab's own\n"
  "vectors/local/*.vec). One line per file, then 'N passed, N failed'.\n"
  "Failures are described on stderr (record, expected and actual values).\n"
  "\n"
  "  -q, --quiet   do not describe individual failures\n"
  "      --json    one JSON object: a record per file and the totals\n"
  "  -h, --help    this help\n"
  "\n"
  "Exit status: 0 all passed, 1 a case failed, 2 a file was unreadable or\n"
  "not a recognised format.\n";

static void print_file_line(const vec_result *r)
{
  printf("%s: %s: %lu passed, %lu failed, %lu skipped", r->path, r->format, r->passed, r->failed,
         r->skipped);
  if (r->skipped > 0) {
    printf(" (");
    for (int i = 0; i < VEC_MAX_SKIP_REASONS && r->skips[i].count; i++)
      printf("%s%s: %lu", i ? "; " : "", r->skips[i].reason, r->skips[i].count);
    printf(")");
  }
  printf("\n");
}

/* One record of "files": status is "ran", "unreadable" or "unrecognised"
 * (then format is null and the counts are zero). */
static void json_file_record(cli_json *j, const char *path, const char *status, const vec_result *r)
{
  cj_object_begin(j, NULL);
  cj_string(j, "path", path);
  if (r != NULL && r->format[0] != '\0')
    cj_string(j, "format", r->format);
  else
    cj_null(j, "format");
  cj_string(j, "status", status);
  cj_udecimal(j, "passed", r != NULL ? r->passed : 0);
  cj_udecimal(j, "failed", r != NULL ? r->failed : 0);
  cj_udecimal(j, "skipped", r != NULL ? r->skipped : 0);
  cj_array_begin(j, "skip_reasons");
  for (int i = 0; r != NULL && i < VEC_MAX_SKIP_REASONS && r->skips[i].count; i++) {
    cj_object_begin(j, NULL);
    cj_string(j, "reason", r->skips[i].reason);
    cj_udecimal(j, "count", r->skips[i].count);
    cj_object_end(j);
  }
  cj_array_end(j);
  cj_object_end(j);
}

int cmd_vectors(int argc, char **argv)
{
  static const struct option opts[] = {
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  int quiet = 0, json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "qh", opts, NULL)) != -1;) {
    switch (c) {
    case 'q':
      quiet = 1;
      break;
    case 'j':
      json = 1;
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

  unsigned long passed = 0, failed = 0, skipped = 0;
  int bad_file = 0;
  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "vectors");
    cj_array_begin(&j, "files");
  }
  for (int i = optind; i < argc; i++) {
    const char *path = argv[i];
    const vec_format *format = vec_format_find(path);
    if (format == NULL) {
      if (json)
        json_file_record(&j, path, "unrecognised", NULL);
      else
        printf("%s: unrecognised format\n", path);
      cli_error("vectors", "'%s': not a vector format kexlab knows", path);
      bad_file = 1;
      continue;
    }
    vec_result r;
    vec_result_init(&r, path, quiet ? NULL : stderr);
    format->run(path, vec_base_name(path), &r);
    if (r.file_error) {
      if (json)
        json_file_record(&j, path, "unreadable", &r);
      else
        printf("%s: %s: could not be read\n", path, r.format[0] ? r.format : "?");
      bad_file = 1;
    } else if (json) {
      json_file_record(&j, path, "ran", &r);
    } else {
      print_file_line(&r);
    }
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  }
  if (json) {
    cj_array_end(&j);
    cj_object_begin(&j, "total");
    cj_udecimal(&j, "passed", passed);
    cj_udecimal(&j, "failed", failed);
    cj_udecimal(&j, "skipped", skipped);
    cj_object_end(&j);
    cj_object_end(&j);
    if (cj_finish(&j) != 0)
      return KL_EXIT_FAIL;
  } else {
    printf("%lu passed, %lu failed\n", passed, failed);
  }
  fflush(stdout);
  if (failed > 0)
    return KL_EXIT_FAIL;
  return bad_file ? KL_EXIT_USAGE : KL_EXIT_OK;
}
