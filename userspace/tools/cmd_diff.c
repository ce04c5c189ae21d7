// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace diff GOLDEN CURRENT: a saved trace against its golden trace.
 * gtrace assert BUDGET.toml TRACE: budget assertions on a saved trace.
 * Both read gtrace-json-v1 files; verdicts on stdout, bad input as
 * "file:line: message" on stderr with exit code 2.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "verdict.h"

static struct gt_trace *load_trace(const char *path)
{
	struct gt_input_error err;
	struct gt_trace *tr;

	if (gt_trace_load_json(path, &tr, &err)) {
		gt_input_error_print(&err, stderr);
		return NULL;
	}
	return tr;
}

static int diff_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace diff [--tolerance PCT] [--timing] [--junit FILE] GOLDEN.json CURRENT.json\n\n"
		"Compare a trace with its golden trace, syscall by syscall: calls\n"
		"(and time with --timing), change in %%, verdict. New syscalls, new\n"
		"errors and counts that moved by more than PCT%% (default 0) are\n"
		"regressions: exit 1.\n");
	return code;
}

static bool parse_pct(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && isfinite(*v) && *v >= 0;
}

int do_diff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tolerance", required_argument, NULL, 't' },
		{ "timing", no_argument, NULL, 'T' },
		{ "junit", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gt_diff_opts o = { .tolerance_pct = 0 };
	struct gt_trace *golden = NULL, *cur = NULL;
	const char *junit = NULL;
	struct gt_diff *d = NULL;
	int c, ret = GTR_BAD_INPUT;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!parse_pct(optarg, &o.tolerance_pct)) {
				fprintf(stderr, "gtrace diff: --tolerance %s: a percentage, 0 or more\n",
					optarg);
				return GTR_BAD_INPUT;
			}
			break;
		case 'T':
			o.timing = true;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'h':
			return diff_usage(stdout, GTR_PASS);
		default:
			return diff_usage(stderr, GTR_BAD_INPUT);
		}
	}
	if (argc - optind != 2)
		return diff_usage(stderr, GTR_BAD_INPUT);
	golden = load_trace(argv[optind]);
	cur = golden ? load_trace(argv[optind + 1]) : NULL;
	if (!cur)
		goto out;
	ret = gt_diff_traces(golden, cur, &o, &d);
	if (ret) {
		fprintf(stderr, "gtrace diff: %s\n", strerror(-ret));
		ret = GTR_BAD_INPUT;
		goto out;
	}
	ret = gt_diff_print(d, &o, stdout) ? GTR_FAIL : GTR_PASS;
	if (junit) {
		int v = gtr_junit(junit, cur, NULL, argv[optind], o.tolerance_pct);

		ret = v > ret ? v : ret;
	}
out:
	gt_diff_free(d);
	gt_trace_free(cur);
	gt_trace_free(golden);
	return ret;
}

static int assert_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace assert [--junit FILE] BUDGET.toml TRACE.json\n\n"
		"Check the [[assertion]] budgets of a TOML file (renacer.toml works\n"
		"unchanged) against a saved trace. Exit 1 when one fails, 2 when the\n"
		"budget file or the trace is bad (file:line: message).\n");
	return code;
}

int do_assert(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "junit", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *junit = NULL;
	struct gt_trace *tr;
	int c, ret;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			junit = optarg;
			break;
		case 'h':
			return assert_usage(stdout, GTR_PASS);
		default:
			return assert_usage(stderr, GTR_BAD_INPUT);
		}
	}
	if (argc - optind != 2)
		return assert_usage(stderr, GTR_BAD_INPUT);
	tr = load_trace(argv[optind + 1]);
	if (!tr)
		return GTR_BAD_INPUT;
	ret = gtr_assert_report(tr, argv[optind], stdout, stderr);
	if (junit && ret != GTR_BAD_INPUT) {
		int v = gtr_junit(junit, tr, argv[optind], NULL, 0);

		ret = v > ret ? v : ret;
	}
	gt_trace_free(tr);
	return ret;
}
