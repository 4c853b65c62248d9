// SPDX-License-Identifier: GPL-2.0
/*
 * export.c - every view as one JSON object on one line, and the metrics
 * in the Prometheus text format that node_exporter's textfile collector
 * reads.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "numamigstat.h"

#define JW_DEPTH	16

/* A JSON writer: commas and nesting kept here. */
struct jw {
	FILE *f;
	int depth;
	bool more[JW_DEPTH];
};

static void jw_string(struct jw *w, const char *s)
{
	const unsigned char *p;

	fputc('"', w->f);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(w->f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(w->f, "\\u%04x", *p);
		else
			fputc(*p, w->f);
	}
	fputc('"', w->f);
}

static void jw_key(struct jw *w, const char *key)
{
	if (w->more[w->depth])
		fputc(',', w->f);
	w->more[w->depth] = true;
	if (key) {
		jw_string(w, key);
		fputc(':', w->f);
	}
}

static void jw_open(struct jw *w, const char *key, char c)
{
	if (w->depth >= 0)
		jw_key(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->more[w->depth] = false;
}

static void jw_close(struct jw *w, char c)
{
	fputc(c, w->f);
	w->depth--;
}

static void jw_str(struct jw *w, const char *key, const char *v)
{
	jw_key(w, key);
	if (v)
		jw_string(w, v);
	else
		fputs("null", w->f);
}

static void jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	if (v == NMS_NONE)
		fputs("null", w->f);
	else
		fprintf(w->f, "%lld", v);
}

static void jw_dbl(struct jw *w, const char *key, double v, bool known)
{
	jw_key(w, key);
	if (known)
		fprintf(w->f, "%.6g", v);
	else
		fputs("null", w->f);
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->f);
}

static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

static void jw_per_node(struct jw *w, const char *key, const long long *v,
			int nr)
{
	int i;

	if (!v) {
		jw_str(w, key, NULL);
		return;
	}
	jw_open(w, key, '[');
	for (i = 0; i < nr; i++)
		jw_int(w, NULL, v[i]);
	jw_close(w, ']');
}

static void json_task(struct jw *w, const struct nms_task *t)
{
	jw_int(w, "pid", t->pid);
	jw_int(w, "tgid", t->tgid);
	jw_str(w, "comm", or_null(t->comm));
	jw_int(w, "node", t->node);
	jw_int(w, "cpu_permille", t->cpu_permille);
	jw_int(w, "wait_us", t->wait_us);
	jw_per_node(w, "run_permille", t->run_permille, t->nr_run);
	jw_per_node(w, "mem_permille", t->mem_permille, t->nr_mem);
	jw_int(w, "remote_permille", t->remote_permille);
	jw_int(w, "slowdown_permille", t->slowdown_permille);
	jw_int(w, "best_node", t->best_node);
	jw_str(w, "source", or_null(t->source));
	jw_int(w, "migrated_ms_ago", t->migrated_ms_ago);
	jw_str(w, "verdict", or_null(t->verdict));
	jw_int(w, "target", t->target);
	jw_int(w, "held_node", t->held_node);
	jw_int(w, "numa_moved_ms_ago", t->numa_moved_ms_ago);
}

static void json_decision(struct jw *w, const struct nms_decision *d)
{
	jw_open(w, NULL, '{');
	jw_int(w, "ms_ago", d->ms_ago);
	jw_int(w, "pid", d->pid);
	jw_int(w, "tgid", d->tgid);
	jw_str(w, "comm", or_null(d->comm));
	jw_int(w, "from", d->from);
	jw_int(w, "to", d->to);
	jw_str(w, "what", or_null(d->what));
	jw_int(w, "benefit_us", d->benefit_us);
	jw_int(w, "cost_us", d->cost_us);
	jw_int(w, "slowdown_permille", d->slowdown_permille);
	if (d->partner > 0)
		jw_int(w, "partner", d->partner);
	jw_str(w, "why", or_null(nms_verdict_why(d->what)));
	jw_close(w, '}');
}

static void json_counters(struct jw *w, const struct nms_snap *s,
			  const struct nms_snap *prev)
{
	int i;
	double r;

	jw_open(w, "counters", '{');
	for (i = 0; i < s->nr_c; i++) {
		const struct nms_counter *c = &s->c[i];

		jw_key(w, c->name);
		if (c->is_text)
			jw_string(w, c->text);
		else
			fprintf(w->f, "%llu", c->value);
	}
	jw_close(w, '}');
	if (!prev)
		return;
	jw_open(w, "rates", '{');
	for (i = 0; i < s->nr_c; i++)
		if (!s->c[i].is_text && nms_rate(prev, s, s->c[i].name, &r))
			jw_dbl(w, s->c[i].name, r, true);
	jw_close(w, '}');
}

static void json_nodes(struct jw *w, const struct nms_snap *s)
{
	int i, j;

	jw_open(w, "nodes", '[');
	for (i = 0; i < s->nr_nodes; i++) {
		const struct nms_node *n = &s->nodes[i];
		int tasks = 0, held = 0;

		for (j = 0; j < s->nr_tasks; j++) {
			tasks += s->tasks[j].node == n->id;
			held += s->tasks[j].held_node == n->id;
		}
		jw_open(w, NULL, '{');
		jw_int(w, "node", n->id);
		jw_int(w, "cpus", n->cpus);
		jw_str(w, "cpulist", or_null(n->cpulist));
		jw_int(w, "busy_permille", n->busy_permille);
		jw_int(w, "spare_mcpu", n->spare_mcpu);
		jw_int(w, "mem_total_kb", n->mem_total_kb);
		jw_int(w, "mem_free_kb", n->mem_free_kb);
		jw_int(w, "tasks", (s->have & NMS_F_TASKS) ? tasks : NMS_NONE);
		jw_int(w, "held", (s->have & NMS_F_TASKS) ? held : NMS_NONE);
		if (s->dist) {
			jw_open(w, "distance", '{');
			for (j = 0; j < s->nr_nodes; j++) {
				char key[16];
				int d = nms_distance(s, i, j);

				if (d < 0)
					continue;
				snprintf(key, sizeof(key), "%d", s->nodes[j].id);
				jw_int(w, key, d);
			}
			jw_close(w, '}');
		}
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* Tasks now by a text column: {"faults":4,"sample":1}. */
static void json_tasks_by(struct jw *w, const char *key,
			  const struct nms_snap *s, bool by_source)
{
	int i, j;

	jw_open(w, key, '{');
	for (i = 0; i < s->nr_tasks; i++) {
		const char *v = by_source ? s->tasks[i].source : s->tasks[i].verdict;
		int n = 0;

		for (j = 0; j < i; j++)
			if (!strcmp(v, by_source ? s->tasks[j].source :
				    s->tasks[j].verdict))
				break;
		if (j < i || !*v)
			continue;
		for (j = i; j < s->nr_tasks; j++)
			n += !strcmp(v, by_source ? s->tasks[j].source :
				     s->tasks[j].verdict);
		jw_int(w, v, n);
	}
	jw_close(w, '}');
}

static void json_tail(struct jw *w, const struct nms_opts *o,
		      const struct nms_snap *s, const struct nms_snap *prev)
{
	struct nms_tail t;
	double p;

	nms_tail_measure(prev, s, &t);
	p = t.moves ? t.p : t.p_upper;
	jw_int(w, "ranks", o->ranks);
	jw_bool(w, "known", t.known);
	jw_bool(w, "since_load", t.since_load);
	jw_bool(w, "observe", t.observe);
	jw_int(w, "moves", t.known ? (long long)t.moves : NMS_NONE);
	jw_dbl(w, "task_periods", t.task_periods, t.known);
	jw_dbl(w, "p", t.p, t.known);
	jw_dbl(w, "p_upper95", t.p_upper, t.known && !t.moves);
	jw_dbl(w, "period_ms", t.period_ms, t.period_ms > 0);
	jw_dbl(w, "step_hit", nms_step_hit(p, o->ranks), t.known);
	jw_dbl(w, "moves_per_step", p * o->ranks, t.known);
}

/**
 * nms_json() - print a view as one JSON object on one line
 * @f: where
 * @o: the options
 * @s: the snapshot
 * @prev: the snapshot before, in watch mode; NULL otherwise
 *
 * Return: the exit status, as nms_text().
 */
int nms_json(FILE *f, const struct nms_opts *o, struct nms_snap *s,
	     const struct nms_snap *prev)
{
	static const char *const views[] = {
		[NMS_V_SUMMARY] = "summary", [NMS_V_COUNTERS] = "counters",
		[NMS_V_TASKS] = "tasks", [NMS_V_PID] = "task",
		[NMS_V_TAIL] = "tail", [NMS_V_ADVISE] = "advise",
	};
	struct jw w = { .f = f, .depth = -1 };
	const struct nms_counter *mode = nms_counter(s, "mode");
	int idx[256], n = 0, i, j, rc = 0;

	if (o->view == NMS_V_PID) {
		n = nms_find_tasks(s, o->pid, idx, 256);
		if (!n) {
			nms_not_watched(o->pid);
			return 1;
		}
	}
	jw_open(&w, NULL, '{');
	jw_str(&w, "view", views[o->view]);
	jw_int(&w, "time", (long long)time(NULL));
	if (prev)
		jw_dbl(&w, "interval_s", nms_elapsed(prev, s), true);
	jw_str(&w, "mode", mode && mode->is_text ? mode->text : NULL);

	switch (o->view) {
	case NMS_V_COUNTERS:
		json_counters(&w, s, prev);
		break;
	case NMS_V_SUMMARY: {
		long long mig = nms_value(s, "migrations");
		long long runs = nms_value(s, "worker_runs");
		bool est = mig != NMS_NONE && runs > 0 && s->period_ms > 0;

		json_counters(&w, s, prev);
		jw_dbl(&w, "migrations_per_s_since_load",
		       est ? mig / (runs * s->period_ms / 1000.0) : 0, est);
		if (s->have & NMS_F_TASKS) {
			json_tasks_by(&w, "tasks_by_source", s, true);
			json_tasks_by(&w, "tasks_by_verdict", s, false);
		}
		json_nodes(&w, s);
		break;
	}
	case NMS_V_TASKS:
		nms_sort_tasks(s, o->sort);
		jw_str(&w, "sort", o->sort);
		jw_open(&w, "tasks", '[');
		for (i = 0; i < s->nr_tasks && (o->top < 0 || i < o->top); i++) {
			jw_open(&w, NULL, '{');
			json_task(&w, &s->tasks[i]);
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		break;
	case NMS_V_PID: {
		double *cost = calloc(s->nr_nodes ? s->nr_nodes : 1,
				      sizeof(double));

		jw_int(&w, "pid", o->pid);
		jw_open(&w, "tasks", '[');
		for (i = 0; i < n; i++) {
			const struct nms_task *t = &s->tasks[idx[i]];
			int shown = 0;

			jw_open(&w, NULL, '{');
			json_task(&w, t);
			jw_str(&w, "why", or_null(nms_verdict_why(t->verdict)));
			if (cost) {
				nms_access_costs(s, t, cost);
				jw_open(&w, "access_cost", '{');
				for (j = 0; j < s->nr_nodes; j++) {
					char key[16];

					if (cost[j] <= 0)
						continue;
					snprintf(key, sizeof(key), "%d",
						 s->nodes[j].id);
					jw_dbl(&w, key, cost[j], true);
				}
				jw_close(&w, '}');
			}
			jw_open(&w, "decisions", '[');
			for (j = s->nr_dec - 1; j >= 0; j--) {
				if (s->dec[j].pid != t->pid)
					continue;
				if (o->top >= 0 && shown >= o->top)
					break;
				shown++;
				json_decision(&w, &s->dec[j]);
			}
			jw_close(&w, ']');
			jw_close(&w, '}');
		}
		jw_close(&w, ']');
		free(cost);
		break;
	}
	case NMS_V_TAIL:
		json_tail(&w, o, s, prev);
		break;
	case NMS_V_ADVISE: {
		struct nms_advice a;
		char why[256], list[512];
		int r;

		r = nms_advise(s, o->adv_mcpu, o->adv_mb, &a, why, sizeof(why));
		jw_dbl(&w, "cpus", o->adv_mcpu / 1000.0, true);
		jw_int(&w, "mb", o->adv_mb);
		jw_bool(&w, "fits", !r);
		if (r) {
			jw_str(&w, "why", why);
			fprintf(stderr, "%s: %s\n", nms_prog, why);
			rc = r > 0 ? 3 : 1;
			break;
		}
		nms_nodelist(a.node, a.nr, list, sizeof(list));
		jw_str(&w, "nodelist", list);
		jw_open(&w, "nodes", '[');
		for (i = 0; i < a.nr; i++)
			jw_int(&w, NULL, a.node[i]);
		jw_close(&w, ']');
		jw_dbl(&w, "spare_cpus", a.spare_mcpu / 1000.0, true);
		jw_int(&w, "free_mb", a.free_mb);
		jw_int(&w, "span", a.span < 0 ? NMS_NONE : a.span);
		break;
	}
	}
	jw_close(&w, '}');
	fputc('\n', f);
	return rc;
}

/* Prometheus: a metric family's HELP and TYPE lines. */
static void prom_family(FILE *f, const char *name, const char *type,
			const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *const tracepoints[] = {
	"sched_switch", "sched_migrate_task", "sched_process_fork",
	"sched_process_exit", "sched_wakeup", "sched_wakeup_new",
	"sched_move_numa", "sched_swap_numa", "sched_stick_numa",
};

static const char *const gauges[] = {
	"tracepoints_attached", "tasks_tracked", "holds",
	"hw_counters_available", "worker_ns_last", "numad_running",
	"numad_pid",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

/* Counters with a prefix as one family with a label: verdict_, release_. */
static void prom_labelled(FILE *f, const struct nms_snap *s,
			  const char *prefix, const char *family,
			  const char *label, const char *help)
{
	size_t pl = strlen(prefix);
	bool any = false;
	int i;

	for (i = 0; i < s->nr_c; i++) {
		const struct nms_counter *c = &s->c[i];

		if (c->is_text || strncmp(c->name, prefix, pl))
			continue;
		if (!any)
			prom_family(f, family, "counter", help);
		any = true;
		fprintf(f, "%s{%s=\"%s\"} %llu\n", family, label, c->name + pl,
			c->value);
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/* The other counters, each a family of its own. */
static void prom_plain(FILE *f, const struct nms_snap *s)
{
	char name[128], help[128];
	int i;

	for (i = 0; i < s->nr_c; i++) {
		const struct nms_counter *c = &s->c[i];
		size_t l = strlen(c->name);

		if (c->is_text || in_list(c->name, tracepoints, ARRAY_SIZE(tracepoints)) ||
		    !strncmp(c->name, "verdict_", 8) ||
		    !strncmp(c->name, "release_", 8))
			continue;
		if (ends_with(c->name, "_ns_total")) {
			snprintf(name, sizeof(name), "numamig_%.*s_seconds_total",
				 (int)(l - 9), c->name);
			snprintf(help, sizeof(help), "stats %s, in seconds", c->name);
			prom_family(f, name, "counter", help);
			fprintf(f, "%s %.9f\n", name, c->value / 1e9);
		} else if (ends_with(c->name, "_ns_last")) {
			snprintf(name, sizeof(name), "numamig_%.*s_last_seconds",
				 (int)(l - 8), c->name);
			snprintf(help, sizeof(help), "stats %s, in seconds", c->name);
			prom_family(f, name, "gauge", help);
			fprintf(f, "%s %.9f\n", name, c->value / 1e9);
		} else if (in_list(c->name, gauges, ARRAY_SIZE(gauges))) {
			snprintf(name, sizeof(name), "numamig_%s", c->name);
			snprintf(help, sizeof(help), "stats %s", c->name);
			prom_family(f, name, "gauge", help);
			fprintf(f, "%s %llu\n", name, c->value);
		} else {
			snprintf(name, sizeof(name), "numamig_%s_total", c->name);
			snprintf(help, sizeof(help), "stats %s", c->name);
			prom_family(f, name, "counter", help);
			fprintf(f, "%s %llu\n", name, c->value);
		}
	}
}

static void prom_node(FILE *f, const struct nms_snap *s, const char *name,
		      const char *help, int what)
{
	bool any = false;
	int i;

	for (i = 0; i < s->nr_nodes; i++) {
		const struct nms_node *n = &s->nodes[i];
		long long v[] = { n->cpus, n->busy_permille, n->spare_mcpu,
				  n->mem_total_kb, n->mem_free_kb };
		const double scale[] = { 1, 0.001, 0.001, 1024, 1024 };

		if (v[what] == NMS_NONE)
			continue;
		if (!any)
			prom_family(f, name, "gauge", help);
		any = true;
		if (scale[what] == 1 || scale[what] == 1024)
			fprintf(f, "%s{node=\"%d\"} %lld\n", name, n->id,
				v[what] * (long long)scale[what]);
		else
			fprintf(f, "%s{node=\"%d\"} %.3f\n", name, n->id,
				v[what] * scale[what]);
	}
}

static void prom_tasks_by(FILE *f, const struct nms_snap *s, bool by_source)
{
	const char *name = by_source ? "numamig_tasks_by_source" :
				       "numamig_tasks_by_verdict";
	int i, j;

	prom_family(f, name, "gauge", by_source ?
		    "watched tasks by where their memory picture comes from" :
		    "watched tasks by their last verdict");
	for (i = 0; i < s->nr_tasks; i++) {
		const char *v = by_source ? s->tasks[i].source : s->tasks[i].verdict;
		int n = 0;

		for (j = 0; j < i; j++)
			if (!strcmp(v, by_source ? s->tasks[j].source :
				    s->tasks[j].verdict))
				break;
		if (j < i || !*v)
			continue;
		for (j = i; j < s->nr_tasks; j++)
			n += !strcmp(v, by_source ? s->tasks[j].source :
				     s->tasks[j].verdict);
		fprintf(f, "%s{%s=\"%s\"} %d\n", name,
			by_source ? "source" : "verdict", v, n);
	}
}

/**
 * nms_prometheus() - the metrics, for node_exporter's textfile collector
 * @f: where
 * @o: the options (-N adds the tail-at-scale chance)
 * @s: the snapshot
 *
 * Counters stay counters (Prometheus takes their rate()); per-node load
 * and memory, and tasks by source and verdict, are gauges. No per-task
 * metric: pids as labels would churn without end.
 *
 * Return: 0.
 */
int nms_prometheus(FILE *f, const struct nms_opts *o,
		   const struct nms_snap *s)
{
	const struct nms_counter *mode = nms_counter(s, "mode");
	size_t i;

	prom_family(f, "numamig_info", "gauge", "numamig is loaded; its mode as a label");
	fprintf(f, "numamig_info{mode=\"%s\"} 1\n",
		mode && mode->is_text ? mode->text : "");
	prom_family(f, "numamig_tracepoint_events_total", "counter",
		    "scheduler tracepoint events numamig saw");
	for (i = 0; i < ARRAY_SIZE(tracepoints); i++) {
		long long v = nms_value(s, tracepoints[i]);

		if (v != NMS_NONE)
			fprintf(f, "numamig_tracepoint_events_total{tracepoint=\"%s\"} %lld\n",
				tracepoints[i], v);
	}
	prom_labelled(f, s, "verdict_", "numamig_verdicts_total", "verdict",
		      "decisions by verdict");
	prom_labelled(f, s, "release_", "numamig_releases_total", "reason",
		      "holds ended, by reason");
	prom_plain(f, s);
	prom_node(f, s, "numamig_node_cpus", "online CPUs of the node", 0);
	prom_node(f, s, "numamig_node_busy_ratio",
		  "share of the node's CPU time not idle in the last period", 1);
	prom_node(f, s, "numamig_node_spare_cpus",
		  "idle capacity of the node in the last period, in CPUs", 2);
	prom_node(f, s, "numamig_node_memory_total_bytes",
		  "MemTotal of the node", 3);
	prom_node(f, s, "numamig_node_memory_free_bytes",
		  "MemFree of the node", 4);
	if (s->have & NMS_F_TASKS) {
		prom_tasks_by(f, s, true);
		prom_tasks_by(f, s, false);
	}
	if (o->ranks > 0) {
		struct nms_tail t;

		nms_tail_measure(NULL, s, &t);
		if (t.known) {
			prom_family(f, "numamig_move_probability", "gauge",
				    "chance a busy task is moved in one period, since load");
			fprintf(f, "numamig_move_probability %.9g\n", t.p);
			prom_family(f, "numamig_step_hit_probability", "gauge",
				    "chance a step of that many ranks is hit by a move: 1-(1-p)^ranks");
			fprintf(f, "numamig_step_hit_probability{ranks=\"%lld\"} %.9g\n",
				o->ranks, nms_step_hit(t.p, o->ranks));
		}
	}
	return 0;
}
