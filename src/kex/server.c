/* server.c: the server object: the session table, session life cycle and the
 * four calls the transport makes per session (create, set_key, message,
 * rekey) plus close and expiry. Protocol: docs/protocol.md; RSA-OAEP per RFC
 * 8017 §7.1.2; frames in frame.c.
 *
 * Locking (kex.h has the contract). Three kinds of lock, never two at once:
 *   table_lock  buckets, LRU list, count, statistics, and per session: refs,
 *               linked, last_used_ms, est_counted (see struct)
 *   s->lock     the session's state, keys, channel, app_state
 *   pool_lock   the key pool (pool.c)
 * A call: acquire() under table_lock finds the session, takes a reference
 * and touches it; then the session lock is taken for the work; release()
 * drops the reference under table_lock after the session lock is gone.
 * Ending a session (close, expiry, eviction, clear): unlink under table_lock,
 * keeping the table's reference; then finish() takes the session lock, wipes
 * keys and marks it CLOSED (a caller still waiting on the lock then sees
 * CLOSED and answers NOT_FOUND), and drops the reference. Whoever drops the
 * last reference frees the memory, so no session is ever freed under a user.
 *
 * Heap: sessions are calloc'd and freed here, wiped before free.
 * Secrets: the session RSA pair, K, the channel keys; all wiped on every exit.
 * Timing: OAEP decoding and tag checks are constant-time (oaep.c, frame.c). */
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/keyfile.h"
#include "kex_internal.h"

void kl_kex_server_config_default(kl_kex_server_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  cfg->profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED) |
                  KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED);
  cfg->key_bits = KL_KEX_DEFAULT_KEY_BITS;
  cfg->pool_size = 4;
  cfg->max_sessions = 1024;
  cfg->evict_oldest_idle = 1;
  cfg->idle_timeout_ms = 300000;
  cfg->max_payload = 262144;
  cfg->rng = NULL;
  cfg->identity = NULL;
  cfg->handler = NULL;
  cfg->handler_user = NULL;
  cfg->on_session_end = NULL;
  cfg->pool_notify = NULL;
  cfg->notify_user = NULL;
  cfg->tracer = NULL;
}

size_t kl_kex_server_max_frame(const kl_kex_server *srv)
{
  return kl_kex_frame_len(KL_KEX_PROFILE_HARDENED, srv->cfg.max_payload);
}

/* ---- the table (all under table_lock) ---- */

/* Session ids are random (id.c), so their bits index the buckets directly. */
static size_t bucket_of(const kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES])
{
  uint64_t h = kli_load_be64(id) ^ kli_load_be64(id + 8);
  return (size_t)(h & (uint64_t)(srv->nbuckets - 1));
}

static kl_kex_session *find_locked(const kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES])
{
  /* An id another node made is never here (docs/deploy.md). */
  if (id[KL_KEX_ID_NODE_OCTET] != srv->cfg.node)
    return NULL;
  kl_kex_session *s = srv->buckets[bucket_of(srv, id)];
  while (s != NULL && memcmp(s->id, id, KL_KEX_ID_BYTES) != 0)
    s = s->hnext;
  return s;
}

static void lru_remove_locked(kl_kex_server *srv, kl_kex_session *s)
{
  if (s->lru_prev != NULL)
    s->lru_prev->lru_next = s->lru_next;
  else
    srv->lru_head = s->lru_next;
  if (s->lru_next != NULL)
    s->lru_next->lru_prev = s->lru_prev;
  else
    srv->lru_tail = s->lru_prev;
  s->lru_prev = NULL;
  s->lru_next = NULL;
}

/* The tail is the most recently used session. */
static void lru_append_locked(kl_kex_server *srv, kl_kex_session *s)
{
  s->lru_prev = srv->lru_tail;
  s->lru_next = NULL;
  if (srv->lru_tail != NULL)
    srv->lru_tail->lru_next = s;
  else
    srv->lru_head = s;
  srv->lru_tail = s;
}

static void link_locked(kl_kex_server *srv, kl_kex_session *s, uint64_t now_ms)
{
  size_t b = bucket_of(srv, s->id);
  s->hnext = srv->buckets[b];
  srv->buckets[b] = s;
  s->refs = 1; /* the table's reference */
  s->linked = 1;
  s->created_ms = now_ms;
  s->last_used_ms = now_ms;
  lru_append_locked(srv, s);
  srv->count++;
}

/* Take s out of the table; the table's reference goes to the caller, who
 * must finish() it. s->hnext then chains the caller's list of victims. */
static void unlink_locked(kl_kex_server *srv, kl_kex_session *s, kl_kex_session **victims)
{
  kl_kex_session **pp = &srv->buckets[bucket_of(srv, s->id)];
  while (*pp != s)
    pp = &(*pp)->hnext;
  *pp = s->hnext;
  lru_remove_locked(srv, s);
  s->linked = 0;
  srv->count--;
  if (s->est_counted) {
    s->est_counted = 0;
    srv->n_established--;
  }
  s->hnext = *victims;
  *victims = s;
}

static int idle_too_long(const kl_kex_server *srv, const kl_kex_session *s, uint64_t now_ms)
{
  uint64_t t = srv->cfg.idle_timeout_ms;
  return t != 0 && now_ms > s->last_used_ms && now_ms - s->last_used_ms > t;
}

/* find_locked for a session still alive at now_ms: one idle too long is
 * expired here, lazily (unlinked onto *victims), and not returned. */
static kl_kex_session *find_live_locked(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                        uint64_t now_ms, kl_kex_session **victims)
{
  kl_kex_session *s = find_locked(srv, id);
  if (s != NULL && idle_too_long(srv, s, now_ms)) {
    unlink_locked(srv, s, victims);
    srv->n_expired++;
    return NULL;
  }
  return s;
}

/* Expire from the least recently used end while sessions are too old. */
static size_t sweep_locked(kl_kex_server *srv, uint64_t now_ms, kl_kex_session **victims)
{
  size_t n = 0;
  while (srv->lru_head != NULL && idle_too_long(srv, srv->lru_head, now_ms)) {
    unlink_locked(srv, srv->lru_head, victims);
    srv->n_expired++;
    n++;
  }
  return n;
}

/* ---- references and the end of a session ---- */

static void session_free(const kl_kex_server *srv, kl_kex_session *s)
{
  pthread_mutex_destroy(&s->lock);
  kli_kex_free(srv, s, sizeof *s);
}

/* Drop one reference; the last one frees. rejected/established update the
 * statistics in the same critical section. */
static void release(kl_kex_server *srv, kl_kex_session *s, int rejected, int established)
{
  pthread_mutex_lock(&srv->table_lock);
  if (rejected)
    srv->n_rejected++;
  if (established && s->linked && !s->est_counted) {
    s->est_counted = 1;
    srv->n_established++;
  }
  unsigned left = --s->refs;
  pthread_mutex_unlock(&srv->table_lock);
  if (left == 0)
    session_free(srv, s);
}

/* Wipe an unlinked session under its lock, tell the application, drop the
 * table's reference. */
static void finish(kl_kex_server *srv, kl_kex_session *s)
{
  void *app_state = NULL;
  pthread_mutex_lock(&s->lock);
  if (s->state != KL_KEX_CLOSED) {
    s->state = KL_KEX_CLOSED;
    kli_kex_channel_clear(&s->ch);
    kl_rsa_priv_clear(&s->key); /* limbs wiped by the GMP allocator */
    app_state = s->app_state;
    s->app_state = NULL;
  }
  pthread_mutex_unlock(&s->lock);
  if (srv->cfg.on_session_end != NULL)
    srv->cfg.on_session_end(srv->cfg.notify_user, s->id, app_state);
  release(srv, s, 0, 0);
}

static void finish_all(kl_kex_server *srv, kl_kex_session *victims)
{
  while (victims != NULL) {
    kl_kex_session *next = victims->hnext;
    finish(srv, victims);
    victims = next;
  }
}

/* Find a live session, take a reference and mark it used. NOT_FOUND for an
 * unknown id, and for one idle too long (expired here, lazily). */
static kl_err acquire(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                      kl_kex_session **out)
{
  kl_kex_session *victims = NULL;
  pthread_mutex_lock(&srv->table_lock);
  kl_kex_session *s = find_live_locked(srv, id, now_ms, &victims);
  if (s != NULL) {
    s->refs++;
    if (now_ms > s->last_used_ms)
      s->last_used_ms = now_ms;
    lru_remove_locked(srv, s);
    lru_append_locked(srv, s);
  }
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  *out = s;
  return s != NULL ? KL_OK : KL_ERR_NOT_FOUND;
}

/* acquire() then the session lock; NOT_FOUND if it ended meanwhile. On
 * KL_OK the caller holds both the reference and s->lock. */
static kl_err enter(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                    kl_kex_session **out)
{
  kl_kex_session *s;
  kl_err err = acquire(srv, id, now_ms, &s);
  if (err != KL_OK)
    return err;
  pthread_mutex_lock(&s->lock);
  if (s->state == KL_KEX_CLOSED) {
    pthread_mutex_unlock(&s->lock);
    release(srv, s, 0, 0);
    return KL_ERR_NOT_FOUND;
  }
  *out = s;
  return KL_OK;
}

static void leave(kl_kex_server *srv, kl_kex_session *s, kl_err result, int established)
{
  pthread_mutex_unlock(&s->lock);
  release(srv, s, result == KL_ERR_DECRYPT, established);
}

/* ---- init and clear ---- */

kl_err kl_kex_server_init(kl_kex_server *srv, const kl_kex_server_config *cfg)
{
  const unsigned all = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED) |
                       KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED);
  kl_err err;

  if (srv == NULL || cfg == NULL || cfg->rng == NULL || cfg->rng->fill == NULL)
    return KL_ERR_ARG;
  if (cfg->profiles == 0 || (cfg->profiles & ~all) != 0)
    return KL_ERR_ARG;
  int hardened = (cfg->profiles & KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_HARDENED)) != 0;
  if (hardened && (cfg->key_bits < KL_RSA_MIN_BITS || cfg->key_bits > KL_KEX_MAX_KEY_BITS ||
                   cfg->key_bits % 2 != 0))
    return KL_ERR_ARG;
  if (hardened &&
      (cfg->identity == NULL || mpz_sizeinbase(cfg->identity->n, 2) > KL_KEX_MAX_KEY_BITS))
    return KL_ERR_ARG;
  if (cfg->max_sessions == 0 || cfg->max_payload == 0 || cfg->max_payload > ((size_t)1 << 30))
    return KL_ERR_ARG;
  if (cfg->node > KL_KEX_MAX_NODE)
    return KL_ERR_ARG;

  memset(srv, 0, sizeof *srv);
  srv->cfg = *cfg;
  if (!hardened)
    srv->cfg.key_bits = KL_KEX_SEED_KEY_BITS;
  /* Buckets: a power of two near max_sessions (load factor <= 1), capped. */
  size_t nb = 16;
  while (nb < cfg->max_sessions && nb < ((size_t)1 << 20))
    nb *= 2;
  srv->nbuckets = nb;
  srv->buckets = calloc(nb, sizeof *srv->buckets);
  if (srv->buckets == NULL)
    return KL_ERR_NOMEM;
  err = kli_kex_pool_init(srv);
  if (err != KL_OK)
    goto fail;
  if (hardened) {
    kl_rsa_pub id_pub;
    kl_rsa_pub_init(&id_pub);
    kl_rsa_priv_to_pub(&id_pub, cfg->identity);
    srv->identity_spki_len = sizeof srv->identity_spki;
    err = kl_rsa_pub_to_spki_der(&id_pub, srv->identity_spki, &srv->identity_spki_len);
    kl_rsa_pub_clear(&id_pub);
    if (err != KL_OK)
      goto fail;
    kl_sha256(srv->identity_fp, srv->identity_spki, srv->identity_spki_len);
  }
  pthread_mutex_init(&srv->table_lock, NULL);
  pthread_mutex_init(&srv->pool_lock, NULL);
  return KL_OK;
fail:
  kli_kex_pool_clear(srv);
  free(srv->buckets);
  srv->buckets = NULL;
  return err;
}

void kl_kex_server_clear(kl_kex_server *srv)
{
  kl_kex_session *victims = NULL;
  if (srv == NULL || srv->buckets == NULL)
    return;
  pthread_mutex_lock(&srv->table_lock);
  while (srv->lru_head != NULL)
    unlink_locked(srv, srv->lru_head, &victims);
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  kli_kex_pool_clear(srv);
  free(srv->buckets);
  pthread_mutex_destroy(&srv->table_lock);
  pthread_mutex_destroy(&srv->pool_lock);
  kl_wipe(srv, sizeof *srv);
}

/* ---- create ---- */

kl_err kl_kex_server_create(kl_kex_server *srv, kl_kex_profile profile, uint64_t now_ms,
                            kl_kex_offer *offer)
{
  kl_kex_session *victims = NULL;
  kl_kex_session *s = NULL;
  kl_kex_pool_entry *entry = NULL;
  int inline_keygen = 0;
  kl_err err;

  if (srv == NULL || offer == NULL)
    return KL_ERR_ARG;
  if (profile != KL_KEX_PROFILE_HARDENED && profile != KL_KEX_PROFILE_SEED)
    return KL_ERR_UNSUPPORTED;
  if ((srv->cfg.profiles & KL_KEX_PROFILE_BIT(profile)) == 0)
    return KL_ERR_UNSUPPORTED;
  memset(offer, 0, sizeof *offer);

  /* 1. A cheap early refusal, before any key generation, when the table is
   * full and may not evict. */
  pthread_mutex_lock(&srv->table_lock);
  sweep_locked(srv, now_ms, &victims);
  int full = srv->count >= srv->cfg.max_sessions && !srv->cfg.evict_oldest_idle;
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  victims = NULL;
  if (full)
    return KL_ERR_LIMIT;

  s = calloc(1, sizeof *s);
  if (s == NULL)
    return KL_ERR_NOMEM;
  pthread_mutex_init(&s->lock, NULL);
  s->profile = profile;
  s->state = KL_KEX_AWAIT_KEY;
  kl_rsa_priv_init(&s->key);

  /* 2. A prepared entry (pair, id, offer with its signature): from the pool,
   * which costs no RSA private operation, else made now (no lock held). */
  entry = kli_kex_pool_take(srv, profile);
  if (entry == NULL) {
    inline_keygen = 1;
    err = kli_kex_entry_make(srv, profile, srv->cfg.rng, &entry);
    if (err != KL_OK)
      goto fail;
  }
  /* Move the pair into the session (the limbs change owner; the entry's
   * struct keeps fresh empty values for kli_kex_entry_free to clear). */
  mpz_swap(s->key.n, entry->key.n);
  mpz_swap(s->key.e, entry->key.e);
  mpz_swap(s->key.d, entry->key.d);
  mpz_swap(s->key.p, entry->key.p);
  mpz_swap(s->key.q, entry->key.q);
  mpz_swap(s->key.dP, entry->key.dP);
  mpz_swap(s->key.dQ, entry->key.dQ);
  mpz_swap(s->key.qInv, entry->key.qInv);
  memcpy(s->id, entry->offer.session_id, KL_KEX_ID_BYTES);
  *offer = entry->offer;
  kli_kex_entry_free(srv, entry);
  entry = NULL;

  /* 3. The channel. */
  KL_TRACE(srv->cfg.tracer, "session_id", -1, s->id, KL_KEX_ID_BYTES);
  kli_kex_channel_init(&s->ch, profile, KL_KEX_ROLE_SERVER, s->id);

  /* 4. Into the table, making room if needed: expired ones first, then the
   * least recently used session no call is using. The id was drawn when the
   * entry was made; it is checked against the table here, on use. */
  pthread_mutex_lock(&srv->table_lock);
  if (find_locked(srv, s->id) != NULL) {
    /* Two equal 122-bit random ids: the generator is broken. */
    err = KL_ERR_RNG;
  } else {
    err = KL_OK;
    sweep_locked(srv, now_ms, &victims);
    while (err == KL_OK && srv->count >= srv->cfg.max_sessions) {
      kl_kex_session *old = srv->lru_head;
      while (old != NULL && old->refs != 1)
        old = old->lru_next;
      if (!srv->cfg.evict_oldest_idle || old == NULL) {
        err = KL_ERR_LIMIT;
      } else {
        unlink_locked(srv, old, &victims);
        srv->n_evicted++;
      }
    }
    if (err == KL_OK) {
      link_locked(srv, s, now_ms);
      srv->n_created++;
      if (inline_keygen)
        srv->n_keygen_inline++;
    }
  }
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  if (err != KL_OK)
    goto fail;
  return KL_OK;

fail:
  kli_kex_entry_free(srv, entry);
  kl_rsa_priv_clear(&s->key);
  session_free(srv, s);
  kl_wipe(offer, sizeof *offer);
  return err;
}

/* ---- set_key, message, rekey ---- */

/* C -> K by RSAES-OAEP-DECRYPT (RFC 8017 §7.1.2) with the session's key.
 * Every failure, a wrong length of C or of K included, is KL_ERR_DECRYPT,
 * except the generator's (blinding) and memory's. */
static kl_err unwrap(kl_kex_server *srv, const kl_kex_session *s, uint8_t K[KL_KEX_KEY_BYTES],
                     const uint8_t *C, size_t C_len)
{
  uint8_t M[KL_KEX_MAX_MODULUS_BYTES];
  size_t mLen = sizeof M;
  kl_oaep_params params;
  kl_err err;

  if (C == NULL || C_len != kl_rsa_modulus_len(s->key.n))
    return KL_ERR_DECRYPT;
  kli_kex_oaep_params(&params, s->profile);
  err = kl_rsa_oaep_decrypt(&s->key, &params, srv->cfg.rng, NULL, M, &mLen, C, C_len);
  if (err == KL_OK && mLen != KL_KEX_KEY_BYTES)
    err = KL_ERR_DECRYPT;
  if (err == KL_OK)
    memcpy(K, M, KL_KEX_KEY_BYTES);
  else if (err != KL_ERR_RNG && err != KL_ERR_NOMEM)
    err = KL_ERR_DECRYPT;
  kl_wipe(M, sizeof M);
  return err;
}

kl_err kl_kex_server_set_key(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                             const uint8_t *C, size_t C_len)
{
  uint8_t K[KL_KEX_KEY_BYTES];
  kl_kex_session *s;

  if (srv == NULL || id == NULL || (C == NULL && C_len != 0))
    return KL_ERR_ARG;
  kl_err err = enter(srv, id, now_ms, &s);
  if (err != KL_OK)
    return err;
  /* A session accepts its first key exactly once. */
  if (s->state != KL_KEX_AWAIT_KEY) {
    err = KL_ERR_CONFLICT;
    goto out;
  }
  err = unwrap(srv, s, K, C, C_len);
  if (err != KL_OK)
    goto out;
  err = kli_kex_channel_set_key(&s->ch, K, srv->cfg.tracer);
  if (err != KL_OK)
    goto out;
  s->state = KL_KEX_ESTABLISHED;
out:
  kl_wipe(K, sizeof K);
  leave(srv, s, err, err == KL_OK);
  return err;
}

/* The default application: the reply is the message. */
static kl_err echo(uint8_t *reply, size_t *reply_len, const uint8_t *msg, size_t msg_len)
{
  if (msg_len > *reply_len)
    return KL_ERR_LEN;
  if (msg_len > 0)
    memcpy(reply, msg, msg_len);
  *reply_len = msg_len;
  return KL_OK;
}

kl_err kl_kex_server_message(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                             uint8_t *out, size_t *out_len, const uint8_t *frame, size_t frame_len)
{
  kl_kex_session *s;
  uint8_t *pt = NULL;
  size_t pt_len = 0;
  int replied = 0; /* the handler may have written plaintext into out */

  if (srv == NULL || id == NULL || out == NULL || out_len == NULL || frame == NULL)
    return KL_ERR_ARG;
  size_t max_frame = kl_kex_server_max_frame(srv);
  if (*out_len < max_frame)
    return KL_ERR_BUF_TOO_SMALL;
  kl_err err = enter(srv, id, now_ms, &s);
  if (err != KL_OK)
    return err;
  if (s->state != KL_KEX_ESTABLISHED) {
    err = KL_ERR_STATE;
    goto out;
  }
  /* Oversize: rejected like any other bad frame, before any work. */
  err = KL_ERR_DECRYPT;
  if (frame_len > max_frame || frame_len == 0)
    goto out;
  err = KL_ERR_NOMEM;
  pt = malloc(frame_len);
  if (pt == NULL)
    goto out;
  pt_len = frame_len;
  uint64_t recv_seq = s->ch.recv_seq;
  err = kli_kex_channel_open(&s->ch, pt, &pt_len, frame, frame_len);
  if (err != KL_OK) {
    err = KL_ERR_DECRYPT;
    goto out;
  }
  /* A frame of the largest length holds up to one block less one octet more
   * than max_payload (the padding is 1..16 octets): such a message is the
   * client's error, refused before the handler runs, and it does not use up
   * its sequence number (the frame was authentic; the next one may reuse
   * it). Hardened: the tag was checked first, so this says nothing about a
   * forged frame. Seed: a well-padded frame was already told apart by the
   * echo (the profile's known padding oracle, docs/threat-model.md). */
  if (pt_len > srv->cfg.max_payload) {
    s->ch.recv_seq = recv_seq;
    err = KL_ERR_LEN;
    goto out;
  }
  /* The handler writes its reply where the frame's payload goes, so it is
   * sealed in place (no copy of the reply). */
  size_t off = kli_kex_payload_offset(s->profile);
  size_t reply_len = srv->cfg.max_payload;
  kl_kex_app_call call = {s->id, s->profile, &s->app_state};
  replied = 1;
  if (srv->cfg.handler != NULL)
    err = srv->cfg.handler(srv->cfg.handler_user, &call, out + off, &reply_len, pt, pt_len);
  else
    err = echo(out + off, &reply_len, pt, pt_len);
  if (err != KL_OK)
    goto out;
  if (reply_len > srv->cfg.max_payload) {
    err = KL_ERR_INTERNAL;
    goto out;
  }
  s->messages++;
  err = kli_kex_channel_seal_at(&s->ch, srv->cfg.rng, out, *out_len, out_len, reply_len);
out:
  /* No reply frame on an error (handler, oversize reply, IV draw): the
   * reply's plaintext must not stay in the caller's buffer. */
  if (err != KL_OK && replied)
    kl_wipe(out, max_frame);
  kli_kex_free(srv, pt, frame_len);
  leave(srv, s, err, 0);
  return err;
}

kl_err kl_kex_server_rekey(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                           const uint8_t *C, size_t C_len, const uint8_t *auth, size_t auth_len)
{
  uint8_t K[KL_KEX_KEY_BYTES];
  uint64_t auth_seq = 0;
  kl_kex_session *s;

  if (srv == NULL || id == NULL || (C == NULL && C_len != 0) || (auth == NULL && auth_len != 0))
    return KL_ERR_ARG;
  kl_err err = enter(srv, id, now_ms, &s);
  if (err != KL_OK)
    return err;
  if (s->state != KL_KEX_ESTABLISHED) {
    err = KL_ERR_STATE;
    goto out;
  }
  if (s->profile == KL_KEX_PROFILE_SEED) {
    /* The seed scheme has no authentication to check: anyone who knows the
     * id can replace the key (docs/threat-model.md). */
    if (auth_len != 0) {
      err = KL_ERR_ARG;
      goto out;
    }
  } else {
    /* Authenticated under the current c2s MAC key, checked before the RSA
     * work (which an unauthenticated caller must not be able to trigger). */
    err = kli_kex_rekey_auth_check(&s->ch, auth, auth_len, C, C_len, &auth_seq);
    if (err != KL_OK)
      goto out;
  }
  err = unwrap(srv, s, K, C, C_len);
  if (err != KL_OK)
    goto out;
  err = kli_kex_channel_set_key(&s->ch, K, srv->cfg.tracer);
  if (err != KL_OK)
    goto out;
  /* The boundary: the authenticator used c2s number auth_seq; every frame
   * after it, both directions, is under the new keys. */
  if (s->profile == KL_KEX_PROFILE_HARDENED)
    s->ch.recv_seq = auth_seq + 1;
out:
  kl_wipe(K, sizeof K);
  leave(srv, s, err, 0);
  return err;
}

/* ---- what a transport may ask ---- */

/* Find a live session under table_lock (expiring it if idle too long), and
 * count a request if asked; fill info. */
static kl_err peek(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                   int count, uint64_t max_requests, kl_kex_session_info *info)
{
  kl_kex_session *victims = NULL;
  kl_err err = KL_ERR_NOT_FOUND;

  if (srv == NULL || id == NULL)
    return KL_ERR_ARG;
  pthread_mutex_lock(&srv->table_lock);
  kl_kex_session *s = find_live_locked(srv, id, now_ms, &victims);
  if (s != NULL) {
    err = KL_OK;
    if (count) {
      if (max_requests != 0 && s->requests >= max_requests)
        err = KL_ERR_LIMIT;
      else
        s->requests++;
    }
    if (info != NULL) {
      /* profile is fixed at creation; est_counted is set under this lock
       * once a set_key has succeeded. */
      info->profile = s->profile;
      info->state = s->est_counted ? KL_KEX_ESTABLISHED : KL_KEX_AWAIT_KEY;
      info->requests = s->requests;
      info->created_ms = s->created_ms;
      info->last_used_ms = s->last_used_ms;
    }
  }
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  return err;
}

kl_err kl_kex_server_session_info(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                  uint64_t now_ms, kl_kex_session_info *info)
{
  if (info == NULL)
    return KL_ERR_ARG;
  return peek(srv, id, now_ms, 0, 0, info);
}

kl_err kl_kex_server_session_request(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                     uint64_t now_ms, uint64_t max_requests,
                                     kl_kex_session_info *info)
{
  return peek(srv, id, now_ms, 1, max_requests, info);
}

/* ---- close, expiry, statistics, identity ---- */

kl_err kl_kex_server_close(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES])
{
  kl_kex_session *victims = NULL;
  if (srv == NULL || id == NULL)
    return KL_ERR_ARG;
  pthread_mutex_lock(&srv->table_lock);
  kl_kex_session *s = find_locked(srv, id);
  if (s != NULL) {
    unlink_locked(srv, s, &victims);
    srv->n_closed++;
  }
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  return s != NULL ? KL_OK : KL_ERR_NOT_FOUND;
}

size_t kl_kex_server_expire(kl_kex_server *srv, uint64_t now_ms)
{
  kl_kex_session *victims = NULL;
  if (srv == NULL)
    return 0;
  pthread_mutex_lock(&srv->table_lock);
  size_t n = sweep_locked(srv, now_ms, &victims);
  pthread_mutex_unlock(&srv->table_lock);
  finish_all(srv, victims);
  return n;
}

void kl_kex_server_get_stats(kl_kex_server *srv, kl_kex_server_stats *st)
{
  if (srv == NULL || st == NULL)
    return;
  memset(st, 0, sizeof *st);
  pthread_mutex_lock(&srv->table_lock);
  st->sessions = srv->count;
  st->established = srv->n_established;
  st->created = srv->n_created;
  st->closed = srv->n_closed;
  st->expired = srv->n_expired;
  st->evicted = srv->n_evicted;
  st->rejected = srv->n_rejected;
  st->keygen_inline = srv->n_keygen_inline;
  pthread_mutex_unlock(&srv->table_lock);
  pthread_mutex_lock(&srv->pool_lock);
  for (int p = 0; p < KL_KEX_PROFILE_COUNT; p++) {
    st->pool_level[p] = srv->pool[p].count;
    st->pool_size[p] = srv->pool[p].size;
  }
  st->keygen_pool = srv->n_keygen_pool;
  pthread_mutex_unlock(&srv->pool_lock);
}

kl_err kl_kex_server_identity(const kl_kex_server *srv, uint8_t *spki, size_t *spki_len,
                              uint8_t fp[KL_KEX_FINGERPRINT_BYTES])
{
  if (srv == NULL)
    return KL_ERR_ARG;
  if (srv->identity_spki_len == 0)
    return KL_ERR_STATE;
  if (spki_len != NULL) {
    if (spki == NULL || *spki_len < srv->identity_spki_len) {
      *spki_len = srv->identity_spki_len;
      return KL_ERR_BUF_TOO_SMALL;
    }
    memcpy(spki, srv->identity_spki, srv->identity_spki_len);
    *spki_len = srv->identity_spki_len;
  }
  if (fp != NULL)
    memcpy(fp, srv->identity_fp, KL_KEX_FINGERPRINT_BYTES);
  return KL_OK;
}
