// SPDX-License-Identifier: GPL-2.0
/*
 * A gt_trace from a records file (gtrace-run --records-file): the per-task
 * per-syscall counters the kernel keeps, computed again from the records
 * themselves (calls, errors, total, min and max time, the log2 histogram,
 * failed calls per errno), with the tasks and the run's counters of the
 * file's trailer. Everything downstream (reports, JSON, assertions, diffs)
 * then works on it as on a live run's trace. What records do not carry
 * (the I/O counters, context switches) stays zero.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

#define DENSE_NR	1024	/* syscalls below it are found by index */

struct task_acc {
	struct gt_task *t;
	uint32_t *dense;	/* [abi][nr] -> index + 1 into t->syscalls */
	size_t cap_sc, cap_err;
};

struct acc {
	struct gt_stats *st;
	struct task_acc *ta;	/* parallel to st->tasks */
	size_t cap;
	uint32_t last_tid;	/* the last task looked up, a cache */
	size_t last;
};

/* The kernel's bucket: 0 below 2 ns, then floor(log2), the last open. */
static unsigned int hist_bucket(uint64_t ns)
{
	unsigned int b;

	if (ns < 2)
		return 0;
	b = 63 - (unsigned int)__builtin_clzll(ns);
	return b < GTRACE_HIST_BUCKETS - 1 ? b : GTRACE_HIST_BUCKETS - 1;
}

static int add_task(struct acc *a, uint32_t tid, size_t *idx)
{
	struct gt_stats *st = a->st;

	if (st->nr_tasks == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		struct gt_task *t = realloc(st->tasks, cap * sizeof(*t));
		struct task_acc *ta;

		if (!t)
			return -ENOMEM;
		st->tasks = t;
		ta = realloc(a->ta, cap * sizeof(*ta));
		if (!ta)
			return -ENOMEM;
		a->ta = ta;
		a->cap = cap;
	}
	memset(&st->tasks[st->nr_tasks], 0, sizeof(st->tasks[0]));
	memset(&a->ta[st->nr_tasks], 0, sizeof(a->ta[0]));
	st->tasks[st->nr_tasks].tid = tid;
	*idx = st->nr_tasks++;
	return 0;
}

static int find_task(struct acc *a, uint32_t tid, uint32_t tgid, size_t *idx)
{
	size_t i;
	int err;

	if (a->st->nr_tasks && a->last_tid == tid) {
		*idx = a->last;
		return 0;
	}
	for (i = 0; i < a->st->nr_tasks; i++)
		if (a->st->tasks[i].tid == tid)
			break;
	if (i == a->st->nr_tasks) {
		/* In the records but not in the trailer's list. */
		err = add_task(a, tid, &i);
		if (err)
			return err;
		a->st->tasks[i].tgid = tgid;
	}
	a->last_tid = tid;
	a->last = i;
	*idx = i;
	return 0;
}

static struct gt_syscall_stat *find_sc(struct task_acc *ta, uint8_t abi,
				       uint32_t nr)
{
	struct gt_task *t = ta->t;
	struct gt_syscall_stat *s;
	size_t i;

	if (nr < DENSE_NR && ta->dense && ta->dense[abi * DENSE_NR + nr])
		return &t->syscalls[ta->dense[abi * DENSE_NR + nr] - 1];
	if (nr >= DENSE_NR)
		for (i = 0; i < t->nr_syscalls; i++)
			if (t->syscalls[i].abi == abi && t->syscalls[i].nr == nr)
				return &t->syscalls[i];
	if (!ta->dense) {
		ta->dense = calloc((size_t)__GTRACE_ABI_MAX * DENSE_NR,
				   sizeof(*ta->dense));
		if (!ta->dense)
			return NULL;
	}
	if (t->nr_syscalls == ta->cap_sc) {
		size_t cap = ta->cap_sc ? ta->cap_sc * 2 : 16;

		s = realloc(t->syscalls, cap * sizeof(*s));
		if (!s)
			return NULL;
		t->syscalls = s;
		ta->cap_sc = cap;
	}
	s = &t->syscalls[t->nr_syscalls++];
	memset(s, 0, sizeof(*s));
	s->abi = abi;
	s->nr = nr;
	if (nr < DENSE_NR)
		ta->dense[abi * DENSE_NR + nr] = (uint32_t)t->nr_syscalls;
	return s;
}

static int count_errno(struct task_acc *ta, uint8_t abi, uint32_t nr,
		       uint32_t err)
{
	struct gt_task *t = ta->t;
	struct gt_errno_stat *e;
	size_t i;

	for (i = 0; i < t->nr_errnos; i++) {
		e = &t->errnos[i];
		if (e->abi == abi && e->nr == nr && e->err == err) {
			e->count++;
			return 0;
		}
	}
	if (t->nr_errnos == ta->cap_err) {
		size_t cap = ta->cap_err ? ta->cap_err * 2 : 8;

		e = realloc(t->errnos, cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		t->errnos = e;
		ta->cap_err = cap;
	}
	e = &t->errnos[t->nr_errnos++];
	memset(e, 0, sizeof(*e));
	e->abi = abi;
	e->nr = nr;
	e->err = err;
	e->count = 1;
	return 0;
}

static int account(struct acc *a, const struct gtrace_record *r)
{
	struct gt_syscall_stat *s;
	struct task_acc *ta;
	size_t i;
	int err;

	err = find_task(a, r->tid, r->pid, &i);
	if (err)
		return err;
	ta = &a->ta[i];
	ta->t = &a->st->tasks[i];
	s = find_sc(ta, r->abi, r->nr);
	if (!s)
		return -ENOMEM;
	if (!s->calls || r->dur_ns < s->min_ns)
		s->min_ns = r->dur_ns;
	if (r->dur_ns > s->max_ns)
		s->max_ns = r->dur_ns;
	s->calls++;
	s->total_ns += r->dur_ns;
	s->hist[hist_bucket(r->dur_ns)]++;
	if (r->ret < 0 && r->ret >= -4095) {
		s->errors++;
		return count_errno(ta, r->abi, r->nr, (uint32_t)-r->ret);
	}
	return 0;
}

static void set_task(struct gt_task *d, const struct gt_records_task *t)
{
	d->tid = t->tid;
	d->tgid = t->tgid;
	d->ppid = t->ppid;
	d->flags = t->flags;
	d->exit_code = t->exit_code;
	d->start_ns = t->start_ns;
	d->exit_ns = t->exit_ns;
	d->rss_peak = t->rss_peak;
	d->vm_peak = t->vm_peak;
	memcpy(d->comm, t->comm, sizeof(d->comm));
	d->comm[sizeof(d->comm) - 1] = 0;
}

/* The file's records into @a; its trailer's tasks first, in its order. */
static int read_all(struct gt_records_file *f, struct acc *a,
		    struct gt_records_error *re, struct gt_input_error *ie,
		    const char *path)
{
	const struct gtrace_record *r;
	uint64_t n = 0;
	unsigned int ring;
	int k;

	while ((k = gt_records_file_next(f, &r, &ring, re)) > 0) {
		n++;
		if (r->abi >= __GTRACE_ABI_MAX)
			return gti_input_error(ie, path, 0,
					       "offset %llu: record %llu: ABI %u unknown",
					       (unsigned long long)gt_records_file_offset(f),
					       (unsigned long long)n, r->abi);
		k = account(a, r);
		if (k)
			return k;
	}
	return k;
}

int gt_trace_load_records(const char *path, struct gt_trace **out,
			  struct gt_input_error *ie)
{
	const struct gt_records_header *h;
	const struct gt_records_trailer *t;
	struct gt_trace_origin o = { 0 };
	struct gt_records_error re;
	struct gt_records_file *f;
	struct acc a = { 0 };
	size_t i, j;
	int err;

	*out = NULL;
	memset(ie, 0, sizeof(*ie));
	snprintf(ie->file, sizeof(ie->file), "%s", path);
	err = gt_records_file_open(path, &f, &re);
	if (err) {
		/* re.msg is "FILE: ...": the part after the file name. */
		size_t skip = strlen(path) + 2;

		snprintf(ie->msg, sizeof(ie->msg), "%s",
			 strlen(re.msg) > skip ? re.msg + skip : strerror(-err));
		return err;
	}
	a.st = calloc(1, sizeof(*a.st));
	err = a.st ? 0 : -ENOMEM;
	/* The trailer comes last: tasks are put in its order afterwards. */
	if (!err)
		err = read_all(f, &a, &re, ie, path);
	if (err == -EINVAL && !ie->msg[0])
		snprintf(ie->msg, sizeof(ie->msg), "%s", re.msg + strlen(path) + 2);
	else if (err && err != -EINVAL && !ie->msg[0])
		snprintf(ie->msg, sizeof(ie->msg), "%s", strerror(-err));
	h = gt_records_file_header(f);
	t = gt_records_file_trailer(f);
	for (i = 0; !err && i < t->nr_tasks; i++) {
		size_t idx;

		for (j = 0; j < a.st->nr_tasks; j++)
			if (a.st->tasks[j].tid == t->tasks[i].tid)
				break;
		if (j == a.st->nr_tasks) {
			err = add_task(&a, t->tasks[i].tid, &idx);
			j = idx;
		}
		if (!err)
			set_task(&a.st->tasks[j], &t->tasks[i]);
	}
	for (i = 0; a.st && i < a.st->nr_tasks; i++) {
		struct gt_task *k = &a.st->tasks[i];

		free(a.ta[i].dense);
		if (k->nr_syscalls)
			qsort(k->syscalls, k->nr_syscalls, sizeof(*k->syscalls),
			      gt_syscall_stat_cmp);
		if (k->nr_errnos)
			qsort(k->errnos, k->nr_errnos, sizeof(*k->errnos),
			      gt_errno_stat_cmp);
	}
	free(a.ta);
	if (err) {
		if (err == -ENOMEM && !ie->msg[0])
			snprintf(ie->msg, sizeof(ie->msg), "%s", strerror(ENOMEM));
		gt_stats_free(a.st);
		gt_records_file_close(f);
		return err;
	}
	o.command = h->command;
	o.kernel = t->kernel;
	o.module_version = t->module_version;
	o.start_ns = h->start_ns;
	o.t0 = h->t0_ns;
	o.t_end = t->t_end_ns > h->t0_ns ? t->t_end_ns : h->t0_ns;
	o.root = h->root;
	o.attached = t->flags & GT_RECORDS_ATTACHED;
	o.wait_status = t->wait_status;
	o.records = t->records;
	o.drops = t->dropped;
	o.tasks_lost = t->tasks_lost;
	o.calls_lost = t->calls_lost;
	o.no_drops = h->flags & GTRACE_F_NO_DROPS;
	o.waits = t->waits;
	o.wait_ns = t->wait_ns;
	err = gt_trace_from_stats(&o, a.st, out);
	gt_records_file_close(f);
	if (err)
		snprintf(ie->msg, sizeof(ie->msg), "%s", strerror(-err));
	return err;
}
