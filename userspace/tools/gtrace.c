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

#include "cmds.h"
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
static int do_report(int argc, char **argv);
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

/* ---- gtrace report ----------------------------------------------------- */

static int report_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace report [--format text|json|csv] [-e trace=SET] [-S KEY]\n"
		"                     [--per-task] [--percentiles] FILE.json\n\n"
		"Print a trace saved by gtrace-run --format json again: strace -c's\n"
		"table (the default), gtrace-json-v1 or CSV, with gtrace-run's\n"
		"options. FILE '-' reads standard input.\n");
	return code;
}

/* Whether the trace has latency histograms (files may come without). */
static bool has_hist(const struct gt_trace *tr)
{
	size_t i;
	int b;

	for (i = 0; tr->sum && i < tr->sum->nr_syscalls; i++)
		for (b = 0; b < GTRACE_HIST_BUCKETS; b++)
			if (tr->sum->syscalls[i].hist[b])
				return true;
	return false;
}

static int do_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "per-task", no_argument, NULL, 'P' },
		{ "percentiles", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gt_report_opts ro = GT_REPORT_OPTS_INIT;
	struct gt_trace *tr = NULL, *shown = NULL;
	struct gt_filter *filter = NULL;
	struct gt_input_error ie;
	const char *format = "text";
	char msg[256];
	int c, err;

	while ((c = getopt_long(argc, argv, "e:S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "json") &&
			    strcmp(format, "csv")) {
				fprintf(stderr, "gtrace: --format %s: text, json or csv\n",
					format);
				return EXIT_USAGE;
			}
			break;
		case 'P':
			ro.per_task = true;
			break;
		case 'Q':
			ro.percentiles = true;
			break;
		case 'S':
			ro.sort = gt_sort_key_parse(optarg);
			if (ro.sort < 0) {
				fprintf(stderr, "gtrace: -S %s: time, calls, errors, name or nothing\n",
					optarg);
				return EXIT_USAGE;
			}
			break;
		case 'e':
			err = gt_filter_add(&filter, optarg, msg, sizeof(msg));
			if (err) {
				fprintf(stderr, "gtrace: -e %s: %s\n", optarg,
					err == -ENOMEM ? "out of memory" : msg);
				gt_filter_free(filter);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			gt_filter_free(filter);
			return report_usage(stdout, EXIT_PASS);
		default:
			gt_filter_free(filter);
			return report_usage(stderr, EXIT_USAGE);
		}
	}
	if (optind != argc - 1) {
		gt_filter_free(filter);
		return report_usage(stderr, EXIT_USAGE);
	}
	err = gt_trace_load_json(argv[optind], &tr, &ie);
	if (err) {
		if (ie.line)
			fprintf(stderr, "gtrace: %s:%d: %s\n", ie.file, ie.line, ie.msg);
		else
			fprintf(stderr, "gtrace: %s: %s\n", ie.file, ie.msg);
		gt_filter_free(filter);
		return EXIT_USAGE;
	}
	if (filter) {
		err = gt_trace_filter(tr, filter, &shown);
		gt_filter_free(filter);
		if (err) {
			gt_trace_free(tr);
			fprintf(stderr, "gtrace: %s\n", strerror(-err));
			return EXIT_USAGE;
		}
	}
	if (!strcmp(format, "json"))
		err = gt_trace_write_json(shown ? shown : tr,
					  has_hist(tr) ? GT_JSON_WITH_HIST : 0, stdout);
	else if (!strcmp(format, "csv"))
		err = gt_report_csv(shown ? shown : tr, &ro, stdout);
	else
		err = gt_report_text(shown ? shown : tr, &ro, stdout);
	gt_trace_free(shown);
	gt_trace_free(tr);
	if (err) {
		fprintf(stderr, "gtrace: writing the report: %s\n", strerror(-err));
		return EXIT_USAGE;
	}
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
