// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_params.c - module parameters, each checked against its range.
 *
 * Parameters rather than debugfs writes: debugfs refuses writes under
 * Secure Boot lockdown, /sys/module/numamig/parameters does not. A value
 * out of range, or not a number, is refused with -EINVAL and a message,
 * and the old value stays. Readers in other contexts use READ_ONCE().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <numamig/compat.h>
#include "numamig.h"

/**
 * struct numamig_uint_param - an unsigned parameter and its valid range
 * @val: the value
 * @min: smallest accepted
 * @max: largest accepted
 */
struct numamig_uint_param {
	unsigned int *val;
	unsigned int min;
	unsigned int max;
};

static int numamig_param_set_uint(const char *buf, const struct kernel_param *kp)
{
	const struct numamig_uint_param *p = kp->arg;
	unsigned int v;

	if (kstrtouint(buf, 0, &v)) {
		pr_err("%s: '%.*s' is not a number\n", kp->name,
		       (int)strcspn(buf, "\n"), buf);
		return -EINVAL;
	}
	if (v < p->min || v > p->max) {
		pr_err("%s: %u is out of range %u..%u\n", kp->name, v,
		       p->min, p->max);
		return -EINVAL;
	}
	WRITE_ONCE(*p->val, v);
	return 0;
}

static int numamig_param_get_uint(char *buf, const struct kernel_param *kp)
{
	const struct numamig_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(*p->val));
}

static const struct kernel_param_ops numamig_uint_ops = {
	.set = numamig_param_set_uint,
	.get = numamig_param_get_uint,
};

#define NUMAMIG_UINT_PARAM(name, def, lo, hi, perm, desc)		\
	unsigned int numamig_##name = def;				\
	static const struct numamig_uint_param numamig_##name##_param = {	\
		.val = &numamig_##name, .min = lo, .max = hi,		\
	};								\
	module_param_cb(name, &numamig_uint_ops,			\
			(void *)&numamig_##name##_param, perm);		\
	MODULE_PARM_DESC(name, desc " [" #lo ".." #hi ", default " #def "]")

NUMAMIG_UINT_PARAM(period_ms, 1000, 100, 60000, 0644,
		   "Worker period: sampling and decisions every this many ms");
NUMAMIG_UINT_PARAM(window_ms, 10000, 1000, 600000, 0644,
		   "Run time per node decays over about this many ms");
NUMAMIG_UINT_PARAM(max_tasks, 16384, 1, 1000000, 0444,
		   "Most tasks watched at once; eligible tasks past it are counted as dropped (set at load)");
NUMAMIG_UINT_PARAM(min_rss_mb, 300, 0, 1048576, 0644,
		   "Watch only tasks whose process has at least this much resident memory, MB");
NUMAMIG_UINT_PARAM(min_cpu_permille, 500, 0, 1000, 0644,
		   "Watch only tasks using at least this share of a CPU (PELT utilisation), per mille");
NUMAMIG_UINT_PARAM(sample_pages, 256, 0, 4096, 0644,
		   "Pages sampled per process to find its memory, each period it runs (0: off)");
