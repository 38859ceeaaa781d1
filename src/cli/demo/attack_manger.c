/* attack_manger.c: `kexlab demo attack manger`: Manger's chosen-ciphertext
 * attack on RSAES-OAEP (CRYPTO 2001). If a decryptor reveals whether the
 * first octet of EM = I2OSP(c^d mod n, k) is zero, that is whether
 * m < B = 2^(8(k-1)), then sending f^e * c (whose plaintext is f * m mod n)
 * halves the interval holding m with each query: about log2(n) queries
 * give m, and OAEP decoding then gives the message.
 *   weak:   a lab OAEP decoder in this file that reports "first octet not
 *           zero" apart from every other failure (RFC 8017 §7.1.2 note);
 *   normal: kl_rsa_oaep_decrypt: one error for every failure, from a
 *           constant-time decoder (tests/ct/ct_oaep.c): the attacker cannot
 *           tell m < B from m >= B, and step 1 never ends. */
#include <gmp.h>
#include <stdio.h>
#include <string.h>

#include "kexlab/oaep.h"
#include "oracle_kit.h"

static const char *help =
  "usage: kexlab demo attack manger [--bits N] [--seed HEX] [--json]\n"
  "\n"
  "Manger's attack on RSA-OAEP: a decoder that says 'first octet not zero'\n"
  "apart from other errors decrypts a wrapped AES key in about log2(n)\n"
  "queries; kexlab's decoder gives one error and the attack gets nothing.\n"
  "\n"
  "  --bits N     the RSA key size (1024..2048, default 1024)\n"
  "  --seed HEX   reproducible run (key, AES key from an HMAC_DRBG)\n"
  "  --json       one JSON object (docs/schema/demo-attack-manger.schema.json)\n"
  "  -h, --help   this help\n"
  "Exit status 0 when the weak decoder falls and the normal one holds.\n";

static const kl_oaep_params PARAMS = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};

typedef struct target {
  const kl_rsa_priv *key;
  const kl_rng *rng;
  int weak;
  unsigned long long queries;
  size_t k;
} target;

/* The lab decoder's one extra answer. */
#define FIRST_OCTET_NOT_ZERO 1
#define DECODING_ERROR 2

/* Decrypt C' and report: weak gives FIRST_OCTET_NOT_ZERO apart; normal is
 * kl_rsa_oaep_decrypt. Returns 1 when the attacker concludes m' >= B. */
static int ask(target *t, const mpz_t c)
{
  uint8_t C[KL_RSA_MAX_BITS / 8], out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  t->queries++;
  if (kl_i2osp(C, t->k, c) != KL_OK)
    return 0;
  if (t->weak) {
    uint8_t EM[KL_RSA_MAX_BITS / 8];
    int answer = 0;
    if (kl_rsa_private_octets(t->key, t->rng, EM, C, t->k) == KL_OK) {
      if (EM[0] != 0x00)
        answer = FIRST_OCTET_NOT_ZERO; /* the mistake: told apart */
      else if (kl_rsa_oaep_decode(&PARAMS, NULL, out, &out_len, EM, t->k) != KL_OK)
        answer = DECODING_ERROR;
    }
    kl_wipe(EM, sizeof EM);
    kl_wipe(out, sizeof out);
    return answer == FIRST_OCTET_NOT_ZERO;
  }
  /* The normal decryptor: KL_OK or the one KL_ERR_DECRYPT, nothing to tell
   * the two intervals apart; the attacker looks for any other answer. */
  kl_err err = kl_rsa_oaep_decrypt(t->key, &PARAMS, t->rng, NULL, out, &out_len, C, t->k);
  kl_wipe(out, sizeof out);
  return err != KL_OK && err != KL_ERR_DECRYPT;
}

/* c' = f^e * c mod n, then ask. */
static int ask_f(target *t, mpz_t tmp, const mpz_t f, const mpz_t c)
{
  mpz_powm(tmp, f, t->key->e, t->key->n);
  mpz_mul(tmp, tmp, c);
  mpz_mod(tmp, tmp, t->key->n);
  return ask(t, tmp);
}

/* Manger's three steps. Returns 1 with m set, 0 when the answers led nowhere. */
static int manger(okit *o, target *t, mpz_t m, const mpz_t c)
{
  const mpz_srcptr n = t->key->n;
  mpz_t B, f1, f2, f3, mmin, mmax, tmp, i, x;
  mpz_inits(B, f1, f2, f3, mmin, mmax, tmp, i, x, NULL);
  mpz_ui_pow_ui(B, 2, 8 * (t->k - 1));
  int ok = 0;
  /* Step 1: f1 = 2, 4, 8, ... until f1 * m >= B. */
  mpz_set_ui(f1, 2);
  while (!ask_f(t, tmp, f1, c)) {
    mpz_mul_2exp(f1, f1, 1);
    if (mpz_cmp(f1, n) > 0) {
      okit_step(o,
                "step 1: f1 passed n after %llu queries and no answer said 'f1*m >= B': "
                "the decryptor's answers say nothing",
                t->queries);
      goto out;
    }
  }
  okit_step(o, "step 1: f1 = 2^%zu puts f1*m in [B, 2B) (%llu queries)", mpz_sizeinbase(f1, 2) - 1,
            t->queries);
  /* Step 2: f2 = floor((n + B) / B) * f1 / 2, + f1/2 until f2 * m < n + B. */
  mpz_add(tmp, n, B);
  mpz_fdiv_q(f2, tmp, B);
  mpz_mul(f2, f2, f1);
  mpz_fdiv_q_2exp(f2, f2, 1);
  mpz_fdiv_q_2exp(x, f1, 1);
  while (ask_f(t, tmp, f2, c)) {
    mpz_add(f2, f2, x);
    if (t->queries > 100000)
      goto out;
  }
  okit_step(o, "step 2: f2 with f2*m in [n, n + B) (%llu queries)", t->queries);
  /* Step 3: bisect [mmin, mmax] with f3 = ceil(i n / mmin). */
  mpz_cdiv_q(mmin, n, f2);
  mpz_add(tmp, n, B);
  mpz_fdiv_q(mmax, tmp, f2);
  while (mpz_cmp(mmin, mmax) < 0) {
    mpz_sub(tmp, mmax, mmin);
    mpz_mul_2exp(x, B, 1);
    mpz_fdiv_q(x, x, tmp); /* ftmp = floor(2B / (mmax - mmin)) */
    mpz_mul(tmp, x, mmin);
    mpz_fdiv_q(i, tmp, n); /* i = floor(ftmp * mmin / n) */
    mpz_mul(tmp, i, n);
    mpz_cdiv_q(f3, tmp, mmin); /* f3 = ceil(i n / mmin) */
    mpz_mul(tmp, i, n);
    mpz_add(tmp, tmp, B);
    if (ask_f(t, x, f3, c))
      mpz_cdiv_q(mmin, tmp, f3);
    else
      mpz_fdiv_q(mmax, tmp, f3);
    if (t->queries > 100000)
      goto out;
  }
  okit_step(o, "step 3: the interval closed on m (%llu queries in all)", t->queries);
  mpz_set(m, mmin);
  ok = 1;
out:
  mpz_clears(B, f1, f2, f3, mmin, mmax, tmp, i, x, NULL);
  return ok;
}

static void run(okit *o, const kl_rsa_priv *key, const mpz_t c, const uint8_t *secret, size_t len,
                int weak)
{
  okit_run_begin(o, weak ? "weak" : "normal",
                 weak ? "a lab OAEP decoder that reports 'first octet not zero' apart"
                      : "kl_rsa_oaep_decrypt: one error from a constant-time decoder");
  target t = {key, &o->rng, weak, 0, kl_rsa_modulus_len(key->n)};
  mpz_t m;
  mpz_init(m);
  uint8_t EM[KL_RSA_MAX_BITS / 8], M[KL_RSA_MAX_BITS / 8];
  size_t mLen = sizeof M;
  int worked = 0;
  if (manger(o, &t, m, c) && kl_i2osp(EM, t.k, m) == KL_OK &&
      kl_rsa_oaep_decode(&PARAMS, NULL, M, &mLen, EM, t.k) == KL_OK) {
    okit_step(o, "%s", "EM = I2OSP(m, k) decodes (EME-OAEP): the wrapped AES key");
    worked = mLen == len && memcmp(M, secret, len) == 0;
  }
  okit_run_end(o, t.queries, worked ? M : NULL, mLen, worked, weak);
  kl_wipe(EM, sizeof EM);
  kl_wipe(M, sizeof M);
  mpz_clear(m);
}

int attack_manger(int argc, char **argv)
{
  okit_opts op;
  okit o;
  int rc = okit_parse(&op, "manger", help, NULL, argc, argv);
  if (rc != KL_EXIT_OK || op.help)
    return rc;
  rc = okit_begin(&o, "manger", op.json, op.seed, op.bits, 1024, 1024, 2048,
                  "Manger's attack on RSA-OAEP through a first-octet oracle");
  if (rc != KL_EXIT_OK)
    return okit_abort(&o, rc);
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  uint8_t secret[32], C[KL_RSA_MAX_BITS / 8];
  size_t cLen = sizeof C;
  kl_err err = kl_rsa_keygen(&key, &o.rng, o.bits, NULL,
                             o.bits < KL_RSA_MIN_BITS ? KL_RSA_KEYGEN_ALLOW_SMALL : 0, NULL);
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  if (err == KL_OK) {
    kl_rsa_priv_to_pub(&pub, &key);
    err = kl_rng_fill(&o.rng, secret, sizeof secret);
  }
  if (err == KL_OK)
    err = kl_rsa_oaep_encrypt(&pub, &PARAMS, &o.rng, NULL, C, &cLen, secret, sizeof secret);
  if (err != KL_OK) {
    kl_rsa_priv_clear(&key);
    kl_rsa_pub_clear(&pub);
    return okit_abort(&o, cli_lib_error("demo attack manger", err));
  }
  if (!o.json)
    printf("A %u-bit key%s; the victim wraps a 32-octet AES key with RSA-OAEP (SHA-256).\n", o.bits,
           o.bits < KL_RSA_MIN_BITS ? " (a lab size, below kexlab's minimum)" : "");
  mpz_t c;
  mpz_init(c);
  kl_os2ip(c, C, cLen);
  run(&o, &key, c, secret, sizeof secret, 1);
  run(&o, &key, c, secret, sizeof secret, 0);
  rc = okit_finish(&o, secret, sizeof secret);
  mpz_clear(c);
  kl_wipe(secret, sizeof secret);
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  return rc;
}
