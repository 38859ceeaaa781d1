/* vec_aes.c: `kexlab vectors` for AES (FIPS 197) and CBC (SP 800-38A).
 * Formats, recognised by file name (entries in formats.c):
 *  - AESAVS known-answer files {CBC,ECB}{GFSbox,KeySbox,VarKey,VarTxt}{128,192,256}.rsp
 *    and multi-block message files {CBC,ECB}MMT{128,192,256}.rsp (NIST CAVP,
 *    "The Advanced Encryption Standard Algorithm Validation Suite (AESAVS)",
 *    2002, §6.2 and §6.3): records KEY, [IV], PLAINTEXT, CIPHERTEXT under
 *    [ENCRYPT] or [DECRYPT]. Trap: the two sections share COUNT values, and
 *    in [DECRYPT] CIPHERTEXT comes before PLAINTEXT; we go by the header.
 *  - AESAVS Monte Carlo files {CBC,ECB}MCT{128,192,256}.rsp or .fax (§6.4):
 *    each record gives the inputs of one outer iteration (KEY, IV, PLAINTEXT
 *    or CIPHERTEXT) and the output after 1000 inner iterations. A record
 *    passes when its output matches AND (after the first of a section) its
 *    inputs equal what §6.4 derives from the previous record, so a file that
 *    holds only a prefix of the 100 records is checked just as strictly.
 *  - SP 800-38A Appendix F.2 (the .vec files in vectors/sp800-38a/): Key, IV, Plaintext,
 *    Ciphertext, Direction.
 * Every case runs through every implementation (reference, four T-tables,
 * one T-table) and passes only if all of them give the expected bytes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"
#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "vecfile.h"

static const kl_aes_impl all_impls[] = {KL_AES_IMPL_TTABLE, KL_AES_IMPL_REF, KL_AES_IMPL_TTABLE1};
#define N_IMPLS (sizeof all_impls / sizeof all_impls[0])

static const char *impl_name(kl_aes_impl impl)
{
  switch (impl) {
  case KL_AES_IMPL_REF:
    return "ref";
  case KL_AES_IMPL_TTABLE1:
    return "table1";
  case KL_AES_IMPL_TTABLE:
  default:
    return "table";
  }
}

typedef enum {
  MODE_ECB,
  MODE_CBC
} aes_mode;

/* ECB over whole blocks, for the KAT/MMT files only (never offered for messages). */
static int ecb_run(const kl_aes_key *key, int encrypt, uint8_t *out, const uint8_t *in, size_t len)
{
  if (len % KL_AES_BLOCK_BYTES != 0)
    return -1;
  for (size_t j = 0; j < len; j += KL_AES_BLOCK_BYTES) {
    if (encrypt)
      kl_aes_encrypt_block(key, out + j, in + j);
    else
      kl_aes_decrypt_block(key, out + j, in + j);
  }
  return 0;
}

/* One message through one implementation; 0 on success, -1 on a length or key error. */
static int run_one(kl_aes_impl impl, aes_mode mode, int encrypt, const uint8_t *k, size_t k_len,
                   const uint8_t *iv, uint8_t *out, const uint8_t *in, size_t len)
{
  kl_aes_key key;
  if (kl_aes_init(&key, impl, k, k_len) != KL_OK)
    return -1;
  int rc;
  if (mode == MODE_ECB) {
    rc = ecb_run(&key, encrypt, out, in, len);
  } else {
    kl_err e = encrypt ? kl_cbc_encrypt(&key, iv, out, in, len)
                       : kl_cbc_decrypt(&key, iv, out, in, len);
    rc = e == KL_OK ? 0 : -1;
  }
  kl_aes_clear(&key);
  return rc;
}

/* Check one record (key, iv, input -> expected) through every implementation. */
static void check_case(vec_result *r, const vecfile *vf, aes_mode mode, int encrypt,
                       const uint8_t *k, size_t k_len, const uint8_t *iv, const uint8_t *in,
                       const uint8_t *expected, size_t len)
{
  uint8_t *got = malloc(len + 1);
  if (got == NULL) {
    vec_fail_msg(r, vf, "out of memory");
    return;
  }
  for (size_t i = 0; i < N_IMPLS; i++) {
    char what[48];
    snprintf(what, sizeof what, "%s (%s)", encrypt ? "CIPHERTEXT" : "PLAINTEXT",
             impl_name(all_impls[i]));
    if (run_one(all_impls[i], mode, encrypt, k, k_len, iv, got, in, len) != 0) {
      vec_fail_msg(r, vf, "%s: key or length rejected", what);
      free(got);
      return;
    }
    if (len > 0 && memcmp(got, expected, len) != 0) {
      vec_fail(r, vf, what, expected, len, got, len);
      free(got);
      return;
    }
  }
  vec_pass(r);
  free(got);
}

/* Decode the named hex fields; returns 0, or -1 (and counts a failure). */
static int get_hex(vec_result *r, const vecfile *vf, const char *name, uint8_t **out, size_t *len)
{
  const char *text = vecfile_get(vf, name);
  if (text == NULL || vec_hex(text, out, len) != 0) {
    vec_fail_msg(r, vf, "missing or malformed %s", name);
    *out = NULL;
    return -1;
  }
  return 0;
}

/* ---- KAT and MMT (AESAVS §6.2, §6.3) ---- */

static void run_kat(vecfile *vf, vec_result *r, aes_mode mode)
{
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    int encrypt = vecfile_header(vf, "ENCRYPT") != NULL;
    if (!encrypt && vecfile_header(vf, "DECRYPT") == NULL) {
      vec_fail_msg(r, vf, "record outside [ENCRYPT]/[DECRYPT]");
      continue;
    }
    uint8_t *k = NULL, *iv = NULL, *pt = NULL, *ct = NULL;
    size_t k_len = 0, iv_len = 0, pt_len = 0, ct_len = 0;
    if (get_hex(r, vf, "KEY", &k, &k_len) == 0 &&
        (mode == MODE_ECB || get_hex(r, vf, "IV", &iv, &iv_len) == 0) &&
        get_hex(r, vf, "PLAINTEXT", &pt, &pt_len) == 0 &&
        get_hex(r, vf, "CIPHERTEXT", &ct, &ct_len) == 0) {
      /* An empty PLAINTEXT/CIPHERTEXT pair would compare nothing and pass:
       * AESAVS records always hold at least one block. */
      if (pt_len == 0 || pt_len != ct_len || (mode == MODE_CBC && iv_len != KL_AES_BLOCK_BYTES))
        vec_fail_msg(r, vf, "inconsistent lengths");
      else if (encrypt)
        check_case(r, vf, mode, 1, k, k_len, iv, pt, ct, pt_len);
      else
        check_case(r, vf, mode, 0, k, k_len, iv, ct, pt, ct_len);
    }
    free(k);
    free(iv);
    free(pt);
    free(ct);
  }
  if (rc < 0)
    r->file_error = 1;
}

/* ---- Monte Carlo Test (AESAVS §6.4.1 ECB, §6.4.2 CBC) ---- */

typedef struct mct_state {
  uint8_t key[32];
  size_t key_len;
  uint8_t iv[16];
  uint8_t in[16];  /* PT[0] (encrypt) or CT[0] (decrypt) */
  uint8_t out[16]; /* the output after 1000 iterations */
} mct_state;

/* One outer iteration i of §6.4: 1000 inner iterations from st->key, st->iv,
 * st->in; leaves the output in st->out and the inputs of iteration i+1 in
 * st->key, st->iv, st->in. Returns 0, or -1 if the key is rejected. */
static int mct_outer(mct_state *st, kl_aes_impl impl, aes_mode mode, int encrypt)
{
  kl_aes_key key;
  if (kl_aes_init(&key, impl, st->key, st->key_len) != KL_OK)
    return -1;
  uint8_t x[16], y[16], prev[16] = {0}, last[16] = {0};
  uint8_t chain[16];
  memcpy(x, st->in, 16);
  memcpy(chain, st->iv, 16);
  for (unsigned j = 0; j < 1000; j++) {
    if (mode == MODE_ECB) {
      /* §6.4.1: CT[j] = AES(Key[i], PT[j]); PT[j+1] = CT[j] (roles swapped to decrypt). */
      if (encrypt)
        kl_aes_encrypt_block(&key, y, x);
      else
        kl_aes_decrypt_block(&key, y, x);
      memcpy(prev, last, 16);
      memcpy(last, y, 16);
      memcpy(x, y, 16);
    } else {
      /* §6.4.2: j = 0: CT[0] = AES(Key[i], IV[i], PT[0]), PT[1] = IV[i];
       *         j > 0: CT[j] = AES(Key[i], PT[j]) chained on CT[j-1], PT[j+1] = CT[j-1]. */
      kl_err e = encrypt ? kl_cbc_encrypt(&key, chain, y, x, 16)
                         : kl_cbc_decrypt(&key, chain, y, x, 16);
      if (e != KL_OK) {
        kl_aes_clear(&key);
        return -1;
      }
      uint8_t next_in[16];
      if (j == 0)
        memcpy(next_in, st->iv, 16);
      else
        memcpy(next_in, last, 16);
      /* The chaining value of the next block: CT[j] when encrypting, the
       * ciphertext block itself (the input x) when decrypting. */
      if (encrypt)
        memcpy(chain, y, 16);
      else
        memcpy(chain, x, 16);
      memcpy(prev, last, 16);
      memcpy(last, y, 16);
      memcpy(x, next_in, 16);
    }
  }
  kl_aes_clear(&key);
  memcpy(st->out, last, 16);
  /* Key[i+1] = Key[i] xor (the last key-length bits of ... || CT[j-1] || CT[j]). */
  uint8_t tail[32];
  memcpy(tail, prev, 16);
  memcpy(tail + 16, last, 16);
  for (size_t b = 0; b < st->key_len; b++)
    st->key[b] ^= tail[32 - st->key_len + b];
  if (mode == MODE_ECB) {
    memcpy(st->in, last, 16); /* PT[0] = CT[j] */
  } else {
    memcpy(st->iv, last, 16); /* IV[i+1] = CT[j] */
    memcpy(st->in, prev, 16); /* PT[0] = CT[j-1] */
  }
  return 0;
}

static int same_field(const vecfile *vf, const char *name, const uint8_t *v, size_t n)
{
  uint8_t *b = NULL;
  size_t len = 0;
  const char *text = vecfile_get(vf, name);
  if (text == NULL || vec_hex(text, &b, &len) != 0)
    return 0;
  int same = len == n && memcmp(b, v, n) == 0;
  free(b);
  return same;
}

static void run_mct(vecfile *vf, vec_result *r, aes_mode mode)
{
  mct_state st[N_IMPLS];
  int have_state = 0;
  int section_encrypt = -1;
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    int encrypt = vecfile_header(vf, "ENCRYPT") != NULL;
    if (!encrypt && vecfile_header(vf, "DECRYPT") == NULL) {
      vec_fail_msg(r, vf, "record outside [ENCRYPT]/[DECRYPT]");
      continue;
    }
    const char *in_name = encrypt ? "PLAINTEXT" : "CIPHERTEXT";
    const char *out_name = encrypt ? "CIPHERTEXT" : "PLAINTEXT";
    const char *count = vecfile_get(vf, "COUNT");
    if (encrypt != section_encrypt || (count != NULL && strcmp(count, "0") == 0))
      have_state = 0; /* a new section starts from its own first record */
    section_encrypt = encrypt;

    uint8_t *k = NULL, *iv = NULL, *in = NULL, *out = NULL;
    size_t k_len = 0, iv_len = 16, in_len = 0, out_len = 0;
    int ok = get_hex(r, vf, "KEY", &k, &k_len) == 0 &&
             (mode == MODE_ECB || get_hex(r, vf, "IV", &iv, &iv_len) == 0) &&
             get_hex(r, vf, in_name, &in, &in_len) == 0 &&
             get_hex(r, vf, out_name, &out, &out_len) == 0;
    if (ok && (in_len != 16 || out_len != 16 || iv_len != 16 ||
               (k_len != 16 && k_len != 24 && k_len != 32))) {
      vec_fail_msg(r, vf, "field of a wrong length");
      ok = 0;
    }
    if (ok && have_state) {
      /* §6.4: this record's inputs must be what the previous record derives. */
      if (!same_field(vf, "KEY", st[0].key, st[0].key_len) ||
          (mode == MODE_CBC && !same_field(vf, "IV", st[0].iv, 16)) ||
          !same_field(vf, in_name, st[0].in, 16)) {
        vec_fail_msg(r, vf, "inputs differ from those derived from the previous record");
        ok = 0;
      }
    }
    if (ok) {
      int pass = 1;
      for (size_t i = 0; i < N_IMPLS && pass; i++) {
        memcpy(st[i].key, k, k_len);
        st[i].key_len = k_len;
        memcpy(st[i].iv, mode == MODE_CBC ? iv : (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
               16);
        memcpy(st[i].in, in, 16);
        if (mct_outer(&st[i], all_impls[i], mode, encrypt) != 0) {
          vec_fail_msg(r, vf, "key rejected (%s)", impl_name(all_impls[i]));
          pass = 0;
        } else if (memcmp(st[i].out, out, 16) != 0) {
          char what[48];
          snprintf(what, sizeof what, "%s (%s)", out_name, impl_name(all_impls[i]));
          vec_fail(r, vf, what, out, 16, st[i].out, 16);
          pass = 0;
        }
      }
      if (pass)
        vec_pass(r);
      have_state = pass;
    } else {
      have_state = 0;
    }
    free(k);
    free(iv);
    free(in);
    free(out);
  }
  if (rc < 0)
    r->file_error = 1;
}

/* ---- SP 800-38A F.2 ---- */

static void run_sp800_38a(vecfile *vf, vec_result *r)
{
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    const char *dir = vecfile_get(vf, "Direction");
    uint8_t *k = NULL, *iv = NULL, *pt = NULL, *ct = NULL;
    size_t k_len = 0, iv_len = 0, pt_len = 0, ct_len = 0;
    if (dir == NULL || (strcasecmp(dir, "Encrypt") != 0 && strcasecmp(dir, "Decrypt") != 0)) {
      vec_fail_msg(r, vf, "Direction must be Encrypt or Decrypt");
    } else if (get_hex(r, vf, "Key", &k, &k_len) == 0 && get_hex(r, vf, "IV", &iv, &iv_len) == 0 &&
               get_hex(r, vf, "Plaintext", &pt, &pt_len) == 0 &&
               get_hex(r, vf, "Ciphertext", &ct, &ct_len) == 0) {
      if (pt_len == 0 || pt_len != ct_len || iv_len != 16)
        vec_fail_msg(r, vf, "inconsistent lengths");
      else if (strcasecmp(dir, "Encrypt") == 0)
        check_case(r, vf, MODE_CBC, 1, k, k_len, iv, pt, ct, pt_len);
      else
        check_case(r, vf, MODE_CBC, 0, k, k_len, iv, ct, pt, ct_len);
    }
    free(k);
    free(iv);
    free(pt);
    free(ct);
  }
  if (rc < 0)
    r->file_error = 1;
}

/* ---- the formats (their entries are in formats.c) ---- */

typedef enum aes_kind {
  AES_KAT,
  AES_MMT,
  AES_MCT,
  AES_SP
} aes_kind;

/* Read a file name: 1 if it is one of ours, with its kind, mode and (KAT)
 * which known-answer test; 0 otherwise. */
static int aes_name(const char *base, aes_kind *kind, aes_mode *mode, const char **what)
{
  *mode = MODE_CBC;
  *what = NULL;
  if (strncmp(base, "sp800-38a", 9) == 0 && vec_ends_with(base, ".vec")) {
    *kind = AES_SP;
    return 1;
  }
  if (!((strncmp(base, "CBC", 3) == 0 || strncmp(base, "ECB", 3) == 0) &&
        (vec_ends_with(base, ".rsp") || vec_ends_with(base, ".fax"))))
    return 0;
  *mode = base[0] == 'E' ? MODE_ECB : MODE_CBC;
  const char *rest = base + 3;
  static const char *const kats[] = {"GFSbox", "KeySbox", "VarKey", "VarTxt"};
  *kind = AES_KAT;
  for (size_t i = 0; i < 4 && *what == NULL; i++) {
    if (strncmp(rest, kats[i], strlen(kats[i])) == 0)
      *what = kats[i];
  }
  if (*what != NULL)
    return 1;
  if (strncmp(rest, "MMT", 3) == 0)
    *kind = AES_MMT;
  else if (strncmp(rest, "MCT", 3) == 0)
    *kind = AES_MCT;
  else
    return 0;
  return 1;
}

static int aes_name_is(const char *base, aes_kind want)
{
  aes_kind kind;
  aes_mode mode;
  const char *what;
  return aes_name(base, &kind, &mode, &what) && kind == want;
}

int vec_sp800_38a_detect(const char *path, const char *base)
{
  (void)path;
  return aes_name_is(base, AES_SP);
}

int vec_aesavs_kat_detect(const char *path, const char *base)
{
  (void)path;
  return aes_name_is(base, AES_KAT);
}

int vec_aesavs_mmt_detect(const char *path, const char *base)
{
  (void)path;
  return aes_name_is(base, AES_MMT);
}

int vec_aesavs_mct_detect(const char *path, const char *base)
{
  (void)path;
  return aes_name_is(base, AES_MCT);
}

void vec_aes_run(const char *path, const char *base, vec_result *r)
{
  aes_kind kind;
  aes_mode mode;
  const char *what;
  if (!aes_name(base, &kind, &mode, &what)) { /* not an AES name: detect said no */
    r->file_error = 1;
    return;
  }

  const char *m = mode == MODE_ECB ? "ECB" : "CBC";
  switch (kind) {
  case AES_SP:
    snprintf(r->format, sizeof r->format, "SP 800-38A F.2 (CBC-AES)");
    break;
  case AES_KAT:
    snprintf(r->format, sizeof r->format, "AESAVS KAT %s (%s)", what, m);
    break;
  case AES_MMT:
    snprintf(r->format, sizeof r->format, "AESAVS MMT (%s)", m);
    break;
  case AES_MCT:
    snprintf(r->format, sizeof r->format, "AESAVS MCT (%s)", m);
    break;
  }

  vecfile vf;
  if (vecfile_open(&vf, path) != 0) {
    r->file_error = 1;
    return;
  }
  switch (kind) {
  case AES_SP:
    run_sp800_38a(&vf, r);
    break;
  case AES_MCT:
    run_mct(&vf, r, mode);
    break;
  case AES_KAT:
  case AES_MMT:
    run_kat(&vf, r, mode);
    break;
  }
  vecfile_close(&vf);
}
