/* demo_pss.c: `kexlab demo pss [--json]`: one RSASSA-PSS signature and its
 * verification (RFC 8017 §8.1.1, §8.1.2), every step printed from the
 * library's own trace of kl_rsa_pss_sign and kl_rsa_pss_verify under the
 * RFC's names: EMSA-PSS-ENCODE (§9.1.1) mHash, salt, M', H, DB, dbMask,
 * maskedDB, EM, then s; then s, m = s^e mod n, EM and EMSA-PSS-VERIFY
 * (§9.1.2) mHash, maskedDB, H, dbMask, DB, salt, M', H'.
 * The key, the message and the salt are those of RSA Laboratories'
 * pss-int.txt (PKCS#1 v2.1 test suite; vectors/pkcs1/pkcs-1v2-1d2-vec/), so
 * that every value printed can be held against that file (tests/test_pss.c
 * and tests/cli/test_demo_padding.sh do). The salt reaches the library
 * through a replay generator, as the real signing path draws it. */
#include <getopt.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "kexlab/hash.h"
#include "kexlab/pss.h"
#include "kexlab/rsa.h"

static const char *pss_help =
  "usage: kexlab demo pss [--json]\n"
  "\n"
  "Trace one RSASSA-PSS signature and its verification step by step (RFC 8017\n"
  "§8.1 with EMSA-PSS, §9.1), with SHA-1 and MGF1-SHA-1, on the 1024-bit key,\n"
  "the message and the salt of RSA Laboratories' pss-int.txt: every value\n"
  "printed equals that file's (integers s and m are shown in hex there).\n"
  "\n"
  "  --json      one JSON object (for the lab harness)\n"
  "  -h, --help  this help\n";

/* pss-int.txt, "Private key" (RFC 8017 §3.2, second representation). */
static const char *const key_n = "a2ba40ee07e3b2bd2f02ce227f36a195024486e49c19cb41bbbdfbba98b22b0e"
                                 "577c2eeaffa20d883a76e65e394c69d4b3c05a1e8fadda27edb2a42bc000fe88"
                                 "8b9b32c22d15add0cd76b3e7936e19955b220dd17d4ea904b1ec102b2e4de775"
                                 "1222aa99151024c7cb41cc5ea21d00eeb41f7c800834d2c6e06bce3bce7ea9a5";
static const char *const key_e = "010001";
static const char *const key_d = "050e2c3e38d886110288dfc68a9533e7e12e27d2aa56d2cdb3fb6efa990bcff2"
                                 "9e1d2987fb711962860e7391b1ce01ebadb9e812d2fbdfaf25df4ae26110a6d7"
                                 "a26f0b810f54875e17dd5c9fb6d641761245b81e79f8c88f0e55a6dcd5f133ab"
                                 "d35f8f4ec80adf1bf86277a582894cb6ebcd2162f1c7534f1f4947b129151b71";
static const char *const key_p = "d17f655bf27c8b16d35462c905cc04a26f37e2a67fa9c0ce0dced472394a0df7"
                                 "43fe7f929e378efdb368eddff453cf007af6d948e0ade757371f8a711e278f6b";
static const char *const key_q = "c6d92b6fee7414d1358ce1546fb62987530b90bd15e0f14963a5e2635adb6934"
                                 "7ec0c01b2ab1763fd8ac1a592fb22757463a982425bb97a3a437c5bf86d03f2f";
static const char *const key_dP =
  "9d0dbf83e5ce9e4b1754dcd5cd05bcb7b55f1508330ea49f14d4e889550f8256"
  "cb5f806dff34b17ada44208853577d08e4262890acf752461cea05547601bc4f";
static const char *const key_dQ =
  "1291a524c6b7c059e90e46dc83b2171eb3fa98818fd179b6c8bf6cecaa476303"
  "abf283fe05769cfc495788fe5b1ddfde9e884a3cd5e936b7e955ebf97eb563b1";
static const char *const key_qInv =
  "a63f1da38b950c9ad1c67ce0d677ec2914cd7d40062df42a67eb198a176f9742"
  "aac7c5fea14f2297662b84812c4defc49a8025ab4382286be4c03788dd01d69f";
/* pss-int.txt, "Message to be signed" and "salt". */
static const char *const std_message =
  "859eef2fd78aca00308bdc471193bf55bf9d78db8f8a672b484634f3c9c26e64"
  "78ae10260fe0dd8c082e53a5293af2173cd50c6d5d354febf78b26021c25c027"
  "12e78cd4694c9f469777e451e7f8e9e04cd3739c6bbfedae487fb55644e9ca74"
  "ff77a53cb729802f6ed4a5ffa8ba159890fc";
static const char *const std_salt = "e3b5d5d002c1bce50c2b65ef88a188d83bce7e61";

/* What each traced value is, by label: the step of RFC 8017 that makes it. */
typedef struct step_note {
  const char *label;
  const char *sign;   /* in §8.1.1 / §9.1.1 */
  const char *verify; /* in §8.1.2 / §9.1.2 */
} step_note;

static const step_note notes[] = {
  {"mHash", "9.1.1 2   mHash = Hash(M)", "9.1.2 2   mHash = Hash(M)"},
  {"salt", "9.1.1 4   salt: sLen random octets (here pss-int.txt's)",
   "9.1.2 11  salt: the last sLen octets of DB"},
  {"M'", "9.1.1 5   M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt",
   "9.1.2 12  M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt"},
  {"H", "9.1.1 6   H = Hash(M')", "9.1.2 5   H: the hLen octets after maskedDB"},
  {"DB", "9.1.1 8   DB = PS || 0x01 || salt",
   "9.1.2 8   DB = maskedDB xor dbMask (9: top bits cleared; 10: PS, 0x01 checked)"},
  {"dbMask", "9.1.1 9   dbMask = MGF(H, emLen - hLen - 1)",
   "9.1.2 7   dbMask = MGF(H, emLen - hLen - 1)"},
  {"maskedDB", "9.1.1 10  maskedDB = DB xor dbMask (11: top 8emLen - emBits bits cleared)",
   "9.1.2 5   maskedDB: the leftmost emLen - hLen - 1 octets of EM (6: top bits zero)"},
  {"EM", "9.1.1 12  EM = maskedDB || H || 0xbc", "8.1.2 2.c EM = I2OSP(m, emLen)"},
  {"s", "8.1.1 2   s = RSASP1(K, OS2IP(EM)) (blinded CRT); S = I2OSP(s, k)",
   "8.1.2 2.a s = OS2IP(S)"},
  {"m", NULL, "8.1.2 2.b m = RSAVP1((n, e), s) = s^e mod n"},
  {"H'", NULL, "9.1.2 13  H' = Hash(M') (14: consistent iff H' = H)"},
};

typedef struct demo_state {
  cli_json *j; /* NULL: text */
  int verifying;
} demo_state;

static void print_wrapped(const uint8_t *b, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    if (i > 0 && i % 32 == 0)
      printf("\n%13s", "");
    printf("%02x", b[i]);
  }
  printf("\n");
}

static void demo_trace(void *user, const kl_trace_value *v)
{
  demo_state *st = user;
  const char *step = NULL;
  for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
    if (strcmp(notes[i].label, v->label) == 0)
      step = st->verifying ? notes[i].verify : notes[i].sign;
  }
  if (v->kind != KL_TRACE_BYTES && v->kind != KL_TRACE_INT)
    return;
  if (st->j != NULL) {
    /* A trace record of the JSON contract (docs/json.md). */
    cj_object_begin(st->j, NULL);
    cj_string(st->j, "name", v->label);
    cj_string(st->j, "label", v->label);
    if (v->kind == KL_TRACE_INT) {
      char *s = cli_trace_int_decimal(v);
      cj_string(st->j, "kind", "int");
      cj_string(st->j, "int", s != NULL ? s : "");
      free(s);
    } else {
      cj_string(st->j, "kind", "bytes");
      cj_hex(st->j, "hex", v->bytes, v->len);
    }
    cj_object_end(st->j);
    return;
  }
  printf("  step %s\n", step ? step : v->label);
  /* Integers (s, m) in hex, as pss-int.txt prints them. */
  printf("  %-10s ", v->label);
  if (v->len == 0)
    printf(v->kind == KL_TRACE_INT ? "0\n" : "(empty)\n");
  else
    print_wrapped(v->bytes, v->len);
}

static void load_key(kl_rsa_priv *key)
{
  mpz_set_str(key->n, key_n, 16);
  mpz_set_str(key->e, key_e, 16);
  mpz_set_str(key->d, key_d, 16);
  mpz_set_str(key->p, key_p, 16);
  mpz_set_str(key->q, key_q, 16);
  mpz_set_str(key->dP, key_dP, 16);
  mpz_set_str(key->dQ, key_dQ, 16);
  mpz_set_str(key->qInv, key_qInv, 16);
}

/* A generator that gives the salt first, then the operating system's bytes
 * (for the blinding of the private operation). */
typedef struct salt_first {
  kl_rng replay; /* over st: the salt */
  kl_rng_replay_state st;
  kl_rng os;
} salt_first;

static kl_err salt_first_fill(void *state, uint8_t *out, size_t len)
{
  salt_first *s = state;
  return kl_rng_fill(s->st.pos < s->st.len ? &s->replay : &s->os, out, len);
}

/* An integer member, as the JSON contract writes them: a decimal string. */
static void json_decimal(cli_json *j, const char *key, size_t v)
{
  char text[24];
  snprintf(text, sizeof text, "%zu", v);
  cj_string(j, key, text);
}

int demo_pss(int argc, char **argv)
{
  static const struct option opts[] = {
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *cmd = "demo pss";
  int json = 0;
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      json = 1;
      break;
    case 'h':
      fputs(pss_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);

  uint8_t M[128], salt[20], S[128];
  size_t mLen = sizeof M, sLen = sizeof salt;
  if (kl_hex_decode(M, &mLen, std_message, strlen(std_message)) != KL_OK ||
      kl_hex_decode(salt, &sLen, std_salt, strlen(std_salt)) != KL_OK)
    return KL_EXIT_FAIL;

  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  load_key(&key);
  kl_rsa_priv_to_pub(&pub, &key);
  const size_t k = kl_rsa_modulus_len(key.n);
  const size_t modBits = mpz_sizeinbase(key.n, 2);
  const size_t emBits = modBits - 1, emLen = (emBits + 7) / 8;
  const kl_pss_params params = {KL_HASH_SHA1, sLen, 0, 0};
  salt_first sf;
  kl_rng_replay(&sf.replay, &sf.st, salt, sLen);
  kl_rng_os(&sf.os);
  const kl_rng rng = {salt_first_fill, &sf};

  cli_json j;
  demo_state st = {NULL, 0};
  const kl_tracer tr = {demo_trace, &st};
  cli_trace_banner(stderr);
  if (json) {
    cj_init(&j, stdout);
    st.j = &j;
    cj_command_begin(&j, cmd);
    cj_string(&j, "reference", "pss-int.txt (RSA Laboratories, PKCS #1 v2.1 test suite)");
    cj_string(&j, "hash", "SHA-1");
    cj_string(&j, "mgf", "MGF1-SHA-1");
    char *n10 = mpz_get_str(NULL, 10, key.n);
    cj_string(&j, "n", n10);
    void (*gmp_free)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &gmp_free);
    gmp_free(n10, strlen(n10) + 1);
    cj_string(&j, "e", "65537");
    json_decimal(&j, "k", k);
    json_decimal(&j, "modBits", modBits);
    json_decimal(&j, "emBits", emBits);
    json_decimal(&j, "emLen", emLen);
    json_decimal(&j, "hLen", 20);
    json_decimal(&j, "sLen", sLen);
    cj_hex(&j, "M", M, mLen);
    cj_array_begin(&j, "signing");
  } else {
    printf("RSASSA-PSS (RFC 8017 §8.1, EMSA-PSS §9.1) with SHA-1 and MGF1-SHA-1, sLen = %zu\n",
           sLen);
    printf("Key: pss-int.txt's %zu-bit key, e = 65537, k = %zu octets; emBits = %zu, "
           "emLen = %zu\n",
           modBits, k, emBits, emLen);
    printf("Message M, %zu octets, and the salt: pss-int.txt's\n", mLen);
    printf("  %-10s ", "M");
    print_wrapped(M, mLen);
    printf("\nSigning, RFC 8017 §8.1.1 (EMSA-PSS-ENCODE §9.1.1, then RSASP1)\n"
           "  EM = maskedDB || H || 0xbc,   DB = PS || 0x01 || salt\n\n");
  }

  size_t len = sizeof S;
  kl_err err = kl_rsa_pss_sign_traced(&key, &params, &rng, &tr, S, &len, M, mLen);
  if (err == KL_OK) {
    st.verifying = 1;
    if (json) {
      cj_array_end(&j);
      cj_hex(&j, "S", S, len);
      cj_array_begin(&j, "verification");
    } else {
      printf("\nVerification, RFC 8017 §8.1.2 (RSAVP1, then EMSA-PSS-VERIFY §9.1.2,\n"
             "which checks the 0xbc, the top bits, PS and the 0x01 before comparing H)\n\n");
    }
    err = kl_rsa_pss_verify_traced(&pub, &params, &tr, M, mLen, S, len);
  }
  if (json) {
    cj_array_end(&j);
    cj_bool(&j, "consistent", err == KL_OK);
    if (err != KL_OK)
      cj_string(&j, "error", kl_strerror(err));
    cj_object_end(&j);
    cj_finish(&j);
  } else if (err == KL_OK) {
    printf("\nH' = H: consistent, the signature is valid.\n");
  }
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  if (err != KL_OK) {
    cli_error(cmd, "%s", kl_strerror(err));
    return cli_exit_for(err);
  }
  return KL_EXIT_OK;
}
