// SPDX-License-Identifier: GPL-2.0
/*
 * numamig's pure policy library: access cost of each node for a task's
 * memory placement, the best node and the slowdown of the current one.
 * The model, the fixed point and the input bounds are described in
 * include/numamig/policy.h. No kernel or libc header: this file also
 * builds into host programs.
 */
#include "numamig/policy.h"

static int topo_valid(const struct numamig_topology *topo)
{
	return topo && topo->nr_nodes >= 1 &&
	       topo->nr_nodes <= NUMAMIG_MAX_NODES;
}

static int node_valid(const struct numamig_topology *topo, int node)
{
	return node >= 0 && (unsigned int)node < topo->nr_nodes;
}

/**
 * numamig_distance() - sanitized SLIT distance between two nodes
 * @topo: the topology
 * @from: node of the CPU
 * @to: node of the memory
 *
 * Firmware tables can be wrong, and a distance below 10 would make a
 * remote access cheaper than a local one. So the diagonal always counts
 * as NUMAMIG_LOCAL_DISTANCE (10), whatever the table says, and an
 * off-diagonal entry below 10 (0 included, "not given") counts as
 * NUMAMIG_REMOTE_DISTANCE (20), what the kernel assumes for a remote node
 * when it has no usable SLIT. Any other entry is used as it is.
 *
 * Return: the distance, 10 to 255; 0 if @topo is NULL or invalid or a
 * node is out of range.
 */
unsigned int numamig_distance(const struct numamig_topology *topo,
			      int from, int to)
{
	unsigned int d;

	if (!topo_valid(topo) || !node_valid(topo, from) ||
	    !node_valid(topo, to))
		return 0;
	if (from == to)
		return NUMAMIG_LOCAL_DISTANCE;
	d = topo->distance[from][to];
	return d < NUMAMIG_LOCAL_DISTANCE ? NUMAMIG_REMOTE_DISTANCE : d;
}

/* Sum of mem[] over the topology's nodes; below 2^38. */
static unsigned long long mem_total(const struct numamig_topology *topo,
				    const unsigned int *mem)
{
	unsigned long long total = 0;
	unsigned int j;

	if (!mem)
		return 0;
	for (j = 0; j < topo->nr_nodes; j++)
		total += mem[j];
	return total;
}

/*
 * sum_j mem[j] * distance(node, j): cost(node) * 10 * total, exactly;
 * below 64 * 2^32 * 255 < 2^46. @node and @topo must be valid.
 */
static unsigned long long weighted_distance(const struct numamig_topology *topo,
					    const unsigned int *mem, int node)
{
	unsigned long long sum = 0;
	unsigned int j;

	for (j = 0; j < topo->nr_nodes; j++)
		sum += (unsigned long long)mem[j] *
		       numamig_distance(topo, node, (int)j);
	return sum;
}

/*
 * weighted / (10 * total) in fixed point, rounded to nearest. @total is
 * not 0; weighted << 10 stays below 2^56 and the divisor below 2^42.
 */
static unsigned int cost_of(unsigned long long weighted,
			    unsigned long long total)
{
	unsigned long long div = total * NUMAMIG_LOCAL_DISTANCE;

	return (unsigned int)(((weighted << NUMAMIG_FP_SHIFT) + div / 2) / div);
}

/**
 * numamig_access_cost() - expected cost of a memory access from a node
 * @topo: the topology
 * @mem: the task's memory per node, nr_nodes entries in any unit
 *	(sampled pages, fault counts); NULL or all zero means unknown
 * @node: the node the task would run on
 *
 * cost = sum_j mem[j] / sum(mem) * distance(@node, j) / 10, with
 * distances sanitized as numamig_distance() says, rounded to nearest
 * fixed point (error at most 1/2048).
 *
 * Return: the cost, NUMAMIG_FP_ONE meaning all local, up to the largest
 * distance / 10; NUMAMIG_FP_ONE when memory is unknown (no preference);
 * 0 if @topo is NULL or invalid or @node is out of range.
 */
unsigned int numamig_access_cost(const struct numamig_topology *topo,
				 const unsigned int *mem, int node)
{
	unsigned long long total;

	if (!topo_valid(topo) || !node_valid(topo, node))
		return 0;
	total = mem_total(topo, mem);
	if (!total)
		return NUMAMIG_FP_ONE;
	return cost_of(weighted_distance(topo, mem, node), total);
}

/* Whether node @a is a better choice than node @b: see numamig_estimate(). */
static int better(const struct numamig_topology *topo,
		  const struct numamig_estimate *est, int cur, int a, int b)
{
	unsigned int da, db;

	if (est->cost[a] != est->cost[b])
		return est->cost[a] < est->cost[b];
	if (a == cur || b == cur)
		return a == cur;
	da = numamig_distance(topo, cur, a);
	db = numamig_distance(topo, cur, b);
	if (da != db)
		return da < db;
	return a < b;
}

static void clear_estimate(struct numamig_estimate *est)
{
	unsigned int i;

	for (i = 0; i < NUMAMIG_MAX_NODES; i++)
		est->cost[i] = 0;
	est->best_node = -1;
	est->remote_share = 0;
	est->slowdown = 0;
}

/**
 * numamig_estimate() - best node for a task's memory, and its slowdown
 * @topo: the topology
 * @mem: the task's memory per node, nr_nodes entries in any unit;
 *	NULL or all zero means unknown
 * @cur_node: the node the task runs on
 * @est: the result
 *
 * Fills @est->cost for every node as numamig_access_cost() would. The best
 * node is the one of lowest cost, compared in fixed point: a move is only
 * suggested for a gain of at least 1/1024. On a tie the current node wins
 * (never move for nothing), then the node at the lower distance from
 * @cur_node, then the lower node id.
 *
 * @est->remote_share is the share of memory not on @cur_node and
 * @est->slowdown is cost(@cur_node) / cost(best) - 1, computed from the
 * exact (unrounded) costs and rounded to nearest: error at most 1/2048
 * each. A suggested move always has a slowdown of at least 1 (1/1024),
 * so slowdown is 0 if and only if best_node is @cur_node. It may differ
 * by a unit or so from what the rounded costs in @est->cost give.
 *
 * Unknown memory: every cost is NUMAMIG_FP_ONE, best_node is @cur_node,
 * remote_share and slowdown are 0.
 *
 * Invalid input (@topo NULL, nr_nodes 0 or above NUMAMIG_MAX_NODES,
 * @cur_node out of range): best_node is -1 and everything else 0. A NULL
 * @est is ignored.
 */
void numamig_estimate(const struct numamig_topology *topo,
		      const unsigned int *mem, int cur_node,
		      struct numamig_estimate *est)
{
	unsigned long long weighted[NUMAMIG_MAX_NODES];
	unsigned long long total, gain;
	unsigned int i, s;
	int best;

	if (!est)
		return;
	clear_estimate(est);
	if (!topo_valid(topo) || !node_valid(topo, cur_node))
		return;

	total = mem_total(topo, mem);
	if (!total) {
		for (i = 0; i < topo->nr_nodes; i++)
			est->cost[i] = NUMAMIG_FP_ONE;
		est->best_node = cur_node;
		return;
	}

	for (i = 0; i < topo->nr_nodes; i++) {
		weighted[i] = weighted_distance(topo, mem, (int)i);
		est->cost[i] = cost_of(weighted[i], total);
	}

	best = cur_node;
	for (i = 0; i < topo->nr_nodes; i++)
		if (better(topo, est, cur_node, (int)i, best))
			best = (int)i;
	est->best_node = best;

	est->remote_share = (unsigned int)
		((((total - mem[cur_node]) << NUMAMIG_FP_SHIFT) + total / 2) /
		 total);

	if (best == cur_node)
		return;
	/*
	 * cost[best] < cost[cur_node] and rounding is monotonic, so
	 * weighted[best] < weighted[cur_node]: gain is positive, and
	 * weighted[best] is at least 10 * total, not 0.
	 */
	gain = weighted[cur_node] - weighted[best];
	s = (unsigned int)(((gain << NUMAMIG_FP_SHIFT) + weighted[best] / 2) /
			   weighted[best]);
	est->slowdown = s ? s : 1;
}

static const char *const verdict_names[NUMAMIG_NR_VERDICTS] = {
	[NUMAMIG_V_MOVE]		= "move",
	[NUMAMIG_V_PINNED]		= "pinned",
	[NUMAMIG_V_REALTIME]		= "realtime",
	[NUMAMIG_V_EXCLUDED]		= "excluded",
	[NUMAMIG_V_IDLE]		= "idle",
	[NUMAMIG_V_NO_INFO]		= "no_info",
	[NUMAMIG_V_LOCAL]		= "local",
	[NUMAMIG_V_COOLDOWN]		= "cooldown",
	[NUMAMIG_V_SHORT_LIVED]		= "short_lived",
	[NUMAMIG_V_BELOW_THRESHOLD]	= "below_threshold",
	[NUMAMIG_V_NO_CAPACITY]		= "no_capacity",
	[NUMAMIG_V_RATE_LIMITED]	= "rate_limited",
	[NUMAMIG_V_SWAPPED]		= "swapped",
	[NUMAMIG_V_HELD]		= "held",
	[NUMAMIG_V_INVALID]		= "invalid",
};

/**
 * numamig_verdict_name() - a verdict as debugfs and trace events print it
 * @v: the verdict
 *
 * Return: a lower-case word without spaces; "invalid" for a value out of
 * range.
 */
const char *numamig_verdict_name(enum numamig_verdict v)
{
	if ((unsigned int)v >= NUMAMIG_NR_VERDICTS)
		return verdict_names[NUMAMIG_V_INVALID];
	return verdict_names[v];
}

#define ULL_MAX (~0ULL)

static unsigned long long add_sat(unsigned long long a, unsigned long long b)
{
	return a + b < a ? ULL_MAX : a + b;
}

/*
 * a * b / c rounded down, exactly, saturating at ULL_MAX; c is not 0,
 * and (c - 1) * b fits 64 bits (so does (a % c) * b).
 */
static unsigned long long mul_div(unsigned long long a, unsigned long long b,
				  unsigned long long c)
{
	unsigned long long p;

	if (!__builtin_mul_overflow(a, b, &p))
		return p / c;
	/* a * b / c = (a / c) * b + (a % c) * b / c */
	if (__builtin_mul_overflow(a / c, b, &p))
		return ULL_MAX;
	return add_sat(p, a % c * b / c);
}

static unsigned long long min_ull(unsigned long long a, unsigned long long b)
{
	return a < b ? a : b;
}

/*
 * Expected run time saved over @horizon by moving from a node of access
 * cost @from to one of cost @to (@to <= @from, @from > 0).
 */
static unsigned long long benefit_of(unsigned long long from, unsigned long long to,
				     unsigned long long horizon,
				     unsigned int cpu_permille)
{
	unsigned long long remaining = mul_div(horizon, cpu_permille, 1000);

	return mul_div(remaining, from - to, from);
}

/* What moving @task costs: the fixed part and the refill of its caches. */
static unsigned long long move_cost(const struct numamig_params *params,
				    const struct numamig_task_view *task)
{
	return add_sat(params->migrate_cost_ns,
		       mul_div(min_ull(task->rss_mb, params->refill_cap_mb),
			       params->refill_ns_per_mb, 1));
}

/* benefit beats cost x margin */
static int pays(unsigned long long benefit, unsigned long long cost,
		unsigned int margin_permille)
{
	unsigned long long need = mul_div(cost, margin_permille, 1000);

	return benefit > need;
}

/* Whether @n is a better target than @b: cost, distance, load, id. */
static int better_target(const struct numamig_topology *topo,
			 const struct numamig_node_load *load,
			 const struct numamig_estimate *est, int cur,
			 int n, int b)
{
	unsigned int dn, db;

	if (b < 0)
		return 1;
	if (est->cost[n] != est->cost[b])
		return est->cost[n] < est->cost[b];
	dn = numamig_distance(topo, cur, n);
	db = numamig_distance(topo, cur, b);
	if (dn != db)
		return dn < db;
	if (load[n].busy_permille != load[b].busy_permille)
		return load[n].busy_permille < load[b].busy_permille;
	return n < b;
}

/*
 * Node @n is a candidate: the task may run there, and its access cost is
 * below the current node's by at least @gain_need and by at least 1.
 */
static int candidate(const struct numamig_task_view *task,
		     const struct numamig_estimate *est, int cur, int n,
		     unsigned long long gain_need)
{
	return n != cur && (task->allowed_nodes >> n & 1) &&
	       est->cost[n] < est->cost[cur] &&
	       est->cost[cur] - est->cost[n] >= gain_need;
}

static enum numamig_verdict decide(const struct numamig_topology *topo,
				   const struct numamig_params *params,
				   const struct numamig_node_load *load,
				   const struct numamig_task_view *task,
				   unsigned int moves_left,
				   struct numamig_decision *d)
{
	const struct numamig_estimate *est = &d->est;
	unsigned long long gain_need, limit, full;
	int n, target = -1, roomless = -1, cur = task->cur_node;

	if (task->pinned)
		return NUMAMIG_V_PINNED;
	if (task->realtime && !params->allow_rt)
		return NUMAMIG_V_REALTIME;
	if (!task->cpu_permille)
		return NUMAMIG_V_IDLE;
	if (!mem_total(topo, task->mem))
		return NUMAMIG_V_NO_INFO;

	/* rounded up: gain * 1000 >= cost * min_gain_permille, exactly */
	gain_need = ((unsigned long long)est->cost[cur] *
		     params->min_gain_permille + 999) / 1000;
	for (n = 0; n < (int)topo->nr_nodes; n++) {
		if (!candidate(task, est, cur, n, gain_need))
			continue;
		if ((unsigned long long)load[n].spare_mcpu + params->room_slack_mcpu <
		    task->cpu_permille) {
			if (better_target(topo, load, est, cur, n, roomless))
				roomless = n;
		} else if (better_target(topo, load, est, cur, n, target)) {
			target = n;
		}
	}
	if (target < 0 && roomless < 0)
		return NUMAMIG_V_LOCAL;
	if (task->age_ns < params->min_age_ns)
		return NUMAMIG_V_SHORT_LIVED;
	if (task->since_move_ns < params->cooldown_ns)
		return NUMAMIG_V_COOLDOWN;
	if (target < 0) {
		d->target = roomless;
		return NUMAMIG_V_NO_CAPACITY;
	}

	d->target = target;
	d->cost_ns = move_cost(params, task);
	limit = min_ull(task->age_ns, params->horizon_ns);
	d->benefit_ns = benefit_of(est->cost[cur], est->cost[target], limit,
				   task->cpu_permille);

	if (!pays(d->benefit_ns, d->cost_ns, params->margin_permille)) {
		full = benefit_of(est->cost[cur], est->cost[target], params->horizon_ns,
				  task->cpu_permille);
		if (pays(full, d->cost_ns, params->margin_permille))
			return NUMAMIG_V_SHORT_LIVED;
		return NUMAMIG_V_BELOW_THRESHOLD;
	}
	if (!moves_left)
		return NUMAMIG_V_RATE_LIMITED;
	return NUMAMIG_V_MOVE;
}

/**
 * numamig_decide() - whether to move a task, and where
 * @topo: the topology
 * @params: the cost model's constants
 * @load: room on each node, nr_nodes entries
 * @task: the task
 * @moves_left: moves still allowed this period
 * @d: the result
 *
 * The rules, in the order they are checked; the first that applies
 * gives the verdict:
 *
 *  1. pinned: never touched. Realtime: only with @params->allow_rt.
 *  2. idle (no recent CPU use), then no memory information: nothing to
 *     gain, or nothing to go by.
 *  3. local: no node the task may run on has an access cost lower than
 *     the current node's by min_gain_permille of it (hysteresis), and
 *     by at least one fixed-point unit.
 *  4. short_lived: younger than min_age_ns.
 *  5. cooldown: it changed node less than cooldown_ns ago.
 *  6. no_capacity: every better node lacks spare CPU for the task
 *     (spare_mcpu + room_slack_mcpu < its cpu_permille): a task that
 *     starves there gains
 *     nothing. Among those with room the target is the one of lowest
 *     cost, then nearest the current node, then least busy, then lowest
 *     id.
 *  7. short_lived too: the move would pay over the whole horizon but
 *     does not over the task's age (the lifetime heuristic).
 *  8. below_threshold: benefit * 1000 <= cost * margin_permille.
 *  9. rate_limited: @moves_left is 0.
 * 10. move.
 *
 * Invalid input (a NULL pointer, a bad topology, @task->cur_node out of
 * range): NUMAMIG_V_INVALID, target -1. A NULL @d is ignored.
 */
void numamig_decide(const struct numamig_topology *topo,
		    const struct numamig_params *params,
		    const struct numamig_node_load *load,
		    const struct numamig_task_view *task,
		    unsigned int moves_left,
		    struct numamig_decision *d)
{
	if (!d)
		return;
	d->verdict = NUMAMIG_V_INVALID;
	d->target = -1;
	d->benefit_ns = 0;
	d->cost_ns = 0;
	if (!params || !load || !task || !topo_valid(topo) ||
	    !node_valid(topo, task->cur_node)) {
		clear_estimate(&d->est);
		return;
	}
	numamig_estimate(topo, task->mem, task->cur_node, &d->est);
	d->verdict = decide(topo, params, load, task, moves_left, d);
}

static const char *const release_names[NUMAMIG_NR_RELEASES] = {
	[NUMAMIG_REL_EXPIRED]	= "expired",
	[NUMAMIG_REL_STARVING]	= "starving",
	[NUMAMIG_REL_USER]	= "user_changed",
	[NUMAMIG_REL_MODE]	= "mode",
	[NUMAMIG_REL_EXCLUDED]	= "excluded",
	[NUMAMIG_REL_UNLOAD]	= "unload",
	[NUMAMIG_REL_EXITED]	= "exited",
	[NUMAMIG_REL_CHILD]	= "child",
	[NUMAMIG_REL_PARTNER]	= "partner",
};

/**
 * numamig_release_name() - a reason as debugfs and trace events print it
 * @why: the reason
 *
 * Return: a lower-case word without spaces; "keep" for
 * NUMAMIG_NR_RELEASES and anything out of range.
 */
const char *numamig_release_name(enum numamig_release why)
{
	if ((unsigned int)why >= NUMAMIG_NR_RELEASES)
		return "keep";
	return release_names[why];
}

/**
 * numamig_hold_ends() - whether a hold ends now, and why
 * @h: the held task
 *
 * In this order: the mode left enforce (every hold ends); someone else
 * changed the task's mask (the user wins: numamig forgets its hold); the
 * task left numamig's scope (it gets its own mask back); the task
 * starves where it is held (mean runnable wait above starve_wait_us: it
 * gains nothing there); the hold expired (now >= until).
 *
 * Return: the reason, or NUMAMIG_NR_RELEASES to keep holding (also for
 * a NULL @h).
 */
enum numamig_release numamig_hold_ends(const struct numamig_hold_view *h)
{
	if (!h)
		return NUMAMIG_NR_RELEASES;
	if (!h->enforce)
		return NUMAMIG_REL_MODE;
	if (!h->mask_ours)
		return NUMAMIG_REL_USER;
	if (h->excluded)
		return NUMAMIG_REL_EXCLUDED;
	if (h->wait_avg_us > h->starve_wait_us)
		return NUMAMIG_REL_STARVING;
	if (h->now_ns >= h->until_ns)
		return NUMAMIG_REL_EXPIRED;
	return NUMAMIG_NR_RELEASES;
}

/**
 * numamig_hold_renews() - whether a hold that reached its end goes on
 * @h: the held task
 *
 * Given back at the end of its hold, a task the load balancer then puts
 * on another node is misplaced again, and moved back at the next pass:
 * as many moves, and as many cold caches, as holds. So a hold is
 * renewed for another hold_ms when nothing but its end came
 * (numamig_hold_ends() says expired), its memory is still best served
 * from the node it is held on, and it still runs there. Not a swap's:
 * the two holds end together, and each task's memory would have to
 * agree.
 *
 * Return: 1 to renew, 0 to let the hold end (also for a NULL @h).
 */
int numamig_hold_renews(const struct numamig_hold_view *h)
{
	if (!h || numamig_hold_ends(h) != NUMAMIG_REL_EXPIRED)
		return 0;
	return !h->swapped && h->cpu_permille && h->best_node >= 0 &&
	       h->best_node == h->held_node;
}

/**
 * numamig_partner_release() - why a swap partner's hold ends with another's
 * @why: why the other's hold ended
 *
 * The two holds of a swap end together: the swap was taken for the
 * gain of both moves, and one task going back (or away) leaves the
 * other where it only fits because the first one left.
 *
 * Return: @why for expired, mode and unload, which are the partner's
 * own reasons too (both holds end at the same time, the mode and the
 * module are everyone's); NUMAMIG_REL_PARTNER for any other reason;
 * NUMAMIG_NR_RELEASES (keep holding) for NUMAMIG_NR_RELEASES and any
 * value out of range.
 */
enum numamig_release numamig_partner_release(enum numamig_release why)
{
	switch (why) {
	case NUMAMIG_REL_EXPIRED:
	case NUMAMIG_REL_MODE:
	case NUMAMIG_REL_UNLOAD:
		return why;
	case NUMAMIG_REL_STARVING:
	case NUMAMIG_REL_USER:
	case NUMAMIG_REL_EXITED:
	case NUMAMIG_REL_CHILD:
	case NUMAMIG_REL_PARTNER:
		return NUMAMIG_REL_PARTNER;
	default:
		return NUMAMIG_NR_RELEASES;
	}
}

/*
 * The rules a task must pass to take part in a swap, as numamig_decide()
 * checks them for a single move: NUMAMIG_NR_VERDICTS if it passes.
 */
static enum numamig_verdict swap_safe(const struct numamig_topology *topo,
				      const struct numamig_params *params,
				      const struct numamig_task_view *task)
{
	if (task->pinned)
		return NUMAMIG_V_PINNED;
	if (task->realtime && !params->allow_rt)
		return NUMAMIG_V_REALTIME;
	if (!task->cpu_permille)
		return NUMAMIG_V_IDLE;
	if (!mem_total(topo, task->mem))
		return NUMAMIG_V_NO_INFO;
	if (task->age_ns < params->min_age_ns)
		return NUMAMIG_V_SHORT_LIVED;
	if (task->since_move_ns < params->cooldown_ns)
		return NUMAMIG_V_COOLDOWN;
	return NUMAMIG_NR_VERDICTS;
}

static void swap_clear(struct numamig_swap *sw)
{
	sw->verdict = NUMAMIG_V_INVALID;
	sw->who = -1;
	sw->benefit_ns[0] = 0;
	sw->benefit_ns[1] = 0;
	sw->cost_ns[0] = 0;
	sw->cost_ns[1] = 0;
}

/* The pair's verdict, its figures in @sw. */
static enum numamig_verdict swap_decide(const struct numamig_topology *topo,
					const struct numamig_params *params,
					const struct numamig_node_load *load,
					const struct numamig_task_view *const t[2],
					unsigned int moves_left,
					struct numamig_swap *sw)
{
	unsigned int from_cost[2], to_cost[2], in, out;
	unsigned long long limit;
	enum numamig_verdict v;
	int i, to;

	for (i = 0; i < 2; i++) {
		v = swap_safe(topo, params, t[i]);
		if (v != NUMAMIG_NR_VERDICTS) {
			sw->who = i;
			return v;
		}
	}
	for (i = 0; i < 2; i++) {
		to = t[!i]->cur_node;
		sw->who = i;
		if (!(t[i]->allowed_nodes >> to & 1))
			return NUMAMIG_V_PINNED;
		from_cost[i] = numamig_access_cost(topo, t[i]->mem, t[i]->cur_node);
		to_cost[i] = numamig_access_cost(topo, t[i]->mem, to);
		/* neutral or better: a partner need not gain, never lose */
		if (to_cost[i] > from_cost[i])
			return NUMAMIG_V_LOCAL;
	}
	/*
	 * Room: a node only takes the difference of the two tasks' CPU
	 * use, which must fit its spare capacity as a single move's demand
	 * must.
	 */
	for (i = 0; i < 2; i++) {
		in = t[i]->cpu_permille;
		out = t[!i]->cpu_permille;
		sw->who = i;
		if (in > out && (unsigned long long)load[t[!i]->cur_node].spare_mcpu +
		    params->room_slack_mcpu < in - out)
			return NUMAMIG_V_NO_CAPACITY;
	}
	sw->who = -1;
	for (i = 0; i < 2; i++) {
		sw->cost_ns[i] = move_cost(params, t[i]);
		limit = min_ull(t[i]->age_ns, params->horizon_ns);
		sw->benefit_ns[i] = benefit_of(from_cost[i], to_cost[i], limit,
					       t[i]->cpu_permille);
	}
	if (!pays(add_sat(sw->benefit_ns[0], sw->benefit_ns[1]),
		  add_sat(sw->cost_ns[0], sw->cost_ns[1]), params->margin_permille))
		return NUMAMIG_V_BELOW_THRESHOLD;
	if (moves_left < 2)
		return NUMAMIG_V_RATE_LIMITED;
	return NUMAMIG_V_SWAPPED;
}

/**
 * numamig_swap_decide() - whether two tasks should exchange nodes
 * @topo: the topology
 * @params: the cost model's constants
 * @load: room on each node, nr_nodes entries
 * @a: a task; it would move to @b's node
 * @b: a task on another node; it would move to @a's node
 * @moves_left: moves still allowed this period; a swap counts as two
 * @sw: the result
 *
 * The rules, in order; the first that applies gives the verdict, and
 * @sw->who says which task it is about (-1: both):
 *
 *  1. each task, @a first, passes the rules of a single move that do
 *     not depend on the target: pinned, realtime, idle, no_info,
 *     short_lived (younger than min_age_ns), cooldown.
 *  2. pinned too if a task may not run on the other's node; local if
 *     its access cost there is higher than where it is: a partner need
 *     not gain, but never loses.
 *  3. no_capacity: the node that gains the CPU use of one task and
 *     loses the other's must have room for the difference
 *     (spare_mcpu + room_slack_mcpu), as for a single move.
 *  4. below_threshold: (benefit_a + benefit_b) * 1000 <=
 *     (cost_a + cost_b) * margin_permille, each move costed and
 *     credited as numamig_decide() does (benefit over min(age,
 *     horizon_ns)).
 *  5. rate_limited: fewer than two moves left.
 *  6. swapped.
 *
 * Unlike numamig_decide() this asks for no hysteresis: the seeker's own
 * gain passed it when its verdict was no_capacity, and a partner only
 * has to lose nothing. Benefits and costs are filled from rule 4 on.
 *
 * Invalid input (a NULL pointer, a bad topology, a node out of range,
 * both tasks on the same node): NUMAMIG_V_INVALID. A NULL @sw is
 * ignored.
 */
void numamig_swap_decide(const struct numamig_topology *topo,
			 const struct numamig_params *params,
			 const struct numamig_node_load *load,
			 const struct numamig_task_view *a,
			 const struct numamig_task_view *b,
			 unsigned int moves_left,
			 struct numamig_swap *sw)
{
	const struct numamig_task_view *t[2] = { a, b };

	if (!sw)
		return;
	swap_clear(sw);
	if (!params || !load || !a || !b || !topo_valid(topo) ||
	    !node_valid(topo, a->cur_node) || !node_valid(topo, b->cur_node) ||
	    a->cur_node == b->cur_node)
		return;
	sw->verdict = swap_decide(topo, params, load, t, moves_left, sw);
}

/**
 * numamig_swap_reset() - empty a pool for a new pass
 * @pool: the pool
 * @nr_nodes: nodes of the topology; more than NUMAMIG_MAX_NODES count as
 *	NUMAMIG_MAX_NODES
 */
void numamig_swap_reset(struct numamig_swap_pool *pool, unsigned int nr_nodes)
{
	unsigned int n;

	if (!pool)
		return;
	pool->nr_nodes = nr_nodes < NUMAMIG_MAX_NODES ? nr_nodes : NUMAMIG_MAX_NODES;
	for (n = 0; n < NUMAMIG_MAX_NODES; n++)
		pool->nr[n] = 0;
	pool->offered = 0;
	pool->evaluated = 0;
}

/**
 * numamig_swap_offer() - offer a decided task to the pool
 * @pool: the pool
 * @params: the cost model's constants
 * @task: the task's view, as numamig_decide() got it
 * @d: numamig_decide()'s answer for it
 * @owner: the caller's handle for the task
 *
 * A task is a seeker if its verdict is no_capacity (it wants @d->target
 * and there is no room), a possible partner if it is local or
 * below_threshold (a move elsewhere might still be neutral for it);
 * any other verdict keeps it out (pinned, realtime, short-lived, moved,
 * rate-limited and any verdict added later), and so does failing one of
 * the rules of a swap (swap_safe()). The pool keeps the
 * NUMAMIG_SWAP_CANDIDATES of highest rank per node (slowdown x
 * cpu_permille); on a tie the one offered first. O(NUMAMIG_SWAP_CANDIDATES).
 *
 * Return: 1 if the task is in the pool now, 0 if not.
 */
int numamig_swap_offer(struct numamig_swap_pool *pool,
		       const struct numamig_params *params,
		       const struct numamig_task_view *task,
		       const struct numamig_decision *d, void *owner)
{
	struct numamig_swap_cand *row;
	unsigned long long rank;
	unsigned int i, nr;
	int node, target;

	if (!pool || !params || !task || !d || task->cur_node < 0 ||
	    (unsigned int)task->cur_node >= pool->nr_nodes)
		return 0;
	if (d->verdict == NUMAMIG_V_NO_CAPACITY) {
		target = d->target;
		if (target < 0 || (unsigned int)target >= pool->nr_nodes)
			return 0;
	} else if (d->verdict == NUMAMIG_V_LOCAL ||
		   d->verdict == NUMAMIG_V_BELOW_THRESHOLD) {
		target = -1;
	} else {
		return 0;
	}
	if (task->pinned || (task->realtime && !params->allow_rt) ||
	    !task->cpu_permille || task->age_ns < params->min_age_ns ||
	    task->since_move_ns < params->cooldown_ns)
		return 0;
	pool->offered++;
	node = task->cur_node;
	row = pool->cand[node];
	nr = pool->nr[node];
	rank = (unsigned long long)d->est.slowdown * task->cpu_permille;
	if (nr == NUMAMIG_SWAP_CANDIDATES) {
		if (rank <= row[nr - 1].rank)
			return 0;
		nr--;
	}
	/* insertion: after every entry of equal or higher rank */
	for (i = nr; i > 0 && row[i - 1].rank < rank; i--)
		row[i] = row[i - 1];
	row[i].task = *task;
	row[i].target = target;
	row[i].rank = rank;
	row[i].owner = owner;
	row[i].used = 0;
	pool->nr[node] = nr + 1;
	return 1;
}

/* A node's spare capacity after it gained @in and lost @out of CPU use. */
static void swap_take_room(struct numamig_node_load *l, unsigned int in,
			   unsigned int out)
{
	if (in > out)
		l->spare_mcpu -= min_ull(in - out, l->spare_mcpu);
	else
		l->spare_mcpu += out - in;
}

/**
 * numamig_swap_match() - pair the pool's seekers with partners
 * @topo: the topology
 * @params: the cost model's constants
 * @load: room on each node, nr_nodes entries; updated with the swaps
 *	taken, so that each sees the room the earlier ones left
 * @pool: the pool; entries paired are marked used
 * @moves_left: moves still allowed this period; each swap takes two
 * @pairs: where the swaps taken go
 * @max_pairs: room in @pairs
 *
 * Seekers are taken node by node, each node's by rank (most misplaced
 * first). A seeker on node c that wants node n is evaluated with
 * numamig_swap_decide() against every unused entry of node n's pool, and
 * takes the partner of largest net gain, (benefit_a + benefit_b) -
 * (cost_a + cost_b) * margin_permille / 1000; on a tie the partner of
 * higher rank. A seeker without a partner stays in the pool as a
 * possible partner of later seekers. Stops when moves run out.
 *
 * Cost: at most NUMAMIG_SWAP_CANDIDATES pair evaluations per seeker and
 * NUMAMIG_SWAP_CANDIDATES seekers per node, each evaluation O(nr_nodes);
 * @pool->evaluated counts them.
 *
 * Return: the number of swaps taken (0 on invalid input).
 */
unsigned int numamig_swap_match(const struct numamig_topology *topo,
				const struct numamig_params *params,
				struct numamig_node_load *load,
				struct numamig_swap_pool *pool,
				unsigned int moves_left,
				struct numamig_swap_pair *pairs,
				unsigned int max_pairs)
{
	unsigned long long net, best_net = 0, need;
	struct numamig_swap_cand *a, *b;
	unsigned int c, i, j, nodes, count = 0;
	struct numamig_swap sw, best_sw = { .verdict = NUMAMIG_V_INVALID };
	int n, best;

	if (!pool)
		return 0;
	pool->evaluated = 0;
	if (!topo_valid(topo) || !params || !load || (!pairs && max_pairs))
		return 0;
	nodes = pool->nr_nodes < topo->nr_nodes ? pool->nr_nodes : topo->nr_nodes;
	for (c = 0; c < nodes; c++) {
		for (i = 0; i < pool->nr[c]; i++) {
			a = &pool->cand[c][i];
			n = a->target;
			if (a->used || n < 0 || (unsigned int)n >= nodes ||
			    (unsigned int)n == c)
				continue;
			if (count == max_pairs || moves_left < 2)
				return count;
			best = -1;
			for (j = 0; j < pool->nr[n]; j++) {
				b = &pool->cand[n][j];
				if (b->used)
					continue;
				pool->evaluated++;
				numamig_swap_decide(topo, params, load, &a->task,
						    &b->task, moves_left, &sw);
				if (sw.verdict != NUMAMIG_V_SWAPPED)
					continue;
				need = mul_div(add_sat(sw.cost_ns[0], sw.cost_ns[1]),
					       params->margin_permille, 1000);
				net = add_sat(sw.benefit_ns[0], sw.benefit_ns[1]) - need;
				if (best < 0 || net > best_net) {
					best = (int)j;
					best_net = net;
					best_sw = sw;
				}
			}
			if (best < 0)
				continue;
			b = &pool->cand[n][best];
			a->used = 1;
			b->used = 1;
			swap_take_room(&load[n], a->task.cpu_permille,
				       b->task.cpu_permille);
			swap_take_room(&load[c], b->task.cpu_permille,
				       a->task.cpu_permille);
			moves_left -= 2;
			pairs[count].a = a->owner;
			pairs[count].b = b->owner;
			pairs[count].a_node = (int)c;
			pairs[count].b_node = n;
			pairs[count].sw = best_sw;
			count++;
		}
	}
	return count;
}
