// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "llfree": the core checks of LLFree's host unit tests
 * (tests/unit/llfree/llfree_checks.h in the Anker repository), run inside
 * the kernel against the same library sources.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#define LLF_T			struct kunit
#define LLF_EXPECT(t, cond)	KUNIT_EXPECT_TRUE(t, cond)
#define LLF_CASE_TYPE		struct kunit_case
#define LLF_CASE(fn)		KUNIT_CASE(fn)
#define LLF_CASES_END		{}

/* Metadata and test buffers: page aligned, so 64-byte aligned too */
static void *llf_test_alloc(size_t size)
{
	return vzalloc(size);
}

static void llf_test_free(void *p)
{
	vfree(p);
}

#include "llfree_checks.h"

static struct kunit_suite llfree_test_suite = {
	.name = "llfree",
	.test_cases = llf_cases,
};
kunit_test_suite(llfree_test_suite);

MODULE_DESCRIPTION("KUnit tests of the LLFree page-frame allocator");
MODULE_LICENSE("GPL");
