// SPDX-License-Identifier: GPL-2.0
/*
 * numamigstat - see what the numamig module sees, and why it acted.
 *
 * Reads only the module's documented debugfs text formats (see
 * Documentation/admin-guide.rst and numamigstat.8), by column and record
 * name; what it does not know it ignores. Views: a summary (default),
 * the raw counters (-c), the task table (-t), one task explained (-p),
 * the tail at scale (-N) and pre-placement advice (--advise); as text,
 * JSON or Prometheus metrics; once, or every -w seconds with rates.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <numamig/version.h>

#include "numamigstat.h"

const char *nms_prog = "numamigstat";

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-d DIR] [-c | -t [-s KEY] [-n N] | -p PID [-n N] | -N RANKS |\n"
		"                   --advise CPUS[:MB]] [--json | --prometheus]\n"
		"                   [-w SECONDS [--count N]] [-o FILE] [--node-sysfs DIR]\n"
		"  Show what the numamig module sees, and why it acted.\n"
		"  (no view)    summary: mode, signal sources, verdicts, migrations, nodes\n"
		"  -c           every counter of stats, in two columns\n"
		"  -t           the watched tasks; -s KEY sorts by slowdown (default),\n"
		"               remote, runtime or pid; -n N shows the top N\n"
		"  -p PID       explain a task (or a process's threads) and its last N\n"
		"               decisions (-n, default 10)\n"
		"  -N RANKS     tail at scale: the chance a step of RANKS ranks is hit by\n"
		"               a move, 1-(1-p)^RANKS\n"
		"  --advise CPUS[:MB]  the nodes, nearest together, with room for a job now,\n"
		"               as numactl --cpunodebind takes them\n"
		"  --json       one JSON object a line; --prometheus: metrics for the\n"
		"               node_exporter textfile collector\n"
		"  -w SECONDS   refresh every SECONDS, with rates between samples;\n"
		"               --count N stops after N\n"
		"  -o FILE      write to FILE, replaced whole each time, not stdout\n"
		"  -d DIR       read the module's files from DIR instead of %s\n"
		"               (also: NUMAMIG_DEBUGFS)\n"
		"  --node-sysfs DIR  nodeN/meminfo from DIR instead of %s\n"
		"               (with -d: DIR/node; also: NUMAMIG_NODE_SYSFS)\n"
		"  --version    print numamigstat's version\n"
		"  -h           this help; more in numamigstat(8)\n",
		nms_prog, NMS_DIR, NMS_NODE_SYSFS);
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", nms_prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	print_usage(stderr);
	return 2;
}

/* A decimal like "2", "0.5", "1.25" in thousandths; -1 if it is not one. */
static long long parse_milli(const char *s, long long max)
{
	long long whole = 0, frac = 0, scale = 100;
	const char *p = s;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > max)
			return -1;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += scale * (*p - '0');
	}
	if (*p)
		return -1;
	return whole * 1000 + frac;
}

static unsigned int wanted(const struct nms_opts *o)
{
	const unsigned int all = NMS_F_TOPOLOGY | NMS_F_NODES | NMS_F_TASKS |
				 NMS_F_MEMINFO | NMS_F_PARAMS;

	if (o->prometheus)
		return all;
	switch (o->view) {
	case NMS_V_COUNTERS:
		return 0;
	case NMS_V_TASKS:
		return NMS_F_TASKS;
	case NMS_V_PID:
		return NMS_F_TOPOLOGY | NMS_F_TASKS | NMS_F_DECISIONS |
		       NMS_F_PARAMS;
	case NMS_V_TAIL:
		return NMS_F_PARAMS;
	case NMS_V_ADVISE:
		return NMS_F_TOPOLOGY | NMS_F_NODES | NMS_F_MEMINFO;
	default:
		return all;
	}
}

/* A view that cannot be shown from this module's files: say so. */
static int check_files(const struct nms_opts *o, const struct nms_paths *p,
		       const struct nms_snap *s)
{
	if ((o->view == NMS_V_TASKS || o->view == NMS_V_PID) &&
	    (s->broken & NMS_F_TASKS))
		return 1;	/* parse_table() said why */
	if ((o->view == NMS_V_TASKS || o->view == NMS_V_PID) &&
	    !(s->have & NMS_F_TASKS)) {
		fprintf(stderr, "%s: no %s/tasks: this numamig module has no task view\n",
			nms_prog, p->dir);
		return 1;
	}
	return 0;
}

static int render(FILE *f, const struct nms_opts *o, struct nms_snap *s,
		  const struct nms_snap *prev)
{
	if (o->prometheus)
		return nms_prometheus(f, o, s);
	if (o->json)
		return nms_json(f, o, s, prev);
	return nms_text(f, o, s, prev);
}

/* Writes to FILE.tmp, then renames, so a reader never sees half of it. */
static int output(const char *file, const struct nms_opts *o,
		  struct nms_snap *s, const struct nms_snap *prev,
		  bool header)
{
	char tmp[4096];
	FILE *f = stdout;
	int rc;

	if (file) {
		snprintf(tmp, sizeof(tmp), "%s.tmp.%d", file, (int)getpid());
		f = fopen(tmp, "w");
		if (!f) {
			fprintf(stderr, "%s: cannot write %s: %s\n", nms_prog,
				tmp, strerror(errno));
			return 1;
		}
	}
	if (header) {
		char when[32];
		time_t now = time(NULL);

		strftime(when, sizeof(when), "%H:%M:%S", localtime(&now));
		if (!file && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", f);
		fprintf(f, "numamigstat every %g s, %s\n", o->interval, when);
	}
	rc = render(f, o, s, prev);
	if (!file) {
		fflush(f);
		return rc;
	}
	if (fclose(f) || rename(tmp, file)) {
		fprintf(stderr, "%s: cannot write %s: %s\n", nms_prog, file,
			strerror(errno));
		unlink(tmp);
		return 1;
	}
	return rc;
}

static void sleep_for(double seconds)
{
	struct timespec ts = {
		.tv_sec = (time_t)seconds,
		.tv_nsec = (long)((seconds - (time_t)seconds) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

enum { OPT_JSON = 256, OPT_PROM, OPT_ADVISE, OPT_COUNT, OPT_NODE_SYSFS, OPT_VERSION };

static const struct option longopts[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "counters", no_argument, NULL, 'c' },
	{ "tasks", no_argument, NULL, 't' },
	{ "sort", required_argument, NULL, 's' },
	{ "top", required_argument, NULL, 'n' },
	{ "pid", required_argument, NULL, 'p' },
	{ "ranks", required_argument, NULL, 'N' },
	{ "watch", required_argument, NULL, 'w' },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "prometheus", no_argument, NULL, OPT_PROM },
	{ "advise", required_argument, NULL, OPT_ADVISE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "node-sysfs", required_argument, NULL, OPT_NODE_SYSFS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static int set_view(struct nms_opts *o, int view)
{
	if (o->view != NMS_V_SUMMARY && o->view != view)
		return -1;
	o->view = view;
	return 0;
}

int main(int argc, char **argv)
{
	struct nms_opts o = { .view = NMS_V_SUMMARY, .sort = "slowdown",
			      .top = -1, .interval = 0 };
	struct nms_paths p = { 0 };
	struct nms_snap prev, cur;
	const char *out_file = NULL, *node_sysfs = getenv("NUMAMIG_NODE_SYSFS");
	char node_dir[4096], params_dir[4096];
	long long count = -1, v;
	bool sort_set = false;
	int opt, rc, n;

	p.dir = getenv("NUMAMIG_DEBUGFS");
	if (!p.dir || !*p.dir)
		p.dir = NMS_DIR;
	while ((opt = getopt_long(argc, argv, "d:ctp:s:n:N:w:o:h", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'd':
			p.dir = optarg;
			break;
		case 'c':
			if (set_view(&o, NMS_V_COUNTERS))
				return bad_usage("%s: one view at a time", "-c");
			break;
		case 't':
			if (set_view(&o, NMS_V_TASKS))
				return bad_usage("%s: one view at a time", "-t");
			break;
		case 'p':
			if (set_view(&o, NMS_V_PID))
				return bad_usage("%s: one view at a time", "-p");
			if (nms_parse_int(optarg, 1, INT_MAX, &o.pid))
				return bad_usage("-p %s: not a pid", optarg);
			break;
		case 'N':
			if (set_view(&o, NMS_V_TAIL))
				return bad_usage("%s: one view at a time", "-N");
			if (nms_parse_int(optarg, 1, 1000000000, &o.ranks))
				return bad_usage("-N %s: ranks must be 1 to 1000000000", optarg);
			break;
		case OPT_ADVISE: {
			char *colon = strchr(optarg, ':');

			if (set_view(&o, NMS_V_ADVISE))
				return bad_usage("%s: one view at a time", "--advise");
			if (colon)
				*colon = '\0';
			o.adv_mcpu = parse_milli(optarg, 1000000);
			if (o.adv_mcpu <= 0)
				return bad_usage("--advise: CPUS '%s' must be a number above 0",
						 optarg);
			if (colon && nms_parse_int(colon + 1, 0, 1LL << 40, &o.adv_mb))
				return bad_usage("--advise: MB '%s' must be a whole number",
						 colon + 1);
			break;
		}
		case 's':
			if (strcmp(optarg, "slowdown") && strcmp(optarg, "remote") &&
			    strcmp(optarg, "runtime") && strcmp(optarg, "pid"))
				return bad_usage("-s %s: sort by slowdown, remote, runtime or pid",
						 optarg);
			o.sort = optarg;
			sort_set = true;
			break;
		case 'n':
			if (nms_parse_int(optarg, 0, INT_MAX, &o.top))
				return bad_usage("-n %s: not a count", optarg);
			break;
		case 'w':
			v = parse_milli(optarg, 86400);
			if (v <= 0)
				return bad_usage("-w %s: seconds must be a number above 0", optarg);
			o.interval = v / 1000.0;
			break;
		case OPT_COUNT:
			if (nms_parse_int(optarg, 1, LLONG_MAX, &count))
				return bad_usage("--count %s: not a count", optarg);
			break;
		case 'o':
			out_file = optarg;
			break;
		case OPT_JSON:
			o.json = true;
			break;
		case OPT_PROM:
			o.prometheus = true;
			break;
		case OPT_NODE_SYSFS:
			node_sysfs = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("%s %s\n", nms_prog, NUMAMIG_VERSION);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", nms_prog, argv[optind]);
		print_usage(stderr);
		return 2;
	}
	if (sort_set && o.view != NMS_V_TASKS)
		return bad_usage("%s: sorting is for the task table (-t)", "-s");
	if (o.top >= 0 && o.view != NMS_V_TASKS && o.view != NMS_V_PID)
		return bad_usage("%s: a count is for -t and -p", "-n");
	if (count > 0 && o.interval <= 0)
		return bad_usage("%s: a count is for watch mode (-w)", "--count");
	if (o.json && o.prometheus)
		return bad_usage("%s: --json or --prometheus, not both", "--json");
	if (o.prometheus && o.view != NMS_V_SUMMARY &&
	    o.view != NMS_V_COUNTERS && o.view != NMS_V_TAIL)
		return bad_usage("%s: metrics are not per task or per job", "--prometheus");
	if (o.prometheus && o.interval > 0 && !out_file)
		return bad_usage("%s: in watch mode the metrics need a file (-o FILE)",
				 "--prometheus");
	if (o.view == NMS_V_PID && o.top < 0)
		o.top = 10;
	if (o.view == NMS_V_TASKS && o.top < 0 && o.interval > 0 &&
	    !o.json && !out_file && isatty(STDOUT_FILENO)) {
		struct winsize ws;

		/* One screen: the watch line, the count, the heading. */
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 4)
			o.top = ws.ws_row - 4;
	}

	p.live = !strcmp(p.dir, NMS_DIR) || !strcmp(p.dir, NMS_DIR "/");
	if (node_sysfs && *node_sysfs) {
		p.node_sysfs = node_sysfs;
	} else if (p.live) {
		p.node_sysfs = NMS_NODE_SYSFS;
	} else {
		snprintf(node_dir, sizeof(node_dir), "%s/node", p.dir);
		p.node_sysfs = node_dir;
	}
	if (p.live) {
		p.params = NMS_PARAMS;
	} else {
		snprintf(params_dir, sizeof(params_dir), "%s/parameters", p.dir);
		p.params = params_dir;
	}

	if (nms_read(&p, wanted(&o), &prev, false)) {
		nms_snap_free(&prev);
		return 1;
	}
	rc = check_files(&o, &p, &prev);
	if (rc || o.interval <= 0) {
		if (!rc)
			rc = output(out_file, &o, &prev, NULL, false);
		nms_snap_free(&prev);
		return rc;
	}
	for (n = 0; count < 0 || n < count; n++) {
		sleep_for(o.interval);
		if (nms_read(&p, wanted(&o), &cur, true)) {
			nms_snap_free(&cur);
			rc = 1;
			break;
		}
		rc = check_files(&o, &p, &cur);
		if (!rc)
			rc = output(out_file, &o, &cur, &prev,
				    !o.json && !o.prometheus);
		nms_snap_free(&prev);
		prev = cur;
		if (rc && rc != 3)
			break;
	}
	nms_snap_free(&prev);
	return rc;
}
