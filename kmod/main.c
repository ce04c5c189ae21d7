// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace: in-kernel syscall counters for golden-trace validation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

#include <linux/gtrace.h>

static int __init gtrace_init(void)
{
	pr_info("version %s loaded\n", GTRACE_VERSION);
	return 0;
}

static void __exit gtrace_exit(void)
{
	pr_info("unloaded\n");
}

module_init(gtrace_init);
module_exit(gtrace_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Syscall counters and latencies for golden-trace validation");
MODULE_VERSION(GTRACE_VERSION);
