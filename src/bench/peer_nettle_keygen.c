/* peer_nettle_keygen.c: the Nettle peer for RSA key generation, so that
 * ours is compared with Nettle's on the same machine, in the same run. Times
 * Nettle's rsa_generate_keypair (libhogweed) for nlen bits and e = 65537 with
 * Nettle's Yarrow-256 generator seeded from getrandom(2), on this process's
 * CPU clock around the call only, and prints one line per key
 *   key <i> <CPU ms>
 * then the median and spread. `kexlab bench rsa --nettle <this program>`
 * runs it with --keys 1 between its own keys and openssl's (interleaved);
 * alone it is `peer_nettle_keygen --keys 61 --bits 2048`.
 * Built only when Nettle is installed (src/bench/meson.build). Not kexlab
 * code: a measuring instrument, like `openssl speed`. */
#include <nettle/rsa.h>
#include <nettle/version.h>
#include <nettle/yarrow.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int usage(void)
{
  fputs("usage: peer_nettle_keygen [--keys N] [--bits NLEN]   (N >= 1, 512 <= NLEN <= 8192)\n",
        stderr);
  return 2;
}

int main(int argc, char **argv)
{
  unsigned long keys = 61, bits = 2048;
  for (int i = 1; i < argc; i++) {
    char *end;
    if (i + 1 < argc && strcmp(argv[i], "--keys") == 0) {
      keys = strtoul(argv[++i], &end, 10);
      if (*end != '\0' || keys < 1 || keys > 100000)
        return usage();
    } else if (i + 1 < argc && strcmp(argv[i], "--bits") == 0) {
      bits = strtoul(argv[++i], &end, 10);
      if (*end != '\0' || bits < 512 || bits > 8192)
        return usage();
    } else {
      return usage();
    }
  }

  /* A proper random source: Yarrow-256 seeded with 32 octets from the OS. */
  uint8_t seed[YARROW256_SEED_FILE_SIZE];
  if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
    perror("peer_nettle_keygen: getrandom");
    return 1;
  }
  struct yarrow256_ctx yarrow;
  yarrow256_init(&yarrow, 0, NULL);
  yarrow256_seed(&yarrow, sizeof seed, seed);
  memset(seed, 0, sizeof seed);

  double *t = calloc(keys, sizeof *t);
  if (t == NULL)
    return 1;
  for (unsigned long i = 0; i < keys; i++) {
    struct rsa_public_key pub;
    struct rsa_private_key key;
    rsa_public_key_init(&pub);
    rsa_private_key_init(&key);
    mpz_set_ui(pub.e, 65537); /* e_size = 0 below: use this e */
    double t0 = cpu_now();
    int ok = rsa_generate_keypair(&pub, &key, &yarrow, (nettle_random_func *)yarrow256_random, NULL,
                                  NULL, (unsigned)bits, 0);
    t[i] = cpu_now() - t0;
    /* The key must be real: exactly nlen bits. */
    if (!ok || mpz_sizeinbase(pub.n, 2) != bits) {
      fprintf(stderr, "peer_nettle_keygen: rsa_generate_keypair failed\n");
      free(t);
      return 1;
    }
    rsa_public_key_clear(&pub);
    rsa_private_key_clear(&key);
    printf("key %lu %.3f\n", i, t[i] * 1e3);
  }
  qsort(t, keys, sizeof *t, cmp_double);
  double median = keys % 2 ? t[keys / 2] : (t[keys / 2 - 1] + t[keys / 2]) / 2;
  printf("nettle %d.%d rsa_generate_keypair %lu bits, e = 65537: %lu keys, median %.2f ms "
         "(p25 %.2f, p75 %.2f, min %.2f, max %.2f; CPU time)\n",
         nettle_version_major(), nettle_version_minor(), bits, keys, median * 1e3,
         t[keys / 4] * 1e3, t[(3 * keys) / 4 < keys ? (3 * keys) / 4 : keys - 1] * 1e3, t[0] * 1e3,
         t[keys - 1] * 1e3);
  free(t);
  return 0;
}
