// SPDX-License-Identifier: GPL-2.0
/*
 * gtrace: in-kernel syscall counters and latencies for golden-trace
 * validation. Module parameters, memory accounting, init and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "gtrace_internal.h"

static unsigned int gtrace_max_sessions = 64;
module_param_named(max_sessions, gtrace_max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions, "Sessions that may exist at once (64)");

static unsigned int gtrace_max_tasks = 65536;
module_param_named(max_tasks, gtrace_max_tasks, uint, 0644);
MODULE_PARM_DESC(max_tasks, "Tasks one session stores; more are counted as lost (65536)");

static unsigned int gtrace_max_ring_pages = 4096;
module_param_named(max_ring_pages, gtrace_max_ring_pages, uint, 0644);
MODULE_PARM_DESC(max_ring_pages, "Largest per-CPU record ring, in pages (4096)");

static unsigned int gtrace_default_ring_pages = 256;
module_param_named(default_ring_pages, gtrace_default_ring_pages, uint, 0644);
MODULE_PARM_DESC(default_ring_pages, "Per-CPU record ring when none is asked for, in pages (256)");

static unsigned int gtrace_fail_every;
module_param_named(debug_fail_every, gtrace_fail_every, uint, 0644);
MODULE_PARM_DESC(debug_fail_every, "Debug: make every Nth allocation fail (0: never)");

/* Parameters may change at any time: each read takes the current value. */
unsigned int gtrace_param_max_sessions(void)
{
	return READ_ONCE(gtrace_max_sessions);
}

unsigned int gtrace_param_max_tasks(void)
{
	return READ_ONCE(gtrace_max_tasks);
}

unsigned int gtrace_param_max_ring_pages(void)
{
	return READ_ONCE(gtrace_max_ring_pages);
}

unsigned int gtrace_param_default_ring_pages(void)
{
	return READ_ONCE(gtrace_default_ring_pages);
}

static atomic64_t gtrace_mem_bytes = ATOMIC64_INIT(0);
static atomic_t gtrace_alloc_count = ATOMIC_INIT(0);

/*
 * Every allocation the module keeps goes through gtrace_alloc(),
 * gtrace_vzalloc() or gtrace_vmalloc_user(), so that module status can say how much memory it
 * holds and tests can make allocations fail on purpose.
 */
static bool gtrace_alloc_may_succeed(void)
{
	unsigned int every = READ_ONCE(gtrace_fail_every);

	return !every || atomic_inc_return(&gtrace_alloc_count) % every;
}

/* Count what an allocation of @size got, if it got anything. */
static void *gtrace_counted(void *p, size_t size)
{
	if (p)
		atomic64_add(size, &gtrace_mem_bytes);
	return p;
}

/* Uncount what is about to be freed; false when there is nothing. */
static bool gtrace_uncounted(const void *p, size_t size)
{
	if (p)
		atomic64_sub(size, &gtrace_mem_bytes);
	return p;
}

void *gtrace_alloc(size_t size, gfp_t gfp)
{
	if (!gtrace_alloc_may_succeed())
		return NULL;
	return gtrace_counted(kzalloc(size, gfp | __GFP_NOWARN), size);
}

void gtrace_free(const void *p, size_t size)
{
	if (gtrace_uncounted(p, size))
		kfree(p);
}

/* Zeroed pages that may be mapped into userspace (remap_vmalloc_range). */
void *gtrace_vmalloc_user(size_t size)
{
	if (!gtrace_alloc_may_succeed())
		return NULL;
	return gtrace_counted(vmalloc_user(size), size);
}

void *gtrace_vzalloc(size_t size)
{
	if (!gtrace_alloc_may_succeed())
		return NULL;
	return gtrace_counted(vzalloc(size), size);
}

void gtrace_vfree(const void *p, size_t size)
{
	if (gtrace_uncounted(p, size))
		vfree(p);
}

u64 gtrace_mem_held(void)
{
	return atomic64_read(&gtrace_mem_bytes);
}

static int __init gtrace_init(void)
{
	int err;

	if (!gtrace_default_ring_pages ||
	    !is_power_of_2(gtrace_default_ring_pages) ||
	    gtrace_default_ring_pages > gtrace_max_ring_pages) {
		pr_err("default_ring_pages must be a power of two <= max_ring_pages\n");
		return -EINVAL;
	}

	err = gtrace_dev_init();
	if (err)
		return err;
	err = gtrace_netlink_init();
	if (err)
		goto err_dev;

	pr_info("version %s loaded\n", GTRACE_VERSION);
	return 0;

err_dev:
	gtrace_dev_exit();
	return err;
}

static void __exit gtrace_exit(void)
{
	/* No new requests, then no sessions, then no probes. */
	gtrace_netlink_exit();
	gtrace_sessions_del_all();
	/* Deleted sessions' rings are flushed: waiting threads give up. */
	gtrace_rings_wait_exit();
	gtrace_dev_exit();
	rcu_barrier();
	if (atomic64_read(&gtrace_mem_bytes))
		pr_err("%lld bytes still accounted at unload\n",
		       (long long)atomic64_read(&gtrace_mem_bytes));
	pr_info("unloaded\n");
}

module_init(gtrace_init);
module_exit(gtrace_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Syscall counters and latencies for golden-trace validation");
MODULE_VERSION(GTRACE_VERSION);
