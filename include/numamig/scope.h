/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig's scope lists, pure: which tasks numamig may move, by command
 * name and by cgroup path. Parsing and matching only; where the names
 * and paths come from, and when the check runs, is the module's business
 * (module/numamig_scope.c).
 *
 * Pure as include/numamig/policy.h: no kernel or libc header, no
 * allocation, no lock, no state; the same source builds into numamig.ko
 * and into the host tests (tests/scope.sh).
 *
 * Syntax of a list: entries separated by commas, no space around them;
 * the empty string is the empty list. One trailing newline (what echo
 * writes to a sysfs file) is ignored.
 *
 *  - command names (comm_include, comm_exclude): 1 to 15 characters, the
 *    length of a task's comm; printable ASCII, spaces allowed inside but
 *    not at either end; a trailing '*' makes the entry a prefix ("kworker*",
 *    and "*" alone matches every name). '*' anywhere else is refused.
 *  - cgroup paths (cgroup_include, cgroup_exclude): absolute cgroup v2
 *    paths as /proc/PID/cgroup shows them ("/system.slice/db.service"),
 *    up to NUMAMIG_SCOPE_PATH_MAX characters; printable ASCII without
 *    spaces; no empty, "." or ".." component, no trailing '/' except for
 *    "/" itself. An entry matches that cgroup and every cgroup below it.
 *
 * At most NUMAMIG_SCOPE_MAX_ENTRIES entries and NUMAMIG_SCOPE_TEXT_MAX
 * characters per list.
 *
 * Who is in scope (numamig_scope_in()): a task is out if an exclude list
 * matches it; else, each include list that is not empty must match it;
 * else it is in. A command-name entry matches a task if it matches the
 * thread's own name or its process's (the thread group leader's): threads
 * are often renamed ("GC Thread#0") while the process keeps its command.
 * Command names and cgroup paths combine with "and" for includes: with
 * comm_include=postgres* and cgroup_include=/db.slice, only postgres
 * processes inside /db.slice are in scope.
 */
#ifndef _NUMAMIG_SCOPE_H
#define _NUMAMIG_SCOPE_H

/* Limits of one list, chosen to keep a parsed scope within a few pages. */
#define NUMAMIG_SCOPE_MAX_ENTRIES	16
#define NUMAMIG_SCOPE_TEXT_MAX		1024
#define NUMAMIG_SCOPE_PATH_MAX		512
/* A task's comm is TASK_COMM_LEN (16) bytes with its NUL. */
#define NUMAMIG_SCOPE_COMM_MAX		15

/**
 * enum numamig_scope_kind - what a list holds
 * @NUMAMIG_SCOPE_COMM: command names
 * @NUMAMIG_SCOPE_CGROUP: cgroup v2 paths
 */
enum numamig_scope_kind {
	NUMAMIG_SCOPE_COMM,
	NUMAMIG_SCOPE_CGROUP,
};

/**
 * struct numamig_scope_list - one parsed list
 * @nr: entries
 * @off: where each entry starts in @buf
 * @len: its length, without a trailing '*'
 * @prefix: the entry ended in '*': a prefix match
 * @text: the list as given, without a trailing newline, NUL-terminated
 *	(what the parameter reads back)
 * @buf: the entries, each NUL-terminated, without their '*'
 */
struct numamig_scope_list {
	unsigned int nr;
	unsigned short off[NUMAMIG_SCOPE_MAX_ENTRIES];
	unsigned short len[NUMAMIG_SCOPE_MAX_ENTRIES];
	unsigned char prefix[NUMAMIG_SCOPE_MAX_ENTRIES];
	char text[NUMAMIG_SCOPE_TEXT_MAX + 1];
	char buf[NUMAMIG_SCOPE_TEXT_MAX + 1];
};

/**
 * struct numamig_scope_err - why a list was refused
 * @msg: what is wrong, a phrase without a trailing period
 * @entry: the 0-based entry it is about, -1 for the list as a whole
 * @start: where that entry starts in the input
 * @len: its length in the input
 */
struct numamig_scope_err {
	const char *msg;
	int entry;
	unsigned int start;
	unsigned int len;
};

/**
 * struct numamig_scope - the four lists
 * @comm_include: command names, opt in
 * @comm_exclude: command names, opt out
 * @cgroup_include: cgroup paths, opt in
 * @cgroup_exclude: cgroup paths, opt out
 */
struct numamig_scope {
	struct numamig_scope_list comm_include;
	struct numamig_scope_list comm_exclude;
	struct numamig_scope_list cgroup_include;
	struct numamig_scope_list cgroup_exclude;
};

int numamig_scope_parse(struct numamig_scope_list *l,
			enum numamig_scope_kind kind, const char *s,
			struct numamig_scope_err *err);
int numamig_scope_match_comm(const struct numamig_scope_list *l,
			     const char *comm);
int numamig_scope_match_cgroup(const struct numamig_scope_list *l,
			       const char *path);
int numamig_scope_empty(const struct numamig_scope *s);
int numamig_scope_uses_cgroup(const struct numamig_scope *s);
int numamig_scope_in(const struct numamig_scope *s, const char *comm,
		     const char *proc_comm, const char *cgroup_path);

#endif /* _NUMAMIG_SCOPE_H */
