// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod while a session traces a live process is clean: the family goes,
 * the session with it, and the module loads again. With /dev/gtrace open
 * the module is busy and stays.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

TEST(rmmod_with_live_session)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	const char *ko = getenv("GTRACE_KO");
	struct gt_session_info info;
	struct gt_client *cl;
	struct gt_child ch = { .pid = -1, .go = -1 };
	uint32_t id;
	int fd;

	if (!ko || geteuid())
		SKIP(return, "needs root and GTRACE_KO");
	cl = gt_open();
	ASSERT_NE(NULL, cl);
	ASSERT_EQ(0, gt_spawn(&ch, gt_spin_getppid, NULL));
	o.target_pid = ch.pid;
	o.flags = GTRACE_F_RECORDS;
	ASSERT_EQ(0, gt_session_new(cl, &o, &id));
	ASSERT_EQ(0, gt_session_start(cl, id));
	ASSERT_EQ(0, gt_release(&ch));
	usleep(200 * 1000);

	/* An open /dev/gtrace pins the module. */
	fd = open("/dev/gtrace", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_delete_module, "gtrace", O_NONBLOCK));
	EXPECT_TRUE(gt_module_loaded());
	close(fd);

	ASSERT_EQ(0, syscall(SYS_delete_module, "gtrace", O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_FALSE(gt_module_loaded());
	EXPECT_GT(0, gt_session_get(cl, id, &info));
	gt_close(cl);
	kill(ch.pid, SIGKILL);
	gt_wait(&ch);

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	EXPECT_TRUE(gt_module_loaded());
}

TEST_HARNESS_MAIN
