// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace report FILE: a saved trace (gtrace-json-v1, or a records file of
 * gtrace-run --records-file, whose summary is computed from its records)
 * printed again as gtrace-run would have, in any of its formats.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "tool.h"

static int report_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace report [--format text|json|csv] [-e trace=SET] [-S KEY]\n"
		"                     [--per-task] [--percentiles] FILE\n\n"
		"Print a trace saved by gtrace-run --format json again: strace -c's\n"
		"table (the default), gtrace-json-v1 or CSV, with gtrace-run's\n"
		"options. FILE '-' reads standard input. A records file of\n"
		"gtrace-run --records-file (known by its magic) is summarized\n"
		"from its records.\n");
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

int do_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "per-task", no_argument, NULL, 'P' },
		{ "percentiles", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct tool_report how = { .opts = GT_REPORT_OPTS_INIT };
	struct gt_trace *tr;
	struct gt_input_error ie;
	int c, err, ret = EXIT_USAGE;

	tool_name = "gtrace report";
	while ((c = getopt_long(argc, argv, "e:S:h", opts, NULL)) != -1) {
		switch (c) {
		case 'F':
			if (!tool_format_parse(optarg, &how.format)) {
				tool_err("--format %s: text, json or csv", optarg);
				goto out;
			}
			break;
		case 'P':
			how.opts.per_task = true;
			break;
		case 'Q':
			how.opts.percentiles = true;
			break;
		case 'S':
			how.opts.sort = gt_sort_key_parse(optarg);
			if (how.opts.sort < 0) {
				tool_err("-S %s: time, calls, errors, name or nothing",
					 optarg);
				goto out;
			}
			break;
		case 'e':
			err = gt_filter_add(&how.filter, optarg, &ie);
			if (err == -ENOMEM) {
				ret = tool_oom();
				goto out;
			}
			if (err) {
				tool_err("%s: %s", ie.file, ie.msg);
				goto out;
			}
			break;
		case 'h':
			ret = report_usage(stdout, EXIT_PASS);
			goto out;
		default:
			ret = report_usage(stderr, EXIT_USAGE);
			goto out;
		}
	}
	if (optind != argc - 1) {
		ret = report_usage(stderr, EXIT_USAGE);
		goto out;
	}
	ret = tool_load_trace(argv[optind], &tr);
	if (ret)
		goto out;
	how.json_flags = has_hist(tr) ? GT_JSON_WITH_HIST : 0;
	err = tool_report_write(tr, &how, stdout, NULL);
	gt_trace_free(tr);
	if (err == -ENOMEM) {
		ret = tool_oom();
	} else if (err) {
		tool_err("writing the report: %s", strerror(-err));
		ret = EXIT_USAGE;
	} else {
		ret = EXIT_PASS;
	}
out:
	gt_filter_free(how.filter);
	return ret;
}
