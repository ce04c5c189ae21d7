// SPDX-License-Identifier: GPL-2.0
/*
 * counts N M K [fork]: N getppid, M one-byte writes to /dev/null and K
 * close(-1) (each failing with EBADF); with "fork", a child makes the
 * same calls too. Raw syscalls, no stdio: the counts are exactly these.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void calls(long n, long m, long k, int fd)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	for (i = 0; i < m; i++)
		if (syscall(SYS_write, fd, "x", 1) != 1)
			_exit(3);
	for (i = 0; i < k; i++)
		syscall(SYS_close, -1);
}

int main(int argc, char **argv)
{
	long n, m, k;
	pid_t pid = 0;
	int fd, st;

	if (argc < 4)
		return 2;
	n = atol(argv[1]);
	m = atol(argv[2]);
	k = atol(argv[3]);
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		return 2;
	if (argc > 4 && !strcmp(argv[4], "fork")) {
		pid = fork();
		if (pid < 0)
			return 2;
	}
	calls(n, m, k, fd);
	if (pid > 0 && (waitpid(pid, &st, 0) != pid || st))
		return 4;
	return 0;
}
