/* attack_bleichenbacher.c: `kexlab demo attack bleichenbacher`:
 * Bleichenbacher's "million message" attack on RSAES-PKCS1-v1_5 (CRYPTO
 * 1998). A server that tells whether m' = c'^d mod n is "PKCS conforming"
 * (EM starts 00 02) says 2B <= m' < 3B, B = 2^(8(k-2)). With c' = s^e * c,
 * every conforming s narrows the set M of intervals holding m:
 *   step 2a: the smallest s >= n/(3B) that conforms;
 *   step 2b: with several intervals, the next conforming s;
 *   step 2c: with one interval [a, b], s searched near 2(bs - 2B)/n;
 *   step 3:  M = union of [max(a, ceil((2B + rn)/s)), min(b, floor((3B-1 + rn)/s))];
 *   step 4:  one interval of one value: m, hence the padded message.
 *   weak:   a lab server in this file that decrypts with the raw private
 *           operation and answers "bad padding" when EM does not start 00 02;
 *   normal: the same message sent with RSAES-OAEP (kl_rsa_oaep_decrypt: no
 *           conforming answer ever comes), and with PKCS#1 v1.5 under
 *           implicit rejection (kl_rsa_pkcs1v15_decrypt: every ciphertext
 *           "decrypts", to a synthetic message when the padding is bad, so
 *           the answers are all "conforming" and the intervals lead nowhere).
 * The default key is 512 bits: the weak server is asked some tens of
 * thousands of questions, and the demo says so. */
#include <gmp.h>
#include <stdio.h>
#include <string.h>

#include "kexlab/oaep.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "oracle_kit.h"

static const char *help =
  "usage: kexlab demo attack bleichenbacher [--bits N] [--seed HEX] [--json]\n"
  "\n"
  "Bleichenbacher's attack: a server that tells whether a PKCS#1 v1.5\n"
  "plaintext starts 00 02 decrypts a wrapped key in tens of thousands of\n"
  "queries. Against OAEP, and against PKCS#1 v1.5 with implicit rejection\n"
  "(kexlab's default), the same attack gets nothing.\n"
  "\n"
  "  --bits N     the RSA key size (512..1024, default 512: a lab size, so\n"
  "               that the weak run takes seconds)\n"
  "  --seed HEX   reproducible run (key, wrapped key from an HMAC_DRBG)\n"
  "  --json       one JSON object (docs/schema/demo-attack-bleichenbacher.schema.json)\n"
  "  -h, --help   this help\n"
  "Exit status 0 when the weak server falls and both normal ones hold.\n";

enum {
  MAX_INTERVALS = 64,
  NORMAL_MIN = 4096, /* queries each normal run is given: as many as the weak */
  NORMAL_MAX = 6000  /* run needed, within these bounds */
};

/* OAEP with SHA-256 where the key holds a 16-octet message that way, else
 * SHA-1 (a 512-bit key: k = 64 < 2 * 32 + 2 + 16). */
static kl_oaep_params PARAMS = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};

typedef enum server {
  S_WEAK,
  S_OAEP,
  S_IMPLICIT
} server;

typedef struct target {
  const kl_rsa_priv *key;
  const kl_rng *rng;
  server s;
  size_t k;
  unsigned long long queries, budget;
  mpz_t c, tmp;
} target;

/* Send s^e * c; 1 when the attacker hears "conforming". */
static int ask(target *t, const mpz_t s)
{
  uint8_t C[KL_RSA_MAX_BITS / 8], out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  t->queries++;
  mpz_powm(t->tmp, s, t->key->e, t->key->n);
  mpz_mul(t->tmp, t->tmp, t->c);
  mpz_mod(t->tmp, t->tmp, t->key->n);
  if (kl_i2osp(C, t->k, t->tmp) != KL_OK)
    return 0;
  int conforming = 0;
  if (t->s == S_WEAK) {
    /* The mistake: decrypt (textbook CRT, RFC 8017 §5.1.2 step 2.b, with
     * GMP's variable-time powm: lab code), look at 00 02 first, say so. */
    const kl_rsa_priv *K = t->key;
    mpz_t m1, m2;
    mpz_inits(m1, m2, NULL);
    mpz_powm(m1, t->tmp, K->dP, K->p);
    mpz_powm(m2, t->tmp, K->dQ, K->q);
    mpz_sub(m1, m1, m2);
    mpz_mul(m1, m1, K->qInv);
    mpz_mod(m1, m1, K->p);
    mpz_mul(m1, m1, K->q);
    mpz_add(m1, m1, m2); /* m = m2 + q h */
    if (kl_i2osp(out, t->k, m1) == KL_OK)
      conforming = out[0] == 0x00 && out[1] == 0x02;
    mpz_clears(m1, m2, NULL);
  } else if (t->s == S_OAEP) {
    conforming = kl_rsa_oaep_decrypt(t->key, &PARAMS, t->rng, NULL, out, &out_len, C, t->k) ==
                 KL_OK;
  } else {
    /* Implicit rejection: success, always; the message is synthetic when
     * the padding was bad, which the attacker cannot see. */
    conforming = kl_rsa_pkcs1v15_decrypt(t->key, t->rng, NULL, out, &out_len, C, t->k) == KL_OK;
  }
  kl_wipe(out, sizeof out);
  return conforming;
}

typedef struct intervals {
  size_t n;
  mpz_t a[MAX_INTERVALS], b[MAX_INTERVALS];
} intervals;

static void iv_init(intervals *M)
{
  M->n = 0;
  for (size_t i = 0; i < MAX_INTERVALS; i++)
    mpz_inits(M->a[i], M->b[i], NULL);
}

static void iv_clear(intervals *M)
{
  for (size_t i = 0; i < MAX_INTERVALS; i++)
    mpz_clears(M->a[i], M->b[i], NULL);
}

/* Add [lo, hi] to M, merging with an overlapping interval. 0 when full. */
static int iv_add(intervals *M, const mpz_t lo, const mpz_t hi)
{
  for (size_t i = 0; i < M->n; i++) {
    if (mpz_cmp(lo, M->b[i]) <= 0 && mpz_cmp(hi, M->a[i]) >= 0) {
      if (mpz_cmp(lo, M->a[i]) < 0)
        mpz_set(M->a[i], lo);
      if (mpz_cmp(hi, M->b[i]) > 0)
        mpz_set(M->b[i], hi);
      return 1;
    }
  }
  if (M->n == MAX_INTERVALS)
    return 0;
  mpz_set(M->a[M->n], lo);
  mpz_set(M->b[M->n], hi);
  M->n++;
  return 1;
}

/* Step 3: narrow M with the conforming s. */
static int narrow(intervals *M, const mpz_t s, const mpz_t n, const mpz_t B2, const mpz_t B3)
{
  intervals N;
  iv_init(&N);
  mpz_t r, rmax, lo, hi, t;
  mpz_inits(r, rmax, lo, hi, t, NULL);
  int ok = 1;
  for (size_t i = 0; i < M->n && ok; i++) {
    /* r from ceil((a s - 3B + 1) / n) to floor((b s - 2B) / n) */
    mpz_mul(t, M->a[i], s);
    mpz_sub(t, t, B3);
    mpz_add_ui(t, t, 1);
    mpz_cdiv_q(r, t, n);
    mpz_mul(t, M->b[i], s);
    mpz_sub(t, t, B2);
    mpz_fdiv_q(rmax, t, n);
    for (; mpz_cmp(r, rmax) <= 0 && ok; mpz_add_ui(r, r, 1)) {
      mpz_mul(t, r, n);
      mpz_add(lo, t, B2);
      mpz_cdiv_q(lo, lo, s);
      if (mpz_cmp(lo, M->a[i]) < 0)
        mpz_set(lo, M->a[i]);
      mpz_add(hi, t, B3);
      mpz_sub_ui(hi, hi, 1);
      mpz_fdiv_q(hi, hi, s);
      if (mpz_cmp(hi, M->b[i]) > 0)
        mpz_set(hi, M->b[i]);
      if (mpz_cmp(lo, hi) <= 0)
        ok = iv_add(&N, lo, hi);
    }
  }
  /* M = N */
  for (size_t i = 0; i < N.n; i++) {
    mpz_set(M->a[i], N.a[i]);
    mpz_set(M->b[i], N.b[i]);
  }
  M->n = N.n;
  mpz_clears(r, rmax, lo, hi, t, NULL);
  iv_clear(&N);
  return ok;
}

/* The attack. Returns 1 with m set when M closed on one value. */
static int bleichenbacher(okit *o, target *t, mpz_t m)
{
  const mpz_srcptr n = t->key->n;
  mpz_t B, B2, B3, s, r, lo, hi, x;
  mpz_inits(B, B2, B3, s, r, lo, hi, x, NULL);
  intervals M;
  iv_init(&M);
  mpz_ui_pow_ui(B, 2, 8 * (t->k - 2));
  mpz_mul_ui(B2, B, 2);
  mpz_mul_ui(B3, B, 3);
  int ok = 0;
  /* Step 1: c is a PKCS#1 v1.5 ciphertext already: s0 = 1, M = {[2B, 3B - 1]}. */
  mpz_sub_ui(x, B3, 1);
  iv_add(&M, B2, x);
  /* Step 2a. */
  mpz_cdiv_q(s, n, B3);
  while (!ask(t, s)) {
    mpz_add_ui(s, s, 1);
    if (t->queries >= t->budget) {
      okit_step(o, "step 2a: no conforming s in %llu queries: the server's answers say nothing",
                t->queries);
      goto out;
    }
  }
  okit_step(o, "step 2a: s1 = %zu-bit s conforms after %llu queries", mpz_sizeinbase(s, 2),
            t->queries);
  for (unsigned iter = 1;; iter++) {
    if (!narrow(&M, s, n, B2, B3) || M.n == 0) {
      okit_step(o, "step 3: the intervals %s after %llu queries: the answers were not about m",
                M.n == 0 ? "became empty" : "overflowed", t->queries);
      goto out;
    }
    if (M.n == 1 && mpz_cmp(M.a[0], M.b[0]) == 0) {
      okit_step(o, "step 4: M = {[m, m]} after %u rounds and %llu queries", iter, t->queries);
      mpz_set(m, M.a[0]);
      ok = 1;
      goto out;
    }
    if (iter == 1 || iter % 100 == 0)
      okit_step(o, "round %u: %zu interval(s), the first %zu bits wide (%llu queries)", iter, M.n,
                mpz_sizeinbase(x, 2), t->queries);
    if (M.n > 1) { /* step 2b */
      do {
        mpz_add_ui(s, s, 1);
        if (t->queries >= t->budget)
          goto spent;
      } while (!ask(t, s));
    } else { /* step 2c */
      mpz_mul(x, M.b[0], s);
      mpz_sub(x, x, B2);
      mpz_mul_2exp(x, x, 1);
      mpz_cdiv_q(r, x, n);
      for (int found = 0; !found; mpz_add_ui(r, r, 1)) {
        mpz_mul(x, r, n);
        mpz_add(lo, x, B2);
        mpz_cdiv_q(lo, lo, M.b[0]);
        mpz_add(hi, x, B3);
        mpz_cdiv_q(hi, hi, M.a[0]);
        for (mpz_set(s, lo); mpz_cmp(s, hi) < 0; mpz_add_ui(s, s, 1)) {
          if (t->queries >= t->budget)
            goto spent;
          if (ask(t, s)) {
            found = 1;
            break;
          }
        }
      }
    }
    mpz_sub(x, M.b[0], M.a[0]);
  }
spent:
  okit_step(o, "gave up after %llu queries with %zu interval(s) left", t->queries, M.n);
out:
  iv_clear(&M);
  mpz_clears(B, B2, B3, s, r, lo, hi, x, NULL);
  return ok;
}

/* Returns the queries spent. */
static unsigned long long run(okit *o, const kl_rsa_priv *key, server s, const uint8_t *C,
                              size_t cLen, const uint8_t *secret, size_t len,
                              unsigned long long budget)
{
  static const char *const names[] = {"weak", "normal-oaep", "normal-implicit-rejection"};
  static const char *const what[] = {
    "a lab server that decrypts PKCS#1 v1.5 and says 'bad padding' unless EM starts 00 02",
    ("the key wrapped with RSA-OAEP instead (SHA-256, or SHA-1 on a 512-bit key): "
     "kl_rsa_oaep_decrypt, one error"),
    ("PKCS#1 v1.5 with implicit rejection (kl_rsa_pkcs1v15_decrypt): bad padding decrypts "
     "to a synthetic message"),
  };
  okit_run_begin(o, names[s], what[s]);
  target t;
  memset(&t, 0, sizeof t);
  t.key = key;
  t.rng = &o->rng;
  t.s = s;
  t.k = kl_rsa_modulus_len(key->n);
  t.budget = budget;
  mpz_inits(t.c, t.tmp, NULL);
  kl_os2ip(t.c, C, cLen);
  mpz_t m;
  mpz_init(m);
  uint8_t EM[KL_RSA_MAX_BITS / 8], M[KL_RSA_MAX_BITS / 8];
  size_t mLen = sizeof M;
  int worked = 0;
  if (bleichenbacher(o, &t, m) && kl_i2osp(EM, t.k, m) == KL_OK &&
      kl_rsa_eme_pkcs1v15_decode(M, &mLen, EM, t.k) == KL_OK) {
    okit_step(o, "%s", "EM = I2OSP(m, k) = 00 02 PS 00 M: the wrapped key");
    worked = mLen == len && memcmp(M, secret, len) == 0;
  }
  okit_run_end(o, t.queries, worked ? M : NULL, mLen, worked, s == S_WEAK);
  kl_wipe(EM, sizeof EM);
  kl_wipe(M, sizeof M);
  mpz_clears(m, t.c, t.tmp, NULL);
  return t.queries;
}

int attack_bleichenbacher(int argc, char **argv)
{
  okit_opts op;
  okit o;
  int rc = okit_parse(&op, "bleichenbacher", help, NULL, argc, argv);
  if (rc != KL_EXIT_OK || op.help)
    return rc;
  rc = okit_begin(&o, "bleichenbacher", op.json, op.seed, op.bits, 512, 512, 1024,
                  "Bleichenbacher's attack on PKCS#1 v1.5 encryption");
  if (rc != KL_EXIT_OK)
    return okit_abort(&o, rc);
  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  uint8_t secret[16], C1[KL_RSA_MAX_BITS / 8], C2[KL_RSA_MAX_BITS / 8];
  size_t c1Len = sizeof C1, c2Len = sizeof C2;
  kl_err err = kl_rsa_keygen(&key, &o.rng, o.bits, NULL,
                             o.bits < KL_RSA_MIN_BITS ? KL_RSA_KEYGEN_ALLOW_SMALL : 0, NULL);
  if (err == KL_OK) {
    kl_rsa_priv_to_pub(&pub, &key);
    err = kl_rng_fill(&o.rng, secret, sizeof secret);
  }
  if (err == KL_OK)
    err = kl_rsa_pkcs1v15_encrypt(&pub, &o.rng, NULL, C1, &c1Len, secret, sizeof secret);
  if (kl_rsa_modulus_len(pub.n) < 2 * 32 + 2 + sizeof secret)
    PARAMS.hash = PARAMS.mgf_hash = KL_HASH_SHA1;
  if (err == KL_OK)
    err = kl_rsa_oaep_encrypt(&pub, &PARAMS, &o.rng, NULL, C2, &c2Len, secret, sizeof secret);
  if (err != KL_OK) {
    kl_rsa_priv_clear(&key);
    kl_rsa_pub_clear(&pub);
    return okit_abort(&o, cli_lib_error("demo attack bleichenbacher", err));
  }
  if (!o.json)
    printf("A %u-bit key%s; the victim wraps a 16-octet AES key.\n", o.bits,
           o.bits < KL_RSA_MIN_BITS
             ? " (a lab size: the weak server is asked tens of thousands of questions)"
             : "");
  unsigned long long spent = run(&o, &key, S_WEAK, C1, c1Len, secret, sizeof secret, 2000000);
  const unsigned long long budget = spent < NORMAL_MIN   ? NORMAL_MIN
                                    : spent > NORMAL_MAX ? NORMAL_MAX
                                                         : spent;
  run(&o, &key, S_OAEP, C2, c2Len, secret, sizeof secret, budget);
  run(&o, &key, S_IMPLICIT, C1, c1Len, secret, sizeof secret, budget);
  rc = okit_finish(&o, secret, sizeof secret);
  kl_wipe(secret, sizeof secret);
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  return rc;
}
