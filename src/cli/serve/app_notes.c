/* app_notes.c: the application `kexlab serve` runs behind /messages. It echoes, and it
 * keeps a tiny note store per session so that a client can store sensitive
 * text and read it back (the reason to encrypt at all):
 *   "/note TEXT"  -> "noted N"        "/notes" -> every note, one per line
 *   "/forget"     -> "forgotten"      anything else -> the same bytes back
 * It is also the example of a pluggable application (kl_http_app): a
 * kl_kex_handler_fn plus a session-end hook that wipes the per-session state.
 * Runs under the session's lock (kex.h), so the store needs no lock of its own.
 * Secrets: notes are plaintext: wiped when forgotten and when the session ends. */
#include <stdlib.h>
#include <string.h>

#include "kexlab/ct.h"
#include "app_notes.h"

#define NOTES_MAX 16
#define NOTE_MAX_BYTES 1024

typedef struct note_store {
  size_t count;
  size_t len[NOTES_MAX];
  uint8_t text[NOTES_MAX][NOTE_MAX_BYTES];
} note_store;

static int starts_with(const uint8_t *msg, size_t len, const char *word)
{
  size_t n = strlen(word);
  return len >= n && memcmp(msg, word, n) == 0;
}

static kl_err put(uint8_t *reply, size_t *reply_len, const void *data, size_t n)
{
  if (n > *reply_len)
    return KL_ERR_BUF_TOO_SMALL;
  if (n > 0)
    memcpy(reply, data, n);
  *reply_len = n;
  return KL_OK;
}

static kl_err notes_handler(void *user, const kl_kex_app_call *call, uint8_t *reply,
                            size_t *reply_len, const uint8_t *msg, size_t msg_len)
{
  (void)user;
  note_store *st = *call->app_state;

  if (starts_with(msg, msg_len, "/note ")) {
    if (st == NULL) {
      st = calloc(1, sizeof *st);
      if (st == NULL)
        return KL_ERR_NOMEM;
      *call->app_state = st;
    }
    size_t n = msg_len - 6;
    if (st->count == NOTES_MAX || n > NOTE_MAX_BYTES)
      return put(reply, reply_len, "note store full", 15);
    memcpy(st->text[st->count], msg + 6, n);
    st->len[st->count] = n;
    st->count++;
    char text[32];
    int k = snprintf(text, sizeof text, "noted %zu", st->count);
    return put(reply, reply_len, text, (size_t)k);
  }
  if (msg_len == 6 && memcmp(msg, "/notes", 6) == 0) {
    size_t o = 0;
    for (size_t i = 0; st != NULL && i < st->count; i++) {
      if (o + st->len[i] + 1 > *reply_len)
        return KL_ERR_BUF_TOO_SMALL;
      memcpy(reply + o, st->text[i], st->len[i]);
      o += st->len[i];
      reply[o++] = '\n';
    }
    *reply_len = o;
    return KL_OK;
  }
  if (msg_len == 7 && memcmp(msg, "/forget", 7) == 0) {
    if (st != NULL)
      kl_wipe(st, sizeof *st);
    return put(reply, reply_len, "forgotten", 9);
  }
  /* Echo. */
  return put(reply, reply_len, msg, msg_len);
}

static void notes_end(void *user, const uint8_t session_id[KL_KEX_ID_BYTES], void *app_state)
{
  (void)user;
  (void)session_id;
  if (app_state != NULL) {
    kl_wipe(app_state, sizeof(note_store));
    free(app_state);
  }
}

void serve_app_notes(kl_http_app *app)
{
  app->handler = notes_handler;
  app->on_session_end = notes_end;
  app->user = NULL;
}
