// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-json-v1: a gt_trace written with json-c, and loaded back.
 * The format is documented in Documentation/json.md, its JSON Schema is
 * Documentation/gtrace-json-v1.schema.json.
 *
 * Writing. The document is built as json-c objects and printed pretty,
 * except that every leaf entry (a syscall with its histogram, an errno, an
 * I/O counter) is printed on one line through a json-c serializer, so that
 * golden files stay short and diff well. The per-call records, when asked
 * for, go out one line each as they are read (gt_json_stream_*), ahead of
 * the rest of the trace, so that memory stays bounded however long the run.
 *
 * Loading. The file is read whole. The records array is checked element
 * by element with json-c and then blanked (newlines kept), so that json-c
 * builds a tree only of the aggregates and memory does not grow with the
 * records. The tree is then checked member by member; every error names
 * the member's path and the line it is on: json-c's parse offset for a
 * syntax error, and for a document that parses but breaks the format a
 * small scanner that walks the text along the member's path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "trace_internal.h"

void gt_trace_free(struct gt_trace *tr)
{
	if (!tr)
		return;
	free(tr->command);
	free(tr->kernel);
	free(tr->module_version);
	gt_stats_free(tr->stats);
	gt_summary_free(tr->sum);
	free(tr);
}

const char *gti_sc_label(unsigned int abi, unsigned int nr, char *buf,
			 size_t len)
{
	const char *name = gt_syscall_name(abi, nr);

	if (name)
		return name;
	snprintf(buf, len, "syscall_%u", nr);
	return buf;
}

const char *gti_errno_label(int err, char *buf, size_t len)
{
	const char *name = gt_errno_name(err);

	if (name)
		return name;
	snprintf(buf, len, "%d", err);
	return buf;
}

/* ==== writing =========================================================== */

/* A json-c tree under construction; the first allocation failure sticks. */
struct jb {
	bool oom;
};

static struct json_object *jb_check(struct jb *b, struct json_object *o)
{
	if (!o)
		b->oom = true;
	return o;
}

static void jb_put(struct jb *b, struct json_object *obj, const char *key,
		   struct json_object *val)
{
	if (!obj || !val || json_object_object_add(obj, key, val) < 0) {
		b->oom = true;
		json_object_put(val);
	}
}

static void jb_append(struct jb *b, struct json_object *arr,
		      struct json_object *val)
{
	if (!arr || !val || json_object_array_add(arr, val) < 0) {
		b->oom = true;
		json_object_put(val);
	}
}

static void jb_u64(struct jb *b, struct json_object *obj, const char *key,
		   uint64_t v)
{
	jb_put(b, obj, key, json_object_new_uint64(v));
}

static void jb_int(struct jb *b, struct json_object *obj, const char *key,
		   int64_t v)
{
	jb_put(b, obj, key, json_object_new_int64(v));
}

static void jb_str(struct jb *b, struct json_object *obj, const char *key,
		   const char *s)
{
	jb_put(b, obj, key, json_object_new_string(s ? s : ""));
}

static int oneline_print(struct json_object *jso, struct printbuf *pb,
			 int level, int flags)
{
	const char *s = json_object_get_userdata(jso);

	return printbuf_memappend(pb, s, (int)strlen(s));
}

/* Print @obj on one line wherever it appears in a pretty document. */
static struct json_object *jb_oneline(struct jb *b, struct json_object *obj)
{
	const char *s;
	char *copy;

	if (!obj)
		return NULL;
	s = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	copy = s ? strdup(s) : NULL;
	if (!copy) {
		b->oom = true;
		json_object_put(obj);
		return NULL;
	}
	json_object_set_serializer(obj, oneline_print, copy,
				   json_object_free_userdata);
	return obj;
}

static struct json_object *sc_json(struct jb *b, const struct gt_syscall_stat *s,
				   unsigned int flags)
{
	struct json_object *o = jb_check(b, json_object_new_object());
	char buf[32];
	unsigned int i;

	jb_str(b, o, "name", gti_sc_label(s->abi, s->nr, buf, sizeof(buf)));
	jb_u64(b, o, "nr", s->nr);
	jb_str(b, o, "abi", gt_abi_name(s->abi));
	jb_u64(b, o, "calls", s->calls);
	jb_u64(b, o, "errors", s->errors);
	jb_u64(b, o, "total_ns", s->total_ns);
	jb_u64(b, o, "min_ns", s->min_ns);
	jb_u64(b, o, "max_ns", s->max_ns);
	if (flags & GT_JSON_WITH_HIST) {
		struct json_object *h = jb_check(b, json_object_new_array());

		for (i = 0; i < GTRACE_HIST_BUCKETS; i++)
			jb_append(b, h, json_object_new_uint64(s->hist[i]));
		jb_put(b, o, "hist", h);
	}
	return jb_oneline(b, o);
}

static struct json_object *errno_value(struct jb *b, uint32_t err)
{
	const char *name = gt_errno_name(err);

	return jb_check(b, name ? json_object_new_string(name) :
			json_object_new_int64(err));
}

static struct json_object *err_json(struct jb *b, const struct gt_errno_stat *e)
{
	struct json_object *o = jb_check(b, json_object_new_object());
	char buf[32];

	jb_str(b, o, "name", gti_sc_label(e->abi, e->nr, buf, sizeof(buf)));
	jb_u64(b, o, "nr", e->nr);
	jb_str(b, o, "abi", gt_abi_name(e->abi));
	jb_put(b, o, "errno", errno_value(b, e->err));
	jb_u64(b, o, "count", e->count);
	return jb_oneline(b, o);
}

static struct json_object *
io_json(struct jb *b, const struct gt_io_stat io[][__GTRACE_IO_MAX])
{
	struct json_object *arr = jb_check(b, json_object_new_array());
	unsigned int c, k;

	for (c = 0; c < __GTRACE_FC_MAX; c++) {
		for (k = 0; k < __GTRACE_IO_MAX; k++) {
			const struct gt_io_stat *s = &io[c][k];
			struct json_object *o;

			if (!s->calls && !s->bytes && !s->ns)
				continue;
			o = jb_check(b, json_object_new_object());
			jb_str(b, o, "class", gt_fclass_name(c));
			jb_str(b, o, "kind", gt_io_kind_name(k));
			jb_u64(b, o, "calls", s->calls);
			jb_u64(b, o, "bytes", s->bytes);
			jb_u64(b, o, "ns", s->ns);
			jb_append(b, arr, jb_oneline(b, o));
		}
	}
	return arr;
}

static struct json_object *
sc_list(struct jb *b, const struct gt_syscall_stat *v, size_t n,
	unsigned int flags)
{
	struct json_object *arr = jb_check(b, json_object_new_array());
	size_t i;

	for (i = 0; i < n; i++)
		jb_append(b, arr, sc_json(b, &v[i], flags));
	return arr;
}

static struct json_object *err_list(struct jb *b, const struct gt_errno_stat *v,
				    size_t n)
{
	struct json_object *arr = jb_check(b, json_object_new_array());
	size_t i;

	for (i = 0; i < n; i++)
		jb_append(b, arr, err_json(b, &v[i]));
	return arr;
}

/* Failed calls per errno over all syscalls, keyed by errno name. */
static struct json_object *by_errno(struct jb *b, const struct gt_summary *sum)
{
	struct json_object *o = jb_check(b, json_object_new_object());
	size_t i, j;

	for (i = 0; i < sum->nr_errnos; i++) {
		uint32_t err = sum->errnos[i].err;
		uint64_t count = 0;
		char buf[16];

		for (j = 0; j < i; j++)
			if (sum->errnos[j].err == err)
				break;
		if (j < i)
			continue;	/* counted with its first entry */
		for (j = i; j < sum->nr_errnos; j++)
			if (sum->errnos[j].err == err)
				count += sum->errnos[j].count;
		jb_u64(b, o, gti_errno_label(err, buf, sizeof(buf)), count);
	}
	return o;
}

static struct json_object *summary_json(struct jb *b,
					const struct gt_summary *sum,
					unsigned int flags)
{
	struct json_object *o = jb_check(b, json_object_new_object());

	jb_u64(b, o, "tasks", sum->nr_tasks);
	jb_u64(b, o, "calls", sum->calls);
	jb_u64(b, o, "errors", sum->errors);
	jb_u64(b, o, "total_ns", sum->total_ns);
	jb_u64(b, o, "calls_lost", sum->calls_lost);
	jb_u64(b, o, "rss_peak", sum->rss_peak);
	jb_u64(b, o, "vm_peak", sum->vm_peak);
	jb_put(b, o, "syscalls", sc_list(b, sum->syscalls, sum->nr_syscalls, flags));
	jb_put(b, o, "errnos", err_list(b, sum->errnos, sum->nr_errnos));
	jb_put(b, o, "errors_by_errno", by_errno(b, sum));
	jb_put(b, o, "io", io_json(b, sum->io));
	return o;
}

static struct json_object *task_json(struct jb *b, const struct gt_task *t,
				     unsigned int flags)
{
	struct json_object *o = jb_check(b, json_object_new_object());

	jb_u64(b, o, "tid", t->tid);
	jb_u64(b, o, "tgid", t->tgid);
	jb_u64(b, o, "ppid", t->ppid);
	jb_str(b, o, "comm", t->comm);
	jb_u64(b, o, "flags", t->flags);
	jb_u64(b, o, "start_ns", t->start_ns);
	jb_u64(b, o, "exit_ns", t->exit_ns);
	jb_u64(b, o, "exit_status", t->exit_code);
	jb_u64(b, o, "rss_peak", t->rss_peak);
	jb_u64(b, o, "vm_peak", t->vm_peak);
	jb_u64(b, o, "nvcsw", t->nvcsw);
	jb_u64(b, o, "nivcsw", t->nivcsw);
	jb_u64(b, o, "calls_lost", t->calls_lost);
	jb_put(b, o, "syscalls", sc_list(b, t->syscalls, t->nr_syscalls, flags));
	jb_put(b, o, "errnos", err_list(b, t->errnos, t->nr_errnos));
	jb_put(b, o, "io", io_json(b, t->io));
	return o;
}

/* Everything but "format" and "call_records", which the caller prints. */
static struct json_object *trace_json(const struct gt_trace *tr,
				      unsigned int flags)
{
	static const struct gt_stats empty;
	const struct gt_stats *st = tr->stats ? tr->stats : &empty;
	struct gt_summary *sum = NULL;
	struct json_object *o, *tasks;
	struct jb b = { .oom = false };
	size_t i;

	/* Always from the tasks, so that a loader finds them consistent. */
	if (gt_stats_summarize(st, &sum) < 0)
		return NULL;
	o = jb_check(&b, json_object_new_object());
	jb_str(&b, o, "version", gt_lib_version());
	jb_str(&b, o, "command", tr->command);
	jb_str(&b, o, "kernel", tr->kernel);
	jb_str(&b, o, "module_version", tr->module_version);
	jb_u64(&b, o, "session_id", st->session_id);
	jb_u64(&b, o, "start_time_ns", tr->start_ns);
	jb_u64(&b, o, "wall_time_ns", tr->wall_ns);
	jb_int(&b, o, "exit_code", tr->exit_code);
	jb_int(&b, o, "exit_signal", tr->exit_signal);
	jb_u64(&b, o, "records", tr->records);
	jb_u64(&b, o, "drops", tr->drops);
	jb_u64(&b, o, "tasks_lost", tr->tasks_lost);
	jb_u64(&b, o, "calls_lost", tr->calls_lost);
	jb_put(&b, o, "summary", summary_json(&b, sum, flags));
	tasks = jb_check(&b, json_object_new_array());
	for (i = 0; i < st->nr_tasks; i++)
		jb_append(&b, tasks, task_json(&b, &st->tasks[i], flags));
	jb_put(&b, o, "tasks", tasks);
	gt_summary_free(sum);
	if (b.oom) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int write_head(FILE *out)
{
	return fprintf(out, "{\n  \"format\": \"%s\",\n", GT_JSON_FORMAT) < 0 ?
		-EIO : 0;
}

/* The members of @tr (after the head) and the closing brace. */
static int write_tail(const struct gt_trace *tr, unsigned int flags, FILE *out)
{
	struct json_object *o = trace_json(tr, flags);
	const char *s;
	int err = 0;

	if (!o)
		return -ENOMEM;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s)
		err = -ENOMEM;
	else if (s[0] != '{' || s[1] != '\n')
		err = -EPROTO;	/* json-c printed something else than asked */
	else if (fputs(s + 2, out) < 0 || fputc('\n', out) < 0)
		err = -EIO;
	json_object_put(o);
	if (!err && fflush(out))
		err = -EIO;
	return err;
}

int gt_trace_write_json(const struct gt_trace *tr, unsigned int flags,
			FILE *out)
{
	int err = write_head(out);

	return err ? err : write_tail(tr, flags, out);
}

struct gt_json_stream {
	FILE *out;
	uint64_t n;
	int err;
};

int gt_json_stream_begin(FILE *out, struct gt_json_stream **out_js)
{
	struct gt_json_stream *js = calloc(1, sizeof(*js));

	*out_js = NULL;
	if (!js)
		return -ENOMEM;
	js->out = out;
	js->err = write_head(out);
	if (!js->err && fputs("  \"call_records\": [", out) < 0)
		js->err = -EIO;
	if (js->err) {
		int err = js->err;

		free(js);
		return err;
	}
	*out_js = js;
	return 0;
}

int gt_json_stream_record(struct gt_json_stream *js,
			  const struct gtrace_record *r, unsigned int ring)
{
	char buf[32], ebuf[16];
	int n;

	if (js->err)
		return js->err;
	n = fprintf(js->out,
		    "%s\n    { \"ts_ns\": %llu, \"dur_ns\": %llu, \"cpu\": %u, "
		    "\"tid\": %u, \"abi\": \"%s\", \"nr\": %u, \"name\": \"%s\", "
		    "\"ret\": %lld, ",
		    js->n ? "," : "", (unsigned long long)r->ts_ns,
		    (unsigned long long)r->dur_ns, ring, r->tid,
		    gt_abi_name(r->abi), r->nr,
		    gti_sc_label(r->abi, r->nr, buf, sizeof(buf)),
		    (long long)r->ret);
	if (n >= 0 && r->ret < 0 && r->ret >= -4095) {
		const char *e = gti_errno_label((int)-r->ret, ebuf, sizeof(ebuf));

		n = gt_errno_name((int)-r->ret) ?
			fprintf(js->out, "\"errno\": \"%s\", ", e) :
			fprintf(js->out, "\"errno\": %s, ", e);
	}
	if (n >= 0)
		n = fprintf(js->out, "\"fclass\": \"%s\" }",
			    gt_fclass_name(r->fclass));
	if (n < 0)
		js->err = -EIO;
	js->n++;
	return js->err;
}

int gt_json_stream_end(struct gt_json_stream *js, const struct gt_trace *tr,
		       unsigned int flags)
{
	int err;

	if (!js)
		return -EINVAL;
	err = js->err;
	if (tr && !err && fputs(js->n ? "\n  ],\n" : "],\n", js->out) < 0)
		err = -EIO;
	if (tr && !err)
		err = write_tail(tr, flags, js->out);
	free(js);
	return err;
}

/* ==== loading: finding things in the text ============================== */

/*
 * A scanner that only finds where values start and end, trusting the text
 * to be JSON: json-c has checked it (or will, for the records array,
 * whose elements we hand to json-c one by one). Returns -1 when the text
 * does not look like what it expects.
 */
static size_t sk_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			 s[i] == '\r'))
		i++;
	return i;
}

static long sk_string(const char *s, size_t n, size_t i)
{
	if (i >= n || s[i] != '"')
		return -1;
	for (i++; i < n; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return (long)i + 1;
	}
	return -1;
}

static long sk_value(const char *s, size_t n, size_t i)
{
	long depth = 0, j;

	if (i >= n)
		return -1;
	if (s[i] == '"')
		return sk_string(s, n, i);
	if (s[i] != '{' && s[i] != '[') {
		while (i < n && !strchr(",}] \t\r\n", s[i]))
			i++;
		return (long)i;
	}
	while (i < n) {
		if (s[i] == '"') {
			j = sk_string(s, n, i);
			if (j < 0)
				return -1;
			i = j;
			continue;
		}
		if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
		i++;
		if (!depth)
			return (long)i;
	}
	return -1;
}

/* At the key of a member: its text between quotes is @key. */
static bool sk_key_is(const char *s, size_t i, long end, const char *key)
{
	size_t len = strlen(key);

	return (size_t)(end - i) == len + 2 && !memcmp(s + i + 1, key, len);
}

/* One step of a member path: an object key, or an array index. */
struct jl_step {
	const char *key;	/* NULL: index */
	size_t index;
};

/*
 * Offset of the value at @path from the top of the text, -1 if not found.
 * For a key that comes twice, the last one, which is the one json-c keeps.
 */
static long sk_locate(const char *s, size_t n, const struct jl_step *path,
		      int depth)
{
	size_t i = sk_ws(s, n, 0);
	long j, found;
	size_t k;
	int d;

	for (d = 0; d < depth; d++) {
		if (path[d].key) {
			if (i >= n || s[i] != '{')
				return -1;
			found = -1;
			i = sk_ws(s, n, i + 1);
			while (i < n && s[i] != '}') {
				j = sk_string(s, n, i);
				if (j < 0)
					return -1;
				bool match = sk_key_is(s, i, j, path[d].key);

				i = sk_ws(s, n, (size_t)j);
				if (i >= n || s[i] != ':')
					return -1;
				i = sk_ws(s, n, i + 1);
				if (match)
					found = (long)i;
				j = sk_value(s, n, i);
				if (j < 0)
					return -1;
				i = sk_ws(s, n, (size_t)j);
				if (i < n && s[i] == ',')
					i = sk_ws(s, n, i + 1);
			}
			if (found < 0)
				return -1;
			i = (size_t)found;
		} else {
			if (i >= n || s[i] != '[')
				return -1;
			i = sk_ws(s, n, i + 1);
			for (k = 0; k < path[d].index; k++) {
				j = sk_value(s, n, i);
				if (j < 0)
					return -1;
				i = sk_ws(s, n, (size_t)j);
				if (i >= n || s[i] != ',')
					return -1;
				i = sk_ws(s, n, i + 1);
			}
			if (i >= n || s[i] == ']')
				return -1;
		}
	}
	return (long)i;
}

static int line_of(const char *s, size_t n, size_t off)
{
	int line = 1;
	size_t i;

	if (off > n)
		off = n;
	/* At the end of a file that ends with a newline: its last line. */
	if (off == n && off > 0 && s[off - 1] == '\n')
		off--;
	for (i = 0; i < off; i++)
		if (s[i] == '\n')
			line++;
	return line;
}

/* ==== loading: checking the tree ======================================== */

#define JL_DEPTH	8

struct jl {
	const char *text;
	size_t len;
	struct gt_input_error *err;
	struct jl_step path[JL_DEPTH];
	int depth;
};

static void jl_push_key(struct jl *l, const char *key)
{
	if (l->depth < JL_DEPTH)
		l->path[l->depth] = (struct jl_step){ .key = key };
	l->depth++;
}

static void jl_push_index(struct jl *l, size_t index)
{
	if (l->depth < JL_DEPTH)
		l->path[l->depth] = (struct jl_step){ .index = index };
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
		const struct jl_step *p = &l->path[d];
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
		sk_locate(l->text, l->len, l->path, l->depth) : -1;
	path_text(l, where, sizeof(where));
	if (key)
		jl_pop(l);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	l->err->line = off < 0 ? 0 : line_of(l->text, l->len, (size_t)off);
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

static int sc_order(const struct gt_syscall_stat *a,
		    const struct gt_syscall_stat *b)
{
	if (a->abi != b->abi)
		return a->abi < b->abi ? -1 : 1;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	return 0;
}

static int sc_qcmp(const void *a, const void *b)
{
	return sc_order(a, b);
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

static int err_order(const struct gt_errno_stat *a, const struct gt_errno_stat *b)
{
	if (a->abi != b->abi)
		return a->abi < b->abi ? -1 : 1;
	if (a->nr != b->nr)
		return a->nr < b->nr ? -1 : 1;
	if (a->err != b->err)
		return a->err < b->err ? -1 : 1;
	return 0;
}

static int err_qcmp(const void *a, const void *b)
{
	return err_order(a, b);
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
		if (!err && i && sc_order(&v[i - 1], &v[i]) == 0)
			err = jl_fail(l, NULL, "a second entry for %s syscall %u",
				      gt_abi_name(v[i].abi), v[i].nr);
		if (!err && i && sc_order(&v[i - 1], &v[i]) > 0)
			sorted = false;
		jl_pop(l);
	}
	if (!err && !sorted) {
		qsort(v, n, sizeof(*v), sc_qcmp);
		for (i = 1; i < n && !err; i++)
			if (!sc_order(&v[i - 1], &v[i]))
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
		if (!err && i && err_order(&v[i - 1], &v[i]) == 0)
			err = jl_fail(l, NULL, "a second entry for this syscall and errno");
		if (!err && i && err_order(&v[i - 1], &v[i]) > 0)
			sorted = false;
		jl_pop(l);
	}
	if (!err && !sorted) {
		qsort(v, n, sizeof(*v), err_qcmp);
		for (i = 1; i < n && !err; i++)
			if (!err_order(&v[i - 1], &v[i]))
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
			if (!err_order(&e, &sum->errnos[j]))
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

static int read_all(const char *path, char **out, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap), *p;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	ssize_t r;

	if (!buf || fd < 0) {
		int err = fd < 0 ? -errno : -ENOMEM;

		free(buf);
		return err;
	}
	for (;;) {
		if (cap - n < 2) {
			p = realloc(buf, cap * 2);
			if (!p) {
				r = -1;
				errno = ENOMEM;
				break;
			}
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
		/* Stop an endless stream (/dev/zero, a pipe) at the limit. */
		if (n > (size_t)INT32_MAX - 1) {
			r = -1;
			errno = EFBIG;
			break;
		}
	}
	if (r < 0) {
		int err = -errno;

		if (fd)
			close(fd);
		free(buf);
		return err;
	}
	if (fd)
		close(fd);
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

/* A json-c error at byte @off of the text. */
static int syntax_error(struct jl *l, size_t off, const char *what)
{
	l->err->line = line_of(l->text, l->len, off);
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
	size_t n = l->len, i = sk_ws(s, n, 0), start;
	long j;

	if (i >= n || s[i] != '{')
		return 0;
	i = sk_ws(s, n, i + 1);
	while (i < n && s[i] == '"') {
		j = sk_string(s, n, i);
		if (j < 0)
			return 0;
		bool match = sk_key_is(s, i, j, "call_records");

		i = sk_ws(s, n, (size_t)j);
		if (i >= n || s[i] != ':')
			return 0;
		i = sk_ws(s, n, i + 1);
		if (match && i < n && s[i] == '[')
			break;
		j = sk_value(s, n, i);
		if (j < 0)
			return 0;
		i = sk_ws(s, n, (size_t)j);
		if (i >= n || s[i] != ',')
			return 0;
		i = sk_ws(s, n, i + 1);
	}
	if (i >= n || s[i] != '[')
		return 0;
	start = i + 1;
	i = sk_ws(s, n, start);
	while (i < n && s[i] != ']') {
		struct json_object *rec;

		if (s[i] != '{')
			return 0;
		j = sk_value(s, n, i);
		if (j < 0)
			return 0;
		json_tokener_reset(tok);
		rec = json_tokener_parse_ex(tok, s + i, j - (long)i);
		if (!rec)
			return syntax_error(l, i + json_tokener_get_parse_end(tok),
					    json_tokener_error_desc(
						    json_tokener_get_error(tok)));
		json_object_put(rec);
		i = sk_ws(s, n, (size_t)j);
		if (i < n && s[i] == ',') {
			i = sk_ws(s, n, i + 1);
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
	ret = read_all(path, &text, &l.len);
	if (ret) {
		snprintf(l.err->msg, sizeof(l.err->msg), "%s", strerror(-ret));
		return ret;
	}
	if (l.len > (size_t)INT32_MAX - 1) {
		free(text);
		snprintf(l.err->msg, sizeof(l.err->msg), "file too large");
		return -EFBIG;
	}
	l.text = text;
	tr = calloc(1, sizeof(*tr));
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
