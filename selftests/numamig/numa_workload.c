// SPDX-License-Identifier: GPL-2.0
/*
 * numa_workload - a task whose memory is on one NUMA node while it runs
 * on another, for the selftests to watch numamig (and NUMA balancing)
 * deal with it.
 *
 *   numa_workload -m MEMNODE -r RUNNODE [-s MB] [-t SECONDS] [-T THREADS]
 *                 [-i] [-u] [-c SECONDS [-n N]] [-g] [-a MS] [-f MS] [-B] [-p CPU] [-W] [-P MS]
 *
 * Maps MB (default 64) of anonymous memory and faults every page in with
 * the task policy bound to MEMNODE (MPOL_BIND), then resets the policy to
 * MPOL_DEFAULT: a task keeps its pages where they were faulted, and NUMA
 * balancing never scans a task whose policy lacks MPOL_F_MOF, so a policy
 * left bound would hide the task from it. It does so pinned to RUNNODE's
 * CPUs, and reads the memory in THREADS threads (default 1), a cache line
 * at a time, for SECONDS (default 30; 0 means until a signal) or until
 * SIGTERM or SIGINT. -i makes the threads mostly idle: one pass, then
 * 100 ms of sleep. -u unpins: once every thread runs on RUNNODE, each
 * gives itself back every CPU it had at start, so that it starts on
 * RUNNODE but nobody restricts it (a task numamig may move; a pinned one
 * it must not). -p pins to that one CPU of RUNNODE instead of all of
 * them: a filler that keeps exactly one CPU busy. -c makes the first
 * thread create one more thread SECONDS after it started reading (it
 * inherits that thread's allowed CPUs at that moment); the new thread
 * sleeps until the end and prints, flushed:
 *
 *   child tid T
 *
 * -n N makes that a burst of N threads created at once (default 1), the
 * way a thread pool starts: more forks in a moment than numamig's fork
 * slots hold. The first of them at once creates one more thread of its
 * own (a grandchild of the reading thread, forked by a thread numamig
 * does not hold) and prints "grandchild tid T". Only the first prints
 * "child tid".
 *
 * For the stress tests (numamig_stress.sh):
 *
 * -g guards: each thread knows the mask it last asked for itself (its
 * start mask, then every CPU with -u, then what -a set) and samples
 * sched_getcpu() once a page; a CPU outside that mask is a violation,
 * reported on stderr (once per thread) and counted. When the run stops,
 * each thread also compares its allowed CPUs with that mask: a thread
 * whose mask is not what it asked for was left narrowed.
 *
 * -a MS churns affinity the way a user would: every MS ms (jittered
 * 0.5x to 1.5x) each thread sets its own mask, alternately to a random
 * non-empty subset of the CPUs it had at start (never exactly one
 * node's: see load_churn_nodes()) and back to all of them.
 *
 * -f MS makes the first thread fork a child process every MS ms (at most
 * 32 alive). A child names itself "nw_child" (so that a test can keep
 * numamig from moving it on its own account with comm_exclude: it maps
 * its parent's memory and runs at once, and would otherwise be a
 * candidate itself), sleeps 3 s, long enough for numamig to give it its
 * own mask if it inherited a narrowed one, then exits 0 if its allowed
 * CPUs are what the forking thread had asked for, 3 if not (left
 * narrowed).
 *
 * -B keeps the policy bound to MEMNODE, with MPOL_F_NUMA_BALANCING: NUMA
 * balancing then scans the task and records its hinting faults on
 * MEMNODE but may not move the pages off it, so it moves the task to
 * MEMNODE instead (sched_move_numa or sched_swap_numa): a way to make the
 * kernel's own NUMA moves happen on purpose.
 *
 * Once placed, asks the kernel where a sample of the pages is
 * (move_pages() without target nodes) and prints, flushed:
 *
 *   ready pid P tids T1,T2,... mem_node X run_node Y pages_on_mem_node N/M
 *
 * and when it stops, the same sample again:
 *
 *   done pid P passes N pages_on_mem_node N/M pages_on_run_node N/M
 *
 * and with -g, -a or -f one more line:
 *
 *   guard checks C violations V affinity_sets A left_narrowed L forks F
 *   children_narrowed K
 *
 * -W (for benchmarks starting several at once): after "ready", wait for
 * SIGUSR1 before the threads unpin and start reading; -t counts from
 * then. -P MS (placement): every MS ms each reading thread asks which
 * node it runs on (getcpu()) and where a sample of the pages is, and
 * calls itself together with its memory when at least 80% of the sample
 * is on that node. Before "done", one line per reading thread, flushed:
 *
 *   thread tid T first_ms F settled_ms S node N local_permille L
 *          node_changes C nr_migrations M
 *
 * (one line): F is when it was first together, S when it last became
 * together and stayed so to the end (-1: never, or not at the end), both
 * in ms since it started reading; N the node it ended on and L the
 * sample's share there; C how often the check saw it on another node
 * than the check before; M the scheduler's count of its migrations
 * between CPUs (se.nr_migrations of /proc/thread-self/sched, -1 without
 * CONFIG_SCHED_DEBUG).
 *
 * libc only: the NUMA calls are raw syscalls, no libnuma. Errors (a node
 * that does not exist, RUNNODE without CPUs, MEMNODE with less than MB
 * free, a failed call): one line on stderr, exit 1. Bad arguments: usage
 * on stderr, exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* From <linux/mempolicy.h>, which libc does not wrap. */
#define NW_MPOL_DEFAULT		0
#define NW_MPOL_BIND		2
#define NW_MPOL_F_NUMA_BALANCING	(1 << 13)

/* Node masks as large as the kernel's largest MAX_NUMNODES (1 << 10). */
#define NW_MAX_NODES		1024
#define NW_LONG_BITS		(8 * sizeof(unsigned long))
#define NW_MASK_LONGS		(NW_MAX_NODES / NW_LONG_BITS)

#define MAX_THREADS		256
#define MAX_SAMPLES		1024
#define CACHE_LINE		64
/* -P: together when this share of the sampled pages is where it runs */
#define TOGETHER_PERMILLE	800
/* -P: look at the clock after reading this many pages */
#define CHECK_PAGES		256

static const char usage[] =
	"usage: numa_workload -m MEMNODE -r RUNNODE [-s MB] [-t SECONDS] [-T THREADS] [-i] [-u]\n"
	"                     [-c SECONDS [-n N]] [-g] [-a MS] [-f MS] [-B] [-p CPU] [-W] [-P MS]\n"
	"  -m MEMNODE   node to place the memory on\n"
	"  -r RUNNODE   node whose CPUs the threads run on\n"
	"  -s MB        memory size, default 64\n"
	"  -t SECONDS   how long to run, default 30; 0: until SIGTERM\n"
	"  -T THREADS   reading threads, default 1\n"
	"  -i           idle: sleep 100 ms between passes\n"
	"  -u           unpin: start on RUNNODE, then allow every CPU again\n"
	"  -c SECONDS   the first thread creates a sleeping thread this long after it starts\n"
	"  -n N         with -c: N threads at once, the first making one more\n"
	"  -g           guard: count samples of sched_getcpu() outside the thread's own mask\n"
	"  -a MS        each thread changes its own mask about every MS ms\n"
	"  -f MS        the first thread forks a child that checks its mask every MS ms\n"
	"  -B           keep the memory bound, with MPOL_F_NUMA_BALANCING: NUMA balancing\n"
	"               moves the task, not the pages\n"
	"  -p CPU       run on this CPU of RUNNODE only\n"
	"  -W           wait for SIGUSR1 after \"ready\" before reading\n"
	"  -P MS        check every MS ms whether each thread runs where its memory is\n";

static char *mem;
static size_t mem_size;
static long page_size;
static int idle;
static int unpin;
static int keep_bound;		/* -B */
static cpu_set_t all_cpus;	/* the mask at start, for -u */
static volatile sig_atomic_t stop;
static unsigned long passes;	/* summed over threads, under passes_lock */
static pthread_mutex_t passes_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t started;
static pid_t tids[MAX_THREADS];
static long child_after = -1;	/* -c: seconds, -1 for none */
static long nr_children = 1;	/* -n */
static int child_made;
static int guard;
static long churn_ms = -1;	/* -a */
static long fork_ms = -1;	/* -f */
/* -g, -a, -f counters, summed over threads under passes_lock */
static unsigned long checks, violations, affinity_sets, left_narrowed;
static unsigned long forks, children_narrowed;
static int wait_go;		/* -W */
static volatile sig_atomic_t go;
static long check_ms;		/* -P, 0 for none */
static struct timespec t_start;	/* when the threads start reading */
static pthread_barrier_t go_barrier;

/* -P: what one reading thread saw of its placement */
struct placement {
	long first_ms;
	long settled_ms;
	int node;
	int local_permille;
	int together;
	long node_changes;
	long nr_migrations;
	void *pages[MAX_SAMPLES];
	int status[MAX_SAMPLES];
};

static struct placement *placements;

#define HELPER_NAME "numa_workload"
#include "helper_util.h"

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		go = 1;
	else
		stop = 1;
}

static long sys_set_mempolicy(int mode, const unsigned long *nodemask,
			      unsigned long maxnode)
{
	return syscall(SYS_set_mempolicy, mode, nodemask, maxnode);
}

static long sys_get_mempolicy(int *mode)
{
	return syscall(SYS_get_mempolicy, mode, NULL, 0UL, NULL, 0UL);
}

static long sys_move_pages(unsigned long count, void **pages, int *status)
{
	return syscall(SYS_move_pages, 0, count, pages, NULL, status, 0);
}

static void node_exists(int node)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d", node);
	if (access(path, F_OK))
		die("node %d: no such node (%s: %s)", node, path,
		    strerror(errno));
}

/*
 * Refuse a size @node has not got free: bound to it, faulting the pages
 * in would call the OOM killer rather than fail. (Free memory is not all
 * allocatable: a size close to it can still fail that way.)
 */
static void node_has_room(int node, long mb)
{
	char path[64], line[256];
	unsigned long long kb = 0;
	int found = 0, n;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/node/node%d/meminfo",
		 node);
	f = fopen(path, "r");
	if (!f)
		die("node %d: %s: %s", node, path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "Node %d MemFree: %llu kB", &n, &kb) == 2;
	fclose(f);
	if (!found)
		die("%s: no MemFree line", path);
	if ((unsigned long long)mb << 10 > kb)
		die("node %d has %llu MB free, -s asks for %ld", node,
		    kb >> 10, mb);
}

/*
 * The CPUs of @node from /sys/devices/system/node/nodeN/cpulist, a list
 * of ranges such as "0-1,4,6-7". A node without CPUs is an error.
 */
static void node_cpus(int node, cpu_set_t *set)
{
	char path[64], buf[4096], *p, *end;
	unsigned long a, b;
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/node/node%d/cpulist", node);
	f = fopen(path, "r");
	if (!f)
		die("node %d: %s: %s", node, path, strerror(errno));
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);

	CPU_ZERO(set);
	p = buf;
	while (*p && *p != '\n') {
		errno = 0;
		a = strtoul(p, &end, 10);
		if (end == p || errno)
			die("%s: cannot parse '%s'", path, buf);
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || errno || b < a)
				die("%s: cannot parse '%s'", path, buf);
		}
		if (b >= CPU_SETSIZE)
			die("%s: CPU %lu above CPU_SETSIZE", path, b);
		for (; a <= b; a++, n++)
			CPU_SET(a, set);
		p = end;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			die("%s: cannot parse '%s'", path, buf);
	}
	if (!n)
		die("node %d has no CPUs", node);
}

/*
 * Fault every page in on @node, then give the task its default policy
 * (-B: leave it bound, NUMA balancing on).
 */
static void place_memory(int node)
{
	unsigned long mask[NW_MASK_LONGS] = { 0 };
	size_t off;
	int mode = -1;

	mask[node / NW_LONG_BITS] = 1UL << (node % NW_LONG_BITS);
	/* maxnode counts one bit more than the kernel reads */
	if (sys_set_mempolicy(NW_MPOL_BIND, mask, NW_MAX_NODES + 1))
		die("set_mempolicy(MPOL_BIND, node %d): %s", node,
		    strerror(errno));
	/* write, not read: a read fault would map the shared zero page */
	for (off = 0; off < mem_size; off += page_size)
		mem[off] = 1;
	if (keep_bound) {
		if (sys_set_mempolicy(NW_MPOL_BIND | NW_MPOL_F_NUMA_BALANCING,
				      mask, NW_MAX_NODES + 1))
			die("set_mempolicy(MPOL_BIND | MPOL_F_NUMA_BALANCING): %s",
			    strerror(errno));
		return;
	}
	if (sys_set_mempolicy(NW_MPOL_DEFAULT, NULL, 0))
		die("set_mempolicy(MPOL_DEFAULT): %s", strerror(errno));
	if (sys_get_mempolicy(&mode))
		die("get_mempolicy: %s", strerror(errno));
	if (mode != NW_MPOL_DEFAULT)
		die("policy is %d after reset, not MPOL_DEFAULT", mode);
}

/*
 * Where up to MAX_SAMPLES pages spread evenly over the mapping are: how
 * many are on @node_a and on @node_b, out of *@total sampled.
 */
static void count_pages(int node_a, int node_b, int *on_a, int *on_b,
			int *total)
{
	static void *pages[MAX_SAMPLES];
	static int status[MAX_SAMPLES];
	size_t npages = mem_size / page_size, i, n;

	n = npages < MAX_SAMPLES ? npages : MAX_SAMPLES;
	for (i = 0; i < n; i++)
		pages[i] = mem + (i * npages / n) * page_size;
	if (sys_move_pages(n, pages, status))
		die("move_pages: %s", strerror(errno));
	*on_a = 0;
	*on_b = 0;
	for (i = 0; i < n; i++) {
		*on_a += status[i] == node_a;
		*on_b += status[i] == node_b;
	}
	*total = (int)n;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 +
	       (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * -P: where the calling thread runs and whether most of the memory is
 * there. Its own sample buffers: count_pages() is for main() alone.
 */
static void check_placement(struct placement *pl)
{
	size_t npages = mem_size / page_size, i, n;
	unsigned int cpu, node;
	int here = 0, together;
	long ms;

	if (getcpu(&cpu, &node))
		die("getcpu: %s", strerror(errno));
	n = npages < MAX_SAMPLES ? npages : MAX_SAMPLES;
	for (i = 0; i < n; i++)
		pl->pages[i] = mem + (i * npages / n) * page_size;
	if (sys_move_pages(n, pl->pages, pl->status))
		die("move_pages: %s", strerror(errno));
	for (i = 0; i < n; i++)
		here += pl->status[i] == (int)node;
	ms = ms_since(&t_start);
	if (pl->node >= 0 && pl->node != (int)node)
		pl->node_changes++;
	pl->node = (int)node;
	pl->local_permille = (int)(here * 1000L / (long)n);
	together = pl->local_permille >= TOGETHER_PERMILLE;
	if (together && !pl->together) {
		pl->settled_ms = ms;
		if (pl->first_ms < 0)
			pl->first_ms = ms;
	} else if (!together) {
		pl->settled_ms = -1;
	}
	pl->together = together;
}

/* The scheduler's count of the calling thread's migrations, or -1. */
static long own_migrations(void)
{
	char line[256];
	long n = -1, v;
	FILE *f;

	f = fopen("/proc/thread-self/sched", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "se.nr_migrations : %ld", &v) == 1)
			n = v;
	fclose(f);
	return n;
}

static void start_sleeper(long what);

/*
 * -c: a late thread (what: 1 the first child, 0 another child, 2 the
 * grandchild). Sleeps until the run stops.
 */
static void *sleeper(void *arg)
{
	/* Long: a burst of sleepers waking often would load a TCG guest. */
	const struct timespec nap = { 1, 0 };
	long what = (long)arg;

	if (what == 1)
		start_sleeper(2);
	if (what) {
		printf("%s tid %d\n", what == 1 ? "child" : "grandchild",
		       (int)syscall(SYS_gettid));
		if (fflush(stdout))
			die("stdout: %s", strerror(errno));
	}
	while (!stop)
		nanosleep(&nap, NULL);
	return NULL;
}

/* Detached: nobody waits for it; it sees stop and returns. */
static void start_sleeper(long what)
{
	pthread_attr_t attr;
	pthread_t thread;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&thread, &attr, sleeper, (void *)what);
	if (err)
		die("pthread_create: %s", strerror(err));
	pthread_attr_destroy(&attr);
}

/*
 * -a: the CPUs of every node with CPUs, read once at start. A mask a task
 * sets itself that is exactly one node's CPUs cannot be told, on 6.1,
 * from the one numamig narrowed it to on that node: numamig would give
 * back its own saved mask over it (Documentation/guarantees.rst, "What
 * is not promised"). The churn does not pick those.
 */
static cpu_set_t churn_nodes[64];
static int nr_churn_nodes;

static void load_churn_nodes(void)
{
	char path[64];
	int node, c;
	FILE *f;

	for (node = 0; node < 64; node++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/node/node%d/cpulist", node);
		f = fopen(path, "r");
		if (!f)
			continue;
		c = fgetc(f);
		fclose(f);
		if (c != EOF && c != '\n')
			node_cpus(node, &churn_nodes[nr_churn_nodes++]);
	}
}

static int one_node(const cpu_set_t *set, const cpu_set_t *from)
{
	cpu_set_t n;
	int i;

	for (i = 0; i < nr_churn_nodes; i++) {
		CPU_AND(&n, &churn_nodes[i], from);
		if (CPU_EQUAL(&n, set))
			return 1;
	}
	return 0;
}

/* -a: a random non-empty subset of @from, or all of it. */
static void pick_mask(const cpu_set_t *from, int subset, unsigned int *seed,
		      cpu_set_t *out)
{
	int cpu, tries = 0;

	/* Past 100 tries (a mask within one node), one node's CPUs it is. */
	do {
		CPU_ZERO(out);
		for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, from) && (!subset || rand_r(seed) & 1))
				CPU_SET(cpu, out);
	} while (!CPU_COUNT(out) || (subset && ++tries < 100 && one_node(out, from)));
}

/* The first 64 CPUs of @set, as a hexadecimal mask. */
static unsigned long long mask64(const cpu_set_t *set)
{
	unsigned long long m = 0;
	int cpu;

	for (cpu = 0; cpu < 64 && cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set))
			m |= 1ULL << cpu;
	return m;
}

/* -f: a child's life. Inherited @asked's mask, or a narrowed one. */
static void __attribute__((noreturn)) forked_child(const cpu_set_t *asked)
{
	const struct timespec life = { 3, 0 };
	struct timespec born, seen;
	cpu_set_t at_fork, now;

	if (prctl(PR_SET_NAME, "nw_child", 0, 0, 0))
		_exit(2);
	clock_gettime(CLOCK_MONOTONIC, &born);
	if (sched_getaffinity(0, sizeof(at_fork), &at_fork))
		_exit(2);
	nanosleep(&life, NULL);
	clock_gettime(CLOCK_MONOTONIC, &seen);
	if (sched_getaffinity(0, sizeof(now), &now))
		_exit(2);
	if (CPU_EQUAL(&now, asked))
		_exit(0);
	/* When and what: to tell a race from a child never given back. */
	fprintf(stderr, "numa_workload: child %d has not the mask asked for: born at %ld.%03ld s with CPUs %llx, at %ld.%03ld s has %llx, asked for %llx\n",
		(int)getpid(), (long)born.tv_sec, born.tv_nsec / 1000000, mask64(&at_fork),
		(long)seen.tv_sec, seen.tv_nsec / 1000000, mask64(&now), mask64(asked));
	_exit(3);
}

/* -f: reap children, counting those that found their mask narrowed. */
static int reap(int block, unsigned long *narrowed)
{
	int status, n = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
		n++;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			(*narrowed)++;
	}
	return n;
}

static void *reader(void *arg)
{
	long idx = (long)arg;
	const struct timespec nap = { 0, 100 * 1000 * 1000 };
	struct placement *pl = check_ms ? &placements[idx] : NULL;
	unsigned long sum = 0, n = 0, pages = 0, nchecks = 0, nviol = 0, nsets = 0;
	unsigned long nforks = 0, nnarrowed = 0;
	struct timespec t0, now, last_churn, last_fork;
	unsigned int seed;
	long churn_next = 0, next_check = 0;
	int cpu, alive = 0, subset = 1;
	cpu_set_t mine, cur;
	size_t off, end;
	pid_t pid;

	tids[idx] = (pid_t)syscall(SYS_gettid);
	seed = (unsigned int)tids[idx];
	pthread_barrier_wait(&started);
	pthread_barrier_wait(&go_barrier);
	if (sched_getaffinity(0, sizeof(mine), &mine))
		die("sched_getaffinity: %s", strerror(errno));
	if (unpin && sched_setaffinity(0, sizeof(all_cpus), &all_cpus))
		die("sched_setaffinity to all CPUs: %s", strerror(errno));
	if (unpin)
		mine = all_cpus;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	last_churn = t0;
	last_fork = t0;
	if (churn_ms >= 0)
		churn_next = churn_ms / 2 + rand_r(&seed) % (churn_ms + 1);
	while (!stop) {
		for (off = 0; off < mem_size && !stop; off = end) {
			end = off + page_size;
			for (; off < end; off += CACHE_LINE)
				sum += *(volatile char *)(mem + off);
			if (pl && ++pages % CHECK_PAGES == 0 &&
			    ms_since(&t_start) >= next_check) {
				check_placement(pl);
				next_check = ms_since(&t_start) + check_ms;
			}
			if (!guard)
				continue;
			/* On that CPU while the mask was @mine. */
			cpu = sched_getcpu();
			nchecks++;
			if (cpu >= 0 && cpu < CPU_SETSIZE && CPU_ISSET(cpu, &mine))
				continue;
			if (!nviol++)
				fprintf(stderr, "numa_workload: violation: tid %d ran on cpu %d outside its own mask\n",
					(int)tids[idx], cpu);
		}
		n++;
		if (churn_ms >= 0 && ms_since(&last_churn) >= churn_next) {
			/* The mask counts from when the call returned. */
			pick_mask(&all_cpus, subset, &seed, &cur);
			if (sched_setaffinity(0, sizeof(cur), &cur))
				die("sched_setaffinity: %s", strerror(errno));
			mine = cur;
			nsets++;
			subset = !subset;
			clock_gettime(CLOCK_MONOTONIC, &last_churn);
			churn_next = churn_ms / 2 + rand_r(&seed) % (churn_ms + 1);
		}
		if (idx == 0 && fork_ms >= 0) {
			alive -= reap(0, &nnarrowed);
			if (alive < 32 && ms_since(&last_fork) >= fork_ms) {
				pid = fork();
				if (pid < 0)
					die("fork: %s", strerror(errno));
				if (!pid)
					forked_child(&mine);
				alive++;
				nforks++;
				clock_gettime(CLOCK_MONOTONIC, &last_fork);
			}
		}
		if (idx == 0 && child_after >= 0 && !child_made) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t_start.tv_sec >= child_after) {
				long i;

				for (i = 0; i < nr_children; i++)
					start_sleeper(i == 0);
				child_made = 1;
			}
		}
		if (idle)
			nanosleep(&nap, NULL);
		if (pl && idle && ms_since(&t_start) >= next_check) {
			check_placement(pl);
			next_check = ms_since(&t_start) + check_ms;
		}
	}
	if (pl) {
		check_placement(pl);
		pl->nr_migrations = own_migrations();
	}
	if (idx == 0 && fork_ms >= 0)
		reap(1, &nnarrowed);
	if (sched_getaffinity(0, sizeof(cur), &cur))
		die("sched_getaffinity: %s", strerror(errno));
	pthread_mutex_lock(&passes_lock);
	passes += n;
	checks += nchecks;
	violations += nviol;
	affinity_sets += nsets;
	left_narrowed += !CPU_EQUAL(&cur, &mine);
	forks += nforks;
	children_narrowed += nnarrowed;
	pthread_mutex_unlock(&passes_lock);
	if (!CPU_EQUAL(&cur, &mine))
		fprintf(stderr, "numa_workload: tid %d: allowed %d CPUs at the end, asked for %d\n",
			(int)tids[idx], CPU_COUNT(&cur), CPU_COUNT(&mine));
	return (void *)sum;
}

static void print_ready(long nthreads, int mem_node, int run_node, int on_mem,
			int total)
{
	long i;

	printf("ready pid %d tids ", (int)getpid());
	for (i = 0; i < nthreads; i++)
		printf("%s%d", i ? "," : "", (int)tids[i]);
	printf(" mem_node %d run_node %d pages_on_mem_node %d/%d\n",
	       mem_node, run_node, on_mem, total);
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));
}

int main(int argc, char **argv)
{
	int mem_node = -1, run_node = -1, pin_cpu = -1, on_mem, on_run, total, opt, err;
	long mb = 64, seconds = 30, nthreads = 1, i;
	pthread_t threads[MAX_THREADS];
	struct timespec now, deadline;
	const struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct sigaction sa;
	sigset_t sigs, old_sigs;
	cpu_set_t cpus;

	while ((opt = getopt(argc, argv, "m:r:s:t:T:iuc:n:ga:f:Bp:WP:h")) != -1) {
		switch (opt) {
		case 'm':
			mem_node = (int)parse_num(optarg, 0, NW_MAX_NODES - 1,
						  "-m wants a node number, not '%s'");
			break;
		case 'r':
			run_node = (int)parse_num(optarg, 0, NW_MAX_NODES - 1,
						  "-r wants a node number, not '%s'");
			break;
		case 's':
			mb = parse_num(optarg, 1, 1L << 20,
				       "-s wants a size in MB (1 to 1048576), not '%s'");
			break;
		case 't':
			seconds = parse_num(optarg, 0, INT_MAX,
					    "-t wants seconds (0: until SIGTERM), not '%s'");
			break;
		case 'T':
			nthreads = parse_num(optarg, 1, MAX_THREADS,
					     "-T wants 1 to 256 threads, not '%s'");
			break;
		case 'i':
			idle = 1;
			break;
		case 'u':
			unpin = 1;
			break;
		case 'B':
			keep_bound = 1;
			break;
		case 'c':
			child_after = parse_num(optarg, 0, INT_MAX,
						"-c wants seconds, not '%s'");
			break;
		case 'n':
			nr_children = parse_num(optarg, 1, 10000,
						"-n wants 1 to 10000 threads, not '%s'");
			break;
		case 'g':
			guard = 1;
			break;
		case 'a':
			churn_ms = parse_num(optarg, 1, INT_MAX,
					     "-a wants milliseconds, not '%s'");
			break;
		case 'f':
			fork_ms = parse_num(optarg, 0, INT_MAX,
					    "-f wants milliseconds, not '%s'");
			break;
		case 'p':
			pin_cpu = (int)parse_num(optarg, 0, CPU_SETSIZE - 1,
						 "-p wants a CPU number, not '%s'");
			break;
		case 'W':
			wait_go = 1;
			break;
		case 'P':
			check_ms = parse_num(optarg, 1, INT_MAX,
					     "-P wants milliseconds, not '%s'");
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (churn_ms >= 0)
		load_churn_nodes();
	if (mem_node < 0 || run_node < 0)
		bad_usage("%s", "-m and -r are required");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ||
	    sigaction(SIGUSR1, &sa, NULL))
		die("sigaction: %s", strerror(errno));
	/*
	 * Blocked here, so in every thread created; main() alone takes them,
	 * unblocked in sigsuspend() (-W) and after the start.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	err = pthread_sigmask(SIG_BLOCK, &sigs, &old_sigs);
	if (err)
		die("pthread_sigmask: %s", strerror(err));
	if (check_ms) {
		placements = calloc((size_t)nthreads, sizeof(*placements));
		if (!placements)
			die("%s", "out of memory");
		for (i = 0; i < nthreads; i++) {
			placements[i].first_ms = -1;
			placements[i].settled_ms = -1;
			placements[i].node = -1;
			placements[i].nr_migrations = -1;
		}
	}

	/* before anything is placed: nodes that are not there are errors */
	node_exists(mem_node);
	node_has_room(mem_node, mb);
	node_cpus(run_node, &cpus);
	if (pin_cpu >= 0) {
		if (!CPU_ISSET(pin_cpu, &cpus))
			die("CPU %d is not on node %d", pin_cpu, run_node);
		CPU_ZERO(&cpus);
		CPU_SET(pin_cpu, &cpus);
	}

	/*
	 * Pinned before faulting: unpinned, a busy task faulting in memory
	 * bound elsewhere is what numamig moves, narrowing its mask, and a
	 * mask read after that would hand the narrowed one back at -u.
	 */
	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus))
		die("sched_getaffinity: %s", strerror(errno));
	/* threads created from here on inherit the mask */
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		die("sched_setaffinity to node %d: %s", run_node,
		    strerror(errno));

	page_size = sysconf(_SC_PAGESIZE);
	mem_size = (size_t)mb << 20;
	mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap %ld MB: %s", mb, strerror(errno));
	place_memory(mem_node);
	count_pages(mem_node, run_node, &on_mem, &on_run, &total);

	err = pthread_barrier_init(&started, NULL, (unsigned int)nthreads + 1);
	if (!err)
		err = pthread_barrier_init(&go_barrier, NULL,
					   (unsigned int)nthreads + 1);
	if (err)
		die("pthread_barrier_init: %s", strerror(err));
	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&threads[i], NULL, reader, (void *)i);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
	pthread_barrier_wait(&started);
	if (wait_go) {
		print_ready(nthreads, mem_node, run_node, on_mem, total);
		while (!go && !stop)
			sigsuspend(&old_sigs);
	}
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	pthread_barrier_wait(&go_barrier);
	if (unpin && sched_setaffinity(0, sizeof(all_cpus), &all_cpus))
		die("sched_setaffinity to all CPUs: %s", strerror(errno));
	err = pthread_sigmask(SIG_SETMASK, &old_sigs, NULL);
	if (err)
		die("pthread_sigmask: %s", strerror(err));
	if (!wait_go)
		print_ready(nthreads, mem_node, run_node, on_mem, total);

	deadline = t_start;
	deadline.tv_sec += seconds;
	while (!stop) {
		nanosleep(&tick, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (seconds && (now.tv_sec > deadline.tv_sec ||
				(now.tv_sec == deadline.tv_sec &&
				 now.tv_nsec >= deadline.tv_nsec)))
			stop = 1;
	}
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);

	for (i = 0; check_ms && i < nthreads; i++)
		printf("thread tid %d first_ms %ld settled_ms %ld node %d local_permille %d node_changes %ld nr_migrations %ld\n",
		       (int)tids[i], placements[i].first_ms,
		       placements[i].settled_ms, placements[i].node,
		       placements[i].local_permille,
		       placements[i].node_changes,
		       placements[i].nr_migrations);
	count_pages(mem_node, run_node, &on_mem, &on_run, &total);
	printf("done pid %d passes %lu pages_on_mem_node %d/%d pages_on_run_node %d/%d\n",
	       (int)getpid(), passes, on_mem, total, on_run, total);
	if (guard || churn_ms >= 0 || fork_ms >= 0)
		printf("guard checks %lu violations %lu affinity_sets %lu left_narrowed %lu forks %lu children_narrowed %lu\n",
		       checks, violations, affinity_sets, left_narrowed, forks,
		       children_narrowed);
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));
	return 0;
}
