/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * gtrace user-kernel interface: the generic netlink family, its attributes,
 * the /dev/gtrace ring layout and the per-call record. Shared unchanged by
 * gtrace.ko and the userspace tools. See Documentation/netlink.md and
 * Documentation/ring.md.
 */
#ifndef _UAPI_LINUX_GTRACE_H
#define _UAPI_LINUX_GTRACE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define GTRACE_VERSION		"0.1.0"

#define GTRACE_GENL_NAME	"gtrace"
#define GTRACE_GENL_VERSION	1
#define GTRACE_MCGRP_EVENTS	"events"

/* Syscall ABIs, counted apart and never folded into one another. */
enum gtrace_abi {
	GTRACE_ABI_X86_64,
	GTRACE_ABI_IA32,
	GTRACE_ABI_X32,
	__GTRACE_ABI_MAX
};

/* Class of the file a read/write/ioctl/mmap call used. */
enum gtrace_fclass {
	GTRACE_FC_NONE,		/* no file descriptor involved */
	GTRACE_FC_REGULAR,
	GTRACE_FC_PIPE,
	GTRACE_FC_SOCKET,
	GTRACE_FC_TTY,
	GTRACE_FC_GPU,		/* /dev/nvidia*, /dev/dri/, /dev/kfd, /dev/accel/ */
	GTRACE_FC_CHAR,		/* any other character device */
	GTRACE_FC_OTHER,	/* directories, block devices, anon inodes ... */
	__GTRACE_FC_MAX
};

/* Kind of file I/O call, the second index of the per-task I/O table. */
enum gtrace_io_kind {
	GTRACE_IO_READ,		/* read, pread64, readv, preadv[2], recv* */
	GTRACE_IO_WRITE,	/* write, pwrite64, writev, pwritev[2], send* */
	GTRACE_IO_IOCTL,
	GTRACE_IO_MMAP,		/* mmap of a file descriptor; bytes = length */
	__GTRACE_IO_MAX
};

/*
 * Latency histogram: bucket 0 counts calls under 2 ns, bucket i (1..30)
 * calls of [2^i, 2^(i+1)) ns and the last bucket everything from 2^31 ns
 * (about 2.1 s) on.
 */
#define GTRACE_HIST_BUCKETS	32

/* GTRACE_A_FLAGS of SESSION_NEW */
#define GTRACE_F_SYSTEM_WIDE	0x1	/* every task; CAP_PERFMON */
#define GTRACE_F_RECORDS	0x2	/* per-call records in the ring */
#define GTRACE_F_NO_FOLLOW	0x4	/* do not follow new children */
#define GTRACE_F_ALL		(GTRACE_F_SYSTEM_WIDE | GTRACE_F_RECORDS | \
				 GTRACE_F_NO_FOLLOW)

enum gtrace_session_state {
	GTRACE_STATE_NEW,	/* made, not tracing yet */
	GTRACE_STATE_RUNNING,
	GTRACE_STATE_STOPPED,	/* stopped by request; data kept */
	GTRACE_STATE_DONE,	/* every traced task exited; data kept */
};

/* GTRACE_A_TASK_FLAGS */
#define GTRACE_TF_EXITED	0x1
#define GTRACE_TF_TARGET	0x2	/* the session's target pid */
#define GTRACE_TF_TRUNCATED	0x4	/* some syscalls not stored */
#define GTRACE_TF_DROPPED	0x8	/* exec'd what the owner may not trace */

enum gtrace_cmd {
	GTRACE_CMD_UNSPEC,
	GTRACE_CMD_SESSION_NEW,		/* -> SESSION_ID */
	GTRACE_CMD_SESSION_START,	/* SESSION_ID */
	GTRACE_CMD_SESSION_STOP,	/* SESSION_ID */
	GTRACE_CMD_SESSION_DEL,		/* SESSION_ID */
	GTRACE_CMD_SESSION_GET,		/* SESSION_ID -> session counters */
	GTRACE_CMD_STATS_GET,		/* dump: SESSION_ID -> TASK per msg */
	GTRACE_CMD_STATUS_GET,		/* module status */
	GTRACE_CMD_EVENT_TASK_EXIT,	/* multicast: SESSION_ID, TASK */
	GTRACE_CMD_EVENT_SESSION_DONE,	/* multicast: SESSION_ID */
	__GTRACE_CMD_MAX
};

#define GTRACE_CMD_MAX (__GTRACE_CMD_MAX - 1)

/* Top-level attributes. */
enum gtrace_attr {
	GTRACE_A_UNSPEC,
	GTRACE_A_PAD,
	GTRACE_A_SESSION_ID,		/* u32 */
	GTRACE_A_TARGET_PID,		/* u32, in the caller's pid namespace */
	GTRACE_A_FLAGS,			/* u32, GTRACE_F_* */
	GTRACE_A_CGROUP_FD,		/* u32, fd of a cgroup v2 directory */
	GTRACE_A_SAMPLE_EVERY,		/* u32, trace 1 in N thread groups */
	GTRACE_A_RING_PAGES,		/* u32, data pages per CPU, power of 2 */
	GTRACE_A_STATE,			/* u8, enum gtrace_session_state */
	GTRACE_A_TASK,			/* nest, GTRACE_A_TASK_* */
	GTRACE_A_VERSION,		/* string */
	GTRACE_A_SESSIONS,		/* u32 */
	GTRACE_A_PROBES,		/* u8, 1 when probes are registered */
	GTRACE_A_DROPS,			/* u64, ring records dropped */
	GTRACE_A_MEM_BYTES,		/* u64, memory the module holds */
	GTRACE_A_TASKS,			/* u32, tasks in a session */
	GTRACE_A_TASKS_LOST,		/* u64, tasks not stored (limits) */
	GTRACE_A_CALLS_LOST,		/* u64, syscalls not counted */
	GTRACE_A_RECORDS,		/* u64, ring records written */
	GTRACE_A_START_NS,		/* u64, CLOCK_MONOTONIC */
	GTRACE_A_STOP_NS,		/* u64, CLOCK_MONOTONIC */
	GTRACE_A_NR_CPUS,		/* u32, rings in the session */
	__GTRACE_A_MAX
};

#define GTRACE_A_MAX (__GTRACE_A_MAX - 1)

/* One traced task (thread), nested in GTRACE_A_TASK. */
enum gtrace_task_attr {
	GTRACE_A_TASK_UNSPEC,
	GTRACE_A_TASK_PAD,
	GTRACE_A_TASK_TID,		/* u32, as seen in the initial pid ns */
	GTRACE_A_TASK_TGID,		/* u32 */
	GTRACE_A_TASK_PPID,		/* u32 */
	GTRACE_A_TASK_COMM,		/* string */
	GTRACE_A_TASK_FLAGS,		/* u32, GTRACE_TF_* */
	GTRACE_A_TASK_START_NS,		/* u64, CLOCK_MONOTONIC */
	GTRACE_A_TASK_EXIT_NS,		/* u64, CLOCK_MONOTONIC */
	GTRACE_A_TASK_EXIT_CODE,	/* u32, wait(2) status */
	GTRACE_A_TASK_RSS_PEAK,		/* u64, bytes */
	GTRACE_A_TASK_VM_PEAK,		/* u64, bytes */
	GTRACE_A_TASK_NVCSW,		/* u64, voluntary context switches */
	GTRACE_A_TASK_NIVCSW,		/* u64, involuntary */
	GTRACE_A_TASK_SYSCALL,		/* nest, GTRACE_A_SC_*, repeated */
	GTRACE_A_TASK_IO,		/* nest, GTRACE_A_IO_*, repeated */
	GTRACE_A_TASK_ERRNO,		/* nest, GTRACE_A_ERR_*, repeated */
	GTRACE_A_TASK_CALLS_LOST,	/* u64 */
	__GTRACE_A_TASK_MAX
};

#define GTRACE_A_TASK_MAX (__GTRACE_A_TASK_MAX - 1)

/* Per-syscall counters of one task. */
enum gtrace_sc_attr {
	GTRACE_A_SC_UNSPEC,
	GTRACE_A_SC_PAD,
	GTRACE_A_SC_NR,			/* u32 */
	GTRACE_A_SC_ABI,		/* u8, enum gtrace_abi */
	GTRACE_A_SC_CALLS,		/* u64 */
	GTRACE_A_SC_ERRORS,		/* u64, calls that returned -errno */
	GTRACE_A_SC_TOTAL_NS,		/* u64 */
	GTRACE_A_SC_MIN_NS,		/* u64 */
	GTRACE_A_SC_MAX_NS,		/* u64 */
	GTRACE_A_SC_HIST,		/* binary, __u32[GTRACE_HIST_BUCKETS] */
	__GTRACE_A_SC_MAX
};

#define GTRACE_A_SC_MAX (__GTRACE_A_SC_MAX - 1)

/* Per file class and I/O kind counters of one task. */
enum gtrace_io_attr {
	GTRACE_A_IO_UNSPEC,
	GTRACE_A_IO_PAD,
	GTRACE_A_IO_CLASS,		/* u8, enum gtrace_fclass */
	GTRACE_A_IO_KIND,		/* u8, enum gtrace_io_kind */
	GTRACE_A_IO_CALLS,		/* u64 */
	GTRACE_A_IO_BYTES,		/* u64 */
	GTRACE_A_IO_NS,			/* u64 */
	__GTRACE_A_IO_MAX
};

#define GTRACE_A_IO_MAX (__GTRACE_A_IO_MAX - 1)

/* Failed calls of one task by syscall and errno. */
enum gtrace_err_attr {
	GTRACE_A_ERR_UNSPEC,
	GTRACE_A_ERR_PAD,
	GTRACE_A_ERR_NR,		/* u32 */
	GTRACE_A_ERR_ABI,		/* u8 */
	GTRACE_A_ERR_ERRNO,		/* u32, positive */
	GTRACE_A_ERR_COUNT,		/* u64 */
	__GTRACE_A_ERR_MAX
};

#define GTRACE_A_ERR_MAX (__GTRACE_A_ERR_MAX - 1)

/*
 * Per-call records: /dev/gtrace, after GTRACE_IOC_ATTACH, maps one ring per
 * possible CPU. Ring c starts at page offset c * stride_pages:
 *
 *   page 0            struct gtrace_ring_consumer   read-write
 *   page 1            struct gtrace_ring_header     read-only
 *   pages 2 ..        data_pages of records         read-only
 *
 * Map the consumer page on its own (PROT_READ | PROT_WRITE) and the header
 * with the data in a second mapping (PROT_READ). Positions count bytes and
 * only grow; a record lives at (pos & (data_size - 1)) and never wraps
 * because data_size is a multiple of the record size. Read producer_pos
 * with acquire semantics, publish consumer_pos with release semantics.
 */
struct gtrace_record {
	__u64 ts_ns;		/* syscall entry, local clock of the CPU */
	__u64 dur_ns;
	__s64 ret;
	__u32 tid;
	__u16 nr;
	__u8 abi;		/* enum gtrace_abi */
	__u8 fclass;		/* enum gtrace_fclass */
};

struct gtrace_ring_header {
	__u64 producer_pos;
	__u64 dropped;		/* records that found the ring full */
	__u64 written;		/* records stored */
	__u32 data_size;	/* bytes, power of two */
	__u32 record_size;	/* sizeof(struct gtrace_record) */
	__u32 cpu;
	__u32 watermark;	/* poll() wakes at this many bytes pending */
};

struct gtrace_ring_consumer {
	__u64 consumer_pos;
};

struct gtrace_ring_info {
	__u32 nr_rings;		/* one per possible CPU */
	__u32 stride_pages;	/* 2 + data_pages */
	__u32 data_pages;
	__u32 record_size;
};

#define GTRACE_IOC_MAGIC	'G'
/* Bind this file to a session's rings; the caller must own the session. */
#define GTRACE_IOC_ATTACH	_IOW(GTRACE_IOC_MAGIC, 1, __u32)
#define GTRACE_IOC_RING_INFO	_IOR(GTRACE_IOC_MAGIC, 2, struct gtrace_ring_info)

#endif /* _UAPI_LINUX_GTRACE_H */
