// SPDX-License-Identifier: GPL-2.0
/*
 * Input files, TOML budgets and JSON traces alike: reading one whole, and
 * the "file:line: message" of what is wrong with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_internal.h"

int gti_input_error(struct gt_input_error *err, const char *file, int line,
		    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -EINVAL;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "<input>");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

void gt_input_error_print(const struct gt_input_error *e, FILE *out)
{
	if (e->line > 0)
		fprintf(out, "%s:%d: %s\n", e->file, e->line, e->msg);
	else
		fprintf(out, "%s: %s\n", e->file, e->msg);
}

/* @ret (a negative errno) with its reason in @err. */
static int file_error(struct gt_input_error *err, const char *path, int ret,
		      const char *why)
{
	gti_input_error(err, path, 0, "%s", why ? why : strerror(-ret));
	return ret;
}

/* Read @fd to its end into a buffer of at most @max bytes (plus the NUL). */
static int read_fd(int fd, size_t cap, size_t max, char **text, size_t *len)
{
	size_t n = 0;
	char *buf = malloc(cap), *p;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - n < 2) {
			p = cap > max ? NULL : realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return cap > max ? -EFBIG : -ENOMEM;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			r = -errno;
			free(buf);
			return (int)r;
		}
		if (!r)
			break;
		n += (size_t)r;
		/* Stop an endless stream (/dev/zero, a pipe) at the limit. */
		if (n > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[n] = 0;
	*text = buf;
	*len = n;
	return 0;
}

int gti_read_file(const char *path, size_t max, unsigned int flags,
		  char **text, size_t *len, struct gt_input_error *err)
{
	bool in = !(flags & GTI_READ_REGULAR) && !strcmp(path, "-");
	int fd = in ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 65536;
	struct stat st;
	char why[64];
	int ret;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return file_error(err, path, -errno, NULL);
	if (fstat(fd, &st)) {
		ret = file_error(err, path, -errno, NULL);
		goto out;
	}
	if ((flags & GTI_READ_REGULAR) && !S_ISREG(st.st_mode)) {
		ret = file_error(err, path, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
				 "not a regular file");
		goto out;
	}
	/* A regular file in one read, if it does not grow meanwhile. */
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size < max)
		cap = (size_t)st.st_size + 2;
	ret = read_fd(fd, cap, max, text, len);
	if (ret == -EFBIG) {
		snprintf(why, sizeof(why), "file too large (more than %zu bytes)",
			 max);
		file_error(err, path, ret, why);
	} else if (ret) {
		file_error(err, path, ret, ret == -ENOMEM ? "out of memory" : NULL);
	}
out:
	if (!in)
		close(fd);
	return ret;
}
