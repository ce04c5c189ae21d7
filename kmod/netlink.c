// SPDX-License-Identifier: GPL-2.0
/*
 * The "gtrace" generic netlink family: session control, the per-task stats
 * dump, module status and the events multicast group.
 *
 * Every operation has its own strict policy; every rejection says why in
 * the extended ACK. A session belongs to the netlink socket that made it
 * and is deleted when that socket is released.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "gtrace_internal.h"

static struct genl_family gtrace_family;

static const struct genl_multicast_group gtrace_mcgrps[] = {
	/* Events name other users' tasks: privileged listeners only. */
	{ .name = GTRACE_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

/*
 * The request policies, made from the schema (GTRACE_ATTR): each request
 * takes the attributes whose IN column names it, checked as their CHECK
 * column says; every other attribute is rejected.
 */
#define GTRACE_CHECK_ANY(t)		{ .type = NLA_##t }
#define GTRACE_CHECK_POS(t)		NLA_POLICY_MIN(NLA_##t, 1)
#define GTRACE_CHECK_FLAGS(t)		NLA_POLICY_MASK(NLA_##t, GTRACE_F_ALL)

#define GTRACE_IN_NEW_NEW(t, check)	GTRACE_CHECK_##check(t)
#define GTRACE_IN_NEW_ID(t, check)	{ }
#define GTRACE_IN_NEW_OUT(t, check)	{ }
#define GTRACE_IN_ID_NEW(t, check)	{ }
#define GTRACE_IN_ID_ID(t, check)	GTRACE_CHECK_##check(t)
#define GTRACE_IN_ID_OUT(t, check)	{ }

static const struct nla_policy gtrace_new_policy[GTRACE_A_MAX + 1] = {
#define GTRACE_ATTR(attr, t, in, check) \
	[attr] = GTRACE_IN_NEW_##in(t, check),
#include <linux/gtrace.h>
#undef GTRACE_ATTR
};

static const struct nla_policy gtrace_id_policy[GTRACE_A_MAX + 1] = {
#define GTRACE_ATTR(attr, t, in, check) \
	[attr] = GTRACE_IN_ID_##in(t, check),
#include <linux/gtrace.h>
#undef GTRACE_ATTR
};

/*
 * gtrace_put(msg, GTRACE_A_<NAME>, value) for every attribute of the
 * schema that carries a value, so that its type on the wire is the
 * schema's: one helper per attribute, made from its line.
 */
#define gtrace_put(msg, attr, v)	gtrace_put_##attr(msg, v)
#define GTRACE_PUT_VALUE(attr, ctype, put, ...)				\
static inline int gtrace_put_##attr(struct sk_buff *msg, ctype v)	\
{									\
	return put(msg, attr, __VA_ARGS__);				\
}

/* @pad: the PAD attribute of the attribute's list. */
#define GTRACE_PUT_U8(attr, pad)	GTRACE_PUT_VALUE(attr, u8, nla_put_u8, v)
#define GTRACE_PUT_U32(attr, pad)	GTRACE_PUT_VALUE(attr, u32, nla_put_u32, v)
#define GTRACE_PUT_U64(attr, pad)					\
	GTRACE_PUT_VALUE(attr, u64, nla_put_u64_64bit, v, pad)
#define GTRACE_PUT_STRING(attr, pad)					\
	GTRACE_PUT_VALUE(attr, const char *, nla_put_string, v)
#define GTRACE_PUT_HIST(attr, pad)					\
	GTRACE_PUT_VALUE(attr, const u32 *, nla_put,			\
			 GTRACE_HIST_BUCKETS * sizeof(u32), v)
#define GTRACE_PUT_NESTED(attr, pad)
#define GTRACE_PUT_PAD(attr, pad)

#define GTRACE_ATTR(attr, type, ...)	GTRACE_PUT_##type(attr, GTRACE_A_PAD)
#define GTRACE_TASK_ATTR(attr, type)	GTRACE_PUT_##type(attr, GTRACE_A_TASK_PAD)
#define GTRACE_SC_ATTR(attr, type)	GTRACE_PUT_##type(attr, GTRACE_A_SC_PAD)
#define GTRACE_IO_ATTR(attr, type)	GTRACE_PUT_##type(attr, GTRACE_A_IO_PAD)
#define GTRACE_ERR_ATTR(attr, type)	GTRACE_PUT_##type(attr, GTRACE_A_ERR_PAD)
#include <linux/gtrace.h>
#undef GTRACE_ATTR
#undef GTRACE_TASK_ATTR
#undef GTRACE_SC_ATTR
#undef GTRACE_IO_ATTR
#undef GTRACE_ERR_ATTR

#define GTRACE_MAX_SAMPLE_EVERY	BIT(20)

/* Run @fn on the session the request names, if the caller may use it. */
static int gtrace_nl_call(struct nlattr **attrs, struct net *net,
			  struct netlink_ext_ack *extack,
			  gtrace_session_fn fn, void *arg)
{
	struct nlattr *a = attrs[GTRACE_A_SESSION_ID];
	int err;

	if (!a) {
		NL_SET_ERR_MSG_MOD(extack, "Missing session id");
		NL_SET_ERR_ATTR_MISS(extack, NULL, GTRACE_A_SESSION_ID);
		return -EINVAL;
	}
	err = gtrace_session_call(nla_get_u32(a), net, fn, arg);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, a, "No such session");
	else if (err == -EPERM)
		NL_SET_ERR_MSG_ATTR(extack, a, "Session belongs to another user");
	return err;
}

static int gtrace_nl_reply_id(struct genl_info *info, u32 id)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &gtrace_family, 0, info->genlhdr->cmd);
	if (!hdr || gtrace_put(msg, GTRACE_A_SESSION_ID, id)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Checks of SESSION_NEW that need no lookup. */
static int gtrace_nl_new_check(struct nlattr **attrs, u32 flags,
			       struct netlink_ext_ack *extack)
{
	bool syswide = flags & GTRACE_F_SYSTEM_WIDE;
	struct nlattr *a;

	if (syswide && attrs[GTRACE_A_TARGET_PID]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[GTRACE_A_TARGET_PID],
				    "A system-wide session takes no target pid");
		return -EINVAL;
	}
	if (!syswide && !attrs[GTRACE_A_TARGET_PID]) {
		NL_SET_ERR_MSG_MOD(extack, "Missing target pid");
		NL_SET_ERR_ATTR_MISS(extack, NULL, GTRACE_A_TARGET_PID);
		return -EINVAL;
	}
	if ((syswide || attrs[GTRACE_A_CGROUP_FD]) && !perfmon_capable()) {
		NL_SET_ERR_MSG_MOD(extack,
				   "System-wide and cgroup sessions need CAP_PERFMON or CAP_SYS_ADMIN");
		return -EPERM;
	}
	a = attrs[GTRACE_A_SAMPLE_EVERY];
	if (a && !syswide) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Sampling is for system-wide sessions");
		return -EINVAL;
	}
	if (a && nla_get_u32(a) > GTRACE_MAX_SAMPLE_EVERY) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Sampling rate out of range");
		return -ERANGE;
	}
	a = attrs[GTRACE_A_RING_PAGES];
	if (a && !(flags & GTRACE_F_RECORDS)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Ring size given without per-call records");
		return -EINVAL;
	}
	if (a && (!is_power_of_2(nla_get_u32(a)) ||
		  nla_get_u32(a) > gtrace_param_max_ring_pages())) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "Ring pages must be a power of two within the max_ring_pages parameter");
		return -EINVAL;
	}
	if ((flags & GTRACE_F_NO_DROPS) && !(flags & GTRACE_F_RECORDS)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[GTRACE_A_FLAGS],
				    "No-drops mode is for sessions with per-call records");
		return -EINVAL;
	}
	a = attrs[GTRACE_A_WAIT_MAX_MS];
	if (a && !(flags & GTRACE_F_NO_DROPS)) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Wait limit given without no-drops mode");
		return -EINVAL;
	}
	if (a && nla_get_u32(a) > GTRACE_WAIT_MAX_MS_LIMIT) {
		NL_SET_ERR_MSG_ATTR(extack, a, "Wait limit above GTRACE_WAIT_MAX_MS_LIMIT");
		return -ERANGE;
	}
	return 0;
}

/* The target pid, in the caller's pid namespace, if the caller may trace it. */
static struct pid *gtrace_nl_target(struct nlattr *a, struct netlink_ext_ack *extack)
{
	struct task_struct *task;
	struct pid *pid;
	int err;

	pid = find_get_pid(nla_get_u32(a));
	task = pid ? get_pid_task(pid, PIDTYPE_PID) : NULL;
	if (!task) {
		put_pid(pid);
		NL_SET_ERR_MSG_ATTR(extack, a, "No such process");
		return ERR_PTR(-ESRCH);
	}
	err = gtrace_may_trace(task);
	put_task_struct(task);
	if (err) {
		put_pid(pid);
		NL_SET_ERR_MSG_ATTR(extack, a, "Not permitted to trace this process");
		return ERR_PTR(err);
	}
	return pid;
}

static int gtrace_nl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;
	struct gtrace_session_cfg cfg = {
		.sample_every = 1,
		.ring_pages = gtrace_param_default_ring_pages(),
		.wait_max_ms = GTRACE_WAIT_MAX_MS_DEFAULT,
	};
	struct net *net = genl_info_net(info);
	struct cgroup *cgrp = NULL;
	struct pid *target = NULL;
	u32 id;
	int err;

	if (attrs[GTRACE_A_FLAGS])
		cfg.flags = nla_get_u32(attrs[GTRACE_A_FLAGS]);
	err = gtrace_nl_new_check(attrs, cfg.flags, extack);
	if (err)
		return err;
	if (attrs[GTRACE_A_SAMPLE_EVERY])
		cfg.sample_every = nla_get_u32(attrs[GTRACE_A_SAMPLE_EVERY]);
	if (attrs[GTRACE_A_RING_PAGES])
		cfg.ring_pages = nla_get_u32(attrs[GTRACE_A_RING_PAGES]);
	if (attrs[GTRACE_A_WAIT_MAX_MS])
		cfg.wait_max_ms = nla_get_u32(attrs[GTRACE_A_WAIT_MAX_MS]);

	if (attrs[GTRACE_A_TARGET_PID]) {
		target = gtrace_nl_target(attrs[GTRACE_A_TARGET_PID], extack);
		if (IS_ERR(target))
			return PTR_ERR(target);
	}
	if (attrs[GTRACE_A_CGROUP_FD]) {
		cgrp = cgroup_get_from_fd(nla_get_u32(attrs[GTRACE_A_CGROUP_FD]));
		if (IS_ERR(cgrp)) {
			NL_SET_ERR_MSG_ATTR(extack, attrs[GTRACE_A_CGROUP_FD],
					    "Not a cgroup v2 directory");
			err = PTR_ERR(cgrp);
			cgrp = NULL;
			goto out;
		}
	}

	err = gtrace_session_new(&cfg, target, cgrp, info->snd_portid, net, &id);
	if (err == -ENOSPC) {
		NL_SET_ERR_MSG_MOD(extack, "Too many sessions (max_sessions)");
	} else if (err) {
		NL_SET_ERR_MSG_MOD(extack, "Cannot set up the session");
	} else {
		err = gtrace_nl_reply_id(info, id);
		if (err)
			gtrace_session_call(id, net, gtrace_session_del, NULL);
	}
out:
	if (cgrp)
		cgroup_put(cgrp);
	put_pid(target);
	return err;
}

static int gtrace_nl_on_session(struct genl_info *info, gtrace_session_fn fn,
				void *arg)
{
	return gtrace_nl_call(info->attrs, genl_info_net(info), info->extack,
			      fn, arg);
}

static int gtrace_start(struct gtrace_session *s, void *extack)
{
	int err = gtrace_session_start(s);

	if (err == -ESRCH)
		NL_SET_ERR_MSG_MOD(extack, "The target process is gone");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack, "Out of memory attaching the target");
	return err;
}

static int gtrace_nl_session_start(struct sk_buff *skb, struct genl_info *info)
{
	return gtrace_nl_on_session(info, gtrace_start, info->extack);
}

static int gtrace_nl_session_stop(struct sk_buff *skb, struct genl_info *info)
{
	return gtrace_nl_on_session(info, gtrace_session_stop, NULL);
}

static int gtrace_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	return gtrace_nl_on_session(info, gtrace_session_del, NULL);
}

static int gtrace_put_session(struct gtrace_session *s, void *arg)
{
	struct sk_buff *msg = arg;
	u64 drops = s->rings ? gtrace_rings_dropped(s->rings) : 0;
	u64 records = s->rings ? gtrace_rings_written(s->rings) : 0;

	if (gtrace_put(msg, GTRACE_A_SESSION_ID, s->id) ||
	    gtrace_put(msg, GTRACE_A_FLAGS, s->flags) ||
	    gtrace_put(msg, GTRACE_A_STATE, READ_ONCE(s->state)) ||
	    gtrace_put(msg, GTRACE_A_TASKS, atomic_read(&s->nr_tasks)) ||
	    gtrace_put(msg, GTRACE_A_TASKS_LOST, atomic64_read(&s->tasks_lost)) ||
	    gtrace_put(msg, GTRACE_A_CALLS_LOST, atomic64_read(&s->calls_lost)) ||
	    gtrace_put(msg, GTRACE_A_RECORDS, records) ||
	    gtrace_put(msg, GTRACE_A_DROPS, drops) ||
	    gtrace_put(msg, GTRACE_A_START_NS, s->start_ns) ||
	    gtrace_put(msg, GTRACE_A_STOP_NS, READ_ONCE(s->stop_ns)) ||
	    (s->rings && gtrace_put(msg, GTRACE_A_NR_CPUS, s->rings->nr_rings)))
		return -EMSGSIZE;
	if (s->rings && s->rings->wait_max_ms &&
	    (gtrace_put(msg, GTRACE_A_WAIT_MAX_MS, s->rings->wait_max_ms) ||
	     gtrace_put(msg, GTRACE_A_WAITS, atomic64_read(&s->rings->waits)) ||
	     gtrace_put(msg, GTRACE_A_WAIT_NS, atomic64_read(&s->rings->wait_ns))))
		return -EMSGSIZE;
	return 0;
}

static int gtrace_nl_session_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &gtrace_family, 0, info->genlhdr->cmd);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	err = gtrace_nl_on_session(info, gtrace_put_session, msg);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int gtrace_nl_status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	u32 sessions;
	void *hdr;
	u64 drops;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &gtrace_family, 0, info->genlhdr->cmd);
	if (!hdr)
		goto nospace;

	gtrace_sessions_status(&sessions, &drops);

	if (gtrace_put(msg, GTRACE_A_VERSION, GTRACE_VERSION) ||
	    gtrace_put(msg, GTRACE_A_SESSIONS, sessions) ||
	    gtrace_put(msg, GTRACE_A_PROBES, gtrace_probes_registered()) ||
	    gtrace_put(msg, GTRACE_A_DROPS, drops) ||
	    gtrace_put(msg, GTRACE_A_MEM_BYTES, gtrace_mem_held()))
		goto nospace;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nospace:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* ---- stats dump ----------------------------------------------------------
 *
 * One message per task, or several when its counters do not fit: each
 * message repeats the task's own attributes and carries the next part of
 * its syscall, I/O and errno entries. Syscalls go out in key order so that
 * the cursor survives the task growing its table between two messages.
 */

enum { DUMP_SESSION, DUMP_TASK, DUMP_PHASE, DUMP_POS };
enum { PHASE_SYSCALLS, PHASE_IO, PHASE_ERRNO, PHASE_DONE };

/*
 * Context switches: counted by the scheduler in the task itself, read
 * here while it lives (not copied at every syscall), at its exit after.
 * Until the exit probe marks it exited its tid still names it.
 */
static void gtrace_task_csw(struct gtrace_task *t, u32 flags, u64 *nv, u64 *niv)
{
	struct task_struct *p;

	*nv = READ_ONCE(t->nvcsw);
	*niv = READ_ONCE(t->nivcsw);
	if (flags & GTRACE_TF_EXITED)
		return;
	rcu_read_lock();
	p = pid_task(find_pid_ns(READ_ONCE(t->tid), &init_pid_ns), PIDTYPE_PID);
	if (p) {
		*nv = READ_ONCE(p->nvcsw);
		*niv = READ_ONCE(p->nivcsw);
	}
	rcu_read_unlock();
}

static int gtrace_put_task(struct sk_buff *msg, struct gtrace_task *t)
{
	/* Pairs with the release in gtrace_task_exit(): exit data is set. */
	u32 flags = smp_load_acquire(&t->flags);
	char comm[TASK_COMM_LEN];
	u64 nvcsw, nivcsw;

	memcpy(comm, t->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
	gtrace_task_csw(t, flags, &nvcsw, &nivcsw);

	if (gtrace_put(msg, GTRACE_A_TASK_TID, READ_ONCE(t->tid)) ||
	    gtrace_put(msg, GTRACE_A_TASK_TGID, t->tgid) ||
	    gtrace_put(msg, GTRACE_A_TASK_PPID, t->ppid) ||
	    gtrace_put(msg, GTRACE_A_TASK_COMM, comm) ||
	    gtrace_put(msg, GTRACE_A_TASK_FLAGS, flags) ||
	    gtrace_put(msg, GTRACE_A_TASK_START_NS, t->start_ns) ||
	    gtrace_put(msg, GTRACE_A_TASK_RSS_PEAK, READ_ONCE(t->rss_peak)) ||
	    gtrace_put(msg, GTRACE_A_TASK_VM_PEAK, READ_ONCE(t->vm_peak)) ||
	    gtrace_put(msg, GTRACE_A_TASK_NVCSW, nvcsw) ||
	    gtrace_put(msg, GTRACE_A_TASK_NIVCSW, nivcsw) ||
	    gtrace_put(msg, GTRACE_A_TASK_CALLS_LOST, READ_ONCE(t->calls_lost)))
		return -EMSGSIZE;
	if (flags & GTRACE_TF_EXITED &&
	    (gtrace_put(msg, GTRACE_A_TASK_EXIT_NS, t->exit_ns) ||
	     gtrace_put(msg, GTRACE_A_TASK_EXIT_CODE, t->exit_code)))
		return -EMSGSIZE;
	return 0;
}

static int gtrace_put_sc(struct sk_buff *msg, struct gtrace_sc *sc)
{
	u32 hist[GTRACE_HIST_BUCKETS];
	struct nlattr *nest;
	u64 calls = READ_ONCE(sc->calls);
	u64 min = READ_ONCE(sc->min_ns);
	unsigned int i;

	for (i = 0; i < GTRACE_HIST_BUCKETS; i++)
		hist[i] = READ_ONCE(sc->hist[i]);

	nest = nla_nest_start(msg, GTRACE_A_TASK_SYSCALL);
	if (!nest ||
	    gtrace_put(msg, GTRACE_A_SC_NR, sc->nr) ||
	    gtrace_put(msg, GTRACE_A_SC_ABI, sc->abi) ||
	    gtrace_put(msg, GTRACE_A_SC_CALLS, calls) ||
	    gtrace_put(msg, GTRACE_A_SC_ERRORS, READ_ONCE(sc->errors)) ||
	    gtrace_put(msg, GTRACE_A_SC_TOTAL_NS, READ_ONCE(sc->total_ns)) ||
	    gtrace_put(msg, GTRACE_A_SC_MIN_NS, calls ? min : 0) ||
	    gtrace_put(msg, GTRACE_A_SC_MAX_NS, READ_ONCE(sc->max_ns)) ||
	    gtrace_put(msg, GTRACE_A_SC_HIST, hist)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int gtrace_put_io(struct sk_buff *msg, struct gtrace_io *io,
			 u8 class, u8 kind)
{
	struct nlattr *nest = nla_nest_start(msg, GTRACE_A_TASK_IO);

	if (!nest ||
	    gtrace_put(msg, GTRACE_A_IO_CLASS, class) ||
	    gtrace_put(msg, GTRACE_A_IO_KIND, kind) ||
	    gtrace_put(msg, GTRACE_A_IO_CALLS, READ_ONCE(io->calls)) ||
	    gtrace_put(msg, GTRACE_A_IO_BYTES, READ_ONCE(io->bytes)) ||
	    gtrace_put(msg, GTRACE_A_IO_NS, READ_ONCE(io->ns))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int gtrace_put_err(struct sk_buff *msg, struct gtrace_err *e)
{
	struct nlattr *nest = nla_nest_start(msg, GTRACE_A_TASK_ERRNO);

	if (!nest ||
	    gtrace_put(msg, GTRACE_A_ERR_NR, e->nr) ||
	    gtrace_put(msg, GTRACE_A_ERR_ABI, e->abi) ||
	    gtrace_put(msg, GTRACE_A_ERR_ERRNO, e->err) ||
	    gtrace_put(msg, GTRACE_A_ERR_COUNT, READ_ONCE(e->count))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Put the task's entries from the cursor on; counts what went in. */
static int gtrace_put_entries(struct sk_buff *msg, struct gtrace_task *t,
			      long *args, unsigned int *n)
{
	struct gtrace_sc_table *tab = rcu_dereference(t->sc);
	const unsigned int nio = __GTRACE_FC_MAX * __GTRACE_IO_MAX;
	/* Pairs with the release in gtrace_err_count(): entries are set. */
	unsigned int nerr = smp_load_acquire(&t->nerr);
	struct gtrace_sc *sc;

	for (; args[DUMP_PHASE] == PHASE_SYSCALLS; (*n)++) {
		sc = gtrace_sc_next(tab, args[DUMP_POS]);
		if (!sc) {
			args[DUMP_PHASE] = PHASE_IO;
			args[DUMP_POS] = 0;
			break;
		}
		if (gtrace_put_sc(msg, sc))
			return -EMSGSIZE;
		args[DUMP_POS] = gtrace_sc_key(sc->abi, sc->nr) + 1;
	}
	for (; args[DUMP_PHASE] == PHASE_IO && args[DUMP_POS] < nio;
	     args[DUMP_POS]++) {
		u8 class = args[DUMP_POS] / __GTRACE_IO_MAX;
		u8 kind = args[DUMP_POS] % __GTRACE_IO_MAX;
		struct gtrace_io *io = &t->io[class][kind];

		if (!READ_ONCE(io->calls))
			continue;
		if (gtrace_put_io(msg, io, class, kind))
			return -EMSGSIZE;
		(*n)++;
	}
	if (args[DUMP_PHASE] == PHASE_IO) {
		args[DUMP_PHASE] = PHASE_ERRNO;
		args[DUMP_POS] = 0;
	}
	for (; args[DUMP_POS] < nerr; args[DUMP_POS]++, (*n)++)
		if (gtrace_put_err(msg, &t->err[args[DUMP_POS]]))
			return -EMSGSIZE;
	args[DUMP_PHASE] = PHASE_DONE;
	return 0;
}

/* One message for @t from the cursor; -EMSGSIZE when the rest must wait. */
static int gtrace_dump_task(struct sk_buff *skb, struct netlink_callback *cb,
			    struct gtrace_session *s, struct gtrace_task *t)
{
	struct nlattr *nest;
	unsigned int n = 0;
	void *hdr;
	int err;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &gtrace_family, NLM_F_MULTI, GTRACE_CMD_STATS_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (gtrace_put(skb, GTRACE_A_SESSION_ID, s->id))
		goto cancel;
	nest = nla_nest_start(skb, GTRACE_A_TASK);
	if (!nest || gtrace_put_task(skb, t))
		goto cancel;
	err = gtrace_put_entries(skb, t, cb->args, &n);
	if (err && !n)
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return err;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

struct gtrace_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/* Fill @arg's skb with the session's tasks from the cursor on. */
static int gtrace_dump_tasks(struct gtrace_session *s, void *arg)
{
	struct gtrace_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	struct gtrace_task *t;
	unsigned long idx;
	int err = 0;

	cb->args[DUMP_SESSION] = s->id;
	rcu_read_lock();
	xa_for_each_start(&s->tasks, idx, t, cb->args[DUMP_TASK]) {
		cb->args[DUMP_TASK] = idx;
		err = gtrace_dump_task(d->skb, cb, s, t);
		if (err)
			break;
		cb->args[DUMP_PHASE] = PHASE_SYSCALLS;
		cb->args[DUMP_POS] = 0;
		cb->args[DUMP_TASK] = idx + 1;
	}
	rcu_read_unlock();
	return err;
}

/*
 * The first call of a dump runs in the requester's context and, unlike
 * .start on older kernels, has an extack: check the request there.
 */
static int gtrace_nl_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gtrace_dump d = { .skb = skb, .cb = cb };
	struct net *net = sock_net(cb->skb->sk);
	struct nlattr *attrs[GTRACE_A_MAX + 1];
	int err;

	if (!cb->args[DUMP_SESSION]) {
		/* The core validated the request already; this parse is for us. */
		err = nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, GTRACE_A_MAX,
				  gtrace_id_policy, cb->extack);
		if (!err)
			err = gtrace_nl_call(attrs, net, cb->extack,
					     gtrace_dump_tasks, &d);
	} else {
		err = gtrace_session_call(cb->args[DUMP_SESSION], net,
					  gtrace_dump_tasks, &d);
		if (err == -ENOENT)
			err = 0;	/* deleted meanwhile: the dump ends here */
	}
	/* Nothing fitted into an empty message: cannot make progress. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ---- events ------------------------------------------------------------- */

static void gtrace_event(struct gtrace_session *s, u8 cmd,
			 struct gtrace_task *t)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	if (!genl_has_listeners(&gtrace_family, s->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gtrace_family, 0, cmd);
	if (!hdr || gtrace_put(msg, GTRACE_A_SESSION_ID, s->id))
		goto err;
	if (t) {
		nest = nla_nest_start(msg, GTRACE_A_TASK);
		if (!nest || gtrace_put_task(msg, t))
			goto err;
		nla_nest_end(msg, nest);
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&gtrace_family, s->net, msg, 0, 0, GFP_ATOMIC);
	return;
err:
	nlmsg_free(msg);
}

void gtrace_notify_task_exit(struct gtrace_task *t)
{
	gtrace_event(t->sess, GTRACE_CMD_EVENT_TASK_EXIT, t);
}

void gtrace_notify_session_done(struct gtrace_session *s)
{
	gtrace_event(s, GTRACE_CMD_EVENT_SESSION_DONE, NULL);
}

/* ---- family ------------------------------------------------------------- */

static const struct genl_ops gtrace_ops[] = {
	{
		.cmd = GTRACE_CMD_SESSION_NEW,
		.doit = gtrace_nl_session_new,
		.policy = gtrace_new_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_SESSION_START,
		.doit = gtrace_nl_session_start,
		.policy = gtrace_id_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_SESSION_STOP,
		.doit = gtrace_nl_session_stop,
		.policy = gtrace_id_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_SESSION_DEL,
		.doit = gtrace_nl_session_del,
		.policy = gtrace_id_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_SESSION_GET,
		.doit = gtrace_nl_session_get,
		.policy = gtrace_id_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_STATS_GET,
		.dumpit = gtrace_nl_stats_dump,
		.policy = gtrace_id_policy,
		.maxattr = GTRACE_A_MAX,
	},
	{
		.cmd = GTRACE_CMD_STATUS_GET,
		.doit = gtrace_nl_status_get,
	},
};

static struct genl_family gtrace_family __ro_after_init = {
	.name = GTRACE_GENL_NAME,
	.version = GTRACE_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = gtrace_ops,
	.n_ops = ARRAY_SIZE(gtrace_ops),
	.mcgrps = gtrace_mcgrps,
	.n_mcgrps = ARRAY_SIZE(gtrace_mcgrps),
};

static int gtrace_nl_notify(struct notifier_block *nb, unsigned long state,
			    void *ptr)
{
	struct netlink_notify *n = ptr;

	if (state == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC)
		gtrace_sessions_release(n->net, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block gtrace_nl_notifier = {
	.notifier_call = gtrace_nl_notify,
};

int gtrace_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&gtrace_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&gtrace_family);
	if (err)
		netlink_unregister_notifier(&gtrace_nl_notifier);
	return err;
}

void gtrace_netlink_exit(void)
{
	genl_unregister_family(&gtrace_family);
	netlink_unregister_notifier(&gtrace_nl_notifier);
}

/*
 * The first lookup of the family by name (what a client's resolve does)
 * loads the module when it is installed but not loaded.
 */
MODULE_ALIAS_GENL_FAMILY(GTRACE_GENL_NAME);
