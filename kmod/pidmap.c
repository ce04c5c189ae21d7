// SPDX-License-Identifier: GPL-2.0
/*
 * tid -> chain of gtrace_task: the lookup every syscall of every task makes
 * while a session exists, so it must cost next to nothing for a task that
 * is not traced.
 *
 * A two-level table indexed by the global tid: a directory covering
 * PID_MAX_LIMIT and chunks of 1024 slots, each allocated when a tid in its
 * range is first traced. A lookup is two dependent loads, with no lock and
 * no call (an xarray walk cost several hundred ns per syscall under
 * emulation). Chunks live until the probes are unregistered; the tasks a
 * slot points to are RCU protected. Writers hold gtrace_pid_lock.
 *
 * In front of it, a bitmap with one bit per tid, set while its slot holds
 * a chain: the only thing an untraced task's syscall looks at, one bit
 * test. Both exist while the probes are registered.
 */
#include <linux/spinlock.h>

#include "gtrace_internal.h"

static struct gtrace_pidmap *gtrace_pids;
static DEFINE_SPINLOCK(gtrace_pid_lock);

/* Before the probes are registered, with gtrace_probes_lock held. */
int gtrace_pidmap_alloc(void)
{
	gtrace_pids = gtrace_vzalloc(sizeof(*gtrace_pids));
	return gtrace_pids ? 0 : -ENOMEM;
}

struct gtrace_pidmap *gtrace_pidmap(void)
{
	return gtrace_pids;
}

struct gtrace_task *gtrace_pid_head(pid_t pid)
{
	return gtrace_pidmap_head(gtrace_pids, pid);
}

static struct gtrace_task __rcu **gtrace_pid_slot(pid_t pid, bool create)
{
	struct gtrace_task __rcu **chunk;
	unsigned int dir = (unsigned int)pid >> GTRACE_PID_CHUNK_SHIFT;

	lockdep_assert_held(&gtrace_pid_lock);
	if (dir >= GTRACE_PID_DIRS)
		return NULL;
	chunk = gtrace_pids->dir[dir];
	if (!chunk && create) {
		chunk = gtrace_alloc(GTRACE_PID_CHUNK * sizeof(*chunk), GFP_ATOMIC);
		/* Lock-free readers see a zeroed chunk. */
		smp_store_release(&gtrace_pids->dir[dir], chunk);
	}
	return chunk ? &chunk[pid & (GTRACE_PID_CHUNK - 1)] : NULL;
}

/* @pid's slot changed: its bit says whether it holds a chain. */
static void gtrace_pid_bit_update(pid_t pid)
{
	struct gtrace_task __rcu **slot = gtrace_pid_slot(pid, false);

	if (!slot)
		return;
	if (rcu_access_pointer(*slot))
		__set_bit(pid, gtrace_pids->maybe);
	else
		__clear_bit(pid, gtrace_pids->maybe);
}

/*
 * Put @t at the head of its tid's chain: -EEXIST when its session is there
 * already, -ENOMEM when no chunk could be had.
 */
int gtrace_pid_link(struct gtrace_task *t)
{
	struct gtrace_task __rcu **slot;
	struct gtrace_task *head, *x;
	int err = -ENOMEM;

	spin_lock(&gtrace_pid_lock);
	slot = gtrace_pid_slot(t->tid, true);
	if (!slot)
		goto out;
	err = -EEXIST;
	head = rcu_dereference_protected(*slot, true);
	for (x = head; x; x = rcu_dereference_protected(x->pid_next, true))
		if (x->sess == t->sess)
			goto out;
	RCU_INIT_POINTER(t->pid_next, head);
	/* slot is non-NULL: t->tid is below PID_MAX_LIMIT. */
	__set_bit(t->tid, gtrace_pids->maybe);
	rcu_assign_pointer(*slot, t);
	err = 0;
out:
	spin_unlock(&gtrace_pid_lock);
	return err;
}

/* Take @t out of its tid's chain, if it is still there. */
void gtrace_pid_unlink(struct gtrace_task *t)
{
	struct gtrace_task __rcu **link;

	spin_lock(&gtrace_pid_lock);
	link = gtrace_pid_slot(t->tid, false);
	while (link) {
		struct gtrace_task *x = rcu_dereference_protected(*link, true);

		if (!x)
			break;
		if (x == t) {
			rcu_assign_pointer(*link,
					   rcu_dereference_protected(t->pid_next, true));
			gtrace_pid_bit_update(t->tid);
			break;
		}
		link = &x->pid_next;
	}
	spin_unlock(&gtrace_pid_lock);
}

/* The thread @pid is gone: empty its slot if it still holds @head. */
void gtrace_pid_drop(pid_t pid, struct gtrace_task *head)
{
	struct gtrace_task __rcu **slot;

	spin_lock(&gtrace_pid_lock);
	slot = gtrace_pid_slot(pid, false);
	if (slot && rcu_access_pointer(*slot) == head) {
		RCU_INIT_POINTER(*slot, NULL);
		gtrace_pid_bit_update(pid);
	}
	spin_unlock(&gtrace_pid_lock);
}

/*
 * A thread that execs takes over its leader's tid: move its chain, unless
 * the new slot is taken. Returns the chain now under @pid.
 */
struct gtrace_task *gtrace_pid_move(pid_t old_pid, pid_t pid)
{
	struct gtrace_task __rcu **from, **to;
	struct gtrace_task *head = NULL, *t;

	spin_lock(&gtrace_pid_lock);
	from = gtrace_pid_slot(old_pid, false);
	to = gtrace_pid_slot(pid, true);
	if (from && to && !rcu_access_pointer(*to)) {
		head = rcu_dereference_protected(*from, true);
		for (t = head; t; t = rcu_dereference_protected(t->pid_next, true))
			WRITE_ONCE(t->tid, pid);
		__set_bit(pid, gtrace_pids->maybe);
		rcu_assign_pointer(*to, head);
		RCU_INIT_POINTER(*from, NULL);
		gtrace_pid_bit_update(old_pid);
	}
	spin_unlock(&gtrace_pid_lock);
	return head;
}

/* No probe runs any more: the table can go. */
void gtrace_pidmap_free(void)
{
	unsigned int i;

	if (!gtrace_pids)
		return;
	for (i = 0; i < GTRACE_PID_DIRS; i++)
		gtrace_free(gtrace_pids->dir[i],
			    GTRACE_PID_CHUNK * sizeof(*gtrace_pids->dir[i]));
	gtrace_vfree(gtrace_pids, sizeof(*gtrace_pids));
	gtrace_pids = NULL;
}
