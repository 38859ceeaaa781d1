/* demo_oaep.c: `kexlab demo oaep [--json]`: one RSAES-OAEP encryption and its
 * decryption (RFC 8017 §7.1.1, §7.1.2), every step printed from the
 * library's own trace under the names of oaep-int.txt (seed, DB, dbMask,
 * maskedDB, seedMask, maskedSeed, EM).
 * The key is the 1024-bit example key of RSA Laboratories' oaep-int.txt
 * (PKCS#1 v2.1 test suite; vectors/pkcs1/pkcs-1v2-1d2-vec/oaep-int.txt), so
 * that with --standard (its message and seed) every value can be held
 * against that file. By default the message is readable text and the seed is
 * oaep-int.txt's too, so the output is the same on every run; --random-seed
 * draws a fresh one, as real encryption must.
 * With --standard the decryption also shows oaep-int.txt's CRT block (c mod p,
 * c mod q, m_1, m_2, h, m: RFC 8017 §5.1.2 step 2.b). The library's private
 * operation is blinded, so its own intermediate values are not the file's:
 * that block is computed here, unblinded, with GMP on the key's p, q, dP, dQ,
 * qInv, for this demo only. Step 3.b's split of EM (Y, maskedSeed, maskedDB)
 * and lHash' come from the library's trace as the rest. */
#include <getopt.h>
#include <gmp.h>
#include <string.h>

#include "commands.h"
#include "kexlab/ct.h"
#include "kexlab/hash.h"
#include "kexlab/oaep.h"
#include "kexlab/rsa.h"

static const char *oaep_help =
  "usage: kexlab demo oaep [--json] [--message TEXT] [--label TEXT] [--sha256]\n"
  "                        [--random-seed | --standard]\n"
  "\n"
  "Trace one RSA-OAEP encryption and its decryption step by step (RFC 8017\n"
  "§7.1), with the names of RSA Laboratories' oaep-int.txt, on that file's\n"
  "1024-bit key (k = 128 octets).\n"
  "\n"
  "  --message TEXT  the message (default \"Meet me at the library at noon.\")\n"
  "  --label TEXT    the label L (default: empty)\n"
  "  --sha256        SHA-256 and MGF1-SHA-256 (default SHA-1, as oaep-int.txt)\n"
  "  --random-seed   draw the seed from the OS (default: oaep-int.txt's seed,\n"
  "                  so that the output is reproducible)\n"
  "  --standard      oaep-int.txt's own message and seed: every value printed\n"
  "                  equals the file's (its EM lacks our leading 00 octet:\n"
  "                  PKCS#1 v2.0 counted it out); the decryption adds the\n"
  "                  file's CRT block (c mod p, c mod q, m_1, m_2, h, m),\n"
  "                  computed without blinding for the demo, and step 3.b's\n"
  "                  Y, maskedSeed, maskedDB and lHash'\n"
  "  --json          one JSON object (for the lab harness)\n"
  "  -h, --help      this help\n";

/* oaep-int.txt, "Public key" and "Private key" (RFC 8017 §3.1, §3.2). */
static const char *const key_n = "bbf82f090682ce9c2338ac2b9da871f7368d07eed41043a440d6b6f07454f51f"
                                 "b8dfbaaf035c02ab61ea48ceeb6fcd4876ed520d60e1ec4619719d8a5b8b807f"
                                 "afb8e0a3dfc737723ee6b4b7d93a2584ee6a649d060953748834b2454598394e"
                                 "e0aab12d7b61a51f527a9a41f6c1687fe2537298ca2a8f5946f8e5fd091dbdcb";
static const char *const key_e = "11";
static const char *const key_d = "a5dafc5341faf289c4b988db30c1cdf83f31251e0668b42784813801579641b2"
                                 "9410b3c7998d6bc465745e5c392669d6870da2c082a939e37fdcb82ec93edac9"
                                 "7ff3ad5950accfbc111c76f1a9529444e56aaf68c56c092cd38dc3bef5d20a93"
                                 "9926ed4f74a13eddfbe1a1cecc4894af9428c2b7b8883fe4463a4bc85b1cb3c1";
static const char *const key_p = "eecfae81b1b9b3c908810b10a1b5600199eb9f44aef4fda493b81a9e3d84f632"
                                 "124ef0236e5d1e3b7e28fae7aa040a2d5b252176459d1f397541ba2a58fb6599";
static const char *const key_q = "c97fb1f027f453f6341233eaaad1d9353f6c42d08866b1d05a0f2035028b9d86"
                                 "9840b41666b42e92ea0da3b43204b5cfce3352524d0416a5a441e700af461503";
static const char *const key_dP =
  "54494ca63eba0337e4e24023fcd69a5aeb07dddc0183a4d0ac9b54b051f2b13e"
  "d9490975eab77414ff59c1f7692e9a2e202b38fc910a474174adc93c1f67c981";
static const char *const key_dQ =
  "471e0290ff0af0750351b7f878864ca961adbd3a8a7e991c5c0556a94c3146a7"
  "f9803f8f6f8ae342e931fd8ae47a220d1b99a495849807fe39f9245a9836da3d";
static const char *const key_qInv =
  "b06c4fdabb6301198d265bdbae9423b380f271f73453885093077fcd39e2119f"
  "c98632154f5883b167a967bf402b4e9e2e0f9656e698ea3666edfb25798039f7";
/* oaep-int.txt, "seed" and "Message to be encrypted". */
static const char *const std_seed = "aafd12f659cae63489b479e5076ddec2f06cb58f";
static const char *const std_message = "d436e99569fd32a7c8a05bbc90d32c49";

/* What each traced value is, by label: the step of RFC 8017 that makes it. */
typedef struct step_note {
  const char *label;
  const char *enc; /* in §7.1.1 */
  const char *dec; /* in §7.1.2 */
} step_note;

static const step_note notes[] = {
  {"lHash", "2.a  lHash = Hash(L)", "3.a  lHash = Hash(L)"},
  {"Y", NULL, "3.b  EM = Y || maskedSeed || maskedDB: Y, one octet"},
  {"lHash'", NULL, "3.g  DB = lHash' || PS || 0x01 || M: lHash', checked = lHash"},
  {"DB", "2.c  DB = lHash || PS || 0x01 || M", "3.f  DB = maskedDB xor dbMask"},
  {"seed", "2.d  seed: hLen random octets", "3.d  seed = maskedSeed xor seedMask"},
  {"dbMask", "2.e  dbMask = MGF(seed, k - hLen - 1)", "3.e  dbMask = MGF(seed, k - hLen - 1)"},
  {"maskedDB", "2.f  maskedDB = DB xor dbMask", "3.b  maskedDB: the last k - hLen - 1 octets"},
  {"seedMask", "2.g  seedMask = MGF(maskedDB, hLen)", "3.c  seedMask = MGF(maskedDB, hLen)"},
  {"maskedSeed", "2.h  maskedSeed = seed xor seedMask", "3.b  maskedSeed: the next hLen octets"},
  {"EM", "2.i  EM = 0x00 || maskedSeed || maskedDB", "2    EM = I2OSP(RSADP(K, OS2IP(C)), k)"},
  {"C", "3    C = I2OSP(RSAEP((n, e), OS2IP(EM)), k)", NULL},
  {"M", NULL, "4    M: DB after lHash', PS and the 0x01, all checked (3.g)"},
};

typedef struct demo_state {
  cli_json *j; /* NULL: text */
  int decrypting;
  int standard; /* --standard: every value oaep-int.txt can be held against */
} demo_state;

/* Step 3.b's split of EM and lHash' show in the --standard walk-through only. */
static int standard_only(const char *label)
{
  return strcmp(label, "Y") == 0 || strcmp(label, "maskedSeed") == 0 ||
         strcmp(label, "maskedDB") == 0 || strcmp(label, "lHash'") == 0;
}

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
  if (st->decrypting && !st->standard && standard_only(v->label))
    return;
  const char *step = NULL;
  for (size_t i = 0; i < sizeof notes / sizeof notes[0]; i++) {
    if (strcmp(notes[i].label, v->label) == 0)
      step = st->decrypting ? notes[i].dec : notes[i].enc;
  }
  if (v->kind != KL_TRACE_BYTES)
    return;
  if (st->j != NULL) {
    /* A trace record of the JSON contract (docs/json.md). */
    cj_object_begin(st->j, NULL);
    cj_string(st->j, "name", v->label);
    cj_string(st->j, "label", v->label);
    cj_string(st->j, "kind", "bytes");
    cj_hex(st->j, "hex", v->bytes, v->len);
    cj_object_end(st->j);
    return;
  }
  printf("  step %s\n", step ? step : v->label);
  printf("  %-10s ", v->label);
  if (v->len == 0)
    printf("(empty)\n");
  else
    print_wrapped(v->bytes, v->len);
}

/* Fill key from the hex constants above. */
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

/* An integer member, as the JSON contract writes them: a decimal string. */
static void json_decimal(cli_json *j, const char *key, const mpz_t x)
{
  char *text = mpz_get_str(NULL, 10, x);
  cj_string(j, key, text);
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(text, strlen(text) + 1);
}

/* One value of the unblinded CRT block: text in hex (as oaep-int.txt), or a
 * trace record of kind "int". */
static void show_integer(cli_json *j, const char *name, const char *step, const mpz_t x)
{
  if (j != NULL) {
    cj_object_begin(j, NULL);
    cj_string(j, "name", name);
    cj_string(j, "label", name);
    cj_string(j, "kind", "int");
    json_decimal(j, "int", x);
    cj_object_end(j);
    return;
  }
  uint8_t b[128];
  size_t len = 0;
  if (mpz_sizeinbase(x, 256) <= sizeof b)
    mpz_export(b, &len, 1, 1, 1, 0, x);
  printf("  step %s\n", step);
  printf("  %-10s ", name);
  if (len == 0)
    printf("0\n");
  else
    print_wrapped(b, len);
  kl_wipe(b, sizeof b);
}

/* RSADP with the CRT, RFC 8017 §5.1.2 step 2.b, as oaep-int.txt shows it:
 * unblinded, for this demo only (the library's private operation is blinded,
 * so its intermediate values differ on every run). */
static void crt_unblinded(cli_json *j, const kl_rsa_priv *key, const uint8_t *C, size_t cLen)
{
  mpz_t c, cp, cq, m_1, m_2, h, m;
  mpz_inits(c, cp, cq, m_1, m_2, h, m, NULL);
  mpz_import(c, cLen, 1, 1, 1, 0, C);
  mpz_mod(cp, c, key->p);
  mpz_mod(cq, c, key->q);
  mpz_powm(m_1, cp, key->dP, key->p);
  mpz_powm(m_2, cq, key->dQ, key->q);
  mpz_sub(h, m_1, m_2);
  mpz_mul(h, h, key->qInv);
  mpz_mod(h, h, key->p);
  mpz_mul(m, key->q, h);
  mpz_add(m, m, m_2);
  show_integer(j, "c", "2.a  c = OS2IP(C)", c);
  show_integer(j, "c mod p", "5.1.2 2.b  c mod p", cp);
  show_integer(j, "c mod q", "5.1.2 2.b  c mod q", cq);
  show_integer(j, "m_1", "5.1.2 2.b.i  m_1 = c^dP mod p = (c mod p)^dP mod p", m_1);
  show_integer(j, "m_2", "5.1.2 2.b.i  m_2 = c^dQ mod q = (c mod q)^dQ mod q", m_2);
  show_integer(j, "h", "5.1.2 2.b.iii  h = (m_1 - m_2) * qInv mod p", h);
  show_integer(j, "m", "5.1.2 2.b.iv  m = m_2 + q * h", m);
  mpz_clears(c, cp, cq, m_1, m_2, h, m, NULL);
}

int demo_oaep(int argc, char **argv)
{
  static const struct option opts[] = {
    {"json", no_argument, NULL, 'j'},        {"message", required_argument, NULL, 'm'},
    {"label", required_argument, NULL, 'l'}, {"sha256", no_argument, NULL, '2'},
    {"random-seed", no_argument, NULL, 'r'}, {"standard", no_argument, NULL, 's'},
    {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
  };
  const char *cmd = "demo oaep";
  int json = 0, sha256 = 0, random_seed = 0, standard = 0;
  const char *text = "Meet me at the library at noon.";
  const char *label = "";
  cli_getopt_reset();
  for (int c; (c = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
    switch (c) {
    case 'j':
      json = 1;
      break;
    case 'm':
      text = optarg;
      break;
    case 'l':
      label = optarg;
      break;
    case '2':
      sha256 = 1;
      break;
    case 'r':
      random_seed = 1;
      break;
    case 's':
      standard = 1;
      break;
    case 'h':
      fputs(oaep_help, stdout);
      return KL_EXIT_OK;
    default:
      return cli_bad_option(cmd, argc, argv);
    }
  }
  if (optind < argc)
    return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
  if (standard && (random_seed || sha256 || label[0] != '\0'))
    return cli_usage_error(cmd, "--standard uses oaep-int.txt's SHA-1, seed and empty label");

  const kl_hash_alg hash = sha256 ? KL_HASH_SHA256 : KL_HASH_SHA1;
  const size_t hLen = kl_hash_digest_len(hash);
  uint8_t M[128], seed[32], C[128], back[128];
  size_t mLen;
  if (standard) {
    mLen = sizeof M;
    if (kl_hex_decode(M, &mLen, std_message, strlen(std_message)) != KL_OK)
      return KL_EXIT_FAIL;
  } else {
    mLen = strlen(text);
    if (mLen > 128 - 2 * hLen - 2)
      return cli_usage_error(cmd, "message of %zu octets: at most %zu fit in k = 128 with %s", mLen,
                             128 - 2 * hLen - 2, kl_hash_name(hash));
    memcpy(M, text, mLen);
  }
  size_t seedLen = sizeof seed;
  if (kl_hex_decode(seed, &seedLen, std_seed, strlen(std_seed)) != KL_OK)
    return KL_EXIT_FAIL;
  if (sha256 && !random_seed) {
    /* oaep-int.txt's seed is 20 octets; SHA-256 needs 32: extend it with
     * MGF1 so that the run stays reproducible. */
    if (kl_mgf1(KL_HASH_SHA256, seed, 32, seed, 20) != KL_OK)
      return KL_EXIT_FAIL;
  }

  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  load_key(&key);
  kl_rsa_priv_to_pub(&pub, &key);
  const kl_oaep_params params = {hash, hash, (const uint8_t *)label, strlen(label)};
  kl_rng seed_rng, os;
  kl_rng_replay_state rst;
  kl_rng_os(&os);
  kl_rng_replay(&seed_rng, &rst, seed, hLen);

  cli_json j;
  demo_state st = {NULL, 0, standard};
  const kl_tracer tr = {demo_trace, &st};
  cli_trace_banner(stderr);
  if (json) {
    cj_init(&j, stdout);
    st.j = &j;
    cj_command_begin(&j, cmd);
    cj_string(&j, "hash", kl_hash_name(hash));
    cj_string(&j, "mgf", sha256 ? "MGF1-SHA-256" : "MGF1-SHA-1");
    cj_string(&j, "key", "oaep-int.txt (RSA Laboratories), 1024 bits");
    cj_string(&j, "k", "128");
    cj_string(&j, "hLen", sha256 ? "32" : "20");
    json_decimal(&j, "n", key.n);
    cj_string(&j, "e", "17");
    cj_string(&j, "label", label);
    cj_hex(&j, "M", M, mLen);
    cj_array_begin(&j, "encryption");
  } else {
    printf("RSAES-OAEP (RFC 8017 §7.1) with %s and MGF1-%s, label \"%s\"\n", kl_hash_name(hash),
           kl_hash_name(hash), label);
    printf("Key: oaep-int.txt's 1024-bit key, e = 17, k = 128 octets; hLen = %zu\n", hLen);
    printf("Message M, %zu octets%s%.*s%s\n", mLen, standard ? "" : ": \"",
           standard ? 0 : (int)mLen, (const char *)M, standard ? "" : "\"");
    printf("  %-10s ", "M");
    print_wrapped(M, mLen);
    printf("\nEncryption, RFC 8017 §7.1.1 (EME-OAEP encoding, then RSAEP)\n"
           "  EM = 0x00 || maskedSeed || maskedDB,   DB = lHash || PS || 0x01 || M\n\n");
  }

  size_t cLen = sizeof C;
  kl_err err = kl_rsa_oaep_encrypt(&pub, &params, random_seed ? &os : &seed_rng, &tr, C, &cLen, M,
                                   mLen);
  size_t bLen = sizeof back;
  if (err == KL_OK) {
    st.decrypting = 1;
    if (json) {
      cj_array_end(&j);
    } else {
      printf("\nDecryption, RFC 8017 §7.1.2 (RSADP with CRT and blinding, then EME-OAEP\n"
             "decoding: Y == 0, lHash' == lHash and the 0x01 separator are checked\n"
             "without a branch on EM, so all failures look alike)\n\n");
    }
    if (standard) {
      if (json) {
        cj_array_begin(&j, "rsadp");
      } else {
        printf("  RSADP with the CRT, RFC 8017 §5.1.2 step 2.b, as oaep-int.txt shows it:\n"
               "  computed without blinding, for this demo only; the library's private\n"
               "  operation is blinded\n");
      }
      crt_unblinded(json ? &j : NULL, &key, C, cLen);
      if (json)
        cj_array_end(&j);
      else
        printf("\n  The library's decryption (blinded), then EME-OAEP decoding:\n");
    }
    if (json)
      cj_array_begin(&j, "decryption");
    err = kl_rsa_oaep_decrypt(&key, &params, &os, &tr, back, &bLen, C, cLen);
  }
  if (json) {
    cj_array_end(&j);
    cj_bool(&j, "ok", err == KL_OK && bLen == mLen && memcmp(back, M, mLen) == 0);
    if (err != KL_OK)
      cj_string(&j, "error", kl_strerror(err));
    cj_object_end(&j);
    cj_finish(&j);
  } else if (err == KL_OK) {
    printf("\nDecrypted M %s the message.\n",
           bLen == mLen && memcmp(back, M, mLen) == 0 ? "equals" : "DIFFERS FROM");
  }
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  if (err != KL_OK) {
    cli_error(cmd, "%s", kl_strerror(err));
    return cli_exit_for(err);
  }
  return KL_EXIT_OK;
}
