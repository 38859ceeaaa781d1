/* cmd_aes.c: `kexlab aes encrypt|decrypt --key HEX [--iv HEX] [--no-pad]
 *             [--in FILE|-] [--out FILE|-] [--hex] [--impl ref|table|table1]`
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
 * message whatever the cause. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static const char *aes_help =
  "usage: kexlab aes encrypt|decrypt --key HEX [--iv HEX] [--no-pad]\n"
  "                  [--in FILE|-] [--out FILE|-] [--hex] [--impl ref|table|table1]\n"
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
                      size_t len, uint8_t **out, size_t *out_len)
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
    e = kl_cbc_encrypt(key, iv, dst, dst, body);
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
                      size_t len, uint8_t **out, size_t *out_len)
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
  kl_err e = kl_cbc_decrypt(key, iv, buf, in, len);
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
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *key_hex = NULL, *iv_hex = NULL, *in_path = "-", *out_path = "-";
  int pad = 1, hex = 0, rc;
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
  if (encrypt)
    rc = do_encrypt(&key, iv, pad, in, in_len, &out, &out_len);
  else
    rc = do_decrypt(&key, iv, pad, in, in_len, &out, &out_len);
  if (rc == KL_EXIT_OK)
    rc = cli_write_output(CMD, out_path, encrypt ? hex : 0, out, out_len);
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
