// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/anker: which Anker version this kernel is, and one read-only
 * file per Anker feature it was built with, so that tools and tests discover
 * features instead of guessing from the kernel version.
 */
#include <linux/anker.h>
#include <linux/init.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

static struct kobject *anker_kobj;
static struct kobject *features_kobj;

struct anker_feature {
	struct kobj_attribute attr;
	char *text;
};

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", ANKER_VERSION);
}
static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t feature_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	struct anker_feature *f = container_of(attr, struct anker_feature, attr);

	return sysfs_emit(buf, "%s\n", f->text);
}

int anker_feature_add(const char *name, const char *fmt, ...)
{
	struct anker_feature *f;
	struct kernfs_node *kn;
	va_list args;
	int err;

	if (!features_kobj)
		return -ENODEV;
	if (!name || !*name || strchr(name, '/'))
		return -EINVAL;
	kn = kernfs_find_and_get(features_kobj->sd, name);
	if (kn) {
		kernfs_put(kn);
		return -EEXIST;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	va_start(args, fmt);
	f->text = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	f->attr.attr.name = kstrdup_const(name, GFP_KERNEL);
	if (!f->text || !f->attr.attr.name) {
		err = -ENOMEM;
		goto out_free;
	}
	sysfs_attr_init(&f->attr.attr);
	f->attr.attr.mode = 0444;
	f->attr.show = feature_show;
	err = sysfs_create_file(features_kobj, &f->attr.attr);
	if (err)
		goto out_free;
	return 0;

out_free:
	pr_err("anker: cannot list feature %s: %d\n", name, err);
	kfree_const(f->attr.attr.name);
	kfree(f->text);
	kfree(f);
	return err;
}

static int __init anker_sysfs_init(void)
{
	int err;

	anker_kobj = kobject_create_and_add("anker", kernel_kobj);
	if (!anker_kobj)
		return -ENOMEM;
	err = sysfs_create_file(anker_kobj, &version_attr.attr);
	if (err)
		goto out_put;
	features_kobj = kobject_create_and_add("features", anker_kobj);
	if (!features_kobj) {
		err = -ENOMEM;
		goto out_put;
	}
	pr_info("anker: Anker %s\n", ANKER_VERSION);
	return 0;

out_put:
	kobject_put(anker_kobj);
	anker_kobj = NULL;
	return err;
}
subsys_initcall(anker_sysfs_init);

#ifdef CONFIG_ANKER_KUNIT_TEST
#include "core_test.c"
#endif
