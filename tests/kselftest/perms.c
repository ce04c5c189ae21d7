// SPDX-License-Identifier: GPL-2.0
/*
 * Permissions, from an unprivileged user: no tracing of a root-owned
 * process, no system-wide or cgroup session, no access to another user's
 * session, its stats or its rings; its own processes it may trace.
 */
#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>

#include "kselftest_harness.h"
#include "gt_test.h"

#define NOBODY 65534

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		_exit(100);
	/*
	 * Changing ids made us non-dumpable, and children inherit that:
	 * ptrace would refuse them too. A user who logged in is dumpable.
	 */
	if (prctl(PR_SET_DUMPABLE, 1))
		_exit(101);
}

/* Run fn() as nobody in a child; its exit status. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		become_nobody();
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define CHECK(cond) do { if (!(cond)) return __LINE__ % 100 + 1; } while (0)

static int trace_root_process(void *arg)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl = gt_open();
	uint32_t id;

	CHECK(cl);
	o.target_pid = *(pid_t *)arg;
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	CHECK(strstr(gt_errmsg(cl), "Not permitted"));
	o.target_pid = 1;
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	gt_close(cl);
	return 0;
}

static int system_wide(void *arg)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl = gt_open();
	uint32_t id;

	CHECK(cl);
	o.flags = GTRACE_F_SYSTEM_WIDE;
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	CHECK(strstr(gt_errmsg(cl), "CAP_PERFMON"));
	o.flags = 0;
	o.target_pid = getpid();
	o.cgroup_fd = open("/sys/fs/cgroup", O_RDONLY | O_DIRECTORY);
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	gt_close(cl);
	return 0;
}

static int others_session(void *arg)
{
	uint32_t id = *(uint32_t *)arg;
	struct gt_client *cl = gt_open();
	struct gt_session_info info;
	struct gt_stats *st;
	struct gt_ring *ring;

	CHECK(cl);
	CHECK(gt_session_get(cl, id, &info) == -EPERM);
	CHECK(gt_stats_dump(cl, id, &st) == -EPERM);
	CHECK(gt_session_stop(cl, id) == -EPERM);
	CHECK(gt_session_del(cl, id) == -EPERM);
	CHECK(gt_ring_open(id, &ring) == -EPERM);
	gt_close(cl);
	return 0;
}

static int getppids(void *arg)
{
	int i;

	for (i = 0; i < 321; i++)
		syscall(SYS_getppid);
	return 0;
}

static int own_child(void *arg)
{
	struct gt_client *cl = gt_open();
	struct gt_stats *st;
	uint32_t id;
	int status;

	CHECK(cl);
	CHECK(gt_trace_child(cl, GTRACE_F_RECORDS, 1, getppids, NULL, &id, &status) == 0);
	CHECK(status == 0);
	CHECK(gt_stats_dump(cl, id, &st) == 0);
	CHECK(st->nr_tasks == 1);
	CHECK(gt_task_calls(&st->tasks[0], GTRACE_ABI_X86_64, SYS_getppid) == 321);
	gt_stats_free(st);
	gt_close(cl);
	return 0;
}

static int block(void *arg)
{
	pause();
	return 0;
}

FIXTURE(root) {
	struct gt_client *cl;
	struct gt_child ch;
	uint32_t id;
};

FIXTURE_SETUP(root)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;

	if (geteuid())
		SKIP(return, "needs root to switch users");
	self->cl = gt_open();
	ASSERT_NE(NULL, self->cl);
	ASSERT_EQ(0, gt_spawn(&self->ch, block, NULL));
	o.target_pid = self->ch.pid;
	o.flags = GTRACE_F_RECORDS;
	ASSERT_EQ(0, gt_session_new(self->cl, &o, &self->id));
}

FIXTURE_TEARDOWN(root)
{
	if (!self->cl)
		return;
	gt_kill(&self->ch);
	gt_close(self->cl);
}

TEST_F(root, nobody_cannot_trace_root_process)
{
	EXPECT_EQ(0, as_nobody(trace_root_process, &self->ch.pid));
}

TEST_F(root, nobody_cannot_go_system_wide)
{
	EXPECT_EQ(0, as_nobody(system_wide, NULL));
}

TEST_F(root, nobody_cannot_touch_root_session)
{
	EXPECT_EQ(0, as_nobody(others_session, &self->id));
}

TEST_F(root, nobody_traces_own_child)
{
	EXPECT_EQ(0, as_nobody(own_child, NULL));
}

TEST_HARNESS_MAIN
