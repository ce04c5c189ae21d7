// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions and the tasks they trace.
 *
 * A session traces a target process tree (every thread of the target and
 * every descendant forked while it runs) or, for privileged callers, every
 * task of the system, optionally limited to one cgroup v2 subtree and
 * sampled 1 in N thread groups.
 *
 * The hot path finds a thread's gtrace_task objects in the tid table of
 * pidmap.c. A thread traced by several sessions has a chain of gtrace_task
 * linked by pid_next, read under RCU; a session is freed only after two
 * grace periods: one so that no probe still sees it running (and can add
 * tasks), one after its tasks left the tid table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/pid.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <net/net_namespace.h>

#include "gtrace_internal.h"

/*
 * gtrace_lock serialises every operation on sessions (create, start, stop,
 * delete, dump, ring attach) and guards the id table, the system-wide list
 * (read by the probes under RCU) and the two counters below.
 */
static DEFINE_MUTEX(gtrace_lock);
static DEFINE_XARRAY_ALLOC1(gtrace_sessions);
static LIST_HEAD(gtrace_syswide);
static unsigned int gtrace_nr_sessions;
static u64 gtrace_dropped_total;	/* by the rings of deleted sessions */

/* The transitions of struct gtrace_session's state machine. */
static const u8 gtrace_moves[] = {
	[GTRACE_STATE_NEW]	= BIT(GTRACE_STATE_RUNNING),
	[GTRACE_STATE_RUNNING]	= BIT(GTRACE_STATE_NEW) |
				  BIT(GTRACE_STATE_STOPPED) |
				  BIT(GTRACE_STATE_DONE),
	[GTRACE_STATE_STOPPED]	= BIT(GTRACE_STATE_RUNNING),
	[GTRACE_STATE_DONE]	= 0,
};

/*
 * The one place a session's state changes: from @from to @to, if it is in
 * @from. The probes move RUNNING to DONE without gtrace_lock, every other
 * move holds it; the cmpxchg decides a race between the two.
 */
static bool gtrace_session_move(struct gtrace_session *s, int from, int to)
{
	if (WARN_ON_ONCE(!(gtrace_moves[from] & BIT(to))))
		return false;
	if (cmpxchg(&s->state, from, to) != from)
		return false;
	if (to == GTRACE_STATE_STOPPED || to == GTRACE_STATE_DONE)
		WRITE_ONCE(s->stop_ns, ktime_get_ns());
	return true;
}

static void gtrace_task_free(struct gtrace_task *t)
{
	gtrace_sc_table_free(rcu_dereference_protected(t->sc, true));
	gtrace_free(t, sizeof(*t));
}

static void gtrace_task_free_rcu(struct rcu_head *rcu)
{
	gtrace_task_free(container_of(rcu, struct gtrace_task, rcu));
}

static bool gtrace_in_scope(struct gtrace_session *s, struct task_struct *p)
{
	if (p->flags & (PF_KTHREAD | PF_EXITING))
		return false;
	if (s->cgrp && !task_under_cgroup_hierarchy(p, s->cgrp))
		return false;
	if ((s->flags & GTRACE_F_SYSTEM_WIDE) && s->sample_every > 1 &&
	    hash_32(p->tgid, 32) % s->sample_every)
		return false;
	return true;
}

/*
 * Start tracing @p in @s. Runs in probe context (fork) or under RCU
 * (session start): no sleeping allocations.
 */
static void gtrace_attach(struct gtrace_session *s, struct task_struct *p,
			  u32 flags)
{
	const gfp_t gfp = GFP_ATOMIC;
	struct gtrace_task *t;
	int err;

	if (!gtrace_in_scope(s, p))
		return;
	if (atomic_inc_return(&s->nr_tasks) > gtrace_param_max_tasks())
		goto lost;

	t = gtrace_alloc(sizeof(*t), gfp);
	if (!t)
		goto lost;
	RCU_INIT_POINTER(t->sc, gtrace_sc_table_alloc(GTRACE_SC_MIN_SLOTS, gfp));
	if (!rcu_access_pointer(t->sc)) {
		gtrace_task_free(t);
		goto lost;
	}
	t->sess = s;
	t->tid = p->pid;
	t->tgid = p->tgid;
	t->ppid = task_tgid_nr(rcu_dereference(p->real_parent));
	t->flags = flags;
	t->start_ns = ktime_get_ns();
	t->enter_nr = -1;
	t->enter_io = -1;
	strscpy_pad(t->comm, p->comm, sizeof(t->comm));

	err = xa_alloc(&s->tasks, &t->index, t, xa_limit_31b, gfp);
	if (err) {
		gtrace_task_free(t);
		goto lost;
	}
	atomic_inc(&s->live_tasks);
	err = gtrace_pid_link(t);
	if (err) {
		/* -EEXIST: found twice while the session started. */
		atomic_dec(&s->live_tasks);
		xa_erase(&s->tasks, t->index);
		call_rcu(&t->rcu, gtrace_task_free_rcu);
		if (err == -ENOMEM)
			goto lost;
		atomic_dec(&s->nr_tasks);
	}
	return;

lost:
	atomic_dec(&s->nr_tasks);
	atomic64_inc(&s->tasks_lost);
}

static bool gtrace_running(struct gtrace_session *s)
{
	return READ_ONCE(s->state) == GTRACE_STATE_RUNNING;
}

/* sched_process_fork: the parent is current; called under RCU. */
void gtrace_task_fork(struct task_struct *parent, struct task_struct *child)
{
	struct gtrace_session *s;
	struct gtrace_task *pt;

	for (pt = gtrace_pid_head(parent->pid); pt;
	     pt = rcu_dereference(pt->pid_next)) {
		s = pt->sess;
		if (gtrace_running(s) && !(s->flags & GTRACE_F_NO_FOLLOW) &&
		    !(s->flags & GTRACE_F_SYSTEM_WIDE))
			gtrace_attach(s, child, 0);
	}
	list_for_each_entry_rcu(s, &gtrace_syswide, syswide_node)
		if (gtrace_running(s))
			gtrace_attach(s, child, 0);
}

/*
 * @t stops being traced: it exited, or exec'd out of the owner's reach.
 * The last task of a tree ends its session: readers of the rings get what
 * is left, listeners get the event.
 */
static void gtrace_task_gone(struct gtrace_task *t)
{
	struct gtrace_session *s = t->sess;

	if (atomic_dec_and_test(&s->live_tasks) &&
	    !(s->flags & GTRACE_F_SYSTEM_WIDE) &&
	    gtrace_session_move(s, GTRACE_STATE_RUNNING, GTRACE_STATE_DONE)) {
		if (s->rings)
			gtrace_rings_flush(s->rings);
		gtrace_notify_session_done(s);
	}
}

/* sched_process_exit: @p is current, its mm is already gone. */
void gtrace_task_exit(struct task_struct *p)
{
	u64 rss = (u64)READ_ONCE(p->signal->maxrss) << PAGE_SHIFT;
	struct gtrace_task *t, *head;
	u64 now;

	head = gtrace_pid_head(p->pid);
	if (!head)
		return;

	now = ktime_get_ns();
	for (t = head; t; t = rcu_dereference(t->pid_next)) {
		t->exit_ns = now;
		t->exit_code = p->exit_code;
		WRITE_ONCE(t->rss_peak, max(t->rss_peak, rss));
		WRITE_ONCE(t->nvcsw, p->nvcsw);
		WRITE_ONCE(t->nivcsw, p->nivcsw);
		/* Exit data above is visible to whoever sees the flag. */
		smp_store_release(&t->flags, t->flags | GTRACE_TF_EXITED);
		gtrace_notify_task_exit(t);
		gtrace_task_gone(t);
	}

	/* The thread makes no more syscalls: drop the whole chain. */
	gtrace_pid_drop(p->pid, head);
}

/*
 * sched_process_exec: a new comm, and when a non-leader thread execs it
 * takes over the leader's tid, so its chain moves to the new key. An exec
 * that gained privileges (setuid, setgid, file capabilities) leaves every
 * session whose owner could not ptrace the result, as ptrace and perf do;
 * the task is marked DROPPED and counts nothing more.
 */
void gtrace_task_exec(struct task_struct *p, pid_t old_pid, bool secure)
{
	struct gtrace_task *t;

	if (old_pid != p->pid)
		gtrace_pid_move(old_pid, p->pid);

	for (t = gtrace_pid_head(p->pid); t; t = rcu_dereference(t->pid_next)) {
		strscpy_pad(t->comm, p->comm, sizeof(t->comm));
		if (!secure || t->sess->owner_ptrace_cap)
			continue;
		/* Readers that see the flag see the task's last data. */
		smp_store_release(&t->flags, t->flags | GTRACE_TF_DROPPED);
		gtrace_pid_unlink(t);
		gtrace_task_gone(t);
	}
}

/*
 * The rule of ptrace_may_access(PTRACE_MODE_READ_REALCREDS), which is not
 * exported to modules: the caller's real ids match every id of the target,
 * or it has CAP_SYS_PTRACE over the target's user namespace; a target that
 * is not dumpable (setuid, for example) needs CAP_SYS_PTRACE over its mm's
 * namespace. The LSM ptrace hook cannot be called from a module.
 */
int gtrace_may_trace(struct task_struct *task)
{
	const struct cred *cred = current_cred();
	const struct cred *tcred;
	struct mm_struct *mm;
	int ret = 0;

	if (same_thread_group(task, current))
		return 0;

	rcu_read_lock();
	tcred = __task_cred(task);
	if (!(uid_eq(cred->uid, tcred->euid) && uid_eq(cred->uid, tcred->suid) &&
	      uid_eq(cred->uid, tcred->uid) && gid_eq(cred->gid, tcred->egid) &&
	      gid_eq(cred->gid, tcred->sgid) && gid_eq(cred->gid, tcred->gid)) &&
	    !ns_capable(tcred->user_ns, CAP_SYS_PTRACE))
		ret = -EPERM;
	rcu_read_unlock();
	if (ret)
		return ret;

	task_lock(task);
	mm = task->mm;
	if (mm && get_dumpable(mm) != SUID_DUMP_USER &&
	    !ns_capable(mm->user_ns, CAP_SYS_PTRACE))
		ret = -EPERM;
	task_unlock(task);
	return ret;
}

static struct gtrace_session *
gtrace_session_make(const struct gtrace_session_cfg *cfg, struct pid *target,
		    struct cgroup *cgrp, u32 portid, struct net *net)
{
	struct gtrace_session *s;
	int err;

	lockdep_assert_held(&gtrace_lock);

	if (gtrace_nr_sessions >= gtrace_param_max_sessions())
		return ERR_PTR(-ENOSPC);

	s = gtrace_alloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->flags = cfg->flags;
	s->state = GTRACE_STATE_NEW;
	s->sample_every = cfg->sample_every;
	s->owner_portid = portid;
	s->net = net;
	s->owner_uid = current_euid();
	s->owner_ptrace_cap = capable(CAP_SYS_PTRACE);
	xa_init_flags(&s->tasks, XA_FLAGS_ALLOC);
	INIT_LIST_HEAD(&s->syswide_node);

	if (cfg->flags & GTRACE_F_RECORDS) {
		s->rings = gtrace_rings_create(cfg->ring_pages,
					       cfg->flags & GTRACE_F_NO_DROPS ?
					       cfg->wait_max_ms : 0);
		if (!s->rings) {
			err = -ENOMEM;
			goto err_free;
		}
	}

	err = gtrace_probes_get();
	if (err)
		goto err_rings;

	err = xa_alloc(&gtrace_sessions, &s->id, s, xa_limit_31b, GFP_KERNEL);
	if (err)
		goto err_probes;

	/* Only now, so that the error paths above leave the refs to the caller. */
	s->target = get_pid(target);
	if (cgrp) {
		cgroup_get(cgrp);
		s->cgrp = cgrp;
	}
	gtrace_nr_sessions++;
	return s;

err_probes:
	gtrace_probes_put();
err_rings:
	if (s->rings)
		gtrace_rings_put(s->rings);
err_free:
	gtrace_free(s, sizeof(*s));
	return ERR_PTR(err);
}

/* A new session owned by socket @portid of @net; its id in @id. */
int gtrace_session_new(const struct gtrace_session_cfg *cfg, struct pid *target,
		       struct cgroup *cgrp, u32 portid, struct net *net, u32 *id)
{
	struct gtrace_session *s;

	mutex_lock(&gtrace_lock);
	s = gtrace_session_make(cfg, target, cgrp, portid, net);
	if (!IS_ERR(s))
		*id = s->id;
	mutex_unlock(&gtrace_lock);
	return PTR_ERR_OR_ZERO(s);
}

static int gtrace_session_attach_target(struct gtrace_session *s)
{
	struct task_struct *task, *th;

	task = get_pid_task(s->target, PIDTYPE_PID);
	if (!task)
		return -ESRCH;

	/* Running first, so that what forks meanwhile is followed. */
	gtrace_session_move(s, GTRACE_STATE_NEW, GTRACE_STATE_RUNNING);
	rcu_read_lock();
	for_each_thread(task, th)
		gtrace_attach(s, th, th == task ? GTRACE_TF_TARGET : 0);
	rcu_read_unlock();
	put_task_struct(task);

	if (!atomic_read(&s->live_tasks)) {
		/* None attached: out of memory (may retry), or all gone. */
		if (atomic64_read(&s->tasks_lost) &&
		    gtrace_session_move(s, GTRACE_STATE_RUNNING,
					GTRACE_STATE_NEW)) {
			atomic64_set(&s->tasks_lost, 0);
			return -ENOMEM;
		}
		gtrace_session_move(s, GTRACE_STATE_RUNNING, GTRACE_STATE_DONE);
		return -ESRCH;
	}
	return 0;
}

static void gtrace_session_attach_all(struct gtrace_session *s)
{
	struct task_struct *g, *p;

	gtrace_session_move(s, GTRACE_STATE_NEW, GTRACE_STATE_RUNNING);
	list_add_tail_rcu(&s->syswide_node, &gtrace_syswide);
	rcu_read_lock();
	for_each_process_thread(g, p)
		gtrace_attach(s, p, 0);
	rcu_read_unlock();
}

int gtrace_session_start(struct gtrace_session *s)
{
	lockdep_assert_held(&gtrace_lock);

	/* Only this lock's holders leave NEW or STOPPED. */
	switch (READ_ONCE(s->state)) {
	case GTRACE_STATE_RUNNING:
		return 0;
	case GTRACE_STATE_STOPPED:
		gtrace_session_move(s, GTRACE_STATE_STOPPED, GTRACE_STATE_RUNNING);
		return 0;
	case GTRACE_STATE_DONE:
		return -ESRCH;
	}

	s->start_ns = ktime_get_ns();
	if (s->flags & GTRACE_F_SYSTEM_WIDE) {
		gtrace_session_attach_all(s);
		return 0;
	}
	return gtrace_session_attach_target(s);
}

/* Stop counting; the data stays, and readers of the rings get the rest. */
int gtrace_session_stop(struct gtrace_session *s, void *unused)
{
	lockdep_assert_held(&gtrace_lock);

	gtrace_session_move(s, GTRACE_STATE_RUNNING, GTRACE_STATE_STOPPED);
	if (s->rings)
		gtrace_rings_flush(s->rings);
	return 0;
}

/*
 * Whether the caller may use @s, for every way in (netlink, /dev/gtrace):
 * a session exists only in the network namespace of the socket that made
 * it, and serves only its owner's effective uid.
 */
static int gtrace_session_access(const struct gtrace_session *s,
				 const struct net *net)
{
	if (!net_eq(s->net, net))
		return -ENOENT;
	if (!uid_eq(current_euid(), s->owner_uid))
		return -EPERM;
	return 0;
}

/*
 * Run @fn on session @id under gtrace_lock, if the caller in @net may use
 * it: -ENOENT when there is no such session there, -EPERM when it belongs
 * to someone else (@fn returns neither), else what @fn returns.
 */
int gtrace_session_call(u32 id, struct net *net, gtrace_session_fn fn,
			void *arg)
{
	struct gtrace_session *s;
	int err;

	mutex_lock(&gtrace_lock);
	s = xa_load(&gtrace_sessions, id);
	err = s ? gtrace_session_access(s, net) : -ENOENT;
	if (!err)
		err = fn(s, arg);
	mutex_unlock(&gtrace_lock);
	return err;
}

int gtrace_session_del(struct gtrace_session *s, void *unused)
{
	struct gtrace_task *t;
	unsigned long idx;

	lockdep_assert_held(&gtrace_lock);

	xa_erase(&gtrace_sessions, s->id);
	gtrace_nr_sessions--;
	gtrace_session_stop(s, NULL);
	if (!list_empty(&s->syswide_node))
		list_del_rcu(&s->syswide_node);
	/* No probe sees the session running after this: no new tasks. */
	synchronize_rcu();

	xa_for_each(&s->tasks, idx, t)
		gtrace_pid_unlink(t);
	/* No probe holds any of its tasks after this. */
	synchronize_rcu();

	xa_for_each(&s->tasks, idx, t)
		gtrace_task_free(t);
	xa_destroy(&s->tasks);

	if (s->rings) {
		gtrace_dropped_total += gtrace_rings_dropped(s->rings);
		gtrace_rings_put(s->rings);
	}
	if (s->cgrp)
		cgroup_put(s->cgrp);
	put_pid(s->target);
	gtrace_free(s, sizeof(*s));
	gtrace_probes_put();
	return 0;
}

/* The netlink socket that owned these sessions is gone. */
void gtrace_sessions_release(struct net *net, u32 portid)
{
	struct gtrace_session *s;
	unsigned long id;

	mutex_lock(&gtrace_lock);
	xa_for_each(&gtrace_sessions, id, s)
		if (s->net == net && s->owner_portid == portid)
			gtrace_session_del(s, NULL);
	mutex_unlock(&gtrace_lock);
}

void gtrace_sessions_del_all(void)
{
	struct gtrace_session *s;
	unsigned long id;

	mutex_lock(&gtrace_lock);
	xa_for_each(&gtrace_sessions, id, s)
		gtrace_session_del(s, NULL);
	mutex_unlock(&gtrace_lock);
}

/* How many sessions exist and how many records their rings ever dropped. */
void gtrace_sessions_status(u32 *sessions, u64 *drops)
{
	struct gtrace_session *s;
	unsigned long id;

	mutex_lock(&gtrace_lock);
	*sessions = gtrace_nr_sessions;
	*drops = gtrace_dropped_total;
	xa_for_each(&gtrace_sessions, id, s)
		if (s->rings)
			*drops += gtrace_rings_dropped(s->rings);
	mutex_unlock(&gtrace_lock);
}
