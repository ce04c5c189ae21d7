/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of gtrace-json-v1 (json_write.c, json_load.c, json_scan.c).
 */
#ifndef GTRACE_JSON_INTERNAL_H
#define GTRACE_JSON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "trace_internal.h"

/* Largest text the loader reads: json-c's parser takes an int length. */
#define GTI_JSON_MAX_SIZE	((size_t)INT32_MAX - 1)

/* ---- json_scan.c: where values are in the text ------------------------- */

/* One step of a member path: an object key, or an array index. */
struct gti_json_step {
	const char *key;	/* NULL: index */
	size_t index;
};

/* Offset of the first non-blank byte at or after @i. */
size_t gti_json_ws(const char *s, size_t n, size_t i);
/* End (exclusive) of the value that starts at @i, or -1. */
long gti_json_value_end(const char *s, size_t n, size_t i);
/*
 * Start of the value of member @key of the object at @i, -1 if there is
 * none. For a key that comes twice, the last one, which json-c keeps.
 */
long gti_json_member(const char *s, size_t n, size_t i, const char *key);
/* Start of the value at @path from the top of the text, or -1. */
long gti_json_locate(const char *s, size_t n, const struct gti_json_step *path,
		     int depth);
/* The 1-based line of byte @off. */
int gti_json_line_of(const char *s, size_t n, size_t off);

#endif /* GTRACE_JSON_INTERNAL_H */
