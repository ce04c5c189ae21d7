// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the records file reader (gtrace-run
 * --records-file). The readers take a path, so each input is written to a
 * memfd and read through /proc/self/fd. Reading record by record must end
 * in 0 (the trailer is then there) or in an error with its message and
 * offset; gt_trace_load_records() must agree (it also refuses records
 * of an unknown ABI), with an offset in its message, and a trace it makes is
 * printed as text and JSON.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtrace/trace.h>

static FILE *devnull;
static int mfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	mfd = memfd_create("fuzz.rec", MFD_CLOEXEC);
	if (!devnull || mfd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	return 0;
}

/* 0 when the file reads to its end, else the error (message checked). */
static int read_through(void)
{
	const struct gtrace_record *r;
	struct gt_records_error e;
	struct gt_records_file *f;
	unsigned int ring;
	int k;

	k = gt_records_file_open(path, &f, &e);
	if (k) {
		if (strncmp(e.msg, path, strlen(path)))
			abort();
		return k;
	}
	while ((k = gt_records_file_next(f, &r, &ring, &e)) > 0)
		if (ring >= gt_records_file_header(f)->nr_rings)
			abort();
	if (!k && !gt_records_file_trailer(f))
		abort();
	if (k == -EINVAL && !strstr(e.msg, ": offset "))
		abort();
	gt_records_file_close(f);
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gt_input_error ie;
	struct gt_trace *tr = NULL;
	bool abi;
	int k, t;

	if (ftruncate(mfd, 0) || pwrite(mfd, data, size, 0) != (ssize_t)size)
		abort();
	k = read_through();
	t = gt_trace_load_records(path, &tr, &ie);
	/* The trace also refuses records of an ABI it does not know. */
	abi = t == -EINVAL && strstr(ie.msg, ": ABI ");
	if ((!abi && (k == 0) != (t == 0)) ||
	    (t && (tr || strncmp(ie.msg, "offset ", 7))))
		abort();
	if (tr) {
		gt_report_text(tr, NULL, devnull);
		gt_trace_write_json(tr, GT_JSON_WITH_HIST, devnull);
		gt_trace_free(tr);
	}
	return 0;
}
