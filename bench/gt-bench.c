// SPDX-License-Identifier: GPL-2.0
/*
 * gt-bench: the benchmark's helpers that need libgtrace or wait4().
 *
 *   gt-bench other [--records] -- CMD...
 *       Run CMD untraced while a gtrace session (counters, or records
 *       with --records) traces another, idle, process: what an untraced
 *       process pays while someone else is traced.
 *   gt-bench rss FILE -- CMD...
 *       Run CMD and append "maxrss_kib N" to FILE: the peak RSS of CMD
 *       or of the largest of the children it waited for (wait4()).
 *   gt-bench drain FILE -- CMD...
 *       Trace CMD with per-call records and drain the ring as fast as
 *       libgtrace can, counting records and formatting nothing; append
 *       "records N dropped M" to FILE. Tells the ring's own limit apart
 *       from gtrace-run's output formatting.
 *   gt-bench sink FIFO TAIL -- CMD...
 *       Run CMD, which writes into the named pipe FIFO, and read FIFO
 *       until CMD has exited and every writer has closed it, counting the
 *       bytes and keeping the last 64 KiB in TAIL; print "bytes N
 *       maxrss_kib M seconds S" on stdout (M as for rss). The bytes are
 *       really written, into a pipe that costs no memory or disk: CMD's
 *       formatting and writing are measured, not the storage.
 *
 * Exit status: CMD's, 3 when tracing is unavailable, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gtrace/client.h>

static int usage(void)
{
	fprintf(stderr, "usage: gt-bench other [--records] -- CMD...\n"
		"       gt-bench rss FILE -- CMD...\n"
		"       gt-bench drain FILE -- CMD...\n"
		"       gt-bench sink FIFO TAIL -- CMD...\n");
	return 2;
}

/* Run argv, wait for it; its wait status, or -1. */
static int run(char **argv, struct rusage *ru)
{
	int st;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "gt-bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, ru) < 0)
		if (errno != EINTR)
			return -1;
	return st;
}

static int exit_of(int st)
{
	if (st < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int other(int records, char **argv)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl;
	struct gt_ring *ring = NULL;
	struct rusage ru;
	int go[2], st;
	uint32_t id;
	pid_t idle;
	char b;

	if (pipe(go))
		return 1;
	idle = fork();
	if (idle < 0)
		return 1;
	if (idle == 0) {
		close(go[1]);
		/* Sleeps here, traced, until the write end closes. */
		_exit(read(go[0], &b, 1) < 0);
	}
	close(go[0]);
	cl = gt_open();
	if (!cl) {
		fprintf(stderr, "gt-bench: %s\n", gt_errmsg(NULL));
		close(go[1]);
		return 3;
	}
	o.target_pid = (uint32_t)idle;
	o.flags = records ? GTRACE_F_RECORDS : 0;
	if (gt_session_new(cl, &o, &id) ||
	    (records && gt_ring_open(id, &ring)) ||
	    gt_session_start(cl, id)) {
		fprintf(stderr, "gt-bench: %s\n", gt_errmsg(cl));
		close(go[1]);
		return 3;
	}
	st = run(argv, &ru);
	close(go[1]);
	waitpid(idle, NULL, 0);
	gt_ring_close(ring);
	gt_close(cl);
	return exit_of(st);
}

static int rss(const char *file, char **argv)
{
	struct rusage ru;
	FILE *f;
	int st;

	memset(&ru, 0, sizeof(ru));
	st = run(argv, &ru);
	f = fopen(file, "a");
	if (!f) {
		fprintf(stderr, "gt-bench: %s: %s\n", file, strerror(errno));
		return 1;
	}
	fprintf(f, "maxrss_kib %ld\n", ru.ru_maxrss);
	fclose(f);
	return exit_of(st);
}

static int count(const struct gtrace_record *r, unsigned int ring, void *ctx)
{
	(*(uint64_t *)ctx)++;
	return 0;
}

static int drain(const char *file, char **argv)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_ring *ring = NULL;
	struct gt_client *cl;
	uint64_t records = 0;
	int go[2], st = 0;
	uint32_t id;
	pid_t pid;
	FILE *f;
	char b;

	if (pipe(go))
		return 1;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &b, 1) != 1)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(go[0]);
	cl = gt_open();
	o.target_pid = (uint32_t)pid;
	o.flags = GTRACE_F_RECORDS;
	if (!cl || gt_session_new(cl, &o, &id) || gt_ring_open(id, &ring) ||
	    gt_session_start(cl, id)) {
		fprintf(stderr, "gt-bench: %s\n", cl ? gt_errmsg(cl) : gt_errmsg(NULL));
		close(go[1]);
		waitpid(pid, NULL, 0);
		return 3;
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	close(go[1]);
	while (waitpid(pid, &st, WNOHANG) == 0) {
		gt_ring_poll(ring, 10);
		gt_ring_consume(ring, count, &records);
	}
	gt_ring_consume(ring, count, &records);
	f = fopen(file, "a");
	if (f) {
		fprintf(f, "records %llu dropped %llu\n", (unsigned long long)records,
			(unsigned long long)gt_ring_drops(ring));
		fclose(f);
	}
	gt_ring_close(ring);
	gt_close(cl);
	return f ? exit_of(st) : 1;
}

#define SINK_TAIL (64 * 1024)
#define SINK_CHUNK (1024 * 1024)

/* Read what is in @fd now; 0 at EOF, 1 when more may come, -1 on error. */
static int sink_read(int fd, char *buf, char *tail, size_t *tail_len,
		     unsigned long long *bytes)
{
	for (;;) {
		ssize_t n = read(fd, buf, SINK_CHUNK);
		size_t keep;

		if (n < 0)
			return errno == EAGAIN ? 1 : errno == EINTR ? 1 : -1;
		if (n == 0)
			return 0;
		*bytes += (size_t)n;
		/* The last SINK_TAIL bytes of the stream, in order. */
		keep = (size_t)n < SINK_TAIL ? (size_t)n : SINK_TAIL;
		if (*tail_len + keep > SINK_TAIL) {
			size_t drop = *tail_len + keep - SINK_TAIL;

			memmove(tail, tail + drop, *tail_len - drop);
			*tail_len -= drop;
		}
		memcpy(tail + *tail_len, buf + n - keep, keep);
		*tail_len += keep;
	}
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int sink(const char *fifo, const char *tailfile, char **argv)
{
	unsigned long long bytes = 0;
	char *buf = malloc(SINK_CHUNK), *tail = malloc(SINK_TAIL);
	size_t tail_len = 0;
	struct rusage ru;
	int rd, wr, st = 0, r = 1;
	bool done = false;
	double t0 = mono_s();
	struct stat sb;
	pid_t pid;
	FILE *f;

	if (!buf || !tail)
		return 1;
	if (stat(fifo, &sb) || !S_ISFIFO(sb.st_mode)) {
		fprintf(stderr, "gt-bench: %s: not a named pipe\n", fifo);
		return 2;
	}
	/*
	 * Our own write end keeps the pipe open until CMD has exited: a
	 * reader sees no EOF before CMD opens it, and never blocks in
	 * open() when CMD fails before opening it.
	 */
	rd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	wr = rd < 0 ? -1 : open(fifo, O_WRONLY | O_CLOEXEC);
	if (rd < 0 || wr < 0) {
		fprintf(stderr, "gt-bench: %s: %s\n", fifo, strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "gt-bench: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	memset(&ru, 0, sizeof(ru));
	while (r) {
		struct pollfd p = { .fd = rd, .events = POLLIN };

		if (!done) {
			pid_t w = wait4(pid, &st, WNOHANG, &ru);

			if (w == pid || (w < 0 && errno != EINTR)) {
				done = true;
				close(wr);	/* EOF once the last writer is gone */
			}
		}
		if (poll(&p, 1, done ? -1 : 100) < 0 && errno != EINTR)
			break;
		r = sink_read(rd, buf, tail, &tail_len, &bytes);
		if (r < 0) {
			fprintf(stderr, "gt-bench: reading %s: %s\n", fifo, strerror(errno));
			break;
		}
		if (r == 0 && !done)
			r = 1;	/* cannot happen while wr is open; be safe */
	}
	if (!done) {
		close(wr);
		while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
			;
	}
	close(rd);
	f = fopen(tailfile, "w");
	if (!f || fwrite(tail, 1, tail_len, f) != tail_len || fclose(f)) {
		fprintf(stderr, "gt-bench: %s: %s\n", tailfile, strerror(errno));
		return 1;
	}
	printf("bytes %llu maxrss_kib %ld seconds %.1f\n", bytes, ru.ru_maxrss,
	       mono_s() - t0);
	free(buf);
	free(tail);
	return r < 0 ? 1 : exit_of(st);
}

int main(int argc, char **argv)
{
	int i, records = 0;

	if (argc < 2)
		return usage();
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--records"))
			records = 1;
	if (i + 1 >= argc)
		return usage();
	if (!strcmp(argv[1], "other") && i == 2 + records)
		return other(records, argv + i + 1);
	if (!strcmp(argv[1], "rss") && i == 3)
		return rss(argv[2], argv + i + 1);
	if (!strcmp(argv[1], "drain") && i == 3)
		return drain(argv[2], argv + i + 1);
	if (!strcmp(argv[1], "sink") && i == 4)
		return sink(argv[2], argv[3], argv + i + 1);
	return usage();
}
