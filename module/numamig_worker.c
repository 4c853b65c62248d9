// SPDX-License-Identifier: GPL-2.0
/*
 * numamig_worker.c - the slow path: a delayed work item that, every
 * period_ms, turns what the probes counted into a per-task and per-node
 * picture:
 *
 *  1. per CPU, the busy share of the period; per node, the spare capacity;
 *  2. tasks that exited leave the table;
 *  3. tasks worth watching that are not watched yet join it;
 *  4. per watched task: run time per node (decayed over window_ms), CPU
 *     share, wakeup-to-run wait, where its memory is (NUMA-balancing
 *     faults if it has any, else page sampling of its process), and the
 *     policy's estimate of its slowdown and best node, and the decision;
 *  5. swaps between tasks that found no room where they would go.
 *
 * Context: process context (system_unbound_wq), may sleep; the whole pass
 * holds numamig_lock, so debugfs readers see a pass whole.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/topology.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <numamig/compat.h>
#include "numamig.h"

struct numamig_topology numamig_topo;
struct numamig_node_stats numamig_nodes[NUMAMIG_MAX_NODES];
struct numamig_worker_stats numamig_wstats;

/*
 * A process is sampled again only every (VMAs / NUMAMIG_VMAS_PER_PASS)
 * passes: a sample walks its VMA tree under mmap_read_lock(), and one
 * with 10,000 thread stacks has 20,000 VMAs.
 */
#define NUMAMIG_VMAS_PER_PASS	1024
/*
 * The walk over all threads that finds new tasks to watch costs about
 * 0.4 us a thread in a TCG guest: with many threads it runs only every
 * (threads / NUMAMIG_THREADS_PER_DISCOVERY + 1) passes, so that a new
 * task waits at most that many periods to be seen.
 */
#define NUMAMIG_THREADS_PER_DISCOVERY	2048
/* A process none of whose threads ran for this many passes is forgotten. */
#define NUMAMIG_PROC_IDLE_PASSES	60

/**
 * struct numamig_proc - page sampling state of one process (tgid)
 * @seen_pass: last pass a thread of it wanted its memory picture
 * @sampled_pass: pass of the last sample
 * @every: passes between samples, from its VMA count
 * @source: NUMAMIG_SRC_SAMPLE if the last sample found resident pages
 * @mem: pages found on each node by the last sample
 *
 * Worker only, in numamig_procs, keyed by tgid.
 */
struct numamig_proc {
	u64 seen_pass;
	u64 sampled_pass;
	unsigned int every;
	enum numamig_mem_source source;
	unsigned int mem[NUMAMIG_MAX_NODES];
};

static DEFINE_XARRAY(numamig_procs);
static u64 numamig_pass_nr;
static u64 numamig_next_discovery;
static struct delayed_work numamig_work;
/* Worker-only state: candidates of a scan, idle time seen per CPU. */
static struct task_struct **numamig_cand;
static u64 *numamig_idle_seen;
static u64 numamig_last_pass;

static void numamig_topo_init(void)
{
	int i, j;

	numamig_topo.nr_nodes = min_t(unsigned int, nr_node_ids, NUMAMIG_MAX_NODES);
	if (nr_node_ids > NUMAMIG_MAX_NODES)
		pr_warn("%u nodes: nodes from %d on are ignored\n", nr_node_ids,
			NUMAMIG_MAX_NODES);
	for (i = 0; i < numamig_topo.nr_nodes; i++)
		for (j = 0; j < numamig_topo.nr_nodes; j++)
			numamig_topo.distance[i][j] = node_online(i) && node_online(j) ?
						      node_distance(i, j) : 0;
}

/* Idle time of @cpu up to @now, counting a stretch of idle still going on. */
static u64 numamig_cpu_idle(int cpu, u64 now)
{
	struct numamig_cpu_stats *cs = per_cpu_ptr(&numamig_cpu_stats, cpu);
	u64 idle = READ_ONCE(cs->idle_ns), since = READ_ONCE(cs->idle_since);

	if (since && now > since)
		idle += now - since;
	return idle;
}

static void numamig_update_nodes(u64 now, u64 dt)
{
	u64 idle[NUMAMIG_MAX_NODES] = {}, d, total;
	unsigned int cpus[NUMAMIG_MAX_NODES] = {};
	int cpu, nid;

	for_each_online_cpu(cpu) {
		total = numamig_cpu_idle(cpu, now);
		d = total > numamig_idle_seen[cpu] ? total - numamig_idle_seen[cpu] : 0;
		numamig_idle_seen[cpu] = total;
		nid = cpu_to_node(cpu);
		if (nid < 0 || nid >= NUMAMIG_MAX_NODES)
			continue;
		idle[nid] += min(d, dt);
		cpus[nid]++;
	}
	for (nid = 0; nid < numamig_topo.nr_nodes; nid++) {
		struct numamig_node_stats *ns = &numamig_nodes[nid];
		u64 cap = (u64)cpus[nid] * dt;

		ns->nr_cpus = cpus[nid];
		ns->busy_permille = cap ? 1000 - div64_u64(idle[nid] * 1000, cap) : 0;
		ns->spare_mcpu = dt ? div64_u64(idle[nid] * 1000, dt) : 0;
	}
}

/*
 * Cheap filters, safe under RCU: user tasks whose affinity may be set,
 * busy enough by PELT utilisation (SCHED_CAPACITY_SCALE is one CPU).
 */
static bool numamig_task_eligible(struct task_struct *p, unsigned int min_cpu)
{
	if (p->flags & (PF_KTHREAD | PF_NO_SETAFFINITY | PF_EXITING))
		return false;
	if (!READ_ONCE(p->mm))
		return false;
	return (u64)READ_ONCE(p->se.avg.util_avg) * 1000 >=
	       (u64)min_cpu * SCHED_CAPACITY_SCALE;
}

static bool numamig_rss_enough(struct task_struct *p, unsigned int min_mb)
{
	struct mm_struct *mm = get_task_mm(p);
	unsigned long rss;

	if (!mm)
		return false;
	rss = get_mm_rss(mm);
	mmput(mm);
	return rss >= ((unsigned long)min_mb << (20 - PAGE_SHIFT));
}

static void numamig_discover(void)
{
	unsigned int min_cpu = READ_ONCE(numamig_min_cpu_permille);
	unsigned int min_mb = READ_ONCE(numamig_min_rss_mb);
	unsigned int room, n = 0, i, dropped = 0, threads = 0;
	struct task_struct *g, *p;
	int err;

	room = numamig_max_tasks - min_t(unsigned int, numamig_max_tasks,
					 atomic_read(&numamig_nr_tasks));
	rcu_read_lock();
	for_each_process_thread(g, p) {
		threads++;
		if (!numamig_task_eligible(p, min_cpu) || numamig_task_lookup(p))
			continue;
		if (n == room) {
			dropped++;
			continue;
		}
		get_task_struct(p);
		numamig_cand[n++] = p;
	}
	rcu_read_unlock();

	for (i = 0; i < n; i++) {
		p = numamig_cand[i];
		if (numamig_rss_enough(p, min_mb)) {
			err = numamig_task_add(p);
			if (!err)
				numamig_wstats.tasks_added++;
			else if (err == -ENOSPC || err == -ENOMEM)
				dropped++;
		}
		put_task_struct(p);
	}
	numamig_wstats.tasks_dropped = dropped;
	numamig_wstats.discoveries++;
	numamig_next_discovery = numamig_pass_nr + 1 + threads / NUMAMIG_THREADS_PER_DISCOVERY;
}

/*
 * Per-pass constants of the per-task update, computed once so that the
 * update of each of thousands of tasks needs no 64-bit division.
 */
struct numamig_pass_consts {
	u64 dt;			/* ns since the last pass */
	u32 keep;		/* run_window decay: (1 - dt / window) << 16 */
	u32 permille_mul;	/* ns of run time to per mille of dt, << 32 */
};

static void numamig_pass_consts_init(struct numamig_pass_consts *pc, u64 dt,
				     unsigned int window_ms)
{
	u64 window = (u64)window_ms * NSEC_PER_MSEC;

	pc->dt = dt;
	pc->keep = div64_u64((window - min(dt, window)) << 16, window);
	pc->permille_mul = dt ? min_t(u64, div64_u64(1000ULL << 32, dt), U32_MAX) : 0;
}

/*
 * Run time per node: what probes accounted at switch-out, plus the
 * stretch the task has been running since, which belongs to its current
 * node (a running task cannot change CPU without switching out).
 * run_window is below window_ms plus a period in ns (< 2^40), so the
 * decay's product fits 64 bits; so does sum * permille_mul, sum being at
 * most a period times the CPUs a thread can use, i.e. one.
 */
static void numamig_update_runtime(struct numamig_task *t,
				   const struct numamig_pass_consts *pc)
{
	u64 seen = READ_ONCE(t->exec_seen), now_n, d, sum = 0, exec, pending = 0;
	int nid;

	/* Only a running task's own struct is read: it is a cache miss. */
	if (READ_ONCE(t->on_cpu)) {
		exec = READ_ONCE(t->task->se.sum_exec_runtime);
		pending = exec > seen ? exec - seen : 0;
	}

	for (nid = 0; nid < numamig_topo.nr_nodes; nid++) {
		struct numamig_node_run *nr = &t->node[nid];

		now_n = READ_ONCE(nr->run_ns);
		if (nid == t->cur_node)
			now_n += pending;
		d = now_n > nr->run_seen ? now_n - nr->run_seen : 0;
		nr->run_seen = now_n;
		sum += d;
		/* Exponential decay: keep (1 - dt/window) of the past. */
		nr->run_window = ((nr->run_window * pc->keep) >> 16) + d;
	}
	sum = min(sum, pc->dt);
	t->cpu_permille = min_t(u64, (sum * pc->permille_mul) >> 32, 1000);
}

static void numamig_update_wait(struct numamig_task *t)
{
	u64 w, c;

	/*
	 * Only for tasks that ran, and held ones (a starving task may not
	 * run at all): the read is a cache miss in their task_struct.
	 */
	if ((!t->cpu_permille && !READ_ONCE(t->on_cpu) &&
	     !rcu_access_pointer(t->hold)) ||
	    !numamig_run_delay(t->task, &w, &c))
		return;
	if (c > t->waits_seen && t->waits_seen)
		t->wait_avg_us = div64_u64(w - t->wait_seen,
					   (c - t->waits_seen) * NSEC_PER_USEC);
	t->wait_seen = w;
	t->waits_seen = c;
}

/* The estimate is recomputed only when its inputs change. */
static void numamig_set_mem(struct numamig_task *t, const unsigned int *mem,
			    enum numamig_mem_source source)
{
	size_t size = numamig_topo.nr_nodes * sizeof(*t->mem);

	if (memcmp(t->mem, mem, size)) {
		memcpy(t->mem, mem, size);
		t->est_stale = true;
	}
	t->source = source;
}

static struct numamig_proc *numamig_proc_get(pid_t tgid)
{
	struct numamig_proc *proc = xa_load(&numamig_procs, tgid);

	if (proc)
		return proc;
	proc = kzalloc(sizeof(*proc), GFP_KERNEL);
	if (!proc)
		return NULL;
	if (xa_err(xa_store(&numamig_procs, tgid, proc, GFP_KERNEL))) {
		kfree(proc);
		return NULL;
	}
	return proc;
}

/*
 * Memory: the thread's own NUMA-balancing faults if it has any, else
 * the placement of its process's pages, sampled per process and shared
 * by its threads. A thread that did not run this period keeps the
 * picture it has: where an idle thread's memory is does not matter until
 * it runs, and re-reading it for thousands of idle threads would cost
 * most of the pass.
 */
static void numamig_update_mem(struct numamig_task *t, unsigned int nr_samples)
{
	unsigned int mem[NUMAMIG_MAX_NODES] = {};
	struct numamig_proc *proc;
	unsigned int vmas;
	u64 t0;
	int nid;

	if (!t->cpu_permille && t->source != NUMAMIG_SRC_NONE)
		return;
	if (numamig_mem_faults(t->task, mem)) {
		numamig_set_mem(t, mem, NUMAMIG_SRC_FAULTS);
		numamig_wstats.fault_reads++;
		return;
	}
	proc = nr_samples ? numamig_proc_get(t->tgid) : NULL;
	if (!proc) {
		numamig_set_mem(t, mem, NUMAMIG_SRC_NONE);
		return;
	}
	proc->seen_pass = numamig_pass_nr;
	if (!proc->sampled_pass || numamig_pass_nr - proc->sampled_pass >= proc->every) {
		t0 = local_clock();
		vmas = numamig_mem_sample(t->task, mem, nr_samples, &numamig_wstats);
		numamig_wstats.sample_ns_total += local_clock() - t0;
		proc->sampled_pass = numamig_pass_nr;
		proc->every = max(1U, vmas / NUMAMIG_VMAS_PER_PASS);
		proc->source = NUMAMIG_SRC_NONE;
		for (nid = 0; nid < NUMAMIG_MAX_NODES; nid++)
			if (mem[nid])
				proc->source = NUMAMIG_SRC_SAMPLE;
		memcpy(proc->mem, mem, sizeof(mem));
	}
	numamig_set_mem(t, proc->mem, proc->source);
}

static void numamig_procs_prune(bool all)
{
	struct numamig_proc *proc;
	unsigned long tgid;

	xa_for_each(&numamig_procs, tgid, proc) {
		if (all || proc->seen_pass + NUMAMIG_PROC_IDLE_PASSES < numamig_pass_nr) {
			xa_erase(&numamig_procs, tgid);
			kfree(proc);
		}
	}
}

static void numamig_pass(void)
{
	unsigned int nr_samples = READ_ONCE(numamig_sample_pages);
	struct numamig_pass_consts pc;
	struct numamig_task *t, *next;
	u64 now = local_clock(), dt;
	int nid;

	numamig_pass_nr++;
	dt = now - numamig_last_pass;
	numamig_last_pass = now;
	numamig_update_nodes(now, dt);
	numamig_pass_consts_init(&pc, dt, READ_ONCE(numamig_window_ms));
	numamig_forks_drain();
	numamig_coexist_pass(now);
	numamig_decide_begin();

	if (numamig_pass_nr >= numamig_next_discovery)
		numamig_discover();

	/*
	 * One walk over the table: touching thousands of entries costs more
	 * than anything done with each.
	 */
	list_for_each_entry_safe(t, next, &numamig_task_list, list) {
		if (READ_ONCE(t->exited)) {
			numamig_task_remove(t);
			numamig_wstats.tasks_removed++;
			continue;
		}
		nid = cpu_to_node(READ_ONCE(t->cpu));
		if (nid != t->cur_node) {
			t->cur_node = nid;
			t->est_stale = true;
		}
		numamig_update_runtime(t, &pc);
		numamig_update_wait(t);
		numamig_update_mem(t, nr_samples);
		numamig_decide_pass(t, now);
		cond_resched();
	}
	numamig_decide_end();
	numamig_procs_prune(false);
}

static void numamig_work_fn(struct work_struct *work)
{
	u64 t0 = local_clock(), ns;
	u64 cpu0 = READ_ONCE(current->se.sum_exec_runtime);

	mutex_lock(&numamig_lock);
	numamig_pass();
	ns = local_clock() - t0;
	/* Stale by up to a tick at either end: exact only summed over passes. */
	numamig_wstats.cpu_ns_total += READ_ONCE(current->se.sum_exec_runtime) - cpu0;
	numamig_wstats.runs++;
	numamig_wstats.ns_last = ns;
	numamig_wstats.ns_total += ns;
	mutex_unlock(&numamig_lock);

	queue_delayed_work(system_unbound_wq, &numamig_work,
			   msecs_to_jiffies(READ_ONCE(numamig_period_ms)));
}

/**
 * numamig_worker_init() - allocate the worker's state
 *
 * Context: module init, before the probes attach.
 * Return: 0 or -ENOMEM.
 */
int numamig_worker_init(void)
{
	numamig_topo_init();
	numamig_cand = kvcalloc(numamig_max_tasks, sizeof(*numamig_cand), GFP_KERNEL);
	if (!numamig_cand)
		return -ENOMEM;
	numamig_idle_seen = kcalloc(nr_cpu_ids, sizeof(*numamig_idle_seen), GFP_KERNEL);
	if (!numamig_idle_seen) {
		kvfree(numamig_cand);
		return -ENOMEM;
	}
	INIT_DELAYED_WORK(&numamig_work, numamig_work_fn);
	return 0;
}

/*
 * Between numamig_worker_start() and numamig_worker_stop(): a period_ms
 * write may queue the work then, and only then (the parameter files
 * exist before init and still during exit). Under kernel_param_lock().
 */
static bool numamig_worker_running;

/* Context: module init, after the probes attached. */
void numamig_worker_start(void)
{
	numamig_last_pass = local_clock();
	kernel_param_lock(THIS_MODULE);
	numamig_worker_running = true;
	queue_delayed_work(system_unbound_wq, &numamig_work,
			   msecs_to_jiffies(READ_ONCE(numamig_period_ms)));
	kernel_param_unlock(THIS_MODULE);
}

void numamig_worker_period_changed(void)
{
	if (numamig_worker_running)
		mod_delayed_work(system_unbound_wq, &numamig_work,
				 msecs_to_jiffies(READ_ONCE(numamig_period_ms)));
}

/*
 * Context: module exit or a failed init. Waits for a pass in progress;
 * the work does not queue itself again once cancelled, and no period_ms
 * write queues it after this.
 */
void numamig_worker_stop(void)
{
	kernel_param_lock(THIS_MODULE);
	numamig_worker_running = false;
	kernel_param_unlock(THIS_MODULE);
	cancel_delayed_work_sync(&numamig_work);
}

void numamig_worker_exit(void)
{
	numamig_procs_prune(true);
	kfree(numamig_idle_seen);
	kvfree(numamig_cand);
}
