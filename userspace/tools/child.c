// SPDX-License-Identifier: GPL-2.0
/*
 * The traced command's process tree (child.h): PATH lookup, the fork and
 * its release pipe, the signals gtrace-run passes on, and the wait for
 * every process of the tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

uint64_t child_now_ns(int clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- PATH ---------------------------------------------------------------- */

int child_find(struct child *c, const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	int err = -ENOENT;
	char *full;

	if (strchr(name, '/')) {
		if (access(name, X_OK))
			return -errno;
		c->file = strdup(name);
		return c->file ? 0 : -ENOMEM;
	}
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		size_t len;

		end = strchrnul(p, ':');
		len = (size_t)(end - p);
		if (asprintf(&full, "%.*s%s%s", (int)len, len ? p : ".",
			     len && p[len - 1] == '/' ? "" : "/", name) < 0)
			return -ENOMEM;
		if (!access(full, X_OK)) {
			struct stat st;

			if (!stat(full, &st) && S_ISREG(st.st_mode)) {
				c->file = full;
				return 0;
			}
		} else if (errno == EACCES) {
			err = -EACCES;
		}
		free(full);
		if (!*end)
			break;
	}
	return err;
}

/* ---- fork and release ---------------------------------------------------- */

int child_fork(struct child *c, char **argv)
{
	int p[2], e[2], err;
	char b;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	if (pipe2(e, O_CLOEXEC)) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		close(e[0]);
		close(e[1]);
		return err;
	}
	if (c->pid == 0) {
		close(p[1]);
		close(e[0]);
		/* EOF instead of the byte: gtrace-run gave up; do not run. */
		if (read(p[0], &b, 1) != 1)
			_exit(127);
		execv(c->file, argv);
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(err == ENOENT ? 127 : 126);
	}
	close(p[0]);
	close(e[1]);
	c->go = p[1];
	c->execerr = e[0];
	/* Orphans of the tree come back to us, to be waited for. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return 0;
}

static void reap(struct child *c, pid_t w, int st)
{
	if (w == c->pid && !c->done) {
		c->done = true;
		c->status = st;
		c->end_ns = child_now_ns(CLOCK_MONOTONIC);
	}
}

int child_release(struct child *c)
{
	ssize_t n;
	int e, st;

	if (write(c->go, "g", 1) != 1)
		kill(c->pid, SIGKILL);
	close(c->go);
	c->go = -1;
	do {
		n = read(c->execerr, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(c->execerr);
	c->execerr = -1;
	if (n != sizeof(e))
		return 0;
	if (waitpid(c->pid, &st, 0) == c->pid)
		reap(c, c->pid, st);
	return e;
}

void child_abort(struct child *c)
{
	int st;

	close(c->go);	/* the child reads EOF and leaves */
	close(c->execerr);
	c->go = c->execerr = -1;
	if (waitpid(c->pid, &st, 0) == c->pid)
		reap(c, c->pid, st);
}

/* ---- signals ------------------------------------------------------------- */

static volatile sig_atomic_t got_signal;	/* to forward, or to stop on */
static volatile sig_atomic_t got_tty_signal;	/* Ctrl-C and friends */

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	/*
	 * A signal from the terminal reached the whole foreground process
	 * group, the traced program included: it needs no second copy.
	 */
	if (si && si->si_code == SI_KERNEL)
		got_tty_signal = sig;
	else
		got_signal = sig;
}

static void on_sigchld(int sig)
{
}

void child_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	/*
	 * A child's exit interrupts the ring's poll(), which is never
	 * restarted; writes of records are, so that no EINTR cuts them.
	 */
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool child_stop_requested(void)
{
	return got_signal || got_tty_signal;
}

/* ---- the wait ------------------------------------------------------------ */

void child_wait_tree(struct child *c, void (*io)(void *ctx), void *ctx)
{
	int st;
	pid_t w;

	for (;;) {
		if (got_signal && !c->done) {
			kill(c->pid, got_signal);
			got_signal = 0;
		}
		/* The command is gone: a signal now means "stop waiting". */
		if ((got_tty_signal || got_signal) && c->done)
			break;
		got_tty_signal = 0;
		if (io) {
			io(ctx);
			while ((w = waitpid(-1, &st, WNOHANG)) > 0)
				reap(c, w, st);
		} else {
			w = waitpid(-1, &st, 0);
			if (w > 0)
				reap(c, w, st);
		}
		if (w < 0 && errno == ECHILD)
			break;
	}
	if (!c->done) {	/* cannot be: it was our child */
		c->done = true;
		c->end_ns = child_now_ns(CLOCK_MONOTONIC);
	}
}

void child_free(struct child *c)
{
	if (c->go >= 0)
		close(c->go);
	if (c->execerr >= 0)
		close(c->execerr);
	free(c->file);
}
