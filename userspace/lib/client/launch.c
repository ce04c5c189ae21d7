// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the program a client traces: the client forks it blocked on a
 * release pipe, makes and starts the session, then releases it. Between the
 * fork and the block the child still makes calls of its own (closing the
 * pipe's other end, restoring signals); were the session started before it
 * got there, some runs would count them as the program's and others not.
 * gt_wait_blocked_read() is how a client waits for the block.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "client_internal.h"

/*
 * 1 when @pid sleeps in read(@fd), 0 when not (yet), -errno when that
 * cannot be told: the first fields of /proc/PID/syscall are the number of
 * the call it is blocked in and its first argument.
 */
static int blocked_in_read(pid_t pid, int fd)
{
	char path[32], buf[64];
	long nr, arg;
	ssize_t n;
	int f;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -errno;
	n = read(f, buf, sizeof(buf) - 1);
	if (n < 0)
		n = -errno;
	close(f);
	if (n <= 0)
		return n < 0 ? (int)n : -ENODATA;
	buf[n] = '\0';
	return sscanf(buf, "%ld 0x%lx", &nr, &arg) == 2 &&
	       nr == SYS_read && arg == fd;
}

int gt_wait_blocked_read(pid_t pid, int fd, unsigned int timeout_ms)
{
	struct timespec pause = { 0, 200 * 1000 };
	unsigned int i;
	int ret;

	for (i = 0; ; i++) {
		ret = blocked_in_read(pid, fd);
		if (ret)
			return ret < 0 ? ret : 0;
		if (i >= timeout_ms * 5)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
	}
}
