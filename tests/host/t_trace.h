/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Traces built by hand for the assertion and diff tests: a struct gt_trace
 * with its summary and per-task stats in one block the test owns (nothing
 * to free). Syscalls are given by name (x86_64 unless said otherwise) and
 * kept sorted by (abi, nr) like gt_stats_summarize() leaves them.
 */
#ifndef GTRACE_TESTS_T_TRACE_H
#define GTRACE_TESTS_T_TRACE_H

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

#endif /* GTRACE_TESTS_T_TRACE_H */
