// SPDX-License-Identifier: GPL-2.0
/*
 * System-wide sessions, limited to a cgroup v2 subtree: only tasks in the
 * cgroup are traced, with exact counts; with sampling, exactly the thread
 * groups the documented hash picks.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define CG "/sys/fs/cgroup/gtrace-syswide"
#define KIDS 24

static int cg_join(pid_t pid)
{
	return gt_write_int(CG "/cgroup.procs", pid);
}

static int calls(void *arg)
{
	long i, n = (long)arg;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

/* The module's choice: hash_32(tgid) % N == 0, hash_32 = x * 0x61c88647. */
static int sampled(pid_t tgid, unsigned int every)
{
	return ((uint32_t)tgid * 0x61c88647u) % every == 0;
}

FIXTURE(cg) {
	int cgfd;
};

FIXTURE_SETUP(cg)
{
	if (geteuid())
		SKIP(return, "needs root");
	rmdir(CG);
	ASSERT_EQ(0, mkdir(CG, 0755));
	self->cgfd = open(CG, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, self->cgfd);
}

FIXTURE_TEARDOWN(cg)
{
	if (self->cgfd > 0)
		close(self->cgfd);
	rmdir(CG);
}

static int run(struct __test_metadata *_metadata, int cgfd, unsigned int every,
	       struct gt_child *kids, int nkids, struct gt_stats **st)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl;
	uint32_t id;
	int i;

	for (i = 0; i < nkids; i++) {
		if (gt_spawn(&kids[i], calls, (void *)(long)(100 + i)) ||
		    cg_join(kids[i].pid))
			return -1;
	}
	cl = gt_open();
	if (!cl)
		return -1;
	o.flags = GTRACE_F_SYSTEM_WIDE;
	o.cgroup_fd = cgfd;
	o.sample_every = every;
	if (gt_session_new(cl, &o, &id) || gt_session_start(cl, id)) {
		TH_LOG("%s", gt_errmsg(cl));
		return -1;
	}
	for (i = 0; i < nkids; i++)
		if (gt_release(&kids[i]) || gt_wait(&kids[i]))
			return -1;
	gt_session_stop(cl, id);
	if (gt_stats_dump(cl, id, st))
		return -1;
	gt_close(cl);
	return 0;
}

TEST_F(cg, only_the_cgroup_is_traced)
{
	struct gt_child kids[2];
	struct gt_stats *st = NULL;
	size_t t;
	int i;

	ASSERT_EQ(0, run(_metadata, self->cgfd, 0, kids, 2, &st));
	for (i = 0; i < 2; i++) {
		const struct gt_task *tk = gt_stats_task(st, kids[i].pid);

		ASSERT_NE(NULL, tk);
		EXPECT_EQ(100 + i, gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_getppid));
	}
	for (t = 0; t < st->nr_tasks; t++)
		EXPECT_TRUE(st->tasks[t].tgid == (uint32_t)kids[0].pid ||
			    st->tasks[t].tgid == (uint32_t)kids[1].pid)
			TH_LOG("task %u (%s) is not in the cgroup",
			       st->tasks[t].tid, st->tasks[t].comm);
	gt_stats_free(st);
}

TEST_F(cg, sampling_picks_by_tgid_hash)
{
	struct gt_child kids[KIDS];
	struct gt_stats *st = NULL;
	int i, picked = 0;

	ASSERT_EQ(0, run(_metadata, self->cgfd, 3, kids, KIDS, &st));
	for (i = 0; i < KIDS; i++) {
		const struct gt_task *tk = gt_stats_task(st, kids[i].pid);

		if (sampled(kids[i].pid, 3)) {
			picked++;
			ASSERT_NE(NULL, tk) TH_LOG("pid %d should be sampled", kids[i].pid);
			EXPECT_EQ(100 + i, gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_getppid));
		} else {
			EXPECT_EQ(NULL, tk) TH_LOG("pid %d should not be", kids[i].pid);
		}
	}
	EXPECT_EQ(picked, st->nr_tasks);
	TH_LOG("%d of %d processes sampled at 1 in 3", picked, KIDS);
	gt_stats_free(st);
}

TEST_HARNESS_MAIN
