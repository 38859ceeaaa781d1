/* attack_cbc_iv.c: `kexlab demo attack cbc-iv`: CBC with an IV the attacker
 * can foresee (SP 800-38A App. C asks for unpredictable IVs). A service
 * encrypts, in the seed profile's format IV || AES-256-CBC(PKCS#7), the
 * attacker's chosen prefix followed by a secret cookie (the setting of
 * Bard 2004 and of the BEAST attack of 2011 on TLS 1.0). If the
 * next IV is known, the attacker can make the cipher see
 * C_{i-1} xor P_guess again and compare: with the prefix chosen so that one
 * unknown octet ends a block, at most 256 guesses give each octet.
 *   weak (lab switches here only): the IV reused for every message, or the
 *        previous message's last ciphertext block (TLS 1.0's chained IV);
 *   normal: kl_cbc_seal, a fresh random IV per message: guesses never match.
 * The attacker predicts the IV from what it saw (the same IV twice: reuse;
 * the IV equal to the last block: chaining) and tries the last block
 * otherwise. */
#include <stdio.h>
#include <string.h>

#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "oracle_kit.h"

static const char *help =
  "usage: kexlab demo attack cbc-iv [--iv predictable|reused] [--seed HEX] [--json]\n"
  "\n"
  "A service encrypts the attacker's prefix followed by a secret cookie with\n"
  "AES-256-CBC. With an IV the attacker can predict (reused, or the last\n"
  "ciphertext block as in TLS 1.0), chosen plaintexts confirm guesses of the\n"
  "cookie one octet at a time; with a fresh random IV (kexlab's kl_cbc_seal)\n"
  "no guess ever matches.\n"
  "\n"
  "  --iv MODE    the weak configuration to run: predictable or reused\n"
  "               (default: both)\n"
  "  --seed HEX   reproducible run (key, cookie, IVs from an HMAC_DRBG)\n"
  "  --json       one JSON object (docs/schema/demo-attack-cbc-iv.schema.json)\n"
  "  -h, --help   this help\n"
  "Exit status 0 when the weak configurations fall and the normal one holds.\n";

enum {
  SECRET_LEN = 16,
  MAX_MSG = 64
};

typedef enum iv_mode {
  IV_PREDICTABLE,
  IV_REUSED,
  IV_RANDOM
} iv_mode;

/* The service: one key, the secret, and its IV policy. */
typedef struct service {
  kl_aes_key key;
  iv_mode mode;
  const kl_rng *rng;
  uint8_t secret[SECRET_LEN];
  uint8_t iv[KL_AES_BLOCK_BYTES]; /* reused: the IV; predictable: the last block sent */
} service;

/* Encrypt prefix || secret; out = IV || C. Returns its length, 0 on error. */
static size_t serve(service *s, uint8_t *out, const uint8_t *prefix, size_t prefix_len)
{
  uint8_t pt[MAX_MSG + SECRET_LEN], padded[MAX_MSG + SECRET_LEN + KL_AES_BLOCK_BYTES];
  memcpy(pt, prefix, prefix_len);
  memcpy(pt + prefix_len, s->secret, SECRET_LEN);
  size_t pt_len = prefix_len + SECRET_LEN, out_len = sizeof padded + KL_AES_BLOCK_BYTES;
  kl_err err;
  if (s->mode == IV_RANDOM) {
    err = kl_cbc_seal(&s->key, s->rng, out, &out_len, pt, pt_len);
  } else {
    size_t padded_len = sizeof padded;
    err = kl_pkcs7_pad(padded, &padded_len, pt, pt_len);
    if (err == KL_OK) {
      memcpy(out, s->iv, KL_AES_BLOCK_BYTES);
      err = kl_cbc_encrypt(&s->key, s->iv, out + KL_AES_BLOCK_BYTES, padded, padded_len);
      out_len = KL_AES_BLOCK_BYTES + padded_len;
    }
    if (err == KL_OK && s->mode == IV_PREDICTABLE) /* chained: the next IV */
      memcpy(s->iv, out + out_len - KL_AES_BLOCK_BYTES, KL_AES_BLOCK_BYTES);
  }
  kl_wipe(pt, sizeof pt);
  kl_wipe(padded, sizeof padded);
  return err == KL_OK ? out_len : 0;
}

/* The attacker's view of the last answer: its IV and last block. */
typedef struct view {
  uint8_t last_iv[KL_AES_BLOCK_BYTES], last_block[KL_AES_BLOCK_BYTES];
  int reused; /* two answers came with the same IV */
} view;

static void observe(view *v, const uint8_t *msg, size_t len)
{
  v->reused = memcmp(v->last_iv, msg, KL_AES_BLOCK_BYTES) == 0;
  memcpy(v->last_iv, msg, KL_AES_BLOCK_BYTES);
  memcpy(v->last_block, msg + len - KL_AES_BLOCK_BYTES, KL_AES_BLOCK_BYTES);
}

/* Byte-at-a-time cookie recovery. Returns the number of octets found;
 * *queries counts every request to the service. */
static size_t attack(okit *o, service *s, uint8_t *found, unsigned long long *queries)
{
  uint8_t msg[KL_AES_BLOCK_BYTES + MAX_MSG + 2 * SECRET_LEN];
  uint8_t target[sizeof msg];
  uint8_t known[KL_AES_BLOCK_BYTES + SECRET_LEN]; /* prefix || secret found so far */
  view v;
  memset(&v, 0, sizeof v);
  size_t len = serve(s, msg, (const uint8_t *)"", 0); /* one look at the traffic */
  ++*queries;
  if (len == 0)
    return 0;
  observe(&v, msg, len);
  size_t j = 0;
  for (; j < SECRET_LEN; j++) {
    /* Prefix of 15 - (j mod 16) octets: secret[j] ends block j / 16. */
    const size_t pad = 15 - j % 16, blk = j / 16;
    memset(known, 'A', pad);
    memcpy(known + pad, found, j);
    size_t tlen = serve(s, target, known, pad);
    ++*queries;
    if (tlen == 0)
      return j;
    observe(&v, target, tlen);
    const uint8_t *prev = target + 16 * blk;       /* C_{blk-1}, or the IV */
    const uint8_t *want = target + 16 * (blk + 1); /* C_blk */
    const uint8_t *P15 = known + 16 * blk;         /* the 15 known octets */
    int hit = -1;
    for (int g = 0; g < 256 && hit < 0; g++) {
      /* X = IV_next xor C_{blk-1} xor (P15 || g): the cipher sees C_{blk-1} xor P. */
      const uint8_t *iv_next = v.reused ? v.last_iv : v.last_block;
      uint8_t X[KL_AES_BLOCK_BYTES];
      for (int i = 0; i < 16; i++)
        X[i] = iv_next[i] ^ prev[i] ^ (i < 15 ? P15[i] : (uint8_t)g);
      len = serve(s, msg, X, sizeof X);
      ++*queries;
      if (len == 0)
        return j;
      observe(&v, msg, len);
      if (memcmp(msg + 16, want, 16) == 0)
        hit = g;
    }
    if (hit < 0) {
      okit_step(o, "octet %zu: none of the 256 guesses matched: the IV was not the predicted one",
                j);
      return j;
    }
    found[j] = (uint8_t)hit;
    if (j == 0 || j == SECRET_LEN - 1 || j % 4 == 3)
      okit_step(o, "octet %zu = '%c' after %llu requests in all", j, hit, *queries);
  }
  return j;
}

static void run(okit *o, const uint8_t aes_key[32], const uint8_t *secret, iv_mode mode)
{
  static const char *const names[] = {"weak-predictable-iv", "weak-reused-iv", "normal"};
  static const char *const what[] = {
    "IV = the previous message's last ciphertext block (TLS 1.0's chaining)",
    "the same IV for every message",
    "kl_cbc_seal: a fresh random IV for every message",
  };
  service s;
  memset(&s, 0, sizeof s);
  s.mode = mode;
  s.rng = &o->rng;
  memcpy(s.secret, secret, SECRET_LEN);
  okit_run_begin(o, names[mode], what[mode]);
  int ok = kl_aes_init(&s.key, KL_AES_IMPL_TTABLE, aes_key, 32) == KL_OK &&
           kl_rng_fill(&o->rng, s.iv, sizeof s.iv) == KL_OK;
  uint8_t found[SECRET_LEN];
  unsigned long long queries = 0;
  size_t n = 0;
  if (ok) {
    okit_step(o, "%s", "the service encrypts prefix || cookie; the attacker picks the prefix");
    n = attack(o, &s, found, &queries);
  }
  int worked = ok && n == SECRET_LEN && memcmp(found, secret, SECRET_LEN) == 0;
  if (worked) {
    char shown[64];
    okit_show(shown, sizeof shown, found, n);
    okit_step(o, "cookie recovered: %s", shown);
  }
  okit_run_end(o, queries, worked ? found : NULL, SECRET_LEN, worked, mode != IV_RANDOM);
  kl_wipe(&s, sizeof s);
  kl_wipe(found, sizeof found);
}

int attack_cbc_iv(int argc, char **argv)
{
  static const char *const extra[2] = {"iv=", NULL};
  okit_opts op;
  okit o;
  int rc = okit_parse(&op, "cbc-iv", help, extra, argc, argv);
  if (rc != KL_EXIT_OK || op.help)
    return rc;
  int first = IV_PREDICTABLE, last = IV_REUSED;
  if (op.extra[0] != NULL) {
    if (strcmp(op.extra[0], "predictable") == 0)
      last = IV_PREDICTABLE;
    else if (strcmp(op.extra[0], "reused") == 0)
      first = IV_REUSED;
    else
      return cli_usage_error("demo attack cbc-iv", "--iv: predictable or reused, not '%s'",
                             op.extra[0]);
  }
  rc = okit_begin(&o, "cbc-iv", op.json, op.seed, op.bits, 0, 0, 0,
                  "guessing a cookie through a predictable CBC IV");
  if (rc != KL_EXIT_OK)
    return okit_abort(&o, rc);
  uint8_t aes_key[32], secret[SECRET_LEN];
  static const char hex[] = "0123456789abcdef";
  memcpy(secret, "sid=", 4);
  if (kl_rng_fill(&o.rng, aes_key, sizeof aes_key) != KL_OK ||
      kl_rng_fill(&o.rng, secret + 4, SECRET_LEN - 4) != KL_OK)
    return okit_abort(&o, cli_lib_error("demo attack cbc-iv", KL_ERR_RNG));
  for (size_t i = 4; i < SECRET_LEN; i++)
    secret[i] = (uint8_t)hex[secret[i] & 15];
  for (int m = first; m <= last; m++)
    run(&o, aes_key, secret, (iv_mode)m);
  run(&o, aes_key, secret, IV_RANDOM);
  rc = okit_finish(&o, secret, SECRET_LEN);
  kl_wipe(aes_key, sizeof aes_key);
  kl_wipe(secret, sizeof secret);
  return rc;
}
