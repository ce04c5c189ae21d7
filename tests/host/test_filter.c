// SPDX-License-Identifier: GPL-2.0
/*
 * strace's -e trace= syntax: names in every ABI, classes, /regex/, '!',
 * '?', all/none, several expressions adding up, errors that say what is
 * wrong; and traces cut down to a filter with their summary recomputed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "t_trace.h"
#include "kselftest_harness.h"

#define X64	GTRACE_ABI_X86_64
#define IA32	GTRACE_ABI_IA32

/* A filter made of @expr, or NULL with the message in @err. */
static struct gt_filter *make(const char *expr, char *err, size_t len)
{
	struct gt_filter *f = NULL;

	struct gt_input_error ie;

	if (gt_filter_add(&f, expr, &ie)) {
		snprintf(err, len, "%s", ie.msg);
		gt_filter_free(f);
		return NULL;
	}
	return f;
}

static bool sel(const struct gt_filter *f, unsigned int abi, const char *name)
{
	int nr = gt_syscall_nr(abi, name);

	return nr >= 0 && gt_filter_match(f, abi, (unsigned int)nr);
}

TEST(names)
{
	char err[256];
	struct gt_filter *f = make("trace=read,write", err, sizeof(err));

	ASSERT_NE(NULL, f) TH_LOG("%s", err);
	EXPECT_TRUE(gt_filter_match(f, X64, SYS_read));
	EXPECT_TRUE(gt_filter_match(f, X64, SYS_write));
	EXPECT_FALSE(gt_filter_match(f, X64, SYS_close));
	/* The same names in the ia32 table: read is 3 there. */
	EXPECT_TRUE(gt_filter_match(f, IA32, 3));
	EXPECT_FALSE(gt_filter_match(f, IA32, 6));
	/* Numbers no table knows are not named. */
	EXPECT_FALSE(gt_filter_match(f, X64, 4000));
	EXPECT_FALSE(gt_filter_match(f, 7, SYS_read));
	gt_filter_free(f);

	/* No filter: everything. */
	EXPECT_TRUE(gt_filter_match(NULL, X64, 4000));
}

TEST(negation_and_all)
{
	char err[256];
	struct gt_filter *f = make("!read", err, sizeof(err));

	ASSERT_NE(NULL, f);
	EXPECT_FALSE(gt_filter_match(f, X64, SYS_read));
	EXPECT_TRUE(gt_filter_match(f, X64, SYS_write));
	EXPECT_TRUE(gt_filter_match(f, X64, 4000));
	gt_filter_free(f);

	f = make("all", err, sizeof(err));
	ASSERT_NE(NULL, f);
	EXPECT_TRUE(gt_filter_match(f, X64, SYS_getppid));
	EXPECT_TRUE(gt_filter_match(f, X64, 4000));
	gt_filter_free(f);

	f = make("none", err, sizeof(err));
	ASSERT_NE(NULL, f);
	EXPECT_FALSE(gt_filter_match(f, X64, SYS_getppid));
	EXPECT_FALSE(gt_filter_match(f, X64, 4000));
	gt_filter_free(f);

	f = make("!none", err, sizeof(err));
	ASSERT_NE(NULL, f);
	EXPECT_TRUE(gt_filter_match(f, IA32, 64));
	gt_filter_free(f);
}

TEST(classes)
{
	static const struct {
		const char *class;
		const char *in[4];
		const char *out[2];
	} cases[] = {
		{ "%file", { "openat", "stat", "execve", "unlink" }, { "read", "close" } },
		{ "%desc", { "read", "close", "openat", "epoll_wait" }, { "stat", "getppid" } },
		{ "%network", { "socket", "connect", "sendto", "recvmsg" }, { "read", "pipe" } },
		{ "%process", { "clone", "execve", "exit_group", "wait4" }, { "getppid", "read" } },
		{ "%memory", { "mmap", "munmap", "brk", "mprotect" }, { "read", "openat" } },
		{ "%signal", { "rt_sigaction", "kill", "rt_sigprocmask", "sigaltstack" }, { "read", "mmap" } },
		{ "%ipc", { "shmget", "semop", "msgsnd", "shmat" }, { "read", "socket" } },
	};
	char err[256];
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gt_filter *f = make(cases[i].class, err, sizeof(err));

		ASSERT_NE(NULL, f) TH_LOG("%s: %s", cases[i].class, err);
		for (j = 0; j < 4; j++) {
			const char *name = cases[i].in[j];

			EXPECT_TRUE(sel(f, X64, name))
				TH_LOG("%s lacks %s", cases[i].class, name);
		}
		for (j = 0; j < 2; j++) {
			const char *name = cases[i].out[j];

			EXPECT_FALSE(sel(f, X64, name))
				TH_LOG("%s has %s", cases[i].class, name);
		}
		gt_filter_free(f);
	}
	/* ia32 names of the same calls. */
	{
		struct gt_filter *f = make("%memory,%network", err, sizeof(err));

		ASSERT_NE(NULL, f);
		EXPECT_TRUE(sel(f, IA32, "mmap2"));
		EXPECT_TRUE(sel(f, IA32, "socketcall"));
		EXPECT_FALSE(sel(f, IA32, "getppid"));
		gt_filter_free(f);
	}
}

TEST(regex)
{
	char err[256];
	struct gt_filter *f = make("/^get.*pid$/", err, sizeof(err));

	ASSERT_NE(NULL, f) TH_LOG("%s", err);
	EXPECT_TRUE(sel(f, X64, "getpid"));
	EXPECT_TRUE(sel(f, X64, "getppid"));
	EXPECT_TRUE(sel(f, IA32, "getppid"));
	EXPECT_FALSE(sel(f, X64, "getuid"));
	gt_filter_free(f);

	/* strace's own form, without the closing slash. */
	f = make("/^getp", err, sizeof(err));
	ASSERT_NE(NULL, f);
	EXPECT_TRUE(sel(f, X64, "getppid"));
	EXPECT_FALSE(sel(f, X64, "getuid"));
	gt_filter_free(f);
}

TEST(expressions_add_up)
{
	struct gt_filter *f = NULL;
	struct gt_input_error ie;

	ASSERT_EQ(0, gt_filter_add(&f, "read", &ie));
	ASSERT_EQ(0, gt_filter_add(&f, "trace=%network", &ie));
	ASSERT_EQ(0, gt_filter_add(&f, "?no_such_call", &ie));
	EXPECT_TRUE(sel(f, X64, "read"));
	EXPECT_TRUE(sel(f, X64, "socket"));
	EXPECT_FALSE(sel(f, X64, "write"));
	gt_filter_free(f);
}

TEST(errors_say_why)
{
	static const struct {
		const char *expr;
		const char *msg;
	} cases[] = {
		{ "no_such_call", "unknown syscall 'no_such_call'" },
		{ "read,,write", "empty syscall name" },
		{ "", "empty syscall list" },
		{ "!", "empty syscall list" },
		{ "%files", "unknown syscall class '%files'" },
		{ "/(", "bad regular expression '/('" },
		/* What would make regcomp take gigabytes (a fuzzer's find). */
		{ "/^r++++++++++++++++++++ead", "a repetition operator right after another" },
		{ "/a*{2}", "a repetition operator right after another" },
		{ "/((a{100}){100})", "repetition counts whose product passes 1024" },
	};
	struct gt_filter *f;
	struct gt_input_error ie;
	char opt[300];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f = NULL;
		EXPECT_EQ(-EINVAL, gt_filter_add(&f, cases[i].expr, &ie));
		EXPECT_NE(NULL, strstr(ie.msg, cases[i].msg))
			TH_LOG("'%s': %s", cases[i].expr, ie.msg);
		snprintf(opt, sizeof(opt), "-e %s", cases[i].expr);
		EXPECT_STREQ(opt, ie.file);
		EXPECT_EQ(0, ie.line);
		EXPECT_EQ(NULL, f);
	}
}

TEST(trace_cut_down)
{
	struct gt_trace *tr = fx_tree(), *cut = NULL;
	struct gt_filter *f;
	char err[256];

	f = make("%desc", err, sizeof(err));
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, gt_trace_filter(tr, f, &cut));
	/* read 10 + write 5 + 1 + close 4 + openat 3; no getppid. */
	EXPECT_EQ(23U, cut->sum->calls);
	EXPECT_EQ(8U, cut->sum->errors);
	EXPECT_EQ(NULL, gt_summary_find(cut->sum, X64, SYS_getppid));
	EXPECT_EQ(NULL, gt_summary_find(cut->sum, IA32, 64));
	EXPECT_EQ(3U, cut->stats->nr_tasks);
	EXPECT_EQ(1U, cut->stats->tasks[1].nr_syscalls);
	/* EAGAIN of read, EBADF of close, ENOENT and 4000 of openat. */
	EXPECT_EQ(4U, cut->sum->nr_errnos);
	/* I/O and everything else is kept whole. */
	EXPECT_EQ(10U, cut->sum->io[GTRACE_FC_PIPE][GTRACE_IO_READ].calls);
	EXPECT_EQ(tr->wall_ns, cut->wall_ns);
	EXPECT_STREQ(tr->command, cut->command);
	EXPECT_EQ(6U << 20, cut->sum->rss_peak);
	gt_trace_free(cut);
	gt_filter_free(f);

	f = make("!close", err, sizeof(err));
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, gt_trace_filter(tr, f, &cut));
	EXPECT_EQ(1023U + 3 - 4, cut->sum->calls);
	/* close's EBADF goes with it; read's EAGAIN and openat's stay. */
	EXPECT_EQ(3U, cut->sum->nr_errnos);
	gt_trace_free(cut);
	gt_filter_free(f);
	gt_trace_free(tr);
}

TEST_HARNESS_MAIN
