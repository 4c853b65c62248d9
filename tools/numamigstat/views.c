// SPDX-License-Identifier: GPL-2.0
/*
 * views.c - numamigstat's text views: the summary, the raw counters, the
 * task table, one task explained, the tail at scale and the advice.
 * Plain columns, one screen; "-" where the module does not say.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "numamigstat.h"

/* "12.3" from per mille, "-" if unknown. */
static const char *pct(char *buf, size_t len, long long permille)
{
	if (permille == NMS_NONE)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", permille / 10.0);
	return buf;
}

static const char *num(char *buf, size_t len, long long v)
{
	if (v == NMS_NONE)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%lld", v);
	return buf;
}

/* A node id, "-" for none (-1) or unknown. */
static const char *node_str(char *buf, size_t len, long long v)
{
	return num(buf, len, v < 0 ? NMS_NONE : v);
}

static const char *text(const char *s)
{
	return *s ? s : "-";
}

/**
 * nms_elapsed() - seconds between two snapshots
 * @prev: the earlier
 * @cur: the later
 *
 * Return: the time between their reads of stats.
 */
double nms_elapsed(const struct nms_snap *prev, const struct nms_snap *cur)
{
	return (cur->when.tv_sec - prev->when.tv_sec) +
	       (cur->when.tv_nsec - prev->when.tv_nsec) / 1e9;
}

/**
 * nms_rate() - a counter's rate per second between two snapshots
 * @prev: the earlier
 * @cur: the later
 * @name: the counter
 * @rate: the rate
 *
 * Return: false when either lacks it, it went down (the module was
 * loaded again) or no time passed.
 */
bool nms_rate(const struct nms_snap *prev, const struct nms_snap *cur,
	      const char *name, double *rate)
{
	long long a = nms_value(prev, name), b = nms_value(cur, name);
	double dt = nms_elapsed(prev, cur);

	if (a == NMS_NONE || b == NMS_NONE || b < a || dt <= 0)
		return false;
	*rate = (b - a) / dt;
	return true;
}

/* Pairs: a verdict or release as the module prints it, then why, in words. */
static const char *const whys[] = {
	"move",
	"benefit beat cost x margin and the target had room: moved (enforce) or would be (observe)",
	"pinned",
	"its allowed CPUs leave out CPUs the scheduler balances over (taskset, cpuset, numactl): never touched",
	"realtime",
	"SCHED_FIFO, SCHED_RR or SCHED_DEADLINE, and allow_rt is 0",
	"excluded",
	"out of the scope comm_include, comm_exclude, cgroup_include and cgroup_exclude set: never moved",
	"idle",
	"used no CPU in the last period",
	"no_info",
	"it is not known yet where its memory is",
	"local",
	"no node it may run on is cheaper by min_gain_permille",
	"short_lived",
	"younger than min_age_ms, or the move pays over hold_ms but not over its age",
	"cooldown",
	"it changed node less than cooldown_ms ago",
	"no_capacity",
	"every better node has less spare CPU than it uses",
	"below_threshold",
	"the benefit does not beat cost x margin_permille",
	"rate_limited",
	"max_moves moves were made in this period already",
	"swapped",
	"no room where it would go: exchanged nodes with a task there that gains or loses nothing, both moves paying together",
	"held",
	"numamig holds it on a node already (in decisions: the hold renewed, its memory still best served there)",
	"invalid",
	"bad input to the decision (a bug: please report it)",
	"release:expired",
	"hold_ms passed: its own CPUs given back",
	"release:starving",
	"waited longer than starve_wait_us for a CPU: its own CPUs given back",
	"release:user_changed",
	"its CPUs were changed by someone else: hold forgotten, nothing given back",
	"release:mode",
	"mode left enforce: its own CPUs given back",
	"release:excluded",
	"it left the scope (comm_*, cgroup_* parameters, or its name or cgroup changed): its own CPUs given back",
	"release:unload",
	"numamig unloaded: its own CPUs given back",
	"release:exited",
	"it exited",
	"release:child",
	"forked while its parent was held: given the parent's own CPUs",
	"release:partner",
	"the hold of the task it swapped with ended: its own CPUs given back",
};

/**
 * nms_verdict_why() - a verdict or release explained in a few words
 * @what: as decisions and tasks print it
 *
 * Return: the explanation, "" for one this numamigstat does not know.
 */
const char *nms_verdict_why(const char *what)
{
	size_t i;

	for (i = 0; i + 1 < ARRAY_SIZE(whys); i += 2)
		if (!strcmp(whys[i], what))
			return whys[i + 1];
	return "";
}

static const char *sort_key;

static long long sort_value(const struct nms_task *t)
{
	if (!strcmp(sort_key, "remote"))
		return t->remote_permille;
	if (!strcmp(sort_key, "runtime"))
		return t->cpu_permille;
	if (!strcmp(sort_key, "pid"))
		return t->pid == NMS_NONE ? NMS_NONE : -t->pid;
	return t->slowdown_permille;
}

/* Largest first, unknown last, then by pid. */
static int cmp_task(const void *a, const void *b)
{
	const struct nms_task *x = a, *y = b;
	long long vx = sort_value(x), vy = sort_value(y);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/**
 * nms_sort_tasks() - sort the task table
 * @s: the snapshot
 * @key: slowdown, remote, runtime (CPU use) or pid
 */
void nms_sort_tasks(struct nms_snap *s, const char *key)
{
	sort_key = key;
	if (s->nr_tasks)
		qsort(s->tasks, s->nr_tasks, sizeof(*s->tasks), cmp_task);
}

/**
 * nms_find_tasks() - the thread with an id, else the threads of a process
 * @s: the snapshot
 * @pid: a thread or process id
 * @idx: indexes into s->tasks
 * @max: room in @idx
 *
 * Return: how many were found (at most @max).
 */
int nms_find_tasks(const struct nms_snap *s, long long pid, int *idx,
		   int max)
{
	int i, n = 0;

	for (i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i].pid == pid && max > 0) {
			idx[0] = i;
			return 1;
		}
	for (i = 0; i < s->nr_tasks && n < max; i++)
		if (s->tasks[i].tgid == pid)
			idx[n++] = i;
	return n;
}

/**
 * nms_access_costs() - a task's memory access cost on each node
 * @s: the snapshot, with topology
 * @t: the task
 * @cost: per node of s->nodes: the mean cost of an access, 1.0 for all
 *	local (SLIT distance / 10, weighted by where its memory is); -1
 *	when unknown
 *
 * The cost model of Documentation/design.rst, in floating point: for
 * showing, not for deciding.
 */
void nms_access_costs(const struct nms_snap *s, const struct nms_task *t,
		      double *cost)
{
	int i, j;

	for (i = 0; i < s->nr_nodes; i++) {
		double sum = 0, w = 0;

		cost[i] = -1;
		if (!t->nr_mem)
			continue;
		for (j = 0; j < t->nr_mem; j++) {
			const struct nms_node *m;
			int d;

			if (!t->mem_permille[j])
				continue;
			m = nms_node_by_id(s, j);
			d = m ? nms_distance(s, i, m - s->nodes) : -1;
			if (d <= 0)
				break;
			sum += t->mem_permille[j] * d / 10.0;
			w += t->mem_permille[j];
		}
		if (j == t->nr_mem && w > 0)
			cost[i] = sum / w;
	}
}

/*
 * The non-zero counters named PREFIX<x> as "x N, y M" (rates with prev),
 * largest first: verdict_ and release_. Return: how many were shown.
 */
static int count_prefixed(const struct nms_snap *s, const char *prefix,
			  const struct nms_snap *prev, FILE *f)
{
	size_t pl = strlen(prefix);
	int i, j, shown = 0, order[512], n = 0;
	double v[512];

	for (i = 0; i < s->nr_c && n < 512; i++) {
		const struct nms_counter *c = &s->c[i];
		double r;

		if (strncmp(c->name, prefix, pl) || c->is_text)
			continue;
		if (prev) {
			if (!nms_rate(prev, s, c->name, &r))
				continue;
		} else {
			r = (double)c->value;
		}
		if (r <= 0)
			continue;
		/* insertion sort, largest first */
		for (j = n; j > 0 && v[j - 1] < r; j--) {
			v[j] = v[j - 1];
			order[j] = order[j - 1];
		}
		v[j] = r;
		order[j] = i;
		n++;
	}
	for (j = 0; j < n; j++) {
		const struct nms_counter *c = &s->c[order[j]];

		if (prev)
			fprintf(f, "%s%s %.1f", shown++ ? ", " : "",
				c->name + pl, v[j]);
		else
			fprintf(f, "%s%s %llu", shown++ ? ", " : "",
				c->name + pl, c->value);
	}
	return shown;
}

/* Tasks now, by the value of a text column. */
static void count_tasks_by(const struct nms_snap *s, bool by_source, FILE *f)
{
	const char *seen[64];
	int cnt[64], n = 0, i, j;

	for (i = 0; i < s->nr_tasks; i++) {
		const char *v = by_source ? s->tasks[i].source : s->tasks[i].verdict;

		v = text(v);
		for (j = 0; j < n; j++)
			if (!strcmp(seen[j], v))
				break;
		if (j == n) {
			if (n == 64)
				continue;
			seen[n] = v;
			cnt[n++] = 0;
		}
		cnt[j]++;
	}
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s %d", i ? ", " : "", seen[i], cnt[i]);
	if (!n)
		fprintf(f, "none");
}

static void node_table(FILE *f, const struct nms_snap *s)
{
	char b1[32], b2[32], b3[32], b4[32], b5[32], b6[32], b7[32];
	int i;

	if (!s->nr_nodes) {
		fprintf(f, "nodes       none listed (this module has no nodes or topology file)\n");
		return;
	}
	fprintf(f, "%4s %5s %6s %10s %9s %9s %6s %5s  %s\n", "NODE", "CPUS",
		"BUSY%", "SPARE_CPUS", "MEM_MB", "FREE_MB", "TASKS", "HELD",
		"CPULIST");
	for (i = 0; i < s->nr_nodes; i++) {
		const struct nms_node *n = &s->nodes[i];
		int tasks = 0, held = 0, j;

		for (j = 0; j < s->nr_tasks; j++) {
			tasks += s->tasks[j].node == n->id;
			held += s->tasks[j].held_node == n->id;
		}
		if (n->spare_mcpu == NMS_NONE)
			snprintf(b3, sizeof(b3), "-");
		else
			snprintf(b3, sizeof(b3), "%.2f", n->spare_mcpu / 1000.0);
		fprintf(f, "%4d %5s %6s %10s %9s %9s %6s %5s  %s\n", n->id,
			num(b1, sizeof(b1), n->cpus),
			pct(b2, sizeof(b2), n->busy_permille), b3,
			num(b4, sizeof(b4), n->mem_total_kb == NMS_NONE ?
			    NMS_NONE : n->mem_total_kb / 1024),
			num(b5, sizeof(b5), n->mem_free_kb == NMS_NONE ?
			    NMS_NONE : n->mem_free_kb / 1024),
			(s->have & NMS_F_TASKS) ? num(b6, sizeof(b6), tasks) : "-",
			(s->have & NMS_F_TASKS) ? num(b7, sizeof(b7), held) : "-",
			text(n->cpulist));
	}
}

static const char *mode_of(const struct nms_snap *s)
{
	const struct nms_counter *c = nms_counter(s, "mode");

	return c && c->is_text ? c->text : "-";
}

/*
 * The kernel's other placers: NUMA balancing's task moves, as numamig's
 * probes count them, and numad, which the module looks for. Nothing
 * from a module that knows neither.
 */
static void others(FILE *f, const struct nms_snap *s)
{
	long long mv = nms_value(s, "sched_move_numa");
	long long sw = nms_value(s, "sched_swap_numa");
	long long running = nms_value(s, "numad_running");
	long long pid = nms_value(s, "numad_pid");
	char b1[32], b2[32];

	if (mv == NMS_NONE && sw == NMS_NONE && running == NMS_NONE)
		return;
	fprintf(f, "%-11s NUMA balancing moved %s and swapped %s tasks since load",
		"others", num(b1, sizeof(b1), mv), num(b2, sizeof(b2), sw));
	if (running == NMS_NONE)
		fprintf(f, "\n");
	else if (running)
		fprintf(f, "; numad running (pid %s): it places processes too\n",
			num(b1, sizeof(b1), pid));
	else
		fprintf(f, "; numad not running\n");
}

static void summary(FILE *f, const struct nms_snap *s,
		    const struct nms_snap *prev)
{
	long long runs = nms_value(s, "worker_runs");
	long long mig = nms_value(s, "migrations");
	long long hw = nms_value(s, "hw_counters_available");
	char b1[32], b2[32], b3[32], b4[32];
	double r, dt = prev ? nms_elapsed(prev, s) : 0;

	fprintf(f,
		"numamig     mode %s, %s tasks watched, %s held, %s tracepoints attached, %s worker passes\n",
		mode_of(s), num(b1, sizeof(b1), nms_value(s, "tasks_tracked")),
		num(b2, sizeof(b2), nms_value(s, "holds")),
		num(b3, sizeof(b3), nms_value(s, "tracepoints_attached")),
		num(b4, sizeof(b4), runs));

	fprintf(f, "sources     ");
	if (s->have & NMS_F_TASKS) {
		fprintf(f, "tasks by source: ");
		count_tasks_by(s, true, f);
	} else {
		fprintf(f, "tasks by source: - (%s)",
			(s->broken & NMS_F_TASKS) ? "tasks file unusable" :
			"no tasks file");
	}
	fprintf(f, "; hardware counters: %s\n",
		hw == NMS_NONE ? "-" : hw ? "available" : "not available");

	fprintf(f, "verdicts    %s: ", prev ? "per second" : "since load");
	if (!count_prefixed(s, "verdict_", prev, f))
		fprintf(f, "none");
	fprintf(f, "\n");
	if (s->have & NMS_F_TASKS) {
		fprintf(f, "            tasks now: ");
		count_tasks_by(s, false, f);
		fprintf(f, "\n");
	}

	fprintf(f, "migrations  ");
	if (prev) {
		if (nms_rate(prev, s, "migrations", &r))
			fprintf(f, "%.2f/s", r);
		else if (mig != NMS_NONE && mig < nms_value(prev, "migrations"))
			fprintf(f, "-/s (counters went back: module reloaded?)");
		else
			fprintf(f, "-/s");
		if (nms_rate(prev, s, "migrate_errors", &r))
			fprintf(f, ", errors %.2f/s", r);
		fprintf(f, ", holds ended per second: ");
		if (!count_prefixed(s, "release_", prev, f))
			fprintf(f, "none");
		fprintf(f, " (over %.1f s)\n", dt);
	} else {
		fprintf(f, "%s since load (%s errors), holds ended: ",
			num(b1, sizeof(b1), mig),
			num(b2, sizeof(b2), nms_value(s, "migrate_errors")));
		if (!count_prefixed(s, "release_", NULL, f))
			fprintf(f, "none");
		if (mig != NMS_NONE && runs > 0 && s->period_ms != NMS_NONE &&
		    s->period_ms > 0)
			fprintf(f, "; about %.2f/s (%lld passes of %lld ms); -w for rates\n",
				mig / (runs * s->period_ms / 1000.0), runs,
				s->period_ms);
		else
			fprintf(f, "; -w for rates\n");
	}
	others(f, s);
	if (prev && nms_rate(prev, s, "worker_cpu_ns_total", &r))
		fprintf(f, "worker      %.2f%% of a CPU\n", r / 1e7);
	node_table(f, s);
}

static void counters(FILE *f, const struct nms_snap *s,
		     const struct nms_snap *prev)
{
	int i, width = 0;
	double r;

	for (i = 0; i < s->nr_c; i++) {
		int w = (int)strlen(s->c[i].name);

		if (w > width)
			width = w;
	}
	if (prev)
		fprintf(f, "%-*s %20s %14s\n", width, "counter", "value", "per_s");
	else
		fprintf(f, "%-*s %20s\n", width, "counter", "value");
	for (i = 0; i < s->nr_c; i++) {
		const struct nms_counter *c = &s->c[i];

		if (c->is_text)
			fprintf(f, "%-*s %20s", width, c->name, c->text);
		else
			fprintf(f, "%-*s %20llu", width, c->name, c->value);
		if (prev && !c->is_text && nms_rate(prev, s, c->name, &r))
			fprintf(f, " %14.2f", r);
		else if (prev)
			fprintf(f, " %14s", "-");
		fprintf(f, "\n");
	}
}

static const char *ago(char *buf, size_t len, long long ms)
{
	if (ms == NMS_NONE || ms < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", ms / 1000.0);
	return buf;
}

static void task_table(FILE *f, const struct nms_opts *o,
		       struct nms_snap *s)
{
	char b[12][32];
	int i, n;

	nms_sort_tasks(s, o->sort);
	n = s->nr_tasks;
	if (o->top >= 0 && o->top < n)
		n = (int)o->top;
	fprintf(f, "%d tasks watched, sorted by %s%s\n", s->nr_tasks, o->sort,
		n < s->nr_tasks ? ", top ones shown" : "");
	fprintf(f, "%7s %7s %-15s %4s %6s %8s %7s %9s %4s %-7s %-15s %6s %4s %9s\n",
		"PID", "TGID", "COMM", "NODE", "CPU%", "WAIT_US", "REMOTE%",
		"SLOWDOWN%", "BEST", "SOURCE", "VERDICT", "TARGET", "HELD",
		"MOVED_S");
	for (i = 0; i < n; i++) {
		const struct nms_task *t = &s->tasks[i];

		fprintf(f, "%7s %7s %-15s %4s %6s %8s %7s %9s %4s %-7s %-15s %6s %4s %9s\n",
			num(b[0], 32, t->pid), num(b[1], 32, t->tgid),
			text(t->comm), node_str(b[2], 32, t->node),
			pct(b[3], 32, t->cpu_permille),
			num(b[4], 32, t->wait_us),
			pct(b[5], 32, t->remote_permille),
			pct(b[6], 32, t->slowdown_permille),
			node_str(b[7], 32, t->best_node), text(t->source),
			text(t->verdict), node_str(b[8], 32, t->target),
			node_str(b[9], 32, t->held_node),
			ago(b[10], 32, t->migrated_ms_ago));
	}
}

static void per_node_line(FILE *f, const char *label, const long long *v,
			  int nr)
{
	int i;

	fprintf(f, "%-12s", label);
	if (!nr)
		fprintf(f, "-");
	for (i = 0; i < nr; i++)
		fprintf(f, "%snode %d %.1f%%", i ? ", " : "", i, v[i] / 10.0);
}

static const struct nms_decision *last_weighed(const struct nms_snap *s,
					       long long pid)
{
	int i;

	for (i = s->nr_dec - 1; i >= 0; i--)
		if (s->dec[i].pid == pid &&
		    (s->dec[i].benefit_us > 0 || s->dec[i].cost_us > 0))
			return &s->dec[i];
	return NULL;
}

static void best_move(FILE *f, const struct nms_snap *s,
		      const struct nms_task *t, const double *cost)
{
	const struct nms_decision *d = last_weighed(s, t->pid);
	const struct nms_node *cur = nms_node_by_id(s, t->node);
	const struct nms_node *best = nms_node_by_id(s, t->best_node);
	double cc = cur ? cost[cur - s->nodes] : -1;
	double bc = best ? cost[best - s->nodes] : -1;

	fprintf(f, "best move   ");
	if (t->best_node == NMS_NONE || t->best_node < 0)
		fprintf(f, "- (the module gives no best node)");
	else if (t->best_node == t->node)
		fprintf(f, "none: it runs on its best node, %lld", t->node);
	else if (cc > 0 && bc > 0)
		fprintf(f,
			"to node %lld: its memory accesses would cost %.0f%% less (%.2f -> %.2f)",
			t->best_node, 100.0 * (cc - bc) / cc, cc, bc);
	else
		fprintf(f, "to node %lld", t->best_node);
	fprintf(f, "\n");
	if (!d) {
		fprintf(f, "            benefit and cost: not weighed in the decisions kept\n");
		return;
	}
	fprintf(f,
		"            last weighed %.1f s ago, to node %lld: benefit %lld us, cost %lld us",
		d->ms_ago / 1000.0, d->to, d->benefit_us, d->cost_us);
	if (d->cost_us > 0)
		fprintf(f, " (%.1f times", (double)d->benefit_us / d->cost_us);
	else
		fprintf(f, " (");
	if (s->margin_permille != NMS_NONE)
		fprintf(f, "%sa move needs more than %.1f)\n",
			d->cost_us > 0 ? "; " : "", s->margin_permille / 1000.0);
	else
		fprintf(f, "%sa move needs more than margin_permille / 1000)\n",
			d->cost_us > 0 ? "; " : "");
}

static void explain(FILE *f, const struct nms_opts *o,
		    const struct nms_snap *s, const struct nms_task *t)
{
	double *cost = calloc(s->nr_nodes ? s->nr_nodes : 1, sizeof(double));
	char b1[32], b2[32], b3[32];
	int i, shown = 0, total = 0;

	fprintf(f, "task %lld %s, process %s\n", t->pid, text(t->comm),
		num(b1, sizeof(b1), t->tgid));
	fprintf(f, "runs on     node %s, %s%% of a CPU, %s us mean wait from wakeup to run\n",
		node_str(b1, sizeof(b1), t->node),
		pct(b2, sizeof(b2), t->cpu_permille),
		num(b3, sizeof(b3), t->wait_us));
	per_node_line(f, "run time", t->run_permille, t->nr_run);
	fprintf(f, "\n");
	per_node_line(f, "memory", t->mem_permille, t->nr_mem);
	fprintf(f, " (source: %s)\n", text(t->source));
	fprintf(f, "remote      %s%% of its memory is not on node %s\n",
		pct(b1, sizeof(b1), t->remote_permille),
		node_str(b2, sizeof(b2), t->node));
	if (cost) {
		nms_access_costs(s, t, cost);
		fprintf(f, "access cost ");
		for (i = 0; i < s->nr_nodes; i++)
			if (cost[i] > 0)
				fprintf(f, "%snode %d %.2f", shown++ ? ", " : "",
					s->nodes[i].id, cost[i]);
		fprintf(f, shown ? " (1.00: all local)\n" :
			"- (needs topology and where its memory is)\n");
	}
	fprintf(f, "slowdown    %s%% against node %s, its best",
		pct(b1, sizeof(b1), t->slowdown_permille),
		node_str(b2, sizeof(b2), t->best_node));
	if (t->slowdown_permille != NMS_NONE && t->best_node >= 0)
		fprintf(f, ": its memory accesses take %.2f times as long as there",
			(1000 + t->slowdown_permille) / 1000.0);
	fprintf(f, "\n");
	if (cost)
		best_move(f, s, t, cost);
	free(cost);
	fprintf(f, "now         verdict %s", text(t->verdict));
	if (t->target >= 0)
		fprintf(f, " to node %lld", t->target);
	if (t->held_node >= 0)
		fprintf(f, ", held on node %lld", t->held_node);
	else if (t->held_node != NMS_NONE)
		fprintf(f, ", not held");
	fprintf(f, ", last migrated (by anyone) %s s ago",
		ago(b1, sizeof(b1), t->migrated_ms_ago));
	if (t->numa_moved_ms_ago >= 0)
		fprintf(f, ", moved by NUMA balancing %s s ago",
			ago(b1, sizeof(b1), t->numa_moved_ms_ago));
	fprintf(f, "\n");
	if (*t->verdict && *nms_verdict_why(t->verdict))
		fprintf(f, "            %s: %s\n", t->verdict,
			nms_verdict_why(t->verdict));

	if (!(s->have & NMS_F_DECISIONS)) {
		fprintf(f, "decisions   - (no decisions file)\n");
		return;
	}
	for (i = 0; i < s->nr_dec; i++)
		total += s->dec[i].pid == t->pid;
	if (!total) {
		fprintf(f, "decisions   none kept for it (the last %d of all tasks are kept)\n",
			s->nr_dec);
		return;
	}
	fprintf(f, "decisions   newest first, %lld of %d kept for it:\n",
		o->top >= 0 && o->top < total ? o->top : (long long)total, total);
	fprintf(f, "  %8s %4s %4s %-22s %10s %8s %9s  %s\n", "AGO_S", "FROM",
		"TO", "WHAT", "BENEFIT_US", "COST_US", "SLOWDOWN%", "WHY");
	shown = 0;
	for (i = s->nr_dec - 1; i >= 0; i--) {
		const struct nms_decision *d = &s->dec[i];
		char b[6][32];

		if (d->pid != t->pid)
			continue;
		if (o->top >= 0 && shown >= o->top)
			break;
		shown++;
		fprintf(f, "  %8s %4s %4s %-22s %10s %8s %9s  ",
			ago(b[0], 32, d->ms_ago), node_str(b[1], 32, d->from),
			node_str(b[2], 32, d->to), text(d->what),
			num(b[3], 32, d->benefit_us), num(b[4], 32, d->cost_us),
			pct(b[5], 32, d->slowdown_permille));
		if (d->partner > 0)
			fprintf(f, "with pid %lld: ", d->partner);
		fprintf(f, "%s\n", nms_verdict_why(d->what));
	}
}

static void tail_row(FILE *f, double p, long long n, bool mine)
{
	double hit = nms_step_hit(p, n);
	char steps[32];

	if (hit > 0)
		snprintf(steps, sizeof(steps), "%.1f", 1 / hit);
	else
		snprintf(steps, sizeof(steps), "-");
	fprintf(f, "%12lld %13.2f %15.4f %14s%s\n", n, 100 * hit, p * n,
		steps, mine ? "  <- -N" : "");
}

static void tail_view(FILE *f, const struct nms_opts *o,
		      const struct nms_snap *s, const struct nms_snap *prev)
{
	static const long long ladder[] = { 1, 10, 100, 1000, 10000, 100000,
					    1000000 };
	size_t i, nl = ARRAY_SIZE(ladder);
	struct nms_tail t;
	double p;

	nms_tail_measure(prev, s, &t);
	fprintf(f,
		"tail at scale: a step of %lld ranks waits for the slowest, so a move of any rank hits the step\n",
		o->ranks);
	if (!t.known) {
		fprintf(f, "p           unknown: no busy task was decided on %s\n",
			t.since_load ? "since load" : "in this interval");
		return;
	}
	p = t.moves ? t.p : t.p_upper;
	fprintf(f, "p           %.6f per task per period (%s %llu, busy task-periods %.0f, %s)\n",
		t.p, t.observe ? "mode observe, decisions to move" : "moves",
		t.moves, t.task_periods,
		t.since_load ? "since load" : "in this interval");
	if (!t.moves)
		fprintf(f,
			"            none seen: p < %.6f with 95%% confidence (3 / task-periods), used below\n",
			t.p_upper);
	if (t.period_ms > 0)
		fprintf(f,
			"step        one worker period, %.0f ms; for a step k periods long read the row for ranks x k\n",
			t.period_ms);
	else
		fprintf(f,
			"step        one worker period (period_ms); for a step k periods long read the row for ranks x k\n");
	fprintf(f, "%12s %13s %15s %14s\n", "RANKS", "P(STEP_HIT)%",
		"MOVES_PER_STEP", "STEPS_PER_HIT");
	for (i = 0; i < nl && ladder[i] < o->ranks; i++)
		tail_row(f, p, ladder[i], false);
	tail_row(f, p, o->ranks, true);
	for (; i < nl; i++) {
		if (ladder[i] > o->ranks) {
			tail_row(f, p, ladder[i], false);
			break;
		}
	}
}

/* When a process's main thread was asked for: its other watched threads. */
static void other_threads(FILE *f, const struct nms_snap *s, long long pid)
{
	int i, shown = 0;

	for (i = 0; i < s->nr_tasks; i++) {
		const struct nms_task *t = &s->tasks[i];
		char b[32];

		if (t->tgid != pid || t->pid == pid)
			continue;
		if (!shown++)
			fprintf(f, "threads     also watched in process %lld (-p TID):", pid);
		fprintf(f, " %lld (slowdown %s%%)", t->pid,
			pct(b, sizeof(b), t->slowdown_permille));
	}
	if (shown)
		fprintf(f, "\n");
}

/**
 * nms_not_watched() - say in one line that a pid is not in the table
 * @pid: the pid asked for
 */
void nms_not_watched(long long pid)
{
	fprintf(stderr,
		"%s: pid %lld is not watched by numamig (it watches threads over min_rss_mb and min_cpu_permille)\n",
		nms_prog, pid);
}

/* Only the list, so that $(numamigstat --advise 4) goes to numactl. */
static int advise(FILE *f, const struct nms_opts *o, const struct nms_snap *s)
{
	struct nms_advice a;
	char why[256], list[512];
	int r;

	r = nms_advise(s, o->adv_mcpu, o->adv_mb, &a, why, sizeof(why));
	if (r) {
		fprintf(stderr, "%s: %s\n", nms_prog, why);
		return r > 0 ? 3 : 1;
	}
	nms_nodelist(a.node, a.nr, list, sizeof(list));
	fprintf(f, "%s\n", list);
	return 0;
}

/**
 * nms_text() - print a view as text
 * @f: where
 * @o: the options: which view, sorting
 * @s: the snapshot
 * @prev: the snapshot before, in watch mode (rates); NULL otherwise
 *
 * Return: the exit status: 0; 1 when the task asked for is not watched
 * or advice cannot be given; 3 when no nodes have room for the job.
 */
int nms_text(FILE *f, const struct nms_opts *o, struct nms_snap *s,
	     const struct nms_snap *prev)
{
	int idx[256], n, i;

	switch (o->view) {
	case NMS_V_COUNTERS:
		counters(f, s, prev);
		return 0;
	case NMS_V_TASKS:
		task_table(f, o, s);
		return 0;
	case NMS_V_PID:
		n = nms_find_tasks(s, o->pid, idx, 256);
		if (!n) {
			nms_not_watched(o->pid);
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (i)
				fprintf(f, "\n");
			explain(f, o, s, &s->tasks[idx[i]]);
		}
		if (s->tasks[idx[0]].pid == o->pid)
			other_threads(f, s, o->pid);
		return 0;
	case NMS_V_TAIL:
		tail_view(f, o, s, prev);
		return 0;
	case NMS_V_ADVISE:
		return advise(f, o, s);
	default:
		summary(f, s, prev);
		return 0;
	}
}
