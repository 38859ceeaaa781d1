/* keyfile.h: RSA key encodings: PKCS#1 and PKCS#8 private keys,
 * SubjectPublicKeyInfo and PKCS#1 public keys (DER, and PEM per RFC 7468),
 * and the .NET RSAParameters forms (ToXmlString XML, JSON).
 * The key-file layer declares the full set of readers and writers below
 * these; the SubjectPublicKeyInfo functions are what the protocol uses to
 * send a session key and to fingerprint the server's identity. */
#ifndef KEXLAB_KEYFILE_H
#define KEXLAB_KEYFILE_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "hash.h"
#include "rng.h"
#include "rsa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SubjectPublicKeyInfo DER (RFC 5280 §4.1, RFC 8017 App. A.1.1).
 *  out, out_len [out]  *out_len: capacity in, bytes written out
 * Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_rsa_pub_to_spki_der(const kl_rsa_pub *pub, uint8_t *out, size_t *out_len);
/* Strict DER parse. Returns KL_OK, KL_ERR_ARG, KL_ERR_ENCODING, KL_ERR_KEY. */
KL_NODISCARD kl_err kl_rsa_pub_from_spki_der(kl_rsa_pub *pub, const uint8_t *der, size_t len);
/* "-----BEGIN PUBLIC KEY-----" PEM of the SPKI, NUL-terminated, 64-column
 * lines, LF line ends. Returns KL_OK, KL_ERR_ARG, KL_ERR_BUF_TOO_SMALL. */
KL_NODISCARD kl_err kl_rsa_pub_to_pem(const kl_rsa_pub *pub, char *out, size_t *out_len);

/* ---- Every format: one reader, one writer ------------------------------
 *
 * The formats (docs/keyfiles.md draws each structure):
 *   PKCS#1 RSAPrivateKey   RFC 8017 App. A.1.2     PEM "RSA PRIVATE KEY"
 *   PKCS#8 PrivateKeyInfo  RFC 5208 §5, RFC 5958   PEM "PRIVATE KEY" (unencrypted)
 *   SubjectPublicKeyInfo   RFC 5280 §4.1.2.7       PEM "PUBLIC KEY"
 *   PKCS#1 RSAPublicKey    RFC 8017 App. A.1.1     PEM "RSA PUBLIC KEY"
 *   .NET RSAParameters     RSA.ToXmlString XML, and JSON with the same names
 * The ASN.1 forms come as DER or as PEM (RFC 7468). */
typedef enum kl_key_format {
  KL_KEY_FORMAT_UNKNOWN = 0,
  KL_KEY_PKCS1_PRIV_PEM, /* "RSA PRIVATE KEY" (what `openssl genrsa -traditional` writes) */
  KL_KEY_PKCS1_PRIV_DER,
  KL_KEY_PKCS8_PEM, /* "PRIVATE KEY" (what openssl 3 writes by default) */
  KL_KEY_PKCS8_DER,
  KL_KEY_SPKI_PEM, /* "PUBLIC KEY" (openssl -pubout) */
  KL_KEY_SPKI_DER,
  KL_KEY_PKCS1_PUB_PEM, /* "RSA PUBLIC KEY" */
  KL_KEY_PKCS1_PUB_DER,
  KL_KEY_DOTNET_XML,  /* <RSAKeyValue><Modulus>...</RSAKeyValue> */
  KL_KEY_DOTNET_JSON, /* {"Modulus": "...", ...} */
  KL_KEY_FORMAT_COUNT
} kl_key_format;

/* Short stable name: "pkcs1-pem", "pkcs1-der", "pkcs8-pem", "pkcs8-der",
 * "spki-pem", "spki-der", "pkcs1-pub-pem", "pkcs1-pub-der", "dotnet-xml",
 * "dotnet-json"; "unknown" otherwise. */
const char *kl_key_format_name(kl_key_format fmt);
/* What a format can hold: 1 private keys only (PKCS#1 RSAPrivateKey, PKCS#8),
 * 0 public keys only (SPKI, RSAPublicKey), 2 either (.NET). -1 if unknown. */
int kl_key_format_holds_private(kl_key_format fmt);
/* 1 for the text formats (PEM, XML, JSON), 0 for DER. */
int kl_key_format_is_text(kl_key_format fmt);

/* Any key file kexlab writes, for keys up to KL_RSA_MAX_BITS, fits this many
 * octets (the 8192-bit PKCS#8 PEM is about 6.4 KB). */
#define KL_KEYFILE_MAX_BYTES 16384

/* A key restricted to RSASSA-PSS: its algorithm identifier in an SPKI or a
 * PKCS#8 file is id-RSASSA-PSS (1.2.840.113549.1.1.10, RFC 8017 App. A.2.3,
 * RFC 4055 §3.1) instead of rsaEncryption, optionally with
 *   RSASSA-PSS-params ::= SEQUENCE {
 *     hashAlgorithm    [0] HashAlgorithm    DEFAULT sha1,
 *     maskGenAlgorithm [1] MaskGenAlgorithm DEFAULT mgf1SHA1,
 *     saltLength       [2] INTEGER          DEFAULT 20,
 *     trailerField     [3] TrailerField     DEFAULT trailerFieldBC (1) }
 * The parameters constrain every signature made or checked with the key:
 * exactly this hash and MGF1 hash, a salt of at least saltLength octets
 * (RFC 4055 §3.3). Without parameters the key is for RSASSA-PSS with any
 * hash. A key so restricted is never used for encryption. */
typedef struct kl_pss_key_params {
  int restricted;        /* 1: id-RSASSA-PSS; 0: an ordinary rsaEncryption key */
  int has_params;        /* 1: RSASSA-PSS-params present (the fields below apply) */
  kl_hash_alg hash;      /* hashAlgorithm */
  kl_hash_alg mgf_hash;  /* maskGenAlgorithm: MGF1 with this hash (the only MGF) */
  size_t sLen;           /* saltLength: the shortest salt allowed, in octets */
  unsigned long trailer; /* trailerField: 1 (0xbc), the only one RFC 8017 defines */
} kl_pss_key_params;

/* A key as read from a file. Fields read-only for callers. */
typedef struct kl_rsa_keyfile {
  kl_key_format format;       /* the format that was detected */
  int has_private;            /* 1: priv holds the eight values; 0: public key only */
  kl_rsa_pub pub;             /* (n, e): always set after a successful read */
  kl_rsa_priv priv;           /* set when has_private */
  kl_rsa_check_report report; /* validation of priv (when has_private) */
  char detail[160];           /* why reading failed, one sentence; "" after KL_OK */
  kl_pss_key_params pss;      /* SPKI and PKCS#8: restricted to RSASSA-PSS? (all 0 if not) */
} kl_rsa_keyfile;

void kl_rsa_keyfile_init(kl_rsa_keyfile *kf);
/* Wipes the private values (kl_rsa_priv_clear) and the public ones. */
void kl_rsa_keyfile_clear(kl_rsa_keyfile *kf);

/* Read a key in any format above, detected from the bytes: a UTF-8 BOM and
 * leading whitespace are skipped; then '<' is XML, '{' is JSON, a
 * "-----BEGIN " line is PEM (the label names the structure), and otherwise
 * the DER's shape says which structure it is. The encodings are strict
 * (der.h, pem.h; XML and JSON: exactly the flat shapes .NET writes, with
 * whitespace between elements, in any order, values padded or not).
 * A private key is then checked for use with kl_rsa_priv_check_load (rsa.h:
 * sizes, n = the product of the primes, e*d, the CRT values and one test
 * private operation; no primality tests: kl_rsa_keyfile_read_audit runs
 * those); a public key must have n odd, 3 <= e < n and e odd.
 *  kf   [out] initialised by the caller (kl_rsa_keyfile_init); reading again
 *             replaces its contents
 *  rng  [in]  for the test operation of the validation; may be NULL only
 *             when in holds a public key
 * Returns KL_OK;
 *   KL_ERR_ENCODING     malformed PEM/DER/XML/JSON, or not a key file;
 *   KL_ERR_UNSUPPORTED  encrypted PKCS#8, another algorithm (EC, DSA),
 *                       RSASSA-PSS parameters kexlab cannot honour (an
 *                       unknown hash or mask generation function, a
 *                       trailerField other than 1), keys of more than
 *                       KL_RSA_MAX_PRIMES primes;
 * An id-RSASSA-PSS key (SPKI or PKCS#8) is read with its parameters into
 * kf->pss (kl_pss_key_params above).
 *   KL_ERR_KEY_LEN      a modulus over KL_RSA_MAX_BITS;
 *   KL_ERR_KEY          inconsistent values (kf->detail names the failed check;
 *                       for a private key kf->priv and kf->report stay filled so
 *                       that an audit can show them: never use such a key);
 *   KL_ERR_ARG, KL_ERR_RNG.
 * kf->detail says, in one sentence, what was wrong.
 * Secrets: every decoded buffer is wiped. Timing: NOT constant-time (parsing
 * and validation branch on the key; key files are loaded once). */
KL_NODISCARD kl_err kl_rsa_keyfile_read(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len,
                                        const kl_rng *rng);
/* As kl_rsa_keyfile_read, validating a private key with the thorough
 * kl_rsa_priv_check (Miller-Rabin on every prime, rng for the bases): the
 * audit of `kexlab rsa check`. */
KL_NODISCARD kl_err kl_rsa_keyfile_read_audit(kl_rsa_keyfile *kf, const uint8_t *in, size_t in_len,
                                              const kl_rng *rng);

/* Write a private key in any format. A public-only format (SPKI,
 * RSAPublicKey) writes the key's public half; .NET forms write all eight
 * values (n and d at the modulus length k, P Q DP DQ InverseQ at (k+1)/2
 * octets, leading zeros kept: what .NET's ExportParameters gives).
 *  out, out_len [out]  *out_len: capacity in, octets written out. Text
 *                      formats end with '\n' and are NOT NUL-terminated. On
 *                      KL_ERR_BUF_TOO_SMALL, *out_len is the size needed (out
 *                      may be NULL with *out_len == 0 to ask for it).
 * A multi-prime key (key->n_other > 0) is written as RSAPrivateKey version 1
 * with its otherPrimeInfos (RFC 8017 §3.2, App. A.1.2), also inside PKCS#8.
 * Returns KL_OK, KL_ERR_ARG (unknown format; a negative value in key),
 * KL_ERR_KEY_LEN (n over KL_RSA_MAX_BITS), KL_ERR_BUF_TOO_SMALL,
 * KL_ERR_UNSUPPORTED (a multi-prime key in a .NET form, which has no place
 * for a third prime).
 * Secrets: out holds the private key: the caller wipes it; scratch is wiped.
 * Timing: NOT constant-time (the encodings' lengths follow the values; keys
 * are written once, not in a loop an attacker can time). */
KL_NODISCARD kl_err kl_rsa_priv_write(const kl_rsa_priv *key, kl_key_format fmt, uint8_t *out,
                                      size_t *out_len);
/* Write a public key. Private-only formats (PKCS#1 RSAPrivateKey, PKCS#8)
 * give KL_ERR_ARG; .NET forms carry Modulus and Exponent only. */
KL_NODISCARD kl_err kl_rsa_pub_write(const kl_rsa_pub *pub, kl_key_format fmt, uint8_t *out,
                                     size_t *out_len);

/* ---- Keys restricted to RSASSA-PSS (pss_params.c) ---- */

/* RFC 8017 App. A.2.3's defaults: SHA-1, MGF1 with SHA-1, saltLength 20,
 * trailerField 1; restricted = has_params = 1. */
void kl_pss_key_params_default(kl_pss_key_params *pp);

/* Write key (private: PKCS#8) or pub (SPKI), DER or PEM, with the algorithm
 * identifier id-RSASSA-PSS: with RSASSA-PSS-params when pp->has_params
 * (fields equal to their DEFAULT are left out, as DER requires; hash
 * AlgorithmIdentifiers carry NULL parameters, as OpenSSL writes them), or
 * without. pp->hash and pp->mgf_hash must be SHA-1 or SHA-2 hashes and
 * pp->trailer 1. Other formats cannot say "PSS only": KL_ERR_ARG.
 * Returns as kl_rsa_priv_write / kl_rsa_pub_write, and KL_ERR_ARG for bad pp. */
KL_NODISCARD kl_err kl_rsa_priv_write_pss(const kl_rsa_priv *key, const kl_pss_key_params *pp,
                                          kl_key_format fmt, uint8_t *out, size_t *out_len);
KL_NODISCARD kl_err kl_rsa_pub_write_pss(const kl_rsa_pub *pub, const kl_pss_key_params *pp,
                                         kl_key_format fmt, uint8_t *out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
