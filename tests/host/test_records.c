// SPDX-License-Identifier: GPL-2.0
/*
 * Records files: what the writer puts in comes back out of the reader
 * unchanged (records, ring of each, header, trailer, tasks); a larger
 * record size of a later version is read with its tail ignored and an
 * unknown chunk skipped; every truncation and every damaged field is an
 * error at an offset, never a crash; the trace made of a file has the
 * counters worked out here from the same records; and gtrace report reads
 * a records file in each format, exit 2 with "FILE: offset N:" when bad.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include <gtrace/trace.h>

#include "gt_common.h"
#include "kselftest_harness.h"

#define N_RECS	3000
#define GTRACE_BIN	GT_TEST_DATA "/../../build/bin/gtrace"

static const uint16_t nrs[] = { 0, 1, 3, 110, 110, 257 };

/* @n records of @size bytes (the tail past ours 0xee), ring i % 3. */
static unsigned char *make_recs(size_t n, size_t size)
{
	unsigned char *v = calloc(n, size);
	size_t i;

	if (!v)
		abort();
	for (i = 0; i < n; i++) {
		struct gtrace_record *r = (void *)(v + i * size);

		r->ts_ns = 1000000 + i * 100;
		r->dur_ns = (i * 7919) % 100000;
		r->tid = 200 + i % 4;
		r->pid = 200;
		r->nr = nrs[i % 6];
		r->abi = i % 50 == 0 ? GTRACE_ABI_IA32 : GTRACE_ABI_X86_64;
		r->ret = i % 9 == 0 ? -EAGAIN : i % 13 == 0 ? -EBADF : (int64_t)i;
		r->args[0] = i;
		r->args[5] = ~(uint64_t)i;
		r->ip = 0x401000 + i;
		if (i % 11 == 0) {
			r->flags = GTRACE_RF_WAITED;
			r->wait_ns = i;
		}
		memset(v + i * size + sizeof(*r), 0xee, size - sizeof(*r));
	}
	return v;
}

static const struct gt_records_task tasks[] = {
	{ .tid = 200, .tgid = 200, .ppid = 1, .flags = GTRACE_TF_EXITED,
	  .exit_code = 0, .start_ns = 5, .exit_ns = 900000000, .rss_peak = 4096,
	  .comm = "prog" },
	{ .tid = 201, .tgid = 200, .ppid = 1, .comm = "worker" },
	{ .tid = 202, .tgid = 200, .ppid = 1, .comm = "worker" },
	{ .tid = 203, .tgid = 200, .ppid = 1, .comm = "worker" },
	{ .tid = 300, .tgid = 300, .ppid = 200, .comm = "idle" },
};

/*
 * A file through the real writer: @n records of @size in chunks of ring
 * (i / 100) % 3; @unknown puts a chunk of an unknown type in between.
 */
static char *write_file(size_t n, size_t size, bool unknown, size_t *len)
{
	struct gt_records_header h = {
		.record_size = (uint32_t)size, .nr_rings = 3,
		.flags = GTRACE_F_RECORDS | GTRACE_F_NO_DROPS, .wait_max_ms = 250,
		.root = 200, .start_ns = 1764100000000000000ULL, .t0_ns = 1000,
		.clock = GT_RECORDS_CLOCK_LOCAL, .command = "./prog --flag x",
	};
	struct gt_records_trailer t = {
		.written = n + 5, .dropped = 5, .waits = 77, .wait_ns = 1234567890,
		.t_end_ns = 2000000000, .tasks_lost = 1, .calls_lost = 2,
		.wait_status = 3 << 8, .nr_tasks = GTI_ARRAY_SIZE(tasks),
		.tasks = (struct gt_records_task *)tasks,
	};
	struct gt_records_writer *w;
	unsigned char *recs = make_recs(n, size);
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	size_t i;

	strcpy(t.kernel, "6.12.0-test");
	strcpy(t.module_version, "0.1.0");
	if (!f || gt_records_writer_begin(f, &h, &w))
		abort();
	for (i = 0; i < n; i += 100) {
		size_t k = n - i < 100 ? n - i : 100;

		if (gt_records_writer_add(w, recs + i * size, k, size,
					  (unsigned int)(i / 100) % 3))
			abort();
		if (unknown && i == 0) {
			/* "XTRA", 8 bytes: what a later version might add. */
			static const unsigned char x[24] = "XTRA\0\0\0\0\0\0\0\0\x08";

			fwrite(x, 1, sizeof(x), f);
		}
	}
	if (gt_records_writer_end(w, &t))
		abort();
	fclose(f);
	free(recs);
	if (unknown) {
		/* The end marker's size counts the bytes put in behind its back. */
		uint64_t total;

		memcpy(&total, buf + *len - 8, 8);
		total += 24;
		memcpy(buf + *len - 8, &total, 8);
	}
	return buf;
}

static char *save(const char *buf, size_t len)
{
	char *path = strdup("/tmp/gtrace-records-XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		abort();
	close(fd);
	return path;
}

/* Read all of @path: 0 with *@n records, or the error and its message. */
static int read_all(const char *path, size_t *n, struct gt_records_error *e)
{
	const struct gtrace_record *r;
	struct gt_records_file *f;
	unsigned int ring;
	int k;

	*n = 0;
	k = gt_records_file_open(path, &f, e);
	if (k)
		return k;
	while ((k = gt_records_file_next(f, &r, &ring, e)) > 0)
		(*n)++;
	if (!k && !gt_records_file_trailer(f))
		k = -EFAULT;
	gt_records_file_close(f);
	return k;
}

TEST(round_trip)
{
	size_t len, n = 0;
	char *buf = write_file(N_RECS, sizeof(struct gtrace_record), false, &len);
	char *path = save(buf, len);
	unsigned char *want = make_recs(N_RECS, sizeof(struct gtrace_record));
	const struct gt_records_header *h;
	const struct gt_records_trailer *t;
	const struct gtrace_record *r;
	struct gt_records_error e;
	struct gt_records_file *f;
	unsigned int ring, i;
	int k;

	ASSERT_TRUE(gt_records_file_magic(buf, len));
	ASSERT_EQ(0, gt_records_file_open(path, &f, &e)) TH_LOG("%s", e.msg);
	h = gt_records_file_header(f);
	EXPECT_EQ((uint32_t)GT_RECORDS_VERSION, h->version);
	EXPECT_EQ(sizeof(struct gtrace_record), h->record_size);
	EXPECT_EQ(3U, h->nr_rings);
	EXPECT_EQ((uint32_t)(GTRACE_F_RECORDS | GTRACE_F_NO_DROPS), h->flags);
	EXPECT_EQ(250U, h->wait_max_ms);
	EXPECT_EQ(200U, h->root);
	EXPECT_EQ(1764100000000000000ULL, h->start_ns);
	EXPECT_EQ(1000U, h->t0_ns);
	EXPECT_STREQ("./prog --flag x", h->command);
	EXPECT_EQ(NULL, gt_records_file_trailer(f));
	while ((k = gt_records_file_next(f, &r, &ring, &e)) > 0) {
		ASSERT_LT(n, (size_t)N_RECS);
		ASSERT_EQ(0, memcmp(r, want + n * sizeof(*r), sizeof(*r)));
		ASSERT_EQ((n / 100) % 3, ring);
		n++;
	}
	ASSERT_EQ(0, k) TH_LOG("%s", e.msg);
	EXPECT_EQ((size_t)N_RECS, n);
	t = gt_records_file_trailer(f);
	ASSERT_NE(NULL, t);
	EXPECT_EQ((uint64_t)N_RECS, t->records);
	EXPECT_EQ((uint64_t)N_RECS + 5, t->written);
	EXPECT_EQ(5U, t->dropped);
	EXPECT_EQ(77U, t->waits);
	EXPECT_EQ(1234567890U, t->wait_ns);
	EXPECT_EQ(2000000000U, t->t_end_ns);
	EXPECT_EQ(1U, t->tasks_lost);
	EXPECT_EQ(2U, t->calls_lost);
	EXPECT_EQ(3 << 8, t->wait_status);
	EXPECT_STREQ("6.12.0-test", t->kernel);
	EXPECT_STREQ("0.1.0", t->module_version);
	ASSERT_EQ(GTI_ARRAY_SIZE(tasks), t->nr_tasks);
	for (i = 0; i < t->nr_tasks; i++)
		EXPECT_EQ(0, memcmp(&tasks[i], &t->tasks[i], sizeof(tasks[i])));
	/* The end stays the end. */
	EXPECT_EQ(0, gt_records_file_next(f, &r, &ring, &e));
	gt_records_file_close(f);
	unlink(path);
	free(path);
	free(want);
	free(buf);
}

/* A later version's longer records and extra chunk: read, tails ignored. */
TEST(larger_records_and_unknown_chunks)
{
	size_t len, n = 0, size = sizeof(struct gtrace_record) + 64;
	char *buf = write_file(250, size, true, &len);
	char *path = save(buf, len);
	unsigned char *want = make_recs(250, size);
	const struct gtrace_record *r;
	struct gt_records_error e;
	struct gt_records_file *f;
	unsigned int ring;
	int k;

	ASSERT_EQ(0, gt_records_file_open(path, &f, &e)) TH_LOG("%s", e.msg);
	EXPECT_EQ(size, gt_records_file_header(f)->record_size);
	while ((k = gt_records_file_next(f, &r, &ring, &e)) > 0) {
		ASSERT_EQ(0, memcmp(r, want + n * size, sizeof(*r)));
		n++;
	}
	EXPECT_EQ(0, k) TH_LOG("%s", e.msg);
	EXPECT_EQ(250U, n);
	gt_records_file_close(f);
	unlink(path);
	free(path);
	free(want);
	free(buf);
}

/* Every prefix of a file is refused with an offset, none crashes. */
TEST(truncated_files_are_errors_at_an_offset)
{
	size_t len, cut, n;
	char *buf = write_file(10, sizeof(struct gtrace_record), false, &len);
	struct gt_records_error e;
	char want[64];

	for (cut = 0; cut < len; cut++) {
		char *path = save(buf, cut);
		int k = read_all(path, &n, &e);

		ASSERT_EQ(-EINVAL, k) TH_LOG("cut at %zu", cut);
		ASSERT_LE(e.offset, (uint64_t)cut);
		snprintf(want, sizeof(want), "%s: offset %llu: ", path,
			 (unsigned long long)e.offset);
		ASSERT_EQ(0, strncmp(e.msg, want, strlen(want))) TH_LOG("%s", e.msg);
		unlink(path);
		free(path);
	}
	free(buf);
}

/* Damage to each field the reader checks: refused with the right offset. */
TEST(damaged_files_are_errors)
{
	static const struct {
		size_t off;
		unsigned char val;
		uint64_t at;
		const char *why;
	} cases[] = {
		{ 0, 'X', 0, "bad magic" },
		{ 8, 2, 8, "version 2" },
		{ 16, 7, 16, "record size" },
		{ 20, 0, 20, "rings" },
		{ 12, 9, 12, "header size" },
		{ 80 + 4, 9, 84, "ring 9 of 3" },
		{ 80 + 8, 3, 88, "records of" },
		{ 80, 'Q', 0, "" },	/* an unknown chunk type, then garbage */
	};
	size_t len, n, i;
	char *buf = write_file(10, sizeof(struct gtrace_record), false, &len);
	struct gt_records_error e;

	for (i = 0; i < GTI_ARRAY_SIZE(cases); i++) {
		char *copy = malloc(len), *path;

		memcpy(copy, buf, len);
		copy[cases[i].off] = (char)cases[i].val;
		path = save(copy, len);
		ASSERT_EQ(-EINVAL, read_all(path, &n, &e)) TH_LOG("case %zu", i);
		if (cases[i].why[0]) {
			EXPECT_EQ(cases[i].at, e.offset) TH_LOG("%s", e.msg);
			EXPECT_NE(NULL, strstr(e.msg, cases[i].why)) TH_LOG("%s", e.msg);
		}
		unlink(path);
		free(path);
		free(copy);
	}
	/* Something after the end marker. */
	{
		char *more = malloc(len + 1), *path;

		memcpy(more, buf, len);
		more[len] = 0;
		path = save(more, len + 1);
		EXPECT_EQ(-EINVAL, read_all(path, &n, &e));
		EXPECT_NE(NULL, strstr(e.msg, "after the end marker"));
		unlink(path);
		free(path);
		free(more);
	}
	EXPECT_EQ(-ENOENT, read_all("/nonexistent/x.rec", &n, &e));
	free(buf);
}

struct want {
	uint8_t abi;
	uint16_t nr;
	uint64_t calls, errors, total, min, max, hist[GTRACE_HIST_BUCKETS];
};

/* The counters of the records, the plain way. */
static size_t expected(struct want *w, size_t max)
{
	unsigned char *v = make_recs(N_RECS, sizeof(struct gtrace_record));
	size_t i, j, k = 0;

	for (i = 0; i < N_RECS; i++) {
		const struct gtrace_record *r = (void *)(v + i * sizeof(*r));
		unsigned int b = 0;
		uint64_t d;

		for (j = 0; j < k; j++)
			if (w[j].abi == r->abi && w[j].nr == r->nr)
				break;
		if (j == k) {
			if (k == max)
				abort();
			memset(&w[k], 0, sizeof(w[k]));
			w[k].abi = r->abi;
			w[k].nr = r->nr;
			w[k].min = UINT64_MAX;
			k++;
		}
		w[j].calls++;
		w[j].errors += r->ret < 0 && r->ret >= -4095;
		w[j].total += r->dur_ns;
		if (r->dur_ns < w[j].min)
			w[j].min = r->dur_ns;
		if (r->dur_ns > w[j].max)
			w[j].max = r->dur_ns;
		for (d = r->dur_ns; d >= 2 && b < GTRACE_HIST_BUCKETS - 1; d >>= 1)
			b++;
		w[j].hist[b]++;
	}
	free(v);
	return k;
}

TEST(trace_from_records_has_their_counters)
{
	size_t len, nw, i;
	char *buf = write_file(N_RECS, sizeof(struct gtrace_record), false, &len);
	char *path = save(buf, len);
	struct want w[16];
	struct gt_input_error ie;
	struct gt_trace *tr;

	nw = expected(w, 16);
	ASSERT_EQ(0, gt_trace_load_records(path, &tr, &ie)) TH_LOG("%s", ie.msg);
	ASSERT_EQ(nw, tr->sum->nr_syscalls);
	for (i = 0; i < nw; i++) {
		const struct gt_syscall_stat *s = gt_summary_find(tr->sum, w[i].abi,
								  w[i].nr);

		ASSERT_NE(NULL, s);
		EXPECT_EQ(w[i].calls, s->calls);
		EXPECT_EQ(w[i].errors, s->errors);
		EXPECT_EQ(w[i].total, s->total_ns);
		EXPECT_EQ(w[i].min, s->min_ns);
		EXPECT_EQ(w[i].max, s->max_ns);
		EXPECT_EQ(0, memcmp(w[i].hist, s->hist, sizeof(s->hist)));
	}
	EXPECT_STREQ("./prog --flag x", tr->command);
	EXPECT_STREQ("6.12.0-test", tr->kernel);
	EXPECT_EQ(3, tr->exit_code);
	/* The root's exit as the kernel saw it, from the release. */
	EXPECT_EQ(900000000U - 1000, tr->wall_ns);
	EXPECT_EQ((uint64_t)N_RECS, tr->records);
	EXPECT_EQ(5U, tr->drops);
	EXPECT_TRUE(tr->no_drops);
	EXPECT_EQ(77U, tr->waits);
	EXPECT_EQ(1234567890U, tr->wait_ns);
	ASSERT_EQ(GTI_ARRAY_SIZE(tasks), tr->stats->nr_tasks);
	EXPECT_STREQ("worker", gt_stats_task(tr->stats, 201)->comm);
	EXPECT_EQ(0U, gt_stats_task(tr->stats, 300)->nr_syscalls);
	EXPECT_EQ(200U, tr->stats->tasks[0].tid);
	gt_trace_free(tr);

	buf[len - 1] ^= 1;	/* the end marker's size */
	unlink(path);
	free(path);
	path = save(buf, len);
	EXPECT_EQ(-EINVAL, gt_trace_load_records(path, &tr, &ie));
	EXPECT_EQ(NULL, tr);
	EXPECT_EQ(0, ie.line);
	EXPECT_EQ(0, strncmp(ie.msg, "offset ", 7)) TH_LOG("%s", ie.msg);
	unlink(path);
	free(path);
	free(buf);
}

/* Run gtrace with @args; its stdout into *@out, stderr into *@err. */
static int run_gtrace(char *const args[], char **out, char **err)
{
	char opath[] = "/tmp/gtrace-out-XXXXXX", epath[] = "/tmp/gtrace-err-XXXXXX";
	int ofd = mkstemp(opath), efd = mkstemp(epath), st;
	size_t len;
	pid_t pid;
	FILE *f;

	if (ofd < 0 || efd < 0)
		abort();
	pid = fork();
	if (!pid) {
		dup2(ofd, 1);
		dup2(efd, 2);
		execv(GTRACE_BIN, args);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	close(ofd);
	close(efd);
	f = fopen(opath, "r");
	*out = NULL;
	if (f && getdelim(out, &len, 0, f) < 0) {
		free(*out);
		*out = strdup("");
	}
	fclose(f);
	f = fopen(epath, "r");
	*err = NULL;
	if (f && getdelim(err, &len, 0, f) < 0) {
		free(*err);
		*err = strdup("");
	}
	fclose(f);
	unlink(opath);
	unlink(epath);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

TEST(gtrace_report_reads_records_files)
{
	size_t len, nw, i;
	char *buf = write_file(N_RECS, sizeof(struct gtrace_record), false, &len);
	char *path = save(buf, len), *out, *err, *cut;
	struct json_object *doc, *sum, *scs, *v;
	struct want w[16];
	char want[128];

	if (access(GTRACE_BIN, X_OK))
		SKIP(return, "%s not built", GTRACE_BIN);
	nw = expected(w, 16);
	ASSERT_EQ(0, run_gtrace((char *[]){ "gtrace", "report", "--format",
					    "json", path, NULL }, &out, &err))
		TH_LOG("%s", err);
	doc = json_tokener_parse(out);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_object_object_get_ex(doc, "summary", &sum));
	ASSERT_TRUE(json_object_object_get_ex(sum, "syscalls", &scs));
	ASSERT_EQ(nw, json_object_array_length(scs));
	for (i = 0; i < nw; i++) {
		struct json_object *s = json_object_array_get_idx(scs, i), *h;
		const char *abi;
		size_t j, b;

		json_object_object_get_ex(s, "abi", &v);
		abi = json_object_get_string(v);
		json_object_object_get_ex(s, "nr", &v);
		for (j = 0; j < nw; j++)
			if (w[j].nr == json_object_get_int(v) &&
			    !strcmp(gt_abi_name(w[j].abi), abi))
				break;
		ASSERT_LT(j, nw);
		json_object_object_get_ex(s, "calls", &v);
		EXPECT_EQ(w[j].calls, json_object_get_uint64(v));
		json_object_object_get_ex(s, "errors", &v);
		EXPECT_EQ(w[j].errors, json_object_get_uint64(v));
		json_object_object_get_ex(s, "total_ns", &v);
		EXPECT_EQ(w[j].total, json_object_get_uint64(v));
		json_object_object_get_ex(s, "max_ns", &v);
		EXPECT_EQ(w[j].max, json_object_get_uint64(v));
		ASSERT_TRUE(json_object_object_get_ex(s, "hist", &h));
		for (b = 0; b < GTRACE_HIST_BUCKETS; b++)
			EXPECT_EQ(w[j].hist[b],
				  json_object_get_uint64(json_object_array_get_idx(h, b)));
	}
	json_object_object_get_ex(doc, "waits", &v);
	EXPECT_EQ(77U, json_object_get_uint64(v));
	json_object_put(doc);
	free(out);
	free(err);

	ASSERT_EQ(0, run_gtrace((char *[]){ "gtrace", "report", path, NULL },
				&out, &err));
	EXPECT_NE(NULL, strstr(out, "records      3000 read, 5 dropped\n"));
	EXPECT_NE(NULL, strstr(out, "waited       1.235 s in 77 waits (--no-drops)\n"));
	EXPECT_NE(NULL, strstr(out, " getppid\n"));
	free(out);
	free(err);
	ASSERT_EQ(0, run_gtrace((char *[]){ "gtrace", "report", "--format", "csv",
					    "-e", "trace=close", path, NULL },
				&out, &err));
	EXPECT_NE(NULL, strstr(out, "\r\nclose,x86_64,3,"));
	EXPECT_EQ(NULL, strstr(out, "getppid"));
	free(out);
	free(err);

	/* Cut inside the records: exit 2, the file and the offset. */
	cut = save(buf, len / 2);
	EXPECT_EQ(2, run_gtrace((char *[]){ "gtrace", "report", cut, NULL },
				&out, &err));
	snprintf(want, sizeof(want), "%s: offset ", cut);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "truncated")) TH_LOG("%s", err);
	EXPECT_STREQ("", out);
	free(out);
	free(err);
	unlink(cut);
	free(cut);
	unlink(path);
	free(path);
	free(buf);
}

TEST_HARNESS_MAIN
