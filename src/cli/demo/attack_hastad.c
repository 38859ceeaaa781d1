/* attack_hastad.c: `kexlab demo attack hastad`: Håstad's broadcast attack
 * in its simplest form (J. Håstad, "Solving simultaneous modular equations
 * of low degree", SIAM J. Comput. 17(2), 1988): one message sent with
 * textbook RSA, e = 3, to three recipients.
 * Symbols: n_1, n_2, n_3 the moduli, c_i = m^3 mod n_i, N = n_1 n_2 n_3,
 * N_i = N / n_i, x the CRT combination.
 *
 * Why it works: the CRT gives the one x < N with x = c_i (mod n_i) for each
 * i, and m^3 is such a number; m < n_i for each i, so m^3 < N and x = m^3
 * exactly, over the integers: an integer cube root gives m. No key is
 * factored; three ciphertexts of one message are enough.
 *
 * Weak: textbook RSA (RSAEP on the message itself, kl_rsa_public), written
 * here; the message is long (k - 66 octets), so m^3 wraps around each n_i
 * and a single ciphertext's cube root is useless: the CRT is needed.
 * Normal: RSA-OAEP (SHA-256) to the same three e = 3 keys: each encryption
 * draws its own random seed, so the three encoded messages differ and x is
 * not a cube of anything useful. */
#include <stdlib.h>
#include <string.h>

#include "attack_rsa.h"
#include "kexlab/oaep.h"

static const ark_spec spec = {
  "hastad",
  "textbook RSA, e = 3, one message to three recipients: CRT and a cube root",
  "J. Håstad, Solving simultaneous modular equations of low degree, SIAM J. "
  "Comput. 17(2), 1988",
  "Weak: textbook RSA (no padding) with e = 3. Normal: RSA-OAEP with SHA-256\n"
  "to the same three e = 3 keys.",
  2048,
  1024,
  4096,
  0,
};

enum {
  RECIPIENTS = 3,
  HLEN = 32 /* SHA-256 */
};

typedef struct world {
  kl_rsa_priv key[RECIPIENTS];
  kl_rsa_pub pub[RECIPIENTS];
  uint8_t M[KL_RSA_MAX_BITS / 8];
  size_t mLen;
} world;

/* The secret: readable text, then random hex digits to the length OAEP
 * allows for the smallest modulus (k - 2hLen - 2), the same for both runs. */
static kl_err make_message(world *w, const kl_rng *rng)
{
  static const char head[] = "hastad lab secret, the vault code: ";
  size_t k = kl_rsa_modulus_len(w->pub[0].n);
  for (int i = 1; i < RECIPIENTS; i++) {
    size_t ki = kl_rsa_modulus_len(w->pub[i].n);
    k = ki < k ? ki : k;
  }
  w->mLen = k - 2 * HLEN - 2;
  memcpy(w->M, head, sizeof head - 1);
  uint8_t r[KL_RSA_MAX_BITS / 8];
  kl_err err = kl_rng_fill(rng, r, w->mLen);
  for (size_t i = sizeof head - 1; err == KL_OK && i < w->mLen; i++)
    w->M[i] = (uint8_t) "0123456789abcdef"[r[i] & 15];
  kl_wipe(r, sizeof r);
  return err;
}

/* The attack on three ciphertexts (integers). x = sum c_i N_i (N_i^-1 mod
 * n_i) mod N, then m = cube root of x if exact. Returns 1 with M_out set
 * when x is a perfect cube; *ops counts the big-number operations
 * (inverses and the root). */
static int combine(ark *a, world *w, mpz_t c[RECIPIENTS], uint8_t *M_out, size_t *M_len,
                   unsigned long *ops)
{
  int found = 0;
  mpz_t N, Ni, inv, x, t, m;
  mpz_inits(N, Ni, inv, x, t, m, NULL);
  *ops = 0;
  mpz_set_ui(N, 1);
  for (int i = 0; i < RECIPIENTS; i++) {
    /* The moduli must be coprime; if two shared a factor, gcd would factor
     * both (a different attack). kexlab's keys never do. */
    mpz_gcd(t, N, w->pub[i].n);
    if (mpz_cmp_ui(t, 1) != 0)
      goto out;
    mpz_mul(N, N, w->pub[i].n);
  }
  mpz_set_ui(x, 0);
  for (int i = 0; i < RECIPIENTS; i++) {
    mpz_divexact(Ni, N, w->pub[i].n);
    if (kl_modinv(inv, Ni, w->pub[i].n, NULL) != KL_OK)
      goto out;
    (*ops)++;
    mpz_mul(t, c[i], Ni);
    mpz_mul(t, t, inv);
    mpz_add(x, x, t);
  }
  mpz_mod(x, x, N);
  ark_step(a,
           "CRT: x = sum of c_i * N_i * (N_i^-1 mod n_i) mod N, N = n_1*n_2*n_3 "
           "(%zu bits): x = c_i (mod n_i) for i = 1, 2, 3",
           mpz_sizeinbase(N, 2));
  ark_int(a, "x", x);
  int exact = mpz_root(m, x, 3);
  (*ops)++;
  ark_step(a, "integer cube root of x: %s",
           exact ? "exact: x = m^3 over the integers" : "not exact: x is no cube");
  if (exact && mpz_sizeinbase(m, 256) <= w->mLen) {
    *M_len = w->mLen;
    found = kl_i2osp(M_out, *M_len, m) == KL_OK;
  }
out:
  mpz_clears(N, Ni, inv, x, t, m, NULL);
  return found;
}

/* The cube root of one ciphertext alone: exact only if m^3 < n. */
static void one_is_not_enough(ark *a, const mpz_t c)
{
  mpz_t m;
  mpz_init(m);
  int exact = mpz_root(m, c, 3);
  ark_step(a, "one ciphertext alone: cube root of c_1 %s (m^3 has wrapped around n_1)",
           exact ? "is exact" : "is not exact");
  mpz_clear(m);
}

static void show_text(ark *a, const char *what, const uint8_t *M, size_t len)
{
  char text[96];
  size_t n = len < sizeof text - 4 ? len : sizeof text - 4;
  for (size_t i = 0; i < n; i++)
    text[i] = (M[i] >= 0x20 && M[i] < 0x7f) ? (char)M[i] : '.';
  strcpy(text + n, len > n ? "..." : "");
  ark_step(a, "%s \"%s\" (%zu octets)", what, text, len);
}

static int run_weak(ark *a, world *w)
{
  ark_run_begin(a, "weak",
                "textbook RSA (m^e mod n, no padding), e = 3, the same "
                "message to three recipients");
  int recovered = -1;
  mpz_t m, c[RECIPIENTS];
  mpz_init(m);
  for (int i = 0; i < RECIPIENTS; i++)
    mpz_init(c[i]);
  ark_step(a, "three recipients, three %u-bit keys with e = 3 (kexlab's generator)", a->bits);
  show_text(a, "the sender's message:", w->M, w->mLen);
  kl_os2ip(m, w->M, w->mLen);
  ark_int(a, "m", m);
  for (int i = 0; i < RECIPIENTS; i++) {
    if (kl_rsa_public(&w->pub[i], c[i], m) != KL_OK)
      goto out;
  }
  ark_step(a, "c_i = m^3 mod n_i, sent to each recipient; the attacker records c_1, c_2, c_3");
  ark_int(a, "n_1", w->pub[0].n);
  ark_int(a, "n_2", w->pub[1].n);
  ark_int(a, "n_3", w->pub[2].n);
  ark_int(a, "c_1", c[0]);
  ark_int(a, "c_2", c[1]);
  ark_int(a, "c_3", c[2]);
  one_is_not_enough(a, c[0]);
  uint8_t M[KL_RSA_MAX_BITS / 8];
  size_t len = 0;
  unsigned long ops = 0;
  int found = combine(a, w, c, M, &len, &ops);
  recovered = found && len == w->mLen && memcmp(M, w->M, len) == 0;
  if (found)
    show_text(a, "the attacker reads", M, len);
  ark_step(a, "the same as the sender's message: %s", recovered ? "yes" : "no");
  kl_wipe(M, sizeof M);
  ark_run_end(a, ops, "big-number operations (3 modular inverses, 1 cube root)", recovered);
out:
  mpz_clear(m);
  for (int i = 0; i < RECIPIENTS; i++)
    mpz_clear(c[i]);
  return recovered;
}

static int run_normal(ark *a, world *w)
{
  ark_run_begin(a, "normal",
                "RSA-OAEP (SHA-256, MGF1-SHA-256), e = 3, the same message "
                "to the same three recipients");
  int recovered = -1;
  kl_oaep_params params = {KL_HASH_SHA256, KL_HASH_SHA256, NULL, 0};
  uint8_t C[KL_RSA_MAX_BITS / 8], M[KL_RSA_MAX_BITS / 8];
  mpz_t c[RECIPIENTS];
  for (int i = 0; i < RECIPIENTS; i++)
    mpz_init(c[i]);
  for (int i = 0; i < RECIPIENTS; i++) {
    size_t clen = sizeof C;
    kl_err err = kl_rsa_oaep_encrypt(&w->pub[i], &params, &a->rng, NULL, C, &clen, w->M, w->mLen);
    if (err != KL_OK) {
      cli_error(a->cmd, "OAEP encryption: %s", kl_strerror(err));
      goto out;
    }
    kl_os2ip(c[i], C, clen);
    if (i == 0) {
      /* The recipient still reads it: the normal configuration works. */
      size_t mlen = sizeof M;
      err = kl_rsa_oaep_decrypt(&w->key[0], &params, &a->rng, NULL, M, &mlen, C, clen);
      if (err != KL_OK || mlen != w->mLen || memcmp(M, w->M, mlen) != 0) {
        cli_error(a->cmd, "OAEP decryption by recipient 1 failed");
        goto out;
      }
    }
  }
  ark_step(a, "c_i = (EME-OAEP(M, a fresh random seed))^3 mod n_i: three different encoded "
              "messages; recipient 1 decrypts M as sent");
  ark_int(a, "c_1", c[0]);
  ark_int(a, "c_2", c[1]);
  ark_int(a, "c_3", c[2]);
  size_t len = 0;
  unsigned long ops = 0;
  int found = combine(a, w, c, M, &len, &ops);
  recovered = found && len == w->mLen && memcmp(M, w->M, len) == 0;
  ark_step(a, "%s",
           recovered ? "the attacker reads the message"
                     : "no common m^3 behind the three ciphertexts: the attacker "
                       "learns nothing");
  kl_wipe(M, sizeof M);
  ark_run_end(a, ops, "big-number operations (3 modular inverses, 1 cube root)", recovered);
out:
  for (int i = 0; i < RECIPIENTS; i++)
    mpz_clear(c[i]);
  return recovered;
}

int attack_hastad(int argc, char **argv)
{
  ark a;
  int rc = ark_start(&a, &spec, argc, argv);
  if (rc >= 0)
    return rc;
  world *w = calloc(1, sizeof *w);
  if (w == NULL) {
    cli_error(a.cmd, "out of memory");
    return ark_finish(&a, 0, 0, KL_EXIT_FAIL);
  }
  mpz_t e;
  mpz_init_set_ui(e, 3);
  for (int i = 0; i < RECIPIENTS; i++) {
    kl_rsa_priv_init(&w->key[i]);
    kl_rsa_pub_init(&w->pub[i]);
  }
  ark_header(&a);
  int failed = 0, weak_ok = -1, normal_ok = -1;
  for (int i = 0; i < RECIPIENTS && !failed; i++) {
    kl_err err = kl_rsa_keygen(&w->key[i], &a.rng, a.bits, e, ark_keygen_flags(a.bits), NULL);
    if (err != KL_OK) {
      cli_error(a.cmd, "key generation: %s", kl_strerror(err));
      failed = KL_EXIT_FAIL;
    } else {
      kl_rsa_priv_to_pub(&w->pub[i], &w->key[i]);
    }
  }
  if (!failed && make_message(w, &a.rng) != KL_OK)
    failed = KL_EXIT_FAIL;
  if (!failed)
    weak_ok = run_weak(&a, w);
  if (weak_ok >= 0)
    normal_ok = run_normal(&a, w);
  if (weak_ok < 0 || normal_ok < 0)
    failed = KL_EXIT_FAIL;
  for (int i = 0; i < RECIPIENTS; i++) {
    kl_rsa_priv_clear(&w->key[i]);
    kl_rsa_pub_clear(&w->pub[i]);
  }
  mpz_clear(e);
  kl_wipe(w, sizeof *w);
  free(w);
  return ark_finish(&a, weak_ok == 1, normal_ok == 1, failed);
}
