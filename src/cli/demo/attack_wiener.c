/* attack_wiener.c: `kexlab demo attack wiener`: Wiener's attack on a short
 * private exponent (M. J. Wiener, "Cryptanalysis of short RSA secret
 * exponents", IEEE Trans. Inf. Theory 36(3), 1990).
 * Symbols: n, e, d, p, q, phi = (p-1)(q-1); k with e*d - k*phi = 1;
 * a_i the partial quotients of e/n, h_i/k_i its convergents.
 *
 * Why it works: e*d = 1 + k*phi, so e/phi - k/d = 1/(d*phi), tiny. phi is
 * n - (p + q) + 1, close to n, so k/d is also very close to e/n: when
 * d < n^(1/4)/3 it is so close (|e/n - k/d| < 1/(2d^2)) that Legendre's
 * theorem makes k/d one of the convergents of the continued fraction of
 * e/n. For each convergent h/k' the attacker guesses phi = (e*k' - 1)/h;
 * with phi, p + q = n - phi + 1, and p, q are the roots of
 * x^2 - (p+q)x + n: an integer square root tells whether the guess is right.
 *
 * Weak: a lab key generation here (never in the library) with 81*d^4 < n.
 * Normal: a key from kl_rsa_keygen (d > 2^(nlen/2), FIPS 186-5 §A.1.1), and
 * the weak key read back from its PEM encoding, where the checks of
 * `kexlab rsa check` refuse it. */
#include <string.h>

#include "attack_rsa.h"

static const ark_spec spec = {
  "wiener",
  "a short private exponent falls to the continued fraction of e/n",
  "M. J. Wiener, Cryptanalysis of short RSA secret exponents, IEEE Trans. "
  "Inf. Theory 36(3), 1990",
  "Weak: a lab-only key generation with d < n^(1/4)/3. Normal: a key from\n"
  "kexlab's generator (d > 2^(nlen/2)), and `rsa check` refusing the weak key.",
  2048,
  512,
  4096,
  ARK_KEY_OUT,
};

/* The lab key generation (weak on purpose): p, q random primes of nlen/2
 * bits, d a random number of nlen/4 - 2 bits coprime to phi, so that
 * 81*d^4 < 81*2^(nlen-8) < 2^(nlen-1) <= n, and e = d^-1 mod phi. */
static kl_err weak_key(kl_rsa_priv *key, const kl_rng *rng, unsigned nlen)
{
  mpz_t p, q, phi, d, e, g, t;
  mpz_inits(p, q, phi, d, e, g, t, NULL);
  kl_err err = kl_prime_random(p, rng, nlen / 2, NULL, NULL);
  if (err == KL_OK)
    err = kl_prime_random(q, rng, nlen / 2, NULL, NULL);
  if (err == KL_OK && mpz_cmp(p, q) == 0)
    err = KL_ERR_RNG;
  if (err != KL_OK)
    goto out;
  mpz_sub_ui(t, p, 1);
  mpz_sub_ui(phi, q, 1);
  mpz_mul(phi, phi, t);
  do {
    err = ark_random_bits(d, rng, nlen / 4 - 2);
    if (err != KL_OK)
      goto out;
    mpz_setbit(d, 0);
    mpz_gcd(g, d, phi);
  } while (mpz_cmp_ui(g, 1) != 0);
  err = kl_modinv(e, d, phi, NULL);
  /* From p, q, e with d reduced mod phi: d comes back as drawn. */
  if (err == KL_OK)
    err = kl_rsa_priv_from_pqe(key, p, q, e, KL_RSA_KEYGEN_PHI, NULL);
  if (err == KL_OK && mpz_cmp(key->d, d) != 0)
    err = KL_ERR_INTERNAL;
out:
  mpz_clears(p, q, phi, d, e, g, t, NULL);
  return err;
}

/* The attack, on (n, e) alone. Returns 1 with d, p, q set when a convergent
 * gives a factorisation of n; *tried counts the convergents tested. */
static int wiener(ark *a, const mpz_t n, const mpz_t e, mpz_t d, mpz_t p, mpz_t q,
                  unsigned long *tried)
{
  int found = 0;
  mpz_t num, den, ai, r, h, h1, h2, k, k1, k2, t, phi, s, disc;
  mpz_inits(num, den, ai, r, h, h1, h2, k, k1, k2, t, phi, s, disc, NULL);
  mpz_set(num, e);
  mpz_set(den, n);
  /* h_{-1} = 1, h_{-2} = 0; k_{-1} = 0, k_{-2} = 1. */
  mpz_set_ui(h1, 1);
  mpz_set_ui(h2, 0);
  mpz_set_ui(k1, 0);
  mpz_set_ui(k2, 1);
  char quotients[256] = "";
  size_t ql = 0;
  *tried = 0;
  unsigned i;
  for (i = 0; mpz_sgn(den) != 0; i++) {
    /* a_i = floor(num/den); (num, den) = (den, num mod den). */
    mpz_fdiv_qr(ai, r, num, den);
    mpz_set(num, den);
    mpz_set(den, r);
    /* The first quotients, for the reader; a huge one by its size. */
    const char *sep = i == 0 ? "" : i == 1 ? "; " : ", ";
    if (i < 8 && mpz_sizeinbase(ai, 10) > 12)
      ql += (size_t)snprintf(quotients + ql, sizeof quotients - ql, "%s(%zu digits)", sep,
                             mpz_sizeinbase(ai, 10));
    else if (i < 8)
      ql += (size_t)gmp_snprintf(quotients + ql, sizeof quotients - ql, "%s%Zd", sep, ai);
    /* h_i = a_i h_{i-1} + h_{i-2}, k_i likewise: the convergent h_i/k_i. */
    mpz_mul(h, ai, h1);
    mpz_add(h, h, h2);
    mpz_mul(k, ai, k1);
    mpz_add(k, k, k2);
    mpz_set(h2, h1);
    mpz_set(h1, h);
    mpz_set(k2, k1);
    mpz_set(k1, k);
    if (mpz_sgn(h) == 0)
      continue;
    (*tried)++;
    /* Guess: k = h_i, d = k_i; phi = (e*d - 1)/k must be an integer. */
    mpz_mul(t, e, k);
    mpz_sub_ui(t, t, 1);
    if (!mpz_divisible_p(t, h))
      continue;
    mpz_divexact(phi, t, h);
    /* p + q = n - phi + 1; (p - q)^2 = (p + q)^2 - 4n must be a square. */
    mpz_sub(s, n, phi);
    mpz_add_ui(s, s, 1);
    mpz_mul(disc, s, s);
    mpz_submul_ui(disc, n, 4);
    if (mpz_sgn(disc) < 0 || !mpz_perfect_square_p(disc))
      continue;
    mpz_sqrt(t, disc);
    mpz_add(p, s, t);
    mpz_fdiv_q_2exp(p, p, 1);
    mpz_sub(q, s, t);
    mpz_fdiv_q_2exp(q, q, 1);
    mpz_mul(t, p, q);
    if (mpz_cmp(t, n) != 0)
      continue;
    mpz_set(d, k);
    found = 1;
    break;
  }
  ark_step(a, "continued fraction of e/n = [%s%s]: %lu convergent%s tried%s", quotients,
           i > 8 || mpz_sgn(den) != 0 ? ", ..." : "", *tried, *tried == 1 ? "" : "s",
           found ? "" : ", every one of them");
  if (found)
    ark_step(a,
             "convergent %lu: k/d with k of %zu bits, d of %zu bits: phi = (e*d - 1)/k is "
             "an integer and (n - phi + 1)^2 - 4n a perfect square",
             *tried, mpz_sizeinbase(h, 2), mpz_sizeinbase(d, 2));
  mpz_clears(num, den, ai, r, h, h1, h2, k, k1, k2, t, phi, s, disc, NULL);
  return found;
}

/* m^(e*d) = m (mod n) for m = 2: the recovered d works as a private key. */
static int d_works(const mpz_t n, const mpz_t e, const mpz_t d)
{
  mpz_t m, c;
  mpz_init_set_ui(m, 2);
  mpz_init(c);
  mpz_powm(c, m, e, n);
  mpz_powm(c, c, d, n);
  int ok = mpz_cmp(c, m) == 0;
  mpz_clears(m, c, NULL);
  return ok;
}

/* Weak run: returns 1 when d was recovered, -1 on a demo error. */
static int run_weak(ark *a, kl_rsa_priv *weak)
{
  ark_run_begin(a, "weak", "lab key generation: d < n^(1/4)/3 (81*d^4 < n)");
  kl_err err = weak_key(weak, &a->rng, a->bits);
  if (err != KL_OK) {
    cli_error(a->cmd, "lab key generation: %s", kl_strerror(err));
    return -1;
  }
  ark_step(a,
           "lab key generation: p, q of %u bits, d random of %zu bits coprime to phi, "
           "e = d^-1 mod phi(n)",
           a->bits / 2, mpz_sizeinbase(weak->d, 2));
  ark_int(a, "n", weak->n);
  ark_int(a, "e", weak->e);
  ark_int(a, "d", weak->d);
  ark_step(a,
           "the attacker knows (n, e) only; e has %zu bits, as large as n: the sign of a "
           "small d",
           mpz_sizeinbase(weak->e, 2));
  mpz_t d, p, q;
  mpz_inits(d, p, q, NULL);
  unsigned long tried = 0;
  int found = wiener(a, weak->n, weak->e, d, p, q, &tried);
  int recovered = 0;
  if (found) {
    ark_int(a, "recovered_d", d);
    ark_int(a, "recovered_p", p);
    ark_int(a, "recovered_q", q);
    int works = d_works(weak->n, weak->e, d);
    recovered = works && mpz_cmp(d, weak->d) == 0;
    ark_step(a, "n = p*q factored; (2^e)^d mod n = 2: %s; d is the key's d: %s",
             works ? "yes" : "no", mpz_cmp(d, weak->d) == 0 ? "yes" : "no");
  } else {
    ark_step(a, "no convergent gave phi(n)");
  }
  ark_run_end(a, tried, "convergents tried", recovered);
  mpz_clears(d, p, q, NULL);
  return recovered;
}

/* The weak key as a file would bring it: encoded as PKCS#1 PEM, read back,
 * and checked as `kexlab rsa check` checks it. Returns 1 when refused. */
static int check_refuses(ark *a, const kl_rsa_priv *weak)
{
  int refused = -1;
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  kl_rsa_check_report rep;
  if (ark_read_back(a, weak, &kf, &rep) != KL_OK)
    goto out;
  /* rsa check's "wiener" safety check: d is found when 81*d^4 < n. */
  mpz_t t;
  mpz_init(t);
  mpz_pow_ui(t, kf.priv.d, 4);
  mpz_mul_ui(t, t, 81);
  int wiener_bound = mpz_cmp(t, kf.priv.n) < 0;
  mpz_clear(t);
  int d_size_fails = rep.status[KL_RSA_CHECK_D_SIZE] == KL_RSA_CHECK_FAIL;
  ark_step(a,
           "the weak key saved as PKCS#1 PEM and read back: rsa check's wiener test "
           "81*d^4 >= n %s (d has %u bits), and FIPS 186-5 A.1.1's d > 2^(nlen/2) %s",
           wiener_bound ? "FAILS" : "passes", rep.d_bits, d_size_fails ? "fails" : "passes");
  refused = wiener_bound && d_size_fails;
  ark_step(a, "%s",
           refused ? "`kexlab rsa check` refuses such a key (exit 1: do NOT use it)"
                   : "the checks did not refuse the key");
  ark_flag(a, "rsa_check_refuses", refused);
out:
  kl_rsa_keyfile_clear(&kf);
  return refused;
}

/* Normal run: returns 1 when the attack recovered anything (it must not). */
static int run_normal(ark *a, const kl_rsa_priv *weak)
{
  ark_run_begin(a, "normal", "keys from `rsa keygen` (d > 2^(nlen/2)); `rsa check` on loaded keys");
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  int recovered = -1;
  mpz_t d, p, q;
  mpz_inits(d, p, q, NULL);
  kl_err err = kl_rsa_keygen(&key, &a->rng, a->bits, NULL, ark_keygen_flags(a->bits), NULL);
  if (err != KL_OK) {
    cli_error(a->cmd, "key generation: %s", kl_strerror(err));
    goto out;
  }
  ark_step(a,
           "kexlab's key generation (FIPS 186-5 A.1.3): e = 65537, d of %zu bits "
           "(A.1.1 regenerates unless d > 2^(nlen/2))",
           mpz_sizeinbase(key.d, 2));
  ark_int(a, "n", key.n);
  ark_int(a, "e", key.e);
  unsigned long tried = 0;
  int found = wiener(a, key.n, key.e, d, p, q, &tried);
  recovered = found && d_works(key.n, key.e, d);
  ark_step(a, "%s",
           recovered ? "a convergent gave d"
                     : "no convergent gives phi(n): d is far "
                       "above n^(1/4), the attack has nothing");
  int refused = check_refuses(a, weak);
  if (refused < 0)
    recovered = -1;
  else if (!refused)
    recovered = 1; /* a weak key that would be accepted: the defence failed */
  if (recovered >= 0)
    ark_run_end(a, tried, "convergents tried", recovered);
out:
  mpz_clears(d, p, q, NULL);
  kl_rsa_priv_clear(&key);
  return recovered;
}

int attack_wiener(int argc, char **argv)
{
  ark a;
  int rc = ark_start(&a, &spec, argc, argv);
  if (rc >= 0)
    return rc;
  kl_rsa_priv weak;
  kl_rsa_priv_init(&weak);
  ark_header(&a);
  int failed = 0, weak_ok = 0, normal_ok = 0;
  weak_ok = run_weak(&a, &weak);
  if (weak_ok >= 0)
    failed = ark_save_weak(&a, &weak);
  if (weak_ok >= 0 && !failed)
    normal_ok = run_normal(&a, &weak);
  if (weak_ok < 0 || normal_ok < 0)
    failed = KL_EXIT_FAIL;
  kl_rsa_priv_clear(&weak);
  return ark_finish(&a, weak_ok == 1, normal_ok == 1, failed);
}
