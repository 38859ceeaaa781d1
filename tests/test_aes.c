/* test_aes.c: the AES layer (FIPS 197) against the standard's own text and
 * NIST's files.
 *  - S-box and inverse S-box derived in code == FIPS 197 Figures 7 and 14
 *    (vectors/fips197/sbox.txt, inv-sbox.txt);
 *  - the generated T-tables == tables recomputed here from the transcribed
 *    S-box with this file's own GF(2^8) multiplication;
 *  - key expansion trace == Appendix A.1-A.3, every column of every row;
 *  - golden trace: the reference path's trace == Appendix C.1-C.3, every
 *    labelled state of the cipher and the inverse cipher, in order; the
 *    Equivalent Inverse Cipher's round keys (C.3) == key->dw;
 *  - every AESAVS KAT and MMT file (CBC, ECB) and the MCT files through all
 *    three implementations (the same handler as `kexlab vectors`), with exact
 *    case counts;
 *  - 10,000 seeded random keys and blocks: ref == table == table1;
 *  - the n-block calls == n one-block calls (output, in place, trace);
 *  - bad key lengths, bad arguments, and the wipe of kl_aes_clear. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kl_config.h"
#include "aes/aes_tables.h"
#include "aes/gf256.h"
#include "formats.h"
#include "test_util.h"
#include "trace_rec.h"
#include "vecfile.h"

/* ---- traced values, in FIPS 197's byte order ---- */

#if KL_WITH_TRACE /* the key expansion and golden trace tests need trace hooks */
/* Every AES trace value fits in a block; a state is a 4x4 matrix. */
static void check_shape(const kl_trace_value *v)
{
  ck_assert_uint_le(v->len, 16);
  if (v->kind == KL_TRACE_MATRIX) {
    ck_assert_uint_eq(v->rows, 4);
    ck_assert_uint_eq(v->cols, 4);
  }
}

static void check_shapes(const th_trace_rec *rec)
{
  for (size_t i = 0; i < rec->n; i++)
    check_shape(&rec->at[i].v);
}

/* A value's bytes as FIPS 197 writes them (its length is returned): a state
 * matrix s[r][c] goes back to in[r + 4c] (§3.4), anything else as traced. */
static size_t fips_bytes(const kl_trace_value *v, uint8_t out[16])
{
  check_shape(v);
  if (v->kind == KL_TRACE_MATRIX) {
    for (unsigned row = 0; row < 4; row++) {
      for (unsigned c = 0; c < 4; c++)
        out[row + 4 * c] = v->bytes[row * 4 + c];
    }
    return 16;
  }
  memcpy(out, v->bytes, v->len);
  return v->len;
}
#endif

/* ---- S-boxes ---- */

/* Read a 16x16 FIPS S-box figure: a header row, then "x:  b0 ... b15". */
static void read_sbox_figure(const char *rel, uint8_t table[256])
{
  FILE *f = fopen(th_vector_path(rel), "r");
  ck_assert_ptr_nonnull(f);
  char line[256];
  int rows = 0, header = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (line[0] == '#' || line[0] == '\n')
      continue;
    if (!header) {
      header = 1;
      continue;
    }
    unsigned x;
    int used;
    ck_assert_int_eq(sscanf(line, "%x:%n", &x, &used), 1);
    ck_assert_uint_eq(x, (unsigned)rows);
    const char *p = line + used;
    for (int y = 0; y < 16; y++) {
      unsigned b;
      int n;
      ck_assert_int_eq(sscanf(p, "%x%n", &b, &n), 1);
      table[16 * x + (unsigned)y] = (uint8_t)b;
      p += n;
    }
    rows++;
  }
  fclose(f);
  ck_assert_int_eq(rows, 16);
}

START_TEST(sbox_matches_fips197)
{
  uint8_t S[256], InvS[256];
  read_sbox_figure("fips197/sbox.txt", S);
  read_sbox_figure("fips197/inv-sbox.txt", InvS);
  for (unsigned x = 0; x < 256; x++) {
    ck_assert_uint_eq(kli_aes_sbox_derive((uint8_t)x), S[x]); /* derived right now */
    ck_assert_uint_eq(kli_aes_sbox[x], S[x]);                 /* generated at build time */
    ck_assert_uint_eq(kli_aes_inv_sbox[x], InvS[x]);
  }
  /* §4.2 example: {57} • {83} = {c1}; §4.2.1: {57} • {13} = {fe}. */
  ck_assert_uint_eq(kli_gf_mul(0x57, 0x83), 0xc1);
  ck_assert_uint_eq(kli_gf_mul(0x57, 0x13), 0xfe);
  for (unsigned a = 1; a < 256; a++)
    ck_assert_uint_eq(kli_gf_mul((uint8_t)a, kli_gf_inv((uint8_t)a)), 1);
}
END_TEST

/* This file's own GF(2^8) product: carry-less multiply to 15 bits, then reduce
 * by m(x) = 0x11b from the top bit down (a different method from gf256.c). */
static uint8_t mul_clmul(uint8_t a, uint8_t b)
{
  unsigned p = 0;
  for (unsigned i = 0; i < 8; i++)
    p ^= (((unsigned)b >> i) & 1u) ? (unsigned)a << i : 0u;
  for (int bit = 14; bit >= 8; bit--) {
    if (p & (1u << bit))
      p ^= 0x11bu << (bit - 8);
  }
  return (uint8_t)p;
}

static uint32_t rotr(uint32_t x, unsigned n)
{
  return n == 0 ? x : (x >> n) | (x << (32 - n));
}

START_TEST(ttables_recomputed)
{
  uint8_t S[256], InvS[256];
  read_sbox_figure("fips197/sbox.txt", S);
  read_sbox_figure("fips197/inv-sbox.txt", InvS);
  for (unsigned x = 0; x < 256; x++) {
    uint8_t s = S[x], si = InvS[x];
    uint32_t te0 = ((uint32_t)mul_clmul(s, 2) << 24) | ((uint32_t)s << 16) | ((uint32_t)s << 8) |
                   mul_clmul(s, 3);
    uint32_t td0 = ((uint32_t)mul_clmul(si, 0x0e) << 24) | ((uint32_t)mul_clmul(si, 0x09) << 16) |
                   ((uint32_t)mul_clmul(si, 0x0d) << 8) | mul_clmul(si, 0x0b);
    for (unsigned j = 0; j < 4; j++) {
      ck_assert_uint_eq(kli_aes_Te[j][x], rotr(te0, 8 * j));
      ck_assert_uint_eq(kli_aes_Td[j][x], rotr(td0, 8 * j));
    }
  }
}
END_TEST

#if KL_WITH_TRACE /* the key expansion and golden trace tests need trace hooks */
/* ---- Appendix A ---- */

static uint32_t word_of(const th_trace_rec *r, const char *label, int index, int *found)
{
  const kl_trace_value *v = th_trace_rec_find(r, label, index);
  *found = v != NULL;
  if (v == NULL)
    return 0;
  uint8_t b[16];
  fips_bytes(v, b);
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static void check_expansion_column(const th_trace_rec *r, const char *label, int i, const char *hex)
{
  int found;
  uint32_t got = word_of(r, label, i, &found);
  ck_assert_msg(found, "no trace value %s[%d]", label, i);
  ck_assert_msg(got == (uint32_t)strtoul(hex, NULL, 16), "%s[%d]: got %08x, FIPS 197 %s", label, i,
                (unsigned)got, hex);
}

START_TEST(key_expansion_appendix_a)
{
  FILE *f = fopen(th_vector_path("fips197/appendix-a.txt"), "r");
  ck_assert_ptr_nonnull(f);
  char line[512];
  th_trace_rec rec_, *rec = &rec_;
  th_trace_rec_init(rec);
  kl_tracer tr = th_trace_rec_tracer(rec);
  kl_aes_key key;
  int have_key = 0, rows = 0, keys = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "Cipher Key = ", 13) == 0) {
      uint8_t k[32];
      size_t n = 0;
      for (const char *p = line + 13; n < 32 && sscanf(p, "%2hhx", &k[n]) == 1; p += 3)
        n++;
      th_trace_rec_clear(rec);
      ck_assert_int_eq(kl_aes_init_traced(&key, KL_AES_IMPL_REF, k, n, &tr), KL_OK);
      check_shapes(rec);
      have_key = 1;
      keys++;
      continue;
    }
    char f1[16], f2[16], f3[16], f4[16], f5[16], f6[16], f7[16];
    int i;
    int got = sscanf(line, "%d %15s %15s %15s %15s %15s %15s %15s", &i, f1, f2, f3, f4, f5, f6, f7);
    if (got < 4 || line[0] == '#')
      continue;
    ck_assert(have_key);
    check_expansion_column(rec, "temp", i, f1);
    if (got == 4) { /* temp, w[i-Nk], w[i] */
      check_expansion_column(rec, "w[i-Nk]", i, f2);
      check_expansion_column(rec, "w", i, f3);
    } else if (got == 5) { /* AES-256, i mod Nk = 4: temp, SubWord, w[i-Nk], w[i] */
      check_expansion_column(rec, "SubWord", i, f2);
      check_expansion_column(rec, "w[i-Nk]", i, f3);
      check_expansion_column(rec, "w", i, f4);
    } else {
      ck_assert_int_eq(got, 8);
      check_expansion_column(rec, "RotWord", i, f2);
      check_expansion_column(rec, "SubWord", i, f3);
      check_expansion_column(rec, "Rcon", i, f4);
      check_expansion_column(rec, "xor_Rcon", i, f5);
      check_expansion_column(rec, "w[i-Nk]", i, f6);
      check_expansion_column(rec, "w", i, f7);
    }
    int found;
    ck_assert_uint_eq(key.w[i], word_of(rec, "w", i, &found));
    rows++;
  }
  fclose(f);
  th_trace_rec_free(rec);
  ck_assert_int_eq(keys, 3);
  ck_assert_int_eq(rows, 40 + 46 + 52); /* i = Nk .. 4(Nr+1)-1 for Nk = 4, 6, 8 */
}
END_TEST

/* ---- Appendix C: the golden trace ---- */

typedef struct c_line {
  char label[32]; /* "round[ 1].s_box" */
  uint8_t v[16];
} c_line;

typedef struct appendix_c {
  uint8_t key[32], pt[16];
  size_t key_len;
  c_line cipher[80], inverse[80], equivalent[80];
  size_t n_cipher, n_inverse, n_equivalent;
} appendix_c;

static void read_appendix_c(const char *rel, appendix_c *c)
{
  memset(c, 0, sizeof *c);
  FILE *f = fopen(th_vector_path(rel), "r");
  ck_assert_ptr_nonnull(f);
  char line[256];
  int section = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (line[0] == '#')
      continue;
    if (strncmp(line, "PLAINTEXT: ", 11) == 0) {
      size_t n = sizeof c->pt;
      ck_assert_int_eq(kl_hex_decode(c->pt, &n, line + 11, 32), KL_OK);
    } else if (strncmp(line, "KEY: ", 5) == 0) {
      size_t hex = strcspn(line + 5, "\n");
      c->key_len = sizeof c->key;
      ck_assert_int_eq(kl_hex_decode(c->key, &c->key_len, line + 5, hex), KL_OK);
    } else if (strncmp(line, "CIPHER (ENCRYPT):", 17) == 0) {
      section = 0;
    } else if (strncmp(line, "INVERSE CIPHER (DECRYPT):", 25) == 0) {
      section = 1;
    } else if (strncmp(line, "EQUIVALENT INVERSE CIPHER (DECRYPT):", 36) == 0) {
      section = 2;
    } else if (strncmp(line, "round[", 6) == 0) {
      /* "round[ 1].s_box 63ca...": the label has a space of its own (App. C
       * pads the round number), so split at the LAST space. */
      line[strcspn(line, "\r\n")] = '\0';
      char *sp = strrchr(line, ' ');
      ck_assert_ptr_nonnull(sp);
      *sp = '\0';
      const char *label = line, *hex = sp + 1;
      ck_assert_int_ge(section, 0);
      size_t *n = section == 0 ? &c->n_cipher : section == 1 ? &c->n_inverse : &c->n_equivalent;
      c_line *dst = section == 0 ? c->cipher : section == 1 ? c->inverse : c->equivalent;
      ck_assert_uint_lt(*n, 80);
      ck_assert_uint_lt(strlen(label), sizeof dst[*n].label);
      memcpy(dst[*n].label, label, strlen(label) + 1);
      size_t len = 16;
      ck_assert_int_eq(kl_hex_decode(dst[*n].v, &len, hex, strlen(hex)), KL_OK);
      ck_assert_uint_eq(len, 16);
      (*n)++;
    }
  }
  fclose(f);
}

/* The recorded trace, as App. C lines, must equal the transcription exactly. */
static void compare_trace(const th_trace_rec *rec, const c_line *want, size_t n_want,
                          const char *what)
{
  ck_assert_msg(rec->n == n_want, "%s: %zu trace values, App. C lists %zu", what, rec->n, n_want);
  for (size_t i = 0; i < n_want; i++) {
    const kl_trace_value *v = &rec->at[i].v;
    char label[40];
    uint8_t b[16];
    size_t len = fips_bytes(v, b);
    snprintf(label, sizeof label, "round[%2d].%s", v->index, v->label);
    ck_assert_msg(strcmp(label, want[i].label) == 0, "%s: value %zu is %s, App. C has %s", what, i,
                  label, want[i].label);
    ck_assert_msg(len == 16 && memcmp(b, want[i].v, 16) == 0, "%s: %s differs from App. C", what,
                  label);
  }
}

static const char *const appendix_files[3] = {"fips197/appendix-c1.txt", "fips197/appendix-c2.txt",
                                              "fips197/appendix-c3.txt"};

START_TEST(golden_trace_appendix_c)
{
  appendix_c *c = malloc(sizeof *c);
  th_trace_rec rec_, *rec = &rec_;
  th_trace_rec_init(rec);
  read_appendix_c(appendix_files[_i], c);
  unsigned Nr = (unsigned)c->key_len / 4 + 6;
  /* App. C: per cipher round 5 values (4 in the last), plus input, k_sch, output. */
  ck_assert_uint_eq(c->n_cipher, 2 + 5 * (Nr - 1) + 4 + 1);
  ck_assert_uint_eq(c->n_inverse, 2 + 5 * (Nr - 1) + 4 + 1);

  kl_aes_key key;
  kl_tracer tr = th_trace_rec_tracer(rec);
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_REF, c->key, c->key_len), KL_OK);
  kl_aes_set_tracer(&key, &tr);
  uint8_t ct[16], back[16];
  kl_aes_encrypt_block(&key, ct, c->pt);
  compare_trace(rec, c->cipher, c->n_cipher, "CIPHER (ENCRYPT)");
  th_trace_rec_clear(rec);
  kl_aes_decrypt_block(&key, back, ct);
  compare_trace(rec, c->inverse, c->n_inverse, "INVERSE CIPHER (DECRYPT)");
  ck_assert_mem_eq(back, c->pt, 16);

  /* §5.3.5: the Equivalent Inverse Cipher, line by line where the file has
   * App. C's EQUIVALENT INVERSE CIPHER section (C.3; C.1 and C.2 are held
   * against an implementation written from the standard, in
   * tests/cli/test_cli_aes.sh). */
  if (c->n_equivalent > 0) {
    ck_assert_uint_eq(c->n_equivalent, 2 + 5 * (Nr - 1) + 4 + 1);
    th_trace_rec_clear(rec);
    kl_aes_decrypt_block_equivalent(&key, back, ct);
    compare_trace(rec, c->equivalent, c->n_equivalent, "EQUIVALENT INVERSE CIPHER (DECRYPT)");
    ck_assert_mem_eq(back, c->pt, 16);
  }
  /* The same on a table-path key: the reference path whatever key->impl. */
  {
    kl_aes_key kt;
    uint8_t back_t[16];
    ck_assert_int_eq(kl_aes_init(&kt, KL_AES_IMPL_TTABLE, c->key, c->key_len), KL_OK);
    kl_aes_decrypt_block_equivalent(&kt, back_t, ct);
    ck_assert_mem_eq(back_t, c->pt, 16);
    kl_aes_clear(&kt);
  }
  if (c->n_equivalent > 0) {
    size_t keys = 0;
    for (size_t i = 0; i < c->n_equivalent; i++) {
      int r;
      char step[16];
      ck_assert_int_eq(sscanf(c->equivalent[i].label, "round[%d].%15s", &r, step), 2);
      if (strcmp(step, "ik_sch") != 0)
        continue;
      for (unsigned col = 0; col < 4; col++) {
        uint32_t w = key.dw[4 * (Nr - (unsigned)r) + col];
        const uint8_t *b = c->equivalent[i].v + 4 * col;
        ck_assert_uint_eq(w, ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
                               ((uint32_t)b[2] << 8) | b[3]);
      }
      keys++;
    }
    ck_assert_uint_eq(keys, Nr + 1);
  }

  /* Every implementation gives App. C's output, and the table paths trace
   * their entry and exit only. */
  static const kl_aes_impl impls[] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_TTABLE1};
  for (size_t m = 0; m < 2; m++) {
    kl_aes_key k2;
    ck_assert_int_eq(kl_aes_init(&k2, impls[m], c->key, c->key_len), KL_OK);
    th_trace_rec_clear(rec);
    kl_aes_set_tracer(&k2, &tr);
    uint8_t ct2[16], back2[16];
    kl_aes_encrypt_block(&k2, ct2, c->pt);
    ck_assert_mem_eq(ct2, ct, 16);
    ck_assert_uint_eq(rec->n, 2);
    kl_aes_decrypt_block(&k2, back2, ct2);
    check_shapes(rec);
    ck_assert_mem_eq(back2, c->pt, 16);
    kl_aes_clear(&k2);
  }
  ck_assert_mem_eq(ct, c->cipher[c->n_cipher - 1].v, 16);
  kl_aes_clear(&key);
  th_trace_rec_free(rec);
  free(c);
}
END_TEST

#endif

/* ---- NIST files through `kexlab vectors`' table of formats ---- */

typedef struct vec_file {
  const char *rel;
  unsigned long cases;
} vec_file;

/* Case counts: the number of COUNT records in each file (both sections). */
static const vec_file nist_files[] = {
  {"nist/aes/CBCGFSbox128.rsp", 14},
  {"nist/aes/CBCGFSbox192.rsp", 12},
  {"nist/aes/CBCGFSbox256.rsp", 10},
  {"nist/aes/CBCKeySbox128.rsp", 42},
  {"nist/aes/CBCKeySbox192.rsp", 48},
  {"nist/aes/CBCKeySbox256.rsp", 32},
  {"nist/aes/CBCMMT128.rsp", 20},
  {"nist/aes/CBCMMT192.rsp", 20},
  {"nist/aes/CBCMMT256.rsp", 20},
  {"nist/aes/CBCVarKey128.rsp", 256},
  {"nist/aes/CBCVarKey192.rsp", 384},
  {"nist/aes/CBCVarKey256.rsp", 512},
  {"nist/aes/CBCVarTxt128.rsp", 256},
  {"nist/aes/CBCVarTxt192.rsp", 256},
  {"nist/aes/CBCVarTxt256.rsp", 256},
  {"nist/aes/ECBGFSbox128.rsp", 14},
  {"nist/aes/ECBGFSbox192.rsp", 12},
  {"nist/aes/ECBGFSbox256.rsp", 10},
  {"nist/aes/ECBKeySbox128.rsp", 42},
  {"nist/aes/ECBKeySbox192.rsp", 48},
  {"nist/aes/ECBKeySbox256.rsp", 32},
  {"nist/aes/ECBMMT128.rsp", 20},
  {"nist/aes/ECBMMT192.rsp", 20},
  {"nist/aes/ECBMMT256.rsp", 20},
  {"nist/aes/ECBVarKey128.rsp", 256},
  {"nist/aes/ECBVarKey192.rsp", 384},
  {"nist/aes/ECBVarKey256.rsp", 512},
  {"nist/aes/ECBVarTxt128.rsp", 256},
  {"nist/aes/ECBVarTxt192.rsp", 256},
  {"nist/aes/ECBVarTxt256.rsp", 256},
  /* MCT: prefixes of 10 records per section (see vectors/README.md). */
  {"nist/aes-mct/CBCMCT128.fax", 20},
  {"nist/aes-mct/CBCMCT192.fax", 20},
  {"nist/aes-mct/CBCMCT256.fax", 20},
  {"nist/aes-mct/ECBMCT128.fax", 20},
  {"nist/aes-mct/ECBMCT192.fax", 20},
  {"nist/aes-mct/ECBMCT256.fax", 20},
  {"sp800-38a/sp800-38a-f2-cbc.vec", 6},
};

START_TEST(nist_vector_files)
{
  const vec_file *vf = &nist_files[_i];
  char path[1024];
  snprintf(path, sizeof path, "%s", th_vector_path(vf->rel));
  const char *base = strrchr(path, '/') + 1;
  vec_result r;
  vec_result_init(&r, path, stderr);
  const vec_format *format = vec_format_find_in("aes", path, base);
  ck_assert_msg(format != NULL, "%s not recognised", vf->rel);
  format->run(path, base, &r);
  ck_assert_int_eq(r.file_error, 0);
  ck_assert_uint_eq(r.failed, 0);
  ck_assert_uint_eq(r.skipped, 0);
  ck_assert_uint_eq(r.passed, vf->cases);
}
END_TEST

/* A corrupted copy of a KAT file must fail: the handler really compares,
 * and a record with empty PLAINTEXT/CIPHERTEXT is a failure, not a pass. */
START_TEST(vector_runner_detects_corruption)
{
  char tmp[] = "/tmp/kl_aes_XXXXXX";
  int fd = mkstemp(tmp);
  ck_assert_int_ge(fd, 0);
  FILE *out = fdopen(fd, "w");
  fputs("[ENCRYPT]\n\nCOUNT = 0\nKEY = 00000000000000000000000000000000\n"
        "PLAINTEXT = f34481ec3cc627bacd5dc3fb08f273e6\n"
        "CIPHERTEXT = 0336763e966d92595a567cc9ce537f5f\n\n"
        "COUNT = 1\nKEY = 00000000000000000000000000000000\n"
        "PLAINTEXT = f34481ec3cc627bacd5dc3fb08f273e6\n"
        "CIPHERTEXT = 0336763e966d92595a567cc9ce537f5e\n\n"
        "COUNT = 2\nKEY = 00000000000000000000000000000000\n"
        "PLAINTEXT = \n"
        "CIPHERTEXT = \n",
        out);
  fclose(out);
  char path[64];
  snprintf(path, sizeof path, "%s", tmp);
  vec_result r;
  vec_result_init(&r, path, NULL);
  const vec_format *format = vec_format_find_in("aes", path, "ECBGFSbox128.rsp");
  ck_assert_ptr_nonnull(format);
  format->run(path, "ECBGFSbox128.rsp", &r);
  unlink(tmp);
  ck_assert_uint_eq(r.passed, 1); /* ECBGFSbox128.rsp COUNT = 0 */
  ck_assert_uint_eq(r.failed, 2); /* the same with the last bit flipped, and an
                                   * empty record, which would compare nothing */
}
END_TEST

/* ---- ref vs tables on random keys and blocks ---- */

START_TEST(ref_vs_table_random)
{
  th_prng p;
  th_prng_init(&p, 0xae5);
  static const size_t lens[3] = {16, 24, 32};
  for (int i = 0; i < 10000; i++) {
    uint8_t k[32], pt[16], c_ref[16], c_tab[16], c_tab1[16], back[16];
    size_t k_len = lens[th_prng_below(&p, 3)];
    th_prng_bytes(&p, k, k_len);
    th_prng_bytes(&p, pt, 16);
    kl_aes_key ref, tab, tab1;
    ck_assert_int_eq(kl_aes_init(&ref, KL_AES_IMPL_REF, k, k_len), KL_OK);
    ck_assert_int_eq(kl_aes_init(&tab, KL_AES_IMPL_TTABLE, k, k_len), KL_OK);
    ck_assert_int_eq(kl_aes_init(&tab1, KL_AES_IMPL_TTABLE1, k, k_len), KL_OK);
    kl_aes_encrypt_block(&ref, c_ref, pt);
    kl_aes_encrypt_block(&tab, c_tab, pt);
    kl_aes_encrypt_block(&tab1, c_tab1, pt);
    ck_assert_mem_eq(c_ref, c_tab, 16);
    ck_assert_mem_eq(c_ref, c_tab1, 16);
    /* Decryption, each path on the same random block (not only round trips). */
    uint8_t d_ref[16], d_tab[16], d_tab1[16];
    kl_aes_decrypt_block(&ref, d_ref, pt);
    kl_aes_decrypt_block(&tab, d_tab, pt);
    kl_aes_decrypt_block(&tab1, d_tab1, pt);
    ck_assert_mem_eq(d_ref, d_tab, 16);
    ck_assert_mem_eq(d_ref, d_tab1, 16);
    kl_aes_decrypt_block(&tab, back, c_ref);
    ck_assert_mem_eq(back, pt, 16);
    /* In place. */
    memcpy(back, pt, 16);
    kl_aes_encrypt_block(&tab, back, back);
    ck_assert_mem_eq(back, c_ref, 16);
  }
}
END_TEST

/* ---- n blocks at once == n one-block calls ---- */

/* Each implementation, each key length, n = 0, 1, 2, odd and even counts
 * (the table path decrypts pairs, with an odd last block alone): the n-block
 * calls give what n one-block calls give, out of place (input untouched) and
 * in place, and a traced key sees the same trace, value for value, in the
 * same order. */
START_TEST(blocks_match_single_blocks)
{
  th_prng p;
  th_prng_init(&p, 0xb10c);
  static const kl_aes_impl impls[3] = {KL_AES_IMPL_REF, KL_AES_IMPL_TTABLE, KL_AES_IMPL_TTABLE1};
  static const size_t k_lens[3] = {16, 24, 32};
  static const size_t counts[] = {0, 1, 2, 3, 4, 5, 7, 8, 9};
  enum {
    MAX_BLOCKS = 9
  };
  th_trace_rec r_one, r_n;
  th_trace_rec_init(&r_one);
  th_trace_rec_init(&r_n);
  for (size_t m = 0; m < 3; m++) {
    for (size_t kk = 0; kk < 3; kk++) {
      for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        size_t n = counts[c], len = 16 * n;
        uint8_t k[32], in[16 * MAX_BLOCKS], in_copy[16 * MAX_BLOCKS];
        uint8_t one[16 * MAX_BLOCKS], many[16 * MAX_BLOCKS];
        th_prng_bytes(&p, k, k_lens[kk]);
        th_prng_bytes(&p, in, sizeof in);
        memcpy(in_copy, in, sizeof in);
        kl_aes_key key;
        ck_assert_int_eq(kl_aes_init(&key, impls[m], k, k_lens[kk]), KL_OK);
        for (int decrypt = 0; decrypt <= 1; decrypt++) {
          memset(one, 0, sizeof one);
          memset(many, 0, sizeof many);
          for (size_t j = 0; j < n; j++) {
            if (decrypt)
              kl_aes_decrypt_block(&key, one + 16 * j, in + 16 * j);
            else
              kl_aes_encrypt_block(&key, one + 16 * j, in + 16 * j);
          }
          kl_err e = decrypt ? kl_aes_decrypt_blocks(&key, many, in, n)
                             : kl_aes_encrypt_blocks(&key, many, in, n);
          ck_assert_int_eq(e, KL_OK);
          ck_assert_mem_eq(many, one, sizeof many); /* and nothing past 16n written */
          ck_assert_mem_eq(in, in_copy, sizeof in);
          /* In place. */
          memcpy(many, in, sizeof many);
          e = decrypt ? kl_aes_decrypt_blocks(&key, many, many, n)
                      : kl_aes_encrypt_blocks(&key, many, many, n);
          ck_assert_int_eq(e, KL_OK);
          ck_assert_mem_eq(many, one, len);
          ck_assert_mem_eq(many + len, in + len, sizeof many - len);
          /* Traced: the same values in the same order as n one-block calls.
           * Three blocks at most: the reference path traces every step. */
          size_t nt = n < 3 ? n : 3;
          kl_tracer t_one = th_trace_rec_tracer(&r_one), t_n = th_trace_rec_tracer(&r_n);
          th_trace_rec_clear(&r_one);
          th_trace_rec_clear(&r_n);
          kl_aes_set_tracer(&key, &t_one);
          for (size_t j = 0; j < nt; j++) {
            if (decrypt)
              kl_aes_decrypt_block(&key, one + 16 * j, in + 16 * j);
            else
              kl_aes_encrypt_block(&key, one + 16 * j, in + 16 * j);
          }
          kl_aes_set_tracer(&key, &t_n);
          e = decrypt ? kl_aes_decrypt_blocks(&key, many, in, nt)
                      : kl_aes_encrypt_blocks(&key, many, in, nt);
          ck_assert_int_eq(e, KL_OK);
          kl_aes_set_tracer(&key, NULL);
          ck_assert_mem_eq(many, one, 16 * nt);
          ck_assert_uint_eq(r_n.n, r_one.n);
          ck_assert_uint_eq(r_one.n > 0, kl_trace_compiled() && nt > 0);
          for (size_t i = 0; i < r_one.n; i++) {
            const kl_trace_value *a = &r_n.at[i].v, *b = &r_one.at[i].v;
            ck_assert_str_eq(a->label, b->label);
            ck_assert_int_eq(a->index, b->index);
            ck_assert_uint_eq(a->len, b->len);
            ck_assert_mem_eq(a->bytes, b->bytes, b->len);
          }
        }
        kl_aes_clear(&key);
      }
    }
  }
  th_trace_rec_free(&r_one);
  th_trace_rec_free(&r_n);
}
END_TEST

START_TEST(blocks_bad_args)
{
  uint8_t k[16] = {0}, buf[32] = {0};
  kl_aes_key key;
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, k, 16), KL_OK);
  ck_assert_int_eq(kl_aes_encrypt_blocks(NULL, buf, buf, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_decrypt_blocks(NULL, buf, buf, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_encrypt_blocks(&key, NULL, buf, 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_decrypt_blocks(&key, buf, NULL, 1), KL_ERR_ARG);
  /* Nothing to do: no buffer needed. */
  ck_assert_int_eq(kl_aes_encrypt_blocks(&key, NULL, NULL, 0), KL_OK);
  ck_assert_int_eq(kl_aes_decrypt_blocks(&key, NULL, NULL, 0), KL_OK);
  /* 16 * nblocks would not fit in a size_t (checked before any block). */
  ck_assert_int_eq(kl_aes_encrypt_blocks(&key, buf, buf, SIZE_MAX / 16 + 1), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_decrypt_blocks(&key, buf, buf, SIZE_MAX / 16 + 1), KL_ERR_ARG);
  kl_aes_clear(&key);
}
END_TEST

/* ---- bad input, wipe ---- */

START_TEST(bad_keys_and_args)
{
  uint8_t k[40] = {0};
  kl_aes_key key;
  static const size_t bad[] = {0, 1, 8, 15, 17, 20, 23, 25, 31, 33, 40};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, k, bad[i]), KL_ERR_KEY_LEN);
  ck_assert_int_eq(kl_aes_init(NULL, KL_AES_IMPL_TTABLE, k, 16), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, NULL, 16), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_init(&key, (kl_aes_impl)7, k, 16), KL_ERR_ARG);
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_REF, k, 24), KL_OK);
  ck_assert_uint_eq(key.Nk, 6);
  ck_assert_uint_eq(key.Nr, 12);
}
END_TEST

START_TEST(clear_wipes_round_keys)
{
  uint8_t k[32];
  memset(k, 0xa5, sizeof k);
  kl_aes_key key;
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, k, 32), KL_OK);
  kl_aes_set_tracer(&key, &tr);
  kl_aes_clear(&key);
  ck_assert_uint_eq(rec.n, 0); /* clearing traces nothing */
  th_trace_rec_free(&rec);
  const uint8_t *b = (const uint8_t *)&key;
  for (size_t i = 0; i < sizeof key; i++)
    ck_assert_msg(b[i] == 0, "byte %zu of kl_aes_key not wiped", i);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("aes");
  TCase *tc = tcase_create("fips197");
  tcase_add_test(tc, sbox_matches_fips197);
  tcase_add_test(tc, ttables_recomputed);
#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
  tcase_add_test(tc, key_expansion_appendix_a);
  tcase_add_loop_test(tc, golden_trace_appendix_c, 0, 3);
#endif
  suite_add_tcase(s, tc);
  TCase *tv = tcase_create("vectors");
  tcase_set_timeout(tv, 120);
  tcase_add_loop_test(tv, nist_vector_files, 0, (int)(sizeof nist_files / sizeof nist_files[0]));
  tcase_add_test(tv, vector_runner_detects_corruption);
  suite_add_tcase(s, tv);
  TCase *tr = tcase_create("agreement");
  tcase_set_timeout(tr, 120);
  tcase_add_test(tr, ref_vs_table_random);
  tcase_add_test(tr, blocks_match_single_blocks);
  suite_add_tcase(s, tr);
  TCase *tb = tcase_create("bad_input");
  tcase_add_test(tb, bad_keys_and_args);
  tcase_add_test(tb, clear_wipes_round_keys);
  tcase_add_test(tb, blocks_bad_args);
  suite_add_tcase(s, tb);
  return s;
}
