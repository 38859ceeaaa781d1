/* pem.c: PEM armor, RFC 7468 §2 (general rules), §3 (ABNF), §5 (tolerance).
 * Writer: the "stricttextualmsg" form of §3, 64-column base64, LF ends.
 * Reader: line by line; what it tolerates and rejects is listed in pem.h.
 * The base64 body is decoded in chunks of whole 4-character groups by the
 * core's strict kl_base64_decode (RFC 4648 §4), after the line breaks are
 * removed, so a chunk never needs more than a small stack buffer.
 * Timing: not constant-time. Secrets: the scratch chunk is wiped on exit.
 * See include/kexlab/pem.h, docs/keyfiles.md. */
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/encoding.h"
#include "kexlab/pem.h"

#define PEM_COLS 64 /* RFC 7468 §2: "exactly 64 characters" per full line */

static const char begin_tag[] = "-----BEGIN ";
static const char end_tag[] = "-----END ";
static const char dashes[] = "-----";

/* RFC 7468 §3: labelchar = %x21-2C / %x2E-7E (printable, not '-');
 * label = [ labelchar *( ["-" / SP] labelchar ) ]. */
static int label_ok(const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    int labelchar = c >= 0x21 && c <= 0x7E && c != '-';
    if (labelchar)
      continue;
    /* a single '-' or ' ' between two labelchars */
    if (c != '-' && c != ' ')
      return 0;
    if (i == 0 || i + 1 == n || s[i - 1] == '-' || s[i - 1] == ' ')
      return 0;
  }
  return 1;
}

size_t kl_pem_encoded_len(size_t label_len, size_t der_len)
{
  size_t b64 = kl_base64_encoded_len(der_len);
  size_t lines = (b64 + PEM_COLS - 1) / PEM_COLS;
  size_t begin = (sizeof begin_tag - 1) + label_len + (sizeof dashes - 1) + 1;
  size_t end = (sizeof end_tag - 1) + label_len + (sizeof dashes - 1) + 1;
  return begin + b64 + lines + end;
}

/* RFC 7468 §2: an encapsulation boundary line, "<tag><label>-----" and LF
 * (tag is begin_tag or end_tag), written at out + o; returns the offset after
 * it. The caller has checked the room (kl_pem_encoded_len). */
static size_t put_boundary(char *out, size_t o, const char *tag, const char *label, size_t L)
{
  size_t t = strlen(tag);
  memcpy(out + o, tag, t);
  o += t;
  memcpy(out + o, label, L);
  o += L;
  memcpy(out + o, dashes, sizeof dashes - 1);
  o += sizeof dashes - 1;
  out[o++] = '\n';
  return o;
}

kl_err kl_pem_encode(char *out, size_t *out_len, const char *label, const uint8_t *der,
                     size_t der_len)
{
  if (out_len == NULL || label == NULL || (der == NULL && der_len != 0))
    return KL_ERR_ARG;
  size_t L = strlen(label);
  if (!label_ok(label, L))
    return KL_ERR_ARG;
  size_t need = kl_pem_encoded_len(L, der_len) + 1;
  if (out == NULL || *out_len < need) {
    *out_len = need;
    return KL_ERR_BUF_TOO_SMALL;
  }
  size_t o = put_boundary(out, 0, begin_tag, label, L);
  /* 48 octets of DER make one 64-character line. */
  for (size_t i = 0; i < der_len; i += 48) {
    size_t chunk = der_len - i < 48 ? der_len - i : 48;
    kl_err err = kl_base64_encode(out + o, need - o, der + i, chunk);
    if (err != KL_OK)
      return KL_ERR_INTERNAL; /* need was computed above: cannot happen */
    o += kl_base64_encoded_len(chunk);
    out[o++] = '\n';
  }
  o = put_boundary(out, o, end_tag, label, L);
  out[o] = '\0';
  *out_len = o;
  return KL_OK;
}

/* One line of the input: text[start .. end) without the '\n', and with
 * trailing CR, spaces and tabs removed (RFC 7468 §3 allows WSP before eol;
 * eol may be CRLF). next: where the following line starts. */
typedef struct pem_line {
  const char *s;
  size_t n;
  size_t next;
} pem_line;

static int is_wsp(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

static void get_line(const char *text, size_t text_len, size_t pos, pem_line *ln)
{
  size_t e = pos;
  while (e < text_len && text[e] != '\n')
    e++;
  ln->next = e < text_len ? e + 1 : e;
  while (e > pos && is_wsp(text[e - 1]))
    e--;
  ln->s = text + pos;
  ln->n = e - pos;
}

static int starts_with(const pem_line *ln, const char *prefix)
{
  size_t p = strlen(prefix);
  return ln->n >= p && memcmp(ln->s, prefix, p) == 0;
}

/* "<tag><label>-----": sets *label, *label_len; 0 when the shape is wrong. */
static int boundary_label(const pem_line *ln, const char *tag, const char **label,
                          size_t *label_len)
{
  size_t t = strlen(tag);
  size_t d = sizeof dashes - 1;
  if (ln->n < t + d || memcmp(ln->s + ln->n - d, dashes, d) != 0)
    return 0;
  *label = ln->s + t;
  *label_len = ln->n - t - d;
  return label_ok(*label, *label_len);
}

static int is_b64_char(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/' || c == '=';
}

int kl_pem_looks_like(const char *text, size_t text_len)
{
  if (text == NULL)
    return 0;
  size_t pos = 0;
  while (pos < text_len) {
    pem_line ln;
    get_line(text, text_len, pos, &ln);
    if (starts_with(&ln, begin_tag))
      return 1;
    pos = ln.next;
  }
  return 0;
}

static kl_err pem_fail(const char **why, const char *msg)
{
  if (why != NULL)
    *why = msg;
  return KL_ERR_ENCODING;
}

kl_err kl_pem_decode(uint8_t *der, size_t *der_len, const char **label, size_t *label_len,
                     const char *text, size_t text_len, const char **why)
{
  if (why != NULL)
    *why = NULL;
  if (der == NULL || der_len == NULL || label == NULL || label_len == NULL ||
      (text == NULL && text_len != 0))
    return KL_ERR_ARG;
  kl_err err = KL_OK;
  /* Scratch: base64 characters waiting to be decoded, whole groups only. */
  char chunk[256];
  size_t chunk_n = 0;
  size_t cap = *der_len;
  size_t o = 0;
  int padded = 0; /* an '=' was seen: only more '=' may follow */

  /* RFC 7468 §5.2: text before the BEGIN line is explanatory and skipped. */
  size_t pos = 0;
  pem_line ln;
  int found = 0;
  while (pos < text_len) {
    get_line(text, text_len, pos, &ln);
    pos = ln.next;
    if (starts_with(&ln, begin_tag)) {
      found = 1;
      break;
    }
  }
  if (!found) {
    err = pem_fail(why, "PEM: no '-----BEGIN ...-----' line");
    goto out;
  }
  const char *lab;
  size_t lab_n;
  if (!boundary_label(&ln, begin_tag, &lab, &lab_n)) {
    err = pem_fail(why, "PEM: malformed BEGIN line");
    goto out;
  }

  int ended = 0;
  while (pos < text_len) {
    get_line(text, text_len, pos, &ln);
    pos = ln.next;
    if (starts_with(&ln, end_tag)) {
      const char *elab;
      size_t elab_n;
      if (!boundary_label(&ln, end_tag, &elab, &elab_n)) {
        err = pem_fail(why, "PEM: malformed END line");
        goto out;
      }
      if (elab_n != lab_n || memcmp(elab, lab, lab_n) != 0) {
        err = pem_fail(why, "PEM: END label does not match the BEGIN label");
        goto out;
      }
      ended = 1;
      break;
    }
    if (ln.n == 0) {
      err = pem_fail(why, "PEM: blank line inside the base64 body");
      goto out;
    }
    if (memchr(ln.s, ':', ln.n) != NULL) {
      err = pem_fail(why, "PEM: headers (RFC 1421 encrypted PEM) are not supported");
      goto out;
    }
    for (size_t i = 0; i < ln.n; i++) {
      if (!is_b64_char(ln.s[i])) {
        err = pem_fail(why, "PEM: character outside the base64 alphabet");
        goto out;
      }
      if (padded && ln.s[i] != '=') {
        err = pem_fail(why, "PEM: base64 continues after its '=' padding");
        goto out;
      }
      padded |= ln.s[i] == '=';
      chunk[chunk_n++] = ln.s[i];
      if (chunk_n == sizeof chunk) {
        size_t got = cap - o;
        err = kl_base64_decode(der + o, &got, chunk, chunk_n);
        if (err == KL_ERR_ENCODING)
          pem_fail(why, "PEM: invalid base64");
        if (err != KL_OK)
          goto out;
        o += got;
        chunk_n = 0;
      }
    }
  }
  if (!ended) {
    err = pem_fail(why, "PEM: missing '-----END ...-----' line");
    goto out;
  }
  /* RFC 7468 §3: only whitespace may follow the END line here. */
  for (size_t i = pos; i < text_len; i++) {
    if (!(is_wsp(text[i]) || text[i] == '\n')) {
      err = pem_fail(why, "PEM: data after the END line");
      goto out;
    }
  }
  if (chunk_n % 4 != 0) {
    err = pem_fail(why, "PEM: base64 length is not a multiple of 4");
    goto out;
  }
  if (chunk_n > 0) {
    size_t got = cap - o;
    err = kl_base64_decode(der + o, &got, chunk, chunk_n);
    if (err == KL_ERR_ENCODING)
      pem_fail(why, "PEM: invalid base64");
    if (err != KL_OK)
      goto out;
    o += got;
  }
  *der_len = o;
  *label = lab;
  *label_len = lab_n;
out:
  if (err != KL_OK)
    kl_wipe(der, cap); /* what was decoded before the failure may be a private key */
  kl_wipe(chunk, sizeof chunk);
  return err;
}
