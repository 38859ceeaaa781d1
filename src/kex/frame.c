/* frame.c: the channel of one session: the key schedule (HKDF-SHA256, RFC 5869
 * §2.2-2.3), and sealing and opening frames in both profiles.
 *   seed:      IV(16) || AES-256-CBC(K, IV, PKCS7(payload))        SP 800-38A §6.2,
 *                                                                 RFC 5652 §6.3
 *   hardened:  ver(1) || type(1) || id(16) || seq(8) || IV(16) || C || tag(32)
 *              tag = HMAC-SHA256(mac key, ver .. C)   (encrypt-then-MAC, FIPS 198-1)
 * Timing: the tag is compared with kl_ct_memeq and every header check is folded
 * into one flag before the single rejection branch; nothing is decrypted before
 * the tag is good. AES itself is T-table (NOT constant-time; threat model).
 * Secrets: the derived keys are wiped; the keyed HMAC copy is wiped by final.
 * See docs/protocol.md for the layouts, include/kexlab/kex.h for the contract. */
#include <string.h>

#include "core/bytes.h"
#include "core/trace_internal.h"
#include "kexlab/cbc.h"
#include "kexlab/ct.h"
#include "kexlab/hkdf.h"
#include "kex_internal.h"

/* The four info strings of the key schedule (docs/protocol.md, "Key schedule"). */
static const char info_c2s_enc[] = "kexlab/v1 c2s enc";
static const char info_c2s_mac[] = "kexlab/v1 c2s mac";
static const char info_s2c_enc[] = "kexlab/v1 s2c enc";
static const char info_s2c_mac[] = "kexlab/v1 s2c mac";

void kli_kex_oaep_params(kl_oaep_params *params, kl_kex_profile p)
{
  kl_hash_alg h = (p == KL_KEX_PROFILE_SEED) ? KL_HASH_SHA1 : KL_HASH_SHA256;
  params->hash = h;
  params->mgf_hash = h;
  params->label = NULL;
  params->label_len = 0;
}

size_t kli_kex_payload_offset(kl_kex_profile p)
{
  if (p == KL_KEX_PROFILE_SEED)
    return KL_KEX_IV_BYTES;
  return KL_KEX_HEADER_BYTES + KL_KEX_IV_BYTES;
}

/* PKCS#7 always adds 1..16 bytes: a whole block when the length is a multiple of 16. */
static size_t padded_len(size_t len)
{
  return 16 * (len / 16 + 1);
}

size_t kl_kex_frame_len(kl_kex_profile p, size_t payload_len)
{
  size_t n = KL_KEX_IV_BYTES + padded_len(payload_len);
  if (p == KL_KEX_PROFILE_HARDENED)
    n += KL_KEX_HEADER_BYTES + KL_KEX_TAG_BYTES;
  return n;
}

size_t kl_kex_open_max(size_t max_payload)
{
  return padded_len(max_payload);
}

kl_err kl_kex_frame_parse(kl_kex_frame_view *v, kl_kex_profile p, const uint8_t *frame, size_t len)
{
  if (v == NULL || frame == NULL)
    return KL_ERR_ARG;
  memset(v, 0, sizeof *v);
  v->profile = p;
  if (p == KL_KEX_PROFILE_SEED) {
    /* IV || C with C a positive multiple of the block. */
    if (len < KL_KEX_IV_BYTES + 16 || (len - KL_KEX_IV_BYTES) % 16 != 0)
      return KL_ERR_DECRYPT;
    v->iv = frame;
    v->ciphertext = frame + KL_KEX_IV_BYTES;
    v->ciphertext_len = len - KL_KEX_IV_BYTES;
    return KL_OK;
  }
  if (p != KL_KEX_PROFILE_HARDENED)
    return KL_ERR_ARG;
  if (len < KL_KEX_MIN_FRAME_BYTES ||
      (len - KL_KEX_HEADER_BYTES - KL_KEX_IV_BYTES - KL_KEX_TAG_BYTES) % 16 != 0)
    return KL_ERR_DECRYPT;
  /*  0    1    2 .. 17   18 .. 25   26 .. 41   42 .. len-33   len-32 .. len-1
   * ver  type  id        seq (BE)   IV         C              tag            */
  v->version = frame[0];
  v->type = frame[1];
  v->session_id = frame + 2;
  v->seq = kli_load_be64(frame + 18);
  v->iv = frame + KL_KEX_HEADER_BYTES;
  v->ciphertext = frame + KL_KEX_HEADER_BYTES + KL_KEX_IV_BYTES;
  v->ciphertext_len = len - KL_KEX_HEADER_BYTES - KL_KEX_IV_BYTES - KL_KEX_TAG_BYTES;
  v->tag = frame + len - KL_KEX_TAG_BYTES;
  return KL_OK;
}

kl_err kl_kex_derive_keys(uint8_t k_c2s_enc[32], uint8_t k_c2s_mac[32], uint8_t k_s2c_enc[32],
                          uint8_t k_s2c_mac[32], const uint8_t session_id[KL_KEX_ID_BYTES],
                          const uint8_t K[KL_KEX_KEY_BYTES])
{
  uint8_t PRK[KL_SHA256_DIGEST_BYTES];
  kl_err err;

  if (k_c2s_enc == NULL || k_c2s_mac == NULL || k_s2c_enc == NULL || k_s2c_mac == NULL ||
      session_id == NULL || K == NULL)
    return KL_ERR_ARG;
  /* RFC 5869 §2.2: PRK = HMAC-SHA256(salt = session id, IKM = K), once. */
  err = kl_hkdf_extract(KL_HASH_SHA256, PRK, session_id, KL_KEX_ID_BYTES, K, KL_KEX_KEY_BYTES);
  if (err != KL_OK)
    goto out;
  /* §2.3: one expand per key, each with its own info string, L = 32. */
  err = kl_hkdf_expand(KL_HASH_SHA256, k_c2s_enc, 32, PRK, sizeof PRK,
                       (const uint8_t *)info_c2s_enc, sizeof info_c2s_enc - 1);
  if (err != KL_OK)
    goto out;
  err = kl_hkdf_expand(KL_HASH_SHA256, k_c2s_mac, 32, PRK, sizeof PRK,
                       (const uint8_t *)info_c2s_mac, sizeof info_c2s_mac - 1);
  if (err != KL_OK)
    goto out;
  err = kl_hkdf_expand(KL_HASH_SHA256, k_s2c_enc, 32, PRK, sizeof PRK,
                       (const uint8_t *)info_s2c_enc, sizeof info_s2c_enc - 1);
  if (err != KL_OK)
    goto out;
  err = kl_hkdf_expand(KL_HASH_SHA256, k_s2c_mac, 32, PRK, sizeof PRK,
                       (const uint8_t *)info_s2c_mac, sizeof info_s2c_mac - 1);
out:
  kl_wipe(PRK, sizeof PRK);
  if (err != KL_OK) {
    kl_wipe(k_c2s_enc, 32);
    kl_wipe(k_c2s_mac, 32);
    kl_wipe(k_s2c_enc, 32);
    kl_wipe(k_s2c_mac, 32);
  }
  return err;
}

void kli_kex_channel_init(kl_kex_channel *ch, kl_kex_profile p, kl_kex_role role,
                          const uint8_t session_id[KL_KEX_ID_BYTES])
{
  memset(ch, 0, sizeof *ch);
  ch->profile = p;
  ch->role = role;
  memcpy(ch->session_id, session_id, KL_KEX_ID_BYTES);
  ch->keyed = 0;
  ch->send_seq = 0;
  ch->recv_seq = 0;
  ch->epoch = 0;
}

void kli_kex_channel_clear(kl_kex_channel *ch)
{
  kl_aes_clear(&ch->seed_key);
  kl_aes_clear(&ch->c2s.enc);
  kl_aes_clear(&ch->s2c.enc);
  kl_hmac_clear(&ch->c2s.mac);
  kl_hmac_clear(&ch->s2c.mac);
  kl_wipe(&ch->c2s, sizeof ch->c2s);
  kl_wipe(&ch->s2c, sizeof ch->s2c);
  kl_wipe(&ch->seed_key, sizeof ch->seed_key);
  ch->keyed = 0;
}

kl_err kli_kex_channel_set_key(kl_kex_channel *ch, const uint8_t K[KL_KEX_KEY_BYTES],
                               const kl_tracer *tr)
{
  uint8_t ke_c2s[32], km_c2s[32], ke_s2c[32], km_s2c[32];
  kl_kex_channel next = *ch; /* built aside: ch changes only on success */
  kl_err err;

  if (ch->profile == KL_KEX_PROFILE_SEED) {
    /* The seed profile uses K itself as the AES-256 key, both directions. */
    err = kl_aes_init(&next.seed_key, KL_AES_IMPL_TTABLE, K, KL_KEX_KEY_BYTES);
    if (err != KL_OK)
      goto out;
  } else {
    err = kl_kex_derive_keys(ke_c2s, km_c2s, ke_s2c, km_s2c, ch->session_id, K);
    if (err != KL_OK)
      goto out;
    KL_TRACE(tr, "k_c2s_enc", (int)ch->epoch, ke_c2s, 32);
    KL_TRACE(tr, "k_c2s_mac", (int)ch->epoch, km_c2s, 32);
    KL_TRACE(tr, "k_s2c_enc", (int)ch->epoch, ke_s2c, 32);
    KL_TRACE(tr, "k_s2c_mac", (int)ch->epoch, km_s2c, 32);
    err = kl_aes_init(&next.c2s.enc, KL_AES_IMPL_TTABLE, ke_c2s, 32);
    if (err != KL_OK)
      goto out;
    err = kl_aes_init(&next.s2c.enc, KL_AES_IMPL_TTABLE, ke_s2c, 32);
    if (err != KL_OK)
      goto out;
    /* The HMAC contexts are keyed once here (both key blocks absorbed) and
     * copied for each frame: two compression calls saved per frame. */
    err = kl_hmac_init(&next.c2s.mac, KL_HASH_SHA256, km_c2s, 32);
    if (err != KL_OK)
      goto out;
    err = kl_hmac_init(&next.s2c.mac, KL_HASH_SHA256, km_s2c, 32);
    if (err != KL_OK)
      goto out;
  }
  if (ch->keyed)
    next.epoch = ch->epoch + 1;
  next.keyed = 1;
  kli_kex_channel_clear(ch);
  *ch = next;
out:
  kl_wipe(&next, sizeof next); /* on success a copy now lives in *ch */
  kl_wipe(ke_c2s, sizeof ke_c2s);
  kl_wipe(km_c2s, sizeof km_c2s);
  kl_wipe(ke_s2c, sizeof ke_s2c);
  kl_wipe(km_s2c, sizeof km_s2c);
  return err;
}

/* The keys this side sends with and receives with. */
static const kl_kex_dir_keys *send_keys(const kl_kex_channel *ch)
{
  return ch->role == KL_KEX_ROLE_CLIENT ? &ch->c2s : &ch->s2c;
}

static const kl_kex_dir_keys *recv_keys(const kl_kex_channel *ch)
{
  return ch->role == KL_KEX_ROLE_CLIENT ? &ch->s2c : &ch->c2s;
}

static uint8_t send_type(const kl_kex_channel *ch)
{
  return ch->role == KL_KEX_ROLE_CLIENT ? KL_KEX_TYPE_DATA_C2S : KL_KEX_TYPE_DATA_S2C;
}

static uint8_t recv_type(const kl_kex_channel *ch)
{
  return ch->role == KL_KEX_ROLE_CLIENT ? KL_KEX_TYPE_DATA_S2C : KL_KEX_TYPE_DATA_C2S;
}

/* ver || type || id || seq into h[0..26). */
static void write_header(uint8_t h[KL_KEX_HEADER_BYTES], uint8_t type,
                         const uint8_t id[KL_KEX_ID_BYTES], uint64_t seq)
{
  h[0] = KL_KEX_VERSION;
  h[1] = type;
  memcpy(h + 2, id, KL_KEX_ID_BYTES);
  kli_store_be64(h + 18, seq);
}

/* tag = HMAC-SHA256(mac key, data) with the pre-keyed context. */
static void mac(const kl_kex_dir_keys *k, uint8_t tag[KL_KEX_TAG_BYTES], const uint8_t *a,
                size_t a_len, const uint8_t *b, size_t b_len)
{
  kl_hmac_ctx h = k->mac; /* a copy: the keyed state stays for the next frame */
  kl_hmac_update(&h, a, a_len);
  kl_hmac_update(&h, b, b_len);
  kl_hmac_final(&h, tag); /* wipes h */
}

kl_err kli_kex_channel_seal_at(kl_kex_channel *ch, const kl_rng *rng, uint8_t *out, size_t out_cap,
                               size_t *out_len, size_t payload_len)
{
  if (ch == NULL || rng == NULL || out == NULL || out_len == NULL)
    return KL_ERR_ARG;
  if (!ch->keyed)
    return KL_ERR_STATE;
  size_t frame_len = kl_kex_frame_len(ch->profile, payload_len);
  if (out_cap < frame_len)
    return KL_ERR_BUF_TOO_SMALL;
  if (ch->profile == KL_KEX_PROFILE_HARDENED && ch->send_seq == UINT64_MAX)
    return KL_ERR_LIMIT; /* never reached in practice: rekeying does not reset seq */

  size_t off = kli_kex_payload_offset(ch->profile);
  uint8_t *iv = out + off - KL_KEX_IV_BYTES;
  uint8_t *P = out + off;
  size_t Plen = padded_len(payload_len);

  /* RFC 5652 §6.3: append Plen - payload_len bytes, each of that value (1..16). */
  uint8_t pad = (uint8_t)(Plen - payload_len);
  memset(P + payload_len, pad, pad);
  /* SP 800-38A §6.2 needs an unpredictable IV per message (App. C). */
  kl_err err = kl_rng_fill(rng, iv, KL_KEX_IV_BYTES);
  if (err != KL_OK)
    return err;
  err = kl_cbc_encrypt(ch->profile == KL_KEX_PROFILE_SEED ? &ch->seed_key : &send_keys(ch)->enc, iv,
                       P, P, Plen);
  if (err != KL_OK)
    return err;
  if (ch->profile == KL_KEX_PROFILE_HARDENED) {
    /* Encrypt-then-MAC: the tag covers header, IV and ciphertext. */
    write_header(out, send_type(ch), ch->session_id, ch->send_seq);
    size_t covered = KL_KEX_HEADER_BYTES + KL_KEX_IV_BYTES + Plen;
    mac(send_keys(ch), out + covered, out, covered, NULL, 0);
    ch->send_seq++;
  }
  *out_len = frame_len;
  return KL_OK;
}

kl_err kli_kex_channel_seal(kl_kex_channel *ch, const kl_rng *rng, uint8_t *out, size_t *out_len,
                            const uint8_t *payload, size_t payload_len)
{
  if (ch == NULL || out == NULL || out_len == NULL || (payload == NULL && payload_len != 0))
    return KL_ERR_ARG;
  if (*out_len < kl_kex_frame_len(ch->profile, payload_len))
    return KL_ERR_BUF_TOO_SMALL;
  if (payload_len > 0)
    memmove(out + kli_kex_payload_offset(ch->profile), payload, payload_len);
  return kli_kex_channel_seal_at(ch, rng, out, *out_len, out_len, payload_len);
}

kl_err kli_kex_channel_open(kl_kex_channel *ch, uint8_t *out, size_t *out_len, const uint8_t *frame,
                            size_t len)
{
  kl_kex_frame_view v;
  uint8_t tag[KL_KEX_TAG_BYTES];
  kl_err err;

  if (ch == NULL || out == NULL || out_len == NULL || frame == NULL)
    return KL_ERR_ARG;
  if (!ch->keyed)
    return KL_ERR_STATE;
  /* Bad length: the one error. */
  if (kl_kex_frame_parse(&v, ch->profile, frame, len) != KL_OK)
    return KL_ERR_DECRYPT;
  /* The plaintext is at most the ciphertext (the padding goes): that much
   * room is needed. A public length, checked before any cryptography. */
  if (*out_len < v.ciphertext_len) {
    *out_len = v.ciphertext_len;
    return KL_ERR_BUF_TOO_SMALL;
  }

  if (ch->profile == KL_KEX_PROFILE_SEED) {
    /* No MAC, nothing to check but the padding: whatever decrypts to valid
     * PKCS#7 is accepted. That is the seed profile's weakness (threat model). */
    return kl_cbc_open(&ch->seed_key, out, out_len, frame, len);
  }

  /* 1. The tag, over everything before it, in constant time. */
  const kl_kex_dir_keys *k = recv_keys(ch);
  mac(k, tag, frame, len - KL_KEX_TAG_BYTES, NULL, 0);
  unsigned ok = (unsigned)kl_ct_memeq(tag, v.tag, KL_KEX_TAG_BYTES);
  /* 2. The header: version, direction (type), session, and a sequence
   * number above every one accepted so far (a replay repeats one, a
   * reordering comes after a higher one; a gap, a frame lost or rejected on
   * the way, is allowed so that one bad request does not kill the session).
   * These are public values; folding them into one flag keeps one
   * rejection path. UINT64_MAX is never valid (recv_seq would wrap). */
  ok &= (unsigned)(v.version == KL_KEX_VERSION);
  ok &= (unsigned)(v.type == recv_type(ch));
  ok &= (unsigned)kl_ct_memeq(v.session_id, ch->session_id, KL_KEX_ID_BYTES);
  ok &= (unsigned)(v.seq >= ch->recv_seq);
  ok &= (unsigned)(v.seq != UINT64_MAX);
  kl_wipe(tag, sizeof tag);
  if (!ok)
    return KL_ERR_DECRYPT;
  /* 3. Only now decrypt (IV || C is exactly kl_cbc_open's input). A padding
   * error here means the authenticated sender is broken: the same error. */
  err = kl_cbc_open(&k->enc, out, out_len, v.iv, KL_KEX_IV_BYTES + v.ciphertext_len);
  if (err != KL_OK)
    return err == KL_ERR_BUF_TOO_SMALL ? err : KL_ERR_DECRYPT;
  ch->recv_seq = v.seq + 1;
  return KL_OK;
}

void kli_kex_rekey_auth_make(const kl_kex_channel *ch, uint8_t auth[KL_KEX_REKEY_AUTH_BYTES],
                             const uint8_t *C, size_t C_len)
{
  /* ver || REKEY || id || seq || tag, tag = HMAC(k_c2s_mac, ver .. seq || C'). */
  write_header(auth, KL_KEX_TYPE_REKEY, ch->session_id, ch->send_seq);
  mac(&ch->c2s, auth + KL_KEX_HEADER_BYTES, auth, KL_KEX_HEADER_BYTES, C, C_len);
}

kl_err kli_kex_rekey_auth_check(const kl_kex_channel *ch, const uint8_t *auth, size_t auth_len,
                                const uint8_t *C, size_t C_len, uint64_t *seq)
{
  uint8_t want[KL_KEX_REKEY_AUTH_BYTES];
  unsigned ok;

  if (auth == NULL || auth_len != KL_KEX_REKEY_AUTH_BYTES || !ch->keyed)
    return KL_ERR_DECRYPT;
  /* Rebuild the authenticator we expect (our id, the sequence number it
   * claims) and compare all 58 bytes at once: header and tag in one
   * constant-time check; then the number must be new, as for data frames. */
  *seq = kli_load_be64(auth + 18);
  write_header(want, KL_KEX_TYPE_REKEY, ch->session_id, *seq);
  mac(&ch->c2s, want + KL_KEX_HEADER_BYTES, want, KL_KEX_HEADER_BYTES, C, C_len);
  ok = (unsigned)kl_ct_memeq(want, auth, KL_KEX_REKEY_AUTH_BYTES);
  ok &= (unsigned)(*seq >= ch->recv_seq);
  ok &= (unsigned)(*seq != UINT64_MAX);
  kl_wipe(want, sizeof want);
  return ok ? KL_OK : KL_ERR_DECRYPT;
}
