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
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable-types.h>
#include <linux/sched.h>
#include <linux/types.h>

#include <numamig/policy.h>

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

/* Four slots: a CPU switches among a few tasks at a time. */
#define NUMAMIG_SLOT_BITS	2

/**
 * struct numamig_task_slot - a task's entry as a probe last looked it up
 * @task: the task
 * @entry: its entry, NULL if it was not watched
 * @gen: numamig_task_gen before that look-up
 */
struct numamig_task_slot {
	struct task_struct *task;
	struct numamig_task *entry;
	unsigned long gen;
};

/**
 * struct numamig_cpu_stats - event counters and idle time of one CPU
 * @events: tracepoint hits on this CPU, indexed by enum numamig_tp
 * @stick_numa_no_dst: sched_stick_numa hits that named no destination
 *	task (NUMA balancing found no swap partner)
 * @idle_ns: time spent in the idle task, summed at each switch out of it
 * @idle_since: local_clock() when this CPU last switched to idle, 0 while
 *	it runs a task (or has not switched since numamig loaded)
 * @slots: a small cache of task entries, direct-mapped by task pointer:
 *	see numamig_task_cached()
 *
 * Written only by probes on the owning CPU, read by anyone; @slots only
 * by sched_switch (interrupts off, so no probe on this CPU interrupts a
 * fill), read by the other probes of this CPU.
 */
struct numamig_cpu_stats {
	unsigned long events[NUMAMIG_NR_TP];
	unsigned long stick_numa_no_dst;
	u64 idle_ns;
	u64 idle_since;
	struct numamig_task_slot slots[1 << NUMAMIG_SLOT_BITS];
};

/* Where a task's memory picture came from. */
enum numamig_mem_source {
	NUMAMIG_SRC_NONE,	/* nothing known yet */
	NUMAMIG_SRC_SAMPLE,	/* page-placement sampling of its mm */
	NUMAMIG_SRC_FAULTS,	/* NUMA-balancing hinting faults */
};

/**
 * struct numamig_node_run - a task's run time on one node
 * @run_ns: cumulative; written by the sched_switch probe
 * @run_seen: @run_ns at the last worker pass; worker only
 * @run_window: run time decayed over window_ms; worker only
 */
struct numamig_node_run {
	u64 run_ns;
	u64 run_seen;
	u64 run_window;
};

/**
 * struct numamig_hold - a task numamig narrowed to a node, and what it
 *	had before
 * @ref: the task's entry holds one reference, a fork record of a child
 *	forked while it was held another
 * @rcu: freed a grace period after the last reference went, since the
 *	fork probe finds it under RCU
 * @node: the node it is held on
 * @until_ns: local_clock() when the hold ends
 * @partner: for a swap, the entry of the task it exchanged nodes with,
 *	whose hold ends with this one; NULL for a single move. Worker
 *	only, under numamig_lock; cleared on both sides when either ends.
 * @tgid: the held task's process, to know its descendants by
 * @since_ns: ktime_get_ns() before the mask was narrowed: only a task
 *	started after it (task_struct.start_time) can have inherited it
 * @ended_ns: ktime_get_ns() when the hold ended, 0 while in force: a
 *	task started long after it cannot have inherited the mask either.
 *	Worker and module exit only, under numamig_lock.
 * @forked: set by the fork probe when the task forked a child that
 *	inherited the narrowed mask; the worker then sweeps for children
 *	the fork slots did not hold (numamig_forks_drain())
 * @saved: the allowed CPUs it had, to give back (cpumask_size() bytes),
 *	then the mask numamig set, @saved and @node's CPUs at the time of
 *	the move (cpumask_size() bytes more): kept, not recomputed, because
 *	a node's CPUs change as CPUs go offline and come back
 */
struct numamig_hold {
	refcount_t ref;
	struct rcu_head rcu;
	int node;
	u64 until_ns;
	struct numamig_task *partner;
	pid_t tgid;
	u64 since_ns;
	u64 ended_ns;
	atomic_t forked;
	unsigned long saved[];
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
 * @node: per node run time, see struct numamig_node_run
 * @migrated_ns: local_clock() of the last migration by anyone, 0 if none
 * @node_migrated_ns: the same for the last migration to another node
 * @cpu: the CPU the task last ran on or was migrated to
 * @on_cpu: the task is running, its run time since @exec_seen not yet
 *	accounted
 * @migrations: migrations seen
 * @exited: the task passed sched_process_exit
 * @numa_moved_ns: local_clock() when NUMA balancing last decided to move
 *	the task to another node (sched_move_numa, or either side of
 *	sched_swap_numa), 0 if never: the move itself may come later, when
 *	the task next wakes up. Those probes run in the context of the task
 *	that took the hinting fault, under no lock of @task: two may write
 *	at once, and either time will do.
 *
 * Written by the worker under numamig_lock, read by debugfs under it:
 * @wait_seen: the task's sched_info.run_delay at the last worker pass
 * @waits_seen: its sched_info.pcount then
 * @wait_avg_us: mean runnable wait (after a wakeup or a preemption) per
 *	time it got a CPU, over the last period it ran in
 * @cpu_permille: CPU used over the last period, per mille of one CPU
 * @mem: memory per node from @source, in its own unit; nr_nodes
 *	entries, in the same allocation after @node
 * @source: where @mem came from
 * @cur_node: node of the CPU the task was last seen on
 * @best_node: @est_stale's estimate: the node of lowest access cost
 * @remote_share: its share of memory off @cur_node, fixed point
 * @slowdown: its slowdown on @cur_node, fixed point
 * @est_stale: @mem or @cur_node changed since the estimate
 * @start_ns: the task's start_time (CLOCK_MONOTONIC ns)
 * @verdict: the last decision (enum numamig_verdict), NUMAMIG_NR_VERDICTS
 *	before the first
 * @target: the node of the last decision, -1 if none
 * @benefit_ns: its expected gain
 * @cost_ns: its expected cost
 * @hold: while numamig holds the task on a node: what to give back.
 *	Written by the worker under numamig_lock, read by the fork probe
 *	under RCU.
 * @last_hold: the hold that last ended (given back, or forgotten for
 *	the user's mask), kept while the entry lives: a fork that copied
 *	the narrowed mask before the hold ended reaches the fork probe after
 *	it, and its child must still be found. Same rules as @hold.
 * @excluded: out of the scope the comm_* and cgroup_* parameters set,
 *	as of @scope_gen (see numamig_scope.c)
 * @scope_gen: the scope's generation @excluded was computed for, 0 if
 *	none
 * @scope_cgid: the task's cgroup id then, 0 if no cgroup list was set
 * @scope_comm: the task's name then
 * @scope_pcomm: its process's name then
 *
 * Per node, after the fixed part: @node[nr_nodes], then @mem[nr_nodes].
 */
struct numamig_task {
	struct rhash_head hnode;
	struct list_head list;
	struct rcu_head rcu;
	struct task_struct *task;
	pid_t pid;
	pid_t tgid;

	u64 exec_seen;
	u64 migrated_ns;
	u64 node_migrated_ns;
	unsigned long migrations;
	int cpu;
	bool on_cpu;
	bool exited;
	u64 numa_moved_ns;

	u64 wait_seen;
	u64 waits_seen;
	unsigned int wait_avg_us;
	unsigned int cpu_permille;
	unsigned int *mem;
	enum numamig_mem_source source;
	int cur_node;
	int best_node;
	unsigned int remote_share;
	unsigned int slowdown;
	bool est_stale;
	u64 start_ns;
	unsigned int verdict;
	int target;
	u64 benefit_ns;
	u64 cost_ns;
	struct numamig_hold __rcu *hold;
	struct numamig_hold __rcu *last_hold;
	bool excluded;
	u32 scope_gen;
	u64 scope_cgid;
	char scope_comm[TASK_COMM_LEN];
	char scope_pcomm[TASK_COMM_LEN];

	struct numamig_node_run node[];
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
 * @cpu_ns_total: CPU time the worker used in all passes (@ns_total
 *	counts time it was preempted or slept too)
 * @tasks_added: tasks that joined the table
 * @tasks_removed: tasks that left it after exiting
 * @tasks_dropped: eligible tasks left out at the last pass for lack of
 *	room (a gauge, not a running count)
 * @pages_sampled: sampled addresses that had a resident page
 * @pages_not_resident: sampled addresses that had none
 * @sample_ns_total: time spent sampling
 * @fault_reads: NUMA-balancing fault statistics read
 * @discoveries: walks over all threads looking for tasks to watch
 *
 * Written by the worker under numamig_lock, read by debugfs under it.
 */
struct numamig_worker_stats {
	u64 runs;
	u64 ns_total;
	u64 ns_last;
	u64 cpu_ns_total;
	u64 tasks_added;
	u64 tasks_removed;
	u64 tasks_dropped;
	u64 pages_sampled;
	u64 pages_not_resident;
	u64 sample_ns_total;
	u64 fault_reads;
	u64 discoveries;
};

DECLARE_PER_CPU(struct numamig_cpu_stats, numamig_cpu_stats);

/* Parameters (numamig_params.c), read with READ_ONCE() where they may change. */
extern unsigned int numamig_period_ms;
extern unsigned int numamig_window_ms;
extern unsigned int numamig_max_tasks;
extern unsigned int numamig_min_rss_mb;
extern unsigned int numamig_min_cpu_permille;
extern unsigned int numamig_sample_pages;
extern unsigned int numamig_hold_ms;
extern unsigned int numamig_cooldown_ms;
extern unsigned int numamig_max_moves;
extern unsigned int numamig_migrate_cost_us;
extern unsigned int numamig_refill_us_per_mb;
extern unsigned int numamig_refill_cap_mb;
extern unsigned int numamig_margin_permille;
extern unsigned int numamig_min_gain_permille;
extern unsigned int numamig_min_age_ms;
extern unsigned int numamig_starve_wait_us;
extern unsigned int numamig_allow_rt;

/* What the decision engine may do: the mode parameter. */
enum numamig_mode {
	NUMAMIG_MODE_OFF,	/* watch and show only, decide nothing */
	NUMAMIG_MODE_OBSERVE,	/* decide and report, never act: a dry run */
	NUMAMIG_MODE_ENFORCE,	/* move tasks */
};

extern unsigned int numamig_mode;
const char *numamig_mode_name(unsigned int mode);

/* Tasks (numamig_tasks.c). */
extern struct mutex numamig_lock;
extern struct list_head numamig_task_list;
extern atomic_t numamig_nr_tasks;
int numamig_tasks_init(void);
void numamig_tasks_exit(void);
struct numamig_task *numamig_task_lookup_slow(struct task_struct *p);

/**
 * numamig_task_lookup() - the entry of a watched task
 * @p: the task
 *
 * Inline, so that a probe pays one atomic read, not a call, while no
 * task is watched (the common case for most tasks on most machines).
 *
 * Context: any, including probes with the runqueue lock held: takes no
 * lock and does not sleep. The entry stays valid until the caller leaves
 * its RCU read-side critical section (probes are in one).
 * Return: the entry, or NULL if @p is not watched.
 */
static __always_inline struct numamig_task *numamig_task_lookup(struct task_struct *p)
{
	if (!atomic_read(&numamig_nr_tasks))
		return NULL;
	return numamig_task_lookup_slow(p);
}

extern unsigned long numamig_task_gen;

/**
 * numamig_task_cached() - numamig_task_lookup() through this CPU's cache
 * @cs: this CPU's numamig_cpu_stats
 * @p: the task
 * @fill: store the result in the cache; only sched_switch, which runs
 *	with interrupts off, may (a probe interrupting a fill would leave
 *	a slot that pairs one task with another's entry)
 *
 * A slot is used only while numamig_task_gen is what it was before the
 * look-up that filled it. numamig_task_add() and numamig_task_remove()
 * bump the generation after they link or unlink an entry, and an entry
 * is freed a grace period after its removal: a probe that still sees
 * the old generation began before that grace period, so the entry it
 * takes from the cache is still allocated; one that began after it sees
 * the bump and looks up afresh. A task added since the fill is missed
 * until the bump is seen, as a plain look-up racing the insert would.
 *
 * Context: probes, preemption off (which keeps @cs this CPU's).
 * Return: the entry, or NULL if @p is not watched.
 */
static __always_inline struct numamig_task *
numamig_task_cached(struct numamig_cpu_stats *cs, struct task_struct *p,
		    bool fill)
{
	struct numamig_task_slot *s;
	struct numamig_task *t;
	unsigned long gen;

	if (!atomic_read(&numamig_nr_tasks))
		return NULL;
	s = &cs->slots[hash_ptr(p, NUMAMIG_SLOT_BITS)];
	gen = READ_ONCE(numamig_task_gen);
	if (s->task == p && s->gen == gen)
		return s->entry;
	/* The generation before the look-up: pairs with the add/remove smp_wmb(). */
	smp_rmb();
	t = numamig_task_lookup_slow(p);
	if (fill) {
		s->task = p;
		s->entry = t;
		s->gen = gen;
	}
	return t;
}

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

/**
 * numamig_worker_start() - queue the worker's first pass, period_ms away
 *
 * Context: module init, after the probes attached.
 */
void numamig_worker_start(void);

/**
 * numamig_worker_period_changed() - run the next pass a new period_ms from now
 *
 * A no-op before numamig_worker_start() and after numamig_worker_stop().
 *
 * Context: a period_ms write, kernel_param_lock() held.
 */
void numamig_worker_period_changed(void);

/**
 * numamig_worker_stop() - stop the worker for good
 *
 * Waits for a pass in progress; once cancelled, the work does not queue
 * itself again.
 *
 * Context: module exit, may sleep.
 */
void numamig_worker_stop(void);

/**
 * numamig_worker_exit() - free the worker's state
 *
 * Context: module exit or a failed init, after numamig_worker_stop() (or
 * before numamig_worker_start()).
 */
void numamig_worker_exit(void);

/**
 * struct numamig_migrate_stats - the mechanism's counters
 * @migrations: tasks moved (held on a node), two for each swap
 * @swaps: pairs of tasks that exchanged nodes
 * @swap_evaluations: pairs evaluated for a swap
 * @hold_renewals: holds that reached their end and went on for another
 *	hold_ms (numamig_hold_renews())
 * @migrate_errors: moves set_cpus_allowed_ptr() refused
 * @restore_errors: masks set_cpus_allowed_ptr() refused to give back
 * @children_restored: children of held tasks given their own mask
 * @children_swept: of those, the ones found by a sweep, not in a fork slot
 * @sweeps: walks over every thread for children the slots did not hold
 * @releases: holds ended, by enum numamig_release
 * @verdicts: decisions made, by enum numamig_verdict
 *
 * Written by the worker under numamig_lock, read by debugfs under it.
 */
struct numamig_migrate_stats {
	u64 migrations;
	u64 swaps;
	u64 swap_evaluations;
	u64 hold_renewals;
	u64 migrate_errors;
	u64 restore_errors;
	u64 children_restored;
	u64 children_swept;
	u64 sweeps;
	u64 releases[NUMAMIG_NR_RELEASES];
	u64 verdicts[NUMAMIG_NR_VERDICTS];
};

/* The mechanism (numamig_migrate.c). */
extern struct numamig_migrate_stats numamig_mstats;

/**
 * numamig_migrate_release_all() - give every held task its mask back
 * @detached: the probes are detached and tracepoint_synchronize_unregister()
 *	returned: no fork can be noted any more, so sweep for every child
 *	of every hold that ended
 *
 * Every task still held (an exited one is only forgotten), then the
 * children of held tasks.
 *
 * Context: module exit, the worker stopped; takes numamig_lock, may
 * sleep.
 */
void numamig_migrate_release_all(bool detached);
void numamig_fork_note(struct task_struct *parent, struct task_struct *child);
void numamig_forks_drain(void);
int numamig_hold(struct numamig_task *t, int node, int from, pid_t partner);
int numamig_swap_hold(struct numamig_task *a, int a_to, struct numamig_task *b,
		      int b_to);
enum numamig_release numamig_release(struct numamig_task *t, enum numamig_release why);
enum numamig_release numamig_hold_check(struct numamig_task *t, u64 now,
					int *renewed_on);
void numamig_hold_forget(struct numamig_task *t);

/**
 * numamig_holds() - tasks numamig holds on a node now
 *
 * Context: any (an atomic read).
 * Return: the number of holds in force.
 */
int numamig_holds(void);

/**
 * numamig_fork_overflows() - children of held tasks that were not noted
 *
 * Context: any (an atomic read).
 * Return: forks that found no free slot since load; those children keep
 * the narrowed mask.
 */
long numamig_fork_overflows(void);

/**
 * struct numamig_record - one line of debugfs decisions
 * @ns: local_clock() when it was made
 * @pid: thread id
 * @tgid: process id
 * @comm: the task's name
 * @from: node it ran on
 * @to: target node, -1 if none
 * @what: a verdict (enum numamig_verdict) or, for a release,
 *	NUMAMIG_NR_VERDICTS + enum numamig_release
 * @benefit_us: expected gain
 * @cost_us: expected cost
 * @slowdown_permille: estimated slowdown on @from
 * @partner: for a swap, the pid of the task it exchanged nodes with;
 *	0 otherwise
 */
struct numamig_record {
	u64 ns;
	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];
	s16 from;
	s16 to;
	u16 what;
	u64 benefit_us;
	u64 cost_us;
	unsigned int slowdown_permille;
	pid_t partner;
};

/* Recent decisions (numamig_decide.c), a ring under numamig_lock. */
#define NUMAMIG_NR_RECORDS	256
extern struct numamig_record numamig_records[NUMAMIG_NR_RECORDS];
extern u64 numamig_records_next;
void numamig_decide_pass(struct numamig_task *t, u64 now);
void numamig_decide_begin(void);
void numamig_decide_end(void);
void numamig_record_release(struct numamig_task *t, enum numamig_release why);

/**
 * numamig_decide_init() - allocate the decision engine's CPU masks
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int numamig_decide_init(void);

/**
 * numamig_decide_exit() - free what numamig_decide_init() allocated
 *
 * Context: module exit or a failed init.
 */
void numamig_decide_exit(void);

int numamig_hooks_find(void);
int numamig_hooks_attach(void);
void numamig_hooks_detach(void);
const char *numamig_hooks_name(enum numamig_tp tp);
bool numamig_hooks_attached(enum numamig_tp tp);

/* Scope (numamig_scope.c) and the kernel's other placers (numamig_coexist.c). */
bool numamig_scope_update(struct numamig_task *t);
void numamig_coexist_pass(u64 now);
pid_t numamig_numad_pid(void);

void numamig_debugfs_init(void);
void numamig_debugfs_exit(void);

#endif /* _NUMAMIG_H */
