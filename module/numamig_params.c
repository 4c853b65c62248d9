// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_params.c - module parameters, each checked against its range.
 *
 * Parameters rather than debugfs writes: debugfs refuses writes under
 * Secure Boot lockdown, /sys/module/numamig/parameters does not. A value
 * out of range, or not a number, is refused with -EINVAL and a message
 * quoting at most NUMAMIG_QUOTE_MAX characters of it, escaped, and the old
 * value stays. Readers in other contexts use READ_ONCE().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/minmax.h>
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
 * @changed: called after a new value is taken, under kernel_param_lock();
 *	NULL if the value is only read when next needed
 */
struct numamig_uint_param {
	unsigned int *val;
	unsigned int min;
	unsigned int max;
	void (*changed)(void);
};

/*
 * How much of a refused value the message quotes: sysfs passes up to a
 * page, and the log should say what was wrong in one readable line.
 */
#define NUMAMIG_QUOTE_MAX	32

/* The length of @buf to quote: up to its newline, at most NUMAMIG_QUOTE_MAX. */
static int numamig_quote_len(const char *buf)
{
	return min_t(size_t, strcspn(buf, "\n"), NUMAMIG_QUOTE_MAX);
}

static int numamig_param_set_uint(const char *buf, const struct kernel_param *kp)
{
	const struct numamig_uint_param *p = kp->arg;
	unsigned int v, old;

	if (kstrtouint(buf, 0, &v)) {
		/* %pE: control characters in the value come out escaped */
		pr_err("%s: '%*pEhp'%s is not a number in %u..%u\n", kp->name,
		       numamig_quote_len(buf), buf,
		       strcspn(buf, "\n") > NUMAMIG_QUOTE_MAX ? "..." : "",
		       p->min, p->max);
		return -EINVAL;
	}
	if (v < p->min || v > p->max) {
		pr_err("%s: %u is out of range %u..%u\n", kp->name, v,
		       p->min, p->max);
		return -EINVAL;
	}
	old = READ_ONCE(*p->val);
	WRITE_ONCE(*p->val, v);
	/* Rewriting the same value must not put the next pass back. */
	if (p->changed && v != old)
		p->changed();
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

#define NUMAMIG_UINT_PARAM_CB(name, def, lo, hi, perm, cb, desc)	\
	unsigned int numamig_##name = def;				\
	static const struct numamig_uint_param numamig_##name##_param = {	\
		.val = &numamig_##name, .min = lo, .max = hi, .changed = cb,	\
	};								\
	module_param_cb(name, &numamig_uint_ops,			\
			(void *)&numamig_##name##_param, perm);		\
	MODULE_PARM_DESC(name, desc " [" #lo ".." #hi ", default " #def "]")

#define NUMAMIG_UINT_PARAM(name, def, lo, hi, perm, desc)		\
	NUMAMIG_UINT_PARAM_CB(name, def, lo, hi, perm, NULL, desc)

/* A new period takes effect at once, not after the one queued under the old. */
NUMAMIG_UINT_PARAM_CB(period_ms, 1000, 100, 60000, 0644, numamig_worker_period_changed,
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

/* The decision engine's parameters: Documentation/design.rst, "Cost model". */
NUMAMIG_UINT_PARAM(hold_ms, 10000, 1000, 3600000, 0644,
		   "How long a moved task is held on its new node before its own mask is given back, ms; also the longest time a move is counted to pay off");
NUMAMIG_UINT_PARAM(cooldown_ms, 2000, 0, 600000, 0644,
		   "No move for a task that changed node (by anyone) less than this many ms ago");
NUMAMIG_UINT_PARAM(max_moves, 8, 1, 100000, 0644,
		   "Most moves per period, all tasks together");
NUMAMIG_UINT_PARAM(migrate_cost_us, 500, 500, 1000000, 0644,
		   "Fixed cost of a move, us (the scheduler's 500 us cache-hot time is the floor)");
NUMAMIG_UINT_PARAM(refill_us_per_mb, 100, 0, 1000000, 0644,
		   "Cost of refilling one MiB of the task's memory into cold caches, us");
NUMAMIG_UINT_PARAM(refill_cap_mb, 32, 0, 1048576, 0644,
		   "Memory past this much costs no more refill (about the caches a move loses), MiB");
NUMAMIG_UINT_PARAM(margin_permille, 2000, 1000, 1000000, 0644,
		   "Move only when the expected gain is this many thousandths of the cost");
NUMAMIG_UINT_PARAM(min_gain_permille, 50, 0, 1000, 0644,
		   "Hysteresis: a node counts as better only if its access cost is this many thousandths lower");
NUMAMIG_UINT_PARAM(min_age_ms, 1000, 0, 3600000, 0644,
		   "Tasks younger than this are short-lived and never moved, ms");
NUMAMIG_UINT_PARAM(starve_wait_us, 20000, 100, 10000000, 0644,
		   "A held task whose mean runnable wait goes above this is given back its mask, us");
NUMAMIG_UINT_PARAM(allow_rt, 0, 0, 1, 0644,
		   "Move RT and deadline tasks too (0: leave them alone)");

static const char *const numamig_mode_names[] = {
	[NUMAMIG_MODE_OFF] = "off",
	[NUMAMIG_MODE_OBSERVE] = "observe",
	[NUMAMIG_MODE_ENFORCE] = "enforce",
};

unsigned int numamig_mode = NUMAMIG_MODE_OBSERVE;

static int numamig_param_set_mode(const char *buf, const struct kernel_param *kp)
{
	int i = sysfs_match_string(numamig_mode_names, buf);

	if (i < 0) {
		pr_err("mode: '%*pEhp'%s is not one of off, observe, enforce\n",
		       numamig_quote_len(buf), buf,
		       strcspn(buf, "\n") > NUMAMIG_QUOTE_MAX ? "..." : "");
		return -EINVAL;
	}
	WRITE_ONCE(numamig_mode, i);
	return 0;
}

static int numamig_param_get_mode(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", numamig_mode_names[READ_ONCE(numamig_mode)]);
}

/**
 * numamig_mode_name() - a mode as the mode parameter spells it
 * @mode: enum numamig_mode
 *
 * Return: "off", "observe" or "enforce".
 */
const char *numamig_mode_name(unsigned int mode)
{
	return mode < ARRAY_SIZE(numamig_mode_names) ? numamig_mode_names[mode] : "?";
}

static const struct kernel_param_ops numamig_mode_ops = {
	.set = numamig_param_set_mode,
	.get = numamig_param_get_mode,
};

module_param_cb(mode, &numamig_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode, "off: watch only; observe: decide and report, never act (default); enforce: move tasks");
