/* der.h: strict DER (ITU-T X.690 §8 BER, restricted by §10 DER) for the
 * few types an RSA key file needs: INTEGER, SEQUENCE, BIT STRING,
 * OCTET STRING, NULL and OBJECT IDENTIFIER (X.680 tags 2, 16, 3, 4, 5, 6).
 *
 * The reader is schema-driven: the caller asks for the type it expects next,
 * and anything else is an error. So a value wrapped in one SEQUENCE more than
 * the structure calls for ("nesting deeper than needed") fails where the
 * structure wants an INTEGER. It rejects (KL_ERR_ENCODING, with r->why set):
 *  - any tag but the one expected (high-tag-number form, constructed strings);
 *  - indefinite lengths (0x80), the reserved length 0xFF, long-form lengths
 *    with a leading zero byte or below 128 (X.690 §10.1: minimal lengths);
 *  - lengths that run past the enclosing value or the buffer;
 *  - non-minimal INTEGERs (X.690 §8.3.2: first nine bits not all 0 or all 1),
 *    empty INTEGERs, and negative ones where a non-negative one is needed;
 *  - BIT STRINGs with unused bits (a key's BIT STRING holds whole octets);
 *  - NULL with contents; OBJECT IDENTIFIERs with non-minimal arcs;
 *  - trailing data (kl_der_read_end).
 * The writer emits exactly the DER encodings the reader accepts.
 * Timing: the reader branches on lengths and tags, never on INTEGER bytes'
 * values beyond the sign and minimality checks of their first two octets.
 * See docs/keyfiles.md; tests in tests/test_der.c. */
#ifndef KEXLAB_DER_H
#define KEXLAB_DER_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X.690 identifier octets (universal class) of the types we use. */
enum {
  KL_DER_INTEGER = 0x02,
  KL_DER_BIT_STRING = 0x03,
  KL_DER_OCTET_STRING = 0x04,
  KL_DER_NULL = 0x05,
  KL_DER_OID = 0x06,
  KL_DER_SEQUENCE = 0x30 /* 0x10 with the constructed bit 0x20 */
};

/* A cursor over buf[0..len). Fields read-only for callers. */
typedef struct kl_der_reader {
  const uint8_t *buf;
  size_t len;
  size_t pos;      /* next unread octet */
  const char *why; /* static text naming the first failure, or NULL */
} kl_der_reader;

void kl_der_reader_init(kl_der_reader *r, const uint8_t *buf, size_t len);

/* The identifier octet of the next value, or -1 at the end. */
int kl_der_peek_tag(const kl_der_reader *r);

/* Read one TLV with identifier tag; *content, *content_len cover its value
 * octets (inside r->buf). Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING. */
KL_NODISCARD kl_err kl_der_read_tlv(kl_der_reader *r, uint8_t tag, const uint8_t **content,
                                    size_t *content_len);

/* Enter a SEQUENCE: inner becomes a reader over its contents, r moves past it.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING. */
KL_NODISCARD kl_err kl_der_read_sequence(kl_der_reader *r, kl_der_reader *inner);

/* A non-negative INTEGER. *mag, *mag_len: its magnitude, big-endian, without
 * the 0x00 sign octet (zero has mag_len 0). Points into r->buf.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING (also for a negative value). */
KL_NODISCARD kl_err kl_der_read_uint(kl_der_reader *r, const uint8_t **mag, size_t *mag_len);

/* A non-negative INTEGER that fits an unsigned long (versions). */
KL_NODISCARD kl_err kl_der_read_small_uint(kl_der_reader *r, unsigned long *v);

/* BIT STRING of whole octets (unused-bits octet 0); *bits, *bits_len: the octets. */
KL_NODISCARD kl_err kl_der_read_bit_string(kl_der_reader *r, const uint8_t **bits,
                                           size_t *bits_len);

KL_NODISCARD kl_err kl_der_read_octet_string(kl_der_reader *r, const uint8_t **p, size_t *len);
KL_NODISCARD kl_err kl_der_read_null(kl_der_reader *r);

/* OBJECT IDENTIFIER (X.690 §8.19): *oid, *oid_len are its content octets,
 * checked to be well formed (every arc minimal, last octet ends an arc). */
KL_NODISCARD kl_err kl_der_read_oid(kl_der_reader *r, const uint8_t **oid, size_t *oid_len);

/* KL_OK when every octet was consumed, else KL_ERR_ENCODING ("trailing data"). */
KL_NODISCARD kl_err kl_der_read_end(kl_der_reader *r);

/* ---- writer ---- */

/* Writes forward into buf[0..cap). With buf == NULL (cap 0) it only counts,
 * which is how callers size their buffers. Writing past cap is never done:
 * the writer records the shortfall and keeps counting. Fields read-only. */
typedef struct kl_der_writer {
  uint8_t *buf;
  size_t cap;
  size_t len;   /* octets written (or that would have been) so far */
  int overflow; /* 1 once something did not fit */
} kl_der_writer;

void kl_der_writer_init(kl_der_writer *w, uint8_t *buf, size_t cap);

/* Octets of an identifier plus a definite length for content_len (X.690 §8.1.3). */
size_t kl_der_header_len(size_t content_len);
/* Total TLV octets of the INTEGER with magnitude mag (leading zeros ignored). */
size_t kl_der_uint_len(const uint8_t *mag, size_t mag_len);

void kl_der_put_header(kl_der_writer *w, uint8_t tag, size_t content_len);
/* INTEGER of the non-negative big-endian magnitude mag (leading zeros are
 * dropped; a 0x00 is prepended when the top bit is set; zero is 02 01 00). */
void kl_der_put_uint(kl_der_writer *w, const uint8_t *mag, size_t mag_len);
void kl_der_put_small_uint(kl_der_writer *w, unsigned long v);
/* A primitive TLV with the given content (OCTET STRING, OID). */
void kl_der_put_tlv(kl_der_writer *w, uint8_t tag, const uint8_t *content, size_t content_len);
/* BIT STRING of whole octets: 03 len 00 bits... */
void kl_der_put_bit_string(kl_der_writer *w, const uint8_t *bits, size_t bits_len);
void kl_der_put_null(kl_der_writer *w);
/* Octets as they are (contents after a header the caller wrote). */
void kl_der_put_raw(kl_der_writer *w, const uint8_t *p, size_t n);

/* *out_len = w->len. Returns KL_OK, or KL_ERR_BUF_TOO_SMALL when it overflowed
 * (then *out_len is the size that is needed). */
KL_NODISCARD kl_err kl_der_writer_finish(const kl_der_writer *w, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
