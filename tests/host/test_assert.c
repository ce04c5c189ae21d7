// SPDX-License-Identifier: GPL-2.0
/*
 * Budget assertions on traces built by hand: every type below, at and
 * above its budget, disabled and warning-only assertions, the exact output
 * of the seed document, and the bad budget files of tests/data/assert-bad
 * (each fails on the line it names).
 */
#include <errno.h>
#include <string.h>

#include "t_data.h"
#include "t_trace.h"
#include "kselftest_harness.h"

/* Evaluate @toml on @t; the single check's verdict (or -1 on error). */
static int verdict_of(const char *toml, struct t_trace *t, struct gt_check *out)
{
	struct gt_assertions *as;
	struct gt_input_error err;
	struct gt_check *c;
	size_t n;
	int ret;

	ret = gt_assertions_parse(toml, strlen(toml), "test.toml", &as, &err);
	if (ret) {
		fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg);
		return -1;
	}
	ret = gt_assertions_eval(as, &t->tr, &c, &n);
	gt_assertions_free(as);
	if (ret || n != 1) {
		free(c);
		return -1;
	}
	if (out)
		*out = c[0];
	ret = c[0].verdict;
	free(c);
	return ret;
}

#define A(type, body) \
	"[[assertion]]\nname = \"t\"\ntype = \"" type "\"\n" body

/* The printed form of the checks of @toml on @t, in a static buffer. */
static const char *printed(const char *toml, struct t_trace *t, int *worst)
{
	static char buf[8192];
	struct gt_assertions *as;
	struct gt_input_error err;
	struct gt_check *c;
	size_t n;
	FILE *f;

	buf[0] = '\0';
	if (gt_assertions_parse(toml, strlen(toml), "p.toml", &as, &err))
		return "parse error";
	if (gt_assertions_eval(as, &t->tr, &c, &n)) {
		gt_assertions_free(as);
		return "eval error";
	}
	f = fmemopen(buf, sizeof(buf), "w");
	*worst = gt_checks_print(c, n, f);
	fclose(f);
	free(c);
	gt_assertions_free(as);
	return buf;
}

TEST(critical_path_budget)
{
	struct t_trace *t = t_trace_new(125000000);	/* 125 ms */
	struct gt_check c;

	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("critical_path", "max_duration_ms = 100\n"), t, &c));
	EXPECT_STREQ("125ms", c.actual);
	EXPECT_STREQ("100ms", c.budget);
	EXPECT_STREQ("+25%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("critical_path", "max_duration_ms = 125\n"), t, &c));
	EXPECT_STREQ("", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("critical_path", "max_duration_ms = 200.5\n"), t, &c));
	EXPECT_STREQ("200.5ms", c.budget);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("critical_path", "max_duration_ms = 124.9\n"), t, NULL));
	free(t);
}

TEST(span_count_and_pattern)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;

	t_calls(t, "read", 300, 1000);
	t_calls(t, "write", 200, 1000);
	t_calls(t, "openat", 10, 1000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("span_count", "max_spans = 500\n"), t, &c));
	EXPECT_STREQ("510 syscalls", c.actual);
	EXPECT_STREQ("500 syscalls", c.budget);
	EXPECT_STREQ("+2%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("span_count", "max_spans = 510\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("span_count",
		"max_spans = 500\nspan_name_pattern = \"/^(read|write)$/\"\n"), t, &c));
	EXPECT_STREQ("500 syscalls", c.actual);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("span_count",
		"max_spans = 299\nspan_name_pattern = \"rea?\"\n"), t, &c));
	EXPECT_STREQ("300 syscalls", c.actual);
	/* Lost calls count against a maximum. */
	t->tr.calls_lost = 5;
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("span_count", "max_spans = 510\n"), t, &c));
	EXPECT_STREQ("515 syscalls", c.actual);
	EXPECT_NE(NULL, strstr(c.detail, "lost 5 calls"));
	free(t);
}

TEST(memory_usage_modes)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;

	t->sum.rss_peak = 4 << 20;
	t->sum.vm_peak = 12 << 20;
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("memory_usage",
		"max_bytes = 10485760\ntracking_mode = \"allocations\"\n"), t, &c));
	EXPECT_STREQ("12582912 bytes (12.0 MiB)", c.actual);
	EXPECT_STREQ("10485760 bytes (10.0 MiB)", c.budget);
	EXPECT_STREQ("+20%", c.excess);
	/* allocations is the default, as in Renacer. */
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("memory_usage", "max_bytes = 10485760\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("memory_usage",
		"max_bytes = 10485760\ntracking_mode = \"rss\"\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("memory_usage",
		"max_bytes = 4194304\ntracking_mode = \"rss\"\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("memory_usage",
		"max_bytes = 4194303\ntracking_mode = \"rss\"\n"), t, NULL));
	free(t);
}

TEST(pcie_bottleneck)
{
	struct t_trace *t = t_trace_new(100000000);	/* 100 ms */
	struct gt_check c;

	t_io(t, GTRACE_FC_GPU, GTRACE_IO_IOCTL, 1000, 0, 60000000);
	t_io(t, GTRACE_FC_GPU, GTRACE_IO_WRITE, 100, 4096, 20000000);
	t_io(t, GTRACE_FC_REGULAR, GTRACE_IO_READ, 100, 4096, 15000000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("anti_pattern",
		"pattern = \"PCIeBottleneck\"\nthreshold = 0.7\n"), t, &c));
	EXPECT_STREQ("80%", c.actual);
	EXPECT_STREQ("70%", c.budget);
	EXPECT_STREQ("+14.3%", c.excess);
	EXPECT_NE(NULL, strstr(c.detail, "1100 calls"));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("anti_pattern",
		"pattern = \"PcieBottleneck\"\nthreshold = 0.8\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_WARN, verdict_of(A("anti_pattern",
		"pattern = \"PcieBottleneck\"\nthreshold = 0.5\nfail_on_violation = false\n"), t, NULL));
	free(t);
}

TEST(tight_loop)
{
	struct t_trace *t = t_trace_new(100000000);
	struct gt_check c;
	const char *loop = A("anti_pattern", "pattern = \"TightLoop\"\nthreshold = 0.9\n");

	t_calls(t, "getppid", 99000, 800);
	t_calls(t, "write", 1000, 5000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(loop, t, &c));
	EXPECT_STREQ("99% of calls in getppid (99000 calls, mean 800ns)", c.actual);
	EXPECT_STREQ("+10%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("anti_pattern",
		"pattern = \"TightLoop\"\nthreshold = 0.99\n"), t, NULL));
	/* Slow calls are not a tight loop, nor are few of them. */
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("anti_pattern",
		"pattern = \"TightLoop\"\nthreshold = 0.9\nmax_mean_us = 0.5\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("anti_pattern",
		"pattern = \"TightLoop\"\nthreshold = 0.9\nmin_calls = 100000\n"), t, NULL));
	free(t);
}

TEST(excessive_io)
{
	struct t_trace *t = t_trace_new(2000000000);	/* 2 s */
	struct gt_check c;

	t_io(t, GTRACE_FC_REGULAR, GTRACE_IO_READ, 10000, 40960000, 1000);
	t_io(t, GTRACE_FC_PIPE, GTRACE_IO_WRITE, 10000, 1000, 1000);
	t_io(t, GTRACE_FC_GPU, GTRACE_IO_IOCTL, 50000, 0, 1000);	/* not I/O */
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("anti_pattern",
		"pattern = \"ExcessiveIO\"\nthreshold = 5000\n"), t, &c));
	EXPECT_STREQ("10000 I/O calls/s, 20480500 bytes/s", c.actual);
	EXPECT_STREQ("+100%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("anti_pattern",
		"pattern = \"ExcessiveIO\"\nthreshold = 10000\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("anti_pattern",
		"pattern = \"ExcessiveIO\"\nthreshold = 10000\nmax_bytes_per_sec = 1e6\n"), t, &c));
	EXPECT_STREQ("+1948%", c.excess);
	free(t);
}

TEST(small_writes)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;
	const char *sw = A("anti_pattern", "pattern = \"SmallWrites\"\nthreshold = 64\n");

	/* The unbuffered-stdout regression: 1000 one-byte writes. */
	t_io(t, GTRACE_FC_PIPE, GTRACE_IO_WRITE, 1000, 1000, 1000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(sw, t, &c));
	EXPECT_STREQ("1 bytes per write (1000 writes, 1000 bytes)", c.actual);
	EXPECT_STREQ("-98.4%", c.excess);
	/* eventfd and the like write 8 bytes by design: not counted. */
	free(t);
	t = t_trace_new(1000000);
	t_io(t, GTRACE_FC_OTHER, GTRACE_IO_WRITE, 100000, 800000, 1000);
	t_io(t, GTRACE_FC_TTY, GTRACE_IO_WRITE, 200, 200 * 80, 1000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(sw, t, &c));
	EXPECT_STREQ("80 bytes per write (200 writes, 16000 bytes)", c.actual);
	/* Few small writes are fine. */
	free(t);
	t = t_trace_new(1000000);
	t_io(t, GTRACE_FC_TTY, GTRACE_IO_WRITE, 99, 99, 1000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(sw, t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("anti_pattern",
		"pattern = \"SmallWrites\"\nthreshold = 64\nmin_calls = 10\n"), t, NULL));
	free(t);
}

TEST(god_process)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;
	const char *god = A("anti_pattern", "pattern = \"GodProcess\"\nthreshold = 0.8\n");

	t_calls(t, "read", 900, 1000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(god, t, &c));
	EXPECT_STREQ("one process", c.actual);
	t->task[1].tgid = 200;
	t_calls_abi(t, 1, GTRACE_ABI_X86_64, "write", 100, 1000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(god, t, &c));
	EXPECT_STREQ("90%", c.actual);
	/* A thread of the first process does not make a second process. */
	t->task[1].tgid = 100;
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(god, t, NULL));
	free(t);
}

TEST(syscall_count_max_min)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;

	t_calls(t, "openat", 40, 1000);
	t_calls(t, "open", 2, 1000);
	t_calls_abi(t, 0, GTRACE_ABI_IA32, "openat", 8, 1000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("syscall_count",
		"syscall = \"openat\"\nmax = 48\n"), t, &c));
	EXPECT_STREQ("48 calls", c.actual);	/* both ABIs */
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("syscall_count",
		"syscall = \"openat\"\nmax = 47\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("syscall_count",
		"pattern = \"open*\"\nmax = 40\n"), t, &c));
	EXPECT_STREQ("50 calls", c.actual);
	EXPECT_STREQ("+25%", c.excess);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("syscall_count",
		"syscall = \"openat\"\nmin = 60\n"), t, &c));
	EXPECT_STREQ("at least 60 calls", c.budget);
	EXPECT_STREQ("-20%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("syscall_count",
		"syscall = \"openat\"\nmin = 48\nmax = 48\n"), t, &c));
	EXPECT_STREQ("48..48 calls", c.budget);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("syscall_count",
		"syscall = \"close\"\nmin = 1\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("syscall_count",
		"syscall = \"open\"\nmax = 0\n"), t, &c));
	EXPECT_STREQ("+2 calls", c.excess);
	free(t);
}

TEST(error_count_by_errno)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;

	t_calls(t, "openat", 40, 1000);
	t_errors(t, "openat", ENOENT, 6);
	t_errors(t, "openat", EACCES, 1);
	t_calls(t, "read", 10, 1000);
	t_errors(t, "read", EAGAIN, 3);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("error_count",
		"syscall = \"openat\"\nerrno = \"ENOENT\"\nmax = 5\n"), t, &c));
	EXPECT_STREQ("6 ENOENT errors", c.actual);
	EXPECT_STREQ("+20%", c.excess);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("error_count",
		"syscall = \"openat\"\nerrno = 2\nmax = 6\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("error_count",
		"syscall = \"openat\"\nmax = 7\n"), t, &c));
	EXPECT_STREQ("7 errors", c.actual);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("error_count", "max = 9\n"), t, &c));
	EXPECT_STREQ("10 errors", c.actual);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("error_count",
		"errno = \"EWOULDBLOCK\"\nmax = 3\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("error_count",
		"errno = \"EAGAIN\"\nmax = 0\n"), t, &c));
	EXPECT_STREQ("+3 EAGAIN errors", c.excess);
	free(t);
}

TEST(latency_percentile)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;

	/* 990 reads of 1.5 µs (bucket [1024, 2048) ns), 10 of 100 µs. */
	t_calls(t, "read", 990, 1500);
	t_calls(t, "read", 10, 100000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("latency_percentile",
		"syscall = \"read\"\npercentile = 99\nmax_us = 2.048\n"), t, &c));
	EXPECT_STREQ("p99 < 2.048µs", c.actual);
	EXPECT_STREQ("p99 < 2.048µs", c.budget);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("latency_percentile",
		"syscall = \"read\"\npercentile = 99\nmax_us = 2\n"), t, &c));
	EXPECT_STREQ("+2.4%", c.excess);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(A("latency_percentile",
		"syscall = \"read\"\npercentile = 99.9\nmax_us = 100\n"), t, &c));
	EXPECT_STREQ("p99.9 < 131.072µs", c.actual);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("latency_percentile",
		"syscall = \"read\"\npercentile = 100\nmax_us = 131.072\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("latency_percentile",
		"syscall = \"write\"\npercentile = 50\nmax_us = 1\n"), t, &c));
	EXPECT_STREQ("no calls", c.actual);
	free(t);
}

TEST(forbidden_syscall)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_check c;
	const char *f = A("forbidden_syscall",
			  "syscalls = [\"ptrace\", \"/^process_vm_/\"]\n");

	t_calls(t, "read", 10, 1000);
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(f, t, &c));
	EXPECT_STREQ("none called", c.actual);
	EXPECT_STREQ("no calls of ptrace, /^process_vm_/", c.budget);
	t_calls(t, "process_vm_readv", 2, 1000);
	t_calls(t, "ptrace", 1, 1000);
	EXPECT_EQ(GT_VERDICT_FAIL, verdict_of(f, t, &c));
	EXPECT_STREQ("ptrace 1x, process_vm_readv 2x", c.actual);
	EXPECT_STREQ("+3 calls", c.excess);
	free(t);
}

TEST(disabled_and_warning_only)
{
	struct t_trace *t = t_trace_new(125000000);

	EXPECT_EQ(GT_VERDICT_SKIP, verdict_of(A("critical_path",
		"max_duration_ms = 100\nenabled = false\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_WARN, verdict_of(A("critical_path",
		"max_duration_ms = 100\nfail_on_violation = false\n"), t, NULL));
	EXPECT_EQ(GT_VERDICT_PASS, verdict_of(A("critical_path",
		"max_duration_ms = 200\nfail_on_violation = false\n"), t, NULL));
	free(t);
}

/* The seed document's example, printed exactly. */
TEST(renacer_example_output)
{
	struct t_trace *t = t_trace_new(125000000);
	struct gt_assertions *as;
	struct gt_input_error err;
	size_t len;
	char *toml = t_slurp(GT_TEST_DATA "/renacer.toml", &len);
	const char *out;
	int worst;

	ASSERT_NE(NULL, toml);
	ASSERT_EQ(0, gt_assertions_load(GT_TEST_DATA "/renacer.toml", &as, &err));
	EXPECT_EQ(4U, gt_assertions_count(as));
	gt_assertions_free(as);

	t_calls(t, "read", 300, 1000);
	t->sum.vm_peak = 8 << 20;
	t_io(t, GTRACE_FC_GPU, GTRACE_IO_IOCTL, 10, 0, 100000000);
	out = printed(toml, t, &worst);
	EXPECT_EQ(GT_VERDICT_FAIL, worst);
	EXPECT_STREQ(
		"❌ Assertion 'example_startup_latency' FAILED\n"
		"   Actual: 125ms\n"
		"   Budget: 100ms\n"
		"   Regression: +25%\n"
		"✅ Assertion 'max_syscall_budget' passed (Actual: 300 syscalls, Budget: 500 syscalls)\n"
		"✅ Assertion 'memory_allocation_budget' passed (Actual: 8388608 bytes (8.0 MiB), Budget: 10485760 bytes (10.0 MiB))\n"
		"⚠️  Assertion 'prevent_pcie_bottleneck' violated (warning only: fail_on_violation = false)\n"
		"   Actual: 80%\n"
		"   Budget: 70%\n"
		"   Regression: +14.3%\n"
		"   (share of wall time in syscalls on GPU devices: 10 calls, 100ms)\n"
		"Assertions: 2 passed, 1 failed, 1 warned, 0 skipped\n", out);

	/* Within budget, the warning alone does not fail. */
	t->tr.wall_ns = 99000000;
	t->sum.io[GTRACE_FC_GPU][GTRACE_IO_IOCTL].ns = 90000000;
	out = printed(toml, t, &worst);
	EXPECT_EQ(GT_VERDICT_WARN, worst);
	EXPECT_NE(NULL, strstr(out, "✅ Assertion 'example_startup_latency' passed (Actual: 99ms, Budget: 100ms)\n"));
	free(toml);
	free(t);
}

TEST(every_type_file_loads)
{
	struct t_trace *t = t_trace_new(1000000);
	struct gt_assertions *as;
	struct gt_input_error err;
	const struct gt_input_error *notes;
	struct gt_check *c;
	size_t n;

	ASSERT_EQ(0, gt_assertions_load(GT_TEST_DATA "/toml-good/gtrace-all.toml",
					&as, &err)) TH_LOG("%d: %s", err.line, err.msg);
	EXPECT_EQ(12U, gt_assertions_count(as));
	EXPECT_EQ(0U, gt_assertions_notes(as, &notes));
	ASSERT_EQ(0, gt_assertions_eval(as, &t->tr, &c, &n));
	EXPECT_EQ(12U, n);
	EXPECT_EQ(GT_VERDICT_SKIP, (int)c[7].verdict);	/* enabled = false */
	EXPECT_STREQ("god", c[7].name);
	EXPECT_STREQ("syscall_count", c[8].type);
	EXPECT_EQ(GT_VERDICT_FAIL, (int)c[8].verdict);	/* min = 1, no opens */
	free(c);
	gt_assertions_free(as);
	free(t);
}

/* Renacer's other tables ([ci], [otlp] ...) are noted and ignored. */
TEST(foreign_tables_are_notes)
{
	static const char doc[] =
		"[[assertion]]\nname = \"a\"\ntype = \"critical_path\"\nmax_duration_ms = 1\n"
		"[semantic_equivalence]\nenabled = true\n"
		"[[golden_traces.baselines]]\nname = \"x\"\n";
	const struct gt_input_error *notes;
	struct gt_assertions *as;
	struct gt_input_error err;

	ASSERT_EQ(0, gt_assertions_parse(doc, sizeof(doc) - 1, "r.toml", &as, &err));
	ASSERT_EQ(2U, gt_assertions_notes(as, &notes));
	EXPECT_EQ(5, notes[0].line);
	EXPECT_NE(NULL, strstr(notes[0].msg, "'semantic_equivalence' is not a gtrace assertion table"));
	EXPECT_EQ(7, notes[1].line);
	gt_assertions_free(as);
}

TEST(bad_budget_files)
{
	char **files;
	int n, i;

	n = t_list("assert-bad", &files);
	ASSERT_GT(n, 30);
	for (i = 0; i < n; i++) {
		struct gt_assertions *as = (void *)1;
		struct gt_input_error err;
		struct t_expect e;
		size_t len;
		char *text = t_slurp(files[i], &len);

		ASSERT_NE(NULL, text);
		ASSERT_EQ(0, t_expect(text, &e));
		memset(&err, 0, sizeof(err));
		EXPECT_EQ(-EINVAL, gt_assertions_load(files[i], &as, &err))
			TH_LOG("%s loaded", files[i]);
		EXPECT_EQ(NULL, as);
		EXPECT_EQ(e.line, err.line)
			TH_LOG("%s:%d: %s (expected line %d)", files[i],
			       err.line, err.msg, e.line);
		EXPECT_NE(NULL, strstr(err.msg, e.msg))
			TH_LOG("%s: '%s' does not say '%s'", files[i], err.msg, e.msg);
		EXPECT_STREQ(files[i], err.file);
		free(text);
	}
	t_list_free(files);
}

TEST_HARNESS_MAIN
