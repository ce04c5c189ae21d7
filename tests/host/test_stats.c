// SPDX-License-Identifier: GPL-2.0
/*
 * The STATS_GET decoder: messages built with libnl the way gtrace.ko sends
 * them, a task split over several messages, tid reuse, summaries, and
 * malformed input, which must fail with an error and never crash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "t_netlink.h"
#include "kselftest_harness.h"

static const struct t_task task_a = {
	.tid = 100, .tgid = 100, .ppid = 1, .comm = "golden", .start_ns = 1000,
	.flags = GTRACE_TF_TARGET, .rss_peak = 4096, .vm_peak = 8192,
	.nvcsw = 3, .nivcsw = 4, .calls_lost = 0,
};

/* A whole task in one message; syscalls sent out of order. */
static struct nl_msg *one_task_msg(void)
{
	struct nl_msg *m = t_dump_msg();
	struct nlattr *nest = t_task_begin(m, &task_a);
	struct t_sc w = t_sc_make(GTRACE_ABI_X86_64, 1, 5, 100, 900);
	struct t_sc r = t_sc_make(GTRACE_ABI_X86_64, 0, 10, 50, 400);

	r.errors = 2;
	t_put_sc(m, &w);
	t_put_sc(m, &r);
	t_put_io(m, GTRACE_FC_PIPE, GTRACE_IO_READ, 10, 4000, 500);
	t_put_io(m, GTRACE_FC_TTY, GTRACE_IO_WRITE, 5, 120, 4500);
	t_put_err(m, 0, GTRACE_ABI_X86_64, EAGAIN, 2);
	nla_nest_end(m, nest);
	return m;
}

TEST(one_task_decodes)
{
	struct nl_msg *m = one_task_msg();
	const struct gt_syscall_stat *s;
	const struct gt_task *t;
	struct gt_stats *st;

	ASSERT_EQ(0, t_decode(&m, 1, &st));
	ASSERT_EQ(1U, st->nr_tasks);
	EXPECT_EQ((uint32_t)T_SESSION, st->session_id);
	t = &st->tasks[0];
	EXPECT_EQ(100U, t->tid);
	EXPECT_EQ(100U, t->tgid);
	EXPECT_EQ(1U, t->ppid);
	EXPECT_STREQ("golden", t->comm);
	EXPECT_EQ((uint32_t)GTRACE_TF_TARGET, t->flags);
	EXPECT_EQ(1000U, t->start_ns);
	EXPECT_EQ(4096U, t->rss_peak);
	EXPECT_EQ(8192U, t->vm_peak);
	EXPECT_EQ(3U, t->nvcsw);
	EXPECT_EQ(4U, t->nivcsw);
	EXPECT_EQ(0U, t->exit_ns);

	ASSERT_EQ(2U, t->nr_syscalls);
	s = &t->syscalls[0];		/* sorted: read before write */
	EXPECT_EQ(0U, s->nr);
	EXPECT_EQ(10U, s->calls);
	EXPECT_EQ(2U, s->errors);
	EXPECT_EQ(500U, s->total_ns);
	EXPECT_EQ(50U, s->min_ns);
	EXPECT_EQ(400U, s->max_ns);
	EXPECT_EQ(10U, s->hist[5]);	/* 50 ns is in [32, 64) */
	s = &t->syscalls[1];
	EXPECT_EQ(1U, s->nr);
	EXPECT_EQ(5U, s->calls);
	EXPECT_EQ(5U, s->hist[6]);	/* 100 ns is in [64, 128) */

	EXPECT_EQ(10U, t->io[GTRACE_FC_PIPE][GTRACE_IO_READ].calls);
	EXPECT_EQ(4000U, t->io[GTRACE_FC_PIPE][GTRACE_IO_READ].bytes);
	EXPECT_EQ(500U, t->io[GTRACE_FC_PIPE][GTRACE_IO_READ].ns);
	EXPECT_EQ(120U, t->io[GTRACE_FC_TTY][GTRACE_IO_WRITE].bytes);
	EXPECT_EQ(0U, t->io[GTRACE_FC_REGULAR][GTRACE_IO_READ].calls);

	ASSERT_EQ(1U, t->nr_errnos);
	EXPECT_EQ((uint32_t)EAGAIN, t->errnos[0].err);
	EXPECT_EQ(2U, t->errnos[0].count);
	gt_stats_free(st);
}

TEST(exited_task_has_exit_fields)
{
	struct t_task x = task_a;
	struct nl_msg *m = t_dump_msg();
	struct nlattr *nest;
	struct gt_stats *st;

	x.flags |= GTRACE_TF_EXITED;
	x.exit_ns = 99999;
	x.exit_code = 3 << 8;
	nest = t_task_begin(m, &x);
	nla_nest_end(m, nest);
	ASSERT_EQ(0, t_decode(&m, 1, &st));
	ASSERT_EQ(1U, st->nr_tasks);
	EXPECT_EQ(99999U, st->tasks[0].exit_ns);
	EXPECT_EQ(3U << 8, st->tasks[0].exit_code);
	EXPECT_EQ(0U, st->tasks[0].nr_syscalls);
	gt_stats_free(st);
}

/*
 * What the module does with a task whose counters do not fit in one
 * message: the same task (scalars repeated, maybe newer) in consecutive
 * messages, each with the next part of its entries.
 */
TEST(task_split_over_two_messages_is_merged)
{
	struct t_sc rd = t_sc_make(GTRACE_ABI_X86_64, 0, 10, 50, 400);
	struct t_sc wr = t_sc_make(GTRACE_ABI_X86_64, 1, 5, 100, 900);
	struct t_sc pp = t_sc_make(GTRACE_ABI_X86_64, 110, 1000, 300, 2000);
	struct t_sc pp32 = t_sc_make(GTRACE_ABI_IA32, 64, 7, 700, 800);
	struct t_task later = task_a;
	struct t_task other = task_a;
	struct nl_msg *m[3];
	struct nlattr *nest;
	const struct gt_task *t;
	struct gt_stats *st;

	m[0] = t_dump_msg();
	nest = t_task_begin(m[0], &task_a);
	t_put_sc(m[0], &rd);
	t_put_sc(m[0], &wr);
	nla_nest_end(m[0], nest);

	later.rss_peak = 65536;		/* grew between the two messages */
	later.flags |= GTRACE_TF_TRUNCATED;
	m[1] = t_dump_msg();
	nest = t_task_begin(m[1], &later);
	t_put_sc(m[1], &pp);
	t_put_sc(m[1], &pp32);
	t_put_io(m[1], GTRACE_FC_REGULAR, GTRACE_IO_READ, 3, 300, 30);
	t_put_err(m[1], 110, GTRACE_ABI_X86_64, EBADF, 1);
	t_put_err(m[1], 64, GTRACE_ABI_IA32, EFAULT, 2);
	nla_nest_end(m[1], nest);

	other.tid = 101;
	other.start_ns = 2000;
	other.comm = "child";
	m[2] = t_dump_msg();
	nest = t_task_begin(m[2], &other);
	t_put_sc(m[2], &rd);
	nla_nest_end(m[2], nest);

	ASSERT_EQ(0, t_decode(m, 3, &st));
	ASSERT_EQ(2U, st->nr_tasks);
	t = gt_stats_task(st, 100);
	ASSERT_NE(NULL, t);
	EXPECT_EQ(65536U, t->rss_peak);
	EXPECT_EQ((uint32_t)(GTRACE_TF_TARGET | GTRACE_TF_TRUNCATED), t->flags);
	ASSERT_EQ(4U, t->nr_syscalls);
	EXPECT_EQ(0U, t->syscalls[0].nr);
	EXPECT_EQ(1U, t->syscalls[1].nr);
	EXPECT_EQ(110U, t->syscalls[2].nr);
	EXPECT_EQ(1000U, t->syscalls[2].calls);
	EXPECT_EQ((uint8_t)GTRACE_ABI_IA32, t->syscalls[3].abi);
	EXPECT_EQ(64U, t->syscalls[3].nr);
	EXPECT_EQ(7U, t->syscalls[3].calls);
	EXPECT_EQ(3U, t->io[GTRACE_FC_REGULAR][GTRACE_IO_READ].calls);
	ASSERT_EQ(2U, t->nr_errnos);
	EXPECT_EQ((uint32_t)EBADF, t->errnos[0].err);
	EXPECT_EQ((uint8_t)GTRACE_ABI_IA32, t->errnos[1].abi);

	t = gt_stats_task(st, 101);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("child", t->comm);
	EXPECT_EQ(1U, t->nr_syscalls);
	gt_stats_free(st);
}

/* Entries of one (abi, nr) in two parts add up; min and max combine. */
TEST(same_syscall_in_two_parts_adds_up)
{
	struct t_sc a = t_sc_make(GTRACE_ABI_X86_64, 0, 10, 50, 400);
	struct t_sc b = t_sc_make(GTRACE_ABI_X86_64, 0, 4, 20, 9000);
	const struct gt_syscall_stat *s;
	struct nl_msg *m[2];
	struct nlattr *nest;
	struct gt_stats *st;
	int i;

	b.errors = 1;
	for (i = 0; i < 2; i++) {
		m[i] = t_dump_msg();
		nest = t_task_begin(m[i], &task_a);
		t_put_sc(m[i], i ? &b : &a);
		t_put_io(m[i], GTRACE_FC_SOCKET, GTRACE_IO_WRITE, 1, 10, 5);
		t_put_err(m[i], 0, GTRACE_ABI_X86_64, EINTR, 3);
		nla_nest_end(m[i], nest);
	}
	ASSERT_EQ(0, t_decode(m, 2, &st));
	ASSERT_EQ(1U, st->nr_tasks);
	ASSERT_EQ(1U, st->tasks[0].nr_syscalls);
	s = &st->tasks[0].syscalls[0];
	EXPECT_EQ(14U, s->calls);
	EXPECT_EQ(1U, s->errors);
	EXPECT_EQ(10 * 50 + 4 * 20U, s->total_ns);
	EXPECT_EQ(20U, s->min_ns);
	EXPECT_EQ(9000U, s->max_ns);
	EXPECT_EQ(10U, s->hist[5]);
	EXPECT_EQ(4U, s->hist[4]);
	EXPECT_EQ(2U, st->tasks[0].io[GTRACE_FC_SOCKET][GTRACE_IO_WRITE].calls);
	ASSERT_EQ(1U, st->tasks[0].nr_errnos);
	EXPECT_EQ(6U, st->tasks[0].errnos[0].count);
	gt_stats_free(st);
}

/* A tid seen again with another start time is a new thread. */
TEST(reused_tid_with_new_start_is_a_new_task)
{
	struct t_task again = task_a;
	struct nl_msg *m[2];
	struct nlattr *nest;
	struct gt_stats *st;

	again.start_ns = 5000;
	again.comm = "reborn";
	m[0] = t_dump_msg();
	nest = t_task_begin(m[0], &task_a);
	nla_nest_end(m[0], nest);
	m[1] = t_dump_msg();
	nest = t_task_begin(m[1], &again);
	nla_nest_end(m[1], nest);

	ASSERT_EQ(0, t_decode(m, 2, &st));
	ASSERT_EQ(2U, st->nr_tasks);
	EXPECT_STREQ("golden", st->tasks[0].comm);
	EXPECT_STREQ("reborn", st->tasks[1].comm);
	gt_stats_free(st);
}

/* Parts need not be adjacent: merging is by tid, not by position. */
TEST(interleaved_parts_merge_by_tid)
{
	struct t_sc rd = t_sc_make(GTRACE_ABI_X86_64, 0, 1, 10, 10);
	struct t_sc wr = t_sc_make(GTRACE_ABI_X86_64, 1, 1, 10, 10);
	struct t_task b = task_a;
	struct nl_msg *m[3];
	struct nlattr *nest;
	struct gt_stats *st;

	b.tid = 300;
	b.start_ns = 0;		/* no start time: merges with any */
	m[0] = t_dump_msg();
	nest = t_task_begin(m[0], &task_a);
	t_put_sc(m[0], &rd);
	nla_nest_end(m[0], nest);
	m[1] = t_dump_msg();
	nest = t_task_begin(m[1], &b);
	nla_nest_end(m[1], nest);
	m[2] = t_dump_msg();
	nest = t_task_begin(m[2], &task_a);
	t_put_sc(m[2], &wr);
	nla_nest_end(m[2], nest);

	ASSERT_EQ(0, t_decode(m, 3, &st));
	ASSERT_EQ(2U, st->nr_tasks);
	EXPECT_EQ(2U, gt_stats_task(st, 100)->nr_syscalls);
	EXPECT_EQ(0U, gt_stats_task(st, 300)->nr_syscalls);
	gt_stats_free(st);
}

/* Enough tasks to grow the tid hash several times, each in two parts. */
TEST(many_tasks_in_two_parts_each)
{
	enum { N = 3000 };
	struct gti_stats_builder b;
	struct gt_stats *st;
	struct t_task t = task_a;
	struct nlattr *nest;
	struct nl_msg *m;
	int i, part, err = 0;

	ASSERT_EQ(0, gti_stats_begin(&b, T_SESSION));
	for (i = 0; i < N && !err; i++) {
		for (part = 0; part < 2 && !err; part++) {
			struct t_sc s = t_sc_make(GTRACE_ABI_X86_64, part, i + 1, 10, 10);

			t.tid = 1000 + i * 7;
			t.start_ns = 1 + i;
			m = t_dump_msg();
			nest = t_task_begin(m, &t);
			t_put_sc(m, &s);
			nla_nest_end(m, nest);
			err = gti_stats_parse_msg(nlmsg_hdr(m), &b);
			nlmsg_free(m);
		}
	}
	ASSERT_EQ(0, err);
	st = gti_stats_finish(&b);
	ASSERT_EQ((size_t)N, st->nr_tasks);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(1000U + i * 7, st->tasks[i].tid);
		ASSERT_EQ(2U, st->tasks[i].nr_syscalls);
		ASSERT_EQ((uint64_t)i + 1, st->tasks[i].syscalls[1].calls);
	}
	gt_stats_free(st);
}

TEST(empty_dump_is_no_tasks)
{
	struct gt_stats *st;

	ASSERT_EQ(0, t_decode(NULL, 0, &st));
	EXPECT_EQ(0U, st->nr_tasks);
	gt_stats_free(st);
}

/* ---- summaries --------------------------------------------------------- */

TEST(summary_adds_up_over_tasks)
{
	struct t_sc pp1 = t_sc_make(GTRACE_ABI_X86_64, 110, 100, 300, 600);
	struct t_sc pp2 = t_sc_make(GTRACE_ABI_X86_64, 110, 50, 5000, 7000);
	struct t_sc rd = t_sc_make(GTRACE_ABI_X86_64, 0, 8, 40, 90);
	struct t_sc pp32 = t_sc_make(GTRACE_ABI_IA32, 64, 2, 10, 10);
	struct t_task t2 = task_a;
	const struct gt_syscall_stat *s;
	struct gt_summary *sum;
	struct nl_msg *m[2];
	struct nlattr *nest;
	struct gt_stats *st;

	pp2.errors = 5;
	t2.tid = 101;
	t2.rss_peak = 1 << 20;
	t2.calls_lost = 9;
	m[0] = t_dump_msg();
	nest = t_task_begin(m[0], &task_a);
	t_put_sc(m[0], &pp1);
	t_put_sc(m[0], &rd);
	t_put_io(m[0], GTRACE_FC_REGULAR, GTRACE_IO_READ, 8, 800, 320);
	t_put_err(m[0], 0, GTRACE_ABI_X86_64, ENOENT, 1);
	nla_nest_end(m[0], nest);
	m[1] = t_dump_msg();
	nest = t_task_begin(m[1], &t2);
	t_put_sc(m[1], &pp2);
	t_put_sc(m[1], &pp32);
	t_put_io(m[1], GTRACE_FC_REGULAR, GTRACE_IO_READ, 2, 200, 80);
	t_put_err(m[1], 0, GTRACE_ABI_X86_64, ENOENT, 4);
	t_put_err(m[1], 110, GTRACE_ABI_X86_64, EPERM, 5);
	nla_nest_end(m[1], nest);
	ASSERT_EQ(0, t_decode(m, 2, &st));

	ASSERT_EQ(0, gt_stats_summarize(st, &sum));
	EXPECT_EQ(2U, sum->nr_tasks);
	ASSERT_EQ(3U, sum->nr_syscalls);
	EXPECT_EQ(160U, sum->calls);
	EXPECT_EQ(5U, sum->errors);
	EXPECT_EQ(9U, sum->calls_lost);
	EXPECT_EQ(1U << 20, sum->rss_peak);
	s = gt_summary_find(sum, GTRACE_ABI_X86_64, 110);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(150U, s->calls);
	EXPECT_EQ(100 * 300 + 50 * 5000U, s->total_ns);
	EXPECT_EQ(300U, s->min_ns);
	EXPECT_EQ(7000U, s->max_ns);
	EXPECT_EQ(100U, s->hist[8]);	/* 300 ns: [256, 512) */
	EXPECT_EQ(50U, s->hist[12]);	/* 5000 ns: [4096, 8192) */
	s = gt_summary_find(sum, GTRACE_ABI_IA32, 64);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(2U, s->calls);
	EXPECT_EQ(NULL, gt_summary_find(sum, GTRACE_ABI_IA32, 110));
	EXPECT_EQ(10U, sum->io[GTRACE_FC_REGULAR][GTRACE_IO_READ].calls);
	EXPECT_EQ(1000U, sum->io[GTRACE_FC_REGULAR][GTRACE_IO_READ].bytes);
	ASSERT_EQ(2U, sum->nr_errnos);
	EXPECT_EQ((uint32_t)ENOENT, sum->errnos[0].err);
	EXPECT_EQ(5U, sum->errnos[0].count);
	EXPECT_EQ((uint32_t)EPERM, sum->errnos[1].err);
	gt_summary_free(sum);
	gt_stats_free(st);
}

TEST(merge_ignores_empty_and_keeps_min)
{
	struct gt_syscall_stat a = { .calls = 0 }, b = { .calls = 0 };

	b.calls = 3;
	b.min_ns = 70;
	b.max_ns = 90;
	gt_syscall_stat_merge(&a, &b);
	EXPECT_EQ(3U, a.calls);
	EXPECT_EQ(70U, a.min_ns);
	b.calls = 0;
	b.min_ns = 1;		/* an empty entry says nothing about min */
	gt_syscall_stat_merge(&a, &b);
	EXPECT_EQ(70U, a.min_ns);
}

TEST(histogram_quantiles)
{
	uint64_t h[GTRACE_HIST_BUCKETS] = { 0 };

	EXPECT_EQ(0U, gt_hist_quantile(h, 0.5));
	h[3] = 90;		/* [8, 16) */
	h[10] = 9;		/* [1024, 2048) */
	h[GTRACE_HIST_BUCKETS - 1] = 1;
	EXPECT_EQ(16U, gt_hist_quantile(h, 0.5));
	EXPECT_EQ(16U, gt_hist_quantile(h, 0.9));
	EXPECT_EQ(2048U, gt_hist_quantile(h, 0.95));
	EXPECT_EQ(2048U, gt_hist_quantile(h, 0.99));
	EXPECT_EQ(UINT64_MAX, gt_hist_quantile(h, 1.0));
	EXPECT_EQ(16U, gt_hist_quantile(h, -3));
	EXPECT_EQ(0U, gt_hist_bucket_lo(0));
	EXPECT_EQ(8U, gt_hist_bucket_lo(3));
	EXPECT_EQ(1ULL << 31, gt_hist_bucket_lo(31));
	EXPECT_EQ(UINT64_MAX, gt_hist_bucket_lo(32));
}

/* ---- malformed input --------------------------------------------------- */

static struct nlattr *find_attr(struct nlattr *head, int len, int type)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem)
		if (nla_type(a) == type)
			return a;
	return NULL;
}

static struct nlattr *msg_task(struct nl_msg *m)
{
	return find_attr(genlmsg_attrdata(nlmsg_data(nlmsg_hdr(m)), 0),
			 genlmsg_attrlen(nlmsg_data(nlmsg_hdr(m)), 0),
			 GTRACE_A_TASK);
}

static int decode_one(struct nl_msg *m)
{
	struct gt_stats *st;
	int err = t_decode(&m, 1, &st);

	gt_stats_free(st);
	return err;
}

TEST(task_nest_longer_than_message_is_an_error)
{
	struct nl_msg *m = one_task_msg();

	msg_task(m)->nla_len += 64;
	EXPECT_EQ(-EBADMSG, decode_one(m));
}

TEST(syscall_nest_longer_than_task_is_an_error)
{
	struct nl_msg *m = one_task_msg();
	struct nlattr *task = msg_task(m);
	struct nlattr *sc = find_attr(nla_data(task), nla_len(task),
				      GTRACE_A_TASK_SYSCALL);

	sc->nla_len = nla_len(task);	/* runs past the end of the task */
	EXPECT_EQ(-EBADMSG, decode_one(m));
}

TEST(message_cut_short_is_an_error)
{
	struct nl_msg *m = one_task_msg();

	nlmsg_hdr(m)->nlmsg_len -= 8;
	EXPECT_EQ(-EBADMSG, decode_one(m));
}

TEST(header_cut_short_is_an_error)
{
	struct nl_msg *m = one_task_msg();

	nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EBADMSG, decode_one(m));
}

/* One-off bad messages: a task whose content a callback writes. */
static struct nl_msg *task_with(void (*fill)(struct nl_msg *m), bool tid)
{
	struct nl_msg *m = t_dump_msg();
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK);

	if (tid)
		nla_put_u32(m, GTRACE_A_TASK_TID, 42);
	fill(m);
	nla_nest_end(m, nest);
	return m;
}

static void fill_nothing(struct nl_msg *m)
{
}

static void fill_u32_calls(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);

	nla_put_u32(m, GTRACE_A_SC_NR, 1);
	nla_put_u8(m, GTRACE_A_SC_ABI, 0);
	nla_put_u32(m, GTRACE_A_SC_CALLS, 5);	/* u64 expected */
	nla_nest_end(m, n);
}

static void fill_u64_tgid(struct nl_msg *m)
{
	nla_put_u64(m, GTRACE_A_TASK_TGID, 5);	/* u32 expected */
}

static void fill_short_hist(struct nl_msg *m)
{
	uint32_t h[GTRACE_HIST_BUCKETS - 1] = { 0 };
	struct nlattr *n = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);

	nla_put_u32(m, GTRACE_A_SC_NR, 1);
	nla_put_u8(m, GTRACE_A_SC_ABI, 0);
	nla_put(m, GTRACE_A_SC_HIST, sizeof(h), h);
	nla_nest_end(m, n);
}

static void fill_long_hist(struct nl_msg *m)
{
	uint32_t h[GTRACE_HIST_BUCKETS + 1] = { 0 };
	struct nlattr *n = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);

	nla_put_u32(m, GTRACE_A_SC_NR, 1);
	nla_put_u8(m, GTRACE_A_SC_ABI, 0);
	nla_put(m, GTRACE_A_SC_HIST, sizeof(h), h);
	nla_nest_end(m, n);
}

static void fill_bad_abi(struct nl_msg *m)
{
	struct t_sc s = t_sc_make(__GTRACE_ABI_MAX, 1, 1, 1, 1);

	t_put_sc(m, &s);
}

static void fill_sc_without_nr(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);

	nla_put_u8(m, GTRACE_A_SC_ABI, 0);
	nla_nest_end(m, n);
}

static void fill_bad_io_class(struct nl_msg *m)
{
	t_put_io(m, __GTRACE_FC_MAX, GTRACE_IO_READ, 1, 1, 1);
}

static void fill_bad_io_kind(struct nl_msg *m)
{
	t_put_io(m, GTRACE_FC_PIPE, __GTRACE_IO_MAX, 1, 1, 1);
}

static void fill_zero_errno(struct nl_msg *m)
{
	t_put_err(m, 0, 0, 0, 1);
}

static void fill_huge_errno(struct nl_msg *m)
{
	t_put_err(m, 0, 0, 5000, 1);
}

static void fill_unterminated_comm(struct nl_msg *m)
{
	nla_put(m, GTRACE_A_TASK_COMM, 4, "abcd");
}

static void fill_trailing_bytes(struct nl_msg *m)
{
	struct nlattr *n = nla_nest_start(m, GTRACE_A_TASK_IO);

	nla_put_u8(m, GTRACE_A_IO_CLASS, 0);
	nla_put_u8(m, GTRACE_A_IO_KIND, 0);
	nla_nest_end(m, n);
	n->nla_len -= 4;	/* the nest's last attribute now overhangs it */
}

TEST(malformed_attributes_are_errors)
{
	static const struct {
		const char *what;
		void (*fill)(struct nl_msg *m);
		bool tid;
	} bad[] = {
		{ "no tid", fill_nothing, false },
		{ "u32 where u64 goes", fill_u32_calls, true },
		{ "u64 where u32 goes", fill_u64_tgid, true },
		{ "histogram too short", fill_short_hist, true },
		{ "histogram too long", fill_long_hist, true },
		{ "abi out of range", fill_bad_abi, true },
		{ "syscall without nr", fill_sc_without_nr, true },
		{ "io class out of range", fill_bad_io_class, true },
		{ "io kind out of range", fill_bad_io_kind, true },
		{ "errno 0", fill_zero_errno, true },
		{ "errno past MAX_ERRNO", fill_huge_errno, true },
		{ "comm without NUL", fill_unterminated_comm, true },
		{ "nest with an overhanging attribute", fill_trailing_bytes, true },
	};
	unsigned int i;

	for (i = 0; i < GTI_ARRAY_SIZE(bad); i++) {
		int err = decode_one(task_with(bad[i].fill, bad[i].tid));

		if (err != -EBADMSG)
			TH_LOG("%s: got %d", bad[i].what, err);
		EXPECT_EQ(-EBADMSG, err);
	}
}

TEST(message_without_task_is_an_error)
{
	EXPECT_EQ(-EBADMSG, decode_one(t_dump_msg()));
}

TEST(other_session_is_an_error)
{
	struct nl_msg *m = t_genl_msg(GTRACE_CMD_STATS_GET, NLM_F_MULTI);
	struct nlattr *nest;

	nla_put_u32(m, GTRACE_A_SESSION_ID, T_SESSION + 1);
	nest = t_task_begin(m, &task_a);
	nla_nest_end(m, nest);
	EXPECT_EQ(-EBADMSG, decode_one(m));
}

/* Attribute types newer than the library are skipped, not fatal. */
static void fill_future_attrs(struct nl_msg *m)
{
	struct t_sc s = t_sc_make(GTRACE_ABI_X86_64, 3, 1, 5, 5);

	nla_put_u64(m, GTRACE_A_TASK_MAX + 7, 1234);
	t_put_sc(m, &s);
}

TEST(future_attributes_are_skipped)
{
	struct nl_msg *m = task_with(fill_future_attrs, true);
	struct gt_stats *st;

	ASSERT_EQ(0, t_decode(&m, 1, &st));
	ASSERT_EQ(1U, st->nr_tasks);
	EXPECT_EQ(1U, st->tasks[0].nr_syscalls);
	gt_stats_free(st);
}

/*
 * Cheap fuzzing: every truncation and many random byte changes of a valid
 * message. Whatever the result, the decoder must not crash, leak or read
 * out of bounds (the ASan and valgrind runs check the last two). The
 * netlink header stays intact: libnl checks nlmsg_len before we see it.
 */
TEST(mutated_messages_do_not_crash)
{
	struct nl_msg *m = one_task_msg();
	uint32_t len = nlmsg_hdr(m)->nlmsg_len;
	unsigned char *orig = malloc(len), *buf = malloc(len);
	struct gti_stats_builder b;
	unsigned int seed = 12345, i, k, ok = 0;
	int err;

	ASSERT_NE(NULL, orig);
	ASSERT_NE(NULL, buf);
	memcpy(orig, nlmsg_hdr(m), len);
	nlmsg_free(m);

	for (i = NLMSG_HDRLEN; i <= len; i++) {
		memcpy(buf, orig, len);
		((struct nlmsghdr *)buf)->nlmsg_len = i;
		ASSERT_EQ(0, gti_stats_begin(&b, T_SESSION));
		err = gti_stats_parse_msg((struct nlmsghdr *)buf, &b);
		ok += !err;
		gti_stats_abort(&b);
	}
	EXPECT_EQ(1U, ok);	/* the task is last: any cut breaks it */

	for (i = 0; i < 20000; i++) {
		memcpy(buf, orig, len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245 + 12345;
			buf[NLMSG_HDRLEN + (seed >> 8) % (len - NLMSG_HDRLEN)] =
				seed >> 24;
		}
		ASSERT_EQ(0, gti_stats_begin(&b, T_SESSION));
		if (!gti_stats_parse_msg((struct nlmsghdr *)buf, &b))
			gt_stats_free(gti_stats_finish(&b));
		else
			gti_stats_abort(&b);
	}
	free(orig);
	free(buf);
}

TEST_HARNESS_MAIN
