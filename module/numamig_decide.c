// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_decide.c - the decision engine's kernel side: what the policy
 * library needs to know of a task (its view), the verdict, acting on it,
 * and the record of recent decisions debugfs shows.
 *
 * The cost model itself is the pure numamig_decide() (numamig_policy.c);
 * this file only gathers its inputs and applies its answer, and after
 * the walk pairs tasks that found no room into swaps
 * (numamig_swap_match(), same library). Rules that
 * need the kernel are here: a task counts as pinned when its allowed
 * CPUs leave out an online CPU the scheduler balances over
 * (housekeeping_cpumask(HK_TYPE_DOMAIN)), which is what sched_setaffinity()
 * (taskset), a cpuset or numactl --cpunodebind do, and what a task that
 * nobody restricted never shows.
 *
 * Context: the worker, under numamig_lock, once per watched task per
 * pass, after its picture was updated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/isolation.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>

#include <numamig/compat.h>
#include "numamig.h"
#include "numamig_trace.h"

struct numamig_record numamig_records[NUMAMIG_NR_RECORDS];
/* Records made since load; the next goes to [numamig_records_next % N]. */
u64 numamig_records_next;

/* Idle time never quite reaches a whole CPU: see struct numamig_params. */
#define NUMAMIG_ROOM_SLACK_MCPU	100

/* Per pass, worker only. */
static struct numamig_params numamig_pp;
static struct numamig_node_load numamig_load[NUMAMIG_MAX_NODES];
static unsigned int numamig_moves_left;
static u64 numamig_ktime;
static cpumask_var_t numamig_balanced;	/* online housekeeping CPUs */
static cpumask_var_t numamig_allowed;	/* a task's allowed CPUs */

/* At most this many swaps a pass: the pool's seekers, two a pair. */
#define NUMAMIG_MAX_SWAPS	(NUMAMIG_MAX_NODES * NUMAMIG_SWAP_CANDIDATES / 2)

/**
 * struct numamig_swaps - a pass's candidates for swaps, and the pairs
 * @pool: seekers and partners, offered during the walk
 * @pairs: the swaps numamig_swap_match() took
 *
 * Worker only; about 70 KiB, allocated at load.
 */
struct numamig_swaps {
	struct numamig_swap_pool pool;
	struct numamig_swap_pair pairs[NUMAMIG_MAX_SWAPS];
};

static struct numamig_swaps *numamig_swaps;

/**
 * numamig_decide_begin() - take this pass's parameters and node loads
 *
 * Context: worker, numamig_lock held, before the first numamig_decide_pass().
 */
void numamig_decide_begin(void)
{
	unsigned int n;

	numamig_pp.migrate_cost_ns = (u64)READ_ONCE(numamig_migrate_cost_us) * NSEC_PER_USEC;
	numamig_pp.refill_ns_per_mb = (u64)READ_ONCE(numamig_refill_us_per_mb) * NSEC_PER_USEC;
	numamig_pp.refill_cap_mb = READ_ONCE(numamig_refill_cap_mb);
	numamig_pp.margin_permille = READ_ONCE(numamig_margin_permille);
	numamig_pp.min_gain_permille = READ_ONCE(numamig_min_gain_permille);
	numamig_pp.min_age_ns = (u64)READ_ONCE(numamig_min_age_ms) * NSEC_PER_MSEC;
	numamig_pp.horizon_ns = (u64)READ_ONCE(numamig_hold_ms) * NSEC_PER_MSEC;
	numamig_pp.cooldown_ns = (u64)READ_ONCE(numamig_cooldown_ms) * NSEC_PER_MSEC;
	numamig_pp.allow_rt = READ_ONCE(numamig_allow_rt);
	numamig_pp.room_slack_mcpu = NUMAMIG_ROOM_SLACK_MCPU;
	for (n = 0; n < numamig_topo.nr_nodes; n++) {
		numamig_load[n].spare_mcpu = numamig_nodes[n].spare_mcpu;
		numamig_load[n].busy_permille = numamig_nodes[n].busy_permille;
	}
	numamig_moves_left = READ_ONCE(numamig_max_moves);
	numamig_ktime = ktime_get_ns();
	numamig_swap_reset(&numamig_swaps->pool, numamig_topo.nr_nodes);
	cpumask_and(numamig_balanced, housekeeping_cpumask(HK_TYPE_DOMAIN),
		    cpu_online_mask);
}

static struct numamig_record *numamig_record(struct numamig_task *t,
					     unsigned int what, int to,
					     u64 benefit_ns, u64 cost_ns)
{
	struct numamig_record *r = &numamig_records[numamig_records_next++ %
						    NUMAMIG_NR_RECORDS];

	r->ns = local_clock();
	r->pid = t->pid;
	r->tgid = t->tgid;
	get_task_comm(r->comm, t->task);
	r->from = t->cur_node;
	r->to = to;
	r->what = what;
	r->benefit_us = div_u64(benefit_ns, NSEC_PER_USEC);
	r->cost_us = div_u64(cost_ns, NSEC_PER_USEC);
	r->slowdown_permille = ((u64)t->slowdown * 1000 + NUMAMIG_FP_ONE / 2) >>
			       NUMAMIG_FP_SHIFT;
	r->partner = 0;
	return r;
}

/**
 * numamig_record_release() - note the end of a hold in the record
 * @t: the task
 * @why: the reason
 *
 * Context: worker or module exit, numamig_lock held.
 */
void numamig_record_release(struct numamig_task *t, enum numamig_release why)
{
	numamig_record(t, NUMAMIG_NR_VERDICTS + why, -1, 0, 0);
}

static bool numamig_task_realtime(struct task_struct *p)
{
	unsigned int policy = READ_ONCE(p->policy);

	return policy == SCHED_FIFO || policy == SCHED_RR || policy == SCHED_DEADLINE;
}

static u64 numamig_task_rss_mb(struct task_struct *p)
{
	struct mm_struct *mm = get_task_mm(p);
	u64 rss;

	if (!mm)
		return 0;
	rss = get_mm_rss(mm) >> (20 - PAGE_SHIFT);
	mmput(mm);
	return rss;
}

/* Nodes the task may run on, and whether someone restricted it. */
static void numamig_task_cpus(struct task_struct *p, struct numamig_task_view *v)
{
	unsigned long flags;
	unsigned int n;

	raw_spin_lock_irqsave(&p->pi_lock, flags);
	cpumask_copy(numamig_allowed, &p->cpus_mask);
	raw_spin_unlock_irqrestore(&p->pi_lock, flags);
	v->pinned = !cpumask_subset(numamig_balanced, numamig_allowed);
	v->allowed_nodes = 0;
	for (n = 0; n < numamig_topo.nr_nodes; n++)
		if (cpumask_intersects(numamig_allowed, cpumask_of_node(n)))
			v->allowed_nodes |= 1ULL << n;
}

static void numamig_set_verdict(struct numamig_task *t, enum numamig_verdict v)
{
	numamig_mstats.verdicts[v]++;
	t->verdict = v;
}

static void numamig_estimate_only(struct numamig_task *t)
{
	struct numamig_estimate est;

	if (!t->est_stale)
		return;
	numamig_estimate(&numamig_topo, t->mem, t->cur_node, &est);
	t->best_node = est.best_node;
	t->remote_share = est.remote_share;
	t->slowdown = est.slowdown;
	t->est_stale = false;
}

/*
 * A hold renewed (numamig_hold_check()): recorded and traced as a
 * decision "held" on the node it stays on, the only time that verdict
 * is recorded, so that the decisions file says why the task is still
 * narrowed after hold_ms.
 */
static void numamig_renewed(struct numamig_task *t, int node)
{
	trace_numamig_decision(t->task, t->cur_node, node,
			       numamig_verdict_name(NUMAMIG_V_HELD), 0, 0,
			       ((u64)t->slowdown * 1000) >> NUMAMIG_FP_SHIFT,
			       t->cpu_permille);
	numamig_record(t, NUMAMIG_V_HELD, node, 0, 0);
}

/* Out of scope: never evaluated, never moved; recorded when it changes. */
static void numamig_exclude(struct numamig_task *t)
{
	if (t->verdict != NUMAMIG_V_EXCLUDED)
		numamig_record(t, NUMAMIG_V_EXCLUDED, -1, 0, 0);
	numamig_set_verdict(t, NUMAMIG_V_EXCLUDED);
	t->target = -1;
	t->benefit_ns = 0;
	t->cost_ns = 0;
	numamig_estimate_only(t);
}

static void numamig_act(struct numamig_task *t, const struct numamig_decision *d)
{
	unsigned int demand = t->cpu_permille;
	int err;

	numamig_moves_left--;
	/* Later moves this pass see the room this one takes. */
	numamig_load[d->target].spare_mcpu -= min(demand, numamig_load[d->target].spare_mcpu);
	numamig_load[t->cur_node].spare_mcpu += demand;
	if (READ_ONCE(numamig_mode) != NUMAMIG_MODE_ENFORCE)
		return;
	err = numamig_hold(t, d->target, t->cur_node, 0);
	if (err)
		pr_info_ratelimited("moving pid %d to node %d failed: %d\n",
				    t->pid, d->target, err);
}

/**
 * numamig_decide_pass() - decide for one task, and act
 * @t: the task, its picture up to date
 * @now: local_clock() of this pass
 *
 * A held task is only checked for the end of its hold (leaving the
 * scope ends it). An idle one is not evaluated (verdict idle): with
 * thousands of idle threads watched, that is most of them. Nor is one out
 * of the scope the comm_* and cgroup_* parameters set (verdict excluded),
 * checked only here, for tasks that would be evaluated, never in a
 * probe. Every other one gets a verdict, counted, traced, and recorded
 * when it differs from the task's last one.
 *
 * Context: worker, numamig_lock held; may sleep.
 */
void numamig_decide_pass(struct numamig_task *t, u64 now)
{
	unsigned int mode = READ_ONCE(numamig_mode);
	struct task_struct *p = t->task;
	struct numamig_task_view view;
	struct numamig_decision d;
	enum numamig_release why;
	int renewed_on;
	u64 moved;

	if (rcu_access_pointer(t->hold)) {
		numamig_scope_update(t);
		/* Where its memory is now decides a renewal. */
		numamig_estimate_only(t);
		why = numamig_hold_check(t, now, &renewed_on);
		if (why == NUMAMIG_NR_RELEASES) {
			if (renewed_on >= 0)
				numamig_renewed(t, renewed_on);
			numamig_set_verdict(t, NUMAMIG_V_HELD);
			return;
		}
		numamig_record_release(t, numamig_release(t, why));
		t->verdict = NUMAMIG_NR_VERDICTS;
	}
	if (mode == NUMAMIG_MODE_OFF || !t->cpu_permille) {
		if (mode != NUMAMIG_MODE_OFF)
			numamig_set_verdict(t, NUMAMIG_V_IDLE);
		numamig_estimate_only(t);
		return;
	}
	if (numamig_scope_update(t)) {
		numamig_exclude(t);
		return;
	}

	view.mem = t->mem;
	view.cur_node = t->cur_node;
	numamig_task_cpus(p, &view);
	view.realtime = numamig_task_realtime(p);
	view.age_ns = numamig_ktime > t->start_ns ? numamig_ktime - t->start_ns : 0;
	/* A move NUMA balancing decided counts from the decision on. */
	moved = max(READ_ONCE(t->node_migrated_ns), READ_ONCE(t->numa_moved_ns));
	view.since_move_ns = moved && now > moved ? now - moved : ~0ULL;
	view.cpu_permille = t->cpu_permille;
	view.rss_mb = numamig_task_rss_mb(p);

	numamig_decide(&numamig_topo, &numamig_pp, numamig_load, &view,
		       numamig_moves_left, &d);
	t->best_node = d.est.best_node;
	t->remote_share = d.est.remote_share;
	t->slowdown = d.est.slowdown;
	t->est_stale = false;

	trace_numamig_decision(p, t->cur_node, d.target, numamig_verdict_name(d.verdict),
			       d.benefit_ns, d.cost_ns,
			       ((u64)d.est.slowdown * 1000) >> NUMAMIG_FP_SHIFT,
			       t->cpu_permille);
	if (d.verdict != t->verdict || d.target != t->target ||
	    d.verdict == NUMAMIG_V_MOVE)
		numamig_record(t, d.verdict, d.target, d.benefit_ns, d.cost_ns);
	numamig_set_verdict(t, d.verdict);
	t->target = d.target;
	t->benefit_ns = d.benefit_ns;
	t->cost_ns = d.cost_ns;
	if (d.verdict == NUMAMIG_V_MOVE)
		numamig_act(t, &d);
	else
		numamig_swap_offer(&numamig_swaps->pool, &numamig_pp, &view, &d, t);
}

/* @t's verdict this pass becomes swapped, to @to, with @partner. */
static void numamig_swapped(struct numamig_task *t, struct numamig_task *partner,
			    int to, u64 benefit_ns, u64 cost_ns)
{
	/* Counted once a pass: what it had been is replaced. */
	if (t->verdict < NUMAMIG_NR_VERDICTS && numamig_mstats.verdicts[t->verdict])
		numamig_mstats.verdicts[t->verdict]--;
	numamig_set_verdict(t, NUMAMIG_V_SWAPPED);
	t->target = to;
	t->benefit_ns = benefit_ns;
	t->cost_ns = cost_ns;
	trace_numamig_decision(t->task, t->cur_node, to,
			       numamig_verdict_name(NUMAMIG_V_SWAPPED),
			       benefit_ns, cost_ns,
			       ((u64)t->slowdown * 1000) >> NUMAMIG_FP_SHIFT,
			       t->cpu_permille);
	numamig_record(t, NUMAMIG_V_SWAPPED, to, benefit_ns, cost_ns)->partner =
		partner->pid;
}

/**
 * numamig_decide_end() - after the walk: swaps
 *
 * Tasks that found no room for their best node (no_capacity) are paired
 * with tasks of that node for which the exchange is at least neutral,
 * from the pool the walk filled, with the moves this period has left
 * (two a swap) and the room the walk's moves left. Both get the verdict
 * swapped, and in enforce mode both move now.
 *
 * Context: worker, numamig_lock held, after the last numamig_decide_pass()
 * of the pass; may sleep.
 */
void numamig_decide_end(void)
{
	struct numamig_swaps *sws = numamig_swaps;
	struct numamig_task *a, *b;
	unsigned int i, nr;
	int err;

	nr = numamig_swap_match(&numamig_topo, &numamig_pp, numamig_load, &sws->pool,
				numamig_moves_left, sws->pairs, NUMAMIG_MAX_SWAPS);
	numamig_mstats.swap_evaluations += sws->pool.evaluated;
	for (i = 0; i < nr; i++) {
		const struct numamig_swap_pair *sp = &sws->pairs[i];

		a = sp->a;
		b = sp->b;
		numamig_moves_left -= 2;
		numamig_swapped(a, b, sp->b_node, sp->sw.benefit_ns[0], sp->sw.cost_ns[0]);
		numamig_swapped(b, a, sp->a_node, sp->sw.benefit_ns[1], sp->sw.cost_ns[1]);
		if (READ_ONCE(numamig_mode) != NUMAMIG_MODE_ENFORCE)
			continue;
		err = numamig_swap_hold(a, sp->b_node, b, sp->a_node);
		if (err)
			pr_info_ratelimited("swapping pids %d and %d failed: %d\n",
					    a->pid, b->pid, err);
	}
}

int numamig_decide_init(void)
{
	numamig_swaps = kvzalloc(sizeof(*numamig_swaps), GFP_KERNEL);
	if (!numamig_swaps)
		return -ENOMEM;
	if (!zalloc_cpumask_var(&numamig_balanced, GFP_KERNEL))
		goto err_swaps;
	if (!zalloc_cpumask_var(&numamig_allowed, GFP_KERNEL))
		goto err_balanced;
	return 0;

err_balanced:
	free_cpumask_var(numamig_balanced);
err_swaps:
	kvfree(numamig_swaps);
	return -ENOMEM;
}

void numamig_decide_exit(void)
{
	kvfree(numamig_swaps);
	free_cpumask_var(numamig_allowed);
	free_cpumask_var(numamig_balanced);
}
