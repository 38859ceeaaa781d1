/* cmd_rsa_crypt.c: `kexlab rsa encrypt|decrypt|sign|verify`: RSAES-OAEP
 * (RFC 8017 §7.1), RSAES-PKCS1-v1_5 (§7.2, --pkcs1: implicit rejection, or
 * with --strict the one clean failure), RSASSA-PSS (§8.1) and
 * RSASSA-PKCS1-v1_5 (§8.2) on key files in any format kexlab reads
 * (cli_keyio.h).
 * The library gives one KL_ERR_DECRYPT for every OAEP failure, as it must;
 * the checks on public data that the RFC folds into that error (C of the
 * wrong length, C >= n) are made here first, so that a user who, say, forgot
 * --hex is told so. They reveal nothing: C and n are public. They exit 1,
 * as every decryption failure does.
 * --json prints one JSON object on stdout (docs/json.md; the schemas
 * docs/schema/rsa-{encrypt,decrypt,sign,verify}.schema.json): the result in
 * hex, the lengths in octets, the hash names and, for verify, the verdict.
 * --out FILE is still written; without it the result is only in the JSON. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_keyio.h"
#include "commands.h"
#include "kexlab/hash.h"
#include "kexlab/numtheory.h"
#include "kexlab/oaep.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "kexlab/pss.h"

static const char *encrypt_help =
  "usage: kexlab rsa encrypt --pub FILE [--oaep-hash sha1|sha256] [--mgf1-hash sha1|sha256]\n"
  "                          [--label HEX] [--seed-compat] [--in FILE|-] [--out FILE|-] [--hex]\n"
  "                          [--json]\n"
  "       kexlab rsa encrypt --pkcs1 --pub FILE [--in FILE|-] [--out FILE|-] [--hex] [--json]\n"
  "\n"
  "RSAES-OAEP encryption (RFC 8017 §7.1.1) of the message in --in (default\n"
  "standard input) to the ciphertext, k octets, in --out (default standard\n"
  "output). With --pkcs1, RSAES-PKCS1-v1_5 (§7.2.1) instead: the older\n"
  "scheme, for comparison and interoperability (at most k - 11 octets).\n"
  "\n"
  "  --pub FILE         the public key (any format: PEM, DER, .NET; a private key\n"
  "                     file gives its public half)\n"
  "  --oaep-hash H      the label hash (default sha256)\n"
  "  --mgf1-hash H      MGF1's hash (default: the same as --oaep-hash)\n"
  "  --label HEX        the label L (default empty)\n"
  "  --seed-compat      the original scheme's SHA-1 and MGF1-SHA-1, empty label\n"
  "                     (.NET RSACryptoServiceProvider.Encrypt(data, true))\n"
  "  --pkcs1            RSAES-PKCS1-v1_5 instead of OAEP\n"
  "  --hex              write the ciphertext as hex\n"
  "  --json             one JSON object on stdout: the ciphertext in hex, the\n"
  "                     lengths and hashes (--out FILE is still written)\n"
  "  -h, --help         this help\n";

static const char *decrypt_help =
  "usage: kexlab rsa decrypt --key FILE [--oaep-hash sha1|sha256] [--mgf1-hash sha1|sha256]\n"
  "                          [--label HEX] [--seed-compat] [--in FILE|-] [--out FILE|-] [--hex]\n"
  "                          [--json]\n"
  "       kexlab rsa decrypt --pkcs1 [--strict] --key FILE [--in FILE|-] [--out FILE|-] [--hex]\n"
  "                          [--json]\n"
  "\n"
  "RSAES-OAEP decryption (RFC 8017 §7.1.2) of the ciphertext in --in (default\n"
  "standard input) to the message in --out (default standard output). Every\n"
  "padding failure gives the same 'decryption failed' (exit 1).\n"
  "With --pkcs1, RSAES-PKCS1-v1_5 (§7.2.2) with implicit rejection: a\n"
  "ciphertext with bad padding decrypts to a pseudo-random message derived\n"
  "from the key and the ciphertext (exit 0), so that no reaction to it can\n"
  "tell good padding from bad. --strict gives the one 'decryption failed'\n"
  "(exit 1) instead, as RFC 8017 writes it.\n"
  "\n"
  "  --key FILE         the private key (any format kexlab reads; it is validated)\n"
  "  --oaep-hash H, --mgf1-hash H, --label HEX, --seed-compat   as for encrypt\n"
  "  --pkcs1            RSAES-PKCS1-v1_5 with implicit rejection instead of OAEP\n"
  "  --strict           with --pkcs1: bad padding is an error (exit 1)\n"
  "  --hex              read the ciphertext as hex\n"
  "  --json             one JSON object on stdout: the message in hex, the\n"
  "                     lengths and hashes (--out FILE is still written)\n"
  "  -h, --help         this help\n";

static const char *sign_help =
  "usage: kexlab rsa sign --pss|--pkcs1 [--hash sha256|sha1] [--salt-len N] --key FILE\n"
  "                       [--in FILE|-] [--out FILE|-] [--hex] [--json]\n"
  "\n"
  "Sign the message in --in (default standard input): RSASSA-PSS (RFC 8017\n"
  "§8.1, MGF1 with the same hash) or RSASSA-PKCS1-v1_5 (§8.2). The signature,\n"
  "k octets, goes to --out (default standard output).\n"
  "\n"
  "  --pss | --pkcs1    the scheme (one is required)\n"
  "  --hash H           sha256 (default) or sha1\n"
  "  --salt-len N       PSS salt length in octets (default: the hash length)\n"
  "  --mgf1-hash H      PSS: MGF1's hash (default: the same as --hash)\n"
  "                     Hashes: sha1 sha224 sha256 sha384 sha512 sha512-224 sha512-256\n"
  "                     A key restricted to RSASSA-PSS (id-RSASSA-PSS) sets the\n"
  "                     defaults from its parameters and refuses other values.\n"
  "  --key FILE         the private key\n"
  "  --hex              write the signature as hex\n"
  "  --json             one JSON object on stdout: the signature in hex, the\n"
  "                     lengths, hash and salt length (--out FILE is still written)\n"
  "  -h, --help         this help\n";

static const char *verify_help =
  "usage: kexlab rsa verify --pss|--pkcs1 [--hash sha256|sha1] [--salt-len N] --pub FILE\n"
  "                         [--in FILE|-] --sig FILE [--hex] [--json]\n"
  "\n"
  "Verify the signature in --sig over the message in --in (default standard\n"
  "input). Exit status 0: valid; 1: invalid; 2: usage or input error.\n"
  "\n"
  "  --pss | --pkcs1    the scheme (one is required)\n"
  "  --hash H           sha256 (default) or sha1\n"
  "  --salt-len N       PSS salt length in octets (default: the hash length)\n"
  "  --mgf1-hash H      PSS: MGF1's hash (default: the same as --hash)\n"
  "                     A key restricted to RSASSA-PSS sets hash and MGF1 hash\n"
  "                     and accepts any salt of at least its saltLength.\n"
  "  --pub FILE         the public key (or a private key file)\n"
  "  --sig FILE         the signature\n"
  "  --hex              the signature file is hex\n"
  "  --json             one JSON object on stdout with the verdict (\"valid\"),\n"
  "                     the lengths, hash and salt length; the exit status is the same\n"
  "  -h, --help         this help\n";

/* cli_load_key, noting in *loaded that kf now needs kl_rsa_keyfile_clear
 * (cli_load_key initialises kf even when it fails). */
static int load_key(const char *cmd, const char *path, int need, kl_rsa_keyfile *kf, int *loaded)
{
  *loaded = 1;
  return cli_load_key(cmd, path, need, kf);
}

/* ---- OAEP: encrypt and decrypt ---- */

typedef struct oaep_opts {
  const char *keyfile;
  const char *in, *out;
  const char *oaep_hash, *mgf1_hash;
  uint8_t *label;
  size_t label_len;
  int seed_compat, hex, json;
  int pkcs1, strict; /* RSAES-PKCS1-v1_5; decrypt: no implicit rejection */
  int done;          /* --help was printed: nothing more to do */
} oaep_opts;

/* Parse the options both OAEP commands share. Returns KL_EXIT_OK, or an exit
 * status (also for --help: o->done is set). */
static int parse_oaep(const char *cmd, const char *help, const char *key_opt, int argc, char **argv,
                      oaep_opts *o, kl_oaep_params *params)
{
  const struct option opts[] = {
    {key_opt, required_argument, NULL, 'k'},
    {"oaep-hash", required_argument, NULL, 'H'},
    {"mgf1-hash", required_argument, NULL, 'M'},
    {"label", required_argument, NULL, 'L'},
    {"seed-compat", no_argument, NULL, 'c'},
    {"pkcs1", no_argument, NULL, '1'},
    {"strict", no_argument, NULL, 'S'},
    {"in", required_argument, NULL, 'i'},
    {"out", required_argument, NULL, 'o'},
    {"hex", no_argument, NULL, 'x'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->in = "-";
  o->out = "-";
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      o->json = 1;
      break;
    case 'k':
      o->keyfile = optarg;
      break;
    case 'H':
      o->oaep_hash = optarg;
      break;
    case 'M':
      o->mgf1_hash = optarg;
      break;
    case 'L':
      free(o->label);
      o->label = NULL;
      if (cli_parse_hex(cmd, "--label", optarg, &o->label, &o->label_len) != KL_EXIT_OK)
        return KL_EXIT_USAGE;
      break;
    case 'c':
      o->seed_compat = 1;
      break;
    case '1':
      o->pkcs1 = 1;
      break;
    case 'S':
      o->strict = 1;
      break;
    case 'i':
      o->in = optarg;
      break;
    case 'o':
      o->out = optarg;
      break;
    case 'x':
      o->hex = 1;
      break;
    case 'h':
      fputs(help, stdout);
      o->done = 1;
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (o->keyfile == NULL)
    return cli_usage_error(cmd, "--%s FILE is required", key_opt);
  if (o->pkcs1 && (o->seed_compat || o->oaep_hash || o->mgf1_hash || o->label != NULL))
    return cli_usage_error(cmd, "--pkcs1 takes no OAEP option (hashes, label, --seed-compat)");
  if (o->strict && (!o->pkcs1 || strcmp(key_opt, "key") != 0))
    return cli_usage_error(cmd, "--strict belongs to decrypt --pkcs1");
  if (o->seed_compat && (o->oaep_hash || o->mgf1_hash || o->label_len > 0))
    return cli_usage_error(cmd, "--seed-compat fixes SHA-1, MGF1-SHA-1 and an empty label");
  params->hash = KL_HASH_SHA256;
  if (o->seed_compat)
    params->hash = KL_HASH_SHA1;
  if (o->oaep_hash && kl_hash_from_name(o->oaep_hash, &params->hash) != KL_OK)
    return cli_usage_error(
      cmd,
      "--oaep-hash: unknown hash '%s' (sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)",
      o->oaep_hash);
  params->mgf_hash = params->hash;
  if (o->mgf1_hash && kl_hash_from_name(o->mgf1_hash, &params->mgf_hash) != KL_OK)
    return cli_usage_error(
      cmd,
      "--mgf1-hash: unknown hash '%s' (sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)",
      o->mgf1_hash);
  params->label = o->label;
  params->label_len = o->label_len;
  return KL_EXIT_OK;
}

/* What encrypt and decrypt do first: the options, then the key named by
 * --pub (encrypt) or --key (decrypt, a private key). *loaded as for load_key. */
static int setup_oaep(const char *cmd, const char *help, const char *key_opt, int argc, char **argv,
                      oaep_opts *o, kl_oaep_params *params, kl_rsa_keyfile *kf, int *loaded)
{
  int rc = parse_oaep(cmd, help, key_opt, argc, argv, o, params);
  if (rc != KL_EXIT_OK || o->done)
    return rc;
  const int need = strcmp(key_opt, "key") == 0 ? CLI_KEY_PRIVATE : CLI_KEY_PUBLIC;
  rc = load_key(cmd, o->keyfile, need, kf, loaded);
  if (rc == KL_EXIT_OK && kf->pss.restricted)
    return cli_usage_error(cmd, "this key is restricted to RSASSA-PSS signatures "
                                "(id-RSASSA-PSS, RFC 4055 §3.1): not for encryption");
  return rc;
}

/* ---- --json ---- */

/* The members encrypt and decrypt share: the OAEP parameters and the key size. */
static void json_oaep_begin(cli_json *j, const char *cmd, const kl_oaep_params *params,
                            const kl_rsa_pub *pub)
{
  cj_init(j, stdout);
  cj_command_begin(j, cmd);
  cj_string(j, "oaep_hash", kl_hash_name(params->hash));
  cj_string(j, "mgf1_hash", kl_hash_name(params->mgf_hash));
  cj_hex(j, "label", params->label, params->label_len);
  cj_udecimal(j, "key_bits", mpz_sizeinbase(pub->n, 2));
}

/* The members of --pkcs1 output: the scheme instead of the OAEP parameters. */
static void json_pkcs1_begin(cli_json *j, const char *cmd, const oaep_opts *o,
                             const kl_rsa_pub *pub)
{
  cj_init(j, stdout);
  cj_command_begin(j, cmd);
  cj_string(j, "scheme", "RSAES-PKCS1-v1_5");
  if (strcmp(cmd, "rsa decrypt") == 0)
    cj_bool(j, "implicit_rejection", !o->strict);
  cj_udecimal(j, "key_bits", mpz_sizeinbase(pub->n, 2));
}

/* With --json the result goes into the JSON; a file named by --out gets it too. */
static int write_result(const char *cmd, const char *out, int hex, int json, const uint8_t *data,
                        size_t len)
{
  if (json && strcmp(out, "-") == 0)
    return KL_EXIT_OK;
  return cli_write_output(cmd, out, hex, data, len);
}

/* cj_finish, with an exit status. */
static int json_done(cli_json *j, int rc)
{
  cj_object_end(j);
  if (cj_finish(j) != 0 && rc == KL_EXIT_OK)
    rc = KL_EXIT_FAIL;
  return rc;
}

/* rsa encrypt --pkcs1: §7.2.1. */
static int encrypt_pkcs1(const char *cmd, const oaep_opts *o, const kl_rsa_pub *pub,
                         const uint8_t *M, size_t mLen)
{
  uint8_t C[KL_RSA_MAX_BITS / 8];
  const size_t k = kl_rsa_modulus_len(pub->n);
  if (k < KL_PKCS1V15_OVERHEAD || mLen > k - KL_PKCS1V15_OVERHEAD) {
    cli_error(cmd,
              "message too long: %zu octets; this %zu-bit key with PKCS#1 v1.5 holds at most %zu",
              mLen, mpz_sizeinbase(pub->n, 2), k < KL_PKCS1V15_OVERHEAD ? 0 : k - 11);
    return KL_EXIT_USAGE;
  }
  kl_rng rng;
  kl_rng_os(&rng);
  size_t cLen = sizeof C;
  kl_err err = kl_rsa_pkcs1v15_encrypt(pub, &rng, NULL, C, &cLen, M, mLen);
  if (err != KL_OK)
    return cli_lib_error(cmd, err);
  int rc = write_result(cmd, o->out, o->hex, o->json, C, cLen);
  if (rc == KL_EXIT_OK && o->json) {
    cli_json j;
    json_pkcs1_begin(&j, cmd, o, pub);
    cj_udecimal(&j, "message_len", mLen);
    cj_udecimal(&j, "ciphertext_len", cLen);
    cj_hex(&j, "ciphertext", C, cLen);
    rc = json_done(&j, rc);
  }
  return rc;
}

int rsa_encrypt(int argc, char **argv)
{
  const char *cmd = "rsa encrypt";
  oaep_opts o;
  kl_oaep_params params;
  kl_rsa_keyfile kf;
  uint8_t *M = NULL;
  size_t mLen = 0;
  uint8_t C[KL_RSA_MAX_BITS / 8];
  int loaded = 0;
  int rc = setup_oaep(cmd, encrypt_help, "pub", argc, argv, &o, &params, &kf, &loaded);
  if (rc != KL_EXIT_OK || o.done)
    goto out;
  rc = cli_read_input(cmd, o.in, 0, &M, &mLen);
  if (rc != KL_EXIT_OK)
    goto out;
  if (o.pkcs1) {
    rc = encrypt_pkcs1(cmd, &o, &kf.pub, M, mLen);
    goto out;
  }
  const size_t k = kl_rsa_modulus_len(kf.pub.n);
  const size_t hLen = kl_hash_digest_len(params.hash);
  if (k < 2 * hLen + 2 || mLen > k - 2 * hLen - 2) {
    cli_error(cmd, "message too long: %zu octets; this %zu-bit key with %s holds at most %zu", mLen,
              mpz_sizeinbase(kf.pub.n, 2), kl_hash_name(params.hash),
              k < 2 * hLen + 2 ? 0 : k - 2 * hLen - 2);
    rc = KL_EXIT_USAGE;
    goto out;
  }
  kl_rng rng;
  kl_rng_os(&rng);
  size_t cLen = sizeof C;
  kl_err err = kl_rsa_oaep_encrypt(&kf.pub, &params, &rng, NULL, C, &cLen, M, mLen);
  if (err != KL_OK) {
    rc = cli_lib_error(cmd, err);
    goto out;
  }
  rc = write_result(cmd, o.out, o.hex, o.json, C, cLen);
  if (rc == KL_EXIT_OK && o.json) {
    cli_json j;
    json_oaep_begin(&j, cmd, &params, &kf.pub);
    cj_udecimal(&j, "message_len", mLen);
    cj_udecimal(&j, "ciphertext_len", cLen);
    cj_hex(&j, "ciphertext", C, cLen);
    rc = json_done(&j, rc);
  }

out:
  cli_free(M, mLen);
  free(o.label);
  if (loaded)
    kl_rsa_keyfile_clear(&kf);
  return rc;
}

int rsa_decrypt(int argc, char **argv)
{
  const char *cmd = "rsa decrypt";
  oaep_opts o;
  kl_oaep_params params;
  kl_rsa_keyfile kf;
  uint8_t *C = NULL;
  size_t cLen = 0;
  uint8_t M[KL_RSA_MAX_BITS / 8];
  uint8_t n_octets[KL_RSA_MAX_BITS / 8];
  size_t mLen = sizeof M;
  int loaded = 0;
  int rc = setup_oaep(cmd, decrypt_help, "key", argc, argv, &o, &params, &kf, &loaded);
  if (rc != KL_EXIT_OK || o.done)
    goto out;
  rc = cli_read_input(cmd, o.in, o.hex, &C, &cLen);
  if (rc != KL_EXIT_OK)
    goto out;
  /* Public checks first (RFC 8017 §7.1.2 steps 1.b and 2.b), for a clear
   * message. Both are decryption errors (exit 1) like every other failure:
   * the RFC outputs "decryption error" for them too. */
  const size_t k = kl_rsa_modulus_len(kf.pub.n);
  if (cLen != k) {
    cli_error(cmd,
              "decryption failed: the ciphertext is %zu octets; this %zu-bit key's are exactly "
              "%zu%s",
              cLen, mpz_sizeinbase(kf.pub.n, 2), k, o.hex ? "" : " (hex input needs --hex)");
    rc = KL_EXIT_FAIL;
    goto out;
  }
  if (kl_i2osp(n_octets, k, kf.pub.n) != KL_OK || memcmp(C, n_octets, k) >= 0) {
    cli_error(cmd, "decryption failed: ciphertext representative out of range (c >= n)");
    rc = KL_EXIT_FAIL;
    goto out;
  }
  kl_rng rng;
  kl_rng_os(&rng);
  kl_err err;
  if (!o.pkcs1)
    err = kl_rsa_oaep_decrypt(&kf.priv, &params, &rng, NULL, M, &mLen, C, cLen);
  else if (o.strict)
    err = kl_rsa_pkcs1v15_decrypt_strict(&kf.priv, &rng, NULL, M, &mLen, C, cLen);
  else
    err = kl_rsa_pkcs1v15_decrypt(&kf.priv, &rng, NULL, M, &mLen, C, cLen);
  if (err != KL_OK) {
    rc = cli_lib_error(cmd, err);
    goto out;
  }
  rc = write_result(cmd, o.out, 0, o.json, M, mLen);
  if (rc == KL_EXIT_OK && o.json) {
    cli_json j;
    if (o.pkcs1)
      json_pkcs1_begin(&j, cmd, &o, &kf.pub);
    else
      json_oaep_begin(&j, cmd, &params, &kf.pub);
    cj_udecimal(&j, "ciphertext_len", cLen);
    cj_udecimal(&j, "message_len", mLen);
    cj_hex(&j, "message", M, mLen);
    rc = json_done(&j, rc);
  }

out:
  kl_wipe(M, sizeof M);
  cli_free(C, cLen);
  free(o.label);
  if (loaded)
    kl_rsa_keyfile_clear(&kf);
  return rc;
}

/* ---- signatures: sign and verify ---- */

typedef struct sig_opts {
  int pss, pkcs1, hex, json;
  const char *hash_name, *mgf1_name;
  const char *salt_text;
  const char *keyfile, *in, *out, *sig;
  int done; /* --help was printed: nothing more to do */
} sig_opts;

static int parse_sig(const char *cmd, const char *help, int verify, int argc, char **argv,
                     sig_opts *o)
{
  static const struct option opts[] = {
    {"pss", no_argument, NULL, 'p'},
    {"pkcs1", no_argument, NULL, '1'},
    {"hash", required_argument, NULL, 'H'},
    {"salt-len", required_argument, NULL, 's'},
    {"mgf1-hash", required_argument, NULL, 'M'},
    {"key", required_argument, NULL, 'k'},
    {"pub", required_argument, NULL, 'P'},
    {"in", required_argument, NULL, 'i'},
    {"out", required_argument, NULL, 'o'},
    {"sig", required_argument, NULL, 'S'},
    {"hex", no_argument, NULL, 'x'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->in = "-";
  o->out = "-";
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      o->json = 1;
      break;
    case 'p':
      o->pss = 1;
      break;
    case '1':
      o->pkcs1 = 1;
      break;
    case 'H':
      o->hash_name = optarg;
      break;
    case 's':
      o->salt_text = optarg;
      break;
    case 'M':
      o->mgf1_name = optarg;
      break;
    case 'k':
    case 'P':
      if ((c == 'k') == verify)
        return cli_usage_error(cmd, "use --%s FILE", verify ? "pub" : "key");
      o->keyfile = optarg;
      break;
    case 'i':
      o->in = optarg;
      break;
    case 'o':
      if (verify)
        return cli_usage_error(cmd, "verify writes no output file");
      o->out = optarg;
      break;
    case 'S':
      if (!verify)
        return cli_usage_error(cmd, "--sig belongs to verify; sign writes --out");
      o->sig = optarg;
      break;
    case 'x':
      o->hex = 1;
      break;
    case 'h':
      fputs(help, stdout);
      o->done = 1;
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (o->pss + o->pkcs1 != 1)
    return cli_usage_error(cmd, "choose one scheme: --pss or --pkcs1");
  if (o->pkcs1 && o->salt_text != NULL)
    return cli_usage_error(cmd, "--salt-len applies to --pss only");
  if (o->pkcs1 && o->mgf1_name != NULL)
    return cli_usage_error(cmd, "--mgf1-hash applies to --pss only");
  if (o->keyfile == NULL)
    return cli_usage_error(cmd, "--%s FILE is required", verify ? "pub" : "key");
  if (verify && o->sig == NULL)
    return cli_usage_error(cmd, "--sig FILE is required");
  return KL_EXIT_OK;
}

/* A hash named on the command line. */
static int sig_hash(const char *cmd, const char *opt, const char *name, kl_hash_alg *alg)
{
  if (kl_hash_from_name(name, alg) != KL_OK)
    return cli_usage_error(
      cmd, "%s: unknown hash '%s' (sha1, sha224, sha256, sha384, sha512, sha512-224, sha512-256)",
      opt, name);
  return KL_EXIT_OK;
}

/* The hash and the PSS parameters from the options and, for a key restricted
 * to RSASSA-PSS (RFC 4055 §3.1), from the key: its parameters are the
 * defaults and the limits (the same hash and MGF1 hash, a salt at least
 * saltLength octets). Verification with such a key accepts any salt length
 * from saltLength up, as the signature's DB shows it. */
static int sig_params(const char *cmd, const sig_opts *o, const kl_rsa_keyfile *kf, int verify,
                      kl_pss_params *pss)
{
  const kl_pss_key_params *kp = &kf->pss;
  const int bound = kp->restricted && kp->has_params;
  memset(pss, 0, sizeof *pss);
  if (kp->restricted && o->pkcs1)
    return cli_usage_error(cmd, "this key is restricted to RSASSA-PSS (id-RSASSA-PSS): use --pss");
  pss->hash = bound ? kp->hash : KL_HASH_SHA256;
  if (o->hash_name) {
    kl_hash_alg h;
    if (sig_hash(cmd, "--hash", o->hash_name, &h) != KL_EXIT_OK)
      return KL_EXIT_USAGE;
    if (bound && h != kp->hash)
      return cli_usage_error(cmd, "--hash %s: this key's RSASSA-PSS parameters allow only %s",
                             kl_hash_name(h), kl_hash_name(kp->hash));
    pss->hash = h;
  }
  pss->mgf_hash = bound ? kp->mgf_hash : 0; /* 0: the same as the hash */
  if (o->mgf1_name) {
    kl_hash_alg h;
    if (sig_hash(cmd, "--mgf1-hash", o->mgf1_name, &h) != KL_EXIT_OK)
      return KL_EXIT_USAGE;
    if (bound && h != kp->mgf_hash)
      return cli_usage_error(cmd,
                             "--mgf1-hash %s: this key's RSASSA-PSS parameters allow only MGF1 "
                             "with %s",
                             kl_hash_name(h), kl_hash_name(kp->mgf_hash));
    pss->mgf_hash = h;
  }
  pss->sLen = KL_PSS_SALT_HASH_LEN;
  if (bound) {
    pss->sLen = verify ? KL_PSS_SALT_ANY : kp->sLen;
    pss->sLen_min = kp->sLen;
  }
  if (o->salt_text != NULL) {
    /* §9.1.1 step 3: emLen >= hLen + sLen + 2, emLen = ceil((modBits - 1) / 8). */
    const size_t emLen = (mpz_sizeinbase(kf->pub.n, 2) - 1 + 7) / 8;
    const size_t hLen = kl_hash_digest_len(pss->hash);
    const size_t max = emLen >= hLen + 2 ? emLen - hLen - 2 : 0;
    if (cli_parse_size(cmd, "--salt-len", o->salt_text, 0, max, &pss->sLen) != KL_EXIT_OK)
      return KL_EXIT_USAGE;
    if (bound && pss->sLen < kp->sLen)
      return cli_usage_error(cmd,
                             "--salt-len %zu: this key's RSASSA-PSS parameters ask for a "
                             "salt of at least %zu octets",
                             pss->sLen, kp->sLen);
  }
  return KL_EXIT_OK;
}

/* What sign and verify do first: the options, the key (private for sign,
 * public for verify), then the hash and PSS parameters, which depend on the
 * key's size. *loaded as for load_key. */
static int setup_sig(const char *cmd, const char *help, int verify, int argc, char **argv,
                     sig_opts *o, kl_rsa_keyfile *kf, int *loaded, kl_pss_params *params)
{
  int rc = parse_sig(cmd, help, verify, argc, argv, o);
  if (rc != KL_EXIT_OK || o->done)
    return rc;
  rc = load_key(cmd, o->keyfile, verify ? CLI_KEY_PUBLIC : CLI_KEY_PRIVATE, kf, loaded);
  if (rc != KL_EXIT_OK)
    return rc;
  return sig_params(cmd, o, kf, verify, params);
}

/* The members sign and verify share: scheme, hash, salt length (PSS), key
 * size and message length. */
static void json_sig_begin(cli_json *j, const char *cmd, const sig_opts *o,
                           const kl_pss_params *params, const kl_rsa_pub *pub, size_t mLen)
{
  cj_init(j, stdout);
  cj_command_begin(j, cmd);
  cj_string(j, "signature_scheme", o->pss ? "RSASSA-PSS" : "RSASSA-PKCS1-v1_5");
  cj_string(j, "hash", kl_hash_name(params->hash));
  if (o->pss) {
    cj_string(j, "mgf1_hash",
              kl_hash_name(params->mgf_hash != 0 ? params->mgf_hash : params->hash));
    if (params->sLen == KL_PSS_SALT_ANY) /* a PSS-restricted key: any salt this long or longer */
      cj_udecimal(j, "salt_len_min", params->sLen_min);
    else
      cj_udecimal(j, "salt_len",
                  params->sLen == KL_PSS_SALT_HASH_LEN ? kl_hash_digest_len(params->hash)
                                                       : params->sLen);
  }
  cj_udecimal(j, "key_bits", mpz_sizeinbase(pub->n, 2));
  cj_udecimal(j, "message_len", mLen);
}

int rsa_sign(int argc, char **argv)
{
  const char *cmd = "rsa sign";
  sig_opts o;
  kl_rsa_keyfile kf;
  uint8_t *M = NULL;
  size_t mLen = 0;
  uint8_t S[KL_RSA_MAX_BITS / 8];
  size_t sLen_bytes = sizeof S;
  kl_pss_params params;
  int loaded = 0;
  int rc = setup_sig(cmd, sign_help, 0, argc, argv, &o, &kf, &loaded, &params);
  if (rc != KL_EXIT_OK || o.done)
    goto out;
  rc = cli_read_input(cmd, o.in, 0, &M, &mLen);
  if (rc != KL_EXIT_OK)
    goto out;
  kl_rng rng;
  kl_rng_os(&rng);
  kl_err err = o.pss ? kl_rsa_pss_sign(&kf.priv, &params, &rng, S, &sLen_bytes, M, mLen)
                     : kl_rsa_pkcs1v15_sign(&kf.priv, params.hash, &rng, S, &sLen_bytes, M, mLen);
  if (err == KL_ERR_LEN) {
    cli_error(cmd, "this %zu-bit key is too short for %s with %s%s", mpz_sizeinbase(kf.pub.n, 2),
              o.pss ? "PSS" : "PKCS#1 v1.5", kl_hash_name(params.hash),
              o.pss ? " and this salt length" : "");
    rc = KL_EXIT_USAGE;
    goto out;
  }
  if (err != KL_OK) {
    rc = cli_lib_error(cmd, err);
    goto out;
  }
  rc = write_result(cmd, o.out, o.hex, o.json, S, sLen_bytes);
  if (rc == KL_EXIT_OK && o.json) {
    cli_json j;
    json_sig_begin(&j, cmd, &o, &params, &kf.pub, mLen);
    cj_udecimal(&j, "signature_len", sLen_bytes);
    cj_hex(&j, "signature", S, sLen_bytes);
    rc = json_done(&j, rc);
  }

out:
  cli_free(M, mLen);
  if (loaded)
    kl_rsa_keyfile_clear(&kf);
  return rc;
}

int rsa_verify(int argc, char **argv)
{
  const char *cmd = "rsa verify";
  sig_opts o;
  kl_rsa_keyfile kf;
  uint8_t *M = NULL, *S = NULL;
  size_t mLen = 0, sLen_bytes = 0;
  kl_pss_params params;
  int loaded = 0;
  int rc = setup_sig(cmd, verify_help, 1, argc, argv, &o, &kf, &loaded, &params);
  if (rc != KL_EXIT_OK || o.done)
    goto out;
  rc = cli_read_input(cmd, o.sig, o.hex, &S, &sLen_bytes);
  if (rc != KL_EXIT_OK)
    goto out;
  rc = cli_read_input(cmd, o.in, 0, &M, &mLen);
  if (rc != KL_EXIT_OK)
    goto out;
  const size_t k = kl_rsa_modulus_len(kf.pub.n);
  kl_err err = KL_ERR_VERIFY;
  if (sLen_bytes != k) {
    /* §8.1.2 / §8.2.2 step 1: "invalid signature"; say why. */
    cli_error(cmd, "signature invalid: it is %zu octets; this %zu-bit key's are exactly %zu%s",
              sLen_bytes, mpz_sizeinbase(kf.pub.n, 2), k,
              o.hex ? "" : " (hex signature files need --hex)");
    rc = KL_EXIT_FAIL;
  } else {
    err = o.pss ? kl_rsa_pss_verify(&kf.pub, &params, M, mLen, S, sLen_bytes)
                : kl_rsa_pkcs1v15_verify(&kf.pub, params.hash, M, mLen, S, sLen_bytes);
    if (err == KL_OK) {
      if (!o.json)
        printf("signature valid (%s, %s)\n", o.pss ? "RSASSA-PSS" : "RSASSA-PKCS1-v1_5",
               kl_hash_name(params.hash));
      rc = KL_EXIT_OK;
    } else if (err == KL_ERR_VERIFY) {
      cli_error(cmd, "signature invalid");
      rc = KL_EXIT_FAIL;
    } else {
      rc = cli_lib_error(cmd, err);
      goto out;
    }
  }
  if (o.json) { /* the verdict, valid or not */
    cli_json j;
    json_sig_begin(&j, cmd, &o, &params, &kf.pub, mLen);
    cj_udecimal(&j, "signature_len", sLen_bytes);
    cj_bool(&j, "valid", err == KL_OK);
    rc = json_done(&j, rc);
  }

out:
  cli_free(M, mLen);
  cli_free(S, sLen_bytes);
  if (loaded)
    kl_rsa_keyfile_clear(&kf);
  return rc;
}
