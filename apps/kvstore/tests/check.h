/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The checks of the C unit tests. A failed CHECK is reported and counted,
 * and the test goes on, so that one run lists every failure; main ends
 * with check_report().
 */
#ifndef KV_TESTS_CHECK_H
#define KV_TESTS_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: %s: check failed: %s\n",	\
			__FILE__, __LINE__, __func__, #cond);		\
		failures++;						\
	}								\
} while (0)

/* check_report says how the checks of test went; main returns it. */
static inline int check_report(const char *test)
{
	if (failures) {
		fprintf(stderr, "%s: %d checks failed\n", test, failures);
		return 1;
	}
	printf("%s: all checks passed\n", test);
	return 0;
}

#endif /* KV_TESTS_CHECK_H */
