/* cmd_aes.c: `kexlab aes encrypt|decrypt --key HEX [--iv HEX] [--no-pad]
 *             [--in FILE|-] [--out FILE|-] [--hex] [--impl ref|table|table1]
 *             [--trace] [--json]`
 * AES-CBC (SP 800-38A §6.2) with PKCS#7 padding (RFC 5652 §6.3).
 *  - With --iv the bytes are those of `openssl enc -aes-{128,192,256}-cbc -K KEY
 *    -iv IV [-nopad]` (tests/interop/test_aes_openssl.sh checks this).
 *  - Without --iv, encrypt draws a random IV from the OS generator and writes
 *    IV || ciphertext (the original scheme's format); decrypt reads the IV from
 *    the front.
 *  - --hex: the ciphertext side is hex text (encrypt writes hex, decrypt reads
 *    hex); the plaintext side is always raw bytes.
 * Exit: 2 for usage and input errors (a key or IV of the wrong length, a
 * --no-pad plaintext that is not whole blocks); 1 for every decryption
 * failure (bad padding, a ciphertext of a wrong length), with one generic
 * message whatever the cause.
 *  - --trace prints, before the output, every block as NIST SP 800-38A
 *    Appendix F.2 lays it out (Key, IV, then per "Block #j": Plaintext, Input
 *    Block, Output Block, Ciphertext; decrypting: Ciphertext, Input Block,
 *    Output Block, Plaintext), from kl_cbc_*_traced. The warning goes to stderr.
 *  - --json prints one JSON object (docs/schema/aes.schema.json) instead of the
 *    output: the bytes the command would write, in hex, as "ciphertext" or
 *    "plaintext" (binary data has no other faithful form in JSON), whatever
 *    the length; --out FILE still gets them as without --json. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char *aes_help =
  "usage: kexlab aes encrypt|decrypt --key HEX [--iv HEX] [--no-pad]\n"
  "                  [--in FILE|-] [--out FILE|-] [--hex] [--impl ref|table|table1]\n"
  "                  [--trace] [--json]\n"
  "\n"
  "AES-CBC with PKCS#7 padding. With --iv, byte-compatible with\n"
  "  openssl enc -aes-{128,192,256}-cbc -K KEY -iv IV [-nopad]   (add -d to decrypt)\n"
  "Without --iv, encrypt puts a fresh random IV in front of the ciphertext and\n"
  "decrypt takes the IV from the front (the original scheme's message format).\n"
  "\n"
  "  --key HEX      16, 24 or 32 bytes (AES-128, -192, -256)\n"
  "  --iv HEX       16 bytes\n"
  "  --no-pad       no PKCS#7 padding: the plaintext must be whole 16-byte blocks\n"
  "  --in FILE      input (default: standard input)\n"
  "  --out FILE     output (default: standard output)\n"
  "  --hex          ciphertext as hex text (encrypt writes it, decrypt reads it)\n"
  "  --impl NAME    table (default: 4 T-tables), table1 (1 T-table + rotations),\n"
  "                 ref (FIPS 197 as written)\n"
  "  --trace        print every block first, as NIST SP 800-38A Appendix F.2:\n"
  "                 Key, IV, then per block Plaintext, Input Block, Output Block,\n"
  "                 Ciphertext (decrypt: Ciphertext, Input Block, Output Block,\n"
  "                 Plaintext); the output follows. Shows the key: study only\n"
  "  --json         one JSON object on stdout (docs/schema/aes.schema.json): the\n"
  "                 output bytes in hex as \"ciphertext\" or \"plaintext\" (--out\n"
  "                 FILE still gets them); with --trace, the blocks under \"trace\"\n"
  "  -h, --help     this help\n"
  "\n"
  "Exit status: 0 ok, 1 decryption failed (bad padding or ciphertext length),\n"
  "2 usage or input error (key or IV length, --no-pad input not whole blocks).\n";

#define CMD "aes"

static int parse_impl(const char *text, kl_aes_impl *impl)
{
  if (strcmp(text, "table") == 0)
    *impl = KL_AES_IMPL_TTABLE;
  else if (strcmp(text, "table1") == 0)
    *impl = KL_AES_IMPL_TTABLE1;
  else if (strcmp(text, "ref") == 0)
    *impl = KL_AES_IMPL_REF;
  else
    return cli_usage_error(CMD, "--impl must be ref, table or table1 (got '%s')", text);
  return KL_EXIT_OK;
}

static int decrypt_failed(void)
{
  /* One message for every cause: a padding oracle must not learn which. */
  cli_error(CMD, "%s", kl_strerror(KL_ERR_DECRYPT));
  return KL_EXIT_FAIL;
}

/* Encrypt in[0..len) into a malloc'd *out. */
static int do_encrypt(const kl_aes_key *key, const uint8_t *iv, int pad, const uint8_t *in,
                      size_t len, const kl_tracer *tr, uint8_t **out, size_t *out_len)
{
  if (!pad && len % KL_AES_BLOCK_BYTES != 0)
    return cli_usage_error(CMD, "with --no-pad the input must be a multiple of 16 bytes (got %zu)",
                           len);
  size_t body = pad ? kl_pkcs7_padded_len(len) : len;
  size_t total = body + (iv == NULL ? KL_AES_BLOCK_BYTES : 0);
  uint8_t *buf = malloc(total + 1);
  if (buf == NULL) {
    cli_error(CMD, "out of memory");
    return KL_EXIT_USAGE;
  }
  uint8_t *dst = buf;
  kl_err e = KL_OK;
  if (iv == NULL) {
    kl_rng rng;
    kl_rng_os(&rng);
    e = kl_rng_fill(&rng, buf, KL_AES_BLOCK_BYTES);
    iv = buf;
    dst = buf + KL_AES_BLOCK_BYTES;
  }
  if (e == KL_OK && pad) {
    size_t cap = body;
    e = kl_pkcs7_pad(dst, &cap, in, len);
  } else if (e == KL_OK && len > 0) {
    memcpy(dst, in, len);
  }
  if (e == KL_OK)
    e = kl_cbc_encrypt_traced(key, iv, dst, dst, body, tr);
  if (e != KL_OK) {
    cli_free(buf, total);
    cli_error(CMD, "encryption failed: %s", kl_strerror(e));
    return cli_exit_for(e);
  }
  *out = buf;
  *out_len = total;
  return KL_EXIT_OK;
}

static int do_decrypt(const kl_aes_key *key, const uint8_t *iv, int pad, const uint8_t *in,
                      size_t len, const kl_tracer *tr, uint8_t **out, size_t *out_len)
{
  if (iv == NULL) {
    /* IV in front: at least IV plus one block. */
    if (len < 2 * KL_AES_BLOCK_BYTES)
      return decrypt_failed();
    iv = in;
    in += KL_AES_BLOCK_BYTES;
    len -= KL_AES_BLOCK_BYTES;
  }
  /* Empty, or not whole blocks: a decryption failure, like bad padding. */
  if (len == 0 || len % KL_AES_BLOCK_BYTES != 0)
    return decrypt_failed();
  uint8_t *buf = malloc(len);
  if (buf == NULL) {
    cli_error(CMD, "out of memory");
    return KL_EXIT_USAGE;
  }
  kl_err e = kl_cbc_decrypt_traced(key, iv, buf, in, len, tr);
  size_t pt_len = len;
  if (e == KL_OK && pad)
    e = kl_pkcs7_unpad_len(buf, len, &pt_len);
  if (e != KL_OK) {
    cli_free(buf, len);
    return decrypt_failed();
  }
  *out = buf;
  *out_len = pt_len;
  return KL_EXIT_OK;
}

/* --trace as text: SP 800-38A F.2's layout, a "Block #j" line before each
 * block's four lines, each "<label> <hex>" (the IV line has no block). */
typedef struct cbc_text {
  FILE *f;
  int block; /* the block whose lines are being printed; 0 before the first */
} cbc_text;

static void cbc_text_cb(void *user, const kl_trace_value *v)
{
  cbc_text *t = user;
  if (v->index > 0 && v->index != t->block) {
    t->block = v->index;
    fprintf(t->f, "Block #%d\n", v->index);
  }
  fprintf(t->f, "%s ", v->label);
  cli_print_hex(t->f, v->bytes, v->len);
}

/* --trace --json: one record per line of the text, named as the text names
 * it ("Input Block"; the text's "Block #j" line is the index). */
static void cbc_json_cb(void *user, const kl_trace_value *v)
{
  cli_json *j = user;
  char index[16];
  cj_object_begin(j, NULL);
  cj_string(j, "name", v->label);
  cj_string(j, "label", v->label);
  if (v->index >= 0) {
    snprintf(index, sizeof index, "%d", v->index);
    cj_string(j, "index", index);
  }
  cj_string(j, "kind", "bytes");
  cj_hex(j, "hex", v->bytes, v->len);
  cj_object_end(j);
}

/* The IV actually used: --iv, else (decrypt) the input's first block; NULL
 * for an encryption that draws it (then it is the output's first block). */
static const uint8_t *iv_used(int encrypt, const uint8_t *iv, const uint8_t *in, size_t in_len,
                              const uint8_t *out, size_t out_len)
{
  if (iv != NULL)
    return iv;
  if (encrypt)
    return out_len >= KL_AES_BLOCK_BYTES ? out : NULL;
  return in_len >= KL_AES_BLOCK_BYTES ? in : NULL;
}

int cmd_aes(int argc, char **argv)
{
  static const struct option opts[] = {
    {"key", required_argument, NULL, 'k'},
    {"iv", required_argument, NULL, 'i'},
    {"no-pad", no_argument, NULL, 'n'},
    {"in", required_argument, NULL, 'I'},
    {"out", required_argument, NULL, 'O'},
    {"hex", no_argument, NULL, 'x'},
    {"impl", required_argument, NULL, 'm'},
    {"trace", no_argument, NULL, 't'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *key_hex = NULL, *iv_hex = NULL, *in_path = "-", *out_path = "-";
  int pad = 1, hex = 0, trace = 0, json = 0, rc;
  kl_aes_impl impl = KL_AES_IMPL_TTABLE;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'k':
      key_hex = optarg;
      break;
    case 'i':
      iv_hex = optarg;
      break;
    case 'n':
      pad = 0;
      break;
    case 'I':
      in_path = optarg;
      break;
    case 'O':
      out_path = optarg;
      break;
    case 'x':
      hex = 1;
      break;
    case 'm':
      if ((rc = parse_impl(optarg, &impl)) != KL_EXIT_OK)
        return rc;
      break;
    case 't':
      trace = 1;
      break;
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(aes_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(CMD, argc, argv);
    }
  }
  if (optind >= argc)
    return cli_usage_error(CMD, "missing 'encrypt' or 'decrypt'");
  const char *op = argv[optind];
  int encrypt;
  if (strcmp(op, "encrypt") == 0)
    encrypt = 1;
  else if (strcmp(op, "decrypt") == 0)
    encrypt = 0;
  else
    return cli_usage_error(CMD, "unknown operation '%s' (encrypt or decrypt)", op);
  if (optind + 1 < argc)
    return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind + 1]);
  if (key_hex == NULL)
    return cli_usage_error(CMD, "--key is required");
  if (trace && !kl_trace_compiled())
    return cli_usage_error(CMD, "--trace: this build has traces disabled (meson -Dtrace=false)");

  uint8_t *k = NULL, *iv = NULL, *in = NULL, *out = NULL;
  size_t k_len = 0, iv_len = 0, in_len = 0, out_len = 0;
  kl_aes_key key;
  memset(&key, 0, sizeof key);
  if ((rc = cli_parse_hex(CMD, "--key", key_hex, &k, &k_len)) != KL_EXIT_OK)
    goto out;
  if (k_len != 16 && k_len != 24 && k_len != 32) {
    rc = cli_usage_error(CMD, "--key must be 16, 24 or 32 bytes (got %zu)", k_len);
    goto out;
  }
  if (iv_hex != NULL) {
    if ((rc = cli_parse_hex(CMD, "--iv", iv_hex, &iv, &iv_len)) != KL_EXIT_OK)
      goto out;
    if (iv_len != KL_AES_BLOCK_BYTES) {
      rc = cli_usage_error(CMD, "--iv must be 16 bytes (got %zu)", iv_len);
      goto out;
    }
  }
  kl_err e = kl_aes_init(&key, impl, k, k_len);
  if (e != KL_OK) {
    cli_error(CMD, "key set-up failed: %s", kl_strerror(e));
    rc = cli_exit_for(e);
    goto out;
  }
  if ((rc = cli_read_input(CMD, in_path, encrypt ? 0 : hex, &in, &in_len)) != KL_EXIT_OK)
    goto out;

  kl_tracer tr = {NULL, NULL};
  cbc_text tt = {stdout, 0};
  cli_json j;
  if (json) {
    cj_init(&j, stdout);
    cj_command_begin(&j, CMD);
    cj_string(&j, "operation", op);
    if (trace) {
      tr.fn = cbc_json_cb;
      tr.user = &j;
      cj_array_begin(&j, "trace");
    }
  } else if (trace) {
    tr.fn = cbc_text_cb;
    tr.user = &tt;
    printf("CBC-AES%zu.%s\nKey ", 8 * k_len, encrypt ? "Encrypt" : "Decrypt");
    cli_print_hex(stdout, k, k_len);
  }
  if (trace)
    cli_trace_banner(stderr);
  if (encrypt)
    rc = do_encrypt(&key, iv, pad, in, in_len, trace ? &tr : NULL, &out, &out_len);
  else
    rc = do_decrypt(&key, iv, pad, in, in_len, trace ? &tr : NULL, &out, &out_len);
  if (json) {
    if (trace)
      cj_array_end(&j);
    if (rc == KL_EXIT_OK) {
      char bits[8];
      snprintf(bits, sizeof bits, "%zu", 8 * k_len);
      cj_string(&j, "key_bits", bits);
      if (trace)
        cj_hex(&j, "key", k, k_len);
      const uint8_t *v = iv_used(encrypt, iv, in, in_len, out, out_len);
      if (v != NULL)
        cj_hex(&j, "iv", v, KL_AES_BLOCK_BYTES);
      cj_bool(&j, "padding", pad);
      cj_string(&j, "impl",
                impl == KL_AES_IMPL_REF       ? "ref"
                : impl == KL_AES_IMPL_TTABLE1 ? "table1"
                                              : "table");
      cj_hex(&j, encrypt ? "ciphertext" : "plaintext", out, out_len);
      cj_object_end(&j);
      if (cj_finish(&j) != 0)
        rc = KL_EXIT_FAIL;
    } else {
      /* A failed command prints no JSON (stderr says why); the tree, which
       * may hold traced plaintext, is freed and wiped unwritten. */
      cj_discard(&j);
    }
    if (rc == KL_EXIT_OK && strcmp(out_path, "-") != 0)
      rc = cli_write_output(CMD, out_path, encrypt ? hex : 0, out, out_len);
  } else if (rc == KL_EXIT_OK) {
    rc = cli_write_output(CMD, out_path, encrypt ? hex : 0, out, out_len);
  }
out:
  kl_aes_clear(&key);
  if (k != NULL)
    cli_free(k, k_len);
  if (iv != NULL)
    cli_free(iv, iv_len);
  if (in != NULL)
    cli_free(in, in_len);
  if (out != NULL)
    cli_free(out, out_len);
  return rc;
}
