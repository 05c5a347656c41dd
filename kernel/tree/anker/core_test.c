// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of /sys/kernel/anker: included by core.c to reach its statics.
 */
#include <kunit/test.h>

static struct anker_feature *find_feature(const char *name)
{
	struct kernfs_node *kn = kernfs_find_and_get(features_kobj->sd, name);
	struct kobj_attribute *ka;

	if (!kn)
		return NULL;
	ka = container_of(kn->priv, struct kobj_attribute, attr);
	kernfs_put(kn);
	return container_of(ka, struct anker_feature, attr);
}

static void remove_feature(const char *name)
{
	struct anker_feature *f = find_feature(name);

	if (!f)
		return;
	sysfs_remove_file(features_kobj, &f->attr.attr);
	kfree_const(f->attr.attr.name);
	kfree(f->text);
	kfree(f);
}

static void anker_version_test(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, anker_kobj);
	KUNIT_EXPECT_EQ(test, version_show(anker_kobj, &version_attr, buf),
			(ssize_t)strlen(ANKER_VERSION) + 1);
	KUNIT_EXPECT_STREQ(test, buf, ANKER_VERSION "\n");
}

static void anker_feature_add_test(struct kunit *test)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct anker_feature *f;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, anker_feature_add("kunit_demo", "syscall %d", 942), 0);
	f = find_feature("kunit_demo");
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_EQ(test, f->attr.attr.mode, (umode_t)0444);
	feature_show(features_kobj, &f->attr, buf);
	KUNIT_EXPECT_STREQ(test, buf, "syscall 942\n");
	remove_feature("kunit_demo");
	KUNIT_EXPECT_NULL(test, find_feature("kunit_demo"));
}

static void anker_feature_duplicate_test(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, anker_feature_add("kunit_dup", "first"), 0);
	KUNIT_EXPECT_EQ(test, anker_feature_add("kunit_dup", "second"), -EEXIST);
	remove_feature("kunit_dup");
}

static void anker_feature_bad_name_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, anker_feature_add("", "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, anker_feature_add("a/b", "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, anker_feature_add(NULL, "x"), -EINVAL);
}

static struct kunit_case anker_core_test_cases[] = {
	KUNIT_CASE(anker_version_test),
	KUNIT_CASE(anker_feature_add_test),
	KUNIT_CASE(anker_feature_duplicate_test),
	KUNIT_CASE(anker_feature_bad_name_test),
	{}
};

static struct kunit_suite anker_core_test_suite = {
	.name = "anker_core",
	.test_cases = anker_core_test_cases,
};
kunit_test_suite(anker_core_test_suite);
