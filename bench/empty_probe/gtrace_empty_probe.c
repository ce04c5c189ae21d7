// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark only, never installed: no-op probes on the tracepoints gtrace.ko
 * uses. What any tracepoint-based tracer pays at the least, the floor the
 * benchmarks compare gtrace against.
 *
 * With clock=1 the syscall probes read local_clock() and nothing else: the
 * floor of any tracer that times syscalls, which must read the clock at
 * entry and at exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

static bool clock;
module_param(clock, bool, 0444);
MODULE_PARM_DESC(clock, "Read local_clock() in the syscall probes");

static u64 clock_sink;

static void empty_sys(void *data, struct pt_regs *regs, long arg)
{
}

static void clock_sys(void *data, struct pt_regs *regs, long arg)
{
	WRITE_ONCE(clock_sink, local_clock());
}

static void empty_task(void *data, struct task_struct *p)
{
}

static void empty_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
}

struct empty_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct empty_tp empty_tps[] = {
	{ .name = "sys_enter", .probe = empty_sys },
	{ .name = "sys_exit", .probe = empty_sys },
	{ .name = "sched_process_fork", .probe = empty_fork },
	{ .name = "sched_process_exit", .probe = empty_task },
};

static void empty_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(empty_tps); i++)
		if (!strcmp(tp->name, empty_tps[i].name))
			empty_tps[i].tp = tp;
}

static void empty_unregister(unsigned int n)
{
	while (n--)
		tracepoint_probe_unregister(empty_tps[n].tp, empty_tps[n].probe,
					    NULL);
	tracepoint_synchronize_unregister();
}

static int __init empty_init(void)
{
	unsigned int i;
	int err = 0;

	if (clock) {
		empty_tps[0].probe = clock_sys;
		empty_tps[1].probe = clock_sys;
	}
	for_each_kernel_tracepoint(empty_find, NULL);
	for (i = 0; i < ARRAY_SIZE(empty_tps); i++) {
		err = empty_tps[i].tp ?
		      tracepoint_probe_register(empty_tps[i].tp,
						empty_tps[i].probe, NULL) : -ENOENT;
		if (err) {
			empty_unregister(i);
			return err;
		}
	}
	return 0;
}

static void __exit empty_exit(void)
{
	empty_unregister(ARRAY_SIZE(empty_tps));
}

module_init(empty_init);
module_exit(empty_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("No-op probes on gtrace's tracepoints, for benchmarks");
