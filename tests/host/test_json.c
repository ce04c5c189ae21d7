// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace-json-v1: what gt_trace_write_json() writes, gt_trace_load_json()
 * reads back into the same stats and summary; streamed records make a
 * valid document; every file of the malformed corpus (tests/data/json-bad,
 * listed with its expected line and message in EXPECT) fails at its line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "t_trace.h"
#include "kselftest_harness.h"

/* tests/data: the Makefile's GT_TEST_DATA, else next to this file. */
static void data_path(char *buf, size_t len, const char *rel)
{
#ifdef GT_TEST_DATA
	snprintf(buf, len, "%s/%s", GT_TEST_DATA, rel);
#else
	const char *f = __FILE__, *p = strstr(f, "host/test_json.c");

	snprintf(buf, len, "%.*sdata/%s", (int)(p ? p - f : 0), f, rel);
#endif
}

/* A temporary file with @tr written to it; the caller unlinks @path. */
static int write_tmp(const struct gt_trace *tr, unsigned int flags,
		     char path[32])
{
	FILE *f;
	int fd, err;

	strcpy(path, "/tmp/gtrace-json-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -errno;
	}
	err = gt_trace_write_json(tr, flags, f);
	if (fclose(f) && !err)
		err = -EIO;
	return err;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static bool sc_eq(const struct gt_syscall_stat *a,
		  const struct gt_syscall_stat *b, bool hist)
{
	return a->nr == b->nr && a->abi == b->abi && a->calls == b->calls &&
		a->errors == b->errors && a->total_ns == b->total_ns &&
		a->min_ns == b->min_ns && a->max_ns == b->max_ns &&
		(!hist || !memcmp(a->hist, b->hist, sizeof(a->hist)));
}

static bool err_eq(const struct gt_errno_stat *a, const struct gt_errno_stat *b)
{
	return a->nr == b->nr && a->abi == b->abi && a->err == b->err &&
		a->count == b->count;
}

static bool io_eq(const struct gt_io_stat a[][__GTRACE_IO_MAX],
		  const struct gt_io_stat b[][__GTRACE_IO_MAX])
{
	int c, k;

	for (c = 0; c < __GTRACE_FC_MAX; c++)
		for (k = 0; k < __GTRACE_IO_MAX; k++)
			if (a[c][k].calls != b[c][k].calls ||
			    a[c][k].bytes != b[c][k].bytes ||
			    a[c][k].ns != b[c][k].ns)
				return false;
	return true;
}

static void expect_same(struct __test_metadata *_metadata,
			const struct gt_trace *a, const struct gt_trace *b,
			bool hist)
{
	const struct gt_summary *sa = a->sum, *sb = b->sum;
	size_t t, i;

	EXPECT_STREQ(a->command, b->command);
	EXPECT_STREQ(a->kernel, b->kernel);
	EXPECT_STREQ(a->module_version, b->module_version);
	EXPECT_EQ(a->start_ns, b->start_ns);
	EXPECT_EQ(a->wall_ns, b->wall_ns);
	EXPECT_EQ(a->exit_code, b->exit_code);
	EXPECT_EQ(a->exit_signal, b->exit_signal);
	EXPECT_EQ(a->records, b->records);
	EXPECT_EQ(a->drops, b->drops);
	EXPECT_EQ(a->tasks_lost, b->tasks_lost);
	EXPECT_EQ(a->calls_lost, b->calls_lost);
	EXPECT_EQ(a->stats->session_id, b->stats->session_id);
	ASSERT_EQ(a->stats->nr_tasks, b->stats->nr_tasks);
	for (t = 0; t < a->stats->nr_tasks; t++) {
		const struct gt_task *x = &a->stats->tasks[t];
		const struct gt_task *y = &b->stats->tasks[t];

		EXPECT_EQ(x->tid, y->tid);
		EXPECT_EQ(x->tgid, y->tgid);
		EXPECT_EQ(x->ppid, y->ppid);
		EXPECT_STREQ(x->comm, y->comm);
		EXPECT_EQ(x->flags, y->flags);
		EXPECT_EQ(x->start_ns, y->start_ns);
		EXPECT_EQ(x->exit_ns, y->exit_ns);
		EXPECT_EQ(x->exit_code, y->exit_code);
		EXPECT_EQ(x->rss_peak, y->rss_peak);
		EXPECT_EQ(x->vm_peak, y->vm_peak);
		EXPECT_EQ(x->nvcsw, y->nvcsw);
		EXPECT_EQ(x->nivcsw, y->nivcsw);
		EXPECT_EQ(x->calls_lost, y->calls_lost);
		ASSERT_EQ(x->nr_syscalls, y->nr_syscalls);
		for (i = 0; i < x->nr_syscalls; i++)
			EXPECT_TRUE(sc_eq(&x->syscalls[i], &y->syscalls[i], hist))
				TH_LOG("task %zu syscall %zu", t, i);
		ASSERT_EQ(x->nr_errnos, y->nr_errnos);
		for (i = 0; i < x->nr_errnos; i++)
			EXPECT_TRUE(err_eq(&x->errnos[i], &y->errnos[i]));
		EXPECT_TRUE(io_eq(x->io, y->io));
	}
	EXPECT_EQ(sa->nr_tasks, sb->nr_tasks);
	EXPECT_EQ(sa->calls, sb->calls);
	EXPECT_EQ(sa->errors, sb->errors);
	EXPECT_EQ(sa->total_ns, sb->total_ns);
	EXPECT_EQ(sa->calls_lost, sb->calls_lost);
	EXPECT_EQ(sa->rss_peak, sb->rss_peak);
	EXPECT_EQ(sa->vm_peak, sb->vm_peak);
	ASSERT_EQ(sa->nr_syscalls, sb->nr_syscalls);
	for (i = 0; i < sa->nr_syscalls; i++)
		EXPECT_TRUE(sc_eq(&sa->syscalls[i], &sb->syscalls[i], hist));
	ASSERT_EQ(sa->nr_errnos, sb->nr_errnos);
	for (i = 0; i < sa->nr_errnos; i++)
		EXPECT_TRUE(err_eq(&sa->errnos[i], &sb->errnos[i]));
	EXPECT_TRUE(io_eq(sa->io, sb->io));
}

static struct gt_trace *tree_with_extras(void)
{
	struct gt_trace *tr = fx_tree();

	tr->exit_code = -1;
	tr->exit_signal = SIGKILL;
	tr->records = 12345;
	tr->drops = 67;
	tr->tasks_lost = 1;
	tr->calls_lost = 2;
	tr->stats->tasks[1].calls_lost = 2;
	tr->stats->tasks[2].flags |= GTRACE_TF_TRUNCATED;
	gt_summary_free(tr->sum);
	gt_stats_summarize(tr->stats, &tr->sum);
	return tr;
}

TEST(round_trip_with_histograms)
{
	struct gt_trace *tr = tree_with_extras(), *back = NULL;
	struct gt_input_error e;
	char path[32];

	ASSERT_EQ(0, write_tmp(tr, GT_JSON_WITH_HIST, path));
	EXPECT_EQ(0, gt_trace_load_json(path, &back, &e))
		TH_LOG("%s:%d: %s", e.file, e.line, e.msg);
	unlink(path);
	ASSERT_NE(NULL, back);
	expect_same(_metadata, tr, back, true);
	gt_trace_free(back);
	gt_trace_free(tr);
}

TEST(round_trip_without_histograms)
{
	struct gt_trace *tr = fx_tree(), *back = NULL;
	struct gt_input_error e;
	char path[32];
	size_t i;
	int b;

	ASSERT_EQ(0, write_tmp(tr, 0, path));
	EXPECT_EQ(0, gt_trace_load_json(path, &back, &e))
		TH_LOG("%s:%d: %s", e.file, e.line, e.msg);
	unlink(path);
	ASSERT_NE(NULL, back);
	expect_same(_metadata, tr, back, false);
	for (i = 0; i < back->sum->nr_syscalls; i++)
		for (b = 0; b < GTRACE_HIST_BUCKETS; b++)
			EXPECT_EQ(0U, back->sum->syscalls[i].hist[b]);
	gt_trace_free(back);
	gt_trace_free(tr);
}

/* Written, loaded and written again: the same bytes. */
TEST(rewrite_is_identical)
{
	struct gt_trace *tr = tree_with_extras(), *back = NULL;
	char p1[32], p2[32], *t1, *t2;
	struct gt_input_error e;

	ASSERT_EQ(0, write_tmp(tr, GT_JSON_WITH_HIST, p1));
	ASSERT_EQ(0, gt_trace_load_json(p1, &back, &e));
	ASSERT_EQ(0, write_tmp(back, GT_JSON_WITH_HIST, p2));
	t1 = slurp(p1);
	t2 = slurp(p2);
	unlink(p1);
	unlink(p2);
	ASSERT_NE(NULL, t1);
	ASSERT_NE(NULL, t2);
	EXPECT_STREQ(t1, t2);
	/* Readable: two-space indent, one line per syscall. */
	EXPECT_EQ(0, strncmp(t1, "{\n  \"format\": \"gtrace-json-v1\",\n", 32));
	EXPECT_NE(NULL, strstr(t1, "\n      { \"name\": \"getppid\", \"nr\": 64, \"abi\": \"ia32\", "
				 "\"calls\": 3, \"errors\": 0, \"total_ns\": 3000,"));
	EXPECT_NE(NULL, strstr(t1, "\"errors_by_errno\": {\n      \"EAGAIN\": 2,\n"
				 "      \"EBADF\": 4,\n      \"ENOENT\": 1,\n      \"4000\": 1\n"));
	free(t1);
	free(t2);
	gt_trace_free(back);
	gt_trace_free(tr);
}

static const struct gtrace_record recs[] = {
	{ .ts_ns = 10, .dur_ns = 100, .ret = 5, .tid = 100, .nr = 1,
	  .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_TTY },
	{ .ts_ns = 20, .dur_ns = 200, .ret = -EBADF, .tid = 100, .nr = 3,
	  .abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_NONE },
	{ .ts_ns = 30, .dur_ns = 300, .ret = 100, .tid = 101, .nr = 64,
	  .abi = GTRACE_ABI_IA32, .fclass = GTRACE_FC_NONE },
};

TEST(streamed_records)
{
	struct gt_trace *tr = fx_tree(), *back = NULL;
	struct json_object *doc, *arr, *r, *v;
	struct gt_json_stream *js;
	struct gt_input_error e;
	char path[] = "/tmp/gtrace-json-XXXXXX";
	unsigned int i;
	FILE *f;
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, gt_json_stream_begin(f, &js));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, gt_json_stream_record(js, &recs[i], i));
	ASSERT_EQ(0, gt_json_stream_end(js, tr, GT_JSON_WITH_HIST));
	ASSERT_EQ(0, fclose(f));

	ASSERT_EQ(0, gt_trace_load_json(path, &back, &e))
		TH_LOG("%s:%d: %s", e.file, e.line, e.msg);
	expect_same(_metadata, tr, back, true);

	doc = json_object_from_file(path);
	unlink(path);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_object_object_get_ex(doc, "call_records", &arr));
	ASSERT_EQ(3U, json_object_array_length(arr));
	r = json_object_array_get_idx(arr, 1);
	ASSERT_TRUE(json_object_object_get_ex(r, "errno", &v));
	EXPECT_STREQ("EBADF", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(r, "ret", &v));
	EXPECT_EQ(-EBADF, json_object_get_int(v));
	ASSERT_TRUE(json_object_object_get_ex(r, "name", &v));
	EXPECT_STREQ("close", json_object_get_string(v));
	r = json_object_array_get_idx(arr, 2);
	ASSERT_TRUE(json_object_object_get_ex(r, "abi", &v));
	EXPECT_STREQ("ia32", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(r, "name", &v));
	EXPECT_STREQ("getppid", json_object_get_string(v));
	EXPECT_FALSE(json_object_object_get_ex(r, "errno", NULL));
	json_object_put(doc);
	gt_trace_free(back);
	gt_trace_free(tr);
}

/*
 * Records with their arguments, pid and wait: one line each, the same from
 * the batch call as from one call per record, over several buffers.
 */
TEST(streamed_record_fields)
{
	enum { N = 20000 };
	struct gtrace_record *r = calloc(N, sizeof(*r));
	struct gt_trace *tr = fx_simple();
	struct json_object *doc, *arr, *o, *v;
	struct gt_json_stream *js;
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0, i;
	FILE *fa, *fb;

	ASSERT_NE(NULL, r);
	for (i = 0; i < N; i++) {
		r[i].ts_ns = 1000 + i;
		r[i].tid = 7;
		r[i].pid = 5;
		r[i].nr = 0;
		r[i].ret = i % 2 ? (int64_t)i : -4000;	/* no errno name */
		r[i].args[0] = 3;
		r[i].args[1] = 0x7ffd12345678;
		r[i].args[5] = UINT64_MAX;
		if (i % 3 == 0) {
			r[i].flags = GTRACE_RF_WAITED;
			r[i].wait_ns = 123456;
		}
	}
	fa = open_memstream(&a, &la);
	fb = open_memstream(&b, &lb);
	ASSERT_EQ(0, gt_json_stream_begin(fa, &js));
	ASSERT_EQ(0, gt_json_stream_records(js, r, N / 2, sizeof(*r), 1, NULL));
	ASSERT_EQ(0, gt_json_stream_records(js, r + N / 2, N / 2, sizeof(*r), 1, NULL));
	ASSERT_EQ(0, gt_json_stream_end(js, tr, 0));
	ASSERT_EQ(0, gt_json_stream_begin(fb, &js));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, gt_json_stream_record(js, &r[i], 1));
	ASSERT_EQ(0, gt_json_stream_end(js, tr, 0));
	fclose(fa);
	fclose(fb);
	ASSERT_EQ(lb, la);
	EXPECT_EQ(0, memcmp(a, b, la));
	EXPECT_NE(NULL, strstr(a, "\n    { \"ts_ns\": 1000, \"dur_ns\": 0, \"cpu\": 1, "
			       "\"tid\": 7, \"pid\": 5, \"abi\": \"x86_64\", \"nr\": 0, "
			       "\"name\": \"read\", \"ret\": -4000, \"errno\": 4000, "
			       "\"fclass\": \"none\", \"args\": [\"0x3\", \"0x7ffd12345678\", "
			       "\"0x0\", \"0x0\", \"0x0\", \"0xffffffffffffffff\"], "
			       "\"wait_ns\": 123456 },\n"));
	doc = json_tokener_parse(a);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_object_object_get_ex(doc, "call_records", &arr));
	ASSERT_EQ((size_t)N, json_object_array_length(arr));
	o = json_object_array_get_idx(arr, 1);
	EXPECT_FALSE(json_object_object_get_ex(o, "wait_ns", NULL));
	EXPECT_FALSE(json_object_object_get_ex(o, "errno", NULL));
	ASSERT_TRUE(json_object_object_get_ex(o, "args", &v));
	EXPECT_EQ(6U, json_object_array_length(v));
	EXPECT_STREQ("0x3", json_object_get_string(json_object_array_get_idx(v, 0)));
	json_object_put(doc);
	free(a);
	free(b);
	free(r);
	gt_trace_free(tr);
}

/* Lossless runs carry their waits; the loader reads them back. */
TEST(no_drops_fields)
{
	struct gt_trace *tr = fx_simple(), *back = NULL;
	char path[] = "/tmp/gtrace-json-XXXXXX";
	struct gt_input_error e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int fd;

	ASSERT_EQ(0, gt_trace_write_json(tr, 0, f));
	fclose(f);
	EXPECT_EQ(NULL, strstr(buf, "\"waits\""));
	free(buf);
	tr->no_drops = true;
	tr->waits = 567;
	tr->wait_ns = 1234000000;
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_EQ(0, gt_trace_write_json(tr, 0, f));
	fclose(f);
	ASSERT_EQ(0, gt_trace_load_json(path, &back, &e))
		TH_LOG("%s:%d: %s", e.file, e.line, e.msg);
	unlink(path);
	EXPECT_TRUE(back->no_drops);
	EXPECT_EQ(567U, back->waits);
	EXPECT_EQ(1234000000U, back->wait_ns);
	gt_trace_free(back);
	gt_trace_free(tr);
}

/* No records at all, and a stream given up on. */
TEST(stream_edges)
{
	struct gt_trace *tr = fx_simple(), *back = NULL;
	struct gt_json_stream *js;
	struct gt_input_error e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ASSERT_EQ(0, gt_json_stream_begin(f, &js));
	ASSERT_EQ(0, gt_json_stream_end(js, tr, 0));
	fclose(f);
	EXPECT_NE(NULL, strstr(buf, "\"call_records\": [],\n"));
	free(buf);

	f = open_memstream(&buf, &len);
	ASSERT_EQ(0, gt_json_stream_begin(f, &js));
	ASSERT_EQ(0, gt_json_stream_record(js, &recs[0], 0));
	EXPECT_EQ(0, gt_json_stream_end(js, NULL, 0));
	fclose(f);
	free(buf);

	EXPECT_EQ(-ENOENT, gt_trace_load_json("/nonexistent/trace.json", &back, &e));
	EXPECT_EQ(NULL, back);
	EXPECT_EQ(0, e.line);
	EXPECT_STREQ("/nonexistent/trace.json", e.file);
	EXPECT_NE(NULL, strstr(e.msg, "No such file"));
	gt_trace_free(tr);
}

/* Every file of tests/data/json-bad fails where EXPECT says. */
TEST(malformed_corpus)
{
	char path[512], line[512], file[128], msg[256];
	struct gt_trace *tr;
	struct gt_input_error e;
	int want, n = 0, err;
	FILE *f;

	data_path(path, sizeof(path), "json-bad/EXPECT");
	f = fopen(path, "r");
	ASSERT_NE(NULL, f) TH_LOG("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		ASSERT_EQ(3, sscanf(line, "%127s %d %255[^\n]", file, &want, msg))
			TH_LOG("bad EXPECT line: %s", line);
		data_path(path, sizeof(path), "json-bad/");
		strncat(path, file, sizeof(path) - strlen(path) - 1);
		tr = NULL;
		err = gt_trace_load_json(path, &tr, &e);
		EXPECT_EQ(-EINVAL, err) TH_LOG("%s: loaded", file);
		EXPECT_EQ(NULL, tr);
		EXPECT_EQ(want, e.line) TH_LOG("%s: line %d: %s", file, e.line, e.msg);
		EXPECT_NE(NULL, strstr(e.msg, msg))
			TH_LOG("%s: '%s' lacks '%s'", file, e.msg, msg);
		EXPECT_STREQ(path, e.file);
		gt_trace_free(tr);
		n++;
	}
	fclose(f);
	EXPECT_LE(40, n);
}

/* Files written by hand (records, unsorted lists) load, and write back. */
TEST(good_corpus)
{
	static const char *const files[] = {
		"json-good/minimal.json", "json-good/unsorted-with-records.json",
	};
	struct gt_trace *tr, *back;
	struct gt_input_error e;
	char path[512], tmp[32];
	size_t i;

	for (i = 0; i < 2; i++) {
		data_path(path, sizeof(path), files[i]);
		ASSERT_EQ(0, gt_trace_load_json(path, &tr, &e))
			TH_LOG("%s:%d: %s", e.file, e.line, e.msg);
		EXPECT_EQ(3U, tr->sum->calls);
		EXPECT_EQ(1U, tr->sum->errors);
		ASSERT_EQ(2U, tr->stats->tasks[0].nr_syscalls);
		/* Sorted by (abi, nr) whatever the file's order. */
		EXPECT_EQ(0U, tr->stats->tasks[0].syscalls[0].nr);
		EXPECT_EQ(3U, tr->stats->tasks[0].syscalls[1].nr);
		ASSERT_EQ(0, write_tmp(tr, 0, tmp));
		ASSERT_EQ(0, gt_trace_load_json(tmp, &back, &e));
		unlink(tmp);
		expect_same(_metadata, tr, back, false);
		gt_trace_free(back);
		gt_trace_free(tr);
	}
}

/*
 * Random edits of a valid document (a byte replaced by one that matters
 * to JSON, deleted or doubled) load or fail cleanly, with a line inside
 * the file, never crash (the sanitizers and valgrind watch).
 */
TEST(mutations_fail_cleanly)
{
	static const char alphabet[] = "{}[]\",:-0123456789 \nabcdeEx.\\";
	char *base, *text, path[512], tmp[] = "/tmp/gtrace-json-XXXXXX";
	int i, loaded = 0, failed = 0, fd;
	size_t len, n, pos, lines, k;
	struct gt_input_error e;
	struct gt_trace *tr;

	data_path(path, sizeof(path), "json-good/unsorted-with-records.json");
	base = slurp(path);
	ASSERT_NE(NULL, base);
	len = strlen(base);
	text = malloc(len + 2);
	ASSERT_NE(NULL, text);
	fd = mkstemp(tmp);
	ASSERT_LE(0, fd);
	close(fd);
	srand(4);
	for (i = 0; i < 1500; i++) {
		FILE *f;

		memcpy(text, base, len + 1);
		n = len;
		pos = (size_t)rand() % n;
		switch (rand() % 3) {
		case 0:
			text[pos] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
			break;
		case 1:
			memmove(text + pos, text + pos + 1, n - pos);
			n--;
			break;
		default:
			memmove(text + pos + 1, text + pos, n - pos + 1);
			n++;
			break;
		}
		f = fopen(tmp, "w");
		ASSERT_NE(NULL, f);
		ASSERT_EQ(n, fwrite(text, 1, n, f));
		fclose(f);
		for (lines = 1, k = 0; k < n; k++)
			lines += text[k] == '\n';
		tr = NULL;
		if (gt_trace_load_json(tmp, &tr, &e) == 0) {
			ASSERT_NE(NULL, tr);
			loaded++;
		} else {
			EXPECT_EQ(NULL, tr);
			EXPECT_LE(0, e.line);
			EXPECT_GE((int)lines, e.line) TH_LOG("%s", e.msg);
			EXPECT_NE(0, e.msg[0]);
			failed++;
		}
		gt_trace_free(tr);
	}
	unlink(tmp);
	free(text);
	free(base);
	TH_LOG("%d loaded, %d failed", loaded, failed);
	EXPECT_LT(100, failed);
}

TEST_HARNESS_MAIN
