// SPDX-License-Identifier: GPL-2.0
/*
 * Records carry the calls' raw arguments; in no-drops mode a full ring
 * makes the traced thread wait for the reader instead of losing records,
 * for a bounded time, and a fatal signal still ends it at once.
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <time.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

#define ARG_CALLS	100
#define LOSSLESS_CALLS	1000000

static char payload[] = "gtrace args\n";
static int devnull = -1;

/* write(devnull, payload, 7) and pread64(devnull, payload, 3, 5). */
static int arg_caller(void *arg)
{
	int i;

	for (i = 0; i < ARG_CALLS; i++) {
		syscall(SYS_write, devnull, payload, 7);
		syscall(SYS_pread64, devnull, payload, 3, 5);
	}
	return 0;
}

static int getppid_caller(void *arg)
{
	long i, n = (long)arg;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

struct seen {
	pid_t pid;
	uint64_t records, writes, preads, bad_args, bad_ids, getppid;
	uint64_t waited, slow_every, slow_us;
};

static int look(const struct gtrace_record *r, unsigned int ring, void *ctx)
{
	struct seen *s = ctx;

	s->records++;
	if (r->tid != (uint32_t)s->pid || r->pid != (uint32_t)s->pid)
		s->bad_ids++;
	if (r->flags & GTRACE_RF_WAITED)
		s->waited++;
	if (r->abi != GTRACE_ABI_X86_64)
		return 0;
	if (r->nr == SYS_getppid)
		s->getppid++;
	if (r->nr == SYS_write) {
		s->writes++;
		if (r->args[0] != (uint64_t)devnull ||
		    r->args[1] != (uintptr_t)payload || r->args[2] != 7 ||
		    r->ret != 7 || !r->ip)
			s->bad_args++;
	}
	if (r->nr == SYS_pread64) {
		s->preads++;
		if (r->args[0] != (uint64_t)devnull ||
		    r->args[1] != (uintptr_t)payload || r->args[2] != 3 ||
		    r->args[3] != 5 || r->ret != 0)
			s->bad_args++;
	}
	/* The deliberately slow consumer. */
	if (s->slow_every && s->records % s->slow_every == 0)
		usleep(s->slow_us);
	return 0;
}

/* Drain until the child exits, then once more; its exit status. */
static int drain_until_exit(struct gt_ring *ring, pid_t pid, struct seen *s)
{
	int st = -1;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		gt_ring_poll(ring, 5);
		if (gt_ring_consume(ring, look, s) < 0)
			return -1;
	}
	if (gt_ring_consume(ring, look, s) < 0)
		return -1;
	return st;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* Run the children started meanwhile on this CPU only; undone by unpin(). */
static void pin(cpu_set_t *all)
{
	cpu_set_t one;

	sched_getaffinity(0, sizeof(*all), all);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
}

static void unpin(const cpu_set_t *all)
{
	sched_setaffinity(0, sizeof(*all), all);
}

FIXTURE(lossless)
{
	struct gt_client *cl;
	struct gt_child ch;
	struct gt_ring *ring;
	uint32_t id;
};

FIXTURE_SETUP(lossless)
{
	self->cl = gt_open();
	ASSERT_NE(NULL, self->cl);
	self->ch.pid = -1;
	self->ch.go = -1;
	self->ring = NULL;
}

FIXTURE_TEARDOWN(lossless)
{
	gt_ring_close(self->ring);
	gt_close(self->cl);
}

/* A session on a new child running fn(arg), its ring mapped, started. */
static void start(struct __test_metadata *_metadata,
		  FIXTURE_DATA(lossless) *self, uint32_t flags,
		  uint32_t ring_pages, uint32_t wait_max_ms,
		  int (*fn)(void *), void *arg)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;

	ASSERT_EQ(0, gt_spawn(&self->ch, fn, arg));
	o.target_pid = self->ch.pid;
	o.flags = GTRACE_F_RECORDS | flags;
	o.ring_pages = ring_pages;
	o.wait_max_ms = wait_max_ms;
	ASSERT_EQ(0, gt_session_new(self->cl, &o, &self->id))
		TH_LOG("%s", gt_errmsg(self->cl));
	ASSERT_EQ(0, gt_ring_open(self->id, &self->ring));
	ASSERT_EQ(0, gt_session_start(self->cl, self->id));
	ASSERT_EQ(0, gt_release(&self->ch));
}

TEST_F(lossless, records_carry_the_raw_arguments)
{
	struct seen s = {};

	devnull = open("/dev/null", O_RDWR);
	ASSERT_LE(0, devnull);
	start(_metadata, self, 0, 64, 0, arg_caller, NULL);
	s.pid = self->ch.pid;
	ASSERT_EQ(0, drain_until_exit(self->ring, self->ch.pid, &s));
	EXPECT_EQ(0, gt_ring_drops(self->ring));
	EXPECT_EQ(ARG_CALLS, s.writes);
	EXPECT_EQ(ARG_CALLS, s.preads);
	EXPECT_EQ(0, s.bad_args);
	EXPECT_EQ(0, s.bad_ids);
	EXPECT_EQ(0, s.waited);
	close(devnull);
}

/*
 * 10^6 calls (GTRACE_LOSSLESS_CALLS: fewer on the slow sanitizer kernel)
 * into a 16-page ring (512 records) read by a consumer that sleeps 200 us
 * every 64 records: without the mode most would be lost.
 */
TEST_F_TIMEOUT(lossless, slow_consumer_loses_nothing, 300)
{
	const char *env = getenv("GTRACE_LOSSLESS_CALLS");
	long n = env ? atol(env) : LOSSLESS_CALLS;
	struct gt_session_info info;
	struct seen s = { .slow_every = 64, .slow_us = 200 };
	struct gt_stats *st = NULL;
	uint64_t calls = 0;
	size_t t, i;

	ASSERT_LT(0, n);
	start(_metadata, self, GTRACE_F_NO_DROPS, 16, 0, getppid_caller,
	      (void *)n);
	s.pid = self->ch.pid;
	ASSERT_EQ(0, drain_until_exit(self->ring, self->ch.pid, &s));
	ASSERT_EQ(0, gt_stats_dump(self->cl, self->id, &st));
	ASSERT_EQ(0, gt_session_get(self->cl, self->id, &info));
	for (t = 0; t < st->nr_tasks; t++)
		for (i = 0; i < st->tasks[t].nr_syscalls; i++)
			calls += st->tasks[t].syscalls[i].calls;
	TH_LOG("%llu calls, %llu records, %llu dropped, %llu waits, %.3f s waited",
	       (unsigned long long)calls, (unsigned long long)s.records,
	       (unsigned long long)gt_ring_drops(self->ring),
	       (unsigned long long)info.waits, info.wait_ns / 1e9);
	EXPECT_EQ(0, gt_ring_drops(self->ring));
	EXPECT_EQ(0, info.drops);
	EXPECT_EQ(calls, s.records);
	EXPECT_EQ(n, s.getppid);
	EXPECT_EQ(0, s.bad_ids);
	/* The consumer was slow enough that the thread had to wait. */
	EXPECT_LT(0, info.waits);
	EXPECT_LT(0, info.wait_ns);
	EXPECT_EQ(info.waits, s.waited);
	gt_stats_free(st);
}

/*
 * Nobody reads: each call past a full ring waits 20 ms, then is dropped.
 * The child runs on one CPU, so that it fills one ring of 32 records.
 */
TEST_F(lossless, wait_is_bounded)
{
	uint64_t capacity = 4096 / sizeof(struct gtrace_record), calls = 0;
	struct gt_session_info info;
	struct gt_stats *st = NULL;
	struct seen s = {};
	cpu_set_t all;
	size_t t, i;

	pin(&all);
	start(_metadata, self, GTRACE_F_NO_DROPS, 1, 20, getppid_caller,
	      (void *)100L);
	unpin(&all);
	s.pid = self->ch.pid;
	ASSERT_EQ(0, gt_wait(&self->ch));
	ASSERT_LE(0, gt_ring_consume(self->ring, look, &s));
	ASSERT_EQ(0, gt_session_get(self->cl, self->id, &info));
	ASSERT_EQ(0, gt_stats_dump(self->cl, self->id, &st));
	for (t = 0; t < st->nr_tasks; t++)
		for (i = 0; i < st->tasks[t].nr_syscalls; i++)
			calls += st->tasks[t].syscalls[i].calls;
	gt_stats_free(st);
	TH_LOG("%llu calls, %llu records, %llu dropped, %llu waits, %.3f s waited",
	       (unsigned long long)calls, (unsigned long long)s.records,
	       (unsigned long long)info.drops, (unsigned long long)info.waits,
	       info.wait_ns / 1e9);
	EXPECT_EQ(capacity, s.records);
	EXPECT_EQ(0, s.waited);
	EXPECT_EQ(calls - capacity, info.drops);
	EXPECT_EQ(info.drops, info.waits);
	/* Each wait ran out its 20 ms (less the part of a jiffy). */
	EXPECT_LE(info.waits * 15000000ull, info.wait_ns);
}

/*
 * A thread waiting for room still dies of SIGKILL at once. On one CPU, so
 * that it cannot wake up beside a ring with room and store its record.
 */
TEST_F(lossless, fatal_signal_ends_the_wait)
{
	struct gt_session_info info;
	cpu_set_t all;
	uint64_t t0;
	int st = 0;
	pid_t got = 0;

	pin(&all);
	start(_metadata, self, GTRACE_F_NO_DROPS, 1, 30000, getppid_caller,
	      (void *)1000000L);
	unpin(&all);
	/* Let it fill the ring and block. */
	usleep(300000);
	ASSERT_EQ(0, gt_session_get(self->cl, self->id, &info));
	EXPECT_EQ(0, info.drops);
	t0 = now_ms();
	ASSERT_EQ(0, kill(self->ch.pid, SIGKILL));
	while (now_ms() - t0 < 10000) {
		got = waitpid(self->ch.pid, &st, WNOHANG);
		if (got)
			break;
		usleep(10000);
	}
	ASSERT_EQ(self->ch.pid, got) TH_LOG("still waiting after 10 s");
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	TH_LOG("gone %llu ms after SIGKILL", (unsigned long long)(now_ms() - t0));
	ASSERT_EQ(0, gt_session_get(self->cl, self->id, &info));
	/* The record it was waiting with is dropped and counted. */
	EXPECT_EQ(1, info.drops);
}

/* SESSION_NEW checks the mode's attributes. */
TEST(no_drops_requests_are_checked)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_client *cl = gt_open();
	uint32_t id;

	ASSERT_NE(NULL, cl);
	o.target_pid = getpid();
	o.flags = GTRACE_F_NO_DROPS;
	EXPECT_EQ(-EINVAL, gt_session_new(cl, &o, &id));
	EXPECT_NE(NULL, strstr(gt_errmsg(cl), "per-call records"));
	o.flags = GTRACE_F_RECORDS;
	o.wait_max_ms = 10;
	EXPECT_EQ(-EINVAL, gt_session_new(cl, &o, &id));
	EXPECT_NE(NULL, strstr(gt_errmsg(cl), "no-drops"));
	o.flags = GTRACE_F_RECORDS | GTRACE_F_NO_DROPS;
	o.wait_max_ms = GTRACE_WAIT_MAX_MS_LIMIT + 1;
	EXPECT_EQ(-ERANGE, gt_session_new(cl, &o, &id));
	o.wait_max_ms = GTRACE_WAIT_MAX_MS_LIMIT;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id)) TH_LOG("%s", gt_errmsg(cl));
	EXPECT_EQ(0, gt_session_del(cl, id));
	gt_close(cl);
}

TEST_HARNESS_MAIN
