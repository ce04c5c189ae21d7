// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts of verdict.h: budget assertions, golden diffs and JUnit
 * reports on a finished trace, for gtrace-run and for gtrace assert and
 * gtrace diff. The logic is libgtrace's (assert.c, diff.c); this file
 * reads the inputs first, reports bad ones as "file:line: message", and
 * turns results into exit codes, a golden file and XML.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "verdict.h"

static int worse(int a, int b)
{
	return a > b ? a : b;
}

int verdicts_prepare(struct verdicts *v)
{
	const struct gt_input_error *note;
	struct gt_input_error ie;
	size_t i, n;
	int err;

	if (v->assert_path) {
		err = gt_assertions_load(v->assert_path, &v->as, &ie);
		if (err == -ENOMEM)
			return tool_oom();
		if (err)
			return tool_input_err(&ie);
		n = gt_assertions_notes(v->as, &note);
		for (i = 0; i < n; i++)
			fprintf(stderr, "%s:%d: warning: %s\n", note[i].file,
				note[i].line, note[i].msg);
	}
	if (v->golden_path && !v->update_golden) {
		err = tool_load_trace(v->golden_path, &v->golden);
		if (err)
			return err;
	}
	if (v->golden_path && v->update_golden) {
		err = tool_file_open(&v->golden_out, v->golden_path);
		if (err) {
			tool_err("--update-golden %s: %s", v->golden_path,
				 strerror(-err));
			return err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
		}
	}
	if (v->junit_path) {
		err = tool_file_open(&v->junit_out, v->junit_path);
		if (err) {
			tool_err("--junit %s: %s", v->junit_path, strerror(-err));
			return err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
		}
	}
	return EXIT_PASS;
}

/* The assertions on @tr into *@c, *@n: 0 or an exit code (reported). */
static int eval_assertions(const struct verdicts *v, const struct gt_trace *tr,
			   struct gt_check **c, size_t *n)
{
	int err = gt_assertions_eval(v->as, tr, c, n);

	if (err == -ENOMEM)
		return tool_oom();
	if (err) {
		tool_err("%s: cannot evaluate: %s", v->assert_path, strerror(-err));
		return EXIT_USAGE;
	}
	return 0;
}

/* The diff of @tr against the golden trace: 0 or an exit code (reported). */
static int diff_golden(const struct verdicts *v, const struct gt_trace *tr,
		       struct gt_diff **d)
{
	int err = gt_diff_traces(v->golden, tr, &v->diff, d);

	if (err == -ENOMEM)
		return tool_oom();
	if (err) {
		tool_err("%s: cannot diff: %s", v->golden_path, strerror(-err));
		return EXIT_USAGE;
	}
	return 0;
}

static int give_assert(const struct verdicts *v, const struct gt_trace *tr,
		       FILE *out)
{
	struct gt_check *c;
	size_t n;
	int ret;

	ret = eval_assertions(v, tr, &c, &n);
	if (ret)
		return ret;
	ret = gt_checks_print(c, n, out) == GT_VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
	free(c);
	return ret;
}

static int give_golden(const struct verdicts *v, const struct gt_trace *tr,
		       FILE *out)
{
	struct gt_diff *d;
	int ret;

	ret = diff_golden(v, tr, &d);
	if (ret)
		return ret;
	ret = gt_diff_print(d, &v->diff, out) ? EXIT_FAIL : EXIT_PASS;
	gt_diff_free(d);
	return ret;
}

/*
 * An output file written (@err 0) or not: into place, or dropped with
 * "PATH: cannot write WHAT". An exit code.
 */
static int put_in_place(struct tool_file *tf, int err, const char *path,
			const char *what)
{
	if (!err)
		err = tool_file_commit(tf);
	if (!err)
		return EXIT_PASS;
	tool_file_abort(tf);
	tool_err("%s: cannot write %s: %s", path, what, strerror(-err));
	return err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
}

/* --update-golden: @tr, with histograms, into place. */
static int update_golden(struct verdicts *v, const struct gt_trace *tr,
			 FILE *out)
{
	int err = gt_trace_write_json(tr, GT_JSON_WITH_HIST, v->golden_out.f);

	err = put_in_place(&v->golden_out, err, v->golden_path,
			   "the golden trace");
	if (!err)
		fprintf(out, "gtrace: golden trace %s updated\n", v->golden_path);
	return err;
}

/* ---- JUnit XML ----------------------------------------------------------- */

/* @s as XML attribute or text: escaped, characters XML forbids dropped. */
static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\t': fputs("&#9;", f); break;
		default:
			if (c >= 0x20)
				fputc(c, f);
		}
	}
}

static void junit_case(FILE *f, const char *classname, const struct gt_check *c)
{
	fputs("    <testcase classname=\"", f);
	xml_text(f, classname);
	fputs("\" name=\"", f);
	xml_text(f, c->name);
	fputs("\">\n", f);
	switch (c->verdict) {
	case GT_VERDICT_SKIP:
		fputs("      <skipped message=\"enabled = false\"/>\n", f);
		break;
	case GT_VERDICT_FAIL:
		fputs("      <failure type=\"", f);
		xml_text(f, c->type);
		fputs("\" message=\"Actual: ", f);
		xml_text(f, c->actual);
		fputs(", Budget: ", f);
		xml_text(f, c->budget);
		if (c->excess[0]) {
			fputs(", Regression: ", f);
			xml_text(f, c->excess);
		}
		fputs("\">", f);
		xml_text(f, c->detail);
		fputs("</failure>\n", f);
		break;
	case GT_VERDICT_WARN:
		fputs("      <system-out>warning (fail_on_violation = false): Actual: ", f);
		xml_text(f, c->actual);
		fputs(", Budget: ", f);
		xml_text(f, c->budget);
		fputs("</system-out>\n", f);
		break;
	case GT_VERDICT_PASS:
		fputs("      <system-out>Actual: ", f);
		xml_text(f, c->actual);
		fputs(", Budget: ", f);
		xml_text(f, c->budget);
		fputs("</system-out>\n", f);
		break;
	}
	fputs("    </testcase>\n", f);
}

static int write_junit(FILE *f, const struct gt_check *c, size_t n,
		       size_t nr_assert)
{
	size_t i, failures = 0, skipped = 0;

	for (i = 0; i < n; i++) {
		failures += c[i].verdict == GT_VERDICT_FAIL;
		skipped += c[i].verdict == GT_VERDICT_SKIP;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n"
		"  <testsuite name=\"gtrace\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		n, failures, skipped, n, failures, skipped);
	for (i = 0; i < n; i++)
		junit_case(f, i < nr_assert ? "gtrace.assertions" : "gtrace.golden",
			   &c[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -EIO : 0;
}

/*
 * --junit: a test case per assertion and one for the golden diff (not
 * when the golden was just updated), evaluated again, silently: the
 * verdicts were printed already.
 */
static int give_junit(struct verdicts *v, const struct gt_trace *tr)
{
	struct gt_check *c = NULL, *more;
	size_t n = 0, nr_assert;
	struct gt_diff *d;
	int ret;

	if (v->as) {
		ret = eval_assertions(v, tr, &c, &n);
		if (ret)
			return ret;
	}
	nr_assert = n;
	if (v->golden) {
		ret = diff_golden(v, tr, &d);
		if (ret) {
			free(c);
			return ret;
		}
		more = realloc(c, (n + 1) * sizeof(*c));
		if (!more) {
			gt_diff_free(d);
			free(c);
			return tool_oom();
		}
		c = more;
		gt_diff_check(d, &v->diff, &c[n++]);
		gt_diff_free(d);
	}
	ret = write_junit(v->junit_out.f, c, n, nr_assert);
	free(c);
	return put_in_place(&v->junit_out, ret, v->junit_path,
			    "the JUnit report");
}

int verdicts_give(struct verdicts *v, const struct gt_trace *tr, FILE *out)
{
	int worst = EXIT_PASS;

	if (v->as)
		worst = worse(worst, give_assert(v, tr, out));
	if (v->golden)
		worst = worse(worst, give_golden(v, tr, out));
	if (v->golden_out.f)
		worst = worse(worst, update_golden(v, tr, out));
	if (v->junit_out.f)
		worst = worse(worst, give_junit(v, tr));
	return worst;
}

int verdicts_on_file(struct verdicts *v, const char *trace_path, FILE *out)
{
	struct gt_trace *tr = NULL;
	int ret;

	ret = verdicts_prepare(v);
	if (!ret)
		ret = tool_load_trace(trace_path, &tr);
	if (!ret)
		ret = verdicts_give(v, tr, out);
	gt_trace_free(tr);
	verdicts_free(v);
	return ret;
}

void verdicts_free(struct verdicts *v)
{
	gt_assertions_free(v->as);
	gt_trace_free(v->golden);
	tool_file_abort(&v->golden_out);
	tool_file_abort(&v->junit_out);
	v->as = NULL;
	v->golden = NULL;
}
