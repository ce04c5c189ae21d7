// SPDX-License-Identifier: GPL-2.0
/*
 * The generated syscall and errno tables, checked against known numbers,
 * against what libc says (SYS_* macros, strerrorname_np()), and against
 * themselves (every name maps back to its number).
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include <gtrace/client.h>
#include "kselftest_harness.h"

TEST(x86_64_known_numbers)
{
	EXPECT_STREQ("getppid", gt_syscall_name(GTRACE_ABI_X86_64, 110));
	EXPECT_EQ(110, gt_syscall_nr(GTRACE_ABI_X86_64, "getppid"));
	EXPECT_STREQ("read", gt_syscall_name(GTRACE_ABI_X86_64, 0));
	EXPECT_STREQ("write", gt_syscall_name(GTRACE_ABI_X86_64, 1));
	EXPECT_STREQ("rt_sigaction", gt_syscall_name(GTRACE_ABI_X86_64, 13));
	EXPECT_EQ(257, gt_syscall_nr(GTRACE_ABI_X86_64, "openat"));
	EXPECT_EQ(59, gt_syscall_nr(GTRACE_ABI_X86_64, "execve"));
}

/* libc's SYS_ numbers are the native (x86_64) ABI's. */
TEST(x86_64_agrees_with_libc)
{
	EXPECT_STREQ("getppid", gt_syscall_name(GTRACE_ABI_X86_64, SYS_getppid));
	EXPECT_STREQ("openat", gt_syscall_name(GTRACE_ABI_X86_64, SYS_openat));
	EXPECT_STREQ("clone3", gt_syscall_name(GTRACE_ABI_X86_64, SYS_clone3));
	EXPECT_STREQ("exit_group", gt_syscall_name(GTRACE_ABI_X86_64, SYS_exit_group));
	EXPECT_STREQ("io_uring_setup",
		     gt_syscall_name(GTRACE_ABI_X86_64, SYS_io_uring_setup));
}

TEST(ia32_known_numbers)
{
	EXPECT_STREQ("getppid", gt_syscall_name(GTRACE_ABI_IA32, 64));
	EXPECT_EQ(64, gt_syscall_nr(GTRACE_ABI_IA32, "getppid"));
	EXPECT_STREQ("exit", gt_syscall_name(GTRACE_ABI_IA32, 1));
	EXPECT_STREQ("read", gt_syscall_name(GTRACE_ABI_IA32, 3));
	EXPECT_STREQ("socketcall", gt_syscall_name(GTRACE_ABI_IA32, 102));
	EXPECT_EQ(140, gt_syscall_nr(GTRACE_ABI_IA32, "_llseek"));
	/* Only on ia32, never in the x86_64 table. */
	EXPECT_EQ(-ENOENT, gt_syscall_nr(GTRACE_ABI_X86_64, "socketcall"));
}

/* x32 numbers come without __X32_SYSCALL_BIT. */
TEST(x32_numbers)
{
	int nr = gt_syscall_nr(GTRACE_ABI_X32, "rt_sigaction");

	EXPECT_STREQ("read", gt_syscall_name(GTRACE_ABI_X32, 0));
	EXPECT_STREQ("getppid", gt_syscall_name(GTRACE_ABI_X32, 110));
	EXPECT_EQ(110, gt_syscall_nr(GTRACE_ABI_X32, "getppid"));
	/* 512 from <asm/unistd_x32.h>; 13 where the build fell back to x86_64. */
	EXPECT_TRUE(nr == 512 || nr == 13);
	EXPECT_GT(0x40000000U, gt_syscall_count(GTRACE_ABI_X32));
}

TEST(every_name_maps_back_to_its_number)
{
	unsigned int abi, nr, named;

	for (abi = 0; abi < __GTRACE_ABI_MAX; abi++) {
		named = 0;
		for (nr = 0; nr < gt_syscall_count(abi); nr++) {
			const char *name = gt_syscall_name(abi, nr);

			if (!name)
				continue;
			named++;
			ASSERT_EQ((int)nr, gt_syscall_nr(abi, name)) {
				TH_LOG("%s: %s", gt_abi_name(abi), name);
			}
		}
		/* The whole table, not a hand-kept subset. */
		EXPECT_LT(300U, named) {
			TH_LOG("%s: only %u syscalls", gt_abi_name(abi), named);
		}
	}
}

TEST(unknown_syscalls)
{
	EXPECT_EQ(NULL, gt_syscall_name(GTRACE_ABI_X86_64, 100000));
	EXPECT_EQ(NULL, gt_syscall_name(GTRACE_ABI_X86_64, 400));	/* gap */
	EXPECT_EQ(NULL, gt_syscall_name(__GTRACE_ABI_MAX, 0));
	EXPECT_EQ(-ENOENT, gt_syscall_nr(GTRACE_ABI_X86_64, "no_such_call"));
	EXPECT_EQ(-ENOENT, gt_syscall_nr(GTRACE_ABI_X86_64, ""));
	EXPECT_EQ(-EINVAL, gt_syscall_nr(__GTRACE_ABI_MAX, "read"));
	EXPECT_EQ(0U, gt_syscall_count(__GTRACE_ABI_MAX));
}

TEST(errno_known_values)
{
	EXPECT_STREQ("EBADF", gt_errno_name(9));
	EXPECT_EQ(9, gt_errno_nr("EBADF"));
	EXPECT_STREQ("ENOENT", gt_errno_name(ENOENT));
	EXPECT_STREQ("EAGAIN", gt_errno_name(EAGAIN));
	EXPECT_STREQ("EOPNOTSUPP", gt_errno_name(EOPNOTSUPP));
	EXPECT_STREQ("EHWPOISON", gt_errno_name(EHWPOISON));
	/* Aliases resolve by name; the number keeps its main name. */
	EXPECT_EQ(EAGAIN, gt_errno_nr("EWOULDBLOCK"));
	EXPECT_EQ(EOPNOTSUPP, gt_errno_nr("ENOTSUP"));
	EXPECT_EQ(EDEADLK, gt_errno_nr("EDEADLOCK"));
	/* What a syscall exit can show before signal handling restarts it. */
	EXPECT_STREQ("ERESTARTSYS", gt_errno_name(512));
	EXPECT_EQ(516, gt_errno_nr("ERESTART_RESTARTBLOCK"));
}

TEST(errno_unknown)
{
	EXPECT_EQ(NULL, gt_errno_name(0));
	EXPECT_EQ(NULL, gt_errno_name(-1));
	EXPECT_EQ(NULL, gt_errno_name(4095));
	EXPECT_EQ(NULL, gt_errno_name(1 << 30));
	EXPECT_EQ(-ENOENT, gt_errno_nr("ENOTANERROR"));
	EXPECT_EQ(-ENOENT, gt_errno_nr("ebadf"));
}

TEST(errno_round_trip_and_libc)
{
	unsigned int named = 0;
	int e;

	for (e = 1; e < 4096; e++) {
		const char *name = gt_errno_name(e);

		if (!name)
			continue;
		named++;
		ASSERT_EQ(e, gt_errno_nr(name));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
		if (strerrorname_np(e))
			EXPECT_STREQ(strerrorname_np(e), name);
#endif
	}
	EXPECT_LT(100U, named);
}

TEST(enum_names)
{
	EXPECT_STREQ("x86_64", gt_abi_name(GTRACE_ABI_X86_64));
	EXPECT_STREQ("ia32", gt_abi_name(GTRACE_ABI_IA32));
	EXPECT_STREQ("x32", gt_abi_name(GTRACE_ABI_X32));
	EXPECT_STREQ("?", gt_abi_name(__GTRACE_ABI_MAX));
	EXPECT_EQ(GTRACE_ABI_IA32, gt_abi_from_name("ia32"));
	EXPECT_EQ(-EINVAL, gt_abi_from_name("arm64"));

	EXPECT_STREQ("none", gt_fclass_name(GTRACE_FC_NONE));
	EXPECT_STREQ("regular", gt_fclass_name(GTRACE_FC_REGULAR));
	EXPECT_STREQ("pipe", gt_fclass_name(GTRACE_FC_PIPE));
	EXPECT_STREQ("socket", gt_fclass_name(GTRACE_FC_SOCKET));
	EXPECT_STREQ("tty", gt_fclass_name(GTRACE_FC_TTY));
	EXPECT_STREQ("gpu", gt_fclass_name(GTRACE_FC_GPU));
	EXPECT_STREQ("char", gt_fclass_name(GTRACE_FC_CHAR));
	EXPECT_STREQ("other", gt_fclass_name(GTRACE_FC_OTHER));
	EXPECT_STREQ("?", gt_fclass_name(__GTRACE_FC_MAX));

	EXPECT_STREQ("read", gt_io_kind_name(GTRACE_IO_READ));
	EXPECT_STREQ("write", gt_io_kind_name(GTRACE_IO_WRITE));
	EXPECT_STREQ("ioctl", gt_io_kind_name(GTRACE_IO_IOCTL));
	EXPECT_STREQ("mmap", gt_io_kind_name(GTRACE_IO_MMAP));
	EXPECT_STREQ("?", gt_io_kind_name(__GTRACE_IO_MAX));

	EXPECT_STREQ("new", gt_state_name(GTRACE_STATE_NEW));
	EXPECT_STREQ("running", gt_state_name(GTRACE_STATE_RUNNING));
	EXPECT_STREQ("stopped", gt_state_name(GTRACE_STATE_STOPPED));
	EXPECT_STREQ("done", gt_state_name(GTRACE_STATE_DONE));
	EXPECT_STREQ("?", gt_state_name(99));
	EXPECT_STREQ(GTRACE_VERSION, gt_lib_version());
}

TEST_HARNESS_MAIN
