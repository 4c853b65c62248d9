/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig internal interfaces shared by the module's files.
 *
 * Contexts:
 *  - probes (numamig_hooks.c) run inside scheduler tracepoints, some with
 *    the runqueue lock held and interrupts off: they touch per-CPU data
 *    only, never sleep, allocate, take a lock or wake anything;
 *  - debugfs readers (numamig_debugfs.c) run in process context and only
 *    read: per-CPU counters are summed without stopping the writers, so a
 *    sum is a snapshot that may miss events still in flight;
 *  - module init/exit (numamig_main.c) own the order: debugfs appears
 *    before the probes attach and goes away after they are detached and
 *    tracepoint_synchronize_unregister() has returned.
 */
#ifndef _NUMAMIG_H
#define _NUMAMIG_H

#include <linux/percpu.h>
#include <linux/types.h>

/*
 * The scheduler tracepoints numamig probes, in the order their counters
 * appear in debugfs. The NUMA-balancing events exist only with
 * CONFIG_NUMA_BALANCING: the module loads without them and says so.
 */
enum numamig_tp {
	NUMAMIG_TP_SWITCH,
	NUMAMIG_TP_MIGRATE,
	NUMAMIG_TP_FORK,
	NUMAMIG_TP_EXIT,
	NUMAMIG_TP_WAKEUP,
	NUMAMIG_TP_WAKEUP_NEW,
	NUMAMIG_TP_MOVE_NUMA,
	NUMAMIG_TP_SWAP_NUMA,
	NUMAMIG_TP_STICK_NUMA,
	NUMAMIG_NR_TP
};

/**
 * struct numamig_cpu_stats - event counters of one CPU
 * @events: tracepoint hits on this CPU, indexed by enum numamig_tp
 * @stick_numa_no_dst: sched_stick_numa hits that named no destination
 *	task (NUMA balancing found no swap partner)
 *
 * Written only by probes on the owning CPU, read by anyone.
 */
struct numamig_cpu_stats {
	unsigned long events[NUMAMIG_NR_TP];
	unsigned long stick_numa_no_dst;
};

DECLARE_PER_CPU(struct numamig_cpu_stats, numamig_cpu_stats);

int numamig_hooks_find(void);
int numamig_hooks_attach(void);
void numamig_hooks_detach(void);
const char *numamig_hooks_name(enum numamig_tp tp);
bool numamig_hooks_attached(enum numamig_tp tp);

void numamig_debugfs_init(void);
void numamig_debugfs_exit(void);

#endif /* _NUMAMIG_H */
