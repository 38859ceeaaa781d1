/* cli_keyio.c: load and save RSA key files for the CLI (see cli_keyio.h).
 * Private key files: open(O_WRONLY|O_CREAT|O_EXCL, 0600), so they are never
 * readable by others, not even for a moment, and an existing file (or a
 * symlink planted in its place) is never written through. --force removes
 * the old file first and then creates a new one the same way. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_keyio.h"

int cli_key_format_parse(const char *cmd, const char *name, int public_key, kl_key_format *fmt)
{
  static const struct {
    const char *name;
    kl_key_format priv, pub; /* UNKNOWN: not available for that kind of key */
  } names[] = {
    {"pem", KL_KEY_PKCS1_PRIV_PEM, KL_KEY_SPKI_PEM},
    {"pkcs8", KL_KEY_PKCS8_PEM, KL_KEY_FORMAT_UNKNOWN},
    {"der", KL_KEY_PKCS1_PRIV_DER, KL_KEY_SPKI_DER},
    {"pkcs1-pub", KL_KEY_PKCS1_PUB_PEM, KL_KEY_PKCS1_PUB_PEM},
    {"spki", KL_KEY_SPKI_PEM, KL_KEY_SPKI_PEM},
    {"dotnet-xml", KL_KEY_DOTNET_XML, KL_KEY_DOTNET_XML},
    {"dotnet-json", KL_KEY_DOTNET_JSON, KL_KEY_DOTNET_JSON},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(name, names[i].name) != 0)
      continue;
    *fmt = public_key ? names[i].pub : names[i].priv;
    if (*fmt == KL_KEY_FORMAT_UNKNOWN)
      return cli_usage_error(cmd, "format '%s' holds private keys only; this key is public", name);
    return KL_EXIT_OK;
  }
  for (int f = 1; f < KL_KEY_FORMAT_COUNT; f++) {
    if (strcmp(name, kl_key_format_name((kl_key_format)f)) != 0)
      continue;
    *fmt = (kl_key_format)f;
    if (public_key && kl_key_format_holds_private(*fmt) == 1)
      return cli_usage_error(cmd, "format '%s' holds private keys only; this key is public", name);
    return KL_EXIT_OK;
  }
  return cli_usage_error(cmd, "unknown key format '%s' (want %s)", name, CLI_KEY_FORMAT_NAMES);
}

/* audit = 1: the thorough validation (Miller-Rabin), for `rsa check`. */
static int load(const char *cmd, const char *path, kl_rsa_keyfile *kf, kl_err *err, int audit)
{
  kl_rsa_keyfile_init(kf);
  uint8_t *buf;
  size_t len;
  int rc = cli_read_key_file(cmd, path, &buf, &len);
  if (rc != KL_EXIT_OK)
    return rc;
  kl_rng rng;
  kl_rng_os(&rng);
  *err = audit ? kl_rsa_keyfile_read_audit(kf, buf, len, &rng)
               : kl_rsa_keyfile_read(kf, buf, len, &rng);
  cli_free(buf, len);
  return KL_EXIT_OK;
}

int cli_load_key(const char *cmd, const char *path, int need, kl_rsa_keyfile *kf)
{
  kl_err err = KL_OK;
  int rc = load(cmd, path, kf, &err, 0);
  if (rc != KL_EXIT_OK)
    return rc;
  if (err != KL_OK) {
    cli_error(cmd, "%s: %s", path, kf->detail);
    return cli_exit_for(err);
  }
  if (need == CLI_KEY_PRIVATE && !kf->has_private) {
    cli_error(cmd, "%s: holds a public key (%s); a private key is needed", path,
              kl_key_format_name(kf->format));
    return KL_EXIT_USAGE;
  }
  return KL_EXIT_OK;
}

int cli_load_key_for_audit(const char *cmd, const char *path, kl_rsa_keyfile *kf, kl_err *err)
{
  *err = KL_OK;
  int rc = load(cmd, path, kf, err, 1);
  if (rc != KL_EXIT_OK)
    return rc;
  if (*err == KL_OK || (*err == KL_ERR_KEY && kf->has_private))
    return KL_EXIT_OK;
  cli_error(cmd, "%s: %s", path, kf->detail);
  return cli_exit_for(*err);
}

int cli_write_key_file(const char *cmd, const char *path, int force, int secret,
                       const uint8_t *data, size_t len)
{
  if (path == NULL || strcmp(path, "-") == 0)
    return cli_write_output(cmd, "-", 0, data, len);
  if (force && unlink(path) != 0 && errno != ENOENT) {
    cli_error(cmd, "cannot replace '%s': %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  mode_t mode = secret ? 0600 : 0644;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      cli_error(cmd, "'%s' exists; not overwriting a key file (use --force)", path);
    else
      cli_error(cmd, "cannot create '%s': %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  /* The umask may narrow the mode further, which is fine; for a secret file
   * make sure nothing widened it either. */
  if (secret && fchmod(fd, 0600) != 0) {
    cli_error(cmd, "cannot set mode 0600 on '%s': %s", path, strerror(errno));
    close(fd);
    unlink(path);
    return KL_EXIT_USAGE;
  }
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
      close(fd);
      unlink(path);
      return KL_EXIT_USAGE;
    }
    off += (size_t)w;
  }
  if (close(fd) != 0) {
    cli_error(cmd, "cannot write '%s': %s", path, strerror(errno));
    unlink(path);
    return KL_EXIT_USAGE;
  }
  return KL_EXIT_OK;
}

int cli_write_secret_file(const char *cmd, const char *path, int force, const uint8_t *data,
                          size_t len)
{
  return cli_write_key_file(cmd, path, force, 1, data, len);
}

int cli_save_key(const char *cmd, const char *path, int force, kl_key_format fmt,
                 const kl_rsa_priv *priv, const kl_rsa_pub *pub)
{
  uint8_t *out = malloc(KL_KEYFILE_MAX_BYTES);
  if (out == NULL) {
    cli_error(cmd, "out of memory");
    return KL_EXIT_USAGE;
  }
  size_t len = KL_KEYFILE_MAX_BYTES;
  kl_err err = priv != NULL ? kl_rsa_priv_write(priv, fmt, out, &len)
                            : kl_rsa_pub_write(pub, fmt, out, &len);
  int rc;
  if (err != KL_OK) {
    cli_error(cmd, "cannot encode the key as %s: %s", kl_key_format_name(fmt), kl_strerror(err));
    rc = cli_exit_for(err);
  } else {
    int secret = priv != NULL && kl_key_format_holds_private(fmt) != 0;
    rc = cli_write_key_file(cmd, path, force, secret, out, len);
  }
  cli_free(out, KL_KEYFILE_MAX_BYTES);
  return rc;
}

/* ---- the text layout of `openssl pkey -text -noout` ---- */

void cli_print_key_int(FILE *f, const char *name, const mpz_t x)
{
  size_t bits = mpz_sizeinbase(x, 2);
  if (bits <= 64) {
    unsigned long long v = 0;
    size_t count = 0;
    uint8_t be[8] = {0};
    mpz_export(be, &count, 1, 1, 1, 0, x);
    for (size_t i = 0; i < count; i++)
      v = (v << 8) | be[i];
    fprintf(f, "%s: %llu (0x%llx)\n", name, v, v);
    kl_wipe(be, sizeof be); /* a lab key's d or p fits in here */
    return;
  }
  size_t count = 0;
  uint8_t *mag = mpz_export(NULL, &count, 1, 1, 1, 0, x);
  int pad = (mag[0] & 0x80) != 0;
  size_t total = count + (size_t)pad;
  fprintf(f, "%s:\n", name);
  for (size_t i = 0; i < total; i++) {
    uint8_t b = (pad && i == 0) ? 0 : mag[i - (size_t)pad];
    if (i % 15 == 0)
      fputs("    ", f);
    fprintf(f, "%02x", b);
    if (i + 1 < total)
      fputc(':', f);
    if (i % 15 == 14 || i + 1 == total)
      fputc('\n', f);
  }
  kl_wipe(mag, count);
  free(mag);
}

void cli_print_priv_text(FILE *f, const kl_rsa_priv *k)
{
  fprintf(f, "Private-Key: (%zu bit, %u primes)\n", mpz_sizeinbase(k->n, 2), kl_rsa_priv_primes(k));
  cli_print_key_int(f, "modulus", k->n);
  cli_print_key_int(f, "publicExponent", k->e);
  cli_print_key_int(f, "privateExponent", k->d);
  cli_print_key_int(f, "prime1", k->p);
  cli_print_key_int(f, "prime2", k->q);
  cli_print_key_int(f, "exponent1", k->dP);
  cli_print_key_int(f, "exponent2", k->dQ);
  cli_print_key_int(f, "coefficient", k->qInv);
  /* Multi-prime keys: r_i, d_i, t_i under OpenSSL's names. */
  for (unsigned i = 0; i < k->n_other; i++) {
    char name[32];
    snprintf(name, sizeof name, "prime%u", i + 3);
    cli_print_key_int(f, name, k->other[i].r);
    snprintf(name, sizeof name, "exponent%u", i + 3);
    cli_print_key_int(f, name, k->other[i].d);
    snprintf(name, sizeof name, "coefficient%u", i + 3);
    cli_print_key_int(f, name, k->other[i].t);
  }
}
