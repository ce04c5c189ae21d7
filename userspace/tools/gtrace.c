// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace: the commands that need no new trace. Each is a do_<name>()
 * handler of the commands[] table, in cmd_<name>.c, and gets argv from its
 * own name on. Exit codes are tool.h's: 0 pass, 1 budget or regression
 * failure, 2 bad usage or bad input file, 3 tracing unavailable (with a
 * message that says how to fix it), 4 internal error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "tool.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int do_help(int argc, char **argv);

static const struct command commands[] = {
	{ "status", do_status, "show whether gtrace.ko is loaded and what it holds" },
	{ "report", do_report, "print a saved JSON trace as a summary, JSON or CSV" },
	{ "diff", do_diff, "compare a saved trace with its golden trace" },
	{ "assert", do_assert, "check a saved trace against a TOML budget file" },
	{ "help", do_help, "show this help" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gtrace [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

static int do_help(int argc, char **argv)
{
	usage(stdout);
	return EXIT_PASS;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *cmd;
	int c;

	tool_name = "gtrace";
	/* "+": stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		case 'V':
			printf("gtrace %s\n", gt_lib_version());
			return EXIT_PASS;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd) {
		tool_err("unknown command '%s'", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* full getopt reset for the subcommand */
	return cmd->fn(argc, argv);
}
