/* pool.c: the pool of pre-generated RSA pairs.
 * RSA key generation (FIPS 186-5 §A.1.3, src/rsa/keygen.c) costs tens of
 * milliseconds for 2048 bits, against about one for the OAEP decryption of a
 * handshake, so a server keeps pairs ready and a worker thread of the
 * transport refills them (kl_kex_server_pool_fill). Once the pool is drained
 * every new session pays a key generation: that rate is the server's
 * sustained handshake rate, and the denial-of-service lever of
 * docs/threat-model.md.
 * Locking: pool_lock guards the stacks; generation runs with no lock held.
 * Secrets: pooled keys live in GMP limbs (wiping allocator) and are cleared
 * before their struct is wiped and freed. */
#include <stdlib.h>
#include <string.h>

#include "kexlab/ct.h"
#include "kex_internal.h"

unsigned kli_kex_profile_bits(const kl_kex_server *srv, kl_kex_profile p)
{
  return p == KL_KEX_PROFILE_SEED ? KL_KEX_SEED_KEY_BITS : srv->cfg.key_bits;
}

void kli_kex_priv_copy(kl_rsa_priv *dst, const kl_rsa_priv *src)
{
  mpz_set(dst->n, src->n);
  mpz_set(dst->e, src->e);
  mpz_set(dst->d, src->d);
  mpz_set(dst->p, src->p);
  mpz_set(dst->q, src->q);
  mpz_set(dst->dP, src->dP);
  mpz_set(dst->dQ, src->dQ);
  mpz_set(dst->qInv, src->qInv);
}

kl_err kli_kex_pool_init(kl_kex_server *srv)
{
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    kl_kex_pool *pool = &srv->pool[p];
    int enabled = (srv->cfg.profiles & KL_KEX_PROFILE_BIT(p)) != 0;
    pool->count = 0;
    pool->size = enabled ? srv->cfg.pool_size : 0;
    pool->bits = kli_kex_profile_bits(srv, (kl_kex_profile)p);
    pool->keys = NULL;
    if (pool->size > 0) {
      pool->keys = calloc(pool->size, sizeof *pool->keys);
      if (pool->keys == NULL)
        return KL_ERR_NOMEM;
    }
  }
  return KL_OK;
}

void kli_kex_free(const kl_kex_server *srv, void *p, size_t n)
{
  if (p == NULL)
    return;
  kl_wipe(p, n);
  if (srv->cfg.free_hook != NULL)
    srv->cfg.free_hook(p, n);
  free(p);
}

/* Clear and free one heap-allocated pair. */
static void free_pair(const kl_kex_server *srv, kl_rsa_priv *key)
{
  kl_rsa_priv_clear(key);
  kli_kex_free(srv, key, sizeof *key);
}

void kli_kex_pool_clear(kl_kex_server *srv)
{
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    kl_kex_pool *pool = &srv->pool[p];
    for (size_t i = 0; i < pool->count; i++)
      free_pair(srv, pool->keys[i]);
    free(pool->keys);
    pool->keys = NULL;
    pool->count = 0;
  }
}

int kli_kex_pool_take(kl_kex_server *srv, kl_kex_profile p, kl_rsa_priv *key)
{
  kl_rsa_priv *got = NULL;

  pthread_mutex_lock(&srv->pool_lock);
  if (srv->pool[p].count > 0) {
    srv->pool[p].count--;
    got = srv->pool[p].keys[srv->pool[p].count];
    srv->pool[p].keys[srv->pool[p].count] = NULL;
  }
  pthread_mutex_unlock(&srv->pool_lock);
  if (got == NULL)
    return 0;
  /* Move: the limbs change owner, the old struct is wiped and freed. */
  *key = *got;
  kli_kex_free(srv, got, sizeof *got);
  if (srv->cfg.pool_notify != NULL)
    srv->cfg.pool_notify(srv->cfg.notify_user);
  return 1;
}

/* The profile whose pool misses the most keys, or -1 if all are full. */
static int neediest(kl_kex_server *srv)
{
  int best = -1;
  size_t best_need = 0;
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    size_t need = srv->pool[p].size - srv->pool[p].count;
    if (need > best_need) {
      best = p;
      best_need = need;
    }
  }
  return best;
}

/* Push key (heap) onto pool p; returns 0 (and keeps ownership with the
 * caller) if the pool filled up meanwhile. */
static int push(kl_kex_server *srv, int p, kl_rsa_priv *key)
{
  int pushed = 0;
  pthread_mutex_lock(&srv->pool_lock);
  kl_kex_pool *pool = &srv->pool[p];
  if (pool->count < pool->size) {
    pool->keys[pool->count++] = key;
    srv->n_keygen_pool++;
    pushed = 1;
  }
  pthread_mutex_unlock(&srv->pool_lock);
  return pushed;
}

kl_err kl_kex_server_pool_fill(kl_kex_server *srv, const kl_rng *rng, size_t max_keys,
                               size_t *added)
{
  size_t made = 0;
  kl_err err = KL_OK;

  if (added != NULL)
    *added = 0;
  if (srv == NULL)
    return KL_ERR_ARG;
  if (rng == NULL)
    rng = srv->cfg.rng;
  while (max_keys == 0 || made < max_keys) {
    pthread_mutex_lock(&srv->pool_lock);
    int p = neediest(srv);
    pthread_mutex_unlock(&srv->pool_lock);
    if (p < 0)
      break;
    kl_rsa_priv *key = malloc(sizeof *key);
    if (key == NULL) {
      err = KL_ERR_NOMEM;
      break;
    }
    kl_rsa_priv_init(key);
    /* FIPS 186-5 §A.1.3, e = 65537: with no lock held. */
    err = kl_rsa_keygen(key, rng, srv->pool[p].bits, NULL, 0, NULL);
    if (err != KL_OK) {
      free_pair(srv, key);
      break;
    }
    if (!push(srv, p, key)) {
      free_pair(srv, key); /* another worker filled it first */
      continue;
    }
    made++;
  }
  if (added != NULL)
    *added = made;
  return err;
}

size_t kl_kex_server_pool_need(kl_kex_server *srv)
{
  size_t need = 0;
  if (srv == NULL)
    return 0;
  pthread_mutex_lock(&srv->pool_lock);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++)
    need += srv->pool[p].size - srv->pool[p].count;
  pthread_mutex_unlock(&srv->pool_lock);
  return need;
}

kl_err kl_kex_server_pool_add(kl_kex_server *srv, kl_kex_profile profile, const kl_rsa_priv *key)
{
  if (srv == NULL || key == NULL || (profile != KL_KEX_PROFILE_SEED &&
                                     profile != KL_KEX_PROFILE_HARDENED))
    return KL_ERR_ARG;
  if (mpz_sizeinbase(key->n, 2) != srv->pool[profile].bits)
    return KL_ERR_ARG;
  kl_rsa_priv *copy = malloc(sizeof *copy);
  if (copy == NULL)
    return KL_ERR_NOMEM;
  kl_rsa_priv_init(copy);
  kli_kex_priv_copy(copy, key);
  pthread_mutex_lock(&srv->pool_lock);
  kl_kex_pool *pool = &srv->pool[profile];
  int pushed = 0;
  if (pool->count < pool->size) {
    pool->keys[pool->count++] = copy;
    pushed = 1;
  }
  pthread_mutex_unlock(&srv->pool_lock);
  if (!pushed) {
    free_pair(srv, copy);
    return KL_ERR_LIMIT;
  }
  return KL_OK;
}
