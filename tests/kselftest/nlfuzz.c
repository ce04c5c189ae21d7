// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink fuzzer: random and mutated requests for every command and
 * attribute of the gtrace family (wrong types and lengths, nested garbage,
 * huge values, unknown ids, random flags and headers), while a second
 * socket races to start, stop and delete the same sessions. Every request
 * must be answered; afterwards the module still counts exactly, holds no
 * session and no more memory than before. vm-run fails the run on any
 * kernel warning.
 *
 * GTRACE_FUZZ_N sets the number of messages (default 100000).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/time.h>

#include "kselftest_harness.h"
#include "nlraw.h"
#include "gt_kselftest.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from the seed printed in the log. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static _Atomic uint32_t last_id;
static _Atomic int stop_racer;
static pid_t target;

static uint32_t interesting_u32(void)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 4, 7, 8, 64, 255, 4096,
				      0x7fffffff, 0x80000000, 0xffffffff,
				      0xfffffffe, 1u << 20, (1u << 20) + 1 };

	switch (rnd_below(4)) {
	case 0:
		return v[rnd_below(sizeof(v) / sizeof(v[0]))];
	case 1:
		return atomic_load(&last_id) + rnd_below(3) - 1;
	case 2:
		return target;
	}
	return rnd();
}

/* One attribute: mostly plausible, sometimes anything at all. */
static void fuzz_attr(struct nlraw *r, int depth)
{
	uint16_t type = rnd_below(5) ? 1 + rnd_below(GTRACE_A_MAX + 2) :
			rnd_below(0x10000);
	char buf[512];
	uint16_t len;
	uint32_t v;

	if (NLMSG_ALIGN(r->len) + sizeof(buf) + 64 > sizeof(r->buf))
		return;
	switch (rnd_below(6)) {
	case 0:
	case 1:
	case 2:
		v = interesting_u32();
		nlraw_put(r, type, &v, 4);
		return;
	case 3:	/* a nest of more attributes, or of garbage */
		if (depth < 3) {
			struct nlattr *nest = nlraw_put(r, type | NLA_F_NESTED, NULL, 0);
			size_t start = r->len;
			int i, n = rnd_below(4);

			for (i = 0; i < n; i++)
				fuzz_attr(r, depth + 1);
			nest->nla_len = NLA_HDRLEN + (r->len - start);
			return;
		}
		/* fall through */
	default:
		len = rnd_below(8) ? rnd_below(17) : rnd_below(sizeof(buf));
		for (v = 0; v < len; v++)
			buf[v] = rnd();
		nlraw_put(r, type, buf, len);
	}
}

static int fuzz_one(struct nlraw *r)
{
	uint8_t cmd = rnd_below(8) ? 1 + rnd_below(GTRACE_CMD_MAX) : rnd();
	uint16_t flags = rnd_below(4) ? 0 : NLM_F_DUMP;
	struct genlmsghdr *g;
	int i, n;

	nlraw_start(r, r->family, cmd, flags);
	g = NLMSG_DATA(nlraw_hdr(r));
	if (!rnd_below(16))
		g->version = rnd();
	if (!rnd_below(16))
		g->reserved = rnd();
	n = rnd_below(5);
	for (i = 0; i < n; i++)
		fuzz_attr(r, 0);
	/* Sometimes cut the last attribute short; the length stays true. */
	if (!rnd_below(32) && r->len > NLMSG_LENGTH(GENL_HDRLEN) + 2)
		r->len -= 1 + rnd_below(3);
	return nlraw_send(r);
}

/* Made sessions get a valid id into the pool the mutations draw from. */
static void make_session(struct nlraw *r)
{
	uint32_t flags = rnd_below(2) ? GTRACE_F_RECORDS : 0;

	nlraw_start(r, r->family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(r, GTRACE_A_TARGET_PID, target);
	nlraw_put_u32(r, GTRACE_A_FLAGS, flags);
	if (flags)
		nlraw_put_u32(r, GTRACE_A_RING_PAGES, 1 << rnd_below(3));
	/* The reply carries the id; the ACK follows. */
	if (nlraw_send(r) == 0 && r->last_id)
		atomic_store(&last_id, r->last_id);
}

static void *racer(void *arg)
{
	static const uint8_t cmds[] = { GTRACE_CMD_SESSION_START,
		GTRACE_CMD_SESSION_STOP, GTRACE_CMD_SESSION_DEL,
		GTRACE_CMD_SESSION_GET };
	struct nlraw r;

	if (nlraw_open(&r, GTRACE_GENL_NAME))
		return NULL;
	while (!atomic_load(&stop_racer)) {
		nlraw_start(&r, r.family, cmds[rnd_below(4)], 0);
		nlraw_put_u32(&r, GTRACE_A_SESSION_ID, atomic_load(&last_id));
		nlraw_send(&r);
	}
	nlraw_close(&r);
	return NULL;
}

static int exact(void *arg)
{
	int i;

	for (i = 0; i < 4321; i++)
		syscall(SYS_getppid);
	return 0;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, then_still_exact, 1800)
{
	const char *env = getenv("GTRACE_FUZZ_N");
	long n = env ? atol(env) : 100000, i, errors = 0, timeouts = 0;
	struct timeval tv = { .tv_sec = 2 };
	struct gt_status st0, st1;
	struct gt_child spinner = { .pid = -1, .go = -1 };
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	pthread_t th;
	struct nlraw r;
	uint32_t id;
	int status;

	time_t t0 = time(NULL);

	rng_state ^= (uint64_t)getpid() << 17 ^ (uint64_t)t0;
	TH_LOG("%ld messages, seed %#llx", n, (unsigned long long)rng_state);

	ASSERT_EQ(0, gt_spawn(&spinner, gt_spin_getppid, NULL));
	target = spinner.pid;
	ASSERT_EQ(0, gt_release(&spinner));
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_status(cl, &st0));

	ASSERT_EQ(0, nlraw_open(&r, GTRACE_GENL_NAME));
	setsockopt(r.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ASSERT_EQ(0, pthread_create(&th, NULL, racer, NULL));
	for (i = 0; i < n; i++) {
		int err;

		if (!rnd_below(64))
			make_session(&r);
		err = fuzz_one(&r);
		if (err == -EAGAIN)
			timeouts++;
		else if (err)
			errors++;
	}
	atomic_store(&stop_racer, 1);
	pthread_join(th, NULL);
	TH_LOG("%ld rejected, %ld accepted, %ld unanswered in %ld s", errors,
	       n - errors - timeouts, timeouts, (long)(time(NULL) - t0));
	EXPECT_EQ(0, timeouts);
	nlraw_close(&r);	/* and with it every session it made */
	gt_kill(&spinner);

	ASSERT_EQ(0, gt_status(cl, &st1));
	EXPECT_EQ(0, st1.sessions);
	EXPECT_FALSE(st1.probes);
	EXPECT_EQ(st0.mem_bytes, st1.mem_bytes);
	TH_LOG("module memory: %llu bytes before, %llu after",
	       (unsigned long long)st0.mem_bytes,
	       (unsigned long long)st1.mem_bytes);

	/* The module still counts exactly. */
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, exact, NULL, &id, &status));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);
	EXPECT_EQ(4321, gt_task_calls(&st->tasks[0], GTRACE_ABI_X86_64, SYS_getppid));
	gt_stats_free(st);
	gt_close(cl);
}

TEST_HARNESS_MAIN
