// SPDX-License-Identifier: GPL-2.0
/*
 * numamig-sim - replay synthetic task populations through numamig's
 * policy library (module/numamig_policy.c, built in as is) and compare
 * thread placement policies by the total run time of the tasks, each
 * against an oracle that knows every task's remaining work.
 *
 * The model. Keep it in step with model_text[] below, which the output
 * header prints.
 *
 * Machine: 2 nodes (SLIT 10/21) or 4 nodes in a ring (10 local, 16 to
 * each neighbour, 21 across), each with --cpus CPUs.
 *
 * Tasks: Poisson arrivals (rounded up to a tick), at a rate that offers
 * --load of the machine's CPUs (before any remote slowdown). Each task
 * has CPU work W (seconds at all-local speed; Pareto of shape --alpha or
 * exponential, mean --mean, at most --max-work), a CPU demand
 * s (uniform 0.5 .. 1 CPU), a resident size (log-uniform 300 MiB ..
 * 8 GiB, so that numamig and numad watch every task) and its memory on
 * a home node (node 0 with probability --hot, else any node):
 * a --local share of tasks have all of it there and start there; the
 * others start on any node, and a --split share of them have 50-90% on
 * the home node and the rest on one other node, the rest 90-100% on the
 * home node and the rest spread evenly. Memory never moves: only
 * threads are placed (the page migration of NUMA balancing and numad
 * is not modelled, for any policy).
 *
 * Speed: on node n a task runs its work at 1 / slow(n) of local speed,
 * slow(n) = (1 - f) + f * cost(n), where cost(n) is numamig_access_cost()
 * of its memory (1.0 all local, up to 2.1) and f (--membound) the share
 * of its run time that scales with memory access cost: f = 1 is the
 * policy library's own assumption, its upper bound. A node gives each
 * task its demand s while the demands on it add up to at most its CPUs,
 * and all of them the share cpus / sum(s) of their demand beyond that.
 * Rates are fixed within a tick (--tick-ms); the only thing that moves
 * a thread is the policy (no load balancer, no pinning).
 *
 * A move costs the task migrate_cost + refill_per_mb * min(rss, cap) of
 * CPU time (the cost model's own estimate; --move-cost-x scales the
 * true cost and leaves numamig's estimate alone), paid before it makes
 * progress again.
 *
 * Policies, deciding every --period-ms (the worker's period) for the
 * tasks then running, with node loads measured over the last period:
 *   never     no move
 *   always    to the node of lowest access cost, at once, whatever the
 *             load there
 *   autonuma  NUMA balancing's task placement: after a scan delay, once
 *             a scan period, to the node with most of the memory if that
 *             node has at least --autonuma-threshold of it and room
 *   numad     every --numad-interval-ms, tasks seen at the last scan
 *             with at least 300 MiB and half a CPU, biggest first, to the
 *             node with most of their memory if it has room
 *   numamig   numamig_decide() on the task's real view (age, last
 *             period's CPU use (since arrival, for a task that arrived
 *             in it), time since its last move, the node loads
 *             with the room earlier moves took, moves left of max_moves),
 *             a move held for hold_ms (not decided on, as the module
 *             does; numamig_hold_ends() ends holds by expiry only: there
 *             is no run-queue model for the starvation rule, and
 *             numamig_hold_renews() renews them as the module does); with
 *             --swaps, tasks left without room are paired into swaps
 *             after each pass (numamig_swap_offer() and
 *             numamig_swap_match(), as the module's worker does), both
 *             held for hold_ms
 *   oracle    knows every task's exact remaining work, its real speed on
 *             every node and the real move cost; decides at arrival and
 *             every period. It moves a task only towards its memory (to
 *             a node of lower access cost), as every policy here does:
 *             to the node where the task's remaining run time plus the
 *             move cost, plus the time its arrival costs the tasks
 *             there, minus the time its leaving saves the tasks it
 *             leaves, is lowest, if that beats staying. Greedy, one task
 *             at a time, with the node rates of the moment and no
 *             knowledge of future arrivals: a reference, not the
 *             optimum.
 * Every policy sees the true placement of memory (no sampling noise) and
 * every task passes numamig's watch filters.
 *
 * The oracle can be beaten. When one node is home to most memory (--hot
 * 0.8) or tasks run long (--mean 30), filling that node's CPUs now can
 * cost the tasks that come later more than it gains, and the policies
 * that need room on the target (numamig, autonuma) leave some: they
 * come out up to a few percent ahead. When run time does not depend on
 * placement (-f 0) the oracle never moves, while those policies' moves
 * off crowded start nodes balance load by accident. tests/sim.sh
 * asserts what holds: on the default scenarios (three seeds, also with
 * -f 0.5 and --hot 0) no policy beats it by more than 1%.
 *
 * Figure of merit: the sum over tasks of their run time (completion
 * minus arrival); regret is how much more a policy's sum is than the
 * oracle's, in percent. Deterministic for a seed: every policy runs
 * the same population, drawn from the seed, the topology and the
 * distribution, so a scenario gives the same figures alone or with
 * others.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numamig/policy.h"

#define SIM_MAX_NODES	4
#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL
#define NEVER		(~0ULL)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* the module's NUMAMIG_ROOM_SLACK_MCPU (module/numamig_decide.c) */
#define ROOM_SLACK_MCPU	100
/* no task has less work than this, s */
#define MIN_WORK	0.001
/* the oracle moves for a gain above this, s */
#define ORACLE_EPS	0.000000001

enum sim_policy {
	P_NEVER,
	P_ALWAYS,
	P_AUTONUMA,
	P_NUMAD,
	P_NUMAMIG,
	P_ORACLE,
	NR_POLICIES
};

static const char *const policy_names[NR_POLICIES] = {
	[P_NEVER]	= "never",
	[P_ALWAYS]	= "always",
	[P_AUTONUMA]	= "autonuma",
	[P_NUMAD]	= "numad",
	[P_NUMAMIG]	= "numamig",
	[P_ORACLE]	= "oracle",
};

enum sim_dist {
	D_PARETO,
	D_EXP,
	NR_DISTS
};

static const char *const dist_names[NR_DISTS] = {
	[D_PARETO]	= "pareto",
	[D_EXP]		= "exp",
};

/**
 * struct sim_opts - the command line
 * @seed: seed of every population
 * @tasks: tasks per scenario
 * @topo_mask: bit 0: 2 nodes, bit 1: 4 nodes
 * @dist_mask: bit D_PARETO, bit D_EXP
 * @mean_work: mean CPU work of a task, s at local speed
 * @alpha: Pareto shape
 * @max_work: no task has more work than this, s
 * @cpus: CPUs per node
 * @load: offered load, share of all CPUs
 * @membound: share of run time proportional to memory access cost
 * @local: share of tasks with all memory on the node they start on
 * @split: share of the other tasks with memory split over two nodes
 * @hot: probability that a task's home node is node 0 (else uniform)
 * @move_cost_x: true move cost over the cost model's estimate
 * @tick_ns: simulation step
 * @period_ns: decision period (the module's period_ms)
 * @an_permille: autonuma: least share of memory on the target node
 * @an_delay_ns: autonuma: scan delay after a task starts
 * @an_scan_ns: autonuma: time between two looks at a task
 * @numad_ns: numad: time between two rebalances
 * @pp: numamig's parameters, defaults as the module's
 * @max_moves: numamig: moves per period
 * @hold_ns: numamig: hold_ms (also @pp.horizon_ns)
 * @starve_wait_us: numamig: starve_wait_us
 * @swaps: numamig also swaps tasks (the module does)
 * @csv: print CSV
 * @verbose: print numamig's verdict counts
 */
struct sim_opts {
	unsigned long long seed;
	unsigned int tasks;
	unsigned int topo_mask;
	unsigned int dist_mask;
	double mean_work;
	double alpha;
	double max_work;
	unsigned int cpus;
	double load;
	double membound;
	double local;
	double split;
	double hot;
	double move_cost_x;
	unsigned long long tick_ns;
	unsigned long long period_ns;
	unsigned int an_permille;
	unsigned long long an_delay_ns;
	unsigned long long an_scan_ns;
	unsigned long long numad_ns;
	struct numamig_params pp;
	unsigned int max_moves;
	unsigned long long hold_ns;
	unsigned int starve_wait_us;
	int swaps;
	int csv;
	int verbose;
};

/* A task of the population: what no policy changes. */
struct sim_task {
	unsigned long long arrive_ns;
	double work;
	double share;
	unsigned int mem[SIM_MAX_NODES];
	unsigned long long rss_mb;
	int start;
	double slow[SIM_MAX_NODES];
	double move_cost;
};

/* A task in one run. */
struct sim_state {
	int node;
	int held;
	int swapped;
	double left;
	double debt;
	double cpu_period;
	unsigned int cpu_permille;
	unsigned long long last_move_ns;
	unsigned long long hold_until_ns;
	unsigned long long next_scan_ns;
	unsigned int verdict;
};

struct sim_scenario {
	int dist;
	struct numamig_topology topo;
	const char *topo_name;
	unsigned int nr_tasks;
	struct sim_task *tasks;
	double rate;
};

struct sim_result {
	double run_s;
	double cpu_s;
	double makespan_s;
	unsigned long moves;
	unsigned long verdicts[NUMAMIG_NR_VERDICTS];
};

/* One run: the population, the state of each task, the running ones. */
struct sim_run {
	const struct sim_opts *o;
	const struct sim_scenario *sc;
	struct sim_state *st;
	unsigned int *active;
	unsigned int nr_active;
	double node_cpu[SIM_MAX_NODES];
	double demand[SIM_MAX_NODES];
	struct numamig_node_load load[SIM_MAX_NODES];
	struct sim_result *res;
};

static const char *const model_text[] = {
	"machine: 2 nodes (SLIT 10/21) or 4 in a ring (10/16/21), --cpus each",
	"tasks: Poisson arrivals offering --load of all CPUs; CPU work from",
	"  the distribution, demand 0.5-1 CPU, rss 300 MiB-8 GiB; memory on a",
	"  home node (node 0 with p --hot): --local of tasks all there and",
	"  start there, others start anywhere with 90-100% at home or, for",
	"  --split of them, 50-90% at home and the rest on one other node;",
	"  memory never moves (only thread placement is compared)",
	"speed on node n: 1 / ((1-f) + f*cost(n)), cost(n) from the policy",
	"  library (1.0 all local), f = --membound; a node over its CPUs",
	"  shares them in proportion to demand; no load balancer",
	"a move costs migrate_cost + refill_per_mb*min(rss, cap) of CPU",
	"  time, times --move-cost-x",
	"policies decide every period on last period's measured loads:",
	"  never; always (lowest cost node, at once, ignoring load);",
	"  autonuma (after scan delay, each scan: node with most memory if",
	"  >= threshold and room); numad (each interval: tasks >= 300 MiB",
	"  and half a CPU, to node with most memory if room); numamig",
	"  (numamig_decide(), holds of hold_ms); oracle (exact remaining",
	"  work; greedy, at arrival and each period, towards memory only:",
	"  where remaining time + move cost + time imposed on others is",
	"  lowest; not the optimum, and it can be beaten)",
	"every policy sees the true memory placement (no sampling noise)",
	"run time: sum over tasks of completion - arrival;",
	"  regret: (run time - oracle's) / oracle's",
	NULL
};

/* splitmix64: small, fast, and the same sequence everywhere. */
static unsigned long long rng_next(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, 1) */
static double rng_unit(unsigned long long *s)
{
	return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static unsigned int rng_below(unsigned long long *s, unsigned int n)
{
	return (unsigned int)(rng_unit(s) * n);
}

static double draw_work(const struct sim_opts *o, int dist,
			unsigned long long *s)
{
	double u = rng_unit(s), w, xm;

	if (dist == D_PARETO) {
		xm = o->mean_work * (o->alpha - 1) / o->alpha;
		w = xm / pow(1 - u, 1 / o->alpha);
	} else {
		w = -o->mean_work * log(1 - u);
	}
	if (w > o->max_work)
		w = o->max_work;
	return w < MIN_WORK ? MIN_WORK : w;
}

static void set_topology(struct sim_scenario *sc, unsigned int nodes)
{
	unsigned int i, j, d;

	memset(&sc->topo, 0, sizeof(sc->topo));
	sc->topo.nr_nodes = nodes;
	for (i = 0; i < nodes; i++) {
		for (j = 0; j < nodes; j++) {
			d = (i + nodes - j) % nodes;
			if (i == j)
				sc->topo.distance[i][j] = 10;
			else if (nodes == 2)
				sc->topo.distance[i][j] = 21;
			else
				sc->topo.distance[i][j] = d == 2 ? 21 : 16;
		}
	}
	sc->topo_name = nodes == 2 ? "2 nodes 10/21" : "4 nodes 10/16/21";
}

/* The cost model's estimate of a move: what numamig_decide() charges. */
static unsigned long long model_cost_ns(const struct numamig_params *pp,
					unsigned long long rss_mb)
{
	unsigned long long mb = rss_mb < pp->refill_cap_mb ?
				rss_mb : pp->refill_cap_mb;

	return pp->migrate_cost_ns + mb * pp->refill_ns_per_mb;
}

static void make_memory(const struct sim_opts *o, struct sim_scenario *sc,
			struct sim_task *t, unsigned long long *s)
{
	unsigned int n = sc->topo.nr_nodes, home, other, j;
	double at_home, left;

	home = rng_unit(s) < o->hot ? 0 : rng_below(s, n);
	memset(t->mem, 0, sizeof(t->mem));
	if (rng_unit(s) < o->local) {
		t->start = (int)home;
		t->mem[home] = (unsigned int)t->rss_mb;
		return;
	}
	t->start = (int)rng_below(s, n);
	if (rng_unit(s) < o->split) {
		at_home = 0.5 + 0.4 * rng_unit(s);
		other = (home + 1 + rng_below(s, n - 1)) % n;
		t->mem[home] = (unsigned int)(t->rss_mb * at_home);
		t->mem[other] = (unsigned int)t->rss_mb - t->mem[home];
		return;
	}
	at_home = 0.9 + 0.1 * rng_unit(s);
	t->mem[home] = (unsigned int)(t->rss_mb * at_home);
	left = (double)(t->rss_mb - t->mem[home]) / (n - 1);
	for (j = 0; j < n; j++)
		if (j != home)
			t->mem[j] = (unsigned int)left;
}

static int make_population(const struct sim_opts *o, struct sim_scenario *sc,
			   unsigned int nodes, int dist)
{
	unsigned long long s = o->seed ^ (0x5bd1e995ULL * (nodes * 16 + dist));
	unsigned long long tick = o->tick_ns, ticks;
	double mean_share = 0.75, t_s = 0, cost;
	unsigned int i, j;

	sc->dist = dist;
	set_topology(sc, nodes);
	sc->nr_tasks = o->tasks;
	sc->tasks = calloc(o->tasks, sizeof(*sc->tasks));
	if (!sc->tasks)
		return -ENOMEM;
	sc->rate = o->load * nodes * o->cpus / (mean_share * o->mean_work);
	rng_next(&s);
	for (i = 0; i < o->tasks; i++) {
		struct sim_task *t = &sc->tasks[i];

		t_s += -log(1 - rng_unit(&s)) / sc->rate;
		ticks = (unsigned long long)ceil(t_s * NSEC_PER_SEC / tick);
		t->arrive_ns = ticks * tick;
		t->work = draw_work(o, dist, &s);
		t->share = 0.5 + 0.5 * rng_unit(&s);
		t->rss_mb = (unsigned long long)(300 * exp(log(8192.0 / 300) *
							  rng_unit(&s)));
		make_memory(o, sc, t, &s);
		for (j = 0; j < nodes; j++) {
			cost = (double)numamig_access_cost(&sc->topo, t->mem,
							   (int)j) /
			       NUMAMIG_FP_ONE;
			t->slow[j] = 1 - o->membound + o->membound * cost;
		}
		t->move_cost = o->move_cost_x *
			       model_cost_ns(&o->pp, t->rss_mb) / NSEC_PER_SEC;
	}
	return 0;
}

static double rate_of(double cpus, double demand)
{
	return demand > cpus ? cpus / demand : 1;
}

static void move_task(struct sim_run *r, unsigned int i, int to,
		      unsigned long long now)
{
	struct sim_state *st = &r->st[i];
	const struct sim_task *t = &r->sc->tasks[i];

	r->demand[st->node] -= t->share;
	r->demand[to] += t->share;
	st->node = to;
	st->debt += t->move_cost;
	st->last_move_ns = now;
	r->res->moves++;
}

/* Room by the module's rule: spare + slack covers the task's CPU use. */
static int has_room(const struct numamig_node_load *l, unsigned int mcpu)
{
	return (unsigned long long)l->spare_mcpu + ROOM_SLACK_MCPU >= mcpu;
}

/* What numamig_act() does to the loads later decisions see. */
static void take_room(struct sim_run *r, int from, int to, unsigned int mcpu)
{
	struct numamig_node_load *l = &r->load[to];

	l->spare_mcpu -= mcpu < l->spare_mcpu ? mcpu : l->spare_mcpu;
	r->load[from].spare_mcpu += mcpu;
}

/* Node with most of the task's memory, lowest id on a tie; its share. */
static int mem_home(const struct sim_scenario *sc, const struct sim_task *t,
		    unsigned int *permille)
{
	unsigned long long total = 0;
	unsigned int j;
	int best = 0;

	for (j = 0; j < sc->topo.nr_nodes; j++) {
		total += t->mem[j];
		if (t->mem[j] > t->mem[best])
			best = (int)j;
	}
	*permille = total ? (unsigned int)(t->mem[best] * 1000ULL / total) : 0;
	return best;
}

static void pass_always(struct sim_run *r, unsigned long long now)
{
	struct numamig_estimate est;
	unsigned int k, i;

	for (k = 0; k < r->nr_active; k++) {
		i = r->active[k];
		numamig_estimate(&r->sc->topo, r->sc->tasks[i].mem,
				 r->st[i].node, &est);
		if (est.best_node >= 0 && est.best_node != r->st[i].node)
			move_task(r, i, est.best_node, now);
	}
}

static void pass_autonuma(struct sim_run *r, unsigned long long now)
{
	unsigned int k, i, permille;
	struct sim_state *st;
	int home;

	for (k = 0; k < r->nr_active; k++) {
		i = r->active[k];
		st = &r->st[i];
		if (now < st->next_scan_ns)
			continue;
		st->next_scan_ns = now + r->o->an_scan_ns;
		home = mem_home(r->sc, &r->sc->tasks[i], &permille);
		if (home == st->node || permille < r->o->an_permille ||
		    !has_room(&r->load[home], st->cpu_permille))
			continue;
		take_room(r, st->node, home, st->cpu_permille);
		move_task(r, i, home, now);
	}
}

static void pass_numad(struct sim_run *r, unsigned long long now)
{
	unsigned int k, i, j, permille, nr = 0, *cand = r->active + r->nr_active;
	const struct sim_task *t;
	struct sim_state *st;
	int home;

	if (now % r->o->numad_ns)
		return;
	/* seen at the last scan, at least 300 MiB and half a CPU */
	for (k = 0; k < r->nr_active; k++) {
		i = r->active[k];
		t = &r->sc->tasks[i];
		if (now - t->arrive_ns >= r->o->numad_ns && t->rss_mb >= 300 &&
		    r->st[i].cpu_permille >= 500)
			cand[nr++] = i;
	}
	/* biggest first; insertion sort, stable */
	for (k = 1; k < nr; k++) {
		i = cand[k];
		for (j = k; j > 0 && r->sc->tasks[cand[j - 1]].rss_mb <
				     r->sc->tasks[i].rss_mb; j--)
			cand[j] = cand[j - 1];
		cand[j] = i;
	}
	for (k = 0; k < nr; k++) {
		i = cand[k];
		st = &r->st[i];
		home = mem_home(r->sc, &r->sc->tasks[i], &permille);
		if (home == st->node || !has_room(&r->load[home], st->cpu_permille))
			continue;
		take_room(r, st->node, home, st->cpu_permille);
		move_task(r, i, home, now);
	}
}

/* numamig's swap pool and pairs, one pass at a time. */
static struct numamig_swap_pool swap_pool;
static struct numamig_swap_pair swap_pairs[SIM_MAX_NODES * NUMAMIG_SWAP_CANDIDATES];

/* After numamig's pass: swaps, both held, with the moves left. */
static void swap_numamig(struct sim_run *r, unsigned int moves_left,
			 unsigned long long now)
{
	unsigned int n, k, i, j;
	struct sim_state *st;

	n = numamig_swap_match(&r->sc->topo, &r->o->pp, r->load, &swap_pool,
			       moves_left, swap_pairs, ARRAY_SIZE(swap_pairs));
	for (k = 0; k < n; k++) {
		i = (unsigned int)((struct sim_state *)swap_pairs[k].a - r->st);
		j = (unsigned int)((struct sim_state *)swap_pairs[k].b - r->st);
		move_task(r, i, swap_pairs[k].b_node, now);
		move_task(r, j, swap_pairs[k].a_node, now);
		for (st = &r->st[i]; st; st = st == &r->st[i] ? &r->st[j] : NULL) {
			r->res->verdicts[st->verdict]--;
			r->res->verdicts[NUMAMIG_V_SWAPPED]++;
			st->held = 1;
			st->swapped = 1;
			st->hold_until_ns = now + r->o->hold_ns;
		}
	}
}

static void pass_numamig(struct sim_run *r, unsigned long long now)
{
	const struct sim_opts *o = r->o;
	struct numamig_task_view view;
	struct numamig_hold_view hold;
	struct numamig_estimate est;
	enum numamig_release why;
	unsigned int moves_left = o->max_moves, k, i;
	struct numamig_decision d;
	const struct sim_task *t;
	struct sim_state *st;

	if (o->swaps)
		numamig_swap_reset(&swap_pool, r->sc->topo.nr_nodes);
	for (k = 0; k < r->nr_active; k++) {
		i = r->active[k];
		t = &r->sc->tasks[i];
		st = &r->st[i];
		if (st->held) {
			hold.enforce = 1;
			hold.mask_ours = 1;
			hold.now_ns = now;
			hold.until_ns = st->hold_until_ns;
			hold.wait_avg_us = 0;
			hold.starve_wait_us = o->starve_wait_us;
			hold.held_node = st->node;
			hold.cpu_permille = st->cpu_permille;
			hold.swapped = st->swapped;
			why = numamig_hold_ends(&hold);
			/* The estimate only for a hold at its end. */
			if (why == NUMAMIG_REL_EXPIRED) {
				numamig_estimate(&r->sc->topo, t->mem, st->node, &est);
				hold.best_node = est.best_node;
				if (numamig_hold_renews(&hold)) {
					st->hold_until_ns = now + o->hold_ns;
					why = NUMAMIG_NR_RELEASES;
				}
			}
			if (why == NUMAMIG_NR_RELEASES) {
				r->res->verdicts[NUMAMIG_V_HELD]++;
				continue;
			}
			st->held = 0;
		}
		memset(&view, 0, sizeof(view));
		view.mem = t->mem;
		view.cur_node = st->node;
		view.allowed_nodes = (1ULL << r->sc->topo.nr_nodes) - 1;
		view.age_ns = now - t->arrive_ns;
		view.since_move_ns = st->last_move_ns == NEVER ? NEVER :
				     now - st->last_move_ns;
		view.cpu_permille = st->cpu_permille;
		view.rss_mb = t->rss_mb;
		numamig_decide(&r->sc->topo, &o->pp, r->load, &view, moves_left,
			       &d);
		r->res->verdicts[d.verdict]++;
		st->verdict = d.verdict;
		if (d.verdict != NUMAMIG_V_MOVE) {
			if (o->swaps)
				numamig_swap_offer(&swap_pool, &o->pp, &view, &d, st);
			continue;
		}
		moves_left--;
		take_room(r, st->node, d.target, st->cpu_permille);
		move_task(r, i, d.target, now);
		st->held = 1;
		st->swapped = 0;
		st->hold_until_ns = now + o->hold_ns;
	}
	if (o->swaps)
		swap_numamig(r, moves_left, now);
}

/* Time task @i needs to finish on @node at @rate, with @extra CPU to pay. */
static double time_left(const struct sim_run *r, unsigned int i, int node,
			double rate, double extra)
{
	const struct sim_task *t = &r->sc->tasks[i];
	const struct sim_state *st = &r->st[i];

	return (st->debt + extra + st->left * t->slow[node]) /
	       (t->share * rate);
}

/*
 * Change of the other tasks' run time on @node when its rate goes from
 * @before to @after while a task of remaining time @span is there (or
 * leaves), each task's remaining time at @before known: a task that
 * would finish within @span is stretched (or shrunk) all along, a longer
 * one by the work it gains or loses during @span.
 */
static double others_delta(const struct sim_run *r, unsigned int skip,
			   int node, double before, double after, double span)
{
	double sum = 0, tj, whole, part;
	unsigned int k, j;

	if (before == after)
		return 0;
	for (k = 0; k < r->nr_active; k++) {
		j = r->active[k];
		if (j == skip || r->st[j].node != node)
			continue;
		tj = time_left(r, j, node, before, 0);
		whole = tj * (before / after - 1);
		part = span * (before - after) / before;
		sum += fabs(whole) < fabs(part) ? whole : part;
	}
	return sum;
}

static void oracle_one(struct sim_run *r, unsigned int i,
		       unsigned long long now)
{
	const struct sim_task *t = &r->sc->tasks[i];
	double cpus = r->o->cpus, stay, go, delta;
	double best_delta = -ORACLE_EPS;
	struct sim_state *st = &r->st[i];
	int a = st->node, b, best = -1;
	double ra = rate_of(cpus, r->demand[a]);
	double ra_after = rate_of(cpus, r->demand[a] - t->share);
	double saved, rb, rb_after;

	stay = time_left(r, i, a, ra, 0);
	/* what the others on a gain (a negative delta) if it leaves */
	saved = others_delta(r, i, a, ra, ra_after, stay);
	for (b = 0; b < (int)r->sc->topo.nr_nodes; b++) {
		/* towards its memory only, as every policy here moves */
		if (t->slow[b] >= t->slow[a])
			continue;
		rb = rate_of(cpus, r->demand[b]);
		rb_after = rate_of(cpus, r->demand[b] + t->share);
		go = time_left(r, i, b, rb_after, t->move_cost);
		delta = go - stay + saved +
			others_delta(r, i, b, rb, rb_after, go);
		if (delta < best_delta) {
			best_delta = delta;
			best = b;
		}
	}
	if (best >= 0)
		move_task(r, i, best, now);
}

static void pass_oracle(struct sim_run *r, unsigned long long now)
{
	unsigned int k;

	for (k = 0; k < r->nr_active; k++)
		oracle_one(r, r->active[k], now);
}

/* Node loads and each task's CPU use, measured over the last period. */
static void measure(struct sim_run *r, unsigned long long now)
{
	double period = (double)r->o->period_ns / NSEC_PER_SEC, alive, used;
	unsigned int n, k, i, cap = r->o->cpus * 1000;
	const struct sim_task *t;
	struct sim_state *st;

	for (n = 0; n < r->sc->topo.nr_nodes; n++) {
		used = r->node_cpu[n] / period * 1000;
		used = used > cap ? cap : used;
		r->load[n].spare_mcpu = cap - (unsigned int)lround(used);
		r->load[n].busy_permille = (unsigned int)lround(used * 1000 / cap);
		r->node_cpu[n] = 0;
	}
	for (k = 0; k < r->nr_active; k++) {
		i = r->active[k];
		t = &r->sc->tasks[i];
		st = &r->st[i];
		alive = (double)(now - t->arrive_ns) / NSEC_PER_SEC;
		alive = alive < period ? alive : period;
		used = alive > 0 ? st->cpu_period / alive * 1000 : 0;
		st->cpu_permille = used > 1000 ? 1000 : (unsigned int)lround(used);
		st->cpu_period = 0;
	}
}

static void decide(struct sim_run *r, int pol, unsigned long long now)
{
	switch (pol) {
	case P_ALWAYS:
		pass_always(r, now);
		break;
	case P_AUTONUMA:
		pass_autonuma(r, now);
		break;
	case P_NUMAD:
		pass_numad(r, now);
		break;
	case P_NUMAMIG:
		pass_numamig(r, now);
		break;
	case P_ORACLE:
		pass_oracle(r, now);
		break;
	}
}

/* Run every task for one tick; those that finish leave. */
static void step(struct sim_run *r, unsigned long long now)
{
	double dt = (double)r->o->tick_ns / NSEC_PER_SEC, t_s, rate, cpu, pay;
	double need, used, done;
	unsigned int k = 0, i;
	const struct sim_task *t;
	struct sim_state *st;

	t_s = (double)now / NSEC_PER_SEC;
	while (k < r->nr_active) {
		i = r->active[k];
		t = &r->sc->tasks[i];
		st = &r->st[i];
		rate = rate_of(r->o->cpus, r->demand[st->node]);
		cpu = t->share * rate * dt;
		pay = st->debt < cpu ? st->debt : cpu;
		st->debt -= pay;
		need = st->left * t->slow[st->node];
		if (cpu - pay >= need) {
			used = pay + need;
			st->left = 0;
		} else {
			used = cpu;
			st->left -= (cpu - pay) / t->slow[st->node];
		}
		st->cpu_period += used;
		r->node_cpu[st->node] += used;
		r->res->cpu_s += used;
		if (st->left > 0) {
			k++;
			continue;
		}
		done = t_s + used / (t->share * rate);
		r->res->run_s += done - (double)t->arrive_ns / NSEC_PER_SEC;
		if (done > r->res->makespan_s)
			r->res->makespan_s = done;
		r->demand[st->node] -= t->share;
		r->active[k] = r->active[--r->nr_active];
	}
}

static int run_policy(const struct sim_opts *o, const struct sim_scenario *sc,
		      int pol, struct sim_result *res)
{
	unsigned long long per_period = o->period_ns / o->tick_ns, tick, now;
	unsigned int next = 0, n;
	struct sim_run r;

	memset(&r, 0, sizeof(r));
	memset(res, 0, sizeof(*res));
	r.o = o;
	r.sc = sc;
	r.res = res;
	r.st = calloc(sc->nr_tasks, sizeof(*r.st));
	/* twice: the second half is numad's candidate list */
	r.active = calloc(2 * (size_t)sc->nr_tasks, sizeof(*r.active));
	if (!r.st || !r.active) {
		free(r.st);
		free(r.active);
		return -ENOMEM;
	}
	for (n = 0; n < sc->topo.nr_nodes; n++)
		r.load[n].spare_mcpu = o->cpus * 1000;

	for (tick = 0; next < sc->nr_tasks || r.nr_active; tick++) {
		now = tick * o->tick_ns;
		while (next < sc->nr_tasks && sc->tasks[next].arrive_ns <= now) {
			const struct sim_task *t = &sc->tasks[next];
			struct sim_state *st = &r.st[next];

			st->node = t->start;
			st->left = t->work;
			st->last_move_ns = NEVER;
			st->next_scan_ns = t->arrive_ns + o->an_delay_ns;
			r.demand[st->node] += t->share;
			r.active[r.nr_active++] = next;
			if (pol == P_ORACLE && tick % per_period)
				oracle_one(&r, next, now);
			next++;
		}
		if (tick % per_period == 0) {
			measure(&r, now);
			decide(&r, pol, now);
		}
		step(&r, now);
	}
	free(r.st);
	free(r.active);
	return 0;
}

static void print_header(const struct sim_opts *o)
{
	const struct numamig_params *pp = &o->pp;
	unsigned int i;

	printf("# numamig-sim: thread placement policies against an oracle\n");
	for (i = 0; model_text[i]; i++)
		printf("#   %s\n", model_text[i]);
	printf("# seed %llu, %u tasks, %u CPUs a node, load %.2f, ",
	       o->seed, o->tasks, o->cpus, o->load);
	printf("membound %.2f, local %.2f, split %.2f, hot %.2f%s\n",
	       o->membound, o->local, o->split, o->hot,
	       o->swaps ? ", numamig with swaps" : "");
	printf("# work: mean %.2f s (pareto alpha %.2f; exp), at most %.0f s; ",
	       o->mean_work, o->alpha, o->max_work);
	printf("tick %llu ms, period %llu ms\n", o->tick_ns / NSEC_PER_MSEC,
	       o->period_ns / NSEC_PER_MSEC);
	printf("# numamig: migrate_cost_us %llu refill_us_per_mb %llu ",
	       pp->migrate_cost_ns / NSEC_PER_USEC,
	       pp->refill_ns_per_mb / NSEC_PER_USEC);
	printf("refill_cap_mb %llu margin_permille %u\n", pp->refill_cap_mb,
	       pp->margin_permille);
	printf("#   min_gain_permille %u min_age_ms %llu hold_ms %llu ",
	       pp->min_gain_permille, pp->min_age_ns / NSEC_PER_MSEC,
	       o->hold_ns / NSEC_PER_MSEC);
	printf("cooldown_ms %llu max_moves %u; move cost x %.2f\n",
	       pp->cooldown_ns / NSEC_PER_MSEC, o->max_moves, o->move_cost_x);
	printf("# autonuma: threshold %u permille, scan delay %llu ms, ",
	       o->an_permille, o->an_delay_ns / NSEC_PER_MSEC);
	printf("scan every %llu ms; numad: every %llu ms\n",
	       o->an_scan_ns / NSEC_PER_MSEC, o->numad_ns / NSEC_PER_MSEC);
}

static void print_verdicts(const struct sim_result *res)
{
	unsigned int v;

	printf("%-9s", "");
	for (v = 0; v < NUMAMIG_NR_VERDICTS; v++)
		if (res->verdicts[v])
			printf(" %s %lu", numamig_verdict_name(v),
			       res->verdicts[v]);
	printf("\n");
}

static void print_scenario(const struct sim_opts *o,
			   const struct sim_scenario *sc,
			   const struct sim_result *res)
{
	double oracle = res[P_ORACLE].run_s, regret;
	unsigned int p;

	if (!o->csv) {
		printf("\n%s, %s work: %u tasks\n", sc->topo_name,
		       dist_names[sc->dist], sc->nr_tasks);
		printf("%-9s %14s %9s %7s %12s %11s\n", "policy", "run time s",
		       "regret %", "moves", "CPU time s", "makespan s");
	}
	for (p = 0; p < NR_POLICIES; p++) {
		regret = oracle > 0 ? (res[p].run_s - oracle) / oracle * 100 : 0;
		if (o->csv) {
			printf("%u,%s,%s,%.3f,%.3f,%lu,%.3f,%.3f\n",
			       sc->topo.nr_nodes, dist_names[sc->dist],
			       policy_names[p], res[p].run_s, regret,
			       res[p].moves, res[p].cpu_s, res[p].makespan_s);
			continue;
		}
		printf("%-9s %14.1f %+9.2f %7lu %12.1f %11.1f\n",
		       policy_names[p], res[p].run_s, regret, res[p].moves,
		       res[p].cpu_s, res[p].makespan_s);
		if (o->verbose && p == P_NUMAMIG)
			print_verdicts(&res[p]);
	}
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: numamig-sim [OPTION]...\n"
		"Replay synthetic task populations through numamig's policy library and\n"
		"report each placement policy's total run time and regret against an oracle.\n"
		"\n"
		"  -s, --seed N             seed (default 1)\n"
		"  -n, --tasks N            tasks per scenario (default 10000)\n"
		"  -N, --nodes 2|4|all      topology (default all)\n"
		"  -d, --dist pareto|exp|all  work distribution (default all)\n"
		"      --mean S             mean CPU work of a task, s (default 3)\n"
		"      --alpha A            Pareto shape, > 1 (default 1.5)\n"
		"      --max-work S         cap on a task's work, s (default 3600)\n"
		"      --cpus N             CPUs a node (default 8)\n"
		"      --load X             offered load, share of all CPUs (default 0.5); near 1\n"
		"                           and above, runs take minutes: the oracle is quadratic\n"
		"                           in the tasks running at once\n"
		"  -f, --membound F         share of run time scaling with access cost (default 1)\n"
		"      --local X            share of tasks with all memory where they start (default 0.25)\n"
		"      --split X            share of the others with memory on two nodes (default 0.3)\n"
		"      --hot X              probability a task's memory is homed on node 0 (default 0.3)\n"
		"      --move-cost-x X      true move cost over the cost model's (default 1)\n"
		"      --tick-ms N          simulation step (default 100)\n"
		"      --period-ms N        decision period, a multiple of the tick (default 1000)\n"
		"      --autonuma-threshold N   permille of memory on the target (default 600)\n"
		"      --autonuma-delay-ms N    scan delay (default 1000)\n"
		"      --autonuma-scan-ms N     scan period (default 1000)\n"
		"      --numad-interval-ms N    a multiple of the period (default 15000)\n"
		"  numamig's parameters, defaults as the module's:\n"
		"      --migrate-cost-us N --refill-us-per-mb N --refill-cap-mb N\n"
		"      --margin-permille N --min-gain-permille N --min-age-ms N\n"
		"      --hold-ms N --cooldown-ms N --max-moves N\n"
		"      --swaps              numamig also swaps tasks when no node has room\n"
		"      --csv                CSV: nodes,dist,policy,run_s,regret_pct,moves,cpu_s,makespan_s\n"
		"  -v, --verbose            numamig's verdict counts\n"
		"  -h, --help\n");
}

enum {
	O_MEAN = 256, O_ALPHA, O_MAX_WORK, O_CPUS, O_LOAD, O_LOCAL, O_SPLIT,
	O_HOT, O_MOVE_X, O_TICK, O_PERIOD, O_AN_THR, O_AN_DELAY, O_AN_SCAN,
	O_NUMAD, O_MIGRATE, O_REFILL, O_CAP, O_MARGIN, O_MIN_GAIN, O_MIN_AGE,
	O_HOLD, O_COOLDOWN, O_MAX_MOVES, O_CSV, O_SWAPS,
};

static const struct option long_opts[] = {
	{ "seed", required_argument, NULL, 's' },
	{ "tasks", required_argument, NULL, 'n' },
	{ "nodes", required_argument, NULL, 'N' },
	{ "dist", required_argument, NULL, 'd' },
	{ "membound", required_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "mean", required_argument, NULL, O_MEAN },
	{ "alpha", required_argument, NULL, O_ALPHA },
	{ "max-work", required_argument, NULL, O_MAX_WORK },
	{ "cpus", required_argument, NULL, O_CPUS },
	{ "load", required_argument, NULL, O_LOAD },
	{ "local", required_argument, NULL, O_LOCAL },
	{ "split", required_argument, NULL, O_SPLIT },
	{ "hot", required_argument, NULL, O_HOT },
	{ "move-cost-x", required_argument, NULL, O_MOVE_X },
	{ "tick-ms", required_argument, NULL, O_TICK },
	{ "period-ms", required_argument, NULL, O_PERIOD },
	{ "autonuma-threshold", required_argument, NULL, O_AN_THR },
	{ "autonuma-delay-ms", required_argument, NULL, O_AN_DELAY },
	{ "autonuma-scan-ms", required_argument, NULL, O_AN_SCAN },
	{ "numad-interval-ms", required_argument, NULL, O_NUMAD },
	{ "migrate-cost-us", required_argument, NULL, O_MIGRATE },
	{ "refill-us-per-mb", required_argument, NULL, O_REFILL },
	{ "refill-cap-mb", required_argument, NULL, O_CAP },
	{ "margin-permille", required_argument, NULL, O_MARGIN },
	{ "min-gain-permille", required_argument, NULL, O_MIN_GAIN },
	{ "min-age-ms", required_argument, NULL, O_MIN_AGE },
	{ "hold-ms", required_argument, NULL, O_HOLD },
	{ "cooldown-ms", required_argument, NULL, O_COOLDOWN },
	{ "max-moves", required_argument, NULL, O_MAX_MOVES },
	{ "csv", no_argument, NULL, O_CSV },
	{ "swaps", no_argument, NULL, O_SWAPS },
	{ NULL, 0, NULL, 0 },
};

static const char *opt_name(int c)
{
	unsigned int i;

	for (i = 0; long_opts[i].name; i++)
		if (long_opts[i].val == c)
			return long_opts[i].name;
	return "?";
}

/* An unsigned integer from lo to hi, or exit 2 with a message. */
static unsigned long long arg_uint(int c, const char *s,
				   unsigned long long lo, unsigned long long hi)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v < lo || v > hi) {
		fprintf(stderr, "numamig-sim: --%s: '%s' is not a number from %llu to %llu\n",
			opt_name(c), s, lo, hi);
		exit(2);
	}
	return v;
}

/* A number from lo to hi, or exit 2 with a message. */
static double arg_double(int c, const char *s, double lo, double hi)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= lo && v <= hi)) {
		fprintf(stderr, "numamig-sim: --%s: '%s' is not a number from %g to %g\n",
			opt_name(c), s, lo, hi);
		exit(2);
	}
	return v;
}

static unsigned int arg_choice(int c, const char *s, const char *const *names,
			       unsigned int nr)
{
	unsigned int i;

	if (!strcmp(s, "all"))
		return (1U << nr) - 1;
	for (i = 0; i < nr; i++)
		if (!strcmp(s, names[i]))
			return 1U << i;
	fprintf(stderr, "numamig-sim: --%s: '%s' is not one of the choices (--help)\n",
		opt_name(c), s);
	exit(2);
}

static void defaults(struct sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->tasks = 10000;
	o->topo_mask = 3;
	o->dist_mask = 3;
	o->mean_work = 3;
	o->alpha = 1.5;
	o->max_work = 3600;
	o->cpus = 8;
	o->load = 0.5;
	o->membound = 1;
	o->local = 0.25;
	o->split = 0.3;
	o->hot = 0.3;
	o->move_cost_x = 1;
	o->tick_ns = 100 * NSEC_PER_MSEC;
	o->period_ns = 1000 * NSEC_PER_MSEC;
	o->an_permille = 600;
	o->an_delay_ns = 1000 * NSEC_PER_MSEC;
	o->an_scan_ns = 1000 * NSEC_PER_MSEC;
	o->numad_ns = 15000 * NSEC_PER_MSEC;
	/* module/numamig_params.c and numamig_decide_begin() */
	o->pp.migrate_cost_ns = 500 * NSEC_PER_USEC;
	o->pp.refill_ns_per_mb = 100 * NSEC_PER_USEC;
	o->pp.refill_cap_mb = 32;
	o->pp.margin_permille = 2000;
	o->pp.min_gain_permille = 50;
	o->pp.min_age_ns = 1000 * NSEC_PER_MSEC;
	o->hold_ns = 10000 * NSEC_PER_MSEC;
	o->pp.cooldown_ns = 2000 * NSEC_PER_MSEC;
	o->pp.room_slack_mcpu = ROOM_SLACK_MCPU;
	o->pp.allow_rt = 0;
	o->max_moves = 8;
	o->starve_wait_us = 20000;
}

static void parse(struct sim_opts *o, int argc, char **argv)
{
	const unsigned long long ms = NSEC_PER_MSEC, us = NSEC_PER_USEC;
	int c;

	while ((c = getopt_long(argc, argv, "s:n:N:d:f:vh", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 's':
			o->seed = arg_uint(c, optarg, 0, ~0ULL);
			break;
		case 'n':
			o->tasks = arg_uint(c, optarg, 1, 1000000);
			break;
		case 'N':
			if (!strcmp(optarg, "2") || !strcmp(optarg, "4"))
				o->topo_mask = optarg[0] == '2' ? 1 : 2;
			else if (!strcmp(optarg, "all"))
				o->topo_mask = 3;
			else
				arg_choice(c, optarg, NULL, 0);
			break;
		case 'd':
			o->dist_mask = arg_choice(c, optarg, dist_names, NR_DISTS);
			break;
		case 'f':
			o->membound = arg_double(c, optarg, 0, 1);
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		case O_MEAN:
			o->mean_work = arg_double(c, optarg, 0.01, 3600);
			break;
		case O_ALPHA:
			o->alpha = arg_double(c, optarg, 1.01, 100);
			break;
		case O_MAX_WORK:
			o->max_work = arg_double(c, optarg, 0.01, 1e6);
			break;
		case O_CPUS:
			o->cpus = arg_uint(c, optarg, 1, 1024);
			break;
		case O_LOAD:
			o->load = arg_double(c, optarg, 0.01, 2);
			break;
		case O_LOCAL:
			o->local = arg_double(c, optarg, 0, 1);
			break;
		case O_SPLIT:
			o->split = arg_double(c, optarg, 0, 1);
			break;
		case O_HOT:
			o->hot = arg_double(c, optarg, 0, 1);
			break;
		case O_MOVE_X:
			o->move_cost_x = arg_double(c, optarg, 0, 1e6);
			break;
		case O_TICK:
			o->tick_ns = arg_uint(c, optarg, 1, 60000) * ms;
			break;
		case O_PERIOD:
			o->period_ns = arg_uint(c, optarg, 1, 600000) * ms;
			break;
		case O_AN_THR:
			o->an_permille = arg_uint(c, optarg, 0, 1000);
			break;
		case O_AN_DELAY:
			o->an_delay_ns = arg_uint(c, optarg, 0, 3600000) * ms;
			break;
		case O_AN_SCAN:
			o->an_scan_ns = arg_uint(c, optarg, 1, 3600000) * ms;
			break;
		case O_NUMAD:
			o->numad_ns = arg_uint(c, optarg, 1, 3600000) * ms;
			break;
		case O_MIGRATE:
			o->pp.migrate_cost_ns = arg_uint(c, optarg, 0, 1000000) * us;
			break;
		case O_REFILL:
			o->pp.refill_ns_per_mb = arg_uint(c, optarg, 0, 1000000) * us;
			break;
		case O_CAP:
			o->pp.refill_cap_mb = arg_uint(c, optarg, 0, 1048576);
			break;
		case O_MARGIN:
			o->pp.margin_permille = arg_uint(c, optarg, 0, 1000000);
			break;
		case O_MIN_GAIN:
			o->pp.min_gain_permille = arg_uint(c, optarg, 0, 1000);
			break;
		case O_MIN_AGE:
			o->pp.min_age_ns = arg_uint(c, optarg, 0, 3600000) * ms;
			break;
		case O_HOLD:
			o->hold_ns = arg_uint(c, optarg, 0, 3600000) * ms;
			break;
		case O_COOLDOWN:
			o->pp.cooldown_ns = arg_uint(c, optarg, 0, 600000) * ms;
			break;
		case O_MAX_MOVES:
			o->max_moves = arg_uint(c, optarg, 1, 100000);
			break;
		case O_CSV:
			o->csv = 1;
			break;
		case O_SWAPS:
			o->swaps = 1;
			break;
		default:
			print_usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "numamig-sim: unexpected argument '%s'\n",
			argv[optind]);
		exit(2);
	}
	if (o->period_ns % o->tick_ns || o->numad_ns % o->period_ns) {
		fprintf(stderr, "numamig-sim: %s\n",
			"the period must be a multiple of the tick, and numad's interval of the period");
		exit(2);
	}
	o->pp.horizon_ns = o->hold_ns;
}

int main(int argc, char **argv)
{
	struct sim_result res[NR_POLICIES];
	struct sim_scenario sc;
	struct sim_opts o;
	unsigned int nodes;
	int dist, p;

	defaults(&o);
	parse(&o, argc, argv);
	if (o.csv)
		printf("nodes,dist,policy,run_s,regret_pct,moves,cpu_s,makespan_s\n");
	else
		print_header(&o);
	for (nodes = 2; nodes <= SIM_MAX_NODES; nodes += 2) {
		if (!(o.topo_mask & (nodes / 2)))
			continue;
		for (dist = 0; dist < NR_DISTS; dist++) {
			if (!(o.dist_mask & (1U << dist)))
				continue;
			if (make_population(&o, &sc, nodes, dist))
				goto nomem;
			for (p = 0; p < NR_POLICIES; p++)
				if (run_policy(&o, &sc, p, &res[p]))
					goto nomem;
			print_scenario(&o, &sc, res);
			free(sc.tasks);
		}
	}
	return 0;
nomem:
	fprintf(stderr, "numamig-sim: out of memory\n");
	return 1;
}
