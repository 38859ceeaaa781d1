/* pem.h: PEM armor, RFC 7468 (Textual Encodings of PKIX, PKCS and CMS).
 *   -----BEGIN <label>-----
 *   base64 of the DER, 64 characters per line (RFC 7468 §2)
 *   -----END <label>-----
 * The writer produces exactly that ("strict" grammar of RFC 7468 §3, LF line
 * ends). The reader tolerates what real files carry and RFC 7468 §2-§3 allow:
 * explanatory text before the BEGIN line, CRLF line ends, trailing spaces or
 * tabs on any line, base64 lines of any length, whitespace after the END
 * line. It rejects (KL_ERR_ENCODING, *why says which):
 *  - no BEGIN line, a BEGIN line with other text, a missing END line;
 *  - an END label different from the BEGIN label;
 *  - headers ("Proc-Type: 4,ENCRYPTED": RFC 1421 encrypted PEM), blank or
 *    non-base64 lines inside, bad base64 (kl_base64_decode, strict);
 *  - anything but whitespace after the END line (a second block included).
 * Timing: not constant-time (a file format). Secrets: the decoded octets may
 * be a private key: the caller wipes der; pem.c wipes its scratch copy. */
#ifndef KEXLAB_PEM_H
#define KEXLAB_PEM_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Characters of the PEM text (without the NUL) for a label of label_len
 * characters and der_len octets. */
size_t kl_pem_encoded_len(size_t label_len, size_t der_len);

/* Armor der[0..der_len) under label, NUL-terminated.
 *  out, out_len [out]  *out_len: capacity in (including the NUL), characters
 *                      written out (excluding the NUL). On KL_ERR_BUF_TOO_SMALL
 *                      *out_len is the capacity needed (including the NUL).
 *  label        [in]   e.g. "PUBLIC KEY"; RFC 7468 §3 label characters only
 * Returns KL_OK, KL_ERR_ARG (bad label), KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_pem_encode(char *out, size_t *out_len, const char *label, const uint8_t *der,
                                  size_t der_len);

/* Read the one PEM block in text[0..text_len).
 *  der, der_len [out]  decoded octets; *der_len: capacity in, octets out
 *                      (kl_base64_decoded_max(text_len) always suffices)
 *  label, label_len [out] the label, pointing into text (not NUL-terminated)
 *  why          [out]  optional: a static sentence naming the failure
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_ENCODING.
 * Secrets: on failure der[0..capacity) is wiped (it may hold part of a key). */
KL_NODISCARD kl_err kl_pem_decode(uint8_t *der, size_t *der_len, const char **label,
                                  size_t *label_len, const char *text, size_t text_len,
                                  const char **why);

/* 1 if text contains a "-----BEGIN " line start (a quick format sniff). */
int kl_pem_looks_like(const char *text, size_t text_len);

#ifdef __cplusplus
}
#endif
#endif
