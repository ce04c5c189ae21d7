// SPDX-License-Identifier: GPL-2.0
/* Built with -m32: makes argv[1] getppid calls through the ia32 ABI. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 0;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}
