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
 * intermediate is 16 * (2^32 - 1) * 255 * 1024 < 2^54, which fits an
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
 * on: it neither samples memory there nor moves tasks there.
 */
#define NUMAMIG_MAX_NODES	16

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

#endif /* _NUMAMIG_POLICY_H */
