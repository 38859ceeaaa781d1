/* blinding.c: the blinding pair a private key keeps between operations
 * (RFC 8017 §5.1.2 leaves blinding to the implementation; docs/rsa.md):
 * its state's life, made with the key (kl_rsa_priv_init, key.c) and wiped
 * with it (kl_rsa_priv_clear). primitive.c draws, squares and uses the
 * pair under the state's lock (take_blinding).
 * Secrets: A and Ai, wiped whenever they are dropped. */
#include <stdlib.h>

#include "kexlab/ct.h"
#include "rsa/rsa_internal.h"

struct kli_rsa_blinding *kli_rsa_blinding_new(void)
{
  struct kli_rsa_blinding *b = calloc(1, sizeof *b);
  if (b == NULL)
    return NULL;
  if (pthread_mutex_init(&b->lock, NULL) != 0) {
    free(b);
    return NULL;
  }
  mpz_inits(b->n, b->e, NULL);
  return b;
}

void kli_rsa_blinding_drop_pair(struct kli_rsa_blinding *b)
{
  if (b->A != NULL) {
    kl_wipe(b->A, 2 * (size_t)b->N * sizeof(mp_limb_t));
    free(b->A);
  }
  b->A = b->Ai = NULL;
  b->N = 0;
  b->uses = 0;
}

void kli_rsa_blinding_free(struct kli_rsa_blinding *b)
{
  if (b == NULL)
    return;
  kli_rsa_blinding_drop_pair(b);
  mpz_clears(b->n, b->e, NULL);
  pthread_mutex_destroy(&b->lock);
  kl_wipe(b, sizeof *b);
  free(b);
}
