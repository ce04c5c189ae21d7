// SPDX-License-Identifier: GPL-2.0
/*
 * The verdicts of verdict.h: budget assertions, golden diffs and JUnit
 * reports on a finished trace, for gtrace-run and for gtrace assert and
 * gtrace diff. The logic is libgtrace's (assert.c, diff.c); this file
 * reads the inputs, reports bad ones as "file:line: message" and turns
 * results into exit codes and XML.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "verdict.h"

/* Load and evaluate @path: 0 with *@c, *@n, or an exit code (reported). */
static int eval_file(const struct gt_trace *tr, const char *path, FILE *out,
		     bool notes, struct gt_check **c, size_t *n)
{
	const struct gt_input_error *note;
	struct gt_assertions *as;
	struct gt_input_error err;
	size_t i, nn;
	int ret;

	ret = gt_assertions_load(path, &as, &err);
	if (ret) {
		gt_input_error_print(&err, out);
		return EXIT_USAGE;
	}
	nn = gt_assertions_notes(as, &note);
	for (i = 0; notes && i < nn; i++)
		fprintf(out, "%s:%d: warning: %s\n", note[i].file, note[i].line,
			note[i].msg);
	ret = gt_assertions_eval(as, tr, c, n);
	gt_assertions_free(as);
	if (ret == -ENOMEM)
		return tool_oom();
	if (ret) {
		fprintf(out, "%s: cannot evaluate: %s\n", path, strerror(-ret));
		return EXIT_USAGE;
	}
	return 0;
}

int verdict_assert(const struct gt_trace *tr, const char *path, FILE *out,
		   FILE *err)
{
	struct gt_check *c;
	size_t n;
	int ret;

	ret = eval_file(tr, path, err, true, &c, &n);
	if (ret)
		return ret;
	ret = gt_checks_print(c, n, out) == GT_VERDICT_FAIL ? EXIT_FAIL : EXIT_PASS;
	free(c);
	return ret;
}

/* Write @tr to @path through a temporary file: never half a golden. */
static int write_golden(const struct gt_trace *tr, const char *path,
			FILE *out)
{
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	FILE *f;
	int ret;

	if (!tmp)
		return -ENOMEM;
	snprintf(tmp, len, "%s.tmp.%d", path, (int)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		ret = -errno;
		fprintf(out, "%s: cannot write: %s\n", tmp, strerror(errno));
		free(tmp);
		return ret;
	}
	ret = gt_trace_write_json(tr, GT_JSON_WITH_HIST, f);
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		fprintf(out, "%s: cannot write the golden trace: %s\n", path,
			strerror(-ret));
		unlink(tmp);
	}
	free(tmp);
	return ret;
}

/* The diff of @tr against the golden file, or an exit code (reported). */
static int diff_golden(const struct gt_trace *tr, const char *golden,
		       const struct gt_diff_opts *o, FILE *out,
		       struct gt_diff **d)
{
	struct gt_input_error err;
	struct gt_trace *g;
	int ret;

	ret = gt_trace_load_json(golden, &g, &err);
	if (ret) {
		gt_input_error_print(&err, out);
		return EXIT_USAGE;
	}
	ret = gt_diff_traces(g, tr, o, d);
	gt_trace_free(g);
	if (ret == -ENOMEM)
		return tool_oom();
	if (ret) {
		fprintf(out, "%s: cannot diff: %s\n", golden, strerror(-ret));
		return EXIT_USAGE;
	}
	return 0;
}

int verdict_golden(const struct gt_trace *tr, const char *golden,
		   double tolerance_pct, bool update, FILE *out)
{
	struct gt_diff_opts o = { .tolerance_pct = tolerance_pct };
	struct gt_diff *d;
	int ret;

	if (update) {
		if (write_golden(tr, golden, out))
			return EXIT_USAGE;
		fprintf(out, "gtrace: golden trace %s updated\n", golden);
		return EXIT_PASS;
	}
	ret = diff_golden(tr, golden, &o, out, &d);
	if (ret)
		return ret;
	ret = gt_diff_print(d, &o, out) ? EXIT_FAIL : EXIT_PASS;
	gt_diff_free(d);
	return ret;
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

static int write_junit(const char *path, const struct gt_check *c, size_t n,
		       size_t nr_assert)
{
	size_t i, failures = 0, skipped = 0;
	FILE *f;

	for (i = 0; i < n; i++) {
		failures += c[i].verdict == GT_VERDICT_FAIL;
		skipped += c[i].verdict == GT_VERDICT_SKIP;
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\">\n"
		"  <testsuite name=\"gtrace\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
		n, failures, skipped, n, failures, skipped);
	for (i = 0; i < n; i++)
		junit_case(f, i < nr_assert ? "gtrace.assertions" : "gtrace.golden",
			   &c[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	return fclose(f) ? -errno : 0;
}

int verdict_junit(const char *path, const struct gt_trace *tr,
		  const char *assert_path, const char *golden,
		  double tolerance_pct)
{
	struct gt_diff_opts o = { .tolerance_pct = tolerance_pct };
	struct gt_check *c = NULL, *more;
	struct gt_diff *d;
	size_t n = 0;
	int ret;

	/* Silent but for bad inputs: --assert printed the verdicts already. */
	if (assert_path) {
		ret = eval_file(tr, assert_path, stderr, false, &c, &n);
		if (ret)
			return ret;
	}
	if (golden) {
		ret = diff_golden(tr, golden, &o, stderr, &d);
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
		gt_diff_check(d, &o, &c[n++]);
		gt_diff_free(d);
	}
	ret = write_junit(path, c, n, golden ? n - 1 : n);
	free(c);
	if (ret) {
		fprintf(stderr, "%s: cannot write the JUnit report: %s\n", path,
			strerror(-ret));
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}
