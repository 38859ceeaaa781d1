/* primitive.c: the raw RSA operations, RFC 8017 §5.1.1 RSAEP (= §5.2.2 RSAVP1)
 * and §5.1.2 RSADP (= §5.2.1 RSASP1), with the CRT of step 2.b (Garner's
 * recombination), blinding, and the fault check "c == m^e mod n".
 * Fast path: every private-key computation runs on GMP's side-channel-silent
 * mpn_sec_* functions at sizes fixed by the key (limb counts of n, p, q), so
 * neither branches nor memory addresses depend on the private values.
 * Symbols (RFC 8017): n, e, d, p, q, dP, dQ, qInv, c, m, m_1, m_2, h; r (the
 * blinding factor), s, t = r*s (its blinded inverse), N, P, Q (limb counts).
 * Timing: public op: mpz_powm (all inputs public). Private op: constant-time
 * in d, p, q, dP, dQ, qInv and in the blinding r, s (tests/ct/ct_rsa.c checks
 * it under valgrind); the one variable-time step inverts t = r*s, which is
 * independent of every secret. Cost: about 90 % the two mpn_sec_powm calls
 * (callgrind, 2048 bits; docs/rsa.md "Where the time goes").
 * See also docs/rsa.md "CRT", "Blinding", "Why constant time". */
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

/* The working memory of one private operation: every vector at a fixed size.
 * One allocation per call (calloc), wiped before it is freed; the GMP scratch
 * size is the largest itch of the calls below, computed once per call. */
typedef struct sec_work {
  mp_size_t N, P, Q, L;            /* limbs of n, p, q; L = max(P, Q) */
  mp_bitcnt_t nbits, pbits, qbits; /* bit lengths of n, p, q (public: nlen, nlen/2) */
  mp_bitcnt_t ebits;               /* bits of e (public) */
  mp_limb_t *n, *e;                /* public: N limbs, E limbs */
  mp_size_t E;
  mp_limb_t *c;                          /* the input c, N limbs (public) */
  mp_limb_t *cb;                         /* c (blinded) + n: N + 1 limbs, never zero */
  mp_limb_t *p, *q, *dP, *dQ, *qInv, *d; /* secrets, P/Q/P/Q/P/N limbs */
  mp_limb_t *m1, *m2;                    /* P and Q limbs */
  mp_limb_t *t1;                         /* L limbs: m_2 mod p */
  mp_limb_t *h;                          /* 2P limbs: (m_1 - m_2) * qInv, then h */
  mp_limb_t *m;                          /* P + Q limbs: m_2 + q * h, then the result */
  mp_limb_t *r, *rinv, *re;              /* blinding: r, r^-1, r^e mod n: N limbs each */
  mp_limb_t *s, *t;                      /* blinding the inversion: s, t = r*s mod n (N limbs) */
  uint8_t *buf;                          /* N limbs' worth of bytes: random octets for r and s */
  mp_limb_t *prod;                       /* 2N limbs */
  mp_limb_t *v;                          /* N limbs: m^e mod n for the fault check */
  mp_limb_t *mn;                         /* N + 1 limbs: m + n */
  mp_limb_t *tp;                         /* GMP scratch */
  mp_limb_t *all;
  size_t all_limbs;
} sec_work;

static mp_size_t sec_scratch_limbs(const sec_work *w)
{
  mp_size_t N = w->N, P = w->P, Q = w->Q, L = w->L;
  mp_size_t s = mpn_sec_powm_itch(N, w->ebits, N);        /* r^e */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->ebits, N)); /* the fault check */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->pbits, P)); /* m_1 */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->qbits, Q)); /* m_2 */
  s = max_size(s, mpn_sec_powm_itch(N + 1, w->nbits, N)); /* no CRT */
  s = max_size(s, mpn_sec_mul_itch(N, N));
  s = max_size(s, mpn_sec_mul_itch(P, P));
  s = max_size(s, mpn_sec_mul_itch(L, P < Q ? P : Q));
  s = max_size(s, mpn_sec_div_r_itch(2 * N, N));
  s = max_size(s, mpn_sec_div_r_itch(L, P));
  s = max_size(s, mpn_sec_div_r_itch(2 * P, P));
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
  /* Bit lengths read the top limb only (public: a kexlab key's p and q have
   * exactly nlen/2 bits; tests/ct/ct_rsa.c leaves the top limbs defined). The
   * exponents dP < p, dQ < q, d < n get these fixed bit counts, never their
   * own lengths (mpz_powm_sec would normalise them: a leak). */
  w->nbits = mpz_sizeinbase(key->n, 2);
  w->pbits = mpz_sizeinbase(key->p, 2);
  w->qbits = mpz_sizeinbase(key->q, 2);
  w->ebits = mpz_sizeinbase(key->e, 2);
  mp_size_t N = w->N, P = w->P, Q = w->Q, L = w->L, E = w->E;
  /* Sizes the fixed-size layout relies on (all read from size fields only). */
  if ((mp_size_t)mpz_size(key->d) > N || (mp_size_t)mpz_size(key->dP) > P ||
      (mp_size_t)mpz_size(key->dQ) > Q || (mp_size_t)mpz_size(key->qInv) > P || P + Q < N)
    return KL_ERR_ARG;
  mp_size_t scratch = sec_scratch_limbs(w);
  size_t total = (size_t)(N + E + N + (N + 1) + P + Q + P + Q + P + N + P + Q + L + 2 * P +
                          (P + Q) + 3 * N + 3 * N + 2 * N + N + (N + 1) + scratch);
  w->all = calloc(total, sizeof(mp_limb_t));
  if (w->all == NULL)
    return KL_ERR_NOMEM;
  w->all_limbs = total;
  mp_limb_t *x = w->all;
  w->n = x;
  x += N;
  w->e = x;
  x += E;
  w->c = x;
  x += N;
  w->cb = x;
  x += N + 1;
  w->p = x;
  x += P;
  w->q = x;
  x += Q;
  w->dP = x;
  x += P;
  w->dQ = x;
  x += Q;
  w->qInv = x;
  x += P;
  w->d = x;
  x += N;
  w->m1 = x;
  x += P;
  w->m2 = x;
  x += Q;
  w->t1 = x;
  x += L;
  w->h = x;
  x += 2 * P;
  w->m = x;
  x += P + Q;
  w->r = x;
  x += N;
  w->rinv = x;
  x += N;
  w->re = x;
  x += N;
  w->s = x;
  x += N;
  w->t = x;
  x += N;
  w->buf = (uint8_t *)x;
  x += N;
  w->prod = x;
  x += 2 * N;
  w->v = x;
  x += N;
  w->mn = x;
  x += N + 1;
  w->tp = x;
  limbs_from_mpz(w->n, N, key->n);
  limbs_from_mpz(w->e, E, key->e);
  limbs_from_mpz(w->p, P, key->p);
  limbs_from_mpz(w->q, Q, key->q);
  limbs_from_mpz(w->dP, P, key->dP);
  limbs_from_mpz(w->dQ, Q, key->dQ);
  limbs_from_mpz(w->qInv, P, key->qInv);
  limbs_from_mpz(w->d, N, key->d);
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

/* Blinding (Kocher 1996 §10; Chaum's blind signatures): a random r in
 * [1, n-1], its inverse r^-1 mod n, and r^e mod n.
 * Why it works: (c * r^e)^d = c^d * r^(ed) = m * r (mod n), so multiplying by
 * r^-1 afterwards gives m, while the exponentiation itself only ever saw
 * c * r^e, a uniformly random value the attacker does not know.
 * The inverse is itself blinded (as BoringSSL's BN_mod_inverse_blinded does;
 * docs/rsa.md "Blinding"): draw a second random s, form t = r * s mod n,
 * invert t by extended Euclid (Lehmer's, modinv_lehmer.c: NOT constant-time),
 * and get r^-1 = t^-1 * s mod n.
 * Why that is safe: for every r, s -> r*s is a bijection of the units mod n,
 * so t is a uniformly random unit whatever r is. Euclid's running time
 * reveals t, and t reveals nothing about r (or about the key: n is public).
 * Why bother: mpn_sec_invert must run 2*nlen iterations on nlen-bit numbers
 * whatever the input; it was 51% of the whole private operation (callgrind,
 * 2048 bits), more than both CRT exponentiations together.
 * Example (n = 3233): r = 5, s = 7: t = 35, t^-1 = 739 (35*739 = 25865
 * = 8*3233 + 1), r^-1 = 739*7 mod 3233 = 5173 - 3233 = 1940, and indeed
 * 5*1940 = 9700 = 3*3233 + 1. */
static kl_err make_blinding(sec_work *w, const kl_rng *rng, const mpz_t n)
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
    err = kl_modinv_lehmer(tinv, mpz_roinit_n(tview, w->t, w->N), n);
    if (err == KL_ERR_NO_INVERSE)
      continue; /* gcd(t, n) > 1: r or s a multiple of p or q (chance ~2^-1023) */
    if (err != KL_OK)
      goto out;
    limbs_from_mpz(w->rinv, w->N, tinv); /* t^-1 (< n: N limbs) */
    mulmod_n(w, w->rinv, w->rinv, w->s); /* r^-1 = t^-1 * s mod n */
    /* r^e mod n (e public, r secret: the sec layer all the same). */
    mpn_sec_powm(w->re, w->r, w->N, w->e, w->ebits, w->n, w->N, w->tp);
    err = KL_OK;
    goto out;
  }
  err = KL_ERR_RNG;
out:
  mpz_clear(tinv); /* limbs wiped by kl_init's allocator */
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
 * Output w->m (P + Q limbs, value < n). */
static void crt(sec_work *w, const kl_tracer *tr)
{
  mp_size_t P = w->P, Q = w->Q, L = w->L;
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

kl_err kl_rsa_private(const kl_rsa_priv *key, const kl_rng *rng, unsigned flags,
                      const kl_tracer *tr, mpz_t m, const mpz_t c)
{
  if (key == NULL || m == NULL || c == NULL)
    return KL_ERR_ARG;
  if ((flags & ~(unsigned)(KL_RSA_NO_CRT | KL_RSA_NO_BLINDING | KL_RSA_NO_VERIFY)) != 0)
    return KL_ERR_ARG;
  int blind = !(flags & KL_RSA_NO_BLINDING);
  int use_crt = !(flags & KL_RSA_NO_CRT);
  int verify = !(flags & KL_RSA_NO_VERIFY);
  if (blind && rng == NULL)
    return KL_ERR_ARG;
  /* The moduli must be odd (Montgomery arithmetic inside mpn_sec_powm) and
   * the key present; these read public sizes and the low bits of n only. */
  if (mpz_cmp_ui(key->n, 3) < 0 || mpz_even_p(key->n) || mpz_sgn(key->e) <= 0 ||
      mpz_size(key->p) == 0 || mpz_size(key->q) == 0)
    return KL_ERR_ARG;
  /* §5.1.2 step 1: c must be between 0 and n - 1. */
  if (mpz_sgn(c) < 0 || mpz_cmp(c, key->n) >= 0)
    return KL_ERR_RANGE;

  sec_work w;
  kl_err err = sec_work_alloc(&w, key);
  if (err != KL_OK)
    goto out;
  mp_size_t N = w.N;
  limbs_from_mpz(w.c, N, c);

  /* Blind: c' = c * r^e mod n. */
  if (blind) {
    err = make_blinding(&w, rng, key->n);
    if (err != KL_OK)
      goto out;
    trace_limbs(tr, "r", w.r, N);
    mulmod_n(&w, w.cb, w.c, w.re);
    trace_limbs(tr, "c_blinded", w.cb, N);
  } else {
    memcpy(w.cb, w.c, (size_t)N * sizeof(mp_limb_t));
  }
  /* cb = c' + n: same value mod n, p and q, and never 0 (mpn_sec_powm wants
   * a positive base; c = 0 is a valid input). */
  w.cb[N] = mpn_add_n(w.cb, w.cb, w.n, N);

  if (use_crt) {
    /* §5.1.2 step 2.b: the CRT (Garner). */
    crt(&w, tr);
  } else {
    /* §5.1.2 step 2.a: m = c^d mod n, the exponent's bit count fixed to n's. */
    memset(w.m, 0, (size_t)(w.P + w.Q) * sizeof(mp_limb_t));
    mpn_sec_powm(w.m, w.cb, N + 1, w.d, w.nbits, w.n, N, w.tp);
  }

  /* Unblind: m = m' * r^-1 mod n. */
  if (blind) {
    trace_limbs(tr, "m_blinded", w.m, N);
    mulmod_n(&w, w.m, w.m, w.rinv);
  }

  /* The fault check (Boneh, DeMillo, Lipton 1997): a CRT result computed
   * with one faulty half gives gcd(m^e - c, n) = p. So never release m
   * unless m^e mod n = c. */
  if (verify) {
    w.mn[N] = mpn_add_n(w.mn, w.m, w.n, N); /* m + n > 0, as mpn_sec_powm asks */
    mpn_sec_powm(w.v, w.mn, N + 1, w.e, w.ebits, w.n, N, w.tp);
    mp_limb_t diff = 0;
    for (mp_size_t i = 0; i < N; i++)
      diff |= w.v[i] ^ w.c[i];          /* no early exit: compare every limb */
    KLI_DECLASSIFY(&diff, sizeof diff); /* the verdict is public */
    if (diff != 0) {
      err = KL_ERR_INTERNAL;
      goto out;
    }
  }
  KLI_DECLASSIFY(w.m, (size_t)N * sizeof(mp_limb_t)); /* the result is the caller's */
  mpz_from_limbs(m, w.m, N);
  if (KL_TRACING(tr))
    kl_trace_mpz(tr, "m", -1, m);
  err = KL_OK;
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
  mpz_t x, y;
  mpz_inits(x, y, NULL);
  kl_os2ip(x, in, in_len);
  kl_err err = kl_rsa_private(key, rng, 0, NULL, y, x);
  if (err == KL_OK)
    err = kl_i2osp(out, k, y);
  mpz_clears(x, y, NULL); /* y (the plaintext) wiped by the GMP allocator */
  return err;
}
