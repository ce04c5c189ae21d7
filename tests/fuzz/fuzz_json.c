// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the golden-trace JSON loader. gt_trace_load_json()
 * reads a path, so each input is written to a memfd and loaded through
 * /proc/self/fd. A failure must come with a message and no trace; a trace
 * that loads is written back as JSON, printed as text and CSV, diffed
 * against itself and checked against a fixed budget (tests/data/renacer.toml).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtrace/trace.h>

static struct gt_assertions *budget;
static FILE *devnull;
static int mfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gt_input_error e;

	if (gt_assertions_load(GT_FUZZ_BUDGET, &budget, &e)) {
		gt_input_error_print(&e, stderr);
		abort();
	}
	devnull = fopen("/dev/null", "w");
	mfd = memfd_create("fuzz.json", MFD_CLOEXEC);
	if (!devnull || mfd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	return 0;
}

static void use(const struct gt_trace *tr)
{
	struct gt_report_opts ro = GT_REPORT_OPTS_INIT;
	struct gt_diff_opts dopts = { .tolerance_pct = 5, .timing = true };
	struct gt_check *checks = NULL;
	struct gt_diff *d = NULL;
	size_t n = 0;

	gt_trace_write_json(tr, GT_JSON_WITH_HIST, devnull);
	gt_report_text(tr, &ro, devnull);
	ro.per_task = true;
	ro.percentiles = true;
	gt_report_csv(tr, &ro, devnull);
	gt_report_text(tr, &ro, devnull);
	if (!gt_diff_traces(tr, tr, &dopts, &d)) {
		gt_diff_print(d, &dopts, devnull);
		gt_diff_free(d);
	}
	if (!gt_assertions_eval(budget, tr, &checks, &n)) {
		gt_checks_print(checks, n, devnull);
		free(checks);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_trace *tr = NULL;
	struct gt_input_error e;
	int err;

	if (ftruncate(mfd, 0) || (size && pwrite(mfd, data, size, 0) != (ssize_t)size))
		abort();
	err = gt_trace_load_json(path, &tr, &e);
	if (err) {
		if (!e.msg[0] || tr)
			abort();
		return 0;
	}
	if (!tr)
		abort();
	use(tr);
	gt_trace_free(tr);
	return 0;
}
