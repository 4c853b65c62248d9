// SPDX-License-Identifier: GPL-2.0
/*
 * dbgread - read debugfs files the odd ways a careless reader would, and
 * check that every way gives the same text.
 *
 *   dbgread [-s] [-n ROUNDS] FILE...
 *
 * For each FILE, ROUNDS times (default 1): reads it whole with one big
 * read(), then again in 1-byte reads, in reads of 7, 13 and 4096 bytes,
 * with pread() and lseek() from the middle, and checks:
 *
 *   - with -s (a file that does not change between reads, such as
 *     topology): every way gives exactly the text of the whole read, and
 *     what starts at offset K is the whole text from K;
 *   - without -s (a live file, whose counters move between reads): each
 *     read is well formed, printable ASCII in lines that end in '\n';
 *     every line that starts with a name (not a number) is one the whole
 *     read had, with as many fields; every line that starts with a
 *     number has as many fields as such lines of the whole read;
 *   - pread() at offsets past the end (the size, 1 << 40, LLONG_MAX)
 *     returns 0 bytes or fails with EINVAL, never data or another error;
 *     lseek() to a negative offset or SEEK_END fails with EINVAL or
 *     succeeds, and the file still reads whole afterwards.
 *
 * Prints "ok FILE bytes N reads R" per file, or one line per mismatch on
 * stderr; exits 1 on any mismatch, 2 on bad usage. A file that goes away
 * (ENOENT, the module unloaded) stops that file's rounds quietly with
 * "gone FILE".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: dbgread [-s] [-n ROUNDS] FILE...\n"
	"  -s         the files do not change between reads: all reads must be equal\n"
	"  -n ROUNDS  read each file this many times each way, default 1\n";

#define HELPER_NAME "dbgread"
#include "helper_util.h"

#define MAX_TEXT	(64 << 20)

struct text {
	char *buf;
	size_t len;
};

static int failures;
static int gone;

static void __attribute__((format(printf, 2, 3)))
mismatch(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "dbgread: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures++;
}

static int open_file(const char *file)
{
	int fd = open(file, O_RDONLY);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV) {
			gone = 1;
			return -1;
		}
		die("%s: %s", file, strerror(errno));
	}
	return fd;
}

/* From the current offset to EOF, @chunk bytes a read(). */
static int read_rest(int fd, const char *file, size_t chunk, struct text *t,
		     unsigned long *reads)
{
	size_t cap = 1 << 16;
	ssize_t n;

	t->buf = malloc(cap);
	t->len = 0;
	if (!t->buf)
		die("%s", "out of memory");
	for (;;) {
		if (t->len + chunk > cap) {
			cap *= 2;
			if (cap > MAX_TEXT)
				die("%s: larger than %d bytes", file, MAX_TEXT);
			t->buf = realloc(t->buf, cap);
			if (!t->buf)
				die("%s", "out of memory");
		}
		n = read(fd, t->buf + t->len, chunk);
		(*reads)++;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENODEV || errno == EIO) {
				/* debugfs file removed under an open fd */
				gone = 1;
				return -1;
			}
			die("%s: read: %s", file, strerror(errno));
		}
		if (n == 0)
			return 0;
		if ((size_t)n > chunk)
			die("%s: read %zd bytes, asked for %zu", file, n, chunk);
		t->len += n;
	}
}

/* The whole file, @chunk bytes a read(), from offset @from. */
static int read_all(const char *file, size_t chunk, off_t from,
		    struct text *t, unsigned long *reads)
{
	int fd = open_file(file), err;

	if (fd < 0)
		return -1;
	if (from && lseek(fd, from, SEEK_SET) != from)
		die("%s: lseek %lld: %s", file, (long long)from, strerror(errno));
	err = read_rest(fd, file, chunk, t, reads);
	close(fd);
	return err;
}

static int name_like(const char *line)
{
	return !(line[0] >= '0' && line[0] <= '9') && line[0] != '-';
}

static int nfields(const char *line, size_t len)
{
	int n = 0, in = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (line[i] == ' ') {
			in = 0;
		} else if (!in) {
			in = 1;
			n++;
		}
	}
	return n;
}

/* Printable lines that end in '\n'. */
static int well_formed(const char *file, const char *how, const struct text *t)
{
	size_t i;

	if (t->len && t->buf[t->len - 1] != '\n') {
		mismatch(file, "%s: does not end in a newline", how);
		return 0;
	}
	for (i = 0; i < t->len; i++) {
		unsigned char c = t->buf[i];

		if (c != '\n' && (c < 0x20 || c > 0x7e)) {
			mismatch(file, "%s: byte 0x%02x at offset %zu", how, c, i);
			return 0;
		}
		if (c == '\n' && (i == 0 || t->buf[i - 1] == '\n')) {
			mismatch(file, "%s: empty line at offset %zu", how, i);
			return 0;
		}
	}
	return 1;
}

/* The line of @ref that starts with the same first field as @line. */
static const char *find_named(const struct text *ref, const char *line, size_t len,
			      size_t *rlen)
{
	size_t key = strcspn(line, " \n");
	const char *p = ref->buf, *end = ref->buf + ref->len, *nl;

	if (key > len)
		key = len;
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			break;
		if ((size_t)(nl - p) >= key && !memcmp(p, line, key) &&
		    (p[key] == ' ' || p + key == nl)) {
			*rlen = nl - p;
			return p;
		}
	}
	return NULL;
}

/* A live file read another way: lines shaped like the whole read's. */
static void same_shape(const char *file, const char *how,
		       const struct text *ref, const struct text *t)
{
	const char *p = t->buf, *end = t->buf + t->len, *nl, *r;
	int numeric_fields = -1;
	size_t rlen;

	if (!well_formed(file, how, t))
		return;
	/* the field count of the whole read's numeric lines */
	for (r = ref->buf; r < ref->buf + ref->len; r = nl + 1) {
		nl = memchr(r, '\n', ref->buf + ref->len - r);
		if (!nl)
			break;
		if (!name_like(r)) {
			numeric_fields = nfields(r, nl - r);
			break;
		}
	}
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			break;
		if (name_like(p)) {
			r = find_named(ref, p, nl - p, &rlen);
			if (!r) {
				mismatch(file, "%s: line '%.*s' is not in the whole read",
					 how, (int)(nl - p), p);
				return;
			}
			if (nfields(r, rlen) != nfields(p, nl - p)) {
				mismatch(file, "%s: line '%.*s' has %d fields, the whole read's %d",
					 how, (int)(nl - p), p, nfields(p, nl - p),
					 nfields(r, rlen));
				return;
			}
		} else if (numeric_fields >= 0 && nfields(p, nl - p) != numeric_fields) {
			mismatch(file, "%s: line '%.*s' has %d fields, not %d",
				 how, (int)(nl - p), p, nfields(p, nl - p), numeric_fields);
			return;
		}
	}
}

static void compare(const char *file, int stable, const char *how,
		    const struct text *ref, off_t from, const struct text *t)
{
	if (!stable) {
		/* a read from the middle of a live file starts mid-line */
		if (!from)
			same_shape(file, how, ref, t);
		return;
	}
	if ((size_t)from > ref->len) {
		if (t->len)
			mismatch(file, "%s: %zu bytes past the end", how, t->len);
		return;
	}
	if (t->len != ref->len - from ||
	    memcmp(t->buf, ref->buf + from, t->len))
		mismatch(file, "%s: %zu bytes differ from the whole read's %zu from offset %lld",
			 how, t->len, ref->len - from, (long long)from);
}

/* pread() and lseek() at odd offsets on one open file. */
static void odd_offsets(const char *file, int stable, const struct text *ref,
			unsigned long *reads)
{
	const off_t past[] = { (off_t)ref->len, (off_t)ref->len + 1,
			       (off_t)1 << 40, LLONG_MAX - 1, LLONG_MAX };
	char buf[256];
	struct text t;
	unsigned int i;
	off_t mid;
	ssize_t n;
	int fd;

	fd = open_file(file);
	if (fd < 0)
		return;
	for (i = 0; i < sizeof(past) / sizeof(past[0]); i++) {
		/* a live file may have grown since: only huge offsets are past it */
		if (!stable && past[i] < (off_t)1 << 40)
			continue;
		n = pread(fd, buf, sizeof(buf), past[i]);
		(*reads)++;
		if (n > 0)
			mismatch(file, "pread at %lld returned %zd bytes past the end",
				 (long long)past[i], n);
		else if (n < 0 && errno != EINVAL)
			mismatch(file, "pread at %lld: %s, not 0 or EINVAL",
				 (long long)past[i], strerror(errno));
	}
	if (lseek(fd, -1, SEEK_SET) >= 0)
		mismatch(file, "%s", "lseek to -1 succeeded");
	else if (errno != EINVAL)
		mismatch(file, "lseek to -1: %s, not EINVAL", strerror(errno));
	if (lseek(fd, 0, SEEK_END) < 0 && errno != EINVAL)
		mismatch(file, "lseek SEEK_END: %s, not EINVAL", strerror(errno));

	/* pread from the middle, then the file read whole from 0 */
	mid = ref->len / 2;
	n = pread(fd, buf, sizeof(buf), mid);
	(*reads)++;
	if (n < 0)
		mismatch(file, "pread at %lld: %s", (long long)mid, strerror(errno));
	else if (stable && ((size_t)n != (ref->len - mid < sizeof(buf) ?
					  ref->len - mid : sizeof(buf)) ||
			    memcmp(buf, ref->buf + mid, n)))
		mismatch(file, "pread of %zu at %lld differs from the whole read",
			 sizeof(buf), (long long)mid);
	if (lseek(fd, 0, SEEK_SET) != 0)
		mismatch(file, "lseek to 0: %s", strerror(errno));
	else if (!read_rest(fd, file, 4096, &t, reads)) {
		compare(file, stable, "read after odd seeks", ref, 0, &t);
		free(t.buf);
	}
	close(fd);
}

static void check_file(const char *file, int stable, long rounds)
{
	const size_t chunks[] = { 1, 7, 13, 4096 };
	unsigned long reads = 0;
	struct text ref, t;
	char how[64];
	unsigned int i;
	long r;
	off_t mid;

	gone = 0;
	for (r = 0; r < rounds && !gone; r++) {
		if (read_all(file, 1 << 20, 0, &ref, &reads))
			break;
		if (!well_formed(file, "whole read", &ref)) {
			free(ref.buf);
			break;
		}
		for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]) && !gone; i++) {
			if (read_all(file, chunks[i], 0, &t, &reads))
				break;
			snprintf(how, sizeof(how), "%zu-byte reads", chunks[i]);
			compare(file, stable, how, &ref, 0, &t);
			free(t.buf);
		}
		for (mid = 1; mid < (off_t)ref.len && !gone; mid = mid * 3 + 5) {
			if (read_all(file, 13, mid, &t, &reads))
				break;
			snprintf(how, sizeof(how), "13-byte reads from offset %lld",
				 (long long)mid);
			compare(file, stable, how, &ref, mid, &t);
			free(t.buf);
		}
		if (!gone)
			odd_offsets(file, stable, &ref, &reads);
		if (!gone)
			printf("ok %s bytes %zu reads %lu\n", file, ref.len, reads);
		free(ref.buf);
	}
	if (gone)
		printf("gone %s\n", file);
}

int main(int argc, char **argv)
{
	long rounds = 1;
	int opt, stable = 0;

	while ((opt = getopt(argc, argv, "sn:h")) != -1) {
		switch (opt) {
		case 's':
			stable = 1;
			break;
		case 'n':
			rounds = parse_num(optarg, 1, 1000000,
					   "-n wants 1 to 1000000 rounds, not '%s'");
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind >= argc)
		bad_usage("%s", "no FILE");
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; optind < argc; optind++)
		check_file(argv[optind], stable, rounds);
	return failures ? 1 : 0;
}
