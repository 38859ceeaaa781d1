/* pool.c: the pool of pre-generated session entries (kl_kex_pool_entry).
 * RSA key generation (FIPS 186-5 §A.1.3, src/rsa/keygen.c) costs tens of
 * milliseconds for 2048 bits, against about one for the OAEP decryption of a
 * handshake, so a server keeps pairs ready and a worker thread of the
 * transport refills them (kl_kex_server_pool_fill). Each entry is prepared
 * completely at fill time: the session id is drawn and the offer built,
 * including (hardened) the identity's RSASSA-PSS signature over id || SPKI
 * (identity.c), so that taking an entry costs no RSA private operation and a
 * warm handshake pays only the OAEP decryption of /key. Once the pool is
 * drained every new session pays a key generation and a signature: that rate
 * is the server's sustained handshake rate, and the denial-of-service lever
 * of docs/threat-model.md.
 * Locking: pool_lock guards the stacks; generation and signing run with no
 * lock held.
 * Secrets: pooled keys live in GMP limbs (wiping allocator) and are cleared,
 * and the entry (key struct, id, offer) wiped, before it is freed. */
#include <stdlib.h>
#include <string.h>

#include "kexlab/ct.h"
#include "kexlab/keyfile.h"
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
    pool->entries = NULL;
    if (pool->size > 0) {
      pool->entries = calloc(pool->size, sizeof *pool->entries);
      if (pool->entries == NULL)
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

void kli_kex_entry_free(const kl_kex_server *srv, kl_kex_pool_entry *e)
{
  if (e == NULL)
    return;
  kl_rsa_priv_clear(&e->key);
  kli_kex_free(srv, e, sizeof *e);
}

void kli_kex_pool_clear(kl_kex_server *srv)
{
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    kl_kex_pool *pool = &srv->pool[p];
    for (size_t i = 0; i < pool->count; i++) {
      kli_kex_entry_free(srv, pool->entries[i]);
      pool->entries[i] = NULL;
    }
    free(pool->entries);
    pool->entries = NULL;
    pool->count = 0;
  }
}

/* Everything POST /v1/sessions returns, from the entry's key and id. The
 * RSA private operation of the hardened profile (the identity's signature)
 * happens here, so when the entry is made, not when it is used. */
static kl_err fill_offer(const kl_kex_server *srv, kl_kex_profile profile, kl_kex_pool_entry *e)
{
  kl_kex_offer *offer = &e->offer;
  kl_rsa_pub pub;
  kl_err err;

  kl_rsa_pub_init(&pub);
  kl_rsa_priv_to_pub(&pub, &e->key);
  offer->profile = profile;
  kl_kex_id_format(offer->session_id_str, offer->session_id);
  /* .NET RSAParameters style: Modulus is k octets, Exponent minimal (01 00 01). */
  offer->n_len = kl_rsa_modulus_len(pub.n);
  offer->e_len = (mpz_sizeinbase(pub.e, 2) + 7) / 8;
  err = KL_ERR_KEY;
  if (offer->n_len > sizeof offer->n || offer->e_len > sizeof offer->e)
    goto out;
  err = kl_i2osp(offer->n, offer->n_len, pub.n);
  if (err != KL_OK)
    goto out;
  err = kl_i2osp(offer->e, offer->e_len, pub.e);
  if (err != KL_OK)
    goto out;
  offer->spki_len = sizeof offer->spki;
  err = kl_rsa_pub_to_spki_der(&pub, offer->spki, &offer->spki_len);
  if (err != KL_OK)
    goto out;
  size_t pem_len = sizeof offer->pem;
  err = kl_rsa_pub_to_pem(&pub, offer->pem, &pem_len);
  if (err != KL_OK)
    goto out;
  offer->signature_len = 0;
  offer->identity_spki_len = 0;
  if (profile == KL_KEX_PROFILE_HARDENED) {
    /* The identity signs id || SPKI (identity.c); the PSS salt comes from
     * the config's rng. */
    offer->signature_len = sizeof offer->signature;
    err = kl_kex_identity_sign(srv->cfg.identity, srv->cfg.rng, offer->signature,
                               &offer->signature_len, offer->session_id, offer->spki,
                               offer->spki_len);
    if (err != KL_OK)
      goto out;
    memcpy(offer->identity_spki, srv->identity_spki, srv->identity_spki_len);
    offer->identity_spki_len = srv->identity_spki_len;
  }
out:
  kl_rsa_pub_clear(&pub);
  return err;
}

/* Draw the id (from the config's rng: the one every id comes from) and
 * build the offer for a pair already in e->key. */
static kl_err prepare(const kl_kex_server *srv, kl_kex_profile profile, kl_kex_pool_entry *e)
{
  memset(&e->offer, 0, sizeof e->offer);
  kl_err err = kl_kex_id_new_node(e->offer.session_id, srv->cfg.rng, srv->cfg.node);
  if (err != KL_OK)
    return err;
  return fill_offer(srv, profile, e);
}

kl_err kli_kex_entry_make(const kl_kex_server *srv, kl_kex_profile profile, const kl_rng *rng,
                          kl_kex_pool_entry **out)
{
  *out = NULL;
  kl_kex_pool_entry *e = calloc(1, sizeof *e);
  if (e == NULL)
    return KL_ERR_NOMEM;
  kl_rsa_priv_init(&e->key);
  /* FIPS 186-5 §A.1.3, e = 65537: with no lock held. */
  kl_err err = kl_rsa_keygen(&e->key, rng, kli_kex_profile_bits(srv, profile), NULL, 0, NULL);
  if (err == KL_OK)
    err = prepare(srv, profile, e);
  if (err != KL_OK) {
    kli_kex_entry_free(srv, e);
    return err;
  }
  *out = e;
  return KL_OK;
}

kl_kex_pool_entry *kli_kex_pool_take(kl_kex_server *srv, kl_kex_profile p)
{
  kl_kex_pool_entry *got = NULL;

  pthread_mutex_lock(&srv->pool_lock);
  if (srv->pool[p].count > 0) {
    srv->pool[p].count--;
    got = srv->pool[p].entries[srv->pool[p].count];
    srv->pool[p].entries[srv->pool[p].count] = NULL;
  }
  pthread_mutex_unlock(&srv->pool_lock);
  if (got != NULL && srv->cfg.pool_notify != NULL)
    srv->cfg.pool_notify(srv->cfg.notify_user);
  return got;
}

/* The profile whose pool misses the most entries, or -1 if all are full. */
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

/* Push e (heap) onto pool p; returns 0 (and keeps ownership with the
 * caller) if the pool filled up meanwhile. */
static int push(kl_kex_server *srv, int p, kl_kex_pool_entry *e, int count_keygen)
{
  int pushed = 0;
  pthread_mutex_lock(&srv->pool_lock);
  kl_kex_pool *pool = &srv->pool[p];
  if (pool->count < pool->size) {
    pool->entries[pool->count++] = e;
    if (count_keygen)
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
    kl_kex_pool_entry *e = NULL;
    /* Primes from the worker's rng; id and PSS salt from the config's. */
    err = kli_kex_entry_make(srv, (kl_kex_profile)p, rng, &e);
    if (err != KL_OK)
      break;
    if (!push(srv, p, e, 1)) {
      kli_kex_entry_free(srv, e); /* another worker filled it first */
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
  if (srv == NULL || key == NULL ||
      (profile != KL_KEX_PROFILE_SEED && profile != KL_KEX_PROFILE_HARDENED))
    return KL_ERR_ARG;
  if (mpz_sizeinbase(key->n, 2) != srv->pool[profile].bits)
    return KL_ERR_ARG;
  pthread_mutex_lock(&srv->pool_lock);
  int full = srv->pool[profile].count >= srv->pool[profile].size;
  pthread_mutex_unlock(&srv->pool_lock);
  if (full)
    return KL_ERR_LIMIT; /* before the signature: no work for nothing */
  kl_kex_pool_entry *e = calloc(1, sizeof *e);
  if (e == NULL)
    return KL_ERR_NOMEM;
  kl_rsa_priv_init(&e->key);
  kli_kex_priv_copy(&e->key, key);
  kl_err err = prepare(srv, profile, e);
  if (err == KL_OK && !push(srv, (int)profile, e, 0))
    err = KL_ERR_LIMIT;
  if (err != KL_OK)
    kli_kex_entry_free(srv, e);
  return err;
}
