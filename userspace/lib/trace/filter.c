// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall filters in the syntax of strace's -e trace=EXPR, and traces cut
 * down to what a filter selects.
 *
 * A filter is a set of (abi, nr) pairs. Names are looked up in each ABI's
 * table, so "getppid" selects x86_64's 110 and ia32's 64 alike. The
 * classes follow strace's (a syscall that takes a file name is %file, one
 * that takes or returns a descriptor %desc, and so on); the lists name the
 * calls of every ABI and each name counts where its ABI has it.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_internal.h"

/* Calls with a file name argument. */
static const char *const class_file[] = {
	"access", "acct", "chdir", "chmod", "chown", "chown32", "chroot",
	"creat", "execve", "execveat", "faccessat", "faccessat2", "fanotify_mark",
	"fchmodat", "fchmodat2", "fchownat", "fstatat64", "futimesat",
	"getxattr", "getxattrat", "inotify_add_watch", "lchown", "lchown32",
	"lgetxattr", "link", "linkat", "listxattr", "listxattrat", "llistxattr",
	"lremovexattr", "lsetxattr", "lstat", "lstat64", "mkdir", "mkdirat",
	"mknod", "mknodat", "mount", "move_mount", "name_to_handle_at",
	"newfstatat", "oldlstat", "oldstat", "open", "open_tree", "openat",
	"openat2", "pivot_root", "quotactl", "readlink", "readlinkat",
	"removexattr", "removexattrat", "rename", "renameat", "renameat2",
	"rmdir", "setxattr", "setxattrat", "stat", "stat64", "statfs",
	"statfs64", "statx", "swapoff", "swapon", "symlink", "symlinkat",
	"truncate", "truncate64", "umount", "umount2", "unlink", "unlinkat",
	"uselib", "utime", "utimensat", "utimensat_time64", "utimes",
	NULL,
};

/* Calls that take or return a file descriptor. */
static const char *const class_desc[] = {
	"_llseek", "_newselect", "bpf", "close", "close_range", "copy_file_range",
	"creat", "dup", "dup2", "dup3", "epoll_create", "epoll_create1",
	"epoll_ctl", "epoll_pwait", "epoll_pwait2", "epoll_wait", "eventfd",
	"eventfd2", "execveat", "faccessat", "faccessat2", "fadvise64",
	"fadvise64_64", "fallocate", "fanotify_init", "fanotify_mark", "fchdir",
	"fchmod", "fchmodat", "fchmodat2", "fchown", "fchown32", "fchownat",
	"fcntl", "fcntl64", "fdatasync", "fgetxattr", "finit_module",
	"flistxattr", "flock", "fremovexattr", "fsconfig", "fsetxattr",
	"fsmount", "fsopen", "fspick", "fstat", "fstat64", "fstatat64",
	"fstatfs", "fstatfs64", "fsync", "ftruncate", "ftruncate64",
	"futimesat", "getdents", "getdents64", "getxattrat", "inotify_add_watch",
	"inotify_init", "inotify_init1", "inotify_rm_watch", "io_uring_enter",
	"io_uring_register", "io_uring_setup", "ioctl", "kexec_file_load",
	"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
	"linkat", "listxattrat", "lseek", "memfd_create", "memfd_secret",
	"mkdirat", "mknodat", "mmap", "mmap2", "mount_setattr", "move_mount",
	"name_to_handle_at", "newfstatat", "old_readdir", "open", "open_by_handle_at",
	"open_tree", "openat", "openat2", "perf_event_open", "pidfd_getfd",
	"pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "poll", "ppoll",
	"ppoll_time64", "pread64", "preadv", "preadv2", "pselect6",
	"pselect6_time64", "pwrite64", "pwritev", "pwritev2", "quotactl_fd",
	"read", "readahead", "readdir", "readlinkat", "readv", "removexattrat",
	"renameat", "renameat2", "select", "sendfile", "sendfile64", "setns",
	"setxattrat", "signalfd", "signalfd4", "splice", "statx", "symlinkat",
	"sync_file_range", "sync_file_range2", "syncfs", "tee",
	"timerfd_create", "timerfd_gettime", "timerfd_gettime64",
	"timerfd_settime", "timerfd_settime64", "unlinkat", "userfaultfd",
	"utimensat", "utimensat_time64", "vmsplice", "write", "writev",
	NULL,
};

static const char *const class_network[] = {
	"accept", "accept4", "bind", "connect", "getpeername", "getsockname",
	"getsockopt", "listen", "recv", "recvfrom", "recvmmsg",
	"recvmmsg_time64", "recvmsg", "send", "sendmmsg", "sendmsg", "sendto",
	"setsockopt", "shutdown", "socket", "socketcall", "socketpair",
	NULL,
};

static const char *const class_process[] = {
	"clone", "clone3", "execve", "execveat", "exit", "exit_group", "fork",
	"kill", "pidfd_send_signal", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
	"tgkill", "tkill", "unshare", "vfork", "wait4", "waitid", "waitpid",
	NULL,
};

static const char *const class_memory[] = {
	"brk", "get_mempolicy", "madvise", "map_shadow_stack", "mbind",
	"migrate_pages", "mincore", "mlock", "mlock2", "mlockall", "mmap",
	"mmap2", "move_pages", "mprotect", "mremap", "mseal", "msync", "munlock",
	"munlockall", "munmap", "pkey_mprotect", "process_madvise",
	"process_mrelease", "remap_file_pages", "set_mempolicy",
	"set_mempolicy_home_node", "shmat", "shmdt",
	NULL,
};

static const char *const class_signal[] = {
	"kill", "pause", "pidfd_send_signal", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo",
	"sigaction", "sigaltstack", "signal", "signalfd", "signalfd4",
	"sigpending", "sigprocmask", "sigreturn", "sigsuspend", "sgetmask",
	"ssetmask", "tgkill", "tkill",
	NULL,
};

static const char *const class_ipc[] = {
	"ipc", "msgctl", "msgget", "msgrcv", "msgsnd", "semctl", "semget",
	"semop", "semtimedop", "semtimedop_time64", "shmat", "shmctl", "shmdt",
	"shmget",
	NULL,
};

static const struct {
	const char *name;
	const char *const *calls;
} classes[] = {
	{ "%file", class_file },
	{ "%desc", class_desc },
	{ "%network", class_network },
	{ "%net", class_network },
	{ "%process", class_process },
	{ "%memory", class_memory },
	{ "%signal", class_signal },
	{ "%ipc", class_ipc },
};

struct gt_filter {
	unsigned char *sel[__GTRACE_ABI_MAX];	/* one flag per number */
	unsigned int len[__GTRACE_ABI_MAX];
	bool rest;		/* numbers the tables do not know */
};

static struct gt_filter *filter_new(void)
{
	struct gt_filter *f = calloc(1, sizeof(*f));
	unsigned int a;

	if (!f)
		return NULL;
	for (a = 0; a < __GTRACE_ABI_MAX; a++) {
		f->len[a] = gt_syscall_count(a);
		f->sel[a] = calloc(f->len[a] + 1, 1);
		if (!f->sel[a]) {
			gt_filter_free(f);
			return NULL;
		}
	}
	return f;
}

void gt_filter_free(struct gt_filter *f)
{
	unsigned int a;

	if (!f)
		return;
	for (a = 0; a < __GTRACE_ABI_MAX; a++)
		free(f->sel[a]);
	free(f);
}

bool gt_filter_match(const struct gt_filter *f, unsigned int abi,
		     unsigned int nr)
{
	if (!f)
		return true;
	if (abi >= __GTRACE_ABI_MAX)
		return false;
	if (nr >= f->len[abi] || !gt_syscall_name(abi, nr))
		return f->rest;
	return f->sel[abi][nr];
}

/* Select @name in every ABI that has it; false if none does. */
static bool select_name(struct gt_filter *f, const char *name)
{
	bool found = false;
	unsigned int a;
	int nr;

	for (a = 0; a < __GTRACE_ABI_MAX; a++) {
		nr = gt_syscall_nr(a, name);
		if (nr >= 0 && (unsigned int)nr < f->len[a]) {
			f->sel[a][nr] = 1;
			found = true;
		}
	}
	return found;
}

static void select_all(struct gt_filter *f)
{
	unsigned int a;

	for (a = 0; a < __GTRACE_ABI_MAX; a++)
		memset(f->sel[a], 1, f->len[a]);
	f->rest = true;
}

static int select_regex(struct gt_filter *f, const char *re, char *err,
			size_t errlen)
{
	size_t len = strlen(re);
	unsigned int a, nr;
	char *pat, msg[128];
	regex_t rx;
	int rc;

	/* strace writes /regex; /regex/ reads better and means the same. */
	pat = strndup(re, len && re[len - 1] == '/' ? len - 1 : len);
	if (!pat)
		return -ENOMEM;
	rc = gti_regcomp(&rx, pat, msg, sizeof(msg));
	if (rc) {
		snprintf(err, errlen, "bad regular expression '/%s': %s", pat, msg);
		free(pat);
		return rc;
	}
	for (a = 0; a < __GTRACE_ABI_MAX; a++) {
		for (nr = 0; nr < f->len[a]; nr++) {
			const char *name = gt_syscall_name(a, nr);

			if (name && !regexec(&rx, name, 0, NULL, 0))
				f->sel[a][nr] = 1;
		}
	}
	regfree(&rx);
	free(pat);
	return 0;
}

static int select_token(struct gt_filter *f, const char *tok, char *err,
			size_t errlen)
{
	bool optional = false;
	unsigned int i, j;

	if (!strcmp(tok, "all")) {
		select_all(f);
		return 0;
	}
	if (!strcmp(tok, "none"))
		return 0;
	if (tok[0] == '/')
		return select_regex(f, tok + 1, err, errlen);
	if (tok[0] == '%') {
		for (i = 0; i < GTI_ARRAY_SIZE(classes); i++) {
			if (strcmp(tok, classes[i].name))
				continue;
			for (j = 0; classes[i].calls[j]; j++)
				select_name(f, classes[i].calls[j]);
			return 0;
		}
		snprintf(err, errlen, "unknown syscall class '%s' (known: %%file "
			 "%%network %%process %%memory %%signal %%ipc %%desc)", tok);
		return -EINVAL;
	}
	if (tok[0] == '?') {
		optional = true;
		tok++;
	}
	if (!tok[0]) {
		snprintf(err, errlen, "empty syscall name");
		return -EINVAL;
	}
	if (!select_name(f, tok) && !optional) {
		snprintf(err, errlen, "unknown syscall '%s'", tok);
		return -EINVAL;
	}
	return 0;
}

static int parse_set(struct gt_filter *f, const char *expr, char *err,
		     size_t errlen)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	if (!expr[0]) {
		snprintf(err, errlen, "empty syscall list");
		return -EINVAL;
	}
	copy = strdup(expr);
	if (!copy)
		return -ENOMEM;
	/* strtok_r would skip empty tokens: "a,,b" is a mistake, say so. */
	for (tok = copy; tok && !ret; tok = save) {
		save = strchr(tok, ',');
		if (save)
			*save++ = 0;
		ret = select_token(f, tok, err, errlen);
	}
	free(copy);
	return ret;
}

static int filter_add(struct gt_filter **fp, const char *expr, char *err,
		      size_t errlen)
{
	struct gt_filter *set, *f = *fp;
	bool negate = false;
	unsigned int a, nr;
	int ret;

	if (errlen)
		err[0] = 0;
	if (!strncmp(expr, "trace=", 6))
		expr += 6;
	if (expr[0] == '!') {
		negate = true;
		expr++;
	}
	set = filter_new();
	if (!set)
		return -ENOMEM;
	ret = parse_set(set, expr, err, errlen);
	if (ret) {
		gt_filter_free(set);
		return ret;
	}
	if (!f) {
		f = filter_new();
		if (!f) {
			gt_filter_free(set);
			return -ENOMEM;
		}
		*fp = f;
	}
	for (a = 0; a < __GTRACE_ABI_MAX; a++)
		for (nr = 0; nr < f->len[a]; nr++)
			if (set->sel[a][nr] != negate)
				f->sel[a][nr] = 1;
	if (set->rest != negate)
		f->rest = true;
	gt_filter_free(set);
	return 0;
}

int gt_filter_add(struct gt_filter **fp, const char *expr,
		  struct gt_input_error *err)
{
	char why[sizeof(err->msg)], opt[sizeof(err->file)];
	int ret;

	ret = filter_add(fp, expr, why, sizeof(why));
	if (ret == -EINVAL) {
		snprintf(opt, sizeof(opt), "-e %s", expr);
		gti_input_error(err, opt, 0, "%s", why);
	}
	return ret;
}

/* ---- traces cut down to a filter --------------------------------------- */

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static int filter_task(struct gt_task *dst, const struct gt_task *src,
		       const struct gt_filter *f)
{
	size_t i;

	*dst = *src;
	dst->syscalls = NULL;
	dst->errnos = NULL;
	dst->nr_syscalls = 0;
	dst->nr_errnos = 0;
	if (src->nr_syscalls) {
		dst->syscalls = calloc(src->nr_syscalls, sizeof(*dst->syscalls));
		if (!dst->syscalls)
			return -ENOMEM;
	}
	if (src->nr_errnos) {
		dst->errnos = calloc(src->nr_errnos, sizeof(*dst->errnos));
		if (!dst->errnos)
			return -ENOMEM;
	}
	for (i = 0; i < src->nr_syscalls; i++)
		if (gt_filter_match(f, src->syscalls[i].abi, src->syscalls[i].nr))
			dst->syscalls[dst->nr_syscalls++] = src->syscalls[i];
	for (i = 0; i < src->nr_errnos; i++)
		if (gt_filter_match(f, src->errnos[i].abi, src->errnos[i].nr))
			dst->errnos[dst->nr_errnos++] = src->errnos[i];
	return 0;
}

int gt_trace_filter(const struct gt_trace *tr, const struct gt_filter *f,
		    struct gt_trace **out)
{
	struct gt_trace *t = calloc(1, sizeof(*t));
	bool oom = false;
	size_t i;
	int err = 0;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	*t = *tr;
	t->command = dup_or_null(tr->command, &oom);
	t->kernel = dup_or_null(tr->kernel, &oom);
	t->module_version = dup_or_null(tr->module_version, &oom);
	t->sum = NULL;
	t->stats = calloc(1, sizeof(*t->stats));
	if (oom || !t->stats) {
		err = -ENOMEM;
		goto fail;
	}
	if (tr->stats) {
		t->stats->session_id = tr->stats->session_id;
		if (tr->stats->nr_tasks) {
			t->stats->tasks = calloc(tr->stats->nr_tasks,
						 sizeof(*t->stats->tasks));
			if (!t->stats->tasks) {
				err = -ENOMEM;
				goto fail;
			}
		}
		for (i = 0; i < tr->stats->nr_tasks; i++) {
			err = filter_task(&t->stats->tasks[i],
					  &tr->stats->tasks[i], f);
			t->stats->nr_tasks++;
			if (err)
				goto fail;
		}
	}
	err = gt_stats_summarize(t->stats, &t->sum);
	if (err)
		goto fail;
	*out = t;
	return 0;
fail:
	gt_trace_free(t);
	return err;
}
