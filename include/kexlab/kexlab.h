/* kexlab.h: the umbrella header. A lab harness or application includes this
 * one file (or only the headers of the ideas it uses). Every public name
 * starts with kl_ (functions, types) or KL_ (macros, enum values).
 * Call kl_init() once before anything that makes a GMP integer. */
#ifndef KEXLAB_H
#define KEXLAB_H

#include "kexlab/err.h"
#include "kexlab/init.h"
#include "kexlab/ct.h"
#include "kexlab/encoding.h"
#include "kexlab/der.h"
#include "kexlab/pem.h"
#include "kexlab/trace.h"
#include "kexlab/rng.h"
#include "kexlab/sha1.h"
#include "kexlab/sha256.h"
#include "kexlab/hash.h"
#include "kexlab/hmac.h"
#include "kexlab/hkdf.h"
#include "kexlab/drbg.h"
#include "kexlab/aes.h"
#include "kexlab/cbc.h"
#include "kexlab/numtheory.h"
#include "kexlab/rsa.h"
#include "kexlab/oaep.h"
#include "kexlab/pss.h"
#include "kexlab/pkcs1v15_crypt.h"
#include "kexlab/keyfile.h"
#include "kexlab/kex.h"

#endif
