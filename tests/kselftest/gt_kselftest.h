/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the gtrace kernel selftests: run a workload in a child
 * that waits until its session has started, and look things up in a dump.
 */
#ifndef GT_KSELFTEST_H
#define GT_KSELFTEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtrace/client.h>

/* Whether gtrace.ko is loaded. */
static inline bool gt_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/gtrace", &st) == 0 && S_ISDIR(st.st_mode);
}

/* Write "N\n" to the file at path (a module parameter, cgroup.procs). */
static inline int gt_write_int(const char *path, int n)
{
	char buf[32];
	int fd = open(path, O_WRONLY), len, ok;

	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%d\n", n);
	ok = write(fd, buf, len) == len;
	close(fd);
	return ok ? 0 : -1;
}

/* A child's body for gt_spawn(): getppid until killed. */
static inline int gt_spin_getppid(void *arg)
{
	for (;;)
		syscall(SYS_getppid);
	return 0;
}

/* A child that runs fn() once gt_release() says so, then exits with it. */
struct gt_child {
	pid_t pid;
	int go;			/* write end of the start pipe */
};

static inline int gt_spawn(struct gt_child *c, int (*fn)(void *), void *arg)
{
	int p[2];
	char b;

	if (pipe(p))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		close(p[1]);
		if (read(p[0], &b, 1) != 1)
			_exit(125);
		close(p[0]);
		_exit(fn(arg));
	}
	/* Its close() and read() above are not fn()'s calls: wait for them. */
	gt_wait_blocked_read(c->pid, p[0], 5000);
	close(p[0]);
	c->go = p[1];
	return 0;
}

static inline int gt_release(struct gt_child *c)
{
	int ret = write(c->go, "g", 1) == 1 ? 0 : -errno;

	close(c->go);
	return ret;
}

/* Wait for the child; its exit status or -1. */
static inline int gt_wait(struct gt_child *c)
{
	int st;

	if (waitpid(c->pid, &st, 0) != c->pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* End a child that may never have been released. */
static inline void gt_kill(struct gt_child *c)
{
	kill(c->pid, SIGKILL);
	close(c->go);
	gt_wait(c);
}

/*
 * Trace fn() in a child from its first syscall to its exit with a new
 * session of @cl: returns the session id (> 0) or a negative errno.
 */
static inline int gt_trace_child(struct gt_client *cl, uint32_t flags,
				 uint32_t ring_pages, int (*fn)(void *),
				 void *arg, uint32_t *id, int *status)
{
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	struct gt_child c = { .pid = -1, .go = -1 };
	int err;

	err = gt_spawn(&c, fn, arg);
	if (err)
		return err;
	o.target_pid = c.pid;
	o.flags = flags;
	o.ring_pages = ring_pages;
	err = gt_session_new(cl, &o, id);
	if (!err)
		err = gt_session_start(cl, *id);
	if (err) {
		gt_kill(&c);
		return err;
	}
	gt_release(&c);
	*status = gt_wait(&c);
	return 0;
}

static inline const struct gt_syscall_stat *
gt_task_sc(const struct gt_task *t, uint8_t abi, uint32_t nr)
{
	size_t i;

	for (i = 0; i < t->nr_syscalls; i++)
		if (t->syscalls[i].abi == abi && t->syscalls[i].nr == nr)
			return &t->syscalls[i];
	return NULL;
}

static inline uint64_t gt_task_calls(const struct gt_task *t, uint8_t abi,
				     uint32_t nr)
{
	const struct gt_syscall_stat *s = gt_task_sc(t, abi, nr);

	return s ? s->calls : 0;
}

static inline uint64_t gt_task_errno(const struct gt_task *t, uint8_t abi,
				     uint32_t nr, uint32_t err)
{
	size_t i;

	for (i = 0; i < t->nr_errnos; i++)
		if (t->errnos[i].abi == abi && t->errnos[i].nr == nr &&
		    t->errnos[i].err == err)
			return t->errnos[i].count;
	return 0;
}

#endif /* GT_KSELFTEST_H */
