/* int_file.h: the test kit's reader of RSA Laboratories' worked examples,
 * oaep-int.txt and pss-int.txt (vectors/pkcs1/pkcs-1v2-1d2-vec/): "# Name
 * ...:" headings, each followed by lines of hex octets. A value's name is its
 * heading up to " =", "," or ":" ("inBlock = 00 ..." gives "inBlock"). */
#ifndef KL_TEST_INT_FILE_H
#define KL_TEST_INT_FILE_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

#define INT_VALUES 48
typedef struct th_int_file {
  const char *path; /* for messages */
  char name[INT_VALUES][32];
  uint8_t *data[INT_VALUES];
  size_t len[INT_VALUES];
  size_t n;
} th_int_file;

/* Read path (aborts the test if it cannot). */
void th_int_file_read(th_int_file *f, const char *path);
/* The octets of the value called name, *len set; aborts if there is none. */
const uint8_t *th_int_file_get(const th_int_file *f, const char *name, size_t *len);
/* The value called name as a big-endian integer. */
void th_int_file_mpz(mpz_t x, const th_int_file *f, const char *name);
void th_int_file_free(th_int_file *f);

#endif
