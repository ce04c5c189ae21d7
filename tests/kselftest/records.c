// SPDX-License-Identifier: GPL-2.0
/*
 * Per-call records: with a deliberately tiny ring, records read plus
 * records dropped equal the calls made; every ring is in time order.
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <pthread.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define CALLS	20000

static int caller(void *arg)
{
	int i;

	for (i = 0; i < CALLS; i++)
		syscall(SYS_getppid);
	return 0;
}

struct check {
	uint64_t records;
	uint64_t getppid;
	uint64_t last_end[1024];
	uint64_t out_of_order;
	uint32_t tgid;
	uint64_t foreign;
};

static int check_record(const struct gtrace_record *r, unsigned int ring,
			void *ctx)
{
	struct check *c = ctx;
	uint64_t end = r->ts_ns + r->dur_ns;

	c->records++;
	if (r->abi == GTRACE_ABI_X86_64 && r->nr == SYS_getppid)
		c->getppid++;
	if (ring < 1024) {
		if (end < c->last_end[ring])
			c->out_of_order++;
		c->last_end[ring] = end;
	}
	if (r->tid != c->tgid)
		c->foreign++;
	return 0;
}

static uint64_t total_calls(const struct gt_stats *st)
{
	uint64_t sum = 0;
	size_t t, i;

	for (t = 0; t < st->nr_tasks; t++)
		for (i = 0; i < st->tasks[t].nr_syscalls; i++)
			sum += st->tasks[t].syscalls[i].calls;
	return sum;
}

static void run(struct __test_metadata *_metadata, uint32_t ring_pages,
		bool drain)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct check *c = calloc(1, sizeof(*c));
	struct gt_session_info info;
	struct gt_stats *st = NULL;
	struct gt_ring *ring = NULL;
	struct gt_client *cl;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint64_t calls, drops;
	uint32_t id;

	ASSERT_NE(NULL, c);
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_spawn(&ch, caller, NULL));
	c->tgid = ch.pid;
	o.target_pid = ch.pid;
	o.flags = GTRACE_F_RECORDS;
	o.ring_pages = ring_pages;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id)) TH_LOG("%s", gt_errmsg(cl));
	ASSERT_EQ(0, gt_ring_open(id, &ring));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, gt_release(&ch));

	if (drain) {
		int st_ch;

		while (waitpid(ch.pid, &st_ch, WNOHANG) == 0) {
			gt_ring_poll(ring, 5);
			ASSERT_LE(0, gt_ring_consume(ring, check_record, c));
		}
		ASSERT_EQ(0, st_ch);
	} else {
		ASSERT_EQ(0, gt_wait(&ch));
	}
	ASSERT_LE(0, gt_ring_consume(ring, check_record, c));

	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(0, gt_session_get(cl, id, &info));
	calls = total_calls(st);
	drops = gt_ring_drops(ring);
	TH_LOG("ring %u pages, drain %d: %llu calls, %llu records, %llu dropped",
	       ring_pages, drain, (unsigned long long)calls,
	       (unsigned long long)c->records, (unsigned long long)drops);
	EXPECT_EQ(calls, c->records + drops);
	EXPECT_EQ(info.records, c->records);
	EXPECT_EQ(info.drops, drops);
	EXPECT_EQ(0, c->out_of_order);
	EXPECT_EQ(0, c->foreign);
	EXPECT_LE(c->getppid, CALLS);
	if (!drain)
		EXPECT_LT(0, drops);
	EXPECT_LT(0, c->getppid);

	gt_stats_free(st);
	gt_ring_close(ring);
	gt_close(cl);
	free(c);
}

TEST(tiny_ring_records_plus_drops_equal_calls)
{
	run(_metadata, 1, false);
}

TEST(drained_ring_records_plus_drops_equal_calls)
{
	run(_metadata, 16, true);
}

/* Only the owner of a session maps its rings, and only read-only data. */
TEST(ring_mappings_are_checked)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gtrace_ring_info info;
	struct gt_client *cl;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint32_t id;
	void *p;
	int fd;

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_spawn(&ch, caller, NULL));
	o.target_pid = ch.pid;
	o.flags = GTRACE_F_RECORDS;
	o.ring_pages = 2;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	fd = open("/dev/gtrace", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, GTRACE_IOC_RING_INFO, &info));
	ASSERT_EQ(0, ioctl(fd, GTRACE_IOC_ATTACH, &id));
	ASSERT_EQ(0, ioctl(fd, GTRACE_IOC_RING_INFO, &info));
	EXPECT_EQ(2, info.data_pages);
	EXPECT_EQ(4, info.stride_pages);
	EXPECT_EQ(sizeof(struct gtrace_record), info.record_size);
	EXPECT_EQ(128, info.record_size);
	EXPECT_EQ(-1, ioctl(fd, GTRACE_IOC_ATTACH, &id));
	EXPECT_EQ(EBUSY, errno);

	/* Header and data: read-only, never writable. */
	p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 3 * 4096, PROT_READ, MAP_SHARED, fd, 4096);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(4096 * 2, ((struct gtrace_ring_header *)p)->data_size);
	munmap(p, 3 * 4096);
	/* The consumer page alone may be writable; not with the header. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, 0));
	/* Past the last ring. */
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
				   (off_t)info.nr_rings * info.stride_pages * 4096));
	close(fd);

	gt_kill(&ch);
	gt_close(cl);
}

TEST_HARNESS_MAIN
