// SPDX-License-Identifier: GPL-2.0
/*
 * test_decide - host unit tests of numamig_decide() and
 * numamig_verdict_name() (module/numamig_policy.c), in TAP: every
 * verdict and the order of the rules, the edge of every threshold, the
 * choice of target, 1 to 64 nodes, bad input, huge values (saturation,
 * never wraparound), and properties checked over many random but seeded
 * inputs against an independent model of the documented rules in exact
 * 128-bit arithmetic.
 *
 * Exits 1 if any test failed.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "numamig/policy.h"
#include "unit.h"

#define ULL_MAX ULLONG_MAX
#define MS 1000000ULL
#define SEC 1000000000ULL

/*
 * One call of numamig_decide(), its input and its answer. The default
 * (base()) is the hand-computed case: 2 nodes at distance 21, all
 * memory on node 1, the task on node 0 using a whole CPU for 1 s, the
 * horizon: cost(0) = 2.1 = 2150 / 1024, cost(1) = 1.0 = 1024 / 1024,
 *
 *	benefit = 1 s * 1126 / 2150 = 523720930 ns (rounded down)
 *	cost    = 50 us + 1 us/MiB * min(100, 64) MiB = 114000 ns
 *
 * and 523720930 * 1000 > 114000 * 2000: a move to node 1.
 */
struct scen {
	struct numamig_topology topo;
	struct numamig_params params;
	struct numamig_node_load load[NUMAMIG_MAX_NODES];
	unsigned int mem[NUMAMIG_MAX_NODES];
	struct numamig_task_view task;
	unsigned int moves_left;
	struct numamig_decision d;
};

#define BASE_BENEFIT	523720930ULL
#define BASE_COST	114000ULL

static struct scen s;

static void set_distances(unsigned int n, unsigned char remote)
{
	unsigned int i, j;

	memset(&s.topo, 0, sizeof(s.topo));
	s.topo.nr_nodes = n;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			s.topo.distance[i][j] = i == j ? 10 : remote;
}

/* 16 between 0-1 and 2-3, 21 otherwise: what vmtest --nodes 4 emulates */
static void set_four(void)
{
	unsigned int i, j;

	set_distances(4, 21);
	for (i = 0; i < 4; i++)
		for (j = 0; j < 4; j++)
			if (i != j && i / 2 == j / 2)
				s.topo.distance[i][j] = 16;
}

/* 64 nodes as 8 sockets of 8: 12 within a socket, 32 across */
static void set_sockets64(void)
{
	unsigned int i, j;

	set_distances(64, 32);
	for (i = 0; i < 64; i++)
		for (j = 0; j < 64; j++)
			if (i != j && i / 8 == j / 8)
				s.topo.distance[i][j] = 12;
}

static void base(void)
{
	unsigned int i;

	memset(&s, 0, sizeof(s));
	set_distances(2, 21);
	s.params.migrate_cost_ns = 50000;
	s.params.refill_ns_per_mb = 1000;
	s.params.refill_cap_mb = 64;
	s.params.margin_permille = 2000;
	s.params.min_gain_permille = 100;
	s.params.min_age_ns = 10 * MS;
	s.params.horizon_ns = SEC;
	s.params.cooldown_ns = 100 * MS;
	s.params.allow_rt = 0;
	for (i = 0; i < NUMAMIG_MAX_NODES; i++) {
		s.load[i].spare_mcpu = 4000;
		s.load[i].busy_permille = 200;
	}
	s.mem[1] = 1000;
	s.task.mem = s.mem;
	s.task.cur_node = 0;
	s.task.allowed_nodes = ~0ULL;
	s.task.age_ns = SEC;
	s.task.since_move_ns = ~0ULL;
	s.task.cpu_permille = 1000;
	s.task.rss_mb = 100;
	s.task.pinned = 0;
	s.task.realtime = 0;
	s.moves_left = 8;
}

/* Decide on s; a poisoned answer first, so that every field must be set. */
static void run(void)
{
	memset(&s.d, 0x5a, sizeof(s.d));
	numamig_decide(&s.topo, &s.params, s.load, &s.task, s.moves_left,
		       &s.d);
}

static void check_verdict(const char *what, enum numamig_verdict want,
			  int want_target)
{
	if (s.d.verdict != want)
		fail("%s: verdict: got %s want %s", what,
		     numamig_verdict_name(s.d.verdict),
		     numamig_verdict_name(want));
	else if (s.d.target != want_target)
		fail("%s: %s: target: got %d want %d", what,
		     numamig_verdict_name(want), s.d.target, want_target);
}

/* A verdict without a target: target -1, benefit and cost 0. */
static void check_none(const char *what, enum numamig_verdict want)
{
	check_verdict(what, want, -1);
	check_u64(what, s.d.benefit_ns, 0);
	check_u64(what, s.d.cost_ns, 0);
}

/* A move, or a verdict one rule short of it, with its figures. */
static void check_figures(const char *what, enum numamig_verdict want,
			  int target, unsigned long long benefit,
			  unsigned long long cost)
{
	check_verdict(what, want, target);
	if (s.d.benefit_ns != benefit)
		fail("%s: benefit_ns: got %llu want %llu", what,
		     s.d.benefit_ns, benefit);
	if (s.d.cost_ns != cost)
		fail("%s: cost_ns: got %llu want %llu", what, s.d.cost_ns,
		     cost);
}

static void expect_base_move(const char *what)
{
	run();
	check_figures(what, NUMAMIG_V_MOVE, 1, BASE_BENEFIT, BASE_COST);
}

static void test_hand_computed(void)
{
	base();
	expect_base_move("2 nodes 10/21, all remote");
	check_eq("est.cost[0] (2.1)", s.d.est.cost[0], 2150);
	check_eq("est.cost[1] (1.0)", s.d.est.cost[1], 1024);
	check_eq("est.best_node", s.d.est.best_node, 1);
	check_eq("est.remote_share", s.d.est.remote_share, NUMAMIG_FP_ONE);
	check_eq("est.slowdown (1.1)", s.d.est.slowdown, 1126);

	/* older than the horizon: counted over the horizon only */
	s.task.age_ns = 5 * SEC;
	expect_base_move("age 5 s, horizon 1 s");
	s.task.age_ns = ULL_MAX;
	expect_base_move("age ULLONG_MAX, horizon 1 s");

	/* half a CPU: half the run time left to gain on */
	base();
	s.task.cpu_permille = 500;
	run();
	check_figures("cpu 500 permille", NUMAMIG_V_MOVE, 1, 261860465,
		      BASE_COST);

	/* refill below the cap, at it, and with no memory at all */
	base();
	s.task.rss_mb = 10;
	run();
	check_figures("rss 10 MiB", NUMAMIG_V_MOVE, 1, BASE_BENEFIT, 60000);
	s.task.rss_mb = 64;
	run();
	check_figures("rss 64 MiB, the cap", NUMAMIG_V_MOVE, 1, BASE_BENEFIT,
		      BASE_COST);
	s.task.rss_mb = 0;
	run();
	check_figures("rss 0", NUMAMIG_V_MOVE, 1, BASE_BENEFIT, 50000);

	/* the same from node 1 to node 0 */
	base();
	s.mem[0] = 1000;
	s.mem[1] = 0;
	s.task.cur_node = 1;
	run();
	check_figures("from node 1", NUMAMIG_V_MOVE, 0, BASE_BENEFIT,
		      BASE_COST);
}

static void test_pinned(void)
{
	base();
	s.task.pinned = 1;
	run();
	check_none("pinned, would move", NUMAMIG_V_PINNED);

	/* beats every other rule */
	s.task.realtime = 1;
	s.task.cpu_permille = 0;
	memset(s.mem, 0, sizeof(s.mem));
	s.task.allowed_nodes = 0;
	s.task.since_move_ns = 0;
	s.task.age_ns = 0;
	s.load[1].spare_mcpu = 0;
	s.moves_left = 0;
	run();
	check_none("pinned, realtime, idle, no info, just moved",
		   NUMAMIG_V_PINNED);
	s.params.allow_rt = 1;
	run();
	check_none("pinned with allow_rt", NUMAMIG_V_PINNED);
	s.task.pinned = 2;
	run();
	check_none("pinned = 2", NUMAMIG_V_PINNED);
}

static void test_realtime(void)
{
	base();
	s.task.realtime = 1;
	run();
	check_none("realtime, allow_rt 0", NUMAMIG_V_REALTIME);
	s.task.cpu_permille = 0;
	memset(s.mem, 0, sizeof(s.mem));
	s.task.since_move_ns = 0;
	run();
	check_none("realtime beats idle, no_info, cooldown",
		   NUMAMIG_V_REALTIME);

	base();
	s.task.realtime = 1;
	s.params.allow_rt = 1;
	expect_base_move("realtime, allow_rt 1");
	s.params.allow_rt = -1;
	expect_base_move("realtime, allow_rt -1");
	s.task.realtime = 0;
	expect_base_move("not realtime, allow_rt -1");
}

static void test_idle(void)
{
	base();
	s.task.cpu_permille = 0;
	run();
	check_none("cpu 0", NUMAMIG_V_IDLE);
	memset(s.mem, 0, sizeof(s.mem));
	run();
	check_none("cpu 0 beats no memory info", NUMAMIG_V_IDLE);
	base();
	s.task.cpu_permille = 0;
	s.mem[0] = 1000;
	s.mem[1] = 0;
	run();
	check_none("cpu 0 beats all local", NUMAMIG_V_IDLE);

	/* 1 permille is not idle: 1 ms of 1 s, 1126 / 2150 of it */
	base();
	s.task.cpu_permille = 1;
	run();
	check_figures("cpu 1", NUMAMIG_V_MOVE, 1, 523720, BASE_COST);
}

static void test_no_info(void)
{
	unsigned int i;

	base();
	memset(s.mem, 0, sizeof(s.mem));
	run();
	check_none("all-zero mem", NUMAMIG_V_NO_INFO);
	s.task.mem = NULL;
	run();
	check_none("mem NULL", NUMAMIG_V_NO_INFO);

	/* memory counted beyond nr_nodes does not count */
	s.task.mem = s.mem;
	for (i = 2; i < NUMAMIG_MAX_NODES; i++)
		s.mem[i] = UINT_MAX;
	run();
	check_none("mem only beyond nr_nodes", NUMAMIG_V_NO_INFO);

	/* beats local, cooldown, no_capacity, rate_limited */
	s.task.allowed_nodes = 0;
	s.task.since_move_ns = 0;
	s.load[1].spare_mcpu = 0;
	s.moves_left = 0;
	run();
	check_none("no info beats the later rules", NUMAMIG_V_NO_INFO);

	/* one page is information */
	base();
	s.mem[1] = 1;
	expect_base_move("one page on node 1");
}

static void test_local(void)
{
	base();
	s.mem[0] = 1000;
	s.mem[1] = 0;
	run();
	check_none("all memory local", NUMAMIG_V_LOCAL);
	check_eq("est.best_node", s.d.est.best_node, 0);

	/* equal costs: no move for nothing, either way */
	s.mem[0] = 4096;
	s.mem[1] = 4096;
	run();
	check_none("half and half from 0", NUMAMIG_V_LOCAL);
	s.task.cur_node = 1;
	run();
	check_none("half and half from 1", NUMAMIG_V_LOCAL);
	s.params.min_gain_permille = 0;
	run();
	check_none("half and half, no hysteresis", NUMAMIG_V_LOCAL);

	/* a single node: nowhere to go */
	base();
	set_distances(1, 0);
	s.mem[0] = 1000;
	run();
	check_none("1 node", NUMAMIG_V_LOCAL);

	/* the better node not allowed */
	base();
	s.task.allowed_nodes = 1;
	run();
	check_none("allowed_nodes only the current one", NUMAMIG_V_LOCAL);
	s.task.allowed_nodes = 0;
	run();
	check_none("allowed_nodes 0", NUMAMIG_V_LOCAL);
	s.task.allowed_nodes = ~0ULL << 2;
	run();
	check_none("allowed_nodes only beyond nr_nodes", NUMAMIG_V_LOCAL);

	/* beats cooldown, no_capacity, short_lived, threshold, rate */
	base();
	s.mem[0] = 1000;
	s.mem[1] = 0;
	s.task.since_move_ns = 0;
	s.load[1].spare_mcpu = 0;
	s.task.age_ns = 0;
	s.params.migrate_cost_ns = ULL_MAX;
	s.moves_left = 0;
	run();
	check_none("local beats the later rules", NUMAMIG_V_LOCAL);
}

static void test_hysteresis(void)
{
	/* distance 20: cost 2048 to 1024, a gain of exactly 500 permille */
	base();
	set_distances(2, 20);
	s.params.min_gain_permille = 500;
	run();
	check_figures("gain 1024 of 2048, min_gain 500 (the edge)",
		      NUMAMIG_V_MOVE, 1, SEC / 2, BASE_COST);
	s.params.min_gain_permille = 501;
	run();
	check_none("gain 1024 of 2048, min_gain 501", NUMAMIG_V_LOCAL);
	s.params.min_gain_permille = 0;
	run();
	check_verdict("min_gain 0", NUMAMIG_V_MOVE, 1);

	/*
	 * The threshold between two units: gain 1126 of 2150 is 523.7
	 * permille; 524 permille of 2150 is 1126.6, more than 1126.
	 */
	base();
	s.params.min_gain_permille = 523;
	expect_base_move("gain 1126 of 2150, min_gain 523");
	s.params.min_gain_permille = 524;
	run();
	check_none("gain 1126 of 2150, min_gain 524 (1126.6)",
		   NUMAMIG_V_LOCAL);
	s.params.min_gain_permille = UINT_MAX;
	run();
	check_none("min_gain UINT_MAX", NUMAMIG_V_LOCAL);

	/*
	 * A gain of one fixed-point unit: distance 12, 200 pages on node 0
	 * and 199 on node 1, task on 1: cost 1126 on 0, 1127 on 1. Without
	 * hysteresis that is enough; with 1 permille (1.127 units) it is not.
	 */
	base();
	s.topo.distance[0][1] = 12;
	s.topo.distance[1][0] = 12;
	s.mem[0] = 200;
	s.mem[1] = 199;
	s.task.cur_node = 1;
	s.params.min_gain_permille = 0;
	run();
	check_eq("est.cost[0]", s.d.est.cost[0], 1126);
	check_eq("est.cost[1]", s.d.est.cost[1], 1127);
	check_figures("gain of 1 unit, min_gain 0", NUMAMIG_V_MOVE, 0,
		      SEC / 1127, BASE_COST);
	s.params.min_gain_permille = 1;
	run();
	check_none("gain of 1 unit, min_gain 1 (1.127 units)",
		   NUMAMIG_V_LOCAL);

	/*
	 * Per node: 4 nodes, memory on 3, task on 0: node 2 gains 512 of
	 * 2150 (238 permille), node 3 gains 1126 (523 permille).
	 */
	base();
	set_four();
	s.mem[1] = 0;
	s.mem[3] = 1000;
	s.params.min_gain_permille = 300;
	run();
	check_verdict("min_gain 300: node 3", NUMAMIG_V_MOVE, 3);
	s.task.allowed_nodes = 0x7;
	run();
	check_none("min_gain 300, node 3 not allowed: 2 is not enough",
		   NUMAMIG_V_LOCAL);
	s.params.min_gain_permille = 238;
	run();
	check_verdict("min_gain 238, node 3 not allowed: node 2",
		      NUMAMIG_V_MOVE, 2);
	s.params.min_gain_permille = 239;
	run();
	check_none("min_gain 239, node 3 not allowed", NUMAMIG_V_LOCAL);
}

static void test_cooldown(void)
{
	base();
	s.task.since_move_ns = s.params.cooldown_ns - 1;
	run();
	check_none("since_move one ns short of cooldown", NUMAMIG_V_COOLDOWN);
	s.task.since_move_ns = 0;
	run();
	check_none("since_move 0", NUMAMIG_V_COOLDOWN);
	s.task.since_move_ns = s.params.cooldown_ns;
	expect_base_move("since_move == cooldown");
	s.task.since_move_ns = ~0ULL;
	s.params.cooldown_ns = ULL_MAX;
	expect_base_move("never moved, cooldown ULLONG_MAX");
	s.task.since_move_ns = 0;
	s.params.cooldown_ns = 0;
	expect_base_move("cooldown 0, just moved");

	/*
	 * Beats no_capacity, short_lived by the lifetime heuristic,
	 * below_threshold, rate_limited (but not short_lived by min_age:
	 * see test_short_lived_age())
	 */
	base();
	s.task.since_move_ns = 0;
	s.load[1].spare_mcpu = 0;
	run();
	check_none("cooldown beats no_capacity", NUMAMIG_V_COOLDOWN);
	base();
	s.task.since_move_ns = 0;
	s.params.min_age_ns = 0;
	s.task.age_ns = 1;
	s.moves_left = 0;
	run();
	check_none("cooldown beats lifetime short_lived, rate",
		   NUMAMIG_V_COOLDOWN);
	s.params.migrate_cost_ns = ULL_MAX;
	run();
	check_none("cooldown beats below_threshold", NUMAMIG_V_COOLDOWN);
}

static void test_no_capacity(void)
{
	base();
	s.load[1].spare_mcpu = 999;
	run();
	check_verdict("spare 999, cpu 1000", NUMAMIG_V_NO_CAPACITY, 1);
	s.load[1].spare_mcpu = 0;
	run();
	check_verdict("spare 0", NUMAMIG_V_NO_CAPACITY, 1);
	s.load[1].spare_mcpu = 1000;
	expect_base_move("spare 1000, cpu 1000 (the edge)");
	/* the current node's own room does not matter */
	s.load[0].spare_mcpu = 0;
	expect_base_move("no room on the current node");

	/* room_slack_mcpu counts as spare room */
	base();
	s.params.room_slack_mcpu = 100;
	s.load[1].spare_mcpu = 900;
	expect_base_move("spare 900 + slack 100, cpu 1000");
	s.load[1].spare_mcpu = 899;
	run();
	check_verdict("spare 899 + slack 100, cpu 1000",
		      NUMAMIG_V_NO_CAPACITY, 1);
	s.load[1].spare_mcpu = 0;
	s.params.room_slack_mcpu = 1000;
	expect_base_move("spare 0 + slack 1000, cpu 1000");
	s.task.cpu_permille = UINT_MAX;
	s.load[1].spare_mcpu = UINT_MAX;
	s.params.room_slack_mcpu = UINT_MAX;
	run();
	check_verdict("spare + slack UINT_MAX each, cpu UINT_MAX: no wrap",
		      NUMAMIG_V_MOVE, 1);
	s.load[1].spare_mcpu = 1;
	s.params.room_slack_mcpu = UINT_MAX - 2;
	run();
	check_verdict("spare 1 + slack UINT_MAX - 2, cpu UINT_MAX",
		      NUMAMIG_V_NO_CAPACITY, 1);

	/* beats lifetime short_lived, below_threshold, rate_limited */
	base();
	s.load[1].spare_mcpu = 0;
	s.params.min_age_ns = 0;
	s.task.age_ns = 1;
	s.moves_left = 0;
	run();
	check_verdict("no_capacity beats lifetime short_lived, rate",
		      NUMAMIG_V_NO_CAPACITY, 1);
	s.params.migrate_cost_ns = ULL_MAX;
	run();
	check_verdict("no_capacity beats below_threshold",
		      NUMAMIG_V_NO_CAPACITY, 1);

	/* a better node with room beats the best node without */
	base();
	set_four();
	s.mem[1] = 0;
	s.mem[3] = 1000;
	s.load[3].spare_mcpu = 0;
	run();
	check_verdict("node 3 full: node 2", NUMAMIG_V_MOVE, 2);
	s.load[2].spare_mcpu = 999;
	run();
	check_verdict("nodes 2 and 3 full: best of them", NUMAMIG_V_NO_CAPACITY,
		      3);
	/* node 1 has room but costs what node 0 does: not a candidate */
	check_eq("spare on node 1 (premise)", s.load[1].spare_mcpu, 4000);
	/* an excluded full node is not the target either */
	s.task.allowed_nodes = 0x7;
	run();
	check_verdict("node 3 not allowed, node 2 full", NUMAMIG_V_NO_CAPACITY,
		      2);

	/* the target without room is chosen by the same order */
	base();
	set_four();
	s.mem[1] = 0;
	s.mem[2] = 500;
	s.mem[3] = 500;
	s.load[2].spare_mcpu = 0;
	s.load[3].spare_mcpu = 0;
	s.load[2].busy_permille = 900;
	s.load[3].busy_permille = 100;
	run();
	check_verdict("2 and 3 tie, full: the less busy", NUMAMIG_V_NO_CAPACITY,
		      3);
	s.load[3].busy_permille = 900;
	run();
	check_verdict("2 and 3 tie, full, as busy: lowest id",
		      NUMAMIG_V_NO_CAPACITY, 2);
}

static void test_target_order(void)
{
	unsigned int i;

	/*
	 * Cost first: from node 0, node 1 is at 30 and costs 1.43, node 2
	 * at 15 costs 1.57: node 1, though farther and busier.
	 */
	base();
	set_distances(3, 20);
	s.topo.distance[0][1] = 30;
	s.topo.distance[1][0] = 30;
	s.topo.distance[0][2] = 15;
	s.topo.distance[2][0] = 15;
	s.mem[1] = 800;
	s.mem[2] = 600;
	s.load[1].busy_permille = 900;
	s.load[2].busy_permille = 0;
	s.params.min_gain_permille = 0;
	run();
	check_eq("cost[1] < cost[2] (premise)",
		 s.d.est.cost[1] < s.d.est.cost[2], 1);
	check_verdict("lowest cost over nearer and less busy", NUMAMIG_V_MOVE,
		      1);

	/* distance next: 1 and 2 cost 1.5, 2 is nearer (15 vs 30) */
	s.mem[1] = 700;
	s.mem[2] = 700;
	s.load[1].busy_permille = 0;
	s.load[2].busy_permille = 900;
	run();
	check_eq("cost[1] == cost[2] (premise)", s.d.est.cost[1],
		 s.d.est.cost[2]);
	check_verdict("equal cost: nearer over less busy and lower id",
		      NUMAMIG_V_MOVE, 2);

	/* busy next: 4 nodes, 2 and 3 tie on cost (1.3) and distance (21) */
	base();
	set_four();
	s.mem[1] = 0;
	s.mem[2] = 500;
	s.mem[3] = 500;
	s.load[2].busy_permille = 500;
	s.load[3].busy_permille = 100;
	run();
	check_verdict("equal cost and distance: less busy", NUMAMIG_V_MOVE, 3);
	s.load[2].busy_permille = 100;
	s.load[3].busy_permille = 500;
	run();
	check_verdict("equal cost and distance: less busy (2)", NUMAMIG_V_MOVE,
		      2);
	/* more spare room is not a criterion, only enough of it */
	s.load[2].busy_permille = 100;
	s.load[3].busy_permille = 100;
	s.load[2].spare_mcpu = 1000;
	s.load[3].spare_mcpu = UINT_MAX;
	run();
	check_verdict("all equal: lowest id, spare aside", NUMAMIG_V_MOVE, 2);
	/* from node 1, the same */
	s.task.cur_node = 1;
	run();
	check_verdict("all equal from node 1: lowest id", NUMAMIG_V_MOVE, 2);

	/* high ids: 8 sockets of 8 nodes, 56..63 tie */
	base();
	set_sockets64();
	for (i = 56; i < 64; i++) {
		s.mem[i] = 1000;
		s.load[i].busy_permille = 300;
	}
	s.mem[1] = 0;
	run();
	check_verdict("56..63 tie: lowest id", NUMAMIG_V_MOVE, 56);
	s.load[63].busy_permille = 299;
	run();
	check_verdict("56..63 tie, 63 least busy", NUMAMIG_V_MOVE, 63);
	s.topo.distance[0][60] = 31;
	run();
	check_verdict("56..63 tie, 60 nearest", NUMAMIG_V_MOVE, 60);
}

static void test_allowed_nodes(void)
{
	base();
	set_four();
	s.mem[1] = 0;
	s.mem[3] = 1000;
	s.task.allowed_nodes = 0xf;
	run();
	check_verdict("allowed 0-3", NUMAMIG_V_MOVE, 3);
	s.task.allowed_nodes = 0x7;
	run();
	check_verdict("allowed 0-2: next best", NUMAMIG_V_MOVE, 2);
	s.task.allowed_nodes = 0x3;
	run();
	check_none("allowed 0-1: none better", NUMAMIG_V_LOCAL);
	s.task.allowed_nodes = 0x8;
	run();
	check_verdict("allowed 3 only, not the current node",
		      NUMAMIG_V_MOVE, 3);
	s.task.allowed_nodes = 0x4;
	run();
	check_verdict("allowed 2 only", NUMAMIG_V_MOVE, 2);
}

/*
 * Rule 4: younger than min_age_ns, checked before cooldown and before a
 * target is chosen: no target, no figures.
 */
static void test_short_lived_age(void)
{
	base();
	s.task.age_ns = s.params.min_age_ns - 1;
	run();
	check_none("one ns younger than min_age", NUMAMIG_V_SHORT_LIVED);
	s.task.age_ns = s.params.min_age_ns;
	run();
	/* 10 ms * 1126 / 2150 */
	check_figures("age == min_age", NUMAMIG_V_MOVE, 1, 5237209, BASE_COST);
	s.task.age_ns = 0;
	run();
	check_none("age 0", NUMAMIG_V_SHORT_LIVED);

	/* beats cooldown, no_capacity, below_threshold, rate_limited */
	s.task.since_move_ns = 0;
	run();
	check_none("young beats cooldown", NUMAMIG_V_SHORT_LIVED);
	s.task.since_move_ns = ~0ULL;
	s.load[1].spare_mcpu = 0;
	run();
	check_none("young beats no_capacity", NUMAMIG_V_SHORT_LIVED);
	s.load[1].spare_mcpu = 4000;
	s.params.horizon_ns = 0;
	s.moves_left = 0;
	run();
	check_none("young, would never pay, no moves left",
		   NUMAMIG_V_SHORT_LIVED);

	/* but not local */
	s.mem[0] = 1000;
	s.mem[1] = 0;
	run();
	check_none("young and local", NUMAMIG_V_LOCAL);

	/* min_age at its maximum */
	base();
	s.params.min_age_ns = ULL_MAX;
	s.task.age_ns = ULL_MAX - 1;
	run();
	check_none("min_age ULLONG_MAX, age one less", NUMAMIG_V_SHORT_LIVED);
	s.task.age_ns = ULL_MAX;
	expect_base_move("min_age and age ULLONG_MAX");
}

/*
 * The lifetime heuristic: no min_age, margin 1000, a move costing
 * 1126000 ns. At an age of 2150000 ns the benefit is 1126000, the cost:
 * not a move. Over the 1 s horizon it would pay, so the task is
 * short-lived, not the move bad. Two ns older, the benefit is 1126001.
 */
static void test_short_lived_lifetime(void)
{
	base();
	s.params.min_age_ns = 0;
	s.params.margin_permille = 1000;
	s.params.refill_ns_per_mb = 0;
	s.params.migrate_cost_ns = 1126000;
	s.task.age_ns = 2150000;
	run();
	check_figures("benefit over age == cost, pays over horizon",
		      NUMAMIG_V_SHORT_LIVED, 1, 1126000, 1126000);
	s.task.age_ns = 2150002;
	run();
	check_figures("benefit over age one ns more", NUMAMIG_V_MOVE, 1,
		      1126001, 1126000);

	/* the horizon itself too short: below threshold, not short-lived */
	s.task.age_ns = 2150000;
	s.params.horizon_ns = 2150000;
	run();
	check_figures("horizon == age, benefit == cost",
		      NUMAMIG_V_BELOW_THRESHOLD, 1, 1126000, 1126000);
	s.params.horizon_ns = 2150001;
	run();
	check_figures("horizon one ns longer, no more benefit",
		      NUMAMIG_V_BELOW_THRESHOLD, 1, 1126000, 1126000);
	s.params.horizon_ns = 2150002;
	run();
	check_figures("horizon long enough to pay", NUMAMIG_V_SHORT_LIVED, 1,
		      1126000, 1126000);
	s.params.horizon_ns = 0;
	run();
	check_figures("horizon 0: never pays", NUMAMIG_V_BELOW_THRESHOLD, 1,
		      0, 1126000);
}

static void test_below_threshold(void)
{
	/* age == horizon == 1 s: benefit 523720930 */
	base();
	s.params.refill_ns_per_mb = 0;
	s.params.margin_permille = 1000;
	s.params.migrate_cost_ns = BASE_BENEFIT;
	run();
	check_figures("margin 1000, benefit == cost",
		      NUMAMIG_V_BELOW_THRESHOLD, 1, BASE_BENEFIT, BASE_BENEFIT);
	s.params.migrate_cost_ns = BASE_BENEFIT - 1;
	run();
	check_figures("margin 1000, benefit == cost + 1", NUMAMIG_V_MOVE, 1,
		      BASE_BENEFIT, BASE_BENEFIT - 1);

	s.params.margin_permille = 2000;
	s.params.migrate_cost_ns = BASE_BENEFIT / 2;
	run();
	check_verdict("margin 2000, benefit == 2 cost",
		      NUMAMIG_V_BELOW_THRESHOLD, 1);
	s.params.migrate_cost_ns = BASE_BENEFIT / 2 - 1;
	run();
	check_verdict("margin 2000, benefit == 2 cost + 2", NUMAMIG_V_MOVE, 1);

	/* cost * margin / 1000 = benefit + 0.5, then benefit - 1 */
	s.params.margin_permille = 1500;
	s.params.migrate_cost_ns = 349147287;
	run();
	check_verdict("margin 1500, cost * 1.5 == benefit + 0.5",
		      NUMAMIG_V_BELOW_THRESHOLD, 1);
	s.params.migrate_cost_ns = 349147286;
	run();
	check_verdict("margin 1500, cost * 1.5 == benefit - 1",
		      NUMAMIG_V_MOVE, 1);

	/* margin 0: any benefit at all, whatever the cost */
	s.params.margin_permille = 0;
	s.params.migrate_cost_ns = ULL_MAX;
	run();
	check_figures("margin 0, cost ULLONG_MAX", NUMAMIG_V_MOVE, 1,
		      BASE_BENEFIT, ULL_MAX);
	/* but a benefit of 0 never moves */
	s.params.migrate_cost_ns = 0;
	s.params.horizon_ns = 0;
	run();
	check_figures("margin 0, cost 0, benefit 0",
		      NUMAMIG_V_BELOW_THRESHOLD, 1, 0, 0);

	/* beats rate_limited */
	base();
	s.params.migrate_cost_ns = ULL_MAX;
	s.moves_left = 0;
	run();
	check_verdict("below_threshold beats rate_limited",
		      NUMAMIG_V_BELOW_THRESHOLD, 1);
}

static void test_rate_limited(void)
{
	base();
	s.moves_left = 0;
	run();
	check_figures("moves_left 0", NUMAMIG_V_RATE_LIMITED, 1, BASE_BENEFIT,
		      BASE_COST);
	s.moves_left = 1;
	expect_base_move("moves_left 1");
	s.moves_left = UINT_MAX;
	expect_base_move("moves_left UINT_MAX");
}

static void all_huge(void)
{
	base();
	s.mem[1] = UINT_MAX;
	s.topo.distance[0][1] = 255;
	s.topo.distance[1][0] = 255;
	s.params.migrate_cost_ns = ULL_MAX;
	s.params.refill_ns_per_mb = ULL_MAX;
	s.params.refill_cap_mb = ULL_MAX;
	s.params.margin_permille = UINT_MAX;
	s.params.min_gain_permille = 0;
	s.params.min_age_ns = ULL_MAX;
	s.params.horizon_ns = ULL_MAX;
	s.params.cooldown_ns = ULL_MAX;
	s.load[1].spare_mcpu = UINT_MAX;
	s.task.age_ns = ULL_MAX;
	s.task.since_move_ns = ULL_MAX;
	s.task.cpu_permille = UINT_MAX;
	s.task.rss_mb = ULL_MAX;
	s.moves_left = UINT_MAX;
}

static void test_overflow(void)
{
	unsigned __int128 need;
	static const unsigned int margins[] = { 1000, 1001, 2000, UINT_MAX };
	unsigned long long benefit, small;
	unsigned int i;

	/* everything at its largest: a cost that never pays */
	all_huge();
	run();
	check_verdict("everything huge", NUMAMIG_V_BELOW_THRESHOLD, 1);
	check_u64("cost_ns saturates", s.d.cost_ns, ULL_MAX);
	check_eq("cost[0] (25.5)", s.d.est.cost[0], 26112);
	/* min(age, horizon) * cpu / 1000 saturates, then * 25088 / 26112 */
	check_u64("benefit_ns", s.d.benefit_ns,
		  (unsigned long long)
		  ((unsigned __int128)ULL_MAX * 25088 / 26112));

	/* a cost of ULLONG_MAX never moves at a margin of 1000 or more */
	for (i = 0; i < ARRAY_SIZE(margins); i++) {
		all_huge();
		s.params.refill_ns_per_mb = 0;
		s.params.margin_permille = margins[i];
		run();
		check_verdict("migrate_cost ULLONG_MAX",
			      NUMAMIG_V_BELOW_THRESHOLD, 1);
		check_u64("cost_ns", s.d.cost_ns, ULL_MAX);
	}

	/* cost parts that would wrap to 0 saturate instead */
	base();
	s.params.migrate_cost_ns = ULL_MAX;
	s.params.refill_ns_per_mb = 1;
	s.task.rss_mb = 1;
	run();
	check_verdict("migrate ULLONG_MAX + 1 ns refill",
		      NUMAMIG_V_BELOW_THRESHOLD, 1);
	check_u64("cost_ns (ULLONG_MAX + 1)", s.d.cost_ns, ULL_MAX);
	base();
	s.params.migrate_cost_ns = 0;
	s.params.refill_ns_per_mb = 1ULL << 63;
	s.params.refill_cap_mb = ULL_MAX;
	s.task.rss_mb = 2;
	run();
	check_verdict("refill 2^63 ns/MiB * 2 MiB", NUMAMIG_V_BELOW_THRESHOLD,
		      1);
	check_u64("cost_ns (2^64)", s.d.cost_ns, ULL_MAX);
	s.task.rss_mb = ULL_MAX;
	s.params.refill_cap_mb = 1;
	run();
	check_figures("refill capped at 1 MiB", NUMAMIG_V_BELOW_THRESHOLD, 1,
		      BASE_BENEFIT, 1ULL << 63);

	/* the benefit grows with its inputs up to saturation, never wraps */
	base();
	s.params.horizon_ns = 1000 * SEC;
	s.task.age_ns = 1000 * SEC;
	run();
	small = s.d.benefit_ns;
	check_u64("benefit over 1000 s", small, 523720930232ULL);
	s.params.horizon_ns = ULL_MAX;
	s.task.age_ns = ULL_MAX;
	s.task.cpu_permille = UINT_MAX;
	s.load[1].spare_mcpu = UINT_MAX;
	run();
	benefit = s.d.benefit_ns;
	check_verdict("horizon, age, cpu at their largest", NUMAMIG_V_MOVE, 1);
	check_eq("benefit huge > benefit over 1000 s", benefit > small, 1);
	check_u64("benefit huge", benefit,
		  (unsigned long long)
		  ((unsigned __int128)ULL_MAX * 1126 / 2150));

	/* a margin of UINT_MAX: 4294967.295 times the cost */
	base();
	s.params.refill_ns_per_mb = 0;
	s.params.margin_permille = UINT_MAX;
	s.params.migrate_cost_ns = 1;
	run();
	check_verdict("margin UINT_MAX, cost 1 ns", NUMAMIG_V_MOVE, 1);
	s.params.migrate_cost_ns = 121;
	run();
	check_verdict("margin UINT_MAX, cost 121 ns (519.7 ms)",
		      NUMAMIG_V_MOVE, 1);
	s.params.migrate_cost_ns = 122;
	run();
	check_verdict("margin UINT_MAX, cost 122 ns (524.0 ms)",
		      NUMAMIG_V_BELOW_THRESHOLD, 1);

	/*
	 * The threshold exact where cost * margin needs more than 64 bits:
	 * cost 4294967999 ns, margin UINT_MAX: need = floor(cost * margin /
	 * 1000), and an age (= horizon) that gives a benefit of need, then
	 * of need + 1.
	 */
	base();
	s.params.refill_ns_per_mb = 0;
	s.params.migrate_cost_ns = 4294967999ULL;
	s.params.margin_permille = UINT_MAX;
	need = (unsigned __int128)4294967999ULL * UINT_MAX / 1000;
	s.task.age_ns = (unsigned long long)((need * 2150 + 1125) / 1126);
	s.params.horizon_ns = s.task.age_ns;
	run();
	check_figures("huge: benefit == floor(cost * margin / 1000)",
		      NUMAMIG_V_BELOW_THRESHOLD, 1, (unsigned long long)need,
		      4294967999ULL);
	s.task.age_ns += 2;
	s.params.horizon_ns = s.task.age_ns;
	run();
	check_figures("huge: benefit one ns more", NUMAMIG_V_MOVE, 1,
		      (unsigned long long)need + 1, 4294967999ULL);
}

static void test_nodes_1_to_64(void)
{
	unsigned int n;
	char what[64];

	for (n = 1; n <= NUMAMIG_MAX_NODES; n++) {
		base();
		set_distances(n, 21);
		s.mem[1] = 0;
		s.mem[n - 1] = 1000;
		run();
		snprintf(what, sizeof(what), "%u nodes, memory on %u", n,
			 n - 1);
		if (n == 1) {
			check_none(what, NUMAMIG_V_LOCAL);
			continue;
		}
		check_figures(what, NUMAMIG_V_MOVE, (int)n - 1, BASE_BENEFIT,
			      BASE_COST);
		s.task.allowed_nodes = 1ULL << (n - 1);
		run();
		check_verdict(what, NUMAMIG_V_MOVE, (int)n - 1);
		s.task.allowed_nodes = ~(1ULL << (n - 1));
		run();
		check_none(what, NUMAMIG_V_LOCAL);
	}

	/* node 63 as target, as current node, without room */
	base();
	set_distances(64, 21);
	s.mem[1] = 0;
	s.mem[63] = 1000;
	s.task.allowed_nodes = 1ULL << 63;
	run();
	check_figures("node 63, allowed bit 63 only", NUMAMIG_V_MOVE, 63,
		      BASE_BENEFIT, BASE_COST);
	s.load[63].spare_mcpu = 999;
	run();
	check_verdict("node 63 without room", NUMAMIG_V_NO_CAPACITY, 63);
	s.load[63].spare_mcpu = 4000;
	s.task.cur_node = 63;
	s.mem[0] = 1000;
	s.mem[63] = 0;
	s.task.allowed_nodes = ~0ULL;
	run();
	check_figures("from node 63 to 0", NUMAMIG_V_MOVE, 0, BASE_BENEFIT,
		      BASE_COST);
	s.task.allowed_nodes = 1ULL << 63;
	run();
	check_none("from node 63, only 63 allowed", NUMAMIG_V_LOCAL);

	/* 64 nodes with UINT_MAX everywhere but 255 away: stays */
	base();
	set_distances(64, 255);
	for (n = 0; n < 64; n++)
		s.mem[n] = UINT_MAX;
	s.task.cur_node = 17;
	run();
	check_none("64 nodes, UINT_MAX pages on each", NUMAMIG_V_LOCAL);
	check_eq("est.cost[17]", s.d.est.cost[17], 25720);
	s.mem[40] = 0;
	s.params.min_gain_permille = 0;
	run();
	check_none("64 nodes, none on node 40, no hysteresis",
		   NUMAMIG_V_LOCAL);
}

static void check_invalid(const char *what)
{
	unsigned int i;

	check_none(what, NUMAMIG_V_INVALID);
	check_eq(what, s.d.est.best_node, -1);
	check_eq(what, s.d.est.slowdown, 0);
	check_eq(what, s.d.est.remote_share, 0);
	for (i = 0; i < NUMAMIG_MAX_NODES; i++)
		check_eq(what, s.d.est.cost[i], 0);
}

static void test_invalid(void)
{
	static const int bad_cur[] = { -1, 2, 63, 64, INT_MAX, INT_MIN };
	static const unsigned int bad_nr[] = { 0, NUMAMIG_MAX_NODES + 1,
					       UINT_MAX };
	char what[64];
	unsigned int i;

	base();
	memset(&s.d, 0x5a, sizeof(s.d));
	numamig_decide(NULL, &s.params, s.load, &s.task, 1, &s.d);
	check_invalid("topo NULL");
	memset(&s.d, 0x5a, sizeof(s.d));
	numamig_decide(&s.topo, NULL, s.load, &s.task, 1, &s.d);
	check_invalid("params NULL");
	memset(&s.d, 0x5a, sizeof(s.d));
	numamig_decide(&s.topo, &s.params, NULL, &s.task, 1, &s.d);
	check_invalid("load NULL");
	memset(&s.d, 0x5a, sizeof(s.d));
	numamig_decide(&s.topo, &s.params, s.load, NULL, 1, &s.d);
	check_invalid("task NULL");
	numamig_decide(&s.topo, &s.params, s.load, &s.task, 1, NULL);

	for (i = 0; i < ARRAY_SIZE(bad_cur); i++) {
		base();
		s.task.cur_node = bad_cur[i];
		run();
		snprintf(what, sizeof(what), "cur_node %d", bad_cur[i]);
		check_invalid(what);
	}
	for (i = 0; i < ARRAY_SIZE(bad_nr); i++) {
		base();
		s.topo.nr_nodes = bad_nr[i];
		run();
		snprintf(what, sizeof(what), "nr_nodes %u", bad_nr[i]);
		check_invalid(what);
	}

	/* bad input beats every rule */
	base();
	s.task.pinned = 1;
	s.task.cur_node = 2;
	run();
	check_invalid("pinned, cur_node out of range");
}

static void test_verdict_names(void)
{
	static const char *const want[NUMAMIG_NR_VERDICTS] = {
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
	static const int bad[] = { NUMAMIG_NR_VERDICTS,
				   NUMAMIG_NR_VERDICTS + 1, 1000, INT_MAX,
				   -1, INT_MIN };
	const char *a, *b, *p;
	char what[64];
	unsigned int i, j;

	check_eq("NUMAMIG_NR_VERDICTS", NUMAMIG_NR_VERDICTS, 15);
	for (i = 0; i < NUMAMIG_NR_VERDICTS; i++) {
		a = numamig_verdict_name((enum numamig_verdict)i);
		snprintf(what, sizeof(what), "name of verdict %u", i);
		check_str(what, a, want[i]);
		if (!a || !*a) {
			fail("%s: empty", what);
			continue;
		}
		for (p = a; *p; p++)
			if (!(*p >= 'a' && *p <= 'z') && *p != '_')
				fail("%s: \"%s\" has '%c'", what, a, *p);
		for (j = 0; j < i; j++) {
			b = numamig_verdict_name((enum numamig_verdict)j);
			if (b && !strcmp(a, b))
				fail("verdicts %u and %u: both \"%s\"", j, i,
				     a);
		}
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "name of verdict %d", bad[i]);
		check_str(what, numamig_verdict_name((enum numamig_verdict)
						     bad[i]), "invalid");
	}
}

/* The decision's estimate is numamig_estimate()'s, for the same input. */
static void test_estimate(void)
{
	struct numamig_estimate e;

	base();
	set_four();
	s.mem[0] = 10;
	s.mem[1] = 300;
	s.mem[2] = 20;
	s.mem[3] = 700;
	s.task.cur_node = 1;
	run();
	numamig_estimate(&s.topo, s.mem, 1, &e);
	check_eq("est same as numamig_estimate()",
		 !memcmp(&e, &s.d.est, sizeof(e)), 1);
	s.task.pinned = 1;
	run();
	check_eq("est filled for a pinned task too",
		 !memcmp(&e, &s.d.est, sizeof(e)), 1);
}

/*
 * Random inputs: xorshift64, fixed seed, so every run tests the same
 * inputs and a failure reproduces.
 */
static unsigned long long rng_state = 0x2545f4914f6cdd1dULL;

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

/* Mostly below @limit; sometimes 0, the largest values or anything. */
static unsigned long long rnd_ull(unsigned long long limit)
{
	switch (rnd_below(16)) {
	case 0:
		return 0;
	case 1:
		return ULL_MAX - rnd_below(3);
	case 2:
		return rnd();
	default:
		return rnd() % limit;
	}
}

static unsigned int rnd_uint(unsigned int limit)
{
	switch (rnd_below(16)) {
	case 0:
		return 0;
	case 1:
		return UINT_MAX - rnd_below(3);
	default:
		return rnd_below(limit);
	}
}

static void random_input(void)
{
	unsigned int i, j, n, kind = rnd_below(4), scale = rnd_below(4);

	memset(&s, 0, sizeof(s));
	n = 1 + rnd_below(NUMAMIG_MAX_NODES);
	s.topo.nr_nodes = n;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			if (kind < 2)		/* sane, symmetric */
				s.topo.distance[i][j] = i == j ? 10 :
					j < i ? s.topo.distance[j][i] :
					(unsigned char)(11 + rnd_below(30));
			else if (kind == 2)	/* few values: many ties */
				s.topo.distance[i][j] = i == j ? 10 :
					(unsigned char)(rnd_below(2) ? 16 : 21);
			else			/* anything, bad firmware */
				s.topo.distance[i][j] =
					(unsigned char)rnd_below(256);
		}
	}
	for (i = 0; i < NUMAMIG_MAX_NODES; i++) {
		if (i >= n)		/* must be ignored: poison */
			s.mem[i] = (unsigned int)rnd();
		else if (rnd_below(3) == 0 || scale == 0)
			s.mem[i] = rnd_below(3) ? 0 : rnd_below(4);
		else if (scale == 1)
			s.mem[i] = rnd_below(100000);
		else if (scale == 2)
			s.mem[i] = (unsigned int)rnd();
		else
			s.mem[i] = UINT_MAX - rnd_below(3);
		s.load[i].spare_mcpu = rnd_below(8) ? rnd_below(2000) :
				       rnd_uint(UINT_MAX);
		s.load[i].busy_permille = rnd_below(4) ? rnd_below(3) * 100 :
					  rnd_uint(1001);
	}

	s.params.migrate_cost_ns = rnd_ull(1000000);
	s.params.refill_ns_per_mb = rnd_ull(2000);
	s.params.refill_cap_mb = rnd_ull(1024);
	s.params.margin_permille = rnd_uint(4000);
	s.params.min_gain_permille = rnd_below(4) ? rnd_below(300) :
				     rnd_uint(1500);
	s.params.min_age_ns = rnd_ull(100 * MS);
	s.params.horizon_ns = rnd_ull(10 * SEC);
	s.params.cooldown_ns = rnd_ull(SEC);
	s.params.room_slack_mcpu = rnd_below(2) ? 0 : rnd_below(4) ?
				   rnd_below(200) : rnd_uint(UINT_MAX);
	s.params.allow_rt = rnd_below(2);

	s.task.mem = rnd_below(64) ? s.mem : NULL;
	s.task.cur_node = (int)rnd_below(n);
	switch (rnd_below(5)) {
	case 0:
		s.task.allowed_nodes = ~0ULL;
		break;
	case 1:
		s.task.allowed_nodes = rnd();
		break;
	case 2:
		s.task.allowed_nodes = rnd() & rnd() & rnd();
		break;
	case 3:
		s.task.allowed_nodes = 1ULL << rnd_below(n);
		break;
	default:
		s.task.allowed_nodes = rnd_below(16) ? ~0ULL >> rnd_below(64) :
				       0;
	}
	s.task.age_ns = rnd_ull(20 * SEC);
	s.task.since_move_ns = rnd_below(4) ? ~0ULL : rnd_ull(2 * SEC);
	s.task.cpu_permille = rnd_below(16) ? 1 + rnd_below(1000) :
			      rnd_uint(UINT_MAX);
	s.task.rss_mb = rnd_ull(100000);
	s.task.pinned = rnd_below(32) == 0;
	s.task.realtime = rnd_below(8) == 0;
	s.moves_left = rnd_below(4) ? rnd_below(4) : rnd_uint(UINT_MAX);
}

/* The model, independently: documented rules in exact arithmetic. */
static int ref_room(int n)
{
	return (unsigned long long)s.load[n].spare_mcpu +
	       s.params.room_slack_mcpu >= s.task.cpu_permille;
}

static unsigned int ref_distance(unsigned int i, unsigned int j)
{
	if (i == j)
		return 10;
	return s.topo.distance[i][j] < 10 ? 20 : s.topo.distance[i][j];
}

static unsigned __int128 sat(unsigned __int128 x)
{
	return x > ULL_MAX ? ULL_MAX : x;
}

static unsigned long long min_ull(unsigned long long a, unsigned long long b)
{
	return a < b ? a : b;
}

/*
 * Node @n passes rule 3: allowed, not the current node, an access cost
 * lower by min_gain_permille of the current one's and by at least 1.
 */
static int ref_candidate(const struct numamig_estimate *e, int cur, int n)
{
	unsigned int c = e->cost[cur];

	return n != cur && (s.task.allowed_nodes >> n & 1) &&
	       e->cost[n] < c &&
	       (unsigned __int128)(c - e->cost[n]) * 1000 >=
	       (unsigned __int128)c * s.params.min_gain_permille;
}

/* the order of targets: cost, distance from cur, busy, id */
static int ref_before(const struct numamig_estimate *e, int cur, int a,
		      int b)
{
	unsigned long long ka, kb;

	if (b < 0)
		return 1;
	ka = (unsigned long long)e->cost[a] << 40 |
	     (unsigned long long)ref_distance(cur, a) << 32 |
	     s.load[a].busy_permille;
	kb = (unsigned long long)e->cost[b] << 40 |
	     (unsigned long long)ref_distance(cur, b) << 32 |
	     s.load[b].busy_permille;
	return ka != kb ? ka < kb : a < b;
}

struct ref {
	enum numamig_verdict verdict;
	int target;
	unsigned long long benefit, cost;
};

/* benefit over @time: products saturate, each rounded down */
static unsigned long long ref_benefit(const struct numamig_estimate *e,
				      int cur, int n, unsigned long long time)
{
	unsigned __int128 remaining;

	remaining = sat((unsigned __int128)time * s.task.cpu_permille / 1000);

	return (unsigned long long)
		sat(remaining * (e->cost[cur] - e->cost[n]) / e->cost[cur]);
}

static int ref_pays(unsigned long long benefit, unsigned long long cost)
{
	return (unsigned __int128)benefit * 1000 >
	       (unsigned __int128)cost * s.params.margin_permille;
}

static void ref_decide(const struct numamig_estimate *e, struct ref *r)
{
	int n, cur = s.task.cur_node, room = -1, roomless = -1;
	unsigned long long total = 0;

	r->target = -1;
	r->benefit = 0;
	r->cost = 0;
	for (n = 0; s.task.mem && n < (int)s.topo.nr_nodes; n++)
		total += s.task.mem[n];
	for (n = 0; n < (int)s.topo.nr_nodes; n++) {
		if (!ref_candidate(e, cur, n))
			continue;
		if (ref_room(n)) {
			if (ref_before(e, cur, n, room))
				room = n;
		} else if (ref_before(e, cur, n, roomless)) {
			roomless = n;
		}
	}
	if (s.task.pinned) {
		r->verdict = NUMAMIG_V_PINNED;
	} else if (s.task.realtime && !s.params.allow_rt) {
		r->verdict = NUMAMIG_V_REALTIME;
	} else if (!s.task.cpu_permille) {
		r->verdict = NUMAMIG_V_IDLE;
	} else if (!total) {
		r->verdict = NUMAMIG_V_NO_INFO;
	} else if (room < 0 && roomless < 0) {
		r->verdict = NUMAMIG_V_LOCAL;
	} else if (s.task.age_ns < s.params.min_age_ns) {
		r->verdict = NUMAMIG_V_SHORT_LIVED;
	} else if (s.task.since_move_ns < s.params.cooldown_ns) {
		r->verdict = NUMAMIG_V_COOLDOWN;
	} else if (room < 0) {
		r->verdict = NUMAMIG_V_NO_CAPACITY;
		r->target = roomless;
	} else {
		r->target = room;
		r->cost = (unsigned long long)
			sat((unsigned __int128)s.params.migrate_cost_ns +
			    (unsigned __int128)min_ull(s.task.rss_mb,
					  s.params.refill_cap_mb) *
			    s.params.refill_ns_per_mb);
		r->benefit = ref_benefit(e, cur, room,
					 min_ull(s.task.age_ns,
						 s.params.horizon_ns));
		if (!ref_pays(r->benefit, r->cost))
			r->verdict = ref_pays(ref_benefit(e, cur, room,
							  s.params.horizon_ns),
					      r->cost) ?
				     NUMAMIG_V_SHORT_LIVED :
				     NUMAMIG_V_BELOW_THRESHOLD;
		else if (!s.moves_left)
			r->verdict = NUMAMIG_V_RATE_LIMITED;
		else
			r->verdict = NUMAMIG_V_MOVE;
	}
}

#define NR_RANDOM 50000

enum prop {
	P_DEFINED, P_MOVE, P_TARGET, P_NO_CAPACITY, P_REF, P_EST, P_RATE,
	P_CHEAPER, P_SEEN, NR_PROPS
};

static const char *const prop_desc[NR_PROPS] = {
	[P_DEFINED] = "random: a defined verdict, never held, swapped or invalid",
	[P_MOVE] =
	"random: move: target != cur, allowed, has room, cheaper, benefit * 1000 > cost * margin",
	[P_TARGET] = "random: target -1 without one, else an allowed node past the hysteresis",
	[P_NO_CAPACITY] =
	"random: no_capacity: no better allowed node has room (spare + slack >= cpu)",
	[P_REF] = "random: verdict, target, benefit, cost as the exact model",
	[P_EST] = "random: est is numamig_estimate()'s",
	[P_RATE] = "random: moves_left 0 turns move into rate_limited, nothing else",
	[P_CHEAPER] = "random: a move stays a move, same target, at half the cost",
	[P_SEEN] = "random: every verdict but held, excluded, swapped and invalid occurs",
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

/* short_lived by min_age comes before a target is chosen */
static int has_target(enum numamig_verdict v)
{
	return v == NUMAMIG_V_MOVE || v == NUMAMIG_V_RATE_LIMITED ||
	       (v == NUMAMIG_V_SHORT_LIVED &&
		s.task.age_ns >= s.params.min_age_ns) ||
	       v == NUMAMIG_V_BELOW_THRESHOLD || v == NUMAMIG_V_NO_CAPACITY;
}

static void check_move(unsigned int iter)
{
	const struct numamig_decision *d = &s.d;
	int t = d->target, cur = s.task.cur_node;

	if (t < 0 || t >= (int)s.topo.nr_nodes || t == cur ||
	    !(s.task.allowed_nodes >> t & 1) ||
	    !ref_room(t) ||
	    d->est.cost[t] >= d->est.cost[cur] ||
	    (unsigned __int128)d->benefit_ns * 1000 <=
	    (unsigned __int128)d->cost_ns * s.params.margin_permille)
		prop_fail(P_MOVE, iter,
			  "cur %d target %d spare %u cpu %u cost %u -> %u benefit %llu cost %llu margin %u",
			  cur, t, t >= 0 ? s.load[t].spare_mcpu : 0,
			  s.task.cpu_permille, d->est.cost[cur],
			  t >= 0 ? d->est.cost[t] : 0, d->benefit_ns,
			  d->cost_ns, s.params.margin_permille);
	if (!s.moves_left || s.task.pinned || !s.task.cpu_permille ||
	    (s.task.realtime && !s.params.allow_rt) ||
	    s.task.age_ns < s.params.min_age_ns ||
	    s.task.since_move_ns < s.params.cooldown_ns)
		prop_fail(P_MOVE, iter, "a move against a rule");
}

static void check_target(unsigned int iter)
{
	const struct numamig_decision *d = &s.d;
	int n, t = d->target, cur = s.task.cur_node;

	if (!has_target(d->verdict)) {
		if (t != -1 || d->benefit_ns || d->cost_ns)
			prop_fail(P_TARGET, iter,
				  "%s: target %d benefit %llu cost %llu",
				  numamig_verdict_name(d->verdict), t,
				  d->benefit_ns, d->cost_ns);
		return;
	}
	if (t < 0 || t >= (int)s.topo.nr_nodes || !ref_candidate(&d->est,
								 cur, t)) {
		prop_fail(P_TARGET, iter, "%s: target %d cur %d",
			  numamig_verdict_name(d->verdict), t, cur);
		return;
	}
	if (d->verdict != NUMAMIG_V_NO_CAPACITY)
		return;
	for (n = 0; n < (int)s.topo.nr_nodes; n++)
		if (ref_candidate(&d->est, cur, n) && ref_room(n))
			prop_fail(P_NO_CAPACITY, iter,
				  "node %d has room %u for %u", n,
				  s.load[n].spare_mcpu, s.task.cpu_permille);
	if (ref_room(t))
		prop_fail(P_NO_CAPACITY, iter, "target %d has room", t);
}

static void check_random(unsigned int iter, unsigned int *seen)
{
	struct numamig_decision d = s.d;
	struct numamig_estimate e;
	struct ref r;

	if ((unsigned int)d.verdict >= NUMAMIG_NR_VERDICTS ||
	    d.verdict == NUMAMIG_V_HELD || d.verdict == NUMAMIG_V_INVALID ||
	    d.verdict == NUMAMIG_V_EXCLUDED || d.verdict == NUMAMIG_V_SWAPPED) {
		prop_fail(P_DEFINED, iter, "verdict %d", d.verdict);
		return;
	}
	seen[d.verdict]++;
	if (d.verdict == NUMAMIG_V_MOVE)
		check_move(iter);
	check_target(iter);

	numamig_estimate(&s.topo, s.task.mem, s.task.cur_node, &e);
	if (memcmp(&e, &d.est, sizeof(e)))
		prop_fail(P_EST, iter, "differs");

	ref_decide(&e, &r);
	if (r.verdict != d.verdict || r.target != d.target ||
	    r.benefit != d.benefit_ns || r.cost != d.cost_ns)
		prop_fail(P_REF, iter,
			  "got %s %d %llu %llu want %s %d %llu %llu",
			  numamig_verdict_name(d.verdict), d.target,
			  d.benefit_ns, d.cost_ns,
			  numamig_verdict_name(r.verdict), r.target,
			  r.benefit, r.cost);

	/* the same with no moves left */
	if (s.moves_left) {
		s.moves_left = 0;
		run();
		if (d.verdict == NUMAMIG_V_MOVE ?
		    s.d.verdict != NUMAMIG_V_RATE_LIMITED :
		    s.d.verdict != d.verdict)
			prop_fail(P_RATE, iter, "%s became %s",
				  numamig_verdict_name(d.verdict),
				  numamig_verdict_name(s.d.verdict));
		else if (s.d.target != d.target ||
			 s.d.benefit_ns != d.benefit_ns ||
			 s.d.cost_ns != d.cost_ns)
			prop_fail(P_RATE, iter, "other target or figures");
	}

	/* cheaper: fixed cost and refill rate halved */
	if (d.verdict == NUMAMIG_V_MOVE) {
		s.moves_left = 1;
		s.params.migrate_cost_ns /= 2;
		s.params.refill_ns_per_mb /= 2;
		run();
		if (s.d.verdict != NUMAMIG_V_MOVE || s.d.target != d.target)
			prop_fail(P_CHEAPER, iter, "became %s %d",
				  numamig_verdict_name(s.d.verdict),
				  s.d.target);
	}
}

static void run_random(void)
{
	unsigned int seen[NUMAMIG_NR_VERDICTS] = { 0 };
	unsigned int iter, v;

	for (iter = 0; iter < NR_RANDOM; iter++) {
		random_input();
		run();
		check_random(iter, seen);
	}
	printf("# random verdicts:");
	for (v = 0; v < NUMAMIG_NR_VERDICTS; v++)
		printf(" %s %u", numamig_verdict_name((enum numamig_verdict)v),
		       seen[v]);
	printf("\n");
	for (v = 0; v < NUMAMIG_NR_VERDICTS; v++)
		if (!seen[v] && v != NUMAMIG_V_HELD && v != NUMAMIG_V_INVALID &&
		    v != NUMAMIG_V_EXCLUDED && v != NUMAMIG_V_SWAPPED)
			prop_fail(P_SEEN, 0, "never %s",
				  numamig_verdict_name((enum numamig_verdict)
						       v));
}

/* A hold that should go on: enforce, mask ours, not starving, not due. */
static struct numamig_hold_view held_view(void)
{
	struct numamig_hold_view h = {
		.enforce = 1, .mask_ours = 1, .now_ns = 1000, .until_ns = 2000,
		.wait_avg_us = 10, .starve_wait_us = 20000,
	};

	return h;
}

static void test_hold_ends(void)
{
	struct numamig_hold_view h = held_view();

	check_eq("keeps holding", numamig_hold_ends(&h), NUMAMIG_NR_RELEASES);
	check_eq("NULL keeps holding", numamig_hold_ends(NULL), NUMAMIG_NR_RELEASES);

	h = held_view();
	h.now_ns = h.until_ns - 1;
	check_eq("1 ns before until", numamig_hold_ends(&h), NUMAMIG_NR_RELEASES);
	h.now_ns = h.until_ns;
	check_eq("at until: expired", numamig_hold_ends(&h), NUMAMIG_REL_EXPIRED);
	h.now_ns = ~0ULL;
	check_eq("long after until: expired", numamig_hold_ends(&h), NUMAMIG_REL_EXPIRED);

	h = held_view();
	h.wait_avg_us = h.starve_wait_us;
	check_eq("wait == starve_wait_us: not starving", numamig_hold_ends(&h),
		 NUMAMIG_NR_RELEASES);
	h.wait_avg_us = h.starve_wait_us + 1;
	check_eq("wait one us above: starving", numamig_hold_ends(&h),
		 NUMAMIG_REL_STARVING);
	h.now_ns = h.until_ns;
	check_eq("starving beats expired", numamig_hold_ends(&h),
		 NUMAMIG_REL_STARVING);

	h = held_view();
	h.excluded = 1;
	h.wait_avg_us = ~0U;
	h.now_ns = h.until_ns;
	check_eq("leaving the scope beats starving and expired",
		 numamig_hold_ends(&h), NUMAMIG_REL_EXCLUDED);

	h = held_view();
	h.mask_ours = 0;
	h.excluded = 1;
	h.wait_avg_us = ~0U;
	h.now_ns = h.until_ns;
	check_eq("a mask changed by someone else beats leaving the scope, starving and expired",
		 numamig_hold_ends(&h), NUMAMIG_REL_USER);

	h.enforce = 0;
	check_eq("leaving enforce beats everything", numamig_hold_ends(&h),
		 NUMAMIG_REL_MODE);
}

/* Held on node 1, its memory best served there, running, at its end. */
static struct numamig_hold_view renewable_view(void)
{
	struct numamig_hold_view h = held_view();

	h.now_ns = h.until_ns;
	h.held_node = 1;
	h.best_node = 1;
	h.cpu_permille = 500;
	return h;
}

static void test_hold_renews(void)
{
	struct numamig_hold_view h = renewable_view();

	check_eq("at its end, memory still best served there, running: renewed",
		 numamig_hold_renews(&h), 1);
	check_eq("NULL: not renewed", numamig_hold_renews(NULL), 0);

	h.now_ns = h.until_ns - 1;
	check_eq("before its end: nothing to renew", numamig_hold_renews(&h), 0);

	h = renewable_view();
	h.best_node = 0;
	check_eq("its memory now best served elsewhere: ends", numamig_hold_renews(&h), 0);
	h.best_node = -1;
	check_eq("no estimate: ends", numamig_hold_renews(&h), 0);

	h = renewable_view();
	h.cpu_permille = 0;
	check_eq("did not run last period: ends", numamig_hold_renews(&h), 0);

	h = renewable_view();
	h.swapped = 1;
	check_eq("a swap's hold: ends with its partner's", numamig_hold_renews(&h), 0);

	/* Every other reason beats a renewal. */
	h = renewable_view();
	h.wait_avg_us = h.starve_wait_us + 1;
	check_eq("starving: ends", numamig_hold_renews(&h), 0);
	h = renewable_view();
	h.excluded = 1;
	check_eq("out of scope: ends", numamig_hold_renews(&h), 0);
	h = renewable_view();
	h.mask_ours = 0;
	check_eq("the user's mask: ends", numamig_hold_renews(&h), 0);
	h = renewable_view();
	h.enforce = 0;
	check_eq("out of enforce: ends", numamig_hold_renews(&h), 0);
}

static void test_release_names(void)
{
	static const char *const want[NUMAMIG_NR_RELEASES] = {
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
	unsigned int i;

	for (i = 0; i < NUMAMIG_NR_RELEASES; i++)
		check_str(want[i], numamig_release_name(i), want[i]);
	check_str("NUMAMIG_NR_RELEASES", numamig_release_name(NUMAMIG_NR_RELEASES),
		  "keep");
	check_str("-1", numamig_release_name((enum numamig_release)-1), "keep");
}

static const struct unit_test tests[] = {
	{ test_hand_computed,
	  "2 nodes 10/21, all remote, 1 s: move, benefit 523720930 ns, cost 114000 ns" },
	{ test_pinned,
	  "pinned: beats every other rule" },
	{ test_realtime,
	  "realtime: no move unless allow_rt; beats idle and no_info" },
	{ test_idle,
	  "idle: cpu 0, beats no_info; cpu 1 is not idle" },
	{ test_no_info,
	  "no_info: all-zero or NULL mem; beats local and later rules" },
	{ test_local,
	  "local: memory local, equal costs, 1 node, better node not allowed" },
	{ test_hysteresis,
	  "hysteresis: min_gain_permille edge exact, per node" },
	{ test_cooldown,
	  "cooldown: since_move < cooldown; edge; beats later rules" },
	{ test_no_capacity,
	  "no_capacity: spare + slack < cpu; target the best roomless node" },
	{ test_target_order,
	  "target: lowest cost, then nearest, then least busy, then lowest id" },
	{ test_allowed_nodes,
	  "allowed_nodes excludes nodes" },
	{ test_short_lived_age,
	  "short_lived: younger than min_age; edge; beats cooldown and later rules" },
	{ test_short_lived_lifetime,
	  "short_lived: pays over horizon, not over age; edges" },
	{ test_below_threshold,
	  "below_threshold: benefit == cost * margin / 1000 is no move, one ns more is" },
	{ test_rate_limited,
	  "rate_limited: moves_left 0, with the move's target and figures" },
	{ test_overflow,
	  "huge values saturate, never wrap; huge cost never moves" },
	{ test_nodes_1_to_64,
	  "1 to 64 nodes; node 63 as target and as current node" },
	{ test_invalid,
	  "invalid input: NULLs, cur_node, nr_nodes 0 or 65: invalid, target -1" },
	{ test_verdict_names,
	  "numamig_verdict_name(): distinct words, \"invalid\" out of range" },
	{ test_estimate,
	  "the decision's est is numamig_estimate()'s" },
	{ test_hold_ends,
	  "numamig_hold_ends(): mode, user's mask, starving, expiry, each at its edge" },
	{ test_hold_renews,
	  "numamig_hold_renews(): only at its end, memory still there, running, not a swap" },
	{ test_release_names,
	  "numamig_release_name(): one word per reason, \"keep\" otherwise" },
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
