/* http_harness.c: a stand-in for a lab harness that drives the REST
 * transport. Like harness.c it is built OUTSIDE the project's build, with
 *   cc http_harness.c $(pkg-config --cflags --libs kexlab-http)
 * so it proves that kexlab-http.pc (which requires kexlab.pc), http.h and
 * libkexlab-http are enough. It starts a server on 127.0.0.1 port 0 (an
 * ephemeral port: no network beyond loopback), asks it GET /v1/health with
 * the client, and stops it. It prints one "name value" line per result for
 * test_lab_harness.sh. The server offers the seed profile only, with no key
 * pool, so it needs no identity key and generates no RSA key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kexlab/kexlab.h>
#include <kexlab/http.h>

int main(void)
{
  if (kl_init() != KL_OK)
    return 1;
  kl_rng rng;
  kl_rng_os(&rng);

  kl_http_server_config scfg;
  kl_http_server_config_default(&scfg);
  scfg.port = 0;
  scfg.threads = 1;
  scfg.log = NULL;
  scfg.kex.profiles = KL_KEX_PROFILE_BIT(KL_KEX_PROFILE_SEED);
  scfg.kex.pool_size = 0;
  scfg.kex.rng = &rng;
  kl_http_server srv;
  kl_err err = kl_http_server_start(&srv, &scfg);
  printf("server-start %s\n", kl_err_name(err));
  if (err != KL_OK)
    return 1;
  printf("server-port-bound %s\n", srv.port != 0 ? "yes" : "no");

  int rc = 1;
  char url[64];
  snprintf(url, sizeof url, "http://127.0.0.1:%u", (unsigned)srv.port);
  kl_http_client_config ccfg;
  kl_http_client_config_default(&ccfg);
  ccfg.url = url;
  ccfg.rng = &rng;
  kl_http_client cli;
  err = kl_http_client_init(&cli, &ccfg);
  printf("client-init %s\n", kl_err_name(err));
  if (err == KL_OK) {
    long status = 0;
    char *body = NULL;
    size_t body_len = 0;
    err = kl_http_client_get(&cli, "/v1/health", &status, &body, &body_len);
    printf("health-get %s\n", kl_err_name(err));
    if (err == KL_OK) {
      printf("health-status %ld\n", status);
      printf("health-ok %s\n", strstr(body, "\"status\":\"ok\"") != NULL ? "yes" : "no");
      free(body);
      rc = 0;
    }
    kl_http_client_clear(&cli);
  }
  kl_http_server_stop(&srv, 1.0);
  return rc;
}
