// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_coexist.c - noticing the other placers of tasks: numad.
 *
 * numad (a user-space daemon) also moves processes between nodes: it
 * binds a process it manages to the nodes it picked with
 * sched_setaffinity() and migrates its memory there. numamig sees a task
 * numad bound as pinned and leaves it alone, and gives up a hold when
 * numad rebinds a task numamig holds (the user wins); but two placers
 * deciding over the same processes is worth knowing about. So the worker
 * looks, every NUMAMIG_NUMAD_CHECK_NS, for a user process whose name is
 * "numad", shows what it found in debugfs stats (numad_running,
 * numad_pid) and says it once in the kernel log when numad appears and
 * once when it goes.
 *
 * NUMA balancing needs no such thing: its moves are seen where they
 * happen, in the sched_move_numa and sched_swap_numa probes
 * (numamig_hooks.c), and count as a node change for the cooldown.
 *
 * Context: worker, numamig_lock held; debugfs reads under it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include <linux/time64.h>

#include <numamig/compat.h>
#include "numamig.h"

/*
 * A walk over every process (not thread) costs about what a few hundred
 * cache misses do; every 5 s it is nothing, and numad itself rescans
 * every 5 to 15 s by default.
 */
#define NUMAMIG_NUMAD_CHECK_NS	(5 * NSEC_PER_SEC)

static u64 numamig_numad_next;
static pid_t numamig_numad;

static pid_t numamig_numad_find(void)
{
	char comm[TASK_COMM_LEN];
	struct task_struct *p;
	pid_t pid = 0;

	rcu_read_lock();
	for_each_process(p) {
		if (p->flags & PF_KTHREAD)
			continue;
		get_task_comm(comm, p);
		if (!strcmp(comm, "numad")) {
			pid = task_tgid_nr(p);
			break;
		}
	}
	rcu_read_unlock();
	return pid;
}

/**
 * numamig_coexist_pass() - look for numad, if it is time to
 * @now: local_clock() of this pass
 *
 * Context: worker, numamig_lock held.
 */
void numamig_coexist_pass(u64 now)
{
	pid_t pid;

	lockdep_assert_held(&numamig_lock);
	if (numamig_numad_next && now < numamig_numad_next)
		return;
	numamig_numad_next = now + NUMAMIG_NUMAD_CHECK_NS;
	pid = numamig_numad_find();
	if (pid && !numamig_numad)
		pr_warn("numad is running (pid %d): it places processes too; numamig leaves the tasks it binds alone (they are pinned), see comm_exclude and cgroup_exclude to keep out of each other's way\n",
			pid);
	else if (!pid && numamig_numad)
		pr_info("numad is no longer running\n");
	numamig_numad = pid;
}

/**
 * numamig_numad_pid() - numad's process id when the worker last looked
 *
 * Context: numamig_lock held.
 * Return: the pid, 0 if numad was not running.
 */
pid_t numamig_numad_pid(void)
{
	lockdep_assert_held(&numamig_lock);
	return numamig_numad;
}
