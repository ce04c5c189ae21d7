/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The traced command as a process tree of gtrace-run's: looked up in PATH,
 * forked blocked on a release pipe before anything of gtrace-run's exists
 * that it should not inherit, released once tracing is on, then waited
 * for with every process of its tree (gtrace-run is their subreaper).
 * The signals gtrace-run gets are sorted here: survived, passed on, or
 * taken as a stop with the rest of the job (child.c says which).
 */
#ifndef GTRACE_TOOLS_CHILD_H
#define GTRACE_TOOLS_CHILD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct child {
	char *file;		/* the program, looked up in PATH */
	pid_t pid;		/* the root of the tree */
	int go;			/* release pipe, write end */
	int execerr;		/* errno of a failed execve, read end */
	int status;		/* wait(2) status of the root */
	bool done;		/* the root has been waited for */
	uint64_t end_ns;	/* CLOCK_MONOTONIC when it was */
};

#define CHILD_INIT	{ .pid = -1, .go = -1, .execerr = -1 }

uint64_t child_now_ns(int clock);

/*
 * The program execvp() would run for @name, looked up here rather than in
 * the child, whose failed execve() calls would show in the trace: 0, or
 * -ENOENT / -EACCES when there is none.
 */
int child_find(struct child *c, const char *name);

/*
 * Fork the child, blocked until child_release(), and become the
 * subreaper of its tree. 0 or -errno.
 */
int child_fork(struct child *c, char **argv);

/* Let it exec: 0, or the errno of its failed execve (it has exited). */
int child_release(struct child *c);

/* Never released: it leaves without running anything; waited for. */
void child_abort(struct child *c);

/*
 * First thing in main: note the signal mask and dispositions the program
 * is to get, and catch every signal gtrace-run must survive.
 */
void child_init(void);

/* SIGINT, SIGTERM, SIGHUP or SIGQUIT came (-p: end the attach). */
bool child_stop_requested(void);

/*
 * Wait for every process of the tree. With @io, call it over and over
 * meanwhile: it may block a while (a child's exit interrupts it) and does
 * the work of the run. Returns when no process is left, or when a signal
 * comes after the root has exited (the rest may be daemons).
 */
void child_wait_tree(struct child *c, void (*io)(void *ctx), void *ctx);

void child_free(struct child *c);

#endif /* GTRACE_TOOLS_CHILD_H */
