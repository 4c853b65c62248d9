// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_scope.c - which tasks numamig may move: the comm_include,
 * comm_exclude, cgroup_include and cgroup_exclude parameters, and the
 * check of one task against them. The syntax and the rule are in
 * include/numamig/scope.h, the parsing and matching in the pure
 * numamig_scopelist.c.
 *
 * Where the check runs: in the worker, for a task it is about to decide
 * on or that it holds (numamig_decide_pass()), never in a probe. Its
 * result is kept in the task's entry with what it was computed from:
 * the scope's generation, the task's cgroup id and its and its process's
 * names. It is computed again only when one of those changed, so a task
 * costs two comm copies and a pointer walk per pass while a list is set,
 * and nothing while none is. The cgroup is the task's cgroup on the
 * default (v2) hierarchy, its path as /proc/PID/cgroup shows it from
 * the root namespace.
 *
 * Locking rule: a parameter write parses into a new struct
 * numamig_scope_set (a copy of the one in force with one list replaced),
 * publishes it with rcu_assign_pointer() and frees the old one with
 * kfree_rcu(). Writes are serialised by the kernel's own per-module
 * parameter lock (kernel_param_lock(), which parse_args() at load and
 * the sysfs store both hold around ->set()), so numamig takes no lock of
 * its own there: a mutex of the module's would be taken at load while the
 * module is still unformed, where lockdep refuses a lock whose key is in
 * the module ("trying to register non-static key"). A list that does not
 * parse is refused with -EINVAL and a message, and the set in force
 * stays. Readers (the worker, the parameter getters) take
 * rcu_read_lock() and do not sleep while they look at the set; the
 * worker's path buffer is under numamig_lock.
 *
 * Lifetime: a set can be published before module init (parameters given
 * at load) and after module exit (a write racing rmmod, until the
 * parameter files are gone), so the one in force is freed by the
 * parameters' free callback, which the module loader calls once no
 * parameter file exists any more.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <numamig/compat.h>
#include <numamig/scope.h>
#include "numamig.h"

/**
 * struct numamig_scope_set - the lists in force
 * @rcu: freed a grace period after it was replaced
 * @gen: generation: every published set has a new one
 * @empty: no list has an entry: every task is in scope
 * @uses_cgroup: a cgroup list has an entry
 * @s: the lists
 */
struct numamig_scope_set {
	struct rcu_head rcu;
	u32 gen;
	bool empty;
	bool uses_cgroup;
	struct numamig_scope s;
};

static struct numamig_scope_set __rcu *numamig_scope_cur;
/* Last generation published, under kernel_param_lock(); 0 is never one. */
static u32 numamig_scope_gen;
/* A task's cgroup path: worker only, under numamig_lock. */
static char numamig_scope_path[PATH_MAX];

enum {
	NUMAMIG_COMM_INCLUDE,
	NUMAMIG_COMM_EXCLUDE,
	NUMAMIG_CGROUP_INCLUDE,
	NUMAMIG_CGROUP_EXCLUDE,
};

static struct numamig_scope_list *numamig_scope_list(struct numamig_scope *s,
						     unsigned long which)
{
	switch (which) {
	case NUMAMIG_COMM_INCLUDE:
		return &s->comm_include;
	case NUMAMIG_COMM_EXCLUDE:
		return &s->comm_exclude;
	case NUMAMIG_CGROUP_INCLUDE:
		return &s->cgroup_include;
	default:
		return &s->cgroup_exclude;
	}
}

static int numamig_scope_param_set(const char *buf, const struct kernel_param *kp)
{
	unsigned long which = (unsigned long)kp->arg;
	enum numamig_scope_kind kind = which <= NUMAMIG_COMM_EXCLUDE ?
				       NUMAMIG_SCOPE_COMM : NUMAMIG_SCOPE_CGROUP;
	struct numamig_scope_set *old, *new;
	struct numamig_scope_list *l;
	struct numamig_scope_err err;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	/* Writers are serialised by kernel_param_lock(): see the top. */
	old = rcu_dereference_protected(numamig_scope_cur, 1);
	if (old)
		new->s = old->s;
	l = numamig_scope_list(&new->s, which);
	if (numamig_scope_parse(l, kind, buf, &err)) {
		kfree(new);
		if (err.entry < 0)
			pr_err("%s: %s\n", kp->name, err.msg);
		else
			pr_err("%s: entry %d '%.*s': %s\n", kp->name, err.entry + 1,
			       (int)min(err.len, 64U), buf + err.start, err.msg);
		return -EINVAL;
	}
	if (!++numamig_scope_gen)
		numamig_scope_gen++;
	new->gen = numamig_scope_gen;
	new->empty = numamig_scope_empty(&new->s);
	new->uses_cgroup = numamig_scope_uses_cgroup(&new->s);
	rcu_assign_pointer(numamig_scope_cur, new);
	if (old)
		kfree_rcu(old, rcu);
	pr_info("%s set to '%s'\n", kp->name, l->text);
	return 0;
}

static int numamig_scope_param_get(char *buf, const struct kernel_param *kp)
{
	unsigned long which = (unsigned long)kp->arg;
	struct numamig_scope_set *set;
	int n;

	rcu_read_lock();
	set = rcu_dereference(numamig_scope_cur);
	n = sysfs_emit(buf, "%s\n", set ? numamig_scope_list(&set->s, which)->text : "");
	rcu_read_unlock();
	return n;
}

/*
 * Context: the module loader, after module exit stopped the worker and
 * removed debugfs, and once no parameter file exists any more: nothing
 * can read or write the set. No lock, and none may be taken: the module
 * is already unformed, and lockdep refuses a lock class whose key is in
 * an unformed module's memory ("trying to register non-static key").
 */
static void numamig_scope_param_free(void *arg)
{
	struct numamig_scope_set *set = rcu_dereference_protected(numamig_scope_cur, 1);

	RCU_INIT_POINTER(numamig_scope_cur, NULL);
	kfree(set);
}

static const struct kernel_param_ops numamig_scope_ops = {
	.set = numamig_scope_param_set,
	.get = numamig_scope_param_get,
	.free = numamig_scope_param_free,
};

#define NUMAMIG_SCOPE_PARAM(name, which, desc)				\
	module_param_cb(name, &numamig_scope_ops, (void *)(which), 0644); \
	MODULE_PARM_DESC(name, desc)

NUMAMIG_SCOPE_PARAM(comm_include, NUMAMIG_COMM_INCLUDE,
		    "Move only tasks whose name or whose process's name is in this comma-separated list (\"name\" or \"prefix*\", up to 16; empty: any)");
NUMAMIG_SCOPE_PARAM(comm_exclude, NUMAMIG_COMM_EXCLUDE,
		    "Never move tasks whose name or whose process's name is in this comma-separated list (\"name\" or \"prefix*\", up to 16)");
NUMAMIG_SCOPE_PARAM(cgroup_include, NUMAMIG_CGROUP_INCLUDE,
		    "Move only tasks in these cgroup v2 subtrees, a comma-separated list of absolute paths (\"/db.slice\", up to 16; empty: any)");
NUMAMIG_SCOPE_PARAM(cgroup_exclude, NUMAMIG_CGROUP_EXCLUDE,
		    "Never move tasks in these cgroup v2 subtrees, a comma-separated list of absolute paths (up to 16)");

/**
 * numamig_scope_update() - whether a task is out of numamig's scope
 * @t: the task's entry
 *
 * Brings @t->excluded up to date: computed again only if the scope, the
 * task's cgroup or its or its process's name changed since it was last.
 * A task whose cgroup path does not fit PATH_MAX counts as unknown,
 * which puts it out of scope while a cgroup list is set.
 *
 * Context: worker, numamig_lock held (the path buffer); takes the task's
 * alloc_lock and kernfs' rename lock inside an RCU read-side section.
 * Return: @t->excluded.
 */
bool numamig_scope_update(struct numamig_task *t)
{
	char comm[TASK_COMM_LEN], pcomm[TASK_COMM_LEN];
	struct task_struct *p = t->task;
	struct numamig_scope_set *set;
	const char *path = NULL;
	struct cgroup *cgrp;
	u64 cgid = 0;
	int len;

	lockdep_assert_held(&numamig_lock);
	rcu_read_lock();
	set = rcu_dereference(numamig_scope_cur);
	if (!set || set->empty) {
		t->excluded = false;
		t->scope_gen = 0;
		goto out;
	}
	get_task_comm(comm, p);
	/* The leader's task_struct is freed a grace period after it went. */
	get_task_comm(pcomm, READ_ONCE(p->group_leader));
	cgrp = set->uses_cgroup ? task_dfl_cgroup(p) : NULL;
	if (cgrp)
		cgid = cgroup_id(cgrp);
	if (t->scope_gen == set->gen && t->scope_cgid == cgid &&
	    !memcmp(t->scope_comm, comm, sizeof(comm)) &&
	    !memcmp(t->scope_pcomm, pcomm, sizeof(pcomm)))
		goto out;
	if (cgrp) {
		len = cgroup_path(cgrp, numamig_scope_path, sizeof(numamig_scope_path));
		if (len >= 0 && len < sizeof(numamig_scope_path))
			path = numamig_scope_path;
	}
	t->excluded = !numamig_scope_in(&set->s, comm, pcomm, path);
	t->scope_gen = set->gen;
	t->scope_cgid = cgid;
	memcpy(t->scope_comm, comm, sizeof(comm));
	memcpy(t->scope_pcomm, pcomm, sizeof(pcomm));
out:
	rcu_read_unlock();
	return t->excluded;
}
