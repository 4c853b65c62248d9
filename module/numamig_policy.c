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

/* Sum of mem[] over the topology's nodes; below 2^36. */
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
 * below 16 * 2^32 * 255 < 2^44. @node and @topo must be valid.
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
 * not 0; weighted << 10 stays below 2^54 and the divisor below 2^40.
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
	for (i = 0; i < NUMAMIG_MAX_NODES; i++)
		est->cost[i] = 0;
	est->best_node = -1;
	est->remote_share = 0;
	est->slowdown = 0;
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
