// SPDX-License-Identifier: GPL-2.0
/*
 * advise.c - pre-placement advice (which nodes have room for a new job
 * now, nearest together), and the tail-at-scale arithmetic.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "numamigstat.h"

/* A node a job may be bound to: its load is known and it has spare CPU. */
static bool usable(const struct nms_node *n)
{
	return n->in_nodes && n->spare_mcpu != NMS_NONE && n->spare_mcpu > 0 &&
	       n->cpus != 0;
}

/* The largest distance between a node and any node of a set. */
static int dist_to_set(const struct nms_snap *s, int node, const int *set,
		       int nr)
{
	int i, d, worst = 0;

	for (i = 0; i < nr; i++) {
		d = nms_distance(s, node, set[i]);
		if (d < 0)
			return 0;	/* no topology: all equally near */
		if (d > worst)
			worst = d;
	}
	return worst;
}

struct cand {
	int nr;
	int set[64];
	long long mcpu;
	long long mb;
	int span;
	long long dist_sum;
};

static bool fits(const struct cand *c, long long mcpu, long long mb)
{
	return c->mcpu >= mcpu && (mb <= 0 || c->mb >= mb);
}

/* Is a better than b: fewer nodes, nearer together, more room, lower id. */
static bool better(const struct cand *a, const struct cand *b)
{
	if (!b->nr)
		return true;
	if (a->nr != b->nr)
		return a->nr < b->nr;
	if (a->span != b->span)
		return a->span < b->span;
	if (a->dist_sum != b->dist_sum)
		return a->dist_sum < b->dist_sum;
	if (a->mcpu != b->mcpu)
		return a->mcpu > b->mcpu;
	if (a->mb != b->mb)
		return a->mb > b->mb;
	return a->set[0] < b->set[0];
}

static long long free_mb(const struct nms_node *n)
{
	return n->mem_free_kb == NMS_NONE ? 0 : n->mem_free_kb / 1024;
}

static void add(const struct nms_snap *s, struct cand *c, int i)
{
	int j, d;

	for (j = 0; j < c->nr; j++) {
		d = nms_distance(s, i, c->set[j]);
		if (d > c->span)
			c->span = d;
		if (d > 0)
			c->dist_sum += d;
	}
	c->set[c->nr++] = i;
	c->mcpu += s->nodes[i].spare_mcpu;
	c->mb += free_mb(&s->nodes[i]);
}

/*
 * From a seed, add the node nearest to the set (the smallest largest
 * distance to its members; ties: the most spare CPU, then the lowest id)
 * until the job fits or no node is left.
 */
static void grow(const struct nms_snap *s, int seed, long long mcpu,
		 long long mb, struct cand *c)
{
	bool in[4096] = { false };

	memset(c, 0, sizeof(*c));
	add(s, c, seed);
	in[seed] = true;
	while (!fits(c, mcpu, mb) && c->nr < 64) {
		int i, pick = -1, pd = 0, d;

		for (i = 0; i < s->nr_nodes; i++) {
			if (in[i] || !usable(&s->nodes[i]))
				continue;
			d = dist_to_set(s, i, c->set, c->nr);
			if (pick < 0 || d < pd ||
			    (d == pd && s->nodes[i].spare_mcpu >
			     s->nodes[pick].spare_mcpu)) {
				pick = i;
				pd = d;
			}
		}
		if (pick < 0)
			break;
		add(s, c, pick);
		in[pick] = true;
	}
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

#define EXACT_NODES	16

/* Every set of up to EXACT_NODES usable nodes, the best that fits. */
static void exact(const struct nms_snap *s, const int *use, int nr,
		  long long mcpu, long long mb, struct cand *best)
{
	unsigned int mask, i;
	struct cand c;

	for (mask = 1; mask < 1U << nr; mask++) {
		if (best->nr && __builtin_popcount(mask) > best->nr)
			continue;
		memset(&c, 0, sizeof(c));
		for (i = 0; i < (unsigned int)nr; i++)
			if (mask & (1U << i))
				add(s, &c, use[i]);
		if (fits(&c, mcpu, mb) && better(&c, best))
			*best = c;
	}
}

/**
 * nms_advise() - the nodes, nearest together, with room for a job now
 * @s: a snapshot with nodes, topology and (for @mb) node memory
 * @mcpu: the job's CPUs, in thousandths
 * @mb: the memory it needs, MiB; 0 for none
 * @a: the advice
 * @why: when there is none, why, in a few words
 * @whylen: room in @why
 *
 * Room is the module's spare_mcpu of the last period and the node's
 * MemFree; a node without spare CPU is never advised. The fewest nodes
 * that fit; among those, the nearest together (the smallest largest
 * distance, then the smallest sum of distances), then the most spare
 * CPU, then the most free memory, then the lowest id. Up to EXACT_NODES
 * nodes with room, every set is tried; beyond, sets grown from each node
 * by nearest distance.
 *
 * Return: 0; 1 when no set of nodes has room; -1 when it cannot be
 * known (no nodes file, memory asked for but unknown).
 */
int nms_advise(const struct nms_snap *s, long long mcpu, long long mb,
	       struct nms_advice *a, char *why, size_t whylen)
{
	struct cand best = { 0 }, c;
	long long all_mcpu = 0, all_mb = 0;
	int i, usable_nodes = 0;

	memset(a, 0, sizeof(*a));
	if (!(s->have & NMS_F_NODES)) {
		snprintf(why, whylen, "this module has no nodes file: spare capacity unknown");
		return -1;
	}
	if (s->nr_nodes > 4096) {
		snprintf(why, whylen, "too many nodes");
		return -1;
	}
	for (i = 0; i < s->nr_nodes; i++) {
		const struct nms_node *n = &s->nodes[i];

		if (!usable(n))
			continue;
		if (mb > 0 && n->mem_free_kb == NMS_NONE) {
			snprintf(why, whylen, "free memory of node %d unknown (no meminfo)",
				 n->id);
			return -1;
		}
		usable_nodes++;
		all_mcpu += n->spare_mcpu;
		all_mb += free_mb(n);
	}
	if (!usable_nodes) {
		snprintf(why, whylen, "no node with CPUs listed");
		return -1;
	}
	if (usable_nodes <= EXACT_NODES) {
		int use[EXACT_NODES], nr = 0;

		for (i = 0; i < s->nr_nodes; i++)
			if (usable(&s->nodes[i]))
				use[nr++] = i;
		exact(s, use, nr, mcpu, mb, &best);
	} else {
		for (i = 0; i < s->nr_nodes; i++) {
			if (!usable(&s->nodes[i]))
				continue;
			grow(s, i, mcpu, mb, &c);
			if (fits(&c, mcpu, mb) && better(&c, &best))
				best = c;
		}
	}
	if (!best.nr) {
		if (mb > 0)
			snprintf(why, whylen,
				 "no room: %.3f CPUs spare and %lld MB free on all nodes with spare CPU together",
				 all_mcpu / 1000.0, all_mb);
		else
			snprintf(why, whylen,
				 "no room: %.3f CPUs spare on all nodes together",
				 all_mcpu / 1000.0);
		return 1;
	}
	a->nr = best.nr;
	for (i = 0; i < best.nr; i++)
		a->node[i] = s->nodes[best.set[i]].id;
	qsort(a->node, a->nr, sizeof(int), cmp_int);
	a->spare_mcpu = best.mcpu;
	a->free_mb = (s->have & NMS_F_MEMINFO) ? best.mb : NMS_NONE;
	a->span = best.nr > 1 && s->dist ? best.span : -1;
	return 0;
}

/**
 * nms_nodelist() - node ids as a list numactl takes: "0-2,5"
 * @ids: ascending
 * @nr: how many
 * @buf: the list
 * @len: room in @buf
 */
void nms_nodelist(const int *ids, int nr, char *buf, size_t len)
{
	size_t off = 0;
	int i, j;

	buf[0] = '\0';
	for (i = 0; i < nr; i = j + 1) {
		for (j = i; j + 1 < nr && ids[j + 1] == ids[j] + 1; j++)
			;
		if (off >= len)
			break;
		if (j > i)
			off += snprintf(buf + off, len - off, "%s%d-%d",
					i ? "," : "", ids[i], ids[j]);
		else
			off += snprintf(buf + off, len - off, "%s%d",
					i ? "," : "", ids[i]);
	}
}

/* Busy task-periods: every decision but idle ones, one a task a pass. */
static long long busy_decisions(const struct nms_snap *s)
{
	long long sum = 0;
	int i;

	for (i = 0; i < s->nr_c; i++) {
		const struct nms_counter *c = &s->c[i];

		if (strncmp(c->name, "verdict_", 8) || c->is_text ||
		    !strcmp(c->name, "verdict_idle"))
			continue;
		sum += (long long)c->value;
	}
	return sum;
}

/**
 * nms_tail_measure() - p, the chance a task is moved in one period
 * @prev: the snapshot before (watch mode), or NULL: since load
 * @s: the snapshot
 * @t: the measure
 *
 * Moves are numamig's migrations (in observe mode its decisions to
 * move, none made). Busy task-periods are its decisions other than
 * idle: every watched task gets one verdict a pass. Without verdict
 * counters (an older module): passes times tasks watched now.
 */
void nms_tail_measure(const struct nms_snap *prev, const struct nms_snap *s,
		      struct nms_tail *t)
{
	const struct nms_counter *mode = nms_counter(s, "mode");
	const char *moves;
	long long m1, b1, m0 = 0, b0 = 0;

	memset(t, 0, sizeof(*t));
	t->observe = mode && mode->is_text && strcmp(mode->text, "enforce");
	moves = t->observe ? "verdict_move" : "migrations";
	t->since_load = !prev;
	t->period_ms = s->period_ms == NMS_NONE ? 0 : (double)s->period_ms;

	m1 = nms_value(s, moves);
	b1 = busy_decisions(s);
	if (!b1 && nms_value(s, "worker_runs") > 0 &&
	    nms_value(s, "tasks_tracked") > 0)
		b1 = nms_value(s, "worker_runs") * nms_value(s, "tasks_tracked");
	if (prev) {
		m0 = nms_value(prev, moves);
		b0 = busy_decisions(prev);
		if (!b0 && nms_value(prev, "worker_runs") > 0 &&
		    nms_value(prev, "tasks_tracked") > 0)
			b0 = nms_value(prev, "worker_runs") *
			     nms_value(prev, "tasks_tracked");
	}
	if (m1 == NMS_NONE || m0 == NMS_NONE || m1 < m0 || b1 <= b0)
		return;
	t->moves = m1 - m0;
	t->task_periods = (double)(b1 - b0);
	t->known = true;
	t->p = t->moves / t->task_periods;
	if (t->p > 1)
		t->p = 1;
	t->p_upper = 3 / t->task_periods;
	if (t->p_upper > 1)
		t->p_upper = 1;
}

/**
 * nms_step_hit() - the chance at least one of n ranks is moved in a step
 * @p: the chance for one rank
 * @n: ranks
 *
 * Return: 1 - (1 - p)^n, by repeated squaring (no libm).
 */
double nms_step_hit(double p, long long n)
{
	double base = 1 - p, r = 1;

	if (p <= 0 || n <= 0)
		return 0;
	if (p >= 1)
		return 1;
	while (n) {
		if (n & 1)
			r *= base;
		base *= base;
		n >>= 1;
	}
	return 1 - r;
}
