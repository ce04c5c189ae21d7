// SPDX-License-Identifier: GPL-2.0
/*
 * Reports of a gt_trace: strace -c's summary table and CSV.
 *
 * The table is strace's, column for column: "% time", seconds (rounded to
 * microseconds), usecs/call (truncated, from nanoseconds), calls, errors
 * (blank when none), the name; dashes, and a "total" row. Like strace with
 * several personalities, each syscall ABI gets its own table: the native
 * x86_64 one first, then "System call usage summary for 32 bit mode:" for
 * ia32 and one for x32. Below come what strace has no column for: wall
 * time, peak RSS, exit status, tasks and ring records and drops (and in
 * lossless mode the time the traced threads waited for room). The
 * per-call lines are record_fmt.c's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "trace_internal.h"

int gt_sort_key_parse(const char *name)
{
	static const struct {
		const char *name;
		int key;
	} keys[] = {
		{ "time", GT_SORT_TIME },
		{ "total-time", GT_SORT_TIME },
		{ "time-total", GT_SORT_TIME },
		{ "calls", GT_SORT_CALLS },
		{ "count", GT_SORT_CALLS },
		{ "errors", GT_SORT_ERRORS },
		{ "name", GT_SORT_NAME },
		{ "syscall", GT_SORT_NAME },
		{ "nothing", GT_SORT_NOTHING },
		{ "none", GT_SORT_NOTHING },
	};
	size_t i;

	for (i = 0; i < GTI_ARRAY_SIZE(keys); i++)
		if (!strcmp(name, keys[i].name))
			return keys[i].key;
	return -EINVAL;
}

/* ---- rows ------------------------------------------------------------- */

struct row {
	const struct gt_syscall_stat *s;
	const char *name;
	char buf[32];
};

static int cmp_name(const struct row *a, const struct row *b)
{
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	if (a->s->abi != b->s->abi)
		return a->s->abi < b->s->abi ? -1 : 1;
	return a->s->nr < b->s->nr ? -1 : a->s->nr > b->s->nr;
}

/* Largest first, then by name. */
#define DESC(x, y)	((x) > (y) ? -1 : (x) < (y) ? 1 : 0)

static int cmp_time(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = DESC(a->s->total_ns, b->s->total_ns);

	if (!c)
		c = DESC(a->s->calls, b->s->calls);
	return c ? c : cmp_name(a, b);
}

static int cmp_calls(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = DESC(a->s->calls, b->s->calls);

	return c ? c : cmp_name(a, b);
}

static int cmp_errors(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = DESC(a->s->errors, b->s->errors);

	return c ? c : cmp_name(a, b);
}

static int cmp_names(const void *pa, const void *pb)
{
	return cmp_name(pa, pb);
}

static int cmp_nothing(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->s->abi != b->s->abi)
		return a->s->abi < b->s->abi ? -1 : 1;
	return a->s->nr < b->s->nr ? -1 : a->s->nr > b->s->nr;
}

/*
 * The syscalls of @v (of ABI @abi, or all with -1) in report order.
 * Returns the number of rows, -ENOMEM; *@out to free.
 */
static long make_rows(const struct gt_syscall_stat *v, size_t n, int abi,
		      int sort, struct row **out)
{
	int (*cmp)(const void *, const void *) = cmp_time;
	struct row *rows;
	size_t i, k = 0;

	*out = NULL;
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (abi >= 0 && v[i].abi != abi)
			continue;
		rows[k].s = &v[i];
		rows[k].name = gti_sc_label(v[i].abi, v[i].nr, rows[k].buf,
					    sizeof(rows[k].buf));
		k++;
	}
	switch (sort) {
	case GT_SORT_CALLS:
		cmp = cmp_calls;
		break;
	case GT_SORT_ERRORS:
		cmp = cmp_errors;
		break;
	case GT_SORT_NAME:
		cmp = cmp_names;
		break;
	case GT_SORT_NOTHING:
		cmp = cmp_nothing;
		break;
	}
	qsort(rows, k, sizeof(*rows), cmp);
	*out = rows;
	return (long)k;
}

/* ---- text -------------------------------------------------------------- */

static const char dashes[] =
	"------ ----------- ----------- --------- --------- ----------------\n";

static void table(FILE *out, const struct row *rows, size_t n)
{
	uint64_t calls = 0, errors = 0, ns = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		calls += rows[i].s->calls;
		errors += rows[i].s->errors;
		ns += rows[i].s->total_ns;
	}
	fprintf(out, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time",
		"seconds", "usecs/call", "calls", "errors", "syscall");
	fputs(dashes, out);
	for (i = 0; i < n; i++) {
		const struct gt_syscall_stat *s = rows[i].s;

		fprintf(out, "%6.2f %11.6f %11" PRIu64 " %9" PRIu64 " %9.0" PRIu64
			" %s\n", ns ? 100.0 * (double)s->total_ns / (double)ns : 0.0,
			(double)s->total_ns / 1e9,
			s->calls ? s->total_ns / s->calls / 1000 : 0,
			s->calls, s->errors, rows[i].name);
	}
	fputs(dashes, out);
	fprintf(out, "%6.6s %11.6f %11" PRIu64 " %9" PRIu64 " %9.0" PRIu64 " %s\n",
		"100.00", (double)ns / 1e9, calls ? ns / calls / 1000 : 0,
		calls, errors, "total");
}

/* Upper bound of quantile @q of @s, capped by its largest call, in us. */
static const char *quantile(const struct gt_syscall_stat *s, double q,
			    char *buf, size_t len)
{
	uint64_t v = gt_hist_quantile(s->hist, q);

	if (!v)
		return "-";	/* no histogram (a file saved without) */
	if (v > s->max_ns)
		v = s->max_ns;
	snprintf(buf, len, "%.3f", (double)v / 1e3);
	return buf;
}

static void latency_table(FILE *out, const struct row *rows, size_t n)
{
	char b50[32], b90[32], b99[32];
	size_t i;

	fprintf(out, "\n%11s %11s %11s %11s %s\n", "p50 usecs", "p90 usecs",
		"p99 usecs", "max usecs", "syscall");
	fputs("----------- ----------- ----------- ----------- ----------------\n",
	      out);
	for (i = 0; i < n; i++) {
		const struct gt_syscall_stat *s = rows[i].s;

		fprintf(out, "%11s %11s %11s %11.3f %s\n",
			quantile(s, 0.50, b50, sizeof(b50)),
			quantile(s, 0.90, b90, sizeof(b90)),
			quantile(s, 0.99, b99, sizeof(b99)),
			(double)s->max_ns / 1e3, rows[i].name);
	}
}

static const char *const abi_heading[__GTRACE_ABI_MAX] = {
	[GTRACE_ABI_IA32] = "System call usage summary for 32 bit mode:",
	[GTRACE_ABI_X32] = "System call usage summary for x32 mode:",
};

/* One table per ABI that made calls; the native one always. */
static int tables(FILE *out, const struct gt_syscall_stat *v, size_t n,
		  const struct gt_report_opts *o)
{
	struct row *rows;
	unsigned int abi;
	long k;

	for (abi = 0; abi < __GTRACE_ABI_MAX; abi++) {
		k = make_rows(v, n, (int)abi, o->sort, &rows);
		if (k < 0)
			return (int)k;
		if (k || abi == GTRACE_ABI_X86_64) {
			if (abi_heading[abi])
				fprintf(out, "\n%s\n", abi_heading[abi]);
			table(out, rows, (size_t)k);
			if (o->percentiles && k)
				latency_table(out, rows, (size_t)k);
		}
		free(rows);
	}
	return 0;
}

static void bytes(FILE *out, uint64_t b)
{
	char buf[64];

	gt_fmt_bytes(buf, sizeof(buf), b);
	fputs(buf, out);
}

static void status(FILE *out, uint32_t st)
{
	if (WIFSIGNALED(st))
		fprintf(out, "killed by signal %d (%s)", WTERMSIG(st),
			sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
	else
		fprintf(out, "exited %d", WEXITSTATUS(st));
}

static void task_heading(FILE *out, const struct gt_task *t)
{
	fprintf(out, "task %" PRIu32 " (%s): tgid %" PRIu32 ", ppid %" PRIu32,
		t->tid, t->comm, t->tgid, t->ppid);
	if (t->flags & GTRACE_TF_EXITED) {
		fputs(", ", out);
		status(out, t->exit_code);
	}
	if (t->rss_peak) {
		fputs(", peak RSS ", out);
		bytes(out, t->rss_peak);
	}
	if (t->flags & GTRACE_TF_TRUNCATED)
		fputs(", some syscalls not stored", out);
	fputs("\n", out);
}

static void footer(FILE *out, const struct gt_trace *tr,
		   const struct gt_summary *sum)
{
	fprintf(out, "\n%-12s %.6f s\n", "wall time", (double)tr->wall_ns / 1e9);
	fprintf(out, "%-12s ", "peak RSS");
	bytes(out, sum->rss_peak);
	fprintf(out, "\n%-12s ", "exit status");
	if (tr->exit_signal)
		fprintf(out, "killed by signal %d (%s)\n", tr->exit_signal,
			sigabbrev_np(tr->exit_signal) ?
			sigabbrev_np(tr->exit_signal) : "?");
	else
		fprintf(out, "%d\n", tr->exit_code);
	fprintf(out, "%-12s %zu\n", "tasks", sum->nr_tasks);
	fprintf(out, "%-12s %" PRIu64 " read, %" PRIu64 " dropped\n", "records",
		tr->records, tr->drops);
	if (tr->no_drops)
		fprintf(out, "%-12s %.3f s in %" PRIu64 " waits (--no-drops)\n",
			"waited", (double)tr->wait_ns / 1e9, tr->waits);
	if (tr->tasks_lost || tr->calls_lost || sum->calls_lost)
		fprintf(out, "%-12s %" PRIu64 " tasks, %" PRIu64
			" calls not counted (module limits)\n", "lost",
			tr->tasks_lost,
			tr->calls_lost > sum->calls_lost ? tr->calls_lost :
			sum->calls_lost);
}

/*
 * report() - what the text and the CSV report share: the default options
 * when @o is NULL, the trace's summary (or one made for the call and freed
 * after it), then @body; -EIO when @out could not be written.
 */
static int report(const struct gt_trace *tr, const struct gt_report_opts *o,
		  FILE *out,
		  int (*body)(FILE *out, const struct gt_trace *tr,
			      const struct gt_summary *sum,
			      const struct gt_report_opts *o))
{
	static const struct gt_report_opts dflt = GT_REPORT_OPTS_INIT;
	static const struct gt_stats empty;
	const struct gt_stats *st = tr->stats ? tr->stats : &empty;
	const struct gt_summary *sum = tr->sum;
	struct gt_summary *tmp = NULL;
	int err;

	if (!o)
		o = &dflt;
	if (!sum) {
		if (gt_stats_summarize(st, &tmp) < 0)
			return -ENOMEM;
		sum = tmp;
	}
	err = body(out, tr, sum, o);
	gt_summary_free(tmp);
	if (!err && (fflush(out) || ferror(out)))
		err = -EIO;
	return err;
}

static int text_body(FILE *out, const struct gt_trace *tr,
		     const struct gt_summary *sum,
		     const struct gt_report_opts *o)
{
	size_t i;
	int err = 0;

	if (o->per_task && tr->stats) {
		for (i = 0; i < tr->stats->nr_tasks && !err; i++) {
			const struct gt_task *t = &tr->stats->tasks[i];

			task_heading(out, t);
			err = tables(out, t->syscalls, t->nr_syscalls, o);
			fputs("\n", out);
		}
		if (!err)
			fprintf(out, "all %zu tasks:\n", sum->nr_tasks);
	}
	if (!err)
		err = tables(out, sum->syscalls, sum->nr_syscalls, o);
	if (!err)
		footer(out, tr, sum);
	return err;
}

int gt_report_text(const struct gt_trace *tr, const struct gt_report_opts *o,
		   FILE *out)
{
	return report(tr, o, out, text_body);
}

/* ---- CSV --------------------------------------------------------------- */

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static uint64_t csv_quantile(const struct gt_syscall_stat *s, double q)
{
	uint64_t v = gt_hist_quantile(s->hist, q);

	return v > s->max_ns ? s->max_ns : v;
}

static int csv_rows(FILE *out, const struct gt_task *t,
		    const struct gt_syscall_stat *v, size_t n,
		    const struct gt_report_opts *o)
{
	uint64_t ns = 0;
	struct row *rows;
	long k, i;

	k = make_rows(v, n, -1, o->sort, &rows);
	if (k < 0)
		return (int)k;
	for (i = 0; i < k; i++)
		ns += rows[i].s->total_ns;
	for (i = 0; i < k; i++) {
		const struct gt_syscall_stat *s = rows[i].s;

		if (t) {
			fprintf(out, "%" PRIu32 ",%" PRIu32 ",", t->tid, t->tgid);
			csv_field(out, t->comm);
			fputc(',', out);
		}
		fprintf(out, "%s,%s,%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%.2f", rows[i].name,
			gt_abi_name(s->abi), s->nr, s->calls, s->errors,
			s->total_ns, s->min_ns, s->max_ns,
			s->calls ? s->total_ns / s->calls : 0,
			ns ? 100.0 * (double)s->total_ns / (double)ns : 0.0);
		if (o->percentiles)
			fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64,
				csv_quantile(s, 0.50), csv_quantile(s, 0.90),
				csv_quantile(s, 0.99));
		fputs("\r\n", out);
	}
	free(rows);
	return 0;
}

static int csv_body(FILE *out, const struct gt_trace *tr,
		    const struct gt_summary *sum,
		    const struct gt_report_opts *o)
{
	size_t i;
	int err = 0;

	if (o->per_task)
		fputs("tid,tgid,comm,", out);
	fputs("syscall,abi,nr,calls,errors,total_ns,min_ns,max_ns,avg_ns,time_pct",
	      out);
	fputs(o->percentiles ? ",p50_ns,p90_ns,p99_ns\r\n" : "\r\n", out);
	if (o->per_task && tr->stats) {
		for (i = 0; i < tr->stats->nr_tasks && !err; i++) {
			const struct gt_task *t = &tr->stats->tasks[i];

			err = csv_rows(out, t, t->syscalls, t->nr_syscalls, o);
		}
	} else if (!o->per_task) {
		err = csv_rows(out, NULL, sum->syscalls, sum->nr_syscalls, o);
	}
	return err;
}

int gt_report_csv(const struct gt_trace *tr, const struct gt_report_opts *o,
		  FILE *out)
{
	return report(tr, o, out, csv_body);
}
