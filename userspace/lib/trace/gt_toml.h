/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small, strict TOML parser (toml.c) for budget files: the TOML 1.0
 * subset such files use. Comments, [table], [[array.of.tables]], bare,
 * quoted and dotted keys, basic and literal strings (single and multi-line,
 * with escapes), integers (decimal with _, 0x, 0o, 0b), floats (with inf
 * and nan), booleans, arrays (multi-line, trailing comma) and inline
 * tables. Dates and times are rejected with a message, as is everything
 * else the grammar does not allow: every error is "file:line: message" in a
 * struct gt_input_error, never a crash and never a partial document.
 *
 * Internal to libgtrace (gti_ prefix, not exported from the shared library).
 */
#ifndef GTRACE_GT_TOML_H
#define GTRACE_GT_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_internal.h"

enum gti_toml_type {
	GTI_TOML_STRING,
	GTI_TOML_INT,
	GTI_TOML_FLOAT,
	GTI_TOML_BOOL,
	GTI_TOML_ARRAY,
	GTI_TOML_TABLE,
};

struct gti_toml_table;

struct gti_toml_value {
	enum gti_toml_type type;
	int line;			/* where the value starts */
	bool table_array;		/* an array made by [[header]]s */
	union {
		char *s;		/* UTF-8, no NUL inside */
		int64_t i;
		double f;
		bool b;
		struct {
			size_t n;
			struct gti_toml_value *items;
		} arr;
		struct gti_toml_table *tab;
	};
};

struct gti_toml_kv {
	char *key;
	int line;			/* of the key */
	struct gti_toml_value val;
};

/* How a table came to be; decides what may still be added to it. */
enum gti_toml_origin {
	GTI_TOML_IMPLICIT,	/* only named on the way to a deeper header */
	GTI_TOML_HEADER,	/* [table] or one element of [[table]] */
	GTI_TOML_DOTTED,	/* created by a dotted key: a.b = 1 */
	GTI_TOML_INLINE,	/* { ... }: closed once written */
};

struct gti_toml_table {
	size_t n;
	struct gti_toml_kv *kv;		/* in document order */
	enum gti_toml_origin origin;
	int line;
};

/* Limits that keep a hostile file from costing time or stack. */
#define GTI_TOML_MAX_SIZE	(1u << 20)	/* bytes of input */
#define GTI_TOML_MAX_DEPTH	64		/* nested arrays / inline tables */
#define GTI_TOML_MAX_KEYS	4096		/* keys in one table */

/*
 * Parse @len bytes of @text; @file names it in errors. On success *@out is
 * the root table (free with gti_toml_free()). On failure returns -EINVAL
 * (bad document) or -ENOMEM with @err filled in and *@out NULL.
 */
int gti_toml_parse(const char *text, size_t len, const char *file,
		   struct gti_toml_table **out, struct gt_input_error *err);
/* Read and parse @path; file errors are -errno with line 0. */
int gti_toml_load(const char *path, struct gti_toml_table **out,
		  struct gt_input_error *err);
void gti_toml_free(struct gti_toml_table *t);

/* The value of @key in @t, or NULL. */
const struct gti_toml_kv *gti_toml_find(const struct gti_toml_table *t,
					const char *key);
/* "string", "integer", "float", "boolean", "array", "table". */
const char *gti_toml_type_name(enum gti_toml_type type);

#endif /* GTRACE_GT_TOML_H */
