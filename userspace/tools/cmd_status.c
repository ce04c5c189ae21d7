// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace status: whether gtrace.ko is loaded, its version, sessions,
 * probes, drops and memory.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "tool.h"

static void print_bytes(const char *label, uint64_t bytes)
{
	char buf[64];

	gt_fmt_bytes(buf, sizeof(buf), bytes);
	printf("%-10s %s\n", label, buf);
}

static int status_usage(FILE *f, int code)
{
	fprintf(f, "usage: gtrace status\n\n"
		"Show the loaded gtrace.ko's version, its sessions, whether its\n"
		"tracepoint probes are registered, ring drops and memory.\n");
	return code;
}

int do_status(int argc, char **argv)
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
		return tool_unavailable(-errno, "cannot reach gtrace.ko",
					gt_errmsg(NULL));
	err = gt_status(cl, &st);
	if (err < 0) {
		err = tool_unavailable(err, "status", gt_errmsg(cl));
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
		tool_err("warning: module %s and tools %s differ", st.version,
			 gt_lib_version());
	return EXIT_PASS;
}
