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
#define GTRACE_F_NO_DROPS	0x8	/* full ring: the thread waits for room */
#define GTRACE_F_ALL		(GTRACE_F_SYSTEM_WIDE | GTRACE_F_RECORDS | \
				 GTRACE_F_NO_FOLLOW | GTRACE_F_NO_DROPS)

/*
 * GTRACE_F_NO_DROPS: a thread whose record finds the ring full waits, on
 * its way back to user mode and never inside the probe, until the reader
 * has made room, for at most GTRACE_A_WAIT_MAX_MS (default below) per
 * record; then the record is dropped and counted as without the flag.
 */
#define GTRACE_WAIT_MAX_MS_DEFAULT	1000
#define GTRACE_WAIT_MAX_MS_LIMIT	60000

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

/*
 * The attributes are listed once, in the schema at the end of this header,
 * and the enums below, the module's request policies and put helpers, the
 * library's reply policies and the tests' message builders are all made
 * from it, so that a new attribute is one new line there. A user defines
 * GTRACE_ATTR(ATTR, TYPE, IN, CHECK) for the top level, or
 * GTRACE_<NEST>_ATTR(ATTR, TYPE) for a nest, includes this header again
 * and gets one expansion per attribute, in id order:
 *
 *	#define GTRACE_SC_ATTR(attr, type) [attr] = POLICY_##type,
 *	#include <linux/gtrace.h>
 *	#undef GTRACE_SC_ATTR
 */
/* Top-level attributes. */
enum gtrace_attr {
	GTRACE_A_UNSPEC,
#define GTRACE_ATTR(attr, ...)	attr,
#include "gtrace.h"
#undef GTRACE_ATTR
	__GTRACE_A_MAX
};

#define GTRACE_A_MAX (__GTRACE_A_MAX - 1)

/* One traced task (thread), nested in GTRACE_A_TASK. */
enum gtrace_task_attr {
	GTRACE_A_TASK_UNSPEC,
#define GTRACE_TASK_ATTR(attr, ...)	attr,
#include "gtrace.h"
#undef GTRACE_TASK_ATTR
	__GTRACE_A_TASK_MAX
};

#define GTRACE_A_TASK_MAX (__GTRACE_A_TASK_MAX - 1)

/* Per-syscall counters of one task. */
enum gtrace_sc_attr {
	GTRACE_A_SC_UNSPEC,
#define GTRACE_SC_ATTR(attr, ...)	attr,
#include "gtrace.h"
#undef GTRACE_SC_ATTR
	__GTRACE_A_SC_MAX
};

#define GTRACE_A_SC_MAX (__GTRACE_A_SC_MAX - 1)

/* Per file class and I/O kind counters of one task. */
enum gtrace_io_attr {
	GTRACE_A_IO_UNSPEC,
#define GTRACE_IO_ATTR(attr, ...)	attr,
#include "gtrace.h"
#undef GTRACE_IO_ATTR
	__GTRACE_A_IO_MAX
};

#define GTRACE_A_IO_MAX (__GTRACE_A_IO_MAX - 1)

/* Failed calls of one task by syscall and errno. */
enum gtrace_err_attr {
	GTRACE_A_ERR_UNSPEC,
#define GTRACE_ERR_ATTR(attr, ...)	attr,
#include "gtrace.h"
#undef GTRACE_ERR_ATTR
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
	__u64 args[6];		/* the raw arguments, as the call was made */
	__u64 ip;		/* user instruction pointer after the call */
	__u32 pid;		/* thread group of tid */
	__u32 flags;		/* GTRACE_RF_* */
	__u64 wait_ns;		/* GTRACE_RF_WAITED: time waiting for room */
	__u64 reserved[3];	/* zero */
};

/* struct gtrace_record flags */
#define GTRACE_RF_WAITED	0x1	/* stored after a wait for room */

struct gtrace_ring_header {
	__u64 producer_pos;
	__u64 dropped;		/* records that found the ring full */
	__u64 written;		/* records stored */
	__u32 data_size;	/* bytes, power of two */
	__u32 record_size;	/* sizeof(struct gtrace_record) */
	__u32 cpu;
	__u32 watermark;	/* poll() wakes at this many bytes pending */
	__u32 waiters;		/* threads waiting for room (GTRACE_F_NO_DROPS) */
	__u32 pad;
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
/* Room was made: wake the threads waiting for it (see waiters). */
#define GTRACE_IOC_WAKE		_IO(GTRACE_IOC_MAGIC, 3)

#endif /* _UAPI_LINUX_GTRACE_H */

/*
 * The attribute schema, read each time this header is included with a
 * GTRACE_*_ATTR macro defined (see the enums above). One line per
 * attribute:
 *
 * - Ids follow the line order from 1 (0 is UNSPEC): append at the end of
 *   a list, never reorder or remove, the numbers are the binary interface.
 * - TYPE: U8, U32, U64, STRING, NESTED, HIST (binary,
 *   __u32[GTRACE_HIST_BUCKETS]) or PAD (only aligns the 64-bit values
 *   that follow it; first in every list, so always id 1).
 * - Top-level lines have two more columns: IN, the requests that take the
 *   attribute (NEW: SESSION_NEW; ID: the commands that name a session;
 *   OUT: none, replies and events only), and CHECK, what the module
 *   requires of it there (ANY: any value; POS: at least 1; FLAGS: only
 *   known GTRACE_F_* bits; -: not a request attribute).
 */
#ifdef GTRACE_ATTR
GTRACE_ATTR(GTRACE_A_PAD, PAD, OUT, -)
GTRACE_ATTR(GTRACE_A_SESSION_ID, U32, ID, POS)
GTRACE_ATTR(GTRACE_A_TARGET_PID, U32, NEW, POS)	/* caller's pid ns */
GTRACE_ATTR(GTRACE_A_FLAGS, U32, NEW, FLAGS)	/* GTRACE_F_* */
GTRACE_ATTR(GTRACE_A_CGROUP_FD, U32, NEW, ANY)	/* cgroup v2 dir */
GTRACE_ATTR(GTRACE_A_SAMPLE_EVERY, U32, NEW, POS)	/* 1 in N tgids */
GTRACE_ATTR(GTRACE_A_RING_PAGES, U32, NEW, POS)	/* per CPU, 2^n */
GTRACE_ATTR(GTRACE_A_STATE, U8, OUT, -)	/* gtrace_session_state */
GTRACE_ATTR(GTRACE_A_TASK, NESTED, OUT, -)	/* GTRACE_A_TASK_* */
GTRACE_ATTR(GTRACE_A_VERSION, STRING, OUT, -)
GTRACE_ATTR(GTRACE_A_SESSIONS, U32, OUT, -)
GTRACE_ATTR(GTRACE_A_PROBES, U8, OUT, -)	/* 1: registered */
GTRACE_ATTR(GTRACE_A_DROPS, U64, OUT, -)	/* ring records dropped */
GTRACE_ATTR(GTRACE_A_MEM_BYTES, U64, OUT, -)	/* the module holds */
GTRACE_ATTR(GTRACE_A_TASKS, U32, OUT, -)	/* tasks in a session */
GTRACE_ATTR(GTRACE_A_TASKS_LOST, U64, OUT, -)	/* not stored (limits) */
GTRACE_ATTR(GTRACE_A_CALLS_LOST, U64, OUT, -)	/* syscalls not counted */
GTRACE_ATTR(GTRACE_A_RECORDS, U64, OUT, -)	/* ring records written */
GTRACE_ATTR(GTRACE_A_START_NS, U64, OUT, -)	/* CLOCK_MONOTONIC */
GTRACE_ATTR(GTRACE_A_STOP_NS, U64, OUT, -)	/* CLOCK_MONOTONIC */
GTRACE_ATTR(GTRACE_A_NR_CPUS, U32, OUT, -)	/* rings in the session */
GTRACE_ATTR(GTRACE_A_WAIT_MAX_MS, U32, NEW, POS)	/* GTRACE_F_NO_DROPS */
GTRACE_ATTR(GTRACE_A_WAITS, U64, OUT, -)	/* waits for room */
GTRACE_ATTR(GTRACE_A_WAIT_NS, U64, OUT, -)	/* their total time */
#endif

#ifdef GTRACE_TASK_ATTR
GTRACE_TASK_ATTR(GTRACE_A_TASK_PAD, PAD)
GTRACE_TASK_ATTR(GTRACE_A_TASK_TID, U32)	/* as seen in the initial pid ns */
GTRACE_TASK_ATTR(GTRACE_A_TASK_TGID, U32)
GTRACE_TASK_ATTR(GTRACE_A_TASK_PPID, U32)
GTRACE_TASK_ATTR(GTRACE_A_TASK_COMM, STRING)
GTRACE_TASK_ATTR(GTRACE_A_TASK_FLAGS, U32)	/* GTRACE_TF_* */
GTRACE_TASK_ATTR(GTRACE_A_TASK_START_NS, U64)	/* CLOCK_MONOTONIC */
GTRACE_TASK_ATTR(GTRACE_A_TASK_EXIT_NS, U64)	/* CLOCK_MONOTONIC */
GTRACE_TASK_ATTR(GTRACE_A_TASK_EXIT_CODE, U32)	/* wait(2) status */
GTRACE_TASK_ATTR(GTRACE_A_TASK_RSS_PEAK, U64)	/* bytes */
GTRACE_TASK_ATTR(GTRACE_A_TASK_VM_PEAK, U64)	/* bytes */
GTRACE_TASK_ATTR(GTRACE_A_TASK_NVCSW, U64)	/* voluntary context switches */
GTRACE_TASK_ATTR(GTRACE_A_TASK_NIVCSW, U64)	/* involuntary */
GTRACE_TASK_ATTR(GTRACE_A_TASK_SYSCALL, NESTED)	/* GTRACE_A_SC_*, repeated */
GTRACE_TASK_ATTR(GTRACE_A_TASK_IO, NESTED)	/* GTRACE_A_IO_*, repeated */
GTRACE_TASK_ATTR(GTRACE_A_TASK_ERRNO, NESTED)	/* GTRACE_A_ERR_*, repeated */
GTRACE_TASK_ATTR(GTRACE_A_TASK_CALLS_LOST, U64)
#endif

#ifdef GTRACE_SC_ATTR
GTRACE_SC_ATTR(GTRACE_A_SC_PAD, PAD)
GTRACE_SC_ATTR(GTRACE_A_SC_NR, U32)
GTRACE_SC_ATTR(GTRACE_A_SC_ABI, U8)	/* enum gtrace_abi */
GTRACE_SC_ATTR(GTRACE_A_SC_CALLS, U64)
GTRACE_SC_ATTR(GTRACE_A_SC_ERRORS, U64)	/* calls that returned -errno */
GTRACE_SC_ATTR(GTRACE_A_SC_TOTAL_NS, U64)
GTRACE_SC_ATTR(GTRACE_A_SC_MIN_NS, U64)
GTRACE_SC_ATTR(GTRACE_A_SC_MAX_NS, U64)
GTRACE_SC_ATTR(GTRACE_A_SC_HIST, HIST)
#endif

#ifdef GTRACE_IO_ATTR
GTRACE_IO_ATTR(GTRACE_A_IO_PAD, PAD)
GTRACE_IO_ATTR(GTRACE_A_IO_CLASS, U8)	/* enum gtrace_fclass */
GTRACE_IO_ATTR(GTRACE_A_IO_KIND, U8)	/* enum gtrace_io_kind */
GTRACE_IO_ATTR(GTRACE_A_IO_CALLS, U64)
GTRACE_IO_ATTR(GTRACE_A_IO_BYTES, U64)
GTRACE_IO_ATTR(GTRACE_A_IO_NS, U64)
#endif

#ifdef GTRACE_ERR_ATTR
GTRACE_ERR_ATTR(GTRACE_A_ERR_PAD, PAD)
GTRACE_ERR_ATTR(GTRACE_A_ERR_NR, U32)
GTRACE_ERR_ATTR(GTRACE_A_ERR_ABI, U8)	/* enum gtrace_abi */
GTRACE_ERR_ATTR(GTRACE_A_ERR_ERRNO, U32)	/* positive */
GTRACE_ERR_ATTR(GTRACE_A_ERR_COUNT, U64)
#endif
