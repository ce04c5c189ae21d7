// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace assert BUDGET.toml TRACE: budget assertions on a saved
 * gtrace-json-v1 trace; verdicts on stdout, bad input as
 * "file:line: message" on stderr with exit code 2.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmds.h"
#include "tool.h"
#include "verdict.h"

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
	struct verdicts v = { 0 };
	int c;

	tool_name = "gtrace assert";
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			v.junit_path = optarg;
			break;
		case 'h':
			return assert_usage(stdout, EXIT_PASS);
		default:
			return assert_usage(stderr, EXIT_USAGE);
		}
	}
	if (argc - optind != 2)
		return assert_usage(stderr, EXIT_USAGE);
	v.assert_path = argv[optind];
	return verdicts_on_file(&v, argv[optind + 1], stdout);
}
