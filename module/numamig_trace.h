/* SPDX-License-Identifier: GPL-2.0 */
/*
 * numamig's own trace events, for `trace-cmd record -e numamig`:
 * numamig_decision for every task the worker evaluates (again, with
 * verdict swapped, for both tasks of a swap), numamig_migrate for every
 * move (each task of a swap has one, naming the other as partner) and
 * numamig_release for every mask given back or forgotten. Emitted by the
 * worker only, in process context.
 *
 * Strings are fixed-size arrays, not __string(): __assign_str() changed
 * its arguments in 6.10, and names here are short.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM numamig

#if !defined(_NUMAMIG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NUMAMIG_TRACE_H

#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#define NUMAMIG_TRACE_NAME_LEN	16

TRACE_EVENT(numamig_decision,

	TP_PROTO(struct task_struct *p, int cur_node, int target,
		 const char *verdict, u64 benefit_ns, u64 cost_ns,
		 unsigned int slowdown_permille, unsigned int cpu_permille),

	TP_ARGS(p, cur_node, target, verdict, benefit_ns, cost_ns,
		slowdown_permille, cpu_permille),

	TP_STRUCT__entry(
		__array(char,	comm,	TASK_COMM_LEN)
		__field(pid_t,	pid)
		__field(int,	cur_node)
		__field(int,	target)
		__array(char,	verdict, NUMAMIG_TRACE_NAME_LEN)
		__field(u64,	benefit_us)
		__field(u64,	cost_us)
		__field(unsigned int, slowdown_permille)
		__field(unsigned int, cpu_permille)
	),

	TP_fast_assign(
		memcpy(__entry->comm, p->comm, TASK_COMM_LEN);
		__entry->pid = p->pid;
		__entry->cur_node = cur_node;
		__entry->target = target;
		strscpy(__entry->verdict, verdict, NUMAMIG_TRACE_NAME_LEN);
		__entry->benefit_us = benefit_ns / NSEC_PER_USEC;
		__entry->cost_us = cost_ns / NSEC_PER_USEC;
		__entry->slowdown_permille = slowdown_permille;
		__entry->cpu_permille = cpu_permille;
	),

	TP_printk("comm=%s pid=%d node=%d target=%d verdict=%s benefit_us=%llu cost_us=%llu slowdown_permille=%u cpu_permille=%u",
		  __entry->comm, __entry->pid, __entry->cur_node, __entry->target,
		  __entry->verdict, __entry->benefit_us, __entry->cost_us,
		  __entry->slowdown_permille, __entry->cpu_permille)
);

/* partner: the pid of the task a swap exchanges nodes with, 0 for a move */
TRACE_EVENT(numamig_migrate,

	TP_PROTO(struct task_struct *p, int from_node, int to_node,
		 unsigned int hold_ms, pid_t partner),

	TP_ARGS(p, from_node, to_node, hold_ms, partner),

	TP_STRUCT__entry(
		__array(char,	comm,	TASK_COMM_LEN)
		__field(pid_t,	pid)
		__field(int,	from_node)
		__field(int,	to_node)
		__field(unsigned int, hold_ms)
		__field(pid_t,	partner)
	),

	TP_fast_assign(
		memcpy(__entry->comm, p->comm, TASK_COMM_LEN);
		__entry->pid = p->pid;
		__entry->from_node = from_node;
		__entry->to_node = to_node;
		__entry->hold_ms = hold_ms;
		__entry->partner = partner;
	),

	TP_printk("comm=%s pid=%d from=%d to=%d hold_ms=%u partner=%d",
		  __entry->comm, __entry->pid, __entry->from_node,
		  __entry->to_node, __entry->hold_ms, __entry->partner)
);

TRACE_EVENT(numamig_release,

	TP_PROTO(struct task_struct *p, int node, const char *reason,
		 bool restored),

	TP_ARGS(p, node, reason, restored),

	TP_STRUCT__entry(
		__array(char,	comm,	TASK_COMM_LEN)
		__field(pid_t,	pid)
		__field(int,	node)
		__array(char,	reason, NUMAMIG_TRACE_NAME_LEN)
		__field(bool,	restored)
	),

	TP_fast_assign(
		memcpy(__entry->comm, p->comm, TASK_COMM_LEN);
		__entry->pid = p->pid;
		__entry->node = node;
		strscpy(__entry->reason, reason, NUMAMIG_TRACE_NAME_LEN);
		__entry->restored = restored;
	),

	TP_printk("comm=%s pid=%d node=%d reason=%s restored=%d",
		  __entry->comm, __entry->pid, __entry->node, __entry->reason,
		  __entry->restored)
);

#endif /* _NUMAMIG_TRACE_H */

/* Out of the kernel tree: define_trace.h finds this file through -I$(src). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE numamig_trace
#include <trace/define_trace.h>
