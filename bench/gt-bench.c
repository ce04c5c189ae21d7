// SPDX-License-Identifier: GPL-2.0
/*
 * gt-bench MODE N: time N getppid calls in a child, untraced or traced by
 * gtrace.ko, and print "MODE ns_per_call records drops".
 *
 *   plain     no session (run it with or without the empty-probe module)
 *   counters  a session counting the child's calls
 *   records   the same with per-call records, drained while it runs
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gtrace.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int count(const struct gtrace_record *r, unsigned int ring, void *ctx)
{
	(*(uint64_t *)ctx)++;
	return 0;
}

int main(int argc, char **argv)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	int go[2], res[2], status;
	struct gt_client *cl = NULL;
	struct gt_ring *ring = NULL;
	uint64_t n, t, records = 0;
	const char *mode;
	uint32_t id;
	pid_t pid;
	char b;

	if (argc != 3) {
		fprintf(stderr, "usage: gt-bench plain|counters|records N\n");
		return 2;
	}
	mode = argv[1];
	n = strtoull(argv[2], NULL, 10);
	if (pipe(go) || pipe(res))
		return 1;

	pid = fork();
	if (pid == 0) {
		uint64_t i, t0;

		if (read(go[0], &b, 1) != 1)
			_exit(1);
		t0 = now_ns();
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		t0 = now_ns() - t0;
		_exit(write(res[1], &t0, sizeof(t0)) == sizeof(t0) ? 0 : 1);
	}

	if (strcmp(mode, "plain")) {
		cl = gt_open();
		if (!cl) {
			fprintf(stderr, "gt-bench: %s\n", gt_errmsg(NULL));
			return 3;
		}
		o.target_pid = pid;
		if (!strcmp(mode, "records"))
			o.flags = GTRACE_F_RECORDS;
		if (gt_session_new(cl, &o, &id) ||
		    (o.flags && gt_ring_open(id, &ring)) ||
		    gt_session_start(cl, id)) {
			fprintf(stderr, "gt-bench: %s\n", gt_errmsg(cl));
			return 3;
		}
	}
	if (write(go[1], "g", 1) != 1)
		return 1;
	while (ring && waitpid(pid, &status, WNOHANG) == 0) {
		gt_ring_poll(ring, 10);
		gt_ring_consume(ring, count, &records);
	}
	if (!ring)
		waitpid(pid, &status, 0);
	if (ring)
		gt_ring_consume(ring, count, &records);
	if (read(res[0], &t, sizeof(t)) != sizeof(t))
		return 1;
	printf("%s %.1f %llu %llu\n", mode, (double)t / n,
	       (unsigned long long)records,
	       (unsigned long long)(ring ? gt_ring_drops(ring) : 0));
	gt_ring_close(ring);
	gt_close(cl);
	return 0;
}
