/* dotnet.c: the .NET forms of RSAParameters, read and written.
 *   XML, as RSA.ToXmlString(true) writes it (no whitespace, this order):
 *     <RSAKeyValue><Modulus>b64</Modulus><Exponent>b64</Exponent><P>b64</P>
 *     <Q>b64</Q><DP>b64</DP><DQ>b64</DQ><InverseQ>b64</InverseQ><D>b64</D></RSAKeyValue>
 *   JSON with the same field names: {"Modulus":"b64","Exponent":"b64",...}
 * Every value is the big-endian octet string of the integer, base64 (RFC 4648
 * §4). .NET's RSA.ExportParameters gives Modulus and D at the modulus length k
 * and P, Q, DP, DQ, InverseQ at (k+1)/2 octets, keeping leading zero octets
 * (ImportParameters insists on those lengths); we write that and read both
 * padded and minimal values. Names: RSAParameters -> RFC 8017 §3.2:
 *   Modulus n, Exponent e, D d, P p, Q q, DP dP, DQ dQ, InverseQ qInv.
 * The readers are strict and minimal: exactly these flat shapes, whitespace
 * between tokens and inside base64 values, fields in any order, each at most
 * once, nothing else (no attributes, comments, nested values; an <?xml ...?>
 * declaration and, in JSON, null for an absent private field and the escapes
 * \" \\ \/ \uXXXX that JSON serialisers put in base64 text are accepted).
 * Timing: NOT constant-time (a file format). Secrets: scratch wiped. */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/encoding.h"
#include "keyfile/keyfile_internal.h"

/* The eight fields in ToXmlString's order. */
enum {
  F_MODULUS,
  F_EXPONENT,
  F_P,
  F_Q,
  F_DP,
  F_DQ,
  F_INVERSEQ,
  F_D,
  F_COUNT
};
static const char *const field_names[F_COUNT] = {"Modulus", "Exponent", "P",        "Q",
                                                 "DP",      "DQ",       "InverseQ", "D"};

/* Longest value we take: a modulus of KL_RSA_MAX_BITS plus a few leading
 * zero octets, in base64. */
#define VALUE_MAX_OCTETS (KLI_KEY_INT_MAX + 8)
#define VALUE_MAX_CHARS (4 * ((VALUE_MAX_OCTETS + 2) / 3))

static mpz_ptr field_target(kl_rsa_keyfile *kf, int f)
{
  kl_rsa_priv *k = &kf->priv;
  mpz_ptr t[F_COUNT] = {k->n, k->e, k->p, k->q, k->dP, k->dQ, k->qInv, k->d};
  return t[f];
}

static int field_by_name(const char *s, size_t n)
{
  for (int f = 0; f < F_COUNT; f++) {
    if (strlen(field_names[f]) == n && memcmp(field_names[f], s, n) == 0)
      return f;
  }
  return -1;
}

/* Decode the base64 value of field f (text[0..n)) into its integer. Line
 * breaks and spaces inside the value are dropped first, as .NET's
 * Convert.FromBase64String does: ToBase64String(..., InsertLineBreaks) and
 * pretty-printed XML wrap long values. */
static kl_err set_field(kl_rsa_keyfile *kf, int f, const char *text, size_t text_len)
{
  char b64[VALUE_MAX_CHARS];
  size_t n = 0;
  for (size_t i = 0; i < text_len; i++) {
    char ch = text[i];
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
      continue;
    if (n == sizeof b64)
      return kli_keyfile_fail(kf, KL_ERR_KEY_LEN, ".NET key: %s is longer than a %u-bit key holds",
                              field_names[f], (unsigned)KL_RSA_MAX_BITS);
    b64[n++] = ch;
  }
  uint8_t buf[VALUE_MAX_OCTETS];
  size_t len = sizeof buf;
  kl_err err = kl_base64_decode(buf, &len, b64, n);
  if (err != KL_OK) {
    err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET key: %s is not valid base64", field_names[f]);
    goto out;
  }
  if (len == 0) {
    err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET key: %s is empty", field_names[f]);
    goto out;
  }
  err = kli_keyfile_set_int(kf, field_target(kf, f), field_names[f], buf, len);
out:
  kl_wipe(buf, sizeof buf);
  kl_wipe(b64, sizeof b64);
  return err;
}

/* After parsing: Modulus and Exponent are required; the six private fields
 * come all together or not at all (.NET's ImportParameters asks the same). */
static kl_err finish(kl_rsa_keyfile *kf, const int seen[F_COUNT])
{
  if (!seen[F_MODULUS] || !seen[F_EXPONENT])
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET key: Modulus and Exponent are required");
  int priv = 0;
  for (int f = F_P; f < F_COUNT; f++)
    priv += seen[f];
  if (priv != 0 && priv != F_COUNT - F_P)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            ".NET key: P, Q, DP, DQ, InverseQ and D must all be present "
                            "(a private key) or all absent (a public key)");
  mpz_set(kf->pub.n, kf->priv.n);
  mpz_set(kf->pub.e, kf->priv.e);
  kf->has_private = priv != 0;
  if (!kf->has_private) {
    mpz_set_ui(kf->priv.n, 0);
    mpz_set_ui(kf->priv.e, 0);
  }
  return KL_OK;
}

/* ---- a cursor over the text ---- */

typedef struct cursor {
  const char *s;
  size_t n;
  size_t i;
} cursor;

static void skip_ws(cursor *c)
{
  while (c->i < c->n &&
         (c->s[c->i] == ' ' || c->s[c->i] == '\t' || c->s[c->i] == '\r' || c->s[c->i] == '\n'))
    c->i++;
}

static int take(cursor *c, const char *lit)
{
  size_t L = strlen(lit);
  if (c->n - c->i < L || memcmp(c->s + c->i, lit, L) != 0)
    return 0;
  c->i += L;
  return 1;
}

/* ---- XML ---- */

static kl_err read_xml(kl_rsa_keyfile *kf, const char *text, size_t len)
{
  cursor c = {text, len, 0};
  int seen[F_COUNT] = {0};
  skip_ws(&c);
  if (take(&c, "<?xml")) {
    /* the XML declaration (XML 1.0 §2.8): skip to its "?>" */
    while (c.i + 1 < c.n && !(c.s[c.i] == '?' && c.s[c.i + 1] == '>'))
      c.i++;
    if (!take(&c, "?>"))
      return kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET XML: unterminated <?xml declaration");
    skip_ws(&c);
  }
  if (!take(&c, "<RSAKeyValue>"))
    return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                            ".NET XML: expected <RSAKeyValue> (no attributes)");
  for (;;) {
    skip_ws(&c);
    if (take(&c, "</RSAKeyValue>"))
      break;
    if (!take(&c, "<"))
      return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                              ".NET XML: expected an element or </RSAKeyValue>");
    size_t name_start = c.i;
    while (c.i < c.n && c.s[c.i] != '>')
      c.i++;
    int f = field_by_name(c.s + name_start, c.i - name_start);
    if (f < 0 || !take(&c, ">"))
      return kli_keyfile_fail(kf, KL_ERR_ENCODING,
                              ".NET XML: unknown element (want Modulus, Exponent, P, Q, DP, DQ, "
                              "InverseQ or D, without attributes)");
    if (seen[f])
      return kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET XML: <%s> appears twice", field_names[f]);
    seen[f] = 1;
    skip_ws(&c);
    size_t v = c.i;
    while (c.i < c.n && c.s[c.i] != '<')
      c.i++;
    size_t v_end = c.i;
    while (v_end > v && (c.s[v_end - 1] == ' ' || c.s[v_end - 1] == '\t' ||
                         c.s[v_end - 1] == '\r' || c.s[v_end - 1] == '\n'))
      v_end--;
    if (!take(&c, "</") || !take(&c, field_names[f]) || !take(&c, ">"))
      return kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET XML: <%s> is not closed by </%s>",
                              field_names[f], field_names[f]);
    kl_err err = set_field(kf, f, c.s + v, v_end - v);
    if (err != KL_OK)
      return err;
  }
  skip_ws(&c);
  if (c.i != c.n)
    return kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET XML: data after </RSAKeyValue>");
  return finish(kf, seen);
}

/* ---- JSON (RFC 8259, the subset above) ---- */

static int hexval(char ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

/* A JSON string at c (after its opening quote) into out[0..*len), ASCII only.
 * Returns 1, or 0 when malformed or longer than cap. */
static int json_string(cursor *c, char *out, size_t cap, size_t *len)
{
  size_t o = 0;
  while (c->i < c->n) {
    char ch = c->s[c->i++];
    if (ch == '"') {
      *len = o;
      return 1;
    }
    if ((unsigned char)ch < 0x20 || (unsigned char)ch >= 0x80)
      return 0; /* RFC 8259 §7: control characters must be escaped; non-ASCII is never base64 */
    if (ch == '\\') {
      if (c->i >= c->n)
        return 0;
      char esc = c->s[c->i++];
      if (esc == '"' || esc == '\\' || esc == '/') {
        ch = esc;
      } else if (esc == 'u') {
        if (c->n - c->i < 4)
          return 0;
        int v = 0;
        for (int k = 0; k < 4; k++) {
          int h = hexval(c->s[c->i + (size_t)k]);
          if (h < 0)
            return 0;
          v = (v << 4) | h;
        }
        c->i += 4;
        if (v < 0x20 || v >= 0x80)
          return 0; /* \u002B ('+') is what System.Text.Json writes; nothing else matters */
        ch = (char)v;
      } else {
        return 0;
      }
    }
    if (o >= cap)
      return 0;
    out[o++] = ch;
  }
  return 0;
}

static kl_err read_json(kl_rsa_keyfile *kf, const char *text, size_t len)
{
  cursor c = {text, len, 0};
  int seen[F_COUNT] = {0};
  char value[VALUE_MAX_CHARS + 1];
  kl_err err = KL_OK;
  skip_ws(&c);
  if (!take(&c, "{")) {
    err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: expected '{'");
    goto out;
  }
  skip_ws(&c);
  if (!take(&c, "}")) {
    for (;;) {
      skip_ws(&c);
      char name[16];
      size_t name_len;
      if (!take(&c, "\"") || !json_string(&c, name, sizeof name, &name_len)) {
        err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: expected a field name");
        goto out;
      }
      int f = field_by_name(name, name_len);
      if (f < 0) {
        err = kli_keyfile_fail(kf, KL_ERR_ENCODING,
                               ".NET JSON: unknown field '%.*s' (want Modulus, Exponent, P, Q, "
                               "DP, DQ, InverseQ or D)",
                               (int)name_len, name);
        goto out;
      }
      if (seen[f]) {
        err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: \"%s\" appears twice",
                               field_names[f]);
        goto out;
      }
      skip_ws(&c);
      if (!take(&c, ":")) {
        err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: expected ':' after \"%s\"",
                               field_names[f]);
        goto out;
      }
      skip_ws(&c);
      if (take(&c, "null")) {
        /* Newtonsoft writes null for the private fields of a public key. */
      } else {
        size_t vlen;
        if (!take(&c, "\"") || !json_string(&c, value, sizeof value, &vlen)) {
          err = kli_keyfile_fail(kf, KL_ERR_ENCODING,
                                 ".NET JSON: \"%s\" must be a base64 string (or null)",
                                 field_names[f]);
          goto out;
        }
        seen[f] = 1;
        err = set_field(kf, f, value, vlen);
        if (err != KL_OK)
          goto out;
      }
      skip_ws(&c);
      if (take(&c, ","))
        continue;
      if (take(&c, "}"))
        break;
      err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: expected ',' or '}'");
      goto out;
    }
  }
  skip_ws(&c);
  if (c.i != c.n) {
    err = kli_keyfile_fail(kf, KL_ERR_ENCODING, ".NET JSON: data after the closing '}'");
    goto out;
  }
  err = finish(kf, seen);
out:
  kl_wipe(value, sizeof value);
  return err;
}

kl_err kli_dotnet_read(kl_rsa_keyfile *kf, const char *text, size_t len, int json)
{
  return json ? read_json(kf, text, len) : read_xml(kf, text, len);
}

/* ---- writing ---- */

typedef struct text_out {
  uint8_t *buf;
  size_t cap, len;
  int overflow;
} text_out;

static void put_str(text_out *t, const char *s, size_t n)
{
  if (t->len <= t->cap && n <= t->cap - t->len)
    memcpy(t->buf + t->len, s, n);
  else
    t->overflow = 1;
  t->len += n;
}

static void put_cstr(text_out *t, const char *s)
{
  put_str(t, s, strlen(s));
}

/* base64 of x as a width-octet big-endian string (width >= octets of x). */
static kl_err put_value(text_out *t, const mpz_t x, size_t width)
{
  uint8_t oct[VALUE_MAX_OCTETS];
  char b64[VALUE_MAX_CHARS + 1];
  kl_err err = kl_i2osp(oct, width, x);
  if (err == KL_OK)
    err = kl_base64_encode(b64, sizeof b64, oct, width);
  if (err == KL_OK)
    put_str(t, b64, kl_base64_encoded_len(width));
  kl_wipe(oct, sizeof oct);
  kl_wipe(b64, sizeof b64);
  return err;
}

static size_t max_size(size_t a, size_t b)
{
  return a > b ? a : b;
}

kl_err kli_dotnet_write(const kl_rsa_priv *key, const kl_rsa_pub *pub, int json, uint8_t *out,
                        size_t *out_len)
{
  mpz_srcptr n = key != NULL ? key->n : pub->n;
  mpz_srcptr e = key != NULL ? key->e : pub->e;
  size_t k = kli_int_octets(n);
  size_t half = (k + 1) / 2;
  mpz_srcptr x[F_COUNT] = {n, e};
  size_t width[F_COUNT] = {max_size(k, 1), max_size(kli_int_octets(e), 1)};
  int count = 2;
  if (key != NULL) {
    /* ExportParameters: D at k octets; P, Q, DP, DQ, InverseQ at (k+1)/2. */
    mpz_srcptr vals[] = {key->p, key->q, key->dP, key->dQ, key->qInv, key->d};
    for (int f = F_P; f < F_COUNT; f++) {
      x[f] = vals[f - F_P];
      size_t want = f == F_D ? k : half;
      width[f] = max_size(max_size(want, kli_int_octets(x[f])), 1);
    }
    count = F_COUNT;
  }
  text_out t = {out, out == NULL ? 0 : *out_len, 0, 0};
  kl_err err = KL_OK;
  put_cstr(&t, json ? "{" : "<RSAKeyValue>");
  for (int f = 0; f < count && err == KL_OK; f++) {
    if (json) {
      put_cstr(&t, f == 0 ? "\"" : ",\"");
      put_cstr(&t, field_names[f]);
      put_cstr(&t, "\":\"");
    } else {
      put_cstr(&t, "<");
      put_cstr(&t, field_names[f]);
      put_cstr(&t, ">");
    }
    err = put_value(&t, x[f], width[f]);
    if (json) {
      put_cstr(&t, "\"");
    } else {
      put_cstr(&t, "</");
      put_cstr(&t, field_names[f]);
      put_cstr(&t, ">");
    }
  }
  put_cstr(&t, json ? "}\n" : "</RSAKeyValue>\n");
  if (err != KL_OK || t.overflow)
    kl_wipe(t.buf, t.cap); /* leave no partial private key behind, whatever failed */
  if (err != KL_OK)
    return err;
  *out_len = t.len;
  return t.overflow ? KL_ERR_BUF_TOO_SMALL : KL_OK;
}
