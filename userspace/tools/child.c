// SPDX-License-Identifier: GPL-2.0
/*
 * The traced command's process tree (child.h): PATH lookup, the fork and
 * its release pipe, the signals gtrace-run passes on, and the wait for
 * every process of the tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gtrace/client.h>

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

static void restore_signals(void);

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
		restore_signals();
		/* EOF instead of the byte: gtrace-run gave up; do not run. */
		if (read(p[0], &b, 1) != 1)
			_exit(127);
		execv(c->file, argv);
		err = errno;
		if (write(e[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(err == ENOENT ? 127 : 126);
	}
	/* The child's own calls before it blocks are not the program's. */
	gt_wait_blocked_read(c->pid, p[0], 2000);
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

/*
 * gtrace-run stands where the shell would be, as the traced program's
 * parent, in the same process group: it must survive whatever the tree
 * sends it, stop and go on with the job, and pass on what others send.
 * Every catchable signal is caught; the handler sorts them:
 *   - from the terminal (SI_KERNEL): the whole foreground process group,
 *     the program included, has it already. SIGTSTP, SIGTTIN and SIGTTOU
 *     stop gtrace-run too, as the job it is part of; SIGINT, SIGTERM,
 *     SIGHUP and SIGQUIT after the program's exit end the wait;
 *   - from a process of the traced tree (a daemon saying "ready" with
 *     SIGUSR1 to its parent, kill(getppid(), ...)): ignored, as the shell
 *     in gtrace-run's place would;
 *   - from anyone else: passed on to the root of the tree, which decides
 *     (SIGTERM ends it, and the report is complete as ever).
 * A real fault of gtrace-run's own (SIGSEGV with a kernel si_code) goes
 * back to the default action and kills it, as it must.
 */
static sigset_t orig_mask;			/* what the program gets */
static struct sigaction orig_action[NSIG];
static bool caught[NSIG];
static pid_t self;
static int wake[2] = { -1, -1 };		/* a signal came: wake the wait */
static volatile sig_atomic_t pending[NSIG];	/* to pass on to the root */
static volatile sig_atomic_t stop_wait;	/* INT, TERM, HUP, QUIT came */

/* @v's digits from @s on; the end, or NULL. Safe in a signal handler. */
static const char *scan_uint(const char *s, long *v)
{
	if (*s < '0' || *s > '9')
		return NULL;
	for (*v = 0; *s >= '0' && *s <= '9'; s++)
		*v = *v * 10 + (*s - '0');
	return s;
}

/*
 * The parent of @pid from /proc, 0 when it is gone. Only open, read and
 * close: safe in a signal handler.
 */
static pid_t parent_of(pid_t pid)
{
	char path[40] = "/proc/", buf[512], digits[16];
	const char *p;
	int fd, n = 0, i;
	ssize_t len;
	long v;

	for (v = pid; v; v /= 10)
		digits[n++] = (char)('0' + v % 10);
	for (i = 6; n; )
		path[i++] = digits[--n];
	memcpy(path + i, "/stat", 6);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	/* "pid (comm) S ppid ...": comm may hold anything, ')' included. */
	p = NULL;
	for (i = 0; i < len; i++)
		if (buf[i] == ')')
			p = buf + i;
	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return 0;
	return scan_uint(p + 4, &v) ? (pid_t)v : 0;
}

/* Whether @pid is a process of the traced tree: gtrace-run is its ancestor. */
static bool in_tree(pid_t pid)
{
	int depth;

	for (depth = 0; pid > 1 && depth < 4096; depth++) {
		pid = parent_of(pid);
		if (pid == self)
			return true;
	}
	return false;
}

static bool is_job_stop(int sig)
{
	return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static bool is_stop_request(int sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
	       sig == SIGQUIT;
}

/* Wake child_wait_tree(): waitpid() is restarted, poll() may be late. */
static void wake_up(void)
{
	if (wake[1] >= 0 && write(wake[1], "", 1) < 0) {
		/* Full: a wakeup is pending anyway. */
	}
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	int saved = errno;

	if (si->si_code > 0 && si->si_code != SI_KERNEL &&
	    (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
	     sig == SIGILL || sig == SIGTRAP || sig == SIGSYS)) {
		/* Our own fault: the default action, when it comes again. */
		signal(sig, SIG_DFL);
		return;
	}
	if (si->si_code == SI_KERNEL || si->si_pid == 0) {
		if (is_job_stop(sig))
			kill(self, SIGSTOP);	/* with the rest of the job */
		else if (is_stop_request(sig))
			stop_wait = 1;
	} else if (!in_tree(si->si_pid)) {
		pending[sig] = 1;
		if (is_stop_request(sig))
			stop_wait = 1;
	}
	wake_up();
	errno = saved;
}

static void on_sigchld(int sig)
{
	int saved = errno;

	wake_up();
	errno = saved;
}

void child_init(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	int sig;

	self = getpid();
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK))
		wake[0] = wake[1] = -1;	/* then the wait polls, 200 ms at a time */
	sigprocmask(SIG_SETMASK, NULL, &orig_mask);
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &orig_action[sig]))
			continue;	/* glibc's own (SIGCANCEL, SIGSETXID) */
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		/* Ignored when we came (nohup, a background job): stays so. */
		if (orig_action[sig].sa_handler == SIG_IGN)
			continue;
		if (sig == SIGCHLD) {
			/*
			 * A child's exit interrupts the ring's poll(), which
			 * is never restarted; writes of records are, so that
			 * no EINTR cuts them.
			 */
			struct sigaction chld = { .sa_handler = on_sigchld,
						  .sa_flags = SA_NOCLDSTOP |
							      SA_RESTART };

			sigemptyset(&chld.sa_mask);
			caught[sig] = !sigaction(sig, &chld, NULL);
			continue;
		}
		caught[sig] = !sigaction(sig, &sa, NULL);
	}
	/* A write to a closed pipe is an error to report, not a death. */
	if (caught[SIGPIPE])
		signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_UNBLOCK, &orig_mask, NULL);
}

/* In the child, before exec: the signals as gtrace-run found them. */
static void restore_signals(void)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (caught[sig])
			sigaction(sig, &orig_action[sig], NULL);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
}

bool child_stop_requested(void)
{
	return stop_wait;
}

/* Pass on to the root what others sent gtrace-run. */
static void forward(struct child *c)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (!pending[sig])
			continue;
		pending[sig] = 0;
		if (!c->done)
			kill(c->pid, sig);
		if (is_job_stop(sig))
			kill(self, SIGSTOP);
	}
}

/* ---- the wait ------------------------------------------------------------ */

void child_wait_tree(struct child *c, void (*io)(void *ctx), void *ctx)
{
	char buf[64];
	int st;
	pid_t w;

	for (;;) {
		forward(c);
		/* The command is gone: a signal now means "stop waiting". */
		if (stop_wait && c->done)
			break;
		stop_wait = 0;
		if (io) {
			io(ctx);
		} else {
			struct pollfd p = { .fd = wake[0], .events = POLLIN };

			poll(&p, 1, wake[0] >= 0 ? -1 : 200);
		}
		while (wake[0] >= 0 && read(wake[0], buf, sizeof(buf)) > 0)
			;
		while ((w = waitpid(-1, &st, WNOHANG)) > 0)
			reap(c, w, st);
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
