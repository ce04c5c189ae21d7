// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace: the subcommands that need no new trace (status now; diff, assert
 * and report later). Each subcommand is a do_<name>() handler in the
 * commands[] table and gets argv from its own name on.
 *
 * Exit codes, which CI relies on: 0 pass, 1 budget or regression failure,
 * 2 bad usage or bad input file, 3 tracing unavailable (module not loaded,
 * no permission), always with a message that says how to fix it.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gtrace.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum {
	EXIT_PASS = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNAVAILABLE = 3,
};

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static int do_status(int argc, char **argv);
static int do_help(int argc, char **argv);

static const struct command commands[] = {
	{ "status", do_status, "show whether gtrace.ko is loaded and what it holds" },
	{ "help", do_help, "show this help" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: gtrace [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

/* Say what went wrong with the module and how to fix it; exit code 3. */
static int unavailable(int err, const char *what, const char *msg)
{
	fprintf(stderr, "gtrace: %s: %s\n", what, msg);
	switch (-err) {
	case ENOENT:
		fprintf(stderr,
			"gtrace: fix: load the module with 'sudo modprobe gtrace'\n"
			"gtrace:      (from a source tree: 'make && sudo make module_install' first)\n");
		break;
	case EPERM:
	case EACCES:
		fprintf(stderr,
			"gtrace: fix: run as root, or with CAP_PERFMON for system-wide tracing\n");
		break;
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
		fprintf(stderr,
			"gtrace: fix: this kernel has no generic netlink; gtrace needs a kernel with CONFIG_NET\n");
		break;
	}
	return EXIT_UNAVAILABLE;
}

/* ---- gtrace status ----------------------------------------------------- */

static void print_bytes(const char *label, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = bytes;
	int u = -1;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		printf("%-10s %" PRIu64 " bytes\n", label, bytes);
	else
		printf("%-10s %" PRIu64 " bytes (%.1f %s)\n", label, bytes, v,
		       unit[u]);
}

static int status_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace status\n\n"
		"Show the loaded gtrace.ko's version, its sessions, whether its\n"
		"tracepoint probes are registered, ring drops and memory.\n");
	return code;
}

static int do_status(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gt_client *cl;
	struct gt_status st;
	int c, err;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h')
			return status_usage(stdout, EXIT_PASS);
		return status_usage(stderr, EXIT_USAGE);
	}
	if (optind < argc)
		return status_usage(stderr, EXIT_USAGE);

	cl = gt_open();
	if (!cl)
		return unavailable(-errno, "cannot reach gtrace.ko", gt_errmsg(NULL));
	err = gt_status(cl, &st);
	if (err < 0) {
		err = unavailable(err, "status", gt_errmsg(cl));
		gt_close(cl);
		return err;
	}
	gt_close(cl);

	printf("%-10s %s (tools %s)\n", "module", st.version, gt_lib_version());
	printf("%-10s %" PRIu32 "\n", "sessions", st.sessions);
	printf("%-10s %s\n", "probes", st.probes ? "registered" : "idle");
	printf("%-10s %" PRIu64 "\n", "drops", st.drops);
	print_bytes("memory", st.mem_bytes);
	if (strcmp(st.version, gt_lib_version()))
		fprintf(stderr, "gtrace: warning: module %s and tools %s differ\n",
			st.version, gt_lib_version());
	return EXIT_PASS;
}

/* ---- dispatch ---------------------------------------------------------- */

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
		fprintf(stderr, "gtrace: unknown command '%s'\n", argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;	/* full getopt reset for the subcommand */
	return cmd->fn(argc, argv);
}
