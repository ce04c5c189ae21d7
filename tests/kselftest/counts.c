// SPDX-License-Identifier: GPL-2.0
/*
 * Exact syscall counts: a traced tree of 4 threads and 2 forked children
 * makes known numbers of getppid, write to /dev/null and failing close(-1);
 * the dump must report exactly those, per task and in total, with EBADF as
 * the errno, and nothing from an unrelated process running meanwhile.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define NR_THREADS	4
#define NR_CHILDREN	2
#define NR_WORKERS	(NR_THREADS + NR_CHILDREN)
#define N_BASE		200000	/* getppid: 1.2 million in all */
#define M_BASE		1000
#define K_BASE		500

struct shared {
	int devnull;
	pid_t tid[NR_WORKERS];
};

static struct shared *sh;

static unsigned int n_of(int i) { return N_BASE + 7 * i; }
static unsigned int m_of(int i) { return M_BASE + 3 * i; }
static unsigned int k_of(int i) { return K_BASE + i; }

static void work(int i)
{
	char b = 'x';
	unsigned int j;

	sh->tid[i] = syscall(SYS_gettid);
	for (j = 0; j < n_of(i); j++)
		syscall(SYS_getppid);
	for (j = 0; j < m_of(i); j++)
		if (syscall(SYS_write, sh->devnull, &b, 1) != 1)
			_exit(3);
	for (j = 0; j < k_of(i); j++)
		syscall(SYS_close, -1);
}

static void *thread_main(void *arg)
{
	work((int)(long)arg);
	return NULL;
}

static int tree(void *arg)
{
	pthread_t th[NR_THREADS];
	pid_t pid[NR_CHILDREN];
	long i;
	int st;

	for (i = 0; i < NR_THREADS; i++)
		if (pthread_create(&th[i], NULL, thread_main, (void *)i))
			return 2;
	for (i = 0; i < NR_CHILDREN; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			work(NR_THREADS + i);
			_exit(0);
		}
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NR_CHILDREN; i++)
		if (waitpid(pid[i], &st, 0) != pid[i] || st)
			return 4;
	return 0;
}

/*
 * 1.2 million calls and 600 tasks take seconds on a Debian kernel and
 * minutes on the sanitizer kernel of make check-debug: more than the
 * harness's default 30 s.
 */
FIXTURE(big) {
};

FIXTURE_SETUP(big)
{
}

FIXTURE_TEARDOWN(big)
{
}

TEST_F_TIMEOUT(big, exact_counts_per_task_and_total, 900)
{
	uint64_t getppid_total = 0, write_total = 0, close_total = 0;
	uint64_t want_getppid = 0, want_write = 0, want_close = 0;
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	pid_t bystander;
	uint32_t id;
	size_t t;
	int i, status;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	sh->devnull = open("/dev/null", O_WRONLY);
	ASSERT_LE(0, sh->devnull);

	/* An unrelated process that makes the same calls all along. */
	bystander = fork();
	ASSERT_LE(0, bystander);
	if (bystander == 0)
		for (;;)
			syscall(SYS_getppid);

	cl = gt_open();
	ASSERT_NE(NULL, cl) TH_LOG("gt_open: %s", gt_errmsg(NULL));
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, tree, NULL, &id, &status))
		TH_LOG("%s", gt_errmsg(cl));
	kill(bystander, SIGKILL);
	waitpid(bystander, NULL, 0);
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st)) TH_LOG("%s", gt_errmsg(cl));

	for (i = 0; i < NR_WORKERS; i++) {
		const struct gt_task *tk = gt_stats_task(st, sh->tid[i]);

		ASSERT_NE(NULL, tk) TH_LOG("worker %d (tid %d) not in the dump",
					   i, sh->tid[i]);
		EXPECT_EQ(n_of(i), gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_getppid));
		EXPECT_EQ(m_of(i), gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_write));
		EXPECT_EQ(k_of(i), gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_close));
		ASSERT_NE(NULL, gt_task_sc(tk, GTRACE_ABI_X86_64, SYS_close));
		EXPECT_EQ(k_of(i), gt_task_sc(tk, GTRACE_ABI_X86_64, SYS_close)->errors);
		EXPECT_EQ(k_of(i), gt_task_errno(tk, GTRACE_ABI_X86_64, SYS_close, EBADF));
		ASSERT_NE(NULL, gt_task_sc(tk, GTRACE_ABI_X86_64, SYS_getppid));
		EXPECT_EQ(0, gt_task_sc(tk, GTRACE_ABI_X86_64, SYS_getppid)->errors);
		EXPECT_EQ(m_of(i), tk->io[GTRACE_FC_CHAR][GTRACE_IO_WRITE].calls);
		EXPECT_EQ(m_of(i), tk->io[GTRACE_FC_CHAR][GTRACE_IO_WRITE].bytes);
		EXPECT_TRUE(tk->flags & GTRACE_TF_EXITED);
		if (i < NR_THREADS) {
			EXPECT_NE(tk->tid, tk->tgid);
		} else {
			EXPECT_EQ(tk->tid, tk->tgid);
		}
		want_getppid += n_of(i);
		want_write += m_of(i);
		want_close += k_of(i);
	}

	for (t = 0; t < st->nr_tasks; t++) {
		const struct gt_task *tk = &st->tasks[t];

		EXPECT_NE((uint32_t)bystander, tk->tgid);
		EXPECT_EQ(0, tk->calls_lost);
		getppid_total += gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_getppid);
		write_total += gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_write);
		close_total += gt_task_errno(tk, GTRACE_ABI_X86_64, SYS_close, EBADF);
	}
	EXPECT_EQ(want_getppid, getppid_total);
	EXPECT_EQ(want_write, write_total);
	/* Failed ones: the root also closes its start pipe, successfully. */
	EXPECT_EQ(want_close, close_total);
	/* The tree root, its 4 threads and 2 children. */
	EXPECT_EQ(1 + NR_WORKERS, st->nr_tasks);

	gt_stats_free(st);
	gt_close(cl);
}

#define NR_MANY	600

static int many(void *arg)
{
	int i, st;

	for (i = 0; i < NR_MANY; i++) {
		pid_t p = fork();

		if (p == 0) {
			syscall(SYS_getppid);
			_exit(0);
		}
		if (p < 0 || waitpid(p, &st, 0) != p)
			return 1;
	}
	return 0;
}

/* The dump goes over many netlink messages and loses no task. */
TEST_F_TIMEOUT(big, dump_of_many_tasks, 600)
{
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	uint64_t calls = 0;
	uint32_t id;
	int status;
	size_t t;

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, many, NULL, &id, &status));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st)) TH_LOG("%s", gt_errmsg(cl));
	EXPECT_EQ(1 + NR_MANY, st->nr_tasks);
	for (t = 0; t < st->nr_tasks; t++)
		calls += gt_task_calls(&st->tasks[t], GTRACE_ABI_X86_64, SYS_getppid);
	EXPECT_EQ(NR_MANY, calls);
	gt_stats_free(st);
	gt_close(cl);
}

TEST_HARNESS_MAIN
