/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdicts on a finished trace: budget assertions, golden diffs and
 * JUnit reports, for gtrace-run (after its report) and for gtrace assert
 * and gtrace diff.
 *
 * Inputs first: verdicts_prepare() reads the budget file and the golden
 * trace and opens the output files before anything runs, so that a bad
 * input costs no run. verdicts_give() then prints what it finds (one line
 * per assertion or per syscall that changed, with actual value, budget
 * and excess), never to the traced program's stdout, and puts the output
 * files in place. Both return an exit code of tool.h: EXIT_PASS,
 * EXIT_FAIL, EXIT_USAGE for a bad input ("file:line: message" on stderr:
 * a path that cannot be read, a syntax error or an unknown key in a TOML
 * file, a golden file that is not gtrace-json-v1), EXIT_INTERNAL.
 */
#ifndef GTRACE_TOOLS_VERDICT_H
#define GTRACE_TOOLS_VERDICT_H

#include <stdbool.h>
#include <stdio.h>

#include <gtrace/trace.h>

#include "tool.h"

struct verdicts {
	/* asked for; NULL: not */
	const char *assert_path;	/* --assert: a renacer.toml-style file */
	const char *golden_path;	/* --golden: a gtrace-json-v1 trace */
	const char *junit_path;		/* --junit: JUnit XML of the above */
	struct gt_diff_opts diff;	/* --tolerance, --timing */
	bool update_golden;		/* write the golden, do not compare */
	/* made by verdicts_prepare() */
	struct gt_assertions *as;
	struct gt_trace *golden;
	struct tool_file golden_out;	/* --update-golden */
	struct tool_file junit_out;
};

/* Read every input and open every output file. */
int verdicts_prepare(struct verdicts *v);

/*
 * The verdicts on @tr, to @out; the largest is returned. Assertions with
 * fail_on_violation = false only warn; a golden diff fails on counts
 * beyond the tolerance, new syscalls and new errors.
 */
int verdicts_give(struct verdicts *v, const struct gt_trace *tr, FILE *out);

/* gtrace assert and diff: _prepare(), load @trace_path, _give(), _free(). */
int verdicts_on_file(struct verdicts *v, const char *trace_path, FILE *out);

/* Free what _prepare() made; output files not yet in place are dropped. */
void verdicts_free(struct verdicts *v);

#endif /* GTRACE_TOOLS_VERDICT_H */
