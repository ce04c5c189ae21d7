// SPDX-License-Identifier: GPL-2.0
/*
 * Budget assertions: the [[assertion]] tables of a TOML file (renacer.toml
 * compatible) checked against a gt_trace. Documentation/assertions.md says
 * what each type measures.
 *
 * Loading is strict: every key of an assertion must be one its type (or
 * anti-pattern) knows, with the value type it wants; syscall names and
 * patterns must name at least one syscall; anything else is an error with
 * file:line. Nothing is ever skipped silently: a disabled assertion is
 * reported as such, and a count that lost calls is judged on its upper
 * bound.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gt_check.h"
#include "trace_internal.h"
#include "gt_toml.h"

enum atype {
	A_CRITICAL_PATH,
	A_SPAN_COUNT,
	A_MEMORY_USAGE,
	A_ANTI_PATTERN,
	A_SYSCALL_COUNT,
	A_ERROR_COUNT,
	A_LATENCY_PERCENTILE,
	A_FORBIDDEN_SYSCALL,
};

enum anti {
	AP_PCIE,
	AP_TIGHT_LOOP,
	AP_EXCESSIVE_IO,
	AP_SMALL_WRITES,
	AP_GOD_PROCESS,
};

/* TightLoop and SmallWrites defaults (Documentation/assertions.md). */
#define TIGHT_LOOP_MIN_CALLS	1000
#define TIGHT_LOOP_MAX_MEAN_US	10.0
#define SMALL_WRITES_MIN_CALLS	100

struct assertion {
	char *name;
	int line;
	enum atype type;
	bool enabled;
	bool fail_on_violation;

	size_t nm;			/* syscall / pattern / syscalls */
	struct gti_match *m;

	bool has_max, has_min;
	uint64_t max, min;		/* counts, bytes */
	double limit;			/* ms, fraction, rate, µs, bytes */
	double limit2;			/* ExcessiveIO max_bytes_per_sec */
	bool has_limit2;

	bool rss;			/* memory_usage tracking_mode */
	enum anti anti;
	uint64_t min_calls;
	double max_mean_us;
	uint32_t err;			/* error_count errno, 0: any */
	double percentile;
};

struct gt_assertions {
	size_t n;
	struct assertion *a;
	size_t nr_notes;
	struct gt_input_error *notes;
};

/*
 * snprintf() for texts that may be cut: verdict fields are for people, and
 * a long pattern list losing its tail is fine.
 */
static int put(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 ? 0 : n;
}

/* ---- what each type accepts -------------------------------------------- */

enum vkind {
	VK_STRING,
	VK_BOOL,
	VK_COUNT,	/* integer >= 0 */
	VK_NUMBER,	/* integer or float, finite, >= 0 */
	VK_NAMES,	/* non-empty array of strings */
	VK_ERRNO,	/* "ENOENT" or a positive integer */
};

struct keyspec {
	const char *key;
	enum vkind kind;
	bool required;
};

static const struct keyspec common_keys[] = {
	{ .key = "name", .kind = VK_STRING, .required = true },
	{ .key = "type", .kind = VK_STRING, .required = true },
	{ .key = "enabled", .kind = VK_BOOL },
	{ .key = "fail_on_violation", .kind = VK_BOOL },
	{ .key = "description", .kind = VK_STRING },
	{ .key = NULL },
};

static const struct keyspec critical_path_keys[] = {
	{ .key = "max_duration_ms", .kind = VK_NUMBER, .required = true },
	{ .key = NULL },
};

static const struct keyspec span_count_keys[] = {
	{ .key = "max_spans", .kind = VK_COUNT, .required = true },
	{ .key = "span_name_pattern", .kind = VK_STRING },
	{ .key = NULL },
};

static const struct keyspec memory_usage_keys[] = {
	{ .key = "max_bytes", .kind = VK_COUNT, .required = true },
	{ .key = "tracking_mode", .kind = VK_STRING },
	{ .key = NULL },
};

static const struct keyspec anti_pattern_keys[] = {
	{ .key = "pattern", .kind = VK_STRING, .required = true },
	{ .key = "threshold", .kind = VK_NUMBER, .required = true },
	{ .key = NULL },
};

static const struct keyspec syscall_count_keys[] = {
	{ .key = "syscall", .kind = VK_STRING },
	{ .key = "pattern", .kind = VK_STRING },
	{ .key = "max", .kind = VK_COUNT },
	{ .key = "min", .kind = VK_COUNT },
	{ .key = NULL },
};

static const struct keyspec error_count_keys[] = {
	{ .key = "syscall", .kind = VK_STRING },
	{ .key = "pattern", .kind = VK_STRING },
	{ .key = "errno", .kind = VK_ERRNO },
	{ .key = "max", .kind = VK_COUNT },
	{ .key = "min", .kind = VK_COUNT },
	{ .key = NULL },
};

static const struct keyspec latency_keys[] = {
	{ .key = "syscall", .kind = VK_STRING },
	{ .key = "pattern", .kind = VK_STRING },
	{ .key = "percentile", .kind = VK_NUMBER, .required = true },
	{ .key = "max_us", .kind = VK_NUMBER, .required = true },
	{ .key = NULL },
};

static const struct keyspec forbidden_keys[] = {
	{ .key = "syscalls", .kind = VK_NAMES, .required = true },
	{ .key = NULL },
};

static const struct typespec {
	const char *name;
	enum atype type;
	const struct keyspec *keys;
} types[] = {
	{ "critical_path", A_CRITICAL_PATH, critical_path_keys },
	{ "span_count", A_SPAN_COUNT, span_count_keys },
	{ "memory_usage", A_MEMORY_USAGE, memory_usage_keys },
	{ "anti_pattern", A_ANTI_PATTERN, anti_pattern_keys },
	{ "syscall_count", A_SYSCALL_COUNT, syscall_count_keys },
	{ "error_count", A_ERROR_COUNT, error_count_keys },
	{ "latency_percentile", A_LATENCY_PERCENTILE, latency_keys },
	{ "forbidden_syscall", A_FORBIDDEN_SYSCALL, forbidden_keys },
};

static const struct keyspec tight_loop_keys[] = {
	{ .key = "min_calls", .kind = VK_COUNT },
	{ .key = "max_mean_us", .kind = VK_NUMBER },
	{ .key = NULL },
};

static const struct keyspec excessive_io_keys[] = {
	{ .key = "max_bytes_per_sec", .kind = VK_NUMBER },
	{ .key = NULL },
};

static const struct keyspec small_writes_keys[] = {
	{ .key = "min_calls", .kind = VK_COUNT },
	{ .key = NULL },
};

static const struct keyspec no_keys[] = { { .key = NULL } };

static const struct patternspec {
	const char *name;
	enum anti anti;
	const struct keyspec *keys;
	bool fraction;		/* threshold is a fraction of 0..1 */
} patterns[] = {
	{ "PCIeBottleneck", AP_PCIE, no_keys, true },
	{ "PcieBottleneck", AP_PCIE, no_keys, true },
	{ "TightLoop", AP_TIGHT_LOOP, tight_loop_keys, true },
	{ "ExcessiveIO", AP_EXCESSIVE_IO, excessive_io_keys, false },
	{ "SmallWrites", AP_SMALL_WRITES, small_writes_keys, false },
	{ "GodProcess", AP_GOD_PROCESS, no_keys, true },
};

/* ---- loading ------------------------------------------------------------ */

struct loader {
	const char *file;
	struct gt_input_error *err;
	struct gt_assertions *as;
};

#define bad(ld, line, ...)	gti_input_error((ld)->err, (ld)->file, (line), __VA_ARGS__)

static const struct keyspec *spec_find(const struct keyspec *ks,
				       const char *key)
{
	for (; ks && ks->key; ks++)
		if (!strcmp(ks->key, key))
			return ks;
	return NULL;
}

static const char *vkind_name(enum vkind k)
{
	switch (k) {
	case VK_STRING: return "a string";
	case VK_BOOL: return "a boolean (true or false)";
	case VK_COUNT: return "a non-negative integer";
	case VK_NUMBER: return "a non-negative number";
	case VK_NAMES: return "a non-empty array of strings";
	case VK_ERRNO: return "an errno name (\"ENOENT\") or number";
	}
	return "?";
}

static bool vkind_ok(enum vkind k, const struct gti_toml_value *v)
{
	size_t i;

	switch (k) {
	case VK_STRING:
		return v->type == GTI_TOML_STRING;
	case VK_BOOL:
		return v->type == GTI_TOML_BOOL;
	case VK_COUNT:
		return v->type == GTI_TOML_INT && v->i >= 0;
	case VK_NUMBER:
		return (v->type == GTI_TOML_INT && v->i >= 0) ||
		       (v->type == GTI_TOML_FLOAT && isfinite(v->f) &&
			v->f >= 0);
	case VK_NAMES:
		if (v->type != GTI_TOML_ARRAY || !v->arr.n)
			return false;
		for (i = 0; i < v->arr.n; i++)
			if (v->arr.items[i].type != GTI_TOML_STRING)
				return false;
		return true;
	case VK_ERRNO:
		return v->type == GTI_TOML_STRING ||
		       (v->type == GTI_TOML_INT && v->i > 0 && v->i < 4096);
	}
	return false;
}

/* What was found instead, for messages: "a string", "-3". */
static const char *found(char *buf, size_t len, const struct gti_toml_value *v)
{
	if (v->type == GTI_TOML_INT)
		put(buf, len, "%" PRId64, v->i);
	else if (v->type == GTI_TOML_FLOAT)
		put(buf, len, "%g", v->f);
	else
		put(buf, len, "%s %s",
			 v->type == GTI_TOML_INT || v->type == GTI_TOML_ARRAY ?
			 "an" : "a", gti_toml_type_name(v->type));
	return buf;
}

static const struct gti_toml_value *get(const struct gti_toml_table *t,
					const char *key)
{
	const struct gti_toml_kv *kv = gti_toml_find(t, key);

	return kv ? &kv->val : NULL;
}

static double num(const struct gti_toml_value *v)
{
	return v->type == GTI_TOML_INT ? (double)v->i : v->f;
}

/* "critical_path, span_count, ..." */
static void list_types(char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < GTI_ARRAY_SIZE(types) && o < len; i++)
		o += put(buf + o, len - o, "%s%s", i ? ", " : "",
			      types[i].name);
}

static void list_patterns(char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < GTI_ARRAY_SIZE(patterns) && o < len; i++)
		o += put(buf + o, len - o, "%s%s", i ? ", " : "",
			      patterns[i].name);
}

/* Every key known and of the right kind, every required key there. */
static int check_keys(struct loader *ld, const struct gti_toml_table *t,
		      const char *what, const struct keyspec *const *sets,
		      size_t nsets)
{
	char buf[64];
	size_t i, s;

	for (i = 0; i < t->n; i++) {
		const struct gti_toml_kv *kv = &t->kv[i];
		const struct keyspec *ks = NULL;

		for (s = 0; s < nsets && !ks; s++)
			ks = spec_find(sets[s], kv->key);
		if (!ks) {
			if (!strcmp(kv->key, "trace_name_pattern") ||
			    !strcmp(kv->key, "process_name_pattern"))
				return bad(ld, kv->line,
					   "'%s' is not supported: gtrace judges the whole traced process tree of one command (remove the key, or use one budget file per command)",
					   kv->key);
			return bad(ld, kv->line, "unknown key '%s' in %s assertion",
				   kv->key, what);
		}
		if (!vkind_ok(ks->kind, &kv->val))
			return bad(ld, kv->val.line, "'%s' must be %s, not %s",
				   kv->key, vkind_name(ks->kind),
				   found(buf, sizeof(buf), &kv->val));
	}
	for (s = 0; s < nsets; s++)
		for (i = 0; sets[s][i].key; i++)
			if (sets[s][i].required && !gti_toml_find(t, sets[s][i].key))
				return bad(ld, t->line, "%s assertion without '%s'",
					   what, sets[s][i].key);
	return 0;
}

static int add_match(struct loader *ld, struct assertion *a,
		     const struct gti_toml_value *v)
{
	struct gti_match *m;
	char why[256];
	int ret;

	m = realloc(a->m, (a->nm + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	a->m = m;
	ret = gti_match_init(&a->m[a->nm], v->s, why, sizeof(why));
	if (ret == -EINVAL)
		return bad(ld, v->line, "%s", why);
	if (ret)
		return ret;
	a->nm++;
	return 0;
}

/* syscall = "x" or pattern = "...": at most one of them; @need: one. */
static int load_selector(struct loader *ld, struct assertion *a,
			 const struct gti_toml_table *t, bool need)
{
	const struct gti_toml_value *sc = get(t, "syscall");
	const struct gti_toml_value *pat = get(t, "pattern");

	if (sc && pat)
		return bad(ld, pat->line, "give 'syscall' or 'pattern', not both");
	if (!sc && !pat) {
		if (need)
			return bad(ld, t->line, "%s assertion without 'syscall' or 'pattern'",
				   types[a->type].name);
		return 0;
	}
	if (sc && (strpbrk(sc->s, "*?[") || sc->s[0] == '/'))
		return bad(ld, sc->line, "'syscall' takes one name; use 'pattern' for '%s'",
			   sc->s);
	return add_match(ld, a, sc ? sc : pat);
}

static int load_max_min(struct loader *ld, struct assertion *a,
			const struct gti_toml_table *t)
{
	const struct gti_toml_value *max = get(t, "max"), *min = get(t, "min");

	if (!max && !min)
		return bad(ld, t->line, "%s assertion without 'max' or 'min'",
			   types[a->type].name);
	if (max) {
		a->has_max = true;
		a->max = max->i;
	}
	if (min) {
		a->has_min = true;
		a->min = min->i;
	}
	if (max && min && a->min > a->max)
		return bad(ld, min->line, "'min' (%" PRIu64 ") is above 'max' (%" PRIu64 ")",
			   a->min, a->max);
	return 0;
}

static int load_anti_pattern(struct loader *ld, struct assertion *a,
			     const struct gti_toml_table *t)
{
	const struct gti_toml_value *pat = get(t, "pattern");
	const struct gti_toml_value *thr = get(t, "threshold");
	const struct gti_toml_value *v;
	const struct patternspec *ps = NULL;
	const struct keyspec *sets[3];
	char list[256];
	size_t i;
	int ret;

	/* Known keys of every pattern first, so the error is about the key. */
	if (pat && pat->type == GTI_TOML_STRING) {
		for (i = 0; i < GTI_ARRAY_SIZE(patterns); i++)
			if (!strcmp(patterns[i].name, pat->s))
				ps = &patterns[i];
		if (!ps) {
			list_patterns(list, sizeof(list));
			return bad(ld, pat->line, "unknown anti-pattern '%s' (known: %s)",
				   pat->s, list);
		}
	}
	sets[0] = common_keys;
	sets[1] = anti_pattern_keys;
	sets[2] = ps ? ps->keys : no_keys;
	ret = check_keys(ld, t, "an anti_pattern", sets, 3);
	if (ret)
		return ret;

	a->anti = ps->anti;
	a->limit = num(thr);
	if (ps->fraction && a->limit > 1)
		return bad(ld, thr->line, "%s's threshold is a fraction of 0..1, not %g",
			   ps->name, a->limit);
	if (!ps->fraction && a->limit <= 0)
		return bad(ld, thr->line, "%s's threshold must be above 0",
			   ps->name);
	a->min_calls = a->anti == AP_TIGHT_LOOP ? TIGHT_LOOP_MIN_CALLS :
		       SMALL_WRITES_MIN_CALLS;
	a->max_mean_us = TIGHT_LOOP_MAX_MEAN_US;
	v = get(t, "min_calls");
	if (v)
		a->min_calls = v->i;
	v = get(t, "max_mean_us");
	if (v)
		a->max_mean_us = num(v);
	v = get(t, "max_bytes_per_sec");
	if (v) {
		a->has_limit2 = true;
		a->limit2 = num(v);
	}
	return 0;
}

static int load_type(struct loader *ld, struct assertion *a,
		     const struct gti_toml_table *t)
{
	const struct keyspec *sets[2] = { common_keys, types[a->type].keys };
	const struct gti_toml_value *v;
	char what[64];
	size_t i;
	int ret;

	if (a->type == A_ANTI_PATTERN)
		return load_anti_pattern(ld, a, t);
	put(what, sizeof(what), "a %s", types[a->type].name);
	ret = check_keys(ld, t, what, sets, 2);
	if (ret)
		return ret;

	switch (a->type) {
	case A_CRITICAL_PATH:
		a->limit = num(get(t, "max_duration_ms"));
		break;
	case A_SPAN_COUNT:
		a->has_max = true;
		a->max = get(t, "max_spans")->i;
		v = get(t, "span_name_pattern");
		if (v)
			return add_match(ld, a, v);
		break;
	case A_MEMORY_USAGE:
		a->has_max = true;
		a->max = get(t, "max_bytes")->i;
		v = get(t, "tracking_mode");
		if (v && !strcmp(v->s, "rss"))
			a->rss = true;
		else if (v && strcmp(v->s, "allocations"))
			return bad(ld, v->line, "unknown tracking_mode '%s' (known: rss, allocations)",
				   v->s);
		break;
	case A_SYSCALL_COUNT:
		ret = load_selector(ld, a, t, true);
		return ret ? ret : load_max_min(ld, a, t);
	case A_ERROR_COUNT:
		ret = load_selector(ld, a, t, false);
		if (ret)
			return ret;
		v = get(t, "errno");
		if (v && v->type == GTI_TOML_STRING) {
			int e = gt_errno_nr(v->s);

			if (e < 0)
				return bad(ld, v->line, "unknown errno '%s'", v->s);
			a->err = e;
		} else if (v) {
			a->err = v->i;
		}
		return load_max_min(ld, a, t);
	case A_LATENCY_PERCENTILE:
		ret = load_selector(ld, a, t, true);
		if (ret)
			return ret;
		v = get(t, "percentile");
		a->percentile = num(v);
		if (a->percentile <= 0 || a->percentile > 100)
			return bad(ld, v->line, "percentile must be above 0 and at most 100, not %g",
				   a->percentile);
		a->limit = num(get(t, "max_us"));
		break;
	case A_FORBIDDEN_SYSCALL:
		v = get(t, "syscalls");
		for (i = 0; i < v->arr.n; i++) {
			ret = add_match(ld, a, &v->arr.items[i]);
			if (ret)
				return ret;
		}
		break;
	default:
		break;
	}
	return 0;
}

static int load_assertion(struct loader *ld, const struct gti_toml_table *t,
			  struct assertion *a)
{
	const struct gti_toml_value *type = get(t, "type");
	const struct gti_toml_value *name = get(t, "name");
	const struct gti_toml_value *v;
	char list[256], buf[64];
	size_t i;

	a->line = t->line;
	a->enabled = true;
	a->fail_on_violation = true;
	if (!type)
		return bad(ld, t->line, "assertion without 'type'");
	if (type->type != GTI_TOML_STRING)
		return bad(ld, type->line, "'type' must be a string, not %s",
			   found(buf, sizeof(buf), type));
	for (i = 0; i < GTI_ARRAY_SIZE(types); i++)
		if (!strcmp(types[i].name, type->s))
			break;
	if (i == GTI_ARRAY_SIZE(types)) {
		if (!strcmp(type->s, "custom"))
			return bad(ld, type->line, "'custom' assertions (Rust expressions) are not supported by gtrace");
		list_types(list, sizeof(list));
		return bad(ld, type->line, "unknown assertion type '%s' (known: %s)",
			   type->s, list);
	}
	a->type = types[i].type;
	if (name && name->type == GTI_TOML_STRING) {
		/* The ones before this one (counted already, see load_doc()). */
		for (i = 0; i + 1 < ld->as->n; i++)
			if (!strcmp(ld->as->a[i].name, name->s))
				return bad(ld, name->line, "duplicate assertion name '%s' (also at line %d)",
					   name->s, ld->as->a[i].line);
		a->name = strdup(name->s);
		if (!a->name)
			return -ENOMEM;
	}
	v = get(t, "enabled");
	if (v && v->type == GTI_TOML_BOOL)
		a->enabled = v->b;
	v = get(t, "fail_on_violation");
	if (v && v->type == GTI_TOML_BOOL)
		a->fail_on_violation = v->b;
	return load_type(ld, a, t);	/* checks every key, name included */
}

static void assertion_fini(struct assertion *a)
{
	size_t i;

	for (i = 0; i < a->nm; i++)
		gti_match_fini(&a->m[i]);
	free(a->m);
	free(a->name);
}

void gt_assertions_free(struct gt_assertions *as)
{
	size_t i;

	if (!as)
		return;
	for (i = 0; i < as->n; i++)
		assertion_fini(&as->a[i]);
	free(as->a);
	free(as->notes);
	free(as);
}

static int add_note(struct loader *ld, const struct gti_toml_kv *kv)
{
	struct gt_input_error *n;

	n = realloc(ld->as->notes, (ld->as->nr_notes + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	ld->as->notes = n;
	n = &n[ld->as->nr_notes++];
	gti_input_error(n, ld->file, kv->line,
			"'%s' is not a gtrace assertion table: ignored", kv->key);
	return 0;
}

static int load_doc(struct loader *ld, const struct gti_toml_table *root)
{
	const struct gti_toml_kv *list = NULL;
	size_t i;
	int ret;

	for (i = 0; i < root->n; i++) {
		const struct gti_toml_kv *kv = &root->kv[i];

		if (!strcmp(kv->key, "assertion")) {
			list = kv;
		} else if (!strcmp(kv->key, "assertions")) {
			return bad(ld, kv->line, "'assertions' is not known: budget assertions are [[assertion]] tables");
		} else if (kv->val.type != GTI_TOML_TABLE &&
			   !kv->val.table_array) {
			return bad(ld, kv->line, "unknown top-level key '%s' (assertions are [[assertion]] tables)",
				   kv->key);
		} else {
			ret = add_note(ld, kv);
			if (ret)
				return ret;
		}
	}
	if (!list)
		return bad(ld, 0, "no [[assertion]] tables");
	if (list->val.type != GTI_TOML_ARRAY)
		return bad(ld, list->line, "'assertion' must be an array of tables: write [[assertion]]");
	for (i = 0; i < list->val.arr.n; i++)
		if (list->val.arr.items[i].type != GTI_TOML_TABLE)
			return bad(ld, list->val.arr.items[i].line,
				   "'assertion' must be an array of tables");

	ld->as->a = calloc(list->val.arr.n ? list->val.arr.n : 1,
			   sizeof(*ld->as->a));
	if (!ld->as->a)
		return -ENOMEM;
	for (i = 0; i < list->val.arr.n; i++) {
		/* Counted first: freed with the set even when loading fails. */
		ld->as->n++;
		ret = load_assertion(ld, list->val.arr.items[i].tab,
				     &ld->as->a[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int load_root(const struct gti_toml_table *root, const char *file,
		     struct gt_assertions **out, struct gt_input_error *err)
{
	struct loader ld = { .file = file, .err = err };
	int ret;

	ld.as = calloc(1, sizeof(*ld.as));
	if (!ld.as)
		return -ENOMEM;
	ret = load_doc(&ld, root);
	if (ret) {
		if (ret == -ENOMEM)
			gti_input_error(err, file, 0, "out of memory");
		gt_assertions_free(ld.as);
		return ret;
	}
	*out = ld.as;
	return 0;
}

int gt_assertions_parse(const char *text, size_t len, const char *name,
			struct gt_assertions **out, struct gt_input_error *err)
{
	struct gti_toml_table *root;
	int ret;

	*out = NULL;
	ret = gti_toml_parse(text, len, name, &root, err);
	if (ret)
		return ret;
	ret = load_root(root, name ? name : "<input>", out, err);
	gti_toml_free(root);
	return ret;
}

int gt_assertions_load(const char *path, struct gt_assertions **out,
		       struct gt_input_error *err)
{
	struct gti_toml_table *root;
	int ret;

	*out = NULL;
	ret = gti_toml_load(path, &root, err);
	if (ret)
		return ret;
	ret = load_root(root, path, out, err);
	gti_toml_free(root);
	return ret;
}

size_t gt_assertions_count(const struct gt_assertions *as)
{
	return as ? as->n : 0;
}

size_t gt_assertions_notes(const struct gt_assertions *as,
			   const struct gt_input_error **notes)
{
	*notes = as ? as->notes : NULL;
	return as ? as->nr_notes : 0;
}

/* ---- evaluation ---------------------------------------------------------- */

static bool selected(const struct assertion *a, unsigned int abi,
		     unsigned int nr)
{
	size_t i;

	if (!a->nm)
		return true;
	for (i = 0; i < a->nm; i++)
		if (gti_match_sc(&a->m[i], abi, nr))
			return true;
	return false;
}

/* Calls of the selected syscalls. */
static uint64_t count_calls(const struct assertion *a,
			    const struct gt_summary *sum)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < sum->nr_syscalls; i++)
		if (selected(a, sum->syscalls[i].abi, sum->syscalls[i].nr))
			n += sum->syscalls[i].calls;
	return n;
}

/* "(... N calls lost: counted as possibly matching)" */
static void lost_note(char *buf, size_t len, uint64_t lost)
{
	if (lost)
		put(buf, len, "the trace lost %" PRIu64
			 " calls; they count against the budget", lost);
}

static void excess_pct(struct gt_check *c, double actual, double budget,
		       const char *unit)
{
	if (budget > 0)
		gt_fmt_pct(c->excess, sizeof(c->excess),
			    (actual - budget) / budget * 100);
	else
		put(c->excess, sizeof(c->excess), "+%.6g%s", actual - budget,
			 unit);
}

/* A count against max and/or min. */
static bool judge_count(struct gt_check *c, const struct assertion *a,
			uint64_t n, const char *unit)
{
	if (a->has_max && a->has_min)
		put(c->budget, sizeof(c->budget), "%" PRIu64 "..%" PRIu64 " %s",
			 a->min, a->max, unit);
	else if (a->has_max)
		put(c->budget, sizeof(c->budget), "%" PRIu64 " %s", a->max, unit);
	else
		put(c->budget, sizeof(c->budget), "at least %" PRIu64 " %s",
			 a->min, unit);
	if (a->has_max && n > a->max) {
		if (a->max)
			excess_pct(c, n, a->max, "");
		else
			put(c->excess, sizeof(c->excess), "+%" PRIu64 " %s",
				 n, unit);
		return false;
	}
	if (a->has_min && n < a->min) {
		gt_fmt_pct(c->excess, sizeof(c->excess),
			    ((double)n - a->min) / a->min * 100);
		return false;
	}
	return true;
}

static void join_matches(char *buf, size_t len, const struct assertion *a)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < a->nm && o < len; i++)
		o += put(buf + o, len - o, "%s%s", i ? ", " : "",
			      a->m[i].text);
}

static bool eval_critical_path(struct gt_check *c, const struct assertion *a,
			       const struct gt_trace *tr)
{
	double budget_ns = a->limit * 1e6;

	gti_fmt_ms(c->actual, sizeof(c->actual), tr->wall_ns);
	gti_fmt_num(c->budget, sizeof(c->budget), a->limit, 3);
	strncat(c->budget, "ms", sizeof(c->budget) - strlen(c->budget) - 1);
	if ((double)tr->wall_ns <= budget_ns)
		return true;
	excess_pct(c, tr->wall_ns, budget_ns, "ns");
	return false;
}

static bool eval_counts(struct gt_check *c, const struct assertion *a,
			const struct gt_trace *tr, const char *unit)
{
	char sel[160];
	uint64_t n = count_calls(a, tr->sum);
	uint64_t lost = tr->calls_lost + tr->sum->calls_lost;

	/* Lost calls may be any syscall: judged as if they matched. */
	if (a->has_max)
		n += lost;
	put(c->actual, sizeof(c->actual), "%" PRIu64 " %s", n, unit);
	join_matches(sel, sizeof(sel), a);
	if (a->nm)
		put(c->detail, sizeof(c->detail), "calls of %s", sel);
	else
		put(c->detail, sizeof(c->detail), "calls of every syscall");
	if (lost && a->has_max)
		lost_note(c->detail, sizeof(c->detail), lost);
	return judge_count(c, a, n, unit);
}

static bool eval_memory(struct gt_check *c, const struct assertion *a,
			const struct gt_trace *tr)
{
	uint64_t v = a->rss ? tr->sum->rss_peak : tr->sum->vm_peak;

	gt_fmt_bytes(c->actual, sizeof(c->actual), v);
	gt_fmt_bytes(c->budget, sizeof(c->budget), a->max);
	put(c->detail, sizeof(c->detail), "%s of the largest process",
		 a->rss ? "peak resident set size (rss)" :
		 "peak mapped address space (allocations: mmap and brk growth)");
	if (v <= a->max)
		return true;
	excess_pct(c, v, a->max, " bytes");
	return false;
}

/* A non-negative double as a count, saturated (budgets can be huge). */
static uint64_t sat_u64(double v)
{
	return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)(v + 0.5);
}

static double ratio(uint64_t part, uint64_t whole)
{
	if (!whole)
		return part ? INFINITY : 0;
	return (double)part / (double)whole;
}

static void fmt_share(char *buf, size_t len, double frac)
{
	char n[32];

	if (isinf(frac))
		put(buf, len, "unbounded (no wall time)");
	else {
		gti_fmt_num(n, sizeof(n), frac * 100, 1);
		put(buf, len, "%s%%", n);
	}
}

static bool judge_share(struct gt_check *c, const struct assertion *a,
			double share)
{
	fmt_share(c->budget, sizeof(c->budget), a->limit);
	if (share <= a->limit)
		return true;
	if (a->limit > 0)
		excess_pct(c, share, a->limit, "");
	else
		fmt_share(c->excess, sizeof(c->excess), share);
	return false;
}

static bool eval_pcie(struct gt_check *c, const struct assertion *a,
		      const struct gt_trace *tr)
{
	const struct gt_io_stat *io = tr->sum->io[GTRACE_FC_GPU];
	uint64_t ns = 0, calls = 0;
	char t[32];
	double share;
	int k;

	for (k = 0; k < __GTRACE_IO_MAX; k++) {
		ns += io[k].ns;
		calls += io[k].calls;
	}
	share = ratio(ns, tr->wall_ns);
	fmt_share(c->actual, sizeof(c->actual), share);
	gt_fmt_duration(t, sizeof(t), ns);
	put(c->detail, sizeof(c->detail),
		 "share of wall time in syscalls on GPU devices: %" PRIu64
		 " calls, %s", calls, t);
	return judge_share(c, a, share);
}

static bool eval_tight_loop(struct gt_check *c, const struct assertion *a,
			    const struct gt_trace *tr)
{
	const struct gt_summary *sum = tr->sum;
	const struct gt_syscall_stat *top = NULL;
	char label[64], mean[32], lim[32];
	double share, mean_ns;
	size_t i;

	for (i = 0; i < sum->nr_syscalls; i++)
		if (!top || sum->syscalls[i].calls > top->calls)
			top = &sum->syscalls[i];
	gti_fmt_num(lim, sizeof(lim), a->max_mean_us, 6);
	fmt_share(c->budget, sizeof(c->budget), a->limit);
	put(c->budget + strlen(c->budget), sizeof(c->budget) - strlen(c->budget),
		 " of calls in one syscall of mean < %sµs (from %" PRIu64 " calls)",
		 lim, a->min_calls);
	if (!top || !top->calls) {
		put(c->actual, sizeof(c->actual), "no syscalls");
		return true;
	}
	share = ratio(top->calls, sum->calls);
	mean_ns = (double)top->total_ns / top->calls;
	gti_sc_fullname(label, sizeof(label), top->abi, top->nr);
	gt_fmt_duration(mean, sizeof(mean), (uint64_t)mean_ns);
	fmt_share(c->actual, sizeof(c->actual), share);
	put(c->actual + strlen(c->actual), sizeof(c->actual) - strlen(c->actual),
		 " of calls in %s (%" PRIu64 " calls, mean %s)", label,
		 top->calls, mean);
	if (top->calls < a->min_calls || mean_ns >= a->max_mean_us * 1000 ||
	    share <= a->limit)
		return true;
	excess_pct(c, share, a->limit, "");
	return false;
}

static bool eval_excessive_io(struct gt_check *c, const struct assertion *a,
			      const struct gt_trace *tr)
{
	uint64_t calls = 0, bytes = 0;
	double secs = tr->wall_ns / 1e9, rate, brate;
	char r[32], b[32], l[32], l2[32];
	int fc;

	for (fc = 0; fc < __GTRACE_FC_MAX; fc++) {
		calls += tr->sum->io[fc][GTRACE_IO_READ].calls +
			 tr->sum->io[fc][GTRACE_IO_WRITE].calls;
		bytes += tr->sum->io[fc][GTRACE_IO_READ].bytes +
			 tr->sum->io[fc][GTRACE_IO_WRITE].bytes;
	}
	rate = secs > 0 ? calls / secs : (calls ? INFINITY : 0);
	brate = secs > 0 ? bytes / secs : (bytes ? INFINITY : 0);
	gti_fmt_num(r, sizeof(r), rate, 0);
	gti_fmt_num(b, sizeof(b), brate, 0);
	gti_fmt_num(l, sizeof(l), a->limit, 6);
	put(c->actual, sizeof(c->actual), "%s I/O calls/s, %s bytes/s", r, b);
	if (a->has_limit2) {
		gti_fmt_num(l2, sizeof(l2), a->limit2, 6);
		put(c->budget, sizeof(c->budget), "%s I/O calls/s, %s bytes/s",
			 l, l2);
	} else {
		put(c->budget, sizeof(c->budget), "%s I/O calls/s", l);
	}
	put(c->detail, sizeof(c->detail),
		 "%" PRIu64 " read and write calls, %" PRIu64 " bytes, over the wall time",
		 calls, bytes);
	if (rate > a->limit) {
		excess_pct(c, rate, a->limit, " calls/s");
		return false;
	}
	if (a->has_limit2 && brate > a->limit2) {
		excess_pct(c, brate, a->limit2, " bytes/s");
		return false;
	}
	return true;
}

static bool eval_small_writes(struct gt_check *c, const struct assertion *a,
			      const struct gt_trace *tr)
{
	uint64_t calls = 0, bytes = 0;
	char m[32], l[32];
	double mean;
	int fc;

	/* Not anonymous inodes (eventfd & co. write 8 bytes by design). */
	for (fc = 0; fc < __GTRACE_FC_MAX; fc++) {
		if (fc == GTRACE_FC_OTHER || fc == GTRACE_FC_GPU)
			continue;
		calls += tr->sum->io[fc][GTRACE_IO_WRITE].calls;
		bytes += tr->sum->io[fc][GTRACE_IO_WRITE].bytes;
	}
	mean = calls ? (double)bytes / calls : 0;
	gti_fmt_num(m, sizeof(m), mean, 1);
	gti_fmt_num(l, sizeof(l), a->limit, 6);
	put(c->actual, sizeof(c->actual), "%s bytes per write (%" PRIu64
		 " writes, %" PRIu64 " bytes)", m, calls, bytes);
	put(c->budget, sizeof(c->budget), "at least %s bytes per write (from %"
		 PRIu64 " writes)", l, a->min_calls);
	if (calls < a->min_calls || mean >= a->limit)
		return true;
	gt_fmt_pct(c->excess, sizeof(c->excess), (mean - a->limit) / a->limit * 100);
	return false;
}

static bool eval_god_process(struct gt_check *c, const struct assertion *a,
			     const struct gt_trace *tr)
{
	const struct gt_stats *st = tr->stats;
	uint64_t best = 0, total = 0;
	uint32_t best_tgid = 0;
	size_t i, j, procs = 0;

	fmt_share(c->budget, sizeof(c->budget), a->limit);
	for (i = 0; st && i < st->nr_tasks; i++) {
		uint64_t n = 0;
		bool first = true;

		/* Add up the threads of each process once, at its first. */
		for (j = 0; j < i; j++)
			if (st->tasks[j].tgid == st->tasks[i].tgid)
				first = false;
		if (!first)
			continue;
		procs++;
		for (j = i; j < st->nr_tasks; j++) {
			const struct gt_task *t = &st->tasks[j];
			size_t k;

			if (t->tgid != st->tasks[i].tgid)
				continue;
			for (k = 0; k < t->nr_syscalls; k++)
				n += t->syscalls[k].calls;
		}
		total += n;
		if (n > best) {
			best = n;
			best_tgid = st->tasks[i].tgid;
		}
	}
	if (procs < 2) {
		put(c->actual, sizeof(c->actual), "one process");
		put(c->detail, sizeof(c->detail),
			 "a single process has nothing to share its work with");
		return true;
	}
	fmt_share(c->actual, sizeof(c->actual), ratio(best, total));
	put(c->detail, sizeof(c->detail),
		 "share of all syscalls made by process %u (of %zu processes)",
		 best_tgid, procs);
	return judge_share(c, a, ratio(best, total));
}

static bool eval_errors(struct gt_check *c, const struct assertion *a,
			const struct gt_trace *tr)
{
	const struct gt_summary *sum = tr->sum;
	uint64_t n = 0, lost = tr->calls_lost + sum->calls_lost;
	char sel[160], what[200];
	size_t i;

	if (a->err) {
		for (i = 0; i < sum->nr_errnos; i++)
			if (sum->errnos[i].err == a->err &&
			    selected(a, sum->errnos[i].abi, sum->errnos[i].nr))
				n += sum->errnos[i].count;
	} else {
		for (i = 0; i < sum->nr_syscalls; i++)
			if (selected(a, sum->syscalls[i].abi, sum->syscalls[i].nr))
				n += sum->syscalls[i].errors;
	}
	if (a->has_max)
		n += lost;
	join_matches(sel, sizeof(sel), a);
	put(what, sizeof(what), "%s%s%s",
		 a->err ? (gt_errno_name(a->err) ? gt_errno_name(a->err) : "errno") : "",
		 a->err ? " " : "", "errors");
	put(c->actual, sizeof(c->actual), "%" PRIu64 " %s", n, what);
	put(c->detail, sizeof(c->detail), "failed calls of %s",
		 a->nm ? sel : "every syscall");
	if (lost && a->has_max)
		lost_note(c->detail, sizeof(c->detail), lost);
	return judge_count(c, a, n, what);
}

static bool eval_latency(struct gt_check *c, const struct assertion *a,
			 const struct gt_trace *tr)
{
	const struct gt_summary *sum = tr->sum;
	uint64_t hist[GTRACE_HIST_BUCKETS] = { 0 }, calls = 0, q;
	char p[32], v[32], sel[160];
	size_t i;

	for (i = 0; i < sum->nr_syscalls; i++) {
		if (!selected(a, sum->syscalls[i].abi, sum->syscalls[i].nr))
			continue;
		gt_hist_merge(hist, sum->syscalls[i].hist);
		calls += sum->syscalls[i].calls;
	}
	gti_fmt_num(p, sizeof(p), a->percentile, 6);
	gt_fmt_duration(v, sizeof(v), sat_u64(a->limit * 1000));
	put(c->budget, sizeof(c->budget), "p%s < %s", p, v);
	join_matches(sel, sizeof(sel), a);
	if (!calls) {
		put(c->actual, sizeof(c->actual), "no calls");
		put(c->detail, sizeof(c->detail), "%s was not called", sel);
		return true;
	}
	q = gt_hist_quantile(hist, a->percentile / 100);
	gt_fmt_duration(v, sizeof(v), q);
	put(c->actual, sizeof(c->actual), "p%s < %s", p, v);
	put(c->detail, sizeof(c->detail),
		 "%" PRIu64 " calls of %s; the upper bound of the log2 latency bucket holding p%s",
		 calls, sel, p);
	if (q != UINT64_MAX && (double)q <= a->limit * 1000)
		return true;
	if (q == UINT64_MAX)
		put(c->excess, sizeof(c->excess), "+inf%%");
	else
		excess_pct(c, q, a->limit * 1000, "ns");
	return false;
}

static bool eval_forbidden(struct gt_check *c, const struct assertion *a,
			   const struct gt_trace *tr)
{
	const struct gt_summary *sum = tr->sum;
	uint64_t n = 0;
	size_t i, o = 0;
	char label[64], sel[160];

	c->actual[0] = '\0';
	for (i = 0; i < sum->nr_syscalls; i++) {
		const struct gt_syscall_stat *s = &sum->syscalls[i];

		if (!s->calls || !selected(a, s->abi, s->nr))
			continue;
		n += s->calls;
		gti_sc_fullname(label, sizeof(label), s->abi, s->nr);
		if (o < sizeof(c->actual))
			o += put(c->actual + o, sizeof(c->actual) - o,
				      "%s%s %" PRIu64 "x", o ? ", " : "", label,
				      s->calls);
	}
	join_matches(sel, sizeof(sel), a);
	put(c->budget, sizeof(c->budget), "no calls of %s", sel);
	if (!n) {
		put(c->actual, sizeof(c->actual), "none called");
		return true;
	}
	put(c->excess, sizeof(c->excess), "+%" PRIu64 " calls", n);
	return false;
}

static bool eval_one(struct gt_check *c, const struct assertion *a,
		     const struct gt_trace *tr)
{
	switch (a->type) {
	case A_CRITICAL_PATH:
		return eval_critical_path(c, a, tr);
	case A_SPAN_COUNT:
		return eval_counts(c, a, tr, "syscalls");
	case A_SYSCALL_COUNT:
		return eval_counts(c, a, tr, "calls");
	case A_MEMORY_USAGE:
		return eval_memory(c, a, tr);
	case A_ANTI_PATTERN:
		switch (a->anti) {
		case AP_PCIE:
			return eval_pcie(c, a, tr);
		case AP_TIGHT_LOOP:
			return eval_tight_loop(c, a, tr);
		case AP_EXCESSIVE_IO:
			return eval_excessive_io(c, a, tr);
		case AP_SMALL_WRITES:
			return eval_small_writes(c, a, tr);
		case AP_GOD_PROCESS:
			return eval_god_process(c, a, tr);
		}
		break;
	case A_ERROR_COUNT:
		return eval_errors(c, a, tr);
	case A_LATENCY_PERCENTILE:
		return eval_latency(c, a, tr);
	case A_FORBIDDEN_SYSCALL:
		return eval_forbidden(c, a, tr);
	}
	return false;
}

int gt_assertions_eval(const struct gt_assertions *as,
		       const struct gt_trace *tr, struct gt_check **checks,
		       size_t *n)
{
	struct gt_check *c;
	size_t i;

	*checks = NULL;
	*n = 0;
	if (!as || !tr || !tr->sum)
		return -EINVAL;
	c = calloc(as->n ? as->n : 1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0; i < as->n; i++) {
		const struct assertion *a = &as->a[i];

		put(c[i].name, sizeof(c[i].name), "%s", a->name);
		put(c[i].type, sizeof(c[i].type), "%s", types[a->type].name);
		if (!a->enabled) {
			c[i].verdict = GT_VERDICT_SKIP;
			continue;
		}
		if (eval_one(&c[i], a, tr))
			c[i].verdict = GT_VERDICT_PASS;
		else
			c[i].verdict = a->fail_on_violation ? GT_VERDICT_FAIL :
				       GT_VERDICT_WARN;
	}
	*checks = c;
	*n = as->n;
	return 0;
}

/* ---- printing ------------------------------------------------------------ */

enum gt_verdict gt_checks_print(const struct gt_check *c, size_t n,
				FILE *out)
{
	enum gt_verdict worst = GT_VERDICT_PASS;
	size_t i, count[GT_VERDICT_FAIL + 1] = { 0 };

	for (i = 0; i < n; i++) {
		const struct gt_check *k = &c[i];

		count[k->verdict]++;
		if (k->verdict > worst)
			worst = k->verdict;
		switch (k->verdict) {
		case GT_VERDICT_PASS:
			fprintf(out, "✅ Assertion '%s' passed (Actual: %s, Budget: %s)\n",
				k->name, k->actual, k->budget);
			continue;
		case GT_VERDICT_SKIP:
			fprintf(out, "⏭️  Assertion '%s' skipped (enabled = false)\n",
				k->name);
			continue;
		case GT_VERDICT_WARN:
			fprintf(out, "⚠️  Assertion '%s' violated (warning only: fail_on_violation = false)\n",
				k->name);
			break;
		case GT_VERDICT_FAIL:
			fprintf(out, "❌ Assertion '%s' FAILED\n", k->name);
			break;
		}
		fprintf(out, "   Actual: %s\n   Budget: %s\n", k->actual, k->budget);
		if (k->excess[0])
			fprintf(out, "   Regression: %s\n", k->excess);
		if (k->detail[0])
			fprintf(out, "   (%s)\n", k->detail);
	}
	fprintf(out, "Assertions: %zu passed, %zu failed, %zu warned, %zu skipped\n",
		count[GT_VERDICT_PASS], count[GT_VERDICT_FAIL],
		count[GT_VERDICT_WARN], count[GT_VERDICT_SKIP]);
	return worst;
}
