// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-run [options] -- CMD...: trace a command (or, with -p, a running
 * process) with gtrace.ko and report its syscalls the way strace -c does,
 * as JSON or as CSV; then, when asked, check budgets and a golden trace.
 *
 * Order of a run (see Documentation/gtrace-run.1):
 *   1. fork the child, which waits on a pipe: it is made before the netlink
 *      socket so it does not inherit it (a session dies with the last copy
 *      of its socket, and the traced program has no business holding it);
 *   2. open the client, make the session (target = the child, which is
 *      followed into its children), map the ring when records are wanted;
 *   3. start tracing, release the child, which execs CMD;
 *   4. wait for the whole tree (gtrace-run is its subreaper, so orphans
 *      come back to it), draining the ring meanwhile and forwarding
 *      SIGINT/SIGTERM/SIGHUP sent to gtrace-run;
 *   5. dump the stats, build the gt_trace, report, run the verdict hooks.
 *
 * The traced program's stdout and stderr are its own; gtrace-run writes
 * only to stderr or to -o FILE. Exit codes: 0 pass, 1 assertion or
 * regression failure, 2 bad usage or input file, 3 tracing unavailable;
 * without verdict options, the traced program's exit code (128 + signal
 * when it was killed), as strace does.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gtrace.h"
#include "verdict.h"

enum {
	EXIT_PASS = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_UNAVAILABLE = 3,
};

enum format { FMT_TEXT, FMT_JSON, FMT_CSV };

struct opts {
	bool show_time;			/* -T */
	struct gt_filter *filter;	/* -e trace= */
	const char *out_path;		/* -o */
	enum format format;
	bool records;
	struct gt_report_opts report;
	uint32_t ring_pages;
	pid_t attach;			/* -p */
	double duration;		/* --duration, with -p */
	const char *assert_path;
	const char *golden;
	double tolerance;
	bool update_golden;
	const char *junit;
	char **argv;			/* the command */
};

static const char *prog = "gtrace-run";

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
"  --records      per-call records from the ring: one line each in text,\n"
"                 \"call_records\" in JSON\n"
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
"1 budget or regression failure, 2 bad usage or input, and always 3 when\n"
"tracing is unavailable (module not loaded, no permission).\n");
}

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	return EXIT_USAGE;
}

/* Tracing cannot happen: say why and how to fix it; exit code 3. */
static int unavailable(int err, const char *what, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, msg);
	switch (-err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		fprintf(stderr,
			"%s: fix: load the module with 'sudo modprobe gtrace'\n"
			"%s:      (from a source tree: 'make && sudo insmod kmod/gtrace.ko')\n",
			prog, prog);
		break;
	case EPERM:
	case EACCES:
		fprintf(stderr,
			"%s: fix: run as root, or trace only processes you may ptrace\n",
			prog);
		break;
	case EAFNOSUPPORT:
	case EPROTONOSUPPORT:
		fprintf(stderr,
			"%s: fix: this kernel has no generic netlink (CONFIG_NET)\n",
			prog);
		break;
	}
	return EXIT_UNAVAILABLE;
}

/* ---- options ----------------------------------------------------------- */

enum {
	OPT_FORMAT = 256,
	OPT_RECORDS,
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

static bool parse_double(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return !errno && end != s && !*end && isfinite(*v) && *v >= 0;
}

static bool parse_u32(const char *s, uint32_t *v)
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

/* 0 to go on, else the exit code (help, version, bad usage). */
static int parse_opts(int argc, char **argv, struct opts *o, int *done)
{
	static const struct option lopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "records", no_argument, NULL, OPT_RECORDS },
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
	bool tolerance_set = false, duration_set = false;
	char err[256];
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
				return bad_usage("-e %s: only trace= is supported", optarg);
			k = gt_filter_add(&o->filter, optarg, err, sizeof(err));
			if (k == -ENOMEM)
				return bad_usage("out of memory");
			if (k)
				return bad_usage("-e %s: %s", optarg, err);
			break;
		case 'o':
			o->out_path = optarg;
			break;
		case 'S':
			k = gt_sort_key_parse(optarg);
			if (k < 0)
				return bad_usage("-S %s: sort by time, calls, errors, name or nothing",
						 optarg);
			o->report.sort = k;
			break;
		case 'p':
			if (!parse_u32(optarg, &pid) || !pid || pid > INT32_MAX)
				return bad_usage("-p %s: not a process id", optarg);
			o->attach = (pid_t)pid;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "text"))
				o->format = FMT_TEXT;
			else if (!strcmp(optarg, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(optarg, "csv"))
				o->format = FMT_CSV;
			else
				return bad_usage("--format %s: text, json or csv", optarg);
			break;
		case OPT_RECORDS:
			o->records = true;
			break;
		case OPT_PER_TASK:
			o->report.per_task = true;
			break;
		case OPT_PERCENTILES:
			o->report.percentiles = true;
			break;
		case OPT_RING_PAGES:
			if (!parse_u32(optarg, &o->ring_pages) || !o->ring_pages ||
			    (o->ring_pages & (o->ring_pages - 1)))
				return bad_usage("--ring-pages %s: a power of two", optarg);
			break;
		case OPT_DURATION:
			if (!parse_double(optarg, &o->duration) || !o->duration)
				return bad_usage("--duration %s: seconds, more than 0", optarg);
			duration_set = true;
			break;
		case OPT_ASSERT:
			o->assert_path = optarg;
			break;
		case OPT_GOLDEN:
			o->golden = optarg;
			break;
		case OPT_TOLERANCE:
			if (!parse_double(optarg, &o->tolerance))
				return bad_usage("--tolerance %s: a percentage, 0 or more", optarg);
			tolerance_set = true;
			break;
		case OPT_UPDATE_GOLDEN:
			o->update_golden = true;
			break;
		case OPT_JUNIT:
			o->junit = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		case 'V':
			printf("gtrace-run %s\n", gt_lib_version());
			return EXIT_PASS;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	o->argv = argv + optind;
	if (!o->attach && !o->argv[0])
		return bad_usage("no command to trace (gtrace-run [options] -- CMD...)");
	if (o->attach && o->argv[0])
		return bad_usage("-p and a command do not go together");
	if (duration_set && !o->attach)
		return bad_usage("--duration goes with -p");
	if ((tolerance_set || o->update_golden) && !o->golden)
		return bad_usage("--tolerance and --update-golden go with --golden");
	if (o->junit && !o->assert_path && !o->golden)
		return bad_usage("--junit needs --assert or --golden");
	if (o->records && o->format == FMT_CSV)
		return bad_usage("--records does not go with --format csv");
#ifndef GTR_HAVE_VERDICT
	if (o->assert_path || o->golden || o->junit)
		return bad_usage("this gtrace-run was built without --assert, "
				 "--golden and --junit (no userspace/tools/verdict.c)");
#endif
	*done = 0;
	return 0;
}

/* ---- signals ----------------------------------------------------------- */

static volatile sig_atomic_t got_signal;	/* to forward, or to stop on */
static volatile sig_atomic_t got_tty_signal;	/* Ctrl-C and friends */

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	/*
	 * A signal from the terminal reached the whole foreground process
	 * group, the traced program included: it needs no second copy.
	 */
	if (si && si->si_code == SI_KERNEL)
		got_tty_signal = sig;
	else
		got_signal = sig;
}

static void on_sigchld(int sig)
{
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/*
	 * A child's exit interrupts the ring's poll(), which is never
	 * restarted; writes of records are, so that no EINTR cuts them.
	 */
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- the run ----------------------------------------------------------- */

static uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct run {
	struct opts *o;
	FILE *out;
	struct gt_client *cl;
	uint32_t id;
	struct gt_ring *ring;
	struct gt_json_stream *js;
	uint64_t consumed;
	int ring_err;			/* the ring made no sense: stop reading */
	int out_err;
	uint64_t t0;			/* CLOCK_MONOTONIC at release */
	uint64_t start_real;		/* CLOCK_REALTIME at release */
	uint64_t t_end;			/* root's exit, or end of attach */
	pid_t root;
	int root_status;
	bool root_done;
	char *command;
	char *file;			/* the program to exec */
};

static int on_record(const struct gtrace_record *rec, unsigned int ring,
		     void *ctx)
{
	struct run *r = ctx;
	int err;

	r->consumed++;
	if (r->out_err || !gt_filter_match(r->o->filter, rec->abi, rec->nr))
		return 0;
	if (r->js)
		err = gt_json_stream_record(r->js, rec, ring);
	else
		err = gt_report_record(rec, r->o->show_time, r->out);
	if (err)
		r->out_err = err;	/* keep draining, report it at the end */
	return 0;
}

static int drain(struct run *r)
{
	int n;

	if (!r->ring || r->ring_err)
		return r->ring_err;
	n = gt_ring_consume(r->ring, on_record, r);
	if (n < 0) {
		/* Said once; the counters and the rest of the run go on. */
		fprintf(stderr, "%s: reading the record ring: %s; no more records\n",
			prog, strerror(-n));
		r->ring_err = n;
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
		return unavailable(-errno, "cannot reach gtrace.ko", gt_errmsg(NULL));
	so.target_pid = (uint32_t)target;
	so.flags = r->o->records ? GTRACE_F_RECORDS : 0;
	so.ring_pages = r->o->records ? r->o->ring_pages : 0;
	err = gt_session_new(r->cl, &so, &r->id);
	if (err == -EINVAL || err == -ERANGE) {
		fprintf(stderr, "%s: %s\n", prog, gt_errmsg(r->cl));
		return EXIT_USAGE;
	}
	if (err == -ESRCH) {
		fprintf(stderr, "%s: no process %d\n", prog, (int)target);
		return EXIT_USAGE;
	}
	if (err)
		return unavailable(err, "cannot make a tracing session",
				   gt_errmsg(r->cl));
	if (r->o->records) {
		err = gt_ring_open(r->id, &r->ring);
		if (err)
			return unavailable(err, "cannot map the record ring (/dev/gtrace)",
					   strerror(-err));
		if (r->o->format == FMT_JSON) {
			err = gt_json_stream_begin(r->out, &r->js);
			if (err) {
				fprintf(stderr, "%s: writing the report: %s\n", prog,
					strerror(-err));
				return EXIT_USAGE;
			}
		}
	}
	return 0;
}

static void reap(struct run *r, pid_t w, int st)
{
	if (w == r->root && !r->root_done) {
		r->root_done = true;
		r->root_status = st;
		r->t_end = now_ns(CLOCK_MONOTONIC);
	}
}

/*
 * Wait for every process of the tree, draining the ring. Returns when
 * none is left, or when Ctrl-C comes after the root has exited (the rest
 * may be daemons that never end).
 */
static void wait_tree(struct run *r)
{
	int st;
	pid_t w;

	for (;;) {
		if (got_signal && !r->root_done) {
			kill(r->root, got_signal);
			got_signal = 0;
		}
		/* The command is gone: a signal now means "stop waiting". */
		if ((got_tty_signal || got_signal) && r->root_done)
			break;
		got_tty_signal = 0;
		if (r->ring) {
			if (gt_ring_poll(r->ring, 200) > 0)
				drain(r);
			while ((w = waitpid(-1, &st, WNOHANG)) > 0)
				reap(r, w, st);
		} else {
			w = waitpid(-1, &st, 0);
			if (w > 0)
				reap(r, w, st);
		}
		if (w < 0 && errno == ECHILD)
			break;
	}
	if (!r->root_done) {	/* cannot be: it was our child */
		r->root_done = true;
		r->t_end = now_ns(CLOCK_MONOTONIC);
	}
}

/*
 * The program execvp() would run, looked up here rather than in the
 * traced child, whose failed execve() calls would show in the trace.
 * NULL with errno set when there is none.
 */
static char *find_program(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	int err = ENOENT;
	char *full;

	if (strchr(name, '/')) {
		if (access(name, X_OK))
			return NULL;
		return strdup(name);
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		size_t len;

		end = strchrnul(p, ':');
		len = (size_t)(end - p);
		if (asprintf(&full, "%.*s%s%s", (int)len, len ? p : ".",
			     len && p[len - 1] == '/' ? "" : "/", name) < 0)
			return NULL;
		if (!access(full, X_OK)) {
			struct stat st;

			if (!stat(full, &st) && S_ISREG(st.st_mode))
				return full;
		} else if (errno == EACCES) {
			err = EACCES;
		}
		free(full);
		if (!*end)
			break;
	}
	errno = err;
	return NULL;
}

/* Fork the child that will exec @file once released. */
static pid_t spawn(const char *file, char **argv, int *go, int *execerr)
{
	int p[2], e[2];
	pid_t pid;
	char b;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	if (pipe2(e, O_CLOEXEC)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		close(e[0]);
		close(e[1]);
		return -1;
	}
	if (pid == 0) {
		int err;

		close(p[1]);
		close(e[0]);
		/* EOF instead of the byte: gtrace-run gave up; do not run. */
		if (read(p[0], &b, 1) != 1)
			_exit(127);
		execv(file, argv);
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(err == ENOENT ? 127 : 126);
	}
	close(p[0]);
	close(e[1]);
	*go = p[1];
	*execerr = e[0];
	return pid;
}

static int trace_command(struct run *r)
{
	int go = -1, execerr = -1, err, e, st;
	ssize_t n;

	r->command = join_argv(r->o->argv);
	if (!r->command)
		return bad_usage("out of memory");
	r->file = find_program(r->o->argv[0]);
	if (!r->file) {
		e = errno;
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, r->o->argv[0],
			strerror(e));
		if (r->o->assert_path || r->o->golden)
			return EXIT_USAGE;
		return e == ENOENT ? 127 : 126;
	}
	r->root = spawn(r->file, r->o->argv, &go, &execerr);
	if (r->root < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		return EXIT_UNAVAILABLE;
	}
	/* Orphans of the tree come back to us, to be waited for. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	err = setup(r, r->root);
	if (!err) {
		catch_signals();
		err = gt_session_start(r->cl, r->id);
		if (err)
			err = unavailable(err, "cannot start tracing", gt_errmsg(r->cl));
	}
	if (err) {
		close(go);	/* the child reads EOF and leaves */
		close(execerr);
		waitpid(r->root, &st, 0);
		return err;
	}
	r->t0 = now_ns(CLOCK_MONOTONIC);
	r->start_real = now_ns(CLOCK_REALTIME);
	if (write(go, "g", 1) != 1)
		kill(r->root, SIGKILL);
	close(go);
	do {
		n = read(execerr, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(execerr);
	if (n == sizeof(e)) {
		fprintf(stderr, "%s: cannot run '%s': %s\n", prog, r->o->argv[0],
			strerror(e));
		waitpid(r->root, &st, 0);
		if (r->o->assert_path || r->o->golden)
			return EXIT_USAGE;
		return e == ENOENT ? 127 : 126;
	}
	wait_tree(r);
	return 0;
}

static int attach_process(struct run *r)
{
	uint64_t deadline = 0, last_check = 0, now;
	struct gt_session_info info;
	int err;

	r->command = proc_cmdline(r->o->attach);
	if (!r->command && kill(r->o->attach, 0) && errno == ESRCH) {
		fprintf(stderr, "%s: no process %d\n", prog, (int)r->o->attach);
		return EXIT_USAGE;
	}
	err = setup(r, r->o->attach);
	if (err)
		return err;
	catch_signals();
	err = gt_session_start(r->cl, r->id);
	if (err)
		return unavailable(err, "cannot start tracing", gt_errmsg(r->cl));
	r->t0 = now_ns(CLOCK_MONOTONIC);
	r->start_real = now_ns(CLOCK_REALTIME);
	if (r->o->duration)
		deadline = r->t0 + (uint64_t)(r->o->duration * 1e9);
	fprintf(stderr, "%s: attached to %d%s\n", prog, (int)r->o->attach,
		deadline ? "" : "; Ctrl-C to stop");
	for (;;) {
		if (got_signal || got_tty_signal)
			break;
		now = now_ns(CLOCK_MONOTONIC);
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
	r->t_end = now_ns(CLOCK_MONOTONIC);
	gt_session_stop(r->cl, r->id);
	return 0;
}

/* The target task of the dump: the root of the traced tree. */
static const struct gt_task *target_task(const struct gt_stats *st, pid_t pid)
{
	size_t i;

	for (i = 0; i < st->nr_tasks; i++)
		if (st->tasks[i].tid == (uint32_t)pid)
			return &st->tasks[i];
	return NULL;
}

static void set_exit(struct gt_trace *tr, int status)
{
	if (WIFSIGNALED(status)) {
		tr->exit_code = -1;
		tr->exit_signal = WTERMSIG(status);
	} else {
		tr->exit_code = WEXITSTATUS(status);
		tr->exit_signal = 0;
	}
}

/* Dump the session into a gt_trace; on failure the exit code. */
static int build_trace(struct run *r, struct gt_trace **out)
{
	struct gt_session_info info;
	const struct gt_task *t;
	struct gt_trace *tr;
	struct gt_status ms;
	struct utsname u;
	pid_t target = r->o->attach ? r->o->attach : r->root;
	int err;

	tr = calloc(1, sizeof(*tr));
	if (!tr)
		return bad_usage("out of memory");
	*out = tr;
	tr->command = r->command;
	r->command = NULL;
	uname(&u);
	tr->kernel = strdup(u.release);
	tr->module_version = strdup(gt_status(r->cl, &ms) ? "unknown" : ms.version);
	tr->start_ns = r->start_real;
	err = gt_session_get(r->cl, r->id, &info);
	if (err)
		return unavailable(err, "cannot read the session", gt_errmsg(r->cl));
	tr->records = r->consumed;
	tr->drops = r->ring ? gt_ring_drops(r->ring) : info.drops;
	tr->tasks_lost = info.tasks_lost;
	tr->calls_lost = info.calls_lost;
	err = gt_stats_dump(r->cl, r->id, &tr->stats);
	if (err)
		return unavailable(err, "cannot dump the stats", gt_errmsg(r->cl));
	err = gt_stats_summarize(tr->stats, &tr->sum);
	if (err || !tr->kernel || !tr->module_version)
		return bad_usage("out of memory");

	t = target_task(tr->stats, target);
	/* The kernel saw the root exit, on the same clock: the exact end. */
	if (t && (t->flags & GTRACE_TF_EXITED) && t->exit_ns > r->t0 &&
	    (!r->o->attach || t->exit_ns < r->t_end))
		tr->wall_ns = t->exit_ns - r->t0;
	else
		tr->wall_ns = r->t_end - r->t0;
	if (!r->o->attach)
		set_exit(tr, r->root_status);
	else if (t && (t->flags & GTRACE_TF_EXITED))
		set_exit(tr, (int)t->exit_code);
	return 0;
}

static int report(struct run *r, const struct gt_trace *tr)
{
	struct gt_trace *shown = NULL;
	int err = 0;

	if (r->o->filter) {
		err = gt_trace_filter(tr, r->o->filter, &shown);
		if (err)
			return err;
		tr = shown;
	}
	switch (r->o->format) {
	case FMT_TEXT:
		err = gt_report_text(tr, &r->o->report, r->out);
		break;
	case FMT_CSV:
		err = gt_report_csv(tr, &r->o->report, r->out);
		break;
	case FMT_JSON:
		if (r->js) {
			err = gt_json_stream_end(r->js, tr, GT_JSON_WITH_HIST);
			r->js = NULL;
		} else {
			err = gt_trace_write_json(tr, GT_JSON_WITH_HIST, r->out);
		}
		break;
	}
	gt_trace_free(shown);
	return err ? err : r->out_err;
}

#ifdef GTR_HAVE_VERDICT
static int verdicts(struct opts *o, const struct gt_trace *tr)
{
	int v, worst = GTR_PASS;

	if (o->assert_path) {
		v = gtr_assert_file(tr, o->assert_path, stderr);
		worst = v > worst ? v : worst;
	}
	if (o->golden) {
		v = gtr_golden(tr, o->golden, o->tolerance, o->update_golden, stderr);
		worst = v > worst ? v : worst;
	}
	if (o->junit) {
		v = gtr_junit(o->junit, tr, o->assert_path,
			      o->update_golden ? NULL : o->golden, o->tolerance);
		worst = v > worst ? v : worst;
	}
	return worst;
}
#else
static int verdicts(struct opts *o, const struct gt_trace *tr)
{
	return GTR_PASS;	/* parse_opts() refused the options */
}
#endif

static int program_exit(const struct gt_trace *tr)
{
	if (tr->exit_signal)
		return 128 + tr->exit_signal;
	return tr->exit_code;
}

int main(int argc, char **argv)
{
	struct opts o = { .report = GT_REPORT_OPTS_INIT };
	struct gt_trace *tr = NULL;
	struct run r = { .o = &o };
	int done, ret, err;

	ret = parse_opts(argc, argv, &o, &done);
	if (done)
		goto out;
	r.out = stderr;
	if (o.out_path) {
		r.out = fopen(o.out_path, "we");
		if (!r.out) {
			ret = bad_usage("-o %s: %s", o.out_path, strerror(errno));
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
	err = report(&r, tr);
	if (err) {
		fprintf(stderr, "%s: writing the report%s%s: %s\n", prog,
			o.out_path ? " to " : "", o.out_path ? o.out_path : "",
			strerror(-err));
		ret = EXIT_USAGE;
		goto out;
	}
	if (o.assert_path || o.golden) {
		ret = verdicts(&o, tr);
	} else {
		ret = o.attach ? EXIT_PASS : program_exit(tr);
	}
out:
	if (r.js)
		gt_json_stream_end(r.js, NULL, 0);
	if (r.out && r.out != stderr && fclose(r.out) && !ret)
		ret = EXIT_USAGE;
	gt_trace_free(tr);
	free(r.command);
	free(r.file);
	gt_ring_close(r.ring);
	gt_close(r.cl);
	gt_filter_free(o.filter);
	return ret;
}
