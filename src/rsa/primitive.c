/* primitive.c: the raw RSA operations, RFC 8017 §5.1.1 RSAEP (= §5.2.2 RSAVP1)
 * and §5.1.2 RSADP (= §5.2.1 RSASP1), with the CRT of step 2.b (Garner's
 * recombination, for two primes and for the multi-prime keys of §3.2),
 * blinding, and the fault check "c == m^e mod n".
 * Fast path: every private-key computation runs on GMP's side-channel-silent
 * mpn_sec_* functions (and mpn_addmul_1, mpn_cnd_sub_n in the Montgomery
 * multiplication below) at sizes fixed by the key (limb counts of n and of
 * the primes), so neither branches nor memory addresses depend on the
 * private values.
 * Symbols (RFC 8017): n, e, d, p, q, dP, dQ, qInv, r_i, d_i, t_i, c, m, m_i,
 * h, R; u (number of primes); r (the blinding factor), s, t = r*s (its
 * blinded inverse), A = r^e, Ai = r^-1 (the blinding pair), N, P, Q, L_i
 * (limb counts).
 * Timing: public op: mpz_powm (all inputs public). Private op: constant-time
 * in d, the primes, their exponents and coefficients and in the blinding r,
 * s (tests/ct/ct_rsa.c checks it under valgrind); the one variable-time
 * step inverts t = r*s, which is independent of every secret. Cost: about
 * 95 % the mpn_sec_powm calls of the CRT (callgrind, 2048 bits; docs/rsa.md
 * "Where the time goes").
 * See also docs/rsa.md "CRT", "Blinding", "Why constant time". */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/rsa.h"
#include "rsa/rsa_internal.h"

kl_err kl_rsa_public(const kl_rsa_pub *pub, mpz_t c, const mpz_t m)
{
  if (pub == NULL || c == NULL || m == NULL)
    return KL_ERR_ARG;
  if (mpz_cmp_ui(pub->n, 3) < 0 || mpz_sgn(pub->e) <= 0)
    return KL_ERR_ARG;
  /* §5.1.1 step 1: m must be between 0 and n - 1. */
  if (mpz_sgn(m) < 0 || mpz_cmp(m, pub->n) >= 0)
    return KL_ERR_RANGE;
  /* §5.1.1 step 2: c = m^e mod n. Everything here is public. */
  mpz_powm(c, m, pub->e, pub->n);
  return KL_OK;
}

/* Copy x into dst[0..len) zero-padded. The caller checked mpz_size(x) <= len.
 * Only the size field of x is looked at, never a limb value. */
static void limbs_from_mpz(mp_limb_t *dst, mp_size_t len, const mpz_t x)
{
  mp_size_t xs = (mp_size_t)mpz_size(x);
  if (xs > 0)
    memcpy(dst, mpz_limbs_read(x), (size_t)xs * sizeof(mp_limb_t));
  memset(dst + xs, 0, (size_t)(len - xs) * sizeof(mp_limb_t));
}

static void mpz_from_limbs(mpz_t x, const mp_limb_t *src, mp_size_t len)
{
  mp_limb_t *xp = mpz_limbs_write(x, len);
  memcpy(xp, src, (size_t)len * sizeof(mp_limb_t));
  mpz_limbs_finish(x, len);
}

/* Trace a limb vector as an integer (demos only: tracing a secret is a choice
 * the caller made; mpz_roinit_n reads the limbs, which is not constant-time). */
static void trace_limbs(const kl_tracer *tr, const char *label, const mp_limb_t *xp, mp_size_t n)
{
  if (!KL_TRACING(tr))
    return;
  mpz_t view;
  kl_trace_mpz(tr, label, -1, mpz_roinit_n(view, xp, n));
}

static mp_size_t max_size(mp_size_t a, mp_size_t b)
{
  return a > b ? a : b;
}

/* One further prime of a multi-prime key, as fixed-size limb vectors. */
typedef struct sec_prime {
  mp_size_t L;          /* limbs of r_i */
  mp_bitcnt_t bits;     /* bit length of r_i (the exponent's fixed bit count) */
  mp_limb_t *r, *d, *t; /* r_i, d_i, t_i: L limbs each (secrets) */
} sec_prime;

/* The working memory of one private operation: every vector at a fixed size.
 * One allocation per call (calloc), wiped before it is freed; the GMP scratch
 * size is the largest itch of the calls below, computed once per call. */
typedef struct sec_work {
  mp_size_t N, P, Q, L;            /* limbs of n, p, q; L = max of every prime's limbs */
  mp_size_t U;                     /* limbs of all primes together (P + Q + sum L_i >= N) */
  mp_bitcnt_t nbits, pbits, qbits; /* bit lengths of n, p, q (public: nlen, nlen/u) */
  unsigned n_other;                /* u - 2 */
  sec_prime other[KL_RSA_MAX_PRIMES - 2];
  mp_limb_t *n, *e; /* public: N limbs, E limbs */
  mp_size_t E;
  mp_limb_t ninv;                        /* -n^-1 mod 2^GMP_NUMB_BITS (Montgomery, public) */
  mp_limb_t *R2;                         /* 2^(2 * N * GMP_NUMB_BITS) mod n, N limbs (public) */
  mp_limb_t *c;                          /* the input c, N limbs (public) */
  mp_limb_t *cb;                         /* c (blinded) + n: N + 1 limbs, never zero */
  mp_limb_t *p, *q, *dP, *dQ, *qInv, *d; /* secrets, P/Q/P/Q/P/N limbs */
  mp_limb_t *m1, *m2;                    /* P and Q limbs */
  mp_limb_t *mi;                         /* L limbs: m_i of a further prime */
  mp_limb_t *t1;                         /* U limbs: m_2 mod p, m mod r_i */
  mp_limb_t *h;                          /* 2L limbs: (m_1 - m_2) * qInv, then h */
  mp_limb_t *m;                          /* U limbs: the recombined result */
  mp_limb_t *Rprod;                      /* U limbs: R = r_1 * ... * r_(i-1) */
  mp_limb_t *r, *rinv, *re;              /* blinding: r, r^-1, r^e mod n: N limbs each */
  mp_limb_t *s, *t;                      /* blinding the inversion: s, t = r*s mod n (N limbs) */
  mp_limb_t *A, *Ai; /* the pair in Montgomery form: r^e * 2^(NB), r^-1 * 2^(NB) */
  uint8_t *buf;      /* N limbs' worth of bytes: random octets for r and s */
  mp_limb_t *prod;   /* max(2N, U + L) limbs */
  mp_limb_t *v;      /* N limbs: m^e mod n for the fault check */
  mp_limb_t *x, *y;  /* N limbs each: Montgomery temporaries */
  mp_limb_t *tp;     /* GMP scratch */
  mp_limb_t *all;
  size_t all_limbs;
} sec_work;

static mp_size_t sec_scratch_limbs(const sec_work *w)
{
  mp_size_t N = w->N, P = w->P, Q = w->Q, L = w->L, U = w->U;
  mp_size_t s = mpn_sec_powm_itch(N + 1, w->pbits, P);    /* m_1 */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->qbits, Q)); /* m_2 */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->nbits, N)); /* no CRT */
  s = max_size(s, mpn_sec_mul_itch(N, N));
  s = max_size(s, mpn_sec_sqr_itch(N));
  s = max_size(s, mpn_sec_mul_itch(P, P));
  s = max_size(s, mpn_sec_mul_itch(max_size(P, Q), P < Q ? P : Q));
  s = max_size(s, mpn_sec_div_r_itch(2 * N, N));
  s = max_size(s, mpn_sec_div_r_itch(max_size(P, Q), P));
  s = max_size(s, mpn_sec_div_r_itch(2 * P, P));
  for (unsigned i = 0; i < w->n_other; i++) {
    mp_size_t Li = w->other[i].L;
    s = max_size(s, mpn_sec_powm_itch(N + 1, w->other[i].bits, Li)); /* m_i */
    s = max_size(s, mpn_sec_div_r_itch(U, Li));                      /* m mod r_i */
    s = max_size(s, mpn_sec_mul_itch(Li, Li));                       /* (m_i - m) t_i */
    s = max_size(s, mpn_sec_div_r_itch(2 * Li, Li));
    s = max_size(s, mpn_sec_mul_itch(U, Li)); /* R * h, R * r_i (either order) */
    s = max_size(s, mpn_sec_mul_itch(Li, U));
  }
  (void)L;
  return s;
}

static kl_err sec_work_alloc(sec_work *w, const kl_rsa_priv *key)
{
  memset(w, 0, sizeof *w);
  w->N = (mp_size_t)mpz_size(key->n);
  w->P = (mp_size_t)mpz_size(key->p);
  w->Q = (mp_size_t)mpz_size(key->q);
  w->E = (mp_size_t)mpz_size(key->e);
  w->L = max_size(w->P, w->Q);
  w->U = w->P + w->Q;
  w->n_other = key->n_other;
  if (w->n_other > KL_RSA_MAX_PRIMES - 2)
    return KL_ERR_ARG;
  /* Bit lengths read the top limb only (public: a kexlab key's primes have
   * exactly nlen/u bits; tests/ct/ct_rsa.c leaves the top limbs defined).
   * The exponents dP < p, dQ < q, d_i < r_i, d < n get these fixed bit
   * counts, never their own lengths (mpz_powm_sec would normalise them: a
   * leak). */
  w->nbits = mpz_sizeinbase(key->n, 2);
  w->pbits = mpz_sizeinbase(key->p, 2);
  w->qbits = mpz_sizeinbase(key->q, 2);
  mp_size_t N = w->N, P = w->P, Q = w->Q, E = w->E;
  mp_size_t others = 0;
  for (unsigned i = 0; i < w->n_other; i++) {
    const kl_rsa_prime_info *oi = &key->other[i];
    mp_size_t Li = (mp_size_t)mpz_size(oi->r);
    if (Li == 0 || mpz_even_p(oi->r) || (mp_size_t)mpz_size(oi->d) > Li ||
        (mp_size_t)mpz_size(oi->t) > Li)
      return KL_ERR_ARG;
    w->other[i].L = Li;
    w->other[i].bits = mpz_sizeinbase(oi->r, 2);
    w->L = max_size(w->L, Li);
    w->U += Li;
    others += 3 * Li;
  }
  mp_size_t L = w->L, U = w->U;
  /* Sizes the fixed-size layout relies on (all read from size fields only). */
  if ((mp_size_t)mpz_size(key->d) > N || (mp_size_t)mpz_size(key->dP) > P ||
      (mp_size_t)mpz_size(key->dQ) > Q || (mp_size_t)mpz_size(key->qInv) > P || U < N ||
      mpz_even_p(key->p) || mpz_even_p(key->q))
    return KL_ERR_ARG;
  mp_size_t scratch = sec_scratch_limbs(w);
  mp_size_t prod = max_size(2 * N, U + L);
  size_t total = (size_t)(N + E + N + N + (N + 1) + P + Q + P + Q + P + N + others + P + Q + L + U +
                          2 * L + U + U + 3 * N + 2 * N + 2 * N + N + prod + N + 2 * N + scratch);
  w->all = calloc(total, sizeof(mp_limb_t));
  if (w->all == NULL)
    return KL_ERR_NOMEM;
  w->all_limbs = total;
  mp_limb_t *x = w->all;
#define TAKE(field, count)                                                                         \
  do {                                                                                             \
    w->field = x;                                                                                  \
    x += (count);                                                                                  \
  } while (0)
  TAKE(n, N);
  TAKE(e, E);
  TAKE(R2, N);
  TAKE(c, N);
  TAKE(cb, N + 1);
  TAKE(p, P);
  TAKE(q, Q);
  TAKE(dP, P);
  TAKE(dQ, Q);
  TAKE(qInv, P);
  TAKE(d, N);
  for (unsigned i = 0; i < w->n_other; i++) {
    mp_size_t Li = w->other[i].L;
    TAKE(other[i].r, Li);
    TAKE(other[i].d, Li);
    TAKE(other[i].t, Li);
  }
  TAKE(m1, P);
  TAKE(m2, Q);
  TAKE(mi, L);
  TAKE(t1, U);
  TAKE(h, 2 * L);
  TAKE(m, U);
  TAKE(Rprod, U);
  TAKE(r, N);
  TAKE(rinv, N);
  TAKE(re, N);
  TAKE(s, N);
  TAKE(t, N);
  TAKE(A, N);
  TAKE(Ai, N);
  w->buf = (uint8_t *)x;
  x += N;
  TAKE(prod, prod);
  TAKE(v, N);
  TAKE(x, N);
  TAKE(y, N);
  TAKE(tp, scratch);
#undef TAKE
  limbs_from_mpz(w->n, N, key->n);
  limbs_from_mpz(w->e, E, key->e);
  limbs_from_mpz(w->p, P, key->p);
  limbs_from_mpz(w->q, Q, key->q);
  limbs_from_mpz(w->dP, P, key->dP);
  limbs_from_mpz(w->dQ, Q, key->dQ);
  limbs_from_mpz(w->qInv, P, key->qInv);
  limbs_from_mpz(w->d, N, key->d);
  for (unsigned i = 0; i < w->n_other; i++) {
    limbs_from_mpz(w->other[i].r, w->other[i].L, key->other[i].r);
    limbs_from_mpz(w->other[i].d, w->other[i].L, key->other[i].d);
    limbs_from_mpz(w->other[i].t, w->other[i].L, key->other[i].t);
  }
  /* Montgomery constants of n (public): ninv = -n^-1 mod 2^64 by Newton's
   * iteration (each step doubles the correct low bits: 3, 6, 12, 24, 48,
   * 96), and R2 = (2^(64 N))^2 mod n. */
  mp_limb_t n0 = w->n[0], inv = n0; /* n0 * n0 = 1 mod 8 for odd n0 */
  for (int i = 0; i < 5; i++)
    inv *= 2 - n0 * inv;
  w->ninv = (mp_limb_t)0 - inv;
  mpz_t r2;
  mpz_init(r2);
  mpz_setbit(r2, (mp_bitcnt_t)(2 * N * GMP_NUMB_BITS));
  mpz_mod(r2, r2, key->n);
  limbs_from_mpz(w->R2, N, r2);
  mpz_clear(r2);
  return KL_OK;
}

static void sec_work_free(sec_work *w)
{
  if (w->all != NULL) {
    kl_wipe(w->all, w->all_limbs * sizeof(mp_limb_t));
    free(w->all);
  }
  memset(w, 0, sizeof *w);
}

/* x = a * b mod n, all N limbs (a, b < n). Uses w->prod and w->tp. */
static void mulmod_n(sec_work *w, mp_limb_t *x, const mp_limb_t *a, const mp_limb_t *b)
{
  mpn_sec_mul(w->prod, a, w->N, b, w->N, w->tp);
  mpn_sec_div_r(w->prod, 2 * w->N, w->n, w->N, w->tp);
  memcpy(x, w->prod, (size_t)w->N * sizeof(mp_limb_t));
}

/* Montgomery multiplication (Montgomery 1985): x = a * b * 2^(-64 N) mod n,
 * for a, b < n (N limbs; x may be a or b). The product is reduced one limb
 * at a time: adding u * n with u = T[i] * (-n^-1) mod 2^64 clears limb i,
 * so after N steps T is divisible by 2^(64 N); what is left is < 2n, and
 * one conditional subtraction (mpn_cnd_sub_n: no branch) brings it below n.
 * Example (one 8-bit "limb" for clarity; n = 187, R = 256, -n^-1 mod 256
 * = 13): a = b = 100: T = 10000, u = 10000 * 13 mod 256 = 208,
 * T + 208 * 187 = 48896 = 191 * 256, 191 >= 187 so x = 4; and indeed
 * 4 * 256 = 10000 mod 187.
 * Every step is a fixed sequence of limb operations: constant-time in a, b.
 * Uses w->prod (2N limbs) and w->tp. */
static void montmul(sec_work *w, mp_limb_t *x, const mp_limb_t *a, const mp_limb_t *b)
{
  mp_size_t N = w->N;
  mp_limb_t *T = w->prod;
  if (a == b)
    mpn_sec_sqr(T, a, N, w->tp);
  else
    mpn_sec_mul(T, a, N, b, N, w->tp);
  for (mp_size_t i = 0; i < N; i++) {
    mp_limb_t u = T[i] * w->ninv;
    T[i] = mpn_addmul_1(T + i, w->n, N, u); /* limb i is now 0: keep the carry there */
  }
  mp_limb_t carry = mpn_add_n(x, T + N, T, N);
  /* x + carry * 2^(64N) < 2n: subtract n when carry is set or x >= n. */
  mp_limb_t below = mpn_sub_n(T, x, w->n, N); /* 1 iff x < n */
  mpn_cnd_sub_n(carry | (below ^ 1), x, x, w->n, N);
}

/* x = a^e mod n for the public exponent e, a < n secret (N limbs): the
 * ordinary left-to-right square-and-multiply, whose sequence of squarings
 * and multiplications follows the bits of e (public) and nothing else, on
 * the constant-time Montgomery multiplication above. For e = 65537: 16
 * squarings and one multiplication, no tables (mpn_sec_powm would build a
 * window table and scan it at every step). Uses w->x, w->y, w->prod, w->tp. */
static void powm_public_e(sec_work *w, mp_limb_t *x, const mp_limb_t *a, const mpz_t e)
{
  mp_size_t N = w->N;
  montmul(w, w->x, a, w->R2); /* a * 2^(64N) mod n: Montgomery form */
  memcpy(w->y, w->x, (size_t)N * sizeof(mp_limb_t));
  for (mp_bitcnt_t i = mpz_sizeinbase(e, 2) - 1; i-- > 0;) {
    montmul(w, w->y, w->y, w->y);
    if (mpz_tstbit(e, i)) /* a bit of the public exponent */
      montmul(w, w->y, w->y, w->x);
  }
  memset(w->x, 0, (size_t)N * sizeof(mp_limb_t));
  w->x[0] = 1;
  montmul(w, x, w->y, w->x); /* out of Montgomery form */
}

/* x = a uniformly random integer in [1, n-1] (N limbs), by rejection
 * sampling: k random octets, cut to the bit length of n, kept if 0 < x < n.
 * No branch and no address depends on the candidate's value: the octets go
 * into limbs by shifts, the test is a borrow and an OR; only the one-bit
 * verdict is declassified (a rejected candidate is thrown away, so the
 * verdict says nothing about the accepted one). Uses w->buf and w->prod. */
static kl_err random_below_n(sec_work *w, const kl_rng *rng, mp_limb_t *x)
{
  mp_size_t N = w->N;
  size_t k = (w->nbits + 7) / 8; /* octets of n, RFC 8017 §3.1 */
  unsigned top = (unsigned)(w->nbits % GMP_NUMB_BITS);
  mp_limb_t topmask = top == 0 ? ~(mp_limb_t)0 : ((mp_limb_t)1 << top) - 1;
  for (int tries = 0; tries < 64; tries++) {
    kl_err err = kl_rng_fill(rng, w->buf, k);
    if (err != KL_OK)
      return err;
    /* OS2IP (RFC 8017 §4.2) straight into limbs: octet buf[k-1-i] is bits
     * 8i .. 8i+7 of x. */
    memset(x, 0, (size_t)N * sizeof(mp_limb_t));
    for (size_t i = 0; i < k; i++)
      x[i / sizeof(mp_limb_t)] |= (mp_limb_t)w->buf[k - 1 - i] << (8 * (i % sizeof(mp_limb_t)));
    x[N - 1] &= topmask;
    mp_limb_t below = mpn_sub_n(w->prod, x, w->n, N); /* borrow: 1 iff x < n */
    mp_limb_t any = 0;
    for (mp_size_t i = 0; i < N; i++)
      any |= x[i];
    mp_limb_t nonzero = (any | (0 - any)) >> (GMP_NUMB_BITS - 1);
    mp_limb_t ok = below & nonzero;
    KLI_DECLASSIFY(&ok, sizeof ok); /* the verdict on a candidate is public */
    if (ok)
      return KL_OK;
  }
  return KL_ERR_RNG; /* 64 rejections in a row (each has probability < 1/2): a broken generator */
}

/* A fresh blinding (Kocher 1996 §10; Chaum's blind signatures): a random r
 * in [1, n-1], its inverse r^-1 mod n, and r^e mod n.
 * Why it works: (c * r^e)^d = c^d * r^(ed) = m * r (mod n), so multiplying by
 * r^-1 afterwards gives m, while the exponentiation itself only ever saw
 * c * r^e, a uniformly random value the attacker does not know.
 * The inverse is itself blinded (as BoringSSL's BN_mod_inverse_blinded does;
 * docs/rsa.md "Blinding"): draw a second random s, form t = r * s mod n,
 * invert t with GMP's mpz_invert (NOT constant-time), and get
 * r^-1 = t^-1 * s mod n.
 * Why that is safe: for every r, s -> r*s is a bijection of the units mod n,
 * so t is a uniformly random unit whatever r is. Euclid's running time
 * reveals t, and t reveals nothing about r (or about the key: n is public).
 * Why bother: mpn_sec_invert must run 2*nlen iterations on nlen-bit numbers
 * whatever the input; it was 51% of the whole private operation (callgrind,
 * 2048 bits), more than both CRT exponentiations together.
 * Example (n = 3233): r = 5, s = 7: t = 35, t^-1 = 739 (35*739 = 25865
 * = 8*3233 + 1), r^-1 = 739*7 mod 3233 = 5173 - 3233 = 1940, and indeed
 * 5*1940 = 9700 = 3*3233 + 1.
 * Output: w->r, w->rinv, w->re. */
static kl_err make_blinding(sec_work *w, const kl_rng *rng, const kl_rsa_priv *key)
{
  kl_err err = KL_OK;
  mpz_t tinv, tview;
  mpz_init(tinv);
  for (int tries = 0; tries < 64; tries++) {
    err = random_below_n(w, rng, w->r);
    if (err != KL_OK)
      goto out;
    err = random_below_n(w, rng, w->s);
    if (err != KL_OK)
      goto out;
    mulmod_n(w, w->t, w->r, w->s); /* t = r * s mod n */
    /* t is uniformly random and independent of r: public from here on. */
    KLI_DECLASSIFY(w->t, (size_t)w->N * sizeof(mp_limb_t));
    if (mpz_invert(tinv, mpz_roinit_n(tview, w->t, w->N), key->n) == 0)
      continue; /* gcd(t, n) > 1: r or s a multiple of a prime of n (chance ~2^-1023) */
    limbs_from_mpz(w->rinv, w->N, tinv); /* t^-1 (< n: N limbs) */
    mulmod_n(w, w->rinv, w->rinv, w->s); /* r^-1 = t^-1 * s mod n */
    /* r^e mod n (e public, r secret: the public-exponent ladder on the
     * constant-time Montgomery multiplication). */
    powm_public_e(w, w->re, w->r, key->e);
    err = KL_OK;
    goto out;
  }
  err = KL_ERR_RNG;
out:
  mpz_clear(tinv); /* limbs wiped by kl_init's allocator */
  return err;
}

/* The blinding pair of this operation, into w->A and w->Ai (Montgomery
 * form). With a state and no tracing: under the key's lock, reuse the kept
 * pair squared, (A, Ai) <- (A^2, Ai^2) = ((r^2)^e, (r^2)^-1), or draw a
 * fresh one after KLI_RSA_BLINDING_USES uses or when the key changed (its
 * n or e: a kl_rsa_priv is filled after kl_rsa_priv_init). Traced calls
 * always draw afresh (and show r) and leave the kept pair alone.
 * Why squaring is enough: r^(2^j) for j < 32 is as unknown to an attacker
 * as r (it never sees r, r^e or any blinded value); what blinding defeats
 * is the attacker's choice of the exponentiation's input, and c * r^e still
 * denies it that. A fresh r every 32 uses bounds how long one pair lives.
 * The squarings are two Montgomery multiplications: constant-time in the
 * pair (tests/ct/ct_rsa.c runs 34 operations on one key). */
static kl_err take_blinding(sec_work *w, const kl_rsa_priv *key, const kl_rng *rng,
                            const kl_tracer *tr)
{
  mp_size_t N = w->N;
  size_t bytes = (size_t)N * sizeof(mp_limb_t);
  struct kli_rsa_blinding *b = key->blinding;
  kl_err err;
  if (b == NULL || KL_TRACING(tr)) {
    err = make_blinding(w, rng, key);
    if (err != KL_OK)
      return err;
    montmul(w, w->A, w->re, w->R2);
    montmul(w, w->Ai, w->rinv, w->R2);
    trace_limbs(tr, "r", w->r, N);
    return KL_OK;
  }
  pthread_mutex_lock(&b->lock);
  int fresh = b->A == NULL || b->N != N || b->uses >= KLI_RSA_BLINDING_USES ||
              mpz_cmp(b->n, key->n) != 0 || mpz_cmp(b->e, key->e) != 0;
  if (fresh) {
    if (b->A == NULL || b->N != N) {
      kli_rsa_blinding_drop_pair(b);
      b->A = malloc(2 * bytes);
      if (b->A == NULL) {
        err = KL_ERR_NOMEM;
        goto out;
      }
      b->Ai = b->A + N;
      b->N = N;
    }
    err = make_blinding(w, rng, key);
    if (err != KL_OK) {
      kli_rsa_blinding_drop_pair(b);
      goto out;
    }
    montmul(w, b->A, w->re, w->R2); /* r^e * 2^(64N): Montgomery form */
    montmul(w, b->Ai, w->rinv, w->R2);
    mpz_set(b->n, key->n);
    mpz_set(b->e, key->e);
    b->uses = 0;
  } else {
    /* In Montgomery form, montmul(A, A) = A^2 * 2^(64N): the square of r^e,
     * still in Montgomery form. */
    montmul(w, b->A, b->A, b->A);
    montmul(w, b->Ai, b->Ai, b->Ai);
  }
  b->uses++;
  memcpy(w->A, b->A, bytes);
  memcpy(w->Ai, b->Ai, bytes);
  err = KL_OK;
out:
  pthread_mutex_unlock(&b->lock);
  return err;
}

/* RFC 8017 §5.1.2 step 2.b, the CRT with u = 2 primes (Garner's formula):
 *   m_1 = c^dP mod p,  m_2 = c^dQ mod q,
 *   h = (m_1 - m_2) * qInv mod p,  m = m_2 + q * h.
 * Why it works: m = m_2 + q*h is = m_2 = c^d (mod q) because q*h = 0 there,
 * and mod p it is m_2 + q*(m_1 - m_2)*q^-1 = m_1 = c^d (mod p). Fermat lets
 * the exponents shrink to dP = d mod (p-1), dQ = d mod (q-1). And
 * 0 <= m_2 < q, 0 <= h < p, so 0 <= m <= (q-1) + q(p-1) = n - 1: m is already
 * reduced, with no final division.
 * Example (n = 3233, c = 2790, no blinding): m_1 = 2790^53 mod 61 = 4,
 *   m_2 = 2790^49 mod 53 = 12, h = 38 * (4 - 12) mod 61 = 1,
 *   m = 12 + 53 * 1 = 65.
 * Input w->cb = c + n (same residues as c, never zero, as mpn_sec_powm asks).
 * Output w->m (P + Q limbs, value < p * q). */
static void crt(sec_work *w, const kl_tracer *tr)
{
  mp_size_t P = w->P, Q = w->Q, L = max_size(P, Q);
  /* step 2.b.i: m_1 = c^dP mod p, m_2 = c^dQ mod q (exponent bit counts fixed
   * to the primes' bit lengths, never to the exponents' real lengths). */
  mpn_sec_powm(w->m1, w->cb, w->N + 1, w->dP, w->pbits, w->p, P, w->tp);
  mpn_sec_powm(w->m2, w->cb, w->N + 1, w->dQ, w->qbits, w->q, Q, w->tp);
  trace_limbs(tr, "m_1", w->m1, P);
  trace_limbs(tr, "m_2", w->m2, Q);
  /* step 2.b.iii: h = (m_1 - m_2) * qInv mod p. First t1 = m_2 mod p. */
  memset(w->t1, 0, (size_t)L * sizeof(mp_limb_t));
  memcpy(w->t1, w->m2, (size_t)Q * sizeof(mp_limb_t));
  mpn_sec_div_r(w->t1, L, w->p, P, w->tp);
  /* m_1 - (m_2 mod p) lies in (-p, p): add p back when it borrowed. */
  mp_limb_t borrow = mpn_sub_n(w->h, w->m1, w->t1, P);
  mpn_cnd_add_n(borrow, w->h, w->h, w->p, P);
  memcpy(w->t1, w->h, (size_t)P * sizeof(mp_limb_t));
  mpn_sec_mul(w->h, w->t1, P, w->qInv, P, w->tp); /* 2P limbs */
  mpn_sec_div_r(w->h, 2 * P, w->p, P, w->tp);     /* h in the low P limbs */
  trace_limbs(tr, "h", w->h, P);
  /* step 2.b.iv: m = m_2 + q * h (P + Q limbs; the sum cannot carry out). */
  if (Q >= P)
    mpn_sec_mul(w->m, w->q, Q, w->h, P, w->tp);
  else
    mpn_sec_mul(w->m, w->h, P, w->q, Q, w->tp);
  memset(w->prod, 0, (size_t)(P + Q) * sizeof(mp_limb_t));
  memcpy(w->prod, w->m2, (size_t)Q * sizeof(mp_limb_t));
  (void)mpn_add_n(w->m, w->m, w->prod, P + Q);
}

/* a * b into the S + T limbs of out, whichever operand is longer (mpn_sec_mul
 * wants the longer first). Sizes are public. */
static void sec_mul_any(sec_work *w, mp_limb_t *out, const mp_limb_t *a, mp_size_t S,
                        const mp_limb_t *b, mp_size_t T)
{
  if (S >= T)
    mpn_sec_mul(out, a, S, b, T, w->tp);
  else
    mpn_sec_mul(out, b, T, a, S, w->tp);
}

static const char *const m_labels[KL_RSA_MAX_PRIMES - 2] = {"m_3", "m_4", "m_5"};
static const char *const h_labels[KL_RSA_MAX_PRIMES - 2] = {"h_3", "h_4", "h_5"};

/* RFC 8017 §5.1.2 step 2.b.v, for i = 3 .. u (multi-prime keys), after
 * crt() left m = c^d mod (p * q):
 *   m_i = c^d_i mod r_i,  R = r_1 * r_2 * ... * r_(i-1),
 *   h = (m_i - m) * t_i mod r_i,  m = m + R * h.
 * Why it works: mod R, m + R*h = m (already c^d mod each of r_1 .. r_(i-1));
 * mod r_i, m + R*(m_i - m)*R^-1 = m_i (t_i is R^-1 mod r_i). And
 * m + R*h <= (R - 1) + R*(r_i - 1) = R*r_i - 1: reduced again.
 * Example (n = 3 * 5 * 7 = 105, c = 2, d = 5: e = 5, lambda = 12):
 *   m = 2^5 mod 15 = 2, m_3 = 2^(5 mod 6) mod 7 = 4, R = 15,
 *   t_3 = 15^-1 mod 7 = 1, h = (4 - 2) * 1 mod 7 = 2, m = 2 + 15*2 = 32
 *   = 2^5. The sizes grow by L_i limbs per prime; all are public. */
static void crt_more(sec_work *w, const kl_tracer *tr)
{
  mp_size_t S = w->P + w->Q; /* limbs of m and R so far */
  if (w->n_other == 0)
    return;
  /* R = p * q */
  sec_mul_any(w, w->Rprod, w->p, w->P, w->q, w->Q);
  for (unsigned i = 0; i < w->n_other; i++) {
    const sec_prime *ri = &w->other[i];
    mp_size_t Li = ri->L;
    /* step 2.b.v: m_i = c^d_i mod r_i */
    mpn_sec_powm(w->mi, w->cb, w->N + 1, ri->d, ri->bits, ri->r, Li, w->tp);
    trace_limbs(tr, m_labels[i], w->mi, Li);
    /* t1 = m mod r_i (at max(S, Li) limbs, zero-padded) */
    mp_size_t T = max_size(S, Li);
    memset(w->t1, 0, (size_t)T * sizeof(mp_limb_t));
    memcpy(w->t1, w->m, (size_t)S * sizeof(mp_limb_t));
    mpn_sec_div_r(w->t1, T, ri->r, Li, w->tp);
    /* h = (m_i - t1) mod r_i, then * t_i mod r_i */
    mp_limb_t borrow = mpn_sub_n(w->h, w->mi, w->t1, Li);
    mpn_cnd_add_n(borrow, w->h, w->h, ri->r, Li);
    memcpy(w->t1, w->h, (size_t)Li * sizeof(mp_limb_t));
    mpn_sec_mul(w->h, w->t1, Li, ri->t, Li, w->tp);
    mpn_sec_div_r(w->h, 2 * Li, ri->r, Li, w->tp);
    trace_limbs(tr, h_labels[i], w->h, Li);
    /* m = m + R * h (S + Li limbs; no carry out, see above) */
    sec_mul_any(w, w->prod, w->Rprod, S, w->h, Li);
    memset(w->m + S, 0, (size_t)Li * sizeof(mp_limb_t));
    (void)mpn_add_n(w->m, w->m, w->prod, S + Li);
    /* R = R * r_i for the next prime */
    if (i + 1 < w->n_other) {
      sec_mul_any(w, w->prod, w->Rprod, S, ri->r, Li);
      memcpy(w->Rprod, w->prod, (size_t)(S + Li) * sizeof(mp_limb_t));
    }
    S += Li;
  }
}

/* The private operation on limbs: w->c (set by the caller, < n) in, the
 * result m in w->m[0 .. N) out, SECRET (not declassified here). */
static kl_err private_core(sec_work *w, const kl_rsa_priv *key, const kl_rng *rng, unsigned flags,
                           const kl_tracer *tr)
{
  int blind = !(flags & KL_RSA_NO_BLINDING);
  int use_crt = !(flags & KL_RSA_NO_CRT);
  int verify = !(flags & KL_RSA_NO_VERIFY);
  mp_size_t N = w->N;
  kl_err err;

  /* Blind: c' = c * r^e mod n (montmul with A = r^e in Montgomery form). */
  if (blind) {
    err = take_blinding(w, key, rng, tr);
    if (err != KL_OK)
      return err;
    montmul(w, w->cb, w->c, w->A);
    trace_limbs(tr, "c_blinded", w->cb, N);
  } else {
    memcpy(w->cb, w->c, (size_t)N * sizeof(mp_limb_t));
  }
  /* cb = c' + n: same value mod n and mod every prime, and never 0
   * (mpn_sec_powm wants a positive base; c = 0 is a valid input). */
  w->cb[N] = mpn_add_n(w->cb, w->cb, w->n, N);

  if (use_crt) {
    /* §5.1.2 step 2.b: the CRT (Garner), then the further primes. */
    crt(w, tr);
    crt_more(w, tr);
  } else {
    /* §5.1.2 step 2.a: m = c^d mod n, the exponent's bit count fixed to n's. */
    memset(w->m, 0, (size_t)w->U * sizeof(mp_limb_t));
    mpn_sec_powm(w->m, w->cb, N + 1, w->d, w->nbits, w->n, N, w->tp);
  }

  /* Unblind: m = m' * r^-1 mod n. */
  if (blind) {
    trace_limbs(tr, "m_blinded", w->m, N);
    montmul(w, w->m, w->m, w->Ai);
  }

  /* The fault check (Boneh, DeMillo, Lipton 1997): a CRT result computed
   * with one faulty half gives gcd(m^e - c, n) = p. So never release m
   * unless m^e mod n = c. The exponent e is public, so the ordinary
   * square-and-multiply does; m is still secret, so it runs on the
   * constant-time multiplication, and only the verdict is declassified. */
  if (verify) {
    powm_public_e(w, w->v, w->m, key->e);
    mp_limb_t diff = 0;
    for (mp_size_t i = 0; i < N; i++)
      diff |= w->v[i] ^ w->c[i];        /* no early exit: compare every limb */
    KLI_DECLASSIFY(&diff, sizeof diff); /* the verdict is public */
    if (diff != 0)
      return KL_ERR_INTERNAL;
  }
  return KL_OK;
}

/* Checks shared by both entry points: flags, the key's public shape. */
static kl_err check_key(const kl_rsa_priv *key, const kl_rng *rng, unsigned flags)
{
  if ((flags & ~(unsigned)(KL_RSA_NO_CRT | KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY)) != 0)
    return KL_ERR_ARG;
  if (!(flags & KL_RSA_NO_BLINDING) && rng == NULL)
    return KL_ERR_ARG;
  /* The moduli must be odd (Montgomery arithmetic inside mpn_sec_powm) and
   * the key present; these read public sizes and the low bits of n only. */
  if (mpz_cmp_ui(key->n, 3) < 0 || mpz_even_p(key->n) || mpz_sgn(key->e) <= 0 ||
      mpz_size(key->p) == 0 || mpz_size(key->q) == 0)
    return KL_ERR_ARG;
  return KL_OK;
}

kl_err kl_rsa_private(const kl_rsa_priv *key, const kl_rng *rng, unsigned flags,
                      const kl_tracer *tr, mpz_t m, const mpz_t c)
{
  if (key == NULL || m == NULL || c == NULL)
    return KL_ERR_ARG;
  kl_err err = check_key(key, rng, flags);
  if (err != KL_OK)
    return err;
  /* §5.1.2 step 1: c must be between 0 and n - 1. */
  if (mpz_sgn(c) < 0 || mpz_cmp(c, key->n) >= 0)
    return KL_ERR_RANGE;

  sec_work w;
  err = sec_work_alloc(&w, key);
  if (err != KL_OK)
    goto out;
  limbs_from_mpz(w.c, w.N, c);
  err = private_core(&w, key, rng, flags, tr);
  if (err != KL_OK)
    goto out;
  KLI_DECLASSIFY(w.m, (size_t)w.N * sizeof(mp_limb_t)); /* the result is the caller's */
  mpz_from_limbs(m, w.m, w.N);
  if (KL_TRACING(tr))
    kl_trace_mpz(tr, "m", -1, m);
out:
  sec_work_free(&w);
  return err;
}

kl_err kli_rsa_decrypt_primitive_fixed(const kl_rsa_priv *key, const kl_rng *rng, uint8_t *EM,
                                       const uint8_t *C, size_t cLen)
{
  if (key == NULL || EM == NULL || (C == NULL && cLen != 0))
    return KL_ERR_ARG;
  size_t k = kl_rsa_modulus_len(key->n);
  if (k == 0)
    return KL_ERR_ARG;
  memset(EM, 0, k);
  kl_err err = check_key(key, rng, 0);
  if (err != KL_OK)
    return err;
  if (cLen != k)
    return KL_ERR_LEN;
  sec_work w;
  err = sec_work_alloc(&w, key);
  if (err != KL_OK)
    goto out;
  /* §5.1.2 step 1 on public data: c = OS2IP(C) < n. */
  mpz_t c;
  mpz_init(c);
  kl_os2ip(c, C, cLen);
  int in_range = mpz_cmp(c, key->n) < 0;
  if (in_range)
    limbs_from_mpz(w.c, w.N, c);
  mpz_clear(c);
  if (!in_range) {
    err = KL_ERR_RANGE;
    goto out;
  }
  err = private_core(&w, key, rng, 0, NULL);
  if (err != KL_OK)
    goto out;
  /* I2OSP(m, k) from the limbs: octet EM[k-1-i] is bits 8i .. 8i+7 of m,
   * for every i < k, whatever m's value (no normalisation, no length taken
   * from m): the same instructions and addresses for every result. */
  for (size_t i = 0; i < k; i++)
    EM[k - 1 - i] = (uint8_t)(w.m[i / sizeof(mp_limb_t)] >> (8 * (i % sizeof(mp_limb_t))));
out:
  sec_work_free(&w);
  return err;
}

kl_err kl_rsa_public_octets(const kl_rsa_pub *pub, uint8_t *out, const uint8_t *in, size_t in_len)
{
  if (pub == NULL || out == NULL || in == NULL)
    return KL_ERR_ARG;
  size_t k = kl_rsa_modulus_len(pub->n);
  if (in_len != k)
    return KL_ERR_LEN;
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  kl_os2ip(x, in, in_len);
  kl_err err = kl_rsa_public(pub, y, x);
  if (err == KL_OK)
    err = kl_i2osp(out, k, y);
  mpz_clears(x, y, NULL);
  return err;
}

kl_err kl_rsa_private_octets(const kl_rsa_priv *key, const kl_rng *rng, uint8_t *out,
                             const uint8_t *in, size_t in_len)
{
  if (key == NULL || out == NULL || in == NULL)
    return KL_ERR_ARG;
  size_t k = kl_rsa_modulus_len(key->n);
  if (in_len != k)
    return KL_ERR_LEN;
  kl_err err = kli_rsa_decrypt_primitive_fixed(key, rng, out, in, in_len);
  if (err == KL_OK)
    KLI_DECLASSIFY(out, k); /* the result is the caller's, as kl_rsa_private's */
  return err;
}
