// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of hand-built traces, byte for byte: strace -c's table and its
 * total row, the ia32 table, sort keys, per-task tables, percentiles, the
 * footer, CSV with its quoting, and per-call record lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t_trace.h"
#include "kselftest_harness.h"

/* The report of @tr with @o, as a string to free. */
static char *render(const struct gt_trace *tr, const struct gt_report_opts *o,
		    bool csv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return NULL;
	err = csv ? gt_report_csv(tr, o, f) : gt_report_text(tr, o, f);
	fclose(f);
	if (err) {
		free(buf);
		return NULL;
	}
	return buf;
}

static const char simple_text[] =
	"% time     seconds  usecs/call     calls    errors syscall\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	" 60.00    0.003000         300        10         2 read\n"
	" 20.00    0.001000         200         5           write\n"
	" 20.00    0.001000         250         4         4 close\n"
	"------ ----------- ----------- --------- --------- ----------------\n"
	"100.00    0.005000         263        19         6 total\n"
	"\n"
	"wall time    1.234568 s\n"
	"peak RSS     4194304 bytes (4.0 MiB)\n"
	"exit status  0\n"
	"tasks        1\n"
	"records      0 read, 0 dropped\n";

TEST(text_is_strace_c)
{
	struct gt_trace *tr = fx_simple();
	char *s = render(tr, NULL, false);

	ASSERT_NE(NULL, s);
	EXPECT_STREQ(simple_text, s);
	free(s);
	gt_trace_free(tr);
}

/* Without a summary in the trace, one is made from the tasks. */
TEST(text_without_summary)
{
	struct gt_trace *tr = fx_simple();
	char *s;

	gt_summary_free(tr->sum);
	tr->sum = NULL;
	s = render(tr, NULL, false);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ(simple_text, s);
	free(s);
	gt_trace_free(tr);
}

/* The names of the rows of the first table, in order, space-separated. */
static void row_names(const char *s, char *out, size_t len)
{
	const char *p = strstr(s, "----------------\n");

	out[0] = 0;
	if (!p)
		return;
	for (p += 17; *p != '-'; p = strchr(p, '\n') + 1) {
		const char *nl = strchr(p, '\n');
		const char *name = nl;

		while (name > p && name[-1] != ' ')
			name--;
		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, name, (size_t)(nl - name) < len - strlen(out) - 1 ?
			(size_t)(nl - name) : len - strlen(out) - 1);
	}
}

TEST(sort_keys)
{
	static const struct {
		const char *key;
		const char *rows;
	} cases[] = {
		{ "time", "read write close" },
		{ "calls", "read write close" },
		{ "errors", "close read write" },
		{ "name", "close read write" },
		{ "nothing", "read write close" },
	};
	struct gt_report_opts o = GT_REPORT_OPTS_INIT;
	struct gt_trace *tr = fx_simple();
	char rows[128], *s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o.sort = gt_sort_key_parse(cases[i].key);
		ASSERT_LE(0, o.sort);
		s = render(tr, &o, false);
		ASSERT_NE(NULL, s);
		row_names(s, rows, sizeof(rows));
		EXPECT_STREQ(cases[i].rows, rows) TH_LOG("-S %s", cases[i].key);
		free(s);
	}
	EXPECT_EQ(-EINVAL, gt_sort_key_parse("size"));
	gt_trace_free(tr);
}

TEST(ia32_has_its_own_table)
{
	struct gt_trace *tr = fx_tree();
	char *s = render(tr, NULL, false), *ia32;

	ASSERT_NE(NULL, s);
	ia32 = strstr(s, "\nSystem call usage summary for 32 bit mode:\n");
	ASSERT_NE(NULL, ia32);
	/* Native: 10 + 6 + 1000 + 4 + 3 calls; ia32 getppid on its own. */
	EXPECT_NE(NULL, strstr(s, "100.00    0.006032           5      1023         8 total\n"));
	EXPECT_LT(strstr(s, "      1000           getppid\n"), ia32);
	EXPECT_NE(NULL, strstr(ia32,
		"100.00    0.000003           1         3           getppid\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000003           1         3           total\n"));
	EXPECT_EQ(NULL, strstr(s, "x32 mode"));
	EXPECT_NE(NULL, strstr(s, "peak RSS     6291456 bytes (6.0 MiB)\n"));
	EXPECT_NE(NULL, strstr(s, "tasks        3\n"));
	free(s);
	gt_trace_free(tr);
}

TEST(per_task_tables)
{
	struct gt_report_opts o = { .sort = GT_SORT_TIME, .per_task = true };
	struct gt_trace *tr = fx_tree();
	char *s = render(tr, &o, false), *t1, *t2, *t3, *all;

	ASSERT_NE(NULL, s);
	t1 = strstr(s, "task 100 (golden): tgid 100, ppid 1, exited 0, "
		    "peak RSS 4194304 bytes (4.0 MiB)\n% time");
	t2 = strstr(s, "task 101 (worker): tgid 100, ppid 1, exited 0,");
	t3 = strstr(s, "task 102 (child,\"x\"): tgid 102, ppid 100, "
		    "killed by signal 9 (KILL), peak RSS 6291456 bytes (6.0 MiB)");
	all = strstr(s, "all 3 tasks:\n% time");
	ASSERT_NE(NULL, t1);
	ASSERT_NE(NULL, t2);
	ASSERT_NE(NULL, t3);
	ASSERT_NE(NULL, all);
	EXPECT_LT(t1, t2);
	EXPECT_LT(t2, t3);
	EXPECT_LT(t3, all);
	/* Task 102's own table: only its openat. */
	EXPECT_NE(NULL, strstr(t3, "100.00    0.000030          10         3         2 openat\n"));
	free(s);
	gt_trace_free(tr);
}

/*
 * read: 9 calls in [65536, 131072) ns and one of 900 us. p50 and p90 are
 * the bucket's upper bound, p99 the last call's bucket capped at the max.
 */
TEST(percentiles)
{
	struct gt_report_opts o = { .sort = GT_SORT_TIME, .percentiles = true };
	struct gt_trace *tr = fx_simple();
	char *s = render(tr, &o, false);

	ASSERT_NE(NULL, s);
	EXPECT_NE(NULL, strstr(s, "\n  p50 usecs   p90 usecs   p99 usecs   max usecs syscall\n"
				"----------- ----------- ----------- ----------- ----------------\n"
				"    131.072     131.072     900.000     900.000 read\n"));
	free(s);
	gt_trace_free(tr);
}

TEST(footer_of_a_killed_run)
{
	struct gt_trace *tr = fx_simple();
	char *s;

	tr->exit_code = -1;
	tr->exit_signal = SIGSEGV;
	tr->records = 19;
	tr->drops = 2;
	tr->tasks_lost = 1;
	tr->calls_lost = 5;
	s = render(tr, NULL, false);
	ASSERT_NE(NULL, s);
	EXPECT_NE(NULL, strstr(s, "exit status  killed by signal 11 (SEGV)\n"));
	EXPECT_NE(NULL, strstr(s, "records      19 read, 2 dropped\n"));
	EXPECT_NE(NULL, strstr(s, "lost         1 tasks, 5 calls not counted (module limits)\n"));
	free(s);
	gt_trace_free(tr);
}

TEST(empty_trace)
{
	struct gt_trace tr = { .exit_code = 0 };
	char *s = render(&tr, NULL, false);

	ASSERT_NE(NULL, s);
	EXPECT_NE(NULL, strstr(s, "------ ----------- ----------- --------- --------- ----------------\n"
				"------ ----------- ----------- --------- --------- ----------------\n"
				"100.00    0.000000           0         0           total\n"));
	EXPECT_NE(NULL, strstr(s, "peak RSS     0 bytes\n"));
	free(s);
	s = render(&tr, NULL, true);
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("syscall,abi,nr,calls,errors,total_ns,min_ns,max_ns,avg_ns,time_pct\r\n", s);
	free(s);
}

TEST(csv)
{
	struct gt_trace *tr = fx_simple();
	char *s = render(tr, NULL, true);

	ASSERT_NE(NULL, s);
	EXPECT_STREQ("syscall,abi,nr,calls,errors,total_ns,min_ns,max_ns,avg_ns,time_pct\r\n"
		     "read,x86_64,0,10,2,3000000,100000,900000,300000,60.00\r\n"
		     "write,x86_64,1,5,0,1000000,150000,400000,200000,20.00\r\n"
		     "close,x86_64,3,4,4,1000000,200000,400000,250000,20.00\r\n", s);
	free(s);
	gt_trace_free(tr);
}

TEST(csv_per_task_with_percentiles)
{
	struct gt_report_opts o = { .sort = GT_SORT_NAME, .per_task = true,
				    .percentiles = true };
	struct gt_trace *tr = fx_tree();
	char *s = render(tr, &o, true);

	ASSERT_NE(NULL, s);
	EXPECT_EQ(0, strncmp(s, "tid,tgid,comm,syscall,abi,nr,calls,errors,total_ns,"
			     "min_ns,max_ns,avg_ns,time_pct,p50_ns,p90_ns,p99_ns\r\n"
			     "100,100,golden,close,x86_64,3,4,4,1000000,200000,400000,"
			     "250000,20.00,262144,400000,400000\r\n", 166));
	EXPECT_NE(NULL, strstr(s, "\r\n101,100,worker,getppid,ia32,64,3,0,3000,800,1200,"
				"1000,0.30,1024,1200,1200\r\n"));
	/* A comm with a comma and quotes, quoted the RFC 4180 way. */
	EXPECT_NE(NULL, strstr(s, "\r\n102,102,\"child,\"\"x\"\"\",openat,x86_64,257,3,2,"
				"30000,5000,20000,10000,100.00,8192,20000,20000\r\n"));
	free(s);
	gt_trace_free(tr);
}

static char *record_line(const struct gtrace_record *r, bool show_time)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (gt_report_record(r, show_time, f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

TEST(record_lines)
{
	static const struct {
		struct gtrace_record r;
		bool t;
		const char *line;
	} cases[] = {
		{ { .dur_ns = 12345, .ret = 5, .tid = 42, .nr = 1,
		    .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_TTY }, true,
		  "[pid    42] write(<tty>) = 5 <0.000012>\n" },
		{ { .ret = -EBADF, .tid = 42, .nr = 3, .abi = GTRACE_ABI_X86_64 },
		  false, "[pid    42] close() = -1 EBADF (Bad file descriptor)\n" },
		{ { .ret = 0x7f0000001000, .tid = 7, .nr = 9,
		    .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_REGULAR }, false,
		  "[pid     7] mmap(<regular>) = 0x7f0000001000\n" },
		{ { .ret = 1, .tid = 100000, .nr = 64, .abi = GTRACE_ABI_IA32 },
		  false, "[pid 100000] ia32:getppid() = 1\n" },
		{ { .ret = -512, .tid = 1, .nr = 0, .abi = GTRACE_ABI_X86_64,
		    .fclass = GTRACE_FC_PIPE }, false,
		  "[pid     1] read(<pipe>) = -1 ERESTARTSYS\n" },
		{ { .ret = 0, .tid = 1, .nr = 4000, .abi = GTRACE_ABI_X86_64 },
		  false, "[pid     1] syscall_4000() = 0\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = record_line(&cases[i].r, cases[i].t);

		ASSERT_NE(NULL, s);
		EXPECT_STREQ(cases[i].line, s);
		free(s);
	}
}

TEST_HARNESS_MAIN
