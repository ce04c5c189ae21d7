// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace diff GOLDEN CURRENT: a saved trace against its golden trace.
 * Reads gtrace-json-v1 files; verdicts on stdout, bad input as
 * "file:line: message" on stderr with exit code 2.
 */
#include <getopt.h>
#include <stdio.h>

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
	struct verdicts v = { 0 };
	int c;

	tool_name = "gtrace diff";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!tool_parse_nonneg(optarg, &v.diff.tolerance_pct)) {
				tool_err("--tolerance %s: a percentage, 0 or more",
					 optarg);
				return EXIT_USAGE;
			}
			break;
		case 'T':
			v.diff.timing = true;
			break;
		case 'j':
			v.junit_path = optarg;
			break;
		case 'h':
			return diff_usage(stdout, EXIT_PASS);
		default:
			return diff_usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 2)
		return diff_usage(stderr, EXIT_USAGE);
	v.golden_path = argv[optind];
	return verdicts_on_file(&v, argv[optind + 1], stdout);
}
