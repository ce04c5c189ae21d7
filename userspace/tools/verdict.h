/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Verdict hooks of gtrace-run: budget assertions, golden diffs and JUnit
 * reports on a finished trace. gtrace-run (gtrace-run.c) calls them after
 * it has built the gt_trace and printed its own report; they are
 * implemented in verdict.c next to this header.
 *
 * Every hook prints what it found (one line per assertion or per syscall
 * that changed, with actual value, budget and excess) to @out, never to
 * the traced program's stdout, and returns one of enum gtr_verdict. A
 * path that cannot be read, a syntax error or an unknown key in a TOML
 * file, or a golden file that is not gtrace-json-v1, is GTR_BAD_INPUT with
 * "file:line: message" on @out.
 *
 * gtrace-run's exit code: the largest verdict of the hooks it called
 * (0 pass, 1 failure, 2 bad input); without any verdict option, the traced
 * program's own exit code.
 */
#ifndef GTRACE_TOOLS_VERDICT_H
#define GTRACE_TOOLS_VERDICT_H

#include <stdbool.h>
#include <stdio.h>

#include "gtrace.h"

enum gtr_verdict {
	GTR_PASS = 0,
	GTR_FAIL = 1,		/* a budget or a golden count was exceeded */
	GTR_BAD_INPUT = 2,	/* unreadable or malformed file */
};

/*
 * --assert FILE: evaluate every enabled [[assertion]] of the TOML file
 * @path (renacer.toml compatible) against @tr. Assertions with
 * fail_on_violation = false only warn and do not fail.
 */
int gtr_assert_file(const struct gt_trace *tr, const char *path, FILE *out);

/* The same with bad-input messages on @err (gtrace assert: stderr). */
int gtr_assert_report(const struct gt_trace *tr, const char *path, FILE *out,
		      FILE *err);

/*
 * --golden FILE [--tolerance PCT]: diff @tr against the gtrace-json-v1
 * file @golden; counts beyond @tolerance_pct percent, new syscalls and new
 * errors fail. With @update (--update-golden) write @tr to @golden instead
 * (with histograms, without records) and return GTR_PASS, or GTR_BAD_INPUT
 * when it cannot be written.
 */
int gtr_golden(const struct gt_trace *tr, const char *golden,
	       double tolerance_pct, bool update, FILE *out);

/*
 * --junit FILE: write a JUnit XML report to @path with one test case per
 * assertion of @assert_path and one for the golden diff against @golden
 * (either may be NULL: not asked for; gtrace-run passes @golden NULL when
 * it was just updated). Re-evaluates them on @tr, silently. Returns
 * GTR_PASS when the report was written, whatever its verdicts, and
 * GTR_BAD_INPUT when an input is bad or @path cannot be written (message
 * on stderr).
 */
int gtr_junit(const char *path, const struct gt_trace *tr,
	      const char *assert_path, const char *golden,
	      double tolerance_pct);

#endif /* GTRACE_TOOLS_VERDICT_H */
