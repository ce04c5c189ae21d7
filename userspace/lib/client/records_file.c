// SPDX-License-Identifier: GPL-2.0
/*
 * Records files (Documentation/records-file.md): the per-call records of
 * one run as the kernel wrote them, in chunks of one ring each, behind a
 * header that says what ran and in front of a trailer with the run's
 * counters and tasks, closed by an end marker. The writer puts the spans
 * gt_ring_consume_batch() hands over straight into the file; the reader
 * checks every size and count before it trusts it, so that a truncated or
 * damaged file is an error at an offset, never a crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gtrace/client.h>

#include "../gt_common.h"

/* ---- the layout on disk (all little-endian) ----------------------------- */

#define HDR_FIXED	64	/* the header before the command */
#define CHUNK_HDR	16
#define TRAIL_FIXED	184	/* the trailer chunk before its tasks */
#define TASK_SIZE	88
#define END_SIZE	16
#define CHUNK_RECS	0x53434552U	/* "RECS" */
#define CHUNK_TAIL	0x4c494154U	/* "TAIL" */
#define MAX_CHUNK_RECS	(1U << 20)
#define MAX_COMMAND	(1U << 20)
#define MAX_TASKS	(1U << 24)
#define READ_BATCH	256

static const char end_magic[8] = GT_RECORDS_END_MAGIC;

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

bool gt_records_file_magic(const void *buf, size_t len)
{
	return len >= 8 && !memcmp(buf, GT_RECORDS_MAGIC, 8);
}

/* ---- writing ---------------------------------------------------------- */

struct gt_records_writer {
	FILE *out;
	uint32_t record_size;
	uint32_t nr_rings;
	uint64_t records;
	uint64_t bytes;
	int err;
};

static int w_put(struct gt_records_writer *w, const void *p, size_t n)
{
	if (!w->err && n && fwrite(p, 1, n, w->out) != n)
		w->err = -EIO;
	w->bytes += n;
	return w->err;
}

int gt_records_writer_begin(FILE *out, const struct gt_records_header *h,
			    struct gt_records_writer **out_w)
{
	size_t clen = h->command ? strlen(h->command) : 0;
	size_t hsize = (HDR_FIXED + clen + 7) & ~(size_t)7;
	struct gt_records_writer *w;
	unsigned char *hdr;
	int err;

	*out_w = NULL;
	if (clen > MAX_COMMAND ||
	    (h->record_size && h->record_size < sizeof(struct gtrace_record)) ||
	    (h->record_size % 8))
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	hdr = calloc(1, hsize);
	if (!w || !hdr) {
		free(w);
		free(hdr);
		return -ENOMEM;
	}
	w->out = out;
	w->record_size = h->record_size ? h->record_size :
		sizeof(struct gtrace_record);
	w->nr_rings = h->nr_rings;
	memcpy(hdr, GT_RECORDS_MAGIC, 8);
	put32(hdr + 8, GT_RECORDS_VERSION);
	put32(hdr + 12, (uint32_t)hsize);
	put32(hdr + 16, w->record_size);
	put32(hdr + 20, h->nr_rings);
	put32(hdr + 24, h->flags);
	put32(hdr + 28, h->wait_max_ms);
	put64(hdr + 32, h->start_ns);
	put64(hdr + 40, h->t0_ns);
	put32(hdr + 48, h->clock);
	put32(hdr + 52, (uint32_t)clen);
	put32(hdr + 56, h->root);
	memcpy(hdr + HDR_FIXED, h->command, clen);
	err = w_put(w, hdr, hsize);
	free(hdr);
	if (err) {
		free(w);
		return err;
	}
	*out_w = w;
	return 0;
}

static int w_chunk(struct gt_records_writer *w, uint32_t type, uint32_t ring,
		   uint32_t count, uint32_t size)
{
	unsigned char c[CHUNK_HDR];

	put32(c, type);
	put32(c + 4, ring);
	put32(c + 8, count);
	put32(c + 12, size);
	return w_put(w, c, sizeof(c));
}

int gt_records_writer_add(struct gt_records_writer *w, const void *recs,
			  size_t n, size_t rec_size, unsigned int ring)
{
	const unsigned char *p = recs;

	if (rec_size != w->record_size || ring >= w->nr_rings)
		return -EINVAL;
	while (n && !w->err) {
		uint32_t k = n > MAX_CHUNK_RECS ? MAX_CHUNK_RECS : (uint32_t)n;

		w_chunk(w, CHUNK_RECS, ring, k, k * w->record_size);
		w_put(w, p, (size_t)k * w->record_size);
		w->records += k;
		p += (size_t)k * w->record_size;
		n -= k;
	}
	return w->err;
}

static void put_str(unsigned char *p, const char *s, size_t len)
{
	size_t n = s ? strnlen(s, len - 1) : 0;

	memcpy(p, s, n);	/* the rest stays zero: NUL-terminated */
}

static void put_task(unsigned char *p, const struct gt_records_task *t)
{
	memset(p, 0, TASK_SIZE);
	put32(p, t->tid);
	put32(p + 4, t->tgid);
	put32(p + 8, t->ppid);
	put32(p + 12, t->flags);
	put32(p + 16, t->exit_code);
	put64(p + 24, t->start_ns);
	put64(p + 32, t->exit_ns);
	put64(p + 40, t->rss_peak);
	put64(p + 48, t->vm_peak);
	put_str(p + 56, t->comm, GT_COMM_LEN);
}

int gt_records_writer_end(struct gt_records_writer *w,
			  const struct gt_records_trailer *t)
{
	unsigned char tr[TRAIL_FIXED], task[TASK_SIZE], end[END_SIZE];
	size_t i;
	int err;

	if (t->nr_tasks > MAX_TASKS) {
		gt_records_writer_free(w);
		return -EINVAL;
	}
	memset(tr, 0, sizeof(tr));
	put64(tr, w->records);
	put64(tr + 8, t->written);
	put64(tr + 16, t->dropped);
	put64(tr + 24, t->waits);
	put64(tr + 32, t->wait_ns);
	put64(tr + 40, t->t_end_ns);
	put64(tr + 48, t->tasks_lost);
	put64(tr + 56, t->calls_lost);
	put32(tr + 72, (uint32_t)t->wait_status);
	put32(tr + 76, t->flags);
	put_str(tr + 80, t->kernel, sizeof(t->kernel));
	put_str(tr + 144, t->module_version, sizeof(t->module_version));
	put32(tr + 176, (uint32_t)t->nr_tasks);
	put32(tr + 180, TASK_SIZE);
	w_chunk(w, CHUNK_TAIL, 0, (uint32_t)t->nr_tasks,
		(uint32_t)(TRAIL_FIXED + t->nr_tasks * TASK_SIZE));
	w_put(w, tr, sizeof(tr));
	for (i = 0; i < t->nr_tasks; i++) {
		put_task(task, &t->tasks[i]);
		w_put(w, task, sizeof(task));
	}
	memcpy(end, end_magic, 8);
	put64(end + 8, w->bytes + END_SIZE);
	w_put(w, end, sizeof(end));
	if (!w->err && fflush(w->out))
		w->err = -EIO;
	err = w->err;
	free(w);
	return err;
}

void gt_records_writer_free(struct gt_records_writer *w)
{
	free(w);
}

/* ---- reading ---------------------------------------------------------- */

struct gt_records_file {
	FILE *in;
	bool own;		/* not stdin */
	char *path;
	char *command;		/* h.command */
	uint64_t off;		/* bytes read so far */
	struct gt_records_header h;
	struct gt_records_trailer t;
	bool done;		/* trailer and end marker read */
	uint64_t count;		/* records handed over */
	/* the chunk being read */
	uint32_t ring;
	uint32_t left;		/* its records not yet read */
	unsigned char *buf;	/* READ_BATCH records */
	uint32_t nbuf, ibuf;
	struct gtrace_record rec;
	uint64_t rec_off;	/* where it was */
};

static int rf_fail(struct gt_records_file *f, struct gt_records_error *e,
		   uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int rf_fail(struct gt_records_file *f, struct gt_records_error *e,
		   uint64_t off, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (e) {
		e->offset = off;
		snprintf(e->msg, sizeof(e->msg), "%s: offset %llu: %s",
			 f->path, (unsigned long long)off, why);
	}
	return -EINVAL;
}

/*
 * Exactly @n bytes, or an error at the offset where they were expected:
 * "truncated" when the file ends first.
 */
static int rf_read(struct gt_records_file *f, void *p, size_t n,
		   struct gt_records_error *e, const char *what)
{
	size_t got = fread(p, 1, n, f->in);

	if (got != n) {
		if (ferror(f->in)) {
			int err = errno ? -errno : -EIO;

			if (e) {
				e->offset = f->off + got;
				snprintf(e->msg, sizeof(e->msg), "%s: offset %llu: %s",
					 f->path, (unsigned long long)(f->off + got),
					 strerror(-err));
			}
			return err;
		}
		return rf_fail(f, e, f->off + got,
			       "truncated in %s (the file is not complete)", what);
	}
	f->off += n;
	return 0;
}

static int rf_skip(struct gt_records_file *f, uint64_t n,
		   struct gt_records_error *e, const char *what)
{
	unsigned char tmp[4096];
	int err = 0;

	while (n && !err) {
		size_t k = n > sizeof(tmp) ? sizeof(tmp) : (size_t)n;

		err = rf_read(f, tmp, k, e, what);
		n -= k;
	}
	return err;
}

static int read_header(struct gt_records_file *f, struct gt_records_error *e)
{
	unsigned char h[HDR_FIXED];
	uint32_t hsize, clen;
	int err;

	err = rf_read(f, h, sizeof(h), e, "the header");
	if (err)
		return err;
	if (!gt_records_file_magic(h, sizeof(h)))
		return rf_fail(f, e, 0, "not a gtrace records file (bad magic)");
	f->h.version = get32(h + 8);
	hsize = get32(h + 12);
	f->h.record_size = get32(h + 16);
	f->h.nr_rings = get32(h + 20);
	f->h.flags = get32(h + 24);
	f->h.wait_max_ms = get32(h + 28);
	f->h.start_ns = get64(h + 32);
	f->h.t0_ns = get64(h + 40);
	f->h.clock = get32(h + 48);
	clen = get32(h + 52);
	f->h.root = get32(h + 56);
	if (f->h.version != GT_RECORDS_VERSION)
		return rf_fail(f, e, 8, "version %u, this reader knows %u",
			       f->h.version, GT_RECORDS_VERSION);
	if (f->h.record_size < sizeof(struct gtrace_record) ||
	    f->h.record_size % 8 || f->h.record_size > 65536)
		return rf_fail(f, e, 16, "record size %u (at least %zu, a multiple of 8)",
			       f->h.record_size, sizeof(struct gtrace_record));
	if (!f->h.nr_rings || f->h.nr_rings > 65536)
		return rf_fail(f, e, 20, "%u rings", f->h.nr_rings);
	if (clen > MAX_COMMAND)
		return rf_fail(f, e, 52, "command of %u bytes", clen);
	if (hsize < HDR_FIXED + clen || hsize % 8)
		return rf_fail(f, e, 12, "header size %u (command of %u bytes)",
			       hsize, clen);
	f->command = calloc(1, clen + 1);
	f->buf = malloc((size_t)READ_BATCH * f->h.record_size);
	if (!f->command || !f->buf)
		return -ENOMEM;
	f->h.command = f->command;
	err = rf_read(f, f->command, clen, e, "the command");
	if (err)
		return err;
	if (memchr(f->command, 0, clen))
		return rf_fail(f, e, HDR_FIXED, "the command holds a NUL byte");
	/* A longer header: fields this reader does not know. */
	return rf_skip(f, hsize - HDR_FIXED - clen, e, "the header");
}

int gt_records_file_open(const char *path, struct gt_records_file **out,
			 struct gt_records_error *e)
{
	struct gt_records_file *f = calloc(1, sizeof(*f));
	int err;

	*out = NULL;
	if (e) {
		e->offset = 0;
		e->msg[0] = 0;
	}
	if (!f || !(f->path = strdup(path))) {
		free(f);
		return -ENOMEM;
	}
	if (!strcmp(path, "-")) {
		f->in = stdin;
	} else {
		f->in = fopen(path, "rbe");
		f->own = true;
	}
	if (!f->in) {
		err = -errno;
		if (e)
			snprintf(e->msg, sizeof(e->msg), "%s: %s", path,
				 strerror(-err));
		gt_records_file_close(f);
		return err;
	}
	setvbuf(f->in, NULL, _IOFBF, 1 << 20);
	err = read_header(f, e);
	if (err) {
		gt_records_file_close(f);
		return err;
	}
	*out = f;
	return 0;
}

static int read_trailer(struct gt_records_file *f, uint32_t ntasks,
			uint32_t size, struct gt_records_error *e)
{
	unsigned char tr[TRAIL_FIXED], end[END_SIZE];
	uint64_t at = f->off, fsize;
	uint32_t tsize, i;
	unsigned char *task = NULL;
	int err;

	if (size < TRAIL_FIXED)
		return rf_fail(f, e, at - 4, "trailer of %u bytes, at least %u",
			       size, TRAIL_FIXED);
	err = rf_read(f, tr, sizeof(tr), e, "the trailer");
	if (err)
		return err;
	f->t.records = get64(tr);
	f->t.written = get64(tr + 8);
	f->t.dropped = get64(tr + 16);
	f->t.waits = get64(tr + 24);
	f->t.wait_ns = get64(tr + 32);
	f->t.t_end_ns = get64(tr + 40);
	f->t.tasks_lost = get64(tr + 48);
	f->t.calls_lost = get64(tr + 56);
	f->t.wait_status = (int32_t)get32(tr + 72);
	f->t.flags = get32(tr + 76);
	memcpy(f->t.kernel, tr + 80, sizeof(f->t.kernel) - 1);
	memcpy(f->t.module_version, tr + 144, sizeof(f->t.module_version) - 1);
	if (get32(tr + 176) != ntasks)
		return rf_fail(f, e, at + 176, "%u tasks, the chunk says %u",
			       get32(tr + 176), ntasks);
	tsize = get32(tr + 180);
	if (tsize < TASK_SIZE || tsize > 4096 ||
	    (uint64_t)ntasks * tsize != size - TRAIL_FIXED ||
	    ntasks > MAX_TASKS)
		return rf_fail(f, e, at + 180, "%u tasks of %u bytes in a trailer of %u",
			       ntasks, tsize, size);
	if (f->t.records != f->count)
		return rf_fail(f, e, at, "the trailer counts %llu records, the file holds %llu",
			       (unsigned long long)f->t.records,
			       (unsigned long long)f->count);
	f->t.tasks = calloc(ntasks ? ntasks : 1, sizeof(*f->t.tasks));
	task = malloc(tsize);
	if (!f->t.tasks || !task) {
		free(task);
		return -ENOMEM;
	}
	for (i = 0; i < ntasks; i++) {
		struct gt_records_task *t = &f->t.tasks[i];

		err = rf_read(f, task, tsize, e, "the task list");
		if (err)
			break;
		t->tid = get32(task);
		t->tgid = get32(task + 4);
		t->ppid = get32(task + 8);
		t->flags = get32(task + 12);
		t->exit_code = get32(task + 16);
		t->start_ns = get64(task + 24);
		t->exit_ns = get64(task + 32);
		t->rss_peak = get64(task + 40);
		t->vm_peak = get64(task + 48);
		memcpy(t->comm, task + 56, GT_COMM_LEN - 1);
		f->t.nr_tasks++;
	}
	free(task);
	if (err)
		return err;
	at = f->off;
	err = rf_read(f, end, sizeof(end), e, "the end marker");
	if (err)
		return err;
	if (memcmp(end, end_magic, 8))
		return rf_fail(f, e, at, "no end marker after the trailer");
	fsize = get64(end + 8);
	if (fsize != f->off)
		return rf_fail(f, e, at + 8, "the end marker says %llu bytes, read %llu",
			       (unsigned long long)fsize, (unsigned long long)f->off);
	if (fgetc(f->in) != EOF)
		return rf_fail(f, e, f->off, "data after the end marker");
	f->done = true;
	return 0;
}

/* The next chunk: records (f->left set) or the trailer (f->done). */
static int next_chunk(struct gt_records_file *f, struct gt_records_error *e)
{
	unsigned char c[CHUNK_HDR];
	uint64_t at = f->off;
	uint32_t type, ring, count, size;
	int err;

	for (;;) {
		at = f->off;
		err = rf_read(f, c, sizeof(c), e, "a chunk header");
		if (err)
			return err;
		type = get32(c);
		ring = get32(c + 4);
		count = get32(c + 8);
		size = get32(c + 12);
		if (type == CHUNK_TAIL)
			return read_trailer(f, count, size, e);
		if (type != CHUNK_RECS) {
			/* A chunk of a later minor version: skipped whole. */
			if (!memcmp(c, end_magic, 8))
				return rf_fail(f, e, at, "end marker without a trailer");
			err = rf_skip(f, size, e, "an unknown chunk");
			if (err)
				return err;
			continue;
		}
		if (ring >= f->h.nr_rings)
			return rf_fail(f, e, at + 4, "ring %u of %u", ring,
				       f->h.nr_rings);
		if (!count || count > MAX_CHUNK_RECS ||
		    (uint64_t)count * f->h.record_size != size)
			return rf_fail(f, e, at + 8, "%u records of %u bytes in a chunk of %u",
				       count, f->h.record_size, size);
		f->ring = ring;
		f->left = count;
		return 0;
	}
}

int gt_records_file_next(struct gt_records_file *f,
			 const struct gtrace_record **rec, unsigned int *ring,
			 struct gt_records_error *e)
{
	int err;

	*rec = NULL;
	while (f->ibuf == f->nbuf) {
		uint32_t k;

		if (f->done)
			return 0;
		if (!f->left) {
			err = next_chunk(f, e);
			if (err)
				return err;
			continue;
		}
		k = f->left > READ_BATCH ? READ_BATCH : f->left;
		err = rf_read(f, f->buf, (size_t)k * f->h.record_size, e,
			      "a chunk of records");
		if (err)
			return err;
		f->left -= k;
		f->nbuf = k;
		f->ibuf = 0;
	}
	/* The fields this reader knows; a longer record's tail is ignored. */
	f->rec_off = f->off - (uint64_t)(f->nbuf - f->ibuf) * f->h.record_size;
	memcpy(&f->rec, f->buf + (size_t)f->ibuf++ * f->h.record_size,
	       sizeof(f->rec));
	f->count++;
	*rec = &f->rec;
	*ring = f->ring;
	return 1;
}

uint64_t gt_records_file_offset(const struct gt_records_file *f)
{
	return f->rec_off;
}

const struct gt_records_header *
gt_records_file_header(const struct gt_records_file *f)
{
	return &f->h;
}

const struct gt_records_trailer *
gt_records_file_trailer(const struct gt_records_file *f)
{
	return f->done ? &f->t : NULL;
}

void gt_records_file_close(struct gt_records_file *f)
{
	if (!f)
		return;
	if (f->in && f->own)
		fclose(f->in);
	free(f->command);
	free(f->t.tasks);
	free(f->buf);
	free(f->path);
	free(f);
}
