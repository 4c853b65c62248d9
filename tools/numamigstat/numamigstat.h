/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamigstat.h - what numamigstat's files share: one snapshot of the
 * numamig module's debugfs files, read by name, and the views over it.
 *
 *   read.c       reading and parsing the files (stats, topology, nodes,
 *                tasks, decisions, node meminfo, parameters)
 *   views.c      the text views: summary, counters, tasks, one task, tail
 *   export.c     the same as JSON, and metrics for Prometheus
 *   advise.c     pre-placement advice and the tail-at-scale arithmetic
 *   numamigstat.c  options, the watch loop, where the output goes
 */
#ifndef NUMAMIGSTAT_H
#define NUMAMIGSTAT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#define NMS_DEBUGFS_ROOT	"/sys/kernel/debug"
#define NMS_DIR			NMS_DEBUGFS_ROOT "/numamig"
#define NMS_NODE_SYSFS		"/sys/devices/system/node"
#define NMS_PARAMS		"/sys/module/numamig/parameters"

/* A value the module did not print (an older module, a missing file). */
#define NMS_NONE		(-0x7fffffffffffffffLL - 1)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* Node ids above this are refused as malformed. */
#define NMS_MAX_NODE_ID		4095

extern const char *nms_prog;

/* One "name value" line of stats; value is a count, or a word (mode). */
struct nms_counter {
	char name[64];
	char text[32];
	unsigned long long value;
	bool is_text;
};

/* A NUMA node: topology, load (nodes), memory (sysfs meminfo). */
struct nms_node {
	int id;
	bool in_topology;
	bool in_nodes;
	char cpulist[128];
	long long cpus;
	long long busy_permille;
	long long spare_mcpu;
	long long mem_total_kb;
	long long mem_free_kb;
};

/* A line of tasks; NMS_NONE (or "" for text) where the column is absent. */
struct nms_task {
	long long pid;
	long long tgid;
	char comm[32];
	long long node;
	long long cpu_permille;
	long long wait_us;
	int nr_run;
	long long *run_permille;
	int nr_mem;
	long long *mem_permille;
	long long remote_permille;
	long long slowdown_permille;
	long long best_node;
	char source[16];
	long long migrated_ms_ago;
	char verdict[32];
	long long target;
	long long held_node;
	long long numa_moved_ms_ago;
};

/* A line of decisions. */
struct nms_decision {
	long long ms_ago;
	long long pid;
	long long tgid;
	char comm[32];
	long long from;
	long long to;
	char what[48];
	long long benefit_us;
	long long cost_us;
	long long slowdown_permille;
	long long partner;	/* a swap's other pid; 0 or NMS_NONE if none */
};

/* Which files a view needs. */
enum {
	NMS_F_STATS = 1 << 0,
	NMS_F_TOPOLOGY = 1 << 1,
	NMS_F_NODES = 1 << 2,
	NMS_F_TASKS = 1 << 3,
	NMS_F_DECISIONS = 1 << 4,
	NMS_F_MEMINFO = 1 << 5,
	NMS_F_PARAMS = 1 << 6,
};

/* Where the files are. */
struct nms_paths {
	const char *dir;	/* the module's debugfs directory */
	const char *node_sysfs;	/* nodeN/meminfo; NULL: none */
	const char *params;	/* the module's parameters; NULL: none */
	bool live;		/* dir is the live debugfs directory */
};

/* One reading of the files, at one time. */
struct nms_snap {
	unsigned int have;	/* NMS_F_* read and found */
	unsigned int broken;	/* NMS_F_* found without a usable header */
	struct timespec when;	/* CLOCK_MONOTONIC, when stats was read */

	struct nms_counter *c;
	int nr_c;

	struct nms_node *nodes;	/* by id, ascending */
	int nr_nodes;
	int nr_topo;		/* nodes in topology, in its order */
	int *topo_node;		/* topology order -> index into nodes */
	int *dist;		/* nr_topo x nr_topo, topology order */

	struct nms_task *tasks;
	int nr_tasks;

	struct nms_decision *dec;
	int nr_dec;

	long long period_ms;
	long long margin_permille;
	long long hold_ms;
};

/* read.c */
char *nms_slurp(const char *path, size_t *lenp);
void nms_explain_open_error(const struct nms_paths *p, const char *path,
			    int err);
int nms_parse_counters(char *text, size_t len, struct nms_counter **out,
		       int *bad);
int nms_read(const struct nms_paths *p, unsigned int want,
	     struct nms_snap *s, bool quiet);
void nms_snap_free(struct nms_snap *s);
const struct nms_counter *nms_counter(const struct nms_snap *s,
				      const char *name);
long long nms_value(const struct nms_snap *s, const char *name);
struct nms_node *nms_node_by_id(const struct nms_snap *s, long long id);
int nms_distance(const struct nms_snap *s, int a, int b);
int nms_parse_int(const char *s, long long min, long long max,
		  long long *out);

/* views.c, export.c: what to show */
struct nms_opts {
	int view;
	const char *sort;
	long long top;
	long long pid;
	long long ranks;
	long long adv_mcpu;
	long long adv_mb;
	double interval;
	bool json;
	bool prometheus;
};

enum {
	NMS_V_SUMMARY, NMS_V_COUNTERS, NMS_V_TASKS, NMS_V_PID, NMS_V_TAIL,
	NMS_V_ADVISE
};

/* A rate between two snapshots; false when unknown or reset. */
bool nms_rate(const struct nms_snap *prev, const struct nms_snap *cur,
	      const char *name, double *rate);
double nms_elapsed(const struct nms_snap *prev, const struct nms_snap *cur);
const char *nms_verdict_why(const char *what);
void nms_sort_tasks(struct nms_snap *s, const char *key);
int nms_find_tasks(const struct nms_snap *s, long long pid, int *idx,
		   int max);
void nms_access_costs(const struct nms_snap *s, const struct nms_task *t,
		      double *cost);

void nms_not_watched(long long pid);
int nms_text(FILE *f, const struct nms_opts *o, struct nms_snap *s,
	     const struct nms_snap *prev);
int nms_json(FILE *f, const struct nms_opts *o, struct nms_snap *s,
	     const struct nms_snap *prev);
int nms_prometheus(FILE *f, const struct nms_opts *o,
		   const struct nms_snap *s);

/* advise.c */
struct nms_advice {
	int nr;
	int node[64];		/* ids, ascending */
	long long spare_mcpu;	/* summed over the nodes */
	long long free_mb;	/* summed; NMS_NONE if unknown */
	int span;		/* largest distance between two of them */
};

int nms_advise(const struct nms_snap *s, long long mcpu, long long mb,
	       struct nms_advice *a, char *why, size_t whylen);
void nms_nodelist(const int *ids, int nr, char *buf, size_t len);

struct nms_tail {
	bool known;		/* at least one task-period seen */
	bool observe;		/* counted "would move" decisions */
	unsigned long long moves;
	double task_periods;
	double p;		/* per task per period */
	double p_upper;		/* 95% bound when moves is 0: 3/n */
	double period_ms;	/* 0 when unknown */
	bool since_load;	/* from totals, not from -w deltas */
};

void nms_tail_measure(const struct nms_snap *prev, const struct nms_snap *s,
		      struct nms_tail *t);
double nms_step_hit(double p, long long ranks);

#endif /* NUMAMIGSTAT_H */
