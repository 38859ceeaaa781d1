/* cli_keyio.h: loading and saving RSA key files for every `kexlab` command
 * (rsa show/convert/check here; rsa keygen, encrypt/decrypt/sign/verify and
 * serve reuse them). Built on keyfile.h: formats are detected when reading.
 * Files that hold a private key are created with mode 0600 (O_CREAT|O_EXCL),
 * and no key file is ever replaced unless the caller passes force. */
#ifndef KL_CLI_KEYIO_H
#define KL_CLI_KEYIO_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "kexlab/keyfile.h"

/* What a command needs from a key file. */
enum {
  CLI_KEY_ANY = 0,     /* private or public */
  CLI_KEY_PRIVATE = 1, /* a private key (decrypt, sign): public-only files are an error */
  CLI_KEY_PUBLIC = 2   /* a public key (encrypt, verify): a private file gives its kf->pub */
};

/* The option values `--to` / `--format` take, for help texts. */
#define CLI_KEY_FORMAT_NAMES "pem|pkcs8|der|pkcs1-pub|spki|dotnet-xml|dotnet-json"

/* Map a format name to a kl_key_format. Short names:
 *   pem    PKCS#1 "RSA PRIVATE KEY"   (public: SPKI "PUBLIC KEY")
 *   pkcs8  PKCS#8 "PRIVATE KEY"       (public: an error)
 *   der    PKCS#1 RSAPrivateKey DER   (public: SPKI DER)
 *   pkcs1-pub  "RSA PUBLIC KEY",  spki  "PUBLIC KEY",  dotnet-xml, dotnet-json
 * and every kl_key_format_name() ("pkcs8-der", "spki-der", "pkcs1-pub-der", ...).
 *  public_key [in] 1 when the key to be written is public
 * Prints a usage error and returns KL_EXIT_USAGE for an unknown name or a
 * private-only format asked of a public key. */
int cli_key_format_parse(const char *cmd, const char *name, int public_key, kl_key_format *fmt);

/* Read path ("-" is standard input) and decode the key in it (any format),
 * validating a private key (kl_rsa_keyfile_read with the OS generator).
 *  kf   [out] initialised here; the caller calls kl_rsa_keyfile_clear on every path
 *  need [in]  CLI_KEY_ANY, CLI_KEY_PRIVATE or CLI_KEY_PUBLIC
 * On failure prints "kexlab <cmd>: <path>: <what was wrong>" (the failed check
 * for an inconsistent key) and returns the exit status (2). */
int cli_load_key(const char *cmd, const char *path, int need, kl_rsa_keyfile *kf);

/* Like cli_load_key, but a private key that fails validation is still
 * returned (*err = KL_ERR_KEY, kf->priv and kf->report filled): for the audit
 * of `rsa check`. Returns KL_EXIT_OK when kf holds values to look at. */
int cli_load_key_for_audit(const char *cmd, const char *path, kl_rsa_keyfile *kf, kl_err *err);

/* ---- cli_keyfs.c: the file, not the key ---- */

/* The largest key file read: far above any real key (an 8192-bit PKCS#8 PEM
 * is about 6.4 KB). */
#define CLI_KEY_FILE_MAX ((size_t)1 << 20)

/* Read a key file: path must be a regular file of at most CLI_KEY_FILE_MAX
 * octets (checked with fstat before reading; a directory, FIFO or device is
 * refused by kind); "-" is standard input, capped after reading. What
 * cli_load_key reads with. Prints its own error; returns KL_EXIT_*. *buf is
 * the caller's to cli_free(*buf, *len). */
int cli_read_key_file(const char *cmd, const char *path, uint8_t **buf, size_t *len);

/* Create path holding data, mode 0600, so that it is never seen incomplete:
 * a temporary file in the same directory, fsync, link to path (an existing
 * path is an error, never replaced), fsync the directory. Prints its own
 * error; returns KL_EXIT_*. */
int cli_write_secret_file_atomic(const char *cmd, const char *path, const uint8_t *data,
                                 size_t len);

/* Write data to path; "-" or NULL is standard output.
 *  secret [in] 1: create the file with mode 0600 (private keys)
 *  force  [in] 0: an existing file is an error ("exists; use --force");
 *              1: it is removed first, then created afresh (so a private key
 *              never inherits a wider mode from an old file)
 * The file is always created with O_CREAT|O_EXCL (no symlink following).
 * Prints its own error; returns KL_EXIT_*. */
int cli_write_key_file(const char *cmd, const char *path, int force, int secret,
                       const uint8_t *data, size_t len);
/* cli_write_key_file with secret = 1. */
int cli_write_secret_file(const char *cmd, const char *path, int force, const uint8_t *data,
                          size_t len);

/* Encode and write a key: priv when not NULL (a public-only fmt writes its
 * public half), else pub. The file is secret when it holds private values.
 * What keygen --out/--pubout/--format and rsa convert call. Returns KL_EXIT_*. */
int cli_save_key(const char *cmd, const char *path, int force, kl_key_format fmt,
                 const kl_rsa_priv *priv, const kl_rsa_pub *pub);

/* One integer in the text layout of `openssl pkey -text -noout`:
 * "name: 65537 (0x10001)" for values of at most 64 bits, else "name:" then
 * the big-endian octets (a 00 in front when the top bit is set, DER's sign
 * octet), 15 per line, ':'-separated, indented by 4 spaces. x >= 0.
 * Secrets: the octet copy is wiped. (rsa show, rsa keygen's text output) */
void cli_print_key_int(FILE *f, const char *name, const mpz_t x);
/* "Private-Key: (N bit, 2 primes)" and the eight values of RFC 8017 §3.2
 * (n e d p q dP dQ qInv) under openssl's names, through cli_print_key_int. */
void cli_print_priv_text(FILE *f, const kl_rsa_priv *k);

#endif
