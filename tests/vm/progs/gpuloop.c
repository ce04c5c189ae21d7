// SPDX-License-Identifier: GPL-2.0
/*
 * gpuloop DEVICE N: N rounds of write(2), read(2) of 256 KiB and ioctl(2)
 * on DEVICE, a node named like a GPU (/dev/nvidia*; the test gives it
 * /dev/zero's numbers, so that reads copy like a transfer would), so that
 * most of the run is spent in syscalls gtrace files under the gpu class:
 * the PCIeBottleneck subject.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[256 * 1024];
	long n = argc > 2 ? atol(argv[2]) : 1000;
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		return 1;
	while (n-- > 0) {
		if (write(fd, buf, 4096) < 0 ||
		    read(fd, buf, sizeof(buf)) != sizeof(buf))
			return 1;
		ioctl(fd, 0x4600, 0);	/* fails (ENOTTY): still a gpu ioctl */
	}
	close(fd);
	return 0;
}
