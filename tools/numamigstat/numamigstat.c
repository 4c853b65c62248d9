// SPDX-License-Identifier: GPL-2.0
/*
 * numamigstat - show what the numamig module counts.
 *
 * Reads only the module's documented debugfs text formats (see
 * Documentation/admin-guide.rst): one "name value" record a line, names
 * it does not know are shown as they are, malformed lines are skipped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define DEBUGFS_ROOT	"/sys/kernel/debug"
#define DEBUGFS_MAGIC	0x64626720
#define NUMAMIG_DIR	DEBUGFS_ROOT "/numamig"
#define MAX_FILE	(4 << 20)

struct counter {
	char name[64];
	unsigned long long value;
};

static const char *prog = "numamigstat";

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-d DIR]\n"
		"  Print numamig's event counters.\n"
		"  -d DIR  read the module's files from DIR instead of %s\n"
		"          (also: NUMAMIG_DEBUGFS)\n",
		prog, NUMAMIG_DIR);
}

/* Reads a whole file, coping with short reads; NUL-terminated. */
static char *slurp(const char *path, size_t *lenp)
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

/*
 * Explains, in one line, why the module's file cannot be read: not root,
 * debugfs not mounted, module not loaded, or the plain error.
 */
static void explain_open_error(const char *dir, const char *path, int err)
{
	struct statfs sfs;
	struct stat st;

	if (err == EACCES || err == EPERM) {
		fprintf(stderr, "%s: permission denied reading %s: run as root\n",
			prog, path);
		return;
	}
	if (err == ENOENT && !strcmp(dir, NUMAMIG_DIR)) {
		if (statfs(DEBUGFS_ROOT, &sfs) || sfs.f_type != DEBUGFS_MAGIC) {
			fprintf(stderr,
				"%s: debugfs is not mounted at %s (mount -t debugfs none %s)\n",
				prog, DEBUGFS_ROOT, DEBUGFS_ROOT);
			return;
		}
		if (stat("/sys/module/numamig", &st)) {
			fprintf(stderr, "%s: the numamig module is not loaded (insmod numamig.ko)\n",
				prog);
			return;
		}
	}
	fprintf(stderr, "%s: cannot read %s: %s\n", prog, path, strerror(err));
}

/*
 * Parses one "name value [fields...]" record. Names are [A-Za-z0-9_]; the
 * value is a decimal count; fields after it are for newer readers.
 */
static int parse_record(const char *line, struct counter *c)
{
	const char *p = line, *name;
	unsigned long long v = 0;
	size_t len;

	name = p;
	while (*p == '_' || (*p >= 'a' && *p <= 'z') ||
	       (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		p++;
	len = p - name;
	if (!len || len >= sizeof(c->name) || *p != ' ')
		return -1;
	p++;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (~0ULL - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p && *p != ' ')
		return -1;
	memcpy(c->name, name, len);
	c->name[len] = '\0';
	c->value = v;
	return 0;
}

/*
 * Parses the stats file. Only complete lines count: a last line without
 * its newline was cut short and is skipped with the malformed ones.
 * Returns the number of counters, or -1 when out of memory.
 */
static int parse_counters(char *text, size_t len, struct counter **out,
			  int *bad)
{
	struct counter *c = NULL;
	int n = 0, cap = 0;
	char *line = text, *nl;

	*bad = 0;
	for (; line < text + len; line = nl + 1) {
		nl = memchr(line, '\n', text + len - line);
		if (!nl) {
			(*bad)++;
			break;
		}
		*nl = '\0';
		if (!*line)
			continue;
		if (n == cap) {
			struct counter *nc;

			cap = cap ? cap * 2 : 32;
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

int main(int argc, char **argv)
{
	const char *dir = getenv("NUMAMIG_DEBUGFS");
	struct counter *c;
	char path[4096], *text;
	int opt, n, bad, i, width = 0;
	size_t len;

	if (!dir || !*dir)
		dir = NUMAMIG_DIR;
	while ((opt = getopt(argc, argv, "d:h")) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		usage(stderr);
		return 2;
	}

	snprintf(path, sizeof(path), "%s/stats", dir);
	text = slurp(path, &len);
	if (!text) {
		explain_open_error(dir, path, errno);
		return 1;
	}
	n = parse_counters(text, len, &c, &bad);
	free(text);
	if (n < 0) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "%s: no counters in %s (%d malformed lines)\n",
			prog, path, bad);
		free(c);
		return 1;
	}
	if (bad)
		fprintf(stderr, "%s: skipped %d malformed lines in %s\n",
			prog, bad, path);

	for (i = 0; i < n; i++) {
		int w = (int)strlen(c[i].name);

		if (w > width)
			width = w;
	}
	printf("%-*s %20s\n", width, "counter", "value");
	for (i = 0; i < n; i++)
		printf("%-*s %20llu\n", width, c[i].name, c[i].value);
	free(c);
	return 0;
}
