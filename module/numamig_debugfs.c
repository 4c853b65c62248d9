// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_debugfs.c - read-only views under /sys/kernel/debug/numamig/.
 *
 * Formats are text, one record a line, "name value" or "key value ...":
 * readers must ignore names they do not know, so fields can be added
 * without breaking numamigstat. Files are root-only (0400): later views
 * show other users' tasks. No kernel pointer is ever printed.
 *
 *   stats     one counter a line: "<name> <value>"
 *   topology  "online_nodes <nodelist>", then a line a node:
 *             "node <n> cpus <cpulist> distance <d0> <d1> ..."
 *             with a distance to every online node, in node order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/topology.h>

#include <numamig/compat.h>
#include "numamig.h"

static struct dentry *numamig_debugfs_dir;

/*
 * Sums a per-CPU counter over every possible CPU, so that events counted
 * on a CPU that has since gone offline are not lost.
 */
#define numamig_sum_cpus(field)						\
({									\
	unsigned long __sum = 0;					\
	int __cpu;							\
	for_each_possible_cpu(__cpu)					\
		__sum += READ_ONCE(per_cpu(numamig_cpu_stats, __cpu).field); \
	__sum;								\
})

static int numamig_stats_show(struct seq_file *m, void *v)
{
	int tp, attached = 0;

	for (tp = 0; tp < NUMAMIG_NR_TP; tp++) {
		seq_printf(m, "%s %lu\n", numamig_hooks_name(tp),
			   numamig_sum_cpus(events[tp]));
		attached += numamig_hooks_attached(tp);
	}
	seq_printf(m, "sched_stick_numa_no_dst %lu\n",
		   numamig_sum_cpus(stick_numa_no_dst));
	seq_printf(m, "tracepoints_attached %d\n", attached);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(numamig_stats);

static int numamig_topology_show(struct seq_file *m, void *v)
{
	int nid, other;

	seq_printf(m, "online_nodes %*pbl\n",
		   nodemask_pr_args(&node_states[N_ONLINE]));
	for_each_online_node(nid) {
		seq_printf(m, "node %d cpus %*pbl distance", nid,
			   cpumask_pr_args(cpumask_of_node(nid)));
		for_each_online_node(other)
			seq_printf(m, " %d", node_distance(nid, other));
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(numamig_topology);

/**
 * numamig_debugfs_init() - create /sys/kernel/debug/numamig/
 *
 * Context: process context, module init.
 * debugfs failures are not fatal, as debugfs_create_*() document: the
 * module works without its views.
 */
void numamig_debugfs_init(void)
{
	numamig_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("stats", 0400, numamig_debugfs_dir, NULL,
			    &numamig_stats_fops);
	debugfs_create_file("topology", 0400, numamig_debugfs_dir, NULL,
			    &numamig_topology_fops);
}

/**
 * numamig_debugfs_exit() - remove /sys/kernel/debug/numamig/
 *
 * Context: process context, module exit. debugfs_remove_recursive()
 * waits for readers still inside a show function.
 */
void numamig_debugfs_exit(void)
{
	debugfs_remove_recursive(numamig_debugfs_dir);
	numamig_debugfs_dir = NULL;
}
