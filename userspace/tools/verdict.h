/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdicts on a finished trace: budget assertions, golden diffs and
 * JUnit reports, for gtrace-run (after its report) and for gtrace assert
 * and gtrace diff.
 *
 * Each prints what it found (one line per assertion or per syscall that
 * changed, with actual value, budget and excess) to @out, never to the
 * traced program's stdout, and returns an exit code of tool.h: EXIT_PASS,
 * EXIT_FAIL, or EXIT_USAGE for a bad input (a path that cannot be read, a
 * syntax error or an unknown key in a TOML file, a golden file that is
 * not gtrace-json-v1), with "file:line: message". A tool's exit code is
 * the largest verdict it got.
 */
#ifndef GTRACE_TOOLS_VERDICT_H
#define GTRACE_TOOLS_VERDICT_H

#include <stdbool.h>
#include <stdio.h>

#include <gtrace/trace.h>

/*
 * --assert FILE: evaluate every enabled [[assertion]] of the TOML file
 * @path (renacer.toml compatible) against @tr; verdicts on @out, bad
 * input on @err. Assertions with fail_on_violation = false only warn and
 * do not fail.
 */
int verdict_assert(const struct gt_trace *tr, const char *path, FILE *out,
		   FILE *err);

/*
 * --golden FILE [--tolerance PCT]: diff @tr against the gtrace-json-v1
 * file @golden; counts beyond @tolerance_pct percent, new syscalls and new
 * errors fail. With @update (--update-golden) write @tr to @golden instead
 * (with histograms, without records) and return EXIT_PASS, or EXIT_USAGE
 * when it cannot be written.
 */
int verdict_golden(const struct gt_trace *tr, const char *golden,
		   double tolerance_pct, bool update, FILE *out);

/*
 * --junit FILE: write a JUnit XML report to @path with one test case per
 * assertion of @assert_path and one for the golden diff against @golden
 * (either may be NULL: not asked for; gtrace-run passes @golden NULL when
 * it was just updated). Re-evaluates them on @tr, silently. Returns
 * EXIT_PASS when the report was written, whatever its verdicts,
 * EXIT_USAGE when an input is bad or @path cannot be written, and
 * EXIT_INTERNAL when memory ran out (message on stderr).
 */
int verdict_junit(const char *path, const struct gt_trace *tr,
		  const char *assert_path, const char *golden,
		  double tolerance_pct);

#endif /* GTRACE_TOOLS_VERDICT_H */
