// SPDX-License-Identifier: GPL-2.0
/*
 * Session lifecycle: no probe is registered while no session exists; a
 * session dies with the socket that made it (with its last copy: a child
 * forked after the socket was opened holds one too); the module's memory returns
 * to its idle value; stop keeps counts, a stopped session counts nothing.
 */
#include "kselftest_harness.h"
#include "gt_kselftest.h"

static int sleeper(void *arg)
{
	pause();
	return 0;
}

static int busy(void *arg)
{
	int i;

	for (i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	return 0;
}

TEST(idle_module_registers_no_probe)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_status st0, st1, st2;
	struct gt_client *cl, *watch;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint32_t id;

	/* The child first: it must not inherit the client's socket. */
	ASSERT_EQ(0, gt_spawn(&ch, sleeper, NULL));
	watch = gt_open();
	ASSERT_NE(NULL, watch) TH_LOG("%s", gt_errmsg(NULL));
	ASSERT_EQ(0, gt_status(watch, &st0));
	ASSERT_EQ(0, st0.sessions) TH_LOG("another session is alive");
	EXPECT_FALSE(st0.probes);
	EXPECT_STREQ(GTRACE_VERSION, st0.version);

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	o.target_pid = ch.pid;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, gt_status(watch, &st1));
	EXPECT_EQ(1, st1.sessions);
	EXPECT_TRUE(st1.probes);
	EXPECT_LT(st0.mem_bytes, st1.mem_bytes);

	/* Another client of the same user may look at it ... */
	struct gt_session_info info;

	ASSERT_EQ(0, gt_session_get(watch, id, &info));
	EXPECT_EQ(GTRACE_STATE_RUNNING, info.state);
	EXPECT_EQ(1, info.tasks);

	/* ... until the socket that made it goes away. */
	gt_close(cl);
	EXPECT_EQ(-ENOENT, gt_session_get(watch, id, &info));
	ASSERT_EQ(0, gt_status(watch, &st2));
	EXPECT_EQ(0, st2.sessions);
	EXPECT_FALSE(st2.probes);
	EXPECT_EQ(st0.mem_bytes, st2.mem_bytes);

	gt_kill(&ch);
	gt_close(watch);
}

TEST(explicit_delete_and_done_state)
{
	struct gt_session_info info;
	struct gt_client *cl;
	struct gt_status st;
	uint32_t id;
	int status;

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, busy, NULL, &id, &status));
	ASSERT_EQ(0, gt_session_get(cl, id, &info));
	/* The target tree is gone: the session is done, its data kept. */
	EXPECT_EQ(GTRACE_STATE_DONE, info.state);
	EXPECT_LE(info.start_ns, info.stop_ns);
	EXPECT_EQ(-ESRCH, gt_session_start(cl, id));
	EXPECT_NE(NULL, strstr(gt_errmsg(cl), "gone"));
	ASSERT_EQ(0, gt_session_del(cl, id));
	EXPECT_EQ(-ENOENT, gt_session_del(cl, id));
	ASSERT_EQ(0, gt_status(cl, &st));
	EXPECT_EQ(0, st.sessions);
	EXPECT_FALSE(st.probes);
	gt_close(cl);
}

static int two_phases(void *arg)
{
	int *go = arg;
	char b;
	int i;

	for (i = 0; i < 100; i++)
		syscall(SYS_getppid);
	/* Tell the tracer, wait until it stopped the session. */
	if (write(go[1], "1", 1) != 1 || read(go[0], &b, 1) != 1)
		return 1;
	for (i = 0; i < 100; i++)
		syscall(SYS_getppid);
	return 0;
}

TEST(stopped_session_counts_nothing)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	int to_tracer[2], to_child[2], go[2];
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint32_t id;
	char b;

	ASSERT_EQ(0, pipe(to_tracer));
	ASSERT_EQ(0, pipe(to_child));
	go[0] = to_child[0];
	go[1] = to_tracer[1];
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_spawn(&ch, two_phases, go));
	o.target_pid = ch.pid;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, gt_release(&ch));
	ASSERT_EQ(1, read(to_tracer[0], &b, 1));
	ASSERT_EQ(0, gt_session_stop(cl, id));
	ASSERT_EQ(1, write(to_child[1], "1", 1));
	ASSERT_EQ(0, gt_wait(&ch));
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);
	EXPECT_EQ(100, gt_task_calls(&st->tasks[0], GTRACE_ABI_X86_64, SYS_getppid));
	gt_stats_free(st);
	gt_close(cl);
}

TEST(session_of_a_process_already_gone)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl;
	pid_t pid;
	uint32_t id;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	o.target_pid = pid;
	EXPECT_EQ(-ESRCH, gt_session_new(cl, &o, &id));
	gt_close(cl);
}

TEST_HARNESS_MAIN
