/* vec_pkcs1.h: the reader of the PKCS#1 vector files of the RSA Laboratories
 * test suite (oaep-vect.txt, pss-vect.txt, oaep-int.txt, pss-int.txt,
 * pkcs1v15sign-vectors.txt) and pyca's oaep-custom/ files, which the Check
 * suites also use to load a standard key. Their shape is not CAVP's:
 *   # Label:            a comment line names the value on the lines below it
 *   a8 b3 b2 84 ...     hex, spaced or not, over one or more lines
 *   (blank line)        ends the value
 *   # OAEP Example 1.1  a comment line with no value under it is a heading
 * The run handler is vec_pkcs1_run (vecfile.h). */
#ifndef KL_CLI_VEC_PKCS1_H
#define KL_CLI_VEC_PKCS1_H

#include <stddef.h>
#include <stdint.h>

#include "kexlab/rsa.h"

/* Load the index-th key (from 1) of a PKCS#1 vector file (the "Private key"
 * section: n e d p q dP dQ qInv). key must be initialised.
 * Returns 0, or -1 if the file cannot be read or has fewer keys. */
int vec_pkcs1_load_key(const char *path, unsigned index, kl_rsa_priv *key);

#endif
