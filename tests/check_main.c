/*
 * The one Check runner: every tests/check_<module>.c defines
 * Suite *<module>_suite(void); the Makefile lists them in suites.inc.
 */
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "testutil.h"

#define SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef SUITE

int
main(void)
{
	SRunner *sr = srunner_create(NULL);
	char root[] = "/tmp/rw-check-run-XXXXXX";
	int failed;

	/* Every test's directory goes in here (tests/testutil.h), removed
	 * whole at the end: a failed test does not leave its own behind. */
	/* 0711: the tests that drop to an unprivileged user must get in. */
	if (mkdtemp(root) == NULL || chmod(root, 0711) != 0 ||
	    setenv("RW_CHECK_ROOT", root, 1) != 0) {
		perror("check_relaywarden: cannot make its directory");
		return EXIT_FAILURE;
	}

#define SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.inc"
#undef SUITE
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	(void)nftw(root, tu_rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
