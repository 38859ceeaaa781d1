/* client.c: the client object. It checks the server's offer (hardened: the
 * pinned identity and its RSA-PSS signature over id || SPKI, identity.c),
 * makes K, wraps it with RSAES-OAEP-ENCRYPT (RFC 8017 §7.1.1) under the
 * session key, and then seals requests and opens replies (frame.c). Rekeying
 * is two-phase: begin makes C' (and the authenticator) without touching the
 * current keys; commit switches once the server said yes.
 * No I/O: the transport (src/http/client.c) or the demo moves the bytes.
 * Secrets: K and K' are wiped at once; the channel keys by _clear. */
#include <string.h>

#include "core/trace_internal.h"
#include "kexlab/ct.h"
#include "kexlab/keyfile.h"
#include "kex_internal.h"

void kl_kex_client_config_default(kl_kex_client_config *cfg)
{
  memset(cfg, 0, sizeof *cfg);
  cfg->profile = KL_KEX_PROFILE_HARDENED;
  cfg->identity = NULL;
  cfg->has_pin = 0;
  cfg->rekey_after_messages = 0;
  cfg->rekey_after_bytes = 0;
  cfg->max_payload = 262144;
  cfg->tracer = NULL;
}

kl_err kl_kex_client_init(kl_kex_client *cli, const kl_kex_client_config *cfg)
{
  if (cli == NULL || cfg == NULL)
    return KL_ERR_ARG;
  if (cfg->profile != KL_KEX_PROFILE_HARDENED && cfg->profile != KL_KEX_PROFILE_SEED)
    return KL_ERR_ARG;
  if (cfg->profile == KL_KEX_PROFILE_HARDENED && cfg->identity == NULL && !cfg->has_pin)
    return KL_ERR_ARG; /* an unpinned hardened client would accept any man in the middle */
  if (cfg->max_payload == 0)
    return KL_ERR_ARG;
  memset(cli, 0, sizeof *cli);
  cli->cfg = *cfg;
  cli->state = KL_KEX_CLIENT_NEW;
  kl_rsa_pub_init(&cli->server_key);
  cli->k = 0;
  cli->sent_messages = 0;
  cli->sent_bytes = 0;
  return KL_OK;
}

void kl_kex_client_clear(kl_kex_client *cli)
{
  if (cli == NULL)
    return;
  kli_kex_channel_clear(&cli->ch);
  kli_kex_channel_clear(&cli->pending);
  kl_rsa_pub_clear(&cli->server_key);
  kl_wipe(cli, sizeof *cli);
}

/* Hardened: is (n, e) of this offer signed by the server we pinned? */
static kl_err check_identity(const kl_kex_client *cli, const kl_kex_offer *offer,
                             const uint8_t *spki, size_t spki_len)
{
  kl_rsa_pub from_offer;
  const kl_rsa_pub *identity = cli->cfg.identity;
  kl_err err = KL_OK;

  kl_rsa_pub_init(&from_offer);
  if (identity == NULL) {
    /* Pinned by fingerprint: the offer carries the identity's SPKI; it must
     * hash to the pin before we believe anything it says. */
    uint8_t fp[KL_KEX_FINGERPRINT_BYTES];
    if (offer->identity_spki_len == 0 || offer->identity_spki_len > sizeof offer->identity_spki) {
      err = KL_ERR_VERIFY;
      goto out;
    }
    kl_sha256(fp, offer->identity_spki, offer->identity_spki_len);
    if (!kl_ct_memeq(fp, cli->cfg.pin, sizeof fp)) {
      err = KL_ERR_VERIFY;
      goto out;
    }
    err = kl_rsa_pub_from_spki_der(&from_offer, offer->identity_spki, offer->identity_spki_len);
    if (err != KL_OK) {
      err = KL_ERR_VERIFY;
      goto out;
    }
    identity = &from_offer;
  }
  err = kl_kex_identity_verify(identity, offer->session_id, spki, spki_len, offer->signature,
                               offer->signature_len);
out:
  kl_rsa_pub_clear(&from_offer);
  return err;
}

/* Make K, wrap it under the session key: C = RSAES-OAEP-ENCRYPT((n, e), K). */
static kl_err make_and_wrap(kl_kex_client *cli, const kl_rng *rng, uint8_t K[KL_KEX_KEY_BYTES],
                            uint8_t *C, size_t *C_len)
{
  kl_oaep_params params;
  int epoch = (int)(cli->ch.epoch + (cli->ch.keyed ? 1u : 0u));
  kl_err err = kl_rng_fill(rng, K, KL_KEX_KEY_BYTES);
  if (err != KL_OK)
    return err;
  KL_TRACE(cli->cfg.tracer, "K", epoch, K, KL_KEX_KEY_BYTES);
  kli_kex_oaep_params(&params, cli->cfg.profile);
  err = kl_rsa_oaep_encrypt(&cli->server_key, &params, rng, NULL, C, C_len, K, KL_KEX_KEY_BYTES);
  if (err == KL_OK)
    KL_TRACE(cli->cfg.tracer, "C", epoch, C, *C_len);
  return err;
}

kl_err kl_kex_client_handshake(kl_kex_client *cli, const kl_rng *rng, const kl_kex_offer *offer,
                               uint8_t *C, size_t *C_len)
{
  uint8_t K[KL_KEX_KEY_BYTES];
  uint8_t spki[KL_KEX_MAX_SPKI_BYTES];
  size_t spki_len = sizeof spki;
  kl_err err;

  if (cli == NULL || rng == NULL || offer == NULL || C == NULL || C_len == NULL)
    return KL_ERR_ARG;
  if (cli->state != KL_KEX_CLIENT_NEW)
    return KL_ERR_STATE;
  if (offer->profile != cli->cfg.profile)
    return KL_ERR_UNSUPPORTED;
  /* The session key from its two numbers. Below 1024 bits OAEP-SHA-256
   * cannot carry 32 bytes (k - 2hLen - 2 >= 32 needs k >= 98). */
  if (offer->n_len < KL_RSA_MIN_BITS / 8 || offer->n_len > sizeof offer->n || offer->e_len == 0 ||
      offer->e_len > sizeof offer->e || offer->n[0] == 0)
    return KL_ERR_KEY;
  kl_os2ip(cli->server_key.n, offer->n, offer->n_len);
  kl_os2ip(cli->server_key.e, offer->e, offer->e_len);
  if (mpz_even_p(cli->server_key.n) || mpz_cmp_ui(cli->server_key.e, 3) < 0 ||
      mpz_even_p(cli->server_key.e) || mpz_cmp(cli->server_key.e, cli->server_key.n) >= 0)
    return KL_ERR_KEY;
  cli->k = offer->n_len;
  if (*C_len < cli->k)
    return KL_ERR_BUF_TOO_SMALL;
  KL_TRACE(cli->cfg.tracer, "session_id", -1, offer->session_id, KL_KEX_ID_BYTES);

  if (cli->cfg.profile == KL_KEX_PROFILE_HARDENED) {
    /* The SPKI is recomputed from (n, e): the one the offer carries is not trusted. */
    err = kl_rsa_pub_to_spki_der(&cli->server_key, spki, &spki_len);
    if (err != KL_OK)
      goto out;
    err = check_identity(cli, offer, spki, spki_len);
    if (err != KL_OK)
      goto out;
  }
  kli_kex_channel_init(&cli->ch, cli->cfg.profile, KL_KEX_ROLE_CLIENT, offer->session_id);
  err = make_and_wrap(cli, rng, K, C, C_len);
  if (err != KL_OK)
    goto out;
  err = kli_kex_channel_set_key(&cli->ch, K, cli->cfg.tracer);
  if (err != KL_OK)
    goto out;
  cli->state = KL_KEX_CLIENT_READY;
out:
  kl_wipe(K, sizeof K);
  if (err != KL_OK && err != KL_ERR_BUF_TOO_SMALL)
    cli->state = KL_KEX_CLIENT_DEAD;
  return err;
}

kl_err kl_kex_client_seal(kl_kex_client *cli, const kl_rng *rng, uint8_t *out, size_t *out_len,
                          const uint8_t *payload, size_t len)
{
  if (cli == NULL || rng == NULL || out == NULL || out_len == NULL || (payload == NULL && len != 0))
    return KL_ERR_ARG;
  if (cli->state != KL_KEX_CLIENT_READY)
    return KL_ERR_STATE;
  if (len > cli->cfg.max_payload)
    return KL_ERR_LEN;
  kl_err err = kli_kex_channel_seal(&cli->ch, rng, out, out_len, payload, len);
  if (err == KL_OK) {
    cli->sent_messages++;
    cli->sent_bytes += len;
  }
  return err;
}

kl_err kl_kex_client_open(kl_kex_client *cli, uint8_t *out, size_t *out_len, const uint8_t *frame,
                          size_t frame_len)
{
  if (cli == NULL || out == NULL || out_len == NULL || frame == NULL)
    return KL_ERR_ARG;
  if (cli->state != KL_KEX_CLIENT_READY)
    return KL_ERR_STATE;
  /* Longer than any frame our limit allows: refused before any work (and
   * so kl_kex_open_max(max_payload) always suffices). */
  if (frame_len > kl_kex_frame_len(cli->cfg.profile, cli->cfg.max_payload))
    return KL_ERR_DECRYPT;
  kl_err err = kli_kex_channel_open(&cli->ch, out, out_len, frame, frame_len);
  if (err != KL_OK && err != KL_ERR_BUF_TOO_SMALL)
    err = KL_ERR_DECRYPT;
  return err;
}

int kl_kex_client_rekey_due(const kl_kex_client *cli)
{
  if (cli == NULL || cli->state != KL_KEX_CLIENT_READY)
    return 0;
  if (cli->cfg.rekey_after_messages != 0 && cli->sent_messages >= cli->cfg.rekey_after_messages)
    return 1;
  if (cli->cfg.rekey_after_bytes != 0 && cli->sent_bytes >= cli->cfg.rekey_after_bytes)
    return 1;
  return 0;
}

kl_err kl_kex_client_rekey_begin(kl_kex_client *cli, const kl_rng *rng, uint8_t *C, size_t *C_len,
                                 uint8_t *auth, size_t *auth_len)
{
  uint8_t K[KL_KEX_KEY_BYTES];
  kl_err err;

  if (cli == NULL || rng == NULL || C == NULL || C_len == NULL || auth_len == NULL ||
      (auth == NULL && *auth_len != 0))
    return KL_ERR_ARG;
  if (cli->state != KL_KEX_CLIENT_READY)
    return KL_ERR_STATE;
  if (*C_len < cli->k)
    return KL_ERR_BUF_TOO_SMALL;
  if (cli->cfg.profile == KL_KEX_PROFILE_HARDENED && *auth_len < KL_KEX_REKEY_AUTH_BYTES)
    return KL_ERR_BUF_TOO_SMALL;

  err = make_and_wrap(cli, rng, K, C, C_len);
  if (err != KL_OK)
    goto out;
  /* The pending channel: today's counters, tomorrow's keys. */
  kli_kex_channel_clear(&cli->pending);
  cli->pending = cli->ch;
  err = kli_kex_channel_set_key(&cli->pending, K, cli->cfg.tracer);
  if (err != KL_OK) {
    kli_kex_channel_clear(&cli->pending);
    goto out;
  }
  if (cli->cfg.profile == KL_KEX_PROFILE_HARDENED) {
    /* Authenticated under the CURRENT keys, with the next c2s number. */
    kli_kex_rekey_auth_make(&cli->ch, auth, C, *C_len);
    *auth_len = KL_KEX_REKEY_AUTH_BYTES;
  } else {
    *auth_len = 0;
  }
  cli->state = KL_KEX_CLIENT_REKEYING;
out:
  kl_wipe(K, sizeof K);
  return err;
}

kl_err kl_kex_client_rekey_commit(kl_kex_client *cli)
{
  if (cli == NULL)
    return KL_ERR_ARG;
  if (cli->state != KL_KEX_CLIENT_REKEYING)
    return KL_ERR_STATE;
  kli_kex_channel_clear(&cli->ch);
  cli->ch = cli->pending;
  kl_wipe(&cli->pending, sizeof cli->pending);
  /* The authenticator used one c2s number (the server advanced too). */
  if (cli->cfg.profile == KL_KEX_PROFILE_HARDENED)
    cli->ch.send_seq++;
  cli->sent_messages = 0;
  cli->sent_bytes = 0;
  cli->state = KL_KEX_CLIENT_READY;
  return KL_OK;
}

void kl_kex_client_rekey_abort(kl_kex_client *cli)
{
  if (cli == NULL || cli->state != KL_KEX_CLIENT_REKEYING)
    return;
  kli_kex_channel_clear(&cli->pending);
  cli->state = KL_KEX_CLIENT_READY;
}
