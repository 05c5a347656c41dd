// SPDX-License-Identifier: GPL-2.0
/*
 * CONFIG_ANKER_NO_HZ_FULL_ALL: the default itself is a hook in
 * kernel/sched/isolation.c (housekeeping_nohz_full_all()); this lists the
 * feature and the full-dynticks CPUs under /sys/kernel/anker/features/.
 */
#include <linux/anker.h>
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/tick.h>

static int __init anker_nohz_full_all_init(void)
{
	if (!tick_nohz_full_enabled())
		return anker_feature_add("nohz_full_all", "nohz_full CPUs: none");
	return anker_feature_add("nohz_full_all", "nohz_full CPUs: %*pbl",
				 cpumask_pr_args(tick_nohz_full_mask));
}
device_initcall(anker_nohz_full_all_init);
