// SPDX-License-Identifier: GPL-2.0
/*
 * many_threads - one process with many mostly idle threads, to measure
 * what tracking thousands of tasks costs numamig's worker
 * (tools/bench/tracking-cost): with the thresholds at zero, every one of
 * them is a watched task the worker visits each period.
 *
 *   many_threads -n N [-t SECONDS] [-m MB]
 *
 * Maps MB (default 16) of anonymous memory and writes one byte per page,
 * so that the process has resident memory for the worker's page
 * sampling, then creates N threads with 64 KiB stacks (small, so that
 * 10,000 of them fit a test guest) that each sleep 1 s at a time in a
 * loop. Once all are created, prints, flushed:
 *
 *   ready pid P threads N
 *
 * then runs SECONDS (default 30; 0 means until SIGTERM or SIGINT) and
 * exits 0. libc and pthreads only.
 *
 * A thread that cannot be created (threads-max, pid_max, memory): one
 * line on stderr saying how many were, exit 1. Other errors: one line
 * on stderr, exit 1. Bad arguments: usage on stderr, exit 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MT_STACK_SIZE		(64 * 1024)
#define MT_MAX_THREADS		1000000

static const char usage[] =
	"usage: many_threads -n N [-t SECONDS] [-m MB]\n"
	"  -n N         idle threads to create\n"
	"  -t SECONDS   how long to run once ready, default 30; 0: until SIGTERM\n"
	"  -m MB        memory to map and touch, default 16\n";

#define HELPER_NAME "many_threads"
#include "helper_util.h"

/* Mostly idle: wake once a second, do nothing, sleep again. */
static void *sleeper(void *arg)
{
	const struct timespec nap = { 1, 0 };

	(void)arg;
	for (;;)
		nanosleep(&nap, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads = -1, seconds = 30, mb = 16, i, page_size;
	struct timespec timeout, deadline, now;
	pthread_attr_t attr;
	pthread_t thread;
	size_t size, off;
	sigset_t stop_set;
	char *mem;
	int opt, err, sig;

	while ((opt = getopt(argc, argv, "n:t:m:h")) != -1) {
		switch (opt) {
		case 'n':
			nthreads = parse_num(optarg, 1, MT_MAX_THREADS,
					     "-n wants 1 to 1000000 threads, not '%s'");
			break;
		case 't':
			seconds = parse_num(optarg, 0, INT_MAX,
					    "-t wants seconds (0: until SIGTERM), not '%s'");
			break;
		case 'm':
			mb = parse_num(optarg, 0, 1L << 20,
				       "-m wants a size in MB (0 to 1048576), not '%s'");
			break;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (nthreads < 0)
		bad_usage("%s", "-n is required");

	/*
	 * SIGTERM and SIGINT stay blocked in every thread (they inherit the
	 * mask): the main thread takes them with sigtimedwait().
	 */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	err = pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	if (err)
		die("pthread_sigmask: %s", strerror(err));

	page_size = sysconf(_SC_PAGESIZE);
	size = (size_t)mb << 20;
	if (size) {
		mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED)
			die("mmap %ld MB: %s", mb, strerror(errno));
		/* write, not read: a read fault would map the shared zero page */
		for (off = 0; off < size; off += page_size)
			mem[off] = 1;
	}

	err = pthread_attr_init(&attr);
	if (err)
		die("pthread_attr_init: %s", strerror(err));
	err = pthread_attr_setstacksize(&attr, MT_STACK_SIZE);
	if (err)
		die("pthread_attr_setstacksize %d: %s", MT_STACK_SIZE,
		    strerror(err));
	err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (err)
		die("pthread_attr_setdetachstate: %s", strerror(err));
	for (i = 0; i < nthreads; i++) {
		err = pthread_create(&thread, &attr, sleeper, NULL);
		if (err)
			die("pthread_create: %s after %ld of %ld threads",
			    strerror(err), i, nthreads);
	}
	pthread_attr_destroy(&attr);

	printf("ready pid %d threads %ld\n", (int)getpid(), nthreads);
	if (fflush(stdout))
		die("stdout: %s", strerror(errno));

	if (seconds) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += seconds;
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			timeout.tv_sec = deadline.tv_sec - now.tv_sec;
			timeout.tv_nsec = deadline.tv_nsec - now.tv_nsec;
			if (timeout.tv_nsec < 0) {
				timeout.tv_sec--;
				timeout.tv_nsec += 1000000000L;
			}
			if (timeout.tv_sec < 0)
				break;
			sig = sigtimedwait(&stop_set, NULL, &timeout);
			if (sig >= 0 || errno == EAGAIN)
				break;
			/* EINTR (SIGCONT after a stop): wait out the rest */
			if (errno != EINTR)
				die("sigtimedwait: %s", strerror(errno));
		}
	} else {
		err = sigwait(&stop_set, &sig);
		if (err)
			die("sigwait: %s", strerror(err));
	}
	/* exit() ends the sleeping threads with the process */
	return 0;
}
