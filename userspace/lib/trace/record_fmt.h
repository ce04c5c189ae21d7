/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record formatters (record_fmt.c) that the text and JSON streams
 * share: one record into a buffer, no stdio.
 */
#ifndef GTRACE_RECORD_FMT_H
#define GTRACE_RECORD_FMT_H

#include "trace_internal.h"

/* Room one formatted record can take, text or JSON, with margin. */
#define GTI_REC_MAX	1024
/* The output buffer: written out when less than GTI_REC_MAX is left. */
#define GTI_OBUF_SIZE	(1024 * 1024)

struct gti_obuf {
	FILE *out;
	char *buf;
	size_t len, cap;
	int err;		/* the first write error sticks */
};

/* The per-syscall tables, made once per process (thread-safe). */
void gti_recfmt_init(void);

/* @r as a text line (with its '\n') at @buf; returns its length. */
size_t gti_fmt_text(char *buf, const struct gtrace_record *r, bool show_time);
/* @r as a call_records element, after a comma unless @first. */
size_t gti_fmt_json(char *buf, const struct gtrace_record *r,
		    unsigned int ring, bool first);

int gti_obuf_init(struct gti_obuf *ob, FILE *out);
/* Write what is buffered: 0 or the first error (-EIO). */
int gti_obuf_flush(struct gti_obuf *ob);
void gti_obuf_free(struct gti_obuf *ob);

#endif /* GTRACE_RECORD_FMT_H */
