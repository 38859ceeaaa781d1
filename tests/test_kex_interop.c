/* test_kex_interop.c (suite interop): the protocol against independent peers.
 * Seed profile, byte compatibility (.NET's RSACryptoServiceProvider.Encrypt(
 * key, true) is RSAES-OAEP with SHA-1/MGF1-SHA-1 and an empty label, and
 * Aes.Create() defaults are AES-256-CBC with PKCS#7):
 *  - a key wrapped by `openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep`
 *    (SHA-1) under the session's PEM public key is accepted by the server;
 *  - a frame made by `openssl enc -aes-256-cbc` under that key opens, and the
 *    server's reply opens with `openssl enc -d -aes-256-cbc` (key, IV from the front);
 *  - the same with /usr/bin/python3 and python3-cryptography.
 * Hardened profile: a python3-cryptography peer written from docs/protocol.md
 * (OAEP-SHA-256 wrap, HKDF-SHA256 key schedule, frame layout, HMAC-SHA256 tag)
 * talks to the server object, and checks the reply frame's tag and text.
 * The peers run as child processes on files in a temporary directory. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kexlab/drbg.h"
#include "kexlab/kex.h"
#include "test_util.h"

static char dir[64];

static void dir_setup(void)
{
  strcpy(dir, "/tmp/kl_kex_interop_XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void dir_teardown(void)
{
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", dir);
}

static const char *path(const char *name)
{
  static char p[8][128]; /* up to 8 paths in one command line */
  static int i;
  i = (i + 1) % 8;
  snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
  return p[i];
}

static void write_file(const char *name, const void *data, size_t len)
{
  FILE *f = fopen(path(name), "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

static size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
  FILE *f = fopen(path(name), "rb");
  ck_assert_ptr_nonnull(f);
  size_t n = fread(buf, 1, cap, f);
  fclose(f);
  return n;
}

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
  char cmd[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  if (rc != 0)
    ck_abort_msg("peer command failed (%d): %s", rc, cmd);
}

/* A seed- or hardened-profile server with one fresh session. */
typedef struct srv {
  kl_kex_server s;
  kl_hmac_drbg d, di;
  kl_rng rng, rng_i;
  kl_rsa_priv identity;
  kl_kex_offer offer;
} srv;

static srv *srv_start(kl_kex_profile p)
{
  srv *v = calloc(1, sizeof *v);
  kl_kex_server_config c;
  ck_assert_int_eq(kl_rng_seeded(&v->rng, &v->d, (const uint8_t *)"interop", 7), KL_OK);
  ck_assert_int_eq(kl_rng_seeded(&v->rng_i, &v->di, (const uint8_t *)"identity", 8), KL_OK);
  kl_rsa_priv_init(&v->identity);
  kl_kex_server_config_default(&c);
  c.rng = &v->rng;
  c.profiles = KL_KEX_PROFILE_BIT(p);
  c.pool_size = 0;
  c.key_bits = 2048;
  if (p == KL_KEX_PROFILE_HARDENED) {
    ck_assert_int_eq(kl_rsa_keygen(&v->identity, &v->rng_i, 1024, NULL, 0, NULL), KL_OK);
    c.identity = &v->identity;
  }
  ck_assert_int_eq(kl_kex_server_init(&v->s, &c), KL_OK);
  ck_assert_int_eq(kl_kex_server_create(&v->s, p, 0, &v->offer), KL_OK);
  write_file("session.pem", v->offer.pem, strlen(v->offer.pem));
  return v;
}

static void srv_stop(srv *v)
{
  kl_kex_server_clear(&v->s);
  kl_rsa_priv_clear(&v->identity);
  kl_hmac_drbg_clear(&v->d);
  kl_hmac_drbg_clear(&v->di);
  free(v);
}

static char *hex(const uint8_t *b, size_t n)
{
  return th_tohex(b, n);
}

/* The server's reply to frame (file "frame.bin") into "reply.bin". */
static void server_message(srv *v)
{
  static uint8_t f[4096], r[300000];
  size_t fl = read_file("frame.bin", f, sizeof f), rl = sizeof r;
  ck_assert_int_eq(kl_kex_server_message(&v->s, v->offer.session_id, 0, r, &rl, f, fl), KL_OK);
  write_file("reply.bin", r, rl);
}

START_TEST(seed_openssl_wrap_and_messages)
{
  srv *v = srv_start(KL_KEX_PROFILE_SEED);
  uint8_t K[32], C[512];
  th_prng p;
  th_prng_init(&p, 11);
  th_prng_bytes(&p, K, sizeof K);
  write_file("K.bin", K, sizeof K);
  /* openssl's OAEP default digest is SHA-1, MGF1 SHA-1, empty label. */
  run("openssl pkeyutl -encrypt -pubin -inkey %s -pkeyopt rsa_padding_mode:oaep -in %s -out %s",
      path("session.pem"), path("K.bin"), path("C.bin"));
  size_t C_len = read_file("C.bin", C, sizeof C);
  ck_assert_uint_eq(C_len, 256);
  ck_assert_int_eq(kl_kex_server_set_key(&v->s, v->offer.session_id, 0, C, C_len), KL_OK);
  /* A frame from openssl enc: IV || AES-256-CBC-PKCS7(text). */
  const char *text = "hello from openssl, more than one block long";
  uint8_t iv[16];
  th_prng_bytes(&p, iv, sizeof iv);
  char *kh = hex(K, 32), *ivh = hex(iv, 16);
  write_file("iv.bin", iv, 16);
  write_file("text.txt", text, strlen(text));
  run("openssl enc -aes-256-cbc -K %s -iv %s -in %s -out %s && cat %s %s > %s", kh, ivh,
      path("text.txt"), path("ct.bin"), path("iv.bin"), path("ct.bin"), path("frame.bin"));
  server_message(v);
  /* Our sealed reply opens with openssl enc -d, the IV taken from the front. */
  run("head -c 16 %s | od -An -tx1 | tr -d ' \\n' > %s && tail -c +17 %s > %s", path("reply.bin"),
      path("riv.hex"), path("reply.bin"), path("rct.bin"));
  char riv[64] = {0};
  read_file("riv.hex", (uint8_t *)riv, 32);
  run("openssl enc -d -aes-256-cbc -K %s -iv %s -in %s -out %s", kh, riv, path("rct.bin"),
      path("echo.txt"));
  uint8_t back[256];
  size_t bl = read_file("echo.txt", back, sizeof back);
  ck_assert_uint_eq(bl, strlen(text));
  ck_assert_mem_eq(back, text, bl);
  free(kh);
  free(ivh);
  srv_stop(v);
}
END_TEST

/* The python peers read these files: session.pem, K.bin, and write C.bin,
 * frame.bin; then check reply.bin. */
static const char *py_seed =
  "import os,sys\n"
  "from cryptography.hazmat.primitives import serialization, hashes, padding\n"
  "from cryptography.hazmat.primitives.asymmetric import padding as ap\n"
  "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n"
  "d=sys.argv[2]; K=open(d+'/K.bin','rb').read()\n"
  "if sys.argv[1]=='wrap':\n"
  "  pub=serialization.load_pem_public_key(open(d+'/session.pem','rb').read())\n"
  "  C=pub.encrypt(K, ap.OAEP(mgf=ap.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None))\n"
  "  open(d+'/C.bin','wb').write(C)\n"
  "  iv=os.urandom(16); p=padding.PKCS7(128).padder()\n"
  "  e=Cipher(algorithms.AES(K), modes.CBC(iv)).encryptor()\n"
  "  open(d+'/frame.bin','wb').write(iv+e.update(p.update(b'hello from python')+p.finalize())+e.finalize())\n"
  "else:\n"
  "  r=open(d+'/reply.bin','rb').read(); dd=Cipher(algorithms.AES(K), modes.CBC(r[:16])).decryptor()\n"
  "  u=padding.PKCS7(128).unpadder(); t=u.update(dd.update(r[16:])+dd.finalize())+u.finalize()\n"
  "  assert t==b'hello from python', t\n";

START_TEST(seed_python_cryptography)
{
  srv *v = srv_start(KL_KEX_PROFILE_SEED);
  uint8_t K[32], C[512];
  th_prng p;
  th_prng_init(&p, 12);
  th_prng_bytes(&p, K, sizeof K);
  write_file("K.bin", K, sizeof K);
  write_file("peer.py", py_seed, strlen(py_seed));
  run("/usr/bin/python3 %s wrap %s", path("peer.py"), dir);
  size_t C_len = read_file("C.bin", C, sizeof C);
  ck_assert_int_eq(kl_kex_server_set_key(&v->s, v->offer.session_id, 0, C, C_len), KL_OK);
  server_message(v);
  run("/usr/bin/python3 %s check %s", path("peer.py"), dir);
  srv_stop(v);
}
END_TEST

/* A hardened peer from docs/protocol.md alone. */
static const char *py_hardened =
  "import os,sys,struct,hmac,hashlib\n"
  "from cryptography.hazmat.primitives import serialization, hashes, padding\n"
  "from cryptography.hazmat.primitives.asymmetric import padding as ap\n"
  "from cryptography.hazmat.primitives.kdf.hkdf import HKDF\n"
  "from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n"
  "d=sys.argv[2]; K=open(d+'/K.bin','rb').read(); sid=open(d+'/sid.bin','rb').read()\n"
  "def kdf(info): return HKDF(algorithm=hashes.SHA256(), length=32, salt=sid, info=info).derive(K)\n"
  "ce,cm,se,sm=[kdf(b'kexlab/v1 '+x) for x in (b'c2s enc',b'c2s mac',b's2c enc',b's2c mac')]\n"
  "if sys.argv[1]=='wrap':\n"
  "  pub=serialization.load_pem_public_key(open(d+'/session.pem','rb').read())\n"
  "  C=pub.encrypt(K, ap.OAEP(mgf=ap.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))\n"
  "  open(d+'/C.bin','wb').write(C)\n"
  "  iv=os.urandom(16); p=padding.PKCS7(128).padder()\n"
  "  e=Cipher(algorithms.AES(ce), modes.CBC(iv)).encryptor()\n"
  "  ct=e.update(p.update(b'hello hardened')+p.finalize())+e.finalize()\n"
  "  body=bytes([1,1])+sid+struct.pack('>Q',0)+iv+ct\n"
  "  open(d+'/frame.bin','wb').write(body+hmac.new(cm, body, hashlib.sha256).digest())\n"
  "else:\n"
  "  r=open(d+'/reply.bin','rb').read(); body,tag=r[:-32],r[-32:]\n"
  "  assert hmac.compare_digest(tag, hmac.new(sm, body, hashlib.sha256).digest())\n"
  "  assert body[0]==1 and body[1]==2 and body[2:18]==sid and struct.unpack('>Q',body[18:26])[0]==0\n"
  "  dd=Cipher(algorithms.AES(se), modes.CBC(body[26:42])).decryptor()\n"
  "  u=padding.PKCS7(128).unpadder(); t=u.update(dd.update(body[42:])+dd.finalize())+u.finalize()\n"
  "  assert t==b'hello hardened', t\n";

START_TEST(hardened_python_peer_from_the_docs)
{
  srv *v = srv_start(KL_KEX_PROFILE_HARDENED);
  uint8_t K[32], C[512];
  th_prng p;
  th_prng_init(&p, 13);
  th_prng_bytes(&p, K, sizeof K);
  write_file("K.bin", K, sizeof K);
  write_file("sid.bin", v->offer.session_id, KL_KEX_ID_BYTES);
  write_file("peer.py", py_hardened, strlen(py_hardened));
  run("/usr/bin/python3 %s wrap %s", path("peer.py"), dir);
  size_t C_len = read_file("C.bin", C, sizeof C);
  ck_assert_int_eq(kl_kex_server_set_key(&v->s, v->offer.session_id, 0, C, C_len), KL_OK);
  server_message(v);
  run("/usr/bin/python3 %s check %s", path("peer.py"), dir);
  /* The identity signature verifies with python's RSA-PSS (SHA-256, salt 32). */
  const char *py_sig =
    "import sys\n"
    "from cryptography.hazmat.primitives import serialization, hashes\n"
    "from cryptography.hazmat.primitives.asymmetric import padding as ap\n"
    "d=sys.argv[1]; ident=serialization.load_der_public_key(open(d+'/ident.der','rb').read())\n"
    "m=open(d+'/sid.bin','rb').read()+open(d+'/spki.der','rb').read()\n"
    "ident.verify(open(d+'/sig.bin','rb').read(), m, ap.PSS(mgf=ap.MGF1(hashes.SHA256()),"
    " salt_length=32), hashes.SHA256())\n";
  write_file("sig.py", py_sig, strlen(py_sig));
  write_file("ident.der", v->offer.identity_spki, v->offer.identity_spki_len);
  write_file("spki.der", v->offer.spki, v->offer.spki_len);
  write_file("sig.bin", v->offer.signature, v->offer.signature_len);
  run("/usr/bin/python3 %s %s", path("sig.py"), dir);
  srv_stop(v);
}
END_TEST

Suite *kl_test_suite(void)
{
  Suite *s = suite_create("kex_interop");
  TCase *tc = tcase_create("peers");
  tcase_add_checked_fixture(tc, dir_setup, dir_teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, seed_openssl_wrap_and_messages);
  tcase_add_test(tc, seed_python_cryptography);
  tcase_add_test(tc, hardened_python_peer_from_the_docs);
  suite_add_tcase(s, tc);
  return s;
}
