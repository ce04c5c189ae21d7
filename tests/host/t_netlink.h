/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the libgtrace host tests: build generic netlink messages the
 * way gtrace.ko does (kmod/netlink.c), with libnl, in memory. 64-bit
 * attributes get the kernel's zero-length pad attribute in front when their
 * payload would not be 8-byte aligned (nla_put_u64_64bit()).
 */
#ifndef GTRACE_TESTS_T_NETLINK_H
#define GTRACE_TESTS_T_NETLINK_H

#include <stdint.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "client/client_internal.h"

#define T_FAMILY	0x1d	/* any genetlink family id */
#define T_SESSION	7

struct t_task {
	uint32_t tid;
	uint32_t tgid;
	uint32_t ppid;
	const char *comm;
	uint32_t flags;
	uint64_t start_ns;
	uint64_t exit_ns;	/* sent with exit_code when TF_EXITED */
	uint32_t exit_code;
	uint64_t rss_peak;
	uint64_t vm_peak;
	uint64_t nvcsw;
	uint64_t nivcsw;
	uint64_t calls_lost;
};

struct t_sc {
	uint32_t nr;
	uint8_t abi;
	uint64_t calls;
	uint64_t errors;
	uint64_t total_ns;
	uint64_t min_ns;
	uint64_t max_ns;
	uint32_t hist[GTRACE_HIST_BUCKETS];
};

static inline void t_u64(struct nl_msg *m, int type, uint64_t v, int pad)
{
	if ((nlmsg_hdr(m)->nlmsg_len + NLA_HDRLEN) % 8)
		nla_put(m, pad, 0, NULL);
	nla_put_u64(m, type, v);
}

static inline struct nl_msg *t_genl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (m)
		genlmsg_put(m, 0, 1, T_FAMILY, 0, flags, cmd,
			    GTRACE_GENL_VERSION);
	return m;
}

/* One STATS_GET dump message, ready for a GTRACE_A_TASK nest. */
static inline struct nl_msg *t_dump_msg(void)
{
	struct nl_msg *m = t_genl_msg(GTRACE_CMD_STATS_GET, NLM_F_MULTI);

	nla_put_u32(m, GTRACE_A_SESSION_ID, T_SESSION);
	return m;
}

static inline struct nlattr *t_task_begin(struct nl_msg *m,
					  const struct t_task *t)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK);
	const int pad = GTRACE_A_TASK_PAD;

	nla_put_u32(m, GTRACE_A_TASK_TID, t->tid);
	nla_put_u32(m, GTRACE_A_TASK_TGID, t->tgid);
	nla_put_u32(m, GTRACE_A_TASK_PPID, t->ppid);
	nla_put_string(m, GTRACE_A_TASK_COMM, t->comm ? t->comm : "t");
	nla_put_u32(m, GTRACE_A_TASK_FLAGS, t->flags);
	t_u64(m, GTRACE_A_TASK_START_NS, t->start_ns, pad);
	t_u64(m, GTRACE_A_TASK_RSS_PEAK, t->rss_peak, pad);
	t_u64(m, GTRACE_A_TASK_VM_PEAK, t->vm_peak, pad);
	t_u64(m, GTRACE_A_TASK_NVCSW, t->nvcsw, pad);
	t_u64(m, GTRACE_A_TASK_NIVCSW, t->nivcsw, pad);
	t_u64(m, GTRACE_A_TASK_CALLS_LOST, t->calls_lost, pad);
	if (t->flags & GTRACE_TF_EXITED) {
		t_u64(m, GTRACE_A_TASK_EXIT_NS, t->exit_ns, pad);
		nla_put_u32(m, GTRACE_A_TASK_EXIT_CODE, t->exit_code);
	}
	return nest;
}

static inline void t_put_sc(struct nl_msg *m, const struct t_sc *s)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);
	const int pad = GTRACE_A_SC_PAD;

	nla_put_u32(m, GTRACE_A_SC_NR, s->nr);
	nla_put_u8(m, GTRACE_A_SC_ABI, s->abi);
	t_u64(m, GTRACE_A_SC_CALLS, s->calls, pad);
	t_u64(m, GTRACE_A_SC_ERRORS, s->errors, pad);
	t_u64(m, GTRACE_A_SC_TOTAL_NS, s->total_ns, pad);
	t_u64(m, GTRACE_A_SC_MIN_NS, s->min_ns, pad);
	t_u64(m, GTRACE_A_SC_MAX_NS, s->max_ns, pad);
	nla_put(m, GTRACE_A_SC_HIST, sizeof(s->hist), s->hist);
	nla_nest_end(m, nest);
}

static inline void t_put_io(struct nl_msg *m, uint8_t class, uint8_t kind,
			    uint64_t calls, uint64_t bytes, uint64_t ns)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_IO);
	const int pad = GTRACE_A_IO_PAD;

	nla_put_u8(m, GTRACE_A_IO_CLASS, class);
	nla_put_u8(m, GTRACE_A_IO_KIND, kind);
	t_u64(m, GTRACE_A_IO_CALLS, calls, pad);
	t_u64(m, GTRACE_A_IO_BYTES, bytes, pad);
	t_u64(m, GTRACE_A_IO_NS, ns, pad);
	nla_nest_end(m, nest);
}

static inline void t_put_err(struct nl_msg *m, uint32_t nr, uint8_t abi,
			     uint32_t err, uint64_t count)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_ERRNO);

	nla_put_u32(m, GTRACE_A_ERR_NR, nr);
	nla_put_u8(m, GTRACE_A_ERR_ABI, abi);
	nla_put_u32(m, GTRACE_A_ERR_ERRNO, err);
	t_u64(m, GTRACE_A_ERR_COUNT, count, GTRACE_A_ERR_PAD);
	nla_nest_end(m, nest);
}

/* A syscall entry whose histogram is consistent with its calls. */
static inline struct t_sc t_sc_make(uint8_t abi, uint32_t nr, uint64_t calls,
				    uint64_t min_ns, uint64_t max_ns)
{
	struct t_sc s = {
		.nr = nr, .abi = abi, .calls = calls, .min_ns = min_ns,
		.max_ns = max_ns, .total_ns = calls * min_ns,
	};
	unsigned int b = 0;

	while (b < GTRACE_HIST_BUCKETS - 1 && (2ULL << b) <= min_ns)
		b++;
	s.hist[b] = calls;
	return s;
}

/* Feed @n messages (freed) to a fresh decoder; *@out on success. */
static inline int t_decode(struct nl_msg **msgs, int n, struct gt_stats **out)
{
	struct gti_stats_builder b;
	int i, err;

	*out = NULL;
	err = gti_stats_begin(&b, T_SESSION);
	for (i = 0; i < n; i++) {
		if (!err)
			err = gti_stats_parse_msg(nlmsg_hdr(msgs[i]), &b);
		nlmsg_free(msgs[i]);
	}
	if (err) {
		gti_stats_abort(&b);
		return err;
	}
	*out = gti_stats_finish(&b);
	return 0;
}

static inline const struct gt_task *t_find_task(const struct gt_stats *st,
						uint32_t tid)
{
	size_t i;

	for (i = 0; i < st->nr_tasks; i++)
		if (st->tasks[i].tid == tid)
			return &st->tasks[i];
	return NULL;
}

#endif /* GTRACE_TESTS_T_NETLINK_H */
