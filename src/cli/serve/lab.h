/* lab.h: what `kexlab serve --lab` adds to the server (lab_http.c): the lab
 * page under /lab/ (web/lab/, installed to DATADIR/kexlab/lab) and the lab
 * endpoints /v1/lab/trace/{aes,rsa,oaep,sha256}, plugged in through the
 * server's extra-route hook (kl_http_extra). docs/lab-page.md, and
 * docs/rest-api.md "The lab endpoints". */
#ifndef KL_SERVE_LAB_H
#define KL_SERVE_LAB_H

#include "kexlab/http.h"

/* Where the page is: dir if given, else the source tree's web/lab when this
 * kexlab runs from its build directory, else the installed copy, else the
 * source tree it was built from. NULL when that directory has no index.html. */
const char *serve_lab_dir(const char *dir);

/* Set x to serve the page from web_dir (kept, not copied) and the lab
 * endpoints, with their own rate limit (per_minute, burst; 0: off) and at
 * most max_busy computations at once. Returns 0, or -1 when out of memory. */
int serve_lab_hook(kl_http_extra *x, const char *web_dir, double per_minute, unsigned burst,
                   unsigned max_busy);
/* Free what serve_lab_hook made (after the server stopped). */
void serve_lab_free(kl_http_extra *x);

/* 1 if host (numeric) is a loopback address: 127.0.0.0/8 or ::1. */
int serve_lab_is_loopback(const char *host);

#endif
