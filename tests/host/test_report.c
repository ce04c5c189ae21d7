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
		{ { .dur_ns = 12345, .ret = 12, .tid = 42, .nr = 1,
		    .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_TTY,
		    .args = { 1, 0x7ffd1000, 12 } }, true,
		  "[pid    42] write(1<tty>, 0x7ffd1000, 12) = 12 <0.000012>\n" },
		{ { .ret = -EBADF, .tid = 42, .nr = 3, .abi = GTRACE_ABI_X86_64,
		    .args = { 99 } },
		  false, "[pid    42] close(99) = -1 EBADF (Bad file descriptor)\n" },
		{ { .ret = 0x7f0000001000, .tid = 7, .nr = 9,
		    .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_REGULAR,
		    .args = { 0, 8192, 3, 2, 5, 4096 } }, false,
		  "[pid     7] mmap(0x0, 8192, 0x3, 0x2, 5<regular>, 4096) = 0x7f0000001000\n" },
		{ { .ret = 1, .tid = 100000, .nr = 64, .abi = GTRACE_ABI_IA32 },
		  false, "[pid 100000] ia32:getppid() = 1\n" },
		{ { .ret = -512, .tid = 1, .nr = 0, .abi = GTRACE_ABI_X86_64,
		    .fclass = GTRACE_FC_PIPE, .args = { 0, 0x1000, 4096 } }, false,
		  "[pid     1] read(0<pipe>, 0x1000, 4096) = -1 ERESTARTSYS\n" },
		{ { .ret = 0, .tid = 1, .nr = 4000, .abi = GTRACE_ABI_X86_64 },
		  false, "[pid     1] syscall_4000(0x0, 0x0, 0x0, 0x0, 0x0, 0x0) = 0\n" },
		{ { .ret = 3, .tid = 5, .nr = 257, .abi = GTRACE_ABI_X86_64,
		    .args = { (uint64_t)-100, 0x55550000, 0x80241, 0644 } }, false,
		  "[pid     5] openat(AT_FDCWD, 0x55550000, 0x80241, 0644) = 3\n" },
		{ { .ret = -2, .tid = 5, .nr = 257, .abi = GTRACE_ABI_X86_64,
		    .args = { 7, 0x10, 0, 0 } }, false,
		  "[pid     5] openat(7, 0x10, 0x0, 0) = -1 ENOENT (No such file or directory)\n" },
		{ { .ret = 100, .tid = 5, .nr = 17, .abi = GTRACE_ABI_X86_64,
		    .fclass = GTRACE_FC_REGULAR,
		    .args = { 3, 0x7000, 100, 1ULL << 40 } }, false,
		  "[pid     5] pread64(3<regular>, 0x7000, 100, 1099511627776) = 100\n" },
		{ { .ret = 0, .tid = 5, .nr = 16, .abi = GTRACE_ABI_X86_64,
		    .fclass = GTRACE_FC_TTY, .args = { 1, 0x5401, 0x7ffc0000 } },
		  false, "[pid     5] ioctl(1<tty>, 0x5401, 0x7ffc0000) = 0\n" },
		{ { .ret = 30, .tid = 5, .nr = 20, .abi = GTRACE_ABI_X86_64,
		    .args = { 2, 0x7ff0, 3 } }, false,
		  "[pid     5] writev(2, 0x7ff0, 3) = 30\n" },
		/* A call not decoded: its class after the first argument. */
		{ { .ret = 10, .tid = 5, .nr = 44, .abi = GTRACE_ABI_X86_64,
		    .fclass = GTRACE_FC_SOCKET, .args = { 4, 0x1000, 10 } }, false,
		  "[pid     5] sendto(4<socket>, 0x1000, 0xa, 0x0, 0x0, 0x0) = 10\n" },
		{ { .ret = 0, .tid = 5, .nr = 13, .abi = GTRACE_ABI_X86_64,
		    .args = { 2, 0, 0x7ffc, 8 } }, false,
		  "[pid     5] rt_sigaction(0x2, 0x0, 0x7ffc, 0x8) = 0\n" },
		{ { .ret = -1, .tid = 5, .nr = 3, .abi = GTRACE_ABI_X86_64,
		    .dur_ns = 2500000000ULL, .args = { 0xffffffff } }, true,
		  "[pid     5] close(-1) = -1 EPERM (Operation not permitted) <2.500000>\n" },
		{ { .ret = 0, .tid = 5, .nr = 110, .abi = GTRACE_ABI_X86_64,
		    .dur_ns = 1500 }, true,
		  "[pid     5] getppid() = 0 <0.000002>\n" },
	};
	size_t i;

	if (gt_syscall_nargs(GTRACE_ABI_X86_64, 13) != 4)
		SKIP(return, "built without the kernel's syscall prototypes");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = record_line(&cases[i].r, cases[i].t);

		ASSERT_NE(NULL, s);
		EXPECT_STREQ(cases[i].line, s);
		free(s);
	}
}

/*
 * The stream makes the same lines as one call per record, whatever the
 * record size (a longer record's tail is not read), the buffer flushes
 * and the filter; a record size below ours is refused.
 */
TEST(text_stream_matches_single_lines)
{
	enum { N = 40000, SIZE = 192 };
	unsigned char *recs = calloc(N, SIZE);
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0, i;
	struct gt_text_stream *ts;
	struct gt_filter *f = NULL;
	struct gt_input_error ie;
	FILE *fa, *fb;

	ASSERT_NE(NULL, recs);
	ASSERT_EQ(0, gt_filter_add(&f, "!getppid", &ie));
	fa = open_memstream(&a, &la);
	fb = open_memstream(&b, &lb);
	for (i = 0; i < N; i++) {
		struct gtrace_record *r = (void *)(recs + i * SIZE);

		r->tid = (uint32_t)(100 + i % 7);
		r->nr = i % 3 ? 0 : 110;
		r->ret = i % 5 ? (int64_t)i : -EAGAIN;
		r->dur_ns = i * 37;
		r->args[0] = i % 10;
		r->args[1] = 0x7ffd0000 + i;
		r->args[2] = i;
		memset(recs + i * SIZE + sizeof(*r), 0xff, SIZE - sizeof(*r));
		if (r->nr != 110)
			ASSERT_EQ(0, gt_report_record(r, true, fb));
	}
	ASSERT_EQ(0, gt_text_stream_begin(fa, GT_TEXT_TIME, &ts));
	EXPECT_EQ(-EINVAL, gt_text_stream_records(ts, recs, 1, 64, NULL));
	for (i = 0; i < N; i += 1000)
		ASSERT_EQ(0, gt_text_stream_records(ts, recs + i * SIZE, 1000,
						    SIZE, f));
	ASSERT_EQ(0, gt_text_stream_end(ts));
	fclose(fa);
	fclose(fb);
	EXPECT_GT(la, (size_t)(1 << 20));	/* more than one buffer */
	ASSERT_EQ(lb, la);
	EXPECT_EQ(0, memcmp(a, b, la));
	EXPECT_EQ(NULL, strstr(a, "getppid"));
	free(a);
	free(b);
	free(recs);
	gt_filter_free(f);
}

/* The -T durations: rounded to the microsecond. */
TEST(record_time_rounding)
{
	static const struct {
		uint64_t ns;
		const char *t;
	} cases[] = {
		{ 0, "<0.000000>" }, { 499, "<0.000000>" }, { 500, "<0.000001>" },
		{ 999999499, "<0.999999>" }, { 999999500, "<1.000000>" },
		{ 61000000000ULL, "<61.000000>" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gtrace_record r = { .nr = 110, .dur_ns = cases[i].ns };
		char *s = record_line(&r, true);

		ASSERT_NE(NULL, s);
		EXPECT_NE(NULL, strstr(s, cases[i].t)) TH_LOG("%s", s);
		free(s);
	}
}

TEST_HARNESS_MAIN
