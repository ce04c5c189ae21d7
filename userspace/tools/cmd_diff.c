// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace diff GOLDEN CURRENT: a saved trace against its golden trace.
 * Reads gtrace-json-v1 files; verdicts on stdout, bad input as
 * "file:line: message" on stderr with exit code 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "tool.h"
#include "verdict.h"

static int diff_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace diff [--tolerance PCT] [--timing] [--junit FILE] GOLDEN.json CURRENT.json\n\n"
		"Compare a trace with its golden trace, syscall by syscall: calls\n"
		"(and time with --timing), change in %%, verdict. New syscalls, new\n"
		"errors and counts that moved by more than PCT%% (default 0) are\n"
		"regressions: exit 1.\n");
	return code;
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
	int c, ret = EXIT_USAGE;

	tool_name = "gtrace diff";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!tool_parse_nonneg(optarg, &o.tolerance_pct)) {
				tool_err("--tolerance %s: a percentage, 0 or more",
					 optarg);
				return EXIT_USAGE;
			}
			break;
		case 'T':
			o.timing = true;
			break;
		case 'j':
			junit = optarg;
			break;
		case 'h':
			return diff_usage(stdout, EXIT_PASS);
		default:
			return diff_usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 2)
		return diff_usage(stderr, EXIT_USAGE);
	ret = tool_load_trace(argv[optind], &golden);
	if (!ret)
		ret = tool_load_trace(argv[optind + 1], &cur);
	if (ret)
		goto out;
	ret = gt_diff_traces(golden, cur, &o, &d);
	if (ret == -ENOMEM) {
		ret = tool_oom();
		goto out;
	}
	if (ret) {
		tool_err("%s", strerror(-ret));
		ret = EXIT_USAGE;
		goto out;
	}
	ret = gt_diff_print(d, &o, stdout) ? EXIT_FAIL : EXIT_PASS;
	if (junit) {
		int v = verdict_junit(junit, cur, NULL, argv[optind], o.tolerance_pct);

		ret = v > ret ? v : ret;
	}
out:
	gt_diff_free(d);
	gt_trace_free(cur);
	gt_trace_free(golden);
	return ret;
}
