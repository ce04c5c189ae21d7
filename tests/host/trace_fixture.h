/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hand-built traces for the report, JSON and filter tests: every number
 * is chosen so that the expected output can be worked out on paper.
 */
#ifndef GTRACE_TESTS_TRACE_FIXTURE_H
#define GTRACE_TESTS_TRACE_FIXTURE_H

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <gtrace/trace.h>

/* Calls of one syscall: all in the bucket of @min_ns but one at @max_ns. */
static inline struct gt_syscall_stat fx_sc(uint8_t abi, uint32_t nr,
					   uint64_t calls, uint64_t errors,
					   uint64_t total_ns, uint64_t min_ns,
					   uint64_t max_ns)
{
	struct gt_syscall_stat s = {
		.nr = nr, .abi = abi, .calls = calls, .errors = errors,
		.total_ns = total_ns, .min_ns = min_ns, .max_ns = max_ns,
	};
	unsigned int lo = 0, hi = 0;

	while (lo < GTRACE_HIST_BUCKETS - 1 && (2ULL << lo) <= min_ns)
		lo++;
	while (hi < GTRACE_HIST_BUCKETS - 1 && (2ULL << hi) <= max_ns)
		hi++;
	if (calls) {
		s.hist[lo] += calls - 1;
		s.hist[hi] += 1;
	}
	return s;
}

static inline struct gt_task *fx_add_task(struct gt_stats *st, uint32_t tid,
					  uint32_t tgid, uint32_t ppid,
					  const char *comm)
{
	struct gt_task *t;

	st->tasks = realloc(st->tasks, (st->nr_tasks + 1) * sizeof(*t));
	t = &st->tasks[st->nr_tasks++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->tgid = tgid;
	t->ppid = ppid;
	strncpy(t->comm, comm, sizeof(t->comm) - 1);
	return t;
}

/* Syscalls must come sorted by (abi, nr), as the decoder leaves them. */
static inline void fx_add_sc(struct gt_task *t, struct gt_syscall_stat s)
{
	t->syscalls = realloc(t->syscalls, (t->nr_syscalls + 1) * sizeof(s));
	t->syscalls[t->nr_syscalls++] = s;
}

static inline void fx_add_err(struct gt_task *t, uint8_t abi, uint32_t nr,
			      uint32_t err, uint64_t count)
{
	struct gt_errno_stat e = { .nr = nr, .abi = abi, .err = err,
				   .count = count };

	t->errnos = realloc(t->errnos, (t->nr_errnos + 1) * sizeof(e));
	t->errnos[t->nr_errnos++] = e;
}

static inline struct gt_trace *fx_trace_new(struct gt_stats *st)
{
	struct gt_trace *tr = calloc(1, sizeof(*tr));

	tr->command = strdup("./prog --flag");
	tr->kernel = strdup("6.1.0-test-amd64");
	tr->module_version = strdup("0.1.0");
	tr->start_ns = 1764000000123456789ULL;
	tr->wall_ns = 1234567890;
	tr->stats = st;
	gt_stats_summarize(st, &tr->sum);
	return tr;
}

/*
 * One task: read 60% of 5 ms (10 calls, 2 EAGAIN), write 20% (5 calls),
 * close 20% (4 calls, all EBADF); 4 MiB peak RSS.
 */
static inline struct gt_trace *fx_simple(void)
{
	struct gt_stats *st = calloc(1, sizeof(*st));
	struct gt_task *t = fx_add_task(st, 100, 100, 1, "golden");

	st->session_id = 7;
	t->flags = GTRACE_TF_EXITED | GTRACE_TF_TARGET;
	t->start_ns = 1000;
	t->exit_ns = 1235000000;
	t->rss_peak = 4 << 20;
	t->vm_peak = 16 << 20;
	t->nvcsw = 3;
	t->nivcsw = 4;
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 0, 10, 2, 3000000, 100000, 900000));
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 1, 5, 0, 1000000, 150000, 400000));
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 3, 4, 4, 1000000, 200000, 400000));
	fx_add_err(t, GTRACE_ABI_X86_64, 0, EAGAIN, 2);
	fx_add_err(t, GTRACE_ABI_X86_64, 3, EBADF, 4);
	t->io[GTRACE_FC_PIPE][GTRACE_IO_READ] =
		(struct gt_io_stat){ .calls = 10, .bytes = 4000, .ns = 3000000 };
	t->io[GTRACE_FC_TTY][GTRACE_IO_WRITE] =
		(struct gt_io_stat){ .calls = 5, .bytes = 120, .ns = 1000000 };
	return fx_trace_new(st);
}

/*
 * Three tasks: fx_simple's, a thread with getppid and an ia32 getppid, and
 * a child killed by SIGKILL with a comm that CSV must quote and a failed
 * openat (ENOENT) and an errno the tables do not know.
 */
static inline struct gt_trace *fx_tree(void)
{
	struct gt_trace *tr = fx_simple();
	struct gt_stats *st = tr->stats;
	struct gt_task *t;

	t = fx_add_task(st, 101, 100, 1, "worker");
	t->flags = GTRACE_TF_EXITED;
	t->start_ns = 2000;
	t->exit_ns = 900000000;
	t->rss_peak = 4 << 20;
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 1, 1, 0, 2000, 2000, 2000));
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 110, 1000, 0, 1000000, 500, 5000));
	fx_add_sc(t, fx_sc(GTRACE_ABI_IA32, 64, 3, 0, 3000, 800, 1200));
	t->io[GTRACE_FC_CHAR][GTRACE_IO_WRITE] =
		(struct gt_io_stat){ .calls = 1, .bytes = 1, .ns = 2000 };

	t = fx_add_task(st, 102, 102, 100, "child,\"x\"");
	t->flags = GTRACE_TF_EXITED;
	t->start_ns = 3000;
	t->exit_ns = 1000000000;
	t->exit_code = SIGKILL;
	t->rss_peak = 6 << 20;
	t->vm_peak = 20 << 20;
	fx_add_sc(t, fx_sc(GTRACE_ABI_X86_64, 257, 3, 2, 30000, 5000, 20000));
	fx_add_err(t, GTRACE_ABI_X86_64, 257, ENOENT, 1);
	fx_add_err(t, GTRACE_ABI_X86_64, 257, 4000, 1);

	gt_summary_free(tr->sum);
	gt_stats_summarize(st, &tr->sum);
	return tr;
}

#endif /* GTRACE_TESTS_TRACE_FIXTURE_H */
