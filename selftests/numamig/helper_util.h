/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftests' helper programs share: a one-line error and exit 1
 * (die()), usage and exit 2 for a bad argument (bad_usage()), strict
 * number parsing (parse_num()). A program defines HELPER_NAME and its
 * usage[] text before including this.
 */
#ifndef NUMAMIG_HELPER_UTIL_H
#define NUMAMIG_HELPER_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fputs(HELPER_NAME ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn)) bad_usage(const char *fmt, const char *arg)
{
	fputs(HELPER_NAME ": ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(usage, stderr);
	exit(2);
}

/* A decimal integer in [min, max], all of @s; else usage, exit 2. */
static long parse_num(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		bad_usage(what, s);
	return v;
}

#endif /* NUMAMIG_HELPER_UTIL_H */
