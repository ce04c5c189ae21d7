/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libgtrace, the client layer: the userspace side of gtrace.ko. Needs
 * libnl-genl-3 and nothing else.
 *
 * - a control client over generic netlink (sessions, module status, the
 *   per-task per-syscall stats dump),
 * - a reader for the per-call record rings mmap'd from /dev/gtrace,
 * - syscall and errno name tables generated from the system's headers.
 *
 * Functions that can fail return 0 (or a count) on success and a negative
 * errno on failure. A client keeps the text of its last error, which is the
 * kernel's extended ACK message when the kernel sent one: see gt_errmsg().
 * See Documentation/libgtrace.md.
 */
#ifndef GTRACE_CLIENT_H
#define GTRACE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <linux/gtrace.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The GTRACE_VERSION this library was built with. */
const char *gt_lib_version(void);

/* ---- control client ---------------------------------------------------- */

struct gt_client;

/*
 * Connect to the gtrace generic netlink family. Returns NULL with errno set
 * on failure; gt_errmsg(NULL) then says why (ENOENT: module not loaded).
 * Sessions belong to the client that made them and end with gt_close().
 */
struct gt_client *gt_open(void);
void gt_close(struct gt_client *cl);

/*
 * Text of the last error of @cl: the kernel's extack message when there was
 * one, else strerror(). With @cl NULL, the reason the calling thread's last
 * gt_open() failed. Never NULL; "" when there was no error.
 */
const char *gt_errmsg(const struct gt_client *cl);

/* ---- sessions ---------------------------------------------------------- */

/*
 * Options of a new session. Zero means "not set" (the attribute is not
 * sent and the module's default applies), except for cgroup_fd where a
 * negative value means not set: start from GT_SESSION_OPTS_INIT.
 */
struct gt_session_opts {
	uint32_t target_pid;	/* in the caller's pid namespace */
	uint32_t flags;		/* GTRACE_F_* */
	int cgroup_fd;		/* fd of a cgroup v2 directory, or -1 */
	uint32_t sample_every;	/* trace 1 in N thread groups */
	uint32_t ring_pages;	/* data pages per CPU, power of two */
	uint32_t wait_max_ms;	/* GTRACE_F_NO_DROPS: longest wait, 0 default */
};

#define GT_SESSION_OPTS_INIT	{ .cgroup_fd = -1 }

int gt_session_new(struct gt_client *cl, const struct gt_session_opts *opts,
		   uint32_t *id);
int gt_session_start(struct gt_client *cl, uint32_t id);

/*
 * For a client that forks the program it traces, blocked on a release
 * pipe: wait until child @pid sleeps in read() of @fd (its end of the
 * pipe) before starting the session, so that none of the child's own calls
 * before the block is counted. 0, -ETIMEDOUT after @timeout_ms, or -errno
 * when /proc/PID/syscall cannot tell (then go on: nothing better is known).
 */
int gt_wait_blocked_read(pid_t pid, int fd, unsigned int timeout_ms);
int gt_session_stop(struct gt_client *cl, uint32_t id);
int gt_session_del(struct gt_client *cl, uint32_t id);

struct gt_session_info {
	uint32_t id;
	uint8_t state;		/* enum gtrace_session_state */
	uint32_t tasks;
	uint64_t tasks_lost;
	uint64_t calls_lost;
	uint64_t records;
	uint64_t drops;
	uint64_t start_ns;	/* CLOCK_MONOTONIC */
	uint64_t stop_ns;
	uint32_t nr_cpus;
	uint64_t waits;		/* GTRACE_F_NO_DROPS: waits for room */
	uint64_t wait_ns;	/* and the time the threads spent in them */
};

int gt_session_get(struct gt_client *cl, uint32_t id,
		   struct gt_session_info *info);

/* ---- module status ----------------------------------------------------- */

struct gt_status {
	char version[32];
	uint32_t sessions;
	bool probes;		/* tracepoint probes registered */
	uint64_t drops;
	uint64_t mem_bytes;
};

int gt_status(struct gt_client *cl, struct gt_status *st);

/* ---- per-task stats ---------------------------------------------------- */

#define GT_COMM_LEN	32

struct gt_syscall_stat {
	uint32_t nr;
	uint8_t abi;		/* enum gtrace_abi */
	uint64_t calls;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t min_ns;	/* 0 when calls is 0 */
	uint64_t max_ns;
	uint64_t hist[GTRACE_HIST_BUCKETS];
};

struct gt_io_stat {
	uint64_t calls;
	uint64_t bytes;
	uint64_t ns;
};

struct gt_errno_stat {
	uint32_t nr;
	uint8_t abi;
	uint32_t err;		/* positive errno */
	uint64_t count;
};

struct gt_task {
	uint32_t tid;
	uint32_t tgid;
	uint32_t ppid;
	char comm[GT_COMM_LEN];
	uint32_t flags;		/* GTRACE_TF_* */
	uint64_t start_ns;
	uint64_t exit_ns;
	uint32_t exit_code;	/* wait(2) status */
	uint64_t rss_peak;
	uint64_t vm_peak;
	uint64_t nvcsw;
	uint64_t nivcsw;
	uint64_t calls_lost;
	size_t nr_syscalls;
	struct gt_syscall_stat *syscalls;	/* sorted by (abi, nr) */
	size_t nr_errnos;
	struct gt_errno_stat *errnos;		/* sorted by (abi, nr, err) */
	struct gt_io_stat io[__GTRACE_FC_MAX][__GTRACE_IO_MAX];
};

struct gt_stats {
	uint32_t session_id;
	size_t nr_tasks;
	struct gt_task *tasks;	/* in the order the kernel sent them */
};

/*
 * Dump the per-task counters of session @id. Parts of one task that the
 * kernel sent in several messages are merged. Free with gt_stats_free().
 */
int gt_stats_dump(struct gt_client *cl, uint32_t id, struct gt_stats **out);
void gt_stats_free(struct gt_stats *st);
/* The task of thread @tid in @st, or NULL. */
const struct gt_task *gt_stats_task(const struct gt_stats *st, uint32_t tid);

/* Everything in a gt_stats added up over its tasks. */
struct gt_summary {
	size_t nr_tasks;
	uint64_t calls;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t calls_lost;
	uint64_t rss_peak;	/* largest of any task */
	uint64_t vm_peak;
	size_t nr_syscalls;
	struct gt_syscall_stat *syscalls;	/* per (abi, nr), sorted */
	size_t nr_errnos;
	struct gt_errno_stat *errnos;		/* per (abi, nr, err), sorted */
	struct gt_io_stat io[__GTRACE_FC_MAX][__GTRACE_IO_MAX];
};

int gt_stats_summarize(const struct gt_stats *st, struct gt_summary **out);
void gt_summary_free(struct gt_summary *sum);
const struct gt_syscall_stat *gt_summary_find(const struct gt_summary *sum,
					      uint8_t abi, uint32_t nr);

/*
 * The order of every sorted table of syscalls and errnos: by ABI, then
 * syscall number, then errno (0 for a syscall row). Returns <0, 0 or >0.
 */
int gt_key_cmp(uint8_t abi_a, uint32_t nr_a, uint32_t err_a,
	       uint8_t abi_b, uint32_t nr_b, uint32_t err_b);
/* That order on gt_syscall_stat and gt_errno_stat, for qsort and bsearch. */
int gt_syscall_stat_cmp(const void *a, const void *b);
int gt_errno_stat_cmp(const void *a, const void *b);

/* Add @src into @dst; both must be for the same (abi, nr). */
void gt_syscall_stat_merge(struct gt_syscall_stat *dst,
			   const struct gt_syscall_stat *src);
void gt_hist_merge(uint64_t dst[GTRACE_HIST_BUCKETS],
		   const uint64_t src[GTRACE_HIST_BUCKETS]);

/* Smallest latency (ns) of bucket @i: 0, then 2^i. */
uint64_t gt_hist_bucket_lo(unsigned int i);

/*
 * Upper bound (ns, exclusive) of the bucket holding the @q quantile
 * (0 <= q <= 1) of @hist, UINT64_MAX for the open last bucket, 0 when the
 * histogram is empty.
 */
uint64_t gt_hist_quantile(const uint64_t hist[GTRACE_HIST_BUCKETS], double q);

/* ---- per-call record rings (/dev/gtrace) ------------------------------- */

struct gt_ring;

/*
 * Called per record, which stays valid only until the callback returns.
 * Return 0 to go on, > 0 to stop, < 0 to stop and fail with that value.
 */
typedef int (*gt_ring_cb)(const struct gtrace_record *rec, unsigned int ring,
			  void *ctx);

/* Attach to the rings of session @id, which the caller must own. */
int gt_ring_open(uint32_t session_id, struct gt_ring **out);
void gt_ring_close(struct gt_ring *ring);

unsigned int gt_ring_count(const struct gt_ring *ring);
/* The kernel's record size (the rings' headers agree), 0 without rings. */
size_t gt_ring_record_size(const struct gt_ring *ring);

/* Wait up to @timeout_ms (-1: forever): 1 data ready, 0 timed out, -errno. */
int gt_ring_poll(struct gt_ring *ring, int timeout_ms);

/*
 * Hand every pending record to @cb, ring by ring, each ring in order, and
 * free their space. Returns the number of records handed over, the
 * callback's negative return, or -EPROTO when a ring's positions make no
 * sense. Records of different rings are not ordered with each other.
 */
int gt_ring_consume(struct gt_ring *ring, gt_ring_cb cb, void *ctx);

/*
 * Called with @n (>= 1) consecutive records of one ring, @rec_size bytes
 * apart (the kernel's record size, at least sizeof(struct gtrace_record)),
 * valid only until the callback returns. Same return values as gt_ring_cb.
 */
typedef int (*gt_ring_batch_cb)(const void *recs, size_t n, size_t rec_size,
				unsigned int ring, void *ctx);

/*
 * gt_ring_consume() a batch at a time: at most two calls per ring (the
 * pending span may wrap around the ring's end), then the space is freed.
 * The cheapest way to move records elsewhere, a file for instance.
 */
int gt_ring_consume_batch(struct gt_ring *ring, gt_ring_batch_cb cb, void *ctx);

/* Bytes waiting to be consumed, over all rings. */
uint64_t gt_ring_pending(const struct gt_ring *ring);

/* Records the kernel dropped because a ring was full, over all rings. */
uint64_t gt_ring_drops(const struct gt_ring *ring);

/* ---- records files (Documentation/records-file.md) --------------------- */

/*
 * A run's per-call records as the kernel wrote them, in a compact file:
 * header, chunks of records (one ring each), trailer, end marker. Written
 * by gtrace-run --records-file, read by gtrace report and by anyone with
 * this library. All integers little-endian.
 */
#define GT_RECORDS_MAGIC	"GTRECORD"	/* the first 8 bytes */
#define GT_RECORDS_END_MAGIC	"GTRECEND"
#define GT_RECORDS_VERSION	1
#define GT_RECORDS_CLOCK_LOCAL	1	/* ts_ns: each CPU's local clock */

struct gt_records_header {
	uint32_t version;	/* read: the file's; written: GT_RECORDS_VERSION */
	uint32_t record_size;	/* bytes per record; 0 when writing: ours */
	uint32_t nr_rings;	/* chunks name rings 0 .. nr_rings - 1 */
	uint32_t flags;		/* the session's GTRACE_F_* */
	uint32_t wait_max_ms;	/* GTRACE_F_NO_DROPS: the bound; 0 default */
	uint32_t root;		/* tid of the traced root */
	uint64_t start_ns;	/* CLOCK_REALTIME at the start */
	uint64_t t0_ns;		/* CLOCK_MONOTONIC at the start */
	uint32_t clock;		/* GT_RECORDS_CLOCK_* of the records' ts_ns */
	const char *command;	/* argv joined with spaces */
};

struct gt_records_task {
	uint32_t tid;
	uint32_t tgid;
	uint32_t ppid;
	uint32_t flags;		/* GTRACE_TF_* */
	uint32_t exit_code;	/* wait(2) status */
	uint64_t start_ns;
	uint64_t exit_ns;
	uint64_t rss_peak;
	uint64_t vm_peak;
	char comm[GT_COMM_LEN];
};

#define GT_RECORDS_ATTACHED	0x1	/* gtrace-run -p: the root is not ours */

struct gt_records_trailer {
	uint64_t records;	/* in the file (the writer counts them) */
	uint64_t written;	/* the rings' own count of stored records */
	uint64_t dropped;	/* records the rings had no room for */
	uint64_t waits;		/* GTRACE_F_NO_DROPS: waits for room */
	uint64_t wait_ns;	/* and their total time */
	uint64_t t_end_ns;	/* CLOCK_MONOTONIC at the end of the run */
	uint64_t tasks_lost;
	uint64_t calls_lost;
	int32_t wait_status;	/* wait(2) status of the root */
	uint32_t flags;		/* GT_RECORDS_ATTACHED */
	char kernel[64];	/* uname -r */
	char module_version[32];
	size_t nr_tasks;
	struct gt_records_task *tasks;
};

/*
 * Writing: _begin() writes the header to @out, _add() a chunk of @n
 * records of ring @ring (@rec_size must be the header's record_size),
 * _end() the trailer and the end marker, then flushes; it frees @w, as
 * _free() does without writing anything more. 0, -EINVAL, -ENOMEM or
 * -EIO (sticks). Put the file in place only when _end() succeeded.
 */
struct gt_records_writer;
int gt_records_writer_begin(FILE *out, const struct gt_records_header *h,
			    struct gt_records_writer **w);
int gt_records_writer_add(struct gt_records_writer *w, const void *recs,
			  size_t n, size_t rec_size, unsigned int ring);
int gt_records_writer_end(struct gt_records_writer *w,
			  const struct gt_records_trailer *t);
void gt_records_writer_free(struct gt_records_writer *w);

/* What a bad file did wrong: msg is "FILE: offset N: reason". */
struct gt_records_error {
	uint64_t offset;
	char msg[512];
};

/*
 * Reading: _open() reads and checks the header (path "-" is stdin);
 * _next() gives the records one by one (1), then reads and checks the
 * trailer and the end marker (0: the file is whole and consistent; the
 * trailer is then there). A record lives until the next call. A file
 * that is not one, truncated or inconsistent gives -EINVAL with @err
 * filled in; -ENOMEM; -errno of a read.
 */
struct gt_records_file;
int gt_records_file_open(const char *path, struct gt_records_file **f,
			 struct gt_records_error *err);
int gt_records_file_next(struct gt_records_file *f,
			 const struct gtrace_record **rec, unsigned int *ring,
			 struct gt_records_error *err);
const struct gt_records_header *
gt_records_file_header(const struct gt_records_file *f);
/* The file offset of the record _next() gave last (for messages). */
uint64_t gt_records_file_offset(const struct gt_records_file *f);
/* NULL until _next() returned 0. */
const struct gt_records_trailer *
gt_records_file_trailer(const struct gt_records_file *f);
void gt_records_file_close(struct gt_records_file *f);
/* Whether @buf starts with GT_RECORDS_MAGIC. */
bool gt_records_file_magic(const void *buf, size_t len);

/* ---- names ------------------------------------------------------------- */

/* NULL when unknown. x32 numbers are given without __X32_SYSCALL_BIT. */
const char *gt_syscall_name(unsigned int abi, unsigned int nr);
/* Syscall number of @name for @abi, or -ENOENT (-EINVAL: bad abi). */
int gt_syscall_nr(unsigned int abi, const char *name);
/* Highest syscall number known for @abi plus one (0 for a bad abi). */
unsigned int gt_syscall_count(unsigned int abi);
/*
 * How many arguments the syscall takes (0..6), from the kernel headers'
 * prototypes at build time; -ENOENT when they do not say.
 */
int gt_syscall_nargs(unsigned int abi, unsigned int nr);

/* "EBADF" for 9; NULL when unknown. Also the kernel's ERESTART* codes. */
const char *gt_errno_name(int err);
/* Positive errno of @name ("EBADF", also aliases like "EWOULDBLOCK"), or -ENOENT. */
int gt_errno_nr(const char *name);

/* Short lowercase names; "?" when out of range. */
const char *gt_abi_name(unsigned int abi);
const char *gt_fclass_name(unsigned int fclass);
const char *gt_io_kind_name(unsigned int kind);
const char *gt_state_name(unsigned int state);
/* Inverse of gt_abi_name(), or -EINVAL. */
int gt_abi_from_name(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* GTRACE_CLIENT_H */
