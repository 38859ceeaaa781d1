/* app_notes.h: the notes application of `kexlab serve` (app_notes.c).
 *   "/note TEXT"   store TEXT (at most 16 notes of 1 KiB)  -> "noted N"
 *   "/notes"       the stored notes, one per line           -> "" if none
 *   "/forget"      wipe the notes                           -> "forgotten"
 *   anything else  echoed back
 * It shows how an application plugs into the server: serve_app_notes(&cfg.app). */
#ifndef KL_CLI_SERVE_APP_NOTES_H
#define KL_CLI_SERVE_APP_NOTES_H

#include "kexlab/http.h"

void serve_app_notes(kl_http_app *app);

#endif
