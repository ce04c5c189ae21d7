/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What gtrace-run and gtrace share: exit codes, how errors are printed,
 * number and format options, and the report in the chosen format.
 */
#ifndef GTRACE_TOOLS_TOOL_H
#define GTRACE_TOOLS_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gtrace/trace.h>

/* The exit codes CI relies on (gtrace-run(1), gtrace(1)). */
enum {
	EXIT_PASS = 0,
	EXIT_FAIL = 1,		/* a budget or a golden count was exceeded */
	EXIT_USAGE = 2,		/* bad usage, unreadable or malformed input */
	EXIT_UNAVAILABLE = 3,	/* no module, no permission */
	EXIT_INTERNAL = 4,	/* out of memory, fork failed */
};

/* The tool's name, for messages ("gtrace-run", "gtrace diff"). */
extern const char *tool_name;

/* "NAME: message\n" on stderr. */
void tool_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same, then "Try 'NAME --help'."; returns EXIT_USAGE. */
int tool_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "file:line: message" of a bad input file; returns EXIT_USAGE. */
int tool_input_err(const struct gt_input_error *e);

/*
 * A saved gtrace-json-v1 trace, or a records file (known by its magic),
 * into *@tr: 0, or the exit code of what went wrong (reported):
 * EXIT_USAGE for a bad file, EXIT_INTERNAL.
 */
int tool_load_trace(const char *path, struct gt_trace **tr);

/* "NAME: out of memory"; returns EXIT_INTERNAL. */
int tool_oom(void);

/*
 * Tracing cannot happen: what failed (@what: @msg), and for the errors
 * that have one (-ENOENT and friends: no module; -EPERM, -EACCES: no
 * right; no generic netlink) how to fix it. Returns EXIT_UNAVAILABLE.
 */
int tool_unavailable(int err, const char *what, const char *msg);

/* A decimal without sign that fits 32 bits. */
bool tool_parse_u32(const char *s, uint32_t *v);
/* A finite number, 0 or more (seconds, percentages). */
bool tool_parse_nonneg(const char *s, double *v);

enum tool_format { TOOL_FMT_TEXT, TOOL_FMT_JSON, TOOL_FMT_CSV };

/* "text", "json" or "csv", else false. */
bool tool_format_parse(const char *s, enum tool_format *f);

/* How a trace is reported: --format, -S, --per-task, -e trace=. */
struct tool_report {
	enum tool_format format;
	struct gt_report_opts opts;
	unsigned int json_flags;	/* GT_JSON_* */
	struct gt_filter *filter;	/* NULL: every syscall */
};

/*
 * @tr reported to @out as @how says. A JSON document already begun as a
 * stream of records (gtrace-run --records) is ended with @tr through
 * *@js, which is then NULL. 0 or -errno.
 */
int tool_report_write(const struct gt_trace *tr, const struct tool_report *how,
		      FILE *out, struct gt_json_stream **js);

/*
 * An output file (-o, --junit, --update-golden) that appears only when
 * complete: written to a temporary file in the same directory, renamed
 * into place by tool_file_commit(). A killed or failing run leaves a
 * previous file as it was, and where the file system has O_TMPFILE no
 * temporary file either: it gets a name only when complete. A path that is not a regular file (a FIFO,
 * /dev/stdout, a terminal) is written in place. The stream is
 * close-on-exec: the traced program never holds it.
 */
struct tool_file {
	FILE *f;
	char *path;		/* where it goes (a symlink's target) */
	char *tmp;		/* written here meanwhile; NULL: in place */
	bool unnamed;		/* O_TMPFILE: tmp is only a name pattern */
};

/* Open @path for writing: 0, or -errno (nothing made). */
int tool_file_open(struct tool_file *tf, const char *path);
/* Flush, close, rename into place: 0 or -errno (then as _abort()). */
int tool_file_commit(struct tool_file *tf);
/* Close and forget it; the previous file stays. Idempotent. */
void tool_file_abort(struct tool_file *tf);

#endif /* GTRACE_TOOLS_TOOL_H */
