// SPDX-License-Identifier: GPL-2.0
/*
 * Golden diffs: a trace against its golden trace, per syscall and per
 * (syscall, errno).
 *
 * The golden trace is the reference behaviour. A syscall or an error the
 * golden trace does not have is a regression, and so is a count that moved
 * by more than the tolerance in either direction (a program that stopped
 * writing its output is as suspect as one that writes it twice): the fix
 * for an intended change is a new golden trace (--update-golden). Time is
 * compared only when asked (--timing), and only getting slower counts.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_check.h"
#include "trace_internal.h"

static double change(uint64_t golden, uint64_t cur)
{
	if (!golden)
		return cur ? INFINITY : 0;
	return ((double)cur - (double)golden) / (double)golden * 100;
}

static void judge(struct gt_diff_row *r, const struct gt_diff_opts *o)
{
	r->calls_pct = change(r->golden_calls, r->current_calls);
	r->ns_pct = change(r->golden_ns, r->current_ns);
	r->regression = true;
	if (!r->golden_calls && r->current_calls)
		r->kind = GT_DIFF_NEW;
	else if (r->golden_calls && !r->current_calls)
		r->kind = GT_DIFF_GONE;
	else if (r->calls_pct > o->tolerance_pct)
		r->kind = GT_DIFF_MORE;
	else if (r->calls_pct < -o->tolerance_pct)
		r->kind = GT_DIFF_FEWER;
	else if (o->timing && !r->err && r->ns_pct > o->tolerance_pct)
		r->kind = GT_DIFF_SLOWER;
	else {
		r->kind = GT_DIFF_SAME;
		r->regression = false;
	}
}

static struct gt_diff_row *new_row(struct gt_diff *d)
{
	struct gt_diff_row *r = gti_grow(d->rows, d->nr_rows, sizeof(*r));

	if (!r)
		return NULL;
	d->rows = r;
	r = &d->rows[d->nr_rows++];
	memset(r, 0, sizeof(*r));
	return r;
}

static int row_cmp(const void *a, const void *b)
{
	const struct gt_diff_row *x = a, *y = b;

	if ((x->err != 0) != (y->err != 0))
		return x->err ? 1 : -1;		/* syscalls first */
	return gt_key_cmp(x->abi, x->nr, x->err, y->abi, y->nr, y->err);
}

/*
 * A diff joins the two summaries' syscalls, then their (syscall, errno)
 * counts, the same way: as counts under a key (abi, nr, err), err 0 for a
 * syscall; an errno count has no time.
 */
struct count {
	uint8_t abi;
	uint32_t nr;
	uint32_t err;
	uint64_t calls;
	uint64_t ns;
};

/* Count @i of @s's syscalls (@errnos: errnos) in *@k; false past the end. */
static bool count_at(const struct gt_summary *s, bool errnos, size_t i,
		     struct count *k)
{
	if (i >= (errnos ? s->nr_errnos : s->nr_syscalls))
		return false;
	if (errnos) {
		const struct gt_errno_stat *e = &s->errnos[i];

		*k = (struct count){ .abi = e->abi, .nr = e->nr, .err = e->err,
				     .calls = e->count };
	} else {
		const struct gt_syscall_stat *x = &s->syscalls[i];

		*k = (struct count){ .abi = x->abi, .nr = x->nr,
				     .calls = x->calls, .ns = x->total_ns };
	}
	return true;
}

/* @s's count under @key's key in *@k; false, and nothing counted, if none. */
static bool count_find(const struct gt_summary *s, bool errnos,
		       const struct count *key, struct count *k)
{
	const struct gt_syscall_stat *x;
	size_t i;

	if (errnos) {
		for (i = 0; count_at(s, true, i, k); i++)
			if (k->abi == key->abi && k->nr == key->nr &&
			    k->err == key->err)
				return true;
	} else {
		x = gt_summary_find(s, key->abi, key->nr);
		if (x)
			return count_at(s, false, (size_t)(x - s->syscalls), k);
	}
	*k = (struct count){ 0 };
	return false;
}

/*
 * Rows for every syscall (@errnos: every errno count) of the golden @g, and
 * for those of @c that @g lacks; none for one that made no call on either
 * side.
 */
static int add_rows(struct gt_diff *d, const struct gt_summary *g,
		    const struct gt_summary *c, bool errnos)
{
	const struct gt_summary *side[2] = { g, c };
	struct count k[2];	/* golden, current */
	struct gt_diff_row *r;
	size_t s, i;
	bool found;

	for (s = 0; s < 2; s++) {
		for (i = 0; count_at(side[s], errnos, i, &k[s]); i++) {
			found = count_find(side[!s], errnos, &k[s], &k[!s]);
			if (s == 1 && found)
				continue;	/* done from the golden side */
			if (!k[0].calls && !k[1].calls)
				continue;
			r = new_row(d);
			if (!r)
				return -ENOMEM;
			r->abi = k[s].abi;
			r->nr = k[s].nr;
			r->err = k[s].err;
			r->golden_calls = k[0].calls;
			r->golden_ns = k[0].ns;
			r->current_calls = k[1].calls;
			r->current_ns = k[1].ns;
		}
	}
	return 0;
}

int gt_diff_traces(const struct gt_trace *golden, const struct gt_trace *cur,
		   const struct gt_diff_opts *o, struct gt_diff **out)
{
	struct gt_diff *d;
	size_t i;
	int ret;

	*out = NULL;
	if (!golden || !cur || !golden->sum || !cur->sum || !o ||
	    !(o->tolerance_pct >= 0))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	ret = add_rows(d, golden->sum, cur->sum, false);
	if (!ret)
		ret = add_rows(d, golden->sum, cur->sum, true);
	if (ret) {
		gt_diff_free(d);
		return ret;
	}
	if (d->nr_rows)
		qsort(d->rows, d->nr_rows, sizeof(*d->rows), row_cmp);
	for (i = 0; i < d->nr_rows; i++) {
		judge(&d->rows[i], o);
		d->regressions += d->rows[i].regression;
	}
	*out = d;
	return 0;
}

void gt_diff_free(struct gt_diff *d)
{
	if (!d)
		return;
	free(d->rows);
	free(d);
}

/* "write", "ia32:write", "openat ENOENT" */
static void row_label(char *buf, size_t len, const struct gt_diff_row *r)
{
	char sc[64];

	gti_sc_fullname(sc, sizeof(sc), r->abi, r->nr);
	if (!r->err) {
		snprintf(buf, len, "%s", sc);
	} else {
		const char *e = gt_errno_name(r->err);

		if (e)
			snprintf(buf, len, "%s %s", sc, e);
		else
			snprintf(buf, len, "%s errno %u", sc, r->err);
	}
}

static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t o = strlen(buf);
	va_list ap;

	if (o + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + o, len - o, fmt, ap);
	va_end(ap);
}

void gt_diff_row_message(const struct gt_diff_row *r,
			 const struct gt_diff_opts *o, char *buf, size_t len)
{
	const char *what = r->err ? "errors" : "calls";
	char label[96], pct[32], tol[32], gt[32], ct[32];

	row_label(label, sizeof(label), r);
	gti_fmt_num(tol, sizeof(tol), o->tolerance_pct, 3);
	buf[0] = '\0';
	switch (r->kind) {
	case GT_DIFF_NEW:
		append(buf, len, "%s: new %s, %" PRIu64 " %s (none in the golden trace)",
		       label, r->err ? "error" : "syscall", r->current_calls,
		       what);
		return;
	case GT_DIFF_GONE:
		append(buf, len, "%s: no %s, golden %" PRIu64 " (-100%%, tolerance %s%%)",
		       label, what, r->golden_calls, tol);
		return;
	case GT_DIFF_SLOWER:
		gt_fmt_duration(gt, sizeof(gt), r->golden_ns);
		gt_fmt_duration(ct, sizeof(ct), r->current_ns);
		gt_fmt_pct(pct, sizeof(pct), r->ns_pct);
		append(buf, len, "%s: %s in %" PRIu64 " calls, golden %s: %s time (tolerance %s%%)",
		       label, ct, r->current_calls, gt, pct, tol);
		return;
	default:
		gt_fmt_pct(pct, sizeof(pct), r->calls_pct);
		append(buf, len, "%s: %" PRIu64 " %s, golden %" PRIu64 ": %s",
		       label, r->current_calls, what, r->golden_calls, pct);
		if (r->regression)
			append(buf, len, " (tolerance %s%%)", tol);
		return;
	}
}

static const char *kind_name(const struct gt_diff_row *r)
{
	switch (r->kind) {
	case GT_DIFF_SAME: return "ok";
	case GT_DIFF_MORE: return "REGRESSION: more";
	case GT_DIFF_FEWER: return "REGRESSION: fewer";
	case GT_DIFF_NEW: return r->err ? "REGRESSION: new error" :
				 "REGRESSION: new syscall";
	case GT_DIFF_GONE: return "REGRESSION: gone";
	case GT_DIFF_SLOWER: return "REGRESSION: slower";
	}
	return "?";
}

int gt_diff_print(const struct gt_diff *d, const struct gt_diff_opts *o,
		  FILE *out)
{
	char label[96], pct[32], gt[32], ct[32], tol[32], msg[256];
	size_t i, rows = 0;

	fprintf(out, "%-24s %10s %10s %9s", "syscall", "golden", "current",
		"change");
	if (o->timing)
		fprintf(out, " %12s %12s %9s", "golden time", "current time",
			"change");
	fprintf(out, "  verdict\n");
	for (i = 0; i < d->nr_rows; i++) {
		const struct gt_diff_row *r = &d->rows[i];

		row_label(label, sizeof(label), r);
		if (r->kind == GT_DIFF_NEW)
			snprintf(pct, sizeof(pct), "new");
		else
			gt_fmt_pct(pct, sizeof(pct), r->calls_pct);
		fprintf(out, "%-24s %10" PRIu64 " %10" PRIu64 " %9s", label,
			r->golden_calls, r->current_calls, pct);
		if (o->timing && !r->err) {
			gt_fmt_duration(gt, sizeof(gt), r->golden_ns);
			gt_fmt_duration(ct, sizeof(ct), r->current_ns);
			if (r->golden_ns)
				gt_fmt_pct(pct, sizeof(pct), r->ns_pct);
			else
				snprintf(pct, sizeof(pct), "-");
			fprintf(out, " %12s %12s %9s", gt, ct, pct);
		} else if (o->timing) {
			fprintf(out, " %12s %12s %9s", "", "", "");
		}
		fprintf(out, "  %s\n", kind_name(r));
		rows++;
	}
	for (i = 0; i < d->nr_rows; i++) {
		if (!d->rows[i].regression)
			continue;
		gt_diff_row_message(&d->rows[i], o, msg, sizeof(msg));
		fprintf(out, "❌ Regression: %s\n", msg);
	}
	gti_fmt_num(tol, sizeof(tol), o->tolerance_pct, 3);
	if (d->regressions)
		fprintf(out, "Golden diff FAILED: %zu regression%s (tolerance %s%%%s)\n",
			d->regressions, d->regressions == 1 ? "" : "s", tol,
			o->timing ? ", timing" : "");
	else
		fprintf(out, "✅ Golden diff passed: %zu rows within tolerance %s%%%s\n",
			rows, tol, o->timing ? " (timing compared)" : "");
	return d->regressions != 0;
}

void gt_diff_check(const struct gt_diff *d, const struct gt_diff_opts *o,
		   struct gt_check *c)
{
	char msg[256], tol[32];
	size_t i;

	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "golden diff");
	snprintf(c->type, sizeof(c->type), "golden_diff");
	gti_fmt_num(tol, sizeof(tol), o->tolerance_pct, 3);
	snprintf(c->budget, sizeof(c->budget),
		 "no new syscalls or errors, counts%s within %s%%",
		 o->timing ? " and time" : "", tol);
	if (!d->regressions) {
		c->verdict = GT_VERDICT_PASS;
		snprintf(c->actual, sizeof(c->actual), "%zu rows match",
			 d->nr_rows);
		return;
	}
	c->verdict = GT_VERDICT_FAIL;
	snprintf(c->actual, sizeof(c->actual), "%zu regression%s",
		 d->regressions, d->regressions == 1 ? "" : "s");
	for (i = 0; i < d->nr_rows; i++) {
		if (!d->rows[i].regression)
			continue;
		gt_diff_row_message(&d->rows[i], o, msg, sizeof(msg));
		if (!c->excess[0]) {
			/* The first regression's own excess, as in assertions. */
			if (d->rows[i].kind == GT_DIFF_SLOWER)
				gt_fmt_pct(c->excess, sizeof(c->excess),
					    d->rows[i].ns_pct);
			else if (d->rows[i].kind == GT_DIFF_NEW)
				snprintf(c->excess, sizeof(c->excess), "new");
			else
				gt_fmt_pct(c->excess, sizeof(c->excess),
					    d->rows[i].calls_pct);
		}
		append(c->detail, sizeof(c->detail), "%s%s",
		       c->detail[0] ? "; " : "", msg);
	}
}
