// SPDX-License-Identifier: GPL-2.0
/*
 * The VM loop works: gtrace.ko is loaded, unloads cleanly and loads again.
 * vm-run exports GTRACE_KO, the path of the module it loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/gtrace.h>

#include "kselftest_harness.h"
#include "gt_kselftest.h"

static int read_version(char *buf, size_t len)
{
	FILE *f = fopen("/sys/module/gtrace/version", "r");

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

TEST(module_is_loaded_with_our_version)
{
	char version[64];

	ASSERT_TRUE(gt_module_loaded());
	ASSERT_EQ(0, read_version(version, sizeof(version)));
	EXPECT_STREQ(GTRACE_VERSION, version);
}

TEST(module_unloads_and_reloads)
{
	const char *ko = getenv("GTRACE_KO");
	int fd;

	if (!ko || !*ko)
		SKIP(return, "GTRACE_KO not set (not run by vm-run)");
	if (geteuid() != 0)
		SKIP(return, "needs root");

	ASSERT_TRUE(gt_module_loaded());
	ASSERT_EQ(0, syscall(SYS_delete_module, "gtrace", O_NONBLOCK))
		TH_LOG("delete_module: %s", strerror(errno));
	EXPECT_FALSE(gt_module_loaded());

	fd = open(ko, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", ko, strerror(errno));
	ASSERT_EQ(0, syscall(SYS_finit_module, fd, "", 0))
		TH_LOG("finit_module: %s", strerror(errno));
	close(fd);
	EXPECT_TRUE(gt_module_loaded());
}

TEST_HARNESS_MAIN
