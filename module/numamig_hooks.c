// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_hooks.c - the hot path: probes on the scheduler's tracepoints.
 *
 * The scheduler tracepoints are not exported as register_trace_<name>()
 * to modules, so they are looked up by name with
 * for_each_kernel_tracepoint() and attached with
 * tracepoint_probe_register(), as samples/trace_events does.
 *
 * Every probe here may run with the runqueue lock held and interrupts
 * off (sched_switch, sched_migrate_task, the wakeups): it bumps a counter
 * of the CPU it runs on and, for a watched task, writes a few fields of
 * its entry, found through this CPU's cache (numamig_task_cached()).
 * Anything that needs more is deferred to the worker.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/topology.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include <numamig/compat.h>
#include "numamig.h"

DEFINE_PER_CPU(struct numamig_cpu_stats, numamig_cpu_stats);

static __always_inline void numamig_count(enum numamig_tp tp)
{
	this_cpu_inc(numamig_cpu_stats.events[tp]);
}

/*
 * Idle time of this CPU, and the run time of a watched task that leaves
 * it: at sched_switch its se.sum_exec_runtime is up to date (the switch
 * is traced after put_prev_task()), so the run since it was last
 * accounted belongs to this CPU's node. The runqueue lock serialises the
 * writers of a task's fields; the worker reads them without locking.
 */
static void probe_sched_switch(void *data, bool preempt,
			       struct task_struct *prev,
			       struct task_struct *next,
			       unsigned int prev_state)
{
	struct numamig_cpu_stats *cs = this_cpu_ptr(&numamig_cpu_stats);
	struct numamig_task *t;
	u64 now = 0, exec;
	int nid;

	numamig_count(NUMAMIG_TP_SWITCH);
	if (is_idle_task(prev) || is_idle_task(next)) {
		now = local_clock();
		if (is_idle_task(prev) && cs->idle_since)
			cs->idle_ns += now - cs->idle_since;
		cs->idle_since = is_idle_task(next) ? now : 0;
	}

	t = numamig_task_cached(cs, prev, true);
	if (t) {
		exec = READ_ONCE(prev->se.sum_exec_runtime);
		nid = numa_node_id();
		if (nid < numamig_topo.nr_nodes && exec > t->exec_seen)
			WRITE_ONCE(t->node[nid].run_ns,
				   t->node[nid].run_ns + exec - t->exec_seen);
		WRITE_ONCE(t->exec_seen, exec);
		WRITE_ONCE(t->on_cpu, false);
	}
	t = numamig_task_cached(cs, next, true);
	if (t) {
		WRITE_ONCE(t->cpu, smp_processor_id());
		WRITE_ONCE(t->on_cpu, true);
	}
}

/* Any migration, by the load balancer, NUMA balancing, affinity or us. */
static void probe_sched_migrate_task(void *data, struct task_struct *p,
				     int dest_cpu)
{
	struct numamig_task *t;

	numamig_count(NUMAMIG_TP_MIGRATE);
	t = numamig_task_cached(this_cpu_ptr(&numamig_cpu_stats), p, false);
	if (t) {
		u64 now = local_clock();

		if (cpu_to_node(dest_cpu) != cpu_to_node(t->cpu))
			WRITE_ONCE(t->node_migrated_ns, now);
		WRITE_ONCE(t->migrated_ns, now);
		WRITE_ONCE(t->migrations, t->migrations + 1);
		WRITE_ONCE(t->cpu, dest_cpu);
	}
}

static void probe_sched_process_fork(void *data, struct task_struct *parent,
				     struct task_struct *child)
{
	numamig_count(NUMAMIG_TP_FORK);
	numamig_fork_note(parent, child);
}

/* The worker frees the entry; the probe only marks it. */
static void probe_sched_process_exit(void *data, struct task_struct *p)
{
	struct numamig_task *t;

	numamig_count(NUMAMIG_TP_EXIT);
	t = numamig_task_cached(this_cpu_ptr(&numamig_cpu_stats), p, false);
	if (t)
		WRITE_ONCE(t->exited, true);
}

static void probe_sched_wakeup(void *data, struct task_struct *p)
{
	numamig_count(NUMAMIG_TP_WAKEUP);
}

static void probe_sched_wakeup_new(void *data, struct task_struct *p)
{
	numamig_count(NUMAMIG_TP_WAKEUP_NEW);
}

/*
 * NUMA balancing decided to move a task to another node: that counts as
 * a node change for numamig's cooldown from now on, even before the move
 * happens (a task not on a runqueue moves when it next wakes up), so
 * that numamig does not undo what the kernel just did. Rare events: the
 * lookup costs nothing that matters.
 */
static void numamig_numa_moved(struct task_struct *p)
{
	struct numamig_task *t = p ? numamig_task_lookup(p) : NULL;

	if (t)
		WRITE_ONCE(t->numa_moved_ns, local_clock());
}

static void probe_sched_move_numa(void *data, struct task_struct *tsk,
				  int src_cpu, int dst_cpu)
{
	numamig_count(NUMAMIG_TP_MOVE_NUMA);
	numamig_numa_moved(tsk);
}

static void probe_sched_swap_numa(void *data, struct task_struct *src_tsk,
				  int src_cpu, struct task_struct *dst_tsk,
				  int dst_cpu)
{
	numamig_count(NUMAMIG_TP_SWAP_NUMA);
	numamig_numa_moved(src_tsk);
	numamig_numa_moved(dst_tsk);
}

/* NUMA balancing passes a NULL dst_tsk and dst_cpu -1 when it found no partner. */
static void probe_sched_stick_numa(void *data, struct task_struct *src_tsk,
				   int src_cpu, struct task_struct *dst_tsk,
				   int dst_cpu)
{
	numamig_count(NUMAMIG_TP_STICK_NUMA);
	if (!dst_tsk)
		this_cpu_inc(numamig_cpu_stats.stick_numa_no_dst);
}

/*
 * <trace/events/sched.h> declares register_trace_<name>() with the exact
 * probe type the tracepoint calls, even though we may not call it: a
 * probe whose prototype drifted from the kernel's fails the build here
 * instead of corrupting arguments at run time.
 */
#define NUMAMIG_CHECK_PROBE(name)					\
	static_assert(__same_type(register_trace_##name,			\
				  int (typeof(probe_##name) *, void *)),	\
		      "probe_" #name " does not match the kernel's prototype")
NUMAMIG_CHECK_PROBE(sched_switch);
NUMAMIG_CHECK_PROBE(sched_migrate_task);
NUMAMIG_CHECK_PROBE(sched_process_fork);
NUMAMIG_CHECK_PROBE(sched_process_exit);
NUMAMIG_CHECK_PROBE(sched_wakeup);
NUMAMIG_CHECK_PROBE(sched_wakeup_new);
NUMAMIG_CHECK_PROBE(sched_move_numa);
NUMAMIG_CHECK_PROBE(sched_swap_numa);
NUMAMIG_CHECK_PROBE(sched_stick_numa);

/**
 * struct numamig_hook - one tracepoint numamig attaches to
 * @name: tracepoint name
 * @probe: our probe, type-checked above
 * @required: loading fails without it
 * @tp: the kernel's tracepoint, found by numamig_hooks_find()
 * @attached: our probe is registered on @tp
 *
 * Written only by module init and exit, which the module loader
 * serialises; read by debugfs while the module is live.
 */
struct numamig_hook {
	const char *name;
	void *probe;
	bool required;
	struct tracepoint *tp;
	bool attached;
};

#define NUMAMIG_HOOK(tpname, req)					\
	{ .name = #tpname, .probe = probe_##tpname, .required = req }

static struct numamig_hook numamig_hooks[NUMAMIG_NR_TP] = {
	[NUMAMIG_TP_SWITCH] = NUMAMIG_HOOK(sched_switch, true),
	[NUMAMIG_TP_MIGRATE] = NUMAMIG_HOOK(sched_migrate_task, true),
	[NUMAMIG_TP_FORK] = NUMAMIG_HOOK(sched_process_fork, true),
	[NUMAMIG_TP_EXIT] = NUMAMIG_HOOK(sched_process_exit, true),
	[NUMAMIG_TP_WAKEUP] = NUMAMIG_HOOK(sched_wakeup, true),
	[NUMAMIG_TP_WAKEUP_NEW] = NUMAMIG_HOOK(sched_wakeup_new, true),
	[NUMAMIG_TP_MOVE_NUMA] = NUMAMIG_HOOK(sched_move_numa, false),
	[NUMAMIG_TP_SWAP_NUMA] = NUMAMIG_HOOK(sched_swap_numa, false),
	[NUMAMIG_TP_STICK_NUMA] = NUMAMIG_HOOK(sched_stick_numa, false),
};

/*
 * Fault-injection builds (tools/build-modules --fault N, for the selftests
 * only) exercise the failed-load paths:
 *   1: a required tracepoint is missing;
 *   2: attaching fails after some probes were attached.
 */
#ifndef NUMAMIG_FAULT
#define NUMAMIG_FAULT 0
#endif

static void numamig_hooks_match(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < NUMAMIG_NR_TP; i++) {
		if (!strcmp(tp->name, numamig_hooks[i].name)) {
			numamig_hooks[i].tp = tp;
			return;
		}
	}
}

/**
 * numamig_hooks_find() - look up every tracepoint numamig probes
 *
 * Context: process context, module init.
 * Return: 0, or -ENOENT if a required tracepoint is not in this kernel.
 * Optional ones that are missing are reported and left unattached.
 */
int numamig_hooks_find(void)
{
	int i, err = 0;

	if (NUMAMIG_FAULT == 1)
		numamig_hooks[NUMAMIG_TP_WAKEUP].name = "numamig_no_such_tracepoint";

	for_each_kernel_tracepoint(numamig_hooks_match, NULL);

	for (i = 0; i < NUMAMIG_NR_TP; i++) {
		struct numamig_hook *h = &numamig_hooks[i];

		if (h->tp)
			continue;
		if (h->required) {
			pr_err("required tracepoint %s not found in this kernel\n",
			       h->name);
			err = -ENOENT;
		} else {
			pr_info("tracepoint %s not found, its events are not counted\n",
				h->name);
		}
	}
	return err;
}

static void numamig_hooks_unregister(void)
{
	int i;

	for (i = NUMAMIG_NR_TP - 1; i >= 0; i--) {
		struct numamig_hook *h = &numamig_hooks[i];

		if (!h->attached)
			continue;
		WARN_ON_ONCE(tracepoint_probe_unregister(h->tp, h->probe, NULL));
		h->attached = false;
	}
}

/**
 * numamig_hooks_attach() - register the probes on the tracepoints found
 *
 * Context: process context, after numamig_hooks_find() succeeded.
 * Return: 0, or the error of the first registration that failed, with
 * every probe registered so far removed again.
 */
int numamig_hooks_attach(void)
{
	int i, err;

	for (i = 0; i < NUMAMIG_NR_TP; i++) {
		struct numamig_hook *h = &numamig_hooks[i];

		if (!h->tp)
			continue;
		if (NUMAMIG_FAULT == 2 && i == NUMAMIG_TP_WAKEUP)
			err = -EINVAL;
		else
			err = tracepoint_probe_register(h->tp, h->probe, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       h->name, err);
			goto err_unregister;
		}
		h->attached = true;
	}
	return 0;

err_unregister:
	numamig_hooks_unregister();
	tracepoint_synchronize_unregister();
	return err;
}

/**
 * numamig_hooks_detach() - remove every probe and wait until none runs
 *
 * Context: process context, may sleep. On return no probe is running or
 * will run again, so whatever the probes touch may be freed.
 */
void numamig_hooks_detach(void)
{
	numamig_hooks_unregister();
	tracepoint_synchronize_unregister();
}

/**
 * numamig_hooks_name() - the name of a tracepoint numamig probes
 * @tp: which one
 *
 * Context: any; the names never change.
 * Return: the tracepoint's name, as debugfs stats prints its counter.
 */
const char *numamig_hooks_name(enum numamig_tp tp)
{
	return numamig_hooks[tp].name;
}

/**
 * numamig_hooks_attached() - whether numamig's probe is on a tracepoint
 * @tp: which one
 *
 * Context: process context, while the module is live (debugfs stats):
 * only module init and exit change it.
 * Return: true if the probe is registered.
 */
bool numamig_hooks_attached(enum numamig_tp tp)
{
	return numamig_hooks[tp].attached;
}
