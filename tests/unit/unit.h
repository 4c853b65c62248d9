/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unit.h - what numamig's host unit tests share: the first failed check
 * of the running test, and TAP output. Each test program is one .c file
 * built with the policy library; this header is all they have in common.
 */
#ifndef _NUMAMIG_UNIT_H
#define _NUMAMIG_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* A named test: run, then reported as one TAP line. */
struct unit_test {
	void (*fn)(void);
	const char *desc;
};

/* The first failed check of the running test: "# what: got X want Y". */
static char diag[1024];
static int failed;
static unsigned int nr_tap, nr_failed;

static inline void fail(const char *fmt, ...)
{
	va_list ap;

	if (failed++)
		return;
	va_start(ap, fmt);
	vsnprintf(diag, sizeof(diag), fmt, ap);
	va_end(ap);
}

static inline void check_eq(const char *what, long long got, long long want)
{
	if (got != want)
		fail("%s: got %lld want %lld", what, got, want);
}

static inline void check_u64(const char *what, unsigned long long got,
			     unsigned long long want)
{
	if (got != want)
		fail("%s: got %llu want %llu", what, got, want);
}

static inline void check_str(const char *what, const char *got, const char *want)
{
	if (!got || strcmp(got, want))
		fail("%s: got \"%s\" want \"%s\"", what, got ? got : "(null)",
		     want);
}

/* One TAP line; a failure is followed by its diagnostic, "# ...". */
static inline void tap(int ok, const char *desc, const char *fmt, ...)
{
	va_list ap;

	nr_tap++;
	if (ok) {
		printf("ok %u %s\n", nr_tap, desc);
		return;
	}
	nr_failed++;
	printf("not ok %u %s\n# ", nr_tap, desc);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* The plan, then each named test as a TAP line. */
static inline void unit_run(const struct unit_test *tests, size_t n,
			    size_t more)
{
	size_t i;

	printf("TAP version 13\n1..%zu\n", n + more);
	for (i = 0; i < n; i++) {
		failed = 0;
		diag[0] = 0;
		tests[i].fn();
		tap(!failed, tests[i].desc, "%s", diag);
	}
}

/* The summary line and the exit status. */
static inline int unit_done(void)
{
	if (nr_failed)
		printf("# %u of %u failed\n", nr_failed, nr_tap);
	return nr_failed ? 1 : 0;
}

#endif /* _NUMAMIG_UNIT_H */
