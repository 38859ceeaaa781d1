/* demo_aes.c: `kexlab demo aes [--key HEX] [--in HEX] [--decrypt [--equivalent]] [--json]`.
 * By default it walks through FIPS 197 Appendix C.1, C.2 and C.3 (the
 * standard's example vectors for AES-128, -192 and -256): the key schedule
 * as the table of Appendix A (temp, RotWord, SubWord, Rcon, XOR, w[i-Nk],
 * w[i]), then the State after every step of every round, labelled as App. C
 * labels it (round[ r].start, .s_box, .s_row, .m_col, .k_sch, ...) and drawn
 * as the 4x4 matrix of §3.4 (s[r][c] = in[r + 4c]), so that a student can
 * hold it against the document. --decrypt runs the inverse cipher (§5.3)
 * instead, --decrypt --equivalent the Equivalent Inverse Cipher (§5.3.5), as
 * App. C's "EQUIVALENT INVERSE CIPHER" lines. Everything comes from the
 * reference path's trace hooks. --json gives the same values to the lab
 * harness (docs/schema/demo-aes.schema.json): each trace record named as the
 * text names it ("round[ 1].s_box", "w[4]"), states as {"hex", "rows"}
 * (hex in FIPS 197 order in[r + 4c], rows s[r][0..3]). A build without traces
 * (-Dtrace=false, kl_trace_compiled() == 0) has nothing to show: exit 2. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

#define CMD "demo aes"

static const char *demo_aes_help =
  "usage: kexlab demo aes [--key HEX] [--in HEX] [--decrypt [--equivalent]] [--json]\n"
  "\n"
  "AES round by round, from the reference implementation's trace (FIPS 197 as\n"
  "written). Without --key/--in: FIPS 197 Appendix C.1, C.2 and C.3 (key\n"
  "000102..., plaintext 00112233...). Prints the key expansion (as Appendix A)\n"
  "and the State after every step, as 4x4 matrices with App. C's labels.\n"
  "\n"
  "  --key HEX    16, 24 or 32 bytes\n"
  "  --in HEX     one 16-byte block (plaintext, or ciphertext with --decrypt)\n"
  "  --decrypt    run the inverse cipher (FIPS 197 §5.3)\n"
  "  --equivalent with --decrypt: the Equivalent Inverse Cipher instead\n"
  "               (FIPS 197 §5.3.5, App. C's EQUIVALENT INVERSE CIPHER lines)\n"
  "  --json       machine-readable output\n"
  "  -h, --help   this help\n";

/* ---- text printer ---- */

typedef struct demo_text {
  FILE *f;
  /* one row of the Appendix A table, filled as the values arrive */
  int have[7];
  uint8_t col[7][4];
} demo_text;

static const char *const ks_labels[7] = {"temp",     "RotWord", "SubWord", "Rcon",
                                         "xor_Rcon", "w[i-Nk]", "w"};

static void print_word(FILE *f, const uint8_t *b)
{
  fprintf(f, "%02x%02x%02x%02x", b[0], b[1], b[2], b[3]);
}

static void text_cb(void *user, const kl_trace_value *v)
{
  demo_text *d = user;
  if (v->kind == KL_TRACE_BYTES && v->len == 4) {
    /* key expansion (Appendix A) */
    for (int c = 0; c < 7; c++) {
      if (strcmp(v->label, ks_labels[c]) == 0) {
        memcpy(d->col[c], v->bytes, 4);
        d->have[c] = 1;
      }
    }
    if (strcmp(v->label, "w") == 0) {
      if (!d->have[0]) { /* i < Nk: the key itself */
        fprintf(d->f, "  w%-2d = ", v->index);
        print_word(d->f, v->bytes);
        fputc('\n', d->f);
      } else {
        fprintf(d->f, "  %2d", v->index);
        for (int c = 0; c < 7; c++) {
          fputc(' ', d->f);
          if (d->have[c])
            print_word(d->f, d->col[c]);
          else
            fputs("        ", d->f);
        }
        fputc('\n', d->f);
      }
      memset(d->have, 0, sizeof d->have);
    }
    return;
  }
  if (v->kind == KL_TRACE_MATRIX && v->rows == 4 && v->cols == 4) {
    /* "round[ 1].s_box  63cab704..." then the matrix, row by row. */
    char label[40];
    snprintf(label, sizeof label, "round[%2d].%s", v->index, v->label);
    fprintf(d->f, "%-18s ", label);
    for (unsigned c = 0; c < 4; c++) {
      for (unsigned r = 0; r < 4; r++)
        fprintf(d->f, "%02x", v->bytes[r * 4 + c]);
    }
    fputc('\n', d->f);
    for (unsigned r = 0; r < 4; r++) {
      fprintf(d->f, "%-18s ", "");
      for (unsigned c = 0; c < 4; c++)
        fprintf(d->f, "%02x%s", v->bytes[r * 4 + c], c < 3 ? " " : "\n");
    }
  }
}

/* ---- one run ---- */

typedef struct demo_run {
  const char *title;
  uint8_t key[32];
  size_t key_len;
  uint8_t in[16];
  int decrypt;
  int equivalent; /* with decrypt: §5.3.5 instead of §5.3 */
} demo_run;

/* FIPS 197's name of the algorithm a run goes through. */
static const char *cipher_name(const demo_run *run)
{
  if (!run->decrypt)
    return "Cipher";
  return run->equivalent ? "EqInvCipher" : "InvCipher";
}

static int run_one(const demo_run *run, cli_json *j)
{
  kl_aes_key key;
  kl_tracer tr;
  cli_tracer ct; /* --json: the common trace printer (docs/json.md's records) */
  demo_text dt;
  memset(&dt, 0, sizeof dt);
  dt.f = stdout;
  unsigned Nk = (unsigned)run->key_len / 4;
  if (j != NULL) {
    char num[16];
    cj_object_begin(j, NULL);
    cj_string(j, "title", run->title);
    snprintf(num, sizeof num, "%u", Nk);
    cj_string(j, "Nk", num);
    snprintf(num, sizeof num, "%u", Nk + 6);
    cj_string(j, "Nr", num);
    cj_hex(j, "key", run->key, run->key_len);
    cj_string(j, "direction", run->decrypt ? "decrypt" : "encrypt");
    cj_string(j, "cipher", cipher_name(run));
    cj_hex(j, "input", run->in, 16);
    cj_array_begin(j, "key_expansion");
    cli_tracer_init(&tr, &ct, stdout, j);
  } else {
    printf("%s\n", run->title);
    printf("%s: ", run->decrypt ? "CIPHERTEXT" : "PLAINTEXT");
    cli_print_hex(stdout, run->in, 16);
    printf("KEY: ");
    cli_print_hex(stdout, run->key, run->key_len);
    printf("\nKEY EXPANSION (FIPS 197 §5.2, laid out as Appendix A):\n");
    printf("   i temp     RotWord  SubWord  Rcon     xor Rcon w[i-Nk]  w[i]\n");
    tr.fn = text_cb;
    tr.user = &dt;
  }
  kl_err e = kl_aes_init_traced(&key, KL_AES_IMPL_REF, run->key, run->key_len, &tr);
  if (e != KL_OK) {
    if (j != NULL) {
      cj_array_end(j);
      cj_object_end(j);
    }
    cli_error(CMD, "key set-up failed: %s", kl_strerror(e));
    return cli_exit_for(e);
  }
  if (j != NULL) {
    cj_array_end(j);
    cj_array_begin(j, "rounds");
  } else {
    printf("\n%s (the State after every step; hex as in App. C, then s[r][c]):\n",
           !run->decrypt     ? "CIPHER (ENCRYPT), FIPS 197 §5.1"
           : run->equivalent ? "EQUIVALENT INVERSE CIPHER (DECRYPT), FIPS 197 §5.3.5"
                             : "INVERSE CIPHER (DECRYPT), FIPS 197 §5.3");
  }
  uint8_t out[16];
  if (run->decrypt && run->equivalent)
    kl_aes_decrypt_block_equivalent(&key, out, run->in);
  else if (run->decrypt)
    kl_aes_decrypt_block(&key, out, run->in);
  else
    kl_aes_encrypt_block(&key, out, run->in);
  kl_aes_clear(&key);
  if (j != NULL) {
    cj_array_end(j);
    cj_hex(j, "output", out, 16);
    cj_object_end(j);
  } else {
    printf("%s: ", run->decrypt ? "PLAINTEXT" : "CIPHERTEXT");
    cli_print_hex(stdout, out, 16);
    printf("\n");
  }
  kl_wipe(out, sizeof out); /* with --decrypt, the user's plaintext */
  return KL_EXIT_OK;
}

int demo_aes(int argc, char **argv)
{
  static const struct option opts[] = {
    {"key", required_argument, NULL, 'k'},
    {"in", required_argument, NULL, 'i'},
    {"decrypt", no_argument, NULL, 'd'},
    {"equivalent", no_argument, NULL, 'e'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *key_hex = NULL, *in_hex = NULL;
  int decrypt = 0, equivalent = 0, json = 0, rc = KL_EXIT_OK;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'k':
      key_hex = optarg;
      break;
    case 'i':
      in_hex = optarg;
      break;
    case 'd':
      decrypt = 1;
      break;
    case 'e':
      equivalent = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(demo_aes_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(CMD, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
  if (equivalent && !decrypt)
    return cli_usage_error(CMD, "--equivalent goes with --decrypt");
  /* Everything this demo prints comes from trace hooks: without them it
   * would print headings over empty rounds. */
  if (!kl_trace_compiled()) {
    cli_error(CMD, "this build has traces disabled (meson -Dtrace=false): nothing to show");
    return KL_EXIT_USAGE;
  }

  demo_run runs[3];
  size_t n_runs = 0;
  memset(runs, 0, sizeof runs);
  if (key_hex == NULL && in_hex == NULL) {
    /* FIPS 197 Appendix C: key 00 01 02 ..., plaintext 00 11 22 ... ff. */
    static const char *const titles[3] = {"C.1 AES-128 (Nk=4, Nr=10)", "C.2 AES-192 (Nk=6, Nr=12)",
                                          "C.3 AES-256 (Nk=8, Nr=14)"};
    for (size_t r = 0; r < 3; r++) {
      runs[r].title = titles[r];
      runs[r].key_len = 16 + 8 * r;
      for (size_t i = 0; i < runs[r].key_len; i++)
        runs[r].key[i] = (uint8_t)i;
      for (size_t i = 0; i < 16; i++)
        runs[r].in[i] = (uint8_t)(0x11 * i);
      runs[r].decrypt = 0;
      if (decrypt) { /* the inverse cipher starts from App. C's ciphertext */
        kl_aes_key k;
        if (kl_aes_init(&k, KL_AES_IMPL_TTABLE, runs[r].key, runs[r].key_len) != KL_OK)
          return KL_EXIT_FAIL;
        kl_aes_encrypt_block(&k, runs[r].in, runs[r].in);
        kl_aes_clear(&k);
        runs[r].decrypt = 1;
        runs[r].equivalent = equivalent;
      }
    }
    n_runs = 3;
  } else {
    uint8_t *k = NULL, *in = NULL;
    size_t k_len = 0, in_len = 0;
    if (key_hex == NULL || in_hex == NULL)
      return cli_usage_error(CMD, "give both --key and --in, or neither");
    if ((rc = cli_parse_hex(CMD, "--key", key_hex, &k, &k_len)) != KL_EXIT_OK)
      return rc;
    if ((rc = cli_parse_hex(CMD, "--in", in_hex, &in, &in_len)) != KL_EXIT_OK) {
      cli_free(k, k_len);
      return rc;
    }
    if (k_len != 16 && k_len != 24 && k_len != 32)
      rc = cli_usage_error(CMD, "--key must be 16, 24 or 32 bytes (got %zu)", k_len);
    else if (in_len != 16)
      rc = cli_usage_error(CMD, "--in must be one 16-byte block (got %zu bytes)", in_len);
    if (rc == KL_EXIT_OK) {
      runs[0].title = k_len == 16   ? "AES-128 (Nk=4, Nr=10)"
                      : k_len == 24 ? "AES-192 (Nk=6, Nr=12)"
                                    : "AES-256 (Nk=8, Nr=14)";
      memcpy(runs[0].key, k, k_len);
      runs[0].key_len = k_len;
      memcpy(runs[0].in, in, 16);
      runs[0].decrypt = decrypt;
      runs[0].equivalent = equivalent;
      n_runs = 1;
    }
    cli_free(k, k_len);
    cli_free(in, in_len);
    if (rc != KL_EXIT_OK)
      return rc;
  }

  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, CMD);
    cj_string(&j, "reference", key_hex == NULL ? "FIPS 197 Appendix C" : "FIPS 197");
    cj_array_begin(&j, "runs");
  } else {
    cli_trace_banner(stderr);
  }
  for (size_t r = 0; r < n_runs && rc == KL_EXIT_OK; r++) {
    rc = run_one(&runs[r], json ? &j : NULL);
    if (!json && r + 1 < n_runs)
      printf("\n");
  }
  if (json) {
    cj_array_end(&j);
    cj_object_end(&j);
    cj_finish(&j);
  }
  kl_wipe(runs, sizeof runs);
  fflush(stdout);
  return rc;
}
