/* der.c: strict DER reader and writer, ITU-T X.690 (08/2015) §8.1 (TLV),
 * §8.3 (INTEGER), §8.6 (BIT STRING), §8.7 (OCTET STRING), §8.8 (NULL),
 * §8.9 (SEQUENCE), §8.19 (OBJECT IDENTIFIER), restricted by §10 (DER:
 * definite, minimal lengths) and §11.2 (unused bits). Reference path only.
 * Layout of one value:  identifier ‖ length ‖ contents
 *   length < 128:  one octet L
 *   otherwise:     0x80|m, then m octets of L big-endian (m minimal, L >= 128)
 * Timing: branches on tags and lengths; INTEGER contents are only looked at
 * in their first two octets (sign and minimality). Secrets: none kept.
 * See include/kexlab/der.h for the accepted subset, docs/keyfiles.md. */
#include <string.h>

#include "kexlab/der.h"

void kl_der_reader_init(kl_der_reader *r, const uint8_t *buf, size_t len)
{
  r->buf = buf;
  r->len = buf == NULL ? 0 : len;
  r->pos = 0;
  r->why = NULL;
}

int kl_der_peek_tag(const kl_der_reader *r)
{
  if (r->pos >= r->len)
    return -1;
  return r->buf[r->pos];
}

static kl_err fail(kl_der_reader *r, const char *why)
{
  if (r->why == NULL)
    r->why = why;
  return KL_ERR_ENCODING;
}

/* X.690 §8.1.3, with the DER rule of §10.1: the definite form, in as few
 * octets as possible. We take at most 4 length octets (values < 2^32), far
 * beyond any key; larger lengths could not fit the buffer anyway. */
static kl_err read_length(kl_der_reader *r, size_t *L)
{
  if (r->pos >= r->len)
    return fail(r, "DER: truncated (no length octet)");
  uint8_t first = r->buf[r->pos++];
  if (first < 0x80) {
    *L = first;
    return KL_OK;
  }
  if (first == 0x80)
    return fail(r, "DER: indefinite length (BER only, not DER)");
  if (first == 0xFF)
    return fail(r, "DER: reserved length octet 0xFF");
  size_t m = first & 0x7F;
  if (m > 4)
    return fail(r, "DER: length of more than 4 octets");
  if (r->len - r->pos < m)
    return fail(r, "DER: truncated length");
  if (r->buf[r->pos] == 0)
    return fail(r, "DER: non-minimal length (leading zero octet)");
  size_t v = 0;
  for (size_t i = 0; i < m; i++)
    v = (v << 8) | r->buf[r->pos + i];
  r->pos += m;
  if (v < 0x80)
    return fail(r, "DER: non-minimal length (long form for a length below 128)");
  *L = v;
  return KL_OK;
}

kl_err kl_der_read_tlv(kl_der_reader *r, uint8_t tag, const uint8_t **content, size_t *content_len)
{
  if (r == NULL || content == NULL || content_len == NULL)
    return KL_ERR_ARG;
  if (r->pos >= r->len)
    return fail(r, "DER: truncated (value expected)");
  if (r->buf[r->pos] != tag)
    return fail(r, "DER: unexpected tag (wrong type or structure)");
  size_t start = r->pos;
  r->pos++;
  size_t L;
  kl_err err = read_length(r, &L);
  if (err != KL_OK) {
    r->pos = start;
    return err;
  }
  if (L > r->len - r->pos) {
    r->pos = start;
    return fail(r, "DER: length runs past the end of the data");
  }
  *content = r->buf + r->pos;
  *content_len = L;
  r->pos += L;
  return KL_OK;
}

kl_err kl_der_read_sequence(kl_der_reader *r, kl_der_reader *inner)
{
  if (inner == NULL)
    return KL_ERR_ARG;
  const uint8_t *c;
  size_t clen;
  kl_err err = kl_der_read_tlv(r, KL_DER_SEQUENCE, &c, &clen);
  if (err != KL_OK)
    return err;
  kl_der_reader_init(inner, c, clen);
  return KL_OK;
}

kl_err kl_der_read_uint(kl_der_reader *r, const uint8_t **mag, size_t *mag_len)
{
  if (mag == NULL || mag_len == NULL)
    return KL_ERR_ARG;
  const uint8_t *c;
  size_t clen;
  kl_err err = kl_der_read_tlv(r, KL_DER_INTEGER, &c, &clen);
  if (err != KL_OK)
    return err;
  /* §8.3.1: at least one content octet. */
  if (clen == 0)
    return fail(r, "DER: empty INTEGER");
  /* Two's complement: the top bit of the first octet is the sign. */
  if (c[0] & 0x80)
    return fail(r, "DER: negative INTEGER where a non-negative value is required");
  /* §8.3.2: the first nine bits must not all be zero (a 0x00 octet is only
   * allowed to keep a following octet with its top bit set positive). */
  if (clen >= 2 && c[0] == 0x00 && (c[1] & 0x80) == 0)
    return fail(r, "DER: non-minimal INTEGER (superfluous leading zero octet)");
  if (c[0] == 0x00) {
    c++;
    clen--;
  }
  *mag = c;
  *mag_len = clen;
  return KL_OK;
}

kl_err kl_der_read_small_uint(kl_der_reader *r, unsigned long *v)
{
  if (v == NULL)
    return KL_ERR_ARG;
  const uint8_t *mag;
  size_t mag_len;
  kl_err err = kl_der_read_uint(r, &mag, &mag_len);
  if (err != KL_OK)
    return err;
  if (mag_len > sizeof(unsigned long))
    return fail(r, "DER: INTEGER too large for a version number");
  unsigned long x = 0;
  for (size_t i = 0; i < mag_len; i++)
    x = (x << 8) | mag[i];
  *v = x;
  return KL_OK;
}

kl_err kl_der_read_bit_string(kl_der_reader *r, const uint8_t **bits, size_t *bits_len)
{
  if (bits == NULL || bits_len == NULL)
    return KL_ERR_ARG;
  const uint8_t *c;
  size_t clen;
  kl_err err = kl_der_read_tlv(r, KL_DER_BIT_STRING, &c, &clen);
  if (err != KL_OK)
    return err;
  /* §8.6.2: the first content octet counts the unused bits of the last one. */
  if (clen == 0)
    return fail(r, "DER: BIT STRING without its unused-bits octet");
  if (c[0] != 0)
    return fail(r, "DER: BIT STRING with unused bits (a key needs whole octets)");
  *bits = c + 1;
  *bits_len = clen - 1;
  return KL_OK;
}

kl_err kl_der_read_octet_string(kl_der_reader *r, const uint8_t **p, size_t *len)
{
  return kl_der_read_tlv(r, KL_DER_OCTET_STRING, p, len);
}

kl_err kl_der_read_null(kl_der_reader *r)
{
  const uint8_t *c;
  size_t clen;
  kl_err err = kl_der_read_tlv(r, KL_DER_NULL, &c, &clen);
  if (err != KL_OK)
    return err;
  /* §8.8.2: NULL has no contents. */
  if (clen != 0)
    return fail(r, "DER: NULL with contents");
  return KL_OK;
}

kl_err kl_der_read_oid(kl_der_reader *r, const uint8_t **oid, size_t *oid_len)
{
  if (oid == NULL || oid_len == NULL)
    return KL_ERR_ARG;
  const uint8_t *c;
  size_t clen;
  kl_err err = kl_der_read_tlv(r, KL_DER_OID, &c, &clen);
  if (err != KL_OK)
    return err;
  if (clen == 0)
    return fail(r, "DER: empty OBJECT IDENTIFIER");
  /* §8.19.2: each arc is base-128, high bit set on all but its last octet,
   * and "the leading octet of the subidentifier shall not be 0x80". */
  int arc_start = 1;
  for (size_t i = 0; i < clen; i++) {
    if (arc_start && c[i] == 0x80)
      return fail(r, "DER: non-minimal OBJECT IDENTIFIER arc");
    arc_start = (c[i] & 0x80) == 0;
  }
  if (!arc_start)
    return fail(r, "DER: OBJECT IDENTIFIER ends inside an arc");
  *oid = c;
  *oid_len = clen;
  return KL_OK;
}

kl_err kl_der_read_end(kl_der_reader *r)
{
  if (r == NULL)
    return KL_ERR_ARG;
  if (r->pos != r->len)
    return fail(r, "DER: trailing data after the structure");
  return KL_OK;
}

/* ---- writer ---- */

void kl_der_writer_init(kl_der_writer *w, uint8_t *buf, size_t cap)
{
  w->buf = buf;
  w->cap = buf == NULL ? 0 : cap;
  w->len = 0;
  w->overflow = 0;
}

static void put_byte(kl_der_writer *w, uint8_t b)
{
  if (w->len < w->cap)
    w->buf[w->len] = b;
  else
    w->overflow = 1;
  w->len++;
}

static void put_bytes(kl_der_writer *w, const uint8_t *p, size_t n)
{
  if (n == 0)
    return;
  if (w->len <= w->cap && n <= w->cap - w->len)
    memcpy(w->buf + w->len, p, n);
  else
    w->overflow = 1;
  w->len += n;
}

size_t kl_der_header_len(size_t content_len)
{
  size_t m = 0;
  if (content_len >= 0x80) {
    for (size_t v = content_len; v != 0; v >>= 8)
      m++;
  }
  return 1 + 1 + m;
}

void kl_der_put_header(kl_der_writer *w, uint8_t tag, size_t content_len)
{
  put_byte(w, tag);
  if (content_len < 0x80) {
    put_byte(w, (uint8_t)content_len);
    return;
  }
  size_t m = kl_der_header_len(content_len) - 2;
  put_byte(w, (uint8_t)(0x80 | m));
  for (size_t i = m; i > 0; i--)
    put_byte(w, (uint8_t)(content_len >> (8 * (i - 1))));
}

/* Strip leading zero octets; *pad = 1 when a 0x00 sign octet is needed. */
static void uint_shape(const uint8_t **mag, size_t *mag_len, int *pad)
{
  while (*mag_len > 0 && (*mag)[0] == 0) {
    (*mag)++;
    (*mag_len)--;
  }
  /* Zero is encoded as the single octet 00; a top bit set needs 00 in front. */
  *pad = *mag_len == 0 || ((*mag)[0] & 0x80) != 0;
}

size_t kl_der_uint_len(const uint8_t *mag, size_t mag_len)
{
  int pad;
  uint_shape(&mag, &mag_len, &pad);
  size_t clen = mag_len + (size_t)pad;
  return kl_der_header_len(clen) + clen;
}

void kl_der_put_uint(kl_der_writer *w, const uint8_t *mag, size_t mag_len)
{
  int pad;
  uint_shape(&mag, &mag_len, &pad);
  kl_der_put_header(w, KL_DER_INTEGER, mag_len + (size_t)pad);
  if (pad)
    put_byte(w, 0x00);
  put_bytes(w, mag, mag_len);
}

void kl_der_put_small_uint(kl_der_writer *w, unsigned long v)
{
  uint8_t be[sizeof(unsigned long)];
  for (size_t i = 0; i < sizeof be; i++)
    be[i] = (uint8_t)(v >> (8 * (sizeof be - 1 - i)));
  kl_der_put_uint(w, be, sizeof be);
}

void kl_der_put_tlv(kl_der_writer *w, uint8_t tag, const uint8_t *content, size_t content_len)
{
  kl_der_put_header(w, tag, content_len);
  put_bytes(w, content, content_len);
}

void kl_der_put_bit_string(kl_der_writer *w, const uint8_t *bits, size_t bits_len)
{
  kl_der_put_header(w, KL_DER_BIT_STRING, bits_len + 1);
  put_byte(w, 0x00); /* §8.6.2.2: no unused bits */
  put_bytes(w, bits, bits_len);
}

void kl_der_put_null(kl_der_writer *w)
{
  put_byte(w, KL_DER_NULL);
  put_byte(w, 0x00);
}

void kl_der_put_raw(kl_der_writer *w, const uint8_t *p, size_t n)
{
  put_bytes(w, p, n);
}

kl_err kl_der_writer_finish(const kl_der_writer *w, size_t *out_len)
{
  if (w == NULL || out_len == NULL)
    return KL_ERR_ARG;
  *out_len = w->len;
  return w->overflow ? KL_ERR_BUF_TOO_SMALL : KL_OK;
}
