/* lab_trace.h: the computations behind the lab endpoints of `kexlab serve
 * --lab` (docs/rest-api.md, "The lab endpoints"): each runs the library's
 * traced code on the inputs of one request body and writes the values and
 * the trace records of docs/json.md into a cli_json object already begun.
 * They see only what the request holds: no session, no identity key.
 * Secrets: the inputs are the page's own study values; the traces show them. */
#ifndef KL_SERVE_LAB_TRACE_H
#define KL_SERVE_LAB_TRACE_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"

/* Limits of the inputs (docs/rest-api.md). */
enum {
  LAB_AES_CBC_MAX = 4096,  /* bytes of CBC plaintext */
  LAB_SHA256_MAX = 1024,   /* bytes of a SHA-256 message (about 12000 records) */
  LAB_OAEP_MSG_MAX = 512,  /* bytes of an OAEP message or label */
  LAB_RSA_MAX_BITS = 4096, /* n; p and q each up to half of it, and generated keys */
  LAB_RSA_MIN_GEN_BITS = 512
};

/* A lab computation: reads `in`, writes into j. Returns 0, or -1 with a
 * one-sentence reason in why[0..why_cap) (a bad input: HTTP 400). */
typedef int lab_trace_fn(const json_t *in, cli_json *j, char *why, size_t why_cap);

lab_trace_fn lab_trace_aes;    /* {key, block, iv, cbc} all hex */
lab_trace_fn lab_trace_rsa;    /* {p, q, e, m} decimal, or {bits, e, m} */
lab_trace_fn lab_trace_oaep;   /* {p, q, e, hash, label, message, seed} hex */
lab_trace_fn lab_trace_sha256; /* {message} hex */

/* The computation named kind ("aes", "rsa", "oaep", "sha256"), or NULL. */
lab_trace_fn *lab_trace_find(const char *kind);

/* Run kind on in and write its whole answer to out: one JSON object on one
 * line, {"command": "lab-trace <kind>", "version", ...} (docs/json.md).
 * Returns 0; -1 for a bad input (nothing written, why[0..why_cap) says
 * what); -2 when writing or memory failed (why says so). */
int lab_trace_run(const char *kind, const json_t *in, FILE *out, char *why, size_t why_cap);

#endif
