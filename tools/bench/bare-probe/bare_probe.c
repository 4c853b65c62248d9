// SPDX-License-Identifier: GPL-2.0
/*
 * bare_probe - the floor numamig's hot path is measured against: probes
 * on sched_switch and sched_wakeup that bump a per-CPU counter and do
 * nothing else. Built and loaded only by tools/bench/hotpath-cost.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

static DEFINE_PER_CPU(unsigned long, bare_switches);
static DEFINE_PER_CPU(unsigned long, bare_wakeups);
static struct tracepoint *bare_tp_switch, *bare_tp_wakeup;

static void bare_switch(void *data, bool preempt, struct task_struct *prev,
			struct task_struct *next, unsigned int prev_state)
{
	this_cpu_inc(bare_switches);
}

static void bare_wakeup(void *data, struct task_struct *p)
{
	this_cpu_inc(bare_wakeups);
}

static_assert(__same_type(register_trace_sched_switch,
			  int (typeof(bare_switch) *, void *)));
static_assert(__same_type(register_trace_sched_wakeup,
			  int (typeof(bare_wakeup) *, void *)));

static void bare_match(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_switch"))
		bare_tp_switch = tp;
	else if (!strcmp(tp->name, "sched_wakeup"))
		bare_tp_wakeup = tp;
}

static int __init bare_init(void)
{
	int err;

	for_each_kernel_tracepoint(bare_match, NULL);
	if (!bare_tp_switch || !bare_tp_wakeup)
		return -ENOENT;
	err = tracepoint_probe_register(bare_tp_switch, bare_switch, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(bare_tp_wakeup, bare_wakeup, NULL);
	if (err)
		goto err_unregister_switch;
	return 0;

err_unregister_switch:
	tracepoint_probe_unregister(bare_tp_switch, bare_switch, NULL);
	tracepoint_synchronize_unregister();
	return err;
}

static void __exit bare_exit(void)
{
	tracepoint_probe_unregister(bare_tp_wakeup, bare_wakeup, NULL);
	tracepoint_probe_unregister(bare_tp_switch, bare_switch, NULL);
	tracepoint_synchronize_unregister();
}

module_init(bare_init);
module_exit(bare_exit);
MODULE_DESCRIPTION("numamig benchmark floor: per-CPU counters on sched_switch and sched_wakeup");
MODULE_LICENSE("GPL");
