/* test_sha.c: SHA-1 and SHA-256 beyond the vector files (those run in
 * test_hash_vectors.c): the constants recomputed from their definition
 * (FIPS 180-4 §4.2.1/4.2.2/5.3), the golden trace of "abc" against NIST's
 * worked example, readable path == fast path, split updates == one shot, the
 * wipe after final, the kl_hash interface, and MGF1 (RFC 8017 B.2.1) against
 * the intermediate values of the PKCS#1 v2.1 OAEP example (oaep-int.txt). */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "hash/hash_internal.h"
#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vecfile.h"

static const kl_hash_alg algs[2] = {KL_HASH_SHA1, KL_HASH_SHA256};

/* ---- constants: §4.2.2 K, §5.3.3 H(0), from the first primes with GMP ---- */

static unsigned long nth_prime_after(unsigned long p)
{
  for (unsigned long q = p + 1;; q++) {
    int prime = q >= 2;
    for (unsigned long d = 2; d * d <= q && prime; d++)
      prime = q % d != 0;
    if (prime)
      return q;
  }
}

START_TEST(sha256_constants_from_primes)
{
  mpz_t x, r;
  mpz_init(x);
  mpz_init(r);
  unsigned long p = 1;
  for (int i = 0; i < 64; i++) {
    p = nth_prime_after(p);
    /* first 32 bits of the fractional part of cbrt(p) = floor(cbrt(p * 2^96)) mod 2^32 */
    mpz_set_ui(x, p);
    mpz_mul_2exp(x, x, 96);
    mpz_root(r, x, 3);
    uint32_t want = (uint32_t)(mpz_get_ui(r) & 0xffffffffu);
    ck_assert_msg(kli_sha256_K[i] == want, "K[%d] = %08x, cube root of %lu gives %08x", i,
                  kli_sha256_K[i], p, want);
    if (i < 8) {
      /* H(0): square roots of the first 8 primes */
      mpz_set_ui(x, p);
      mpz_mul_2exp(x, x, 64);
      mpz_sqrt(r, x);
      uint32_t h = (uint32_t)(mpz_get_ui(r) & 0xffffffffu);
      ck_assert_msg(kli_sha256_H0[i] == h, "H0[%d]", i);
    }
  }
  ck_assert_uint_eq(p, 311); /* the 64th prime, as §4.2.2 says */
  mpz_clear(x);
  mpz_clear(r);
}
END_TEST

#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
/* ---- the golden trace: NIST's "abc" example, a..h after every round ---- */

typedef struct trace_log {
  uint32_t abcdefgh[80][8];
  unsigned got[80]; /* bit j set when variable j of round t was traced */
  uint32_t W[80];
  int nW, nM, nH, nH0, nother;
  uint8_t H[32], H0[32]; /* the last H(i), i >= 1; H(0) */
  size_t H_len;
} trace_log;

static uint32_t be32(const uint8_t *b)
{
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* Sort the recorded values into L, checking each one's shape. */
static void tally_value(trace_log *L, const kl_trace_value *v)
{
  const char *vars = "abcdefgh";
  ck_assert_int_eq(v->kind, KL_TRACE_BYTES);
  if (strcmp(v->label, "W") == 0) {
    ck_assert_uint_eq(v->len, 4);
    ck_assert_int_eq(v->index, L->nW);
    L->W[L->nW++] = be32(v->bytes);
  } else if (strcmp(v->label, "M") == 0) {
    ck_assert_uint_eq(v->len, 64);
    L->nM++;
  } else if (strcmp(v->label, "H") == 0 && v->index == 0) {
    ck_assert_uint_le(v->len, sizeof L->H0); /* H(0), traced before block 1 */
    memcpy(L->H0, v->bytes, v->len);
    L->nH0++;
  } else if (strcmp(v->label, "H") == 0) {
    ck_assert_uint_le(v->len, sizeof L->H);
    memcpy(L->H, v->bytes, v->len);
    L->H_len = v->len;
    L->nH++;
  } else if (strlen(v->label) == 1 && strchr(vars, v->label[0]) != NULL) {
    int j = (int)(strchr(vars, v->label[0]) - vars);
    ck_assert(v->index >= 0 && v->index < 80);
    L->abcdefgh[v->index][j] = be32(v->bytes);
    L->got[v->index] |= 1u << j;
  } else {
    L->nother++; /* T1, T2 (SHA-256) or T (SHA-1) */
  }
}

static void tally(trace_log *L, const th_trace_rec *rec)
{
  for (size_t i = 0; i < rec->n; i++)
    tally_value(L, &rec->at[i].v);
}

START_TEST(sha256_trace_matches_fips_example)
{
  trace_log L;
  memset(&L, 0, sizeof L);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_sha256_ctx ctx;
  uint8_t digest[32];

  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("nist/sha/sha256-abc-example.txt")), 0);
  ck_assert_int_eq(vecfile_next(&vf), 1);
  size_t msg_len, H_len;
  uint8_t *msg = th_hex(vecfile_get(&vf, "Message"), &msg_len);
  uint8_t *H = th_hex(vecfile_get(&vf, "H"), &H_len);

  kl_sha256_init(&ctx);
  kl_sha256_set_tracer(&ctx, &tr);
  kl_sha256_update(&ctx, msg, msg_len);
  kl_sha256_final(&ctx, digest);
  tally(&L, &rec);
  th_trace_rec_free(&rec);

  /* One block; its schedule starts with the padded message (§5.1.1):
   * W0 = 61626380 ("abc" || 1 bit), W15 = 00000018 (l = 24 bits). */
  ck_assert_int_eq(L.nM, 1);
  ck_assert_int_eq(L.nW, 64);
  ck_assert_uint_eq(L.W[0], 0x61626380);
  ck_assert_uint_eq(L.W[15], 0x00000018);
  ck_assert_int_eq(L.nother, 128); /* T1 and T2 for each round */

  int rows = 0;
  while (vecfile_next(&vf) == 1) {
    const char *tt = vecfile_get(&vf, "t");
    const char *row = vecfile_get(&vf, "abcdefgh");
    ck_assert_ptr_nonnull(tt);
    ck_assert_ptr_nonnull(row);
    int t = atoi(tt);
    ck_assert_int_eq(t, rows);
    ck_assert_uint_eq(L.got[t], 0xff);
    const char *p = row;
    for (int j = 0; j < 8; j++) {
      char *end;
      uint32_t want = (uint32_t)strtoul(p, &end, 16);
      p = end;
      ck_assert_msg(L.abcdefgh[t][j] == want, "t = %d, %c: traced %08x, FIPS example %08x", t,
                    "abcdefgh"[j], L.abcdefgh[t][j], want);
    }
    rows++;
  }
  ck_assert_int_eq(rows, 64);
  vecfile_close(&vf);

  /* H(1) is the digest, as the example says. */
  ck_assert_int_eq(L.nH, 1);
  ck_assert_int_eq(L.nH0, 1); /* H(0) of §5.3.3 comes first */
  ck_assert_uint_eq(be32(L.H0), 0x6a09e667);
  ck_assert_uint_eq(be32(L.H0 + 28), 0x5be0cd19);
  ck_assert_uint_eq(L.H_len, 32);
  ck_assert_uint_eq(H_len, 32);
  ck_assert_mem_eq(L.H, H, 32);
  ck_assert_mem_eq(digest, H, 32);
  free(msg);
  free(H);
}
END_TEST

START_TEST(sha1_trace_matches_fips_example)
{
  /* SHA1.pdf (FIPS 180-2 A.1): a..e after each of the 80 rounds of "abc". */
  trace_log L;
  memset(&L, 0, sizeof L);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_sha1_ctx ctx;
  uint8_t digest[20];

  vecfile vf;
  ck_assert_int_eq(vecfile_open(&vf, th_vector_path("nist/sha/sha1-abc-example.txt")), 0);
  ck_assert_int_eq(vecfile_next(&vf), 1);
  size_t msg_len, H_len;
  uint8_t *msg = th_hex(vecfile_get(&vf, "Message"), &msg_len);
  uint8_t *H = th_hex(vecfile_get(&vf, "H"), &H_len);
  kl_sha1_init(&ctx);
  kl_sha1_set_tracer(&ctx, &tr);
  kl_sha1_update(&ctx, msg, msg_len);
  kl_sha1_final(&ctx, digest);
  tally(&L, &rec);
  th_trace_rec_free(&rec);

  int rows = 0;
  while (vecfile_next(&vf) == 1) {
    const char *tt = vecfile_get(&vf, "t");
    const char *row = vecfile_get(&vf, "abcde");
    ck_assert_ptr_nonnull(tt);
    ck_assert_ptr_nonnull(row);
    int t = atoi(tt);
    ck_assert_int_eq(t, rows);
    ck_assert_uint_eq(L.got[t], 0x1f);
    const char *p = row;
    for (int j = 0; j < 5; j++) {
      char *end;
      uint32_t want = (uint32_t)strtoul(p, &end, 16);
      p = end;
      ck_assert_msg(L.abcdefgh[t][j] == want, "t = %d, %c: traced %08x, FIPS example %08x", t,
                    "abcde"[j], L.abcdefgh[t][j], want);
    }
    rows++;
  }
  ck_assert_int_eq(rows, 80);
  vecfile_close(&vf);
  ck_assert_uint_eq(H_len, 20);
  ck_assert_mem_eq(L.H, H, 20);
  ck_assert_mem_eq(digest, H, 20);
  free(msg);
  free(H);
}
END_TEST

START_TEST(sha1_trace_shape)
{
  /* The shape (80 W, a..e per round) and that tracing changes nothing. */
  trace_log L;
  memset(&L, 0, sizeof L);
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  kl_sha1_ctx ctx;
  uint8_t traced[20], plain[20];
  kl_sha1_init(&ctx);
  kl_sha1_set_tracer(&ctx, &tr);
  kl_sha1_update(&ctx, (const uint8_t *)"abc", 3);
  kl_sha1_final(&ctx, traced);
  tally(&L, &rec);
  th_trace_rec_free(&rec);
  kl_sha1(plain, (const uint8_t *)"abc", 3);
  ck_assert_mem_eq(traced, plain, 20);
  ck_assert_int_eq(L.nW, 80);
  ck_assert_uint_eq(L.W[0], 0x61626380);
  ck_assert_int_eq(L.nother, 80); /* T */
  for (int t = 0; t < 80; t++)
    ck_assert_uint_eq(L.got[t], 0x1f); /* a..e after each of the 80 rounds */
  ck_assert_int_eq(L.nH, 1);
  ck_assert_int_eq(L.nH0, 1); /* H(0) of §5.3.1 comes first */
  ck_assert_uint_eq(be32(L.H0), 0x67452301);
  ck_assert_uint_eq(be32(L.H0 + 16), 0xc3d2e1f0);
  ck_assert_mem_eq(L.H, plain, 20);
}
END_TEST

#endif

/* ---- the readable path and the fast path agree ---- */

/* Hash through the readable path: a tracer whose fn is NULL selects it
 * without output (sha256.c, process()). */
static void hash_ref(kl_hash_alg alg, uint8_t *out, const uint8_t *m, size_t n)
{
  static const kl_tracer silent = {NULL, NULL};
  kl_hash_ctx ctx;
  ck_assert_int_eq(kl_hash_init(&ctx, alg), KL_OK);
  if (alg == KL_HASH_SHA1)
    kl_sha1_set_tracer(&ctx.u.sha1, &silent);
  else
    kl_sha256_set_tracer(&ctx.u.sha256, &silent);
  kl_hash_update(&ctx, m, n);
  kl_hash_final(&ctx, out);
}

START_TEST(ref_vs_fast)
{
  th_prng p;
  th_prng_init(&p, 0x5a5a);
  uint8_t m[600], a[32], b[32];
  for (int a_i = 0; a_i < 2; a_i++) {
    for (int i = 0; i < 1000; i++) {
      size_t n = (size_t)th_prng_below(&p, sizeof m + 1);
      th_prng_bytes(&p, m, n);
      ck_assert_int_eq(kl_hash(algs[a_i], a, m, n), KL_OK);
      hash_ref(algs[a_i], b, m, n);
      ck_assert_mem_eq(a, b, kl_hash_digest_len(algs[a_i]));
    }
  }
  /* The compression functions directly, on multi-block runs. */
  uint32_t H1[8], H2[8], G1[5], G2[5];
  for (int i = 0; i < 200; i++) {
    size_t nblocks = 1 + (size_t)th_prng_below(&p, 9);
    th_prng_bytes(&p, m, 64 * nblocks);
    th_prng_bytes(&p, (uint8_t *)H1, sizeof H1);
    memcpy(H2, H1, sizeof H1);
    memcpy(G1, H1, sizeof G1);
    memcpy(G2, H1, sizeof G2);
    kli_sha256_compress_ref(H1, m, nblocks, 1, NULL);
    kli_sha256_compress_fast(H2, m, nblocks);
    ck_assert_mem_eq(H1, H2, sizeof H1);
    kli_sha1_compress_ref(G1, m, nblocks, 1, NULL);
    kli_sha1_compress_fast(G2, m, nblocks);
    ck_assert_mem_eq(G1, G2, sizeof G1);
  }
}
END_TEST

/* ---- split updates: random messages in random chunks == one shot ---- */

START_TEST(split_update)
{
  static const size_t lengths[] = {0,   1,   55,  56,  57,  63,  64,  65,   119,
                                   120, 127, 128, 129, 191, 192, 193, 1000, 4097};
  th_prng p;
  th_prng_init(&p, 0x1234);
  uint8_t m[5000], one[32], many[32];
  for (int a_i = 0; a_i < 2; a_i++) {
    size_t hLen = kl_hash_digest_len(algs[a_i]);
    for (size_t li = 0; li < sizeof lengths / sizeof lengths[0] + 200; li++) {
      size_t n = li < sizeof lengths / sizeof lengths[0] ? lengths[li]
                                                         : (size_t)th_prng_below(&p, sizeof m + 1);
      th_prng_bytes(&p, m, n);
      ck_assert_int_eq(kl_hash(algs[a_i], one, m, n), KL_OK);
      for (int rep = 0; rep < 5; rep++) {
        kl_hash_ctx ctx;
        ck_assert_int_eq(kl_hash_init(&ctx, algs[a_i]), KL_OK);
        size_t done = 0;
        while (done < n) {
          /* chunks of 0..130 bytes, zero-length updates included */
          size_t c = (size_t)th_prng_below(&p, 131);
          if (c > n - done)
            c = n - done;
          kl_hash_update(&ctx, m + done, c);
          done += c;
        }
        kl_hash_update(&ctx, NULL, 0);
        kl_hash_final(&ctx, many);
        ck_assert_msg(memcmp(one, many, hLen) == 0, "%s, length %zu, split %d differs",
                      kl_hash_name(algs[a_i]), n, rep);
      }
    }
  }
}
END_TEST

START_TEST(byte_at_a_time_and_traced_split)
{
  /* One byte per update, through both paths, across several block boundaries. */
  th_prng p;
  th_prng_init(&p, 0x77);
  uint8_t m[300], one[32], a[32];
  th_prng_bytes(&p, m, sizeof m);
  static const kl_tracer silent = {NULL, NULL};
  for (int a_i = 0; a_i < 2; a_i++) {
    for (int traced = 0; traced < 2; traced++) {
      kl_hash_ctx ctx;
      ck_assert_int_eq(kl_hash_init(&ctx, algs[a_i]), KL_OK);
      if (traced && algs[a_i] == KL_HASH_SHA1)
        kl_sha1_set_tracer(&ctx.u.sha1, &silent);
      if (traced && algs[a_i] == KL_HASH_SHA256)
        kl_sha256_set_tracer(&ctx.u.sha256, &silent);
      for (size_t i = 0; i < sizeof m; i++)
        kl_hash_update(&ctx, m + i, 1);
      kl_hash_final(&ctx, a);
      ck_assert_int_eq(kl_hash(algs[a_i], one, m, sizeof m), KL_OK);
      ck_assert_mem_eq(a, one, kl_hash_digest_len(algs[a_i]));
    }
  }
}
END_TEST

/* ---- wiping ---- */

static int all_zero(const void *p, size_t n)
{
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++) {
    if (b[i] != 0)
      return 0;
  }
  return 1;
}

START_TEST(context_zero_after_final)
{
  uint8_t m[100], out[32];
  memset(m, 0xa5, sizeof m);
  kl_sha256_ctx c256;
  kl_sha256_init(&c256);
  kl_sha256_update(&c256, m, sizeof m);
  ck_assert(!all_zero(&c256, sizeof c256));
  kl_sha256_final(&c256, out);
  ck_assert(all_zero(&c256, sizeof c256));

  kl_sha1_ctx c1;
  kl_sha1_init(&c1);
  kl_sha1_update(&c1, m, sizeof m);
  kl_sha1_final(&c1, out);
  ck_assert(all_zero(&c1, sizeof c1));

  kl_hash_ctx h;
  ck_assert_int_eq(kl_hash_init(&h, KL_HASH_SHA256), KL_OK);
  kl_hash_update(&h, m, 10);
  kl_hash_final(&h, out);
  ck_assert(all_zero(&h, sizeof h));
  ck_assert_int_eq(kl_hash_init(&h, KL_HASH_SHA1), KL_OK);
  kl_hash_update(&h, m, 10);
  kl_hash_clear(&h);
  ck_assert(all_zero(&h, sizeof h));
}
END_TEST

/* ---- the kl_hash interface ---- */

START_TEST(hash_interface)
{
  kl_hash_alg alg;
  static const char *sha1_names[] = {"sha1", "SHA1", "sha-1", "SHA-1", "Sha-1"};
  static const char *sha256_names[] = {"sha256", "SHA256", "sha-256", "SHA-256"};
  static const char *bad[] = {"", "sha", "sha2", "sha-2", "sha-512/", "md5", "sha256 ", "sha1x"};
  for (size_t i = 0; i < sizeof sha1_names / sizeof sha1_names[0]; i++) {
    ck_assert_int_eq(kl_hash_from_name(sha1_names[i], &alg), KL_OK);
    ck_assert_int_eq(alg, KL_HASH_SHA1);
  }
  for (size_t i = 0; i < sizeof sha256_names / sizeof sha256_names[0]; i++) {
    ck_assert_int_eq(kl_hash_from_name(sha256_names[i], &alg), KL_OK);
    ck_assert_int_eq(alg, KL_HASH_SHA256);
  }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_int_eq(kl_hash_from_name(bad[i], &alg), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hash_from_name(NULL, &alg), KL_ERR_UNSUPPORTED);

  ck_assert_uint_eq(kl_hash_digest_len(KL_HASH_SHA1), 20);
  ck_assert_uint_eq(kl_hash_digest_len(KL_HASH_SHA256), 32);
  ck_assert_uint_eq(kl_hash_digest_len((kl_hash_alg)99), 0);
  ck_assert_uint_eq(kl_hash_block_len(KL_HASH_SHA256), 64);
  ck_assert_uint_eq(kl_hash_block_len((kl_hash_alg)0), 0);
  ck_assert_str_eq(kl_hash_name(KL_HASH_SHA256), "SHA-256");
  ck_assert_str_eq(kl_hash_name((kl_hash_alg)99), "unknown");

  uint8_t out[32], out2[32];
  kl_hash_ctx ctx;
  ck_assert_int_eq(kl_hash_init(&ctx, (kl_hash_alg)99), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hash_init(NULL, KL_HASH_SHA1), KL_ERR_ARG);
  ck_assert_int_eq(kl_hash((kl_hash_alg)99, out, NULL, 0), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA1, NULL, NULL, 0), KL_ERR_ARG);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA1, out, NULL, 5), KL_ERR_ARG);
  /* NULL data with length 0 is the empty message. */
  ck_assert_int_eq(kl_hash(KL_HASH_SHA256, out, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA256, out2, (const uint8_t *)"x", 0), KL_OK);
  ck_assert_mem_eq(out, out2, 32);
  /* The typed one-shots agree with the generic one. */
  kl_sha256(out2, (const uint8_t *)"abc", 3);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA256, out, (const uint8_t *)"abc", 3), KL_OK);
  ck_assert_mem_eq(out, out2, 32);
  kl_sha1(out2, (const uint8_t *)"abc", 3);
  ck_assert_int_eq(kl_hash(KL_HASH_SHA1, out, (const uint8_t *)"abc", 3), KL_OK);
  ck_assert_mem_eq(out, out2, 20);
}
END_TEST

/* ---- MGF1 ---- */

/* Read the hex block that follows the comment line `heading` in a PKCS#1
 * "-int.txt" file (hex bytes separated by spaces, up to a blank line). */
static uint8_t *int_block(const char *path, const char *heading, size_t *len)
{
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "cannot open %s", path);
  char line[512];
  int in = 0;
  size_t cap = 4096;
  uint8_t *out = malloc(cap);
  *len = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (!in) {
      in = strncmp(line, heading, strlen(heading)) == 0;
      continue;
    }
    if (line[0] == '\n' || line[0] == '#')
      break;
    for (char *p = line; *p;) {
      char *end;
      unsigned long b = strtoul(p, &end, 16);
      if (end == p)
        break;
      ck_assert(*len < cap);
      out[(*len)++] = (uint8_t)b;
      p = end;
    }
  }
  fclose(f);
  ck_assert_msg(in && *len > 0, "no block '%s' in %s", heading, path);
  return out;
}

START_TEST(mgf1_sha1_oaep_example)
{
  /* RFC 8017's predecessor PKCS #1 v2.1 example (oaep-int.txt, RSA-OAEP with
   * SHA-1): dbMask = MGF(seed, length(DB)), seedMask = MGF(maskedDB, 20). */
  const char *path = th_vector_path("pkcs1/pkcs-1v2-1d2-vec/oaep-int.txt");
  size_t seed_len, DB_len, dbMask_len, maskedDB_len, seedMask_len;
  uint8_t *seed = int_block(path, "# seed:", &seed_len);
  uint8_t *DB = int_block(path, "# DB = pHash || Padding || M:", &DB_len);
  uint8_t *dbMask = int_block(path, "# dbMask = MGF(seed, length(DB)):", &dbMask_len);
  uint8_t *maskedDB = int_block(path, "# maskedDB = DB xor dbMask:", &maskedDB_len);
  uint8_t *seedMask = int_block(path, "# seedMask = MGF(maskedDB, length(seed)):", &seedMask_len);
  ck_assert_uint_eq(seed_len, 20);
  ck_assert_uint_eq(dbMask_len, DB_len);
  uint8_t got[512];
  ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, got, dbMask_len, seed, seed_len), KL_OK);
  ck_assert_mem_eq(got, dbMask, dbMask_len);
  ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, got, seedMask_len, maskedDB, maskedDB_len), KL_OK);
  ck_assert_mem_eq(got, seedMask, seedMask_len);
  free(seed);
  free(DB);
  free(dbMask);
  free(maskedDB);
  free(seedMask);
}
END_TEST

START_TEST(mgf1_definition_and_errors)
{
  /* B.2.1 step 3: T = Hash(seed || 00000000) || Hash(seed || 00000001) || ...
   * built here from the (vector-checked) hash, for both hashes and lengths
   * around block boundaries; prefixes agree across lengths. */
  uint8_t seed[37], buf[41], mask[200], T[7 * 32];
  for (size_t i = 0; i < sizeof seed; i++)
    seed[i] = (uint8_t)(3 * i + 1);
  for (int a_i = 0; a_i < 2; a_i++) {
    size_t hLen = kl_hash_digest_len(algs[a_i]);
    for (uint32_t c = 0; c < 7; c++) {
      memcpy(buf, seed, sizeof seed);
      buf[37] = (uint8_t)(c >> 24);
      buf[38] = (uint8_t)(c >> 16);
      buf[39] = (uint8_t)(c >> 8);
      buf[40] = (uint8_t)c;
      ck_assert_int_eq(kl_hash(algs[a_i], T + c * hLen, buf, sizeof buf), KL_OK);
    }
    for (size_t L = 0; L <= 6 * hLen; L += 7) {
      ck_assert_int_eq(kl_mgf1(algs[a_i], mask, L, seed, sizeof seed), KL_OK);
      ck_assert(L == 0 || memcmp(mask, T, L) == 0);
    }
  }
  ck_assert_int_eq(kl_mgf1((kl_hash_alg)9, mask, 10, seed, 4), KL_ERR_UNSUPPORTED);
  ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, NULL, 10, seed, 4), KL_ERR_ARG);
  ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, mask, 10, NULL, 4), KL_ERR_ARG);
  ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, mask, 0, NULL, 0), KL_OK);
  if (sizeof(size_t) > 4) {
    /* maskLen > 2^32 hLen: "mask too long", before touching mask. */
    size_t huge = (size_t)(((uint64_t)1 << 32) * 20 + 1);
    ck_assert_int_eq(kl_mgf1(KL_HASH_SHA1, mask, huge, seed, 4), KL_ERR_LEN);
  }
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("sha");
  TCase *tc = tcase_create("sha");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, sha256_constants_from_primes);
#if KL_WITH_TRACE
  tcase_add_test(tc, sha256_trace_matches_fips_example);
  tcase_add_test(tc, sha1_trace_matches_fips_example);
  tcase_add_test(tc, sha1_trace_shape);
#endif
  tcase_add_test(tc, ref_vs_fast);
  tcase_add_test(tc, split_update);
  tcase_add_test(tc, byte_at_a_time_and_traced_split);
  tcase_add_test(tc, context_zero_after_final);
  tcase_add_test(tc, hash_interface);
  tcase_add_test(tc, mgf1_sha1_oaep_example);
  tcase_add_test(tc, mgf1_definition_and_errors);
  suite_add_tcase(s, tc);
  return s;
}
