// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the TOML budget parser: gti_toml_parse() on the
 * raw bytes, then gt_assertions_parse() (which parses again and checks the
 * [[assertion]] tables), and every assertion that loads is evaluated on a
 * fixed trace (tests/data/traces/golden.json) and printed. A failure must
 * come with a message; a success must survive eval and free.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace/gt_toml.h"

static struct gt_trace *trace;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gt_input_error e;

	if (gt_trace_load_json(GT_FUZZ_TRACE, &trace, &e)) {
		gt_input_error_print(&e, stderr);
		abort();
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct gti_toml_table *t = NULL;
	struct gt_assertions *as = NULL;
	struct gt_check *checks = NULL;
	struct gt_input_error e;
	size_t n = 0;
	int err;

	err = gti_toml_parse(text, size, "fuzz.toml", &t, &e);
	if (err) {
		/* A clear error: a message, and no document. */
		if (!e.msg[0] || t || (err != -EINVAL && err != -ENOMEM))
			abort();
	} else {
		if (!t)
			abort();
		gti_toml_free(t);
	}

	err = gt_assertions_parse(text, size, "fuzz.toml", &as, &e);
	if (err) {
		if (!e.msg[0] || as)
			abort();
		return 0;
	}
	if (!gt_assertions_eval(as, trace, &checks, &n)) {
		gt_checks_print(checks, n, devnull);
		free(checks);
	}
	gt_assertions_free(as);
	return 0;
}
