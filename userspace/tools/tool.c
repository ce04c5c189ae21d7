// SPDX-License-Identifier: GPL-2.0
/*
 * The common core of the tools (tool.h): one way to say what went wrong,
 * one set of exit codes, one parser per kind of option value.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

const char *tool_name = "gtrace";

static void verr(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", tool_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void tool_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

int tool_usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", tool_name);
	return EXIT_USAGE;
}

int tool_input_err(const struct gt_input_error *e)
{
	gt_input_error_print(e, stderr);
	return EXIT_USAGE;
}

int tool_load_trace(const char *path, struct gt_trace **tr)
{
	struct gt_input_error ie;
	int err;

	err = gt_trace_load_json(path, tr, &ie);
	if (err == -ENOMEM)
		return tool_oom();
	return err ? tool_input_err(&ie) : 0;
}

int tool_oom(void)
{
	tool_err("out of memory");
	return EXIT_INTERNAL;
}

int tool_unavailable(int err, const char *what, const char *msg)
{
	const char *n = tool_name;

	tool_err("%s: %s", what, msg);
	switch (-err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		fprintf(stderr,
			"%s: fix: load the module with 'sudo modprobe gtrace'\n"
			"%s:      (from a source tree: 'make && sudo insmod build/kmod/$(uname -r)/gtrace.ko')\n",
			n, n);
		break;
	case EPERM:
	case EACCES:
		fprintf(stderr,
			"%s: fix: run as root, or trace only processes you may ptrace\n"
			"%s:      (system-wide tracing needs CAP_PERFMON)\n", n, n);
		break;
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
		fprintf(stderr,
			"%s: fix: this kernel has no generic netlink; gtrace needs CONFIG_NET\n",
			n);
		break;
	}
	return EXIT_UNAVAILABLE;
}

bool tool_parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

bool tool_parse_nonneg(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && isfinite(*v) && *v >= 0;
}

bool tool_format_parse(const char *s, enum tool_format *f)
{
	static const char *const names[] = {
		[TOOL_FMT_TEXT] = "text",
		[TOOL_FMT_JSON] = "json",
		[TOOL_FMT_CSV] = "csv",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i])) {
			*f = (enum tool_format)i;
			return true;
		}
	}
	return false;
}

int tool_report_write(const struct gt_trace *tr, const struct tool_report *how,
		      FILE *out, struct gt_json_stream **js)
{
	struct gt_trace *shown = NULL;
	int err = 0;

	if (how->filter) {
		err = gt_trace_filter(tr, how->filter, &shown);
		if (err)
			return err;
		tr = shown;
	}
	switch (how->format) {
	case TOOL_FMT_TEXT:
		err = gt_report_text(tr, &how->opts, out);
		break;
	case TOOL_FMT_CSV:
		err = gt_report_csv(tr, &how->opts, out);
		break;
	case TOOL_FMT_JSON:
		if (js && *js) {
			err = gt_json_stream_end(*js, tr, how->json_flags);
			*js = NULL;
		} else {
			err = gt_trace_write_json(tr, how->json_flags, out);
		}
		break;
	}
	gt_trace_free(shown);
	return err;
}
