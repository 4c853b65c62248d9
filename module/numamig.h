/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig internal interfaces shared by the module's files.
 *
 * Contexts:
 *  - probes (numamig_hooks.c) run inside scheduler tracepoints, some with
 *    the runqueue lock held and interrupts off: they touch per-CPU data
 *    only, never sleep, allocate, take a lock or wake anything;
 *  - debugfs readers (numamig_debugfs.c) run in process context and only
 *    read: per-CPU counters are summed without stopping the writers, so a
 *    sum is a snapshot that may miss events still in flight;
 *  - module init/exit (numamig_main.c) own the order: debugfs appears
 *    before the probes attach and goes away after they are detached and
 *    tracepoint_synchronize_unregister() has returned.
 */
#ifndef _NUMAMIG_H
#define _NUMAMIG_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

#include <numamig/policy.h>

struct task_struct;

/*
 * The scheduler tracepoints numamig probes, in the order their counters
 * appear in debugfs. The NUMA-balancing events exist only with
 * CONFIG_NUMA_BALANCING: the module loads without them and says so.
 */
enum numamig_tp {
	NUMAMIG_TP_SWITCH,
	NUMAMIG_TP_MIGRATE,
	NUMAMIG_TP_FORK,
	NUMAMIG_TP_EXIT,
	NUMAMIG_TP_WAKEUP,
	NUMAMIG_TP_WAKEUP_NEW,
	NUMAMIG_TP_MOVE_NUMA,
	NUMAMIG_TP_SWAP_NUMA,
	NUMAMIG_TP_STICK_NUMA,
	NUMAMIG_NR_TP
};

/**
 * struct numamig_cpu_stats - event counters and idle time of one CPU
 * @events: tracepoint hits on this CPU, indexed by enum numamig_tp
 * @stick_numa_no_dst: sched_stick_numa hits that named no destination
 *	task (NUMA balancing found no swap partner)
 * @idle_ns: time spent in the idle task, summed at each switch out of it
 * @idle_since: local_clock() when this CPU last switched to idle, 0 while
 *	it runs a task (or has not switched since numamig loaded)
 *
 * Written only by probes on the owning CPU, read by anyone.
 */
struct numamig_cpu_stats {
	unsigned long events[NUMAMIG_NR_TP];
	unsigned long stick_numa_no_dst;
	u64 idle_ns;
	u64 idle_since;
};

/* Where a task's memory picture came from. */
enum numamig_mem_source {
	NUMAMIG_SRC_NONE,	/* nothing known yet */
	NUMAMIG_SRC_SAMPLE,	/* page-placement sampling of its mm */
	NUMAMIG_SRC_FAULTS,	/* NUMA-balancing hinting faults */
};

/**
 * struct numamig_task - what numamig knows of one watched task
 * @hnode: in numamig_task_table, keyed by @task
 * @list: in numamig_task_list, under numamig_lock
 * @rcu: frees the entry a grace period after it left the table, when no
 *	probe can still hold it
 * @task: the task; the entry holds a reference, so the pointer is not
 *	reused for another task while the entry is in the table
 * @pid: thread id
 * @tgid: process id
 *
 * Written by probes, each field by one probe at a time, serialised by the
 * runqueue lock or pi_lock of the task (see numamig_hooks.c); read by the
 * worker without locks:
 * @exec_seen: @task's se.sum_exec_runtime when last accounted
 * @run_ns: run time on each node, cumulative
 * @wake_ns: local_clock() of the last wakeup not yet followed by a run
 * @wait_ns: wakeup-to-run time, cumulative
 * @waits: wakeups followed by a run
 * @migrated_ns: local_clock() of the last migration by anyone, 0 if none
 * @migrations: migrations seen
 * @exited: the task passed sched_process_exit
 *
 * Written by the worker under numamig_lock, read by debugfs under it:
 * @run_seen: @run_ns at the last worker pass
 * @run_window: run time on each node, decayed over window_ms
 * @wait_seen: @wait_ns at the last worker pass
 * @waits_seen: @waits at the last worker pass
 * @wait_avg_us: mean wakeup-to-run time over the last period
 * @cpu_permille: CPU used over the last period, per mille of one CPU
 * @mem: memory per node from @source, in its own unit
 * @source: where @mem came from
 * @cur_node: node of the CPU the task was last seen on
 * @est: the policy's estimate from @mem and @cur_node
 */
struct numamig_task {
	struct rhash_head hnode;
	struct list_head list;
	struct rcu_head rcu;
	struct task_struct *task;
	pid_t pid;
	pid_t tgid;

	u64 exec_seen;
	u64 run_ns[NUMAMIG_MAX_NODES];
	u64 wake_ns;
	u64 wait_ns;
	u64 waits;
	u64 migrated_ns;
	unsigned long migrations;
	bool exited;

	u64 run_seen[NUMAMIG_MAX_NODES];
	u64 run_window[NUMAMIG_MAX_NODES];
	u64 wait_seen;
	u64 waits_seen;
	unsigned int wait_avg_us;
	unsigned int cpu_permille;
	unsigned int mem[NUMAMIG_MAX_NODES];
	enum numamig_mem_source source;
	int cur_node;
	struct numamig_estimate est;
};

/**
 * struct numamig_node_stats - per-node load, from the worker's last pass
 * @busy_permille: CPU busy time over the period, per mille of the node's
 *	CPUs together
 * @spare_mcpu: idle capacity, in thousandths of a CPU
 * @nr_cpus: online CPUs
 */
struct numamig_node_stats {
	unsigned int busy_permille;
	unsigned int spare_mcpu;
	unsigned int nr_cpus;
};

/**
 * struct numamig_worker_stats - the slow path's own counters
 * @runs: passes made
 * @ns_total: time spent in all passes
 * @ns_last: time spent in the last pass
 * @tasks_added: tasks that joined the table
 * @tasks_removed: tasks that left it after exiting
 * @tasks_dropped: eligible tasks left out at the last pass for lack of
 *	room (a gauge, not a running count)
 * @pages_sampled: sampled addresses that had a resident page
 * @pages_not_resident: sampled addresses that had none
 * @sample_ns_total: time spent sampling
 * @fault_reads: NUMA-balancing fault statistics read
 *
 * Written by the worker under numamig_lock, read by debugfs under it.
 */
struct numamig_worker_stats {
	u64 runs;
	u64 ns_total;
	u64 ns_last;
	u64 tasks_added;
	u64 tasks_removed;
	u64 tasks_dropped;
	u64 pages_sampled;
	u64 pages_not_resident;
	u64 sample_ns_total;
	u64 fault_reads;
};

DECLARE_PER_CPU(struct numamig_cpu_stats, numamig_cpu_stats);

/* Parameters (numamig_params.c), read with READ_ONCE() where they may change. */
extern unsigned int numamig_period_ms;
extern unsigned int numamig_window_ms;
extern unsigned int numamig_max_tasks;
extern unsigned int numamig_min_rss_mb;
extern unsigned int numamig_min_cpu_permille;
extern unsigned int numamig_sample_pages;

/* Tasks (numamig_tasks.c). */
extern struct mutex numamig_lock;
extern struct list_head numamig_task_list;
extern atomic_t numamig_nr_tasks;
int numamig_tasks_init(void);
void numamig_tasks_exit(void);
struct numamig_task *numamig_task_lookup(struct task_struct *p);
int numamig_task_add(struct task_struct *p);
void numamig_task_remove(struct numamig_task *t);

/* Memory placement (numamig_mem.c). */
int numamig_mem_init(void);
unsigned int numamig_mem_sample(struct task_struct *p, unsigned int *pages,
				unsigned int nr_samples,
				struct numamig_worker_stats *ws);
bool numamig_mem_faults(struct task_struct *p, unsigned int *faults);
int numamig_mem_hw_status(void);

/* The slow path (numamig_worker.c). */
extern struct numamig_topology numamig_topo;
extern struct numamig_node_stats numamig_nodes[NUMAMIG_MAX_NODES];
extern struct numamig_worker_stats numamig_wstats;
int numamig_worker_init(void);
void numamig_worker_start(void);
void numamig_worker_stop(void);
void numamig_worker_exit(void);

int numamig_hooks_find(void);
int numamig_hooks_attach(void);
void numamig_hooks_detach(void);
const char *numamig_hooks_name(enum numamig_tp tp);
bool numamig_hooks_attached(enum numamig_tp tp);

void numamig_debugfs_init(void);
void numamig_debugfs_exit(void);

#endif /* _NUMAMIG_H */
