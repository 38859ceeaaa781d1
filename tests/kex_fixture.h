/* kex_fixture.h: the set-up shared by the key-exchange suites
 * (test_kex_frame.c, test_kex_server.c, test_kex_client.c, test_kex_pool.c).
 *  - Keys made once per suite, in the parent process (an unchecked fixture:
 *    keys_setup/keys_teardown): 1024-bit keys for the identity and the
 *    hardened sessions, 2048 for the seed profile (its size by definition).
 *    Servers get copies through kl_kex_server_pool_add, so no test waits on
 *    key generation.
 *  - A test world: one server and two seeded generators (server, clients),
 *    the handshake, one request and its echo, a rekey.
 *  - `one`: a world with one established session, for the rejection tests. */
#ifndef KL_KEX_FIXTURE_H
#define KL_KEX_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/drbg.h"
#include "kexlab/kex.h"
#include "kexlab/keyfile.h"
#include "test_util.h"

extern kl_rsa_priv identity_key;   /* 1024 bits */
extern kl_rsa_priv other_identity; /* 1024 bits: a man in the middle's */
extern kl_rsa_priv hard_key;       /* 1024 bits: hardened session pairs */
extern kl_rsa_priv seed_key;       /* 2048 bits: seed session pairs */
extern kl_rsa_pub identity_pub;

void keys_setup(void);
void keys_teardown(void);

/* A test world: one server, one seeded generator for it, one for clients. */
typedef struct world {
  kl_kex_server srv;
  kl_kex_server_config cfg;
  kl_hmac_drbg srv_d, cli_d;
  kl_rng srv_rng, cli_rng;
} world;

/* Buffers big enough for any frame of the test servers (max_payload 20000). */
enum {
  BUF = 20200
};

/* The default configuration: the fixture identity, 1024-bit session keys,
 * pools of `pool` entries, max_payload 20000. */
void world_config(world *w, size_t pool);
/* Start the server and put `per_profile` copies of the fixture keys in each pool. */
void world_start(world *w, size_t per_profile);
void world_stop(world *w);
/* A client of profile p pinned to the fixture identity, max_payload 20000. */
void client_init(kl_kex_client *cli, kl_kex_profile p);
/* Create a session and hand its key over; returns the offer's id in id. */
void handshake(world *w, kl_kex_client *cli, kl_kex_profile p, uint64_t now,
               uint8_t id[KL_KEX_ID_BYTES]);
/* One request and its reply; the echo application must return the payload. */
void exchange(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now,
              const uint8_t *msg, size_t len);
/* A rekey both sides agree on. */
void do_rekey(world *w, kl_kex_client *cli, const uint8_t id[KL_KEX_ID_BYTES], uint64_t now);

/* A hardened (or seed) world with one established session. */
typedef struct one {
  world w;
  kl_kex_client cli;
  uint8_t id[KL_KEX_ID_BYTES];
  uint8_t f[BUF], r[BUF], out[BUF];
  size_t fl, rl, ol;
} one;

one *one_start(kl_kex_profile p);
void one_stop(one *o);
/* Seal msg into o->f. */
void one_seal(one *o, const char *msg);
/* Send a frame to the session: kl_kex_server_message's result, reply in o->r. */
kl_err one_send(one *o, const uint8_t *frame, size_t len);
/* The session still works after a rejection: a fresh frame goes through. */
void still_works(one *o);

#endif
