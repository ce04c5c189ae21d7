// SPDX-License-Identifier: GPL-2.0
/*
 * The ring reader over rings laid out in ordinary memory exactly as
 * /dev/gtrace maps them (consumer page, header page, data pages), with the
 * test playing the kernel's producer: order within a ring, wrap-around,
 * several rings, stopping early, drop counts, and positions that cannot be.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "client/client_internal.h"
#include "kselftest_harness.h"

#define MAX_RINGS	4
#define RS		sizeof(struct gtrace_record)

struct fake_ring {
	void *cons_page;
	void *area;		/* header page + data pages */
	size_t area_len;
	struct gtrace_ring_header *hdr;
	unsigned char *data;
};

FIXTURE(ring)
{
	struct fake_ring fr[MAX_RINGS];
	struct gti_ring_map maps[MAX_RINGS];
	struct gt_ring *ring;
	unsigned int nr;
};

/* Ring sizes: one data page each, 32 records of 128 bytes. */
static void fake_ring_init(struct fake_ring *fr, struct gti_ring_map *m)
{
	size_t page = sysconf(_SC_PAGESIZE);

	fr->cons_page = mmap(NULL, page, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fr->area_len = 2 * page;
	fr->area = mmap(NULL, fr->area_len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fr->hdr = fr->area;
	fr->data = (unsigned char *)fr->area + page;
	fr->hdr->data_size = page;
	fr->hdr->record_size = sizeof(struct gtrace_record);
	memset(m, 0, sizeof(*m));
	m->cons = fr->cons_page;
	m->hdr = fr->hdr;
	m->data = fr->data;
}

FIXTURE_SETUP(ring)
{
	unsigned int i;

	self->nr = 3;
	for (i = 0; i < self->nr; i++)
		fake_ring_init(&self->fr[i], &self->maps[i]);
	ASSERT_EQ(0, gti_ring_wrap(self->nr, self->maps, &self->ring));
}

FIXTURE_TEARDOWN(ring)
{
	size_t page = sysconf(_SC_PAGESIZE);
	unsigned int i;

	gt_ring_close(self->ring);
	for (i = 0; i < self->nr; i++) {
		munmap(self->fr[i].cons_page, page);
		munmap(self->fr[i].area, self->fr[i].area_len);
	}
}

/* The kernel's side: store the record, then publish it with release. */
static void produce(struct fake_ring *fr, uint32_t tid, uint16_t nr)
{
	uint64_t pos = fr->hdr->producer_pos;
	struct gtrace_record rec = {
		.ts_ns = pos, .dur_ns = 10, .ret = -1, .tid = tid, .nr = nr,
		.abi = GTRACE_ABI_X86_64, .fclass = GTRACE_FC_PIPE,
	};

	memcpy(fr->data + (pos & (fr->hdr->data_size - 1)), &rec, sizeof(rec));
	__atomic_store_n(&fr->hdr->producer_pos, pos + sizeof(rec),
			 __ATOMIC_RELEASE);
}

struct seen {
	unsigned int n;
	unsigned int stop_after;	/* 0: never */
	int stop_with;
	uint32_t tid[1024];
	unsigned int ring[1024];
};

static int collect(const struct gtrace_record *rec, unsigned int ring,
		   void *ctx)
{
	struct seen *s = ctx;

	s->tid[s->n] = rec->tid;
	s->ring[s->n++] = ring;
	if (s->stop_after && s->n == s->stop_after)
		return s->stop_with;
	return 0;
}

static uint64_t cons_pos(struct fake_ring *fr)
{
	return ((struct gtrace_ring_consumer *)fr->cons_page)->consumer_pos;
}

TEST_F(ring, records_come_in_order)
{
	struct seen s = { 0 };
	unsigned int i;

	EXPECT_EQ(3U, gt_ring_count(self->ring));
	EXPECT_EQ(0, gt_ring_poll(self->ring, 0));
	for (i = 0; i < 10; i++)
		produce(&self->fr[0], i, 39);
	EXPECT_EQ(10U * RS, gt_ring_pending(self->ring));
	EXPECT_EQ(1, gt_ring_poll(self->ring, 0));
	ASSERT_EQ(10, gt_ring_consume(self->ring, collect, &s));
	for (i = 0; i < 10; i++)
		EXPECT_EQ(i, s.tid[i]);
	EXPECT_EQ(10U * RS, cons_pos(&self->fr[0]));
	EXPECT_EQ(0U, gt_ring_pending(self->ring));
	EXPECT_EQ(0, gt_ring_consume(self->ring, collect, &s));
}

/* Positions only grow; records land at pos & (size - 1). */
TEST_F(ring, wraps_around)
{
	struct seen s = { 0 };
	unsigned int i, round, tid = 0;

	for (round = 0; round < 5; round++) {
		for (i = 0; i < 20; i++)
			produce(&self->fr[1], tid++, 1);
		s.n = 0;
		ASSERT_EQ(20, gt_ring_consume(self->ring, collect, &s));
		for (i = 0; i < 20; i++) {
			ASSERT_EQ(tid - 20 + i, s.tid[i]);
			ASSERT_EQ(1U, s.ring[i]);
		}
	}
	EXPECT_EQ(100U * RS, cons_pos(&self->fr[1]));
}

/* A full ring: every slot used, consumed in one go. */
TEST_F(ring, full_ring)
{
	struct seen s = { 0 };
	unsigned int i, slots = self->fr[2].hdr->data_size / RS;

	for (i = 0; i < 7; i++)
		produce(&self->fr[2], 1000 + i, 1);
	ASSERT_EQ(7, gt_ring_consume(self->ring, collect, &s));
	for (i = 0; i < slots; i++)
		produce(&self->fr[2], i, 1);
	s.n = 0;
	ASSERT_EQ((int)slots, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(0U, s.tid[0]);
	EXPECT_EQ(slots - 1, s.tid[slots - 1]);
}

TEST_F(ring, rings_are_read_one_after_another)
{
	struct seen s = { 0 };

	produce(&self->fr[2], 20, 1);
	produce(&self->fr[0], 0, 1);
	produce(&self->fr[2], 21, 1);
	produce(&self->fr[1], 10, 1);
	ASSERT_EQ(4, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(0U, s.tid[0]);
	EXPECT_EQ(0U, s.ring[0]);
	EXPECT_EQ(10U, s.tid[1]);
	EXPECT_EQ(1U, s.ring[1]);
	EXPECT_EQ(20U, s.tid[2]);
	EXPECT_EQ(21U, s.tid[3]);
	EXPECT_EQ(2U, s.ring[3]);
}

/* A record the callback saw is consumed, even the one it stopped on. */
TEST_F(ring, callback_can_stop)
{
	struct seen s = { .stop_after = 3, .stop_with = 1 };
	unsigned int i;

	for (i = 0; i < 5; i++)
		produce(&self->fr[0], i, 1);
	produce(&self->fr[1], 99, 1);
	EXPECT_EQ(3, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(3U * RS, cons_pos(&self->fr[0]));
	EXPECT_EQ(3U * RS, gt_ring_pending(self->ring));
	s.stop_after = 0;
	EXPECT_EQ(3, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(3U, s.tid[3]);
	EXPECT_EQ(99U, s.tid[5]);
}

TEST_F(ring, callback_error_is_returned)
{
	struct seen s = { .stop_after = 2, .stop_with = -ECANCELED };
	unsigned int i;

	for (i = 0; i < 4; i++)
		produce(&self->fr[0], i, 1);
	EXPECT_EQ(-ECANCELED, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(2U * RS, cons_pos(&self->fr[0]));
}

TEST_F(ring, drops_add_up)
{
	EXPECT_EQ(0U, gt_ring_drops(self->ring));
	self->fr[0].hdr->dropped = 5;
	self->fr[2].hdr->dropped = 7;
	EXPECT_EQ(12U, gt_ring_drops(self->ring));
}

/* The consumer page is writable by anyone holding the mapping. */
TEST_F(ring, impossible_positions_are_errors)
{
	struct gtrace_ring_consumer *c = self->fr[0].cons_page;
	struct seen s = { 0 };

	produce(&self->fr[0], 1, 1);
	c->consumer_pos = 64;		/* ahead of the producer */
	EXPECT_EQ(-EPROTO, gt_ring_consume(self->ring, collect, &s));
	c->consumer_pos = 5;		/* not on a record boundary */
	self->fr[0].hdr->producer_pos = 37;
	EXPECT_EQ(-EPROTO, gt_ring_consume(self->ring, collect, &s));
	c->consumer_pos = 0;		/* more pending than the ring holds */
	self->fr[0].hdr->producer_pos = self->fr[0].hdr->data_size + RS;
	EXPECT_EQ(-EPROTO, gt_ring_consume(self->ring, collect, &s));
	EXPECT_EQ(0U, s.n);
}

struct spans {
	unsigned int calls;
	size_t n[8];
	unsigned int ring[8];
	uint32_t tid[1024];
	unsigned int total;
	int stop_with;		/* returned from the first call */
};

static int collect_span(const void *recs, size_t n, size_t rec_size,
			unsigned int ring, void *ctx)
{
	const unsigned char *p = recs;
	struct spans *s = ctx;
	size_t i;

	if (s->calls < 8) {
		s->n[s->calls] = n;
		s->ring[s->calls] = ring;
	}
	s->calls++;
	for (i = 0; i < n; i++, p += rec_size)
		s->tid[s->total++] = ((const struct gtrace_record *)p)->tid;
	return s->stop_with;
}

/* The pending bytes wrap around the ring's end: two spans, in order. */
TEST_F(ring, batch_over_the_end_is_two_spans)
{
	unsigned int slots = self->fr[1].hdr->data_size / RS, i, tid = 0;
	unsigned int first = slots * 2 / 3, second = slots * 2 / 3;
	struct spans s = { 0 };

	for (i = 0; i < first; i++)
		produce(&self->fr[1], tid++, 1);
	ASSERT_EQ((int)first, gt_ring_consume_batch(self->ring, collect_span, &s));
	ASSERT_EQ(1U, s.calls);
	EXPECT_EQ(first, s.n[0]);
	EXPECT_EQ(1U, s.ring[0]);
	memset(&s, 0, sizeof(s));
	for (i = 0; i < second; i++)
		produce(&self->fr[1], tid++, 1);
	ASSERT_EQ((int)second, gt_ring_consume_batch(self->ring, collect_span, &s));
	ASSERT_EQ(2U, s.calls);
	EXPECT_EQ(slots - first, s.n[0]);
	EXPECT_EQ(second - (slots - first), s.n[1]);
	for (i = 0; i < second; i++)
		ASSERT_EQ(first + i, s.tid[i]);
	EXPECT_EQ((first + second) * RS, cons_pos(&self->fr[1]));
	EXPECT_EQ(0U, gt_ring_pending(self->ring));
	EXPECT_EQ(RS, gt_ring_record_size(self->ring));
}

/* A span is freed once its callback returns, even when it stops there. */
TEST_F(ring, batch_stop_frees_the_span)
{
	struct spans s = { .stop_with = 1 };
	unsigned int i;

	for (i = 0; i < 5; i++)
		produce(&self->fr[0], i, 1);
	produce(&self->fr[2], 50, 1);
	EXPECT_EQ(5, gt_ring_consume_batch(self->ring, collect_span, &s));
	EXPECT_EQ(1U, s.calls);
	EXPECT_EQ(5U * RS, cons_pos(&self->fr[0]));
	EXPECT_EQ(RS, gt_ring_pending(self->ring));
	s.stop_with = -ECANCELED;
	EXPECT_EQ(-ECANCELED, gt_ring_consume_batch(self->ring, collect_span, &s));
	EXPECT_EQ(50U, s.tid[5]);
	EXPECT_EQ(0U, gt_ring_pending(self->ring));
}

TEST(open_without_device)
{
	struct gt_ring *r = (void *)1;

	if (access("/dev/gtrace", F_OK) == 0)
		SKIP(return, "/dev/gtrace exists here");
	EXPECT_EQ(-ENOENT, gt_ring_open(1, &r));
	EXPECT_EQ(NULL, r);
}

TEST_HARNESS_MAIN
