// SPDX-License-Identifier: GPL-2.0
/*
 * read.c - reading numamig's debugfs files, by name, never by position.
 *
 * Formats: Documentation/admin-guide.rst. stats is "name value" a line;
 * topology is "online_nodes LIST" and "node N cpus LIST distance D...";
 * nodes, tasks and decisions are a header naming the columns, then a line
 * a record. Columns, names and keys it does not know are ignored. Only
 * complete lines count: a last line without its newline was cut short.
 * A line that does not parse is skipped and counted, and the count is
 * reported on stderr in one line per file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "numamigstat.h"

#define DEBUGFS_MAGIC	0x64626720
#define MAX_FILE	(64 << 20)
#define MAX_FIELDS	256

/**
 * nms_slurp() - read a whole file, coping with short reads
 * @path: the file
 * @lenp: its length, on success
 *
 * Return: the contents, NUL-terminated, to be freed; NULL with errno set.
 */
char *nms_slurp(const char *path, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = NULL;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap || !buf) {
			char *nbuf;

			if (buf)
				cap *= 2;
			if (cap > MAX_FILE) {
				errno = EFBIG;
				goto fail;
			}
			nbuf = realloc(buf, cap);
			if (!nbuf)
				goto fail;
			buf = nbuf;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	{
		int saved = errno;

		free(buf);
		close(fd);
		errno = saved;
	}
	return NULL;
}

/**
 * nms_explain_open_error() - say in one line why a file cannot be read
 * @p: where the files are
 * @path: the file
 * @err: the errno of the failed open
 *
 * Not root, debugfs not mounted, module not loaded, or the plain error.
 */
void nms_explain_open_error(const struct nms_paths *p, const char *path,
			    int err)
{
	struct statfs sfs;
	struct stat st;

	if (err == EACCES || err == EPERM) {
		fprintf(stderr, "%s: permission denied reading %s: run as root\n",
			nms_prog, path);
		return;
	}
	if (err == ENOENT && p->live) {
		if (statfs(NMS_DEBUGFS_ROOT, &sfs) || sfs.f_type != DEBUGFS_MAGIC) {
			fprintf(stderr,
				"%s: debugfs is not mounted at %s (mount -t debugfs none %s)\n",
				nms_prog, NMS_DEBUGFS_ROOT, NMS_DEBUGFS_ROOT);
			return;
		}
		if (stat("/sys/module/numamig", &st)) {
			fprintf(stderr,
				"%s: the numamig module is not loaded (insmod numamig.ko)\n",
				nms_prog);
			return;
		}
	}
	fprintf(stderr, "%s: cannot read %s: %s\n", nms_prog, path, strerror(err));
}

/**
 * nms_parse_int() - a whole string as a decimal integer in a range
 * @s: the string: an optional '-', then digits, nothing else
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value
 *
 * Return: 0, or -1 when @s is not such a number.
 */
int nms_parse_int(const char *s, long long min, long long max,
		  long long *out)
{
	unsigned long long v = 0, lim;
	bool neg = false;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (lim - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (*s)
		return -1;
	if (neg)
		*out = v ? -(long long)(v - 1) - 1 : 0;
	else
		*out = (long long)v;
	return *out < min || *out > max ? -1 : 0;
}

static bool is_name_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

/*
 * Parses one "name value [fields...]" record of stats. Names are
 * [A-Za-z0-9_]. The value is a decimal count, and fields after it are for
 * newer readers; or a word ("mode enforce"), which must then end the line.
 */
static int parse_record(const char *line, struct nms_counter *c)
{
	const char *p = line, *name, *word;
	unsigned long long v = 0;
	size_t len;

	name = p;
	while (is_name_char(*p))
		p++;
	len = p - name;
	if (!len || len >= sizeof(c->name) || *p != ' ')
		return -1;
	p++;
	memset(c, 0, sizeof(*c));
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		word = p;
		while (is_name_char(*p) || *p == '-')
			p++;
		if (*p || (size_t)(p - word) >= sizeof(c->text))
			return -1;
		memcpy(c->text, word, p - word);
		c->is_text = true;
	} else {
		if (*p < '0' || *p > '9')
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (v > (~0ULL - (*p - '0')) / 10)
				return -1;
			v = v * 10 + (*p - '0');
		}
		if (*p && *p != ' ')
			return -1;
		c->value = v;
	}
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	return 0;
}

/*
 * The next line of text[0..end), NUL-terminated in place. Return: 1 with
 * a complete line, 0 at the end, -1 for a last line cut short (no '\n').
 */
static int next_line(char **pos, char *end, char **line)
{
	char *nl;

	if (*pos >= end)
		return 0;
	nl = memchr(*pos, '\n', end - *pos);
	if (!nl) {
		*pos = end;
		return -1;
	}
	*nl = '\0';
	*line = *pos;
	*pos = nl + 1;
	return 1;
}

/**
 * nms_parse_counters() - parse the stats file
 * @text: its contents, modified in place
 * @len: their length
 * @out: the counters, to be freed
 * @bad: malformed lines, a last line cut short among them
 *
 * Return: the number of counters, or -1 when out of memory.
 */
int nms_parse_counters(char *text, size_t len, struct nms_counter **out,
		       int *bad)
{
	struct nms_counter *c = NULL;
	char *pos = text, *line;
	int n = 0, cap = 0, r;

	*bad = 0;
	while ((r = next_line(&pos, text + len, &line))) {
		if (r < 0) {
			(*bad)++;
			break;
		}
		if (!*line)
			continue;
		if (n == cap) {
			struct nms_counter *nc;

			cap = cap ? cap * 2 : 64;
			nc = realloc(c, cap * sizeof(*c));
			if (!nc) {
				free(c);
				return -1;
			}
			c = nc;
		}
		if (parse_record(line, &c[n]))
			(*bad)++;
		else
			n++;
	}
	*out = c;
	return n;
}

/* Splits a line at blanks, in place; at most MAX_FIELDS fields. */
static int split(char *line, char **f)
{
	int n = 0;

	for (;;) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || n == MAX_FIELDS)
			return n;
		f[n++] = line;
		while (*line && *line != ' ' && *line != '\t')
			line++;
		if (*line)
			*line++ = '\0';
	}
}

static void copy_text(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src);
}

/* A header: the index of each wanted column name, -1 if absent. */
static void header_index(char **f, int nf, const char *const *names,
			 int nr, int *ix)
{
	int i, j;

	for (i = 0; i < nr; i++) {
		ix[i] = -1;
		for (j = 0; j < nf; j++) {
			if (!strcmp(f[j], names[i])) {
				ix[i] = j;
				break;
			}
		}
	}
}

/* Column @c of a row as a number: NMS_NONE if the header lacks it. */
static int get_int(char **f, int nf, const int *ix, int c, long long min,
		   long long max, long long *out)
{
	*out = NMS_NONE;
	if (ix[c] < 0)
		return 0;
	if (ix[c] >= nf)
		return -1;
	return nms_parse_int(f[ix[c]], min, max, out);
}

static int get_text(char **f, int nf, const int *ix, int c, char *dst,
		    size_t len)
{
	dst[0] = '\0';
	if (ix[c] < 0)
		return 0;
	if (ix[c] >= nf)
		return -1;
	copy_text(dst, len, f[ix[c]]);
	return 0;
}

/* "a/b/c": per-node values, per mille. */
static int get_per_node(char **f, int nf, const int *ix, int c, int *nr,
			long long **out)
{
	const char *p;
	char buf[32];
	int n = 1, i;

	*nr = 0;
	*out = NULL;
	if (ix[c] < 0)
		return 0;
	if (ix[c] >= nf)
		return -1;
	for (p = f[ix[c]]; *p; p++)
		n += *p == '/';
	if (n > NMS_MAX_NODE_ID + 1)
		return -1;
	*out = calloc(n, sizeof(**out));
	if (!*out)
		return -1;
	for (p = f[ix[c]], i = 0; i < n; i++) {
		size_t l = strcspn(p, "/");

		if (l >= sizeof(buf))
			return -1;
		memcpy(buf, p, l);
		buf[l] = '\0';
		if (nms_parse_int(buf, 0, 1000000, &(*out)[i]))
			return -1;
		p += l + (p[l] == '/');
	}
	*nr = n;
	return 0;
}

#define BIG	1000000000000000000LL

enum {
	T_PID, T_TGID, T_COMM, T_NODE, T_CPU, T_WAIT, T_RUN, T_MEM, T_REMOTE,
	T_SLOW, T_BEST, T_SOURCE, T_MIG, T_VERDICT, T_TARGET, T_HELD,
	T_NUMA_MOVED, T_NR
};

static const char *const task_cols[T_NR] = {
	"pid", "tgid", "comm", "node", "cpu_permille", "wait_us",
	"run_permille", "mem_permille", "remote_permille",
	"slowdown_permille", "best_node", "source", "migrated_ms_ago",
	"verdict", "target", "held_node", "numa_moved_ms_ago",
};

static int parse_task(char **f, int nf, const int *ix, struct nms_task *t)
{
	const long long node_max = NMS_MAX_NODE_ID;

	memset(t, 0, sizeof(*t));
	if (get_int(f, nf, ix, T_PID, 0, INT_MAX, &t->pid) ||
	    get_int(f, nf, ix, T_TGID, 0, INT_MAX, &t->tgid) ||
	    get_text(f, nf, ix, T_COMM, t->comm, sizeof(t->comm)) ||
	    get_int(f, nf, ix, T_NODE, -1, node_max, &t->node) ||
	    get_int(f, nf, ix, T_CPU, 0, BIG, &t->cpu_permille) ||
	    get_int(f, nf, ix, T_WAIT, 0, BIG, &t->wait_us) ||
	    get_per_node(f, nf, ix, T_RUN, &t->nr_run, &t->run_permille) ||
	    get_per_node(f, nf, ix, T_MEM, &t->nr_mem, &t->mem_permille) ||
	    get_int(f, nf, ix, T_REMOTE, 0, BIG, &t->remote_permille) ||
	    get_int(f, nf, ix, T_SLOW, 0, BIG, &t->slowdown_permille) ||
	    get_int(f, nf, ix, T_BEST, -1, node_max, &t->best_node) ||
	    get_text(f, nf, ix, T_SOURCE, t->source, sizeof(t->source)) ||
	    get_int(f, nf, ix, T_MIG, -1, BIG, &t->migrated_ms_ago) ||
	    get_text(f, nf, ix, T_VERDICT, t->verdict, sizeof(t->verdict)) ||
	    get_int(f, nf, ix, T_TARGET, -1, node_max, &t->target) ||
	    get_int(f, nf, ix, T_HELD, -1, node_max, &t->held_node) ||
	    get_int(f, nf, ix, T_NUMA_MOVED, -1, BIG, &t->numa_moved_ms_ago)) {
		free(t->run_permille);
		free(t->mem_permille);
		t->run_permille = NULL;
		t->mem_permille = NULL;
		return -1;
	}
	return 0;
}

enum {
	D_AGO, D_PID, D_TGID, D_COMM, D_FROM, D_TO, D_WHAT, D_BENEFIT, D_COST,
	D_SLOW, D_PARTNER, D_NR
};

static const char *const dec_cols[D_NR] = {
	"ms_ago", "pid", "tgid", "comm", "from", "to", "what", "benefit_us",
	"cost_us", "slowdown_permille", "partner",
};

static int parse_decision(char **f, int nf, const int *ix,
			  struct nms_decision *d)
{
	const long long node_max = NMS_MAX_NODE_ID;

	memset(d, 0, sizeof(*d));
	return get_int(f, nf, ix, D_AGO, 0, BIG, &d->ms_ago) ||
	       get_int(f, nf, ix, D_PID, 0, INT_MAX, &d->pid) ||
	       get_int(f, nf, ix, D_TGID, 0, INT_MAX, &d->tgid) ||
	       get_text(f, nf, ix, D_COMM, d->comm, sizeof(d->comm)) ||
	       get_int(f, nf, ix, D_FROM, -1, node_max, &d->from) ||
	       get_int(f, nf, ix, D_TO, -1, node_max, &d->to) ||
	       get_text(f, nf, ix, D_WHAT, d->what, sizeof(d->what)) ||
	       get_int(f, nf, ix, D_BENEFIT, 0, LLONG_MAX, &d->benefit_us) ||
	       get_int(f, nf, ix, D_COST, 0, LLONG_MAX, &d->cost_us) ||
	       get_int(f, nf, ix, D_SLOW, 0, BIG, &d->slowdown_permille) ||
	       get_int(f, nf, ix, D_PARTNER, 0, INT_MAX, &d->partner) ? -1 : 0;
}

enum { N_NODE, N_CPUS, N_BUSY, N_SPARE, N_NR };

static const char *const node_cols[N_NR] = {
	"node", "cpus", "busy_permille", "spare_mcpu",
};

static struct nms_node *node_add(struct nms_snap *s, long long id)
{
	struct nms_node *n;
	int i;

	for (i = 0; i < s->nr_nodes; i++)
		if (s->nodes[i].id == id)
			return &s->nodes[i];
	n = realloc(s->nodes, (s->nr_nodes + 1) * sizeof(*n));
	if (!n)
		return NULL;
	s->nodes = n;
	n = &s->nodes[s->nr_nodes++];
	memset(n, 0, sizeof(*n));
	n->id = (int)id;
	n->cpus = NMS_NONE;
	n->busy_permille = NMS_NONE;
	n->spare_mcpu = NMS_NONE;
	n->mem_total_kb = NMS_NONE;
	n->mem_free_kb = NMS_NONE;
	return n;
}

/* CPUs in a list like "0-3,8,10-11"; -1 if it is not one. */
static long long cpulist_count(const char *s)
{
	long long n = 0, a, b;
	char buf[32];

	if (!*s)
		return -1;
	while (*s) {
		size_t l = strcspn(s, ",");
		char *dash;

		if (!l || l >= sizeof(buf))
			return -1;
		memcpy(buf, s, l);
		buf[l] = '\0';
		dash = strchr(buf, '-');
		if (dash)
			*dash = '\0';
		if (nms_parse_int(buf, 0, INT_MAX, &a))
			return -1;
		b = a;
		if (dash && nms_parse_int(dash + 1, a, INT_MAX, &b))
			return -1;
		n += b - a + 1;
		s += l + (s[l] == ',');
	}
	return n;
}

static bool starts_alpha(const char *s)
{
	return (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
}

struct topo_line {
	long long id;
	int nr_dist;
	int *dist;
};

/*
 * topology: "node N" then keys, each followed by its values: "cpus LIST",
 * "distance D D ...". A key it does not know is skipped with the values
 * after it (those not starting with a letter). Other lines are ignored.
 */
static int parse_topology(char *text, size_t len, struct nms_snap *s,
			  int *bad, const char *path, bool quiet)
{
	struct topo_line *tl = NULL;
	char *pos = text, *line, *f[MAX_FIELDS];
	int nr = 0, r, nf, i, j, ok = 0;

	*bad = 0;
	while ((r = next_line(&pos, text + len, &line))) {
		struct topo_line *ntl;
		struct nms_node *n;
		char cpulist[sizeof(n->cpulist)] = "";
		int dist[MAX_FIELDS], nd = -1;
		long long id;

		if (r < 0) {
			(*bad)++;
			break;
		}
		nf = split(line, f);
		if (!nf || strcmp(f[0], "node"))
			continue;
		if (nf < 2 || nms_parse_int(f[1], 0, NMS_MAX_NODE_ID, &id)) {
			(*bad)++;
			continue;
		}
		for (i = 2; i < nf;) {
			if (!strcmp(f[i], "cpus")) {
				/* A node without CPUs: "cpus  distance" */
				i++;
				if (i < nf && !starts_alpha(f[i]))
					copy_text(cpulist, sizeof(cpulist), f[i++]);
			} else if (!strcmp(f[i], "distance")) {
				long long d;

				nd = 0;
				for (i++; i < nf && !starts_alpha(f[i]); i++) {
					if (nms_parse_int(f[i], 0, 255, &d))
						break;
					dist[nd++] = (int)d;
				}
				if (i < nf && !starts_alpha(f[i]))
					break;
			} else {
				for (i++; i < nf && !starts_alpha(f[i]); i++)
					;
			}
		}
		if (i < nf) {
			(*bad)++;
			continue;
		}
		n = node_add(s, id);
		ntl = realloc(tl, (nr + 1) * sizeof(*tl));
		if (!n || !ntl)
			goto nomem;
		tl = ntl;
		n->in_topology = true;
		copy_text(n->cpulist, sizeof(n->cpulist), cpulist);
		if (n->cpus == NMS_NONE)
			n->cpus = cpulist[0] ? cpulist_count(cpulist) : 0;
		if (n->cpus < 0)
			n->cpus = NMS_NONE;
		tl[nr].id = id;
		tl[nr].nr_dist = nd;
		tl[nr].dist = NULL;
		if (nd > 0) {
			tl[nr].dist = malloc(nd * sizeof(int));
			if (!tl[nr].dist)
				goto nomem;
			memcpy(tl[nr].dist, dist, nd * sizeof(int));
		}
		nr++;
	}

	/* Distances are to every node listed, in the order listed. */
	ok = nr > 0;
	for (i = 0; i < nr; i++)
		if (tl[i].nr_dist != nr)
			ok = 0;
	if (!ok && nr && !quiet)
		fprintf(stderr,
			"%s: %s: distances do not match the node lines; distances not used\n",
			nms_prog, path);
	s->nr_topo = nr;
	s->topo_node = calloc(nr ? nr : 1, sizeof(int));
	if (!s->topo_node)
		goto nomem;
	for (i = 0; i < nr; i++)
		s->topo_node[i] = (int)tl[i].id;	/* an id until sorted */
	if (ok) {
		s->dist = malloc(nr * nr * sizeof(int));
		if (!s->dist)
			goto nomem;
		for (i = 0; i < nr; i++)
			for (j = 0; j < nr; j++)
				s->dist[i * nr + j] = tl[i].dist[j];
	}
	for (i = 0; i < nr; i++)
		free(tl[i].dist);
	free(tl);
	return 0;
nomem:
	for (i = 0; i < nr; i++)
		free(tl[i].dist);
	free(tl);
	return -1;
}

typedef int (*row_fn)(struct nms_snap *s, char **f, int nf, const int *ix);

static int nodes_row(struct nms_snap *s, char **f, int nf, const int *ix)
{
	long long id, cpus, busy, spare;
	struct nms_node *n;

	if (get_int(f, nf, ix, N_NODE, 0, NMS_MAX_NODE_ID, &id) ||
	    get_int(f, nf, ix, N_CPUS, 0, INT_MAX, &cpus) ||
	    get_int(f, nf, ix, N_BUSY, 0, 1000, &busy) ||
	    get_int(f, nf, ix, N_SPARE, 0, BIG, &spare))
		return 1;
	n = node_add(s, id);
	if (!n)
		return -1;
	n->in_nodes = true;
	if (cpus != NMS_NONE)
		n->cpus = cpus;
	n->busy_permille = busy;
	n->spare_mcpu = spare;
	return 0;
}

static int tasks_row(struct nms_snap *s, char **f, int nf, const int *ix)
{
	struct nms_task *t;

	if (!(s->nr_tasks & (s->nr_tasks - 1)) || !s->tasks) {
		t = realloc(s->tasks, (s->nr_tasks ? 2 * s->nr_tasks : 16) *
			    sizeof(*t));
		if (!t)
			return -1;
		s->tasks = t;
	}
	if (parse_task(f, nf, ix, &s->tasks[s->nr_tasks]))
		return 1;
	s->nr_tasks++;
	return 0;
}

static int dec_row(struct nms_snap *s, char **f, int nf, const int *ix)
{
	struct nms_decision *d;

	if (!(s->nr_dec & (s->nr_dec - 1)) || !s->dec) {
		d = realloc(s->dec, (s->nr_dec ? 2 * s->nr_dec : 16) *
			    sizeof(*d));
		if (!d)
			return -1;
		s->dec = d;
	}
	if (parse_decision(f, nf, ix, &s->dec[s->nr_dec]))
		return 1;
	s->nr_dec++;
	return 0;
}

/*
 * A file with a header naming its columns. Return: 0, 1 when it has no
 * usable header (said on stderr), -1 when out of memory.
 */
static int parse_table(char *text, size_t len, const char *path,
		       const char *const *names, int nr, const char *key,
		       struct nms_snap *s, row_fn fn, int *bad)
{
	char *pos = text, *line, *f[MAX_FIELDS];
	int ix[32], nf, r, k;

	*bad = 0;
	r = next_line(&pos, text + len, &line);
	nf = r > 0 ? split(line, f) : 0;
	header_index(f, nf, names, nr, ix);
	if (ix[0] < 0) {
		fprintf(stderr, "%s: %s: no header with a '%s' column\n",
			nms_prog, path, key);
		return 1;
	}
	while ((r = next_line(&pos, text + len, &line))) {
		if (r < 0) {
			(*bad)++;
			break;
		}
		nf = split(line, f);
		if (!nf)
			continue;
		k = fn(s, f, nf, ix);
		if (k < 0)
			return -1;
		*bad += k;
	}
	return 0;
}

static int cmp_node(const void *a, const void *b)
{
	const struct nms_node *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* MemTotal and MemFree of "Node N MemTotal: V kB" lines. */
static void read_meminfo(const struct nms_paths *p, struct nms_snap *s)
{
	char path[4096], *text, *pos, *line, *f[MAX_FIELDS];
	size_t len;
	int i, nf, r;

	for (i = 0; i < s->nr_nodes; i++) {
		struct nms_node *n = &s->nodes[i];

		snprintf(path, sizeof(path), "%s/node%d/meminfo",
			 p->node_sysfs, n->id);
		text = nms_slurp(path, &len);
		if (!text)
			continue;
		pos = text;
		while ((r = next_line(&pos, text + len, &line)) > 0) {
			long long v, *dst = NULL;
			int j;

			nf = split(line, f);
			for (j = 0; j + 1 < nf; j++) {
				if (!strcmp(f[j], "MemTotal:"))
					dst = &n->mem_total_kb;
				else if (!strcmp(f[j], "MemFree:"))
					dst = &n->mem_free_kb;
				else
					continue;
				if (!nms_parse_int(f[j + 1], 0, LLONG_MAX, &v))
					*dst = v;
				break;
			}
		}
		free(text);
		if (n->mem_total_kb != NMS_NONE)
			s->have |= NMS_F_MEMINFO;
	}
}

static long long read_param(const struct nms_paths *p, const char *name)
{
	char path[4096], *text;
	long long v;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", p->params, name);
	text = nms_slurp(path, &len);
	if (!text)
		return NMS_NONE;
	if (len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	if (nms_parse_int(text, 0, LLONG_MAX, &v))
		v = NMS_NONE;
	free(text);
	return v;
}

static void warn_bad(const char *path, int bad, bool quiet)
{
	if (bad && !quiet)
		fprintf(stderr, "%s: skipped %d malformed lines in %s\n",
			nms_prog, bad, path);
}

/*
 * Reads an optional file. Return: its text, or NULL: absent (ENOENT,
 * *err 0: an older module) or unreadable (*err set, said on stderr).
 */
static char *read_optional(const char *dir, const char *name, char *path,
			   size_t plen, size_t *len, int *err)
{
	char *text;

	snprintf(path, plen, "%s/%s", dir, name);
	*err = 0;
	text = nms_slurp(path, len);
	if (!text && errno != ENOENT) {
		*err = errno;
		fprintf(stderr, "%s: cannot read %s: %s\n", nms_prog, path,
			strerror(errno));
	}
	return text;
}

/**
 * nms_read() - read the files a view needs into a snapshot
 * @p: where they are
 * @want: NMS_F_* (stats is always read)
 * @s: the snapshot, zeroed here; nms_snap_free() it even on failure
 * @quiet: do not report malformed lines (a watch loop's later reads)
 *
 * Return: 0, or -1 after saying why in one line on stderr.
 */
int nms_read(const struct nms_paths *p, unsigned int want,
	     struct nms_snap *s, bool quiet)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} tables[] = {
		{ NMS_F_TOPOLOGY, "topology" },
		{ NMS_F_NODES, "nodes" },
		{ NMS_F_TASKS, "tasks" },
		{ NMS_F_DECISIONS, "decisions" },
	};
	char path[4096], *text;
	size_t len, i;
	int bad, err, k;

	memset(s, 0, sizeof(*s));
	s->period_ms = NMS_NONE;
	s->margin_permille = NMS_NONE;
	s->hold_ms = NMS_NONE;

	snprintf(path, sizeof(path), "%s/stats", p->dir);
	text = nms_slurp(path, &len);
	if (!text) {
		nms_explain_open_error(p, path, errno);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &s->when);
	s->nr_c = nms_parse_counters(text, len, &s->c, &bad);
	free(text);
	if (s->nr_c < 0) {
		s->nr_c = 0;
		s->c = NULL;
		goto nomem;
	}
	if (s->nr_c == 0) {
		fprintf(stderr, "%s: no counters in %s (%d malformed lines)\n",
			nms_prog, path, bad);
		return -1;
	}
	warn_bad(path, bad, quiet);
	s->have |= NMS_F_STATS;

	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		if (!(want & tables[i].bit))
			continue;
		text = read_optional(p->dir, tables[i].name, path,
				     sizeof(path), &len, &err);
		if (!text) {
			if (err)
				return -1;
			continue;
		}
		switch (tables[i].bit) {
		case NMS_F_TOPOLOGY:
			k = parse_topology(text, len, s, &bad, path, quiet);
			break;
		case NMS_F_NODES:
			k = parse_table(text, len, path, node_cols, N_NR,
					"node", s, nodes_row, &bad);
			break;
		case NMS_F_TASKS:
			k = parse_table(text, len, path, task_cols, T_NR,
					"pid", s, tasks_row, &bad);
			break;
		default:
			k = parse_table(text, len, path, dec_cols, D_NR,
					"ms_ago", s, dec_row, &bad);
			break;
		}
		free(text);
		if (k < 0)
			goto nomem;
		if (k > 0) {
			s->broken |= tables[i].bit;
			continue;
		}
		warn_bad(path, bad, quiet);
		s->have |= tables[i].bit;
	}
	if (s->nr_nodes)
		qsort(s->nodes, s->nr_nodes, sizeof(*s->nodes), cmp_node);
	for (k = 0; k < s->nr_topo; k++) {
		int id = s->topo_node[k], j;

		for (j = 0; j < s->nr_nodes; j++)
			if (s->nodes[j].id == id)
				s->topo_node[k] = j;
	}
	if ((want & NMS_F_MEMINFO) && p->node_sysfs)
		read_meminfo(p, s);
	if ((want & NMS_F_PARAMS) && p->params) {
		s->period_ms = read_param(p, "period_ms");
		s->margin_permille = read_param(p, "margin_permille");
		s->hold_ms = read_param(p, "hold_ms");
		if (s->period_ms != NMS_NONE)
			s->have |= NMS_F_PARAMS;
	}
	return 0;
nomem:
	fprintf(stderr, "%s: out of memory\n", nms_prog);
	return -1;
}

/**
 * nms_snap_free() - free what nms_read() allocated
 * @s: the snapshot
 */
void nms_snap_free(struct nms_snap *s)
{
	int i;

	for (i = 0; i < s->nr_tasks; i++) {
		free(s->tasks[i].run_permille);
		free(s->tasks[i].mem_permille);
	}
	free(s->tasks);
	free(s->dec);
	free(s->c);
	free(s->nodes);
	free(s->topo_node);
	free(s->dist);
	memset(s, 0, sizeof(*s));
}

/**
 * nms_counter() - a counter of stats by name
 * @s: the snapshot
 * @name: its name
 *
 * Return: the counter, NULL if stats has none of that name.
 */
const struct nms_counter *nms_counter(const struct nms_snap *s,
				      const char *name)
{
	int i;

	for (i = 0; i < s->nr_c; i++)
		if (!strcmp(s->c[i].name, name))
			return &s->c[i];
	return NULL;
}

/**
 * nms_value() - a counter's value
 * @s: the snapshot
 * @name: its name
 *
 * Return: the value (at most LLONG_MAX), NMS_NONE if absent or a word.
 */
long long nms_value(const struct nms_snap *s, const char *name)
{
	const struct nms_counter *c = nms_counter(s, name);

	if (!c || c->is_text)
		return NMS_NONE;
	return c->value > LLONG_MAX ? LLONG_MAX : (long long)c->value;
}

/**
 * nms_node_by_id() - a node by its id
 * @s: the snapshot
 * @id: the node id
 *
 * Return: the node, NULL if neither topology nor nodes lists it.
 */
struct nms_node *nms_node_by_id(const struct nms_snap *s, long long id)
{
	int i;

	for (i = 0; i < s->nr_nodes; i++)
		if (s->nodes[i].id == id)
			return &s->nodes[i];
	return NULL;
}

/**
 * nms_distance() - the SLIT distance between two nodes
 * @s: the snapshot
 * @a: index of one node in s->nodes
 * @b: index of the other
 *
 * Return: the distance, -1 when the topology does not give it.
 */
int nms_distance(const struct nms_snap *s, int a, int b)
{
	int i, ta = -1, tb = -1;

	if (!s->dist)
		return -1;
	for (i = 0; i < s->nr_topo; i++) {
		if (s->topo_node[i] == a)
			ta = i;
		if (s->topo_node[i] == b)
			tb = i;
	}
	if (ta < 0 || tb < 0)
		return -1;
	return s->dist[ta * s->nr_topo + tb];
}
