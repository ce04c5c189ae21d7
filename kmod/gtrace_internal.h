/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gtrace.ko internals shared by the probes, sessions, ring, device and
 * netlink code.
 */
#ifndef _GTRACE_INTERNAL_H
#define _GTRACE_INTERNAL_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/threads.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <linux/gtrace.h>

struct net;

/* ---- module parameters and memory (main.c) ------------------------------ */

unsigned int gtrace_param_max_sessions(void);
unsigned int gtrace_param_max_tasks(void);
unsigned int gtrace_param_max_ring_pages(void);
unsigned int gtrace_param_default_ring_pages(void);

void *gtrace_alloc(size_t size, gfp_t gfp);
void gtrace_free(const void *p, size_t size);
void *gtrace_vmalloc_user(size_t size);
void *gtrace_vzalloc(size_t size);
void gtrace_vfree(const void *p, size_t size);
u64 gtrace_mem_held(void);

/* ---- per-task counters (stats.c) ---------------------------------------- */

/* Counters of one syscall of one task; written only by that task. */
struct gtrace_sc {
	u32 used;		/* published last, read with acquire */
	u16 nr;
	u8 abi;
	u8 pad;
	u64 calls;
	u64 errors;
	u64 total_ns;
	u64 min_ns;
	u64 max_ns;
	u32 hist[GTRACE_HIST_BUCKETS];
};

/* Open-addressed table of gtrace_sc, replaced (never resized in place). */
struct gtrace_sc_table {
	struct rcu_head rcu;
	u32 mask;		/* capacity - 1, capacity a power of two */
	u32 used;
	struct gtrace_sc sc[];
};

#define GTRACE_SC_MIN_SLOTS	16
#define GTRACE_SC_MAX_SLOTS	1024

struct gtrace_io {
	u64 calls;
	u64 bytes;
	u64 ns;
};

struct gtrace_err {
	u16 nr;
	u8 abi;
	u8 pad;
	u32 err;
	u64 count;
};

#define GTRACE_ERR_SLOTS	32

struct gtrace_session;

/*
 * One traced thread in one session. Everything below "owner-written" is
 * written only by the thread itself from its syscall probes, so counters
 * need no atomics; readers (the stats dump) use READ_ONCE().
 */
struct gtrace_task {
	struct gtrace_session *sess;
	struct gtrace_task __rcu *pid_next;	/* same pid, other sessions */
	struct rcu_head rcu;
	u32 index;			/* in sess->tasks */
	pid_t tid;
	pid_t tgid;
	pid_t ppid;
	u32 flags;			/* GTRACE_TF_* */
	u32 exit_code;
	u64 start_ns;
	u64 exit_ns;
	char comm[TASK_COMM_LEN];

	/* owner-written */
	u64 enter_ns;
	u64 enter_len;			/* mmap length */
	unsigned long enter_args[6];	/* read by sessions with records */
	u64 enter_ip;
	s32 enter_nr;			/* -1: no syscall in flight */
	u8 enter_abi;
	u8 enter_fclass;
	s8 enter_io;			/* enum gtrace_io_kind or -1 */
	u8 nerr;
	u64 rss_peak;
	u64 vm_peak;
	u64 nvcsw;
	u64 nivcsw;
	u64 calls_lost;
	struct gtrace_sc_table __rcu *sc;
	struct gtrace_sc *last_sc;	/* in sc: the previous call's slot */
	struct gtrace_io io[__GTRACE_FC_MAX][__GTRACE_IO_MAX];
	struct gtrace_err err[GTRACE_ERR_SLOTS];
};

/* What sys_enter learnt about the call, applied to every session. */
struct gtrace_call {
	u64 len;
	s32 nr;
	u8 abi;
	u8 fclass;
	s8 io;
};

struct gtrace_sc_table *gtrace_sc_table_alloc(u32 slots, gfp_t gfp);
void gtrace_sc_table_free(struct gtrace_sc_table *tab);
void gtrace_task_account(struct gtrace_task *t, long ret, u64 now);
struct gtrace_sc *gtrace_sc_next(struct gtrace_sc_table *tab, u32 after_key);

static inline u32 gtrace_sc_key(u8 abi, u16 nr)
{
	return ((u32)abi << 16) | nr;
}

/* ---- ring (ring.c) ------------------------------------------------------ */

struct gtrace_ring {
	struct gtrace_ring_consumer *cons;	/* page 0, user-writable */
	struct gtrace_ring_header *hdr;		/* page 1 */
	void *data;				/* pages 2.. */
	void *area;				/* vmalloc_user() of it all */
	u32 size;				/* data bytes */
	u32 watermark;
	u64 prod;				/* kernel's own positions and */
	u64 dropped;				/* counts, mirrored in the */
	u64 written;				/* read-only header */
	atomic_t waiters;			/* also mirrored */
	struct irq_work wake;
	struct gtrace_rings *set;
};

struct gtrace_rings {
	refcount_t ref;
	u32 nr_rings;
	u32 data_pages;
	u32 wait_max_ms;		/* 0: a full ring drops (default) */
	bool flushing;			/* session over: report any data */
	wait_queue_head_t wq;		/* readers, in poll() */
	wait_queue_head_t room_wq;	/* writers waiting for room */
	atomic64_t waits;
	atomic64_t wait_ns;
	struct gtrace_ring ring[];
};

struct gtrace_rings *gtrace_rings_create(u32 data_pages, u32 wait_max_ms);
void gtrace_rings_put(struct gtrace_rings *set);
void gtrace_rings_write(struct gtrace_rings *set, const struct gtrace_record *rec);
void gtrace_rings_wait_exit(void);
void gtrace_rings_flush(struct gtrace_rings *set);
u64 gtrace_rings_dropped(struct gtrace_rings *set);
u64 gtrace_rings_written(struct gtrace_rings *set);
int gtrace_dev_init(void);
void gtrace_dev_exit(void);

/* ---- sessions (session.c) ----------------------------------------------- */

/*
 * A session and its life, owned by session.c.
 *
 * States (enum gtrace_session_state) and the only moves between them, all
 * made by gtrace_session_move():
 *
 *   NEW      -> RUNNING   start
 *   RUNNING  -> NEW       start attached nothing for lack of memory (retry)
 *   RUNNING  -> STOPPED   stop, and delete
 *   RUNNING  -> DONE      the last task of the tree went (probe context),
 *                         or start found the target gone
 *   STOPPED  -> RUNNING   start again
 *
 * DONE is final. Only RUNNING counts anything: the probes read the state
 * with READ_ONCE() and skip a session in any other. Leaving RUNNING for
 * STOPPED or DONE stamps stop_ns; stop, delete and the tree's end flush
 * the rings so that a reader gets what is left. Delete takes the session
 * out of the id table under gtrace_lock and frees it after two RCU grace
 * periods (see the top of session.c).
 *
 * What protects each field:
 * - id, flags, sample_every, owner_*, net, target, cgrp, rings: set at
 *   creation, constant until the session is freed (rings has its own
 *   reference count: an attached /dev/gtrace file may outlive the session).
 * - state: gtrace_session_move() only (cmpxchg); lock-free readers.
 * - start_ns: gtrace_lock. stop_ns: the move that stamped it; READ_ONCE().
 * - syswide_node: gtrace_lock for writers, RCU for the fork probe.
 * - tasks: the xarray's own lock for insertion (probes attach children),
 *   gtrace_lock + RCU for walking it; the tasks are freed only at delete.
 * - nr_tasks, live_tasks, tasks_lost, calls_lost: atomics, any context.
 */
struct gtrace_session {
	u32 id;
	u32 flags;			/* GTRACE_F_* */
	int state;			/* enum gtrace_session_state */
	u32 sample_every;
	u32 owner_portid;
	struct net *net;
	kuid_t owner_uid;
	bool owner_ptrace_cap;		/* owner had CAP_SYS_PTRACE */
	struct pid *target;
	struct cgroup *cgrp;
	struct gtrace_rings *rings;
	struct list_head syswide_node;	/* system-wide sessions, RCU */
	struct xarray tasks;		/* index -> gtrace_task */
	atomic_t nr_tasks;
	atomic_t live_tasks;
	atomic64_t tasks_lost;
	atomic64_t calls_lost;
	u64 start_ns;
	u64 stop_ns;
	struct rcu_head rcu;
};

/* What may be done to a session through gtrace_session_call(). */
typedef int (*gtrace_session_fn)(struct gtrace_session *s, void *arg);

/* What SESSION_NEW asked for, checked. */
struct gtrace_session_cfg {
	u32 flags;			/* GTRACE_F_* */
	u32 sample_every;
	u32 ring_pages;
	u32 wait_max_ms;		/* GTRACE_F_NO_DROPS */
};

int gtrace_session_new(const struct gtrace_session_cfg *cfg, struct pid *target,
		       struct cgroup *cgrp, u32 portid, struct net *net, u32 *id);
int gtrace_session_call(u32 id, struct net *net, gtrace_session_fn fn,
			void *arg);
int gtrace_session_start(struct gtrace_session *s);
int gtrace_session_stop(struct gtrace_session *s, void *unused);
int gtrace_session_del(struct gtrace_session *s, void *unused);
void gtrace_sessions_release(struct net *net, u32 portid);
void gtrace_sessions_del_all(void);
void gtrace_sessions_status(u32 *sessions, u64 *drops);
int gtrace_may_trace(struct task_struct *task);

void gtrace_task_fork(struct task_struct *parent, struct task_struct *child);
void gtrace_task_exit(struct task_struct *p);
void gtrace_task_exec(struct task_struct *p, pid_t old_pid, bool secure);

/* ---- tid -> tasks (pidmap.c) -------------------------------------------- */

#define GTRACE_PID_CHUNK_SHIFT	10
#define GTRACE_PID_CHUNK	BIT(GTRACE_PID_CHUNK_SHIFT)
#define GTRACE_PID_DIRS		(PID_MAX_LIMIT >> GTRACE_PID_CHUNK_SHIFT)

/*
 * The table itself, allocated while the probes are registered. The syscall
 * probes get it as their tracepoint data and test the task's bit in
 * @maybe, which comes first so that the test is one instruction on the
 * data pointer, with no call and no stack frame on the path of every
 * untraced syscall; everyone else goes through gtrace_pid_head().
 */
struct gtrace_pidmap {
	unsigned long maybe[BITS_TO_LONGS(PID_MAX_LIMIT)];	/* has a chain */
	struct gtrace_task __rcu **dir[GTRACE_PID_DIRS];
};

int gtrace_pidmap_alloc(void);
struct gtrace_pidmap *gtrace_pidmap(void);

/*
 * Whether a session may trace @pid, a task's own (always below
 * PID_MAX_LIMIT). The bit is set before the chain is published and
 * cleared after it is gone: a stale answer only sends the caller to the
 * real lookup, or misses a call of a task being attached right now.
 */
static inline bool gtrace_pidmap_maybe(struct gtrace_pidmap *map, pid_t pid)
{
	return test_bit(pid, map->maybe);
}

/*
 * An RCU read side: rcu_read_lock(), or preemption disabled, which is how
 * the syscall probes run (they disable it themselves, so that it holds
 * where syscall tracepoints may run preemptible too); cheaper than
 * rcu_read_lock() on kernels with preemptible RCU.
 */
#define gtrace_rcu_deref(p)	rcu_dereference_check(p, rcu_read_lock_any_held())

/* The chain of tasks traced under @pid; caller in an RCU read side. */
static inline struct gtrace_task *gtrace_pidmap_head(struct gtrace_pidmap *map,
						     pid_t pid)
{
	unsigned int dir = (unsigned int)pid >> GTRACE_PID_CHUNK_SHIFT;
	struct gtrace_task __rcu **chunk;

	if (unlikely(dir >= GTRACE_PID_DIRS))
		return NULL;
	/* Pairs with the release that published the zeroed chunk. */
	chunk = smp_load_acquire(&map->dir[dir]);
	return chunk ? gtrace_rcu_deref(chunk[pid & (GTRACE_PID_CHUNK - 1)]) : NULL;
}

struct gtrace_task *gtrace_pid_head(pid_t pid);
int gtrace_pid_link(struct gtrace_task *t);
void gtrace_pid_unlink(struct gtrace_task *t);
void gtrace_pid_drop(pid_t pid, struct gtrace_task *head);
struct gtrace_task *gtrace_pid_move(pid_t old_pid, pid_t pid);
void gtrace_pidmap_free(void);

/* ---- probes (probes.c) -------------------------------------------------- */

int gtrace_probes_get(void);
void gtrace_probes_put(void);
bool gtrace_probes_registered(void);

/* ---- netlink (netlink.c) ------------------------------------------------ */

int gtrace_netlink_init(void);
void gtrace_netlink_exit(void);
void gtrace_notify_task_exit(struct gtrace_task *t);
void gtrace_notify_session_done(struct gtrace_session *s);

#endif /* _GTRACE_INTERNAL_H */
