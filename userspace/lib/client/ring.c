// SPDX-License-Identifier: GPL-2.0
/*
 * Reader of the per-call record rings of /dev/gtrace.
 *
 * Layout (see the comment above struct gtrace_record in the UAPI header):
 * ring c starts at page c * stride_pages of the device; its first page is
 * the consumer position, which only we write, then the header and the data
 * pages, which only the kernel writes. We map the two parts separately so
 * that the data can be mapped read-only.
 *
 * Positions are byte counts that only grow. The kernel stores a record and
 * then publishes producer_pos with release semantics; we load producer_pos
 * with acquire semantics before reading records, and publish consumer_pos
 * with release semantics only after the callback is done with a record, so
 * the kernel never reuses space we are still reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "client_internal.h"

#define GTI_DEV_PATH	"/dev/gtrace"
#define GTI_MAX_RINGS	65536

static bool ring_info_ok(const struct gtrace_ring_info *ri, size_t page)
{
	uint64_t size;

	if (!ri->nr_rings || ri->nr_rings > GTI_MAX_RINGS)
		return false;
	if (!ri->data_pages || (ri->data_pages & (ri->data_pages - 1)))
		return false;
	if (ri->stride_pages != ri->data_pages + 2)
		return false;
	if (ri->record_size < sizeof(struct gtrace_record) ||
	    ri->record_size % sizeof(uint64_t))
		return false;
	size = (uint64_t)ri->data_pages * page;
	return size <= UINT32_MAX && size % ri->record_size == 0;
}

static int map_ring(struct gt_ring *r, unsigned int c,
		    const struct gtrace_ring_info *ri, size_t page)
{
	struct gti_ring_map *m = &r->map[c];
	off_t off = (off_t)c * ri->stride_pages * page;
	size_t hdr_len = (size_t)(ri->data_pages + 1) * page;
	void *p;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, off);
	if (p == MAP_FAILED)
		return -errno;
	m->cons = p;
	m->cons_len = page;

	p = mmap(NULL, hdr_len, PROT_READ, MAP_SHARED, r->fd, off + page);
	if (p == MAP_FAILED)
		return -errno;
	m->hdr = p;
	m->hdr_len = hdr_len;
	m->data = (const unsigned char *)p + page;

	/* What we index with must agree with what the kernel writes by. */
	m->size = ri->data_pages * page;
	m->rec_size = ri->record_size;
	if (m->hdr->data_size != m->size || m->hdr->record_size != m->rec_size)
		return -EPROTO;
	return 0;
}

static int ring_attach(struct gt_ring *r, uint32_t session_id)
{
	size_t page = sysconf(_SC_PAGESIZE);
	struct gtrace_ring_info ri;
	unsigned int c;
	int err;

	r->fd = open(GTI_DEV_PATH, O_RDWR | O_CLOEXEC);
	if (r->fd < 0)
		return -errno;
	if (ioctl(r->fd, GTRACE_IOC_ATTACH, &session_id) < 0)
		return -errno;
	memset(&ri, 0, sizeof(ri));
	if (ioctl(r->fd, GTRACE_IOC_RING_INFO, &ri) < 0)
		return -errno;
	if (!ring_info_ok(&ri, page))
		return -EPROTO;
	r->map = calloc(ri.nr_rings, sizeof(*r->map));
	if (!r->map)
		return -ENOMEM;
	r->nr = ri.nr_rings;
	for (c = 0; c < r->nr; c++) {
		err = map_ring(r, c, &ri, page);
		if (err < 0)
			return err;
	}
	return 0;
}

int gt_ring_open(uint32_t session_id, struct gt_ring **out)
{
	struct gt_ring *r;
	int err;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	err = ring_attach(r, session_id);
	if (err < 0) {
		gt_ring_close(r);
		return err;
	}
	*out = r;
	return 0;
}

int gti_ring_wrap(unsigned int nr, const struct gti_ring_map *maps,
		  struct gt_ring **out)
{
	struct gt_ring *r;
	unsigned int c;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->map = calloc(nr ? nr : 1, sizeof(*r->map));
	if (!r->map) {
		free(r);
		return -ENOMEM;
	}
	r->nr = nr;
	for (c = 0; c < nr; c++) {
		r->map[c] = maps[c];
		r->map[c].cons_len = 0;
		r->map[c].hdr_len = 0;
		r->map[c].size = maps[c].hdr->data_size;
		r->map[c].rec_size = maps[c].hdr->record_size;
	}
	*out = r;
	return 0;
}

void gt_ring_close(struct gt_ring *r)
{
	unsigned int c;

	if (!r)
		return;
	for (c = 0; r->map && c < r->nr; c++) {
		if (r->map[c].cons_len)
			munmap(r->map[c].cons, r->map[c].cons_len);
		if (r->map[c].hdr_len)
			munmap((void *)r->map[c].hdr, r->map[c].hdr_len);
	}
	free(r->map);
	if (r->fd >= 0)
		close(r->fd);
	free(r);
}

unsigned int gt_ring_count(const struct gt_ring *r)
{
	return r->nr;
}

size_t gt_ring_record_size(const struct gt_ring *r)
{
	return r->nr ? r->map[0].rec_size : 0;
}

/* ---- reading ----------------------------------------------------------- */

static uint64_t producer_pos(const struct gti_ring_map *m)
{
	return __atomic_load_n(&m->hdr->producer_pos, __ATOMIC_ACQUIRE);
}

static uint64_t consumer_pos(const struct gti_ring_map *m)
{
	/* Only we write it; relaxed is enough to read our own stores. */
	return __atomic_load_n(&m->cons->consumer_pos, __ATOMIC_RELAXED);
}

/* Positions the kernel could have produced from where we stand. */
static bool positions_ok(const struct gti_ring_map *m, uint64_t cons,
			 uint64_t prod)
{
	if (!m->size || (m->size & (m->size - 1)) || !m->rec_size)
		return false;
	if (prod < cons || prod - cons > m->size)
		return false;
	return cons % m->rec_size == 0 && prod % m->rec_size == 0;
}

/* Done with everything before @cons: the kernel may reuse it. */
static void release_to(struct gti_ring_map *m, uint64_t cons, bool *wake)
{
	__atomic_store_n(&m->cons->consumer_pos, cons, __ATOMIC_RELEASE);
	if (__atomic_load_n(&m->hdr->waiters, __ATOMIC_RELAXED))
		*wake = true;
}

/* Threads of a GTRACE_F_NO_DROPS session wait for the room just made. */
static void wake_waiters(struct gt_ring *r, bool wake)
{
	if (wake && r->fd >= 0)
		ioctl(r->fd, GTRACE_IOC_WAKE);
}

/* One pass over the rings: per record (one) or per span (batch). */
struct consumer {
	gt_ring_cb one;
	gt_ring_batch_cb batch;
	void *ctx;
	int count;		/* records handed over */
	bool wake;		/* some ring has waiters */
};

static int consume_ring(struct gti_ring_map *m, unsigned int idx,
			struct consumer *co)
{
	uint64_t prod = producer_pos(m);
	uint64_t cons = consumer_pos(m);
	int stop = 0;

	if (!positions_ok(m, cons, prod))
		return -EPROTO;
	while (cons < prod && !stop && co->count < INT_MAX) {
		const void *rec = m->data + (cons & (m->size - 1));

		stop = co->one(rec, idx, co->ctx);
		cons += m->rec_size;
		release_to(m, cons, &co->wake);
		co->count++;
	}
	return stop;
}

static int consume_ring_batch(struct gti_ring_map *m, unsigned int idx,
			      struct consumer *co)
{
	uint64_t prod = producer_pos(m);
	uint64_t cons = consumer_pos(m);
	int stop = 0;

	if (!positions_ok(m, cons, prod))
		return -EPROTO;
	while (cons < prod && !stop) {
		uint64_t off = cons & (m->size - 1);
		uint64_t len = prod - cons;
		size_t n;

		if (len > m->size - off)
			len = m->size - off;	/* up to the end, then again */
		n = len / m->rec_size;
		if (n > (size_t)(INT_MAX - co->count))
			n = INT_MAX - co->count;
		if (!n)
			break;
		stop = co->batch(m->data + off, n, m->rec_size, idx, co->ctx);
		cons += n * m->rec_size;
		release_to(m, cons, &co->wake);
		co->count += n;
	}
	return stop;
}

static int consume(struct gt_ring *r, struct consumer *co)
{
	unsigned int c;
	int ret = 0;

	for (c = 0; c < r->nr && !ret; c++)
		ret = co->batch ? consume_ring_batch(&r->map[c], c, co) :
				  consume_ring(&r->map[c], c, co);
	wake_waiters(r, co->wake);
	return ret < 0 ? ret : co->count;
}

int gt_ring_consume(struct gt_ring *r, gt_ring_cb cb, void *ctx)
{
	struct consumer co = { .one = cb, .ctx = ctx };

	return consume(r, &co);
}

int gt_ring_consume_batch(struct gt_ring *r, gt_ring_batch_cb cb, void *ctx)
{
	struct consumer co = { .batch = cb, .ctx = ctx };

	return consume(r, &co);
}

uint64_t gt_ring_pending(const struct gt_ring *r)
{
	uint64_t sum = 0, prod, cons;
	unsigned int c;

	for (c = 0; c < r->nr; c++) {
		prod = producer_pos(&r->map[c]);
		cons = consumer_pos(&r->map[c]);
		if (prod > cons)
			sum += prod - cons;
	}
	return sum;
}

uint64_t gt_ring_drops(const struct gt_ring *r)
{
	uint64_t sum = 0;
	unsigned int c;

	for (c = 0; c < r->nr; c++)
		sum += __atomic_load_n(&r->map[c].hdr->dropped, __ATOMIC_RELAXED);
	return sum;
}

int gt_ring_poll(struct gt_ring *r, int timeout_ms)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	int n;

	/* Records below the wake-up watermark do not make poll() return. */
	if (gt_ring_pending(r))
		return 1;
	if (r->fd < 0)
		return 0;
	n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -errno;
	if (!n)
		return 0;
	if (pfd.revents & POLLIN)
		return 1;
	if (pfd.revents & POLLHUP)
		return -EPIPE;
	return -EIO;
}
