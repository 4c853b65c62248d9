// SPDX-License-Identifier: GPL-2.0
/*
 * test_policy - host unit tests of numamig's policy library
 * (module/numamig_policy.c), in TAP: what a user of numamig_estimate()
 * relies on, on the topologies the VM emulates (2 nodes 10/21; 4 nodes
 * 10/16/21) and on up to NUMAMIG_MAX_NODES (64) nodes, bad input, huge
 * counts, and properties checked over many random but seeded inputs
 * against an independent long double model.
 *
 * Exits 1 if any test failed.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "numamig/policy.h"
#include "unit.h"

#define ONE NUMAMIG_FP_ONE

/* got within tol of want */
static void check_near(const char *what, long long got, long long want,
		       long long tol)
{
	if (got < want - tol || got > want + tol)
		fail("%s: got %lld want %lld (+-%lld)", what, got, want, tol);
}

static void fill_two(struct numamig_topology *t)
{
	memset(t, 0, sizeof(*t));
	t->nr_nodes = 2;
	t->distance[0][0] = 10;
	t->distance[0][1] = 21;
	t->distance[1][0] = 21;
	t->distance[1][1] = 10;
}

/* 16 between 0-1 and 2-3, 21 otherwise: what vmtest --nodes 4 emulates */
static void fill_four(struct numamig_topology *t)
{
	unsigned int i, j;

	memset(t, 0, sizeof(*t));
	t->nr_nodes = 4;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			t->distance[i][j] = i == j ? 10 :
					    i / 2 == j / 2 ? 16 : 21;
}

static void test_all_local(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 5000, 0 };
	struct numamig_estimate e;

	fill_two(&t);
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node", e.best_node, 0);
	check_eq("slowdown", e.slowdown, 0);
	check_eq("cost[0]", e.cost[0], ONE);
	check_near("cost[1]", e.cost[1], 2150, 1);
	check_eq("remote_share", e.remote_share, 0);
}

static void test_all_remote(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 5000 };
	struct numamig_estimate e;

	fill_two(&t);
	numamig_estimate(&t, mem, 0, &e);
	check_near("cost[0] (2.1 = 2150.4/1024)", e.cost[0], 2150, 1);
	check_eq("cost[1]", e.cost[1], ONE);
	check_eq("best_node", e.best_node, 1);
	check_near("slowdown (1.1 = 1126.4/1024)", e.slowdown, 1126, 1);
	check_eq("remote_share", e.remote_share, ONE);
	check_eq("access_cost(0)", numamig_access_cost(&t, mem, 0), e.cost[0]);
	check_eq("access_cost(1)", numamig_access_cost(&t, mem, 1), e.cost[1]);
}

static void test_half_half(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 4096, 4096 };
	struct numamig_estimate e;
	int cur;

	fill_two(&t);
	for (cur = 0; cur < 2; cur++) {
		numamig_estimate(&t, mem, cur, &e);
		check_eq("best_node (tie goes to current)", e.best_node, cur);
		check_eq("slowdown", e.slowdown, 0);
		check_eq("cost[0] == cost[1]", e.cost[0], e.cost[1]);
		check_near("cost (1.55)", e.cost[0], 1587, 1);
		check_eq("remote_share", e.remote_share, ONE / 2);
	}
}

static void test_four_all_on_3(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 0, 0, 1000 };
	struct numamig_estimate e;

	fill_four(&t);
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node", e.best_node, 3);
	check_near("cost[0]", e.cost[0], 2150, 1);
	check_near("cost[1]", e.cost[1], 2150, 1);
	check_near("cost[2]", e.cost[2], 1638, 1);
	check_eq("cost[3]", e.cost[3], ONE);
	check_near("slowdown", e.slowdown, 1126, 1);
	check_eq("remote_share", e.remote_share, ONE);
}

static void test_four_split_2_3(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 0, 500, 500 };
	struct numamig_estimate e;
	int cur;

	fill_four(&t);
	/* 2 and 3 tie at 1.3 and are both at 21 from 0 and 1: lower id */
	for (cur = 0; cur < 2; cur++) {
		numamig_estimate(&t, mem, cur, &e);
		check_eq("cost[2] == cost[3]", e.cost[2], e.cost[3]);
		check_near("cost[2] (1.3)", e.cost[2], 1331, 1);
		check_eq("best_node", e.best_node, 2);
		check_near("slowdown (2.1 / 1.3 - 1)", e.slowdown, 630, 1);
	}
	/* from 3 itself: stay */
	numamig_estimate(&t, mem, 3, &e);
	check_eq("best_node from 3", e.best_node, 3);
	check_eq("slowdown from 3", e.slowdown, 0);
}

static void test_tie_by_distance(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 700, 700 };
	struct numamig_estimate e;

	/* 1 and 2 tie at 1.5; from 0, node 2 (15) is nearer than 1 (30) */
	memset(&t, 0, sizeof(t));
	t.nr_nodes = 3;
	t.distance[0][0] = 10;
	t.distance[0][1] = 30;
	t.distance[0][2] = 15;
	t.distance[1][0] = 30;
	t.distance[1][1] = 10;
	t.distance[1][2] = 20;
	t.distance[2][0] = 15;
	t.distance[2][1] = 20;
	t.distance[2][2] = 10;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("cost[1] == cost[2]", e.cost[1], e.cost[2]);
	check_eq("best_node (nearer, not lower id)", e.best_node, 2);
}

static void test_unknown(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0 };
	struct numamig_estimate e;
	int cur, i;

	fill_four(&t);
	for (cur = 0; cur < 4; cur++) {
		numamig_estimate(&t, mem, cur, &e);
		check_eq("best_node", e.best_node, cur);
		check_eq("slowdown", e.slowdown, 0);
		check_eq("remote_share", e.remote_share, 0);
		for (i = 0; i < 4; i++)
			check_eq("cost", e.cost[i], ONE);
		check_eq("access_cost", numamig_access_cost(&t, mem, cur), ONE);
		numamig_estimate(&t, NULL, cur, &e);
		check_eq("best_node (mem NULL)", e.best_node, cur);
		check_eq("slowdown (mem NULL)", e.slowdown, 0);
	}
}

static void test_bad_input(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 100 };
	struct numamig_estimate e;
	const int bad_cur[] = { -1, 2, 16, 63, 64, INT_MAX, INT_MIN };
	unsigned int i;

	fill_two(&t);
	for (i = 0; i < ARRAY_SIZE(bad_cur); i++) {
		memset(&e, 0x5a, sizeof(e));
		numamig_estimate(&t, mem, bad_cur[i], &e);
		check_eq("best_node (bad cur_node)", e.best_node, -1);
		check_eq("slowdown (bad cur_node)", e.slowdown, 0);
		check_eq("remote_share (bad cur_node)", e.remote_share, 0);
		check_eq("cost[0] (bad cur_node)", e.cost[0], 0);
		check_eq("access_cost (bad node)",
			 numamig_access_cost(&t, mem, bad_cur[i]), 0);
	}
	t.nr_nodes = 0;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node (nr_nodes 0)", e.best_node, -1);
	check_eq("slowdown (nr_nodes 0)", e.slowdown, 0);
	t.nr_nodes = NUMAMIG_MAX_NODES + 1;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node (nr_nodes 65)", e.best_node, -1);
	t.nr_nodes = UINT_MAX;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node (nr_nodes UINT_MAX)", e.best_node, -1);
	numamig_estimate(NULL, mem, 0, &e);
	check_eq("best_node (topo NULL)", e.best_node, -1);
	check_eq("access_cost (topo NULL)",
		 numamig_access_cost(NULL, mem, 0), 0);
	numamig_estimate(&t, mem, 0, NULL);	/* must not crash */
}

static void test_bad_distances(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0, 100 };
	struct numamig_estimate e;

	/* an all-zero table: diagonal counts as 10, the rest as 20 */
	memset(&t, 0, sizeof(t));
	t.nr_nodes = 2;
	check_eq("distance(0, 0)", numamig_distance(&t, 0, 0), 10);
	check_eq("distance(0, 1)", numamig_distance(&t, 0, 1), 20);
	numamig_estimate(&t, mem, 0, &e);
	check_eq("cost[0]", e.cost[0], 2 * ONE);
	check_eq("cost[1]", e.cost[1], ONE);
	check_eq("best_node", e.best_node, 1);
	check_eq("slowdown", e.slowdown, ONE);
	/* a diagonal other than 10 is still local; remote 5 counts as 20 */
	t.distance[0][0] = 50;
	t.distance[1][1] = 3;
	t.distance[0][1] = 5;
	t.distance[1][0] = 255;
	check_eq("distance(0, 0) of 50", numamig_distance(&t, 0, 0), 10);
	check_eq("distance(1, 1) of 3", numamig_distance(&t, 1, 1), 10);
	check_eq("distance(0, 1) of 5", numamig_distance(&t, 0, 1), 20);
	check_eq("distance(1, 0) of 255", numamig_distance(&t, 1, 0), 255);
	check_eq("distance(0, 2) out of range", numamig_distance(&t, 0, 2), 0);
	mem[0] = 100;
	mem[1] = 0;
	numamig_estimate(&t, mem, 1, &e);
	check_near("cost[1] (25.5)", e.cost[1], 26112, 0);
	check_eq("best_node", e.best_node, 0);
	check_near("slowdown (24.5)", e.slowdown, 25088, 0);
}

/*
 * @n nodes, every remote distance 255, UINT_MAX pages everywhere: the
 * largest intermediates there are. Then all of it on the last node but
 * one page on every other one.
 */
static void huge_counts(unsigned int n, unsigned int want_cost,
			unsigned int want_share)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0 };
	struct numamig_estimate e;
	unsigned int i, j;

	memset(&t, 0, sizeof(t));
	t.nr_nodes = n;
	for (i = 0; i < n; i++) {
		mem[i] = UINT_MAX;
		for (j = 0; j < n; j++)
			t.distance[i][j] = i == j ? 10 : 255;
	}
	numamig_estimate(&t, mem, 5, &e);
	for (i = 0; i < n; i++)
		check_eq("cost", e.cost[i], want_cost);
	check_eq("best_node", e.best_node, 5);
	check_eq("slowdown", e.slowdown, 0);
	check_eq("remote_share", e.remote_share, want_share);

	/* all of it on the last node but one page elsewhere: move, 24.5 */
	for (i = 0; i < n; i++)
		mem[i] = 1;
	mem[n - 1] = UINT_MAX;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node", e.best_node, n - 1);
	check_eq("cost[last]", e.cost[n - 1], ONE);
	check_near("cost[0]", e.cost[0], 26112, 1);
	check_near("slowdown", e.slowdown, 25088, 1);
	check_eq("remote_share", e.remote_share, ONE);
}

static void test_huge_counts_16(void)
{
	/* (10 + 15 * 255) / 16 / 10 = 23.96875 = 24544 / 1024 exactly */
	huge_counts(16, 24544, 15 * ONE / 16);
}

static void test_huge_counts_64(void)
{
	/* (10 + 63 * 255) / 64 / 10 = 25.1171875 = 25720 / 1024 exactly */
	huge_counts(64, 25720, 63 * ONE / 64);
}

static void test_max_nodes(void)
{
	/* numamig_decide()'s allowed_nodes is a 64-bit node set */
	check_eq("NUMAMIG_MAX_NODES", NUMAMIG_MAX_NODES, 64);
	check_eq("allowed_nodes bits",
		 sizeof(((struct numamig_task_view *)0)->allowed_nodes) * 8,
		 NUMAMIG_MAX_NODES);
}

/*
 * 64 nodes as 8 sockets of 8: distance 12 within a socket, 32 across.
 * Node ids above 16 and 32 must work like any other.
 */
static void fill_64(struct numamig_topology *t)
{
	unsigned int i, j;

	memset(t, 0, sizeof(*t));
	t->nr_nodes = 64;
	for (i = 0; i < 64; i++)
		for (j = 0; j < 64; j++)
			t->distance[i][j] = i == j ? 10 :
					    i / 8 == j / 8 ? 12 : 32;
}

static void test_64_nodes(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 0 };
	struct numamig_estimate e;
	unsigned int i;

	fill_64(&t);
	/* all memory on node 63, task on 0: 3.2 there, 1.2 in socket 7 */
	mem[63] = 1000;
	numamig_estimate(&t, mem, 0, &e);
	check_eq("best_node", e.best_node, 63);
	check_eq("cost[63]", e.cost[63], ONE);
	check_near("cost[0] (3.2)", e.cost[0], 3277, 0);
	check_near("cost[56] (1.2)", e.cost[56], 1229, 0);
	check_near("cost[62] (1.2)", e.cost[62], 1229, 0);
	check_near("slowdown (2.2)", e.slowdown, 2253, 0);
	check_eq("remote_share", e.remote_share, ONE);
	check_eq("access_cost(63)", numamig_access_cost(&t, mem, 63), ONE);
	check_eq("distance(0, 63)", numamig_distance(&t, 0, 63), 32);
	check_eq("distance(62, 63)", numamig_distance(&t, 62, 63), 12);
	check_eq("distance(63, 64) out of range",
		 numamig_distance(&t, 63, 64), 0);
	/* the task on 63 itself stays */
	numamig_estimate(&t, mem, 63, &e);
	check_eq("best_node from 63", e.best_node, 63);
	check_eq("slowdown from 63", e.slowdown, 0);

	/* spread evenly over socket 7: nodes 56..63 tie at 1.175 */
	for (i = 56; i < 64; i++)
		mem[i] = 1000;
	numamig_estimate(&t, mem, 0, &e);
	for (i = 56; i < 64; i++)
		check_near("cost[56..63] (1.175)", e.cost[i], 1203, 0);
	check_eq("best_node (tie at equal distance: lowest id)",
		 e.best_node, 56);
	check_eq("remote_share", e.remote_share, ONE);
	numamig_estimate(&t, mem, 60, &e);
	check_eq("best_node from 60 (tie: current)", e.best_node, 60);
	check_eq("remote_share from 60 (7/8)", e.remote_share, 7 * ONE / 8);
}

/*
 * A gain too small to round to 1/1024 still reports slowdown 1, not 0:
 * distance 12, 200 pages on node 0 and 199 on node 1, running on 1. The
 * costs are 1126.13 and 1126.67 / 1024, which round apart (1126, 1127),
 * so node 0 is best, but the exact slowdown is 0.49 / 1024.
 */
static void test_small_gain(void)
{
	long double c0, c1;
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES] = { 200, 199 };
	struct numamig_estimate e;

	fill_two(&t);
	t.distance[0][1] = 12;
	t.distance[1][0] = 12;
	numamig_estimate(&t, mem, 1, &e);
	c0 = 10.0L * mem[0] + 12.0L * mem[1];
	c1 = 12.0L * mem[0] + 10.0L * mem[1];
	check_eq("exact slowdown below 1/2048 (premise)",
		 (c1 / c0 - 1) * ONE < 0.5L, 1);
	check_eq("cost[0]", e.cost[0], 1126);
	check_eq("cost[1]", e.cost[1], 1127);
	check_eq("best_node", e.best_node, 0);
	check_eq("slowdown", e.slowdown, 1);
}

/*
 * Random inputs: xorshift64, fixed seed, so every run tests the same
 * inputs and a failure reproduces.
 */
static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long long rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned int rnd_below(unsigned int n)
{
	return (unsigned int)(rnd() % n);
}

static void random_input(struct numamig_topology *t, unsigned int *mem,
			 int *cur)
{
	unsigned int i, j, n, kind = rnd_below(4), scale;

	memset(t, 0, sizeof(*t));
	n = 1 + rnd_below(NUMAMIG_MAX_NODES);
	t->nr_nodes = n;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (kind < 2)		/* sane, symmetric */
				t->distance[i][j] = i == j ? 10 :
					j < i ? t->distance[j][i] :
					(unsigned char)(11 + rnd_below(30));
			else if (kind == 2)	/* few values: many ties */
				t->distance[i][j] = i == j ? 10 :
					(unsigned char)(rnd_below(2) ? 16 : 21);
			else			/* anything, bad firmware */
				t->distance[i][j] =
					(unsigned char)rnd_below(256);
		}
	}
	/* sizes from single pages to UINT_MAX, often zero on some nodes */
	scale = rnd_below(4);
	for (i = 0; i < NUMAMIG_MAX_NODES; i++) {
		if (i >= n || rnd_below(3) == 0)
			mem[i] = 0;
		else if (scale == 0)
			mem[i] = rnd_below(4);
		else if (scale == 1)
			mem[i] = rnd_below(100000);
		else if (scale == 2)
			mem[i] = (unsigned int)rnd();
		else
			mem[i] = UINT_MAX - rnd_below(3);
	}
	/* mem beyond nr_nodes must be ignored: poison it */
	for (i = n; i < NUMAMIG_MAX_NODES; i++)
		mem[i] = (unsigned int)rnd();
	*cur = (int)rnd_below(n);
}

/* The model, independently: sanitized distance and exact costs. */
static unsigned int ref_distance(const struct numamig_topology *t,
				 unsigned int i, unsigned int j)
{
	if (i == j)
		return 10;
	return t->distance[i][j] < 10 ? 20 : t->distance[i][j];
}

static long double ref_cost(const struct numamig_topology *t,
			    const unsigned int *mem, unsigned int node)
{
	long double total = 0, sum = 0;
	unsigned int j;

	for (j = 0; j < t->nr_nodes; j++)
		total += mem[j];
	if (total == 0)
		return 1.0L;
	for (j = 0; j < t->nr_nodes; j++)
		sum += mem[j] / total * ref_distance(t, node, j) / 10.0L;
	return sum;
}

#define NR_RANDOM 20000

enum prop {
	P_MIN, P_TIE, P_SLOWDOWN_ZERO, P_SHARE_RANGE, P_COST_RANGE,
	P_COST_REF, P_SHARE_REF, P_SLOWDOWN_REF, P_ACCESS_COST, P_BEYOND,
	NR_PROPS
};

static const char *const prop_desc[NR_PROPS] = {
	[P_MIN] = "random: cost[best] <= cost[i] for every node",
	[P_TIE] = "random: ties go to current, then nearest, then lowest id",
	[P_SLOWDOWN_ZERO] = "random: slowdown == 0 iff best == cur",
	[P_SHARE_RANGE] = "random: remote_share in [0, 1024]",
	[P_COST_RANGE] = "random: cost in [1.0, max distance / 10]",
	[P_COST_REF] = "random: cost within 1/2048 of the exact model",
	[P_SHARE_REF] = "random: remote_share within 1/2048 of exact",
	[P_SLOWDOWN_REF] = "random: slowdown within 1/2048 of exact",
	[P_ACCESS_COST] = "random: numamig_access_cost() == est.cost[]",
	[P_BEYOND] = "random: cost[] is 0 from nr_nodes on",
};

static int prop_failed[NR_PROPS];
static char prop_diag[NR_PROPS][256];

static void prop_fail(enum prop p, unsigned int iter, const char *fmt, ...)
{
	va_list ap;
	int len;

	if (prop_failed[p]++)
		return;
	len = snprintf(prop_diag[p], sizeof(prop_diag[p]), "input %u: ", iter);
	va_start(ap, fmt);
	vsnprintf(prop_diag[p] + len, sizeof(prop_diag[p]) - (size_t)len,
		  fmt, ap);
	va_end(ap);
}

/* Whether a rounded result misses the exact value by more than 1/2048. */
static int off(unsigned int got, long double exact)
{
	long double d = got - exact;

	return d > 0.500000001L || d < -0.500000001L;
}

/*
 * The best node by the documented order, from est's rounded costs: the
 * current node if its cost is the lowest, else of the nodes at the lowest
 * cost the nearest to it, else the lowest id.
 */
static int ref_best(const struct numamig_topology *t,
		    const struct numamig_estimate *e, int cur)
{
	unsigned int i, min = e->cost[cur];
	int best = -1;

	for (i = 0; i < t->nr_nodes; i++)
		if (e->cost[i] < min)
			min = e->cost[i];
	if (e->cost[cur] == min)
		return cur;
	for (i = 0; i < t->nr_nodes; i++)
		if (e->cost[i] == min &&
		    (best < 0 || ref_distance(t, cur, i) <
				 ref_distance(t, cur, best)))
			best = (int)i;
	return best;
}

static void check_costs(unsigned int iter, const struct numamig_topology *t,
			const unsigned int *mem,
			const struct numamig_estimate *e)
{
	long double exact;
	unsigned int i, n = t->nr_nodes, maxd = 10, c;

	for (i = 0; i < n * n; i++)
		if (ref_distance(t, i / n, i % n) > maxd)
			maxd = ref_distance(t, i / n, i % n);
	for (i = 0; i < n; i++) {
		c = e->cost[i];
		if (c < e->cost[e->best_node])
			prop_fail(P_MIN, iter, "cost[%u] %u < cost[best %d] %u",
				  i, c, e->best_node, e->cost[e->best_node]);
		if (c < ONE || 10ULL * c > maxd * 1024ULL + 5)
			prop_fail(P_COST_RANGE, iter,
				  "cost[%u]: got %u want 1024..%u",
				  i, c, maxd * 1024 / 10);
		exact = ref_cost(t, mem, i) * ONE;
		if (off(c, exact))
			prop_fail(P_COST_REF, iter,
				  "cost[%u]: got %u want %.4Lf", i, c, exact);
		if (numamig_access_cost(t, mem, (int)i) != c)
			prop_fail(P_ACCESS_COST, iter,
				  "node %u: got %u want %u", i,
				  numamig_access_cost(t, mem, (int)i), c);
	}
	for (i = n; i < NUMAMIG_MAX_NODES; i++)
		if (e->cost[i])
			prop_fail(P_BEYOND, iter, "cost[%u]: got %u want 0",
				  i, e->cost[i]);
}

static void check_random(unsigned int iter, const struct numamig_topology *t,
			 const unsigned int *mem, int cur,
			 const struct numamig_estimate *e)
{
	long double total = 0, exact;
	int best = e->best_node, want, moves = best != cur;
	unsigned int i;

	check_costs(iter, t, mem, e);
	want = ref_best(t, e, cur);
	if (best != want)
		prop_fail(P_TIE, iter, "best_node: got %d want %d (cur %d)",
			  best, want, cur);
	if (e->slowdown ? !moves : moves)
		prop_fail(P_SLOWDOWN_ZERO, iter, "slowdown %u best %d cur %d",
			  e->slowdown, best, cur);

	for (i = 0; i < t->nr_nodes; i++)
		total += mem[i];
	if (e->remote_share > ONE)
		prop_fail(P_SHARE_RANGE, iter,
			  "remote_share: got %u want <= 1024", e->remote_share);
	exact = total ? (total - mem[cur]) / total * ONE : 0;
	if (off(e->remote_share, exact))
		prop_fail(P_SHARE_REF, iter, "remote_share: got %u want %.4Lf",
			  e->remote_share, exact);

	if (best == cur)
		return;
	exact = ref_cost(t, mem, cur) / ref_cost(t, mem, best) - 1;
	exact *= ONE;
	/* a move is never reported as slowdown 0 */
	if (exact < 0.5L ? e->slowdown != 1 : off(e->slowdown, exact))
		prop_fail(P_SLOWDOWN_REF, iter, "slowdown: got %u want %.4Lf",
			  e->slowdown, exact);
}

static void run_random(void)
{
	struct numamig_topology t;
	unsigned int mem[NUMAMIG_MAX_NODES];
	struct numamig_estimate e;
	unsigned int iter;
	int cur;

	for (iter = 0; iter < NR_RANDOM; iter++) {
		random_input(&t, mem, &cur);
		numamig_estimate(&t, mem, cur, &e);
		check_random(iter, &t, mem, cur, &e);
	}
}

static void test_fp_one(void)
{
	check_eq("NUMAMIG_FP_ONE", NUMAMIG_FP_ONE, 1 << NUMAMIG_FP_SHIFT);
}

static const struct unit_test tests[] = {
	{ test_fp_one,
	  "NUMAMIG_FP_ONE is 1 << NUMAMIG_FP_SHIFT" },
	{ test_all_local,
	  "all memory local: slowdown 0, best is current" },
	{ test_all_remote,
	  "2 nodes 10/21, all remote: cost 2.1, slowdown 1.1, best is memory's node" },
	{ test_half_half,
	  "2 nodes, half and half: best is current" },
	{ test_four_all_on_3,
	  "4 nodes 10/16/21, memory on 3, task on 0: best 3" },
	{ test_four_split_2_3,
	  "4 nodes, memory 50/50 on 2 and 3, task on 0 or 1: best 2" },
	{ test_tie_by_distance,
	  "tie between two nodes broken by distance from current" },
	{ test_unknown,
	  "unknown memory: every cost 1.0, no move" },
	{ test_bad_input,
	  "bad cur_node, nr_nodes or NULLs: best -1, slowdown 0" },
	{ test_bad_distances,
	  "bad SLIT entries: diagonal 10, remote below 10 is 20" },
	{ test_huge_counts_16,
	  "UINT_MAX pages on 16 nodes at distance 255: no overflow" },
	{ test_huge_counts_64,
	  "UINT_MAX pages on 64 nodes at distance 255: no overflow" },
	{ test_max_nodes,
	  "NUMAMIG_MAX_NODES is 64, the bits of allowed_nodes" },
	{ test_64_nodes,
	  "64 nodes in 8 sockets: memory on node 63, ties among 56..63" },
	{ test_small_gain,
	  "a move for a gain below 1/2048 has slowdown 1, not 0" },
};

int main(void)
{
	unsigned int i;

	unit_run(tests, ARRAY_SIZE(tests), NR_PROPS);
	run_random();
	for (i = 0; i < NR_PROPS; i++) {
		tap(!prop_failed[i], prop_desc[i],
		    "%d of %d inputs failed; first: %s",
		    prop_failed[i], NR_RANDOM, prop_diag[i]);
	}
	return unit_done();
}
