/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of libgtrace-trace, the trace layer. Like the client layer's,
 * the gti_ functions are not exported from the shared library (see
 * libgtrace-trace.map); the host unit tests link the static library.
 */
#ifndef GTRACE_TRACE_INTERNAL_H
#define GTRACE_TRACE_INTERNAL_H

#include <regex.h>

#include <gtrace/trace.h>

#include "../gt_common.h"

/*
 * The syscall's name, or "syscall_NR" in @buf when the tables lack it: the
 * one label of an unknown syscall, in JSON, reports and verdicts.
 */
const char *gti_sc_label(unsigned int abi, unsigned int nr, char *buf,
			 size_t len);

/* The label with the ABI in front unless native: "write", "ia32:write". */
void gti_sc_fullname(char *buf, size_t len, unsigned int abi, unsigned int nr);

/* The errno's name ("EBADF"), or its number in @buf when unknown. */
const char *gti_errno_label(int err, char *buf, size_t len);

/* ---- patterns (check.c) ------------------------------------------------- */

/*
 * regcomp(REG_EXTENDED | REG_NOSUB) for the /regex/ of a filter or a
 * budget, refusing what would make glibc's compiler take gigabytes: a
 * repetition operator right after another ("a++", undefined in POSIX
 * ERE) and interval counts whose product passes 1024. 0, or -EINVAL with
 * the reason in @why (@re then needs no regfree).
 */
int gti_regcomp(regex_t *re, const char *pat, char *why, size_t whylen);

/* ---- input files (input.c) -------------------------------------------- */

/* Fill @err ("file:line: msg"); returns -EINVAL. */
int gti_input_error(struct gt_input_error *err, const char *file, int line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define GTI_READ_REGULAR	0x1	/* a regular file only: no pipe, no "-" */

/*
 * Read all of @path ("-": standard input, unless GTI_READ_REGULAR) into
 * *@text, NUL-terminated, at most @max bytes. Returns 0, or -errno with
 * "file: why" in @err (line 0): -EFBIG past @max, -EISDIR or -EINVAL for
 * what GTI_READ_REGULAR refuses, -ENOMEM, or the error of open or read.
 */
int gti_read_file(const char *path, size_t max, unsigned int flags,
		  char **text, size_t *len, struct gt_input_error *err);

#endif /* GTRACE_TRACE_INTERNAL_H */
