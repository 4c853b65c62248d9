// SPDX-License-Identifier: GPL-2.0
/*
 * test_scope - host unit tests of numamig's scope lists
 * (module/numamig_scopelist.c), in TAP: the syntax an administrator
 * writes to comm_include, comm_exclude, cgroup_include and
 * cgroup_exclude, what each refusal says, and who ends up in scope.
 *
 * Exits 1 if any test failed.
 */
#include <stdio.h>
#include <string.h>

#include "numamig/scope.h"
#include "unit.h"

static struct numamig_scope_list l;
static struct numamig_scope sc;

static void ok_parse(enum numamig_scope_kind kind, const char *s)
{
	struct numamig_scope_err err = { 0 };

	if (numamig_scope_parse(&l, kind, s, &err))
		fail("'%s' refused: %s (entry %d)", s, err.msg, err.entry);
}

/* @s is refused, about entry @entry, with a message containing @want. */
static void bad_parse(enum numamig_scope_kind kind, const char *s,
		      int entry, const char *want)
{
	struct numamig_scope_err err = { 0 };
	char what[256];

	snprintf(what, sizeof(what), "'%.200s' refused", s);
	if (!numamig_scope_parse(&l, kind, s, &err)) {
		fail("%s: accepted", what);
		return;
	}
	check_eq(what, err.entry, entry);
	if (!err.msg || !strstr(err.msg, want))
		fail("%s: message '%s' lacks '%s'", what, err.msg ? err.msg : "",
		     want);
}

static void test_comm_syntax(void)
{
	ok_parse(NUMAMIG_SCOPE_COMM, "");
	check_eq("empty list: nr", l.nr, 0);
	ok_parse(NUMAMIG_SCOPE_COMM, "\n");
	check_eq("newline only: nr", l.nr, 0);
	ok_parse(NUMAMIG_SCOPE_COMM, "postgres,redis-server,kworker*\n");
	check_eq("three: nr", l.nr, 3);
	check_str("text without the newline", l.text, "postgres,redis-server,kworker*");
	check_str("entry 0", l.buf + l.off[0], "postgres");
	check_eq("entry 2 is a prefix", l.prefix[2], 1);
	check_str("entry 2 without its *", l.buf + l.off[2], "kworker");
	ok_parse(NUMAMIG_SCOPE_COMM, "Web Content");
	check_eq("space inside a name", l.nr, 1);
	ok_parse(NUMAMIG_SCOPE_COMM, "123456789012345");
	check_eq("15 characters", l.len[0], 15);
	ok_parse(NUMAMIG_SCOPE_COMM, "123456789012345*");
	check_eq("15 characters and a *", l.len[0], 15);
	ok_parse(NUMAMIG_SCOPE_COMM, "*");
	check_eq("* alone: a prefix of 0", l.len[0] + 10 * l.prefix[0], 10);
}

static void test_comm_refused(void)
{
	bad_parse(NUMAMIG_SCOPE_COMM, "1234567890123456", 0, "longer than 15");
	bad_parse(NUMAMIG_SCOPE_COMM, "a,,b", 1, "empty entry");
	bad_parse(NUMAMIG_SCOPE_COMM, "a,", 1, "empty entry");
	bad_parse(NUMAMIG_SCOPE_COMM, ",a", 0, "empty entry");
	bad_parse(NUMAMIG_SCOPE_COMM, "a*b", 0, "only allowed at the end");
	bad_parse(NUMAMIG_SCOPE_COMM, "**", 0, "only allowed at the end");
	bad_parse(NUMAMIG_SCOPE_COMM, "a, b", 1, "space at the start");
	bad_parse(NUMAMIG_SCOPE_COMM, "ok,tab\there", 1, "printable");
	bad_parse(NUMAMIG_SCOPE_COMM, "caf\xc3\xa9", 0, "printable");
	bad_parse(NUMAMIG_SCOPE_COMM, "a\n\n", 0, "printable");
}

static void test_too_many_too_long(void)
{
	char s[4096];
	int i, n = 0;

	for (i = 0; i < 16; i++)
		n += sprintf(s + n, "%sc%d", i ? "," : "", i);
	ok_parse(NUMAMIG_SCOPE_COMM, s);
	check_eq("16 entries", l.nr, 16);
	sprintf(s + n, ",c16");
	bad_parse(NUMAMIG_SCOPE_COMM, s, 16, "more than 16 entries");

	memset(s, 'a', 1100);
	s[0] = '/';
	s[1100] = 0;
	bad_parse(NUMAMIG_SCOPE_CGROUP, s, -1, "longer than 1024");
	s[513] = 0;
	bad_parse(NUMAMIG_SCOPE_CGROUP, s, 0, "longer than 512");
	s[512] = 0;
	ok_parse(NUMAMIG_SCOPE_CGROUP, s);
	check_eq("a path of 512 characters", l.len[0], 512);
	/* 1024 characters and a newline: the newline does not count. */
	memset(s, 'x', 1024);
	for (i = 0; i < 1024; i += 64) {
		if (i)
			s[i - 1] = ',';
		s[i] = '/';
	}
	strcpy(s + 1024, "\n");
	ok_parse(NUMAMIG_SCOPE_CGROUP, s);
	check_eq("1024 characters and a newline: 16 entries", l.nr, 16);
	check_eq("the last entry", l.len[15], 64);
}

static void test_cgroup_syntax(void)
{
	ok_parse(NUMAMIG_SCOPE_CGROUP, "/,/system.slice/db.service,/user.slice\n");
	check_eq("three paths", l.nr, 3);
	check_str("entry 1", l.buf + l.off[1], "/system.slice/db.service");
	check_eq("no prefix flag for paths", l.prefix[0] + l.prefix[1], 0);
	ok_parse(NUMAMIG_SCOPE_CGROUP, "/a*b/.x/..y/x..");
	check_eq("dots and * inside names are names", l.nr, 1);

	bad_parse(NUMAMIG_SCOPE_CGROUP, "system.slice", 0, "absolute");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a,b", 1, "absolute");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a/", 0, "trailing");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a//b", 0, "empty component");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "//", 0, "trailing");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a/../b", 0, "'..'");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/.", 0, "'.'");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a b", 0, "space");
	bad_parse(NUMAMIG_SCOPE_CGROUP, "/a,", 1, "empty entry");
}

static void test_match_comm(void)
{
	ok_parse(NUMAMIG_SCOPE_COMM, "postgres,kworker*");
	check_eq("exact", numamig_scope_match_comm(&l, "postgres"), 1);
	check_eq("longer is not exact", numamig_scope_match_comm(&l, "postgres2"), 0);
	check_eq("shorter is not exact", numamig_scope_match_comm(&l, "postgre"), 0);
	check_eq("prefix", numamig_scope_match_comm(&l, "kworker/0:1"), 1);
	check_eq("prefix itself", numamig_scope_match_comm(&l, "kworker"), 1);
	check_eq("not a prefix", numamig_scope_match_comm(&l, "kworke"), 0);
	check_eq("case matters", numamig_scope_match_comm(&l, "Postgres"), 0);
	check_eq("NULL", numamig_scope_match_comm(&l, NULL), 0);
	ok_parse(NUMAMIG_SCOPE_COMM, "*");
	check_eq("* matches any", numamig_scope_match_comm(&l, "x"), 1);
	ok_parse(NUMAMIG_SCOPE_COMM, "");
	check_eq("empty list matches none", numamig_scope_match_comm(&l, "x"), 0);
}

static void test_match_cgroup(void)
{
	static const char deep[] = "/user.slice/user-0.slice/session-1.scope";

	ok_parse(NUMAMIG_SCOPE_CGROUP, "/db.slice,/user.slice/user-0.slice");
	check_eq("itself", numamig_scope_match_cgroup(&l, "/db.slice"), 1);
	check_eq("below", numamig_scope_match_cgroup(&l, "/db.slice/pg.service"), 1);
	check_eq("a sibling sharing the prefix",
		 numamig_scope_match_cgroup(&l, "/db.slice2"), 0);
	check_eq("above", numamig_scope_match_cgroup(&l, "/user.slice"), 0);
	check_eq("deep", numamig_scope_match_cgroup(&l, deep), 1);
	check_eq("root", numamig_scope_match_cgroup(&l, "/"), 0);
	check_eq("NULL", numamig_scope_match_cgroup(&l, NULL), 0);
	ok_parse(NUMAMIG_SCOPE_CGROUP, "/");
	check_eq("/ matches root", numamig_scope_match_cgroup(&l, "/"), 1);
	check_eq("/ matches all", numamig_scope_match_cgroup(&l, "/a/b"), 1);
}

static void set(struct numamig_scope_list *to, enum numamig_scope_kind kind,
		const char *s)
{
	if (numamig_scope_parse(to, kind, s, NULL))
		fail("'%s' refused", s);
}

static void test_in_scope(void)
{
	memset(&sc, 0, sizeof(sc));
	check_eq("NULL scope: all in", numamig_scope_in(NULL, "a", "a", NULL), 1);
	check_eq("empty: all in", numamig_scope_in(&sc, "a", NULL, NULL), 1);
	check_eq("empty", numamig_scope_empty(&sc), 1);

	set(&sc.comm_exclude, NUMAMIG_SCOPE_COMM, "numad,batch*");
	check_eq("not empty", numamig_scope_empty(&sc), 0);
	check_eq("comm excluded", numamig_scope_in(&sc, "batch-7", "sh", NULL), 0);
	check_eq("process excluded, thread renamed",
		 numamig_scope_in(&sc, "worker", "numad", NULL), 0);
	check_eq("other comm in", numamig_scope_in(&sc, "db", "db", NULL), 1);
	check_eq("cgroup unknown, no cgroup list: in",
		 numamig_scope_in(&sc, "db", NULL, NULL), 1);

	set(&sc.comm_include, NUMAMIG_SCOPE_COMM, "db*");
	check_eq("included", numamig_scope_in(&sc, "db-3", "x", "/a"), 1);
	check_eq("included by its process", numamig_scope_in(&sc, "w1", "dbserver", "/a"), 1);
	check_eq("not included", numamig_scope_in(&sc, "web", "web", "/a"), 0);

	set(&sc.cgroup_include, NUMAMIG_SCOPE_CGROUP, "/db.slice");
	check_eq("uses cgroup", numamig_scope_uses_cgroup(&sc), 1);
	check_eq("comm and cgroup both match",
		 numamig_scope_in(&sc, "db", "db", "/db.slice/x.service"), 1);
	check_eq("comm matches, cgroup does not: out",
		 numamig_scope_in(&sc, "db", "db", "/web.slice"), 0);
	check_eq("cgroup unknown with a cgroup list: out",
		 numamig_scope_in(&sc, "db", "db", NULL), 0);

	set(&sc.cgroup_exclude, NUMAMIG_SCOPE_CGROUP, "/db.slice/batch");
	check_eq("exclude beats include",
		 numamig_scope_in(&sc, "db", "db", "/db.slice/batch/j1"), 0);
	check_eq("exclude of another branch",
		 numamig_scope_in(&sc, "db", "db", "/db.slice/batch2"), 1);
	set(&sc.comm_exclude, NUMAMIG_SCOPE_COMM, "db-old");
	check_eq("comm exclude beats comm include",
		 numamig_scope_in(&sc, "db-old", "db-old", "/db.slice"), 0);
}

static void test_bad_input(void)
{
	struct numamig_scope_err err = { 0 };

	check_eq("NULL list", numamig_scope_parse(NULL, NUMAMIG_SCOPE_COMM, "a", &err), -1);
	check_eq("NULL text", numamig_scope_parse(&l, NUMAMIG_SCOPE_COMM, NULL, &err), -1);
	check_eq("NULL err is fine", numamig_scope_parse(&l, NUMAMIG_SCOPE_COMM, "a*b", NULL), -1);
	check_eq("match on NULL list", numamig_scope_match_comm(NULL, "a"), 0);
	check_eq("match on NULL list", numamig_scope_match_cgroup(NULL, "/a"), 0);
}

static const struct unit_test tests[] = {
	{ test_comm_syntax,
	  "comm lists: names, prefixes, spaces inside, 15 characters, newline" },
	{ test_comm_refused,
	  "comm lists refused: too long, empty entry, misplaced *, spaces, non-ASCII" },
	{ test_too_many_too_long, "16 entries and 1024 characters are the limits" },
	{ test_cgroup_syntax,
	  "cgroup lists: absolute paths only, no //, ., .., trailing /, spaces" },
	{ test_match_comm, "comm matching: exact or prefix, case-sensitive" },
	{ test_match_cgroup, "cgroup matching: the cgroup and its descendants, not siblings" },
	{ test_in_scope, "in scope: excludes win, every non-empty include must match" },
	{ test_bad_input, "NULL input is refused or matches nothing" },
};

int main(void)
{
	unit_run(tests, ARRAY_SIZE(tests), 0);
	return unit_done();
}
