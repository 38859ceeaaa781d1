/* attack_bellcore.c: `kexlab demo attack bellcore`: a fault in one half of a
 * CRT signature factors n (D. Boneh, R. A. DeMillo, R. J. Lipton, "On the
 * importance of checking cryptographic protocols for faults", EUROCRYPT
 * 1997; the one-signature form: A. K. Lenstra, memo, 1996).
 * Symbols (RFC 8017 §5.2.1, §5.1.2 step 2.b): n, e, d, p, q, dP, dQ, qInv;
 * m the message representative, s the signature, m_1 = m^dP mod p,
 * m_2 = m^dQ mod q, h = (m_1 - m_2) * qInv mod p, s = m_2 + q*h.
 *
 * Why it works: s is built from two halves, one right mod p, one mod q. If
 * a fault spoils the q half only, s is still right mod p: s^e = m (mod p)
 * but not mod q. So p divides s^e - m and q does not: gcd(s^e - m, n) = p.
 * One faulty signature of a known m is enough.
 *
 * The fault: one bit of dQ flipped in the signer's copy of the key (as a
 * Rowhammer attack flips a bit of memory); it spoils m_2 alone, as would a
 * glitch during m_2's exponentiation.
 * Weak: the CRT signature of RFC 8017 written here without its final check
 * (with mpz_powm; never in the library).
 * Normal: the library's kl_rsa_private, which checks s^e = m before it
 * releases s (src/rsa/primitive.c, "The fault check") and returns
 * KL_ERR_INTERNAL instead. Also shown: blinding makes two signatures of the
 * same m go through different intermediate values, and it does NOT stop
 * this attack on its own (the library's teaching flag KL_RSA_NO_VERIFY). */
#include <stdlib.h>
#include <string.h>

#include "attack_rsa.h"
#include "kexlab/pss.h"

static const ark_spec spec = {
  "bellcore",
  "a fault in one half of a CRT signature: gcd(s^e - m, n) = p",
  "D. Boneh, R. A. DeMillo, R. J. Lipton, On the importance of checking "
  "cryptographic protocols for faults, EUROCRYPT 1997; A. K. Lenstra, memo, 1996",
  "Weak: the CRT private operation without its final check, with one bit of\n"
  "dQ flipped. Normal: the library's private operation with the same fault.",
  2048,
  512,
  4096,
  0,
};

/* What the signer signs (its RSASSA-PKCS1-v1_5 encoding: known to all). */
#define MESSAGE "I, the bank, owe the bearer 1000 euros."

/* The lab's CRT signature, RFC 8017 §5.2.1 with §5.1.2 step 2.b, and no
 * check of s^e = m: what the library must never do. */
static void crt_sign_unchecked(mpz_t s, const kl_rsa_priv *k, const mpz_t m)
{
  mpz_t m1, m2, h;
  mpz_inits(m1, m2, h, NULL);
  mpz_powm(m1, m, k->dP, k->p);
  mpz_powm(m2, m, k->dQ, k->q);
  mpz_sub(h, m1, m2);
  mpz_mul(h, h, k->qInv);
  mpz_mod(h, h, k->p);
  mpz_mul(s, k->q, h);
  mpz_add(s, s, m2);
  mpz_clears(m1, m2, h, NULL);
}

/* The attacker's whole computation: g = gcd(s^e - m mod n, n). Returns 1
 * when g is a proper factor of n (stored in p). */
static int factor_from_fault(const kl_rsa_pub *pub, const mpz_t m, const mpz_t s, mpz_t p)
{
  mpz_t t;
  mpz_init(t);
  mpz_powm(t, s, pub->e, pub->n);
  mpz_sub(t, t, m);
  mpz_mod(t, t, pub->n);
  mpz_gcd(p, t, pub->n);
  int ok = mpz_cmp_ui(p, 1) > 0 && mpz_cmp(p, pub->n) < 0;
  mpz_clear(t);
  return ok;
}

/* A copy of key with bit `bit` of dQ flipped: the fault. */
static kl_err faulty_copy(kl_rsa_priv *f, const kl_rsa_priv *key, unsigned bit)
{
  kl_err err = kl_rsa_priv_from_pqe(f, key->p, key->q, key->e, 0, NULL);
  if (err == KL_OK)
    mpz_combit(f->dQ, bit);
  return err;
}

/* What the library's trace shows of one private operation: the first
 * "c_blinded" and "m_2" values, as the tracer hands them over. */
typedef struct seen {
  uint8_t c_blinded[KL_RSA_MAX_BITS / 8], m_2[KL_RSA_MAX_BITS / 8];
  size_t c_len, m2_len;
  int has_c, has_m2;
} seen;

static void watch(void *user, const kl_trace_value *v)
{
  seen *s = user;
  if (v->kind != KL_TRACE_INT || v->len > sizeof s->m_2)
    return;
  if (strcmp(v->label, "c_blinded") == 0 && !s->has_c) {
    memcpy(s->c_blinded, v->bytes, v->len);
    s->c_len = v->len;
    s->has_c = 1;
  } else if (strcmp(v->label, "m_2") == 0 && !s->has_m2) {
    memcpy(s->m_2, v->bytes, v->len);
    s->m2_len = v->len;
    s->has_m2 = 1;
  }
}

typedef struct world {
  kl_rsa_priv key, faulty;
  kl_rsa_pub pub;
  mpz_t m, s, p;
  unsigned bit;
  seen seen1, seen2;
} world;

static int run_weak(ark *a, world *w)
{
  ark_run_begin(a, "weak",
                "the CRT private operation (RFC 8017 5.1.2 step 2.b) without "
                "its final check, one bit of dQ flipped");
  int recovered = 0;
  crt_sign_unchecked(w->s, &w->key, w->m);
  mpz_t t;
  mpz_init(t);
  mpz_powm(t, w->s, w->pub.e, w->pub.n);
  ark_step(a,
           "the signer signs m = EMSA-PKCS1-v1_5(SHA-256, \"%s\"): s = m_2 + q*h from "
           "m_1 = m^dP mod p, m_2 = m^dQ mod q; s^e = m (mod n): %s",
           MESSAGE, mpz_cmp(t, w->m) == 0 ? "yes" : "no");
  mpz_clear(t);
  ark_int(a, "n", w->pub.n);
  ark_int(a, "e", w->pub.e);
  ark_int(a, "m", w->m);
  ark_step(a, "a fault: bit %u of the signer's dQ flips; m_2 is now wrong, m_1 still right",
           w->bit);
  crt_sign_unchecked(w->s, &w->faulty, w->m);
  ark_int(a, "faulty_s", w->s);
  ark_step(a, "the signer releases s without checking it (the lab's CRT has no final check)");
  int found = factor_from_fault(&w->pub, w->m, w->s, w->p);
  ark_step(a, "the attacker, from n, e, m and the faulty s: g = gcd(s^e - m mod n, n) "
              "(1 exponentiation, 1 gcd)");
  if (found) {
    ark_int(a, "recovered_p", w->p);
    recovered = mpz_cmp(w->p, w->key.p) == 0;
    mpz_t q;
    mpz_init(q);
    mpz_divexact(q, w->pub.n, w->p);
    ark_int(a, "recovered_q", q);
    mpz_clear(q);
    ark_step(a, "g has %zu bits and divides n: g = p: %s; n is factored, the key is lost",
             mpz_sizeinbase(w->p, 2), recovered ? "yes" : "no");
  } else {
    ark_step(a, "g = 1 or n: nothing");
  }
  ark_run_end(a, 2, "big-number operations (1 exponentiation, 1 gcd) on 1 faulty signature",
              recovered);
  return recovered;
}

static int differ(const uint8_t *x, size_t xl, const uint8_t *y, size_t yl)
{
  return xl != yl || memcmp(x, y, xl) != 0;
}

/* Two signatures of m with the sound key, traced: blinding changes
 * c_blinded and m_2 every time, and s stays the same. -1: no traces. */
static int blinding_shown(ark *a, world *w)
{
  if (!kl_trace_compiled()) {
    ark_step(a, "blinding: not shown (this build has traces disabled)");
    return -1;
  }
  mpz_t s2;
  mpz_init(s2);
  kl_tracer t1 = {watch, &w->seen1}, t2 = {watch, &w->seen2};
  int r = -1;
  if (kl_rsa_private(&w->key, &a->rng, 0, &t1, w->s, w->m) == KL_OK &&
      kl_rsa_private(&w->key, &a->rng, 0, &t2, s2, w->m) == KL_OK && w->seen1.has_c &&
      w->seen2.has_c && w->seen1.has_m2 && w->seen2.has_m2) {
    int d = differ(w->seen1.c_blinded, w->seen1.c_len, w->seen2.c_blinded, w->seen2.c_len) &&
            differ(w->seen1.m_2, w->seen1.m2_len, w->seen2.m_2, w->seen2.m2_len);
    r = d && mpz_cmp(w->s, s2) == 0;
    ark_step(a,
             "blinding: m signed twice by the library: c_blinded = m*r^e mod n and m_2 "
             "differ between the two (r is fresh), s is the same: %s",
             r ? "yes" : "no");
  }
  mpz_clear(s2);
  kl_wipe(&w->seen1, sizeof w->seen1);
  kl_wipe(&w->seen2, sizeof w->seen2);
  return r;
}

static int run_normal(ark *a, world *w)
{
  ark_run_begin(a, "normal",
                "the library's private operation (CRT, blinded, result checked "
                "with e), the same fault");
  ark_step(a, "the same fault: bit %u of dQ flipped in the key the library is given", w->bit);
  mpz_set_ui(w->s, 0);
  kl_err err = kl_rsa_private(&w->faulty, &a->rng, 0, NULL, w->s, w->m);
  int released = err == KL_OK;
  ark_step(a, "kl_rsa_private: %s",
           released ? "released a signature"
                    : "s^e != m, so it returns an error "
                      "(KL_ERR_INTERNAL) and releases nothing");
  ark_flag(a, "released", released);
  int recovered = released && factor_from_fault(&w->pub, w->m, w->s, w->p);
  if (!released)
    ark_step(a, "the attacker has no faulty s to take a gcd of: nothing");
  int b = blinding_shown(a, w);
  if (b >= 0)
    ark_flag(a, "blinding_changes_intermediates", b);
  else
    ark_flag(a, "blinding_changes_intermediates", 0);
  /* Blinding alone is not the defence: without the check, the library's
   * blinded CRT releases a faulty s that is still right mod p. */
  mpz_t p;
  mpz_init(p);
  int leaks = kl_rsa_private(&w->faulty, &a->rng, KL_RSA_NO_VERIFY, NULL, w->s, w->m) == KL_OK &&
              factor_from_fault(&w->pub, w->m, w->s, p) && mpz_cmp(p, w->key.p) == 0;
  mpz_clear(p);
  ark_step(a,
           "for comparison, the library with blinding but its check switched off "
           "(KL_RSA_NO_VERIFY, a teaching flag): gcd(s^e - m, n) = p: %s. Blinding "
           "hides the intermediate values, not a faulty result: the check is the defence",
           leaks ? "yes" : "no");
  ark_flag(a, "blinding_alone_leaks", leaks);
  ark_run_end(a, released ? 2 : 0,
              "big-number operations (no faulty signature was released to work on)", recovered);
  return recovered;
}

int attack_bellcore(int argc, char **argv)
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
  kl_rsa_priv_init(&w->key);
  kl_rsa_priv_init(&w->faulty);
  kl_rsa_pub_init(&w->pub);
  mpz_inits(w->m, w->s, w->p, NULL);
  ark_header(&a);
  int failed = 0, weak_ok = -1, normal_ok = -1;
  uint8_t EM[KL_RSA_MAX_BITS / 8], r[4];
  kl_err err = kl_rsa_keygen(&w->key, &a.rng, a.bits, NULL, ark_keygen_flags(a.bits), NULL);
  if (err == KL_OK) {
    kl_rsa_priv_to_pub(&w->pub, &w->key);
    size_t k = kl_rsa_modulus_len(w->pub.n);
    err = kl_rsa_pkcs1v15_encode(KL_HASH_SHA256, EM, k, (const uint8_t *)MESSAGE, strlen(MESSAGE));
    if (err == KL_OK)
      kl_os2ip(w->m, EM, k);
  }
  /* Which bit of dQ flips: a random one below the top bit of q. */
  if (err == KL_OK)
    err = kl_rng_fill(&a.rng, r, sizeof r);
  if (err == KL_OK) {
    unsigned long v = ((unsigned long)r[0] << 24) | ((unsigned long)r[1] << 16) |
                      ((unsigned long)r[2] << 8) | r[3];
    w->bit = (unsigned)(v % (mpz_sizeinbase(w->key.q, 2) - 1));
    err = faulty_copy(&w->faulty, &w->key, w->bit);
  }
  if (err != KL_OK) {
    cli_error(a.cmd, "setting up: %s", kl_strerror(err));
    failed = KL_EXIT_FAIL;
  }
  if (!failed)
    weak_ok = run_weak(&a, w);
  if (weak_ok >= 0)
    normal_ok = run_normal(&a, w);
  if (weak_ok < 0 || normal_ok < 0)
    failed = KL_EXIT_FAIL;
  kl_rsa_priv_clear(&w->key);
  kl_rsa_priv_clear(&w->faulty);
  kl_rsa_pub_clear(&w->pub);
  mpz_clears(w->m, w->s, w->p, NULL);
  kl_wipe(w, sizeof *w);
  free(w);
  return ark_finish(&a, weak_ok == 1, normal_ok == 1, failed);
}
