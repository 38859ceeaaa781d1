/* ratelimit.c: per-client token buckets limiting how fast one address may
 * create sessions. Session creation is the expensive, abusable request: with
 * an empty pool each one costs an RSA key generation (docs/threat-model.md,
 * "key generation as a denial-of-service lever").
 * The bucket: it holds up to `burst` tokens and refills at `rate` tokens per
 * second; a request takes one token or is refused (429).
 *   Invariant: 0 <= tokens <= burst after every update.
 *   Example: 60 per minute, burst 5: five sessions at once, then one a second.
 * A fixed table, no allocation: an address hashes (FNV-1a) to one slot; a slot
 * that holds another address is taken over only when that address's bucket
 * has refilled completely, so no busy client is ever reset by a newcomer.
 * When the slot is busy with another client, the newcomer shares its fate
 * (refused while it is empty): a bounded table trades precision for bounded
 * memory, which is the right way round for a limit meant to resist floods. */
#include <string.h>

#include "http_internal.h"

void kli_rate_init(kli_rate_table *t, double per_minute, double burst)
{
  memset(t, 0, sizeof *t);
  t->rate = per_minute > 0 ? per_minute / 60.0 : 0;
  t->burst = burst >= 1 ? burst : 1;
}

/* FNV-1a, 32 bits: spreads addresses over the slots (not a security hash:
 * an attacker choosing colliding addresses only limits himself). */
static uint32_t fnv1a(const char *s)
{
  uint32_t h = 2166136261u;
  for (; *s != '\0'; s++) {
    h ^= (uint8_t)*s;
    h *= 16777619u;
  }
  return h;
}

static void refill(kli_rate_slot *s, double rate, double burst, double now)
{
  double dt = now - s->last;
  if (dt > 0)
    s->tokens += dt * rate;
  if (s->tokens > burst)
    s->tokens = burst;
  s->last = now;
}

int kli_rate_take(kli_rate_table *t, const char *addr, double now)
{
  if (t->rate <= 0)
    return 1;
  kli_rate_slot *s = &t->slot[fnv1a(addr) % KLI_RATE_SLOTS];
  if (strncmp(s->addr, addr, sizeof s->addr) != 0) {
    if (s->addr[0] != '\0') {
      refill(s, t->rate, t->burst, now);
      if (s->tokens < t->burst) {
        /* Busy with another client: share its bucket rather than reset it. */
        if (s->tokens < 1)
          return 0;
        s->tokens -= 1;
        return 1;
      }
    }
    strncpy(s->addr, addr, sizeof s->addr - 1);
    s->addr[sizeof s->addr - 1] = '\0';
    s->tokens = t->burst;
    s->last = now;
  }
  refill(s, t->rate, t->burst, now);
  if (s->tokens < 1)
    return 0;
  s->tokens -= 1;
  return 1;
}
