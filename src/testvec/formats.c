/* formats.c: the table of vector-file formats (see formats.h). The order is
 * the order of trial; no two entries claim the same base name, and an entry
 * is added at the end of its area. */
#include <string.h>

#include "formats.h"

const vec_format vec_formats[] = {
  /* the hash layer: vec_hash.c */
  {"SHAVS ShortMsg/LongMsg", "hash", vec_shavs_msg_detect, vec_shavs_run},
  {"SHAVS Monte", "hash", vec_shavs_monte_detect, vec_shavs_run},
  {"RFC 2202/4231 HMAC", "hash", vec_rfc_hmac_detect, vec_rfc_hmac_run},
  {"RFC 5869 HKDF", "hash", vec_rfc_hkdf_detect, vec_rfc_hkdf_run},
  {"CAVP HMAC_DRBG", "hash", vec_hmac_drbg_detect, vec_hmac_drbg_run},
  /* AES and CBC: vec_aes.c */
  {"SP 800-38A F.2", "aes", vec_sp800_38a_detect, vec_aes_run},
  {"AESAVS KAT", "aes", vec_aesavs_kat_detect, vec_aes_run},
  {"AESAVS MMT", "aes", vec_aesavs_mmt_detect, vec_aes_run},
  {"AESAVS MCT", "aes", vec_aesavs_mct_detect, vec_aes_run},
  /* RSA key generation: vec_rsa.c */
  {"CAVS KeyGen RSA", "rsa", vec_keygen_rsa_detect, vec_keygen_rsa_run},
  /* the RSA paddings: vec_pkcs1.c */
  {"PKCS#1 v2.1 RSAES-OAEP", "pkcs1", vec_oaep_vect_detect, vec_oaep_vect_run},
  {"PKCS#1 RSAES-OAEP intermediate values", "pkcs1", vec_oaep_int_detect, vec_oaep_int_run},
  {"PKCS#1 v2.1 RSASSA-PSS", "pkcs1", vec_pss_vect_detect, vec_pss_vect_run},
  {"PKCS#1 RSASSA-PSS intermediate values", "pkcs1", vec_pss_int_detect, vec_pss_int_run},
  {"PKCS#1 RSASSA-PKCS1-v1_5", "pkcs1", vec_v15sign_detect, vec_v15sign_run},
  {"pyca RSAES-OAEP custom hashes", "pkcs1", vec_oaep_custom_detect, vec_oaep_custom_run},
  {"BoringSSL RSAES-OAEP with label", "pkcs1", vec_oaep_label_detect, vec_oaep_label_run},
  {"FIPS 186 SigGen RSASSA-PKCS1-v1_5", "pkcs1", vec_siggen15_detect, vec_siggen15_run},
  {"FIPS 186 SigGen RSASSA-PSS", "pkcs1", vec_siggenpss_detect, vec_siggenpss_run},
  {"FIPS 186 SigGen RSASSA-PSS with salts", "pkcs1", vec_siggenpss_salts_detect,
   vec_siggenpss_salts_run},
  {"FIPS 186 SigVer RSASSA-PKCS1-v1_5", "pkcs1", vec_sigver15_detect, vec_sigver15_run},
  {"FIPS 186 SigVer RSASSA-PSS", "pkcs1", vec_sigverpss_detect, vec_sigverpss_run},
  {"PKCS#1 RSAES-PKCS1-v1_5", "pkcs1", vec_v15crypt_detect, vec_v15crypt_run},
  {"RSAES-PKCS1-v1_5 implicit rejection", "pkcs1", vec_implicit_detect, vec_implicit_run},
  {NULL, NULL, NULL, NULL},
};

const char *vec_base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

const vec_format *vec_format_find_as(const char *path, const char *base)
{
  for (const vec_format *f = vec_formats; f->name != NULL; f++) {
    if (f->detect(path, base))
      return f;
  }
  return NULL;
}

const vec_format *vec_format_find(const char *path)
{
  return vec_format_find_as(path, vec_base_name(path));
}

const vec_format *vec_format_find_in(const char *area, const char *path, const char *base)
{
  const vec_format *f = vec_format_find_as(path, base);
  return f != NULL && strcmp(f->area, area) == 0 ? f : NULL;
}
