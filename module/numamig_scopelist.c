// SPDX-License-Identifier: GPL-2.0
/*
 * numamig's scope lists, pure: parsing and matching the comm_* and
 * cgroup_* parameters. The syntax and the rule of who is in scope are in
 * include/numamig/scope.h. No kernel or libc header: this file also
 * builds into the host tests.
 */
#include "numamig/scope.h"

/* No libc, no kernel header: no NULL. */
#define SCOPE_NONE ((const char *)(void *)0)

static unsigned int str_len(const char *s, unsigned int max)
{
	unsigned int n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* The first @n bytes of @a and @b are equal. */
static int mem_eq(const char *a, const char *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int refuse(struct numamig_scope_err *err, const char *msg, int entry,
		  unsigned int start, unsigned int len)
{
	if (err) {
		err->msg = msg;
		err->entry = entry;
		err->start = start;
		err->len = len;
	}
	return -1;
}

/* Why command name @e (@n characters, '*' included) is refused, or NULL. */
static const char *comm_bad(const char *e, unsigned int n)
{
	unsigned int i, name = n;

	if (e[n - 1] == '*')
		name--;
	if (name > NUMAMIG_SCOPE_COMM_MAX)
		return "longer than 15 characters, the most a task's name has";
	for (i = 0; i < name; i++) {
		if (e[i] < 0x20 || e[i] > 0x7e)
			return "not printable ASCII";
		if (e[i] == '*')
			return "'*' is only allowed at the end";
	}
	if (name && (e[0] == ' ' || e[name - 1] == ' '))
		return "space at the start or the end";
	return SCOPE_NONE;
}

/* Why cgroup path @e (@n characters) is refused, or NULL. */
static const char *cgroup_bad(const char *e, unsigned int n)
{
	unsigned int i, comp = 1;

	if (e[0] != '/')
		return "not an absolute cgroup path (it must start with '/')";
	if (n > NUMAMIG_SCOPE_PATH_MAX)
		return "longer than 512 characters";
	for (i = 0; i < n; i++)
		if (e[i] <= 0x20 || e[i] > 0x7e)
			return "space or a character that is not printable ASCII";
	if (n == 1)
		return SCOPE_NONE;
	if (e[n - 1] == '/')
		return "trailing '/'";
	/* Each component: from comp to the next '/' or the end. */
	for (i = 1; i <= n; i++) {
		if (i < n && e[i] != '/')
			continue;
		if (i == comp)
			return "empty component ('//')";
		if ((i - comp == 1 && e[comp] == '.') ||
		    (i - comp == 2 && e[comp] == '.' && e[comp + 1] == '.'))
			return "'.' or '..' component";
		comp = i + 1;
	}
	return SCOPE_NONE;
}

/**
 * numamig_scope_parse() - parse one list
 * @l: the result; undefined when the list is refused
 * @kind: command names or cgroup paths
 * @s: the text, NUL-terminated; one trailing newline is ignored
 * @err: where to say why the list is refused; may be NULL
 *
 * Return: 0, or -1 with @err filled in: too long, too many entries, an
 * empty entry, or an entry that breaks the syntax of @kind (see
 * include/numamig/scope.h).
 */
int numamig_scope_parse(struct numamig_scope_list *l,
			enum numamig_scope_kind kind, const char *s,
			struct numamig_scope_err *err)
{
	unsigned int n, a, b, used = 0;
	const char *why;

	if (!l || !s)
		return refuse(err, "no list", -1, 0, 0);
	n = str_len(s, NUMAMIG_SCOPE_TEXT_MAX + 2);
	if (n && s[n - 1] == '\n')
		n--;
	if (n > NUMAMIG_SCOPE_TEXT_MAX)
		return refuse(err, "longer than 1024 characters", -1, 0, n);
	l->nr = 0;
	for (a = 0; a < n; a++)
		l->text[a] = s[a];
	l->text[n] = 0;
	if (!n)
		return 0;

	for (a = 0; a <= n; a = b + 1) {
		for (b = a; b < n && s[b] != ','; b++)
			;
		if (l->nr == NUMAMIG_SCOPE_MAX_ENTRIES)
			return refuse(err, "more than 16 entries", l->nr, a, b - a);
		if (b == a)
			return refuse(err, "empty entry", l->nr, a, 0);
		why = kind == NUMAMIG_SCOPE_COMM ? comm_bad(s + a, b - a) :
						   cgroup_bad(s + a, b - a);
		if (why)
			return refuse(err, why, l->nr, a, b - a);
		l->prefix[l->nr] = kind == NUMAMIG_SCOPE_COMM && s[b - 1] == '*';
		l->len[l->nr] = b - a - l->prefix[l->nr];
		l->off[l->nr] = used;
		for (; a < b - l->prefix[l->nr]; a++)
			l->buf[used++] = s[a];
		l->buf[used++] = 0;
		l->nr++;
	}
	return 0;
}

/**
 * numamig_scope_match_comm() - whether a name matches a command-name list
 * @l: the list
 * @comm: the name, NUL-terminated; NULL matches nothing
 *
 * Return: 1 if an entry matches: the same name, or for a "prefix*" entry
 * a name that starts with prefix; else 0.
 */
int numamig_scope_match_comm(const struct numamig_scope_list *l,
			     const char *comm)
{
	unsigned int i, n;

	if (!l || !comm)
		return 0;
	n = str_len(comm, NUMAMIG_SCOPE_COMM_MAX + 1);
	for (i = 0; i < l->nr; i++) {
		if (l->prefix[i] ? n < l->len[i] : n != l->len[i])
			continue;
		if (mem_eq(comm, l->buf + l->off[i], l->len[i]))
			return 1;
	}
	return 0;
}

/**
 * numamig_scope_match_cgroup() - whether a cgroup is in a path list
 * @l: the list
 * @path: the cgroup's absolute path, NUL-terminated; NULL matches nothing
 *
 * Return: 1 if an entry names the cgroup or one of its ancestors ("/"
 * names every cgroup); else 0. "/a/b" is below "/a", "/ab" is not.
 */
int numamig_scope_match_cgroup(const struct numamig_scope_list *l,
			       const char *path)
{
	unsigned int i, len;

	if (!l || !path)
		return 0;
	for (i = 0; i < l->nr; i++) {
		len = l->len[i];
		if (len == 1)
			return 1;
		if (mem_eq(path, l->buf + l->off[i], len) &&
		    (path[len] == 0 || path[len] == '/'))
			return 1;
	}
	return 0;
}

/**
 * numamig_scope_empty() - whether every list is empty: all in scope
 * @s: the scope; NULL counts as empty
 *
 * Return: 1 if no list has an entry, else 0.
 */
int numamig_scope_empty(const struct numamig_scope *s)
{
	return !s || !(s->comm_include.nr || s->comm_exclude.nr ||
		       s->cgroup_include.nr || s->cgroup_exclude.nr);
}

/**
 * numamig_scope_uses_cgroup() - whether a task's cgroup matters
 * @s: the scope; NULL uses none
 *
 * Return: 1 if a cgroup list has an entry, else 0.
 */
int numamig_scope_uses_cgroup(const struct numamig_scope *s)
{
	return s && (s->cgroup_include.nr || s->cgroup_exclude.nr);
}

/**
 * numamig_scope_in() - whether numamig may move a task
 * @s: the scope; NULL puts every task in scope
 * @comm: the thread's name
 * @proc_comm: its process's name (the thread group leader's); may be NULL
 * @cgroup_path: its cgroup v2 path; NULL if not known
 *
 * The rule of include/numamig/scope.h: out if an exclude list matches,
 * else in if every non-empty include list matches. A task whose cgroup
 * is not known is out while a cgroup list has entries: when in doubt,
 * numamig leaves a task alone.
 *
 * Return: 1 if in scope, 0 if not.
 */
int numamig_scope_in(const struct numamig_scope *s, const char *comm,
		     const char *proc_comm, const char *cgroup_path)
{
	if (numamig_scope_empty(s))
		return 1;
	if (numamig_scope_match_comm(&s->comm_exclude, comm) ||
	    numamig_scope_match_comm(&s->comm_exclude, proc_comm))
		return 0;
	if (!cgroup_path && numamig_scope_uses_cgroup(s))
		return 0;
	if (numamig_scope_match_cgroup(&s->cgroup_exclude, cgroup_path))
		return 0;
	if (s->comm_include.nr &&
	    !numamig_scope_match_comm(&s->comm_include, comm) &&
	    !numamig_scope_match_comm(&s->comm_include, proc_comm))
		return 0;
	if (s->cgroup_include.nr &&
	    !numamig_scope_match_cgroup(&s->cgroup_include, cgroup_path))
		return 0;
	return 1;
}
