/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libgtrace-trace, the trace layer over libgtrace: the trace model (one
 * traced run), gtrace-json-v1 files (json-c), TOML budget assertions, golden
 * diffs, syscall filters and reports. See Documentation/libgtrace.md.
 */
#ifndef GTRACE_TRACE_H
#define GTRACE_TRACE_H

#include <gtrace/client.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gt_filter;

/* ---- traces: one run, the unit of JSON, reports, assertions, diffs ---- */

/*
 * Everything gtrace knows about one traced run: what ran, how it ended and
 * the per-task counters. gtrace-run builds it from a live session;
 * gt_trace_load_json() from a saved gtrace-json-v1 file. Assertions and
 * golden diffs work on this, never on the live session.
 */
struct gt_trace {
	char *command;		/* argv joined with spaces */
	char *kernel;		/* uname -r of the traced machine */
	char *module_version;	/* GTRACE_VERSION of gtrace.ko */
	uint64_t start_ns;	/* CLOCK_REALTIME at start, for the record */
	uint64_t wall_ns;	/* wall time of the traced tree */
	int exit_code;		/* of the root process; -1 if killed */
	int exit_signal;	/* signal that killed it, else 0 */
	uint64_t records;	/* per-call records read from the ring */
	uint64_t drops;		/* records the ring dropped */
	uint64_t tasks_lost;	/* tasks the module could not store */
	uint64_t calls_lost;	/* calls the module could not count */
	bool no_drops;		/* lossless mode (gtrace-run --no-drops) */
	uint64_t waits;		/* then: the traced threads' waits for room */
	uint64_t wait_ns;	/* and their total time */
	struct gt_stats *stats;	/* per task; owned */
	struct gt_summary *sum;	/* over all tasks; owned */
};

/* An empty trace (all zero, no stats), or NULL when out of memory. */
struct gt_trace *gt_trace_new(void);
/* Free everything a gt_trace owns, and the trace itself. */
void gt_trace_free(struct gt_trace *tr);

/* What a live run knows besides the stats dump, for gt_trace_from_stats(). */
struct gt_trace_origin {
	const char *command;	/* copied; NULL for none */
	const char *kernel;
	const char *module_version;
	uint64_t start_ns;	/* CLOCK_REALTIME at start */
	uint64_t t0;		/* CLOCK_MONOTONIC when the root was released */
	uint64_t t_end;		/* CLOCK_MONOTONIC at the end of the run */
	uint32_t root;		/* tid of the traced root */
	bool attached;		/* the root is not our child (gtrace-run -p) */
	int wait_status;	/* wait(2) status of the root, when not attached */
	uint64_t records;	/* per-call records read */
	uint64_t drops;		/* records the rings dropped */
	uint64_t tasks_lost;
	uint64_t calls_lost;
	bool no_drops;		/* GTRACE_F_NO_DROPS */
	uint64_t waits;
	uint64_t wait_ns;
};

/*
 * The trace of a live run from its stats dump @st, which it takes over
 * (freed on failure too): summary, wall time (the kernel's exit time of
 * the root when it saw it, else t_end - t0) and exit status. 0 or -ENOMEM.
 */
int gt_trace_from_stats(const struct gt_trace_origin *o, struct gt_stats *st,
			struct gt_trace **out);

/* Where a bad input file went wrong, for "file:line: message" and exit 2. */
struct gt_input_error {
	char file[256];
	int line;		/* 1-based; 0 when not known */
	char msg[256];
};

/*
 * The trace of a records file (gtrace-run --records-file, see
 * Documentation/records-file.md): its tasks and counters from the trailer,
 * each task's per-syscall counters (calls, errors, times, histogram,
 * errnos) computed from the records, as the kernel computes them. I/O
 * counters are not in records and stay zero. -EINVAL for a bad file with
 * "offset N: reason" in @err (line 0), -ENOMEM, -errno.
 */
int gt_trace_load_records(const char *path, struct gt_trace **out,
			  struct gt_input_error *err);

/* "file:line: msg\n" (or "file: msg\n" when the line is not known). */
void gt_input_error_print(const struct gt_input_error *e, FILE *out);

/* gtrace-json-v1, see Documentation/json.md and the schema next to it. */
#define GT_JSON_FORMAT	"gtrace-json-v1"
#define GT_JSON_WITH_HIST	0x1	/* latency histograms per syscall */
int gt_trace_write_json(const struct gt_trace *tr, unsigned int flags,
			FILE *out);
int gt_trace_load_json(const char *path, struct gt_trace **out,
		       struct gt_input_error *err);

/*
 * The same document with its per-call records ("call_records") written
 * one by one as they are read, before the rest of the trace is known, so
 * that memory stays bounded however long the run. _end() writes @tr and
 * closes the document; with @tr NULL it only frees @js. Both free @js.
 */
struct gt_json_stream;
int gt_json_stream_begin(FILE *out, struct gt_json_stream **js);
int gt_json_stream_record(struct gt_json_stream *js,
			  const struct gtrace_record *rec, unsigned int ring);
/*
 * @n records of ring @ring, @rec_size bytes apart (as gt_ring_consume_batch()
 * hands them over), those @f selects (NULL: all). The records are
 * formatted into the stream's buffer, which is written when full, by
 * _flush() and by _end(). 0, -EIO (sticks), -EINVAL for a @rec_size
 * below sizeof(struct gtrace_record).
 */
int gt_json_stream_records(struct gt_json_stream *js, const void *recs,
			   size_t n, size_t rec_size, unsigned int ring,
			   const struct gt_filter *f);
int gt_json_stream_flush(struct gt_json_stream *js);
int gt_json_stream_end(struct gt_json_stream *js, const struct gt_trace *tr,
		       unsigned int flags);

/* ---- syscall filters: strace's -e trace=EXPR --------------------------- */

struct gt_filter;

/*
 * Add the syscalls of @expr to *@f (made on first use): comma-separated
 * names, classes (%file %network %process %memory %signal %ipc %desc),
 * /regex/ (or /regex) on names, "all", "none"; a leading '!' takes the
 * complement of the whole list, a leading '?' on a name ignores it when
 * unknown. Several calls add up. Returns 0, -ENOMEM, or -EINVAL with
 * @err filled in as for any bad input: file "-e EXPR", line 0, the reason.
 */
int gt_filter_add(struct gt_filter **f, const char *expr,
		  struct gt_input_error *err);
/* Whether (@abi, @nr) is selected; a NULL filter selects everything. */
bool gt_filter_match(const struct gt_filter *f, unsigned int abi,
		     unsigned int nr);
void gt_filter_free(struct gt_filter *f);

/*
 * A copy of @tr with only the syscalls @f selects (and their errno
 * counts); summary recomputed. I/O counters are kept whole.
 */
int gt_trace_filter(const struct gt_trace *tr, const struct gt_filter *f,
		    struct gt_trace **out);

/* ---- reports: strace -c tables, CSV, per-call lines -------------------- */

enum gt_sort_key {
	GT_SORT_TIME,		/* total time, largest first (default) */
	GT_SORT_CALLS,		/* largest first */
	GT_SORT_ERRORS,		/* largest first */
	GT_SORT_NAME,
	GT_SORT_NOTHING,	/* by syscall number */
};

/* strace's -S names (time, calls, errors, name, nothing), or -EINVAL. */
int gt_sort_key_parse(const char *name);

struct gt_report_opts {
	int sort;		/* enum gt_sort_key */
	bool per_task;		/* a table per task, then the total */
	bool percentiles;	/* p50/p90/p99/max from the histograms */
};

#define GT_REPORT_OPTS_INIT	{ .sort = GT_SORT_TIME }

/*
 * strace -c's table (ia32 and x32 calls in their own tables), then wall
 * time, peak RSS, exit status, tasks and ring records/drops.
 */
int gt_report_text(const struct gt_trace *tr, const struct gt_report_opts *o,
		   FILE *out);
/* A header row, then one row per syscall (per task and syscall). */
int gt_report_csv(const struct gt_trace *tr, const struct gt_report_opts *o,
		  FILE *out);
/*
 * One per-call record as a line, strace's way: "[pid    42] read(3<pipe>,
 * 0x7ffd1000, 4096) = 4096", the fds, lengths and offsets of the I/O calls
 * in decimal, AT_FDCWD by name, modes in octal, every other argument hex,
 * as many as the syscall takes; @show_time adds its duration (-T).
 */
int gt_report_record(const struct gtrace_record *rec, bool show_time,
		     FILE *out);

/*
 * The same lines for many records, formatted into a large buffer and
 * written in big blocks: what gtrace-run --records uses to keep up with
 * the ring. Same calls and return values as the JSON stream's; _end()
 * flushes and frees.
 */
#define GT_TEXT_TIME	0x1	/* each call's duration, -T */
struct gt_text_stream;
int gt_text_stream_begin(FILE *out, unsigned int flags,
			 struct gt_text_stream **ts);
int gt_text_stream_records(struct gt_text_stream *ts, const void *recs,
			   size_t n, size_t rec_size, const struct gt_filter *f);
int gt_text_stream_flush(struct gt_text_stream *ts);
int gt_text_stream_end(struct gt_text_stream *ts);

/*
 * The one way bytes, durations and changes are shown, in reports,
 * verdicts and the tools: "10485760 bytes (10.0 MiB)" ("100 bytes" below
 * 1 KiB); "812ns", "3.2µs", "1.25ms", "2.5s" ("unbounded" for UINT64_MAX);
 * "+25%", "-3.5%", "+inf%" (at most one decimal, trailing ".0" cut).
 */
void gt_fmt_bytes(char *buf, size_t len, uint64_t bytes);
void gt_fmt_duration(char *buf, size_t len, uint64_t ns);
void gt_fmt_pct(char *buf, size_t len, double pct);

/* ---- verdicts: budget assertions and golden diffs ---------------------- */

/* Worst last: a check set's verdict is the largest of its checks'. */
enum gt_verdict {
	GT_VERDICT_PASS,
	GT_VERDICT_SKIP,	/* disabled (enabled = false) */
	GT_VERDICT_WARN,	/* violated, but fail_on_violation = false */
	GT_VERDICT_FAIL,
};

/* One evaluated assertion (or diff verdict), ready to print. */
struct gt_check {
	char name[128];
	char type[32];		/* "critical_path", ..., "golden_diff" */
	enum gt_verdict verdict;
	char actual[128];	/* "125ms" */
	char budget[128];	/* "100ms" */
	char excess[48];	/* "+25%"; "" when within budget */
	char detail[256];	/* how it was measured; may be "" */
};

/*
 * Print @n checks the way CI logs show them (Documentation/assertions.md):
 *   ❌ Assertion 'example_startup_latency' FAILED
 *      Actual: 125ms
 *      Budget: 100ms
 *      Regression: +25%
 *   ✅ Assertion 'x' passed (Actual: 80ms, Budget: 100ms)
 * then a count line. Returns the worst verdict.
 */
enum gt_verdict gt_checks_print(const struct gt_check *c, size_t n,
				FILE *out);

/* ---- budget assertions (assert.c), see Documentation/assertions.md ---- */

struct gt_assertions;

/*
 * Read the [[assertion]] tables of a TOML budget file (renacer.toml works
 * unchanged). Any syntax error, unknown key, type or pattern, wrong value
 * type or unknown syscall is -EINVAL with "file:line: message" in @err;
 * -errno when the file cannot be read.
 */
int gt_assertions_load(const char *path, struct gt_assertions **out,
		       struct gt_input_error *err);
int gt_assertions_parse(const char *text, size_t len, const char *name,
			struct gt_assertions **out, struct gt_input_error *err);
void gt_assertions_free(struct gt_assertions *as);
size_t gt_assertions_count(const struct gt_assertions *as);

/*
 * Top-level tables of the file that are not assertions (Renacer's [ci],
 * [otlp] ...), ignored, one "file:line: message" note each.
 */
size_t gt_assertions_notes(const struct gt_assertions *as,
			   const struct gt_input_error **notes);

/* Evaluate every assertion on @tr: *@checks (free()) has one per assertion. */
int gt_assertions_eval(const struct gt_assertions *as,
		       const struct gt_trace *tr, struct gt_check **checks,
		       size_t *n);

/* ---- golden diffs (diff.c) --------------------------------------------- */

struct gt_diff_opts {
	double tolerance_pct;	/* allowed change of a count, in percent */
	bool timing;		/* also compare time per syscall */
};

enum gt_diff_kind {
	GT_DIFF_SAME,		/* within tolerance */
	GT_DIFF_MORE,		/* more calls (or errors) than tolerated */
	GT_DIFF_FEWER,		/* fewer than tolerated */
	GT_DIFF_NEW,		/* not in the golden trace */
	GT_DIFF_GONE,		/* in the golden trace only */
	GT_DIFF_SLOWER,		/* --timing: more time than tolerated */
};

/* One syscall (err == 0) or one (syscall, errno) pair. */
struct gt_diff_row {
	uint8_t abi;
	uint32_t nr;
	uint32_t err;		/* positive errno for an error row */
	uint64_t golden_calls, current_calls;	/* errors, for an error row */
	uint64_t golden_ns, current_ns;
	double calls_pct;	/* change in %, INFINITY when golden is 0 */
	double ns_pct;
	enum gt_diff_kind kind;
	bool regression;
};

struct gt_diff {
	size_t nr_rows;
	struct gt_diff_row *rows;	/* syscalls by (abi, nr), then errors */
	size_t regressions;
};

int gt_diff_traces(const struct gt_trace *golden, const struct gt_trace *cur,
		   const struct gt_diff_opts *o, struct gt_diff **out);
void gt_diff_free(struct gt_diff *d);
/* The table, then one line per regression; returns d->regressions != 0. */
int gt_diff_print(const struct gt_diff *d, const struct gt_diff_opts *o,
		  FILE *out);
/* "write: 110 calls, golden 100: +10% (tolerance 5%)" */
void gt_diff_row_message(const struct gt_diff_row *r,
			 const struct gt_diff_opts *o, char *buf, size_t len);
/* The whole diff as one check (name "golden diff"), e.g. for JUnit. */
void gt_diff_check(const struct gt_diff *d, const struct gt_diff_opts *o,
		   struct gt_check *c);

#ifdef __cplusplus
}
#endif

#endif /* GTRACE_TRACE_H */
