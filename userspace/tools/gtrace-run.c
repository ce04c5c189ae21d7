// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-run [options] -- CMD...: trace a command (or, with -p, a running
 * process) with gtrace.ko and report its syscalls the way strace -c does,
 * as JSON or as CSV; then, when asked, check budgets and a golden trace.
 * The options and the run; the process tree is child.c's, the verdicts
 * verdict.c's.
 *
 * Order of a run (see Documentation/gtrace-run.1):
 *   1. fork the child, which waits on a pipe: it is made before the netlink
 *      socket so it does not inherit it (a session dies with the last copy
 *      of its socket, and the traced program has no business holding it);
 *   2. open the client, make the session (target = the child, which is
 *      followed into its children), map the ring when records are wanted;
 *   3. start tracing, release the child, which execs CMD;
 *   4. wait for the whole tree, draining the ring meanwhile;
 *   5. dump the stats, build the gt_trace, report, give the verdicts.
 *
 * The traced program's stdout and stderr are its own; gtrace-run writes
 * only to stderr or to -o FILE. Exit codes (tool.h): 0 pass, 1 assertion
 * or regression failure, 2 bad usage or input file, 3 tracing unavailable,
 * 4 internal error; without verdict options, the traced program's exit
 * code (128 + signal when it was killed), as strace does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gtrace/trace.h>

#include "child.h"
#include "tool.h"
#include "verdict.h"

struct opts {
	bool show_time;			/* -T */
	const char *out_path;		/* -o */
	bool records;			/* per-call lines in the report */
	const char *records_path;	/* --records-file */
	bool no_drops;			/* --no-drops */
	uint32_t wait_max_ms;		/* --wait-max */
	struct tool_report report;	/* --format, -S, -e trace= ... */
	uint32_t ring_pages;
	pid_t attach;			/* -p */
	double duration;		/* --duration, with -p */
	struct verdicts v;		/* --assert, --golden, --junit ... */
	char **argv;			/* the command */
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: gtrace-run [options] -- CMD [ARGS...]\n"
"       gtrace-run [options] -p PID [--duration S]\n"
"\n"
"Trace CMD and its children (or a running process) with gtrace.ko and\n"
"report their syscalls like strace -c. Output goes to stderr or -o FILE.\n"
"\n"
"strace's options:\n"
"  -c             summary table (the default)\n"
"  -f             follow children (always done; accepted for strace's sake)\n"
"  -w             syscall latency, not CPU time (always; accepted)\n"
"  -T             show each call's time in --records lines\n"
"  -e trace=SET   report only these syscalls: names, %%file %%network\n"
"                 %%process %%memory %%signal %%ipc %%desc, /regex/, all,\n"
"                 none; !SET for all but SET\n"
"  -o FILE        write the report to FILE instead of stderr\n"
"  -S KEY         sort by time (default), calls, errors, name or nothing\n"
"  -p PID         attach to PID (and its new children) until Ctrl-C,\n"
"                 --duration or its exit\n"
"gtrace's options:\n"
"  --format F     text (default), json (gtrace-json-v1) or csv\n"
"  --records      per-call records from the ring: one line each in text\n"
"                 (fds and lengths of I/O calls decoded, pointers hex),\n"
"                 \"call_records\" in JSON\n"
"  --records-file FILE  the records, as the kernel wrote them, into a\n"
"                 binary records file (gtrace report FILE reads it)\n"
"  --no-drops     with --records or --records-file: a traced thread that\n"
"                 finds the ring full waits for room instead of losing\n"
"                 the record (the report says how long it waited)\n"
"  --wait-max MS  with --no-drops: the longest wait for one record, after\n"
"                 which it is dropped after all (default 1000)\n"
"  --per-task     a table per task (thread), then the total\n"
"  --percentiles  p50/p90/p99/max latency from the kernel's histograms\n"
"  --ring-pages N record ring pages per CPU (a power of two)\n"
"  --duration S   with -p: stop after S seconds\n"
"  --assert FILE  check the budgets of a TOML file (renacer.toml works)\n"
"  --golden FILE  compare with a golden gtrace-json-v1 trace\n"
"  --tolerance P  allowed change of counts against the golden, in %%\n"
"  --update-golden  write the golden file instead of comparing\n"
"  --junit FILE   write the verdicts as JUnit XML\n"
"  -h, --help     this help;  -V, --version  the version\n"
"\n"
"Exit status: the traced program's, or with --assert/--golden: 0 pass,\n"
"1 budget or regression failure, 2 bad usage or input; always 3 when\n"
"tracing is unavailable (module not loaded, no permission), 4 on an\n"
"internal error (out of memory).\n");
}

/* ---- options ----------------------------------------------------------- */

enum {
	OPT_FORMAT = 256,
	OPT_RECORDS,
	OPT_RECORDS_FILE,
	OPT_NO_DROPS,
	OPT_WAIT_MAX,
	OPT_PER_TASK,
	OPT_PERCENTILES,
	OPT_RING_PAGES,
	OPT_DURATION,
	OPT_ASSERT,
	OPT_GOLDEN,
	OPT_TOLERANCE,
	OPT_UPDATE_GOLDEN,
	OPT_JUNIT,
};

/* 0 to go on, else the exit code (help, version, bad usage). */
static int parse_opts(int argc, char **argv, struct opts *o, int *done)
{
	static const struct option lopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "records", no_argument, NULL, OPT_RECORDS },
		{ "records-file", required_argument, NULL, OPT_RECORDS_FILE },
		{ "no-drops", no_argument, NULL, OPT_NO_DROPS },
		{ "wait-max", required_argument, NULL, OPT_WAIT_MAX },
		{ "per-task", no_argument, NULL, OPT_PER_TASK },
		{ "percentiles", no_argument, NULL, OPT_PERCENTILES },
		{ "ring-pages", required_argument, NULL, OPT_RING_PAGES },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "assert", required_argument, NULL, OPT_ASSERT },
		{ "golden", required_argument, NULL, OPT_GOLDEN },
		{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
		{ "update-golden", no_argument, NULL, OPT_UPDATE_GOLDEN },
		{ "junit", required_argument, NULL, OPT_JUNIT },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool tolerance_set = false, duration_set = false, wait_max_set = false;
	struct gt_input_error ie;
	uint32_t pid;
	int c, k;

	*done = 1;
	/* "+": options end at the command, whose own options are its own. */
	while ((c = getopt_long(argc, argv, "+cfwTe:o:S:p:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'f':
		case 'w':
			break;
		case 'T':
			o->show_time = true;
			break;
		case 'e':
			if (strncmp(optarg, "trace=", 6) && strchr(optarg, '='))
				return tool_usage_err("-e %s: only trace= is supported", optarg);
			k = gt_filter_add(&o->report.filter, optarg, &ie);
			if (k == -ENOMEM)
				return tool_oom();
			if (k)
				return tool_usage_err("%s: %s", ie.file, ie.msg);
			break;
		case 'o':
			o->out_path = optarg;
			break;
		case 'S':
			k = gt_sort_key_parse(optarg);
			if (k < 0)
				return tool_usage_err("-S %s: sort by time, calls, errors, name or nothing",
						 optarg);
			o->report.opts.sort = k;
			break;
		case 'p':
			if (!tool_parse_u32(optarg, &pid) || !pid || pid > INT32_MAX)
				return tool_usage_err("-p %s: not a process id", optarg);
			o->attach = (pid_t)pid;
			break;
		case OPT_FORMAT:
			if (!tool_format_parse(optarg, &o->report.format))
				return tool_usage_err("--format %s: text, json or csv", optarg);
			break;
		case OPT_RECORDS:
			o->records = true;
			break;
		case OPT_RECORDS_FILE:
			o->records_path = optarg;
			break;
		case OPT_NO_DROPS:
			o->no_drops = true;
			break;
		case OPT_WAIT_MAX:
			if (!tool_parse_u32(optarg, &o->wait_max_ms) || !o->wait_max_ms ||
			    o->wait_max_ms > GTRACE_WAIT_MAX_MS_LIMIT)
				return tool_usage_err("--wait-max %s: milliseconds, 1 to %d",
						      optarg, GTRACE_WAIT_MAX_MS_LIMIT);
			wait_max_set = true;
			break;
		case OPT_PER_TASK:
			o->report.opts.per_task = true;
			break;
		case OPT_PERCENTILES:
			o->report.opts.percentiles = true;
			break;
		case OPT_RING_PAGES:
			if (!tool_parse_u32(optarg, &o->ring_pages) || !o->ring_pages ||
			    (o->ring_pages & (o->ring_pages - 1)))
				return tool_usage_err("--ring-pages %s: a power of two", optarg);
			break;
		case OPT_DURATION:
			if (!tool_parse_nonneg(optarg, &o->duration) || !o->duration)
				return tool_usage_err("--duration %s: seconds, more than 0", optarg);
			duration_set = true;
			break;
		case OPT_ASSERT:
			o->v.assert_path = optarg;
			break;
		case OPT_GOLDEN:
			o->v.golden_path = optarg;
			break;
		case OPT_TOLERANCE:
			if (!tool_parse_nonneg(optarg, &o->v.diff.tolerance_pct))
				return tool_usage_err("--tolerance %s: a percentage, 0 or more", optarg);
			tolerance_set = true;
			break;
		case OPT_UPDATE_GOLDEN:
			o->v.update_golden = true;
			break;
		case OPT_JUNIT:
			o->v.junit_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		case 'V':
			printf("gtrace-run %s\n", gt_lib_version());
			return EXIT_PASS;
		default:
			fprintf(stderr, "Try '%s --help'.\n", tool_name);
			return EXIT_USAGE;
		}
	}
	o->argv = argv + optind;
	if (!o->attach && !o->argv[0])
		return tool_usage_err("no command to trace (gtrace-run [options] -- CMD...)");
	if (o->attach && o->argv[0])
		return tool_usage_err("-p and a command do not go together");
	if (duration_set && !o->attach)
		return tool_usage_err("--duration goes with -p");
	if ((tolerance_set || o->v.update_golden) && !o->v.golden_path)
		return tool_usage_err("--tolerance and --update-golden go with --golden");
	if (o->v.junit_path && !o->v.assert_path && !o->v.golden_path)
		return tool_usage_err("--junit needs --assert or --golden");
	if (o->records && o->report.format == TOOL_FMT_CSV)
		return tool_usage_err("--records does not go with --format csv");
	if (o->no_drops && !o->records && !o->records_path)
		return tool_usage_err("--no-drops goes with --records or --records-file");
	if (wait_max_set && !o->no_drops)
		return tool_usage_err("--wait-max goes with --no-drops");
	*done = 0;
	return 0;
}

/* ---- the run ----------------------------------------------------------- */

struct run {
	struct opts *o;
	FILE *out;			/* stderr or out_file's */
	struct tool_file out_file;	/* -o */
	struct gt_client *cl;
	uint32_t id;
	struct gt_ring *ring;
	struct gt_json_stream *js;	/* --records, JSON */
	struct gt_text_stream *ts;	/* --records, text */
	struct tool_file rec_file;	/* --records-file */
	struct gt_records_writer *rw;
	int rec_err;			/* of the records file */
	struct gt_session_info info;	/* at the end */
	uint64_t consumed;
	int ring_err;			/* the ring made no sense: stop reading */
	int out_err;
	uint64_t t0;			/* CLOCK_MONOTONIC at release */
	uint64_t start_real;		/* CLOCK_REALTIME at release */
	uint64_t t_end;			/* root's exit, or end of attach */
	struct child ch;		/* the traced command */
	char *command;
};

static bool want_ring(const struct opts *o)
{
	return o->records || o->records_path;
}

/* A span of records straight from the ring: to the file, to the report. */
static int on_batch(const void *recs, size_t n, size_t rec_size,
		    unsigned int ring, void *ctx)
{
	struct run *r = ctx;
	const struct gt_filter *f = r->o->report.filter;
	int err = 0;

	r->consumed += n;
	/* After a write error: keep draining, report it at the end. */
	if (r->rw && !r->rec_err)
		r->rec_err = gt_records_writer_add(r->rw, recs, n, rec_size, ring);
	if (r->js && !r->out_err)
		err = gt_json_stream_records(r->js, recs, n, rec_size, ring, f);
	if (r->ts && !r->out_err)
		err = gt_text_stream_records(r->ts, recs, n, rec_size, f);
	if (err && !r->out_err)
		r->out_err = err;
	return 0;
}

/* Records handed over, or -errno once the ring makes no sense. */
static int drain_once(struct run *r)
{
	int n;

	if (!r->ring || r->ring_err)
		return r->ring_err;
	n = gt_ring_consume_batch(r->ring, on_batch, r);
	if (n < 0) {
		/* Said once; the counters and the rest of the run go on. */
		tool_err("reading the record ring: %s; no more records",
			 strerror(-n));
		r->ring_err = n;
	}
	return n;
}

/*
 * Everything pending, again while more keeps coming (a bounded number of
 * rounds, so that the wait for the tree goes on); the output buffers are
 * written out when the ring is empty.
 */
static int drain(struct run *r)
{
	int n, rounds = 0;

	do
		n = drain_once(r);
	while (n > 0 && ++rounds < 64);
	if (n == 0 && !r->out_err) {
		if (r->js)
			r->out_err = gt_json_stream_flush(r->js);
		if (r->ts)
			r->out_err = gt_text_stream_flush(r->ts);
	}
	return n < 0 ? n : 0;
}

static char *join_argv(char **argv)
{
	size_t len = 1, i;
	char *s;

	for (i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (i = 0; argv[i]; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

/* The command line of a running process, for -p. */
static char *proc_cmdline(pid_t pid)
{
	char path[64], buf[4096];
	ssize_t n, i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	while (n > 0 && !buf[n - 1])
		n--;
	for (i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = 0;
	return strdup(buf);
}

/* Session and ring; on failure the exit code (3 unavailable, 2 usage). */
static int setup(struct run *r, pid_t target)
{
	struct gt_session_opts so = GT_SESSION_OPTS_INIT;
	int err;

	r->cl = gt_open();
	if (!r->cl)
		return tool_unavailable(-errno, "cannot reach gtrace.ko",
					gt_errmsg(NULL));
	so.target_pid = (uint32_t)target;
	so.flags = want_ring(r->o) ? GTRACE_F_RECORDS : 0;
	if (r->o->no_drops)
		so.flags |= GTRACE_F_NO_DROPS;
	so.wait_max_ms = r->o->wait_max_ms;
	so.ring_pages = want_ring(r->o) ? r->o->ring_pages : 0;
	err = gt_session_new(r->cl, &so, &r->id);
	if (err == -EINVAL || err == -ERANGE) {
		tool_err("%s", gt_errmsg(r->cl));
		return EXIT_USAGE;
	}
	if (err == -ESRCH) {
		tool_err("no process %d", (int)target);
		return EXIT_USAGE;
	}
	if (err)
		return tool_unavailable(err, "cannot make a tracing session",
				   gt_errmsg(r->cl));
	if (want_ring(r->o)) {
		err = gt_ring_open(r->id, &r->ring);
		if (err)
			return tool_unavailable(err, "cannot map the record ring (/dev/gtrace)",
					   strerror(-err));
	}
	if (r->o->records) {
		if (r->o->report.format == TOOL_FMT_JSON)
			err = gt_json_stream_begin(r->out, &r->js);
		else
			err = gt_text_stream_begin(r->out, r->o->show_time ?
						   GT_TEXT_TIME : 0, &r->ts);
		if (err) {
			tool_err("writing the report: %s", strerror(-err));
			return err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
		}
	}
	return 0;
}

/* The records file's header, once the start is known (before the release). */
static int records_file_begin(struct run *r, uint32_t root)
{
	struct gt_records_header h = {
		.flags = GTRACE_F_RECORDS | (r->o->no_drops ? GTRACE_F_NO_DROPS : 0),
		.wait_max_ms = r->o->wait_max_ms,
		.root = root,
		.start_ns = r->start_real,
		.t0_ns = r->t0,
		.clock = GT_RECORDS_CLOCK_LOCAL,
		.command = r->command,
	};
	int err;

	if (!r->o->records_path)
		return 0;
	h.record_size = (uint32_t)gt_ring_record_size(r->ring);
	h.nr_rings = gt_ring_count(r->ring);
	err = gt_records_writer_begin(r->rec_file.f, &h, &r->rw);
	if (err) {
		tool_err("--records-file %s: %s", r->o->records_path,
			 strerror(-err));
		return err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
	}
	return 0;
}

static void drain_io(void *ctx)
{
	struct run *r = ctx;

	if (gt_ring_poll(r->ring, 200) > 0)
		drain(r);
}

/* A command that cannot be run: 127 or 126 as a shell says, 2 with verdicts. */
static int cannot_run(struct run *r, int err)
{
	tool_err("cannot run '%s': %s", r->o->argv[0], strerror(err));
	if (r->o->v.assert_path || r->o->v.golden_path)
		return EXIT_USAGE;
	return err == ENOENT ? 127 : 126;
}

static int trace_command(struct run *r)
{
	int err;

	r->command = join_argv(r->o->argv);
	if (!r->command)
		return tool_oom();
	err = child_find(&r->ch, r->o->argv[0]);
	if (err == -ENOMEM)
		return tool_oom();
	if (err)
		return cannot_run(r, -err);
	err = child_fork(&r->ch, r->o->argv);
	if (err) {
		tool_err("fork: %s", strerror(-err));
		return EXIT_INTERNAL;
	}
	err = setup(r, r->ch.pid);
	if (!err) {
		err = gt_session_start(r->cl, r->id);
		if (err)
			err = tool_unavailable(err, "cannot start tracing",
					       gt_errmsg(r->cl));
	}
	if (err) {
		child_abort(&r->ch);
		return err;
	}
	r->t0 = child_now_ns(CLOCK_MONOTONIC);
	r->start_real = child_now_ns(CLOCK_REALTIME);
	err = records_file_begin(r, (uint32_t)r->ch.pid);
	if (err) {
		child_abort(&r->ch);
		return err;
	}
	err = child_release(&r->ch);
	if (err)
		return cannot_run(r, err);
	child_wait_tree(&r->ch, r->ring ? drain_io : NULL, r);
	r->t_end = r->ch.end_ns;
	return 0;
}

static int attach_process(struct run *r)
{
	uint64_t deadline = 0, last_check = 0, now;
	struct gt_session_info info;
	int err;

	r->command = proc_cmdline(r->o->attach);
	if (!r->command && kill(r->o->attach, 0) && errno == ESRCH) {
		tool_err("no process %d", (int)r->o->attach);
		return EXIT_USAGE;
	}
	err = setup(r, r->o->attach);
	if (err)
		return err;
	err = gt_session_start(r->cl, r->id);
	if (err)
		return tool_unavailable(err, "cannot start tracing",
					gt_errmsg(r->cl));
	r->t0 = child_now_ns(CLOCK_MONOTONIC);
	r->start_real = child_now_ns(CLOCK_REALTIME);
	err = records_file_begin(r, (uint32_t)r->o->attach);
	if (err) {
		gt_session_stop(r->cl, r->id);
		return err;
	}
	if (r->o->duration)
		deadline = r->t0 + (uint64_t)(r->o->duration * 1e9);
	tool_err("attached to %d%s", (int)r->o->attach,
		 deadline ? "" : "; Ctrl-C to stop");
	for (;;) {
		if (child_stop_requested())
			break;
		now = child_now_ns(CLOCK_MONOTONIC);
		if (deadline && now >= deadline)
			break;
		if (now - last_check >= 100000000ULL) {
			last_check = now;
			if (!gt_session_get(r->cl, r->id, &info) &&
			    info.state == GTRACE_STATE_DONE)
				break;
		}
		if (r->ring) {
			if (gt_ring_poll(r->ring, 100) > 0)
				drain(r);
		} else {
			poll(NULL, 0, 100);
		}
	}
	r->t_end = child_now_ns(CLOCK_MONOTONIC);
	gt_session_stop(r->cl, r->id);
	return 0;
}

/* The target task of the dump: the root of the traced tree. */
/* Dump the session into a gt_trace; on failure the exit code. */
static int build_trace(struct run *r, struct gt_trace **out)
{
	struct gt_trace_origin o = {
		.command = r->command,
		.start_ns = r->start_real,
		.t0 = r->t0,
		.t_end = r->t_end,
		.root = (uint32_t)(r->o->attach ? r->o->attach : r->ch.pid),
		.attached = r->o->attach != 0,
		.wait_status = r->ch.status,
		.records = r->consumed,
	};
	struct gt_session_info *info = &r->info;
	struct gt_stats *st;
	struct gt_status ms;
	struct utsname u;
	int err;

	uname(&u);
	o.kernel = u.release;
	o.module_version = gt_status(r->cl, &ms) ? "unknown" : ms.version;
	err = gt_session_get(r->cl, r->id, info);
	if (err)
		return tool_unavailable(err, "cannot read the session", gt_errmsg(r->cl));
	o.drops = r->ring ? gt_ring_drops(r->ring) : info->drops;
	o.tasks_lost = info->tasks_lost;
	o.calls_lost = info->calls_lost;
	o.no_drops = r->o->no_drops;
	o.waits = info->waits;
	o.wait_ns = info->wait_ns;
	err = gt_stats_dump(r->cl, r->id, &st);
	if (err)
		return tool_unavailable(err, "cannot dump the stats", gt_errmsg(r->cl));
	return gt_trace_from_stats(&o, st, out) ? tool_oom() : 0;
}

/* The trailer (counters, tasks), the end marker, and the file in place. */
static int records_file_end(struct run *r, const struct gt_trace *tr)
{
	struct gt_records_trailer t = {
		.written = r->info.records,
		.dropped = tr->drops,
		.waits = r->info.waits,
		.wait_ns = r->info.wait_ns,
		.t_end_ns = r->t_end,
		.tasks_lost = tr->tasks_lost,
		.calls_lost = tr->calls_lost,
		.wait_status = r->ch.status,
		.flags = r->o->attach ? GT_RECORDS_ATTACHED : 0,
	};
	const struct gt_stats *st = tr->stats;
	size_t i;
	int err = r->rec_err;

	snprintf(t.kernel, sizeof(t.kernel), "%s", tr->kernel ? tr->kernel : "");
	snprintf(t.module_version, sizeof(t.module_version), "%s",
		 tr->module_version ? tr->module_version : "");
	t.tasks = calloc(st && st->nr_tasks ? st->nr_tasks : 1, sizeof(*t.tasks));
	if (!t.tasks)
		err = err ? err : -ENOMEM;
	for (i = 0; t.tasks && st && i < st->nr_tasks; i++) {
		const struct gt_task *k = &st->tasks[i];
		struct gt_records_task *d = &t.tasks[i];

		d->tid = k->tid;
		d->tgid = k->tgid;
		d->ppid = k->ppid;
		d->flags = k->flags;
		d->exit_code = k->exit_code;
		d->start_ns = k->start_ns;
		d->exit_ns = k->exit_ns;
		d->rss_peak = k->rss_peak;
		d->vm_peak = k->vm_peak;
		memcpy(d->comm, k->comm, sizeof(d->comm));
		t.nr_tasks++;
	}
	if (err)
		gt_records_writer_free(r->rw);
	else
		err = gt_records_writer_end(r->rw, &t);
	r->rw = NULL;
	free(t.tasks);
	if (!err)
		err = tool_file_commit(&r->rec_file);
	if (err)
		tool_err("writing the records to %s: %s", r->o->records_path,
			 strerror(-err));
	return err ? (err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE) : 0;
}

static int report(struct run *r, const struct gt_trace *tr)
{
	int err = 0;

	if (r->ts) {
		err = gt_text_stream_end(r->ts);
		r->ts = NULL;
		if (err && !r->out_err)
			r->out_err = err;
	}
	err = tool_report_write(tr, &r->o->report, r->out, &r->js);
	return err ? err : r->out_err;
}

static int program_exit(const struct gt_trace *tr)
{
	if (tr->exit_signal)
		return 128 + tr->exit_signal;
	return tr->exit_code;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.report = { .opts = GT_REPORT_OPTS_INIT,
			    .json_flags = GT_JSON_WITH_HIST },
	};
	struct run r = { .o = &o, .ch = CHILD_INIT };
	struct gt_trace *tr = NULL;
	int done, ret, err;

	tool_name = "gtrace-run";
	child_init();
	ret = parse_opts(argc, argv, &o, &done);
	if (done)
		goto out;
	/* Inputs first: nothing runs before every file is read and made. */
	ret = verdicts_prepare(&o.v);
	if (ret)
		goto out;
	r.out = stderr;
	if (o.out_path) {
		err = tool_file_open(&r.out_file, o.out_path);
		if (err) {
			ret = tool_usage_err("-o %s: %s", o.out_path,
					     strerror(-err));
			goto out;
		}
		r.out = r.out_file.f;
	}
	if (o.records_path) {
		err = tool_file_open(&r.rec_file, o.records_path);
		if (err) {
			ret = tool_usage_err("--records-file %s: %s",
					     o.records_path, strerror(-err));
			goto out;
		}
	}
	ret = o.attach ? attach_process(&r) : trace_command(&r);
	if (ret)
		goto out;
	drain(&r);
	ret = build_trace(&r, &tr);
	if (ret)
		goto out;
	if (r.rw) {
		ret = records_file_end(&r, tr);
		if (ret)
			goto out;
	}
	err = report(&r, tr);
	if (!err && o.out_path)
		err = tool_file_commit(&r.out_file);
	if (err) {
		tool_err("writing the report%s%s: %s", o.out_path ? " to " : "",
			 o.out_path ? o.out_path : "", strerror(-err));
		ret = err == -ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
		goto out;
	}
	if (o.v.assert_path || o.v.golden_path)
		ret = verdicts_give(&o.v, tr, stderr);
	else
		ret = o.attach ? EXIT_PASS : program_exit(tr);
out:
	if (r.js)
		gt_json_stream_end(r.js, NULL, 0);
	if (r.ts)
		gt_text_stream_end(r.ts);
	gt_records_writer_free(r.rw);
	tool_file_abort(&r.rec_file);
	tool_file_abort(&r.out_file);	/* not complete: not in place */
	verdicts_free(&o.v);
	gt_trace_free(tr);
	free(r.command);
	child_free(&r.ch);
	gt_ring_close(r.ring);
	gt_close(r.cl);
	gt_filter_free(o.report.filter);
	return ret;
}
