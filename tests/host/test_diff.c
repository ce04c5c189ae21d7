// SPDX-License-Identifier: GPL-2.0
/*
 * Golden diffs on traces built by hand: an identical rerun passes; 10%
 * more writes than the golden trace with a 5% tolerance, a new syscall, a
 * syscall gone, a new errno and (with --timing) slower calls are
 * regressions whose message names the syscall and the excess.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "t_trace.h"
#include "kselftest_harness.h"

static struct t_trace *golden(void)
{
	struct t_trace *t = t_trace_new(50000000);

	t_calls(t, "read", 50, 2000);
	t_calls(t, "write", 100, 3000);
	t_calls(t, "openat", 20, 5000);
	t_errors(t, "openat", ENOENT, 4);
	return t;
}

static const struct gt_diff_row *row(const struct gt_diff *d, const char *sc,
				     int err)
{
	int nr = gt_syscall_nr(GTRACE_ABI_X86_64, sc);
	size_t i;

	for (i = 0; i < d->nr_rows; i++)
		if (d->rows[i].abi == GTRACE_ABI_X86_64 &&
		    d->rows[i].nr == (uint32_t)nr &&
		    d->rows[i].err == (uint32_t)err)
			return &d->rows[i];
	return NULL;
}

static char *print_diff(const struct gt_diff *d, const struct gt_diff_opts *o,
			int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*ret = gt_diff_print(d, o, f);
	fclose(f);
	return buf;
}

TEST(identical_rerun_passes)
{
	struct t_trace *g = golden(), *c = golden();
	struct gt_diff_opts o = { .tolerance_pct = 0, .timing = true };
	struct gt_diff *d;
	struct gt_check chk;
	char *out;
	int ret;

	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(0U, d->regressions);
	EXPECT_EQ(4U, d->nr_rows);	/* read, write, openat, openat ENOENT */
	EXPECT_EQ(GT_DIFF_SAME, (int)row(d, "write", 0)->kind);
	out = print_diff(d, &o, &ret);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "✅ Golden diff passed"));
	EXPECT_TRUE(strstr(out, "REGRESSION") == NULL);
	gt_diff_check(d, &o, &chk);
	EXPECT_EQ(GT_VERDICT_PASS, (int)chk.verdict);
	free(out);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(ten_percent_more_writes)
{
	struct t_trace *g = golden(), *c = golden();
	struct gt_diff_opts o = { .tolerance_pct = 5 };
	const struct gt_diff_row *r;
	struct gt_diff *d;
	struct gt_check chk;
	char msg[256], *out;
	int ret;

	t_calls(c, "write", 10, 3000);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	r = row(d, "write", 0);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(GT_DIFF_MORE, (int)r->kind);
	EXPECT_TRUE(r->regression);
	EXPECT_EQ(100U, r->golden_calls);
	EXPECT_EQ(110U, r->current_calls);
	EXPECT_TRUE(fabs(r->calls_pct - 10) < 1e-9);
	gt_diff_row_message(r, &o, msg, sizeof(msg));
	EXPECT_STREQ("write: 110 calls, golden 100: +10% (tolerance 5%)", msg);
	out = print_diff(d, &o, &ret);
	EXPECT_EQ(1, ret);
	EXPECT_NE(NULL, strstr(out, "❌ Regression: write: 110 calls, golden 100: +10% (tolerance 5%)\n"));
	EXPECT_NE(NULL, strstr(out, "Golden diff FAILED: 1 regression (tolerance 5%)"));
	gt_diff_check(d, &o, &chk);
	EXPECT_EQ(GT_VERDICT_FAIL, (int)chk.verdict);
	EXPECT_STREQ("+10%", chk.excess);
	EXPECT_NE(NULL, strstr(chk.detail, "write: 110 calls"));
	free(out);
	gt_diff_free(d);

	/* The same change within a 10% tolerance passes. */
	o.tolerance_pct = 10;
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(0U, d->regressions);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(fewer_calls_beyond_tolerance)
{
	struct t_trace *g = golden(), *c = t_trace_new(50000000);
	struct gt_diff_opts o = { .tolerance_pct = 5 };
	struct gt_diff *d;
	char msg[256];

	t_calls(c, "read", 40, 2000);
	t_calls(c, "write", 100, 3000);
	t_calls(c, "openat", 20, 5000);
	t_errors(c, "openat", ENOENT, 4);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	EXPECT_EQ(GT_DIFF_FEWER, (int)row(d, "read", 0)->kind);
	gt_diff_row_message(row(d, "read", 0), &o, msg, sizeof(msg));
	EXPECT_STREQ("read: 40 calls, golden 50: -20% (tolerance 5%)", msg);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(new_syscall_is_a_regression)
{
	struct t_trace *g = golden(), *c = golden();
	struct gt_diff_opts o = { .tolerance_pct = 50 };
	const struct gt_diff_row *r;
	struct gt_diff *d;
	char msg[256];

	t_calls(c, "getrandom", 1, 1000);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	r = row(d, "getrandom", 0);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(GT_DIFF_NEW, (int)r->kind);
	EXPECT_TRUE(isinf(r->calls_pct));
	gt_diff_row_message(r, &o, msg, sizeof(msg));
	EXPECT_STREQ("getrandom: new syscall, 1 calls (none in the golden trace)", msg);
	gt_diff_free(d);

	/* And the other way round: a syscall the golden trace had is gone. */
	ASSERT_EQ(0, gt_diff_traces(&c->tr, &g->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	EXPECT_EQ(GT_DIFF_GONE, (int)row(d, "getrandom", 0)->kind);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(new_errno_is_a_regression)
{
	struct t_trace *g = golden(), *c = golden();
	struct gt_diff_opts o = { .tolerance_pct = 5 };
	const struct gt_diff_row *r;
	struct gt_diff *d;
	char msg[256], *out;
	int ret;

	/* Same calls, but one openat now fails with EACCES. */
	t_errors(c, "openat", EACCES, 1);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	r = row(d, "openat", EACCES);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(GT_DIFF_NEW, (int)r->kind);
	gt_diff_row_message(r, &o, msg, sizeof(msg));
	EXPECT_STREQ("openat EACCES: new error, 1 errors (none in the golden trace)", msg);
	out = print_diff(d, &o, &ret);
	EXPECT_NE(NULL, strstr(out, "REGRESSION: new error"));
	free(out);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(timing_only_when_asked)
{
	struct t_trace *g = golden(), *c = t_trace_new(50000000);
	struct gt_diff_opts o = { .tolerance_pct = 10 };
	struct gt_diff *d;
	char msg[256];

	t_calls(c, "read", 50, 4000);		/* twice as slow */
	t_calls(c, "write", 100, 1000);		/* faster: fine */
	t_calls(c, "openat", 20, 5000);
	t_errors(c, "openat", ENOENT, 4);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(0U, d->regressions);
	gt_diff_free(d);
	o.timing = true;
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	EXPECT_EQ(GT_DIFF_SLOWER, (int)row(d, "read", 0)->kind);
	EXPECT_EQ(GT_DIFF_SAME, (int)row(d, "write", 0)->kind);
	gt_diff_row_message(row(d, "read", 0), &o, msg, sizeof(msg));
	EXPECT_STREQ("read: 200µs in 50 calls, golden 100µs: +100% time (tolerance 10%)", msg);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(compat_abi_kept_apart)
{
	struct t_trace *g = golden(), *c = golden();
	struct gt_diff_opts o = { .tolerance_pct = 5 };
	struct gt_diff *d;
	char msg[256];
	size_t i;

	t_calls_abi(c, 0, GTRACE_ABI_IA32, "write", 5, 1000);
	ASSERT_EQ(0, gt_diff_traces(&g->tr, &c->tr, &o, &d));
	EXPECT_EQ(1U, d->regressions);
	for (i = 0; i < d->nr_rows; i++)
		if (d->rows[i].regression)
			gt_diff_row_message(&d->rows[i], &o, msg, sizeof(msg));
	EXPECT_STREQ("ia32:write: new syscall, 5 calls (none in the golden trace)", msg);
	gt_diff_free(d);
	free(g);
	free(c);
}

TEST(bad_arguments)
{
	struct t_trace *g = golden();
	struct gt_diff_opts o = { .tolerance_pct = -1 };
	struct gt_diff *d;

	EXPECT_EQ(-EINVAL, gt_diff_traces(&g->tr, &g->tr, &o, &d));
	o.tolerance_pct = NAN;
	EXPECT_EQ(-EINVAL, gt_diff_traces(&g->tr, &g->tr, &o, &d));
	o.tolerance_pct = 0;
	EXPECT_EQ(-EINVAL, gt_diff_traces(NULL, &g->tr, &o, &d));
	free(g);
}

TEST_HARNESS_MAIN
