// SPDX-License-Identifier: GPL-2.0
/*
 * writer N SIZE: N write(2)s of SIZE bytes to stdout, nothing else, so
 * that its trace has exactly N writes (SIZE 1: the unbuffered-stdout
 * regression).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[65536];
	long n = argc > 1 ? atol(argv[1]) : 1;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 1;

	if (size > sizeof(buf))
		size = sizeof(buf);
	memset(buf, 'x', size);
	while (n-- > 0)
		if (write(1, buf, size) != (ssize_t)size)
			return 1;
	return 0;
}
