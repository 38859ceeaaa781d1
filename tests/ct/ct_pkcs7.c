/* ct_pkcs7.c: the PKCS#7 padding check (RFC 5652 §6.3, src/modes/pkcs7.c)
 * makes no branch and no memory access that depends on the padding bytes.
 * Run under `valgrind --tool=memcheck --error-exitcode=1` (suite 'ct'): the
 * last block is marked undefined (VALGRIND_MAKE_MEM_UNDEFINED) before
 * kli_pkcs7_check runs, and its verdict is declassified only after the call,
 * where kl_pkcs7_unpad_len makes its one decision. Cases: every pad length
 * 1..16 valid, last byte 0, 17 and 255, and a wrong byte inside the padding.
 * With the argument "leaky" it also runs an early-exit check (stop at the
 * first wrong byte), which must make memcheck fail (should_fail in meson:
 * the proof that this test can fail). Not a Check suite. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "modes/modes_internal.h"

/* The counter-example: returns at the first byte that differs. */
static uint32_t leaky_check(const uint8_t last[16])
{
  uint8_t n = last[15];
  if (n == 0 || n > 16)
    return 0;
  for (unsigned i = 0; i < n; i++) {
    if (last[15 - i] != n)
      return 0;
  }
  return 1;
}

static unsigned check_secret(const uint8_t in[16], int leaky)
{
  uint8_t last[16];
  uint32_t n = 0;
  memcpy(last, in, 16);
  VALGRIND_MAKE_MEM_UNDEFINED(last, sizeof last);
  uint32_t good = leaky ? leaky_check(last) : kli_pkcs7_check(last, &n);
  VALGRIND_MAKE_MEM_DEFINED(&good, sizeof good);
  return good;
}

int main(int argc, char **argv)
{
  int leaky = argc > 1 && strcmp(argv[1], "leaky") == 0;
  uint8_t blk[16];
  unsigned bad_results = 0, cases = 0;
  for (unsigned n = 1; n <= 16; n++) {
    memset(blk, 0x41, 16);
    memset(blk + 16 - n, (int)n, n);
    bad_results += check_secret(blk, leaky) != 1;
    cases++;
    if (n >= 2) {
      blk[16 - n] ^= 0x80; /* a wrong byte inside the padding */
      bad_results += check_secret(blk, leaky) != 0;
      cases++;
    }
  }
  static const uint8_t lasts[3] = {0, 17, 255};
  for (unsigned i = 0; i < 3; i++) {
    memset(blk, 0x10, 16);
    blk[15] = lasts[i];
    bad_results += check_secret(blk, leaky) != 0;
    cases++;
  }
  printf("ct_pkcs7: %u cases, %u wrong verdicts%s\n", cases, bad_results,
         leaky ? " (leaky variant)" : "");
  return bad_results == 0 ? 0 : 1;
}
