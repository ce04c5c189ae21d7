// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoint probes: sys_enter/sys_exit count and time syscalls,
 * sched_process_fork/exit/exec follow the traced trees.
 *
 * The syscall tracepoints are not exported, so they are found by name with
 * for_each_kernel_tracepoint(). Probes are registered while at least one
 * session exists; an idle module costs nothing. Since Linux 6.13 syscall
 * tracepoints may run preemptible: the per-call state lives in the task's
 * own gtrace_task, and the ring write disables preemption itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/major.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/binfmts.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <asm/syscall.h>
#include <asm/unistd.h>
#ifdef CONFIG_IA32_EMULATION
#include <asm/unistd_32_ia32.h>
#endif

#include "gtrace_internal.h"

#define GTRACE_DRM_MAJOR	226
#define GTRACE_NVIDIA_MAJOR	195

static bool gtrace_name_is(const struct dentry *d, const char *name)
{
	return !strcmp((const char *)READ_ONCE(d->d_name.name), name);
}

/* /dev/nvidia*, /dev/dri/<any>, /dev/kfd, /dev/accel/<any> */
static bool gtrace_gpu_node(const struct inode *inode, struct dentry *d)
{
	struct dentry *parent = READ_ONCE(d->d_parent);
	unsigned int major = imajor(inode);

	if (major == GTRACE_DRM_MAJOR || major == GTRACE_NVIDIA_MAJOR)
		return true;
	if (!strncmp((const char *)READ_ONCE(d->d_name.name), "nvidia", 6) ||
	    gtrace_name_is(d, "kfd"))
		return true;
	return parent && parent != d &&
	       (gtrace_name_is(parent, "dri") || gtrace_name_is(parent, "accel"));
}

static u8 gtrace_classify_file(struct file *f)
{
	struct inode *inode = file_inode(f);
	u8 class;

	switch (inode->i_mode & S_IFMT) {
	case S_IFREG:
		class = GTRACE_FC_REGULAR;
		break;
	case S_IFIFO:
		class = GTRACE_FC_PIPE;
		break;
	case S_IFSOCK:
		class = GTRACE_FC_SOCKET;
		break;
	case S_IFCHR:
		switch (imajor(inode)) {
		case TTY_MAJOR:
		case TTYAUX_MAJOR:
		case UNIX98_PTY_SLAVE_MAJOR ...
		     UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT - 1:
			class = GTRACE_FC_TTY;
			break;
		default:
			class = gtrace_gpu_node(inode, f->f_path.dentry) ?
				GTRACE_FC_GPU : GTRACE_FC_CHAR;
		}
		break;
	default:
		class = GTRACE_FC_OTHER;
	}
	return class;
}

/*
 * The class of what @fd names. A task that shares its file table with no
 * other cannot see the file closed under it here, in its own syscall
 * entry: it looks without a reference, as fdget() does; the others take
 * one.
 */
static u8 gtrace_classify_fd(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f;
	u8 class;

	if (likely(atomic_read(&files->count) == 1)) {
		f = files_lookup_fd_raw(files, fd);
		return f ? gtrace_classify_file(f) : GTRACE_FC_NONE;
	}
	f = fget(fd);
	if (!f)
		return GTRACE_FC_NONE;
	class = gtrace_classify_file(f);
	fput(f);
	return class;
}

/* The I/O kind of a syscall on a file descriptor, and which argument is it. */
static int gtrace_io_kind(u8 abi, u16 nr, unsigned int *fd_arg)
{
	*fd_arg = 0;
#ifdef CONFIG_IA32_EMULATION
	if (abi == GTRACE_ABI_IA32) {
		switch (nr) {
		case __NR_ia32_read:
		case __NR_ia32_readv:
		case __NR_ia32_pread64:
		case __NR_ia32_preadv:
		case __NR_ia32_preadv2:
		case __NR_ia32_recvfrom:
		case __NR_ia32_recvmsg:
			return GTRACE_IO_READ;
		case __NR_ia32_write:
		case __NR_ia32_writev:
		case __NR_ia32_pwrite64:
		case __NR_ia32_pwritev:
		case __NR_ia32_pwritev2:
		case __NR_ia32_sendto:
		case __NR_ia32_sendmsg:
			return GTRACE_IO_WRITE;
		case __NR_ia32_ioctl:
			return GTRACE_IO_IOCTL;
		case __NR_ia32_mmap2:
			*fd_arg = 4;
			return GTRACE_IO_MMAP;
		}
		return -1;
	}
#endif
	switch (nr) {
	case __NR_read:
	case __NR_readv:
	case __NR_pread64:
	case __NR_preadv:
	case __NR_preadv2:
	case __NR_recvfrom:
	case __NR_recvmsg:
		return GTRACE_IO_READ;
	case __NR_write:
	case __NR_writev:
	case __NR_pwrite64:
	case __NR_pwritev:
	case __NR_pwritev2:
	case __NR_sendto:
	case __NR_sendmsg:
		return GTRACE_IO_WRITE;
	case __NR_ioctl:
		return GTRACE_IO_IOCTL;
	case __NR_mmap:
		*fd_arg = 4;
		return GTRACE_IO_MMAP;
	}
	return -1;
}

static bool gtrace_is_exit(u8 abi, u16 nr)
{
#ifdef CONFIG_IA32_EMULATION
	if (abi == GTRACE_ABI_IA32)
		return nr == __NR_ia32_exit || nr == __NR_ia32_exit_group;
#endif
	return nr == __NR_exit || nr == __NR_exit_group;
}

/*
 * What the call is. The I/O calls need their arguments: they are read into
 * @head's enter_args, where a session with records finds them.
 */
static __always_inline void gtrace_call_decode(struct gtrace_call *c,
					       struct pt_regs *regs, long id,
					       struct gtrace_task *head)
{
	unsigned long *args = head->enter_args;
	unsigned int fd_arg;

	c->abi = GTRACE_ABI_X86_64;
	if (in_ia32_syscall()) {
		c->abi = GTRACE_ABI_IA32;
	} else if (id >= 0 && (id & __X32_SYSCALL_BIT)) {
		c->abi = GTRACE_ABI_X32;
		id &= ~__X32_SYSCALL_BIT;
	}
	/* syscall(-1) and friends: counted under one out-of-range number. */
	c->nr = id >= 0 && id < U16_MAX ? id : U16_MAX;
	c->fclass = GTRACE_FC_NONE;
	c->len = 0;
	c->io = gtrace_io_kind(c->abi, c->nr, &fd_arg);
	if (likely(c->io < 0))
		return;

	syscall_get_arguments(current, regs, args);
	if (c->io == GTRACE_IO_MMAP) {
		if (args[3] & MAP_ANONYMOUS) {
			c->io = -1;
			return;
		}
		c->len = args[1];
	}
	c->fclass = gtrace_classify_fd(args[fd_arg]);
}

/* Peak memory, taken while the mm still exists: exit and exit_group. */
static void gtrace_task_peaks(struct gtrace_task *t)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return;
	WRITE_ONCE(t->rss_peak, (u64)get_mm_hiwater_rss(mm) << PAGE_SHIFT);
	WRITE_ONCE(t->vm_peak,
		   (u64)max(mm->hiwater_vm, mm->total_vm) << PAGE_SHIFT);
}

/* The call's record, for the sessions that want them. */
static noinline void gtrace_task_record(struct gtrace_task *t,
					struct gtrace_rings *rings, long ret,
					u64 now)
{
	/* Ends in ring order even across CPU clocks. */
	u64 ts = min(t->enter_ns, now);
	struct gtrace_record rec = {
		.ts_ns = ts,
		.dur_ns = now - ts,
		.ret = ret,
		.tid = t->tid,
		.nr = t->enter_nr,
		.abi = t->enter_abi,
		.fclass = t->enter_fclass,
		.ip = t->enter_ip,
		.pid = t->tgid,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rec.args); i++)
		rec.args[i] = t->enter_args[i];
	gtrace_rings_write(rings, &rec);
}

/*
 * The syscall probes run for every task of the system while a session
 * exists. Each is split in two: the probe itself only asks the tid table
 * whether the task may be traced, with no stack frame to set up, and
 * calls the out-of-line rest for the tasks that are.
 */
static noinline void gtrace_sys_enter(struct gtrace_pidmap *data,
				      struct pt_regs *regs, long id)
{
	struct gtrace_task *head, *t;
	struct gtrace_call c;
	u64 now;

	preempt_disable_notrace();
	head = gtrace_pidmap_head(data, current->pid);
	if (!head)
		goto out;

	gtrace_call_decode(&c, regs, id, head);
	now = local_clock();
	for (t = head; t; t = gtrace_rcu_deref(t->pid_next)) {
		if (READ_ONCE(t->sess->state) != GTRACE_STATE_RUNNING) {
			t->enter_nr = -1;
			continue;
		}
		t->enter_nr = c.nr;
		t->enter_abi = c.abi;
		t->enter_fclass = c.fclass;
		t->enter_io = c.io;
		t->enter_len = c.len;
		t->enter_ns = now;
		if (t->sess->rings) {
			if (t != head || c.io < 0)
				syscall_get_arguments(current, regs,
						      t->enter_args);
			t->enter_ip = instruction_pointer(regs);
		}
		if (unlikely(gtrace_is_exit(c.abi, c.nr)))
			gtrace_task_peaks(t);
	}
out:
	preempt_enable_notrace();
}

static noinline void gtrace_sys_exit(struct gtrace_pidmap *data,
				     struct pt_regs *regs, long ret)
{
	struct gtrace_task *t;
	u64 now;

	preempt_disable_notrace();
	t = gtrace_pidmap_head(data, current->pid);
	if (!t)
		goto out;

	now = local_clock();
	for (; t; t = gtrace_rcu_deref(t->pid_next)) {
		struct gtrace_session *s = t->sess;

		if (t->enter_nr < 0)
			continue;
		if (READ_ONCE(s->state) == GTRACE_STATE_RUNNING) {
			gtrace_task_account(t, ret, now);
			if (s->rings)
				gtrace_task_record(t, s->rings, ret, now);
		}
		t->enter_nr = -1;
	}
out:
	preempt_enable_notrace();
}

/*
 * @data of every probe is the tid table, gtrace_pidmap(). Not traced by
 * ftrace: no __fentry__ call on the way of every syscall.
 */
static notrace void gtrace_probe_sys_enter(void *data, struct pt_regs *regs,
					   long id)
{
	if (unlikely(gtrace_pidmap_maybe(data, current->pid)))
		gtrace_sys_enter(data, regs, id);
}

static notrace void gtrace_probe_sys_exit(void *data, struct pt_regs *regs,
					  long ret)
{
	if (unlikely(gtrace_pidmap_maybe(data, current->pid)))
		gtrace_sys_exit(data, regs, ret);
}

static void gtrace_probe_fork(void *data, struct task_struct *parent,
			      struct task_struct *child)
{
	rcu_read_lock();
	gtrace_task_fork(parent, child);
	rcu_read_unlock();
}

static void gtrace_probe_exit(void *data, struct task_struct *p)
{
	rcu_read_lock();
	gtrace_task_exit(p);
	rcu_read_unlock();
}

static void gtrace_probe_exec(void *data, struct task_struct *p, pid_t old_pid,
			      struct linux_binprm *bprm)
{
	rcu_read_lock();
	gtrace_task_exec(p, old_pid, bprm->secureexec);
	rcu_read_unlock();
}

struct gtrace_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct gtrace_tp gtrace_tps[] = {
	{ .name = "sys_enter", .probe = gtrace_probe_sys_enter },
	{ .name = "sys_exit", .probe = gtrace_probe_sys_exit },
	{ .name = "sched_process_fork", .probe = gtrace_probe_fork },
	{ .name = "sched_process_exit", .probe = gtrace_probe_exit },
	{ .name = "sched_process_exec", .probe = gtrace_probe_exec },
};

/* Users of the probes (sessions), under gtrace_probes_lock. */
static DEFINE_MUTEX(gtrace_probes_lock);
static unsigned int gtrace_probe_users;

static void gtrace_tp_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gtrace_tps); i++)
		if (!strcmp(tp->name, gtrace_tps[i].name))
			gtrace_tps[i].tp = tp;
}

static void gtrace_probes_unregister(unsigned int n)
{
	while (n--)
		if (tracepoint_probe_unregister(gtrace_tps[n].tp,
						gtrace_tps[n].probe,
						gtrace_pidmap()))
			pr_err("cannot unregister from %s\n", gtrace_tps[n].name);
	/* No probe runs any more once this returns; then data may go. */
	tracepoint_synchronize_unregister();
	gtrace_pidmap_free();
}

int gtrace_probes_get(void)
{
	unsigned int i;
	int err;

	mutex_lock(&gtrace_probes_lock);
	err = 0;
	if (gtrace_probe_users++)
		goto out;

	err = gtrace_pidmap_alloc();
	if (err) {
		gtrace_probe_users--;
		goto out;
	}
	for_each_kernel_tracepoint(gtrace_tp_find, NULL);
	for (i = 0; i < ARRAY_SIZE(gtrace_tps); i++) {
		if (!gtrace_tps[i].tp) {
			pr_err("tracepoint %s not found\n", gtrace_tps[i].name);
			err = -ENOENT;
			goto err_unregister;
		}
		err = tracepoint_probe_register(gtrace_tps[i].tp,
						gtrace_tps[i].probe,
						gtrace_pidmap());
		if (err) {
			pr_err("cannot register on %s: %d\n", gtrace_tps[i].name, err);
			goto err_unregister;
		}
	}
	goto out;

err_unregister:
	gtrace_probes_unregister(i);
	gtrace_probe_users--;
out:
	mutex_unlock(&gtrace_probes_lock);
	return err;
}

void gtrace_probes_put(void)
{
	mutex_lock(&gtrace_probes_lock);
	if (!WARN_ON_ONCE(!gtrace_probe_users) && !--gtrace_probe_users)
		gtrace_probes_unregister(ARRAY_SIZE(gtrace_tps));
	mutex_unlock(&gtrace_probes_lock);
}

bool gtrace_probes_registered(void)
{
	return READ_ONCE(gtrace_probe_users) > 0;
}
