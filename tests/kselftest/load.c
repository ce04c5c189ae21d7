// SPDX-License-Identifier: GPL-2.0
/*
 * Load and races: 1000 traced threads counted exactly while sessions come
 * and go on trees that fork, exec and exit at a high rate; two sessions on
 * overlapping trees both count exactly; memory returns to its idle value.
 * rmmod/insmod cycles with a live session under syscall load.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

/* The harness's 30 s default is short for 1000 threads under emulation. */
FIXTURE(load) {
};

FIXTURE_SETUP(load)
{
}

FIXTURE_TEARDOWN(load)
{
}

#define THREADS		1000
#define PER_THREAD	100
#define BURSTS		10	/* of PER_THREAD / BURSTS calls each */

/*
 * The traced threads (in the traced child) and the churn thread (in the
 * test) take turns through shared memory: burst b of every thread waits
 * for the b-th churned session, so that sessions come and go all the
 * while the 1000 threads live and make their calls.
 */
static struct churn_sync {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	long sessions;		/* churned so far */
	bool gone;		/* the churn thread has ended */
} *csync;

static void churn_sync_init(void)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;

	csync = mmap(NULL, sizeof(*csync), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (csync == MAP_FAILED) {
		csync = NULL;
		return;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&csync->lock, &ma);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_cond_init(&csync->cond, &ca);
}

static void churn_sync_post(long sessions, bool gone)
{
	pthread_mutex_lock(&csync->lock);
	csync->sessions = sessions;
	csync->gone = gone;
	pthread_cond_broadcast(&csync->cond);
	pthread_mutex_unlock(&csync->lock);
}

static void churn_sync_wait(long sessions)
{
	pthread_mutex_lock(&csync->lock);
	while (csync->sessions < sessions && !csync->gone)
		pthread_cond_wait(&csync->cond, &csync->lock);
	pthread_mutex_unlock(&csync->lock);
}

static void *thread_calls(void *arg)
{
	int b, i;

	for (b = 0; b < BURSTS; b++) {
		churn_sync_wait(b);
		for (i = 0; i < PER_THREAD / BURSTS; i++)
			syscall(SYS_getppid);
	}
	return NULL;
}

static int thousand_threads(void *arg)
{
	static pthread_t th[THREADS];
	pthread_attr_t attr;
	int i;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&th[i], &attr, thread_calls, NULL))
			return 1;
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	return 0;
}

static int fork_exec_exit(void *arg)
{
	int i, st;

	for (i = 0; i < 20; i++) {
		pid_t p = fork();

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || st)
			return 1;
	}
	return 0;
}

static _Atomic int churn_stop;
static _Atomic long churn_sessions;

/*
 * Sessions made, run and deleted in a loop on short-lived trees, until
 * told to stop or after 100 failures in a row.
 */
static void *churn(void *arg)
{
	int failures = 0;

	while (!atomic_load(&churn_stop) && failures < 100) {
		struct gt_client *cl = gt_open();
		uint32_t id;
		int status;

		if (!cl)
			break;
		bool rec = atomic_load(&churn_sessions) & 1;

		if (!gt_trace_child(cl, rec ? GTRACE_F_RECORDS : 0, rec,
				    fork_exec_exit, NULL, &id, &status) && !status) {
			atomic_fetch_add(&churn_sessions, 1);
			failures = 0;
		} else {
			failures++;
		}
		if (atomic_load(&churn_sessions) & 2)
			gt_session_del(cl, id);
		gt_close(cl);
		churn_sync_post(atomic_load(&churn_sessions), false);
	}
	churn_sync_post(atomic_load(&churn_sessions), true);
	return NULL;
}

TEST_F_TIMEOUT(load, thousand_threads_under_session_churn, 900)
{
	struct gt_status st0, stm, st1;
	struct gt_stats *st = NULL;
	struct gt_client *cl, *watch;
	uint64_t calls = 0;
	pthread_t th;
	uint32_t id;
	size_t t;
	int status;

	watch = gt_open();
	ASSERT_NE(NULL, watch);
	ASSERT_EQ(0, gt_status(watch, &st0));
	churn_sync_init();
	ASSERT_NE(NULL, csync);
	ASSERT_EQ(0, pthread_create(&th, NULL, churn, NULL));

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, thousand_threads, NULL, &id, &status));
	atomic_store(&churn_stop, 1);
	pthread_join(th, NULL);
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	EXPECT_EQ(1 + THREADS, st->nr_tasks);
	for (t = 0; t < st->nr_tasks; t++)
		calls += gt_task_calls(&st->tasks[t], GTRACE_ABI_X86_64, SYS_getppid);
	EXPECT_EQ(THREADS * PER_THREAD, calls);
	TH_LOG("%llu calls from %zu tasks; %ld sessions churned meanwhile",
	       (unsigned long long)calls, st->nr_tasks, atomic_load(&churn_sessions));
	/* Every burst but the first waited for a session of its own. */
	EXPECT_LE(BURSTS - 1, atomic_load(&churn_sessions));
	gt_stats_free(st);
	ASSERT_EQ(0, gt_status(watch, &stm));
	gt_close(cl);

	ASSERT_EQ(0, gt_status(watch, &st1));
	EXPECT_EQ(0, st1.sessions);
	EXPECT_EQ(st0.mem_bytes, st1.mem_bytes);
	TH_LOG("module memory: %llu bytes idle, %llu with the session, %llu after",
	       (unsigned long long)st0.mem_bytes,
	       (unsigned long long)stm.mem_bytes,
	       (unsigned long long)st1.mem_bytes);
	gt_close(watch);
}

static int parent_of_two(void *arg)
{
	int *go = arg;
	pid_t p;
	char b;
	int i, st;

	for (i = 0; i < 300; i++)
		syscall(SYS_getppid);
	p = fork();
	if (p == 0) {
		/* Wait until the second tool traces us too. */
		if (write(go[1], "c", 1) != 1 || read(go[0], &b, 1) != 1)
			_exit(1);
		for (i = 0; i < 500; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	return waitpid(p, &st, 0) == p ? WEXITSTATUS(st) : 1;
}

TEST_F_TIMEOUT(load, two_tools_on_overlapping_trees, 300)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	int to_tracer[2], to_child[2], go[2];
	struct gt_stats *sa = NULL, *sb = NULL;
	struct gt_client *a, *b;
	struct gt_child root = { .pid = -1, .go = -1 };
	uint32_t ida, idb;
	pid_t child = 0;
	uint64_t ca = 0, cb = 0;
	size_t t;
	char c;

	ASSERT_EQ(0, pipe(to_tracer));
	ASSERT_EQ(0, pipe(to_child));
	go[0] = to_child[0];
	go[1] = to_tracer[1];
	ASSERT_EQ(0, gt_spawn(&root, parent_of_two, go));
	a = gt_open();
	b = gt_open();
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	o.target_pid = root.pid;
	ASSERT_EQ(0, gt_session_new(a, &o, &ida));
	ASSERT_EQ(0, gt_session_start(a, ida));
	ASSERT_EQ(0, gt_release(&root));
	ASSERT_EQ(1, read(to_tracer[0], &c, 1));

	/* Find the child: the only other task of session A. */
	ASSERT_EQ(0, gt_stats_dump(a, ida, &sa));
	for (t = 0; t < sa->nr_tasks; t++)
		if (sa->tasks[t].tid != (uint32_t)root.pid)
			child = sa->tasks[t].tid;
	gt_stats_free(sa);
	ASSERT_NE(0, child);
	o.target_pid = child;
	ASSERT_EQ(0, gt_session_new(b, &o, &idb));
	ASSERT_EQ(0, gt_session_start(b, idb));
	ASSERT_EQ(1, write(to_child[1], "g", 1));
	ASSERT_EQ(0, gt_wait(&root));

	ASSERT_EQ(0, gt_stats_dump(a, ida, &sa));
	ASSERT_EQ(0, gt_stats_dump(b, idb, &sb));
	for (t = 0; t < sa->nr_tasks; t++)
		ca += gt_task_calls(&sa->tasks[t], GTRACE_ABI_X86_64, SYS_getppid);
	for (t = 0; t < sb->nr_tasks; t++)
		cb += gt_task_calls(&sb->tasks[t], GTRACE_ABI_X86_64, SYS_getppid);
	EXPECT_EQ(800, ca);
	EXPECT_EQ(500, cb);
	EXPECT_EQ(1, sb->nr_tasks);
	gt_stats_free(sa);
	gt_stats_free(sb);
	gt_close(a);
	gt_close(b);
}

#define CYCLES 50

TEST_F_TIMEOUT(load, rmmod_insmod_cycles_under_load, 1200)
{
	struct gt_child spinner = { .pid = -1, .go = -1 };
	const char *ko = getenv("GTRACE_KO");
	int i, fd;

	if (!ko || geteuid())
		SKIP(return, "needs root and GTRACE_KO");
	ASSERT_EQ(0, gt_spawn(&spinner, gt_spin_getppid, NULL));
	ASSERT_EQ(0, gt_release(&spinner));
	for (i = 0; i < CYCLES; i++) {
		struct gt_session_opts o = GT_SESSION_OPTS_INIT;
		struct gt_client *cl;
		uint32_t id;

		if (!gt_module_loaded()) {
			fd = open(ko, O_RDONLY | O_CLOEXEC);
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0))
				TH_LOG("cycle %d: finit_module: %s", i, strerror(errno));
			close(fd);
		}
		cl = gt_open();
		ASSERT_NE(NULL, cl) TH_LOG("cycle %d: %s", i, gt_errmsg(NULL));
		o.target_pid = spinner.pid;
		o.flags = i & 1 ? GTRACE_F_RECORDS : 0;
		ASSERT_EQ(0, gt_session_new(cl, &o, &id));
		ASSERT_EQ(0, gt_session_start(cl, id));
		usleep(20 * 1000);
		/* Half the time with the session still alive. */
		if (i & 2)
			gt_close(cl);
		ASSERT_EQ(0, syscall(SYS_delete_module, "gtrace", O_NONBLOCK))
			TH_LOG("cycle %d: delete_module: %s", i, strerror(errno));
		if (!(i & 2))
			gt_close(cl);
	}
	gt_kill(&spinner);
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	TH_LOG("%d rmmod/insmod cycles", CYCLES);
}

TEST_HARNESS_MAIN
