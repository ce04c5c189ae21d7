// SPDX-License-Identifier: GPL-2.0
/*
 * A -m32 program's syscalls are counted under the ia32 ABI and its own
 * numbers, never folded into the x86_64 table.
 */
#include <libgen.h>
#include <limits.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define CALLS		1234
#define IA32_GETPPID	64

static char prog[2 * PATH_MAX];

static int run32(void *arg)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", CALLS);
	execl(prog, prog, n, (char *)NULL);
	return 127;
}

TEST(ia32_calls_under_their_own_abi)
{
	const struct gt_task *tk;
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	char self[PATH_MAX];
	ssize_t len;
	uint32_t id;
	int status;

	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ASSERT_LT(0, len);
	self[len] = '\0';
	snprintf(prog, sizeof(prog), "%s/../progs/getppid32", dirname(self));
	if (access(prog, X_OK))
		SKIP(return, "no -m32 helper built next to this test");

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, run32, NULL, &id, &status));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);
	tk = &st->tasks[0];
	EXPECT_EQ(CALLS, gt_task_calls(tk, GTRACE_ABI_IA32, IA32_GETPPID));
	EXPECT_EQ(0, gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_getppid));
	EXPECT_EQ(0, gt_task_calls(tk, GTRACE_ABI_X86_64, IA32_GETPPID));
	/* The execve that started it is a 64-bit call. */
	EXPECT_EQ(1, gt_task_calls(tk, GTRACE_ABI_X86_64, SYS_execve));
	EXPECT_STREQ("getppid32", tk->comm);
	gt_stats_free(st);
	gt_close(cl);
}

TEST_HARNESS_MAIN
