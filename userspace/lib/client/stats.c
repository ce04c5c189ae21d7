// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding the STATS_GET dump and adding stats up.
 *
 * The module sends one GTRACE_A_TASK nest per message. A task with more
 * counters than fit in one message comes in several consecutive messages
 * with the same tid, each holding a part of its repeated SYSCALL / IO /
 * ERRNO nests (and possibly its scalar attributes again). We merge those
 * parts by tid: a message with a known tid extends that task, unless both
 * carry a start time and the times differ, in which case the tid was
 * reused by a new thread and starts a new task.
 *
 * Every nest is parsed with nla_parse_nested() and a policy that gives
 * each fixed-size attribute its exact length. Attribute types newer than
 * this library are skipped, as netlink's forward compatibility wants;
 * anything malformed (wrong length, truncated nest, trailing bytes, a
 * missing key attribute, an enum value out of range) fails the whole dump
 * with -EBADMSG rather than yield half-read numbers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

static const struct nla_policy task_policy[GTRACE_A_TASK_MAX + 1] = {
#define GTRACE_TASK_ATTR GTI_POL
#include <linux/gtrace.h>
#undef GTRACE_TASK_ATTR
};

static const struct nla_policy sc_policy[GTRACE_A_SC_MAX + 1] = {
#define GTRACE_SC_ATTR GTI_POL
#include <linux/gtrace.h>
#undef GTRACE_SC_ATTR
};

static const struct nla_policy io_policy[GTRACE_A_IO_MAX + 1] = {
#define GTRACE_IO_ATTR GTI_POL
#include <linux/gtrace.h>
#undef GTRACE_IO_ATTR
};

static const struct nla_policy err_policy[GTRACE_A_ERR_MAX + 1] = {
#define GTRACE_ERR_ATTR GTI_POL
#include <linux/gtrace.h>
#undef GTRACE_ERR_ATTR
};

/* Largest errno the kernel returns from a syscall (MAX_ERRNO). */
#define GTI_MAX_ERRNO	4095

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

/* Parse @nest with @policy; it must fill its length exactly. */
static int parse_nest(struct nlattr **tb, int max, struct nlattr *nest,
		      const struct nla_policy *policy)
{
	if (nla_parse_nested(tb, max, nest, policy) < 0)
		return -EBADMSG;
	return gti_check_nest(nest);
}

/* ---- merging ----------------------------------------------------------- */

void gt_hist_merge(uint64_t dst[GTRACE_HIST_BUCKETS],
		   const uint64_t src[GTRACE_HIST_BUCKETS])
{
	unsigned int i;

	for (i = 0; i < GTRACE_HIST_BUCKETS; i++)
		dst[i] += src[i];
}

void gt_syscall_stat_merge(struct gt_syscall_stat *dst,
			   const struct gt_syscall_stat *src)
{
	if (!src->calls)
		return;
	if (!dst->calls || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->calls += src->calls;
	dst->errors += src->errors;
	dst->total_ns += src->total_ns;
	gt_hist_merge(dst->hist, src->hist);
}

int gt_key_cmp(uint8_t abi_a, uint32_t nr_a, uint32_t err_a,
	       uint8_t abi_b, uint32_t nr_b, uint32_t err_b)
{
	if (abi_a != abi_b)
		return abi_a < abi_b ? -1 : 1;
	if (nr_a != nr_b)
		return nr_a < nr_b ? -1 : 1;
	if (err_a != err_b)
		return err_a < err_b ? -1 : 1;
	return 0;
}

int gt_syscall_stat_cmp(const void *a, const void *b)
{
	const struct gt_syscall_stat *x = a, *y = b;

	return gt_key_cmp(x->abi, x->nr, 0, y->abi, y->nr, 0);
}

int gt_errno_stat_cmp(const void *a, const void *b)
{
	const struct gt_errno_stat *x = a, *y = b;

	return gt_key_cmp(x->abi, x->nr, x->err, y->abi, y->nr, y->err);
}

/* Sort by (abi, nr) and fold duplicates together; returns the new count. */
static size_t sc_coalesce(struct gt_syscall_stat *v, size_t n)
{
	size_t i, j = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), gt_syscall_stat_cmp);
	for (i = 1; i < n; i++) {
		if (!gt_syscall_stat_cmp(&v[j], &v[i]))
			gt_syscall_stat_merge(&v[j], &v[i]);
		else
			v[++j] = v[i];
	}
	return j + 1;
}

static size_t err_coalesce(struct gt_errno_stat *v, size_t n)
{
	size_t i, j = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), gt_errno_stat_cmp);
	for (i = 1; i < n; i++) {
		if (!gt_errno_stat_cmp(&v[j], &v[i]))
			v[j].count += v[i].count;
		else
			v[++j] = v[i];
	}
	return j + 1;
}

static void io_add(struct gt_io_stat dst[][__GTRACE_IO_MAX],
		   const struct gt_io_stat src[][__GTRACE_IO_MAX])
{
	unsigned int c, k;

	for (c = 0; c < __GTRACE_FC_MAX; c++) {
		for (k = 0; k < __GTRACE_IO_MAX; k++) {
			dst[c][k].calls += src[c][k].calls;
			dst[c][k].bytes += src[c][k].bytes;
			dst[c][k].ns += src[c][k].ns;
		}
	}
}

/* ---- task nests -------------------------------------------------------- */

static int add_syscall(struct gt_task *t, struct nlattr *nest)
{
	struct nlattr *tb[GTRACE_A_SC_MAX + 1];
	uint32_t hist[GTRACE_HIST_BUCKETS];
	struct gt_syscall_stat *s;
	unsigned int i;

	if (parse_nest(tb, GTRACE_A_SC_MAX, nest, sc_policy) < 0)
		return -EBADMSG;
	if (!tb[GTRACE_A_SC_NR] || !tb[GTRACE_A_SC_ABI] ||
	    nla_get_u8(tb[GTRACE_A_SC_ABI]) >= __GTRACE_ABI_MAX)
		return -EBADMSG;
	s = gti_grow(t->syscalls, t->nr_syscalls, sizeof(*s));
	if (!s)
		return -ENOMEM;
	t->syscalls = s;
	s = &t->syscalls[t->nr_syscalls++];
	memset(s, 0, sizeof(*s));
	s->nr = nla_get_u32(tb[GTRACE_A_SC_NR]);
	s->abi = nla_get_u8(tb[GTRACE_A_SC_ABI]);
	s->calls = get_u64(tb[GTRACE_A_SC_CALLS]);
	s->errors = get_u64(tb[GTRACE_A_SC_ERRORS]);
	s->total_ns = get_u64(tb[GTRACE_A_SC_TOTAL_NS]);
	/* The module starts min_ns at U64_MAX until the first call. */
	s->min_ns = s->calls ? get_u64(tb[GTRACE_A_SC_MIN_NS]) : 0;
	s->max_ns = get_u64(tb[GTRACE_A_SC_MAX_NS]);
	if (tb[GTRACE_A_SC_HIST]) {
		memcpy(hist, nla_data(tb[GTRACE_A_SC_HIST]), sizeof(hist));
		for (i = 0; i < GTRACE_HIST_BUCKETS; i++)
			s->hist[i] = hist[i];
	}
	return 0;
}

static int add_io(struct gt_task *t, struct nlattr *nest)
{
	struct nlattr *tb[GTRACE_A_IO_MAX + 1];
	struct gt_io_stat *io;
	unsigned int c, k;

	if (parse_nest(tb, GTRACE_A_IO_MAX, nest, io_policy) < 0)
		return -EBADMSG;
	if (!tb[GTRACE_A_IO_CLASS] || !tb[GTRACE_A_IO_KIND])
		return -EBADMSG;
	c = nla_get_u8(tb[GTRACE_A_IO_CLASS]);
	k = nla_get_u8(tb[GTRACE_A_IO_KIND]);
	if (c >= __GTRACE_FC_MAX || k >= __GTRACE_IO_MAX)
		return -EBADMSG;
	io = &t->io[c][k];
	io->calls += get_u64(tb[GTRACE_A_IO_CALLS]);
	io->bytes += get_u64(tb[GTRACE_A_IO_BYTES]);
	io->ns += get_u64(tb[GTRACE_A_IO_NS]);
	return 0;
}

static int add_errno(struct gt_task *t, struct nlattr *nest)
{
	struct nlattr *tb[GTRACE_A_ERR_MAX + 1];
	struct gt_errno_stat *e;
	uint32_t err;

	if (parse_nest(tb, GTRACE_A_ERR_MAX, nest, err_policy) < 0)
		return -EBADMSG;
	if (!tb[GTRACE_A_ERR_NR] || !tb[GTRACE_A_ERR_ABI] ||
	    !tb[GTRACE_A_ERR_ERRNO])
		return -EBADMSG;
	err = nla_get_u32(tb[GTRACE_A_ERR_ERRNO]);
	if (!err || err > GTI_MAX_ERRNO ||
	    nla_get_u8(tb[GTRACE_A_ERR_ABI]) >= __GTRACE_ABI_MAX)
		return -EBADMSG;
	e = gti_grow(t->errnos, t->nr_errnos, sizeof(*e));
	if (!e)
		return -ENOMEM;
	t->errnos = e;
	e = &t->errnos[t->nr_errnos++];
	e->nr = nla_get_u32(tb[GTRACE_A_ERR_NR]);
	e->abi = nla_get_u8(tb[GTRACE_A_ERR_ABI]);
	e->err = err;
	e->count = get_u64(tb[GTRACE_A_ERR_COUNT]);
	return 0;
}

static void set_u64(uint64_t *v, struct nlattr *a)
{
	if (a)
		*v = nla_get_u64(a);
}

static void set_u32(uint32_t *v, struct nlattr *a)
{
	if (a)
		*v = nla_get_u32(a);
}

/* Scalars present in this part overwrite earlier ones; flags accumulate. */
static void task_scalars(struct gt_task *t, struct nlattr **tb)
{
	set_u32(&t->tgid, tb[GTRACE_A_TASK_TGID]);
	set_u32(&t->ppid, tb[GTRACE_A_TASK_PPID]);
	if (tb[GTRACE_A_TASK_COMM])
		snprintf(t->comm, sizeof(t->comm), "%s",
			 nla_get_string(tb[GTRACE_A_TASK_COMM]));
	if (tb[GTRACE_A_TASK_FLAGS])
		t->flags |= nla_get_u32(tb[GTRACE_A_TASK_FLAGS]);
	set_u64(&t->start_ns, tb[GTRACE_A_TASK_START_NS]);
	set_u64(&t->exit_ns, tb[GTRACE_A_TASK_EXIT_NS]);
	set_u32(&t->exit_code, tb[GTRACE_A_TASK_EXIT_CODE]);
	set_u64(&t->rss_peak, tb[GTRACE_A_TASK_RSS_PEAK]);
	set_u64(&t->vm_peak, tb[GTRACE_A_TASK_VM_PEAK]);
	set_u64(&t->nvcsw, tb[GTRACE_A_TASK_NVCSW]);
	set_u64(&t->nivcsw, tb[GTRACE_A_TASK_NIVCSW]);
	set_u64(&t->calls_lost, tb[GTRACE_A_TASK_CALLS_LOST]);
}

static int task_nests(struct gt_task *t, struct nlattr *nest)
{
	struct nlattr *a;
	int rem, err = 0;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case GTRACE_A_TASK_SYSCALL:
			err = add_syscall(t, a);
			break;
		case GTRACE_A_TASK_IO:
			err = add_io(t, a);
			break;
		case GTRACE_A_TASK_ERRNO:
			err = add_errno(t, a);
			break;
		}
		if (err < 0)
			return err;
	}
	return 0;
}

/* ---- tid hash ---------------------------------------------------------- */

static uint32_t *tid_slot(struct gti_stats_builder *b, uint32_t tid)
{
	size_t mask = b->nr_slots - 1;
	size_t i = (tid * 0x9E3779B1u) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t *slot = &b->slots[i];

		if (!*slot || b->st->tasks[*slot - 1].tid == tid)
			return slot;
	}
}

/* Keep the hash at most half full; the newest task of a tid wins. */
static int tid_rehash(struct gti_stats_builder *b)
{
	size_t n = b->st->nr_tasks, i;

	if (b->nr_slots && (n + 1) * 2 <= b->nr_slots)
		return 0;
	free(b->slots);
	b->nr_slots = b->nr_slots ? b->nr_slots * 2 : 64;
	b->slots = calloc(b->nr_slots, sizeof(*b->slots));
	if (!b->slots) {
		b->nr_slots = 0;
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		*tid_slot(b, b->st->tasks[i].tid) = i + 1;
	return 0;
}

static struct gt_task *task_new(struct gti_stats_builder *b, uint32_t tid)
{
	struct gt_stats *st = b->st;
	struct gt_task *t;

	if (tid_rehash(b) < 0)
		return NULL;
	t = gti_grow(st->tasks, st->nr_tasks, sizeof(*t));
	if (!t)
		return NULL;
	st->tasks = t;
	t = &st->tasks[st->nr_tasks++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	*tid_slot(b, tid) = st->nr_tasks;
	return t;
}

static struct gt_task *task_for(struct gti_stats_builder *b, struct nlattr **tb)
{
	uint32_t tid = nla_get_u32(tb[GTRACE_A_TASK_TID]);
	uint64_t start = get_u64(tb[GTRACE_A_TASK_START_NS]);
	struct gt_task *t;
	uint32_t *slot;

	if (b->nr_slots) {
		slot = tid_slot(b, tid);
		if (*slot) {
			t = &b->st->tasks[*slot - 1];
			if (!start || !t->start_ns || start == t->start_ns)
				return t;
		}
	}
	return task_new(b, tid);
}

static int parse_task(struct gti_stats_builder *b, struct nlattr *nest)
{
	struct nlattr *tb[GTRACE_A_TASK_MAX + 1];
	struct gt_task *t;

	if (parse_nest(tb, GTRACE_A_TASK_MAX, nest, task_policy) < 0)
		return -EBADMSG;
	if (!tb[GTRACE_A_TASK_TID])
		return -EBADMSG;
	t = task_for(b, tb);
	if (!t)
		return -ENOMEM;
	task_scalars(t, tb);
	return task_nests(t, nest);
}

/* ---- the dump ---------------------------------------------------------- */

int gti_stats_begin(struct gti_stats_builder *b, uint32_t session_id)
{
	memset(b, 0, sizeof(*b));
	b->st = calloc(1, sizeof(*b->st));
	if (!b->st)
		return -ENOMEM;
	b->st->session_id = session_id;
	return 0;
}

int gti_stats_parse_msg(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[GTRACE_A_MAX + 1];
	struct gti_stats_builder *b = arg;
	struct genlmsghdr *ghdr;
	struct nlattr *a;
	int rem, err, tasks = 0;

	err = gti_parse_genl(nlh, tb);
	if (err < 0)
		return err;
	if (tb[GTRACE_A_SESSION_ID] &&
	    nla_get_u32(tb[GTRACE_A_SESSION_ID]) != b->st->session_id)
		return -EBADMSG;
	ghdr = nlmsg_data(nlh);
	nla_for_each_attr(a, genlmsg_attrdata(ghdr, 0),
			  genlmsg_attrlen(ghdr, 0), rem) {
		if (nla_type(a) != GTRACE_A_TASK)
			continue;
		err = parse_task(b, a);
		if (err < 0)
			return err;
		tasks++;
	}
	return tasks ? 0 : -EBADMSG;
}

struct gt_stats *gti_stats_finish(struct gti_stats_builder *b)
{
	struct gt_stats *st = b->st;
	size_t i;

	for (i = 0; i < st->nr_tasks; i++) {
		struct gt_task *t = &st->tasks[i];

		t->nr_syscalls = sc_coalesce(t->syscalls, t->nr_syscalls);
		t->nr_errnos = err_coalesce(t->errnos, t->nr_errnos);
	}
	free(b->slots);
	memset(b, 0, sizeof(*b));
	return st;
}

void gti_stats_abort(struct gti_stats_builder *b)
{
	gt_stats_free(b->st);
	free(b->slots);
	memset(b, 0, sizeof(*b));
}

void gt_stats_free(struct gt_stats *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->nr_tasks; i++) {
		free(st->tasks[i].syscalls);
		free(st->tasks[i].errnos);
	}
	free(st->tasks);
	free(st);
}

int gt_stats_dump(struct gt_client *cl, uint32_t id, struct gt_stats **out)
{
	struct gti_stats_builder b;
	struct nl_msg *msg;
	int err;

	*out = NULL;
	gti_clear_error(cl);
	if (gti_stats_begin(&b, id) < 0)
		return gti_fail(cl, -ENOMEM, NULL);
	msg = gti_msg_new(cl->family, GTRACE_CMD_STATS_GET, NLM_F_DUMP);
	if (!msg || nla_put_u32(msg, GTRACE_A_SESSION_ID, id) < 0) {
		nlmsg_free(msg);
		gti_stats_abort(&b);
		return gti_fail(cl, -ENOMEM, NULL);
	}
	err = gti_transact(cl, msg, gti_stats_parse_msg, &b);
	if (err < 0) {
		gti_stats_abort(&b);
		return err;
	}
	*out = gti_stats_finish(&b);
	return 0;
}

/* ---- summaries --------------------------------------------------------- */

static int sum_syscalls(struct gt_summary *sum, const struct gt_stats *st)
{
	size_t i, n = 0;

	for (i = 0; i < st->nr_tasks; i++)
		n += st->tasks[i].nr_syscalls;
	if (!n)
		return 0;
	sum->syscalls = calloc(n, sizeof(*sum->syscalls));
	if (!sum->syscalls)
		return -ENOMEM;
	for (i = 0; i < st->nr_tasks; i++) {
		const struct gt_task *t = &st->tasks[i];

		if (!t->nr_syscalls)	/* syscalls may be NULL: no memcpy */
			continue;
		memcpy(&sum->syscalls[sum->nr_syscalls], t->syscalls,
		       t->nr_syscalls * sizeof(*t->syscalls));
		sum->nr_syscalls += t->nr_syscalls;
	}
	sum->nr_syscalls = sc_coalesce(sum->syscalls, sum->nr_syscalls);
	for (i = 0; i < sum->nr_syscalls; i++) {
		sum->calls += sum->syscalls[i].calls;
		sum->errors += sum->syscalls[i].errors;
		sum->total_ns += sum->syscalls[i].total_ns;
	}
	return 0;
}

static int sum_errnos(struct gt_summary *sum, const struct gt_stats *st)
{
	size_t i, n = 0;

	for (i = 0; i < st->nr_tasks; i++)
		n += st->tasks[i].nr_errnos;
	if (!n)
		return 0;
	sum->errnos = calloc(n, sizeof(*sum->errnos));
	if (!sum->errnos)
		return -ENOMEM;
	for (i = 0; i < st->nr_tasks; i++) {
		const struct gt_task *t = &st->tasks[i];

		if (!t->nr_errnos)	/* errnos may be NULL: no memcpy */
			continue;
		memcpy(&sum->errnos[sum->nr_errnos], t->errnos,
		       t->nr_errnos * sizeof(*t->errnos));
		sum->nr_errnos += t->nr_errnos;
	}
	sum->nr_errnos = err_coalesce(sum->errnos, sum->nr_errnos);
	return 0;
}

int gt_stats_summarize(const struct gt_stats *st, struct gt_summary **out)
{
	struct gt_summary *sum;
	size_t i;

	*out = NULL;
	sum = calloc(1, sizeof(*sum));
	if (!sum)
		return -ENOMEM;
	if (sum_syscalls(sum, st) < 0 || sum_errnos(sum, st) < 0) {
		gt_summary_free(sum);
		return -ENOMEM;
	}
	sum->nr_tasks = st->nr_tasks;
	for (i = 0; i < st->nr_tasks; i++) {
		const struct gt_task *t = &st->tasks[i];

		io_add(sum->io, t->io);
		sum->calls_lost += t->calls_lost;
		if (t->rss_peak > sum->rss_peak)
			sum->rss_peak = t->rss_peak;
		if (t->vm_peak > sum->vm_peak)
			sum->vm_peak = t->vm_peak;
	}
	*out = sum;
	return 0;
}

void gt_summary_free(struct gt_summary *sum)
{
	if (!sum)
		return;
	free(sum->syscalls);
	free(sum->errnos);
	free(sum);
}

const struct gt_task *gt_stats_task(const struct gt_stats *st, uint32_t tid)
{
	size_t i;

	for (i = 0; i < st->nr_tasks; i++)
		if (st->tasks[i].tid == tid)
			return &st->tasks[i];
	return NULL;
}

const struct gt_syscall_stat *gt_summary_find(const struct gt_summary *sum,
					      uint8_t abi, uint32_t nr)
{
	struct gt_syscall_stat key = { .abi = abi, .nr = nr };

	if (!sum->nr_syscalls)
		return NULL;
	return bsearch(&key, sum->syscalls, sum->nr_syscalls,
		       sizeof(key), gt_syscall_stat_cmp);
}

/* ---- histograms -------------------------------------------------------- */

uint64_t gt_hist_bucket_lo(unsigned int i)
{
	if (i == 0)
		return 0;
	if (i >= GTRACE_HIST_BUCKETS)
		return UINT64_MAX;
	return (uint64_t)1 << i;
}

uint64_t gt_hist_quantile(const uint64_t hist[GTRACE_HIST_BUCKETS], double q)
{
	uint64_t total = 0, target, seen = 0;
	unsigned int i;
	double x;

	for (i = 0; i < GTRACE_HIST_BUCKETS; i++)
		total += hist[i];
	if (!total)
		return 0;
	if (!(q > 0))		/* also NaN */
		q = 0;
	if (q > 1)
		q = 1;
	/* The rank of the quantile: ceil(q * total), at least 1. */
	x = q * (double)total;
	target = (uint64_t)x;
	if ((double)target < x)
		target++;
	if (target < 1)
		target = 1;
	if (target > total)
		target = total;
	for (i = 0; i < GTRACE_HIST_BUCKETS - 1; i++) {
		seen += hist[i];
		if (seen >= target)
			return (uint64_t)2 << i;
	}
	return UINT64_MAX;
}
