// SPDX-License-Identifier: GPL-2.0
/* Host unit tests of LLFree: the shared core checks, as TAP. */
#include <stdlib.h>
#include <string.h>

struct llf_tap {
	int failures;
};

#define LLF_T struct llf_tap
#define LLF_EXPECT(t, cond)						\
	do {								\
		if (!(cond)) {						\
			(t)->failures++;				\
			printf("# %s:%d: expected %s\n", __FILE__,	\
			       __LINE__, #cond);			\
		}							\
	} while (0)

static void *llf_test_alloc(size_t size)
{
	void *p = aligned_alloc(64, (size + 63) & ~(size_t)63);

	if (p)
		memset(p, 0, size);
	return p;
}

static void llf_test_free(void *p)
{
	free(p);
}

struct llf_case {
	const char *name;
	void (*fn)(struct llf_tap *t);
};

#define LLF_CASE_TYPE const struct llf_case
#define LLF_CASE(fn) { #fn + sizeof("llf_check_") - 1, fn }
#define LLF_CASES_END { NULL, NULL }

#include "llfree_checks.h"

int main(int argc, char **argv)
{
	size_t n = sizeof(llf_cases) / sizeof(llf_cases[0]) - 1, i;
	int failed = 0;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		struct llf_tap t = { 0 };

		if (argc > 1 && strcmp(argv[1], llf_cases[i].name))
			continue;
		llf_cases[i].fn(&t);
		printf("%sok %zu - llfree %s\n", t.failures ? "not " : "",
		       i + 1, llf_cases[i].name);
		failed += t.failures != 0;
	}
	return failed ? 1 : 0;
}
