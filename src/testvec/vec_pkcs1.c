/* vec_pkcs1.c: `kexlab vectors` formats of the RSA paddings (RFC 8017; entries
 * in formats.c):
 *  - RSA Laboratories' PKCS#1 v2.1 test suite: oaep-vect.txt, pss-vect.txt
 *    (SHA-1), with oaep-int.txt and pss-int.txt compared value by value with
 *    our trace; pkcs1v15sign-vectors.txt (SHA-1);
 *  - pyca's oaep-custom/oaep-<mgf1 hash>-<hash>.txt (the example headings say
 *    "alg=... mgf1=..."; we read those, not the file name), BoringSSL's
 *    oaep-label.txt (CAVP shape, the key is PKCS#8 DER, read by keyfile.h);
 *  - NIST CAVP FIPS 186-2/186-3 SigGen15, SigGenPSS, SigVer15, SigVerPSS .rsp,
 *    and SigGenPSS_186-2.txt (the same records plus d and the salt, SaltVal).
 * Encryption and signing cases feed the vector's seed or salt through
 * kl_rng_replay and then compare the whole output. Hashes other than SHA-1 and
 * SHA-256 are skipped by name, never counted as passed.
 * Traps, handled where they occur:
 *  - the PKCS#1 .txt files are not CAVP-shaped (see vec_pkcs1.h); they end
 *    lines with CRLF, and oaep-custom writes "10001" (odd-length hex);
 *  - oaep-int.txt follows PKCS#1 v2.0: its EM is maskedSeed || maskedDB,
 *    k - 1 octets, without our leading 0x00; its "pHash" is our lHash;
 *  - oaep-int.txt ends with BER dumps whose labels ("modulus") have no colon;
 *  - CAVP SigGen files carry n and e but not d: without the private key the
 *    signature S is checked by verification (for PKCS#1 v1.5, verification
 *    rebuilds EM, so this checks our encoding exactly); the salt length of
 *    the PSS files is only in a comment ("# Salt len: 20"), which we read;
 *  - SigVer files: "Result = F (2 - Public Key e changed )": the first letter. */
#include <ctype.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats.h"
#include "kexlab/encoding.h"
#include "kexlab/hash.h"
#include "kexlab/keyfile.h"
#include "kexlab/oaep.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "kexlab/pss.h"
#include "kexlab/rsa.h"
#include "vec_pkcs1.h"
#include "vecfile.h"

/* ------------------------------------------------------------------------ */
/* The PKCS#1 .txt reader                                                    */

typedef enum pk1_kind {
  PK1_HEADING,
  PK1_VALUE
} pk1_kind;

typedef struct pk1_item {
  pk1_kind kind;
  char label[128]; /* lower case, trailing ':' and spaces removed */
  int colon;       /* the label line ended with ':' */
  uint8_t *data;   /* PK1_VALUE: the octets (malloc'd), else NULL */
  size_t len;
  unsigned line; /* line of the label */
} pk1_item;

typedef struct pk1_reader {
  FILE *f;
  char *buf;
  size_t cap;
  unsigned lineno;
  int have_label;
  char label[128];
  int colon;
  unsigned label_line;
  char *hex; /* hex digits gathered under the pending label */
  size_t hexlen, hexcap;
} pk1_reader;

static int pk1_open(pk1_reader *r, const char *path)
{
  memset(r, 0, sizeof *r);
  r->f = fopen(path, "r");
  return r->f ? 0 : -1;
}

static void pk1_close(pk1_reader *r)
{
  if (r->f)
    fclose(r->f);
  free(r->buf);
  free(r->hex);
  memset(r, 0, sizeof *r);
}

static void pk1_item_free(pk1_item *it)
{
  free(it->data);
  it->data = NULL;
  it->len = 0;
}

/* 1 if s is only hex digits and blanks (and has at least one digit). */
static int is_hex_line(const char *s)
{
  int digits = 0;
  for (; *s; s++) {
    if (isxdigit((unsigned char)*s))
      digits++;
    else if (*s != ' ' && *s != '\t')
      return 0;
  }
  return digits > 0;
}

static int append_hex(pk1_reader *r, const char *s)
{
  for (; *s; s++) {
    if (!isxdigit((unsigned char)*s))
      continue;
    if (r->hexlen + 2 > r->hexcap) {
      size_t nc = r->hexcap ? 2 * r->hexcap : 1024;
      char *p = realloc(r->hex, nc);
      if (p == NULL)
        return -1;
      r->hex = p;
      r->hexcap = nc;
    }
    r->hex[r->hexlen++] = *s;
  }
  return 0;
}

/* Move the pending label (and its value) into it. Returns 0 or -1. */
static int pk1_emit(pk1_reader *r, pk1_item *it)
{
  memset(it, 0, sizeof *it);
  memcpy(it->label, r->label, sizeof it->label);
  it->colon = r->colon;
  it->line = r->label_line;
  it->kind = r->hexlen > 0 ? PK1_VALUE : PK1_HEADING;
  if (it->kind == PK1_VALUE) {
    /* Odd digit counts (oaep-custom's "10001") are integers: pad on the left. */
    size_t odd = r->hexlen & 1;
    size_t n = (r->hexlen + odd) / 2;
    it->data = malloc(n + 1);
    if (it->data == NULL)
      return -1;
    for (size_t i = 0; i < n; i++) {
      char pair[3];
      size_t at = 2 * i;
      pair[0] = (odd && i == 0) ? '0' : r->hex[at - odd];
      pair[1] = r->hex[at + 1 - odd];
      pair[2] = '\0';
      it->data[i] = (uint8_t)strtoul(pair, NULL, 16);
    }
    it->len = n;
  }
  r->have_label = 0;
  r->hexlen = 0;
  return 0;
}

static void pk1_set_label(pk1_reader *r, const char *text)
{
  char tmp[sizeof r->label];
  snprintf(tmp, sizeof tmp, "%s", text);
  char *t = vec_trim(tmp);
  size_t n = strlen(t);
  r->colon = n > 0 && t[n - 1] == ':';
  if (r->colon)
    t[--n] = '\0';
  t = vec_trim(t);
  for (char *p = t; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  snprintf(r->label, sizeof r->label, "%s", t);
  r->have_label = 1;
  r->label_line = r->lineno;
}

/* 1 an item, 0 end of file, -1 malformed file (or out of memory). */
static int pk1_next(pk1_reader *r, pk1_item *it)
{
  for (;;) {
    ssize_t got = getline(&r->buf, &r->cap, r->f);
    if (got < 0) {
      if (r->have_label)
        return pk1_emit(r, it) == 0 ? 1 : -1;
      return ferror(r->f) ? -1 : 0;
    }
    r->lineno++;
    char *line = vec_trim(r->buf);
    if (line[0] == '#') {
      int had = r->have_label;
      if (had && pk1_emit(r, it) != 0)
        return -1;
      pk1_set_label(r, line + 1);
      if (had)
        return 1;
      continue;
    }
    if (line[0] == '\0') {
      if (r->have_label && r->hexlen > 0)
        return pk1_emit(r, it) == 0 ? 1 : -1;
      continue;
    }
    if (is_hex_line(line)) {
      if (r->have_label && append_hex(r, line) != 0)
        return -1;
      continue;
    }
    /* Prose (the files' introductions). Inside a value it is malformed. */
    if (r->have_label && r->hexlen > 0)
      return -1;
  }
}

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                            */

/* A key being read from a .txt file, and which fields it got. */
typedef struct txt_key {
  kl_rsa_priv priv;
  kl_rsa_pub pub;
  unsigned have; /* bit per field, see key_field */
  int section;   /* 1 "Public key", 2 "Private key" */
} txt_key;

enum {
  KF_N = 1,
  KF_E = 2,
  KF_D = 4,
  KF_P = 8,
  KF_Q = 16,
  KF_DP = 32,
  KF_DQ = 64,
  KF_QINV = 128,
  KF_ALL = 255
};

static void txt_key_init(txt_key *k)
{
  kl_rsa_priv_init(&k->priv);
  kl_rsa_pub_init(&k->pub);
  k->have = 0;
  k->section = 0;
}

static void txt_key_clear(txt_key *k)
{
  kl_rsa_priv_clear(&k->priv);
  kl_rsa_pub_clear(&k->pub);
}

/* Take a key field from a value item; 1 if it was one. */
static int key_field(txt_key *k, const pk1_item *it)
{
  static const struct {
    const char *label;
    int section; /* 0 any */
    unsigned bit;
  } map[] = {
    {"modulus", 0, KF_N},        {"public exponent", 0, KF_E},   {"exponent", 1, KF_E},
    {"exponent", 2, KF_D},       {"private exponent", 0, KF_D},  {"prime 1", 0, KF_P},
    {"prime 2", 0, KF_Q},        {"prime exponent 1", 0, KF_DP}, {"prime exponent 2", 0, KF_DQ},
    {"coefficient", 0, KF_QINV},
  };
  if (it->kind != PK1_VALUE || !it->colon)
    return 0;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strcmp(it->label, map[i].label) != 0)
      continue;
    if (map[i].section != 0 && map[i].section != k->section)
      continue;
    mpz_ptr dst = NULL;
    switch (map[i].bit) {
    case KF_N:
      dst = k->priv.n;
      break;
    case KF_E:
      dst = k->priv.e;
      break;
    case KF_D:
      dst = k->priv.d;
      break;
    case KF_P:
      dst = k->priv.p;
      break;
    case KF_Q:
      dst = k->priv.q;
      break;
    case KF_DP:
      dst = k->priv.dP;
      break;
    case KF_DQ:
      dst = k->priv.dQ;
      break;
    default:
      dst = k->priv.qInv;
      break;
    }
    kl_os2ip(dst, it->data, it->len);
    k->have |= map[i].bit;
    if (map[i].bit == KF_N)
      mpz_set(k->pub.n, k->priv.n);
    if (map[i].bit == KF_E)
      mpz_set(k->pub.e, k->priv.e);
    return 1;
  }
  return 0;
}

/* Section headings of a key block; 1 if it was one. */
static int key_heading(txt_key *k, const pk1_item *it)
{
  if (it->kind != PK1_HEADING)
    return 0;
  if (strcmp(it->label, "public key") == 0) {
    k->section = 1;
    return 1;
  }
  if (strcmp(it->label, "private key") == 0) {
    k->section = 2;
    return 1;
  }
  return 0;
}

int vec_pkcs1_load_key(const char *path, unsigned index, kl_rsa_priv *key)
{
  pk1_reader r;
  if (pk1_open(&r, path) != 0)
    return -1;
  txt_key k;
  txt_key_init(&k);
  unsigned seen = 0;
  int rc = -1;
  pk1_item it;
  while (pk1_next(&r, &it) == 1) {
    if (key_heading(&k, &it) && k.section == 1)
      k.have = 0;
    key_field(&k, &it);
    pk1_item_free(&it);
    if (k.have == KF_ALL) {
      if (++seen == index) {
        mpz_set(key->n, k.priv.n);
        mpz_set(key->e, k.priv.e);
        mpz_set(key->d, k.priv.d);
        mpz_set(key->p, k.priv.p);
        mpz_set(key->q, k.priv.q);
        mpz_set(key->dP, k.priv.dP);
        mpz_set(key->dQ, k.priv.dQ);
        mpz_set(key->qInv, k.priv.qInv);
        rc = 0;
        break;
      }
      k.have = 0;
    }
  }
  txt_key_clear(&k);
  pk1_close(&r);
  return rc;
}

/* A generator that hands out a vector's seed or salt through kl_rng_replay,
 * then (for the blinding of the private operation that follows) the OS
 * generator. The replay part must be drawn whole by the padding. */
typedef struct replay_then_os {
  kl_rng replay;
  kl_rng_replay_state st;
  kl_rng os;
} replay_then_os;

static kl_err rto_fill(void *state, uint8_t *out, size_t len)
{
  replay_then_os *s = state;
  if (s->st.pos < s->st.len)
    return kl_rng_fill(&s->replay, out, len);
  return kl_rng_fill(&s->os, out, len);
}

static void rto_init(kl_rng *rng, replay_then_os *s, const uint8_t *data, size_t len)
{
  kl_rng_replay(&s->replay, &s->st, data, len);
  kl_rng_os(&s->os);
  rng->fill = rto_fill;
  rng->state = s;
}

/* A tracer that keeps copies of the values it sees, by label. */
#define REC_MAX 24
typedef struct trace_rec {
  struct {
    char label[24];
    uint8_t *bytes;
    size_t len;
  } v[REC_MAX];
  size_t n;
} trace_rec;

static void rec_fn(void *user, const kl_trace_value *value)
{
  trace_rec *rec = user;
  if (rec->n >= REC_MAX || value->kind != KL_TRACE_BYTES)
    return;
  snprintf(rec->v[rec->n].label, sizeof rec->v[rec->n].label, "%s", value->label);
  rec->v[rec->n].bytes = malloc(value->len + 1);
  if (rec->v[rec->n].bytes == NULL)
    return;
  if (value->len > 0)
    memcpy(rec->v[rec->n].bytes, value->bytes, value->len);
  rec->v[rec->n].len = value->len;
  rec->n++;
}

static void rec_free(trace_rec *rec)
{
  for (size_t i = 0; i < rec->n; i++)
    free(rec->v[i].bytes);
  rec->n = 0;
}

/* The first value traced under label, or NULL. */
static const uint8_t *rec_get(const trace_rec *rec, const char *label, size_t *len)
{
  for (size_t i = 0; i < rec->n; i++) {
    if (strcmp(rec->v[i].label, label) == 0) {
      *len = rec->v[i].len;
      return rec->v[i].bytes;
    }
  }
  *len = 0;
  return NULL;
}

/* Count a mismatch, naming the example and printing both values in hex. */
static void fail_values(vec_result *r, const char *what, const uint8_t *want, size_t wlen,
                        const uint8_t *got, size_t glen)
{
  char w[2 * 1024 + 1], g[2 * 1024 + 1];
  if (kl_hex_encode(w, sizeof w, want, wlen > 1024 ? 1024 : wlen) != KL_OK)
    w[0] = '\0';
  if (kl_hex_encode(g, sizeof g, got, glen > 1024 ? 1024 : glen) != KL_OK)
    g[0] = '\0';
  vec_fail_msg(r, NULL, "%s: expected %s, got %s", what, w, g);
}

/* vec_check for values that come from a .txt file (no vecfile record). */
static int check_values(vec_result *r, const char *what, const uint8_t *want, size_t wlen,
                        const uint8_t *got, size_t glen)
{
  if (wlen == glen && (wlen == 0 || memcmp(want, got, wlen) == 0)) {
    vec_pass(r);
    return 1;
  }
  fail_values(r, what, want, wlen, got, glen);
  return 0;
}

/* Parse a CAVP hash name ("SHA1", "SHA256", "SHA-384" ...). Returns 1 and sets
 * *alg if kexlab has it; else 0 and a skip reason. */
static int cavp_hash(const char *name, kl_hash_alg *alg, char *reason, size_t rlen)
{
  if (name == NULL) {
    snprintf(reason, rlen, "no hash named");
    return 0;
  }
  if (kl_hash_from_name(name, alg) == KL_OK)
    return 1;
  /* "SHA384" -> "SHA-384 not supported", to group the skips readably. */
  if (strncasecmp(name, "SHA", 3) == 0 && name[3] != '-' && name[3] != '\0')
    snprintf(reason, rlen, "SHA-%s not supported", name + 3);
  else
    snprintf(reason, rlen, "%s not supported", name);
  return 0;
}

static int hex_mpz(mpz_t x, const char *hex)
{
  if (hex == NULL || *hex == '\0')
    return -1;
  return mpz_set_str(x, hex, 16);
}

/* ------------------------------------------------------------------------ */
/* RSAES-OAEP: oaep-vect.txt (SHA-1) and pyca's oaep-custom files            */

/* One OAEP case: encryption with the replayed seed (when there is one) must
 * give C exactly, and decryption of C must give M. */
static void oaep_case(vec_result *r, const txt_key *k, kl_hash_alg hash, kl_hash_alg mgf,
                      const pk1_item *M, const pk1_item *seed, const pk1_item *C,
                      const char *example)
{
  const kl_oaep_params params = {hash, mgf, NULL, 0};
  uint8_t out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  if (k->have != KF_ALL || M->data == NULL || C->data == NULL) {
    vec_fail_msg(r, NULL, "%s: incomplete example (key, Message or Encryption missing)", example);
    return;
  }
  if (seed->data != NULL) {
    kl_rng rng;
    kl_rng_replay_state st;
    kl_rng_replay(&rng, &st, seed->data, seed->len);
    kl_err err = kl_rsa_oaep_encrypt(&k->pub, &params, &rng, NULL, out, &out_len, M->data, M->len);
    if (err != KL_OK) {
      vec_fail_msg(r, NULL, "%s: encryption failed: %s", example, kl_err_name(err));
      return;
    }
    if (st.pos != st.len) {
      vec_fail_msg(r, NULL, "%s: the seed was not drawn whole", example);
      return;
    }
    if (out_len != C->len || memcmp(out, C->data, out_len) != 0) {
      fail_values(r, example, C->data, C->len, out, out_len);
      return;
    }
  }
  kl_rng os;
  kl_rng_os(&os);
  out_len = sizeof out;
  kl_err err = kl_rsa_oaep_decrypt(&k->priv, &params, &os, NULL, out, &out_len, C->data, C->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: decryption failed: %s", example, kl_err_name(err));
    return;
  }
  check_values(r, example, M->data, M->len, out, out_len);
}

/* "oaep example 1 alg=sha1 mgf1=sha256" -> the two hashes, or a skip reason. */
static int custom_algs(const char *heading, kl_hash_alg *hash, kl_hash_alg *mgf, char *reason,
                       size_t rlen)
{
  const char *a = strstr(heading, "alg=");
  const char *m = strstr(heading, "mgf1=");
  if (a == NULL || m == NULL) {
    snprintf(reason, rlen, "no alg= and mgf1= in the heading");
    return 0;
  }
  char an[16], mn[16];
  if (sscanf(a + 4, "%15[a-z0-9-]", an) != 1 || sscanf(m + 5, "%15[a-z0-9-]", mn) != 1) {
    snprintf(reason, rlen, "unreadable alg= or mgf1=");
    return 0;
  }
  return cavp_hash(an, hash, reason, rlen) && cavp_hash(mn, mgf, reason, rlen);
}

/* oaep-vect.txt, pss-vect.txt, pkcs1v15sign-vectors.txt and oaep-custom: key
 * blocks ("Example N: ...", or "Example"), then examples whose last value
 * (Encryption, Signature) triggers the case. */
typedef enum txt_scheme {
  TXT_OAEP,
  TXT_PSS,
  TXT_V15,
  TXT_V15CRYPT
} txt_scheme;

static void pss_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *salt,
                     const pk1_item *S, const char *example);
static void v15_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *S,
                     const char *example);
static void v15crypt_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *seed,
                          const pk1_item *C, const char *example);

static void run_txt(const char *path, vec_result *r, txt_scheme scheme, int custom)
{
  pk1_reader rd;
  if (pk1_open(&rd, path) != 0) {
    r->file_error = 1;
    return;
  }
  txt_key k;
  txt_key_init(&k);
  pk1_item M = {0}, extra = {0}; /* extra: the seed or the salt */
  char example[160] = "?";
  int custom_ok = 1;
  kl_hash_alg hash = KL_HASH_SHA1, mgf = KL_HASH_SHA1;
  char reason[96] = "";
  pk1_item it;
  int rc;
  while ((rc = pk1_next(&rd, &it)) == 1) {
    if (key_heading(&k, &it)) {
      if (k.section == 1 || k.have == KF_ALL)
        k.have = 0; /* a new key starts */
      pk1_item_free(&it);
      continue;
    }
    if (it.kind == PK1_HEADING) {
      if (strstr(it.label, "example") != NULL && strchr(it.label, ':') == NULL &&
          strcmp(it.label, "example") != 0) {
        snprintf(example, sizeof example, "line %u: %s", it.line, it.label);
        if (custom)
          custom_ok = custom_algs(it.label, &hash, &mgf, reason, sizeof reason);
        pk1_item_free(&M);
        pk1_item_free(&extra);
      }
      pk1_item_free(&it);
      continue;
    }
    if (key_field(&k, &it)) {
      pk1_item_free(&it);
      continue;
    }
    if (strncmp(it.label, "message", 7) == 0) {
      pk1_item_free(&M);
      M = it;
      continue;
    }
    if (strcmp(it.label, "seed") == 0 || strcmp(it.label, "salt") == 0) {
      pk1_item_free(&extra);
      extra = it;
      continue;
    }
    if (strcmp(it.label, "encryption") == 0 && scheme == TXT_OAEP) {
      if (custom && !custom_ok)
        vec_skip(r, reason);
      else
        oaep_case(r, &k, hash, mgf, &M, &extra, &it, example);
    } else if (strcmp(it.label, "encryption") == 0 && scheme == TXT_V15CRYPT) {
      v15crypt_case(r, &k, &M, &extra, &it, example);
    } else if (strcmp(it.label, "signature") == 0 && scheme == TXT_PSS) {
      pss_case(r, &k, &M, &extra, &it, example);
    } else if (strcmp(it.label, "signature") == 0 && scheme == TXT_V15) {
      v15_case(r, &k, &M, &it, example);
    } else {
      vec_fail_msg(r, NULL, "line %u: unexpected value '%s'", it.line, it.label);
    }
    pk1_item_free(&it);
    pk1_item_free(&M);
    pk1_item_free(&extra);
  }
  if (rc < 0)
    r->file_error = 1;
  pk1_item_free(&M);
  pk1_item_free(&extra);
  txt_key_clear(&k);
  pk1_close(&rd);
}

/* ------------------------------------------------------------------------ */
/* RSASSA-PSS and RSASSA-PKCS1-v1_5 from the .txt files (SHA-1)              */

static void pss_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *salt,
                     const pk1_item *S, const char *example)
{
  if (k->have != KF_ALL || M->data == NULL || salt->data == NULL) {
    vec_fail_msg(r, NULL, "%s: incomplete example (key, Message or Salt missing)", example);
    return;
  }
  const kl_pss_params params = {KL_HASH_SHA1, salt->len};
  uint8_t out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  kl_rng rng;
  replay_then_os rto;
  rto_init(&rng, &rto, salt->data, salt->len);
  kl_err err = kl_rsa_pss_sign(&k->priv, &params, &rng, out, &out_len, M->data, M->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: signing failed: %s", example, kl_err_name(err));
    return;
  }
  if (rto.st.pos != rto.st.len) {
    vec_fail_msg(r, NULL, "%s: the salt was not drawn whole", example);
    return;
  }
  if (out_len != S->len || memcmp(out, S->data, out_len) != 0) {
    fail_values(r, example, S->data, S->len, out, out_len);
    return;
  }
  err = kl_rsa_pss_verify(&k->pub, &params, M->data, M->len, S->data, S->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: verification failed: %s", example, kl_err_name(err));
    return;
  }
  vec_pass(r);
}

static void v15_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *S,
                     const char *example)
{
  if (k->have != KF_ALL || M->data == NULL) {
    vec_fail_msg(r, NULL, "%s: incomplete example (key or Message missing)", example);
    return;
  }
  uint8_t out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  kl_rng os;
  kl_rng_os(&os);
  kl_err err = kl_rsa_pkcs1v15_sign(&k->priv, KL_HASH_SHA1, &os, out, &out_len, M->data, M->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: signing failed: %s", example, kl_err_name(err));
    return;
  }
  if (out_len != S->len || memcmp(out, S->data, out_len) != 0) {
    fail_values(r, example, S->data, S->len, out, out_len);
    return;
  }
  err = kl_rsa_pkcs1v15_verify(&k->pub, KL_HASH_SHA1, M->data, M->len, S->data, S->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: verification failed: %s", example, kl_err_name(err));
    return;
  }
  vec_pass(r);
}

/* pkcs1v15crypt-vectors.txt: the Seed is PS (nonzero octets), so replaying
 * it gives C exactly; then both decryptions must give M back. */
static void v15crypt_case(vec_result *r, const txt_key *k, const pk1_item *M, const pk1_item *seed,
                          const pk1_item *C, const char *example)
{
  if (k->have != KF_ALL || M->data == NULL || seed->data == NULL) {
    vec_fail_msg(r, NULL, "%s: incomplete example (key, Message or Seed missing)", example);
    return;
  }
  uint8_t out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  kl_rng rng;
  replay_then_os rto;
  rto_init(&rng, &rto, seed->data, seed->len);
  kl_err err = kl_rsa_pkcs1v15_encrypt(&k->pub, &rng, NULL, out, &out_len, M->data, M->len);
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s: encryption failed: %s", example, kl_err_name(err));
    return;
  }
  if (rto.st.pos != rto.st.len) {
    vec_fail_msg(r, NULL, "%s: the seed was not drawn whole", example);
    return;
  }
  if (out_len != C->len || memcmp(out, C->data, out_len) != 0) {
    fail_values(r, example, C->data, C->len, out, out_len);
    return;
  }
  kl_rng os;
  kl_rng_os(&os);
  for (int strict = 0; strict < 2; strict++) {
    out_len = sizeof out;
    err = strict
            ? kl_rsa_pkcs1v15_decrypt_strict(&k->priv, &os, NULL, out, &out_len, C->data, C->len)
            : kl_rsa_pkcs1v15_decrypt(&k->priv, &os, NULL, out, &out_len, C->data, C->len);
    if (err != KL_OK) {
      vec_fail_msg(r, NULL, "%s: decryption failed: %s", example, kl_err_name(err));
      return;
    }
    if (out_len != M->len || memcmp(out, M->data, out_len) != 0) {
      fail_values(r, example, M->data, M->len, out, out_len);
      return;
    }
  }
  vec_pass(r);
}

/* ------------------------------------------------------------------------ */
/* Implicit rejection known answers (vectors/pkcs1/implicit-rejection/)      */

/* A Message field: hex, empty, or "TEXT" in double quotes. Returns 0 or -1. */
static int message_field(const char *text, uint8_t **out, size_t *len)
{
  size_t n = text ? strlen(text) : 0;
  if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
    *out = malloc(n);
    if (*out == NULL)
      return -1;
    memcpy(*out, text + 1, n - 2);
    *len = n - 2;
    return 0;
  }
  return vec_hex(text, out, len);
}

/* "Key = FILE" (relative to the vector file), read as any key file. */
static int ir_load_key(const char *path, const char *name, kl_rsa_keyfile *kf)
{
  char full[4096];
  const char *slash = strrchr(path, '/');
  int dir = slash ? (int)(slash - path + 1) : 0;
  snprintf(full, sizeof full, "%.*s%s", dir, path, name);
  FILE *f = fopen(full, "rb");
  if (f == NULL)
    return -1;
  uint8_t buf[KL_KEYFILE_MAX_BYTES];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  kl_rng os;
  kl_rng_os(&os);
  kl_err err = kl_rsa_keyfile_read(kf, buf, n, &os);
  return err == KL_OK && kf->has_private ? 0 : -1;
}

static void run_implicit(const char *path, vec_result *r)
{
  vecfile vf;
  if (vecfile_open(&vf, path) != 0) {
    r->file_error = 1;
    return;
  }
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  int have_key = 0;
  int rc;
  while ((rc = vecfile_next(&vf)) == 1) {
    const char *key = vecfile_get(&vf, "Key");
    if (key != NULL) {
      have_key = ir_load_key(path, key, &kf) == 0;
      if (!have_key)
        vec_fail_msg(r, &vf, "cannot read the key file '%s'", key);
      continue;
    }
    uint8_t *C = NULL, *M = NULL;
    size_t cLen = 0, mLen = 0;
    if (!have_key || vec_hex(vecfile_get(&vf, "Ciphertext"), &C, &cLen) != 0 ||
        message_field(vecfile_get(&vf, "Message"), &M, &mLen) != 0) {
      vec_fail_msg(r, &vf, "%s", "malformed case (Key, Ciphertext or Message)");
      free(C);
      free(M);
      continue;
    }
    /* The source's ciphertexts may be shorter than k (leading zeros dropped):
     * left-pad them, as the source does. */
    const size_t k = kl_rsa_modulus_len(kf.pub.n);
    uint8_t Ck[KL_RSA_MAX_BITS / 8] = {0};
    uint8_t out[KL_RSA_MAX_BITS / 8];
    size_t out_len = sizeof out;
    if (cLen > k) {
      vec_fail_msg(r, &vf, "ciphertext longer than k = %zu", k);
    } else {
      memcpy(Ck + k - cLen, C, cLen);
      kl_rng os;
      kl_rng_os(&os);
      kl_err err = kl_rsa_pkcs1v15_decrypt(&kf.priv, &os, NULL, out, &out_len, Ck, k);
      if (err != KL_OK)
        vec_fail_msg(r, &vf, "decryption failed: %s", kl_err_name(err));
      else
        vec_check(r, &vf, "message", M, mLen, out, out_len);
    }
    free(C);
    free(M);
  }
  if (rc < 0)
    r->file_error = 1;
  kl_rsa_keyfile_clear(&kf);
  vecfile_close(&vf);
}

/* ------------------------------------------------------------------------ */
/* oaep-int.txt and pss-int.txt: every intermediate value against our trace  */

/* The label of an -int.txt value, as our trace names it (NULL: not compared).
 * The files' labels are descriptive ("dbMask = MGF(seed, length(DB))"); the
 * part before " =" or "," is the name. */
static const char *int_name(const char *label, int pss)
{
  static const struct {
    const char *prefix;
    const char *ours;
    int pss; /* -1 both files */
  } map[] = {
    {"message to be encrypted", "M", 0},
    {"phash", "lHash", 0},
    {"db", "DB", -1},
    {"seed", "seed", 0},
    {"dbmask", "dbMask", -1},
    {"maskeddb", "maskedDB", -1},
    {"seedmask", "seedMask", 0},
    {"maskedseed", "maskedSeed", 0},
    {"em", "EM", -1},
    {"ciphertext", "C", 0},
    {"message to be signed", "M", 1},
    {"message hash", "mHash", 1},
    {"salt", "salt", 1},
    {"inblock", "M'", 1},
    {"hash", "H", 1},
    {"signature", "S", 1},
  };
  char name[64];
  size_t n = strcspn(label, "=,");
  if (n >= sizeof name)
    n = sizeof name - 1;
  memcpy(name, label, n);
  name[n] = '\0';
  char *t = vec_trim(name);
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if ((map[i].pss == -1 || map[i].pss == pss) && strcmp(t, map[i].prefix) == 0)
      return map[i].ours;
  }
  return NULL;
}

#define INT_MAX_VALUES 16
typedef struct int_values {
  const char *name[INT_MAX_VALUES];
  pk1_item item[INT_MAX_VALUES];
  size_t n;
} int_values;

static const pk1_item *int_get(const int_values *iv, const char *name)
{
  for (size_t i = 0; i < iv->n; i++) {
    if (strcmp(iv->name[i], name) == 0)
      return &iv->item[i];
  }
  return NULL;
}

/* Compare each of the file's values (in order) with the trace. */
static void int_compare(vec_result *r, const int_values *iv, const trace_rec *rec, int pss)
{
  for (size_t i = 0; i < iv->n; i++) {
    const char *name = iv->name[i];
    if (strcmp(name, "M") == 0)
      continue; /* the input, checked by the decryption/verification case */
    size_t len;
    const uint8_t *got = rec_get(rec, name, &len);
    const pk1_item *want = &iv->item[i];
    char what[96];
    snprintf(what, sizeof what, "line %u: %s", want->line, name);
    if (got == NULL) {
      vec_fail_msg(r, NULL, "%s: not in our trace", what);
      continue;
    }
    /* PKCS#1 v2.0's EM has no leading 0x00 (oaep-int.txt). */
    if (!pss && strcmp(name, "EM") == 0 && len == want->len + 1 && got[0] == 0x00) {
      got++;
      len--;
    }
    check_values(r, what, want->data, want->len, got, len);
  }
}

static void run_int(const char *path, vec_result *r, int pss)
{
  pk1_reader rd;
  if (pk1_open(&rd, path) != 0) {
    r->file_error = 1;
    return;
  }
  txt_key k;
  txt_key_init(&k);
  int_values iv;
  memset(&iv, 0, sizeof iv);
  pk1_item it;
  int rc;
  while ((rc = pk1_next(&rd, &it)) == 1) {
    if (it.kind == PK1_HEADING && strncmp(it.label, "ber encoding", 12) == 0) {
      pk1_item_free(&it);
      break; /* the BER dumps at the end of oaep-int.txt */
    }
    if (key_heading(&k, &it) || key_field(&k, &it) || it.kind != PK1_VALUE) {
      pk1_item_free(&it);
      continue;
    }
    const char *name = int_name(it.label, pss);
    if (name == NULL || int_get(&iv, name) != NULL || iv.n == INT_MAX_VALUES) {
      pk1_item_free(&it); /* CRT values (c mod p, m1, ...): the RSA layer's */
      continue;
    }
    iv.name[iv.n] = name;
    iv.item[iv.n++] = it;
  }
  if (rc < 0)
    r->file_error = 1;
  /* oaep-int.txt gives n, e, d, p, q, dP, dQ, qInv but e under "public exponent"
   * in the public part only. */
  const pk1_item *M = int_get(&iv, "M");
  const pk1_item *seed = int_get(&iv, pss ? "salt" : "seed");
  const pk1_item *last = int_get(&iv, pss ? "S" : "C");
  if (k.have != KF_ALL || M == NULL || seed == NULL || last == NULL) {
    vec_fail_msg(r, NULL, "incomplete file: key, message, %s or result missing",
                 pss ? "salt" : "seed");
    goto out;
  }

  trace_rec rec;
  memset(&rec, 0, sizeof rec);
  const kl_tracer tr = {rec_fn, &rec};
  uint8_t out[KL_RSA_MAX_BITS / 8];
  size_t out_len = sizeof out;
  kl_rng rng;
  replay_then_os rto;
  rto_init(&rng, &rto, seed->data, seed->len);
  kl_err err;
  if (!pss) {
    const kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
    err = kl_rsa_oaep_encrypt(&k.pub, &params, &rng, &tr, out, &out_len, M->data, M->len);
  } else {
    /* Run EMSA-PSS-ENCODE traced, then sign with the same salt, and trace
     * S ourselves (as octets, as the file prints it). */
    const kl_pss_params params = {KL_HASH_SHA1, seed->len};
    const size_t modBits = mpz_sizeinbase(k.priv.n, 2);
    const unsigned emBits = (unsigned)(modBits - 1);
    const size_t emLen = ((size_t)emBits + 7) / 8;
    uint8_t EM[KL_RSA_MAX_BITS / 8];
    kl_rng replay;
    kl_rng_replay_state st;
    kl_rng_replay(&replay, &st, seed->data, seed->len);
    err = kl_rsa_pss_encode(&params, &replay, &tr, EM, emLen, emBits, M->data, M->len);
    if (err == KL_OK)
      err = kl_rsa_pss_sign(&k.priv, &params, &rng, out, &out_len, M->data, M->len);
    if (err == KL_OK)
      kl_trace_bytes(&tr, "S", -1, out, out_len);
  }
  if (err != KL_OK) {
    vec_fail_msg(r, NULL, "%s failed: %s", pss ? "signing" : "encryption", kl_err_name(err));
  } else {
    int_compare(r, &iv, &rec, pss);
    /* And back: decryption gives M, verification accepts S. */
    if (!pss) {
      const kl_oaep_params params = {KL_HASH_SHA1, KL_HASH_SHA1, NULL, 0};
      kl_rng os;
      kl_rng_os(&os);
      uint8_t back[KL_RSA_MAX_BITS / 8];
      size_t back_len = sizeof back;
      trace_rec drec;
      memset(&drec, 0, sizeof drec);
      const kl_tracer dtr = {rec_fn, &drec};
      err = kl_rsa_oaep_decrypt(&k.priv, &params, &os, &dtr, back, &back_len, last->data,
                                last->len);
      if (err != KL_OK) {
        vec_fail_msg(r, NULL, "decryption failed: %s", kl_err_name(err));
      } else {
        check_values(r, "decrypted M", M->data, M->len, back, back_len);
        /* Decryption recovers the same values on its way (§7.1.2 steps 3.c-3.f). */
        static const char *const again[] = {"seedMask", "seed", "dbMask", "DB"};
        for (size_t i = 0; i < sizeof again / sizeof again[0]; i++) {
          const pk1_item *want = int_get(&iv, again[i]);
          size_t len;
          const uint8_t *got = rec_get(&drec, again[i], &len);
          char what[64];
          snprintf(what, sizeof what, "decryption's %s", again[i]);
          if (want == NULL || got == NULL)
            vec_fail_msg(r, NULL, "%s: missing", what);
          else
            check_values(r, what, want->data, want->len, got, len);
        }
      }
      rec_free(&drec);
    } else {
      const kl_pss_params params = {KL_HASH_SHA1, seed->len};
      err = kl_rsa_pss_verify(&k.pub, &params, M->data, M->len, last->data, last->len);
      if (err != KL_OK)
        vec_fail_msg(r, NULL, "verification failed: %s", kl_err_name(err));
      else
        vec_pass(r);
    }
  }
  rec_free(&rec);

out:
  for (size_t i = 0; i < iv.n; i++)
    pk1_item_free(&iv.item[i]);
  txt_key_clear(&k);
  pk1_close(&rd);
}

/* ------------------------------------------------------------------------ */
/* oaep-label.txt (BoringSSL evp_tests shape: KEY is PKCS#8 DER)             */

/* One record: KEY (PKCS#8 DER), OAEPLabel, Input (C) and Output (M, hex or
 * "quoted text"). Decryption must give Output. */
static void label_case(vec_result *r, const vecfile *vf, kl_hash_alg hash, kl_hash_alg mgf)
{
  uint8_t *der = NULL, *L = NULL, *C = NULL, *want = NULL;
  size_t derLen = 0, lLen = 0, cLen = 0, wantLen = 0;
  const char *out_text = vecfile_get(vf, "Output");
  kl_rsa_keyfile kf;
  kl_rsa_keyfile_init(&kf);
  if (vec_hex(vecfile_get(vf, "KEY"), &der, &derLen) != 0 ||
      vec_hex(vecfile_get(vf, "OAEPLabel"), &L, &lLen) != 0 ||
      vec_hex(vecfile_get(vf, "Input"), &C, &cLen) != 0 || out_text == NULL) {
    vec_fail_msg(r, vf, "incomplete or malformed record");
    goto out;
  }
  size_t n = strlen(out_text);
  if (n >= 2 && out_text[0] == '"' && out_text[n - 1] == '"') {
    want = malloc(n);
    if (want == NULL)
      goto out;
    memcpy(want, out_text + 1, n - 2);
    wantLen = n - 2;
  } else if (vec_hex(out_text, &want, &wantLen) != 0) {
    vec_fail_msg(r, vf, "Output is neither hex nor quoted text");
    goto out;
  }
  kl_rng os;
  kl_rng_os(&os);
  kl_err err = kl_rsa_keyfile_read(&kf, der, derLen, &os);
  if (err != KL_OK || !kf.has_private) {
    vec_fail_msg(r, vf, "KEY not read: %s %s", kl_err_name(err), kf.detail);
    goto out;
  }
  const kl_oaep_params params = {hash, mgf, L, lLen};
  uint8_t M[KL_RSA_MAX_BITS / 8];
  size_t mLen = sizeof M;
  err = kl_rsa_oaep_decrypt(&kf.priv, &params, &os, NULL, M, &mLen, C, cLen);
  if (err != KL_OK)
    vec_fail_msg(r, vf, "decryption failed: %s", kl_err_name(err));
  else
    vec_check(r, vf, "Output", want, wantLen, M, mLen);

out:
  kl_rsa_keyfile_clear(&kf);
  free(der);
  free(L);
  free(C);
  free(want);
}

static void run_label(const char *path, vec_result *r)
{
  vecfile vf;
  if (vecfile_open(&vf, path) != 0) {
    r->file_error = 1;
    return;
  }
  int rc;
  while ((rc = vecfile_next(&vf)) == 1) {
    const char *padding = vecfile_get(&vf, "RSAPadding");
    if (padding == NULL || strcmp(padding, "OAEP") != 0) {
      vec_skip(r, "not OAEP");
      continue;
    }
    char reason[96];
    kl_hash_alg hash, mgf;
    const char *mgf_name = vecfile_get(&vf, "MGF1Digest");
    if (!cavp_hash(vecfile_get(&vf, "OAEPDigest"), &hash, reason, sizeof reason) ||
        !cavp_hash(mgf_name ? mgf_name : vecfile_get(&vf, "OAEPDigest"), &mgf, reason,
                   sizeof reason)) {
      vec_skip(r, reason);
      continue;
    }
    /* The package's file has one record, SHA-512; the SHA-1/SHA-256 path is
     * run by tests/interop/test_interop_pkcs1.sh on records python writes. */
    label_case(r, &vf, hash, mgf);
  }
  if (rc < 0)
    r->file_error = 1;
  vecfile_close(&vf);
}

/* ------------------------------------------------------------------------ */
/* FIPS 186 CAVP SigGen/SigVer, PKCS#1 v1.5 and PSS                          */

/* "# Salt len: 20" in the file's comments; -1 if absent. */
static long salt_len_comment(const char *path)
{
  FILE *f = fopen(path, "r");
  if (f == NULL)
    return -1;
  char line[256];
  long v = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    const char *p = strstr(line, "Salt len:");
    if (line[0] == '#' && p != NULL) {
      v = strtol(p + 9, NULL, 10);
      break;
    }
    if (line[0] == '[')
      break; /* comments end where the records start */
  }
  fclose(f);
  return v;
}

/* SigGenPSS_186-2.txt gives the salt (SaltVal): EMSA-PSS-ENCODE with that
 * salt replayed through kl_rng_replay must give exactly RSAVP1(S), octet for
 * octet. (Without p and q the file cannot be signed with; this checks the
 * encoder the signing path uses.) Returns 1 if it matches; else counts a
 * failure and returns 0. */
static int pss_encode_matches(vec_result *r, const vecfile *vf, const kl_rsa_pub *pub,
                              kl_hash_alg hash, size_t sLen, const char *salt_hex, const uint8_t *M,
                              size_t mLen, const uint8_t *S, size_t sLen_bytes)
{
  uint8_t *salt = NULL;
  size_t saltLen = 0;
  uint8_t EM[KL_RSA_MAX_BITS / 8], EMk[KL_RSA_MAX_BITS / 8];
  const size_t k = kl_rsa_modulus_len(pub->n);
  const unsigned emBits = (unsigned)(mpz_sizeinbase(pub->n, 2) - 1);
  const size_t emLen = ((size_t)emBits + 7) / 8;
  int ok = 0;
  if (vec_hex(salt_hex, &salt, &saltLen) != 0 || saltLen != sLen || sLen_bytes != k) {
    vec_fail_msg(r, vf, "SaltVal malformed or not %zu octets", sLen);
    goto out;
  }
  kl_rng rng;
  kl_rng_replay_state st;
  kl_rng_replay(&rng, &st, salt, saltLen);
  const kl_pss_params params = {hash, sLen};
  kl_err err = kl_rsa_pss_encode(&params, &rng, NULL, EM, emLen, emBits, M, mLen);
  if (err != KL_OK || st.pos != st.len || kl_rsa_public_octets(pub, EMk, S, k) != KL_OK) {
    vec_fail_msg(r, vf, "EMSA-PSS-ENCODE with the file's salt failed: %s", kl_err_name(err));
    goto out;
  }
  if (emLen < k && EMk[0] != 0) {
    vec_fail_msg(r, vf, "RSAVP1(S) does not fit in emLen octets");
    goto out;
  }
  if (memcmp(EMk + (k - emLen), EM, emLen) != 0) {
    vec_fail(r, vf, "EM (RSAVP1(S) vs our encoding)", EMk + (k - emLen), emLen, EM, emLen);
    goto out;
  }
  ok = 1;

out:
  free(salt);
  return ok;
}

static void run_cavp(const char *path, vec_result *r, int pss, int ver)
{
  long sLen = 0;
  if (pss) {
    sLen = salt_len_comment(path);
    if (sLen < 0) {
      r->file_error = 1;
      return;
    }
  }
  vecfile vf;
  if (vecfile_open(&vf, path) != 0) {
    r->file_error = 1;
    return;
  }
  kl_rsa_pub pub;
  kl_rsa_pub_init(&pub);
  int have_n = 0, have_e = 0;
  int rc;
  while ((rc = vecfile_next(&vf)) == 1) {
    const char *n = vecfile_get(&vf, "n");
    const char *e = vecfile_get(&vf, "e");
    if (n != NULL) {
      have_n = hex_mpz(pub.n, n) == 0;
      have_e = 0;
    }
    if (e != NULL)
      have_e = hex_mpz(pub.e, e) == 0;
    const char *alg = vecfile_get(&vf, "SHAAlg");
    if (alg == NULL)
      continue; /* n, or p and q, alone */
    char reason[96];
    kl_hash_alg hash;
    if (!cavp_hash(alg, &hash, reason, sizeof reason)) {
      vec_skip(r, reason);
      continue;
    }
    uint8_t *M = NULL, *S = NULL;
    size_t mLen = 0, sLen_bytes = 0;
    const char *result = vecfile_get(&vf, "Result");
    if (!have_n || !have_e || vec_hex(vecfile_get(&vf, "Msg"), &M, &mLen) != 0 ||
        vec_hex(vecfile_get(&vf, "S"), &S, &sLen_bytes) != 0 || (ver && result == NULL)) {
      vec_fail_msg(r, &vf, "incomplete or malformed record");
      free(M);
      free(S);
      continue;
    }
    kl_err err;
    if (pss) {
      const kl_pss_params params = {hash, (size_t)sLen};
      err = kl_rsa_pss_verify(&pub, &params, M, mLen, S, sLen_bytes);
    } else {
      err = kl_rsa_pkcs1v15_verify(&pub, hash, M, mLen, S, sLen_bytes);
    }
    int want_valid = ver ? (toupper((unsigned char)result[0]) == 'P') : 1;
    const char *salt_hex = vecfile_get(&vf, "SaltVal");
    int encoded_ok = 1; /* SigGenPSS .txt: the encoding with the given salt too */
    if (err == KL_OK && pss && !ver && salt_hex != NULL)
      encoded_ok = pss_encode_matches(r, &vf, &pub, hash, (size_t)sLen, salt_hex, M, mLen, S,
                                      sLen_bytes);
    if (!encoded_ok)
      ; /* pss_encode_matches counted the failure */
    else if (err != KL_OK && err != KL_ERR_VERIFY)
      vec_fail_msg(r, &vf, "verification error %s", kl_err_name(err));
    else if ((err == KL_OK) == want_valid)
      vec_pass(r);
    else
      vec_fail_msg(r, &vf, "signature %s, expected %s (%s)", err == KL_OK ? "valid" : "invalid",
                   want_valid ? "valid" : "invalid", ver ? result : "SigGen");
    free(M);
    free(S);
  }
  if (rc < 0)
    r->file_error = 1;
  kl_rsa_pub_clear(&pub);
  vecfile_close(&vf);
}

/* ------------------------------------------------------------------------ */
/* The formats (their entries are in formats.c)                              */

static int has_prefix(const char *s, const char *p)
{
  return strncmp(s, p, strlen(p)) == 0;
}

static void set_format(vec_result *r, const char *format)
{
  snprintf(r->format, sizeof r->format, "%s", format);
}

int vec_oaep_vect_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "oaep-vect.txt") == 0;
}

void vec_oaep_vect_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 v2.1 RSAES-OAEP (SHA-1, MGF1-SHA-1)");
  run_txt(path, r, TXT_OAEP, 0);
}

int vec_oaep_int_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "oaep-int.txt") == 0;
}

void vec_oaep_int_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 RSAES-OAEP intermediate values (SHA-1)");
  run_int(path, r, 0);
}

int vec_pss_vect_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "pss-vect.txt") == 0;
}

void vec_pss_vect_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 v2.1 RSASSA-PSS (SHA-1, MGF1-SHA-1)");
  run_txt(path, r, TXT_PSS, 0);
}

int vec_pss_int_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "pss-int.txt") == 0;
}

void vec_pss_int_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 RSASSA-PSS intermediate values (SHA-1)");
  run_int(path, r, 1);
}

int vec_v15sign_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "pkcs1v15sign-vectors.txt") == 0;
}

void vec_v15sign_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 RSASSA-PKCS1-v1_5 (SHA-1)");
  run_txt(path, r, TXT_V15, 0);
}

int vec_v15crypt_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "pkcs1v15crypt-vectors.txt") == 0;
}

void vec_v15crypt_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "PKCS#1 RSAES-PKCS1-v1_5");
  run_txt(path, r, TXT_V15CRYPT, 0);
}

int vec_implicit_detect(const char *path, const char *base)
{
  (void)path;
  return strncmp(base, "implicit-rejection-", 19) == 0 && vec_ends_with(base, ".txt");
}

void vec_implicit_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "RSAES-PKCS1-v1_5 implicit rejection");
  run_implicit(path, r);
}

int vec_oaep_custom_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "oaep-sha") && vec_ends_with(base, ".txt");
}

void vec_oaep_custom_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "pyca RSAES-OAEP custom hashes");
  run_txt(path, r, TXT_OAEP, 1);
}

int vec_oaep_label_detect(const char *path, const char *base)
{
  (void)path;
  return strcmp(base, "oaep-label.txt") == 0;
}

void vec_oaep_label_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "BoringSSL RSAES-OAEP with label");
  run_label(path, r);
}

int vec_siggen15_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "SigGen15_186-") && vec_ends_with(base, ".rsp");
}

void vec_siggen15_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "FIPS 186 SigGen RSASSA-PKCS1-v1_5 (verified)");
  run_cavp(path, r, 0, 0);
}

int vec_siggenpss_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "SigGenPSS_186-") && vec_ends_with(base, ".rsp");
}

void vec_siggenpss_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "FIPS 186 SigGen RSASSA-PSS (verified)");
  run_cavp(path, r, 1, 0);
}

int vec_siggenpss_salts_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "SigGenPSS_186-") && vec_ends_with(base, ".txt");
}

void vec_siggenpss_salts_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "FIPS 186 SigGen RSASSA-PSS with salts (encoded, verified)");
  run_cavp(path, r, 1, 0);
}

int vec_sigver15_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "SigVer15_186-") && vec_ends_with(base, ".rsp");
}

void vec_sigver15_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "FIPS 186 SigVer RSASSA-PKCS1-v1_5");
  run_cavp(path, r, 0, 1);
}

int vec_sigverpss_detect(const char *path, const char *base)
{
  (void)path;
  return has_prefix(base, "SigVerPSS_186-") && vec_ends_with(base, ".rsp");
}

void vec_sigverpss_run(const char *path, const char *base, vec_result *r)
{
  (void)base;
  set_format(r, "FIPS 186 SigVer RSASSA-PSS");
  run_cavp(path, r, 1, 1);
}
