// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_transfer: move buffers to a GPU-like device node the way a GPU
 * runtime without batching does: for every buffer an "allocate" ioctl,
 * the data in many small write()s, a "submit" and a "sync" ioctl. It is
 * the subject of the PCIe-bottleneck check: most of its time is spent in
 * small syscalls on a GPU device.
 *
 * The device is the first argument, else $GTRACE_GPU_DEVICE, else
 * /dev/nvidia-gtrace0. Any character device will do: tests make one with
 * "mknod /dev/nvidia-gtrace0 c 1 3" (the null device under a GPU's name,
 * which gtrace.ko classifies as a GPU by its name). A device without these
 * ioctls answers them with ENOTTY; they are counted all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define DEFAULT_DEVICE	"/dev/nvidia-gtrace0"
#define BUFFERS		16
#define BUF_FLOATS	16384		/* 64 KiB per buffer */
#define CHUNK		4096		/* bytes per write(): a small DMA */

/* A made-up command set, in the style of a GPU driver's. */
struct gt_gpu_alloc {
	uint64_t size;
	uint64_t handle;
};

struct gt_gpu_submit {
	uint64_t handle;
	uint64_t bytes;
};

#define GT_GPU_IOC_ALLOC	_IOWR('G', 0x01, struct gt_gpu_alloc)
#define GT_GPU_IOC_SUBMIT	_IOW('G', 0x02, struct gt_gpu_submit)
#define GT_GPU_IOC_SYNC		_IO('G', 0x03)

struct counts {
	unsigned long ioctls, ioctl_errors, writes;
	unsigned long long bytes;
};

static void gpu_ioctl(int fd, unsigned long req, void *arg, struct counts *c)
{
	c->ioctls++;
	if (ioctl(fd, req, arg) < 0)
		c->ioctl_errors++;
}

static int transfer(int fd, const float *buf, size_t bytes, struct counts *c)
{
	const char *p = (const char *)buf;
	size_t off, len;
	ssize_t n;

	for (off = 0; off < bytes; off += len) {
		len = bytes - off < CHUNK ? bytes - off : CHUNK;
		n = write(fd, p + off, len);
		c->writes++;
		if (n < 0) {
			if (errno == EINTR) {
				len = 0;
				continue;
			}
			return -errno;
		}
		len = n;
		c->bytes += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dev = getenv("GTRACE_GPU_DEVICE");
	struct counts c = { 0 };
	struct ex_ctx x;
	struct stat st;
	float *buf;
	double checksum = 0;
	int first, fd, b, ret;

	first = ex_init(&x, argc, argv,
			"buffers to a GPU device in small ioctl/write calls",
			"[DEVICE]");
	if (first < argc)
		dev = argv[first];
	if (!dev || !*dev)
		dev = DEFAULT_DEVICE;

	fd = open(dev, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		fflush(stdout);
		fprintf(stderr, "%s: cannot open %s: %s\n", x.prog, dev,
			strerror(errno));
		if (errno == ENOENT)
			fprintf(stderr, "make a stand-in (as root): mknod %s c 1 3\n",
				dev);
		return 2;
	}
	if (fstat(fd, &st) == 0 && !S_ISCHR(st.st_mode))
		fprintf(stderr, "%s: warning: %s is not a character device\n",
			x.prog, dev);
	ex_printf(&x, "device: %s\n", dev);
	ex_printf(&x, "plan: %d buffers of %zu KiB, %d-byte writes\n", BUFFERS,
		  BUF_FLOATS * sizeof(float) / 1024, CHUNK);

	buf = ex_alloc(BUF_FLOATS);
	for (b = 0; b < BUFFERS; b++) {
		struct gt_gpu_alloc al = { .size = BUF_FLOATS * sizeof(float) };
		struct gt_gpu_submit sub = { .bytes = al.size };

		/* Fresh data for each buffer, scaled on the CPU first. */
		ex_fill(&x, buf, BUF_FLOATS, -1, 1);
		x.ops->scale(buf, 0.5f, buf, BUF_FLOATS);
		checksum += x.ops->sum(buf, BUF_FLOATS);

		gpu_ioctl(fd, GT_GPU_IOC_ALLOC, &al, &c);
		ret = transfer(fd, buf, al.size, &c);
		if (ret) {
			fflush(stdout);
			fprintf(stderr, "%s: write to %s: %s\n", x.prog, dev,
				strerror(-ret));
			close(fd);
			return 1;
		}
		sub.handle = al.handle;
		gpu_ioctl(fd, GT_GPU_IOC_SUBMIT, &sub, &c);
		gpu_ioctl(fd, GT_GPU_IOC_SYNC, NULL, &c);
	}
	close(fd);
	free(buf);

	ex_printf(&x, "moved %llu bytes in %lu writes and %lu ioctls (%lu answered with an error)\n",
		  c.bytes, c.writes, c.ioctls, c.ioctl_errors);
	ex_printf(&x, "data checksum: %.4f\n", checksum);
	return ex_finish(&x);
}
