/* lab_trace.c: the four lab computations of `kexlab serve --lab`, each the
 * library's own traced code on the values of one request, written as the
 * trace records of docs/json.md through the common printer (cli_trace.c):
 *   aes     FIPS 197 §5.2 key expansion, §5.1 Cipher and §5.3 InvCipher of
 *           one block (reference path, App. C labels), SP 800-38A §6.2 CBC
 *   rsa     RFC 8017 §3.2 key from p, q, e (both d, extended Euclid), §5.1.1
 *           square-and-multiply, §5.1.2 CRT; FIPS 186-5 B.3.1 Miller-Rabin
 *           rounds, or §A.1.3 key generation when the page asks for one
 *   oaep    RFC 8017 §7.1.1 and §7.1.2 with the page's seed (oaep-int.txt's
 *           names)
 *   sha256  FIPS 180-4 §6.2.2, every round's a..h and the schedule W
 * Every input is bounded (lab_trace.h) before any work. */
#include <gmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "kexlab/ct.h"
#include "kexlab/encoding.h"
#include "kexlab/numtheory.h"
#include "kexlab/oaep.h"
#include "kexlab/rsa.h"
#include "kexlab/sha256.h"
#include "lab_trace.h"

/* ---- reading the request ---- */

static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t cap, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, cap, fmt, ap);
  va_end(ap);
  return -1;
}

/* A string member, or NULL (and *why) when absent or not a string. */
static const char *get_text(const json_t *in, const char *key, char *why, size_t cap)
{
  const json_t *v = json_object_get(in, key);
  if (v == NULL || !json_is_string(v)) {
    bad(why, cap, "'%s' is missing or not a string", key);
    return NULL;
  }
  return json_string_value(v);
}

/* A hex member of min..max bytes, decoded into a malloc'd buffer (never NULL
 * on success). */
static int get_hex(const json_t *in, const char *key, size_t min, size_t max, uint8_t **out,
                   size_t *len, char *why, size_t cap)
{
  const char *s = get_text(in, key, why, cap);
  if (s == NULL)
    return -1;
  size_t n = strlen(s);
  if (n % 2 != 0 || n / 2 < min || n / 2 > max) {
    snprintf(why, cap, "'%s' must be %zu to %zu bytes of hex", key, min, max);
    return -1;
  }
  *out = malloc(n / 2 + 1);
  if (*out == NULL)
    return bad(why, cap, "out of memory reading '%s'", key);
  *len = n / 2 + 1;
  if (kl_hex_decode(*out, len, s, n) != KL_OK) {
    free(*out);
    *out = NULL;
    return bad(why, cap, "'%s' is not hex", key);
  }
  return 0;
}

/* A non-negative integer member: decimal digits (base 10) or hex (base 16),
 * at most max_bits bits. */
static int get_int(const json_t *in, const char *key, int base, size_t max_bits, mpz_t x, char *why,
                   size_t cap)
{
  const char *s = get_text(in, key, why, cap);
  if (s == NULL)
    return -1;
  size_t n = strlen(s);
  /* A digit carries at most 4 bits: longer text cannot be in range. */
  if (n == 0 || n > max_bits / 3 + 2)
    return bad(why, cap, "'%s' is empty or too long", key);
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int ok = (c >= '0' && c <= '9') ||
             (base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok)
      return bad(why, cap, base == 10 ? "'%s' is not a decimal number" : "'%s' is not hex", key);
  }
  if (mpz_set_str(x, s, base) != 0 || mpz_sizeinbase(x, 2) > max_bits)
    return bad(why, cap, "'%s' is out of range", key);
  return 0;
}

/* ---- writing ---- */

static void put_int(cli_json *j, const char *key, const mpz_t x)
{
  char *s = mpz_get_str(NULL, 10, x);
  cj_string(j, key, s);
  void (*gmp_free)(void *, size_t);
  mp_get_memory_functions(NULL, NULL, &gmp_free);
  gmp_free(s, strlen(s) + 1);
}

static void put_dec(cli_json *j, const char *key, unsigned long v)
{
  char num[24];
  snprintf(num, sizeof num, "%lu", v);
  cj_string(j, key, num);
}

static void free_wiped(uint8_t *p, size_t n)
{
  if (p != NULL) {
    kl_wipe(p, n);
    free(p);
  }
}

/* ---- AES ---- */

int lab_trace_aes(const json_t *in, cli_json *j, char *why, size_t why_cap)
{
  uint8_t *key = NULL, *block = NULL, *iv = NULL, *pt = NULL, *buf = NULL;
  size_t key_len = 0, block_len = 0, iv_len = 0, pt_len = 0;
  int rc = -1;
  if (get_hex(in, "key", 16, 32, &key, &key_len, why, why_cap) != 0 ||
      get_hex(in, "block", 16, 16, &block, &block_len, why, why_cap) != 0 ||
      get_hex(in, "iv", 16, 16, &iv, &iv_len, why, why_cap) != 0 ||
      get_hex(in, "cbc", 0, LAB_AES_CBC_MAX, &pt, &pt_len, why, why_cap) != 0)
    goto out;
  if (key_len != 16 && key_len != 24 && key_len != 32) {
    bad(why, why_cap, "'%s' must be 16, 24 or 32 bytes", "key");
    goto out;
  }
  if (pt_len % 16 != 0) {
    bad(why, why_cap, "'%s' must be whole 16-byte blocks", "cbc");
    goto out;
  }
  buf = malloc(pt_len + 16);
  if (buf == NULL) {
    bad(why, why_cap, "out of memory%s", "");
    goto out;
  }
  kl_aes_key k;
  kl_tracer tr;
  cli_tracer ct;
  cli_tracer_init(&tr, &ct, NULL, j);
  uint8_t out[16], back[16];
  cj_hex(j, "key", key, key_len);
  cj_hex(j, "input", block, 16);
  /* The schedule (Appendix A's columns), then each direction's rounds. */
  cj_array_begin(j, "key_expansion");
  kl_err err = kl_aes_init_traced(&k, KL_AES_IMPL_REF, key, key_len, &tr);
  cj_array_end(j);
  if (err != KL_OK) {
    bad(why, why_cap, "the key does not expand%s", "");
    goto out;
  }
  put_dec(j, "Nk", k.Nk);
  put_dec(j, "Nr", k.Nr);
  cj_array_begin(j, "cipher");
  kl_aes_encrypt_block(&k, out, block);
  cj_array_end(j);
  cj_hex(j, "output", out, 16);
  cj_array_begin(j, "inverse");
  kl_aes_decrypt_block(&k, back, out);
  cj_array_end(j);
  cj_hex(j, "inverse_output", back, 16);
  /* CBC over the page's blocks: SP 800-38A F.2's rows, both directions. */
  kl_aes_set_tracer(&k, NULL);
  cj_object_begin(j, "cbc");
  cj_hex(j, "iv", iv, 16);
  cj_array_begin(j, "encrypt");
  err = kl_cbc_encrypt_traced(&k, iv, buf, pt, pt_len, &tr);
  cj_array_end(j);
  if (err == KL_OK) {
    cj_hex(j, "ciphertext", buf, pt_len);
    cj_array_begin(j, "decrypt");
    err = kl_cbc_decrypt_traced(&k, iv, buf, buf, pt_len, &tr);
    cj_array_end(j);
  }
  cj_object_end(j);
  kl_aes_clear(&k);
  kl_wipe(back, sizeof back);
  if (err != KL_OK) {
    bad(why, why_cap, "CBC failed%s", "");
    goto out;
  }
  rc = 0;
out:
  free_wiped(key, key_len);
  free_wiped(block, block_len);
  free_wiped(iv, iv_len);
  free_wiped(pt, pt_len);
  free_wiped(buf, pt_len + 16);
  return rc;
}

/* ---- RSA ---- */

/* Miller-Rabin on w, traced under key (FIPS 186-5 B.3.1), with the rounds
 * Table B.1 asks for a random prime of its size. */
static kl_err trace_mr(cli_json *j, const char *key, const mpz_t w, const kl_rng *rng,
                       const kl_tracer *tr)
{
  unsigned rounds = kl_mr_rounds_random((unsigned)mpz_sizeinbase(w, 2));
  if (rounds < 4)
    rounds = 4;
  kl_primality verdict = KL_COMPOSITE;
  cj_array_begin(j, key);
  kl_err err = kl_miller_rabin(&verdict, w, rounds, rng, tr);
  cj_array_end(j);
  return err;
}

int lab_trace_rsa(const json_t *in, cli_json *j, char *why, size_t why_cap)
{
  int rc = -1;
  kl_err err;
  kl_rsa_priv key, key_phi;
  kl_rsa_priv_init(&key);
  kl_rsa_priv_init(&key_phi);
  mpz_t p, q, e, m, n, p1, q1, phi, g, lambda, c, back;
  mpz_inits(p, q, e, m, n, p1, q1, phi, g, lambda, c, back, NULL);
  kl_rng rng;
  kl_rng_os(&rng);
  kl_tracer tr;
  cli_tracer ct;
  cli_tracer_init(&tr, &ct, NULL, j);
  const json_t *bits_v = json_object_get(in, "bits");

  if (get_int(in, "e", 10, 256, e, why, why_cap) != 0 ||
      get_int(in, "m", 10, LAB_RSA_MAX_BITS, m, why, why_cap) != 0)
    goto out;
  if (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e)) {
    bad(why, why_cap, "'%s' must be odd and at least 3", "e");
    goto out;
  }
  if (bits_v != NULL) {
    /* A real key, made by the library's key generation (traced). */
    /* A JSON number, or a decimal string (kexlab lab-trace's NAME=VALUE). */
    json_int_t bits = json_is_integer(bits_v) ? json_integer_value(bits_v) : 0;
    if (json_is_string(bits_v)) {
      const char *t = json_string_value(bits_v);
      bits = strlen(t) <= 5 && strspn(t, "0123456789") == strlen(t) ? atoi(t) : 0;
    }
    if (bits < LAB_RSA_MIN_GEN_BITS || bits > LAB_RSA_MAX_BITS || bits % 2 != 0) {
      snprintf(why, why_cap, "'bits' must be an even number from %d to %d", LAB_RSA_MIN_GEN_BITS,
               LAB_RSA_MAX_BITS);
      goto out;
    }
    kl_rsa_priv gen;
    kl_rsa_priv_init(&gen);
    unsigned flags = bits < KL_RSA_MIN_BITS ? KL_RSA_KEYGEN_ALLOW_SMALL : 0;
    cj_array_begin(j, "keygen");
    err = kl_rsa_keygen_traced(&gen, &rng, (unsigned)bits, e, flags, NULL, &tr);
    cj_array_end(j);
    if (err == KL_OK) {
      mpz_set(p, gen.p);
      mpz_set(q, gen.q);
    }
    kl_rsa_priv_clear(&gen);
    if (err != KL_OK) {
      snprintf(why, why_cap, "key generation failed: %s", kl_strerror(err));
      goto out;
    }
  } else if (get_int(in, "p", 10, LAB_RSA_MAX_BITS / 2, p, why, why_cap) != 0 ||
             get_int(in, "q", 10, LAB_RSA_MAX_BITS / 2, q, why, why_cap) != 0) {
    goto out;
  }
  if (mpz_cmp_ui(p, 2) < 0 || mpz_cmp_ui(q, 2) < 0 || mpz_cmp(p, q) == 0) {
    bad(why, why_cap, "p and q must be two different numbers of at least 2%s", "");
    goto out;
  }
  /* n, phi(n) = (p-1)(q-1), lambda(n) = lcm(p-1, q-1). */
  mpz_mul(n, p, q);
  mpz_sub_ui(p1, p, 1);
  mpz_sub_ui(q1, q, 1);
  mpz_mul(phi, p1, q1);
  if (kl_gcd(g, p1, q1) != KL_OK)
    goto out;
  mpz_divexact(lambda, phi, g);
  if (mpz_cmp(m, n) >= 0) {
    bad(why, why_cap, "'%s' must be below n = p*q", "m");
    goto out;
  }
  put_int(j, "p", p);
  put_int(j, "q", q);
  put_int(j, "n", n);
  put_dec(j, "nlen", (unsigned long)mpz_sizeinbase(n, 2));
  put_int(j, "phi", phi);
  put_int(j, "lambda", lambda);
  put_int(j, "e", e);
  /* d = e^-1 mod lambda(n) and mod phi(n): the extended-Euclid rows. */
  cj_array_begin(j, "euclid_lambda");
  err = kl_rsa_priv_from_pqe(&key, p, q, e, 0, &tr);
  cj_array_end(j);
  if (err == KL_OK) {
    cj_array_begin(j, "euclid_phi");
    err = kl_rsa_priv_from_pqe(&key_phi, p, q, e, KL_RSA_KEYGEN_PHI, &tr);
    cj_array_end(j);
  }
  if (err != KL_OK) {
    snprintf(why, why_cap, "no private key: %s",
             err == KL_ERR_NO_INVERSE ? "e is not coprime to lambda(n) or phi(n)"
                                      : kl_strerror(err));
    goto out;
  }
  put_int(j, "d", key.d);
  put_int(j, "d_phi", key_phi.d);
  put_int(j, "dP", key.dP);
  put_int(j, "dQ", key.dQ);
  put_int(j, "qInv", key.qInv);
  /* c = m^e mod n by square-and-multiply, then back by the CRT (unblinded,
   * so that m_1, m_2 and h are the textbook ones). */
  put_int(j, "m", m);
  cj_array_begin(j, "encrypt");
  err = kl_modexp(c, m, e, n, &tr);
  cj_array_end(j);
  if (err != KL_OK)
    goto out;
  put_int(j, "c", c);
  cj_array_begin(j, "crt");
  err = kl_rsa_private(&key, NULL, KL_RSA_NO_BLINDING, &tr, back, c);
  cj_array_end(j);
  if (err != KL_OK) {
    snprintf(why, why_cap, "the CRT decryption failed: %s (are p and q prime?)", kl_strerror(err));
    goto out;
  }
  put_int(j, "decrypted", back);
  /* The primes' Miller-Rabin rounds (a generated key has its search above). */
  if (bits_v == NULL) {
    cj_object_begin(j, "miller_rabin");
    err = trace_mr(j, "p", p, &rng, &tr);
    if (err == KL_OK)
      err = trace_mr(j, "q", q, &rng, &tr);
    cj_object_end(j);
    if (err != KL_OK)
      goto out;
  }
  rc = 0;
out:
  if (rc != 0 && why[0] == '\0')
    snprintf(why, why_cap, "the computation failed");
  mpz_clears(p, q, e, m, n, p1, q1, phi, g, lambda, c, back, NULL);
  kl_rsa_priv_clear(&key);
  kl_rsa_priv_clear(&key_phi);
  return rc;
}

/* ---- OAEP ---- */

int lab_trace_oaep(const json_t *in, cli_json *j, char *why, size_t why_cap)
{
  int rc = -1;
  uint8_t *label = NULL, *M = NULL, *seed = NULL, *C = NULL, *back = NULL;
  size_t label_len = 0, mLen = 0, seed_len = 0, k = 0;
  kl_rsa_priv key;
  kl_rsa_pub pub;
  kl_rsa_priv_init(&key);
  kl_rsa_pub_init(&pub);
  mpz_t p, q, e, x;
  mpz_inits(p, q, e, x, NULL);
  kl_tracer tr;
  cli_tracer ct;
  cli_tracer_init(&tr, &ct, NULL, j);
  why[0] = '\0';

  const char *hash = get_text(in, "hash", why, why_cap);
  if (hash == NULL)
    goto out;
  kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
  size_t hLen = 20;
  if (strcmp(hash, "sha256") == 0) {
    params.hash = params.mgf_hash = KL_HASH_SHA256;
    hLen = 32;
  } else if (strcmp(hash, "sha1") != 0) {
    bad(why, why_cap, "'%s' must be sha1 or sha256", "hash");
    goto out;
  }
  if (get_int(in, "p", 16, LAB_RSA_MAX_BITS / 2, p, why, why_cap) != 0 ||
      get_int(in, "q", 16, LAB_RSA_MAX_BITS / 2, q, why, why_cap) != 0 ||
      get_int(in, "e", 16, 256, e, why, why_cap) != 0 ||
      get_hex(in, "label", 0, LAB_OAEP_MSG_MAX, &label, &label_len, why, why_cap) != 0 ||
      get_hex(in, "message", 0, LAB_OAEP_MSG_MAX, &M, &mLen, why, why_cap) != 0 ||
      get_hex(in, "seed", hLen, hLen, &seed, &seed_len, why, why_cap) != 0)
    goto out;
  if (mpz_cmp_ui(e, 3) < 0 || mpz_even_p(e) || mpz_cmp_ui(p, 2) < 0 || mpz_cmp_ui(q, 2) < 0 ||
      mpz_cmp(p, q) == 0) {
    bad(why, why_cap, "p, q and e do not make an RSA key%s", "");
    goto out;
  }
  kl_err err = kl_rsa_priv_from_pqe(&key, p, q, e, 0, NULL);
  if (err != KL_OK) {
    bad(why, why_cap, "p, q and e do not make an RSA key%s", "");
    goto out;
  }
  kl_rsa_priv_to_pub(&pub, &key);
  k = kl_rsa_modulus_len(key.n);
  if (k < 2 * hLen + 2 || mLen > k - 2 * hLen - 2) {
    snprintf(why, why_cap, "the message is too long for k = %zu (at most k - 2hLen - 2 bytes)", k);
    goto out;
  }
  params.label = label;
  params.label_len = label_len;
  C = malloc(k);
  back = malloc(k);
  if (C == NULL || back == NULL) {
    bad(why, why_cap, "out of memory%s", "");
    goto out;
  }
  put_int(j, "n", key.n);
  put_dec(j, "k", (unsigned long)k);
  put_dec(j, "hLen", (unsigned long)hLen);
  cj_hex(j, "message", M, mLen);
  cj_hex(j, "label", label, label_len);
  /* Encryption with the page's seed: a replay generator hands it out. */
  kl_rng seed_rng;
  kl_rng_replay_state rst;
  kl_rng_replay(&seed_rng, &rst, seed, seed_len);
  size_t cLen = k;
  cj_array_begin(j, "encrypt");
  err = kl_rsa_oaep_encrypt(&pub, &params, &seed_rng, &tr, C, &cLen, M, mLen);
  cj_array_end(j);
  kl_wipe(&rst, sizeof rst);
  if (err != KL_OK) {
    snprintf(why, why_cap, "encryption failed: %s", kl_strerror(err));
    goto out;
  }
  kl_os2ip(x, C, cLen);
  put_int(j, "c", x);
  cj_hex(j, "C", C, cLen);
  /* Decryption (the real private operation: CRT, blinded, checked). */
  kl_rng os;
  kl_rng_os(&os);
  size_t back_len = k;
  cj_array_begin(j, "decrypt");
  err = kl_rsa_oaep_decrypt(&key, &params, &os, &tr, back, &back_len, C, cLen);
  cj_array_end(j);
  if (err != KL_OK) {
    snprintf(why, why_cap, "decryption failed: %s", kl_strerror(err));
    goto out;
  }
  cj_hex(j, "decrypted", back, back_len);
  rc = 0;
out:
  free_wiped(label, label_len);
  free_wiped(M, mLen);
  free_wiped(seed, seed_len);
  free_wiped(C, k);
  free_wiped(back, k);
  mpz_clears(p, q, e, x, NULL);
  kl_rsa_priv_clear(&key);
  kl_rsa_pub_clear(&pub);
  return rc;
}

/* ---- SHA-256 ---- */

int lab_trace_sha256(const json_t *in, cli_json *j, char *why, size_t why_cap)
{
  uint8_t *msg = NULL;
  size_t len = 0;
  if (get_hex(in, "message", 0, LAB_SHA256_MAX, &msg, &len, why, why_cap) != 0)
    return -1;
  kl_tracer tr;
  cli_tracer ct;
  cli_tracer_init(&tr, &ct, NULL, j);
  kl_sha256_ctx ctx;
  uint8_t digest[KL_SHA256_DIGEST_BYTES];
  cj_hex(j, "message", msg, len);
  cj_array_begin(j, "trace");
  kl_sha256_init(&ctx);
  kl_sha256_set_tracer(&ctx, &tr);
  kl_sha256_update(&ctx, msg, len);
  kl_sha256_final(&ctx, digest);
  cj_array_end(j);
  cj_hex(j, "digest", digest, sizeof digest);
  free_wiped(msg, len);
  return 0;
}

/* ---- running one ---- */

lab_trace_fn *lab_trace_find(const char *kind)
{
  static const struct {
    const char *kind;
    lab_trace_fn *fn;
  } all[] = {
    {"aes", lab_trace_aes},
    {"rsa", lab_trace_rsa},
    {"oaep", lab_trace_oaep},
    {"sha256", lab_trace_sha256},
  };
  for (size_t i = 0; kind != NULL && i < sizeof all / sizeof all[0]; i++) {
    if (strcmp(kind, all[i].kind) == 0)
      return all[i].fn;
  }
  return NULL;
}

int lab_trace_run(const char *kind, const json_t *in, FILE *out, char *why, size_t why_cap)
{
  lab_trace_fn *fn = lab_trace_find(kind);
  why[0] = '\0';
  if (fn == NULL) {
    snprintf(why, why_cap, "no lab trace named '%s'", kind);
    return -1;
  }
  cli_json j;
  char command[48];
  snprintf(command, sizeof command, "lab-trace %s", kind);
  cj_init(&j, out);
  cj_command_begin(&j, command);
  if (fn(in, &j, why, why_cap) != 0) {
    cj_discard(&j);
    if (why[0] == '\0')
      snprintf(why, why_cap, "the computation failed");
    return -1;
  }
  cj_object_end(&j);
  if (cj_finish(&j) != 0) {
    snprintf(why, why_cap, "out of memory or cannot write");
    return -2;
  }
  return 0;
}
