/* cli_keyfs.c: key files on the file system, the parts that are about the
 * file rather than the key (see cli_keyio.h).
 *   reading  a key file must be a regular file of at most CLI_KEY_FILE_MAX
 *            octets, checked with fstat before a byte is read: /dev/zero
 *            would otherwise be read until memory runs out, and a FIFO would
 *            block the reader (it is opened with O_NONBLOCK, so that not even
 *            the open waits for a writer).
 *   writing  a secret file that must never be seen half-written (the
 *            server's identity key): written to a temporary file in the same
 *            directory (mode 0600 from the start), fsync'ed, then linked to
 *            its name, which fails if the name exists (a rename that replaces
 *            nothing), and the directory fsync'ed so that the name survives a
 *            crash. A kill at any point leaves either no key file or a
 *            complete one (and at worst a stray temporary file). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_keyio.h"

static const char *file_kind(mode_t m)
{
  if (S_ISDIR(m))
    return "a directory";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  if (S_ISFIFO(m))
    return "a FIFO";
  if (S_ISSOCK(m))
    return "a socket";
  return "not a regular file";
}

int cli_read_key_file(const char *cmd, const char *path, uint8_t **buf, size_t *len)
{
  *buf = NULL;
  *len = 0;
  if (path == NULL || strcmp(path, "-") == 0) {
    /* Standard input: no size to check first; the cap applies after. */
    int rc = cli_read_file(cmd, path, buf, len);
    if (rc == KL_EXIT_OK && *len > CLI_KEY_FILE_MAX) {
      cli_free(*buf, *len);
      *buf = NULL;
      *len = 0;
      cli_error(cmd, "-: over %u bytes; not a key file", (unsigned)CLI_KEY_FILE_MAX);
      return KL_EXIT_USAGE;
    }
    return rc;
  }
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    cli_error(cmd, "cannot open '%s': %s", path, strerror(errno));
    return KL_EXIT_USAGE;
  }
  struct stat sb;
  if (fstat(fd, &sb) != 0) {
    cli_error(cmd, "cannot read '%s': %s", path, strerror(errno));
    close(fd);
    return KL_EXIT_USAGE;
  }
  if (!S_ISREG(sb.st_mode)) {
    cli_error(cmd, "'%s' is %s; a key file must be a regular file", path, file_kind(sb.st_mode));
    close(fd);
    return KL_EXIT_USAGE;
  }
  if (sb.st_size > (off_t)CLI_KEY_FILE_MAX) {
    cli_error(cmd, "'%s' is %lld bytes; a key file is at most %u", path, (long long)sb.st_size,
              (unsigned)CLI_KEY_FILE_MAX);
    close(fd);
    return KL_EXIT_USAGE;
  }
  /* One octet more than the size: a file that grew meanwhile is noticed. */
  size_t cap = (size_t)sb.st_size + 1;
  uint8_t *data = malloc(cap);
  if (data == NULL) {
    cli_error(cmd, "out of memory reading '%s'", path);
    close(fd);
    return KL_EXIT_USAGE;
  }
  size_t n = 0;
  while (n < cap) {
    ssize_t r = read(fd, data + n, cap - n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      cli_error(cmd, "cannot read '%s': %s", path, strerror(errno));
      cli_free(data, cap);
      close(fd);
      return KL_EXIT_USAGE;
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  close(fd);
  if (n == cap) {
    cli_error(cmd, "'%s' changed while it was read", path);
    cli_free(data, cap);
    return KL_EXIT_USAGE;
  }
  *buf = data;
  *len = n;
  return KL_EXIT_OK;
}

static int write_all(int fd, const uint8_t *data, size_t len)
{
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    off += (size_t)w;
  }
  return 0;
}

int cli_write_secret_file_atomic(const char *cmd, const char *path, const uint8_t *data, size_t len)
{
  size_t plen = strlen(path);
  char *tmp = malloc(plen + sizeof ".tmp.XXXXXX");
  char *dir_copy = strdup(path);
  if (tmp == NULL || dir_copy == NULL) {
    free(tmp);
    free(dir_copy);
    cli_error(cmd, "out of memory");
    return KL_EXIT_FAIL;
  }
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
  int rc = KL_EXIT_USAGE;
  int fd = mkstemp(tmp); /* mode 0600, O_EXCL */
  if (fd < 0) {
    cli_error(cmd, "cannot create '%s': %s", tmp, strerror(errno));
    goto out;
  }
  if (fchmod(fd, 0600) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
    cli_error(cmd, "cannot write '%s': %s", tmp, strerror(errno));
    close(fd);
    unlink(tmp);
    goto out;
  }
  if (close(fd) != 0) {
    cli_error(cmd, "cannot write '%s': %s", tmp, strerror(errno));
    unlink(tmp);
    goto out;
  }
  /* link, unlike rename, never replaces: a key another process made first
   * is kept. */
  if (link(tmp, path) != 0) {
    if (errno == EEXIST)
      cli_error(cmd, "'%s' exists; not overwriting a key file", path);
    else
      cli_error(cmd, "cannot create '%s': %s", path, strerror(errno));
    unlink(tmp);
    goto out;
  }
  unlink(tmp);
  int dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0 || fsync(dfd) != 0) {
    cli_error(cmd, "cannot sync the directory of '%s': %s", path, strerror(errno));
    if (dfd >= 0)
      close(dfd);
    goto out;
  }
  close(dfd);
  rc = KL_EXIT_OK;
out:
  free(tmp);
  free(dir_copy);
  return rc;
}
