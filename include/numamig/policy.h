/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig's pure policy library: how much slower a task runs where it is
 * than on the node that suits its memory best.
 *
 * Pure: no kernel or libc header, no floating point, no allocation, no
 * lock, no state. The same source builds into numamig.ko and into host
 * programs (tests, tools), so the math is tested on the host as it runs
 * in the kernel. Every function may be called from any context.
 *
 * Model. Running on node n, an access to memory on node j costs
 * distance[n][j] / 10 times a local access: SLIT distances are relative
 * latencies, with 10 meaning local, so SLIT 21 means 2.1 times. Weighting
 * each memory node by the task's share of memory there gives the expected
 * cost of one access when running on n:
 *
 *	cost(n) = sum_j share(j) * distance[n][j] / 10,
 *	share(j) = mem[j] / sum(mem)
 *
 * 1.0 means all accesses local. The best node has the lowest cost; the
 * slowdown of a task is cost(current) / cost(best) - 1, the share of time
 * it loses to remote accesses relative to the best placement (this
 * assumes run time proportional to memory access cost, an upper bound
 * for tasks that are not memory bound).
 *
 * mem[] is anything proportional to where the task's memory is, in any
 * unit: sampled pages, fault counts. All zero means unknown: every cost
 * is 1.0 and no move is suggested, since nothing says one would help.
 *
 * Fixed point: costs, shares and slowdowns are unsigned ints in units of
 * 1/NUMAMIG_FP_ONE (1/1024): integer math is all the kernel allows, and
 * 1/1024 is finer than anything SLIT distances (steps of 0.1) or sampled
 * placements can tell apart. Every result is rounded to nearest once,
 * from exact 64-bit intermediates: its error is at most half a unit.
 *
 * Distances are taken from the table after sanitizing bad firmware
 * values (see numamig_distance()): the diagonal always counts as 10; an
 * off-diagonal entry below 10, 0 included, counts as 20, the kernel's
 * REMOTE_DISTANCE default when it has no usable SLIT. Other entries count
 * as they are, 255 (SLIT's "unreachable") as a 25.5x penalty.
 *
 * Input bounds: any mem[] values (up to UINT_MAX each), any distances
 * (unsigned char), nr_nodes up to NUMAMIG_MAX_NODES. Then the largest
 * intermediate is 64 * (2^32 - 1) * 255 * 1024 < 2^56, which fits an
 * unsigned long long: no input overflows, and no division is by zero.
 * The divisions are 64-bit: fine on 64-bit kernels (numamig builds for
 * x86_64 only); a 32-bit kernel would need div64_u64().
 */
#ifndef _NUMAMIG_POLICY_H
#define _NUMAMIG_POLICY_H

/* Fixed-point unit: NUMAMIG_FP_ONE, 1 << NUMAMIG_FP_SHIFT, is 1.0. */
#define NUMAMIG_FP_SHIFT	10
#define NUMAMIG_FP_ONE		1024

/*
 * Nodes the policy knows about. The module ignores nodes from this id
 * on: it neither samples memory there nor moves tasks there. 64 so that
 * a node set fits one unsigned long long.
 */
#define NUMAMIG_MAX_NODES	64

/* SLIT distance of a local access; a distance of 21 is 2.1 times that. */
#define NUMAMIG_LOCAL_DISTANCE	10
/* What a missing (below 10, 0 included) remote distance counts as. */
#define NUMAMIG_REMOTE_DISTANCE	20

/**
 * struct numamig_topology - the machine as the policy sees it
 * @nr_nodes: nodes 0 .. nr_nodes - 1 exist; 1 to NUMAMIG_MAX_NODES
 * @distance: SLIT distances: distance[n][j] is the cost of an access
 *	from a CPU of node n to memory of node j, 10 meaning local. Rows
 *	are CPU nodes and columns memory nodes, so an asymmetric table is
 *	read the right way round.
 */
struct numamig_topology {
	unsigned int nr_nodes;
	unsigned char distance[NUMAMIG_MAX_NODES][NUMAMIG_MAX_NODES];
};

/**
 * struct numamig_estimate - where a task would run best, and at what gain
 * @cost: expected cost of one memory access when running on each node,
 *	fixed point, NUMAMIG_FP_ONE meaning all local; from 1.0 to the
 *	largest distance / 10. Entries from nr_nodes on are 0.
 * @best_node: the node of lowest cost; on a tie the current node, then
 *	the node nearest the current one, then the lowest id; -1 when the
 *	input was invalid
 * @remote_share: share of the task's memory not on the current node,
 *	fixed point, 0 to NUMAMIG_FP_ONE; 0 when memory is unknown
 * @slowdown: cost on the current node / cost on @best_node - 1, fixed
 *	point; 0 if and only if @best_node is the current node (or -1)
 */
struct numamig_estimate {
	unsigned int cost[NUMAMIG_MAX_NODES];
	int best_node;
	unsigned int remote_share;
	unsigned int slowdown;
};

unsigned int numamig_distance(const struct numamig_topology *topo,
			      int from, int to);
unsigned int numamig_access_cost(const struct numamig_topology *topo,
				 const unsigned int *mem, int node);
void numamig_estimate(const struct numamig_topology *topo,
		      const unsigned int *mem, int cur_node,
		      struct numamig_estimate *est);

/*
 * The decision: move a task or not, and where. See
 * Documentation/design.rst, "Cost model", for the derivation.
 *
 * A move to node n saves, over the time the task would still run, the
 * share of its run time it loses to remote accesses on the current node
 * that it would not lose on n:
 *
 *	benefit(n) = remaining * (cost(cur) - cost(n)) / cost(cur)
 *	remaining  = min(age, horizon) * cpu_permille / 1000
 *
 * (the lifetime heuristic: a task that has lived for T is likely to live
 * about T more; only the horizon, the time numamig holds it there, is
 * counted). A move costs a fixed part plus refilling the caches it
 * leaves behind, which grows with the task's memory up to the size of
 * the caches:
 *
 *	cost = migrate_cost + refill_per_mb * min(rss, refill_cap)
 *
 * and it is made when benefit * 1000 > cost * margin_permille.
 * All times are in ns, unsigned long long; products saturate instead of
 * wrapping, so any input gives a defined verdict.
 */

/**
 * enum numamig_verdict - what numamig_decide() concluded, and why
 * @NUMAMIG_V_MOVE: benefit beats cost and the target has room
 * @NUMAMIG_V_PINNED: affinity restricted by the user or a cpuset
 * @NUMAMIG_V_REALTIME: an RT or deadline task, and RT moves are off
 * @NUMAMIG_V_EXCLUDED: out of the scope the comm_* and cgroup_*
 *	parameters set (set by the module, never by numamig_decide())
 * @NUMAMIG_V_IDLE: used no CPU lately: nothing to gain
 * @NUMAMIG_V_NO_INFO: the placement of its memory is not known
 * @NUMAMIG_V_LOCAL: no allowed node is better by the hysteresis margin
 * @NUMAMIG_V_COOLDOWN: changed node too recently (by anyone)
 * @NUMAMIG_V_SHORT_LIVED: too young: it has not run long enough for a
 *	move to be expected to pay
 * @NUMAMIG_V_BELOW_THRESHOLD: the benefit does not beat cost x margin
 * @NUMAMIG_V_NO_CAPACITY: better nodes exist, none has room for it
 * @NUMAMIG_V_RATE_LIMITED: would move, but this period's moves are used up
 * @NUMAMIG_V_SWAPPED: exchanged nodes with a partner (numamig_swap_match())
 * @NUMAMIG_V_HELD: held on a node by numamig already (set by the module)
 * @NUMAMIG_V_INVALID: bad input
 * @NUMAMIG_NR_VERDICTS: number of verdicts
 */
enum numamig_verdict {
	NUMAMIG_V_MOVE,
	NUMAMIG_V_PINNED,
	NUMAMIG_V_REALTIME,
	NUMAMIG_V_EXCLUDED,
	NUMAMIG_V_IDLE,
	NUMAMIG_V_NO_INFO,
	NUMAMIG_V_LOCAL,
	NUMAMIG_V_COOLDOWN,
	NUMAMIG_V_SHORT_LIVED,
	NUMAMIG_V_BELOW_THRESHOLD,
	NUMAMIG_V_NO_CAPACITY,
	NUMAMIG_V_RATE_LIMITED,
	NUMAMIG_V_SWAPPED,
	NUMAMIG_V_HELD,
	NUMAMIG_V_INVALID,
	NUMAMIG_NR_VERDICTS
};

/**
 * struct numamig_params - the cost model's settable constants
 * @migrate_cost_ns: fixed cost of a move
 * @refill_ns_per_mb: cost of refilling one MiB of the task's memory into
 *	the caches of the new node
 * @refill_cap_mb: memory beyond this costs no more refill (the caches
 *	lost hold no more than this)
 * @margin_permille: a move must gain this many thousandths of its cost
 * @min_gain_permille: hysteresis: a node is better only if its access
 *	cost is this many thousandths of the current one's lower
 * @min_age_ns: tasks younger than this are short-lived
 * @horizon_ns: the longest run time a move is counted to pay off over
 * @cooldown_ns: no move this soon after the task changed node
 * @room_slack_mcpu: a node has room for a task if its spare capacity
 *	plus this covers the task's CPU use: measured idle time never
 *	quite reaches a whole CPU (timers, kworkers), and a node one
 *	tenth of a CPU over is not overloaded
 * @allow_rt: RT and deadline tasks may be moved
 */
struct numamig_params {
	unsigned long long migrate_cost_ns;
	unsigned long long refill_ns_per_mb;
	unsigned long long refill_cap_mb;
	unsigned int margin_permille;
	unsigned int min_gain_permille;
	unsigned long long min_age_ns;
	unsigned long long horizon_ns;
	unsigned long long cooldown_ns;
	unsigned int room_slack_mcpu;
	int allow_rt;
};

/**
 * struct numamig_node_load - what a node has room for
 * @spare_mcpu: idle CPU capacity, thousandths of a CPU
 * @busy_permille: busy share of its CPUs, per mille
 */
struct numamig_node_load {
	unsigned int spare_mcpu;
	unsigned int busy_permille;
};

/**
 * struct numamig_task_view - one task, as numamig_decide() needs it
 * @mem: memory per node, nr_nodes entries in any unit (as for
 *	numamig_estimate())
 * @cur_node: the node it runs on
 * @allowed_nodes: bit n set if its allowed CPUs include a CPU of node n
 * @age_ns: time since it started
 * @since_move_ns: time since it last changed node (~0ULL if never)
 * @cpu_permille: recent CPU use, thousandths of one CPU
 * @rss_mb: resident memory
 * @pinned: its affinity was restricted by the user or a cpuset
 * @realtime: RT or deadline policy
 */
struct numamig_task_view {
	const unsigned int *mem;
	int cur_node;
	unsigned long long allowed_nodes;
	unsigned long long age_ns;
	unsigned long long since_move_ns;
	unsigned int cpu_permille;
	unsigned long long rss_mb;
	int pinned;
	int realtime;
};

/**
 * struct numamig_decision - numamig_decide()'s answer
 * @verdict: what to do, or why nothing
 * @target: the node to move to for NUMAMIG_V_MOVE and
 *	NUMAMIG_V_RATE_LIMITED, the best node considered for
 *	NUMAMIG_V_BELOW_THRESHOLD, NUMAMIG_V_NO_CAPACITY and a
 *	NUMAMIG_V_SHORT_LIVED of the lifetime heuristic; -1 otherwise
 * @benefit_ns: expected run time saved on @target (0 without a target)
 * @cost_ns: what moving costs (0 without a target)
 * @est: the estimate the decision was made on
 */
struct numamig_decision {
	enum numamig_verdict verdict;
	int target;
	unsigned long long benefit_ns;
	unsigned long long cost_ns;
	struct numamig_estimate est;
};

/**
 * enum numamig_release - why a hold ends
 * @NUMAMIG_REL_EXPIRED: hold_ms passed
 * @NUMAMIG_REL_STARVING: its mean runnable wait went above starve_wait_us
 * @NUMAMIG_REL_USER: someone else changed its mask: forgotten, nothing
 *	given back
 * @NUMAMIG_REL_MODE: the mode left enforce
 * @NUMAMIG_REL_EXCLUDED: the task left the scope (comm_* and cgroup_*
 *	parameters, or its own name or cgroup changed)
 * @NUMAMIG_REL_UNLOAD: module exit
 * @NUMAMIG_REL_EXITED: the task exited: forgotten
 * @NUMAMIG_REL_CHILD: a child forked while its parent was held got the
 *	parent's own mask
 * @NUMAMIG_REL_PARTNER: the hold of its swap partner ended (see
 *	numamig_partner_release())
 * @NUMAMIG_NR_RELEASES: number of reasons; from numamig_hold_ends():
 *	keep holding
 */
enum numamig_release {
	NUMAMIG_REL_EXPIRED,
	NUMAMIG_REL_STARVING,
	NUMAMIG_REL_USER,
	NUMAMIG_REL_MODE,
	NUMAMIG_REL_EXCLUDED,
	NUMAMIG_REL_UNLOAD,
	NUMAMIG_REL_EXITED,
	NUMAMIG_REL_CHILD,
	NUMAMIG_REL_PARTNER,
	NUMAMIG_NR_RELEASES
};

/**
 * struct numamig_hold_view - a held task, as numamig_hold_ends() and
 *	numamig_hold_renews() need it
 * @enforce: the mode is still enforce
 * @mask_ours: the task's allowed CPUs are still the ones numamig set
 * @excluded: the task is out of numamig's scope now
 * @now_ns: the time now
 * @until_ns: when the hold ends, same clock
 * @wait_avg_us: its mean runnable wait over the last period
 * @starve_wait_us: the wait above which it counts as starving
 * @held_node: the node it is held on
 * @best_node: the node of lowest expected access cost for its memory
 *	now, -1 if unknown
 * @cpu_permille: its CPU use over the last period
 * @swapped: held by a swap, with a partner
 */
struct numamig_hold_view {
	int enforce;
	int mask_ours;
	int excluded;
	unsigned long long now_ns;
	unsigned long long until_ns;
	unsigned int wait_avg_us;
	unsigned int starve_wait_us;
	int held_node;
	int best_node;
	unsigned int cpu_permille;
	int swapped;
};

enum numamig_release numamig_hold_ends(const struct numamig_hold_view *h);
int numamig_hold_renews(const struct numamig_hold_view *h);
enum numamig_release numamig_partner_release(enum numamig_release why);
const char *numamig_release_name(enum numamig_release why);

void numamig_decide(const struct numamig_topology *topo,
		    const struct numamig_params *params,
		    const struct numamig_node_load *load,
		    const struct numamig_task_view *task,
		    unsigned int moves_left,
		    struct numamig_decision *d);
const char *numamig_verdict_name(enum numamig_verdict v);

/*
 * Swaps: when a task's best node has no room (NUMAMIG_V_NO_CAPACITY), it
 * may exchange nodes with a task there whose own move to the first
 * task's node is at least neutral: no node's load changes by more than
 * the difference of the two tasks' CPU use. See Documentation/design.rst,
 * "Swaps".
 *
 * The pair: task a on node c moves to node n, task b on node n moves to
 * c. Each move is charged and credited as numamig_decide() charges and
 * credits a single move (benefit over min(age, horizon), migrate_cost +
 * refill); the swap is taken when
 *
 *	(benefit_a + benefit_b) * 1000 > (cost_a + cost_b) * margin_permille
 *
 * and both tasks pass every rule a single move must pass.
 *
 * Search cost: tasks are offered one by one during the worker's walk
 * (numamig_swap_offer(), O(NUMAMIG_SWAP_CANDIDATES) each); a pool keeps
 * at most NUMAMIG_SWAP_CANDIDATES per node, the most misplaced. Matching
 * (numamig_swap_match()) then evaluates each seeker against the pool of
 * its target node only: at most nr_nodes * K * K pair evaluations of
 * O(nr_nodes) each, K = NUMAMIG_SWAP_CANDIDATES. A pass costs
 * O(T * K + nr_nodes^2 * K^2) for T tasks: linear in the tasks.
 */

/* Tasks per node a pass considers for swaps: seekers and partners. */
#define NUMAMIG_SWAP_CANDIDATES	8

/**
 * struct numamig_swap - numamig_swap_decide()'s answer for a pair
 * @verdict: NUMAMIG_V_SWAPPED, or why not: a rule either task failed
 *	(pinned also for a task not allowed on the other's node; local
 *	for a move that would make it slower), no_capacity (the
 *	difference of their CPU use does not fit), below_threshold,
 *	rate_limited (fewer than 2 moves left), invalid
 * @who: which task @verdict is about: 0 for a, 1 for b, -1 for both
 * @benefit_ns: expected run time saved by a's move [0] and b's [1]
 *	(0 where the moves were not costed)
 * @cost_ns: what each move costs, the same way
 */
struct numamig_swap {
	enum numamig_verdict verdict;
	int who;
	unsigned long long benefit_ns[2];
	unsigned long long cost_ns[2];
};

void numamig_swap_decide(const struct numamig_topology *topo,
			 const struct numamig_params *params,
			 const struct numamig_node_load *load,
			 const struct numamig_task_view *a,
			 const struct numamig_task_view *b,
			 unsigned int moves_left,
			 struct numamig_swap *sw);

/**
 * struct numamig_swap_cand - a task in the pool
 * @task: a copy of its view; @task.mem must stay valid until
 *	numamig_swap_match() returned
 * @target: the node it seeks and that had no room; -1 for a task that
 *	is only a possible partner
 * @rank: how misplaced: slowdown (fixed point) x cpu_permille
 * @owner: the caller's handle, given back in struct numamig_swap_pair
 * @used: paired already (or evaluated as a seeker)
 */
struct numamig_swap_cand {
	struct numamig_task_view task;
	int target;
	unsigned long long rank;
	void *owner;
	int used;
};

/**
 * struct numamig_swap_pool - the candidates of one pass, per node
 * @nr_nodes: nodes the pool was reset for
 * @nr: entries per node, up to NUMAMIG_SWAP_CANDIDATES
 * @cand: per node, ordered by rank, highest first
 * @offered: tasks offered since the reset
 * @evaluated: pair evaluations the last numamig_swap_match() made
 */
struct numamig_swap_pool {
	unsigned int nr_nodes;
	unsigned int nr[NUMAMIG_MAX_NODES];
	struct numamig_swap_cand cand[NUMAMIG_MAX_NODES][NUMAMIG_SWAP_CANDIDATES];
	unsigned int offered;
	unsigned int evaluated;
};

/**
 * struct numamig_swap_pair - a swap numamig_swap_match() took
 * @a: the seeker's owner
 * @b: the partner's owner
 * @a_node: the node a runs on, where b goes
 * @b_node: the node b runs on, where a goes
 * @sw: the pair's figures (verdict NUMAMIG_V_SWAPPED)
 */
struct numamig_swap_pair {
	void *a;
	void *b;
	int a_node;
	int b_node;
	struct numamig_swap sw;
};

void numamig_swap_reset(struct numamig_swap_pool *pool, unsigned int nr_nodes);
int numamig_swap_offer(struct numamig_swap_pool *pool,
		       const struct numamig_params *params,
		       const struct numamig_task_view *task,
		       const struct numamig_decision *d, void *owner);
unsigned int numamig_swap_match(const struct numamig_topology *topo,
				const struct numamig_params *params,
				struct numamig_node_load *load,
				struct numamig_swap_pool *pool,
				unsigned int moves_left,
				struct numamig_swap_pair *pairs,
				unsigned int max_pairs);

#endif /* _NUMAMIG_POLICY_H */
