// SPDX-License-Identifier: GPL-2.0
/*
 * gt-work: the benchmark's workloads, timed from inside so that a tracer's
 * start and end (perf and bpftrace take many seconds to start under TCG)
 * stay out of the numbers. It knows nothing of the tracer it runs under.
 *
 *   gt-work [-o FILE] WORKLOAD:ARGS...
 *
 *   getppid:N          N getppid calls
 *   pipe:N             N times: write one byte into a pipe, read it back
 *   threads:N          two threads pinned to CPUs 0 and 1, N getppid each
 *   mixed:N:DIR        N times: tar -cf - DIR into a pipe that gt-work
 *                      drains (tar skips the work when it writes to
 *                      /dev/null itself)
 *   tasks:T:N          T-1 idle threads blocked in read(), then N getppid
 *                      calls; also prints gtrace.ko's module status
 *                      (mem_bytes, sessions) read while they live
 *
 * For each workload one line goes to FILE (default stdout):
 *
 *   WORKLOAD ns_per_op ops elapsed_ns [mem_bytes sessions]
 *
 * where an op is one syscall (getppid, pipe: one read or one write;
 * threads: one getppid, timed per thread and averaged) or one tar run
 * (mixed), whose syscall count the runner measures with gtrace.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gtrace/client.h>

static FILE *out;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "gt-work: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void report(const char *name, uint64_t ns, uint64_t ops)
{
	fprintf(out, "%s %.1f %llu %llu\n", name, ops ? (double)ns / ops : 0.0,
		(unsigned long long)ops, (unsigned long long)ns);
	fflush(out);
}

static uint64_t getppid_loop(uint64_t n)
{
	uint64_t i, t0 = now_ns();

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return now_ns() - t0;
}

static void w_getppid(uint64_t n)
{
	report("getppid", getppid_loop(n), n);
}

static void w_pipe(uint64_t n)
{
	uint64_t i, t0;
	int p[2];
	char c = 'x';

	if (pipe(p))
		die("pipe");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1)
			die("pipe i/o");
	}
	t0 = now_ns() - t0;
	close(p[0]);
	close(p[1]);
	report("pipe", t0, 2 * n);
}

struct thr {
	pthread_t th;
	int cpu;
	uint64_t n, ns;
	pthread_barrier_t *bar;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	/* One vCPU only: the pinning fails, the loop still runs. */
	sched_setaffinity(0, sizeof(set), &set);
	pthread_barrier_wait(t->bar);
	t->ns = getppid_loop(t->n);
	return NULL;
}

static void w_threads(uint64_t n)
{
	pthread_barrier_t bar;
	struct thr t[2];
	int i;

	pthread_barrier_init(&bar, NULL, 2);
	for (i = 0; i < 2; i++) {
		t[i] = (struct thr){ .cpu = i, .n = n, .bar = &bar };
		errno = pthread_create(&t[i].th, NULL, thr_main, &t[i]);
		if (errno)
			die("pthread_create");
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i].th, NULL);
	pthread_barrier_destroy(&bar);
	/* Per-thread time per call, averaged: what each caller sees. */
	report("threads", (t[0].ns + t[1].ns) / 2, n);
}

/* tar's path, looked up once so its runs make no failed execve(). */
static char *tar_path(void)
{
	static char found[4096];
	const char *path = getenv("PATH"), *p, *end;

	if (found[0])
		return found;
	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(found, sizeof(found), "%.*s/tar", (int)(end - p), p);
		if (!access(found, X_OK))
			return found;
	}
	fprintf(stderr, "gt-work: no tar in PATH\n");
	exit(1);
}

static void tar_once(const char *dir)
{
	static char buf[65536];
	char *parent, *base, *slash;
	int p[2], st;
	pid_t pid;
	ssize_t r;

	parent = strdup(dir);
	if (!parent)
		die("strdup");
	slash = strrchr(parent, '/');
	if (!slash || slash == parent) {
		fprintf(stderr, "gt-work: mixed wants an absolute DIR below /\n");
		exit(2);
	}
	*slash = '\0';
	base = slash + 1;
	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(tar_path(), "tar", "-cf", "-", "-C", parent, base, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while ((r = read(p[0], buf, sizeof(buf))) > 0)
		;
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "gt-work: tar -C %s %s failed\n", parent, base);
		exit(1);
	}
	free(parent);
}

static void w_mixed(uint64_t n, const char *dir)
{
	uint64_t i, t0;

	tar_path();
	t0 = now_ns();
	for (i = 0; i < n; i++)
		tar_once(dir);
	report("mixed", now_ns() - t0, n);
}

static void *idle_main(void *arg)
{
	char c;

	/* Blocks until the write end closes. */
	if (read(*(int *)arg, &c, 1) < 0)
		return NULL;
	return NULL;
}

static void w_tasks(uint64_t tasks, uint64_t n)
{
	unsigned long long mem = 0, sessions = 0;
	struct gt_client *cl;
	struct gt_status st;
	pthread_attr_t attr;
	pthread_t *th;
	uint64_t i, ns;
	int p[2];

	if (!tasks)
		tasks = 1;
	th = calloc(tasks, sizeof(*th));
	if (!th || pipe(p))
		die("tasks setup");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 1; i < tasks; i++) {
		errno = pthread_create(&th[i], &attr, idle_main, &p[0]);
		if (errno)
			die("pthread_create");
	}
	/* gtrace.ko's memory while the tasks live (zeros without it). */
	cl = gt_open();
	if (cl && !gt_status(cl, &st)) {
		mem = st.mem_bytes;
		sessions = st.sessions;
	}
	gt_close(cl);
	ns = getppid_loop(n);
	close(p[1]);
	for (i = 1; i < tasks; i++)
		pthread_join(th[i], NULL);
	close(p[0]);
	pthread_attr_destroy(&attr);
	free(th);
	fprintf(out, "tasks:%llu %.1f %llu %llu %llu %llu\n",
		(unsigned long long)tasks, n ? (double)ns / n : 0.0,
		(unsigned long long)n, (unsigned long long)ns, mem, sessions);
	fflush(out);
}

static uint64_t num(const char *s, const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || (*end && *end != ':')) {
		fprintf(stderr, "gt-work: bad number in '%s'\n", arg);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int i = 1;

	out = stdout;
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		out = fopen(argv[2], "a");
		if (!out)
			die(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: gt-work [-o FILE] WORKLOAD:ARGS...\n"
			"  getppid:N pipe:N threads:N mixed:N:DIR tasks:T:N\n");
		return 2;
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *colon = strchr(a, ':');
		size_t len = colon ? (size_t)(colon - a) : strlen(a);

		if (!colon)
			goto bad;
		if (len == 7 && !strncmp(a, "getppid", len)) {
			w_getppid(num(colon + 1, a));
		} else if (len == 4 && !strncmp(a, "pipe", len)) {
			w_pipe(num(colon + 1, a));
		} else if (len == 7 && !strncmp(a, "threads", len)) {
			w_threads(num(colon + 1, a));
		} else if (len == 5 && !strncmp(a, "mixed", len)) {
			const char *dir = strchr(colon + 1, ':');

			if (!dir)
				goto bad;
			w_mixed(num(colon + 1, a), dir + 1);
		} else if (len == 5 && !strncmp(a, "tasks", len)) {
			const char *n = strchr(colon + 1, ':');

			if (!n)
				goto bad;
			w_tasks(num(colon + 1, a), num(n + 1, a));
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	fprintf(stderr, "gt-work: bad workload '%s'\n", argv[i]);
	return 2;
}
