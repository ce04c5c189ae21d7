// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-json-v1, writing (Documentation/json.md; the JSON Schema is
 * Documentation/gtrace-json-v1.schema.json).
 *
 * The document is built as json-c objects and printed pretty, member by
 * member under our own top-level braces, except that every leaf entry (a
 * syscall with its histogram, an errno, an I/O counter) is printed on one
 * line through a json-c serializer, so that golden files stay short and
 * diff well. The per-call records, when asked for, go out one line each as
 * they are read (gt_json_stream_*), ahead of the rest of the trace, so
 * that memory stays bounded however long the run; they are formatted by
 * hand into a large buffer (record_fmt.c), at the rate the ring fills.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "json_internal.h"
#include "record_fmt.h"

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
	/* Added within v1: readers that do not know it skip it. */
	if (tr->exit_signal && sigabbrev_np(tr->exit_signal))
		jb_str(&b, o, "exit_signal_name", sigabbrev_np(tr->exit_signal));
	jb_u64(&b, o, "records", tr->records);
	jb_u64(&b, o, "drops", tr->drops);
	/* Added within v1, lossless runs only: readers that do not know skip them. */
	if (tr->no_drops) {
		jb_put(&b, o, "no_drops", json_object_new_boolean(1));
		jb_u64(&b, o, "waits", tr->waits);
		jb_u64(&b, o, "wait_ns", tr->wait_ns);
	}
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

/*
 * @s, a value json-c printed pretty at the top level, as a member of our
 * top-level object: every line after the first indented one level more.
 * Strings hold no raw newline (JSON escapes it), so this is exact.
 */
static int put_member(const char *key, const char *s, bool last, FILE *out)
{
	const char *nl;

	if (fprintf(out, "  \"%s\": ", key) < 0)
		return -EIO;
	for (; (nl = strchr(s, '\n')); s = nl + 1)
		if (fwrite(s, 1, (size_t)(nl - s) + 1, out) != (size_t)(nl - s) + 1 ||
		    fputs("  ", out) < 0)
			return -EIO;
	return fprintf(out, "%s%s\n", s, last ? "" : ",") < 0 ? -EIO : 0;
}

/* The members of @tr (after the head) and the closing brace. */
static int write_tail(const struct gt_trace *tr, unsigned int flags, FILE *out)
{
	struct json_object *o = trace_json(tr, flags);
	int err = 0, left;

	if (!o)
		return -ENOMEM;
	left = json_object_object_length(o);
	json_object_object_foreach(o, key, val) {
		const char *s = json_object_to_json_string_ext(val,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE);

		err = s ? put_member(key, s, --left == 0, out) : -ENOMEM;
		if (err)
			break;
	}
	json_object_put(o);
	if (!err && (fputs("}\n", out) < 0 || fflush(out)))
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
	struct gti_obuf ob;	/* call_records, formatted by hand */
	uint64_t n;
};

int gt_json_stream_begin(FILE *out, struct gt_json_stream **out_js)
{
	struct gt_json_stream *js = calloc(1, sizeof(*js));
	int err;

	*out_js = NULL;
	if (!js || gti_obuf_init(&js->ob, out)) {
		free(js);
		return -ENOMEM;
	}
	err = write_head(out);
	if (!err && fputs("  \"call_records\": [", out) < 0)
		err = -EIO;
	if (err) {
		gti_obuf_free(&js->ob);
		free(js);
		return err;
	}
	*out_js = js;
	return 0;
}

int gt_json_stream_records(struct gt_json_stream *js, const void *recs,
			   size_t n, size_t rec_size, unsigned int ring,
			   const struct gt_filter *f)
{
	const unsigned char *p = recs;
	struct gti_obuf *ob = &js->ob;
	size_t i;

	if (rec_size < sizeof(struct gtrace_record))
		return -EINVAL;
	for (i = 0; i < n && !ob->err; i++, p += rec_size) {
		const struct gtrace_record *r = (const void *)p;

		if (f && !gt_filter_match(f, r->abi, r->nr))
			continue;
		if (ob->cap - ob->len < GTI_REC_MAX)
			gti_obuf_flush(ob);
		ob->len += gti_fmt_json(ob->buf + ob->len, r, ring, !js->n);
		js->n++;
	}
	return ob->err;
}

int gt_json_stream_record(struct gt_json_stream *js,
			  const struct gtrace_record *r, unsigned int ring)
{
	return gt_json_stream_records(js, r, 1, sizeof(*r), ring, NULL);
}

int gt_json_stream_flush(struct gt_json_stream *js)
{
	return gti_obuf_flush(&js->ob);
}

int gt_json_stream_end(struct gt_json_stream *js, const struct gt_trace *tr,
		       unsigned int flags)
{
	int err;

	if (!js)
		return -EINVAL;
	err = gti_obuf_flush(&js->ob);
	gti_obuf_free(&js->ob);
	if (tr && !err && fputs(js->n ? "\n  ],\n" : "],\n", js->ob.out) < 0)
		err = -EIO;
	if (tr && !err)
		err = write_tail(tr, flags, js->ob.out);
	free(js);
	return err;
}
