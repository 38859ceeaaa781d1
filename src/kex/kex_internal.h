/* kex_internal.h: what the files of src/kex/ share and nobody else sees.
 *   frame.c    the channel: key schedule, frame seal/open, rekey authenticator
 *   id.c       session ids (UUID v4 text) and profile names
 *   identity.c fingerprint, identity signature (RSA-PSS-SHA256)
 *   pool.c     the pool of pre-generated RSA pairs, ids and offers (signed)
 *   server.c   the session table, its locking, the server calls
 *   client.c   the client object
 * See include/kexlab/kex.h for the public contract, docs/protocol.md for the
 * byte layouts. */
#ifndef KL_KEX_INTERNAL_H
#define KL_KEX_INTERNAL_H

#include "kexlab/kex.h"
#include "kexlab/oaep.h"

/* OAEP parameters of a profile: seed SHA-1/MGF1-SHA-1, hardened
 * SHA-256/MGF1-SHA-256; empty label in both. */
void kli_kex_oaep_params(kl_oaep_params *params, kl_kex_profile p);

/* Offset in a data frame where the payload (then the ciphertext) starts:
 * seed 16 (after the IV), hardened 26 + 16. */
size_t kli_kex_payload_offset(kl_kex_profile p);

/* Start a channel for a session (no keys yet). */
void kli_kex_channel_init(kl_kex_channel *ch, kl_kex_profile p, kl_kex_role role,
                          const uint8_t session_id[KL_KEX_ID_BYTES]);
/* (Re)key: seed K is the AES key; hardened K goes through the key schedule.
 * Sequence numbers carry on across rekeys; epoch counts the rekeys. */
KL_NODISCARD kl_err kli_kex_channel_set_key(kl_kex_channel *ch, const uint8_t K[KL_KEX_KEY_BYTES],
                                            const kl_tracer *tr);
/* Wipe every key (the channel can be set again with set_key). */
void kli_kex_channel_clear(kl_kex_channel *ch);

/* Seal the payload_len bytes that already sit at out + kli_kex_payload_offset
 * into a frame of this channel's sending direction, in place.
 *  out_cap  [in]  bytes available at out (>= kl_kex_frame_len)
 *  out_len  [out] the frame's length */
KL_NODISCARD kl_err kli_kex_channel_seal_at(kl_kex_channel *ch, const kl_rng *rng, uint8_t *out,
                                            size_t out_cap, size_t *out_len, size_t payload_len);
/* As above with the payload elsewhere (copied first). */
KL_NODISCARD kl_err kli_kex_channel_seal(kl_kex_channel *ch, const kl_rng *rng, uint8_t *out,
                                         size_t *out_len, const uint8_t *payload,
                                         size_t payload_len);
/* Open a frame of the receiving direction. *out_len: capacity in (>= the
 * ciphertext length; else KL_ERR_BUF_TOO_SMALL with *out_len = that), payload length out. Every rejection is KL_ERR_DECRYPT and leaves ch as it was. */
KL_NODISCARD kl_err kli_kex_channel_open(kl_kex_channel *ch, uint8_t *out, size_t *out_len,
                                         const uint8_t *frame, size_t len);

/* Hardened rekey authenticator (KL_KEX_REKEY_AUTH_BYTES) for the new wrapped
 * key C, under the c2s MAC key with sequence number ch->send_seq (client; the
 * caller advances send_seq on commit). */
void kli_kex_rekey_auth_make(const kl_kex_channel *ch, uint8_t auth[KL_KEX_REKEY_AUTH_BYTES],
                             const uint8_t *C, size_t C_len);
/* Server: check an authenticator (tag, id, a sequence number >= recv_seq).
 * KL_OK (and *seq, the number it used) or KL_ERR_DECRYPT; the caller sets
 * recv_seq = *seq + 1 once the rekey succeeded. */
KL_NODISCARD kl_err kli_kex_rekey_auth_check(const kl_kex_channel *ch, const uint8_t *auth,
                                             size_t auth_len, const uint8_t *C, size_t C_len,
                                             uint64_t *seq);

/* Copy a private key (every one of the eight values). dst initialised. */
void kli_kex_priv_copy(kl_rsa_priv *dst, const kl_rsa_priv *src);

/* Wipe n bytes at p, show them to the test hook, free them. */
void kli_kex_free(const kl_kex_server *srv, void *p, size_t n);

/* Pool (pool.c). Called by server.c with no lock held. */
KL_NODISCARD kl_err kli_kex_pool_init(kl_kex_server *srv);
/* Take a prepared entry for profile p (the caller owns it: it becomes a
 * session or goes to kli_kex_entry_free), or NULL if the pool is empty. */
kl_kex_pool_entry *kli_kex_pool_take(kl_kex_server *srv, kl_kex_profile p);
/* Make an entry now: generate a pair (primes from rng), draw its id and
 * build its offer, signature included (id and salt from the config's rng).
 * Returns KL_OK with *out, or keygen/RNG/NOMEM errors (nothing left). */
KL_NODISCARD kl_err kli_kex_entry_make(const kl_kex_server *srv, kl_kex_profile profile,
                                       const kl_rng *rng, kl_kex_pool_entry **out);
/* Clear the key, wipe the entry (id, offer), show it to the free hook, free. */
void kli_kex_entry_free(const kl_kex_server *srv, kl_kex_pool_entry *e);
void kli_kex_pool_clear(kl_kex_server *srv);
/* RSA bits of a profile's session keys on this server. */
unsigned kli_kex_profile_bits(const kl_kex_server *srv, kl_kex_profile p);

#endif
