// SPDX-License-Identifier: GPL-2.0
/*
 * Faults: with the module's allocations failing every Nth time, traced
 * programs never notice, what could not be stored is reported as lost,
 * nothing leaks. A tool killed mid-trace leaves no session; a target
 * killed in a syscall is reported with its signal.
 */
#include <fcntl.h>
#include <sched.h>
#include <time.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define PARAM "/sys/module/gtrace/parameters/debug_fail_every"

FIXTURE(slow) {
};

FIXTURE_SETUP(slow)
{
}

FIXTURE_TEARDOWN(slow)
{
}

static int set_fail_every(int n)
{
	return gt_write_int(PARAM, n);
}

/* Many tasks, each with many distinct syscalls: tables must grow. */
static int busy_tree(void *arg)
{
	int i, st;

	for (i = 0; i < 40; i++) {
		pid_t p = fork();

		if (p == 0) {
			struct stat sb;
			char b[8];
			int fd = open("/dev/null", O_RDWR);

			syscall(SYS_getppid);
			for (int k = 0; k < 3; k++) {
				(void)!write(fd, b, 1);
				(void)!read(fd, b, 1);
				fstat(fd, &sb);
				lseek(fd, 0, SEEK_SET);
				dup(fd);
				getuid(); getgid(); geteuid(); getegid();
				getpgrp(); getsid(0); umask(022); sched_yield();
				syscall(SYS_getcwd, b, 0);
				syscall(SYS_gettid);
				access("/", F_OK);
			}
			_exit(7);
		}
		if (p < 0 || waitpid(p, &st, 0) != p || WEXITSTATUS(st) != 7)
			return 1;
	}
	return 0;
}

TEST_F_TIMEOUT(slow, allocation_failures_are_counted_never_felt, 600)
{
	struct gt_session_info info;
	struct gt_status st0, st1;
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	uint64_t task_lost = 0;
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint32_t id = 0;
	int status = -1;
	size_t t;

	if (geteuid())
		SKIP(return, "needs root");
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_status(cl, &st0));
	/* Session set-up that fails says so, and leaves nothing behind. */
	ASSERT_EQ(0, gt_spawn(&ch, busy_tree, NULL));
	o.target_pid = ch.pid;
	ASSERT_EQ(0, set_fail_every(1));
	EXPECT_EQ(-ENOMEM, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, set_fail_every(0));
	gt_kill(&ch);

	/* The session starts normally, then its tree's allocations fail. */
	ASSERT_EQ(0, gt_spawn(&ch, busy_tree, NULL));
	o.target_pid = ch.pid;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, set_fail_every(3));
	ASSERT_EQ(0, gt_release(&ch));
	status = gt_wait(&ch);
	ASSERT_EQ(0, set_fail_every(0));
	/* The traced program never noticed. */
	EXPECT_EQ(0, status);

	ASSERT_EQ(0, gt_session_get(cl, id, &info));
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	for (t = 0; t < st->nr_tasks; t++)
		task_lost += st->tasks[t].calls_lost;
	TH_LOG("%zu tasks stored, %llu lost; %llu calls lost",
	       st->nr_tasks, (unsigned long long)info.tasks_lost,
	       (unsigned long long)info.calls_lost);
	EXPECT_EQ(41, st->nr_tasks + info.tasks_lost);
	EXPECT_EQ(info.calls_lost, task_lost);
	EXPECT_LT(0, info.tasks_lost + info.calls_lost);
	gt_stats_free(st);
	gt_close(cl);

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_status(cl, &st1));
	EXPECT_EQ(0, st1.sessions);
	EXPECT_EQ(st0.mem_bytes, st1.mem_bytes);
	gt_close(cl);
}

static int sleeper(void *arg)
{
	struct timespec ts = { .tv_sec = 600 };

	return syscall(SYS_nanosleep, &ts, NULL) ? 1 : 0;
}

TEST(killed_target_is_reported_with_its_signal)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_session_info info;
	struct gt_child ch = { .pid = -1, .go = -1 };
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	uint32_t id;

	ASSERT_EQ(0, gt_spawn(&ch, sleeper, NULL));
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	o.target_pid = ch.pid;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, gt_release(&ch));
	usleep(300 * 1000);
	kill(ch.pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, gt_wait(&ch));
	ASSERT_EQ(0, gt_session_get(cl, id, &info));
	EXPECT_EQ(GTRACE_STATE_DONE, info.state);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);
	EXPECT_TRUE(st->tasks[0].flags & GTRACE_TF_EXITED);
	EXPECT_TRUE(WIFSIGNALED(st->tasks[0].exit_code));
	EXPECT_EQ(SIGKILL, WTERMSIG(st->tasks[0].exit_code));
	gt_stats_free(st);
	gt_close(cl);
}

/* The tool dies by SIGKILL mid-trace: its session goes with its socket. */
TEST(killed_tool_leaves_no_session)
{
	struct gt_child victim = { .pid = -1, .go = -1 };
	struct gt_status st0, st1;
	struct gt_client *watch;
	int p[2];
	pid_t tool;
	char b;

	watch = gt_open();
	ASSERT_NE(NULL, watch);
	ASSERT_EQ(0, gt_status(watch, &st0));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, gt_spawn(&victim, sleeper, NULL));
	tool = fork();
	ASSERT_LE(0, tool);
	if (tool == 0) {
		struct gt_session_opts o = GT_SESSION_OPTS_INIT;
		struct gt_client *cl = gt_open();
		uint32_t id;

		o.target_pid = victim.pid;
		o.flags = GTRACE_F_RECORDS;
		if (!cl || gt_session_new(cl, &o, &id) || gt_session_start(cl, id))
			_exit(1);
		(void)!write(p[1], "s", 1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(p[0], &b, 1));
	ASSERT_EQ(0, gt_status(watch, &st1));
	EXPECT_EQ(st0.sessions + 1, st1.sessions);
	kill(tool, SIGKILL);
	waitpid(tool, NULL, 0);
	ASSERT_EQ(0, gt_status(watch, &st1));
	EXPECT_EQ(st0.sessions, st1.sessions);
	EXPECT_EQ(st0.mem_bytes, st1.mem_bytes);
	gt_kill(&victim);
	gt_close(watch);
}

TEST_HARNESS_MAIN
