/* cmd_lab_trace.c: `kexlab lab-trace KIND --json [NAME=VALUE ...] [--request FILE]`:
 * the computations behind the lab page's endpoints (serve --lab,
 * docs/rest-api.md "The lab endpoints"), without a server: the same request
 * members, the same answer byte for byte (src/cli/serve/lab_trace.c), for the
 * lab harness and for scripts. KIND is aes, rsa, oaep or sha256. The request
 * is the JSON object of --request FILE ("-": standard input), then each
 * NAME=VALUE argument sets the string member NAME. Output: one JSON object
 * (docs/schema/lab-trace-<kind>.schema.json); a bad input is exit 2 with
 * the endpoint's message on stderr. The traces show every value, secrets
 * included: study values only. */
#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "commands.h"
#include "lab_trace.h"

#define CMD "lab-trace"

static const char *help =
  "usage: kexlab lab-trace aes|rsa|oaep|sha256 --json [NAME=VALUE ...] [--request FILE]\n"
  "\n"
  "Run one computation of the lab page (kexlab serve --lab) on the values given\n"
  "and print its trace records as JSON: the answer of POST /v1/lab/trace/KIND\n"
  "(docs/rest-api.md). Members, as the endpoint takes them:\n"
  "  aes     key= block= iv= cbc=          (hex)\n"
  "  rsa     p= q= e= m=  or  bits= e= m=  (decimal)\n"
  "  oaep    hash=sha1|sha256 p= q= e= message= seed= label=  (hex)\n"
  "  sha256  message=                      (hex)\n"
  "\n"
  "  --request FILE  the request as a JSON object (\"-\": standard input);\n"
  "                  NAME=VALUE arguments then set string members\n"
  "  --json          the output form (JSON is the only one)\n"
  "  -h, --help      this help\n"
  "Example: kexlab lab-trace rsa --json p=61 q=53 e=17 m=65\n";

int cmd_lab_trace(int argc, char **argv)
{
  static const struct option opts[] = {
    {"request", required_argument, NULL, 'r'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *request = NULL;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'r':
      request = optarg;
      break;
    case 'j':
      break;
    case 'h':
      fputs(help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(CMD, argc, argv);
    }
  }
  if (optind >= argc)
    return cli_usage_error(CMD, "which trace? aes, rsa, oaep or sha256");
  const char *kind = argv[optind++];
  if (lab_trace_find(kind) == NULL)
    return cli_usage_error(CMD, "no lab trace named '%s' (aes, rsa, oaep, sha256)", kind);
  if (!kl_trace_compiled()) {
    cli_error(CMD, "this build has traces disabled (meson -Dtrace=false): nothing to show");
    return KL_EXIT_USAGE;
  }

  json_t *in = NULL;
  if (request != NULL) {
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = cli_read_file(CMD, request, &buf, &len);
    if (rc != KL_EXIT_OK)
      return rc;
    json_error_t jerr;
    in = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &jerr);
    cli_free(buf, len);
    if (in == NULL || !json_is_object(in)) {
      json_decref(in);
      return cli_usage_error(CMD, "%s is not one JSON object", request);
    }
  } else {
    in = json_object();
    if (in == NULL) {
      cli_error(CMD, "out of memory");
      return KL_EXIT_FAIL;
    }
  }
  for (; optind < argc; optind++) {
    const char *eq = strchr(argv[optind], '=');
    if (eq == NULL || eq == argv[optind]) {
      json_decref(in);
      return cli_usage_error(CMD, "'%s' is not NAME=VALUE", argv[optind]);
    }
    char name[64];
    size_t n = (size_t)(eq - argv[optind]);
    if (n >= sizeof name) {
      json_decref(in);
      return cli_usage_error(CMD, "'%s': the name is too long", argv[optind]);
    }
    memcpy(name, argv[optind], n);
    name[n] = '\0';
    json_object_set_new(in, name, json_string(eq + 1));
  }
  char why[256];
  int rc = lab_trace_run(kind, in, stdout, why, sizeof why);
  json_decref(in);
  if (rc == -1)
    return cli_usage_error(CMD, "%s", why);
  if (rc != 0) {
    cli_error(CMD, "%s", why);
    return KL_EXIT_FAIL;
  }
  return KL_EXIT_OK;
}
