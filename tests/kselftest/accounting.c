// SPDX-License-Identifier: GPL-2.0
/*
 * Latency and I/O accounting: a 10 ms nanosleep is timed at 10 ms or more
 * and lands in its log2 histogram bucket; writes to a pipe, a socket, a
 * regular file, /dev/null and a GPU-like device node are attributed to the
 * right file class with the right byte counts.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

static int sleeper(void *arg)
{
	struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };

	return syscall(SYS_nanosleep, &ts, NULL) ? 1 : 0;
}

TEST(nanosleep_latency_and_bucket)
{
	const struct gt_syscall_stat *sc;
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	unsigned int bucket;
	uint32_t id;
	int status;

	cl = gt_open();
	ASSERT_NE(NULL, cl) TH_LOG("%s", gt_errmsg(NULL));
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, sleeper, NULL, &id, &status));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);
	sc = gt_task_sc(&st->tasks[0], GTRACE_ABI_X86_64, SYS_nanosleep);
	ASSERT_NE(NULL, sc);
	EXPECT_EQ(1, sc->calls);
	EXPECT_LE(10000000ULL, sc->min_ns);
	EXPECT_EQ(sc->min_ns, sc->max_ns);
	EXPECT_EQ(sc->min_ns, sc->total_ns);
	/* Bucket i holds [2^i, 2^(i+1)) ns; 10 ms is bucket 23 or above. */
	bucket = 63 - __builtin_clzll(sc->total_ns);
	EXPECT_LE(23, bucket);
	EXPECT_EQ(1, sc->hist[bucket]);
	TH_LOG("nanosleep(10 ms) took %llu ns, bucket %u",
	       (unsigned long long)sc->total_ns, bucket);
	gt_stats_free(st);
	gt_close(cl);
}

#define GPU_NODE "/dev/nvidia-gtrace-test0"

static int writer(void *arg)
{
	char buf[4096] = { 0 };
	int p[2], sv[2], reg, dn, gpu;

	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	reg = open("/tmp/gtrace-accounting", O_CREAT | O_TRUNC | O_WRONLY, 0600);
	dn = open("/dev/null", O_WRONLY);
	gpu = open(GPU_NODE, O_RDWR);
	if (reg < 0 || dn < 0 || gpu < 0)
		return 2;
	if (write(p[1], buf, 100) != 100 || write(sv[0], buf, 200) != 200 ||
	    write(reg, buf, 300) != 300 || write(dn, buf, 400) != 400 ||
	    write(gpu, buf, 500) != 500 || write(gpu, buf, 12) != 12)
		return 3;
	if (read(p[0], buf, sizeof(buf)) != 100)
		return 4;
	ioctl(gpu, 0x4600, 0);	/* the null device says ENOTTY: still a call */
	return 0;
}

TEST(write_bytes_by_file_class)
{
	struct gt_stats *st = NULL;
	struct gt_client *cl;
	uint32_t id;
	int status;

	if (geteuid())
		SKIP(return, "needs root for mknod");
	unlink(GPU_NODE);
	/* A GPU-like name on the null device: what the classifier sees. */
	ASSERT_EQ(0, mknod(GPU_NODE, S_IFCHR | 0666, makedev(1, 3)));

	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_trace_child(cl, 0, 0, writer, NULL, &id, &status));
	unlink(GPU_NODE);
	unlink("/tmp/gtrace-accounting");
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, gt_stats_dump(cl, id, &st));
	ASSERT_EQ(1, st->nr_tasks);

#define IO(c, k) (st->tasks[0].io[GTRACE_FC_##c][GTRACE_IO_##k])
	EXPECT_EQ(1, IO(PIPE, WRITE).calls);
	EXPECT_EQ(100, IO(PIPE, WRITE).bytes);
	EXPECT_EQ(1, IO(PIPE, READ).calls);
	EXPECT_EQ(100, IO(PIPE, READ).bytes);
	EXPECT_EQ(1, IO(SOCKET, WRITE).calls);
	EXPECT_EQ(200, IO(SOCKET, WRITE).bytes);
	EXPECT_EQ(1, IO(REGULAR, WRITE).calls);
	EXPECT_EQ(300, IO(REGULAR, WRITE).bytes);
	EXPECT_EQ(1, IO(CHAR, WRITE).calls);
	EXPECT_EQ(400, IO(CHAR, WRITE).bytes);
	EXPECT_EQ(2, IO(GPU, WRITE).calls);
	EXPECT_EQ(512, IO(GPU, WRITE).bytes);
	EXPECT_EQ(1, IO(GPU, IOCTL).calls);
	EXPECT_EQ(0, IO(GPU, IOCTL).bytes);
	EXPECT_LT(0, IO(GPU, WRITE).ns);
#undef IO
	gt_stats_free(st);
	gt_close(cl);
}

TEST_HARNESS_MAIN
