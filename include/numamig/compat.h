/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels numamig builds against lives here,
 * so that the rest of the module reads as if written for one kernel.
 *
 * Supported: Linux 6.1 (Debian 12's linux-image-amd64) up to 6.12
 * (linux-image-6.12-amd64). Differences known and handled:
 *
 * - The scheduler tracepoints numamig probes have the same prototypes
 *   from 5.18 (sched_switch gained prev_state) to 6.12; the probes are
 *   checked against <trace/events/sched.h> at build time, so a kernel
 *   that changes one fails to build rather than to run.
 * - get_user_pages_remote() lost its vmas argument in 6.5:
 *   numamig_gup_remote_one().
 * - task_struct->numa_faults is indexed as kernel/sched/fair.c's
 *   task_faults_idx() does, unchanged from 5.x to 6.12 but private to the
 *   scheduler: mirrored in numamig_numa_faults_idx().
 * - A task's runnable wait is the scheduler's own sched_info.run_delay
 *   and pcount (what /proc/PID/schedstat shows), kept with
 *   CONFIG_SCHED_INFO (Debian: yes, through TASK_DELAY_ACCT and
 *   SCHEDSTATS): numamig_run_delay(). Without it numamig sees no wait,
 *   and starvation never ends a hold.
 * - A task's cgroup path: task_cgroup_path() is exported by 6.1 but not
 *   by 6.12 (and reads the first v1 hierarchy, not v2); cgroup_path(),
 *   an inline over kernfs_path_from_node(), exported by both, gives the
 *   v2 path of task_dfl_cgroup() the same way on both: no wrapper.
 * - set_cpus_allowed_ptr() on 6.2 and later intersects the new mask with
 *   the one the user last asked for (user_cpus_ptr), on 6.1 it replaces
 *   the mask. numamig only narrows tasks whose mask nobody restricted, so
 *   both give the same result and no wrapper is needed.
 */
#ifndef _NUMAMIG_COMPAT_H
#define _NUMAMIG_COMPAT_H

#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "numamig needs Linux 6.1 or later"
#endif

/**
 * numamig_gup_remote_one() - the page at an address, if it is resident
 * @mm: the address space
 * @addr: the address
 * @page: set to the page, referenced, on success
 *
 * Never faults the page in (FOLL_NOFAULT).
 *
 * Context: process context, mmap_read_lock(@mm) held.
 * Return: 1 with *@page referenced, or 0 or a negative error with no
 * page.
 */
static inline long numamig_gup_remote_one(struct mm_struct *mm,
					  unsigned long addr,
					  struct page **page)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return get_user_pages_remote(mm, addr, 1, FOLL_NOFAULT, page, NULL);
#else
	return get_user_pages_remote(mm, addr, 1, FOLL_NOFAULT, page, NULL,
				     NULL);
#endif
}

/* kernel/sched/fair.c: enum numa_faults_stats and task_faults_idx(). */
#define NUMAMIG_NUMA_MEM		0
#define NUMAMIG_NUMA_HINT_FAULT_TYPES	2

/**
 * numamig_numa_faults_idx() - index into task_struct->numa_faults
 * @stat: the statistic, NUMAMIG_NUMA_MEM for memory faults
 * @nid: the node
 * @priv: 1 for private faults, 0 for shared
 *
 * Return: the index kernel/sched/fair.c's task_faults_idx() gives.
 */
static inline int numamig_numa_faults_idx(int stat, int nid, int priv)
{
	return NUMAMIG_NUMA_HINT_FAULT_TYPES * (stat * nr_node_ids + nid) + priv;
}

/**
 * numamig_run_delay() - a task's runnable wait since it started
 * @p: the task, referenced by the caller
 * @delay_ns: set to the time it spent runnable but waiting for a CPU
 * @arrivals: set to how many times it got one
 *
 * Written by the scheduler under the runqueue lock, read here without it
 * (as /proc/PID/schedstat does).
 *
 * Context: any.
 * Return: false without CONFIG_SCHED_INFO, and nothing set.
 */
static inline bool numamig_run_delay(struct task_struct *p, u64 *delay_ns,
				     u64 *arrivals)
{
#ifdef CONFIG_SCHED_INFO
	*delay_ns = READ_ONCE(p->sched_info.run_delay);
	*arrivals = READ_ONCE(p->sched_info.pcount);
	return true;
#else
	return false;
#endif
}

#endif /* _NUMAMIG_COMPAT_H */
