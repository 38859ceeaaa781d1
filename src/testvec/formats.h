/* formats.h: the vector-file formats `kexlab vectors` knows, as one table.
 * Each entry is one format: its name, how it is recognised (by the file's
 * base name; detect may also peek at the file), and how its cases are run.
 * The entries live in formats.c in the order they are tried; the code that
 * reads and runs each format stays in its area's file (vec_hash.c, vec_aes.c,
 * vec_rsa.c, vec_pkcs1.c). `kexlab vectors` and the Check suites go through
 * the same table, so they cannot disagree about a file. */
#ifndef KL_TESTVEC_FORMATS_H
#define KL_TESTVEC_FORMATS_H

#include "vecfile.h"

typedef struct vec_format {
  const char *name; /* the format, e.g. "SHAVS Monte"; the line of `kexlab vectors`
                       uses r->format, which run fills in (it may add the hash) */
  const char *area; /* the file that runs it: "hash", "aes", "rsa" or "pkcs1" */
  /* 1 if a file of this base name (at path) is in this format, else 0. */
  int (*detect)(const char *path, const char *base);
  /* Name the format in r->format and run every case of the file into r
   * (r->file_error when it cannot be read). Only for a file detect accepted. */
  void (*run)(const char *path, const char *base, vec_result *r);
} vec_format;

/* Every format, in the order they are tried; ends with an entry whose name is NULL. */
extern const vec_format vec_formats[];

/* The part of path after its last '/'. */
const char *vec_base_name(const char *path);
/* The format of a file by its own base name, or NULL if none claims it. */
const vec_format *vec_format_find(const char *path);
/* The same for a file read under another base name (a test's temporary copy). */
const vec_format *vec_format_find_as(const char *path, const char *base);
/* vec_format_find_as, if the format it finds is of this area ("hash", ...),
 * else NULL: how a Check suite runs the files of its own layer. */
const vec_format *vec_format_find_in(const char *area, const char *path, const char *base);

/* ---- the entries' functions, by area ---- */

/* vec_hash.c */
int vec_shavs_msg_detect(const char *path, const char *base);   /* SHA*{Short,Long}Msg.rsp */
int vec_shavs_monte_detect(const char *path, const char *base); /* SHA*Monte.rsp */
void vec_shavs_run(const char *path, const char *base, vec_result *r);
int vec_rfc_hmac_detect(const char *path, const char *base); /* rfc-{2202,4231}-*.txt */
void vec_rfc_hmac_run(const char *path, const char *base, vec_result *r);
int vec_rfc_hkdf_detect(const char *path, const char *base); /* rfc-5869-HKDF-*.txt */
void vec_rfc_hkdf_run(const char *path, const char *base, vec_result *r);
int vec_hmac_drbg_detect(const char *path, const char *base); /* HMAC_DRBG*.rsp */
void vec_hmac_drbg_run(const char *path, const char *base, vec_result *r);

/* vec_aes.c */
int vec_sp800_38a_detect(const char *path, const char *base);  /* sp800-38a*.vec */
int vec_aesavs_kat_detect(const char *path, const char *base); /* {CBC,ECB}{GFSbox,...}* */
int vec_aesavs_mmt_detect(const char *path, const char *base); /* {CBC,ECB}MMT* */
int vec_aesavs_mct_detect(const char *path, const char *base); /* {CBC,ECB}MCT* */
void vec_aes_run(const char *path, const char *base, vec_result *r);

/* vec_rsa.c */
int vec_keygen_rsa_detect(const char *path, const char *base); /* KeyGenRSA.rsp */
void vec_keygen_rsa_run(const char *path, const char *base, vec_result *r);

/* vec_pkcs1.c */
int vec_oaep_vect_detect(const char *path, const char *base); /* oaep-vect.txt */
void vec_oaep_vect_run(const char *path, const char *base, vec_result *r);
int vec_oaep_int_detect(const char *path, const char *base); /* oaep-int.txt */
void vec_oaep_int_run(const char *path, const char *base, vec_result *r);
int vec_pss_vect_detect(const char *path, const char *base); /* pss-vect.txt */
void vec_pss_vect_run(const char *path, const char *base, vec_result *r);
int vec_pss_int_detect(const char *path, const char *base); /* pss-int.txt */
void vec_pss_int_run(const char *path, const char *base, vec_result *r);
int vec_v15sign_detect(const char *path, const char *base); /* pkcs1v15sign-vectors.txt */
void vec_v15sign_run(const char *path, const char *base, vec_result *r);
int vec_oaep_custom_detect(const char *path, const char *base); /* oaep-sha*.txt */
void vec_oaep_custom_run(const char *path, const char *base, vec_result *r);
int vec_oaep_label_detect(const char *path, const char *base); /* oaep-label.txt */
void vec_oaep_label_run(const char *path, const char *base, vec_result *r);
int vec_siggen15_detect(const char *path, const char *base); /* SigGen15_186-*.rsp */
void vec_siggen15_run(const char *path, const char *base, vec_result *r);
int vec_siggenpss_detect(const char *path, const char *base); /* SigGenPSS_186-*.rsp */
void vec_siggenpss_run(const char *path, const char *base, vec_result *r);
int vec_siggenpss_salts_detect(const char *path, const char *base); /* SigGenPSS_186-*.txt */
void vec_siggenpss_salts_run(const char *path, const char *base, vec_result *r);
int vec_sigver15_detect(const char *path, const char *base); /* SigVer15_186-*.rsp */
void vec_sigver15_run(const char *path, const char *base, vec_result *r);
int vec_sigverpss_detect(const char *path, const char *base); /* SigVerPSS_186-*.rsp */
void vec_sigverpss_run(const char *path, const char *base, vec_result *r);
int vec_v15crypt_detect(const char *path, const char *base); /* pkcs1v15crypt-vectors.txt */
void vec_v15crypt_run(const char *path, const char *base, vec_result *r);
int vec_implicit_detect(const char *path, const char *base); /* implicit-rejection-*.txt */
void vec_implicit_run(const char *path, const char *base, vec_result *r);

#endif
