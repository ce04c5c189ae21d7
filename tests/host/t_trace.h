/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traces built by hand for the host tests, two ways:
 *
 * - t_trace_new() and t_calls()/t_errors()/t_io(): a struct gt_trace with
 *   its summary and per-task stats in one block the test owns (nothing to
 *   free), syscalls given by name (x86_64 unless said otherwise) and kept
 *   sorted by (abi, nr) like gt_stats_summarize() leaves them. For the
 *   assertion and diff tests, which care about the totals.
 * - fx_simple() and fx_tree(): a heap trace (gt_trace_free()) shaped as the
 *   stats decoder leaves one, the summary computed by the library, every
 *   number chosen so that the expected report, JSON and CSV can be worked
 *   out on paper.
 */
#ifndef GTRACE_TESTS_T_TRACE_H
#define GTRACE_TESTS_T_TRACE_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gtrace/trace.h>

#define T_MAX_SC	48
#define T_MAX_TASKS	4

struct t_trace {
	struct gt_trace tr;
	struct gt_summary sum;
	struct gt_stats st;
	struct gt_task task[T_MAX_TASKS];
	struct gt_syscall_stat sc[T_MAX_SC];
	struct gt_errno_stat err[T_MAX_SC];
	struct gt_syscall_stat tsc[T_MAX_TASKS][T_MAX_SC];
	struct gt_errno_stat terr[T_MAX_SC];	/* task 0's */
	char command[16];
};

static inline struct t_trace *t_trace_new(uint64_t wall_ns)
{
	struct t_trace *t = calloc(1, sizeof(*t));
	int i;

	if (!t)
		abort();
	strcpy(t->command, "./prog");
	t->tr.command = t->command;
	t->tr.wall_ns = wall_ns;
	t->tr.stats = &t->st;
	t->tr.sum = &t->sum;
	t->sum.syscalls = t->sc;
	t->sum.errnos = t->err;
	t->sum.nr_tasks = 1;
	t->st.tasks = t->task;
	t->st.nr_tasks = 1;
	for (i = 0; i < T_MAX_TASKS; i++) {
		t->task[i].tid = 100 + i;
		t->task[i].tgid = 100;
		t->task[i].syscalls = t->tsc[i];
	}
	t->task[0].errnos = t->terr;
	return t;
}

/* Log2 bucket of a latency, as the module files it. */
static inline unsigned int t_bucket(uint64_t ns)
{
	unsigned int b = 0;

	while (b < GTRACE_HIST_BUCKETS - 1 && (2ULL << b) <= ns)
		b++;
	return b;
}

/* The entry for (abi, nr) in a sorted array of @n, inserted if missing. */
static inline struct gt_syscall_stat *t_sc_slot(struct gt_syscall_stat *arr,
						size_t *n, uint8_t abi,
						uint32_t nr)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (arr[i].abi == abi && arr[i].nr == nr)
			return &arr[i];
		if (arr[i].abi > abi || (arr[i].abi == abi && arr[i].nr > nr))
			break;
	}
	if (*n == T_MAX_SC)
		abort();
	memmove(&arr[i + 1], &arr[i], (*n - i) * sizeof(*arr));
	memset(&arr[i], 0, sizeof(*arr));
	arr[i].abi = abi;
	arr[i].nr = nr;
	(*n)++;
	return &arr[i];
}

static inline void t_sc_add(struct gt_syscall_stat *s, uint64_t calls,
			    uint64_t ns_each)
{
	if (!calls)
		return;
	if (!s->calls || ns_each < s->min_ns)
		s->min_ns = ns_each;
	if (ns_each > s->max_ns)
		s->max_ns = ns_each;
	s->calls += calls;
	s->total_ns += calls * ns_each;
	s->hist[t_bucket(ns_each)] += calls;
}

/* @calls calls of @name (ABI @abi) by task @task, @ns_each ns each. */
static inline void t_calls_abi(struct t_trace *t, int task, uint8_t abi,
			       const char *name, uint64_t calls,
			       uint64_t ns_each)
{
	int nr = gt_syscall_nr(abi, name);
	struct gt_task *tk = &t->task[task];

	if (nr < 0) {
		fprintf(stderr, "t_trace: unknown syscall %s\n", name);
		abort();
	}
	if ((size_t)task >= t->st.nr_tasks) {
		t->st.nr_tasks = task + 1;
		t->sum.nr_tasks = task + 1;
	}
	t_sc_add(t_sc_slot(t->sc, &t->sum.nr_syscalls, abi, nr), calls, ns_each);
	t_sc_add(t_sc_slot(tk->syscalls, &tk->nr_syscalls, abi, nr), calls,
		 ns_each);
	t->sum.calls += calls;
	t->sum.total_ns += calls * ns_each;
}

static inline void t_calls(struct t_trace *t, const char *name,
			   uint64_t calls, uint64_t ns_each)
{
	t_calls_abi(t, 0, GTRACE_ABI_X86_64, name, calls, ns_each);
}

/* Add @count to the (abi, nr, err) entry of a sorted errno array. */
static inline void t_err_add(struct gt_errno_stat *arr, size_t *n, int nr,
			     int err, uint64_t count)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		struct gt_errno_stat *e = &arr[i];

		if (e->abi == GTRACE_ABI_X86_64 && e->nr == (uint32_t)nr &&
		    e->err == (uint32_t)err) {
			e->count += count;
			return;
		}
		if (e->nr > (uint32_t)nr ||
		    (e->nr == (uint32_t)nr && e->err > (uint32_t)err))
			break;
	}
	if (*n == T_MAX_SC)
		abort();
	memmove(&arr[i + 1], &arr[i], (*n - i) * sizeof(arr[0]));
	arr[i] = (struct gt_errno_stat){
		.nr = nr, .abi = GTRACE_ABI_X86_64, .err = err, .count = count,
	};
	(*n)++;
}

/* @count of the calls of @name (by task 0) failed with @err. */
static inline void t_errors(struct t_trace *t, const char *name, int err,
			    uint64_t count)
{
	int nr = gt_syscall_nr(GTRACE_ABI_X86_64, name);
	struct gt_task *tk = &t->task[0];

	if (nr < 0)
		abort();
	t_sc_slot(t->sc, &t->sum.nr_syscalls, GTRACE_ABI_X86_64, nr)->errors += count;
	t_sc_slot(tk->syscalls, &tk->nr_syscalls, GTRACE_ABI_X86_64, nr)->errors += count;
	t->sum.errors += count;
	t_err_add(t->err, &t->sum.nr_errnos, nr, err, count);
	t_err_add(t->terr, &tk->nr_errnos, nr, err, count);
}

static inline void t_io(struct t_trace *t, int fclass, int kind,
			uint64_t calls, uint64_t bytes, uint64_t ns)
{
	t->sum.io[fclass][kind].calls += calls;
	t->sum.io[fclass][kind].bytes += bytes;
	t->sum.io[fclass][kind].ns += ns;
	t->task[0].io[fclass][kind] = t->sum.io[fclass][kind];
}

/* ---- heap traces shaped like the decoder's ---------------------------- */

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

	if (calls) {
		s.hist[t_bucket(min_ns)] += calls - 1;
		s.hist[t_bucket(max_ns)] += 1;
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

#endif /* GTRACE_TESTS_T_TRACE_H */
