/* kex.h: the key-exchange protocol (src/kex/): RSA-OAEP key transport of an
 * AES key, sessions, two profiles, frames. Pure state machines over byte
 * buffers: no sockets, no files, no threads of its own, no clock (every call
 * that needs the time takes the caller's `now_ms`, a monotonic millisecond
 * count, so expiry is testable). docs/protocol.md is the specification (frame
 * layouts byte by byte, key schedule, state machines, error model);
 * docs/threat-model.md says what each profile protects against.
 *
 * Flow of one session:
 *   server: kl_kex_server_pool_fill  (worker thread: pairs, ids, signed offers)
 *   server: kl_kex_server_create     -> kl_kex_offer (id, n, e, SPKI, PEM, signature)
 *   client: kl_kex_client_handshake  -> wrapped key C (RSA-OAEP under n, e)
 *   server: kl_kex_server_set_key    (once per session; KL_ERR_CONFLICT after)
 *   client: kl_kex_client_seal       -> frame;  server: kl_kex_server_message -> reply frame
 *   client: kl_kex_client_open       <- reply frame
 *   client: kl_kex_client_rekey_begin -> (C', auth); server: kl_kex_server_rekey;
 *   client: kl_kex_client_rekey_commit once the server said yes
 *   server: kl_kex_server_close / kl_kex_server_expire (idle) / eviction (cap)
 *   transport: kl_kex_server_session_request (budget, profile) before each call
 *
 * Profiles:
 *   KL_KEX_PROFILE_SEED      RSA-2048, OAEP-SHA-1 (MGF1-SHA-1, empty label),
 *                            raw 32-byte AES-256 key, frames IV(16) || AES-256-CBC-
 *                            PKCS7(payload), the same key both ways, no MAC, no
 *                            sequence numbers, unauthenticated rekey, no identity.
 *                            .NET RSACryptoServiceProvider.Encrypt(key, true) +
 *                            Aes.Create() defaults interoperate.
 *   KL_KEX_PROFILE_HARDENED  OAEP-SHA-256 wraps 32 bytes K; HKDF-SHA256 (salt =
 *                            session id) derives per-direction enc and MAC keys;
 *                            frames ver || type || id || seq || IV || CBC || HMAC tag
 *                            (encrypt-then-MAC), replay/reorder rejection,
 *                            authenticated rekey, identity signature (RSA-PSS-
 *                            SHA256 over id || SPKI DER of the session key).
 *
 * Errors (the transport maps them to HTTP statuses):
 *   KL_ERR_NOT_FOUND  unknown, closed, expired or evicted session       -> 404
 *   KL_ERR_CONFLICT   a second first-key for a session                  -> 409
 *   KL_ERR_STATE      a message or rekey before the key                 -> 400/409
 *   KL_ERR_DECRYPT    the ONE frame/key rejection: bad length, version,
 *                     type, direction, session, tag, sequence, padding,
 *                     OAEP, rekey authentication. The session stays intact -> 400
 *   KL_ERR_LIMIT      session cap reached (and nothing evictable)        -> 503
 *   KL_ERR_UNSUPPORTED a profile this server does not offer              -> 400
 *   KL_ERR_VERIFY     (client) identity signature or pin mismatch
 *   KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL, KL_ERR_NOMEM, KL_ERR_RNG: as everywhere.
 *
 * Locking (the transport calls one kl_kex_server from many threads):
 *   - table_lock guards the session table (hash buckets, LRU list, counts,
 *     each session's refs/linked/last_used fields). It is held only for
 *     O(1) work (lookup, link, unlink) plus expiry sweeps; never during RSA,
 *     AES, HMAC or the application handler.
 *   - each session has its own lock, held for the whole of a set_key, message
 *     or rekey call on that session (one request at a time per session; other
 *     sessions run in parallel). The application handler runs under it.
 *   - pool_lock guards the key pool; key generation runs with NO lock held.
 *   - No thread ever holds two of these locks at once (a call looks the
 *     session up and takes a reference under table_lock, releases it, then
 *     takes the session lock; it drops the session lock before it returns
 *     the reference under table_lock). So there is no lock order to get wrong.
 *   - Sessions are reference-counted: close/expire/evict unlink a session
 *     from the table, then wipe it under its own lock and free it when the
 *     last reference goes: a session is never half-freed under a user.
 *   The rng in the server config must be safe to call from several threads
 *   (kl_rng_os is); pass a per-thread rng to kl_kex_server_pool_fill.
 *
 * Heap: the server allocates its table, sessions and pooled keys (it must:
 * their number is only known at run time); everything is wiped before free.
 * The client and all buffers are caller-allocated. */
#ifndef KEXLAB_KEX_H
#define KEXLAB_KEX_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "aes.h"
#include "err.h"
#include "hmac.h"
#include "init.h"
#include "rng.h"
#include "rsa.h"
#include "trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sizes ---- */
#define KL_KEX_ID_BYTES 16        /* session id: 128 bits, UUID v4 layout */
#define KL_KEX_ID_STRING_LEN 36   /* "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", no NUL */
#define KL_KEX_KEY_BYTES 32       /* K (hardened) or the raw AES-256 key (seed) */
#define KL_KEX_SEED_KEY_BITS 2048 /* the seed profile's RSA size, by definition */
#define KL_KEX_DEFAULT_KEY_BITS 2048
#define KL_KEX_MAX_KEY_BITS 4096 /* session and identity keys */
#define KL_KEX_MAX_MODULUS_BYTES (KL_KEX_MAX_KEY_BITS / 8)
#define KL_KEX_MAX_EXPONENT_BYTES 16
#define KL_KEX_MAX_SPKI_BYTES 640   /* SPKI DER of a 4096-bit key is 550 bytes */
#define KL_KEX_MAX_PEM_BYTES 1024   /* its PEM, with the NUL */
#define KL_KEX_FINGERPRINT_BYTES 32 /* SHA-256 of the SPKI DER */

/* Hardened frame (docs/protocol.md):
 *   ver(1) | type(1) | session id(16) | seq(8, big-endian) | IV(16) | C(16m) | tag(32)
 *   tag = HMAC-SHA256(mac key of the direction, everything before the tag) */
#define KL_KEX_VERSION 0x01
#define KL_KEX_HEADER_BYTES 26
#define KL_KEX_IV_BYTES 16
#define KL_KEX_TAG_BYTES 32
#define KL_KEX_MIN_FRAME_BYTES (KL_KEX_HEADER_BYTES + KL_KEX_IV_BYTES + 16 + KL_KEX_TAG_BYTES)
/* Rekey authenticator: ver | type=REKEY | id | seq | tag, where
 * tag = HMAC-SHA256(c2s mac key, ver | type | id | seq | C') and C' is the new
 * wrapped key, sent beside it (`encrypted_key` in the REST API). */
#define KL_KEX_REKEY_AUTH_BYTES (KL_KEX_HEADER_BYTES + KL_KEX_TAG_BYTES)

typedef enum kl_kex_frame_type {
  KL_KEX_TYPE_DATA_C2S = 0x01, /* client to server application data */
  KL_KEX_TYPE_DATA_S2C = 0x02, /* server to client application data (replies) */
  KL_KEX_TYPE_REKEY = 0x03     /* client to server rekey authenticator */
} kl_kex_frame_type;

/* ---- profiles ---- */
typedef enum kl_kex_profile {
  KL_KEX_PROFILE_HARDENED = 0, /* the default */
  KL_KEX_PROFILE_SEED = 1
} kl_kex_profile;
#define KL_KEX_PROFILE_COUNT 2
#define KL_KEX_PROFILE_BIT(p) (1u << (unsigned)(p))

/* "hardened", "seed" */
const char *kl_kex_profile_name(kl_kex_profile p);
/* Exact names above. Returns KL_OK or KL_ERR_UNSUPPORTED. */
KL_NODISCARD kl_err kl_kex_profile_from_name(const char *name, kl_kex_profile *p);

/* ---- session ids ---- */
/* The 16 id bytes are the UUID in RFC 9562 (4122) network order: the string's
 * hex digits, in order. (.NET's Guid.ToByteArray() swaps the first three
 * groups; a .NET peer must use the string.) Version 4, variant 10xx: 122 bits
 * are random. out gets 36 lower-case characters and a NUL (as Guid.ToString()). */
void kl_kex_id_format(char out[KL_KEX_ID_STRING_LEN + 1], const uint8_t id[KL_KEX_ID_BYTES]);
/* Parse 36 characters, hex digits in either case, '-' at 8, 13, 18, 23.
 * Any version and variant are accepted (the table decides what exists).
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING. */
KL_NODISCARD kl_err kl_kex_id_parse(uint8_t id[KL_KEX_ID_BYTES], const char *s, size_t len);
/* Draw a fresh v4 id. Returns KL_OK, KL_ERR_ARG, KL_ERR_RNG. */
KL_NODISCARD kl_err kl_kex_id_new(uint8_t id[KL_KEX_ID_BYTES], const kl_rng *rng);
/* Node ids (docs/deploy.md): octet KL_KEX_ID_NODE_OCTET, the first two hex
 * digits of the text, holds the number of the node that made the session;
 * 114 bits stay random. A v4 id like kl_kex_id_new in every other bit.
 * Returns KL_OK, KL_ERR_ARG (node > KL_KEX_MAX_NODE), KL_ERR_RNG. */
#define KL_KEX_ID_NODE_OCTET 0
#define KL_KEX_MAX_NODE 255
KL_NODISCARD kl_err kl_kex_id_new_node(uint8_t id[KL_KEX_ID_BYTES], const kl_rng *rng,
                                       unsigned node);

/* ---- frames ---- */
/* Bytes of a data frame carrying payload_len bytes:
 *   seed:     16 + 16*(payload_len/16 + 1)
 *   hardened: 26 + 16 + 16*(payload_len/16 + 1) + 32 */
size_t kl_kex_frame_len(kl_kex_profile p, size_t payload_len);

/* Capacity a buffer needs to open (kl_kex_client_open) any frame that
 * carries at most max_payload bytes: the padded ciphertext length,
 *   16 * (max_payload/16 + 1)      (<= max_payload + 16; both profiles).
 * A client that accepts every reply its config allows passes
 * kl_kex_open_max(cfg.max_payload). The exact need of one frame is its
 * ciphertext length: frame_len - 16 (seed) or frame_len - 74 (hardened). */
size_t kl_kex_open_max(size_t max_payload);

/* A parsed frame: pointers into the caller's buffer, no cryptography, no
 * validation beyond the lengths (for demos, logs and attack labs). */
typedef struct kl_kex_frame_view {
  kl_kex_profile profile;
  uint8_t version;           /* hardened only */
  uint8_t type;              /* hardened only */
  const uint8_t *session_id; /* hardened only: 16 bytes */
  uint64_t seq;              /* hardened only */
  const uint8_t *iv;         /* 16 bytes */
  const uint8_t *ciphertext;
  size_t ciphertext_len;
  const uint8_t *tag; /* hardened only: 32 bytes */
} kl_kex_frame_view;

/* Split a frame into its fields. Returns KL_OK, KL_ERR_ARG, KL_ERR_DECRYPT
 * (too short, ciphertext not a positive multiple of 16). */
KL_NODISCARD kl_err kl_kex_frame_parse(kl_kex_frame_view *v, kl_kex_profile p, const uint8_t *frame,
                                       size_t len);

/* ---- the channel: keys and counters of one established session ----
 * Shared by the client and the server objects. Fields read-only for callers. */
typedef enum kl_kex_role {
  KL_KEX_ROLE_CLIENT = 0,
  KL_KEX_ROLE_SERVER = 1
} kl_kex_role;

typedef struct kl_kex_dir_keys {
  kl_aes_key enc;  /* AES-256, expanded */
  kl_hmac_ctx mac; /* HMAC-SHA256 keyed with the MAC key, copied per frame */
} kl_kex_dir_keys;

typedef struct kl_kex_channel {
  kl_kex_profile profile;
  kl_kex_role role;
  uint8_t session_id[KL_KEX_ID_BYTES];
  int keyed;                /* 1 once keys are set */
  kl_aes_key seed_key;      /* seed: the one AES key, both directions */
  kl_kex_dir_keys c2s, s2c; /* hardened */
  uint64_t send_seq;        /* hardened: next sequence number we send */
  uint64_t recv_seq;        /* hardened: the lowest sequence number we accept next
                                (one above the last accepted: no replay, no reordering) */
  uint64_t epoch;           /* number of rekeys so far */
} kl_kex_channel;

/* Key schedule (docs/protocol.md §Key schedule), HKDF-SHA256, RFC 5869:
 *   k_c2s_enc = HKDF(salt = session id, IKM = K, info = "kexlab/v1 c2s enc", L = 32)
 *   k_c2s_mac = ... info = "kexlab/v1 c2s mac";  k_s2c_enc, k_s2c_mac likewise.
 * Returns KL_OK, KL_ERR_ARG. Secrets: the derived byte keys are wiped. */
KL_NODISCARD kl_err kl_kex_derive_keys(uint8_t k_c2s_enc[32], uint8_t k_c2s_mac[32],
                                       uint8_t k_s2c_enc[32], uint8_t k_s2c_mac[32],
                                       const uint8_t session_id[KL_KEX_ID_BYTES],
                                       const uint8_t K[KL_KEX_KEY_BYTES]);

/* ---- identity (hardened) ---- */
/* fp = SHA-256(SubjectPublicKeyInfo DER of pub). Returns KL_OK, KL_ERR_ARG. */
KL_NODISCARD kl_err kl_kex_fingerprint(uint8_t fp[KL_KEX_FINGERPRINT_BYTES], const kl_rsa_pub *pub);
/* RSASSA-PSS-SIGN (SHA-256, MGF1-SHA-256, sLen = 32) over
 *   M = session id (16) || SPKI DER of the session public key.
 * Returns as kl_rsa_pss_sign. */
KL_NODISCARD kl_err kl_kex_identity_sign(const kl_rsa_priv *identity, const kl_rng *rng,
                                         uint8_t *sig, size_t *sig_len,
                                         const uint8_t session_id[KL_KEX_ID_BYTES],
                                         const uint8_t *spki, size_t spki_len);
/* Returns KL_OK or KL_ERR_VERIFY (also KL_ERR_ARG). */
KL_NODISCARD kl_err kl_kex_identity_verify(const kl_rsa_pub *identity,
                                           const uint8_t session_id[KL_KEX_ID_BYTES],
                                           const uint8_t *spki, size_t spki_len, const uint8_t *sig,
                                           size_t sig_len);

/* ---- what the server hands out at session creation ----
 * Server output of kl_kex_server_create; the client reads only session_id,
 * profile, n, e, signature and (optionally) identity_spki, and recomputes the
 * SPKI itself from (n, e). */
typedef struct kl_kex_offer {
  kl_kex_profile profile;
  uint8_t session_id[KL_KEX_ID_BYTES];
  char session_id_str[KL_KEX_ID_STRING_LEN + 1];
  uint8_t n[KL_KEX_MAX_MODULUS_BYTES]; /* modulus, big-endian, k bytes, no leading zero */
  size_t n_len;
  uint8_t e[KL_KEX_MAX_EXPONENT_BYTES]; /* exponent, big-endian, minimal (01 00 01) */
  size_t e_len;
  uint8_t spki[KL_KEX_MAX_SPKI_BYTES]; /* SPKI DER of the session public key */
  size_t spki_len;
  char pem[KL_KEX_MAX_PEM_BYTES];               /* its "PUBLIC KEY" PEM, NUL-terminated */
  uint8_t signature[KL_KEX_MAX_MODULUS_BYTES];  /* hardened: identity's PSS signature */
  size_t signature_len;                         /* 0 in the seed profile */
  uint8_t identity_spki[KL_KEX_MAX_SPKI_BYTES]; /* SPKI DER of the identity key */
  size_t identity_spki_len;                     /* 0 in the seed profile; client: may be 0 */
} kl_kex_offer;

/* ---- the server ---- */

/* Per-call view of the session given to the application handler. */
typedef struct kl_kex_app_call {
  const uint8_t *session_id; /* 16 bytes */
  kl_kex_profile profile;
  void **app_state; /* per-session slot for the application: NULL at
                                creation, kept until the session ends */
} kl_kex_app_call;

/* The application: receives each decrypted message, writes the reply.
 *  reply, reply_len [out] *reply_len: capacity in (the server's max_payload),
 *                         reply length out (0 allowed)
 * Runs under the session's lock: calls on one session are serialised. It must
 * not call back into the server for the same session. A non-KL_OK return is
 * passed to the transport unchanged (no reply frame; the request frame was
 * valid and its sequence number is used). NULL handler: echo. */
typedef kl_err kl_kex_handler_fn(void *user, const kl_kex_app_call *call, uint8_t *reply,
                                 size_t *reply_len, const uint8_t *msg, size_t msg_len);
/* Called once when a session ends (close, expiry, eviction, server clear),
 * with its app_state, so the application can wipe and free it. No server lock
 * is held. */
typedef void kl_kex_session_end_fn(void *user, const uint8_t session_id[KL_KEX_ID_BYTES],
                                   void *app_state);
/* Called (no lock held) after a session took a key from the pool, so that the
 * transport can wake its pool worker. */
typedef void kl_kex_pool_notify_fn(void *user);

typedef struct kl_kex_server_config {
  unsigned profiles;           /* KL_KEX_PROFILE_BIT(...) set; default both */
  unsigned key_bits;           /* hardened session keys; default 2048, >= 1024.
                                 The seed profile always uses 2048. */
  size_t pool_size;            /* pre-generated pairs per enabled profile; default 4; 0: none */
  size_t max_sessions;         /* cap; default 1024 */
  int evict_oldest_idle;       /* at the cap: 1 wipes the oldest idle session (default),
                                 0 refuses with KL_ERR_LIMIT */
  uint64_t idle_timeout_ms;    /* sessions idle longer are expired; default 300000; 0: never */
  size_t max_payload;          /* largest message payload each way; default 262144 */
  const kl_rng *rng;           /* required; must be thread-safe if used from several threads */
  const kl_rsa_priv *identity; /* required when hardened is enabled; caller keeps it alive */
  kl_kex_handler_fn *handler;  /* NULL: echo */
  void *handler_user;
  kl_kex_session_end_fn *on_session_end; /* optional */
  kl_kex_pool_notify_fn *pool_notify;    /* optional */
  void *notify_user;                     /* for on_session_end and pool_notify */
  const kl_tracer
    *tracer; /* demos only: "session_id", the server-side derived keys. Servers: NULL */
  kl_free_hook_fn *free_hook; /* tests only: sees every block the server frees
                                 (sessions, pooled key structs, plaintext buffers)
                                 after it was wiped, before free(); NULL: off */
  unsigned node;              /* 0..KL_KEX_MAX_NODE, default 0: written into every
                                 session id (kl_kex_id_new_node); an id with
                                 another node number is unknown here (NOT_FOUND) */
} kl_kex_server_config;

/* Fill cfg with the defaults above (rng, identity NULL). */
void kl_kex_server_config_default(kl_kex_server_config *cfg);

typedef enum kl_kex_session_state {
  KL_KEX_AWAIT_KEY = 0,   /* created: accepts exactly one set_key */
  KL_KEX_ESTABLISHED = 1, /* messages and rekeys */
  KL_KEX_CLOSED = 2       /* keys wiped; unlinked; freed with its last reference */
} kl_kex_session_state;

/* One session (server side). Allocated and owned by the server; visible for gdb. */
typedef struct kl_kex_session {
  uint8_t id[KL_KEX_ID_BYTES];
  kl_kex_profile profile;
  kl_kex_session_state state; /* under lock */
  kl_rsa_priv key;            /* the session's RSA pair (unwraps set_key and rekey) */
  kl_kex_channel ch;          /* under lock */
  void *app_state;            /* under lock */
  uint64_t messages;          /* frames accepted, under lock */
  pthread_mutex_t lock;
  /* under the server's table_lock: */
  uint64_t created_ms, last_used_ms;
  uint64_t requests;            /* transport requests counted (kl_kex_server_session_request) */
  unsigned refs;                /* table link counts as one */
  int linked;                   /* in the table (0 once closed, expired or evicted) */
  int est_counted;              /* counted in the "established" statistic */
  struct kl_kex_session *hnext; /* hash chain */
  struct kl_kex_session *lru_prev, *lru_next; /* least recently used first */
} kl_kex_session;

/* One pool entry: a pre-generated RSA pair and everything session creation
 * hands out for it, computed when the pool is filled (in the transport's
 * worker thread, off the request path): the pre-drawn session id and the
 * offer (n, e, SPKI, PEM and, hardened, the identity's PSS signature over
 * id || SPKI). Taking an entry costs no RSA private operation.
 *  - The id is drawn from the config's rng (never the worker's), like every
 *    id, and is checked against the session table when the entry is used
 *    (a duplicate means a broken generator: KL_ERR_RNG, entry discarded).
 *  - An entry that leaves the pool without becoming a session (server clear,
 *    a refused creation) has its key cleared and its bytes wiped before free. */
typedef struct kl_kex_pool_entry {
  kl_rsa_priv key;
  kl_kex_offer offer;
} kl_kex_pool_entry;

/* The pool of one profile: a stack of heap-allocated entries. */
typedef struct kl_kex_pool {
  kl_kex_pool_entry **entries;
  size_t count, size;
  unsigned bits;
} kl_kex_pool;

typedef struct kl_kex_server {
  kl_kex_server_config cfg;
  pthread_mutex_t table_lock;
  kl_kex_session **buckets;
  size_t nbuckets; /* power of two */
  kl_kex_session *lru_head, *lru_tail;
  size_t count; /* linked sessions */
  pthread_mutex_t pool_lock;
  kl_kex_pool pool[KL_KEX_PROFILE_COUNT];
  /* identity, computed once at init (hardened) */
  uint8_t identity_spki[KL_KEX_MAX_SPKI_BYTES];
  size_t identity_spki_len;
  uint8_t identity_fp[KL_KEX_FINGERPRINT_BYTES];
  /* statistics, under table_lock */
  size_t n_established;
  uint64_t n_created, n_closed, n_expired, n_evicted, n_rejected;
  uint64_t n_keygen_inline;
  uint64_t n_keygen_pool; /* under pool_lock */
} kl_kex_server;

/* Returns KL_OK, KL_ERR_ARG (no rng, no identity for hardened, key_bits out of
 * range, no profile), KL_ERR_NOMEM. On error srv needs no clear. */
KL_NODISCARD kl_err kl_kex_server_init(kl_kex_server *srv, const kl_kex_server_config *cfg);
/* Wipe and free every session (on_session_end for each) and every pooled key.
 * Call only when no other thread uses srv. */
void kl_kex_server_clear(kl_kex_server *srv);

/* Create a session: take a prepared entry from the pool (pair, id, offer
 * with its signature: no RSA private operation, no random draw), or, if the
 * pool is empty, make one now (key generation, id, signature; no lock
 * held); check the id against the table and link the session.
 *  offer [out]  everything POST /v1/sessions returns
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_UNSUPPORTED (profile not enabled),
 * KL_ERR_LIMIT (cap reached, nothing evictable), KL_ERR_NOMEM, KL_ERR_RNG
 * (also: the id is already in the table, i.e. the generator repeats itself;
 * the entry is wiped). */
KL_NODISCARD kl_err kl_kex_server_create(kl_kex_server *srv, kl_kex_profile profile,
                                         uint64_t now_ms, kl_kex_offer *offer);

/* The session's first key: C = RSA-OAEP(K) (seed: SHA-1, K the AES key;
 * hardened: SHA-256, K -> HKDF). Exactly once per session.
 * Returns KL_OK, KL_ERR_NOT_FOUND, KL_ERR_CONFLICT (already keyed),
 * KL_ERR_DECRYPT (OAEP failed or K not 32 bytes; the session still awaits its key),
 * KL_ERR_ARG. Secrets: K wiped. Timing: OAEP decoding is constant-time. */
KL_NODISCARD kl_err kl_kex_server_set_key(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                          uint64_t now_ms, const uint8_t *C, size_t C_len);

/* Bytes a reply buffer for kl_kex_server_message must hold:
 * kl_kex_frame_len(HARDENED, max_payload) (enough for both profiles). Also
 * the largest request frame accepted. */
size_t kl_kex_server_max_frame(const kl_kex_server *srv);

/* One message: open the frame, call the handler, seal its reply.
 *  out, out_len [out]  the reply frame; *out_len: capacity in (must be >=
 *                      kl_kex_server_max_frame, checked before anything else), length out
 * Returns KL_OK, KL_ERR_NOT_FOUND, KL_ERR_STATE (no key yet), KL_ERR_DECRYPT
 * (any bad frame; the session is unchanged), KL_ERR_LEN (a frame that opened
 * to a payload over max_payload: the handler is not called, the frame's
 * sequence number is not used up), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG,
 * or the handler's error. Secrets: after an error once the handler ran, the
 * first kl_kex_server_max_frame bytes of out are wiped (no reply plaintext). */
KL_NODISCARD kl_err kl_kex_server_message(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                          uint64_t now_ms, uint8_t *out, size_t *out_len,
                                          const uint8_t *frame, size_t frame_len);

/* Rekey: C' wraps new key material under the session's RSA key (as set_key).
 * Hardened: auth must be the KL_KEX_REKEY_AUTH_BYTES authenticator with a
 * new c2s sequence number; it is checked (constant time) before the RSA
 * work. The new keys apply to every frame after this call, both directions.
 * Seed: auth must be empty (auth_len 0); anyone who knows the id can rekey.
 * Returns KL_OK, KL_ERR_NOT_FOUND, KL_ERR_STATE (no key yet), KL_ERR_DECRYPT
 * (bad auth or OAEP; keys unchanged), KL_ERR_ARG. */
KL_NODISCARD kl_err kl_kex_server_rekey(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES],
                                        uint64_t now_ms, const uint8_t *C, size_t C_len,
                                        const uint8_t *auth, size_t auth_len);

/* ---- what a transport may ask about a session ----
 * Read under the table lock only (never the session's lock), so these calls
 * are cheap and never wait for a call in progress on the session (an OAEP
 * decryption or the application handler). */
typedef struct kl_kex_session_info {
  kl_kex_profile profile;
  kl_kex_session_state state; /* AWAIT_KEY or ESTABLISHED, as of the last completed
                                 call (a set_key in progress is not seen yet) */
  uint64_t requests;          /* counted by kl_kex_server_session_request */
  uint64_t created_ms, last_used_ms;
} kl_kex_session_info;

/* A session's profile, state and counters, without counting or touching it.
 * A session idle too long at now_ms is expired here (as every lookup does).
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_NOT_FOUND. */
KL_NODISCARD kl_err kl_kex_server_session_info(kl_kex_server *srv,
                                               const uint8_t id[KL_KEX_ID_BYTES], uint64_t now_ms,
                                               kl_kex_session_info *info);

/* Count one transport request against the session's budget, atomically with
 * the lookup: if max_requests is 0 or the session has used fewer, its count
 * goes up by one; then info (may be NULL) is filled, the count included.
 * The counter lives and dies with the session, so there is no table to keep
 * in step with on_session_end, and no window where a session exists but is
 * unknown to the transport.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_NOT_FOUND, KL_ERR_LIMIT (budget used up:
 * nothing counted; HTTP 429). */
KL_NODISCARD kl_err kl_kex_server_session_request(kl_kex_server *srv,
                                                  const uint8_t id[KL_KEX_ID_BYTES],
                                                  uint64_t now_ms, uint64_t max_requests,
                                                  kl_kex_session_info *info);

/* Close: unlink, wipe, free (once no call uses it).
 * Returns KL_OK, KL_ERR_NOT_FOUND. */
KL_NODISCARD kl_err kl_kex_server_close(kl_kex_server *srv, const uint8_t id[KL_KEX_ID_BYTES]);

/* Expire every session idle for more than idle_timeout_ms at now_ms. Lookups
 * and creation also expire lazily; call this from a timer to bound memory.
 * Returns the number of sessions expired. */
size_t kl_kex_server_expire(kl_kex_server *srv, uint64_t now_ms);

/* ---- the key pool ----
 * Make entries until every enabled profile's pool is full, or max_keys were
 * made (0: no limit): per entry one key generation, one id and (hardened)
 * one identity signature. For a worker thread: all of it runs with no lock
 * held.
 *  rng    [in]  the worker's generator for the primes (NULL: the config's);
 *               ids and PSS salts always come from the config's rng
 *  added  [out] may be NULL
 * Returns KL_OK (also when already full), KL_ERR_RNG, KL_ERR_NOMEM, keygen errors. */
KL_NODISCARD kl_err kl_kex_server_pool_fill(kl_kex_server *srv, const kl_rng *rng, size_t max_keys,
                                            size_t *added);
/* Keys the pools miss in total (0: full). */
size_t kl_kex_server_pool_need(kl_kex_server *srv);
/* Add a copy of an existing pair to a profile's pool (labs, tests, a
 * transport that loads keys), prepared like any entry (id drawn, offer
 * built and signed here, by the caller's thread). Returns KL_OK, KL_ERR_ARG
 * (wrong size for the profile), KL_ERR_LIMIT (pool full), KL_ERR_NOMEM,
 * KL_ERR_RNG and signing errors. */
KL_NODISCARD kl_err kl_kex_server_pool_add(kl_kex_server *srv, kl_kex_profile profile,
                                           const kl_rsa_priv *key);

/* Health and statistics (GET /v1/health). */
typedef struct kl_kex_server_stats {
  size_t sessions;                         /* linked sessions */
  size_t established;                      /* of which keyed */
  size_t pool_level[KL_KEX_PROFILE_COUNT]; /* pairs ready */
  size_t pool_size[KL_KEX_PROFILE_COUNT];  /* configured (0 for a disabled profile) */
  uint64_t created, closed, expired, evicted, rejected;
  uint64_t keygen_inline, keygen_pool; /* pairs made on demand / by pool_fill */
} kl_kex_server_stats;
void kl_kex_server_get_stats(kl_kex_server *srv, kl_kex_server_stats *st);

/* The identity's SPKI DER and fingerprint (GET /v1/identity). The PEM is
 * kl_rsa_pub_to_pem of the identity's public key. Returns KL_OK, KL_ERR_STATE
 * (no identity configured), KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_kex_server_identity(const kl_kex_server *srv, uint8_t *spki,
                                           size_t *spki_len, uint8_t fp[KL_KEX_FINGERPRINT_BYTES]);

/* ---- the client ---- */
typedef struct kl_kex_client_config {
  kl_kex_profile profile;
  /* Hardened: pin the server identity by one of these (checked in this order):
   *  identity        its public key, or
   *  pin             SHA-256 of its SPKI DER (then the offer must carry identity_spki). */
  const kl_rsa_pub *identity;
  uint8_t pin[KL_KEX_FINGERPRINT_BYTES];
  int has_pin;
  uint64_t rekey_after_messages; /* kl_kex_client_rekey_due after this many sent; 0: never */
  uint64_t rekey_after_bytes;    /* ... or this many payload bytes sent; 0: never */
  size_t max_payload;            /* default 262144 */
  const kl_tracer *tracer;       /* demos: traces "K", "C" (the wrapped key), then
                                    hardened "k_c2s_enc", "k_c2s_mac", "k_s2c_enc",
                                    "k_s2c_mac"; index = epoch (0, then 1 per rekey) */
} kl_kex_client_config;

void kl_kex_client_config_default(kl_kex_client_config *cfg);

typedef enum kl_kex_client_state {
  KL_KEX_CLIENT_NEW = 0,
  KL_KEX_CLIENT_READY = 1,    /* handshake made, keys set */
  KL_KEX_CLIENT_REKEYING = 2, /* rekey_begin done, awaiting commit/abort */
  KL_KEX_CLIENT_DEAD = 3      /* a failed step; start a new session */
} kl_kex_client_state;

typedef struct kl_kex_client {
  kl_kex_client_config cfg;
  kl_kex_client_state state;
  kl_rsa_pub server_key; /* the session's public key, from the offer */
  size_t k;              /* its length in octets */
  kl_kex_channel ch;
  kl_kex_channel pending;             /* REKEYING: the keys that apply after commit */
  uint64_t sent_messages, sent_bytes; /* since the last (re)key */
} kl_kex_client;

/* Returns KL_OK, KL_ERR_ARG (hardened without identity or pin). */
KL_NODISCARD kl_err kl_kex_client_init(kl_kex_client *cli, const kl_kex_client_config *cfg);
/* Wipe keys and free the GMP values. */
void kl_kex_client_clear(kl_kex_client *cli);

/* Check the offer (hardened: the pin and the identity signature over
 * id || SPKI(n, e)), make K, wrap it with RSA-OAEP under (n, e).
 *  C, C_len [out]  the wrapped key for POST .../key; *C_len: capacity in (>= k), k out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_STATE (not NEW), KL_ERR_KEY (bad n, e or
 * size), KL_ERR_VERIFY (pin or signature), KL_ERR_UNSUPPORTED (profile
 * mismatch), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG. Secrets: K wiped. */
KL_NODISCARD kl_err kl_kex_client_handshake(kl_kex_client *cli, const kl_rng *rng,
                                            const kl_kex_offer *offer, uint8_t *C, size_t *C_len);

/* Seal a payload into a frame (c2s). *out_len: capacity in (>=
 * kl_kex_frame_len(profile, len)), bytes out. Returns KL_OK, KL_ERR_ARG,
 * KL_ERR_STATE, KL_ERR_LEN (over max_payload), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG. */
KL_NODISCARD kl_err kl_kex_client_seal(kl_kex_client *cli, const kl_rng *rng, uint8_t *out,
                                       size_t *out_len, const uint8_t *payload, size_t len);
/* Open a reply frame (s2c).
 *  out, out_len [out] *out_len: capacity in, payload length out. The capacity
 *                     needed is the frame's ciphertext length (at most its
 *                     payload + 16); kl_kex_open_max(cfg.max_payload) holds
 *                     every frame this client accepts. Too small: KL_ERR_BUF_TOO_SMALL
 *                     with *out_len = the capacity needed, nothing changed
 *                     (the same frame can be opened again with a larger buffer).
 * Frames longer than kl_kex_frame_len(profile, cfg.max_payload) are KL_ERR_DECRYPT.
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_STATE, KL_ERR_DECRYPT (any bad frame;
 * state unchanged), KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_kex_client_open(kl_kex_client *cli, uint8_t *out, size_t *out_len,
                                       const uint8_t *frame, size_t frame_len);

/* 1 when the configured message or byte count since the last key is reached. */
int kl_kex_client_rekey_due(const kl_kex_client *cli);
/* Make K', wrap it (C'), and (hardened) the authenticator under the current
 * c2s MAC key with the next sequence number. Keys switch only at commit.
 *  C, C_len       [out] *C_len: capacity in (>= k), k out
 *  auth, auth_len [out] *auth_len: capacity in (>= KL_KEX_REKEY_AUTH_BYTES), 0 (seed) or 58 out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_STATE (not READY), KL_ERR_BUF_TOO_SMALL, KL_ERR_RNG. */
KL_NODISCARD kl_err kl_kex_client_rekey_begin(kl_kex_client *cli, const kl_rng *rng, uint8_t *C,
                                              size_t *C_len, uint8_t *auth, size_t *auth_len);
/* The server accepted the rekey: switch to the new keys. KL_ERR_STATE if not REKEYING. */
KL_NODISCARD kl_err kl_kex_client_rekey_commit(kl_kex_client *cli);
/* The server refused it: keep the old keys, wipe the pending ones. If the
 * outcome is unknown (a lost response), the session is unusable: make a new one. */
void kl_kex_client_rekey_abort(kl_kex_client *cli);

#ifdef __cplusplus
}
#endif
#endif
