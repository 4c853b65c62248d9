// SPDX-License-Identifier: GPL-2.0
/*
 * pingpong - two processes bounce a byte over a pair of pipes, forcing a
 * context switch per hop. The selftests use it to make sched_switch and
 * sched_wakeup fire a known minimum number of times; benchmarks use its
 * round trips per second.
 *
 *   pingpong [-n ROUNDS] [-c CPU]
 *
 * -c pins both processes to CPU, so that every hop is a switch on it.
 * Prints "rounds N seconds S round_trips_per_sec R".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "pingpong: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void xfer(int rfd, int wfd, long rounds, int first)
{
	char c = 0;
	long i;
	ssize_t n;

	for (i = 0; i < rounds; i++) {
		if (first && write(wfd, &c, 1) != 1)
			die("write");
		n = read(rfd, &c, 1);
		if (n == 0)	/* the other end is gone: so are we */
			exit(1);
		if (n != 1)
			die("read");
		if (!first && write(wfd, &c, 1) != 1)
			die("write");
	}
}

int main(int argc, char **argv)
{
	long rounds = 100000;
	int cpu = -1, opt, ping[2], pong[2], status;
	struct timespec t0, t1;
	double secs;
	pid_t child;

	while ((opt = getopt(argc, argv, "n:c:")) != -1) {
		char *end;

		switch (opt) {
		case 'n':
			rounds = strtol(optarg, &end, 10);
			if (*end || rounds <= 0) {
				fprintf(stderr, "pingpong: -n wants a positive count, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'c':
			cpu = (int)strtol(optarg, &end, 10);
			if (*end || cpu < 0) {
				fprintf(stderr, "pingpong: -c wants a CPU number, not '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: pingpong [-n ROUNDS] [-c CPU]\n");
			return 2;
		}
	}

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("sched_setaffinity");
	}
	if (pipe(ping) || pipe(pong))
		die("pipe");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		close(ping[1]);
		close(pong[0]);
		xfer(ping[0], pong[1], rounds, 0);
		_exit(0);
	}
	/* Each end keeps only its own ends open, so either sees the other exit. */
	close(ping[0]);
	close(pong[1]);
	xfer(pong[0], ping[1], rounds, 1);
	if (waitpid(child, &status, 0) < 0)
		die("waitpid");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;

	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("rounds %ld seconds %.6f round_trips_per_sec %.0f\n",
	       rounds, secs, rounds / secs);
	return 0;
}
