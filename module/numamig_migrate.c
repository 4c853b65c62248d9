// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_migrate.c - the mechanism: holding a task on a node and giving
 * it its own mask back.
 *
 * A move narrows the task's allowed CPUs to the target node's CPUs
 * within the ones it had, with set_cpus_allowed_ptr(), for hold_ms; the
 * scheduler picks the CPU inside the node. What the task had is kept in a
 * struct numamig_hold and given back when the hold ends, when the task
 * starves, when the mode leaves enforce and at module exit. numamig
 * never widens a mask: it only ever sets a subset of what the task had,
 * or exactly what it had.
 *
 * The user wins: if the task's mask is no longer what numamig set (the
 * user, a cpuset or anyone else changed it), numamig forgets its hold
 * and gives nothing back. The mask is compared under the task's pi_lock,
 * which every writer of cpus_mask holds; a change between that check
 * and set_cpus_allowed_ptr() is not seen (no interface sets a mask
 * only if it is unchanged), a window of microseconds.
 *
 * Children: a task forked while its parent is held inherits the narrowed
 * mask. The fork probe records it, with a reference to the parent's hold,
 * in a per-CPU array of slots (lock-free: a slot is claimed with
 * cmpxchg and published with a release store); the worker gives the
 * child the parent's saved mask at its next pass, if the child's mask is
 * still the inherited one. The slots are a fast path, not the guarantee:
 * a fork that finds them full (fork_overflow), or a grandchild forked by
 * a child before the worker gave the child its mask (whose fork no probe
 * notes: the child is not held), would keep the narrowed mask. So a
 * noted fork also marks the hold, and the worker then sweeps every
 * thread once for the hold's descendants still on the narrowed mask
 * (numamig_hold_sweep()). The child copies the mask in dup_task_struct(), early in
 * copy_process(), and the fork tracepoint fires after copy_process()
 * returns: a hold ended in between leaves a child with the narrowed mask
 * whose parent is no longer held, or held again elsewhere. So the hold
 * that last ended stays referenced from the entry (last_hold) and the
 * probe looks at it too; it notes only a child whose mask is exactly a
 * narrowed one, so that forks of tasks held long ago cost a mask
 * comparison, not a slot. At module exit the probe is gone before the
 * last forks in flight reach it: the exit waits for them to reach the
 * task list and sweeps.
 *
 * The narrowed mask is kept in the hold, as it was set: computed again
 * after one of the node's CPUs went offline it would differ, and numamig
 * would take its own mask for the user's and leave the task narrowed.
 *
 * Context: everything but numamig_fork_note() runs in the worker or in
 * module exit, under numamig_lock, and may sleep (set_cpus_allowed_ptr()
 * waits for the task to leave a CPU it may no longer use). Lock order:
 * numamig_lock, then a task's pi_lock, or (module exit) its siglock.
 * numamig_fork_note() runs in the fork tracepoint, under RCU, and only
 * takes references. A hold is freed with kfree_rcu() after its last
 * reference: the entry's (hold or last_hold) and each fork slot's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>

#include <numamig/compat.h>
#include "numamig.h"

#define CREATE_TRACE_POINTS
#include "numamig_trace.h"

#define NUMAMIG_FORK_SLOTS	32

enum {
	NUMAMIG_SLOT_FREE,
	NUMAMIG_SLOT_BUSY,	/* claimed by the probe, being filled */
	NUMAMIG_SLOT_FULL,	/* filled, for the worker to take */
};

/**
 * struct numamig_fork_slot - a child forked by a held task
 * @state: NUMAMIG_SLOT_*
 * @child: the child, referenced
 * @hold: the parent's hold, referenced
 */
struct numamig_fork_slot {
	atomic_t state;
	struct task_struct *child;
	struct numamig_hold *hold;
};

struct numamig_fork_slots {
	struct numamig_fork_slot slot[NUMAMIG_FORK_SLOTS];
};

static DEFINE_PER_CPU(struct numamig_fork_slots, numamig_fork_slots);
/* Some hold's @forked is set: the worker has a sweep to do. */
static atomic_t numamig_sweep_pending = ATOMIC_INIT(0);
/* Holds in force. */
static atomic_t numamig_nr_held = ATOMIC_INIT(0);
/* Entries with a hold or a last_hold: the fork probe returns at once while none. */
static atomic_t numamig_nr_noting = ATOMIC_INIT(0);
static atomic_long_t numamig_fork_overflow = ATOMIC_LONG_INIT(0);

struct numamig_migrate_stats numamig_mstats;

static struct cpumask *numamig_hold_saved(struct numamig_hold *h)
{
	return to_cpumask(h->saved);
}

static void numamig_hold_put(struct numamig_hold *h)
{
	if (refcount_dec_and_test(&h->ref))
		kfree_rcu(h, rcu);
}

static struct numamig_hold *numamig_hold_of(struct numamig_task *t)
{
	return rcu_dereference_protected(t->hold, lockdep_is_held(&numamig_lock));
}

/* The mask numamig set for a hold: what the task had, on the hold's node. */
static struct cpumask *numamig_narrowed(struct numamig_hold *h)
{
	return to_cpumask(h->saved + cpumask_size() / sizeof(long));
}

/*
 * @p is on exactly the mask @h narrowed to (false for a NULL @h). Exact
 * under @p's pi_lock; without it, to be compared again under it.
 */
static bool numamig_on_narrowed(struct task_struct *p, struct numamig_hold *h)
{
	return h && cpumask_equal(&p->cpus_mask, numamig_narrowed(h));
}

/*
 * Give @p the mask @h saved, if its mask is still the one numamig set.
 * Return: 0 if given back, -EBUSY if the mask was changed by someone
 * else (left as it is), or set_cpus_allowed_ptr()'s error.
 */
static int numamig_give_back(struct task_struct *p, struct numamig_hold *h)
{
	unsigned long flags;
	bool ours;

	raw_spin_lock_irqsave(&p->pi_lock, flags);
	ours = numamig_on_narrowed(p, h);
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	if (!ours)
		return -EBUSY;
	return set_cpus_allowed_ptr(p, numamig_hold_saved(h));
}

/**
 * numamig_fork_note() - note a child forked by a task numamig holds
 * @parent: the forking task
 * @child: the new task, which inherited @parent's mask
 *
 * Context: the sched_process_fork probe: preemption off, RCU read side.
 * Takes references, never sleeps or allocates.
 */
void numamig_fork_note(struct task_struct *parent, struct task_struct *child)
{
	struct numamig_fork_slots *slots;
	struct numamig_hold *h;
	struct numamig_task *t;
	int i;

	if (!atomic_read(&numamig_nr_noting))
		return;
	t = numamig_task_cached(this_cpu_ptr(&numamig_cpu_stats), parent, false);
	if (!t)
		return;
	/*
	 * Unlocked: the child is not running yet, and numamig_give_back()
	 * compares again under its pi_lock. The hold that ended last is
	 * looked at even while the task is held again: a fork started
	 * before that hold ended may finish during the next one.
	 */
	h = rcu_dereference_sched(t->hold);
	if (!numamig_on_narrowed(child, h)) {
		h = rcu_dereference_sched(t->last_hold);
		if (!numamig_on_narrowed(child, h))
			return;
	}
	if (!refcount_inc_not_zero(&h->ref))
		return;
	/*
	 * Before the slot is published: the worker sees the mark by the
	 * time it takes the slot, and sweeps in the same pass.
	 */
	if (!atomic_read(&h->forked)) {
		atomic_set(&h->forked, 1);
		atomic_set_release(&numamig_sweep_pending, 1);
	}
	slots = this_cpu_ptr(&numamig_fork_slots);
	for (i = 0; i < NUMAMIG_FORK_SLOTS; i++) {
		struct numamig_fork_slot *s = &slots->slot[i];

		if (atomic_cmpxchg(&s->state, NUMAMIG_SLOT_FREE,
				   NUMAMIG_SLOT_BUSY) != NUMAMIG_SLOT_FREE)
			continue;
		get_task_struct(child);
		s->child = child;
		s->hold = h;
		atomic_set_release(&s->state, NUMAMIG_SLOT_FULL);
		return;
	}
	/*
	 * If the worker dropped the entry's reference meanwhile, this is the
	 * last put: kfree_rcu() neither sleeps nor takes a sleeping lock.
	 */
	numamig_hold_put(h);
	atomic_long_inc(&numamig_fork_overflow);
}

/* How many generations up a sweep looks for the held task's process. */
#define NUMAMIG_SWEEP_DEPTH	8
/* Tasks a sweep's walk takes at most, before it gives them back and walks again. */
#define NUMAMIG_SWEEP_BATCH	64
/* Walks a sweep makes at most in one pass; the rest waits for the next. */
#define NUMAMIG_SWEEP_WALKS	64
/*
 * How long after a hold ended a fork may still be in flight with the
 * narrowed mask it copied: the child's start_time is set late in
 * copy_process(), after its memory is copied, which under load takes
 * long. A task started later cannot have inherited the mask, whatever
 * mask it has.
 */
#define NUMAMIG_FORK_INFLIGHT_NS	(10ULL * NSEC_PER_SEC)
/* Drains module exit makes at most for sweeps that ask to run again. */
#define NUMAMIG_EXIT_SWEEPS	8
/* How long module exit waits, in all, for held processes' forks in flight. */
#define NUMAMIG_EXIT_FORK_WAIT_MS	2000

/*
 * Whether @p can have inherited @h's narrowed mask: it started while the
 * hold was in force or just after, and its affinity is its own (not a
 * kernel thread, an io_uring worker or a task whose affinity may not be
 * changed: the kernel chose their CPUs, and may have chosen a node's).
 * Context: worker or module exit, numamig_lock held (h->ended_ns).
 */
static bool numamig_may_inherit(struct task_struct *p, struct numamig_hold *h)
{
	u64 start = p->start_time;

	return !(p->flags & (PF_KTHREAD | PF_IO_WORKER | PF_NO_SETAFFINITY)) &&
	       start >= h->since_ns &&
	       (!h->ended_ns || start <= h->ended_ns + NUMAMIG_FORK_INFLIGHT_NS);
}

/* @p is in process @tgid, or a descendant of it. Context: RCU read side. */
static bool numamig_descends(struct task_struct *p, pid_t tgid)
{
	int depth;

	for (depth = 0; depth <= NUMAMIG_SWEEP_DEPTH; depth++) {
		if (p->tgid == tgid)
			return true;
		if (p->pid <= 1)
			return false;
		p = rcu_dereference(p->real_parent);
	}
	return false;
}

/*
 * Whether @p is a child (or a descendant) @h's task forked that still
 * has the narrowed mask it inherited: it may have inherited it, is on
 * exactly the narrowed mask, of the held process or below it, and not
 * the held task itself. Cheap tests first. Unlocked:
 * numamig_give_back() compares the mask again.
 * Context: RCU read side, numamig_lock held.
 */
static bool numamig_inherited(struct task_struct *p, struct numamig_hold *h,
			      struct task_struct *owner)
{
	return p != owner && numamig_may_inherit(p, h) &&
	       numamig_on_narrowed(p, h) &&
	       numamig_descends(p, h->tgid);
}

/*
 * Give @p, a child (or a descendant) of @h's task, the mask @h saved,
 * unless numamig holds @p itself: its own hold gives it back. @swept:
 * found by a sweep, not noted by the fork probe.
 * Return: whether it was given back.
 */
static bool numamig_child_restore(struct task_struct *p, struct numamig_hold *h,
				  bool swept)
{
	struct numamig_task *t;
	bool held;
	int err;

	rcu_read_lock();
	t = numamig_task_lookup(p);
	held = t && rcu_access_pointer(t->hold);
	rcu_read_unlock();
	if (held)
		return false;
	err = numamig_give_back(p, h);
	if (!err) {
		numamig_mstats.children_restored++;
		if (swept)
			numamig_mstats.children_swept++;
	}
	trace_numamig_release(p, h->node, numamig_release_name(NUMAMIG_REL_CHILD), !err);
	return !err;
}

/*
 * Let a grace period in and the worker yield during a long walk, as
 * check_hung_uninterruptible_tasks() does. Return: whether the walk can
 * go on from @g and @p (both still in the task list).
 * Context: RCU read side, dropped and taken again.
 */
static bool numamig_walk_break(struct task_struct *g, struct task_struct *p)
{
	bool alive;

	get_task_struct(g);
	get_task_struct(p);
	rcu_read_unlock();
	cond_resched();
	rcu_read_lock();
	alive = pid_alive(g) && pid_alive(p);
	put_task_struct(p);
	put_task_struct(g);
	return alive;
}

/* Threads a walk looks at between two breaks of its RCU read side. */
#define NUMAMIG_SWEEP_BREAK	1024

/*
 * Walk every thread for @h's descendants still on its narrowed mask and
 * give them the mask @h saved. A task numamig holds itself is left to
 * its own hold. Return: false if it is to sweep again at the next pass:
 * the walks ran out with more to do, a walk was cut short (a thread it
 * stood on exited during a break), or it gave a task its mask back
 * (which may have been forking meanwhile, a child not yet in the task
 * list the walk saw).
 *
 * A walk passes over the tasks earlier walks failed to give back by
 * counting them: if one of them exits or changes its mask in between,
 * one more task is passed over, and found by the next sweep if this one
 * gave anything back.
 *
 * Context: worker or module exit, numamig_lock held; may sleep.
 */
static bool numamig_hold_sweep(struct numamig_hold *h, struct task_struct *owner)
{
	struct task_struct *batch[NUMAMIG_SWEEP_BATCH];
	struct task_struct *g, *p;
	int walks, n, i, done = 0, given = 0;

	for (walks = 0; walks < NUMAMIG_SWEEP_WALKS; walks++) {
		unsigned int seen = 0;
		bool cut = false;
		int skip = done;

		n = 0;
		numamig_mstats.sweeps++;
		rcu_read_lock();
		/* Two nested loops: out of both with goto, not break. */
		for_each_process_thread(g, p) {
			if (++seen % NUMAMIG_SWEEP_BREAK == 0 && !numamig_walk_break(g, p)) {
				cut = true;
				goto walked;
			}
			if (!numamig_inherited(p, h, owner))
				continue;
			/* Tasks a walk before could not give back: past them. */
			if (skip) {
				skip--;
				continue;
			}
			get_task_struct(p);
			batch[n++] = p;
			if (n == NUMAMIG_SWEEP_BATCH)
				goto walked;
		}
walked:
		rcu_read_unlock();

		for (i = 0; i < n; i++) {
			if (numamig_child_restore(batch[i], h, true))
				given++;
			else
				done++;
			put_task_struct(batch[i]);
		}
		if (cut)
			return false;
		if (n < NUMAMIG_SWEEP_BATCH)
			return !given;
	}
	return false;
}

/* Sweep for @h's children, if a fork marked it since the last sweep. */
static void numamig_hold_sweep_marked(struct numamig_hold *h, struct task_struct *owner)
{
	if (!h || !atomic_xchg(&h->forked, 0))
		return;
	if (!numamig_hold_sweep(h, owner)) {
		atomic_set(&h->forked, 1);
		atomic_set(&numamig_sweep_pending, 1);
	}
}

/**
 * numamig_forks_drain() - give children of held tasks their own mask
 *
 * First the children the fork probe put in slots, then, for each hold
 * a fork marked, a sweep for the ones it could not.
 *
 * Context: worker or module exit, numamig_lock held; may sleep.
 */
void numamig_forks_drain(void)
{
	struct numamig_task *t;
	int cpu, i;

	lockdep_assert_held(&numamig_lock);
	for_each_possible_cpu(cpu) {
		struct numamig_fork_slots *slots = per_cpu_ptr(&numamig_fork_slots, cpu);

		for (i = 0; i < NUMAMIG_FORK_SLOTS; i++) {
			struct numamig_fork_slot *s = &slots->slot[i];
			struct task_struct *child;
			struct numamig_hold *h;

			if (atomic_read_acquire(&s->state) != NUMAMIG_SLOT_FULL)
				continue;
			child = s->child;
			h = s->hold;
			atomic_set_release(&s->state, NUMAMIG_SLOT_FREE);

			if (numamig_may_inherit(child, h))
				numamig_child_restore(child, h, false);
			put_task_struct(child);
			numamig_hold_put(h);
		}
	}

	if (!atomic_xchg(&numamig_sweep_pending, 0))
		return;
	list_for_each_entry(t, &numamig_task_list, list) {
		struct numamig_hold *last = rcu_dereference_protected(t->last_hold,
							lockdep_is_held(&numamig_lock));

		numamig_hold_sweep_marked(numamig_hold_of(t), t->task);
		numamig_hold_sweep_marked(last, t->task);
	}
}

/**
 * numamig_hold() - move a task to a node and hold it there
 * @t: the task's entry, not held
 * @node: the target node
 * @from: the node it runs on, for the trace event
 * @partner: for the trace event: the pid of a swap's other task, 0
 *
 * Context: worker, numamig_lock held; may sleep.
 * Return: 0, -ENOMEM, -EINVAL if the task may use no CPU of @node, or
 * set_cpus_allowed_ptr()'s error.
 */
int numamig_hold(struct numamig_task *t, int node, int from, pid_t partner)
{
	unsigned int hold_ms = READ_ONCE(numamig_hold_ms);
	struct task_struct *p = t->task;
	struct numamig_hold *h;
	unsigned long flags;
	int err;

	lockdep_assert_held(&numamig_lock);
	h = kzalloc(sizeof(*h) + 2 * cpumask_size(), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	refcount_set(&h->ref, 1);
	h->node = node;
	h->tgid = p->tgid;
	h->since_ns = ktime_get_ns();
	h->until_ns = local_clock() + (u64)hold_ms * NSEC_PER_MSEC;
	raw_spin_lock_irqsave(&p->pi_lock, flags);
	cpumask_copy(numamig_hold_saved(h), &p->cpus_mask);
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	if (!cpumask_and(numamig_narrowed(h), numamig_hold_saved(h),
			 cpumask_of_node(node)) ||
	    !cpumask_intersects(numamig_narrowed(h), cpu_active_mask)) {
		kfree(h);
		return -EINVAL;
	}

	/* Visible to the fork probe before the mask can be inherited. */
	if (!rcu_access_pointer(t->last_hold))
		atomic_inc(&numamig_nr_noting);
	rcu_assign_pointer(t->hold, h);
	atomic_inc(&numamig_nr_held);
	err = set_cpus_allowed_ptr(p, numamig_narrowed(h));
	if (err) {
		RCU_INIT_POINTER(t->hold, NULL);
		atomic_dec(&numamig_nr_held);
		if (!rcu_access_pointer(t->last_hold))
			atomic_dec(&numamig_nr_noting);
		numamig_hold_put(h);
		numamig_mstats.migrate_errors++;
		return err;
	}
	numamig_mstats.migrations++;
	trace_numamig_migrate(p, from, node, hold_ms, partner);
	return 0;
}

/**
 * numamig_swap_hold() - exchange two tasks' nodes and hold both there
 * @a: one task's entry, not held
 * @a_to: the node @a goes to, where @b runs
 * @b: the other's entry, not held
 * @b_to: the node @b goes to, where @a runs
 *
 * Both in this call, so in the same pass; if @b cannot be moved, @a is
 * given its mask back (release:partner). The two holds end at the same
 * time and are linked: whatever ends one ends the other
 * (numamig_release()).
 *
 * Context: worker, numamig_lock held; may sleep.
 * Return: 0, or the error of the move that failed.
 */
int numamig_swap_hold(struct numamig_task *a, int a_to, struct numamig_task *b,
		      int b_to)
{
	struct numamig_hold *ha, *hb;
	int err;

	err = numamig_hold(a, a_to, a->cur_node, b->pid);
	if (err)
		return err;
	err = numamig_hold(b, b_to, b->cur_node, a->pid);
	if (err) {
		numamig_record_release(a, numamig_release(a, NUMAMIG_REL_PARTNER));
		return err;
	}
	ha = numamig_hold_of(a);
	hb = numamig_hold_of(b);
	hb->until_ns = ha->until_ns;
	ha->partner = b;
	hb->partner = a;
	numamig_mstats.swaps++;
	return 0;
}

/*
 * The other half of a swap whose first half @t ended for @why: its hold
 * ends too (see numamig_partner_release()). The links are cleared before,
 * so that this does not come back to @t, whose entry may be on its way
 * out.
 */
static void numamig_release_partner(struct numamig_task *p, struct numamig_task *t,
				    enum numamig_release why)
{
	struct numamig_hold *ph = numamig_hold_of(p);
	enum numamig_release pwhy;

	if (!ph || ph->partner != t)
		return;
	ph->partner = NULL;
	pwhy = READ_ONCE(p->exited) ? NUMAMIG_REL_EXITED : numamig_partner_release(why);
	numamig_record_release(p, numamig_release(p, pwhy));
}

/**
 * numamig_release() - end a hold
 * @t: the task's entry, held
 * @why: the reason; for NUMAMIG_REL_EXITED and NUMAMIG_REL_USER nothing
 *	is given back
 *
 * The hold of a swap partner ends with it, its release recorded here.
 *
 * Context: worker or module exit, numamig_lock held; may sleep.
 * Return: the reason that applied: NUMAMIG_REL_USER if the task's mask
 * turned out to have been changed by someone else.
 */
enum numamig_release numamig_release(struct numamig_task *t, enum numamig_release why)
{
	struct numamig_hold *h = numamig_hold_of(t);
	struct numamig_task *partner;
	struct numamig_hold *old;
	bool restored = false;
	int err;

	if (!h)
		return why;
	if (why != NUMAMIG_REL_EXITED && why != NUMAMIG_REL_USER) {
		err = numamig_give_back(t->task, h);
		if (err == -EBUSY)
			why = NUMAMIG_REL_USER;
		else if (err)
			numamig_mstats.restore_errors++;
		restored = !err;
	}
	RCU_INIT_POINTER(t->hold, NULL);
	h->ended_ns = ktime_get_ns();
	atomic_dec(&numamig_nr_held);
	numamig_mstats.releases[why]++;
	if (why != NUMAMIG_REL_EXITED)
		trace_numamig_release(t->task, h->node, numamig_release_name(why), restored);
	partner = h->partner;
	h->partner = NULL;
	old = rcu_dereference_protected(t->last_hold, lockdep_is_held(&numamig_lock));
	if (why != NUMAMIG_REL_EXITED) {
		/*
		 * A fork in flight may still copy the narrowed mask and reach
		 * the fork probe after this: keep the hold for it. So too when
		 * the user changed the task's mask: such a child inherited
		 * numamig's mask, not the user's.
		 */
		rcu_assign_pointer(t->last_hold, h);
	} else {
		/* The last chance to find the children the slots missed. */
		numamig_hold_sweep_marked(h, t->task);
		RCU_INIT_POINTER(t->last_hold, NULL);
		atomic_dec(&numamig_nr_noting);
		numamig_hold_put(h);
	}
	if (old) {
		numamig_hold_sweep_marked(old, t->task);
		numamig_hold_put(old);
	}
	if (partner)
		numamig_release_partner(partner, t, why);
	return why;
}

/**
 * numamig_hold_forget() - drop the hold an entry last gave back
 * @t: the task's entry, not held, leaving the table
 *
 * Context: worker or module exit, numamig_lock held.
 */
void numamig_hold_forget(struct numamig_task *t)
{
	struct numamig_hold *old = rcu_dereference_protected(t->last_hold,
							     lockdep_is_held(&numamig_lock));

	if (!old)
		return;
	/* Its children outlive the entry: find the ones the slots missed now. */
	numamig_hold_sweep_marked(old, t->task);
	RCU_INIT_POINTER(t->last_hold, NULL);
	atomic_dec(&numamig_nr_noting);
	numamig_hold_put(old);
}

/**
 * numamig_hold_check() - whether a hold should end now, and why
 * @t: the task's entry, held, its estimate (best_node) up to date
 * @now: local_clock()
 * @renewed_on: set to the node it is held on if the hold reached its end
 *	and was renewed for another hold_ms (numamig_hold_renews()), else -1
 *
 * Context: worker, numamig_lock held.
 * Return: a reason to release, or NUMAMIG_NR_RELEASES to keep holding.
 */
enum numamig_release numamig_hold_check(struct numamig_task *t, u64 now,
					int *renewed_on)
{
	struct numamig_hold *h = numamig_hold_of(t);
	struct task_struct *p = t->task;
	struct numamig_hold_view v;
	enum numamig_release why;
	unsigned long flags;

	v.enforce = READ_ONCE(numamig_mode) == NUMAMIG_MODE_ENFORCE;
	raw_spin_lock_irqsave(&p->pi_lock, flags);
	v.mask_ours = numamig_on_narrowed(p, h);
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	v.excluded = t->excluded;
	v.now_ns = now;
	v.until_ns = h->until_ns;
	v.wait_avg_us = t->wait_avg_us;
	v.starve_wait_us = READ_ONCE(numamig_starve_wait_us);
	v.held_node = h->node;
	v.best_node = t->best_node;
	v.cpu_permille = t->cpu_permille;
	v.swapped = !!h->partner;
	*renewed_on = -1;
	why = numamig_hold_ends(&v);
	if (why == NUMAMIG_REL_EXPIRED && numamig_hold_renews(&v)) {
		h->until_ns = now + (u64)READ_ONCE(numamig_hold_ms) * NSEC_PER_MSEC;
		numamig_mstats.hold_renewals++;
		*renewed_on = h->node;
		why = NUMAMIG_NR_RELEASES;
	}
	return why;
}

/* Holds in force, for debugfs. */
int numamig_holds(void)
{
	return atomic_read(&numamig_nr_held);
}

/*
 * Whether process @p is forking: copy_process() keeps each fork on the
 * process's multiprocess list, under its siglock, from before the child
 * copies the parent's mask until the child is on the task list. Not
 * thread creation (CLONE_THREAD): it is not on that list. The sighand
 * is taken as lock_task_sighand() (not exported) does.
 */
static bool numamig_forking(struct task_struct *p)
{
	struct sighand_struct *sighand;
	unsigned long flags;
	bool forking = false;

	rcu_read_lock();
	sighand = rcu_dereference(p->sighand);
	if (sighand) {
		spin_lock_irqsave(&sighand->siglock, flags);
		/* Not replaced by de_thread() or cleared by __exit_signal(). */
		if (sighand == rcu_access_pointer(p->sighand))
			forking = !hlist_empty(&p->signal->multiprocess);
		spin_unlock_irqrestore(&sighand->siglock, flags);
	}
	rcu_read_unlock();
	return forking;
}

/*
 * Module exit, after the probes are gone: wait until @t's process, whose
 * hold @last ended lately, has been seen once with no fork in flight. A
 * fork started before the hold ended, which may have copied the
 * narrowed mask, is then on the task list for the last sweep. Until
 * @deadline, shared by all (NUMAMIG_EXIT_FORK_WAIT_MS): a process still
 * forking then gets a warning, and a child of it may keep the narrowed
 * mask.
 * Context: module exit, numamig_lock held; sleeps.
 */
static void numamig_exit_forks_wait(struct numamig_task *t, struct numamig_hold *last,
				    unsigned long deadline)
{
	while (numamig_forking(t->task)) {
		if (time_after(jiffies, deadline)) {
			pr_warn("unload: process %d still forking after %u ms: a child may keep CPUs of node %d only\n",
				t->tgid, NUMAMIG_EXIT_FORK_WAIT_MS, last->node);
			return;
		}
		usleep_range(1000, 2000);
	}
}

long numamig_fork_overflows(void)
{
	return atomic_long_read(&numamig_fork_overflow);
}

/*
 * Context: module exit, the worker stopped. Called twice: while the
 * probes are still attached (@detached false), so that a fork in flight
 * while a task gets its mask back is still noted, and once more after
 * they are detached and tracepoint_synchronize_unregister() returned, for
 * the children noted in between. Every task still held gets its mask
 * back, then the children noted get theirs. The second time every hold
 * that ended lately is swept, marked or not: a fork that copied the narrowed
 * mask before its parent got its own back and reached the fork
 * tracepoint only while the probes were being detached was never noted.
 * Such a fork may still be copying its parent's memory, not yet on the
 * task list the sweep walks: the sweep waits for it first
 * (numamig_exit_forks_wait()), after the task's own hold, if any, ended.
 */
void numamig_migrate_release_all(bool detached)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(NUMAMIG_EXIT_FORK_WAIT_MS);
	u64 now = ktime_get_ns();
	struct numamig_task *t;
	int i;

	mutex_lock(&numamig_lock);
	list_for_each_entry(t, &numamig_task_list, list) {
		struct numamig_hold *last;

		if (rcu_access_pointer(t->hold))
			numamig_release(t, READ_ONCE(t->exited) ? NUMAMIG_REL_EXITED :
				       NUMAMIG_REL_UNLOAD);
		last = rcu_dereference_protected(t->last_hold,
						 lockdep_is_held(&numamig_lock));
		/* Only a hold that ended lately can have a fork in flight. */
		if (detached && last &&
		    now <= last->ended_ns + NUMAMIG_FORK_INFLIGHT_NS) {
			numamig_exit_forks_wait(t, last, deadline);
			atomic_set(&last->forked, 1);
			atomic_set(&numamig_sweep_pending, 1);
		}
	}
	numamig_forks_drain();
	/* A sweep left for the next pass: there is none after this. */
	for (i = 0; i < NUMAMIG_EXIT_SWEEPS && atomic_read(&numamig_sweep_pending); i++)
		numamig_forks_drain();
	mutex_unlock(&numamig_lock);
}
