// SPDX-License-Identifier: GPL-2.0
/*
 * The trace model: a gt_trace is made here (empty, or from a live session's
 * stats dump), freed here, and its syscalls and errnos are labelled here
 * for every writer and report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "trace_internal.h"

struct gt_trace *gt_trace_new(void)
{
	return calloc(1, sizeof(struct gt_trace));
}

void gt_trace_free(struct gt_trace *tr)
{
	if (!tr)
		return;
	free(tr->command);
	free(tr->kernel);
	free(tr->module_version);
	gt_stats_free(tr->stats);
	gt_summary_free(tr->sum);
	free(tr);
}

static void set_exit(struct gt_trace *tr, int status)
{
	if (WIFSIGNALED(status)) {
		tr->exit_code = -1;
		tr->exit_signal = WTERMSIG(status);
	} else {
		tr->exit_code = WEXITSTATUS(status);
		tr->exit_signal = 0;
	}
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*oom = true;
	return d;
}

int gt_trace_from_stats(const struct gt_trace_origin *o, struct gt_stats *st,
			struct gt_trace **out)
{
	struct gt_trace *tr = gt_trace_new();
	const struct gt_task *root;
	bool oom = !tr;
	int err;

	*out = NULL;
	if (!tr) {
		gt_stats_free(st);
		return -ENOMEM;
	}
	tr->stats = st;
	tr->command = dup_or_null(o->command, &oom);
	tr->kernel = dup_or_null(o->kernel, &oom);
	tr->module_version = dup_or_null(o->module_version, &oom);
	tr->start_ns = o->start_ns;
	tr->records = o->records;
	tr->drops = o->drops;
	tr->tasks_lost = o->tasks_lost;
	tr->calls_lost = o->calls_lost;
	tr->no_drops = o->no_drops;
	tr->waits = o->waits;
	tr->wait_ns = o->wait_ns;
	err = oom ? -ENOMEM : gt_stats_summarize(st, &tr->sum);
	if (err) {
		gt_trace_free(tr);
		return err;
	}
	root = gt_stats_task(st, o->root);
	/* The kernel saw the root exit, on the same clock: the exact end. */
	if (root && (root->flags & GTRACE_TF_EXITED) && root->exit_ns > o->t0 &&
	    (!o->attached || root->exit_ns < o->t_end))
		tr->wall_ns = root->exit_ns - o->t0;
	else
		tr->wall_ns = o->t_end - o->t0;
	if (!o->attached)
		set_exit(tr, o->wait_status);
	else if (root && (root->flags & GTRACE_TF_EXITED))
		set_exit(tr, (int)root->exit_code);
	*out = tr;
	return 0;
}

const char *gti_sc_label(unsigned int abi, unsigned int nr, char *buf,
			 size_t len)
{
	const char *name = gt_syscall_name(abi, nr);

	if (name)
		return name;
	snprintf(buf, len, "syscall_%u", nr);
	return buf;
}

void gti_sc_fullname(char *buf, size_t len, unsigned int abi, unsigned int nr)
{
	char label[32];
	const char *name = gti_sc_label(abi, nr, label, sizeof(label));

	if (abi == GTRACE_ABI_X86_64)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s:%s", gt_abi_name(abi), name);
}

const char *gti_errno_label(int err, char *buf, size_t len)
{
	const char *name = gt_errno_name(err);

	if (name)
		return name;
	snprintf(buf, len, "%d", err);
	return buf;
}
