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
 *   nodes     a header, then a line a node: load and spare capacity
 *   tasks     a header, then a line a watched task
 * Documentation/admin-guide.rst describes every field.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/nodemask.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
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
	unsigned int i;

	for (tp = 0; tp < NUMAMIG_NR_TP; tp++) {
		seq_printf(m, "%s %lu\n", numamig_hooks_name(tp),
			   numamig_sum_cpus(events[tp]));
		attached += numamig_hooks_attached(tp);
	}
	seq_printf(m, "sched_stick_numa_no_dst %lu\n",
		   numamig_sum_cpus(stick_numa_no_dst));
	seq_printf(m, "tracepoints_attached %d\n", attached);

	mutex_lock(&numamig_lock);
	seq_printf(m, "tasks_tracked %d\n", atomic_read(&numamig_nr_tasks));
	seq_printf(m, "tasks_added %llu\n", numamig_wstats.tasks_added);
	seq_printf(m, "tasks_removed %llu\n", numamig_wstats.tasks_removed);
	seq_printf(m, "tasks_dropped %llu\n", numamig_wstats.tasks_dropped);
	seq_printf(m, "worker_runs %llu\n", numamig_wstats.runs);
	seq_printf(m, "worker_ns_last %llu\n", numamig_wstats.ns_last);
	seq_printf(m, "worker_ns_total %llu\n", numamig_wstats.ns_total);
	seq_printf(m, "worker_cpu_ns_total %llu\n", numamig_wstats.cpu_ns_total);
	seq_printf(m, "pages_sampled %llu\n", numamig_wstats.pages_sampled);
	seq_printf(m, "pages_not_resident %llu\n", numamig_wstats.pages_not_resident);
	seq_printf(m, "sample_ns_total %llu\n", numamig_wstats.sample_ns_total);
	seq_printf(m, "fault_reads %llu\n", numamig_wstats.fault_reads);
	seq_printf(m, "discoveries %llu\n", numamig_wstats.discoveries);
	seq_printf(m, "mode %s\n", numamig_mode_name(READ_ONCE(numamig_mode)));
	seq_printf(m, "holds %d\n", numamig_holds());
	seq_printf(m, "migrations %llu\n", numamig_mstats.migrations);
	seq_printf(m, "swaps %llu\n", numamig_mstats.swaps);
	seq_printf(m, "swap_evaluations %llu\n", numamig_mstats.swap_evaluations);
	seq_printf(m, "hold_renewals %llu\n", numamig_mstats.hold_renewals);
	seq_printf(m, "migrate_errors %llu\n", numamig_mstats.migrate_errors);
	seq_printf(m, "restore_errors %llu\n", numamig_mstats.restore_errors);
	seq_printf(m, "children_restored %llu\n", numamig_mstats.children_restored);
	seq_printf(m, "children_swept %llu\n", numamig_mstats.children_swept);
	seq_printf(m, "sweeps %llu\n", numamig_mstats.sweeps);
	seq_printf(m, "fork_overflow %ld\n", numamig_fork_overflows());
	seq_printf(m, "numad_running %d\n", !!numamig_numad_pid());
	seq_printf(m, "numad_pid %d\n", numamig_numad_pid());
	for (i = 0; i < NUMAMIG_NR_RELEASES; i++)
		seq_printf(m, "release_%s %llu\n", numamig_release_name(i),
			   numamig_mstats.releases[i]);
	for (i = 0; i < NUMAMIG_NR_VERDICTS; i++)
		seq_printf(m, "verdict_%s %llu\n", numamig_verdict_name(i),
			   numamig_mstats.verdicts[i]);
	mutex_unlock(&numamig_lock);
	seq_printf(m, "hw_counters_available %d\n", !numamig_mem_hw_status());
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

static int numamig_nodes_show(struct seq_file *m, void *v)
{
	int nid;

	seq_puts(m, "node cpus busy_permille spare_mcpu\n");
	mutex_lock(&numamig_lock);
	for (nid = 0; nid < numamig_topo.nr_nodes; nid++) {
		const struct numamig_node_stats *ns = &numamig_nodes[nid];

		if (!node_online(nid))
			continue;
		seq_printf(m, "%d %u %u %u\n", nid, ns->nr_cpus,
			   ns->busy_permille, ns->spare_mcpu);
	}
	mutex_unlock(&numamig_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(numamig_nodes);

static const char *const numamig_src_names[] = {
	[NUMAMIG_SRC_NONE] = "none",
	[NUMAMIG_SRC_SAMPLE] = "sample",
	[NUMAMIG_SRC_FAULTS] = "faults",
};

/* Per-node values as per mille of their sum, "a/b/...", all 0 if none. */
static void numamig_seq_shares(struct seq_file *m, const u64 *v, unsigned int n)
{
	unsigned int i;
	u64 sum = 0;

	for (i = 0; i < n; i++)
		sum += v[i];
	for (i = 0; i < n; i++)
		seq_printf(m, "%s%llu", i ? "/" : " ",
			   sum ? div64_u64(v[i] * 1000 + sum / 2, sum) : 0);
}

/*
 * A task's name as one word of printable ASCII: a space would split the
 * line's fields, and bytes outside 0x21..0x7e (control characters, DEL,
 * UTF-8) would make it unreadable; a task can name itself anything.
 * Tested with unsigned char: plain char is signed on x86, not on arm64.
 */
static void numamig_comm_word(char *comm)
{
	unsigned char *c;

	for (c = (unsigned char *)comm; *c; c++)
		if (*c <= ' ' || *c > '~')
			*c = '_';
}

static unsigned int numamig_fp_permille(unsigned int fp)
{
	return ((u64)fp * 1000 + NUMAMIG_FP_ONE / 2) >> NUMAMIG_FP_SHIFT;
}

static int numamig_tasks_show(struct seq_file *m, void *v)
{
	unsigned int n = numamig_topo.nr_nodes;
	char comm[TASK_COMM_LEN];
	struct numamig_task *t;
	struct numamig_hold *h;
	u64 now = local_clock(), mig, nmv, vals[NUMAMIG_MAX_NODES];
	unsigned int i;

	seq_puts(m, "pid tgid comm node cpu_permille wait_us run_permille mem_permille remote_permille slowdown_permille best_node source migrated_ms_ago verdict target held_node numa_moved_ms_ago\n");
	mutex_lock(&numamig_lock);
	list_for_each_entry(t, &numamig_task_list, list) {
		get_task_comm(comm, t->task);
		numamig_comm_word(comm);
		seq_printf(m, "%d %d %s %d %u %u", t->pid, t->tgid, comm,
			   t->cur_node, t->cpu_permille, t->wait_avg_us);
		for (i = 0; i < n; i++)
			vals[i] = t->node[i].run_window;
		numamig_seq_shares(m, vals, n);
		for (i = 0; i < n; i++)
			vals[i] = t->mem[i];
		numamig_seq_shares(m, vals, n);
		mig = READ_ONCE(t->migrated_ns);
		h = rcu_dereference_protected(t->hold, lockdep_is_held(&numamig_lock));
		nmv = READ_ONCE(t->numa_moved_ns);
		seq_printf(m, " %u %u %d %s %lld %s %d %d %lld\n",
			   numamig_fp_permille(t->remote_share),
			   numamig_fp_permille(t->slowdown),
			   t->best_node, numamig_src_names[t->source],
			   mig && now > mig ? (s64)div64_u64(now - mig, NSEC_PER_MSEC) : -1LL,
			   t->verdict < NUMAMIG_NR_VERDICTS ?
			   numamig_verdict_name(t->verdict) : "-",
			   t->target, h ? h->node : -1,
			   nmv && now > nmv ? (s64)div64_u64(now - nmv, NSEC_PER_MSEC) : -1LL);
	}
	mutex_unlock(&numamig_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(numamig_tasks);

/*
 * The last NUMAMIG_NR_RECORDS decisions that changed a task's verdict or
 * target, every move and swap, and every end of a hold, oldest first.
 * what is a verdict (move, swapped, cooldown, pinned, ...) or
 * release:<reason>; partner is the pid a swap paired it with, else 0.
 */
static int numamig_decisions_show(struct seq_file *m, void *v)
{
	const struct numamig_record *r;
	u64 now = local_clock(), i, first;
	char comm[TASK_COMM_LEN];

	seq_puts(m, "ms_ago pid tgid comm from to what benefit_us cost_us slowdown_permille partner\n");
	mutex_lock(&numamig_lock);
	first = numamig_records_next > NUMAMIG_NR_RECORDS ?
		numamig_records_next - NUMAMIG_NR_RECORDS : 0;
	for (i = first; i < numamig_records_next; i++) {
		r = &numamig_records[i % NUMAMIG_NR_RECORDS];
		memcpy(comm, r->comm, sizeof(comm));
		comm[sizeof(comm) - 1] = 0;
		numamig_comm_word(comm);
		seq_printf(m, "%llu %d %d %s %d %d ",
			   now > r->ns ? div64_u64(now - r->ns, NSEC_PER_MSEC) : 0,
			   r->pid, r->tgid, comm, r->from, r->to);
		if (r->what < NUMAMIG_NR_VERDICTS)
			seq_puts(m, numamig_verdict_name(r->what));
		else
			seq_printf(m, "release:%s",
				   numamig_release_name(r->what - NUMAMIG_NR_VERDICTS));
		seq_printf(m, " %llu %llu %u %d\n", r->benefit_us, r->cost_us,
			   r->slowdown_permille, r->partner);
	}
	mutex_unlock(&numamig_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(numamig_decisions);

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
	debugfs_create_file("nodes", 0400, numamig_debugfs_dir, NULL,
			    &numamig_nodes_fops);
	debugfs_create_file("tasks", 0400, numamig_debugfs_dir, NULL,
			    &numamig_tasks_fops);
	debugfs_create_file("decisions", 0400, numamig_debugfs_dir, NULL,
			    &numamig_decisions_fops);
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
