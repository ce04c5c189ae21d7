// SPDX-License-Identifier: GPL-2.0
/*
 * A strict TOML parser for budget files (see gt_toml.h for the subset).
 *
 * The whole input is checked first: valid UTF-8, no NUL, no control
 * character other than tab and line ends, no CR without LF. The parser
 * proper then walks it once, building tables as it goes, and stops at the
 * first error with the line it was found on. Table rules follow TOML 1.0:
 * a key or [table] is defined once; a dotted key only extends tables that
 * dotted keys made; a [header] may name a table that only deeper headers
 * made so far, but not one made by dotted keys; inline tables and static
 * arrays are closed once written.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_internal.h"
#include "gt_toml.h"

#define MAX_KEY_PARTS	32

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	int line;
	const char *file;
	struct gt_input_error *err;
	int depth;
	struct gti_toml_table *root;
	struct gti_toml_table *cur;	/* where key = value lines go */
	bool oom;
};

struct key {
	size_t n;
	char *part[MAX_KEY_PARTS];
	int line;
};

struct buf {
	char *p;
	size_t n;
	size_t cap;
};

static int fail_at(struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail_at(struct parser *ps, int line, const char *fmt, ...)
{
	struct gt_input_error *err = ps->err;
	va_list ap;

	if (!err)
		return -EINVAL;
	snprintf(err->file, sizeof(err->file), "%s", ps->file);
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

#define fail(ps, ...)	fail_at((ps), (ps)->line, __VA_ARGS__)

static int nomem(struct parser *ps)
{
	fail(ps, "out of memory");
	ps->oom = true;
	return -ENOMEM;
}

/*
 * @k made printable for a message: control characters as \xNN, at most
 * about 60 bytes (cut on a UTF-8 boundary).
 */
static const char *show(char *out, size_t size, const char *k)
{
	size_t o = 0;

	for (; *k && o + 8 < size; k++) {
		unsigned char c = *k;

		if (o > 60 && (c & 0xc0) != 0x80) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f)
			o += snprintf(out + o, size - o, "\\x%02x", c);
		else
			out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

/* The character at the cursor, for "unexpected ..." messages. */
static const char *show_char(char *out, size_t size, const struct parser *ps)
{
	unsigned char c;

	if (ps->pos >= ps->len)
		return "end of file";
	c = ps->s[ps->pos];
	if (c == '\n' || c == '\r')
		return "end of line";
	if (c > 0x20 && c < 0x7f)
		snprintf(out, size, "'%c'", c);
	else if (c == ' ' || c == '\t')
		return "whitespace";
	else
		snprintf(out, size, "byte 0x%02x", c);
	return out;
}

/* ---- input checks ------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at @s (up to @n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && s[1] >= 0xa0)		/* surrogate */
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)		/* above U+10FFFF */
			return 0;
		return 4;
	}
	return 0;
}

static int check_text(struct parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->s;
	int line = 1;
	size_t i, n;

	for (i = ps->pos; i < ps->len; i += n) {
		unsigned char c = s[i];

		n = 1;
		if (c == '\n') {
			line++;
		} else if (c == '\r') {
			if (i + 1 >= ps->len || s[i + 1] != '\n')
				return fail_at(ps, line, "carriage return without a line feed");
		} else if (c == 0) {
			return fail_at(ps, line, "NUL byte in the file");
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			return fail_at(ps, line, "control character 0x%02x is not allowed", c);
		} else if (c >= 0x80) {
			n = utf8_len(s + i, ps->len - i);
			if (!n)
				return fail_at(ps, line, "invalid UTF-8");
		}
	}
	return 0;
}

/* ---- tables ------------------------------------------------------------ */

const char *gti_toml_type_name(enum gti_toml_type type)
{
	static const char *const names[] = {
		[GTI_TOML_STRING] = "string",
		[GTI_TOML_INT] = "integer",
		[GTI_TOML_FLOAT] = "float",
		[GTI_TOML_BOOL] = "boolean",
		[GTI_TOML_ARRAY] = "array",
		[GTI_TOML_TABLE] = "table",
	};

	return (unsigned int)type < GTI_ARRAY_SIZE(names) ? names[type] : "?";
}

static void value_free(struct gti_toml_value *v)
{
	size_t i;

	switch (v->type) {
	case GTI_TOML_STRING:
		free(v->s);
		break;
	case GTI_TOML_ARRAY:
		for (i = 0; i < v->arr.n; i++)
			value_free(&v->arr.items[i]);
		free(v->arr.items);
		break;
	case GTI_TOML_TABLE:
		gti_toml_free(v->tab);
		break;
	default:
		break;
	}
}

void gti_toml_free(struct gti_toml_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->kv[i].key);
		value_free(&t->kv[i].val);
	}
	free(t->kv);
	free(t);
}

const struct gti_toml_kv *gti_toml_find(const struct gti_toml_table *t,
					const char *key)
{
	size_t i;

	for (i = 0; t && i < t->n; i++)
		if (!strcmp(t->kv[i].key, key))
			return &t->kv[i];
	return NULL;
}

static struct gti_toml_kv *find(struct gti_toml_table *t, const char *key)
{
	return (struct gti_toml_kv *)gti_toml_find(t, key);
}

static struct gti_toml_table *table_new(enum gti_toml_origin origin, int line)
{
	struct gti_toml_table *t = calloc(1, sizeof(*t));

	if (t) {
		t->origin = origin;
		t->line = line;
	}
	return t;
}

/*
 * Add @key = @val to @t. Takes @key (NULL: out of memory) and the value's
 * contents in all cases (freed on failure): callers need not clean up.
 */
static struct gti_toml_kv *add(struct parser *ps, struct gti_toml_table *t,
			       char *key, int line, struct gti_toml_value *val)
{
	struct gti_toml_kv *kv;

	if (!key) {
		nomem(ps);
		goto out;
	}
	if (t->n >= GTI_TOML_MAX_KEYS) {
		fail_at(ps, line, "more than %d keys in one table",
			GTI_TOML_MAX_KEYS);
		goto out;
	}
	kv = gti_grow(t->kv, t->n, sizeof(*kv));
	if (!kv) {
		nomem(ps);
		goto out;
	}
	t->kv = kv;
	kv = &t->kv[t->n++];
	kv->key = key;
	kv->line = line;
	kv->val = *val;
	return kv;
out:
	free(key);
	value_free(val);
	return NULL;
}

/* A new sub-table @key of @t, or NULL (error set). Takes @key. */
static struct gti_toml_table *add_table(struct parser *ps,
					struct gti_toml_table *t, char *key,
					int line, enum gti_toml_origin origin)
{
	struct gti_toml_value v = { .type = GTI_TOML_TABLE, .line = line };

	v.tab = table_new(origin, line);
	if (!v.tab) {
		free(key);
		nomem(ps);
		return NULL;
	}
	return add(ps, t, key, line, &v) ? v.tab : NULL;
}

static void key_free(struct key *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->part[i]);
	k->n = 0;
}

/* A copy of part @i for add(), which checks for NULL (out of memory). */
static char *key_dup(const struct key *k, size_t i)
{
	return strdup(k->part[i]);
}

/* "a.b.c" for messages. */
static const char *key_show(char *out, size_t size, const struct key *k,
			    size_t upto)
{
	char part[80];
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i <= upto && i < k->n && o + 1 < size; i++)
		o += snprintf(out + o, size - o, "%s%s", i ? "." : "",
			      show(part, sizeof(part), k->part[i]));
	return out;
}

/* Mark an inline table and the dotted tables in it closed. */
static void seal(struct gti_toml_table *t)
{
	size_t i;

	t->origin = GTI_TOML_INLINE;
	for (i = 0; i < t->n; i++) {
		struct gti_toml_value *v = &t->kv[i].val;

		if (v->type == GTI_TOML_TABLE && v->tab->origin == GTI_TOML_DOTTED)
			seal(v->tab);
	}
}

/* What an existing value is, for "already defined" messages. */
static const char *what(const struct gti_toml_value *v)
{
	if (v->type == GTI_TOML_ARRAY && v->table_array)
		return "an array of tables";
	if (v->type == GTI_TOML_TABLE && v->tab->origin == GTI_TOML_INLINE)
		return "an inline table";
	switch (v->type) {
	case GTI_TOML_STRING: return "a string";
	case GTI_TOML_INT: return "an integer";
	case GTI_TOML_FLOAT: return "a float";
	case GTI_TOML_BOOL: return "a boolean";
	case GTI_TOML_ARRAY: return "an array";
	default: return "a table";
	}
}

/* key = value: walk / make the dotted tables, then add the last part. */
static int set_dotted(struct parser *ps, struct gti_toml_table *t,
		      struct key *k, struct gti_toml_value *val)
{
	char name[256];
	size_t i;

	for (i = 0; i + 1 < k->n; i++) {
		struct gti_toml_kv *kv = find(t, k->part[i]);

		if (!kv) {
			t = add_table(ps, t, key_dup(k, i), k->line,
				      GTI_TOML_DOTTED);
			if (!t)
				goto fail;
			continue;
		}
		if (kv->val.type != GTI_TOML_TABLE ||
		    kv->val.tab->origin == GTI_TOML_INLINE) {
			fail_at(ps, k->line, "key '%s' is already %s (line %d)",
				key_show(name, sizeof(name), k, i),
				what(&kv->val), kv->line);
			goto fail;
		}
		if (kv->val.tab->origin != GTI_TOML_DOTTED) {
			fail_at(ps, k->line,
				"table [%s] was defined by a header (line %d): a dotted key cannot add to it",
				key_show(name, sizeof(name), k, i), kv->line);
			goto fail;
		}
		t = kv->val.tab;
	}
	{
		struct gti_toml_kv *kv = find(t, k->part[k->n - 1]);

		if (kv) {
			fail_at(ps, k->line, "duplicate key '%s' (first defined at line %d)",
				key_show(name, sizeof(name), k, k->n - 1),
				kv->line);
			goto fail;
		}
	}
	if (!add(ps, t, key_dup(k, k->n - 1), k->line, val))
		return -EINVAL;
	return 0;
fail:
	value_free(val);
	return -EINVAL;
}

/* [a.b.c] or [[a.b.c]]: make ps->cur the table it names. */
static int open_header(struct parser *ps, struct key *k, bool array)
{
	struct gti_toml_table *t = ps->root;
	struct gti_toml_kv *kv;
	char name[256];
	size_t i, last = k->n - 1;

	for (i = 0; i < last; i++) {
		kv = find(t, k->part[i]);
		if (!kv) {
			t = add_table(ps, t, key_dup(k, i), k->line,
				      GTI_TOML_IMPLICIT);
			if (!t)
				return -EINVAL;
		} else if (kv->val.type == GTI_TOML_TABLE &&
			   kv->val.tab->origin != GTI_TOML_INLINE) {
			t = kv->val.tab;
		} else if (kv->val.type == GTI_TOML_ARRAY &&
			   kv->val.table_array) {
			t = kv->val.arr.items[kv->val.arr.n - 1].tab;
		} else {
			return fail_at(ps, k->line, "'%s' is already %s (line %d), not a table",
				       key_show(name, sizeof(name), k, i),
				       what(&kv->val), kv->line);
		}
	}

	key_show(name, sizeof(name), k, last);
	kv = find(t, k->part[last]);
	if (!array) {
		if (!kv) {
			ps->cur = add_table(ps, t, key_dup(k, last), k->line,
					    GTI_TOML_HEADER);
			return ps->cur ? 0 : -EINVAL;
		}
		if (kv->val.type == GTI_TOML_TABLE) {
			switch (kv->val.tab->origin) {
			case GTI_TOML_IMPLICIT:
				kv->val.tab->origin = GTI_TOML_HEADER;
				kv->val.tab->line = k->line;
				kv->line = k->line;
				ps->cur = kv->val.tab;
				return 0;
			case GTI_TOML_HEADER:
				return fail_at(ps, k->line, "table [%s] defined twice (first at line %d)",
					       name, kv->val.tab->line);
			case GTI_TOML_DOTTED:
				return fail_at(ps, k->line, "table [%s] was already defined by dotted keys (line %d)",
					       name, kv->line);
			default:
				break;
			}
		}
		if (kv->val.type == GTI_TOML_ARRAY && kv->val.table_array)
			return fail_at(ps, k->line, "[%s] is an array of tables (line %d): use [[%s]]",
				       name, kv->line, name);
		return fail_at(ps, k->line, "'%s' is already %s (line %d)",
			       name, what(&kv->val), kv->line);
	}

	if (!kv) {
		struct gti_toml_value v = {
			.type = GTI_TOML_ARRAY, .line = k->line,
			.table_array = true,
		};

		kv = add(ps, t, key_dup(k, last), k->line, &v);
		if (!kv)
			return -EINVAL;
	} else if (kv->val.type != GTI_TOML_ARRAY || !kv->val.table_array) {
		return fail_at(ps, k->line, "'%s' is already %s (line %d), not an array of tables",
			       name, what(&kv->val), kv->line);
	}
	{
		struct gti_toml_value *items = kv->val.arr.items;
		struct gti_toml_value *v;

		if (kv->val.arr.n >= GTI_TOML_MAX_KEYS)
			return fail_at(ps, k->line, "more than %d tables in [[%s]]",
				       GTI_TOML_MAX_KEYS, name);
		items = gti_grow(items, kv->val.arr.n, sizeof(*items));
		if (!items)
			return nomem(ps);
		kv->val.arr.items = items;
		v = &items[kv->val.arr.n];
		memset(v, 0, sizeof(*v));
		v->type = GTI_TOML_TABLE;
		v->line = k->line;
		v->tab = table_new(GTI_TOML_HEADER, k->line);
		if (!v->tab)
			return nomem(ps);
		kv->val.arr.n++;
		ps->cur = v->tab;
	}
	return 0;
}

/* ---- lexing ------------------------------------------------------------ */

static int peek(const struct parser *ps)
{
	return ps->pos < ps->len ? (unsigned char)ps->s[ps->pos] : -1;
}

static int peek_at(const struct parser *ps, size_t off)
{
	return ps->pos + off < ps->len ?
		(unsigned char)ps->s[ps->pos + off] : -1;
}

static bool looking_at(const struct parser *ps, const char *str)
{
	size_t n = strlen(str);

	return ps->len - ps->pos >= n && !memcmp(ps->s + ps->pos, str, n);
}

static void skip_ws(struct parser *ps)
{
	while (peek(ps) == ' ' || peek(ps) == '\t')
		ps->pos++;
}

static bool at_eol(const struct parser *ps)
{
	int c = peek(ps);

	return c == '\n' || c == '\r';	/* check_text(): \r is always \r\n */
}

/* Consume a line end; false when there is none at the cursor. */
static bool newline(struct parser *ps)
{
	if (peek(ps) == '\r')
		ps->pos++;
	if (peek(ps) != '\n')
		return false;
	ps->pos++;
	ps->line++;
	return true;
}

static void skip_comment(struct parser *ps)
{
	if (peek(ps) == '#')
		while (ps->pos < ps->len && !at_eol(ps))
			ps->pos++;
}

/* Whitespace, comments and line ends, as between array elements. */
static void skip_blank(struct parser *ps)
{
	for (;;) {
		skip_ws(ps);
		skip_comment(ps);
		if (!newline(ps))
			return;
	}
}

/* After a key = value or a header: only a comment, then a line end. */
static int end_of_line(struct parser *ps, const char *after)
{
	char c[16];

	skip_ws(ps);
	skip_comment(ps);
	if (ps->pos >= ps->len || newline(ps))
		return 0;
	return fail(ps, "unexpected %s after %s: expected a new line",
		    show_char(c, sizeof(c), ps), after);
}

static bool is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int buf_put(struct parser *ps, struct buf *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		char *np;

		while (cap < b->n + n + 1)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return nomem(ps);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

/* Take the built string (never NULL on success: "" for an empty one). */
static char *buf_take(struct parser *ps, struct buf *b)
{
	char *p = b->p;

	if (!p) {
		p = strdup("");
		if (!p)
			nomem(ps);
	}
	b->p = NULL;
	b->n = b->cap = 0;
	return p;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX or \UXXXXXXXX at the cursor (after the backslash) into @b. */
static int unicode_escape(struct parser *ps, struct buf *b)
{
	int digits = peek(ps) == 'u' ? 4 : 8, i;
	unsigned long cp = 0;
	char out[4];
	size_t n;

	ps->pos++;
	for (i = 0; i < digits; i++) {
		int h = hexval(peek(ps));

		if (h < 0)
			return fail(ps, "\\%c escape needs %d hex digits",
				    digits == 4 ? 'u' : 'U', digits);
		cp = cp << 4 | (unsigned long)h;
		ps->pos++;
	}
	if (cp == 0)
		return fail(ps, "\\u0000 (NUL) is not supported in strings");
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return fail(ps, "\\%c%0*lX is not a Unicode scalar value",
			    digits == 4 ? 'u' : 'U', digits, cp);
	if (cp < 0x80) {
		out[0] = cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = 0xc0 | cp >> 6;
		out[1] = 0x80 | (cp & 0x3f);
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = 0xe0 | cp >> 12;
		out[1] = 0x80 | ((cp >> 6) & 0x3f);
		out[2] = 0x80 | (cp & 0x3f);
		n = 3;
	} else {
		out[0] = 0xf0 | cp >> 18;
		out[1] = 0x80 | ((cp >> 12) & 0x3f);
		out[2] = 0x80 | ((cp >> 6) & 0x3f);
		out[3] = 0x80 | (cp & 0x3f);
		n = 4;
	}
	return buf_put(ps, b, out, n);
}

/* One backslash escape of a basic string, the cursor on the backslash. */
static int escape(struct parser *ps, struct buf *b, bool multi)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *e;
	char c[16];
	int ch;

	ps->pos++;
	ch = peek(ps);
	if (ch == 'u' || ch == 'U')
		return unicode_escape(ps, b);
	if (ch > 0 && (e = strchr(from, ch))) {
		ps->pos++;
		return buf_put(ps, b, &to[e - from], 1);
	}
	if (multi && (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')) {
		/* Line-ending backslash: eat whitespace up to the next text. */
		skip_ws(ps);
		if (!newline(ps))
			return fail(ps, "invalid escape: a backslash followed by whitespace must end the line");
		for (;;) {
			skip_ws(ps);
			if (!newline(ps))
				return 0;
		}
	}
	if (ch < 0)
		return fail(ps, "unterminated string");
	if (ch > 0x20 && ch < 0x7f)
		return fail(ps, "invalid escape sequence '\\%c'", ch);
	return fail(ps, "invalid escape sequence: backslash before %s",
		    show_char(c, sizeof(c), ps));
}

/*
 * A string at the cursor: "basic", """multi-line basic""", 'literal' or
 * '''multi-line literal'''. Result in *@out (malloc'd).
 */
static int parse_string(struct parser *ps, char **out, bool key)
{
	const char q = peek(ps);
	const bool literal = q == '\'';
	const bool multi = looking_at(ps, literal ? "'''" : "\"\"\"");
	const int start = ps->line;
	struct buf b = { 0 };
	int err = 0;

	if (multi && key)
		return fail(ps, "a multi-line string cannot be a key");
	ps->pos += multi ? 3 : 1;
	if (multi)
		newline(ps);	/* a line end right after the quotes is dropped */
	for (;;) {
		int c = peek(ps);

		if (c < 0) {
			err = fail_at(ps, start, "unterminated string");
			break;
		}
		if (c == q) {
			size_t n = 1;

			if (!multi) {
				ps->pos++;
				break;
			}
			while (peek_at(ps, n) == q)
				n++;
			if (n >= 3) {
				/* """"" ends with up to two quotes of content. */
				if (n > 5) {
					err = fail(ps, "too many quotes at the end of a multi-line string");
					break;
				}
				err = buf_put(ps, &b, ps->s + ps->pos, n - 3);
				ps->pos += n;
				break;
			}
			err = buf_put(ps, &b, ps->s + ps->pos, n);
			ps->pos += n;
		} else if (c == '\\' && !literal) {
			err = escape(ps, &b, multi);
		} else if (c == '\n' || c == '\r') {
			if (!multi) {
				err = fail(ps, "unterminated string (a line end inside it; multi-line strings use %s)",
					   literal ? "'''" : "\"\"\"");
				break;
			}
			newline(ps);
			err = buf_put(ps, &b, "\n", 1);
		} else {
			err = buf_put(ps, &b, ps->s + ps->pos, 1);
			ps->pos++;
		}
		if (err)
			break;
	}
	if (err) {
		free(b.p);
		return err;
	}
	*out = buf_take(ps, &b);
	return *out ? 0 : -ENOMEM;
}

/* One part of a key: bare, "quoted" or 'literal'. */
static int parse_key_part(struct parser *ps, char **out)
{
	size_t start = ps->pos;
	char c[16];

	if (peek(ps) == '"' || peek(ps) == '\'')
		return parse_string(ps, out, true);
	while (is_bare(peek(ps)))
		ps->pos++;
	if (ps->pos == start)
		return fail(ps, "expected a key, found %s",
			    show_char(c, sizeof(c), ps));
	*out = strndup(ps->s + start, ps->pos - start);
	return *out ? 0 : nomem(ps);
}

/* A key, possibly dotted: a.b."c d".'e'. */
static int parse_key(struct parser *ps, struct key *k)
{
	int err;

	k->n = 0;
	k->line = ps->line;
	for (;;) {
		if (k->n == MAX_KEY_PARTS)
			return fail(ps, "key has more than %d dotted parts",
				    MAX_KEY_PARTS);
		err = parse_key_part(ps, &k->part[k->n]);
		if (err)
			return err;
		k->n++;
		skip_ws(ps);
		if (peek(ps) != '.')
			return 0;
		ps->pos++;
		skip_ws(ps);
	}
}

/* ---- numbers ----------------------------------------------------------- */

/*
 * A run of digits of @base at @t[*i] with single underscores between
 * digits, copied without them into @out. Returns the number of digits, or
 * -1 for a misplaced underscore.
 */
static int digit_run(const char *t, size_t n, size_t *i, int base,
		     char *out, size_t *o)
{
	int count = 0;
	bool under = false;

	while (*i < n) {
		int c = t[*i], v = hexval(c);

		if (c == '_') {
			if (!count || under)
				return -1;
			under = true;
		} else if (v >= 0 && v < base) {
			out[(*o)++] = c;
			count++;
			under = false;
		} else {
			break;
		}
		(*i)++;
	}
	return under ? -1 : count;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool looks_like_date(const char *t, size_t n)
{
	return (n >= 5 && is_digit(t[0]) && is_digit(t[1]) && is_digit(t[2]) &&
		is_digit(t[3]) && t[4] == '-') ||
	       (n >= 3 && is_digit(t[0]) && is_digit(t[1]) && t[2] == ':');
}

static int parse_number(struct parser *ps, struct gti_toml_value *v)
{
	const char *t = ps->s + ps->pos;
	char digits[128], tok[64];
	size_t n = 0, i = 0, o = 0;
	bool neg = false, sign = false, is_float = false;
	int run;

	while (ps->pos + n < ps->len &&
	       (is_bare(t[n]) || t[n] == '+' || t[n] == '.' || t[n] == ':'))
		n++;
	snprintf(tok, sizeof(tok), "%.*s%s", (int)(n > 40 ? 40 : n), t,
		 n > 40 ? "..." : "");
	if (looks_like_date(t, n))
		return fail(ps, "dates and times are not supported (%s)", tok);
	if (n >= sizeof(digits) - 8)
		return fail(ps, "number too long: %s", tok);
	ps->pos += n;

	if (t[0] == '+' || t[0] == '-') {
		sign = true;
		neg = t[0] == '-';
		i = 1;
	}
	if (n - i == 3 && (!memcmp(t + i, "inf", 3) || !memcmp(t + i, "nan", 3))) {
		v->type = GTI_TOML_FLOAT;
		v->f = t[i] == 'i' ? INFINITY : NAN;
		if (neg)
			v->f = -v->f;
		return 0;
	}
	if (n - i >= 2 && t[i] == '0' &&
	    (t[i + 1] == 'x' || t[i + 1] == 'o' || t[i + 1] == 'b')) {
		int base = t[i + 1] == 'x' ? 16 : t[i + 1] == 'o' ? 8 : 2;
		uint64_t val = 0;
		size_t k;

		if (sign)
			return fail(ps, "a sign is not allowed before %s", tok);
		i += 2;
		run = digit_run(t, n, &i, base, digits, &o);
		if (run <= 0 || i != n)
			return fail(ps, "invalid %s integer: %s",
				    base == 16 ? "hexadecimal" : base == 8 ?
				    "octal" : "binary", tok);
		for (k = 0; k < o; k++) {
			if (val > (uint64_t)INT64_MAX / base)
				goto overflow;
			val = val * base + hexval(digits[k]);
			if (val > (uint64_t)INT64_MAX)
				goto overflow;
		}
		v->type = GTI_TOML_INT;
		v->i = (int64_t)val;
		return 0;
	}

	if (neg)
		digits[o++] = '-';
	run = digit_run(t, n, &i, 10, digits, &o);
	if (run <= 0)
		return fail(ps, "invalid number: %s", tok);
	if (run > 1 && digits[neg] == '0')
		return fail(ps, "leading zeros are not allowed: %s", tok);
	if (i < n && t[i] == '.') {
		is_float = true;
		digits[o++] = t[i++];
		if (digit_run(t, n, &i, 10, digits, &o) <= 0)
			return fail(ps, "invalid float: %s (digits must follow the '.')", tok);
	}
	if (i < n && (t[i] == 'e' || t[i] == 'E')) {
		is_float = true;
		digits[o++] = t[i++];
		if (i < n && (t[i] == '+' || t[i] == '-'))
			digits[o++] = t[i++];
		if (digit_run(t, n, &i, 10, digits, &o) <= 0)
			return fail(ps, "invalid float exponent: %s", tok);
	}
	if (i != n)
		return fail(ps, "invalid number: %s", tok);
	digits[o] = '\0';

	if (is_float) {
		v->type = GTI_TOML_FLOAT;
		errno = 0;
		v->f = strtod(digits, NULL);
		if (isinf(v->f))
			return fail(ps, "float out of range: %s", tok);
		return 0;
	}
	{
		uint64_t val = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
		size_t k;

		for (k = neg; k < o; k++) {
			unsigned int d = digits[k] - '0';

			if (val > (lim - d) / 10)
				goto overflow;
			val = val * 10 + d;
		}
		v->type = GTI_TOML_INT;
		v->i = neg ? (int64_t)(0 - val) : (int64_t)val;
	}
	return 0;
overflow:
	return fail(ps, "integer out of range (64-bit signed): %s", tok);
}

/* ---- values ------------------------------------------------------------ */

static int parse_value(struct parser *ps, struct gti_toml_value *v);
static int parse_kv(struct parser *ps, struct gti_toml_table *t);

static int parse_array(struct parser *ps, struct gti_toml_value *v)
{
	const int start = ps->line;
	char c[16];
	int err;

	ps->pos++;
	v->type = GTI_TOML_ARRAY;
	for (;;) {
		struct gti_toml_value *items;

		skip_blank(ps);
		if (peek(ps) == ']')
			break;
		if (peek(ps) < 0)
			return fail_at(ps, start, "unterminated array");
		items = gti_grow(v->arr.items, v->arr.n, sizeof(*items));
		if (!items)
			return nomem(ps);
		v->arr.items = items;
		memset(&items[v->arr.n], 0, sizeof(*items));
		err = parse_value(ps, &items[v->arr.n]);
		if (err) {
			value_free(&items[v->arr.n]);
			return err;
		}
		v->arr.n++;
		skip_blank(ps);
		if (peek(ps) == ',') {
			ps->pos++;
			continue;
		}
		if (peek(ps) == ']')
			break;
		if (peek(ps) < 0)
			return fail_at(ps, start, "unterminated array");
		return fail(ps, "expected ',' or ']' in array, found %s",
			    show_char(c, sizeof(c), ps));
	}
	ps->pos++;
	return 0;
}

static int parse_inline_table(struct parser *ps, struct gti_toml_value *v)
{
	char c[16];
	int err;

	ps->pos++;
	v->type = GTI_TOML_TABLE;
	/* Open while it is being written: dotted keys may extend it. */
	v->tab = table_new(GTI_TOML_DOTTED, ps->line);
	if (!v->tab)
		return nomem(ps);
	skip_ws(ps);
	if (peek(ps) != '}') {
		for (;;) {
			if (at_eol(ps))
				return fail(ps, "line end in an inline table (it must be on one line)");
			err = parse_kv(ps, v->tab);
			if (err)
				return err;
			skip_ws(ps);
			if (peek(ps) == '}')
				break;
			if (at_eol(ps))
				return fail(ps, "line end in an inline table (it must be on one line)");
			if (peek(ps) != ',')
				return fail(ps, "expected ',' or '}' in inline table, found %s",
					    show_char(c, sizeof(c), ps));
			ps->pos++;
			skip_ws(ps);
			if (peek(ps) == '}')
				return fail(ps, "trailing comma in inline table");
		}
	}
	ps->pos++;
	seal(v->tab);
	return 0;
}

static bool word(struct parser *ps, const char *w)
{
	size_t n = strlen(w);

	if (!looking_at(ps, w) || is_bare(peek_at(ps, n)))
		return false;
	ps->pos += n;
	return true;
}

static int parse_value(struct parser *ps, struct gti_toml_value *v)
{
	char c[16];
	int ch = peek(ps), err;

	v->line = ps->line;
	if (++ps->depth > GTI_TOML_MAX_DEPTH)
		return fail(ps, "arrays and inline tables nested more than %d deep",
			    GTI_TOML_MAX_DEPTH);
	if (ch == '"' || ch == '\'') {
		v->type = GTI_TOML_STRING;
		err = parse_string(ps, &v->s, false);
		if (err)
			v->s = NULL;
	} else if (ch == '[') {
		err = parse_array(ps, v);
	} else if (ch == '{') {
		err = parse_inline_table(ps, v);
	} else if (word(ps, "true")) {
		v->type = GTI_TOML_BOOL;
		v->b = true;
		err = 0;
	} else if (word(ps, "false")) {
		v->type = GTI_TOML_BOOL;
		v->b = false;
		err = 0;
	} else if (is_digit(ch) || ch == '+' || ch == '-' ||
		   ((looking_at(ps, "inf") || looking_at(ps, "nan")) &&
		    !is_bare(peek_at(ps, 3)))) {
		v->type = GTI_TOML_INT;
		err = parse_number(ps, v);
	} else if (ch < 0 || ch == '\n' || ch == '\r' || ch == '#') {
		err = fail(ps, "missing value");
	} else if (is_bare(ch)) {
		size_t n = 0;

		while (is_bare(peek_at(ps, n)) && n < 40)
			n++;
		err = fail(ps, "invalid value '%.*s' (strings must be quoted)",
			   (int)n, ps->s + ps->pos);
	} else {
		err = fail(ps, "expected a value, found %s",
			   show_char(c, sizeof(c), ps));
	}
	ps->depth--;
	return err;
}

/* key = value, into @t; the key's line and the value's own. */
static int parse_kv(struct parser *ps, struct gti_toml_table *t)
{
	struct gti_toml_value v = { .type = GTI_TOML_BOOL };
	struct key k;
	char c[16];
	int err;

	err = parse_key(ps, &k);
	if (err)
		goto out;
	if (peek(ps) != '=') {
		err = fail(ps, "expected '=' after the key, found %s",
			   show_char(c, sizeof(c), ps));
		goto out;
	}
	ps->pos++;
	skip_ws(ps);
	err = parse_value(ps, &v);
	if (err) {
		value_free(&v);
		goto out;
	}
	err = set_dotted(ps, t, &k, &v);
out:
	key_free(&k);
	return err;
}

static int parse_header(struct parser *ps)
{
	const bool array = looking_at(ps, "[[");
	struct key k;
	char c[16];
	int err;

	ps->pos += array ? 2 : 1;
	skip_ws(ps);
	err = parse_key(ps, &k);
	if (err)
		goto out;
	if (!looking_at(ps, array ? "]]" : "]")) {
		err = fail(ps, "expected '%s' to close the table header, found %s",
			   array ? "]]" : "]", show_char(c, sizeof(c), ps));
		goto out;
	}
	ps->pos += array ? 2 : 1;
	err = open_header(ps, &k, array);
	if (!err)
		err = end_of_line(ps, "a table header");
out:
	key_free(&k);
	return err;
}

static int parse_document(struct parser *ps)
{
	int err;

	for (;;) {
		skip_blank(ps);
		if (ps->pos >= ps->len)
			return 0;
		if (peek(ps) == '[') {
			err = parse_header(ps);
		} else {
			err = parse_kv(ps, ps->cur);
			if (!err)
				err = end_of_line(ps, "a value");
		}
		if (err)
			return err;
	}
}

int gti_toml_parse(const char *text, size_t len, const char *file,
		   struct gti_toml_table **out, struct gt_input_error *err)
{
	struct parser ps = {
		.s = text, .len = len, .line = 1, .err = err,
		.file = file ? file : "<input>",
	};
	int ret;

	*out = NULL;
	if (len > GTI_TOML_MAX_SIZE)
		return fail_at(&ps, 0, "file too large (more than %u bytes)",
			       GTI_TOML_MAX_SIZE);
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		ps.pos = 3;	/* a UTF-8 byte order mark */
	ret = check_text(&ps);
	if (ret)
		return ret;
	ps.root = table_new(GTI_TOML_HEADER, 1);
	if (!ps.root)
		return nomem(&ps);
	ps.cur = ps.root;
	ret = parse_document(&ps);
	if (ret) {
		gti_toml_free(ps.root);
		return ps.oom ? -ENOMEM : -EINVAL;
	}
	*out = ps.root;
	return 0;
}

int gti_toml_load(const char *path, struct gti_toml_table **out,
		  struct gt_input_error *err)
{
	char *text;
	size_t len;
	int ret;

	*out = NULL;
	ret = gti_read_file(path, GTI_TOML_MAX_SIZE, GTI_READ_REGULAR, &text,
			    &len, err);
	if (ret)
		return ret;
	ret = gti_toml_parse(text, len, path, out, err);
	free(text);
	return ret;
}
