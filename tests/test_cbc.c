/* test_cbc.c: CBC (SP 800-38A §6.2), PKCS#7 (RFC 5652 §6.3), seal/open.
 * The CBC known answers themselves (SP 800-38A F.2, AESAVS CBC files) run in
 * test_aes.c through the `kexlab vectors` handler; this suite covers what
 * those files cannot: padding, in-place operation, the seal format, and
 * bad inputs (arguments, lengths, padding), each returning the one generic
 * KL_ERR_DECRYPT where the contract says so, and the traced calls, line by
 * line against SP 800-38A F.2 (vectors/sp800-38a/f2-cbc-blocks.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kl_config.h"
#include "test_util.h"
#include "trace_rec.h"

static const uint8_t key256[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

/* SP 800-38A F.2.1, first two blocks: an in-place encryption and decryption
 * through both paths, including the two-block interleaved decryption. */
START_TEST(in_place_both_paths)
{
  size_t len;
  uint8_t *k = th_hex("2b7e151628aed2a6abf7158809cf4f3c", &len);
  uint8_t *iv = th_hex("000102030405060708090a0b0c0d0e0f", &len);
  uint8_t *pt = th_hex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                       "30c81c46a35ce411e5fbc1191a0a52ef",
                       &len);
  const char *ct_hex = "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
                       "73bed6b8e3c1743b7116e69e22229516";
  static const kl_aes_impl impls[] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_REF, KL_AES_IMPL_TTABLE1};
  for (size_t m = 0; m < 3; m++) {
    kl_aes_key key;
    ck_assert_int_eq(kl_aes_init(&key, impls[m], k, 16), KL_OK);
    uint8_t buf[48];
    memcpy(buf, pt, 48);
    ck_assert_int_eq(kl_cbc_encrypt(&key, iv, buf, buf, 48), KL_OK);
    th_assert_hex(buf, 48, ct_hex);
    ck_assert_int_eq(kl_cbc_decrypt(&key, iv, buf, buf, 48), KL_OK);
    ck_assert_mem_eq(buf, pt, 48);
    ck_assert_int_eq(kl_cbc_encrypt(&key, iv, buf, buf, 0), KL_OK);
    kl_aes_clear(&key);
  }
  free(k);
  free(iv);
  free(pt);
}
END_TEST

START_TEST(cbc_bad_args)
{
  kl_aes_key key;
  uint8_t iv[16] = {0}, buf[32] = {0};
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, key256, 32), KL_OK);
  for (size_t len = 1; len < 32; len++) {
    if (len == 16)
      continue;
    ck_assert_int_eq(kl_cbc_encrypt(&key, iv, buf, buf, len), KL_ERR_LEN);
    ck_assert_int_eq(kl_cbc_decrypt(&key, iv, buf, buf, len), KL_ERR_LEN);
  }
  ck_assert_int_eq(kl_cbc_encrypt(NULL, iv, buf, buf, 16), KL_ERR_ARG);
  ck_assert_int_eq(kl_cbc_encrypt(&key, NULL, buf, buf, 16), KL_ERR_ARG);
  ck_assert_int_eq(kl_cbc_decrypt(&key, iv, NULL, buf, 16), KL_ERR_ARG);
  kl_aes_clear(&key);
}
END_TEST

/* RFC 5652 §6.3: 1..16 bytes of value n; a whole block when aligned. */
START_TEST(pkcs7_pad_lengths)
{
  uint8_t in[64], out[80];
  memset(in, 0x41, sizeof in);
  for (size_t len = 0; len <= 64; len++) {
    size_t out_len = sizeof out;
    ck_assert_int_eq(kl_pkcs7_pad(out, &out_len, in, len), KL_OK);
    size_t n = 16 - len % 16;
    ck_assert_uint_eq(out_len, len + n);
    ck_assert_uint_eq(kl_pkcs7_padded_len(len), len + n);
    for (size_t i = len; i < out_len; i++)
      ck_assert_uint_eq(out[i], n);
    size_t pt_len = 999;
    ck_assert_int_eq(kl_pkcs7_unpad_len(out, out_len, &pt_len), KL_OK);
    ck_assert_uint_eq(pt_len, len);
  }
  size_t small = 15;
  ck_assert_int_eq(kl_pkcs7_pad(out, &small, in, 15), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(small, 16);
}
END_TEST

/* Encrypt a crafted last block without padding, then open it: every bad
 * padding must give the same KL_ERR_DECRYPT, and the output must be wiped. */
static void expect_bad_padding(const kl_aes_key *key, const uint8_t last[16])
{
  uint8_t sealed[48];
  memset(sealed, 0x5a, 16);      /* IV */
  memset(sealed + 16, 0x11, 16); /* a first plaintext block */
  memcpy(sealed + 32, last, 16); /* the crafted last block */
  ck_assert_int_eq(kl_cbc_encrypt(key, sealed, sealed + 16, sealed + 16, 32), KL_OK);
  uint8_t out[32];
  size_t out_len = sizeof out;
  ck_assert_int_eq(kl_cbc_open(key, out, &out_len, sealed, sizeof sealed), KL_ERR_DECRYPT);
  ck_assert_uint_eq(out_len, 0);
  for (size_t i = 0; i < sizeof out; i++)
    ck_assert_uint_eq(out[i], 0);
  size_t pt_len = 7;
  ck_assert_int_eq(kl_pkcs7_unpad_len(last, 16, &pt_len), KL_ERR_DECRYPT);
}

START_TEST(bad_padding_one_error)
{
  kl_aes_key key;
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, key256, 32), KL_OK);
  uint8_t last[16];
  /* Last byte 0, 17, 255 (and every other value above 16). */
  for (unsigned v = 0; v < 256; v++) {
    if (v >= 1 && v <= 16)
      continue;
    memset(last, 0x10, 16);
    last[15] = (uint8_t)v;
    expect_bad_padding(&key, last);
  }
  /* A correct last byte n over an inconsistent earlier byte, at every position. */
  for (unsigned n = 2; n <= 16; n++) {
    for (unsigned pos = 1; pos < n; pos++) {
      memset(last, 0x33, 16);
      memset(last + 16 - n, (int)n, n);
      last[15 - pos] ^= 0x01;
      expect_bad_padding(&key, last);
    }
  }
  /* The good ones still open (n = 1..16). */
  for (unsigned n = 1; n <= 16; n++) {
    memset(last, 0x33, 16);
    memset(last + 16 - n, (int)n, n);
    size_t pt_len;
    ck_assert_int_eq(kl_pkcs7_unpad_len(last, 16, &pt_len), KL_OK);
    ck_assert_uint_eq(pt_len, 16 - n);
  }
  kl_aes_clear(&key);
}
END_TEST

START_TEST(seal_open_round_trip)
{
  th_prng p;
  th_prng_init(&p, 0xcbc);
  th_prng ivs;
  th_prng_init(&ivs, 0x1f);
  kl_rng rng;
  th_prng_rng(&rng, &ivs);
  static const size_t key_lens[3] = {16, 24, 32};
  uint8_t pt[100], sealed[160], out[160];
  for (size_t kl = 0; kl < 3; kl++) {
    kl_aes_key key;
    ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, key256, key_lens[kl]), KL_OK);
    for (size_t len = 0; len <= sizeof pt; len++) {
      th_prng_bytes(&p, pt, len);
      size_t sealed_len = sizeof sealed;
      ck_assert_int_eq(kl_cbc_seal(&key, &rng, sealed, &sealed_len, pt, len), KL_OK);
      ck_assert_uint_eq(sealed_len, kl_cbc_sealed_len(len));
      ck_assert_uint_eq(sealed_len, 16 + 16 * (len / 16 + 1));
      size_t out_len = sizeof out;
      ck_assert_int_eq(kl_cbc_open(&key, out, &out_len, sealed, sealed_len), KL_OK);
      ck_assert_uint_eq(out_len, len);
      ck_assert(len == 0 || memcmp(out, pt, len) == 0);
      /* Tampering with the last ciphertext byte nearly always breaks the padding;
       * when it does, the error is the generic one. */
      sealed[sealed_len - 1] ^= 0x80;
      out_len = sizeof out;
      kl_err e = kl_cbc_open(&key, out, &out_len, sealed, sealed_len);
      ck_assert(e == KL_OK || e == KL_ERR_DECRYPT);
    }
    size_t tiny = 10;
    ck_assert_int_eq(kl_cbc_seal(&key, &rng, sealed, &tiny, pt, 5), KL_ERR_BUF_TOO_SMALL);
    ck_assert_uint_eq(tiny, 32);
    kl_aes_clear(&key);
  }
}
END_TEST

/* Wrong lengths in the seal format: empty, shorter than IV + one block, not
 * whole blocks: all KL_ERR_DECRYPT. */
START_TEST(open_bad_lengths)
{
  kl_aes_key key;
  ck_assert_int_eq(kl_aes_init(&key, KL_AES_IMPL_TTABLE, key256, 16), KL_OK);
  uint8_t in[64] = {0}, out[64];
  static const size_t bad[] = {0, 1, 15, 16, 17, 31, 33, 47, 63};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    size_t out_len = sizeof out;
    ck_assert_int_eq(kl_cbc_open(&key, out, &out_len, in, bad[i]), KL_ERR_DECRYPT);
  }
  size_t small = 8;
  ck_assert_int_eq(kl_cbc_open(&key, out, &small, in, 48), KL_ERR_BUF_TOO_SMALL);
  ck_assert_uint_eq(small, 32);
  size_t pt_len;
  ck_assert_int_eq(kl_pkcs7_unpad_len(in, 0, &pt_len), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_pkcs7_unpad_len(in, 15, &pt_len), KL_ERR_DECRYPT);
  ck_assert_int_eq(kl_cbc_open(NULL, out, &small, in, 48), KL_ERR_ARG);
  kl_aes_clear(&key);
}
END_TEST

/* cbc.c decrypts runs of up to 16 blocks through kl_aes_decrypt_blocks,
 * which the table path takes two blocks at a time (an odd last block alone)
 * and the reference path, and a traced table key, one block at a time. All
 * three must agree on random keys, IVs and block counts, odd and even (so the
 * single trailing block is covered) and past one run, in place and out of
 * place, with the input left untouched out of place. */
START_TEST(cbc_table_vs_ref_random)
{
  th_prng p;
  th_prng_init(&p, 0xcbc);
  static const size_t key_lens[3] = {16, 24, 32};
  enum {
    MAX_BLOCKS = 40
  };
  size_t blocks_seen[2] = {0, 0}; /* odd, even block counts > 1 */
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  for (int i = 0; i < 600; i++) {
    uint8_t k[32], iv[16], in[16 * MAX_BLOCKS], in_copy[16 * MAX_BLOCKS];
    uint8_t c_ref[16 * MAX_BLOCKS], c_tab[16 * MAX_BLOCKS], c_trc[16 * MAX_BLOCKS];
    uint8_t buf[16 * MAX_BLOCKS];
    size_t k_len = key_lens[th_prng_below(&p, 3)];
    /* Mostly short messages, where the odd/even split matters; some long. */
    size_t blocks = i % 4 == 3 ? (size_t)th_prng_below(&p, MAX_BLOCKS + 1)
                               : (size_t)th_prng_below(&p, 8);
    size_t len = 16 * blocks;
    th_prng_bytes(&p, k, k_len);
    th_prng_bytes(&p, iv, 16);
    th_prng_bytes(&p, in, len);
    memcpy(in_copy, in, len);
    if (blocks > 1)
      blocks_seen[blocks % 2 == 0]++;
    kl_aes_key ref, tab, trc;
    ck_assert_int_eq(kl_aes_init(&ref, KL_AES_IMPL_REF, k, k_len), KL_OK);
    ck_assert_int_eq(kl_aes_init(&tab, KL_AES_IMPL_TTABLE, k, k_len), KL_OK);
    th_trace_rec_clear(&rec);
    ck_assert_int_eq(kl_aes_init(&trc, KL_AES_IMPL_TTABLE, k, k_len), KL_OK);
    kl_aes_set_tracer(&trc, &tr);

    /* Encryption, out of place. */
    ck_assert_int_eq(kl_cbc_encrypt(&ref, iv, c_ref, in, len), KL_OK);
    ck_assert_int_eq(kl_cbc_encrypt(&tab, iv, c_tab, in, len), KL_OK);
    ck_assert_int_eq(kl_cbc_encrypt(&trc, iv, c_trc, in, len), KL_OK);
    ck_assert_mem_eq(c_tab, c_ref, len);
    ck_assert_mem_eq(c_trc, c_ref, len);
    ck_assert_mem_eq(in, in_copy, len);
    /* Encryption, in place. */
    memcpy(buf, in, len);
    ck_assert_int_eq(kl_cbc_encrypt(&tab, iv, buf, buf, len), KL_OK);
    ck_assert_mem_eq(buf, c_ref, len);

    /* Decryption of the random input itself (not only of our ciphertext),
     * out of place, then in place. */
    ck_assert_int_eq(kl_cbc_decrypt(&ref, iv, c_ref, in, len), KL_OK);
    ck_assert_int_eq(kl_cbc_decrypt(&tab, iv, c_tab, in, len), KL_OK);
    ck_assert_int_eq(kl_cbc_decrypt(&trc, iv, c_trc, in, len), KL_OK);
    ck_assert_mem_eq(c_tab, c_ref, len);
    ck_assert_mem_eq(c_trc, c_ref, len);
    ck_assert_mem_eq(in, in_copy, len);
    memcpy(buf, in, len);
    ck_assert_int_eq(kl_cbc_decrypt(&tab, iv, buf, buf, len), KL_OK);
    ck_assert_mem_eq(buf, c_ref, len);
    /* Round trip in place on the table path. */
    ck_assert_int_eq(kl_cbc_encrypt(&tab, iv, buf, buf, len), KL_OK);
    ck_assert_mem_eq(buf, in, len);
    /* The traced key went block by block: "input" and "output" per block,
     * two passes (none when the build has no trace hooks). */
    ck_assert_uint_eq(rec.n, kl_trace_compiled() ? 2 * 2 * blocks : 0);
    kl_aes_clear(&ref);
    kl_aes_clear(&tab);
    kl_aes_clear(&trc);
  }
  ck_assert_uint_gt(blocks_seen[0], 50);
  ck_assert_uint_gt(blocks_seen[1], 50);
  th_trace_rec_free(&rec);
}
END_TEST

#if KL_WITH_TRACE /* -Dtrace=false compiles the trace calls away */
/* ---- SP 800-38A F.2, line by line ---- */

/* One line of vectors/sp800-38a/f2-cbc-blocks.txt: "<label> <32 hex>", the
 * label being the document's ("IV", "Plaintext", "Input Block", ...), with
 * the block number of the "Block #j" line above it (-1 for the IV). */
typedef struct f2_line {
  char label[16];
  int block;
  uint8_t v[16];
} f2_line;

typedef struct f2_example {
  char title[40]; /* "F.2.1 CBC-AES128.Encrypt" */
  int encrypt;
  uint8_t key[32];
  size_t key_len;
  f2_line lines[1 + 4 * 4]; /* IV, then four lines for each of four blocks */
  size_t n;
} f2_example;

/* Reads the six examples; returns how many were read. */
static size_t read_f2(f2_example *ex, size_t max)
{
  FILE *f = fopen(th_vector_path("sp800-38a/f2-cbc-blocks.txt"), "r");
  ck_assert_ptr_nonnull(f);
  char line[256];
  size_t n = 0;
  int block = -1;
  f2_example *e = NULL;
  while (fgets(line, sizeof line, f) != NULL) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0')
      continue;
    if (strncmp(line, "F.2.", 4) == 0) {
      ck_assert_uint_lt(n, max);
      e = &ex[n++];
      memset(e, 0, sizeof *e);
      snprintf(e->title, sizeof e->title, "%.39s", line);
      e->encrypt = strstr(line, ".Encrypt") != NULL;
      block = -1;
      continue;
    }
    ck_assert_ptr_nonnull(e);
    if (sscanf(line, "Block #%d", &block) == 1)
      continue;
    /* "<label> <hex>": the label may hold a space, so split at the last one. */
    char *sp = strrchr(line, ' ');
    ck_assert_ptr_nonnull(sp);
    *sp = '\0';
    size_t len = sizeof e->key;
    if (strcmp(line, "Key") == 0) {
      ck_assert_int_eq(kl_hex_decode(e->key, &len, sp + 1, strlen(sp + 1)), KL_OK);
      e->key_len = len;
      continue;
    }
    ck_assert_uint_lt(e->n, sizeof e->lines / sizeof e->lines[0]);
    f2_line *l = &e->lines[e->n++];
    ck_assert_uint_lt(strlen(line), sizeof l->label);
    memcpy(l->label, line, strlen(line) + 1);
    l->block = block;
    len = 16;
    ck_assert_int_eq(kl_hex_decode(l->v, &len, sp + 1, strlen(sp + 1)), KL_OK);
    ck_assert_uint_eq(len, 16);
  }
  fclose(f);
  return n;
}

/* kexlab aes --trace's lines come from kl_cbc_*_traced: on every AES path,
 * the trace must be the document's lines, in its order, value for value. */
START_TEST(trace_sp800_38a_f2)
{
  f2_example *ex = calloc(6, sizeof *ex);
  ck_assert_ptr_nonnull(ex);
  ck_assert_uint_eq(read_f2(ex, 6), 6);
  static const kl_aes_impl impls[] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_REF, KL_AES_IMPL_TTABLE1};
  th_trace_rec rec;
  th_trace_rec_init(&rec);
  kl_tracer tr = th_trace_rec_tracer(&rec);
  for (size_t i = 0; i < 6; i++) {
    const f2_example *e = &ex[i];
    ck_assert_uint_eq(e->n, 17);
    ck_assert_str_eq(e->lines[0].label, "IV");
    /* The message: the document's first (encrypt) or last (decrypt) line of
     * each block. */
    uint8_t msg[64], out[64];
    for (size_t b = 0; b < 4; b++)
      memcpy(msg + 16 * b, e->lines[1 + 4 * b].v, 16);
    for (size_t m = 0; m < 3; m++) {
      kl_aes_key key;
      ck_assert_int_eq(kl_aes_init(&key, impls[m], e->key, e->key_len), KL_OK);
      th_trace_rec_clear(&rec);
      if (e->encrypt)
        ck_assert_int_eq(kl_cbc_encrypt_traced(&key, e->lines[0].v, out, msg, 64, &tr), KL_OK);
      else
        ck_assert_int_eq(kl_cbc_decrypt_traced(&key, e->lines[0].v, out, msg, 64, &tr), KL_OK);
      ck_assert_msg(rec.n == e->n, "%s: %zu trace lines, the document has %zu", e->title, rec.n,
                    e->n);
      for (size_t k = 0; k < e->n; k++) {
        const kl_trace_value *v = &rec.at[k].v;
        const f2_line *want = &e->lines[k];
        ck_assert_msg(strcmp(v->label, want->label) == 0 && v->index == want->block,
                      "%s line %zu: %s[%d], the document has %s in block %d", e->title, k, v->label,
                      v->index, want->label, want->block);
        ck_assert_msg(
          v->kind == KL_TRACE_BYTES && v->len == 16 && memcmp(v->bytes, want->v, 16) == 0,
          "%s: block %d %s differs from the document", e->title, want->block, want->label);
      }
      /* The output is the document's last (encrypt) or first line per block. */
      for (size_t b = 0; b < 4; b++)
        ck_assert_mem_eq(out + 16 * b, e->lines[4 + 4 * b].v, 16);
      kl_aes_clear(&key);
    }
  }
  th_trace_rec_free(&rec);
  free(ex);
}
END_TEST
#endif

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("cbc");
  TCase *tc = tcase_create("cbc");
  tcase_add_test(tc, in_place_both_paths);
  tcase_add_test(tc, cbc_bad_args);
  tcase_add_test(tc, pkcs7_pad_lengths);
  tcase_add_test(tc, bad_padding_one_error);
  tcase_add_test(tc, seal_open_round_trip);
  tcase_add_test(tc, open_bad_lengths);
  tcase_add_test(tc, cbc_table_vs_ref_random);
#if KL_WITH_TRACE
  tcase_add_test(tc, trace_sp800_38a_f2);
#endif
  suite_add_tcase(s, tc);
  return s;
}
