// SPDX-License-Identifier: GPL-2.0
/*
 * test_swap - host unit tests of swaps in the policy library
 * (module/numamig_policy.c), in TAP: numamig_swap_decide() for one pair
 * (a clear win, a one-sided gain that does not pay for two moves, every
 * safety rule on either task, room, the rate limit, bad input),
 * numamig_swap_offer() (who gets into the pool, the bound and the rank
 * order), numamig_swap_match() (three nodes where only one pair fits,
 * many candidates at a bounded cost, moves and room used up), the
 * release of a partner (numamig_partner_release()), and random pairs
 * and pools checked against an independent model in exact 128-bit
 * arithmetic.
 *
 * Exits 1 if any test failed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numamig/policy.h"
#include "unit.h"

#define MS 1000000ULL
#define SEC 1000000000ULL
#define K NUMAMIG_SWAP_CANDIDATES

/*
 * The default pair: 2 nodes at distance 21; a on node 0 with all its
 * memory on node 1, b on node 1 with all of it on node 0, both using a
 * whole CPU for 1 s, the horizon, with 100 MiB resident. Each move, as
 * test_decide.c computes by hand: cost(here) = 2150 / 1024, cost(there)
 * = 1024 / 1024,
 *
 *	benefit = 1 s * 1126 / 2150 = 523720930 ns
 *	cost    = 50 us + 1 us/MiB * min(100, 64) MiB = 114000 ns
 *
 * and 2 * 523720930 * 1000 > 2 * 114000 * 2000: swapped.
 */
#define BENEFIT	523720930ULL
#define COST	114000ULL

static struct numamig_topology topo;
static struct numamig_params params;
static struct numamig_node_load load[NUMAMIG_MAX_NODES];
static unsigned int mem_a[NUMAMIG_MAX_NODES], mem_b[NUMAMIG_MAX_NODES];
static struct numamig_task_view va, vb;
static struct numamig_swap sw;

static void set_distances(unsigned int n, unsigned char remote)
{
	unsigned int i, j;

	memset(&topo, 0, sizeof(topo));
	topo.nr_nodes = n;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			topo.distance[i][j] = i == j ? 10 : remote;
}

static void view(struct numamig_task_view *v, unsigned int *mem, int node)
{
	memset(v, 0, sizeof(*v));
	v->mem = mem;
	v->cur_node = node;
	v->allowed_nodes = ~0ULL;
	v->age_ns = SEC;
	v->since_move_ns = ~0ULL;
	v->cpu_permille = 1000;
	v->rss_mb = 100;
}

static void base(void)
{
	unsigned int i;

	set_distances(2, 21);
	memset(&params, 0, sizeof(params));
	params.migrate_cost_ns = 50000;
	params.refill_ns_per_mb = 1000;
	params.refill_cap_mb = 64;
	params.margin_permille = 2000;
	params.min_gain_permille = 100;
	params.min_age_ns = 10 * MS;
	params.horizon_ns = SEC;
	params.cooldown_ns = 100 * MS;
	params.room_slack_mcpu = 100;
	for (i = 0; i < NUMAMIG_MAX_NODES; i++) {
		load[i].spare_mcpu = 0;
		load[i].busy_permille = 1000;
	}
	memset(mem_a, 0, sizeof(mem_a));
	memset(mem_b, 0, sizeof(mem_b));
	mem_a[1] = 1000;
	mem_b[0] = 1000;
	view(&va, mem_a, 0);
	view(&vb, mem_b, 1);
}

static void run(unsigned int moves_left)
{
	memset(&sw, 0x5a, sizeof(sw));
	numamig_swap_decide(&topo, &params, load, &va, &vb, moves_left, &sw);
}

static void check_sw(const char *what, enum numamig_verdict v, int who)
{
	if (sw.verdict != v)
		fail("%s: verdict: got %s want %s", what,
		     numamig_verdict_name(sw.verdict), numamig_verdict_name(v));
	else if (sw.who != who)
		fail("%s: who: got %d want %d", what, sw.who, who);
}

/* A verdict before the moves were costed: every figure 0. */
static void check_early(const char *what, enum numamig_verdict v, int who)
{
	check_sw(what, v, who);
	check_u64(what, sw.benefit_ns[0] | sw.benefit_ns[1] | sw.cost_ns[0] |
		  sw.cost_ns[1], 0);
}

static void test_clear_win(void)
{
	base();
	run(8);
	check_sw("clear win", NUMAMIG_V_SWAPPED, -1);
	check_u64("benefit a", sw.benefit_ns[0], BENEFIT);
	check_u64("benefit b", sw.benefit_ns[1], BENEFIT);
	check_u64("cost a", sw.cost_ns[0], COST);
	check_u64("cost b", sw.cost_ns[1], COST);
	/* symmetric: the same with the tasks the other way round */
	numamig_swap_decide(&topo, &params, load, &vb, &va, 8, &sw);
	check_sw("b first", NUMAMIG_V_SWAPPED, -1);
	/* no room anywhere, yet a single move would not be made */
	{
		struct numamig_decision d;

		numamig_decide(&topo, &params, load, &va, 8, &d);
		check_eq("a alone: no_capacity", d.verdict, NUMAMIG_V_NO_CAPACITY);
		check_eq("a alone: target", d.target, 1);
	}
}

/*
 * a gains enough for one move but not for two; b's move is neutral (its
 * memory split evenly), so it adds nothing. 600 ms at 1 permille:
 * benefit 600000 * 1126 / 2150 = 314232 ns; one move needs 228000, two
 * need 456000.
 */
static void test_one_sided(void)
{
	struct numamig_decision d;

	base();
	va.age_ns = 600 * MS;
	va.cpu_permille = 1;
	vb.cpu_permille = 1;
	mem_b[0] = 500;
	mem_b[1] = 500;
	load[1].spare_mcpu = 1000;
	numamig_decide(&topo, &params, load, &va, 8, &d);
	check_eq("a alone with room: move", d.verdict, NUMAMIG_V_MOVE);
	check_u64("a alone: benefit", d.benefit_ns, 314232);
	load[1].spare_mcpu = 0;
	run(8);
	check_sw("one-sided", NUMAMIG_V_BELOW_THRESHOLD, -1);
	check_u64("benefit a", sw.benefit_ns[0], 314232);
	check_u64("benefit b (neutral)", sw.benefit_ns[1], 0);
	check_u64("cost a + b", sw.cost_ns[0] + sw.cost_ns[1], 2 * COST);
	/* no horizon: nothing to gain */
	va.age_ns = SEC;
	va.cpu_permille = 1000;
	vb.cpu_permille = 1000;
	params.horizon_ns = 0;
	run(8);
	check_sw("nothing over no horizon", NUMAMIG_V_BELOW_THRESHOLD, -1);
	/* b gaining too makes it pay */
	base();
	va.age_ns = 600 * MS;
	va.cpu_permille = 1;
	vb.age_ns = 600 * MS;
	vb.cpu_permille = 1;
	run(8);
	check_sw("both gain", NUMAMIG_V_SWAPPED, -1);
}

static void test_pinned_partner(void)
{
	base();
	vb.pinned = 1;
	run(8);
	check_early("b pinned", NUMAMIG_V_PINNED, 1);
	base();
	va.pinned = 1;
	vb.pinned = 1;
	run(8);
	check_early("both pinned: a first", NUMAMIG_V_PINNED, 0);
	base();
	vb.allowed_nodes = 1ULL << 1;
	run(8);
	check_early("b may not run on node 0", NUMAMIG_V_PINNED, 1);
	base();
	va.allowed_nodes = 1ULL << 0;
	run(8);
	check_early("a may not run on node 1", NUMAMIG_V_PINNED, 0);
}

static void test_safety(void)
{
	base();
	vb.realtime = 1;
	run(8);
	check_early("b realtime", NUMAMIG_V_REALTIME, 1);
	params.allow_rt = 1;
	run(8);
	check_sw("b realtime, allow_rt", NUMAMIG_V_SWAPPED, -1);
	base();
	vb.cpu_permille = 0;
	run(8);
	check_early("b idle", NUMAMIG_V_IDLE, 1);
	base();
	memset(mem_b, 0, sizeof(mem_b));
	run(8);
	check_early("b memory unknown", NUMAMIG_V_NO_INFO, 1);
	base();
	vb.age_ns = params.min_age_ns - 1;
	run(8);
	check_early("b short-lived", NUMAMIG_V_SHORT_LIVED, 1);
	vb.age_ns = params.min_age_ns;
	run(8);
	check_sw("b just old enough", NUMAMIG_V_SWAPPED, -1);
	base();
	vb.since_move_ns = params.cooldown_ns - 1;
	run(8);
	check_early("b in cooldown", NUMAMIG_V_COOLDOWN, 1);
	vb.since_move_ns = params.cooldown_ns;
	run(8);
	check_sw("b just out of cooldown", NUMAMIG_V_SWAPPED, -1);
	base();
	va.since_move_ns = 0;
	vb.pinned = 1;
	run(8);
	check_early("a's rules first", NUMAMIG_V_COOLDOWN, 0);
	/* b would be slower on a's node */
	base();
	mem_b[0] = 0;
	mem_b[1] = 1000;
	run(8);
	check_early("b would lose", NUMAMIG_V_LOCAL, 1);
	mem_b[0] = 499;
	mem_b[1] = 501;
	run(8);
	check_early("b would lose a little", NUMAMIG_V_LOCAL, 1);
	mem_b[0] = 500;
	mem_b[1] = 500;
	run(8);
	check_sw("b neutral", NUMAMIG_V_SWAPPED, -1);
	check_u64("b neutral: no benefit", sw.benefit_ns[1], 0);
}

static void test_room_and_rate(void)
{
	base();
	vb.cpu_permille = 300;
	/* node 1 gets 700 more: spare + slack must cover it */
	load[1].spare_mcpu = 599;
	run(8);
	check_early("700 more on node 1, room 699", NUMAMIG_V_NO_CAPACITY, 0);
	load[1].spare_mcpu = 600;
	run(8);
	check_sw("room 700", NUMAMIG_V_SWAPPED, -1);
	/* node 0 gets 700 less: it needs no room */
	base();
	va.cpu_permille = 300;
	run(8);
	check_early("node 0 gets 700 more", NUMAMIG_V_NO_CAPACITY, 1);
	load[0].spare_mcpu = 600;
	run(8);
	check_sw("and has room", NUMAMIG_V_SWAPPED, -1);
	/* a swap is two moves */
	base();
	run(1);
	check_sw("one move left", NUMAMIG_V_RATE_LIMITED, -1);
	check_u64("rate limited: figures", sw.benefit_ns[0], BENEFIT);
	run(0);
	check_sw("none left", NUMAMIG_V_RATE_LIMITED, -1);
	run(2);
	check_sw("two left", NUMAMIG_V_SWAPPED, -1);
}

static void test_invalid(void)
{
	base();
	numamig_swap_decide(&topo, &params, load, &va, &vb, 8, NULL);
	numamig_swap_decide(NULL, &params, load, &va, &vb, 8, &sw);
	check_early("NULL topology", NUMAMIG_V_INVALID, -1);
	numamig_swap_decide(&topo, NULL, load, &va, &vb, 8, &sw);
	check_early("NULL params", NUMAMIG_V_INVALID, -1);
	numamig_swap_decide(&topo, &params, NULL, &va, &vb, 8, &sw);
	check_early("NULL load", NUMAMIG_V_INVALID, -1);
	numamig_swap_decide(&topo, &params, load, NULL, &vb, 8, &sw);
	check_early("NULL a", NUMAMIG_V_INVALID, -1);
	numamig_swap_decide(&topo, &params, load, &va, NULL, 8, &sw);
	check_early("NULL b", NUMAMIG_V_INVALID, -1);
	vb.cur_node = 0;
	run(8);
	check_early("same node", NUMAMIG_V_INVALID, -1);
	vb.cur_node = 2;
	run(8);
	check_early("node out of range", NUMAMIG_V_INVALID, -1);
	vb.cur_node = -1;
	run(8);
	check_early("node -1", NUMAMIG_V_INVALID, -1);
	base();
	topo.nr_nodes = 0;
	run(8);
	check_early("no nodes", NUMAMIG_V_INVALID, -1);
}

/* Huge values saturate: a defined verdict, never a wrapped figure. */
static void test_huge(void)
{
	base();
	va.age_ns = ~0ULL;
	vb.age_ns = ~0ULL;
	params.horizon_ns = ~0ULL;
	va.rss_mb = ~0ULL;
	params.refill_cap_mb = ~0ULL;
	params.refill_ns_per_mb = ~0ULL;
	run(8);
	check_sw("cost ULLONG_MAX", NUMAMIG_V_BELOW_THRESHOLD, -1);
	check_u64("cost a saturates", sw.cost_ns[0], ~0ULL);
	if (sw.benefit_ns[0] < BENEFIT)
		fail("benefit a wrapped: %llu", sw.benefit_ns[0]);
}

static void test_partner_release(void)
{
	check_eq("expired", numamig_partner_release(NUMAMIG_REL_EXPIRED),
		 NUMAMIG_REL_EXPIRED);
	check_eq("mode", numamig_partner_release(NUMAMIG_REL_MODE),
		 NUMAMIG_REL_MODE);
	check_eq("unload", numamig_partner_release(NUMAMIG_REL_UNLOAD),
		 NUMAMIG_REL_UNLOAD);
	check_eq("starving", numamig_partner_release(NUMAMIG_REL_STARVING),
		 NUMAMIG_REL_PARTNER);
	check_eq("user", numamig_partner_release(NUMAMIG_REL_USER),
		 NUMAMIG_REL_PARTNER);
	check_eq("exited", numamig_partner_release(NUMAMIG_REL_EXITED),
		 NUMAMIG_REL_PARTNER);
	check_eq("partner", numamig_partner_release(NUMAMIG_REL_PARTNER),
		 NUMAMIG_REL_PARTNER);
	check_eq("keep", numamig_partner_release(NUMAMIG_NR_RELEASES),
		 NUMAMIG_NR_RELEASES);
	check_eq("-1", numamig_partner_release((enum numamig_release)-1),
		 NUMAMIG_NR_RELEASES);
	check_str("name", numamig_release_name(NUMAMIG_REL_PARTNER), "partner");
	check_str("verdict name", numamig_verdict_name(NUMAMIG_V_SWAPPED),
		  "swapped");
}

/* Pools: tasks, views and memory for up to 2048 of them. */
#define MAXT 2048
static struct numamig_task_view tv[MAXT];
static unsigned int tmem[MAXT][NUMAMIG_MAX_NODES];
static struct numamig_decision td[MAXT];
static struct numamig_swap_pool pool;
static struct numamig_swap_pair pairs[NUMAMIG_MAX_NODES * K];

/* Task i on @node, its memory on @mem_node, decided with no room anywhere. */
static void task_at(unsigned int i, int node, int mem_node)
{
	memset(tmem[i], 0, sizeof(tmem[i]));
	if (mem_node >= 0)
		tmem[i][mem_node] = 1000;
	else
		tmem[i][node] = 1000;
	view(&tv[i], tmem[i], node);
}

static void decide_and_offer(unsigned int i)
{
	numamig_decide(&topo, &params, load, &tv[i], 8, &td[i]);
	numamig_swap_offer(&pool, &params, &tv[i], &td[i], &tv[i]);
}

static int idx(void *owner)
{
	return (int)((struct numamig_task_view *)owner - tv);
}

static void test_offer(void)
{
	unsigned int i;

	base();
	numamig_swap_reset(&pool, 2);
	task_at(0, 0, 1);		/* seeker: no_capacity to 1 */
	task_at(1, 1, -1);		/* local: a possible partner */
	task_at(2, 1, 0);		/* seeker too */
	task_at(3, 1, 0);
	tv[3].pinned = 1;		/* pinned: never */
	task_at(4, 1, 0);
	tv[4].age_ns = 0;		/* short-lived: never */
	task_at(5, 1, -1);
	tv[5].since_move_ns = 0;	/* local but in cooldown: never */
	task_at(6, 1, -1);
	tv[6].cpu_permille = 0;		/* idle: never */
	for (i = 0; i < 7; i++)
		decide_and_offer(i);
	check_eq("offered and kept", pool.offered, 3);
	check_eq("node 0", pool.nr[0], 1);
	check_eq("node 1", pool.nr[1], 2);
	check_eq("node 0 seeker", pool.cand[0][0].target, 1);
	check_eq("node 1: the seeker ranks first", idx(pool.cand[1][0].owner), 2);
	check_eq("node 1: the local one second", idx(pool.cand[1][1].owner), 1);
	check_eq("local: no target", pool.cand[1][1].target, -1);
	/* a task with room moves: not offered */
	load[1].spare_mcpu = 2000;
	numamig_decide(&topo, &params, load, &tv[0], 8, &td[0]);
	check_eq("with room: move", td[0].verdict, NUMAMIG_V_MOVE);
	check_eq("a move is not offered",
		 numamig_swap_offer(&pool, &params, &tv[0], &td[0], &tv[0]), 0);
	/* NULLs and a node out of range */
	check_eq("NULL pool", numamig_swap_offer(NULL, &params, &tv[1], &td[1], NULL), 0);
	check_eq("NULL decision", numamig_swap_offer(&pool, &params, &tv[1], NULL, NULL), 0);
	numamig_swap_reset(&pool, 1);
	check_eq("node beyond the pool",
		 numamig_swap_offer(&pool, &params, &tv[1], &td[1], NULL), 0);
	/* the bound, and the rank order */
	base();
	numamig_swap_reset(&pool, 2);
	for (i = 0; i < 100; i++) {
		task_at(i, 1, 0);
		tv[i].cpu_permille = 200 + (i * 37) % 100;
		decide_and_offer(i);
	}
	check_eq("100 offered", pool.offered, 100);
	check_eq("K kept", pool.nr[1], K);
	for (i = 0; i < K; i++)
		check_eq("the K busiest, in order", pool.cand[1][i].task.cpu_permille,
			 299 - i);
}

/*
 * Three nodes, one pair that fits. a on 0 wants 1, but b on 1 wants 2
 * and would be slower on 0 (its memory on 2, at 16 from 1 and 21 from
 * 0); c on 2 wants 1, and b's move to 2 and c's to 1 are both gains:
 * the only swap is b with c. a stays where it is.
 */
static void test_three_nodes(void)
{
	unsigned int n, i;

	base();
	set_distances(3, 21);
	topo.distance[1][2] = 16;
	topo.distance[2][1] = 16;
	numamig_swap_reset(&pool, 3);
	task_at(0, 0, 1);	/* a */
	task_at(1, 1, 2);	/* b */
	task_at(2, 2, 1);	/* c */
	for (i = 0; i < 3; i++)
		decide_and_offer(i);
	check_eq("a seeks 1", td[0].target, 1);
	check_eq("b seeks 2", td[1].target, 2);
	check_eq("c seeks 1", td[2].target, 1);
	n = numamig_swap_match(&topo, &params, load, &pool, 8, pairs,
			       ARRAY_SIZE(pairs));
	check_eq("one pair", n, 1);
	if (n != 1)
		return;
	check_eq("b", idx(pairs[0].a), 1);
	check_eq("with c", idx(pairs[0].b), 2);
	check_eq("b's node", pairs[0].a_node, 1);
	check_eq("c's node", pairs[0].b_node, 2);
	check_eq("verdict", pairs[0].sw.verdict, NUMAMIG_V_SWAPPED);
	check_eq("a unpaired", pool.cand[0][0].used, 0);
	/* evaluated: a against b and c? only node 1's pool: 1; b: 1 */
	check_eq("evaluations", pool.evaluated, 2);
}

/*
 * Many candidates: 1000 seekers on node 0 and 1000 on node 1, all
 * wanting the other node. The pool keeps K of each; matching pairs K
 * with at most K x K evaluations, however many were offered.
 */
static void test_many(void)
{
	unsigned int n, i, moves;

	base();
	numamig_swap_reset(&pool, 2);
	for (i = 0; i < 2000; i++) {
		task_at(i, (int)(i & 1), (int)(!(i & 1)));
		tv[i].cpu_permille = 500 + (i * 7919) % 500;
		decide_and_offer(i);
	}
	check_eq("offered", pool.offered, 2000);
	check_eq("kept on 0", pool.nr[0], K);
	check_eq("kept on 1", pool.nr[1], K);
	moves = 100;
	n = numamig_swap_match(&topo, &params, load, &pool, moves, pairs,
			       ARRAY_SIZE(pairs));
	check_eq("K pairs", n, K);
	if (pool.evaluated > K * K)
		fail("evaluations %u > K x K = %u", pool.evaluated, K * K);
	for (i = 0; i < n; i++) {
		if (pairs[i].a_node != 0 || pairs[i].b_node != 1)
			fail("pair %u: nodes %d %d", i, pairs[i].a_node,
			     pairs[i].b_node);
		if (tv[idx(pairs[i].a)].cur_node != 0 ||
		    tv[idx(pairs[i].b)].cur_node != 1)
			fail("pair %u: owners on the wrong nodes", i);
	}
	/*
	 * the busiest seeker of node 0 gets the partner of largest net
	 * gain: the busiest of node 1 (more than its CPU use needs no room)
	 */
	if (n)
		check_eq("first pair: the two busiest",
			 tv[idx(pairs[0].a)].cpu_permille +
			 tv[idx(pairs[0].b)].cpu_permille,
			 pool.cand[0][0].task.cpu_permille +
			 pool.cand[1][0].task.cpu_permille);
	/* the rate limit: 5 moves make 2 swaps */
	for (i = 0; i < 2; i++) {
		unsigned int j;

		for (j = 0; j < pool.nr[i]; j++)
			pool.cand[i][j].used = 0;
	}
	for (i = 0; i < 2; i++)
		load[i].spare_mcpu = 0;
	n = numamig_swap_match(&topo, &params, load, &pool, 5, pairs,
			       ARRAY_SIZE(pairs));
	check_eq("5 moves: 2 swaps", n, 2);
	/* max_pairs bounds too, and NULLs give nothing */
	check_eq("NULL pairs", numamig_swap_match(&topo, &params, load, &pool, 8,
						  NULL, 1), 0);
	check_eq("NULL pool", numamig_swap_match(&topo, &params, load, NULL, 8,
						 pairs, 1), 0);
}

/*
 * Room is used up as pairs are taken: two seekers of 1000 on node 0
 * and two partners of 400 on node 1 (each a seeker too); node 1 has
 * room for 600 + 100 slack, so only one swap fits.
 */
static void test_room_used(void)
{
	unsigned int n, i;

	base();
	numamig_swap_reset(&pool, 2);
	for (i = 0; i < 4; i++) {
		task_at(i, (int)(i / 2), (int)!(i / 2));
		tv[i].cpu_permille = i < 2 ? 1000 : 400;
	}
	/* decided with no room, then room for one on node 1 */
	for (i = 0; i < 4; i++)
		decide_and_offer(i);
	load[1].spare_mcpu = 600;
	n = numamig_swap_match(&topo, &params, load, &pool, 8, pairs,
			       ARRAY_SIZE(pairs));
	check_eq("one swap fits", n, 1);
	check_eq("node 1's room taken", load[1].spare_mcpu, 0);
	check_eq("node 0's room given", load[0].spare_mcpu, 600);
}

/* An independent model of numamig_swap_decide(), in 128-bit arithmetic. */
#define u128 unsigned __int128

static unsigned long long sat(u128 v)
{
	return v > ~0ULL ? ~0ULL : (unsigned long long)v;
}

static unsigned int ref_dist(int a, int b)
{
	unsigned int d = topo.distance[a][b];

	if (a == b)
		return 10;
	return d < 10 ? 20 : d;
}

static unsigned int ref_cost(const unsigned int *mem, int node)
{
	u128 w = 0, total = 0;
	unsigned int j;

	for (j = 0; j < topo.nr_nodes; j++) {
		w += (u128)mem[j] * ref_dist(node, (int)j);
		total += mem[j];
	}
	if (!total)
		return 1024;
	return (unsigned int)((w * 1024 + total * 10 / 2) / (total * 10));
}

struct ref_sw {
	enum numamig_verdict v;
	int who;
	unsigned long long benefit[2], cost[2];
};

static enum numamig_verdict ref_safe(const struct numamig_task_view *t)
{
	unsigned long long total = 0;
	unsigned int j;

	for (j = 0; j < topo.nr_nodes; j++)
		total += t->mem[j];
	if (t->pinned)
		return NUMAMIG_V_PINNED;
	if (t->realtime && !params.allow_rt)
		return NUMAMIG_V_REALTIME;
	if (!t->cpu_permille)
		return NUMAMIG_V_IDLE;
	if (!total)
		return NUMAMIG_V_NO_INFO;
	if (t->age_ns < params.min_age_ns)
		return NUMAMIG_V_SHORT_LIVED;
	if (t->since_move_ns < params.cooldown_ns)
		return NUMAMIG_V_COOLDOWN;
	return NUMAMIG_NR_VERDICTS;
}

static void ref_decide(const struct numamig_task_view *a,
		       const struct numamig_task_view *b, unsigned int moves,
		       struct ref_sw *r)
{
	const struct numamig_task_view *t[2] = { a, b };
	unsigned int from[2], to[2];
	u128 bsum, csum;
	int i;

	memset(r, 0, sizeof(*r));
	r->who = -1;
	for (i = 0; i < 2; i++) {
		r->v = ref_safe(t[i]);
		if (r->v != NUMAMIG_NR_VERDICTS) {
			r->who = i;
			return;
		}
	}
	for (i = 0; i < 2; i++) {
		r->who = i;
		if (!(t[i]->allowed_nodes >> t[!i]->cur_node & 1)) {
			r->v = NUMAMIG_V_PINNED;
			return;
		}
		from[i] = ref_cost(t[i]->mem, t[i]->cur_node);
		to[i] = ref_cost(t[i]->mem, t[!i]->cur_node);
		if (to[i] > from[i]) {
			r->v = NUMAMIG_V_LOCAL;
			return;
		}
	}
	for (i = 0; i < 2; i++) {
		long long need = (long long)t[i]->cpu_permille - t[!i]->cpu_permille;

		r->who = i;
		if (need > 0 && (long long)load[t[!i]->cur_node].spare_mcpu +
		    params.room_slack_mcpu < need) {
			r->v = NUMAMIG_V_NO_CAPACITY;
			return;
		}
	}
	r->who = -1;
	for (i = 0; i < 2; i++) {
		u128 lim = t[i]->age_ns < params.horizon_ns ? t[i]->age_ns :
			   params.horizon_ns;
		u128 rss = t[i]->rss_mb < params.refill_cap_mb ? t[i]->rss_mb :
			   params.refill_cap_mb;

		r->cost[i] = sat(params.migrate_cost_ns +
				 rss * params.refill_ns_per_mb);
		r->benefit[i] = sat(lim * t[i]->cpu_permille / 1000 *
				    (from[i] - to[i]) / from[i]);
	}
	bsum = (u128)r->benefit[0] + r->benefit[1];
	csum = (u128)r->cost[0] + r->cost[1];
	if (!(sat(bsum) > sat(sat(csum) * (u128)params.margin_permille / 1000)))
		r->v = NUMAMIG_V_BELOW_THRESHOLD;
	else if (moves < 2)
		r->v = NUMAMIG_V_RATE_LIMITED;
	else
		r->v = NUMAMIG_V_SWAPPED;
}

static unsigned long long rnd_state = 42;

static unsigned int rnd(unsigned int n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned int)((rnd_state >> 33) % n) : 0;
}

static void random_task(unsigned int i, int node)
{
	unsigned int j;

	memset(tmem[i], 0, sizeof(tmem[i]));
	if (rnd(20))
		for (j = 0; j < topo.nr_nodes; j++)
			tmem[i][j] = rnd(3) ? rnd(1000) : 0;
	view(&tv[i], tmem[i], node);
	tv[i].cpu_permille = rnd(10) ? 1 + rnd(1000) : 0;
	/* microseconds as often as milliseconds: near the threshold */
	tv[i].age_ns = (unsigned long long)rnd(3000) * (rnd(2) ? MS : 1000);
	tv[i].since_move_ns = rnd(4) ? ~0ULL : (unsigned long long)rnd(3000) * MS;
	tv[i].rss_mb = rnd(200);
	tv[i].pinned = !rnd(15);
	tv[i].realtime = !rnd(15);
	if (!rnd(15))
		tv[i].allowed_nodes &= ~(1ULL << rnd(topo.nr_nodes));
}

static void random_world(void)
{
	unsigned int i, j, n = 2 + rnd(3);

	base();
	set_distances(n, 21);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j)
				topo.distance[i][j] =
					(unsigned char)(rnd(8) ? 12 + rnd(30) : rnd(10));
	for (i = 0; i < n; i++)
		load[i].spare_mcpu = rnd(3) ? 0 : rnd(1500);
	params.allow_rt = !rnd(4);
	params.margin_permille = 500 + rnd(3000);
	params.horizon_ns = (unsigned long long)(1 + rnd(2000)) * MS;
	params.min_age_ns = rnd(2) ? 10 * MS : 0;
}

#define NR_RANDOM 100000

static void report_pair(unsigned int iter, const struct ref_sw *r)
{
	fail("input %u: %s %d %llu %llu %llu %llu, model %s %d %llu %llu %llu %llu",
	     iter, numamig_verdict_name(sw.verdict), sw.who, sw.benefit_ns[0],
	     sw.benefit_ns[1], sw.cost_ns[0], sw.cost_ns[1],
	     numamig_verdict_name(r->v), r->who, r->benefit[0], r->benefit[1],
	     r->cost[0], r->cost[1]);
}

static void test_random_pairs(void)
{
	unsigned int iter, seen[NUMAMIG_NR_VERDICTS] = { 0 }, v, bad = 0;
	struct ref_sw r;
	int a, b;

	for (iter = 0; iter < NR_RANDOM; iter++) {
		random_world();
		a = (int)rnd(topo.nr_nodes);
		b = (int)((a + 1 + rnd(topo.nr_nodes - 1)) % topo.nr_nodes);
		random_task(0, a);
		random_task(1, b);
		v = rnd(4);
		numamig_swap_decide(&topo, &params, load, &tv[0], &tv[1], v, &sw);
		ref_decide(&tv[0], &tv[1], v, &r);
		seen[sw.verdict < NUMAMIG_NR_VERDICTS ? sw.verdict : 0]++;
		if (sw.verdict != r.v || sw.who != r.who ||
		    sw.benefit_ns[0] != r.benefit[0] || sw.benefit_ns[1] != r.benefit[1] ||
		    sw.cost_ns[0] != r.cost[0] || sw.cost_ns[1] != r.cost[1]) {
			if (!bad++)
				report_pair(iter, &r);
		}
	}
	printf("# random pairs:");
	for (v = 0; v < NUMAMIG_NR_VERDICTS; v++)
		if (seen[v])
			printf(" %s %u", numamig_verdict_name((enum numamig_verdict)v),
			       seen[v]);
	printf("\n");
	for (v = 0; v < NUMAMIG_NR_VERDICTS; v++)
		if (v != NUMAMIG_V_MOVE && v != NUMAMIG_V_HELD &&
		    v != NUMAMIG_V_EXCLUDED && v != NUMAMIG_V_INVALID && !seen[v])
			fail("never %s", numamig_verdict_name((enum numamig_verdict)v));
}

/*
 * No seeker is left unpaired while an unused entry of its target's pool
 * would swap with it. Return: 1 if one is (reported unless @bad).
 */
static unsigned int check_maximal(unsigned int iter, unsigned int bad)
{
	struct numamig_swap_cand *c, *p;
	unsigned int i, j, k;
	struct ref_sw r;

	for (i = 0; i < topo.nr_nodes; i++) {
		for (j = 0; j < pool.nr[i]; j++) {
			c = &pool.cand[i][j];
			if (c->used || c->target < 0)
				continue;
			for (k = 0; k < pool.nr[c->target]; k++) {
				p = &pool.cand[c->target][k];
				if (p->used)
					continue;
				ref_decide(&c->task, &p->task, 2, &r);
				if (r.v != NUMAMIG_V_SWAPPED)
					continue;
				if (!bad)
					fail("pool %u: seeker %d left with partner %d",
					     iter, idx(c->owner), idx(p->owner));
				return 1;
			}
		}
	}
	return 0;
}

/*
 * Random pools: every pair taken is one the model swaps (with the room
 * before it, all tasks using the same CPU so room never changes), no task
 * is in two pairs, each seeker pairs on its own target node, no more
 * than moves_left / 2 pairs, and no seeker is left unpaired while an
 * unused entry of its target's pool would swap with it (maximal).
 */
static void test_random_pools(void)
{
	unsigned int iter, i, n, nt, moves, bad = 0, total = 0;
	struct ref_sw r;
	int used[MAXT];

	for (iter = 0; iter < 2000; iter++) {
		random_world();
		numamig_swap_reset(&pool, topo.nr_nodes);
		nt = 2 + rnd(40);
		for (i = 0; i < nt; i++) {
			random_task(i, (int)rnd(topo.nr_nodes));
			tv[i].cpu_permille = tv[i].cpu_permille ? 700 : 0;
			decide_and_offer(i);
		}
		moves = rnd(12);
		n = numamig_swap_match(&topo, &params, load, &pool, moves, pairs,
				       ARRAY_SIZE(pairs));
		total += n;
		memset(used, 0, sizeof(used));
		if (n > moves / 2 && !bad++)
			fail("pool %u: %u pairs with %u moves", iter, n, moves);
		if (pool.evaluated > topo.nr_nodes * K * K && !bad++)
			fail("pool %u: %u evaluations", iter, pool.evaluated);
		for (i = 0; i < n; i++) {
			int x = idx(pairs[i].a), y = idx(pairs[i].b);

			if ((used[x]++ || used[y]++) && !bad++)
				fail("pool %u: task in two pairs", iter);
			if ((td[x].verdict != NUMAMIG_V_NO_CAPACITY ||
			     td[x].target != tv[y].cur_node) && !bad++)
				fail("pool %u: seeker %d not on its target", iter, x);
			ref_decide(&tv[x], &tv[y], 2, &r);
			if (r.v != NUMAMIG_V_SWAPPED && !bad++)
				fail("pool %u: pair %d-%d: model says %s", iter, x, y,
				     numamig_verdict_name(r.v));
		}
		if (n < moves / 2 && n < ARRAY_SIZE(pairs))
			bad += check_maximal(iter, bad);
	}
	printf("# random pools: %u pairs over 2000 pools\n", total);
	if (!total)
		fail("no pair in any random pool");
}

static const struct unit_test tests[] = {
	{ test_clear_win,
	  "clear win: both gain 523720930 ns, cost 114000 ns each: swapped (alone: no_capacity)" },
	{ test_one_sided,
	  "one-sided gain that pays for one move, not for two: below_threshold" },
	{ test_pinned_partner,
	  "a pinned partner (or one not allowed on the node) is never taken" },
	{ test_safety,
	  "every rule on either task (realtime, idle, no_info, short_lived, cooldown)" },
	{ test_room_and_rate,
	  "room for the difference of CPU use; a swap is two moves" },
	{ test_invalid,
	  "bad input: invalid, no figures" },
	{ test_huge,
	  "huge values saturate" },
	{ test_partner_release,
	  "a partner's hold ends with the same reason for expired/mode/unload, else 'partner'" },
	{ test_offer,
	  "offer: seekers and possible partners only, K per node by rank" },
	{ test_three_nodes,
	  "three nodes where only one pair fits" },
	{ test_many,
	  "many candidates: 2000 offered, K kept per node, at most K x K evaluations" },
	{ test_room_used,
	  "matching uses up room as it takes pairs" },
	{ test_random_pairs,
	  "random pairs: the same verdict, side and figures as the 128-bit model" },
	{ test_random_pools,
	  "random pools: valid, disjoint, on the seeker's target, within moves, maximal" },
};

int main(void)
{
	unit_run(tests, ARRAY_SIZE(tests), 0);
	return unit_done();
}
