/* vec_hash.c: `kexlab vectors` formats of the hash layer (entries in formats.c):
 *   SHA<h>{ShortMsg,LongMsg}.rsp       NIST SHAVS (CAVS 11) message tests, <h> =
 *                                      1, 224, 256, 384, 512, 512_224, 512_256
 *   SHA<h>Monte.rsp                    NIST SHAVS pseudorandom (Monte Carlo) test
 *   rfc-2202-sha1.txt, rfc-4231-sha{224,256,384,512}.txt   RFC 2202 / RFC 4231
 *                                      HMAC test cases, as shipped by
 *                                      python3-cryptography-vectors
 *   rfc-5869-HKDF-SHA{256,1}.txt       RFC 5869 Appendix A HKDF test cases
 *   HMAC_DRBG*.rsp                     NIST CAVP DRBGVS HMAC_DRBG records
 * Files of the same families for hashes kexlab does not implement (SHA-224,
 * SHA-384, SHA-512, MD5, ...) are recognised and every record is skipped with
 * the reason, never counted as passed. Every record of a recognised file is
 * a case: a record the handler cannot read is a failure, not a silent skip.
 * The same code runs in tests/test_sha.c, test_hmac.c, test_hkdf.c, test_drbg.c. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"
#include "kexlab/kexlab.h"
#include "vecfile.h"

/* ---- helpers ---- */

/* Decode a hex field into *buf (freeing the old one). 0 ok, -1 bad/missing. */
static int field_hex(const char *text, uint8_t **buf, size_t *len)
{
  free(*buf);
  *buf = NULL;
  *len = 0;
  if (text == NULL)
    return -1;
  return vec_hex(text, buf, len);
}

/* Strict decimal; -1 when missing or not a number. */
static long field_long(const char *text)
{
  if (text == NULL || *text == '\0')
    return -1;
  char *end;
  long v = strtol(text, &end, 10);
  if (*end != '\0' || v < 0)
    return -1;
  return v;
}

/* "SHA1..." -> SHA-1, "SHA256..." -> SHA-256, "SHA512_224..." -> SHA-512/224,
 * and so on (*alg and *label set; a name with *alg = 0 would be recognised
 * but unsupported). Returns the length of the prefix consumed, or 0 if not a
 * SHAVS name. */
static size_t shavs_prefix(const char *base, kl_hash_alg *alg, const char **label)
{
  static const struct {
    const char *prefix;
    kl_hash_alg alg;
    const char *label;
  } names[] = {
    /* longest first, so SHA512_224 is not read as SHA512 */
    {"SHA512_224", KL_HASH_SHA512_224, "SHA-512/224"},
    {"SHA512_256", KL_HASH_SHA512_256, "SHA-512/256"},
    {"SHA224", KL_HASH_SHA224, "SHA-224"},
    {"SHA256", KL_HASH_SHA256, "SHA-256"},
    {"SHA384", KL_HASH_SHA384, "SHA-384"},
    {"SHA512", KL_HASH_SHA512, "SHA-512"},
    {"SHA1", KL_HASH_SHA1, "SHA-1"},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    size_t n = strlen(names[i].prefix);
    if (strncmp(base, names[i].prefix, n) == 0) {
      *alg = names[i].alg;
      *label = names[i].label;
      return n;
    }
  }
  return 0;
}

static void skip_all(vecfile *vf, vec_result *r, const char *reason)
{
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    if (vecfile_get(vf, "Seed") == NULL) /* a Monte Seed is input, not a case */
      vec_skip(r, reason);
  }
  if (rc < 0)
    r->file_error = 1;
}

static int open_or_flag(vecfile *vf, const char *path, vec_result *r)
{
  if (vecfile_open(vf, path) != 0) {
    r->file_error = 1;
    return -1;
  }
  return 0;
}

/* ---- SHAVS ShortMsg / LongMsg: Len, Msg, MD ---- */

static void run_shavs_msg(vecfile *vf, vec_result *r, kl_hash_alg alg)
{
  uint8_t *Msg = NULL, *MD = NULL;
  size_t Msg_len = 0, MD_len = 0;
  uint8_t got[KL_HASH_MAX_DIGEST_BYTES];
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    long Len = field_long(vecfile_get(vf, "Len"));
    if (Len < 0 || field_hex(vecfile_get(vf, "Msg"), &Msg, &Msg_len) != 0 ||
        field_hex(vecfile_get(vf, "MD"), &MD, &MD_len) != 0) {
      vec_fail_msg(r, vf, "record without a valid Len, Msg and MD");
      continue;
    }
    if (Len % 8 != 0) {
      vec_skip(r, "bit-oriented message");
      continue;
    }
    /* Trap: Len counts BITS, and Len = 0 comes with "Msg = 00" (one byte that
     * is not part of the message). */
    size_t bytes = (size_t)Len / 8;
    if (bytes > Msg_len) {
      vec_fail_msg(r, vf, "Len = %ld but Msg has only %zu bytes", Len, Msg_len);
      continue;
    }
    if (kl_hash(alg, got, Msg, bytes) != KL_OK) {
      vec_fail_msg(r, vf, "kl_hash failed");
      continue;
    }
    vec_check(r, vf, "MD", MD, MD_len, got, kl_hash_digest_len(alg));
  }
  if (rc < 0)
    r->file_error = 1;
  free(Msg);
  free(MD);
}

/* ---- SHAVS Monte: Seed, then COUNT/MD checkpoints ----
 * The same procedure for every SHA-2 hash (SHA-384, SHA-512 and SHA-512/t
 * included): only the digest length L changes.
 * SHAVS (NIST, 2014) §6.4, Figure 1, "Pseudorandom Message Generation":
 *   for j = 0 .. 99:
 *     MD0 = MD1 = MD2 = Seed
 *     for i = 3 .. 1002:  Mi = MD(i-3) || MD(i-2) || MD(i-1);  MDi = SHA(Mi)
 *     MD_j = Seed = MD1002          (checkpoint j, "COUNT = j" in the file)
 * The package's SHA*Monte.txt shows the intermediate Mi/MDi for i = 3..7. */
static void run_shavs_monte(vecfile *vf, vec_result *r, kl_hash_alg alg)
{
  uint8_t *Seed = NULL, *MD = NULL;
  size_t Seed_len = 0, MD_len = 0;
  size_t L = kl_hash_digest_len(alg);
  uint8_t MDs[3][KL_HASH_MAX_DIGEST_BYTES]; /* MD(i-3), MD(i-2), MD(i-1) */
  uint8_t seed[KL_HASH_MAX_DIGEST_BYTES];
  int have_seed = 0, rc;
  long expect_count = 0;

  while ((rc = vecfile_next(vf)) == 1) {
    if (vecfile_get(vf, "Seed") != NULL) {
      if (field_hex(vecfile_get(vf, "Seed"), &Seed, &Seed_len) != 0 || Seed_len != L) {
        vec_fail_msg(r, vf, "Seed is not %zu bytes of hex", L);
        have_seed = 0;
        continue;
      }
      memcpy(seed, Seed, L);
      have_seed = 1;
      expect_count = 0;
      continue; /* the Seed record is input, not a case */
    }
    long count = field_long(vecfile_get(vf, "COUNT"));
    if (count < 0 || field_hex(vecfile_get(vf, "MD"), &MD, &MD_len) != 0) {
      vec_fail_msg(r, vf, "record without a valid COUNT and MD");
      continue;
    }
    if (!have_seed || count != expect_count) {
      /* The checkpoints chain: without the previous one this one cannot be computed. */
      vec_fail_msg(r, vf, "checkpoint out of order (no Seed, or COUNT != %ld)", expect_count);
      have_seed = 0;
      continue;
    }
    memcpy(MDs[0], seed, L);
    memcpy(MDs[1], seed, L);
    memcpy(MDs[2], seed, L);
    for (int i = 3; i <= 1002; i++) {
      kl_hash_ctx ctx;
      uint8_t MDi[KL_HASH_MAX_DIGEST_BYTES];
      if (kl_hash_init(&ctx, alg) != KL_OK)
        break;
      kl_hash_update(&ctx, MDs[0], L); /* Mi = MD(i-3) || MD(i-2) || MD(i-1) */
      kl_hash_update(&ctx, MDs[1], L);
      kl_hash_update(&ctx, MDs[2], L);
      kl_hash_final(&ctx, MDi);
      memmove(MDs[0], MDs[1], 2 * sizeof MDs[0]);
      memcpy(MDs[2], MDi, L);
    }
    memcpy(seed, MDs[2], L); /* Seed = MD1002 for the next checkpoint */
    expect_count++;
    vec_check(r, vf, "MD", MD, MD_len, seed, L);
  }
  if (rc < 0)
    r->file_error = 1;
  free(Seed);
  free(MD);
}

/* ---- RFC 2202 / RFC 4231 HMAC: Len (message bits), Key, Msg, MD ---- */

static void run_rfc_hmac(vecfile *vf, vec_result *r, kl_hash_alg alg)
{
  uint8_t *Key = NULL, *Msg = NULL, *MD = NULL;
  size_t Key_len = 0, Msg_len = 0, MD_len = 0;
  uint8_t tag[KL_HASH_MAX_DIGEST_BYTES];
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    long Len = field_long(vecfile_get(vf, "Len"));
    if (Len < 0 || field_hex(vecfile_get(vf, "Key"), &Key, &Key_len) != 0 ||
        field_hex(vecfile_get(vf, "Msg"), &Msg, &Msg_len) != 0 ||
        field_hex(vecfile_get(vf, "MD"), &MD, &MD_len) != 0) {
      vec_fail_msg(r, vf, "record without a valid Len, Key, Msg and MD");
      continue;
    }
    /* Len is the message length in bits, as in the SHAVS files. */
    if ((size_t)Len != Msg_len * 8) {
      vec_fail_msg(r, vf, "Len = %ld does not match Msg (%zu bytes)", Len, Msg_len);
      continue;
    }
    if (kl_hmac(alg, tag, Key, Key_len, Msg, Msg_len) != KL_OK) {
      vec_fail_msg(r, vf, "kl_hmac failed");
      continue;
    }
    /* The package compares the full tag (RFC 2202's truncation case included). */
    vec_check(r, vf, "MD", MD, MD_len, tag, kl_hash_digest_len(alg));
  }
  if (rc < 0)
    r->file_error = 1;
  free(Key);
  free(Msg);
  free(MD);
}

/* ---- RFC 5869 HKDF ----
 * Trap: blank lines split one test case into several CAVP "records"
 * ("COUNT = 1" / "Hash ... L" / "PRK, OKM"), so fields are gathered from
 * COUNT to OKM and the case runs when OKM arrives. */
typedef struct hkdf_case {
  int open; /* a COUNT was seen and OKM not yet */
  char hash[16];
  uint8_t *IKM, *salt, *info, *PRK, *OKM;
  size_t IKM_len, salt_len, info_len, PRK_len, OKM_len;
  long L;
  unsigned seen; /* bit mask of fields seen */
} hkdf_case;

enum {
  H_HASH = 1,
  H_IKM = 2,
  H_SALT = 4,
  H_INFO = 8,
  H_L = 16,
  H_PRK = 32,
  H_ALL = 63
};

static void hkdf_case_free(hkdf_case *c)
{
  free(c->IKM);
  free(c->salt);
  free(c->info);
  free(c->PRK);
  free(c->OKM);
  memset(c, 0, sizeof *c);
}

static void hkdf_case_run(hkdf_case *c, const vecfile *vf, vec_result *r)
{
  kl_hash_alg alg;
  if (kl_hash_from_name(c->hash, &alg) != KL_OK) {
    char reason[64];
    snprintf(reason, sizeof reason, "%s not supported", c->hash);
    vec_skip(r, reason);
    return;
  }
  size_t HashLen = kl_hash_digest_len(alg);
  uint8_t PRK[KL_HASH_MAX_DIGEST_BYTES];
  if (c->L < 0 || (size_t)c->L != c->OKM_len) {
    vec_fail_msg(r, vf, "L does not match OKM");
    return;
  }
  uint8_t *OKM = malloc(c->OKM_len ? c->OKM_len : 1);
  if (OKM == NULL) {
    vec_fail_msg(r, vf, "out of memory");
    return;
  }
  /* §2.2 then §2.3, checked separately: both values are in the RFC. */
  if (kl_hkdf_extract(alg, PRK, c->salt, c->salt_len, c->IKM, c->IKM_len) != KL_OK) {
    vec_fail_msg(r, vf, "kl_hkdf_extract failed");
  } else if (c->PRK_len != HashLen || memcmp(PRK, c->PRK, HashLen) != 0) {
    vec_fail(r, vf, "PRK", c->PRK, c->PRK_len, PRK, HashLen);
  } else if (kl_hkdf_expand(alg, OKM, c->OKM_len, PRK, HashLen, c->info, c->info_len) != KL_OK) {
    vec_fail_msg(r, vf, "kl_hkdf_expand failed");
  } else {
    vec_check(r, vf, "OKM", c->OKM, c->OKM_len, OKM, c->OKM_len);
  }
  free(OKM);
}

static void run_rfc_hkdf(vecfile *vf, vec_result *r)
{
  hkdf_case c;
  memset(&c, 0, sizeof c);
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    for (size_t k = 0; k < vf->nfld; k++) {
      const char *name = vf->fld[k].name, *value = vf->fld[k].value;
      int bad = 0;
      if (strcasecmp(name, "COUNT") == 0) {
        if (c.open)
          vec_fail_msg(r, vf, "test case before COUNT = %s has no OKM", value);
        hkdf_case_free(&c);
        c.open = 1;
      } else if (!c.open) {
        vec_fail_msg(r, vf, "field %s outside a test case", name);
      } else if (strcasecmp(name, "Hash") == 0) {
        snprintf(c.hash, sizeof c.hash, "%s", value);
        c.seen |= H_HASH;
      } else if (strcasecmp(name, "IKM") == 0) {
        bad = field_hex(value, &c.IKM, &c.IKM_len);
        c.seen |= H_IKM;
      } else if (strcasecmp(name, "salt") == 0) {
        bad = field_hex(value, &c.salt, &c.salt_len);
        c.seen |= H_SALT;
      } else if (strcasecmp(name, "info") == 0) {
        bad = field_hex(value, &c.info, &c.info_len);
        c.seen |= H_INFO;
      } else if (strcasecmp(name, "L") == 0) {
        c.L = field_long(value);
        bad = c.L < 0;
        c.seen |= H_L;
      } else if (strcasecmp(name, "PRK") == 0) {
        bad = field_hex(value, &c.PRK, &c.PRK_len);
        c.seen |= H_PRK;
      } else if (strcasecmp(name, "OKM") == 0) {
        if (field_hex(value, &c.OKM, &c.OKM_len) != 0 || c.seen != H_ALL)
          vec_fail_msg(r, vf, "incomplete or malformed test case");
        else
          hkdf_case_run(&c, vf, r);
        hkdf_case_free(&c);
      }
      if (bad) {
        vec_fail_msg(r, vf, "field %s is malformed", name);
        hkdf_case_free(&c);
      }
    }
  }
  if (c.open)
    vec_fail_msg(r, vf, "last test case has no OKM");
  hkdf_case_free(&c);
  if (rc < 0)
    r->file_error = 1;
}

/* ---- NIST CAVP HMAC_DRBG ----
 * DRBGVS (NIST, 2015) §6.2 and the .rsp layout: per record, instantiate with
 * (EntropyInput, Nonce, PersonalizationString); [reseed with
 * (EntropyInputReseed, AdditionalInputReseed)]; generate ReturnedBitsLen bits
 * with the first AdditionalInput and discard them; generate again with the
 * second AdditionalInput; compare with ReturnedBits.
 * Trap: the two AdditionalInput fields have the same name, so fields are read
 * in file order. */
static void run_hmac_drbg(vecfile *vf, vec_result *r)
{
  int rc;
  while ((rc = vecfile_next(vf)) == 1) {
    /* The hash is a header such as [SHA-256]. */
    const char *hash = NULL;
    for (size_t k = 0; k < vf->nhdr; k++) {
      if (strncasecmp(vf->hdr[k].name, "SHA", 3) == 0)
        hash = vf->hdr[k].name;
    }
    if (hash == NULL || strcmp(hash, "SHA-256") != 0) {
      char reason[64];
      snprintf(reason, sizeof reason, "%s not supported", hash ? hash : "unknown hash");
      vec_skip(r, reason);
      continue;
    }
    const char *pr = vecfile_header(vf, "PredictionResistance");
    if (pr != NULL && strcasecmp(pr, "False") != 0) {
      vec_skip(r, "prediction resistance not supported");
      continue;
    }
    long bits = field_long(vecfile_header(vf, "ReturnedBitsLen"));

    uint8_t *v[8] = {NULL};
    size_t n[8] = {0};
    enum {
      EI,
      NONCE,
      PERS,
      AI1,
      AI2,
      EIR,
      AIR,
      RB
    };
    int seen[8] = {0}, nai = 0, bad = 0;
    for (size_t k = 0; k < vf->nfld && !bad; k++) {
      const char *name = vf->fld[k].name;
      int slot = -1;
      if (strcasecmp(name, "EntropyInput") == 0)
        slot = EI;
      else if (strcasecmp(name, "Nonce") == 0)
        slot = NONCE;
      else if (strcasecmp(name, "PersonalizationString") == 0)
        slot = PERS;
      else if (strcasecmp(name, "AdditionalInput") == 0)
        slot = nai++ == 0 ? AI1 : AI2;
      else if (strcasecmp(name, "EntropyInputReseed") == 0)
        slot = EIR;
      else if (strcasecmp(name, "AdditionalInputReseed") == 0)
        slot = AIR;
      else if (strcasecmp(name, "ReturnedBits") == 0)
        slot = RB;
      else if (strcasecmp(name, "COUNT") == 0)
        continue;
      else if (strcasecmp(name, "EntropyInputPR") == 0)
        bad = 2;
      if (slot >= 0) {
        bad = field_hex(vf->fld[k].value, &v[slot], &n[slot]) != 0;
        seen[slot] = 1;
      }
    }
    /* A record without every field, or with ReturnedBitsLen = 0 and an empty
     * ReturnedBits (which would compare nothing and pass), is a failure. */
    if (bad == 2) {
      vec_skip(r, "prediction resistance not supported");
    } else if (bad || !seen[EI] || !seen[NONCE] || !seen[PERS] || nai != 2 || !seen[RB] ||
               seen[EIR] != seen[AIR] || bits <= 0 || (size_t)bits != n[RB] * 8) {
      vec_fail_msg(r, vf, "malformed HMAC_DRBG record");
    } else {
      kl_hmac_drbg d;
      uint8_t *out = malloc(n[RB] ? n[RB] : 1);
      kl_err err = out ? KL_OK : KL_ERR_NOMEM;
      if (err == KL_OK)
        err = kl_hmac_drbg_instantiate(&d, v[EI], n[EI], v[NONCE], n[NONCE], v[PERS], n[PERS]);
      if (err == KL_OK && seen[EIR])
        err = kl_hmac_drbg_reseed(&d, v[EIR], n[EIR], v[AIR], n[AIR]);
      if (err == KL_OK)
        err = kl_hmac_drbg_generate(&d, out, n[RB], v[AI1], n[AI1]);
      if (err == KL_OK)
        err = kl_hmac_drbg_generate(&d, out, n[RB], v[AI2], n[AI2]);
      if (err != KL_OK)
        vec_fail_msg(r, vf, "HMAC_DRBG failed: %s", kl_strerror(err));
      else
        vec_check(r, vf, "ReturnedBits", v[RB], n[RB], out, n[RB]);
      kl_hmac_drbg_clear(&d);
      free(out);
    }
    for (int k = 0; k < 8; k++)
      free(v[k]);
  }
  if (rc < 0)
    r->file_error = 1;
}

/* ---- the formats (their entries are in formats.c) ---- */

/* A SHAVS name, SHA<hash><kind>.rsp: the kind ("ShortMsg", "LongMsg",
 * "Monte"), with *alg and *label set as shavs_prefix does; NULL otherwise. */
static const char *shavs_kind(const char *base, kl_hash_alg *alg, const char **label)
{
  size_t pre = shavs_prefix(base, alg, label);
  if (pre == 0)
    return NULL;
  const char *rest = base + pre;
  return strcmp(rest, "ShortMsg.rsp") == 0  ? "ShortMsg"
         : strcmp(rest, "LongMsg.rsp") == 0 ? "LongMsg"
         : strcmp(rest, "Monte.rsp") == 0   ? "Monte"
                                            : NULL;
}

int vec_shavs_msg_detect(const char *path, const char *base)
{
  (void)path;
  kl_hash_alg alg = 0;
  const char *label = NULL;
  const char *kind = shavs_kind(base, &alg, &label);
  return kind != NULL && strcmp(kind, "Monte") != 0;
}

int vec_shavs_monte_detect(const char *path, const char *base)
{
  (void)path;
  kl_hash_alg alg = 0;
  const char *label = NULL;
  const char *kind = shavs_kind(base, &alg, &label);
  return kind != NULL && strcmp(kind, "Monte") == 0;
}

void vec_shavs_run(const char *path, const char *base, vec_result *r)
{
  vecfile vf;
  kl_hash_alg alg = 0;
  const char *label = NULL;
  const char *kind = shavs_kind(base, &alg, &label);
  if (kind == NULL) { /* not a SHAVS name: detect said no */
    r->file_error = 1;
    return;
  }
  snprintf(r->format, sizeof r->format, "SHAVS %s (%s)", kind, label);
  if (open_or_flag(&vf, path, r) != 0)
    return;
  if (alg == 0) {
    char reason[64];
    snprintf(reason, sizeof reason, "%s not supported", label);
    skip_all(&vf, r, reason);
  } else if (strcmp(kind, "Monte") == 0) {
    run_shavs_monte(&vf, r, alg);
  } else {
    run_shavs_msg(&vf, r, alg);
  }
  vecfile_close(&vf);
}

int vec_rfc_hmac_detect(const char *path, const char *base)
{
  (void)path;
  return (strncmp(base, "rfc-2202-", 9) == 0 || strncmp(base, "rfc-4231-", 9) == 0) &&
         vec_ends_with(base, ".txt");
}

void vec_rfc_hmac_run(const char *path, const char *base, vec_result *r)
{
  vecfile vf;
  kl_hash_alg alg = 0;
  const char *h = base + 9; /* "sha1.txt", "sha256.txt", "md5.txt", ... */
  int rfc = strncmp(base, "rfc-2202-", 9) == 0 ? 2202 : 4231;
  if (strcmp(h, "sha1.txt") == 0)
    alg = KL_HASH_SHA1;
  else if (strcmp(h, "sha224.txt") == 0)
    alg = KL_HASH_SHA224;
  else if (strcmp(h, "sha256.txt") == 0)
    alg = KL_HASH_SHA256;
  else if (strcmp(h, "sha384.txt") == 0)
    alg = KL_HASH_SHA384;
  else if (strcmp(h, "sha512.txt") == 0)
    alg = KL_HASH_SHA512;
  /* "sha224.txt" -> "SHA-224", "md5.txt" -> "MD5" (for the skip reason). */
  char hname[16];
  size_t w = 0;
  for (const char *p = h; *p && *p != '.' && w + 2 < sizeof hname; p++) {
    if (p == h + 3 && strncmp(h, "sha", 3) == 0)
      hname[w++] = '-';
    hname[w++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
  }
  hname[w] = '\0';
  snprintf(r->format, sizeof r->format, "RFC %d HMAC (%s)", rfc, alg ? kl_hash_name(alg) : hname);
  if (open_or_flag(&vf, path, r) != 0)
    return;
  if (alg == 0) {
    char reason[64];
    snprintf(reason, sizeof reason, "HMAC-%s not supported", hname);
    skip_all(&vf, r, reason);
  } else {
    run_rfc_hmac(&vf, r, alg);
  }
  vecfile_close(&vf);
}

int vec_rfc_hkdf_detect(const char *path, const char *base)
{
  (void)path;
  return strncmp(base, "rfc-5869-HKDF-", 14) == 0 && vec_ends_with(base, ".txt");
}

void vec_rfc_hkdf_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  vecfile vf;
  snprintf(r->format, sizeof r->format, "RFC 5869 HKDF");
  if (open_or_flag(&vf, path, r) != 0)
    return;
  run_rfc_hkdf(&vf, r);
  vecfile_close(&vf);
}

int vec_hmac_drbg_detect(const char *path, const char *base)
{
  (void)path;
  return strncmp(base, "HMAC_DRBG", 9) == 0 && vec_ends_with(base, ".rsp");
}

void vec_hmac_drbg_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  vecfile vf;
  snprintf(r->format, sizeof r->format, "CAVP HMAC_DRBG");
  if (open_or_flag(&vf, path, r) != 0)
    return;
  run_hmac_drbg(&vf, r);
  vecfile_close(&vf);
}
