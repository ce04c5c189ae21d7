// SPDX-License-Identifier: GPL-2.0
/*
 * The common core of the tools (tool.h): one way to say what went wrong,
 * one set of exit codes, one parser per kind of option value.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Whether @path starts as a records file does (never "-": JSON only). */
static bool is_records_file(const char *path)
{
	char magic[8];
	FILE *f;
	bool yes;

	if (!strcmp(path, "-"))
		return false;
	f = fopen(path, "rbe");
	if (!f)
		return false;
	yes = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
		gt_records_file_magic(magic, sizeof(magic));
	fclose(f);
	return yes;
}

int tool_load_trace(const char *path, struct gt_trace **tr)
{
	struct gt_input_error ie;
	int err;

	if (is_records_file(path))
		err = gt_trace_load_records(path, tr, &ie);
	else
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

/* ---- output files that appear whole -------------------------------------- */

/* 0666 less the umask: the mode fopen() would have given. */
static mode_t file_mode(void)
{
	mode_t m = umask(0);

	umask(m);
	return 0666 & ~m;
}

/*
 * An unnamed file in @tf->tmp's directory (O_TMPFILE): a run killed before
 * tool_file_commit() leaves nothing behind. -1 where the file system has
 * none (overlayfs before 6.6, 9p, ...): then a named temporary file.
 */
static int open_unnamed(struct tool_file *tf)
{
	const char *base = strrchr(tf->tmp, '/');
	char *dir;
	int fd;

	dir = base ? strndup(tf->tmp, base - tf->tmp + 1) : strdup(".");
	if (!dir)
		return -1;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dir);
	tf->unnamed = fd >= 0;
	return fd;
}

/*
 * Give the unnamed file of @tf a name, tf->tmp with its XXXXXX made
 * unique, so that rename() can put it in place: 0 or -errno.
 */
static int name_unnamed(struct tool_file *tf)
{
	char proc[32], *x = tf->tmp + strlen(tf->tmp) - 6;
	unsigned long long v;
	struct timespec ts;
	int i, j;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(tf->f));
	for (i = 0; i < 100; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (unsigned long long)ts.tv_nsec * 2654435761u + getpid() + i;
		for (j = 0; j < 6; j++, v /= 36)
			x[j] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, tf->tmp,
			    AT_SYMLINK_FOLLOW)) {
			tf->unnamed = false;	/* a file now: unlink on failure */
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int tool_file_open(struct tool_file *tf, const char *path)
{
	const char *base;
	struct stat st;
	int fd, err;

	memset(tf, 0, sizeof(*tf));
	if (!lstat(path, &st) && S_ISLNK(st.st_mode))
		tf->path = realpath(path, NULL);
	else
		tf->path = strdup(path);
	if (!tf->path)
		return errno == ENOMEM || !errno ? -ENOMEM : -errno;
	if (!stat(tf->path, &st) && !S_ISREG(st.st_mode)) {
		tf->f = fopen(tf->path, "we");
		if (!tf->f)
			goto fail;
		return 0;
	}
	base = strrchr(tf->path, '/');
	base = base ? base + 1 : tf->path;
	/* ".NAME.XXXXXX" beside NAME: the same file system, for rename(). */
	if (asprintf(&tf->tmp, "%.*s.%s.XXXXXX", (int)(base - tf->path),
		     tf->path, base) < 0) {
		tf->tmp = NULL;
		errno = ENOMEM;
		goto fail;
	}
	fd = open_unnamed(tf);
	if (fd < 0)
		fd = mkostemp(tf->tmp, O_CLOEXEC);
	if (fd < 0) {
		free(tf->tmp);
		tf->tmp = NULL;
		goto fail;
	}
	if (fchmod(fd, file_mode()) || !(tf->f = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		if (!tf->unnamed)
			unlink(tf->tmp);
		free(tf->tmp);
		tf->tmp = NULL;
		errno = err;
		goto fail;
	}
	return 0;
fail:
	err = -errno;
	free(tf->path);
	tf->path = NULL;
	return err;
}

int tool_file_commit(struct tool_file *tf)
{
	int err = 0;

	if (!tf->f)
		return -EBADF;
	if (fflush(tf->f) || ferror(tf->f))
		err = errno ? -errno : -EIO;
	if (!err && tf->unnamed)
		err = name_unnamed(tf);
	if (fclose(tf->f) && !err)
		err = -errno;
	tf->f = NULL;
	if (!err && tf->tmp && rename(tf->tmp, tf->path))
		err = -errno;
	if (!err) {	/* in place: nothing to unlink */
		free(tf->tmp);
		tf->tmp = NULL;
	}
	tool_file_abort(tf);
	return err;
}

void tool_file_abort(struct tool_file *tf)
{
	if (tf->f)
		fclose(tf->f);
	if (tf->tmp && !tf->unnamed)
		unlink(tf->tmp);
	free(tf->tmp);
	free(tf->path);
	memset(tf, 0, sizeof(*tf));
}
