/* cmd_hash.c: `kexlab hash`, `kexlab hmac`, `kexlab hkdf`.
 *   hash HASH [--trace [--trace-layout steps|nist]] [--json] [--hex] [FILE...|-]
 *       HASH: sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256.
 *       One line per input, exactly as sha1sum/sha256sum/sha512sum/...:
 *       "<hex>  <name>" ("-" for standard input). --trace prints FIPS 180-4's
 *       intermediate values (H(0), W[t], a..h after each round, H(i)) through
 *       the readable path, value by value ("steps") or as the table of NIST's
 *       examples.
 *   hmac HASH --key HEX [--hex] [--trace] [--json] [FILE|-]
 *       the tag in hex; --trace: FIPS 198-1 §4's K0, K0 ^ ipad, ... first
 *   hkdf [--hash HASH] --ikm HEX [--salt HEX] [--info HEX] --len N
 *        [--trace] [--json]    --trace: RFC 5869's PRK, T(i), OKM first
 * Public API only (kexlab.h). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* ---- shared ---- */

/* --trace in a build whose trace hooks were compiled out would print
 * nothing: refuse it. Returns KL_EXIT_*. */
static int need_traces(const char *cmd)
{
  if (kl_trace_compiled())
    return KL_EXIT_OK;
  cli_error(cmd, "this build has traces disabled (meson -Dtrace=false): --trace has nothing "
                 "to show");
  return KL_EXIT_USAGE;
}

static int parse_alg(const char *cmd, const char *name, kl_hash_alg *alg)
{
  if (name == NULL)
    return cli_usage_error(
      cmd, "missing algorithm (sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)");
  if (kl_hash_from_name(name, alg) != KL_OK)
    return cli_usage_error(
      cmd, "unknown algorithm '%s' (sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)",
      name);
  return KL_EXIT_OK;
}

static const char *display_name(const char *path)
{
  return path == NULL ? "-" : path;
}

/* One line as GNU coreutils 9 sha1sum/sha256sum print it: "<hex>  <name>".
 * A name holding a backslash, a newline or a carriage return would make the
 * line ambiguous, so coreutils starts such a line with a backslash and writes
 * those characters as two-character escapes (backslash-backslash, backslash-n,
 * backslash-r); we do the same, byte for byte. */
static void print_sum_line(const uint8_t *digest, size_t hLen, const char *name)
{
  int escape = strpbrk(name, "\\\n\r") != NULL;
  if (escape)
    putchar('\\');
  for (size_t k = 0; k < hLen; k++)
    printf("%02x", digest[k]);
  fputs("  ", stdout);
  for (const char *c = name; *c != '\0'; c++) {
    if (escape && *c == '\\')
      fputs("\\\\", stdout);
    else if (escape && *c == '\n')
      fputs("\\n", stdout);
    else if (escape && *c == '\r')
      fputs("\\r", stdout);
    else
      putchar(*c);
  }
  putchar('\n');
}

/* Hash a stream in 64 KiB reads (files of any size, without holding them in
 * memory). Prints its own error; returns KL_EXIT_*. */
static int hash_stream(const char *cmd, const char *path, kl_hash_ctx *ctx)
{
  int is_stdin = path == NULL || strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (f == NULL) {
    cli_error(cmd, "cannot open '%s': %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  static uint8_t buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, f)) > 0)
    kl_hash_update(ctx, buf, got);
  int failed = ferror(f);
  int saved_errno = errno;
  if (!is_stdin)
    fclose(f);
  kl_wipe(buf, sizeof buf); /* the input may be secret */
  if (failed) {
    cli_error(cmd, "cannot read '%s': %s", display_name(path), strerror(saved_errno));
    return KL_EXIT_USAGE;
  }
  return KL_EXIT_OK;
}

/* ---- hash ---- */

/* --trace-layout nist: the trace laid out as NIST's examples with
 * intermediate values (SHA1.pdf, SHA256.pdf) print it: H(0), then per block
 * the block M(i) as words, one row per round t with the working variables
 * a..h (SHA-1: a..e) after the round, the schedule W[t], and H(i). The values
 * are the library's trace (the readable compression function); this only
 * arranges them. T1, T2 (SHA-1: T) are left out, as in the examples. */
typedef struct nist_layout {
  FILE *f;
  int nvars;      /* working variables: 8 (SHA-2) or 5 (SHA-1) */
  size_t wbytes;  /* word size: 4, or 8 for the SHA-512 family (§6.4) */
  uint64_t W[80]; /* the schedule of the current block, printed after its rounds */
  int nW;
  uint64_t row[8]; /* a..h of the current round */
} nist_layout;

/* A big-endian word of n = 4 or 8 bytes. */
static uint64_t word_at(const uint8_t *b, size_t n)
{
  uint64_t w = 0;
  for (size_t k = 0; k < n; k++)
    w = (w << 8) | b[k];
  return w;
}

/* One word in hex, 8 or 16 digits as the standard prints it. */
static void nist_word(FILE *f, uint64_t w, size_t n)
{
  fprintf(f, " %0*llx", (int)(2 * n), (unsigned long long)w);
}

/* "  <name> = w0 w1 ..." for a value of whole words. */
static void nist_words(FILE *f, const char *name, int index, const kl_trace_value *v, size_t n)
{
  fprintf(f, "  %s(%d) =", name, index);
  for (size_t k = 0; k + n <= v->len; k += n)
    nist_word(f, word_at(v->bytes + k, n), n);
  fputc('\n', f);
}

static void nist_layout_cb(void *user, const kl_trace_value *v)
{
  nist_layout *nl = user;
  const char *vars = "abcdefgh";
  if (v->kind != KL_TRACE_BYTES)
    return;
  if (strcmp(v->label, "H") == 0) {
    if (v->index > 0) {
      for (int t = 0; t < nl->nW; t++) {
        fprintf(nl->f, "  W[%2d] =", t);
        nist_word(nl->f, nl->W[t], nl->wbytes);
        fputc('\n', nl->f);
      }
      nl->nW = 0;
    }
    nist_words(nl->f, "H", v->index, v, nl->wbytes);
  } else if (strcmp(v->label, "M") == 0) {
    nist_words(nl->f, "M", v->index, v, nl->wbytes);
    fputs("          a", nl->f); /* under the first word of "  t = %2d: " rows */
    for (int j = 1; j < nl->nvars; j++)
      fprintf(nl->f, "%*c", (int)(2 * nl->wbytes + 1), vars[j]);
    fputc('\n', nl->f);
  } else if (strcmp(v->label, "W") == 0 && v->index >= 0 && v->index < 80 && v->len == nl->wbytes) {
    nl->W[v->index] = word_at(v->bytes, nl->wbytes);
    if (v->index + 1 > nl->nW)
      nl->nW = v->index + 1;
  } else if (v->label[0] != '\0' && v->label[1] == '\0' && v->len == nl->wbytes) {
    const char *at = strchr(vars, v->label[0]);
    if (at == NULL || at - vars >= nl->nvars)
      return;
    int j = (int)(at - vars);
    nl->row[j] = word_at(v->bytes, nl->wbytes);
    if (j == nl->nvars - 1) {
      fprintf(nl->f, "  t = %2d:", v->index);
      for (int k = 0; k < nl->nvars; k++)
        nist_word(nl->f, nl->row[k], nl->wbytes);
      fputc('\n', nl->f);
    }
  }
}

static const char *hash_help =
  "usage: kexlab hash sha1|sha256 [--trace [--trace-layout steps|nist]] [--json]\n"
  "                   [--hex] [FILE...|-]\n"
  "\n"
  "Print the SHA-1 or SHA-256 digest (FIPS 180-4) of each FILE, one line per\n"
  "file in the format of sha1sum/sha256sum: '<hex digest>  <name>'. With no\n"
  "FILE, or with '-', read standard input.\n"
  "Also: sha224, sha384, sha512 (as sha224sum, sha384sum, sha512sum),\n"
  "sha512-224 and sha512-256 (FIPS 180-4 §6.7, SHA-512/224 and SHA-512/256).\n"
  "\n"
  "  --trace     also print every intermediate value of the compression\n"
  "              function: H[0] (the initial hash value), then per block M[i],\n"
  "              the schedule W[t], and T1[t], T2[t], a[t]..h[t] after each\n"
  "              round t (SHA-1: T[t], a[t]..e[t]), then H[i]. Labels are\n"
  "              FIPS 180-4 §6.1.2 / §6.2.2's symbols (SHA-512 family:\n"
  "              §6.4.2's, 64-bit words, 80 rounds).\n"
  "  --trace-layout steps|nist\n"
  "              steps (default): one value per line, as above. nist: the\n"
  "              layout of NIST's examples (SHA1.pdf, SHA256.pdf): H(0), then\n"
  "              per block M(i), one row 't = ..: a b c ...' per round, the\n"
  "              schedule W[t], and H(i). Implies --trace; --json ignores it.\n"
  "  --json      one JSON object: {\"command\", \"version\", \"algorithm\",\n"
  "              \"files\": [{\"name\", \"digest\" [, \"trace\": [...]]}]}\n"
  "  --hex       the inputs are hex text (whitespace ignored), not raw bytes\n"
  "  -h, --help  this help\n"
  "\n"
  "Example: printf abc | kexlab hash sha256 --trace-layout nist   (NIST's example)\n";

int cmd_hash(int argc, char **argv)
{
  static const struct option opts[] = {
    {"trace", no_argument, NULL, 't'}, {"trace-layout", required_argument, NULL, 'L'},
    {"json", no_argument, NULL, 'j'},  {"hex", no_argument, NULL, 'x'},
    {"help", no_argument, NULL, 'h'},  {NULL, 0, NULL, 0},
  };
  int trace = 0, json = 0, hex = 0, nist = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 't':
      trace = 1;
      break;
    case 'L':
      trace = 1;
      if (strcmp(optarg, "nist") == 0)
        nist = 1;
      else if (strcmp(optarg, "steps") == 0)
        nist = 0;
      else
        return cli_usage_error("hash", "--trace-layout: '%s' is not steps or nist", optarg);
      break;
    case 'j':
      json = 1;
      break;
    case 'x':
      hex = 1;
      break;
    case 'h':
      fputs(hash_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("hash", argc, argv);
    }
  }
  kl_hash_alg alg;
  int rc = parse_alg("hash", optind < argc ? argv[optind] : NULL, &alg);
  if (rc != KL_EXIT_OK)
    return rc;
  optind++;
  if (trace && (rc = need_traces("hash")) != KL_EXIT_OK)
    return rc;

  /* No FILE means standard input, as in sha256sum. */
  static char dash[] = "-";
  char *stdin_only[] = {dash};
  char **files = optind < argc ? argv + optind : stdin_only;
  int nfiles = optind < argc ? argc - optind : 1;

  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  nist_layout nl;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "hash");
    cj_string(&j, "algorithm", kl_hash_name(alg));
    cj_array_begin(&j, "files");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  if (nist && !json) {
    memset(&nl, 0, sizeof nl);
    nl.f = stdout;
    nl.nvars = alg == KL_HASH_SHA1 ? 5 : 8;
    nl.wbytes = kl_hash_block_len(alg) == KL_SHA512_BLOCK_BYTES ? 8 : 4;
    tr.fn = nist_layout_cb;
    tr.user = &nl;
  }
  if (trace)
    cli_trace_banner(stderr); /* the input may be a secret */

  int status = KL_EXIT_OK;
  size_t hLen = kl_hash_digest_len(alg);
  for (int i = 0; i < nfiles; i++) {
    const char *path = files[i];
    kl_hash_ctx ctx;
    uint8_t digest[KL_HASH_MAX_DIGEST_BYTES];
    if (kl_hash_init(&ctx, alg) != KL_OK) {
      if (json)
        cj_discard(&j);
      return cli_usage_error("hash", "algorithm not available");
    }
    if (json) {
      cj_object_begin(&j, NULL);
      cj_string(&j, "name", path);
    }
    if (trace) {
      kl_hash_set_tracer(&ctx, &tr);
      if (json)
        cj_array_begin(&j, "trace");
      else
        printf("%s:\n", path);
    }
    if (hex) {
      uint8_t *buf;
      size_t len;
      rc = cli_read_input("hash", path, 1, &buf, &len);
      if (rc == KL_EXIT_OK) {
        kl_hash_update(&ctx, buf, len);
        cli_free(buf, len);
      }
    } else {
      rc = hash_stream("hash", path, &ctx);
    }
    if (rc == KL_EXIT_OK) {
      kl_hash_final(&ctx, digest); /* the final blocks are traced too */
    } else {
      kl_hash_clear(&ctx);
      status = rc; /* sha256sum goes on with the next file; so do we */
    }
    if (trace && json)
      cj_array_end(&j);
    if (json) {
      if (rc == KL_EXIT_OK)
        cj_hex(&j, "digest", digest, hLen);
      else
        cj_null(&j, "digest");
      cj_object_end(&j);
    } else if (rc == KL_EXIT_OK) {
      print_sum_line(digest, hLen, path);
    }
  }
  if (json) {
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  }
  if (fflush(stdout) != 0) {
    cli_error("hash", "cannot write standard output");
    return KL_EXIT_USAGE;
  }
  return status;
}

/* ---- hmac ---- */

static const char *hmac_help =
  "usage: kexlab hmac sha1|sha256 --key HEX [--hex] [--trace] [--json] [FILE|-]\n"
  "\n"
  "Print HMAC-SHA1 or HMAC-SHA256 (FIPS 198-1, RFC 2104) of FILE (standard\n"
  "input when FILE is '-' or absent) under the key, as one line of hex.\n"
  "Any hash of `kexlab hash` works (sha224, sha384, sha512, sha512-224, ...).\n"
  "\n"
  "  --key HEX   the key in hex; '' is the empty key (valid)\n"
  "  --hex       the input is hex text, not raw bytes\n"
  "  --trace     first print the values of FIPS 198-1 §4's steps: K0 (steps\n"
  "              1-3), K0 ^ ipad (4), H((K0 ^ ipad) || text) (6), K0 ^ opad\n"
  "              (7) and MAC (9, the tag). They show the key: study only.\n"
  "  --json      {\"command\", \"version\", \"algorithm\", \"tag\" [, \"trace\"]}\n"
  "  -h, --help  this help\n";

int cmd_hmac(int argc, char **argv)
{
  static const struct option opts[] = {
    {"key", required_argument, NULL, 'k'}, {"hex", no_argument, NULL, 'x'},
    {"trace", no_argument, NULL, 't'},     {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0},
  };
  const char *key_hex = NULL;
  int hex = 0, json = 0, trace = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "k:h", opts, NULL)) != -1;) {
    switch (c) {
    case 'k':
      key_hex = optarg;
      break;
    case 'x':
      hex = 1;
      break;
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(hmac_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("hmac", argc, argv);
    }
  }
  kl_hash_alg alg;
  int rc = parse_alg("hmac", optind < argc ? argv[optind] : NULL, &alg);
  if (rc != KL_EXIT_OK)
    return rc;
  optind++;
  if (key_hex == NULL)
    return cli_usage_error("hmac", "--key is required");
  if (argc - optind > 1)
    return cli_usage_error("hmac", "one input at most");
  const char *path = optind < argc ? argv[optind] : "-";
  if (trace && (rc = need_traces("hmac")) != KL_EXIT_OK)
    return rc;

  uint8_t *key = NULL, *msg = NULL;
  size_t key_len = 0, msg_len = 0;
  uint8_t tag[KL_HASH_MAX_DIGEST_BYTES];
  rc = cli_parse_hex("hmac", "--key", key_hex, &key, &key_len);
  if (rc != KL_EXIT_OK)
    return rc;
  rc = cli_read_input("hmac", path, hex, &msg, &msg_len);
  if (rc != KL_EXIT_OK)
    goto out;
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "hmac");
    cj_string(&j, "algorithm", kl_hash_name(alg));
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  if (trace)
    cli_trace_banner(stderr);
  kl_err err = kl_hmac_traced(alg, tag, key, key_len, msg, msg_len, trace ? &tr : NULL);
  if (err != KL_OK) {
    /* Not reached once the algorithm is known (kl_hmac fails only on bad
     * arguments, before it traces anything). */
    if (json)
      cj_discard(&j);
    rc = cli_lib_error("hmac", err);
    goto out;
  }
  size_t L = kl_hash_digest_len(alg);
  if (json) {
    if (trace)
      cj_array_end(&j);
    cj_hex(&j, "tag", tag, L);
    cj_object_end(&j);
    cj_finish(&j);
    fflush(stdout);
  } else {
    rc = cli_write_output("hmac", NULL, 1, tag, L);
  }
out:
  kl_wipe(tag, sizeof tag);
  cli_free(key, key_len);
  cli_free(msg, msg_len);
  return rc;
}

/* ---- hkdf ---- */

static const char *hkdf_help =
  "usage: kexlab hkdf [--hash sha256|sha1] --ikm HEX [--salt HEX] [--info HEX]\n"
  "                   --len N [--trace] [--json]\n"
  "\n"
  "HKDF (RFC 5869): PRK = HMAC-Hash(salt, IKM) (§2.2), then N bytes of\n"
  "OKM = T(1) || T(2) || ... (§2.3), printed as one line of hex.\n"
  "\n"
  "  --hash NAME  sha256 (default) or sha1; also sha224, sha384, sha512,\n"
  "               sha512-224, sha512-256\n"
  "  --ikm HEX    input keying material ('' allowed)\n"
  "  --salt HEX   salt; absent or '' means HashLen zero bytes\n"
  "  --info HEX   context information; absent means empty\n"
  "  --len N      output length in bytes, 1 .. 255*HashLen (8160 for SHA-256)\n"
  "  --trace      first print PRK (§2.2), each T(i) of §2.3 (T[1], T[2], ...)\n"
  "               and OKM. They are secrets: study only.\n"
  "  --json       {\"command\", \"version\", \"hash\", \"PRK\", \"OKM\" [, \"trace\"]}\n"
  "  -h, --help   this help\n";

int cmd_hkdf(int argc, char **argv)
{
  static const struct option opts[] = {
    {"hash", required_argument, NULL, 'H'},
    {"ikm", required_argument, NULL, 'i'},
    {"salt", required_argument, NULL, 's'},
    {"info", required_argument, NULL, 'n'},
    {"len", required_argument, NULL, 'l'},
    {"trace", no_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *hash_name = "sha256", *ikm_hex = NULL, *salt_hex = "", *info_hex = "";
  const char *len_text = NULL;
  int json = 0, trace = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'H':
      hash_name = optarg;
      break;
    case 'i':
      ikm_hex = optarg;
      break;
    case 's':
      salt_hex = optarg;
      break;
    case 'n':
      info_hex = optarg;
      break;
    case 'l':
      len_text = optarg;
      break;
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(hkdf_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option("hkdf", argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error("hkdf", "unexpected argument '%s'", argv[optind]);
  kl_hash_alg alg;
  int rc = parse_alg("hkdf", hash_name, &alg);
  if (rc != KL_EXIT_OK)
    return rc;
  if (ikm_hex == NULL)
    return cli_usage_error("hkdf", "--ikm is required");
  if (len_text == NULL)
    return cli_usage_error("hkdf", "--len is required");
  size_t HashLen = kl_hash_digest_len(alg);
  size_t L;
  rc = cli_parse_size("hkdf", "--len", len_text, 1, 255 * HashLen, &L);
  if (rc != KL_EXIT_OK)
    return rc;
  if (trace && (rc = need_traces("hkdf")) != KL_EXIT_OK)
    return rc;

  uint8_t *ikm = NULL, *salt = NULL, *info = NULL, *OKM = NULL;
  size_t ikm_len = 0, salt_len = 0, info_len = 0;
  uint8_t PRK[KL_HASH_MAX_DIGEST_BYTES];
  rc = cli_parse_hex("hkdf", "--ikm", ikm_hex, &ikm, &ikm_len);
  if (rc == KL_EXIT_OK)
    rc = cli_parse_hex("hkdf", "--salt", salt_hex, &salt, &salt_len);
  if (rc == KL_EXIT_OK)
    rc = cli_parse_hex("hkdf", "--info", info_hex, &info, &info_len);
  if (rc != KL_EXIT_OK)
    goto out;
  OKM = malloc(L);
  if (OKM == NULL) {
    cli_error("hkdf", "out of memory");
    rc = KL_EXIT_USAGE;
    goto out;
  }
  cli_json j;
  cli_tracer ct;
  kl_tracer tr;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, "hkdf");
    cj_string(&j, "hash", kl_hash_name(alg));
    if (trace)
      cj_array_begin(&j, "trace");
  }
  cli_tracer_init(&tr, &ct, stdout, json ? &j : NULL);
  if (trace)
    cli_trace_banner(stderr);
  /* Extract and expand separately so that --json can show PRK. */
  kl_err err = kl_hkdf_extract_traced(alg, PRK, salt, salt_len, ikm, ikm_len, trace ? &tr : NULL);
  if (err == KL_OK)
    err = kl_hkdf_expand_traced(alg, OKM, L, PRK, HashLen, info, info_len, trace ? &tr : NULL);
  if (err != KL_OK) {
    /* Not reached with the lengths checked above. */
    if (json)
      cj_discard(&j);
    rc = cli_lib_error("hkdf", err);
    goto out;
  }
  if (json) {
    if (trace)
      cj_array_end(&j);
    cj_hex(&j, "PRK", PRK, HashLen);
    cj_hex(&j, "OKM", OKM, L);
    cj_object_end(&j);
    cj_finish(&j);
    fflush(stdout);
  } else {
    rc = cli_write_output("hkdf", NULL, 1, OKM, L);
  }
out:
  kl_wipe(PRK, sizeof PRK);
  cli_free(OKM, OKM ? L : 0);
  cli_free(ikm, ikm_len);
  cli_free(salt, salt_len);
  cli_free(info, info_len);
  return rc;
}
