// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_tasks.c - the table of watched tasks.
 *
 * Probes find a task's entry with numamig_task_lookup(), lock-free, under
 * the RCU read side they run in, through a small per-CPU cache
 * (numamig_task_cached(), invalidated by numamig_task_gen).
 * Only the worker adds and removes entries, under numamig_lock, which
 * also keeps numamig_task_list (for iteration by the worker and debugfs)
 * in step with the hash table. An entry removed
 * from the table is freed a grace period later, when no probe can still
 * hold it.
 *
 * Memory: sizeof(struct numamig_task) per task (about 0.8 KiB, see
 * Documentation/design.rst), at most max_tasks of them, allocated by the
 * worker with GFP_KERNEL, never by a probe.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include <numamig/compat.h>
#include "numamig.h"

/* Serialises the worker, debugfs readers and module exit. */
DEFINE_MUTEX(numamig_lock);
LIST_HEAD(numamig_task_list);
atomic_t numamig_nr_tasks = ATOMIC_INIT(0);
/* Bumped after every add and removal: invalidates the probes' caches. */
unsigned long numamig_task_gen;

static struct rhashtable numamig_task_table;

/*
 * The key is a pointer: a multiplicative hash of it spreads as well as
 * the default jhash and costs a multiply, not a loop, in every probe
 * that looks a task up.
 */
static u32 numamig_task_hash(const void *data, u32 len, u32 seed)
{
	return hash_64((unsigned long)*(struct task_struct *const *)data ^ seed, 32);
}

static const struct rhashtable_params numamig_task_params = {
	.key_len = sizeof(struct task_struct *),
	.key_offset = offsetof(struct numamig_task, task),
	.head_offset = offsetof(struct numamig_task, hnode),
	.hashfn = numamig_task_hash,
	.automatic_shrinking = true,
};

/**
 * numamig_task_lookup_slow() - numamig_task_lookup() once a task is watched
 * @p: the task
 *
 * Context: as numamig_task_lookup().
 * Return: the entry, or NULL if @p is not watched.
 */
struct numamig_task *numamig_task_lookup_slow(struct task_struct *p)
{
	return rhashtable_lookup_fast(&numamig_task_table, &p,
				      numamig_task_params);
}

/**
 * numamig_task_add() - start watching a task
 * @p: the task, referenced by the caller for the duration of the call
 *
 * Context: the worker, with numamig_lock held; may sleep.
 * Return: 0, -EEXIST if already watched, -ENOSPC at max_tasks, or
 * -ENOMEM.
 */
int numamig_task_add(struct task_struct *p)
{
	unsigned int n = numamig_topo.nr_nodes;
	struct numamig_task *t;
	int err;

	lockdep_assert_held(&numamig_lock);
	if (atomic_read(&numamig_nr_tasks) >= numamig_max_tasks)
		return -ENOSPC;

	/* Per-node arrays sized to the machine: 2 nodes need 56 bytes, not 64 x 28. */
	t = kzalloc(struct_size(t, node, n) + n * sizeof(*t->mem), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->mem = (unsigned int *)&t->node[n];
	get_task_struct(p);
	t->task = p;
	t->pid = task_pid_nr(p);
	t->tgid = task_tgid_nr(p);
	t->exec_seen = READ_ONCE(p->se.sum_exec_runtime);
	t->cpu = task_cpu(p);
	t->on_cpu = true;
	t->cur_node = cpu_to_node(t->cpu);
	t->best_node = -1;
	t->est_stale = true;
	t->start_ns = p->start_time;
	t->verdict = NUMAMIG_NR_VERDICTS;
	t->target = -1;

	err = rhashtable_lookup_insert_fast(&numamig_task_table, &t->hnode,
					    numamig_task_params);
	if (err) {
		put_task_struct(p);
		kfree(t);
		return err;
	}
	list_add_tail(&t->list, &numamig_task_list);
	atomic_inc(&numamig_nr_tasks);
	/* Linked before the bump: a cache slot that missed it is refilled. */
	smp_wmb();
	WRITE_ONCE(numamig_task_gen, numamig_task_gen + 1);
	/*
	 * A task that began to exit before the entry was visible passed
	 * sched_process_exit unseen: its entry would never be marked.
	 * do_exit() sets PF_EXITING, then does a fully ordered
	 * atomic_dec_and_test(&signal->live), then hits the tracepoint;
	 * with this barrier, either the probe finds the entry or this sees
	 * the flag.
	 */
	smp_mb();
	if (READ_ONCE(p->flags) & PF_EXITING)
		WRITE_ONCE(t->exited, true);
	return 0;
}

/**
 * numamig_task_remove() - stop watching a task
 * @t: its entry
 *
 * Context: the worker or module exit, with numamig_lock held.
 */
void numamig_task_remove(struct numamig_task *t)
{
	lockdep_assert_held(&numamig_lock);
	if (rcu_access_pointer(t->hold))
		numamig_release(t, NUMAMIG_REL_EXITED);
	numamig_hold_forget(t);
	WARN_ON_ONCE(rhashtable_remove_fast(&numamig_task_table, &t->hnode,
					    numamig_task_params));
	/*
	 * Unlinked before the bump: a probe that reads the new generation
	 * then looks up (smp_rmb() in numamig_task_cached()) cannot find it.
	 */
	smp_wmb();
	WRITE_ONCE(numamig_task_gen, numamig_task_gen + 1);
	list_del(&t->list);
	atomic_dec(&numamig_nr_tasks);
	/* Probes find the task through their own arguments, never t->task. */
	put_task_struct(t->task);
	kfree_rcu(t, rcu);
}

/**
 * numamig_tasks_init() - set up the empty table of watched tasks
 *
 * Context: process context, module init, before the probes attach.
 * Return: 0, or rhashtable_init()'s error.
 */
int numamig_tasks_init(void)
{
	return rhashtable_init(&numamig_task_table, &numamig_task_params);
}

/**
 * numamig_tasks_exit() - stop watching every task and free the table
 *
 * Context: module exit, after the probes are detached and the worker is
 * stopped; takes numamig_lock. kfree_rcu() callbacks call no module
 * code, so nothing waits for them here.
 */
void numamig_tasks_exit(void)
{
	struct numamig_task *t, *next;

	mutex_lock(&numamig_lock);
	list_for_each_entry_safe(t, next, &numamig_task_list, list)
		numamig_task_remove(t);
	mutex_unlock(&numamig_lock);
	rhashtable_destroy(&numamig_task_table);
}
