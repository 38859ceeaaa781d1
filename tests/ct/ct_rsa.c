/* ct_rsa.c: the RSA private operation is constant-time in the private key.
 * Run under `valgrind --tool=memcheck --error-exitcode=1` (suite 'ct'): the
 * limbs of d, p, q, dP, dQ and qInv are marked undefined
 * (VALGRIND_MAKE_MEM_UNDEFINED), so memcheck reports every conditional jump
 * and every memory address that depends on them (the ctgrind technique,
 * Langley 2010; Nettle's testsuite/sc-valgrind.sh, Monocypher's ctgrind.c).
 * The library declassifies only the result, the fault-check verdict and, in
 * the blinding, t = r*s mod n and the rejection-sampling verdicts
 * (KLI_DECLASSIFY, src/rsa/rsa_internal.h). The run must show 0 errors.
 * What is marked: d, dP, dQ and qInv entirely; p and q entirely except their
 * top limb and their lowest byte. GMP's mpn_sec_div_r normalises the divisor
 * (a branch on its leading-zero count) and looks up an approximate inverse of
 * its top limb in a table (mpn_invert_limb), and mpn_sec_powm looks up the
 * Montgomery inverse of the modulus' low byte (binvert_limb): memcheck
 * reports exactly those 14 uses when the whole of p and q is marked. For a
 * kexlab key the leading-zero count is public (p has nlen/2 bits); the two
 * table lookups can leak a few bits of p's top and bottom through the cache
 * (docs/rsa.md, "What the ct test proves").
 * The blinding is secret too: the generator handed to the private operation
 * marks every octet it returns undefined, so the blinding factor r, the
 * second factor s and r^-1 are checked like the key. The library
 * declassifies exactly t = r*s mod n (uniformly random and independent of
 * r; src/rsa/primitive.c, make_blinding) before its variable-time inverse,
 * and the one-bit verdicts of rejection sampling.
 * Paths checked: the default (CRT, blinded, verified) and the non-CRT path,
 * on a 2048-bit key; then 34 default operations on the same key, which reuse
 * the key's blinding pair (squared at each use, a fresh one after 32). Two controls must make memcheck fail (registered as
 * should_fail: the proof that the test can fail): "leaky" runs mpz_powm on
 * the marked d; "leaky-blind" runs the variable-time inverse on a marked
 * random value, as the blinding would if it inverted r itself. Not a Check
 * suite: one process. */
#include <gmp.h>
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "kexlab/kexlab.h"

#include "../common/splitmix64.h" /* a fixed, NON-secure generator: reproducible runs */

/* The generator of the private operation: the same octets, marked secret. */
static kl_err fill_secret(void *state, uint8_t *out, size_t len)
{
  kl_err err = th_splitmix64_fill(state, out, len);
  VALGRIND_MAKE_MEM_UNDEFINED(out, len);
  return err;
}

static void mark_secret(const mpz_t x)
{
  VALGRIND_MAKE_MEM_UNDEFINED(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

/* A prime modulus: secret, except the parts GMP's sec layer looks up in
 * tables (see the file header): its top limb and its lowest byte. */
static void mark_prime_secret(const mpz_t x)
{
  size_t n = mpz_size(x);
  const mp_limb_t *xp = mpz_limbs_read(x);
  VALGRIND_MAKE_MEM_UNDEFINED(xp, n * sizeof(mp_limb_t));
  VALGRIND_MAKE_MEM_DEFINED(xp + n - 1, sizeof(mp_limb_t)); /* top limb */
  VALGRIND_MAKE_MEM_DEFINED(xp, 1);                         /* lowest byte (little-endian) */
}

static void mark_public(const mpz_t x)
{
  VALGRIND_MAKE_MEM_DEFINED(mpz_limbs_read(x), mpz_size(x) * sizeof(mp_limb_t));
}

int main(int argc, char **argv)
{
  int leaky = argc > 1 && strcmp(argv[1], "leaky") == 0;
  int leaky_blind = argc > 1 && strcmp(argv[1], "leaky-blind") == 0;
  if (kl_init() != KL_OK)
    return 2;
  uint64_t seed = 3233, blind_seed = 17;
  kl_rng rng = {th_splitmix64_fill, &seed};      /* key generation: public work */
  kl_rng blind_rng = {fill_secret, &blind_seed}; /* the private operation's r, s */
  kl_rsa_priv key;
  kl_rsa_priv_init(&key);
  if (kl_rsa_keygen(&key, &rng, 2048, NULL, 0, NULL) != KL_OK) {
    fputs("ct_rsa: keygen failed\n", stderr);
    return 2;
  }
  mpz_t c, m, want;
  mpz_inits(c, m, want, NULL);
  mpz_set_str(c, "123456789abcdef0123456789abcdef0123456789abcdef", 16);
  mpz_powm(want, c, key.d, key.n); /* before marking: the oracle may branch */

  mark_secret(key.d);
  mark_prime_secret(key.p);
  mark_prime_secret(key.q);
  mark_secret(key.dP);
  mark_secret(key.dQ);
  mark_secret(key.qInv);

  int failures = 0;
  static const unsigned paths[] = {0, KL_RSA_NO_CRT};
  for (size_t i = 0; i < 2; i++) {
    kl_err err = kl_rsa_private(&key, &blind_rng, paths[i], NULL, m, c);
    mark_public(m);
    if (err != KL_OK || mpz_cmp(m, want) != 0) {
      fprintf(stderr, "ct_rsa: path %u gave a wrong result (%s)\n", paths[i], kl_strerror(err));
      failures++;
    }
  }
  /* The reused blinding pair: 34 more operations on the same key square the
   * kept pair each time and draw a fresh one after 32 uses (primitive.c,
   * take_blinding): the update, in Montgomery form, is checked like the rest
   * (not in the must-fail runs: they only need their one leak). */
  for (int i = 0; i < (leaky || leaky_blind ? 0 : 34); i++) {
    kl_err err = kl_rsa_private(&key, &blind_rng, 0, NULL, m, c);
    mark_public(m);
    if (err != KL_OK || mpz_cmp(m, want) != 0) {
      fprintf(stderr, "ct_rsa: use %d of the blinding pair gave a wrong result (%s)\n", i + 2,
              kl_strerror(err));
      failures++;
    }
  }
  if (leaky) {
    mpz_powm(m, c, key.d, key.n); /* branches on d: memcheck must object */
    mark_public(m);
  }
  if (leaky_blind) {
    /* Inverting a secret random value directly: memcheck must object. */
    uint8_t buf[256];
    mpz_t r;
    mpz_init(r);
    (void)fill_secret(&blind_seed, buf, sizeof buf);
    mpz_import(r, sizeof buf, 1, 1, 0, 0, buf);
    if (kl_modinv_lehmer(m, r, key.n) == KL_OK)
      mark_public(m);
    mpz_clear(r);
  }
  mark_public(key.d);
  mark_public(key.p);
  mark_public(key.q);
  mark_public(key.dP);
  mark_public(key.dQ);
  mark_public(key.qInv);
  mpz_clears(c, m, want, NULL);
  kl_rsa_priv_clear(&key);
  printf("ct_rsa: %d wrong results; memcheck's error count decides the rest\n", failures);
  return failures ? 3 : 0; /* 1 is memcheck's --error-exitcode */
}
