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

/*
 * t_put(m, GTRACE_A_<NAME>, value) for every attribute of the UAPI schema
 * that carries a value, with the schema's type: what well-formed messages
 * are built with (malformed ones use the raw nla_put_*() on purpose).
 */
#define t_put(m, attr, v)	t_put_##attr(m, v)
#define T_PUT_VALUE(attr, ctype, body)					\
	static inline void t_put_##attr(struct nl_msg *m, ctype v) { body; }
#define T_PUT_U8(a, pad)	T_PUT_VALUE(a, uint8_t, nla_put_u8(m, a, v))
#define T_PUT_U32(a, pad)	T_PUT_VALUE(a, uint32_t, nla_put_u32(m, a, v))
#define T_PUT_U64(a, pad)	T_PUT_VALUE(a, uint64_t, t_u64(m, a, v, pad))
#define T_PUT_STRING(a, pad)	T_PUT_VALUE(a, const char *, nla_put_string(m, a, v))
#define T_PUT_HIST(a, pad)	T_PUT_VALUE(a, const uint32_t *, \
	nla_put(m, a, sizeof(uint32_t) * GTRACE_HIST_BUCKETS, v))
#define T_PUT_NESTED(a, pad)
#define T_PUT_PAD(a, pad)

#define GTRACE_ATTR(a, type, ...)	T_PUT_##type(a, GTRACE_A_PAD)
#define GTRACE_TASK_ATTR(a, type)	T_PUT_##type(a, GTRACE_A_TASK_PAD)
#define GTRACE_SC_ATTR(a, type)		T_PUT_##type(a, GTRACE_A_SC_PAD)
#define GTRACE_IO_ATTR(a, type)		T_PUT_##type(a, GTRACE_A_IO_PAD)
#define GTRACE_ERR_ATTR(a, type)	T_PUT_##type(a, GTRACE_A_ERR_PAD)
#include <linux/gtrace.h>
#undef GTRACE_ATTR
#undef GTRACE_TASK_ATTR
#undef GTRACE_SC_ATTR
#undef GTRACE_IO_ATTR
#undef GTRACE_ERR_ATTR

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

	t_put(m, GTRACE_A_SESSION_ID, T_SESSION);
	return m;
}

static inline struct nlattr *t_task_begin(struct nl_msg *m,
					  const struct t_task *t)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK);

	t_put(m, GTRACE_A_TASK_TID, t->tid);
	t_put(m, GTRACE_A_TASK_TGID, t->tgid);
	t_put(m, GTRACE_A_TASK_PPID, t->ppid);
	t_put(m, GTRACE_A_TASK_COMM, t->comm ? t->comm : "t");
	t_put(m, GTRACE_A_TASK_FLAGS, t->flags);
	t_put(m, GTRACE_A_TASK_START_NS, t->start_ns);
	t_put(m, GTRACE_A_TASK_RSS_PEAK, t->rss_peak);
	t_put(m, GTRACE_A_TASK_VM_PEAK, t->vm_peak);
	t_put(m, GTRACE_A_TASK_NVCSW, t->nvcsw);
	t_put(m, GTRACE_A_TASK_NIVCSW, t->nivcsw);
	t_put(m, GTRACE_A_TASK_CALLS_LOST, t->calls_lost);
	if (t->flags & GTRACE_TF_EXITED) {
		t_put(m, GTRACE_A_TASK_EXIT_NS, t->exit_ns);
		t_put(m, GTRACE_A_TASK_EXIT_CODE, t->exit_code);
	}
	return nest;
}

static inline void t_put_sc(struct nl_msg *m, const struct t_sc *s)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_SYSCALL);

	t_put(m, GTRACE_A_SC_NR, s->nr);
	t_put(m, GTRACE_A_SC_ABI, s->abi);
	t_put(m, GTRACE_A_SC_CALLS, s->calls);
	t_put(m, GTRACE_A_SC_ERRORS, s->errors);
	t_put(m, GTRACE_A_SC_TOTAL_NS, s->total_ns);
	t_put(m, GTRACE_A_SC_MIN_NS, s->min_ns);
	t_put(m, GTRACE_A_SC_MAX_NS, s->max_ns);
	t_put(m, GTRACE_A_SC_HIST, s->hist);
	nla_nest_end(m, nest);
}

static inline void t_put_io(struct nl_msg *m, uint8_t class, uint8_t kind,
			    uint64_t calls, uint64_t bytes, uint64_t ns)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_IO);

	t_put(m, GTRACE_A_IO_CLASS, class);
	t_put(m, GTRACE_A_IO_KIND, kind);
	t_put(m, GTRACE_A_IO_CALLS, calls);
	t_put(m, GTRACE_A_IO_BYTES, bytes);
	t_put(m, GTRACE_A_IO_NS, ns);
	nla_nest_end(m, nest);
}

static inline void t_put_err(struct nl_msg *m, uint32_t nr, uint8_t abi,
			     uint32_t err, uint64_t count)
{
	struct nlattr *nest = nla_nest_start(m, GTRACE_A_TASK_ERRNO);

	t_put(m, GTRACE_A_ERR_NR, nr);
	t_put(m, GTRACE_A_ERR_ABI, abi);
	t_put(m, GTRACE_A_ERR_ERRNO, err);
	t_put(m, GTRACE_A_ERR_COUNT, count);
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

#endif /* GTRACE_TESTS_T_NETLINK_H */
