/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals shared by the assertion engine (assert.c) and the golden diff
 * (diff.c): syscall name patterns and how numbers are shown in verdicts.
 */
#ifndef GTRACE_GT_CHECK_H
#define GTRACE_GT_CHECK_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_internal.h"

/*
 * A syscall name pattern: an exact name, a glob (when it has * ? or [)
 * matched with fnmatch(3), or /regex/ (POSIX extended, unanchored).
 */
struct gti_match {
	char *text;		/* as written */
	enum { GTI_M_NAME, GTI_M_GLOB, GTI_M_REGEX } kind;
	regex_t re;
};

/*
 * Compile @text. Returns 0, -ENOMEM, or -EINVAL with the reason in @why
 * (a bad regex, or a pattern that names no syscall of any ABI).
 */
int gti_match_init(struct gti_match *m, const char *text, char *why,
		   size_t whylen);
void gti_match_fini(struct gti_match *m);
bool gti_match_name(const struct gti_match *m, const char *name);
/* Whether @m selects syscall (@abi, @nr); unknown numbers never match. */
bool gti_match_sc(const struct gti_match *m, unsigned int abi,
		  unsigned int nr);

/* "125ms", "1.5ms", "0.004ms": milliseconds with trailing zeros cut. */
void gti_fmt_ms(char *buf, size_t len, uint64_t ns);
/* @v with up to @decimals decimals, trailing zeros cut: "0.7", "100". */
void gti_fmt_num(char *buf, size_t len, double v, int decimals);

#endif /* GTRACE_GT_CHECK_H */
