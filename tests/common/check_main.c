/* check_main.c: main() of every Check suite. Each tests/test_<module>.c defines
 * kl_test_suite(); this runs it and exits non-zero on any failure.
 * Debugging: Check forks each test by default, which gdb cannot follow;
 *   CK_FORK=no meson test --gdb <module>
 * runs in one process. CK_RUN_CASE=<case> runs one test case. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "kexlab/init.h"
#include "test_util.h"

int main(void)
{
  if (kl_init() != KL_OK) {
    fputs("kl_init failed\n", stderr);
    return 1;
  }
  SRunner *sr = srunner_create(kl_test_suite());
  srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists every test */
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
