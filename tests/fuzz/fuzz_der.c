/* fuzz_der.c: the strict DER reader and writer (X.690 §8, §10; src/core/der.c).
 * Input: DER octets, read as a tree of TLVs (constructed ones entered, up to
 * a depth of 12).
 * Properties:
 *  - differential: each TLV's identifier and length are also read by the
 *    plain reading of X.690 §8.1.2-§8.1.3 and §10.1 below (one identifier
 *    octet as the library takes it, definite minimal lengths of at most four
 *    octets, the library's stated bound); both accept the same values and
 *    find the same contents. INTEGER, BIT STRING, NULL and OBJECT IDENTIFIER
 *    contents are checked the same way against §8.3, §8.6, §8.8 and §8.19;
 *  - canonical: writing the accepted tree again (kl_der_put_header over the
 *    contents, kl_der_put_uint for an INTEGER's magnitude) gives back exactly
 *    the input octets: DER has one encoding per value. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "kexlab/der.h"

#define MAX_DEPTH 12

/* ---- plain reading ---- */

/* X.690 §8.1.3 with §10.1: 1 and *hdr (identifier + length octets), *L, or 0. */
static int plain_header(const uint8_t *p, size_t n, size_t *hdr, size_t *L)
{
  if (n < 2)
    return 0;
  uint8_t first = p[1];
  if (first < 0x80) {
    *hdr = 2;
    *L = first;
  } else {
    size_t m = first & 0x7f;
    if (m == 0 || m == 0x7f || m > 4 || n - 2 < m) /* indefinite, reserved, our bound */
      return 0;
    size_t v = 0;
    for (size_t i = 0; i < m; i++)
      v = v * 256 + p[2 + i];
    /* minimal: no leading zero octet, and the long form only from 128 on */
    if (p[2] == 0 || v < 128)
      return 0;
    *hdr = 2 + m;
    *L = v;
  }
  return *L <= n - *hdr;
}

/* §8.3.1-§8.3.2, non-negative: the content octets of a valid INTEGER. */
static int plain_uint(const uint8_t *c, size_t n)
{
  if (n == 0 || (c[0] & 0x80) != 0)
    return 0;
  return !(n >= 2 && c[0] == 0 && (c[1] & 0x80) == 0);
}

/* §8.19.2: base-128 arcs, none starting with 0x80, the last one complete. */
static int plain_oid(const uint8_t *c, size_t n)
{
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++) {
    int starts_arc = i == 0 || (c[i - 1] & 0x80) == 0;
    if (starts_arc && c[i] == 0x80)
      return 0;
  }
  return (c[n - 1] & 0x80) == 0;
}

/* ---- the typed readers, on one TLV ---- */

static void typed(uint8_t tag, const uint8_t *tlv, size_t tlv_len, const uint8_t *c, size_t clen)
{
  kl_der_reader r;
  kl_der_reader_init(&r, tlv, tlv_len);
  const uint8_t *p;
  size_t n;
  switch (tag) {
  case KL_DER_INTEGER: {
    int ok = kl_der_read_uint(&r, &p, &n) == KL_OK;
    fz_require(ok == plain_uint(c, clen), "INTEGER: library and X.690 §8.3 agree");
    if (!ok)
      break;
    fz_require(kl_der_uint_len(p, n) == tlv_len, "kl_der_uint_len of the magnitude");
    uint8_t *re = malloc(tlv_len);
    fz_require(re != NULL, "memory");
    kl_der_writer w;
    kl_der_writer_init(&w, re, tlv_len);
    kl_der_put_uint(&w, p, n);
    size_t re_len;
    fz_require(kl_der_writer_finish(&w, &re_len) == KL_OK, "INTEGER: write");
    fz_require_eq(re, re_len, tlv, tlv_len, "INTEGER: canonical re-encoding");
    free(re);
    break;
  }
  case KL_DER_BIT_STRING: {
    int ok = kl_der_read_bit_string(&r, &p, &n) == KL_OK;
    fz_require(ok == (clen >= 1 && c[0] == 0), "BIT STRING: library and X.690 §8.6 agree");
    break;
  }
  case KL_DER_NULL:
    fz_require((kl_der_read_null(&r) == KL_OK) == (clen == 0), "NULL: X.690 §8.8");
    break;
  case KL_DER_OID: {
    int ok = kl_der_read_oid(&r, &p, &n) == KL_OK;
    fz_require(ok == plain_oid(c, clen), "OBJECT IDENTIFIER: library and X.690 §8.19 agree");
    break;
  }
  default:
    break;
  }
}

/* ---- the tree ---- */

/* Read buf as a run of TLVs, checking each against the plain reading, and
 * write what was read into w. Returns the octets accepted (a prefix of buf;
 * all of it when every TLV was good). */
static size_t walk(kl_der_writer *w, const uint8_t *buf, size_t len, int depth)
{
  kl_der_reader r;
  kl_der_reader_init(&r, buf, len);
  while (kl_der_peek_tag(&r) >= 0) {
    size_t start = r.pos;
    uint8_t tag = (uint8_t)kl_der_peek_tag(&r);
    const uint8_t *c = NULL;
    size_t clen = 0, hdr = 0, L = 0;
    int ok = kl_der_read_tlv(&r, tag, &c, &clen) == KL_OK;
    int plain = plain_header(buf + start, len - start, &hdr, &L);
    fz_require(ok == plain, "TLV header: library and X.690 §8.1/§10.1 agree");
    if (!ok) {
      fz_require(r.pos == start && r.why != NULL, "a refused TLV leaves the reader in place");
      return start;
    }
    fz_require(c == buf + start + hdr && clen == L, "TLV: the same contents");
    fz_require(kl_der_header_len(clen) == hdr, "kl_der_header_len");
    typed(tag, buf + start, hdr + L, c, clen);
    kl_der_put_header(w, tag, clen);
    if ((tag & 0x20) != 0 && depth < MAX_DEPTH) {
      if (tag == KL_DER_SEQUENCE) {
        kl_der_reader again, inner;
        kl_der_reader_init(&again, buf + start, hdr + L);
        fz_require(kl_der_read_sequence(&again, &inner) == KL_OK, "SEQUENCE: entered");
        fz_require(inner.buf == c && inner.len == clen, "SEQUENCE: the same contents");
      }
      size_t used = walk(w, c, clen, depth + 1);
      if (used < clen)
        kl_der_put_raw(w, c + used, clen - used);
    } else {
      kl_der_put_raw(w, c, clen);
    }
  }
  fz_require(kl_der_read_end(&r) == KL_OK, "every octet consumed at the end");
  return len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  /* Count first (buf NULL), then write: the writer's two modes must agree. */
  kl_der_writer count;
  kl_der_writer_init(&count, NULL, 0);
  size_t used = walk(&count, data, size, 0);
  uint8_t *re = malloc(used + 1);
  fz_require(re != NULL, "memory");
  kl_der_writer w;
  kl_der_writer_init(&w, re, used);
  fz_require(walk(&w, data, used, 0) == used, "the accepted prefix is accepted again");
  size_t re_len;
  fz_require(kl_der_writer_finish(&w, &re_len) == KL_OK, "write");
  fz_require(count.len == re_len, "counting and writing agree on the length");
  fz_require_eq(re, re_len, data, used, "canonical: the tree written again is the input");
  free(re);
  return 0;
}
