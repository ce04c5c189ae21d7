// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-json-v1, loading (Documentation/json.md).
 *
 * The file is read whole. The records array is checked element by element
 * with json-c and then blanked (newlines kept), so that json-c builds a
 * tree only of the aggregates and memory does not grow with the records.
 * The tree is then checked member by member; every error names the
 * member's path and the line it is on: json-c's parse offset for a syntax
 * error, and for a document that parses but breaks the format the
 * scanner of json_scan.c, which walks the text along the member's path.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "json_internal.h"

/* ==== loading: checking the tree ======================================== */

#define JL_DEPTH	8

struct jl {
	const char *text;
	size_t len;
	struct gt_input_error *err;
	struct gti_json_step path[JL_DEPTH];
	int depth;
};

static void jl_push_key(struct jl *l, const char *key)
{
	if (l->depth < JL_DEPTH)
		l->path[l->depth] = (struct gti_json_step){ .key = key };
	l->depth++;
}

static void jl_push_index(struct jl *l, size_t index)
{
	if (l->depth < JL_DEPTH)
		l->path[l->depth] = (struct gti_json_step){ .index = index };
	l->depth++;
}

static void jl_pop(struct jl *l)
{
	l->depth--;
}

static void path_text(const struct jl *l, char *buf, size_t len)
{
	size_t used = 0;
	int d;

	buf[0] = 0;
	for (d = 0; d < l->depth && d < JL_DEPTH && used < len; d++) {
		const struct gti_json_step *p = &l->path[d];
		int n = p->key ? snprintf(buf + used, len - used, "%s%s",
					  d ? "." : "", p->key) :
			snprintf(buf + used, len - used, "[%zu]", p->index);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/*
 * Fail at the current path, or at its member @key when not NULL: the line
 * is that of the value (or of the enclosing object, for a missing member).
 */
static int jl_fail(struct jl *l, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int jl_fail(struct jl *l, const char *key, const char *fmt, ...)
{
	char where[160], what[200];
	va_list ap;
	long off;

	if (key)
		jl_push_key(l, key);
	off = l->depth <= JL_DEPTH ?
		gti_json_locate(l->text, l->len, l->path, l->depth) : -1;
	path_text(l, where, sizeof(where));
	if (key)
		jl_pop(l);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	l->err->line = off < 0 ? 0 : gti_json_line_of(l->text, l->len, (size_t)off);
	if (where[0])
		snprintf(l->err->msg, sizeof(l->err->msg), "%s: %s", where, what);
	else
		snprintf(l->err->msg, sizeof(l->err->msg), "%s", what);
	return -EINVAL;
}

static const char *type_name(struct json_object *v)
{
	return v ? json_type_to_name(json_object_get_type(v)) : "null";
}

/* Member @key of @obj, which must be there and of @type. */
static int jl_get(struct jl *l, struct json_object *obj, const char *key,
		  enum json_type type, struct json_object **v)
{
	if (!json_object_object_get_ex(obj, key, v))
		return jl_fail(l, NULL, "missing member \"%s\"", key);
	if (!json_object_is_type(*v, type))
		return jl_fail(l, key, "expected %s, found %s",
			       type == json_type_int ? "an integer" :
			       type == json_type_string ? "a string" :
			       type == json_type_array ? "an array" :
			       type == json_type_object ? "an object" :
			       json_type_to_name(type), type_name(*v));
	return 0;
}

/* A non-negative integer of at most @max. */
static int jl_uint(struct jl *l, struct json_object *obj, const char *key,
		   uint64_t max, uint64_t *out)
{
	struct json_object *v = NULL;
	uint64_t u;
	int err = jl_get(l, obj, key, json_type_int, &v);

	if (err)
		return err;
	if (json_object_get_int64(v) < 0)
		return jl_fail(l, key, "must not be negative");
	u = json_object_get_uint64(v);
	/* json-c saturates what does not fit at UINT64_MAX. */
	if (u > max || u == UINT64_MAX)
		return jl_fail(l, key, "out of range (at most %llu)",
			       (unsigned long long)(max == UINT64_MAX ?
						    max - 1 : max));
	*out = u;
	return 0;
}

static int jl_u64(struct jl *l, struct json_object *obj, const char *key,
		  uint64_t *out)
{
	return jl_uint(l, obj, key, UINT64_MAX, out);
}

static int jl_u32(struct jl *l, struct json_object *obj, const char *key,
		  uint32_t *out)
{
	uint64_t v;
	int err = jl_uint(l, obj, key, UINT32_MAX, &v);

	if (!err)
		*out = (uint32_t)v;
	return err;
}

static int jl_int(struct jl *l, struct json_object *obj, const char *key,
		  int min, int max, int *out)
{
	struct json_object *v = NULL;
	int64_t i;
	int err = jl_get(l, obj, key, json_type_int, &v);

	if (err)
		return err;
	i = json_object_get_int64(v);
	if (i < min || i > max)
		return jl_fail(l, key, "out of range (%d to %d)", min, max);
	*out = (int)i;
	return 0;
}

static int jl_str(struct jl *l, struct json_object *obj, const char *key,
		  const char **out)
{
	struct json_object *v = NULL;
	int err = jl_get(l, obj, key, json_type_string, &v);

	if (err)
		return err;
	*out = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(*out))
		return jl_fail(l, key, "contains a NUL character");
	return 0;
}

static int jl_strdup(struct jl *l, struct json_object *obj, const char *key,
		     char **out)
{
	const char *s;
	int err = jl_str(l, obj, key, &s);

	if (err)
		return err;
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

/* A name out of one of libgtrace's tables, by index. */
static int jl_enum(struct jl *l, struct json_object *obj, const char *key,
		   const char *(*name_of)(unsigned int), unsigned int count,
		   uint8_t *out)
{
	const char *s;
	unsigned int i;
	int err = jl_str(l, obj, key, &s);

	if (err)
		return err;
	for (i = 0; i < count; i++) {
		if (!strcmp(s, name_of(i))) {
			*out = (uint8_t)i;
			return 0;
		}
	}
	return jl_fail(l, key, "unknown %s \"%s\"", key, s);
}

static int jl_abi(struct jl *l, struct json_object *obj, uint8_t *abi)
{
	return jl_enum(l, obj, "abi", gt_abi_name, __GTRACE_ABI_MAX, abi);
}

/* An errno by name ("EBADF") or number, 1 to 4095. */
static int jl_errno(struct jl *l, struct json_object *obj, uint32_t *err)
{
	struct json_object *v = NULL;
	int e;

	if (!json_object_object_get_ex(obj, "errno", &v))
		return jl_fail(l, NULL, "missing member \"errno\"");
	if (json_object_is_type(v, json_type_string)) {
		e = gt_errno_nr(json_object_get_string(v));
		if (e < 0)
			return jl_fail(l, "errno", "unknown errno \"%s\"",
				       json_object_get_string(v));
		*err = (uint32_t)e;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return jl_fail(l, "errno", "expected a name or a number, found %s",
			       type_name(v));
	e = (int)json_object_get_int64(v);
	if (json_object_get_int64(v) < 1 || json_object_get_int64(v) > 4095)
		return jl_fail(l, "errno", "out of range (1 to 4095)");
	*err = (uint32_t)e;
	return 0;
}

/* Array member @key; *@n its length. */
static int jl_array(struct jl *l, struct json_object *obj, const char *key,
		    struct json_object **arr, size_t *n)
{
	int err = jl_get(l, obj, key, json_type_array, arr);

	if (!err)
		*n = json_object_array_length(*arr);
	return err;
}

/* Element @i of the array at the top of the path, which must be an object. */
static int jl_elem(struct jl *l, struct json_object *arr, size_t i,
		   struct json_object **o)
{
	*o = json_object_array_get_idx(arr, i);
	jl_push_index(l, i);
	if (!json_object_is_type(*o, json_type_object)) {
		int err = jl_fail(l, NULL, "expected an object, found %s",
				  type_name(*o));

		jl_pop(l);
		return err;
	}
	return 0;
}

static int parse_sc(struct jl *l, struct json_object *o,
		    struct gt_syscall_stat *s, bool *has_hist)
{
	struct json_object *h;
	const char *name;
	size_t i, n;
	int err;

	memset(s, 0, sizeof(*s));
	if ((err = jl_str(l, o, "name", &name)) ||
	    (err = jl_u32(l, o, "nr", &s->nr)) ||
	    (err = jl_abi(l, o, &s->abi)) ||
	    (err = jl_u64(l, o, "calls", &s->calls)) ||
	    (err = jl_u64(l, o, "errors", &s->errors)) ||
	    (err = jl_u64(l, o, "total_ns", &s->total_ns)) ||
	    (err = jl_u64(l, o, "min_ns", &s->min_ns)) ||
	    (err = jl_u64(l, o, "max_ns", &s->max_ns)))
		return err;
	*has_hist = json_object_object_get_ex(o, "hist", NULL);
	if (!*has_hist)
		return 0;
	if ((err = jl_array(l, o, "hist", &h, &n)))
		return err;
	if (n != GTRACE_HIST_BUCKETS)
		return jl_fail(l, "hist", "has %zu buckets, expected %d", n,
			       GTRACE_HIST_BUCKETS);
	jl_push_key(l, "hist");
	for (i = 0; i < n && !err; i++) {
		struct json_object *v = json_object_array_get_idx(h, i);

		jl_push_index(l, i);
		if (!json_object_is_type(v, json_type_int))
			err = jl_fail(l, NULL, "expected an integer, found %s",
				      type_name(v));
		else if (json_object_get_int64(v) < 0)
			err = jl_fail(l, NULL, "must not be negative");
		else if ((s->hist[i] = json_object_get_uint64(v)) == UINT64_MAX)
			err = jl_fail(l, NULL, "out of range");
		jl_pop(l);
	}
	jl_pop(l);
	return err;
}

static int parse_err(struct jl *l, struct json_object *o,
		     struct gt_errno_stat *e)
{
	const char *name;
	int err;

	memset(e, 0, sizeof(*e));
	if ((err = jl_str(l, o, "name", &name)) ||
	    (err = jl_u32(l, o, "nr", &e->nr)) ||
	    (err = jl_abi(l, o, &e->abi)) ||
	    (err = jl_errno(l, o, &e->err)) ||
	    (err = jl_u64(l, o, "count", &e->count)))
		return err;
	return 0;
}

/* syscalls: a list in (abi, nr) order; sorted here if it is not. */
static int load_syscalls(struct jl *l, struct json_object *obj,
			 struct gt_syscall_stat **out, size_t *nr_out)
{
	struct gt_syscall_stat *v = NULL;
	struct json_object *arr, *o;
	bool sorted = true, hist;
	size_t i, n;
	int err;

	*out = NULL;
	*nr_out = 0;
	if ((err = jl_array(l, obj, "syscalls", &arr, &n)))
		return err;
	if (n && !(v = calloc(n, sizeof(*v))))
		return -ENOMEM;
	jl_push_key(l, "syscalls");
	for (i = 0; i < n && !err; i++) {
		if ((err = jl_elem(l, arr, i, &o)))
			break;
		err = parse_sc(l, o, &v[i], &hist);
		if (!err && i && gt_syscall_stat_cmp(&v[i - 1], &v[i]) == 0)
			err = jl_fail(l, NULL, "a second entry for %s syscall %u",
				      gt_abi_name(v[i].abi), v[i].nr);
		if (!err && i && gt_syscall_stat_cmp(&v[i - 1], &v[i]) > 0)
			sorted = false;
		jl_pop(l);
	}
	if (!err && !sorted) {
		qsort(v, n, sizeof(*v), gt_syscall_stat_cmp);
		for (i = 1; i < n && !err; i++)
			if (!gt_syscall_stat_cmp(&v[i - 1], &v[i]))
				err = jl_fail(l, NULL, "two entries for %s syscall %u",
					      gt_abi_name(v[i].abi), v[i].nr);
	}
	jl_pop(l);
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*nr_out = n;
	return 0;
}

static int load_errnos(struct jl *l, struct json_object *obj,
		       struct gt_errno_stat **out, size_t *nr_out)
{
	struct gt_errno_stat *v = NULL;
	struct json_object *arr, *o;
	bool sorted = true;
	size_t i, n;
	int err;

	*out = NULL;
	*nr_out = 0;
	if ((err = jl_array(l, obj, "errnos", &arr, &n)))
		return err;
	if (n && !(v = calloc(n, sizeof(*v))))
		return -ENOMEM;
	jl_push_key(l, "errnos");
	for (i = 0; i < n && !err; i++) {
		if ((err = jl_elem(l, arr, i, &o)))
			break;
		err = parse_err(l, o, &v[i]);
		if (!err && i && gt_errno_stat_cmp(&v[i - 1], &v[i]) == 0)
			err = jl_fail(l, NULL, "a second entry for this syscall and errno");
		if (!err && i && gt_errno_stat_cmp(&v[i - 1], &v[i]) > 0)
			sorted = false;
		jl_pop(l);
	}
	if (!err && !sorted) {
		qsort(v, n, sizeof(*v), gt_errno_stat_cmp);
		for (i = 1; i < n && !err; i++)
			if (!gt_errno_stat_cmp(&v[i - 1], &v[i]))
				err = jl_fail(l, NULL, "two entries for %s syscall %u errno %u",
					      gt_abi_name(v[i].abi), v[i].nr, v[i].err);
	}
	jl_pop(l);
	if (err) {
		free(v);
		return err;
	}
	*out = v;
	*nr_out = n;
	return 0;
}

static int load_io(struct jl *l, struct json_object *obj,
		   struct gt_io_stat io[][__GTRACE_IO_MAX])
{
	bool seen[__GTRACE_FC_MAX][__GTRACE_IO_MAX] = { { false } };
	struct json_object *arr, *o;
	size_t i, n;
	uint8_t c = 0, k = 0;
	int err;

	if ((err = jl_array(l, obj, "io", &arr, &n)))
		return err;
	jl_push_key(l, "io");
	for (i = 0; i < n && !err; i++) {
		if ((err = jl_elem(l, arr, i, &o)))
			break;
		if (!(err = jl_enum(l, o, "class", gt_fclass_name,
				    __GTRACE_FC_MAX, &c)) &&
		    !(err = jl_enum(l, o, "kind", gt_io_kind_name,
				    __GTRACE_IO_MAX, &k))) {
			if (seen[c][k])
				err = jl_fail(l, NULL, "a second entry for %s %s",
					      gt_fclass_name(c), gt_io_kind_name(k));
			seen[c][k] = true;
		}
		if (!err && !(err = jl_u64(l, o, "calls", &io[c][k].calls)) &&
		    !(err = jl_u64(l, o, "bytes", &io[c][k].bytes)))
			err = jl_u64(l, o, "ns", &io[c][k].ns);
		jl_pop(l);
	}
	jl_pop(l);
	return err;
}

static int load_task(struct jl *l, struct json_object *o, struct gt_task *t)
{
	const char *comm;
	int err;

	if ((err = jl_u32(l, o, "tid", &t->tid)) ||
	    (err = jl_u32(l, o, "tgid", &t->tgid)) ||
	    (err = jl_u32(l, o, "ppid", &t->ppid)) ||
	    (err = jl_str(l, o, "comm", &comm)))
		return err;
	if (strlen(comm) >= GT_COMM_LEN)
		return jl_fail(l, "comm", "longer than %d bytes", GT_COMM_LEN - 1);
	strcpy(t->comm, comm);
	if ((err = jl_u32(l, o, "flags", &t->flags)) ||
	    (err = jl_u64(l, o, "start_ns", &t->start_ns)) ||
	    (err = jl_u64(l, o, "exit_ns", &t->exit_ns)) ||
	    (err = jl_u32(l, o, "exit_status", &t->exit_code)) ||
	    (err = jl_u64(l, o, "rss_peak", &t->rss_peak)) ||
	    (err = jl_u64(l, o, "vm_peak", &t->vm_peak)) ||
	    (err = jl_u64(l, o, "nvcsw", &t->nvcsw)) ||
	    (err = jl_u64(l, o, "nivcsw", &t->nivcsw)) ||
	    (err = jl_u64(l, o, "calls_lost", &t->calls_lost)) ||
	    (err = load_syscalls(l, o, &t->syscalls, &t->nr_syscalls)) ||
	    (err = load_errnos(l, o, &t->errnos, &t->nr_errnos)))
		return err;
	return load_io(l, o, t->io);
}

static int load_tasks(struct jl *l, struct json_object *top,
		      struct gt_stats *st)
{
	struct json_object *arr, *o;
	size_t i, n;
	int err;

	if ((err = jl_array(l, top, "tasks", &arr, &n)))
		return err;
	if (n && !(st->tasks = calloc(n, sizeof(*st->tasks))))
		return -ENOMEM;
	jl_push_key(l, "tasks");
	for (i = 0; i < n && !err; i++) {
		if ((err = jl_elem(l, arr, i, &o)))
			break;
		st->nr_tasks++;
		err = load_task(l, o, &st->tasks[i]);
		jl_pop(l);
	}
	jl_pop(l);
	return err;
}

/* ---- the summary must be what the tasks add up to ---------------------- */

static int check_u64(struct jl *l, struct json_object *o, const char *key,
		     uint64_t want)
{
	uint64_t v;
	int err = jl_u64(l, o, key, &v);

	if (!err && v != want)
		err = jl_fail(l, key, "is %llu but the tasks add up to %llu",
			      (unsigned long long)v, (unsigned long long)want);
	return err;
}

static int sc_differs(const struct gt_syscall_stat *a,
		      const struct gt_syscall_stat *b, bool hist)
{
	return a->calls != b->calls || a->errors != b->errors ||
		a->total_ns != b->total_ns || a->min_ns != b->min_ns ||
		a->max_ns != b->max_ns ||
		(hist && memcmp(a->hist, b->hist, sizeof(a->hist)));
}

static int check_sum_syscalls(struct jl *l, struct json_object *so,
			      const struct gt_summary *sum)
{
	struct json_object *arr, *o;
	struct gt_syscall_stat s;
	size_t i, n, found = 0;
	bool hist;
	int err;

	if ((err = jl_array(l, so, "syscalls", &arr, &n)))
		return err;
	jl_push_key(l, "syscalls");
	for (i = 0; i < n && !err; i++) {
		const struct gt_syscall_stat *want;
		char buf[32];

		if ((err = jl_elem(l, arr, i, &o)))
			break;
		err = parse_sc(l, o, &s, &hist);
		want = err ? NULL : gt_summary_find(sum, s.abi, s.nr);
		if (!err && !want)
			err = jl_fail(l, NULL, "%s (%s) is in no task",
				      gti_sc_label(s.abi, s.nr, buf, sizeof(buf)),
				      gt_abi_name(s.abi));
		else if (!err && sc_differs(&s, want, hist))
			err = jl_fail(l, NULL, "%s (%s) differs from what the tasks add up to",
				      gti_sc_label(s.abi, s.nr, buf, sizeof(buf)),
				      gt_abi_name(s.abi));
		found++;
		jl_pop(l);
	}
	if (!err && found != sum->nr_syscalls)
		err = jl_fail(l, NULL, "has %zu entries, the tasks have %zu syscalls",
			      found, sum->nr_syscalls);
	jl_pop(l);
	return err;
}

static int check_sum_errnos(struct jl *l, struct json_object *so,
			    const struct gt_summary *sum)
{
	struct json_object *arr, *o;
	struct gt_errno_stat e;
	size_t i, j, n;
	int err;

	if ((err = jl_array(l, so, "errnos", &arr, &n)))
		return err;
	jl_push_key(l, "errnos");
	for (i = 0; i < n && !err; i++) {
		if ((err = jl_elem(l, arr, i, &o)))
			break;
		err = parse_err(l, o, &e);
		for (j = 0; !err && j < sum->nr_errnos; j++)
			if (!gt_errno_stat_cmp(&e, &sum->errnos[j]))
				break;
		if (!err && (j == sum->nr_errnos ||
			     sum->errnos[j].count != e.count))
			err = jl_fail(l, NULL, "differs from what the tasks add up to");
		jl_pop(l);
	}
	if (!err && n != sum->nr_errnos)
		err = jl_fail(l, NULL, "has %zu entries, the tasks have %zu",
			      n, sum->nr_errnos);
	jl_pop(l);
	return err;
}

static int check_sum_by_errno(struct jl *l, struct json_object *so,
			      const struct gt_summary *sum)
{
	struct json_object *o;
	size_t i, keys = 0, distinct = 0;
	int err = jl_get(l, so, "errors_by_errno", json_type_object, &o);

	if (err)
		return err;
	jl_push_key(l, "errors_by_errno");
	json_object_object_foreach(o, key, val) {
		uint64_t want = 0;
		int e = gt_errno_nr(key);

		if (e < 0 && key[strspn(key, "0123456789")] == 0 && key[0])
			e = atoi(key);
		if (e <= 0) {
			err = jl_fail(l, key, "unknown errno \"%s\"", key);
			break;
		}
		for (i = 0; i < sum->nr_errnos; i++)
			if ((int)sum->errnos[i].err == e)
				want += sum->errnos[i].count;
		(void)val;
		if ((err = check_u64(l, o, key, want)))
			break;
		if (!want) {
			err = jl_fail(l, key, "no task has this errno");
			break;
		}
		keys++;
	}
	for (i = 0; !err && i < sum->nr_errnos; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (sum->errnos[j].err == sum->errnos[i].err)
				break;
		distinct += j == i;
	}
	if (!err && keys != distinct)
		err = jl_fail(l, NULL, "has %zu errnos, the tasks have %zu",
			      keys, distinct);
	jl_pop(l);
	return err;
}

static int check_summary(struct jl *l, struct json_object *top,
			 const struct gt_summary *sum)
{
	struct gt_io_stat io[__GTRACE_FC_MAX][__GTRACE_IO_MAX] = { { { 0 } } };
	struct json_object *so;
	int err = jl_get(l, top, "summary", json_type_object, &so);

	if (err)
		return err;
	jl_push_key(l, "summary");
	if (!(err = check_u64(l, so, "tasks", sum->nr_tasks)) &&
	    !(err = check_u64(l, so, "calls", sum->calls)) &&
	    !(err = check_u64(l, so, "errors", sum->errors)) &&
	    !(err = check_u64(l, so, "total_ns", sum->total_ns)) &&
	    !(err = check_u64(l, so, "calls_lost", sum->calls_lost)) &&
	    !(err = check_u64(l, so, "rss_peak", sum->rss_peak)) &&
	    !(err = check_u64(l, so, "vm_peak", sum->vm_peak)) &&
	    !(err = check_sum_syscalls(l, so, sum)) &&
	    !(err = check_sum_errnos(l, so, sum)) &&
	    !(err = check_sum_by_errno(l, so, sum)) &&
	    !(err = load_io(l, so, io)) &&
	    memcmp(io, sum->io, sizeof(io)))
		err = jl_fail(l, "io", "differs from what the tasks add up to");
	jl_pop(l);
	return err;
}

static int load_trace(struct jl *l, struct json_object *top,
		      struct gt_trace *tr)
{
	struct json_object *v = NULL;
	const char *s;
	int err;

	if (!json_object_is_type(top, json_type_object))
		return jl_fail(l, NULL, "expected an object, found %s",
			       type_name(top));
	if ((err = jl_str(l, top, "format", &s)))
		return err;
	if (strcmp(s, GT_JSON_FORMAT))
		return jl_fail(l, "format", "is \"%s\", expected \"%s\"", s,
			       GT_JSON_FORMAT);
	tr->stats = calloc(1, sizeof(*tr->stats));
	if (!tr->stats)
		return -ENOMEM;
	if ((err = jl_str(l, top, "version", &s)) ||
	    (err = jl_strdup(l, top, "command", &tr->command)) ||
	    (err = jl_strdup(l, top, "kernel", &tr->kernel)) ||
	    (err = jl_strdup(l, top, "module_version", &tr->module_version)) ||
	    (err = jl_u32(l, top, "session_id", &tr->stats->session_id)) ||
	    (err = jl_u64(l, top, "start_time_ns", &tr->start_ns)) ||
	    (err = jl_u64(l, top, "wall_time_ns", &tr->wall_ns)) ||
	    (err = jl_int(l, top, "exit_code", -1, 255, &tr->exit_code)) ||
	    (err = jl_int(l, top, "exit_signal", 0, 127, &tr->exit_signal)) ||
	    (err = jl_u64(l, top, "records", &tr->records)) ||
	    (err = jl_u64(l, top, "drops", &tr->drops)) ||
	    (err = jl_u64(l, top, "tasks_lost", &tr->tasks_lost)) ||
	    (err = jl_u64(l, top, "calls_lost", &tr->calls_lost)))
		return err;
	/* Lossless runs only (added within v1). */
	if (json_object_object_get_ex(top, "no_drops", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return jl_fail(l, "no_drops", "expected a boolean, found %s",
				       type_name(v));
		tr->no_drops = json_object_get_boolean(v);
		if (tr->no_drops &&
		    ((err = jl_u64(l, top, "waits", &tr->waits)) ||
		     (err = jl_u64(l, top, "wait_ns", &tr->wait_ns))))
			return err;
	}
	if (json_object_object_get_ex(top, "call_records", &v) &&
	    !json_object_is_type(v, json_type_array))
		return jl_fail(l, "call_records", "expected an array, found %s",
			       type_name(v));
	if ((err = load_tasks(l, top, tr->stats)))
		return err;
	if ((err = gt_stats_summarize(tr->stats, &tr->sum)))
		return err;
	return check_summary(l, top, tr->sum);
}

/* ---- loading: the text ------------------------------------------------- */

/* A json-c error at byte @off of the text. */
static int syntax_error(struct jl *l, size_t off, const char *what)
{
	l->err->line = gti_json_line_of(l->text, l->len, off);
	snprintf(l->err->msg, sizeof(l->err->msg), "%s", what);
	return -EINVAL;
}

/*
 * Check the elements of the top-level "call_records" array with json-c,
 * one at a time, and blank them out so that the parse of the whole
 * document does not hold them in memory. Only objects are expected; when
 * the text is not as expected the array is left alone for json-c to judge.
 * Returns 0 (blanked or left), or -EINVAL for a bad element.
 */
static int blank_records(struct jl *l, char *s, struct json_tokener *tok)
{
	size_t n = l->len, i, start;
	long j = gti_json_member(s, n, gti_json_ws(s, n, 0), "call_records");

	if (j < 0 || s[j] != '[')
		return 0;
	i = (size_t)j;
	start = i + 1;
	i = gti_json_ws(s, n, start);
	while (i < n && s[i] != ']') {
		struct json_object *rec;

		if (s[i] != '{')
			return 0;
		j = gti_json_value_end(s, n, i);
		if (j < 0)
			return 0;
		json_tokener_reset(tok);
		rec = json_tokener_parse_ex(tok, s + i, j - (long)i);
		if (!rec)
			return syntax_error(l, i + json_tokener_get_parse_end(tok),
					    json_tokener_error_desc(
						    json_tokener_get_error(tok)));
		json_object_put(rec);
		i = gti_json_ws(s, n, (size_t)j);
		if (i < n && s[i] == ',') {
			i = gti_json_ws(s, n, i + 1);
			if (i >= n || s[i] != '{')
				return 0;
		} else if (i >= n || s[i] != ']') {
			return 0;
		}
	}
	if (i >= n)
		return 0;
	for (; start < i; start++)
		if (s[start] != '\n')
			s[start] = ' ';
	return 0;
}

static int parse_text(struct jl *l, char *text, struct json_object **top)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	size_t end;
	int err;

	*top = NULL;
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	err = blank_records(l, text, tok);
	if (!err) {
		json_tokener_reset(tok);
		/* The terminating NUL ends a document that is a bare number. */
		*top = json_tokener_parse_ex(tok, text, (int)l->len + 1);
		jerr = json_tokener_get_error(tok);
		end = json_tokener_get_parse_end(tok);
		if (jerr != json_tokener_success)
			err = syntax_error(l, end, end >= l->len ?
					   "unexpected end of file" :
					   json_tokener_error_desc(jerr));
		else if (!*top)
			err = syntax_error(l, 0, "expected an object, found null");
	}
	json_tokener_free(tok);
	return err;
}

int gt_trace_load_json(const char *path, struct gt_trace **out,
		       struct gt_input_error *err)
{
	struct json_object *top = NULL;
	struct gt_input_error ignored;
	struct gt_trace *tr;
	struct jl l = { .err = err ? err : &ignored };
	char *text = NULL;
	int ret;

	*out = NULL;
	memset(l.err, 0, sizeof(*l.err));
	snprintf(l.err->file, sizeof(l.err->file), "%s", path);
	ret = gti_read_file(path, GTI_JSON_MAX_SIZE, 0, &text, &l.len, l.err);
	if (ret)
		return ret;
	l.text = text;
	tr = gt_trace_new();
	ret = tr ? parse_text(&l, text, &top) : -ENOMEM;
	if (!ret)
		ret = load_trace(&l, top, tr);
	json_object_put(top);
	free(text);
	if (ret) {
		if (ret == -ENOMEM)
			snprintf(l.err->msg, sizeof(l.err->msg), "out of memory");
		gt_trace_free(tr);
		return ret;
	}
	*out = tr;
	return 0;
}
