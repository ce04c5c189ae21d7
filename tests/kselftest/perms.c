// SPDX-License-Identifier: GPL-2.0
/*
 * Permissions, from an unprivileged user: no tracing of a root-owned
 * process, no system-wide or cgroup session, no access to another user's
 * session, its stats or its rings; its own processes it may trace. And
 * from root in another network namespace: no access to the session either.
 */
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <sys/stat.h>
#include <grp.h>
#include <sys/prctl.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

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

#define SUID_PROG "/tmp/gtrace-suid-getppid32"

static char suid_src[4096];

static int exec_suid(void *arg)
{
	execl(SUID_PROG, SUID_PROG, "50", (char *)NULL);
	return 127;
}

/* As nobody: trace a child that execs a setuid-root program. */
static int trace_suid_exec(void *arg)
{
	struct gt_client *cl = gt_open();
	const struct gt_task *tk;
	struct gt_stats *st;
	uint32_t id;
	int status;

	CHECK(cl);
	CHECK(gt_trace_child(cl, 0, 0, exec_suid, NULL, &id, &status) == 0);
	CHECK(status == 0);
	CHECK(gt_stats_dump(cl, id, &st) == 0);
	CHECK(st->nr_tasks == 1);
	tk = &st->tasks[0];
	/* Marked, and nothing the privileged program did was counted. */
	CHECK(tk->flags & GTRACE_TF_DROPPED);
	CHECK(gt_task_calls(tk, GTRACE_ABI_IA32, 64) == 0);
	gt_stats_free(st);
	gt_close(cl);
	return 0;
}

TEST(setuid_exec_is_dropped)
{
	char self[4096];
	ssize_t len;
	int in, out;
	char buf[65536];
	ssize_t n;

	if (geteuid())
		SKIP(return, "needs root to make a setuid program");
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ASSERT_LT(0, len);
	self[len] = '\0';
	snprintf(suid_src, sizeof(suid_src), "%s/../progs/getppid32", dirname(self));
	in = open(suid_src, O_RDONLY);
	if (in < 0)
		SKIP(return, "no -m32 helper");
	out = open(SUID_PROG, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, out);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ASSERT_EQ(n, write(out, buf, n));
	close(in);
	close(out);
	ASSERT_EQ(0, chmod(SUID_PROG, 04755));
	EXPECT_EQ(0, as_nobody(trace_suid_exec, NULL));
	unlink(SUID_PROG);
}

/* Root of a user namespace of its own is no one outside it. */
static int in_userns(void *arg)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	uint32_t id = *(uint32_t *)arg;
	struct gt_session_info info;
	struct gt_client *cl;
	char map[64];
	int fd, n;

	CHECK(unshare(CLONE_NEWUSER) == 0);
	fd = open("/proc/self/uid_map", O_WRONLY);
	CHECK(fd >= 0);
	n = snprintf(map, sizeof(map), "0 %d 1\n", NOBODY);
	CHECK(write(fd, map, n) == n);
	close(fd);
	CHECK(geteuid() == 0);

	cl = gt_open();
	CHECK(cl);
	o.target_pid = 1;
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	o.target_pid = 0;
	o.flags = GTRACE_F_SYSTEM_WIDE;
	CHECK(gt_session_new(cl, &o, &id) == -EPERM);
	CHECK(gt_session_get(cl, *(uint32_t *)arg, &info) == -EPERM);
	gt_close(cl);
	return 0;
}

TEST_F(root, userns_root_is_no_one_outside)
{
	EXPECT_EQ(0, as_nobody(in_userns, &self->id));
}

/*
 * Root in a network namespace of its own: the same uid, but the session
 * made in the first namespace is not there, over netlink or /dev/gtrace.
 */
static int in_netns(void *arg)
{
	uint32_t id = *(uint32_t *)arg;
	struct gt_session_info info;
	struct gt_client *cl;
	struct gt_ring *ring;
	struct gt_stats *st;

	/* From here, the same checks succeed: what follows is the namespace. */
	cl = gt_open();
	CHECK(cl);
	CHECK(gt_session_get(cl, id, &info) == 0);
	CHECK(gt_stats_dump(cl, id, &st) == 0);
	gt_stats_free(st);
	CHECK(gt_ring_open(id, &ring) == 0);
	gt_ring_close(ring);
	gt_close(cl);

	CHECK(unshare(CLONE_NEWNET) == 0);
	cl = gt_open();
	CHECK(cl);
	CHECK(gt_session_get(cl, id, &info) == -ENOENT);
	CHECK(strstr(gt_errmsg(cl), "No such session"));
	CHECK(gt_stats_dump(cl, id, &st) == -ENOENT);
	CHECK(gt_session_stop(cl, id) == -ENOENT);
	CHECK(gt_session_del(cl, id) == -ENOENT);
	CHECK(gt_ring_open(id, &ring) == -ENOENT);
	gt_close(cl);
	return 0;
}

TEST_F(root, other_netns_cannot_touch_session)
{
	pid_t pid = fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(in_netns(&self->id));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WEXITSTATUS(st));
}

TEST_HARNESS_MAIN
